"""The per-page path in one function: a fetched page → an :class:`Article`, or a named drop.

:func:`process_page` is what every caller runs: the item pipeline in a crawl, the ``extract`` and
``evaluate`` commands, the benchmarks and the tests. It takes plain data (the fetched bytes and
the site's settings), parses the page once, and either returns the article to store or raises
the :mod:`newscrawl.drops` subclass naming why not.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newscrawl import drops
from newscrawl.extraction import PageError, decode_html, extract_page
from newscrawl.items import Article, FetchedPage
from newscrawl.normalization.article import normalize_article
from newscrawl.sites import SiteConfig, site_for_url
from newscrawl.validation import check_article

logger = logging.getLogger(__name__)

DEFAULT_MIN_BODY_WORDS = 40

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
# Errors inside extraction or normalization: a bug on some page, never a reason to stop a crawl.
_EXTRACTION_ERRORS = (ValueError, TypeError, LookupError, RecursionError)


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


def process_page(
    page: FetchedPage,
    site: SiteConfig | None = None,
    *,
    min_body_words: int = DEFAULT_MIN_BODY_WORDS,
    now: datetime | None = None,
) -> Article:
    """Decode, parse, extract, normalize and validate one fetched page.

    ``site`` supplies language and date-order hints, extraction overrides and
    ``max_article_age`` (measured back from ``now``, default the fetch time).

    Raises a :class:`~newscrawl.drops.NewscrawlDrop` subclass for every page that is not stored:
    ``EmptyPage`` (no bytes or no markup), ``NotHtml``, ``ExtractionFailed`` (an error inside
    extraction: logged, never propagated as anything else), and the validation drops
    (``NotAnArticle``, ``MissingHeadline``, ``MissingBody``, ``TooOld``), which carry the article.
    """
    if not page.body.strip():
        raise drops.EmptyPage(f"empty page: {page.url}")
    if not looks_like_html(page.body, page.content_type):
        raise drops.NotHtml(f"not HTML ({page.content_type or 'unknown type'}): {page.url}")
    try:
        extracted = extract_page(page, decode_html(page.body, page.content_type), site)
        article = normalize_article(extracted)
    except PageError as exc:
        raise drops.EmptyPage(f"{exc}: {page.url}") from exc
    except _EXTRACTION_ERRORS as exc:
        logger.warning("extraction failed for %s: %s: %s", page.url, type(exc).__name__, exc)
        raise drops.ExtractionFailed(f"{type(exc).__name__}: {exc}: {page.url}") from exc
    check_article(
        article,
        min_body_words=min_body_words,
        max_age=site.max_article_age if site is not None else None,
        now=now,
    )
    return article


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """One page's result for tools that show dropped pages too: the article (None when the
    page never became one) and the drop (None when it would be stored)."""

    article: Article | None
    drop: drops.NewscrawlDrop | None

    @property
    def reason(self) -> str | None:
        """The drop reason's name, or None."""
        return self.drop.reason if self.drop is not None else None


def page_outcome(
    page: FetchedPage,
    site: SiteConfig | None = None,
    *,
    min_body_words: int = DEFAULT_MIN_BODY_WORDS,
) -> PageOutcome:
    """:func:`process_page` without the exception: a validation drop keeps its article."""
    try:
        return PageOutcome(process_page(page, site, min_body_words=min_body_words), None)
    except drops.NewscrawlDrop as drop:
        return PageOutcome(drop.article, drop)


def page_record(
    page: FetchedPage,
    site: SiteConfig | None = None,
    *,
    min_body_words: int = DEFAULT_MIN_BODY_WORDS,
) -> dict[str, Any]:
    """The ``extract`` command's JSON record of one page: the article's fields and ``dropped``
    (null, or the drop reason; a validation drop still shows what was extracted), or, for a
    page that never became an article, ``url``, ``dropped`` and ``error``."""
    outcome = page_outcome(page, site, min_body_words=min_body_words)
    if outcome.article is None:
        return {"url": page.url, "dropped": outcome.reason, "error": str(outcome.drop)}
    return {**outcome.article.to_record(), "dropped": outcome.reason}


def local_page(
    raw: bytes,
    url: str,
    *,
    content_type: str | None,
    fetched_at: datetime,
    sites: dict[str, SiteConfig],
) -> tuple[FetchedPage, SiteConfig | None]:
    """A page read outside a crawl (a file, a corpus, a one-off download) and the configured site
    covering its URL; an unconfigured page is named after its host."""
    site = site_for_url(sites, url)
    name = site.name if site is not None else (urlsplit(url).hostname or "local")
    page = FetchedPage(
        url=url, body=raw, site=name, fetched_at=fetched_at, content_type=content_type
    )
    return page, site


def extract_record(
    raw: bytes,
    url: str,
    *,
    content_type: str | None,
    fetched_at: datetime,
    sites: dict[str, SiteConfig] | None = None,
    min_body_words: int = DEFAULT_MIN_BODY_WORDS,
) -> dict[str, Any]:
    """The ``extract`` command's record (:func:`page_record`) of bytes served at ``url``."""
    page, site = local_page(
        raw, url, content_type=content_type, fetched_at=fetched_at, sites=sites or {}
    )
    return page_record(page, site, min_body_words=min_body_words)
