"""The news spider's arguments, site resolution and limits; the Crawl-delay value rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.middlewares import MAX_CRAWL_DELAY, effective_crawl_delay
from newscrawl.sites import SitesFileError
from newscrawl.spiders.arguments import SpiderArgumentError, parse_limit, resolve_site
from newscrawl.spiders.news import NewsSpider

SITES_TOML = """
[sites.worldmag]
start_urls = ["https://www.worldmag.example/"]
feeds = ["https://feeds.worldmag.example/rss"]
allow = ['/\\d{4}/\\d{2}/']
max_pages = 50
language = "en"

[sites.localnews]
start_urls = ["https://localnews.example/"]
max_depth = 1
"""


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(SITES_TOML, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("", None), ("5", 5), (" 0 ", 0), (7, 7)]
)
def test_parse_limit(value: object, expected: int | None):
    assert parse_limit(value, "max_pages") == expected


@pytest.mark.parametrize("value", ["-1", "ten", "1.5"])
def test_parse_limit_rejects_bad_values(value: str):
    with pytest.raises(SpiderArgumentError, match="max_depth must be a non-negative integer"):
        parse_limit(value, "max_depth")


@pytest.mark.parametrize(("url", "site"), [(None, None), ("https://a.example/", "worldmag")])
def test_exactly_one_of_url_and_site(url: str | None, site: str | None):
    with pytest.raises(SpiderArgumentError, match="exactly one of -a url=URL"):
        resolve_site(url, site, None)
    with pytest.raises(SpiderArgumentError, match="exactly one of"):
        NewsSpider(url=url, site=site)


def test_ad_hoc_url(sites_file: Path):
    site = resolve_site("https://www.ad-hoc.example/news/", None, str(sites_file))
    assert site.start_urls == ("https://www.ad-hoc.example/news/",)
    assert site.allowed_domains == ("www.ad-hoc.example",)
    with pytest.raises(SpiderArgumentError, match="http"):
        resolve_site("file:///etc/passwd", None, str(sites_file))


def test_site_from_file_and_unknown_site(sites_file: Path, tmp_path: Path):
    assert resolve_site(None, "worldmag", str(sites_file)).language == "en"
    with pytest.raises(SpiderArgumentError, match="available sites: localnews, worldmag"):
        resolve_site(None, "nosuch", str(sites_file))
    with pytest.raises(SpiderArgumentError, match="available sites: none"):
        resolve_site(None, "worldmag", str(tmp_path / "missing.toml"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[sites.x]\nstart_urls = 3\n", encoding="utf-8")
    with pytest.raises(SitesFileError, match="start_urls"):
        resolve_site(None, "x", str(broken))


def _configured(sites_file: Path, **arguments: str) -> NewsSpider:
    spider = NewsSpider(**arguments)
    spider.configure(
        Settings(
            {
                "NEWSCRAWL_SITES_FILE": str(sites_file),
                "NEWSCRAWL_MAX_PAGES": 1000,
                "NEWSCRAWL_MAX_DEPTH": 4,
            }
        )
    )
    return spider


def test_limits_arguments_beat_site_beat_settings(sites_file: Path):
    worldmag = _configured(sites_file, site="worldmag")
    assert (worldmag.max_pages, worldmag.max_depth) == (50, 4)
    local = _configured(sites_file, site="localnews")
    assert (local.max_pages, local.max_depth) == (1000, 1)
    overridden = _configured(sites_file, site="worldmag", max_pages="3", max_depth="0")
    assert (overridden.max_pages, overridden.max_depth) == (3, 0)


def test_allowed_domains_are_bare_domains(sites_file: Path):
    spider = _configured(sites_file, site="worldmag")
    assert spider.allowed_domains == ["feeds.worldmag.example", "worldmag.example"]
    assert spider.policy.is_article_candidate("https://worldmag.example/2024/05/x")
    assert not spider.policy.is_article_candidate("https://worldmag.example/about/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (0.0, None),
        (-3.0, None),
        (float("nan"), None),
        (2.5, 2.5),
        (1e6, MAX_CRAWL_DELAY),
    ],
)
def test_effective_crawl_delay(value: float | None, expected: float | None):
    assert effective_crawl_delay(value) == expected


def test_a_sites_timezone_is_checked_against_the_zone_database(tmp_path: Path) -> None:
    from newscrawl.sites import SitesFileError, parse_sites

    ok = parse_sites(
        {"sites": {"a": {"start_urls": ["https://a.example/"], "timezone": "Europe/Berlin"}}}
    )
    assert ok["a"].timezone == "Europe/Berlin"
    with pytest.raises(SitesFileError, match="timezone"):
        parse_sites(
            {"sites": {"a": {"start_urls": ["https://a.example/"], "timezone": "Mars/Olympus"}}}
        )
