"""The whole per-page path outside Scrapy: bytes → extracted → normalized → validated.

The Scrapy pipelines run the same stages one by one; the ``extract`` and ``evaluate`` commands
use :class:`PageProcessor` to run them in one call.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newscrawl.extraction import PageError, decode_html, extract_page
from newscrawl.items import Article, FetchedPage
from newscrawl.normalization.article import normalize_article
from newscrawl.sites import ExtractOverrides, SiteConfig, load_sites, site_for_url
from newscrawl.validation import drop_reason

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF")
_HTML_SNIFF_RE = re.compile(
    rb"<(?:!doctype html|html|head|body|meta|title|div|p|article)[\s>/]", re.IGNORECASE
)


def looks_like_html(body: bytes | str, content_type: str | None) -> bool:
    """True for an HTML document: a declared HTML type, or an unknown/generic type whose first
    kilobytes contain HTML tags. Images, PDFs, feeds and JSON are not HTML."""
    head = body[:4096] if isinstance(body, bytes) else body[:4096].encode("utf-8", "replace")
    if b"\x00" in head or head.startswith(_BINARY_MAGIC):
        return False  # binary, whatever the server declared
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _HTML_TYPES:
        return True
    if ctype and not (ctype.startswith("text/plain") or ctype == "application/octet-stream"):
        return False
    return _HTML_SNIFF_RE.search(head) is not None


@dataclass(slots=True)
class Outcome:
    """The result for one page: the article (when extraction got that far) and the drop reason."""

    article: Article | None
    drop: str | None
    error: str | None = None


@dataclass(slots=True)
class PageProcessor:
    """Runs extraction, normalization and validation for single pages with project settings."""

    sites: dict[str, SiteConfig] = field(default_factory=dict)
    min_body_words: int = 40

    @classmethod
    def from_project_settings(cls) -> PageProcessor:
        """A processor configured from :mod:`newscrawl.settings` (sites file, limits)."""
        from newscrawl import settings

        return cls(
            sites=load_sites(settings.NEWSCRAWL_SITES_FILE),
            min_body_words=settings.NEWSCRAWL_MIN_BODY_WORDS,
        )

    def site_for(self, url: str) -> SiteConfig | None:
        """The configured site covering ``url``, if any."""
        return site_for_url(self.sites, url)

    def process_page(self, page: FetchedPage, overrides: ExtractOverrides | None = None) -> Outcome:
        """Extract, normalize and validate one fetched page. Never raises for any page: one
        that cannot be parsed is ``EmptyPage``; an error inside extraction or normalization
        (a bug) is logged and reported as ``ExtractionFailed``, as the crawl pipeline does."""
        if not page.html.strip():
            return Outcome(None, "EmptyPage")
        try:
            extracted = extract_page(page, overrides)
            article = normalize_article(extracted)
        except PageError as exc:
            return Outcome(None, "EmptyPage", str(exc))
        except (ValueError, TypeError, LookupError, RecursionError) as exc:
            logger.warning("extraction failed for %s: %s: %s", page.url, type(exc).__name__, exc)
            return Outcome(None, "ExtractionFailed", f"{type(exc).__name__}: {exc}")
        return Outcome(article, drop_reason(article, min_body_words=self.min_body_words))

    def run(
        self, raw: bytes, url: str, *, content_type: str | None, fetched_at: datetime
    ) -> dict[str, Any]:
        """Process raw bytes into the ``extract`` command's JSON record."""
        if not looks_like_html(raw, content_type):
            return {
                "url": url,
                "dropped": "NotHtml",
                "error": f"not HTML ({content_type or 'unknown type'})",
            }
        site = self.site_for(url)
        page = FetchedPage(
            url=url,
            html=decode_html(raw, content_type),
            site=site.name if site else (urlsplit(url).hostname or "local"),
            fetched_at=fetched_at,
            content_type=content_type,
            language_hint=site.language if site else None,
            date_order=site.date_order if site else None,
        )
        outcome = self.process_page(page, site.extract if site else None)
        if outcome.article is None:
            return {"url": url, "dropped": outcome.drop, "error": outcome.error or outcome.drop}
        record = outcome.article.to_record()
        record["dropped"] = outcome.drop
        return record
