"""The normalize stage: choose one value per field among the extracted candidates, normalize it,
and record where it came from.

Precedence per field (first usable candidate wins; ``site`` overrides always come first):

- headline: JSON-LD ``headline``, OpenGraph title, the article's ``<h1>``, Twitter, microdata,
  meta, ``<title>``, feed/sitemap title; site names are stripped from every candidate; among
  candidates with the same words, the spelling most sources share. When the winner is the
  ``<title>`` or an ``<h1>`` that names a section, blog or the site, the title part the page
  shows as an element's whole text wins instead ("Storm hits coast - News - Daily Paper" ->
  "Storm hits coast"; see :func:`_shown_title_part`). An undeclared winner (``<h1>``,
  ``<title>``, meta) that shares no word with the story's opening loses to the heading right
  above the story when that heading does, unless the URL's path spells it
  (:func:`_story_heading_instead`).
  (On the dev corpus JSON-LD first matches the hand-checked headline on 88% of pages, og:title
  first on 80%, ``<h1>`` first on 76%; where they disagree, publishers differ on which is "the"
  headline.)
- published: JSON-LD ``datePublished``, ``article:published_time``, other meta, microdata,
  ``<time>`` in the article header; for a page that marks up none, htmldate's search of the
  page; then the news-sitemap or feed date; then the URL's date. A candidate whose day
  disagrees with a date in the URL loses to one that agrees; one that two other source
  families contradict by two days or more loses to them; a generic ``<meta name="date">``
  loses to an earlier visible date; a numeric date that reads both ways takes the reading
  another candidate confirms. Never the crawl time.
- modified: the same sources for ``dateModified``; dropped when earlier than ``published``.
- authors: people before organisations: site, JSON-LD persons, visible byline, microdata, meta,
  then organisations only when no person was found (a JSON-LD ``Organization`` first).
- tags: the article's own keywords, merged in this order: visible category and tag links (or
  the article's list of topic-page links), JSON-LD ``keywords``, ``article:tag``,
  ``news_keywords``, Parse.ly tags, microdata, news-sitemap keywords; plain meta ``keywords``
  only when none of these has any; site names, slugs of listed tags and junk removed.
- section: site, JSON-LD ``articleSection``, ``article:section``, meta, the first category link,
  breadcrumbs.
- summary: the visible lead, else the description when it is not just the body's opening.
- body: the extracted text, trimmed by :func:`newscrawl.normalization.body.trim_body`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from newscrawl.items import Article, Candidate, ExtractedPage
from newscrawl.normalization.authors import is_probably_person, normalize_authors
from newscrawl.normalization.body import is_media_caption, trim_body, without_headline_prefix
from newscrawl.normalization.dates import (
    ParsedDate,
    date_from_url,
    in_zone,
    iso_offset,
    locale_date_order,
    parse_date,
    states_year,
)
from newscrawl.normalization.language import detect_language, normalize_language
from newscrawl.normalization.tags import normalize_tags
from newscrawl.normalization.text import (
    CJK_RE,
    clean_multiline,
    clean_text,
    comparison_key,
    matches_site_name,
    site_name_keys,
    site_name_variants,
    strip_site_name,
    title_parts,
    without_decorations,
    without_site_prefix,
    without_trailing_date,
    word_count,
)
from newscrawl.normalization.urls import canonicalize_url, points_home, same_site

HEADLINE_ORDER: tuple[str, ...] = (
    "site", "jsonld", "opengraph", "h1", "twitter", "microdata", "meta", "title", "title:shown",
    "jsonld:name", "news-sitemap", "feed", "sitemap", "heading", "above-story",
)  # fmt: skip
_ISO_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}$|Z$")
# Date sources that do not say which date they are: a visible earlier date beats them.
_GENERIC_DATE_SOURCES = frozenset({"meta:date"})
_GENERIC_SLACK = timedelta(days=60)
_RELATIVE_PROBE = timedelta(days=100)
# A numeric date whose day and month could be swapped: "11/01/2023", "03.04.2024 10:00".
_AMBIGUOUS_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_NON_VOTING_SOURCES = frozenset({"site", "htmldate", "news-sitemap", "feed", "sitemap", "url"})
DATE_ORDER: tuple[str, ...] = (
    "site", "jsonld", "opengraph", "meta:itemprop", "meta:parsely", "meta:sailthru", "meta",
    "meta:date", "meta:dc", "microdata", "time", "jsonld:dateCreated", "htmldate", "news-sitemap",
    "feed", "sitemap", "url",
)  # fmt: skip
AUTHOR_ORDER: tuple[str, ...] = (
    "site", "jsonld:person", "jsonld:unknown", "byline", "microdata", "meta", "jsonld:organization",
)  # fmt: skip
TAG_SOURCES: tuple[str, ...] = (
    "links", "jsonld:keywords", "opengraph", "meta:news_keywords", "meta:parsely", "microdata",
    "news-sitemap",
)  # fmt: skip
SECTION_ORDER: tuple[str, ...] = ("site", "jsonld", "opengraph", "meta", "microdata", "links")
SUMMARY_ORDER: tuple[str, ...] = ("site", "lead", "jsonld", "opengraph", "meta", "twitter")


_key = comparison_key


def _by_source(candidates: Iterable[Candidate], order: Sequence[str]) -> list[Candidate]:
    """Candidates sorted by the position of their source in ``order`` (unknown sources last)."""
    rank = {source: i for i, source in enumerate(order)}
    return sorted(candidates, key=lambda c: rank.get(c.source, len(order)))


def choose_headline(
    candidates: list[Candidate], site_names: Sequence[str], body: str = "", url: str = ""
) -> Candidate | None:
    """The headline, site names stripped. See the module docstring for the precedence."""
    cleaned = _cleaned_headlines(candidates, site_names)
    if not cleaned:
        return None
    title_names_site = any(
        c.source == "title"
        and without_site_prefix(strip_site_name(clean_text(c.value), site_names), site_names)
        != clean_text(c.value)
        for c in candidates
    )
    chosen = _choose_ranked_headline(cleaned, site_names, title_names_site)
    return _story_heading_instead(chosen, cleaned, body, url)


def _cleaned_headlines(candidates: list[Candidate], site_names: Sequence[str]) -> list[Candidate]:
    """Every usable candidate (400 characters at most) without site names, a trailing date or
    typed decorations, and without the site's name before a colon when it is the ``<title>``
    or another candidate is the rest (:func:`_without_site_prefix`); a candidate that is only
    the site's name ("Press TV" as the whole ``<title>``) only when every candidate is."""
    cleaned = []
    for c in candidates:
        value = without_decorations(
            without_trailing_date(strip_site_name(clean_text(c.value), site_names))
        )
        if value and len(value) <= 400:
            cleaned.append(Candidate(value, c.source))
    cleaned = _without_site_prefix(cleaned, site_names)
    keys = site_name_keys(site_names)
    headlines = [c for c in cleaned if c.source == "site" or not matches_site_name(c.value, keys)]
    return headlines or cleaned


