"""ad-hoc site names include the port: 127.0.0.1:8765 and 127.0.0.1:8766 are two sites

Before, an ad-hoc crawl (``-a url=URL``) named its site by the host alone, so crawls of two
servers on one host shared a site and its run history. Now the name carries the port when it
is not the scheme's default (``newscrawl.sites.ad_hoc_site_name``, mirrored below: revisions
never import app code). Existing rows are renamed from the URLs of their articles:

* a site named by the host of all its articles (an ad-hoc site) whose articles all came from
  one non-default port is renamed ``host:port``, and so are its crawl runs;
* one whose articles came from several ports is split: each port's articles move to a site
  ``host:port`` (articles on the default port stay). Its runs keep the old name, because which
  server each run crawled is not recorded: the next crawl of each new site is a full one.

Sites from the sites file (named by a slug, not by their articles' host) are left alone.
Downgrade merges ``host:port`` sites back into ``host``. The renaming reads the rows, so an
offline SQL script (``alembic upgrade --sql``) contains nothing for this revision.

Revision ID: 2c78b6c15348
Revises: 4ea10111c2dd
Create Date: 2026-12-05 01:00:00.000000+00:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "2c78b6c15348"
down_revision: str | Sequence[str] | None = "4ea10111c2dd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host(url: str) -> str:
    """The old ad-hoc name: the URL's host without ``www.``."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _name(url: str) -> str:
    """The new ad-hoc name (as ``newscrawl.sites.ad_hoc_site_name`` at this revision)."""
    parts = urlsplit(url)
    host = _host(url)
    if not host:
        return "local"
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def _site_id(connection: sa.Connection, name: str) -> int | None:
    row = connection.execute(sa.text("SELECT id FROM sites WHERE name = :n"), {"n": name}).first()
    return None if row is None else int(row[0])


def _site_for(connection: sa.Connection, name: str, like_id: int) -> int:
    """The id of the site ``name``, created (with the created_at of site ``like_id``) if new."""
    found = _site_id(connection, name)
    if found is not None:
        return found
    connection.execute(
        sa.text(
            "INSERT INTO sites (name, created_at) SELECT :n, created_at FROM sites WHERE id = :i"
        ),
        {"n": name, "i": like_id},
    )
    created = _site_id(connection, name)
    assert created is not None
    return created


def _move(connection: sa.Connection, article_ids: list[int], site_id: int) -> None:
    for start in range(0, len(article_ids), 500):
        connection.execute(
            sa.text("UPDATE articles SET site_id = :s WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"s": site_id, "ids": article_ids[start : start + 500]},
        )


def _drop_if_empty(connection: sa.Connection, site_id: int) -> bool:
    used = connection.execute(
        sa.text("SELECT 1 FROM articles WHERE site_id = :i LIMIT 1"), {"i": site_id}
    ).first()
    if used is None:
        connection.execute(sa.text("DELETE FROM sites WHERE id = :i"), {"i": site_id})
    return used is None


def _rename_runs(connection: sa.Connection, old: str, new: str) -> None:
    connection.execute(
        sa.text("UPDATE crawl_runs SET site = :new WHERE site = :old"), {"new": new, "old": old}
    )


def upgrade() -> None:
    if context.is_offline_mode():
        return
    connection = op.get_bind()
    sites = connection.execute(sa.text("SELECT id, name FROM sites ORDER BY id")).all()
    for site_id, name in sites:
        rows = connection.execute(
            sa.text("SELECT id, url FROM articles WHERE site_id = :i"), {"i": site_id}
        ).all()
        if not rows or any(_host(url) != name for _, url in rows):
            continue  # no articles to tell, or a site from the sites file
        groups: dict[str, list[int]] = defaultdict(list)
        for article_id, url in rows:
            groups[_name(url)].append(article_id)
        moved = {new: ids for new, ids in groups.items() if new != name}
        for new, ids in moved.items():
            _move(connection, ids, _site_for(connection, new, site_id))
        if _drop_if_empty(connection, site_id) and len(moved) == 1:
            _rename_runs(connection, name, next(iter(moved)))


def downgrade() -> None:
    if context.is_offline_mode():
        return
    connection = op.get_bind()
    sites = connection.execute(sa.text("SELECT id, name FROM sites ORDER BY id")).all()
    for site_id, name in sites:
        host, colon, port = name.rpartition(":")
        if not colon or not port.isdigit() or not host:
            continue
        rows = connection.execute(
            sa.text("SELECT id, url FROM articles WHERE site_id = :i"), {"i": site_id}
        ).all()
        if not rows or any(_name(url) != name for _, url in rows):
            continue
        old = host.removeprefix("[").removesuffix("]")
        _move(
            connection, [article_id for article_id, _ in rows], _site_for(connection, old, site_id)
        )
        _drop_if_empty(connection, site_id)
        _rename_runs(connection, name, old)
