"""Field selection on small pages: where tags and organisation authors come from."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newscrawl.items import Candidate
from newscrawl.normalization.headline_choice import choose_headline
from newscrawl.normalization.text import site_name_variants
from newscrawl.page import extract_record

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
URL = "https://news.example/politik/storm-floods-the-harbour-123.html"
PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story tells what happened in the harbour town on Tuesday night.</p>"
    for i in range(8)
)
SITE_MENU = (
    "<header><nav><ul>"
    "<li><a href='/thema/wahlen'>Wahlen</a></li><li><a href='/thema/wetter'>Wetter</a></li>"
    "</ul></nav></header>"
)
SIDEBAR_TOPICS = (
    "<div class='trending-topics'><ul>"
    "<li><a href='/thema/fussball'>Fußball</a></li><li><a href='/thema/boerse'>Börse</a></li>"
    "</ul></div>"
)


def extract(head: str = "", article: str = "", after: str = "") -> dict:
    html = (
        f"<html lang='de'><head>{head}</head><body>{SITE_MENU}<main>"
        f"<article><h1>Sturm flutet den Hafen</h1>{PARAGRAPHS}{article}</article>"
        f"{after}</main></body></html>"
    )
    return extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)


def test_topic_links_in_the_article_footer_are_tags() -> None:
    footer = (
        "<footer class='article-footer'><div class='footer-links'>"
        "<a href='/politik/thema/hafen'>Hafen</a><a href='/thema/sturm'>Sturm</a>"
        "<a href='https://news.example/thema/hochwasser/'>Hochwasser</a>"
        "</div></footer>"
    )
    record = extract(article=footer, after=SIDEBAR_TOPICS)
    assert record["tags"] == ["Hafen", "Sturm", "Hochwasser"]


def test_topic_links_in_menus_sidebars_and_prose_are_not_tags() -> None:
    inline = "<p>Der <a href='/thema/hafen'>Hafen</a> und <a href='/thema/sturm'>Sturm</a>.</p>"
    record = extract(article=inline, after=SIDEBAR_TOPICS)
    assert record["tags"] == []


def test_class_marked_tag_links_win_over_topic_link_lists() -> None:
    tags = "<ul class='tags-list'><li><a href='/schlagwort/deich'>Deich</a></li></ul>"
    topics = "<div><a href='/thema/hafen'>Hafen</a><a href='/thema/sturm'>Sturm</a></div>"
    assert extract(article=tags + topics)["tags"] == ["Deich"]


@pytest.mark.parametrize(
    "site_list",
    [
        # WordPress's category widget: the whole site's categories, each an ``li.cat-item``
        (
            "<div class='widget widget_categories'><h2>Categories</h2><ul>"
            "<li class='cat-item'><a href='/category/wetter'>Wetter</a></li>"
            "<li class='cat-item'><a href='/category/sport'>Sport</a></li></ul></div>"
        ),
        # the block editor's tag cloud, named like a tag container
        (
            "<div class='tags wp-block-tag-cloud'><a href='/tag/wahlen' rel='tag'>Wahlen</a>"
            "<a href='/tag/boerse' rel='tag'>Börse</a></div>"
        ),
        # a blog platform's category module in the sidebar
        (
            "<div class='module-categories module'><ul>"
            "<li><a href='/wetter/'>Wetter</a></li><li><a href='/sport/'>Sport</a></li></ul></div>"
        ),
        # the same lists as plain links to topic pages, without a tag-like name or ``rel``
        (
            "<p class='wp-block-tag-cloud'><a class='tag-cloud-link' href='/tag/wahlen/'>Wahlen</a> "
            "<a class='tag-cloud-link' href='/tag/boerse/'>Börse</a></p>"
        ),
        (
            "<ul><li class='cat-item'><a href='/thema/wahlen'>Wahlen</a></li>"
            "<li class='cat-item'><a href='/thema/boerse'>Börse</a></li></ul>"
        ),
    ],
)
@pytest.mark.parametrize(
    ("own_tags", "expected"),
    [("<p class='post-tags'><a href='/tag/hafen' rel='tag'>Hafen</a></p>", ["Hafen"]), ("", [])],
)
def test_the_sites_category_list_and_tag_cloud_are_not_the_articles_tags(
    site_list: str, own_tags: str, expected: list[str]
) -> None:
    # an old blog layout: the <h1> is the blog's name, so the whole page is searched for tags
    html = (
        "<html lang='de'><body><div id='top'><h1>Hafenblog</h1></div>"
        f"<div id='main'><div class='post'><h2>Sturm flutet den Hafen</h2>{PARAGRAPHS}"
        f"{own_tags}</div></div><div id='side'>{site_list}</div></body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["tags"] == expected


TEASERS = "".join(
    f"<article class='teaser'><h3><a href='/politik/other-story-{i}.html'>Another story {i}</a>"
    "</h3></article>"
    for i in range(3)
)


def test_topic_boxes_after_other_stories_teasers_are_not_the_articles_tags() -> None:
    # the headline above the story's <article>, then other stories' teasers and the site's
    # topic boxes, all in one page column
    site_topics = (
        "<section class='topics'><ul><li><a href='/thema/polizei'>Polizei</a></li>"
        "<li><a href='/thema/flughafen'>Flughafen</a></li></ul></section>"
    )
    html = (
        "<html lang='de'><body><main><h1>Sturm flutet den Hafen</h1>"
        f"<article class='story'>{PARAGRAPHS}"
        "<div class='article-tags'><a href='/thema/hafen'>Hafen</a></div></article>"
        f"{TEASERS}{site_topics}</main></body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["tags"] == ["Hafen"]


def test_a_storys_tags_after_teasers_set_in_the_story_stay_its_tags() -> None:
    # no <article> around the story: the teaser <article>s inside it do not end it
    html = (
        "<html lang='de'><body><main><h1>Sturm flutet den Hafen</h1>"
        f"<div class='story'>{PARAGRAPHS[:200]}{TEASERS}{PARAGRAPHS[200:]}</div>"
        "<div class='tags-list'><a href='/tags/hafen'>Hafen</a><a href='/tags/sturm'>Sturm</a>"
        "</div></main></body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["tags"] == ["Hafen", "Sturm"]


def test_an_articles_own_tags_shown_as_a_cloud_stay_its_tags() -> None:
    cloud = (
        "<section class='tagCloud'><ul><li><a href='/tag/hafen'>Hafen</a></li>"
        "<li><a href='/tag/sturm'>Sturm</a></li></ul></section>"
    )
    assert extract(article=cloud)["tags"] == ["Hafen", "Sturm"]


def test_meta_keywords_are_tags_only_when_no_other_source_has_any() -> None:
    keywords = "<meta name='keywords' content='Hafen, Sturm, Hochwasser'>"
    assert extract(head=keywords)["tags"] == ["Hafen", "Sturm", "Hochwasser"]
    with_article_tags = keywords + "<meta property='article:tag' content='Deich'>"
    assert extract(head=with_article_tags)["tags"] == ["Deich"]


def jsonld(data: dict) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


@pytest.mark.parametrize(
    ("meta_author", "expected"),
    [
        # untyped strings without a person in them (a place list) lose to a typed organisation
        ("news.example, Frankfurt, Germany", ["Redaktion Hafenblatt"]),
        # a person anywhere beats an organisation
        ("Anna Berger", ["Anna Berger"]),
    ],
)
def test_organisation_authors_only_without_a_person(meta_author: str, expected: list) -> None:
    head = f"<meta name='author' content='{meta_author}'>" + jsonld(
        {
            "@type": "NewsArticle",
            "headline": "Sturm flutet den Hafen",
            "author": {"@type": "Organization", "name": "Redaktion Hafenblatt"},
        }
    )
    assert extract(head=head)["authors"] == expected


def test_an_agency_the_publisher_types_as_a_person_beside_one_is_credited_too() -> None:
    """JSON-LD authors typed Person: a wire agency or desk beside a person stays an author, a
    job title does not; in a byline a name that is no person stays out."""
    people = [
        {"@type": "Person", "name": name}
        for name in ("Anna Berger", "Deutsche Presse-Agentur", "AP National Writer")
    ]
    head = jsonld({"@type": "NewsArticle", "headline": "Sturm flutet den Hafen", "author": people})
    assert extract(head=head)["authors"] == ["Anna Berger", "Deutsche Presse-Agentur"]
    assert extract(head="<meta name='author' content='Anna Berger, dpa'>")["authors"] == [
        "Anna Berger"
    ]


def test_an_author_the_cms_encoded_twice_is_read_as_the_person_it_names() -> None:
    author = json.dumps({"@type": "Person", "name": "Anna Berger"})
    head = jsonld({"@type": "NewsArticle", "headline": "Sturm flutet den Hafen", "author": author})
    assert extract(head=head)["authors"] == ["Anna Berger"]


def test_the_headline_spelling_most_sources_share_wins_a_punctuation_tie() -> None:
    candidates = [
        Candidate("Rückbau von Atomkraftwerk - Kühltürme gesprengt", "jsonld"),
        Candidate("Rückbau von Atomkraftwerk: Kühltürme gesprengt", "opengraph"),
        Candidate("Rückbau von Atomkraftwerk: Kühltürme gesprengt - Politik", "title"),
    ]
    chosen = choose_headline(candidates, site_names=())
    assert chosen == Candidate("Rückbau von Atomkraftwerk: Kühltürme gesprengt", "opengraph")


def test_different_words_are_no_tie_the_precedence_decides() -> None:
    candidates = [
        Candidate("Pendler sparen 60 Prozent bei Bus und Bahn", "jsonld"),
        Candidate("Pendler zahlen 60 Prozent weniger", "opengraph"),
        Candidate("Pendler zahlen 60 Prozent weniger", "h1"),
    ]
    assert choose_headline(candidates, site_names=()).source == "jsonld"


def test_a_date_in_parentheses_after_the_headline_is_left_out() -> None:
    candidates = [Candidate("Trusted domains infected by a new Trojan (14/01/2008)", "h1")]
    chosen = choose_headline(candidates, site_names=())
    assert chosen == Candidate("Trusted domains infected by a new Trojan", "h1")


def test_a_candidate_with_script_code_run_into_it_is_no_headline() -> None:
    """Broken markup can run a script into the ``<title>``; the clean line above the story
    wins, and a headline that only mentions code stays one."""
    candidates = [
        Candidate('Ferry strike ends(The Harbour Post)ntById("font");', "title"),
        Candidate("Ferry strike ends", "above-story"),
    ]
    assert choose_headline(candidates, site_names=()) == Candidate(
        "Ferry strike ends", "above-story"
    )
    about_code = [Candidate("Why f(x); and document.write still matter", "title")]
    assert choose_headline(about_code, site_names=()) == about_code[0]


def test_a_candidate_that_is_only_the_site_name_is_no_headline() -> None:
    site_names = site_name_variants(None, "https://www.harbourpost.example/story?id=7")
    candidates = [Candidate("Harbour Post", "meta"), Candidate("Storm floods the harbour", "title")]
    assert choose_headline(candidates, site_names) == Candidate("Storm floods the harbour", "title")
    # ... unless every candidate is: a name is better than no headline.
    only_name = [Candidate("The Harbour Post", "title")]
    assert choose_headline(only_name, site_names) == Candidate("The Harbour Post", "title")


def test_the_sites_name_before_a_colon_goes_from_the_title_or_when_confirmed() -> None:
    site_names = site_name_variants(None, "https://harbourpost.example/story?id=7")
    blog_title = [Candidate("Harbour Post: Storm floods the quay", "title")]
    assert choose_headline(blog_title, site_names) == Candidate("Storm floods the quay", "title")
    # in a declared headline the name is its subject ...
    declared = [Candidate("Harbour Post: the owners speak", "opengraph")]
    assert choose_headline(declared, site_names) == declared[0]
    # ... unless another source gives the rest as the headline
    confirmed = [*declared, Candidate("the owners speak", "h1")]
    assert choose_headline(confirmed, site_names) == Candidate("the owners speak", "opengraph")


def test_a_section_left_on_a_declared_headline_goes_when_another_source_gives_the_rest() -> None:
    """ "Storm floods the harbour - World News - Site" loses the site's name and then the
    section, when the ``<h1>`` shows the headline without it."""
    declared = Candidate("Storm floods the harbour - World News", "opengraph")
    h1 = Candidate("Storm floods the harbour", "h1")
    assert choose_headline([declared, h1], site_names=()) == h1
    # unconfirmed, the declared headline stays whole ...
    assert choose_headline([declared], site_names=()) == declared
    # ... and so does one whose last part is the headline's own, not a section
    own = Candidate("Storm floods the harbour - what the mayor knew so far", "opengraph")
    assert choose_headline([own, h1], site_names=()) == own
    # the line above the story confirms the rest as well, when the <h1> is the blog's name
    blog = [declared, Candidate("Harbour Notes", "h1"), Candidate(h1.value, "above-story")]
    assert choose_headline(blog, site_names=()).value == h1.value


def test_a_breadcrumb_title_gives_its_last_part_after_the_sites_name() -> None:
    """ "Site | News | Storm floods the quay": after a leading site name the parts go from
    general to specific; short parts before the last are sections."""
    site = ["Harbour Notes"]
    for title in (
        "Harbour Notes | News | Storm floods the quay",
        "Harbour Notes › Local › Port › Storm floods the quay",
    ):
        assert choose_headline([Candidate(title, "title")], site).value == "Storm floods the quay"
    # without the site's name leading, or with a longer part before the last, nothing goes
    for title in (
        "News | Storm floods the quay | Harbour Notes",
        "Harbour Notes | Storm floods the quay | Politics",
        "Harbour Notes | Rebuilding the quay wall | Storm floods it again",
    ):
        expected = title.replace(" | Harbour Notes", "").replace("Harbour Notes | ", "")
        assert choose_headline([Candidate(title, "title")], site).value == expected


def test_a_headline_cut_short_loses_to_the_whole_one() -> None:
    """A CMS that cuts the JSON-LD headline at a length limit, with or without an ellipsis."""
    whole = Candidate("Storm floods the harbour as the quay wall gives way overnight", "h1")
    for cut in (
        "Storm floods the harbour as the quay wall giv...",
        "Storm floods the harbour as t",
    ):
        assert choose_headline([Candidate(cut, "jsonld"), whole], site_names=()) == whole
    # an ellipsis of the headline's own stays, a site suffix after it is no continuation ...
    own = Candidate("Warm it was... and windy...", "jsonld")
    assert choose_headline([own, Candidate(f"{own.value} - Sailing Club", "h1")], ()) == own
    # ... nor is a name glued on, nor the next words after a whole word
    shown = Candidate("Recap from the summit", "jsonld")
    glued = Candidate("Recap from the summitJane Roe", "h1")
    assert choose_headline([shown, glued], site_names=()) == shown
    longer = Candidate("Recap from the summit in Oslo", "h1")
    assert choose_headline([shown, longer], site_names=()) == shown


def test_a_line_break_inside_the_headline_keeps_the_words_apart() -> None:
    html = (
        "<html lang='en'><head></head><body><article><h1>Storm floods<br>the harbour</h1>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == "Storm floods the harbour"


def _plain_page(head: str) -> str:
    return f"<html lang='en'><head>{head}</head><body><article>{PARAGRAPHS}</article></body></html>"


def test_of_two_jsonld_articles_the_one_the_page_title_confirms_wins() -> None:
    teaser = {"@type": "NewsArticle", "headline": "Ferry timetable changes for the summer",
              "datePublished": "2024-04-02T08:00:00Z", "author": {"@type": "Person", "name": "A B"}}  # fmt: skip
    story = {"@type": "NewsArticle", "headline": "Storm floods the harbour",
             "datePublished": "2024-05-01T06:00:00Z"}  # fmt: skip
    head = (
        "<title>Storm floods the harbour | Harbour Post</title>"
        f"<script type='application/ld+json'>{json.dumps([teaser, story])}</script>"
    )
    record = extract_record(
        _plain_page(head).encode(), URL, content_type="text/html", fetched_at=NOW
    )
    assert record["headline"] == "Storm floods the harbour"
    assert record["published"].startswith("2024-05-01")


def test_meta_headline_is_a_headline_source() -> None:
    head = "<meta name='headline' content='Storm floods the harbour'>"
    record = extract_record(
        _plain_page(head).encode(), URL, content_type="text/html", fetched_at=NOW
    )
    assert record["headline"] == "Storm floods the harbour"


@pytest.mark.parametrize(
    "markup",
    [
        "<div class='story-headline'>Storm floods the harbour town</div>",
        "<h3>Storm floods the harbour town</h3>",
    ],
)
def test_a_page_without_title_or_h1_takes_its_headline_from_a_heading(markup: str) -> None:
    html = (
        f"<html><body><div class='nav'><a href='/'>Home</a></div>{markup}{PARAGRAPHS}</body></html>"
    )
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["dropped"] is None
    assert record["headline"] == "Storm floods the harbour town"
    assert record["sources"]["headline"] == "heading"


def test_the_headline_is_never_its_own_tag() -> None:
    keywords = "<meta name='keywords' content='Sturm flutet den Hafen, Hochwasser'>"
    assert extract(head=keywords)["tags"] == ["Hochwasser"]
    article_tag = "<meta property='article:tag' content='Sturm flutet den Hafen'>"
    assert extract(head=article_tag)["tags"] == []


def test_a_headline_that_is_a_name_is_also_a_tag() -> None:
    head = "<title>Olaf Scholz</title><meta property='article:tag' content='Olaf Scholz'>"
    html = f"<html><head>{head}</head><body><article><h1>Olaf Scholz</h1>{PARAGRAPHS}</article></body></html>"
    record = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert record["headline"] == "Olaf Scholz"
    assert record["tags"] == ["Olaf Scholz"]


@pytest.mark.parametrize(
    ("head", "section"),
    [
        ("<meta property='article:section' content='Politik, Inland, Wahlen'>", "Politik"),
        ("<meta property='article:section' content='Sturm flutet den Hafen'>", None),
        ("<meta property='article:section' content='desk@news.example'>", None),
    ],
)
def test_the_section_is_one_name_never_the_headline_or_an_address(
    head: str, section: str | None
) -> None:
    assert extract(head=head)["section"] == section


def test_a_breadcrumb_that_is_the_article_itself_is_no_section() -> None:
    crumbs = "<nav class='breadcrumb'><a href='/'>Home</a> › <a href='/a'>Sturm flutet den Hafen</a></nav>"
    assert extract(article=crumbs)["section"] is None
    crumbs = crumbs.replace(
        "<a href='/'>Home</a>", "<a href='/'>Home</a> › <a href='/p'>Politik</a>"
    )
    assert extract(article=crumbs)["section"] == "Politik"
