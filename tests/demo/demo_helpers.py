"""Helpers shared by the demo-site tests: HTTP requests, page parsing, visible text."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html

from newscrawl.demo import SITE_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PATH = REPO_ROOT / "tests" / "fixtures" / "demo_pages.json"


@dataclass
class Reply:
    """One HTTP response, fully read."""

    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


Fetch = Callable[..., Reply]


def fetch_from(
    port: int, target: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Reply:
    """Send one request to 127.0.0.1:port with the raw ``target`` and read the whole reply."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


def page_file(path: str, root: Path = SITE_DIR) -> Path:
    """The index.html behind a root-relative page path."""
    return root / path.strip("/") / "index.html" if path != "/" else root / "index.html"


def parse_page(path: str, root: Path = SITE_DIR) -> Any:
    """The lxml document of a page of the committed site."""
    return lxml.html.fromstring(page_file(path, root).read_bytes())


def visible_text(element: Any) -> str:
    """An element's text as a reader sees it: no head/script/style, whitespace collapsed."""
    clone = lxml.html.fromstring(lxml.html.tostring(element))
    for junk in clone.xpath("//head|//script|//style"):
        junk.drop_tree()
    return re.sub(r"\s+", " ", "".join(clone.itertext())).strip()


def jsonld_blocks(doc: Any) -> list[Any]:
    """Every JSON-LD object on a page, parsed."""
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
