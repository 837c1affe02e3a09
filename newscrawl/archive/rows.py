"""Turn batches of article rows into :class:`StoredArticle` objects.

Tags, authors and URLs are fetched with one query each per batch (``WHERE article_id IN ...``),
never one query per article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, RowMapping, Select

from newscrawl.archive.statements import article_urls, author_names, tag_names
from newscrawl.storage.records import StoredArticle


def hydrate(connection: Connection, rows: Sequence[RowMapping]) -> list[StoredArticle]:
    """The articles of ``rows`` (as selected by ``select_articles``), in the same order."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    tags = _grouped(connection, tag_names(ids))
    authors = _grouped(connection, author_names(ids))
    urls = _grouped(connection, article_urls(ids))
    return [
        to_article(
            row, tags.get(row["id"], ()), authors.get(row["id"], ()), urls.get(row["id"], ())
        )
        for row in rows
    ]


def to_article(
    row: RowMapping,
    tags: Sequence[str],
    authors: Sequence[str],
    urls: Sequence[str],
) -> StoredArticle:
    """One :class:`StoredArticle` from an article row with ``site_name`` and its names."""
    return StoredArticle(
        id=row["id"],
        site=row["site_name"],
        canonical_url=row["canonical_url"],
        url=row["url"],
        headline=row["headline"],
        summary=row["summary"],
        body=row["body"],
        published_at=row["published_at"],
        published_raw=row["published_raw"],
        published_source=row["published_source"],
        published_has_time=bool(row["published_has_time"]),
        modified_at=row["modified_at"],
        modified_raw=row["modified_raw"],
        modified_source=row["modified_source"],
        section=row["section"],
        language=row["language"],
        image_url=row["image_url"],
        content_hash=row["content_hash"],
        field_sources=dict(row["field_sources"] or {}),
        etag=row["etag"],
        last_modified=row["last_modified"],
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        last_changed_at=row["last_changed_at"],
        fetched_at=row["fetched_at"],
        tags=tuple(tags),
        authors=tuple(authors),
        urls=tuple(urls),
    )


def _grouped(connection: Connection, statement: Select[int, str]) -> dict[int, tuple[str, ...]]:
    """``(article_id, value)`` rows (already in the wanted order) grouped by article id."""
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    for article_id, value in connection.execute(statement):
        grouped[article_id].append(value)
    return {article_id: tuple(values) for article_id, values in grouped.items()}
