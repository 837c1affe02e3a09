"""Fixtures for the recurring-crawl tests: a real database migrated by Alembic, once a SQLite file
and once a PostgreSQL database (``database_url``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine

FETCHED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_url(database_url: str) -> str:
    """URL of a fresh database migrated to head (SQLite, then PostgreSQL)."""
    return database_url


@pytest.fixture
def store(db_url: str) -> Iterator[ArticleStore]:
    engine = make_engine(db_url)
    yield ArticleStore(engine)
    engine.dispose()


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """``make_article(slug, **overrides)``: an Article of site ``worldmag``."""

    def build(slug: str = "budget-vote", **overrides: Any) -> Article:
        fields: dict[str, Any] = {
            "url": f"https://worldmag.example/2025/03/01/{slug}/",
            "canonical_url": f"https://worldmag.example/2025/03/01/{slug}/",
            "site": "worldmag",
            "headline": f"Headline of {slug}",
            "body": f"The parliament debated the {slug} until late at night.",
            "fetched_at": FETCHED_AT,
            "published": datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
            "tags": ("Politics",),
            "authors": ("Jane Doe",),
            "etag": '"v1"',
            "last_modified": "Sat, 01 Mar 2025 08:00:00 GMT",
        }
        fields.update(overrides)
        return Article(**fields)

    return build
