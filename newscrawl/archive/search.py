"""Full-text search: user text -> a :class:`SearchQuery` -> an FTS5 MATCH string (SQLite), a
``tsquery`` string (PostgreSQL) or portable LIKE conditions. One parser, the same rules on both.

Syntax: words and ``"quoted phrases"``; a trailing ``*`` makes a word a prefix (``elect*``);
``OR`` (upper case) between two terms matches either; every other term must match (AND; ``OR``
binds tighter, so ``a b OR c d`` means a AND (b OR c) AND d). User text is never handed to the
database as query syntax: every term is rendered as a quoted string, so quotes, parentheses,
``-``, ``:``, ``^``, ``&``, ``|``, ``!``, ``NEAR``, ``AND``, ``NOT`` and lower-case ``or`` are
plain text and can never cause a syntax error. A dangling ``OR`` (first, last, or doubled) is
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, literal, or_

# Control characters (NUL ends an FTS5 string early) become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A double-quoted phrase, or a run of characters that are neither whitespace nor quotes.
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
OR_OPERATOR = "OR"
LIKE_ESCAPE = "\\"
_LIKE_SPECIAL = re.compile(r"([\\%_])")
# bm25() weights of the FTS5 columns (headline, summary, body): a word in the headline counts most.
BM25_WEIGHTS: tuple[float, float, float] = (10.0, 4.0, 1.0)
# PostgreSQL: the tsvector labels of headline, summary and body, and ts_rank's weights array
# {D, C, B, A} carrying the same ratios as BM25_WEIGHTS (D is unused).
TSVECTOR_LABELS: tuple[str, str, str] = ("A", "B", "C")
TS_RANK_WEIGHTS: tuple[float, float, float, float] = (
    0.0,
    BM25_WEIGHTS[2] / BM25_WEIGHTS[0],
    BM25_WEIGHTS[1] / BM25_WEIGHTS[0],
    1.0,
)
# Scores of the LIKE fallback for a term found in headline, summary, body.
LIKE_SCORES: tuple[int, int, int] = (3, 2, 1)


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One search term: a word or phrase (``text``), optionally matching as a word prefix."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Parsed search text: every clause must match; a clause matches when any of its terms does."""

    clauses: tuple[tuple[SearchTerm, ...], ...] = ()

    @property
    def terms(self) -> tuple[SearchTerm, ...]:
        """Every term, in order."""
        return tuple(term for clause in self.clauses for term in clause)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def parse_search(text: str) -> SearchQuery:
    """Parse user search text (see the module docstring for the syntax). Never raises.

    Control characters and unpaired quotes separate words; terms without any letter or digit
    (``*``, ``-``, ``(``) are dropped, since nothing can match them.
    """
    clauses: list[list[SearchTerm]] = []
    pending_or = False
    for match in _TERM.finditer(_CONTROL.sub(" ", text)):
        phrase, word = match.groups()
        if word == OR_OPERATOR:
            pending_or = bool(clauses)
            continue
        if phrase is not None:
            term = SearchTerm(" ".join(phrase.split()))
        else:
            stripped = word.rstrip("*")
            term = SearchTerm(stripped, prefix=stripped != word)
        if not any(character.isalnum() for character in term.text):
            continue
        if pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
    return SearchQuery(tuple(tuple(clause) for clause in clauses))


def search_terms(text: str) -> tuple[SearchTerm, ...]:
    """Every term of ``text`` (see :func:`parse_search`), operators left out."""
    return parse_search(text).terms


def _as_query(query: SearchQuery | Sequence[SearchTerm]) -> SearchQuery:
    """A plain sequence of terms means all of them must match."""
    if isinstance(query, SearchQuery):
        return query
    return SearchQuery(tuple((term,) for term in query))


def fts_match_expression(query: SearchQuery | Sequence[SearchTerm]) -> str:
    """The FTS5 MATCH string of ``query``: each term a quoted FTS5 string, OR groups in brackets,
    clauses joined by an explicit ``AND`` (FTS5 allows no implicit AND after a bracket).

    ``"`` inside a term is doubled (FTS5's escape); a prefix term gets FTS5's ``*`` suffix.
    Returns ``""`` for no terms (callers must not run a MATCH then).
    """
    rendered = []
    for clause in _as_query(query).clauses:
        alternatives = []
        for term in clause:
            quoted = '"' + term.text.replace('"', '""') + '"'
            alternatives.append(quoted + "*" if term.prefix else quoted)
        rendered.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
        )
    return " AND ".join(rendered)


def tsquery_expression(query: SearchQuery | Sequence[SearchTerm]) -> str:
    """The PostgreSQL ``to_tsquery`` text of ``query``: each term a quoted lexeme string (a phrase
    becomes ``<->``), ``:*`` for a prefix, ``|`` inside OR groups, ``&`` between clauses.

    ``'`` is doubled and ``\\`` escaped inside the quotes. Returns ``""`` for no terms.
    """
    rendered = []
    for clause in _as_query(query).clauses:
        alternatives = []
        for term in clause:
            quoted = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "'"
            alternatives.append(quoted + ":*" if term.prefix else quoted)
        rendered.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"
        )
    return " & ".join(rendered)


def escape_like(text: str) -> str:
    """``text`` with the LIKE wildcards ``%`` and ``_`` (and the escape ``\\``) escaped, for use
    with ``ESCAPE`` :data:`LIKE_ESCAPE`."""
    return _LIKE_SPECIAL.sub(r"\\\1", text)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (see :func:`escape_like`)."""
    return "%" + escape_like(text) + "%"


def like_match(
    query: SearchQuery | Sequence[SearchTerm], columns: Sequence[Any]
) -> ColumnElement[bool]:
    """Portable full-text fallback: every clause has a term occurring (case-insensitively) in one
    of ``columns``. No terms match nothing."""
    parsed = _as_query(query)
    if not parsed:
        return false()
    return and_(
        *(
            or_(
                *(
                    column.ilike(like_pattern(term.text), escape=LIKE_ESCAPE)
                    for term in clause
                    for column in columns
                )
            )
            for clause in parsed.clauses
        )
    )


def like_score(
    query: SearchQuery | Sequence[SearchTerm], columns: Sequence[Any]
) -> ColumnElement[Any]:
    """A simple relevance score for the LIKE fallback: per term, :data:`LIKE_SCORES` points for
    each of headline, summary, body (in ``columns`` order) that contains it. Higher is better."""
    parts: list[ColumnElement[Any]] = [
        case((column.ilike(like_pattern(term.text), escape=LIKE_ESCAPE), points), else_=0)
        for term in _as_query(query).terms
        for column, points in zip(columns, LIKE_SCORES, strict=True)
    ]
    if not parts:
        return literal(0)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total
