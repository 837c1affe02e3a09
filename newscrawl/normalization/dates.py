"""Date parsing: raw date strings from any page in any language -> tz-aware UTC datetimes.

A cascade, cheapest first: ISO 8601 (``datetime.fromisoformat``), epoch numbers, RFC 2822
(``email.utils``), common numeric forms (``03.05.2024, 14:30``); only then dateparser, with the
page language as a hint, after labels such as "Published" / "Veröffentlicht am" are removed.
Every result is tz-aware UTC; inputs without an offset are taken as UTC.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newscrawl.normalization.language import normalize_language
from newscrawl.normalization.text import clean_text

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

MIN_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
MAX_INPUT_CHARS = 1000  # cleaned at most this much of a raw value
MAX_DATEPARSER_CHARS = 200  # dateparser sees at most this much
# Tried when a page gives no usable language: dateparser's detection over all of its ~200
# locales costs 20-80 ms on a string that is no date; this list costs about 3 ms.
DEFAULT_LANGUAGES = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "nb",
    "fi",
    "pl",
    "ru",
    "tr",
    "ja",
    "zh",
)

# Words that introduce or label a date ("Published: ...", "Veröffentlicht am ...").
_LABELS = (
    r"first published(?: on| at)?",
    r"originally published(?: on| at)?",
    r"published(?: on| at)?",
    r"last updated(?: on| at)?",
    r"updated(?: on| at)?",
    r"last modified(?: on)?",
    r"modified(?: on)?",
    r"posted(?: on| at)?",
    r"created(?: on)?",
    r"written(?: on)?",
    r"dated?",
    r"as of",
    r"zuerst veröffentlicht(?: am)?",
    r"veröffentlicht(?: am)?",
    r"zuletzt aktualisiert(?: am)?",
    r"aktualisiert(?: am)?",
    r"erstellt(?: am)?",
    r"erschienen(?: am)?",
    r"geschrieben(?: am)?",
    r"stand",
    r"datum",
    r"publié(?: le)?",
    r"mis à jour(?: le)?",
    r"modifié(?: le)?",
    r"publicado(?: el| em)?",
    r"actualizado(?: el| a las)?",
    r"atualizado(?: em)?",
    r"fecha",
    r"pubblicato(?: il)?",
    r"aggiornato(?: il| alle)?",
    r"gepubliceerd(?: op)?",
    r"bijgewerkt(?: op)?",
    r"geplaatst(?: op)?",
    r"publisert",
    r"oppdatert",
    r"publicerad",
    r"uppdaterad",
    r"publiceret",
    r"opdateret",
    r"udgivet",
    r"julkaistu",
    r"päivitetty",
    r"opublikowano",
    r"zaktualizowano",
    r"aktualizacja",
    r"опубликовано",
    r"обновлено",
)
# Short words that are only a label when a number follows ("am 3. Mai", not "il y a 3 heures").
_SHORT_LABELS = (r"on", r"am", r"vom", r"le", r"il", r"el", r"den", r"dne")
_LEADING_LABEL = re.compile(
    r"^(?:(?:" + "|".join(_LABELS) + r")(?:\s*:\s*|\s+)(?=\S)"
    r"|(?:" + "|".join(_SHORT_LABELS) + r")\s+(?=\d))",
    re.IGNORECASE,
)
_EDGE_PUNCTUATION = re.compile(r"^[\s|•·:,;(\[–—-]+|[\s|•·,;/)\]]+$")
# A second label after a first date ("22 Apr 2024 Updated: 23 Apr 2024"): cut there.
_LATER_LABEL = re.compile(
    r"(?:\||•|·|\(|\s)\s*(?:last updated|updated|aktualisiert|zuletzt aktualisiert|mis à jour|"
    r"actualizado|atualizado|aggiornato|bijgewerkt|oppdatert|uppdaterad|opdateret|"
    r"päivitetty|zaktualizowano|обновлено)\b",
    re.IGNORECASE,
)
_UHR = re.compile(r"\s*\buhr\b\.?", re.IGNORECASE)
_TIME_ONLY = re.compile(
    r"\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*h?\.?"
    r"\s*(?:[a-z]{2,5}|(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
# A bare duration: a number and a unit of time, perhaps "read"/"Lesezeit", no "ago"/"vor".
_DURATION = re.compile(
    r"(?:(?:reading|read|lese|lesezeit|lecture|lettura|leestijd|czas czytania)\W*)?"
    r"\d+(?:[.,]\d+)?\s*(?:sec(?:ond)?s?|sek(?:unden)?|min(?:ute)?s?|minuten|mn|h|hrs?|hours?"
    r"|std\.?|stunden)\.?(?:\s*(?:read|lesen|lesezeit|de lecture|di lettura|leestijd))?",
    re.IGNORECASE,
)
_DATE_ONLY_ISO = re.compile(r"[+-]?\d{4}-?(?:\d{2}-?\d{2}|W\d{2}-?\d?|\d{3})", re.IGNORECASE)
_ISO_START = re.compile(r"\d{4}-?(?:\d{2}|W\d)", re.IGNORECASE)
_ISO_ZONE_NAME = re.compile(r"\[[^\]]*\]?$")  # RFC 9557 "[Europe/Berlin]" suffix
_ISO_SPACED_OFFSET = re.compile(r"(\d)\s+(?=[+-]\d{2}:?\d{2}$|Z$)")
_ISO_NAMED_UTC = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)
_EPOCH = re.compile(r"(\d{9,10}|\d{12,13})(?:\.\d+)?")
_RFC2822 = re.compile(
    r"(?:[a-z]{3},?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s+(?P<zone>[+-]\d{4}|[a-z]{1,5}))?",
    re.IGNORECASE,
)
_RFC2822_ZONES = frozenset(
    {"ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"}
)
_NUMERIC = re.compile(
    r"""
    (?:
        (?P<y1>\d{4})(?P<s1>[./-])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})
      | (?P<a>\d{1,2})(?P<s2>[./-])(?P<b>\d{1,2})(?P=s2)(?P<y2>\d{4}|\d{2})
    )\.?
    (?:
        (?:\s*,\s*|\s*[-–|•@]\s*|\s+(?:um|à|às|a\s+las|kl\.?|at|alle|om|o|de|г\.)\s+|\s+|T)
        (?P<hh>\d{1,2})[:.h](?P<mm>\d{2})(?:[:.](?P<ss>\d{2}))?
        \s*(?P<ampm>[ap]\.?m\.?)?\s*h?\.?
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# What may follow a date that opens a line: a separator, or a space and a word (not a number).
_AFTER_LEADING_DATE = re.compile(r"\s*[-–—|•,;(]?\s+[^\W\d]|\s*[-–—|•,;(]\s*\S")
_CJK_PADDED = re.compile(r"(?<!\d)0(\d)(?=\s*[月日時时点分])")
_ORDER = re.compile(r"[DMY]{3}")
_MDY_LANGUAGES = frozenset({"en"})
# Regions (ISO 3166 codes, which are also their country domains) whose English writes day first.
_DAY_FIRST_ENGLISH = frozenset(
    {"gb", "uk", "ie", "au", "nz", "in", "za", "sg", "my", "ng", "ke", "pk", "hk", "mt", "gh"}
)
_YMD_LANGUAGES = frozenset({"ja", "zh", "ko", "hu", "lt", "yue", "mn"})
# "23 okt 2025 kl 10.23", "22 novembre 2024 à 14h30", "1 de maio de 2024 às 10h00" -> "...
# 10:23" for dateparser.
_TIME_CONNECTOR = re.compile(
    r"(?:\s*,)?\s+(?:kl\.?|klo\.?|klockan|kello|um|à|às|a las|alle(?: ore)?|om|at|o|в)\s+"
    r"(\d{1,2})[.:h](\d{2})\b",
    re.IGNORECASE,
)
# A time written with an "h" between hours and minutes ("10h00", "14h30") -> "10:00".
_H_TIME = re.compile(r"\b(\d{1,2})h(\d{2})\b", re.IGNORECASE)
# Language codes whose dateparser name differs from the stored one.
_DATEPARSER_CODES = {"no": "nb"}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date. ``value`` is tz-aware UTC; when ``has_time`` is False only the day is
    known and ``value`` is that day at 00:00 UTC. ``had_offset``: the input carried a UTC
    offset or zone (otherwise it was taken as UTC)."""

    value: datetime
    has_time: bool
    had_offset: bool


def in_zone(parsed: ParsedDate, zone: tzinfo) -> ParsedDate:
    """A time written without an offset (taken as UTC) read as local time in ``zone`` instead;
    dates with an offset, and days without a time, are returned unchanged."""
    if parsed.had_offset or not parsed.has_time:
        return parsed
    local = parsed.value.replace(tzinfo=None).replace(tzinfo=zone)
    return ParsedDate(local.astimezone(UTC), True, True)


def iso_offset(raw: str) -> timedelta | None:
    """The UTC offset an ISO 8601 value writes (``Z`` is zero), or None."""
    text = raw.strip().replace("Z", "+00:00") if isinstance(raw, str) else ""
    try:
        return datetime.fromisoformat(text).utcoffset()
    except ValueError:
        return None


def to_utc(dt: datetime) -> datetime:
    """``dt`` as tz-aware UTC; a naive datetime is taken to be UTC already."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _result(dt: datetime, has_time: bool) -> ParsedDate:
    """Build a ParsedDate; a wall-clock time of exactly 00:00:00 counts as "no time" (CMSs
    write midnight when only the day is known)."""
    had_offset = dt.tzinfo is not None and dt.utcoffset() is not None
    if has_time and (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0):
        has_time = False
    if not has_time:
        return ParsedDate(datetime(dt.year, dt.month, dt.day, tzinfo=UTC), False, had_offset)
    return ParsedDate(to_utc(dt), True, had_offset)


def strip_date_labels(text: str) -> str:
    """``text`` without leading labels ("Published:", "Veröffentlicht am", "Mis à jour le"...),
    without a later "Updated ..." part that follows a first date, and without "Uhr"."""
    later = _LATER_LABEL.search(text)
    if later and later.start() > 0 and re.search(r"\d", text[: later.start()]):
        text = text[: later.start()]
    text = _UHR.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _EDGE_PUNCTUATION.sub("", text)
        text = _LEADING_LABEL.sub("", text)
    return text.strip()


def _parse_iso(text: str) -> ParsedDate | None:
    if not _ISO_START.match(text):
        return None
    candidate = _ISO_NAMED_UTC.sub("+00:00", _ISO_ZONE_NAME.sub("", text))
    candidate = _ISO_SPACED_OFFSET.sub(r"\1", candidate)
    if candidate[-1:] in "zZ":
        candidate = candidate[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(candidate.upper())
    except ValueError:
        return None
    return _result(dt, not _DATE_ONLY_ISO.fullmatch(text))


def _parse_epoch(text: str) -> ParsedDate | None:
    if not _EPOCH.fullmatch(text):
        return None
    seconds = float(text)
    if len(text.split(".", 1)[0]) >= 12:
        seconds /= 1000
    try:
        return _result(datetime.fromtimestamp(seconds, tz=UTC), True)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_rfc2822(text: str) -> ParsedDate | None:
    match = _RFC2822.fullmatch(text)
    if not match:
        return None
    zone = match.group("zone")
    if zone and not zone[0] in "+-" and zone.lower() not in _RFC2822_ZONES:
        return None  # an unknown zone name: let dateparser resolve it
    try:
        dt = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _result(dt, True)


def _default_order(language: str) -> str:
    if language in _MDY_LANGUAGES:
        return "MDY"
    return "YMD" if language in _YMD_LANGUAGES else "DMY"


def _day_first(a: int, b: int, date_order: str | None, languages: Sequence[str]) -> bool:
    if a > 12:
        return True
    if b > 12:
        return False
    if date_order:
        return date_order.index("D") < date_order.index("M")
    if not languages:
        return True
    order = _default_order(languages[0])
    return order.index("D") < order.index("M")


def _parse_numeric(
    text: str, date_order: str | None, languages: Sequence[str]
) -> ParsedDate | None:
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    g = match.groupdict()
    if g["y1"]:
        year, month, day = int(g["y1"]), int(g["m1"]), int(g["d1"])
    else:
        a, b, year_text = int(g["a"]), int(g["b"]), g["y2"]
        if len(year_text) == 2:
            if g["s2"] != ".":
                return None  # "05/03/24" is too ambiguous for the fast path
            year = 2000 + int(year_text)
        else:
            year = int(year_text)
        dotted = g["s2"] == "." and not date_order  # "03.05.2024" is day-first everywhere
        if dotted or _day_first(a, b, date_order, languages):
            day, month = a, b
        else:
            month, day = a, b
    hour = minute = second = 0
    has_time = g["hh"] is not None
    if has_time:
        hour, minute, second = int(g["hh"]), int(g["mm"]), int(g["ss"] or 0)
        ampm = (g["ampm"] or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    try:
        dt = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return _result(dt, has_time)


def _parse_leading_numeric(
    text: str, date_order: str | None, languages: Sequence[str]
) -> ParsedDate | None:
    """A numeric date that opens a longer line ("05.02.2020 - Redaktion: A. Name", "03.05.2024
    14:30 | Politik"), read when nothing parses the whole line."""
    match = _NUMERIC.match(text)
    if match is None or not _AFTER_LEADING_DATE.match(text, match.end()):
        return None
    return _parse_numeric(match.group(0).strip(), date_order, languages)


def _same_day_either_way(a: ParsedDate, b: ParsedDate) -> bool:
    """Whether ``a`` and ``b`` are the same day of the same year, reading day and month either
    way round (the two parsers may settle an ambiguous order differently)."""
    x, y = a.value, b.value
    return x.year == y.year and {x.month, x.day} == {y.month, y.day}


def _language_hints(languages: Sequence[str] | None) -> tuple[str, ...]:
    """The valid, distinct language codes among the hints, in order."""
    codes: list[str] = []
    for tag in languages or ():
        code = normalize_language(tag) if isinstance(tag, str) else None
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def _dateparser_languages(hints: tuple[str, ...]) -> tuple[str, ...] | None:
    known = _dateparser_known_languages()
    codes: list[str] = []
    for hint in hints:
        code = _DATEPARSER_CODES.get(hint, hint)
        if code in known and code not in codes:
            codes.append(code)
    if not codes:
        return None  # no usable hint: the caller falls back to DEFAULT_LANGUAGES
    if "en" not in codes:
        codes.append("en")  # many non-English pages still print "3 hours ago"
    return tuple(codes)


@functools.lru_cache(maxsize=1)
def _dateparser_known_languages() -> frozenset[str]:
    from dateparser.data.languages_info import language_order

    return frozenset(language_order)


@functools.lru_cache(maxsize=64)
def _date_data_parser(
    languages: tuple[str, ...], date_order: str | None, relative_base: datetime
) -> DateDataParser:
    """A cached DateDataParser for known dateparser language codes."""
    from dateparser.date import DateDataParser  # lazy: importing dateparser costs ~55 ms

    settings: dict[str, Any] = {"RELATIVE_BASE": relative_base, "PREFER_DATES_FROM": "past"}
    if date_order:
        settings["DATE_ORDER"] = date_order
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:
        logger.warning("dateparser rejected languages %s; using the defaults", languages)
        return DateDataParser(languages=list(DEFAULT_LANGUAGES), settings=settings)


def _parse_dateparser(
    text: str, languages: tuple[str, ...] | None, date_order: str | None, now: datetime
) -> ParsedDate | None:
    relative_base = now.astimezone(UTC).replace(tzinfo=None)
    if not any(c.isdigit() for c in text) and (len(text) > 40 or len(text.split()) > 6):
        return None  # no number and too long for "vor einer Stunde" / "yesterday"
    if date_order is None and languages:
        # dateparser may pick an English locale for a German page ("06/01/2026 14:02 MEZ"):
        # pin the day/month order to the page language, as the numeric fast path does.
        date_order = _default_order(languages[0])
    text = _TIME_CONNECTOR.sub(r" \1:\2", text[:MAX_DATEPARSER_CHARS])
    text = _H_TIME.sub(r"\1:\2", text)
    parser = _date_data_parser(languages or DEFAULT_LANGUAGES, date_order, relative_base)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    parts = getattr(data, "parts", None)
    if parts is not None:
        if "day" not in parts:
            return None  # only a month or a year
        has_time = "time" in parts
    else:
        if data.period in ("month", "year"):
            return None
        has_time = True
    return _result(data.date_obj, has_time)


# A page repeats its date strings (meta, JSON-LD, the visible line): each is parsed once.
_PARSE_CACHE_SIZE = 1024


@functools.lru_cache(maxsize=_PARSE_CACHE_SIZE)
def _parse(
    raw: str, languages: tuple[str, ...] | None, date_order: str | None, now: datetime
) -> ParsedDate | None:
    """``raw`` (at most MAX_INPUT_CHARS of it) parsed; see :func:`parse_date`."""
    text = clean_text(raw)
    if not text:
        return None
    text = strip_date_labels(text)
    if not text or _TIME_ONLY.fullmatch(text) or not re.search(r"\w", text):
        return None
    if _DURATION.fullmatch(text):
        return None  # a reading or video time ("0.8 Minuten", "5 min read"), not "5 min ago"
    order = date_order.upper() if isinstance(date_order, str) else None
    if order is not None and not (_ORDER.fullmatch(order) and len(set(order)) == 3):
        order = None
    hints = _language_hints(languages)
    parsed = (
        _parse_iso(text)
        or _parse_epoch(text)
        or _parse_rfc2822(text)
        or _parse_numeric(text, order, hints)
    )
    if parsed is None:
        # dateparser reads a zero-padded "06月24日" as the year 2006: drop the padding.
        unpadded = _CJK_PADDED.sub(r"\1", text)
        parsed = _parse_dateparser(unpadded, _dateparser_languages(hints), order, now)
        opening = _NUMERIC.match(text)
        day = _parse_numeric(opening.group(0).strip(), order, hints) if opening else None
        if parsed is not None and day is not None and not _same_day_either_way(parsed, day):
            # the numeric date opening the line says which day: dateparser may read the words
            # after it as a relative phrase ("01/05/2024 - 10h" as "10 hours ago")
            parsed = day
    if parsed is None:
        parsed = _parse_leading_numeric(text, order, hints)
    if parsed is None or not MIN_DATE <= parsed.value <= now + FUTURE_SLACK:
        return None
    return parsed


def parse_date(
    raw: str,
    *,
    languages: Sequence[str] | None = None,
    date_order: str | None = None,
    now: datetime | None = None,
) -> ParsedDate | None:
    """Parse a date as found on a page, or None when it is not a plausible publication date.

    ``languages``: the page language(s) as hints for month names and relative phrases;
    ``date_order``: "DMY"/"MDY"/"YMD" for ambiguous numeric dates (else the language decides:
    English month-first, others day-first); ``now``: the base for relative dates ("vor 3
    Stunden") and the future limit (default: the current time). Rejects values before
    1990-01-01 or after now + 2 days, month-only values and bare times. Never raises.
    """
    # Default "now" is rounded to the minute so that the cached dateparser instance is reused.
    base = datetime.now(UTC).replace(second=0, microsecond=0) if now is None else to_utc(now)
    try:
        if not isinstance(raw, str):
            return None
        hints = tuple(languages) if languages is not None else None
        return _parse(raw[:MAX_INPUT_CHARS], hints, date_order, base)
    except Exception:  # a date string must never crash a crawl
        logger.debug(
            "could not parse date %r", raw[:80] if isinstance(raw, str) else raw, exc_info=True
        )
        return None


_URL_DATES = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})_(\d{1,2})_(\d{1,2})(?!\d)"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})(?=/|$)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4}|\d{6})?(?!\d)"),
)


