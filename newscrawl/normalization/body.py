"""Body trimming: every text-level rule that drops paragraphs from the extracted body.

The body arrives as paragraphs separated by one blank line, after boilerplate *blocks* were
pruned from the page (:mod:`newscrawl.extraction.boilerplate`, the one registry of DOM rules).
What such pruning cannot see is removed here: first, inside any paragraph, a site's menu or
share bar read into the text as pipe-separated items; then in three passes:

- at the top: the headline or summary repeated (also after a short kicker such as "Fútbol
  Sala"), the byline, a bare date line, a one- or two-word kicker or dateline before prose,
  the headline or a time stamp run into the first paragraph's line, a copyright notice;
- anywhere: picture/video captions and credits, a blog entry's or comment's field line
  ("Posted in News | Tagged storm | Leave a comment"), ad labels and other interface lines
  ("Advertisement", "Story continues below advertisement"), symbol-only lines, paragraphs
  shown twice;
- at the end: a press release's contact block, a bare date line, an agency credit line, a
  copyright notice or a plea to support the site (with the short lines after it), an author
  bio, a call to sign up, subscribe, follow or click, an orphaned box heading, a key-points
  box that repeats the summary, a labelled web address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newscrawl.normalization.dates import parse_date
from newscrawl.normalization.text import (
    CJK_RE,
    ENGLISH_MONTH,
    ENGLISH_WEEKDAY,
    WEB_ADDRESS_RE,
    comparison_key,
    sentences,
)

_key = comparison_key

_HEAD_SCAN = 3  # paragraphs at the top of a body checked for a repeated headline
_KICKER_WORDS = 6  # words of a kicker allowed before a repeated headline
_PROSE_WORDS = 20  # words of the paragraph after a kicker line for it to count as prose
_REPEAT_WORDS = 5  # shorter paragraphs may repeat (and may stand in the summary)
_CAPTION_WORDS = 60  # a longer paragraph ending in a credit is story, not a caption
_ORPHAN_CHARS = 30
_ORPHAN_LABEL_WORDS = 4  # "More topics on Example.com:" with its list gone
_ORPHAN_LABEL_CHARS = 60
_DATE_LINE_MAX = 60
_BIO_WORDS = 80
_BIO_NAME_WORDS = 8
_NOTICE_WORDS = 60
_PREFIX_HEADLINE_WORDS = 4
_PROSE_AFTER_PREFIX = 8
_PREFIX_SCAN_WORDS = 40  # no headline is longer

_ALNUM_RE = re.compile(r"[^\W_]")
_ZONE = r"(?:[ECMP][SD]?T|GMT|UTC|BST|CES?T|IST|AE[SD]T|JST|HKT|SGT)"  # not a dateline's "NEW YORK"
# A time stamp run into the first line, after a label of up to four words ("Posted:",
# "Associated Press -"): "January 10, 2008 3:23 PM ET", "10.01.2008 15:23", "2008-01-10 15:23".
_STAMP_PREFIX_RE = re.compile(
    r"^(?:[^\W\d][\w.'&]*:?\s+){0,4}?(?:[-–—|:]\s*)?"
    rf"(?:{ENGLISH_WEEKDAY})?(?:{ENGLISH_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}),?\s+(?:at\s+)?"
    rf"\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:{_ZONE})\b)?\s*(?:[-–—|:]\s*)?",
    re.IGNORECASE,
)
_PARENTHESIZED_RE = re.compile(r"[(（][^()（）]*[)）]")
# A caption left in the text: it ends with a picture credit ("... © DPA Images | C. Soeder") or
# a video's date and running time ("... 21.04.2024 | 3:18 min").
_MEDIA_CAPTION_RE = re.compile(
    r"(?:\s©\s*\S+(?:\s+\S+){0,7}|\|\s*\d{1,3}:\d{2}(?::\d{2})?\s*min\.?)$", re.IGNORECASE
)
_AGENCIES = (
    r"(?:dpa|afp|ap|reuters|kna|epd|sid|apa|efe|ansa|ntb|tt|ritzau|lusa|anp|pti|ians|xinhua|tass|"
    r"belga|sda|keystone-sda|ots|aap|cp|upi|pap|čtk|ctk|mti|stt|antara|bernama|yonhap|kyodo|jiji|"
    r"ria novosti|interfax|ukrinform|aa|dha|iha|ana-mpa|notimex|télam|telam|agerpres|hina|sta|bta)"
)
# "mit dpa", "(dpa/AFP)", "With reporting by ...", "Mit Material von ...", "Con información de ..."
_CREDIT_LINE_RE = re.compile(
    rf"^\(?(?:(?:with|mit|con|avec|med|additional|zusätzliche?)\s+(?:reporting|material|informationen|"
    rf"information|información|informations|agency|agenturen|wire|{_AGENCIES})\b.{{0,200}}|"
    rf"(?:[a-z]{{2,4}}\s*/\s*)?{_AGENCIES}(?:\s*[/,;&]\s*(?:{_AGENCIES}|[a-z]{{2,4}}))*)\)?\.?$",
    re.IGNORECASE,
)
# A copyright notice: it opens with the sign, "(c) <year>" or "Copyright <year>", or reserves the
# rights. A list item "(c) ..." is not one.
_COPYRIGHT_RE = re.compile(
    r"^(?:content\s+)?(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}|by\b))", re.IGNORECASE
)
_RIGHTS_RESERVED_RE = re.compile(
    r"\b(?:all rights reserved|may not be (?:published|reproduced|redistributed)|"
    r"this (?:\w+ )?(?:article|story|material|content|report) is copyrighted|"
    r"(?:reproduction|republication|redistribution|reuse)\b[^.]{0,150}\b(?:prohibited|forbidden)|"
    r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"tutti i diritti riservati)\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
# A picture or source credit left in the text: "Quelle: AFP", "Photo: Getty Images".
_CREDIT_RE = re.compile(
    r"^(?:quelle|fotos?|bild|bildnachweis|photos?(?: credits?)?|image|credits?(?: photos?)?|"
    r"crédits?(?: photos?)?|crédito|fuente|fonte|kilde|källa|bron|kaynak|"
    r"źródło|zdjęcie|kuva|lähde|zdroj|sumber|nguồn|ảnh|фото|источник|джерело|πηγή|φωτογραφία)"
    r"\s*:\s*\S+(?:\s+\S+){0,4}$",
    re.IGNORECASE,
)


def trim_body(
    body: str,
    *,
    summary: str | None,
    headlines: Sequence[str],
    authors: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> str:
    """``body`` (paragraphs separated by a blank line) without the article's header repeated at
    its top, captions, credits, symbol-only lines and repeated paragraphs anywhere, and closing
    lines that are not story (see the module docstring). ``headlines`` are every headline
    candidate, ``summary`` the chosen lead, ``authors`` the chosen names, ``languages`` the
    page's (for date lines). Returns the kept paragraphs joined by a blank line; "" for ""."""
    paragraphs = body.split("\n\n") if body else []
    paragraphs = [kept for p in paragraphs if (kept := _without_menu_runs(p))]
    summary_key = _key(summary) if summary else ""
    paragraphs = _trim_head(paragraphs, summary_key, headlines, authors, languages)
    paragraphs = _without_repeats_and_captions(paragraphs)
    paragraphs = _without_excerpt_runs(paragraphs)
    paragraphs = _trim_tail(paragraphs, summary_key, authors, languages)
    return "\n\n".join(paragraphs)


