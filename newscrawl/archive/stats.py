"""Per-site archive statistics: how much is stored, and how complete the extracted fields are.

A site whose extraction broke stands out: few articles with a date or tags, a failed last run, or
a last run that fetched pages but stored nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, exists, func, select

from newscrawl.storage.models import (
    ArticleAuthorRow,
    ArticleRow,
    ArticleTagRow,
    CrawlRunRow,
    SiteRow,
)
from newscrawl.storage.records import CrawlRun
from newscrawl.storage.runs import list_runs

# The fields whose presence is counted per site, in display order.
STAT_FIELDS: tuple[str, ...] = ("published", "modified", "authors", "tags", "section", "summary")
FAILED_RUN_STATUSES = frozenset({"failed", "killed"})
# Below this share of articles with a publication date, date extraction is reported as broken.
MIN_PUBLISHED_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class SiteStats:
    """What the archive holds for one site; dates are tz-aware UTC, None when nothing is known."""

    site: str
    articles: int
    published_first: datetime | None
    published_last: datetime | None
    first_seen: datetime | None
    last_seen: datetime | None
    with_field: dict[str, int]  # field name (STAT_FIELDS) -> articles that have it
    last_run: CrawlRun | None

    def share(self, field: str) -> float | None:
        """The fraction of articles having ``field`` (0..1), or None for a site without articles."""
        return self.with_field[field] / self.articles if self.articles else None

    @property
    def problems(self) -> tuple[str, ...]:
        """Human-readable signs that crawling or extraction of this site is broken."""
        found: list[str] = []
        if self.articles == 0:
            found.append("no articles stored")
        published = self.share("published")
        if published is not None and published < MIN_PUBLISHED_SHARE:
            found.append(f"only {published:.0%} of articles have a publication date")
        run = self.last_run
        if run is not None:
            if run.status in FAILED_RUN_STATUSES:
                found.append(f"last run {run.status}" + (f": {run.error}" if run.error else ""))
            stored = (
                run.articles_new
                + run.articles_updated
                + run.articles_unchanged
                + run.articles_skipped
            )
            if run.status == "finished" and run.pages_fetched > 0 and stored == 0:
                dropped = sum(run.drops.values())
                found.append(
                    f"last run stored no article from {run.pages_fetched} pages ({dropped} dropped)"
                )
        return tuple(found)


def site_stats(connection: Connection, site: str | None = None) -> list[SiteStats]:
    """Statistics of every site that has articles or crawl runs (or just ``site``), by name."""
    has_authors = exists().where(ArticleAuthorRow.article_id == ArticleRow.id)
    has_tags = exists().where(ArticleTagRow.article_id == ArticleRow.id)
    aggregates = (
        select(
            SiteRow.name,
            func.count(ArticleRow.id),
            func.min(ArticleRow.published_at),
            func.max(ArticleRow.published_at),
            func.min(ArticleRow.first_seen_at),
            func.max(ArticleRow.last_seen_at),
            func.count(ArticleRow.published_at),
            func.count(ArticleRow.modified_at),
            _count_where(has_authors),
            _count_where(has_tags),
            _count_where(func.coalesce(ArticleRow.section, "") != ""),
            _count_where(func.coalesce(ArticleRow.summary, "") != ""),
        )
        .select_from(SiteRow)
        .outerjoin(ArticleRow, ArticleRow.site_id == SiteRow.id)
        .group_by(SiteRow.name)
    )
    run_sites = select(CrawlRunRow.site).distinct()
    if site is not None:
        aggregates = aggregates.where(SiteRow.name == site)
        run_sites = run_sites.where(CrawlRunRow.site == site)
    stats: dict[str, SiteStats] = {}
    for row in connection.execute(aggregates):
        name, articles, first, last, seen_first, seen_last, *counts = row
        stats[name] = SiteStats(
            site=name,
            articles=int(articles),
            published_first=first,
            published_last=last,
            first_seen=seen_first,
            last_seen=seen_last,
            with_field={
                field: int(count or 0) for field, count in zip(STAT_FIELDS, counts, strict=True)
            },
            last_run=None,
        )
    for name in connection.execute(run_sites).scalars():
        stats.setdefault(name, _empty(name))
    return [_with_last_run(connection, stats[name]) for name in sorted(stats, key=str.casefold)]


def _count_where(condition: Any) -> Any:
    """SQL counting the rows where ``condition`` holds (0 when there are none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _empty(name: str) -> SiteStats:
    return SiteStats(
        site=name,
        articles=0,
        published_first=None,
        published_last=None,
        first_seen=None,
        last_seen=None,
        with_field=dict.fromkeys(STAT_FIELDS, 0),
        last_run=None,
    )


def _with_last_run(connection: Connection, stats: SiteStats) -> SiteStats:
    runs = list_runs(connection, stats.site, 1)
    return replace(stats, last_run=runs[0]) if runs else stats
