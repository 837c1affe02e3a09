"""Stage 1b: what a reader sees around the headline: the ``<h1>``, dates in the article header,
bylines, category and tag links, breadcrumbs and the lead. Everything is searched inside the
article's own block and outside related-post, widget and navigation blocks, so the site
header's "today" date or a teaser's categories are never taken."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from newscrawl.extraction.boilerplate import (
    ClassIndex,
    boilerplate_regions,
    paragraph_text_lengths,
    short_text,
)
from newscrawl.items import ExtractedPage
from newscrawl.normalization.text import comparison_key, title_parts, title_runs

_WS_RE = re.compile(r"\s+")
_DATE_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:date\w*|time\w*|published|pub-?date|posted\w*|updated|modified|"
    r"dateline|datum|fecha|data|byline-?date|article-?date|entry-?date|post-?date|meta-?date)"
    r"(?=$|[\s_-])"
)
_MODIFIED_RE = re.compile(
    r"updat|modif|aktualisiert|geändert|mis à jour|actualiza|aggiornat", re.IGNORECASE
)
_AUTHOR_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:author\w*|byline\w*|by-line|autor\w*|auteur|writer|reporter|journalist|"
    r"contributor\w*|creator|article-?author|post-?author|entry-?author)(?=$|[\s_-])"
)
_AUTHOR_EXCLUDE_RE = re.compile(
    r"(?:bio|box|avatar|image|img|photo|picture|about|description|social)"
)
_LEAD_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|lead-?(?:text|in|paragraph|para|content)|intro(?:-?text)?|standfirst|summary|article-?summary|sapo|subtitle|"
    r"sub-?headline|excerpt|dek|deck|abstract|teaser-?text|key-?points|highlights|"
    r"article-?description|description)(?=$|[\s_-])"
)
# The site's tagline beside its logo ("site-description" in WordPress themes): never a lead.
_SITE_TAGLINE_RE = re.compile(r"(?:site|blog)[-_]?(?:description|desc|tagline|slogan)")
_TAG_CONTAINER_RE = re.compile(
    r"(?:^|[\s_-])(?:tags?(?:-?links|-?list)?|post-?tags|entry-?tags|article-?tags|keywords|topics?|"
    r"themen|schlagw\w*|cat-?links|categories|post-?categories|entry-?categories)(?=$|[\s_-])"
)
# The whole site's category list or tag cloud, as blog platforms generate it (WordPress's
# ``cat-item``, category and tag-cloud widgets and blocks, TypePad's ``module-categories``): never
# one article's tags, whatever its container is called. A plain "tagcloud" class is not enough:
# some sites show the article's own tags as a cloud.
_SITE_TAXONOMY_RE = re.compile(
    r"(?:^|\s)(?:cat-item|widget_categories|widget_tag_cloud|wp-block-tag-cloud|"
    r"wp-block-categories|module-categories)(?=$|\s)"
)
_TOPIC_PATH_RE = re.compile(
    r"/(?:tags?|tagi|topics?|themen?|thema|schlagw\w*|stichw\w*|keywords?|sujets?|temas?|tema|"
    r"argomenti|onderwerp\w*|emne|etiquetas?|hashtag)/[^/?#]+/?(?:[?#]|$)",
    re.IGNORECASE,
)
_CHROME_TAGS = ("nav", "aside", "header", "footer", "form", "button")
_MAX_CANDIDATES = 8


@dataclass(slots=True)
class ArticleLayout:
    """The headline element, the block that holds the article (its ``root``), the elements of
    the root that sit in boilerplate blocks, and every root element's document position."""

    headline: HtmlElement | None
    root: HtmlElement
    paragraph_lengths: dict[HtmlElement, int]
    boilerplate: set[HtmlElement]
    order: dict[HtmlElement, int]
    index: ClassIndex

    def in_boilerplate(self, el: HtmlElement) -> bool:
        """True if ``el`` is inside a related/widget/navigation block of the root."""
        return el in self.boilerplate


def text_of(el: HtmlElement) -> str:
    """The element's visible text with whitespace collapsed."""
    return _WS_RE.sub(" ", el.text_content()).strip()


def block_text(el: HtmlElement) -> str:
    """A lead block's text: a key-points list gives one point per line, anything else its text."""
    items = [text_of(li) for li in el.iter("li")]
    if items and el.find(".//p") is None:
        return "\n".join(i for i in items if i)
    return text_of(el)


