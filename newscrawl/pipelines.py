"""The item pipelines: four thin stages, each one call into plain functions.

``ExtractPipeline`` (FetchedPage → ExtractedPage) → ``NormalizePipeline`` (→ Article) →
``ValidatePipeline`` (drops non-articles with a named reason) → ``StorePipeline`` (idempotent
upsert). Every drop is a :mod:`newscrawl.drops` subclass, so Scrapy counts it per reason in
``item_dropped_reasons_count/<Reason>``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import CloseSpider

from newscrawl import drops
from newscrawl.extraction import PageError, extract_page
from newscrawl.items import Article, ExtractedPage, FetchedPage
from newscrawl.normalization.article import normalize_article
from newscrawl.processing import looks_like_html
from newscrawl.validation import drop_reason

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.engine import Engine

    from newscrawl.sites import SiteConfig
    from newscrawl.storage import ArticleStore

logger = logging.getLogger(__name__)

_DROPS_BY_NAME: dict[str, type[drops.NewscrawlDrop]] = {
    cls.__name__: cls for cls in drops.ALL_DROPS
}


def _site_of(crawler: Crawler) -> SiteConfig | None:
    spider = crawler.spider
    return getattr(spider, "site", None) if spider is not None else None


class ExtractPipeline:
    """Parse the page once and gather candidates for every field (plus the body)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if not looks_like_html(item.html, item.content_type):
            raise drops.NotHtml(f"not HTML ({item.content_type or 'unknown type'}): {item.url}")
        if not item.html.strip():
            raise drops.EmptyPage(f"empty page: {item.url}")
        site = _site_of(self.crawler)
        try:
            return extract_page(item, site.extract if site is not None else None)
        except PageError as exc:
            raise drops.EmptyPage(f"{exc}: {item.url}") from exc
        except (ValueError, TypeError, LookupError, RecursionError) as exc:
            logger.warning(
                "extraction failed for %(url)s: %(error)s", {"url": item.url, "error": exc}
            )
            raise drops.ExtractionFailed(f"{type(exc).__name__}: {exc}: {item.url}") from exc


class NormalizePipeline:
    """Choose and normalize one value per field. An error here is a bug on some page: it is
    logged and the page dropped as ``ExtractionFailed``, and the crawl goes on."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ExtractedPage):
            return item
        try:
            return normalize_article(item)
        except (ValueError, TypeError, LookupError, RecursionError) as exc:
            logger.warning(
                "normalization failed for %(url)s: %(error)s", {"url": item.url, "error": exc}
            )
            raise drops.ExtractionFailed(f"{type(exc).__name__}: {exc}: {item.url}") from exc


class ValidatePipeline:
    """Drop what is not an article worth storing, with a named reason."""

    def __init__(self, crawler: Crawler, min_body_words: int) -> None:
        self.crawler = crawler
        self.min_body_words = min_body_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWL_MIN_BODY_WORDS", 40))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        site = _site_of(self.crawler)
        reason = drop_reason(
            item,
            min_body_words=self.min_body_words,
            max_age=site.max_article_age if site is not None else None,
        )
        if reason is not None:
            raise _DROPS_BY_NAME[reason](f"{reason}: {item.url}")
        return item


class StorePipeline:
    """Upsert articles, their tags and authors. The schema is migrated when the spider opens;
    a database that cannot be migrated stops the crawl at once with the command to run."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.engine: Engine | None = None
        self.store: ArticleStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.get("NEWSCRAWL_DATABASE_URL"))

    def open_spider(self) -> None:
        from newscrawl.storage import ArticleStore, SchemaError, ensure_schema, make_engine

        try:
            self.engine = make_engine(self.database_url)
            ensure_schema(self.engine)
        except (SchemaError, ValueError) as exc:
            raise CloseSpider(f"database not usable: {exc}") from exc
        self.store = ArticleStore(self.engine)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or self.store is None:
            return item
        from sqlalchemy.exc import SQLAlchemyError

        stats = self.crawler.stats
        try:
            result = self.store.save(item)
        except SQLAlchemyError as exc:
            logger.error("could not store %(url)s: %(error)s", {"url": item.url, "error": exc})
            if stats is not None:
                stats.inc_value("newscrawl/store_errors")
            raise drops.StoreFailed(f"{type(exc).__name__}: {item.url}") from exc
        if stats is not None:
            stats.inc_value(f"newscrawl/articles_{result.outcome}")
        return item
