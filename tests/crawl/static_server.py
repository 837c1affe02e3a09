"""A static file server on 127.0.0.1 for crawl tests, run as a subprocess.

Run directly it serves a directory on a free port, prints its base URL (``http://127.0.0.1:PORT/``)
as the first line on stdout, and appends one JSON line per request (method, path, Host header,
User-Agent, status) to the ``--log`` file::

    python tests/crawl/static_server.py SITE_DIR --log requests.jsonl

From a test, use the context manager (files may be written after it starts, e.g. sitemaps that
need the server's URL)::

    with serve_directory(tmp_path / "site") as server:
        server.url            # "http://127.0.0.1:PORT/"
        server.requests()     # [{"method": "GET", "path": "/", "host": ..., ...}, ...]

Content types come from file extensions; files without an extension are served as
``application/octet-stream``. A ``.gz`` file is served as-is (``application/gzip``, no
``Content-Encoding``), like a ``sitemap.xml.gz`` on a real site.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True)
class StaticServer:
    """A running server: its base URL and the file its requests are logged to."""

    url: str
    request_log: Path

    def requests(self) -> list[dict[str, Any]]:
        """Every request served so far, in arrival order."""
        if not self.request_log.exists():
            return []
        lines = self.request_log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def paths(self) -> list[str]:
        """The request paths (with query strings) served so far."""
        return [entry["path"] for entry in self.requests()]


@contextlib.contextmanager
def serve_directory(root: Path, request_log: Path | None = None) -> Iterator[StaticServer]:
    """Serve ``root`` from a subprocess on 127.0.0.1 (free port) until the block exits."""
    with contextlib.ExitStack() as stack:
        if request_log is None:
            log_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="static-server-"))
            request_log = Path(log_dir) / "requests.jsonl"
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(root), "--log", str(request_log)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            if not url.startswith("http://127.0.0.1:"):
                raise RuntimeError(f"static server did not start (printed {url!r})")
            yield StaticServer(url=url, request_log=request_log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


class _LoggingHandler(SimpleHTTPRequestHandler):
    """Serves files and appends each request to the log as one JSON line."""

    log_path: Path
    log_lock = threading.Lock()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        entry = {
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "user_agent": self.headers.get("User-Agent"),
            "status": int(code) if str(code).isdigit() else None,
        }
        with self.log_lock, self.log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log; requests go to the JSON log."""


def main(argv: list[str] | None = None) -> None:
    """Serve a directory until terminated; print the base URL first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines request log")
    args = parser.parse_args(argv)
    handler = type("Handler", (_LoggingHandler,), {"log_path": args.log})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(args.root))
    )
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
