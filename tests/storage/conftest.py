"""Fixtures for storage tests: real databases migrated by Alembic, each test run twice through
``database_url``: on a SQLite file under tmp_path and on a real PostgreSQL server."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, make_url

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
FETCHED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_url(database_url: str) -> str:
    """URL of a fresh database at head: a SQLite file, and (second run) a PostgreSQL database."""
    return database_url


@pytest.fixture
def db_path(migrated_sqlite_url: str) -> Path:
    """Path of a fresh SQLite database migrated to head (for SQLite-only tests)."""
    return Path(migrated_sqlite_url.removeprefix("sqlite:///"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(db_path: Path) -> Iterator[Engine]:
    """An engine on :func:`db_path` (SQLite-only tests: pragmas, file locks)."""
    engine = make_engine(f"sqlite:///{db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> ArticleStore:
    return ArticleStore(engine)


class RawDatabase:
    """A plain DB-API connection (sqlite3, or psycopg in autocommit) to the test database, for
    checking what is really stored; statements use ``?`` placeholders on both."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        self.connection: Any
        if self.backend == "sqlite":
            self.connection = sqlite3.connect(str(parsed.database))
        else:
            import psycopg

            self.connection = psycopg.connect(
                host=parsed.host,
                port=parsed.port,
                user=parsed.username,
                dbname=parsed.database,
                autocommit=True,
            )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run ``sql`` and return the cursor."""
        if self.backend != "sqlite":
            sql = sql.replace("?", "%s")
        return self.connection.execute(sql, params)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def raw_db(db_url: str) -> Iterator[RawDatabase]:
    """A raw connection to the same database as :func:`store`."""
    connection = RawDatabase(db_url)
    yield connection
    connection.close()


def full_text_ids(engine: Engine, search: str) -> set[int]:
    """Ids of the articles the database's own full-text index (FTS5 or tsvector) finds."""
    from newscrawl.archive import Archive

    mode = "fts5" if engine.dialect.name == "sqlite" else "tsvector"
    archive = Archive(engine, full_text=mode)
    return {article.id for article in archive.articles(search=search)}


def check_full_text_index(raw: RawDatabase | sqlite3.Connection) -> None:
    """SQLite: FTS5's integrity check (raises when the index and the table disagree).
    PostgreSQL's index is a generated column, always in step with its row."""
    if isinstance(raw, sqlite3.Connection) or raw.backend == "sqlite":
        raw.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


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


def count_rows(connection: RawDatabase | sqlite3.Connection, table: str) -> int:
    """Number of rows in ``table`` (a fixed table name from the test itself)."""
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def count() -> Callable[[Any, str], int]:
    return count_rows
