"""The scheduler dispatching crawls to real Scrapyd nodes (newscrawl.dispatch): the project
deployed with scrapyd-deploy, a node refusing jobs, a node lost mid-crawl, an orphaned run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.dispatch import node_order
from newscrawl.scheduler import CrawlScheduler, SchedulerOptions
from newscrawl.sites import load_sites
from newscrawl.storage import ArticleStore, CrawlRun, make_engine
from tests.crawl.news_crawl import FAST_LOCAL, REPO_ROOT
from tests.distributed.workers import (
    SITE,
    article_paths,
    serve_site,
    served_article_paths,
    wait_for,
    write_sites_file,
)
from tests.faults.fault_server import FaultServer, running_server
from tests.servers.scrapyd import ScrapydServer


def _scheduler(
    sites_file: Path, database_url: str, nodes: list[str]
) -> tuple[CrawlScheduler, ArticleStore]:
    options = SchedulerOptions(
        sites_file=sites_file,
        project_root=REPO_ROOT,
        lock_ttl=60,
        crawl_settings=(
            ("NEWSCRAWL_DATABASE_URL", database_url),
            *((key, str(value)) for key, value in FAST_LOCAL.items()),
        ),
        scrapyd_urls=tuple(nodes),
    )
    store = ArticleStore(make_engine(database_url))
    return CrawlScheduler(options, load_sites(sites_file).values(), store), store


def _runs(store: ArticleStore) -> list[CrawlRun]:
    return sorted(store.list_runs(SITE, limit=50), key=lambda run: run.id)


def _site(tmp_path: Path, server: FaultServer, pages: int) -> Path:
    return write_sites_file(tmp_path, server, pages, schedule='"1h"')


def test_node_order_prefers_idle_nodes_and_puts_silent_ones_last() -> None:
    loads = [("a", 2), ("b", None), ("c", 0), ("d", 2)]
    assert node_order(loads) == ["c", "a", "d", "b"]


@pytest.mark.slow
def test_a_refusing_node_is_recorded_and_the_crawl_runs_on_another(
    tmp_path: Path,
    migrated_sqlite_url: str,
    bare_scrapyd_node: ScrapydServer,
    scrapyd_node: ScrapydServer,
) -> None:
    with running_server(lambda path: None) as server:
        serve_site(server, 20)
        sites = _site(tmp_path, server, 20)
        scheduler, store = _scheduler(
            sites, migrated_sqlite_url, [bare_scrapyd_node.url, scrapyd_node.url]
        )
        assert scheduler.run_once() == 0
        served = set(served_article_paths(server))
    assert served == article_paths(20)
    (outcome,) = scheduler.outcomes
    assert outcome.status == "finished", outcome
    refused, crawl = _runs(store)
    assert refused.status == "failed"
    assert refused.error is not None
    assert f"Scrapyd node {bare_scrapyd_node.url} refused the crawl" in refused.error
    assert "newscrawl" in refused.error  # Scrapyd's reason: project not found
    assert crawl.status == "finished"
    assert crawl.articles_new == 20
    assert store.count_articles(SITE) == 20


@pytest.mark.slow
def test_a_node_lost_mid_crawl_fails_its_run_and_the_crawl_is_dispatched_again(
    tmp_path: Path,
    migrated_sqlite_url: str,
    spare_scrapyd_node: ScrapydServer,
    scrapyd_node: ScrapydServer,
) -> None:
    pages = 40
    with running_server(lambda path: None) as server:
        serve_site(server, pages, drip_seconds=0.4)
        sites = _site(tmp_path, server, pages)
        scheduler, store = _scheduler(
            sites, migrated_sqlite_url, [spare_scrapyd_node.url, scrapyd_node.url]
        )
        codes: list[int] = []
        thread = threading.Thread(target=lambda: codes.append(scheduler.run_once()))
        thread.start()
        try:
            assert wait_for(lambda: len(served_article_paths(server)) >= 5, timeout=120)
            spare_scrapyd_node.kill()  # the node and its crawl vanish
        finally:
            thread.join(timeout=300)
        served = set(served_article_paths(server))
    assert codes == [0]
    assert served == article_paths(pages)
    lost, crawl = _runs(store)
    assert lost.status == "failed"
    assert lost.error is not None and "lost" in lost.error
    assert crawl.status == "finished"
    assert store.count_articles(SITE) == pages


@pytest.mark.slow
def test_a_run_left_running_by_a_lost_scheduler_is_failed_and_the_site_dispatched_again(
    tmp_path: Path, migrated_sqlite_url: str, scrapyd_node: ScrapydServer
) -> None:
    with running_server(lambda path: None) as server:
        serve_site(server, 10)
        sites = _site(tmp_path, server, 10)
        scheduler, store = _scheduler(sites, migrated_sqlite_url, [scrapyd_node.url])
        orphan = store.start_run(SITE, 4242, "node-gone.example", datetime.now(UTC))
        assert scheduler.run_once() == 0  # not due by its start time, dispatched anyway
    runs = _runs(store)
    assert runs[0].id == orphan
    assert runs[0].status == "failed"
    assert runs[0].error is not None and "node-gone.example lost" in runs[0].error
    assert runs[1].status == "finished"
    assert store.count_articles(SITE) == 10
