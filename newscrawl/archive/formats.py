"""Writing articles out: JSON records, JSON/JSONL/CSV streams and a terminal table.

Every writer consumes an iterable and writes as it goes, so output of any size needs constant
memory. CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or
a carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any, TextIO

from newscrawl.storage.records import StoredArticle

RECORD_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(StoredArticle))
# The column order of CSV exports: what people read first, then provenance and bookkeeping.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "site",
    "published_at",
    "headline",
    "summary",
    "section",
    "tags",
    "authors",
    "language",
    "canonical_url",
    "url",
    "image_url",
    "body",
    "published_raw",
    "published_source",
    "published_has_time",
    "modified_at",
    "modified_raw",
    "modified_source",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
    "fetched_at",
    "content_hash",
    "field_sources",
    "etag",
    "last_modified",
    "urls",
)
LIST_SEPARATOR = "; "  # joins tags, authors and URLs inside one CSV cell
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
ELLIPSIS = "…"
# Terminal table: fixed column widths; headline and tags share what is left.
ID_WIDTH = 6
PUBLISHED_WIDTH = 16
SITE_WIDTHS = (12, 18)  # below / from WIDE_TERMINAL columns
WIDE_TERMINAL = 120
MIN_HEADLINE_WIDTH = 12
MIN_TAGS_WIDTH = 6


def article_record(article: StoredArticle) -> dict[str, Any]:
    """A JSON-ready dict of every field: datetimes as ISO 8601 (UTC), name tuples as lists."""
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(article, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        record[name] = value
    return record


def write_jsonl(articles: Iterable[StoredArticle], out: TextIO) -> int:
    """One JSON object per line (UTF-8 text, not ASCII-escaped); returns the number written."""
    written = 0
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        written += 1
    return written


def write_json(articles: Iterable[StoredArticle], out: TextIO) -> int:
    """A JSON array, written element by element; returns the number of articles."""
    written = 0
    out.write("[")
    for article in articles:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(article_record(article), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written


def write_csv(articles: Iterable[StoredArticle], out: TextIO) -> int:
    """CSV with a header row (:data:`CSV_COLUMNS`), formula-safe cells; returns the row count.

    ``out`` should be opened with ``newline=""``. Lists are joined with ``"; "``, the field
    sources are a JSON object, booleans ``true``/``false``, missing values empty.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for article in articles:
        record = article_record(article)
        writer.writerow([csv_cell(record[column]) for column in CSV_COLUMNS])
        written += 1
    return written


def csv_cell(value: Any) -> str | int:
    """One CSV cell: text made safe from formula interpretation by :func:`spreadsheet_safe`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return spreadsheet_safe(LIST_SEPARATOR.join(str(item) for item in value))
    if isinstance(value, dict):
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return spreadsheet_safe(str(value))


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if it starts like a formula (``= + - @``, tab, CR)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def counting(
    articles: Iterable[StoredArticle], report: Callable[[int, bool], None], every: int = 1000
) -> Iterator[StoredArticle]:
    """Pass ``articles`` through, calling ``report(count, False)`` every ``every`` items and
    ``report(count, True)`` once they are exhausted."""
    count = 0
    for article in articles:
        yield article
        count += 1
        if count % every == 0:
            report(count, False)
    report(count, True)


# --- terminal table ------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count 2, combining marks 0."""
    return sum(_char_width(character) for character in text)


def fit(text: str, width: int) -> str:
    """``text`` on one line, cut with ``…`` to at most ``width`` columns and padded to ``width``."""
    flat = " ".join(text.split())
    if display_width(flat) > width:
        kept: list[str] = []
        used = 0
        for character in flat:
            size = _char_width(character)
            if used + size > width - 1:
                break
            kept.append(character)
            used += size
        flat = "".join(kept) + ELLIPSIS
    return flat + " " * max(0, width - display_width(flat))


def table_layout(width: int) -> tuple[int, int, int]:
    """(site, headline, tags) column widths for a terminal ``width`` columns wide."""
    site = SITE_WIDTHS[width >= WIDE_TERMINAL]
    fixed = ID_WIDTH + PUBLISHED_WIDTH + site + 4  # four single-space gaps
    rest = max(width - fixed, MIN_HEADLINE_WIDTH + MIN_TAGS_WIDTH)
    tags = max(MIN_TAGS_WIDTH, rest // 3)
    return site, rest - tags, tags


def table_lines(articles: Iterable[StoredArticle], width: int) -> Iterator[str]:
    """A header and one line per article (id, published, site, headline, tags), each at most
    ``width`` columns when ``width`` leaves room for the minimum column widths; nothing at all
    when there are no articles."""
    widths = (ID_WIDTH, PUBLISHED_WIDTH, *table_layout(width))
    header_done = False
    for article in articles:
        if not header_done:
            yield _row(("id", "published", "site", "headline", "tags"), widths)
            header_done = True
        cells = (
            str(article.id),
            _short_date(article),
            article.site,
            article.headline,
            ", ".join(article.tags),
        )
        yield _row(cells, widths)


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Cells fitted to their widths, one space apart; the id is right-aligned."""
    first, *rest = cells
    fitted = [first.rjust(widths[0])]
    fitted += [fit(cell, width) for cell, width in zip(rest, widths[1:], strict=True)]
    return " ".join(fitted).rstrip()


def _short_date(article: StoredArticle) -> str:
    published = article.published_at
    if published is None:
        return "-"
    return published.strftime("%Y-%m-%d %H:%M" if article.published_has_time else "%Y-%m-%d")


def _char_width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
