"""Text clean-up: invisible characters, whitespace, paragraphs, and site names in headlines."""

from __future__ import annotations

import functools
import html
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from newscrawl.normalization.urls import registrable_domain, url_host

logger = logging.getLogger(__name__)

# Invisible characters that carry no text: zero-width space, word joiner, BOM, soft hyphen,
# Mongolian vowel separator, direction marks and embeddings, C0/C1 controls (whitespace controls
# are handled as whitespace) and lone surrogates. ZWJ/ZWNJ are kept: they shape Indic and
# Persian script and emoji.
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c"
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]"
)
_WHITESPACE = re.compile(r"\s+")
# Kana, CJK ideographs (with compatibility ones) and Hangul: scripts written without spaces.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD_RE = re.compile(r"\w+")


def word_count(text: str) -> int:
    """Words in ``text``; each CJK character counts as a word."""
    cjk = len(CJK_RE.findall(text))
    return len(_WORD_RE.findall(CJK_RE.sub(" ", text))) + cjk


_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")

# Separators between a headline and the site name ("Foo | The Daily Post"), and the ">" of a
# breadcrumb title ("Site > News > Foo").
_SITE_SEPARATOR = re.compile(r"\s*(?:[|｜¦]|::|[：_])\s*|\s+[-–—·/»«›‹*•ㅣ>]\s+")
# A segment that is only a date ("28.04.2023", "2023-04-28"): dropped after a site name.
_DATE_SEGMENT = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\.?")
_TRAILING_DATE = re.compile(r"\s*\(\s*" + _DATE_SEGMENT.pattern + r"\s*\)\s*$")
# English weekday and month names as written in stamps ("Thursday, ", "Jan.", "September"),
# pattern fragments for case-insensitive expressions.
ENGLISH_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
ENGLISH_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A publication stamp that opens with a weekday, run into the end of a heading: "... test
# driver Thursday, 10, January, 2008, 09:14", "... Monday, January 14, 2008". After a comma or
# colon the date is the title's own ("The Briefing, Friday, November 9, 2012").
_TRAILING_STAMP = re.compile(
    rf"(?<![,:;])\s+{ENGLISH_WEEKDAY}"
    rf"(?:\d{{1,2}},?\s+)?{ENGLISH_MONTH},?\s+"
    r"(?:\d{1,2},?\s+)?\d{4}(?:,?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)
# German spellings of umlauts in domain names ("sueddeutsche.de" for "Süddeutsche").
_UMLAUT_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_MAX_SITE_NAME_WORDS = 8

# Leading articles and decoration words ignored when comparing site names loosely, so that
# "DER SPIEGEL", "Spiegel Online" and "spiegel.de" all match "spiegel".
_ARTICLES = frozenset({"the", "der", "die", "das", "le", "la", "les", "el", "il", "lo", "het"})
_DECORATIONS = frozenset(
    {
        "online",
        "news",
        "nachrichten",
        "digital",
        "web",
        "www",
        "de",
        "com",
        "net",
        "org",
        "tv",
        "live",
        "zeitung",
        "newspaper",
        "magazine",
        "magazin",
    }
)
# A web address written in text ("https://x.example/a", "www.x.example").
WEB_ADDRESS_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?]+(?:\s+|$)")


def sentences(text: str) -> list[str]:
    """The non-blank sentences of ``text``, split after runs of ".", "!" or "?"."""
    return [sentence for sentence in _SENTENCE_END_RE.split(text) if sentence.strip()]


_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?([\w-]+(?:\.[\w-]+)+)/?")
_PARENTHESIZED = re.compile(r"\(([^()]+)\)")
_SITE_NAME_PARTS = re.compile(r"\s+[|·/–—-]\s+|[：:｜]\s*")


def _strip_invisible(text: str) -> str:
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def clean_text(s: str | None) -> str:
    """One line of clean text: NFC, no invisible characters, every run of whitespace (NBSP,
    thin spaces, newlines...) one space, no leading/trailing space. Idempotent; None -> ""."""
    if not s:
        return ""
    return _WHITESPACE.sub(" ", _strip_invisible(str(s))).strip()


