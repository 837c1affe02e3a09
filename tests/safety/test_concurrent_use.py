"""One database, used by everything at once: a crawl, the scheduler crawling another site, the
query commands in a loop and the Python API in a loop. Nobody sees "database is locked", nothing
is lost, every query succeeds and every article a query returns is whole.

On SQLite the two crawls start together on a file that does not exist yet, so they also race to
create and migrate it; on PostgreSQL they share a database brought to head beforehand. The
readers start as soon as it has its first article and run until both crawls have ended.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Self

import pytest
from safety_sites import (
    FAST_LOCAL,
    ServedSite,
    build_site,
    check_database,
    crawl_command,
    database_url_of,
    newscrawl_command,
    no_lock_errors,
    run,
    settings_args,
    start,
    stored_count,
    wait_for,
)

from newscrawl.archive import open_archive
from newscrawl.demo.server import DemoServer, running_server
from newscrawl.sites import ad_hoc_site_name
from tests.conftest import DATABASES

pytestmark = pytest.mark.slow

CRAWLED = 120  # articles of the site crawled directly
SCHEDULED = 60  # articles of the site the scheduler crawls
FINISH_LIMIT = 300  # seconds: a guard against a hung process, not a timing


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[tuple[Path, DemoServer], tuple[Path, DemoServer]]]:
    with ExitStack() as stack:
        served = []
        for name in ("crawled", "scheduled"):
            root = tmp_path / name
            root.mkdir()
            served.append((root, stack.enter_context(running_server(root))))
        yield served[0], served[1]


class Readers:
    """Query loops on background threads; they collect every failure and count successes."""

    def __init__(self, database_url: str, logs: Path) -> None:
        self.database_url = database_url
        self.logs = logs
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.cli_runs = 0
        self.api_reads = 0
        self.articles_seen: set[str] = set()
        self.totals: list[int] = []  # article counts the API saw, in order
        self._threads = [
            threading.Thread(target=self._cli_loop, daemon=True),
            threading.Thread(target=self._api_loop, daemon=True),
        ]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=FINISH_LIMIT)

    def _cli_loop(self) -> None:
        commands = (
            ("query", "--format", "json", "--limit", "50"),
            ("query", "--count"),
            ("query", "--search", "harbour", "--format", "jsonl", "--limit", "20"),
            ("query", "--tag", "Harbour", "--format", "csv"),
            ("stats", "--format", "json"),
            ("export", "--format", "csv", "-o", str(self.logs / "export.csv")),
            ("show", "1", "--format", "json"),
        )
        while not self.stop.is_set():
            for args in commands:
                done = run(newscrawl_command(*args), self.database_url, timeout=FINISH_LIMIT)
                self.cli_runs += 1
                output = done.stdout + done.stderr
                if done.returncode != 0 or "is locked" in output or "Traceback" in output:
                    self.failures.append(f"{' '.join(args)} -> {done.returncode}: {output[-2000:]}")
                elif args[:3] == ("query", "--format", "json"):
                    for record in json.loads(done.stdout):
                        if not (record["body"] and record["tags"] and record["authors"]):
                            self.failures.append(f"partial article in query: {record['url']}")

    def _api_loop(self) -> None:
        while not self.stop.is_set():
            try:
                with open_archive(self.database_url) as archive:
                    total = archive.count()
                    self.totals.append(total)
                    listed = list(archive.articles(limit=200))
                    found = list(archive.articles(search="storm", limit=20))
                    archive.stats()
                for article in [*listed, *found]:
                    if not (article.body and article.tags and article.authors):
                        self.failures.append(f"partial article via the API: {article.url}")
                    self.articles_seen.add(article.canonical_url)
                if len(listed) < min(total, 200):  # articles are only ever added
                    self.failures.append(f"listed {len(listed)} of {total}")
                self.api_reads += 1
            except Exception as exc:  # noqa: BLE001 -- every failure is collected and reported
                self.failures.append(f"API: {type(exc).__name__}: {exc}")


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A SQLite file's path (not created yet), or the URL of a PostgreSQL database at head."""
    if request.param == "sqlite":
        return tmp_path / "news.db"
    return str(request.getfixturevalue("postgres_url"))


def test_crawl_scheduler_and_queries_share_one_database(
    tmp_path: Path,
    servers: tuple[tuple[Path, DemoServer], tuple[Path, DemoServer]],
    database: Path | str,
) -> None:
    (crawled_root, crawled_server), (scheduled_root, scheduled_server) = servers
    crawled = build_site(crawled_root, "crawled", CRAWLED)
    scheduled = build_site(scheduled_root, "scheduled", SCHEDULED)
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[sites.riverside]\nstart_urls = ["{scheduled_server.url}"]\nschedule = "1h"\n'
        "max_pages = 0\ndiscover_sitemaps = false\ndiscover_feeds = false\n",
        encoding="utf-8",
    )
    db_path = database
    database_url = database_url_of(database)
    crawl_log, scheduler_log = tmp_path / "crawl.log", tmp_path / "schedule.log"
    crawl = start(
        crawl_command([f"url={crawled_server.url}", "max_pages=0"], {"LOG_LEVEL": "INFO"}),
        database_url,
        crawl_log,
    )
    schedule_settings = settings_args({**FAST_LOCAL, "LOG_LEVEL": "INFO"})
    scheduler = start(
        newscrawl_command("schedule", "--once", "--sites", str(sites_file), *schedule_settings),
        database_url,
        scheduler_log,
    )
    try:
        wait_for(lambda: stored_count(db_path) > 0, "the first stored article")
        with Readers(database_url, tmp_path) as readers:
            assert crawl.wait(timeout=FINISH_LIMIT) == 0, crawl_log.read_text("utf-8")[-3000:]
            assert scheduler.wait(timeout=FINISH_LIMIT) == 0, scheduler_log.read_text("utf-8")
            wait_for(lambda: readers.api_reads >= 3 and readers.cli_runs >= 7, "a few reads")
    finally:
        for process in (crawl, scheduler):
            if process.poll() is None:
                process.kill()
                process.wait()

    logs = [crawl_log.read_text("utf-8"), scheduler_log.read_text("utf-8")]
    no_lock_errors(*logs, *readers.failures)
    assert readers.failures == []
    # the readers really read while the crawls wrote: they saw the archive grow
    assert readers.totals[0] < CRAWLED + SCHEDULED
    assert readers.totals == sorted(readers.totals)
    assert len(set(readers.totals)) >= 3
    crawled_site = ad_hoc_site_name(crawled_server.url)  # 127.0.0.1:PORT
    stored = check_database(
        db_path,
        {
            crawled_site: ServedSite(crawled_server.url.rstrip("/"), crawled_root, crawled),
            "riverside": ServedSite(scheduled_server.url.rstrip("/"), scheduled_root, scheduled),
        },
    )
    assert stored[crawled_site] == {article.path for article in crawled}
    assert stored["riverside"] == {article.path for article in scheduled}
