"""Author names: split bylines into names, strip labels and junk, keep names as printed."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from newscrawl.normalization.text import (
    CJK_RE,
    WEB_ADDRESS_RE,
    clean_text,
    name_keys,
    site_name_keys,
    unescape_html,
)

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 6

# Byline labels followed by a space or a colon ("By", "Von", "Written by", "Par"...).
_WORD_PREFIXES = (
    "von unserem korrespondenten",
    "von unserer korrespondentin",
    "von unseren korrespondenten",
    "von unserem redakteur",
    "von unserer redakteurin",
    "ein kommentar von",
    "ein gastbeitrag von",
    "ein gastkommentar von",
    "gastbeitrag von",
    "kommentar von",
    "written by",
    "updated by",
    "reporting by",
    "reported by",
    "story by",
    "words by",
    "text by",
    "posted by",
    "compiled by",
    "interview by",
    "analysis by",
    "opinion by",
    "recipe by",
    # an author page's link label ("View all posts by Becky")
    "view all posts by",
    "all posts by",
    "more posts by",
    "posts by",
    "more articles by",
    "articles by",
    "more stories by",
    "stories by",
    "écrit par",
    "publié par",
    "escrito por",
    "redactado por",
    "scritto da",
    "a cura di",
    "geschreven door",
    "skrevet af",
    "skrevet av",
    "napisał",
    "napisała",
    "by",
    "von",
    "par",
    "por",
    "di",
    "da",
    "door",
    "af",
    "av",
    "från",
)
# Labels that count only with a colon or slash ("Autor: ...", "Text: ...", "责编：...").
_COLON_PREFIXES = (
    "autor",
    "autorin",
    "autoren",
    "autorinnen",
    "author",
    "authors",
    "auteur",
    "auteurs",
    "autore",
    "autori",
    "text",
    "texte",
    "texto",
    "testo",
    "tekst",
    "byline",
    "redakteur",
    "redakteurin",
    "reporter",
    "journalist",
    "oleh",  # colon only: Oleh is also a Ukrainian first name
    "yazar",
    "muhabir",
    "penulis",
    "wartawan",
    "kirjoittaja",
    "toimittaja",
    "tác giả",
    "συντάκτης",
    "автор",
    "авторы",
    "текст",
    "责任编辑",
    "责编",
    "编辑",
    "作者",
    "记者",
    "記者",
    "撰文",
    "文",
    "筆者",
    "取材",
)


_LABEL_WORDS = frozenset(_WORD_PREFIXES) | frozenset(_COLON_PREFIXES)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX = re.compile(
    rf"^(?:(?:{_alternation(_WORD_PREFIXES)})(?:\s*[:：]\s*|\s+)"
    rf"|(?:{_alternation(_COLON_PREFIXES)})\s*[:：／/]\s*)",
    re.IGNORECASE,
)
# A segment that credits something other than authorship ("Photo: ...", "Editing by ...").
_CREDIT = re.compile(
    r"^(?:images?|photos?|photography|fotos?|bild(?:er)?|picture|pictures|credits?|quelle|"
    r"source|fuente|fonte|kilde|källa|grafik|illustrations?|video|editing|edited|"
    r"fact[- ]checked|additional reporting|photos? by|staff photos?|graphics?|montage)\b",
    re.IGNORECASE,
)
# Where a byline goes on with dates or updates ("... Updated 11:50 ...").
_TRAILER = re.compile(
    r"\s+(?:updated|aktualisiert|published|veröffentlicht|mis à jour|actualizado|atualizado|"
    r"aggiornato|oppdatert|uppdaterad|opdateret|posted)\b.*$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>")
_OUTER_PARENS = re.compile(r"^\((.*)\)$|^\[(.*)\]$")
_SEPARATORS = re.compile(r"\s*(?:[;|\n·•、，,；]|\s/\s)\s*")
_CONJUNCTIONS = r"(?:and|&|und|et|og|och|и|ve)"  # joining two names in any byline language
_STRONG_CONJUNCTION = re.compile(rf"\s+{_CONJUNCTIONS}\s+", re.IGNORECASE)
_WEAK_CONJUNCTION = re.compile(r"\s+(?:y|e|i|en)\s+", re.IGNORECASE)
_EDGE_JUNK = " \t-–—:;,|/\\\"“”„«»*·•_'‘’"
_DATE_LIKE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|(?<!\d)(?:19|20)\d{2}(?!\d)"
)
_DOMAIN_LIKE = re.compile(r"\w\.\w{2,}|@")
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?", re.IGNORECASE)
_LEADING_NOT_A_NAME = re.compile(r"^(?:special to|for the|for)\s", re.IGNORECASE)
# A link or button of the page read as a byline: "View Comments", "12 Kommentare", "Email
# Author", "Contact", "Add to Favorites" (plurals only: "Kommentar" or "Comment" also labels an
# opinion piece).
_INTERFACE_TEXT = re.compile(
    r"(?<![\w-])(?:comments|kommentare|commentaires|comentarios|commenti|reacties|tweet|share|"
    r"print|e-?mail|contact|subscribe|reply|replies)(?![\w-])|^(?:view|leave|add|show|hide|load)\s",
    re.IGNORECASE,
)

_JUNK_NAMES = frozenset(
    {
        "staff",
        "admin",
        "administrator",
        "editor",
        "editors",
        "the editors",
        "redaktion",
        "die redaktion",
        "redaction",
        "rédaction",
        "la rédaction",
        "redacción",
        "redazione",
        "redactie",
        "redaktionen",
        "redaksjonen",
        "unknown",
        "anonymous",
        "anonym",
        "guest",
        "gast",
        "author",
        "autor",
        "user",
        "none",
        "null",
        "undefined",
        "n/a",
        "webmaster",
        "news",
        "nachrichten",
        "noticias",
        "nyheter",
    }
)
_IMAGE_CREDITS = (
    "getty images",
    "istock",
    "shutterstock",
    "imago",
    "alamy",
    "picture alliance",
    "picture-alliance",
    "ap photo",
    "afp photo",
)
# Jobs outside the newsroom, as company blogs sign posts ("Jane Roe, Software Engineer, Maps").
_JOB_NOUNS = frozenset(
    {
        "manager", "engineer", "director", "designer", "developer", "officer", "president",
        "founder", "co-founder", "cofounder", "analyst", "specialist", "strategist", "scientist",
        "consultant", "evangelist", "coordinator", "executive", "chairman", "chairwoman",
        "architect", "researcher", "intern", "ceo", "cto", "cfo", "coo", "vp", "marketer",
        "programmer", "administrator", "advisor", "adviser", "lecturer",
    }
)  # fmt: skip
_LEADING_CONJUNCTION = re.compile(rf"\s*{_CONJUNCTIONS}\s", re.IGNORECASE)
_ROLE_WORDS = frozenset(
    {
        "writer",
        "writers",
        "reporter",
        "reporters",
        "reporterin",
        "correspondent",
        "correspondents",
        "editor",
        "editors",
        "columnist",
        "contributor",
        "contributors",
        "journalist",
        "journalistin",
        "photographer",
        "staff",
        "senior",
        "chief",
        "political",
        "deputy",
        "associate",
        "managing",
        "freelance",
        "contributing",
        "special",
        "in",
        "at",
        "large",
        "redakteur",
        "redakteurin",
        "korrespondent",
        "korrespondentin",
        "autor",
        "autorin",
        "fotograf",
        "fotografin",
        "freier",
        "freie",
        "mitarbeiter",
        "mitarbeiterin",
        "journaliste",
        "rédacteur",
        "rédactrice",
        "periodista",
        "redactor",
        "redactora",
        "giornalista",
        "corrispondente",
    }
)
_ORG_WORDS = frozenset(
    {
        "news",
        "nachrichten",
        "nachrichtenagentur",
        "agency",
        "agencies",
        "agentur",
        "agence",
        "agencia",
        "agenzia",
        "press",
        "presse",
        "prensa",
        "stampa",
        "redaktion",
        "redaction",
        "rédaction",
        "redacción",
        "redazione",
        "redactie",
        "redaksjonen",
        "redaktionen",
        "staff",
        "team",
        "desk",
        "newsdesk",
        "newsroom",
        "editorial",
        "editors",
        "media",
        "medien",
        "group",
        "gruppe",
        "zeitung",
        "times",
        "post",
        "daily",
        "diario",
        "giornale",
        "quotidiano",
        "magazine",
        "magazin",
        "journal",
        "tribune",
        "herald",
        "gazette",
        "gazeta",
        "tidning",
        "avis",
        "noticias",
        "nieuws",
        "nyheter",
        "nyheder",
        "uutiset",
        "новости",
        "tv",
        "radio",
        "online",
        "digital",
        "web",
        "service",
        "services",
        "dienst",
        "associated",
        "reuters",
        "afp",
        "dpa",
        "ap",
        "apa",
        "ansa",
        "efe",
        "epa",
        "kna",
        "epd",
        "sid",
        "upi",
        "xinhua",
        "kyodo",
        "bureau",
        "büro",
        "network",
        "channel",
        "wire",
        "office",
        "department",
        "ministry",
        "institute",
        "institut",
        "foundation",
        "stiftung",
        "gmbh",
        "inc",
        "ltd",
        "llc",
        "ag",
        "corp",
        "company",
        "verlag",
        "publishing",
        "sport",
        "sports",
        "contributors",
        "writers",
        "correspondents",
    }
)
_CJK_ORG_MARKERS = (
    "新聞",
    "新闻",
    "報",
    "报",
    "社",
    "網",
    "网",
    "通信",
    "放送",
    "テレビ",
    "电视",
    "電視",
    "オンライン",
    "デジタル",
    "编辑部",
    "編集部",
    "日刊",
    "web",
    "news",
)


def _strip_prefixes(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        stripped = _PREFIX.sub("", text, count=1).strip(_EDGE_JUNK)
        if stripped:
            text = stripped
    return text


def _split_conjunctions(segment: str) -> list[str]:
    pieces: list[str] = []
    for piece in _STRONG_CONJUNCTION.split(segment):
        parts = _WEAK_CONJUNCTION.split(piece)
        if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            pieces.extend(parts)
        else:
            pieces.append(piece)
    return pieces


def _clean_name(name: str) -> str:
    return _without_leading_labels(name)[0]


def _is_junk(name: str) -> bool:
    folded = name.casefold()
    if len(name) < 2 or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return True
    if not any(c.isalpha() for c in name) or folded in _JUNK_NAMES or folded in _LABEL_WORDS:
        return True
    if any(_NUMBER.fullmatch(token) for token in re.split(r"[\s.,:/-]+", name)):
        return True  # a number or an ordinal day ("November 12th")
    if _DATE_LIKE.search(name) or _CREDIT.match(name) or _INTERFACE_TEXT.search(name):
        return True
    if any(credit in folded for credit in _IMAGE_CREDITS):
        return True
    words = [w for w in re.split(r"[\s-]+", folded.replace(".", " ")) if w]
    return all(w in _ROLE_WORDS for w in words)


def _without_leading_labels(segment: str) -> tuple[str, bool]:
    """``segment`` without the byline labels ("By") and conjunctions ("and") it starts with,
    and whether it started with a conjunction (it names another person)."""
    conjunction = False
    previous = None
    while previous != segment:
        previous = segment
        segment = _strip_prefixes(clean_text(segment).strip(_EDGE_JUNK))
        if _LEADING_CONJUNCTION.match(segment):
            conjunction = True
            segment = _LEADING_CONJUNCTION.sub("", segment, count=1)
    return segment, conjunction


def names_a_role(name: str) -> bool:
    """Whether ``name`` ends with a job or role word ("AP National Writer", "Staff Reporter",
    "Product Manager"): a title, not someone credited with a story."""
    words = _title_words(name)
    return bool(words) and (words[-1] in _JOB_NOUNS or words[-1] in _ROLE_WORDS)


def _is_job_title(segment: str) -> bool:
    """Whether a byline part after a name is the person's job ("Product Marketing Manager",
    "Director of Consumer Marketing", "Senior Editor")."""
    words = _title_words(segment)
    if not words:
        return False
    return any(w in _JOB_NOUNS for w in words) or all(w in _ROLE_WORDS for w in words)


def _title_words(text: str) -> list[str]:
    """The case-folded words of a name or job title, split at spaces, hyphens and dots."""
    return [w for w in re.split(r"[\s-]+", text.casefold().replace(".", " ")) if w]


def _candidate_names(value: str) -> list[str]:
    text = clean_text(unescape_html(value))
    outer = _OUTER_PARENS.match(text)
    if outer:
        text = clean_text(outer.group(1) or outer.group(2) or "")
    text = _EMAIL.sub(" ", text)
    text = WEB_ADDRESS_RE.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _TRAILER.sub("", text)
    text = _PARENS.sub(" ", text)
    names: list[str] = []
    affiliation = False  # after "Name, Job title": the employer and team, until "and Name"
    for segment in _SEPARATORS.split(text):
        segment, another = _without_leading_labels(segment)
        if another:
            affiliation = False
        if names and _is_job_title(segment):
            affiliation = True
        if affiliation or not segment:
            continue
        if _CREDIT.match(segment) or _LEADING_NOT_A_NAME.match(segment):
            continue
        for piece in _split_conjunctions(segment):
            name = _clean_name(piece)
            if name and not _is_junk(name):
                names.append(name)
    return names


def normalize_authors(values: Iterable[str], *, site_names: Iterable[str] = ()) -> tuple[str, ...]:
    """Author names from raw author values (JSON-LD names, meta tags, bylines).

    Each value may hold several names ("By A, B and C", "A und B", "A; B"). Removes byline labels
    ("By", "Von", "Par", "Autor:", "Written by"... in many languages), e-mail addresses, URLs,
    @handles, parentheticals, trailing "Updated ..." parts, image credits and junk (digits,
    dates, "Staff", "Redaktion", roles such as "Senior reporter", values over 60 characters or
    6 words). Names keep their case as printed. Site names (matched loosely) are dropped when
    another name remains; organisations such as news agencies are kept (see
    ``is_probably_person`` to prefer people). No empty strings, no case-insensitive duplicates,
    first spelling and order kept. Idempotent.
    """
    site_keys = site_name_keys(site_names)
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        for name in _candidate_names(value):
            folded = name.casefold()
            if folded not in seen:
                seen.add(folded)
                names.append(name)
    if site_keys:
        others = [n for n in names if name_keys(n).isdisjoint(site_keys)]
        if others:
            names = others
    return tuple(names)


def is_probably_person(name: str) -> bool:
    """True when ``name`` looks like a person rather than an organisation or a label.

    Latin-style names: 2-5 words, letters, no digits, no organisation word ("News", "Press",
    "Agency", "Redaktion", "Team", "Desk", agency names...) and not starting with "The".
    CJK names: 2-8 characters without a publisher marker (新聞, 报, 社, テレビ...).
    """
    text = clean_text(name) if isinstance(name, str) else ""
    if not text or any(c.isdigit() for c in text) or text.casefold() in _JUNK_NAMES:
        return False
    if CJK_RE.search(text):
        compact = text.replace(" ", "").replace("\u3000", "")
        folded = compact.casefold()
        return 2 <= len(compact) <= 8 and not any(m in folded for m in _CJK_ORG_MARKERS)
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or not all(any(c.isalpha() for c in t) for t in tokens):
        return False
    words = [w.strip(".,'’()") for w in re.split(r"[\s\-/]+", text.casefold())]
    if words[0] == "the" or any(w in _ORG_WORDS for w in words):
        return False
    return not _DOMAIN_LIKE.search(text)
