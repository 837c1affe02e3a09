"""The ``news`` spider: one site's start pages, links, feeds and sitemaps → :class:`FetchedPage`.

Usage::

    scrapy crawl news -a url=https://worldmag.example/            # ad hoc: stay on that host
    scrapy crawl news -a site=worldmag                            # from the sites file
    scrapy crawl news -a site=worldmag -a max_pages=50 -a max_depth=1

The spider only wires :mod:`newscrawl.discovery` together: what is requested, deduplicated and
counted against ``max_pages`` and ``max_depth`` is decided by the site's
:class:`~newscrawl.discovery.frontier.Frontier`. Bad feeds and sitemaps are logged and counted,
never fatal. Stats live under ``newscrawl/``.

Budgets: sitemaps are queued by the frontier and requested newest first, two at a time, within
``NEWSCRAWL_MAX_SITEMAPS`` and ``NEWSCRAWL_MAX_DISCOVERY_BYTES``; a sitemap is read as a stream
and no longer once the page budget is met; a feed is read up to ``NEWSCRAWL_MAX_FEED_ITEMS``
entries. The crawl's wall-clock limit (a site's ``time_limit``, else ``NEWSCRAWL_TIME_LIMIT``)
becomes Scrapy's ``CLOSESPIDER_TIMEOUT``.

Hostile servers: every redirect (and meta refresh) is held to the site's policy when it is
scheduled (:meth:`NewsSpider.refuse_bad_redirect`), so neither a start page, nor a retried
request, nor a feed or sitemap on the site can lead the crawl to another host, a trap or a
redirect loop; sitemaps named in robots.txt must be on the site (an index may also list its own
host). Each request given up is counted by reason in ``newscrawl/fetch_failed/<reason>``
(:func:`failure_reason`), which the run history adds to its HTTP errors.

Recurring crawls: every request says what it fetches in ``request.meta[META_KIND]`` (start page,
page, feed, sitemap, robots.txt). Start pages, feeds, sitemaps and robots.txt are always fetched
(``dont_filter``: not even a persistent ``JOBDIR`` dupefilter hides them); only ``page`` requests
are subject to :class:`newscrawl.incremental.IncrementalMiddleware`, which skips stored articles
outside their recrawl window. Sitemap entries dated before the start of the site's last
successful run (read from the crawl's database when the crawl starts) are not
scheduled at all, nor are feed and sitemap entries published before the site's
``max_article_age``. A page skipped as stored is requested again if a feed or sitemap dates it
after that last successful run. Links are only followed from pages that were fetched, so pages
reached only through skipped articles are not visited on a re-crawl.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.database import DatabaseUnavailable, crawl_database
from newscrawl.discovery import feeds, sitemaps
from newscrawl.discovery.frontier import Decision, Frontier
from newscrawl.discovery.links import (
    UrlPolicy,
    extract_links,
    parse_html_document,
    redirect_refusal,
    resolve_link,
)
from newscrawl.discovery.requests import (
    DISCOVERY_PRIORITY,
    KIND_FEED,
    KIND_PAGE,
    KIND_ROBOTS,
    KIND_SITEMAP,
    KIND_START,
    META_DEPTH,
    META_HINTS,
    META_KIND,
    META_NOT_FETCHED,
    META_SITEMAP_DEPTH,
    META_URL,
    NOT_FETCHED_STORED,
    NOT_FETCHED_UNCHANGED,
)
from newscrawl.extraction.page import decode_html
from newscrawl.items import DiscoveryHints, FetchedPage
from newscrawl.normalization.urls import ascii_host
from newscrawl.sniff import looks_like_html, repaired_utf8
from newscrawl.spiders.arguments import first_given, parse_limit, require_one_target, resolve_site

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator
    from typing import Self

    from lxml.html import HtmlElement
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

FETCH_FAILED = "fetch_failed"  # stats newscrawl/fetch_failed/<reason>: requests given up, by reason


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    if not value:
        return None
    return value.decode("latin-1").strip() or None


def failure_reason(exc: BaseException) -> str | None:
    """The reason a request was given up, for ``newscrawl/fetch_failed/<reason>``; None for
    what is counted elsewhere or is no failure: HTTP error statuses (their own counters),
    requests refused before they were sent (robots.txt, off-site, incremental skips).

    An unfollowed redirect (to a scheme other than http/https) is ``RedirectNotFollowed``; a
    redirect chain over ``REDIRECT_MAX_TIMES`` is ``TooManyRedirects``; a compressed body over
    ``DOWNLOAD_MAXSIZE`` once decompressed is ``DecompressionMaxSizeExceeded``; other errors are
    named by their exception class (``DownloadTimeoutError``, ``BadGzipFile``, ...).
    """
    if isinstance(exc, HttpError):
        response = exc.response
        return "RedirectNotFollowed" if response.status < 400 else None
    if isinstance(exc, IgnoreRequest):
        cause = exc.__cause__
        if cause is not None:
            return type(cause).__name__.lstrip("_")
        return "TooManyRedirects" if "max redirections" in str(exc) else None
    return type(exc).__name__


class NewsSpider(scrapy.Spider):
    """Crawls one news site: start pages, in-policy links, feeds, sitemaps and news sitemaps.

    The spider wires Scrapy to :mod:`newscrawl.discovery`: callbacks parse what arrives and offer
    every URL found to the site's :class:`~newscrawl.discovery.frontier.Frontier`, which decides
    what is requested; each decision not to request is counted in ``newscrawl/<reason>``.
    """

    name = "news"

    def __init__(
        self,
        url: str | None = None,
        site: str | None = None,
        max_pages: str | int | None = None,
        max_depth: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if url is not None or site is not None or not self.driven_by_tool():
            require_one_target(url, site)
        self.url_arg = url
        self.site_arg = site
        self.max_pages_arg = parse_limit(max_pages, "max_pages")
        self.max_depth_arg = parse_limit(max_depth, "max_depth")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Resolve the site and the limits from the arguments and the crawler settings."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        crawler.signals.connect(spider.refuse_bad_redirect, signal=signals.request_scheduled)
        crawler.signals.connect(spider.resume_sitemaps, signal=signals.spider_idle)
        return spider

    def driven_by_tool(self) -> bool:
        """True when a Scrapy tool (``scrapy parse``) replaced :meth:`start` with its own
        request: the site then comes from the URL it fetches (:meth:`parse`)."""
        return type(self).start is not _CRAWL_START

    def configure(self, settings: BaseSettings) -> None:
        """Set site, policy and frontier: ``-a`` arguments > site config > NEWSCRAWL_* settings.
        Without a target (``scrapy parse``) this waits for the first response's URL."""
        if self.url_arg is None and self.site_arg is None:
            return
        self.site = resolve_site(self.url_arg, self.site_arg, settings.get("NEWSCRAWL_SITES_FILE"))
        self.policy = UrlPolicy.from_site(self.site)
        self.frontier = Frontier(
            self.policy,
            max_pages=first_given(
                self.max_pages_arg,
                self.site.max_pages,
                settings.getint("NEWSCRAWL_MAX_PAGES", 2000),
            ),
            max_depth=first_given(
                self.max_depth_arg, self.site.max_depth, settings.getint("NEWSCRAWL_MAX_DEPTH", 3)
            ),
            follow_links=self.site.follow_links,
            max_article_age=self.site.max_article_age,
            max_sitemaps=first_given(
                self.site.max_sitemaps, settings.getint("NEWSCRAWL_MAX_SITEMAPS", 50)
            ),
            max_discovery_bytes=settings.getint("NEWSCRAWL_MAX_DISCOVERY_BYTES", 0),
        )
        self.max_feed_items = settings.getint("NEWSCRAWL_MAX_FEED_ITEMS", 1000)
        # The wall-clock limit (a site's time_limit, else NEWSCRAWL_TIME_LIMIT) ends the crawl
        # through Scrapy's CloseSpider extension; a -s CLOSESPIDER_TIMEOUT given by hand wins.
        limit = self.site.time_limit
        self.time_limit = (
            limit.total_seconds() if limit else settings.getfloat("NEWSCRAWL_TIME_LIMIT", 0)
        )
        if self.time_limit and not settings.frozen:
            settings.set("CLOSESPIDER_TIMEOUT", self.time_limit, priority="spider")
        self.incremental = settings.getbool("NEWSCRAWL_INCREMENTAL", True)
        # Bare domains: Scrapy's OffsiteMiddleware then admits the domain and its subdomains,
        # a superset of what UrlPolicy admits, so the two guards never disagree on a good URL.
        self.allowed_domains = sorted(
            {ascii_host(d).removeprefix("www.") for d in self.site.allowed_domains}
        )

    @property
    def max_pages(self) -> int:
        """The page budget of this crawl (0 = no limit)."""
        return self.frontier.max_pages

    @property
    def max_depth(self) -> int:
        """How many link hops from a start page are followed."""
        return self.frontier.max_depth

    # --- start ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """Robots.txt (for sitemaps), configured feeds and sitemaps, then the start pages."""
        self.frontier.changed_since = self._last_successful_run()
        if self.site.discover_sitemaps:
            for url in dict.fromkeys(urljoin(u, "/robots.txt") for u in self.site.start_urls):
                if self.frontier.offer_discovery(url).requested:
                    yield self._discovery_request(
                        url, self.parse_robots, KIND_ROBOTS, errback=self.robots_failed
                    )
        for url in self.site.feeds:
            if self.frontier.offer_discovery(url).requested:
                yield self._discovery_request(url, self.parse_feed, KIND_FEED, allow_offsite=True)
        for sitemap_request in self._sitemap_requests(self.site.sitemaps, depth=0):
            yield sitemap_request
        for url in self.site.start_urls:
            if request := self._page_request(url, self.frontier.offer_start(url), KIND_START):
                self._inc("start_pages_requested")  # newscrawl.runstats.START_PAGES_REQUESTED
                yield request

    def _last_successful_run(self) -> datetime | None:
        """When the site's last ``finished`` run started (sitemap entries older than that are
        not scheduled); None for a first crawl, with incremental crawling off, or when the
        database cannot tell (the store pipeline reports why)."""
        if not self.incremental:
            return None
        from sqlalchemy.exc import SQLAlchemyError

        try:
            last = crawl_database(self.crawler).open().last_run(self.site.name, status="finished")
        except (DatabaseUnavailable, SQLAlchemyError) as exc:
            logger.warning("Last successful run of %s unknown: %s", self.site.name, exc)
            return None
        logger.info(
            "Crawl of %s: recrawl window %s; last successful run %s",
            self.site.name,
            self.site.recrawl_window,
            f"#{last.id} started {last.started_at.isoformat()}" if last else "none",
        )
        return last.started_at if last is not None else None

    # --- callbacks ------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any] | Request]:
        """The callback of a request that names none (``scrapy parse --spider=news URL``).

        Routes like a crawl: ``robots.txt`` to :meth:`parse_robots`, a feed or sitemap (by its
        first bytes) to :meth:`parse_feed`/:meth:`parse_sitemap`, any other page to
        :meth:`parse_page`, whose page becomes the record ``newscrawl extract`` prints (the
        normalized article and ``dropped``; nothing is stored), then the requests it would
        follow. Without ``-a url``/``-a site`` the site is the configured one covering the URL,
        else the URL's own (ad hoc).
        """
        if not hasattr(self, "site"):
            self._configure_for(response.url)
        from newscrawl.page import page_record
        from newscrawl.spiders.routing import document_kind

        kind = document_kind(response.url, response.body, _header(response, b"Content-Type"))
        if kind == "robots":
            yield from self.parse_robots(response)
        elif kind == "feed":
            yield from self.parse_feed(response)
        elif kind == "sitemap":
            yield from self.parse_sitemap(response)
        else:
            min_words = self.crawler.settings.getint("NEWSCRAWL_MIN_BODY_WORDS", 40)
            for result in self.parse_page(response):
                if isinstance(result, FetchedPage):
                    yield page_record(result, self.site, min_body_words=min_words)
                else:
                    yield result

    def _configure_for(self, url: str) -> None:
        """Configure for ``url`` when no target was given: its configured site, else ad hoc."""
        from newscrawl.sites import load_sites, site_for_url

        sites_file = self.crawler.settings.get("NEWSCRAWL_SITES_FILE")
        configured = site_for_url(load_sites(sites_file) if sites_file else {}, url)
        if configured is not None:
            self.site_arg = configured.name
        else:
            self.url_arg = url
        self.configure(self.crawler.settings)

    def parse_page(self, response: Response) -> Iterator[FetchedPage | Request]:
        """Yield the page as a FetchedPage, then requests for its feeds and links.

        With ``allow`` patterns configured, a page whose URL matches none of them is navigation
        only: its links are followed but no FetchedPage is yielded. Links are read only from a
        response that is HTML by :func:`newscrawl.page.looks_like_html` (declared type and first
        bytes); the page function decides what the item is (``NotHtml`` included).
        """
        hints = response.meta.get(META_HINTS)
        late_hints = self.frontier.page_answered(response.meta.get(META_URL, response.url))
        if self.policy.matches_allow(response.url):
            yield self._fetched_page(response, hints or late_hints)
        else:
            self._inc("navigation_pages")
        content_type = _header(response, b"Content-Type")
        if not looks_like_html(response.body, content_type):
            self._inc("non_html_pages")
            return
        if repaired_utf8(response.body, content_type) is not None:
            self._inc("utf8_repaired_pages")  # declared UTF-8 with stray invalid bytes
        tree = parse_html_document(decode_html(response.body, content_type))
        if tree is not None:
            yield from self._requests_from_page(response, tree)

    def _requests_from_page(self, response: Response, tree: HtmlElement) -> Iterator[Request]:
        """Requests for the page's feeds and in-policy links (depth permitting)."""
        if self.site.discover_feeds:
            for feed_url in feeds.feed_links(tree, response.url):
                decision = self.frontier.offer_discovered_feed(feed_url)
                if self._counted(decision):
                    yield self._discovery_request(feed_url, self.parse_feed, KIND_FEED)
        depth = int(response.meta.get(META_DEPTH, 0))
        if not self.frontier.follows_links_from(depth):
            return
        for link in extract_links(tree, response.url):
            if request := self._page_request(link, self.frontier.offer_link(link, depth + 1)):
                self._inc("links_followed")
                yield request

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Schedule each in-policy feed entry as a page carrying its feed hints."""
        try:
            self.frontier.count_discovery_bytes(len(response.body))
            entries = feeds.parse_feed(response.body, response.url, max_items=self.max_feed_items)
        except feeds.FeedError as exc:
            self._inc("feed_errors")
            logger.warning("Skipping feed %s: %s", response.url, exc)
            return
        self._inc("feeds_parsed")
        for entry in entries:
            hints = DiscoveryHints(
                source="feed",
                title=entry.title,
                published=entry.published_raw,
                keywords=entry.tags,
                lastmod=entry.updated_raw,
            )
            if request := self._page_request(
                entry.link, self.frontier.offer_entry(entry.link, hints)
            ):
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Queue a sitemap index's children (newest first, within the sitemap budget), or
        schedule a urlset's in-policy entries with hints, read as a stream until the page budget
        is met; then request the next queued sitemaps."""
        self.frontier.sitemap_answered(len(response.body))
        yield from self._read_sitemap(response)
        yield from self._next_sitemaps()

    def _read_sitemap(self, response: Response) -> Iterator[Request]:
        if self.frontier.page_limit_hit:
            self._inc("sitemaps_skipped")
            return
        try:
            document = sitemaps.iter_sitemap(response.body)
        except sitemaps.SitemapError as exc:
            self._inc("sitemap_errors")
            logger.warning("Skipping sitemap %s: %s", response.url, exc)
            return
        self._inc("sitemaps_parsed")
        if document.kind == "index":
            depth = int(response.meta.get(META_SITEMAP_DEPTH, 0)) + 1
            index_host = urlsplit(response.url).hostname
            children: list[tuple[str, str | None]] = []
            for entry in document.entries:
                url = resolve_link(response.url, entry.loc)
                if url is None:
                    continue
                if urlsplit(url).hostname != index_host and not self.policy.is_on_site(url):
                    self._inc("offsite_filtered")  # an index may list its own host or the site
                    continue
                children.append((url, entry.lastmod))
            if left_out := self.frontier.queue_sitemaps(children, depth):
                self._inc("sitemap_limit_reached", left_out)
            return
        for entry in document.entries:
            url = resolve_link(response.url, entry.loc)
            if url is None:
                continue
            hints = DiscoveryHints(
                source="news-sitemap" if entry.is_news else "sitemap",
                title=entry.news_title,
                published=entry.news_publication_date,
                keywords=entry.news_keywords,
                lastmod=entry.lastmod,
                language=entry.news_language,
            )
            decision = self.frontier.offer_entry(url, hints)
            if request := self._page_request(url, decision):
                yield request
            elif decision.reason == "page_limit_reached":
                self._inc("sitemaps_cut_at_page_limit")  # the rest of it is not read
                return

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Follow the robots.txt ``Sitemap:`` lines; guess /sitemap.xml when there are none."""
        if isinstance(response, TextResponse):
            text = response.text
        else:
            text = response.body.decode("utf-8", errors="replace")
        urls = sitemaps.sitemap_urls_from_robots(text, response.url)
        if not urls:
            yield from self._guessed_sitemap(response.url)
            return
        self._inc("robots_sitemaps", len(urls))
        on_site: list[str] = []
        for url in urls:
            if not self.policy.is_on_site(url):
                # Only sitemaps the site's config names may live on other hosts.
                self._inc("offsite_filtered")
                logger.info("Not following off-site sitemap %s named in %s", url, response.url)
                continue
            on_site.append(url)
        yield from self._sitemap_requests(on_site, depth=0)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        """No robots.txt (404, network error): guess /sitemap.xml instead."""
        self._count_failure(failure)
        request = getattr(failure, "request", None)
        if isinstance(request, Request):
            yield from self._guessed_sitemap(request.url)

    def discovery_failed(self, failure: Failure) -> Failure:
        """Errback of feed and sitemap requests: count the failure, let Scrapy log it; a failed
        sitemap makes room for the next queued one."""
        self._count_failure(failure)
        request = getattr(failure, "request", None)
        if isinstance(request, Request) and request.meta.get(META_KIND) == KIND_SITEMAP:
            self.frontier.sitemap_answered()
            for next_request in self._next_sitemaps():
                self.crawler.engine.crawl(next_request)
        return failure

    def resume_sitemaps(self, spider: Spider) -> None:
        """``spider_idle`` handler: request queued sitemaps when nothing else is left to do
        (their predecessors were dropped on the way), or forget them once the page budget is
        met. Keeps the spider open while sitemaps are requested."""
        frontier: Frontier | None = getattr(self, "frontier", None)
        if spider is not self or frontier is None or not frontier.sitemaps_waiting:
            return
        if frontier.page_limit_hit:
            self._inc("sitemaps_skipped", frontier.drop_sitemap_queue())
            return
        frontier.sitemaps_stalled()
        requests = list(self._next_sitemaps())
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def refuse_bad_redirect(self, request: Request, spider: Spider) -> None:
        """``request_scheduled`` handler: drop a redirect the site's policy does not admit.

        Scrapy's off-site filter lets start pages, feeds, sitemaps and retried requests
        (``dont_filter``) redirect anywhere; this holds every redirect (and meta refresh) to
        :func:`newscrawl.discovery.links.redirect_refusal` and counts refusals in
        ``newscrawl/fetch_failed/<reason>``.
        """
        chain = request.meta.get("redirect_urls")
        if not chain or spider is not self:
            return
        if not hasattr(self, "policy"):  # scrapy parse: the site is the first URL's
            self._configure_for(chain[0])
        kind = request.meta.get(META_KIND, KIND_PAGE)
        reason = redirect_refusal(
            self.policy,
            chain,
            request.url,
            page=kind in (KIND_PAGE, KIND_START),
            strict_loops=kind == KIND_PAGE,
        )
        if reason is None:
            return
        self._inc(f"{FETCH_FAILED}/{reason}")
        self.frontier.page_answered(request.meta.get(META_URL, chain[0]))
        level = logging.WARNING if kind == KIND_START else logging.INFO
        logger.log(
            level, "Not following redirect from %s to %s: %s", chain[-1], request.url, reason
        )
        raise IgnoreRequest(f"{reason}: {request.url}")

    def page_not_fetched(self, failure: Failure) -> Failure | list[Request]:
        """Errback of page requests.

        Download and HTTP errors are returned unchanged, so Scrapy handles and logs them as it
        would without an errback. A page the incremental middleware did not fetch is reported to
        the frontier, which may ask for it again at once (a feed or sitemap dated it meanwhile).
        """
        request = getattr(failure, "request", None)
        if not isinstance(request, Request):
            self._count_failure(failure)
            return failure
        url = request.meta.get(META_URL, request.url)
        not_fetched = request.meta.get(META_NOT_FETCHED)
        if not_fetched not in (NOT_FETCHED_STORED, NOT_FETCHED_UNCHANGED):
            self.frontier.page_answered(url)
            self._count_failure(failure)
            if request.meta.get(META_KIND) == KIND_START and (
                isinstance(failure.value, HttpError) or not isinstance(failure.value, IgnoreRequest)
            ):
                self._inc("start_pages_failed")  # newscrawl.runstats.START_PAGES_FAILED
            return failure
        decision = self.frontier.page_not_fetched(url, stored=not_fetched == NOT_FETCHED_STORED)
        if decision is not None and (retry := self._page_request(url, decision)):
            return [retry]
        return []

    # --- helpers --------------------------------------------------------------------------------

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)

    def _counted(self, decision: Decision) -> bool:
        """Count a frontier decision under its reason; True when it says to request."""
        if decision.reason != "duplicate":
            self._inc(decision.reason)
        return decision.requested

    def _count_failure(self, failure: Failure) -> None:
        reason = failure_reason(failure.value) if failure.value is not None else None
        if reason is not None:
            self._inc(f"{FETCH_FAILED}/{reason}")

    def _page_request(self, url: str, decision: Decision, kind: str = KIND_PAGE) -> Request | None:
        """The request a frontier decision asks for, or None (the decision is counted)."""
        if decision.reason == "page_limit_reached" and self.frontier.announce_limit():
            logger.info("Page limit of %d reached; scheduling no more pages", self.max_pages)
        if not self._counted(decision):
            return None
        meta: dict[str, Any] = {META_DEPTH: decision.depth, META_URL: url, META_KIND: kind}
        if decision.hints is not None:
            meta[META_HINTS] = decision.hints
        try:
            return Request(
                url,
                callback=self.parse_page,
                errback=self.page_not_fetched,
                meta=meta,
                priority=decision.priority,
                # start pages are always fetched; a re-check follows a request the dupefilter saw
                dont_filter=kind == KIND_START or decision.action == "recheck",
            )
        except ValueError as exc:  # a URL no request can be built for: skip it, not the page
            self.frontier.page_answered(url)
            self._inc("malformed_filtered")
            logger.info("Skipping malformed URL %r: %s", url, exc)
            return None

    def _discovery_request(
        self,
        url: str,
        callback: Any,
        kind: str,
        *,
        errback: Any = None,
        allow_offsite: bool = False,
        **meta: Any,
    ) -> Request:
        """A request for a robots.txt, feed or sitemap URL the frontier admitted.

        Always fetched (``dont_filter``): a re-crawl must re-read them.
        """
        meta["allow_offsite"] = allow_offsite
        meta[META_KIND] = kind
        return Request(
            url,
            callback=callback,
            errback=errback or self.discovery_failed,
            meta=meta,
            priority=DISCOVERY_PRIORITY,
            dont_filter=True,
        )

    def _sitemap_requests(self, urls: Iterable[str], *, depth: int) -> Iterator[Request]:
        """Queue sitemaps ``depth`` levels down and request what the frontier lets through now."""
        if left_out := self.frontier.queue_sitemaps(((url, None) for url in urls), depth):
            self._inc("sitemap_limit_reached", left_out)
        yield from self._next_sitemaps()

    def _next_sitemaps(self) -> Iterator[Request]:
        # A sitemap named by the site's config, its robots.txt or its sitemap index may live on
        # another host (a CDN); the page entries it lists are still held to the site's policy.
        for url, depth, decision in self.frontier.next_sitemaps():
            if not self._counted(decision):
                continue
            try:
                yield self._discovery_request(
                    url,
                    self.parse_sitemap,
                    KIND_SITEMAP,
                    allow_offsite=True,
                    **{META_SITEMAP_DEPTH: depth},
                )
            except ValueError as exc:  # a URL no request can be built for (a bad port)
                self.frontier.sitemap_answered()
                self._inc("malformed_filtered")
                logger.info("Skipping malformed sitemap URL %r: %s", url, exc)

    def _guessed_sitemap(self, robots_url: str) -> Iterator[Request]:
        for request in self._sitemap_requests([urljoin(robots_url, "/sitemap.xml")], depth=0):
            self._inc("sitemaps_guessed")
            yield request

    def _fetched_page(self, response: Response, hints: DiscoveryHints | None) -> FetchedPage:
        return FetchedPage(
            url=response.url,
            body=response.body,
            site=self.site.name,
            fetched_at=datetime.now(UTC),
            content_type=_header(response, b"Content-Type"),
            status=response.status,
            hints=hints,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
        )


_CRAWL_START = NewsSpider.start
