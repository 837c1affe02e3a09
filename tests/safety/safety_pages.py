"""Pages for the extraction safety tests: the bundled demo site's pages, a few real news pages
from the shared corpus (when it is beside the repository), and checks on what processing a page
may return: a record or a named drop, never anything else.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR
from newscrawl.drops import ALL_DROPS
from newscrawl.page import PageOutcome

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "demo_pages.json"
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "fundus-dev"
# Small real pages in several scripts and page layouts (Chinese, Japanese, Cyrillic, English).
REAL_PAGE_IDS = (
    "cn-People-V1",
    "tw-TaipeiTimes-V1",
    "jp-TheJapanNews-V1",
    "ru-Kommersant-V1",
    "us-APNews-V1",
)
BASE_URL = "http://demo.test"
FETCHED_AT = datetime(2024, 11, 22, 9, 0, tzinfo=UTC)
DROP_NAMES = frozenset(cls.__name__ for cls in ALL_DROPS)
# Drop names that only a bug can produce for a page that was decoded into text.
BUG_DROPS = frozenset({"ExtractionFailed", "StoreFailed"})


def demo_paths() -> list[str]:
    """URL paths of every page of the demo site, as the committed fixture lists them."""
    return [page["path"] for page in json.loads(FIXTURE.read_text(encoding="utf-8"))["pages"]]


def demo_html(path: str) -> str:
    """The demo page at URL ``path`` as the demo server sends it to ``BASE_URL``."""
    file = (
        SITE_DIR / path.strip("/") / "index.html"
        if path.endswith("/")
        else SITE_DIR / path.strip("/")
    )
    return file.read_text(encoding="utf-8").replace(BASE_URL_TOKEN, BASE_URL)


REAL_PAGES_AVAILABLE = (CORPUS_DIR / "gold.jsonl").is_file()


def all_real_pages() -> list[tuple[str, bytes]]:
    """(url, raw bytes) of every page of the shared corpus; empty without it."""
    if not REAL_PAGES_AVAILABLE:
        return []
    return [
        (record["url"], gzip.decompress((CORPUS_DIR / record["file"]).read_bytes()))
        for record in map(
            json.loads, (CORPUS_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]


def real_pages() -> list[tuple[str, bytes]]:
    """(url, raw bytes) of the real pages in :data:`REAL_PAGE_IDS`; empty without the corpus."""
    gold_file = CORPUS_DIR / "gold.jsonl"
    if not gold_file.is_file():
        return []
    urls = {
        record["id"]: record["url"]
        for record in map(json.loads, gold_file.read_text(encoding="utf-8").splitlines())
    }
    return [
        (urls[page_id], gzip.decompress((CORPUS_DIR / f"{page_id}.html.gz").read_bytes()))
        for page_id in REAL_PAGE_IDS
        if page_id in urls
    ]


def check_outcome(outcome: PageOutcome) -> None:
    """``outcome`` is a kept article with a valid record, or a named drop (not a bug's)."""
    assert outcome.reason is None or outcome.reason in DROP_NAMES, outcome.reason
    assert outcome.reason not in BUG_DROPS, str(outcome.drop)
    if outcome.drop is None:
        assert outcome.article is not None
    if outcome.article is not None:
        article = outcome.article
        assert len(article.content_hash()) == 64
        for value in (article.published, article.modified, article.fetched_at):
            assert value is None or value.utcoffset() == timedelta(0), value
        check_record({**article.to_record(), "dropped": outcome.reason})


def check_record(record: dict[str, Any]) -> None:
    """A JSON-ready record (``extract`` output): serializable, and every text storable in
    PostgreSQL as well as SQLite (no NUL character anywhere)."""
    assert record.get("dropped") is None or record["dropped"] in DROP_NAMES, record["dropped"]
    assert record.get("dropped") not in BUG_DROPS, record.get("error")
    json.dumps(record, ensure_ascii=False, allow_nan=False)
    assert not _fields_with_nul(record), _fields_with_nul(record)
    if record.get("dropped") is None and "headline" in record:
        assert record["headline"].strip()
        assert record["body"].strip()
    for name in ("published", "modified"):
        value = record.get(name)
        if value is not None and "T" in value:
            assert datetime.fromisoformat(value).utcoffset() == timedelta(0), value


def _fields_with_nul(record: dict[str, Any]) -> list[str]:
    return [key for key, value in record.items() if _has_nul(value)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False
