"""What a fetched document is, for a response that arrived without a callback (``scrapy parse``).

:func:`document_kind` looks at the URL and the first bytes only: ``robots`` (``/robots.txt``),
``sitemap`` (``<urlset>``/``<sitemapindex>``, gzip-compressed too), ``feed`` (RSS, Atom, RDF or a
JSON Feed) or ``page`` (anything else, HTML or not: the page function decides).
"""

from __future__ import annotations

import re
import zlib
from typing import Literal
from urllib.parse import urlsplit

DocumentKind = Literal["robots", "sitemap", "feed", "page"]

HEAD_BYTES = 4096
_SITEMAP_RE = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]")
_FEED_RE = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
_JSON_FEED = b"jsonfeed.org/version"


def document_kind(url: str, body: bytes, content_type: str | None) -> DocumentKind:
    """The kind of document at ``url`` from its path and first :data:`HEAD_BYTES` bytes."""
    if urlsplit(url).path.endswith("/robots.txt"):
        return "robots"
    head = _head(body)
    if _SITEMAP_RE.search(head):
        return "sitemap"
    if _FEED_RE.search(head) or _JSON_FEED in head:
        return "feed"
    return "page"


def _head(body: bytes) -> bytes:
    """The first bytes, decompressed when the body is gzip (a ``sitemap.xml.gz``)."""
    if body[:2] != b"\x1f\x8b":
        return body[:HEAD_BYTES]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, HEAD_BYTES)
    except zlib.error:
        return b""
