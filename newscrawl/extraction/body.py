"""Stage 2: the article body. Generic main-text extraction (trafilatura) runs on the tree after
boilerplate pruning; its result is then weighed against the publisher's own JSON-LD
``articleBody``. Paragraphs are separated by a blank line in the returned text."""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from newscrawl.extraction.boilerplate import (
    PHRASING_TAGS,
    is_strong_boilerplate_name,
    remove_comment_sections,
)
from newscrawl.normalization.text import word_count

_LINE_RE = re.compile(r"\s*\n\s*")
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td")


@dataclass(frozen=True, slots=True)
class Body:
    """The chosen body text and where it came from (``trafilatura``, ``jsonld``, ``site``)."""

    text: str
    source: str | None


_PROSE_LINE_WORDS = 8  # a paragraph of prose has at least this many words


_PROSE_CELL_WORDS = 50  # a table cell this long holds a story (old table layouts), not a teaser


def prose_word_count(text: str) -> int:
    """Words in the lines of ``text`` that read as prose: 8 words or more; in a table row
    ("| cell | cell |") only cells of 50 words or more, which hold a story in an old table
    layout. Menus, link lists and rows of teasers count nothing."""
    return sum(_prose_words(line) for line in text.splitlines())


def _prose_words(line: str) -> int:
    if line.lstrip().startswith("|"):
        return sum(w for cell in line.split("|") if (w := word_count(cell)) >= _PROSE_CELL_WORDS)
    words = word_count(line)
    return words if words >= _PROSE_LINE_WORDS else 0


_SHORT_WORDS = 150  # below this, the fast pass may have missed the body: run the fallbacks


_TYPED_BULLETS = ("•", "·", "▪")


def text_quality(text: str) -> int:
    """Words in prose lines minus the other words (:func:`prose_word_count`): a long dump of
    layout-table rows and menu lines scores below a short article. Lines that start with a
    typed bullet ("• Apple iPad") between the first and the last prose line count with the
    prose: they are items of a list the author typed into the story, not a template's menu."""
    return _prose_and_quality(text)[1]


def body_rank(text: str) -> tuple[bool, int]:
    """How good a body ``text`` is, for comparing extractions: texts with prose lines first, by
    :func:`text_quality`; then texts without (lists, tables) by their words."""
    prose, quality = _prose_and_quality(text)
    return (True, quality) if prose else (False, word_count(text))


def _prose_and_quality(text: str) -> tuple[int, int]:
    """(:func:`prose_word_count`, :func:`text_quality`) of ``text``, its lines read once."""
    lines = text.splitlines()
    prose = [_prose_words(line) for line in lines]
    prose_at = [i for i, words in enumerate(prose) if words]
    story = range(prose_at[0] + 1, prose_at[-1]) if prose_at else range(0)
    typed_items = sum(
        word_count(lines[i])
        for i in story
        if not prose[i] and lines[i].lstrip().startswith(_TYPED_BULLETS)
    )
    return sum(prose), 2 * (sum(prose) + typed_items) - word_count(text)


_STORY_CELL_WORDS = 30


def is_layout_dump(text: str) -> bool:
    """Whether ``text`` is trafilatura's reading of a page laid out with tables as one big
    table: most lines are table rows ("| cell | cell |"), and either no prose line stands
    outside the rows or the story-sized cells (30 words or more) hold at least as many words
    as the prose lines outside them. An article's data table (short cells beside the story's
    paragraphs, a scoreboard below them) is not a dump, nor is one long caption cell."""
    lines = [line for line in text.splitlines() if line.strip()]
    rows = [line for line in lines if _is_row(line)]
    if not rows or 2 * len(rows) <= len(lines):
        return False
    cell_words = [word_count(cell) for row in rows for cell in _cells(row)]
    story_words = sum(words for words in cell_words if words >= _STORY_CELL_WORDS)
    prose_words = sum(
        words
        for line in lines
        if not _is_row(line) and (words := word_count(line)) >= _PROSE_LINE_WORDS
    )
    return prose_words == 0 or (story_words > 0 and story_words >= prose_words)


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _cells(row: str) -> list[str]:
    """A table row's cells; trafilatura's escaped ``\\|`` inside a cell does not split it."""
    return [cell.strip() for cell in row.strip().strip("|").split(" | ")]


