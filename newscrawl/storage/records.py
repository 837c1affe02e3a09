"""Typed read models returned by :class:`newscrawl.storage.store.ArticleStore`.

Plain frozen dataclasses, detached from any session; every datetime is tz-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

SaveOutcome = Literal["new", "updated", "unchanged"]


MAX_SQL_INTEGER = 2**63 - 1  # the largest integer SQLite and PostgreSQL bind (ids, limits)
MAX_INT4 = 2**31 - 1  # the largest id PostgreSQL's ``integer`` id columns hold


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What :meth:`ArticleStore.save` did: ``version`` is the snapshot number written on update."""

    outcome: SaveOutcome
    article_id: int
    version: int | None = None


@dataclass(frozen=True, slots=True)
class StoredUrl:
    """A URL known to resolve to a stored article, with what a re-crawl needs to decide."""

    article_id: int
    canonical_url: str
    published_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """The latest stored state of one article."""

    id: int
    site: str
    canonical_url: str
    url: str
    headline: str
    summary: str | None
    body: str
    published_at: datetime | None
    published_raw: str | None
    published_source: str | None
    published_has_time: bool
    modified_at: datetime | None
    modified_raw: str | None
    modified_source: str | None
    section: str | None
    language: str | None
    image_url: str | None
    content_hash: str
    field_sources: dict[str, str]
    etag: str | None
    last_modified: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    last_changed_at: datetime | None
    fetched_at: datetime
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """A snapshot of an article as it was before change number ``version``."""

    article_id: int
    version: int
    captured_at: datetime
    content_hash: str
    headline: str
    summary: str | None
    body: str
    published_at: datetime | None
    modified_at: datetime | None
    section: str | None
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    image_url: str | None


@dataclass(frozen=True, slots=True)
class CrawlRun:
    """One recorded crawl process."""

    id: int
    site: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pid: int
    hostname: str
    pages_fetched: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    articles_skipped: int
    drops: dict[str, int] = field(default_factory=dict)
    http_errors: dict[str, int] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class LeaseLock:
    """A lease lock as stored: who holds it, since when, and until when."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


def stored_article_from_row(
    row: Mapping[Any, Any],
    tags: Sequence[str],
    authors: Sequence[str],
    urls: Sequence[str],
) -> StoredArticle:
    """One :class:`StoredArticle` from an ``articles`` row joined with ``site_name``, and the
    article's tags, authors and URLs."""
    return StoredArticle(
        id=row["id"],
        site=row["site_name"],
        canonical_url=row["canonical_url"],
        url=row["url"],
        headline=row["headline"],
        summary=row["summary"],
        body=row["body"],
        published_at=row["published_at"],
        published_raw=row["published_raw"],
        published_source=row["published_source"],
        published_has_time=bool(row["published_has_time"]),
        modified_at=row["modified_at"],
        modified_raw=row["modified_raw"],
        modified_source=row["modified_source"],
        section=row["section"],
        language=row["language"],
        image_url=row["image_url"],
        content_hash=row["content_hash"],
        field_sources=dict(row["field_sources"] or {}),
        etag=row["etag"],
        last_modified=row["last_modified"],
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        last_changed_at=row["last_changed_at"],
        fetched_at=row["fetched_at"],
        tags=tuple(tags),
        authors=tuple(authors),
        urls=tuple(urls),
    )
