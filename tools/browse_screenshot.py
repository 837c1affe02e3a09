"""The README's screenshot of the seed article in ``newscrawl browse``: docs/browse-article.png.

Usage: ``python -m tools.browse_screenshot [--output docs/browse-article.png]``

Crawls the bundled demo site into a temporary SQLite file (``python -m newscrawl demo``), serves it
with ``python -m newscrawl browse`` on a free port of 127.0.0.1, and has headless Chromium
(Debian's ``/usr/bin/chromium``) capture the seed article's page at 1280x1600. Nothing touches
the network beyond 127.0.0.1; the temporary files and both processes are gone afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "browse-article.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
WINDOW = (1280, 1600)
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"
TIMEOUT = 180  # seconds for any one step; guards against a hang, nothing is timed


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh throw-away profile; return the finished process."""
    profile = tempfile.mkdtemp(prefix="newscrawl-chromium-")
    try:
        return subprocess.run(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(url: str, output: Path, window: tuple[int, int] = WINDOW) -> None:
    """Write Chromium's PNG of ``url`` to ``output``; raise RuntimeError if it made none."""
    output.parent.mkdir(parents=True, exist_ok=True)
    done = chromium(f"--screenshot={output}", f"--window-size={window[0]},{window[1]}", url)
    if done.returncode != 0 or not output.is_file():
        raise RuntimeError(f"chromium made no screenshot of {url}: {done.stderr[-1000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"newscrawl browse did not start ({url})") from None
            time.sleep(0.2)


def seed_article_id(database: Path) -> int:
    """The id of the seed article in a crawled demo database."""
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT id FROM articles WHERE canonical_url LIKE ?", (f"%{SEED_PATH}",)
        ).fetchone()
    finally:
        connection.close()
    if row is None:
        raise RuntimeError(f"the demo crawl stored no seed article ({SEED_PATH})")
    return int(row[0])


def capture(output: Path) -> None:
    """Crawl the demo, serve it with ``newscrawl browse``, screenshot the seed article."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="newscrawl-screenshot-") as folder:
        database = Path(folder) / "news.db"
        env = {**os.environ, "NEWSCRAWL_DATABASE_URL": f"sqlite:///{database}"}
        crawl = subprocess.run(
            [sys.executable, "-m", "newscrawl", "demo"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if crawl.returncode != 0:
            raise RuntimeError(f"newscrawl demo failed: {crawl.stderr[-1000:]}")
        port = _free_port()
        browse = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "browse", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/-/versions.json", browse)
            screenshot(f"{base}/{database.stem}/articles/{seed_article_id(database)}", output)
        finally:
            browse.send_signal(signal.SIGINT)
            try:
                browse.wait(timeout=30)
            except subprocess.TimeoutExpired:
                browse.kill()
                browse.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``--output`` and write the screenshot; 1 with one line on stderr on failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="PNG file to write")
    args = parser.parse_args(argv)
    try:
        capture(args.output)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        print(f"browse_screenshot: {exc}", file=sys.stderr)
        return 1
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
