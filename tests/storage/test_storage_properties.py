"""Property tests: upserts are idempotent and versions appear exactly when content changes.

Every example gets its own copy of one Alembic-migrated database: a SQLite file, and a PostgreSQL
database (``CREATE DATABASE .. TEMPLATE``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.store import name_key
from tests.conftest import DATABASES
from tests.profiles import examples
from tests.storage.conftest import RawDatabase, check_full_text_index

TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
FETCHED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PROPERTY_SETTINGS = settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

names = st.lists(
    st.sampled_from(["Economy", "economy", " ECONOMY ", "Sport", "sport", "Straße", "STRASSE"])
    | st.text(TEXT, max_size=12),
    max_size=6,
)
aware_datetimes = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2100, 1, 1),
    timezones=st.timezones(),
    allow_imaginary=False,
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    canonical = "https://news.example/story"
    return Article(
        url=draw(st.sampled_from([canonical, canonical + "?utm_source=x", canonical + "/amp"])),
        canonical_url=canonical,
        site=draw(st.sampled_from(["example_news", "other"])),
        headline=draw(st.text(TEXT, min_size=1, max_size=40)),
        body=draw(st.text(TEXT, max_size=200)),
        fetched_at=FETCHED_AT,
        summary=draw(st.none() | st.text(TEXT, max_size=40)),
        published=draw(st.none() | aware_datetimes),
        modified=draw(st.none() | aware_datetimes),
        section=draw(st.none() | st.sampled_from(["Politics", "Sport"])),
        tags=tuple(draw(names)),
        authors=tuple(draw(names)),
        language=draw(st.none() | st.sampled_from(["en", "de"])),
        sources={"headline": draw(st.sampled_from(["jsonld", "h1"]))},
    )


@pytest.fixture(params=DATABASES)
def template_db(request: pytest.FixtureRequest) -> Callable[[], AbstractContextManager[str]]:
    """``fresh()``: a context giving the URL of a new database at head, deleted afterwards."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_template")

        @contextmanager
        def fresh_sqlite() -> Iterator[str]:
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / "news.db"
                shutil.copyfile(template, path)
                yield f"sqlite:///{path}"

        return fresh_sqlite
    server = request.getfixturevalue("postgres_server")
    pg_template: str = request.getfixturevalue("postgres_template")

    @contextmanager
    def fresh_postgres() -> Iterator[str]:
        name = server.create_database(pg_template)
        try:
            yield server.url(name)
        finally:
            server.drop_database(name)

    return fresh_postgres


@contextmanager
def fresh_store(
    fresh: Callable[[], AbstractContextManager[str]],
) -> Iterator[tuple[ArticleStore, RawDatabase]]:
    """A store on a new database at head, plus a raw connection to it."""
    with fresh() as url:
        engine = make_engine(url)
        raw = RawDatabase(url)
        try:
            yield ArticleStore(engine), raw
        finally:
            raw.close()
            engine.dispose()


def _rows(raw: RawDatabase, table: str) -> int:
    return int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _expected_keys(values: tuple[str, ...]) -> list[str]:
    keys: list[str] = []
    for value in values:
        key = name_key(value)
        if key and key not in keys:
            keys.append(key)
    return keys


@PROPERTY_SETTINGS
@given(article=articles(), repeats=st.integers(min_value=2, max_value=4))
def test_saving_repeatedly_stores_one_article(template_db, article, repeats):
    with fresh_store(template_db) as (store, raw):
        results = [store.save(article) for _ in range(repeats)]
        assert [r.outcome for r in results] == ["new"] + ["unchanged"] * (repeats - 1)
        assert len({r.article_id for r in results}) == 1
        assert _rows(raw, "articles") == 1
        assert _rows(raw, "article_versions") == 0
        assert _rows(raw, "article_urls") == len({article.url, article.canonical_url})

        stored = store.get(article.url)
        assert stored is not None
        assert (stored.headline, stored.body, stored.summary) == (
            article.headline,
            article.body,
            article.summary,
        )
        # Compare instants in UTC: PEP 495 makes any comparison involving an ambiguous local
        # time (a DST fold, e.g. 01:00 on a fall-back night) unequal across zones.
        assert stored.published_at == _utc(article.published)
        assert stored.modified_at == _utc(article.modified)
        for value in (stored.published_at, stored.modified_at, stored.last_seen_at):
            assert value is None or value.utcoffset() == timedelta(0)
        assert [name_key(tag) for tag in stored.tags] == _expected_keys(article.tags)
        assert [name_key(a) for a in stored.authors] == _expected_keys(article.authors)
        assert _rows(raw, "article_tags") == len(_expected_keys(article.tags))
        check_full_text_index(raw)


@PROPERTY_SETTINGS
@given(
    headlines=st.lists(st.sampled_from(["Vote today", "Vote postponed", "Vote held"]), min_size=1)
)
def test_a_version_is_written_exactly_when_content_changes(template_db, headlines):
    with fresh_store(template_db) as (store, raw):
        expected: list[str] = []
        for n, headline in enumerate(headlines):
            article = Article(
                url="https://news.example/vote",
                canonical_url="https://news.example/vote",
                site="example_news",
                headline=headline,
                body="The vote.",
                fetched_at=FETCHED_AT + timedelta(hours=n),
            )
            if n == 0:
                expected.append("new")
            else:
                expected.append("unchanged" if headline == headlines[n - 1] else "updated")
            result = store.save(article)
            assert result.outcome == expected[-1]
            assert (result.version is not None) == (result.outcome == "updated")
        versions = store.versions(result.article_id)
        assert len(versions) == expected.count("updated")
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        changed_at = [
            FETCHED_AT + timedelta(hours=n) for n, o in enumerate(expected) if o == "updated"
        ]
        assert [v.captured_at for v in versions] == changed_at
        assert store.get(result.article_id).last_changed_at == (
            changed_at[-1] if changed_at else None
        )
        check_full_text_index(raw)


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None
