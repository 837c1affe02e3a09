"""``newscrawl`` commands as subprocesses started from an empty folder outside the repository
(the package importable through PYTHONPATH, as after ``pip install``), against the demo site
served on 127.0.0.1: ``crawl`` with ``--db`` and Scrapy's options, ``--site``/``--sites``, the
live status line on a terminal, ``query``/``export`` on the result, ``schedule --once`` saying
what it starts, and ``scrapy parse --spider=news URL`` inside the repository."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import DemoServer, running_server
from newscrawl.sites import ad_hoc_site_name

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"
TIMEOUT = 240  # seconds; only guards against a hung process
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with running_server(SITE_DIR) as served:
        yield served


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSCRAWL_", "SCRAPY_"))}
    return {**env, "PYTHONPATH": str(REPO_ROOT), "PYTHONIOENCODING": "utf-8", **extra}


def newscrawl(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m newscrawl ARGS`` from ``cwd``, with no NEWSCRAWL_* environment."""
    return subprocess.run(
        [sys.executable, "-m", "newscrawl", *args], cwd=cwd, env=_env(COLUMNS="80"),
        capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False,
    )  # fmt: skip


def _sites(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT s.name, count(a.id) FROM sites s JOIN articles a ON a.site_id = s.id "
            "GROUP BY s.name"
        ).fetchall()
    return dict(rows)


def test_crawl_query_export_from_an_empty_folder(tmp_path: Path, server: DemoServer) -> None:
    crawled = newscrawl(
        tmp_path, "crawl", server.url, "--db", "x.db", *FAST, "-O", "items.jsonl", "-L", "INFO"
    )
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in crawled.stderr
    assert "\r" not in crawled.stderr  # no status line off a terminal
    site = ad_hoc_site_name(server.url)
    assert site.startswith("127.0.0.1:")
    assert _sites(tmp_path / "x.db") == {site: 20}
    items = [
        json.loads(line) for line in (tmp_path / "items.jsonl").read_text("utf-8").splitlines()
    ]
    assert SEED_HEADLINE in {item["headline"] for item in items}  # -O: the stored articles
    assert {"items.jsonl", "x.db"} <= {path.name for path in tmp_path.iterdir()} <= {
        "items.jsonl", "x.db", "x.db-shm", "x.db-wal"
    }  # fmt: skip

    queried = newscrawl(tmp_path, "query", "--db", "x.db", "--search", "Putin")
    assert queried.returncode == 0, queried.stderr
    text = " ".join(queried.stdout.split())
    assert "…" not in queried.stdout  # piped: wrapped, not cut
    assert all(word in text for word in SEED_HEADLINE.split())
    assert max(len(line) for line in queried.stdout.splitlines()) <= 80

    exported = newscrawl(tmp_path, "export", "--db", "x.db", "-o", "all.json")
    assert exported.returncode == 0, exported.stderr
    records = json.loads((tmp_path / "all.json").read_text("utf-8"))  # a JSON array, not JSONL
    assert len(records) == 20 and SEED_HEADLINE in {r["headline"] for r in records}
    refused = newscrawl(tmp_path, "export", "--db", "x.db", "--format", "csv", "-o", "a.json")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "does not match a.json" in refused.stderr
    assert not (tmp_path / "a.json").exists()


def test_crawl_a_site_from_a_sites_file_and_schedule_says_what_it_starts(
    tmp_path: Path, server: DemoServer
) -> None:
    base = server.url.rstrip("/")
    (tmp_path / "my-sites.toml").write_text(
        f'[sites.harbour]\nstart_urls = ["{base}/"]\nallowed_domains = ["127.0.0.1"]\n'
        f'max_pages = 30\nschedule = "1h"\n',
        encoding="utf-8",
    )
    crawled = newscrawl(tmp_path, "crawl", "--site", "harbour", "--sites", "my-sites.toml",
                        "--db", "y.db", *FAST)  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    stored = _sites(tmp_path / "y.db")
    assert list(stored) == ["harbour"] and stored["harbour"] > 0

    unknown = newscrawl(tmp_path, "crawl", "--site", "nope", "--sites", "my-sites.toml")
    assert unknown.returncode != 0 and "unknown site 'nope'" in unknown.stderr
    neither = newscrawl(tmp_path, "crawl")
    assert neither.returncode == 2
    assert neither.stderr == "newscrawl crawl: error: give exactly one of URL and --site NAME\n"

    scheduled = newscrawl(tmp_path, "schedule", "--once", "--sites", "my-sites.toml",
                          "--db", "z.db", *FAST)  # fmt: skip
    assert scheduled.returncode == 0, scheduled.stderr[-3000:]
    assert "Site harbour: starting crawl:" in scheduled.stderr
    assert _sites(tmp_path / "z.db")["harbour"] == stored["harbour"]


def test_crawl_on_a_terminal_shows_a_live_status_line(tmp_path: Path, server: DemoServer) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", "t.db", *FAST],
        cwd=tmp_path, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the terminal closed: the crawl exited
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        assert process.wait(timeout=TIMEOUT) == 0, output[-3000:]
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
            process.wait()
    text = output.decode("utf-8", errors="replace")
    site = ad_hoc_site_name(server.url)
    updates = [part for part in text.split("\r") if part.strip()]
    assert len(updates) >= 2, text
    final = updates[-1].replace("\x1b[K", "").strip()
    assert final.startswith(f"{site}: ") and " pages, 20 new, 0 updated, " in final, final
    assert "pages/s" in final and final.endswith("0 queued")
    assert " INFO: " not in text  # the status line replaces the INFO log


def test_scrapy_parse_prints_the_normalized_article(tmp_path: Path, server: DemoServer) -> None:
    url = server.url.rstrip("/") + SEED_PATH
    parsed = subprocess.run(
        [sys.executable, "-m", "scrapy", "parse", "--spider=news", "--nolog", url],
        cwd=REPO_ROOT, env=_env(NEWSCRAWL_DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}"),
        capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    out = parsed.stdout
    items, _, requests = out.partition("# Requests")
    assert f"'headline': '{SEED_HEADLINE}'" in items
    assert "'dropped': None" in items
    assert "'tags': ['Asia', 'Politics']" in items
    assert "<html" not in items  # the article, not the raw page
    assert f"<GET {server.url.rstrip('/')}/category/asia/>" in requests
