"""The generated demo site: committed copy up to date, seed article exact, every page's markup
consistent with tests/fixtures/demo_pages.json, feeds/sitemaps/robots, and rebuilds that
simulate a site changing between crawls."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from demo_helpers import FIXTURE_PATH, REPO_ROOT, jsonld_blocks, page_file, parse_page, visible_text

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR
from tools.demo_site.articles import DEFAULT_ARTICLES
from tools.demo_site.build import (
    FEED_SIZE,
    NAV_CATEGORIES,
    NEWS_SITEMAP_SINCE,
    PAGE_SIZE,
    SITE_NAME,
    TODAY_TEXT,
    build_site,
    fixture_text,
    render_site,
    slugify,
)
from tools.demo_site.model import (
    DemoArticle,
    body_text,
    first_sentence,
    last_sentence,
    truncate_words,
)

SEED_SLUG = "russias-implications-from-vladimir-putins-visit-to-china"
SEED_PATH = f"/2023/10/16/{SEED_SLUG}/"
GERMAN_PATH = "/2024/11/21/stadtwerke-lindenau-erhoehen-fernwaermepreise-um-zwoelf-prozent/"
UNDATED_PATH = "/features/explainer-how-exit-polls-are-conducted-in-india/"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
}

# The seed page (../shared/seed/000_3bb9de54f4243c04.txt) as a reader sees it, top to bottom.
SEED_TEXT = """\
Friday, 22 November 2024
Trending
AsiaPolitics

Russia’s implications from Vladimir Putin’s visit to China

  • Chinese leaders will meet with Russian President Vladimir Putin in Beijing.
  • Putin’s visit is a demonstration of support for Chinese President Xi Jinping’s historic Belt and Road initiative.
  • China is Russia’s main market for Russian goods as well as its economic lifeline.

This week, Chinese leaders will meet with Russian President Vladimir Putin in Beijing, where they will discuss China’s diplomatic and economic backing of Moscow amid its conflict in Ukraine.

The Israel-Hamas conflict has complicated the two nations’ unofficial cooperation against the US and other democratic countries. China has made an effort to strike a balance between its economic ties—which are heavily supported by Russia—with Iran and Syria and its relations with Israel.

Visit to China

Putin’s visit is a demonstration of support for Chinese President Xi Jinping‘s historic Belt and Road initiative, which aims to develop infrastructure and increase China’s sphere of influence abroad.

At an event celebrating the tenth anniversary of Xi’s declaration of the policy, which has left Zambia and Sri Lanka heavily indebted after they entered into agreements with Chinese enterprises to construct roads, airports, and other public works they could not otherwise afford, he will be one of the most well-known attendees.

Putin stated that discussions of Belt and Road projects would be covered during the visit. Moscow hopes to connect these initiatives with the efforts being made by an economic alliance of former Soviet Union countries, most of which are in Central Asia, to “achieve common development goals.”

In an area that Russia has traditionally seen as its backyard and where it has attempted to retain political and military sway, he also minimized the significance of China’s economic influence.

According to Alexander Gabuev, director of the Carnegie Russia Eurasia Center, China can rely on Russia as a friendly and safe neighbor, as well as a reliable supplier of inexpensive raw resources, backing for its global endeavors, and access to military technologies that China lacks. China is Russia’s main market for Russian goods as well as its economic lifeline during its ruthless repression of Ukraine.

Although it seems unlikely that Beijing and Moscow will form a formal military alliance, their defense cooperation will increase. In terms of security, both nations are self-sufficient and gain from cooperation, but neither needs the other to secure their security.

Related posts
IndiaPolitics

Maharashtra 2024 Exit Polls: Mahayuti Leads, MVA Trails in Tight Contest

Mahayuti alliance predicted to win 128-195 seats in Maharashtra Assembly. MVA projected to secure…
Read more
AfricaPolitics

Kizza Besigye Detained in Uganda After Alleged Kidnapping in Kenya

Kizza Besigye, Ugandan opposition leader, is arrested and held in Uganda’s military jail after…
Read more
AmericasPolitics

Trump’s Surprising Meeting with Morning Joe Hosts Sparks Curiosity

Trump describes his recent meeting with Joe Scarborough and Mika Brzezinski as “extremely…
Read more
Newsletter
Become a Trendsetter

To get your breaking, trending, latest news immediately without diluting its truthfulness join with worldmagzine immediately.

