"""SQLAlchemy Core statements behind :class:`newscrawl.archive.Archive`.

Every user value reaches SQL as a bound parameter. Full-text search runs on SQLite's FTS5 index
``articles_fts`` (``fts5``), or on any database as case-insensitive ``LIKE`` over headline,
summary and body (``like``).
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
    literal_column,
    or_,
    select,
    table,
)

from newscrawl.archive.filters import ArticleQuery
from newscrawl.archive.search import (
    BM25_WEIGHTS,
    LIKE_ESCAPE,
    SearchTerm,
    escape_like,
    fts_match_expression,
    like_match,
    like_score,
    search_terms,
)
from newscrawl.storage.models import (
    FTS_TABLE,
    ArticleAuthorRow,
    ArticleRow,
    ArticleTagRow,
    ArticleUrlRow,
    AuthorRow,
    SiteRow,
    TagRow,
)
from newscrawl.storage.store import name_key

FullText = Literal["fts5", "like"]

_FTS = table(FTS_TABLE, column("rowid"))
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


def _terms(query: ArticleQuery) -> tuple[SearchTerm, ...]:
    return search_terms(query.search) if query.search is not None else ()


def _matching(
    statement: Select[Any], query: ArticleQuery, terms: tuple[SearchTerm, ...], full_text: FullText
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
    query: ArticleQuery, terms: tuple[SearchTerm, ...], full_text: FullText
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
        return [like_score(terms, _SEARCH_COLUMNS).desc(), *newest, ArticleRow.id.desc()]
    return [*newest, ArticleRow.id.desc()]
