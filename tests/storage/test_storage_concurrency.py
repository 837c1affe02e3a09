"""Several processes on one database (a SQLite file, and PostgreSQL): saves, schema migration
and lease locks.

Workers are forked (``multiprocessing`` "fork" context) so they need no importable test module;
each opens its own engine, and a barrier lines them up so their work really overlaps.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, ensure_schema, make_engine, schema_status
from tests.conftest import DATABASES
from tests.storage.conftest import RawDatabase, check_full_text_index, full_text_ids

ARTICLE_COUNT = 200
SAFETY_TIMEOUT = 120  # seconds; only guards against a hung worker, nothing is timed
FETCHED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def build_articles() -> list[Article]:
    """The same 200 articles in every worker; tag and author names collide across articles."""
    return [
        Article(
            url=f"https://news.example/story/{n}?from=feed",
            canonical_url=f"https://news.example/story/{n}",
            site="example_news",
            headline=f"Story number {n}",
            body=f"Body of story {n}, with the word zebra{n % 10} in it.",
            fetched_at=FETCHED_AT,
            published=FETCHED_AT - timedelta(hours=n),
            tags=(f"Topic {n % 7}", f"TOPIC {(n + 1) % 7}"),
            authors=(f"Author {n % 5}",),
        )
        for n in range(ARTICLE_COUNT)
    ]


def _save_all(db_url: str, barrier: Any) -> dict[str, str]:
    engine = make_engine(db_url)
    try:
        store = ArticleStore(engine)
        articles = build_articles()
        barrier.wait(SAFETY_TIMEOUT)
        return {article.canonical_url: store.save(article).outcome for article in articles}
    finally:
        engine.dispose()


def _ensure_schema(db_url: str, barrier: Any) -> str | None:
    engine = make_engine(db_url)
    try:
        barrier.wait(SAFETY_TIMEOUT)
        ensure_schema(engine)
        return schema_status(engine).current
    finally:
        engine.dispose()


def _try_lock(db_url: str, barrier: Any, holder: str) -> bool:
    engine = make_engine(db_url)
    try:
        store = ArticleStore(engine)
        barrier.wait(SAFETY_TIMEOUT)
        return store.try_lock("crawl:example_news", holder, timedelta(minutes=10))
    finally:
        engine.dispose()


def _worker(task: Callable[..., Any], args: tuple[Any, ...], results: Any) -> None:
    try:
        results.put(("ok", task(*args)))
    except Exception as exc:  # noqa: BLE001 - any failure is reported to the parent and asserted
        results.put(("error", repr(exc)))


def run_in_processes(task: Callable[..., Any], arg_lists: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``task(*args, barrier)`` in one process per args tuple, all released together."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(arg_lists))
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(task, (args[0], barrier, *args[1:]), results))
        for args in arg_lists
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=SAFETY_TIMEOUT) for _ in processes]
    for process in processes:
        process.join(SAFETY_TIMEOUT)
        assert process.exitcode == 0
    errors = [detail for status, detail in outcomes if status == "error"]
    assert errors == []
    return [detail for _, detail in outcomes]


def test_two_processes_save_the_same_articles(db_url, raw_db, engine, count):
    per_process = run_in_processes(_save_all, [(db_url,), (db_url,)])
    assert count(raw_db, "articles") == ARTICLE_COUNT
    assert count(raw_db, "article_urls") == 2 * ARTICLE_COUNT
    assert count(raw_db, "tags") == 7
    assert count(raw_db, "authors") == 5
    assert count(raw_db, "article_tags") == 2 * ARTICLE_COUNT
    assert count(raw_db, "article_versions") == 0
    check_full_text_index(raw_db)
    assert len(full_text_ids(engine, "zebra3")) == ARTICLE_COUNT // 10
    for url in per_process[0]:
        assert sorted([per_process[0][url], per_process[1][url]]) == ["new", "unchanged"]


@pytest.fixture(params=DATABASES)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database (never migrated): a new SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return str(request.getfixturevalue("postgres_url_factory")(migrated=False))


def test_processes_racing_to_migrate_a_fresh_database_all_succeed(fresh_url: str):
    revisions = run_in_processes(_ensure_schema, [(fresh_url,)] * 3)
    assert len(set(revisions)) == 1
    assert revisions[0] is not None
    raw = RawDatabase(fresh_url)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revisions[0],)
        ]
    finally:
        raw.close()


def test_only_one_process_gets_a_contended_lock(db_url):
    holders = [(db_url, f"worker-{n}") for n in range(4)]
    assert sorted(run_in_processes(_try_lock, holders)) == [False, False, False, True]
