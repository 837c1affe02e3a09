"""IncrementalMiddleware and the news spider's incremental parts, without a reactor: real Scrapy
crawler objects, requests and responses, and a real migrated SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newscrawl.database import crawl_database
from newscrawl.discovery.requests import (
    KIND_FEED,
    KIND_PAGE,
    KIND_ROBOTS,
    KIND_SITEMAP,
    KIND_START,
    META_HINTS,
    META_KIND,
    META_NOT_FETCHED,
    NOT_FETCHED_STORED,
)
from newscrawl.incremental import (
    ArticleNotModified,
    IncrementalMiddleware,
    StoredArticleSkipped,
)
from newscrawl.items import Article, DiscoveryHints
from newscrawl.spiders.news import NewsSpider
from newscrawl.storage import ArticleStore

BASE = "https://worldmag.example/"
OLD = f"{BASE}2025/03/01/budget-vote/"
NOW = datetime.now(UTC)


def sites_toml(tmp_path: Path, window: str = "48h") -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(
        f'[sites.worldmag]\nstart_urls = ["{BASE}"]\nfeeds = ["{BASE}feed/"]\n'
        f'sitemaps = ["{BASE}sitemap.xml"]\nrecrawl_window = "{window}"\n',
        encoding="utf-8",
    )
    return path


OpenCrawl = Callable[..., tuple[NewsSpider, IncrementalMiddleware]]


@pytest.fixture
def open_crawl(tmp_path: Path, db_url: str) -> Iterator[OpenCrawl]:
    """``open_crawl(window="48h")``: a spider for site worldmag and its opened middleware."""
    opened: list[tuple[NewsSpider, IncrementalMiddleware]] = []

    def open_one(window: str = "48h") -> tuple[NewsSpider, IncrementalMiddleware]:
        settings = {
            "NEWSCRAWL_SITES_FILE": str(sites_toml(tmp_path, window)),
            "NEWSCRAWL_DATABASE_URL": db_url,
        }
        crawler = get_crawler(NewsSpider, settings)
        spider = NewsSpider.from_crawler(crawler, site="worldmag")
        middleware = IncrementalMiddleware.from_crawler(crawler)
        middleware.spider_opened(spider)
        opened.append((spider, middleware))
        return spider, middleware

    yield open_one
    for spider, _middleware in opened:
        crawl_database(spider.crawler).close()


def stat(spider: NewsSpider, key: str) -> Any:
    return spider.crawler.stats.get_value(f"newscrawl/{key}")


def page(url: str, kind: str = KIND_PAGE, hints: DiscoveryHints | None = None) -> Request:
    meta: dict[str, Any] = {META_KIND: kind}
    if hints is not None:
        meta[META_HINTS] = hints
    return Request(url, meta=meta)


@pytest.fixture
def stored_old(store: ArticleStore, make_article: Callable[..., Article]) -> Article:
    """An article published and last seen ten days ago: outside a 48 h window."""
    article = make_article(
        url=OLD,
        canonical_url=OLD,
        published=NOW - timedelta(days=10),
        fetched_at=NOW - timedelta(days=10),
    )
    store.save(article)
    return article


@pytest.fixture
def stored_recent(store: ArticleStore, make_article: Callable[..., Article]) -> Article:
    """An article published an hour ago: inside its window, with validators."""
    article = make_article(
        "fresh",
        published=NOW - timedelta(hours=1),
        fetched_at=NOW - timedelta(minutes=30),
    )
    store.save(article)
    return article


def test_unknown_pages_pass_untouched(open_crawl: OpenCrawl) -> None:
    spider, middleware = open_crawl()
    request = page(f"{BASE}2025/03/02/new-story/")
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers
    assert stat(spider, "articles_skipped") is None


def test_a_stored_article_outside_its_window_is_skipped_once_counted(
    open_crawl: OpenCrawl, stored_old: Article
) -> None:
    spider, middleware = open_crawl()
    for _ in range(2):
        request = page(OLD)
        with pytest.raises(StoredArticleSkipped):
            middleware.process_request(request)
        assert request.meta[META_NOT_FETCHED] == NOT_FETCHED_STORED
    assert stat(spider, "articles_skipped") == 1  # distinct URLs


def test_the_canonical_form_of_the_request_url_is_looked_up(
    open_crawl: OpenCrawl, stored_old: Article
) -> None:
    _spider, middleware = open_crawl()
    with pytest.raises(StoredArticleSkipped):
        middleware.process_request(page(OLD + "?utm_source=newsletter#comments"))


@pytest.mark.parametrize("kind", [KIND_START, KIND_FEED, KIND_SITEMAP, KIND_ROBOTS, None])
def test_start_pages_feeds_sitemaps_and_robots_are_never_skipped(
    open_crawl: OpenCrawl, stored_old: Article, kind: str | None
) -> None:
    _spider, middleware = open_crawl()
    request = Request(OLD, meta={META_KIND: kind} if kind else {})
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers


def test_a_newer_feed_or_sitemap_date_rechecks_a_stored_article(
    open_crawl: OpenCrawl, stored_old: Article
) -> None:
    spider, middleware = open_crawl()
    hints = DiscoveryHints(source="sitemap", lastmod=NOW.isoformat())
    request = page(OLD, hints=hints)
    assert middleware.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"v1"'
    older = DiscoveryHints(source="sitemap", lastmod=(NOW - timedelta(days=20)).isoformat())
    with pytest.raises(StoredArticleSkipped):
        middleware.process_request(page(OLD, hints=older))
    assert stat(spider, "articles_rechecked") == 1


def test_inside_its_window_a_304_touches_the_article_and_ends_the_request(
    open_crawl: OpenCrawl, store: ArticleStore, stored_recent: Article
) -> None:
    spider, middleware = open_crawl()
    before = store.get(stored_recent.canonical_url)
    assert before is not None
    request = page(stored_recent.url)
    assert middleware.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Sat, 01 Mar 2025 08:00:00 GMT"
    assert stat(spider, "conditional_requests") == 1

    with pytest.raises(ArticleNotModified):
        middleware.process_response(request, Response(request.url, status=304, request=request))
    after = store.get(stored_recent.canonical_url)
    assert after is not None
    assert after.last_seen_at > before.last_seen_at
    assert (after.fetched_at, after.content_hash) == (before.fetched_at, before.content_hash)
    assert stat(spider, "articles_not_modified") == 1

    fresh = page(stored_recent.url)
    middleware.process_request(fresh)
    ok = TextResponse(fresh.url, status=200, body=b"<html></html>", request=fresh)
    assert middleware.process_response(fresh, ok) is ok


def test_a_wider_window_covers_older_articles(open_crawl: OpenCrawl, stored_old: Article) -> None:
    _spider, middleware = open_crawl(window="30d")
    request = page(OLD)
    assert middleware.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"v1"'


def test_the_spider_learns_when_the_last_successful_run_started(
    open_crawl: OpenCrawl, store: ArticleStore
) -> None:
    spider, _middleware = open_crawl()
    asyncio.run(start_requests(spider))
    assert spider.frontier.changed_since is None
    started = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    run = store.start_run("worldmag", 1, "h", started)
    store.finish_run(run, "finished")
    store.start_run("worldmag", 2, "h", started + timedelta(hours=1))  # still running: ignored
    spider, _middleware = open_crawl()
    asyncio.run(start_requests(spider))
    assert spider.frontier.changed_since == started


def test_incremental_mode_can_be_switched_off() -> None:
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_INCREMENTAL": False})
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(crawler)


# --- the spider -------------------------------------------------------------------------------


async def start_requests(spider: NewsSpider) -> list[Request]:
    return [request async for request in spider.start()]


def make_spider(tmp_path: Path) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_SITES_FILE": str(sites_toml(tmp_path))})
    return NewsSpider.from_crawler(crawler, site="worldmag")


def test_every_start_request_says_what_it_fetches_and_bypasses_the_dupefilter(
    tmp_path: Path,
) -> None:
    spider = make_spider(tmp_path)

    requests = asyncio.run(start_requests(spider))
    assert [(r.url, r.meta[META_KIND], r.dont_filter) for r in requests] == [
        (f"{BASE}robots.txt", KIND_ROBOTS, True),
        (f"{BASE}feed/", KIND_FEED, True),
        (f"{BASE}sitemap.xml", KIND_SITEMAP, True),
        (BASE, KIND_START, True),
    ]


SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{BASE}2025/03/01/budget-vote/</loc><lastmod>2025-03-01T09:00:00Z</lastmod></url>
<url><loc>{BASE}2025/03/09/port-strike/</loc><lastmod>2025-03-09T09:00:00Z</lastmod></url>
<url><loc>{BASE}2025/03/09/undated/</loc></url>
</urlset>""".encode()


