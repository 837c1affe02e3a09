"""Fixtures for the archive query tests.

``demo``: the bundled demo site really crawled (``scrapy crawl news`` subprocess against the demo
server on 127.0.0.1) into a fresh SQLite file, once per session (``postgres_demo``: the same into
a PostgreSQL database). ``sample``: a small archive of hand-built articles saved through
:class:`ArticleStore`, once per session and per database (SQLite, PostgreSQL; ``sqlite_sample``
for tests of SQLite files). Tests only read them.
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
from tests.conftest import DATABASES
from tests.crawl.news_crawl import run_news_crawl
from tests.servers.postgres import PostgresServer


@dataclass(frozen=True, slots=True)
class DemoArchive:
    """The crawled demo database: its URL and file, the demo server's URL, the seed article."""

    url: str
    path: Path | None  # None on PostgreSQL
    server_url: str
    seed_id: int
    seed_url: str
    article_count: int


def crawl_demo(url: str, path: Path | None) -> DemoArchive:
    """Crawl the demo site into the database at ``url`` (at head, or auto-migrated SQLite)."""
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
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoArchive:
    path = tmp_path_factory.mktemp("query-demo") / "news.db"
    return crawl_demo(f"sqlite:///{path}", path)


@pytest.fixture(scope="session")
def postgres_demo(postgres_server: PostgresServer, postgres_template: str) -> DemoArchive:
    """The demo site crawled into a PostgreSQL database brought to head beforehand (as a user
    runs ``python -m newscrawl db upgrade``: crawls never migrate a server database)."""
    name = postgres_server.create_database(postgres_template, prefix="demo")
    return crawl_demo(postgres_server.url(name), None)


@pytest.fixture(scope="session")
def sqlite_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleArchive:
    return build_sample_archive(tmp_path_factory.mktemp("query-sample") / "sample.db")


@pytest.fixture(scope="session", params=DATABASES)
def sample(request: pytest.FixtureRequest) -> SampleArchive:
    """The sample archive on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_sample")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database(prefix="sample")
    return build_sample_archive(server.url(name))


@pytest.fixture
def archive(sample: SampleArchive) -> Iterator[Archive]:
    """The sample archive opened read-only with its database's full-text index."""
    with open_archive(sample.url) as opened:
        yield opened


@pytest.fixture
def like_archive(sample: SampleArchive) -> Iterator[Archive]:
    """The sample archive with the portable LIKE search forced."""
    with open_archive(sample.url, full_text="like") as opened:
        yield opened
