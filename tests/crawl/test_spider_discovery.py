"""End-to-end discovery: a real ``scrapy crawl news`` subprocess against a tiny local site.

The site (written into tmp_path, served by ``static_server`` on 127.0.0.1) has a home page with
article links, a category page, an autodiscovered RSS feed, robots.txt → sitemap index → news
sitemap + gzipped sitemap, an off-site link (to ``localhost``, which is this same server, so a
leak would show in the request log), links with non-http schemes, a crawler trap, excluded
URLs and a binary file. Item pipelines are disabled: these tests cover discovery only.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from static_server import StaticServer, serve_directory

from newscrawl.sites import ad_hoc_site_name

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

HOME_PATH = "/"
ARTICLE_DATED = "/2024/05/03/city-council-approves-budget/"
ARTICLE_HTML = "/world/rivers-rise-after-storm.html"
ARTICLE_LATIN1 = "/culture/cafe-owners-celebrate-anniversary.html"
ARTICLE_DEEP = "/2024/05/02/ferry-service-resumes-on-lake/"  # only linked from the category page
ARTICLE_FEED_ONLY = "/2024/05/01/feed-only-story-about-harbour/"
ARTICLE_NEWS_SITEMAP_ONLY = "/2024/05/04/news-sitemap-only-story/"
ARTICLE_GZ_SITEMAP_ONLY = "/world/older-gz-sitemap-story.html"
ARTICLE_ROBOTS_DISALLOWED = "/private/secret-plans-revealed-today.html"
CATEGORY = "/category/world/"
ABOUT = "/about/"
BINARY = "/media/photo-of-the-day"
PDF = "/files/annual-report.pdf"
TRAP = "/a/b/a/b/a/b/"
LOGIN = "/wp-login.php"
FEED = "/feed.xml"
SITEMAP_INDEX = "/sitemap_index.xml"
NEWS_SITEMAP = "/news_sitemap.xml"
GZ_SITEMAP = "/sitemap-pages.xml.gz"

NEWS_TITLE = "Sitemap-only story: tram line opens"
NEWS_PUBLISHED = "2024-05-04T09:30:00+02:00"
FEED_PUBLISHED = "Wed, 01 May 2024 08:00:00 +0000"


def _page(title: str, body: str = "", head: str = "", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
        f"<title>{title}</title>{head}</head>"
        f'<body><h1>{title}</h1>{body}<p><a href="/">Home</a></p></body></html>'
    )


def _write(root: Path, path: str, content: str | bytes) -> None:
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        target.write_bytes(content)


def write_site(root: Path, base_url: str, *, robots_extra: str = "") -> None:
    """The test news site; absolute URLs (sitemaps, off-site link) need the server's URL."""
    port = urlsplit(base_url).port
    home_links = [
        ARTICLE_DATED,
        ARTICLE_HTML,
        ARTICLE_LATIN1,
        CATEGORY,
        ABOUT,
        BINARY,
        PDF,
        TRAP,
        LOGIN,
        ARTICLE_ROBOTS_DISALLOWED,
        f"http://localhost:{port}/offsite-page.html",
        "https://external.example/2024/05/03/other-site-story/",
        "javascript:alert('x')",
        "mailto:desk@news.example",
        "tel:+15555550100",
        "file:///etc/passwd",
        "data:text/html,<p>hi</p>",
        f"{ARTICLE_DATED}#comments",
    ]
    anchors = "".join(f'<li><a href="{href}">link</a></li>' for href in home_links)
    feed_link = '<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed.xml">'
    _write(root, HOME_PATH, _page("Test News", f"<ul>{anchors}</ul>", head=feed_link))
    _write(root, CATEGORY, _page("World", f'<a href="{ARTICLE_DEEP}">Ferry</a>'))
    _write(root, ABOUT, _page("About us"))
    for path in (
        ARTICLE_DATED,
        ARTICLE_HTML,
        ARTICLE_DEEP,
        ARTICLE_FEED_ONLY,
        ARTICLE_NEWS_SITEMAP_ONLY,
        ARTICLE_GZ_SITEMAP_ONLY,
        ARTICLE_ROBOTS_DISALLOWED,
        "/offsite-page.html",
    ):
        _write(root, path, _page(f"Story at {path}", "<p>Body text.</p>"))
    latin1 = _page("Café owners celebrate", "<p>Crème brûlée for all.</p>", charset="windows-1252")
    _write(root, ARTICLE_LATIN1, latin1.encode("cp1252"))
    _write(root, BINARY, PNG_BYTES)
    _write(root, PDF, b"%PDF-1.4 not really")
    _write(root, LOGIN, _page("Login"))
    _write(
        root,
        FEED,
        f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test News</title><link>{base_url}</link>
<item><title>Harbour story from the feed</title><link>{base_url}{ARTICLE_FEED_ONLY.lstrip("/")}</link>
<pubDate>{FEED_PUBLISHED}</pubDate><category>Harbour</category><category>Local</category></item>
<item><title>Council budget</title><link>{ARTICLE_DATED}</link></item>
<item><title>Elsewhere</title><link>https://external.example/feed-story/</link></item>
</channel></rss>""",
    )
    _write(
        root,
        "/robots.txt",
        f"User-agent: *\nDisallow: /private/\n{robots_extra}Sitemap: {base_url}sitemap_index.xml\n",
    )
    _write(
        root,
        SITEMAP_INDEX,
        f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base_url}news_sitemap.xml</loc><lastmod>2024-05-04</lastmod></sitemap>
<sitemap><loc>{base_url}sitemap-pages.xml.gz</loc></sitemap>
</sitemapindex>""",
    )
    _write(
        root,
        NEWS_SITEMAP,
        f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base_url}{ARTICLE_NEWS_SITEMAP_ONLY.lstrip("/")}</loc>
  <news:news><news:publication><news:name>Test News</news:name><news:language>en</news:language>
  </news:publication><news:publication_date>{NEWS_PUBLISHED}</news:publication_date>
  <news:title>{NEWS_TITLE}</news:title><news:keywords>Transport, City</news:keywords></news:news>
