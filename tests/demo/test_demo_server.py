"""The demo HTTP server on 127.0.0.1: files, directory indexes, content types, __BASE_URL__
substitution, conditional requests, HEAD, path safety, and the command-line process."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from demo_helpers import REPO_ROOT, Fetch, Reply, fetch_from

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR
from newscrawl.demo.server import DemoServer, main, running_server, serve_until_signalled

SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"
IMAGE_PATH = (
    "/wp-content/uploads/2023/10/russias-implications-from-vladimir-putins-visit-to-china.png"
)


def _base(server: DemoServer) -> str:
    return f"http://127.0.0.1:{server.server_port}"


def test_serves_home_page(fetch: Fetch, demo_server: DemoServer) -> None:
    reply: Reply = fetch("/")
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert int(reply.header("Content-Length")) == len(reply.body)
    assert b"WorldMag Demo" in reply.body
    assert reply.body.startswith(b"<!DOCTYPE html>")


def test_directory_url_serves_its_index(fetch: Fetch, demo_server: DemoServer) -> None:
    reply = fetch(SEED_PATH)
    assert reply.status == 200
    committed = (SITE_DIR / SEED_PATH.strip("/") / "index.html").read_bytes()
    assert reply.body == committed.replace(BASE_URL_TOKEN.encode(), _base(demo_server).encode())
    assert "Russia’s implications".encode() in reply.body


def test_directory_without_slash_redirects(fetch: Fetch) -> None:
    reply = fetch(SEED_PATH.rstrip("/") + "?utm=1")
    assert reply.status == 301
    assert reply.header("Location") == SEED_PATH + "?utm=1"


@pytest.mark.parametrize(
    ("target", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/feed/", "application/rss+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/sitemap-posts.xml", "application/xml; charset=utf-8"),
        ("/sitemap-news.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/wp-content/themes/worldmag/style.css", "text/css; charset=utf-8"),
        (IMAGE_PATH, "image/png"),
    ],
)
def test_content_types(fetch: Fetch, target: str, content_type: str) -> None:
    reply = fetch(target)
    assert reply.status == 200
    assert reply.header("Content-Type") == content_type


@pytest.mark.parametrize("target", ["/", SEED_PATH, "/feed/", "/sitemap.xml", "/robots.txt"])
def test_base_url_token_is_replaced(fetch: Fetch, demo_server: DemoServer, target: str) -> None:
    reply = fetch(target)
    assert BASE_URL_TOKEN.encode() not in reply.body
    assert f"{_base(demo_server)}/".encode() in reply.body


def test_substituted_urls_are_the_servers_own(fetch: Fetch, demo_server: DemoServer) -> None:
    robots = fetch("/robots.txt").body.decode()
    assert f"Sitemap: {_base(demo_server)}/sitemap.xml\n" in robots
    page = fetch(SEED_PATH).body.decode()
    assert f'<link rel="canonical" href="{_base(demo_server)}{SEED_PATH}">' in page


def test_base_url_follows_a_valid_host_header(fetch: Fetch, demo_server: DemoServer) -> None:
    port = demo_server.server_port
    robots = fetch("/robots.txt", headers={"Host": f"localhost:{port}"}).body.decode()
    assert f"Sitemap: http://localhost:{port}/sitemap.xml" in robots
    odd = fetch("/robots.txt", headers={"Host": "evil.example/<x>"}).body.decode()
    assert f"Sitemap: {_base(demo_server)}/sitemap.xml" in odd


def test_binary_files_are_served_unchanged(fetch: Fetch) -> None:
    reply = fetch(IMAGE_PATH)
    assert reply.body == (SITE_DIR / IMAGE_PATH.lstrip("/")).read_bytes()


def test_query_string_is_ignored(fetch: Fetch) -> None:
    assert fetch("/?s=China").body == fetch("/").body


def test_etag_and_if_none_match(fetch: Fetch) -> None:
    first = fetch(SEED_PATH)
    etag = first.header("ETag")
    assert etag and etag.startswith('"')
    again = fetch(SEED_PATH, headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.body == b""
    assert again.header("ETag") == etag
    assert fetch(SEED_PATH, headers={"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert fetch(SEED_PATH, headers={"If-None-Match": "*"}).status == 304
    assert fetch(SEED_PATH, headers={"If-None-Match": '"other"'}).status == 200
    assert fetch("/", headers={"If-None-Match": etag}).status == 200


def test_if_modified_since(fetch: Fetch) -> None:
    first = fetch("/feed/")
    last_modified = first.header("Last-Modified")
    mtime = int((SITE_DIR / "feed" / "index.xml").stat().st_mtime)
    assert parsedate_to_datetime(last_modified).timestamp() == mtime
    assert fetch("/feed/", headers={"If-Modified-Since": last_modified}).status == 304
    later = formatdate(mtime + 3600, usegmt=True)
    assert fetch("/feed/", headers={"If-Modified-Since": later}).status == 304
    earlier = formatdate(mtime - 1, usegmt=True)
    assert fetch("/feed/", headers={"If-Modified-Since": earlier}).status == 200
    assert fetch("/feed/", headers={"If-Modified-Since": "not a date"}).status == 200
    # If-None-Match wins over If-Modified-Since
    both = {"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    assert fetch("/feed/", headers=both).status == 200


def test_validators_follow_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    page = root / "index.html"
    page.write_text("<p>one</p>", encoding="utf-8")
    os.utime(page, (1_000_000_000, 1_000_000_000))
    with running_server(root) as server:
        port = server.server_port
        first = fetch_from(port, "/")
        page.write_text("<p>two</p>", encoding="utf-8")
        os.utime(page, (1_000_086_400, 1_000_086_400))
        second = fetch_from(port, "/", headers={"If-None-Match": first.header("ETag")})
        third = fetch_from(port, "/", headers={"If-Modified-Since": first.header("Last-Modified")})
    assert second.status == 200 and second.body == b"<p>two</p>"
    assert second.header("ETag") != first.header("ETag")
    assert third.status == 200


def test_head_has_get_headers_and_no_body(fetch: Fetch) -> None:
    get, head = fetch(SEED_PATH), fetch(SEED_PATH, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head.header(name) == get.header(name)
    assert fetch(
        SEED_PATH, method="HEAD", headers={"If-None-Match": get.header("ETag")}
    ).status == (304)


def test_other_methods_are_not_allowed(fetch: Fetch) -> None:
    reply = fetch("/contact/", method="POST")
    assert reply.status == 405
    assert reply.header("Allow") == "GET, HEAD"


def test_unknown_path_gets_the_404_page(fetch: Fetch) -> None:
    reply = fetch("/2099/01/01/no-such-story/")
    assert reply.status == 404
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert "Oops! That page can’t be found.".encode() in reply.body
    assert fetch("/wp-admin/").status == 404


@pytest.mark.parametrize("target", ["/2023/", "/wp-content/uploads/", "/category/"])
def test_no_directory_listings(fetch: Fetch, target: str) -> None:
    reply = fetch(target)
    assert reply.status == 404
    assert b"Directory listing" not in reply.body


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A server whose root has a secret file next to it and a symlink pointing out of it."""
    outside = tmp_path_factory.mktemp("guarded")
    root = outside / "site"
    shutil.copytree(SITE_DIR, root, ignore=shutil.ignore_patterns("20*", "tag", "author"))
    (outside / "secret.txt").write_text("TOP-SECRET", encoding="utf-8")
    (root / ".hidden").write_text("TOP-SECRET", encoding="utf-8")
    (root / "escape").symlink_to(outside)
    with running_server(root) as server:
        yield server


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/feed/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/escape/secret.txt",
        "/escape/",
        "/.hidden",
        "/robots.txt%00.html",
        "/%ff%fe",
    ],
)
def test_paths_cannot_escape_the_root(guarded_server: DemoServer, target: str) -> None:
    reply = fetch_from(guarded_server.server_port, target)
    assert reply.status == 404
    assert b"TOP-SECRET" not in reply.body


