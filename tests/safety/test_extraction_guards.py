"""The page limits that bound the work per page (``newscrawl.extraction.page.PageLimits``).

Pathological pages are processed or dropped with a named reason, and the limit that bounds them
is checked structurally (what was cut, unwrapped or removed), not with a clock: the time per page
is measured by ``benchmarks/extraction_worst_case.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import lxml.etree
import lxml.html
import pytest
from safety_pages import BASE_URL, FETCHED_AT, REAL_PAGES_AVAILABLE, all_real_pages, check_record

from newscrawl.discovery.links import parse_html_document
from newscrawl.extraction.page import (
    INLINE_TAGS,
    LIMIT_ATTRIBUTES,
    LIMIT_ELEMENTS,
    LIMIT_HTML_CHARS,
    LIMIT_INLINE_RUN,
    LIMIT_NESTING,
    PAGE_LIMITS,
    PageLimits,
    decode_html,
    limit_tree,
    parse_limited,
    parse_page,
    xml_compatible,
)
from newscrawl.items import FetchedPage
from newscrawl.page import extract_record, page_outcome

URL = BASE_URL + "/2024/05/01/storm-floods-the-harbour/"
HEADLINE = "Storm floods the harbour"
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells what happened in the harbour town on Tuesday night.</p>"
    for n in range(8)
)


def page(body: str = "", head: str = "", before: str = "", after: str = "") -> str:
    return (
        f"<html lang='en'><head>{head}</head><body>{before}<article><h1>{HEADLINE}</h1>"
        f"{PARAGRAPHS}{body}</article>{after}</body></html>"
    )


def run(html: str) -> dict:
    record = extract_record(
        html.encode("utf-8"), URL, content_type="text/html; charset=utf-8", fetched_at=FETCHED_AT
    )
    check_record(record)
    return record


def node_count(tree: lxml.html.HtmlElement) -> int:
    """Nodes of the tree (elements, comments, ...), its root included."""
    return sum(1 for _ in tree.getroottree().getroot().iter())


def max_inline_run(tree: lxml.html.HtmlElement) -> int:
    """The most inline elements any one element has among its inline children's subtrees."""
    best = 0
    for element in tree.iter():
        run = sum(
            1 + sum(1 for d in child.iterdescendants() if d.tag in INLINE_TAGS)
            for child in element
            if child.tag in INLINE_TAGS
        )
        best = max(best, run)
    return best


# --- the pathological pages of the issue ------------------------------------------------------


def test_100k_nested_divs_before_the_article_are_flattened_and_the_article_kept() -> None:
    html = page(before="<div>" * 100_000 + "deep" + "</div>" * 100_000)
    _tree, limited = parse_limited(html)
    assert LIMIT_NESTING in limited
    record = run(html)
    assert record["dropped"] is None
    assert record["headline"] == HEADLINE


def test_50_mb_of_text_is_cut_to_the_character_limit_before_parsing() -> None:
    html = page("<p>" + "word " * 10_000_000 + "</p>")
    assert len(html) > 50_000_000
    tree, limited = parse_limited(html)
    assert LIMIT_HTML_CHARS in limited
    assert len(tree.text_content()) <= PAGE_LIMITS.max_html_chars
    record = run(html)
    assert record["dropped"] is None
    assert len(record["body"]) <= PAGE_LIMITS.max_html_chars


def test_10k_links_are_cut_at_the_element_limit() -> None:
    links = "".join(
        f"<li><a href='/2024/05/{n}/story-{n}/'>Story {n}</a></li>" for n in range(10_000)
    )
    html = page(after=f"<ul>{links}</ul>")
    tree, limited = parse_limited(html)
    assert LIMIT_ELEMENTS in limited
    assert node_count(tree) == PAGE_LIMITS.max_elements
    assert run(html)["dropped"] is None


def test_10k_links_in_one_paragraph_are_unwrapped_into_text() -> None:
    links = "".join(f"<a href='/tag/{n}'>tag{n}</a> " for n in range(10_000))
    html = page(f"<p>{links}</p>")
    tree, limited = parse_limited(html)
    assert LIMIT_INLINE_RUN in limited
    assert max_inline_run(tree) <= PAGE_LIMITS.max_inline_run
    record = run(html)
    assert "tag0 tag1 tag2" in record["body"] and "tag9999" in record["body"]


