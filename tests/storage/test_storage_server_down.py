"""PostgreSQL down when a crawl starts: the crawl stops at once with one line naming the database.

A real ``scrapy crawl news`` process is pointed at a PostgreSQL URL whose port nothing listens on
(a port just taken from and released by the OS), with a password in the URL that must never be
printed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from newscrawl.database import unavailable_message
from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import running_server
from tests.crawl.news_crawl import run_news_crawl
from tests.servers.postgres import free_port

PASSWORD = "s3cret-Pa55"


@pytest.mark.slow
def test_postgresql_down_at_start_stops_the_crawl_naming_the_url_without_password() -> None:
    port = free_port()
    url = f"postgresql+psycopg://crawler:{PASSWORD}@127.0.0.1:{port}/news"
    with running_server(SITE_DIR) as server:
        result = run_news_crawl([f"url={server.url}"], url, timeout=120)
    assert result.returncode != 0
    assert PASSWORD not in result.log
    shown = f"postgresql+psycopg://crawler:***@127.0.0.1:{port}/news"
    closing = [line for line in result.log.splitlines() if "Closing spider" in line]
    assert len(closing) == 1
    assert f"database not usable: cannot use the database {shown}: " in closing[0]
    assert "Connection refused" in closing[0]
    assert "Traceback" not in result.log
    assert "downloader/request_count" not in result.log  # stopped before fetching a page
    assert "item_scraped_count" not in result.log


def test_the_unavailable_message_is_one_line_and_never_shows_the_password() -> None:
    url = f"postgresql+psycopg://crawler:{PASSWORD}@db.example:5432/news"
    error = OSError(f"could not connect\n\twith password {PASSWORD}\n(Background on this error")
    message = unavailable_message(url, error)
    assert message == (
        "cannot use the database postgresql+psycopg://crawler:***@db.example:5432/news: "
        "could not connect with password ***"
    )
    bad = f"postgresql://crawler:{PASSWORD}@db.example:notaport/news"
    with pytest.raises((ArgumentError, ValueError)) as raised:
        make_url(bad)
    message = unavailable_message(bad, raised.value)
    assert PASSWORD not in message
    assert message.startswith("cannot use the database an unparseable NEWSCRAWL_DATABASE_URL: ")