def generic_body(tree: HtmlElement, url: str) -> str:
    """Main text of an (already pruned) tree by trafilatura; "" when it finds none.

    The fast pass runs first. A page laid out with tables that comes out as one big table
    (:func:`is_layout_dump`) keeps only its story-sized cells (:func:`story_cells`). A text still
    short (under 150 words) is read again with trafilatura's fallback extractors, which recover
    bodies built from ``<div>``s; a text still a dump, once more favouring recall. The better
    text by :func:`body_rank` wins each time. ``tree`` may be modified
    (:func:`disarm_precision_filters`)."""
    disarm_precision_filters(tree)
    text = paragraphs(_trafilatura(deepcopy(tree), url, fast=True))
    if is_layout_dump(text):
        cells = story_cells(text)
        if body_rank(cells) > body_rank(text):
            text = cells
    if word_count(text) < _SHORT_WORDS:
        slow = paragraphs(_trafilatura(deepcopy(tree), url, fast=False))
        text = slow if body_rank(slow) > body_rank(text) else text
    if is_layout_dump(text):
        recall = _recall_body(tree, url)
        text = recall if body_rank(recall) > body_rank(text) else text
    return text


def story_cells(text: str) -> str:
    """The prose of a layout-table dump: its lines that are not table rows, and of its rows only
    the cells of 30 words or more (a story's text, not a menu or teaser), one paragraph each,
    with their pipes unescaped."""
    kept: list[str] = []
    for line in text.split("\n\n"):
        if not _is_row(line):
            kept.append(line)
            continue
        kept.extend(
            cell.replace("\\|", "|")  # prose again: trafilatura escaped its pipes in the cell
            for cell in _cells(line)
            if word_count(cell) >= _STORY_CELL_WORDS
        )
    return "\n\n".join(kept)


# A declaration that draws no border: "border: none", "border-top: 0", or any of a word
# processor's "mso-" properties (which browsers ignore).
_NO_BORDER_RE = re.compile(
    r"(?:^|(?<=;))\s*(?:mso-[\w-]*border[\w-]*\s*:[^;]*"
    r"|border[\w-]*\s*:\s*(?:none|hidden|0(?:px|pt|em)?)\s*)(?:;|$)",
    re.IGNORECASE,
)


def disarm_precision_filters(root: HtmlElement) -> None:
    """Undo, in place, markup that trafilatura's precision mode takes for boilerplate although
    it is harmless: borderless styles (:func:`without_borderless_styles`) and empty elements,
    whose following text precision mode deletes with them
    (:func:`without_empty_elements_before_text`), a story's first paragraph written straight
    into its container before the ``<p>``s (:func:`wrap_loose_leads`) or one written as a
    ``<div>`` between them (:func:`retag_paragraph_divs`), and a heading's empty permalink
    (:func:`without_empty_anchor_links`)."""
    without_borderless_styles(root)
    without_empty_elements_before_text(root)
    wrap_loose_leads(root)
    retag_paragraph_divs(root)
    without_empty_anchor_links(root)


# Class and id values trafilatura removes as a comments block (its REMOVE_COMMENTS_XPATH: a
# div or section whose class or id starts with "comment", not "commentary", or whose class
# names an article's or post's comments).
_COMMENTS_CLASS_NAME = re.compile(r"^comment(?!ary)|(?:article|post)-comments", re.IGNORECASE)
_COMMENTS_ID = re.compile(r"^(?:comment(?!ary)|comol|disqus_thread|dsq-comments)", re.IGNORECASE)


def without_misleading_names(headline: HtmlElement | None, story: HtmlElement | None) -> int:
    """Strip, in place, the names that would make trafilatura remove the article's own blocks,
    and return how many elements changed: the comment-like class names and ids (``class=
    "comments-enabled article-wrap"``, ``id="commentable"``) of every ancestor of ``headline``
    and of ``story`` (:func:`~newscrawl.extraction.boilerplate.story_container`), and the
    class names of ``story`` itself that name a block that is boilerplate whatever it holds
    (``"article-body js-share-scope"`` becomes ``"article-body"``). A comments section or a
    share bar holds neither, but trafilatura removes any block so named, story and all. Other
    names stay, and stay on the story's wrappers: they also steer trafilatura to the main
    text, and stripping them cost more than it saved."""
    blocks = [block for block in (headline, story) if block is not None]
    changed = 0
    seen: set[HtmlElement] = set()
    for block in blocks:
        node = block.getparent()
        while node is not None and node not in seen:
            seen.add(node)
            changed += _without_names(node, _COMMENTS_CLASS_NAME.search, comment_ids=True)
            node = node.getparent()
    if story is not None:
        changed += _without_names(story, is_strong_boilerplate_name, comment_ids=False)
    return changed


