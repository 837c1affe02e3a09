"""Scrapy settings for newscrawl, and the one place that reads the environment.

Scrapy reads this module (``scrapy.cfg``); the CLI, Alembic and the scheduler read it through
:func:`get_project_settings`-style helpers below, so every component sees the same values.
Project keys are prefixed ``NEWSCRAWL_``; any of them can be set in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# --- newscrawl ---------------------------------------------------------------------------------
# Where articles are stored. Any SQLAlchemy URL; SQLite is the embedded default.
NEWSCRAWL_DATABASE_URL = os.environ.get("NEWSCRAWL_DATABASE_URL", "sqlite:///newscrawl.db")
# Migrate the database to the code's schema when a crawl opens it: "auto" (SQLite only), or
# 1/0. Shared server databases are migrated by hand: `alembic upgrade head`.
NEWSCRAWL_AUTO_MIGRATE = os.environ.get("NEWSCRAWL_AUTO_MIGRATE", "auto")
# The sites file (`-a site=NAME`, the scheduler): sites.toml in the source checkout, or in the
# current folder when newscrawl is installed as a package.
NEWSCRAWL_SITES_FILE = os.environ.get(
    "NEWSCRAWL_SITES_FILE",
    str(PROJECT_ROOT / "sites.toml" if (PROJECT_ROOT / "scrapy.cfg").is_file() else "sites.toml"),
)
# Link-following limits for ad-hoc crawls (`-a url=...`); a site in the sites file may override.
NEWSCRAWL_MAX_DEPTH = int(os.environ.get("NEWSCRAWL_MAX_DEPTH", "3"))
NEWSCRAWL_MAX_PAGES = int(os.environ.get("NEWSCRAWL_MAX_PAGES", "2000"))
# Record every crawl in the crawl_runs table (python -m newscrawl runs).
NEWSCRAWL_RUN_HISTORY = os.environ.get("NEWSCRAWL_RUN_HISTORY", "1").strip().lower() not in (
    "0",
    "false",
    "no",
    "off",
)
# A live status line on stderr (pages, articles, drops, pages/s, queue): `newscrawl crawl`
# turns it on when stderr is a terminal (newscrawl.extensions.CrawlProgress).
NEWSCRAWL_PROGRESS = os.environ.get("NEWSCRAWL_PROGRESS", "0").strip().lower() in (
    "1",
    "true",
    "yes",
    "on",
)
# Drop articles whose body has fewer words than this (CJK characters count as words).
NEWSCRAWL_MIN_BODY_WORDS = int(os.environ.get("NEWSCRAWL_MIN_BODY_WORDS", "40"))

# --- budgets of one crawl (tests/limits) ---------------------------------------------------------
# Wall-clock limit of one crawl in seconds (0: none); a site's `time_limit` overrides it. The
# spider turns it into CLOSESPIDER_TIMEOUT; `schedule` stops a crawl still running a minute later.
NEWSCRAWL_TIME_LIMIT = float(os.environ.get("NEWSCRAWL_TIME_LIMIT", str(4 * 3600)))
# Sitemaps read per crawl (a site's `max_sitemaps` overrides it), and bytes of sitemaps and feeds
# downloaded per crawl; index children are read newest first, and none once max_pages is met.
NEWSCRAWL_MAX_SITEMAPS = int(os.environ.get("NEWSCRAWL_MAX_SITEMAPS", "50"))
NEWSCRAWL_MAX_DISCOVERY_BYTES = int(
    os.environ.get("NEWSCRAWL_MAX_DISCOVERY_BYTES", str(200 * 1024 * 1024))
)
# Entries read from one feed; the rest of a longer feed is not parsed.
NEWSCRAWL_MAX_FEED_ITEMS = int(os.environ.get("NEWSCRAWL_MAX_FEED_ITEMS", "1000"))
# A run is `failed` when more than this share of its article writes failed (full disk, lock).
NEWSCRAWL_MAX_STORE_ERROR_RATE = float(os.environ.get("NEWSCRAWL_MAX_STORE_ERROR_RATE", "0.1"))
# How long a crawl keeps trying to record its run when the database is busy (seconds).
NEWSCRAWL_RUN_HISTORY_WAIT = float(os.environ.get("NEWSCRAWL_RUN_HISTORY_WAIT", "300"))
# SQLite busy timeout of every connection (seconds): how long a write waits for another's lock.
NEWSCRAWL_SQLITE_BUSY_TIMEOUT = float(os.environ.get("NEWSCRAWL_SQLITE_BUSY_TIMEOUT", "30"))

# --- recurring crawls ---------------------------------------------------------------------------
# Re-crawls skip stored articles outside their recrawl window (0/false/no/off: fetch everything).
NEWSCRAWL_INCREMENTAL = os.environ.get("NEWSCRAWL_INCREMENTAL", "1").strip().lower() not in (
    "0",
    "false",
    "no",
    "off",
)
# `schedule`: on SIGTERM/SIGINT running crawls get this many seconds to finish, then SIGTERM
# (their run is recorded as killed); a crawl still alive this many seconds later gets SIGKILL.
NEWSCRAWL_SCHEDULER_GRACE = float(os.environ.get("NEWSCRAWL_SCHEDULER_GRACE", "60"))
NEWSCRAWL_SCHEDULER_KILL_AFTER = float(os.environ.get("NEWSCRAWL_SCHEDULER_KILL_AFTER", "30"))
# `schedule`: at most this many crawls (of different sites) at once.
NEWSCRAWL_SCHEDULER_MAX_CRAWLS = int(os.environ.get("NEWSCRAWL_SCHEDULER_MAX_CRAWLS", "4"))
# Lease on a site while its crawl runs (seconds), renewed every third of it; a scheduler that
# dies without releasing it blocks that site for at most this long.
NEWSCRAWL_LOCK_TTL = float(os.environ.get("NEWSCRAWL_LOCK_TTL", "300"))

# --- scale-out (README "Scaling out") ------------------------------------------------------------
# `schedule`: dispatch crawls to these Scrapyd nodes (comma-separated base URLs) instead of
# starting local processes (newscrawl.scrapyd); empty: local processes.
NEWSCRAWL_SCRAPYD_URLS = os.environ.get("NEWSCRAWL_SCRAPYD_URLS", "")
# `scrapy crawl news -a site=NAME` as one of several workers sharing a frontier in this Redis
# (newscrawl.distributed); empty: a normal one-process crawl.
NEWSCRAWL_REDIS_URL = os.environ.get("NEWSCRAWL_REDIS_URL", "")
# A worker stops once the shared frontier stayed empty this many seconds (0: run until stopped).
NEWSCRAWL_REDIS_IDLE_CLOSE = float(os.environ.get("NEWSCRAWL_REDIS_IDLE_CLOSE", "30"))
# How many workers crawl one site: the per-domain concurrency and delay below are site totals,
# shared among them.
NEWSCRAWL_REDIS_WORKERS = int(os.environ.get("NEWSCRAWL_REDIS_WORKERS", "1"))
ADDONS = {"newscrawl.distributed.RedisFrontierAddon": 0}

# --- politeness ---------------------------------------------------------------------------------
USER_AGENT = os.environ.get(
    "NEWSCRAWL_USER_AGENT",
    "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl; news archiving crawler)",
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DEPTH_PRIORITY = 1  # breadth-first: start pages and feeds before deep archive pages
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# --- servers that misbehave (tests/faults, benchmarks/reliability_report.py) -----------------
# A response that has not fully arrived after this many seconds fails (DownloadTimeoutError),
# however slowly its bytes drip in.
DOWNLOAD_TIMEOUT = 30
# Bodies over DOWNLOAD_MAXSIZE are abandoned, announced or not (DownloadCancelledError), and so
# are compressed bodies that expand past it (a gzip bomb: DecompressionMaxSizeExceeded).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# A body cut short of its Content-Length (or by a reset) fails and is retried, never stored half.
DOWNLOAD_FAIL_ON_DATALOSS = True
# Temporary failures get two more tries (three requests in all). Retries are re-queued at once
# and paced by DOWNLOAD_DELAY/AutoThrottle; a Retry-After header on a 429/503 holds the host's
# next request back that long (RetryAfterMiddleware), at most NEWSCRAWL_RETRY_AFTER_MAX seconds.
NEWSCRAWL_RETRY_AFTER_MAX = float(os.environ.get("NEWSCRAWL_RETRY_AFTER_MAX", "60"))
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Longer chains are given up (TooManyRedirects); the spider also refuses loops and redirects
# that leave the site (newscrawl.discovery.links.redirect_refusal).
REDIRECT_MAX_TIMES = 5
# Link depth is bounded by the spider's max_depth (NEWSCRAWL_MAX_DEPTH), sitemap nesting by the
# spider too; Scrapy's DEPTH_LIMIT (which also counts robots.txt → sitemap → entry hops) stays 0.

# --- unattended runs: no interactive consoles --------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- components ---------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # robots.txt Crawl-delay, which Scrapy itself ignores
    "newscrawl.middlewares.CrawlDelayMiddleware": 110,
    # re-crawls: skip stored articles, conditional re-checks, 304 → touch (NEWSCRAWL_INCREMENTAL)
    "newscrawl.incremental.IncrementalMiddleware": 120,
    # Retry-After on 429/503; above RetryMiddleware (550) so it sees the answer first
    "newscrawl.middlewares.RetryAfterMiddleware": 560,
}
EXTENSIONS = {
    # one crawl_runs row per crawl, with its counters and stats (NEWSCRAWL_RUN_HISTORY=False: off)
    "newscrawl.extensions.RunHistory": 500,
    # expected network errors as one WARNING line each (tracebacks only at DEBUG)
    "newscrawl.extensions.QuietNetworkErrors": 505,
    # a live status line on a terminal (NEWSCRAWL_PROGRESS; `newscrawl crawl` sets it on a TTY)
    "newscrawl.extensions.CrawlProgress": 510,
}
ITEM_PIPELINES = {
    # FetchedPage → Article, or a named drop (newscrawl.page.process_page)
    "newscrawl.pipelines.ArticlePipeline": 100,
    # idempotent upsert through the crawl's database
    "newscrawl.pipelines.StorePipeline": 400,
}

LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
# A dropped page is logged by its reason and URL, never in full (newscrawl.logs).
LOG_FORMATTER = "newscrawl.logs.NewscrawlLogFormatter"
# Retries given up on are one WARNING line; expected network errors lose their tracebacks below
# DEBUG (newscrawl.extensions.QuietNetworkErrors).
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
# `scrapy crawl` exits 1 when the run failed; `scrapy shell/check/parse` record no run.
COMMANDS_MODULE = "newscrawl.scrapy_commands"
FEED_EXPORT_ENCODING = "utf-8"
