"""Choosing the publication date among candidates: URL year, locale order, page offsets,
reading times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.items import Candidate, ExtractedPage
from newscrawl.normalization.date_choice import choose_date
from newscrawl.normalization.dates import locale_date_order, parse_date, states_year

FETCHED_AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def choose(url: str, *candidates: tuple[str, str], order: str | None = None) -> tuple[str, str]:
    page = ExtractedPage(url=url, site="s", fetched_at=FETCHED_AT)
    chosen = choose_date(
        [Candidate(value, source) for value, source in candidates],
        url=url,
        languages=["de"],
        date_order=order,
        extracted=page,
    )
    assert chosen is not None
    return chosen[0].value.isoformat(), chosen[1].value


def test_a_date_without_a_year_takes_the_year_of_the_url() -> None:
    value, raw = choose("https://blog.example/2014/05/18/post/", ("18 Mai", "time"))
    assert value.startswith("2014-05-18")
    assert raw == "18 Mai"


def test_a_date_with_its_year_keeps_it_whatever_the_url_says() -> None:
    value, _raw = choose("https://blog.example/2014/05/18/post/", ("18. Mai 2013", "time"))
    assert value.startswith("2013-05-18")


def test_the_same_instant_is_shown_in_the_pages_own_offset() -> None:
    """JSON-LD in UTC just before midnight, OpenGraph with the local offset: the local day."""
    value, raw = choose(
        "https://news.example/story",
        ("2019-10-18T22:04:00Z", "jsonld"),
        ("2019-10-19T00:04:00+02:00", "opengraph"),
    )
    assert value == "2019-10-18T22:04:00+00:00"  # stored in UTC
    assert raw == "2019-10-19T00:04:00+02:00"  # the raw value gives the page's local day


def test_a_different_instant_in_another_offset_does_not_replace_the_choice() -> None:
    _value, raw = choose(
        "https://news.example/story",
        ("2019-10-18T22:04:00Z", "jsonld"),
        ("2019-10-20T09:00:00+02:00", "opengraph"),
    )
    assert raw == "2019-10-18T22:04:00Z"


@pytest.mark.parametrize("text", ["0.8 Minuten", "5 min read", "Lesezeit: 3 Minuten", "12 min"])
def test_reading_times_are_no_dates(text: str) -> None:
    assert parse_date(text, languages=["de", "en"], now=FETCHED_AT) is None


@pytest.mark.parametrize("text", ["vor 5 Minuten", "5 minutes ago"])
def test_relative_dates_still_are(text: str) -> None:
    parsed = parse_date(text, languages=["de", "en"], now=FETCHED_AT)
    assert parsed is not None and parsed.value.date() == FETCHED_AT.date()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("18 Mai", False), ("June 24, 10:30", False), ("03.05.24", True), ("2024-05-01", True)],
)
def test_states_year(raw: str, expected: bool) -> None:
    assert states_year(raw) is expected


@pytest.mark.parametrize(
    ("tag", "url", "expected"),
    [
        ("en-GB", "https://news.example/", "DMY"),
        ("en-US", "https://news.example/", "MDY"),
        ("en", "https://www.paper.co.uk/story", "DMY"),
        ("en", "https://paper.com.au/story", "DMY"),
        ("en", "https://paper.com/story", None),
        ("de-DE", "https://zeitung.example/", None),
        (None, "https://paper.co.uk/", None),
    ],
)
def test_locale_date_order(tag: str | None, url: str, expected: str | None) -> None:
    assert locale_date_order(tag, url) == expected


def test_a_british_numeric_date_reads_day_first() -> None:
    value, _raw = choose("https://news.example/uk/story", ("02/10/2020", "time"), order="DMY")
    assert value.startswith("2020-10-02")


def choose_in(zone: str | None, *candidates: tuple[str, str]) -> str:
    page = ExtractedPage(
        url="https://news.example/story", site="s", fetched_at=FETCHED_AT, timezone=zone
    )
    chosen = choose_date(
        [Candidate(value, source) for value, source in candidates],
        url=page.url,
        languages=["de"],
        date_order=None,
        extracted=page,
    )
    assert chosen is not None
    return chosen[0].value.isoformat()


def test_a_time_without_offset_is_local_time_of_the_sites_zone() -> None:
    assert choose_in("Europe/Berlin", ("01.05.2024, 10:00", "time")) == "2024-05-01T08:00:00+00:00"
    assert (
        choose_in("America/New_York", ("2024-01-15T10:00:00", "meta"))
        == "2024-01-15T15:00:00+00:00"
    )


def test_without_a_site_zone_the_offset_the_page_writes_elsewhere_is_used() -> None:
    value = choose_in(None, ("2024-05-01T10:00:00", "meta"), ("2024-05-02T09:00:00+02:00", "time"))
    assert value == "2024-05-01T08:00:00+00:00"


def test_times_with_an_offset_and_bare_days_are_not_moved() -> None:
    assert (
        choose_in("Europe/Berlin", ("2024-05-01T10:00:00Z", "jsonld"))
        == "2024-05-01T10:00:00+00:00"
    )
    assert choose_in("Europe/Berlin", ("2024-05-01", "meta")) == "2024-05-01T00:00:00+00:00"
    assert choose_in(None, ("01.05.2024, 10:00", "time")) == "2024-05-01T10:00:00+00:00"


def test_a_date_whose_year_comes_from_the_crawl_time_ranks_last() -> None:
    """ "Gestern um 02:12" in a <time> and a full date from a later source: the full date."""
    _value, raw = choose(
        "https://news.example/story", ("Gestern um 02:12", "time"), ("2021-03-14", "htmldate")
    )
    assert raw == "2021-03-14"


def test_a_relative_date_still_counts_when_nothing_else_does() -> None:
    value, _raw = choose("https://news.example/story", ("vor 2 Stunden", "time"))
    assert value.startswith("2026-12-04T10:00")


def test_two_sources_that_agree_outvote_the_first_one() -> None:
    """JSON-LD says 3 November, OpenGraph and the visible date say 6 November."""
    value, raw = choose(
        "https://news.example/story",
        ("2023-11-03T10:25:56+00:00", "jsonld"),
        ("2023-11-06T14:25:00+00:00", "opengraph"),
        ("6. November 2023, 15:25 Uhr", "time"),
    )
    assert value == "2023-11-06T14:25:00+00:00"
    assert raw == "2023-11-06T14:25:00+00:00"


def test_one_family_does_not_outvote_the_first_source() -> None:
    """Two meta tags filled from the same field are one vote; a day apart is no disagreement."""
    value, _raw = choose(
        "https://news.example/story",
        ("2023-11-03T10:25:56+00:00", "jsonld"),
        ("2023-11-06", "meta:dc"),
        ("2023-11-06", "meta"),
    )
    assert value.startswith("2023-11-03")
    value, _raw = choose(
        "https://news.example/story",
        ("2023-11-03T23:25:56+00:00", "jsonld"),
        ("2023-11-04", "opengraph"),
        ("4. November 2023", "time"),
    )
    assert value.startswith("2023-11-03")


def test_a_date_the_url_confirms_is_not_outvoted() -> None:
    value, _raw = choose(
        "https://news.example/2023/11/03/story",
        ("2023-11-03T10:25:56+00:00", "jsonld"),
        ("2023-11-06T14:25:00+00:00", "opengraph"),
        ("6. November 2023, 15:25 Uhr", "time"),
    )
    assert value.startswith("2023-11-03")


def test_a_date_without_a_year_takes_the_year_of_a_dated_candidate() -> None:
    """No date in the URL: a year-less visible date takes the year of another date on the
    page (htmldate's find) and, being the article's own markup, ranks before it."""
    value, raw = choose(
        "https://news.example/story", ("24. Juni, 11:30", "time"), ("2019-06-19", "htmldate")
    )
    assert value == "2019-06-24T11:30:00+00:00"
    assert raw == "24. Juni, 11:30"


def test_the_year_taken_is_the_one_nearest_the_dated_candidate() -> None:
    value, _raw = choose(
        "https://news.example/story", ("28. Dezember", "time"), ("2019-01-02", "htmldate")
    )
    assert value.startswith("2018-12-28")


def test_a_relative_date_does_not_take_a_year_from_another_candidate() -> None:
    _value, raw = choose(
        "https://news.example/story", ("vor 2 Stunden", "time"), ("2019-06-19", "htmldate")
    )
    assert raw == "2019-06-19"


def test_another_date_on_the_page_settles_day_and_month_order() -> None:
    """ "11/01/2023 12:43" reads as 11 January on a German page; the visible "01.11.2023"
    says it is 1 November, and the time of day is kept."""
    value, raw = choose(
        "https://news.example/story",
        ("11/01/2023 12:43:42", "meta:date"),
        ("Erstellt am: 01.11.2023", "time"),
    )
    assert value == "2023-11-01T12:43:42+00:00"
    assert raw == "11/01/2023 12:43:42"


def test_an_ambiguous_date_keeps_its_reading_when_another_date_confirms_it() -> None:
    value, _raw = choose(
        "https://news.example/story",
        ("11/01/2023 12:43:42", "meta:date"),
        ("11.01.2023", "time"),
        ("2023-11-01", "htmldate"),
    )
    assert value == "2023-01-11T12:43:42+00:00"
