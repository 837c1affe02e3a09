"""Honest outcomes of real crawls (issue 13 item 4, issue 14 findings 5 and 11): a crawl that
fetched nothing, whose start pages all failed or whose writes failed exits non-zero and is
recorded ``failed`` with the reason in one line; ``schedule --once`` and ``stats`` say so; a
database locked at start does not lose the run's row; a crawl stops at its time limit, and the
scheduler stops one that does not; ``scrapy shell`` and ``scrapy check`` record no run.

Every crawl is a real ``scrapy crawl news`` process against the fault server on 127.0.0.1, into
a real SQLite file.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.storage import ArticleStore, CrawlRun, make_engine
from tests.crawl.news_crawl import REPO_ROOT, CrawlResult, run_news_crawl
from tests.faults.fault_server import Action, Reply, running_server
from tests.faults.news_site import article_html, english_story, listing_html

pytestmark = pytest.mark.slow

QUICK = {"RETRY_TIMES": 0, "DOWNLOAD_TIMEOUT": 10, "LOG_LEVEL": "INFO"}
STORY = english_story(
    "outcome", "/2024/05/03/outcome-story/", "Harbour crane lifts last beam", "the harbour crane"
)


def runs_of(database_url: str) -> list[CrawlRun]:
    engine = make_engine(database_url)
    try:
        return ArticleStore(engine).list_runs(limit=50)
    finally:
        engine.dispose()


def articles_in(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        return ArticleStore(engine).count_articles()
    finally:
        engine.dispose()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_routes(base: str, *, home: Reply | None = None) -> dict[str, tuple[Reply, ...]]:
    return {
        "/": (home or Reply(200, listing_html("Front", [(STORY.path, STORY.headline)]).encode()),),
        STORY.path: (Reply(200, article_html(STORY, base).encode()),),
        "/robots.txt": (Reply(200, b"User-agent: *\nDisallow:\n", "text/plain"),),
    }


def assert_failed_in_one_line(crawl: CrawlResult, run: CrawlRun, reason: str) -> None:
    assert crawl.returncode != 0, crawl.log[-2000:]
    assert run.status == "failed"
    assert run.error is not None and reason in run.error and "\n" not in run.error
    assert f"Crawl failed: {run.error}" in crawl.log


# --- crawls that lost everything ----------------------------------------------------------------


def test_an_unreachable_site_fails_with_one_line_per_error(migrated_sqlite_url: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    crawl = run_news_crawl([f"url={url}"], migrated_sqlite_url, settings={"RETRY_TIMES": 1})
    (run,) = runs_of(migrated_sqlite_url)
    assert_failed_in_one_line(crawl, run, "fetched nothing")
    assert "DownloadConnectionRefusedError" in run.error  # type: ignore[operator]
    assert "Traceback" not in crawl.log
    failures = [
        line
        for line in crawl.log.splitlines()
        if "Error downloading" in line or "Gave up retrying" in line
    ]
    assert failures and all("] WARNING: " in line for line in failures), failures


def test_at_debug_the_tracebacks_are_kept(migrated_sqlite_url: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    crawl = run_news_crawl(
        [f"url={url}"], migrated_sqlite_url, settings={"RETRY_TIMES": 0, "LOG_LEVEL": "DEBUG"}
    )
    assert crawl.returncode != 0
    assert "Traceback" in crawl.log


def test_a_site_answering_only_errors_fails(migrated_sqlite_url: str) -> None:
    with running_server(lambda path: (Reply(503, b"<html>busy</html>"),)) as server:
        crawl = run_news_crawl([f"url={server.url}"], migrated_sqlite_url, settings=QUICK)
    (run,) = runs_of(migrated_sqlite_url)
    assert_failed_in_one_line(crawl, run, "fetched nothing")
    assert "503" in run.error  # type: ignore[operator]


def test_a_crawl_whose_start_pages_all_failed_fails(migrated_sqlite_url: str) -> None:
    with running_server(lambda path: None) as server:
        routes = site_routes(server.url, home=Reply(500, b"<html>oops</html>"))
        server.resolve = routes.get
        crawl = run_news_crawl([f"url={server.url}"], migrated_sqlite_url, settings=QUICK)
    (run,) = runs_of(migrated_sqlite_url)
    assert_failed_in_one_line(crawl, run, "all 1 start pages failed")


def test_a_healthy_crawl_still_exits_zero(migrated_sqlite_url: str) -> None:
    with running_server(lambda path: None) as server:
        server.resolve = site_routes(server.url).get
        crawl = run_news_crawl([f"url={server.url}"], migrated_sqlite_url, settings=QUICK)
    (run,) = runs_of(migrated_sqlite_url)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert (run.status, run.error, run.articles_new) == ("finished", None, 1)


def disk_full(database_url: str) -> None:
    """Make every article write fail as a full disk would (a real SQLite error, no mock)."""
    path = database_url.removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON articles "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        connection.commit()


def test_failed_writes_fail_the_run_schedule_once_and_stats(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    disk_full(migrated_sqlite_url)
    env = {**os.environ, "NEWSCRAWL_DATABASE_URL": migrated_sqlite_url}
    with running_server(lambda path: None) as server:
        server.resolve = site_routes(server.url).get
        sites = tmp_path / "sites.toml"
        sites.write_text(
            f'[sites.full]\nstart_urls = ["{server.url}"]\nschedule = "1h"\n', encoding="utf-8"
        )
        settings = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "RETRY_TIMES=0"]
        schedule = subprocess.run(
            [sys.executable, "-m", "newscrawl", "schedule", "--once", "--sites", str(sites)]
            + [arg for pair in settings for arg in ("-s", pair)],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
    assert schedule.returncode == 1, schedule.stderr[-3000:]
    assert "1 failed" in schedule.stderr
    (run,) = runs_of(migrated_sqlite_url)
    assert run.status == "failed"
    assert run.error == "1 of 1 article writes failed"
    assert run.drops.get("StoreFailed") == 1
    stats = subprocess.run(
        [sys.executable, "-m", "newscrawl", "stats"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "! last run failed: 1 of 1 article writes failed" in stats.stdout, stats.stdout


# --- a database locked at start -------------------------------------------------------------------


@contextlib.contextmanager
def write_lock_held(database_url: str) -> Iterator[threading.Event]:
    """Another connection holds SQLite's write lock until the yielded event is set."""
    path = database_url.removeprefix("sqlite:///")
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE crawl_locks SET holder = holder")
            taken.set()
            release.wait(120)
            connection.execute("COMMIT")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    try:
        yield release
    finally:
        release.set()
        thread.join()