def _class_id(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def find_layout(
    tree: HtmlElement, structured_headlines: list[str], index: ClassIndex | None = None
) -> ArticleLayout:
    """Locate the article's ``<h1>`` (else its title sub-heading, :func:`headline_sub_heading`)
    and the smallest block around it holding most of the text."""
    if index is None:
        index = ClassIndex.of(tree)
    lengths = paragraph_text_lengths(tree)
    headline = _pick_h1(tree, structured_headlines)
    if headline is None:
        headline = headline_sub_heading(tree, structured_headlines)
    body = tree.find("body")
    root: HtmlElement = body if body is not None else tree
    total = lengths.get(tree, 0)
    if headline is not None:
        node = headline.getparent()
        while node is not None:
            if node.tag == "article" or lengths.get(node, 0) >= 0.5 * total > 0:
                root = node
                break
            node = node.getparent()
    order = {el: i for i, el in enumerate(root.iter())}
    return ArticleLayout(headline, root, lengths, boilerplate_regions(root, index), order, index)


def _pick_h1(tree: HtmlElement, structured_headlines: list[str]) -> HtmlElement | None:
    wanted = [comparison_key(h) for h in structured_headlines if h]
    best: tuple[int, int] | None = None
    chosen = None
    for index, h1 in enumerate(tree.iter("h1")):
        text = comparison_key(h1.text_content())
        if len(text) < 3:
            continue
        score = 0
        if any(text == w for w in wanted):
            score += 6
        elif any(text in w or w in text for w in wanted if len(w) > 10 and len(text) > 10):
            score += 3
        ancestors = {a.tag for a in h1.iterancestors()}
        if ancestors & {"article", "main"}:
            score += 2
        if ancestors & {"nav", "footer", "aside"}:
            score -= 4
        if h1.find(".//img") is not None and len(text) < 30:
            score -= 3  # a logo
        if len(text.split()) < 2:
            score -= 1
        key = (score, -index)
        if best is None or key > best:
            best, chosen = key, h1
    return chosen


_SUB_HEADING_TAGS = ("h2", "h3", "h4")
_SUB_HEADLINE_MIN_WORDS = 4
_NAVIGATION_TAGS = frozenset({"nav", "footer", "aside", "header"})


def headline_sub_heading(tree: HtmlElement, structured_headlines: list[str]) -> HtmlElement | None:
    """The first ``<h2>``-``<h4>`` of four words or more whose text is a structured headline or
    a part of one (a ``<title>`` with the site's name around it), outside navigation, header
    and footer: the story's title on pages without an ``<h1>`` for it (blog engines title posts
    with ``<h2>`` or ``<h3>``). None when there is none."""
    wanted = [f" {comparison_key(h)} " for h in structured_headlines if h]
    if not wanted:
        return None
    for heading in tree.iter(*_SUB_HEADING_TAGS):
        text = comparison_key(heading.text_content())
        if len(text.split()) < _SUB_HEADLINE_MIN_WORDS or not any(f" {text} " in w for w in wanted):
            continue
        if not any(a.tag in _NAVIGATION_TAGS for a in heading.iterancestors()):
            return heading
    return None


def add_visible_candidates(layout: ArticleLayout, out: ExtractedPage) -> None:
    """Add headline, dates, authors, section, tags and lead found in the visible article."""
    if layout.headline is not None:
        out.add("headline", text_of(layout.headline), "h1")
    for value, kind in _dates(layout):
        out.add(kind, value, "time")
    for name in _bylines(layout):
        out.add("authors", name, "byline")
    found_tags = False
    for label, kind in _taxonomy_links(layout):
        out.add(kind, label, "links")
        found_tags = found_tags or kind == "tags"
    if not found_tags:
        for label in _topic_link_list(layout):
            out.add("tags", label, "links")
    crumbs = _breadcrumbs(layout)
    if crumbs:
        out.add("breadcrumbs", " › ".join(crumbs), "breadcrumbs")
    lead = _lead(layout)
    if lead:
        out.add("summary", lead, "lead")


_HEADING_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:headline|head-?line|article-?title|story-?title|entry-?title|post-?title)(?:$|[\s_-])",
    re.IGNORECASE,
)
_HEADING_CHARS = (15, 200)
_HEADING_WORDS = 3


