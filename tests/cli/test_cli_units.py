"""The ``newscrawl`` command line and Python API without subprocesses: ``--db``, ``--version``,
plain-text help, export format inference, wrapped tables, the extract API, the status line and
document routing for ``scrapy parse``."""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newscrawl
from newscrawl import cli
from newscrawl.archive.formats import display_width, table_lines, wrap_cell
from newscrawl.commands.export import export_format
from newscrawl.commands.options import database_url, use_database
from newscrawl.progress import ProgressSnapshot, progress_line, progress_snapshot
from newscrawl.spiders.routing import document_kind
from newscrawl.storage.records import StoredArticle

FETCHED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
PAGE = """<!doctype html><html lang="en"><head><title>Harbour plan passes | Gazette</title>
<meta property="og:title" content="Harbour plan passes after long night">
<meta property="article:published_time" content="2026-11-01T18:45:00+01:00">
</head><body><article><h1>Harbour plan passes after long night</h1>
<p>The city council approved the harbour redevelopment plan shortly after midnight, ending a
debate that had run for more than nine hours and drawn hundreds of residents to the hall.</p>
<p>Supporters said the plan would bring new ferry berths, a public promenade and flood defences
that the old quay lacks, while critics warned about the cost and the loss of fishing moorings.</p>
<p>The mayor promised that construction would not start before the spring and that the fishing
cooperative would keep its sheds until replacement buildings are ready on the north pier.</p>
</article></body></html>"""


