"""Pruning that removes the article itself falls back to the unpruned page: a post wrapped in
a block whose class carries a weak token or whose class or id starts with "comment", inside a
page-wide form, or under a "Comments (35)" heading keeps its prose and is never dropped as
MissingBody."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from lxml.html import HtmlElement, fromstring

from newscrawl.extraction.body import unpruned_fallback
from newscrawl.items import FetchedPage
from newscrawl.page import page_outcome

URL = "https://blog.example/2024/05/01/the-allotment-in-may/"
NOW = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
HEADLINE = "What the allotment taught me in May"
SENTENCES = (
    "The first week of May brought a late frost that caught the bean seedlings by surprise.",
    "I covered the rows with old bed sheets and hoped the wind would stay away overnight.",
    "By Thursday the sun was back and the potatoes had pushed their first leaves through.",
    "My neighbour lent me a hoe with a broken handle, which worked better than my own.",
    "We shared the last of the rhubarb and argued about whether it counts as a fruit.",
)
PROSE = [f"{s} {SENTENCES[(i + 2) % len(SENTENCES)]}" for i, s in enumerate(SENTENCES)]
HEAD = f"<head><title>{HEADLINE}</title></head>"
MENU = "<ul class='menu'><li><a href='/'>Home</a></li><li><a href='/about'>About</a></li></ul>"


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


# Readers' comments: more paragraph text than the post itself, so no share-of-prose guard
# protects the post's container.
COMMENTS = (
    "<ol class='commentlist'>"
    + "".join(
        f"<li><p>Reader {i} says: {SENTENCES[i % 5]} {SENTENCES[(i + 1) % 5]}</p></li>"
        for i in range(8)
    )
    + "</ol>"
)

# Each page holds the same short post (about 90 words) inside a block that pruning removes.
PAGES = {
    "page-builder widget wrappers": (
        f"<html>{HEAD}<body>{MENU}"
        + f"<div class='elementor-widget-wrap'><h1>{HEADLINE}</h1></div>"
        + "".join(f"<div class='elementor-widget-wrap'><p>{p}</p></div>" for p in PROSE)
        + f"{COMMENTS}</body></html>"
    ),
    "blog widget holding a post written with line breaks": (
        f"<html>{HEAD}<body>{MENU}<div class='widget Blog' id='Blog1'>"
        f"<div class='post'><h3 class='post-title'>{HEADLINE}</h3>"
        f"<div class='post-body'>{'<br><br>'.join(PROSE)}</div></div></div>{COMMENTS}"
        "<div id='sidebar-wrapper'><p>About me: I grow vegetables and write.</p></div>"
        "</body></html>"
    ),
    "page-wide form": (
        f"<html>{HEAD}<body>{MENU}<div class='title'><h1>{HEADLINE}</h1></div>"
        f"<form action='/postback' method='post'><div class='content'>{paragraphs(PROSE)}</div>"
        f"<input type='hidden' name='state' value='1'></form>{COMMENTS}</body></html>"
    ),
    "comments heading above the prose": (
        f"<html>{HEAD}<body>{MENU}<h1>{HEADLINE}</h1><div class='post'>"
        f"<h3>Comments (35)</h3>{paragraphs(PROSE)}</div>{COMMENTS}</body></html>"
    ),
    # The story's own wrapper named like a comments block (trafilatura removes any block whose
    # class or id starts with "comment").
    "story wrapper whose class names its comments setting": (
        f"<html>{HEAD}<body>{MENU}<div class='comments-enabled post-wrap'><h1>{HEADLINE}</h1>"
        f"{paragraphs(PROSE)}</div>{COMMENTS}</body></html>"
    ),
    "story wrapper whose id starts with comment": (
        f"<html>{HEAD}<body>{MENU}<section id='commentable-post'><div class='title'>"
        f"<h1>{HEADLINE}</h1></div>{paragraphs(PROSE)}</section>{COMMENTS}</body></html>"
    ),
}


@pytest.mark.parametrize("html", PAGES.values(), ids=PAGES.keys())
def test_pruned_article_falls_back_and_keeps_its_prose(html: str) -> None:
    page = FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW)
    outcome = page_outcome(page)
    assert outcome.reason != "MissingBody"
    assert outcome.article is not None
    body = outcome.article.body
    for sentence in SENTENCES:
        assert sentence in body
    assert "Reader 3 says" not in body  # the fallback still leaves out readers' comments


def test_the_fallback_does_not_bring_back_comments_under_a_comments_heading() -> None:
    """A short post and a longer run of readers' comments in unnamed blocks under a "Comments"
    heading: pruning removes the comments, and the reading of the unpruned page that the short
    result calls for leaves them out too."""
    unnamed = "".join(
        f"<div><p>Reader {i} says: {SENTENCES[i % 5]} {SENTENCES[(i + 1) % 5]}</p></div>"
        for i in range(14)
    )
    html = (
        f"<html>{HEAD}<body>{MENU}<article><h1>{HEADLINE}</h1>{paragraphs(PROSE[:3])}"
        f"</article><section><h3>Comments</h3>{unnamed}</section></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.body.split("\n\n") == PROSE[:3]


def readers(item: str) -> str:
    """Fourteen readers' comments, each a paragraph in an ``item`` element."""
    return "".join(
        f"<{item}><p>Reader {i} says: {SENTENCES[i % 5]} {SENTENCES[(i + 1) % 5]}</p></{item}>"
        for i in range(14)
    )