def _without_names(
    el: HtmlElement, misleading: Callable[[str], object], *, comment_ids: bool
) -> bool:
    """Drop ``el``'s class names for which ``misleading`` is true, and its id when
    ``comment_ids`` and the id starts like a comments block's; whether anything went."""
    names = (el.get("class") or "").split()
    kept = [name for name in names if not misleading(name)]
    if len(kept) < len(names):
        el.set("class", " ".join(kept))
    comment_id = comment_ids and _COMMENTS_ID.match(el.get("id") or "") is not None
    if comment_id:
        del el.attrib["id"]
    return comment_id or len(kept) < len(names)


# Elements trafilatura deletes when empty; in precision mode the text after them goes too.
# Cheap tests first: the string value of a large element is costly to build.
_EMPTY_BEFORE_TEXT = etree.XPath(
    ".//*[normalize-space(following-sibling::text()[1])]"
    "[self::b or self::strong or self::em or self::i or self::span or self::u or self::q"
    " or self::div or self::p or self::li or self::dd or self::dt or self::section"
    " or self::blockquote or self::pre or self::h1 or self::h2 or self::h3 or self::h4"
    " or self::h5 or self::h6][not(*[not(self::img or self::br)])][not(normalize-space(.))]"
)


def without_empty_elements_before_text(root: HtmlElement) -> int:
    """Unwrap, in place, every empty element (no text; at most images and line breaks inside)
    that is directly followed by text, and return how many: ``<p><strong></strong>A: the
    answer</p>`` keeps its answer when trafilatura deletes empty elements."""
    empty = _EMPTY_BEFORE_TEXT(root)
    for el in empty:
        el.drop_tag()
    return len(empty)


# A heading's permalink icon: a link to a place on the same page that shows nothing.
_EMPTY_ANCHOR_LINKS = etree.XPath(
    ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    "//a[starts-with(normalize-space(@href), '#')][not(normalize-space(.))][not(.//img)]"
)


def without_empty_anchor_links(root: HtmlElement) -> int:
    """Remove, in place, every link in a heading to a place on the same page that shows no
    text or image (``<h2>Results <a href="#results" class="anchor"></a></h2>``), and return
    how many. trafilatura's precision mode takes a short block holding a link without text
    for a link list and deletes it: an FAQ's section, heading and answer."""
    links = _EMPTY_ANCHOR_LINKS(root)
    for link in links:
        link.drop_tree()  # keeps its tail
    return len(links)


_LEAD_WORDS = 8  # loose text before a container's paragraphs this long is its first paragraph


def wrap_loose_leads(root: HtmlElement) -> int:
    """Wrap in a ``<p>``, in place, the text a container holds straight before the first of its
    two or more ``<p>`` children (with the inline elements in it), when that text has eight words
    or more, and return how many: "SAN FRANCISCO - Police said ... <p>A spokesman ...</p><p>..."
    is a story whose first paragraph was never put in a ``<p>``, and trafilatura reads only the
    paragraphs of such a container."""
    wrapped = 0
    for parent in _paragraph_containers(root):
        children = list(parent)
        first_p = next(i for i, child in enumerate(children) if child.tag == "p")
        start = first_p
        while start > 0 and children[start - 1].tag in PHRASING_TAGS:
            start -= 1
        before = children[start - 1] if start > 0 else None
        lead = (before.tail if before is not None else parent.text) or ""
        run = children[start:first_p]
        words = len(lead.split()) + sum(
            len(el.text_content().split()) + len((el.tail or "").split()) for el in run
        )
        if words < _LEAD_WORDS or not _mostly_paragraphs(parent, children):
            continue
        lead_paragraph = parent.makeelement("p")
        lead_paragraph.text = lead
        if before is not None:
            before.tail = None
        else:
            parent.text = None
        for el in run:
            lead_paragraph.append(el)  # with its tail
        parent.insert(start, lead_paragraph)
        wrapped += 1
    return wrapped


_DIV_TAGS = frozenset({"div", "section"})


