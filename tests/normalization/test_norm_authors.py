"""normalize_authors and is_probably_person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.normalization.authors import is_probably_person, normalize_authors
from newscrawl.normalization.text import site_name_variants


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Samya Kullab and Vasilisa Stepanenko"], ("Samya Kullab", "Vasilisa Stepanenko")),
        (
            ["Trine Juncher Jørgensen og Tôrtia Reimer-Johansen "],
            ("Trine Juncher Jørgensen", "Tôrtia Reimer-Johansen"),
        ),
        (
            ["Autor: Monika Bolliger und Anna Trechsel, Sweidah"],
            ("Monika Bolliger", "Anna Trechsel", "Sweidah"),
        ),
        (["srf/hosb;kesm"], ("srf/hosb", "kesm")),
        (["(责编：牛镛、岳弘彬)"], ("牛镛", "岳弘彬")),
        (["von Dr. Max Kolter"], ("Dr. Max Kolter",)),
        (
            [
                "By STEVE PEOPLES, THOMAS BEAUMONT and AMELIA THOMSON-DEVEAUX Updated 11:50 AM EDT, September 3, 2024"
            ],
            ("STEVE PEOPLES", "THOMAS BEAUMONT", "AMELIA THOMSON-DEVEAUX"),
        ),
        (
            [
                "Povilas Aleksandravičius, Mykolo Romerio universiteto Žmogaus ir visuomenės studijų fakulteto profesorius"
            ],
            ("Povilas Aleksandravičius",),
        ),
        (["(Image: Getty Images/iStockphoto)", "Emma Mackenzie"], ("Emma Mackenzie",)),
        (["Getty Images", "Anne-Marie Slaughter"], ("Anne-Marie Slaughter",)),
        (["Reporting by Gopal Sharma; Editing by Jane Merriman"], ("Gopal Sharma",)),
        (["Marlene Lundberg Holm <marlene.holm@db.no>"], ("Marlene Lundberg Holm",)),
        (["By Jane Doe @janedoe https://twitter.com/janedoe"], ("Jane Doe",)),
        (["Jane Doe, Staff Writer"], ("Jane Doe",)),
        # After a job title come the employer and the team, until "and" names someone else.
        (["Posted by Obi Roe, Director of Consumer Marketing, Acme EMEA"], ("Obi Roe",)),
        (["Jane Doe, Senior Editor, The Harbour Times"], ("Jane Doe",)),
        (["Jane Doe, Staff Writer, and John Roe"], ("Jane Doe", "John Roe")),
        (
            ["Jane Doe, Product Manager, Maps, and John Roe, Software Engineer"],
            ("Jane Doe", "John Roe"),
        ),
        (["Adam Vidler", "AP"], ("Adam Vidler", "AP")),
        (["By Jane Doe | Jul 18, 2024"], ("Jane Doe",)),
        (["Von unserem Korrespondenten Hans Müller"], ("Hans Müller",)),
        (["Par Jean Dupont et Marie Curie"], ("Jean Dupont", "Marie Curie")),
        (["Por Ana García y Pedro López"], ("Ana García", "Pedro López")),
        (["Door Jan Jansen en Piet Peters"], ("Jan Jansen", "Piet Peters")),
        (["Av Kari Nordmann och Ola Svensson"], ("Kari Nordmann", "Ola Svensson")),
        (["Written by: Ann Smith"], ("Ann Smith",)),
        (["Oleh: Budi Santoso"], ("Budi Santoso",)),
        (["Oleh Kovalenko"], ("Oleh Kovalenko",)),  # a first name, not the label
        (["Yazar: Ayşe Yılmaz"], ("Ayşe Yılmaz",)),
        (["Toimittaja: Matti Virtanen"], ("Matti Virtanen",)),
        (["Text: Lena Berg & Tom Kahn"], ("Lena Berg", "Tom Kahn")),
        (["Ortega y Gasset"], ("Ortega y Gasset",)),  # "y" inside a name: sides of one word
        (
            ["Bill MCCARTHY", "Marisha GOLDHAMER", "AFP Deutschland"],
            ("Bill MCCARTHY", "Marisha GOLDHAMER", "AFP Deutschland"),
        ),
        (["Jon King", "Jon King", "jon king", "JON KING"], ("Jon King",)),
        (["大渡 美咲"], ("大渡 美咲",)),
        (["दैनिक भास्कर"], ("दैनिक भास्कर",)),
        (["Governance &amp; Ann Smith"], ("Governance", "Ann Smith")),
        (["View all posts by Becky"], ("Becky",)),  # an author page's link label
        (["Recipe by Sam Poe"], ("Sam Poe",)),
        (["Jason Paur", "Email Author"], ("Jason Paur",)),  # the byline's buttons go
        (["Jane Print-Smith", "Ein Kommentar von Emily Post"], ("Jane Print-Smith", "Emily Post")),
    ],
)
def test_normalize_authors(values, expected):
    assert normalize_authors(values) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "Staff",
        "Redaktion",
        "Admin",
        "Editor",
        "12345",
        "x",
        "",
        "   ",
        "By",
        "Special to The Globe and Mail",
        "Nachrichten",
        "This sentence is far too long to be the name of anybody who wrote it",
        "a" * 61,
        "10:30",
        "03.05.2024",
        "November 12th",
        "STAFF PHOTO BY KATHY ANDERSON",
        "View Comments",
        "12 Kommentare",
        "Email Author",
        "Contact",
        "Add to Favorites",
    ],
)
def test_junk_is_dropped(junk):
    assert normalize_authors([junk]) == ()


def test_site_name_dropped_only_when_someone_else_remains():
    zdf = site_name_variants("ZDFheute", "https://www.zdf.de/nachrichten/x")
    assert normalize_authors(["Katja Belousova", "ZDFheute"], site_names=zdf) == (
        "Katja Belousova",
    )
    euronews = site_name_variants("euronews", "https://www.euronews.com/2024/04/30/x")
    assert normalize_authors(["Euronews"], site_names=euronews) == ("Euronews",)
    mbl = site_name_variants(None, "https://www.mbl.is/frettir/x")
    assert normalize_authors(["mbl.is", "Jón Jónsson"], site_names=mbl) == ("Jón Jónsson",)
    figaro = site_name_variants("Le Figaro", "https://www.lefigaro.fr/x")
    assert normalize_authors(["Le Figaro et AFP"], site_names=figaro) == ("AFP",)


def test_non_strings_are_ignored():
    assert normalize_authors([None, 3, "Ann Smith"]) == ("Ann Smith",)  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Birgit Baumann", True),
        ("Anna Giulia Fink", True),
        ("Dr. Max Kolter", True),
        ("Michael D. Higgins", True),
        ("viktor hedlund", True),
        ("Michelle de Oliveira", True),
        ("大渡 美咲", True),
        ("新間", True),
        ("Associated Press", False),
        ("The Associated Press", False),
        ("Deutsche Presse-Agentur", False),
        ("BR24 Redaktion", False),
        ("Redaktion hessenschau.de", False),
        ("Gear Team", False),
        ("AFP Deutschland", False),
        ("AP", False),
        ("dpa", False),
        ("Euronews", False),
        ("日刊現代", False),
        ("中日新聞Web", False),
        ("読売新聞オンライン", False),
        ("Staff", False),
        ("", False),
        ("Jane Doe 2", False),
    ],
)
def test_is_probably_person(name, expected):
    assert is_probably_person(name) is expected


name_parts = st.sampled_from(
    [
        "Ann",
        "Smith",
        "Jane",
        "DOE",
        "Müller",
        "大渡",
        "美咲",
        "By",
        "Von",
        "and",
        "und",
        "y",
        "et",
        "&",
        ",",
        ";",
        "|",
        "Staff",
        "Reuters",
        "AP",
        "Daily Post",
        "Dr.",
        "(Photo)",
        "@handle",
        "a@b.de",
        "2024",
        "12:30",
        "Updated",
        "Editing by",
        "de",
        "van",
        "Le Figaro",
        "www.dailypost.com",
        "-",
        ":",
        "·",
    ]
)
byline = st.lists(name_parts, max_size=8).map(" ".join)
site_names = st.lists(
    st.sampled_from(["The Daily Post", "dailypost.com", "Le Figaro", "Reuters"]), max_size=2
)


def check_authors(values, names):
    result = normalize_authors(values, site_names=names)
    assert all(isinstance(n, str) and n.strip() == n and n for n in result)
    folded = [n.casefold() for n in result]
    assert len(folded) == len(set(folded))
    assert normalize_authors(result, site_names=names) == result
    assert all(len(n) <= 60 for n in result)


@given(st.lists(byline, max_size=4), site_names)
def test_normalize_authors_properties_on_bylines(values, names):
    check_authors(values, names)


@given(st.lists(st.text(max_size=40), max_size=4), site_names)
def test_normalize_authors_properties_on_any_text(values, names):
    check_authors(values, names)


@given(st.text(max_size=40))
def test_is_probably_person_never_raises(name):
    assert is_probably_person(name) in (True, False)