_MENU_SEPARATOR_RE = re.compile(r"(\s*\\?[|｜]\s*)")
_MENU_ITEMS = 5  # a run of this many short pipe-separated items is a menu
_MENU_ITEM_WORDS = 5
_MENU_ITEM_CHARS = 40
_DIGIT_RE = re.compile(r"\d")


def _without_menu_runs(paragraph: str) -> str:
    """``paragraph`` without any run of five or more short items (five words or fewer, no
    digit) separated by pipes: a site's menu or a share bar read into the text ("Home \\|
    About us \\| Archives \\| ..."). A table row ("| a | b |") is left alone."""
    if ("|" not in paragraph and "｜" not in paragraph) or paragraph.lstrip().startswith("|"):
        return paragraph
    parts = _MENU_SEPARATOR_RE.split(paragraph)
    items = parts[0::2]
    if len(items) < _MENU_ITEMS:
        return paragraph
    short = [
        len(item) <= _MENU_ITEM_CHARS
        and len(item.split()) <= _MENU_ITEM_WORDS
        and not _DIGIT_RE.search(item)
        for item in items
    ]
    dropped = [False] * len(items)
    start = 0
    while start < len(items):
        end = start
        while end < len(items) and short[end]:
            end += 1
        if end - start >= _MENU_ITEMS:
            dropped[start:end] = [True] * (end - start)
        start = end + 1
    if not any(dropped):
        return paragraph
    out: list[str] = []
    for i, item in enumerate(items):
        if dropped[i]:
            continue
        if out and not dropped[i - 1]:
            out.append(parts[2 * i - 1])
        elif out:
            out.append(" ")
        out.append(item)
    return "".join(out).strip()


