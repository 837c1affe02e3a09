"""The boilerplate registry and pruning, on small pages."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.extraction.boilerplate import (
    BOILERPLATE_TOKENS,
    is_boilerplate_heading,
    matches_boilerplate,
    merge_split_bodies,
    paragraph_text_lengths,
    prune,
    story_container,
)
from newscrawl.items import FetchedPage
from newscrawl.page import page_outcome

STORY = "".join(
    f"<p>Story paragraph {i} with enough words to count as real article prose here.</p>"
    for i in range(6)
)


def pruned_text(html: str) -> str:
    tree = lxml.html.document_fromstring(html)
    prune(tree)
    return " ".join(tree.text_content().split())


@pytest.mark.parametrize(
    "cls",
    ["related-posts", "jp-relatedposts", "newsletter-box", "comment-respond", "share-bar",
     "trending-strip", "widget_recent", "sidebar", "ad-slot", "most-read", "author-bio",
     "tags-links", "twitter-tweet", "sharedaddy sd-sharing-enabled", "mc4wp-form",
     "ez-toc-v2_0_17 counter-hierarchy", "toc_container", "wp-block-table-of-contents",
     "tag-list"],
)  # fmt: skip
def test_boilerplate_classes_are_recognised(cls: str) -> None:
    assert matches_boilerplate(lxml.html.fromstring(f'<div class="{cls}">x</div>'))


@pytest.mark.parametrize(
    "cls",
    ["entry-content", "article-body", "shared-content", "headline", "hidden md:block", "adapt",
     "toc_1", "stock", "post type-post category-newsletter tag-social-media tag-comments"],
)  # fmt: skip
def test_content_classes_are_not_boilerplate(cls: str) -> None:
    assert not matches_boilerplate(lxml.html.fromstring(f'<div class="{cls}">x</div>'))


@pytest.mark.parametrize(
    "attrs",
    ['class="sc-92253cc8-0 bAdXyZ"', 'id="block-id-n1AuAdJlVL"', 'class="x kNavQe"'],
)
def test_generated_hashes_do_not_spell_tokens_in_camel_case(attrs: str) -> None:
    """ "bAdXyZ" split as camelCase would read "b ad xy z": a hash is one word."""
    assert not matches_boilerplate(lxml.html.fromstring(f"<p {attrs}>x</p>"))


@pytest.mark.parametrize("cls", ["topAdSlot", "mainNavigation", "withSidebar", "adWrap"])
def test_camel_case_names_are_read_as_words(cls: str) -> None:
    assert matches_boilerplate(lxml.html.fromstring(f'<div class="{cls}">x</div>'))


def test_every_group_has_tokens() -> None:
    assert all(BOILERPLATE_TOKENS.values())


@pytest.mark.parametrize(
    "heading",
    ["Related posts", "Worth reading...", "Leave a Reply", "Lesen Sie auch", "À lire aussi",
     "Les også", "関連記事", "Newsletter", "More from Politics", "Read more",
     "Dieses Thema könnte Sie auch interessieren", "Te puede interesar", "Leia também",
     "Lees ook", "Baca juga", "Lue myös", "Související články", "Читайте також",
     "Διαβάστε επίσης", "Tin liên quan", "İlgili haberler", "أخبار ذات صلة", "קראו גם",
     "यह भी पढ़ें", "延伸阅读", "Lea también", "Schon gelesen?", "Zum Weiterlesen:",
     "Diese Artikel könnten euch auch interessieren:", "Explore related content",
     "Discover more recipes", "Entdecke weitere Reportagen", "Entdecken Sie mehr",
     "Sign-up To The Newsletter And Get A Free eBook", "Subscribe to our newsletter today",
     "Most read in Football", "Today's Most-Read Articles", "Most emailed"],
)  # fmt: skip
def test_boilerplate_headings(heading: str) -> None:
    assert is_boilerplate_heading(heading)


@pytest.mark.parametrize(
    "heading",
    ["Visit to China", "Related parties agree on a deal", "Comments on the budget from ministers",
     "Explorers discover more than a wreck", "Entdeckt: eine weitere Höhle",
     "Newsletter sales grew in the spring", "Most readers agree on one thing"],
)  # fmt: skip
def test_sub_headlines_are_not_boilerplate_headings(heading: str) -> None:
    assert not is_boilerplate_heading(heading)


def test_prune_removes_blocks_but_keeps_the_story() -> None:
    html = f"""<html><body><div class="content has-sidebar"><article><h1>Title</h1>{STORY}
    <div class="related-posts"><h3>Related posts</h3><a href="/x">Other story</a></div>
    <section><h2>Worth reading...</h2><a href="/y">Another story headline here</a></section>
    <p>Lesen Sie auch: <a href="/z">Noch eine andere Geschichte aus der Stadt</a></p>
    <ul><li><a href="/a">Teaser one headline</a></li><li><a href="/b">Teaser two headline</a></li></ul>
    </article><aside>Sidebar words</aside></div></body></html>"""
    text = pruned_text(html)
    assert "Story paragraph 5" in text and "Story paragraph 0" in text
    for gone in ("Other story", "Another story", "Noch eine", "Teaser one", "Sidebar words"):
        assert gone not in text


def test_a_definition_list_of_links_is_pruned_with_its_headings_a_glossary_stays() -> None:
    boxes = (
        "<dl><dt>TOP STORIES</dt><dd><p><a href='/a'>Ferry strike ends</a></p>"
        "<p><a href='/b'>Harbour wall rebuilt</a></p></dd></dl>"
        "<dl><dt>Font size:</dt><dd><a href='#'>Increase font size</a></dd>"
        "<dt>Send this article:</dt><dd><a href='#'>Print this article</a></dd></dl>"
    )
    glossary = (
        "<dl><dt>Spring tide</dt><dd>A tide just after a new or full moon, when the difference "
        "between high and low water is greatest.</dd></dl>"
    )
    text = pruned_text(
        f"<html><body>{boxes}<article><h1>Title</h1>{STORY}{glossary}</article></body></html>"
    )
    assert "Story paragraph 0" in text and "Spring tide" in text
    for gone in ("TOP STORIES", "Ferry strike", "Font size", "Print this article"):
        assert gone not in text


def test_a_post_wrapper_named_for_its_categories_and_tags_is_not_pruned() -> None:
    """WordPress writes a post's terms as classes ("category-newsletter", "tag-social-media"):
    they name the site's topics, not the block, even when other prose outweighs the story."""
    teasers = "".join(
        f"<div><h3><a href='/t{i}'>Teaser {i}</a></h3><p>Teaser {i} tells of another thing"
        " that happened in town this week and of the people who were there.</p></div>"
        for i in range(8)
    )
    html = (
        "<html><body><header class='entry-header'><h1>Title</h1></header>"
        "<article class='post type-post category-newsletter tag-social-media'>"
        f"<div class='entry-content'>{STORY}</div></article><section>{teasers}</section>"
        "</body></html>"
    )
    assert "Story paragraph 5" in pruned_text(html)