def test_a_write_lock_held_at_start_does_not_lose_the_run(migrated_sqlite_url: str) -> None:
    # Scaled down: a 1 s busy timeout; the lock is held from before the crawl starts until the
    # site gets its first request (robots.txt, sent after the run history gave up waiting).
    with running_server(lambda path: None) as server:
        routes = site_routes(server.url)
        home = routes["/"][0]
        # The front page drips for ~6 s, so the article is stored after the lock is gone.
        routes["/"] = (
            Reply(home.status, home.body, action=Action.DRIP, drip_bytes=len(home.body) // 12 + 1,
                  drip_interval=0.5),
        )  # fmt: skip
        with write_lock_held(migrated_sqlite_url) as release:

            def resolve(path: str) -> tuple[Reply, ...] | None:
                release.set()
                return routes.get(path)

            server.resolve = resolve
            crawl = run_news_crawl(
                [f"url={server.url}"],
                migrated_sqlite_url,
                settings=QUICK,
                env={"NEWSCRAWL_SQLITE_BUSY_TIMEOUT": "1"},
            )
    assert "database busy at start" in crawl.log
    runs = runs_of(migrated_sqlite_url)
    assert len(runs) == 1, crawl.log[-3000:]
    assert (runs[0].status, runs[0].articles_new) == ("finished", 1)
    assert crawl.returncode == 0
    assert articles_in(migrated_sqlite_url) == 1


