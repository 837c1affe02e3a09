"""The fixes the fault crawls led to, each pinned by a fast test without a reactor or network:
charset labels that lie, nesting deeper than libxml2 parses, JSON-LD nested to exhaust the stack,
session ids in links, HTML served as ``text/plain``, redirects that leave the site or loop,
off-site sitemaps named in robots.txt, and failures Scrapy's downloader stats never count.

The same faults end to end, with real crawls: ``test_fault_crawls.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.test import get_crawler

from newscrawl import drops
from newscrawl.discovery.links import (
    UrlPolicy,
    extract_links,
    parse_html_document,
    redirect_refusal,
    resolve_link,
)
from newscrawl.discovery.requests import META_KIND
from newscrawl.extraction.page import decode_html, limit_nesting, parse_html, parse_page
from newscrawl.items import FetchedPage
from newscrawl.page import process_page
from newscrawl.runstats import run_counts
from newscrawl.sites import SiteConfig
from newscrawl.spiders.news import NewsSpider, failure_reason
from tests.faults.news_site import (
    CHINESE_STORY,
    FRENCH_STORY,
    JAPANESE_STORY,
    RUSSIAN_STORY,
    Story,
    article_html,
)

BASE = "https://news.example/"
POLICY = UrlPolicy.from_site(SiteConfig.ad_hoc(BASE))


# --- charsets ---------------------------------------------------------------------------------


def _page(story: Story, meta: str | None) -> str:
    return article_html(story, BASE, charset=meta)


@pytest.mark.parametrize(
    ("story", "encoding", "header", "meta"),
    [
        (FRENCH_STORY, "latin-1", "utf-8", "iso-8859-1"),  # the header lies, <meta> is right
        (RUSSIAN_STORY, "cp1251", "iso-8859-1", "windows-1251"),  # a server default header
        (RUSSIAN_STORY, "cp1251", "utf-8", None),  # a lying header, nothing else: detection
        (JAPANESE_STORY, "shift_jis", "utf-8", "shift_jis"),
        (CHINESE_STORY, "gbk", "utf-8", None),
        (CHINESE_STORY, "gbk", "iso-8859-1", "gbk"),
    ],
)
def test_a_charset_label_that_lies_is_passed_over(
    story: Story, encoding: str, header: str, meta: str | None
) -> None:
    raw = _page(story, meta).encode(encoding)
    text = lxml.html.document_fromstring(decode_html(raw, f"text/html; charset={header}"))
    assert story.headline in text.text_content()
    assert story.paragraphs[1] in text.text_content()


def test_a_right_label_and_utf8_still_win() -> None:
    latin = _page(FRENCH_STORY, "iso-8859-1").encode("latin-1")
    assert FRENCH_STORY.headline in decode_html(latin, "text/html; charset=iso-8859-1")
    utf8 = _page(RUSSIAN_STORY, "windows-1251").encode("utf-8")  # stale <meta>, UTF-8 bytes
    assert RUSSIAN_STORY.headline in decode_html(utf8, "text/html; charset=windows-1251")


def test_a_western_label_survives_bytes_windows_1252_leaves_undefined() -> None:
    raw = "<html><body><p>Caf\xe9 cr\xe8me \x81 br\xfbl\xe9e</p></body></html>".encode("latin-1")
    assert "Café crème \ufffd brûlée" in decode_html(raw, "text/html; charset=iso-8859-1")


# --- nesting ----------------------------------------------------------------------------------


def test_deep_nesting_before_the_article_loses_nothing_after_it() -> None:
    html = (
        "<html><body>" + "<div>" * 30_000 + "x" + "</div>" * 30_000
        + "<article><h1>Head</h1><p>After the deep block.</p></article></body></html>"
    )  # fmt: skip
    assert "After the deep block." not in lxml.html.document_fromstring(html).text_content()
    tree = parse_html(html)
    assert "After the deep block." in tree.text_content()
    assert tree.find(".//article/h1") is not None


def test_twenty_thousand_unclosed_tags_lose_nothing_after_them() -> None:
    html = "<html><body>" + "<span><font>" * 20_000 + "<p>The story text.</p></body></html>"
    assert "The story text." in parse_html(html).text_content()


@pytest.mark.parametrize(
    "declaration",
    [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<?xml version="1.0" encoding="utf-8" >',  # no "?"
        '<?xml version="1.0" encoding="news, harbour, storm" />',  # spliced into a tag
    ],
)
def test_a_page_after_an_xml_declaration_is_read_whatever_the_declaration(
    declaration: str,
) -> None:
    page = parse_page(f"{declaration}\n<html><body><p>The story text.</p></body></html>", BASE)
    assert page.tree.text_content().strip() == "The story text."


def test_a_normal_page_parses_as_lxml_parses_it() -> None:
    html = _page(FRENCH_STORY, "utf-8")
    ours = lxml.html.tostring(parse_html(html))
    assert ours == lxml.html.tostring(lxml.html.document_fromstring(html))


def test_limit_nesting_unwraps_only_what_is_too_deep() -> None:
    html = (
        "<div><section><b>kept</b><br><img src=a.png><!-- <div> --><script>'<div><div>'"
        "</script><p>deep</p><hr/></section></div>tail"
    )
    assert limit_nesting(html, 2) == (
        "<div><section>kept<br><img src=a.png><!-- <div> --><script>'<div><div>'"
        "</script>deep<hr/></section></div>tail"
    )
    assert limit_nesting(html, 3) == html


def test_link_discovery_keeps_every_link_of_a_tag_cloud_and_a_long_list() -> None:
    cloud = " ".join(f'<a href="/tag/t{n}/">t{n}</a>' for n in range(300))  # one inline run
    items = "".join(f'<li><a href="/story-{n}/">s</a></li>' for n in range(12_000))
    html = f"<html><body><div>{cloud}</div><ul>{items}</ul></body></html>"
    tree = parse_html_document(html)
    assert tree is not None
    links = extract_links(tree, BASE)
    assert len([link for link in links if "/tag/" in link]) == 300
    assert len([link for link in links if "/story-" in link]) == 12_000


# --- JSON-LD ----------------------------------------------------------------------------------


def _jsonld_page(data: Any) -> str:
    return (
        '<html><head><script type="application/ld+json">'
        f"{json.dumps(data)}</script></head><body><p>x</p></body></html>"
    )


def test_json_ld_nested_past_the_limit_is_ignored_as_malformed() -> None:
    headline: Any = "x"
    for _ in range(900):
        headline = [headline]
    page = parse_page(_jsonld_page({"@type": "NewsArticle", "headline": headline}), BASE)
    assert (page.jsonld, page.jsonld_errors) == ([], 1)


def test_json_ld_of_ordinary_depth_is_kept() -> None:
    nested: Any = {"@type": "NewsArticle", "headline": "Real"}
    for _ in range(20):
        nested = {"@type": "WebPage", "mainEntity": nested}
    page = parse_page(_jsonld_page(nested), BASE)
    assert page.jsonld_errors == 0
    assert page.jsonld[0]["@type"] == "WebPage"


# --- session ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "resolved"),
    [
        ("/a/;jsessionid=A1B2?page=2", f"{BASE}a/?page=2"),
        ("/a/?PHPSESSID=5f2b&id=7", f"{BASE}a/?id=7"),
        ("/a/?x=1&sessionid=9&y=2#c", f"{BASE}a/?x=1&y=2"),
        ("/a/?ASPSESSIONIDQABC=1", f"{BASE}a/"),
        ("/a/?sid=12345", f"{BASE}a/?sid=12345"),  # often a story id: kept
        ("/a/?utm_source=x", f"{BASE}a/?utm_source=x"),  # canonicalization removes it later
    ],
)
def test_links_lose_their_session_ids(href: str, resolved: str) -> None:
    assert resolve_link(BASE, href) == resolved


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chain", "target", "page", "strict", "reason"),
    [
        ([f"{BASE}a/"], f"{BASE}b/", True, True, None),
        ([f"{BASE}a/", f"{BASE}b/"], f"{BASE}a/", True, True, "RedirectLoop"),
        ([f"{BASE}a/"], f"{BASE}a/#top", True, True, "RedirectLoop"),
        ([f"{BASE}"], f"{BASE}consent/", True, False, None),
        ([f"{BASE}", f"{BASE}consent/"], BASE, True, False, None),  # a start page comes back once
        ([BASE, f"{BASE}c/", BASE, f"{BASE}c/"], BASE, True, False, "RedirectLoop"),
        ([f"{BASE}a/"], "https://elsewhere.example/a/", True, True, "OffsiteRedirect"),
        ([f"{BASE}a/"], "https://www.news.example/a/", True, True, None),
        ([f"{BASE}a/"], f"{BASE}wp-login.php", True, True, "RedirectToExcludedUrl"),
        ([f"{BASE}a/"], f"{BASE}x/" + "y/" * 20, True, True, "RedirectToTrap"),
        ([f"{BASE}feed/"], "https://elsewhere.example/feed/", False, False, "OffsiteRedirect"),
        (["https://cdn.example/s.xml"], "https://cdn2.example/s.xml", False, False, None),
        ([f"{BASE}sitemap.xml"], f"{BASE}sitemap.xml.gz", False, False, None),
    ],
)
def test_redirect_refusal(
    chain: list[str], target: str, page: bool, strict: bool, reason: str | None
) -> None:
    assert redirect_refusal(POLICY, chain, target, page=page, strict_loops=strict) == reason


# --- the spider ---------------------------------------------------------------------------------


def _spider(tmp_path: Path) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_SITES_FILE": str(tmp_path / "none.toml")})
    return NewsSpider.from_crawler(crawler, url=BASE)


def _stats(spider: NewsSpider) -> dict[str, Any]:
    return spider.crawler.stats.get_stats()


def test_a_redirect_off_site_is_dropped_when_scheduled_even_for_a_start_page(
    tmp_path: Path,
) -> None:
    spider = _spider(tmp_path)
    away = Request(
        "https://elsewhere.example/",
        dont_filter=True,  # start pages and retries pass Scrapy's own off-site filter
        meta={META_KIND: "start", "redirect_urls": [BASE]},
    )
    with pytest.raises(IgnoreRequest):
        spider.refuse_bad_redirect(away, spider)
    assert _stats(spider)["newscrawl/fetch_failed/OffsiteRedirect"] == 1
    on_site = Request(f"{BASE}home/", meta={META_KIND: "start", "redirect_urls": [BASE]})
    assert spider.refuse_bad_redirect(on_site, spider) is None
    assert spider.refuse_bad_redirect(Request("https://elsewhere.example/"), spider) is None


def test_html_served_as_text_plain_is_read_as_html(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    url = f"{BASE}2024/05/03/story/"
    body = '<!DOCTYPE html><html><body><p>Text</p><a href="/2024/05/03/next/">n</a></body></html>'
    response = TextResponse(
        url, body=body.encode(), headers={"Content-Type": "text/plain"}, request=Request(url)
    )
    out = list(spider.parse_page(response))
    pages = [item for item in out if isinstance(item, FetchedPage)]
    assert len(pages) == 1 and b"<p>Text</p>" in pages[0].body
    assert [r.url for r in out if isinstance(r, Request)] == [f"{BASE}2024/05/03/next/"]


def test_binary_served_as_html_is_not_parsed_and_is_dropped_as_not_html(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    url = f"{BASE}2024/05/03/picture/"
    body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b'<a href="/2024/05/03/x/">x</a>'
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html"}, request=Request(url)
    )
    (page,) = list(spider.parse_page(response))
    assert isinstance(page, FetchedPage) and page.body == body
    with pytest.raises(drops.NotHtml):
        process_page(page)
    assert _stats(spider)["newscrawl/non_html_pages"] == 1


def test_robots_txt_cannot_send_the_crawl_to_another_host(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    robots = TextResponse(
        f"{BASE}robots.txt",
        body=b"Sitemap: https://elsewhere.example/sitemap.xml\nSitemap: /news.xml\n",
        headers={"Content-Type": "text/plain"},
    )
    assert [r.url for r in spider.parse_robots(robots)] == [f"{BASE}news.xml"]
    assert _stats(spider)["newscrawl/offsite_filtered"] == 1


def test_a_sitemap_index_may_list_its_own_host_or_the_site_only(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    index = (
        b"<sitemapindex><sitemap><loc>https://cdn.example/b.xml</loc></sitemap>"
        b"<sitemap><loc>https://news.example/c.xml</loc></sitemap>"
        b"<sitemap><loc>https://elsewhere.example/d.xml</loc></sitemap></sitemapindex>"
    )
    url = "https://cdn.example/index.xml"
    response = Response(url, body=index, request=Request(url))
    urls = [r.url for r in spider.parse_sitemap(response)]
    assert urls == ["https://cdn.example/b.xml", "https://news.example/c.xml"]


# --- failures counted -------------------------------------------------------------------------


def _ignored_after(cause: Exception) -> IgnoreRequest:
    try:
        raise IgnoreRequest("Ignored response") from cause
    except IgnoreRequest as exc:
        return exc


def _http_error(status: int) -> HttpError:
    return HttpError(Response(BASE, status=status), "Ignoring non-200 response")


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (_http_error(404), None),  # counted by status
        (_http_error(302), "RedirectNotFollowed"),  # e.g. a redirect to file://
        (IgnoreRequest("max redirections reached"), "TooManyRedirects"),
        (
            _ignored_after(_DecompressionMaxSizeExceeded(300_000, 200_000)),
            "DecompressionMaxSizeExceeded",
        ),
        (IgnoreRequest("Forbidden by robots.txt"), None),
        (DownloadTimeoutError("slow"), "DownloadTimeoutError"),
        (OSError("Not a gzipped file"), "OSError"),
    ],
)
def test_failure_reason(exc: BaseException, reason: str | None) -> None:
    assert failure_reason(exc) == reason


def test_run_counts_add_failures_the_downloader_never_saw() -> None:
    stats = {
        "downloader/response_status_count/503": 3,
        "downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError": 3,
        "newscrawl/fetch_failed/DownloadTimeoutError": 1,  # one page, three attempts
        "newscrawl/fetch_failed/RedirectLoop": 2,
        "newscrawl/fetch_failed/DecompressionMaxSizeExceeded": 1,
    }
    assert run_counts(stats).http_errors == {
        "503": 3,
        "DownloadTimeoutError": 3,
        "RedirectLoop": 2,
        "DecompressionMaxSizeExceeded": 1,
    }