def add_story_headings(tree: HtmlElement, out: ExtractedPage) -> None:
    """Add the line right above the story (:func:`element_above_story`) as source
    ``above-story`` when it is marked as a heading (:func:`_marked_as_heading`) or is a plain
    line that can be one (:func:`_plain_heading_line`): on pages whose
    ``<h1>`` and ``<title>`` name only a section or the site, it is the headline (see the
    normalize stage). For a page that gives no headline at all (no ``<title>``, ``<h1>`` or
    metadata), also the first element whose class names a headline ("headline",
    "entry-title", ...), else the first ``<h2>``/``<h3>``, holding a line of 3+ words (15-200
    characters), else that line above the story, as source ``heading``."""
    body = tree.find("body")
    if body is None:
        return
    above = element_above_story(body)
    line = text_of(above) if above is not None else None
    if not out.candidates.get("headline"):
        out.add("headline", _first_heading(body) or line, "heading")
    if (
        above is not None
        and line
        and (_marked_as_heading(above) or _plain_heading_line(above, line))
    ):
        out.add("headline", line, "above-story")


_HEADING_ELEMENTS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MARKED_HEADING_RE = re.compile(r"head|title", re.IGNORECASE)


def _marked_as_heading(el: HtmlElement) -> bool:
    """Whether ``el``, or an element around it holding just its text (``<h2><b>...</b></h2>``),
    is an ``<h1>``-``<h6>`` or has a class or id saying "head" or "title"."""
    text = text_of(el)
    for node in (el, *el.iterancestors()):
        if node is not el and short_text(node, len(text)) != text:
            return False
        if node.tag in _HEADING_ELEMENTS or _MARKED_HEADING_RE.search(_class_id(node)):
            return True
    return False


def _plain_heading_line(el: HtmlElement, text: str) -> bool:
    """Whether an unmarked line above the story can be its headline: not a paragraph (a short
    opening sentence: "Why do some songs sell?"), not a picture's caption and not set in
    capitals (a letters column's "TO JANE ROE")."""
    return el.tag != "p" and not in_caption(el) and not text.isupper()


def _first_heading(body: HtmlElement) -> str | None:
    named = (
        el
        for el in body.iter()
        if isinstance(el.tag, str) and _HEADING_CLASS_RE.search(_class_id(el))
    )
    for el in (*named, *body.iter("h2", "h3")):
        text = text_of(el)
        if (
            _HEADING_CHARS[0] <= len(text) <= _HEADING_CHARS[1]
            and len(text.split()) >= _HEADING_WORDS
        ):
            return text
    return None


_SHOWN_LEVELS = 4  # a headline's text sits at most this deep in inline markup
_SHOWN_CHARS = 300
_DECLARED_HEADLINES = frozenset({"jsonld", "opengraph"})
_SHOWN_WORDS = 3
_SHOWN_HEADING_WORDS = 2  # a shorter title part counts when a heading shows it


def add_shown_title_part(tree: HtmlElement, out: ExtractedPage) -> None:
    """For a ``<title>`` made of parts ("Storm hits coast - News - Daily Paper", "Site : News :
    Storm hits coast") on a page that declares no headline (JSON-LD, OpenGraph): the longest
    part or run of adjacent parts (:func:`title_runs`: "Premier League - Storm hits coast") of
    3+ words that the page shows as the whole text of an element, or of two words as
    a heading's (:func:`_marked_as_heading`; a two-word section name is shown in menus), as
    source ``title:shown`` (the headline without section and site names nobody declared)."""
    candidates = out.candidates.get("headline", [])
    if any(c.source in _DECLARED_HEADLINES for c in candidates):
        return  # a declared headline outranks both the title and the <h1>
    title = next((c.value for c in candidates if c.source == "title"), None)
    body = tree.find("body")
    if body is None or not title:
        return
    # (text, whether only a heading showing it counts)
    pieces = [
        (part, len(part.split()) < _SHOWN_WORDS)
        for part in title_parts(title)
        if len(part.split()) >= _SHOWN_HEADING_WORDS
    ] + [(run, True) for run in title_runs(title)]
    shown = [
        text
        for text, heading_only in pieces
        if any(
            not heading_only or _marked_as_heading(element)
            for element in _showing_elements(body, text)
        )
    ]
    if shown:
        out.add("headline", max(shown, key=len), "title:shown")


def _showing_elements(body: HtmlElement, text: str) -> Iterator[HtmlElement]:
    """The elements of ``body`` that have ``text`` (compared loosely) as their whole text. The
    text nodes holding its longest word are found by XPath (20 at most), then their nearest
    ancestors read."""
    key = comparison_key(text)
    probe = max(text.split(), key=len)
    for node in body.xpath("(.//text()[contains(., $probe)])[position() <= 20]", probe=probe):
        el = node.getparent()
        if el is not None and node.is_tail:
            el = el.getparent()
        for _ in range(_SHOWN_LEVELS):
            if el is None:
                break
            found = short_text(el, _SHOWN_CHARS)
            if found is None:
                break
            if comparison_key(found) == key:
                yield el
                break
            el = el.getparent()


