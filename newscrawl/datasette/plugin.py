"""The Datasette plugin behind ``newscrawl browse``: cells and pages that read like an archive.

- Lists of articles (``articles_view``): the headline links to the article page, tags and authors
  are lists of links that filter the list, the canonical URL is a "source" link.
- Every stored timestamp (a ``*_at`` column: ``2023-10-16 04:00:00.000000``) shows as ISO 8601
  UTC without microseconds (``2023-10-16T04:00:00Z``); raw strings as found on pages stay as
  they are.
- The article page (the ``articles`` row page, ``templates/row.html``) gets the article as
  ``newscrawl_article``: site, tags, authors, summary and body as paragraphs, earlier versions.
- The home page (``templates/index.html``) gets ``newscrawl_front``: per database with
  articles, the count and the newest articles.
- ``/-/newscrawl.css`` serves the stylesheet every page links.

Stored text is always escaped: cells are built with :class:`markupsafe.Markup` formatting,
templates rely on Jinja's autoescaping, and only ``http(s)`` URLs become links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.utils import urlsafe_components
from datasette.utils.asgi import Response
from markupsafe import Markup
from pluggy import HookimplMarker

hookimpl = HookimplMarker("datasette")  # datasette.hookimpl, typed
ARTICLES_VIEW = "articles_view"
ARTICLE_TABLE = "articles"
NAME_LIST_COLUMNS = ("tags", "authors")
FRONT_PAGE_ARTICLES = 10
CSS_PATH = "/-/newscrawl.css"
CSS_FILE = Path(__file__).resolve().with_name("static") / "newscrawl.css"
# How SQLAlchemy stores a UTC datetime in SQLite (naive, microseconds always written).
STORED_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)?")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
TIME_SUFFIX = "_at"  # newscrawl's timestamp columns: published_at, first_seen_at, started_at, ...


def iso_utc(value: object) -> object:
    """A stored timestamp string as ``YYYY-MM-DDTHH:MM:SSZ``; anything else unchanged."""
    if isinstance(value, str):
        match = STORED_TIMESTAMP.fullmatch(value)
        if match:
            return f"{match[1]}T{match[2]}Z"
    return value


def _published(value: object, has_time: object) -> object:
    """A stored publication time in ISO form; the day alone when the page gave no time."""
    formatted = iso_utc(value)
    return formatted[:10] if isinstance(formatted, str) and not has_time else formatted


def paragraphs(text: str | None) -> list[str]:
    """``text`` split into paragraphs at blank lines (how newscrawl stores bodies)."""
    if not text:
        return []
    return [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def web_url(value: object) -> str | None:
    """``value`` if it is an absolute ``http(s)`` URL (safe as a link target), else None."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def name_list(value: object) -> list[str]:
    """A JSON array of names (``articles_view.tags``) as a list; [] for anything else."""
    if isinstance(value, list):
        loaded: object = value
    elif isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return []
    else:
        return []
    if not isinstance(loaded, list):
        return []
    return [str(item) for item in loaded if item is not None]


def filter_link(list_url: str, column: str, name: str) -> Markup:
    """A link to ``list_url`` filtered to rows whose ``column`` array contains ``name``."""
    href = f"{list_url}?{urlencode({f'{column}__arraycontains': name})}"
    return Markup('<a class="newscrawl-chip" href="{}">{}</a>').format(href, name)


def name_links(list_url: str, column: str, names: Sequence[str]) -> Markup:
    """``names`` as a list of filter links."""
    items = Markup("").join(
        Markup("<li>{}</li>").format(filter_link(list_url, column, name)) for name in names
    )
    return Markup('<ul class="newscrawl-names">{}</ul>').format(items)


def source_link(url: str) -> Markup:
    """A link to the article on its site, opened without a referrer."""
    return Markup('<a class="newscrawl-source" href="{}" rel="noreferrer noopener">{}</a>').format(
        url, urlsplit(url).netloc + " ↗"
    )


@hookimpl
def render_cell(
    row: Mapping[str, Any],
    value: object,
    column: str,
    table: str | None,
    database: str,
    datasette: Any,
) -> Markup | str | None:
    """Links and lists in ``articles_view``; ISO times everywhere; None: Datasette's default."""
    if table == ARTICLES_VIEW:
        if column == "headline" and isinstance(value, str):
            href = datasette.urls.row(database, ARTICLE_TABLE, str(row["id"]))
            return Markup('<a class="newscrawl-headline" href="{}">{}</a>').format(href, value)
        if column in NAME_LIST_COLUMNS:
            list_url = datasette.urls.table(database, ARTICLES_VIEW)
            return name_links(list_url, column, name_list(value))
        if column == "canonical_url":
            url = web_url(value)
            return source_link(url) if url else None
    if column.endswith(TIME_SUFFIX):
        formatted = iso_utc(value)
        return formatted if isinstance(formatted, str) and formatted is not value else None
    return None


@hookimpl
def extra_css_urls() -> list[str]:
    """The newscrawl stylesheet, on every page."""
    return [CSS_PATH]