def _without_site_prefix(cleaned: list[Candidate], site_names: Sequence[str]) -> list[Candidate]:
    """``cleaned`` with the site's name before a colon removed (:func:`~newscrawl.normalization.
    text.without_site_prefix`: "Harbour Notes: Storm hits") from the ``<title>``, where blogs
    put it, and from any candidate whose rest another candidate is; in a declared headline
    that no other source confirms so, the name is the subject ("Bob: the harbour plan")."""
    keys = {_key(c.value) for c in cleaned}
    out = []
    for c in cleaned:
        rest = without_site_prefix(c.value, site_names)
        if rest != c.value and (c.source == "title" or _key(rest) in keys):
            c = Candidate(rest, c.source)
        out.append(c)
    return out


def _choose_ranked_headline(
    cleaned: list[Candidate], site_names: Sequence[str], title_names_site: bool
) -> Candidate:
    ranked = _by_source(cleaned, HEADLINE_ORDER)
    best = ranked[0]
    if best.source == "site":
        return best
    shown = _shown_title_part(best, ranked, title_names_site)
    if shown is not None and not matches_site_name(shown.value, site_name_keys(site_names)):
        return shown
    # The title's part and the line above the story repeat other candidates: no second vote.
    voters = [c for c in ranked if c.source not in ("title:shown", "above-story")]
    # Sources that agree on the words may differ in punctuation ("A - B" / "A: B"): take the
    # spelling most sources use (a <title> with a section suffix counts for its headline), the
    # first by precedence on a tie.
    best_key = _key(best.value)
    variants = [c for c in voters if _key(c.value) == best_key] or [best]
    return max(variants, key=lambda c: sum(_spells(v.value, c.value) for v in voters))


