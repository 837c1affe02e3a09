"""Is a response an HTML document? Judged on its first 4 KB, whatever the server declared."""

from __future__ import annotations

import re

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_SNIFF_BYTES = 4096
_HTML_SNIFF_RE = re.compile(
    rb"<(?:!doctype html|html|head|body|meta|title|div|p|article)[\s>/]", re.IGNORECASE
)
# What an HTML document may open with before its first element: whitespace, comments, a
# doctype (even a mangled one), and whole <style>/<script> blocks. A block still open at the
# end of the sniffed bytes also counts: nothing but HTML starts that way.
_PROLOGUE_RE = re.compile(
    rb"\s+|<!--.*?(?:-->|\Z)|<!doctype[^>]*(?:>|\Z)"
    rb"|<(style|script)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_FIRST_TAG_RE = re.compile(rb"<([a-z][a-z0-9]*)[\s>/]", re.IGNORECASE)
# Elements an HTML document (or a fragment served as one) starts with; feeds and sitemaps start
# with their own root (<rss>, <feed>, <urlset>) or an XML declaration.
_HTML_FIRST_TAGS = frozenset(
    {b"html", b"head", b"body", b"meta", b"title", b"link", b"base", b"div", b"p", b"table",
     b"center", b"font", b"span", b"a", b"img", b"br", b"h1", b"h2", b"h3", b"header", b"main",
     b"article", b"section", b"nav", b"form", b"iframe", b"noscript", b"frameset"}
)  # fmt: skip


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True for an HTML document, judged on its first 4 KB.

    Binary magic numbers (PNG, GIF, JPEG, PDF, ZIP, gzip, RIFF) are never HTML. A declared HTML
    type is HTML, even with a stray NUL byte, unless NULs come without any HTML tag (binary
    sent as HTML). An undeclared or generic type (``text/plain``, ``application/octet-stream``)
    is HTML when, after a byte-order mark, whitespace, comments, a doctype and ``<style>`` or
    ``<script>`` blocks (possibly filling all 4 KB), the first tag is an HTML element, or when
    HTML tags appear in those bytes; a NUL byte there means binary. Any other declared type
    (images, feeds, JSON) is not HTML."""
    head = body[:_SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        return False  # binary, whatever the server declared
    head = _sniffable(head)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _HTML_TYPES:
        return b"\x00" not in head or _HTML_SNIFF_RE.search(head) is not None
    if ctype and not (ctype.startswith("text/plain") or ctype == "application/octet-stream"):
        return False
    if b"\x00" in head:
        return False
    return _starts_like_html(head) or _HTML_SNIFF_RE.search(head) is not None


def _sniffable(head: bytes) -> bytes:
    """``head`` without a byte-order mark; UTF-16 text re-encoded so its tags can be matched."""
    for bom, encoding in _UTF16_BOMS.items():
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="ignore").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


def _starts_like_html(head: bytes) -> bool:
    """True when ``head`` is an HTML prologue to its end, or its first element is an HTML one."""
    pos = 0
    while pos < len(head):
        match = _PROLOGUE_RE.match(head, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    if pos >= len(head):
        return pos > 0 and head.lstrip() != b""
    first = _FIRST_TAG_RE.match(head, pos)
    return first is not None and first.group(1).lower() in _HTML_FIRST_TAGS
