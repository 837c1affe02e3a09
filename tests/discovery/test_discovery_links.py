"""Link extraction, URL policy, article-URL heuristics and the crawler-trap guard."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.discovery.links import (
    UrlPolicy,
    extract_links,
    host_matches,
    is_crawler_trap,
    is_excluded_url,
    looks_like_article,
    parse_html_document,
    resolve_link,
)
from newscrawl.sites import SiteConfig, site_for_url

PAGE = "https://news.example/world/index.html"


def _links(body: str, head: str = "", page: str = PAGE) -> list[str]:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return extract_links(tree, page)


def test_extract_links_resolves_dedupes_and_keeps_order():
    body = """
      <a href="/2024/05/03/budget-vote/">Budget</a>
      <a href="storm.html">relative</a>
      <a href="../about/">up</a>
      <a href="//cdn.news.example/video/12345">protocol-relative</a>
      <a href="/2024/05/03/budget-vote/#comments">same page, fragment</a>
      <a href="  /spaced/link-with-spaces \n">whitespace</a>
      <a href="/split/li\nnk-with-newline">newline inside</a>
      <map><area href="/map/area-target.html"></map>
      <a>no href</a>
      <a href="">empty</a>
      <a href="#top">fragment only</a>
      <a href="https://other.example/x?a=1&amp;b=2">off-site stays (policy decides)</a>
    """
    assert _links(body) == [
        "https://news.example/2024/05/03/budget-vote/",
        "https://news.example/world/storm.html",
        "https://news.example/about/",
        "https://cdn.news.example/video/12345",
        "https://news.example/spaced/link-with-spaces",
        "https://news.example/split/link-with-newline",
        "https://news.example/map/area-target.html",
        "https://other.example/x?a=1&b=2",
    ]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:void(0)",
        "mailto:desk@news.example",
        "tel:+15555550100",
        "data:text/html,<p>x</p>",
        "file:///etc/passwd",
        "ftp://news.example/file.txt",
        "news:comp.lang.python",
        "http://[::1",
        "http:///no-host",
    ],
)
def test_non_http_links_are_dropped(href: str):
    assert _links(f'<a href="{href}">x</a>') == []
    assert resolve_link(PAGE, href) is None


def test_base_href_is_honoured():
    links = _links(
        '<a href="story-one.html">1</a>', head='<base href="https://m.news.example/en/">'
    )
    assert links == ["https://m.news.example/en/story-one.html"]


def test_parse_html_document_handles_xml_declaration_and_empty_input():
    xhtml = '<?xml version="1.0" encoding="utf-8"?><html><body><a href="/x-y-z">x</a></body></html>'
    tree = parse_html_document(xhtml)
    assert tree is not None
    assert extract_links(tree, "https://news.example/") == ["https://news.example/x-y-z"]
    assert parse_html_document("") is None
    assert parse_html_document("   \n") is None


ARTICLES = [
    "https://news.example/2024/05/03/council-approves-budget/",
    "https://news.example/politics/2024/05/03/budget/",
    "https://news.example/2024/05/budget-vote",
    "https://news.example/article/20240503/tram",
    "https://news.example/news/world-europe-68912345",
    "https://news.example/a/12345",
    "https://news.example/story/12345.html",
    "https://news.example/2024/05/03/12345.html",
    "https://news.example/world/storm.html",
    "https://news.example/world/asia/china-economy-slows.shtml",
    "https://news.example/politik/ausland/wahl-in-frankreich-macron-verliert",
    "https://news.example/kultur/artikel-%C3%BCber-die-wahl",
    "https://news.example/?p=123",
    "https://news.example/?p=959/",  # a stray slash after the id
    "https://news.example/index.php?id=4567",
    "https://news.example/sport/football_cup_final_report",
]
NOT_ARTICLES = [
    "https://news.example/",
    "https://news.example/world/",
    "https://news.example/world/europe",
    "https://news.example/category/world/",
    "https://news.example/category/politics-and-government-news/",
    "https://news.example/tag/elections/",
    "https://news.example/author/jane-doe-smith/",
    "https://news.example/topics/climate-change-and-energy/",
    "https://news.example/page/2/",
    "https://news.example/news/page/3",
    "https://news.example/2024/",
    "https://news.example/2024/05/",
    "https://news.example/2024/05/03/",
    "https://news.example/news/2024/05/",
    "https://news.example/search?q=budget+vote+today",
    "https://news.example/about-us/",
    "https://news.example/contact",
    "https://news.example/privacy-policy",
    "https://news.example/impressum",
    "https://news.example/terms-and-conditions/",
    "https://news.example/index.html",
    "https://news.example/tag/x?id=5",
    "https://news.example/?page=2",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_shaped_urls(url: str):
    assert looks_like_article(url)


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_non_article_urls(url: str):
    assert not looks_like_article(url)


TRAPS = [
    "https://news.example/a/b/a/b/a/b/",
    "https://news.example/x/y/x/y",
    "https://news.example/news/news/news/",
    "https://news.example/" + "/".join(f"s{i}" for i in range(11)),
    "https://news.example/story?ref=" + "x" * 500,
    "https://news.example/events/?month=5",
    "https://news.example/events/?tribe-bar-date=2024-05-03",
    "https://news.example/archive?d=2024-05",
    "https://news.example/calendar/?cal=next&year=2031",
]
NOT_TRAPS = [
    "https://news.example/2024/05/05/slug-here/",
    "https://news.example/world/europe/france/politics/story-name",
    "https://news.example/news/world/news-in-brief",
    "https://news.example/list?page=2",
    "https://news.example/" + "/".join(f"s{i}" for i in range(10)),
]


@pytest.mark.parametrize("url", TRAPS)
def test_crawler_traps(url: str):
    assert is_crawler_trap(url)


@pytest.mark.parametrize("url", NOT_TRAPS)
def test_not_crawler_traps(url: str):
    assert not is_crawler_trap(url)


EXCLUDED = [
    "https://news.example/wp-admin/",
    "https://news.example/wp-login.php?redirect_to=x",
    "https://news.example/wp-json/wp/v2/posts",
    "https://news.example/xmlrpc.php",
    "https://news.example/2024/05/03/story/?replytocom=5",
    "https://news.example/2024/05/03/story/?share=twitter",
    "https://news.example/feed/",
    "https://news.example/2024/05/03/story/feed/",
    "https://news.example/amp/2024/05/03/story/",
    "https://news.example/photos/IMAGE.JPG",
    "https://news.example/files/report.pdf",
    "https://news.example/static/style.css?v=3",
    "https://news.example/api/data.json",
    "https://news.example/sitemap.xml",
    "https://news.example/search/?q=x",
    "https://news.example/?s=term",
    "https://news.example/print/12345",
    "https://news.example/login",
    "https://news.example/media/clip.mp4",
]
NOT_EXCLUDED = [
    "https://news.example/2024/05/03/story/",
    "https://news.example/world/storm.html",
    "https://news.example/?p=123",
    "https://news.example/a/12345",
    "https://news.example/amplify-your-voice-today",
    "https://news.example/features/feedback-wanted",
    "https://news.example/searchlight-investigation-part-two",
]


@pytest.mark.parametrize("url", EXCLUDED)
def test_excluded_urls(url: str):
    assert is_excluded_url(url)


@pytest.mark.parametrize("url", NOT_EXCLUDED)
def test_not_excluded_urls(url: str):
    assert not is_excluded_url(url)


def test_host_matching_covers_subdomains_and_www():
    domains = ("www.news.example",)
    assert host_matches("news.example", domains)
    assert host_matches("WWW.NEWS.EXAMPLE", domains)
    assert host_matches("live.news.example", domains)
    assert not host_matches("fakenews.example", domains)
    assert not host_matches("news.example.evil.test", domains)


SITE = SiteConfig(
    name="newsexample",
    start_urls=("https://www.news.example/",),
    allowed_domains=("www.news.example",),
    allow=(r"/\d{4}/\d{2}/\d{2}/",),
    deny=(r"/opinion/",),
)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://news.example/2024/05/03/budget-vote/", None),
        ("https://live.news.example/2024/05/03/ticker/", None),
        ("https://news.example/world/", None),
        ("mailto:desk@news.example", "scheme"),
        ("ftp://news.example/2024/05/03/file/", "scheme"),
        ("https://other.example/2024/05/03/budget-vote/", "offsite"),
        ("https://news.example/a/b/a/b/a/b/", "trap"),
        ("https://news.example/wp-login.php", "excluded"),
        ("https://news.example/2024/05/03/photo.jpg", "excluded"),
        ("https://news.example/opinion/2024/05/03/why-budget/", "denied"),
    ],
)
def test_policy_rejection_reasons(url: str, reason: str | None):
    policy = UrlPolicy.from_site(SITE)
    assert policy.rejection(url) == reason
    assert policy.is_allowed(url) is (reason is None)


def test_article_candidates_need_allow_patterns_when_configured():
    policy = UrlPolicy.from_site(SITE)
    assert policy.is_article_candidate("https://news.example/2024/05/03/budget-vote/")
    assert not policy.is_article_candidate("https://news.example/world/storm-hits-the-coast")
    assert not policy.is_article_candidate("https://news.example/opinion/2024/05/03/why/")
    assert not policy.is_article_candidate("https://other.example/2024/05/03/budget-vote/")


def test_without_allow_patterns_every_allowed_url_is_a_candidate():
    policy = UrlPolicy.from_site(SiteConfig.ad_hoc("http://127.0.0.1:8765/"))
    assert policy.domains == ("127.0.0.1",)
    assert policy.is_article_candidate("http://127.0.0.1:8765/about/")
    assert not policy.is_article_candidate("http://localhost:8765/about/")


def test_policy_without_domains_allows_any_host():
    policy = UrlPolicy()
    assert policy.is_allowed("https://anything.example/story")
    assert policy.rejection("javascript:void(0)") == "scheme"


@given(st.text(max_size=200))
def test_url_functions_never_raise(text: str):
    url = "https://news.example/" + text
    looks_like_article(url)
    is_crawler_trap(url)
    is_excluded_url(url)
    UrlPolicy.from_site(SITE).rejection(text)
    resolve_link(PAGE, text)


@given(st.text(max_size=300))
def test_parse_html_document_never_raises(text: str):
    tree = parse_html_document(text)
    if tree is not None:
        extract_links(tree, PAGE)


@pytest.mark.parametrize(
    ("url", "on_site"),
    [
        ("https://news.example:8443/a", True),  # a port is not part of the host
        ("https://user:pw@live.news.example/a", True),  # nor is user info
        ("HTTPS://NEWS.EXAMPLE/a", True),
        ("https://news.example.evil.test/a", False),
        ("https://evil.test/?next=news.example", False),
        ("https://fakenews.example/a", False),
    ],
)
def test_is_on_site_reads_the_host_of_the_url(url: str, on_site: bool):
    assert UrlPolicy(domains=("www.news.example",)).is_on_site(url) is on_site


def test_sites_match_their_domains_like_the_url_policy():
    sites = {
        "worldmag": SiteConfig(name="worldmag", allowed_domains=("www.worldmag.example",)),
        "other": SiteConfig(name="other", allowed_domains=("other.example",)),
    }
    assert sites["worldmag"].matches_domain("WORLDMAG.example")
    assert sites["worldmag"].matches_domain("feeds.worldmag.example")
    assert not sites["worldmag"].matches_domain("notworldmag.example")
    assert site_for_url(sites, "https://live.other.example:8080/x") is sites["other"]
    assert site_for_url(sites, "https://elsewhere.example/") is None
