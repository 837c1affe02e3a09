"""Discovery stage: XML sitemaps, sitemap indexes, Google News sitemaps and robots.txt ``Sitemap:``.

Parsing is namespace-agnostic (elements are matched by local name, so a missing or wrong namespace
still works), tolerant of broken XML (lxml ``recover``: entries before the damage survive), and
keeps the ``news:`` children (title, publication date, keywords, language) that generic sitemap
parsers drop. Gzipped sitemaps are recognised by their magic bytes, not by their name, and are
decompressed under a size cap so a gzip bomb cannot exhaust memory.

Sitemaps are read as a stream (:func:`iter_sitemap`, lxml ``iterparse``): each entry is built
and its element freed before the next is read, so memory does not grow with the number of
entries, and a reader that has what it needs (the crawl's page budget is met) stops early.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

from lxml import etree
from protego import Protego
from scrapy.utils.gz import gunzip

GZIP_MAGIC = b"\x1f\x8b"
# sitemaps.org caps an uncompressed sitemap at 50 MB; anything larger is refused.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_HTTP_SCHEMES = frozenset({"http", "https"})

SitemapKind = Literal["index", "urlset"]


class SitemapError(ValueError):
    """A body that is not a usable sitemap (not XML, wrong root element, corrupt or too large)."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<url>`` of a urlset or one ``<sitemap>`` of an index; raw strings as found."""

    loc: str
    lastmod: str | None = None
    news_title: str | None = None
    news_publication_date: str | None = None
    news_keywords: tuple[str, ...] = ()
    news_language: str | None = None

    @property
    def is_news(self) -> bool:
        """True when the entry carried any ``news:`` metadata."""
        return bool(
            self.news_title
            or self.news_publication_date
            or self.news_keywords
            or self.news_language
        )


@dataclass(slots=True)
class SitemapDocument:
    """A parsed sitemap: an index of further sitemaps, or a urlset of pages."""

    kind: SitemapKind
    entries: list[SitemapEntry] = field(default_factory=list)


