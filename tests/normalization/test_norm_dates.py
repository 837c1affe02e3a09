"""parse_date, date_from_url, to_utc."""

from __future__ import annotations

import email.utils
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.normalization.dates import ParsedDate, date_from_url, parse_date, to_utc
from tests.profiles import examples

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))
JST = timezone(timedelta(hours=9))


def parsed(raw: str, **kwargs: object) -> ParsedDate:
    result = parse_date(raw, now=NOW, **kwargs)  # type: ignore[arg-type]
    assert result is not None, raw
    assert result.value.tzinfo is UTC
    return result


@pytest.mark.parametrize(
    ("raw", "expected", "had_offset"),
    [
        ("2024-05-03T15:47:42.389Z", datetime(2024, 5, 3, 15, 47, 42, 389000, tzinfo=UTC), True),
        ("2024-08-28T10:00:23+0000", datetime(2024, 8, 28, 10, 0, 23, tzinfo=UTC), True),
        ("2024-04-30 16:17:29 +02:00", datetime(2024, 4, 30, 16, 17, 29, tzinfo=CEST), True),
        ("2024-04-27T07:39+0200", datetime(2024, 4, 27, 7, 39, tzinfo=CEST), True),
        (
            "2024-04-22T15:26:46.863186+00:00",
            datetime(2024, 4, 22, 15, 26, 46, 863186, tzinfo=UTC),
            True,
        ),
        ("2024-04-28 07:00:00Z", datetime(2024, 4, 28, 7, tzinfo=UTC), True),
        ("20240503T101010Z", datetime(2024, 5, 3, 10, 10, 10, tzinfo=UTC), True),
        ("2024-05-03T10:00:00+02:00[Europe/Berlin]", datetime(2024, 5, 3, 8, tzinfo=UTC), True),
        ("2026-05-13 15:44", datetime(2026, 5, 13, 15, 44, tzinfo=UTC), False),
        ("Fri, 03 May 2024 10:00:00 GMT", datetime(2024, 5, 3, 10, tzinfo=UTC), True),
        ("Fri, 03 May 2024 10:00:00 +0200", datetime(2024, 5, 3, 10, tzinfo=CEST), True),
        ("Wed, 02 Oct 2002 08:00:00 EST", datetime(2002, 10, 2, 13, tzinfo=UTC), True),
        ("1715279080", datetime(2024, 5, 9, 18, 24, 40, tzinfo=UTC), True),
        ("1715279080000", datetime(2024, 5, 9, 18, 24, 40, tzinfo=UTC), True),
        ("Fri Apr 28 19:20:36 CEST 2023", datetime(2023, 4, 28, 19, 20, 36, tzinfo=CEST), True),
    ],
)
def test_machine_formats(raw, expected, had_offset):
    result = parsed(raw)
    assert result.value == expected
    assert result.has_time
    assert result.had_offset is had_offset


@pytest.mark.parametrize(
    ("raw", "languages", "expected"),
    [
        ("3. Mai 2024, 17:47", ["de"], datetime(2024, 5, 3, 17, 47)),
        ("30. Juni 2025, \n\t\t 15:59 Uhr", ["de"], datetime(2025, 6, 30, 15, 59)),
        ("22.04.2024, 17:26 Uhr", ["de"], datetime(2024, 4, 22, 17, 26)),
        ("26.08.2024 um 06:00 Uhr", ["de-DE"], datetime(2024, 8, 26, 6, 0)),
        ("Veröffentlicht am 27.04.24 um 07:39 Uhr", ["de"], datetime(2024, 4, 27, 7, 39)),
        ("Zuerst veröffentlicht am\n    30/04/2024 - 16:17", ["de"], datetime(2024, 4, 30, 16, 17)),
        ("28.04.2023-19:20", ["de"], datetime(2023, 4, 28, 19, 20)),
        ("12. MÄR 2025 18:03", ["de"], datetime(2025, 3, 12, 18, 3)),
        ("Actualizado a  13/01/2025 15:43", ["es"], datetime(2025, 1, 13, 15, 43)),
        ("22/11/2024 à 09:47", ["fr"], datetime(2024, 11, 22, 9, 47)),
        ("Publié le 22 novembre 2024 à 14h30", ["fr"], datetime(2024, 11, 22, 14, 30)),
        ("Publicado em 01/05/2024 às 10h00", ["pt"], datetime(2024, 5, 1, 10, 0)),
        ("1 de maio de 2024, 10h00", ["pt"], datetime(2024, 5, 1, 10, 0)),
        ("torsdag 06. feb 2025 17:25", ["da"], datetime(2025, 2, 6, 17, 25)),
        ("torsdag 09. mai 2024 - 13:26", ["nb"], datetime(2024, 5, 9, 13, 26)),
        ("15.10.24 23:35", ["no"], datetime(2024, 10, 15, 23, 35)),
        ("Publicerad 23 okt 2025 kl 10.23", ["sv"], datetime(2025, 10, 23, 10, 23)),
        ("3 мая 2024 г. в 10:30", ["ru"], datetime(2024, 5, 3, 10, 30)),
        ("2025/1/21 20:50", ["ja"], datetime(2025, 1, 21, 20, 50)),
        ("2024年12月3日 23時17分", ["ja"], datetime(2024, 12, 3, 23, 17)),
        ("Published: 22:04, 22 Apr 2024", ["en"], datetime(2024, 4, 22, 22, 4)),
        ("| UPDATED: 11:50, Thu, Jul 18, 2024", ["en"], datetime(2024, 7, 18, 11, 50)),
        ("30 August 2023 • 4:45pm", ["en"], datetime(2023, 8, 30, 16, 45)),
        ("June 30, 2025 - 4.34pm", ["en"], datetime(2025, 6, 30, 16, 34)),
        ("February 28 2024, 9:54 a.m.", ["en"], datetime(2024, 2, 28, 9, 54)),
        ("Posted on May 3, 2024 at 10:30 am", ["en"], datetime(2024, 5, 3, 10, 30)),
        ("03.05.2024 10:30", ["xh"], datetime(2024, 5, 3, 10, 30)),
    ],
)
def test_page_formats_in_many_languages(raw, languages, expected):
    result = parsed(raw, languages=languages)
    assert result.value == expected.replace(tzinfo=UTC)
    assert result.has_time
    assert not result.had_offset


