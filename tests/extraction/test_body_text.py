"""Generic body extraction on small pages: text pasted from a word processor, whose every
paragraph declares ``border: none``, is kept whole."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml.html import fromstring

from newscrawl.extraction.body import without_borderless_styles
from newscrawl.items import FetchedPage
from newscrawl.page import page_outcome

URL = "https://blog.example/2024/03/04/a-long-pasted-essay/"
NOW = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
WORD_STYLE = "border: none; mso-border-shadow: yes; mso-padding-alt: 31.0pt 31.0pt 31.0pt 31.0pt;"


def essay_page() -> str:
    # A plain <div> introduction long enough (over 150 words) to pass as a whole article.
    intro = (
        "<div>"
        + "<br><br>".join(
            f"Introduction {i}: a reader sent me this essay a few weeks ago, and it seemed a good"
            " moment to share it with everyone who has followed the long debate on this blog, the"
            " arguments on both sides and the questions that the committee never answered."
            for i in range(5)
        )
        + "</div>"
    )
    paragraphs = "".join(
        f"<div class='MsoNormal' style='{WORD_STYLE}'>Pasted paragraph {i} goes on about the"
        " season, the committee and the evidence that nobody wanted to read in public.</div>"
        f"<div class='MsoNormal' style='{WORD_STYLE}'><br></div>"
        for i in range(12)
    )
    return (
        "<html><head><title>A long pasted essay</title></head><body>"
        f"<div class='post'><h1>A long pasted essay</h1><div class='post-body'>{intro}"
        f"{paragraphs}</div></div></body></html>"
    )


def test_word_processor_paragraphs_are_all_kept() -> None:
    outcome = page_outcome(FetchedPage.of_html(essay_page(), URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    body = outcome.article.body
    assert "Pasted paragraph 0 goes on" in body
    assert "Pasted paragraph 11 goes on" in body


def test_only_declarations_that_draw_no_border_are_removed() -> None:
    tree = fromstring(
        "<div>"
        f"<p id='word' style='{WORD_STYLE}'>a</p>"
        "<p id='zero' style='color: red; border-top: 0;'>b</p>"
        "<p id='box' style='border: 1px solid #ccc'>c</p>"
        "</div>"
    )
    assert without_borderless_styles(tree) == 2
    word, zero, box = (tree.get_element_by_id(i).get("style") for i in ("word", "zero", "box"))
    assert "border" not in word and "mso-padding-alt" in word
    assert zero is not None and "border" not in zero and "color: red" in zero
    assert box == "border: 1px solid #ccc"
