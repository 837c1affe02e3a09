"""Extraction quality gate: every development set scored in one process, against pinned floors.

    python -m benchmarks.quality_gate [--shared ../shared] [--peers] [--json] [--write-floors]

Runs the page function (:func:`newscrawl.page.extract_record`, what a crawl runs) over every
development set in ``SHARED/corpus`` and scores each with the project's official scorers
(``SHARED/bench``: ``score.py`` for body/headline/date/tags/authors sets, ``snippet_score.py`` for
trafilatura's evaluation set, ``date_score.py`` for htmldate's). Each metric must stay at or above
its floor in ``benchmarks/quality_floors.json`` (pinned a little under the measured scores), so a
change that lowers one does not go unnoticed: exit 1 names each metric below its floor.
``--peers`` also runs trafilatura (body sets) and htmldate (the date set, extensive search and
original date, its best setting) on the same pages, for the README's table. Without the corpus
the gate is skipped, except in CI (``CI`` set), where that is an error. These are the sets newscrawl was tuned on; held-out halves are scored elsewhere.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from newscrawl.page import extract_record

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOORS_FILE = Path(__file__).resolve().parent / "quality_floors.json"
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
FLOOR_MARGIN = 0.005  # floors sit this far under the scores they were written from

# set name → metrics (name → path into that set's score dict), in table order.
SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "fundus-dev": {
        "body F1": ("body", "f1"),
        "headline exact": ("headline", "exact"),
        "date, same day": ("published", "day_acc"),
        "date, 60 s": ("published", "acc_60s"),
        "authors F1": ("authors", "f1"),
        "tags F1": ("tags", "f1"),
    },
    "l3s-gn1-dev": {"body F1": ("body", "f1"), "headline exact": ("headline", "exact")},
    "dragnet-dev": {"body F1": ("body", "f1"), "body recall": ("body", "recall")},
    "trafeval-dev": {"snippet F1, summary+body": ("f1",)},
    "htmldate-dev": {"date accuracy": ("accuracy",)},
}

Extractor = Callable[[dict[str, Any], bytes], dict[str, Any]]


def load_module(path: Path) -> ModuleType:
    """Import a scorer script by path."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def read_set(corpus: Path) -> list[tuple[dict[str, Any], bytes]]:
    """Gold rows with their page bytes."""
    rows = [
        json.loads(line) for line in (corpus / "gold.jsonl").open(encoding="utf-8") if line.strip()
    ]
    pages = []
    for row in rows:
        data = (corpus / str(row.get("file") or f"{row['id']}.html.gz")).read_bytes()
        pages.append((row, gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data))
    return pages


def newscrawl_extractor() -> Extractor:
    now = datetime.now(UTC)

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        url = row.get("url") or f"file:///{row['id']}.html"
        return extract_record(raw, url, content_type=None, fetched_at=now)

    return extract


def trafilatura_extractor() -> Extractor:
    import trafilatura

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(raw, url=row.get("url"), with_metadata=True)
        if doc is None:
            return {}
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        authors = [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]
        tags = [*(data.get("tags") or []), *(data.get("categories") or [])]
        return {"headline": data.get("title"), "body": data.get("text"),
                "published": data.get("date"), "authors": authors, "tags": tags}  # fmt: skip

    return extract


def htmldate_extractor() -> Extractor:
    from htmldate import find_date

    def extract(row: dict[str, Any], raw: bytes) -> dict[str, Any]:
        try:
            day = find_date(  # the publication date, as htmldate's own evaluation asks for it
                raw.decode("utf-8", "replace"),
                url=row.get("url"),
                extensive_search=True,
                original_date=True,
            )
        except (ValueError, TypeError):
            day = None
        return {"published": day}

    return extract


