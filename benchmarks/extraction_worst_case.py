#!/usr/bin/env python3
"""Worst-case pages through the whole per-page path, timed: the per-page bound, measured.

    python -m benchmarks.extraction_worst_case [--bound SECONDS] [--only NAME ...] [--json]

Each case is a hostile page built in memory (deep nesting, tens of megabytes of text, 10,000
links, megabyte JSON-LD, huge attributes, thousands of inline elements in one paragraph, tag
soup that makes naive tokenizers backtrack, ...). Every page goes through
``newscrawl.page.extract_record`` (decoding, parsing, extraction, normalization, validation) as the
``extract`` command runs it; the table shows its size, the page limits it hit
(``newscrawl.extraction.page.PageLimits``), the outcome and the time. A warm-up page is processed
first, so one-off start-up costs (imports, the language model) are not counted.

The exit status is 1 when a page took longer than ``--bound`` seconds (default 10, on the
project's 2-core machine), when one raised, or when one ended as ``ExtractionFailed``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from newscrawl.extraction.page import decode_html, parse_limited
from newscrawl.page import extract_record

DEFAULT_BOUND_S = 10.0
URL = "https://news.example/2024/05/01/storm-floods-the-harbour/"
FETCHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells what happened in the harbour town on Tuesday night.</p>"
    for n in range(8)
)


def page(body: str = "", head: str = "", before: str = "", after: str = "") -> str:
    """An article page with ``body`` inside the article, ``before``/``after`` around it."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Storm floods the harbour</title>{head}"
        f"</head><body>{before}<article><h1>Storm floods the harbour</h1>{PARAGRAPHS}{body}"
        f"</article>{after}</body></html>"
    )


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _nested_jsonld(depth: int) -> str:
    return '<script type="application/ld+json">' + "[" * depth + "]" * depth + "</script>"


CASES: dict[str, Callable[[], str]] = {
    "100k nested divs before the article": lambda: page(
        before="<div>" * 100_000 + "x" + "</div>" * 100_000
    ),
    "100k unclosed nested divs after": lambda: page(after="<div>" * 100_000),
    "100k nested spans in a paragraph": lambda: page("<p>" + "<span>" * 100_000 + "x</p>"),
    "50 MB of text in one paragraph": lambda: page("<p>" + "word " * 10_000_000 + "</p>"),
    "50 MB of text in 5,000 paragraphs": lambda: page(
        "".join("<p>" + "word " * 2_000 + "</p>" for _ in range(5_000))
    ),
    "8 MB of CJK text": lambda: page(
        "".join("<p>" + "東京で大雨" * 400 + "</p>" for _ in range(4_000))
    ),
    "8 MB word without spaces": lambda: page("<p>" + "x" * 8_000_000 + "</p>"),
    "10,000 links in a list": lambda: page(
        after="<ul>"
        + "".join(
            f"<li><a href='/2024/05/{n}/story-{n}/'>Story {n}</a></li>" for n in range(10_000)
        )
        + "</ul>"
    ),
    "10,000 links in one paragraph": lambda: page(
        "<p>" + "".join(f"<a href='/tag/{n}'>tag {n}</a> " for n in range(10_000)) + "</p>"
    ),
    "5,000 bold words in one paragraph": lambda: page(
        "<p>" + "".join(f"<b>w{n}</b> " for n in range(5_000)) + "</p>"
    ),
    "80 paragraphs of 249 inline elements": lambda: page(
        "".join("<p>" + "".join(f"<b>w{n}</b> " for n in range(249)) + "</p>" for _ in range(80))
    ),
    "20,000 paragraphs": lambda: page(
        "".join(f"<p>para {n} some words here</p>" for n in range(20_000))
    ),
    "200,000 paragraphs": lambda: page(
        "".join(f"<p>para {n} some words here</p>" for n in range(200_000))
    ),
    "20,000 line breaks": lambda: page("<div>" + "line of text<br>" * 20_000 + "</div>"),
    "20,000 meta tags": lambda: page(
        head="".join(f"<meta property='article:tag' content='tag {n}'>" for n in range(20_000))
    ),
    "1 MB JSON-LD articleBody": lambda: page(
        head=jsonld({"@type": "NewsArticle", "headline": "x", "articleBody": "word " * 200_000})
    ),
    "1.9 MB JSON-LD of 100,000 keywords": lambda: page(
        head=jsonld({"@type": "NewsArticle", "keywords": [f"k{n}" for n in range(100_000)]})
    ),
    "500 JSON-LD blocks": lambda: page(
        head="".join(jsonld({"@type": "NewsArticle", "headline": f"h{n}"}) for n in range(500))
    ),
    "JSON-LD nested 100,000 deep": lambda: page(head=_nested_jsonld(100_000)),
    "5 MB class attribute": lambda: page("<div class='" + "c " * 2_500_000 + "'>x</div>"),
    "5 MB id attribute": lambda: page("<div id='" + "c" * 5_000_000 + "'>x</div>"),
    "7,000 elements with 1,000-char classes": lambda: page(
        "".join(f"<div class='{'c' * 999}'>x</div>" for _ in range(7_000))
    ),
    "30 data attributes of 250 KB": lambda: page(
        "".join(f"<div data-x='{'c' * 250_000}'>x</div>" for _ in range(30))
    ),
    "tag soup '<a<a<a' after deep nesting": lambda: page(before="<div>" * 300 + "<a" * 1_000_000),
    "1M unclosed comments and tags": lambda: page(before="<!--<x " * 1_000_000),
    "control characters everywhere": lambda: page(
        "<p>" + "a\x00b\x01c\x1fd\x0b " * 200_000 + "</p>",
        before="<div>" + "filler " * 1_000 + "</div>",  # no NUL in the sniffed first 4 KB
    ),
}