_YEAR = re.compile(
    r"\d{4}|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2}(?!\d)|'\d{2}(?!\d)|\d{2}年|\d{2,4}\s*(?:г\.?|год)"
)


def states_year(raw: str) -> bool:
    """True when a raw date string writes its year (a four-digit number, ``03.05.24``,
    ``'24``); ``"18 Mai"`` or ``"June 24, 10:30"`` do not."""
    return bool(_YEAR.search(raw))


def locale_date_order(language_tag: str | None, url: str) -> str | None:
    """``DMY`` for English pages of countries that write the day first (``en-GB``, ``en-AU``,
    ..., or an English page without region on such a country's domain), ``MDY`` for ``en-US``;
    None when the locale says nothing beyond the language."""
    if not isinstance(language_tag, str):
        return None
    parts = re.split(r"[-_]", language_tag.strip().lower())
    if parts[0] != "en":
        return None
    region = parts[1] if len(parts) > 1 else None
    if region is None:
        host = (urlsplit(url).hostname or "") if isinstance(url, str) else ""
        region = host.rsplit(".", 1)[-1] if "." in host else None
    if region in _DAY_FIRST_ENGLISH:
        return "DMY"
    return "MDY" if region in ("us", "ph") else None


def date_from_url(url: str) -> date | None:
    """The publication day written in an article URL's path, or None.

    Recognizes ``/2024/05/03/``, ``/2024/0503/``, ``-2024-05-03-``, ``_2024_05_03``,
    ``/20240503/`` and ``-20240503123000-`` forms; a path with only year and month
    (``/2024/05/``) gives None. The day must exist and lie between 1990 and two days from now.
    """
    if not isinstance(url, str):
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    latest = (datetime.now(UTC) + FUTURE_SLACK).date()
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            try:
                found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if MIN_DATE.date() <= found <= latest:
                return found
    return None
