"""Incremental discovery as plain functions: what a re-crawl may leave out.

No Scrapy, no database; the ``news`` spider and :mod:`newscrawl.incremental` call these.

* :func:`sitemap_entry_unchanged`: a sitemap entry whose newest date (``lastmod`` or
  ``news:publication_date``) is older than the start of the site's last successful run was
  already visible to that run, so it is not scheduled again.
* :func:`published_before`: a feed or sitemap publication date older than the site's
  ``max_article_age`` (the page would only be dropped as ``TooOld`` after fetching it).
* :func:`recrawl_decision`: a page URL already stored is skipped unless its article is still
  inside its recrawl window, or a feed or sitemap dates it after it was last seen; a re-fetch is
  conditional (``If-None-Match`` / ``If-Modified-Since``) when the stored validators allow.

Dates from feeds and sitemaps are read as the *latest* instant they can mean (a date without a
time is the end of that day, a time to the second the end of that second), so a coarse date never
hides a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from newscrawl.normalization.dates import parse_date

if TYPE_CHECKING:
    from newscrawl.storage.records import StoredUrl

RecrawlAction = Literal["skip", "fetch"]
RecrawlReason = Literal["outside-window", "inside-window", "changed"]


@dataclass(frozen=True, slots=True)
class RecrawlDecision:
    """Whether to fetch a stored article's URL again, why, and the conditional headers to send."""

    action: RecrawlAction
    reason: RecrawlReason
    headers: dict[str, str] = field(default_factory=dict)


def discovery_date(raw: str | None, *, now: datetime | None = None) -> datetime | None:
    """A feed or sitemap date string as the latest UTC instant it can mean, or None.

    ``"2024-11-20T09:30:00+01:00"`` → the end of that second in UTC (``08:30:01Z``); a time to
    the minute → the end of that minute; fractions of a second are exact; ``"2024-11-20"`` (no
    time) → the end of that day (``2024-11-21T00:00Z``). Unparseable, implausible (before 1990,
    or more than two days after ``now``) and empty values give None.
    """
    if not raw or not raw.strip():
        return None
    parsed = parse_date(raw, now=now)
    if parsed is None:
        return None
    if not parsed.has_time:
        return parsed.value + timedelta(days=1)
    return parsed.value + _time_resolution(raw)


_FRACTION_RE = re.compile(r"\d:\d{2}:\d{2}[.,]\d")
_SECONDS_RE = re.compile(r"\d:\d{2}:\d{2}")


def _time_resolution(raw: str) -> timedelta:
    """How long the time in ``raw`` lasts: a second when it gives seconds, a minute when it
    stops at minutes, nothing when it gives fractions of a second."""
    if _FRACTION_RE.search(raw):
        return timedelta(0)
    return timedelta(seconds=1) if _SECONDS_RE.search(raw) else timedelta(minutes=1)


def changed_at(
    lastmod: str | None, published: str | None, *, now: datetime | None = None
) -> datetime | None:
    """The newest of a discovery entry's modification and publication dates, or None."""
    dates = [d for d in (discovery_date(lastmod, now=now), discovery_date(published, now=now)) if d]
    return max(dates) if dates else None


def sitemap_entry_unchanged(
    lastmod: str | None,
    publication_date: str | None,
    since: datetime | None,
    *,
    now: datetime | None = None,
) -> bool:
    """True when a sitemap entry dates itself before ``since`` (the start of the site's last
    successful run). Entries without a usable date, and any entry when ``since`` is None (no
    successful run yet), are never unchanged."""
    if since is None:
        return False
    changed = changed_at(lastmod, publication_date, now=now)
    return changed is not None and changed < since


def published_before(raw: str | None, cutoff: datetime | None) -> bool:
    """True when the publication date ``raw`` is surely older than ``cutoff``.

    A missing or unparseable date, or no cutoff, is never "before".
    """
    if cutoff is None:
        return False
    published = discovery_date(raw)
    return published is not None and published < cutoff


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """``If-None-Match`` / ``If-Modified-Since`` for the stored validators (empty when none)."""
    headers: dict[str, str] = {}
    if etag and etag.strip():
        headers["If-None-Match"] = etag.strip()
    if last_modified and last_modified.strip():
        headers["If-Modified-Since"] = last_modified.strip()
    return headers


def recrawl_decision(
    stored: StoredUrl,
    *,
    now: datetime,
    window: timedelta,
    changed: datetime | None = None,
) -> RecrawlDecision:
    """Decide whether to fetch a URL whose article is already stored.

    Fetch when a feed or sitemap dates the page after it was last seen (``changed``), or while ``now`` is within ``window`` of the article's publication (of its
    first sighting when it has no date: ``inside-window``); otherwise skip it
    (``outside-window``). Fetches carry the conditional headers the stored validators allow.
    """
    if changed is not None and changed > stored.last_seen_at:
        reason: RecrawlReason = "changed"
    elif now - (stored.published_at or stored.first_seen_at) < window:
        reason = "inside-window"
    else:
        return RecrawlDecision("skip", "outside-window")
    return RecrawlDecision("fetch", reason, conditional_headers(stored.etag, stored.last_modified))
