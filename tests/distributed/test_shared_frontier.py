"""Workers sharing a Redis frontier (newscrawl.distributed): real crawls, real Redis, real
SQLite files; each scrapy-redis pitfall of infra-notes section 3 has a test here."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from newscrawl.distributed import KEY_PREFIX
from newscrawl.storage import ArticleStore, make_engine
from tests.distributed.workers import (
    SITE,
    article_paths,
    read_logs,
    serve_site,
    served_article_paths,
    start_workers,
    wait_all,
    write_sites_file,
)
from tests.faults.fault_server import running_server

pytestmark = pytest.mark.slow

PAGES = 120


def _store_counts(database_url: str) -> tuple[int, list[tuple[str, int]]]:
    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        runs = [(run.status, run.pages_fetched) for run in store.list_runs(SITE, limit=50)]
        return store.count_articles(SITE), runs
    finally:
        engine.dispose()


def _keys(redis_url: str) -> list[str]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        return sorted(str(k) for k in client.keys(f"{KEY_PREFIX}:*"))
    finally:
        client.close()


def test_two_workers_share_the_site_store_every_article_once_and_clean_up(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    with running_server(lambda path: None) as server:
        serve_site(server, PAGES)
        sites = write_sites_file(tmp_path, server, PAGES)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": 2}
        workers = start_workers(
            2, sites, database_url, redis_url, tmp_path / "logs", settings=settings
        )
        codes = wait_all(workers)
        served = served_article_paths(server)
    log = read_logs(tmp_path / "logs")
    assert codes == [0, 0], log[-3000:]
    # pitfall 1: no worker flushed the shared queue or dupefilter while the other one crawled,
    # so no article was fetched twice and none was left out
    assert Counter(served).most_common(1)[0][1] == 1
    assert set(served) == article_paths(PAGES)
    stored, runs = _store_counts(database_url)
    assert stored == PAGES
    # each worker recorded its run, and both did part of the work
    assert [status for status, _ in runs] == ["finished", "finished"]
    assert all(pages > 10 for _, pages in runs), runs
    # pitfall 3: exactly one worker seeded the start requests
    assert log.count("seeds the run") == 1
    assert log.count("joined the run") == 1
    # pitfall 4: no deprecated StatsCollector call (scrapy-redis's own scheduler makes one)
    assert "Passing a 'spider' argument" not in log
    # the last worker to leave deleted the run's keys (queue, dupefilter, workers, pointer)
    assert _keys(redis_url) == []


def test_a_recurring_crawl_starts_from_a_fresh_frontier(
    tmp_path: Path, migrated_sqlite_url: str, redis_url: str
) -> None:
    """Pitfall 5: a persistent dupefilter would let run 2 fetch only its start pages."""
    with running_server(lambda path: None) as server:
        serve_site(server, 40)
        sites = write_sites_file(tmp_path, server, 40)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": 1, "NEWSCRAWL_INCREMENTAL": "0"}
        for round_ in range(2):
            logs = tmp_path / f"logs-{round_}"
            workers = start_workers(
                2, sites, migrated_sqlite_url, redis_url, logs, settings=settings
            )
            assert wait_all(workers) == [0, 0], read_logs(logs)[-3000:]
        served = Counter(served_article_paths(server))
    assert set(served) == article_paths(40)
    assert set(served.values()) == {2}  # every article fetched once per round, in both rounds
    stored, runs = _store_counts(migrated_sqlite_url)
    assert stored == 40
    assert [status for status, _ in runs] == ["finished"] * 4


def test_a_worker_waits_for_the_whole_frontier_not_its_own_queue(
    tmp_path: Path, migrated_sqlite_url: str, redis_url: str
) -> None:
    """Pitfall 2: a worker whose own work ran out keeps going while the other worker's slow
    pages are in flight (they may still lead to more pages), and stops by itself once the whole
    frontier has been empty for NEWSCRAWL_REDIS_IDLE_CLOSE seconds."""
    idle_close = 2.0
    with running_server(lambda path: None) as server:
        serve_site(server, 30, drip_seconds=0.4)
        sites = write_sites_file(tmp_path, server, 30)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": idle_close, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
        workers = start_workers(
            2, sites, migrated_sqlite_url, redis_url, tmp_path / "logs", settings=settings
        )
        started = time.monotonic()
        ends: list[float] = []
        for worker in workers:
            worker.wait(timeout=180)
            ends.append(time.monotonic())
        last_request = max(r.received_at for r in server.requests())
        served = served_article_paths(server)
    log = read_logs(tmp_path / "logs")
    assert [w.returncode for w in workers] == [0, 0], log[-3000:]
    assert set(served) == article_paths(30)
    # neither worker left before the crawl was over, and both left on their own soon after
    for end in ends:
        assert end >= last_request + idle_close * 0.9
        assert end - last_request < idle_close + 15
    assert ends[0] - started > 30 * 0.4 / 4  # the crawl did take a while
    stored, _runs = _store_counts(migrated_sqlite_url)
    assert stored == 30


def test_idle_close_zero_keeps_a_worker_running_until_it_is_stopped(
    tmp_path: Path, migrated_sqlite_url: str, redis_url: str
) -> None:
    with running_server(lambda path: None) as server:
        serve_site(server, 10)
        sites = write_sites_file(tmp_path, server, 10)
        settings = {"NEWSCRAWL_REDIS_IDLE_CLOSE": 0}
        (worker,) = start_workers(
            1, sites, migrated_sqlite_url, redis_url, tmp_path / "logs", settings=settings
        )
        try:
            deadline = time.monotonic() + 60
            while len(set(served_article_paths(server))) < 10 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(3)
            assert worker.poll() is None  # all done, frontier empty, still running
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    stored, runs = _store_counts(migrated_sqlite_url)
    assert stored == 10
    assert [status for status, _ in runs] == ["killed"]
