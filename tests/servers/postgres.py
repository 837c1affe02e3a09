"""Session fixtures for a real postgres server on 127.0.0.1 (see tests/servers/__init__.py).

``postgres_server``: a PostgreSQL 15 cluster made by ``initdb`` in a temporary directory (as the
``postgres`` user when the tests run as root), listening on 127.0.0.1 on a free port with its
socket in that directory, tuned for speed (no fsync), stopped and deleted at the end of the
session. ``postgres_url`` / ``postgres_url_factory``: fresh databases copied (``CREATE DATABASE
.. TEMPLATE``) from one database migrated to head by Alembic once per session, dropped after the
test. URLs look like ``postgresql+psycopg://postgres@127.0.0.1:PORT/NAME``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import service_unavailable

PG_VERSION = "15"
TEMPLATE_DATABASE = "newscrawl_template"
START_TIMEOUT_S = 60
# Durability off: the cluster is thrown away after the session.
SPEED_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


def find_pg_bin() -> Path | None:
    """The ``bin`` directory of PostgreSQL 15 (Debian layout, or on PATH), or None."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"{PG_VERSION}*/bin")):
        if (candidate / "initdb").is_file():
            return candidate
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway PostgreSQL cluster; :meth:`url` builds SQLAlchemy URLs for it."""

    port: int
    directory: Path
    bin_dir: Path
    run_as: list[str]
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, database: str = "postgres") -> str:
        """``postgresql+psycopg://postgres@127.0.0.1:PORT/<database>``."""
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement (autocommit) as superuser in the ``postgres`` database."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def create_database(self, template: str | None = None, prefix: str = "test") -> str:
        """Create a new empty database (or a copy of ``template``); return its name."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        clause = f" TEMPLATE {template}" if template else ""
        for attempt in range(50):
            try:
                self.execute(f"CREATE DATABASE {name}{clause}")
                return name
            except Exception as exc:  # the template is briefly in use by another copy
                if "being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        raise AssertionError("unreachable")

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever still uses it."""
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _start(bin_dir: Path) -> PostgresServer:
    directory = Path(tempfile.mkdtemp(prefix="newscrawl-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
        shutil.chown(directory, user="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    initdb = subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if initdb.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        service_unavailable(f"initdb failed: {initdb.stderr.strip()[-500:]}")
    for attempt in range(5):
        port = free_port()
        options = {
            **SPEED_SETTINGS,
            "listen_addresses": "127.0.0.1",
            "port": str(port),
            "unix_socket_directories": str(directory),
        }
        option_text = " ".join(f"-c {key}={value}" for key, value in options.items())
        start = subprocess.run(
            [
                *run_as,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(directory / "log"),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-o",
                option_text,
                "start",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if start.returncode == 0:
            return PostgresServer(port, directory, bin_dir, run_as)
        if attempt == 4:
            log = (directory / "log").read_text(errors="replace")[-1000:]
            shutil.rmtree(directory, ignore_errors=True)
            service_unavailable(f"PostgreSQL did not start: {start.stderr.strip()} {log}")
    raise AssertionError("unreachable")


def _stop(server: PostgresServer) -> None:
    subprocess.run(
        [
            *server.run_as,
            str(server.bin_dir / "pg_ctl"),
            "-D",
            str(server.directory / "data"),
            "-m",
            "immediate",
            "-w",
            "stop",
        ],
        capture_output=True,
        check=False,
    )
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL 15 server for the whole session (skipped/failed when unavailable)."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        service_unavailable("PostgreSQL 15 is not installed (no initdb)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        service_unavailable("psycopg is not installed")
    server = _start(bin_dir)
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """Name of a database migrated to head by Alembic once per session (copy it, never use it)."""
    from newscrawl.storage import migrate

    name = postgres_server.create_database(prefix=TEMPLATE_DATABASE)
    migrate(postgres_server.url(name))
    return name


@pytest.fixture
def postgres_url_factory(
    postgres_server: PostgresServer, postgres_template: str
) -> Iterator[Callable[..., str]]:
    """``make(migrated=True)``: the URL of a new database, at head unless ``migrated=False``;
    every database made is dropped after the test."""
    made: list[str] = []

    def make(*, migrated: bool = True) -> str:
        name = postgres_server.create_database(postgres_template if migrated else None)
        made.append(name)
        return postgres_server.url(name)

    yield make
    for name in made:
        postgres_server.drop_database(name)


@pytest.fixture
def postgres_url(postgres_url_factory: Callable[..., str]) -> str:
    """URL of a fresh PostgreSQL database migrated to head (dropped after the test)."""
    return postgres_url_factory()
