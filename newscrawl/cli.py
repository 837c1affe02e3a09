"""Command-line entry point: ``python -m newscrawl COMMAND ...``.

Each command lives in its own module under :mod:`newscrawl.commands` and is imported only when
it runs, so a quick command never pays for the heavy imports of another.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
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
    "export": ("newscrawl.commands.export", "stream matching articles to a JSONL or CSV file"),
    "stats": ("newscrawl.commands.stats", "per-site article counts, field coverage and last run"),
    "browse": ("newscrawl.commands.browse", "browse and search the database in Datasette"),
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, str]]:
    """The top-level parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(prog="python -m newscrawl", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules: dict[str, str] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        modules[name] = module_name
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the process exit status."""
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(modules[args.command])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `... | head`
        sys.stderr.close()
        return 0
