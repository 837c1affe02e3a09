"""The database schema as typed SQLAlchemy 2 models; Alembic (``migrations/``) owns its history.

ORM classes end in ``Row`` so they never clash with the pipeline's ``newscrawl.items.Article``
or the read models in :mod:`newscrawl.storage.records`. Everything here is portable between
SQLite and PostgreSQL. The full-text objects exist only in the migrations (autogenerate ignores
them through :func:`is_full_text_object`): SQLite's FTS5 index ``articles_fts``, and PostgreSQL's
generated ``articles.search_vector`` tsvector column with its GIN index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FTS_TABLE = "articles_fts"
# PostgreSQL full-text search: generated tsvector column, its index and the text search config.
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_articles_search_vector"
TS_CONFIG = "newscrawl"
RUN_STATUSES = ("running", "finished", "failed", "killed")


def is_fts_table(name: str | None) -> bool:
    """True for the SQLite full-text table and its FTS5 shadow tables (``articles_fts_*``)."""
    return name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))


def is_full_text_object(name: str | None, type_: str) -> bool:
    """True for a full-text object the migrations own outside the ORM metadata: the FTS5 tables
    (SQLite), the ``search_vector`` column and its index (PostgreSQL)."""
    if type_ == "table":
        return is_fts_table(name)
    if type_ == "column":
        return name == SEARCH_VECTOR_COLUMN
    if type_ == "index":
        return name == SEARCH_VECTOR_INDEX
    return False


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is tz-aware UTC in Python on every backend.

    Binding a naive datetime raises ``ValueError``; aware values are converted to UTC. SQLite has no
    timestamp type and drops offsets, so values are written as naive UTC there and UTC is
    re-attached on read; PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; reject naive datetimes."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored: add a tzinfo")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored instant as a tz-aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; its metadata names every constraint (needed by SQLite batch migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class SiteRow(Base):
    """A site (the slug of sites.toml, or a host for ad-hoc crawls)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]

    articles: Mapped[list[ArticleRow]] = relationship(back_populates="site")


class ArticleRow(Base):
    """One stored article, keyed by its canonical URL; holds the latest state."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True, index=True)
    url: Mapped[str] = mapped_column(Text)  # the URL of the last fetch
    headline: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_raw: Mapped[str | None] = mapped_column(Text)
    published_source: Mapped[str | None] = mapped_column(String(100))
    published_has_time: Mapped[bool] = mapped_column(Boolean, default=True)
    modified_at: Mapped[datetime | None]
    modified_raw: Mapped[str | None] = mapped_column(Text)
    modified_source: Mapped[str | None] = mapped_column(String(100))
    section: Mapped[str | None] = mapped_column(Text, index=True)
    language: Mapped[str | None] = mapped_column(String(35), index=True)
    image_url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    field_sources: Mapped[dict[str, Any]]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    last_changed_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]

    site: Mapped[SiteRow] = relationship(back_populates="articles")
    tag_links: Mapped[list[ArticleTagRow]] = relationship(
        back_populates="article", order_by="ArticleTagRow.position", passive_deletes=True
    )
    author_links: Mapped[list[ArticleAuthorRow]] = relationship(
        back_populates="article", order_by="ArticleAuthorRow.position", passive_deletes=True
    )
    urls: Mapped[list[ArticleUrlRow]] = relationship(back_populates="article", passive_deletes=True)
    versions: Mapped[list[ArticleVersionRow]] = relationship(
        back_populates="article", order_by="ArticleVersionRow.version", passive_deletes=True
    )


class TagRow(Base):
    """A tag; ``key`` (casefolded, spaces collapsed) de-duplicates, ``name`` is the first form seen."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, unique=True)


class ArticleTagRow(Base):
    """Links an article to a tag, in the article's order."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    article: Mapped[ArticleRow] = relationship(back_populates="tag_links")
    tag: Mapped[TagRow] = relationship()


class AuthorRow(Base):
    """An author; ``key`` (casefolded, spaces collapsed) de-duplicates."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, unique=True)


class ArticleAuthorRow(Base):
    """Links an article to an author, in byline order."""

    __tablename__ = "article_authors"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    article: Mapped[ArticleRow] = relationship(back_populates="author_links")
    author: Mapped[AuthorRow] = relationship()


class ArticleUrlRow(Base):
    """Every URL (fetched or canonical) that resolved to an article, so re-crawls can skip it."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )

    article: Mapped[ArticleRow] = relationship(back_populates="urls")


class ArticleVersionRow(Base):
    """A snapshot of an article's previous state, written when its content changed."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    headline: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    authors: Mapped[list[str]] = mapped_column(JSON)
    image_url: Mapped[str | None] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="versions")


class CrawlRunRow(Base):
    """One ``scrapy crawl`` process: its lifecycle, counters and final Scrapy stats."""

    __tablename__ = "crawl_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'finished', 'failed', 'killed')", name="status_known"
        ),
        Index("ix_crawl_runs_site_started_at", "site", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), index=True)
    pid: Mapped[int] = mapped_column(Integer)
    hostname: Mapped[str] = mapped_column(String(255))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    articles_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    articles_skipped: Mapped[int] = mapped_column(Integer, default=0)
    drops: Mapped[dict[str, Any]]
    http_errors: Mapped[dict[str, Any]]
    stats: Mapped[dict[str, Any]]
    error: Mapped[str | None] = mapped_column(Text)


class CrawlLockRow(Base):
    """A lease lock: held by ``holder`` until ``expires_at``, then free for anyone to take."""

    __tablename__ = "crawl_locks"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