_STORY_WORDS = 25  # the first paragraph with this many words starts the story
_ABOVE_STORY_SCAN = 40  # elements looked at above it
_HEADING_MAX_WORDS = 20
_NOT_HEADLINE_RE = re.compile(
    r"[.:,;|][\"'”’»]*$|^\s*(?:by|von|par|por|door|di|de|posted|updated)\b|©", re.IGNORECASE
)


def element_above_story(body: HtmlElement) -> HtmlElement | None:
    """The headline element of a page that marks none up: the nearest line above the story's
    first paragraph (a ``<p>`` of 25+ words; on a page without one, such a run of text outside
    any ``<p>``) that reads like one: a leaf element of 3-20 words
    and 15-200 characters, no link, not ending like a sentence or label, not a byline or
    picture credit (©), mostly letters. None when there is no such line."""
    # A page with no such <p> writes its story straight into a block, parted by <br>s.
    loose = not any(_is_prose(p.text_content()) for p in body.iter("p"))
    above: deque[HtmlElement] = deque(maxlen=_ABOVE_STORY_SCAN)
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "p" and _is_prose(el.text_content()):
            break
        if loose and el.tag not in _NO_PROSE_TAGS and _is_prose(el.text):
            break
        above.append(el)
        if loose and _is_prose(el.tail):
            break
    else:
        return None
    for el in reversed(above):
        if el.tag in ("a", "script", "style", "option", "button", "li") or any(
            isinstance(child.tag, str)
            and child.tag not in ("b", "strong", "font", "span", "i", "em")
            for child in el
        ):
            continue
        text = text_of(el)
        words = text.split()
        if not (
            _HEADING_WORDS <= len(words) <= _HEADING_MAX_WORDS
            and _HEADING_CHARS[0] <= len(text) <= _HEADING_CHARS[1]
        ):
            continue
        if _NOT_HEADLINE_RE.search(text) or el.xpath("ancestor-or-self::a|.//a"):
            continue
        if sum(ch.isalpha() for ch in text) < 0.7 * len(text.replace(" ", "")):
            continue
        if in_caption(el) or _follows_picture(el):
            continue
        return el
    return None


_NO_PROSE_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "title"})


def _is_prose(text: str | None) -> bool:
    """Whether ``text`` is long enough for a story's paragraph (25+ words)."""
    return text is not None and len(text.split()) >= _STORY_WORDS


_CAPTION_WRAPPERS = 2  # a caption's own wrappers looked through ("<div><span>caption")


def _follows_picture(el: HtmlElement) -> bool:
    """Whether ``el``, or a wrapper that opens with it, comes right after a picture in its block
    (``<img>``, or a link or span holding only one): the picture's caption, however marked."""
    node: HtmlElement | None = el
    for _ in range(_CAPTION_WRAPPERS + 1):
        if node is None:
            return False
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None:
            return previous.tag in ("img", "picture") or (
                previous.tag in ("a", "span")
                and not previous.text_content().strip()
                and previous.find(".//img") is not None
            )
        parent = node.getparent()
        if parent is None or (parent.text or "").strip():
            return False
        node = parent
    return False


def _after_headline(layout: ArticleLayout, elements: list[HtmlElement]) -> list[HtmlElement]:
    """Order ``elements`` by closeness to the headline in document order (after it first)."""
    if layout.headline is None:
        return elements
    order = layout.order
    anchor = order.get(layout.headline, 0)
    return sorted(
        elements, key=lambda el: (order.get(el, 0) < anchor, abs(order.get(el, 0) - anchor))
    )


