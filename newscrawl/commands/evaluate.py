"""``python -m newscrawl evaluate CORPUS_DIR [--worst N]``: score extraction on a corpus.

CORPUS_DIR holds ``gold.jsonl`` (one object per page: ``id``, ``file``, ``url``, ``headline``,
``published``, ``tags``, ``authors``, ``summary``, ``body``; null = not annotated) and the pages
(``.html`` or ``.html.gz``). Prints the per-field table and the pages with the lowest body F1, so
you can check extraction on fixtures of your own sites.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument(
        "--worst", type=int, default=10, metavar="N", help="list the N worst pages (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--out", type=Path, help="also write the predictions as JSONL")


def load_gold(corpus: Path) -> list[dict[str, Any]]:
    """The corpus's gold rows; a clear error for a missing or broken ``gold.jsonl``."""
    path = corpus / "gold.jsonl"
    if not path.is_file():
        raise ValueError(f"{path} not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: invalid JSON: {exc}") from exc
            if not isinstance(row, dict) or "id" not in row:
                raise ValueError(f"{path}:{n}: expected an object with an 'id'")
            rows.append(row)
    return rows


def read_page(corpus: Path, row: dict[str, Any]) -> bytes:
    """The page bytes of a gold row (gzip-compressed files are decompressed)."""
    file = corpus / str(row.get("file") or f"{row['id']}.html")
    data = file.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def run(args: argparse.Namespace) -> int:
    """Extract every page, score, print; exit 2 on an unusable corpus."""
    from newscrawl import settings
    from newscrawl.evaluation import score
    from newscrawl.page import extract_record
    from newscrawl.sites import load_sites

    try:
        gold = load_gold(args.corpus)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sites = load_sites(settings.NEWSCRAWL_SITES_FILE)
    predictions: dict[str, dict[str, Any]] = {}
    now = datetime.now(UTC)
    for row in gold:
        page_id = str(row["id"])
        url = row.get("url") or (args.corpus / str(row.get("file", page_id))).resolve().as_uri()
        try:
            predictions[page_id] = extract_record(
                read_page(args.corpus, row),
                url,
                content_type=None,
                fetched_at=now,
                sites=sites,
                min_body_words=settings.NEWSCRAWL_MIN_BODY_WORDS,
            )
        except (OSError, ValueError) as exc:
            predictions[page_id] = {"error": str(exc)}
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for page_id, record in predictions.items():
                fh.write(json.dumps({"id": page_id, **record}, ensure_ascii=False) + "\n")
    result = score(gold, predictions)
    if args.json:
        print(json.dumps(_as_json(result), indent=2))
    else:
        print(format_scores(result, worst=args.worst))
    return 0


def _as_json(result: Any) -> dict[str, Any]:
    keys = ("pages", "body_precision", "body_recall", "body_f1", "headline_exact", "published_day",
            "published_60s", "tags_f1", "authors_f1")  # fmt: skip
    return {key: getattr(result, key) for key in keys}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_scores(result: Any, worst: int = 10) -> str:
    """The per-field table and the ``worst`` pages by body F1."""
    lines = [
        f"pages: {result.pages}",
        "field            score",
        f"body F1          {_fmt(result.body_f1)}   (P {_fmt(result.body_precision)}, R {_fmt(result.body_recall)})",
        f"headline exact   {_fmt(result.headline_exact)}",
        f"date, same day   {_fmt(result.published_day)}",
        f"date, within 60s {_fmt(result.published_60s)}",
        f"authors F1       {_fmt(result.authors_f1)}",
        f"tags F1          {_fmt(result.tags_f1)}",
    ]
    ranked = sorted((p for p in result.per_page if p.body_f1 is not None), key=lambda p: p.body_f1)
    if worst > 0 and ranked:
        lines.append(f"\nworst {min(worst, len(ranked))} pages by body F1:")
        for p in ranked[:worst]:
            flags = []
            if p.headline_exact is False:
                flags.append("headline")
            if p.published_day is False:
                flags.append("date")
            if p.authors_f1 is not None and p.authors_f1 < 1:
                flags.append("authors")
            lines.append(
                f"  {p.id:<40} F1 {_fmt(p.body_f1)}  P {_fmt(p.body_precision)}  R {_fmt(p.body_recall)}"
                + (f"  also wrong: {', '.join(flags)}" if flags else "")
            )
    return "\n".join(lines)
