"""Benchmark: export many articles through the archive in constant memory.

    python -m benchmarks.archive_export --rows 1000000 [--format csv|jsonl] [--db PATH]

Fills a fresh SQLite file (migrated by Alembic) with synthetic articles, inserted in bulk through
the storage models so the FTS5 triggers index them as a crawl would, then exports them all with
``newscrawl export``'s own function and prints rows/s, the tracemalloc peak (Python allocations)
and the process's max RSS. The goal: the peak does not grow with the number of rows. The tests
(tests/query/test_query_streaming.py) use :func:`fill_synthetic` at a small scale.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from newscrawl.storage import make_engine, migrate
from newscrawl.storage.models import (
    ArticleAuthorRow,
    ArticleRow,
    ArticleTagRow,
    ArticleUrlRow,
    AuthorRow,
    SiteRow,
    TagRow,
)

VOCABULARY: tuple[str, ...] = (
    "parliament",
    "budget",
    "election",
    "minister",
    "harbour",
    "ferry",
    "council",
    "transit",
    "drought",
    "harvest",
    "exports",
    "tariff",
    "lithium",
    "battery",
    "refinery",
    "protest",
    "court",
    "ruling",
    "coalition",
    "mayor",
    "province",
    "festival",
    "typhoon",
    "relief",
    "border",
    "summit",
    "treaty",
    "inflation",
    "wages",
    "pension",
    "railway",
    "airport",
)
TAG_COUNT = 50
SITE_COUNT = 3
START = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ExportMeasurement:
    """One export: rows written, wall time, tracemalloc peak and output size in bytes."""

    rows: int
    seconds: float
    peak_bytes: int
    output_bytes: int


def fill_synthetic(engine: Engine, count: int, *, body_words: int = 400, batch: int = 5000) -> None:
    """Insert ``count`` synthetic articles (ids 1..count) with 2 tags, 1 author and 1 URL each.

    Article ``n`` belongs to site ``site-{n % 3}``, is published ``n`` minutes after 2020-01-01
    UTC and has a ``body_words``-word body. The database must be migrated and empty.
    """
    with engine.begin() as connection:
        connection.execute(
            insert(SiteRow),
            [{"id": n + 1, "name": f"site-{n}", "created_at": START} for n in range(SITE_COUNT)],
        )
        connection.execute(
            insert(TagRow),
            [{"id": n + 1, "name": f"Tag {n}", "key": f"tag {n}"} for n in range(TAG_COUNT)],
        )
        connection.execute(
            insert(AuthorRow), [{"id": 1, "name": "Ana Writer", "key": "ana writer"}]
        )
    for first in range(1, count + 1, batch):
        numbers = range(first, min(first + batch, count + 1))
        with engine.begin() as connection:
            connection.execute(insert(ArticleRow), [_article(n, body_words) for n in numbers])
            connection.execute(
                insert(ArticleTagRow),
                [
                    {"article_id": n, "tag_id": (n + offset) % TAG_COUNT + 1, "position": offset}
                    for n in numbers
                    for offset in (0, 1)
                ],
            )
            connection.execute(
                insert(ArticleAuthorRow),
                [{"article_id": n, "author_id": 1, "position": 0} for n in numbers],
            )
            connection.execute(
                insert(ArticleUrlRow),
                [{"url": _url(n), "article_id": n} for n in numbers],
            )


def _url(number: int) -> str:
    return f"https://site-{number % SITE_COUNT}.example/news/{number}"


def _article(number: int, body_words: int) -> dict[str, Any]:
    words = [VOCABULARY[(number * 7 + index) % len(VOCABULARY)] for index in range(body_words)]
    published = START + timedelta(minutes=number)
    return {
        "id": number,
        "site_id": number % SITE_COUNT + 1,
        "canonical_url": _url(number),
        "url": _url(number),
        "headline": f"Story {number}: {' '.join(words[:6])}",
        "summary": " ".join(words[6:30]),
        "body": " ".join(words),
        "published_at": published,
        "published_raw": published.isoformat(),
        "published_source": "jsonld",
        "published_has_time": True,
        "section": "News",
        "language": "en",
        "content_hash": f"{number:064x}",
        "field_sources": {"headline": "jsonld", "body": "trafilatura"},
        "first_seen_at": published,
        "last_seen_at": published,
        "fetched_at": published,
    }


def measure_export(
    database_url: str, output: Path, fmt: str = "csv", limit: int | None = None
) -> ExportMeasurement:
    """Export (up to ``limit``) articles to ``output`` the way ``newscrawl export`` does, under
    tracemalloc; the archive is opened before tracing starts."""
    from newscrawl.archive import ArticleQuery, open_archive
    from newscrawl.commands.export import export_to_file

    with open_archive(database_url) as archive:
        tracemalloc.start()
        started = time.perf_counter()
        try:
            rows = export_to_file(archive, ArticleQuery(limit=limit), fmt, output)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return ExportMeasurement(rows, seconds, peak, output.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    """Fill, export, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="articles to export")
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--body-words", type=int, default=400)
    parser.add_argument("--db", type=Path, help="SQLite file to create (default: a temp file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newscrawl-bench-") as folder:
        path = args.db or Path(folder) / "bench.db"
        if path.exists():
            parser.error(f"{path} exists; give a new file")
        url = f"sqlite:///{path}"
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        fill_synthetic(engine, args.rows, body_words=args.body_words)
        engine.dispose()
        print(f"filled {args.rows} articles in {time.perf_counter() - started:.1f} s")
        result = measure_export(url, Path(folder) / f"export.{args.format}", args.format)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"exported {result.rows} rows ({result.output_bytes / 2**20:.0f} MiB {args.format}) in "
        f"{result.seconds:.1f} s = {result.rows / result.seconds:,.0f} rows/s; "
        f"tracemalloc peak {result.peak_bytes / 2**20:.1f} MiB; max RSS {rss_mib:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
