"""Helpers for the recurring-crawl tests: real crawl and CLI subprocesses, a demo server that
records every request and can hold chosen paths until the test releases them.

Nothing here is mocked: the server is the demo site's own HTTP server class (a subclass adds the
recording and the gates), crawls are real ``scrapy crawl`` processes, databases real SQLite files.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.demo.server import HOST, DemoRequestHandler, DemoServer

REPO_ROOT = Path(__file__).resolve().parents[2]
# The server is the test's own, on 127.0.0.1: no politeness delays.
FAST_LOCAL: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "DEBUG",
}
WAIT_LIMIT = 90.0  # seconds any wait_for may take before the test fails
_CRAWLED_RE = re.compile(r"Crawled \((\d{3})\) <GET (\S+)>")


@dataclass(frozen=True, slots=True)
class Completed:
    """Exit status and combined output of a finished subprocess."""

    returncode: int
    log: str

    def fetched(self) -> dict[str, int]:
        """URL -> status of every response the crawl logged (``Crawled (200) <GET url>``)."""
        return {url: int(status) for status, url in _CRAWLED_RE.findall(self.log)}


def setting_args(settings: Mapping[str, Any]) -> list[str]:
    """``-s KEY=VALUE`` arguments (non-strings as JSON)."""
    args: list[str] = []
    for key, value in settings.items():
        args += ["-s", f"{key}={value if isinstance(value, str) else json.dumps(value)}"]
    return args


def crawl_command(
    spider_args: Sequence[str], settings: Mapping[str, Any] | None = None
) -> list[str]:
    """``python -m scrapy crawl news -a ARG ... -s KEY=VALUE ...`` with FAST_LOCAL settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    for arg in spider_args:
        command += ["-a", arg]
    return command + setting_args({**FAST_LOCAL, **(settings or {})})


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The test process's environment with the database (and ``extra``) set."""
    return {**os.environ, "NEWSCRAWL_DATABASE_URL": database_url, **extra}


def run_crawl(
    spider_args: Sequence[str],
    database_url: str,
    settings: Mapping[str, Any] | None = None,
    timeout: float = 180,
) -> Completed:
    """Run one ``scrapy crawl news`` to the end from the repository root."""
    done = subprocess.run(
        crawl_command(spider_args, settings),
        cwd=REPO_ROOT,
        env=child_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Completed(done.returncode, done.stdout + done.stderr)


def newscrawl_command(*args: str) -> list[str]:
    """``python -m newscrawl ARGS``."""
    return [sys.executable, "-m", "newscrawl", *args]


def run_newscrawl(database_url: str, *args: str, timeout: float = 180, **env: str) -> Completed:
    """Run ``python -m newscrawl ARGS`` to the end from the repository root."""
    done = subprocess.run(
        newscrawl_command(*args),
        cwd=REPO_ROOT,
        env=child_env(database_url, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Completed(done.returncode, done.stdout + done.stderr)


def start_newscrawl(database_url: str, *args: str, log: Path, **env: str) -> subprocess.Popen[str]:
    """Start ``python -m newscrawl ARGS`` in the background, output to ``log``."""
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            newscrawl_command(*args),
            cwd=REPO_ROOT,
            env=child_env(database_url, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


def wait_for(condition: Callable[[], Any], what: str, limit: float = WAIT_LIMIT) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


# --- a demo server that records requests and can hold paths -----------------------------------


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class RecordingHandler(DemoRequestHandler):
    """The demo handler, recording each request and waiting at the server's gates first."""

    def do_GET(self) -> None:
        """Record, wait while the path is gated, then serve as the demo server does."""
        server = self.server
        assert isinstance(server, RecordingServer)
        server.arrived(self.path, dict(self.headers.items()))
        super().do_GET()


class RecordingServer(DemoServer):
    """The demo server (same files, same rules) plus a request log and gates."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.seen: list[SeenRequest] = []
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        ThreadingHTTPServer.__init__(self, (HOST, 0), RecordingHandler)

    def gate(self, path: str) -> threading.Event:
        """Hold requests for ``path`` until the returned event is set."""
        event = threading.Event()
        with self._lock:
            self._gates[path] = event
        return event

    def arrived(self, target: str, headers: dict[str, str]) -> None:
        path = urlsplit(target).path
        with self._lock:
            self.seen.append(SeenRequest(path, headers))
            gate = self._gates.get(path)
        if gate is not None:
            gate.wait(timeout=WAIT_LIMIT)

    def paths(self) -> list[str]:
        """Every requested path so far, in order."""
        with self._lock:
            return [request.path for request in self.seen]

    def release_all(self) -> None:
        with self._lock:
            gates = list(self._gates.values())
        for gate in gates:
            gate.set()


@contextlib.contextmanager
def recording_server(root: Path) -> Iterator[RecordingServer]:
    """Serve ``root`` with a RecordingServer from a background thread."""
    server = RecordingServer(root)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.release_all()
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def demo_serve(root: Path) -> Iterator[str]:
    """``python -m newscrawl demo serve --root ROOT --port 0`` as a subprocess; yields its URL."""
    process = subprocess.Popen(
        newscrawl_command("demo", "serve", "--root", str(root), "--port", "0"),
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("serving http://127.0.0.1:"), line
        yield line.removeprefix("serving ")
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
