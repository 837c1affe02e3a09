"""Metadata that describes something other than the article's text: HTML tags left in a
description or ``articleBody``, a site-wide OpenGraph card on an article, a lead paragraph the
page never shows, a description that is a picture's caption."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from newscrawl.extraction.page import markup_text, parse_page, without_markdown
from newscrawl.extraction.structured import add_jsonld_candidates, add_meta_candidates
from newscrawl.items import ExtractedPage
from newscrawl.page import extract_record

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
URL = "https://harbour.example/2024/04/30/storm-floods-the-harbour/"
HEADLINE = "Storm floods the harbour"
SENTENCES = [
    f"Paragraph {i} tells how the water rose over the quay wall on Tuesday night." for i in range(9)
]
PARAGRAPHS = "".join(f"<p>{s}</p>" for s in SENTENCES)


def record(head: str, article: str = PARAGRAPHS) -> dict:
    html = (
        f"<html lang='en'><head><title>{HEADLINE} - Harbour Daily</title>{head}</head>"
        f"<body><article><h1>{HEADLINE}</h1>{article}</article></body></html>"
    )
    return extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)


def test_markup_text_keeps_paragraphs_apart_and_drops_tags() -> None:
    value = "<p>First <b>bold</b> line.</p><p>Second &amp; last.</p><script>x()</script>"
    assert markup_text(value) == "First bold line.\nSecond & last."


def test_a_whole_document_in_a_value_gives_only_its_visible_text() -> None:
    value = "<html><head><title>t</title><style>p{}</style></head><body><p>Donated.</p></body>"
    assert markup_text(value) == "Donated."


@given(st.text(alphabet=st.characters(blacklist_characters="<")))
def test_a_value_without_tags_is_returned_unchanged(value: str) -> None:
    assert markup_text(value) == value


def test_comparisons_are_not_tags() -> None:
    assert markup_text("Rates < 3% and > 1% <3") == "Rates < 3% and > 1% <3"


def test_an_article_body_written_in_markdown_is_read_as_its_text() -> None:
    """A CMS that writes its text in Markdown leaves it in the JSON-LD ``articleBody``: the
    body taken from it (the page shows only the start) has no link targets, emphasis marks,
    attribute lists or block markers."""
    markdown = "\n\n".join(
        [
            "+++dropcap",
            f"{SENTENCES[0]} A [study](https://science.example/paper) by *NASA*{{: .small}}.",
            "+++",
            *(f"**{s}**" if i == 1 else s for i, s in enumerate(SENTENCES[1:], 1)),
        ]
    )
    ld = json.dumps({"@type": "NewsArticle", "headline": HEADLINE, "articleBody": markdown})
    body = record(f"<script type='application/ld+json'>{ld}</script>", f"<p>{SENTENCES[0]}</p>")[
        "body"
    ]
    assert body.split("\n\n") == [f"{SENTENCES[0]} A study by NASA.", *SENTENCES[1:]]


@given(st.text(alphabet=st.characters(blacklist_characters="[{+")))
def test_text_without_markdown_links_markers_or_attributes_is_unchanged(value: str) -> None:
    assert without_markdown(value) == value  # "5 * 3" and a lone "*footnote" stay


def test_a_description_written_as_html_gives_plain_text_candidates() -> None:
    html = (
        "<html><head><meta name='description' content='<p>The quay wall <em>gave way</em>.</p>'>"
        "<meta property='og:description' content='<p>Water rose.</p><p>Boats sank.</p>'>"
        "</head><body></body></html>"
    )
    page = parse_page(html, URL)
    out = ExtractedPage(url=URL, site="harbour", fetched_at=NOW)
    add_meta_candidates(page, out)
    values = {c.source: c.value for c in out.candidates["summary"]}
    assert values == {"meta": "The quay wall gave way.", "opengraph": "Water rose.\nBoats sank."}


def test_a_description_in_tags_is_read_as_the_same_description_without_them() -> None:
    tagged = record(f"<meta name='description' content='<p><b>{SENTENCES[0]}</b></p>'>")
    plain = record(f"<meta name='description' content='{SENTENCES[0]}'>")
    assert (tagged["summary"], tagged["body"]) == (plain["summary"], plain["body"])
    assert "<" not in (tagged["summary"] or "")


def test_a_headline_written_as_html_is_read_without_its_tags() -> None:
    article = {"@type": "NewsArticle", "headline": "Storm <em>floods</em> the harbour"}
    head = (
        f"<script type='application/ld+json'>{json.dumps(article)}</script>"
        "<meta property='og:title' content='Storm &lt;b&gt;floods&lt;/b&gt; the harbour'>"
    )
    html = f"<html><head>{head}</head><body></body></html>"
    out = ExtractedPage(url=URL, site="harbour", fetched_at=NOW)
    page = parse_page(html, URL)
    add_meta_candidates(page, out)
    add_jsonld_candidates(page, out)
    values = {c.source: c.value for c in out.candidates["headline"]}
    assert values["jsonld"] == values["opengraph"] == "Storm floods the harbour"


def test_an_article_body_in_html_is_stored_as_plain_paragraphs() -> None:
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "articleBody": "".join(f"<p>{s} It is <b>still</b> raining.</p>" for s in SENTENCES),
    }
    head = f"<script type='application/ld+json'>{json.dumps(article)}</script>"
    result = record(head, article="<p>Only a teaser is on the page.</p>")
    assert result["sources"]["body"] == "jsonld"
    assert "<" not in result["body"]
    assert result["body"].split("\n\n")[:2] == [
        f"{SENTENCES[0]} It is still raining.",
        f"{SENTENCES[1]} It is still raining.",
    ]


SITE_CARD = (
    "<meta property='og:url' content='https://harbour.example/'>"
    "<meta property='og:title' content='Harbour Daily, the paper of the coast'>"
    "<meta property='og:description' content='All the news from the coast, every day.'>"
    "<meta property='og:image' content='https://harbour.example/logo.png'>"
)


def test_an_opengraph_card_of_the_home_page_does_not_describe_the_article() -> None:
    result = record(SITE_CARD)
    assert result["headline"] == HEADLINE
    assert result["image"] != "https://harbour.example/logo.png"
    assert result["canonical_url"] == URL


def test_the_opengraph_card_of_the_article_itself_is_read() -> None:
    card = SITE_CARD.replace("content='https://harbour.example/'", f"content='{URL}'")
    card = card.replace("Harbour Daily, the paper of the coast", "The harbour under water")
    result = record(card)
    assert result["headline"] == "The harbour under water"
    assert result["image"] == "https://harbour.example/logo.png"


def test_a_hidden_intro_paragraph_is_not_the_lead() -> None:
    hidden = "<p class='intro' style='display:none'>The official blog of the coast's paper.</p>"
    shown = "<p class='intro'>Water rose over the quay wall and boats sank at their moorings.</p>"
    assert record("", article=hidden + PARAGRAPHS)["summary"] is None
    assert record("", article=shown + PARAGRAPHS)["summary"] == (
        "Water rose over the quay wall and boats sank at their moorings."
    )


def test_a_teaser_excerpt_below_the_story_is_not_the_lead() -> None:
    teasers = (
        "<div class='featured'><h3><a href='/2024/04/29/older-story/'>Older story</a></h3>"
        "<div class='post-excerpt'><p>An excerpt of another post about the lighthouse.</p></div>"
        "</div>"
    )
    html = (
        f"<html><head><title>{HEADLINE}</title></head><body><div class='page'>"
        f"<h1>{HEADLINE}</h1>{PARAGRAPHS}{teasers}</div></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["summary"] is None


CAPTION = "Firefighters pump water out of the flooded harbour office on Wednesday."
LEAD = "The harbour flooded overnight. Traders count the cost and the council meets today."
FIGURE = (
    "<figure><img src='/quay.jpg' alt=''><figcaption><span class='text-caption'>"
    f"{CAPTION}</span> <span>© Photo Agency</span></figcaption></figure>"
)


def test_a_description_the_page_shows_as_a_picture_caption_is_not_the_lead() -> None:
    """The article's JSON-LD description is its lead image's caption; the OpenGraph description
    is the lead the page shows under the picture."""
    article_ld = {"@type": "NewsArticle", "headline": HEADLINE, "description": CAPTION}
    head = (
        f"<script type='application/ld+json'>{json.dumps(article_ld)}</script>"
        f"<meta property='og:description' content='{LEAD}'>"
    )
    result = record(head, article=f"{FIGURE}<p>Harbour. {LEAD}</p>{PARAGRAPHS}")
    assert result["summary"] == f"Harbour. {LEAD}"
    assert "Photo Agency" not in (result["summary"] or "")


def test_a_caption_description_alone_gives_no_summary() -> None:
    article_ld = {"@type": "NewsArticle", "headline": HEADLINE, "description": CAPTION}
    head = f"<script type='application/ld+json'>{json.dumps(article_ld)}</script>"
    result = record(head, article=f"{FIGURE}{PARAGRAPHS}")
    assert result["summary"] is None
    assert result["body"].startswith(SENTENCES[0])


def test_a_description_ending_with_a_picture_credit_is_not_the_lead() -> None:
    """The page shows it under the picture but not in a caption element; the credit it ends
    with ("© Photo Agency") says it was written for the picture. Without one it is the lead."""

    def summary(description: str) -> str | None:
        head = f"<meta name='description' content='{description}'>"
        shown = f"<img src='/quay.jpg' alt=''><p>{description}</p>{PARAGRAPHS}"
        return record(head, article=shown)["summary"]

    assert summary(f"{CAPTION} © Photo Agency") is None
    assert summary(CAPTION) == CAPTION


def test_a_lead_block_that_repeats_the_headline_is_not_the_summary() -> None:
    """A template that prints the headline again in a block classed as a lead."""
    long_headline = "Storm floods the harbour and the old quay wall"
    html = (
        f"<html lang='en'><head><title>{long_headline} - Harbour Daily</title></head><body>"
        f"<article><h1>{long_headline}</h1><div class='article-summary'>{long_headline}</div>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["headline"] == long_headline
    assert result["summary"] is None
    assert result["body"].startswith(SENTENCES[0])


def test_the_sites_tagline_beside_its_logo_is_not_the_lead() -> None:
    html = (
        "<html lang='en'><head><title>Storm floods the harbour | Harbour Notes</title></head>"
        "<body><div id='header'><span class='site-title'>Harbour Notes</span>"
        "<span class='site-description'>travel advice, tips and stories from the coast</span></div>"
        f"<div class='post'><h2>{HEADLINE}</h2>{PARAGRAPHS}</div></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["summary"] is None
    assert result["body"].startswith(SENTENCES[0])


def test_the_authors_description_in_a_byline_dropdown_is_not_the_lead() -> None:
    """A byline whose author box (shown on click) holds the writer's bio in a "description"."""
    bio = "Jane Roe is a senior writer who covers ports, shipping and the weather on the coast."
    byline = (
        "<div class='meta-info'><span class='name'>Jane Roe</span>"
        f"<div class='author-dropdown'><div class='description'><p>{bio}</p></div></div></div>"
    )
    result = record("", article=byline + PARAGRAPHS)
    assert result["summary"] is None
    assert bio not in result["body"]
    assert result["body"].startswith(SENTENCES[0])