def test_1_mb_of_jsonld_is_read_and_bigger_blocks_are_ignored() -> None:
    body = "Paragraph of the publisher's own text. " * 25_000
    ld = {"@type": "NewsArticle", "headline": "From JSON-LD", "articleBody": body}
    small = json.dumps(ld)
    assert 900_000 < len(small) < 1_100_000
    record = run(page(head=f'<script type="application/ld+json">{small}</script>'))
    assert record["headline"] == "From JSON-LD"
    huge = json.dumps({**ld, "articleBody": body * 3})
    record = run(page(head=f'<script type="application/ld+json">{huge}</script>'))
    assert record["dropped"] is None
    assert record["headline"] == HEADLINE  # the 3 MB block was skipped, the page still read


@pytest.mark.parametrize("name", ["class", "id", "style", "data-payload"])
def test_huge_attributes_are_cut_or_removed(name: str) -> None:
    value = "c " * 2_500_000 if name == "class" else "c" * 5_000_000
    html = page(f"<div {name}='{value}'><p>Inside the huge element.</p></div>")
    tree, limited = parse_limited(html)
    assert LIMIT_ATTRIBUTES in limited
    longest = max(len(v) for element in tree.iter() for v in element.attrib.values())
    assert longest <= max(PAGE_LIMITS.max_class_chars, PAGE_LIMITS.max_attribute_chars)
    assert "Inside the huge element." in run(html)["body"]


def test_thousands_of_inline_elements_in_a_paragraph_keep_their_text() -> None:
    html = page("<p>" + "".join(f"<b>w{n}</b> " for n in range(5_000)) + "</p>")
    tree, limited = parse_limited(html)
    assert limited == (LIMIT_INLINE_RUN,)
    assert max_inline_run(tree) == 0
    assert "w0 w1 w2" in run(html)["body"]


# --- the limits one by one ----------------------------------------------------------------------


def test_the_element_limit_keeps_a_document_order_prefix() -> None:
    limits = PageLimits(max_elements=50)
    html = "<html><body>" + "".join(f"<p>para {n}<b>bold {n}</b> tail {n}</p>" for n in range(40))
    tree, limited = parse_limited(html, limits)
    assert limited == (LIMIT_ELEMENTS,)
    assert node_count(tree) == 50
    text = tree.text_content()
    kept = [n for n in range(40) if f"para {n}" in text]
    assert kept == list(range(len(kept)))  # a prefix, nothing skipped in between
    assert f"tail {kept[-2]}" in text


def test_class_values_are_cut_at_a_class_boundary_and_long_ids_removed() -> None:
    limits = PageLimits(max_class_chars=20)
    tree = lxml.html.document_fromstring(
        "<div class='alpha beta gamma delta epsilon' id='x-very-long-identifier-here'>t</div>"
    )
    assert limit_tree(tree, limits) == (LIMIT_ATTRIBUTES,)
    div = tree.find(".//div")
    assert div.get("class") == "alpha beta gamma"
    assert div.get("id") is None


def test_class_and_id_share_one_budget_per_page() -> None:
    limits = PageLimits(max_class_total=100)
    tree = lxml.html.document_fromstring(
        "<body>" + "".join(f"<div class='c{n:08d}'>x</div>" for n in range(30)) + "</body>"
    )
    limit_tree(tree, limits)
    classes = [div.get("class") for div in tree.iter("div")]
    kept = [c for c in classes if c]
    assert 0 < sum(len(c) for c in kept) <= 100 + 9
    assert classes[: len(kept)] == kept  # the first elements keep theirs


def test_attributes_under_the_limits_are_untouched() -> None:
    html = page(
        head="<meta property='og:description' content='" + "d" * 10_000 + "'>",
        body="<a href='/x' class='teaser link' data-x='" + "y" * 1000 + "'>x</a>",
    )
    tree, limited = parse_limited(html)
    assert limited == ()
    assert len(tree.find(".//meta").get("content")) == 10_000


def test_limits_are_idempotent() -> None:
    html = page(
        "<p>" + "<b>x</b>" * 400 + "</p>" + "<div class='" + "c " * 1_000 + "'>y</div>",
        after="<ul>" + "<li>z</li>" * 30_000 + "</ul>",
    )
    tree, limited = parse_limited(html)
    assert set(limited) == {LIMIT_ELEMENTS, LIMIT_INLINE_RUN, LIMIT_ATTRIBUTES}
    before = lxml.html.tostring(tree)
    assert limit_tree(tree) == ()
    assert lxml.html.tostring(tree) == before


