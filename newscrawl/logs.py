"""What a crawl's log says about pages and network errors: one line each, never a page.

* :class:`NewscrawlLogFormatter` (``LOG_FORMATTER``): a dropped, failed or scraped item is logged
  by its reason and URL. Scrapy's own formatter prints the whole item, body included: ten dropped
  15 MB pages would make a 150 MB log.
* :class:`ExpectedErrorFilter`: Scrapy logs a failed download (connection refused, DNS failure,
  timeout, reset) at ERROR with two chained tracebacks. Those are the network's doing, not a bug:
  below DEBUG the filter turns such a record into one WARNING line naming the error. At DEBUG the
  traceback stays. The :class:`newscrawl.extensions.QuietNetworkErrors` extension installs it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

# Loggers that write download failures with a traceback (or at ERROR).
NETWORK_ERROR_LOGGERS = (
    "scrapy.core.scraper",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
)
# Exceptions that mean the network or the server failed, by class name (Scrapy's wrappers and
# the Twisted errors they wrap).
EXPECTED_NETWORK_ERRORS = frozenset(
    {
        "CannotResolveHostError",
        "DNSLookupError",
        "DownloadConnectionRefusedError",
        "ConnectionRefusedError",
        "ConnectError",
        "DownloadTimeoutError",
        "TimeoutError",
        "TCPTimedOutError",
        "DownloadFailedError",
        "DownloadCancelledError",
        "ResponseDataLossError",
        "ConnectionLost",
        "ConnectionDone",
        "ResponseFailed",
        "ResponseNeverReceived",
        "NoRouteError",
        "ConnectionAborted",
    }
)


def item_url(item: Any) -> str:
    """The URL an item was fetched from (``url`` attribute or key), or its type's name."""
    url = getattr(item, "url", None)
    if url is None and isinstance(item, dict):
        url = item.get("url")
    return str(url) if url is not None else type(item).__name__


def _level(value: object, default: int) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        level = logging.getLevelName(value.upper())
        if isinstance(level, int):
            return level
    return default


class NewscrawlLogFormatter(LogFormatter):
    """Scrapy's formatter, with items named by their URL instead of printed whole."""

    def __init__(self, default_drop_level: int = logging.WARNING) -> None:
        self.default_drop_level = default_drop_level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(_level(crawler.settings.get("DEFAULT_DROPITEM_LOG_LEVEL"), logging.WARNING))

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        """``Dropped (MissingBody): <reason> <url>``, at the drop's own level."""
        level = _level(getattr(exception, "log_level", None), self.default_drop_level)
        reason = getattr(exception, "reason", None) or type(exception).__name__
        return {
            "level": level,
            "msg": "Dropped (%(reason)s): %(url)s: %(message)s",
            "args": {"reason": reason, "url": item_url(item), "message": _one_line(exception)},
        }

    def item_error(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        """``Error processing <url>`` (the traceback follows, as in Scrapy)."""
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(url)s",
            "args": {"url": item_url(item)},
        }

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        """``Scraped <url>`` at DEBUG."""
        return {"level": logging.DEBUG, "msg": "Scraped %(url)s", "args": {"url": item_url(item)}}


def _one_line(exception: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exception).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expected_network_error(exc: object) -> bool:
    """True for an exception (or a chain of them) that names a network or server failure."""
    seen = 0
    while isinstance(exc, BaseException) and seen < 5:
        if type(exc).__name__ in EXPECTED_NETWORK_ERRORS:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


class ExpectedErrorFilter(logging.Filter):
    """Below DEBUG: a download-failure record about an expected network error becomes one
    WARNING line (``... : Connection was refused by other side``) without a traceback."""

    def __init__(self, keep_tracebacks: bool = False) -> None:
        super().__init__()
        self.keep_tracebacks = keep_tracebacks

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and isinstance(record.args, dict):
            exc = record.args.get("reason")  # RetryMiddleware's "Gave up retrying"
        if not expected_network_error(exc):
            return True
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        if record.exc_info and not self.keep_tracebacks:
            message = record.getMessage()
            detail = _one_line(exc) if isinstance(exc, BaseException) else ""
            if detail and detail not in message:
                message = f"{message}: {type(exc).__name__}: {detail}"
            record.msg, record.args = message, None
            record.exc_info, record.exc_text = None, None
        return True


def install_expected_error_filter(keep_tracebacks: bool) -> ExpectedErrorFilter:
    """Add a filter to every logger of :data:`NETWORK_ERROR_LOGGERS`; returns it (to remove)."""
    log_filter = ExpectedErrorFilter(keep_tracebacks)
    for name in NETWORK_ERROR_LOGGERS:
        logging.getLogger(name).addFilter(log_filter)
    return log_filter


def remove_expected_error_filter(log_filter: ExpectedErrorFilter) -> None:
    """Undo :func:`install_expected_error_filter`."""
    for name in NETWORK_ERROR_LOGGERS:
        logging.getLogger(name).removeFilter(log_filter)
