"""Generic body extraction on small pages: markup that trafilatura's precision mode mistakes for
boilerplate (borderless word-processor styles, empty elements before text) loses no text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from lxml.html import fromstring

from newscrawl.extraction.body import (
    is_layout_dump,
    retag_paragraph_divs,
    story_cells,
    without_borderless_styles,
    without_empty_anchor_links,
    without_empty_elements_before_text,
    wrap_loose_leads,
)
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


def interview_page() -> str:
    pairs = "".join(
        f"<p><strong>Q. Question number {i} about the new licence terms?</strong></p>"
        f"<p><strong></strong>A: Answer {i} is short.</p>"
        for i in range(6)
    )
    intro = "".join(
        f"<p>Paragraph {i} of the introduction explains why readers kept asking the same"
        " questions about the licence terms, the upgrade path and the price of a new copy.</p>"
        for i in range(6)
    )
    return (
        "<html><head><title>Answers about the licence</title></head><body><article>"
        f"<h1>Answers about the licence</h1>{intro}{pairs}</article></body></html>"
    )


def test_text_after_an_empty_element_is_kept() -> None:
    outcome = page_outcome(FetchedPage.of_html(interview_page(), URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    for i in range(6):
        assert f"A: Answer {i} is short." in outcome.article.body


def test_only_empty_elements_directly_before_text_are_unwrapped() -> None:
    tree = fromstring(
        "<div><p id='a'><strong></strong>A: kept</p><p id='b'><b> </b></p>"
        "<p id='c'><span><img src='x.png'></span> caption-like text</p><p id='d'><em>x</em> y</p></div>"
    )
    assert without_empty_elements_before_text(tree) == 2
    a, b, c, d = (tree.get_element_by_id(i) for i in "abcd")
    assert len(a) == 0 and a.text == "A: kept"
    assert b.find("b") is not None  # empty but followed by nothing: left alone
    assert c.find("span") is None and c.find("img") is not None
    assert d.find("em") is not None


def permalinked_interview_page() -> str:
    intro = "".join(
        f"<p>Paragraph {i} of the introduction says the harbour board heard every resident and"
        " changed the ferry timetable, the parking rules and the opening hours.</p>"
        for i in range(8)
    )
    sections = "".join(
        f"<div class='section'><h2 id='q{i}'>What did question {i} ask?"
        f"<a href='#q{i}' class='heading-link' aria-label='Link to this section'></a></h2>"
        f"<p>Answer {i} is short: the board agreed.</p></div>"
        for i in range(6)
    )
    return (
        "<html><head><title>Six questions on the harbour plan</title></head><body><article>"
        f"<h1>Six questions on the harbour plan</h1>{intro}{sections}</article></body></html>"
    )


def test_short_sections_whose_heading_has_a_permalink_icon_are_kept() -> None:
    page = FetchedPage.of_html(permalinked_interview_page(), URL, site="blog", fetched_at=NOW)
    outcome = page_outcome(page)
    assert outcome.article is not None
    for i in range(6):
        assert f"What did question {i} ask?" in outcome.article.body
        assert f"Answer {i} is short: the board agreed." in outcome.article.body


def test_only_empty_links_in_headings_to_the_same_page_are_removed() -> None:
    tree = fromstring(
        "<div><h2 id='a'>A<a href='#a'></a> tail</h2><h3 id='b'><a href='#b'>B</a></h3>"
        "<h3 id='c'>C<a href='/c'></a></h3><h4 id='d'><a href='#d'><img src='i.png'></a></h4>"
        "<p id='e'>E<a href='#e'></a></p></div>"
    )
    assert without_empty_anchor_links(tree) == 1
    a, b, c, d, e = (tree.get_element_by_id(i) for i in "abcde")
    assert a.find("a") is None and a.text_content() == "A tail"
    assert all(el.find(".//a") is not None for el in (b, c, d, e))


def test_a_layout_dump_is_mostly_table_rows_holding_the_story_or_nothing_else() -> None:
    rows = "\n\n".join(f"| Section {i} | Weather {i} |" for i in range(6))
    story = "\n\n".join(f"Paragraph {i} of a story told in plain lines of prose." for i in range(6))
    story_cell = " ".join(f"The council met on day {i} and agreed the budget." for i in range(4))
    assert is_layout_dump(rows)
    assert is_layout_dump(f"{rows}\n\n| {story_cell} | Print |\n\n{story[:60]}")
    assert not is_layout_dump(f"{story}\n\n| Print | Email |")
    assert not is_layout_dump(story)


def test_a_data_table_beside_the_story_is_not_a_layout_dump() -> None:
    """Poll results or statistics under a paragraph: short cells, prose outside the rows."""
    intro = "This week's poll was open for two days and received two hundred responses."
    table = "\n\n".join(
        ["| Response | Votes | % |"] + [f"| Answer {i} | {10 * i} | {i}% |" for i in range(6)]
    )
    assert not is_layout_dump(f"{intro}\n\n{table}")


def test_a_scoreboard_below_a_story_with_a_long_caption_cell_is_not_a_layout_dump() -> None:
    """The story's prose stands outside the rows and outweighs the one story-sized cell (a
    picture's long caption in a table): the rows are the article's own tables."""
    caption = " ".join(
        f"The captain celebrates wicket {i} of the match on Sunday." for i in range(4)
    )
    story = "\n\n".join(
        f"Paragraph {i} of the match report tells how the innings collapsed after lunch."
        for i in range(6)
    )
    scoreboard = "\n\n".join(f"| Batsman {i} | c Keeper b Bowler | {3 * i} |" for i in range(14))
    assert not is_layout_dump(f"| {caption} |\n\n{story}\n\n{scoreboard}")
    assert is_layout_dump(f"| {caption} {caption} {caption} |\n\n{story[:80]}\n\n{scoreboard}")


def test_story_cells_keep_the_story_of_a_layout_dump_and_drop_menus_and_teasers() -> None:
    story = " ".join(f"The council met on day {i} and agreed the harbour budget." for i in range(5))
    dump = "\n\n".join(
        [
            "| Site news, classifieds and community. | Thursday |",
            "| Home | World | Sport | Weather |",
            f"| Council agrees harbour budget \\| Local {story} | Print |",
            "Copyright line outside the table",
            "| Teaser about the cup final on Sunday | Teaser about the ferry |",
        ]
    )
    assert story_cells(dump).split("\n\n") == [
        f"Council agrees harbour budget | Local {story}",
        "Copyright line outside the table",
    ]


def captioned_post_page() -> str:
    # A blog editor's post: a first <p>, then runs of text written straight into the body
    # <div> (in <b>/<span>), with picture tables classed as captions between them.
    def picture(n: int) -> str:
        return (
            f"<table class='tr-caption-container'><tr><td><img src='/p{n}.jpg'></td></tr>"
            f"<tr><td class='tr-caption'>Picture {n} shows the new shelves</td></tr></table>"
        )

    loose = (
        "<b><span>Loose paragraph {0} explains how the library will lend tools to members, which"
        " days the workshop opens and what it costs to join the scheme this year.</span></b>"
    )
    return (
        "<html><head><title>The tool library opens</title></head><body><div class='post'>"
        "<h1>The tool library opens</h1><div class='post-body'><p>"
        + "<br><br>".join(
            f"First paragraph part {i} tells readers that the town's tool library opens next"
            " week in the old fire station, after two years of planning by volunteers."
            for i in range(2)
        )
        + f"<br><br></p>{picture(1)}\ufeff{loose.format(1)}<br><br>{picture(2)}\ufeff"
        + loose.format(2)
        + "</div></div></body></html>"
    )


def test_text_between_removed_picture_tables_is_kept() -> None:
    outcome = page_outcome(
        FetchedPage.of_html(captioned_post_page(), URL, site="blog", fetched_at=NOW)
    )
    assert outcome.article is not None
    body = outcome.article.body
    assert "Loose paragraph 1 explains" in body and "Loose paragraph 2 explains" in body
    assert "Picture 1 shows" not in body


def hard_wrapped_page() -> str:
    # A post whose paragraphs the author wrapped by hand with <br>, beside a list written the
    # same way and a code listing.
    wrapped = (
        "<p>The harbour board met on Tuesday night and agreed, after a long debate,<br>"
        "that the old wall must be raised before the autumn storms come back to the<br>"
        "town. The mayor said the work would start in May.</p>"
    )
    story = "".join(
        f"<p>Paragraph {i} of the post tells readers what the board decided and why it took"
        " so long to agree on the height of the new harbour wall.</p>"
        for i in range(4)
    )
    recipe = (
        "<p>4 pounds apples quartered, unpeeled and cored neatly<br>"
        "scant 1/4 cup granulated sugar<br>pinch of salt</p>"
    )
    code = "<pre>from harbour.walls import height_for_storm_of_the_century\nprint(height)</pre>"
    return f"<html><body><article><h1>Raise the wall</h1>{wrapped}{story}{recipe}{code}</article></body></html>"


def test_hard_wrapped_prose_is_joined_but_lists_and_code_stay_lines() -> None:
    fetched = FetchedPage.of_html(hard_wrapped_page(), URL, site="blog", fetched_at=NOW)
    body = page_outcome(fetched).article.body
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == (
        "The harbour board met on Tuesday night and agreed, after a long debate, that the old"
        " wall must be raised before the autumn storms come back to the town. The mayor said"
        " the work would start in May."
    )
    assert "4 pounds apples quartered, unpeeled and cored neatly" in paragraphs
    assert "scant 1/4 cup granulated sugar" in paragraphs
    assert "from harbour.walls import height_for_storm_of_the_century" in paragraphs


STEPS = [
    "Measure the table top from edge to edge through its centre and write the number down.",
    "Cut the fabric to that length plus twice the drop you want, and one inch for the hem.",
    "Fold the square twice, mark the radius with a tape and cut along the curved line.",
]


def script_built_page(ld: dict[str, Any]) -> str:
    """A how-to page whose text a script builds: the HTML shows only a menu and an empty root."""
    return (
        "<html><head><title>How to sew a round tablecloth</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
        "<ul class='menu'><li><a href='/'>Home</a></li><li><a href='/diy'>DIY</a></li></ul>"
        "<div id='root'></div></body></html>"
    )


@pytest.mark.parametrize(
    "ld",
    [
        {
            "@type": "HowTo",
            "name": "How to sew a round tablecloth",
            "description": "<p>A round table needs a round cloth.</p>",
            "step": [
                {"@type": "HowToStep", "itemListElement": {"@type": "HowToDirection",
                                                           "text": f"<p>{STEPS[0]}</p>"}},
                {"@type": "HowToSection", "itemListElement": [
                    {"@type": "HowToStep", "text": STEPS[1]},
                    {"@type": "HowToStep", "text": STEPS[2]},
                ]},
            ],
        },
        {"@type": "Recipe", "description": "A round table needs a round cloth.",
         "recipeInstructions": STEPS},
    ],
    ids=["howto", "recipe"],
)  # fmt: skip
def test_a_script_built_how_to_page_keeps_its_steps_from_json_ld(ld: dict[str, Any]) -> None:
    page = FetchedPage.of_html(script_built_page(ld), URL, site="blog", fetched_at=NOW)
    outcome = page_outcome(page)
    assert outcome.article is not None and outcome.reason is None
    assert outcome.article.body.split("\n\n") == ["A round table needs a round cloth.", *STEPS]


LEAD = "HARBOURTOWN - Police have named the man found on the quay wall early on Sunday morning."
FOLLOWING = [
    f"Paragraph {i} of the report says what the neighbours heard before the ambulance came."
    for i in range(4)
]


def test_a_first_paragraph_written_before_the_containers_paragraphs_is_kept() -> None:
    """The template wrote the story's first paragraph straight into the body container, after
    an empty viewer box, and the rest in <p>s: trafilatura alone reads only the <p>s."""
    page = (
        "<html><head><title>Man found on the quay named</title></head><body>"
        "<h1>Man found on the quay named</h1><div class='articleBody'>"
        f"<div class='viewer'><span></span></div><span></span>{LEAD} "
        + "".join(f"<p>{p}</p>" for p in FOLLOWING)
        + "</div></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(page, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.body.split("\n\n") == [LEAD, *FOLLOWING]


def test_only_a_long_lead_before_a_container_mostly_of_paragraphs_is_wrapped() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in FOLLOWING)
    wrapped = fromstring(f"<div><b>HARBOURTOWN</b> - {LEAD[14:]}{paragraphs}</div>")
    assert wrap_loose_leads(wrapped) == 1
    assert [p.text_content() for p in wrapped.iter("p")][:1] == [LEAD]
    short = fromstring(f"<div>Photo: J. Roe {paragraphs}</div>")
    assert wrap_loose_leads(short) == 0
    lines = "".join(f"<div>{p}</div>" for p in FOLLOWING * 3)
    post_of_div_lines = fromstring(f"<div>{LEAD}<p>{FOLLOWING[0]}</p>{lines}<p>Bye.</p></div>")
    assert wrap_loose_leads(post_of_div_lines) == 0


QUOTE = "“We heard a shout and then nothing at all,” said a neighbour who called the police."


def test_a_paragraph_written_as_a_div_between_the_storys_paragraphs_is_kept() -> None:
    """An editor put one paragraph in a ``<div>`` among the ``<p>``s: precision mode drops it."""
    paragraphs = [f"<p>{p}</p>" for p in FOLLOWING]
    page = (
        "<html><head><title>Man found on the quay named</title></head><body>"
        f"<article><h1>Man found on the quay named</h1>{''.join(paragraphs[:2])}"
        f"<div>{QUOTE}</div>{''.join(paragraphs[2:])}</article></body></html>"
    )
    outcome = page_outcome(FetchedPage.of_html(page, URL, site="blog", fetched_at=NOW))
    assert outcome.article is not None
    assert outcome.article.body.split("\n\n") == [*FOLLOWING[:2], QUOTE, *FOLLOWING[2:]]


def test_only_prose_blocks_between_paragraphs_become_paragraphs() -> None:
    first, *middle, last = (f"<p>{p}</p>" for p in FOLLOWING)
    story = fromstring(f"<div>{first}<div><em>{QUOTE}</em></div>{''.join(middle)}{last}</div>")
    assert retag_paragraph_divs(story) == 1
    assert [p.text_content() for p in story.iter("p")][1] == QUOTE
    wrapped = f"<div><div><section>{QUOTE}</section></div></div>"
    nested = fromstring(f"<div>{first}{wrapped}{''.join(middle)}{last}</div>")
    assert retag_paragraph_divs(nested) == 1
    assert [p.text_content() for p in nested.iter("p")][1] == QUOTE
    notice = "Reporting by Jane Roe in Harbourtown; editing by John Doe for the desk"
    closing = fromstring(f"<div>{first}{''.join(middle)}{last}<div>{notice}</div></div>")
    teaser = f"<div><a href='/other'>{QUOTE}</a></div>"
    box = f"<div><ul><li>{QUOTE}</li></ul></div>"
    short = "<div>Photo: J. Roe</div>"
    others = fromstring(f"<div>{first}{teaser}{box}{short}{''.join(middle)}{last}</div>")
    assert retag_paragraph_divs(closing) == 0
    assert retag_paragraph_divs(others) == 0


def ruby_story_page() -> str:
    # A Japanese story whose names and rare words carry their reading in ruby markup.
    ruby = "<ruby><rb>{}</rb><rp>（</rp><rt>{}</rt><rp>）</rp></ruby>"
    paragraphs = "".join(
        f"<p>【東京】第{i}段落：市の\n{ruby.format('港湾', 'こうわん')}\n局は、台風で壊れた"
        f"{ruby.format('防波堤', 'ぼうはてい')}を春までに直すと発表した。工事は来月から始まる予定だ。</p>"
        for i in range(1, 9)
    )
    return (
        "<html lang='ja'><head><title>防波堤を春までに修理</title></head><body><article>"
        f"<h1>防波堤を春までに修理</h1>{paragraphs}</article></body></html>"
    )


def test_ruby_readings_are_dropped_and_the_sentence_stays_whole() -> None:
    outcome = page_outcome(FetchedPage.of_html(ruby_story_page(), URL, site="news", fetched_at=NOW))
    assert outcome.article is not None
    paragraphs = outcome.article.body.split("\n\n")
    first = "【東京】第1段落：市の 港湾 局は、台風で壊れた防波堤を春までに直すと発表した。"
    assert paragraphs[0].startswith(first)
    assert len(paragraphs) == 8
    assert "こうわん" not in outcome.article.body
