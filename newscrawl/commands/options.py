"""Options shared by every command: ``--db PATH_OR_URL``.

A plain path means a SQLite file (made absolute, so crawl subprocesses started elsewhere use
the same file); anything that looks like a URL (``scheme://...``) is passed through as a
SQLAlchemy URL. The choice is put where every component reads it: the
``NEWSCRAWL_DATABASE_URL`` environment variable (inherited by crawl subprocesses) and
:mod:`newscrawl.settings` if it is already imported.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

DATABASE_ENV = "NEWSCRAWL_DATABASE_URL"
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """Register ``--db`` on ``parser`` (its default leaves an outer parser's value alone)."""
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="the database: a SQLite file path, or a SQLAlchemy URL such as "
        "postgresql+psycopg://user@host/db (default: NEWSCRAWL_DATABASE_URL, "
        "else newscrawl.db in the current folder)",
    )


def database_url(value: str) -> str:
    """The SQLAlchemy URL for a ``--db`` value: a URL as is, a path as an absolute SQLite URL."""
    if _URL_RE.match(value):
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def use_database(value: str | None) -> str | None:
    """Make ``--db value`` the database of this process and its children; returns the URL
    (None, and nothing changes, without a value)."""
    if not value:
        return None
    url = database_url(value)
    os.environ[DATABASE_ENV] = url
    settings = sys.modules.get("newscrawl.settings")
    if settings is not None:
        settings.NEWSCRAWL_DATABASE_URL = url  # type: ignore[attr-defined]
    return url
