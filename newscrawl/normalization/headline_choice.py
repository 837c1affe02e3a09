"""Choosing the headline among the page's candidates: site names and decorations stripped,
the title part the page shows, the heading above the story when the declared-less winner is a
section name. The precedence is :data:`~newscrawl.normalization.precedence.HEADLINE_ORDER`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from newscrawl.items import Candidate
from newscrawl.normalization.precedence import HEADLINE_ORDER, by_source
from newscrawl.normalization.text import (
    CJK_RE,
    clean_text,
    comparison_key,
    matches_site_name,
    site_name_keys,
    strip_site_name,
    title_parts,
    title_segments,
    without_blog_archive_label,
    without_decorations,
    without_site_prefix,
    without_trailing_date,
    word_count,
)

_key = comparison_key


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


# Script code run into a candidate by broken markup ('...Title(The Times)ntById("font");').
_SCRIPT_RE = re.compile(r"""\w\((?:"[^"]*"|'[^']*')\)\s*;|\bfunction\s*\([^)]*\)\s*\{""")


def _cleaned_headlines(candidates: list[Candidate], site_names: Sequence[str]) -> list[Candidate]:
    """Every usable candidate (400 characters at most, no script code in it) without site
    names, a trailing date or typed decorations, and without the site's name before a colon
    when it is the ``<title>`` or another candidate is the rest (:func:`_without_site_prefix`);
    a candidate that is only the site's name ("Press TV" as the whole ``<title>``) only when
    every candidate is."""
    cleaned = []
    for c in candidates:
        text = without_blog_archive_label(clean_text(c.value))
        value = without_decorations(
            without_trailing_date(
                _after_breadcrumb_sections(text, strip_site_name(text, site_names))
            )
        )
        if value and len(value) <= 400 and not _SCRIPT_RE.search(value):
            cleaned.append(Candidate(value, c.source))
    cleaned = _without_site_prefix(cleaned, site_names)
    keys = site_name_keys(site_names)
    headlines = [c for c in cleaned if c.source == "site" or not matches_site_name(c.value, keys)]
    return headlines or cleaned


_BREADCRUMB_SECTION_WORDS = 2


def _after_breadcrumb_sections(text: str, stripped: str) -> str:
    """``stripped`` (``text`` without its site names) without the sections of a breadcrumb
    title ("Site | News | Storm floods the quay" -> "Storm floods the quay"): when the site's
    name led, the parts after it go from general to specific, so parts of one or two words
    before a last part of three or more are section names."""
    if stripped == text or not text.endswith(stripped):
        return stripped
    segments = title_segments(stripped)
    if (
        len(segments) >= 2
        and _title_words(segments[-1]) > _BREADCRUMB_SECTION_WORDS
        and all(_title_words(s) <= _BREADCRUMB_SECTION_WORDS for s in segments[:-1])
    ):
        return segments[-1]
    return stripped


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
    ranked = by_source(cleaned, HEADLINE_ORDER)
    best = ranked[0]
    if best.source == "site":
        return best
    completed = _completed(best, ranked)
    if completed is not best:
        return completed
    if best.source not in ("h1", "title"):
        headline = _without_section_suffix(best, ranked)
        if headline is not best:
            return headline
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


_ELLIPSIS_END_RE = re.compile(r"(?:\.\.\.|…)\s*$")


def _completed(best: Candidate, ranked: list[Candidate]) -> Candidate:
    """The shortest candidate that goes on from ``best`` when ``best`` was cut short (a CMS
    that cuts the JSON-LD headline at 110 characters): ``best`` ends in an ellipsis where the
    other goes on without one, or the other goes on in lowercase inside ``best``'s last word
    and then with more words. Else ``best``. (A name glued on, "... 2012Rob Tiffany", is no
    continuation.)"""
    key = _key(best.value)
    cut = best.value.rstrip()
    marked = _ELLIPSIS_END_RE.search(cut) is not None
    longer = []
    for c in ranked:
        other = _key(c.value)
        if not key or len(other) <= len(key) or not other.startswith(key):
            continue
        if marked:
            goes_on = not c.value.startswith(cut)
        else:
            rest = c.value[len(cut) :]
            goes_on = c.value.startswith(cut) and rest[:1].islower() and " " in rest.strip()
        if goes_on:
            longer.append(c)
    return min(longer, key=lambda c: len(_key(c.value))) if longer else best


_SECTION_WORDS = 3  # a title segment this short after the headline names a section


def _without_section_suffix(best: Candidate, ranked: list[Candidate]) -> Candidate:
    """The candidate that is ``best`` without its trailing title segments of three words or
    fewer each (a declared "Storm hits coast - World News" beside an ``<h1>`` or a line above
    the story "Storm hits coast": a section the site name's removal left on); ``best`` itself
    when no other source gives the rest."""
    segments = title_segments(best.value)
    others = {_key(c.value): c for c in ranked if c is not best and c.source != "title:shown"}
    for cut in range(len(segments) - 1, 0, -1):
        if _title_words(segments[cut]) > _SECTION_WORDS:
            break
        rest = others.get(_key(" ".join(segments[:cut])))
        if rest is not None:
            return rest
    return best


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
