"""The scale-out tests' database: SQLite and PostgreSQL (both real) for the tests that take
``database_url``."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh database migrated to head: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("migrated_sqlite_url")
    else:
        url = request.getfixturevalue("postgres_url")
    return url
