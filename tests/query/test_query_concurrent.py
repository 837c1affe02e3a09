"""Queries while another process writes to the same database (a SQLite file, then PostgreSQL).

A forked writer process saves articles one transaction at a time through :class:`ArticleStore`
(as a crawl does) while this process keeps listing, searching, counting and summarizing through
a read-only :class:`Archive`, and runs the ``query`` command once. Nothing may fail, every
article read must be complete, and the reader must really have seen the writer's progress.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from query_support import run_cli

from newscrawl.archive import open_archive
from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine, migrate
from tests.conftest import DATABASES

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

WRITES = 400
SAFETY_TIMEOUT = 180  # seconds; only guards against a hung writer, nothing is timed
START = datetime(2025, 5, 1, tzinfo=UTC)

pytestmark = pytest.mark.slow


def _article(number: int) -> Article:
    return Article(
        url=f"https://busy.example/story/{number}",
        canonical_url=f"https://busy.example/story/{number}",
        site="busy_site",
        headline=f"Harbour report number {number}",
        body=f"Ferries and cranes in the harbour, report {number}. " * 20,
        summary="A harbour report.",
        fetched_at=START + timedelta(seconds=number),
        published=START + timedelta(minutes=number),
        tags=("Harbour", f"Batch {number % 7}"),
        authors=("Port Desk",),
        section="Ports",
        language="en",
    )


def _write(database_url: str, go: Event) -> None:
    """Writer process: wait for the reader, then save WRITES articles one by one."""
    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        go.wait(SAFETY_TIMEOUT)
        for number in range(1, WRITES + 1):
            store.save(_article(number))
    finally:
        engine.dispose()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new SQLite file, or a new empty PostgreSQL database (the test migrates either)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'busy.db'}"
    return str(request.getfixturevalue("postgres_url_factory")(migrated=False))


def test_reading_while_a_crawl_writes(database_url: str) -> None:
    migrate(database_url)
    engine = make_engine(database_url)
    ArticleStore(engine).save(_article(0))
    engine.dispose()

    context = multiprocessing.get_context("fork")
    go = context.Event()
    writer = context.Process(target=_write, args=(database_url, go))
    writer.start()
    counts: list[int] = []
    cli_result = None
    try:
        with open_archive(database_url, batch_size=50) as archive:
            go.set()
            while writer.is_alive() or not counts:
                counts.append(archive.count())
                listed = list(archive.articles(search="harbour report"))
                assert len(listed) >= counts[-1]  # the listing is a later snapshot
                for article in listed:  # a save is one transaction: never half an article
                    assert article.tags[0] == "Harbour"
                    assert article.authors == ("Port Desk",)
                stats = archive.stats()
                assert stats[0].articles >= counts[-1]
                if cli_result is None and counts[-1] > 1:
                    cli_result = run_cli(database_url, "query", "--tag", "harbour", "--count")
            writer.join(SAFETY_TIMEOUT)
            final = archive.count()
    finally:
        if writer.is_alive():
            writer.kill()
    assert writer.exitcode == 0
    assert final == WRITES + 1
    assert counts == sorted(counts)  # counts only grow
    assert any(1 < count < final for count in counts), counts  # reads overlapped the writes
    assert cli_result is not None
    assert cli_result.returncode == 0, cli_result.stderr
    assert int(cli_result.stdout) > 1
