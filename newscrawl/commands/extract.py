"""``newscrawl extract``: run extraction and normalization on pages, print JSONL.

Each input (a file path, ``.html`` or gzip-compressed ``.html.gz``, or an http(s) URL, or each
line of ``--manifest``: ``{"path", "url", "id"}``) gives one JSON line with what newscrawl would
store, plus ``dropped`` (the drop reason the validate stage would give, or null). A page that
fails gives a line with ``error`` and the run goes on; a SOURCE file that does not exist stops
the command before anything runs (exit status 2, one line on stderr).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawl.sites import SiteConfig

_FETCH_TIMEOUT = 30


@dataclass(frozen=True, slots=True)
class Source:
    """One page to extract: where its bytes are and the URL it was served at."""

    location: str  # a file path or an http(s) URL
    url: str
    id: str | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="HTML files (.html or .html.gz) or URLs"
    )
    parser.add_argument("--url", help="the URL the given file was served at (one SOURCE only)")
    parser.add_argument("--manifest", type=Path, help='JSONL file of {"path", "url", "id"} lines')


def run(args: argparse.Namespace) -> int:
    """Extract every source; exit 0 even when single pages fail (their lines carry ``error``)."""
    if args.url and len(args.sources) != 1:
        print("error: --url needs exactly one SOURCE", file=sys.stderr)
        return 2
    try:
        sources = list(_sources(args))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not sources:
        print("error: give SOURCE paths/URLs or --manifest", file=sys.stderr)
        return 2
    missing = [path for path in args.sources if not _is_url(path) and not Path(path).is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2

    from newscrawl import settings
    from newscrawl.sites import load_sites

    sites = load_sites(settings.NEWSCRAWL_SITES_FILE)
    out = sys.stdout
    for source in sources:
        record = _extract_one(source, sites, settings.NEWSCRAWL_MIN_BODY_WORDS)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _sources(args: argparse.Namespace) -> Iterator[Source]:
    if args.manifest:
        with args.manifest.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    path = entry["path"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(
                        f"{args.manifest}:{n}: expected {{'path', 'url', 'id'}}"
                    ) from exc
                url = entry.get("url") or Path(path).resolve().as_uri()
                yield Source(path, url, None if entry.get("id") is None else str(entry["id"]))
    for location in args.sources:
        if _is_url(location):
            yield Source(location, args.url or location)
        else:
            yield Source(location, args.url or Path(location).resolve().as_uri())


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _read(source: Source) -> tuple[bytes, str | None]:
    """The source's bytes (gzip-compressed files decompressed) and its declared type."""
    if _is_url(source.location):
        from urllib.request import Request, urlopen

        from newscrawl import settings

        request = Request(source.location, headers={"User-Agent": settings.USER_AGENT})
        with urlopen(request, timeout=_FETCH_TIMEOUT) as response:
            return response.read(), response.headers.get("Content-Type")
    data = Path(source.location).read_bytes()
    return (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data), None


def _extract_one(
    source: Source, sites: dict[str, SiteConfig], min_body_words: int
) -> dict[str, Any]:
    from newscrawl.page import extract_record

    record: dict[str, Any] = {"id": source.id} if source.id is not None else {}
    try:
        raw, content_type = _read(source)
        result = extract_record(
            raw,
            source.url,
            content_type=content_type,
            fetched_at=datetime.now(UTC),
            sites=sites,
            min_body_words=min_body_words,
        )
    except Exception as exc:  # noqa: BLE001 -- one bad page must not end the run
        record.update(url=source.url, error=f"{type(exc).__name__}: {exc}")
        return record
    record.update(result)
    return record
