"""The Python API (newscrawl.archive) against a real, Alembic-migrated database: every test taking
``sample`` or ``archive`` runs on a SQLite file and on PostgreSQL; ``index`` is the database's own
full-text index (FTS5 with bm25, or tsvector with ts_rank)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from query_support import (
    CHANGED_BUDGET_HEADLINE,
    HOSTILE_SEARCHES,
    SampleArchive,
    ids_of,
    index_mode,
    sample_articles,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from newscrawl.archive import Archive, ArchiveError, ArticleQuery, QueryError, open_archive
from newscrawl.storage import ArticleStore, make_engine

SAMPLE = {article.canonical_url.rsplit("/", 1)[1]: article for article in sample_articles()}


def _newest_first(sample: SampleArchive) -> list[int]:
    """Expected default order, computed from the input data: newest published first, undated
    last, ties by id descending."""
    dated = [(SAMPLE[slug].published, sample.ids[slug]) for slug in SAMPLE]
    with_date = sorted((d for d in dated if d[0] is not None), reverse=True)
    without = sorted((d for d in dated if d[0] is None), key=lambda d: -d[1])
    return [article_id for _, article_id in with_date + without]


def test_all_articles_newest_first_with_names_and_aware_dates(archive, sample):
    articles = list(archive.articles())
    assert ids_of(articles) == _newest_first(sample)
    for article in articles:
        slug = article.canonical_url.rsplit("/", 1)[1]
        # a tag keeps the spelling it was first stored with ("economy" became "Economy")
        assert [tag.casefold() for tag in article.tags] == [
            tag.casefold() for tag in SAMPLE[slug].tags
        ]
        assert article.authors == SAMPLE[slug].authors
        for moment in (
            article.published_at,
            article.modified_at,
            article.first_seen_at,
            article.last_seen_at,
            article.last_changed_at,
            article.fetched_at,
        ):
            assert moment is None or moment.utcoffset() == timedelta(0)


def test_listed_articles_equal_what_the_store_returns(archive, sample):
    engine = make_engine(sample.url)
    try:
        store = ArticleStore(engine)
        for article in archive.articles():
            assert article == store.get(article.id)
    finally:
        engine.dispose()


def test_small_batches_give_the_same_articles(sample):
    with open_archive(sample.url) as normal, open_archive(sample.url, batch_size=2) as tiny:
        assert list(tiny.articles()) == list(normal.articles())
        assert list(tiny.articles(search="parliament")) == list(
            normal.articles(search="parliament")
        )


@pytest.mark.parametrize(
    ("criteria", "slugs"),
    [
        ({"site": "le_journal"}, {"elections", "odd-headline"}),
        ({"site": "LE_JOURNAL"}, set()),
        ({"site": "nowhere"}, set()),
        ({"tag": "economy"}, {"budget-vote", "harbour-strike"}),
        ({"tag": "  ECONOMY "}, {"budget-vote", "harbour-strike"}),
        ({"tag": "@risk"}, {"formula"}),
        ({"tag": "no such tag"}, set()),
        ({"author": "jane doe"}, {"budget-vote", "harbour-strike"}),
        ({"author": "Max  Mustermann"}, {"harbour-strike"}),
        ({"section": "politics"}, {"budget-vote"}),
        ({"lang": "en"}, {"budget-vote", "harbour-strike", "odd-headline"}),
        ({"lang": "en-gb"}, {"harbour-strike"}),
        ({"lang": "fr"}, {"elections"}),
        ({"site": "daily_news", "tag": "Economy", "author": "Max Mustermann"}, {"harbour-strike"}),
        ({"site": "le_journal", "tag": "Economy"}, set()),
    ],
)
def test_filters(archive, sample, criteria, slugs):
    found = set(ids_of(list(archive.articles(**criteria))))
    assert found == {sample.ids[slug] for slug in slugs}
    assert archive.count(**criteria) == len(slugs)


@pytest.mark.parametrize(
    ("since", "until", "slugs"),
    [
        ("2025-03-01", None, {"budget-vote", "harbour-strike"}),
        (None, "2025-02-28", {"elections", "odd-headline"}),  # a date includes its whole day
        ("2025-03-01T08:00:00Z", "2025-03-01T08:00:00Z", {"budget-vote"}),  # both inclusive
        ("2025-03-01T09:00:00+01:00", None, {"budget-vote", "harbour-strike"}),  # = 08:00Z
        ("2025-03-01T09:00:01+01:00", None, {"harbour-strike"}),
        ("2024-12-31 22:30", "2024-12-31 22:30", {"odd-headline"}),  # naive strings are UTC
        (date(2025, 2, 28), date(2025, 2, 28), {"elections"}),
        (datetime(2025, 3, 2, 11, tzinfo=timezone(timedelta(hours=1))), None, {"harbour-strike"}),
        ("2999-01-01", None, set()),
    ],
)
def test_publication_date_window(archive, sample, since, until, slugs):
    found = set(ids_of(list(archive.articles(since=since, until=until))))
    assert found == {sample.ids[slug] for slug in slugs}


def test_invalid_criteria_raise_query_error(archive):
    with pytest.raises(QueryError, match="invalid date"):
        archive.articles(since="notadate")
    with pytest.raises(QueryError, match="timezone-aware"):
        archive.articles(until=datetime(2025, 1, 1))
    with pytest.raises(QueryError, match="limit"):
        archive.articles(limit=-1)
    with pytest.raises(QueryError, match="offset"):
        archive.articles(offset=-5)
    with pytest.raises(QueryError, match="sort"):
        archive.articles(sort="random")  # type: ignore[arg-type]


def test_limit_offset_and_count_window_the_same_order(archive):
    everything = ids_of(list(archive.articles()))
    assert ids_of(list(archive.articles(limit=2))) == everything[:2]
    assert ids_of(list(archive.articles(limit=2, offset=2))) == everything[2:4]
    assert ids_of(list(archive.articles(offset=4))) == everything[4:]
    assert list(archive.articles(limit=0)) == []
    assert archive.count() == len(everything)
    assert archive.count_query(ArticleQuery(limit=1, offset=3)) == len(everything)


def test_sort_by_first_seen_is_newest_first(archive):
    articles = list(archive.articles(sort="first_seen"))
    seen = [(article.first_seen_at, article.id) for article in articles]
    assert seen == sorted(seen, reverse=True)


def test_relevance_without_search_falls_back_to_publication_date(archive):
    assert list(archive.articles(sort="relevance")) == list(archive.articles())


@pytest.mark.parametrize("mode", ["index", "like"])
@pytest.mark.parametrize(
    ("search", "slugs"),
    [
        ("budget", {"budget-vote"}),
        ("BUDGET parliament", {"budget-vote"}),  # every word must occur
        ("parliament", {"budget-vote", "harbour-strike"}),
        ('"passed the budget"', {"budget-vote"}),  # a phrase
        ('"the budget passed late"', set()),  # words present, phrase absent
        ("harb*", {"harbour-strike", "odd-headline"}),  # prefix
        ("100%", {"budget-vote"}),
        ("visit", {"odd-headline"}),
        ("nonexistentword", set()),
        ("budget OR strike", {"budget-vote", "harbour-strike"}),  # OR is an operator
        ("parliament budget OR strike", {"budget-vote", "harbour-strike"}),
        ("budget OR élections parliament", {"budget-vote"}),  # OR binds tighter than AND
        ("budget OR nonexistentword", {"budget-vote"}),
        ("budget or strike", set()),  # lower-case "or" is a word
        ("OR budget OR", {"budget-vote"}),  # dangling ORs are ignored
        ('"workers strike" OR "passes the budget"', {"budget-vote", "harbour-strike"}),
        ("harb* OR électeurs", {"harbour-strike", "odd-headline", "elections"}),
    ],
)
def test_full_text_search_in_all_modes(sample, mode, search, slugs):
    with open_archive(sample.url, full_text=index_mode(sample, mode)) as opened:
        assert opened.full_text == index_mode(sample, mode)
        found = set(ids_of(list(opened.articles(search=search))))
        assert found == {sample.ids[slug] for slug in slugs}
        assert opened.count(search=search) == len(slugs)


def test_full_text_index_folds_diacritics(archive, sample):
    assert ids_of(list(archive.articles(search="elections"))) == [sample.ids["elections"]]
    assert ids_of(list(archive.articles(search="ÉLECTIONS"))) == [sample.ids["elections"]]


@pytest.mark.parametrize("mode", ["index", "like"])
def test_relevance_puts_headline_matches_first(sample, mode):
    # "harbour" is in one headline and in another article's body only
    with open_archive(sample.url, full_text=index_mode(sample, mode)) as opened:
        ranked = ids_of(list(opened.articles(search="harbour")))
    assert ranked == [sample.ids["harbour-strike"], sample.ids["odd-headline"]]


def test_search_with_sort_published_keeps_date_order(archive, sample):
    found = ids_of(list(archive.articles(search="harbour", sort="published")))
    assert found == [sample.ids["harbour-strike"], sample.ids["odd-headline"]]
    found = ids_of(list(archive.articles(search="parliament", sort="published")))
    assert found == [sample.ids["harbour-strike"], sample.ids["budget-vote"]]


@pytest.mark.parametrize("mode", ["index", "like"])
@pytest.mark.parametrize("search", HOSTILE_SEARCHES)
def test_search_syntax_and_sql_in_user_text_never_raise(sample, mode, search):
    with open_archive(sample.url, full_text=index_mode(sample, mode)) as opened:
        articles = list(opened.articles(search=search))
        assert opened.count(search=search) == len(articles)
        assert opened.count() == len(SAMPLE)


def test_like_wildcards_in_user_text_are_literal(like_archive, sample):
    # "_" would match any character and "%" anything if they reached LIKE unescaped
    assert ids_of(list(like_archive.articles(search="discount_rate"))) == [
        sample.ids["budget-vote"]
    ]
    assert list(like_archive.articles(search="a_c")) == []  # the body has "abc"
    assert list(like_archive.articles(search="1%")) == []  # but has "100%"
    assert list(like_archive.articles(search="%")) == []


def test_sql_in_filter_values_matches_nothing(archive, sample):
    for value in ("' OR '1'='1", "daily_news' --", 'x"; DROP TABLE articles;--', "%", "_"):
        assert list(archive.articles(site=value)) == []
        assert list(archive.articles(tag=value)) == []
        assert list(archive.articles(section=value)) == []
        assert list(archive.articles(author=value)) == []
        assert list(archive.articles(lang=value)) == []
    assert archive.count() == len(SAMPLE)


def test_get_by_id_digits_url_alias_and_canonical(archive, sample):
    budget_id = sample.ids["budget-vote"]
    budget = SAMPLE["budget-vote"]
    by_id = archive.get(budget_id)
    assert by_id is not None
    assert by_id.headline == CHANGED_BUDGET_HEADLINE
    assert archive.get(str(budget_id)) == by_id
    assert archive.get(budget.url) == by_id
    assert archive.get(budget.canonical_url) == by_id
    assert archive.get("https://daily_news.example/unknown") is None
    assert archive.get(max(sample.ids.values()) + 100) is None


def test_versions_hold_the_earlier_state(archive, sample):
    versions = archive.versions(sample.ids["budget-vote"])
    assert [version.headline for version in versions] == [SAMPLE["budget-vote"].headline]
    assert versions[0].tags == SAMPLE["budget-vote"].tags
    assert archive.versions(sample.ids["harbour-strike"]) == []


def test_archive_connections_are_read_only(archive):
    with (
        archive.engine.connect() as connection,
        pytest.raises(DBAPIError, match=r"readonly|read-only"),
    ):
        connection.execute(text("DELETE FROM articles"))
    assert archive.count() == len(SAMPLE)


def test_opening_errors_are_archive_errors(tmp_path):
    with pytest.raises(ArchiveError, match="no database file"):
        Archive.open(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()  # opening never creates a file
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (x)")
    connection.close()
    with pytest.raises(ArchiveError, match="not a newscrawl database"):
        Archive.open(f"sqlite:///{other}")
    with pytest.raises(ArchiveError, match="unsupported database"):
        Archive.open("mysql://nobody@127.0.0.1/none")
    with pytest.raises(ArchiveError):
        Archive.open("not a url")


def test_without_the_fts_index_search_falls_back_to_like(sqlite_sample, tmp_path):
    sample = sqlite_sample
    copy = tmp_path / "no-fts.db"
    shutil.copy(sample.path, copy)
    connection = sqlite3.connect(copy)
    for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
        connection.execute(f"DROP TRIGGER {trigger}")
    connection.execute("DROP TABLE articles_fts")
    connection.commit()
    connection.close()
    with open_archive(f"sqlite:///{copy}") as opened:
        assert opened.full_text == "like"
        assert ids_of(list(opened.articles(search="budget"))) == [sample.ids["budget-vote"]]
    with pytest.raises(ArchiveError, match="FTS5"):
        open_archive(f"sqlite:///{copy}", full_text="fts5")


def test_query_objects_are_validated_and_normalized():
    query = ArticleQuery.build(since="2025-01-01", until=date(2025, 1, 31), search="   ")
    assert query.since == datetime(2025, 1, 1, tzinfo=UTC)
    assert query.until == datetime(2025, 1, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert query.search is None
    assert query.effective_sort == "published"
    assert ArticleQuery(search="x").effective_sort == "relevance"
    assert ArticleQuery(search="x", sort="first_seen").effective_sort == "first_seen"
    with pytest.raises(QueryError):
        ArticleQuery(since=datetime(2025, 1, 1))


def test_a_relative_sqlite_url_opens_the_file_in_the_working_directory(sqlite_sample, monkeypatch):
    assert sqlite_sample.path is not None
    monkeypatch.chdir(sqlite_sample.path.parent)
    with open_archive(f"sqlite:///{sqlite_sample.path.name}") as opened:
        assert opened.count() == len(SAMPLE)


@pytest.mark.parametrize("mode", ["index", "like"])
def test_control_characters_in_search_text_are_separators(sample, mode):
    with open_archive(sample.url, full_text=index_mode(sample, mode)) as opened:
        found = ids_of(list(opened.articles(search="budget\x00parliament")))
    assert found == [sample.ids["budget-vote"]]
