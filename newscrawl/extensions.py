"""Scrapy extensions: the run history (one ``crawl_runs`` row per crawl)."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.database import DatabaseUnavailable, crawl_database
from newscrawl.runstats import run_counts, run_status

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newscrawl.storage import ArticleStore

logger = logging.getLogger(__name__)

_NOT_MODIFIED = "newscrawl/articles_not_modified"
# Requests a middleware chose not to send are no HTTP errors, though Scrapy's downloader stats
# count their IgnoreRequest as an exception: robots.txt disallowed, incremental skip, 304.
_NOT_ERRORS = frozenset({"IgnoreRequest", "StoredArticleSkipped", "ArticleNotModified"})


def _count(stats: dict[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


class RunHistory:
    """Records each crawl in ``crawl_runs``: started when the spider opens, finished with its
    counters and full stats when it closes. A run whose process dies is marked ``failed`` by
    the next crawl, scheduler or ``runs`` listing on the same host (``mark_dead_runs_failed``).

    ``articles_unchanged`` counts re-fetched articles whose content hash did not change plus
    those the server confirmed with ``304 Not Modified`` (the stats keep the two apart:
    ``newscrawl/articles_unchanged``, ``newscrawl/articles_not_modified``). HTTP errors leave
    out requests that were deliberately not sent (``IgnoreRequest`` and its subclasses above).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: ArticleStore | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_RUN_HISTORY", True):
            raise NotConfigured("NEWSCRAWL_RUN_HISTORY is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self.store = crawl_database(self.crawler).open()
            self.store.mark_dead_runs_failed()
            site = getattr(getattr(spider, "site", None), "name", spider.name)
            self.run_id = self.store.start_run(
                site, os.getpid(), socket.gethostname(), datetime.now(UTC)
            )
        except (DatabaseUnavailable, SQLAlchemyError) as exc:
            logger.error("run history unavailable: %(error)s", {"error": exc})
            self.store = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        from sqlalchemy.exc import SQLAlchemyError

        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        counts = run_counts(stats)
        try:
            self.store.finish_run(
                self.run_id,
                run_status(reason),
                pages_fetched=counts.pages_fetched,
                articles_new=counts.articles_new,
                articles_updated=counts.articles_updated,
                articles_unchanged=counts.articles_unchanged + _count(stats, _NOT_MODIFIED),
                articles_skipped=counts.articles_skipped,
                drops=counts.drops,
                http_errors={k: v for k, v in counts.http_errors.items() if k not in _NOT_ERRORS},
                stats=stats,
                error=None if reason == "finished" else reason,
            )
        except SQLAlchemyError as exc:
            logger.error("could not record the run: %(error)s", {"error": exc})
