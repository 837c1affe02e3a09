"""What newscrawl writes for other programs is safe: CSV cannot run formulas in a spreadsheet,
and stored page content is never rendered as HTML unescaped.

CSV comes from the real commands (``export --format csv`` and ``query --format csv``) over an
archive whose every text field starts with a formula. HTML: Datasette (``newscrawl browse``) is
the one place newscrawl serves stored content as HTML; its pages must show a stored
``<script>`` headline escaped, and newscrawl's metadata must not switch escaping off. The demo
server and the demo site builder never put stored content into HTML (checked below too).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from safety_sites import REPO_ROOT, newscrawl_command, run
from security_db import FORMULAS, IMG, SCRIPT, HostileArchive, build_hostile_archive

from newscrawl.datasette import METADATA_FILE, TEMPLATE_DIR, datasette_name, metadata_for

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
STARTUP_LIMIT = 90  # seconds; a guard against a server that never comes up


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> HostileArchive:
    return build_hostile_archive(tmp_path_factory.mktemp("output") / "news.db")


# --- CSV -----------------------------------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def check_formula_safe(rows: list[dict[str, str]]) -> int:
    """No cell starts like a formula; returns how many cells had to be neutralized."""
    neutralized = 0
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (column, cell)
            if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
                neutralized += 1
    return neutralized


@pytest.mark.slow
def test_csv_export_neutralizes_every_formula(archive: HostileArchive, tmp_path: Path) -> None:
    output = tmp_path / "articles.csv"
    done = run(newscrawl_command("export", "--format", "csv", "-o", str(output)), archive.url)
    assert done.returncode == 0, done.stderr
    with output.open(encoding="utf-8", newline="") as exported:  # keep CR inside cells
        rows = csv_rows(exported.read())
    assert len(rows) == len(archive.article_urls)
    assert check_formula_safe(rows) >= len(FORMULAS) * 4  # headline/summary/section/tags/...
    # the text itself is kept: the cell is the stored value behind one apostrophe (names are
    # stored with their whitespace collapsed)
    by_url = {row["canonical_url"]: row for row in rows}
    for url, formula in zip(archive.article_urls, FORMULAS, strict=False):
        name = " ".join(formula.split())
        stored = formula.replace("\r", "\n")  # line breaks are stored as LF
        assert by_url[url]["summary"] == "'" + stored
        assert by_url[url]["authors"] == "'" + name
        assert by_url[url]["tags"] == "'" + name + "; Harbour"


@pytest.mark.slow
def test_csv_query_output_neutralizes_every_formula(archive: HostileArchive) -> None:
    done = run(newscrawl_command("query", "--format", "csv"), archive.url)
    assert done.returncode == 0, done.stderr
    rows = csv_rows(done.stdout)
    assert len(rows) == len(archive.article_urls)
    assert check_formula_safe(rows) >= len(FORMULAS) * 4


@pytest.mark.slow
def test_csv_export_to_stdout_neutralizes_every_formula(archive: HostileArchive) -> None:
    done = run(newscrawl_command("export", "--format", "csv", "-o", "-"), archive.url)
    assert done.returncode == 0, done.stderr
    assert check_formula_safe(csv_rows(done.stdout)) >= len(FORMULAS) * 4


# --- HTML: Datasette ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[str, str]:
    """(content type, body) of a GET."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


@pytest.fixture(scope="module")
def datasette(archive: HostileArchive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the hostile archive's database in a running ``newscrawl browse``."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("browse") / "browse.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "browse", "--port", str(port)],
            cwd=REPO_ROOT,
            env={**os.environ, "NEWSCRAWL_DATABASE_URL": archive.url},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log_path.read_text("utf-8")) from None
                time.sleep(0.2)
        yield f"{base}/{datasette_name(archive.path)}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


HTML_PAGES = (
    "/articles",
    "/articles/1",
    "/articles/2",
    "/articles?_search=alert",
    "/articles_view",
    "/articles_view?_facet_array=tags",
    "/articles_view?_search=alert",
    "",
    "/tags",
    "/authors",
    "/article_versions",
    "/sites",
    "/crawl_runs",
)


