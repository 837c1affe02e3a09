"""Alembic environment for newscrawl.

Where the database comes from, first match wins:

1. ``config.attributes["connection"]``: a SQLAlchemy Connection passed in code
   (:func:`newscrawl.storage.engine.migrate` does this);
2. the ``sqlalchemy.url`` main option, when a caller set one programmatically;
3. ``NEWSCRAWL_DATABASE_URL`` from :mod:`newscrawl.settings` (the ``alembic`` CLI; alembic.ini
   carries no URL).

Online migrations run in one transaction that excludes concurrent migrations
(:func:`newscrawl.storage.engine.migration_transaction`). The SQLite FTS5 index and its shadow
tables are hand-written in the migration and hidden from autogenerate / ``alembic check``.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Literal

from alembic import context
from sqlalchemy import Connection

from newscrawl import settings
from newscrawl.storage.engine import make_engine, migration_transaction
from newscrawl.storage.models import Base, UTCDateTime, is_full_text_object

config = context.config

if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Hide the hand-written full-text objects (SQLite FTS5 tables, PostgreSQL search_vector)."""
    return not is_full_text_object(name, type_)


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Render ``UTCDateTime`` as a plain timestamptz, so revisions never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def database_url() -> str:
    """The URL set on the config in code, else NEWSCRAWL_DATABASE_URL from the settings."""
    url = config.get_main_option("sqlalchemy.url")
    return url or settings.NEWSCRAWL_DATABASE_URL


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Emit the migration SQL for the configured URL (``alembic upgrade head --sql``)."""
    _configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_online(connection: Connection) -> None:
    with migration_transaction(connection):
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the given connection, or through a new engine for the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_online(connection)
        return
    engine = make_engine(database_url())
    try:
        with engine.connect() as own_connection:
            _run_online(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
