"""Extraction never raises: generated tag soup and mutated pages (demo site, real news pages)
go through the whole per-page path — decoding, extraction, normalization, validation — and each
one yields an article record or a named drop, never an exception.

The hypothesis ``deadline`` is only a guard against a hang; the per-page bound itself is enforced
in the code by :class:`newscrawl.extraction.page.PageLimits` (see test_extraction_guards.py) and
measured by ``benchmarks/extraction_worst_case.py``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_pages import (
    BASE_URL,
    FETCHED_AT,
    check_outcome,
    check_record,
    demo_html,
    demo_paths,
    real_pages,
)

from newscrawl.discovery.links import extract_links, parse_html_document
from newscrawl.extraction.page import decode_html
from newscrawl.items import DiscoveryHints, FetchedPage
from newscrawl.page import extract_record, page_outcome
from tests.profiles import examples

DEMO_PATHS = demo_paths()
DEMO_PAGES = [(BASE_URL + path, demo_html(path).encode("utf-8")) for path in DEMO_PATHS]
REAL_PAGES = real_pages()
HANG_GUARD = timedelta(seconds=60)  # generous: only a hang or a runaway page trips it
SETTINGS = settings(
    max_examples=examples(100),
    deadline=HANG_GUARD,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

CONTENT_TYPES = (
    None,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=iso-8859-1",
    "text/html; charset=shift_jis",
    "text/html; charset=gbk",
    "text/html; charset=windows-1251",
    "text/html; charset=utf-16",
    "text/html; charset=no-such-charset",
    "application/xhtml+xml",
    "application/octet-stream",
    "text/plain",
)
TAGS = (
    "html", "head", "body", "title", "meta", "link", "base", "script", "style", "noscript",
    "template", "article", "main", "header", "footer", "nav", "aside", "section", "div", "p",
    "span", "a", "b", "i", "em", "strong", "h1", "h2", "h3", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "tr", "td", "th", "time", "figure", "figcaption", "img", "picture", "source", "br",
    "hr", "form", "input", "button", "iframe", "svg", "math", "blockquote", "pre", "code",
    "select", "option", "textarea", "frameset", "frame", "xmp", "address", "x-custom", "o:p",
)  # fmt: skip
ATTRIBUTES = (
    "class", "id", "href", "src", "srcset", "content", "property", "name", "itemprop",
    "itemscope", "itemtype", "datetime", "rel", "lang", "xml:lang", "type", "style", "role",
    "aria-hidden", "hidden", "charset", "http-equiv", "data-src", "title", "alt", "dir",
)  # fmt: skip
MEANINGFUL_VALUES = (
    "og:title", "og:description", "og:type", "article", "og:url", "og:image", "og:site_name",
    "article:published_time", "article:modified_time", "article:section", "article:tag",
    "author", "description", "keywords", "news_keywords", "canonical", "application/ld+json",
    "headline", "datePublished", "dateModified", "author", "articleBody", "NewsArticle",
    "https://schema.org/NewsArticle", "https://schema.org/Person", "byline", "article-body",
    "related", "newsletter", "share", "comments", "2024-05-01T10:00:00+02:00", "yesterday",
    "30.02.2024", "javascript:alert(1)", "data:text/html,<b>", "http://[::1", "//", "#", "",
    "http://demo.test/2024/05/01/storm/", "/relative/path", "en", "zh-Hant", "xx-yy-zz",
    "2024-05-01T10:00:00Z\x00", "Jane\x00Doe", "\x1f\x0b\x0c", "\ufeff\u200b", "\ufffe",
)  # fmt: skip
ENTITIES = ("&amp;", "&lt;", "&#0;", "&#x110000;", "&#xD800;", "&bogus;", "&", "&#", "&nbsp;")
JSONLD_KEYS = (
    "@context", "@type", "@graph", "@id", "headline", "name", "alternativeHeadline",
    "description", "articleBody", "text", "author", "creator", "publisher", "datePublished",
    "dateCreated", "dateModified", "keywords", "articleSection", "about", "image", "thumbnailUrl",
    "url", "mainEntityOfPage", "inLanguage", "isPartOf", "itemListElement", "familyName",
    "givenName", "sameAs", "logo",
)  # fmt: skip
JSONLD_TYPES = (
    "NewsArticle", "Article", "BlogPosting", "WebPage", "Person", "Organization", "ImageObject",
    "CollectionPage", "ItemList", "BreadcrumbList", "ListItem", "LiveBlogPosting", "",
)  # fmt: skip


# --- strategies ------------------------------------------------------------------------------

words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | words
    | st.sampled_from(MEANINGFUL_VALUES)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(JSONLD_KEYS) | words, children, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def jsonld_blocks(draw: st.DrawFn) -> str:
    """A JSON-LD ``<script>``: article-like objects whose values have any type, or junk."""
    obj: dict[str, Any] = {"@type": draw(st.sampled_from(JSONLD_TYPES) | json_values)}
    obj.update(draw(st.dictionaries(st.sampled_from(JSONLD_KEYS), json_values, max_size=10)))
    data: Any = draw(st.sampled_from((obj, [obj], {"@graph": [obj, obj]}, {"@graph": obj})))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    variant = draw(st.sampled_from(("plain", "comment", "cdata", "trailing", "cut", "junk")))
    if variant == "comment":
        text = f"<!--{text}-->"
    elif variant == "cdata":
        text = f"//<![CDATA[\n{text}\n//]]>"
    elif variant == "trailing":
        text = text.replace("}", ",}").replace("]", ",]")
    elif variant == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif variant == "junk":
        text = draw(any_text)
    kind = draw(st.sampled_from(("application/ld+json", " APPLICATION/LD+JSON ", "text/json")))
    return f'<script type="{kind}">{text}</script>'


@st.composite
def start_tags(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ATTRIBUTES) | st.from_regex(r"[a-z][a-z:-]{0,8}", fullmatch=True),
                st.sampled_from(MEANINGFUL_VALUES) | words,
            ),
            max_size=4,
        )
    )
    quote = draw(st.sampled_from(('"', "'", "")))
    rendered = "".join(f" {name}={quote}{value}{quote}" for name, value in attributes)
    return f"<{tag}{rendered}{draw(st.sampled_from(('', '/', ' /')))}>"


tokens = st.one_of(
    start_tags(),
    st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
    any_text,
    st.sampled_from(MEANINGFUL_VALUES),
    st.sampled_from(ENTITIES),
    words.map(lambda text: f"<!--{text}-->"),
    words.map(lambda text: f"<![CDATA[{text}]]>"),
    st.sampled_from(("<!DOCTYPE html>", "<?xml version='1.0' encoding='utf-8'?>", "<", ">", "</")),
    jsonld_blocks(),
)
paragraph = st.lists(
    st.sampled_from(("the", "harbour", "storm", "council", "said", "on", "Tuesday", "and", "a"))
    | words,
    min_size=5,
    max_size=40,
).map(lambda ws: "<p>" + " ".join(ws) + "</p>")


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Random markup; half the time around an article skeleton, so later stages run too."""
    soup = "".join(draw(st.lists(tokens, max_size=60)))
    if draw(st.booleans()):
        return soup
    headline = draw(words | st.sampled_from(("Storm floods the harbour", "")))
    body = "".join(draw(st.lists(paragraph | tokens, min_size=1, max_size=20)))
    cut = draw(st.integers(0, len(soup)))
    return f"{soup[:cut]}<article><h1>{headline}</h1>{body}</article>{soup[cut:]}"


