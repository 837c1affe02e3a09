"""End to end: `scrapy crawl news` against the demo site on 127.0.0.1 into a SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from news_crawl import CrawlResult, run_news_crawl

from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import DemoServer, running_server
from newscrawl.discovery.links import UrlPolicy
from newscrawl.sites import SiteConfig
from newscrawl.storage import ArticleStore, CrawlRun, make_engine

FIXTURE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "demo_pages.json").read_text("utf-8")
)
ARTICLES = [p for p in FIXTURE["pages"] if p["kind"] == "article"]
NON_ARTICLES = [p for p in FIXTURE["pages"] if p["kind"] != "article"]
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with running_server(SITE_DIR) as demo:
        yield demo


@pytest.fixture(scope="module")
def crawled(
    server: DemoServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, CrawlResult]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'news.db'}"
    result = run_news_crawl([f"url={server.url}"], database_url)
    assert result.returncode == 0, result.log[-3000:]
    return database_url, result


@pytest.fixture(scope="module")
def store(crawled: tuple[str, CrawlResult]) -> Iterator[ArticleStore]:
    engine = make_engine(crawled[0])
    yield ArticleStore(engine)
    engine.dispose()


def _last_run(store: ArticleStore) -> CrawlRun:
    return store.list_runs(limit=1)[0]


def test_every_demo_article_is_stored_once(store: ArticleStore, server: DemoServer) -> None:
    assert store.count_articles() == len(ARTICLES)
    for page in ARTICLES:
        assert store.get(server.url.rstrip("/") + page["path"]) is not None, page["path"]


def test_the_seed_article_is_stored_exactly(store: ArticleStore, server: DemoServer) -> None:
    seed = store.get(server.url.rstrip("/") + SEED_PATH)
    expected = next(p for p in ARTICLES if p["path"] == SEED_PATH)
    assert seed is not None
    assert seed.headline == "Russia’s implications from Vladimir Putin’s visit to China"
    assert seed.tags == ("Asia", "Politics")
    assert seed.summary == expected["summary"]
    assert seed.body.startswith("This week, Chinese leaders will meet")
    assert seed.body.endswith("secure their security.")
    assert "\n\nVisit to China\n\n" in seed.body
    assert seed.published_at == datetime.fromisoformat("2023-10-16T09:30:00+05:30")
    assert seed.published_raw == "2023-10-16T09:30:00+05:30"
    assert seed.published_source == "jsonld"


def test_no_row_holds_words_of_the_blocks_around_articles(
    store: ArticleStore, server: DemoServer
) -> None:
    for page in ARTICLES:
        article = store.get(server.url.rstrip("/") + page["path"])
        assert article is not None
        stored = " ".join([article.headline, article.summary or "", article.body, *article.tags])
        for snippet in page["must_not_contain"]:
            assert snippet not in stored, (page["path"], snippet)


def test_non_articles_are_dropped_with_a_named_reason_in_the_stats(
    store: ArticleStore, server: DemoServer
) -> None:
    policy = UrlPolicy.from_site(SiteConfig.ad_hoc(server.url))
    fetched = [
        p for p in NON_ARTICLES if policy.rejection(server.url.rstrip("/") + p["path"]) is None
    ]
    never_fetched = [p["kind"] for p in NON_ARTICLES if p not in fetched]
    assert never_fetched == ["search"]  # search result pages are excluded by the URL policy
    run = _last_run(store)
    assert run.status == "finished"
    assert run.articles_new == len(ARTICLES)
    assert run.drops.get("NotAnArticle") == len(fetched)
    assert run.stats["item_dropped_reasons_count/NotAnArticle"] == len(fetched)
    assert run.stats.get("item_scraped_count") == len(ARTICLES)


def test_a_second_crawl_stores_nothing_new(
    crawled: tuple[str, CrawlResult], server: DemoServer, store: ArticleStore
) -> None:
    again = run_news_crawl([f"url={server.url}"], crawled[0])
    assert again.returncode == 0, again.log[-3000:]
    run: Any = _last_run(store)
    assert run.articles_new == 0
    assert store.count_articles() == len(ARTICLES)
    assert all(
        not store.versions(store.get(server.url.rstrip("/") + p["path"]).id) for p in ARTICLES
    )  # type: ignore[union-attr]


def test_an_unusable_database_stops_the_crawl_at_once(server: DemoServer, tmp_path: Path) -> None:
    result = run_news_crawl([f"url={server.url}"], "mysql://nobody@127.0.0.1/none")
    assert "database not usable" in result.log
    assert "item_scraped_count" not in result.log