def test_control_characters_are_removed_before_parsing() -> None:
    assert xml_compatible("a\x00b\x01c\x1fd\x0be\ufffef\tg\nh") == "abc d ef\tg\nh"
    # lxml cannot move such text: boilerplate pruning used to raise on it (ExtractionFailed)
    record = run(page("<p>Stray\x1f control\x01 characters\x0c here.</p><div>\x1f</div>"))
    assert record["dropped"] is None
    assert "Stray control characters here." in record["body"]


@pytest.mark.parametrize(
    "junk",
    [
        "<a" * 20_000,  # once took minutes: the nesting tokenizer backtracked
        "<a x" * 20_000,
        "<script" * 20_000,
        "</b" * 20_000,
        "<" + "a" * 200_000,
    ],
)
def test_tag_soup_after_deep_nesting_is_tokenized_in_linear_time(junk: str) -> None:
    """Behind the nesting limit is a tokenizer over the raw text; a pattern that backtracks
    shows up as a test timeout (pytest-timeout), not as a timed assertion."""
    html = "<html><body>" + "<div>" * 300 + junk
    _tree, limited = parse_limited(html)
    assert LIMIT_NESTING in limited


def test_the_spider_link_parse_and_the_page_function_each_hold_their_limits() -> None:
    """The spider parses for link discovery (every link kept, attributes limited); the page
    function parses the page itself and applies every limit to its own tree."""
    html = page("<p>" + "<b>x</b> " * 400 + "</p>", before="<div class='" + "c " * 900 + "'>")
    tree = parse_html_document(html)
    assert tree is not None
    assert max(len(div.get("class") or "") for div in tree.iter("div")) <= 1_000
    assert max_inline_run(tree) == 400
    assert parse_page(html, URL).limited == (LIMIT_INLINE_RUN, LIMIT_ATTRIBUTES)
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="demo", fetched_at=FETCHED_AT))
    assert outcome.drop is None and outcome.article is not None
    assert outcome.article.headline == HEADLINE


@pytest.mark.skipif(not REAL_PAGES_AVAILABLE, reason="the shared corpus is not beside the repo")
def test_real_news_pages_stay_within_every_limit() -> None:
    """The limits only touch hostile pages: none of the corpus pages reaches one."""
    touched: dict[str, tuple[str, ...]] = {}
    pages = all_real_pages()
    assert len(pages) > 100
    for url, raw in pages:
        _tree, limited = parse_limited(decode_html(raw, None))
        if limited:
            touched[url] = limited
    assert touched == {}


@pytest.mark.parametrize(
    "build",
    [
        lambda: page(before="<div>" * 100_000),
        lambda: page(head="<meta name='x' content='y'>" * 25_000),
        lambda: page("<table>" + "<tr><td>cell</td></tr>" * 12_000 + "</table>"),
        lambda: page("".join(f"<p>{'word ' * 50}</p>" for _ in range(15_000))),
    ],
    ids=["deep-unclosed", "meta-flood", "huge-table", "15k-paragraphs"],
)
def test_other_floods_give_a_record_or_a_named_drop(build: Callable[[], str]) -> None:
    run(build())


def test_every_parsed_element_is_an_html_element_form_controls_included() -> None:
    """Element classes are chosen in C (one class for every element); what stages call on
    elements keeps working on form controls and comments."""
    tree, _limited = parse_limited(
        "<html><body><form><label>Search</label><input name='q'><select><option>a</option>"
        "</select><textarea>t</textarea></form><!-- note --><p>Text</p></body></html>"
    )
    elements = [el for el in tree.iter() if isinstance(el.tag, str)]
    assert {"form", "label", "input", "select", "textarea", "p"} <= {el.tag for el in elements}
    assert all(isinstance(el, lxml.html.HtmlElement) for el in elements)
    comments = list(tree.iter(lxml.etree.Comment))
    assert comments and all(isinstance(c, lxml.html.HtmlComment) for c in comments)
    form = tree.find(".//form")
    assert form is not None
    form.drop_tree()
    assert tree.text_content().strip() == "Text"
