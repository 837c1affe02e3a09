"""clean_text, clean_multiline, strip_site_name, without_trailing_date, without_decorations,
site_name_variants."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.normalization.text import (
    clean_multiline,
    clean_text,
    name_keys,
    site_name_variants,
    strip_site_name,
    unescape_html,
    without_blog_archive_label,
    without_decorations,
    without_trailing_date,
)
from tests.profiles import examples

INVISIBLE = "\u200b\u2060\ufeff\u00ad\u200e\u200f"
# Text with the characters the cleaners care about mixed in.
messy_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \t\n\r\u00a0\u2009\u202f\u3000\u2028\u2029" + INVISIBLE)),
        st.sampled_from(["e\u0301", "A\u030a", "\u2000", "\u212b", "\u0301"]),
    ),
    max_size=60,
).map("".join)


def test_clean_text_spaces_and_invisible_characters():
    raw = "\ufeff  Nach\u00a0Kalifat-Rufen\u200b in\u2009Hamburg:\n\tSind wir zu\u00adsanft? \u3000"
    assert clean_text(raw) == "Nach Kalifat-Rufen in Hamburg: Sind wir zusanft?"


def test_clean_text_composes_to_nfc():
    assert clean_text("Zu\u0308rich Cafe\u0301") == "Zürich Café"


def test_clean_text_keeps_joiners_that_shape_scripts():
    hindi = "क्\u200dष"
    assert clean_text(hindi) == hindi


@pytest.mark.parametrize("empty", [None, "", "   ", "\u200b\u00a0\n"])
def test_clean_text_empty(empty):
    assert clean_text(empty) == ""


@given(messy_text)
def test_clean_text_properties(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not any(c in cleaned for c in INVISIBLE + "\n\t\u00a0")
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_multiline_keeps_paragraphs():
    raw = "  Erster Absatz,\r\n zweite Zeile  \n\n\n\nZweiter\u00a0Absatz \u2029Dritter\n \n"
    assert clean_multiline(raw) == "Erster Absatz,\nzweite Zeile\n\nZweiter Absatz\n\nDritter"


@given(messy_text)
def test_clean_multiline_properties(text):
    cleaned = clean_multiline(text)
    assert clean_multiline(cleaned) == cleaned
    assert "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()
    for line in cleaned.split("\n"):
        assert line == line.strip()
        assert "  " not in line
    # Nothing but whitespace differs from the one-line form.
    assert clean_text(cleaned) == clean_text(text)


def test_unescape_html_resolves_double_escaping():
    assert unescape_html("Governance &amp;amp; Affairs") == "Governance & Affairs"
    assert unescape_html("&lt;b&gt;") == "<b>"


@pytest.mark.parametrize(
    ("headline", "site_names", "expected"),
    [
        ("Foo bar | The Daily Post", ["The Daily Post"], "Foo bar"),
        ("Daily Post - Foo bar", ["The Daily Post"], "Foo bar"),
        ("Kritik an Merz - DER SPIEGEL", ["spiegel.de"], "Kritik an Merz"),
        ("Kritik an Merz | Spiegel.de", ["DER SPIEGEL"], "Kritik an Merz"),
        ("Kritik an Merz — SPIEGEL ONLINE", ["spiegel"], "Kritik an Merz"),
        (
            "Ukraine-Krieg: Angriff auf Kiew | tagesschau.de",
            ["tagesschau.de"],
            "Ukraine-Krieg: Angriff auf Kiew",
        ),
        ("Nachrichten aus Bayern · BR24", ["BR24"], "Nachrichten aus Bayern"),
        ("Guerre en Ukraine :: Le Figaro", ["lefigaro.fr"], "Guerre en Ukraine"),
        ("Title / Nine.com.au", ["nine.com.au"], "Title"),
        ("南海トラフ、一時調査：中日新聞Web", ["中日新聞Web"], "南海トラフ、一時調査"),
        ("Title | Section | SPIEGEL ONLINE", ["spiegel.de"], "Title | Section"),
        ("Foo :: Bar :: Site :: Site", ["Site"], "Foo :: Bar"),
        (
            "Bulls, Jones pursue talks: Sport: Rugby: News24",
            ["news24.com"],
            "Bulls, Jones pursue talks",
        ),
        (
            "Budget: what it means for you: Harbour Daily",
            ["harbourdaily.com"],
            "Budget: what it means for you",
        ),
        # the text is cut where the site's colon chain starts, its spacing kept as written
        ("Foo bar ::  - Foo bar: Daily Post", ["The Daily Post"], "Foo bar ::  - Foo bar"),
        (
            "Harbour Post > News > Storm hits the coast",
            ["harbourpost.example"],
            "News > Storm hits the coast",
        ),
    ],
)
def test_strip_site_name(headline, site_names, expected):
    assert strip_site_name(headline, site_names) == expected


@pytest.mark.parametrize(
    ("headline", "site_names"),
    [
        (
            "Brand in Betrieb in Lichterfelde – Starke Rauchentwicklung",
            ["morgenpost.de", "Berliner Morgenpost"],
        ),
        ("Nine things to know", ["nine.com.au"]),
        ("Title - Nineteen", ["nine.com.au"]),
        ("Interview: Spiegel des Lebens", ["spiegel.de"]),
        ("Storm: the coast braces for the night", ["thecoast.com"]),
        ("DER SPIEGEL", ["spiegel.de"]),
        ("Bob: the harbour plan", ["bob.example"]),  # a headline's subject, not a site label
        ("Site | Site", []),
    ],
)
def test_strip_site_name_keeps_segments_that_are_not_site_names(headline, site_names):
    assert strip_site_name(headline, site_names) == headline


def test_strip_site_name_never_empties():
    assert strip_site_name("DER SPIEGEL | Spiegel.de", ["spiegel.de"]) in (
        "DER SPIEGEL",
        "Spiegel.de",
    )


site_names = st.lists(
    st.sampled_from(["The Daily Post", "spiegel.de", "BR24", "Nine.com.au", "X"]), max_size=3
)
separators = st.sampled_from([" - ", " | ", " – ", " :: ", " / ", " · ", "：", ": "])
segments = st.sampled_from(
    ["Foo bar", "Daily Post", "SPIEGEL", "Nine", "News", "", "  ", "BR24 Live", "x"]
)


@given(st.lists(st.tuples(segments, separators), max_size=5), segments, site_names)
def test_strip_site_name_properties(parts, last, names):
    headline = "".join(a + b for a, b in parts) + last
    stripped = strip_site_name(headline, names)
    assert strip_site_name(stripped, names) == stripped
    assert stripped in headline
    if headline.strip():
        assert stripped.strip()


@given(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=3))
def test_strip_site_name_arbitrary_input(headline, names):
    stripped = strip_site_name(headline, names)
    assert strip_site_name(stripped, names) == stripped
    assert stripped in headline
    assert bool(stripped.strip()) == bool(headline.strip())


def test_site_name_variants():
    variants = site_name_variants(
        "Schweizer Radio und Fernsehen (SRF)", "https://www.srf.ch/news/x"
    )
    assert {"Schweizer Radio und Fernsehen", "SRF", "srf.ch"} <= set(variants)
    assert site_name_variants(None, "https://www.nytimes.com/2024/05/03/a.html") == (
        "nytimes.com",
        "nytimes",
    )
    assert site_name_variants("@BR24", "https://www.br.de/x")[0] == "BR24"
    assert site_name_variants("BBC News", "https://www.bbc.co.uk/news")[-2:] == ("bbc.co.uk", "bbc")
    assert "euronews" in site_name_variants(None, "https://de.euronews.com/2024/04/30/x")


@given(st.one_of(st.none(), st.text(max_size=40)), st.text(max_size=60))
def test_site_name_variants_never_raises(site_name, url):
    variants = site_name_variants(site_name, url)
    folded = [v.casefold() for v in variants]
    assert len(folded) == len(set(folded))
    assert all(v == clean_text(v) and v for v in variants)


def test_name_keys_match_loosely():
    assert "spiegel" in name_keys("DER SPIEGEL") & name_keys("Spiegel.de") & name_keys("spiegel")
    assert name_keys("Nineteen").isdisjoint(name_keys("nine.com.au"))


@settings(max_examples=examples(50))
@given(st.text(max_size=30))
def test_name_keys_never_empty_strings(name):
    assert "" not in name_keys(name)


@pytest.mark.parametrize(
    ("headline", "site_name", "url", "expected"),
    [
        # a domain spelling umlauts as "ue", no declared site name
        (
            "Streit um Mieten - Süddeutsche Zeitung",
            None,
            "https://sueddeutsche.example/x",
            "Streit um Mieten",
        ),
        # a date after the site name
        (
            "Streit um Mieten | Tagblatt | 28.04.2023",
            "Tagblatt",
            "https://t.example/",
            "Streit um Mieten",
        ),
        # a date after a segment that is no site name stays
        (
            "Streit um Mieten | Politik | 28.04.2023",
            "Tagblatt",
            "https://t.example/",
            "Streit um Mieten | Politik | 28.04.2023",
        ),
        # separators beyond | - – :
        (
            "Storm floods harbour ㅣ Korea Daily",
            "Korea Daily",
            "https://kd.example/",
            "Storm floods harbour",
        ),
        (
            "Storm floods harbour ¦ Korea Daily",
            "Korea Daily",
            "https://kd.example/",
            "Storm floods harbour",
        ),
        (
            "Storm floods harbour › Korea Daily",
            "Korea Daily",
            "https://kd.example/",
            "Storm floods harbour",
        ),
        # a suffix ending in the domain's label, no declared site name
        (
            "Stadtrat streitet - Münchner Merkur",
            None,
            "https://www.merkur.example/x",
            "Stadtrat streitet",
        ),
        # ... or opening with it
        (
            "Stadtrat streitet - Yahoo! Sport UK",
            None,
            "https://uk.sport.yahoo.example/x",
            "Stadtrat streitet",
        ),
        # a longer segment that opens with the name is no site name
        (
            "Stadtrat streitet - Merkur readers react angrily",
            None,
            "https://www.merkur.example/x",
            "Stadtrat streitet - Merkur readers react angrily",
        ),
        # a section label between the headline and the name, set off like the name
        (
            "Storm floods the harbour | Video | Harbour Times",
            "Harbour Times",
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour",
        ),
        # ... but a dash also sets off a quotation's speaker
        (
            "'We will fight on' - Pastore - Harbour Times",
            "Harbour Times",
            "https://www.harbourtimes.example/x",
            "'We will fight on' - Pastore",
        ),
        # short segments after the name: a tagline, a page number
        (
            "Storm floods the harbour – Harbour Times – The voice of the coast",
            None,
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour",
        ),
        (
            "Storm floods the harbour | Harbour Times | Page 2",
            "Harbour Times",
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour",
        ),
        # ... not after a section that merely ends with the domain's word
        (
            "Storm hits the coast hard - World News - The Daily Paper",
            None,
            "https://news.example/x",
            "Storm hits the coast hard - World News - The Daily Paper",
        ),
        # the name in brackets at the end
        (
            "Storm floods the harbour (Harbour Times)",
            None,
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour",
        ),
        (
            "Storm floods the harbour [Harbour Times]",
            "Harbour Times",
            "https://ht.example/x",
            "Storm floods the harbour",
        ),
        # abbreviations: the declared name's initials, a name whose initials the domain spells
        (
            "Storm floods the harbour | HT",
            "Harbour Times",
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour",
        ),
        (
            "Sturm flutet den Hafen | Rheinische Post",
            None,
            "https://rp-online.example/x",
            "Sturm flutet den Hafen",
        ),
        (
            "Storm floods the harbour | UK",
            "Harbour Times",
            "https://www.harbourtimes.example/x",
            "Storm floods the harbour | UK",
        ),
    ],
)
def test_site_name_affixes_are_stripped(
    headline: str, site_name: str | None, url: str, expected: str
) -> None:
    assert strip_site_name(headline, site_name_variants(site_name, url)) == expected


def test_a_titles_site_name_before_a_colon_goes() -> None:
    from newscrawl.normalization.text import without_site_prefix

    names = ["harbournotes.example"]
    assert without_site_prefix("Harbour Notes: Storm hits: the night after", names) == (
        "Storm hits: the night after"
    )
    assert without_site_prefix("Harbour Notes:", names) == "Harbour Notes:"
    assert without_site_prefix("Storm: Harbour Notes", names) == "Storm: Harbour Notes"
    assert without_site_prefix("Harbour Notes:Storm", names) == "Harbour Notes:Storm"


def test_title_segments_split_on_site_separators_only() -> None:
    from newscrawl.normalization.text import title_segments

    assert title_segments("Storm hits coast - News | Daily Paper") == [
        "Storm hits coast",
        "News",
        "Daily Paper",
    ]
    assert title_segments("Algeria: Al-Qaeda claims attack") == ["Algeria: Al-Qaeda claims attack"]
    assert title_segments("Daily > News > Storm hits coast") == [
        "Daily",
        "News",
        "Storm hits coast",
    ]
    assert title_segments("Prices rose 5%>3% last year") == ["Prices rose 5%>3% last year"]


def test_title_runs_are_adjacent_segments_short_of_the_whole_title() -> None:
    from newscrawl.normalization.text import title_runs

    assert title_runs("Sport - Storm hits coast | Daily Paper") == [
        "Sport - Storm hits coast",
        "Storm hits coast | Daily Paper",
    ]
    assert title_runs("Storm hits coast | Daily Paper") == []
    assert max(run.count(" - ") for run in title_runs("A - B - C - D - E - F")) == 2
    assert title_runs("Storm hits coast") == []


def test_title_parts_add_colon_pieces_after_the_segments() -> None:
    from newscrawl.normalization.text import title_parts

    assert title_parts("Daily : News : Storm hits coast | Daily") == [
        "Daily : News : Storm hits coast",
        "Daily",
        "News",
        "Storm hits coast",
    ]
    assert title_parts("Blog: Post title") == ["Blog: Post title", "Blog", "Post title"]


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Storm hits the coast (14/01/2008)", "Storm hits the coast"),
        ("Storm hits the coast ( 2008-01-14 )", "Storm hits the coast"),
        ("Storm hits the coast (AP)", "Storm hits the coast (AP)"),
        ("Storm hits the coast in 2008", "Storm hits the coast in 2008"),
        ("(14/01/2008)", "(14/01/2008)"),
        ("Driver joins the team Thursday, 10, January, 2008, 09:14", "Driver joins the team"),
        ("Storm hits the coast Monday, January 14, 2008", "Storm hits the coast"),
        ("Storm hits the coast on Monday", "Storm hits the coast on Monday"),
        ("Thursday, 10 January 2008", "Thursday, 10 January 2008"),
        ("The Briefing, Friday, November 9, 2012", "The Briefing, Friday, November 9, 2012"),
    ],
)
def test_without_trailing_date(headline: str, expected: str) -> None:
    assert without_trailing_date(headline) == expected


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("=> The one to watch <=", "The one to watch"),
        (">> Storm hits the coast", "Storm hits the coast"),
        ("*** Breaking: storm hits the coast ***", "Breaking: storm hits the coast"),
        (
            "«Die Zurückhaltung hat viel mit den USA zu tun»",
            "«Die Zurückhaltung hat viel mit den USA zu tun»",
        ),
        ("Rates > 3% and < 5%", "Rates > 3% and < 5%"),
        ("<=>", "<=>"),
    ],
)
def test_without_decorations(headline: str, expected: str) -> None:
    assert without_decorations(headline) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbour Notes » Blog Archive » Storm floods the quay", "Storm floods the quay"),
        ("Hafenblog » Blog Archiv » Sturm am Kai", "Sturm am Kai"),
        ("Blog Archive | Storm floods the quay", "Storm floods the quay"),
        ("Our blog archive » what we wrote in 2012", "Our blog archive » what we wrote in 2012"),
        (
            "The blog archive of the harbour society is online",
            "The blog archive of the harbour society is online",
        ),
        ("Blog Archive", "Blog Archive"),
    ],
)
def test_a_blog_templates_archive_label_goes_with_what_precedes_it(
    title: str, expected: str
) -> None:
    assert without_blog_archive_label(title) == expected
