"""``newscrawl query``: list stored articles matching filters, as a table or data.

Filters combine with AND: ``--site``, ``--tag``, ``--section``, ``--author``, ``--lang``,
``--since``/``--until`` (publication date, ISO 8601; a date alone means the whole day, no offset
means UTC) and ``--search`` (full text over headline, summary and body). Unknown sites or tags
simply match nothing. Invalid values exit with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from newscrawl.archive import ArticleQuery

SORT_CHOICES = ("published", "relevance", "first_seen")
QUERY_FORMATS = ("table", "json", "jsonl", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the filters, ``--format`` and ``--count``."""
    add_filter_arguments(parser)
    parser.add_argument(
        "--format",
        choices=QUERY_FORMATS,
        default="table",
        help="output: a table fitting the terminal (default), a JSON array, JSON lines or CSV",
    )
    parser.add_argument(
        "--count", action="store_true", help="print only the number of matching articles"
    )


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter, sort and window options shared by ``query`` and ``export``.

    Also makes the parser report errors as one line (``prog: error: ...``) without the usage.
    """
    one_line_errors(parser)
    group = parser.add_argument_group("filters")
    group.add_argument(
        "--site", help="site name (as in sites.toml, or the host of an ad-hoc crawl)"
    )
    group.add_argument("--tag", help="tag (case-insensitive)")
    group.add_argument("--section", help="section (case-insensitive)")
    group.add_argument("--author", help="author (case-insensitive)")
    group.add_argument("--lang", help="language code, e.g. en (also matches en-GB)")
    group.add_argument(
        "--since", type=since_date, metavar="DATE", help="published at or after (ISO 8601)"
    )
    group.add_argument(
        "--until", type=until_date, metavar="DATE", help="published at or before (ISO 8601)"
    )
    group.add_argument(
        "--search",
        metavar="TEXT",
        help='full text: all words must occur; "quoted phrase", word* for a prefix, a OR b',
    )
    window = parser.add_argument_group("order and window")
    window.add_argument(
        "--sort",
        choices=SORT_CHOICES,
        help="newest published (default), relevance (default with --search), newest first seen",
    )
    window.add_argument("--limit", type=non_negative_int, metavar="N", help="at most N articles")
    window.add_argument(
        "--offset", type=non_negative_int, default=0, metavar="N", help="skip the first N"
    )


def one_line_errors(parser: argparse.ArgumentParser) -> None:
    """Make ``parser`` report a usage error as the single line ``prog: error: MESSAGE`` (exit 2)."""

    def error(message: str) -> NoReturn:
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    parser.error = error  # type: ignore[method-assign]


def since_date(text: str) -> datetime:
    """argparse type: an ISO date/datetime as the start of a range (a date: its midnight UTC)."""
    return _parse_date(text, end_of_day=False)


def until_date(text: str) -> datetime:
    """argparse type: an ISO date/datetime as the end of a range (a date: its last instant)."""
    return _parse_date(text, end_of_day=True)


def non_negative_int(text: str) -> int:
    """argparse type: an integer from 0 to the largest the database can bind."""
    from newscrawl.storage.records import MAX_SQL_INTEGER

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    if value > MAX_SQL_INTEGER:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SQL_INTEGER}, got {value}")
    return value


def _parse_date(text: str, *, end_of_day: bool) -> datetime:
    from newscrawl.archive.filters import QueryError, parse_when

    try:
        return parse_when(text, end_of_day=end_of_day)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def query_from_args(args: argparse.Namespace) -> ArticleQuery:
    """The :class:`ArticleQuery` of the parsed filter options."""
    from newscrawl.archive import ArticleQuery

    return ArticleQuery(
        site=args.site,
        tag=args.tag,
        section=args.section,
        author=args.author,
        lang=args.lang,
        since=args.since,
        until=args.until,
        search=args.search if args.search and args.search.strip() else None,
        sort=args.sort,
        limit=args.limit,
        offset=args.offset,
    )


def fail(message: str) -> int:
    """Print ``error: MESSAGE`` (one line) on stderr; return exit status 1."""
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    """Print the matching articles (or their number) in the chosen format."""
    from sqlalchemy.exc import SQLAlchemyError

    from newscrawl import settings
    from newscrawl.archive import ArchiveError, QueryError, open_archive
    from newscrawl.archive.archive import database_error
    from newscrawl.archive.formats import table_lines, write_csv, write_json, write_jsonl

    try:
        query = query_from_args(args)
        with open_archive(settings.NEWSCRAWL_DATABASE_URL) as archive:
            if args.count:
                print(archive.count_query(query))
                return 0
            articles = archive.find(query)
            out = sys.stdout
            if args.format == "table":
                width = shutil.get_terminal_size().columns
                # on a terminal long cells are cut to one line; piped, they wrap (nothing lost)
                for line in table_lines(articles, width, wrap=not out.isatty()):
                    out.write(line + "\n")
            elif args.format == "json":
                write_json(articles, out)
            elif args.format == "jsonl":
                write_jsonl(articles, out)
            else:
                if isinstance(out, io.TextIOWrapper):
                    out.reconfigure(newline="")  # the csv module writes its own line endings
                write_csv(articles, out)
            out.flush()
    except (ArchiveError, QueryError) as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error(exc))
    return 0
