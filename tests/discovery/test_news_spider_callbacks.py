"""The news spider's callbacks on real Scrapy responses, without a reactor or network.

The crawl behaviour end to end is in tests/crawl/test_spider_discovery.py; these cover the
orderings a real crawl cannot pin down (a feed read after the page was already scheduled) and
the limits, with exact stats.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from newscrawl import drops
from newscrawl.discovery.frontier import MAX_SITEMAP_DEPTH
from newscrawl.discovery.requests import META_DEPTH, META_SITEMAP_DEPTH
from newscrawl.items import DiscoveryHints, FetchedPage
from newscrawl.page import process_page
from newscrawl.spiders.news import NewsSpider

BASE = "https://news.example/"


def make_spider(tmp_path: Path, sites_toml: str | None = None, **arguments: str) -> NewsSpider:
    sites_file = tmp_path / "sites.toml"
    if sites_toml is not None:
        sites_file.write_text(sites_toml, encoding="utf-8")
    crawler = get_crawler(
        NewsSpider,
        {
            "NEWSCRAWL_SITES_FILE": str(sites_file),
            "NEWSCRAWL_MAX_PAGES": 100,
            "NEWSCRAWL_MAX_DEPTH": 2,
        },
    )
    spider = NewsSpider.from_crawler(crawler, **arguments)
    return spider


def stats(spider: NewsSpider) -> dict[str, Any]:
    return {
        key.removeprefix("newscrawl/"): value
        for key, value in spider.crawler.stats.get_stats().items()
        if key.startswith("newscrawl/")
    }


def html_response(request: Request, body: str) -> HtmlResponse:
    return HtmlResponse(
        request.url,
        body=body.encode(),
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'},
        request=request,
    )


def xml_response(url: str, body: bytes, meta: dict[str, Any] | None = None) -> Response:
    return TextResponse(url, body=body, request=Request(url, meta=meta or {}))


async def start_requests(spider: NewsSpider) -> list[Request]:
    return [request async for request in spider.start()]


RSS = b"""<rss version="2.0"><channel><title>t</title>
<item><title>Budget vote</title><link>https://news.example/2024/05/03/budget-vote/</link>
<pubDate>Fri, 03 May 2024 18:45:00 +0200</pubDate><category>Politics</category></item>
<item><title>Off</title><link>https://elsewhere.example/2024/05/03/x/</link></item>
</channel></rss>"""


def test_start_yields_robots_feeds_sitemaps_then_pages(tmp_path: Path):
    spider = make_spider(
        tmp_path,
        f"""[sites.n]
