"""Helpers for extraction tests on the bundled demo site, read from disk (no server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR
from newscrawl.items import FetchedPage
from newscrawl.page import PageOutcome, page_outcome

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "demo_pages.json"
BASE_URL = "http://demo.test"
FETCHED_AT = datetime(2024, 11, 22, 9, 0, tzinfo=UTC)
SEED_PATH = "/2023/10/16/russias-implications-from-vladimir-putins-visit-to-china/"


def expectations() -> dict[str, Any]:
    """The committed expectations for every demo page."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def page_html(path: str) -> str:
    """The demo page at URL ``path`` as the server would send it to ``BASE_URL``."""
    file = (
        SITE_DIR / path.strip("/") / "index.html"
        if path.endswith("/")
        else SITE_DIR / path.strip("/")
    )
    return file.read_text(encoding="utf-8").replace(BASE_URL_TOKEN, BASE_URL)


def process(path: str) -> PageOutcome:
    """Extract, normalize and validate the demo page at ``path``."""
    page = FetchedPage.of_html(page_html(path), BASE_URL + path, site="demo", fetched_at=FETCHED_AT)
    return page_outcome(page)
