"""Full-text search: user text -> search terms -> an FTS5 MATCH string or portable LIKE conditions.

User text is never handed to FTS5 as query syntax. It is split into terms (double-quoted phrases
and whitespace-separated words, a trailing ``*`` asking for a prefix match) and every term is
rendered as an FTS5 string, so quotes, parentheses, ``-``, ``:``, ``^``, ``NEAR`` and
``AND``/``OR``/``NOT`` are plain text and can never cause a syntax error. All terms must match.
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
LIKE_ESCAPE = "\\"
_LIKE_SPECIAL = re.compile(r"([\\%_])")
# bm25() weights of the FTS5 columns (headline, summary, body): a word in the headline counts most.
BM25_WEIGHTS: tuple[float, float, float] = (10.0, 4.0, 1.0)
# Scores of the LIKE fallback for a term found in headline, summary, body.
LIKE_SCORES: tuple[int, int, int] = (3, 2, 1)


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One search term: a word or phrase (``text``), optionally matching as a word prefix."""

    text: str
    prefix: bool = False


def search_terms(text: str) -> tuple[SearchTerm, ...]:
    """Split user text into terms: ``"quoted phrases"`` and whitespace-separated words.

    A trailing ``*`` on a word makes it a prefix term. Control characters and unpaired quotes
    separate words; terms
    without any letter or digit (``*``, ``-``, ``(``) are dropped, since nothing can match them.
    """
    terms: list[SearchTerm] = []
    for match in _TERM.finditer(_CONTROL.sub(" ", text)):
        phrase, word = match.groups()
        if phrase is not None:
            term = SearchTerm(" ".join(phrase.split()))
        else:
            stripped = word.rstrip("*")
            term = SearchTerm(stripped, prefix=stripped != word)
        if any(character.isalnum() for character in term.text):
            terms.append(term)
    return tuple(terms)


def fts_match_expression(terms: Sequence[SearchTerm]) -> str:
    """The FTS5 MATCH string requiring every term: each one a quoted FTS5 string.

    ``"`` inside a term is doubled (FTS5's escape); a prefix term gets FTS5's ``*`` suffix.
    Returns ``""`` for no terms (callers must not run a MATCH then).
    """
    rendered = []
    for term in terms:
        quoted = '"' + term.text.replace('"', '""') + '"'
        rendered.append(quoted + "*" if term.prefix else quoted)
    return " ".join(rendered)


def escape_like(text: str) -> str:
    """``text`` with the LIKE wildcards ``%`` and ``_`` (and the escape ``\\``) escaped, for use
    with ``ESCAPE`` :data:`LIKE_ESCAPE`."""
    return _LIKE_SPECIAL.sub(r"\\\1", text)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (see :func:`escape_like`)."""
    return "%" + escape_like(text) + "%"


def like_match(terms: Sequence[SearchTerm], columns: Sequence[Any]) -> ColumnElement[bool]:
    """Portable full-text fallback: every term occurs (case-insensitively) in one of ``columns``.

    No terms match nothing.
    """
    if not terms:
        return false()
    return and_(
        *(
            or_(*(column.ilike(like_pattern(term.text), escape=LIKE_ESCAPE) for column in columns))
            for term in terms
        )
    )


def like_score(terms: Sequence[SearchTerm], columns: Sequence[Any]) -> ColumnElement[Any]:
    """A simple relevance score for the LIKE fallback: per term, :data:`LIKE_SCORES` points for
    each of headline, summary, body (in ``columns`` order) that contains it. Higher is better."""
    parts: list[ColumnElement[Any]] = [
        case((column.ilike(like_pattern(term.text), escape=LIKE_ESCAPE), points), else_=0)
        for term in terms
        for column, points in zip(columns, LIKE_SCORES, strict=True)
    ]
    if not parts:
        return literal(0)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total