start_urls = ["{BASE}", "{BASE}world/"]
feeds = ["https://feeds.example/news.rss"]
sitemaps = ["{BASE}news-sitemap.xml"]
""",
        site="n",
    )
    requests = asyncio.run(start_requests(spider))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{BASE}robots.txt", "parse_robots"),
        ("https://feeds.example/news.rss", "parse_feed"),
        (f"{BASE}news-sitemap.xml", "parse_sitemap"),
        (BASE, "parse_page"),
        (f"{BASE}world/", "parse_page"),
    ]
    assert requests[1].meta["allow_offsite"] is True
    assert requests[3].meta[META_DEPTH] == 0


def test_hints_reach_a_page_scheduled_before_its_feed_was_read(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE)
    home = Request(BASE, meta={META_DEPTH: 0})
    links = list(
        spider.parse_page(html_response(home, '<a href="/2024/05/03/budget-vote/">Budget</a>'))
    )
    article_request = next(r for r in links if isinstance(r, Request))
    assert article_request.meta.get("newscrawl_hints") is None

    assert list(spider.parse_feed(xml_response(f"{BASE}feed/", RSS))) == []  # already scheduled
    (page,) = list(spider.parse_page(html_response(article_request, "<p>story</p>")))
    assert isinstance(page, FetchedPage)
    assert page.hints == DiscoveryHints(
        source="feed",
        title="Budget vote",
        published="Fri, 03 May 2024 18:45:00 +0200",
        keywords=("Politics",),
    )
    assert page.etag == '"abc"'
    assert page.fetched_at.utcoffset() is not None
    assert stats(spider)["offsite_filtered"] == 1  # the feed's off-site entry


def test_depth_limit_and_article_priority(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE, max_depth="1")
    body = '<a href="/2024/05/03/budget-vote/">a</a><a href="/world/">s</a>'
    out = list(spider.parse_page(html_response(Request(BASE, meta={META_DEPTH: 0}), body)))
    requests = {r.url: r for r in out if isinstance(r, Request)}
    assert requests[f"{BASE}2024/05/03/budget-vote/"].priority > requests[f"{BASE}world/"].priority
    assert requests[f"{BASE}world/"].meta[META_DEPTH] == 1

    deeper = list(spider.parse_page(html_response(requests[f"{BASE}world/"], body)))
    assert [type(x) for x in deeper] == [FetchedPage]  # depth 1 == max_depth: no links


def test_page_limit(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE, max_pages="2")
    body = "".join(f'<a href="/2024/05/0{i}/story-number-{i}/">x</a>' for i in range(1, 6))
    out = list(spider.parse_page(html_response(Request(BASE, meta={META_DEPTH: 0}), body)))
    assert len([r for r in out if isinstance(r, Request)]) == 2
    assert stats(spider)["pages_scheduled"] == 2
    assert stats(spider)["page_limit_reached"] == 3


def test_allow_patterns_make_other_pages_navigation_only(tmp_path: Path):
    spider = make_spider(
        tmp_path,
        f'[sites.n]\nstart_urls = ["{BASE}"]\nallow = ["/2024/"]\n',
        site="n",
    )
    out = list(spider.parse_page(html_response(Request(BASE), '<a href="/2024/05/03/x/">x</a>')))
    assert [type(x) for x in out] == [Request]
    assert stats(spider)["navigation_pages"] == 1

    image = Response(f"{BASE}media/pic", body=b"\x89PNG", request=Request(f"{BASE}media/pic"))
    assert list(spider.parse_page(image)) == []
    article_pdf = Response(
        f"{BASE}2024/05/03/scan",
        body=b"%PDF",
        headers={"Content-Type": "application/pdf"},
        request=Request(f"{BASE}2024/05/03/scan"),
    )
    (page,) = list(spider.parse_page(article_pdf))
    assert page.body == b"%PDF"
    assert page.content_type == "application/pdf"
    assert stats(spider)["non_html_pages"] == 2
    with pytest.raises(drops.NotHtml):  # the page function names it
        process_page(page)


def test_sitemap_index_recursion_is_capped(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE)
    index = (
        b"<sitemapindex><sitemap><loc>https://news.example/child.xml</loc></sitemap></sitemapindex>"
    )
    (child,) = spider.parse_sitemap(xml_response(f"{BASE}index.xml", index))
    assert child.meta[META_SITEMAP_DEPTH] == 1
    too_deep = xml_response(
        f"{BASE}deep.xml",
        index.replace(b"child", b"grandchild"),
        meta={META_SITEMAP_DEPTH: MAX_SITEMAP_DEPTH},
    )
    assert list(spider.parse_sitemap(too_deep)) == []
    assert stats(spider)["sitemap_depth_limited"] == 1


def test_news_sitemap_entries_carry_hints(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE)
    body = gzip.compress(
        b'<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>https://news.example/2024/05/04/tram/</loc><news:news>"
        b"<news:publication_date>2024-05-04</news:publication_date><news:title>Tram</news:title>"
        b"<news:keywords>a, b</news:keywords></news:news></url>"
        b"<url><loc>https://news.example/wp-login.php</loc></url></urlset>"
    )
    (request,) = spider.parse_sitemap(Response(f"{BASE}s.xml.gz", body=body))
    assert request.meta["newscrawl_hints"] == DiscoveryHints(
        source="news-sitemap", title="Tram", published="2024-05-04", keywords=("a", "b")
    )
    assert stats(spider)["excluded_filtered"] == 1


@pytest.mark.parametrize(
    ("callback", "body", "stat"),
    [
        ("parse_feed", b"<html><body>no</body></html>", "feed_errors"),
        ("parse_sitemap", b"<html><body>no</body></html>", "sitemap_errors"),
        ("parse_sitemap", b"\x1f\x8b\x08\x00broken", "sitemap_errors"),
    ],
)
def test_bad_feeds_and_sitemaps_are_counted(
    tmp_path: Path, callback: str, body: bytes, stat: str, caplog: pytest.LogCaptureFixture
):
    spider = make_spider(tmp_path, url=BASE)
    assert list(getattr(spider, callback)(xml_response(f"{BASE}bad", body))) == []
    assert stats(spider)[stat] == 1
    assert f"{BASE}bad" in caplog.text


def test_robots_without_sitemap_lines_guesses_sitemap_xml(tmp_path: Path):
    spider = make_spider(tmp_path, url=BASE)
    robots = xml_response(f"{BASE}robots.txt", b"User-agent: *\nDisallow:\n")
    (guess,) = spider.parse_robots(robots)
    assert guess.url == f"{BASE}sitemap.xml"
    declared = xml_response(f"{BASE}robots.txt", b"Sitemap: /a.xml\nSitemap: /b.xml\n")
    spider = make_spider(tmp_path, url=BASE)  # a fresh crawl: no sitemap on its way yet
    assert [r.url for r in spider.parse_robots(declared)] == [f"{BASE}a.xml", f"{BASE}b.xml"]
