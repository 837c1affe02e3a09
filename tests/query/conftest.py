"""Fixtures for the archive query tests.

``demo``: the bundled demo site really crawled (``scrapy crawl news`` subprocess against the demo
server on 127.0.0.1) into a fresh SQLite file, once per session. ``sample``: a small archive of
hand-built articles saved through :class:`ArticleStore`, once per session. Tests only read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from query_support import SEED_HEADLINE, SEED_PATH, SampleArchive, build_sample_archive

from newscrawl.archive import Archive, open_archive
from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import running_server
from newscrawl.storage import ArticleStore, make_engine
from tests.crawl.news_crawl import run_news_crawl


@dataclass(frozen=True, slots=True)
class DemoArchive:
    """The crawled demo database: its URL and file, the demo server's URL, the seed article."""

    url: str
    path: Path
    server_url: str
    seed_id: int
    seed_url: str
    article_count: int


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoArchive:
    path = tmp_path_factory.mktemp("query-demo") / "news.db"
    url = f"sqlite:///{path}"
    with running_server(SITE_DIR) as server:
        result = run_news_crawl([f"url={server.url}"], url)
        server_url = server.url
    assert result.returncode == 0, result.log[-3000:]
    engine = make_engine(url)
    try:
        store = ArticleStore(engine)
        seed_url = server_url.rstrip("/") + SEED_PATH
        seed = store.get(seed_url)
        assert seed is not None and seed.headline == SEED_HEADLINE
        count = store.count_articles()
    finally:
        engine.dispose()
    return DemoArchive(url, path, server_url, seed.id, seed_url, count)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleArchive:
    return build_sample_archive(tmp_path_factory.mktemp("query-sample") / "sample.db")


@pytest.fixture
def archive(sample: SampleArchive) -> Iterator[Archive]:
    """The sample archive opened read-only with FTS5 search."""
    with open_archive(sample.url) as opened:
        yield opened


@pytest.fixture
def like_archive(sample: SampleArchive) -> Iterator[Archive]:
    """The sample archive with the portable LIKE search forced (as on PostgreSQL)."""
    with open_archive(sample.url, full_text="like") as opened:
        yield opened
