"""Turn batches of article rows into :class:`StoredArticle` objects.

Tags, authors and URLs are fetched with one query each per batch (``WHERE article_id IN ...``),
never one query per article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, RowMapping, Select

from newscrawl.archive.statements import article_urls, author_names, tag_names
from newscrawl.storage.records import StoredArticle, stored_article_from_row


def hydrate(connection: Connection, rows: Sequence[RowMapping]) -> list[StoredArticle]:
    """The articles of ``rows`` (as selected by ``select_articles``), in the same order."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    tags = _grouped(connection, tag_names(ids))
    authors = _grouped(connection, author_names(ids))
    urls = _grouped(connection, article_urls(ids))
    return [
        stored_article_from_row(
            row, tags.get(row["id"], ()), authors.get(row["id"], ()), urls.get(row["id"], ())
        )
        for row in rows
    ]


def _grouped(connection: Connection, statement: Select[int, str]) -> dict[int, tuple[str, ...]]:
    """``(article_id, value)`` rows (already in the wanted order) grouped by article id."""
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    for article_id, value in connection.execute(statement):
        grouped[article_id].append(value)
    return {article_id: tuple(values) for article_id, values in grouped.items()}
