"""SQLAlchemy Core statements behind :class:`newscrawl.archive.Archive`.

Every user value reaches SQL as a bound parameter. Full-text search runs on SQLite's FTS5 index
``articles_fts`` ranked by bm25 (``fts5``), on PostgreSQL's ``articles.search_vector`` GIN index
ranked by ``ts_rank`` with the same field weights (``tsvector``), or on any database as
case-insensitive ``LIKE`` over headline, summary and body (``like``); all three take the query
parsed once by :func:`newscrawl.archive.search.parse_search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)

from newscrawl.archive.filters import ArticleQuery
from newscrawl.archive.search import (
    BM25_WEIGHTS,
    LIKE_ESCAPE,
    TS_RANK_WEIGHTS,
    SearchQuery,
    escape_like,
    fts_match_expression,
    like_match,
    like_score,
    parse_search,
    tsquery_expression,
)
from newscrawl.storage.models import (
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    TS_CONFIG,
    ArticleAuthorRow,
    ArticleRow,
    ArticleTagRow,
    ArticleUrlRow,
    AuthorRow,
    SiteRow,
    TagRow,
)
from newscrawl.storage.store import name_key

FullText = Literal["fts5", "tsvector", "like"]

_FTS = table(FTS_TABLE, column("rowid"))
_SEARCH_VECTOR: ColumnElement[Any] = literal_column(
    f"{ArticleRow.__tablename__}.{SEARCH_VECTOR_COLUMN}"
)
_TS_RANK_WEIGHTS: ColumnElement[Any] = literal_column(
    "'{" + ", ".join(f"{weight:g}" for weight in TS_RANK_WEIGHTS) + "}'::real[]"
)
_SEARCH_COLUMNS = (ArticleRow.headline, ArticleRow.summary, ArticleRow.body)
# Columns of a listing row: every article column plus the site's name.
ARTICLE_COLUMNS: tuple[Any, ...] = (*ArticleRow.__table__.columns, SiteRow.name.label("site_name"))


def select_articles(query: ArticleQuery, full_text: FullText) -> Select[Any]:
    """The article rows (all columns + ``site_name``) matching ``query``, ordered and windowed."""
    terms = _terms(query)
    statement = _matching(select(*ARTICLE_COLUMNS), query, terms, full_text)
    statement = statement.order_by(*_order(query, terms, full_text))
    if query.offset:
        statement = statement.offset(query.offset)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    return statement


def count_articles(query: ArticleQuery, full_text: FullText) -> Select[Any]:
    """``SELECT count(*)`` of the articles matching ``query`` (limit and offset ignored)."""
    return _matching(select(func.count()), query, _terms(query), full_text)


def tag_names(article_ids: Sequence[int]) -> Select[int, str]:
    """``(article_id, name)`` of the articles' tags, in each article's order."""
    return (
        select(ArticleTagRow.article_id, TagRow.name)
        .join(TagRow, TagRow.id == ArticleTagRow.tag_id)
        .where(ArticleTagRow.article_id.in_(article_ids))
        .order_by(ArticleTagRow.article_id, ArticleTagRow.position)
    )


def author_names(article_ids: Sequence[int]) -> Select[int, str]:
    """``(article_id, name)`` of the articles' authors, in byline order."""
    return (
        select(ArticleAuthorRow.article_id, AuthorRow.name)
        .join(AuthorRow, AuthorRow.id == ArticleAuthorRow.author_id)
        .where(ArticleAuthorRow.article_id.in_(article_ids))
        .order_by(ArticleAuthorRow.article_id, ArticleAuthorRow.position)
    )


def article_urls(article_ids: Sequence[int]) -> Select[int, str]:
    """``(article_id, url)`` of every URL known to resolve to the articles, sorted by URL."""
    return (
        select(ArticleUrlRow.article_id, ArticleUrlRow.url)
        .where(ArticleUrlRow.article_id.in_(article_ids))
        .order_by(ArticleUrlRow.article_id, ArticleUrlRow.url)
    )


