"""The crawl frontier of one site: which URL to request next, with which priority, and why not.

Plain, typed and reactor-free: the news spider offers every URL it finds (start pages, links,
feed and sitemap entries, feeds, sitemaps, robots.txt) and turns each :class:`Decision` that says
``fetch`` into a request; every other decision names its reason, which the spider counts in
``newscrawl/<reason>``. The frontier owns the crawl's state:

* pages are de-duplicated by canonical URL (tracking parameters, session ids, ``%7E``/``~``
  variants are one page) and counted against ``max_pages`` (0 = no limit); a page the store said
  needs no fetch stops counting;
* links are followed up to ``max_depth`` hops from a start page; feed and sitemap entries are
  one hop; article-looking URLs are fetched before navigation pages;
* hints (feed or news-sitemap data) that arrive for a page already on its way wait for its
  response; a page skipped as stored is requested once more when hints date it after the start
  of the site's last successful run (``changed_since``);
* feed and sitemap entries published before ``max_article_age`` are not scheduled, nor are
  sitemap entries dated before ``changed_since``;
* robots.txt, feeds and sitemaps are requested once each, sitemaps nested at most
  ``MAX_SITEMAP_DEPTH`` deep, at most ``MAX_DISCOVERED_FEEDS`` autodiscovered feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from newscrawl.discovery import recrawl
from newscrawl.discovery.links import UrlPolicy, looks_like_article
from newscrawl.discovery.requests import ARTICLE_PRIORITY, PAGE_PRIORITY
from newscrawl.items import DiscoveryHints
from newscrawl.normalization.urls import canonicalize_url

MAX_SITEMAP_DEPTH = 3  # sitemap index → index → index → urlset, no deeper
MAX_DISCOVERED_FEEDS = 20  # autodiscovered feeds per crawl (configured feeds are not limited)

Action = Literal["fetch", "recheck", "skip"]


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one offered URL.

    ``fetch``: request it; ``recheck``: request a page again though it was seen (the dupefilter
    saw it: the request must not be filtered); ``skip``: do not, for ``reason`` (a stat name such
    as ``duplicate``, ``page_limit_reached``, ``offsite_filtered``).
    """

    action: Action
    reason: str
    priority: int = PAGE_PRIORITY
    depth: int = 0
    hints: DiscoveryHints | None = None

    @property
    def requested(self) -> bool:
        """True when the URL is to be requested (fetch or recheck)."""
        return self.action != "skip"


def _skip(reason: str) -> Decision:
    return Decision("skip", reason)


