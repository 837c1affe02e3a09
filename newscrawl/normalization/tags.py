"""Tags (keywords, topics): split lists, clean values, drop duplicates, site names and junk."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from newscrawl.normalization.text import (
    CJK_RE,
    clean_text,
    name_keys,
    site_name_keys,
    unescape_html,
)

logger = logging.getLogger(__name__)

MAX_TAG_CHARS = 60
MIN_CJK_LIST_WORDS = 3  # "大渡 美咲" is one name; three or more space-separated CJK words a list

_SEPARATORS = re.compile(r"[,;|，、；｜]")
_LATIN = re.compile(r"[A-Za-z]")
# Facet prefixes some CMSs put before a keyword ("topic/misshandel", "Category: News").
_FACET = re.compile(
    r"^(?:sections?|topics?|tags?|keywords?|categor(?:y|ies)|subjects?|organi[sz]ations?|"
    r"persons?|people|places?|locations?|geo|rubrik|ressort|thema|themen|kategorie)\s*[:/]\s*",
    re.IGNORECASE,
)
# "Key: value" pairs that describe the page, not its topic ("Page Type: Article", "WC: 1000").
_METADATA = re.compile(
    r"^(?:day|time|date|page ?type|article ?type|content ?type|type|wc|word ?count|partner|"
    r"language|lang|source|author|template|layout|format|id|status|paywall|access|nlp[\w ]*)"
    r"\s*:",
    re.IGNORECASE,
)
_SLUG_GAPS = re.compile(r"[\s_-]+")
_ENUMERATOR = re.compile(r"^\(\d{1,3}\)\s*")
_URL = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.)|^/\S*$|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", re.IGNORECASE
)  # or an e-mail address
_IDENTIFIER = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24,}"
)
_NO_LETTERS = re.compile(r"^[\W\d_]+$")
# Machine codes, not topics a reader would recognise: snake_case ("channel_other",
# "autoplay_video"), "prefix:value" with no space ("Filed to:innovation", "NYSE:ACME",
# "LayerCake:0") and cashtags ("$ACME"). A time ("10:30") does not start with a letter.
_SNAKE_CODE = re.compile(r"[^\W_]_[^\W_]")
_CODE = re.compile(rf"{_SNAKE_CODE.pattern}|[^\W\d_]:[^\W_]|^\$[A-Z]{{1,6}}$")
# The same codes written as a slug ("category-innovation", "brand-postmedia", "type-news").
_SLUG_CODE = re.compile(
    r"^(?:category|section|brand|type|channel|subject|rubrik|ressort|format|template)"
    r"(?:-[a-z][a-z0-9]*)+$"
)
# A CMS's page-layout and feature switches ("textaboveleftsmall", "splitscreenimageleftinset",
# "comments-enabled", "paywall exclude"): layout words run together, or a feature and its state.
_LAYOUT_FLAG = re.compile(
    r"^(?:text|image|split|screen|left|right|center|centre|above|below|inset|small|medium|large|"
    r"full|bleed|wide){2,}$"
    r"|^(?:comments?|paywall|ads?)[- _]?(?:enabled|disabled|excluded?|on|off)$",
    re.IGNORECASE,
)
# Markup or query parameters from a broken keywords attribute ("sz=728x90", "key> <link rel=").
_MARKUP_OR_PARAMETER = re.compile(r"[<>=]")
_SENTENCE_WORDS = 4  # a value of this many words ending in a full stop is a sentence
# A wire service's subject codes ("MEAST", "INDS08"): a list of eight or more values that are
# mostly capitals-and-digits tokens of 2-8 characters is a code list, and loses its codes.
_SUBJECT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_CODE_LIST_MIN = 8
_CODE_LIST_SHARE = 0.8
# A keyword list that holds two or more snake_case codes is a CMS's flag list: its lowercase
# one-word values are flags too ("front-page", "serversidehawk"); written topics ("RPG",
# "Best of") stay. One such value is often a site's name ("mental_floss") or a topic ("x86_64").
_FLAG_LIST_MIN_CODES = 2
_LOWERCASE_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A site name run into one lowercase word with more letters is a site's channel code
# ("kotakucore", "kotakusocial" on a site named "Kotaku"); short names are too often a word's
# start ("time" in "timeline").
_MIN_CHANNEL_SITE_KEY = 5
# A list's link to the rest of it ("→ More tags...", "All topics"): a control, not a topic.
_MORE_LINK = re.compile(
    r"^(?:more|all|show all|see all|view all|mehr|alle|weitere|plus de|tous les)\s+"
    r"(?:tags|topics|categories|keywords|themen|schlagwörter|kategorien|sujets|mots-clés)\b",
    re.IGNORECASE,
)
# A news agency's entity-type labels left around a name ("PERSON Ada Limon AUTHOR",
# "Alice Quinn NEWSMAKER"), written in capitals beside a name that is not: the name is the
# tag, and a label alone is none ("PERSON OF THE YEAR" is a topic).
_ENTITY_LABELS = r"(?:PERSON|ORGANI[SZ]ATION|ORG|LOCATION|PLACE|GPE|EVENT|COMPANY|NEWSMAKER|AUTHOR)"
_ENTITY_LABEL = re.compile(
    rf"^(?:{_ENTITY_LABELS}\s+)+(?=[A-Z][a-z])|(?<=[a-z.])(?:\s+{_ENTITY_LABELS})+$"
    rf"|^{_ENTITY_LABELS}$"
)
_LEADING_JUNK = "#&+-–—:/·•*,.;!?→›"
_TRAILING_JUNK = "&-–—:/·•*,;"
_QUOTES = "\"'“”„«»‘’"

# The label of a list of categories or tags ("Categories", "Tags:"): never a topic or section.
_LIST_LABELS = frozenset(
    {"categories", "category", "kategorien", "tags", "topics", "themen", "schlagwörter", "keywords"}
)
# Tags that say nothing about an article; dropped when other tags remain.
GENERIC_TAGS = frozenset(
    {
        "news",
        "nachrichten",
        "home",
        "homepage",
        "home page",
        "startseite",
        "article",
        "articles",
        "artikel",
        "latest",
        "latest news",
        "top stories",
        "top story",
        "top news",
        "topnews",
        "breaking news",
        "uncategorized",
        "uncategorised",
        "allgemein",
        "sonstiges",
        "misc",
        "miscellaneous",
        "general news",
        "featured",
        "aktuell",
        "aktuelles",
        "actualité",
        "actualités",
        "noticias",
        "notizie",
        "nieuws",
        "nyheter",
        "nyheder",
        "uutiset",
        "wiadomości",
        "новости",
        "ニュース",
        "新闻",
        "index",
        "default",
    }
)


def _clean_tag(value: str) -> str:
    tag = value
    previous = None
    while previous != tag:
        previous = tag
        tag = clean_text(unescape_html(tag)).strip(_QUOTES)
        tag = _ENUMERATOR.sub("", tag)
        tag = _FACET.sub("", tag)
        tag = _ENTITY_LABEL.sub("", tag)
        tag = tag.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK).strip()
    return tag


# One name enumerated with an ampersand after its last comma ("Business, Finance, & Economics"):
# a keyword list never joins its last item so.
_AMPERSAND_ENUMERATION = re.compile(r"[^,;|&]+(?:,[^,;|&]+)*,\s*&\s*[^,;|&]+")


def _split(value: str) -> list[str]:
    """One keyword value's parts; a short value that is one enumerated name stays whole."""
    text = clean_text(unescape_html(value))
    if len(text) <= MAX_TAG_CHARS and _AMPERSAND_ENUMERATION.fullmatch(text):
        return [text]
    parts: list[str] = []
    for part in _SEPARATORS.split(text):
        words = part.split()
        if len(words) >= MIN_CJK_LIST_WORDS and CJK_RE.search(part) and not _LATIN.search(part):
            parts.extend(words)  # "深空探测 探月工程 太空": a CJK keyword list separated by spaces
        else:
            parts.append(part)
    return parts


