"""Discovery stage: RSS 0.9x/1.0/2.0, Atom and JSON Feed entries, and feed autodiscovery.

XML feeds are parsed by feedparser from the downloaded bytes (wrapped in a file object: given a
string, feedparser would fetch URLs and open local file names). JSON Feed, which feedparser
does not read, is parsed here.

A feed is read up to ``max_items`` entries (``NEWSCRAWL_MAX_FEED_ITEMS``). feedparser is pure
Python (about 0.25 ms an item: a 100,000-item feed would hold the crawl's reactor for ~25 s), so
a large XML feed is first cut to its first ``max_items`` items by lxml's ``iterparse``, which
stops reading there; feedparser then parses only those.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import feedparser
from lxml import etree

from newscrawl.discovery.links import document_base_url, resolve_link

if TYPE_CHECKING:
    import lxml.html

# <link rel="alternate" type=...> values that announce a feed.
FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json"}
)

_UTF8_BOM = b"\xef\xbb\xbf"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TAG_RE = re.compile(r"<[^>]*>")
DEFAULT_MAX_FEED_ITEMS = 1000
# XML feeds larger than this are cut to their first max_items items before feedparser reads them.
LARGE_FEED_BYTES = 256 * 1024


class FeedError(ValueError):
    """A body that is not a feed (the message says why)."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its absolute link and what the feed said about it (raw strings)."""

    link: str
    title: str | None = None
    published_raw: str | None = None
    updated_raw: str | None = None
    tags: tuple[str, ...] = ()


def parse_feed(
    body: bytes, base_url: str, *, max_items: int = DEFAULT_MAX_FEED_ITEMS
) -> list[FeedEntry]:
    """The entries of an RSS, Atom or JSON feed, in feed order, one per distinct link, from
    its first ``max_items`` items (0 = all).

    Relative links resolve against ``base_url`` (the feed's URL); entries without an http(s)
    link are skipped. Never touches the network.

    Raises:
        FeedError: the body is not a feed.
    """
    stripped = body.removeprefix(_UTF8_BOM).lstrip()
    if stripped.startswith(b"{"):
        entries = _parse_json_feed(stripped, base_url, max_items)
    else:
        if max_items and len(body) > LARGE_FEED_BYTES:
            body = first_items(body, max_items)
        entries = _parse_xml_feed(body, base_url)
        if max_items:
            entries = entries[:max_items]
    distinct: dict[str, FeedEntry] = {}
    for entry in entries:
        distinct.setdefault(entry.link, entry)
    return list(distinct.values())


def first_items(body: bytes, max_items: int) -> bytes:
    """An XML feed cut after its ``max_items``-th ``<item>``/``<entry>`` (channel data kept),
    re-serialized as UTF-8; reading stops there. ``body`` itself when it has no more items
    than that or cannot be read as XML."""
    events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        tag=("{*}item", "{*}entry"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    )
    count = 0
    try:
        for _event, element in events:
            count += 1
            if count < max_items:
                continue
            parent = element.getparent()
            if parent is None:
                return body
            for sibling in list(element.itersiblings()):
                parent.remove(sibling)
            root = element.getroottree().getroot()
            return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))
    except etree.XMLSyntaxError:
        return body
    return body


def feed_links(tree: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="application/rss+xml|atom+xml|
    feed+json" href=...>``: absolute http(s) URLs, distinct, in document order.

    Comment feeds (a title or URL that mentions comments) are left out: they list comments,
    not articles.
    """
    base = document_base_url(tree, base_url)
    found: dict[str, None] = {}
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rel or media_type not in FEED_MEDIA_TYPES:
            continue
        url = resolve_link(base, link.get("href") or "")
        if url is None:
            continue
        if "comment" in (link.get("title") or "").lower() or "comments" in url.lower():
            continue
        found.setdefault(url, None)
    return list(found)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _entry_title(item: Any) -> str | None:
    """The entry title as plain text (Atom ``type="html"`` titles are un-marked-up)."""
    title = _text(item.get("title"))
    detail = item.get("title_detail") or {}
    if title is not None and detail.get("type") in _HTML_TYPES:
        title = _text(html.unescape(_TAG_RE.sub("", title)))
    return title


def _parse_xml_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS, RDF or Atom root element"
        raise FeedError(f"not a feed: {reason}")
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = resolve_link(base_url, item.get("link") or "")
        if link is None:
            continue
        terms = (_text(tag.get("term")) or _text(tag.get("label")) for tag in item.get("tags", []))
        entries.append(
            FeedEntry(
                link=link,
                title=_entry_title(item),
                published_raw=_text(item.get("published")),
                # dict.get: FeedParserDict.get("updated") falls back to "published" (and warns).
                updated_raw=_text(dict.get(item, "updated")),
                tags=tuple(dict.fromkeys(term for term in terms if term)),
            )
        )
    return entries


def _parse_json_feed(body: bytes, base_url: str, max_items: int) -> list[FeedEntry]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a feed: invalid JSON: {exc}") from exc
    version = document.get("version") if isinstance(document, dict) else None
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org" not in version or not isinstance(items, list):
        raise FeedError("not a feed: JSON without a jsonfeed.org version and an items list")
    entries: list[FeedEntry] = []
    for item in items[:max_items] if max_items else items:
        if not isinstance(item, dict):
            continue
        link = resolve_link(base_url, _text(item.get("url")) or "")
        if link is None:
            continue
        raw_tags = item.get("tags")
        tags = [_text(tag) for tag in raw_tags] if isinstance(raw_tags, list) else []
        entries.append(
            FeedEntry(
                link=link,
                title=_text(item.get("title")),
                published_raw=_text(item.get("date_published")),
                updated_raw=_text(item.get("date_modified")),
                tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
            )
        )
    return entries
