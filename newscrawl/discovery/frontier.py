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
  ``MAX_SITEMAP_DEPTH`` deep, at most ``MAX_DISCOVERED_FEEDS`` autodiscovered feeds;
* sitemaps are budgeted: at most ``max_sitemaps`` per crawl, and no feed or sitemap once
  ``max_discovery_bytes`` of them were downloaded. Sitemaps wait in a queue, newest ``lastmod``
  first, and only ``SITEMAPS_IN_FLIGHT`` are read at a time: none is requested once the page
  budget is met, so an index of 300 sitemaps with ``max_pages=20`` costs a sitemap or two, not
  300 (:meth:`Frontier.queue_sitemaps`, :meth:`Frontier.next_sitemaps`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
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
SITEMAPS_IN_FLIGHT = 2  # sitemaps downloaded at a time

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
    max_sitemaps: int = 0  # sitemaps requested per crawl (0 = no limit)
    max_discovery_bytes: int = 0  # bytes of feeds and sitemaps per crawl (0 = no limit)
    _sitemap_queue: list[tuple[float, int, str, int]] = field(default_factory=list)
    _sitemap_order: itertools.count[int] = field(default_factory=itertools.count)
    _sitemaps_requested: int = 0
    _sitemaps_in_flight: int = 0
    _discovery_bytes: int = 0

    # --- pages ----------------------------------------------------------------------------------

    def offer_start(self, url: str) -> Decision:
        """A start page: always requested while the page budget lasts."""
        return self._offer_page(url, depth=0, priority=PAGE_PRIORITY, hints=None)

    def offer_link(self, url: str, depth: int) -> Decision:
        """A link found on a page ``depth`` hops from a start page (``depth`` counts the link)."""
        if self._key(url) in self._scheduled:
            return _skip("duplicate")  # accepted before: the policy's answer is the same
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
        """A sitemap ``depth`` levels below one from the config or robots.txt: once, not too
        deep, within the sitemap and byte budgets."""
        if depth > MAX_SITEMAP_DEPTH:
            return _skip("sitemap_depth_limited")
        if url in self._discovery_seen:
            return _skip("duplicate")
        if self.max_sitemaps and self._sitemaps_requested >= self.max_sitemaps:
            return _skip("sitemap_limit_reached")
        if self.discovery_budget_spent:
            return _skip("discovery_bytes_limited")
        self._sitemaps_requested += 1
        return self.offer_discovery(url)

    def queue_sitemaps(self, sitemaps: Iterable[tuple[str, str | None]], depth: int) -> int:
        """Queue sitemaps ``(url, lastmod)`` found ``depth`` levels down; returns how many were
        left out because the sitemap budget cannot reach them (only the newest that fit are
        kept; undated ones come after dated ones, in their order)."""
        room = (
            self.max_sitemaps - self._sitemaps_requested - len(self._sitemap_queue)
            if self.max_sitemaps
            else None
        )
        keyed = (
            (-_timestamp(lastmod), next(self._sitemap_order), url, depth)
            for url, lastmod in sitemaps
            if url not in self._discovery_seen
        )
        if room is None:
            chosen = list(keyed)
            left_out = 0
        else:
            candidates = list(keyed)
            chosen = heapq.nsmallest(max(room, 0), candidates)
            left_out = len(candidates) - len(chosen)
        for item in chosen:
            heapq.heappush(self._sitemap_queue, item)
        return left_out

    def next_sitemaps(self) -> list[tuple[str, int, Decision]]:
        """Queued sitemaps to request now, ``(url, depth, decision)``, newest first: taken while
        fewer than ``SITEMAPS_IN_FLIGHT`` are on their way (a refused one comes with its skip
        decision, to count). None once the page budget is met (:meth:`drop_sitemap_queue`)."""
        taken: list[tuple[str, int, Decision]] = []
        if self.page_limit_hit:
            return taken
        while self._sitemap_queue and self._sitemaps_in_flight < SITEMAPS_IN_FLIGHT:
            _key, _order, url, depth = heapq.heappop(self._sitemap_queue)
            decision = self.offer_sitemap(url, depth)
            if decision.requested:
                self._sitemaps_in_flight += 1
            taken.append((url, depth, decision))
        return taken

    def drop_sitemap_queue(self) -> int:
        """Once the page budget is met: forget the queued sitemaps; returns how many."""
        if not self.page_limit_hit:
            return 0
        dropped = len(self._sitemap_queue)
        self._sitemap_queue.clear()
        return dropped

    def sitemap_answered(self, size: int = 0) -> None:
        """A sitemap's response (``size`` bytes) or failure arrived: one fewer on its way."""
        self._sitemaps_in_flight = max(0, self._sitemaps_in_flight - 1)
        self.count_discovery_bytes(size)

    def sitemaps_stalled(self) -> None:
        """Nothing else to do (the spider is idle): requests that never answered (dropped on
        the way) no longer hold their place, so the queue moves on."""
        self._sitemaps_in_flight = 0

    @property
    def sitemaps_waiting(self) -> int:
        """Sitemaps queued and not requested yet."""
        return len(self._sitemap_queue)

    def count_discovery_bytes(self, size: int) -> None:
        """Add a downloaded feed or sitemap body to the crawl's byte budget."""
        self._discovery_bytes += max(0, size)

    @property
    def discovery_budget_spent(self) -> bool:
        """True once ``max_discovery_bytes`` of feeds and sitemaps were downloaded."""
        return bool(self.max_discovery_bytes) and self._discovery_bytes >= self.max_discovery_bytes

    def offer_discovered_feed(self, url: str) -> Decision:
        """A feed a page links to (``<link rel=alternate>``): on the site, within the limit."""
        if url in self._discovery_seen:
            return _skip("duplicate")
        if not self.policy.is_on_site(url):
            return _skip("offsite_filtered")
        if self._discovered_feeds >= MAX_DISCOVERED_FEEDS:
            return _skip("feed_limit_reached")
        if self.discovery_budget_spent:
            return _skip("discovery_bytes_limited")
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


def _timestamp(lastmod: str | None) -> float:
    """A sitemap ``lastmod`` (W3C datetime, a profile of ISO 8601) as a POSIX timestamp;
    ``-inf`` when missing or unreadable (such sitemaps are read last)."""
    if not lastmod:
        return float("-inf")
    try:
        value = datetime.fromisoformat(lastmod.strip())
    except ValueError:
        return float("-inf")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()
