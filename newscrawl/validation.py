"""The validate stage as plain functions: is this normalized page an article worth storing?

A failed check raises the :mod:`newscrawl.drops` subclass named after it, carrying the article.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from newscrawl import drops
from newscrawl.discovery.links import is_dated_story_url, leaf_slug_words, looks_like_article
from newscrawl.extraction.body import prose_word_count
from newscrawl.items import Article, PageSignals
from newscrawl.normalization.text import word_count
from newscrawl.urlvocab import NON_ARTICLE_PATH_RE

LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "profilepage", "aboutpage", "contactpage", "itemlist"}
)
ARTICLE_OG_TYPES = frozenset({"article", "news", "newsarticle", "blog", "blogposting"})
_MIN_TEASERS_FOR_LISTING = 5
_MIN_ARTICLE_PROSE_WORDS = 80  # an article URL with this much prose is a story despite teasers
_STORY_SLUG_WORDS = 4  # a leaf slug this long names one story, even under a listing word


def _declares_article(signals: PageSignals) -> bool:
    """Article JSON-LD or ``og:type=article`` (or a news/blog type)."""
    return signals.has_article_jsonld or (signals.og_type or "") in ARTICLE_OG_TYPES


def _is_unknown_url(url: str) -> bool:
    """No URL, or a local file's (a page saved to disk): its path says nothing about the page."""
    return not url or url.startswith("file:")


def _is_article_url(url: str) -> bool:
    """A long slug or numeric id outside listing paths, or a dated story path."""
    return bool(url) and (looks_like_article(url) or is_dated_story_url(url))


def _story_under_listing_word(signals: PageSignals, url: str, body: str) -> bool:
    """A page filed under a listing word ("/thema/climate/where-does-the-smog-come-from",
    "/page/Data_collection_as_a_challenge_for_media_education") that names one story by a
    slug of four words or more, lists fewer than 5 teasers and has 80+ words of prose."""
    return (
        leaf_slug_words(url) >= _STORY_SLUG_WORDS
        and signals.teaser_count < _MIN_TEASERS_FOR_LISTING
        and prose_word_count(body) >= _MIN_ARTICLE_PROSE_WORDS
    )


def is_article_page(signals: PageSignals, url: str = "", body: str = "") -> bool:
    """True when the page reports a story rather than listing or describing things.

    Structured declarations decide first (listing JSON-LD types against; article JSON-LD or
    ``og:type=article`` for); then the URL path (home, section, tag, author, search, about,
    contact, ... pages; not a local file's path), unless ``url`` itself looks like an
    article's (a long slug or numeric id outside listing paths, or a dated path:
    ``/archives/2012/11/12/story.php``) or the page reads as one story filed under a listing
    word (:func:`_story_under_listing_word`); then the layout: many teaser headlines and no article
    markup make a listing, unless ``url`` is a dated story's, or looks like an article's or is
    unknown (:func:`_is_unknown_url`) and ``body`` has the prose of one (related-story lists
    under a post), or ``body`` reads as one story whatever the URL (:func:`_reads_as_one_story`)."""
    types = set(signals.jsonld_types)
    declared_article = _declares_article(signals)
    if types & LISTING_TYPES and not signals.has_article_jsonld:
        return False
    article_url, unknown_url = _is_article_url(url), _is_unknown_url(url)
    listing_path = not unknown_url and NON_ARTICLE_PATH_RE.search(signals.url_path)
    if listing_path and not (
        declared_article or article_url or _story_under_listing_word(signals, url, body)
    ):
        return False
    if declared_article or signals.has_article_element:
        return True
    if signals.teaser_count < _MIN_TEASERS_FOR_LISTING or is_dated_story_url(url):
        return True
    prose = prose_word_count(body)
    return (
        (article_url or unknown_url) and prose >= _MIN_ARTICLE_PROSE_WORDS
    ) or _reads_as_one_story(body, prose)


_ONE_STORY_PROSE_WORDS = 150
_ONE_STORY_PARAGRAPH_WORDS = 50


def _reads_as_one_story(body: str, prose: int) -> bool:
    """Whether ``body``, holding ``prose`` words of prose, reads as one story: 150 words or
    more, in paragraphs of 50 words on average. A listing's text is its teasers' short leads."""
    paragraphs = sum(1 for paragraph in body.split("\n\n") if paragraph.strip())
    return prose >= _ONE_STORY_PROSE_WORDS and prose >= _ONE_STORY_PARAGRAPH_WORDS * paragraphs


_SHORT_POST_PROSE_WORDS = 15


def required_body_words(article: Article, min_body_words: int) -> int:
    """The body length ``article`` needs: ``min_body_words``, or half of it for a short post that
    shows it is one: a publication date, article markup (article JSON-LD, ``og:type=article`` or
    an ``<article>`` element) or an article URL, and at least 15 words of prose lines
    (:func:`prose_word_count`). A blog post of 25 words is still an article."""
    signals = article.signals
    marked_up = _declares_article(signals) or signals.has_article_element
    if (
        article.published is not None
        and (marked_up or _is_article_url(article.url))
        and prose_word_count(article.body) >= _SHORT_POST_PROSE_WORDS
    ):
        return min_body_words // 2
    return min_body_words


def check_article(
    article: Article,
    *,
    min_body_words: int,
    max_age: timedelta | None = None,
    now: datetime | None = None,
) -> None:
    """Raise the drop for an ``article`` not worth storing; return when it is one.

    Raises (in this order of checks): :class:`~newscrawl.drops.NotAnArticle`,
    :class:`~newscrawl.drops.MissingHeadline`, :class:`~newscrawl.drops.MissingBody` (fewer than
    :func:`required_body_words` words), :class:`~newscrawl.drops.TooOld` (published more than ``max_age``
    before ``now``, default the fetch time).
    """
    url = article.url
    if not is_article_page(article.signals, article.url, article.body):
        raise drops.NotAnArticle(f"not an article: {url}", article)
    if not article.headline.strip():
        raise drops.MissingHeadline(f"no headline: {url}", article)
    words = word_count(article.body)
    required = required_body_words(article, min_body_words)
    if words < required:
        raise drops.MissingBody(f"body of {words} words (< {required}): {url}", article)
    if max_age is not None and article.published is not None:
        reference = now or article.fetched_at
        if article.published < reference - max_age:
            raise drops.TooOld(
                f"published {article.published.isoformat()}, older than {max_age}: {url}", article
            )
