"""A crawl killed with SIGKILL part-way leaves no partial article and no duplicate; the next run
records the dead run as failed and completes the set. Real crawl processes, a real SQLite file
and a real PostgreSQL database."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from recurring_helpers import (
    REPO_ROOT,
    RecordingServer,
    child_env,
    crawl_command,
    recording_server,
    run_crawl,
    wait_for,
)
from sqlalchemy import func, select, text
from sqlalchemy import table as sql_table
from sqlalchemy.exc import OperationalError, ProgrammingError

from newscrawl.demo import SITE_DIR
from newscrawl.storage import ArticleStore, make_engine
from tests.conftest import DATABASES

pytestmark = pytest.mark.slow

FIXTURE = json.loads((REPO_ROOT / "tests" / "fixtures" / "demo_pages.json").read_text("utf-8"))
ARTICLES: dict[str, dict[str, Any]] = {
    p["path"]: p for p in FIXTURE["pages"] if p["kind"] == "article"
}
HELD = "/2024/11/21/kizza-besigye-detained-in-uganda-after-alleged-kidnapping-in-kenya/"
SOME_STORED = 5


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with recording_server(SITE_DIR) as demo:
        yield demo


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new SQLite file (the crawl creates and migrates it), or a PostgreSQL database at head."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'news.db'}"
    return str(request.getfixturevalue("postgres_url"))


def count_rows(database_url: str, table: str) -> int:
    """Rows of ``table`` (0 when the database does not exist or is not migrated yet)."""
    if database_url.startswith("sqlite") and not Path(database_url[len("sqlite:///") :]).exists():
        return 0
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(sql_table(table))).scalar_one()
            )
    except (OperationalError, ProgrammingError):  # not migrated yet
        return 0
    finally:
        engine.dispose()


def check_consistency(database_url: str, base: str) -> list[str]:
    """Integrity of the database and of every stored article; returns the stored article paths.

    A SQLite file must pass ``integrity_check`` and ``foreign_key_check`` (PostgreSQL always
    enforces its foreign keys)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        if database_url.startswith("sqlite"):
            assert connection.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        canonical = list(connection.execute(text("SELECT canonical_url FROM articles")).scalars())
        assert len(canonical) == len(set(canonical))  # no duplicate
        orphans = connection.execute(
            text(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_urls u"
                " WHERE u.article_id = a.id AND u.url = a.canonical_url)"
            )
        ).scalar_one()
        assert orphans == 0
    try:
        store = ArticleStore(engine)
        paths = []
        for url in canonical:
            path = url.removeprefix(base)
            expected = ARTICLES[path]
            article = store.get(url)
            assert article is not None
            # all of an article or nothing: its names and text are complete
            assert list(article.tags) == expected["tags"], path
            assert list(article.authors) == expected["authors"], path
            assert article.body.startswith(expected["body_first"]), path
            assert article.body.endswith(expected["body_last"]), path
            paths.append(path)
        return paths
    finally:
        engine.dispose()


def test_sigkill_mid_crawl_then_resume(database_url: str, server: RecordingServer) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    assert HELD in ARTICLES
    held = server.gate(HELD)  # the crawl cannot finish before the test kills it

    def stored() -> int:
        return count_rows(database_url, "articles")

    crawl = subprocess.Popen(
        crawl_command([f"url={base}/"], {"LOG_LEVEL": "WARNING"}),
        cwd=REPO_ROOT,
        env=child_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: stored() >= SOME_STORED, f"{SOME_STORED} stored articles")
        crawl.send_signal(signal.SIGKILL)
        assert crawl.wait(timeout=30) == -signal.SIGKILL
    finally:
        held.set()
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()

    before = check_consistency(database_url, base)
    assert SOME_STORED <= len(before) < len(ARTICLES)
    assert HELD not in before

    resumed = run_crawl([f"url={base}/"], database_url, {"LOG_LEVEL": "INFO"})
    assert resumed.returncode == 0, resumed.log[-3000:]
    after = check_consistency(database_url, base)
    assert sorted(after) == sorted(ARTICLES)

    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        second, first = store.list_runs(limit=2)
        assert first.status == "failed"  # marked by the next crawl: its process is gone
        assert first.error is not None and "ended without finishing the run" in first.error
        assert second.status == "finished"
        assert second.articles_new == len(ARTICLES) - len(before)
        assert second.articles_updated == 0
        # the articles stored before the kill were not downloaded again
        assert second.articles_skipped + second.articles_unchanged >= len(before)
        assert count_rows(database_url, "article_versions") == 0
    finally:
        engine.dispose()
