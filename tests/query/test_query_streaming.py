"""Listings and exports stream: Python memory does not grow with the number of rows.

Thousands of synthetic articles (bulk-inserted through the storage models, indexed by the FTS5
triggers) are exported with ``newscrawl export``'s own function under tracemalloc. Exporting four
times as many rows must not need noticeably more memory, and the peak must stay far below the
size of what was written. The million-row run is ``benchmarks/archive_export.py``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmarks.archive_export import fill_synthetic, measure_export
from newscrawl.archive import open_archive
from newscrawl.storage import make_engine, migrate
from tests.conftest import DATABASES

ROWS = 4000
BODY_WORDS = 600


@pytest.fixture(scope="module", params=DATABASES)
def synthetic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The synthetic archive in a SQLite file, then in a PostgreSQL database (streamed there
    through a server-side cursor)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('query-synthetic') / 'synthetic.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.url(server.create_database(prefix="synthetic"))
    migrate(url)
    engine = make_engine(url)
    try:
        fill_synthetic(engine, ROWS, body_words=BODY_WORDS)
    finally:
        engine.dispose()
    return url


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_memory_does_not_grow_with_rows(synthetic: str, tmp_path: Path, fmt: str) -> None:
    measure_export(synthetic, tmp_path / f"warmup.{fmt}", fmt, limit=50)  # caches, imports
    quarter = measure_export(synthetic, tmp_path / f"quarter.{fmt}", fmt, limit=ROWS // 4)
    full = measure_export(synthetic, tmp_path / f"full.{fmt}", fmt)
    assert (quarter.rows, full.rows) == (ROWS // 4, ROWS)
    assert full.output_bytes > 3.5 * quarter.output_bytes
    # loading the rows into a list would make the peak grow about 4x with the output
    assert full.peak_bytes < 1.5 * quarter.peak_bytes, (quarter, full)
    # a listing held in memory would need at least as much as the text it writes
    assert full.peak_bytes < full.output_bytes / 2, full


def test_exported_rows_are_complete(synthetic: str, tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    measure_export(synthetic, target, "csv")
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == ROWS
    assert len({row["id"] for row in rows}) == ROWS
    assert all(row["tags"].count("; ") == 1 and row["authors"] == "Ana Writer" for row in rows)
    jsonl = tmp_path / "all.jsonl"
    measure_export(synthetic, jsonl, "jsonl")
    with jsonl.open(encoding="utf-8") as handle:
        ids = [json.loads(line)["id"] for line in handle]
    assert ids == [int(row["id"]) for row in rows]  # same order: newest published first


def test_search_and_filters_on_many_rows(synthetic: str) -> None:
    with open_archive(synthetic, batch_size=300) as archive:
        site_rows = archive.count(site="site-1")
        assert site_rows == len(
            [n for n in range(1, ROWS + 1) if n % 3 == 1]
        )  # article n is on site-{n % 3}
        listed = list(archive.articles(site="site-1", tag="Tag 7"))
        assert listed
        assert all(article.site == "site-1" and "Tag 7" in article.tags for article in listed)
        assert archive.count(search="Story") == ROWS
