"""The page the project started from, rebuilt in the demo site: exact expectations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from demo_pages import SEED_PATH, process

from newscrawl.items import Article

HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"
KEY_POINTS = (
    "Chinese leaders will meet with Russian President Vladimir Putin in Beijing.\n"
    "Putin’s visit is a demonstration of support for Chinese President Xi Jinping’s historic "
    "Belt and Road initiative.\n"
    "China is Russia’s main market for Russian goods as well as its economic lifeline."
)
BODY_START = "This week, Chinese leaders will meet with Russian President Vladimir Putin in Beijing"
BODY_END = "but neither needs the other to secure their security."
# Words that appear on the page only in its related posts, newsletter box, comment form,
# "worth reading" widget and header.
FOREIGN = (
    "Maharashtra", "Mahayuti", "Kizza", "Besigye", "Morning Joe", "Scarborough", "Read more",
    "Related posts", "Newsletter", "Trendsetter", "worldmagzine", "Leave a Reply",
    "email address will not be published", "Required fields", "LiveWarWorld", "Evacuation",
    "Gaza", "Hizbollah", "Worth reading", "Trending", "22 November 2024",
)  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> Article:
    outcome = process(SEED_PATH)
    assert outcome.drop is None, outcome
    assert outcome.article is not None
    return outcome.article


def test_headline_is_exact_with_typographic_apostrophes(seed: Article) -> None:
    assert seed.headline == HEADLINE
    assert seed.sources["headline"] == "jsonld"


def test_tags_are_the_articles_own_categories(seed: Article) -> None:
    assert seed.tags == ("Asia", "Politics")
    assert seed.section == "Asia"


def test_key_points_are_the_summary_and_not_repeated_in_the_body(seed: Article) -> None:
    assert seed.summary == KEY_POINTS
    assert (
        "Chinese leaders will meet with Russian President Vladimir Putin in Beijing.\n"
        not in seed.body
    )
    assert (
        seed.body.count("Chinese leaders will meet with Russian President") == 1
    )  # the body's own line


def test_body_runs_from_first_to_last_paragraph_with_the_sub_headline(seed: Article) -> None:
    assert seed.body.startswith(BODY_START)
    assert seed.body.endswith(BODY_END)
    paragraphs = seed.body.split("\n\n")
    assert "Visit to China" in paragraphs
    assert paragraphs.index("Visit to China") == 2
    assert len(paragraphs) == 9


def test_no_word_of_related_posts_newsletter_comments_or_widgets(seed: Article) -> None:
    stored = " ".join(
        [seed.headline, seed.summary or "", seed.body, *seed.tags, seed.section or ""]
    )
    for foreign in FOREIGN:
        assert foreign not in stored, foreign


def test_dates_come_from_the_article_markup_never_the_header(seed: Article) -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    assert seed.published == datetime(2023, 10, 16, 9, 30, tzinfo=ist)
    assert seed.published.tzinfo == UTC
    assert seed.published_raw == "2023-10-16T09:30:00+05:30"
    assert seed.published_source == "jsonld"
    assert seed.modified == datetime(2023, 10, 17, 11, 0, tzinfo=ist)


def test_other_fields(seed: Article) -> None:
    assert seed.language == "en"
    assert seed.canonical_url == "http://demo.test" + SEED_PATH
    assert seed.authors and all("@" not in a for a in seed.authors)
    assert seed.image is not None and seed.image.startswith("http://demo.test/")
