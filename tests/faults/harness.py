"""Run fault scenarios: servers up, a real ``scrapy crawl news`` into a fresh SQLite file, and an
account of what was stored, duplicated and lost. Shared by the tests and the reliability report.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from newscrawl.normalization.urls import ascii_host
from newscrawl.storage import ArticleStore, CrawlRun, make_engine, migrate
from newscrawl.storage.models import ArticleRow
from tests.crawl.news_crawl import CrawlResult, run_news_crawl
from tests.faults.fault_server import RequestRecord, running_server
from tests.faults.news_site import Story
from tests.faults.scenarios import (
    Scenario,
    SiteUrls,
    local_file_page,
    offsite_site,
)

_MIGRATION_LOCK = threading.Lock()
CRAWL_TIMEOUT = 180.0  # seconds a scenario crawl may take before the harness gives up on it
# Crawls are CPU-bound (start-up, extraction): more at a time than cores only adds contention.
DEFAULT_PARALLEL = max(2, min(4, os.cpu_count() or 2))


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One stored article row."""

    url: str
    canonical_url: str
    headline: str
    body: str


@dataclass(frozen=True)
class ScenarioRun:
    """Everything one scenario crawl left behind."""

    scenario: Scenario
    urls: SiteUrls
    crawl: CrawlResult
    requests: tuple[RequestRecord, ...]  # what the site's server received
    served: frozenset[str]  # articles whose correct reply was written completely
    offsite_requests: tuple[RequestRecord, ...]
    offsite_connections: int
    rows: tuple[StoredRow, ...]
    run: CrawlRun | None  # the crawl_runs row (None if the crawl recorded none)
    seconds: float  # how long the crawl process ran
    database_url: str = ""  # the crawl's SQLite file

    def rows_of(self, story: Story) -> list[StoredRow]:
        """The rows that hold ``story``: stored at its path, or carrying its last paragraph."""
        return [row for row in self.rows if _belongs_to(row, story)]

    def requests_under(self, prefix: str) -> list[RequestRecord]:
        """Requests whose path and query start with ``prefix``."""
        return [r for r in self.requests if r.path.startswith(prefix)]


@dataclass(frozen=True, slots=True)
class Tally:
    """One line of the reliability report."""

    scenario: str
    faults: int  # faults injected
    requests: int  # inputs tried: requests the site's server received
    expected: int  # articles the server served correctly at least once
    stored: int  # of those, stored with the right headline and body
    duplicated: int  # extra rows holding an expected article
    lost: int  # expected but not stored correctly
    unexpected: int  # rows that hold no expected article
    offsite_writes: int = 0  # rows keyed (URL or canonical URL) on another site


def _belongs_to(row: StoredRow, story: Story) -> bool:
    paths = {urlsplit(row.url).path, urlsplit(row.canonical_url).path}
    return story.path in paths or story.paragraphs[-1] in row.body


def stored_correctly(row: StoredRow, story: Story) -> bool:
    """The row has the story's headline and every body snippet, decoded in its own script."""
    return row.headline == story.headline and all(s in row.body for s in story.snippets)


def tally(result: ScenarioRun) -> Tally:
    """Count expected, stored, duplicated, lost and unexpected articles of one scenario run."""
    expected = result.scenario.expected
    stored = duplicated = 0
    attributed: set[StoredRow] = set()
    for story in expected:
        rows = result.rows_of(story)
        attributed.update(rows)
        duplicated += max(0, len(rows) - 1)
        stored += any(stored_correctly(row, story) for row in rows)
    return Tally(
        scenario=result.scenario.name,
        faults=len(result.scenario.faults),
        requests=len(result.requests),
        expected=len(expected),
        stored=stored,
        duplicated=duplicated,
        lost=len(expected) - stored,
        unexpected=len([row for row in result.rows if row not in attributed]),
        offsite_writes=len(offsite_writes(result)),
    )


