"""Sniffing: what a page opens with decides NotHtml, never the first tag being far in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl import drops
from newscrawl.items import FetchedPage
from newscrawl.page import process_page
from newscrawl.sniff import looks_like_html

URL = "https://blog.example/2024/05/01/harbour-storm/"
ARTICLE = (
    b"<html><head><title>Storm floods the harbour</title></head><body><article>"
    b"<h1>Storm floods the harbour</h1>"
    + b"".join(
        b"<p>Paragraph %d tells how the water rose along the quay and what the town did next.</p>"
        % i
        for i in range(6)
    )
    + b"</article></body></html>"
)
LONG_COMMENT = b"<!--" + b" build 1234, cache hit, rendered by template engine " * 90 + b"-->\n"
LONG_STYLE = (
    b"<style>\n"
    + b"".join(b".rule-%d { color: #333; margin: 0 auto; padding: 4px; }\n" % i for i in range(90))
    + b"</style>\n"
)


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(LONG_COMMENT, id="comment filling 4 KB"),
        pytest.param(LONG_STYLE, id="style block filling 4 KB"),
        pytest.param(b"<!-- section: news -->\n<script>var x = 1;</script>\n", id="comment+script"),
        pytest.param(b"\n\n   \t\n", id="whitespace"),
        pytest.param(b"\xef\xbb\xbf", id="UTF-8 BOM"),
        pytest.param(b"\xef\xbb\xbf  <!-- generated -->\n", id="BOM, whitespace and comment"),
    ],
)
def test_undeclared_page_with_a_prologue_is_html(prefix: bytes) -> None:
    raw = prefix + ARTICLE
    assert looks_like_html(raw, None)
    assert looks_like_html(raw, "application/octet-stream")
    assert process_page(FetchedPage(URL, raw, "blog", datetime.now(UTC), None)).headline


def test_prologue_filling_the_whole_sniffed_window_is_html() -> None:
    assert len(LONG_COMMENT) > 4096 and len(LONG_STYLE) > 4096
    assert looks_like_html(LONG_COMMENT + b"<body>", None)
    assert looks_like_html(LONG_STYLE + b"<body>", None)


def test_mangled_doctype_followed_by_head_elements_is_html() -> None:
    raw = b'<!DOCTYPEx.example/feed.xml" >\n<link rel="alternate" href="/rss">' + ARTICLE
    assert looks_like_html(raw, None)


def test_utf16_page_with_bom_is_html() -> None:
    raw = "<!DOCTYPE html><html><body><p>Hallo</p></body></html>".encode("utf-16")
    assert looks_like_html(raw, None)
    assert looks_like_html(raw, "text/html")


def test_nul_byte_in_a_declared_html_page_is_tolerated() -> None:
    raw = ARTICLE.replace(b"<body>", b"<body>\x00", 1)
    assert looks_like_html(raw, "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<html><body>", "text/html"),
        (b"%PDF-1.7\n<html>", None),
        (b"\x1f\x8b\x08\x00<html>", "text/html"),
        (b"PK\x03\x04<html>", None),
        (b"GIF89a\x00\x00<p>", "text/html"),
        (b"\x00\x01\x02\x03 binary without tags", "text/html"),
        (b"\x00<html><body><p>x</p></body></html>", None),  # over 1% NULs: binary
    ],
)
def test_binary_stays_not_html(raw: bytes, content_type: str | None) -> None:
    assert not looks_like_html(raw, content_type)
    with pytest.raises(drops.NotHtml):
        process_page(FetchedPage(URL, raw, "blog", datetime.now(UTC), content_type))


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
            "application/rss+xml",
        ),
        (b'{"headline": "not a page"}', None),
        (b"<!-- a comment -->\n" + ARTICLE, "application/json"),
        (b"plain words, no markup at all", "text/plain"),
    ],
)
def test_other_documents_are_not_html(raw: bytes, content_type: str | None) -> None:
    assert not looks_like_html(raw, content_type)


def test_feed_root_after_a_comment_is_not_taken_for_html() -> None:
    assert not looks_like_html(b"<!-- feed -->\n<feed xmlns='http://www.w3.org/2005/Atom'>", None)
