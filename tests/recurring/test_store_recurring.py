"""The store's side of recurring crawls, on a real migrated database (SQLite and PostgreSQL): versions only on
change, a touch moves nothing but ``last_seen_at``, and the run/lease reads the scheduler uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from newscrawl.items import Article
from newscrawl.storage import ArticleStore

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def row_snapshot(db_url: str, article_id: int) -> tuple[object, ...]:
    engine = create_engine(db_url)  # a plain engine: the raw stored values
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT * FROM articles WHERE id = :id"), {"id": article_id}
            ).one()
            versions = connection.execute(text("SELECT count(*) FROM article_versions")).scalar()
    finally:
        engine.dispose()
    return (*row, versions)


def test_a_change_writes_exactly_one_version_and_sets_last_changed_at(
    store: ArticleStore, make_article: Callable[..., Article]
) -> None:
    first = store.save(make_article())
    assert first.outcome == "new"
    same = store.save(make_article(fetched_at=T0 + timedelta(hours=1)))
    assert (same.outcome, same.version) == ("unchanged", None)
    assert store.versions(first.article_id) == []
    assert store.get(first.article_id).last_changed_at is None  # type: ignore[union-attr]

    edited = make_article(body="A corrected body.", fetched_at=T0 + timedelta(hours=2))
    changed = store.save(edited)
    assert (changed.outcome, changed.version) == ("updated", 1)
    [version] = store.versions(first.article_id)
    assert version.body == make_article().body
    assert version.content_hash == make_article().content_hash()
    article = store.get(first.article_id)
    assert article is not None
    assert article.body == "A corrected body."
    assert article.last_changed_at == T0 + timedelta(hours=2)

    again = store.save(make_article(body="A corrected body.", fetched_at=T0 + timedelta(hours=3)))
    assert again.outcome == "unchanged"
    assert len(store.versions(first.article_id)) == 1


def test_a_touch_moves_only_last_seen_at(
    store: ArticleStore, db_url: str, make_article: Callable[..., Article]
) -> None:
    saved = store.save(make_article())
    before = row_snapshot(db_url, saved.article_id)
    assert store.touch(make_article().canonical_url, T0 + timedelta(days=1))
    after = row_snapshot(db_url, saved.article_id)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    article = store.get(saved.article_id)
    assert article is not None
    assert article.last_seen_at == T0 + timedelta(days=1)
    assert len(changed) == 1  # one column: last_seen_at
    assert not store.touch("https://worldmag.example/unknown/", T0)


def test_lookup_finds_an_article_by_fetched_or_canonical_url(
    store: ArticleStore, make_article: Callable[..., Article]
) -> None:
    article = make_article(url="https://worldmag.example/2025/03/01/budget-vote/?utm_source=x")
    store.save(article)
    for url in (article.url, article.canonical_url):
        known = store.lookup(url)
        assert known is not None
        assert (known.canonical_url, known.etag) == (article.canonical_url, '"v1"')
        assert known.last_seen_at == article.fetched_at
    assert store.lookup("https://worldmag.example/other/") is None


def test_last_run_and_last_finished_run(store: ArticleStore) -> None:
    assert store.last_run("worldmag") is None
    first = store.start_run("worldmag", 1, "h", T0)
    store.finish_run(first, "finished", finished_at=T0 + timedelta(minutes=1))
    second = store.start_run("worldmag", 2, "h", T0 + timedelta(hours=1))
    store.finish_run(second, "failed", finished_at=T0 + timedelta(hours=1, minutes=1))
    store.start_run("other", 3, "h", T0 + timedelta(hours=2))
    last = store.last_run("worldmag")
    assert last is not None and last.id == second
    finished = store.last_run("worldmag", status="finished")
    assert finished is not None and (finished.id, finished.started_at) == (first, T0)
    assert store.last_run("nobody", status="finished") is None


def test_run_of_process_finds_the_run_a_crawl_process_recorded(store: ArticleStore) -> None:
    old = store.start_run("worldmag", 42, "h", T0)
    new = store.start_run("worldmag", 42, "h", T0 + timedelta(hours=1))
    found = store.run_of_process(42, "h", started_after=T0 + timedelta(minutes=30))
    assert found is not None and found.id == new
    found = store.run_of_process(42, "h", started_after=T0)
    assert found is not None and found.id == new != old
    assert store.run_of_process(42, "other-host", started_after=T0) is None
    assert store.run_of_process(42, "h", started_after=T0 + timedelta(hours=2)) is None


def test_lock_holder_reports_the_unexpired_lease(store: ArticleStore) -> None:
    ttl = timedelta(minutes=5)
    assert store.lock_holder("crawl:worldmag", now=T0) is None
    assert store.try_lock("crawl:worldmag", "host:1:a", ttl, now=T0)
    assert not store.try_lock("crawl:worldmag", "host:2:b", ttl, now=T0 + timedelta(minutes=1))
    lease = store.lock_holder("crawl:worldmag", now=T0 + timedelta(minutes=1))
    assert lease is not None
    assert (lease.holder, lease.acquired_at, lease.expires_at) == ("host:1:a", T0, T0 + ttl)
    assert store.lock_holder("crawl:worldmag", now=T0 + timedelta(minutes=6)) is None  # expired
    assert store.release_lock("crawl:worldmag", "host:1:a")
    assert store.lock_holder("crawl:worldmag", now=T0) is None
