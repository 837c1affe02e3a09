"""``newscrawl browse`` in a real browser: headless Chromium loads the pages a reader would.

The demo archive (the demo site really crawled) is served by a ``newscrawl browse`` subprocess;
Chromium renders the home page, follows its search form to the seed article, renders the
article page and the article list. Checks are on the rendered DOM: the seed's headline, body
paragraphs and tags, ISO times, facets, links to the source.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urljoin

import lxml.html
import pytest
from browse_support import (
    CHROMIUM,
    SEED_BODY_END,
    SEED_BODY_START,
    SEED_HEADLINE,
    SEED_TAGS,
    Browse,
    ChangedArchive,
    DemoArchive,
    dump_dom,
    screenshot,
    start_browse,
    text_of,
)

pytestmark = pytest.mark.slow

ISO_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?")
HIDDEN_TABLES = (
    "article_tags",
    "article_authors",
    "article_urls",
    "crawl_locks",
    "alembic_version",
)


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    if not CHROMIUM.is_file():
        from tests.servers import service_unavailable

        service_unavailable("chromium not installed")


def search_url(page_url: str, dom: lxml.html.HtmlElement, words: str) -> str:
    """The URL a browser submits for the page's search form with ``words`` typed in."""
    forms = dom.cssselect("form.newscrawl-search")
    assert len(forms) == 1
    form = forms[0]
    assert (form.get("method") or "get").lower() == "get"
    fields = form.cssselect('input[type="search"]')
    assert len(fields) == 1
    return urljoin(page_url, form.get("action")) + "?" + urlencode({fields[0].get("name"): words})


def article_url(browse: Browse, demo_archive: DemoArchive) -> str:
    return f"{browse.base_url}/{demo_archive.database}/articles/{demo_archive.seed_id}"


def test_the_front_page_search_finds_the_seed_article(browse: Browse, demo_archive: DemoArchive):
    home = f"{browse.base_url}/"
    front = dump_dom(home)
    results_url = search_url(home, front, "Belt and Road")
    results = dump_dom(results_url)
    headlines = results.cssselect("a.newscrawl-headline")
    assert [text_of(link) for link in headlines] == [SEED_HEADLINE]
    # the result links to the article page, which renders the seed
    target = urljoin(results_url, headlines[0].get("href"))
    assert target == article_url(browse, demo_archive)
    article = dump_dom(target)
    assert text_of(article.cssselect("h1.newscrawl-title")[0]) == SEED_HEADLINE


def test_the_front_page_leads_to_the_articles_not_the_link_tables(
    browse: Browse, demo_archive: DemoArchive
):
    front = dump_dom(f"{browse.base_url}/")
    entry = front.cssselect("p.newscrawl-entry a")[0]
    assert entry.get("href") == f"/{demo_archive.database}/articles_view"
    newest = front.cssselect("ol.newscrawl-newest li")
    assert 0 < len(newest) <= 10
    assert f"{demo_archive.article_count:,} article" in text_of(front.cssselect("form label")[0])
    links = {text_of(link) for link in front.cssselect("details.newscrawl-all-tables a")}
    assert "articles" in links
    assert not links & set(HIDDEN_TABLES)


def test_the_article_page_reads_as_the_article(browse: Browse, demo_archive: DemoArchive):
    dom = dump_dom(article_url(browse, demo_archive))
    article = dom.cssselect("article.newscrawl-article")[0]
    assert text_of(article.cssselect("h1")[0]) == SEED_HEADLINE
    assert dom.findtext(".//title") == SEED_HEADLINE
    paragraphs = [text_of(p) for p in article.cssselect("div.newscrawl-body > p")]
    assert len(paragraphs) >= 5  # paragraphs, not one block of text
    assert paragraphs[0].startswith(SEED_BODY_START)
    assert paragraphs[-1].endswith(SEED_BODY_END)
    assert "Visit to China" in paragraphs  # the sub-headline is its own paragraph
    tags = [text_of(chip) for chip in article.cssselect("ul.newscrawl-tags a")]
    assert tuple(tags) == SEED_TAGS
    assert all(
        "tags__arraycontains=" in chip.get("href")
        for chip in article.cssselect("ul.newscrawl-tags a")
    )
    times = [text_of(time) for time in article.cssselect("dl.newscrawl-facts time")]
    assert times and all(ISO_SECONDS.fullmatch(value) for value in times), times
    source = article.cssselect("a.newscrawl-source")[0]
    assert source.get("href") == demo_archive.seed_url
    assert "Only one version" in text_of(article.cssselect("section.newscrawl-versions")[0])
    # every stored field is still there, folded away
    fields = dom.cssselect("details.newscrawl-all-fields table")
    assert fields and "content_hash" in text_of(fields[0])