@dataclass(slots=True)
class Frontier:
    """The state and rules of one site's crawl frontier (see the module doc)."""

    policy: UrlPolicy
    max_pages: int = 0
    max_depth: int = 3
    follow_links: bool = True
    max_article_age: timedelta | None = None
    changed_since: datetime | None = None  # start of the site's last successful run
    _scheduled: set[str] = field(default_factory=set)  # page keys counted against max_pages
    _pending: set[str] = field(default_factory=set)  # scheduled page keys not answered yet
    _skipped: set[str] = field(default_factory=set)  # page keys the store said need no fetch
    _late_hints: dict[str, DiscoveryHints] = field(default_factory=dict)
    _discovery_seen: set[str] = field(default_factory=set)  # robots.txt, feed, sitemap URLs
    _discovered_feeds: int = 0
    _limit_announced: bool = False

    # --- pages ----------------------------------------------------------------------------------

    def offer_start(self, url: str) -> Decision:
        """A start page: always requested while the page budget lasts."""
        return self._offer_page(url, depth=0, priority=PAGE_PRIORITY, hints=None)

    def offer_link(self, url: str, depth: int) -> Decision:
        """A link found on a page ``depth`` hops from a start page (``depth`` counts the link)."""
        if reason := self.policy.rejection(url):
            return _skip(f"{reason}_filtered")
        is_article = (
            self.policy.matches_allow(url) if self.policy.allow else looks_like_article(url)
        )
        priority = ARTICLE_PRIORITY if is_article else PAGE_PRIORITY
        return self._offer_page(url, depth=depth, priority=priority, hints=None)

    def offer_entry(self, url: str, hints: DiscoveryHints) -> Decision:
        """A feed or sitemap entry (an article candidate) with what its entry said."""
        if reason := self.policy.rejection(url):
            return _skip(f"{reason}_filtered")
        if not self.policy.matches_allow(url):
            return _skip("allow_filtered")
        if hints.source != "feed" and recrawl.sitemap_entry_unchanged(
            hints.lastmod, hints.published, self.changed_since
        ):
            return _skip("sitemap_unchanged_filtered")
        if recrawl.published_before(hints.published, self.too_old_before()):
            return _skip("too_old_filtered")
        return self._offer_page(url, depth=1, priority=ARTICLE_PRIORITY, hints=hints)

    def follows_links_from(self, depth: int) -> bool:
        """True when links on a page ``depth`` hops from a start page are followed."""
        return self.follow_links and depth < self.max_depth

    def page_answered(self, url: str) -> DiscoveryHints | None:
        """A page's response arrived (or its request was refused): it is no longer pending.
        Returns hints that arrived for it while it was on its way."""
        key = self._key(url)
        self._pending.discard(key)
        return self._late_hints.pop(key, None)

    def page_not_fetched(self, url: str, *, stored: bool) -> Decision | None:
        """The incremental middleware did not fetch a page: ``stored`` (outside its recrawl window)
        or not modified. A stored page stops counting against ``max_pages`` and is re-checked at
        once (the returned decision) if hints that date it arrived while it waited."""
        late_hints = self.page_answered(url)
        if not stored:
            return None
        key = self._key(url)
        self._skipped.add(key)
        if late_hints is None:
            return None
        return self._recheck(key, late_hints)

    @property
    def page_limit_hit(self) -> bool:
        """True once ``max_pages`` pages (less those skipped as stored) are scheduled."""
        fetched = len(self._scheduled) - len(self._skipped)
        return bool(self.max_pages) and fetched >= self.max_pages

    def announce_limit(self) -> bool:
        """True the first time it is called after the page limit was hit (to log it once)."""
        if not self.page_limit_hit or self._limit_announced:
            return False
        self._limit_announced = True
        return True

    def too_old_before(self, now: datetime | None = None) -> datetime | None:
        """Publication dates before this are too old for the site (``max_article_age``)."""
        if self.max_article_age is None:
            return None
        return (now or datetime.now(UTC)) - self.max_article_age

    # --- robots.txt, feeds, sitemaps ------------------------------------------------------------

    def offer_discovery(self, url: str) -> Decision:
        """A robots.txt or a configured feed: requested once per crawl."""
        if url in self._discovery_seen:
            return _skip("duplicate")
        self._discovery_seen.add(url)
        return Decision("fetch", "discovery")

    def offer_sitemap(self, url: str, depth: int) -> Decision:
        """A sitemap ``depth`` levels below one from the config or robots.txt: once, not too deep."""
        if depth > MAX_SITEMAP_DEPTH:
            return _skip("sitemap_depth_limited")
        return self.offer_discovery(url)

    def offer_discovered_feed(self, url: str) -> Decision:
        """A feed a page links to (``<link rel=alternate>``): on the site, within the limit."""
        if url in self._discovery_seen:
            return _skip("duplicate")
        if not self.policy.is_on_site(url):
            return _skip("offsite_filtered")
        if self._discovered_feeds >= MAX_DISCOVERED_FEEDS:
            return _skip("feed_limit_reached")
        self._discovered_feeds += 1
        self._discovery_seen.add(url)
        return Decision("fetch", "feeds_discovered")

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _key(url: str) -> str:
        return canonicalize_url(url) or url

    def _offer_page(
        self, url: str, *, depth: int, priority: int, hints: DiscoveryHints | None
    ) -> Decision:
        key = self._key(url)
        if key in self._scheduled:
            if hints is not None and key in self._pending:
                self._late_hints.setdefault(key, hints)
                return _skip("hints_held")
            if hints is not None and key in self._skipped:
                return self._recheck(key, hints) or _skip("duplicate")
            return _skip("duplicate")
        if self.page_limit_hit:
            return _skip("page_limit_reached")
        self._scheduled.add(key)
        self._pending.add(key)
        return Decision("fetch", "pages_scheduled", priority, depth, hints)

    def _recheck(self, key: str, hints: DiscoveryHints) -> Decision | None:
        """Re-request a page skipped as stored when ``hints`` date it after the start of the
        site's last successful run (or at all, without one)."""
        changed = recrawl.changed_at(hints.lastmod, hints.published)
        if changed is None or (self.changed_since is not None and changed < self.changed_since):
            return None
        self._skipped.discard(key)
        self._pending.add(key)
        return Decision("recheck", "pages_rechecked", ARTICLE_PRIORITY, 1, hints)