# --- mutations of real documents (bytes) -------------------------------------------------------


def _tag_positions(raw: bytes) -> list[int]:
    return [index for index, byte in enumerate(raw) if byte == 0x3C] or [0]


@st.composite
def mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` changed by one to four mutations a hostile or broken server could produce."""
    for _ in range(draw(st.integers(1, 4))):
        positions = _tag_positions(raw)
        at = draw(st.sampled_from(positions))
        operation = draw(
            st.sampled_from(
                (
                    "truncate", "flip", "delete", "duplicate", "jsonld", "nest", "inline",
                    "attribute", "nul", "invalid_utf8", "charset",
                )
            )
        )  # fmt: skip
        if operation == "truncate":
            raw = raw[: draw(st.integers(0, len(raw)))]
        elif operation == "flip":
            data = bytearray(raw)
            for _ in range(draw(st.integers(1, 20))):
                if data:
                    data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
            raw = bytes(data)
        elif operation == "delete":
            end = draw(st.sampled_from(positions))
            raw = raw[: min(at, end)] + raw[max(at, end) :]
        elif operation == "duplicate":
            end = draw(st.sampled_from(positions))
            chunk = raw[min(at, end) : max(at, end)]
            raw = raw[:at] + chunk * draw(st.integers(1, 3)) + raw[at:]
        elif operation == "jsonld":
            raw = raw[:at] + draw(jsonld_blocks()).encode("utf-8") + raw[at:]
        elif operation == "nest":
            tag = draw(st.sampled_from((b"div", b"section", b"span", b"p", b"li", b"table")))
            depth = draw(st.integers(1, 3000))
            closed = draw(st.booleans())
            closing = (b"</" + tag + b">") * depth if closed else b""
            raw = raw[:at] + (b"<" + tag + b">") * depth + closing + raw[at:]
        elif operation == "inline":
            tag = draw(st.sampled_from((b"b", b"a", b"span", b"em")))
            count = draw(st.integers(1, 3000))
            run = b"".join(b"<%s>w%d</%s> " % (tag, n, tag) for n in range(count))
            raw = raw[:at] + b"<p>" + run + b"</p>" + raw[at:]
        elif operation == "attribute":
            name = draw(st.sampled_from((b"class", b"id", b"style", b"data-x", b"href")))
            size = draw(st.integers(1, 400_000))
            value = b"c " * (size // 2) if name == b"class" else b"c" * size
            raw = raw[:at] + b"<div " + name + b'="' + value + b'">x</div>' + raw[at:]
        elif operation == "nul":
            raw = raw[:at] + b"\x00" * draw(st.integers(1, 3)) + raw[at:]
        elif operation == "invalid_utf8":
            junk = draw(
                st.sampled_from((b"\xc3", b"\xff\xfe", b"\xed\xa0\x80", b"\x80\x81", b"\xf4\x90"))
                | st.binary(min_size=1, max_size=8)
            )
            raw = raw[:at] + junk + raw[at:]
        elif operation == "charset":
            charset = draw(st.sampled_from((b"shift_jis", b"gbk", b"windows-1251", b"x-bogus")))
            raw = raw[:at] + b'<meta charset="' + charset + b'">' + raw[at:]
    return raw


@st.composite
def mutated_demo_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    url, raw = draw(st.sampled_from(DEMO_PAGES))
    return url, draw(mutated(raw))


@st.composite
def mutated_real_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    url, raw = draw(st.sampled_from(REAL_PAGES))
    return url, draw(mutated(raw))


# --- the checks --------------------------------------------------------------------------------


def process_bytes(url: str, raw: bytes, content_type: str | None) -> None:
    """Decode and process ``raw`` as the ``extract`` command does; check the record."""
    check_record(extract_record(raw, url, content_type=content_type, fetched_at=FETCHED_AT))


def process_text(url: str, html: str, *, read_links: bool, hints: DiscoveryHints | None) -> None:
    """Process decoded ``html`` as the crawl does: the spider reads its links (when
    ``read_links``) from its own parse, the page function makes the record."""
    if read_links and (tree := parse_html_document(html)) is not None:
        assert all(link.startswith(("http://", "https://")) for link in extract_links(tree, url))
    page = FetchedPage.of_html(html, url, site="demo", fetched_at=FETCHED_AT, hints=hints)
    check_outcome(page_outcome(page))


hints = st.none() | st.builds(
    DiscoveryHints,
    source=st.sampled_from(("sitemap", "news-sitemap", "feed")),
    title=st.none() | words,
    published=st.none() | words | st.sampled_from(MEANINGFUL_VALUES),
    keywords=st.lists(words, max_size=3).map(tuple),
)


@SETTINGS
@given(html=tag_soup(), read_links=st.booleans(), page_hints=hints)
def test_generated_tag_soup_gives_a_record_or_a_named_drop(
    html: str, read_links: bool, page_hints: DiscoveryHints | None
) -> None:
    process_text(BASE_URL + "/2024/05/01/storm/", html, read_links=read_links, hints=page_hints)


@SETTINGS
@given(html=tag_soup(), content_type=st.sampled_from(CONTENT_TYPES))
def test_generated_tag_soup_as_bytes_gives_a_record_or_a_named_drop(
    html: str, content_type: str | None
) -> None:
    process_bytes(BASE_URL + "/2024/05/01/storm/", html.encode("utf-8"), content_type)


@settings(SETTINGS, max_examples=examples(150))
@given(page=mutated_demo_pages(), content_type=st.sampled_from(CONTENT_TYPES))
def test_mutated_demo_pages_give_a_record_or_a_named_drop(
    page: tuple[str, bytes], content_type: str | None
) -> None:
    process_bytes(*page, content_type)


@settings(SETTINGS, max_examples=examples(100))
@given(page=mutated_demo_pages(), read_links=st.booleans())
def test_mutated_demo_pages_through_the_crawl_path(
    page: tuple[str, bytes], read_links: bool
) -> None:
    url, raw = page
    html = decode_html(raw, "text/html")
    if html.strip():
        process_text(url, html, read_links=read_links, hints=None)


@pytest.mark.skipif(not REAL_PAGES, reason="the shared corpus is not beside the repository")
@settings(SETTINGS, max_examples=examples(60))
@given(page=mutated_real_pages() if REAL_PAGES else st.nothing(), read_links=st.booleans())
def test_mutated_real_pages_give_a_record_or_a_named_drop(
    page: tuple[str, bytes], read_links: bool
) -> None:
    url, raw = page
    process_bytes(url, raw, "text/html")
    html = decode_html(raw, None)
    if html.strip():
        process_text(url, html, read_links=read_links, hints=None)


@settings(SETTINGS, max_examples=examples(200))
@given(path=st.sampled_from(DEMO_PATHS), cut=st.floats(0, 1), at_byte=st.booleans())
def test_fixture_pages_truncated_anywhere_give_a_record_or_a_named_drop(
    path: str, cut: float, at_byte: bool
) -> None:
    html = demo_html(path)
    if at_byte:  # may cut a UTF-8 sequence in two
        raw = html.encode("utf-8")
        process_bytes(BASE_URL + path, raw[: int(len(raw) * cut)], "text/html; charset=utf-8")
    else:
        truncated = html[: int(len(html) * cut)]
        if truncated.strip():
            process_text(BASE_URL + path, truncated, read_links=False, hints=None)


def test_every_untouched_demo_article_is_kept() -> None:
    """The checks above are not vacuous: the intact pages give real records."""
    kept = 0
    for url, raw in DEMO_PAGES:
        record = extract_record(raw, url, content_type="text/html", fetched_at=FETCHED_AT)
        check_record(record)
        kept += record["dropped"] is None
    assert kept >= 20


@pytest.mark.parametrize(
    "field",
    ["headline", "datePublished", "dateModified", "author", "keywords", "articleSection", "image"],
)
@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x1f", "\ufffe"])
def test_control_characters_in_jsonld_never_reach_the_record(field: str, control: str) -> None:
    """JSON escapes (``\\u0000``) put characters in values that the page text cannot carry;
    PostgreSQL refuses NUL in text, so one would lose the article at the store."""
    value = {
        "headline": "Storm floods the harbour",
        "datePublished": "2024-05-01T10:00:00Z",
        "dateModified": "2024-05-02T10:00:00Z",
        "author": "Jane Doe",
        "keywords": "Weather",
        "articleSection": "Local",
        "image": "http://demo.test/storm.jpg",
    }
    value[field] = value[field][:4] + control + value[field][4:]
    ld = json.dumps({"@type": "NewsArticle", **value})
    paragraphs = "".join(
        f"<p>Paragraph {n} tells what happened in the harbour town on Tuesday night.</p>"
        for n in range(8)
    )
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        f"<article><h1>Storm floods the harbour</h1>{paragraphs}</article></body></html>"
    )
    record = extract_record(
        html.encode("utf-8"), BASE_URL + "/2024/05/01/storm/", content_type=None,
        fetched_at=FETCHED_AT,
    )  # fmt: skip
    assert record["dropped"] is None
    check_record(record)
