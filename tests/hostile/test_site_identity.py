"""Issue 14, findings 1 and 8: which site a URL belongs to, and what a page may be stored under.

Site identity is the registrable domain by the Public Suffix List (private section included)
plus the port; hosts compare in one form (IDNA), Unicode or punycode alike.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.discovery.frontier import Frontier
from newscrawl.discovery.links import UrlPolicy
from newscrawl.items import FetchedPage
from newscrawl.normalization.urls import (
    ascii_host,
    canonicalize_url,
    host_in_domains,
    same_site,
    site_identity,
)
from newscrawl.page import OFFSITE_CANONICAL, process_page
from newscrawl.sites import SiteConfig

FETCHED_AT = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
BODY = " ".join(
    f"Sentence number {n} of the harbour story tells what the council decided." for n in range(30)
)


def _page(url: str, *, canonical: str | None = None, og_url: str | None = None) -> FetchedPage:
    links = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    links += f'<meta property="og:url" content="{og_url}">' if og_url else ""
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Alice rewrites the harbour story</title>{links}
<meta property="og:type" content="article"></head><body><article>
<h1>Alice rewrites the harbour story</h1><p>{BODY}</p></article></body></html>"""
    return FetchedPage.of_html(html, url, site="alice", fetched_at=FETCHED_AT)


@pytest.mark.parametrize(
    ("url_a", "url_b"),
    [
        ("https://alice.github.io/post/", "https://bob.github.io/post/"),
        ("http://alice.blogspot.com/2024/05/a.html", "http://bob.blogspot.com/2024/05/a.html"),
        ("http://shop-a.kyoto.jp/news/1", "http://shop-b.kyoto.jp/news/1"),
        ("http://127.0.0.1:8001/a/", "http://127.0.0.1:8002/a/"),
        ("http://news.example:8080/a/", "http://news.example/a/"),
        ("https://news.example:8443/a/", "https://news.example/a/"),
    ],
)
def test_different_sites(url_a: str, url_b: str) -> None:
    assert not same_site(url_a, url_b)
    assert site_identity(url_a) != site_identity(url_b)


@pytest.mark.parametrize(
    ("url_a", "url_b"),
    [
        ("https://www.bbc.co.uk/news/1", "https://feeds.bbc.co.uk/x"),
        ("http://news.example/a/", "https://news.example/b/"),  # scheme upgrade, default ports
        ("http://news.example:80/a/", "https://www.news.example:443/b/"),
        ("http://127.0.0.1:8001/a/", "http://127.0.0.1:8001/b/"),
        ("http://bücher.example/a/", "http://xn--bcher-kva.example/b/"),
        ("http://BÜCHER.example/a/", "http://www.bücher.example/b/"),
    ],
)
def test_same_site(url_a: str, url_b: str) -> None:
    assert same_site(url_a, url_b)


def test_site_identity_of_things_that_are_no_site() -> None:
    for url in ("ftp://news.example/", "http://news.example:99999/", "mailto:x@news.example", ""):
        assert site_identity(url) is None


@pytest.mark.parametrize(
    "declared",
    [
        "https://bob.github.io/2024/05/03/harbour/",
        "https://www.bob.github.io/2024/05/03/harbour/",
        "http://bob.github.io/2024/05/03/harbour/",
    ],
)
@pytest.mark.parametrize("where", ["canonical", "og_url"])
def test_a_page_never_takes_another_sites_url_as_its_key(declared: str, where: str) -> None:
    url = "https://alice.github.io/2024/05/03/harbour/"
    article = process_page(_page(url, **{where: declared}))
    assert article.canonical_url == url
    assert article.notes == (OFFSITE_CANONICAL,)


@pytest.mark.parametrize(
    ("url", "declared"),
    [
        ("http://alice.blogspot.com/2024/05/harbour.html", "http://bob.blogspot.com/x.html"),
        ("http://a.kyoto.jp/2024/05/03/harbour/", "http://b.kyoto.jp/2024/05/03/harbour/"),
        ("http://127.0.0.1:8001/2024/05/03/harbour/", "http://127.0.0.1:8002/2024/05/03/h/"),
    ],
)
def test_shared_suffixes_and_other_ports_are_other_sites(url: str, declared: str) -> None:
    article = process_page(_page(url, canonical=declared, og_url=declared))
    assert article.canonical_url == url
    assert OFFSITE_CANONICAL in article.notes


def test_a_canonical_on_the_same_site_is_kept_and_not_noted() -> None:
    url = "http://127.0.0.1:8001/2024/05/03/harbour/?utm_source=x"
    declared = "http://127.0.0.1:8001/2024/05/03/harbour-story/"
    article = process_page(_page(url, canonical=declared))
    assert article.canonical_url == declared
    assert article.notes == ()


def test_idn_hosts_have_one_form_everywhere() -> None:
    assert ascii_host("Bücher.Example.") == "xn--bcher-kva.example"
    assert ascii_host("xn--bcher-kva.example") == "xn--bcher-kva.example"
    assert host_in_domains("xn--bcher-kva.example", ["bücher.example"])
    assert host_in_domains("www.bücher.example", ["xn--bcher-kva.example"])
    assert canonicalize_url("http://bücher.example/a") == "http://xn--bcher-kva.example/a"
    policy = UrlPolicy.from_site(SiteConfig.ad_hoc("http://bücher.example/"))
    for url in ("http://xn--bcher-kva.example/2024/05/03/story/", "http://bücher.example/a-b-c/"):
        assert policy.rejection(url) is None
    assert policy.rejection("http://other.example/2024/05/03/story/") == "offsite"
    frontier = Frontier(policy)
    assert frontier.offer_link("http://xn--bcher-kva.example/2024/05/03/story/", 1).requested
    # the Unicode spelling of the same URL is the same page
    assert not frontier.offer_link("http://bücher.example/2024/05/03/story/", 1).requested