def test_sitemap_entries_older_than_the_last_successful_run_are_not_scheduled(
    tmp_path: Path,
) -> None:
    spider = make_spider(tmp_path)
    spider.frontier.changed_since = datetime(2025, 3, 5, tzinfo=UTC)
    url = f"{BASE}sitemap.xml"
    response = TextResponse(url, body=SITEMAP, request=Request(url))
    requests = list(spider.parse_sitemap(response))
    assert [r.url for r in requests] == [
        f"{BASE}2025/03/09/port-strike/",
        f"{BASE}2025/03/09/undated/",
    ]
    assert all(r.meta[META_KIND] == KIND_PAGE and not r.dont_filter for r in requests)
    assert stat(spider, "sitemap_unchanged_filtered") == 1


def skipped(request: Request) -> Failure:
    request.meta[META_NOT_FETCHED] = NOT_FETCHED_STORED
    failure = Failure(StoredArticleSkipped("stored"))
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy's scraper sets it
    return failure


def test_a_skipped_page_is_requested_again_when_a_later_entry_dates_it_newer(
    tmp_path: Path,
) -> None:
    spider = make_spider(tmp_path)
    spider.frontier.changed_since = datetime(2025, 3, 5, tzinfo=UTC)
    url = f"{BASE}2025/03/01/budget-vote/"
    first = spider._page_request(url, spider.frontier.offer_link(url, 1))
    assert first is not None
    assert spider.page_not_fetched(skipped(first)) == []
    old = DiscoveryHints(source="feed", published="2025-03-01T09:00:00Z")
    assert spider._page_request(url, spider.frontier.offer_entry(url, old)) is None
    new = DiscoveryHints(source="sitemap", lastmod="2025-03-09T09:00:00Z")
    again = spider._page_request(url, spider.frontier.offer_entry(url, new))
    assert again is not None
    assert again.dont_filter
    assert again.meta[META_HINTS] == new
    assert stat(spider, "pages_rechecked") == 1