# Headline sources read from the page's chrome, not declared by the publisher.
_UNDECLARED_HEADLINES = frozenset({"h1", "title", "title:shown", "meta", "heading"})
_OPENING_WORDS = 100
_CONTENT_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def _story_heading_instead(
    chosen: Candidate, cleaned: list[Candidate], body: str, url: str
) -> Candidate:
    """The heading above the story (source ``above-story``) instead of an undeclared headline
    that shares no word of four letters or more with the body's opening 100 words, when the
    heading does: that headline is a section or site name in ``<h1>`` or ``<title>`` ("Latest
    News"). A headline whose words the URL's path spells stays."""
    above = next((c for c in cleaned if c.source == "above-story"), None)
    if chosen.source not in _UNDECLARED_HEADLINES or above is None or CJK_RE.search(body[:500]):
        return chosen
    chosen_words = _content_words(chosen.value)
    if chosen_words and chosen_words <= _content_words(unquote(urlsplit(url).path)):
        return chosen
    above_key = _key(above.value)
    if not above_key or above_key == _key(chosen.value):
        return chosen
    paragraphs = [p for p in body.split("\n\n") if _key(p) != above_key]
    opening = _content_words(" ".join(" ".join(paragraphs).split()[:_OPENING_WORDS]))
    if chosen_words & opening or not _content_words(above.value) & opening:
        return chosen
    return above


def _content_words(text: str) -> set[str]:
    return {w.casefold() for w in _CONTENT_WORD_RE.findall(text)}


def _shown_title_part(
    best: Candidate, ranked: list[Candidate], title_names_site: bool
) -> Candidate | None:
    """The part of the ``<title>`` the page shows (``title:shown``) when it beats ``best``: a
    ``<title>`` with section or site parts nobody declared; an ``<h1>`` the title does not
    contain (a section name such as "Latest News", or the site's full name as a banner), but
    against a title of one part that named no site (``title_names_site`` false) only a shorter
    one (a headline ``<h1>`` beside a title that is just the site's name stays); an ``<h1>``
    that is a shorter whole part of the title (a blog's name: "Blog: Post title")."""
    shown = next((c for c in ranked if c.source == "title:shown"), None)
    title = next((c for c in ranked if c.source == "title"), None)
    if shown is None or title is None or best.source not in ("h1", "title"):
        return None
    if best.source != "h1":
        return shown
    if _key(best.value) in _key(title.value):
        if _is_title_part(best.value, title.value) and _title_words(shown.value) > _title_words(
            best.value
        ):
            return shown  # the <h1> is the blog's name, a shorter part of the title
        return None
    whole_title = _key(shown.value) == _key(title.value)
    if (
        whole_title
        and not title_names_site
        and _title_words(best.value) >= _title_words(shown.value)
    ):
        return None  # a headline <h1> beside a title that may be just the site's name
    return shown


_APOSTROPHE_RE = re.compile(r"(?<=\w)['’](?=\w)")


def _title_words(text: str) -> int:
    """Words in a title or heading, an apostrophe inside a word not splitting it ("Seth's
    Blog" is two words, as long as "Storm hits")."""
    return word_count(_APOSTROPHE_RE.sub("", text))


def _is_title_part(text: str, title: str) -> bool:
    """Whether ``text`` is one whole part of ``title`` (:func:`title_parts`)."""
    key = _key(text)
    return any(_key(part) == key for part in title_parts(title))


def _spells(text: str, headline: str) -> bool:
    """True if ``text`` is ``headline`` exactly or followed by a suffix ("... - Politik")."""
    return text == headline or (
        text.startswith(headline) and text[len(headline) : len(headline) + 1].isspace()
    )


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
    for c in _by_source(candidates, DATE_ORDER):
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


