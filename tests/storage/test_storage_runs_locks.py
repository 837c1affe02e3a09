"""Crawl-run bookkeeping and lease locks."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.storage.runs import json_safe

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_run_lifecycle(store):
    run_id = store.start_run("example_news", 4242, "crawler-1", T0)
    [running] = store.list_runs()
    assert (running.id, running.status, running.site, running.pid) == (
        run_id,
        "running",
        "example_news",
        4242,
    )
    assert running.started_at == T0
    assert running.finished_at is None

    store.finish_run(
        run_id,
        "finished",
        finished_at=T0 + timedelta(minutes=5),
        pages_fetched=40,
        articles_new=12,
        articles_updated=3,
        articles_unchanged=20,
        articles_skipped=5,
        drops={"NotAnArticle": 4, "MissingBody": 1},
        http_errors={404: 2, "503": 1},
        stats={"start_time": T0, "downloader/request_count": 41, "ratio": float("inf")},
    )
    [done] = store.list_runs(site="example_news")
    assert done.status == "finished"
    assert done.finished_at == T0 + timedelta(minutes=5)
    assert (done.pages_fetched, done.articles_new, done.articles_updated) == (40, 12, 3)
    assert (done.articles_unchanged, done.articles_skipped) == (20, 5)
    assert done.drops == {"NotAnArticle": 4, "MissingBody": 1}
    assert done.http_errors == {"404": 2, "503": 1}
    assert done.stats == {
        "start_time": "2025-03-01T12:00:00+00:00",
        "downloader/request_count": 41,
        "ratio": "inf",
    }
    assert done.error is None


def test_finish_run_rejects_bad_status_and_unknown_run(store):
    run_id = store.start_run("example_news", 1, "crawler-1", T0)
    with pytest.raises(ValueError, match="status"):
        store.finish_run(run_id, "running")
    with pytest.raises(ValueError, match="status"):
        store.finish_run(run_id, "done")
    with pytest.raises(LookupError):
        store.finish_run(run_id + 1, "failed", error="boom")


def test_list_runs_newest_first_filtered_and_limited(store):
    ids = [store.start_run(site, 1, "h", T0 + timedelta(hours=n)) for n, site in enumerate("abab")]
    assert [run.id for run in store.list_runs()] == ids[::-1]
    assert [run.id for run in store.list_runs(site="a")] == [ids[2], ids[0]]
    assert [run.id for run in store.list_runs(limit=1)] == [ids[3]]
    assert store.list_runs(site="nope") == []


def _dead_pid() -> int:
    """The id of a process that has already exited and been reaped."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


@pytest.mark.slow
def test_mark_dead_runs_failed_only_touches_dead_local_runs(store):
    dead = store.start_run("a", _dead_pid(), "this-host", T0)
    alive = store.start_run("b", os.getpid(), "this-host", T0)
    elsewhere = store.start_run("c", _dead_pid(), "other-host", T0)
    finished = store.start_run("d", _dead_pid(), "this-host", T0)
    store.finish_run(finished, "finished", finished_at=T0)

    now = T0 + timedelta(hours=1)
    assert store.mark_dead_runs_failed("this-host", now=now) == [dead]
    runs = {run.id: run for run in store.list_runs()}
    assert runs[dead].status == "failed"
    assert runs[dead].finished_at == now
    assert "ended without finishing" in runs[dead].error
    assert runs[alive].status == "running"
    assert runs[elsewhere].status == "running"
    assert runs[finished].status == "finished"
    assert store.mark_dead_runs_failed("this-host", now=now) == []


def test_lock_has_one_holder_until_released(store):
    ttl = timedelta(minutes=10)
    assert store.try_lock("crawl:news", "a", ttl, now=T0)
    assert not store.try_lock("crawl:news", "b", ttl, now=T0 + timedelta(minutes=1))
    assert store.try_lock("crawl:news", "a", ttl, now=T0 + timedelta(minutes=2))  # renewal
    assert store.try_lock("other", "b", ttl, now=T0)  # names are independent
    assert not store.release_lock("crawl:news", "b")
    assert not store.try_lock("crawl:news", "b", ttl, now=T0 + timedelta(minutes=3))
    assert store.release_lock("crawl:news", "a")
    assert store.try_lock("crawl:news", "b", ttl, now=T0 + timedelta(minutes=3))


def test_expired_lease_can_be_taken_over(store):
    ttl = timedelta(minutes=10)
    assert store.try_lock("crawl:news", "a", ttl, now=T0)
    assert not store.try_lock("crawl:news", "b", ttl, now=T0 + timedelta(minutes=9))
    assert store.try_lock("crawl:news", "b", ttl, now=T0 + timedelta(minutes=11))
    assert not store.try_lock("crawl:news", "a", ttl, now=T0 + timedelta(minutes=12))
    assert not store.release_lock("crawl:news", "a")


def test_lock_ttl_must_be_positive(store):
    with pytest.raises(ValueError, match="ttl"):
        store.try_lock("crawl:news", "a", timedelta(0), now=T0)


def test_json_safe_makes_scrapy_stats_storable():
    stats = {
        "finish_time": datetime(2025, 3, 1, tzinfo=UTC),
        "finish_reason": "finished",
        "seen": {"b", "a"},
        "pair": (1, 2.5),
        7: None,
        "nan": float("nan"),
        "obj": object,
    }
    safe = json_safe(stats)
    assert safe["finish_time"] == "2025-03-01T00:00:00+00:00"
    assert sorted(safe["seen"]) == ["a", "b"]
    assert safe["pair"] == [1, 2.5]
    assert safe["7"] is None
    assert safe["nan"] == "nan"
    assert safe["obj"] == "<class 'object'>"
    assert safe["finish_reason"] == "finished"