</url>
<url><loc>http://localhost:{port}/offsite-page.html</loc></url>
</urlset>""",
    )
    _write(
        root,
        GZ_SITEMAP,
        gzip.compress(
            f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base_url}{ARTICLE_GZ_SITEMAP_ONLY.lstrip("/")}</loc><lastmod>2023-01-02</lastmod></url>
</urlset>""".encode()
        ),
    )


@dataclass
class CrawlResult:
    returncode: int
    log: str
    items: list[dict[str, Any]]
    probe: dict[str, Any]

    @property
    def stats(self) -> dict[str, Any]:
        return self.probe.get("stats", {})

    def item(self, url: str) -> dict[str, Any]:
        matches = [item for item in self.items if item["url"] == url]
        assert len(matches) == 1, f"expected one item for {url}, got {len(matches)}"
        return matches[0]


def run_crawl(
    tmp_path: Path,
    *spider_args: str,
    settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> CrawlResult:
    """``scrapy crawl news`` in a subprocess (cwd = repo root), pipelines off, probe on."""
    items_file = tmp_path / "items.jsonl"
    probe_file = tmp_path / "probe.json"
    for stale in (items_file, probe_file):
        stale.unlink(missing_ok=True)
    all_settings: dict[str, Any] = {
        "ITEM_PIPELINES": {},
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "EXTENSIONS": {"crawl_probe.CrawlProbe": 0},
        "CRAWL_PROBE_FILE": str(probe_file),
        "LOG_LEVEL": "INFO",
    }
    all_settings.update(settings or {})
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-O", f"{items_file}:jsonlines"]
    for arg in spider_args:
        command += ["-a", arg]
    for key, value in all_settings.items():
        rendered = value if isinstance(value, str) else json.dumps(value)
        command += ["-s", f"{key}={rendered}"]
    process_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO_ROOT)])}
    process_env.update(env or {})
    completed = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    items = []
    if items_file.exists():
        lines = items_file.read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
    probe = json.loads(probe_file.read_text(encoding="utf-8")) if probe_file.exists() else {}
    return CrawlResult(completed.returncode, completed.stderr, items, probe)


@pytest.fixture
def site(tmp_path: Path):
    root = tmp_path / "site"
    root.mkdir()
    with serve_directory(root, request_log=tmp_path / "requests.jsonl") as server:
        write_site(root, server.url)
        yield server


def _url(server: StaticServer, path: str) -> str:
    return server.url.rstrip("/") + path


