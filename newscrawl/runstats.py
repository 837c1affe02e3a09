"""What a crawl did, computed from Scrapy's stats: the counters kept in the run history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_DROP_PREFIX = "item_dropped_reasons_count/"
_STATUS_PREFIX = "downloader/response_status_count/"
_EXCEPTION_PREFIX = "downloader/exception_type_count/"
_FAILED_PREFIX = "newscrawl/fetch_failed/"  # requests the spider gave up, by reason

# Scrapy's close reasons → run status. Limits reached are normal ends of a crawl.
_FINISHED_REASONS = frozenset(
    {"finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout"}
)
_KILLED_REASONS = frozenset({"shutdown", "cancelled"})


@dataclass(frozen=True, slots=True)
class RunCounts:
    """The counters of one crawl."""

    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_skipped: int = 0
    drops: dict[str, int] = field(default_factory=dict)
    http_errors: dict[str, int] = field(default_factory=dict)


def run_status(close_reason: str) -> str:
    """``finished``, ``killed`` (stopped by a signal) or ``failed`` for a spider close reason."""
    if close_reason in _FINISHED_REASONS:
        return "finished"
    if close_reason in _KILLED_REASONS:
        return "killed"
    return "failed"


def run_counts(stats: Mapping[str, Any]) -> RunCounts:
    """Counters from a Scrapy stats dict: pages, articles new/updated/unchanged/skipped, drops
    by reason, and HTTP errors by status (4xx/5xx) or by exception name.

    Statuses count responses and download exceptions count attempts (a timeout retried twice
    counts three), as Scrapy's downloader stats do. Failures those stats never see are added
    from the spider's ``newscrawl/fetch_failed/<reason>`` counters, one per request given up:
    redirects refused (``RedirectLoop``, ``OffsiteRedirect``, ``TooManyRedirects``, ...),
    bodies over the size limit once decompressed (``DecompressionMaxSizeExceeded``), bad
    compression (``BadGzipFile``). A reason the downloader already counted keeps its count."""

    def count(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    drops = {k.removeprefix(_DROP_PREFIX): count(k) for k in stats if k.startswith(_DROP_PREFIX)}
    errors = {
        k.removeprefix(_STATUS_PREFIX): count(k)
        for k in stats
        if k.startswith(_STATUS_PREFIX) and k.removeprefix(_STATUS_PREFIX)[:1] in ("4", "5")
    }
    errors.update(
        {
            k.removeprefix(_EXCEPTION_PREFIX).rsplit(".", 1)[-1]: count(k)
            for k in stats
            if k.startswith(_EXCEPTION_PREFIX)
        }
    )
    for key in stats:
        if key.startswith(_FAILED_PREFIX):
            errors.setdefault(key.removeprefix(_FAILED_PREFIX), count(key))
    return RunCounts(
        pages_fetched=count("response_received_count"),
        articles_new=count("newscrawl/articles_new"),
        articles_updated=count("newscrawl/articles_updated"),
        articles_unchanged=count("newscrawl/articles_unchanged"),
        articles_skipped=count("newscrawl/articles_skipped"),
        drops=drops,
        http_errors=errors,
    )
