"""Choosing tags: plain meta keywords are a last resort, a long SEO list keeps only the
keywords the article mentions, and a list of words pulled from the story gives none."""

from __future__ import annotations

from newscrawl.items import Candidate
from newscrawl.normalization.article import choose_tags

TEXT = "Council agrees harbour budget\nThe council met in Portsmouth and agreed the harbour budget."


def test_a_long_meta_keyword_list_keeps_only_what_the_article_mentions() -> None:
    seo = ", ".join(["harbour", "Portsmouth", "council"] + [f"classifieds {i}" for i in range(20)])
    tags, source = choose_tags([Candidate(seo, "meta:keywords")], [], text=TEXT)
    assert source == "meta:keywords"
    assert {t.casefold() for t in tags} == {"harbour", "portsmouth", "council"}


def test_a_short_meta_keyword_list_is_kept_whole() -> None:
    keywords = "harbour, budget talks, local politics"
    tags, _ = choose_tags([Candidate(keywords, "meta:keywords")], [], text=TEXT)
    assert len(tags) == 3


def test_article_tags_are_never_filtered_by_mention() -> None:
    listed = [Candidate(f"Topic {i}", "jsonld:keywords") for i in range(18)]
    tags, _ = choose_tags(listed, [], text=TEXT)
    assert len(tags) == 18


STORY = (
    "Harbour budget agreed\nThe council met on Tuesday and agreed the harbour budget after two "
    "hours of debate. Our reporter heard the mayor say that any repairs to the old pier would "
    "wait until spring, before the ferry season, under the new plan for the quay."
)


def test_words_a_script_pulled_from_the_story_are_no_tags() -> None:
    words = "harbour, budget, council, tuesday, agreed, two, hours, debate, our, reporter, "
    words += "mayor, any, repairs, pier, spring, before, ferry, under, quay"
    tags, source = choose_tags([Candidate(words, "meta:keywords")], [], text=STORY)
    assert (tags, source) == ((), None)


def test_a_lower_case_site_list_still_gives_the_keywords_the_story_mentions() -> None:
    seo = ", ".join(["harbour", "ferry", "pier"] + [f"classified{i}" for i in range(20)])
    tags, _ = choose_tags([Candidate(seo, "meta:keywords")], [], text=STORY)
    assert tags == ("harbour", "ferry", "pier")


def test_a_keyword_list_in_a_script_without_capitals_is_never_taken_for_pulled_words() -> None:
    story = "港の予算\n" + "".join(f"市議会は港の予算{i}を承認した。" for i in range(20))
    keywords = ", ".join(f"予算{i}" for i in range(20))
    tags, source = choose_tags([Candidate(keywords, "meta:keywords")], [], text=story)
    assert source == "meta:keywords"
    assert len(tags) == 20


HEADLINE = "El Córdoba logra un punto vital ante Noia en la lucha por la salvación"
URL = "https://diario.example/deportes/cordoba-punto-vital-noia-20240425.html"


def test_headline_or_slug_words_a_cms_appends_to_the_keywords_are_no_tags() -> None:
    """The editors' keywords, then the headline's words in its order (or the slug's), lower case
    and without accents: the appended words go, the editors' stay."""
    from_headline = "Córdoba, Fútbol, cordoba, logra, punto, vital, ante, noia, lucha, salvacion"
    from_slug = "Córdoba, Fútbol, cordoba, punto, vital, noia"
    for keywords in (from_headline, from_slug):
        tags, _ = choose_tags(
            [Candidate(keywords, "jsonld:keywords")], [], headline=HEADLINE, url=URL
        )
        assert tags == ("Córdoba", "Fútbol")


def test_editors_tags_of_title_words_stay() -> None:
    """Tags sorted alphabetically, fewer than four title words in a row, or only title words:
    an editor's choice, kept."""
    for keywords in (
        "Fútbol, ante, lucha, noia, punto, vital",  # sorted: an editor's list
        "Fútbol, noia, punto, vital",  # three title words in a row
        "cordoba, logra, punto, vital",  # nothing else: the keywords are these words
    ):
        tags, _ = choose_tags(
            [Candidate(keywords, "jsonld:keywords")], [], headline=HEADLINE, url=URL
        )
        assert len(tags) == len(keywords.split(", "))


def test_keywords_in_a_script_without_capitals_are_never_taken_for_appended_title_words() -> None:
    headline = "وزير الصحة يزور المستشفى الجديد في المدينة"
    keywords = "الصحة, وزير, الصحة, يزور, المستشفى, الجديد"
    tags, _ = choose_tags([Candidate(keywords, "jsonld:keywords")], [], headline=headline)
    assert "المستشفى" in tags and "يزور" in tags