def _trim_head(
    paragraphs: list[str],
    summary_key: str,
    headlines: Sequence[str],
    authors: Sequence[str],
    languages: Sequence[str],
) -> list[str]:
    """Drop the headline or summary repeated within the first paragraphs (with any short kicker
    before it), then leading repeats, date lines, bylines, kickers and copyright notices (a
    site's footer read first)."""
    repeated = {_key(h) for h in headlines if _key(h)}
    bylines = {_key(a) for a in authors if _key(a)}

    def repeats(paragraph: str) -> bool:
        key = _key(paragraph)
        return bool(key) and (key in repeated or bool(summary_key and key in summary_key))

    for i, paragraph in enumerate(paragraphs[:_HEAD_SCAN]):
        if repeats(paragraph) and all(len(p.split()) <= _KICKER_WORDS for p in paragraphs[:i]):
            del paragraphs[: i + 1]
            break
    while paragraphs and (
        repeats(paragraphs[0])
        or _is_date_line(paragraphs[0], languages)
        or _key(paragraphs[0]).removeprefix("by ") in bylines
        or _is_kicker(paragraphs)
        or _is_rights_notice(paragraphs[0])
    ):
        paragraphs.pop(0)
    if paragraphs:
        paragraphs[0] = _without_stamp_prefix(without_headline_prefix(paragraphs[0], repeated))
    return paragraphs


def _without_stamp_prefix(paragraph: str) -> str:
    """``paragraph`` without a time stamp run into its opening, with any short label before it
    ("Posted Jan. 5, 2008 3:47 PM Fairfield (AP) _ ..."), when eight words or more follow and
    they start with a capital."""
    match = _STAMP_PREFIX_RE.match(paragraph)
    if match is None:
        return paragraph
    rest = paragraph[match.end() :]
    if rest[:1].isupper() and len(rest.split()) >= _PROSE_AFTER_PREFIX:
        return rest
    return paragraph


def without_headline_prefix(paragraph: str, headline_keys: set[str]) -> str:
    """``paragraph`` without a headline of four words or more run into its opening, as a layout
    cell gives it ("Storm hits the coast Posted May 1 The storm ..."), when eight words or more
    follow and they start a new sentence (a capital or digit, after any separator such as "|").
    A sentence whose subject repeats the headline ("Olive Focaccia Bread filled with ...") is
    kept whole."""
    words = paragraph.split()
    if len(words) < _PREFIX_HEADLINE_WORDS + _PROSE_AFTER_PREFIX:
        return paragraph
    opening = _key(paragraph)
    keys = [
        k
        for k in headline_keys
        if len(k.split()) >= _PREFIX_HEADLINE_WORDS and opening.startswith(k + " ")
    ]
    if not keys:
        return paragraph
    last = min(len(words) - _PROSE_AFTER_PREFIX, _PREFIX_SCAN_WORDS)
    for n in range(_PREFIX_HEADLINE_WORDS, last + 1):
        if _key(" ".join(words[:n])) in keys:
            rest = " ".join(words[n:]).lstrip("|-–—:· ")
            return rest if rest[:1].isupper() or rest[:1].isdigit() else paragraph
    return paragraph


def is_media_caption(text: str) -> bool:
    """A picture's or video's caption: 60 words or fewer ending with a picture credit ("... ©
    DPA Images | C. Soeder") or a video's date and running time ("... 21.04.2024 | 3:18 min")."""
    return len(text.split()) <= _CAPTION_WORDS and _MEDIA_CAPTION_RE.search(text) is not None


