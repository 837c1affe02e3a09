"""Crawl properties under injected faults: every scenario of ``tests/faults/scenarios.py`` is
served by the fault server on 127.0.0.1 and crawled by a real ``scrapy crawl news`` subprocess
into a fresh SQLite file (as many crawls at a time as there are cores, 2 to 4; once per module).

For every scenario: the crawl finishes within its limits; every article the server served
correctly at least once is stored exactly once with its headline and body decoded; every failure
is counted by reason in the crawl stats and the run history; nothing outside the site's host
and http(s) is fetched. The reliability report (``benchmarks/reliability_report.py``) runs the
same scenarios.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from newscrawl.discovery.links import extract_links, parse_html_document
from newscrawl.items import without_control_chars
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.models import ArticleRow, AuthorRow
from tests.faults.harness import (
    ScenarioRun,
    error_statuses,
    offsite_writes,
    run_scenarios,
    stored_correctly,
    tally,
)
from tests.faults.scenarios import (
    ATTEMPTS,
    DATA_URL_HEADLINE,
    HOSTILE_MAX_PAGES,
    LOCAL_FILE_HEADLINE,
    OFFSITE_FARM,
    OFFSITE_HEADLINE,
    SCENARIOS,
    Scenario,
)

pytestmark = pytest.mark.slow

NAMES = [scenario.name for scenario in SCENARIOS]
# Drops of the site's own navigation pages (home, section, about, calendar, archive pages).
NAVIGATION_DROPS = frozenset({"NotAnArticle", "MissingBody"})
# Log lines Scrapy writes when a callback, a pipeline or a signal handler raised.
CRASH_MARKERS = ("Spider error processing", "Error processing", "Error caught on signal handler")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ScenarioRun]:
    return run_scenarios(SCENARIOS, tmp_path_factory.mktemp("faults"))


def _scenario(name: str) -> Scenario:
    return next(s for s in SCENARIOS if s.name == name)


def test_scenario_names_are_unique_and_story_keys_too() -> None:
    assert len(set(NAMES)) == len(NAMES)
    keys = [story.key for scenario in SCENARIOS for story in scenario.expected]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("name", NAMES)
def test_the_crawl_finishes_without_crashing(runs: dict[str, ScenarioRun], name: str) -> None:
    result = runs[name]
    finished = result.scenario.outcome == "finished"
    assert (result.crawl.returncode == 0) == finished, result.crawl.log[-3000:]
    assert result.run is not None
    assert result.run.status == result.scenario.outcome, result.run.error
    for marker in CRASH_MARKERS:
        assert marker not in result.crawl.log, marker


@pytest.mark.parametrize("name", NAMES)
def test_every_article_served_correctly_is_stored_once_and_decoded(
    runs: dict[str, ScenarioRun], name: str
) -> None:
    result = runs[name]
    # The scenario's expectation is what the server actually delivered in full at least once.
    assert result.served == {story.key for story in result.scenario.expected}
    for story in result.scenario.expected:
        rows = result.rows_of(story)
        assert len(rows) == 1, (story.key, [row.url for row in rows])
        assert stored_correctly(rows[0], story), (story.key, rows[0].headline, rows[0].body[:300])
    line = tally(result)
    assert (line.lost, line.duplicated, line.unexpected) == (0, 0, 0), line


@pytest.mark.parametrize("name", NAMES)
def test_every_failure_is_counted_by_reason_in_stats_and_run_history(
    runs: dict[str, ScenarioRun], name: str
) -> None:
    result = runs[name]
    run = result.run
    assert run is not None
    # HTTP errors: exactly the error statuses the server sent, plus the scenario's exceptions.
    expected_errors = error_statuses(result.requests) + Counter(result.scenario.errors)
    assert run.http_errors == dict(expected_errors)
    for reason, count in result.scenario.errors.items():
        in_stats = {
            key: value
            for key, value in run.stats.items()
            if key.endswith(f".{reason}") or key == f"newscrawl/fetch_failed/{reason}"
        }
        assert in_stats, reason
        assert count in in_stats.values(), (reason, in_stats)
    for status, count in error_statuses(result.requests).items():
        assert run.stats[f"downloader/response_status_count/{status}"] == count
    # Drops: the scenario's exactly, otherwise only the site's navigation pages.
    for reason, count in result.scenario.drops.items():
        assert run.drops.get(reason) == count, (reason, run.drops)
    assert set(run.drops) <= NAVIGATION_DROPS | set(result.scenario.drops), run.drops
    for reason, count in run.drops.items():
        assert run.stats[f"item_dropped_reasons_count/{reason}"] == count


@pytest.mark.parametrize("name", NAMES)
def test_nothing_outside_the_site_and_http_is_fetched(
    runs: dict[str, ScenarioRun], name: str
) -> None:
    result = runs[name]
    assert result.offsite_connections == 0, [r.path for r in result.offsite_requests]
    assert {r.host for r in result.requests} == {urlsplit(result.urls.base).netloc}
    forbidden = {OFFSITE_HEADLINE, LOCAL_FILE_HEADLINE, DATA_URL_HEADLINE}
    assert not [row.url for row in result.rows if row.headline in forbidden]
    log = result.crawl.log
    assert "<GET file:" not in log and "<GET data:" not in log
    assert f"<GET {result.urls.offsite}" not in log


@pytest.mark.parametrize("name", NAMES)
def test_the_crawl_stays_within_its_limits(runs: dict[str, ScenarioRun], name: str) -> None:
    result = runs[name]
    per_path = Counter(r.path for r in result.requests)
    assert max(per_path.values()) <= ATTEMPTS, per_path.most_common(3)
    for prefix, bound in result.scenario.request_bounds.items():
        assert len(result.requests_under(prefix)) <= bound, prefix


def test_a_page_with_ten_thousand_links_is_cut_at_max_pages(runs: dict[str, ScenarioRun]) -> None:
    result = runs["hostile-markup"]
    assert result.run is not None
    pages = result.run.stats["newscrawl/pages_scheduled"]
    assert pages == HOSTILE_MAX_PAGES
    assert result.run.stats["newscrawl/page_limit_reached"] > 0
    assert len(result.requests_under("/archive-story-")) > 0  # the farm was reached, then cut


def test_trap_urls_are_filtered_and_counted(runs: dict[str, ScenarioRun]) -> None:
    result = runs["crawler-traps"]
    assert result.run is not None
    assert result.run.stats["newscrawl/trap_filtered"] >= 2  # ?month= and /section/section/section/
    assert len(result.requests_under("/events/")) >= 1  # the calendar was entered, then cut


def test_off_site_links_sitemaps_and_feeds_are_filtered_and_counted(
    runs: dict[str, ScenarioRun],
) -> None:
    result = runs["schemes-and-hosts"]
    assert result.run is not None
    # Every off-site link of the 10,000-link page was refused and counted, besides the others.
    reply = result.scenario.build(result.urls).routes[OFFSITE_FARM.path][0]
    tree = parse_html_document(reply.body.decode("utf-8"))
    assert tree is not None
    links = extract_links(tree, result.urls.at(OFFSITE_FARM.path))
    offsite = [
        link for link in links if urlsplit(link).netloc == urlsplit(result.urls.offsite).netloc
    ]
    assert len(offsite) == 10_000
    assert result.run.stats["newscrawl/offsite_filtered"] > len(offsite)


def test_the_off_site_start_redirect_is_refused_but_the_site_is_crawled(
    runs: dict[str, ScenarioRun],
) -> None:
    result = runs["start-page-offsite"]
    assert result.run is not None
    assert "Not following redirect from" in result.crawl.log
    assert result.run.articles_new == len(result.scenario.expected)


def test_the_report_table_shows_every_scenario_with_nothing_lost(
    runs: dict[str, ScenarioRun],
) -> None:
    from benchmarks.reliability_report import clean, render_table

    lines = [tally(runs[name]) for name in NAMES]
    table = render_table(lines).splitlines()
    assert len(table) == 2 + len(NAMES) + 1  # header, rule, one row per scenario, totals
    assert [row.split(" | ")[0].removeprefix("| ") for row in table[2:-1]] == NAMES
    totals = [cell.strip() for cell in table[-1].strip("| ").split(" | ")]
    assert totals[0] == "**total**"
    assert int(totals[3]) == int(totals[4]) == sum(len(s.expected) for s in SCENARIOS)
    assert totals[5:] == ["0", "0", "0", "0"]  # duplicated, lost, unexpected, off-site writes
    assert clean(lines)


# --- issue 14: hostile and broken sites, round two --------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_no_row_is_written_under_another_site(runs: dict[str, ScenarioRun], name: str) -> None:
    result = runs[name]
    assert not offsite_writes(result), [(r.url, r.canonical_url) for r in offsite_writes(result)]


@pytest.mark.parametrize("name", NAMES)
def test_the_scenarios_stats_are_counted(runs: dict[str, ScenarioRun], name: str) -> None:
    result = runs[name]
    assert result.run is not None
    for key, value in result.scenario.stats.items():
        assert result.run.stats.get(key) == value, (key, result.run.stats.get(key))


@pytest.mark.parametrize("name", NAMES)
def test_no_stored_string_holds_a_control_character(
    runs: dict[str, ScenarioRun], name: str
) -> None:
    engine = make_engine(runs[name].database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(ArticleRow.__table__)).mappings().all()
            names = connection.execute(select(AuthorRow.name)).scalars().all()
    finally:
        engine.dispose()
    for row in rows:
        for column, value in row.items():
            if isinstance(value, str):
                assert value == without_control_chars(value), (column, value[:80])
    assert all(value == without_control_chars(value) for value in names), names


def test_terminal_escapes_from_headers_and_pages_are_stored_clean(
    runs: dict[str, ScenarioRun],
) -> None:
    result = runs["terminal-escapes"]
    engine = make_engine(result.database_url)
    try:
        article = ArticleStore(engine).recent(1)[0]
    finally:
        engine.dispose()
    assert article.etag == '"v1]0;pwned[2J"'
    assert article.last_modified == "Fri]0;pwned[2J"
    assert "; ".join(article.authors) == "Jane]0; pwned[2J Roe"  # the name splits at ";"


def test_malformed_ports_are_skipped_and_counted_and_the_rest_goes_on(
    runs: dict[str, ScenarioRun],
) -> None:
    result = runs["malformed-ports"]
    assert result.run is not None
    # 4 on the article page, 1 on the home page, 4 feed and 4 sitemap entries (at least once each)
    assert result.run.stats["newscrawl/malformed_filtered"] >= 13
    assert result.run.articles_new == len(result.scenario.expected)


def test_url_variants_are_aliases_of_one_row(runs: dict[str, ScenarioRun]) -> None:
    from tests.faults.scenarios import URL_VARIANTS, _variant_paths

    result = runs["url-variants"]
    engine = make_engine(result.database_url)
    try:
        store = ArticleStore(engine)
        for story in URL_VARIANTS.expected:
            found = [store.get(result.urls.at(path)) for path in _variant_paths(story)]
            ids = {article.id if article is not None else None for article in found}
            assert len(ids) == 1 and None not in ids, (story.key, ids)
    finally:
        engine.dispose()


def test_the_idn_site_is_crawled_under_its_punycode_name(runs: dict[str, ScenarioRun]) -> None:
    result = runs["idn-host"]
    assert result.run is not None
    assert result.run.articles_new == len(result.scenario.expected)
    assert all(row.url.startswith("http://xn--bcher-kva.example:") for row in result.rows)


def test_a_run_locked_out_at_start_is_recorded_when_it_ends(runs: dict[str, ScenarioRun]) -> None:
    result = runs["lock-held-at-start"]
    assert "run history: database busy at start" in result.crawl.log
    assert result.run is not None
    assert (result.run.status, result.run.articles_new) == ("finished", 2)


def test_a_full_disk_fails_the_run_with_one_line(runs: dict[str, ScenarioRun]) -> None:
    result = runs["disk-full"]
    assert result.run is not None
    assert result.run.error == "2 of 2 article writes failed"
    assert "Crawl failed: 2 of 2 article writes failed" in result.crawl.log
