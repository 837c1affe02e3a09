"""The ``news`` spider: one site's start pages, links, feeds and sitemaps → :class:`FetchedPage`.

Usage::

    scrapy crawl news -a url=https://worldmag.example/            # ad hoc: stay on that host
    scrapy crawl news -a site=worldmag                            # from the sites file
    scrapy crawl news -a site=worldmag -a max_pages=50 -a max_depth=1

The spider only wires :mod:`newscrawl.discovery` together and keeps the crawl within its limits.
Every page request it schedules is distinct and counted against ``max_pages`` (0 = no limit;
pages the incremental middleware did not fetch because they are stored do not count);
links are followed from pages up to ``max_depth`` hops from a start page (0 = do not follow
links; feed and sitemap entries count as one hop). Bad feeds and sitemaps are logged and
counted, never fatal. Stats live under ``newscrawl/``.

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
successful run (``changed_since``, set by that middleware when the spider opens) are not
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
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.discovery import feeds, recrawl, sitemaps
from newscrawl.discovery.links import (
    UrlPolicy,
    extract_links,
    looks_like_article,
    parse_html_document,
    redirect_refusal,
    resolve_link,
)
from newscrawl.extraction.page import decode_html
from newscrawl.items import DiscoveryHints, FetchedPage
from newscrawl.processing import looks_like_html
from newscrawl.sites import SiteConfig, load_sites

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from datetime import timedelta
    from typing import Self

    from lxml.html import HtmlElement
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

META_DEPTH = "newscrawl_depth"  # link hops from a start page
META_HINTS = "newscrawl_hints"  # DiscoveryHints from a feed or sitemap entry
META_URL = "newscrawl_url"  # the URL as scheduled (the response URL may differ after redirects)
META_SITEMAP_DEPTH = "newscrawl_sitemap_depth"  # 0 for a sitemap from config or robots.txt
META_KIND = "newscrawl_kind"  # what a request fetches: one of REQUEST_KINDS
# Set by IncrementalMiddleware on a page request it did not fetch, before it raises IgnoreRequest:
NOT_FETCHED_STORED = "stored"  # the article is stored and outside its recrawl window
NOT_FETCHED_UNCHANGED = "not-modified"  # the server answered 304 Not Modified
META_NOT_FETCHED = "newscrawl_not_fetched"

KIND_START = "start"  # a start page of the site: always fetched
KIND_PAGE = "page"  # a page found through a link, feed or sitemap
KIND_FEED = "feed"
KIND_SITEMAP = "sitemap"
KIND_ROBOTS = "robots"
REQUEST_KINDS = (KIND_START, KIND_PAGE, KIND_FEED, KIND_SITEMAP, KIND_ROBOTS)

DISCOVERY_PRIORITY = 20  # robots.txt, feeds, sitemaps: read them early, their entries carry hints
ARTICLE_PRIORITY = 10  # pages that look like articles before navigation pages
PAGE_PRIORITY = 0
MAX_SITEMAP_DEPTH = 3  # sitemap index → index → index → urlset, no deeper
MAX_DISCOVERED_FEEDS = 20  # autodiscovered feeds per crawl (configured feeds are not limited)
FETCH_FAILED = "fetch_failed"  # stats newscrawl/fetch_failed/<reason>: requests given up, by reason


class SpiderArgumentError(ValueError):
    """Missing, conflicting or invalid ``-a`` arguments of the news spider."""


def parse_limit(value: object, name: str) -> int | None:
    """A ``-a max_pages=N`` style argument as a non-negative int (None when not given)."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise SpiderArgumentError(f"-a {name} must be a non-negative integer, got {value!r}")
    return number


def require_one_target(url: str | None, site: str | None) -> None:
    """Raise SpiderArgumentError unless exactly one of ``-a url`` and ``-a site`` is given."""
    if (url is None) == (site is None):
        raise SpiderArgumentError(
            "the news spider needs exactly one of -a url=URL (crawl one site ad hoc) "
            "or -a site=NAME (a site from the sites file)"
        )