def _terms(query: ArticleQuery) -> SearchQuery:
    return parse_search(query.search) if query.search is not None else SearchQuery()


def _tsquery(terms: SearchQuery) -> ColumnElement[Any]:
    """``to_tsquery('newscrawl', :text)`` of the parsed search (the text is a bound parameter)."""
    return func.to_tsquery(
        literal_column(f"'{TS_CONFIG}'::regconfig"), literal(tsquery_expression(terms))
    )


def _matching(
    statement: Select[Any], query: ArticleQuery, terms: SearchQuery, full_text: FullText
) -> Select[Any]:
    """``statement`` over articles joined to their site, restricted to what ``query`` matches."""
    statement = statement.select_from(ArticleRow).join(SiteRow, SiteRow.id == ArticleRow.site_id)
    if query.search is not None:
        if not terms:
            statement = statement.where(false())
        elif full_text == "fts5":
            statement = statement.join(_FTS, _FTS.c.rowid == ArticleRow.id).where(
                literal_column(FTS_TABLE).op("MATCH")(fts_match_expression(terms))
            )
        elif full_text == "tsvector":
            statement = statement.where(_SEARCH_VECTOR.op("@@")(_tsquery(terms)))
        else:
            statement = statement.where(like_match(terms, _SEARCH_COLUMNS))
    return statement.where(*_filters(query))


def _filters(query: ArticleQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions of every criterion but the full-text search."""
    conditions: list[ColumnElement[bool]] = []
    if query.site is not None:
        conditions.append(SiteRow.name == query.site)
    if query.tag is not None:
        tagged = (
            select(ArticleTagRow.article_id)
            .join(TagRow, TagRow.id == ArticleTagRow.tag_id)
            .where(TagRow.key == name_key(query.tag))
        )
        conditions.append(ArticleRow.id.in_(tagged))
    if query.author is not None:
        written = (
            select(ArticleAuthorRow.article_id)
            .join(AuthorRow, AuthorRow.id == ArticleAuthorRow.author_id)
            .where(AuthorRow.key == name_key(query.author))
        )
        conditions.append(ArticleRow.id.in_(written))
    if query.section is not None:
        conditions.append(func.lower(ArticleRow.section) == func.lower(query.section.strip()))
    if query.lang is not None:
        language = func.lower(ArticleRow.language)
        lang = query.lang.strip().lower()
        conditions.append(
            or_(
                language == lang,
                language.like(escape_like(lang) + "-%", escape=LIKE_ESCAPE),
            )
        )
    if query.since is not None:
        conditions.append(ArticleRow.published_at >= query.since)
    if query.until is not None:
        conditions.append(ArticleRow.published_at <= query.until)
    return conditions


def _order(
    query: ArticleQuery, terms: SearchQuery, full_text: FullText
) -> list[ColumnElement[Any]]:
    """ORDER BY for the query's effective sort: best or newest first, undated last, then id."""
    newest: list[ColumnElement[Any]] = [
        ArticleRow.published_at.is_(None),
        ArticleRow.published_at.desc(),
    ]
    sort = query.effective_sort
    if sort == "first_seen":
        return [ArticleRow.first_seen_at.desc(), ArticleRow.id.desc()]
    if sort == "relevance" and terms:
        if full_text == "fts5":
            rank = func.bm25(literal_column(FTS_TABLE), *BM25_WEIGHTS)
            return [rank.asc(), *newest, ArticleRow.id.desc()]
        if full_text == "tsvector":
            rank = func.ts_rank(_TS_RANK_WEIGHTS, _SEARCH_VECTOR, _tsquery(terms))
            return [rank.desc(), *newest, ArticleRow.id.desc()]
        return [like_score(terms, _SEARCH_COLUMNS).desc(), *newest, ArticleRow.id.desc()]
    return [*newest, ArticleRow.id.desc()]
