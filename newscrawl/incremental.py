"""Incremental re-crawls: do not fetch stored articles again unless they may have changed.

:class:`IncrementalMiddleware` is a downloader middleware for the ``news`` spider. It looks at
``page`` requests only (the spider marks each request's kind in ``request.meta``; start pages,
feeds, sitemaps and robots.txt pass untouched) and asks the seen-URL store
(:meth:`ArticleStore.lookup`, by the request URL or its canonical form) what is known:

* an unknown URL is fetched as usual;
* a stored article outside its recrawl window, not dated newer by a feed or sitemap, is not
  fetched: :class:`StoredArticleSkipped` (an ``IgnoreRequest``), stat
  ``newscrawl/articles_skipped`` (distinct URLs; the run history records it);
* a stored article inside its window, or dated newer than its last sighting, is fetched with
  ``If-None-Match`` / ``If-Modified-Since`` when validators are stored
  (``newscrawl/conditional_requests``). A ``304`` answer moves only the article's
  ``last_seen_at`` (:meth:`ArticleStore.touch`) and ends there: :class:`ArticleNotModified`,
  stat ``newscrawl/articles_not_modified``. A ``200`` goes through the pipelines, where an
  unchanged content hash writes no version.

The store is the crawl's one :class:`~newscrawl.database.CrawlDatabase`. Settings:
``NEWSCRAWL_INCREMENTAL`` (default on; off: every page is fetched, e.g. to rebuild the
database). The recrawl window is the site's ``recrawl_window``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from newscrawl.database import DatabaseUnavailable, crawl_database
from newscrawl.discovery import recrawl
from newscrawl.discovery.requests import (
    KIND_PAGE,
    META_HINTS,
    META_KIND,
    META_NOT_FETCHED,
    NOT_FETCHED_STORED,
    NOT_FETCHED_UNCHANGED,
)
from newscrawl.normalization.urls import canonicalize_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from newscrawl.database import CrawlDatabase
    from newscrawl.sites import SiteConfig
    from newscrawl.storage import ArticleStore, StoredUrl

logger = logging.getLogger(__name__)

# request.meta: (canonical URL of the stored article re-checked, names of the headers added)
META_RECHECK = "newscrawl_recheck"

STAT_SKIPPED = "newscrawl/articles_skipped"
STAT_NOT_MODIFIED = "newscrawl/articles_not_modified"
STAT_CONDITIONAL = "newscrawl/conditional_requests"
STAT_RECHECKED = "newscrawl/articles_rechecked"
STAT_ERRORS = "newscrawl/incremental_errors"


class StoredArticleSkipped(IgnoreRequest):
    """The page is a stored article outside its recrawl window: not fetched again."""


class ArticleNotModified(IgnoreRequest):
    """The server answered 304 Not Modified to a conditional re-check."""


class IncrementalMiddleware:
    """Skips stored articles and re-checks recent ones conditionally (see the module doc)."""

    def __init__(self, crawler: Crawler, database: CrawlDatabase) -> None:
        self.crawler = crawler
        self.database = database
        self.store: ArticleStore | None = None
        self.site: SiteConfig | None = None
        self._skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build from settings; NotConfigured when ``NEWSCRAWL_INCREMENTAL`` is off."""
        if not crawler.settings.getbool("NEWSCRAWL_INCREMENTAL", True):
            raise NotConfigured("NEWSCRAWL_INCREMENTAL is off")
        middleware = cls(crawler, crawl_database(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        """Start deciding for the spider's site. Without a site or a usable database the
        middleware stays off (every page is fetched); the store pipeline reports the database
        problem itself."""
        site: SiteConfig | None = getattr(spider, "site", None)
        if site is None:
            logger.info("Incremental crawling off: spider %s has no site", spider.name)
            return
        try:
            self.store = self.database.open()
        except DatabaseUnavailable as exc:
            logger.error("Incremental crawling off, database not usable: %s", exc)
            return
        self.site = site

    def process_request(self, request: Request) -> None:
        """Skip, re-check conditionally, or pass a request (see the module doc)."""
        previous: tuple[str, tuple[str, ...]] | None = request.meta.pop(META_RECHECK, None)
        if previous is not None:  # a redirect copy of a re-check: decide afresh for its URL
            for name in previous[1]:
                request.headers.pop(name, None)
        if self.store is None or self.site is None or request.meta.get(META_KIND) != KIND_PAGE:
            return
        stored = self._lookup(request.url)
        if stored is None:
            return
        hints = request.meta.get(META_HINTS)
        now = datetime.now(UTC)
        decision = recrawl.recrawl_decision(
            stored,
            now=now,
            window=self.site.recrawl_window,
            changed=recrawl.changed_at(hints.lastmod, hints.published, now=now) if hints else None,
        )
        if decision.action == "skip":
            if request.url not in self._skipped:
                self._skipped.add(request.url)
                self._inc(STAT_SKIPPED)
            request.meta[META_NOT_FETCHED] = NOT_FETCHED_STORED
            raise StoredArticleSkipped(f"stored article outside its recrawl window: {request.url}")
        self._inc(STAT_RECHECKED)
        added = {k: v for k, v in decision.headers.items() if k not in request.headers}
        for name, value in added.items():
            request.headers[name] = value
        if added:
            self._inc(STAT_CONDITIONAL)
        request.meta[META_RECHECK] = (stored.canonical_url, tuple(added))
        logger.debug("Re-checking %s (%s)", request.url, decision.reason)

    def process_response(self, request: Request, response: Response) -> Response:
        """A 304 to a re-check touches the stored article and ends the request there."""
        recheck: tuple[str, tuple[str, ...]] | None = request.meta.get(META_RECHECK)
        if response.status != 304 or recheck is None or self.store is None:
            return response
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self.store.touch(recheck[0], datetime.now(UTC))
        except SQLAlchemyError as exc:
            self._inc(STAT_ERRORS)
            logger.warning("Could not record that %s is unchanged: %s", request.url, exc)
        self._inc(STAT_NOT_MODIFIED)
        request.meta[META_NOT_FETCHED] = NOT_FETCHED_UNCHANGED
        raise ArticleNotModified(f"not modified: {request.url}")

    # --- helpers --------------------------------------------------------------------------------

    def _lookup(self, url: str) -> StoredUrl | None:
        """What the store knows about ``url`` or its canonical form; None when unknown or when
        the database cannot answer (the page is then fetched)."""
        assert self.store is not None
        from sqlalchemy.exc import SQLAlchemyError

        canonical = canonicalize_url(url)
        try:
            stored = self.store.lookup(url)
            if stored is None and canonical is not None and canonical != url:
                stored = self.store.lookup(canonical)
        except SQLAlchemyError as exc:
            self._inc(STAT_ERRORS)
            logger.warning("Seen-URL lookup failed for %s, fetching it: %s", url, exc)
            return None
        return stored

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
