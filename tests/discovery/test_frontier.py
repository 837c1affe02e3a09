"""The crawl frontier as plain code: what is requested next, and why not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newscrawl.discovery.frontier import MAX_DISCOVERED_FEEDS, MAX_SITEMAP_DEPTH, Frontier
from newscrawl.discovery.links import UrlPolicy
from newscrawl.discovery.requests import ARTICLE_PRIORITY, PAGE_PRIORITY
from newscrawl.items import DiscoveryHints
from newscrawl.sites import SiteConfig

BASE = "https://news.example/"
STORY = f"{BASE}2025/03/01/budget-vote-passes-after-long-night/"
SINCE = datetime(2025, 3, 5, tzinfo=UTC)


def frontier(**limits: object) -> Frontier:
    site = SiteConfig.ad_hoc(BASE)
    return Frontier(UrlPolicy.from_site(site), **limits)  # type: ignore[arg-type]


def feed(published: str) -> DiscoveryHints:
    return DiscoveryHints(source="feed", published=published)


def test_a_page_is_requested_once_whatever_tracking_parameters_it_carries() -> None:
    f = frontier()
    assert f.offer_link(STORY, 1).action == "fetch"
    assert f.offer_link(STORY + "?utm_source=feed&utm_medium=rss", 1).reason == "duplicate"
    assert f.offer_link(STORY + "#comments", 2).reason == "duplicate"


def test_article_looking_links_come_before_navigation() -> None:
    f = frontier()
    assert f.offer_link(STORY, 1).priority == ARTICLE_PRIORITY
    assert f.offer_link(f"{BASE}world/", 1).priority == PAGE_PRIORITY


def test_the_page_budget_counts_scheduled_pages_and_frees_skipped_ones() -> None:
    f = frontier(max_pages=2)
    first, second = f"{BASE}2025/03/01/a-long-story-slug/", f"{BASE}2025/03/01/b-long-story-slug/"
    assert f.offer_link(first, 1).requested and f.offer_link(second, 1).requested
    third = f"{BASE}2025/03/01/c-long-story-slug/"
    assert f.offer_link(third, 1).reason == "page_limit_reached"
    assert f.page_limit_hit and f.announce_limit() and not f.announce_limit()
    assert f.page_not_fetched(first, stored=True) is None  # stored: no longer counts
    assert f.offer_link(third, 1).requested


def test_links_are_followed_up_to_max_depth() -> None:
    f = frontier(max_depth=2)
    assert f.follows_links_from(0) and f.follows_links_from(1)
    assert not f.follows_links_from(2)
    assert not frontier(max_depth=3, follow_links=False).follows_links_from(0)


def test_links_the_policy_refuses_are_named() -> None:
    f = frontier()
    assert f.offer_link("https://elsewhere.example/2025/03/01/x/", 1).reason == "offsite_filtered"
    assert f.offer_link(f"{BASE}wp-login.php", 1).action == "skip"


def test_hints_for_a_page_on_its_way_wait_for_its_response() -> None:
    f = frontier()
    assert f.offer_link(STORY, 1).requested
    hints = feed("2025-03-09T09:00:00Z")
    assert f.offer_entry(STORY, hints).reason == "hints_held"
    assert f.page_answered(STORY) == hints
    assert f.page_answered(STORY) is None


def test_a_skipped_page_is_rechecked_when_hints_date_it_after_the_last_run() -> None:
    f = frontier()
    f.changed_since = SINCE
    assert f.offer_link(STORY, 1).requested
    assert f.page_not_fetched(STORY, stored=True) is None
    assert f.offer_entry(STORY, feed("2025-03-01T09:00:00Z")).reason == "duplicate"
    again = f.offer_entry(STORY, feed("2025-03-09T09:00:00Z"))
    assert (again.action, again.reason) == ("recheck", "pages_rechecked")
    assert again.hints is not None


def test_hints_that_arrive_while_a_page_waits_recheck_it_when_it_is_skipped() -> None:
    f = frontier()
    assert f.offer_link(STORY, 2).requested
    f.offer_entry(STORY, feed("2025-03-09T09:00:00Z"))
    decision = f.page_not_fetched(STORY, stored=True)
    assert decision is not None and decision.action == "recheck"
    assert f.page_not_fetched(STORY, stored=False) is None  # 304: nothing more to do


def test_sitemap_entries_older_than_the_last_successful_run_are_not_scheduled() -> None:
    f = frontier()
    f.changed_since = SINCE
    old = DiscoveryHints(source="sitemap", lastmod="2025-03-01T09:00:00Z")
    assert f.offer_entry(STORY, old).reason == "sitemap_unchanged_filtered"
    undated = DiscoveryHints(source="sitemap")
    assert f.offer_entry(STORY, undated).requested


def test_entries_older_than_max_article_age_are_not_scheduled() -> None:
    f = frontier(max_article_age=timedelta(days=30))
    old = feed("Sun, 05 Jan 2020 10:00:00 +0000")
    assert f.offer_entry(STORY, old).reason == "too_old_filtered"
    recent = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    assert f.offer_entry(STORY, feed(recent)).depth == 1


def test_allow_patterns_keep_other_entries_out() -> None:
    site = SiteConfig(name="n", start_urls=(BASE,), allowed_domains=("news.example",),
                      allow=("/2025/",))  # fmt: skip
    f = Frontier(UrlPolicy.from_site(site))
    assert f.offer_entry(f"{BASE}about/", feed("2025-03-09")).reason == "allow_filtered"
    assert f.offer_link(f"{BASE}about/", 1).requested  # links still lead through other pages


def test_discovery_documents_are_requested_once_and_bounded() -> None:
    f = frontier()
    assert f.offer_discovery(f"{BASE}robots.txt").requested
    assert not f.offer_discovery(f"{BASE}robots.txt").requested
    assert f.offer_sitemap(f"{BASE}s.xml", MAX_SITEMAP_DEPTH).requested
    assert f.offer_sitemap(f"{BASE}t.xml", MAX_SITEMAP_DEPTH + 1).reason == "sitemap_depth_limited"
    assert f.offer_discovered_feed("https://elsewhere.example/feed/").reason == "offsite_filtered"
    reasons = [f.offer_discovered_feed(f"{BASE}feed/{n}/").reason for n in range(25)]
    assert reasons.count("feeds_discovered") == MAX_DISCOVERED_FEEDS
    assert reasons[-1] == "feed_limit_reached"
