"""Engines and schema migration for SQLite and PostgreSQL.

Decision: Alembic owns the schema. A crawl checks it with :func:`check_schema`; when automatic
migration is on (``NEWSCRAWL_AUTO_MIGRATE``, by default for SQLite), :func:`ensure_schema` runs ``alembic upgrade head`` when the database is behind. It is
safe when several processes start at once on a fresh SQLite file: the migration runs in one
``BEGIN IMMEDIATE`` transaction (a transaction-scoped advisory lock on PostgreSQL), so the others
wait and then find the schema at head; a lost race is caught and re-checked. If the database still
is not at head afterwards (a failed migration, or a revision this code does not know), it raises
:class:`SchemaError`, whose message tells the operator to run ``alembic upgrade head``.

SQLite engines get WAL, a 30 s busy timeout, enforced foreign keys and ``synchronous=NORMAL``.
SQLAlchemy, not the sqlite3 module, emits ``BEGIN``, so transactions are real; a transaction on an
engine from :func:`writing` starts with ``BEGIN IMMEDIATE`` and so never fails with "database is
locked" when it upgrades from reading to writing. A new database file is created with mode 0o600.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from newscrawl import settings as _settings

logger = logging.getLogger(__name__)


def _migrations_dir() -> Path:
    """The Alembic folder: the installed package's copy (``newscrawl/migrations``, see setup.py),
    else the source checkout's top-level ``migrations/``."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "migrations"
    return installed if (installed / "env.py").is_file() else package.parent / "migrations"


MIGRATIONS_DIR = _migrations_dir()
SUPPORTED_BACKENDS = frozenset({"sqlite", "postgresql"})
# How long a SQLite write waits for another connection's lock (NEWSCRAWL_SQLITE_BUSY_TIMEOUT).
SQLITE_BUSY_TIMEOUT_MS = int(_settings.NEWSCRAWL_SQLITE_BUSY_TIMEOUT * 1000)
# libpq waits forever for an unreachable host by default; a URL's ?connect_timeout= wins.
PG_CONNECT_TIMEOUT_S = 10
PG_READ_ONLY_OPTION = "-c default_transaction_read_only=on"
DB_FILE_MODE = 0o600
# Execution option read by the SQLite "begin" hook: "DEFERRED" (default) or "IMMEDIATE".
SQLITE_BEGIN_OPTION = "newscrawl_sqlite_begin"
_BEGIN_STATEMENTS = {"DEFERRED": "BEGIN", "IMMEDIATE": "BEGIN IMMEDIATE"}
# pg_advisory_xact_lock key serializing concurrent migrations on PostgreSQL ("news" in ASCII).
_PG_MIGRATION_LOCK_KEY = 0x6E657773
_UPGRADE_HINT = (
    "run `newscrawl db upgrade --db URL` (or `alembic upgrade head` from the project root, "
    "with NEWSCRAWL_DATABASE_URL set)"
)


class SchemaError(RuntimeError):
    """The database schema is not at the revision this code needs and could not be migrated."""


