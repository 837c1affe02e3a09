"""Writing articles out: JSON records, JSON/JSONL/CSV streams and a terminal table.

Every writer consumes an iterable and writes as it goes, so output of any size needs constant
memory. CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or
a carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
import re
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
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")
ELLIPSIS = "…"
# Terminal table: fixed column widths; headline and tags share what is left.
ID_WIDTH = 6
PUBLISHED_WIDTH = 16
SITE_WIDTHS = (15, 20)  # below / from WIDE_TERMINAL columns ("127.0.0.1:58501" fits)
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
    """One CSV cell: text made safe from formula interpretation by :func:`spreadsheet_safe` and
    from terminals by :func:`terminal_safe` (CSV is often written to one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        text = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return spreadsheet_safe(terminal_safe(text))


# What a terminal would act on instead of printing: C0 controls but tab and newline, DEL, C1.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on (ESC sequences, BEL, CR,
    C1 controls) shown as a visible escape (``\\x1b``); tabs and newlines are kept. Stored text
    has none (they are cleaned when a page is stored); this guards what was stored before."""
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if it starts like a formula (``= + - @``, tab, a line
    break)."""
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
    flat = terminal_safe(" ".join(text.split()))
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


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` columns (at least one line, maybe empty): broken
    between words, a word wider than ``width`` broken inside."""
    lines: list[str] = []
    line, used = "", 0
    for word in terminal_safe(" ".join(text.split())).split(" "):
        size = display_width(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        for character in word:
            char_size = _char_width(character)
            if used + char_size > width and line:
                lines.append(line)
                line, used = "", 0
            line, used = line + character, used + char_size
    lines.append(line)
    return lines


def table_layout(width: int) -> tuple[int, int, int]:
    """(site, headline, tags) column widths for a terminal ``width`` columns wide."""
    site = SITE_WIDTHS[width >= WIDE_TERMINAL]
    fixed = ID_WIDTH + PUBLISHED_WIDTH + site + 4  # four single-space gaps
    rest = max(width - fixed, MIN_HEADLINE_WIDTH + MIN_TAGS_WIDTH)
    tags = max(MIN_TAGS_WIDTH, rest // 3)
    return site, rest - tags, tags


def table_lines(
    articles: Iterable[StoredArticle], width: int, *, wrap: bool = False
) -> Iterator[str]:
    """A header and one line per article (id, published, site, headline, tags), each at most
    ``width`` columns when ``width`` leaves room for the minimum column widths; nothing at all
    when there are no articles. Long cells are cut with ``…``; with ``wrap`` (output that is not
    a terminal) they continue on further lines instead, so no text is lost."""
    widths = (ID_WIDTH, PUBLISHED_WIDTH, *table_layout(width))
    row = _wrapped_rows if wrap else _row
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
        yield row(cells, widths)


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Cells fitted to their widths, one space apart; the id is right-aligned."""
    first, *rest = cells
    fitted = [first.rjust(widths[0])]
    fitted += [fit(cell, width) for cell, width in zip(rest, widths[1:], strict=True)]
    return " ".join(fitted).rstrip()


def _wrapped_rows(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Cells wrapped to their widths (:func:`wrap_cell`), as one or more lines."""
    columns = [wrap_cell(cell, width) for cell, width in zip(cells, widths, strict=True)]
    lines = []
    for index in range(max(len(column) for column in columns)):
        parts = [column[index] if index < len(column) else "" for column in columns]
        lines.append(_row(tuple(parts), widths))
    return "\n".join(lines)


def _short_date(article: StoredArticle) -> str:
    published = article.published_at
    if published is None:
        return "-"
    return published.strftime("%Y-%m-%d %H:%M" if article.published_has_time else "%Y-%m-%d")


def _char_width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