# A two-paragraph post (under 400 characters) and a longer run of readers' comments after it.
SHORT_POST_PAGES = {
    "unnamed blocks under a comments heading": f"<section><h3>Comments</h3>{readers('div')}</section>",
    "a block named as a discussion, no heading": f"<div class='discussion'>{readers('article')}</div>",
}


@pytest.mark.parametrize("comments", SHORT_POST_PAGES.values(), ids=SHORT_POST_PAGES.keys())
def test_comments_that_outweigh_a_short_post_are_not_its_body(comments: str) -> None:
    """The story ends before the comments when a paragraph of prose lies between the headline
    and them, however short the post: neither pruning nor the fallback keeps them."""
    html = (
        f"<html>{HEAD}<body>{MENU}<main><article><h1>{HEADLINE}</h1>{paragraphs(SENTENCES[:2])}"
        f"</article>{comments}</main></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.body.split("\n\n") == list(SENTENCES[:2])


def test_a_comment_count_between_headline_and_story_ends_nothing() -> None:
    """A comments heading right under the headline (a post's comment count), with the story
    after it: no prose lies between the headline and it, so the story stays."""
    html = (
        f"<html>{HEAD}<body>{MENU}<main><h1>{HEADLINE}</h1><h4>3 Comments</h4>"
        f"{paragraphs(SENTENCES[:2])}</main></body></html>"
    )
    outcome = page_outcome(
        FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW), min_body_words=20
    )
    assert outcome.article is not None
    assert outcome.article.body.split("\n\n") == list(SENTENCES[:2])


def test_a_full_pruned_body_is_kept_without_a_second_extraction() -> None:
    long_body = "\n\n".join(PROSE * 4)  # 150+ words: trusted as it is
    assert unpruned_fallback(long_body, _unusable_tree(), URL) == long_body


def test_a_short_pruned_body_close_to_the_unpruned_text_is_kept() -> None:
    tree = fromstring(f"<html><body><article>{paragraphs(PROSE)}</article></body></html>")
    pruned = "\n\n".join(PROSE[:4])  # four of five paragraphs: pruning took only a little
    assert unpruned_fallback(pruned, tree, URL) == pruned


