#!/usr/bin/env python3
"""Extraction quality and speed of newscrawl and trafilatura, side by side, in one process.

    python -m benchmarks.extract_vs_trafilatura CORPUS_DIR [--rounds N] [--json]

CORPUS_DIR is a corpus in the fundus-dev format (gold.jsonl + pages). Every page is loaded into
memory first; both extractors then get the same raw bytes and URL. Each extractor runs ``rounds``
times over the corpus (default 2) and the last round is timed, so one-off start-up costs
(imports, model and locale loading) are reported separately as ``first round``.

trafilatura runs with its defaults plus metadata (``bare_extraction(..., with_metadata=True)``),
which is the comparable job: newscrawl also extracts headline, dates, authors and tags.
``trafilatura.extract`` (defaults, text only) is timed too, as the fastest trafilatura call.
The extractors take turns page by page, so load on the machine affects them alike.
Scores use newscrawl's own implementation of the corpus metrics (newscrawl.evaluation).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.commands.evaluate import load_gold, read_page
from newscrawl.evaluation import Scores, score
from newscrawl.page import extract_record

Page = tuple[dict[str, Any], bytes]


def newscrawl_extractor() -> Callable[[dict[str, Any], bytes], dict[str, Any]]:
    now = datetime.now(UTC)

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        return extract_record(raw, row["url"], content_type=None, fetched_at=now)

    return extract


def trafilatura_extractor() -> Callable[[dict[str, Any], bytes], dict[str, Any]]:
    import trafilatura

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(raw, url=row["url"], with_metadata=True)
        if doc is None:
            return {}
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        tags = [*(doc.categories or []), *(doc.tags or [])]
        return {
            "headline": doc.title,
            "published": doc.date,
            "authors": authors,
            "tags": tags,
            "body": doc.text,
        }

    return extract


def trafilatura_text_only() -> Callable[[dict[str, Any], bytes], dict[str, Any]]:
    import trafilatura

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        return {"body": trafilatura.extract(raw, url=row["url"]) or ""}

    return extract


def timed_rounds(
    extractors: dict[str, Callable[[dict[str, Any], bytes], dict[str, Any]]],
    pages: list[Page],
    rounds: int,
) -> dict[str, tuple[dict[str, dict[str, Any]], list[float], float]]:
    """For each extractor: predictions of the last round, its per-page seconds, and the first
    round's total. Extractors take turns page by page, so each page is timed for all of them
    under the same machine load."""
    predictions: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in extractors}
    timings: dict[str, list[float]] = {name: [] for name in extractors}
    first: dict[str, float] = dict.fromkeys(extractors, 0.0)
    for round_no in range(rounds):
        timings = {name: [] for name in extractors}
        for row, raw in pages:
            for name, extract in extractors.items():
                start = time.perf_counter()
                predictions[name][str(row["id"])] = extract(row, raw)
                timings[name].append(time.perf_counter() - start)
        if round_no == 0:
            first = {name: sum(t) for name, t in timings.items()}
    return {name: (predictions[name], timings[name], first[name]) for name in extractors}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(results: dict[str, tuple[Scores | None, list[float], float]], pages: int) -> str:
    """A Markdown table: quality per field, then mean/median ms per page."""
    lines = [
        "| extractor | body F1 | headline exact | date, same day | date, within 60 s | authors F1 | tags F1 | mean ms/page | median ms/page | first round ms/page |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (scores, timings, first) in results.items():
        mean, median = 1000 * statistics.fmean(timings), 1000 * statistics.median(timings)
        quality = (
            [
                scores.body_f1,
                scores.headline_exact,
                scores.published_day,
                scores.published_60s,
                scores.authors_f1,
                scores.tags_f1,
            ]
            if scores is not None
            else [None] * 6
        )
        lines.append(
            f"| {name} | "
            + " | ".join(_fmt(v) for v in quality)
            + f" | {mean:.1f} | {median:.1f} | {1000 * first / pages:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--rounds", type=int, default=2, help="passes over the corpus; the last is timed"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    gold = load_gold(args.corpus)
    pages = [(row, read_page(args.corpus, row)) for row in gold]
    extractors = {
        "newscrawl": newscrawl_extractor(),
        "trafilatura (bare_extraction, with metadata)": trafilatura_extractor(),
        "trafilatura (extract, text only)": trafilatura_text_only(),
    }
    scored = {"newscrawl", "trafilatura (bare_extraction, with metadata)"}
    runs = timed_rounds(extractors, pages, max(1, args.rounds))
    results: dict[str, tuple[Scores | None, list[float], float]] = {
        name: (score(gold, predictions) if name in scored else None, timings, first)
        for name, (predictions, timings, first) in runs.items()
    }
    if args.json:
        out = {
            name: {
                "scores": None
                if s is None
                else {
                    k: getattr(s, k)
                    for k in (
                        "body_f1",
                        "headline_exact",
                        "published_day",
                        "published_60s",
                        "authors_f1",
                        "tags_f1",
                    )
                },
                "mean_ms": 1000 * statistics.fmean(t),
                "median_ms": 1000 * statistics.median(t),
            }
            for name, (s, t, _f) in results.items()
        }
        print(json.dumps(out, indent=2))
    else:
        print(f"corpus: {args.corpus} ({len(pages)} pages), {args.rounds} rounds, last one timed\n")
        print(table(results, len(pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
