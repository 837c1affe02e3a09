"""User search text -> terms -> FTS5 MATCH strings, PostgreSQL tsqueries and LIKE patterns."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from query_support import HOSTILE_SEARCHES
from sqlalchemy import Connection
from sqlalchemy import text as sql_text

from newscrawl.archive.filters import QueryError, parse_when
from newscrawl.archive.search import (
    SearchTerm,
    escape_like,
    fts_match_expression,
    like_pattern,
    parse_search,
    search_terms,
    tsquery_expression,
)
from newscrawl.storage import make_engine
from tests.profiles import examples


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Belt and Road", [SearchTerm("Belt"), SearchTerm("and"), SearchTerm("Road")]),
        ('"Belt and  Road" China', [SearchTerm("Belt and Road"), SearchTerm("China")]),
        ('Putin"s (visit', [SearchTerm("Putin"), SearchTerm("s"), SearchTerm("(visit")]),
        ("elect* *", [SearchTerm("elect", prefix=True)]),
        ("-x NEAR( AND", [SearchTerm("-x"), SearchTerm("NEAR("), SearchTerm("AND")]),
        ("a OR b or", [SearchTerm("a"), SearchTerm("b"), SearchTerm("or")]),
        ('"OR"', [SearchTerm("OR")]),
        ("* - ( ) \" ''", []),
        ("", []),
    ],
)
def test_search_terms(text, terms):
    assert list(search_terms(text)) == terms


def test_match_expression_quotes_every_term():
    terms = [SearchTerm('a"b'), SearchTerm("NEAR("), SearchTerm("elect", prefix=True)]
    assert fts_match_expression(terms) == '"a""b" AND "NEAR(" AND "elect"*'
    assert fts_match_expression([]) == ""


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("a b", [["a"], ["b"]]),
        ("a OR b", [["a", "b"]]),
        ("a b OR c d", [["a"], ["b", "c"], ["d"]]),
        ("a OR b OR c", [["a", "b", "c"]]),
        ("OR a OR", [["a"]]),
        ("a OR OR b", [["a", "b"]]),
        ("a or b", [["a"], ["or"], ["b"]]),
        ('"x OR y" z', [["x OR y"], ["z"]]),
        ("OR", []),
    ],
)
def test_or_groups_terms(text, clauses):
    parsed = parse_search(text)
    assert [[term.text for term in clause] for clause in parsed.clauses] == clauses


def test_one_query_renders_for_fts5_and_tsquery():
    parsed = parse_search('"belt and road" elect* OR it\'s back\\slash')
    assert (
        fts_match_expression(parsed)
        == '"belt and road" AND ("elect"* OR "it\'s") AND "back\\slash"'
    )
    assert tsquery_expression(parsed) == "'belt and road' & ('elect':* | 'it''s') & 'back\\\\slash'"
    assert tsquery_expression(parse_search("")) == ""


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
    expression = fts_match_expression(parse_search(text))
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
        ("china OR municipales", [1, 2]),
        ("china OR nothing harbour", []),
        ("harbour OR nothing near", [2]),
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


@pytest.fixture(scope="module")
def tsquery_connection(postgres_server, postgres_template) -> Iterator[Connection]:
    """A connection to a PostgreSQL database at head (with the ``newscrawl`` search config)."""
    name = postgres_server.create_database(postgres_template, prefix="tsquery")
    engine = make_engine(postgres_server.url(name))
    with engine.connect() as connection:
        yield connection
    engine.dispose()
    postgres_server.drop_database(name)


def _to_tsquery(connection: Connection, text: str) -> str:
    expression = tsquery_expression(parse_search(text))
    return connection.execute(
        sql_text("SELECT to_tsquery('newscrawl', :q)::text"), {"q": expression}
    ).scalar_one()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "tsquery"),
    [
        ("Élections", "'elections'"),
        ('"belt and road"', "'belt' <-> 'and' <-> 'road'"),
        ("harb*", "'harb':*"),
        ("a b OR c", "'a' & ( 'b' | 'c' )"),
        ("it's", "'it' <-> 's'"),
        ("x:y & z|!", "'x' <-> 'y' & 'z'"),
    ],
)
def test_tsquery_semantics(tsquery_connection, text, tsquery):
    assert _to_tsquery(tsquery_connection, text) == tsquery


@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None)
@given(
    st.text(max_size=60) | st.text(alphabet=st.sampled_from("ab\"'()*-:&|!<>\\ OR"), max_size=30)
)
def test_any_text_is_a_valid_tsquery(tsquery_connection, text):
    _to_tsquery(tsquery_connection, text)  # raises on a tsquery syntax error
