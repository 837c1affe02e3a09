"""Output formats: JSON records, JSON/JSONL/CSV writers (formula-safe) and the terminal table."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from query_support import display_width

from newscrawl.archive.formats import (
    CSV_COLUMNS,
    article_record,
    fit,
    spreadsheet_safe,
    table_lines,
    write_csv,
    write_json,
    write_jsonl,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_like_text_gets_an_apostrophe(start):
    assert spreadsheet_safe(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"


@pytest.mark.parametrize("text", ["Budget", "", " =not first", "'quoted", "1+1", "a-b"])
def test_other_text_is_unchanged(text):
    assert spreadsheet_safe(text) == text


def _unescaped(cell: str) -> str:
    """The text before :func:`spreadsheet_safe` (which only prefixes formula-like text)."""
    return cell[1:] if cell[:1] == "'" and cell[1:].startswith(FORMULA_STARTS) else cell


def test_csv_round_trip_is_formula_safe_and_lossless(archive):
    articles = list(archive.articles())
    out = io.StringIO(newline="")
    assert write_csv(articles, out) == len(articles)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == len(articles)
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, article in zip(rows, articles, strict=True):
        assert int(row["id"]) == article.id
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS), (column, value)
            if value.startswith("'"):  # what was prefixed is the original text
                assert value[1:].startswith(FORMULA_STARTS)
        assert _unescaped(row["headline"]) == article.headline
        assert _unescaped(row["body"]) == article.body  # quotes, tabs, CR, newlines survive
        assert _unescaped(row["tags"]) == "; ".join(article.tags)
        assert json.loads(row["field_sources"]) == article.field_sources
        assert row["published_has_time"] == ("true" if article.published_has_time else "false")


def test_formula_article_cells_are_prefixed(archive, sample):
    formula = archive.get(sample.ids["formula"])
    out = io.StringIO(newline="")
    write_csv([formula], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["headline"] == "'" + formula.headline
    assert row["summary"] == "'+1 555 0100"
    assert row["tags"] == "'@risk; -minus"
    assert row["section"] == ""  # None is an empty cell


def test_json_and_jsonl_hold_the_same_records(archive):
    articles = list(archive.articles())
    array, lines = io.StringIO(), io.StringIO()
    assert write_json(articles, array) == len(articles)
    assert write_jsonl(articles, lines) == len(articles)
    from_array = json.loads(array.getvalue())
    from_lines = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert from_array == from_lines == [article_record(article) for article in articles]
    assert from_array[0]["published_at"] == articles[0].published_at.isoformat()
    assert isinstance(from_array[0]["tags"], list)


def test_empty_outputs():
    array, lines, table = io.StringIO(), io.StringIO(), list(table_lines([], 80))
    write_json([], array)
    write_jsonl([], lines)
    assert json.loads(array.getvalue()) == []
    assert lines.getvalue() == ""
    assert table == []


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160, 250])
def test_table_lines_fit_the_terminal(archive, width):
    articles = list(archive.articles())
    wide = replace(articles[0], headline="東京で大規模な選挙集会が開かれた " * 6)
    lines = list(table_lines([*articles, wide], width))
    assert lines[0].split() == ["id", "published", "site", "headline", "tags"]
    assert len(lines) == len(articles) + 2
    for line in lines:
        assert display_width(line) <= width, line
    assert "…" in lines[-1]  # the long headline was cut


def test_table_shows_day_only_dates_and_undated_articles(archive, sample):
    lines = list(table_lines([archive.get(sample.ids["elections"])], 120))
    assert " 2025-02-28 " in lines[1]
    assert "00:00" not in lines[1]
    lines = list(table_lines([archive.get(sample.ids["formula"])], 120))
    assert lines[1].split()[1] == "-"


@given(st.text(max_size=80), st.integers(min_value=1, max_value=60))
def test_fit_always_takes_exactly_the_width(text, width):
    fitted = fit(text, width)
    assert display_width(fitted) == width
    assert "\n" not in fitted
