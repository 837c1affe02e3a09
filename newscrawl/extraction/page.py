"""A page parsed once: the lxml tree, its ``<meta>`` values and its JSON-LD objects.

Every extraction stage reads from one :class:`Page`; nothing re-parses the HTML. Parsing keeps a
hostile page from stalling the crawl: :class:`PageLimits` caps the characters handed to lxml, the
element count, inline runs and attribute sizes, and documents nested deeper than libxml2 allows
are flattened instead of cut off; what a page lost to the limits is in :attr:`Page.limited`.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
import sys
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import lxml.html
from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

from newscrawl.sniff import repaired_utf8

logger = logging.getLogger(__name__)

JsonObject = dict[str, Any]

# An XML declaration, also one broken off before its "?>" (lxml refuses text that declares an
# encoding, so a page behind a broken one would be lost).
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_HTML_COMMENT_RE = re.compile(r"^\s*<!--|-->\s*$")
_CDATA_RE = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_TRAILING_COMMA_RE = re.compile(r",(\s*[}\]])")
_MAX_JSONLD_CHARS = 2_000_000
_MAX_JSONLD_OBJECTS = 500
_MAX_JSONLD_DEPTH = 32  # nesting of lists and objects; deeper blocks are junk (or an attack)
# Charsets servers declare by default (Apache's AddDefaultCharset ISO-8859-1), as w3lib names them
# after the WHATWG label mapping: a page's own <meta> charset overrides them.
_WESTERN_DEFAULT_CHARSETS = frozenset({"cp1252"})
# libxml2 stops parsing at 256 open elements and drops the rest of the document; documents that
# reach it are parsed again with elements beyond these depths unwrapped (their text is kept).
NESTING_LIMITS = (200, 100, 32)
VOID_ELEMENTS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "command", "basefont", "frame", "isindex",
    }
)  # fmt: skip
# Characters lxml refuses when a stage moves or sets text (``drop_tree``, ``drop_tag``): C0
# controls other than tab, LF and CR, and the non-characters U+FFFE/U+FFFF. The ones Python
# counts as whitespace become a space before parsing, the others are removed.
_XML_INCOMPATIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_INCOMPATIBLE_CHARS = tuple(
    chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)
)
_WHITESPACE_CONTROLS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f")
# No part of a token scans past a "<" it does not consume and tag names match possessively, so
# tokenizing stays linear on any input ("<a<a<a..." once took minutes for a few kilobytes).
_MARKUP_TOKEN_RE = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<(script|style|textarea|title)\b[^<>]*+>.*?(?:</\1\s*>|\Z)"  # raw text elements, whole
    r"|<(/?)([A-Za-z][^\s/<>]*+)[^<>]*?(/?)>"  # start or end tag
    r"|<[!?][^<>]*+>",  # doctype, processing instruction
    re.DOTALL | re.IGNORECASE,
)


class PageError(ValueError):
    """The document cannot be parsed as HTML (empty, or not markup at all)."""


@dataclass(frozen=True, slots=True)
class PageLimits:
    """Caps on one page, so that no page can make extraction slow: lxml, trafilatura and the
    extraction stages have superlinear paths (huge ``class``/``id`` values, thousands of inline
    elements in one paragraph, tens of thousands of elements). Real news pages stay far below:
    over the 123 pages of the development corpus at most 1.6 M characters, 2,524 elements
    (scripts and styles removed), 585-character ``class`` values, 116 K characters of ``class``
    and ``id`` in all, 60 inline elements in one text run, attribute values of 234 K characters.

    * ``max_html_chars``: a longer document is cut to this many characters before parsing.
    * ``max_elements``: a tree keeps its first this many nodes (elements, comments; root
      included) in document order; the rest is removed, with the text after them.
    * ``max_inline_run``: an element whose inline children (``a``, ``b``, ``span``, ... counted
      with their inline descendants) number more than this has them unwrapped (text kept).
    * ``max_class_chars``: a longer ``class`` value is cut at a class boundary, a longer ``id``
      removed; ``max_class_total``: past this many ``class`` and ``id`` characters on the page,
      later elements lose both.
    * ``max_attribute_chars``: any other attribute value longer than this is removed.
    """

    max_html_chars: int = 8_000_000
    max_elements: int = 20_000
    max_inline_run: int = 250
    max_class_chars: int = 1_000
    max_class_total: int = 500_000
    max_attribute_chars: int = 262_144


PAGE_LIMITS = PageLimits()
# Names in Page.limited: one for each limit that changed the page.
LIMIT_HTML_CHARS = "html_chars"
LIMIT_NESTING = "nesting"
LIMIT_ELEMENTS = "elements"
LIMIT_INLINE_RUN = "inline_run"
LIMIT_ATTRIBUTES = "attributes"
_UNWRAP_TAG = "newscrawl-unwrap"  # marks the inline children one strip_tags pass removes
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
        "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "sup", "time", "tt", "u", "var",
    }
)  # fmt: skip


@dataclass(slots=True)
class Page:
    """A parsed HTML page. ``meta`` maps lower-cased name/property/itemprop to contents in order."""

    url: str
    tree: lxml.html.HtmlElement
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[JsonObject] = field(default_factory=list)
    jsonld_errors: int = 0
    limited: tuple[str, ...] = ()  # the PageLimits that changed this page (LIMIT_* names)

    def meta_first(self, *keys: str) -> str | None:
        """The first non-empty content among ``keys``, tried in order."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None

    def meta_all(self, *keys: str) -> list[str]:
        """Every non-empty content of every key in ``keys``, in key order."""
        return [v.strip() for key in keys for v in self.meta.get(key, ()) if v.strip()]


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """Decode an HTML document. Invalid bytes are replaced, never fatal.

    Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the page declares
    (servers often mislabel UTF-8 as Latin-1, while Latin-1 text is practically never valid
    multi-byte UTF-8). Otherwise a byte-order mark decides; then the declared charsets, HTTP
    before ``<meta>``, each only if the bytes decode in it without error (so a wrong UTF-8,
    Shift-JIS or GBK label is passed over; a declared UTF-8 that is almost all valid stays UTF-8
    with U+FFFD for its stray bytes, :func:`newscrawl.sniff.repaired_utf8`), except that the
    ``<meta>`` one comes first when the
    HTTP one is a server default (ISO-8859-1/Windows-1252, which decodes nearly any bytes);
    then detection; then Windows-1252. ASCII documents decode as browsers and Scrapy do."""
    if raw.isascii():
        return _html_to_unicode(raw, content_type)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bom_encoding, _bom = read_bom(raw)
    if bom_encoding is not None:
        return _html_to_unicode(raw, content_type)
    if (repaired := repaired_utf8(raw, content_type)) is not None:
        return repaired  # declared UTF-8 with a stray invalid byte: not another charset
    for encoding in declared_charsets(raw, content_type):
        # A few bytes Windows-1252 leaves undefined do not make a Western label wrong.
        errors = "replace" if encoding in _WESTERN_DEFAULT_CHARSETS else "strict"
        try:
            return raw.decode(encoding, errors=errors)
        except (UnicodeDecodeError, LookupError):
            continue
    detected = _detect_encoding(raw)
    try:
        return raw.decode(detected or "cp1252", errors="replace")
    except LookupError:
        return raw.decode("cp1252", errors="replace")