def test_a_description_that_is_the_headline_cut_short_is_not_the_summary() -> None:
    long_headline = "Storm floods the harbour and the old quay wall gives way"
    html = (
        f"<html lang='en'><head><title>{long_headline}</title>"
        "<meta name='description' content='Storm floods the harbour and the old quay'></head>"
        f"<body><div class='story'><div class='title'>{long_headline}</div>{PARAGRAPHS}</div>"
        "</body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["headline"] == long_headline
    assert result["summary"] is None


def test_a_lead_that_opens_with_the_headline_is_the_lead_without_it() -> None:
    """A template that writes the title before the excerpt in one lead block ("Title
    Excerpt..."). A lead that goes on from the headline's words in one sentence stays whole."""
    lead = "Residents of the lower town were told to leave their homes before the night fell."

    def summary(shown: str) -> str | None:
        return record("", article=f"<div class='article-summary'>{shown}</div>{PARAGRAPHS}")[
            "summary"
        ]

    assert summary(f"{HEADLINE} {lead}") == lead
    assert summary(f"{HEADLINE}: {lead}") == lead
    sentence = f"{HEADLINE} of the island as residents were told to leave before the night fell."
    assert summary(sentence) == sentence


def test_a_lead_that_is_the_headline_with_labels_is_not_the_summary() -> None:
    """A breadcrumb trail, a section, the site's name or a byline around the headline."""
    for labelled in (
        f"Home / Blog / {HEADLINE}",
        f"News : {HEADLINE}",
        f"{HEADLINE} - Harbour Daily Online",
        f"{HEADLINE} by Jane Roe",
    ):
        shown = f"<div class='article-summary'>{labelled}</div>{PARAGRAPHS}"
        assert record("", article=shown)["summary"] is None
    lead = f"{HEADLINE} as the old quay wall gives way and traders count the cost of the night."
    shown = f"<div class='article-summary'>{lead}</div>{PARAGRAPHS}"
    assert record("", article=shown)["summary"] == lead


def test_a_description_cut_from_the_body_is_no_summary_even_after_a_share_label() -> None:
    """A CMS excerpt of the story's opening, running into its second paragraph: the body keeps
    its first paragraph, also when a share button's text ran into the excerpt ("Pin It ...").
    A description that is the first paragraph and no more is the lead the page shows."""
    excerpt = f"{SENTENCES[0]} {SENTENCES[1][:40]} [...]"
    share_bar = "<div><a href='https://pins.example/pin'>Pin It</a></div>\n"
    for description, article in (
        (excerpt, PARAGRAPHS),
        (f"Pin It {excerpt}", share_bar + PARAGRAPHS),
    ):
        result = record(f"<meta name='description' content='{description}'>", article=article)
        assert result["summary"] is None
        assert result["body"].startswith(SENTENCES[0])
    result = record(f"<meta name='description' content='{SENTENCES[0]}'>")
    assert result["summary"] == SENTENCES[0]
    assert result["body"].startswith(SENTENCES[1])
