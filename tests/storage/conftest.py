"""Fixtures for storage tests: real SQLite files under tmp_path, migrated by Alembic."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
FETCHED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(migrated_sqlite_url: str) -> Path:
    """Path of a fresh SQLite database migrated to head."""
    return Path(migrated_sqlite_url.removeprefix("sqlite:///"))


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> ArticleStore:
    return ArticleStore(engine)


@pytest.fixture
def raw_db(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the same file, for checking what is really stored."""
    connection = sqlite3.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Build an ``Article`` for ``slug`` with sensible defaults; keyword arguments override."""

    def build(slug: str = "budget-vote", **overrides: Any) -> Article:
        fields: dict[str, Any] = {
            "url": f"https://news.example/{slug}?utm_source=feed",
            "canonical_url": f"https://news.example/{slug}",
            "site": "example_news",
            "headline": f"Headline of {slug}",
            "body": f"The parliament debated the {slug} until late at night.",
            "fetched_at": FETCHED_AT,
            "summary": "A short summary.",
            "published": datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
            "published_raw": "2025-03-01T08:00:00Z",
            "published_source": "jsonld",
            "section": "Politics",
            "tags": ("Economy", "Parliament"),
            "authors": ("Jane Doe",),
            "language": "en",
            "image": "https://news.example/img/1.jpg",
            "sources": {"headline": "jsonld", "body": "trafilatura"},
            "etag": '"v1"',
            "last_modified": "Sat, 01 Mar 2025 08:00:00 GMT",
        }
        fields.update(overrides)
        return Article(**fields)

    return build


def count_rows(connection: sqlite3.Connection, table: str) -> int:
    """Number of rows in ``table`` (a fixed table name from the test itself)."""
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def count() -> Callable[[sqlite3.Connection, str], int]:
    return count_rows
