"""A fault-injecting HTTP server on 127.0.0.1 for crawl tests: real sockets, scripted misbehaviour.

``http.server`` always answers politely; this server writes raw bytes so that a reply can also hang,
reset the connection mid-body, stop short of its ``Content-Length``, or drip its body slowly.

Each path maps to a :data:`Route`: the :class:`Reply` for the first request of that path, the
second, ... (the last one repeats), so "503 twice, then the article" is
``(Reply(503), Reply(503), Reply(200, body))``. Every request is recorded with its ``Host``
header, the attempt number, what was done and whether the whole reply was written::

    with running_server(lambda path: ROUTES.get(path)) as server:
        server.url            # "http://127.0.0.1:PORT/"
        server.requests()     # [RequestRecord(path="/", host="127.0.0.1:PORT", ...), ...]

One connection carries one request (``Connection: close``). Unknown paths get a small 404 page.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

HOST = "127.0.0.1"
MAX_HANG_SECONDS = 60.0  # a hanging reply gives up after this even if the client stays
_MAX_REQUEST_HEAD = 64 * 1024
_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class Action(StrEnum):
    """How a reply is written."""

    SEND = "send"  # status, headers and the whole body
    HANG = "hang"  # nothing at all, until the client gives up
    RESET = "reset"  # headers and half the body, then a TCP reset
    TRUNCATE = "truncate"  # headers (full Content-Length) and half the body, then a clean close
    DRIP = "drip"  # headers, then the body ``drip_bytes`` at a time every ``drip_interval``


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted response. ``article`` names the article this reply serves correctly (when
    the whole reply is written); ``content_length=False`` ends the body by closing instead."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    action: Action = Action.SEND
    drip_bytes: int = 256
    drip_interval: float = 0.05
    content_length: bool = True
    article: str | None = None


Route = tuple[Reply, ...]
Resolver = Callable[[str], Route | None]


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as received, and what was done with it."""

    method: str
    path: str  # path and query, as sent
    host: str | None  # the Host header
    attempt: int  # 1 for the first request of this path
    status: int | None  # None when no status line was written
    action: Action
    article: str | None  # the article the reply carried, if any
    completed: bool  # the whole reply was written
    received_at: float = 0.0  # time.monotonic() when the request head was read


def not_found() -> Route:
    """A small 404 page."""
    return (Reply(404, b"<html><body><h1>Not found</h1></body></html>"),)


@dataclass(eq=False)
class FaultServer:
    """The server: a listening socket, an accept thread and one thread per connection."""

    resolve: Resolver
    _socket: socket.socket = field(init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _attempts: dict[str, int] = field(default_factory=dict, repr=False)
    _records: list[RequestRecord] = field(default_factory=list, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)
    _connections: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((HOST, 0))
        self._socket.listen(128)
        self._socket.settimeout(0.1)
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}/"

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        """Accept connections in a background thread."""
        thread = threading.Thread(target=self._accept_loop, name=f"fault-{self.port}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop accepting, wake every hanging or dripping reply, and wait for the threads."""
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=5)
        self._socket.close()

    # --- what happened ----------------------------------------------------------------------------

    def requests(self) -> list[RequestRecord]:
        """Every request received so far, in arrival order (completed or not)."""
        with self._lock:
            return list(self._records)

    def connections(self) -> int:
        """Connections accepted so far, including those that never sent a request (TLS, junk)."""
        with self._lock:
            return self._connections

    def served_articles(self) -> set[str]:
        """The articles whose reply was written completely at least once."""
        return {r.article for r in self.requests() if r.article is not None and r.completed}

    # --- serving ----------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            thread.start()
            with self._lock:
                self._connections += 1
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)

    def _serve(self, connection: socket.socket) -> None:
        with contextlib.closing(connection):
            connection.settimeout(10)
            head = _read_head(connection)
            if head is None:
                return
            method, path, host = head
            with self._lock:
                attempt = self._attempts.get(path, 0) + 1
                self._attempts[path] = attempt
            route = self.resolve(path) or not_found()
            reply = route[min(attempt, len(route)) - 1]
            completed = self._write(connection, reply)
            record = RequestRecord(
                method=method,
                path=path,
                host=host,
                attempt=attempt,
                status=None if reply.action is Action.HANG else reply.status,
                action=reply.action,
                article=reply.article,
                received_at=time.monotonic(),
                completed=completed,
            )
            with self._lock:
                self._records.append(record)

    def _write(self, connection: socket.socket, reply: Reply) -> bool:
        """Write ``reply`` as scripted; True when it was written completely."""
        try:
            if reply.action is Action.HANG:
                self._wait_for_client_to_leave(connection, MAX_HANG_SECONDS)
                return False
            connection.sendall(_head(reply))
            if reply.action is Action.SEND:
                connection.sendall(reply.body)
                connection.shutdown(socket.SHUT_WR)
                return True
            if reply.action is Action.DRIP:
                return self._drip(connection, reply)
            connection.sendall(reply.body[: len(reply.body) // 2])
            if reply.action is Action.RESET:
                # SO_LINGER 0: close() sends a RST instead of a FIN
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        except OSError:
            return False

    def _drip(self, connection: socket.socket, reply: Reply) -> bool:
        body = reply.body
        for start in range(0, len(body), reply.drip_bytes):
            if self._stop.wait(reply.drip_interval):
                return False
            connection.sendall(body[start : start + reply.drip_bytes])
        connection.shutdown(socket.SHUT_WR)
        return True

    def _wait_for_client_to_leave(self, connection: socket.socket, limit: float) -> None:
        deadline = time.monotonic() + limit
        while not self._stop.is_set() and time.monotonic() < deadline:
            readable, _, _ = select.select([connection], [], [], 0.1)
            if readable and not connection.recv(4096):
                return  # the client closed the connection


def _read_head(connection: socket.socket) -> tuple[str, str, str | None] | None:
    """Method, target and Host header of the request; None if the client sent no request."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(4096)
            if not chunk or len(data) > _MAX_REQUEST_HEAD:
                return None
            data += chunk
    except OSError:
        return None
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None
    host = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "host":
            host = value.strip()
    return parts[0], parts[1], host


def _head(reply: Reply) -> bytes:
    lines = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}"]
    if reply.content_type is not None:
        lines.append(f"Content-Type: {reply.content_type}")
    if reply.content_length:
        lines.append(f"Content-Length: {len(reply.body)}")
    lines += [f"{name}: {value}" for name, value in reply.headers]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@contextlib.contextmanager
def running_server(resolve: Resolver) -> Iterator[FaultServer]:
    """A started :class:`FaultServer` answering with ``resolve(path)``; stopped on exit."""
    server = FaultServer(resolve)
    server.start()
    try:
        yield server
    finally:
        server.stop()
