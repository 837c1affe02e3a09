"""Publication dates a page marks up in several places: which one is the publication."""

from __future__ import annotations

from datetime import UTC, datetime

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
        "",
        after="<ul><li><span class='datum'>29.05.2024 18:00 Uhr</span> "
        "<a href='/termine/7'>Sommerfest</a></li></ul>",
    )
    assert result["published"] == "2024-04-20"
