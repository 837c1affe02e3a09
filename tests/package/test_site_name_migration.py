"""Revision 2c78b6c15348: ad-hoc site names gain the port, existing rows are renamed or split.

Rows are written at the previous revision's schema (the same tables: the revision changes data
only) with the old host-only names, then Alembic upgrades the real database (SQLite, and
PostgreSQL in the slow run) and the names are read back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.items import Article
from newscrawl.sites import SiteConfig, ad_hoc_site_name
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.engine import alembic_config

REVISION = "2c78b6c15348"
STARTED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
FETCHED = datetime(2026, 11, 1, 8, 5, tzinfo=UTC)


def article(url: str, site: str) -> Article:
    return Article(
        url=url,
        canonical_url=url,
        site=site,
        headline=f"Headline of {url}",
        body="The council voted on the harbour plan late into the night.",
        fetched_at=FETCHED,
    )


def _alembic(database_url: str, action: Callable[..., Any], revision: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            action(alembic_config(connection), revision)
    finally:
        engine.dispose()


def _site_of(store: ArticleStore, url: str) -> str:
    stored = store.get(url)
    assert stored is not None, url
    return stored.site


def _finished_run(store: ArticleStore, site: str) -> int:
    run_id = store.start_run(site, 1234, "crawler-host", STARTED)
    store.finish_run(
        run_id, "finished", pages_fetched=3, articles_new=1, articles_updated=0,
        articles_unchanged=0, articles_skipped=0, drops={}, http_errors={}, stats={}, error=None,
    )  # fmt: skip
    return run_id


def test_existing_ad_hoc_sites_are_renamed_or_split_by_port(database_url: str) -> None:
    _alembic(database_url, command.downgrade, "-1")  # the schema before the revision
    engine = make_engine(database_url)
    store = ArticleStore(engine)
    try:
        # two servers on one host were merged into one site "127.0.0.1"
        store.save(article("http://127.0.0.1:33707/2024/demo-story/", "127.0.0.1"))
        store.save(article("http://127.0.0.1:58501/2024/other-story/", "127.0.0.1"))
        store.save(article("http://127.0.0.1/2024/default-port-story/", "127.0.0.1"))
        merged_run = _finished_run(store, "127.0.0.1")
        # one server on a non-default port: renamed, its runs with it
        store.save(article("http://10.0.0.5:9000/a/", "10.0.0.5"))
        store.save(article("http://10.0.0.5:9000/b/", "10.0.0.5"))
        single_run = _finished_run(store, "10.0.0.5")
        # a site from the sites file (a slug) on a non-default port, and a plain host
        store.save(article("http://127.0.0.1:8765/2024/slug-story/", "worldmag-demo"))
        store.save(article("https://www.example.com/news/x/", "example.com"))
        slug_run = _finished_run(store, "worldmag-demo")

        _alembic(database_url, command.upgrade, "head")

        assert _site_of(store, "http://127.0.0.1:33707/2024/demo-story/") == "127.0.0.1:33707"
        assert _site_of(store, "http://127.0.0.1:58501/2024/other-story/") == "127.0.0.1:58501"
        assert _site_of(store, "http://127.0.0.1/2024/default-port-story/") == "127.0.0.1"
        assert _site_of(store, "http://10.0.0.5:9000/a/") == "10.0.0.5:9000"
        assert store.count_articles("10.0.0.5:9000") == 2
        assert store.count_articles("10.0.0.5") == 0
        assert _site_of(store, "http://127.0.0.1:8765/2024/slug-story/") == "worldmag-demo"
        assert _site_of(store, "https://www.example.com/news/x/") == "example.com"
        runs = {run.id: run.site for run in store.list_runs(limit=10)}
        # which server the merged run crawled is unknown: neither new site inherits it, so
        # neither skips sitemap entries as "unchanged since the last successful run"
        assert runs[merged_run] == "127.0.0.1"
        assert store.last_run("127.0.0.1:58501", status="finished") is None
        assert runs[single_run] == "10.0.0.5:9000"
        assert runs[slug_run] == "worldmag-demo"

        _alembic(database_url, command.downgrade, "-1")
        assert _site_of(store, "http://127.0.0.1:33707/2024/demo-story/") == "127.0.0.1"
        assert _site_of(store, "http://127.0.0.1:58501/2024/other-story/") == "127.0.0.1"
        assert store.count_articles("127.0.0.1") == 3
        assert _site_of(store, "http://10.0.0.5:9000/b/") == "10.0.0.5"
        assert {run.site for run in store.list_runs(limit=10)} == {
            "127.0.0.1", "10.0.0.5", "worldmag-demo"
        }  # fmt: skip
        _alembic(database_url, command.upgrade, "head")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://127.0.0.1:58501/", "127.0.0.1:58501"),
        ("http://127.0.0.1:33707/news/", "127.0.0.1:33707"),
        ("http://www.example.com/", "example.com"),
        ("https://example.com:443/a", "example.com"),
        ("http://example.com:80/a", "example.com"),
        ("https://example.com:80/a", "example.com:80"),
        ("http://example.com:8080/", "example.com:8080"),
        ("http://[::1]:8080/", "[::1]:8080"),
        ("file:///tmp/page.html", "local"),
    ],
)
def test_ad_hoc_site_names_include_a_non_default_port(url: str, name: str) -> None:
    assert ad_hoc_site_name(url) == name
    if url.startswith("http"):
        assert SiteConfig.ad_hoc(url).name == name


@given(st.integers(1, 65535), st.integers(1, 65535))
def test_two_ports_on_one_host_are_two_sites(first: int, second: int) -> None:
    same = ad_hoc_site_name(f"http://127.0.0.1:{first}/") == ad_hoc_site_name(
        f"http://127.0.0.1:{second}/"
    )
    assert same == (first == second or {first, second} <= {80})
