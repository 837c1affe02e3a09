"""Generated news sites, crawl and CLI subprocesses, and database checks for the crash-safety
and concurrency tests.

A site is plain files under a folder (one home page linking every article, articles with a
byline, tags, JSON-LD and eight paragraphs), served by the demo server class on 127.0.0.1. Crawls
are real ``scrapy crawl news`` processes; databases are real SQLite files or real PostgreSQL
databases (the database helpers take a SQLite file's path or any database URL).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql_text
from sqlalchemy.exc import ProgrammingError

from newscrawl.items import Article, FetchedPage
from newscrawl.page import page_outcome
from newscrawl.storage import ArticleStore, StoredArticle, make_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
# The server is the test's own, on 127.0.0.1: no politeness delays.
FAST_LOCAL: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "ROBOTSTXT_OBEY": False,
}
WAIT_LIMIT = 120.0  # seconds a wait_for may take before the test fails (a guard, not a timing)
FIRST_DAY = datetime(2024, 3, 1, 7, 30, tzinfo=UTC)
TAGS = ("Harbour", "Weather", "Council", "Transport", "Schools", "Energy", "Health", "Courts")
AUTHORS = ("Ana Lima", "Ben Okafor", "Chen Wei", "Dara Byrne", "Emil Sørensen")
WORDS = (
    "ferry", "council", "budget", "harbour", "tide", "school", "court", "bridge", "storm",
    "market", "union", "mayor", "river", "station", "clinic", "grid", "wind", "rail",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """One generated article: its path on the site and what its page says."""

    path: str
    headline: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]


def build_site(root: Path, name: str, count: int) -> list[SiteArticle]:
    """Write a news site of ``count`` articles under ``root``; return the articles."""
    articles = []
    for number in range(count):
        day = FIRST_DAY + timedelta(hours=7 * number)
        slug = f"{name}-report-number-{number}-on-the-harbour-town"
        path = f"/{day:%Y/%m/%d}/{slug}/"
        article = SiteArticle(
            path=path,
            headline=f"{name.title()} report {number}: the harbour town after the storm",
            tags=(TAGS[number % len(TAGS)], TAGS[(number * 3 + 1) % len(TAGS)]),
            authors=(AUTHORS[number % len(AUTHORS)],),
        )
        folder = root / path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(_article_html(article, day, number), encoding="utf-8")
        articles.append(article)
    links = "".join(f'<li><a href="{a.path}">{a.headline}</a></li>' for a in articles)
    (root / "index.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>{name} news</title></head>"
        f"<body><h1>{name} news</h1><ul>{links}</ul></body></html>",
        encoding="utf-8",
    )
    return articles


def _article_html(article: SiteArticle, day: datetime, number: int) -> str:
    paragraphs = "".join(
        "<p>"
        + " ".join(WORDS[(number + p * 5 + w) % len(WORDS)] for w in range(24))
        + f" (report {number}, paragraph {p}).</p>"
        for p in range(8)
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": day.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "keywords": list(article.tags),
        "articleSection": "Local",
    }
    tags = "".join(f'<a rel="tag" href="/tag/{t.lower()}/">{t}</a> ' for t in article.tags)
    return (
        "<!DOCTYPE html><html lang='en'><head>"
        f"<title>{article.headline}</title>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        f"</head><body><article><h1>{article.headline}</h1>"
        f"<p class='byline'>By {article.authors[0]}</p>"
        f"<time datetime='{day.isoformat()}'>{day:%d %B %Y}</time>"
        f"{paragraphs}<footer class='tags'>{tags}</footer></article></body></html>"
    )


def settings_args(settings: Mapping[str, Any]) -> list[str]:
    """``-s KEY=VALUE`` arguments (non-strings as JSON)."""
    args: list[str] = []
    for key, value in settings.items():
        args += ["-s", f"{key}={value if isinstance(value, str) else json.dumps(value)}"]
    return args


def crawl_command(
    spider_args: Sequence[str], settings: Mapping[str, Any] | None = None
) -> list[str]:
    """``python -m scrapy crawl news -a ARG ... -s KEY=VALUE ...`` with FAST_LOCAL settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    for arg in spider_args:
        command += ["-a", arg]
    return command + settings_args({**FAST_LOCAL, **(settings or {})})


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "NEWSCRAWL_DATABASE_URL": database_url, **extra}