def choose_authors(
    candidates: list[Candidate], site_names: Sequence[str]
) -> tuple[tuple[str, ...], str | None]:
    """People named as authors, from the first source that names any; organisations only
    when no source names a person."""
    groups: dict[str, list[str]] = {}
    for c in _by_source(candidates, AUTHOR_ORDER):
        groups.setdefault(c.source, []).append(c.value)
    fallbacks: list[tuple[tuple[str, ...], str]] = []
    for source, values in groups.items():
        names = normalize_authors(values, site_names=site_names)
        if not names:
            continue
        people = tuple(n for n in names if is_probably_person(n))
        if people:
            return people, source
        fallbacks.append((names, source))
    if not fallbacks:
        return (), None
    # An author the publisher typed as an Organization is explicit; untyped strings without a
    # person in them are often places or labels ("hessenschau.de, Frankfurt, Germany").
    typed = [f for f in fallbacks if f[1] in ("site", "jsonld:organization")]
    return (typed or fallbacks)[0]


_SEO_KEYWORD_LIST = 15
_WORD_LIST_SHARE = 0.8


def _is_word_list(tags: Sequence[str], mentioned: Sequence[str]) -> bool:
    """Whether a long keyword list is words a script pulled from the article ("our",
    "missile", "bayern", "two free"): every value in lower case (so written in a script with
    capitals: a Japanese list never is), most of them single words, and most of them
    ``mentioned`` in the text (a site's SEO list mostly is not)."""
    single = sum(1 for tag in tags if " " not in tag)
    return (
        all(tag == tag.lower() != tag.upper() for tag in tags)
        and single >= _WORD_LIST_SHARE * len(tags)
        and len(mentioned) >= _WORD_LIST_SHARE * len(tags)
    )


def _mentions(text_key: str, keyword_key: str) -> bool:
    """Whether a text mentions a keyword (both :func:`_key`-normalized): as whole words, or
    anywhere for a keyword in Chinese, Japanese or Korean characters, where a word runs on into
    the next (or, in Korean, into its particle)."""
    if CJK_RE.search(keyword_key):
        return keyword_key in text_key
    return f" {keyword_key} " in f" {text_key} "


_TITLE_TAG_WORDS = 4  # a headline this long is a title, not also a topic


def _without_key(tags: tuple[str, ...], key: str) -> tuple[str, ...]:
    """``tags`` without those whose comparison key is ``key`` (none removed for "")."""
    return tuple(t for t in tags if _key(t) != key) if key else tags


def choose_tags(
    candidates: list[Candidate], site_names: Sequence[str], text: str = "", headline: str = ""
) -> tuple[tuple[str, ...], str | None]:
    """The article's keywords from every tag source, merged in source order, never the
    ``headline`` itself when it has four words or more (a CMS that fills the keywords with the
    title; a headline that is a name, "Will Smith", is also a topic). Plain meta keywords
    serve only when no other source gives any; a list of more than 15 is the site's SEO list,
    of which only the keywords the article's ``text`` (headline, lead and body) mentions are
    kept, or words pulled from the text (:func:`_is_word_list`), of which none are."""
    site = [c.value for c in candidates if c.source == "site"]
    if site:
        return normalize_tags(site, site_names=site_names), "site"
    headline_key = _key(headline) if len(headline.split()) >= _TITLE_TAG_WORDS else ""
    chosen = [c for c in _by_source(candidates, TAG_SOURCES) if c.source in TAG_SOURCES]
    tags = _without_key(
        normalize_tags([c.value for c in chosen], site_names=site_names), headline_key
    )
    if tags:
        sources = sorted({c.source for c in chosen}, key=TAG_SOURCES.index)
        return tags, "+".join(sources)
    # Plain meta keywords are often the site's SEO list; they serve only when nothing else does.
    fallback = [c.value for c in candidates if c.source == "meta:keywords"]
    tags = _without_key(normalize_tags(fallback, site_names=site_names), headline_key)
    if len(tags) > _SEO_KEYWORD_LIST:
        text_key = _key(text)
        mentioned = tuple(t for t in tags if _mentions(text_key, _key(t)))
        tags = () if _is_word_list(tags, mentioned) else mentioned
    return tags, "meta:keywords" if tags else None


