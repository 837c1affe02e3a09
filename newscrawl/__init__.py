"""newscrawl: a Scrapy news crawler that stores one clean, normalized record per article.

``from newscrawl import extract, open_archive, fetched_page`` (:mod:`newscrawl.api`), imported on
first use, so ``import newscrawl`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "fetched_page", "open_archive"]
_API = frozenset({"extract", "fetched_page", "open_archive"})

if TYPE_CHECKING:
    from newscrawl.api import extract, fetched_page, open_archive


def __getattr__(name: str) -> Any:
    """Lazy ``extract``, ``fetched_page`` and ``open_archive`` (from :mod:`newscrawl.api`)."""
    if name in _API:
        from newscrawl import api

        return getattr(api, name)
    raise AttributeError(f"module 'newscrawl' has no attribute {name!r}")
