"""``python -m newscrawl browse``: browse and search the SQLite database in Datasette.

Runs ``datasette serve DB --metadata M --host HOST --port PORT`` on the database of
``NEWSCRAWL_DATABASE_URL`` with newscrawl's metadata (full-text search box, facets on site,
section, language and tags in ``articles_view``). Datasette is an optional extra:
``pip install -r requirements-browse.txt``. It reads the file while crawls keep writing to it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from newscrawl.commands.query import fail, non_negative_int, one_line_errors

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
REQUIRED_VIEW = "articles_view"


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
    """Serve the database with Datasette until interrupted; return Datasette's exit status."""
    from sqlalchemy import make_url

    from newscrawl import settings
    from newscrawl.datasette import metadata_for
    from newscrawl.storage.engine import sqlite_file_path

    url = make_url(settings.NEWSCRAWL_DATABASE_URL)
    path = sqlite_file_path(url) if url.get_backend_name() == "sqlite" else None
    if path is None:
        return fail(f"Datasette needs a SQLite database file, not {url.render_as_string()}")
    if not path.is_file():
        return fail(f"no database file at {path}: crawl into it first")
    metadata = metadata_for(path)
    if args.print_metadata:
        print(json.dumps(metadata, ensure_ascii=False, indent=2))
        return 0
    if importlib.util.find_spec("datasette") is None:
        return fail("Datasette is not installed: pip install -r requirements-browse.txt")
    if not _has_view(path, REQUIRED_VIEW):
        print(
            f"warning: {path} has no {REQUIRED_VIEW} (tag facets): "
            "run `python -m newscrawl db upgrade`",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="newscrawl-browse-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
        command = datasette_command(path, metadata_file, args.host, args.port)
        print(f"serving {path} at http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
        try:
            return subprocess.run(command, check=False).returncode
        except KeyboardInterrupt:  # Datasette got the same SIGINT and is shutting down
            return 130


def datasette_command(database: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    """The ``datasette serve`` command line for ``database`` with ``metadata_file``."""
    return [
        sys.executable, "-m", "datasette", "serve", str(database),
        "--metadata", str(metadata_file), "--host", host, "--port", str(port),
    ]  # fmt: skip


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