def run_case(html: str) -> tuple[str, tuple[str, ...], float]:
    """(outcome, limits hit, seconds) of one page through ``newscrawl.page.extract_record``."""
    raw = html.encode("utf-8")
    _tree, limited = parse_limited(decode_html(raw, "text/html; charset=utf-8"))
    started = time.perf_counter()
    record = extract_record(
        raw, URL, content_type="text/html; charset=utf-8", fetched_at=FETCHED_AT
    )
    elapsed = time.perf_counter() - started
    outcome = record["dropped"] or f"kept ({len(record.get('body') or '')} body chars)"
    return outcome, limited, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bound", type=float, default=DEFAULT_BOUND_S, help="seconds per page")
    parser.add_argument("--only", nargs="*", help="run only the cases whose name contains these")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = parser.parse_args(argv)
    extract_record(page().encode(), URL, content_type="text/html", fetched_at=FETCHED_AT)  # warm-up
    failures = 0
    if not args.json:
        print(f"{'case':42} {'MB':>6} {'limits hit':28} {'seconds':>8}  outcome")
    for name, build in CASES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        html = build()
        try:
            outcome, limited, elapsed = run_case(html)
        except Exception as exc:  # noqa: BLE001 -- reported and counted, the other cases still run
            outcome, limited, elapsed = f"RAISED {type(exc).__name__}: {exc}", (), float("nan")
            failures += 1
        else:
            failures += elapsed > args.bound or outcome == "ExtractionFailed"
        size_mb = len(html.encode("utf-8")) / 1_000_000
        if args.json:
            row = {"case": name, "mb": round(size_mb, 2), "limits": list(limited)}
            print(json.dumps({**row, "seconds": round(elapsed, 3), "outcome": outcome}))
        else:
            limits = ",".join(limited) or "-"
            print(f"{name:42} {size_mb:6.1f} {limits:28} {elapsed:8.2f}  {outcome}", flush=True)
    if not args.json:
        print(f"\nbound: {args.bound:.1f} s per page; {failures} case(s) over it or failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
