"""Storage: the SQLAlchemy schema (``models``), engines and migrations (``engine``), and the
read/write API the pipelines, CLI and scheduler use (``store``)."""

from __future__ import annotations

from newscrawl.storage.engine import (
    SchemaError,
    SchemaStatus,
    ensure_schema,
    make_engine,
    migrate,
    schema_status,
)
from newscrawl.storage.records import (
    ArticleVersion,
    CrawlRun,
    SaveResult,
    StoredArticle,
    StoredUrl,
)
from newscrawl.storage.store import ArticleStore

__all__ = [
    "ArticleStore",
    "ArticleVersion",
    "CrawlRun",
    "SaveResult",
    "SchemaError",
    "SchemaStatus",
    "StoredArticle",
    "StoredUrl",
    "ensure_schema",
    "make_engine",
    "migrate",
    "schema_status",
]
