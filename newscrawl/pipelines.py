"""The item pipelines: shells around plain functions.

``ArticlePipeline`` turns a :class:`~newscrawl.items.FetchedPage` into an
:class:`~newscrawl.items.Article` with :func:`newscrawl.page.process_page` (or drops it with a
named reason); ``StorePipeline`` upserts the article through the crawl's
:class:`~newscrawl.database.CrawlDatabase`. Every drop is a :mod:`newscrawl.drops` subclass, so
Scrapy counts it per reason in ``item_dropped_reasons_count/<Reason>``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import CloseSpider

from newscrawl import drops
from newscrawl.database import DatabaseUnavailable, crawl_database
from newscrawl.items import Article, FetchedPage
from newscrawl.page import DEFAULT_MIN_BODY_WORDS, process_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawl.database import CrawlDatabase
    from newscrawl.sites import SiteConfig

logger = logging.getLogger(__name__)


class ArticlePipeline:
    """FetchedPage → Article, or a named drop (:func:`newscrawl.page.process_page`)."""

    def __init__(self, crawler: Crawler, min_body_words: int) -> None:
        self.crawler = crawler
        self.min_body_words = min_body_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            crawler, crawler.settings.getint("NEWSCRAWL_MIN_BODY_WORDS", DEFAULT_MIN_BODY_WORDS)
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        site: SiteConfig | None = getattr(self.crawler.spider, "site", None)
        article = process_page(item, site, min_body_words=self.min_body_words)
        for note in article.notes:  # repairs and refusals on the way, e.g. offsite_canonical
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"newscrawl/page_notes/{note}")
        return article


class StorePipeline:
    """Upsert articles with their tags, authors and URLs. The crawl's database is opened when
    the spider opens; one that is unusable stops the crawl at once, with the command to run."""

    def __init__(self, crawler: Crawler, database: CrawlDatabase) -> None:
        self.crawler = crawler
        self.database = database

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawl_database(crawler))

    def open_spider(self) -> None:
        try:
            self.database.open()
        except DatabaseUnavailable as exc:
            raise CloseSpider(f"database not usable: {exc}") from exc

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        from sqlalchemy.exc import SQLAlchemyError

        stats = self.crawler.stats
        try:
            result = self.database.open().save(item)
        except (SQLAlchemyError, DatabaseUnavailable) as exc:
            logger.error("could not store %(url)s: %(error)s", {"url": item.url, "error": exc})
            if stats is not None:
                stats.inc_value("newscrawl/store_errors")
            raise drops.StoreFailed(f"{type(exc).__name__}: {item.url}") from exc
        if stats is not None:
            stats.inc_value(f"newscrawl/articles_{result.outcome}")
        return item