def _dedupe_key(tag: str) -> str:
    """Case-insensitive, and a slug ("andy-murray") is the same tag as its name ("Andy Murray")."""
    return _SLUG_GAPS.sub(" ", tag.casefold()).strip()


def _is_junk(tag: str) -> bool:
    return (
        not tag
        or tag.startswith("_")  # CMS-internal flags such as "_commerce"
        or (len(tag) == 1 and not CJK_RE.match(tag))  # stray letters ("p", "n")
        or tag.casefold() in _LIST_LABELS
        or bool(_MORE_LINK.match(tag))
        or len(tag) > MAX_TAG_CHARS
        or bool(_NO_LETTERS.match(tag))
        or bool(_URL.match(tag))
        or bool(_IDENTIFIER.search(tag.lower()))
        or bool(_METADATA.match(tag))
        or bool(_CODE.search(tag))
        or bool(_SLUG_CODE.match(tag))
        or bool(_LAYOUT_FLAG.match(tag))
        or bool(_MARKUP_OR_PARAMETER.search(tag))
        or (len(tag.split()) >= _SENTENCE_WORDS and tag.endswith("."))
    )


def _without_subject_codes(parts: list[str]) -> list[str]:
    """``parts`` of one keyword list, without its codes when it is a code list."""
    codes = [bool(_SUBJECT_CODE.match(part.strip())) for part in parts]
    if len(parts) < _CODE_LIST_MIN or sum(codes) < _CODE_LIST_SHARE * len(parts):
        return parts
    return [part for part, code in zip(parts, codes, strict=True) if not code]


