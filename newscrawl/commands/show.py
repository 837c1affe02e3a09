"""``python -m newscrawl show ID_OR_URL``: one stored article in full.

Prints its fields, tags, authors, dates with their raw values and where they came from, first and
last seen, the source of every extracted field, the body, and earlier versions if it changed.
``--format json`` prints the same as one JSON object (with a ``versions`` list).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from newscrawl.commands.query import fail, one_line_errors

if TYPE_CHECKING:
    from newscrawl.storage.records import ArticleVersion, StoredArticle

LABEL_WIDTH = 14
TEXT_WIDTH = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``ID_OR_URL`` and ``--format``."""
    one_line_errors(parser)
    parser.add_argument("key", metavar="ID_OR_URL", help="article id, or any URL it was seen at")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or JSON"
    )


def run(args: argparse.Namespace) -> int:
    """Print the article; exit 1 if there is none with that id or URL."""
    from sqlalchemy.exc import SQLAlchemyError

    from newscrawl import settings
    from newscrawl.archive import ArchiveError, open_archive
    from newscrawl.archive.archive import database_error
    from newscrawl.archive.formats import article_record, terminal_safe

    try:
        with open_archive(settings.NEWSCRAWL_DATABASE_URL) as archive:
            article = archive.get(args.key)
            if article is None:
                return fail(f"no article with id or URL {args.key!r}")
            versions = archive.versions(article.id)
    except ArchiveError as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(database_error(exc))
    if args.format == "json":
        record = article_record(article)
        record["versions"] = [_version_record(version) for version in versions]
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        lines = (terminal_safe(line) for line in article_lines(article, versions))
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def article_lines(article: StoredArticle, versions: list[ArticleVersion]) -> Iterator[str]:
    """The text view of an article and its versions, line by line."""
    yield article.headline
    yield "=" * min(len(article.headline), TEXT_WIDTH)
    fields: list[tuple[str, str]] = [
        ("id", str(article.id)),
        ("site", article.site),
        ("canonical url", article.canonical_url),
        ("fetched url", article.url),
        *(
            ("also seen at", url)
            for url in article.urls
            if url not in (article.url, article.canonical_url)
        ),
        (
            "published",
            _dated(article.published_at, article.published_raw, article.published_source),
        ),
        ("modified", _dated(article.modified_at, article.modified_raw, article.modified_source)),
        ("section", article.section or "-"),
        ("tags", ", ".join(article.tags) or "-"),
        ("authors", ", ".join(article.authors) or "-"),
        ("language", article.language or "-"),
        ("image", article.image_url or "-"),
        ("first seen", _iso(article.first_seen_at)),
        ("last seen", _iso(article.last_seen_at)),
        ("last changed", _iso(article.last_changed_at)),
        ("fetched", _iso(article.fetched_at)),
        ("etag", article.etag or "-"),
        ("last-modified", article.last_modified or "-"),
        ("content hash", article.content_hash),
    ]
    if not article.published_has_time and article.published_at is not None:
        fields.append(("", "(publication day only, no time of day)"))
    for label, value in fields:
        yield f"{label:<{LABEL_WIDTH}}{value}"
    yield ""
    yield "field sources:"
    name_width = max((len(name) for name in article.field_sources), default=0) + 2
    for name, source in sorted(article.field_sources.items()):
        yield f"  {name:<{name_width}}{source}"
    yield ""
    yield "summary:"
    yield from _wrapped(article.summary or "-")
    yield ""
    yield "body:"
    for paragraph in article.body.split("\n\n"):
        yield from _wrapped(paragraph)
        yield ""
    yield f"versions: {len(versions)}" if versions else "versions: none (never changed)"
    for version in versions:
        yield (
            f"  v{version.version} until {_iso(version.captured_at)}: {version.headline}"
            f" (published {_iso(version.published_at)}, tags {', '.join(version.tags) or '-'},"
            f" hash {version.content_hash[:12]})"
        )


def _dated(moment: datetime | None, raw: str | None, source: str | None) -> str:
    if moment is None and raw is None:
        return "-"
    detail = ", ".join(
        part
        for part in (f"raw {raw!r}" if raw else "", f"source {source}" if source else "")
        if part
    )
    return f"{_iso(moment)}  ({detail})" if detail else _iso(moment)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else "-"


def _wrapped(text: str) -> Iterator[str]:
    for line in text.splitlines() or [""]:
        yield from textwrap.wrap(line, TEXT_WIDTH, initial_indent="  ", subsequent_indent="  ") or [
            ""
        ]


def _version_record(version: ArticleVersion) -> dict[str, object]:
    return {
        "version": version.version,
        "captured_at": _iso(version.captured_at),
        "content_hash": version.content_hash,
        "headline": version.headline,
        "summary": version.summary,
        "body": version.body,
        "published_at": _iso(version.published_at) if version.published_at else None,
        "modified_at": _iso(version.modified_at) if version.modified_at else None,
        "section": version.section,
        "tags": list(version.tags),
        "authors": list(version.authors),
        "image_url": version.image_url,
    }
