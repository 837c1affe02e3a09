"""Publication-date candidates beyond the page's own date markup: htmldate's search and the URL.

newscrawl reads dates from structured data and from the article's visible date elements first
(:mod:`newscrawl.extraction.structured`, :mod:`newscrawl.extraction.visible`). When those give
no publication date at all, htmldate (a well-kept library made for this one job) searches the
rest of the page, extensively: abbreviations, free text, image names, the URL, patterns in the
markup. The URL's own date is a last-resort candidate too. Both come after every candidate the
page marks up (see :data:`newscrawl.normalization.article.DATE_ORDER`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from htmldate import find_date

from newscrawl.extraction.page import Page
from newscrawl.items import ExtractedPage
from newscrawl.normalization.dates import date_from_url, parse_date, states_year

logger = logging.getLogger(__name__)

# Sources that are not the page's own date markup (hints from feeds and sitemaps).
_HINT_SOURCES = frozenset({"feed", "sitemap", "news-sitemap"})


def has_markup_date(out: ExtractedPage) -> bool:
    """True when the page itself marks up a publication date that parses and whose year is
    known without the crawl time (written, or given by the URL): a lone "vor 3 Stunden" or
    "24 June" still asks htmldate."""
    url_has_day = date_from_url(out.url) is not None
    return any(
        c.source not in _HINT_SOURCES
        and (url_has_day or states_year(c.value))
        and parse_date(c.value, now=out.fetched_at) is not None
        for c in out.candidates.get("published", [])
    )


def add_fallback_date_candidates(page: Page, html: str, out: ExtractedPage) -> None:
    """Add ``htmldate`` (its extensive search over the page) and ``url`` publication-date
    candidates when the page marks up none that parses. htmldate reads ``html``, the whole
    page (its scripts too), not the tree later stages prune."""
    if has_markup_date(out):
        return
    found = htmldate_day(html, page.url, out.fetched_at)
    url_day = date_from_url(out.url)
    if found == out.fetched_at.date().isoformat() and found != (url_day and url_day.isoformat()):
        found = None  # most likely a site header's "today", never the crawl date
    if found is not None and found.endswith("-01-01") and not writes_new_year(html, found[:4]):
        found = None  # a year alone (a copyright line, "since 2004") read as 1 January
    out.add("published", found, "htmldate")
    out.add("published", url_day.isoformat() if url_day else None, "url")


def writes_new_year(html: str, year: str) -> bool:
    """True when ``html`` writes 1 January of ``year`` as a full date (``2020-01-01``,
    ``01.01.2020``, ``1/1/2020``, ``20200101``, ``1 January 2020``, ``Jan. 1, 2020``...)."""
    return any(pattern.search(html) for pattern in _new_year_patterns(year))


def _new_year_patterns(year: str) -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(rf"{year}[-/.]?0?1[-/.]?0?1(?!\d)"),
        re.compile(rf"(?<!\d)0?1[-/.]\s?0?1[-/.]\s?{year}"),
        re.compile(
            rf"(?<!\d)1\.?\s*(?:jan|ene|gen|janv|styczni|ocak|января|一月)\w*\.?,?\s*{year}",
            re.IGNORECASE,
        ),
        re.compile(rf"(?:jan|ene|gen)\w*\.?\s*0?1(?:st)?,?\s*{year}", re.IGNORECASE),
        re.compile(rf"{year}\s*年\s*0?1\s*月\s*0?1\s*日"),
    )


def htmldate_day(html: str, url: str, fetched_at: datetime) -> str | None:
    """The original publication day htmldate finds in ``html`` (``YYYY-MM-DD``), never after
    ``fetched_at``; None when it finds none or fails on the markup."""
    try:
        return find_date(
            html,
            url=url,
            extensive_search=True,
            original_date=True,
            max_date=fetched_at.strftime("%Y-%m-%d"),
        )
    except Exception as exc:  # noqa: BLE001 -- a fallback library must never cost the page
        logger.debug("htmldate failed on %s: %s: %s", url, type(exc).__name__, exc)
        return None
