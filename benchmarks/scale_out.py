#!/usr/bin/env python3
"""Scale-out: crawl rate with 1 and 2 workers sharing a Redis frontier, into SQLite and PostgreSQL.

    python -m benchmarks.scale_out [--pages 5000] [--databases sqlite,postgresql] [--keep DIR]

The memory benchmark's generated news site (benchmarks/crawl_memory.py: ``--pages`` articles,
listing pages, sitemap, feed; replies rendered once and cached) is served on 127.0.0.1. For each
database and each worker count, a fresh database migrated to head and an empty Redis get one
shared-frontier crawl (``scrapy crawl news -a site=gazette`` × N, ``NEWSCRAWL_REDIS_URL`` set,
the project's settings with delays off as in the tests, ``NEWSCRAWL_REDIS_IDLE_CLOSE=1``). The
ceiling is :func:`newscrawl.page.process_page` alone over the same article pages, in this one
process.

Per crawl it prints: pages/s (every response served, first request to last) and articles/s
(articles stored over the same span); peak RSS per worker, and each worker's peak RSS while the
site served its first and its last thousand pages; duplicates (article pages fetched more than
once, rows beyond distinct URLs) and losses (articles not stored). Redis is a redis-server and
PostgreSQL a PostgreSQL 15 cluster started in a temporary directory (initdb as ``postgres`` when
run as root), both stopped at the end.

Targets (README, "Scaling out"): 2 workers ≥ 1.7× one worker; one worker ≥ 80% of the pure
extraction rate; memory per worker within 10% between the first and last thousand pages;
0 duplicates and 0 losses. Exit status 1 when duplicates or losses are not 0 (the rate targets
are reported, not enforced: they depend on the machine's other load).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks.crawl_memory import _story_path, site_resolver
from newscrawl.items import FetchedPage
from newscrawl.page import process_page
from newscrawl.storage import ArticleStore, make_engine, migrate
from tests.crawl.news_crawl import FAST_LOCAL, REPO_ROOT
from tests.faults.fault_server import FaultServer, running_server
from tests.servers.redis import RedisServer

DEFAULT_PAGES = 5000
SITE = "gazette"
THOUSAND = 1000


@dataclass
class Sample:
    """One worker's RSS (bytes) when the site had served ``served`` responses."""

    served: int
    rss: int
    cpu: float  # user + system seconds so far


@dataclass
class CrawlFigures:
    database: str
    workers: int
    seconds: float
    pages: int
    articles: int
    peaks_mb: list[float]
    first_mb: list[float]
    last_mb: list[float]
    duplicate_fetches: int
    duplicate_rows: int
    losses: int
    cpu_seconds: list[float] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    @property
    def articles_per_cpu_s(self) -> float:
        """Articles stored per CPU-second of all workers (independent of the machine's load)."""
        return self.articles / sum(self.cpu_seconds)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def memory_growth(self) -> float:
        """The largest last/first-thousand ratio over the workers, minus 1."""
        return max(
            last / first - 1 for first, last in zip(self.first_mb, self.last_mb, strict=True)
        )


def extraction_rate(server: FaultServer, pages: int) -> tuple[float, float]:
    """Articles per second (wall, and per CPU-second) of ``process_page`` alone over the site's
    article pages (the bytes the server sends)."""
    bodies = []
    for n in range(pages):
        route = server.resolve(_story_path(n))
        assert route is not None
        bodies.append((server.url.rstrip("/") + _story_path(n), route[0].body))
    now = datetime.now(UTC)
    started, cpu_started = time.perf_counter(), time.process_time()
    for url, body in bodies:
        page = FetchedPage(
            url=url, body=body, site=SITE, fetched_at=now, content_type="text/html; charset=utf-8"
        )
        process_page(page)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return pages / wall, pages / cpu


def serve(server: FaultServer, pages: int) -> None:
    """Serve the site; every reply is rendered once (the server is not the bottleneck)."""
    server.resolve = functools.lru_cache(maxsize=None)(site_resolver(server.url, pages))