def test_ad_hoc_crawl_discovers_links_feeds_and_sitemaps(tmp_path: Path, site: StaticServer):
    result = run_crawl(tmp_path, f"url={site.url}")
    assert result.returncode == 0, result.log
    assert result.probe["reason"] == "finished"

    expected = {
        HOME_PATH,
        ARTICLE_DATED,
        ARTICLE_HTML,
        ARTICLE_LATIN1,
        ARTICLE_DEEP,
        ARTICLE_FEED_ONLY,
        ARTICLE_NEWS_SITEMAP_ONLY,
        ARTICLE_GZ_SITEMAP_ONLY,
        CATEGORY,
        ABOUT,
        BINARY,
    }
    assert sorted(item["url"] for item in result.items) == sorted(_url(site, p) for p in expected)

    news = result.item(_url(site, ARTICLE_NEWS_SITEMAP_ONLY))
    assert news["hints"] == {
        "source": "news-sitemap",
        "title": NEWS_TITLE,
        "published": NEWS_PUBLISHED,
        "keywords": ["Transport", "City"],
        "lastmod": None,
        "language": "en",
    }
    feed_only = result.item(_url(site, ARTICLE_FEED_ONLY))
    assert feed_only["hints"]["source"] == "feed"
    assert feed_only["hints"]["title"] == "Harbour story from the feed"
    assert feed_only["hints"]["published"] == FEED_PUBLISHED
    assert feed_only["hints"]["keywords"] == ["Harbour", "Local"]
    gz_only = result.item(_url(site, ARTICLE_GZ_SITEMAP_ONLY))
    assert gz_only["hints"]["source"] == "sitemap"
    assert gz_only["hints"]["lastmod"] == "2023-01-02"
    assert result.item(_url(site, ARTICLE_DEEP))["hints"] is None

    binary = result.item(_url(site, BINARY))
    assert binary["content_type"] == "application/octet-stream"  # the page function: NotHtml
    latin1 = result.item(_url(site, ARTICLE_LATIN1))
    assert "Crème brûlée" in latin1["body"]  # exported decoded
    home = result.item(site.url)
    assert home["site"] == ad_hoc_site_name(site.url)  # 127.0.0.1:PORT
    assert home["status"] == 200
    assert home["content_type"].startswith("text/html")
    assert home["last_modified"]
    assert "<h1>Test News</h1>" in home["body"]
    for item in result.probe["items"]:
        assert item["fetched_at"].endswith("+00:00"), item

    requests = site.requests()
    hosts = {entry["host"] for entry in requests}
    assert hosts == {urlsplit(site.url).netloc}, "an off-site URL was requested"
    requested = [entry["path"] for entry in requests]
    for never in (PDF, TRAP, LOGIN, ARTICLE_ROBOTS_DISALLOWED):
        assert never not in requested
    for discovery in (FEED, SITEMAP_INDEX, NEWS_SITEMAP, GZ_SITEMAP):
        assert requested.count(discovery) == 1, discovery
    page_paths = [p for p in requested if p in expected]
    assert len(page_paths) == len(set(page_paths)), "a page was fetched twice"

    stats = result.stats
    assert stats["newscrawl/feeds_discovered"] == 1
    assert stats["newscrawl/feeds_parsed"] == 1
    assert stats["newscrawl/sitemaps_parsed"] == 3
    assert stats["newscrawl/robots_sitemaps"] == 1
    assert stats["newscrawl/non_html_pages"] == 1
    assert stats["newscrawl/pages_scheduled"] == len(expected) + 1  # + the robots-disallowed page
    assert stats["newscrawl/links_followed"] >= 8
    assert stats["newscrawl/offsite_filtered"] >= 3  # two on the home page, one per sitemap/feed
    assert stats["newscrawl/trap_filtered"] >= 1
    assert stats["newscrawl/excluded_filtered"] >= 2  # the PDF and wp-login
    assert stats["robotstxt/forbidden"] == 1
    assert "newscrawl/feed_errors" not in stats
    assert "newscrawl/sitemap_errors" not in stats


def test_max_depth_and_max_pages_limit_the_crawl(tmp_path: Path, site: StaticServer):
    shallow = run_crawl(tmp_path, f"url={site.url}", "max_depth=1")
    assert shallow.returncode == 0, shallow.log
    shallow_urls = {item["url"] for item in shallow.items}
    assert _url(site, CATEGORY) in shallow_urls
    assert _url(site, ARTICLE_DEEP) not in shallow_urls  # two hops from the home page

    limited = run_crawl(tmp_path, f"url={site.url}", "max_pages=3")
    assert limited.returncode == 0, limited.log
    assert limited.stats["newscrawl/pages_scheduled"] == 3
    assert limited.stats["newscrawl/page_limit_reached"] > 0
    assert 1 <= len(limited.items) <= 3
    assert site.url in {item["url"] for item in limited.items}


def test_site_from_sites_file(tmp_path: Path, site: StaticServer):
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f"""
[sites.testnews]
start_urls = ["{site.url}"]
allow = ['/20\\d\\d/\\d\\d/\\d\\d/']
deny = ['/world/']
max_depth = 1
discover_sitemaps = false
language = "en"
date_order = "DMY"
""",
        encoding="utf-8",
    )
    result = run_crawl(tmp_path, "site=testnews", env={"NEWSCRAWL_SITES_FILE": str(sites_file)})
    assert result.returncode == 0, result.log
    urls = sorted(item["url"] for item in result.items)
    # Only allow-matching pages are items; home and category are navigation; depth 1 stops
    # before the category page's story; the feed (autodiscovered) still contributes.
    assert urls == sorted(_url(site, p) for p in (ARTICLE_DATED, ARTICLE_FEED_ONLY))
    for item in result.items:
        assert item["site"] == "testnews"  # its language and date order: tests/pipeline
    assert result.stats["newscrawl/navigation_pages"] >= 2  # home, category, about
    assert result.stats["newscrawl/denied_filtered"] >= 1
    requested = site.paths()
    assert SITEMAP_INDEX not in requested  # discover_sitemaps = false
    assert ARTICLE_HTML not in requested  # denied