def _dates(layout: ArticleLayout) -> Iterator[tuple[str, str]]:
    """(value, "published"|"modified") for the article block's date elements, nearest the
    headline first: ``<time>``, date classes and labelled dates; when there are none and the
    page has a headline, a dateline beside it, else the nearest element holding only a numeric
    date (without a headline that could be a site header's "today")."""
    root = layout.root
    found: list[HtmlElement] = []
    labelled: dict[HtmlElement, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or layout.in_boilerplate(el):
            continue
        if el.tag == "time" or (
            el.tag != "body" and _DATE_CLASS_RE.search(_class_id(el)) and len(el) <= 4
        ):
            found.append(el)
        elif el.text and len(el) <= 4 and _PUBLISHED_LABEL_RE.match(el.text):
            value = _labelled_date(el)
            if value:
                found.append(el)
                labelled[el] = value
    if not found and layout.headline is not None:
        found = _dateline_beside(layout.headline)
        if not found:
            for el, value in _date_only_lines(layout):
                found.append(el)
                labelled[el] = value
    emitted = 0
    seen: set[str] = set()
    for el in _after_headline(layout, found):
        value = labelled.get(el) or (
            (el.get("datetime") or el.get("content") or _abbr_title(el)).strip() or text_of(el)
        )
        if not value or len(value) > 120 or value in seen:
            continue
        seen.add(value)
        hint = f"{_class_id(el)} {el.get('itemprop') or ''} {text_of(el)[:40]}"
        published = el in labelled or _PUBLISHED_LABEL_RE.match(text_of(el)) is not None
        yield value, ("modified" if not published and _MODIFIED_RE.search(hint) else "published")
        emitted += 1
        if emitted >= _MAX_CANDIDATES:
            return


def _abbr_title(el: HtmlElement) -> str:
    """The date an hAtom ``<abbr class="published" title="2014-05-18T09:30">`` gives in its
    title when that has a time of day (its text may be "May 18" or "a while ago"); "" for other
    elements, and for a title without a time beside a text that may have one ("26 October
    2012" / "26 October 2012, 4:24 PM")."""
    title = (el.get("title") or "") if el.tag == "abbr" else ""
    return title if ":" in title and any(ch.isdigit() for ch in title) else ""


# A line that opens with a numeric date: "02.02.2022 10:16 - Sport", "2022-02-02 | Anna B."
_OPENS_WITH_DATE_RE = re.compile(
    r"\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
)
_DATELINE_CHARS = 100


def _dateline_beside(headline: HtmlElement) -> list[HtmlElement]:
    """The short line right before or after the headline when it opens with a numeric date
    (a dateline no class marks: "<p>02.02.2022 10:16 - Sport</p><h1>..."); empty lines
    in between are skipped."""
    lines: list[HtmlElement] = []
    for step in (HtmlElement.getprevious, HtmlElement.getnext):
        sibling = step(headline)
        while sibling is not None and (not isinstance(sibling.tag, str) or not text_of(sibling)):
            sibling = step(sibling)
        if sibling is None:
            continue
        text = text_of(sibling)
        if len(text) <= _DATELINE_CHARS and _OPENS_WITH_DATE_RE.match(text):
            lines.append(sibling)
    return lines


_DATE_ONLY_RE = re.compile(
    r"\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:uhr|h))?)?\s*",
    re.IGNORECASE,
)


def _date_only_lines(layout: ArticleLayout) -> list[tuple[HtmlElement, str]]:
    """The element of the article block nearest the headline whose own text is a numeric date
    and nothing else ("<div>17/02/2022</div>", "<div>24.01.2022 11:38<span>News</span>"),
    outside boilerplate and links (a teaser's date), with that date."""
    lines = [
        el
        for el in layout.root.iter()
        if isinstance(el.tag, str)
        and el.text
        and _DATE_ONLY_RE.fullmatch(el.text)
        and not layout.in_boilerplate(el)
        and not el.xpath("ancestor-or-self::a")
    ]
    return [(el, (el.text or "").strip()) for el in _after_headline(layout, lines)[:1]]


# A label that names the publication date ("Datum:", "Erstellt am", "Published:", "Written:").
_PUBLISHED_LABEL_RE = re.compile(
    r"\s*(?:(?:date|datum|data|fecha|stand|written|geschrieben|publication date|"
    r"date de publication|data di pubblicazione|fecha de publicaci[oó]n)\s*:"
    r"|(?:published|posted|erstellt|erschienen|veröffentlicht|publiziert|publié|publicado|"
    r"pubblicato|gepubliceerd|opublikowano|publicerad|publiceret|julkaistu|опубликовано)"
    r"(?:\s+(?:on|am|le|el|em|il|op))?\s*(?::|(?=\s*\d)))",
    re.IGNORECASE,
)
_LABELLED_DATE_CHARS = 80
# A "Label: value" row of a list or table is a fact about the subject (a photo's "Datum:"),
# not the page's publication date.
_IN_FACTS_LIST = (
    "ancestor-or-self::*[position() <= 2][self::li or self::td or self::th or self::dt or self::dd]"
)


def _labelled_date(el: HtmlElement) -> str | None:
    """The date a label element gives: its own text when that holds a number ("Erstellt am:
    01.11.2023"), else the text right after it (its tail, or the next element's text) when the
    element is the label alone ("<span>Datum:</span> <span>18.10.2021</span>"). None when
    there is no short text with a number, or the label is a row of a list or table."""
    own = text_of(el)
    if len(own) > _LABELLED_DATE_CHARS or el.xpath(_IN_FACTS_LIST):
        return None
    if any(ch.isdigit() for ch in own):
        return own
    after = _WS_RE.sub(" ", el.tail or "").strip()
    if not after:
        sibling = el.getnext()
        after = text_of(sibling) if sibling is not None and isinstance(sibling.tag, str) else ""
    if after and len(after) <= _LABELLED_DATE_CHARS and any(ch.isdigit() for ch in after):
        return after
    return None


_BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:by|von|par|por|door|af|av|di|da|od|från|fra|de|от|автор)\b\s*:?\s*$", re.IGNORECASE
)
_AUTHOR_PATH_RE = re.compile(
    r"/(?:author|authors|autor|autoren|auteur|auteurs|autore|autori|profile|profil|people|"
    r"journalist|journalists|journalisten|staff|redaktion|reporter|reporters)(?:/|$)",
    re.IGNORECASE,
)


