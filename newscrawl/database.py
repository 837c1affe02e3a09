"""One database handle per crawl: the engine, the schema check and the store, shared by every
component that needs them (the store pipeline, the incremental middleware, the run history and
the spider).

:func:`crawl_database` gives every component of a crawler the same :class:`CrawlDatabase`
(made on first request, from the crawler's settings; nothing to enable). Components call
:meth:`CrawlDatabase.open` when they first need the database (the store pipeline opens it,
before any ``spider_opened`` handler runs); it is closed once, when the engine stops, after
every component is done with it.

Schema: with ``NEWSCRAWL_AUTO_MIGRATE`` on, a database behind the code's migrations is upgraded
when the crawl opens it; off, it must already be at head (``alembic upgrade head``) or the
crawl stops at once. The default, ``auto``, migrates SQLite files (embedded, one owner) and
never a shared server database such as PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from newscrawl.storage import ArticleStore

logger = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The crawl's database cannot be opened or is not at the schema this code needs."""


def auto_migrate_enabled(setting: str | bool | None, database_url: str | None) -> bool:
    """Whether to migrate ``database_url`` automatically: ``auto`` (or unset) means SQLite only;
    a boolean-like value forces it on or off."""
    value = str(setting if setting is not None else "auto").strip().lower()
    if value == "auto":
        return (database_url or "").split(":", 1)[0].split("+", 1)[0] == "sqlite"
    return value in ("1", "true", "yes", "on")


def safe_url(database_url: str) -> str:
    """``database_url`` with its password masked (``***``), for messages and logs."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "an unparseable NEWSCRAWL_DATABASE_URL"


def unavailable_message(database_url: str, exc: BaseException) -> str:
    """One line naming the database (password masked) and why it cannot be used: the driver's
    own message, without the SQL and documentation link SQLAlchemy adds."""
    reason = str(getattr(exc, "orig", None) or exc)
    if getattr(exc, "orig", None) is None and "\n[SQL:" in reason:
        reason = reason.split("\n[SQL:", 1)[0]
    reason = reason.split("\n(Background on this error", 1)[0]
    try:
        from sqlalchemy import make_url

        password = make_url(database_url).password
    except Exception:  # noqa: BLE001 - an unparseable URL: mask the whole URL instead
        password = database_url
    if password:
        reason = reason.replace(str(password), "***")
    return f"cannot use the database {safe_url(database_url)}: {' '.join(reason.split())}"


class CrawlDatabase:
    """The crawl's engine and :class:`~newscrawl.storage.ArticleStore`, opened once, lazily."""

    def __init__(self, database_url: str | None, *, auto_migrate: bool) -> None:
        self.database_url = database_url
        self.auto_migrate = auto_migrate
        self._engine: Engine | None = None
        self._store: ArticleStore | None = None
        self._error: DatabaseUnavailable | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = crawler.settings.get("NEWSCRAWL_DATABASE_URL")
        database = cls(
            url,
            auto_migrate=auto_migrate_enabled(crawler.settings.get("NEWSCRAWL_AUTO_MIGRATE"), url),
        )
        crawler.signals.connect(database.close, signal=signals.engine_stopped)
        return database

    def open(self) -> ArticleStore:
        """The store, opening the engine and checking (or migrating) the schema on first call.

        Raises :class:`DatabaseUnavailable` (every call, once it failed) when the database cannot
        be opened or is not at head.
        """
        if self._store is not None:
            return self._store
        if self._error is not None:
            raise self._error
        if not self.database_url:
            self._error = DatabaseUnavailable("NEWSCRAWL_DATABASE_URL is not set")
            raise self._error
        from sqlalchemy.exc import SQLAlchemyError

        from newscrawl.storage import ArticleStore, SchemaError, make_engine
        from newscrawl.storage.engine import check_schema

        try:
            self._engine = make_engine(self.database_url)
            check_schema(self._engine, migrate=self.auto_migrate)
        except (SchemaError, SQLAlchemyError, ValueError, OSError) as exc:
            self.close()
            self._error = DatabaseUnavailable(unavailable_message(self.database_url, exc))
            raise self._error from exc
        self._store = ArticleStore(self._engine)
        return self._store

    def close(self) -> None:
        """Dispose of the engine (idempotent)."""
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._store = None


_DATABASES: WeakKeyDictionary[Crawler, CrawlDatabase] = WeakKeyDictionary()


def crawl_database(crawler: Crawler) -> CrawlDatabase:
    """The crawler's one :class:`CrawlDatabase`, made from its settings on the first call."""
    database = _DATABASES.get(crawler)
    if database is None:
        database = _DATABASES[crawler] = CrawlDatabase.from_crawler(crawler)
    return database
