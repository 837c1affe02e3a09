"""``pip install`` of the package into a fresh virtualenv, then the ``newscrawl`` command and the
Python API from an empty folder outside the repository.

No network: the wheel is built from a copy of the sources with the setuptools of the test
environment (``--no-build-isolation``) and installed with ``--no-deps``; the fresh venv sees the
test environment's packages (scrapy, sqlalchemy, ...) through a ``.pth`` file, after its own.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import DemoServer, running_server
from newscrawl.sites import ad_hoc_site_name

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "newscrawl", "migrations")
SEED_HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"
TIMEOUT = 600  # seconds; only guards against a hung process
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")  # fmt: skip


@dataclass(frozen=True)
class Installed:
    venv: Path
    folder: Path  # an empty folder outside the repository

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("NEWSCRAWL_", "SCRAPY_", "PYTHON", "VIRTUAL_ENV"))
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run(
            list(command), cwd=self.folder, env={**env, "PYTHONIOENCODING": "utf-8"},
            capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False,
        )  # fmt: skip


def _run(*command: str | Path, cwd: Path) -> None:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("package")
    source = tmp / "source"
    for name in SOURCES:
        origin = REPO_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    dist = tmp / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", dist, source, cwd=tmp)  # fmt: skip
    (wheel,) = dist.glob("newscrawl-*.whl")
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp)
    (site_packages,) = (venv / "lib").glob("python3*/site-packages")
    (site_packages / "test-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    _run(venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel,
         cwd=tmp)  # fmt: skip
    folder = tmp / "anywhere"
    folder.mkdir()
    return Installed(venv, folder)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with running_server(SITE_DIR) as served:
        yield served


def _count(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT s.name, count(a.id) FROM sites s JOIN articles a ON a.site_id = s.id "
            "GROUP BY s.name"
        ).fetchall()
    return dict(rows)


def test_the_installed_package_is_used_and_ships_its_data(installed: Installed) -> None:
    probe = installed.run(
        "python", "-c",
        "import newscrawl, newscrawl.demo as d, newscrawl.storage.engine as e; "
        "print(newscrawl.__file__); print(d.SITE_DIR); print(e.MIGRATIONS_DIR)",
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    package, site_dir, migrations = (Path(line) for line in probe.stdout.splitlines())
    assert package.is_relative_to(installed.venv)
    assert (site_dir / "index.html").is_file() and site_dir.is_relative_to(installed.venv)
    assert (migrations / "env.py").is_file() and migrations.is_relative_to(installed.venv)
    assert len(list((migrations / "versions").glob("*.py"))) == len(
        list((REPO_ROOT / "migrations" / "versions").glob("*.py"))
    )
    version = installed.run("newscrawl", "--version")
    assert version.returncode == 0 and version.stdout.startswith("newscrawl 0.")
    helped = installed.run("newscrawl", "--help")
    assert helped.returncode == 0 and "``" not in helped.stdout
    assert installed.run("newscrawl", "browse", "--help").returncode == 0


def test_demo_crawl_query_and_api_from_an_empty_folder(
    installed: Installed, server: DemoServer
) -> None:
    demo = installed.run("newscrawl", "demo", "--db", "demo.db")
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "20 articles stored" in demo.stdout
    status = installed.run("newscrawl", "db", "status", "--db", "demo.db")
    assert status.returncode == 0 and "up to date" in status.stdout, status.stdout + status.stderr

    crawled = installed.run("newscrawl", "crawl", server.url, "--db", "x.db", *FAST)
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert _count(installed.folder / "x.db") == {ad_hoc_site_name(server.url): 20}

    queried = installed.run("newscrawl", "query", "--db", "x.db", "--search", "Putin")
    assert queried.returncode == 0, queried.stderr
    assert all(word in " ".join(queried.stdout.split()) for word in SEED_HEADLINE.split())

    html = (SITE_DIR / "2023/10/16/russias-implications-from-vladimir-putins-visit-to-china"
            / "index.html")  # fmt: skip
    script = (
        "import json, sys; from datetime import datetime, timezone; from newscrawl import extract; "
        "html = open(sys.argv[1], encoding='utf-8').read(); "
        "r = extract(html, url='https://worldmag.example/2023/10/16/putin/', "
        "fetched_at=datetime(2024, 1, 1, tzinfo=timezone.utc)); "
        "print(json.dumps(r, ensure_ascii=False))"
    )
    extracted = installed.run("python", "-c", script, str(html))
    assert extracted.returncode == 0, extracted.stderr
    record = json.loads(extracted.stdout)
    assert record["headline"] == SEED_HEADLINE and record["dropped"] is None


def test_sites_file_crawl_and_schedule_from_an_empty_folder(
    installed: Installed, server: DemoServer
) -> None:
    base = server.url.rstrip("/")
    (installed.folder / "sites.toml").write_text(
        f'[sites.harbour]\nstart_urls = ["{base}/"]\nallowed_domains = ["127.0.0.1"]\n'
        f'max_pages = 25\nschedule = "1h"\n',
        encoding="utf-8",
    )
    crawled = installed.run("newscrawl", "crawl", "--site", "harbour", "--db", "s.db", *FAST)
    assert crawled.returncode == 0, crawled.stderr[-3000:]  # ./sites.toml is the default
    articles = _count(installed.folder / "s.db")["harbour"]
    assert articles > 0
    scheduled = installed.run(
        "newscrawl", "schedule", "--once", "--sites", "sites.toml", "--db", "t.db", *FAST
    )
    assert scheduled.returncode == 0, scheduled.stderr[-3000:]
    assert "Site harbour: starting crawl:" in scheduled.stderr
    assert _count(installed.folder / "t.db") == {"harbour": articles}
