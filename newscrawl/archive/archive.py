"""The read side of newscrawl: :class:`Archive` lists, searches, counts and summarizes articles.

It opens SQLite files read-only (``mode=ro``), so it can never write and can run while a crawl
writes to the same file (WAL: readers and the writer do not block each other). Listings stream:
rows are fetched ``batch_size`` at a time (server-side cursors on PostgreSQL) and each batch's
tags, authors and URLs come from one query each, so memory stays flat however many rows match.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from newscrawl.archive.filters import ArticleQuery, DateBound, SortOrder
from newscrawl.archive.rows import hydrate
from newscrawl.archive.statements import (
    ARTICLE_COLUMNS,
    FullText,
    count_articles,
    select_articles,
)
from newscrawl.archive.stats import SiteStats, site_stats
from newscrawl.items import without_control_chars
from newscrawl.storage.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine, sqlite_file_path
from newscrawl.storage.models import (
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    ArticleRow,
    ArticleUrlRow,
    SiteRow,
)
from newscrawl.storage.records import (
    MAX_INT4,
    MAX_SQL_INTEGER,
    ArticleVersion,
    StoredArticle,
)
from newscrawl.storage.store import ArticleStore

DEFAULT_BATCH_SIZE = 500
FullTextChoice = Literal["auto", "fts5", "tsvector", "like"]


class ArchiveError(RuntimeError):
    """The archive cannot be opened or read (no such file, not a newscrawl database, ...)."""


class Archive:
    """Read-only access to a newscrawl database; use as a context manager or call :meth:`close`.

    ``full_text`` is how ``search`` runs: ``fts5`` (SQLite's full-text index, bm25 ranking),
    ``tsvector`` (PostgreSQL's GIN-indexed ``search_vector``, ``ts_rank`` with the same field
    weights) or ``like`` (portable case-insensitive substring matching with a simple score).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        full_text: FullText,
        batch_size: int = DEFAULT_BATCH_SIZE,
        owns_engine: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.engine = engine
        self.full_text: FullText = full_text
        self.batch_size = batch_size
        self._owns_engine = owns_engine

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        full_text: FullTextChoice = "auto",
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Archive:
        """Open the database at ``database_url`` for reading (a SQLite file read-only).

        ``full_text="auto"`` uses the database's full-text index (SQLite FTS5, PostgreSQL
        ``search_vector``) when it exists and LIKE otherwise. Raises :class:`ArchiveError` for a
        missing file, an unsupported URL, a database without newscrawl's tables, or
        ``full_text="fts5"``/``"tsvector"`` without that index.
        """
        if full_text not in ("auto", "fts5", "tsvector", "like"):
            raise ValueError(
                f"full_text must be 'auto', 'fts5', 'tsvector' or 'like', got {full_text!r}"
            )
        try:
            engine = reading_engine(database_url)
        except (ArgumentError, ValueError) as exc:
            raise ArchiveError(f"cannot open {database_url!r}: {exc}") from None
        try:
            tables = _table_names(engine)
            index = _full_text_index(engine, tables)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise ArchiveError(f"cannot read {database_url!r}: {database_error(exc)}") from None
        if ArticleRow.__tablename__ not in tables:
            engine.dispose()
            raise ArchiveError(
                f"{database_url!r} is not a newscrawl database (no articles table); "
                "crawl into it or run `python -m newscrawl db upgrade`"
            )
        if full_text in ("fts5", "tsvector") and index != full_text:
            engine.dispose()
            what = f"FTS5 index {FTS_TABLE!r}" if full_text == "fts5" else "search_vector column"
            raise ArchiveError(f"{database_url!r} has no {what}")
        mode: FullText = (index or "like") if full_text == "auto" else full_text
        return cls(engine, full_text=mode, batch_size=batch_size, owns_engine=True)

    def close(self) -> None:
        """Release the database connections (if this archive opened them)."""
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- listings ----------------------------------------------------------------------------

    def articles(
        self,
        *,
        site: str | None = None,
        tag: str | None = None,
        section: str | None = None,
        author: str | None = None,
        lang: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        search: str | None = None,
        sort: SortOrder | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[StoredArticle]:
        """Stream the matching articles (see :class:`ArticleQuery` for each criterion).

        ``since``/``until`` take aware datetimes, dates or ISO strings (naive strings mean UTC).
        Raises :class:`~newscrawl.archive.filters.QueryError` for invalid criteria.
        """
        return self.find(
            ArticleQuery.build(
                site=site,
                tag=tag,
                section=section,
                author=author,
                lang=lang,
                since=since,
                until=until,
                search=search,
                sort=sort,
                limit=limit,
                offset=offset,
            )
        )

    def find(self, query: ArticleQuery) -> Iterator[StoredArticle]:
        """Stream the articles ``query`` selects, in its order, ``batch_size`` rows at a time.

        The listing is one read transaction: a consistent snapshot even while a crawl writes.
        """
        statement = select_articles(query, self.full_text)
        with self.engine.connect() as connection:
            result = connection.execute(statement, execution_options={"yield_per": self.batch_size})
            for rows in result.mappings().partitions():
                yield from hydrate(connection, rows)

    def count(
        self,
        *,
        site: str | None = None,
        tag: str | None = None,
        section: str | None = None,
        author: str | None = None,
        lang: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        search: str | None = None,
    ) -> int:
        """How many articles match (the same criteria as :meth:`articles`, no window)."""
        return self.count_query(
            ArticleQuery.build(
                site=site,
                tag=tag,
                section=section,
                author=author,
                lang=lang,
                since=since,
                until=until,
                search=search,
            )
        )

    def count_query(self, query: ArticleQuery) -> int:
        """How many articles ``query`` matches, ignoring its limit and offset."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(count_articles(query.unwindowed(), self.full_text)).scalar_one()
            )

    # --- single articles ---------------------------------------------------------------------

    def get(self, key: int | str) -> StoredArticle | None:
        """The article with this id (an int or a string of digits), or reached by this URL
        (fetched, canonical or any alias seen); None if there is none."""
        if isinstance(key, str):  # stored URLs lost their control characters (and NUL)
            key = without_control_chars(key)
        if isinstance(key, str) and key.strip().isdigit():
            key = int(key.strip())
        max_id = MAX_SQL_INTEGER if self.engine.dialect.name == "sqlite" else MAX_INT4
        if isinstance(key, int) and not 0 <= key <= max_id:
            return None  # beyond any stored id (and beyond what the id column can compare with)
        if isinstance(key, int):
            condition = ArticleRow.id == key
        else:
            alias = select(ArticleUrlRow.article_id).where(ArticleUrlRow.url == key)
            condition = ArticleRow.id.in_(alias) | (ArticleRow.canonical_url == key)
        statement = (
            select(*ARTICLE_COLUMNS)
            .select_from(ArticleRow)
            .join(SiteRow, SiteRow.id == ArticleRow.site_id)
            .where(condition)
            .order_by(ArticleRow.id)
            .limit(1)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement).mappings().all()
            articles = hydrate(connection, rows)
        return articles[0] if articles else None

    def versions(self, article_id: int) -> list[ArticleVersion]:
        """The article's earlier states, oldest first (empty if it never changed)."""
        return ArticleStore(self.engine).versions(article_id)

    # --- summaries ---------------------------------------------------------------------------

    def stats(self, site: str | None = None) -> list[SiteStats]:
        """Per-site statistics (of every site, or of ``site`` only), sorted by site name."""
        with self.engine.connect() as connection:
            return site_stats(connection, site)


def open_archive(
    database_url: str, *, full_text: FullTextChoice = "auto", batch_size: int = DEFAULT_BATCH_SIZE
) -> Archive:
    """Shorthand for :meth:`Archive.open`."""
    return Archive.open(database_url, full_text=full_text, batch_size=batch_size)


def reading_engine(database_url: str) -> Engine:
    """An engine that only reads ``database_url``.

    A SQLite file (which must exist) is opened as a ``mode=ro`` URI with ``query_only`` on and a
    busy timeout; its journal mode is left as it is (setting WAL would be a write). Each
    transaction starts with a plain ``BEGIN``, so one listing reads one consistent snapshot.
    PostgreSQL sessions are read-only (``default_transaction_read_only``); other URLs get
    :func:`newscrawl.storage.make_engine`'s engine. Raises ``ValueError`` for a missing
    file or an unsupported backend, ``sqlalchemy.exc.ArgumentError`` for a malformed URL.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return make_engine(database_url, read_only=True)
    path = sqlite_file_path(url)
    if path is None:  # in-memory, or already a file: URI
        return make_engine(database_url)
    if not path.is_file():
        raise ValueError(f"no database file at {path}")
    read_only = url.set(
        database="file:" + quote(str(path.resolve())),
        query={**url.query, "mode": "ro", "uri": "true"},
    )
    engine = create_engine(read_only)
    event.listen(engine, "connect", _configure_reader)
    event.listen(engine, "begin", _begin)
    return engine


def _configure_reader(dbapi_connection: Any, _record: Any) -> None:
    """SQLAlchemy, not the sqlite3 module, emits BEGIN; writes are refused; waits on locks."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cursor.execute("PRAGMA query_only=ON")
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _table_names(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def _full_text_index(engine: Engine, tables: set[str]) -> FullText | None:
    """``fts5`` or ``tsvector`` when the database has that full-text index, else None."""
    if engine.dialect.name == "sqlite":
        return "fts5" if FTS_TABLE in tables else None
    if engine.dialect.name != "postgresql" or ArticleRow.__tablename__ not in tables:
        return None
    with engine.connect() as connection:
        columns = inspect(connection).get_columns(ArticleRow.__tablename__)
    return "tsvector" if any(c["name"] == SEARCH_VECTOR_COLUMN for c in columns) else None


def database_error(exc: SQLAlchemyError) -> str:
    """A one-line description of a database error: the driver's message, without the SQL
    statement and documentation link SQLAlchemy adds."""
    original = getattr(exc, "orig", None)
    return str(original) if original is not None else str(exc).split("\n", 1)[0]
