"""The query, show, export and stats commands, run as subprocesses against the crawled demo site.

These are issue 5's "done when" checks: the demo site is really crawled into a fresh SQLite file
and into a PostgreSQL database (the ``demo`` fixture below), then ``python -m newscrawl ...`` runs
against each.
"""

from __future__ import annotations

import csv
import json
import os
import pty
import subprocess
import sys

import pytest
from query_support import (
    CHANGED_BUDGET_HEADLINE,
    REPO_ROOT,
    SEED_HEADLINE,
    display_width,
    run_cli,
)

from newscrawl.archive import open_archive
from newscrawl.sites import ad_hoc_site_name
from tests.conftest import DATABASES

pytestmark = pytest.mark.slow


@pytest.fixture(params=DATABASES)
def demo(request: pytest.FixtureRequest, demo):
    """The crawled demo archive: the SQLite one (conftest's ``demo``), then the PostgreSQL one."""
    return demo if request.param == "sqlite" else request.getfixturevalue("postgres_demo")


def _jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def _assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_tag_politics_as_json_includes_the_seed_article(demo):
    result = run_cli(demo.url, "query", "--tag", "Politics", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert SEED_HEADLINE in [record["headline"] for record in records]
    assert all("politics" in [tag.casefold() for tag in record["tags"]] for record in records)
    with open_archive(demo.url) as archive:
        assert len(records) == archive.count(tag="politics")
    counted = run_cli(demo.url, "query", "--tag", "politics", "--count")
    assert counted.stdout.strip() == str(len(records))


def test_searching_belt_and_road_returns_the_seed_article_first(demo):
    result = run_cli(demo.url, "query", "--search", "Belt and Road", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = _jsonl(result.stdout)
    assert records[0]["headline"] == SEED_HEADLINE
    assert records[0]["id"] == demo.seed_id


def test_search_syntax_in_the_search_text_does_not_crash(demo):
    result = run_cli(demo.url, "query", "--search", 'Putin"s (visit')
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert SEED_HEADLINE[:20] in result.stdout  # the table shows the seed (Putin, s, visit)


# The API tests run every HOSTILE_SEARCHES string in both search modes; here a few go end to end.
@pytest.mark.parametrize(
    "text", ["NEAR(", "*", "-x", "AND OR", "'; DROP TABLE articles;--", "100%", '"']
)
def test_hostile_search_text_exits_zero(demo, text):
    result = run_cli(demo.url, "query", f"--search={text}", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for record in _jsonl(result.stdout):
        assert record["site"]


def test_a_future_since_prints_no_rows_and_exits_zero(demo):
    for fmt, expected in (("table", ""), ("jsonl", ""), ("json", "[]\n")):
        result = run_cli(demo.url, "query", "--since", "2999-01-01", "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--since", "notadate"), ("--since", "notadate")),
        (("--until", "2024-13-45"), ("--until", "2024-13-45")),
        (("--format", "xml"), ("--format", "xml")),
        (("--limit", "-1"), ("--limit", "-1")),
        (("--limit", "ten"), ("--limit", "ten")),
        (("--offset", "-3"), ("--offset",)),
        (("--sort", "random"), ("--sort", "random")),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(demo, args, fragments):
    _assert_one_line_error(run_cli(demo.url, "query", *args), *fragments)


def test_unknown_site_and_tag_match_nothing(demo):
    for args in (("--site", "nowhere.example"), ("--tag", "Nonexistent tag' OR 1=1 --")):
        result = run_cli(demo.url, "query", *args, "--format", "jsonl")
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""


def test_publication_window_around_the_seed(demo):
    def ids(*args: str) -> set[int]:
        result = run_cli(demo.url, "query", *args, "--format", "jsonl")
        assert result.returncode == 0, result.stderr
        return {record["id"] for record in _jsonl(result.stdout)}

    # the seed was published 2023-10-16T09:30:00+05:30 (= 04:00 UTC)
    assert demo.seed_id in ids("--since", "2023-10-16", "--until", "2023-10-16")
    assert demo.seed_id in ids("--since", "2023-10-16T09:30:00+05:30")
    assert demo.seed_id in ids("--until", "2023-10-16T04:00")  # naive means UTC
    assert demo.seed_id not in ids("--since", "2023-10-16T09:30:01+05:30")
    assert demo.seed_id not in ids("--until", "2023-10-15")


def test_export_csv_has_as_many_rows_as_query_jsonl(demo, tmp_path):
    queried = run_cli(demo.url, "query", "--format", "jsonl")
    assert queried.returncode == 0, queried.stderr
    records = _jsonl(queried.stdout)
    assert len(records) == demo.article_count
    target = tmp_path / "articles.csv"
    exported = run_cli(demo.url, "export", "--format", "csv", "-o", str(target))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == f"exported {len(records)} articles to {target}\n"  # no progress
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(records)
    assert [int(row["id"]) for row in rows] == [record["id"] for record in records]
    assert SEED_HEADLINE in [row["headline"] for row in rows]
    assert not (tmp_path / "articles.csv.partial").exists()


def test_export_jsonl_with_filters_equals_query_output(demo, tmp_path):
    args = ("--tag", "Politics", "--search", "Putin", "--sort", "published")
    queried = run_cli(demo.url, "query", *args, "--format", "jsonl")
    target = tmp_path / "politics.jsonl"
    exported = run_cli(demo.url, "export", "-o", str(target), *args)
    assert exported.returncode == 0, exported.stderr
    assert target.read_text(encoding="utf-8") == queried.stdout
    assert _jsonl(queried.stdout)  # not trivially empty


def test_export_bad_input_and_unwritable_target(demo, tmp_path):
    _assert_one_line_error(
        run_cli(demo.url, "export", "--format", "xml", "-o", str(tmp_path / "x")), "--format"
    )
    _assert_one_line_error(run_cli(demo.url, "export", "--since", "yesterday", "-o", "x.csv"))
    missing_dir = tmp_path / "no" / "such" / "dir" / "out.csv"
    _assert_one_line_error(
        run_cli(demo.url, "export", "--format", "csv", "-o", str(missing_dir)), "cannot write"
    )


def test_show_prints_tags_dates_raw_values_and_sources(demo):
    for key in (str(demo.seed_id), demo.seed_url):
        result = run_cli(demo.url, "show", key)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == SEED_HEADLINE
        fields = {line[:14].strip(): line[14:] for line in lines if line[:1].isalpha()}
        assert fields["tags"] == "Asia, Politics"
        assert fields["published"].startswith("2023-10-16T04:00:00+00:00")
        assert "raw '2023-10-16T09:30:00+05:30'" in fields["published"]
        assert "source jsonld" in fields["published"]
        assert "first seen" in fields
        assert "last seen" in fields
        assert "field sources:" in lines
        assert "versions: none (never changed)" in lines


def test_show_as_json_and_unknown_articles(demo):
    result = run_cli(demo.url, "show", str(demo.seed_id), "--format", "json")
    record = json.loads(result.stdout)
    assert record["tags"] == ["Asia", "Politics"]
    assert record["published_raw"] == "2023-10-16T09:30:00+05:30"
    assert record["versions"] == []
    _assert_one_line_error(run_cli(demo.url, "show", "999999"), "999999")
    _assert_one_line_error(run_cli(demo.url, "show", "http://nowhere.example/x"), "nowhere")


def test_stats_lists_the_demo_site(demo):
    result = run_cli(demo.url, "stats")
    assert result.returncode == 0, result.stderr
    site = ad_hoc_site_name(demo.server_url)  # 127.0.0.1:PORT
    assert result.stdout.startswith(f"{site}: {demo.article_count} articles, published ")
    assert "last run #1 finished" in result.stdout
    as_json = json.loads(run_cli(demo.url, "stats", "--format", "json").stdout)
    assert [entry["site"] for entry in as_json] == [site]
    assert as_json[0]["articles"] == demo.article_count
    assert as_json[0]["with_field"]["tags"] <= demo.article_count
    assert run_cli(demo.url, "stats", "--site", "nowhere").stdout == ""


@pytest.mark.parametrize("columns", [70, 100, 180])
def test_the_table_fits_the_terminal_width(demo, columns):
    result = run_cli(demo.url, "query", columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "published", "site", "headline", "tags"]
    rows = [line for line in lines[1:] if line[:6].strip()]  # piped: long cells wrap below
    assert len(rows) == demo.article_count
    assert "…" not in result.stdout
    assert all(display_width(line) <= columns for line in lines)
    seed_line = next(line for line in rows if line.split()[0] == str(demo.seed_id))
    assert "2023-10-16 04:00" in seed_line


def test_a_missing_database_is_one_clear_line(tmp_path):
    missing = tmp_path / "missing.db"
    for command in (("query",), ("show", "1"), ("stats",), ("export", "-o", "x.jsonl")):
        _assert_one_line_error(run_cli(f"sqlite:///{missing}", *command), "no database file")
    assert not missing.exists()


def test_export_shows_progress_only_on_a_terminal(demo, tmp_path):
    target = tmp_path / "progress.jsonl"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "export", "-o", str(target)],
        cwd=REPO_ROOT,
        env={**os.environ, "NEWSCRAWL_DATABASE_URL": demo.url},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0
    text = output.decode("utf-8")
    count = demo.article_count
    assert f"\rexporting: {count}/{count} articles" in text
    assert text.rstrip().endswith(f"exported {count} articles to {target}")


def test_every_filter_option_reaches_the_query(sample):
    args = ("--site", "daily_news", "--author", "jane doe", "--section", "business")
    result = run_cli(sample.url, "query", *args, "--lang", "en", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert [record["id"] for record in _jsonl(result.stdout)] == [sample.ids["harbour-strike"]]
    result = run_cli(
        sample.url, "query", "--since", "2025-03-01", "--until", "2025-03-01", "--format", "jsonl"
    )
    assert [record["id"] for record in _jsonl(result.stdout)] == [sample.ids["budget-vote"]]
    result = run_cli(sample.url, "query", "--sort", "first_seen", "--limit", "2", "--offset", "1")
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == [
        str(sample.ids["elections"]),
        str(sample.ids["formula"]),
    ]  # saved 4th and 3rd; the 5th is skipped by the offset


def test_show_lists_versions_of_a_changed_article(sample):
    result = run_cli(sample.url, "show", str(sample.ids["budget-vote"]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == CHANGED_BUDGET_HEADLINE
    assert "versions: 1" in lines
    version_line = next(line for line in lines if line.startswith("  v1 until "))
    assert version_line.endswith(")")
    assert ": Parliament passes the budget (published 2025-03-01T08:00:00+00:00" in version_line
    as_json = json.loads(
        run_cli(sample.url, "show", str(sample.ids["budget-vote"]), "--format", "json").stdout
    )
    assert [version["headline"] for version in as_json["versions"]] == [
        "Parliament passes the budget"
    ]
