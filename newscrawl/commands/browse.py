"""``newscrawl browse``: read and search the SQLite archive in the browser (Datasette).

Serves the database of ``NEWSCRAWL_DATABASE_URL`` with newscrawl's Datasette setup
(:mod:`newscrawl.datasette`): the home page has a search box and the newest articles, the
article list (``articles_view``) has facets on site, section, tags, authors and language, and an
article's page shows its text, dates, tags and earlier versions. Datasette is the optional
``browse`` extra; it reads SQLite files only, so a PostgreSQL archive is refused with one line.

Datasette runs inside this process (no child process, no temporary files): SIGINT or SIGTERM
stops the server gracefully and the command exits 130 or 143. It reads the file while crawls keep
writing to it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import socket
import sqlite3
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from newscrawl.commands.query import fail, non_negative_int, one_line_errors

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
REQUIRED_VIEW = "articles_view"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``--host``, ``--port`` and ``--print-metadata``."""
    one_line_errors(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=non_negative_int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--print-metadata",
        action="store_true",
        help="print the Datasette metadata for this database and exit",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the database until SIGINT/SIGTERM; 1 with one line on stderr if it cannot."""
    from sqlalchemy import make_url

    from newscrawl import settings
    from newscrawl.datasette import metadata_for
    from newscrawl.storage.engine import sqlite_file_path

    url = make_url(settings.NEWSCRAWL_DATABASE_URL)
    path = sqlite_file_path(url) if url.get_backend_name() == "sqlite" else None
    if path is None:
        return fail(
            f"browse serves SQLite files only (Datasette cannot read {url.get_backend_name()}): "
            f"{url.render_as_string()}; use query, show or export on this database"
        )
    if not path.is_file():
        return fail(f"no database file at {path}: crawl into it first")
    metadata = metadata_for(path)
    if args.print_metadata:
        print(json.dumps(metadata, ensure_ascii=False, indent=2))
        return 0
    if importlib.util.find_spec("datasette") is None:
        return fail("Datasette is not installed: pip install 'newscrawl[browse]'")
    if not _has_view(path, REQUIRED_VIEW):
        return fail(f"{path} has no {REQUIRED_VIEW}: run `newscrawl db upgrade --db {path}` first")
    behind = _schema_behind(url.render_as_string(hide_password=False))
    if behind:
        print(f"warning: {path}: {behind}", file=sys.stderr)
    problem = _port_problem(args.host, args.port)
    if problem:
        return fail(problem)
    return serve(path, metadata, args.host, args.port)


class _Stopped(Exception):
    """SIGINT or SIGTERM arrived (raised by the handler :func:`serve` installs)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, _frame: FrameType | None) -> None:
    raise _Stopped(signum)


def serve(database: Path, metadata: dict[str, Any], host: str, port: int) -> int:
    """Run Datasette with newscrawl's plugin and templates on ``host:port`` in this process.

    Returns when the server stopped: 128 + the signal number after SIGINT (130) or SIGTERM
    (143). While serving, uvicorn handles both (a graceful shutdown) and then re-raises the signal
    to the handler installed here, which ends the command; before that the handler ends it
    directly.
    """
    import asyncio

    import uvicorn
    from datasette.app import Datasette

    from newscrawl.datasette import TEMPLATE_DIR, register_plugin

    previous = {signum: signal.signal(signum, _raise_stopped) for signum in STOP_SIGNALS}
    try:
        register_plugin()
        app = Datasette([str(database)], metadata=metadata, template_dir=str(TEMPLATE_DIR))
        asyncio.run(app.invoke_startup())
        print(f"serving {database} at http://{host}:{port}/", file=sys.stderr, flush=True)
        uvicorn.run(app.app(), host=host, port=port, log_level="warning", lifespan="on")
    except _Stopped as stopped:
        return 128 + stopped.signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served (in use, bad address), or None if it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot serve on {host}: {exc.strerror or exc}"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return f"cannot serve on {host}:{port}: {exc.strerror or exc}"
    return None


def _schema_behind(database_url: str) -> str | None:
    """Why the database's schema is older than the code's (read-only check), or None."""
    from newscrawl.storage.engine import make_engine, schema_status

    engine = make_engine(database_url, read_only=True)
    try:
        status = schema_status(engine)
    finally:
        engine.dispose()
    if status.is_current:
        return None
    return (
        f"schema revision {status.current} is older than {status.head}, so some pages show "
        "older columns; run `newscrawl db upgrade` on it"
    )


def _has_view(path: Path, name: str) -> bool:
    """Whether the SQLite file has the view ``name`` (opened read-only)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?", (name,)
        ).fetchone()
    finally:
        connection.close()
    return row is not None
