"""``newscrawl export -o FILE [--format jsonl|json|csv] [filters]``: write articles to a file.

The format follows the file's extension (``.jsonl``/``.ndjson``, ``.json``, ``.csv``); an
explicit ``--format`` that contradicts the extension is refused. Other names (and ``-o -``)
default to JSON lines.

Rows stream from the database to the file in constant memory. The file is written next to its
destination as ``FILE.partial`` and renamed when complete, so a failed export never leaves a
truncated file behind; ``-o -`` writes to stdout. Progress goes to stderr only when it is a
terminal. CSV is UTF-8, with cells that could run as spreadsheet formulas prefixed by ``'``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newscrawl.commands.query import add_filter_arguments, fail, query_from_args

if TYPE_CHECKING:
    from newscrawl.archive import Archive, ArticleQuery

EXPORT_FORMATS = ("jsonl", "json", "csv")
DEFAULT_FORMAT = "jsonl"
EXTENSION_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
PROGRESS_INTERVAL_S = 0.5
STDOUT = "-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``--format``, ``-o`` and the filters of ``query``."""
    parser.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="jsonl, json or csv (default: from the file's extension, else jsonl)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="file to write ('-': stdout)"
    )
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Export the matching articles; print ``exported N articles to FILE`` on stderr."""
    from sqlalchemy.exc import SQLAlchemyError

    from newscrawl import settings
    from newscrawl.archive import ArchiveError, QueryError, open_archive
    from newscrawl.archive.archive import database_error

    try:
        fmt = export_format(args.output, args.format)
    except ValueError as exc:
        return fail(str(exc))
    try:
        query = query_from_args(args)
        with open_archive(settings.NEWSCRAWL_DATABASE_URL) as archive:
            show_progress = sys.stderr.isatty()
            total = archive.count_query(query) if show_progress else None
            if query.limit is not None and total is not None:
                total = max(0, min(total - query.offset, query.limit))
            report = _progress_printer(total) if show_progress else None
            if args.output == STDOUT:
                written = export(archive, query, fmt, sys.stdout, report)
            else:
                written = export_to_file(archive, query, fmt, Path(args.output), report)
    except (ArchiveError, QueryError) as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error(exc))
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}")
    destination = "stdout" if args.output == STDOUT else args.output
    print(f"exported {written} articles to {destination}", file=sys.stderr)
    return 0


def export_format(output: str, requested: str | None) -> str:
    """The format to write ``output`` in: ``requested``, else the one its extension names, else
    :data:`DEFAULT_FORMAT`. Raises ValueError when ``requested`` contradicts the extension."""
    implied = EXTENSION_FORMATS.get(Path(output).suffix.lower()) if output != STDOUT else None
    if requested is not None and implied is not None and requested != implied:
        raise ValueError(
            f"--format {requested} does not match {output} (a {implied} file name): "
            f"change the extension or drop --format"
        )
    return requested or implied or DEFAULT_FORMAT


def export(
    archive: Archive,
    query: ArticleQuery,
    fmt: str,
    out: TextIO,
    report: Callable[[int, bool], None] | None = None,
) -> int:
    """Stream the articles ``query`` selects into ``out`` as ``jsonl``, ``json`` or ``csv``;
    return how many were written. ``report(count, finished)`` is called every 1000 rows and at
    the end."""
    from newscrawl.archive.formats import counting, write_csv, write_json, write_jsonl

    articles = archive.find(query)
    if report is not None:
        articles = counting(articles, report)
    if fmt == "csv":
        return write_csv(articles, out)
    if fmt == "jsonl":
        return write_jsonl(articles, out)
    if fmt == "json":
        return write_json(articles, out)
    raise ValueError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")


def export_to_file(
    archive: Archive,
    query: ArticleQuery,
    fmt: str,
    path: Path,
    report: Callable[[int, bool], None] | None = None,
) -> int:
    """:func:`export` into ``path`` (UTF-8) via ``path.partial``, renamed only on success."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            written = export(archive, query, fmt, out, report)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written


def _progress_printer(total: int | None) -> Callable[[int, bool], None]:
    """A ``report(count, finished)`` rewriting one stderr line at most every half second; the
    final call completes the line."""
    last = 0.0

    def report(count: int, finished: bool) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_INTERVAL_S and not finished:
            return
        last = now
        of_total = f"/{total}" if total is not None else ""
        sys.stderr.write(f"\rexporting: {count}{of_total} articles")
        if finished:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report
