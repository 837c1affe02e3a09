"""Issue 14, finding 10: URL variants of one story are one row, the other URLs its aliases.

Runs on SQLite and (marked slow) PostgreSQL through the ``database_url`` fixture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.models import ArticleRow, ArticleUrlRow

FETCHED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[ArticleStore]:
    engine = make_engine(database_url)
    try:
        yield ArticleStore(engine)
    finally:
        engine.dispose()


def _article(url: str, *, site: str = "news", headline: str = "Harbour clean-up starts") -> Article:
    return Article(
        url=url,
        canonical_url=url,
        site=site,
        headline=headline,
        body="The harbour clean-up starts in June.\n\nDivers will remove old nets first.",
        fetched_at=FETCHED_AT,
        published=datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
        image=f"{url.split('/2025')[0]}/img/harbour.jpg",  # differs per host variant
        tags=("Harbour",),
    )


def _rows(store: ArticleStore) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(ArticleRow)).scalar_one())


def _aliases(store: ArticleStore, article_id: int) -> set[str]:
    with store.engine.connect() as connection:
        return set(
            connection.execute(
                select(ArticleUrlRow.url).where(ArticleUrlRow.article_id == article_id)
            ).scalars()
        )


VARIANTS = [
    "https://www.news.example/2025/03/01/harbour-clean-up/",
    "https://news.example/2025/03/01/harbour-clean-up",
    "https://news.example/2025/03/01/Harbour-Clean-Up/",
]


def test_url_variants_without_a_canonical_are_one_row_with_aliases(store: ArticleStore) -> None:
    first = store.save(_article("https://news.example/2025/03/01/harbour-clean-up/"))
    assert first.outcome == "new"
    for url in VARIANTS:
        again = store.save(_article(url))
        assert (again.outcome, again.article_id) == ("unchanged", first.article_id)
    assert _rows(store) == 1
    aliases = _aliases(store, first.article_id)
    assert set(VARIANTS) <= aliases
    for url in VARIANTS:  # every variant finds the one row
        stored = store.get(url)
        assert stored is not None and stored.id == first.article_id
    # idempotent: saving the variants again changes nothing
    for url in VARIANTS:
        assert store.save(_article(url)).article_id == first.article_id
    assert _rows(store) == 1 and _aliases(store, first.article_id) == aliases


def test_a_canonical_that_changes_between_runs_keeps_one_row(store: ArticleStore) -> None:
    fetched = "https://news.example/2025/03/01/harbour-clean-up/?page=1"
    old = dataclasses.replace(
        _article(fetched), canonical_url="https://news.example/2025/03/01/harbour-clean-up/"
    )
    first = store.save(old)
    new = dataclasses.replace(
        old,
        canonical_url="https://news.example/city/harbour-clean-up-starts/",
        fetched_at=FETCHED_AT + timedelta(days=1),
    )
    second = store.save(new)
    assert second.article_id == first.article_id
    assert _rows(store) == 1
    assert new.canonical_url in _aliases(store, first.article_id)
    stored = store.get(new.canonical_url)
    assert stored is not None and stored.last_seen_at == FETCHED_AT + timedelta(days=1)


def test_different_stories_or_sites_are_never_merged(store: ArticleStore) -> None:
    store.save(_article("https://news.example/2025/03/01/harbour-clean-up/"))
    other_site = store.save(
        _article("https://www.news.example/2025/03/01/harbour-clean-up/x", site="other")
    )
    other_headline = store.save(
        _article("https://news.example/2025/03/01/harbour-2/", headline="Harbour clean-up delayed")
    )
    changed_body = store.save(
        dataclasses.replace(
            _article("https://news.example/2025/03/01/harbour-3/"), body="A different story."
        )
    )
    assert {other_site.outcome, other_headline.outcome, changed_body.outcome} == {"new"}
    assert _rows(store) == 4
