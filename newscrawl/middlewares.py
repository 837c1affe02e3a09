"""Downloader middlewares: politeness that Scrapy core leaves out.

:class:`RetryAfterMiddleware` honours ``Retry-After`` on 429/503 answers, which Scrapy's retry
middleware ignores (it retries at once). :class:`CrawlDelayMiddleware` honours the robots.txt
``Crawl-delay`` directive. Scrapy's
``RobotsTxtMiddleware`` parses robots.txt (and, since 2.18, its parsers can report the delay) but
never applies it (scrapy/scrapy#892). Enable it after ``RobotsTxtMiddleware`` (priority 100)::

    DOWNLOADER_MIDDLEWARES = {"newscrawl.middlewares.CrawlDelayMiddleware": 110}
"""

from __future__ import annotations

import email.utils
import logging
import math
from datetime import UTC, datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# Longer delays than this are capped: a robots.txt asking for an hour between requests would
# otherwise stall the crawl of that host indefinitely.
MAX_CRAWL_DELAY = 60.0


def effective_crawl_delay(value: float | None, max_delay: float = MAX_CRAWL_DELAY) -> float | None:
    """The delay to enforce for a robots.txt ``Crawl-delay`` value: None when absent, zero,
    negative or not a number; otherwise the value capped at ``max_delay`` seconds."""
    if value is None or math.isnan(value) or value <= 0:
        return None
    return min(value, max_delay)


class CrawlDelayMiddleware:
    """Keeps each host's download slot at least ``Crawl-delay`` seconds between requests.

    The delay is read from the parser ``RobotsTxtMiddleware`` built (``robots_parsed`` signal)
    for the user agent that middleware checks. It is re-applied before every request to that
    host and after every response, because AutoThrottle lowers slot delays on fast responses.
    The slot's jitter is switched off, since a randomised delay could fall below the minimum.
    Each enforced delay is recorded in the stat ``newscrawl/crawl_delay/<host:port>``.
    Disabled when ``ROBOTSTXT_OBEY`` is off.
    """

    crawler: Crawler

    def __init__(
        self,
        stats: StatsCollector,
        user_agent: str,
        robotstxt_user_agent: str | None,
        max_delay: float = MAX_CRAWL_DELAY,
    ) -> None:
        self.stats = stats
        self.user_agent = user_agent
        self.robotstxt_user_agent = robotstxt_user_agent
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}  # netloc -> seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build from settings; raises NotConfigured when robots.txt is not obeyed."""
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("CrawlDelayMiddleware needs ROBOTSTXT_OBEY")
        assert crawler.stats is not None
        middleware = cls(
            crawler.stats,
            user_agent=settings.get("USER_AGENT") or "",
            robotstxt_user_agent=settings.get("ROBOTSTXT_USER_AGENT") or None,
        )
        middleware.crawler = crawler
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Record the Crawl-delay of the host of ``request`` and apply it to its slot."""
        user_agent: str | bytes = (
            self.robotstxt_user_agent or request.headers.get(b"User-Agent") or self.user_agent
        )
        netloc = urlparse_cached(request).netloc
        delay = effective_crawl_delay(robotparser.crawl_delay(user_agent), self.max_delay)
        if delay is None:
            return
        self.delays[netloc] = delay
        self.stats.set_value(f"newscrawl/crawl_delay/{netloc}", delay)
        logger.info("Honouring robots.txt Crawl-delay of %.2fs for %s", delay, netloc)
        self._enforce(request)

    def process_request(self, request: Request) -> None:
        """Raise the slot delay of the request's host before it reaches the download queue."""
        self._enforce(request)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        """Undo any lowering of the slot delay by AutoThrottle (connected after it)."""
        self._enforce(request)

    def _enforce(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).netloc)
        engine = self.crawler.engine
        if delay is None or engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0


# A Retry-After longer than this is capped: one server's "come back in an hour" must not stall
# the crawl of that host for an hour (the retry gives up after RETRY_TIMES anyway).
DEFAULT_RETRY_AFTER_MAX = 60.0
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait for a ``Retry-After`` header: delta-seconds or an HTTP-date; None when
    absent, unparseable or not in the future."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        seconds = float(text)
    else:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return seconds if seconds > 0 else None


class RetryAfterMiddleware:
    """Honours ``Retry-After`` on 429 and 503 answers: the host's next request (usually Scrapy's
    retry of the same page) waits that long, capped at ``NEWSCRAWL_RETRY_AFTER_MAX``; once that
    request has been downloaded, the slot's previous delay is restored. Must sit after
    ``RetryMiddleware`` in the response chain, i.e. at a higher priority number (e.g. 560), so it
    sees the answer before the retry is scheduled. Each honoured wait is recorded in
    ``newscrawl/retry_after/<host:port>`` (the last value)."""

    crawler: Crawler

    def __init__(self, stats: StatsCollector, max_wait: float) -> None:
        self.stats = stats
        self.max_wait = max_wait
        # slot key -> (delay and jitter to restore, held at)
        self.held: dict[str, tuple[float, float, float]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build from settings; NEWSCRAWL_RETRY_AFTER_MAX = 0 disables it."""
        max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)
        if max_wait <= 0:
            raise NotConfigured("NEWSCRAWL_RETRY_AFTER_MAX is 0")
        assert crawler.stats is not None
        middleware = cls(crawler.stats, max_wait)
        middleware.crawler = crawler
        crawler.signals.connect(
            middleware.request_left_downloader, signal=signals.request_left_downloader
        )
        return middleware

    def request_left_downloader(self, request: Request, spider: Spider) -> None:
        """A request sent after the hold (so it waited) has been downloaded or failed: give the
        slot its previous delay back. Requests already in flight when the hold began do not
        count, nor does the 429/503 answer itself."""
        engine = self.crawler.engine
        if not self.held or engine is None:
            return
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        held = self.held.get(key)
        if held is None:
            return
        previous_delay, previous_jitter, held_at = held
        sent_at = monotonic() - float(request.meta.get("download_latency", 0.0))
        if sent_at >= held_at and (slot := downloader.slots.get(key)) is not None:
            slot.delay, slot.jitter = previous_delay, previous_jitter
            del self.held[key]

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise the slot delay of the answering host; the response goes on unchanged."""
        if response.status not in RETRY_AFTER_STATUSES:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        engine = self.crawler.engine
        if wait is None or engine is None:
            return response
        wait = min(wait, self.max_wait)
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            self.held.setdefault(key, (slot.delay, slot.jitter, monotonic()))
            slot.delay = max(slot.delay, wait)
            slot.jitter = 0.0  # a randomised delay could fall short of what the server asked
        netloc = urlparse_cached(request).netloc
        self.stats.set_value(f"newscrawl/retry_after/{netloc}", wait)
        logger.info("Honouring Retry-After of %.0fs from %s", wait, netloc)
        return response
