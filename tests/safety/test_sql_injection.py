"""No value from the command line reaches SQL unbound.

SQL-injection strings go into ``scrapy crawl`` spider arguments (``-a site=``, ``-a url=``) and
into every filter of the query commands and ``show ID_OR_URL``. Each must behave as plain text:
it matches exactly the stored rows equal to it (the archive holds articles whose tags, authors and
sections *are* such strings), errors are one clean line, and the database is unchanged
afterwards (integrity, schema and every table's row count). A static check keeps SQL from being
built out of strings anywhere in newscrawl.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_sites import REPO_ROOT, build_site, crawl_command, newscrawl_command, run
from security_db import SQL_INJECTIONS, HostileArchive, hostile_archive, snapshot

from newscrawl import cli, settings
from newscrawl.demo.server import running_server
from newscrawl.storage import ArticleStore, make_engine
from newscrawl.storage.store import name_key
from tests.conftest import DATABASES

FILTERS = ("--site", "--tag", "--author", "--section", "--lang", "--search")
DB_ERROR_MARKERS = (
    "Traceback",
    "sqlite3",
    "OperationalError",
    "ProgrammingError",
    "IntegrityError",
    "syntax error",
)


@pytest.fixture(scope="module", params=DATABASES)
def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> HostileArchive:
    """The hostile archive in a SQLite file, then in a PostgreSQL database."""
    return hostile_archive(request, tmp_path_factory.mktemp("injection"))


@pytest.fixture(params=DATABASES)
def fresh_hostile(request: pytest.FixtureRequest, tmp_path: Path) -> HostileArchive:
    """A new hostile archive for one test (SQLite file, then PostgreSQL database)."""
    return hostile_archive(request, tmp_path)


@pytest.fixture
def in_process(archive: HostileArchive, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run ``newscrawl.cli.main`` in this process against the hostile archive."""
    monkeypatch.setattr(settings, "NEWSCRAWL_DATABASE_URL", archive.url)
    yield


def expected_matches(option: str, value: str) -> set[str]:
    """Canonical URLs the filter must select if ``value`` is treated as plain text."""
    from security_db import hostile_articles

    found = set()
    for article in hostile_articles():
        if option == "--site":
            hit = article.site == value
        elif option == "--tag":
            hit = name_key(value) in {name_key(tag) for tag in article.tags}
        elif option == "--author":
            hit = name_key(value) in {name_key(author) for author in article.authors}
        elif option == "--section":
            hit = (article.section or "").casefold() == value.casefold()
        elif option == "--lang":
            hit = article.language == value
        else:
            continue
        if hit:
            found.add(article.canonical_url)
    return found


def check_clean_errors(output: str) -> None:
    for marker in DB_ERROR_MARKERS:
        assert marker not in output, output[-2000:]