def _is_byline_element(el: HtmlElement) -> bool:
    """A byline by markup: ``rel=author``, an author class, a link to an author page, or a block
    whose own text is just "By"/"Von"/"Par"... followed by links."""
    if "author" in (el.get("rel") or "").lower().split():
        return True
    cls = _class_id(el)
    if _AUTHOR_CLASS_RE.search(cls) is not None and not _AUTHOR_EXCLUDE_RE.search(cls):
        return True
    if el.tag == "a" and _AUTHOR_PATH_RE.search(el.get("href") or ""):
        return True
    return (
        bool(el.text)
        and _BYLINE_PREFIX_RE.match(el.text) is not None
        and el.find(".//a") is not None
    )


def _byline_names(el: HtmlElement) -> list[str]:
    """The names in a byline element: its links to people when it has any, else its text."""
    links = [a for a in el.iter("a") if _AUTHOR_PATH_RE.search(a.get("href") or "")]
    if not links and el.text and _BYLINE_PREFIX_RE.match(el.text):
        links = list(el.iter("a"))
    names = [text_of(a) for a in links] if links else [text_of(el)]
    return [n for n in names if n]


def _parents(el: HtmlElement) -> set[HtmlElement]:
    """The element's parent and grandparent (the blocks a byline shares with its neighbours)."""
    parent = el.getparent()
    if parent is None:
        return set()
    grandparent = parent.getparent()
    return {parent} if grandparent is None else {parent, grandparent}


def _bylines(layout: ArticleLayout) -> Iterator[str]:
    """Names from the byline closest to the headline, and from bylines beside it (same parent
    or grandparent): a page's other bylines (teasers, author lists) are not this article's."""
    root = layout.root
    found = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("body", "article", "main")
        and not layout.in_boilerplate(el)
        and _is_byline_element(el)
        and len(text_of(el)) <= 200
    ]
    # Innermost first: an author link inside a byline block gives the cleanest name.
    innermost = [
        el for el in found if not any(other is not el and _contains(el, other) for other in found)
    ]
    ordered = _after_headline(layout, innermost)
    if not ordered:
        return
    first = ordered[0]
    block = _parents(first)
    emitted = 0
    for el in ordered:
        if el is not first and not _parents(el) & block:
            continue
        for name in _byline_names(el):
            yield name
            emitted += 1
            if emitted >= _MAX_CANDIDATES:
                return


def _contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    node = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _taxonomy_links(layout: ArticleLayout) -> Iterator[tuple[str, str]]:
    """Category links (→ section and tags) and tag links (→ tags) of the article itself."""
    root = layout.root
    seen: set[str] = set()
    past_story = _next_article_position(layout)
    for a in root.iter("a"):
        if layout.order.get(a, -1) > past_story:
            break
        rel = set((a.get("rel") or "").lower().split())
        container = _taxonomy_container(a, root)
        if not (rel & {"tag", "category"} or container is not None):
            continue
        if _in_site_taxonomy(a, root) or _in_boilerplate_excluding_taxonomy(a, layout):
            continue
        label = text_of(a)
        if not label or len(label) > 60 or label.casefold() in seen:
            continue
        seen.add(label.casefold())
        is_category = "category" in rel or (container is not None and "cat" in _class_id(container))
        if is_category:
            yield label, "section"
        yield label, "tags"


