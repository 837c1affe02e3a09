"""What a crawl did, computed from Scrapy's stats: the counters kept in the run history, and
whether the run counts as ``finished`` or ``failed`` (:func:`run_verdict`)."""

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
# Stats the news spider keeps about its start pages (requested, failed with an error).
START_PAGES_REQUESTED = "newscrawl/start_pages_requested"
# Counters of a crawl in Scrapy's stats: Scrapy's own and the store pipeline's.
PAGES_FETCHED = "response_received_count"
ARTICLES_NEW = "newscrawl/articles_new"
ARTICLES_UPDATED = "newscrawl/articles_updated"
START_PAGES_FAILED = "newscrawl/start_pages_failed"
STORE_ERRORS = "newscrawl/store_errors"
# Above this share of failed article writes a run is failed (NEWSCRAWL_MAX_STORE_ERROR_RATE).
DEFAULT_MAX_STORE_ERROR_RATE = 0.1
# Requests a middleware chose not to send: no errors (robots.txt, incremental skip, 304).
NOT_ERRORS = frozenset({"IgnoreRequest", "StoredArticleSkipped", "ArticleNotModified"})


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
        pages_fetched=count(PAGES_FETCHED),
        articles_new=count(ARTICLES_NEW),
        articles_updated=count(ARTICLES_UPDATED),
        articles_unchanged=count("newscrawl/articles_unchanged"),
        articles_skipped=count("newscrawl/articles_skipped"),
        drops=drops,
        http_errors=errors,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a run ended: ``finished``, ``failed`` or ``killed``, and why in one line (None for a
    plain ``finished``)."""

    status: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True for ``finished`` (the crawl process exits 0)."""
        return self.status == "finished"


def _top(counts: Mapping[str, int], limit: int = 3) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return ", ".join(f"{name} ×{count}" for name, count in ranked)


def run_verdict(
    stats: Mapping[str, Any],
    close_reason: str | None = None,
    *,
    max_store_error_rate: float = DEFAULT_MAX_STORE_ERROR_RATE,
) -> Verdict:
    """The status of a run from its stats and Scrapy's close reason (default: the stats'
    ``finish_reason``).

    A run that Scrapy closed normally is still ``failed`` when it lost everything:

    * it fetched nothing: no response below 400 (DNS failure, connection refused, every
      answer an error);
    * every start page failed (an HTTP error or a network error after the retries);
    * more than ``max_store_error_rate`` of its article writes failed, which includes storing
      nothing while fetching articles (a full disk, a database that stays locked).

    A run stopped by its time limit (``closespider_timeout``) is ``finished``, with the reason.
    """
    reason = close_reason or str(stats.get("finish_reason") or "finished")
    status = run_status(reason)
    if status == "killed":
        return Verdict("killed", reason)
    if status == "failed":
        return Verdict("failed", " ".join(f"closed: {reason}".split()))

    def count(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    errors = {k: v for k, v in run_counts(stats).http_errors.items() if k not in NOT_ERRORS}
    responses_ok = sum(
        count(key)
        for key in stats
        if key.startswith(_STATUS_PREFIX) and key.removeprefix(_STATUS_PREFIX)[:1] in "123"
    )
    if responses_ok == 0:
        detail = f" ({_top(errors)})" if errors else ""
        return Verdict("failed", f"fetched nothing: no page could be downloaded{detail}")
    requested, failed = count(START_PAGES_REQUESTED), count(START_PAGES_FAILED)
    if requested and failed >= requested:
        detail = f" ({_top(errors)})" if errors else ""
        return Verdict("failed", f"all {requested} start pages failed{detail}")
    store_errors = count(STORE_ERRORS)
    writes = store_errors + sum(
        count(f"newscrawl/articles_{outcome}") for outcome in ("new", "updated", "unchanged")
    )
    if store_errors and store_errors > max_store_error_rate * writes:
        return Verdict("failed", f"{store_errors} of {writes} article writes failed")
    if reason == "closespider_timeout":
        return Verdict("finished", "time limit reached (CLOSESPIDER_TIMEOUT)")
    if reason != "finished":
        return Verdict("finished", reason)
    return Verdict("finished")