def retag_paragraph_divs(root: HtmlElement) -> int:
    """Turn into a ``<p>``, in place, each ``<div>`` or ``<section>`` written as one of a
    story's paragraphs and return how many: a block of text and inline elements only (maybe
    inside wrapper blocks that hold nothing else), eight words or more, not mostly link text,
    between two ``<p>`` siblings that hold, with the others, at least half of their container's
    text. trafilatura's precision mode drops such a paragraph; before the first paragraph or
    after the last such a line is more often a credit or a notice."""
    retagged = 0
    for parent in _paragraph_containers(root):
        children = list(parent)
        if not _mostly_paragraphs(parent, children):
            continue
        positions = [i for i, child in enumerate(children) if child.tag == "p"]
        for child in children[positions[0] + 1 : positions[-1]]:
            block = _innermost_wrapped(child)
            if block.tag not in _DIV_TAGS or any(
                el.tag not in PHRASING_TAGS for el in block.iterdescendants()
            ):
                continue
            text = block.text_content()
            linked = sum(len(a.text_content()) for a in block.iter("a"))
            if len(text.split()) >= _LEAD_WORDS and 2 * linked < len(text.strip()):
                block.tag = "p"
                retagged += 1
    return retagged


def _innermost_wrapped(block: HtmlElement) -> HtmlElement:
    """``block``, or the block it wraps when it holds nothing but that one ``<div>`` or
    ``<section>`` (again and again: ``<div><div>text</div></div>``)."""
    while (
        block.tag in _DIV_TAGS
        and len(block) == 1
        and block[0].tag in _DIV_TAGS
        and not (block.text or "").strip()
        and not (block[0].tail or "").strip()
    ):
        block = block[0]
    return block


def _paragraph_containers(root: HtmlElement) -> list[HtmlElement]:
    """Elements with two or more ``<p>`` children, in document order of their first one."""
    paragraphs_of: dict[HtmlElement, int] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            paragraphs_of[parent] = paragraphs_of.get(parent, 0) + 1
    return [parent for parent, count in paragraphs_of.items() if count >= 2]


def _mostly_paragraphs(parent: HtmlElement, children: list[HtmlElement]) -> bool:
    """Whether ``parent``'s ``<p>`` children hold at least half of its text: a story written
    in paragraphs, not a post of ``<div>`` lines with a stray ``<p>`` (wrapping text there
    would change which block trafilatura reads)."""
    in_paragraphs = sum(len(child.text_content()) for child in children if child.tag == "p")
    return 2 * in_paragraphs >= len(parent.text_content())


def without_borderless_styles(root: HtmlElement) -> int:
    """Remove ``border: none``-like declarations from inline styles in place; return how many
    elements changed. trafilatura's precision mode drops any element whose style mentions a
    border (a boxed aside), and text pasted from a word processor declares ``border: none`` on
    every paragraph."""
    changed = 0
    for el in root.xpath(".//*[contains(@style, 'border')]"):
        style = el.get("style") or ""
        cleaned = _NO_BORDER_RE.sub("", style)
        if cleaned != style:
            el.set("style", cleaned)
            changed += 1
    return changed


# Pruning fallback: a pruned body shorter than this is checked against the unpruned page; it is
# replaced when it is nearly empty or under 60% of the unpruned main text.
_FALLBACK_WORDS = 150
_NEAR_EMPTY_WORDS = 20
_FALLBACK_SHARE = 0.6


def unpruned_fallback(
    pruned: str, unpruned: HtmlElement, url: str, headline: HtmlElement | None = None
) -> str:
    """``pruned`` (the generic body of the pruned tree) unless pruning evidently removed the
    article: then trafilatura's reading of ``unpruned``, the same page before pruning, favouring
    recall.

    Texts are measured by :func:`text_quality` (prose words minus other words), so a body of
    menu lines or layout-table cells counts as short. Only a short ``pruned`` body (under 150)
    is checked, so long articles pay nothing. The unpruned text replaces it when it ranks higher
    (:func:`body_rank`) and ``pruned`` measures 20 or less, or under 60% of it. (A precision
    reading of the unpruned page before this one cost a pass and scored lower on
    ``dragnet-dev`` and ``trafeval-dev``, within 0.0001 on the other sets.) The comments
    sections that a comments heading opens are taken out of ``unpruned`` first
    (:func:`remove_comment_sections`, after ``headline``, the title element in ``unpruned``):
    a short post must not come back with the readers' comments that pruning removed.
    ``unpruned`` may be modified."""
    quality = text_quality(pruned)
    if quality >= _FALLBACK_WORDS:
        return pruned
    remove_comment_sections(unpruned, [headline] if headline is not None else [])
    text = _recall_body(unpruned, url)
    rank, pruned_rank = body_rank(text), body_rank(pruned)
    near_empty = not pruned_rank[0] or pruned_rank[1] <= _NEAR_EMPTY_WORDS
    if rank > pruned_rank and (near_empty or pruned_rank[1] < _FALLBACK_SHARE * rank[1]):
        return text
    return pruned