def declared_charsets(raw: bytes, content_type: str | None) -> list[str]:
    """The charsets a non-UTF-8 document declares, in the order to try them (UTF-8 left out:
    the caller found the bytes are not UTF-8)."""
    http = http_content_type_encoding(content_type) if content_type else None
    meta = html_body_declared_encoding(raw)
    ordered = [meta, http] if http in _WESTERN_DEFAULT_CHARSETS and meta else [http, meta]
    return [name for name in dict.fromkeys(ordered) if name and name != "utf-8"]


def _html_to_unicode(raw: bytes, content_type: str | None) -> str:
    _encoding, text = html_to_unicode(
        content_type, raw, default_encoding="cp1252", auto_detect_fun=_detect_encoding
    )
    return text


def _detect_encoding(raw: bytes) -> str | None:
    """Guess the charset of an undeclared, non-UTF-8 document (charset-normalizer, a Scrapy
    dependency); None lets the Western default (cp1252) apply."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    return best.encoding if best is not None else None


def parse_html(text: str, limits: PageLimits = PAGE_LIMITS) -> lxml.html.HtmlElement:
    """Parse decoded HTML into a tree, as ``lxml.html.document_fromstring`` does (and raising
    what it raises), except that a document nested deeper than libxml2 allows is not cut off
    where it gets too deep: elements beyond :data:`NESTING_LIMITS` are unwrapped instead; and
    the document and its tree are held to ``limits`` (see :class:`PageLimits`)."""
    return parse_limited(text, limits)[0]


def parse_limited(
    text: str, limits: PageLimits = PAGE_LIMITS
) -> tuple[lxml.html.HtmlElement, tuple[str, ...]]:
    """:func:`parse_html`, also returning the names of the limits that changed the page."""
    limited: list[str] = []
    if len(text) > limits.max_html_chars:
        text = text[: limits.max_html_chars]
        limited.append(LIMIT_HTML_CHARS)
    text = close_runaway_title(xml_compatible(text))
    parser = html_parser()
    tree = lxml.html.document_fromstring(text, parser=parser)
    if len(tree) == 0 and _SELF_CLOSED_ROOT_RE.search(text):
        text = _SELF_CLOSED_ROOT_RE.sub(r"\1>", text, count=1)
        parser = html_parser()
        tree = lxml.html.document_fromstring(text, parser=parser)
    for limit in NESTING_LIMITS:
        if not _hit_depth_limit(parser):
            break
        if LIMIT_NESTING not in limited:
            limited.append(LIMIT_NESTING)
        parser = html_parser()
        tree = lxml.html.document_fromstring(limit_nesting(text, limit), parser=parser)
    limited.extend(limit_tree(tree, limits, source_chars=len(text), source_tags=text.count("<")))
    return tree, tuple(limited)


# libxml2 ends the document at ``<html .../>``; a browser reads it as ``<html ...>``.
_SELF_CLOSED_ROOT_RE = re.compile(r"(<html\b[^>]*?)\s*/>", re.IGNORECASE)
_TITLE_START_RE = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_END_RE = re.compile(r"</title\s*>", re.IGNORECASE)
_FIRST_TITLE_LINE_RE = re.compile(r"\s*[^\r\n<]*")


def close_runaway_title(html: str) -> str:
    """``html`` with a ``<title>`` that no ``</title>`` closes ended after its first line.

    A parser reads a title as text up to ``</title>``, so an unclosed one (or one closed by a
    misspelt tag, ``</titlevalue="1">``) swallows the rest of the page and leaves no body."""
    start = _TITLE_START_RE.search(html)
    if start is None or _TITLE_END_RE.search(html, start.end()) is not None:
        return html
    line = _FIRST_TITLE_LINE_RE.match(html, start.end())
    end = line.end() if line is not None else start.end()
    return f"{html[:end]}</title>{html[end:]}"


# lxml.html picks each element's class in Python (special classes for form controls), once per
# element proxy: about 7% of extraction time. Every element of a page is an HtmlElement here,
# chosen in C; nothing in newscrawl or the libraries it hands trees to uses the form classes.
_CLASS_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def html_parser() -> etree.HTMLParser:
    """A fresh HTML parser (one per document: its error log tells whether the nesting limit
    was hit) whose elements are all :class:`lxml.html.HtmlElement`."""
    parser = etree.HTMLParser()
    parser.set_element_class_lookup(_CLASS_LOOKUP)
    return parser


_TAG_RE = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>")
_MARKUP_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br")
_MARKUP_NOISE = ("head", "script", "style", "template", "noscript")


def markup_text(value: str) -> str:
    """The text of a metadata value written as HTML (a description or ``articleBody`` holding
    ``<p>`` tags): tags removed, one line per block element, so paragraphs stay apart. A value
    without tags is returned unchanged; "a < b" is not a tag."""
    if not _TAG_RE.search(value):
        return value
    root = etree.fromstring(xml_compatible(value), html_parser())
    if root is None:
        return _TAG_RE.sub(" ", value)
    etree.strip_elements(root, *_MARKUP_NOISE, with_tail=False)
    for el in root.iter(*_MARKUP_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().splitlines()).strip()


# Markdown a CMS writes its text in and leaves in a JSON-LD ``articleBody``: links, emphasis,
# attribute lists ("{: .small}") and block markers on lines of their own ("+++dropcap", "+++").
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\((?:https?://|/)[^()\s]*\)")
_MD_ATTRIBUTES_RE = re.compile(r"\{:[^{}\n]*\}")
_MD_BLOCK_MARKER_RE = re.compile(r"^\+{3}[\w-]*[ \t]*$\n?", re.MULTILINE)
_MD_EMPHASIS_RE = re.compile(r"(\*{1,2})(?=\S)([^*\n]+?)(?<=\S)\1")


def without_markdown(value: str) -> str:
    """``value`` with the Markdown of a text written in it removed (link targets, emphasis
    marks, attribute lists, block markers), when it shows any: a Markdown link or attribute
    list, or a block marker line. Other text is returned unchanged: an asterisk alone is text."""
    if not (
        _MD_LINK_RE.search(value)
        or _MD_ATTRIBUTES_RE.search(value)
        or _MD_BLOCK_MARKER_RE.search(value)
    ):
        return value
    text = _MD_BLOCK_MARKER_RE.sub("", value)
    text = _MD_ATTRIBUTES_RE.sub("", _MD_LINK_RE.sub(r"\1", text))
    return _MD_EMPHASIS_RE.sub(r"\2", text)


def xml_compatible(text: str) -> str:
    """``text`` without the control characters lxml cannot hold in a text node (whitespace
    controls become spaces), so that no later stage fails moving text around."""
    if not any(char in text for char in _XML_INCOMPATIBLE_CHARS):  # 3x faster than a regex search
        return text
    return _XML_INCOMPATIBLE_RE.sub(
        lambda match: " " if match.group(0) in _WHITESPACE_CONTROLS else "", text
    )


def limit_tree(
    tree: lxml.html.HtmlElement,
    limits: PageLimits = PAGE_LIMITS,
    *,
    source_chars: int | None = None,
    source_tags: int | None = None,
) -> tuple[str, ...]:
    """Hold a parsed tree to ``limits`` in place: element count, inline runs, attribute sizes.
    Returns the names of the limits that changed it; a second call changes nothing.

    ``source_chars`` and ``source_tags``, the length of the HTML the tree was parsed from and its
    number of ``<``, skip the checks that document cannot fail (no more elements than ``<``, no
    value longer than the page)."""
    root = tree.getroottree().getroot()
    limited: list[str] = []
    bound = source_chars if source_chars is not None else sys.maxsize
    # Counts and lengths are read by libxml2 (XPath); Python visits only what is over a limit.
    may_overflow = (source_tags if source_tags is not None else bound // 3) > limits.max_elements
    if (
        may_overflow
        and root.xpath(_COUNT_NODES) > limits.max_elements
        and _cut_after(root, limits.max_elements)
    ):
        limited.append(LIMIT_ELEMENTS)
    wide = _wide_inline_runs(root, limits.max_inline_run)
    for element in wide:
        _unwrap_inline_children(element)
    if wide:
        limited.append(LIMIT_INLINE_RUN)
    oversized = root.xpath(_LONG_NAMES, cap=limits.max_class_chars) or (
        bound > limits.max_attribute_chars
        and root.xpath(_LONG_ATTRIBUTE, cap=limits.max_attribute_chars)
    )
    too_many_names = bound >= limits.max_class_total and (
        sum(map(len, root.xpath("//@class|//@id"))) >= limits.max_class_total
    )
    if oversized or too_many_names:
        class_chars = 0
        changed = False
        for element in root.iter():
            if isinstance(element.tag, str) and element.attrib:
                element_changed, class_chars = _limit_attributes(element, class_chars, limits)
                changed |= element_changed
        if changed:
            limited.append(LIMIT_ATTRIBUTES)
    return tuple(limited)


def _wide_inline_runs(root: lxml.html.HtmlElement, limit: int) -> list[lxml.html.HtmlElement]:
    """Elements with more than ``limit`` inline elements in their run of inline content: each
    inline element counts toward its nearest non-inline ancestor. Deepest first."""
    counts: dict[lxml.html.HtmlElement, int] = {}
    for element in root.iter(*INLINE_TAGS):
        block = element.getparent()
        while block is not None and block.tag in INLINE_TAGS:
            block = block.getparent()
        if block is not None:
            counts[block] = counts.get(block, 0) + 1
    wide = [block for block, count in counts.items() if count > limit]
    return sorted(wide, key=lambda el: -sum(1 for _ in el.iterancestors()))


_COUNT_NODES = "count(//node()[not(self::text())])"
_LONG_NAMES = "boolean(//@class[string-length(.) > $cap] | //@id[string-length(.) > $cap])"
_LONG_ATTRIBUTE = "boolean(//@*[string-length(.) > $cap])"


def _cut_after(root: lxml.html.HtmlElement, limit: int) -> bool:
    """Keep the first ``limit`` nodes from ``root`` on (itself included) in document order:
    remove every node after them, tails included; True when something was removed."""
    node = next(islice(root.iter(), limit, None), None)
    parent = node.getparent() if node is not None else None
    if parent is None:
        return False
    del parent[parent.index(node) :]
    while (grandparent := parent.getparent()) is not None:
        del grandparent[grandparent.index(parent) + 1 :]
        parent = grandparent
    return True


def _limit_attributes(
    element: lxml.html.HtmlElement, class_chars: int, limits: PageLimits
) -> tuple[bool, int]:
    """Apply the attribute limits to one element; return whether it changed and the ``class``
    and ``id`` characters counted so far."""
    changed = False
    attrib = element.attrib
    for name, value in list(attrib.items()):
        if name in ("class", "id"):
            if class_chars >= limits.max_class_total:
                del attrib[name]
                changed = True
                continue
            if len(value) > limits.max_class_chars:
                kept = value[: limits.max_class_chars + 1].rsplit(None, 1)[0]
                value = kept if name == "class" and len(kept) <= limits.max_class_chars else ""
                if value.strip():
                    attrib[name] = value
                else:
                    del attrib[name]
                changed = True
            class_chars += len(value)
        elif len(value) > limits.max_attribute_chars:
            del attrib[name]
            changed = True
    return changed, class_chars


def _unwrap_inline_children(element: lxml.html.HtmlElement) -> None:
    """Replace each inline child of ``element`` (and its inline descendants) by its text, in
    one pass over ``element`` (``drop_tag`` per child would be quadratic). The text each
    unwrapped run leaves is merged into one node: libxml2 keeps the pieces apart, and every
    later read or write of that text would walk all of them."""
    for child in element:
        if child.tag in INLINE_TAGS:
            etree.strip_tags(child, *INLINE_TAGS)
            child.tag = _UNWRAP_TAG
    etree.strip_tags(element, _UNWRAP_TAG)
    element.text = element.text
    for child in element:
        child.tail = child.tail


def _hit_depth_limit(parser: lxml.html.HTMLParser) -> bool:
    return any(
        error.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in error.message
        for error in parser.error_log
    )


# Not replaceable by lxml's HTMLParser(huge_tree=True) (lxml 6.1.3, libxml2 2.14.6): it only moves
# libxml2's cap from 256 to 2048 open elements. 3,000 to 100,000 nested <div>s still lose every
# element after the deep block, and the parse takes ~0.7 s instead of ~0.01 s, against 0.01-0.16 s
# for limit_nesting, which keeps the whole page.
def limit_nesting(html: str, max_depth: int) -> str:
    """``html`` with every start tag that would open an element deeper than ``max_depth``
    removed, together with its end tag; text, comments, scripts and void elements are kept.

    Depth is tracked from the tags as written (an end tag closes up to its open element), so
    implied end tags (``<p>``, ``<li>``) count as open: the result may be flatter than needed,
    never deeper."""
    out: list[str] = []
    open_tags: list[str] = []
    dropped: dict[str, int] = {}
    position = 0
    for match in _MARKUP_TOKEN_RE.finditer(html):
        out.append(html[position : match.start()])
        position = match.end()
        token = match.group(0)
        name = (match.group(3) or "").lower()
        if not name:  # comment, doctype, script/style/textarea/title: kept whole (leaves)
            out.append(token)
            continue
        if match.group(2):  # end tag
            if dropped.get(name):
                dropped[name] -= 1
                continue
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
            out.append(token)
            continue
        if name in VOID_ELEMENTS or match.group(4):
            out.append(token)
        elif len(open_tags) < max_depth:
            open_tags.append(name)
            out.append(token)
        else:
            dropped[name] = dropped.get(name, 0) + 1
    out.append(html[position:])
    return "".join(out)


def parse_page(html: str, url: str, limits: PageLimits = PAGE_LIMITS) -> Page:
    """Parse ``html`` into a :class:`Page` within ``limits``. Raises :class:`PageError` when
    there is no markup."""
    if not html or not html.strip():
        raise PageError("empty document")
    text = _XML_DECLARATION_RE.sub("", html, count=1)
    try:
        tree, limited = parse_limited(text, limits)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"not parseable as HTML: {exc}") from exc
    if len(tree) == 0:
        raise PageError("document has no elements")
    without_ruby_readings(tree)
    with_spaced_line_breaks(tree)
    if limited:
        logger.info("Page %s held to the page limits: %s", url, ", ".join(limited))
    objects, errors = _read_jsonld(tree)
    return Page(
        url=url,
        tree=tree,
        meta=_read_meta(tree),
        jsonld=objects,
        jsonld_errors=errors,
        limited=limited,
    )


def with_spaced_line_breaks(tree: lxml.html.HtmlElement) -> None:
    """Start, in place, the text after each ``<br>`` with a line break when it opens with none,
    so that an element's text keeps the words apart: ``<h1>Storm floods<br>the harbour</h1>``
    reads "Storm floods the harbour", not "Storm floodsthe harbour"."""
    for br in tree.iter("br"):
        tail = br.tail or ""
        if not tail[:1].isspace():
            br.tail = "\n" + tail


def without_ruby_readings(tree: lxml.html.HtmlElement) -> None:
    """Drop, in place, ruby annotations (the reading printed over CJK characters, and the
    parentheses for browsers without ruby), keeping the annotated text inline in its sentence:
    ``韓国の<ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>大統領``
    reads "韓国の尹錫悦大統領"."""
    etree.strip_elements(tree, "rt", "rp", with_tail=False)
    etree.strip_tags(tree, "ruby", "rb", "rtc")


def _read_meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                meta.setdefault(key.strip().lower(), []).append(html_lib.unescape(content))
    return meta


def _read_jsonld(tree: lxml.html.HtmlElement) -> tuple[list[JsonObject], int]:
    """All JSON objects of the page's JSON-LD blocks, ``@graph`` and lists flattened."""
    objects: list[JsonObject] = []
    errors = 0
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _load_json(script.text or "")
        if data is None:
            errors += 1
            continue
        _flatten(data, objects)
        if len(objects) >= _MAX_JSONLD_OBJECTS:
            break
    return objects[:_MAX_JSONLD_OBJECTS], errors