def test_db_path_means_sqlite_and_urls_pass_through(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("sub/news.db") == f"sqlite:///{tmp_path / 'sub' / 'news.db'}"
    assert database_url("sqlite:///rel.db") == "sqlite:///rel.db"
    url = "postgresql+psycopg://news@127.0.0.1:5432/news"
    assert database_url(url) == url
    # setenv first, so monkeypatch restores the variable's original state (whatever
    # use_database writes is undone at teardown)
    monkeypatch.setenv("NEWSCRAWL_DATABASE_URL", "sqlite:///placeholder.db")
    monkeypatch.delenv("NEWSCRAWL_DATABASE_URL")
    from newscrawl import settings

    monkeypatch.setattr(settings, "NEWSCRAWL_DATABASE_URL", settings.NEWSCRAWL_DATABASE_URL)
    assert use_database(None) is None
    assert "NEWSCRAWL_DATABASE_URL" not in os.environ
    assert use_database("a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert os.environ["NEWSCRAWL_DATABASE_URL"] == f"sqlite:///{tmp_path / 'a.db'}"
    assert f"sqlite:///{tmp_path / 'a.db'}" == settings.NEWSCRAWL_DATABASE_URL


def _leaf_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _leaf_parsers(child)
    return found


def test_every_command_and_action_takes_db() -> None:
    parser, modules = cli.build_parser()
    assert set(modules) >= {"crawl", "demo", "query", "show", "export", "stats", "runs",
                            "schedule", "browse", "extract", "evaluate", "db"}  # fmt: skip
    subcommands = _leaf_parsers(parser)[1:]
    assert len(subcommands) > len(modules)  # demo run/serve, db upgrade/status
    for each in subcommands:
        assert "--db" in each._option_string_actions, each.prog
    args = parser.parse_args(["demo", "run", "--db", "x.db"])
    assert (args.command, args.demo_command, args.db) == ("demo", "run", "x.db")
    args = parser.parse_args(["demo", "--db", "y.db"])
    assert (args.demo_command, args.db, args.port) == ("run", "y.db", 0)
    args = parser.parse_args(["query", "--db", "z.db", "--search", "harbour"])
    assert (args.db, args.search) == ("z.db", "harbour")
    assert not hasattr(parser.parse_args(["stats"]), "db")


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"newscrawl {newscrawl.__version__}\n"


def test_help_is_plain_text(capsys) -> None:
    parser, _ = cli.build_parser()
    texts = [parser.format_help()] + [each.format_help() for each in _leaf_parsers(parser)[1:]]
    for text in texts:
        assert "``" not in text and ":func:" not in text and ":class:" not in text, text
    assert texts[0].startswith("usage: newscrawl ")
    assert "crawl" in texts[0] and "--version" in texts[0]


@pytest.mark.parametrize(
    ("output", "requested", "expected"),
    [
        ("x.json", None, "json"),
        ("x.JSON", None, "json"),
        ("x.jsonl", None, "jsonl"),
        ("x.ndjson", None, "jsonl"),
        ("x.csv", None, "csv"),
        ("x.txt", None, "jsonl"),
        ("-", None, "jsonl"),
        ("-", "csv", "csv"),
        ("x.json", "json", "json"),
        ("x.dat", "csv", "csv"),
    ],
)
def test_export_format_follows_the_extension(output, requested, expected) -> None:
    assert export_format(output, requested) == expected


@pytest.mark.parametrize(("output", "requested"), [("x.json", "jsonl"), ("x.csv", "json")])
def test_export_refuses_a_format_that_contradicts_the_extension(output, requested) -> None:
    with pytest.raises(ValueError, match=f"--format {requested} does not match {output}"):
        export_format(output, requested)


@given(st.text(alphabet=st.sampled_from("ab cd語é\u0301-"), max_size=80), st.integers(1, 30))
def test_wrapped_cells_keep_every_word_within_the_width(text: str, width: int) -> None:
    lines = wrap_cell(text, width)
    assert lines
    assert all(display_width(line) <= max(width, 2) for line in lines)  # a wide char needs 2
    assert "".join(lines).replace(" ", "") == "".join(text.split()).replace(" ", "")


def _stored(headline: str, tags: tuple[str, ...] = ()) -> StoredArticle:
    fields = dict.fromkeys(StoredArticle.__dataclass_fields__)
    fields.update(
        id=7, site="127.0.0.1:58501", headline=headline, tags=tags, authors=(), urls=(),
        published_at=datetime(2026, 11, 1, 17, 45, tzinfo=UTC), published_has_time=True,
    )  # fmt: skip
    return StoredArticle(**fields)  # type: ignore[arg-type]


def test_piped_tables_wrap_long_headlines_instead_of_cutting_them() -> None:
    headline = "Harbour plan passes after a long night of debate about ferries and fishing sheds"
    article = _stored(headline, ("Harbour", "Council", "Local politics"))
    cut = list(table_lines([article], 80))
    assert len(cut) == 2 and "…" in cut[1] and headline not in " ".join(cut)
    wrapped = list(table_lines([article], 80, wrap=True))
    body = "\n".join(wrapped[1:]).splitlines()
    assert len(body) > 1 and all(display_width(line) <= 80 for line in wrapped[0:1] + body)
    assert "…" not in "\n".join(wrapped)
    words = " ".join(line[6 + 1 + 16 + 1 + 15 + 1 :] for line in body).split()
    assert all(word in words or word.rstrip(",") in words for word in headline.split())
    assert "127.0.0.1:58501" in body[0]


def test_extract_api_returns_the_extract_command_record(tmp_path: Path, capsys) -> None:
    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")
    url = "https://gazette.example/2026/11/01/harbour-plan/"
    assert cli.main(["extract", "--url", url, str(page)]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    from newscrawl import extract

    record = extract(PAGE, url=url, fetched_at=FETCHED)
    assert record["headline"] == "Harbour plan passes after long night"
    assert record["published"] == "2026-11-01T17:45:00+00:00"
    assert record["site"] == "gazette.example"
    assert record == from_cli
    assert extract(PAGE.encode("utf-8"), url=url, fetched_at=FETCHED) == record
    with pytest.raises(ValueError, match="timezone-aware"):
        extract(PAGE, url=url, fetched_at=datetime(2026, 11, 2, 9, 30))


def test_extract_reads_gzip_and_refuses_missing_files(tmp_path: Path, capsys) -> None:
    import gzip

    page = tmp_path / "harbour.html.gz"
    page.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    assert cli.main(["extract", "--url", "https://gazette.example/a/", str(page)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["headline"] == "Harbour plan passes after long night"
    assert record["dropped"] is None
    missing = tmp_path / "nope.html"
    assert cli.main(["extract", str(page), str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: no such file: {missing}\n"


def test_progress_line_from_scrapy_stats() -> None:
    stats = {
        "response_received_count": 40, "newscrawl/articles_new": 12,
        "newscrawl/articles_updated": 3, "item_dropped_count": 20,
        "scheduler/enqueued": 90, "scheduler/dequeued": 45,
    }  # fmt: skip
    current = progress_snapshot(stats)
    assert current == ProgressSnapshot(40, 12, 3, 20, 45)
    assert progress_line(current, ProgressSnapshot(pages=30), 2.0) == (
        "40 pages, 12 new, 3 updated, 20 dropped, 5.0 pages/s, 45 queued"
    )
    assert "0.0 pages/s" in progress_line(progress_snapshot({}), None, 1.0)


@pytest.mark.parametrize(
    ("url", "body", "kind"),
    [
        ("http://h/robots.txt", b"Sitemap: http://h/s.xml", "robots"),
        ("http://h/s.xml", b'<?xml version="1.0"?>\n<urlset xmlns="x"><url>', "sitemap"),
        ("http://h/i.xml", b"<sitemapindex><sitemap>", "sitemap"),
        ("http://h/feed/", b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
        ("http://h/atom", b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("http://h/f.json", b'{"version": "https://jsonfeed.org/version/1.1"}', "feed"),
        ("http://h/a/", b"<!doctype html><html><body><p>rss feed urlset</p>", "page"),
    ],
)
def test_documents_are_routed_like_a_crawl(url: str, body: bytes, kind: str) -> None:
    import gzip

    assert document_kind(url, body, None) == kind
    if kind == "sitemap":
        assert document_kind(url + ".gz", gzip.compress(body), None) == "sitemap"
