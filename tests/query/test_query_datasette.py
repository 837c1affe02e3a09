"""``python -m newscrawl browse``: Datasette on 127.0.0.1 over the crawled demo database.

The command runs as a subprocess on a free port; the test talks to Datasette's JSON API: the
full-text search (through the FTS5 index) must return the seed article, and the facets on site,
section and tags must count what the archive counts.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from query_support import REPO_ROOT, SEED_HEADLINE, run_cli

from newscrawl.archive import open_archive
from newscrawl.datasette import datasette_name, metadata_for
from newscrawl.sites import ad_hoc_site_name

STARTUP_TIMEOUT = 90  # seconds; only guards against a server that never comes up

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def datasette(demo, tmp_path_factory) -> Iterator[str]:
    """The base URL of the demo database in a running ``newscrawl browse``."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("datasette") / "datasette.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "browse", "--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, "NEWSCRAWL_DATABASE_URL": demo.url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                _get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = log_path.read_text(encoding="utf-8")
                    raise AssertionError(f"datasette did not start: {output}") from None
                time.sleep(0.2)
        yield f"{base}/{datasette_name(demo.path)}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _search(datasette: str, table: str, text: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"_search": text, "_shape": "array"})
    return _get_json(f"{datasette}/{table}.json?{query}")


def test_full_text_search_returns_the_seed_article(datasette, demo):
    rows = _search(datasette, "articles", "Belt and Road")
    assert [row["id"] for row in rows] == [demo.seed_id]
    assert rows[0]["headline"] == SEED_HEADLINE
    view_rows = _search(datasette, "articles_view", "Belt and Road")
    assert [row["id"] for row in view_rows] == [demo.seed_id]
    assert json.loads(view_rows[0]["tags"]) == ["Asia", "Politics"]


def test_search_uses_the_index_not_a_full_listing(datasette, demo):
    with open_archive(demo.url) as archive:
        expected = {article.id for article in archive.articles(search="Putin")}
    assert 0 < len(expected) < demo.article_count
    assert {row["id"] for row in _search(datasette, "articles", "Putin")} == expected
    assert _search(datasette, "articles", 'Putin"s (visit')  # search syntax is escaped


def test_facets_on_site_section_and_tags(datasette, demo):
    result = _get_json(f"{datasette}/articles_view.json?_size=0")
    facets = {
        name: {entry["value"]: entry["count"] for entry in facet["results"]}
        for name, facet in result["facet_results"].items()
    }
    site = ad_hoc_site_name(demo.server_url)  # 127.0.0.1:PORT
    with open_archive(demo.url) as archive:
        assert facets["site"] == {site: archive.count(site=site)}
        assert facets["tags"]["Politics"] == archive.count(tag="Politics")
        assert facets["section"]["Asia"] == archive.count(section="Asia")
    table = _get_json(f"{datasette}/articles.json?_size=0")
    site_facet = table["facet_results"]["site_id"]["results"]
    assert [(entry["label"], entry["count"]) for entry in site_facet] == [
        (site, demo.article_count)
    ]


def test_print_metadata_names_the_database(demo):
    result = run_cli(demo.url, "browse", "--print-metadata")
    assert result.returncode == 0, result.stderr
    metadata = json.loads(result.stdout)
    assert metadata == metadata_for(demo.path)
    tables = metadata["databases"][datasette_name(demo.path)]["tables"]
    assert tables["articles_view"]["fts_table"] == "articles_fts"


def test_browse_needs_a_sqlite_file(tmp_path):
    for url in (f"sqlite:///{tmp_path / 'missing.db'}", "postgresql://nobody@127.0.0.1/none"):
        result = run_cli(url, "browse")
        assert result.returncode != 0
        assert len(result.stderr.splitlines()) == 1, result.stderr