def write_sites(directory: Path, server: FaultServer, pages: int) -> Path:
    path = directory / "sites.toml"
    path.write_text(
        f'[sites.{SITE}]\nstart_urls = ["{server.url}"]\nmax_pages = {pages + 500}\nmax_depth = 3\n'
    )
    return path


def sample(
    processes: Sequence[subprocess.Popen[bytes]],
    server: FaultServer,
    samples: list[list[Sample]],
    stop: threading.Event,
) -> None:
    """Record each worker's RSS and the site's served count every 0.2 s until ``stop``."""
    handles = [psutil.Process(p.pid) for p in processes]
    while not stop.is_set():
        served = len(server.requests())
        for handle, series in zip(handles, samples, strict=True):
            try:
                times = handle.cpu_times()
                series.append(Sample(served, handle.memory_info().rss, times.user + times.system))
            except psutil.NoSuchProcess:
                continue
        stop.wait(0.2)


def window_peak(series: Sequence[Sample], low: int, high: int) -> float:
    """Peak RSS (MB) while the served count was in [low, high)."""
    values = [s.rss for s in series if low <= s.served < high]
    return max(values, default=0) / 2**20


def crawl(
    database: str,
    database_url: str,
    workers: int,
    server: FaultServer,
    redis: RedisServer,
    sites_file: Path,
    pages: int,
    logs: Path,
) -> CrawlFigures:
    """One shared-frontier crawl of the site with ``workers`` workers."""
    import redis as redis_client

    client = redis_client.Redis.from_url(redis.url)
    client.flushall()
    client.close()
    before = len(server.requests())
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={SITE}"]
    settings = {
        **FAST_LOCAL,
        "NEWSCRAWL_SITES_FILE": str(sites_file),
        "NEWSCRAWL_REDIS_IDLE_CLOSE": 1,
        "LOG_LEVEL": "INFO",
    }
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = {
        **os.environ,
        "NEWSCRAWL_DATABASE_URL": database_url,
        "NEWSCRAWL_REDIS_URL": redis.url,
        "NEWSCRAWL_REDIS_WORKERS": str(workers),
    }
    logs.mkdir(parents=True, exist_ok=True)
    processes = []
    for n in range(workers):
        with (logs / f"{database}-{workers}w-{n}.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                )
            )
    samples: list[list[Sample]] = [[] for _ in processes]
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(processes, server, samples, stop))
    sampler.start()
    for process in processes:
        process.wait()
    stop.set()
    sampler.join()
    records = server.requests()[before:]
    times = [r.received_at for r in records]
    seconds = max(times) - min(times)
    article_fetches = Counter(r.path for r in records if "/story-" in r.path)
    served_total = len(records)
    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        stored = store.count_articles(SITE)
        statuses = [run.status for run in store.list_runs(SITE, limit=10)]
        from sqlalchemy import text

        with engine.connect() as connection:
            rows, distinct = connection.execute(
                text("SELECT count(*), count(DISTINCT url) FROM articles")
            ).one()
    finally:
        engine.dispose()
    return CrawlFigures(
        database=database,
        workers=workers,
        seconds=seconds,
        pages=served_total,
        articles=stored,
        peaks_mb=[max((s.rss for s in series), default=0) / 2**20 for series in samples],
        first_mb=[window_peak(series, before, before + THOUSAND) for series in samples],
        last_mb=[
            window_peak(series, before + served_total - THOUSAND, before + served_total + 1)
            for series in samples
        ],
        duplicate_fetches=sum(n - 1 for n in article_fetches.values()),
        duplicate_rows=int(rows) - int(distinct),
        losses=pages - stored,
        cpu_seconds=[series[-1].cpu if series else 0.0 for series in samples],
        statuses=statuses,
    )


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL 15 cluster (tests/servers/postgres.py) with one empty database."""
    from tests.servers import postgres

    bin_dir = postgres.find_pg_bin()
    if bin_dir is None:
        raise SystemExit("PostgreSQL 15 is not installed (no initdb)")
    server = postgres._start(bin_dir)
    try:
        yield server.url(server.create_database(prefix="bench"))
    finally:
        postgres._stop(server)


def fresh_url(database: str, directory: Path, pg_server_url: str | None, round_: int) -> str:
    """A fresh database at head for one crawl."""
    if database == "sqlite":
        url = f"sqlite:///{directory / f'bench-{round_}.db'}"
    else:
        assert pg_server_url is not None
        import psycopg

        base = pg_server_url.replace("postgresql+psycopg://", "postgresql://")
        name = f"bench_round_{round_}"
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    return url


def print_table(ceiling: tuple[float, float], results: Sequence[CrawlFigures]) -> None:
    """The Markdown table of the README (and the load figure it was measured under)."""
    wall, per_cpu = ceiling
    print()
    print(
        f"pure extraction (process_page alone, one process): {wall:.1f} articles/s "
        f"({per_cpu:.1f} per CPU-second); load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    print()
    print(
        "| database | workers | pages/s | articles/s | vs 1 worker | vs extraction "
        "| articles per CPU-s (vs extraction) | peak RSS per worker (MB) "
        "| RSS first → last 1000 pages (MB) | dup. fetches / rows | losses |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for figures in results:
        single = next(r for r in results if r.database == figures.database and r.workers == 1)
        memory = ", ".join(
            f"{a:.0f} → {b:.0f}" for a, b in zip(figures.first_mb, figures.last_mb, strict=True)
        )
        print(
            f"| {figures.database} | {figures.workers} | {figures.pages_per_s:.1f} "
            f"| {figures.articles_per_s:.1f} "
            f"| {figures.articles_per_s / single.articles_per_s:.2f}× "
            f"| {figures.articles_per_s / wall:.0%} "
            f"| {figures.articles_per_cpu_s:.1f} ({figures.articles_per_cpu_s / per_cpu:.0%}) "
            f"| {', '.join(f'{mb:.0f}' for mb in figures.peaks_mb)} | {memory} "
            f"({figures.memory_growth:+.0%}) | {figures.duplicate_fetches} / "
            f"{figures.duplicate_rows} | {figures.losses} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run every crawl, print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help="articles on the site")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2", help="worker counts to run")
    parser.add_argument("--keep", type=Path, help="keep databases and logs here")
    args = parser.parse_args(argv)
    redis_binary = shutil.which("redis-server")
    if redis_binary is None:
        raise SystemExit("redis-server is not installed")
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    counts = [int(n) for n in args.workers.split(",")]
    results: list[CrawlFigures] = []
    with tempfile.TemporaryDirectory(prefix="newscrawl-scale-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        redis = RedisServer(redis_binary, workdir)
        redis.start()
        try:
            with running_server(lambda path: None) as server:
                serve(server, args.pages)
                ceiling = extraction_rate(server, args.pages)
                print(f"extraction ceiling: {ceiling[0]:.1f} articles/s", flush=True)
                sites_file = write_sites(workdir, server, args.pages)
                round_ = 0
                for database in databases:
                    with _database_server(database) as pg_url:
                        for workers in counts:
                            round_ += 1
                            url = fresh_url(database, workdir, pg_url, round_)
                            figures = crawl(
                                database,
                                url,
                                workers,
                                server,
                                redis,
                                sites_file,
                                args.pages,
                                workdir / "logs",
                            )
                            results.append(figures)
                            print(
                                f"{database}, {workers} worker(s): {figures.pages_per_s:.1f} "
                                f"pages/s, {figures.articles_per_s:.1f} articles/s, runs "
                                f"{figures.statuses}",
                                flush=True,
                            )
        finally:
            redis.stop()
    print_table(ceiling, results)
    ok = all(r.duplicate_rows == 0 and r.duplicate_fetches == 0 and r.losses == 0 for r in results)
    print("Result: " + ("no duplicates, no losses." if ok else "FAILED: duplicates or losses."))
    return 0 if ok else 1


@contextmanager
def _database_server(database: str) -> Iterator[str | None]:
    if database == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        yield None


if __name__ == "__main__":
    sys.exit(main())
