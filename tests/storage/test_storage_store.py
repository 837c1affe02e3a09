"""ArticleStore against a real, Alembic-migrated database: a SQLite file and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import sqlite

from newscrawl.storage.models import UTCDateTime
from tests.storage.conftest import check_full_text_index, full_text_ids

LATER = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
IST = timezone(timedelta(hours=5, minutes=30))


def test_first_save_is_new_and_round_trips(store, make_article):
    article = make_article()
    result = store.save(article)
    assert result.outcome == "new"
    assert result.version is None

    stored = store.get(result.article_id)
    assert stored is not None
    assert stored.site == "example_news"
    assert stored.canonical_url == article.canonical_url
    assert stored.url == article.url
    assert stored.headline == article.headline
    assert stored.body == article.body
    assert stored.summary == article.summary
    assert stored.published_at == article.published
    assert stored.published_raw == "2025-03-01T08:00:00Z"
    assert stored.published_source == "jsonld"
    assert stored.section == "Politics"
    assert stored.language == "en"
    assert stored.image_url == article.image
    assert stored.tags == ("Economy", "Parliament")
    assert stored.authors == ("Jane Doe",)
    assert stored.field_sources == {"headline": "jsonld", "body": "trafilatura"}
    assert stored.content_hash == article.content_hash()
    assert stored.etag == '"v1"'
    assert stored.first_seen_at == stored.last_seen_at == article.fetched_at
    assert stored.last_changed_at is None
    assert set(stored.urls) == {article.url, article.canonical_url}
    assert store.versions(result.article_id) == []


def test_get_by_any_url_and_unknown(store, make_article):
    article = make_article()
    article_id = store.save(article).article_id
    by_alias = store.get(article.url)
    by_canonical = store.get(article.canonical_url)
    assert by_alias is not None
    assert by_canonical is not None
    assert by_alias.id == by_canonical.id == article_id
    assert store.get("https://news.example/never-seen") is None
    assert store.get(article_id + 1) is None


def test_saving_the_same_article_twice_keeps_one_row(store, make_article, raw_db, count):
    article = make_article(tags=("Economy", "economy", " ECONOMY ", "Budget"))
    first = store.save(article)
    second = store.save(article)
    assert (first.outcome, second.outcome) == ("new", "unchanged")
    assert first.article_id == second.article_id
    assert count(raw_db, "articles") == 1
    assert count(raw_db, "sites") == 1
    assert count(raw_db, "tags") == 2
    assert count(raw_db, "article_tags") == 2
    assert count(raw_db, "article_urls") == 2
    assert count(raw_db, "article_versions") == 0


def test_unchanged_resave_refreshes_only_fetch_fields(store, make_article):
    article = make_article()
    article_id = store.save(article).article_id
    again = make_article(
        url="https://news.example/budget-vote?ref=home",
        fetched_at=LATER,
        etag='"v2"',
        last_modified="Sun, 02 Mar 2025 09:30:00 GMT",
        language="de",  # not part of the content hash: an unchanged re-save does not write it
    )
    result = store.save(again)
    assert result.outcome == "unchanged"
    assert result.version is None
    stored = store.get(article_id)
    assert stored is not None
    assert stored.last_seen_at == LATER
    assert stored.fetched_at == LATER
    assert stored.first_seen_at == article.fetched_at
    assert stored.url == "https://news.example/budget-vote?ref=home"
    assert stored.etag == '"v2"'
    assert stored.last_modified == "Sun, 02 Mar 2025 09:30:00 GMT"
    assert stored.language == "en"
    assert stored.last_changed_at is None
    assert store.versions(article_id) == []
    assert store.lookup("https://news.example/budget-vote?ref=home") is not None


def test_changed_content_creates_versions(store, make_article):
    original = make_article()
    article_id = store.save(original).article_id

    edited = make_article(
        headline="Budget vote postponed", tags=("Economy", "Budget"), fetched_at=LATER
    )
    result = store.save(edited)
    assert result.outcome == "updated"
    assert result.article_id == article_id
    assert result.version == 1
    stored = store.get(article_id)
    assert stored is not None
    assert stored.headline == "Budget vote postponed"
    assert stored.tags == ("Economy", "Budget")
    assert stored.last_changed_at == LATER
    assert stored.content_hash == edited.content_hash()

    third_seen = LATER + timedelta(days=1)
    result = store.save(make_article(body="Corrected body.", fetched_at=third_seen))
    assert (result.outcome, result.version) == ("updated", 2)

    versions = store.versions(article_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].headline == original.headline
    assert versions[0].tags == ("Economy", "Parliament")
    assert versions[0].authors == ("Jane Doe",)
    assert versions[0].content_hash == original.content_hash()
    assert versions[0].captured_at == LATER
    assert versions[1].headline == "Budget vote postponed"
    assert versions[1].body == original.body
    assert versions[1].captured_at == third_seen
    assert store.get(article_id).last_changed_at == third_seen


def test_tags_and_authors_deduplicated_case_insensitively_across_articles(
    store, make_article, raw_db, count
):
    first = store.save(
        make_article("a", tags=("Economy", "Politics"), authors=("Jane Doe", "Max Mustermann"))
    )
    second = store.save(
        make_article("b", tags=("POLITICS", "economy", "Sport"), authors=("jane  doe",))
    )
    assert count(raw_db, "tags") == 3
    assert count(raw_db, "authors") == 2
    a, b = store.get(first.article_id), store.get(second.article_id)
    assert a.tags == ("Economy", "Politics")
    assert b.tags == ("Politics", "Economy", "Sport")  # first-seen display form, this order
    assert b.authors == ("Jane Doe",)
    keys = [key for (key,) in raw_db.execute("SELECT key FROM tags ORDER BY key")]
    assert keys == ["economy", "politics", "sport"]


def test_update_replaces_tag_links(store, make_article, raw_db, count):
    article_id = store.save(make_article(tags=("Economy", "Parliament"))).article_id
    store.save(make_article(tags=("Sport",), fetched_at=LATER))
    assert store.get(article_id).tags == ("Sport",)
    assert count(raw_db, "article_tags") == 1


def test_datetimes_round_trip_as_utc(store, make_article, raw_db):
    published = datetime(2025, 3, 1, 12, 0, tzinfo=IST)
    modified = datetime(2025, 3, 1, 23, 15, 30, 123456, tzinfo=timezone(timedelta(hours=-5)))
    article_id = store.save(make_article(published=published, modified=modified)).article_id
    stored = store.get(article_id)
    assert stored.published_at == published
    assert stored.published_at.utcoffset() == timedelta(0)
    assert (stored.published_at.hour, stored.published_at.minute) == (6, 30)
    assert stored.modified_at == modified
    assert stored.modified_at.tzinfo is UTC
    raw = raw_db.execute("SELECT published_at, modified_at FROM articles").fetchone()
    if raw_db.backend == "sqlite":  # no timestamp type: naive UTC text
        assert raw == ("2025-03-01 06:30:00.000000", "2025-03-02 04:15:30.123456")
    else:  # timestamptz: the same instants
        assert raw == (published, modified)


def test_naive_datetimes_are_rejected_and_nothing_is_written(store, make_article, raw_db, count):
    with pytest.raises(ValueError, match="naive"):
        store.save(make_article(published=datetime(2025, 3, 1, 8, 0)))
    with pytest.raises(ValueError, match="naive"):
        store.save(make_article(), seen_at=datetime(2025, 3, 1, 8, 0))
    assert count(raw_db, "articles") == 0
    assert count(raw_db, "sites") == 0
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 3, 1), sqlite.dialect())


def test_lookup_and_touch_through_any_url(store, make_article):
    article = make_article()
    article_id = store.save(article).article_id
    found = store.lookup(article.url)
    assert found is not None
    assert found.article_id == article_id
    assert found.canonical_url == article.canonical_url
    assert found.published_at == article.published
    assert found.etag == '"v1"'
    assert found.last_modified == article.last_modified
    assert store.lookup("https://news.example/unknown") is None

    assert store.touch(article.url, LATER) is True
    assert store.lookup(article.canonical_url).last_seen_at == LATER
    assert store.touch(article.canonical_url, LATER - timedelta(days=3)) is True
    assert store.lookup(article.url).last_seen_at == LATER  # never moves backwards
    assert store.get(article_id).fetched_at == article.fetched_at  # touch changes nothing else
    assert store.touch("https://news.example/unknown", LATER) is False


def test_alias_url_follows_the_latest_resolution(store, make_article):
    old = store.save(make_article("old", url="https://news.example/share/1"))
    new = store.save(make_article("new", url="https://news.example/share/1"))
    assert old.article_id != new.article_id
    assert store.lookup("https://news.example/share/1").article_id == new.article_id
    assert store.lookup("https://news.example/old").article_id == old.article_id


def test_full_text_search_follows_inserts_updates_and_deletes(store, make_article, engine, raw_db):
    first = store.save(make_article("a", body="Die Wahlen in Österreich: élections anticipées."))
    second = store.save(make_article("b", body="Weather report: sunshine all week."))
    assert full_text_ids(engine, "élections") == {first.article_id}
    assert full_text_ids(engine, "elections") == {first.article_id}  # diacritics folded
    assert full_text_ids(engine, "osterreich") == {first.article_id}
    assert full_text_ids(engine, "sunshine") == {second.article_id}

    store.save(make_article("b", body="Weather report: thunderstorms expected.", fetched_at=LATER))
    assert full_text_ids(engine, "sunshine") == set()
    assert full_text_ids(engine, "thunderstorms") == {second.article_id}
    store.touch("https://news.example/b", LATER + timedelta(days=1))
    store.save(make_article("b", body="Weather report: thunderstorms expected.", fetched_at=LATER))
    assert full_text_ids(engine, "thunderstorms") == {second.article_id}

    with engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": first.article_id})
    assert full_text_ids(engine, "elections") == set()
    check_full_text_index(raw_db)


def test_deleting_an_article_cascades_to_its_links(store, make_article, engine):
    article_id = store.save(make_article(fetched_at=LATER - timedelta(days=1))).article_id
    store.save(make_article(headline="New headline", fetched_at=LATER))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
        left = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("article_tags", "article_authors", "article_urls", "article_versions")
        }
    assert left == dict.fromkeys(left, 0)
