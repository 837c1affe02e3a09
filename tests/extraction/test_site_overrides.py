"""Per-site extraction overrides from a sites file, layered over generic extraction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from demo_pages import BASE_URL, FETCHED_AT, expectations, page_html

from newscrawl.items import Article, FetchedPage
from newscrawl.page import page_outcome
from newscrawl.sites import ExtractOverrides, SiteConfig, SitesFileError, load_sites, parse_sites

DEMO_SITES = Path(__file__).resolve().parents[2] / "newscrawl" / "demo" / "sites.toml"
ARTICLES = [p for p in expectations()["pages"] if p["kind"] == "article"]


def extract(url: str, html: str, overrides: ExtractOverrides | None) -> Article:
    page = FetchedPage.of_html(html, url, site="test", fetched_at=FETCHED_AT)
    outcome = page_outcome(page, SiteConfig(name="test", extract=overrides or ExtractOverrides()))
    assert outcome.article is not None
    return outcome.article


@pytest.fixture(scope="module")
def demo_overrides() -> ExtractOverrides:
    return load_sites(DEMO_SITES)["worldmag-demo"].extract


@pytest.mark.parametrize("page", ARTICLES, ids=[p["path"] for p in ARTICLES])
def test_demo_site_override_gives_the_expected_record(
    page: dict[str, Any], demo_overrides: ExtractOverrides
) -> None:
    article = extract(BASE_URL + page["path"], page_html(page["path"]), demo_overrides)
    assert article.headline == page["headline"]
    assert article.summary == page["summary"]
    assert list(article.tags) == page["tags"]
    assert list(article.authors) == page["authors"]
    assert article.section == page["section"]
    assert article.published == (
        datetime.fromisoformat(page["published"]) if page["published"] else None
    )
    assert article.body.startswith(page["body_first"]) and article.body.endswith(page["body_last"])
    for field in ("headline", "summary", "body", "tags", "authors", "section"):
        assert article.sources[field] == "site", field
    if page["published"]:
        assert article.sources["published"] == "site"


PAGE = """<html lang="en"><head><title>Harbour Daily | Teaser</title>
<meta property="og:title" content="You will not believe what the storm did">
</head><body>
<div class="story-title">Storm floods the old harbour district</div>
<div class="meta"><span class="when">2024-03-05 14:20</span> · <span class="who">Ana Pérez</span></div>
<div class="copy">{paragraphs}</div>
<div class="rail">{rail}</div>
</body></html>"""
STORY = "".join(
    f"<div>Paragraph {i}: water rose along the quay and shop owners moved their stock upstairs overnight.</div>"
    for i in range(8)
)
RAIL = "".join(
    f"<div>Elsewhere {i}: a long unrelated story about the city budget that sits beside the article text.</div>"
    for i in range(6)
)
OVERRIDES = {
    "sites": {
        "harbour": {
            "start_urls": ["https://harbour.example/"],
            "extract": {
                "headline": ".story-title",
                "body": ".copy",
                "published": ".meta .when",
                "authors": ".meta .who",
                "prune": [".rail"],
            },
        }
    }
}


def test_an_override_fixes_what_generic_extraction_gets_wrong() -> None:
    url = "https://harbour.example/2024/03/05/storm/"
    html = PAGE.format(paragraphs=STORY, rail=RAIL)
    generic = extract(url, html, None)
    assert generic.headline != "Storm floods the old harbour district"

    overrides = parse_sites(OVERRIDES)["harbour"].extract
    fixed = extract(url, html, overrides)
    assert fixed.headline == "Storm floods the old harbour district"
    assert fixed.published == datetime(2024, 3, 5, 14, 20, tzinfo=UTC)
    assert fixed.authors == ("Ana Pérez",)
    assert fixed.body.split("\n\n")[0].startswith("Paragraph 0:")
    assert fixed.body.count("\n\n") == 7
    assert "Elsewhere" not in fixed.body
    assert fixed.sources["headline"] == fixed.sources["body"] == "site"


def test_a_selector_that_matches_nothing_leaves_generic_extraction_in_charge() -> None:
    url = "https://harbour.example/2024/03/05/storm/"
    html = PAGE.format(paragraphs=STORY, rail="")
    overrides = ExtractOverrides(headline=".no-such-thing", body=".nor-this")
    article = extract(url, html, overrides)
    assert article.headline == extract(url, html, None).headline
    assert article.sources["headline"] != "site"
    assert "Paragraph 3" in article.body


def test_invalid_override_selectors_are_rejected_naming_site_and_key() -> None:
    bad = {
        "sites": {
            "harbour": {"start_urls": ["https://harbour.example/"], "extract": {"body": "div[[["}}
        }
    }
    with pytest.raises(SitesFileError, match=r"site 'harbour', key 'extract.body'"):
        parse_sites(bad)
