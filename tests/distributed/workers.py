"""Helpers for the scale-out tests: a generated news site, its sites file, crawl workers.

The site is the memory benchmark's (benchmarks/crawl_memory.py: listing pages, articles,
robots.txt, sitemap, feed), served by the fault server; ``slow`` drips every article out so a
crawl lasts long enough to kill or restart something in the middle of it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.crawl_memory import site_resolver
from tests.crawl.news_crawl import FAST_LOCAL, REPO_ROOT
from tests.faults.fault_server import Action, FaultServer, Route

ARTICLE_PATH = re.compile(r"^/\d{4}/05/03/story-(\d+)/$")
SITE = "gazette"


def article_paths(pages: int) -> set[str]:
    """The article paths of a generated site of ``pages`` articles."""
    return {f"/2024/05/03/story-{n}/" for n in range(pages)}


def serve_site(server: FaultServer, pages: int, *, drip_seconds: float = 0.0) -> None:
    """Make ``server`` serve the generated site; articles take about ``drip_seconds`` each."""
    resolve = site_resolver(server.url, pages)
    if drip_seconds <= 0:
        server.resolve = resolve
        return

    def slow(path: str) -> Route | None:
        route = resolve(path)
        if route is None or not ARTICLE_PATH.match(path):
            return route
        reply = route[0]
        chunks = 10
        return (
            dataclasses.replace(
                reply,
                action=Action.DRIP,
                drip_bytes=len(reply.body) // chunks + 1,
                drip_interval=drip_seconds / chunks,
            ),
        )

    server.resolve = slow


def write_sites_file(directory: Path, server: FaultServer, pages: int, **extra: str) -> Path:
    """A sites file with the site ``gazette`` on ``server`` (its options as TOML values)."""
    lines = [
        f"[sites.{SITE}]",
        f'start_urls = ["{server.url}"]',
        f"max_pages = {pages + 100}",
        "max_depth = 3",
        *(f"{key} = {value}" for key, value in extra.items()),
    ]
    path = directory / "sites.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def worker_command(sites_file: Path, settings: Mapping[str, Any] | None = None) -> list[str]:
    """``scrapy crawl news -a site=gazette`` with the fast local settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={SITE}"]
    merged = {**FAST_LOCAL, "NEWSCRAWL_SITES_FILE": str(sites_file), **(settings or {})}
    for key, value in merged.items():
        command += ["-s", f"{key}={value}"]
    return command


def start_workers(
    count: int,
    sites_file: Path,
    database_url: str,
    redis_url: str,
    logs: Path,
    *,
    settings: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    first: int = 0,
) -> list[subprocess.Popen[bytes]]:
    """Start ``count`` crawl workers sharing the Redis frontier; logs ``logs/worker-N.log``."""
    process_env = {
        **os.environ,
        "NEWSCRAWL_DATABASE_URL": database_url,
        "NEWSCRAWL_REDIS_URL": redis_url,
        "NEWSCRAWL_REDIS_WORKERS": str(count),
        **(env or {}),
    }
    logs.mkdir(parents=True, exist_ok=True)
    workers = []
    for n in range(first, first + count):
        with (logs / f"worker-{n}.log").open("wb") as log:
            workers.append(
                subprocess.Popen(
                    worker_command(sites_file, settings),
                    cwd=REPO_ROOT,
                    env=process_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return workers


def wait_all(workers: Sequence[subprocess.Popen[bytes]], timeout: float = 180) -> list[int]:
    """Wait for every worker (killing them all if ``timeout`` passes); their exit statuses."""
    deadline = time.monotonic() + timeout
    codes = []
    try:
        for worker in workers:
            codes.append(worker.wait(timeout=max(0.1, deadline - time.monotonic())))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    return codes


def wait_for(condition: Any, timeout: float = 60, step: float = 0.05) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` passes; its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def served_article_paths(server: FaultServer) -> list[str]:
    """The article paths the server answered completely, one entry per answer."""
    return [r.path for r in server.requests() if ARTICLE_PATH.match(r.path) and r.completed]


def read_logs(logs: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(logs.glob("worker-*.log")))
