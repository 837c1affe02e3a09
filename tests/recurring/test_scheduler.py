"""``python -m newscrawl schedule``: real scheduler processes starting real crawl processes.

The demo site is served by a RecordingServer (the demo server plus a request log and gates), so
a test can hold a crawl in the middle of its run for as long as it needs (no sleeps, no timing
assumptions) and check from the server's side which crawls really happened.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from recurring_helpers import (
    RecordingServer,
    recording_server,
    run_newscrawl,
    start_newscrawl,
    wait_for,
)

from newscrawl.demo import SITE_DIR
from newscrawl.storage import ArticleStore, CrawlRun, make_engine

pytestmark = pytest.mark.slow

# Every crawl a scheduler starts gets these settings (`schedule -s KEY=VALUE`).
CRAWL_SETTINGS = (
    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
)  # fmt: skip


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with recording_server(SITE_DIR) as demo:
        yield demo


@pytest.fixture
def database(database_url: str) -> Iterator[tuple[str, ArticleStore]]:
    """A fresh database at head (SQLite, then PostgreSQL) and a store on it."""
    url = database_url
    engine = make_engine(url)
    yield url, ArticleStore(engine)
    engine.dispose()


def sites_file(tmp_path: Path, server: RecordingServer, **sites: str) -> Path:
    """A sites file with one small site per keyword: name = start path on the server."""
    base = f"http://127.0.0.1:{server.server_port}"
    text = "".join(
        f'[sites.{name}]\nstart_urls = ["{base}{path}"]\nschedule = "1h"\nmax_pages = 4\n'
        "discover_sitemaps = false\ndiscover_feeds = false\n\n"
        for name, path in sites.items()
    )
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def runs_of(store: ArticleStore, site: str) -> list[CrawlRun]:
    return store.list_runs(site=site, limit=100)


def test_once_runs_a_due_site_and_a_second_scheduler_does_not_start_it_again(
    tmp_path: Path, server: RecordingServer, database: tuple[str, ArticleStore]
) -> None:
    url, store = database
    sites = sites_file(tmp_path, server, demo="/")
    home = server.gate("/")  # the crawl waits at its start page until released
    first = start_newscrawl(
        url, "schedule", "--once", "--sites", str(sites), *CRAWL_SETTINGS, log=tmp_path / "1.log",
        NEWSCRAWL_LOCK_TTL="3",
    )  # fmt: skip
    try:
        wait_for(lambda: "/" in server.paths(), "the first crawl to request its start page")
        taken = store.lock_holder("crawl:demo")
        assert taken is not None
        # While the crawl runs, its scheduler renews the lease (every third of the TTL).
        wait_for(
            lambda: (
                (lease := store.lock_holder("crawl:demo")) is not None
                and lease.holder == taken.holder
                and lease.expires_at > taken.expires_at
            ),
            "the lease to be renewed",
        )
        second = run_newscrawl(url, "schedule", "--once", "--sites", str(sites), *CRAWL_SETTINGS)
        assert second.returncode == 0, second.log
        assert "Site demo: not started, a crawl of it is already running" in second.log
        assert "lease crawl:demo held by" in second.log
        assert "starting crawl" not in second.log
    finally:
        home.set()
        assert first.wait(timeout=120) == 0, (tmp_path / "1.log").read_text()
    first_log = (tmp_path / "1.log").read_text()
    assert "Site demo: crawl finished (run #" in first_log
    assert server.paths().count("/robots.txt") == 1  # one crawl reached the server, not two
    [run] = runs_of(store, "demo")
    assert run.status == "finished"
    assert run.articles_new >= 1
    assert store.lock_holder("crawl:demo") is None  # the lease was released

    again = run_newscrawl(url, "schedule", "--once", "--sites", str(sites), *CRAWL_SETTINGS)
    assert again.returncode == 0, again.log
    assert "Site demo: not due (last run #" in again.log
    assert len(runs_of(store, "demo")) == 1


def test_a_crash_is_recorded_and_the_other_sites_still_run(
    tmp_path: Path, server: RecordingServer, database: tuple[str, ArticleStore]
) -> None:
    url, store = database
    sites = sites_file(tmp_path, server, crashy="/about/", steady="/")
    about = server.gate("/about/")
    scheduler = start_newscrawl(
        url, "schedule", "--once", "--sites", str(sites), *CRAWL_SETTINGS, log=tmp_path / "s.log"
    )
    try:
        wait_for(lambda: "/about/" in server.paths(), "the crashy crawl to reach its gate")
        [running] = wait_for(lambda: runs_of(store, "crashy"), "the crashy run row")
        assert running.status == "running"
        os.kill(running.pid, signal.SIGKILL)  # the crawl dies without closing its run
    finally:
        about.set()
        returncode = scheduler.wait(timeout=120)
    log = (tmp_path / "s.log").read_text()
    assert returncode == 1, log  # a crawl failed
    assert "Site crashy: crawl failed" in log
    [crashed] = runs_of(store, "crashy")
    assert crashed.status == "failed"
    assert crashed.error is not None and "ended without finishing the run" in crashed.error
    [steady] = runs_of(store, "steady")
    assert steady.status == "finished"
    assert "Site steady: crawl finished" in log


def test_a_crawl_that_dies_before_recording_a_run_gets_a_failed_run(
    tmp_path: Path, server: RecordingServer, database: tuple[str, ArticleStore]
) -> None:
    url, store = database
    sites = sites_file(tmp_path, server, broken="/")
    # The crawl is pointed at a sites file without the site: it exits at start-up.
    result = run_newscrawl(
        url, "schedule", "--once", "--sites", str(sites), "-s",
        f"NEWSCRAWL_SITES_FILE={tmp_path / 'missing.toml'}",
    )  # fmt: skip
    assert result.returncode == 1, result.log
    [run] = runs_of(store, "broken")
    assert run.status == "failed"
    assert run.error is not None and "exit status 1 before recording its run" in run.error
    assert "Site broken: crawl failed" in result.log
    assert server.paths() == []


def test_an_invalid_sites_file_stops_everything_before_it_runs(
    tmp_path: Path, server: RecordingServer, database: tuple[str, ArticleStore]
) -> None:
    url, store = database
    sites = sites_file(tmp_path, server, good="/")
    sites.write_text(
        sites.read_text() + '[sites.bad]\nstart_urls = ["http://127.0.0.1/"]\nschedule = "soon"\n'
    )
    result = run_newscrawl(url, "schedule", "--once", "--sites", str(sites))
    assert result.returncode == 2
    assert "site 'bad', key 'schedule'" in result.log
    assert "'soon'" in result.log
    assert store.list_runs() == []
    assert server.paths() == []


def test_sigterm_gives_running_crawls_a_grace_period_then_stops_them_as_killed(
    tmp_path: Path, server: RecordingServer, database: tuple[str, ArticleStore]
) -> None:
    url, store = database
    sites = sites_file(tmp_path, server, held="/")
    home = server.gate("/")
    log = tmp_path / "scheduler.log"
    scheduler = start_newscrawl(
        url, "schedule", "--sites", str(sites), *CRAWL_SETTINGS, log=log,
        NEWSCRAWL_SCHEDULER_GRACE="1", NEWSCRAWL_SCHEDULER_KILL_AFTER="60",
    )  # fmt: skip
    try:
        wait_for(lambda: "/" in server.paths(), "the scheduled crawl to start")
        wait_for(lambda: runs_of(store, "held"), "the crawl's run row")
        scheduler.send_signal(signal.SIGTERM)
        # The crawl cannot finish while its start page is held: after the grace period the
        # scheduler stops it with SIGTERM; then the page is let through.
        wait_for(lambda: "stopping the crawl (SIGTERM" in log.read_text(), "the crawl's SIGTERM")
    finally:
        home.set()
        try:
            returncode = scheduler.wait(timeout=120)
        except subprocess.TimeoutExpired:
            scheduler.kill()
            raise
    text = log.read_text()
    assert returncode == 0, text
    assert "SIGTERM: starting no new crawls; running crawls get 1 s to finish" in text
    assert "Scheduler stopped" in text
    [run] = runs_of(store, "held")
    assert run.status == "killed"
    assert run.error == "shutdown"
    assert store.lock_holder("crawl:held") is None
