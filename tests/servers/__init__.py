"""Real servers (PostgreSQL, Redis, Scrapyd) started by the tests on 127.0.0.1.

Each module is a pytest plugin with session fixtures that start one server in a temporary
directory on a free port and stop it when the session ends. Outside CI a missing server skips
its tests with the reason; under ``.ci/run`` (``NEWSCRAWL_REQUIRE_SERVICES=1``) it fails them.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES = os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str) -> NoReturn:
    """Skip the requesting test because a server is missing, or fail it when CI requires servers."""
    if REQUIRE_SERVICES:
        pytest.fail(f"server required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)
