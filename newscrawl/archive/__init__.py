"""Query the archive from Python: filter, search, count and summarize stored articles.

>>> from newscrawl.archive import open_archive
>>> with open_archive("sqlite:///newscrawl.db") as archive:  # doctest: +SKIP
...     for article in archive.articles(tag="Politics", since="2024-11-01", limit=10):
...         print(article.published_at, article.headline, article.tags)
"""

from __future__ import annotations

from newscrawl.archive.archive import Archive, ArchiveError, open_archive
from newscrawl.archive.filters import SORT_ORDERS, ArticleQuery, QueryError, SortOrder, parse_when
from newscrawl.archive.stats import STAT_FIELDS, SiteStats

__all__ = [
    "SORT_ORDERS",
    "STAT_FIELDS",
    "Archive",
    "ArchiveError",
    "ArticleQuery",
    "QueryError",
    "SiteStats",
    "SortOrder",
    "open_archive",
    "parse_when",
]
