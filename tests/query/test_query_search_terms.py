"""User search text -> terms -> FTS5 MATCH strings and LIKE patterns."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from query_support import HOSTILE_SEARCHES

from newscrawl.archive.filters import QueryError, parse_when
from newscrawl.archive.search import (
    SearchTerm,
    escape_like,
    fts_match_expression,
    like_pattern,
    search_terms,
)
from tests.profiles import examples


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Belt and Road", [SearchTerm("Belt"), SearchTerm("and"), SearchTerm("Road")]),
        ('"Belt and  Road" China', [SearchTerm("Belt and Road"), SearchTerm("China")]),
        ('Putin"s (visit', [SearchTerm("Putin"), SearchTerm("s"), SearchTerm("(visit")]),
        ("elect* *", [SearchTerm("elect", prefix=True)]),
        ("-x NEAR( AND", [SearchTerm("-x"), SearchTerm("NEAR("), SearchTerm("AND")]),
        ("* - ( ) \" ''", []),
        ("", []),
    ],
)
def test_search_terms(text, terms):
    assert list(search_terms(text)) == terms


def test_match_expression_quotes_every_term():
    terms = [SearchTerm('a"b'), SearchTerm("NEAR("), SearchTerm("elect", prefix=True)]
    assert fts_match_expression(terms) == '"a""b" "NEAR(" "elect"*'
    assert fts_match_expression([]) == ""


def test_like_patterns_escape_wildcards():
    assert escape_like("100%_\\x") == "100\\%\\_\\\\x"
    assert like_pattern("a_b") == "%a\\_b%"


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """An in-memory FTS5 table with the migration's tokenizer and two documents."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(headline, body, "
        'tokenize="unicode61 remove_diacritics 2")'
    )
    connection.executemany(
        "INSERT INTO docs(rowid, headline, body) VALUES (?, ?, ?)",
        [
            (1, "Putin’s visit to China", "The Belt and Road initiative."),
            (2, "Élections municipales", "Near the harbour, NOT far away."),
        ],
    )
    yield connection
    connection.close()


def _match(connection: sqlite3.Connection, text: str) -> list[int]:
    expression = fts_match_expression(search_terms(text))
    if not expression:
        return []
    rows = connection.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid", (expression,)
    )
    return [row[0] for row in rows]


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_hostile_text_is_a_valid_match_expression(fts, text):
    _match(fts, text)  # raises sqlite3.OperationalError on an FTS5 syntax error


@pytest.mark.parametrize(
    ("text", "rowids"),
    [
        ("belt road", [1]),
        ('"belt and road"', [1]),
        ('"road and belt"', []),
        ("putin", [1]),
        ("elections", [2]),  # diacritics folded
        ("NEAR NOT", [2]),  # operators are plain words
        ("harb*", [2]),
        ("vis* china", [1]),
    ],
)
def test_match_semantics(fts, text, rowids):
    assert _match(fts, text) == rowids


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_valid_match_expression(fts, text):
    _match(fts, text)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet=st.sampled_from('ab"()*-:^+ NEARORTD{}'), max_size=30))
def test_any_syntax_soup_is_a_valid_match_expression(fts, text):
    _match(fts, text)


@pytest.mark.parametrize(
    ("text", "end_of_day", "expected"),
    [
        ("2024-11-05", False, "2024-11-05T00:00:00+00:00"),
        ("2024-11-05", True, "2024-11-05T23:59:59.999999+00:00"),
        ("2024-11-05T14:30", False, "2024-11-05T14:30:00+00:00"),
        ("2024-11-05 14:30:00+01:00", False, "2024-11-05T13:30:00+00:00"),
        ("2024-11-05T14:30:00Z", True, "2024-11-05T14:30:00+00:00"),
    ],
)
def test_parse_when(text, end_of_day, expected):
    assert parse_when(text, end_of_day=end_of_day).isoformat() == expected


@pytest.mark.parametrize("text", ["notadate", "2024-13-01", "05/11/2024", "", "2024-11-05T25:00"])
def test_parse_when_rejects_non_iso_text(text):
    with pytest.raises(QueryError, match="invalid date"):
        parse_when(text)
