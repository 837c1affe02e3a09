"""``newscrawl schedule [--sites FILE] [--once] [-s KEY=VALUE ...]``: recurring crawls.

Without ``--once`` it runs in the foreground and starts each scheduled site's crawl when due,
until SIGTERM or SIGINT (see :mod:`newscrawl.scheduler`). With ``--once`` it crawls the sites
that are due now and exits: 0 when every crawl it started finished, 1 when one failed or was
killed, 2 when the sites file or the database is not usable (nothing runs then). Meant for cron
and systemd timers; see ``deploy/``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``--sites``, ``--once`` and ``--set``."""
    parser.add_argument(
        "--sites",
        type=Path,
        default=None,
        metavar="FILE",
        help="the sites file (default: NEWSCRAWL_SITES_FILE, else sites.toml in the project)",
    )
    parser.add_argument(
        "--once", action="store_true", help="crawl the sites that are due now, then exit (cron)"
    )
    parser.add_argument(
        "-s",
        "--set",
        dest="crawl_settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Scrapy setting for every crawl (repeatable), e.g. -s LOG_LEVEL=WARNING",
    )


def parse_settings(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    """``["KEY=VALUE", ...]`` → pairs; raises ValueError naming a malformed entry."""
    parsed = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"expected KEY=VALUE, got {pair!r}")
        parsed.append((key.strip(), value))
    return tuple(parsed)


def run(args: argparse.Namespace) -> int:
    """Validate the sites file and the database, then schedule (or run what is due once)."""
    from newscrawl import settings
    from newscrawl.dispatch import parse_urls
    from newscrawl.scheduler import CrawlScheduler, SchedulerOptions, scheduled_sites
    from newscrawl.sites import SitesFileError, load_sites
    from newscrawl.storage import ArticleStore, SchemaError, ensure_schema, make_engine

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    sites_file = (args.sites or Path(settings.NEWSCRAWL_SITES_FILE)).resolve()
    try:
        crawl_settings = parse_settings(args.crawl_settings)
        if not sites_file.is_file():
            raise SitesFileError(f"sites file not found: {sites_file}")
        sites = scheduled_sites(load_sites(sites_file))
        if not sites:
            raise SitesFileError(f"{sites_file}: no site has a schedule")
    except (SitesFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        engine = make_engine(settings.NEWSCRAWL_DATABASE_URL)
        ensure_schema(engine)
    except (SchemaError, ValueError) as exc:
        print(f"error: database not usable: {exc}", file=sys.stderr)
        return 2
    # Each crawl is a `scrapy crawl news` subprocess: newscrawl's settings module makes it work
    # from any folder (an installed package has no scrapy.cfg next to it).
    os.environ["SCRAPY_SETTINGS_MODULE"] = "newscrawl.settings"
    in_checkout = (settings.PROJECT_ROOT / "scrapy.cfg").is_file()
    options = SchedulerOptions(
        sites_file=sites_file,
        project_root=settings.PROJECT_ROOT if in_checkout else Path.cwd(),
        grace=settings.NEWSCRAWL_SCHEDULER_GRACE,
        kill_after=settings.NEWSCRAWL_SCHEDULER_KILL_AFTER,
        lock_ttl=settings.NEWSCRAWL_LOCK_TTL,
        max_crawls=max(1, settings.NEWSCRAWL_SCHEDULER_MAX_CRAWLS),
        crawl_settings=crawl_settings,
        scrapyd_urls=parse_urls(settings.NEWSCRAWL_SCRAPYD_URLS),
        time_limit=settings.NEWSCRAWL_TIME_LIMIT,
    )
    logger.info(
        "%s: %d scheduled site(s): %s",
        sites_file,
        len(sites),
        ", ".join(f"{site.name} ({site.schedule.describe()})" for site in sites if site.schedule),
    )
    try:
        scheduler = CrawlScheduler(options, sites, ArticleStore(engine))
        return scheduler.run_once() if args.once else scheduler.run_forever()
    finally:
        engine.dispose()
