"""Crash safety: crawls killed with SIGKILL while they write leave a consistent database, and
the next crawl completes the set without duplicates.

A generated site of many articles is served on 127.0.0.1; a real ``scrapy crawl`` writes into
a real SQLite file (and, in a second run, a PostgreSQL database) and is killed three times at
different points while articles are being stored. After every kill the file passes ``PRAGMA
integrity_check`` (PostgreSQL: its foreign keys always hold), and every stored article is
whole: body, tag, author and URL rows, a content hash equal to the one recomputed from its
stored fields and to the one of a fresh extraction of its page.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_sites import (
    ServedSite,
    build_site,
    check_database,
    crawl_command,
    database_url_of,
    no_lock_errors,
    run,
    start,
    stored_count,
    wait_for,
)

from newscrawl.demo.server import DemoServer, running_server
from newscrawl.sites import ad_hoc_site_name
from newscrawl.storage import ArticleStore, make_engine
from tests.conftest import DATABASES

pytestmark = pytest.mark.slow

ARTICLES = 150
KILL_AT = (15, 55, 95)  # kill each crawl once this many articles are stored in all


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, DemoServer]]:
    root = tmp_path / "site"
    root.mkdir()
    with running_server(root) as server:
        yield root, server


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new SQLite file's path (the first crawl creates and migrates it), or the URL of a
    PostgreSQL database at head (crawls never migrate a server database)."""
    if request.param == "sqlite":
        return tmp_path / "news.db"
    return str(request.getfixturevalue("postgres_url"))


def test_sigkill_while_writing_leaves_whole_articles_and_the_next_run_completes(
    tmp_path: Path, site: tuple[Path, DemoServer], database: Path | str
) -> None:
    root, server = site
    articles = build_site(root, "harbourside", ARTICLES)
    base = server.url.rstrip("/")
    site_name = ad_hoc_site_name(base)  # 127.0.0.1:PORT
    db_path = database
    database_url = database_url_of(database)
    spider_args = [f"url={base}/", "max_pages=0"]
    stored_before: list[int] = []
    for round_number, kill_at in enumerate(KILL_AT):
        log = tmp_path / f"crawl-{round_number}.log"
        crawl = start(crawl_command(spider_args, {"LOG_LEVEL": "INFO"}), database_url, log)
        try:
            wait_for(lambda at=kill_at: stored_count(db_path) >= at, f"{kill_at} stored articles")
            crawl.send_signal(signal.SIGKILL)
            assert crawl.wait(timeout=30) == -signal.SIGKILL
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
        no_lock_errors(log.read_text(encoding="utf-8"))
        stored = check_database(db_path, {site_name: ServedSite(base, root, articles)})[site_name]
        assert kill_at <= len(stored) < ARTICLES, "the kill came after the crawl had finished"
        assert not stored_before or len(stored) > stored_before[-1]  # it resumed, then died
        stored_before.append(len(stored))

    finished = run(crawl_command(spider_args, {"LOG_LEVEL": "INFO"}), database_url)
    assert finished.returncode == 0, finished.stderr[-3000:]
    no_lock_errors(finished.stdout, finished.stderr)
    stored = check_database(db_path, {site_name: ServedSite(base, root, articles)})[site_name]
    assert stored == {article.path for article in articles}

    engine = make_engine(database_url)
    try:
        runs = ArticleStore(engine).list_runs(limit=10)
    finally:
        engine.dispose()
    assert [r.status for r in runs] == ["finished", "failed", "failed", "failed"]
    assert runs[0].articles_new == ARTICLES - stored_before[-1]
    assert runs[0].articles_updated == 0


def test_a_crawl_killed_before_it_stored_anything_leaves_a_usable_file(
    tmp_path: Path, site: tuple[Path, DemoServer]
) -> None:
    """Killed while it migrates or opens the file: the next crawl still starts cleanly. SQLite
    only: it is about the file a crawl creates (a server database is never created by a crawl)."""
    root, server = site
    articles = build_site(root, "quayside", 12)
    base = server.url.rstrip("/")
    db_path = tmp_path / "news.db"
    database_url = f"sqlite:///{db_path}"
    crawl = start(crawl_command([f"url={base}/"]), database_url, tmp_path / "crawl.log")
    wait_for(db_path.exists, "the database file")
    crawl.send_signal(signal.SIGKILL)
    crawl.wait(timeout=30)
    finished = run(crawl_command([f"url={base}/"], {"LOG_LEVEL": "INFO"}), database_url)
    assert finished.returncode == 0, finished.stderr[-3000:]
    site_name = ad_hoc_site_name(base)  # 127.0.0.1:PORT
    stored = check_database(db_path, {site_name: ServedSite(base, root, articles)})[site_name]
    assert stored == {article.path for article in articles}
