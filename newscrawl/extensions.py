"""Scrapy extensions: the run history (one ``crawl_runs`` row per crawl), one-line network
errors in the log, and the live progress line."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.database import DatabaseUnavailable, crawl_database
from newscrawl.logs import install_expected_error_filter, remove_expected_error_filter
from newscrawl.runstats import NOT_ERRORS, run_counts, run_verdict

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from twisted.internet.task import LoopingCall

    from newscrawl.logs import ExpectedErrorFilter
    from newscrawl.storage import ArticleStore

logger = logging.getLogger(__name__)

_NOT_MODIFIED = "newscrawl/articles_not_modified"
RETRY_PAUSE = 1.0  # seconds between attempts to write a run row the database refused


def _count(stats: dict[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


class RunHistory:
    """Records each crawl in ``crawl_runs``: started when the spider opens, finished with its
    counters, full stats and verdict (:func:`newscrawl.runstats.run_verdict`: a crawl that
    fetched nothing, whose start pages all failed or whose writes failed is ``failed``, with
    the reason) when it closes. A run whose process dies is marked ``failed`` by the next
    crawl, scheduler or ``runs`` listing on the same host (``mark_dead_runs_failed``).

    A database too busy to take the ``running`` row at start (another writer holds the lock
    past the busy timeout) does not lose the run: the row is written when the crawl ends,
    retried for up to ``NEWSCRAWL_RUN_HISTORY_WAIT`` seconds.

    Only crawls are recorded: a spider without a site (``scrapy shell``'s default spider)
    records nothing, and ``scrapy shell``/``check``/``parse`` switch the history off
    (``newscrawl.scrapy_commands``).

    ``articles_unchanged`` counts re-fetched articles whose content hash did not change plus
    those the server confirmed with ``304 Not Modified`` (the stats keep the two apart:
    ``newscrawl/articles_unchanged``, ``newscrawl/articles_not_modified``). HTTP errors leave
    out requests that were deliberately not sent (``IgnoreRequest`` and its subclasses).
    """

    def __init__(self, crawler: Crawler, *, wait: float, max_store_error_rate: float) -> None:
        self.crawler = crawler
        self.wait = wait
        self.max_store_error_rate = max_store_error_rate
        self.store: ArticleStore | None = None
        self.run_id: int | None = None
        self.site: str | None = None
        self.started_at: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_RUN_HISTORY", True):
            raise NotConfigured("NEWSCRAWL_RUN_HISTORY is off")
        extension = cls(
            crawler,
            wait=settings.getfloat("NEWSCRAWL_RUN_HISTORY_WAIT", 300.0),
            max_store_error_rate=settings.getfloat("NEWSCRAWL_MAX_STORE_ERROR_RATE", 0.1),
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        site = getattr(spider, "site", None)
        if site is None:  # not a news crawl (scrapy shell's DefaultSpider, another spider)
            return
        self.site = str(getattr(site, "name", spider.name))
        self.started_at = datetime.now(UTC)
        try:
            self.store = crawl_database(self.crawler).open()
        except DatabaseUnavailable as exc:
            logger.error("run history unavailable: %(error)s", {"error": exc})
            return
        try:
            self.store.mark_dead_runs_failed()
            self.run_id = self._start_run()
        except SQLAlchemyError as exc:
            logger.warning(
                "run history: database busy at start (%(error)s); the run is recorded when the "
                "crawl ends",
                {"error": _first_line(exc)},
            )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None or self.site is None:
            return
        from sqlalchemy.exc import SQLAlchemyError

        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        counts = run_counts(stats)
        verdict = run_verdict(stats, reason, max_store_error_rate=self.max_store_error_rate)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                if self.run_id is None:
                    self.run_id = self._start_run()
                self.store.finish_run(
                    self.run_id,
                    verdict.status,
                    pages_fetched=counts.pages_fetched,
                    articles_new=counts.articles_new,
                    articles_updated=counts.articles_updated,
                    articles_unchanged=counts.articles_unchanged + _count(stats, _NOT_MODIFIED),
                    articles_skipped=counts.articles_skipped,
                    drops=counts.drops,
                    http_errors={
                        k: v for k, v in counts.http_errors.items() if k not in NOT_ERRORS
                    },
                    stats=stats,
                    error=verdict.error,
                )
                break
            except SQLAlchemyError as exc:
                if time.monotonic() >= deadline:
                    logger.error("could not record the run: %(error)s", {"error": exc})
                    return
                logger.warning(
                    "run history: database busy (%(error)s); trying again",
                    {"error": _first_line(exc)},
                )
                time.sleep(RETRY_PAUSE)
        if not verdict.ok:
            logger.error(
                "Run #%(id)s of %(site)s %(status)s: %(error)s",
                {"id": self.run_id, "site": self.site, "status": verdict.status,
                 "error": verdict.error},
            )  # fmt: skip

    def _start_run(self) -> int:
        assert self.store is not None and self.site is not None and self.started_at is not None
        return self.store.start_run(self.site, os.getpid(), socket.gethostname(), self.started_at)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class QuietNetworkErrors:
    """Log expected network errors (connection refused, DNS failure, timeout, reset) as one
    WARNING line each instead of an ERROR with tracebacks; at ``LOG_LEVEL = DEBUG`` the
    tracebacks stay (:class:`newscrawl.logs.ExpectedErrorFilter`)."""

    def __init__(self, keep_tracebacks: bool) -> None:
        self.filter: ExpectedErrorFilter = install_expected_error_filter(keep_tracebacks)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        level = str(crawler.settings.get("LOG_LEVEL", "DEBUG")).upper()
        extension = cls(keep_tracebacks=level in ("DEBUG", "10"))
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        remove_expected_error_filter(self.filter)


class CrawlProgress:
    """A live status line on stderr (``NEWSCRAWL_PROGRESS``; ``newscrawl crawl`` turns it on on
    a terminal), redrawn every second from the crawl's stats (:mod:`newscrawl.progress`)."""

    INTERVAL = 1.0

    def __init__(self, crawler: Crawler) -> None:
        from newscrawl.progress import ProgressSnapshot

        self.crawler = crawler
        self.previous: ProgressSnapshot | None = None
        self.task: LoopingCall | None = None
        self.site = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_PROGRESS", False):
            raise NotConfigured("NEWSCRAWL_PROGRESS is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        from twisted.internet.task import LoopingCall

        self.site = str(getattr(getattr(spider, "site", None), "name", spider.name))
        self.task = LoopingCall(self.draw)
        self.task.start(self.INTERVAL, now=True)

    def draw(self, final: bool = False) -> None:
        """Redraw the line (and end it with a newline when ``final``)."""
        import sys

        from newscrawl.progress import progress_line, progress_snapshot

        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        current = progress_snapshot(stats)
        line = progress_line(current, self.previous, self.INTERVAL)
        self.previous = current
        sys.stderr.write(f"\r\x1b[K{self.site}: {line}" + ("\n" if final else ""))
        sys.stderr.flush()

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.draw(final=True)
