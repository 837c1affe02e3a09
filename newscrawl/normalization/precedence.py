"""Which source of a field's candidates wins: one precedence order per field.

Each tuple lists candidate sources best first; :func:`by_source` sorts candidates by it. The
reasons behind each order are in :mod:`newscrawl.normalization.article`'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newscrawl.items import Candidate

HEADLINE_ORDER: tuple[str, ...] = (
    "site", "jsonld", "opengraph", "h1", "twitter", "microdata", "meta", "title", "title:shown",
    "jsonld:name", "news-sitemap", "feed", "sitemap", "heading", "above-story",
)  # fmt: skip
DATE_ORDER: tuple[str, ...] = (
    "site", "jsonld", "opengraph", "meta:itemprop", "meta:parsely", "meta:sailthru", "meta",
    "meta:date", "meta:dc", "microdata", "time", "jsonld:dateCreated", "htmldate", "news-sitemap",
    "feed", "sitemap", "url",
)  # fmt: skip
AUTHOR_ORDER: tuple[str, ...] = (
    "site", "jsonld:person", "jsonld:unknown", "byline", "microdata", "meta", "jsonld:organization",
)  # fmt: skip
TAG_SOURCES: tuple[str, ...] = (
    "links", "jsonld:keywords", "opengraph", "meta:news_keywords", "meta:parsely", "microdata",
    "news-sitemap",
)  # fmt: skip
SECTION_ORDER: tuple[str, ...] = ("site", "jsonld", "opengraph", "meta", "microdata", "links")
SUMMARY_ORDER: tuple[str, ...] = ("site", "lead", "jsonld", "opengraph", "meta", "twitter")


def by_source(candidates: Iterable[Candidate], order: Sequence[str]) -> list[Candidate]:
    """Candidates sorted by the position of their source in ``order`` (unknown sources last)."""
    rank = {source: i for i, source in enumerate(order)}
    return sorted(candidates, key=lambda c: rank.get(c.source, len(order)))