def _without_repeats_and_captions(paragraphs: list[str]) -> list[str]:
    """Drop picture/video captions and credits, blog entry and comment field lines, ad labels
    and other interface lines, lines without a letter or digit, and any paragraph of five words
    or more that repeats an earlier one (a teaser shown again)."""
    kept: list[str] = []
    seen: set[str] = set()
    for paragraph in paragraphs:
        text = paragraph.strip()
        if (
            _CREDIT_RE.match(text)
            or is_media_caption(text)
            or not _ALNUM_RE.search(text)
            or _is_post_meta_line(text)
            or _INTERFACE_LINE_RE.match(text)
        ):
            continue
        key = _key(text)
        if len(key.split()) >= _REPEAT_WORDS and key in seen:
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept


# An excerpt of another post, cut off with a bracketed ellipsis: "... the response was [...]",
# "... Heizjacken sind im Grunde […]". One may be a quotation's omission; two or more are a list.
_EXCERPT_END_RE = re.compile(r"\[\s*(?:\.\s*){3}\]$|\[\s*…\s*\]$")
_EXCERPT_RUN = 2


def _without_excerpt_runs(paragraphs: list[str]) -> list[str]:
    """Drop the paragraphs ending in a bracketed ellipsis ("[...]", "[…]") when there are two
    or more: a list of other posts' excerpts. A single one stays (a quotation cut short)."""
    excerpts = [p for p in paragraphs if _EXCERPT_END_RE.search(p.rstrip())]
    if len(excerpts) < _EXCERPT_RUN:
        return paragraphs
    return [p for p in paragraphs if not _EXCERPT_END_RE.search(p.rstrip())]


# A line of the page's interface left between paragraphs: an ad label ("Advertisement",
# "Anzeige", "- Publicité -"), a pointer past an ad ("Story continues below advertisement",
# "Scroll to continue with content"), an audio player's label ("Listen to this article 4 min")
# or a closed comment form's notice ("Comments are closed.").
_AD_LABELS = (
    r"advertisements?|anzeige|werbung|publicit[ée]|publicidad|publicidade|"
    r"pubblicit[àa]|reklame|reklama|reklam|advertentie|mainos|annonse|annons|hirdetés|"
    r"реклама|διαφήμιση|إعلان|פרסומת|광고|广告|広告|quảng cáo|iklan"
)
_INTERFACE_LINE_RE = re.compile(
    rf"^\W*(?:(?:{_AD_LABELS})(?:\W+(?:scroll|continue) (?:down )?to (?:continue|read)\b.*)?"
    r"|(?:the )?(?:story|article|text|content) continues (?:below|after (?:the )?(?:ad|advertisement))"
    r"(?: (?:the )?(?:ad|advertisement))?"
    r"|continue reading (?:below|after (?:the )?(?:ad|advertisement)|the (?:main )?story)"
    r"|scroll (?:down )?to continue(?: reading| with content)?|skip (?:advertisement|ad)"
    r"|listen to (?:this|the) (?:article|story)(?:\W+\d+(?:[.:]\d+)? ?min(?:utes?|s)?\.?)?"
    r"|comments (?:are|is) (?:now )?(?:closed|disabled)"
    r"|(?:sorry, )?you must be logged in to (?:post|leave) a comment"
    r")\W*$",
    re.IGNORECASE,
)

_POST_META_WORDS = 30
# A blog's entry or comment line of labelled fields: "Posted in News | Tagged storm, coast |
# Leave a comment", "Published: November 1st, 2012 | Tags: ...", "Staff | Tags: ...",
# "Design | Comments (0)", "Posted by: Jane | January 14, 2008 06:24 PM", "Posted by Jane
# at/on ...", "View all posts by Jane", "Tags: storm, coast", "« Older post | Main".
_SHORT_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
_POST_META_RE = re.compile(
    r"^[^|]{0,80}\|\s*(?:tags?:|tagged\b|categor(?:y|ies):|"
    r"post a comment|leave a (?:comment|reply)|no comments|\d+ comments?\b|"
    r"comments?\s*(?:\(\d+\)|:|\||$)|permalink)"
    rf"|^posted by:?\s[^|]{{1,40}}?(?:\||\s(?:at|on))\s*(?:{_SHORT_WEEKDAY})?{ENGLISH_MONTH}\s+\d{{1,2}}"
    r"|^view all posts by\b"
    # A comment count or a link to comment opening the line: "1 Comment » | Published in",
    # "• 14 Comments", "Leave a comment!".
    r"|^\W*(?:\d+ comments?|one comment|no comments|(?:leave|post|add) a (?:comment|reply))"
    r"\W*(?:\|.*)?$"
    # A byline's label or a field of a meta line on a line of its own: "Posted by", "Becky |".
    r"|^(?:posted|written|published) by:?$|^[^|\s]+(?:\s[^|\s]+){0,2}\s*\|$"
    r"|^(?:tags|tagged(?: with)?|schlagw[öo]rter|stichw[öo]rter|keywords)\s*:"
    # A link to the previous or next entry: "« Older post title | Main | Newer post title »".
    r"|^\|?\s*«[^»]*\|"
    r"|\|[^«]*»\s*\|?$",
    re.IGNORECASE,
)


