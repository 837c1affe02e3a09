"""A page parsed once: the lxml tree, its ``<meta>`` values and its JSON-LD objects.

Every extraction stage reads from one :class:`Page`; nothing re-parses the HTML.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

JsonObject = dict[str, Any]

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_COMMENT_RE = re.compile(r"^\s*<!--|-->\s*$")
_CDATA_RE = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_TRAILING_COMMA_RE = re.compile(r",(\s*[}\]])")
_MAX_JSONLD_CHARS = 2_000_000
_MAX_JSONLD_OBJECTS = 500


class PageError(ValueError):
    """The document cannot be parsed as HTML (empty, or not markup at all)."""


@dataclass(slots=True)
class Page:
    """A parsed HTML page. ``meta`` maps lower-cased name/property/itemprop to contents in order."""

    url: str
    tree: lxml.html.HtmlElement
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[JsonObject] = field(default_factory=list)
    jsonld_errors: int = 0

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
    """Decode an HTML document: bytes that are valid UTF-8 and not plain ASCII are UTF-8
    whatever the page declares (servers often mislabel UTF-8 as Latin-1, while Latin-1 text is
    practically never valid multi-byte UTF-8); otherwise as browsers and Scrapy do: HTTP
    charset, BOM, ``<meta>`` charset, detection. Invalid bytes are replaced, never fatal."""
    if not raw.isascii():
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
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


def parse_page(html: str, url: str, tree: lxml.html.HtmlElement | None = None) -> Page:
    """Parse ``html`` into a :class:`Page` (or wrap ``tree``, already parsed from ``html``).
    Raises :class:`PageError` when there is no markup."""
    if not html or not html.strip():
        raise PageError("empty document")
    if tree is None:
        text = _XML_DECLARATION_RE.sub("", html, count=1)
        try:
            tree = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise PageError(f"not parseable as HTML: {exc}") from exc
    if tree is None or len(tree) == 0:
        raise PageError("document has no elements")
    objects, errors = _read_jsonld(tree)
    return Page(url=url, tree=tree, meta=_read_meta(tree), jsonld=objects, jsonld_errors=errors)


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
    text = text.strip()
    if not text or len(text) > _MAX_JSONLD_CHARS:
        return None
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(_repair_json(text), strict=False)
    except (ValueError, RecursionError):
        return None


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
