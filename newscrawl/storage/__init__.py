"""Storage: the SQLAlchemy schema (``models``), engines and migrations (``engine``), and the
read/write API the pipelines, CLI and scheduler use (``store``).

Names are imported on first use (PEP 562), so ``from newscrawl.storage.records import ...`` or
a CLI command that never touches the database does not pay for SQLAlchemy and Alembic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "SchemaError": "engine",
    "SchemaStatus": "engine",
    "ensure_schema": "engine",
    "make_engine": "engine",
    "migrate": "engine",
    "schema_status": "engine",
    "ArticleVersion": "records",
    "CrawlRun": "records",
    "SaveResult": "records",
    "StoredArticle": "records",
    "StoredUrl": "records",
    "ArticleStore": "store",
}

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

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newscrawl.storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"newscrawl.storage.{module}"), name)
    globals()[name] = value
    return value
