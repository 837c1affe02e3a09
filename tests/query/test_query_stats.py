"""Per-site statistics: counts, date ranges, field coverage, last run and problems."""

from __future__ import annotations

from datetime import UTC, datetime

from query_support import sample_articles

from newscrawl.archive import STAT_FIELDS, SiteStats
from newscrawl.storage.records import CrawlRun


def _expected_counts(site: str) -> dict[str, int]:
    """Field counts computed from the input articles (the budget article changed only its
    headline, so its fields are as first saved)."""
    articles = [article for article in sample_articles() if article.site == site]
    return {
        "published": sum(a.published is not None for a in articles),
        "modified": sum(a.modified is not None for a in articles),
        "authors": sum(bool(a.authors) for a in articles),
        "tags": sum(bool(a.tags) for a in articles),
        "section": sum(bool(a.section) for a in articles),
        "summary": sum(bool(a.summary) for a in articles),
    }


def test_every_site_with_articles_or_runs_is_listed_by_name(archive):
    assert [stats.site for stats in archive.stats()] == ["broken_site", "daily_news", "le_journal"]


def test_counts_ranges_and_field_coverage(archive):
    stats = {entry.site: entry for entry in archive.stats()}
    for site in ("daily_news", "le_journal"):
        articles = [a for a in sample_articles() if a.site == site]
        entry = stats[site]
        assert entry.articles == len(articles)
        assert entry.with_field == _expected_counts(site)
        assert tuple(entry.with_field) == STAT_FIELDS
        dates = [a.published for a in articles if a.published is not None]
        assert entry.published_first == min(dates)
        assert entry.published_last == max(dates)
        assert entry.published_first.tzinfo is not None
        for field in STAT_FIELDS:
            assert entry.share(field) == entry.with_field[field] / len(articles)


def test_last_runs_and_problems(archive):
    stats = {entry.site: entry for entry in archive.stats()}
    healthy = stats["daily_news"]
    assert healthy.last_run is not None
    assert healthy.last_run.status == "finished"
    assert healthy.last_run.articles_new == 3
    assert healthy.problems == ()

    failed = stats["le_journal"]
    assert failed.last_run is not None
    assert failed.last_run.finished_at == datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    assert failed.problems == ("last run failed: boom",)

    broken = stats["broken_site"]
    assert broken.articles == 0
    assert broken.share("published") is None
    assert broken.published_first is None
    assert broken.problems == (
        "no articles stored",
        "last run stored no article from 12 pages (12 dropped)",
    )


def test_one_site_or_an_unknown_one(archive):
    assert [entry.site for entry in archive.stats("le_journal")] == ["le_journal"]
    assert [entry.site for entry in archive.stats("broken_site")] == ["broken_site"]
    assert archive.stats("nowhere") == []


def _stats(articles: int, published: int, run: CrawlRun | None) -> SiteStats:
    counts = dict.fromkeys(STAT_FIELDS, articles)
    counts["published"] = published
    return SiteStats("site", articles, None, None, None, None, counts, run)


def _run(status: str, pages: int, new: int, error: str | None = None) -> CrawlRun:
    started = datetime(2025, 1, 1, tzinfo=UTC)
    return CrawlRun(
        1, "site", status, started, started, 1, "host", pages, new, 0, 0, 0, error=error
    )


def test_problems_name_what_looks_broken():
    assert _stats(10, 10, _run("finished", 20, 10)).problems == ()
    assert _stats(10, 4, None).problems == ("only 40% of articles have a publication date",)
    assert _stats(10, 5, _run("killed", 3, 0)).problems == ("last run killed",)
    assert _stats(10, 9, _run("finished", 0, 0)).problems == ()  # nothing fetched: quiet run
    assert _stats(10, 9, _run("running", 5, 0)).problems == ()