def test_zone_abbreviation_in_page_text():
    result = parsed("06/01/2026 - 14:02 MEZ", languages=["de"])
    assert result.value == datetime(2026, 1, 6, 13, 2, tzinfo=UTC)
    assert result.had_offset


@pytest.mark.parametrize(
    ("raw", "languages", "expected"),
    [
        ("2024-04-24", None, date(2024, 4, 24)),
        ("20240503", None, date(2024, 5, 3)),
        ("2024-W18-5", None, date(2024, 5, 3)),
        ("03.04.2026", None, date(2026, 4, 3)),
        ("am 3. Mai 2024", ["de"], date(2024, 5, 3)),
        ("Geschrieben am 15. April 2025", ["de"], date(2025, 4, 15)),
        ("on May 3, 2024", ["en"], date(2024, 5, 3)),
        ("2024. május 3.", ["hu"], date(2024, 5, 3)),
        ("2024年12月3日", ["zh"], date(2024, 12, 3)),
        ("02/12/2024\n\n\nActualizado a las 20:56h.", ["es"], date(2024, 12, 2)),
        # local midnight: a CMS placeholder for "day only"
        ("2024-10-16T00:00:00+08:00", None, date(2024, 10, 16)),
    ],
)
def test_day_only(raw, languages, expected):
    result = parsed(raw, languages=languages)
    assert not result.has_time
    assert result.value == datetime.combine(expected, datetime.min.time(), tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "languages", "expected"),
    [
        ("04/03/2026", ["en"], date(2026, 4, 3)),
        ("04/03/2026", ["fr"], date(2026, 3, 4)),
        ("04/03/2026", None, date(2026, 3, 4)),
        ("13/03/2026", ["en"], date(2026, 3, 13)),
        ("03/13/2026", ["de"], date(2026, 3, 13)),
    ],
)
def test_ambiguous_numeric_dates_follow_the_language(raw, languages, expected):
    assert parsed(raw, languages=languages).value.date() == expected


def test_date_order_overrides_the_language():
    assert parsed("04/03/2026", languages=["en"], date_order="DMY").value.date() == date(2026, 3, 4)
    assert parsed("04.03.2026", date_order="MDY").value.date() == date(2026, 4, 3)
    assert parsed("04/03/2026", languages=["en"], date_order="bogus").value.date() == date(
        2026, 4, 3
    )


@pytest.mark.parametrize(
    ("raw", "languages", "delta"),
    [
        ("3 hours ago", ["en"], timedelta(hours=3)),
        ("Published 3 seconds ago", ["en"], timedelta(seconds=3)),
        ("Updated 45 minutes ago", None, timedelta(minutes=45)),
        ("1h ago", ["en"], timedelta(hours=1)),
        ("vor 3 Stunden", ["de"], timedelta(hours=3)),
        ("Vor einer Stunde", ["de"], timedelta(hours=1)),
        ("vor 58 Minuten", ["de"], timedelta(minutes=58)),
        ("il y a 3 heures", ["fr"], timedelta(hours=3)),
    ],
)
def test_relative_times_resolve_against_now(raw, languages, delta):
    result = parsed(raw, languages=languages)
    assert result.value == NOW - delta
    assert result.has_time


