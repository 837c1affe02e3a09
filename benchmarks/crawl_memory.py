#!/usr/bin/env python3
"""Memory of a long crawl: peak RSS of the ``scrapy crawl news`` process over a large local site.

    python -m benchmarks.crawl_memory [--pages 2000] [--max-rss-mb 250] [--keep DIR]
    python -m benchmarks.crawl_memory --sitemap-heavy [--max-rss-mb 250]

A generated news site (``--pages`` articles of about 25 KB, each with JSON-LD, Open Graph,
navigation, a related-links aside and a comment form; listing pages of 50 teasers; a sitemap and a
feed) is served by the fault server on 127.0.0.1 with no faults. One crawl with the project's
settings (delays off, as in the tests) stores it into a fresh SQLite file while the crawl
process's resident set size is sampled every 0.1 s with psutil.

Prints peak and final RSS, pages fetched, articles stored, and pages per second (pages fetched
over the crawl's wall time, start-up included). Exit status 1 when the peak exceeds
``--max-rss-mb`` or when not every article was stored. The bound stated in the README is the
default of ``--max-rss-mb``.

``--sitemap-heavy``: the site is a sitemap index of 50 sitemaps × 10,000 article URLs (500,000
articles, each sitemap ~1 MB) and the crawl has the default page budget (``NEWSCRAWL_MAX_PAGES``
= 2000): the crawl reads the newest sitemaps as a stream only until its page budget is met, and
its peak RSS stays under the same bound. Exit status 1 when the peak exceeds the bound, when
the crawl failed, or when it read more than a handful of the 50 sitemaps.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

from newscrawl.storage import ArticleStore, make_engine
from tests.crawl.news_crawl import FAST_LOCAL, REPO_ROOT
from tests.faults.fault_server import Reply, Resolver, Route, running_server
from tests.faults.news_site import (
    Story,
    article_html,
    english_story,
    listing_html,
    robots_txt,
    rss_feed,
    sitemap,
)

DEFAULT_PAGES = 2000
DEFAULT_MAX_RSS_MB = 250
HEAVY_SITEMAPS = 50
HEAVY_URLS_PER_SITEMAP = 10_000
HEAVY_MAX_SITEMAPS_READ = 4  # two at a time; the budget is met within the newest one
_CHILD_RE = re.compile(r"^/sitemaps/(\d+)\.xml$")
LISTING_SIZE = 50
_ARTICLE_RE = re.compile(r"^/(\d{4})/05/03/story-(\d+)/$")
_LISTING_RE = re.compile(r"^/latest/page-(\d+)/$")
_EXTRAS = (
    '<aside class="related"><h2>Related</h2><ul>'
    + "".join(f'<li><a href="/latest/page-{n}/">More news, page {n}</a></li>' for n in range(1, 40))
    + "</ul></aside>"
    + '<section class="comments"><h2>Comments</h2><form action="/comment"><textarea></textarea>'
    + "<button>Send</button></form>"
    + "".join(f"<p>Reader comment number {n}: I agree with the council.</p>" for n in range(60))
    + "</section>"
)


def _story_path(n: int) -> str:
    return f"/2024/05/03/story-{n}/"


def _story(n: int) -> Story:
    return english_story(
        f"story-{n}", _story_path(n), f"Council story number {n} of the week", f"item {n}", seed=n
    )


def site_resolver(base: str, pages: int) -> Resolver:
    """The routes of the generated site at ``base`` with ``pages`` articles."""
    listings = (pages + LISTING_SIZE - 1) // LISTING_SIZE
    stories_for_feed = [_story(n) for n in range(min(pages, 30))]
    fixed: dict[str, Route] = {
        "/robots.txt": (Reply(200, robots_txt(base).encode(), "text/plain"),),
        "/sitemap.xml": (
            Reply(
                200,
                sitemap(base.rstrip("/") + _story_path(n) for n in range(pages)).encode(),
                "application/xml",
            ),
        ),
        "/feed.xml": (
            Reply(200, rss_feed(base, stories_for_feed).encode(), "application/rss+xml"),
        ),
        "/": (
            Reply(
                200,
                listing_html(
                    "Front page",
                    [(f"/latest/page-{n}/", f"Latest, page {n}") for n in range(1, listings + 1)],
                ).encode(),
            ),
        ),
    }

    def resolve(path: str) -> Route | None:
        if path in fixed:
            return fixed[path]
        if match := _ARTICLE_RE.match(path):
            n = int(match[2])
            if n < pages:
                page = article_html(_story(n), base, after_article=_EXTRAS)
                return (Reply(200, page.encode()),)
        if match := _LISTING_RE.match(path):
            first = (int(match[1]) - 1) * LISTING_SIZE
            last = min(pages, first + LISTING_SIZE)
            links = [(_story_path(n), f"Story {n}") for n in range(first, last)]
            return (Reply(200, listing_html("Latest", links).encode()),)
        return None

    return resolve


def sitemap_heavy_resolver(base: str) -> Resolver:
    """A site whose articles are listed only in a sitemap index of ``HEAVY_SITEMAPS`` sitemaps
    of ``HEAVY_URLS_PER_SITEMAP`` URLs each (the newest sitemap lists the newest articles)."""
    total = HEAVY_SITEMAPS * HEAVY_URLS_PER_SITEMAP
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(
            f"<sitemap><loc>{base}sitemaps/{n}.xml</loc>"
            f"<lastmod>2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T08:00:00Z</lastmod></sitemap>"
            for n in range(HEAVY_SITEMAPS)
        )
        + "</sitemapindex>"
    ).encode()
    robots = f"User-agent: *\nDisallow:\nSitemap: {base}sitemap_index.xml\n".encode()
    home = listing_html("Front page", [("/about/", "About")]).encode()

    def resolve(path: str) -> Route | None:
        if path == "/robots.txt":
            return (Reply(200, robots, "text/plain"),)
        if path == "/sitemap_index.xml":
            return (Reply(200, index, "application/xml"),)
        if path == "/":
            return (Reply(200, home),)
        if match := _CHILD_RE.match(path):
            first = int(match[1]) * HEAVY_URLS_PER_SITEMAP
            urls = (
                base.rstrip("/") + _story_path(n)
                for n in range(first, first + HEAVY_URLS_PER_SITEMAP)
            )
            return (Reply(200, sitemap(urls).encode(), "application/xml"),)
        if (match := _ARTICLE_RE.match(path)) and int(match[2]) < total:
            page = article_html(_story(int(match[2])), base, after_article=_EXTRAS)
            return (Reply(200, page.encode()),)
        return None

    return resolve


def sample_rss(process: subprocess.Popen[bytes], samples: list[int], stop: threading.Event) -> None:
    """Append the RSS of ``process`` (bytes) to ``samples`` every 0.1 s until ``stop`` is set
    or the process is gone."""
    try:
        handle = psutil.Process(process.pid)
        while not stop.is_set():
            samples.append(handle.memory_info().rss)
            stop.wait(0.1)
    except psutil.NoSuchProcess:
        return


def quarter_peaks(samples: Sequence[int]) -> list[float]:
    """The peak of each quarter of ``samples``, in MB (flat when memory is bounded)."""
    size = max(1, len(samples) // 4)
    return [max(samples[i : i + size]) / 2**20 for i in range(0, size * 4, size) if samples[i:]]


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the site, crawl it, print the figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help="articles on the site")
    parser.add_argument("--max-rss-mb", type=float, default=DEFAULT_MAX_RSS_MB)
    parser.add_argument("--keep", type=Path, help="keep the database and the log here")
    parser.add_argument(
        "--sitemap-heavy",
        action="store_true",
        help=f"a site of {HEAVY_SITEMAPS} sitemaps x {HEAVY_URLS_PER_SITEMAP:,} URLs instead",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="newscrawl-memory-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{workdir / 'news.db'}"
        log_path = workdir / "crawl.log"
        with running_server(lambda path: None) as server:
            settings = {**FAST_LOCAL, "LOG_LEVEL": "INFO"}
            command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={server.url}"]
            if args.sitemap_heavy:
                server.resolve = sitemap_heavy_resolver(server.url)  # default page budget
            else:
                server.resolve = site_resolver(server.url, args.pages)
                command += ["-a", f"max_pages={args.pages + 200}"]
            for key, value in settings.items():
                command += ["-s", f"{key}={value}"]
            env = {"NEWSCRAWL_DATABASE_URL": database_url}
            started = time.monotonic()
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    command,
                    cwd=REPO_ROOT,
                    env={**os.environ, **env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                samples: list[int] = []
                stop = threading.Event()
                sampler = threading.Thread(target=sample_rss, args=(process, samples, stop))
                sampler.start()
                returncode = process.wait()
                stop.set()
                sampler.join()
            elapsed = time.monotonic() - started
            requests = len(server.requests())
        engine = make_engine(database_url)
        try:
            store = ArticleStore(engine)
            stored = store.count_articles()
            run = store.list_runs(limit=1)[0]
        finally:
            engine.dispose()

    peak_mb = max(samples, default=0) / 2**20
    quarters = ", ".join(f"{mb:.0f}" for mb in quarter_peaks(samples))
    if args.sitemap_heavy:
        read = int(run.stats.get("newscrawl/sitemaps_parsed", 0)) - 1  # less the index
        total = HEAVY_SITEMAPS * HEAVY_URLS_PER_SITEMAP
        print(
            f"site: {HEAVY_SITEMAPS} sitemaps x {HEAVY_URLS_PER_SITEMAP:,} URLs ({total:,} "
            f"articles); crawl exit status {returncode}, run {run.status}"
        )
        print(f"sitemaps read: {read} of {HEAVY_SITEMAPS}; articles stored: {stored}")
        print(f"pages fetched: {run.pages_fetched} ({requests} requests served)")
        print(f"wall time: {elapsed:.1f} s; {run.pages_fetched / elapsed:.1f} pages/s")
        print(f"peak RSS: {peak_mb:.0f} MB; bound {args.max_rss_mb:.0f} MB")
        print(f"peak RSS by quarter of the crawl: {quarters} MB")
        ok = returncode == 0 and 0 < read <= HEAVY_MAX_SITEMAPS_READ and peak_mb <= args.max_rss_mb
        print("Result: " + ("within the bound." if ok else "FAILED."))
        return 0 if ok else 1
    print(f"site: {args.pages} articles; crawl exit status {returncode}, run {run.status}")
    print(f"pages fetched: {run.pages_fetched} ({requests} requests served)")
    print(f"articles stored: {stored}")
    print(f"wall time: {elapsed:.1f} s; {run.pages_fetched / elapsed:.1f} pages/s")
    print(f"peak RSS: {peak_mb:.0f} MB; bound {args.max_rss_mb:.0f} MB")
    print(f"peak RSS by quarter of the crawl: {quarters} MB")
    ok = returncode == 0 and stored == args.pages and peak_mb <= args.max_rss_mb
    print("Result: " + ("within the bound." if ok else "FAILED."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
