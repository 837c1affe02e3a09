"""A page that marks up no headline at all (no <title>, <h1> or metadata): the line above
the story, as old table layouts show it."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from newscrawl.extraction.visible import line_above_story
from newscrawl.page import extract_record

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
STORY = "".join(
    f"<p>Paragraph {i} of the story says the harbour board agreed the new ferry timetable "
    "after a long and heated meeting with many residents of the old town on Tuesday night.</p>"
    for i in range(6)
)


def table_page(header: str) -> str:
    return (
        "<html><body><table><tr><td><a href='/'>Home</a> <a href='/news'>News</a></td></tr>"
        f"<tr><td><div class='x1'>{header}</div></td></tr><tr><td>{STORY}</td></tr>"
        "</table></body></html>"
    )


def test_the_line_above_the_story_is_the_headline() -> None:
    html = table_page("<div class='sx'>Harbour board backs new ferry timetable</div>")
    record = extract_record(
        html.encode(), "https://news.example/story?id=7", content_type="text/html", fetched_at=NOW
    )
    assert record["headline"] == "Harbour board backs new ferry timetable"
    assert record.get("dropped") is None


@pytest.mark.parametrize(
    "header",
    [
        "<div>By Sam Writer</div>",  # a byline
        "<div>Harbour board meets residents today.</div>",  # a sentence
        "<div><a href='/x'>Harbour board backs new ferry timetable</a></div>",  # a link
        "<div>12.03.2008 14:55 | 3 comments</div>",  # mostly digits and symbols
    ],
)
def test_lines_that_are_no_headline_are_passed_over(header: str) -> None:
    body = lxml.html.fromstring(table_page(header)).find("body")
    assert body is not None
    assert line_above_story(body) is None


def test_no_story_paragraph_means_no_guess() -> None:
    body = lxml.html.fromstring(
        "<html><body><div>Harbour board backs new ferry timetable</div><p>Short.</p></body></html>"
    ).find("body")
    assert body is not None
    assert line_above_story(body) is None
