"""Issue 14, finding 1, end to end: Alice's site declares Bob's article as its canonical URL.

Bob's site is crawled first into a SQLite file, then Alice's into the same file. Alice's page must
be stored under her own URL, Bob's row must keep his headline and body, and the refusal is
counted. Sites on other host names resolve to 127.0.0.1 (tests/faults/loopback_dns.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.models import ArticleRow
from tests.crawl.news_crawl import run_news_crawl
from tests.faults.fault_server import Reply, running_server
from tests.faults.news_site import Story, article_html, english_story, listing_html
from tests.faults.scenarios import FAULT_SETTINGS, LOOPBACK_RESOLVER

pytestmark = pytest.mark.slow

BOB = english_story("bob", "/2024/05/03/harbour-plan/", "Bob: the harbour plan", "the harbour")
ALICE = english_story(
    "alice", "/2024/05/03/harbour-plan-copy/", "Alice: fake harbour plan", "a fake plan", seed=3
)


def _site(base: str, story: Story, head: str = "") -> dict[str, tuple[Reply, ...]]:
    """A front page linking to ``story``; ``head`` replaces its own canonical and og:url."""
    page = article_html(story, base, canonical=not head, head_extra=head)
    return {
        "/": (Reply(200, listing_html("Front", [(story.path, "Story")]).encode()),),
        story.path: (Reply(200, page.encode()),),
    }


@pytest.mark.parametrize(
    ("alice_host", "bob_host"),
    [("alice.github.io", "bob.github.io"), ("127.0.0.1", "127.0.0.1")],
    ids=["shared-suffix", "other-port"],
)
def test_alice_cannot_overwrite_bobs_article(
    tmp_path: Path, alice_host: str, bob_host: str
) -> None:
    database_url = f"sqlite:///{tmp_path / 'news.db'}"
    settings = {**FAULT_SETTINGS, "DNS_RESOLVER": LOOPBACK_RESOLVER}
    with contextlib.ExitStack() as stack:
        bob_server = stack.enter_context(running_server(lambda path: None))
        alice_server = stack.enter_context(running_server(lambda path: None))
        bob_base = f"http://{bob_host}:{bob_server.port}/"
        alice_base = f"http://{alice_host}:{alice_server.port}/"
        bob_url = urljoin(bob_base, BOB.path)
        bob_routes = _site(bob_base, BOB)
        bob_server.resolve = bob_routes.get
        declared = (
            f'<link rel="canonical" href="{bob_url}"><meta property="og:url" content="{bob_url}">'
        )
        alice_routes = _site(alice_base, ALICE, head=declared)
        alice_server.resolve = alice_routes.get
        for base in (bob_base, alice_base):
            crawl = run_news_crawl([f"url={base}"], database_url, settings=settings)
            assert crawl.returncode == 0, crawl.log[-2000:]
        assert {r.host for r in alice_server.requests()} == {f"{alice_host}:{alice_server.port}"}
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = {
                row.canonical_url: row
                for row in connection.execute(
                    select(ArticleRow.canonical_url, ArticleRow.url, ArticleRow.headline)
                )
            }
        store = ArticleStore(engine)
        alice_run = store.list_runs(limit=1)[0]
    finally:
        engine.dispose()
    alice_url = urljoin(alice_base, ALICE.path)
    assert set(rows) == {bob_url, alice_url}
    assert rows[bob_url].headline == BOB.headline
    assert rows[bob_url].url == bob_url
    assert rows[alice_url].headline == ALICE.headline
    assert alice_run.stats["newscrawl/page_notes/offsite_canonical"] == 1
