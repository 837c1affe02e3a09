"""``python -m newscrawl runs [--site NAME] [--limit N]``: the crawl run history as a table.

Before listing, runs still marked ``running`` whose process is gone on this host are marked
``failed`` (a crawl killed with SIGKILL cannot record its own end).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from newscrawl.storage.records import CrawlRun

COLUMNS = (
    "id",
    "site",
    "status",
    "started (UTC)",
    "duration",
    "pages",
    "new",
    "updated",
    "unchanged",
    "skipped",
    "http errors",
    "drops",
)
RIGHT_ALIGNED = frozenset({"id", "pages", "new", "updated", "unchanged", "skipped", "http errors"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``--site`` and ``--limit``."""
    parser.add_argument("--site", default=None, help="only runs of this site")
    parser.add_argument(
        "--limit", type=int, default=20, help="how many of the newest runs (default 20)"
    )


def format_duration(run: CrawlRun, now: datetime) -> str:
    """``42s``, ``3m05s``, ``1h02m``; a running crawl's time so far ends in ``…``."""
    end = run.finished_at or now
    seconds = max(0, int((end - run.started_at).total_seconds()))
    if seconds < 60:
        text = f"{seconds}s"
    elif seconds < 3600:
        text = f"{seconds // 60}m{seconds % 60:02d}s"
    else:
        text = f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return text if run.finished_at else text + "…"


def format_counts(counts: dict[str, int]) -> str:
    """``NotAnArticle:71 MissingBody:2`` (largest first), or ``-`` when empty."""
    items = sorted(counts.items(), key=lambda kv: (-int(kv[1]), kv[0]))
    return " ".join(f"{name}:{count}" for name, count in items) or "-"


def run_row(run: CrawlRun, now: datetime) -> list[str]:
    """One table row of ``run``, in COLUMNS order."""
    return [
        str(run.id),
        run.site,
        run.status,
        run.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        format_duration(run, now),
        str(run.pages_fetched),
        str(run.articles_new),
        str(run.articles_updated),
        str(run.articles_unchanged),
        str(run.articles_skipped),
        str(sum(int(v) for v in run.http_errors.values())),
        format_counts(run.drops),
    ]


def render_table(runs: Sequence[CrawlRun], now: datetime) -> list[str]:
    """The runs as aligned text lines: a header, one line per run, and an ``error:`` line under
    each run that ended with one."""
    rows = [run_row(run, now) for run in runs]
    widths = [max(len(cell) for cell in column) for column in zip(COLUMNS, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if name in RIGHT_ALIGNED else cell.ljust(width)
            for name, cell, width in zip(COLUMNS, cells, widths, strict=True)
        ).rstrip()

    lines = [line(COLUMNS)]
    for run, row in zip(runs, rows, strict=True):
        lines.append(line(row))
        if run.error and run.status != "running":
            lines.append(" " * (widths[0] + 2) + f"error: {run.error}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the newest runs; 0 even when there are none, 1 when the database is not usable."""
    from sqlalchemy.exc import SQLAlchemyError

    from newscrawl import settings
    from newscrawl.storage import ArticleStore, SchemaError, ensure_schema, make_engine
    from newscrawl.storage.records import MAX_SQL_INTEGER

    if args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    if args.limit > MAX_SQL_INTEGER:
        print(f"error: --limit must be at most {MAX_SQL_INTEGER}", file=sys.stderr)
        return 2
    try:
        engine = make_engine(settings.NEWSCRAWL_DATABASE_URL)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        ensure_schema(engine)
        store = ArticleStore(engine)
        store.mark_dead_runs_failed()
        runs = store.list_runs(site=args.site, limit=args.limit)
    except (SchemaError, SQLAlchemyError) as exc:
        print(f"error: database not usable: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if not runs:
        print("no crawl runs" + (f" of site {args.site!r}" if args.site else ""))
        return 0
    for text in render_table(runs, datetime.now(UTC)):
        print(text)
    return 0
