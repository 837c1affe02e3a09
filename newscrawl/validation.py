"""The validate stage as plain functions: is this normalized page an article worth storing?

Each failed check returns the name of a drop reason; the Scrapy pipeline maps it to the
``DropItem`` subclass of the same name in :mod:`newscrawl.drops`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from newscrawl.extraction.body import word_count
from newscrawl.items import Article, PageSignals

# Paths of pages that list or describe rather than report: home, sections, tags, authors,
# archives, search and service pages (several languages).
NON_ARTICLE_PATH_RE = re.compile(
    r"^/?$|/(?:category|categories|tag|tags|topic|topics|thema|themen|author|authors|autor|"
    r"autoren|search|suche|recherche|buscar|page|seite|archive|archives|archiv|about|about-us|"
    r"contact|contact-us|impressum|imprint|kontakt|privacy|privacy-policy|datenschutz|terms|"
    r"agb|newsletter|subscribe|abo|login|register|account|sitemap|feed|rss)(?:/|$|\.html?$)",
    re.IGNORECASE,
)
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "profilepage", "aboutpage", "contactpage", "itemlist"}
)
ARTICLE_OG_TYPES = frozenset({"article", "news", "newsarticle", "blog", "blogposting"})
_MIN_TEASERS_FOR_LISTING = 5


def is_article_page(signals: PageSignals) -> bool:
    """True when the page reports a story rather than listing or describing things.

    Structured declarations decide first (article JSON-LD or ``og:type=article`` for, listing
    JSON-LD types against); then the URL path (home, section, tag, author, search, about,
    contact, ... pages); then the layout (many teaser headlines and no article markup)."""
    types = set(signals.jsonld_types)
    declared_article = signals.has_article_jsonld or (signals.og_type or "") in ARTICLE_OG_TYPES
    if types & LISTING_TYPES and not signals.has_article_jsonld:
        return False
    if NON_ARTICLE_PATH_RE.search(signals.url_path) and not signals.has_article_jsonld:
        return False
    if declared_article or signals.has_article_element:
        return True
    return signals.teaser_count < _MIN_TEASERS_FOR_LISTING


def drop_reason(
    article: Article,
    *,
    min_body_words: int,
    max_age: timedelta | None = None,
    now: datetime | None = None,
) -> str | None:
    """The name of the reason to drop ``article``, or None to keep it."""
    if not is_article_page(article.signals):
        return "NotAnArticle"
    if not article.headline.strip():
        return "MissingHeadline"
    if word_count(article.body) < min_body_words:
        return "MissingBody"
    if max_age is not None and article.published is not None:
        reference = now or article.fetched_at
        if article.published < reference - max_age:
            return "TooOld"
    return None