class SchemaStatus(NamedTuple):
    """The database's Alembic revision (None: never migrated) and the newest revision in code."""

    current: str | None
    head: str | None

    @property
    def is_current(self) -> bool:
        """True when the database is at head."""
        return self.current == self.head


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL.

    For a SQLite file, the parent directory is created and a new file gets mode 0o600 before the
    driver opens it (an existing file's mode is left alone); connections get WAL, busy_timeout,
    foreign_keys=ON and synchronous=NORMAL. PostgreSQL engines ping pooled connections before use
    and give up connecting after :data:`PG_CONNECT_TIMEOUT_S`, and NUL characters are dropped from
    the string parameters they bind (PostgreSQL text cannot hold one); with ``read_only`` their sessions
    refuse writes (``default_transaction_read_only``; SQLite readers use
    :func:`newscrawl.archive.archive.reading_engine`). Raises ``ValueError`` for other
    backends.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ValueError(f"unsupported database {backend!r}: newscrawl needs SQLite or PostgreSQL")
    if backend == "postgresql":
        connect_args: dict[str, Any] = (
            {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        )
        if read_only:
            options = str(parsed.query.get("options", ""))
            connect_args["options"] = f"{options} {PG_READ_ONLY_OPTION}".strip()
        engine = create_engine(
            parsed, pool_pre_ping=True, json_serializer=_json_dumps, connect_args=connect_args
        )
        event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
        return engine
    path = sqlite_file_path(parsed)
    if path is not None:
        _create_private_file(path)
    engine = create_engine(parsed, json_serializer=_json_dumps)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def writing(engine: Engine) -> Engine:
    """The same engine (same pool) whose SQLite transactions start with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})


def insert_for(connection: Connection, model: Any) -> sqlite.Insert | postgresql.Insert:
    """A dialect-specific ``INSERT`` (with ``on_conflict_do_*``) for the connection's backend."""
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite.insert(model)
    if name == "postgresql":
        return postgresql.insert(model)
    raise ValueError(f"unsupported database {name!r}: newscrawl needs SQLite or PostgreSQL")


def sqlite_file_path(url: URL) -> Path | None:
    """The file a SQLite URL points to, or None for in-memory and ``file:`` URI databases."""
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri") in ("true", "1"):
        return None
    return Path(database)


def _create_private_file(path: Path) -> None:
    """Create ``path`` (and its parent) with mode 0o600 unless it exists; never touch an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.touch(mode=DB_FILE_MODE, exist_ok=False)
    except FileExistsError:
        return
    path.chmod(DB_FILE_MODE)  # touch() honours the umask; make the new file exactly 0o600


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite setup; SQLAlchemy (not sqlite3) will emit BEGIN from now on."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    """Emit BEGIN, or BEGIN IMMEDIATE when the connection carries that execution option."""
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(_BEGIN_STATEMENTS[mode])


def _without_nul(
    _connection: Any,
    _cursor: Any,
    statement: str,
    parameters: Any,
    _context: Any,
    _executemany: bool,
) -> tuple[str, Any]:
    """PostgreSQL text cannot hold NUL, and binding one fails: drop NUL from string parameters.

    Stored text never has one (items lose control characters at the boundary), so a lookup with
    a NUL in it (a hostile ``--site``) simply finds nothing that equals it, as on SQLite.
    """

    def clean(value: Any) -> Any:
        return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value

    def clean_set(values: Any) -> Any:
        if isinstance(values, dict):
            return {key: clean(value) for key, value in values.items()}
        if isinstance(values, tuple | list):
            return type(values)(clean(value) for value in values)
        return values

    if isinstance(parameters, list) and parameters and isinstance(parameters[0], dict | tuple):
        return statement, [clean_set(values) for values in parameters]
    return statement, clean_set(parameters)


def _json_dumps(value: Any) -> str:
    """JSON for JSON columns: UTF-8 text kept readable (no \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- migrations -------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for ``migrations/`` that works from any working directory.

    With ``connection``, ``migrations/env.py`` migrates through it instead of opening its own.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def migration_transaction(connection: Connection) -> Iterator[None]:
    """Run the block as one transaction that excludes concurrent migrations; commit at the end.

    SQLite: foreign-key enforcement is off for the block (so batch table rebuilds cannot cascade
    deletes), legacy ALTER TABLE behaviour is on (so a rebuild by copy, drop and rename does not
    fail on views such as ``articles_view`` that read the table), the transaction starts with
    BEGIN IMMEDIATE, and ``PRAGMA foreign_key_check`` must pass before commit. PostgreSQL: a transaction-scoped advisory lock is taken first.
    """
    if connection.in_transaction():  # the caller owns the transaction (and its locking)
        yield
        return
    if connection.dialect.name == "postgresql":
        with connection.begin():
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY}
            )
            yield
        return
    if connection.dialect.name != "sqlite":
        with connection.begin():
            yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    previous = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    driver.execute("PRAGMA foreign_keys=OFF")
    driver.execute("PRAGMA legacy_alter_table=ON")
    try:
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        with connection.begin():
            yield
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise SchemaError(f"migration left foreign-key violations: {violations[:5]}")
    finally:
        connection.execution_options(**{SQLITE_BEGIN_OPTION: previous})
        driver.execute("PRAGMA legacy_alter_table=OFF")
        driver.execute("PRAGMA foreign_keys=ON")


def migrate(target: str | Engine, revision: str = "head") -> None:
    """Run ``alembic upgrade <revision>`` on a database URL or engine."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def schema_status(engine: Engine) -> SchemaStatus:
    """The database's current Alembic revision and the head revision of ``migrations/``."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaStatus(current, head)


def check_schema(engine: Engine, *, migrate: bool) -> None:
    """Make sure the database is at head: migrate it (:func:`ensure_schema`) when ``migrate``,
    else raise :class:`SchemaError` naming ``alembic upgrade head`` when it is behind."""
    if migrate:
        ensure_schema(engine)
        return
    status = schema_status(engine)
    if not status.is_current:
        raise SchemaError(
            f"database schema is at revision {status.current}, code needs {status.head} and "
            f"automatic migration is off (NEWSCRAWL_AUTO_MIGRATE); {_UPGRADE_HINT}"
        )


def ensure_schema(engine: Engine) -> None:
    """Migrate the database to head if it is behind; raise :class:`SchemaError` if that fails.

    Safe to call from several processes at once: a process that loses a migration race re-checks
    and accepts a schema another process brought to head.
    """
    status = schema_status(engine)
    if status.is_current:
        return
    logger.info("Database schema at %s, head is %s: migrating", status.current, status.head)
    try:
        migrate(engine)
    except (CommandError, DBAPIError) as exc:
        status = schema_status(engine)
        if status.is_current:
            logger.info("Another process migrated the database to %s", status.head)
            return
        raise SchemaError(
            f"database schema is at revision {status.current}, code needs {status.head}; "
            f"automatic migration failed ({exc}); {_UPGRADE_HINT}"
        ) from exc
    status = schema_status(engine)
    if not status.is_current:
        raise SchemaError(
            f"database schema is at revision {status.current} after migrating, code needs "
            f"{status.head}; {_UPGRADE_HINT}"
        )
