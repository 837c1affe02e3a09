"""``newscrawl crawl URL | --site NAME [--sites FILE]``: run the news spider from any folder.

The same crawl as ``scrapy crawl news -a url=URL`` (or ``-a site=NAME``) inside the repository,
with newscrawl's settings (``SCRAPY_SETTINGS_MODULE=newscrawl.settings``) wherever it runs.
Scrapy's own options pass through: ``-s NAME=VALUE``, ``-a NAME=VALUE``, ``-o/-O FILE``,
``-L LEVEL``, ``--logfile FILE``, ``--nolog``. On a terminal a live status line replaces the
INFO log (``-L INFO`` brings it back, ``--no-progress`` turns the line off); off a terminal the
log is as ``scrapy crawl`` writes it. Exits with ``scrapy crawl``'s status.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SETTINGS_MODULE = "newscrawl.settings"
SPIDER = "news"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the target, the sites file and Scrapy's pass-through options."""
    parser.add_argument("url", nargs="?", metavar="URL", help="crawl this site ad hoc")
    parser.add_argument("--site", metavar="NAME", help="crawl a site from the sites file")
    parser.add_argument(
        "--sites",
        type=Path,
        metavar="FILE",
        help="the sites file (default: NEWSCRAWL_SITES_FILE, else ./sites.toml)",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no live status line, even on a terminal"
    )
    scrapy = parser.add_argument_group("Scrapy options (as for scrapy crawl)")
    scrapy.add_argument(
        "-a", dest="spider_args", action="append", default=[], metavar="NAME=VALUE",
        help="spider argument, e.g. -a max_pages=100 (repeatable)",
    )  # fmt: skip
    scrapy.add_argument(
        "-s", "--set", dest="scrapy_settings", action="append", default=[],
        metavar="NAME=VALUE", help="Scrapy setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable)",
    )  # fmt: skip
    scrapy.add_argument(
        "-o", dest="append_to", action="append", default=[], metavar="FILE",
        help="also append the items to FILE (Scrapy feed export)",
    )  # fmt: skip
    scrapy.add_argument(
        "-O", dest="overwrite", action="append", default=[], metavar="FILE",
        help="also write the items to FILE, overwriting it",
    )  # fmt: skip
    scrapy.add_argument("-L", "--loglevel", metavar="LEVEL", help="log level (default INFO)")
    scrapy.add_argument("--logfile", metavar="FILE", help="log to FILE instead of stderr")
    scrapy.add_argument("--nolog", action="store_true", help="disable logging")


def scrapy_arguments(args: argparse.Namespace, *, progress: bool) -> list[str]:
    """The ``scrapy crawl news ...`` command line (without the program name) for ``args``.

    Raises ValueError when not exactly one of URL and ``--site`` is given or a pair is not
    ``NAME=VALUE``.
    """
    if (args.url is None) == (args.site is None):
        raise ValueError("give exactly one of URL and --site NAME")
    for pair in (*args.spider_args, *args.scrapy_settings):
        if "=" not in pair or not pair.partition("=")[0].strip():
            raise ValueError(f"expected NAME=VALUE, got {pair!r}")
    target = f"url={args.url}" if args.url is not None else f"site={args.site}"
    argv = ["crawl", SPIDER, "-a", target]
    if args.sites is not None:
        argv += ["-s", f"NEWSCRAWL_SITES_FILE={args.sites.expanduser().resolve()}"]
    if progress:
        argv += ["-s", "NEWSCRAWL_PROGRESS=1"]
        if args.loglevel is None:
            argv += ["-L", "WARNING"]  # the status line says what INFO would
    for pair in args.spider_args:
        argv += ["-a", pair]
    for pair in args.scrapy_settings:
        argv += ["-s", pair]
    for target_file in args.append_to:
        argv += ["-o", target_file]
    for target_file in args.overwrite:
        argv += ["-O", target_file]
    if args.loglevel is not None:
        argv += ["-L", args.loglevel]
    if args.logfile is not None:
        argv += ["--logfile", args.logfile]
    if args.nolog:
        argv.append("--nolog")
    return argv


def run(args: argparse.Namespace) -> int:
    """Run the crawl in this process through Scrapy's command line; return its exit status."""
    progress = sys.stderr.isatty() and not args.no_progress and not args.nolog
    try:
        argv = scrapy_arguments(args, progress=progress)
    except ValueError as exc:
        print(f"newscrawl crawl: error: {exc}", file=sys.stderr)
        return 2
    os.environ["SCRAPY_SETTINGS_MODULE"] = SETTINGS_MODULE
    from scrapy.cmdline import execute

    try:
        execute(["scrapy", *argv])
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0