def _is_post_meta_line(paragraph: str) -> bool:
    """A line of 30 words or fewer with a blog entry's or comment's labelled fields (when and
    where it was posted, then tags, categories or a comment count, or a commenter's name and
    date) or its links to the previous and next entries, not story."""
    return len(paragraph.split()) <= _POST_META_WORDS and bool(_POST_META_RE.match(paragraph))


def _trim_tail(
    paragraphs: list[str],
    summary_key: str,
    authors: Sequence[str],
    languages: Sequence[str],
) -> list[str]:
    """Drop a press release's closing contact block, closing date lines, agency credit lines,
    copyright notices, author bios and calls to sign up, subscribe or follow (neither ever the
    only paragraph left), orphaned box headings, paragraphs of a key-points box that repeats
    the summary and web addresses with at most a short label."""
    paragraphs = _before_press_contact(_before_closing_rights_notice(paragraphs))
    while paragraphs and (
        _is_date_line(paragraphs[-1], languages)
        or _CREDIT_LINE_RE.match(paragraphs[-1].strip())
        or (len(paragraphs) > 1 and _is_author_bio(paragraphs[-1], authors))
        or _is_orphan_heading(paragraphs)
        or _repeats_summary(paragraphs[-1], summary_key)
        or _is_rights_notice(paragraphs[-1])
        or _is_link_line(paragraphs[-1])
        or (len(paragraphs) > 1 and _is_closing_call(paragraphs[-1]))
    ):
        paragraphs.pop()
    return paragraphs


_AFTER_NOTICE_WORDS = 80
_NOTICE_SCAN = 4