def _teasers(n: int) -> str:
    return "".join(
        f"<div><h3><a href='/t{i}'>Teaser {i}</a></h3><p>Teaser {i} tells of another thing"
        " that happened in town this week and of the people who were there.</p></div>"
        for i in range(n)
    )


LONG_STORY = "".join(
    f"<p>Story paragraph {i} tells what the harbour board decided and why it matters.</p>"
    for i in range(5)
)


def _story_page(cls: str) -> str:
    return (
        "<html><body><header class='entry-header'><h1>Title</h1></header>"
        f"<div class='{cls}'>{LONG_STORY}</div><section>{_teasers(12)}</section></body></html>"
    )


def _body(html: str) -> str:
    page = FetchedPage.of_html(
        html, "https://news.example/a", site="news", fetched_at=datetime(2024, 5, 2, tzinfo=UTC)
    )
    article = page_outcome(page).article
    assert article is not None
    return article.body


@pytest.mark.parametrize("cls", ["article-body js-share-scope", "story subscriber-content"])
def test_the_storys_container_is_not_pruned_for_its_name(cls: str) -> None:
    """The story's paragraphs sit in a block named like a share bar or a subscription box,
    and teasers outweigh them: the name removes nothing, the body is the one a neutral name
    gives."""
    tree = lxml.html.document_fromstring(_story_page(cls))
    prune(tree, story=story_container(tree))
    assert "Story paragraph 4" in tree.text_content()
    unguarded = lxml.html.document_fromstring(_story_page(cls))
    prune(unguarded)  # without the story's container, its name removes it
    assert "Story paragraph 4" not in unguarded.text_content()
    body = _body(_story_page(cls))
    assert "Story paragraph 4" in body and body == _body(_story_page("article-body"))


