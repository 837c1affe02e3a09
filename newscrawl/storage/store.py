"""ArticleStore: idempotent article upserts with change history, plus run and lock bookkeeping.

Every write is one transaction. On SQLite it starts with ``BEGIN IMMEDIATE`` (see
:func:`newscrawl.storage.engine.writing`), so concurrent crawler processes queue on the busy
timeout instead of failing with "database is locked". Unique keys (canonical URL, site name,
tag/author key, alias URL) are only ever written with ``INSERT .. ON CONFLICT``; on PostgreSQL the
existing article row is re-read ``FOR UPDATE``. Rows are touched in a fixed order (site, article,
tags and authors by key, URLs) so concurrent PostgreSQL writers cannot deadlock.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from newscrawl.items import Article
from newscrawl.storage import locks, runs
from newscrawl.storage.engine import insert_for, writing
from newscrawl.storage.models import (
    ArticleAuthorRow,
    ArticleRow,
    ArticleTagRow,
    ArticleUrlRow,
    ArticleVersionRow,
    AuthorRow,
    CrawlLockRow,
    SiteRow,
    TagRow,
)
from newscrawl.storage.records import (
    ArticleVersion,
    CrawlRun,
    LeaseLock,
    SaveResult,
    StoredArticle,
    StoredUrl,
    stored_article_from_row,
)

logger = logging.getLogger(__name__)


def name_key(name: str) -> str:
    """The de-duplication key of a tag or author: whitespace collapsed, casefolded."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class _Named:
    """How one name list (tags or authors) is stored: entity table + ordered link table."""

    entity: Any
    link: Any
    link_fk: str


_TAGS = _Named(TagRow, ArticleTagRow, "tag_id")
_AUTHORS = _Named(AuthorRow, ArticleAuthorRow, "author_id")