def test_a_short_pruned_body_well_under_the_unpruned_text_is_replaced() -> None:
    """Pruning kept an author's box and lost the post: the pruned body holds under 60% of the
    unpruned reading's prose (here 39 of 70 words), so the unpruned reading wins."""
    bio = [
        f"The author has written about gardens since {1990 + i} and lives by the river."
        for i in range(3)
    ]
    pruned = "\n\n".join(bio)
    tree = fromstring(
        f"<html>{HEAD}<body><article>{paragraphs(PROSE[:1])}"
        f"<div class='bio'>{paragraphs(bio)}</div></article></body></html>"
    )
    chosen = unpruned_fallback(pruned, tree, URL)
    assert PROSE[0] in chosen


class _Unreadable:
    def __getattr__(self, name: str) -> None:
        raise AssertionError("the unpruned tree must not be read")


def _unusable_tree() -> HtmlElement:
    return cast(HtmlElement, _Unreadable())


def test_prose_words_leave_out_table_rows_and_menu_lines() -> None:
    from newscrawl.extraction.body import prose_word_count

    text = (
        "| Home | World | Sport | Business | Weather | Travel | Arts | Contact |\n\nMost read\n\n"
        + PROSE[0]
    )
    assert prose_word_count(text) == len(PROSE[0].split())


def test_a_story_sized_table_cell_is_prose_but_a_row_of_teasers_is_not() -> None:
    """Old table layouts hold a whole story in one cell; teaser rows hold short cells."""
    from newscrawl.extraction.body import prose_word_count

    story = " ".join(
        f"The council met on day {i} and agreed the new budget plan." for i in range(6)
    )
    teasers = " | ".join(f"Teaser {i} says the team won the cup again on Sunday" for i in range(9))
    assert prose_word_count(f"| {story} | Print | Email |") == len(story.split())
    assert prose_word_count(f"| {teasers} |") == 0


def prose_page() -> HtmlElement:
    """The unpruned page: the post's paragraphs in an ``<article>``."""
    return cast(
        HtmlElement,
        fromstring(f"<html>{HEAD}<body><article>{paragraphs(PROSE)}</article></body></html>"),
    )


def test_a_body_of_layout_table_cells_falls_back_to_the_prose() -> None:
    """Many words, none of them prose: the pruned text of a table-layout page is replaced."""
    cells = " | ".join(f"Story {i} headline here" for i in range(40))
    pruned = "\n\n".join(f"| {cells} |" for _ in range(2))
    chosen = unpruned_fallback(pruned, prose_page(), URL)
    assert PROSE[0] in chosen and "Story 3 headline" not in chosen


def test_a_story_cell_buried_in_layout_rows_falls_back_to_the_prose() -> None:
    """One story-sized cell among many rows of menus and teasers: more junk than prose, so the
    pruned text is replaced by the unpruned page's paragraphs."""
    story = " ".join(f"The council met on day {i} and agreed the budget." for i in range(10))
    rows = "\n\n".join(
        "| " + " | ".join(f"Teaser {i}.{j} about the cup" for j in range(6)) + " |"
        for i in range(5)
    )
    pruned = f"| {story} | Print | Email |\n\n{rows}"
    chosen = unpruned_fallback(pruned, prose_page(), URL)
    assert PROSE[0] in chosen and "Teaser 1.1" not in chosen


def test_text_quality_and_rank_prefer_prose_then_any_text_over_none() -> None:
    from newscrawl.extraction.body import body_rank, text_quality

    menu = "\n\n".join(f"Section {i}" for i in range(30))
    assert text_quality(PROSE[0]) == len(PROSE[0].split())
    assert text_quality(f"{PROSE[0]}\n\n{menu}") < 0
    assert body_rank(PROSE[0]) > body_rank(menu) > body_rank("")


def test_typed_bullets_inside_the_story_count_with_its_prose() -> None:
    """A list the author typed ("• item" lines) between two prose lines is part of the story;
    the same lines before the first prose line or after the last are still menu-like."""
    from newscrawl.extraction.body import text_quality

    items = "\n\n".join(f"• Device number {i}" for i in range(6))  # 18 words
    prose_words = len(PROSE[0].split()) + len(PROSE[1].split())
    assert text_quality(f"{PROSE[0]}\n\n{items}\n\n{PROSE[1]}") == prose_words + 18
    assert text_quality(f"{items}\n\n{PROSE[0]}\n\n{PROSE[1]}") == prose_words - 18
    assert text_quality(f"{PROSE[0]}\n\n{PROSE[1]}\n\n{items}") == prose_words - 18


