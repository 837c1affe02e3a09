"""Fixtures for the ``newscrawl browse`` tests.

``demo_archive``: the bundled demo site really crawled (``scrapy crawl news`` against the demo
server on 127.0.0.1) into a fresh SQLite file, once per session; it holds the seed article.
``browse``: one ``newscrawl browse`` subprocess over it for the module. ``changed_archive``: a
small archive saved through :class:`ArticleStore` whose article changed once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browse_support import (
    SEED_HEADLINE,
    SEED_PATH,
    Browse,
    ChangedArchive,
    DemoArchive,
    build_changed_archive,
    start_browse,
)

from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import running_server
from newscrawl.storage import ArticleStore, make_engine
from tests.crawl.news_crawl import run_news_crawl


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> DemoArchive:
    path = tmp_path_factory.mktemp("browse-demo") / "news.db"
    url = f"sqlite:///{path}"
    with running_server(SITE_DIR) as server:
        result = run_news_crawl([f"url={server.url}"], url)
        seed_url = server.url.rstrip("/") + SEED_PATH
    assert result.returncode == 0, result.log[-3000:]
    engine = make_engine(url)
    try:
        store = ArticleStore(engine)
        seed = store.get(seed_url)
        assert seed is not None and seed.headline == SEED_HEADLINE
        count = store.count_articles()
    finally:
        engine.dispose()
    return DemoArchive(url, path, seed.id, seed_url, count)


@pytest.fixture(scope="module")
def browse(demo_archive: DemoArchive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browse]:
    running = start_browse(demo_archive.url, tmp_path_factory.mktemp("browse"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def changed_archive(tmp_path_factory: pytest.TempPathFactory) -> ChangedArchive:
    """A small archive whose one article changed once (so it has one earlier version)."""
    return build_changed_archive(tmp_path_factory.mktemp("browse-changed") / "changed.db")
