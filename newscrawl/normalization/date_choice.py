"""Choosing the publication (or modification) date among the page's candidates: the first
plausible one by :data:`~newscrawl.normalization.precedence.DATE_ORDER`, with the URL date,
the other source families and the page's own offsets settling disagreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from newscrawl.items import Candidate, ExtractedPage
from newscrawl.normalization.dates import (
    ParsedDate,
    date_from_url,
    in_zone,
    iso_offset,
    parse_date,
    states_year,
)
from newscrawl.normalization.precedence import DATE_ORDER, by_source

_ISO_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}$|Z$")
# Date sources that do not say which date they are: a visible earlier date beats them.
_GENERIC_DATE_SOURCES = frozenset({"meta:date"})
_GENERIC_SLACK = timedelta(days=60)
_RELATIVE_PROBE = timedelta(days=100)
# A numeric date whose day and month could be swapped: "11/01/2023", "03.04.2024 10:00".
_AMBIGUOUS_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_NON_VOTING_SOURCES = frozenset({"site", "htmldate", "news-sitemap", "feed", "sitemap", "url"})


def choose_date(
    candidates: list[Candidate],
    *,
    url: str,
    languages: Sequence[str],
    date_order: str | None,
    extracted: ExtractedPage,
) -> tuple[ParsedDate, Candidate] | None:
    """The first candidate (by :data:`DATE_ORDER`, dates whose year comes only from the crawl
    time last) that parses to a plausible date; a date with a time beats a day-only one for the
    same day; a URL date breaks disagreements and gives its year to a date written without one
    ("18 Mai"), else the first date on the page that writes its year does. The chosen instant
    keeps the page's own UTC offset when another candidate writes the same instant with it."""
    url_day = date_from_url(url)
    parsed: list[tuple[ParsedDate, Candidate]] = []
    for c in by_source(candidates, DATE_ORDER):
        result = parse_date(
            c.value, languages=languages, date_order=date_order, now=extracted.fetched_at
        )
        if result is not None:
            parsed.append((_with_url_year(result, c.value, url_day), c))
    dated: set[Candidate] = set()
    if url_day is None:
        parsed, dated = _with_page_year(parsed, languages, date_order, extracted)
    parsed.sort(key=lambda pc: pc[1] not in dated and _anchored_on_now(pc[1].value, url_day))
    zone = _local_zone(extracted.timezone, parsed)
    if zone is not None:
        parsed = [(in_zone(result, zone), c) for result, c in parsed]
    best = _earliest_choice(parsed, url_day)
    if best is not None:
        best = _visible_before_generic(_outvoted(best, parsed, url_day), parsed)
        best = _disambiguated(best, parsed)
    return _in_page_offset(best, parsed) if best is not None else None


def _local_zone(site_zone: str | None, parsed: list[tuple[ParsedDate, Candidate]]) -> tzinfo | None:
    """Where times written without an offset are: the site's configured zone, else the offset
    another date on the same page writes; None when neither is known (they stay UTC)."""
    if site_zone:
        return ZoneInfo(site_zone)
    for result, c in parsed:
        if result.had_offset and result.has_time:
            offset = iso_offset(c.value)
            if offset is not None:
                return timezone(offset)
    return None


def _anchored_on_now(raw: str, url_day: date | None) -> bool:
    """True when a date's year comes only from the crawl time: a relative phrase ("vor 3
    Stunden", "Gestern um 02:12") or a day without a year ("24 June") on a page whose URL gives
    no year. Such a date ranks after every date that writes its year."""
    return url_day is None and not states_year(raw)


def _with_page_year(
    parsed: list[tuple[ParsedDate, Candidate]],
    languages: Sequence[str],
    date_order: str | None,
    extracted: ExtractedPage,
) -> tuple[list[tuple[ParsedDate, Candidate]], set[Candidate]]:
    """On a page whose URL gives no date: a day written without a year ("06月24日 11時30分",
    "24 June") takes the year that puts it nearest the first date on the page that writes
    its year (htmldate's find, say), not the crawl time's. Relative phrases ("vor 3 Stunden")
    keep theirs. Returns the dates and the candidates that took a year."""
    reference = next((r.value.date() for r, c in parsed if states_year(c.value)), None)
    if reference is None:
        return parsed, set()
    moved: list[tuple[ParsedDate, Candidate]] = []
    dated: set[Candidate] = set()
    for result, c in parsed:
        if states_year(c.value) or _is_relative(c.value, result, languages, date_order, extracted):
            moved.append((result, c))
            continue
        moved.append((_nearest_year(result, reference), c))
        dated.add(c)
    return moved, dated


def _is_relative(
    raw: str,
    result: ParsedDate,
    languages: Sequence[str],
    date_order: str | None,
    extracted: ExtractedPage,
) -> bool:
    """True when ``raw`` names a day relative to the crawl ("Gestern", "vor 3 Stunden"): read
    against a base months earlier, its month and day change; a year-less "24 June" keeps them."""
    earlier = parse_date(
        raw, languages=languages, date_order=date_order, now=extracted.fetched_at - _RELATIVE_PROBE
    )
    value = result.value
    return earlier is None or (earlier.value.month, earlier.value.day) != (value.month, value.day)


def _nearest_year(result: ParsedDate, reference: date) -> ParsedDate:
    """``result`` moved to the year (the reference's, or one either side) nearest ``reference``."""
    options: list[datetime] = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            options.append(result.value.replace(year=year))
        except ValueError:  # 29 February
            continue
    if not options:
        return result
    value = min(options, key=lambda v: abs((v.date() - reference).days))
    return ParsedDate(value, result.has_time, result.had_offset)


