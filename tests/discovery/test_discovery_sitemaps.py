"""Sitemaps, sitemap indexes, news sitemaps, gzip (and gzip bombs), broken XML, robots.txt."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.discovery.sitemaps import (
    MAX_SITEMAP_BYTES,
    SitemapEntry,
    SitemapError,
    gunzip_capped,
    parse_sitemap,
    sitemap_urls_from_robots,
)

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://news.example/2024/05/03/budget-vote/ </loc><lastmod>2024-05-03</lastmod></url>
  <url><loc>https://news.example/world/storm.html?a=1&amp;b=2</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
  <!-- a comment -->
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc><lastmod>2024-05-04T10:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://news.example/sitemap-2023.xml.gz</loc></sitemap>
</sitemapindex>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/2024/05/04/tram-line-opens/</loc>
    <lastmod>2024-05-04T11:00:00+02:00</lastmod>
    <news:news>
      <news:publication><news:name>News Example</news:name><news:language>de</news:language>
      </news:publication>
      <news:publication_date>2024-05-04T09:30:00+02:00</news:publication_date>
      <news:title>Straßenbahn &amp; Bus: neue Linie eröffnet</news:title>
      <news:keywords>Verkehr, Stadt , , Verkehr</news:keywords>
    </news:news>
    <image:image><image:loc>https://news.example/tram.jpg</image:loc></image:image>
  </url>
  <url><loc>https://news.example/about/</loc></url>
</urlset>""".encode()


def test_urlset_entries_in_order_with_lastmod():
    document = parse_sitemap(URLSET)
    assert document.kind == "urlset"
    assert document.entries == [
        SitemapEntry("https://news.example/2024/05/03/budget-vote/", lastmod="2024-05-03"),
        SitemapEntry("https://news.example/world/storm.html?a=1&b=2"),
    ]
    assert not document.entries[0].is_news


def test_index_lists_child_sitemaps():
    document = parse_sitemap(INDEX)
    assert document.kind == "index"
    assert [e.loc for e in document.entries] == [
        "https://news.example/sitemap-news.xml",
        "https://news.example/sitemap-2023.xml.gz",
    ]
    assert document.entries[0].lastmod == "2024-05-04T10:00:00Z"
    assert document.entries[1].lastmod is None


def test_news_sitemap_keeps_news_metadata():
    tram, about = parse_sitemap(NEWS).entries
    assert tram == SitemapEntry(
        loc="https://news.example/2024/05/04/tram-line-opens/",
        lastmod="2024-05-04T11:00:00+02:00",
        news_title="Straßenbahn & Bus: neue Linie eröffnet",
        news_publication_date="2024-05-04T09:30:00+02:00",
        news_keywords=("Verkehr", "Stadt"),
        news_language="de",
    )
    assert tram.is_news
    assert not about.is_news


@pytest.mark.parametrize(
    "opening",
    [
        "<urlset>",  # no namespace at all
        '<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">',  # an old namespace
        '<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">',  # prefixed
    ],
)
def test_namespace_agnostic(opening: str):
    closing = "</sm:urlset>" if opening.startswith("<sm:") else "</urlset>"
    prefix = "sm:" if opening.startswith("<sm:") else ""
    body = (
        f"{opening}<{prefix}url><{prefix}loc>https://news.example/a-b-c</{prefix}loc>"
        f"</{prefix}url>{closing}"
    ).encode()
    assert [e.loc for e in parse_sitemap(body).entries] == ["https://news.example/a-b-c"]


def test_gzipped_sitemap_is_recognised_by_magic_bytes():
    assert parse_sitemap(gzip.compress(NEWS)) == parse_sitemap(NEWS)


def test_multi_member_gzip_is_read_whole():
    half = len(URLSET) // 2
    body = gzip.compress(URLSET[:half]) + gzip.compress(URLSET[half:])
    assert parse_sitemap(body) == parse_sitemap(URLSET)


def test_truncated_gzip_keeps_what_decompressed():
    body = gzip.compress(URLSET)[:-20]
    entries = parse_sitemap(body).entries
    assert entries[0].loc == "https://news.example/2024/05/03/budget-vote/"


