"""Faults in a shared-frontier crawl: a worker killed with SIGKILL, Redis restarted mid-crawl;
and politeness totals across workers, measured from the server's request log."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as redis_client

from newscrawl.distributed import RunKeys
from newscrawl.storage import ArticleStore, make_engine
from tests.crawl.news_crawl import REPO_ROOT
from tests.distributed.workers import (
    ARTICLE_PATH,
    SITE,
    article_paths,
    read_logs,
    serve_site,
    served_article_paths,
    start_workers,
    wait_all,
    wait_for,
    write_sites_file,
)
from tests.faults.fault_server import running_server
from tests.servers.redis import RedisServer

pytestmark = pytest.mark.slow


def _stored_urls(database_url: str) -> tuple[int, list[str]]:
    from sqlalchemy import text

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            urls = [row[0] for row in connection.execute(text("SELECT url FROM articles"))]
        return ArticleStore(engine).count_articles(SITE), urls
    finally:
        engine.dispose()


def _run_statuses(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        return sorted(run.status for run in ArticleStore(engine).list_runs(SITE, limit=50))
    finally:
        engine.dispose()


def test_a_worker_killed_mid_crawl_leaves_its_requests_to_the_other(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    pages = 60
    with running_server(lambda path: None) as server:
        serve_site(server, pages, drip_seconds=0.3)
        sites = write_sites_file(tmp_path, server, pages)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}
        logs = tmp_path / "logs"
        survivor, victim = start_workers(2, sites, database_url, redis_url, logs, settings=settings)
        client = redis_client.Redis.from_url(redis_url)

        def both_have_requests_in_flight() -> bool:
            keys = list(client.scan_iter(match="*:inflight:*"))
            return len(keys) == 2 and all(client.zcard(key) > 0 for key in keys)

        # kill the victim only once it holds requests (a slow start-up must not make it idle)
        assert wait_for(both_have_requests_in_flight, timeout=120)
        client.close()
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert wait_all([survivor]) == [0], read_logs(logs)[-3000:]
        served = set(served_article_paths(server))
    log = read_logs(logs)
    # the killed worker had requests in flight; the survivor re-queued and fetched them
    requeued = [int(n) for n in re.findall(r"stopped answering: (\d+) unanswered requests", log)]
    assert requeued and requeued[0] >= 1, log[-3000:]
    assert served == article_paths(pages)
    count, urls = _stored_urls(database_url)
    assert count == pages  # nothing lost
    assert len(urls) == len(set(urls)) == pages  # nothing stored twice
    assert all(ARTICLE_PATH.match("/" + url.split("/", 3)[3]) for url in urls)


def test_a_worker_stopped_or_killed_while_queueing_leaves_no_url_seen_but_unqueued(
    redis_url: str,
) -> None:
    """Marking a URL seen and queueing it is one step: a worker frozen (SIGSTOP) or killed at
    any moment has queued every URL it marked seen (otherwise the dupefilter, shared by all
    workers, would drop that URL for good)."""
    command = [sys.executable, "-m", "tests.distributed.enqueuer", redis_url]
    worker = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE)
    client = redis_client.Redis.from_url(redis_url)
    try:
        assert worker.stdout is not None and worker.stdout.readline() == b"queueing\n"
        run = client.get(RunKeys.pointer_of(SITE))
        assert run is not None
        keys = RunKeys(SITE, run.decode())

        def seen_and_queued() -> tuple[int, int]:
            time.sleep(0.05)  # Redis answers what the worker sent before it stopped
            return client.scard(keys.dupefilter), client.zcard(keys.requests)

        for _ in range(20):
            time.sleep(0.02)
            worker.send_signal(signal.SIGSTOP)
            seen, queued = seen_and_queued()
            worker.send_signal(signal.SIGCONT)
            assert seen == queued > 0
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        seen, queued = seen_and_queued()
        assert seen == queued > 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if worker.stdout is not None:
            worker.stdout.close()
        client.close()


def test_work_taken_between_two_idle_checks_restarts_the_idle_clock(redis_url: str) -> None:
    """A worker whose frontier was empty takes a request and finishes it before its next idle
    check: it stays open for a whole idle period more, so requests that work discovers are
    not left to the other workers alone (nor the run ended under them)."""
    command = [sys.executable, "-m", "tests.distributed.idle_clock", redis_url]
    done = subprocess.run(
        command, check=False, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["empty frontier: open", "after work: open"]


def test_redis_restarted_mid_crawl_stops_the_workers_clearly_and_a_rerun_completes(
    tmp_path: Path, migrated_sqlite_url: str, redis_url: str, redis_server: RedisServer
) -> None:
    pages = 80
    with running_server(lambda path: None) as server:
        serve_site(server, pages, drip_seconds=1.0)
        sites = write_sites_file(tmp_path, server, pages)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}
        logs = tmp_path / "logs"
        workers = start_workers(2, sites, migrated_sqlite_url, redis_url, logs, settings=settings)
        assert wait_for(lambda: len(served_article_paths(server)) >= 8, timeout=120)
        redis_server.restart()  # no persistence: the frontier is gone
        wait_all(workers, timeout=120)
        log = read_logs(logs)
        assert log.count(f"Shared frontier at {redis_url} lost") == 2, log[-3000:]
        assert "run the crawl again to complete the set" in log
        assert _run_statuses(migrated_sqlite_url) == ["failed", "failed"]
        count, _urls = _stored_urls(migrated_sqlite_url)
        assert count < pages
        # the re-run starts a fresh frontier and completes the set
        serve_site(server, pages)
        rerun_logs = tmp_path / "rerun"
        rerun = start_workers(
            2, sites, migrated_sqlite_url, redis_url, rerun_logs, settings=settings
        )
        assert wait_all(rerun) == [0, 0], read_logs(rerun_logs)[-3000:]
    count, urls = _stored_urls(migrated_sqlite_url)
    assert count == pages
    assert len(urls) == len(set(urls))
    assert _run_statuses(migrated_sqlite_url) == ["failed", "failed", "finished", "finished"]


def test_the_delay_a_user_sets_is_the_total_for_the_site_across_workers(
    tmp_path: Path, migrated_sqlite_url: str, redis_url: str
) -> None:
    """DOWNLOAD_DELAY=0.3 with 2 workers: each waits 0.6 s, the site sees one request per
    0.3 s on average (per worker, it would see two)."""
    pages, delay = 40, 0.3
    with running_server(lambda path: None) as server:
        serve_site(server, pages)
        sites = write_sites_file(tmp_path, server, pages)
        settings = {
            "NEWSCRAWL_REDIS_IDLE_CLOSE": 1,
            "DOWNLOAD_DELAY": delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        }
        logs = tmp_path / "logs"
        workers = start_workers(2, sites, migrated_sqlite_url, redis_url, logs, settings=settings)
        assert wait_all(workers) == [0, 0], read_logs(logs)[-3000:]
        times = sorted(r.received_at for r in server.requests() if ARTICLE_PATH.match(r.path))
    log = read_logs(logs)
    assert log.count("'DOWNLOAD_DELAY': 0.6") == 2  # each worker's share, in Scrapy's log
    assert log.count("'CONCURRENT_REQUESTS_PER_DOMAIN': 1") == 2
    assert len(times) == pages
    mean_gap = (times[-1] - times[0]) / (len(times) - 1)
    assert mean_gap >= delay * 0.8, mean_gap  # per-worker delays would give about 0.15 s
    assert mean_gap <= delay * 2  # both workers fetched (one alone would need 0.6 s)
    count, _urls = _stored_urls(migrated_sqlite_url)
    assert count == pages