def gunzip_capped(data: bytes, max_size: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress gzip ``data`` (one or more members) into at most ``max_size`` bytes
    (Scrapy's ``gunzip``, which reads in chunks and stops at the cap).

    A truncated or damaged stream yields what decompressed before the damage.

    Raises:
        SitemapError: the output would exceed ``max_size``, or nothing could be decompressed.
    """
    try:
        # Scrapy reads max_size=0 as "no cap"; at least 1 keeps every cap a cap.
        out = gunzip(data, max_size=max(max_size, 1))
    except ValueError as exc:  # Scrapy's (private) _DecompressionMaxSizeExceeded
        raise SitemapError(f"decompressed sitemap exceeds {max_size} bytes") from exc
    except (OSError, EOFError, zlib.error, struct.error) as exc:
        raise SitemapError(f"corrupt gzip data: {exc}") from exc
    if len(out) > max_size:
        raise SitemapError(f"decompressed sitemap exceeds {max_size} bytes")
    return out


@dataclass(slots=True)
class SitemapStream:
    """A sitemap being read: its kind, and its entries as they are parsed (read them once)."""

    kind: SitemapKind
    entries: Iterator[SitemapEntry]


def parse_sitemap(body: bytes, *, max_size: int = MAX_SITEMAP_BYTES) -> SitemapDocument:
    """Parse a sitemap, sitemap index or news sitemap (XML, gzipped XML or plain-text URL list)
    whole: :func:`iter_sitemap`, with every entry read.

    Raises:
        SitemapError: the body is not a sitemap (the message says why).
    """
    stream = iter_sitemap(body, max_size=max_size)
    return SitemapDocument(stream.kind, list(stream.entries))


def iter_sitemap(body: bytes, *, max_size: int = MAX_SITEMAP_BYTES) -> SitemapStream:
    """Start reading a sitemap, sitemap index or news sitemap (XML, gzipped XML or a plain-text
    URL list); its entries are parsed as they are iterated, in document order.

    Entries without a ``<loc>`` are skipped; ``loc`` is returned stripped but not resolved.
    Damaged XML yields the entries before the damage.

    Raises:
        SitemapError: the body is not a sitemap (the message says why); raised here, before
            any entry is read.
    """
    if body.startswith(GZIP_MAGIC):
        body = gunzip_capped(body, max_size)
    elif len(body) > max_size:
        raise SitemapError(f"sitemap exceeds {max_size} bytes")
    body = body.removeprefix(_UTF8_BOM).lstrip()
    if not body:
        raise SitemapError("empty sitemap")
    if not body.startswith(b"<"):
        return _parse_text_sitemap(body)
    events = etree.iterparse(
        io.BytesIO(body),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        _event, root = next(events)
    except StopIteration:
        raise SitemapError("not XML: nothing could be parsed") from None
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from exc
    root_name = _localname(root)
    if root_name == "sitemapindex":
        return SitemapStream("index", _stream_entries(events, root, "sitemap"))
    if root_name == "urlset":
        return SitemapStream("urlset", _stream_entries(events, root, "url"))
    raise SitemapError(f"not a sitemap: root element is <{root_name}>")


def sitemap_urls_from_robots(text: str, base_url: str) -> list[str]:
    """The http(s) URLs of the ``Sitemap:`` lines of a robots.txt, resolved against ``base_url``.

    Lines are read by Protego, the parser Scrapy obeys robots.txt with: the directive is matched
    case-insensitively, blanks around the colon are allowed and ``# comments`` are cut off.
    Order is kept; duplicates and unparseable URLs are dropped. Never raises.
    """
    found: dict[str, None] = {}
    for line_url in Protego.parse(text).sitemaps:
        try:
            url = urljoin(base_url, line_url)
            scheme = urlsplit(url).scheme
        except ValueError:  # e.g. a malformed IPv6 host
            continue
        if line_url and scheme in _HTTP_SCHEMES:
            found.setdefault(url, None)
    return list(found)


def _parse_text_sitemap(body: bytes) -> SitemapStream:
    """A sitemaps.org text sitemap: one absolute URL per line."""
    text = body.decode("utf-8", errors="replace")
    entries = (
        SitemapEntry(loc=line.strip()) for line in text.splitlines() if _is_http_url(line.strip())
    )
    first = next(entries, None)
    if first is None:
        raise SitemapError("neither XML nor a list of URLs")
    return SitemapStream("urlset", _chain(first, entries))


def _is_http_url(text: str) -> bool:
    try:
        return urlsplit(text).scheme in _HTTP_SCHEMES
    except ValueError:
        return False


def _chain(first: SitemapEntry, rest: Iterator[SitemapEntry]) -> Iterator[SitemapEntry]:
    yield first
    yield from rest


def _stream_entries(
    events: Iterator[tuple[str, etree._Element]], root: etree._Element, item_name: str
) -> Iterator[SitemapEntry]:
    """The entries of the root's ``item_name`` children, each freed once read."""
    depth = 1
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth != 1:
                continue
            if _localname(element) == item_name and (entry := _entry(element)) is not None:
                yield entry
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError:
        return  # damaged XML: the entries before the damage were read


def _localname(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _localname(child) == name]


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in _children(element, name):
        text = (child.text or "").strip()
        if text:
            return text
    return None


def _entry(item: etree._Element) -> SitemapEntry | None:
    loc = _child_text(item, "loc")
    if not loc:
        return None
    lastmod = _child_text(item, "lastmod")
    news = next(iter(_children(item, "news")), None)
    if news is None:
        return SitemapEntry(loc=loc, lastmod=lastmod)
    publication = next(iter(_children(news, "publication")), None)
    keywords = _child_text(news, "keywords") or ""
    return SitemapEntry(
        loc=loc,
        lastmod=lastmod,
        news_title=_child_text(news, "title"),
        news_publication_date=_child_text(news, "publication_date"),
        news_keywords=tuple(dict.fromkeys(k.strip() for k in keywords.split(",") if k.strip())),
        news_language=(_child_text(publication, "language") if publication is not None else None),
    )