Leave a Reply

Your email address will not be published. Required fields are marked *

LiveWarWorld

Evacuation Period for Gaza Residents Expired and Israel Targeted Hizbollah

Worth reading..."""


def _seed_lines() -> list[str]:
    lines = (re.sub(r"\s+", " ", line).strip().removeprefix("• ") for line in SEED_TEXT.split("\n"))
    return [line for line in lines if line]


def _articles(expectations: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in expectations["pages"] if p["kind"] == "article"]


def _meta(doc: Any, prop: str) -> list[str]:
    return doc.xpath(f'//meta[@property="{prop}"]/@content')


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _xml(relative: str) -> Any:
    return lxml.etree.fromstring((SITE_DIR / relative).read_bytes())


def _site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _article(slug: str) -> DemoArticle:
    return next(a for a in DEFAULT_ARTICLES if a.slug == slug)


# --- the committed copies are what the generator produces ---------------------------------------

REGENERATE = (
    "run: python -m tools.demo_site.build newscrawl/demo/site "
    "--fixture tests/fixtures/demo_pages.json"
)


def test_committed_site_is_byte_identical_to_a_fresh_build(tmp_path: Path) -> None:
    build_site(tmp_path)
    fresh, committed = _site_files(tmp_path), _site_files(SITE_DIR)
    assert sorted(fresh) == sorted(committed), REGENERATE
    differing = [name for name in fresh if fresh[name] != committed[name]]
    assert differing == [], REGENERATE


def test_committed_fixture_matches_the_generator() -> None:
    assert FIXTURE_PATH.read_text(encoding="utf-8") == fixture_text(), REGENERATE


@pytest.mark.slow
def test_generator_command_reproduces_the_committed_files(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "tools.demo_site.build", str(tmp_path / "site")]
    command += ["--fixture", str(tmp_path / "demo_pages.json")]
    subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True, timeout=120)
    assert _site_files(tmp_path / "site") == _site_files(SITE_DIR), REGENERATE
    assert (tmp_path / "demo_pages.json").read_bytes() == FIXTURE_PATH.read_bytes(), REGENERATE


def test_runtime_package_neither_ships_nor_imports_the_generator() -> None:
    package = SITE_DIR.parent.parent
    assert not (SITE_DIR.parent / "build.py").exists()
    importing = re.compile(r"^\s*(?:from|import)\s+tools\b", re.MULTILINE)
    offenders = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if SITE_DIR not in path.parents and importing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_build_returns_every_written_file(tmp_path: Path) -> None:
    written = build_site(tmp_path)
    on_disk = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert sorted(written) == on_disk
    assert len(written) == len(render_site())


def test_fixture_lists_every_page_of_the_site(expectations: dict[str, Any]) -> None:
    folders = (p.parent.relative_to(SITE_DIR).as_posix() for p in SITE_DIR.rglob("index.html"))
    on_disk = {"/" if f == "." else f"/{f}/" for f in folders}
    listed = [p["path"] for p in expectations["pages"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == on_disk
    kinds = {p["kind"] for p in expectations["pages"]}
    assert kinds == {"article", "home", "category", "tag", "author", "about", "contact", "search"}
    assert len(listed) >= 25
    assert len(_articles(expectations)) >= 16


# --- the seed article ------------------------------------------------------------------------------


def test_seed_article_page_shows_the_seed_text_in_order() -> None:
    text = visible_text(parse_page(SEED_PATH))
    position = 0
    for line in _seed_lines():
        found = text.find(line, position)
        assert found >= 0, f"seed line missing or out of order: {line!r}"
        position = found + len(line)


def test_seed_article_markup_holds_each_part_in_its_place() -> None:
    doc = parse_page(SEED_PATH)
    article = doc.xpath("//main//article[contains(@class, 'type-post')]")[0]
    assert article.xpath(".//h1[@class='entry-title']")[0].text_content() == (
        "Russia’s implications from Vladimir Putin’s visit to China"
    )
    cats = article.xpath(".//div[@class='cat-links']/a[@rel='category tag']/text()")
    assert cats == ["Asia", "Politics"]
    assert article.xpath(".//*[contains(@class, 'tags-links')]") == []
    points = [li.text_content() for li in article.xpath(".//div[@class='key-points']//li")]
    assert points == _seed_lines()[4:7]
    content = article.xpath(".//div[@class='entry-content']")[0]
    blocks = [(el.tag, el.text_content()) for el in content]
    assert blocks[2] == ("h2", "Visit to China")
    assert [text for _, text in blocks] == _seed_lines()[7:16]
    assert [tag for tag, _ in blocks] == ["p", "p", "h2", "p", "p", "p", "p", "p", "p"]

    published = article.xpath(".//time[contains(@class, 'published')]")[0]
    assert published.get("datetime") == "2023-10-16T09:30:00+05:30"
    assert article.xpath(".//time[@class='updated']/@datetime") == ["2023-10-17T11:00:00+05:30"]
    assert _meta(doc, "article:published_time") == ["2023-10-16T09:30:00+05:30"]
    assert _meta(doc, "article:modified_time") == ["2023-10-17T11:00:00+05:30"]
    (graph,) = jsonld_blocks(doc)
    (news,) = [n for n in graph["@graph"] if n["@type"] == "NewsArticle"]
    assert news["datePublished"] == "2023-10-16T09:30:00+05:30"
    assert news["dateModified"] == "2023-10-17T11:00:00+05:30"

    related = doc.xpath("//section[@class='related-posts']")[0]
    assert related.xpath("h2/text()") == ["Related posts"]
    assert [visible_text(t) for t in related.xpath("article")] == [
        " ".join(_seed_lines()[17 + 4 * i : 21 + 4 * i]) for i in range(3)
    ]
    newsletter = visible_text(doc.xpath("//section[@class='newsletter-box']")[0])
    assert newsletter.startswith(" ".join(_seed_lines()[29:32]))
    notes = visible_text(doc.xpath("//p[@class='comment-notes']")[0])
    assert notes == _seed_lines()[33]
    assert doc.xpath("//h3[@id='reply-title']/text()") == ["Leave a Reply"]
    widget = visible_text(doc.xpath("//section[contains(@class, 'worth-reading')]")[0])
    assert widget == " ".join(_seed_lines()[34:37])


def test_header_date_is_plain_text_not_a_date_element() -> None:
    doc = parse_page(SEED_PATH)
    masthead = doc.xpath("//header[@id='masthead']")[0]
    holders = [el for el in masthead.iter() if el.text and TODAY_TEXT in el.text]
    assert [(el.tag, el.text) for el in holders] == [("span", TODAY_TEXT)]
    assert masthead.xpath(".//time|.//*[@datetime]") == []


# --- every page ----------------------------------------------------------------------------------


def _all_page_paths() -> list[str]:
    fixture = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
    return [p["path"] for p in fixture["pages"]]


@pytest.mark.parametrize("path", _all_page_paths())
def test_every_page_has_the_theme_chrome(path: str, expectations: dict[str, Any]) -> None:
    doc = parse_page(path)
    article_paths = {p["path"] for p in _articles(expectations)}
    assert doc.xpath("//span[@class='header-date']/text()") == [TODAY_TEXT]
    trending = doc.xpath("//div[@class='trending-strip']//a/@href")
    assert len(trending) == 3
    assert set(trending) <= article_paths - {path}
    menu = doc.xpath("//nav[@id='site-navigation']//a/text()")
    assert menu == ["Home", *NAV_CATEGORIES]
    assert doc.xpath("//footer[@id='colophon']//div[@class='live-ticker']")
    feeds = doc.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert feeds == ["/feed/"]
    for href in doc.xpath("//a/@href"):
        assert href.startswith("/"), f"{path}: link {href!r} is not root-relative"


@pytest.mark.parametrize("path", _all_page_paths())
def test_every_internal_link_resolves(path: str) -> None:
    doc = parse_page(path)
    for href in set(doc.xpath("//a/@href|//img/@src|//link[@rel!='canonical']/@href")):
        if href.startswith(BASE_URL_TOKEN):
            href = href.removeprefix(BASE_URL_TOKEN)
        if href == "/wp-admin/":  # disallowed by robots.txt, deliberately absent
            continue
        target = SITE_DIR / href.strip("/")
        assert (
            target.is_file()
            or (target / "index.html").is_file()
            or (target / "index.xml").is_file()
        ), f"{path}: broken link {href}"


def test_non_article_pages_are_not_marked_as_articles(expectations: dict[str, Any]) -> None:
    for page in expectations["pages"]:
        if page["kind"] == "article":
            continue
        doc = parse_page(page["path"])
        assert _meta(doc, "og:type") == ["website"], page["path"]
        assert _meta(doc, "article:published_time") == []
        for block in jsonld_blocks(doc):
            types = {node["@type"] for node in block.get("@graph", [block])}
            assert "NewsArticle" not in types


# --- article pages against the expectations ------------------------------------------------------


def _article_expectations() -> list[dict[str, Any]]:
    fixture = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
    return _articles(fixture)


@pytest.mark.parametrize("page", _article_expectations(), ids=lambda p: p["path"])
def test_article_page_matches_its_expectations(page: dict[str, Any]) -> None:
    doc = parse_page(page["path"])
    (article,) = doc.xpath("//main//article[contains(@class, 'type-post')]")
    headline = article.xpath(".//h1[@class='entry-title']")[0].text_content()
    assert headline == page["headline"]
    assert doc.findtext(".//title") == f"{page['headline']} - {SITE_NAME}"
    assert _meta(doc, "og:title") == [page["headline"]]
    assert _meta(doc, "og:type") == ["article"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [BASE_URL_TOKEN + page["path"]]
    assert doc.get("lang").split("-")[0] == page["language"]
    assert _meta(doc, "article:section") == [page["section"]]

    cats = article.xpath(".//div[@class='cat-links']/a[@rel='category tag']/text()")
    tags = article.xpath(".//span[@class='tags-links']/a[@rel='tag']/text()")
    assert cats[0] == page["section"]
    assert list(dict.fromkeys(cats + tags)) == page["tags"]
    assert (
        article.xpath(".//span[@class='author vcard']/a[@rel='author']/text()") == page["authors"]
    )
    points = [li.text_content() for li in article.xpath(".//div[@class='key-points']//li")]
    assert "\n".join(points) == page["summary"]

    body = visible_text(article.xpath(".//div[@class='entry-content']")[0])
    assert body.startswith(page["body_first"])
    assert body.endswith(page["body_last"])
    for snippet in page["must_contain"]:
        assert snippet in body
    subheads = article.xpath(".//div[@class='entry-content']/h2/text()")
    assert subheads and subheads[0] in page["must_contain"]
    own = "\n".join([headline, *points, body])
    page_text = visible_text(doc)
    for snippet in page["must_not_contain"]:
        assert snippet not in own
        assert snippet in page_text, f"trap {snippet!r} is not on the page"

    times = article.xpath(".//time[contains(@class, 'published')]")
    published_meta = _meta(doc, "article:published_time")
    modified_meta = _meta(doc, "article:modified_time")
    if page["published"] is None:
        assert times == [] and published_meta == [] and modified_meta == []
    elif page["machine_dates"]:
        assert times[0].get("datetime") == page["published"]
        assert published_meta == [page["published"]]
        assert modified_meta == ([page["modified"]] if page["modified"] else [])
    else:
        assert times[0].get("datetime") is None
        assert published_meta == [] and modified_meta == []

    blocks = jsonld_blocks(doc)
    if page["jsonld"] is None:
        assert blocks == []
        return
    (block,) = blocks
    assert ("@graph" in block) == (page["jsonld"] == "graph")
    (news,) = [n for n in block.get("@graph", [block]) if n["@type"] == "NewsArticle"]
    assert news["headline"] == page["headline"]
    assert [a["name"] for a in news["author"]] == page["authors"]
    assert news.get("datePublished") == (page["published"] if page["machine_dates"] else None)
    assert news.get("dateModified") == (page["modified"] if page["machine_dates"] else None)


def test_site_has_the_variety_extraction_needs(expectations: dict[str, Any]) -> None:
    pages = _articles(expectations)
    assert sum(p["jsonld"] is None for p in pages) >= 3
    assert {p["jsonld"] for p in pages} == {None, "graph", "object"}
    assert sum(p["published"] is None for p in pages) == 1
    assert [p["language"] for p in pages].count("de") == 1
    assert sum(p["modified"] is not None for p in pages) >= 3
    assert sum(len(p["authors"]) > 1 for p in pages) >= 1
    assert any(len(p["tags"]) < len(_raw_labels(p["path"])) for p in pages), (
        "no article repeats a category as a tag (de-duplication untested)"
    )
    sections = {label for p in pages for label in p["tags"]}
    assert set(NAV_CATEGORIES) <= sections
    for article in DEFAULT_ARTICLES:
        assert len(body_text(article).split()) >= 150, article.slug


def _raw_labels(path: str) -> list[str]:
    (article,) = parse_page(path).xpath("//main//article[contains(@class, 'type-post')]")
    cats = article.xpath(".//div[@class='cat-links']/a/text()")
    return cats + article.xpath(".//span[@class='tags-links']/a/text()")


def test_german_article_dates_only_as_visible_german_text() -> None:
    doc = parse_page(GERMAN_PATH)
    assert doc.get("lang") == "de-DE"
    assert jsonld_blocks(doc) == []
    assert _meta(doc, "article:published_time") == []
    assert doc.xpath("//*[@datetime]") == []
    meta = visible_text(doc.xpath("//main//div[@class='entry-meta']")[0])
    assert meta == "21. November 2024, 14:30 Uhr Von Katrin Vogel"
    cats = doc.xpath("//main/article/header/div[@class='cat-links']/a/text()")
    assert cats == ["Wirtschaft", "Europa"]


def test_undated_article_has_no_date_anywhere() -> None:
    doc = parse_page(UNDATED_PATH)
    assert doc.xpath("//main//time") == []
    assert not re.search(r"/\d{4}/\d{2}/", UNDATED_PATH)
    raw = page_file(UNDATED_PATH).read_text(encoding="utf-8")
    for marker in ("published_time", "modified_time", "datePublished", "dateModified"):
        assert marker not in raw
    assert UNDATED_PATH not in (SITE_DIR / "feed/index.xml").read_text(encoding="utf-8")
    assert UNDATED_PATH not in (SITE_DIR / "sitemap-news.xml").read_text(encoding="utf-8")


# --- listings --------------------------------------------------------------------------------------


def _teaser_paths(path: str) -> list[str]:
    doc = parse_page(path)
    return doc.xpath("//main//article[contains(@class, 'teaser')]/h2/a/@href")


def _published_of(expectations: dict[str, Any]) -> dict[str, datetime | None]:
    return {
        p["path"]: _iso(p["published"]) if p["published"] else None for p in _articles(expectations)
    }


def _latest_first(paths: list[str], published: dict[str, datetime | None]) -> bool:
    stamps = [published[p].timestamp() if published[p] else float("-inf") for p in paths]
    return stamps == sorted(stamps, reverse=True)


def test_home_page_links_every_article_latest_first(expectations: dict[str, Any]) -> None:
    published = _published_of(expectations)
    teasers = _teaser_paths("/")
    assert sorted(teasers) == sorted(published)
    assert _latest_first(teasers, published)


@pytest.mark.parametrize("category", ["Politics", "Business"])
def test_category_archives_are_paginated(category: str, expectations: dict[str, Any]) -> None:
    published = _published_of(expectations)
    members = [a.path for a in DEFAULT_ARTICLES if category in a.categories]
    base = f"/category/{slugify(category)}/"
    first, second = _teaser_paths(base), _teaser_paths(f"{base}page/2/")
    assert len(first) == PAGE_SIZE
    assert 0 < len(second) <= PAGE_SIZE
    assert sorted(first + second) == sorted(members)
    assert _latest_first(first + second, published)
    assert not page_file(f"{base}page/3/").exists()
    doc1, doc2 = parse_page(base), parse_page(f"{base}page/2/")
    assert doc1.xpath("//link[@rel='next']/@href") == [f"{BASE_URL_TOKEN}{base}page/2/"]
    assert doc2.xpath("//link[@rel='prev']/@href") == [BASE_URL_TOKEN + base]
    assert doc1.xpath("//a[contains(@class, 'next')]/@href") == [f"{base}page/2/"]


def test_search_tag_author_about_contact_pages() -> None:
    search = parse_page("/search/")
    assert search.xpath("//meta[@name='robots']/@content") == ["noindex, follow"]
    assert SEED_PATH in _teaser_paths("/search/")
    assert SEED_PATH in _teaser_paths("/author/arjun-mehta/")
    assert _teaser_paths("/tag/exit-polls/")
    contact = parse_page("/contact/")
    assert contact.xpath("//main//form[@method='post']//textarea")
    assert "demo content" in visible_text(parse_page("/about/"))


# --- feed, sitemaps, robots, images ----------------------------------------------------------------


def test_feed_lists_the_latest_articles(expectations: dict[str, Any]) -> None:
    feed = _xml("feed/index.xml")
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    items = feed.findall("channel/item")
    assert len(items) == FEED_SIZE
    published = _published_of(expectations)
    dated = sorted((p for p, d in published.items() if d), key=lambda p: published[p], reverse=True)
    links = [item.findtext("link") for item in items]
    assert all(link.startswith(BASE_URL_TOKEN) for link in links)
    paths = [link.removeprefix(BASE_URL_TOKEN) for link in links]
    assert paths == dated[:FEED_SIZE]
    for item, path in zip(items, paths, strict=True):
        assert parsedate_to_datetime(item.findtext("pubDate")) == published[path]
        assert item.findall("dc:creator", NS)
    self_link = feed.find("channel/atom:link", NS)
    assert self_link.get("href") == f"{BASE_URL_TOKEN}/feed/"


def test_sitemaps(expectations: dict[str, Any]) -> None:
    index = _xml("sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    locs = index.xpath("//sm:loc/text()", namespaces=NS)
    assert locs == [f"{BASE_URL_TOKEN}/sitemap-posts.xml", f"{BASE_URL_TOKEN}/sitemap-news.xml"]

    articles = {p["path"]: p for p in _articles(expectations)}
    posts = _xml("sitemap-posts.xml")
    entries = {
        u.findtext("sm:loc", namespaces=NS).removeprefix(BASE_URL_TOKEN): u.findtext(
            "sm:lastmod", namespaces=NS
        )
        for u in posts.findall("sm:url", NS)
    }
    assert set(entries) == set(articles)
    for path, lastmod in entries.items():
        assert lastmod == (articles[path]["modified"] or articles[path]["published"])

    news = _xml("sitemap-news.xml")
    urls = news.findall("sm:url", NS)
    recent = {
        p
        for p, a in articles.items()
        if a["published"] and _iso(a["published"]) >= NEWS_SITEMAP_SINCE
    }
    assert recent and len(recent) < len(articles)
    assert {u.findtext("sm:loc", namespaces=NS).removeprefix(BASE_URL_TOKEN) for u in urls} == (
        recent
    )
    for url in urls:
        path = url.findtext("sm:loc", namespaces=NS).removeprefix(BASE_URL_TOKEN)
        entry = url.find("news:news", NS)
        assert entry.findtext("news:publication_date", namespaces=NS) == articles[path]["published"]
        assert entry.findtext("news:title", namespaces=NS) == articles[path]["headline"]
        keywords = entry.findtext("news:keywords", namespaces=NS).split(", ")
        assert keywords == articles[path]["tags"]


def test_robots_txt() -> None:
    robots = (SITE_DIR / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Disallow: /wp-admin/" in robots
    assert f"Sitemap: {BASE_URL_TOKEN}/sitemap.xml" in robots


def test_featured_images_are_valid_pngs(expectations: dict[str, Any]) -> None:
    images = [p["image"] for p in _articles(expectations) if p["image"]]
    assert images and len(images) < len(_articles(expectations))
    for image in images:
        data = (SITE_DIR / image.lstrip("/")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        idat_len = struct.unpack(">I", data[33:37])[0]
        assert data[37:41] == b"IDAT"
        pixels = zlib.decompress(data[41 : 41 + idat_len])
        assert len(pixels) == height * (1 + 3 * width)


# --- rebuilds: a site that changes between crawls ---------------------------------------------------


def _article_files(files: dict[str, bytes]) -> dict[str, bytes]:
    paths = {a.path.strip("/") + "/index.html" for a in DEFAULT_ARTICLES}
    return {name: data for name, data in files.items() if name in paths}


def test_new_article_is_linked_from_home_feed_sitemaps_and_category(tmp_path: Path) -> None:
    new = dataclasses.replace(
        _article("lisbon-councillors-split-over-plan-to-double-tourist-tax"),
        slug="lisbon-council-approves-higher-tourist-tax",
        headline="Lisbon Council Approves Higher Tourist Tax After Long Debate",
        published=datetime(2024, 11, 22, 7, 45, tzinfo=UTC),
        modified=None,
    )
    build_site(tmp_path, articles=(*DEFAULT_ARTICLES, new))
    page = page_file(new.path, tmp_path)
    assert page.is_file()
    assert _teaser_paths_in(tmp_path, "/")[0] == new.path
    assert _teaser_paths_in(tmp_path, "/category/europe/")[0] == new.path
    feed = lxml.etree.fromstring((tmp_path / "feed/index.xml").read_bytes())
    assert feed.findtext("channel/item/link") == BASE_URL_TOKEN + new.path
    assert len(feed.findall("channel/item")) == FEED_SIZE
    for sitemap in ("sitemap-posts.xml", "sitemap-news.xml"):
        assert f"<loc>{BASE_URL_TOKEN}{new.path}</loc>" in (tmp_path / sitemap).read_text("utf-8")
    # the pages of the articles already there do not change
    before, after = _site_files(SITE_DIR), _site_files(tmp_path)
    assert _article_files(after) == _article_files(before)


def _teaser_paths_in(root: Path, path: str) -> list[str]:
    doc = lxml.html.fromstring(page_file(path, root).read_bytes())
    return doc.xpath("//main//article[contains(@class, 'teaser')]/h2/a/@href")


def test_edited_article_changes_only_its_page_feed_and_sitemap(tmp_path: Path) -> None:
    build_site(tmp_path)
    old_stamp = 1_000_000_000
    for file in tmp_path.rglob("*"):
        if file.is_file():
            os.utime(file, (old_stamp, old_stamp))
    slug = "kenyan-tea-auctions-rebound-as-buyers-return-from-pakistan-and-egypt"
    original = _article(slug)
    edited = dataclasses.replace(
        original,
        paragraphs=(
            *original.paragraphs[:-1],
            "Correction: an earlier version of this article misstated the auction’s location.",
        ),
        modified=datetime(2024, 11, 16, 10, 0, tzinfo=timezone(timedelta(hours=3))),
    )
    articles = tuple(edited if a.slug == slug else a for a in DEFAULT_ARTICLES)
    build_site(tmp_path, articles=articles)

    committed = _site_files(SITE_DIR)
    changed = {name for name, data in _site_files(tmp_path).items() if data != committed[name]}
    page = edited.path.strip("/") + "/index.html"
    assert changed == {page, "feed/index.xml", "sitemap-posts.xml"}
    assert "misstated the auction’s location" in (tmp_path / page).read_text("utf-8")
    for file in tmp_path.rglob("*"):
        relative = file.relative_to(tmp_path).as_posix()
        if file.is_file():
            kept_old_mtime = file.stat().st_mtime == old_stamp
            assert kept_old_mtime == (relative not in changed), relative


# --- validation and helpers ----------------------------------------------------------------------


def test_invalid_articles_are_rejected() -> None:
    seed = _article(SEED_SLUG)
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(seed, published=datetime(2024, 1, 1, 12, 0))
    with pytest.raises(ValueError, match="start and end with a paragraph"):
        dataclasses.replace(seed, paragraphs=("## Only a heading", "Then text."))
    with pytest.raises(ValueError, match="category"):
        dataclasses.replace(seed, categories=())
    with pytest.raises(ValueError, match="unsupported language"):
        dataclasses.replace(seed, language="fr")
    with pytest.raises(ValueError, match="duplicate"):
        render_site([seed, dataclasses.replace(seed, headline="Same slug, other text")])


def test_small_site_builds_with_fewer_articles_than_the_blocks_want(tmp_path: Path) -> None:
    seed, other = (
        _article(SEED_SLUG),
        _article("lisbon-councillors-split-over-plan-to-double-tourist-tax"),
    )
    build_site(tmp_path, articles=[seed, other])
    doc = lxml.html.fromstring(page_file(seed.path, tmp_path).read_bytes())
    assert doc.xpath("//section[@class='related-posts']//h3/a/@href") == [other.path]
    assert doc.xpath("//div[@class='trending-strip']//a/@href") == [other.path]


def test_truncate_words() -> None:
    assert truncate_words("short text", 97) == "short text"
    assert truncate_words("alpha beta gamma", 10) == "alpha beta…"
    assert truncate_words("alpha beta gamma", 11) == "alpha beta…"
    assert truncate_words("alphabetagamma delta", 5) == "…"


def test_sentences() -> None:
    text = "First one here. Second “quoted.” Third? Last one, 1.5 percent."
    assert first_sentence(text) == "First one here."
    assert last_sentence(text) == "Last one, 1.5 percent."
    assert first_sentence("No end") == last_sentence("No end") == "No end"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Fernwärme", "fernwaerme"),
        ("Russia’s implications", "russias-implications"),
        ("Exit polls", "exit-polls"),
        ("São Paulo & Co.", "sao-paulo-co"),
        ("LiveWarWorld", "livewarworld"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
