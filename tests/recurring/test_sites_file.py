"""The sites file's recurring-crawl keys: schedule, recrawl_window, max_pages, max_article_age.

Invalid entries are rejected before anything runs, naming the site, the key and what is wrong.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawl.sites import (
    DEFAULT_RECRAWL_WINDOW,
    Schedule,
    SitesFileError,
    load_sites,
    parse_sites,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def site(**keys: Any) -> dict[str, Any]:
    return {"sites": {"worldmag": {"start_urls": ["https://worldmag.example/"], **keys}}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30m", Schedule(interval=timedelta(minutes=30))),
        ("1.5 h", Schedule(interval=timedelta(minutes=90))),
        ("2d", Schedule(interval=timedelta(days=2))),
        (900, Schedule(interval=timedelta(seconds=900))),
        ("*/15 * * * *", Schedule(cron="*/15 * * * *")),
        ("0 6,12,18 * * mon-fri", Schedule(cron="0 6,12,18 * * mon-fri")),
    ],
)
def test_schedule_is_an_interval_or_a_cron_expression(value: object, expected: Schedule) -> None:
    assert parse_sites(site(schedule=value))["worldmag"].schedule == expected


def test_defaults_without_the_recurring_keys() -> None:
    config = parse_sites(site())["worldmag"]
    assert config.schedule is None
    assert config.recrawl_window == DEFAULT_RECRAWL_WINDOW == timedelta(hours=48)
    assert config.max_pages is None
    assert config.max_article_age is None


def test_recrawl_window_and_limits_are_read() -> None:
    config = parse_sites(
        site(recrawl_window="7d", max_pages=250, max_article_age="30d", schedule="1h")
    )["worldmag"]
    assert config.recrawl_window == timedelta(days=7)
    assert config.max_pages == 250
    assert config.max_article_age == timedelta(days=30)


@pytest.mark.parametrize(
    ("keys", "key", "problem"),
    [
        ({"schedule": "soon"}, "schedule", "'soon'"),
        ({"schedule": "0 */15 * * * *"}, "schedule", "five-field cron expression"),
        ({"schedule": "0 0 * *"}, "schedule", "(4 fields)"),
        ({"schedule": "61 * * * *"}, "schedule", "invalid cron expression '61 * * * *'"),
        ({"schedule": "0 0 31 2 *"}, "schedule", "never fires"),
        ({"schedule": "0m"}, "schedule", "must be positive"),
        ({"schedule": True}, "schedule", "expected a duration"),
        ({"recrawl_window": "forever"}, "recrawl_window", "'forever'"),
        ({"recrawl_window": -5}, "recrawl_window", "must be positive"),
        ({"max_article_age": "3 weeks"}, "max_article_age", "'3 weeks'"),
        ({"max_pages": -1}, "max_pages", "non-negative integer"),
        ({"max_pages": "100"}, "max_pages", "non-negative integer"),
        ({"schedul": "1h"}, "schedul", "unknown key"),
    ],
)
def test_invalid_entries_name_the_site_the_key_and_the_problem(
    keys: dict[str, Any], key: str, problem: str
) -> None:
    with pytest.raises(SitesFileError) as caught:
        parse_sites(site(**keys))
    assert (caught.value.site, caught.value.key) == ("worldmag", key)
    message = str(caught.value)
    assert message.startswith(f"site 'worldmag', key '{key}': ")
    assert problem in message


def test_one_bad_site_rejects_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(
        '[sites.good]\nstart_urls = ["https://good.example/"]\nschedule = "30m"\n\n'
        '[sites.bad]\nstart_urls = ["https://bad.example/"]\nrecrawl_window = "2 days"\n',
        encoding="utf-8",
    )
    with pytest.raises(SitesFileError, match=r"site 'bad', key 'recrawl_window'"):
        load_sites(path)


def test_the_deploy_example_is_valid() -> None:
    sites = load_sites(REPO_ROOT / "deploy" / "sites.example.toml")
    assert {name: s.schedule for name, s in sites.items()} == {
        "worldmag": Schedule(interval=timedelta(minutes=30)),
        "morningpost": Schedule(cron="0 6,12,18 * * *"),
    }
    assert sites["morningpost"].recrawl_window == timedelta(days=7)
