"""Is a response an HTML document, and in which Unicode encoding? Judged on its first bytes,
whatever the server declared."""

from __future__ import annotations

import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_UTF16_LABELS = {"utf-16le": "utf-16-le", "utf-16-le": "utf-16-le", "utf-16be": "utf-16-be",
                 "utf-16-be": "utf-16-be"}  # fmt: skip
_SNIFF_BYTES = 4096
# C0 control bytes that text never holds (tab, LF, FF, CR and ESC aside). More than this share
# of them in the sniffed bytes means binary; a stray NUL or two in a page does not.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_MAX_CONTROL_SHARE = 0.01
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

    Binary magic numbers (PNG, GIF, JPEG, PDF, ZIP, gzip, RIFF) are never HTML, nor are bytes
    with more than 1% of control characters or NULs without any HTML in them (binary sent as
    HTML); a stray NUL byte in a page is no reason to drop it. UTF-16 text (with a byte-order
    mark, declared, or recognised by its NUL pattern) is judged on its characters. A declared
    HTML type is then HTML. An undeclared or generic type (``text/plain``,
    ``application/octet-stream``) is HTML when, after a byte-order mark, whitespace, comments,
    a doctype and ``<style>`` or ``<script>`` blocks (possibly filling all 4 KB), the first
    tag is an HTML element, or when HTML tags appear in those bytes. Any other declared type
    (images, feeds, JSON) is not HTML."""
    head = body[:_SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        return False  # binary, whatever the server declared
    head = _sniffable(head, content_type)
    ctype = (content_type or "").split(";")[0].strip().lower()
    generic = ctype.startswith("text/plain") or ctype == "application/octet-stream"
    if ctype and ctype not in _HTML_TYPES and not generic:
        return False
    if len(_CONTROL_BYTES.findall(head)) > _MAX_CONTROL_SHARE * len(head):
        return False
    text = head.replace(b"\x00", b"")
    html_inside = _starts_like_html(text) or _HTML_SNIFF_RE.search(text) is not None
    if b"\x00" in head and not html_inside:
        return False
    return ctype in _HTML_TYPES or html_inside


def utf16_encoding(head: bytes, content_type: str | None = None) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` is UTF-16 text: by its byte-order mark, a
    declared ``charset=utf-16le``/``utf-16be``, or (without either) by ASCII markup whose every
    other byte is NUL; None otherwise."""
    for bom, encoding in _UTF16_BOMS.items():
        if head.startswith(bom):
            return encoding
    declared = http_content_type_encoding(content_type) if content_type else None
    if declared in _UTF16_LABELS:
        return _UTF16_LABELS[declared]
    sample = head[:512]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def repaired_utf8(raw: bytes, content_type: str | None) -> str | None:
    """``raw`` decoded as UTF-8 with U+FFFD for its invalid bytes, when the page declares UTF-8
    (HTTP header or ``<meta>``) and is almost all valid: at most one invalid sequence, or one per
    ten correctly decoded non-ASCII characters. None for valid UTF-8 (nothing to repair), for an
    undeclared or other charset, and for bytes that are not UTF-8 at all (a mislabelled
    single-byte page: every non-ASCII byte of it is invalid UTF-8)."""
    if raw.isascii():
        return None
    declared = {
        http_content_type_encoding(content_type) if content_type else None,
        html_body_declared_encoding(raw),
    }
    if "utf-8" not in declared:
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    text = raw.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - raw.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return text if errors * 10 <= max(valid, 10) else None


def _sniffable(head: bytes, content_type: str | None = None) -> bytes:
    """``head`` without a byte-order mark; UTF-16 text re-encoded so its tags can be matched."""
    encoding = utf16_encoding(head, content_type)
    if encoding is not None:
        if head[:2] in _UTF16_BOMS:
            head = head[2:]
        return head.decode(encoding, errors="ignore").encode("utf-8")
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