def offsite_writes(result: ScenarioRun) -> list[StoredRow]:
    """Rows whose URL or canonical URL is not on the crawled site's host and port: a page
    written under another site's address."""
    netloc = urlsplit(result.urls.base).netloc
    return [
        row
        for row in result.rows
        if {urlsplit(row.url).netloc, urlsplit(row.canonical_url).netloc} != {netloc}
    ]


def _read_rows(database_url: str) -> tuple[tuple[StoredRow, ...], CrawlRun | None]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(
                    ArticleRow.url, ArticleRow.canonical_url, ArticleRow.headline, ArticleRow.body
                )
            ).all()
        runs = ArticleStore(engine).list_runs(limit=1)
    finally:
        engine.dispose()
    rows = tuple(StoredRow(*row) for row in found)
    return rows, (runs[0] if runs else None)


def run_scenario(scenario: Scenario, workdir: Path) -> ScenarioRun:
    """Serve ``scenario`` (and an off-site host), crawl it into ``workdir/news.db`` (the crawl's
    output goes to ``workdir/crawl.log``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    local_file = workdir / "local-article.html"
    local_file.write_text(local_file_page(), encoding="utf-8")
    database_url = f"sqlite:///{workdir / 'news.db'}"
    with contextlib.ExitStack() as stack:
        offsite = stack.enter_context(running_server(lambda path: None))
        site = stack.enter_context(running_server(lambda path: None))
        host = ascii_host(scenario.host)  # as requested and sent in Host headers
        urls = SiteUrls(
            base=f"http://{host}:{site.port}/",
            offsite=f"http://localhost:{offsite.port}/",
            local_file=local_file.resolve().as_uri(),
        )
        offsite.resolve = offsite_site(urls).resolve
        site.resolve = scenario.build(urls).resolve
        started = time.monotonic()
        start = urls.at(scenario.start_path).replace(host, scenario.host, 1)  # the name as given
        target, settings = f"url={start}", scenario.crawl_settings()
        if scenario.site_toml is not None:
            sites_file = workdir / "sites.toml"
            sites_file.write_text(
                f"[sites.fault]\nstart_urls = [{start!r}]\n{scenario.site_toml(urls)}\n",
                encoding="utf-8",
            )
            target, settings = "site=fault", {**settings, "NEWSCRAWL_SITES_FILE": str(sites_file)}
        if scenario.prepare_database is not None:
            with _MIGRATION_LOCK:  # Alembic's command API is not thread-safe
                migrate(database_url)
            if (held := scenario.prepare_database(database_url, urls)) is not None:
                stack.enter_context(held)  # e.g. a lock another connection holds a while
        crawl = run_news_crawl(
            [target, *scenario.spider_args],
            database_url,
            settings=settings,
            env=scenario.env,
            timeout=CRAWL_TIMEOUT,
        )
        seconds = time.monotonic() - started
        (workdir / "crawl.log").write_text(crawl.log, encoding="utf-8")
        requests, served = tuple(site.requests()), frozenset(site.served_articles())
        offsite_requests, offsite_connections = tuple(offsite.requests()), offsite.connections()
    rows, run = _read_rows(database_url)
    return ScenarioRun(
        scenario=scenario,
        urls=urls,
        crawl=crawl,
        requests=requests,
        served=served,
        offsite_requests=offsite_requests,
        offsite_connections=offsite_connections,
        rows=rows,
        run=run,
        seconds=seconds,
        database_url=database_url,
    )


def run_scenarios(
    scenarios: Sequence[Scenario], workdir: Path, *, parallel: int = DEFAULT_PARALLEL
) -> dict[str, ScenarioRun]:
    """Run every scenario (``parallel`` crawls at a time), each in ``workdir/<name>``."""
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {s.name: pool.submit(run_scenario, s, workdir / s.name) for s in scenarios}
        return {name: future.result() for name, future in futures.items()}


def error_statuses(requests: Iterable[RequestRecord]) -> Counter[str]:
    """HTTP statuses >= 400 the server answered, by status, as the run history counts them."""
    return Counter(str(r.status) for r in requests if r.status is not None and r.status >= 400)
