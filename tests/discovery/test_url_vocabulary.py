"""The URL vocabulary (``newscrawl.urlvocab``) as its three readers apply it: never-fetch
segments, URL shapes that are not articles, and paths of fetched pages that are not articles."""

from __future__ import annotations

import pytest

from newscrawl.discovery.links import is_excluded_url, looks_like_article
from newscrawl.urlvocab import (
    ARCHIVE_PREFIXES,
    EXCLUDED_SEGMENTS,
    LISTING_PREFIXES,
    NON_ARTICLE_LEAVES,
    NON_ARTICLE_SEGMENTS,
)
from newscrawl.validation import NON_ARTICLE_PATH_RE

SITE = "https://news.example"


@pytest.mark.parametrize("word", sorted(EXCLUDED_SEGMENTS))
def test_excluded_segments_are_never_fetched(word: str):
    assert is_excluded_url(f"{SITE}/section/{word}/some-long-story-slug")


@pytest.mark.parametrize("word", sorted(LISTING_PREFIXES - ARCHIVE_PREFIXES))
def test_listing_prefixes_are_not_article_urls(word: str):
    assert not looks_like_article(f"{SITE}/{word}/a-long-story-slug-with-words")
    assert looks_like_article(f"{SITE}/x{word}/a-long-story-slug-with-words")


@pytest.mark.parametrize("word", sorted(LISTING_PREFIXES - ARCHIVE_PREFIXES))
def test_a_story_leaf_with_id_and_slug_deep_under_a_listing_word_is_an_article_url(word: str):
    assert looks_like_article(f"{SITE}/{word}/society/ethics/398805-why-the-ferry-stopped")
    assert not looks_like_article(f"{SITE}/{word}/society/why-the-ferry-stopped-running")
    assert not looks_like_article(f"{SITE}/{word}/398805-why-the-ferry-stopped")  # too shallow
    assert not looks_like_article(f"{SITE}/{word}/society/398805-ferries")  # one-word name


@pytest.mark.parametrize("word", sorted(ARCHIVE_PREFIXES))
def test_a_post_right_under_archives_is_an_article_url_its_listings_are_not(word: str):
    """WordPress's ``/archives/%postname%`` and ``/archives/%post_id%`` permalinks."""
    assert looks_like_article(f"{SITE}/{word}/a-long-story-slug-with-words/")
    assert looks_like_article(f"{SITE}/{word}/1234")
    assert not looks_like_article(f"{SITE}/{word}/2012")  # a year's archive
    assert not looks_like_article(f"{SITE}/{word}/politics")  # a one-word section
    assert not looks_like_article(f"{SITE}/{word}/category/a-long-category-name-here")
    assert not looks_like_article(f"{SITE}/{word}/tag/a-long-tag-name-here/")


@pytest.mark.parametrize("word", sorted(NON_ARTICLE_LEAVES))
def test_non_article_leaves_are_not_article_urls(word: str):
    assert not looks_like_article(f"{SITE}/2024/05/03/{word}.html")
    assert looks_like_article(f"{SITE}/2024/05/03/{word}-and-more.html")


@pytest.mark.parametrize("word", sorted(NON_ARTICLE_SEGMENTS))
def test_non_article_segments_mark_fetched_pages(word: str):
    assert NON_ARTICLE_PATH_RE.search(f"/de/{word}/x")
    assert NON_ARTICLE_PATH_RE.search(f"/de/{word.upper()}")
    assert NON_ARTICLE_PATH_RE.search(f"/de/{word}.html")
    assert not NON_ARTICLE_PATH_RE.search(f"/de/{word}-story/x")
    assert not NON_ARTICLE_PATH_RE.search(f"/de/my{word}/x")
    assert not NON_ARTICLE_PATH_RE.search(f"/de/{word}.php")


@pytest.mark.parametrize(
    ("path", "listing"),
    [
        ("/", True),
        ("", True),
        ("/tags/", True),
        ("/de/Autoren/mueller", True),
        ("/seite/2", True),
        ("/kontakt.htm", True),
        ("/2024/05/03/tagged-story", False),
        ("/news/topical-story.html", False),
        ("/sections/world", False),  # a listing prefix before fetching, not a page check word
    ],
)
def test_non_article_paths(path: str, listing: bool):
    assert bool(NON_ARTICLE_PATH_RE.search(path)) is listing
