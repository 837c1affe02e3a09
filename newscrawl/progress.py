"""The live status line of a crawl on a terminal, computed from Scrapy's stats.

:func:`progress_snapshot` reads the counters (pages fetched, articles new/updated, drops, queue
length) from a stats dict; :func:`progress_line` formats two snapshots taken ``interval``
seconds apart into one line with the page rate. :class:`newscrawl.extensions.CrawlProgress`
redraws it every second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The stats keys read (Scrapy's own, and the store pipeline's newscrawl/articles_* counters).
from newscrawl.runstats import ARTICLES_NEW, ARTICLES_UPDATED
from newscrawl.runstats import PAGES_FETCHED as PAGES

DROPS = "item_dropped_count"
ENQUEUED = "scheduler/enqueued"
DEQUEUED = "scheduler/dequeued"


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    """The crawl's counters at one moment."""

    pages: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    drops: int = 0
    queued: int = 0


def _int(stats: Mapping[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def progress_snapshot(stats: Mapping[str, object]) -> ProgressSnapshot:
    """The counters of a Scrapy stats dict; the queue is what was enqueued and not yet taken."""
    return ProgressSnapshot(
        pages=_int(stats, PAGES),
        articles_new=_int(stats, ARTICLES_NEW),
        articles_updated=_int(stats, ARTICLES_UPDATED),
        drops=_int(stats, DROPS),
        queued=max(0, _int(stats, ENQUEUED) - _int(stats, DEQUEUED)),
    )


def progress_line(
    current: ProgressSnapshot, previous: ProgressSnapshot | None, interval: float
) -> str:
    """``"<site>: 97 pages, 20 new, 0 updated, 71 dropped, 3.2 pages/s, 12 queued"``-style text
    (without the site); the rate is over the last ``interval`` seconds (0 without a previous)."""
    rate = 0.0
    if previous is not None and interval > 0:
        rate = max(0, current.pages - previous.pages) / interval
    return (
        f"{current.pages} pages, {current.articles_new} new, "
        f"{current.articles_updated} updated, {current.drops} dropped, "
        f"{rate:.1f} pages/s, {current.queued} queued"
    )