def test_usage_errors_are_clear(tmp_path: Path, site: StaticServer):
    missing = run_crawl(tmp_path)
    assert missing.returncode != 0
    assert "exactly one of -a url=URL" in missing.log

    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(f'[sites.alpha]\nstart_urls = ["{site.url}"]\n', encoding="utf-8")
    unknown = run_crawl(tmp_path, "site=beta", env={"NEWSCRAWL_SITES_FILE": str(sites_file)})
    assert unknown.returncode != 0
    assert "unknown site 'beta'" in unknown.log
    assert "available sites: alpha" in unknown.log
    assert site.requests() == []


def test_bad_feed_and_sitemap_are_counted_not_fatal(tmp_path: Path, site: StaticServer):
    root = tmp_path / "site"
    (root / "broken-feed.xml").write_text("<html><body>not a feed</body></html>")
    (root / "broken-sitemap.xml").write_bytes(gzip.compress(b"\x00\x01garbage")[:-8])
    (root / "truncated-sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{_url(site, ARTICLE_HTML)}</loc></url><url><loc>{site.url}unfinished"
    )
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f"""
[sites.broken]
start_urls = ["{site.url}"]
feeds = ["{site.url}broken-feed.xml"]
sitemaps = ["{site.url}broken-sitemap.xml", "{site.url}truncated-sitemap.xml"]
max_depth = 0
discover_feeds = false
discover_sitemaps = false
""",
        encoding="utf-8",
    )
    result = run_crawl(tmp_path, "site=broken", env={"NEWSCRAWL_SITES_FILE": str(sites_file)})
    assert result.returncode == 0, result.log
    assert result.probe["reason"] == "finished"
    assert result.stats["newscrawl/feed_errors"] == 1
    assert result.stats["newscrawl/sitemap_errors"] == 1
    assert result.stats["newscrawl/sitemaps_parsed"] == 1
    urls = {item["url"] for item in result.items}
    assert urls == {site.url, _url(site, ARTICLE_HTML)}
    assert "Skipping feed" in result.log
    assert "Skipping sitemap" in result.log


CRAWL_DELAY_MIDDLEWARE = {"newscrawl.middlewares.CrawlDelayMiddleware": 110}
# AutoThrottle with no minimum delay would lower the slot delay towards the (tiny) latency.
THROTTLE = {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0, "DOWNLOAD_DELAY": 0}


def _page_request_delays(result: CrawlResult, server: StaticServer) -> list[tuple[float, float]]:
    return [
        (entry["delay"], entry["jitter"])
        for entry in result.probe["requests"]
        if entry["url"].startswith(server.url) and not entry["url"].endswith("/robots.txt")
    ]


def test_crawl_delay_from_robots_txt_is_honoured(tmp_path: Path):
    root = tmp_path / "site"
    root.mkdir()
    with serve_directory(root, request_log=tmp_path / "requests.jsonl") as server:
        write_site(root, server.url, robots_extra="Crawl-delay: 0.25\n")
        result = run_crawl(
            tmp_path,
            f"url={server.url}",
            "max_pages=4",
            settings={**THROTTLE, "DOWNLOADER_MIDDLEWARES": CRAWL_DELAY_MIDDLEWARE},
        )
        assert result.returncode == 0, result.log
        netloc = urlsplit(server.url).netloc
        assert result.stats[f"newscrawl/crawl_delay/{netloc}"] == 0.25
        delays = _page_request_delays(result, server)
        assert len(delays) >= 4
        assert all(delay >= 0.25 and jitter == 0 for delay, jitter in delays), delays

        # Without the middleware (switched off explicitly: the project enables it) the same
        # crawl runs faster than the site asked.
        control = run_crawl(
            tmp_path,
            f"url={server.url}",
            "max_pages=4",
            settings={
                **THROTTLE,
                "DOWNLOADER_MIDDLEWARES": {"newscrawl.middlewares.CrawlDelayMiddleware": None},
            },
        )
        assert control.returncode == 0, control.log
        assert not any(key.startswith("newscrawl/crawl_delay/") for key in control.stats)
        assert any(delay < 0.25 for delay, _ in _page_request_delays(control, server))
