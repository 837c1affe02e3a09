"""The typed records that flow through the item pipelines.

``FetchedPage`` (spider) → ``ExtractedPage`` (extract stage: candidates per field, each with its
source) → ``Article`` (normalize stage: one chosen, normalized value per field) → stored.
None of them holds a Scrapy object, so every stage can be used and tested without a reactor.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

# C0 and C1 control characters and DEL, tab and newline aside: a terminal acts on them (ESC
# sequences retitle windows and clear screens), PostgreSQL text cannot hold NUL.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HTML_UTF8 = "text/html; charset=utf-8"  # the content type of already decoded HTML
_CARRIAGE_RETURN = re.compile(r"\r\n?")


def without_control_chars(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and no other control character (C0, DEL, C1) but
    the tab: what every string from the network is reduced to before it is stored."""
    if text.isprintable():
        return text
    return _CONTROL_CHARS.sub("", _CARRIAGE_RETURN.sub("\n", text))


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return without_control_chars(value)
    if isinstance(value, tuple):
        return tuple(_cleaned(item) for item in value)
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class DiscoveryHints:
    """What a feed entry or news-sitemap entry said about a page before it was fetched."""

    source: str  # "sitemap", "news-sitemap", "feed"
    title: str | None = None
    published: str | None = None  # raw string as found
    keywords: tuple[str, ...] = ()
    lastmod: str | None = None
    language: str | None = None


def _bytes_as_text(value: bytes) -> str:
    """The page decoded as extraction would (declared charset, else detected)."""
    from newscrawl.extraction.page import decode_html

    return decode_html(value)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A response as fetched: its bytes and headers plus what discovery knew about it.

    Plain data only (bytes and strings, no Scrapy object), so a page can be exported, pickled or
    handed to another process; :func:`newscrawl.page.process_page` decodes and parses it.
    """

    url: str
    # Feed exports (``-O pages.jsonl`` with the pipelines off) write it decoded, as text.
    body: bytes = field(metadata={"serializer": _bytes_as_text})
    site: str
    fetched_at: datetime  # tz-aware UTC
    content_type: str | None = None  # the response's Content-Type header
    status: int = 200
    hints: DiscoveryHints | None = None
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def of_html(
        cls, html: str, url: str, *, site: str = "local", fetched_at: datetime, **kwargs: Any
    ) -> FetchedPage:
        """A page from already decoded HTML (served as UTF-8 ``text/html``)."""
        return cls(
            url=url,
            body=html.encode("utf-8", "replace"),  # a lone surrogate becomes "?"
            site=site,
            fetched_at=fetched_at,
            content_type=HTML_UTF8,
            **kwargs,
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One raw value for a field and where it was found (e.g. ``jsonld``, ``opengraph``, ``h1``)."""

    value: str
    source: str


@dataclass(slots=True)
class PageSignals:
    """Facts about a page that tell an article from a listing, home or service page."""

    og_type: str | None = None
    jsonld_types: tuple[str, ...] = ()
    has_article_jsonld: bool = False
    has_article_element: bool = False
    teaser_count: int = 0  # headline links to other pages in list-like blocks
    paragraph_count: int = 0
    url_path: str = "/"


@dataclass(slots=True)
class ExtractedPage:
    """Everything the extract stage found on a page, before choosing and normalizing.

    ``candidates`` maps a field name (``headline``, ``published``, ``modified``, ``authors``,
    ``tags``, ``section``, ``summary``, ``image``, ``canonical_url``, ``language``, ``site_name``)
    to candidates in precedence order (first = preferred). ``body`` is the chosen body text.
    """

    url: str
    site: str
    fetched_at: datetime
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    body: str = ""
    body_source: str | None = None
    signals: PageSignals = field(default_factory=PageSignals)
    hints: DiscoveryHints | None = None
    etag: str | None = None
    last_modified: str | None = None
    language_hint: str | None = None
    date_order: str | None = None
    timezone: str | None = None  # the site's IANA zone for times written without an offset

    def first(self, name: str) -> Candidate | None:
        """The preferred candidate for ``name``, or None."""
        found = self.candidates.get(name)
        return found[0] if found else None

    def add(self, name: str, value: str | None, source: str) -> None:
        """Append a candidate unless the value is empty."""
        if value is not None and value.strip():
            self.candidates.setdefault(name, []).append(Candidate(value.strip(), source))


@dataclass(slots=True)
class Article:
    """One normalized article: what newscrawl stores. All datetimes are tz-aware UTC."""

    url: str
    canonical_url: str
    site: str
    headline: str
    body: str
    fetched_at: datetime
    summary: str | None = None
    published: datetime | None = None
    published_raw: str | None = None
    published_source: str | None = None
    published_has_time: bool = True  # False: only the day is known (stored as midnight UTC)
    modified: datetime | None = None
    modified_raw: str | None = None
    modified_source: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    language: str | None = None
    image: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> where its value came from
    signals: PageSignals = field(default_factory=PageSignals)
    etag: str | None = None
    last_modified: str | None = None
    # What the page path repaired or refused on the way (e.g. "offsite_canonical"); the crawl
    # counts each in ``newscrawl/page_notes/<note>``. Not part of the content.
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """The boundary: every string (text fields, URLs, raw dates, ETag, Last-Modified, tags,
        authors, sources) loses its control characters (:func:`without_control_chars`), so
        nothing a server sent can reach a database or a terminal as an escape sequence."""
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, str | tuple | dict):
                setattr(self, spec.name, _cleaned(value))

    def content_hash(self) -> str:
        """SHA-256 over the normalized content fields; equal hashes mean nothing a reader sees changed."""
        payload = {
            "headline": self.headline,
            "summary": self.summary or "",
            "body": self.body,
            "published": self.published.isoformat() if self.published else None,
            "modified": self.modified.isoformat() if self.modified else None,
            "section": self.section,
            "tags": list(self.tags),
            "authors": list(self.authors),
            "image": self.image,
        }
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict with ISO 8601 dates: the shape of ``newscrawl extract`` output."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "headline": self.headline,
            "summary": self.summary,
            "body": self.body,
            "published": _iso(self.published, self.published_has_time),
            "published_raw": self.published_raw,
            "published_source": self.published_source,
            "modified": _iso(self.modified, True),
            "modified_raw": self.modified_raw,
            "modified_source": self.modified_source,
            "section": self.section,
            "tags": list(self.tags),
            "authors": list(self.authors),
            "language": self.language,
            "image": self.image,
            "sources": dict(self.sources),
        }


def _iso(value: datetime | None, has_time: bool) -> str | None:
    """ISO 8601; a value known only to the day prints as ``YYYY-MM-DD``."""
    if value is None:
        return None
    return value.isoformat() if has_time else value.date().isoformat()
