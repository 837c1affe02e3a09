"""Every page of the bundled demo site against its committed expectations (fixture + JSON):
articles field by field, every other page dropped as not an article."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from demo_pages import expectations, process

PAGES = expectations()["pages"]
ARTICLES = [p for p in PAGES if p["kind"] == "article"]
OTHERS = [p for p in PAGES if p["kind"] != "article"]


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def test_the_site_has_what_the_demo_promises() -> None:
    kinds = {p["kind"] for p in PAGES}
    assert len(PAGES) >= 25 and len(ARTICLES) >= 16
    assert {"home", "category", "tag", "author", "about", "contact", "search"} <= kinds
    assert any(p["language"] == "de" for p in ARTICLES)
    assert any(p["published"] is None for p in ARTICLES)
    assert any(p["jsonld"] is None for p in ARTICLES) and any(p["jsonld"] for p in ARTICLES)


@pytest.mark.parametrize("page", ARTICLES, ids=[p["path"] for p in ARTICLES])
def test_article_fields(page: dict[str, Any]) -> None:
    outcome = process(page["path"])
    assert outcome.drop is None, outcome.drop
    article = outcome.article
    assert article is not None
    assert article.headline == page["headline"]
    assert article.published == _instant(page["published"])
    assert article.modified == _instant(page["modified"])
    assert article.section == page["section"]
    assert list(article.tags) == page["tags"]
    assert list(article.authors) == page["authors"]
    assert article.language == page["language"]
    assert article.summary == page["summary"]
    assert article.body.startswith(page["body_first"])
    assert article.body.endswith(page["body_last"])
    for snippet in page["must_contain"]:
        assert snippet in article.body
    stored = " ".join([article.headline, article.summary or "", article.body, *article.tags])
    for snippet in page["must_not_contain"]:
        assert snippet not in stored


@pytest.mark.parametrize("page", OTHERS, ids=[p["path"] for p in OTHERS])
def test_non_article_pages_are_dropped_as_not_articles(page: dict[str, Any]) -> None:
    assert process(page["path"]).reason == "NotAnArticle"


def test_german_date_comes_from_the_visible_german_text() -> None:
    german = next(p for p in ARTICLES if p["language"] == "de")
    article = process(german["path"]).article
    assert article is not None
    assert article.published_source == "time"
    assert article.published_raw is not None and "November" in article.published_raw


def test_undated_article_has_no_date_rather_than_the_header_or_crawl_date() -> None:
    undated = next(p for p in ARTICLES if p["published"] is None)
    article = process(undated["path"]).article
    assert article is not None
    assert article.published is None and article.published_source is None
