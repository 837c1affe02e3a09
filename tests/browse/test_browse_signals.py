"""``newscrawl browse`` stops cleanly on SIGTERM and SIGINT: the server stops listening, no
process is left in its process group, and nothing is left in its temporary folder.

Each test starts its own real ``python -m newscrawl browse`` subprocess (with ``TMPDIR`` pointed
at an empty folder of the test's) and signals only that process, as ``kill PID`` or a service
manager would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from browse_support import REPO_ROOT, DemoArchive, group_alive, port_is_open, start_browse

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 128 + 15), (signal.SIGINT, 128 + 2)]
)
def test_a_signal_stops_the_server_and_leaves_nothing_behind(
    signum: int, status: int, demo_archive: DemoArchive, tmp_path: Path
):
    browse = start_browse(demo_archive.url, tmp_path)
    try:
        with urllib.request.urlopen(f"{browse.base_url}/", timeout=30) as response:
            assert response.status == 200
        assert port_is_open(browse.port)
        assert browse.stop(signum) == status, browse.log()
        assert not port_is_open(browse.port)
        assert not group_alive(browse.process.pid), "a child process kept running"
        assert list(browse.tmpdir.iterdir()) == []
        assert "Traceback" not in browse.log(), browse.log()
    finally:
        browse.kill_group()


def test_postgresql_is_refused_in_one_line():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawl",
            "browse",
            "--db",
            "postgresql://crawler:secret@127.0.0.1:1/news",
        ],
        cwd=REPO_ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "SQLite files only" in done.stderr and "postgresql" in done.stderr
    assert "secret" not in done.stderr


def test_a_busy_port_is_refused_in_one_line(demo_archive: DemoArchive, tmp_path: Path):
    browse = start_browse(demo_archive.url, tmp_path / "first")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newscrawl", "browse", "--port", str(browse.port)],
            cwd=REPO_ROOT,
            env={**os.environ, "NEWSCRAWL_DATABASE_URL": demo_archive.url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert str(browse.port) in done.stderr
    finally:
        browse.stop()