def test_gzip_bomb_is_refused_at_the_cap():
    bomb = gzip.compress(b"\0" * (MAX_SITEMAP_BYTES + 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(SitemapError, match="exceeds"):
        parse_sitemap(bomb)


def test_gunzip_cap_is_exact():
    data = b"x" * 1000
    assert gunzip_capped(gzip.compress(data), max_size=1000) == data
    with pytest.raises(SitemapError, match="exceeds 999 bytes"):
        gunzip_capped(gzip.compress(data), max_size=999)


def test_corrupt_gzip_is_a_sitemap_error():
    body = b"\x1f\x8b\x08\x00" + b"\xff" * 40
    with pytest.raises(SitemapError, match="corrupt gzip"):
        parse_sitemap(body)


def test_broken_xml_keeps_entries_before_the_damage():
    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/first-story-here</loc></url>"
        b"<url><loc>https://news.example/second & broken</loc></url>"
        b"<url><loc>https://news.example/third"
    )
    locs = [e.loc for e in parse_sitemap(body).entries]
    assert locs[0] == "https://news.example/first-story-here"


def test_leading_bom_and_whitespace_are_tolerated():
    body = b"\xef\xbb\xbf\n  " + URLSET
    assert len(parse_sitemap(body).entries) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"<html><body><p>Not found</p></body></html>", "root element is <html>"),
        (b'<rss version="2.0"><channel/></rss>', "root element is <rss>"),
        (b"<<<>>>", "not XML"),
        (b"just some words", "neither XML nor a list of URLs"),
    ],
)
def test_non_sitemaps_raise_a_clear_error(body: bytes, message: str):
    with pytest.raises(SitemapError, match=message):
        parse_sitemap(body)


def test_text_sitemap_lists_urls():
    body = b"https://news.example/a-story-one\n\nnot a url\nhttp://news.example/b-story-two\n"
    document = parse_sitemap(body)
    assert document.kind == "urlset"
    assert [e.loc for e in document.entries] == [
        "https://news.example/a-story-one",
        "http://news.example/b-story-two",
    ]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<urlset><url><loc>https://news.example/&x;</loc></url></urlset>"
    ).encode()
    locs = [e.loc for e in parse_sitemap(body).entries]
    assert all("TOP-SECRET" not in loc for loc in locs)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_parse_or_raise_sitemap_error(body: bytes):
    try:
        document = parse_sitemap(body)
    except SitemapError:
        return
    assert document.kind in ("index", "urlset")
    assert all(entry.loc == entry.loc.strip() and entry.loc for entry in document.entries)


@given(st.binary(max_size=200))
def test_arbitrary_gzip_payloads_roundtrip(payload: bytes):
    assert gunzip_capped(gzip.compress(payload)) == payload


def test_raw_deflate_is_not_mistaken_for_gzip():
    with pytest.raises(SitemapError):
        parse_sitemap(zlib.compress(URLSET))


ROBOTS = """# robots for news.example
User-agent: *
Disallow: /private/
Sitemap: https://news.example/sitemap_index.xml
sitemap:https://news.example/news-sitemap.xml
  SITEMAP :  /relative-sitemap.xml   # resolved against the robots URL
Sitemap: https://news.example/sitemap_index.xml
Sitemap: ftp://news.example/old.xml
Sitemap:
Disallow: /sitemap-is-not-a-directive-here
"""


def test_sitemap_urls_from_robots():
    assert sitemap_urls_from_robots(ROBOTS, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml",
        "https://news.example/news-sitemap.xml",
        "https://news.example/relative-sitemap.xml",
    ]


def test_robots_without_sitemaps():
    assert sitemap_urls_from_robots("User-agent: *\nDisallow:\n", "https://x.example/") == []


def test_gzip_followed_by_garbage_keeps_the_sitemap():
    assert parse_sitemap(gzip.compress(URLSET) + b"trailing junk") == parse_sitemap(URLSET)


def test_gunzip_cap_of_zero_still_caps():
    """Scrapy's gunzip reads max_size=0 as no cap; gunzip_capped keeps it a cap."""
    assert gunzip_capped(gzip.compress(b""), max_size=0) == b""
    with pytest.raises(SitemapError, match="exceeds 0 bytes"):
        gunzip_capped(gzip.compress(b"x"), max_size=0)


def test_robots_comments_and_blanks_around_the_colon():
    robots = (
        "Sitemap : https://news.example/a.xml # the main one\n"
        "\tsitemap:\thttps://news.example/b.xml\n"
        "# Sitemap: https://news.example/commented-out.xml\n"
    )
    assert sitemap_urls_from_robots(robots, "https://news.example/robots.txt") == [
        "https://news.example/a.xml",
        "https://news.example/b.xml",
    ]


def test_robots_with_an_unparseable_sitemap_url_keeps_the_others():
    robots = "Sitemap: http://[::1\nSitemap: https://news.example/ok.xml\n"
    assert sitemap_urls_from_robots(robots, "https://news.example/robots.txt") == [
        "https://news.example/ok.xml"
    ]


@given(st.text(max_size=300))
def test_robots_of_any_text_yield_http_urls_only(text: str):
    for url in sitemap_urls_from_robots(text, "https://news.example/robots.txt"):
        assert url.startswith(("http://", "https://"))
