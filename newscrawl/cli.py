"""Command-line entry point: ``newscrawl COMMAND ...`` (also ``python -m newscrawl``).

Each command lives in its own module under :mod:`newscrawl.commands` and is imported only when
it runs, so a quick command never pays for the heavy imports of another. Every command (and
every sub-action, such as ``demo run``) takes ``--db PATH_OR_URL``
(:func:`newscrawl.commands.options.use_database`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newscrawl import __version__
from newscrawl.commands.options import add_db_argument, use_database

DESCRIPTION = (
    "newscrawl: crawl news sites into one clean, normalized record per article, "
    "and query the archive."
)
EPILOG = "Run 'newscrawl COMMAND --help' for a command's options."

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "crawl": (
        "newscrawl.commands.crawl",
        "crawl a site (a URL, or --site NAME from the sites file) into the database",
    ),
    "extract": ("newscrawl.commands.extract", "print what newscrawl would store for pages (JSONL)"),
    "evaluate": (
        "newscrawl.commands.evaluate",
        "score extraction on a corpus folder (gold.jsonl + pages)",
    ),
    "demo": ("newscrawl.commands.demo", "serve or crawl the bundled demo news site"),
    "db": ("newscrawl.commands.db", "database schema: upgrade to the current version, show status"),
    "runs": ("newscrawl.commands.runs", "the crawl run history: status, counts, drops per run"),
    "schedule": (
        "newscrawl.commands.schedule",
        "run scheduled crawls from the sites file (foreground, or --once for cron)",
    ),
    "query": (
        "newscrawl.commands.query",
        "list stored articles: filters, full-text search, formats",
    ),
    "show": (
        "newscrawl.commands.show",
        "one stored article in full, with dates, sources, versions",
    ),
    "export": (
        "newscrawl.commands.export",
        "stream matching articles to a JSONL, JSON or CSV file",
    ),
    "stats": ("newscrawl.commands.stats", "per-site article counts, field coverage and last run"),
    "browse": ("newscrawl.commands.browse", "browse and search the database in Datasette"),
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, str]]:
    """The top-level parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(prog="newscrawl", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules: dict[str, str] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        for each in _with_sub_actions(command_parser):
            add_db_argument(each)
        modules[name] = module_name
    return parser, modules


def _with_sub_actions(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and the parsers of its sub-actions (``demo run``, ``db upgrade``, ...)."""
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                parsers += _with_sub_actions(child)
    return parsers


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the process exit status."""
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    use_database(getattr(args, "db", None))
    module = importlib.import_module(modules[args.command])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `... | head`
        sys.stderr.close()
        return 0
