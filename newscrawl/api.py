"""The one-call Python API: ``from newscrawl import extract, open_archive, fetched_page``.

>>> from newscrawl import extract
>>> record = extract(html, url="https://example.com/2024/11/05/story/")  # doctest: +SKIP
>>> record["headline"], record["published_at"], record["dropped"]  # doctest: +SKIP

:func:`extract` returns exactly the record ``newscrawl extract`` prints for a page (the same
sites file and minimum body length, from :mod:`newscrawl.settings`, unless given).
:func:`fetched_page` turns a Scrapy response of one's own spider into the item newscrawl's
pipelines store (README, "Using newscrawl's pipelines in your own Scrapy project").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.http import Response

    from newscrawl.archive import Archive
    from newscrawl.archive.archive import FullTextChoice
    from newscrawl.items import FetchedPage
    from newscrawl.sites import SiteConfig


def extract(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    content_type: str | None = None,
    sites: dict[str, SiteConfig] | str | Path | None = None,
    min_body_words: int | None = None,
) -> dict[str, Any]:
    """What newscrawl would store for one page served at ``url``, as a JSON-ready dict.

    The record has the article's fields (headline, body, published_at in ISO 8601 UTC, tags,
    ...) and ``dropped``: null, or the drop reason (a validation drop still shows what was
    extracted); a page that never became an article gives ``url``, ``dropped`` and ``error``.

    ``html`` is text (sent as UTF-8) or the raw bytes as fetched (their charset is detected,
    or taken from ``content_type``). ``fetched_at`` must be timezone-aware (default: now).
    ``sites`` is a sites file path or parsed sites (default: ``NEWSCRAWL_SITES_FILE``): a
    configured site covering ``url`` applies its overrides. ``min_body_words`` defaults to
    ``NEWSCRAWL_MIN_BODY_WORDS``.
    """
    from newscrawl import settings
    from newscrawl.items import HTML_UTF8
    from newscrawl.page import extract_record
    from newscrawl.sites import load_sites

    if fetched_at is None:
        fetched_at = datetime.now(UTC)
    elif fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    if isinstance(html, str):
        raw, content_type = html.encode("utf-8"), content_type or HTML_UTF8
    else:
        raw = html
    if sites is None:
        sites = settings.NEWSCRAWL_SITES_FILE
    site_map = load_sites(sites) if isinstance(sites, str | Path) else sites
    return extract_record(
        raw,
        url,
        content_type=content_type,
        fetched_at=fetched_at,
        sites=site_map,
        min_body_words=(
            settings.NEWSCRAWL_MIN_BODY_WORDS if min_body_words is None else min_body_words
        ),
    )


def open_archive(database: str | Path, *, full_text: FullTextChoice = "auto") -> Archive:
    """:func:`newscrawl.archive.open_archive` for a SQLAlchemy URL or a SQLite file path."""
    from newscrawl.archive import open_archive as open_url
    from newscrawl.commands.options import database_url

    return open_url(database_url(str(database)), full_text=full_text)


def fetched_page(response: Response, site: str | None = None) -> FetchedPage:
    """The :class:`~newscrawl.items.FetchedPage` item of a response (fetched now), for a spider
    of one's own whose items go through ``newscrawl.pipelines``; ``site`` defaults to the
    URL's ad-hoc name (host, and port when not the default)."""
    from newscrawl.items import FetchedPage
    from newscrawl.sites import ad_hoc_site_name

    content_type = response.headers.get(b"Content-Type")
    return FetchedPage(
        url=response.url,
        body=response.body,
        site=site or ad_hoc_site_name(response.url),
        fetched_at=datetime.now(UTC),
        content_type=content_type.decode("latin-1") if content_type else None,
        status=response.status,
    )
