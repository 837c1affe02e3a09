"""Fixtures and settings shared by every test module.

A test that starts a subprocess (a crawl, a server, a CLI command) must be marked
``@pytest.mark.slow``: ``make test-fast`` leaves those out, and an unmarked one fails here.

Hypothesis profiles: ``thorough`` (the default, what ``make test`` and CI run) and ``fast``
(``make test-fast``: a tenth of the examples, for the inner loop), chosen with
``--hypothesis-profile``. Property tests size themselves with :func:`tests.profiles.examples`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.profiles import FAST, THOROUGH, THOROUGH_EXAMPLES

pytest_plugins = ("tests.servers.postgres", "tests.servers.redis", "tests.servers.scrapyd")

settings.register_profile(THOROUGH, max_examples=THOROUGH_EXAMPLES)
settings.register_profile(FAST, max_examples=THOROUGH_EXAMPLES // 10)
settings.load_profile(THOROUGH)


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head by Alembic once per session (copy it, never write it)."""
    from newscrawl.storage import migrate

    path = tmp_path_factory.mktemp("schema") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def migrated_sqlite_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    """URL of a fresh SQLite file at the schema's head (a copy of the migrated template)."""
    path = tmp_path / "news.db"
    shutil.copyfile(migrated_sqlite_template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


DATABASES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest) -> str:
    """URL of a fresh database at the schema's head, once on SQLite and once on PostgreSQL.

    The PostgreSQL run needs the real server of ``tests/servers/postgres.py`` and is marked
    ``slow`` (``make test-fast`` leaves it out; ``make test`` runs both).
    """
    if request.param == "sqlite":
        return str(request.getfixturevalue("migrated_sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def database_backend(database_url: str) -> str:
    """``sqlite`` or ``postgresql``: the backend of :func:`database_url`."""
    return database_url.split(":", 1)[0].split("+", 1)[0]


@pytest.fixture(autouse=True)
def _subprocesses_only_in_slow_tests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail a test not marked ``slow`` that starts a subprocess."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError(f"{request.node.nodeid} starts a subprocess: mark it slow")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