def _load_json(text: str) -> Any:
    """The JSON value of a JSON-LD block (repaired if need be); None when it is empty, over
    ``_MAX_JSONLD_CHARS``, not JSON, or nested deeper than ``_MAX_JSONLD_DEPTH``."""
    text = text.strip()
    if not text or len(text) > _MAX_JSONLD_CHARS:
        return None
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        try:
            data = json.loads(_repair_json(text), strict=False)
        except (ValueError, RecursionError):
            return None
    return None if _nested_deeper_than(data, _MAX_JSONLD_DEPTH) else data


def _nested_deeper_than(data: Any, limit: int) -> bool:
    """True when more than ``limit`` lists and objects nest in ``data`` (breadth-first, so a
    deep value cannot exhaust the stack)."""
    level = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, dict | list)
        ]
    return False


def _repair_json(text: str) -> str:
    """Undo common publisher mistakes: HTML comment or CDATA wrappers, trailing commas."""
    text = _HTML_COMMENT_RE.sub("", text)
    text = _CDATA_RE.sub("", text)
    return _TRAILING_COMMA_RE.sub(r"\1", text).strip().rstrip(";")


def _flatten(data: Any, out: list[JsonObject], depth: int = 0) -> None:
    if depth > 8 or len(out) >= _MAX_JSONLD_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if graph is not None:
            _flatten(graph, out, depth + 1)
            rest = {k: v for k, v in data.items() if k not in ("@graph", "@context")}
            if "@type" in rest:
                out.append(rest)
        else:
            out.append(data)