# --- time limits ----------------------------------------------------------------------------------


def test_a_crawl_stops_at_its_time_limit(migrated_sqlite_url: str, tmp_path: Path) -> None:
    with running_server(lambda path: None) as server:
        slow = [(f"/2024/05/03/slow-{n}/", f"Slow story {n}") for n in range(40)]
        page = Reply(200, article_html(STORY, server.url).encode())
        dripping = Reply(200, page.body, action=Action.DRIP, drip_bytes=64, drip_interval=0.2)
        routes = site_routes(server.url, home=Reply(200, listing_html("Front", slow).encode()))
        server.resolve = lambda path: routes.get(path) or (dripping,)
        sites = tmp_path / "sites.toml"
        sites.write_text(
            f'[sites.slow]\nstart_urls = ["{server.url}"]\ntime_limit = "3s"\n', encoding="utf-8"
        )
        started = time.monotonic()
        crawl = run_news_crawl(
            ["site=slow"],
            migrated_sqlite_url,
            settings={**QUICK, "NEWSCRAWL_SITES_FILE": str(sites), "CONCURRENT_REQUESTS": 2},
        )
        seconds = time.monotonic() - started
    (run,) = runs_of(migrated_sqlite_url)
    assert run.status == "finished" and run.error is not None and "time limit" in run.error
    assert run.stats["finish_reason"] == "closespider_timeout"
    assert crawl.returncode == 0
    assert seconds < 60  # 40 pages dripping for ~10 s each, two at a time, would take 200 s


def test_the_scheduler_stops_a_crawl_over_its_time_limit(tmp_path: Path) -> None:
    from newscrawl.scheduler import CrawlRunner, SchedulerOptions
    from newscrawl.sites import parse_sites

    stubborn = tmp_path / "stubborn.py"
    stubborn.write_text(
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(120)\n",
        encoding="utf-8",
    )
    python = tmp_path / "python"  # stands in for the crawl: ignores SIGTERM, never ends
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{stubborn}"\n', encoding="utf-8")
    python.chmod(0o755)
    site = parse_sites(
        {"sites": {"stuck": {"start_urls": ["http://127.0.0.1:9/"], "time_limit": "1s"}}}
    )["stuck"]
    engine = make_engine(f"sqlite:///{tmp_path / 'news.db'}")
    from newscrawl.storage import ensure_schema

    ensure_schema(engine)
    store = ArticleStore(engine)
    options = SchedulerOptions(
        sites_file=tmp_path / "sites.toml",
        project_root=tmp_path,
        python=str(python),
        kill_after=1.0,
        time_limit_slack=1.0,
    )
    runner = CrawlRunner(options, store, stop=threading.Event(), hurry=threading.Event())
    started = time.monotonic()
    try:
        outcome = runner.run(site)
        (run,) = store.list_runs()
    finally:
        engine.dispose()
    assert time.monotonic() - started < 20
    assert outcome.status == "failed" and "time limit of 1 s" in outcome.detail
    assert run.status == "failed" and run.error is not None and "time limit" in run.error


# --- Scrapy's tools record no run -----------------------------------------------------------------


def scrapy(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "NEWSCRAWL_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scrapy_shell_and_check_record_no_crawl_run(migrated_sqlite_url: str) -> None:
    with running_server(lambda path: None) as server:
        server.resolve = site_routes(server.url).get
        shell = scrapy(
            "shell", server.url, "-c", "response.status", database_url=migrated_sqlite_url
        )
        assert shell.returncode == 0, shell.stderr[-2000:]
        assert "200" in shell.stdout
        check = scrapy("check", database_url=migrated_sqlite_url)
    assert check.returncode == 0, check.stderr[-2000:]
    assert runs_of(migrated_sqlite_url) == []