@pytest.mark.parametrize(
    ("raw", "languages", "days"),
    [
        ("yesterday", ["en"], 1),
        ("gestern", ["de"], 1),
        ("2 days ago", ["zu"], 2),
        ("vor 3 Tagen", ["de"], 3),
    ],
)
def test_relative_days_are_day_only(raw, languages, days):
    result = parsed(raw, languages=languages)
    assert not result.has_time
    assert result.value == datetime.combine(
        NOW.date() - timedelta(days=days), datetime.min.time(), tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("raw", "languages"),
    [
        ("01/05/2026 - 10h", ["pt"]),
        ("01/05/2026 a las 10h", ["es"]),
        ("05/01/2026 3 hours ago", ["en"]),
    ],
)
def test_a_numeric_date_opening_the_line_is_not_read_as_a_relative_phrase(raw, languages):
    """dateparser reads the words after the date as "10 hours ago" and gives the crawl day."""
    assert parsed(raw, languages=languages).value.date() == date(2026, 5, 1)


def test_today_with_time():
    assert parsed("Heute, 11:34 Uhr", languages=["de"]).value == datetime(
        2026, 5, 20, 11, 34, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "garbage text",
        "Stand: 20:03 Uhr",  # a time without a day
        "10:34 AM UTC",
        "May 2024",  # a month is not a publication day
        "2024",
        "1989-12-31",  # too old
        "2026-05-23T00:00:01Z",  # after now + 2 days
        "in 5 days",
        "0",
        "99999999999999999999",
        "2024-13-45",
        "2 minute readApril 25, 20232:26 PM GMT+2Last Updated 9 min ago",
    ],
)
def test_rejects(raw):
    assert parse_date(raw, languages=["en"], now=NOW) is None


def test_tomorrow_is_within_the_future_slack():
    assert parsed("tomorrow", languages=["en"]).value.date() == date(2026, 5, 21)


def test_non_string_and_huge_inputs():
    assert parse_date(None, now=NOW) is None  # type: ignore[arg-type]
    assert parse_date(12345, now=NOW) is None  # type: ignore[arg-type]
    assert_valid(parse_date("3. Mai 2024 " + "blah " * 100_000, languages=["de"], now=NOW), NOW)
    assert parsed("2024-05-03T10:00:00Z" + " " * 100_000).value == datetime(
        2024, 5, 3, 10, tzinfo=UTC
    )


def test_default_now_is_the_current_time():
    result = parse_date("1 hour ago", languages=["en"])
    assert result is not None
    assert abs(result.value - (datetime.now(UTC) - timedelta(hours=1))) < timedelta(minutes=5)
    assert parse_date((datetime.now(UTC) + timedelta(days=5)).isoformat()) is None


def test_unknown_language_hints_do_not_break_parsing():
    assert parsed("3 May 2024 10:30", languages=["not-a-language", "", "??"]).value == datetime(
        2024, 5, 3, 10, 30, tzinfo=UTC
    )


def assert_valid(result: ParsedDate | None, now: datetime) -> None:
    if result is None:
        return
    assert result.value.tzinfo is UTC
    assert datetime(1990, 1, 1, tzinfo=UTC) <= result.value <= now + timedelta(days=2)
    if not result.has_time:
        assert result.value.time() == datetime.min.time()


date_words = st.sampled_from(
    [
        "3",
        "May",
        "Mai",
        "2024",
        "12:30",
        "Uhr",
        "ago",
        "hours",
        "vor",
        "Published",
        "am",
        ".",
        "/",
        "-",
        "+02:00",
        "Z",
        "T",
        "yesterday",
        "GMT",
        "le",
        "janvier",
        "2023-04-28",
        "10",
    ]
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.text(max_size=60), st.lists(date_words, max_size=8).map(" ".join)),
    st.sampled_from([None, ["en"], ["de"], ["fr", "en"], ["ja"], ["xx"]]),
    st.sampled_from([None, "DMY", "MDY", "YMD", "nonsense"]),
)
def test_never_raises_and_always_utc(raw, languages, date_order):
    assert_valid(parse_date(raw, languages=languages, date_order=date_order, now=NOW), NOW)


def not_midnight(dt: datetime) -> bool:
    """Exactly 00:00:00 local time reads as "day only" (see test_day_only)."""
    return (dt.hour, dt.minute, dt.second, dt.microsecond) != (0, 0, 0, 0)


aware_datetimes = st.datetimes(
    min_value=datetime(1990, 1, 2),
    max_value=datetime(2026, 5, 19),
    timezones=st.sampled_from([UTC, CEST, JST, timezone(timedelta(hours=-5, minutes=-30))]),
).filter(not_midnight)
aware_seconds = aware_datetimes.map(lambda d: d.replace(microsecond=0)).filter(not_midnight)


