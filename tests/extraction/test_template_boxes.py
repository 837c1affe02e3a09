"""Boxes of a page template named like the article's own block: a blog engine puts the post in
"widget Blog" and an about-the-blog text in a "widget Text" beside it, and titles the post with
an ``<h3>`` on a page without ``<h1>``. The post's title is found from the ``<title>`` and the
text box beside the post is left out; a page builder's text widget, bigger than the title widget
beside it, stays the story."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lxml.html import fromstring

from newscrawl.extraction.visible import headline_sub_heading
from newscrawl.items import FetchedPage
from newscrawl.page import page_outcome

URL = "https://pilots.example/2024/05/the-night-ferry.html"
NOW = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
BLOG = "Harbour Notes"
HEADLINE = "The night ferry runs again after the winter"
STORY = [
    "The night ferry left the north pier at eleven for the first time since the storms began.",
    "Its crew had spent the winter replacing the deck boards and the old diesel engine.",
    "Passengers queued along the sea wall with bicycles, dogs and crates of early potatoes.",
    "The harbour master said the timetable would stay the same until the autumn gales.",
    "A brass band from the island school played on the quay as the ropes were cast off.",
    "Some travellers had waited since October to visit relatives on the far side of the sound.",
    "The ticket office sold out within an hour, and a second sailing was added for Sunday.",
    "Local shops reported their busiest evening of the year as the queue wound past them.",
]
ABOUT = (
    "Welcome to Harbour Notes, where two retired pilots write about the boats, the tides and "
    "the people of our little port every week of the year. We have kept this diary since the "
    "old lighthouse closed, and we answer every letter our readers send us about the harbour. "
    "Our book of the first ten years is out now in paperback and as an e-book for your reader. "
    "Buying it keeps this diary free for everyone who reads it."
)
COMMENTS = "".join(
    f"<li class='comment'><p>Reader {i} wrote: {STORY[i % 8]} {STORY[(i + 3) % 8]}</p></li>"
    for i in range(12)
)


def _blog_page() -> str:
    post = "<br><br>".join(STORY)
    return (
        f"<html><head><title>{BLOG}: {HEADLINE}</title></head><body>"
        "<div id='header'><a href='/'>Harbour Notes</a></div>"
        "<div class='main section' id='main'>"
        f"<div class='widget Text' id='Text1'><div class='widget-content'><p>{ABOUT}</p></div></div>"
        "<div class='widget Blog' id='Blog1'><h2 class='date-header'>Thursday, May 2, 2024</h2>"
        f"<div class='post'><h3 class='post-title'>{HEADLINE}</h3>"
        f"<div class='post-body'>{post}</div></div>"
        f"<ol class='comment-list'>{COMMENTS}</ol></div></div>"
        "</body></html>"
    )


def test_a_text_box_beside_the_post_in_a_blog_template_is_left_out() -> None:
    outcome = page_outcome(FetchedPage.of_html(_blog_page(), URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    body = outcome.article.body
    assert all(sentence in body for sentence in STORY)
    assert "Welcome to Harbour Notes" not in body


def test_a_page_builder_text_widget_bigger_than_the_title_widget_is_the_story() -> None:
    html = (
        f"<html><head><title>{HEADLINE}</title></head><body>"
        "<div class='elementor-column'>"
        f"<div class='elementor-widget elementor-widget-heading'><h1>{HEADLINE}</h1></div>"
        "<div class='elementor-widget elementor-widget-text-editor'>"
        + "".join(f"<p>{s}</p>" for s in STORY)
        + f"</div></div><div class='sidebar'><p>{ABOUT}</p></div></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert all(sentence in outcome.article.body for sentence in STORY)


def test_the_post_title_is_the_sub_heading_the_title_element_names() -> None:
    tree = fromstring(_blog_page())
    heading = headline_sub_heading(tree, [f"{BLOG}: {HEADLINE}"])
    assert heading is not None and heading.get("class") == "post-title"


def test_short_and_navigation_sub_headings_are_no_post_title() -> None:
    tree = fromstring(
        f"<html><body><nav><h3>{HEADLINE}</h3></nav><h2>Night ferry</h2>"
        "<h3>Latest posts</h3></body></html>"
    )
    assert headline_sub_heading(tree, [f"{BLOG}: {HEADLINE}", "Night ferry"]) is None
    assert headline_sub_heading(tree, []) is None


def test_a_sub_heading_matches_whole_words_of_the_title() -> None:
    tree = fromstring("<html><body><h3>art of the harbour wall</h3></body></html>")
    assert headline_sub_heading(tree, ["The start of the harbour wall repairs"]) is None
    assert headline_sub_heading(tree, ["Notes: Art of the harbour wall"]) is not None


def test_the_post_title_sub_heading_dates_the_post() -> None:
    """With the post's ``<h3>`` as its title, the date line above it is read as the post's
    date, not the page header's date of today; the headline is the post's."""
    html = _blog_page().replace(
        "<div id='header'><a href='/'>Harbour Notes</a></div>",
        "<div id='header'><a href='/'>Harbour Notes</a><span class='today'>June 9, 2024</span>"
        "</div>",
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.headline == HEADLINE
    published = outcome.article.published
    assert published is not None and published.date() == date(2024, 5, 2)