def score_set(name: str, pages: list[tuple[dict[str, Any], bytes]], preds: list[dict[str, Any]],
              bench: Path) -> dict[str, float | None]:  # fmt: skip
    """The set's metrics for predictions (one dict per page, with ``id``)."""
    gold = [row for row, _raw in pages]
    if name == "trafeval-dev":
        scores, _per = load_module(bench / "snippet_score.py").score(gold, preds, "summary+body")
    elif name == "htmldate-dev":
        scores, _per = load_module(bench / "date_score.py").evaluate(gold, preds)
    else:
        scores = load_module(bench / "score.py").score_records(gold, preds, n_bootstrap=0)
    out: dict[str, float | None] = {}
    for metric, path in SETS[name].items():
        value: Any = scores
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        out[metric] = float(value) if isinstance(value, int | float) else None
    return out


def run(
    shared: Path, extractors: dict[str, Extractor]
) -> dict[str, dict[str, dict[str, float | None]]]:
    """``{set: {extractor: {metric: score}}}`` over the sets present in ``shared/corpus``."""
    results: dict[str, dict[str, dict[str, float | None]]] = {}
    for name in SETS:
        corpus = shared / "corpus" / name
        if not (corpus / "gold.jsonl").exists():
            continue
        pages = read_set(corpus)
        results[name] = {}
        for label, extract in extractors.items():
            if label == "htmldate" and name != "htmldate-dev":
                continue
            if label == "trafilatura" and name == "htmldate-dev":
                continue
            started = time.perf_counter()
            preds = [{"id": row["id"], **extract(row, raw)} for row, raw in pages]
            results[name][label] = score_set(name, pages, preds, shared / "bench")
            results[name][label]["seconds"] = round(time.perf_counter() - started, 1)
    return results


def below_floors(results: dict[str, dict[str, dict[str, float | None]]],
                 floors: dict[str, dict[str, float]]) -> list[str]:  # fmt: skip
    """One line per newscrawl metric under its floor."""
    failures = []
    for name, metrics in floors.items():
        scores = results.get(name, {}).get("newscrawl")
        if scores is None:
            failures.append(f"{name}: not scored (is {name} in the corpus?)")
            continue
        for metric, floor in metrics.items():
            value = scores.get(metric)
            if value is None or value < floor:
                failures.append(f"{name} {metric}: {value} < floor {floor}")
    return failures


def format_table(results: dict[str, dict[str, dict[str, float | None]]]) -> str:
    labels = ["newscrawl", "trafilatura", "htmldate"]
    lines = ["| set | metric | " + " | ".join(labels) + " |", "|---|---|" + "---:|" * len(labels)]
    for name, by_label in results.items():
        for metric in SETS[name]:
            cells = []
            for label in labels:
                value = by_label.get(label, {}).get(metric)
                cells.append(f"{value:.3f}" if isinstance(value, float) else "–")
            lines.append(f"| `{name}` | {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder")
    parser.add_argument("--peers", action="store_true", help="also run trafilatura and htmldate")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--write-floors", action="store_true",
                        help=f"pin floors {FLOOR_MARGIN} under the scores measured now")  # fmt: skip
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        if os.environ.get("CI"):
            print(f"error: no corpus at {args.shared / 'corpus'}", file=sys.stderr)
            return 2
        print(f"quality gate skipped: no corpus at {args.shared / 'corpus'}")
        return 0
    extractors = {"newscrawl": newscrawl_extractor()}
    if args.peers:
        extractors |= {"trafilatura": trafilatura_extractor(), "htmldate": htmldate_extractor()}
    results = run(args.shared, extractors)
    print(json.dumps(results, indent=2) if args.json else format_table(results))
    if args.write_floors:
        floors = {
            name: {
                m: round(v - FLOOR_MARGIN, 3)
                for m, v in by["newscrawl"].items()
                if m != "seconds" and isinstance(v, float)
            }
            for name, by in results.items()
        }
        FLOORS_FILE.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS_FILE}")
        return 0
    failures = below_floors(results, json.loads(FLOORS_FILE.read_text(encoding="utf-8")))
    for line in failures:
        print(f"BELOW FLOOR: {line}", file=sys.stderr)
    print("quality gate: " + ("failed" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