def _next_article_position(layout: ArticleLayout) -> int:
    """The document position of the first ``<article>`` after the story's own (another story's
    teaser): what follows it is the rest of the page, whose topic lists are not the story's.
    Past every element when no ``<article>`` holds the headline or more than half of the
    page's paragraph text (a story outside any, with teasers set in it)."""
    end = len(layout.order)
    article = _main_article(layout)
    if article is None:
        return end
    around_headline = layout.headline is not None and article in layout.headline.iterancestors()
    lengths = layout.paragraph_lengths
    if not around_headline and 2 * lengths.get(article, 0) <= lengths.get(layout.root, 0):
        return end
    last = max((layout.order.get(el, -1) for el in article.iter()), default=-1)
    following = (layout.order.get(el, end) for el in layout.root.iter("article"))
    return min((n for n in following if n > last), default=end)


def _taxonomy_container(el: HtmlElement, root: HtmlElement) -> HtmlElement | None:
    node = el.getparent()
    depth = 0
    while node is not None and node is not root and depth < 4:
        if _TAG_CONTAINER_RE.search(_class_id(node)):
            return node
        node = node.getparent()
        depth += 1
    return None


def _in_site_taxonomy(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``el`` sits in the whole site's category list or tag cloud, below ``root``."""
    node = el.getparent()
    while node is not None and node is not root:
        if _SITE_TAXONOMY_RE.search(_class_id(node)):
            return True
        node = node.getparent()
    return False


def _in_boilerplate_excluding_taxonomy(el: HtmlElement, layout: ArticleLayout) -> bool:
    root = layout.root
    node = el.getparent()
    while node is not None and node is not root:
        if node.tag in ("nav", "aside") or (
            layout.index.boilerplate(node) and not _TAG_CONTAINER_RE.search(_class_id(node))
        ):
            return True
        node = node.getparent()
    return False


def _topic_link_list(layout: ArticleLayout) -> list[str]:
    """The labels of the first list of topic-page links after the headline: two or more links
    to topic pages (``/tag/x``, ``/thema/x``, ``/topics/x``, ...) that make up nearly all links
    of their list, outside paragraphs (inline entity links) and outside page chrome."""
    root = layout.root
    anchor = layout.order.get(layout.headline, -1) if layout.headline is not None else -1
    article = _main_article(layout)
    past_story = _next_article_position(layout)
    groups: dict[HtmlElement, list[str]] = {}
    for a in root.iter("a"):
        position = layout.order.get(a, -1)
        if position > past_story:
            break
        if position <= anchor or not _TOPIC_PATH_RE.search(a.get("href") or ""):
            continue
        parent = a.getparent()
        if parent is None:
            continue
        container = parent.getparent() if parent.tag == "li" else parent
        if container is None or container.tag == "p" or _in_chrome(container, article, layout):
            continue
        if _in_site_taxonomy(a, root):
            continue
        label = text_of(a)
        if label and len(label) <= 60:
            groups.setdefault(container, []).append(label)
    for container, labels in groups.items():  # document order: dicts keep insertion order
        total = sum(1 for _ in container.iter("a"))
        if len(labels) >= 2 and len(labels) >= 0.75 * total:
            return labels
    return []


def _in_chrome(el: HtmlElement, article: HtmlElement | None, layout: ArticleLayout) -> bool:
    """True if ``el`` or an ancestor below the article root is page chrome: navigation, a
    sidebar, a related/trending/share block. Inside the main ``article``, its ``<footer>`` and
    "footer"/"nav"-named blocks are the article's footer, where tags live, so there only
    sidebars and strong boilerplate (related, trending, share...) count."""
    inside = article is not None and any(a is article for a in el.iterancestors())
    node: HtmlElement | None = el
    while node is not None and node is not layout.root and node is not article:
        if inside:
            if node.tag == "aside" or layout.index.strong(node):
                return True
        elif node.tag in _CHROME_TAGS or layout.index.boilerplate(node):
            return True
        node = node.getparent()
    return False


def _main_article(layout: ArticleLayout) -> HtmlElement | None:
    """The ``<article>`` around the headline, else the one holding the most paragraph text."""
    if layout.headline is not None:
        around = next(layout.headline.iterancestors("article"), None)
        if around is not None:
            return around
    lengths = layout.paragraph_lengths
    return max(layout.root.iter("article"), key=lambda a: lengths.get(a, 0), default=None)


def _breadcrumbs(layout: ArticleLayout) -> list[str]:
    for el in layout.index.breadcrumbs:
        labels = [text_of(a) for a in el.iter("a")]
        found = [label for label in labels if label and len(label) <= 60]
        if found:
            return found
    return []


_MEDIA_TAGS = ("img", "picture", "video", "figure", "figcaption", "iframe")


def _holds_media(el: HtmlElement) -> bool:
    """A block with images, video or captions: a lead *picture*, not a lead text."""
    if any(True for _ in el.iter(*_MEDIA_TAGS)):
        return True
    return any("caption" in (d.get("class") or "").lower() for d in el.iter())


_HIDDEN_STYLE_RE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
    re.IGNORECASE,
)


