"""Session fixtures for a real scrapyd server on 127.0.0.1 (see tests/servers/__init__.py).

``scrapyd_egg`` builds the project's egg once with ``scrapyd-deploy --build-egg`` (in a copy of
the sources, so the working tree gets no build files). ``scrapyd_node`` is a Scrapyd in a
temporary directory with its own ``scrapyd.conf`` on a free port, the egg deployed to it with
``scrapyd-deploy``; ``bare_scrapyd_node`` has nothing deployed, so it refuses every job. Jobs
run the checkout's code (``PYTHONPATH``), as on a node where the package is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import service_unavailable
from tests.servers.redis import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 30.0
_SOURCES = ("newscrawl", "migrations", "setup.py", "pyproject.toml", "README.md")


@dataclass
class ScrapydServer:
    """One scrapyd process on 127.0.0.1:``port`` running in ``directory``."""

    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Write scrapyd.conf, start scrapyd and wait for ``daemonstatus.json``."""
        (self.directory / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"bind_address = 127.0.0.1\nhttp_port = {self.port}\n"
            "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n"
            "poll_interval = 0.2\nmax_proc = 4\njobs_to_keep = 50\n"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        env.pop("NEWSCRAWL_DATABASE_URL", None)
        with (self.directory / "scrapyd.out").open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "scrapyd"), "--pidfile=", "--nodaemon"],
                cwd=self.directory,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/daemonstatus.json", timeout=2) as r:
                    if json.loads(r.read())["status"] == "ok":
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"scrapyd did not start: see {self.directory / 'scrapyd.out'}")

    def stop(self) -> None:
        """Stop scrapyd and the crawls it runs (its process group), SIGKILL after 10 s."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.process = None

    def kill(self) -> None:
        """SIGKILL scrapyd and its crawls at once (a node that disappears)."""
        if self.process is None:
            return
        os.killpg(self.process.pid, 9)
        self.process.wait()
        self.process = None


def _start(directory: Path) -> ScrapydServer:
    if not (BIN / "scrapyd").exists():
        service_unavailable("scrapyd is not installed (pip install scrapyd, requirements-dev.txt)")
    server = ScrapydServer(directory, free_port())
    try:
        server.start()
    except (OSError, RuntimeError) as exc:
        service_unavailable(f"scrapyd could not start: {exc}")
    return server


@pytest.fixture(scope="session")
def scrapyd_egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's egg, built by ``scrapyd-deploy --build-egg`` from a copy of the sources."""
    if not (BIN / "scrapyd-deploy").exists():
        service_unavailable("scrapyd-deploy is not installed (scrapyd-client)")
    work = tmp_path_factory.mktemp("egg")
    source = work / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*_SOURCES, "scrapy.cfg"):
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    egg = work / "newscrawl.egg"
    completed = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not egg.exists():
        pytest.fail(f"scrapyd-deploy --build-egg failed:\n{completed.stdout}{completed.stderr}")
    return egg


def deploy(server: ScrapydServer, egg: Path) -> None:
    """Send ``egg`` to ``server`` with ``scrapyd-deploy TARGET --egg EGG``."""
    directory = server.directory / "deploy"
    directory.mkdir(exist_ok=True)
    (directory / "scrapy.cfg").write_text(
        "[settings]\ndefault = newscrawl.settings\n\n"
        f"[deploy:node]\nurl = {server.url}/\nproject = newscrawl\n"
    )
    completed = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "node", "-p", "newscrawl", "--egg", str(egg)],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or '"status": "ok"' not in completed.stdout + completed.stderr:
        pytest.fail(f"scrapyd-deploy failed:\n{completed.stdout}{completed.stderr}")


@pytest.fixture(scope="session")
def scrapyd_node(
    tmp_path_factory: pytest.TempPathFactory, scrapyd_egg: Path
) -> Iterator[ScrapydServer]:
    """A Scrapyd node with newscrawl deployed."""
    server = _start(tmp_path_factory.mktemp("scrapyd"))
    try:
        deploy(server, scrapyd_egg)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bare_scrapyd_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScrapydServer]:
    """A Scrapyd node with nothing deployed: it refuses every newscrawl job."""
    server = _start(tmp_path_factory.mktemp("scrapyd-bare"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def spare_scrapyd_node(tmp_path: Path, scrapyd_egg: Path) -> Iterator[ScrapydServer]:
    """A Scrapyd node of this test's own (newscrawl deployed), which the test may kill."""
    directory = tmp_path / "scrapyd-spare"
    directory.mkdir()
    server = _start(directory)
    try:
        deploy(server, scrapyd_egg)
        yield server
    finally:
        server.stop()