def resolve_site(url: str | None, site: str | None, sites_file: str | None) -> SiteConfig:
    """The site to crawl for ``-a url=URL`` or ``-a site=NAME`` (exactly one of them).

    Raises:
        SpiderArgumentError: none or both given, a bad URL, or a site name the sites file lacks.
        newscrawl.sites.SitesFileError: the sites file is invalid.
    """
    require_one_target(url, site)
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SpiderArgumentError(f"-a url must be an http(s) URL, got {url!r}")
        return SiteConfig.ad_hoc(url)
    sites = load_sites(sites_file) if sites_file else {}
    if site not in sites:
        available = ", ".join(sorted(sites)) or "none"
        raise SpiderArgumentError(
            f"unknown site {site!r} in sites file {sites_file}; available sites: {available}"
        )
    return sites[site]


def _first_given(*values: int | None) -> int:
    return next(value for value in values if value is not None)


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
    """Crawls one news site: start pages, in-policy links, feeds, sitemaps and news sitemaps."""

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
        require_one_target(url, site)
        self.url_arg = url
        self.site_arg = site
        self.max_pages_arg = parse_limit(max_pages, "max_pages")
        self.max_depth_arg = parse_limit(max_depth, "max_depth")
        self._scheduled: set[str] = set()  # page URLs scheduled (counted against max_pages)
        self._pending: set[str] = set()  # scheduled page URLs whose response is not parsed yet
        self._late_hints: dict[str, DiscoveryHints] = {}  # hints for URLs already scheduled
        self._discovery_seen: set[str] = set()  # feed, sitemap and robots.txt URLs
        self._skipped: set[str] = set()  # scheduled page URLs the store said need no fetch
        self._discovered_feeds = 0
        self._page_limit_logged = False
        # Start of the site's last successful run; set by IncrementalMiddleware at spider open.
        self.changed_since: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Resolve the site and the limits from the arguments and the crawler settings."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        crawler.signals.connect(spider.refuse_bad_redirect, signal=signals.request_scheduled)
        return spider

    def configure(self, settings: BaseSettings) -> None:
        """Set site, policy and limits: ``-a`` arguments > site config > NEWSCRAWL_* settings."""
        self.site = resolve_site(self.url_arg, self.site_arg, settings.get("NEWSCRAWL_SITES_FILE"))
        self.policy = UrlPolicy.from_site(self.site)
        self.max_pages = _first_given(
            self.max_pages_arg, self.site.max_pages, settings.getint("NEWSCRAWL_MAX_PAGES", 2000)
        )
        self.max_depth = _first_given(
            self.max_depth_arg, self.site.max_depth, settings.getint("NEWSCRAWL_MAX_DEPTH", 3)
        )
        # Bare domains: Scrapy's OffsiteMiddleware then admits the domain and its subdomains,
        # a superset of what UrlPolicy admits, so the two guards never disagree on a good URL.
        self.allowed_domains = sorted(
            {d.lower().removeprefix("www.") for d in self.site.allowed_domains}
        )

    # --- start ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """Robots.txt (for sitemaps), configured feeds and sitemaps, then the start pages."""
        if self.site.discover_sitemaps:
            for url in dict.fromkeys(urljoin(u, "/robots.txt") for u in self.site.start_urls):
                if request := self._discovery_request(
                    url, self.parse_robots, KIND_ROBOTS, errback=self.robots_failed
                ):
                    yield request
        for url in self.site.feeds:
            if request := self._discovery_request(
                url, self.parse_feed, KIND_FEED, allow_offsite=True
            ):
                yield request
        for url in self.site.sitemaps:
            if request := self._sitemap_request(url, depth=0):
                yield request
        for url in self.site.start_urls:
            if request := self._page_request(url, depth=0, priority=PAGE_PRIORITY, kind=KIND_START):
                yield request

    # --- callbacks ------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[FetchedPage | Request]:
        """Yield the page as a FetchedPage, then requests for its feeds and links.

        With ``allow`` patterns configured, a page whose URL matches none of them is navigation
        only: its links are followed but no FetchedPage is yielded. Whether a response is HTML
        is decided by :func:`newscrawl.processing.looks_like_html` (declared type and first
        bytes), so HTML served as ``text/plain`` or ``application/octet-stream`` is read as HTML.
        A non-HTML response yields a FetchedPage with ``html=""`` and its content type; a binary
        one declared as HTML yields its decoded text unparsed (the pipeline drops both NotHtml).
        """
        scheduled_url = response.meta.get(META_URL, response.url)
        self._pending.discard(scheduled_url)
        hints = response.meta.get(META_HINTS) or self._late_hints.pop(scheduled_url, None)
        is_article_url = self.policy.matches_allow(response.url)
        content_type = _header(response, b"Content-Type")
        is_html = looks_like_html(response.body, content_type)
        if not is_html and not isinstance(response, HtmlResponse):
            self._inc("non_html_pages")
            if is_article_url:  # the pipeline drops it as NotHtml, with the content type
                yield self._fetched_page(response, "", hints)
            return
        html = decode_html(response.body, content_type)
        if not is_html:  # binary declared as HTML: not parsed; the pipeline drops it as NotHtml
            self._inc("non_html_pages")
            if is_article_url:
                yield self._fetched_page(response, html, hints)
            return
        tree = parse_html_document(html)
        # Requests first: extraction prunes the tree once the page is yielded.
        requests = list(self._requests_from_page(response, tree)) if tree is not None else []
        if is_article_url:
            yield self._fetched_page(response, html, hints, tree)
        else:
            self._inc("navigation_pages")
        yield from requests

    def _requests_from_page(self, response: Response, tree: HtmlElement) -> Iterator[Request]:
        """Requests for the page's feeds and in-policy links (depth permitting)."""
        if self.site.discover_feeds:
            for feed_url in feeds.feed_links(tree, response.url):
                if request := self._discovered_feed_request(feed_url):
                    yield request
        depth = int(response.meta.get(META_DEPTH, 0))
        if not self.site.follow_links or depth >= self.max_depth:
            return
        for link in extract_links(tree, response.url):
            if not self._admit(link, article_only=False):
                continue
            is_article = (
                self.policy.matches_allow(link) if self.policy.allow else looks_like_article(link)
            )
            priority = ARTICLE_PRIORITY if is_article else PAGE_PRIORITY
            if request := self._page_request(link, depth=depth + 1, priority=priority):
                self._inc("links_followed")
                yield request

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Schedule each in-policy feed entry as a page carrying its feed hints."""
        try:
            entries = feeds.parse_feed(response.body, response.url)
        except feeds.FeedError as exc:
            self._inc("feed_errors")
            logger.warning("Skipping feed %s: %s", response.url, exc)
            return
        self._inc("feeds_parsed")
        too_old_before = self._too_old_before()
        for entry in entries:
            if not self._admit(entry.link, article_only=True):
                continue
            if recrawl.published_before(entry.published_raw, too_old_before):
                self._inc("too_old_filtered")
                continue
            hints = DiscoveryHints(
                source="feed",
                title=entry.title,
                published=entry.published_raw,
                keywords=entry.tags,
                lastmod=entry.updated_raw,
            )
            if request := self._page_request(
                entry.link, depth=1, priority=ARTICLE_PRIORITY, hints=hints
            ):
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Recurse into a sitemap index, or schedule a urlset's in-policy entries with hints."""
        if self._page_limit_hit():
            self._inc("sitemaps_skipped")
            return
        try:
            document = sitemaps.parse_sitemap(response.body)
        except sitemaps.SitemapError as exc:
            self._inc("sitemap_errors")
            logger.warning("Skipping sitemap %s: %s", response.url, exc)
            return
        self._inc("sitemaps_parsed")
        if document.kind == "index":
            depth = int(response.meta.get(META_SITEMAP_DEPTH, 0)) + 1
            index_host = urlsplit(response.url).hostname
            for entry in document.entries:
                url = resolve_link(response.url, entry.loc)
                if url is None:
                    continue
                if urlsplit(url).hostname != index_host and not self.policy.is_on_site(url):
                    self._inc("offsite_filtered")  # an index may list its own host or the site
                    continue
                if request := self._sitemap_request(url, depth=depth):
                    yield request
            return
        too_old_before = self._too_old_before()
        for entry in document.entries:
            url = resolve_link(response.url, entry.loc)
            if url is None or not self._admit(url, article_only=True):
                continue
            if recrawl.sitemap_entry_unchanged(
                entry.lastmod, entry.news_publication_date, self.changed_since
            ):
                self._inc("sitemap_unchanged_filtered")
                continue
            if recrawl.published_before(entry.news_publication_date, too_old_before):
                self._inc("too_old_filtered")
                continue
            hints = DiscoveryHints(
                source="news-sitemap" if entry.is_news else "sitemap",
                title=entry.news_title,
                published=entry.news_publication_date,
                keywords=entry.news_keywords,
                lastmod=entry.lastmod,
                language=entry.news_language,
            )
            if request := self._page_request(url, depth=1, priority=ARTICLE_PRIORITY, hints=hints):
                yield request

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
        for url in urls:
            if not self.policy.is_on_site(url):
                # Only sitemaps the site's config names may live on other hosts.
                self._inc("offsite_filtered")
                logger.info("Not following off-site sitemap %s named in %s", url, response.url)
                continue
            if request := self._sitemap_request(url, depth=0):
                yield request

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        """No robots.txt (404, network error): guess /sitemap.xml instead."""
        self._count_failure(failure)
        request = getattr(failure, "request", None)
        if isinstance(request, Request):
            yield from self._guessed_sitemap(request.url)

    def discovery_failed(self, failure: Failure) -> Failure:
        """Errback of feed and sitemap requests: count the failure, let Scrapy log it."""
        self._count_failure(failure)
        return failure

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
        self._pending.discard(request.meta.get(META_URL, chain[0]))
        level = logging.WARNING if kind == KIND_START else logging.INFO
        logger.log(
            level, "Not following redirect from %s to %s: %s", chain[-1], request.url, reason
        )
        raise IgnoreRequest(f"{reason}: {request.url}")

    def page_not_fetched(self, failure: Failure) -> Failure | list[Request]:
        """Errback of page requests.

        Download and HTTP errors are returned unchanged, so Scrapy handles and logs them as it
        would without an errback. A page the incremental middleware did not fetch leaves the
        pending set; one skipped as stored is remembered (it no longer counts against
        ``max_pages``) and requested again at once if a feed or sitemap dated it while it waited.
        """
        request = getattr(failure, "request", None)
        if not isinstance(request, Request):
            self._count_failure(failure)
            return failure
        url = request.meta.get(META_URL, request.url)
        self._pending.discard(url)
        late_hints = self._late_hints.pop(url, None)
        not_fetched = request.meta.get(META_NOT_FETCHED)
        if not_fetched == NOT_FETCHED_UNCHANGED:
            return []
        if not_fetched != NOT_FETCHED_STORED:
            self._count_failure(failure)
            return failure
        self._skipped.add(url)
        if late_hints is not None and (retry := self._recheck_request(url, late_hints)):
            return [retry]
        return []

    # --- helpers --------------------------------------------------------------------------------

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)

    def _count_failure(self, failure: Failure) -> None:
        reason = failure_reason(failure.value) if failure.value is not None else None
        if reason is not None:
            self._inc(f"{FETCH_FAILED}/{reason}")

    def _admit(self, url: str, *, article_only: bool) -> bool:
        """Policy check with a stat per rejection reason (``newscrawl/<reason>_filtered``)."""
        reason = self.policy.rejection(url)
        if reason is not None:
            self._inc(f"{reason}_filtered")
            return False
        if article_only and not self.policy.matches_allow(url):
            self._inc("allow_filtered")
            return False
        return True

    def _page_limit_hit(self) -> bool:
        fetched = len(self._scheduled) - len(self._skipped)
        return bool(self.max_pages) and fetched >= self.max_pages

    def _too_old_before(self) -> datetime | None:
        """Publication dates before this are too old for the site (``max_article_age``)."""
        max_age: timedelta | None = self.site.max_article_age
        return datetime.now(UTC) - max_age if max_age is not None else None

    def _page_request(
        self,
        url: str,
        *,
        depth: int,
        priority: int,
        hints: DiscoveryHints | None = None,
        kind: str = KIND_PAGE,
    ) -> Request | None:
        """A request for a page not scheduled before, within max_pages; else None.

        A page already skipped as stored is requested again when ``hints`` date it.
        """
        if url in self._scheduled:
            if hints is not None and url in self._pending:
                self._late_hints.setdefault(url, hints)
            elif hints is not None and url in self._skipped:
                return self._recheck_request(url, hints)
            return None
        if self._page_limit_hit():
            self._inc("page_limit_reached")
            if not self._page_limit_logged:
                self._page_limit_logged = True
                logger.info("Page limit of %d reached; scheduling no more pages", self.max_pages)
            return None
        self._scheduled.add(url)
        self._pending.add(url)
        self._inc("pages_scheduled")
        meta: dict[str, Any] = {META_DEPTH: depth, META_URL: url, META_KIND: kind}
        if hints is not None:
            meta[META_HINTS] = hints
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_not_fetched,
            meta=meta,
            priority=priority,
            dont_filter=kind == KIND_START,
        )

    def _recheck_request(self, url: str, hints: DiscoveryHints) -> Request | None:
        """Request a page skipped as stored again when ``hints`` date it after the start of the
        site's last successful run (or at all, without one); else None."""
        changed = recrawl.changed_at(hints.lastmod, hints.published)
        if changed is None or (self.changed_since is not None and changed < self.changed_since):
            return None
        self._skipped.discard(url)
        self._pending.add(url)
        self._inc("pages_rechecked")
        meta = {META_DEPTH: 1, META_URL: url, META_KIND: KIND_PAGE, META_HINTS: hints}
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_not_fetched,
            meta=meta,
            priority=ARTICLE_PRIORITY,
            dont_filter=True,  # the dupefilter saw the skipped request
        )

    def _discovery_request(
        self,
        url: str,
        callback: Any,
        kind: str,
        *,
        errback: Any = None,
        allow_offsite: bool = False,
        **meta: Any,
    ) -> Request | None:
        """A request for a robots.txt, feed or sitemap URL not requested before in this crawl.

        Always fetched (``dont_filter``): a re-crawl must re-read them.
        """
        if url in self._discovery_seen:
            return None
        self._discovery_seen.add(url)
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

    def _sitemap_request(self, url: str, *, depth: int) -> Request | None:
        # A sitemap named by the site's config, its robots.txt or its sitemap index may live on
        # another host (a CDN); the page entries it lists are still held to the site's policy.
        if depth > MAX_SITEMAP_DEPTH:
            self._inc("sitemap_depth_limited")
            return None
        return self._discovery_request(
            url, self.parse_sitemap, KIND_SITEMAP, allow_offsite=True, **{META_SITEMAP_DEPTH: depth}
        )

    def _discovered_feed_request(self, url: str) -> Request | None:
        if url in self._discovery_seen:
            return None
        if not self.policy.is_on_site(url):
            self._inc("offsite_filtered")
            return None
        if self._discovered_feeds >= MAX_DISCOVERED_FEEDS:
            self._inc("feed_limit_reached")
            return None
        self._discovered_feeds += 1
        self._inc("feeds_discovered")
        return self._discovery_request(url, self.parse_feed, KIND_FEED)

    def _guessed_sitemap(self, robots_url: str) -> Iterator[Request]:
        if request := self._sitemap_request(urljoin(robots_url, "/sitemap.xml"), depth=0):
            self._inc("sitemaps_guessed")
            yield request

    def _fetched_page(
        self,
        response: Response,
        html: str,
        hints: DiscoveryHints | None,
        tree: HtmlElement | None = None,
    ) -> FetchedPage:
        return FetchedPage(
            url=response.url,
            html=html,
            site=self.site.name,
            fetched_at=datetime.now(UTC),
            status=response.status,
            hints=hints,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            content_type=_header(response, b"Content-Type"),
            language_hint=self.site.language,
            date_order=self.site.date_order,
            tree=tree,
        )