def _before_closing_rights_notice(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` up to a copyright notice that ends the story (:func:`_ends_story`) or
    the opening of a plea to support the site (:func:`_opens_support_plea`) among the last
    four, when no more than 80 words follow it (a sharing prompt, an agency's disclaimer, an ad
    or two, the rest of the plea); never the first paragraph."""
    after = 0
    for i in range(len(paragraphs) - 1, max(0, len(paragraphs) - 1 - _NOTICE_SCAN), -1):
        if _ends_story(paragraphs[i]) or _opens_support_plea(paragraphs[i]):
            return paragraphs[:i]
        after += len(paragraphs[i].split())
        if after > _AFTER_NOTICE_WORDS:
            break
    return paragraphs


# The heading of a press release's contact block: "Pressekontakt:", "Media contacts".
_PRESS_CONTACT_RE = re.compile(
    r"^(?:presse-?kontakte?|medienkontakte?|press(?:e)? contacts?|media (?:contacts?|enquiries)|"
    r"contacts? (?:presse|médias?)|contactos? (?:de prensa|para medios)|contatt[oi] stampa|"
    r"perskontact|kontakt dla mediów)\s*:?$",
    re.IGNORECASE,
)
_CONTACT_LINE_WORDS = 15  # a name, an address, a phone number or an e-mail address
_CONTACT_SCAN = 10


def _before_press_contact(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` up to a press release's closing contact block: a "Pressekontakt" or
    "Media contacts" heading among the last ten paragraphs, followed only by short lines (15
    words or fewer: names, addresses, phone numbers); never the first paragraph."""
    for i in range(max(1, len(paragraphs) - _CONTACT_SCAN), len(paragraphs)):
        if _PRESS_CONTACT_RE.match(paragraphs[i].strip()) and all(
            len(p.split()) <= _CONTACT_LINE_WORDS for p in paragraphs[i + 1 :]
        ):
            return paragraphs[:i]
    return paragraphs


def _is_kicker(paragraphs: Sequence[str]) -> bool:
    """A first line of one or two words without final punctuation, followed by prose."""
    first = paragraphs[0].strip()
    if len(paragraphs) < 2 or len(first.split()) > 2 or first[-1:] in '.!?:;…»”"':
        return False
    return len(paragraphs[1].split()) >= _PROSE_WORDS


def _is_date_line(paragraph: str, languages: Sequence[str]) -> bool:
    """A short paragraph that parses as a date (a dateline or "updated" stamp); never a table
    row ("| 2020-09-30 | $500 | Jane Roe |"), which belongs to a table that ends the story."""
    text = _PARENTHESIZED_RE.sub(" ", paragraph).strip()  # "(1月14日 01時40分更新)"
    if (
        not text
        or len(text) > _DATE_LINE_MAX
        or text.startswith("|")
        or not any(ch.isdigit() for ch in text)
    ):
        return False
    return parse_date(text, languages=languages) is not None


def _repeats_summary(paragraph: str, summary_key: str) -> bool:
    """A paragraph of five words or more found in the summary (a key-points box below the
    story repeats it point by point)."""
    key = _key(paragraph.strip().removeprefix("- "))
    return bool(summary_key) and len(key.split()) >= _REPEAT_WORDS and key in summary_key


# A box heading that announces more of something: "More from the harbour", "Related Content",
# "Weitere Tourentipps in Schweden", "Plus de vidéos", "Más noticias".
_MORE_HEADING_RE = re.compile(
    r"^(?:more|related|further|weitere[nrs]?|mehr|ähnliche|plus de|autres|más|otras|otros|"
    r"altri|altre|meer|więcej|flere|fler|lisää)\b",
    re.IGNORECASE,
)
_MORE_HEADING_WORDS = 8


def _is_orphan_heading(paragraphs: Sequence[str]) -> bool:
    """A last paragraph of one to three words without final punctuation, of up to eight that
    announces more of something ("Weitere Tourentipps in Schweden", "Related Content"; no
    colon in it), or of up to four words ending in a colon: a box heading ("Summary", "Mehr
    zum Thema") or a list's label ("More topics on Example.com:") whose content was removed."""
    last = paragraphs[-1].strip()
    if len(paragraphs) < 2 or CJK_RE.search(last):
        return False
    words = len(last.split())
    if last.endswith(":"):  # not a list's item: a spec list's "- Sensors:" keeps its place
        return (
            not last.startswith("- ")
            and words <= _ORPHAN_LABEL_WORDS
            and len(last) <= _ORPHAN_LABEL_CHARS
        )
    if last[-1:] in ".!?;…»”\"'。！？":
        return False
    if words <= _MORE_HEADING_WORDS and ":" not in last and _MORE_HEADING_RE.match(last):
        return True
    return words <= 3 and len(last) <= _ORPHAN_CHARS


def _is_author_bio(paragraph: str, authors: Sequence[str]) -> bool:
    """A closing paragraph about one of the article's authors ("Jane Roe is a senior researcher
    ...", "Korrespondent Jan Roe ist ..."): it names the author within its first words."""
    words = paragraph.split()
    if not authors or len(words) > _BIO_WORDS:
        return False
    opening = _key(" ".join(words[:_BIO_NAME_WORDS]))
    return any(len(_key(a).split()) >= 2 and _key(a) in opening for a in authors)


_CALL_WORDS = 40
_CALL_SENTENCES = 2
# A sentence that opens with a call to sign up, subscribe, become a member, follow, install an
# app or send a tip.
_CALL_TO_ACTION_RE = re.compile(
    r"(?:^|[.!?]\s*)\W*(?:(?:click|tap) here to |please )?(?:"
    r"sign up\b|subscribe\b|follow (?:us|me)\b|download (?:our|the)\b|"
    r"get (?:our|the) (?:[\w-]+ )?(?:newsletter|app)\b|like us on|check us out on|"
    r"(?:have|got) a (?:news |story )?tip\b|"
    r"become a (?:member|subscriber|supporter)\b|support (?:our|independent) journalism\b|"
    r"abonnieren sie|folgen sie uns|werden sie (?:mitglied|abonnent)|abonnez-vous|suivez-nous|"
    r"devenez (?:membre|abonn[ée])|suscr[ií]bete|s[ií]guenos|hazte (?:miembro|socio|suscriptor)|"
    r"diventa (?:socio|membro|abbonato)|"
    r"(?:einfach |jetzt )?hier klicken\b|klicken sie hier\b|"
    r"jetzt (?:kostenlos )?(?:registrieren|anmelden|abonnieren)\b|"
    r"haz clic aquí|pulsa aquí|cliquez ici|clicca qui)",
    re.IGNORECASE,
)


def _is_closing_call(paragraph: str) -> bool:
    """A closing line of one or two sentences, 40 words or fewer, one of which opens with a
    call to action: "Sign up for our newsletter ...", "Follow us on Twitter ...", "Have a news
    tip? Email us ...", "This article is for subscribers. Subscribe now to read on.", "Jetzt
    auch digital!Einfach hier klicken und registrieren!" (with a link, such a line is pruned as
    a block anywhere in the story)."""
    text = paragraph.strip()
    return (
        len(text.split()) <= _CALL_WORDS
        and len(sentences(text)) <= _CALL_SENTENCES
        and _CALL_TO_ACTION_RE.search(text) is not None
    )


def _is_link_line(paragraph: str) -> bool:
    """A closing web address alone or after a label of five words or fewer: "Permalink:
    https://...", "Publikacja dostępna na stronie: https://...", "Information from: KBKW,
    http://..."."""
    text = paragraph.strip()
    addresses = list(WEB_ADDRESS_RE.finditer(text))
    if not addresses or addresses[-1].end() != len(text):
        return False
    return len(text[: addresses[-1].start()].split()) <= 5


def _is_rights_notice(paragraph: str) -> bool:
    """A closing copyright notice of 60 words or fewer: "© 2008 WorldNow and ...", "Copyright
    2008 The Associated Press. All rights reserved. This material may not be published ..."."""
    text = paragraph.strip()
    return len(text.split()) <= _NOTICE_WORDS and bool(
        _COPYRIGHT_RE.search(text) or _RIGHTS_RESERVED_RE.search(text)
    )


# A plea to support the site, opening a closing block: a call to support its work ("Support
# our journalism", "Unterstütze RosaMag mit 2,50 €!", "Apoya el periodismo") or the question that
# leads into one ("Like what you read?", "Gefällt dir unser Magazin?", "¿Te gustó este
# artículo?"), as a paragraph's first sentence.
_SUPPORT_PLEA_RE = re.compile(
    r"^\W*(?:"
    r"support (?:us|our (?:work|journalism|reporting|magazine|newsroom|site|mission))\b|"
    r"like what you(?:'ve)? read\?|(?:did you )?enjoy(?:ed)? (?:this|the) (?:article|story|post)\?|"
    r"unterstützen? (?:sie )?(?:uns|unser\w* (?:arbeit|magazin|journalismus|redaktion))\b|"
    r"unterstütze \w+ (?:bereits )?mit\b|"
    r"(?:gefällt|gefiel) (?:dir|ihnen|euch) (?:unser|unsere|dieser|der) [\w-]+\?|"
    r"hat (?:dir|ihnen|euch) (?:der|dieser) (?:artikel|beitrag) gefallen\?|"
    r"apoy[ae] (?:a |al |el |nuestro |nuestra )?(?:periodismo|trabajo)\b|"
    r"¿te gust[óo] (?:este|el) (?:artículo|contenido)\?|"
    r"soutenez(?:-nous| notre (?:travail|journalisme|rédaction))|"
    r"vous avez aimé cet article\s?\?|ti è piaciuto (?:questo|l')\s?articolo\?)",
    re.IGNORECASE,
)


def _opens_support_plea(paragraph: str) -> bool:
    """A paragraph that opens with a plea to support the site or the question leading into one
    (:data:`_SUPPORT_PLEA_RE`)."""
    return _SUPPORT_PLEA_RE.search(paragraph.strip()) is not None


def _ends_story(paragraph: str) -> bool:
    """A copyright notice that dates the text or reserves its rights ("© 2008", "Copyright AP.
    All rights reserved."), not a picture's credit ("© Reuters")."""
    text = paragraph.strip()
    return _is_rights_notice(text) and bool(
        _RIGHTS_RESERVED_RE.search(text) or _YEAR_RE.search(text)
    )