def unescape_html(s: str) -> str:
    """``s`` with HTML character references resolved, repeatedly, so that double-escaped
    values ("&amp;amp;") come out plain too. Idempotent."""
    previous = None
    while previous != s:
        previous, s = s, html.unescape(s)
    return s


def clean_multiline(s: str | None) -> str:
    """Like ``clean_text`` but keeps the paragraph structure.

    Lines are cleaned and trimmed; lines inside a paragraph stay joined by ``"\\n"``; paragraphs
    (separated by one or more blank lines) are joined by ``"\\n\\n"``. Idempotent; None -> "".
    """
    if not s:
        return ""
    text = _strip_invisible(str(s)).replace("\u2029", "\n\n")
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in _LINE_BREAKS.sub("\n", text).split("\n"):
        line = _WHITESPACE.sub(" ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


# Site names and title pieces recur on every page of a site: their keys are computed once.
_NAME_KEYS_CACHE_SIZE = 4096


def _token_keys(text: str) -> set[str]:
    tokens = re.findall(r"\w+", text)
    keys = {"".join(tokens)}
    without_article = tokens[1:] if len(tokens) > 1 and tokens[0] in _ARTICLES else tokens
    keys.add("".join(without_article))
    keys.add("".join(t for t in without_article if t not in _DECORATIONS))
    keys.discard("")
    # Domains spell names in ASCII: "sueddeutsche" or "suddeutsche" for "süddeutsche".
    return keys | {k.translate(_UMLAUT_SPELLINGS) for k in keys} | {ascii_fold(k) for k in keys}


def ascii_fold(text: str) -> str:
    """``text`` without diacritics ("Müller" → "Muller", "é" → "e"); other letters kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=_NAME_KEYS_CACHE_SIZE)
def name_keys(name: str) -> frozenset[str]:
    """Loose comparison keys of a site (or organisation) name.

    Case-folded, without punctuation, spaces, ``www.``, a TLD, a leading article or decoration
    words such as "Online"/"News": ``"DER SPIEGEL"``, ``"Spiegel.de"`` and ``"spiegel"`` share
    the key ``"spiegel"``.
    """
    text = clean_text(name).casefold()
    if not text:
        return frozenset()
    keys = _token_keys(text)
    domain = _DOMAIN.fullmatch(text)
    if domain:
        registrable = registrable_domain(domain.group(1))
        keys |= _token_keys(registrable.split(".", 1)[0])
    return frozenset(keys)


def site_name_keys(site_names: Iterable[str]) -> frozenset[str]:
    """The union of ``name_keys`` over several site names."""
    keys: set[str] = set()
    for name in site_names:
        if isinstance(name, str):
            keys |= name_keys(name)
    return frozenset(keys)


def matches_site_name(text: str, keys: frozenset[str]) -> bool:
    """True when ``text`` is (loosely) one of the site names whose keys are ``keys``."""
    if not keys or len(text.split()) > _MAX_SITE_NAME_WORDS:
        return False
    return not name_keys(text).isdisjoint(keys)


# Arrows and rules typed around a title: "=> Title <=", ">> Title", "*** Title ***".
_DECORATION_START = re.compile(r"^(?:=+>|-+>|>{2,}|\*{2,}|~{2,})\s*")
_DECORATION_END = re.compile(r"\s*(?:<=+|<-+|<{2,}|\*{2,}|~{2,})$")


def without_decorations(headline: str) -> str:
    """``headline`` without arrows or rules typed around it ("=> Title <=", ">> Title",
    "*** Title ***"); unchanged when nothing else would be left."""
    stripped = _DECORATION_END.sub("", _DECORATION_START.sub("", headline))
    return stripped if stripped else headline


# The page-type label of WordPress's long-time default theme: "Blog » Blog Archive » Post title".
_BLOG_ARCHIVE_PREFIX = re.compile(
    r"^(?:.*?\s[»›>|–-]\s+)?blog[- ]?archiv(?:e|es)?\s+[»›>|–-]\s+", re.IGNORECASE
)


def without_blog_archive_label(headline: str) -> str:
    """``headline`` without a blog template's leading "Blog Archive" label and what comes before
    it ("Harbour Notes » Blog Archive » Storm floods the quay" -> "Storm floods the quay");
    unchanged when nothing else would be left."""
    stripped = _BLOG_ARCHIVE_PREFIX.sub("", headline, count=1)
    return stripped if stripped.strip() else headline


def without_trailing_date(headline: str) -> str:
    """``headline`` without a numeric date in parentheses at its end ("Storm hits the coast
    (14/01/2008)") or a stamp opening with a weekday ("... Thursday, 10, January, 2008,
    09:14"); unchanged when nothing else would be left."""
    stripped = _TRAILING_STAMP.sub("", _TRAILING_DATE.sub("", headline))
    return stripped if stripped else headline


def strip_site_name(headline: str, site_names: Iterable[str]) -> str:
    """The headline without a leading or trailing site name.

    A site name counts only when it is a whole segment joined by a separator (`` - ``, `` – ``,
    `` — ``, `` | ``, `` · ``, `` :: ``, `` / ``, fullwidth ``｜``/``：``...) or set in brackets
    at the end ("(Harbour Times)"), and matches one of ``site_names`` loosely (see
    ``name_keys``) or abbreviates one (:func:`_abbreviates_site`: "HT" for "Harbour Times",
    "Rheinische Post" on rp-online.de). What follows a trailing site name goes with it when it
    is short (a section, a tagline, a page number, a date: "Storm hits - Site - News"), and so
    does a section label of one or two words between the headline and the name, set off like
    the name but not by a dash ("Storm hits | Video | Site"); neither leaves a headline of
    fewer than three words (a date after the name always goes). A site name that ends a chain
    of colon-separated pieces ("Talks go on: Sport: Rugby: News24") goes with the section
    labels of one or two words before it (one before a colon only in a ``<title>``:
    :func:`without_site_prefix`). Other segments are never removed, and a headline that would
    become empty is returned unchanged. Idempotent.
    """
    if not headline:
        return headline
    names = [name for name in site_names if isinstance(name, str)]
    keys = site_name_keys(names)
    if not keys:
        return headline
    site = _SiteNames(keys, frozenset(filter(None, map(_initials, names))))
    text = headline
    while True:
        stripped = _without_one_site_affix(text, site)
        if stripped == text:
            return text
        text = stripped


@dataclass(frozen=True, slots=True)
class _SiteNames:
    keys: frozenset[str]  # name_keys of every site name
    initials: frozenset[str]  # of the site names of two words or more

    def named_by(self, segment: str) -> bool:
        """Whether a title segment is the site's name (loosely) or an abbreviation of it."""
        return (
            matches_site_name(segment, self.keys)
            or _name_at_either_end(segment, self.keys)
            or _abbreviates_site(segment, self)
        )


_ABBREVIATION_RE = re.compile(r"[^\W\d_]{2,6}")
_NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")


def _initials(name: str) -> str:
    """The initials of a name of two to six capitalised words ("Harbour Times" -> "ht", "Der
    Harbour Bote" -> "hb"), else ""."""
    words = [w for w in _NAME_WORD_RE.findall(clean_text(name)) if w.casefold() not in _ARTICLES]
    if not 2 <= len(words) <= 6 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).casefold()


def _abbreviates_site(segment: str, site: _SiteNames) -> bool:
    """Whether ``segment`` is the initials of a site name ("HT" for "Harbour Times"), or a name
    whose initials are the site's short name ("Rheinische Post" on rp-online.de)."""
    text = segment.strip()
    if _ABBREVIATION_RE.fullmatch(text) and text.isupper():
        return text.casefold() in site.initials
    initials = _initials(text)
    return len(initials) >= 2 and initials in site.keys


_HEADLINE_MIN_WORDS = 3  # what is left before a removed name and the labels after it
_AFTER_NAME_WORDS = 6  # a section, tagline or page number after a trailing site name
_BRACKETED_END = re.compile(r"\s*[(\[]([^()\[\]]+)[)\]]\s*$")


def _without_one_site_affix(text: str, site: _SiteNames) -> str:
    """``text`` without one site-name affix (see :func:`strip_site_name`), or unchanged."""
    keys = site.keys
    bracketed = _BRACKETED_END.search(text)
    if bracketed and text[: bracketed.start()].strip() and site.named_by(bracketed.group(1)):
        return text[: bracketed.start()].rstrip()
    separators = list(_SITE_SEPARATOR.finditer(text))
    if not separators:
        return _without_colon_site_suffix(text, keys)
    last, first = separators[-1], separators[0]
    head, tail = text[: last.start()].rstrip(), text[last.end() :]
    if head and tail.strip() and site.named_by(tail):
        cut = _section_label_before(text, separators)
        return text[: cut.start()].rstrip() if cut is not None else head
    name_at = _site_name_before_short_segments(text, separators, site)
    if name_at is not None:  # "... | Site | 28.04.2023", "... - Site - News"
        return text[: separators[name_at].start()].rstrip()
    head, tail = text[: first.start()], text[first.end() :].lstrip()
    if tail and head.strip() and matches_site_name(head, keys):
        return tail
    return _without_colon_site_suffix(text, keys)


# A dash also sets off a quotation's speaker ("'We will fight on' - Pastore - Site").
_DASHES = frozenset("-–—")


def _section_label_before(text: str, separators: list[re.Match[str]]) -> re.Match[str] | None:
    """The separator before a section label of one or two words that sits between the
    headline and a trailing site name, set off by the same separator, not a dash ("Storm hits
    | Video | Site"), when three words or more are left; else None."""
    if len(separators) < 2:
        return None
    before, last = separators[-2], separators[-1]
    label = text[before.end() : last.start()]
    if (
        before.group().strip() != last.group().strip()
        or before.group().strip() in _DASHES
        or len(label.split()) > _SECTION_LABEL_WORDS
        or word_count(text[: before.start()]) < _HEADLINE_MIN_WORDS
    ):
        return None
    return before


def _site_name_before_short_segments(
    text: str, separators: list[re.Match[str]], site: _SiteNames
) -> int | None:
    """The index of the separator before a site name that only short segments follow (six
    words or fewer each) and three words or more precede (any words, before a date); else
    None. The name must be the site's whole name: one that is a decoration word ("News") or
    only ends with the site's name ("World News" on news.example) is as likely a section
    before the real name."""
    for i in range(len(separators) - 2, -1, -1):
        after = text[separators[i + 1].end() :]
        segments = [
            text[m.end() : n.start()]
            for m, n in zip(separators[i + 1 :], separators[i + 2 :], strict=False)
        ]
        if any(len(part.split()) > _AFTER_NAME_WORDS for part in (*segments, after)):
            return None
        name = text[separators[i].end() : separators[i + 1].start()]
        dates_only = all(_DATE_SEGMENT.fullmatch(part.strip()) for part in (*segments, after))
        if (
            (dates_only or word_count(text[: separators[i].start()]) >= _HEADLINE_MIN_WORDS)
            and name.strip().casefold() not in _DECORATIONS  # "News", a section, on news.example
            and (matches_site_name(name, site.keys) or _abbreviates_site(name, site))
        ):
            return i
    return None


_SECTION_LABEL_WORDS = 2


def _without_colon_site_suffix(text: str, keys: frozenset[str]) -> str:
    """``text`` without a trailing colon chain of section labels that ends with the site's
    name ("Bulls, Jones pursue talks: Sport: Rugby: News24"): the name and the labels of one or
    two words before it go."""
    colons = list(_COLON_RE.finditer(text))
    if (
        not colons
        or not text[: colons[0].start()].strip()
        or not matches_site_name(text[colons[-1].end() :], keys)
    ):
        return text
    cut = len(colons) - 1  # the colon before the name; the text is cut at a colon, as written
    while cut > 0 and len(text[colons[cut - 1].end() : colons[cut].start()].split()) <= (
        _SECTION_LABEL_WORDS
    ):
        cut -= 1
    return text[: colons[cut].start()]


def without_site_prefix(title: str, site_names: Iterable[str]) -> str:
    """A page ``<title>`` without the site's name before a colon, as blogs title their posts
    ("Harbour Notes: Storm hits" on harbournotes.example); unchanged when nothing would be
    left. Only for a ``<title>``: in a publisher's declared headline the name before a colon
    is its subject ("Bob: the harbour plan" on bob.example)."""
    head, colon, rest = title.partition(":")
    if not colon or not rest[:1].isspace() or not rest.strip():
        return title
    return rest.strip() if matches_site_name(head, site_name_keys(site_names)) else title


_MAX_NAME_SUFFIX_WORDS = 3


def _name_at_either_end(segment: str, keys: frozenset[str]) -> bool:
    """True for a short trailing segment whose first or last word is the site's name
    ("Münchner Merkur" on merkur.de, "Yahoo! Eurosport UK" on uk.eurosport.yahoo.com)."""
    words = segment.split()
    return 1 < len(words) <= _MAX_NAME_SUFFIX_WORDS and any(
        not name_keys(word).isdisjoint(keys) for word in (words[0], words[-1])
    )


def site_name_variants(site_name: str | None, url: str) -> tuple[str, ...]:
    """The names a page's site goes by: the declared site name (and its parts, e.g. both
    "Schweizer Radio und Fernsehen" and "SRF" from "Schweizer Radio und Fernsehen (SRF)"),
    the host without ``www.``, the registrable domain and its label ("nytimes")."""
    names: list[str] = []
    declared = clean_text(site_name).lstrip("@").strip() if isinstance(site_name, str) else ""
    if declared:
        names.append(declared)
        names.extend(m.group(1) for m in _PARENTHESIZED.finditer(declared))
        without_parens = _PARENTHESIZED.sub(" ", declared)
        names.append(without_parens)
        names.extend(_SITE_NAME_PARTS.split(without_parens))
    host = url_host(url) if isinstance(url, str) else None
    if host:
        host = host.removeprefix("www.")
        registrable = registrable_domain(host)
        names.extend((host, registrable, registrable.split(".", 1)[0]))
    seen: set[str] = set()
    variants: list[str] = []
    for name in names:
        name = clean_text(name)
        if len(name) >= 2 and name.casefold() not in seen:
            seen.add(name.casefold())
            variants.append(name)
    return tuple(variants)


_KEY_RE = re.compile(r"[\W_]+")


def title_segments(title: str) -> list[str]:
    """The parts of a page title between site-name separators (`` - ``, `` | ``, `` · ``...):
    "Storm hits coast - News - Daily Paper" -> ["Storm hits coast", "News", "Daily Paper"]."""
    return [part.strip() for part in _SITE_SEPARATOR.split(title) if part.strip()]


_MAX_RUN_SEGMENTS = 3  # a headline holds a separator or two, not more


def title_runs(title: str) -> list[str]:
    """The runs of two or three adjacent :func:`title_segments`, short of the whole title, as
    the title spells them: "Sport - Storm hits coast - Daily Paper" -> ["Sport - Storm hits
    coast", "Storm hits coast - Daily Paper"] (a headline may hold a separator)."""
    bounds = [0, *(i for m in _SITE_SEPARATOR.finditer(title) for i in m.span()), len(title)]
    spans = [
        (start, end)
        for start, end in zip(bounds[::2], bounds[1::2], strict=True)
        if title[start:end].strip()
    ]
    return [
        title[spans[i][0] : spans[j][1]].strip()
        for i in range(len(spans))
        for j in range(i + 1, min(i + _MAX_RUN_SEGMENTS, len(spans)))
        if (i, j) != (0, len(spans) - 1)
    ]


_COLON_RE = re.compile(r"\s*:\s+")


def title_parts(title: str) -> list[str]:
    """:func:`title_segments` and, after them, the colon-separated pieces of each, once each:
    "Site : News : Storm hits coast" and "Blog: Post title" have their headline as a part."""
    segments = title_segments(title)
    pieces = [piece.strip() for segment in segments for piece in _COLON_RE.split(segment)]
    return list(dict.fromkeys(p for p in (*segments, *pieces) if p))


def comparison_key(text: str) -> str:
    """A key for comparing texts loosely: case-folded words separated by single spaces."""
    return _KEY_RE.sub(" ", text.casefold()).strip()
