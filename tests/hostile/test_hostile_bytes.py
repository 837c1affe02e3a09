"""Issue 14, findings 2, 7 and 9: control characters, almost-UTF-8 pages, NUL bytes, prologues
and UTF-16 pages, through the page function (no crawl)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.archive.formats import csv_cell, fit, terminal_safe
from newscrawl.discovery.links import extract_links, parse_html_document
from newscrawl.extraction.page import decode_html
from newscrawl.items import Article, FetchedPage, without_control_chars
from newscrawl.page import process_page
from newscrawl.sniff import looks_like_html, repaired_utf8, utf16_encoding

FETCHED_AT = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
HEADLINE = "Größere Straßen für die Altstadt geplant"
BODY = " ".join(
    f"Der Stadtrat hat am Donnerstag über größere Straßen beraten, Absatz {n}." for n in range(25)
)


def _html(charset: str | None = "utf-8", prologue: str = "", extra_head: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""{prologue}<!DOCTYPE html><html lang="de"><head>{meta}{extra_head}
<title>{HEADLINE}</title><meta property="og:type" content="article"></head>
<body><article><h1>{HEADLINE}</h1><p>{BODY}</p>
<p><a href="/2024/05/03/weitere-meldung-aus-der-stadt/">Weiter</a></p></article></body></html>"""


def _page(raw: bytes, content_type: str | None, **kw: object) -> FetchedPage:
    return FetchedPage(
        url="http://stadt.example/2024/05/03/strassen/",
        body=raw,
        site="stadt",
        fetched_at=FETCHED_AT,
        content_type=content_type,
        **kw,  # type: ignore[arg-type]
    )


# --- finding 7: almost UTF-8 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("text/html; charset=utf-8", "utf-8"),
        ("text/html; charset=utf-8", None),
        ("text/html", "utf-8"),
    ],
)
def test_one_stray_byte_keeps_a_declared_utf8_page_utf8(
    content_type: str, charset: str | None
) -> None:
    raw = _html(charset).encode("utf-8").replace(b"Absatz 3.", b"Absatz 3.\xff", 1)
    assert repaired_utf8(raw, content_type) is not None
    article = process_page(_page(raw, content_type))
    assert article.headline == HEADLINE
    assert "größere Straßen" in article.body
    assert "\ufffd" in article.body


def test_a_mislabelled_single_byte_page_is_not_taken_for_utf8() -> None:
    raw = _html(None).encode("cp1250")  # every umlaut an invalid UTF-8 byte
    assert repaired_utf8(raw, "text/html; charset=utf-8") is None
    assert HEADLINE in decode_html(raw, "text/html; charset=utf-8")


def test_valid_or_undeclared_utf8_needs_no_repair() -> None:
    assert repaired_utf8(_html().encode(), "text/html; charset=utf-8") is None
    raw = _html(None).encode().replace(b"Absatz 3.", b"Absatz 3.\xff", 1)
    assert repaired_utf8(raw, "text/html") is None


# --- finding 9: NUL bytes, prologues, UTF-16 ---------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", None, "text/plain"])
@pytest.mark.parametrize(
    "prologue",
    [
        "<!-- build \x00 marker -->",
        "<!--" + "x" * 5000 + "-->",
        "<!-- \x00 -->" + "<!-- " + "comment " * 600 + "-->",
        "<style>" + "p { color: red }\n" * 400 + "</style>",
        "<style>\x00" + "p { color: red }\n" * 400 + "</style>",
    ],
)
def test_nul_bytes_and_long_prologues_are_still_html(
    content_type: str | None, prologue: str
) -> None:
    raw = _html(prologue=prologue).encode()
    assert looks_like_html(raw, content_type)
    article = process_page(_page(raw, content_type))
    assert article.headline == HEADLINE


def test_binary_is_still_not_html() -> None:
    assert not looks_like_html(bytes(range(256)) * 16, "text/html")
    assert not looks_like_html(b"\x00\x01\x02\x03" * 1000, None)
    assert not looks_like_html(b"\x00" * 64 + b"<html>", None)


@pytest.mark.parametrize(
    ("encoding", "content_type", "expected"),
    [
        ("utf-16", "text/html", "utf-16-le"),  # with a BOM
        ("utf-16-le", "text/html; charset=utf-16le", "utf-16-le"),
        ("utf-16-be", "text/html; charset=utf-16be", "utf-16-be"),
        ("utf-16-le", "text/html", "utf-16-le"),  # no BOM, no label: the NUL pattern
        ("utf-16-be", None, "utf-16-be"),
    ],
)
def test_utf16_pages_are_html_and_their_links_are_read(
    encoding: str, content_type: str | None, expected: str
) -> None:
    raw = _html(charset=None).encode(encoding)
    assert utf16_encoding(raw[:4096], content_type) == expected
    assert looks_like_html(raw, content_type)
    tree = parse_html_document(decode_html(raw, content_type))
    assert tree is not None
    links = extract_links(tree, "http://stadt.example/")
    assert "http://stadt.example/2024/05/03/weitere-meldung-aus-der-stadt/" in links
    assert process_page(_page(raw, content_type)).headline == HEADLINE


# --- finding 2: control characters ---------------------------------------------------------------


def test_control_characters_are_cleaned_from_every_stored_string() -> None:
    raw = _html(extra_head=f'<meta name="author" content="Jane{ESCAPES} Roe">').encode()
    page = _page(raw, "text/html", etag=f'"v1{ESCAPES}"', last_modified=f"Fri{ESCAPES}")
    article = process_page(page)
    for name in Article.__slots__:
        value = getattr(article, name)
        texts = (
            [value]
            if isinstance(value, str)
            else [*value]
            if isinstance(value, tuple)
            else [*value, *value.values()]
            if isinstance(value, dict)
            else []
        )
        for text in texts:
            if isinstance(text, str):
                assert text == without_control_chars(text), (name, text)
                assert "\x1b" not in text and "\x07" not in text, name
    assert article.etag == '"v1]0;pwned[2J"'
    assert article.last_modified == "Fri]0;pwned[2J"


def test_without_control_chars_keeps_text_tabs_and_newlines() -> None:
    assert (
        without_control_chars("a\tb\r\nc\rd\x00e\x9bf\x7fg Größe 東京")
        == "a\tb\nc\nde" + "fg Größe 東京"
    )


def test_human_readable_output_escapes_what_remains() -> None:
    assert terminal_safe(f"a{ESCAPES}b\tc\n") == "a\\x1b]0;pwned\\x07\\x1b[2Jb\tc\n"
    assert "\x1b" not in fit(f"headline {ESCAPES}", 40)
    assert csv_cell(f"={ESCAPES}") == "'=\\x1b]0;pwned\\x07\\x1b[2J"
    assert csv_cell([f"tag{ESCAPES}"]) == "tag\\x1b]0;pwned\\x07\\x1b[2J"