def start(command: list[str], database_url: str, log: Path, **env: str) -> subprocess.Popen[str]:
    """Start ``command`` from the repository root, output (stdout and stderr) to ``log``."""
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=child_env(database_url, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


def run(
    command: list[str], database_url: str, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` to the end from the repository root, capturing its output."""
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=child_env(database_url, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def newscrawl_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", *args]


def wait_for(condition: Callable[[], Any], what: str, limit: float = WAIT_LIMIT) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def database_url_of(database: Path | str) -> str:
    """The URL of a SQLite file's path, or the URL itself."""
    return f"sqlite:///{database}" if isinstance(database, Path) else database


def stored_count(db_path: Path | str) -> int:
    """Articles in the file or database (0 before it is migrated), read with a short-lived
    connection."""
    if isinstance(db_path, str):
        engine = make_engine(db_path)
        try:
            with engine.connect() as connection:
                return int(
                    connection.execute(sql_text("SELECT count(*) FROM articles")).scalar_one()
                )
        except ProgrammingError:  # not migrated yet
            return 0
        finally:
            engine.dispose()
    if not db_path.exists():
        return 0
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        connection.close()


def recomputed_hash(article: StoredArticle) -> str:
    """``Article.content_hash`` of the stored fields, as the store computed it when saving."""
    return Article(
        url=article.url,
        canonical_url=article.canonical_url,
        site=article.site,
        headline=article.headline,
        body=article.body,
        fetched_at=article.fetched_at,
        summary=article.summary,
        published=article.published_at,
        modified=article.modified_at,
        section=article.section,
        tags=article.tags,
        authors=article.authors,
        image=article.image_url,
    ).content_hash()


@dataclass(frozen=True, slots=True)
class ServedSite:
    """A generated site as served: its base URL (no trailing slash), folder and articles."""

    base_url: str
    root: Path
    articles: Sequence[SiteArticle]


_INCOMPLETE_ARTICLES = (
    "SELECT a.canonical_url FROM articles a WHERE a.body = '' "
    "OR NOT EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id) "
    "OR NOT EXISTS (SELECT 1 FROM article_authors w WHERE w.article_id = a.id) "
    "OR NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.article_id = a.id "
    "AND u.url = a.canonical_url)"
)
_ARTICLE_SITES = "SELECT a.canonical_url, s.name FROM articles a JOIN sites s ON s.id = a.site_id"


def _stored_rows(database: Path | str) -> list[tuple[str, str]]:
    """``(canonical URL, site name)`` of every stored article, after checking that no article
    lacks its body, tags, authors or URL row. A SQLite file must also pass ``integrity_check``
    and ``foreign_key_check`` (PostgreSQL always enforces its foreign keys)."""
    if isinstance(database, str):
        engine = make_engine(database)
        try:
            with engine.connect() as connection:
                assert connection.execute(sql_text(_INCOMPLETE_ARTICLES)).all() == []
                return [(url, name) for url, name in connection.execute(sql_text(_ARTICLE_SITES))]
        finally:
            engine.dispose()
    connection = sqlite3.connect(database, timeout=30)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute(_INCOMPLETE_ARTICLES).fetchall() == []
        return connection.execute(_ARTICLE_SITES).fetchall()
    finally:
        connection.close()


def check_database(db_path: Path | str, sites: Mapping[str, ServedSite]) -> dict[str, set[str]]:
    """Integrity of the file (or PostgreSQL database, given by URL) and completeness of every
    stored article.

    ``sites`` maps a stored site name to its served site. Every stored article must be one of
    their articles, stored once, with its body, tags, authors and URL rows, a content hash that
    matches its stored fields, and the same content a fresh extraction of its page gives.
    Returns the stored article paths per site name.
    """
    rows = _stored_rows(db_path)
    canonical = [url for url, _site in rows]
    assert len(canonical) == len(set(canonical)), "an article is stored twice"
    by_url = {
        site.base_url + article.path: (name, site, article)
        for name, site in sites.items()
        for article in site.articles
    }
    stored: dict[str, set[str]] = {name: set() for name in sites}
    engine = make_engine(database_url_of(db_path))
    try:
        store = ArticleStore(engine)
        for url, site_name in rows:
            name, site, expected = by_url[url]
            assert site_name == name, url
            article = store.get(url)
            assert article is not None, url
            assert article.headline == expected.headline, url
            assert tuple(article.tags) == expected.tags, url
            assert tuple(article.authors) == expected.authors, url
            assert article.content_hash == recomputed_hash(article), url
            page_file = site.root / expected.path.strip("/") / "index.html"
            fresh = page_outcome(
                FetchedPage.of_html(
                    page_file.read_text(encoding="utf-8"),
                    url,
                    site=site_name,
                    fetched_at=article.fetched_at,
                )
            )
            assert fresh.article is not None and fresh.drop is None, url
            assert fresh.article.content_hash() == article.content_hash, url
            stored[name].add(expected.path)
    finally:
        engine.dispose()
    return stored


def no_lock_errors(*texts: str) -> None:
    """No "database is locked" (nor "database table is locked") anywhere in ``texts``."""
    for text in texts:
        assert "is locked" not in text, text[text.find("is locked") - 2000 :][:4000]
