"""A page that marks up no headline at all (no <title>, <h1> or metadata): the line above
the story, as old table layouts show it."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from newscrawl.extraction.visible import element_above_story
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
        "<div>“The board must meet residents today.”</div>",  # a quoted one
        "<div><a href='/x'>Harbour board backs new ferry timetable</a></div>",  # a link
        "<div>12.03.2008 14:55 | 3 comments</div>",  # mostly digits and symbols
    ],
)
def test_lines_that_are_no_headline_are_passed_over(header: str) -> None:
    body = lxml.html.fromstring(table_page(header)).find("body")
    assert body is not None
    assert element_above_story(body) is None


@pytest.mark.parametrize(
    "picture",
    [
        "<img src='/p/ferry.jpg' alt=''><div class='x2'>The old ferry leaving the pier</div>",
        (
            "<a href='/p/ferry.jpg'><img src='/p/ferry-small.jpg' alt=''></a>"
            "<div class='x2'>The old ferry leaving the pier</div>"
        ),
        # the caption in a wrapper of its own
        (
            "<img src='/p/ferry.jpg' alt=''><div style='padding:4px'><span>The old ferry leaving "
            "the pier</span></div>"
        ),
    ],
)
def test_a_pictures_caption_between_headline_and_story_is_passed_over(picture: str) -> None:
    """Old layouts put a picture with its caption (an unmarked line right after it) between
    the headline and the story: the caption is the nearer line, but not the headline."""
    header = (
        "<div class='sh'>Harbour board backs new ferry timetable</div></td></tr><tr><td>"
        f"<table align='right'><tr><td><div>{picture}</div></td></tr></table>"
    )
    body = lxml.html.fromstring(table_page(header)).find("body")
    assert body is not None
    above = element_above_story(body)
    assert above is not None and above.get("class") == "sh"


def test_a_story_written_with_line_breaks_has_its_line_above_it() -> None:
    """No ``<p>`` of 25+ words: the story is text in its block parted by ``<br>``s, and its
    first run of 25+ words starts it; the title names only the site."""
    runs = "<br><br>".join(
        f"Run {i} of the story says the harbour board agreed the new ferry timetable after a "
        "long and heated meeting with many residents of the old town on Tuesday night."
        for i in range(5)
    )
    html = (
        "<html><head><title>The Daily Courier - Local news, sport, weather</title></head>"
        "<body><table><tr><td><a href='/'>Home</a></td></tr><tr><td>"
        "<span class='big'>Ferry timetable approved by harbour board</span><br>"
        f"<span class='date'>20240601 14:55</span><br><span class='text'>{runs}</span>"
        "</td></tr></table></body></html>"
    )
    record = extract_record(
        html.encode(), "https://news.example/story?id=8", content_type="text/html", fetched_at=NOW
    )
    assert record["headline"] == "Ferry timetable approved by harbour board"


def test_no_story_paragraph_means_no_guess() -> None:
    body = lxml.html.fromstring(
        "<html><body><div>Harbour board backs new ferry timetable</div><p>Short.</p></body></html>"
    ).find("body")
    assert body is not None
    assert element_above_story(body) is None


URL = "https://news.example/2024/06/01/storm-hits-the-coast/"
TITLED_STORY = "".join(
    f"<p>Paragraph {i} of the report says the storm hit the coast late on Tuesday.</p>"
    for i in range(6)
)


def _titled(title: str, body: str) -> dict:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)


# (title, body, headline): which of the <title>'s parts, the <h1> and the whole title wins.
SHOWN_TITLE_CASES = {
    "the title part the page shows beats a section h1": (
        "Storm hits the coast - News - The Daily Paper",
        f"<h1>Latest News</h1><div><h2>Storm hits the coast</h2>{TITLED_STORY}</div>",
        "Storm hits the coast",
    ),
    "undeclared section and site parts leave the title": (
        "The Daily Paper | Storm hits the coast | Weather",
        f"<div class='story'><b>Storm hits the coast</b>{TITLED_STORY}</div>",
        "Storm hits the coast",
    ),
    "an h1 the title contains stays the headline": (
        "Storm hits the coast - The Daily Paper team",
        f"<h1>Storm hits the coast</h1><p><b>The Daily Paper team</b></p>{TITLED_STORY}",
        "Storm hits the coast",
    ),
    "a title whose parts the page never shows is kept whole": (
        "Storm hits the coast - News - The Daily Paper",
        TITLED_STORY,
        "Storm hits the coast - News - The Daily Paper",
    ),
    "colon-separated site and section parts leave the title": (
        "The Daily Paper : Weather : Storm hits the coast",
        f"<div><h3>Storm hits the coast</h3>{TITLED_STORY}</div>",
        "Storm hits the coast",
    ),
    "a one-part title shown on the page beats a section h1": (
        "Storm hits the coast",
        f"<h1>Arts</h1><div><h2>Storm hits the coast</h2>{TITLED_STORY}</div>",
        "Storm hits the coast",
    ),
    "a headline h1 beats a title that is the site name shown as a logo": (
        "The Daily Paper Online",
        f"<div class='logo'>The Daily Paper Online</div><h1>Storm hits the coast</h1>{TITLED_STORY}",
        "Storm hits the coast",
    ),
    "a blog name h1 gives way to the post title in the title": (
        "Harbour Notes: Storm hits the coast again",
        f"<h1>Harbour Notes</h1><div><h3>Storm hits the coast again</h3>{TITLED_STORY}</div>",
        "Storm hits the coast again",
    ),
    "a blog name h1 with an apostrophe gives way to the post title": (
        "Sam's Notes: Storm hits coast",
        f"<h1>Sam's Notes</h1><div><h3>Storm hits coast</h3>{TITLED_STORY}</div>",
        "Storm hits coast",
    ),
    "a breadcrumb title's part the page shows beats a section h1": (
        "Daily Paper &gt; News &gt; Coast News &gt; Story &gt; Storm hits the coast",
        f"<h1>Coast News</h1><div><span><b>Storm hits the coast</b></span>{TITLED_STORY}</div>",
        "Storm hits the coast",
    ),
    "a two-word title part a heading shows beats a section h1": (
        "Ferry strike - Coast - The Daily Paper",
        f"<h1>Coast</h1><div><h2 id='story'>Ferry strike</h2>{TITLED_STORY}</div>",
        "Ferry strike",
    ),
    "a two-word title part shown only in a menu is no headline": (
        "Storm hits the coast hard - World News - The Daily Paper",
        f"<ul><li><a href='/world'>World News</a></li></ul><div>{TITLED_STORY}</div>",
        "Storm hits the coast hard - World News - The Daily Paper",
    ),
    "title parts a heading shows together are the headline": (
        "World News - Storm hits the coast - The Daily Paper",
        (
            "<h3><a href='/world'>World News</a></h3>"
            f"<div><h2>World News - Storm hits the coast</h2>{TITLED_STORY}</div>"
        ),
        "World News - Storm hits the coast",
    ),
    "title parts a link shows together are not": (
        "Storm hits the coast - Coast Blog - The Daily Paper",
        (
            "<p><a href='/x'>Storm hits the coast - Coast Blog</a></p>"
            f"<div><h2>Storm hits the coast</h2>{TITLED_STORY}</div>"
        ),
        "Storm hits the coast",
    ),
}


@pytest.mark.parametrize(
    ("title", "body", "headline"), SHOWN_TITLE_CASES.values(), ids=SHOWN_TITLE_CASES.keys()
)
def test_the_shown_title_part_rule(title: str, body: str, headline: str) -> None:
    assert _titled(title, body)["headline"] == headline


def test_a_banner_h1_gives_way_to_the_title_part_left_of_the_site_name() -> None:
    # The <h1> is the site's full name as a banner; the <title> names the site after the
    # headline, so what is left of it is no site name.
    html = (
        "<html><head><title>Storm hits the coast » Harbour Society e.V.</title>"
        "<meta property='og:site_name' content='Harbour Society e.V.'></head><body>"
        "<h1>Harbour Society e.V. for the coast and the people who live on it</h1>"
        f"<div><h2>Storm hits the coast</h2>{TITLED_STORY}</div></body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == "Storm hits the coast"


def test_a_shown_title_part_that_is_the_site_name_never_wins() -> None:
    html = (
        "<html><head><title>Storm hits - The Daily Harbour Paper</title>"
        "<meta property='og:site_name' content='The Daily Harbour Paper'></head><body>"
        f"<div class='logo'>The Daily Harbour Paper</div><h1>Storm hits</h1>{TITLED_STORY}"
        "</body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == "Storm hits"


SECTION_URL = "https://news.example/story.asp?id=7582"
FERRY = "Harbour board backs new ferry timetable"

# (head, body, url, headline): when the heading right above the story replaces an undeclared
# headline that shares no word with the story (a section or site name).
HEADING_ABOVE_STORY_CASES = {
    "a section h1 gives way to the heading above the story": (
        "<title>Sports Wire</title>",
        f"<h1>Sports Wire</h1><div><h2>{FERRY}</h2>{STORY}</div>",
        SECTION_URL,
        FERRY,
    ),
    "a site-name title gives way to a line classed as a headline": (
        "<title>The Daily Courier</title>",
        f"<div><span class='story-headline'>{FERRY}</span>{STORY}</div>",
        SECTION_URL,
        FERRY,
    ),
    "a heading sharing no word with the story does not win": (
        "<title>Sports Wire</title>",
        f"<h1>Sports Wire</h1><div><h2>Weekend fixtures announced today</h2>{STORY}</div>",
        SECTION_URL,
        "Sports Wire",
    ),
    "a site-name title gives way to a plain line above the story": (
        "<title>The Daily Courier</title>",
        f"<div><span>{FERRY}</span>{STORY}</div>",
        SECTION_URL,
        FERRY,
    ),
    "a line in capitals above the story does not win": (
        "<title>Sports Wire</title>",
        f"<h1>Sports Wire</h1><div><span>{FERRY.upper()}</span>{STORY}</div>",
        SECTION_URL,
        "Sports Wire",
    ),
    "a caption above the story does not win": (
        "<title>Sports Wire</title>",
        f"<h1>Sports Wire</h1><div><figure><figcaption>{FERRY}</figcaption></figure>{STORY}</div>",
        SECTION_URL,
        "Sports Wire",
    ),
    "a paragraph above the story not marked as a heading does not win": (
        "<title>Sports Wire</title>",
        f"<h1>Sports Wire</h1><div><p class='standfirst'>{FERRY}</p>{STORY}</div>",
        SECTION_URL,
        "Sports Wire",
    ),
    "a declared headline is never replaced": (
        "<meta property='og:title' content='Timetable row ends'>",
        f"<h1>Timetable row ends</h1><div><h2>{FERRY}</h2>{STORY}</div>",
        SECTION_URL,
        "Timetable row ends",
    ),
    "an h1 whose words the URL's path spells stays": (
        "<title>Sports Wire</title>",
        f"<h1>Fair supply chains</h1><div><h2>{FERRY}</h2>{STORY}</div>",
        "https://news.example/aktuell/fair-supply-chains/",
        "Fair supply chains",
    ),
}


@pytest.mark.parametrize(
    ("head", "body", "url", "headline"),
    HEADING_ABOVE_STORY_CASES.values(),
    ids=HEADING_ABOVE_STORY_CASES.keys(),
)
def test_the_heading_above_the_story_rule(head: str, body: str, url: str, headline: str) -> None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    record = extract_record(html.encode(), url, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == headline


def test_a_page_whose_only_declared_title_is_unusable_keeps_the_heading_above_its_story() -> None:
    # A spliced page: its one meta title runs on into script text, far too long for a headline.
    junk = "Welcome to the Daily Courier " + "this.prop = 'sports'; " * 30
    html = (
        f"<html><head><meta name='title' content=\"{junk}\"></head><body>"
        f"<div><h2>{FERRY}</h2>{STORY}</div></body></html>"
    )
    record = extract_record(html.encode(), SECTION_URL, content_type="text/html", fetched_at=NOW)
    assert record.get("dropped") is None
    assert record["headline"] == FERRY


def test_the_line_above_the_story_casts_no_vote_on_the_headline_spelling() -> None:
    # The <h1> is also the line above the story; it must not count twice against og:title.
    html = (
        "<html><head><meta property='og:title' content='Harbour board: new ferry timetable'>"
        "</head><body><h1>Harbour board - new ferry timetable</h1>"
        f"{STORY}</body></html>"
    )
    record = extract_record(html.encode(), SECTION_URL, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == "Harbour board: new ferry timetable"