def test_a_short_post_with_a_typed_list_in_divs_keeps_the_list_and_is_stored() -> None:
    """One prose line, a list typed as "• item" lines in bare ``<div>``s, one closing line: the
    fast reading keeps only the first line (too short to store); the fuller one wins."""
    devices = ["Kindle", "Nook", "iPad", "Android phone", "Sony Reader", "Kobo", "Palm handheld"]
    bullets = "".join(f"<div>• {d} with the reading app</div>" for d in devices)
    html = (
        f"<html>{HEAD}<body>{MENU}<div id='post'><h2>{HEADLINE}</h2>"
        "<div class='date'><span>By Jo Bloggs, 01 May 2024</span></div>"
        f"<p>{SENTENCES[0]} You can now read the issue on these devices:</p>"
        f"<div>{bullets}<p /><div>{SENTENCES[1]}</div></div></div></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.reason is None, outcome.reason
    assert outcome.article is not None
    assert "• Kobo with the reading app" in outcome.article.body
    assert SENTENCES[1] in outcome.article.body


PHP_WARNING = (
    "Warning: Use of undefined constant comments - assumed 'comments' (this will throw an Error"
    " in a future version of PHP) in /srv/www/wp-content/plugins/recent/recent.php on line 928"
)


def test_php_warnings_printed_into_the_page_are_never_body_text() -> None:
    from newscrawl.extraction.body import paragraphs

    assert (
        paragraphs(f"{PROSE[0]}\n{PHP_WARNING}\nNotice: Undefined index: id in /a/b.php on line 3")
        == PROSE[0]
    )
    assert paragraphs(
        f"Warning: the harbour wall is on line 3 of the plan.\n{PROSE[0]}"
    ).startswith("Warning: the harbour wall")


def test_a_short_post_beside_a_sidebar_of_php_warnings_keeps_its_post() -> None:
    """The warnings read as long prose lines: before, the unpruned reading replaced the post."""
    warning = (
        "<br><b>Warning</b>: Use of undefined constant comments - assumed 'comments' (this will"
        " throw an Error in a future version of PHP) in <b>/srv/www/wp-content/plugins/recent/"
        "recent.php</b> on line <b>928</b><br>"
    )
    html = (
        f"<html>{HEAD}<body>{MENU}<div id='content'><div class='post'><h2>{HEADLINE}</h2>"
        f"<div class='postentry'>{paragraphs(PROSE[:1])}</div></div></div>"
        f"<div id='sidebar'><ul><li><h2>Recent comments</h2><ul>{warning * 6}</ul></li></ul>"
        "</div></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.body.startswith(PROSE[0])
    assert "undefined constant" not in outcome.article.body


@pytest.mark.parametrize(
    "names",
    [
        "class='popup-banner' id='update-browser-banner'",
        "class='browserupgrade'",
        "id='outdated-browser'",
        "class='blockMessage js-browserWarning'",
    ],
)
def test_an_outdated_browser_notice_is_never_the_body(names: str) -> None:
    """A page that builds its story by script shows nothing but the notice: the page has no
    body (a named drop), and the notice does not come back through the unpruned fallback."""
    notice = (
        "<p>Your browser is unfortunately out of date and no longer supported here.</p>"
        "<p>Download a newer browser free of charge for a better experience: click its icon!</p>"
    )
    html = (
        f"<html>{HEAD}<body>{MENU}<div {names}>{notice}</div>"
        f"<div id='app' data-props='{{}}'></div></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(html, URL, site="blog", fetched_at=NOW))
    assert outcome.reason == "MissingBody"
    assert outcome.article is None or "out of date" not in outcome.article.body
