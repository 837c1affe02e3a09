"""Issue 4, "Done when": recurring crawls of a copy of the demo site into one database (a SQLite
file, then a PostgreSQL database).

``python -m newscrawl demo serve --root COPY`` serves the copy; every crawl is a real
``scrapy crawl news -a url=...`` process (at DEBUG, so its log names every page it downloaded).

* run 1 stores every article;
* run 2 (nothing changed) downloads no stored article again and adds no article and no version;
* one article's body is edited (its ``modified`` date moves, as a CMS would do) and one article
  is added, linked from the home page, the feed and the sitemaps; run 3 stores exactly 1 new
  article and 1 new version;
* ``python -m newscrawl runs`` shows the three runs with those counts;
* run 4: the new article is inside its recrawl window (48 h after publication), so it is
  re-checked with a conditional request; the server answers 304 and only ``last_seen_at`` moves.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from recurring_helpers import Completed, demo_serve, run_crawl, run_newscrawl
from sqlalchemy import Engine, text

from newscrawl.demo import SITE_DIR
from newscrawl.storage import ArticleStore, CrawlRun, StoredArticle, make_engine
from tests.conftest import DATABASES
from tools.demo_site.build import DEFAULT_ARTICLES, DemoArticle, build_site

pytestmark = pytest.mark.slow

EDITED_SLUG = "kyrgyz-opposition-groups-form-alliance-ahead-of-local-elections"
EDIT = "Late on Tuesday the alliance named a joint candidate for the mayor's office in Bishkek."
NEW_SLUG = "harbour-authority-approves-night-ferry-trial"
WINDOW = timedelta(hours=48)  # the default recrawl window of an ad-hoc crawl


def changed_articles(now: datetime) -> list[DemoArticle]:
    """The demo articles with one body edited (modified now) plus one new article (5 min old)."""
    articles = list(DEFAULT_ARTICLES)
    index = next(i for i, a in enumerate(articles) if a.slug == EDITED_SLUG)
    old = articles[index]
    articles[index] = dataclasses.replace(
        old, paragraphs=(*old.paragraphs[:-1], f"{old.paragraphs[-1]} {EDIT}"), modified=now
    )
    articles.append(
        DemoArticle(
            slug=NEW_SLUG,
            headline="Harbour authority approves a night ferry trial across the bay",
            categories=("Europe",),
            authors=("Mira Jansen",),
            key_points=("A six-month trial of night ferries starts in spring.",),
            paragraphs=(
                (
                    "The harbour authority on Monday approved a six-month trial of night ferries "
                    "across the bay, after commuters and hospital staff asked for a late service "
                    "that does not depend on the single road bridge."
                ),
                (
                    "Two of the older vessels will run every ninety minutes between eleven at night "
                    "and five in the morning, with fares matching the daytime tickets."
                ),
                (
                    "Operators said the trial would show whether demand justifies a permanent "
                    "timetable, and that results would be published before the summer season."
                ),
            ),
            published=now - timedelta(minutes=5),
            tags=("Transport",),
        )
    )
    return articles


@dataclass
class RunRecord:
    """One crawl, and the database right after it."""

    crawl: Completed
    run: CrawlRun
    articles: int
    versions: int


@dataclass
class Scenario:
    url: str
    edited_url: str
    new_url: str
    runs: list[RunRecord]
    runs_cli: Completed
    before_run3: dict[str, StoredArticle]  # stored articles by URL, read before run 3
    before_run4: StoredArticle  # the new article, read before run 4
    store: ArticleStore
    database_url: str


def article_url(base: str, article: DemoArticle) -> str:
    return base.rstrip("/") + article.path


def count_versions(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM article_versions")).scalar_one())


@pytest.fixture(scope="module", params=DATABASES)
def scenario(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenario]:
    """Four crawls of the demo site into a new SQLite file (auto-migrated by the first crawl), or
    into a PostgreSQL database at head."""
    tmp = tmp_path_factory.mktemp("done_when")
    root = tmp / "site"
    shutil.copytree(SITE_DIR, root)
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp / 'news.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        name = server.create_database(request.getfixturevalue("postgres_template"), prefix="done")
        database_url = server.url(name)
    engine = make_engine(database_url)
    store = ArticleStore(engine)
    runs: list[RunRecord] = []

    def crawl(url: str) -> None:
        result = run_crawl([f"url={url}"], database_url)
        assert result.returncode == 0, result.log[-3000:]
        runs.append(
            RunRecord(
                result, store.list_runs(limit=1)[0], store.count_articles(), count_versions(engine)
            )
        )

    with demo_serve(root) as url:
        crawl(url)
        crawl(url)
        articles = changed_articles(datetime.now(UTC).replace(microsecond=0))
        build_site(root, articles=articles)
        edited_url = next(article_url(url, a) for a in articles if a.slug == EDITED_SLUG)
        new_url = article_url(url, articles[-1])
        before_run3 = {}
        for article in DEFAULT_ARTICLES:
            stored = store.get(article_url(url, article))
            assert stored is not None
            before_run3[article_url(url, article)] = stored
        crawl(url)
        runs_cli = run_newscrawl(database_url, "runs")
        new_article = store.get(new_url)
        assert new_article is not None
        crawl(url)
    yield Scenario(
        url, edited_url, new_url, runs, runs_cli, before_run3, new_article, store, database_url
    )
    engine.dispose()


def downloaded_articles(record: RunRecord, article_urls: set[str]) -> set[str]:
    """Article URLs the crawl downloaded in full (HTTP 200)."""
    return {url for url, status in record.crawl.fetched().items() if status == 200} & article_urls


def test_run1_stores_every_article(scenario: Scenario) -> None:
    first = scenario.runs[0]
    assert first.run.status == "finished"
    assert first.articles == len(DEFAULT_ARTICLES)
    assert first.run.articles_new == len(DEFAULT_ARTICLES)
    assert first.versions == 0


def test_run2_downloads_no_stored_article_and_adds_nothing(scenario: Scenario) -> None:
    second = scenario.runs[1]
    stored_urls = {article_url(scenario.url, a) for a in DEFAULT_ARTICLES}
    assert downloaded_articles(second, stored_urls) == set()
    stats = second.run.stats
    # Every stored article was discovered again and either skipped (outside its recrawl window)
    # or re-checked with a conditional request that got 304 (the undated feature article, whose
    # window runs from when it was first seen).
    assert stats["newscrawl/articles_skipped"] > 0
    assert stats["newscrawl/articles_skipped"] + stats.get(
        "newscrawl/articles_not_modified", 0
    ) == len(DEFAULT_ARTICLES)
    assert second.run.articles_skipped == stats["newscrawl/articles_skipped"]
    assert (second.run.articles_new, second.run.articles_updated) == (0, 0)
    assert second.articles == len(DEFAULT_ARTICLES)
    assert second.versions == 0
    # Sitemap entries dated before run 1 started were not even scheduled.
    assert stats["newscrawl/sitemap_unchanged_filtered"] > 0
    # Start page, feed and sitemaps were read again.
    fetched = second.crawl.fetched()
    base = scenario.url.rstrip("/")
    for path in ("/", "/feed/", "/sitemap.xml", "/sitemap-posts.xml", "/sitemap-news.xml"):
        assert fetched.get(base + path) == 200, path


def test_run3_stores_exactly_one_new_article_and_one_new_version(scenario: Scenario) -> None:
    third = scenario.runs[2]
    assert (third.run.articles_new, third.run.articles_updated) == (1, 1)
    assert third.articles == len(DEFAULT_ARTICLES) + 1
    assert third.versions == 1
    edited_url, new_url = scenario.edited_url, scenario.new_url
    # Of the stored articles, only the edited one (its sitemap lastmod moved) and those still
    # inside their recrawl window were downloaded again.
    third_start = third.run.started_at
    inside_window = {
        url
        for url, article in scenario.before_run3.items()
        if third_start - (article.published_at or article.first_seen_at) < WINDOW
    }
    downloaded = downloaded_articles(third, set(scenario.before_run3) | {new_url})
    assert {edited_url, new_url} <= downloaded <= {edited_url, new_url} | inside_window


def test_the_edit_is_one_version_with_the_previous_body(scenario: Scenario) -> None:
    before = scenario.before_run3[scenario.edited_url]
    after = scenario.store.get(scenario.edited_url)
    assert after is not None
    [version] = scenario.store.versions(after.id)
    assert version.version == 1
    assert version.body == before.body
    assert version.content_hash == before.content_hash
    assert EDIT not in before.body
    assert after.body.endswith(EDIT)
    assert after.content_hash != before.content_hash
    assert before.last_changed_at is None
    assert after.last_changed_at is not None
    assert after.last_changed_at >= scenario.runs[2].run.started_at
    assert after.first_seen_at == before.first_seen_at


def test_runs_command_shows_the_three_runs_with_their_counts(scenario: Scenario) -> None:
    assert scenario.runs_cli.returncode == 0, scenario.runs_cli.log
    lines = scenario.runs_cli.log.strip().splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    rows = {
        cells[0]: dict(zip(header, cells, strict=True))
        for line in lines[1:]
        if not line.lstrip().startswith("error:")
        and len(cells := re.split(r"\s{2,}", line.strip())) == len(header)
    }
    expected = {record.run.id: record.run for record in scenario.runs[:3]}
    assert set(rows) == {str(run_id) for run_id in expected}
    for run_id, run in expected.items():
        row = rows[str(run_id)]
        assert row["status"] == "finished"
        assert row["started (UTC)"] == run.started_at.strftime("%Y-%m-%d %H:%M:%S")
        for column, value in (
            ("pages", run.pages_fetched),
            ("new", run.articles_new),
            ("updated", run.articles_updated),
            ("unchanged", run.articles_unchanged),
            ("skipped", run.articles_skipped),
        ):
            assert row[column] == str(value), (run_id, column)
    first, second, third = (rows[str(record.run.id)] for record in scenario.runs[:3])
    assert (first["new"], first["updated"]) == (str(len(DEFAULT_ARTICLES)), "0")
    assert (second["new"], second["updated"], second["skipped"]) == (
        "0",
        "0",
        str(scenario.runs[1].run.stats["newscrawl/articles_skipped"]),
    )
    assert (third["new"], third["updated"]) == ("1", "1")
    assert "NotAnArticle:" in first["drops"]


def test_run4_rechecks_the_article_inside_its_window_and_gets_304(scenario: Scenario) -> None:
    fourth = scenario.runs[3]
    stats = fourth.run.stats
    assert stats["newscrawl/conditional_requests"] >= 1
    assert stats["newscrawl/articles_not_modified"] >= 1
    assert (fourth.run.articles_new, fourth.run.articles_updated) == (0, 0)
    assert fourth.run.articles_unchanged >= stats["newscrawl/articles_not_modified"]
    assert fourth.versions == 1
    before = scenario.before_run4
    after = scenario.store.get(before.id)
    assert after is not None
    # A 304 costs one write: last_seen_at. Content, fetch time and validators are untouched.
    assert after.last_seen_at > before.last_seen_at
    assert after.last_seen_at >= fourth.run.started_at
    assert (after.fetched_at, after.content_hash, after.etag, after.body) == (
        before.fetched_at,
        before.content_hash,
        before.etag,
        before.body,
    )
    assert after.last_changed_at is None
    assert downloaded_articles(fourth, {after.url}) == set()