def choose_section(
    extracted: ExtractedPage, site_names: Sequence[str], headline: str = ""
) -> Candidate | None:
    """The section: explicit section metadata first, then the first category link, then the
    breadcrumb before the article itself; never the ``headline``, and of a list ("Mobiles,
    Vodafone") its first value."""
    headline_key = _key(headline)
    for c in _by_source(extracted.candidates.get("section", []), SECTION_ORDER):
        value = clean_text(c.value)
        if not value or len(value) > 80 or _key(value) == headline_key:
            continue
        values = normalize_tags([value], site_names=site_names)
        if values:
            return Candidate(value if len(values) == 1 else values[0], c.source)
    crumbs = extracted.first("breadcrumbs")
    if crumbs:
        parts = [p.strip() for p in crumbs.value.split("›") if p.strip()]
        useful = [p for p in parts[1:] if normalize_tags([p], site_names=site_names)]
        if useful and _key(useful[-1]) == headline_key:
            useful.pop()  # the crumb of the article itself
            return Candidate(useful[-1], "breadcrumbs") if useful else None
        if len(useful) >= 2:
            return Candidate(useful[-2], "breadcrumbs")
        if useful:
            return Candidate(useful[0], "breadcrumbs")
    return None


def choose_summary(
    candidates: list[Candidate], body: str, headline: str | None = None
) -> Candidate | None:
    """The lead: a visible lead element, else a description that is not merely the opening of
    the body (an auto-generated teaser would only repeat it); never the ``headline`` again,
    whole, cut short or labelled (:func:`_only_labels_the_headline`), nor a picture's caption
    (:func:`~newscrawl.normalization.body.is_media_caption`). A headline run into the lead's
    opening goes
    (:func:`~newscrawl.normalization.body.without_headline_prefix`)."""
    body_key = _key(body)
    headline_key = _key(headline) if headline else ""
    for c in _by_source(candidates, SUMMARY_ORDER):
        if c.source.endswith((":hidden", ":caption")):
            continue
        value = clean_multiline(c.value)
        if headline_key:
            value = without_headline_prefix(value, {headline_key})
        if len(value) < 20 or (headline_key and _only_labels_the_headline(value, headline_key)):
            continue
        if is_media_caption(value) and c.source != "site":
            continue  # a picture's caption given as the description
        if c.source in ("site", "lead"):
            return Candidate(value, c.source)
        probe = _key(value)[:60]  # _key drops a trailing ellipsis with the other punctuation
        if probe and probe in body_key:
            return None
        return Candidate(value, c.source)
    return None


_HEADLINE_LABEL_WORDS = 6


def _only_labels_the_headline(value: str, headline_key: str) -> bool:
    """Whether ``value`` is the headline again, whole or cut short, or with no more than six
    words of labels around it: a breadcrumb trail ("Home / Blog / ..."), a section ("Kultur :
    ..."), the site's name ("... - Science Now") or a byline ("... by Jane Roe")."""
    key = _key(value)
    return key in headline_key or (
        headline_key in key
        and len(key.split()) <= len(headline_key.split()) + _HEADLINE_LABEL_WORDS
    )


def choose_canonical(extracted: ExtractedPage) -> tuple[str, str]:
    """The canonical URL (tracking parameters removed) and its source. A canonical pointing to
    another site or to the site's home page is ignored."""
    url = canonicalize_url(extracted.url) or extracted.url
    for c in extracted.candidates.get("canonical_url", []):
        candidate = canonicalize_url(c.value, base=extracted.url)
        if not candidate or not same_site(candidate, url):
            continue
        if points_home(candidate, url):
            continue
        return candidate, c.source
    return url, "url"


def choose_language(extracted: ExtractedPage, body: str) -> tuple[str | None, str | None]:
    """Declared language (JSON-LD, ``<html lang>``, meta, site configuration), else detected."""
    for c in extracted.candidates.get("language", []):
        lang = normalize_language(c.value)
        if lang:
            return lang, c.source
    hint = normalize_language(extracted.language_hint)
    if hint:
        return hint, "site"
    detected = detect_language(body)
    return (detected, "detected") if detected else (None, None)


