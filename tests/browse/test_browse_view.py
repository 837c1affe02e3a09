"""``articles_view``, the list ``browse`` shows, on SQLite and PostgreSQL (the migration that
shapes it has a counterpart per dialect): ISO 8601 UTC times without microseconds (the day
alone when only the day is known), tags and authors as JSON arrays in page order, the number of
stored earlier versions. Articles are saved through the real :class:`ArticleStore`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.engine import alembic_config

VIEW_COLUMNS = [
    "id", "headline", "site", "published_at", "section", "tags", "authors", "canonical_url",
    "language", "versions", "first_seen_at", "last_changed_at",
]  # fmt: skip
READING_VIEW_REVISION = "37afa9533729"
FETCHED_AT = datetime(2025, 3, 3, 12, 0, 5, 250000, tzinfo=UTC)


def _article(slug: str, **fields: object) -> Article:
    defaults: dict[str, object] = {
        "url": f"https://daily.example/{slug}",
        "canonical_url": f"https://daily.example/{slug}",
        "site": "daily",
        "headline": f"Headline {slug}",
        "body": "First paragraph.\n\nSecond paragraph.",
        "fetched_at": FETCHED_AT,
        "sources": {"headline": "jsonld"},
    }
    defaults.update(fields)
    return Article(**defaults)  # type: ignore[arg-type]


def _view_rows(url: str) -> dict[str, dict[str, object]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text("SELECT * FROM articles_view ORDER BY id"))
            assert list(result.keys()) == VIEW_COLUMNS
            return {str(row["canonical_url"]): dict(row) for row in result.mappings()}
    finally:
        engine.dispose()


def _json_list(value: object) -> list[str]:
    """A JSON array column: text on SQLite, already decoded by psycopg on PostgreSQL."""
    loaded = json.loads(value) if isinstance(value, str) else value
    assert isinstance(loaded, list)
    return loaded


def test_view_reads_like_the_archive(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        store.save(
            _article(
                "timed",
                published=datetime(2025, 3, 1, 8, 0, 30, 123456, tzinfo=UTC),
                section="Politics",
                tags=("Economy", "Parliament", "Budget"),
                authors=("Zoe Adams", "Jane Doe"),
                language="en",
            )
        )
        store.save(
            _article(
                "day-only",
                published=datetime(2025, 2, 28, tzinfo=UTC),
                published_has_time=False,
            )
        )
        store.save(_article("changed", published=datetime(2025, 3, 2, 9, 15, tzinfo=UTC)))
        store.save(
            _article(
                "changed",
                published=datetime(2025, 3, 2, 9, 15, tzinfo=UTC),
                body="A corrected first paragraph.\n\nSecond paragraph.",
                fetched_at=datetime(2025, 3, 4, 7, 30, 0, 999999, tzinfo=UTC),
            ),
            seen_at=datetime(2025, 3, 4, 7, 30, 0, 999999, tzinfo=UTC),
        )
    finally:
        engine.dispose()

    rows = _view_rows(database_url)
    timed = rows["https://daily.example/timed"]
    assert timed["headline"] == "Headline timed"
    assert timed["site"] == "daily"
    assert timed["published_at"] == "2025-03-01T08:00:30Z"
    assert timed["section"] == "Politics"
    assert _json_list(timed["tags"]) == ["Economy", "Parliament", "Budget"]
    assert _json_list(timed["authors"]) == ["Zoe Adams", "Jane Doe"]
    assert timed["versions"] == 0
    assert timed["first_seen_at"] == "2025-03-03T12:00:05Z"

    day_only = rows["https://daily.example/day-only"]
    assert day_only["published_at"] == "2025-02-28"
    assert _json_list(day_only["tags"]) == [] and _json_list(day_only["authors"]) == []

    changed = rows["https://daily.example/changed"]
    assert changed["versions"] == 1
    assert changed["last_changed_at"] == "2025-03-04T07:30:00Z"
    # ISO text sorts chronologically, the day-only form included
    published = [row["published_at"] for row in rows.values()]
    assert sorted(published) == ["2025-02-28", "2025-03-01T08:00:30Z", "2025-03-02T09:15:00Z"]


@pytest.mark.slow  # the PostgreSQL run needs the server; SQLite is quick but shares the test
def test_downgrade_restores_the_previous_view_and_upgrade_returns(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            config = alembic_config(connection)
            command.downgrade(config, f"{READING_VIEW_REVISION}-1")
            columns = list(connection.execute(text("SELECT * FROM articles_view")).keys())
            assert "summary" in columns and "versions" not in columns
            command.upgrade(config, "head")
            columns = list(connection.execute(text("SELECT * FROM articles_view")).keys())
            assert columns == VIEW_COLUMNS
    finally:
        engine.dispose()
