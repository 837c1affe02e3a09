"""Fixtures for the demo-site tests: the committed expectations and a running server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from demo_helpers import FIXTURE_PATH, Fetch, Reply, fetch_from

from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import DemoServer, running_server


@pytest.fixture(scope="session")
def expectations() -> dict[str, Any]:
    """The committed tests/fixtures/demo_pages.json."""
    return json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    """The committed demo site served on 127.0.0.1 from a background thread."""
    with running_server(SITE_DIR) as server:
        yield server


@pytest.fixture
def fetch(demo_server: DemoServer) -> Fetch:
    """``fetch(target, method="GET", headers=None) -> Reply`` against the session server."""

    def _fetch(target: str, method: str = "GET", headers: dict[str, str] | None = None) -> Reply:
        return fetch_from(demo_server.server_port, target, method, headers)

    return _fetch
