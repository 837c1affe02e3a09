"""Run a real ``scrapy crawl news`` subprocess for tests, with the project's settings.

The polite delays are switched off because the server is the test's own, on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
FAST_LOCAL = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "INFO",
}


@dataclass(frozen=True, slots=True)
class CrawlResult:
    """Exit status and log of one crawl process."""

    returncode: int
    log: str


def run_news_crawl(
    spider_args: Sequence[str],
    database_url: str,
    *,
    settings: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 240,
) -> CrawlResult:
    """``scrapy crawl news -a ARG ... -s KEY=VALUE ...`` from the repository root."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    for arg in spider_args:
        command += ["-a", arg]
    for key, value in {**FAST_LOCAL, **(settings or {})}.items():
        command += ["-s", f"{key}={value if isinstance(value, str) else json.dumps(value)}"]
    process_env = {**os.environ, "NEWSCRAWL_DATABASE_URL": database_url, **(env or {})}
    completed = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CrawlResult(completed.returncode, completed.stdout + completed.stderr)
