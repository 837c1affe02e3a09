"""The SQLite file newscrawl creates, and its ``-wal`` and ``-shm`` files, can be written by
their owner only, whatever the umask of the process that creates them.

Each process runs with umask 000, the worst case: a file created with the default mode would be
writable by everybody. The database is created once by the CLI, once by a crawl; the WAL files
are checked while the crawl that created them is still writing, and after a read-only query
opened a cleanly closed database.

SQLite only, by nature: these are the modes of files newscrawl creates; a PostgreSQL server keeps
its data in its own directory, under its own user, and newscrawl creates no file for it.
"""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_sites import (
    REPO_ROOT,
    build_site,
    child_env,
    crawl_command,
    newscrawl_command,
    wait_for,
)

from newscrawl.demo.server import DemoServer, running_server

pytestmark = pytest.mark.slow

PRIVATE_MODES = (0o600, 0o640)  # owner read-write; the group may at most read


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check_private(*paths: Path) -> None:
    for path in paths:
        assert mode(path) in PRIVATE_MODES, f"{path.name}: {oct(mode(path))}"
        assert not mode(path) & (stat.S_IWGRP | stat.S_IWOTH | stat.S_IROTH)


def run_with_open_umask(command: list[str], database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=child_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        umask=0,
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, DemoServer]]:
    root = tmp_path / "site"
    root.mkdir()
    with running_server(root) as server:
        yield root, server


def test_the_cli_creates_a_private_database(tmp_path: Path) -> None:
    path = tmp_path / "data" / "news.db"
    done = run_with_open_umask(newscrawl_command("db", "upgrade"), f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    check_private(path)
    # a read-only query of the cleanly closed file may create the WAL index: private too
    assert not path.with_name("news.db-wal").exists()
    done = run_with_open_umask(newscrawl_command("query", "--count"), f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    check_private(*(p for p in path.parent.iterdir() if p.name.startswith("news.db")))


def test_a_crawl_creates_a_private_database_and_private_wal_files(
    tmp_path: Path, site: tuple[Path, DemoServer]
) -> None:
    root, server = site
    build_site(root, "pier", 40)
    path = tmp_path / "news.db"
    wal, shm = path.with_name("news.db-wal"), path.with_name("news.db-shm")
    crawl = subprocess.Popen(
        crawl_command([f"url={server.url}"], {"LOG_LEVEL": "WARNING"}),
        cwd=REPO_ROOT,
        env=child_env(f"sqlite:///{path}"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        umask=0,
    )
    try:
        # only the crawl touches the file until it has written: the test does not open it
        wait_for(lambda: wal.exists() and shm.exists() and wal.stat().st_size > 0, "WAL files")
        check_private(path, wal, shm)
        _out, err = crawl.communicate(timeout=300)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
    assert crawl.returncode == 0, err[-3000:]
    check_private(*(p for p in tmp_path.iterdir() if p.name.startswith("news.db")))
