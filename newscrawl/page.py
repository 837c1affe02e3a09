"""The per-page path in one function: a fetched page → an :class:`Article`, or a named drop.

:func:`process_page` is what every caller runs: the item pipeline in a crawl, the ``extract`` and
``evaluate`` commands, the benchmarks and the tests. It takes plain data (the fetched bytes and
the site's settings), parses the page once, and either returns the article to store or raises
the :mod:`newscrawl.drops` subclass naming why not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from newscrawl import drops
from newscrawl.extraction import PageError, decode_html, extract_page
from newscrawl.items import Article, ExtractedPage, FetchedPage
from newscrawl.normalization.article import normalize_article
from newscrawl.normalization.urls import canonicalize_url, same_site
from newscrawl.sites import SiteConfig, ad_hoc_site_name, site_for_url
from newscrawl.sniff import looks_like_html
from newscrawl.validation import check_article

logger = logging.getLogger(__name__)

DEFAULT_MIN_BODY_WORDS = 40

# Errors inside extraction or normalization: a bug on some page, never a reason to stop a crawl.
_EXTRACTION_ERRORS = (ValueError, TypeError, LookupError, RecursionError)


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
        article = held_to_its_site(normalize_article(extracted), extracted)
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


OFFSITE_CANONICAL = "offsite_canonical"  # Article.notes: a canonical/og:url on another site


def held_to_its_site(article: Article, extracted: ExtractedPage) -> Article:
    """The last word on the key a page is stored under: its canonical URL only when that is on
    the site that served the page (:func:`~newscrawl.normalization.urls.same_site`: registrable
    domain by the Public Suffix List, private section included, and port), else its fetched
    URL, so no page can overwrite another site's article. A page that declared a canonical or
    ``og:url`` on another site is noted ``offsite_canonical`` (counted by the crawl)."""
    fetched = canonicalize_url(article.url) or article.url
    offsite = any(
        (declared := canonicalize_url(candidate.value, base=article.url)) is not None
        and not same_site(declared, fetched)
        for candidate in extracted.candidates.get("canonical_url", ())
    )
    if not same_site(article.canonical_url, fetched):
        article = replace(article, canonical_url=fetched)
    return replace(article, notes=(*article.notes, OFFSITE_CANONICAL)) if offsite else article


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


def extract_record(
    raw: bytes,
    url: str,
    *,
    content_type: str | None,
    fetched_at: datetime,
    sites: dict[str, SiteConfig] | None = None,
    min_body_words: int = DEFAULT_MIN_BODY_WORDS,
) -> dict[str, Any]:
    """The ``extract`` command's record (:func:`page_record`) of bytes read outside a crawl (a
    file, a corpus, a one-off download) and served at ``url``: the configured site covering the
    URL applies; an unconfigured page is named by :func:`~newscrawl.sites.ad_hoc_site_name`."""
    site = site_for_url(sites or {}, url)
    name = site.name if site is not None else ad_hoc_site_name(url)
    page = FetchedPage(
        url=url, body=raw, site=name, fetched_at=fetched_at, content_type=content_type
    )
    return page_record(page, site, min_body_words=min_body_words)
