"""Retry-After on 429/503 holds the host's next request back (capped), in a real crawl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from fault_server import Reply, Route, running_server

from newscrawl.middlewares import retry_after_seconds
from tests.crawl.news_crawl import run_news_crawl

BODY = " ".join(
    ["The harbour authority said the quay would reopen after the storm damage was repaired."] * 12
)
STORY = (
    "<html lang='en'><head><title>Quay reopens</title></head><body><article>"
    f"<h1>Quay reopens after storm repairs</h1><p>{BODY}</p></article></body></html>"
).encode()
HOME = b"<html><body><h1>Harbour news</h1><a href='/2024/05/01/quay-reopens/'>Quay reopens</a></body></html>"


def routes(retry_after: str) -> dict[str, Route]:
    return {
        "/": (Reply(200, HOME),),
        "/2024/05/01/quay-reopens/": (
            Reply(503, b"busy", headers=(("Retry-After", retry_after),)),
            Reply(200, STORY, article="quay"),
        ),
    }


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    for absent in (
        None,
        "",
        "soon",
        "-3",
        "0",
        format_datetime(now - timedelta(hours=1), usegmt=True),
    ):
        assert retry_after_seconds(absent, now) is None


@pytest.mark.slow
@pytest.mark.parametrize(("header", "cap", "expected_wait"), [("2", 120, 2), ("3600", 2, 2)])
def test_the_retry_waits_as_asked_but_no_longer_than_the_cap(
    tmp_path: Path, header: str, cap: int, expected_wait: float
) -> None:
    table = routes(header)
    with running_server(table.get) as server:
        result = run_news_crawl(
            [f"url={server.url}"],
            f"sqlite:///{tmp_path / 'news.db'}",
            settings={"NEWSCRAWL_RETRY_AFTER_MAX": cap, "ROBOTSTXT_OBEY": False},
        )
        assert result.returncode == 0, result.log[-2000:]
        attempts = [r for r in server.requests() if r.path == "/2024/05/01/quay-reopens/"]
    assert [r.status for r in attempts] == [503, 200]
    gap = attempts[1].received_at - attempts[0].received_at
    assert gap >= expected_wait - 0.2  # never sooner than asked
    assert gap < expected_wait + 20  # a 3600 s request is capped, not obeyed
    assert "Honouring Retry-After" in result.log