@pytest.mark.parametrize("path", HTML_PAGES)
def test_datasette_pages_escape_stored_html(datasette: str, path: str) -> None:
    content_type, body = _get(datasette + path)
    assert content_type.startswith("text/html")
    for payload in (SCRIPT, IMG, "<script>alert"):
        assert payload not in body, path


def test_stored_html_is_really_on_the_pages_escaped(datasette: str) -> None:
    """Not vacuous: the rows are rendered, with the markup as text."""
    _type, row = _get(datasette + "/articles/2")
    assert "&lt;script&gt;alert(" in row
    _type, listing = _get(datasette + "/articles_view")
    assert "&lt;img src=x onerror=" in listing


def test_datasette_json_carries_the_stored_text_verbatim(datasette: str) -> None:
    content_type, body = _get(datasette + "/articles.json?_shape=array&id=2")
    assert content_type.startswith("application/json")
    assert json.loads(body)[0]["headline"].startswith(SCRIPT)


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_newscrawl_metadata_never_switches_escaping_off(tmp_path: Path) -> None:
    """Datasette renders ``*_html`` metadata as markup: newscrawl's metadata has none, and
    loads no extra scripts; newscrawl's templates never mark text safe (its plugin's cells and
    pages are checked escaped on the pages above)."""
    metadata = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    keys = set(_keys(metadata)) | set(_keys(metadata_for(tmp_path / "news.db")))
    assert not {key for key in keys if key.endswith("_html")}
    assert not keys & {"plugins", "extra_js_urls", "extra_css_urls", "custom_templates"}
    templates = list(TEMPLATE_DIR.glob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8").replace(" ", "")
        assert "|safe" not in text and "{%autoescape" not in text, template.name


def test_the_front_page_escapes_stored_html(datasette: str) -> None:
    _type, front = _get(datasette.rsplit("/", 1)[0] + "/")
    assert "&lt;script&gt;alert(" in front  # the newest headlines are on it, as text
    for payload in (SCRIPT, IMG, "<script>alert"):
        assert payload not in front


# --- HTML: what else newscrawl writes ------------------------------------------------------------


def test_no_newscrawl_module_renders_stored_fields_into_html() -> None:
    """The only HTML newscrawl writes itself is the bundled demo site (built from its own
    data, escaped) and the demo server's fixed 404 page; no module that reads stored articles
    produces markup. A new HTML writer must come with an escaping test."""
    html_writers = []
    for file in sorted((REPO_ROOT / "newscrawl").rglob("*.py")):
        text = file.read_text(encoding="utf-8")
        serves_html = re.search(r"[\"']text/html; charset", text) is not None
        if ("<html" in text or "<!DOCTYPE" in text or serves_html) and (
            "StoredArticle" in text or "open_archive" in text or "ArticleStore" in text
        ):
            html_writers.append(str(file.relative_to(REPO_ROOT)))
    assert html_writers == []


@pytest.mark.parametrize(
    "host", ['"><script>alert(1)</script>', "evil.example/<script>", "a b", "x:1\r\nX-Y: z"]
)
def test_the_demo_server_never_echoes_a_hostile_host_header(host: str) -> None:
    """The demo server writes the request's own base URL into its pages: only a well-formed
    host may get there."""
    import http.client

    from newscrawl.demo import SITE_DIR
    from newscrawl.demo.server import running_server

    with running_server(SITE_DIR) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        try:
            connection.putrequest("GET", "/", skip_host=True)
            connection.putheader("Host", host.replace("\r\n", " "))
            connection.endheaders()
            response = connection.getresponse()
            body = response.read().decode("utf-8")
        finally:
            connection.close()
    assert response.status == 200
    assert "<script>alert" not in body and "evil.example" not in body
    assert f"http://127.0.0.1:{server.server_port}/" in body