def test_the_story_container_holds_the_most_prose_outside_comments() -> None:
    comment = "".join(
        f"<p>Reader paragraph {i} argues at length about the harbour board and its plans.</p>"
        for i in range(8)
    )
    html = (
        f"<html><body><div class='entry'>{LONG_STORY}</div>"
        f"<ol class='commentlist'><li><div class='commentbody'>{comment}</div></li></ol>"
        "</body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    story = story_container(tree)
    assert story is not None and story.get("class") == "entry"
    short = lxml.html.document_fromstring(f"<html><body><div>{STORY}</div></body></html>")
    assert story_container(short) is not None
    two = "".join(f"<p>{'word ' * 20}</p>" for _ in range(2))
    assert story_container(lxml.html.document_fromstring(f"<div>{two}</div>")) is None


def test_a_header_wrapping_only_a_section_heading_stays_other_headers_go() -> None:
    html = f"""<html><body><header><div class="logo">Harbour Post</div><h2>Local news</h2>
    </header><article><h1>Title</h1>{STORY}<ul class="accordion"><li>
    <header class="accordion-head"><h3>Benefits of the new timetable:</h3></header>
    <div class="accordion-body"><p>Ferries run every twenty minutes.</p></div></li></ul>
    <div class="more"><article><header><h3><a href="/x">Another harbour story</a></h3></header>
    </article></div></article></body></html>"""
    text = pruned_text(html)
    assert "Benefits of the new timetable:" in text and "Ferries run" in text
    for gone in ("Harbour Post", "Local news", "Another harbour story"):
        assert gone not in text


@pytest.mark.parametrize(
    "pointer",
    [
        "<p>Le puede interesar: <a href='/z'>Otra historia de la ciudad y del puerto</a></p>",
        "<p>Das Thema könnte dich auch interessieren:</p>",
    ],
)
def test_a_might_interest_you_pointer_in_the_body_is_removed(pointer: str) -> None:
    html = f"<html><body><article><h1>T</h1>{STORY}{pointer}</article></body></html>"
    text = pruned_text(html)
    assert "Story paragraph 5" in text and "interes" not in text


@pytest.mark.parametrize(
    "marker",
    ["Leia também:", "Lees ook:", "Baca juga:", "Lue myös:", "Čtěte také:", "Citește și:",
     "Читайте також:", "Διαβάστε επίσης:", "Xem thêm:", "İlgili haber:", "اقرأ أيضا:",
     "קראו גם:", "यह भी पढ़ें:", "関連記事:", "延伸阅读：", "관련기사:", "Lea también:",
     "Vea también:"],
)  # fmt: skip
def test_a_read_also_pointer_in_any_news_language_is_removed(marker: str) -> None:
    pointer = f"<p>{marker} <a href='/z'>The harbour wall story from last week in full</a></p>"
    html = f"<html><body><article><h1>T</h1>{STORY}{pointer}</article></body></html>"
    text = pruned_text(html)
    assert "Story paragraph 5" in text and "harbour wall story" not in text


def test_a_wrapper_holding_most_of_the_prose_is_never_pruned() -> None:
    html = f'<html><body><div class="sidebar-layout"><h1>T</h1>{STORY}</div></body></html>'
    assert "Story paragraph 3" in pruned_text(html)


def test_split_bodies_are_merged_but_not_across_stories() -> None:
    part = (
        '<div class="article-body"><p>{} part of the story with plenty of words to count.</p></div>'
    )
    html = f"<html><body><article><h1>T</h1>{part.format('First')}<div class='ad'></div>{part.format('Second')}</article></body></html>"
    tree = lxml.html.document_fromstring(html)
    assert merge_split_bodies(tree) == 1
    bodies = tree.find_class("article-body")
    assert "Second" in bodies[0].text_content()

    two_stories = f"<html><body><article><h1>A</h1>{part.format('A')}</article><article><h1>B</h1>{part.format('B')}</article></body></html>"
    assert merge_split_bodies(lxml.html.document_fromstring(two_stories)) == 0


def test_paragraphs_written_as_divs_of_one_class_are_not_merged() -> None:
    paragraphs = "".join(
        f"<div class='article-body__paragraph'>Paragraph {i} cites the <a href='/r{i}'>report "
        f"{i}</a> on the harbour wall, with enough words to count as prose.</div>"
        for i in range(4)
    )
    tree = lxml.html.document_fromstring(
        f"<html><body><article><h1>T</h1>{paragraphs}</article></body></html>"
    )
    assert merge_split_bodies(tree) == 0
    texts = [
        " ".join(el.text_content().split()) for el in tree.find_class("article-body__paragraph")
    ]
    assert (
        texts[2]
        == "Paragraph 2 cites the report 2 on the harbour wall, with enough words to count as prose."
    )


def test_a_live_blog_entry_keeps_its_heading_when_split_bodies_are_merged() -> None:
    entries = "".join(
        f"<div class='update'><h3>Update {i}: the bridge</h3><div class='entry-text'><p>Entry {i}"
        " tells readers what happened at the bridge this hour, in some detail.</p></div>"
        "<div class='ad-slot'></div></div>"
        for i in range(3)
    )
    tree = lxml.html.document_fromstring(
        f"<html><body><article><h1>T</h1>{entries}</article></body></html>"
    )
    assert merge_split_bodies(tree) == 2
    merged = tree.find_class("entry-text")[0]
    texts = [" ".join(el.text_content().split()) for el in merged]
    assert texts[1:] == [
        "Update 1: the bridge",
        "Entry 1 tells readers what happened at the bridge this hour, in some detail.",
        "Update 2: the bridge",
        "Entry 2 tells readers what happened at the bridge this hour, in some detail.",
    ]


def test_teasers_classed_like_the_body_are_not_merged_into_it() -> None:
    story = "".join(
        f"<p>Story paragraph {i} tells what the council decided about the harbour wall.</p>"
        for i in range(4)
    )
    teasers = "".join(
        f"<div class='module-content'><h3><a href='/other-{i}'>Other story {i}</a></h3>"
        f"<p>Lead {i} of another story, one sentence that sends readers elsewhere.</p></div>"
        for i in range(6)
    )
    html = (
        f"<html><body><div class='main'><h1>T</h1><div class='module-content'>{story}</div></div>"
        f"<div class='more'>{teasers}</div></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    assert merge_split_bodies(tree) == 0
    assert "Lead 0" not in tree.find_class("module-content")[0].text_content()


def _teaser_entries(count: int, lead: str) -> str:
    return "".join(
        f"<div class='entry'><h2><a href='/news/other-story-{i}.html'>Other story {i}</a></h2>"
        f"{lead} {i}...</div><br>"
        for i in range(count)
    )


def test_a_block_of_three_or_more_linked_headlines_with_short_leads_is_pruned() -> None:
    """Other stories' headlines, each a link with a line of its lead: a teaser list, whatever
    the block is called (an old table cell here)."""
    lead = "A truncated lead of another story that sends readers elsewhere for the rest"
    text = pruned_text(
        f"<html><body><table><tr><td><h1>Title</h1>{STORY}</td>"
        f"<td class='content'>{_teaser_entries(4, lead)}</td></tr></table></body></html>"
    )
    assert "Story paragraph 5" in text
    assert "Other story 0" not in text and "truncated lead" not in text


def test_two_teasers_or_sections_with_linked_headings_and_long_text_stay() -> None:
    lead = "A truncated lead of another story that sends readers elsewhere for the rest"
    two = pruned_text(
        f"<html><body><div><h1>Title</h1>{STORY}</div>"
        f"<div class='content'>{_teaser_entries(2, lead)}</div></body></html>"
    )
    assert "Other story 1" in two
    sections = "".join(
        f"<h2><a href='/products/item-{i}'>Item {i}</a></h2>"
        + "".join(f"<p>Item {i} review paragraph {j}: {lead}, in the story itself.</p>"
                  for j in range(4))
        for i in range(4)
    )  # fmt: skip
    roundup = pruned_text(
        f"<html><body><h1>Title</h1><div class='post'>{STORY}</div>"
        f"<div class='more'>{sections}</div></body></html>"
    )
    assert "Item 3 review paragraph 3" in roundup


def test_live_blog_entries_whose_headings_link_to_their_anchors_are_merged() -> None:
    entries = "".join(
        f"<div class='entry-text'><h3><a href='#entry-{i}'>Update {i}</a></h3><p>Entry {i} "
        "tells readers what happened at the bridge.</p></div><div class='ad-slot'></div>"
        for i in range(3)
    )
    tree = lxml.html.document_fromstring(
        f"<html><body><article><h1>T</h1>{entries}</article></body></html>"
    )
    assert merge_split_bodies(tree) == 2


def test_a_split_body_part_holding_only_a_sub_heading_is_merged_in_order() -> None:
    part = "<div class='body-part'><p>{} part of the story with plenty of words to count.</p></div>"
    html = (
        f"<html><body><article><h1>T</h1>{part.format('First')}<div class='ad'></div>"
        f"<div class='body-part'><h2>What comes next</h2></div>{part.format('Second')}"
        "</article></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    merge_split_bodies(tree)
    merged = tree.find_class("body-part")[0]
    assert [el.tag for el in merged] == ["p", "h2", "p"]


def _split_story(first_class: str, later_class: str) -> str:
    parts = [
        f"<div class='{first_class}'><p>Part 0 of the story, opening with plenty of words to count.</p></div>"
    ] + [
        f"<div class='side-rail'></div><div class='{later_class}'><p>Part {i} of the story, "
        "going on with plenty of words to count.</p></div>"
        for i in (1, 2)
    ]
    return f"<html><body><h1>T</h1>{''.join(parts)}</body></html>"


def test_a_first_part_that_adds_a_body_name_to_the_others_class_is_merged_with_them() -> None:
    """A CMS names the first part of a split story twice ("article_body entry-content") and
    the others once ("article_body"): one body, joined in order."""
    tree = lxml.html.document_fromstring(_split_story("article_body entry-content", "article_body"))
    assert merge_split_bodies(tree) == 2
    merged = tree.find_class("article_body")[0]
    assert [" ".join(p.text_content().split()[:2]) for p in merged] == [
        "Part 0", "Part 1", "Part 2"
    ]  # fmt: skip


def test_a_story_whose_first_part_is_named_twice_is_extracted_whole() -> None:
    """The opening part, beside the tools rail, and the long rest after it: read alone, the
    rest looks like the whole story."""
    sentence = "the harbour board met on Tuesday night to decide about the flooded quay"
    opening = "".join(f"<p>Opening {i}: {sentence}.</p>" for i in range(3))
    rest = "".join(f"<p>Later {i}: {sentence}.</p>" for i in range(20))
    html = (
        "<html><body><h1>Harbour floods</h1><div id='main'>"
        f"<div class='article_body entry-content'><article>{opening}</article></div>"
        "<div class='article-side-rail'><a href='/share'>Share</a> <a href='/print'>Print</a>"
        f"</div></div><div class='article_body'><article>{rest}</article></div></body></html>"
    )
    body = _body(html)
    assert body.startswith("Opening 0:") and "Later 19:" in body


def test_a_part_whose_class_differs_only_in_spacing_is_one_of_the_others() -> None:
    tree = lxml.html.document_fromstring(_split_story("content-text ", "content-text"))
    assert merge_split_bodies(tree) == 2


def test_a_block_that_adds_a_layout_name_to_the_body_class_is_not_merged_with_it() -> None:
    """A grid column's "col-12" marks another block that reuses the body's class name."""
    tree = lxml.html.document_fromstring(_split_story("col-12 text", "text"))
    assert merge_split_bodies(tree) == 1
    assert "Part 0" not in tree.find_class("text")[1].text_content()


def test_blocks_classed_alike_outside_the_story_are_not_joined_as_its_parts() -> None:
    """Readers' comments, each a ``<div class="post">``, outweigh a short story: they are no
    part of it, however their text compares."""
    story = "".join(
        f"<p>Story paragraph {i} tells what the council decided about the harbour wall.</p>"
        for i in range(3)
    )
    comments = "".join(
        f"<div class='post'><p>Reader {i} wrote: I have lived by the harbour for thirty years "
        "and never saw the water come up like this.</p><p>Reader {i} added: the council ignored "
        "every warning about the wall.</p></div>"
        for i in range(6)
    )
    html = (
        f"<html><body><article><h1>T</h1>{story}</article><div class='replies'>{comments}</div>"
        "</body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    assert merge_split_bodies(tree, story_container(tree)) == 0
    assert "Reader 1" not in tree.find_class("post")[0].text_content()
    assert merge_split_bodies(tree) == 5  # without a known story, they look like one body


def test_a_story_rendered_twice_is_not_joined_into_one_copy() -> None:
    """A hidden preview of the story before the story itself, classed alike: joining the
    parts after them into the preview would move the story out of sight."""
    story = "".join(
        f"<p>Paragraph {i} of the story, with plenty of words to count as real prose.</p>"
        for i in range(4)
    )
    html = (
        f"<html><body><h1>T</h1><div class='story-text'>{story}</div>"
        f"<div class='story-text'>{story}</div><div class='ad'></div>"
        f"<div class='story-text'><p>The end of the story, in a part of its own.</p></div>"
        "</body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    assert merge_split_bodies(tree) == 0
    assert "The end" not in tree.find_class("story-text")[0].text_content()


@pytest.mark.parametrize(
    "promo",
    [
        (
            "If you buy something using links in our stories, we may earn a commission. "
            "<a href='/affiliate-policy'>Learn more</a>."
        ),
        (
            "Got a story? Get in touch with our news team by emailing us at "
            "<a href='mailto:news@example.com'>news@example.com</a>."
        ),
        "Folgen Sie uns auf <a href='https://wa.me/x'>WhatsApp</a>.",
    ],
)
def test_in_body_calls_to_action_and_disclosures_are_pruned(promo: str) -> None:
    text = pruned_text(f"<html><body><article>{STORY}<p>{promo}</p></article></body></html>")
    assert "Story paragraph 5" in text
    assert "commission" not in text and "Got a story" not in text and "WhatsApp" not in text


def test_prose_that_mentions_a_commission_without_a_link_stays() -> None:
    prose = "<p>The city council set up a commission to review the harbour wall.</p>"
    text = pruned_text(f"<html><body><article>{STORY}{prose}</article></body></html>")
    assert "set up a commission to review" in text


def test_prose_about_subscribers_stays_but_a_call_to_subscribe_goes() -> None:
    prose = (
        "<p>For subscribers, log in to the <a href='/account'>account area</a> and add your "
        "e-reader address there.</p>"
    )
    call = "<p>Subscribe to our <a href='/plans'>digital edition</a> today.</p>"
    text = pruned_text(f"<html><body><article>{STORY}{prose}{call}</article></body></html>")
    assert "For subscribers, log in" in text
    assert "Subscribe to our" not in text


@pytest.mark.parametrize(
    ("promo", "marker"),
    [
        (
            "Follow the Politics section on <a href='https://social.example/p'>Facebook</a>.",
            "Follow the",
        ),
        ("Listen to Harbour Radio live <a href='/radio'>here</a>.", "Listen to"),
        (
            "🛒 Deal of the day: <a href='/deals/kettle'>this kettle is 30% off</a>",
            "Deal of the day",
        ),
        (
            (
                "For the latest news download the Harbour Daily apps for "
                "<a href='/ios'>iOS</a> and <a href='/android'>Android</a>."
            ),
            "Harbour Daily apps",
        ),
    ],
)
def test_follow_listen_and_emoji_promos_are_pruned(promo: str, marker: str) -> None:
    text = pruned_text(f"<html><body><article>{STORY}<p>{promo}</p></article></body></html>")
    assert "Story paragraph 5" in text
    assert marker not in text


@pytest.mark.parametrize(
    "call",
    ["Siga-nos no", "Volg ons op", "Seguici su", "Obserwuj nas na", "Ikuti kami di",
     "Seuraa meitä", "Sledujte nás na", "Följ oss på", "Følg oss på", "Подпишитесь на",
     "Підпишіться на", "Ακολουθήστε μας στο", "Bizi takip edin:", "Theo dõi chúng tôi", "تابعونا على",
     "עקבו אחרינו ב"],
)  # fmt: skip
def test_a_call_to_follow_in_any_news_language_is_pruned(call: str) -> None:
    promo = f"<p>{call} <a href='https://social.example/harbour'>Harbour Daily</a></p>"
    text = pruned_text(f"<html><body><article>{STORY}{promo}</article></body></html>")
    assert "Story paragraph 5" in text and "Harbour Daily" not in text


@pytest.mark.parametrize(
    ("promo", "marker"),
    [
        ("Follow <a href='https://social.example/jroe'>@jroe</a> on Twitter.", "@jroe"),
        (
            "Want more harbour news? Follow Jane on <a href='https://social.example/j'>Instagram</a>",
            "Want more harbour news",
        ),
        ("– Follow the Desk on <a href='https://social.example/d'>Twitter</a>: @desk", "@desk"),
    ],
)
def test_a_line_asking_to_follow_someone_on_a_social_network_is_pruned(
    promo: str, marker: str
) -> None:
    text = pruned_text(f"<html><body><article>{STORY}<p>{promo}</p></article></body></html>")
    assert "Story paragraph 5" in text
    assert marker not in text


def test_prose_about_following_a_story_stays() -> None:
    prose = "<p>Listeners who follow the harbour story will recall the storm of 1987.</p>"
    text = pruned_text(f"<html><body><article>{STORY}{prose}</article></body></html>")
    assert "follow the harbour story" in text
    story = (
        "<p>If you follow me on <a href='https://social.example/j'>Twitter</a>, you saw the "
        "photos of the wall. The tide rose again on Wednesday. The mayor came at noon.</p>"
    )
    text = pruned_text(f"<html><body><article>{STORY}{story}</article></body></html>")
    assert "If you follow me" in text
    liked = (
        "<p>Like many parents on <a href='https://social.example/f'>Facebook</a>, she shared "
        "the photos of the flooded quay.</p>"
    )
    text = pruned_text(f"<html><body><article>{STORY}{liked}</article></body></html>")
    assert "Like many parents" in text


BR_STORY = "<br><br>".join(
    f"Line-broken paragraph {i} of a post that a blog editor wrote without any p elements."
    for i in range(6)
)


def test_prose_written_with_line_breaks_counts_as_paragraph_text() -> None:
    tree = lxml.html.document_fromstring(
        f"<html><body><div id='post'>{BR_STORY}</div>"
        "<div id='menu'><a href='/'>A link whose text is long enough to look like a sentence</a>"
        "</div></body></html>"
    )
    lengths = paragraph_text_lengths(tree)
    post, menu = tree.get_element_by_id("post"), tree.get_element_by_id("menu")
    assert lengths[post] > 400
    assert menu not in lengths  # link text is not prose


def test_a_weak_token_container_holding_a_line_broken_post_is_kept() -> None:
    comments = "".join(f"<p>Reader comment {i}: {'words ' * 15}</p>" for i in range(2))
    text = pruned_text(
        f"<html><body><div class='widget Blog'><h3>Title</h3><div class='post-body'>{BR_STORY}"
        f"</div></div><div class='comments'>{comments}</div></body></html>"
    )
    assert "Line-broken paragraph 5" in text
    assert "Reader comment" not in text


COMMENT_TEXT = "".join(
    f"<div class='c'><p>Reader {i} wrote a long reply that disagrees with every point made"
    " above, at length, with several anecdotes of their own.</p></div>"
    for i in range(4)
)


@pytest.mark.parametrize(
    "heading",
    ["Comments", "12 Comments", "Comments (12)", "Leave a Reply", "Kommentare (3)",
     "User Comments", "Reader comments (4)", "Readers' Comments", "Leserkommentare",
     "Commentaires", "Comentarios (12)", "Comentários", "Commenti", "Reacties",
     "Komentarze", "Комментарии", "Yorumlar", "Σχόλια", "댓글"],
)  # fmt: skip
def test_a_comments_heading_after_the_story_ends_it(heading: str) -> None:
    text = pruned_text(
        f"<html><body><div id='main'><h1>Title</h1>{STORY}<h3>{heading}</h3>{COMMENT_TEXT}"
        "</div></body></html>"
    )
    assert "Story paragraph 5" in text
    assert "Reader 0" not in text and "Reader 3" not in text


def test_a_comments_heading_named_like_its_block_ends_the_story_too() -> None:
    """``<h2 id="comments">``: the name would remove the heading alone and leave the
    comments under it."""
    text = pruned_text(
        f"<html><body><div id='main'><h1>Title</h1>{STORY}<h2 id='comments'>Comments</h2>"
        f"{COMMENT_TEXT}<h2>Post a comment</h2></div></body></html>"
    )
    assert "Story paragraph 5" in text
    assert "Reader 0" not in text and "Reader 3" not in text


def test_a_comments_heading_above_the_story_or_a_comment_sub_headline_opens_nothing() -> None:
    above = pruned_text(
        f"<html><body><div id='main'><h1>Title</h1><h3>Comments (35)</h3>{STORY}</div>"
        "</body></html>"
    )
    assert "Story paragraph 0" in above and "Story paragraph 5" in above
    sub_headline = pruned_text(
        f"<html><body><div id='main'><h1>Title</h1>{STORY}<h2>Comment</h2>"
        "<p>Our view on the matter, in one more paragraph of the story itself.</p></div>"
        "</body></html>"
    )
    assert "Our view on the matter" in sub_headline
    opinion_kicker = pruned_text(
        f"<html><body><div id='main'><div class='head'><span>Kommentar</span><h1>Title</h1></div>"
        f"{STORY}<h2>Kommentar</h2><p>Unsere Sicht auf die Dinge, ein Absatz der Geschichte.</p>"
        "</div></body></html>"
    )  # the singular labels an opinion piece
    assert "Unsere Sicht auf die Dinge" in opinion_kicker


LEGAL = "".join(
    f"<p>Purpose {i}: statistics and error analysis of our website; the data processed are "
    "connection data, browser data and the pages you called up, stored on your device.</p>"
    for i in range(40)
)


@pytest.mark.parametrize(
    "dialog_class", ["cookie-consent-overlay", "gdpr-popup", "privacyPopup dsgvo-layer"]
)
def test_a_consent_dialog_longer_than_the_article_does_not_outweigh_it(dialog_class: str) -> None:
    """The dialog's legal text is removed before shares are measured, so the article (in a
    wrapper with a weak token) keeps its real share of the prose and is not pruned."""
    text = pruned_text(
        f"<html><body><div class='{dialog_class}'>{LEGAL}</div>"
        f"<div class='content-with-sidebar'><h1>Headline</h1>{STORY}</div></body></html>"
    )
    assert "Story paragraph 5" in text
    assert "Purpose 3" not in text


def test_a_page_wrapper_named_after_its_cookie_banner_is_not_a_dialog() -> None:
    text = pruned_text(
        f"<html><body><div class='page has-cookie-banner'><article><h1>Headline</h1>{STORY}"
        "</article></div></body></html>"
    )
    assert "Story paragraph 5" in text


def test_prose_that_monitors_or_subscribes_is_not_a_follow_us_promo() -> None:
    prose = (
        "<p>Cơ quan chức năng đang theo dõi <a href='/mua-lu'>mực nước sông</a> từng giờ.</p>"
        "<p>Pelanggan berlangganan layanan air bersih dari <a href='/pdam'>PDAM</a> kota.</p>"
    )
    text = pruned_text(f"<html><body><article>{STORY}{prose}</article></body></html>")
    assert "theo dõi" in text and "berlangganan" in text


_NAME_PARTS = st.sampled_from(
    ["related", "posts", "author", "box", "ad", "slot", "cookie", "consent", "nav", "menu", "col",
     "md", "6", "sidebar", "widget", "share", "bar", "newsletter", "entry", "content", "Top",
     "Ad", "Slot", "about", "the", "toc", "container", "sr", "only"]
)  # fmt: skip
_NAME_WORDS = st.builds(
    lambda parts, joint: joint.join(parts),
    st.lists(_NAME_PARTS, min_size=1, max_size=4),
    st.sampled_from(["-", "_", ""]),
)


@given(st.lists(_NAME_WORDS, min_size=1, max_size=4))
def test_name_flags_read_word_by_word_equal_the_whole_attribute(words: list[str]) -> None:
    """Flags are cached per class word: that is only right while no token pattern spans a space."""
    from newscrawl.extraction import boilerplate

    attrs = " ".join(words)
    whole = boilerplate._naming_words(attrs)
    assert boilerplate._name_flags(attrs)[:3] == (
        boilerplate._TOKEN_RE.search(whole) is not None,
        boilerplate._STRONG_TOKEN_RE.search(whole) is not None,
        boilerplate._CONSENT_RE.search(whole) is not None,
    )


def test_a_block_removed_between_loose_text_runs_leaves_a_line_break() -> None:
    loose = "<b>A run of story text written straight into the container, long enough.</b>"
    tree = lxml.html.document_fromstring(
        f"<html><body><div class='post'>{loose}<div class='share-bar'>Share</div>{loose}"
        "</div><div class='post'><p>A paragraph.</p><div class='share-bar'>Share</div>"
        "<p>Another paragraph.</p></div></body></html>"
    )
    prune(tree)
    loose_post, paragraph_post = tree.find_class("post")
    assert [el.tag for el in loose_post] == ["b", "br", "b"]
    assert [el.tag for el in paragraph_post] == ["p", "p"]


def test_a_comment_removed_between_loose_text_runs_leaves_a_line_break() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><div class='post'><b>The city has it all, and it says so on every old wall</b>"
        "<!-- teaser -->"
        "City of superlatives, a run of text written straight into the container.</div>"
        "</body></html>"
    )
    prune(tree)
    (post,) = tree.find_class("post")
    assert [el.tag for el in post] == ["b", "br"]
    assert (post[1].tail or "").startswith("City of superlatives")


def test_an_element_removed_inside_a_line_of_text_leaves_the_line_whole() -> None:
    # An icon in a link and a hidden hint in a paragraph; a script inside a link-less line.
    tree = lxml.html.document_fromstring(
        "<html><body><div class='story'><p>The <a href='/report'>report<svg></svg></a> by the"
        " harbour board <select><option>x</option></select>found the wall too low.</p>"
        "<div class='loose'>Loose text of the story before <script>x()</script>and after"
        " the script, written straight into the container.</div></div></body></html>"
    )
    prune(tree)
    paragraph = tree.find(".//p")
    assert paragraph.find("br") is None and paragraph.find(".//br") is None
    assert " ".join(paragraph.text_content().split()) == (
        "The report by the harbour board found the wall too low."
    )
    (loose,) = tree.find_class("loose")
    assert loose.find("br") is None


def _built_part(i: int) -> str:
    """One part of a story set by a page builder: "section > container > row > column", an
    empty row above the one whose column holds the text."""
    sentence = "the harbour board met on Tuesday night to decide about the flooded quay"
    paragraphs = "".join(f"<p>Part {i}, paragraph {n}: {sentence}.</p>" for n in range(4))
    return (
        "<div class='section headline-with-text'><div class='container topic'>"
        "<div class='row'><div class='col-12'></div></div>"
        f"<div class='row'><div class='col-8'><h2>Heading {i}</h2>{paragraphs}</div></div>"
        "</div></div>"
    )


def test_parts_set_alike_by_a_page_builder_are_joined_where_their_text_is() -> None:
    table = "<div class='near-table'><table><tr><th>Formula</th><td>C2H6O</td></tr></table></div>"
    html = (
        "<html><body><h1>Harbour floods</h1>"
        f"{_built_part(0)}{table}{_built_part(1)}{table}{_built_part(2)}</body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    assert merge_split_bodies(tree) == 2
    column = tree.find_class("col-8")[0]
    assert [h.text for h in column.iter("h2")] == ["Heading 0", "Heading 1", "Heading 2"]
    body = _body(html)
    assert "Part 0, paragraph 0" in body and "Part 2, paragraph 3" in body


def test_parts_whose_text_is_one_line_each_stay_separate_paragraphs() -> None:
    sentence = "the harbour board met on Tuesday night to decide about the flooded quay"
    parts = "".join(
        f"<div class='block-content'><div class='line'><span>Line {i}: {sentence}.</span></div></div>"
        for i in range(6)
    )
    tree = lxml.html.document_fromstring(f"<html><body><h1>T</h1>{parts}</body></html>")
    assert merge_split_bodies(tree) == 5
    assert [el.get("class") for el in tree.find_class("block-content")[0]] == ["line"] * 6
