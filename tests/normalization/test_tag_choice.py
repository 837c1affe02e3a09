"""Choosing tags: plain meta keywords are a last resort, and a long SEO list keeps only the
keywords the article mentions."""

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
