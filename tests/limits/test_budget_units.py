"""Budgets of one crawl, without a reactor: sitemap and feed budgets (count, bytes, newest
first, stop at the page budget), streamed sitemaps, bounded feeds, sites-file limits (time
limit, durations, linear-time patterns), and logs that name a dropped page instead of printing
it (issue 14, findings 3, 4, 5 and 12)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from newscrawl import drops
from newscrawl.discovery.feeds import first_items, parse_feed
from newscrawl.discovery.frontier import SITEMAPS_IN_FLIGHT, Frontier
from newscrawl.discovery.links import UrlPolicy
from newscrawl.discovery.sitemaps import iter_sitemap
from newscrawl.items import FetchedPage
from newscrawl.logs import ExpectedErrorFilter, NewscrawlLogFormatter
from newscrawl.sites import SitesFileError, parse_sites
from newscrawl.spiders.news import NewsSpider

BASE = "https://news.example/"


def make_spider(tmp_path: Path, sites_toml: str | None = None, **arguments: str) -> NewsSpider:
    sites_file = tmp_path / "sites.toml"
    if sites_toml is not None:
        sites_file.write_text(sites_toml, encoding="utf-8")
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_SITES_FILE": str(sites_file)})
    return NewsSpider.from_crawler(crawler, **arguments)


def newscrawl_stats(spider: NewsSpider) -> dict[str, Any]:
    return {
        key.removeprefix("newscrawl/"): value
        for key, value in spider.crawler.stats.get_stats().items()
        if key.startswith("newscrawl/")
    }


def xml_response(url: str, body: bytes, meta: dict[str, Any] | None = None) -> Response:
    return TextResponse(url, body=body, request=Request(url, meta=meta or {}))


def index(children: int, *, dated: bool = True) -> bytes:
    rows = "".join(
        f"<sitemap><loc>{BASE}sitemaps/{n}.xml</loc>"
        + (f"<lastmod>2024-{1 + n % 12:02d}-{1 + n % 28:02d}T00:{n % 60:02d}:00Z</lastmod>"
           if dated else "")
        + "</sitemap>"
        for n in range(children)
    )  # fmt: skip
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'.encode()


def urlset(count: int, prefix: str = "s") -> bytes:
    rows = "".join(f"<url><loc>{BASE}2024/05/03/{prefix}-{n}/</loc></url>" for n in range(count))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


# --- sitemaps: newest first, a budget of sitemaps, none once the page budget is met -------------


def test_index_children_are_read_newest_first_within_the_sitemap_budget() -> None:
    frontier = Frontier(UrlPolicy(), max_sitemaps=5)
    children = [
        (f"{BASE}old.xml", "2020-01-01"),
        (f"{BASE}undated.xml", None),
        (f"{BASE}newest.xml", "2024-05-03T10:00:00+00:00"),
        (f"{BASE}newer.xml", "2024-05-02"),
        (f"{BASE}junk-date.xml", "yesterday"),
        (f"{BASE}middle.xml", "2023-06-01T00:00:00Z"),
        (f"{BASE}oldest.xml", "2001-01-01"),
    ]
    assert frontier.queue_sitemaps(children, depth=1) == 2  # two cannot fit the budget of 5
    order: list[str] = []
    while taken := frontier.next_sitemaps():
        assert len(taken) <= SITEMAPS_IN_FLIGHT
        for url, depth, decision in taken:
            assert decision.requested and depth == 1
            order.append(url.removeprefix(BASE))
            frontier.sitemap_answered(100)
    assert order == ["newest.xml", "newer.xml", "middle.xml", "old.xml", "oldest.xml"]
    assert frontier.offer_sitemap(f"{BASE}more.xml", 0).reason == "sitemap_limit_reached"


def test_no_sitemap_is_requested_once_the_page_budget_is_met() -> None:
    frontier = Frontier(UrlPolicy(), max_pages=2)
    frontier.queue_sitemaps([(f"{BASE}{n}.xml", None) for n in range(300)], depth=1)
    assert len(frontier.next_sitemaps()) == SITEMAPS_IN_FLIGHT
    for n in range(2):
        assert frontier.offer_start(f"{BASE}page-{n}/").requested
    frontier.sitemap_answered()
    assert frontier.next_sitemaps() == []
    assert frontier.drop_sitemap_queue() == 300 - SITEMAPS_IN_FLIGHT


def test_the_byte_budget_stops_further_sitemaps_and_feeds() -> None:
    frontier = Frontier(UrlPolicy(), max_discovery_bytes=1000)
    frontier.queue_sitemaps([(f"{BASE}a.xml", None), (f"{BASE}b.xml", None)], depth=0)
    (first, _second) = frontier.next_sitemaps()
    frontier.sitemap_answered(1200)
    frontier.queue_sitemaps([(f"{BASE}c.xml", None)], depth=0)
    assert [decision.reason for _url, _depth, decision in frontier.next_sitemaps()] == [
        "discovery_bytes_limited"
    ]
    assert frontier.offer_discovered_feed(f"{BASE}feed/").reason == "discovery_bytes_limited"
    assert first[2].requested


def test_a_300_sitemap_index_with_max_pages_20_requests_two_sitemaps(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, url=BASE, max_pages="20")
    requests = list(spider.parse_sitemap(xml_response(f"{BASE}sitemap_index.xml", index(300))))
    assert len(requests) == SITEMAPS_IN_FLIGHT
    assert newscrawl_stats(spider)["sitemap_limit_reached"] == 300 - 50  # NEWSCRAWL_MAX_SITEMAPS
    first = requests[0]
    pages = list(spider.parse_sitemap(xml_response(first.url, urlset(500), dict(first.meta))))
    assert len(pages) == 20  # the page budget; the other 480 entries are not read
    assert newscrawl_stats(spider)["sitemaps_cut_at_page_limit"] == 1
    second = requests[1]
    assert (
        list(spider.parse_sitemap(xml_response(second.url, urlset(5, "t"), dict(second.meta))))
        == []
    )
    assert newscrawl_stats(spider)["sitemaps_skipped"] == 1


def test_a_site_may_set_its_own_sitemap_budget(tmp_path: Path) -> None:
    sites = f'[sites.small]\nstart_urls = ["{BASE}"]\nmax_sitemaps = 3\n'
    spider = make_spider(tmp_path, sites, site="small")
    assert spider.frontier.max_sitemaps == 3
    list(spider.parse_sitemap(xml_response(f"{BASE}sitemap_index.xml", index(10))))
    assert newscrawl_stats(spider)["sitemap_limit_reached"] == 7


def test_sitemaps_are_read_as_a_stream() -> None:
    body = urlset(3) + b"<url><loc>" + b"x" * 10  # damage after the third entry
    stream = iter_sitemap(body)
    assert stream.kind == "urlset"
    assert next(stream.entries).loc == f"{BASE}2024/05/03/s-0/"  # read before the rest is parsed
    assert [entry.loc for entry in stream.entries][-1] == f"{BASE}2024/05/03/s-2/"


# --- feeds ----------------------------------------------------------------------------------------


def big_rss(items: int) -> bytes:
    rows = "".join(
        f"<item><title>Story {n}</title><link>/2024/05/03/story-{n}/</link>"
        f"<pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate><category>City</category></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
        f"<title>Gro\xdfe Zeitung</title><link>{BASE}</link>{rows}</channel></rss>"
    ).encode("latin-1")


def test_a_100k_item_feed_is_read_up_to_max_items() -> None:
    entries = parse_feed(big_rss(100_000), f"{BASE}feed.xml", max_items=500)
    assert len(entries) == 500
    assert entries[0].link == f"{BASE}2024/05/03/story-0/"
    assert entries[-1].link == f"{BASE}2024/05/03/story-499/"
    assert entries[0].tags == ("City",)


def test_a_cut_feed_keeps_its_channel_and_encoding() -> None:
    cut = first_items(big_rss(50), 3)
    assert cut.startswith(b"<?xml")
    assert "Große Zeitung".encode() in cut
    assert cut.count(b"<item>") == 3
    assert first_items(big_rss(2), 3) == big_rss(2)  # short feeds are left alone


def test_json_feeds_are_bounded_too() -> None:
    import json

    items = [{"id": str(n), "url": f"/2024/05/03/j-{n}/"} for n in range(3000)]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    assert len(parse_feed(body, f"{BASE}feed.json", max_items=100)) == 100


def test_the_spider_reads_a_feed_up_to_its_item_budget(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, url=BASE, max_pages="0")
    spider.max_feed_items = 40
    requests = list(spider.parse_feed(xml_response(f"{BASE}feed.xml", big_rss(20_000))))
    assert len(requests) == 40


# --- the sites file: time limits, durations, linear-time patterns --------------------------------


def sites(**keys: object) -> dict[str, Any]:
    return {"sites": {"worldmag": {"start_urls": [BASE], **keys}}}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.0000001s", "at least 1 second"),
        ("99999999999999999999d", "at most 10 years"),
        ("1e400s", "expected a duration"),
        (10**18, "at most 10 years"),
        (0.5, "at least 1 second"),
    ],
)
@pytest.mark.parametrize("key", ["schedule", "time_limit", "recrawl_window", "max_article_age"])
def test_absurd_durations_are_one_line_errors(key: str, value: object, message: str) -> None:
    with pytest.raises(SitesFileError) as raised:
        parse_sites(sites(**{key: value}))
    text = str(raised.value)
    assert message in text and key in text and "\n" not in text


def unstarted_crawler(tmp_path: Path, **settings: Any) -> Any:
    """A crawler whose settings are not frozen yet, as when Scrapy creates the spider."""
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from newscrawl import settings as project

    values = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    return Crawler(
        NewsSpider,
        Settings({**values, "NEWSCRAWL_SITES_FILE": str(tmp_path / "sites.toml"), **settings}),
    )


def test_time_limit_per_site_becomes_closespider_timeout(tmp_path: Path) -> None:
    (tmp_path / "sites.toml").write_text(
        f'[sites.slow]\nstart_urls = ["{BASE}"]\ntime_limit = "90m"\n', encoding="utf-8"
    )
    crawler = unstarted_crawler(tmp_path)
    spider = NewsSpider.from_crawler(crawler, site="slow")
    assert spider.time_limit == 5400
    assert crawler.settings.getfloat("CLOSESPIDER_TIMEOUT") == 5400
    crawler = unstarted_crawler(tmp_path)
    NewsSpider.from_crawler(crawler, url=BASE)
    assert crawler.settings.getfloat("CLOSESPIDER_TIMEOUT") == 4 * 3600
    crawler = unstarted_crawler(tmp_path)
    crawler.settings.set("CLOSESPIDER_TIMEOUT", 7, priority="cmdline")
    NewsSpider.from_crawler(crawler, url=BASE)
    assert crawler.settings.getfloat("CLOSESPIDER_TIMEOUT") == 7  # -s given by hand wins


def test_a_backtracking_pattern_is_matched_in_linear_time() -> None:
    config = parse_sites(sites(deny=["(a+)+$"], allow=[r"/(\w+\s?)+$"]))["worldmag"]
    policy = UrlPolicy.from_site(config)
    url = f"{BASE}{'a' * 40}!"
    # Python's re takes about 2**40 steps on this URL (the crawl of issue 14 hung); RE2 answers
    # at once, as it does for a URL of any length.
    assert policy.rejection(url) is None
    assert not policy.matches_allow(url)
    assert policy.deny[0].search(f"{BASE}{'a' * 100_000}!") is None
    assert policy.rejection(f"{BASE}aaaa") == "denied"


@pytest.mark.parametrize("pattern", [r"(\d+)-\1", r"(?<=/news)/\d+", r"foo(?!bar)"])
def test_patterns_re2_cannot_match_in_linear_time_are_rejected_at_load(pattern: str) -> None:
    with pytest.raises(SitesFileError) as raised:
        parse_sites(sites(deny=[pattern]))
    assert "RE2" in str(raised.value) and "deny" in str(raised.value)


# --- logs: a dropped page is named, never printed ------------------------------------------------


def test_a_dropped_page_logs_its_reason_and_url_not_its_body() -> None:
    crawler = get_crawler(NewsSpider, {"DEFAULT_DROPITEM_LOG_LEVEL": "WARNING"})
    formatter = NewscrawlLogFormatter.from_crawler(crawler)
    from datetime import UTC, datetime

    page = FetchedPage(
        url=f"{BASE}huge/",
        body=b"<html><body>" + b"<p>filler</p>" * 1_200_000 + b"</body></html>",
        site="news",
        fetched_at=datetime.now(UTC),
        content_type="text/html",
        status=200,
    )
    result = formatter.dropped(page, drops.MissingBody("no body text"), None, crawler.spider)  # type: ignore[arg-type]
    message = result["msg"] % result["args"]
    assert len(message) < 300
    assert f"{BASE}huge/" in message and "MissingBody" in message
    assert result["level"] == logging.INFO  # the drop's own level
    error = formatter.item_error(page, ValueError("x"), None, crawler.spider)  # type: ignore[arg-type]
    assert len(error["msg"] % error["args"]) < 300


def test_the_project_uses_the_newscrawl_log_formatter() -> None:
    from scrapy.utils.misc import load_object

    from newscrawl import settings

    assert load_object(settings.LOG_FORMATTER) is NewscrawlLogFormatter


def _record(exc: BaseException, level: int = logging.ERROR) -> logging.LogRecord:
    try:
        raise exc
    except BaseException:  # noqa: BLE001 - any exception, to log it
        exc_info = sys.exc_info()
    return logging.LogRecord(
        "scrapy.core.scraper", level, __file__, 1, "Error downloading %(request)s",
        ({"request": "<GET http://127.0.0.1:9/>"},), exc_info,
    )  # fmt: skip


def test_an_expected_network_error_is_one_warning_line() -> None:
    from scrapy.exceptions import DownloadConnectionRefusedError

    record = _record(DownloadConnectionRefusedError("Connection was refused by other side"))
    assert ExpectedErrorFilter().filter(record)
    assert record.levelno == logging.WARNING and record.exc_info is None
    text = logging.Formatter().format(record)
    assert "\n" not in text and "Traceback" not in text
    assert "refused" in text and "http://127.0.0.1:9/" in text


def test_at_debug_the_traceback_stays_and_bugs_are_never_quieted() -> None:
    from scrapy.exceptions import CannotResolveHostError

    kept = _record(CannotResolveHostError("no such host"))
    ExpectedErrorFilter(keep_tracebacks=True).filter(kept)
    assert "Traceback" in logging.Formatter().format(kept)
    bug = _record(KeyError("a bug"))
    ExpectedErrorFilter().filter(bug)
    assert bug.levelno == logging.ERROR and bug.exc_info is not None
