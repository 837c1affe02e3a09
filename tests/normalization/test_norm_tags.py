"""normalize_tags."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.normalization.tags import GENERIC_TAGS, normalize_tags
from newscrawl.normalization.text import site_name_variants


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            ["Notbetrieb,Notfallplan, Schulen, Kinder, Lienz, Hitze"],
            ("Notbetrieb", "Notfallplan", "Schulen", "Kinder", "Lienz", "Hitze"),
        ),
        (["Politics", "US politics", "Courts"], ("Politics", "US politics", "Courts")),
        (
            ["oil industry ,Venezuela,Donald Trump,United States ,Nicolás Maduro"],
            ("oil industry", "Venezuela", "Donald Trump", "United States", "Nicolás Maduro"),
        ),
        (
            ["Leichtathletik,Marathon,Leichtathletik,marathon,Sport"],
            ("Leichtathletik", "Marathon", "Sport"),
        ),
        (
            ["Granada (Nicaragua)", "Granada (Provincia)", "Granada"],
            ("Granada (Nicaragua)", "Granada (Provincia)", "Granada"),
        ),
        (
            ["深空探测 探月工程 加勒比国家 航天技术"],
            ("深空探测", "探月工程", "加勒比国家", "航天技术"),
        ),
        (["大渡 美咲"], ("大渡 美咲",)),  # one CJK name with a space stays whole
        (["社会、地震、災害"], ("社会", "地震", "災害")),
        (["#北朝鮮", "#韓国", "##Klima"], ("北朝鮮", "韓国", "Klima")),
        (["(1) 無料記事"], ("無料記事",)),
        (
            ["sections/sverige", "organization/lundsberg", "topic/misshandel & överfall"],
            ("sverige", "lundsberg", "misshandel & överfall"),
        ),
        (["Category: World", "Curated"], ("World", "Curated")),
        # an escaped "&amp;" is not a ";" list separator
        (
            ["Cooperative Governance &amp; Traditional Affairs (CoGTA)"],
            ("Cooperative Governance & Traditional Affairs (CoGTA)",),
        ),
        (
            ["Technik/Hardware", "10 GB", "50 Mbit/s", "4g"],
            ("Technik/Hardware", "10 GB", "50 Mbit/s", "4g"),
        ),
        (
            ["Day: Friday", "Page Type: Article", "WC: 1000-1999", "Justice", "Language: English"],
            ("Justice",),
        ),
        (["8f507083-bac4-423a-9015-2eb31e1bce50", "India"], ("India",)),
        (
            ["1234", "https://example.com/tag/x", "www.example.com", "", "  ", "a" * 61, "Kashmir"],
            ("Kashmir",),
        ),
        (["“Brexit”", "'Klima'"], ("Brexit", "Klima")),
        (["info@harbour.example", "Hafen"], ("Hafen",)),  # an e-mail address
        (["Krim | Some | Nyheter"], ("Krim", "Some")),
        # a slug is the same tag as the name it was made from; the first spelling wins
        (
            ["Andy Murray", "US Open", "tennis", "andy-murray", "us-open", "US_open"],
            ("Andy Murray", "US Open", "tennis"),
        ),
        # CMS-internal flags and stray single letters are not topics; one CJK character is
        (["_commerce", "p", "Politics", "n", "株"], ("Politics", "株")),
        (["News", "Home"], ("News", "Home")),  # only generic tags: kept
        (["News", "Startseite", "Uncategorized", "Allgemein", "Politik"], ("Politik",)),
        # a taxonomy list's own label is no topic, even alone
        (["Categories", "Wetter", "Tags", "Sport", "Topics"], ("Wetter", "Sport")),
        (["Categories"], ()),
        # nor is its link to the rest of the list; a topic that opens with "All" stays
        (
            ["→ More tags...", "Mehr Themen", "All topics", "› Politik", "All Blacks"],
            ("Politik", "All Blacks"),
        ),
        # machine codes in slug form; a hyphenated topic stays
        (
            [
                "category-innovation",
                "brand-postmedia",
                "type-news",
                "e-commerce",
                "type-2-diabetes",
            ],
            ("e-commerce", "type-2-diabetes"),
        ),
    ],
)
def test_normalize_tags(values, expected):
    assert normalize_tags(values) == expected


def test_generic_tags_kept_when_asked():
    assert normalize_tags(["News", "Politik"], drop_generic=False) == ("News", "Politik")


def test_site_name_is_dropped():
    sz = site_name_variants("Süddeutsche.de", "https://www.sueddeutsche.de/sport/x")
    assert normalize_tags(["Marathon,Sport,Süddeutsche Zeitung"], site_names=sz) == (
        "Marathon",
        "Sport",
    )
    taipei = site_name_variants(None, "https://www.taipeitimes.com/News/front/x")
    assert normalize_tags(["台北時報,The Taipei Times"], site_names=taipei) == ("台北時報",)
    metro = site_name_variants("Metro", "https://metro.co.uk/2024/07/17/x")
    assert normalize_tags(["Metro newspaper", "Politics", "Royal Family"], site_names=metro) == (
        "Politics",
        "Royal Family",
    )


def test_non_strings_are_ignored():
    assert normalize_tags([None, 7, "Klima"]) == ("Klima",)  # type: ignore[list-item]


tag_parts = st.sampled_from(
    [
        "Klima",
        "klima",
        "News",
        "Home",
        "#",
        "##",
        ",",
        ";",
        "|",
        "、",
        " ",
        "(1)",
        "topic/",
        "Category:",
        "1234",
        "https://x.y/z",
        "Daily Post",
        "dailypost.com",
        "Donald Trump",
        "donald-trump",
        "_flag",
        "社会",
        "深空探测",
        "&amp;",
        "&",
        "Day:",
        "''",
    ]
)
tag_values = st.lists(tag_parts, max_size=8).map("".join)
site_names = st.lists(st.sampled_from(["The Daily Post", "dailypost.com", "Klima"]), max_size=2)


def check_tags(values, names, drop_generic):
    result = normalize_tags(values, site_names=names, drop_generic=drop_generic)
    assert all(isinstance(t, str) and t and t == t.strip() and len(t) <= 60 for t in result)
    assert not any(t.startswith("#") for t in result)
    folded = [t.casefold() for t in result]
    assert len(folded) == len(set(folded))
    slugs = [re.sub(r"[\s_-]+", " ", f).strip() for f in folded]
    assert len(slugs) == len(set(slugs))
    assert not any(t.startswith("_") for t in result)
    assert normalize_tags(result, site_names=names, drop_generic=drop_generic) == result
    if drop_generic and any(f not in GENERIC_TAGS for f in folded):
        assert all(f not in GENERIC_TAGS for f in folded)


@given(st.lists(tag_values, max_size=5), site_names, st.booleans())
def test_normalize_tags_properties(values, names, drop_generic):
    check_tags(values, names, drop_generic)


@given(st.lists(st.text(max_size=50), max_size=5), site_names, st.booleans())
def test_normalize_tags_properties_on_any_text(values, names, drop_generic):
    check_tags(values, names, drop_generic)


@pytest.mark.parametrize(
    "code",
    [
        "channel_other",
        "type_news",
        "autoplay_video",
        "Filed to:innovation",
        "NYSE:ACME",
        "LayerCake:0",
        "$ACME",
    ],
)
def test_machine_codes_are_not_tags(code: str) -> None:
    assert normalize_tags([f"{code}, Harbour"]) == ("Harbour",)


@pytest.mark.parametrize(
    "topic", ["Star Wars: Episode IV", "C++", "Ölpreis", "AC/DC", "Rugby 7:1", "24:7 Harbour"]
)
def test_topics_with_punctuation_stay(topic: str) -> None:
    assert normalize_tags([topic]) == (topic,)


def test_a_list_of_subject_codes_loses_its_codes_but_acronyms_in_topics_stay() -> None:
    codes = "AER,AERO,AIRL,AIRS08,GEN,INDG,INDS08,MEAST,ASIA,Air safety"
    assert normalize_tags([codes]) == ("Air safety",)
    assert normalize_tags(["NATO, Ukraine, EU, Energy policy"]) == (
        "NATO",
        "Ukraine",
        "EU",
        "Energy policy",
    )


def test_a_flag_list_loses_its_lowercase_flags_but_keeps_written_topics() -> None:
    flags = "Category: Games,RPG,Best of,front-page,show-published-date,channel_games,type_other,xyzhawk"
    assert normalize_tags([flags]) == ("Games", "RPG", "Best of")


def test_one_snake_case_value_does_not_make_a_flag_list() -> None:
    assert normalize_tags(["harbour_post, knowledge, trivia"]) == ("knowledge", "trivia")


@pytest.mark.parametrize(
    "switch",
    ["textaboveleftsmall", "splitscreenimageleftinset", "comments-enabled", "paywall exclude"],
)
def test_layout_and_feature_switches_are_not_tags(switch: str) -> None:
    assert normalize_tags([f"harbour, {switch}, split screen"]) == ("harbour", "split screen")


def test_a_site_name_run_into_a_word_is_a_channel_code_not_a_topic() -> None:
    tags = normalize_tags(
        ["ferries, harbourpostcore, harbourpost-archiv"], site_names=["HarbourPost"]
    )
    assert tags == ("ferries", "harbourpost-archiv")


@pytest.mark.parametrize("junk", ["sz=728x90", "ord=123456789?", "key> <link rel="])
def test_markup_and_query_parameters_are_not_tags(junk: str) -> None:
    assert normalize_tags([f"{junk}, Harbour"]) == ("Harbour",)


def test_a_sentence_is_not_a_tag_but_a_title_ending_in_punctuation_is() -> None:
    sentence = "but they expect the night to pass without incident."
    assert normalize_tags([f"{sentence}, Harbour, Yahoo!, Who Framed Roger Rabbit?"]) == (
        "Harbour",
        "Yahoo!",
        "Who Framed Roger Rabbit?",
    )


def test_one_name_enumerated_with_an_ampersand_is_one_tag() -> None:
    assert normalize_tags(["Business, Finance, &amp; Economics"]) == (
        "Business, Finance, & Economics",
    )
    # a list whose items hold ampersands is still a list
    assert normalize_tags(["Arts & Culture, Books, Food & Drink"]) == (
        "Arts & Culture",
        "Books",
        "Food & Drink",
    )


def test_the_lists_one_word_tags_run_together_are_not_a_tag() -> None:
    joined = "Hafen Sturm Deich Flut"
    assert normalize_tags([joined, "Deich, Flut, Hafen, Sturm"]) == (
        "Deich",
        "Flut",
        "Hafen",
        "Sturm",
    )
    # a name whose words are not all tags of their own stays
    assert normalize_tags(["New York Times, New, York"]) == ("New York Times", "New", "York")


def test_an_agencys_entity_labels_leave_the_names() -> None:
    keywords = "PERSON, PERSON Ada Roe AUTHOR, Jon Doe NEWSMAKER, ORGANIZATION Harbour Board"
    assert normalize_tags([keywords]) == ("Ada Roe", "Jon Doe", "Harbour Board")
    # capitals that are a topic's own words stay
    assert normalize_tags(["PERSON OF THE YEAR, Author Talks"]) == (
        "PERSON OF THE YEAR",
        "Author Talks",
    )
