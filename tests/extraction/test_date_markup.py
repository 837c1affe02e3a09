"""Publication dates a page marks up in several places: which one is the publication."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.page import extract_record

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
URL = "https://verein.example/aktuelles/neue-streuobstwiese"
PROSE = "".join(
    f"<p>Absatz {i} erzählt, wie die Mitglieder des Vereins die neue Wiese bepflanzt haben.</p>"
    for i in range(8)
)


def record(head: str, article: str, after: str = "") -> dict:
    html = (
        f"<html lang='de'><head><title>Neue Streuobstwiese</title>{head}</head><body>"
        f"<article><h1>Neue Streuobstwiese</h1>{article}{PROSE}</article>{after}</body></html>"
    )
    return extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)


def test_a_generic_meta_date_yields_to_an_earlier_visible_date() -> None:
    """``<meta name="date">`` is often the page's last change: the article's own, earlier
    date is its publication."""
    result = record(
        "<meta name='date' content='2024-04-20'>",
        "<p class='date'>12.04.2024, 09:30 Uhr</p>",
    )
    assert result["published"] == "2024-04-12T09:30:00+00:00"
    assert result["published_source"] == "time"


def test_a_later_visible_date_does_not_replace_a_generic_meta_date() -> None:
    """A later date on the page (an event in a list) is no publication date."""
    result = record(
        "<meta name='date' content='2024-04-20'>",
        "<p>Nächster Termin: <span class='datum'>29.05.2024 18:00 Uhr</span> Sommerfest</p>",
    )
    assert result["published"] == "2024-04-20"


@pytest.mark.parametrize(
    ("article", "after", "expected"),
    [
        (
            (
                "<div class='docinfo'><span class='label'>Datum:</span> "
                "<span class='value'>18.03.2024</span></div>"
            ),
            "",
            "2024-03-18",
        ),
        ("<div class='col'><h5>Datum: </h5>03.02.2024 <h5>Autor: </h5>ab</div>", "", "2024-02-03"),
        ("", "<p>Erstellt am: 01.03.2024</p>", "2024-03-01"),
        ("<div><span>Erschienen am:</span><h2>13.03.2024</h2></div>", "", "2024-03-13"),
    ],
)
def test_a_labelled_date_in_the_article_is_its_publication(
    article: str, after: str, expected: str
) -> None:
    """A date after a label ("Datum:", "Erstellt am:", "Erschienen am:") in an element with
    no date class, the label and the date in one element or in two."""
    html = (
        "<html lang='de'><head><title>Neue Streuobstwiese</title></head><body><article>"
        f"<h1>Neue Streuobstwiese</h1>{article}<p>Die Wiese wurde am 2. Februar 2023 gekauft."
        f"</p>{PROSE}{after}</article></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["published"] == expected
    assert result["published_source"] == "time"


def test_a_publication_label_outweighs_a_later_updated_label() -> None:
    result = record(
        "",
        "<p class='date'>Written: 2024-03-07 15:03:30 / Updated: 2024-03-08 09:30:46</p>",
    )
    assert result["published"] == "2024-03-07T15:03:30+00:00"


def test_a_date_row_of_a_facts_list_is_not_the_publication() -> None:
    """ "Datum:" in a list of facts about the subject (a photo's data) dates the subject."""
    result = record(
        "",
        "<ul><li>Kategorie: Obstbäume</li><li>Datum: 31.01.2024</li><li>Sorte: Boskoop</li></ul>",
    )
    assert result["published_source"] != "time"


def test_a_dateline_beside_the_headline_is_read() -> None:
    """A line no class marks that opens with a date, right above the headline."""
    html = (
        "<html lang='de'><head><title>Neue Streuobstwiese</title></head><body><div>"
        "<p>03.04.2024 10:16 Uhr - Lokales - Redaktion</p><h1>Neue Streuobstwiese</h1>"
        f"<p>Die Wiese wurde am 2. Februar 2023 gekauft.</p>{PROSE}</div></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["published"] == "2024-04-03T10:16:00+00:00"
    assert result["published_source"] == "time"


def test_an_element_holding_only_a_date_near_the_headline_is_read() -> None:
    """No class, label or <time>: an element of the article whose own text is just a date."""
    result = record(
        "",
        "<div class='bar'><div>Familie</div><div>17/02/2024 11:38<span>News</span></div></div>",
    )
    assert result["published"] == "2024-02-17T11:38:00+00:00"
    assert result["published_source"] == "time"


def test_a_teasers_date_is_not_the_articles() -> None:
    result = record(
        "",
        "<div><a href='/andere-meldung'><h3>Andere Meldung</h3><span>09.10.2023</span></a></div>",
    )
    assert result["published_source"] != "time"


def test_without_a_headline_a_lone_date_is_not_taken() -> None:
    """With no headline to measure from, a lone date may be the site header's "today"."""
    html = (
        "<html lang='de'><head><title>Neue Streuobstwiese</title></head><body>"
        f"<div class='top'><span>01.06.2024</span></div><div>{PROSE}</div></body></html>"
    )
    result = extract_record(html.encode(), URL, content_type="text/html", fetched_at=NOW)
    assert result["published_source"] != "time"


def test_an_hatom_abbr_gives_the_time_its_title_holds() -> None:
    """``<abbr class="published" title="...">``: the title is the machine-readable date; a
    title without a time leaves the text's time."""
    with_time = record("", "<abbr class='published' title='2024-04-12T09:30:00Z'>12. April</abbr>")
    assert with_time["published"] == "2024-04-12T09:30:00+00:00"
    day_only = record("", "<abbr class='published' title='12.04.2024'>12.04.2024, 09:30 Uhr</abbr>")
    assert day_only["published"] == "2024-04-12T09:30:00+00:00"
    # another element's title is a tooltip, not its date
    tooltip = record(
        "", "<span class='date' title='2024-04-01T08:00:00Z'>12.04.2024, 09:30 Uhr</span>"
    )
    assert tooltip["published"] == "2024-04-12T09:30:00+00:00"
