"""``python -m newscrawl stats``: per site, what is stored and how complete it is.

For every site with articles or crawl runs: the number of articles, their publication date
range, how many have each field (published, modified, authors, tags, section, summary) and the
last crawl run. Signs of broken crawling or extraction are listed under the site with ``!``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newscrawl.commands.query import fail, one_line_errors

FIELDS_PER_LINE = 3

if TYPE_CHECKING:
    from newscrawl.archive import SiteStats
    from newscrawl.storage.records import CrawlRun


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``--site`` and ``--format``."""
    one_line_errors(parser)
    parser.add_argument("--site", help="only this site")
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="table (default) or JSON"
    )


def run(args: argparse.Namespace) -> int:
    """Print the statistics; a site that is not in the database prints nothing (exit 0)."""
    from sqlalchemy.exc import SQLAlchemyError

    from newscrawl import settings
    from newscrawl.archive import ArchiveError, open_archive
    from newscrawl.archive.archive import database_error

    try:
        with open_archive(settings.NEWSCRAWL_DATABASE_URL) as archive:
            stats = archive.stats(args.site)
    except ArchiveError as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error(exc))
    if args.format == "json":
        print(json.dumps([stats_record(site) for site in stats], ensure_ascii=False, indent=2))
    else:
        for site in stats:
            sys.stdout.write("\n".join(stats_lines(site)) + "\n\n")
    return 0


def stats_lines(stats: SiteStats) -> Iterator[str]:
    """The text block of one site."""
    from newscrawl.archive import STAT_FIELDS

    dates = (
        f", published {_day(stats.published_first)} … {_day(stats.published_last)}"
        if stats.published_first is not None
        else ""
    )
    yield f"{stats.site}: {stats.articles} articles{dates}"
    if stats.articles:
        cells = [
            f"{field:<10}{stats.with_field[field]:>7} {stats.share(field) or 0:>5.0%}"
            for field in STAT_FIELDS
        ]
        for start in range(0, len(cells), FIELDS_PER_LINE):
            yield "  " + "    ".join(cells[start : start + FIELDS_PER_LINE])
        yield f"  first seen {_minute(stats.first_seen)}, last seen {_minute(stats.last_seen)}"
    yield "  " + _run_line(stats.last_run)
    for problem in stats.problems:
        yield f"  ! {problem}"


def stats_record(stats: SiteStats) -> dict[str, Any]:
    """A JSON-ready dict of one site's statistics (``last_run`` without Scrapy's raw stats)."""
    run = stats.last_run
    return {
        "site": stats.site,
        "articles": stats.articles,
        "published_first": _iso(stats.published_first),
        "published_last": _iso(stats.published_last),
        "first_seen": _iso(stats.first_seen),
        "last_seen": _iso(stats.last_seen),
        "with_field": dict(stats.with_field),
        "last_run": None
        if run is None
        else {
            "id": run.id,
            "status": run.status,
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at),
            "pages_fetched": run.pages_fetched,
            "articles_new": run.articles_new,
            "articles_updated": run.articles_updated,
            "articles_unchanged": run.articles_unchanged,
            "articles_skipped": run.articles_skipped,
            "drops": dict(run.drops),
            "http_errors": dict(run.http_errors),
            "error": run.error,
        },
        "problems": list(stats.problems),
    }


def _run_line(run: CrawlRun | None) -> str:
    if run is None:
        return "no crawl run recorded"
    when = _minute(run.finished_at or run.started_at)
    dropped = sum(run.drops.values())
    return (
        f"last run #{run.id} {run.status} {when}: {run.pages_fetched} pages, "
        f"{run.articles_new} new, {run.articles_updated} updated, "
        f"{run.articles_unchanged} unchanged, {dropped} dropped"
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment is not None else "-"


def _minute(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "-"