def is_hidden(el: HtmlElement) -> bool:
    """Whether ``el`` is never shown: it or an ancestor has the ``hidden`` attribute or an
    inline ``display: none`` / ``visibility: hidden`` style."""
    return any(
        node.get("hidden") is not None or _HIDDEN_STYLE_RE.search(node.get("style") or "")
        for node in (el, *el.iterancestors())
    )


def _after_the_story(layout: ArticleLayout, el: HtmlElement) -> bool:
    """Whether most of the article block's paragraph text lies between the headline and ``el``:
    a teaser further down the page, not the lead under the headline."""
    if layout.headline is None:
        return False
    order, lengths = layout.order, layout.paragraph_lengths
    start, end = order.get(layout.headline, 0), order.get(el, 0)
    between = sum(lengths.get(p, 0) for p in layout.root.iter("p") if start < order.get(p, 0) < end)
    return between > 0.5 * lengths.get(layout.root, 0)


def _lead(layout: ArticleLayout) -> str | None:
    root = layout.root
    leads = [
        e
        for e in root.iter()
        if isinstance(e.tag, str)
        and e.tag not in ("body", "article", "main", "a")
        and (e.get("class") or e.get("id"))
        and _LEAD_CLASS_RE.search(_class_id(e))
        and not _SITE_TAGLINE_RE.search(_class_id(e))
    ]
    for el in _after_headline(layout, leads):
        if layout.in_boilerplate(el) or el.find(".//h1") is not None or _holds_media(el):
            continue
        if is_hidden(el) or _after_the_story(layout, el):
            continue
        if _in_author_block(el, layout.root):
            continue
        text = block_text(el)
        links = sum(len(text_of(a)) for a in el.iter("a"))
        if 30 <= len(text) <= 1500 and links < 0.5 * len(text):
            return text
    return None


def _in_author_block(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``el`` lies in a block named for an author within ``root`` (an author box or
    byline dropdown): its "description" is the author's, not the article's lead."""
    for node in (el, *el.iterancestors()):
        if node is root:
            return False
        if _AUTHOR_CLASS_RE.search(_class_id(node)):
            return True
    return False


_LEAD_PROBE_CHARS = 40
_LEAD_SLACK_CHARS = 60  # a dateline or kicker the visible lead may add to the description


def nearest_below_headline(layout: ArticleLayout, elements: list[HtmlElement]) -> HtmlElement:
    """Of ``elements`` (not empty), the one closest after the headline in document order."""
    return _after_headline(layout, elements)[0]


def showing_element(body: HtmlElement, description: str) -> HtmlElement | None:
    """The element whose own text first shows the opening words of ``description``."""
    probe = " ".join(description.split())[:_LEAD_PROBE_CHARS]
    if len(probe) < 20:
        return None
    nodes = body.xpath("(.//text()[contains(., $probe)])[1]", probe=probe)
    if not nodes:
        return None
    element = nodes[0].getparent()
    if element is not None and nodes[0].is_tail:
        element = element.getparent()
    return element


def in_caption(el: HtmlElement) -> bool:
    """Whether ``el`` is part of a picture's caption: inside a ``<figure>`` or ``<figcaption>``,
    or a block whose class names a caption. A description shown there is one some publishers
    copy from their lead image, not the article's lead."""
    return any(
        node.tag in ("figure", "figcaption") or "caption" in (node.get("class") or "").lower()
        for node in (el, *el.iterancestors())
    )


def lead_block(shown: HtmlElement, description: str) -> HtmlElement | None:
    """The block that shows ``description`` on the page, from the :func:`showing_element`
    ``shown``: widened to its ancestors while they stay lead-sized; None for a link, a title, a
    headline or a caption."""
    block = shown
    if block.tag in ("a", "title", "h1") or in_caption(block):
        return None
    limit = len(description) + _LEAD_SLACK_CHARS
    while block.getparent() is not None and block.getparent().tag not in (
        "body",
        "article",
        "main",
    ):
        wider = block.getparent()
        if len(text_of(wider)) > limit:
            break
        block = wider
    return block if len(text_of(block)) <= limit and block.find(".//h1") is None else None