@pytest.mark.parametrize("option", FILTERS)
def test_query_filters_treat_injections_as_plain_text(
    option: str,
    archive: HostileArchive,
    in_process: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(archive)
    for value in SQL_INJECTIONS:
        status = cli.main(["query", "--format", "json", option, value])
        out, err = capsys.readouterr()
        check_clean_errors(out + err)
        assert status == 0, err
        urls = {record["canonical_url"] for record in json.loads(out)}
        if option == "--search":
            assert urls <= set(archive.article_urls)
        else:
            assert urls == expected_matches(option, value), (option, value)
    assert snapshot(archive) == before


def test_the_stored_injection_strings_are_found_exactly(
    archive: HostileArchive, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not vacuous: a stored tag that reads as SQL selects its one article, not all of them."""
    value = "' OR '1'='1"
    assert len(expected_matches("--tag", value)) == 1
    assert cli.main(["query", "--format", "json", "--tag", value]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [record["tags"] for record in records] == [[value, "Harbour"]]


@pytest.mark.parametrize("command", ["show", "stats", "export", "runs"])
def test_other_commands_treat_injections_as_plain_text(
    command: str,
    archive: HostileArchive,
    in_process: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    before = snapshot(archive)
    for value in SQL_INJECTIONS:
        if command == "show":
            argv = ["show", value, "--format", "json"]
        elif command == "export":
            argv = ["export", "--format", "csv", "-o", str(tmp_path / "out.csv"), "--tag", value]
        else:
            argv = [command, "--site", value]
        status = cli.main(argv)
        out, err = capsys.readouterr()
        check_clean_errors(out + err)
        if command == "show":
            assert status == 1
            assert err.startswith("error: no article with id or URL") and err.count("\n") == 1
        else:
            assert status == 0, err
    assert snapshot(archive) == before


@pytest.mark.parametrize(
    "key",
    [
        "9223372036854775807",
        "9223372036854775808",
        "-1",
        "0",
        " 99 ",
    ],
)
def test_show_with_out_of_range_ids_is_a_clean_not_found(
    key: str, archive: HostileArchive, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["show", key])
    out, err = capsys.readouterr()
    check_clean_errors(out + err)
    assert status == 1
    assert err.startswith("error: no article with id or URL")


@pytest.mark.slow
def test_the_query_commands_as_subprocesses(archive: HostileArchive) -> None:
    """The same through the real command line (argument parsing, encoding, exit codes)."""
    before = snapshot(archive)
    hostile = "'; DROP TABLE articles; --"
    for args in (
        *((option, hostile) for option in FILTERS),
        ("--tag", "' OR '1'='1"),
        ("--since", "2024-01-01' OR '1'='1"),
    ):
        done = run(newscrawl_command("query", "--format", "jsonl", *args), archive.url)
        check_clean_errors(done.stdout + done.stderr)
        if args[0] == "--since":
            assert done.returncode == 2 and "invalid date" in done.stderr
            continue
        assert done.returncode == 0, done.stderr
        urls = {json.loads(line)["canonical_url"] for line in done.stdout.splitlines()}
        if args[0] != "--search":
            assert urls == expected_matches(*args)
    shown = run(newscrawl_command("show", hostile), archive.url)
    assert shown.returncode == 1 and shown.stderr.count("\n") == 1
    assert snapshot(archive) == before


@pytest.mark.slow
def test_spider_arguments_never_reach_sql(tmp_path: Path, fresh_hostile: HostileArchive) -> None:
    """``-a site=`` must name a site of the sites file; ``-a url=`` with SQL in its path and
    query crawls that URL like any other; the archive stays whole either way."""
    hostile = fresh_hostile
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        '[sites.harbour]\nstart_urls = ["http://127.0.0.1:9/"]\nschedule = "1h"\n', "utf-8"
    )
    before = snapshot(hostile)
    for value in SQL_INJECTIONS[:6]:
        done = run(
            crawl_command([f"site={value}"], {"LOG_LEVEL": "INFO"}),
            hostile.url,
            NEWSCRAWL_SITES_FILE=str(sites_file),
        )
        assert done.returncode != 0
        assert "unknown site" in done.stdout + done.stderr
        for marker in DB_ERROR_MARKERS[1:]:
            assert marker not in done.stdout + done.stderr
        assert snapshot(hostile) == before

    root = tmp_path / "site"
    root.mkdir()
    articles = build_site(root, "wharf", 6)
    with running_server(root) as server:
        base = server.url.rstrip("/")
        url = f"{base}/?q=' OR 1=1; DROP TABLE articles;--&id=1%27%20OR%20%271%27=%271"
        done = run(crawl_command([f"url={url}"], {"LOG_LEVEL": "INFO"}), hostile.url)
    assert done.returncode == 0, done.stderr[-3000:]
    check_clean_errors(done.stdout.replace("Traceback", ""))
    for marker in DB_ERROR_MARKERS[1:]:
        assert marker not in done.stderr
    integrity, schema, counts = snapshot(hostile)
    assert integrity == ([("ok",)] if hostile.path is not None else None)
    assert schema == before[1]
    assert dict(counts)["articles"] == dict(before[2])["articles"] + len(articles)
    engine = make_engine(hostile.url)
    try:
        store = ArticleStore(engine)
        for article in articles:
            stored = store.get(base + article.path)
            assert stored is not None and stored.headline == article.headline
            assert stored.tags == article.tags and stored.authors == article.authors
        for url in hostile.article_urls:  # the hostile archive's own rows are all still there
            assert store.get(url) is not None
    finally:
        engine.dispose()


# --- static check -------------------------------------------------------------------------------

SQL_CALLS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "text"})
CHECKED_TREES = ("newscrawl", "migrations")


@pytest.mark.slow
def test_ruff_finds_no_sql_built_from_strings() -> None:
    """ruff's S608 (SQL assembled with f-strings, ``%``, ``+`` or ``.format``), with no
    per-line exemption possible: ``noqa`` comments are ignored."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "S608", "--no-cache",
         "--ignore-noqa", *CHECKED_TREES],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def dynamic_sql_calls(source: str) -> list[int]:
    """Lines where a SQL-running call gets its statement built at run time: an f-string with
    anything but ``{number:d}`` fields, ``%`` or ``+`` on a string, or ``str.format``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        name = name or (node.func.id if isinstance(node.func, ast.Name) else None)
        if name not in SQL_CALLS:
            continue
        statement = node.args[0]
        if isinstance(statement, ast.JoinedStr):
            if any(not _integer_field(part) for part in statement.values):
                lines.append(node.lineno)
        elif (isinstance(statement, ast.BinOp) and isinstance(statement.op, ast.Mod | ast.Add)) or (
            isinstance(statement, ast.Call)
            and isinstance(statement.func, ast.Attribute)
            and statement.func.attr == "format"
        ):
            lines.append(node.lineno)
    return lines


def _integer_field(part: ast.expr) -> bool:
    """A literal piece of an f-string, or a field formatted with ``:d`` (an int, or an error)."""
    if isinstance(part, ast.Constant):
        return True
    spec = part.format_spec if isinstance(part, ast.FormattedValue) else None
    return (
        isinstance(spec, ast.JoinedStr)
        and len(spec.values) == 1
        and isinstance(spec.values[0], ast.Constant)
        and spec.values[0].value == "d"
    )


def test_no_sql_call_gets_a_statement_built_from_strings() -> None:
    """A wider net than S608 (which only looks at strings that start like SELECT/INSERT/...):
    every ``execute``/``exec_driver_sql``/``text`` call in newscrawl and the migrations."""
    findings = []
    for tree in CHECKED_TREES:
        for file in sorted((REPO_ROOT / tree).rglob("*.py")):
            for line in dynamic_sql_calls(file.read_text(encoding="utf-8")):
                findings.append(f"{file.relative_to(REPO_ROOT)}:{line}")
    assert findings == []


def test_the_static_check_detects_what_it_looks_for() -> None:
    source = (
        "cursor.execute(f'SELECT * FROM t WHERE a = {value}')\n"
        "connection.exec_driver_sql('DELETE FROM t WHERE a = %s' % value)\n"
        "text('SELECT ' + column)\n"
        "text('SELECT {}'.format(column))\n"
        "cursor.execute(f'PRAGMA busy_timeout={TIMEOUT_MS:d}')\n"
        "cursor.execute('SELECT * FROM t WHERE a = ?', (value,))\n"
    )
    assert dynamic_sql_calls(source) == [1, 2, 3, 4]


@pytest.mark.parametrize("option", ["--limit", "--offset"])
def test_out_of_range_windows_are_a_clean_error(
    option: str, archive: HostileArchive, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status = cli.main(["query", option, "99999999999999999999999"])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    check_clean_errors(out + err)
    assert status in (0, 1, 2)
