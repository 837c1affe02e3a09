"""The plain functions behind recurring crawls: what a re-crawl skips, when a site is due, how
a crawl is started, and how the run history is printed. No reactor, no processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.commands.runs import format_duration, render_table
from newscrawl.discovery.recrawl import (
    changed_at,
    conditional_headers,
    discovery_date,
    published_before,
    recrawl_decision,
    sitemap_entry_unchanged,
)
from newscrawl.scheduler import (
    SchedulerOptions,
    crawl_command,
    describe_exit,
    first_run_time,
    is_due,
)
from newscrawl.sites import Schedule
from newscrawl.storage.records import CrawlRun, StoredUrl

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
WINDOW = timedelta(hours=48)


def stored(**overrides: object) -> StoredUrl:
    fields: dict[str, object] = {
        "article_id": 1,
        "canonical_url": "https://news.example/a",
        "published_at": NOW - timedelta(days=10),
        "first_seen_at": NOW - timedelta(days=10),
        "last_seen_at": NOW - timedelta(days=1),
        "etag": '"v1"',
        "last_modified": "Mon, 03 Mar 2025 08:00:00 GMT",
    }
    fields.update(overrides)
    return StoredUrl(**fields)  # type: ignore[arg-type]


# --- discovery dates ---------------------------------------------------------------------------


def test_discovery_dates_are_utc_and_mean_the_end_of_what_they_name() -> None:
    assert discovery_date("2025-03-01T09:30:00+01:00") == datetime(2025, 3, 1, 8, 30, 1, tzinfo=UTC)
    assert discovery_date("Sat, 01 Mar 2025 08:30:00 GMT") == datetime(
        2025, 3, 1, 8, 30, 1, tzinfo=UTC
    )
    assert discovery_date("2025-03-01T09:30+01:00") == datetime(2025, 3, 1, 8, 31, tzinfo=UTC)
    assert discovery_date("2025-03-01T09:30:00.250+01:00") == datetime(
        2025, 3, 1, 8, 30, 0, 250000, tzinfo=UTC
    )
    assert discovery_date("2025-03-01") == datetime(2025, 3, 2, tzinfo=UTC)
    assert discovery_date("not a date") is None
    assert discovery_date("") is None
    assert discovery_date(None) is None


def test_changed_at_takes_the_newer_of_lastmod_and_publication() -> None:
    assert changed_at("2025-03-05T10:00:00Z", "2025-03-01T10:00:00Z") == datetime(
        2025, 3, 5, 10, 0, 1, tzinfo=UTC
    )
    assert changed_at(None, "2025-03-01T10:00:00Z") == datetime(2025, 3, 1, 10, 0, 1, tzinfo=UTC)
    assert changed_at("garbage", None) is None


@pytest.mark.parametrize(
    ("lastmod", "published", "since", "unchanged"),
    [
        ("2025-03-01T10:00:00Z", None, NOW, True),
        ("2025-03-10T12:30:00Z", None, NOW, False),  # modified after the last run started
        (None, "2025-03-01T10:00:00Z", NOW, True),  # news:publication_date when no lastmod
        ("2025-03-01T10:00:00Z", "2025-03-10T12:30:00Z", NOW, False),
        ("2025-03-10", None, NOW, False),  # same day, no time: could be after the run started
        ("2025-03-09", None, NOW, True),
        (None, None, NOW, False),  # undated entries are always scheduled
        ("nonsense", None, NOW, False),
        ("2025-03-01T10:00:00Z", None, None, False),  # no successful run yet
        # edited in the second the last run started: it may have changed after that run looked
        ("2025-03-10T12:00:00Z", None, NOW.replace(microsecond=400000), False),
    ],
)
def test_sitemap_entries_older_than_the_last_successful_run_are_unchanged(
    lastmod: str | None, published: str | None, since: datetime | None, unchanged: bool
) -> None:
    assert sitemap_entry_unchanged(lastmod, published, since, now=NOW) is unchanged


def test_published_before_needs_a_date_and_a_cutoff() -> None:
    cutoff = NOW - timedelta(days=30)
    assert published_before("2025-01-01T00:00:00Z", cutoff)
    assert not published_before("2025-03-01T00:00:00Z", cutoff)
    assert not published_before(None, cutoff)
    assert not published_before("2025-01-01T00:00:00Z", None)


# --- stored articles --------------------------------------------------------------------------


def test_a_stored_article_outside_its_window_is_skipped() -> None:
    decision = recrawl_decision(stored(), now=NOW, window=WINDOW)
    assert (decision.action, decision.reason, decision.headers) == ("skip", "outside-window", {})


def test_inside_its_window_it_is_rechecked_conditionally() -> None:
    decision = recrawl_decision(
        stored(published_at=NOW - timedelta(hours=47)), now=NOW, window=WINDOW
    )
    assert (decision.action, decision.reason) == ("fetch", "inside-window")
    assert decision.headers == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Mon, 03 Mar 2025 08:00:00 GMT",
    }


def test_an_undated_article_counts_its_window_from_its_first_sighting() -> None:
    recent = stored(published_at=None, first_seen_at=NOW - timedelta(hours=1))
    old = stored(published_at=None, first_seen_at=NOW - timedelta(days=3))
    assert recrawl_decision(recent, now=NOW, window=WINDOW).action == "fetch"
    assert recrawl_decision(old, now=NOW, window=WINDOW).action == "skip"


def test_a_feed_or_sitemap_date_after_the_last_sighting_forces_a_recheck() -> None:
    article = stored()
    newer = article.last_seen_at + timedelta(minutes=1)
    decision = recrawl_decision(article, now=NOW, window=WINDOW, changed=newer)
    assert (decision.action, decision.reason) == ("fetch", "changed")
    older = article.last_seen_at - timedelta(minutes=1)
    assert recrawl_decision(article, now=NOW, window=WINDOW, changed=older).action == "skip"


def test_conditional_headers_only_for_known_validators() -> None:
    assert conditional_headers(None, None) == {}
    assert conditional_headers(' "x" ', "") == {"If-None-Match": '"x"'}
    decision = recrawl_decision(
        stored(published_at=NOW, etag=None, last_modified=None), now=NOW, window=WINDOW
    )
    assert (decision.action, decision.headers) == ("fetch", {})


# --- the scheduler ----------------------------------------------------------------------------

HOURLY = Schedule(interval=timedelta(hours=1))
QUARTERLY = Schedule(cron="*/15 * * * *")


def test_a_site_that_never_ran_is_due() -> None:
    assert is_due(HOURLY, None, NOW)
    assert is_due(QUARTERLY, None, NOW)
    assert first_run_time(HOURLY, None, NOW) == NOW


def test_an_interval_site_is_due_once_its_interval_passed_less_a_small_tolerance() -> None:
    assert not is_due(HOURLY, NOW - timedelta(minutes=30), NOW)
    assert is_due(HOURLY, NOW - timedelta(hours=1), NOW)
    # a cron tick that comes a few seconds early does not skip a whole interval
    assert is_due(HOURLY, NOW - timedelta(minutes=59, seconds=30), NOW)
    assert not is_due(HOURLY, NOW - timedelta(minutes=58, seconds=59), NOW)
    ten_minutes = Schedule(interval=timedelta(minutes=10))  # tolerance: a tenth of it
    assert is_due(ten_minutes, NOW - timedelta(minutes=9), NOW)
    assert not is_due(ten_minutes, NOW - timedelta(minutes=8, seconds=59), NOW)


def test_a_cron_site_is_due_when_a_fire_time_passed_since_its_last_run() -> None:
    # last run 11:50; fire times :00 :15 :30 :45 (UTC); now 12:00 -> 12:00 passed
    assert is_due(QUARTERLY, NOW - timedelta(minutes=10), NOW)
    # last run 12:00:03 (started just after the 12:00 fire) -> next fire 12:15
    assert not is_due(QUARTERLY, NOW + timedelta(seconds=3), NOW + timedelta(minutes=14))
    assert is_due(QUARTERLY, NOW + timedelta(seconds=3), NOW + timedelta(minutes=15))


def test_first_run_time_continues_the_interval_from_the_last_run() -> None:
    last = NOW - timedelta(minutes=20)
    assert first_run_time(HOURLY, last, NOW) == last + timedelta(hours=1)
    # last run 12:01, now 12:05: the next fire (12:15) is the trigger's to schedule
    later = NOW + timedelta(minutes=5)
    assert first_run_time(QUARTERLY, NOW + timedelta(minutes=1), later) is None
    assert first_run_time(QUARTERLY, NOW - timedelta(minutes=20), NOW) == NOW


def test_the_crawl_command_passes_the_sites_file_and_extra_settings(tmp_path: Path) -> None:
    options = SchedulerOptions(
        sites_file=tmp_path / "sites.toml",
        project_root=tmp_path,
        crawl_settings=(("LOG_LEVEL", "WARNING"),),
        python="/usr/bin/python3",
    )
    assert crawl_command("worldmag", options) == [
        "/usr/bin/python3", "-m", "scrapy", "crawl", "news", "-a", "site=worldmag",
        "-s", f"NEWSCRAWL_SITES_FILE={tmp_path / 'sites.toml'}", "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip


def test_exit_descriptions() -> None:
    assert describe_exit(0) == "exit status 0"
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(None) == "still running"


# --- the runs table ---------------------------------------------------------------------------


def run(run_id: int, **overrides: object) -> CrawlRun:
    fields: dict[str, object] = {
        "id": run_id,
        "site": "worldmag",
        "status": "finished",
        "started_at": NOW,
        "finished_at": NOW + timedelta(minutes=3, seconds=5),
        "pid": 10,
        "hostname": "h",
        "pages_fetched": 97,
        "articles_new": 20,
        "articles_updated": 1,
        "articles_unchanged": 2,
        "articles_skipped": 19,
        "drops": {"NotAnArticle": 71, "MissingBody": 2},
        "http_errors": {"404": 2, "TimeoutError": 1},
    }
    fields.update(overrides)
    return CrawlRun(**fields)  # type: ignore[arg-type]


def test_durations() -> None:
    assert format_duration(run(1, finished_at=NOW + timedelta(seconds=42)), NOW) == "42s"
    assert format_duration(run(1), NOW) == "3m05s"
    assert format_duration(run(1, finished_at=NOW + timedelta(hours=1, minutes=2)), NOW) == "1h02m"
    assert format_duration(run(1, finished_at=None), NOW + timedelta(seconds=7)) == "7s…"


def test_the_runs_table_lines_up_and_shows_errors() -> None:
    failed = run(
        12,
        site="morningpost",
        status="failed",
        articles_new=0,
        drops={},
        http_errors={},
        error="process 77 on h ended without finishing the run",
    )
    lines = render_table([failed, run(3)], NOW)
    header, first, error, second = lines
    assert header.split() == [
        "id", "site", "status", "started", "(UTC)", "duration", "pages", "new", "updated",
        "unchanged", "skipped", "http", "errors", "drops",
    ]  # fmt: skip
    assert first.split()[:3] == ["12", "morningpost", "failed"]
    assert error.strip() == "error: process 77 on h ended without finishing the run"
    cells = second.split()
    assert cells[:4] == ["3", "worldmag", "finished", "2025-03-10"]
    assert cells[5:12] == ["3m05s", "97", "20", "1", "2", "19", "3"]
    assert cells[12:] == ["NotAnArticle:71", "MissingBody:2"]
    # columns line up: every row's status starts where the header's does
    assert first.index("failed") == header.index("status") == second.index("finished")
