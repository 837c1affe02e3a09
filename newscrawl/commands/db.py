"""``newscrawl db upgrade|status``: the database schema (Alembic owns it).

``upgrade`` is the same as ``alembic upgrade head`` with the project's database URL; a crawl
also upgrades an unmigrated database by itself.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``upgrade`` and ``status``."""
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    sub.add_parser("upgrade", help="migrate the database to the current schema")
    sub.add_parser("status", help="show the database's schema revision and the current one")


def run(args: argparse.Namespace) -> int:
    """Upgrade or report; exit 1 when the database is behind (status) or cannot migrate."""
    from newscrawl import settings
    from newscrawl.storage import SchemaError, make_engine, migrate, schema_status

    url = settings.NEWSCRAWL_DATABASE_URL
    engine = make_engine(url)
    try:
        if args.db_command == "upgrade":
            try:
                migrate(engine)
            except SchemaError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
        status = schema_status(engine)
        state = "up to date" if status.is_current else "behind: run `newscrawl db upgrade`"
        print(f"{url}: revision {status.current or '(none)'}, current {status.head} ({state})")
        return 0 if status.is_current else 1
    finally:
        engine.dispose()