def normalize_article(extracted: ExtractedPage) -> Article:
    """Turn an :class:`ExtractedPage` into one normalized :class:`Article`."""
    sources: dict[str, str] = {}
    site_name = extracted.first("site_name")
    site_names = site_name_variants(site_name.value if site_name else None, extracted.url)

    body = clean_multiline(extracted.body)
    language, lang_source = choose_language(extracted, body)
    languages = [language] if language else []

    headline = choose_headline(
        extracted.candidates.get("headline", []), site_names, body, extracted.url
    )
    summary = choose_summary(
        extracted.candidates.get("summary", []), body, headline.value if headline else None
    )
    declared = extracted.first("language")
    date_order = extracted.date_order or locale_date_order(
        declared.value if declared else None, extracted.url
    )
    published = choose_date(
        extracted.candidates.get("published", []),
        url=extracted.url,
        languages=languages,
        date_order=date_order,
        extracted=extracted,
    )
    modified = choose_date(
        extracted.candidates.get("modified", []),
        url="",
        languages=languages,
        date_order=date_order,
        extracted=extracted,
    )
    if modified and published and modified[0].value < published[0].value:
        modified = None
    authors, authors_source = choose_authors(extracted.candidates.get("authors", []), site_names)
    # A title part the page shows counts only when chosen: it may be the post's own title line.
    headlines = [
        c.value
        for c in extracted.candidates.get("headline", [])
        if c.source not in ("title:shown", "above-story")
    ] + ([headline.value] if headline else [])
    trimmed = trim_body(
        body,
        summary=summary.value if summary else None,
        headlines=headlines,
        authors=authors,
        languages=languages,
    )
    if summary is not None and word_count(trimmed) < word_count(summary.value):
        # The "lead" held most of the story (a short post): it is the body, not a summary.
        summary = None
        trimmed = trim_body(
            body, summary=None, headlines=headlines, authors=authors, languages=languages
        )
    body = trimmed
    tags, tags_source = choose_tags(
        extracted.candidates.get("tags", []),
        site_names,
        text=f"{headline.value if headline else ''}\n{summary.value if summary else ''}\n{body}",
        headline=headline.value if headline else "",
    )
    section = choose_section(extracted, site_names, headline.value if headline else "")
    if (
        section
        and not any(_key(t) == _key(section.value) for t in tags)
        and section.source == "links"
    ):
        tags = (section.value, *tags)
    canonical, canonical_source = choose_canonical(extracted)
    image = extracted.first("image")
    image_url = canonicalize_url(image.value, base=extracted.url) if image else None

    for name, source in (
        ("headline", headline.source if headline else None),
        ("summary", summary.source if summary else None),
        ("body", extracted.body_source),
        ("published", published[1].source if published else None),
        ("modified", modified[1].source if modified else None),
        ("authors", authors_source),
        ("tags", tags_source),
        ("section", section.source if section else None),
        ("language", lang_source),
        ("canonical_url", canonical_source),
        ("image", image.source if image and image_url else None),
    ):
        if source:
            sources[name] = source
    return Article(
        url=extracted.url,
        canonical_url=canonical,
        site=extracted.site,
        headline=headline.value if headline else "",
        body=body,
        fetched_at=extracted.fetched_at,
        summary=summary.value if summary else None,
        published=published[0].value if published else None,
        # raw date strings as found, less NUL (PostgreSQL text cannot hold it)
        published_raw=published[1].value.replace("\x00", "") if published else None,
        published_source=published[1].source if published else None,
        published_has_time=published[0].has_time if published else True,
        modified=modified[0].value if modified else None,
        modified_raw=modified[1].value.replace("\x00", "") if modified else None,
        modified_source=modified[1].source if modified else None,
        section=section.value if section else None,
        tags=tags,
        authors=authors,
        language=language,
        image=image_url,
        sources=sources,
        signals=extracted.signals,
        etag=extracted.etag,
        last_modified=extracted.last_modified,
    )