def test_the_article_list_shows_lists_links_and_iso_times(
    browse: Browse, demo_archive: DemoArchive
):
    url = f"{browse.base_url}/{demo_archive.database}/articles_view?id={demo_archive.seed_id}"
    dom = dump_dom(url)
    rows = dom.cssselect("table.rows-and-columns tbody tr")
    assert len(rows) == 1
    row = rows[0]

    def cell(column: str) -> lxml.html.HtmlElement:
        return row.cssselect(f"td.col-{column}")[0]

    assert text_of(cell("headline")) == SEED_HEADLINE
    assert [text_of(chip) for chip in cell("tags").cssselect("a")] == list(SEED_TAGS)
    assert cell("authors").cssselect("a"), "authors are a list of links"
    assert "[" not in text_of(cell("tags")) and '"' not in text_of(cell("authors"))
    assert ISO_SECONDS.fullmatch(text_of(cell("published_at")))
    assert cell("canonical_url").cssselect("a")[0].get("href") == demo_archive.seed_url
    headline_link = cell("headline").cssselect("a")[0].get("href")
    assert headline_link == f"/{demo_archive.database}/articles/{demo_archive.seed_id}"


def test_the_full_list_has_facets_and_no_microseconds(browse: Browse, demo_archive: DemoArchive):
    dom = dump_dom(f"{browse.base_url}/{demo_archive.database}/articles_view")
    rows = dom.cssselect("table.rows-and-columns tbody tr")
    assert len(rows) == demo_archive.article_count
    published = [text_of(row.cssselect("td.col-published_at")[0]) for row in rows]
    assert all(ISO_SECONDS.fullmatch(value) for value in published if value), published
    assert not any(".000000" in text_of(row) for row in rows)
    facets = {facet.get("data-column") for facet in dom.cssselect("div.facet-info")}
    assert {"site", "section", "tags", "authors"} <= facets
    # a facet value filters the list with Datasette's array filter
    tag_links = dom.cssselect('.facet-info[data-column="tags"] a')
    assert any("tags__arraycontains=" in (link.get("href") or "") for link in tag_links)


def test_screenshot_of_the_article_page(browse: Browse, demo_archive: DemoArchive, tmp_path: Path):
    output = tmp_path / "article.png"
    screenshot(article_url(browse, demo_archive), output)
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert output.stat().st_size > 20_000  # a rendered page, not a blank one


def test_the_article_page_shows_earlier_versions(changed_archive: ChangedArchive, tmp_path: Path):
    browse = start_browse(changed_archive.url, tmp_path)
    try:
        page = f"{browse.base_url}/{changed_archive.database}/articles/{changed_archive.article_id}"
        dom = dump_dom(page)
        changed_query = f"{browse.base_url}/{changed_archive.database}/changed_articles.json"
        with urllib.request.urlopen(changed_query + "?_shape=array", timeout=30) as response:
            changed = json.load(response)
    finally:
        browse.stop()
    # the canned query "Articles that changed" lists it
    assert [(row["id"], row["versions"]) for row in changed] == [(changed_archive.article_id, 1)]
    article = dom.cssselect("article.newscrawl-article")[0]
    assert text_of(article.cssselect("h1")[0]) == changed_archive.second.headline
    current = [text_of(p) for p in article.cssselect(".newscrawl-article > .newscrawl-body > p")]
    assert current == changed_archive.second.body.split("\n\n")
    versions = article.cssselect("details.newscrawl-version")
    assert len(versions) == 1
    summary = text_of(versions[0].cssselect("summary")[0])
    assert summary.startswith("Version 1, replaced 2025-03-04T10:00:00Z")
    assert changed_archive.first.headline in summary
    earlier = [text_of(p) for p in versions[0].cssselect(".newscrawl-body > p")]
    assert earlier == changed_archive.first.body.split("\n\n")
    assert "version 2" in text_of(article.cssselect("section.newscrawl-versions")[0])