def test_hints_that_arrive_while_a_page_waits_are_used_when_it_is_skipped(
    tmp_path: Path,
) -> None:
    spider = make_spider(tmp_path)
    url = f"{BASE}2025/03/01/budget-vote/"
    first = spider._page_request(url, spider.frontier.offer_link(url, 2))  # a link, no hints
    assert first is not None
    late = DiscoveryHints(source="feed", published="2025-03-09T09:00:00Z")
    assert spider._page_request(url, spider.frontier.offer_entry(url, late)) is None  # pending
    [again] = spider.page_not_fetched(skipped(first))  # type: ignore[misc]
    assert again.meta[META_HINTS] == late
    assert again.dont_filter


def test_other_failures_pass_through_the_errback(tmp_path: Path) -> None:
    spider = make_spider(tmp_path)
    url = f"{BASE}2025/03/01/x/"
    request = spider._page_request(url, spider.frontier.offer_link(url, 1))
    assert request is not None
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = request  # type: ignore[attr-defined]
    assert spider.page_not_fetched(failure) is failure


def test_feed_and_sitemap_entries_older_than_max_article_age_are_not_fetched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "aged.toml"
    path.write_text(
        f'[sites.worldmag]\nstart_urls = ["{BASE}"]\nmax_article_age = "30d"\n', encoding="utf-8"
    )
    spider = NewsSpider.from_crawler(
        get_crawler(NewsSpider, {"NEWSCRAWL_SITES_FILE": str(path)}), site="worldmag"
    )
    recent = (NOW - timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    feed = f"""<rss version="2.0"><channel><title>t</title>
<item><title>Old</title><link>{BASE}2020/01/05/old-story/</link>
<pubDate>Sun, 05 Jan 2020 10:00:00 +0000</pubDate></item>
<item><title>New</title><link>{BASE}2025/03/09/new-story/</link>
<pubDate>{recent}</pubDate></item>
</channel></rss>""".encode()
    url = f"{BASE}feed/"
    requests = list(spider.parse_feed(TextResponse(url, body=feed, request=Request(url))))
    assert [r.url for r in requests] == [f"{BASE}2025/03/09/new-story/"]
    assert stat(spider, "too_old_filtered") == 1