def _with_url_year(result: ParsedDate, raw: str, url_day: date | None) -> ParsedDate:
    """A date written without a year takes the URL date's year (not the current one)."""
    if url_day is None or states_year(raw) or result.value.year == url_day.year:
        return result
    try:
        value = result.value.replace(year=url_day.year)
    except ValueError:  # 29 February
        return result
    return ParsedDate(value, result.has_time, result.had_offset)


def _earliest_choice(
    parsed: list[tuple[ParsedDate, Candidate]], url_day: date | None
) -> tuple[ParsedDate, Candidate] | None:
    """The first parsed candidate, unless a later one agrees with the URL date where it does
    not, or gives the time of day for the same day."""
    best: tuple[ParsedDate, Candidate] | None = None
    for result, c in parsed:
        agrees = url_day is None or abs((result.value.date() - url_day).days) <= 1
        if best is None:
            best = (result, c)
            if agrees and result.has_time:
                return best
            continue
        best_agrees = url_day is None or abs((best[0].value.date() - url_day).days) <= 1
        if agrees and not best_agrees:
            return result, c  # a URL date breaks the disagreement
        same_day = result.value.date() == best[0].value.date()
        if best_agrees and agrees and same_day and result.has_time and not best[0].has_time:
            return result, c  # same day, with the time of day
    return best


def _source_family(source: str) -> str:
    """``jsonld``, ``opengraph``, ``meta`` (every ``meta:*``), ``microdata``, ``time``...: sources
    one publishing system fills from the same field count once."""
    return source.split(":", 1)[0]


def _outvoted(
    best: tuple[ParsedDate, Candidate],
    parsed: list[tuple[ParsedDate, Candidate]],
    url_day: date | None,
) -> tuple[ParsedDate, Candidate]:
    """``best``, unless the first dates of two other source families agree on another day at
    least two days away and no other family backs ``best``'s day (JSON-LD "3 November" against
    OpenGraph and the visible date "6 November"): then the first candidate of that day, one
    with a time first. Fallbacks (htmldate, feeds, the URL) do not vote; a site override, or a
    date the URL confirms, is never outvoted. (A day apart is left alone: that is a UTC offset
    more often than not.)"""
    day = best[0].value.date()
    if best[1].source == "site" or (url_day is not None and abs((day - url_day).days) <= 1):
        return best
    firsts: dict[str, tuple[ParsedDate, Candidate]] = {}
    for result, c in parsed:
        family = _source_family(c.source)
        if c.source not in _NON_VOTING_SOURCES and family not in firsts:
            firsts[family] = (result, c)
    votes: dict[date, int] = {}
    for result, _c in firsts.values():
        votes[result.value.date()] = votes.get(result.value.date(), 0) + 1
    if votes.get(day, 0) > 1:
        return best
    winner = max(votes, key=lambda d: votes[d], default=None)
    if winner is None or abs((winner - day).days) < 2 or votes[winner] < 2:
        return best
    same_day = [(r, c) for r, c in parsed if r.value.date() == winner]
    return next(((r, c) for r, c in same_day if r.has_time), same_day[0])


def _visible_before_generic(
    best: tuple[ParsedDate, Candidate], parsed: list[tuple[ParsedDate, Candidate]]
) -> tuple[ParsedDate, Candidate]:
    """``best``, or the article's visible date when ``best`` is a generic ``<meta name="date">``
    (often the page's last change) and the visible date is up to :data:`_GENERIC_SLACK` earlier:
    a page is published before it last changes, so the earlier visible date is the publication."""
    chosen, c = best
    if c.source not in _GENERIC_DATE_SOURCES:
        return best
    visible = next(((r, v) for r, v in parsed if v.source == "time"), None)
    if visible is None:
        return best
    gap = chosen.value.date() - visible[0].value.date()
    return visible if timedelta(0) < gap <= _GENERIC_SLACK else best


def _disambiguated(
    best: tuple[ParsedDate, Candidate], parsed: list[tuple[ParsedDate, Candidate]]
) -> tuple[ParsedDate, Candidate]:
    """``best``, read the other way round when it is a numeric date that reads both ways
    ("11/01/2023 12:43") and only its other reading (1 November) is a day another candidate
    gives: the page's other dates settle the order of day and month."""
    chosen, c = best
    match = _AMBIGUOUS_NUMERIC.match(c.value.strip())
    if match is None:
        return best
    a, b = int(match.group(1)), int(match.group(2))
    value = chosen.value
    if a == b or a > 12 or b > 12 or {value.day, value.month} != {a, b}:
        return best
    try:
        swapped = value.replace(month=value.day, day=value.month)
    except ValueError:
        return best
    others = {r.value.date() for r, v in parsed if v is not c}
    if value.date() in others or swapped.date() not in others:
        return best
    return ParsedDate(swapped, chosen.has_time, chosen.had_offset), c


def _in_page_offset(
    best: tuple[ParsedDate, Candidate], parsed: list[tuple[ParsedDate, Candidate]]
) -> tuple[ParsedDate, Candidate]:
    """``best``, or a candidate writing the same instant with a UTC offset other than zero
    when ``best`` has none (a JSON-LD ``...Z`` beside ``og`` ``...+02:00``): the raw value
    then shows the page's local day."""
    chosen, _c = best
    if not chosen.has_time or _local_offset(_c.value):
        return best
    for result, c in parsed:
        if result.has_time and result.value == chosen.value and _local_offset(c.value):
            return result, c
    return best


def _local_offset(raw: str) -> bool:
    """True when an ISO 8601 value ends in a UTC offset other than zero."""
    match = _ISO_OFFSET.search(raw.strip())
    return match is not None and match.group(0).strip("+-:0Z") != ""