def _without_flags(parts: list[str]) -> list[str]:
    """``parts`` of one keyword list, without its lowercase one-word values when the list holds
    two or more snake_case codes (a CMS's flag list)."""
    if sum(bool(_SNAKE_CODE.search(part)) for part in parts) < _FLAG_LIST_MIN_CODES:
        return parts
    return [part for part in parts if not _LOWERCASE_TOKEN.fullmatch(_clean_tag(part))]


def _is_site_channel(tag: str, site_keys: frozenset[str]) -> bool:
    """True for a lowercase word that is a site name run on with more letters ("kotakucore"; not
    "vogue-ausgabe", a topic written with the name)."""
    return (
        tag.isalpha()
        and tag.islower()
        and any(
            len(key) >= _MIN_CHANNEL_SITE_KEY and tag.startswith(key) and len(tag) > len(key)
            for key in site_keys
        )
    )


_JOINED_MIN_WORDS = 3


def _without_joined_copies(tags: list[str]) -> list[str]:
    """``tags`` without a tag of three words or more each of which is a one-word tag of the list
    too: the list run together by spaces ("Cannes Messen Duisburg" beside "Cannes", "Messen",
    "Duisburg")."""
    words = {tag.casefold() for tag in tags if len(tag.split()) == 1}
    return [
        tag
        for tag in tags
        if len(tag.split()) < _JOINED_MIN_WORDS
        or not all(word.casefold() in words for word in tag.split())
    ]


def normalize_tags(
    values: Iterable[str], *, site_names: Iterable[str] = (), drop_generic: bool = True
) -> tuple[str, ...]:
    """Clean tags from raw keyword values (meta keywords, ``article:tag``, JSON-LD keywords).

    Splits values on ``,`` ``;`` ``|`` (and CJK list marks; space-separated CJK keyword lists on
    spaces), trims, strips ``#``, enumerators such as "(1)", facet prefixes such as "topic/" and
    an agency's entity-type labels in capitals ("PERSON Ada Limon AUTHOR"), collapses
    whitespace. Drops what is no topic:
    - empty values, numbers, URLs and e-mail addresses, identifiers, values over 60 characters,
      markup and query parameters ("sz=728x90"), sentences (four words or more ending in a full
      stop), single letters, a list's label ("Categories", "Tags") or its link to the rest
      ("→ More tags...");
    - CMS flags and machine codes: "_commerce", "channel_other", "category-innovation",
      "Filed to:innovation", "NYSE:ACME", "$ACME", layout and feature switches
      ("textaboveleftsmall", "comments-enabled"); in a list of eight or more that is mostly
      capitals-and-digits codes, those codes ("MEAST", "INDS08"); in a list holding two or more
      snake_case codes, its lowercase one-word values ("front-page", "serversidehawk");
    - the site name (matched loosely), also run into one lowercase word ("kotakucore");
    - the list's one-word tags run together into one ("Cannes Messen Duisburg").
    A value that is one name enumerated with an ampersand ("Business, Finance, & Economics")
    is not split.
    With ``drop_generic``, generic tags ("News", "Startseite", "Uncategorized"...) are dropped
    when other tags remain. No duplicates, ignoring case and slug spelling ("andy-murray" is
    "Andy Murray"): the first spelling and the order are kept. Idempotent.
    """
    site_keys = site_name_keys(site_names)
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        for part in _without_flags(_without_subject_codes(_split(value))):
            tag = _clean_tag(part)
            folded = _dedupe_key(tag)
            if _is_junk(tag) or folded in seen:
                continue
            if site_keys and (
                not name_keys(tag).isdisjoint(site_keys) or _is_site_channel(tag, site_keys)
            ):
                continue
            seen.add(folded)
            tags.append(tag)
    tags = _without_joined_copies(tags)
    if drop_generic:
        specific = [t for t in tags if t.casefold() not in GENERIC_TAGS]
        if specific:
            tags = specific
    return tuple(tags)
