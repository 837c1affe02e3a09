"""The cells of newscrawl's Datasette plugin, on a real :class:`Datasette` over a migrated file:
any stored text stays text (escaped), tag and author lists become filter links with the names
intact, only http(s) URLs become links, stored times read as ISO 8601 UTC."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from datasette.app import Datasette
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.datasette import datasette_name
from newscrawl.datasette.plugin import iso_utc, paragraphs, render_cell, web_url
from tests.profiles import examples

# Stored text has no control characters (the Article boundary removes them).
TEXT = st.characters(blacklist_categories=("Cc", "Cs"))
NAMES = st.lists(st.text(TEXT, min_size=1, max_size=30).filter(str.strip), max_size=6)


@pytest.fixture(scope="module")
def datasette(migrated_sqlite_template: Path) -> tuple[Datasette, str]:
    return Datasette([str(migrated_sqlite_template)]), datasette_name(migrated_sqlite_template)


def _fragment(markup: object) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(str(markup), create_parent="div")


@given(names=NAMES)
@settings(max_examples=examples(200))
def test_tag_cells_are_filter_links_with_the_names_as_text(datasette, names):
    app, database = datasette
    cell = render_cell({"id": 1}, json.dumps(names), "tags", "articles_view", database, app)
    links = _fragment(cell).cssselect("a")
    assert [link.text_content() for link in links] == names
    for link, name in zip(links, names, strict=True):
        query = parse_qs(urlsplit(link.get("href")).query)
        assert query == {"tags__arraycontains": [name]}


@given(headline=st.text(TEXT, min_size=1, max_size=80))
@settings(max_examples=examples(200))
def test_headline_cells_link_the_article_and_keep_the_text(datasette, headline):
    app, database = datasette
    cell = render_cell({"id": 7}, headline, "headline", "articles_view", database, app)
    links = _fragment(cell).cssselect("a")
    assert len(links) == 1
    assert links[0].text_content() == headline
    assert links[0].get("href") == f"/{database}/articles/7"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "//evil.example/", "ftp://x.example/", ""],
)
def test_only_http_urls_become_links(datasette, url):
    app, database = datasette
    assert web_url(url) is None
    assert render_cell({"id": 1}, url, "canonical_url", "articles_view", database, app) is None


def test_source_cell_links_the_article(datasette):
    app, database = datasette
    url = "https://news.example/2025/03/01/a-b/?x=1&y=<2>"
    cell = render_cell({"id": 1}, url, "canonical_url", "articles_view", database, app)
    link = _fragment(cell).cssselect("a")[0]
    assert link.get("href") == url
    assert link.text_content() == "news.example ↗"


def test_stored_times_read_as_iso_utc_and_raw_strings_stay(datasette):
    app, database = datasette
    stored = "2023-10-16 04:00:00.000000"
    for column in ("published_at", "captured_at", "started_at"):
        assert render_cell({}, stored, column, "articles", database, app) == "2023-10-16T04:00:00Z"
    assert render_cell({}, stored, "published_raw", "articles", database, app) is None
    assert iso_utc("2023-10-16 04:00:00") == "2023-10-16T04:00:00Z"
    assert iso_utc("yesterday") == "yesterday"


def test_paragraphs_split_at_blank_lines():
    text = "First line\nstill first.\n\n  Second.  \n\n\n\nThird."
    assert paragraphs(text) == ["First line\nstill first.", "Second.", "Third."]
    assert paragraphs("") == [] and paragraphs(None) == []
