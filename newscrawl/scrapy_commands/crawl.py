"""``scrapy crawl``: Scrapy's command, with an exit status that tells whether the run failed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawl.runstats import DEFAULT_MAX_STORE_ERROR_RATE, run_verdict

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def crawl_exit_status(crawler: Crawler) -> int:
    """0 when the crawler's run is ``finished`` (:func:`newscrawl.runstats.run_verdict`), else 1
    (after logging the reason in one line). For any runner of the news spider."""
    if crawler.stats is None:
        return 1
    stats = crawler.stats.get_stats()
    if not stats.get("finish_reason"):
        return 1  # the crawl never ran to its end (bootstrap failed)
    verdict = run_verdict(
        stats,
        max_store_error_rate=crawler.settings.getfloat(
            "NEWSCRAWL_MAX_STORE_ERROR_RATE", DEFAULT_MAX_STORE_ERROR_RATE
        ),
    )
    if verdict.ok:
        return 0
    logger.error("Crawl %s: %s", verdict.status, verdict.error)
    return 1


class Command(ScrapyCrawlCommand):
    """``scrapy crawl SPIDER``; exit status 1 when the run failed or was stopped."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        if getattr(crawler.spider, "site", None) is not None:  # a news crawl
            self.exitcode = crawl_exit_status(crawler)