def _recall_body(tree: HtmlElement, url: str) -> str:
    """Main text by trafilatura favouring recall (its fallback extractors, no precision bias)."""
    return paragraphs(_trafilatura(tree, url, fast=False, precision=False))


def _trafilatura(tree: HtmlElement, url: str, *, fast: bool, precision: bool = True) -> str:
    text = trafilatura.extract(
        tree,
        url=url,
        fast=fast,
        favor_precision=precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    return text or ""


# A PHP error or warning the server printed into the page: never the article's text.
_SERVER_ERROR_RE = re.compile(
    r"^(?:php )?(?:warning|notice|deprecated|(?:catchable )?fatal error|parse error|"
    r"strict standards)\s*:.*\.php\b.* on line \d+\W*$",
    re.IGNORECASE,
)


def paragraphs(text: str) -> str:
    """One paragraph per line in ``text`` → paragraphs separated by one blank line, except that
    hard-wrapped prose is joined again (:func:`_rejoined_wrapped_lines`); PHP errors and
    warnings the server printed into the page ("Warning: ... in /srv/x.php on line 9") are
    left out."""
    lines = [line.strip() for line in _LINE_RE.split(text.strip())]
    kept = [line for line in lines if line and not _SERVER_ERROR_RE.match(line)]
    return "\n\n".join(_rejoined_wrapped_lines(kept))


_WRAPPED_LINE_CHARS = 50  # a hard-wrapped line of prose; list items and headings are shorter
_SENTENCE_GOES_ON_RE = re.compile(r"[^\W_],?$")  # ends in a word or a comma
_CONTINUATION_RE = re.compile(r"^[^\W\d_]+[^\w\s]*(?:\s|$)")  # a whole word first
_LIST_ITEM_RE = re.compile(r"[\d\-–•*·]")  # "4 cups flour", "- item": a list, not prose
_CODE_RE = re.compile(r"[{}=<>`]|\(\)|;$|^(?:from|import|print|def|return)\b")


def _rejoined_wrapped_lines(lines: list[str]) -> list[str]:
    """``lines`` with prose that the page hard-wrapped (``<br>`` inside a paragraph) joined
    again: a line of 50 characters or more that ends in a word or a comma, followed by a line
    that opens with a lowercase word, is one sentence. List items (a line opening with a digit
    or a bullet) and code or markup lines stay apart."""
    out: list[str] = []
    last = ""  # the last line as the page wrote it (``out[-1]`` may hold several)
    for line in lines:
        if (
            line[0].islower()  # cheap tests first: most lines open with a capital
            and len(last) >= _WRAPPED_LINE_CHARS
            and _SENTENCE_GOES_ON_RE.search(last)
            and not _LIST_ITEM_RE.match(last)
            and _CONTINUATION_RE.match(line)
            and not _CODE_RE.search(last)
            and not _CODE_RE.search(line)
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        last = line
    return out


def selector_body(root: HtmlElement, xpath: str) -> str:
    """Text of the blocks (paragraphs, sub-headlines, list items, quotes) inside the elements
    an override selector matches, in document order."""
    blocks: list[str] = []
    for container in root.xpath(xpath):
        if not isinstance(container, HtmlElement):
            continue
        found = False
        for el in container.iter(*_BLOCK_TAGS):
            if el.getparent() is not None and any(a.tag in _BLOCK_TAGS for a in el.iterancestors()):
                continue  # nested block: its text is part of the outer one
            text = " ".join(el.text_content().split())
            if text:
                blocks.append(text)
                found = True
        if not found:  # a body made of <div>s: one paragraph per child block
            children = [
                " ".join(child.text_content().split())
                for child in container
                if isinstance(child.tag, str)
            ]
            texts = [t for t in children if t] or [" ".join(container.text_content().split())]
            blocks.extend(t for t in texts if t)
    return "\n\n".join(blocks)


def choose_body(generic: str, article_body: str | None) -> Body:
    """Prefer the generic extraction; fall back to JSON-LD ``articleBody`` when the generic text
    is missing or clearly truncated (the publisher's text is at least twice as long)."""
    structured = paragraphs(article_body or "")
    g_words, s_words = word_count(generic), word_count(structured)
    if g_words == 0 and s_words == 0:
        return Body("", None)
    if s_words > 2 * g_words and s_words >= 50:
        return Body(structured, "jsonld")
    if g_words == 0:
        return Body(structured, "jsonld")
    return Body(generic, "trafilatura")
