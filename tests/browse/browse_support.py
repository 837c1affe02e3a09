"""Helpers for the ``newscrawl browse`` tests: start the command, load pages in headless Chromium.

Everything is real: ``python -m newscrawl browse`` runs as a subprocess on a free port of
127.0.0.1, and pages are rendered by Debian's ``chromium`` (``--dump-dom`` prints the DOM after
the page loaded; ``--screenshot`` writes a PNG) through ``tools/browse_screenshot.py``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from newscrawl.datasette import datasette_name
from newscrawl.items import Article
from newscrawl.storage import ArticleStore, make_engine, migrate
from tools.browse_screenshot import CHROMIUM, chromium, screenshot

__all__ = ["CHROMIUM", "screenshot"]  # re-exported for the tests

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_LIMIT = 90  # seconds; guards against a server that never comes up, nothing is timed
STOP_LIMIT = 30  # seconds for browse to stop after a signal

SEED_HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"
SEED_BODY_START = (
    "This week, Chinese leaders will meet with Russian President Vladimir Putin in Beijing"
)
SEED_BODY_END = "but neither needs the other to secure their security."
SEED_TAGS = ("Asia", "Politics")


@dataclass(frozen=True, slots=True)
class DemoArchive:
    """The crawled demo database and the seed article in it."""

    url: str
    path: Path
    seed_id: int
    seed_url: str
    article_count: int

    @property
    def database(self) -> str:
        """The database's name (and URL path) in Datasette."""
        return datasette_name(self.path)


@dataclass(frozen=True, slots=True)
class ChangedArchive:
    """A SQLite archive holding one article stored twice with different content."""

    url: str
    path: Path
    article_id: int
    first: Article
    second: Article

    @property
    def database(self) -> str:
        return datasette_name(self.path)


def build_changed_archive(path: Path) -> ChangedArchive:
    """Migrate ``path`` and save an article, then a corrected version of it, via the store."""
    url = f"sqlite:///{path}"
    migrate(url)
    first = Article(
        url="https://harbour.example/2025/03/01/strike/",
        canonical_url="https://harbour.example/2025/03/01/strike/",
        site="harbour_news",
        headline="Harbour workers strike over pay",
        summary="Dock workers stopped work.",
        body="Dock workers stopped work on Sunday.\n\nThe port authority declined to comment.",
        fetched_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        published=datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
        section="Economy",
        tags=("Harbour", "Labour"),
        authors=("Mina Park",),
        language="en",
    )
    second = replace(
        first,
        headline="Harbour strike ends after pay deal",
        body="The strike ended on Tuesday with a pay deal.\n\nWork resumed at noon.",
        fetched_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    )
    engine = make_engine(url)
    try:
        store = ArticleStore(engine)
        store.save(first, seen_at=first.fetched_at)
        store.save(second, seen_at=second.fetched_at)
        stored = store.get(first.canonical_url)
        assert stored is not None
    finally:
        engine.dispose()
    return ChangedArchive(url, path, stored.id, first, second)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Browse:
    """A running ``newscrawl browse`` subprocess (leader of its own process group)."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    tmpdir: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Send ``signum`` to the command only (not its group); return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=STOP_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise

    def kill_group(self) -> None:
        """Last-resort cleanup: SIGKILL whatever is left in the process group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def start_browse(database_url: str, workdir: Path) -> Browse:
    """Start ``python -m newscrawl browse`` on a free port with ``TMPDIR`` inside ``workdir``;
    return once it answers HTTP."""
    port = free_port()
    tmpdir = workdir / "tmp"
    tmpdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "browse.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "browse", "--port", str(port)],
            cwd=REPO_ROOT,
            env={**os.environ, "NEWSCRAWL_DATABASE_URL": database_url, "TMPDIR": str(tmpdir)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    browse = Browse(process, port, log_path, tmpdir)
    deadline = time.monotonic() + STARTUP_LIMIT
    while True:
        try:
            with urllib.request.urlopen(f"{browse.base_url}/-/versions.json", timeout=10):
                return browse
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                browse.kill_group()
                raise AssertionError(f"browse did not start: {browse.log()}") from None
            time.sleep(0.2)


def group_alive(pgid: int) -> bool:
    """Whether any process is left in process group ``pgid``."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def dump_dom(url: str) -> lxml.html.HtmlElement:
    """The DOM Chromium rendered for ``url``, parsed."""
    done = chromium("--dump-dom", url)
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return lxml.html.document_fromstring(done.stdout)


def text_of(element: lxml.html.HtmlElement) -> str:
    """The element's text with whitespace collapsed."""
    return " ".join(element.text_content().split())