class ArticleStore:
    """Reads and writes articles, crawl runs and lease locks through one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writing(engine)

    # --- articles ------------------------------------------------------------------------------

    def save(self, article: Article, *, seen_at: datetime | None = None) -> SaveResult:
        """Insert or update ``article`` (keyed by canonical URL) in one transaction.

        ``new``: first time seen. ``updated``: its content hash changed; the previous state is kept
        as the next ``article_versions`` row and ``last_changed_at`` is set. ``unchanged``: only
        ``last_seen_at``, ``fetched_at``, ``url`` and the HTTP validators are refreshed. ``seen_at``
        defaults to ``article.fetched_at``. Raises ``ValueError`` for naive datetimes.

        A new canonical URL whose article is provably stored already (same site, headline and
        publication time, and the same content hash or whitespace-normalized body: a ``www.``,
        trailing-slash or path-case variant, or a canonical URL that changed between runs) is
        ``unchanged``: its URLs become aliases of the stored row (``article_urls``), and only
        ``last_seen_at`` moves.
        """
        _check_aware(article)
        seen = _aware("seen_at", seen_at if seen_at is not None else article.fetched_at)
        content_hash = article.content_hash()
        content = _content_values(article, content_hash)
        with self._writer.begin() as connection:
            site_id = _upsert_site(connection, article.site, seen)
            twin = _stored_twin(connection, site_id, article, content_hash)
            if twin is not None:  # the same story at a URL variant: one more alias of it
                connection.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == twin)
                    .values(last_seen_at=_later(ArticleRow.last_seen_at, seen))
                )
                _record_urls(connection, twin, article)
                return SaveResult("unchanged", twin)
            insert_article = insert_for(connection, ArticleRow).values(
                site_id=site_id,
                first_seen_at=seen,
                last_seen_at=seen,
                last_changed_at=None,
                **content,
                **_fetch_values(article),
            )
            article_id = connection.execute(
                insert_article.on_conflict_do_nothing(
                    index_elements=[ArticleRow.canonical_url]
                ).returning(ArticleRow.id)
            ).scalar_one_or_none()
            if article_id is not None:
                _replace_names(connection, _TAGS, article_id, article.tags)
                _replace_names(connection, _AUTHORS, article_id, article.authors)
                _record_urls(connection, article_id, article)
                return SaveResult("new", article_id)

            current = (
                connection.execute(
                    select(ArticleRow.__table__)
                    .where(ArticleRow.canonical_url == article.canonical_url)
                    .with_for_update()
                )
                .mappings()
                .one()
            )
            article_id = current["id"]
            refresh = {"last_seen_at": _later(ArticleRow.last_seen_at, seen)}
            refresh.update(_fetch_values(article))
            if current["content_hash"] == content_hash:
                connection.execute(
                    update(ArticleRow).where(ArticleRow.id == article_id).values(**refresh)
                )
                _record_urls(connection, article_id, article)
                return SaveResult("unchanged", article_id)

            version = _snapshot(connection, current, seen)
            connection.execute(
                update(ArticleRow)
                .where(ArticleRow.id == article_id)
                .values(**content, **refresh, last_changed_at=seen)
            )
            _replace_names(connection, _TAGS, article_id, article.tags)
            _replace_names(connection, _AUTHORS, article_id, article.authors)
            _record_urls(connection, article_id, article)
            logger.debug("Article %s changed: version %d saved", article.canonical_url, version)
            return SaveResult("updated", article_id, version)

    def touch(self, url: str, seen_at: datetime) -> bool:
        """Record that ``url`` (any alias of a stored article) was seen unchanged, e.g. on a 304.

        Only ``last_seen_at`` moves (never backwards). Returns whether a stored article matched.
        """
        seen = _aware("seen_at", seen_at)
        with self._writer.begin() as connection:
            result = connection.execute(
                update(ArticleRow)
                .where(ArticleRow.id == _article_id_for(url))
                .values(last_seen_at=_later(ArticleRow.last_seen_at, seen))
            )
        return result.rowcount == 1

    def lookup(self, url: str) -> StoredUrl | None:
        """What is stored for ``url`` (fetched or canonical form), or None if it is unknown."""
        query = (
            select(
                ArticleRow.id,
                ArticleRow.canonical_url,
                ArticleRow.published_at,
                ArticleRow.first_seen_at,
                ArticleRow.last_seen_at,
                ArticleRow.etag,
                ArticleRow.last_modified,
            )
            .join(ArticleUrlRow, ArticleUrlRow.article_id == ArticleRow.id)
            .where(ArticleUrlRow.url == url)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).one_or_none()
        if row is None:
            return None
        return StoredUrl(
            article_id=row.id,
            canonical_url=row.canonical_url,
            published_at=row.published_at,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            etag=row.etag,
            last_modified=row.last_modified,
        )

    def count_articles(self, site: str | None = None) -> int:
        """Number of stored articles (of one site when given)."""
        query = select(func.count()).select_from(ArticleRow)
        if site is not None:
            query = query.join(SiteRow, SiteRow.id == ArticleRow.site_id).where(
                SiteRow.name == site
            )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def recent(self, limit: int = 10) -> list[StoredArticle]:
        """The ``limit`` most recently published articles (undated ones last)."""
        query = (
            select(ArticleRow.id)
            .order_by(
                ArticleRow.published_at.is_(None), ArticleRow.published_at.desc(), ArticleRow.id
            )
            .limit(limit)
        )
        with self.engine.connect() as connection:
            ids = list(connection.execute(query).scalars())
        return [article for article in map(self.get, ids) if article is not None]

    def get(self, key: int | str) -> StoredArticle | None:
        """The stored article with this id, or reached by this URL (any alias); None if absent."""
        condition = ArticleRow.id == (key if isinstance(key, int) else _article_id_for(key))
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(ArticleRow.__table__, SiteRow.name.label("site_name"))
                    .join(SiteRow, SiteRow.id == ArticleRow.site_id)
                    .where(condition)
                )
                .mappings()
                .one_or_none()
            )
            if row is None:
                return None
            article_id = row["id"]
            tags = _names(connection, _TAGS, article_id)
            authors = _names(connection, _AUTHORS, article_id)
            urls = connection.execute(
                select(ArticleUrlRow.url)
                .where(ArticleUrlRow.article_id == article_id)
                .order_by(ArticleUrlRow.url)
            ).scalars()
            return stored_article_from_row(row, tags, authors, tuple(urls))

    def versions(self, article_id: int) -> list[ArticleVersion]:
        """The article's earlier states, oldest first (version 1 = the state before change 1)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(ArticleVersionRow.__table__)
                .where(ArticleVersionRow.article_id == article_id)
                .order_by(ArticleVersionRow.version)
            ).mappings()
            return [
                ArticleVersion(
                    article_id=row["article_id"],
                    version=row["version"],
                    captured_at=row["captured_at"],
                    content_hash=row["content_hash"],
                    headline=row["headline"],
                    summary=row["summary"],
                    body=row["body"],
                    published_at=row["published_at"],
                    modified_at=row["modified_at"],
                    section=row["section"],
                    tags=tuple(row["tags"]),
                    authors=tuple(row["authors"]),
                    image_url=row["image_url"],
                )
                for row in rows
            ]

    # --- crawl runs ----------------------------------------------------------------------------

    def start_run(self, site: str, pid: int, hostname: str, started_at: datetime) -> int:
        """Record a crawl process as ``running``; return the run id."""
        with self._writer.begin() as connection:
            return runs.start_run(connection, site, pid, hostname, _aware("started_at", started_at))

    def finish_run(
        self,
        run_id: int,
        status: str,
        *,
        finished_at: datetime | None = None,
        pages_fetched: int = 0,
        articles_new: int = 0,
        articles_updated: int = 0,
        articles_unchanged: int = 0,
        articles_skipped: int = 0,
        drops: Mapping[str, int] | None = None,
        http_errors: Mapping[str | int, int] | None = None,
        stats: Mapping[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Record how a run ended (``finished``, ``failed`` or ``killed``) with its counters.

        ``stats`` (Scrapy's stats dict) is stored JSON-safe: datetimes become ISO 8601 strings.
        Raises ``ValueError`` for a non-final status, ``LookupError`` for an unknown run id.
        """
        counts = {
            "pages_fetched": pages_fetched,
            "articles_new": articles_new,
            "articles_updated": articles_updated,
            "articles_unchanged": articles_unchanged,
            "articles_skipped": articles_skipped,
        }
        with self._writer.begin() as connection:
            runs.finish_run(
                connection,
                run_id,
                status,
                finished_at=_aware("finished_at", finished_at or datetime.now(UTC)),
                counts=counts,
                drops=drops or {},
                http_errors=http_errors or {},
                stats=stats or {},
                error=error,
            )

    def mark_dead_runs_failed(
        self, hostname: str | None = None, *, now: datetime | None = None
    ) -> list[int]:
        """Mark this host's ``running`` runs whose process is gone as ``failed``; return the ids."""
        with self._writer.begin() as connection:
            return runs.mark_dead_runs_failed(
                connection,
                hostname if hostname is not None else socket.gethostname(),
                _aware("now", now or datetime.now(UTC)),
            )

    def list_runs(self, site: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """The newest ``limit`` runs, optionally of one site."""
        with self.engine.connect() as connection:
            return runs.list_runs(connection, site, limit)

    def last_run(self, site: str, *, status: str | None = None) -> CrawlRun | None:
        """The most recently started run of ``site``, or of those with ``status`` (e.g. the last
        ``finished`` one, whose start bounds what a re-crawl must look at again); None if none."""
        with self.engine.connect() as connection:
            return runs.last_run(connection, site, status)

    def run_of_process(
        self, pid: int, hostname: str, *, started_after: datetime
    ) -> CrawlRun | None:
        """The run that process ``pid`` on ``hostname`` recorded at or after ``started_after``."""
        with self.engine.connect() as connection:
            return runs.run_of_process(
                connection, pid, hostname, _aware("started_after", started_after)
            )

    # --- lease locks ---------------------------------------------------------------------------

    def try_lock(
        self, name: str, holder: str, ttl: timedelta, *, now: datetime | None = None
    ) -> bool:
        """Take (or, for the same holder, renew) the lease ``name`` for ``ttl``; True if held."""
        with self._writer.begin() as connection:
            return locks.try_lock(
                connection, name, holder, ttl, _aware("now", now or datetime.now(UTC))
            )

    def release_lock(self, name: str, holder: str) -> bool:
        """Release ``name`` if ``holder`` holds it; True if a lease was released."""
        with self._writer.begin() as connection:
            return locks.release_lock(connection, name, holder)

    def lock_holder(self, name: str, *, now: datetime | None = None) -> LeaseLock | None:
        """The unexpired lease ``name`` (who holds it, until when), or None when it is free."""
        moment = _aware("now", now or datetime.now(UTC))
        query = select(
            CrawlLockRow.name,
            CrawlLockRow.holder,
            CrawlLockRow.acquired_at,
            CrawlLockRow.expires_at,
        ).where(CrawlLockRow.name == name, CrawlLockRow.expires_at >= moment)
        with self.engine.connect() as connection:
            row = connection.execute(query).one_or_none()
        if row is None:
            return None
        return LeaseLock(row.name, row.holder, row.acquired_at, row.expires_at)


# --- helpers -----------------------------------------------------------------------------------


def _aware(name: str, value: datetime) -> datetime:
    """Return ``value`` if tz-aware; raise ``ValueError`` otherwise."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


def _check_aware(article: Article) -> None:
    """Raise ``ValueError`` naming the first naive datetime of ``article``."""
    _aware("fetched_at", article.fetched_at)
    for name, value in (("published", article.published), ("modified", article.modified)):
        if value is not None:
            _aware(name, value)


def _content_values(article: Article, content_hash: str) -> dict[str, Any]:
    """The article columns that only change together with the content."""
    return {
        "canonical_url": article.canonical_url,
        "headline": article.headline,
        "summary": article.summary,
        "body": article.body,
        "published_at": article.published,
        "published_raw": article.published_raw,
        "published_source": article.published_source,
        "published_has_time": article.published_has_time,
        "modified_at": article.modified,
        "modified_raw": article.modified_raw,
        "modified_source": article.modified_source,
        "section": article.section,
        "language": article.language,
        "image_url": article.image,
        "content_hash": content_hash,
        "field_sources": dict(article.sources),
    }


def _fetch_values(article: Article) -> dict[str, Any]:
    """The article columns describing the latest fetch."""
    return {
        "url": article.url,
        "fetched_at": article.fetched_at,
        "etag": article.etag,
        "last_modified": article.last_modified,
    }


def _later(column: Any, value: datetime) -> ColumnElement[Any]:
    """SQL for the later of a timestamp column and ``value`` (portable GREATEST).

    ``value`` is bound with the column's type, so it is stored exactly like a plain assignment.
    """
    bound = literal(value, type_=column.type)
    return case((column < bound, bound), else_=column)


def _article_id_for(url: str) -> Any:
    """Scalar subquery: the article id ``url`` resolves to."""
    return select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == url).scalar_subquery()


def _upsert_site(connection: Connection, name: str, seen: datetime) -> int:
    connection.execute(
        insert_for(connection, SiteRow)
        .values(name=name, created_at=seen)
        .on_conflict_do_nothing(index_elements=[SiteRow.name])
    )
    return connection.execute(select(SiteRow.id).where(SiteRow.name == name)).scalar_one()


def _unique_names(names: Sequence[str]) -> dict[str, str]:
    """key -> display name (whitespace collapsed), first occurrence wins, input order kept."""
    unique: dict[str, str] = {}
    for name in names:
        display = " ".join(name.split())
        if display:
            unique.setdefault(name_key(display), display)
    return unique


def _replace_names(
    connection: Connection, named: _Named, article_id: int, names: Sequence[str]
) -> None:
    """Upsert the tags/authors by key and replace the article's ordered links to them."""
    link_fk = getattr(named.link, named.link_fk)
    connection.execute(delete(named.link).where(named.link.article_id == article_id))
    unique = _unique_names(names)
    if not unique:
        return
    connection.execute(
        insert_for(connection, named.entity)
        .values([{"key": key, "name": unique[key]} for key in sorted(unique)])
        .on_conflict_do_nothing(index_elements=[named.entity.key])
    )
    ids: dict[str, int] = dict(
        connection.execute(
            select(named.entity.key, named.entity.id).where(named.entity.key.in_(list(unique)))
        ).all()
    )
    connection.execute(
        insert(named.link),
        [
            {"article_id": article_id, link_fk.key: ids[key], "position": position}
            for position, key in enumerate(unique)
        ],
    )


def _names(connection: Connection, named: _Named, article_id: int) -> tuple[str, ...]:
    """The article's tag or author names in stored order."""
    link_fk = getattr(named.link, named.link_fk)
    return tuple(
        connection.execute(
            select(named.entity.name)
            .join(named.link, link_fk == named.entity.id)
            .where(named.link.article_id == article_id)
            .order_by(named.link.position)
        ).scalars()
    )


def _stored_twin(
    connection: Connection, site_id: int, article: Article, content_hash: str
) -> int | None:
    """The id of another stored row of the same site holding the same story as ``article``
    (see :meth:`ArticleStore.save`), or None; None at once when its canonical URL is stored."""
    if connection.execute(
        select(ArticleRow.id).where(ArticleRow.canonical_url == article.canonical_url)
    ).first():
        return None
    published = (
        ArticleRow.published_at.is_(None)
        if article.published is None
        else ArticleRow.published_at == article.published
    )
    candidates = connection.execute(
        select(ArticleRow.id, ArticleRow.content_hash, ArticleRow.body)
        .where(ArticleRow.site_id == site_id, ArticleRow.headline == article.headline, published)
        .order_by(ArticleRow.id)
        .limit(20)
    )
    body = " ".join(article.body.split())
    for row in candidates:
        if row.content_hash == content_hash or " ".join(row.body.split()) == body:
            return int(row.id)
    return None


def _record_urls(connection: Connection, article_id: int, article: Article) -> None:
    """Point the fetched and canonical URLs at the article (the latest resolution wins)."""
    urls = sorted({article.url, article.canonical_url})
    stmt = insert_for(connection, ArticleUrlRow).values(
        [{"url": url, "article_id": article_id} for url in urls]
    )
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=[ArticleUrlRow.url],
            set_={"article_id": stmt.excluded.article_id},
            where=ArticleUrlRow.article_id != stmt.excluded.article_id,
        )
    )


def _snapshot(connection: Connection, current: RowMapping, captured_at: datetime) -> int:
    """Store the article's current state as its next version; return the version number."""
    article_id = current["id"]
    version = (
        connection.execute(
            select(func.coalesce(func.max(ArticleVersionRow.version), 0)).where(
                ArticleVersionRow.article_id == article_id
            )
        ).scalar_one()
        + 1
    )
    connection.execute(
        insert(ArticleVersionRow).values(
            article_id=article_id,
            version=version,
            captured_at=captured_at,
            content_hash=current["content_hash"],
            headline=current["headline"],
            summary=current["summary"],
            body=current["body"],
            published_at=current["published_at"],
            modified_at=current["modified_at"],
            section=current["section"],
            tags=list(_names(connection, _TAGS, article_id)),
            authors=list(_names(connection, _AUTHORS, article_id)),
            image_url=current["image_url"],
        )
    )
    return int(version)