@hookimpl
def register_routes() -> list[tuple[str, Callable[[], Awaitable[Response]]]]:
    """Serve the stylesheet at :data:`CSS_PATH`."""

    async def stylesheet() -> Response:
        return Response(
            CSS_FILE.read_text(encoding="utf-8"),
            content_type="text/css; charset=utf-8",
            headers={"Cache-Control": "max-age=300"},
        )

    return [(f"^{re.escape(CSS_PATH)}$", stylesheet)]


@hookimpl
def extra_template_vars(
    view_name: str, database: str | None, table: str | None, request: Any, datasette: Any
) -> Callable[[], Awaitable[dict[str, Any]]] | dict[str, Any]:
    """``newscrawl_article`` on the article page, ``newscrawl_front`` on the home page."""
    if view_name == "row" and table == ARTICLE_TABLE and database and request is not None:
        pks = urlsafe_components(request.url_vars.get("pks", ""))

        async def article_vars() -> dict[str, Any]:
            db = datasette.get_database(database)
            article = await load_article(db, pks[0]) if len(pks) == 1 else None
            if article is not None:
                list_url = datasette.urls.table(database, ARTICLES_VIEW)
                article["list_url"] = list_url
            return {"newscrawl_article": article}

        return article_vars
    if view_name == "index":

        async def front_vars() -> dict[str, Any]:
            return {"newscrawl_front": await front_page(datasette)}

        return front_vars
    return {}


async def load_article(db: Any, key: str) -> dict[str, Any] | None:
    """The article with primary key ``key``, ready for ``row.html``; None if there is none."""
    result = await db.execute(
        "SELECT a.*, s.name AS site FROM articles AS a JOIN sites AS s ON s.id = a.site_id "
        "WHERE a.id = :id",
        {"id": key},
    )
    row = result.first()
    if row is None:
        return None
    article = {
        column: iso_utc(row[column]) if column.endswith(TIME_SUFFIX) else row[column]
        for column in row.keys()  # noqa: SIM118 (a sqlite3.Row iterates its values)
    }
    article["published_at"] = _published(row["published_at"], row["published_has_time"])
    article["tags"] = await _names(db, "article_tags", key)
    article["authors"] = await _names(db, "article_authors", key)
    article["summary_paragraphs"] = [line for line in (row["summary"] or "").splitlines() if line]
    article["paragraphs"] = paragraphs(row["body"])
    article["source_url"] = web_url(row["canonical_url"])
    article["words"] = len((row["body"] or "").split())
    versions = await db.execute(
        "SELECT version, captured_at, headline, summary, body, published_at, section, tags, "
        "authors FROM article_versions WHERE article_id = :id ORDER BY version DESC",
        {"id": key},
    )
    article["versions"] = [
        {
            "version": version["version"],
            "captured_at": iso_utc(version["captured_at"]),
            "headline": version["headline"],
            "published_at": iso_utc(version["published_at"]),
            "section": version["section"],
            "tags": name_list(version["tags"]),
            "authors": name_list(version["authors"]),
            "summary": version["summary"],
            "paragraphs": paragraphs(version["body"]),
            "headline_changed": version["headline"] != row["headline"],
        }
        for version in versions.rows
    ]
    return article


# The link tables and their name tables are fixed identifiers, never user input.
_NAMES_SQL = {
    "article_tags": "SELECT t.name FROM article_tags AS l JOIN tags AS t ON t.id = l.tag_id "
    "WHERE l.article_id = :id ORDER BY l.position",
    "article_authors": "SELECT t.name FROM article_authors AS l JOIN authors AS t "
    "ON t.id = l.author_id WHERE l.article_id = :id ORDER BY l.position",
}


async def _names(db: Any, link_table: str, key: str) -> list[str]:
    """The article's tag or author names, in page order."""
    result = await db.execute(_NAMES_SQL[link_table], {"id": key})
    return [row[0] for row in result.rows]


NEWEST_SQL = (
    "SELECT a.id, a.headline, s.name AS site, a.published_at, a.published_has_time, a.section, "
    "(SELECT json_group_array(name) FROM (SELECT t.name AS name FROM article_tags AS l "
    "JOIN tags AS t ON t.id = l.tag_id WHERE l.article_id = a.id ORDER BY l.position)) AS tags "
    "FROM articles AS a JOIN sites AS s ON s.id = a.site_id "
    "ORDER BY a.published_at DESC LIMIT :limit"
)


async def front_page(datasette: Any) -> list[dict[str, Any]]:
    """For each database holding ``articles_view``: its name, article count, newest articles."""
    front = []
    for name, db in datasette.databases.items():
        if name.startswith("_") or ARTICLES_VIEW not in await db.view_names():
            continue
        count = (await db.execute("SELECT count(*) FROM articles")).first()[0]
        newest = await db.execute(NEWEST_SQL, {"limit": FRONT_PAGE_ARTICLES})
        list_url = datasette.urls.table(name, ARTICLES_VIEW)
        front.append(
            {
                "database": name,
                "count": count,
                "list_url": list_url,
                "newest": [
                    {
                        "url": datasette.urls.row(name, ARTICLE_TABLE, str(row["id"])),
                        "headline": row["headline"],
                        "site": row["site"],
                        "published_at": _published(row["published_at"], row["published_has_time"]),
                        "section": row["section"],
                        "tags": name_list(row["tags"]),
                    }
                    for row in newest.rows
                ],
            }
        )
    return front