@settings(max_examples=examples(150), deadline=None)
@given(aware_datetimes, st.sampled_from(["T", " "]))
def test_iso_round_trip(dt, sep):
    result = parse_date(dt.isoformat(sep=sep), now=NOW)
    assert result == ParsedDate(dt.astimezone(UTC), True, True)


@settings(max_examples=examples(100), deadline=None)
@given(aware_seconds.map(lambda d: d.replace(tzinfo=None)))
def test_naive_iso_is_taken_as_utc(dt):
    result = parse_date(dt.isoformat(), now=NOW)
    assert result is not None
    assert result.value == dt.replace(tzinfo=UTC)
    assert result.has_time
    assert not result.had_offset


@settings(max_examples=examples(100), deadline=None)
@given(aware_seconds)
def test_rfc2822_round_trip(dt):
    result = parse_date(email.utils.format_datetime(dt), now=NOW)
    assert result is not None
    assert result.value == dt.astimezone(UTC)


@settings(max_examples=examples(100), deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 5, 20)),
    st.sampled_from(["%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d"]),
)
def test_numeric_day_round_trip(day, fmt):
    result = parse_date(day.strftime(fmt), languages=["de"], now=NOW)
    assert result is not None
    assert (result.value.date(), result.has_time) == (day, False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.mbl.is/frettir/innlent/2025/02/11/islenskar_konur/", date(2025, 2, 11)),
        ("https://metro.co.uk/2024/07/17/king-charles-21244172/?ico=x", date(2024, 7, 17)),
        ("http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html", date(2024, 4, 24)),
        ("https://www.abc.es/sociedad/detenido-20241202105634-nt.html", date(2024, 12, 2)),
        ("https://japannews.yomiuri.co.jp/politics/20241013-216478/", date(2024, 10, 13)),
        ("https://www.lavanguardia.com/politica/20250113/10277301/juez.html", date(2025, 1, 13)),
        ("https://example.com/news/a-2024-05-03-b", date(2024, 5, 3)),
        ("https://example.com/news/a_2024_05_03", date(2024, 5, 3)),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/2024/05/",  # year and month only
        "https://globalnews.ca/news/11862251/russia-missile/",
        "https://www.sermitsiaq.ag/samfund/mute-b-egede/2192432",
        "https://example.com/2024/02/30/impossible",
        "https://example.com/1985/05/03/too-old",
        "https://example.com/2999/05/03/future",
        "https://example.com/story?date=2024/05/03",  # query, not path
        "",
        "not a url",
    ],
)
def test_date_from_url_none(url):
    assert date_from_url(url) is None


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 1, 1)),
    st.sampled_from(["/%Y/%m/%d/", "/%Y%m%d/", "-%Y-%m-%d-"]),
)
def test_date_from_url_round_trip(day, fmt):
    assert date_from_url("https://example.com/section" + day.strftime(fmt) + "slug") == day


@given(st.text(max_size=80))
def test_date_from_url_never_raises(url):
    found = date_from_url(url)
    assert found is None or date(1990, 1, 1) <= found


def test_to_utc():
    assert to_utc(datetime(2024, 5, 3, 12)) == datetime(2024, 5, 3, 12, tzinfo=UTC)
    assert to_utc(datetime(2024, 5, 3, 12, tzinfo=CEST)) == datetime(2024, 5, 3, 10, tzinfo=UTC)
    assert to_utc(datetime(2024, 5, 3, 12, tzinfo=CEST)).tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.02.2020 - Redaktion: Anna Beispiel", "2020-02-05"),
        ("05.02.2020 | Politik", "2020-02-05"),
        ("2020-02-05 von Anna Beispiel", "2020-02-05"),
    ],
)
def test_a_numeric_date_opening_a_longer_line_is_read(text: str, expected: str) -> None:
    parsed = parse_date(text, languages=["de"], now=datetime(2024, 1, 1, tzinfo=UTC))
    assert parsed is not None and parsed.value.date().isoformat() == expected


def test_a_zero_padded_cjk_month_is_no_year() -> None:
    """dateparser alone reads "06月24日" as 24 December 2006."""
    parsed = parse_date(
        "06月24日 11時30分", languages=["ja"], now=datetime(2024, 12, 1, tzinfo=UTC)
    )
    assert parsed is not None
    assert parsed.value == datetime(2024, 6, 24, 11, 30, tzinfo=UTC)


def test_a_leading_date_and_time_before_a_separator_is_read() -> None:
    parsed = parse_date(
        "02.02.2022 10:16 Uhr - 1. Liga - Redaktion",
        languages=["de"],
        now=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert parsed is not None
    assert parsed.value == datetime(2022, 2, 2, 10, 16, tzinfo=UTC)
