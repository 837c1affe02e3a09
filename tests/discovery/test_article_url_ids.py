"""Story ids in the query string: the key names a story id, the value is one."""

from __future__ import annotations

import pytest

from newscrawl.discovery.links import looks_like_article


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/?p=123",
        "https://news.example/Article_Page.aspx?ArticleID=5749&Page=1",
        "https://news.example/?fSectionId=467&fArticleId=vn20071230093627575C461",
        "https://news.example/display.php?news_id=100352",
    ],
)
def test_a_story_id_in_the_query_makes_an_article_url(url: str) -> None:
    assert looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/?tag=politics",
        "https://news.example/list?sectionid=20071230",  # a section id is no story id
        "https://news.example/?articleid=latest",  # no number in the value
        "https://news.example/",
    ],
)
def test_other_query_strings_do_not(url: str) -> None:
    assert not looks_like_article(url)
