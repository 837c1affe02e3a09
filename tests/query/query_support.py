"""Helpers for the archive query tests: a CLI runner and a small hand-built sample archive."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine, migrate

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"
CLI_TIMEOUT = 120  # seconds; only guards against a hung process, nothing is timed
# Search strings that are FTS5 or SQL syntax; every one must run without error.
HOSTILE_SEARCHES: tuple[str, ...] = (
    'Putin"s (visit',
    "NEAR(",
    "NEAR(a b)",
    "*",
    "-x",
    "AND OR",
    "NOT",
    "a OR",
    '"',
    '""',
    "headline:putin",
    "^start",
    "{headline body}: x",
    "'; DROP TABLE articles;--",
    "%",
    "_",
    "100%",
    "\\",
    "a + b",
    "(((",
)


def run_cli(
    database_url: str, *args: str, columns: int = 120, timeout: float = CLI_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``python -m newscrawl ARGS`` in a subprocess against ``database_url``."""
    env = {
        **os.environ,
        "NEWSCRAWL_DATABASE_URL": database_url,
        "COLUMNS": str(columns),
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "newscrawl", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def display_width(text: str) -> int:
    """Terminal columns of ``text``, computed independently of the code under test."""
    width = 0
    for character in text:
        if unicodedata.combining(character):
            continue
        width += 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
    return width


# --- the sample archive -------------------------------------------------------------------------

FETCHED_AT = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class SampleArchive:
    """A migrated database holding :data:`SAMPLE_ARTICLES` (plus one changed version); ``path``
    is its SQLite file (None on PostgreSQL)."""

    url: str
    path: Path | None
    ids: dict[str, int]  # slug -> article id


def sample_articles() -> list[Article]:
    """Five articles on two sites, chosen to exercise every filter, search and export edge."""

    def article(slug: str, site: str, **fields: object) -> Article:
        defaults: dict[str, object] = {
            "url": f"https://{site}.example/{slug}?utm_source=feed",
            "canonical_url": f"https://{site}.example/{slug}",
            "site": site,
            "fetched_at": FETCHED_AT,
            "sources": {"headline": "jsonld", "body": "trafilatura"},
        }
        defaults.update(fields)
        return Article(**defaults)  # type: ignore[arg-type]

    return [
        article(
            "budget-vote",
            "daily_news",
            headline="Parliament passes the budget",
            summary="The budget passed with 100% of the coalition votes.",
            body="The parliament passed the budget late at night. The discount_rate stays. "
            "Opposition members walked out before the vote.",
            published=datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
            published_raw="2025-03-01T08:00:00Z",
            published_source="jsonld",
            section="Politics",
            tags=("Economy", "Parliament"),
            authors=("Jane Doe",),
            language="en",
        ),
        article(
            "harbour-strike",
            "daily_news",
            headline="Harbour workers strike over pay",
            summary=None,
            body="Dock workers at the harbour stopped work on Sunday. The parliament was not "
            "involved. Ships waited outside the abc terminal.",
            published=datetime(2025, 3, 2, 10, 0, tzinfo=UTC),
            published_raw="2 March 2025 10:00",
            published_source="time",
            modified=datetime(2025, 3, 2, 12, 0, tzinfo=UTC),
            modified_raw="2025-03-02T12:00:00Z",
            modified_source="jsonld",
            section="Business",
            tags=("Labour", "economy"),
            authors=("Jane Doe", "Max Mustermann"),
            language="en-GB",
        ),
        article(
            "formula",
            "daily_news",
            headline='=HYPERLINK("http://evil.example","click")',
            summary="+1 555 0100",
            body="Robert'); DROP TABLE articles;-- is a famous name.\tTabs\rand returns "
            'are kept. A quote: "yes", and a newline.\nSecond line.',
            section=None,
            tags=("@risk", "-minus"),
            authors=(),
            language=None,
        ),
        article(
            "elections",
            "le_journal",
            headline="Élections municipales : la gauche en tête",
            summary="Les élections ont eu lieu dimanche.",
            body="Les électeurs ont voté dans toutes les communes. La participation était "
            "faible. Les résultats définitifs sont attendus lundi.",
            published=datetime(2025, 2, 28, tzinfo=UTC),
            published_raw="28/02/2025",
            published_source="visible",
            published_has_time=False,
            section="Politique",
            tags=("Politique",),
            authors=("Claire Dupont",),
            language="fr",
        ),
        article(
            "odd-headline",
            "le_journal",
            headline='Putin"s (visit) NEAR( AND OR NOT *',
            summary="A headline made of search syntax.",
            body="The visit was short. Nobody expected a harbour tour.",
            published=datetime(2024, 12, 31, 23, 30, tzinfo=CET),
            published_raw="2024-12-31T23:30:00+01:00",
            published_source="jsonld",
            section="Europe",
            tags=("Visits",),
            authors=("Ana Writer",),
            language="en",
        ),
    ]


CHANGED_BUDGET_HEADLINE = "Parliament passes the budget after all-night session"


def build_sample_archive(path: Path | str) -> SampleArchive:
    """Migrate ``path`` (a SQLite file, or the URL of any database), save
    :func:`sample_articles` through :class:`ArticleStore`, change the budget article once (so it
    has a version), and record crawl runs for three sites."""
    url = f"sqlite:///{path}" if isinstance(path, Path) else path
    migrate(url)
    engine = make_engine(url)
    try:
        store = ArticleStore(engine)
        ids: dict[str, int] = {}
        for number, article in enumerate(sample_articles()):
            seen = FETCHED_AT + timedelta(minutes=number)
            ids[article.canonical_url.rsplit("/", 1)[1]] = store.save(
                article, seen_at=seen
            ).article_id
        budget = sample_articles()[0]
        changed = replace(
            budget, headline=CHANGED_BUDGET_HEADLINE, fetched_at=FETCHED_AT + timedelta(hours=5)
        )
        assert store.save(changed).outcome == "updated"
        _record_runs(store)
    finally:
        engine.dispose()
    return SampleArchive(url=url, path=path if isinstance(path, Path) else None, ids=ids)


def _record_runs(store: ArticleStore) -> None:
    started = FETCHED_AT - timedelta(minutes=5)
    run = store.start_run("daily_news", 1, "testhost", started)
    store.finish_run(run, "finished", pages_fetched=10, articles_new=3, finished_at=FETCHED_AT)
    run = store.start_run("le_journal", 1, "testhost", started)
    store.finish_run(run, "failed", pages_fetched=2, error="boom", finished_at=FETCHED_AT)
    run = store.start_run("broken_site", 1, "testhost", started)
    store.finish_run(
        run, "finished", pages_fetched=12, drops={"NotAnArticle": 12}, finished_at=FETCHED_AT
    )


def index_mode(sample: SampleArchive, mode: str) -> str:
    """``mode`` for :func:`open_archive`: ``index`` means the database's own full-text index
    (``fts5`` on SQLite, ``tsvector`` on PostgreSQL); ``like`` stays ``like``."""
    if mode != "index":
        return mode
    return "fts5" if sample.url.startswith("sqlite") else "tsvector"


def ids_of(articles: Sequence[object]) -> list[int]:
    """The ``id`` of each article, in order."""
    return [article.id for article in articles]  # type: ignore[attr-defined]
