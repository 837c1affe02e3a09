"""A small threaded static HTTP server for the demo site, bound to 127.0.0.1.

* ``/dir/`` serves ``dir/index.html`` (or ``dir/index.xml``); ``/dir`` redirects to ``/dir/``;
  there are no directory listings, and no path can escape the root (``..``, encoded variants,
  backslashes, NUL bytes and hidden files all answer 404). The query string is ignored.
* Content types by extension, with ``; charset=utf-8`` for text: HTML ``text/html``,
  ``feed/index.xml`` ``application/rss+xml``, other XML (sitemaps) ``application/xml``,
  robots.txt ``text/plain``.
* In text responses the literal token ``__BASE_URL__`` is replaced by the request's own base URL:
  ``http://`` + the Host header, or ``http://127.0.0.1:PORT`` when that header is missing or odd.
* ``ETag`` (a hash of the bytes served) and ``Last-Modified`` (the file's mtime) on every file;
  GET and HEAD answer 304 to a matching ``If-None-Match`` or, when that header is absent, to an
  ``If-Modified-Since`` at or after the file's mtime.
* GET and HEAD only (other methods: 405). Unknown paths: 404 with the site's ``404.html``.
* Request logging goes to this module's logger at DEBUG, so the server is quiet by default.

Command line: ``python -m newscrawl.demo.server [--port P] [--root DIR]`` (port 0 picks a free
one) prints exactly one line, ``serving http://127.0.0.1:PORT/``, once it is listening, then
serves until SIGTERM or SIGINT and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import re
import signal
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
INDEX_FILES: tuple[str, ...] = ("index.html", "index.xml")
NOT_FOUND_PAGE = "404.html"
FEED_DIR_NAME = "feed"
RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
ALLOWED_METHODS = "GET, HEAD"
_HOST_HEADER_RE = re.compile(r"^[A-Za-z0-9.-]+(?::\d{1,5})?$")
_TOKEN = BASE_URL_TOKEN.encode("ascii")
_FALLBACK_404 = b"<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"


def content_type_for(file: Path) -> str:
    """The Content-Type for ``file``: by extension; ``index.xml`` inside ``feed/`` is RSS."""
    if file.name == "index.xml" and file.parent.name == FEED_DIR_NAME:
        return RSS_CONTENT_TYPE
    return CONTENT_TYPES.get(file.suffix.lower(), DEFAULT_CONTENT_TYPE)


def is_text_type(content_type: str) -> bool:
    """True for types whose body gets ``__BASE_URL__`` replaced (the ones with a charset)."""
    return "charset=" in content_type


def resolve_request_path(root: Path, target: str) -> tuple[Path | None, str | None]:
    """Map a request target to ``(file, None)``, ``(None, redirect_location)`` or ``(None, None)``.

    ``root`` must be resolved. The result file is always inside ``root``; anything that could
    leave it (``..`` or ``.`` segments, also percent-encoded; backslashes; NUL; hidden names;
    symlinks pointing outside) maps to ``(None, None)``, i.e. 404. A directory without a
    trailing slash redirects to the slashed URL; a directory serves its index file, never a
    listing.
    """
    parts = urlsplit(target)
    raw_path = parts.path or "/"
    if not raw_path.startswith("/"):
        return None, None
    try:
        decoded = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None, None
    if "\\" in decoded or "\x00" in decoded:
        return None, None
    segments = [s for s in decoded.split("/") if s]
    if any(s.startswith(".") for s in segments):
        return None, None
    candidate = root.joinpath(*segments)
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):
        return None, None
    if not real.is_relative_to(root):
        return None, None
    if real.is_dir():
        if not raw_path.endswith("/"):
            location = raw_path + "/" + (f"?{parts.query}" if parts.query else "")
            return None, location
        for name in INDEX_FILES:
            index = real / name
            if index.is_file():
                return index, None
        return None, None
    if real.is_file() and not raw_path.endswith("/"):
        return real, None
    return None, None


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, mtime: int
) -> bool:
    """True when the conditional headers let the server answer 304.

    ``If-None-Match`` (weak comparison, ``*`` matches) takes precedence; only without it is
    ``If-Modified-Since`` compared, at one-second resolution, with the file's mtime.
    """
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return mtime <= since.timestamp()
    return False


class DemoRequestHandler(BaseHTTPRequestHandler):
    """Serves files under the server's root; see the module docstring for the rules."""

    server_version = "WorldMagDemo/1.0"

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    @property
    def demo_server(self) -> DemoServer:
        """The server, typed."""
        return cast(DemoServer, self.server)

    def do_GET(self) -> None:
        """Serve a file, its index, a redirect or the 404 page."""
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        """Like GET, without the body."""
        self._respond(with_body=False)

    def _method_not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", ALLOWED_METHODS)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    def base_url(self) -> str:
        """``http://`` + a well-formed Host header, else the server's own address."""
        host = self.headers.get("Host", "")
        if _HOST_HEADER_RE.match(host):
            return f"http://{host}"
        return f"http://{HOST}:{self.demo_server.server_port}"

    def _body_for(self, file: Path) -> tuple[bytes, str]:
        content_type = content_type_for(file)
        data = file.read_bytes()
        if is_text_type(content_type):
            data = data.replace(_TOKEN, self.base_url().encode("ascii"))
        return data, content_type

    def _respond(self, *, with_body: bool) -> None:
        file, redirect = resolve_request_path(self.demo_server.root, self.path)
        if redirect is not None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file is None:
            self._not_found(with_body=with_body)
            return
        try:
            data, content_type = self._body_for(file)
            mtime = int(file.stat().st_mtime)
        except OSError:
            self._not_found(with_body=with_body)
            return
        etag = _etag(data)
        last_modified = formatdate(mtime, usegmt=True)
        if not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, mtime
        ):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _not_found(self, *, with_body: bool) -> None:
        page = self.demo_server.root / NOT_FOUND_PAGE
        data = self._body_for(page)[0] if page.is_file() else _FALLBACK_404
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Request and error lines go to the module logger at DEBUG."""
        logger.debug("%s %s", self.address_string(), format % args)


class DemoServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 serving the files under ``root``."""

    daemon_threads = True

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = root.resolve()
        super().__init__((HOST, port), DemoRequestHandler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse-DNS lookup of the address."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-response is not an error worth a traceback."""
        logger.debug("error while serving %s: %s", client_address, sys.exc_info()[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://{HOST}:{self.server_port}/"


def make_server(root: Path, port: int = 0) -> DemoServer:
    """A bound, not yet serving, server for the site in ``root`` (port 0: any free port).

    Raises NotADirectoryError if ``root`` is not a directory, OSError if the port is taken.
    """
    if not root.is_dir():
        raise NotADirectoryError(f"site root is not a directory: {root}")
    return DemoServer(root, port)


@contextlib.contextmanager
def running_server(root: Path, port: int = 0) -> Iterator[DemoServer]:
    """Serve ``root`` from a background thread for the duration of the ``with`` block."""
    server = make_server(root, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="demo-server", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _StopServing(BaseException):
    """Raised by the signal handler to leave ``serve_forever``.

    A BaseException, like KeyboardInterrupt: socketserver swallows any Exception raised while it
    dispatches a request, so a signal arriving at that moment would leave the server running.
    """


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopServing(signum)


def serve_until_signalled(
    server: DemoServer, on_ready: Callable[[str], None] | None = None
) -> None:
    """Serve in the calling (main) thread until SIGTERM or SIGINT, then close the server.

    ``on_ready(url)`` is called once the server is listening, before serving starts.
    """
    stop_signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, _raise_stop) for sig in stop_signals}
    try:
        if on_ready is not None:
            on_ready(server.url)
        server.serve_forever()
    except _StopServing as stop:
        logger.debug("stopping on signal %s", stop.args[0])
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(root: Path = SITE_DIR, port: int = 0) -> None:
    """Serve ``root`` on 127.0.0.1:``port`` until SIGTERM or SIGINT (blocking, main thread)."""
    serve_until_signalled(make_server(root, port))


def _announce(url: str) -> None:
    print(f"serving {url}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newscrawl.demo.server [--port P] [--root DIR]``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m newscrawl.demo.server", description="Serve the demo news site."
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--root", type=Path, default=SITE_DIR, help="site directory")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.root, args.port)
    except OSError as exc:
        print(f"error: cannot serve {args.root} on port {args.port}: {exc}", file=sys.stderr)
        return 1
    serve_until_signalled(server, on_ready=_announce)
    return 0


if __name__ == "__main__":
    sys.exit(main())
