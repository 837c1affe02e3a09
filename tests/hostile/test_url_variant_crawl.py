"""Issue 14, finding 10, end to end: a site without canonical links whose pages link to its
stories under ``www.``/bare host, trailing-slash and letter-case variants stores each story once.

``news.example`` and ``www.news.example`` resolve to 127.0.0.1 (tests/faults/loopback_dns.py);
the server answers every variant with the story's page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.models import ArticleRow
from tests.crawl.news_crawl import run_news_crawl
from tests.faults.fault_server import Reply, Route, running_server
from tests.faults.news_site import article_html, english_story, listing_html
from tests.faults.scenarios import FAULT_SETTINGS, LOOPBACK_RESOLVER

pytestmark = pytest.mark.slow

STORIES = [
    english_story(f"variant-{n}", f"/2024/05/03/variant-story-{n}/", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Tram depot gets solar roof", "the solar roof"),
            ("Market hall reopens after fire", "the market hall"),
            ("New footbridge links the two banks", "the footbridge"),
        ]
    )
]


def test_url_variants_of_a_story_are_one_row_with_aliases(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'news.db'}"
    with running_server(lambda path: None) as server:
        base = f"http://news.example:{server.port}/"
        www = f"http://www.news.example:{server.port}"
        routes: dict[str, Route] = {}
        links: list[tuple[str, str]] = []
        for story in STORIES:
            page = (Reply(200, article_html(story, base, canonical=False).encode()),)
            for path in (story.path, story.path.rstrip("/"), story.path.upper()):
                routes[path] = page
            links += [
                (story.path, story.headline),
                (www + story.path, story.headline),  # one www link per story
                (story.path.rstrip("/"), story.headline),
                (story.path.upper(), story.headline),
            ]
        routes["/"] = (Reply(200, listing_html("Front", links).encode()),)
        server.resolve = routes.get
        settings = {**FAULT_SETTINGS, "DNS_RESOLVER": LOOPBACK_RESOLVER}
        crawl = run_news_crawl([f"url={base}"], database_url, settings=settings)
        assert crawl.returncode == 0, crawl.log[-2000:]
        fetched = [r.path for r in server.requests() if r.path.startswith("/2024/")]
    assert len(fetched) >= 3 * len(STORIES)  # the variants were fetched, not just skipped
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
        store = ArticleStore(engine)
        assert rows == len(STORIES)
        for story in STORIES:
            variants = [
                base.rstrip("/") + story.path,
                www + story.path,
                base.rstrip("/") + story.path.rstrip("/"),
                base.rstrip("/") + story.path.upper(),
            ]
            found = [store.get(url) for url in variants]
            assert all(article is not None for article in found), story.key
            assert len({article.id for article in found if article is not None}) == 1
            assert found[0] is not None and found[0].headline == story.headline
    finally:
        engine.dispose()
