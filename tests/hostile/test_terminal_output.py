"""Issue 14, finding 2: no stored string reaches a terminal as an escape sequence.

The boundary cleans every string a page brings (tests/hostile/test_hostile_bytes.py); here a row
stored before that (escapes written straight into the file) goes through ``show``, the ``query``
table and CSV to stdout, which must print the escapes visibly instead of running them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture
def legacy_db(migrated_sqlite_url: str) -> str:
    engine = make_engine(migrated_sqlite_url)
    try:
        ArticleStore(engine).save(
            Article(
                url="https://news.example/2025/03/01/clock/",
                canonical_url="https://news.example/2025/03/01/clock/",
                site="news",
                headline="Clock tower chimes again",
                body="The clock tower chimes again.\n\nRepairs took a year.",
                fetched_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
                tags=("Clocks",),
            )
        )
    finally:
        engine.dispose()
    path = migrated_sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE articles SET headline = ?, etag = ?, last_modified = ?, body = ?",
            (f"Clock{ESCAPES} tower", f'"v1{ESCAPES}"', f"Fri{ESCAPES}", f"Body\r{ESCAPES}"),
        )
    return path


def _run(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "newscrawl", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("show", "1"),
        ("query",),
        ("query", "--format", "csv"),
        ("export", "--format", "csv", "-o", "-"),
    ],
)
def test_human_readable_output_shows_escapes_instead_of_running_them(
    legacy_db: str, args: tuple[str, ...]
) -> None:
    out = _run(*args, "--db", legacy_db)
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out.replace("\r\n", "\n")
    assert "\\x1b" in out  # shown, not dropped silently