def test_requests_are_served_concurrently(demo_server: DemoServer, fetch: Fetch) -> None:
    with socket.create_connection(("127.0.0.1", demo_server.server_port)) as stalled:
        stalled.sendall(b"GET / HTTP/1.1\r\n")  # never finished: a single-threaded server blocks
        assert fetch("/robots.txt").status == 200


def test_main_reports_a_missing_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path / "missing")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "missing" in captured.err


def test_main_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--port", str(taken.getsockname()[1])]) == 1
    assert "cannot serve" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_command_line_server_announces_serves_and_stops_cleanly(
    stop_signal: signal.Signals,
) -> None:
    command = [sys.executable, "-m", "newscrawl.demo.server", "--port", "0"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"serving http://127\.0\.0\.1:(\d+)/\n", line)
        assert match, line
        port = int(match.group(1))
        home = fetch_from(port, "/")
        robots = fetch_from(port, "/robots.txt").body.decode()
        proc.send_signal(stop_signal)
        returncode = proc.wait(timeout=60)
        rest, errors = proc.stdout.read(), proc.stderr.read()
    assert home.status == 200
    assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots
    assert returncode == 0, errors
    assert rest == ""
    assert "Traceback" not in errors


class _SignalledWhileDispatching(DemoServer):
    """A demo server that receives SIGTERM while it hands a request to its worker thread."""

    def process_request(self, request: Any, client_address: Any) -> None:
        signal.raise_signal(signal.SIGTERM)
        super().process_request(request, client_address)


def test_a_signal_while_dispatching_a_request_still_stops_the_server() -> None:
    """socketserver swallows an Exception raised while it dispatches a request; the stop must not
    be one, or a signal arriving at that moment leaves the server running."""
    server = _SignalledWhileDispatching(SITE_DIR)
    stopped = threading.Event()
    watchdog_stopped_it = threading.Event()

    def request_then_watch() -> None:
        with contextlib.suppress(OSError):
            fetch_from(server.server_port, "/robots.txt")
        if not stopped.wait(timeout=10):
            watchdog_stopped_it.set()
            server.shutdown()

    watcher = threading.Thread(target=request_then_watch, daemon=True)
    watcher.start()
    serve_until_signalled(server)
    stopped.set()
    watcher.join()
    assert not watchdog_stopped_it.is_set()
