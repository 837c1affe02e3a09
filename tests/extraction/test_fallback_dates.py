"""A page that marks up no publication date: htmldate's search, then the URL's date."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawl.page import extract_record

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
PROSE = "".join(
    f"<p>Paragraph {i} of the post says what the volunteers built at the allotment.</p>"
    for i in range(8)
)


def record(url: str, article: str) -> dict:
    html = f"<html lang='en'><head><title>Raised beds</title></head><body><article><h1>Raised beds</h1>{article}{PROSE}</article></body></html>"
    return extract_record(html.encode(), url, content_type="text/html", fetched_at=NOW)


def test_a_date_only_in_the_text_is_found_by_htmldate() -> None:
    result = record(
        "https://garden.example/posts/raised-beds",
        "<p class='meta'>Blog entry by Sam Gardner, posted on 18 May 2014 in Projects</p>",
    )
    assert result["published"] == "2014-05-18"
    assert result["published_source"] == "htmldate"


def test_an_hatom_abbr_title_is_found_with_its_time() -> None:
    """Read from the markup itself, before any fallback: htmldate would give only the day."""
    result = record(
        "https://garden.example/posts/raised-beds",
        "<abbr class='published' title='2014-05-18T09:30:00+02:00'>a while ago</abbr>",
    )
    assert result["published"] == "2014-05-18T07:30:00+00:00"
    assert result["published_source"] == "time"


def test_the_url_date_is_the_last_resort() -> None:
    result = record("https://garden.example/2013/04/02/raised-beds/", "")
    assert result["published"] == "2013-04-02"


def test_markup_dates_win_over_the_fallbacks() -> None:
    result = record(
        "https://garden.example/2013/04/02/raised-beds/",
        "<time datetime='2013-04-02T08:15:00+02:00'>2 April 2013</time>",
    )
    assert result["published_source"] == "time"
    assert result["published"] == "2013-04-02T06:15:00+00:00"


def test_a_site_headers_today_is_never_the_publication_date() -> None:
    html = (
        "<html lang='en'><head><title>Raised beds</title></head><body>"
        "<header><p class='today'>Saturday, 1 June 2024</p></header>"
        f"<article><h1>Raised beds</h1>{PROSE}</article></body></html>"
    )
    result = extract_record(
        html.encode(),
        "https://garden.example/posts/raised-beds",
        content_type="text/html",
        fetched_at=NOW,
    )
    assert result["published"] is None


def test_a_relative_date_yields_to_a_written_one() -> None:
    """A "2 hours ago" element is only as good as the crawl time: a full date elsewhere on
    the page, found by htmldate, wins."""
    result = record(
        "https://garden.example/posts/raised-beds",
        "<time class='published'>vor 2 Stunden</time>"
        "<p class='meta'>Blog entry by Sam Gardner, posted on 18 May 2014 in Projects</p>",
    )
    assert result["published"] == "2014-05-18"


def test_a_year_alone_is_not_read_as_the_first_of_january() -> None:
    """htmldate turns a lone year (a copyright line) into 1 January; without a full date for
    that day on the page, that is no publication date."""
    result = record(
        "https://garden.example/posts/raised-beds", "<footer>© 2009 Garden Club</footer>"
    )
    assert result["published"] != "2009-01-01"


def test_a_written_first_of_january_is_kept() -> None:
    result = record(
        "https://garden.example/posts/raised-beds",
        "<p class='meta'>Blog entry by Sam Gardner, posted on 1 January 2014 in Projects</p>",
    )
    assert result["published"] == "2014-01-01"
