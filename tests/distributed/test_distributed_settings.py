"""The plain parts of newscrawl.distributed: politeness shares, the settings add-on, run keys,
URL redaction, and the Scrapyd pool's URL list."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.settings import Settings

from newscrawl.dispatch import parse_urls
from newscrawl.distributed import RedisFrontierAddon, RunKeys, politeness_share, redacted
from tests.profiles import examples


@given(
    concurrency=st.integers(min_value=1, max_value=64),
    delay=st.floats(min_value=0, max_value=60, allow_nan=False),
    target=st.floats(min_value=0.1, max_value=16, allow_nan=False),
    workers=st.integers(min_value=1, max_value=32),
)
@settings(max_examples=examples(200))
def test_the_workers_shares_add_up_to_the_site_totals(
    concurrency: int, delay: float, target: float, workers: int
) -> None:
    share = politeness_share(concurrency, delay, target, workers)
    assert share.concurrency >= 1
    assert share.concurrency * workers <= max(concurrency, workers)
    # one request per delay*workers seconds from each worker: one per delay from all of them
    assert share.delay == pytest.approx(delay * workers)
    assert share.target_concurrency * workers == pytest.approx(target)


def test_zero_workers_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        politeness_share(2, 1.0, 1.0, 0)


def _settings(**values: object) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    for key, value in values.items():
        settings.set(key, value, priority="cmdline")
    return settings


def test_the_addon_switches_the_scheduler_and_shares_politeness_only_with_a_redis_url() -> None:
    plain = _settings(NEWSCRAWL_REDIS_URL="")
    RedisFrontierAddon().update_settings(plain)
    assert plain.get("SCHEDULER") != "newscrawl.distributed.SharedFrontierScheduler"
    assert plain.getfloat("DOWNLOAD_DELAY") == 0.5

    shared = _settings(
        NEWSCRAWL_REDIS_URL="redis://127.0.0.1:1/0",
        NEWSCRAWL_REDIS_WORKERS=2,
        CONCURRENT_REQUESTS_PER_DOMAIN=4,  # the user's -s value is a total too
    )
    RedisFrontierAddon().update_settings(shared)
    assert shared.get("SCHEDULER") == "newscrawl.distributed.SharedFrontierScheduler"
    assert shared.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert shared.getfloat("DOWNLOAD_DELAY") == 1.0
    assert shared.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY") == 0.5
    assert "newscrawl.distributed.SeedOnceMiddleware" in shared.getdict("SPIDER_MIDDLEWARES")


def test_each_run_of_a_site_has_keys_of_its_own() -> None:
    first, second = RunKeys("gazette", "r1"), RunKeys("gazette", "r2")
    assert first.pointer == second.pointer == "newscrawl:gazette:run"
    assert {first.requests, first.dupefilter}.isdisjoint({second.requests, second.dupefilter})
    assert first.inflight("w1") != first.inflight("w2")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@10.0.0.5:6379/1", "redis://:***@10.0.0.5:6379/1"),
        ("rediss://app:s3cret@cache.example:6380/0", "rediss://app:***@cache.example:6380/0"),
    ],
)
def test_redis_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert redacted(url) == shown
    assert "s3cret" not in redacted(url)


def test_scrapyd_urls_are_read_comma_or_space_separated() -> None:
    assert parse_urls("http://a:6800/, http://b:6800  http://c:6800") == (
        "http://a:6800",
        "http://b:6800",
        "http://c:6800",
    )
    assert parse_urls("") == ()
