"""Bad input gives a named drop or an empty field, never an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newscrawl.extraction.page import close_runaway_title
from newscrawl.page import extract_record
from newscrawl.sniff import looks_like_html

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story tells what happened in the harbour town on Tuesday night.</p>"
    for i in range(8)
)


def page(
    head: str = "", body: str = PARAGRAPHS, title: str = "<h1>Storm floods the harbour</h1>"
) -> str:
    return (
        f"<html lang='en'><head>{head}</head><body><article>{title}{body}</article></body></html>"
    )


def run(raw: bytes, content_type: str | None = "text/html; charset=utf-8") -> dict:
    return extract_record(
        raw, "https://news.example/2024/05/01/storm/", content_type=content_type, fetched_at=NOW
    )


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (b'{"headline": "not a page"}', "application/json"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/html"),  # binary sent as HTML
        (b"\x00\x01\x02binary", "application/octet-stream"),
    ],
)
def test_non_html_is_a_named_drop(raw: bytes, content_type: str) -> None:
    assert run(raw, content_type)["dropped"] == "NotHtml"


def test_html_sent_as_octet_stream_is_still_html() -> None:
    assert looks_like_html(page().encode(), "application/octet-stream")
    assert run(page().encode(), "application/octet-stream")["dropped"] is None


@pytest.mark.parametrize("raw", [b"", b"   \n  ", b"<html></html>", b"<!-- nothing -->"])
def test_empty_pages_are_dropped(raw: bytes) -> None:
    assert run(raw)["dropped"] in ("EmptyPage", "NotHtml", "MissingHeadline", "MissingBody")


def test_latin1_without_a_declared_charset_is_decoded() -> None:
    raw = page(title="<h1>Grüße aus Köln: Straßenfest</h1>").encode("latin-1")
    assert run(raw, "text/html")["headline"] == "Grüße aus Köln: Straßenfest"


def test_utf8_mislabelled_as_latin1_is_decoded_as_utf8() -> None:
    raw = page(head='<meta charset="iso-8859-1">', title="<h1>Grüße aus Köln</h1>").encode("utf-8")
    assert run(raw, "text/html")["headline"] == "Grüße aus Köln"


def test_declared_shift_jis_is_decoded() -> None:
    raw = page(head='<meta charset="shift_jis">', title="<h1>東京で大雨</h1>").encode("shift_jis")
    assert run(raw, None)["headline"] == "東京で大雨"


@pytest.mark.parametrize(
    "jsonld",
    [
        '{"@type": "NewsArticle", "headline": "Broken", ',  # truncated
        "not json at all",
        json.dumps(
            {
                "@type": "NewsArticle",
                "headline": 42,
                "author": [1, {"name": ["x"]}],
                "datePublished": {"a": 1},
            }
        ),
        json.dumps(
            {"@type": ["NewsArticle"], "keywords": {"nested": True}, "articleSection": [None, 3]}
        ),
        json.dumps([[["deep"]]]),
        "[" * 5000 + "]" * 5000,
    ],
)
def test_malformed_or_mistyped_jsonld_falls_back_to_the_page(jsonld: str) -> None:
    head = f'<script type="application/ld+json">{jsonld}</script>'
    record = run(page(head=head).encode())
    assert record["dropped"] is None
    assert record["headline"] == "Storm floods the harbour"


def test_jsonld_with_trailing_comma_is_repaired() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "From JSON-LD",}</script>'
    assert run(page(head=head).encode())["headline"] == "From JSON-LD"


def test_missing_headline_and_missing_body_are_named_drops() -> None:
    assert run(page(title="").encode())["dropped"] == "MissingHeadline"
    assert run(page(body="<p>Too short.</p>").encode())["dropped"] == "MissingBody"


@pytest.mark.parametrize(
    "head",
    [
        "<title>Storm floods the harbour - Daily Example\n<meta name='robots' content='all'>",
        "<title>Storm floods the harbour - Daily Example</titlevalue='1' -->\n<link rel='x'>",
    ],
)
def test_an_unclosed_title_does_not_swallow_the_page(head: str) -> None:
    record = run(page(head=head).encode())
    assert record["dropped"] is None
    assert record["headline"] == "Storm floods the harbour"
    assert "Paragraph 7 of the story" in record["body"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>A\n  title on two lines</title></head><body><p>x</p></body></html>",
        "<html><head><title>Why <b> tags matter</title></head><body><p>x</p></body></html>",
        "<html><head></head><body><p>No title at all</p></body></html>",
    ],
)
def test_a_closed_title_is_left_alone(html: str) -> None:
    assert close_runaway_title(html) == html


def test_a_self_closed_html_tag_does_not_end_the_document() -> None:
    record = run(page().replace("<html lang='en'>", "<html lang='en' />").encode())
    assert record["dropped"] is None
    assert record["headline"] == "Storm floods the harbour"
    assert "Paragraph 7 of the story" in record["body"]
