"""The news spider's ``-a`` arguments: which site to crawl and its limits."""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl.sites import SiteConfig, load_sites


class SpiderArgumentError(ValueError):
    """Missing, conflicting or invalid ``-a`` arguments of the news spider."""


def parse_limit(value: object, name: str) -> int | None:
    """A ``-a max_pages=N`` style argument as a non-negative int (None when not given)."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise SpiderArgumentError(f"-a {name} must be a non-negative integer, got {value!r}")
    return number


def require_one_target(url: str | None, site: str | None) -> None:
    """Raise SpiderArgumentError unless exactly one of ``-a url`` and ``-a site`` is given."""
    if (url is None) == (site is None):
        raise SpiderArgumentError(
            "the news spider needs exactly one of -a url=URL (crawl one site ad hoc) "
            "or -a site=NAME (a site from the sites file)"
        )


def resolve_site(url: str | None, site: str | None, sites_file: str | None) -> SiteConfig:
    """The site to crawl for ``-a url=URL`` or ``-a site=NAME`` (exactly one of them).

    Raises:
        SpiderArgumentError: none or both given, a bad URL, or a site name the sites file lacks.
        newscrawl.sites.SitesFileError: the sites file is invalid.
    """
    require_one_target(url, site)
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SpiderArgumentError(f"-a url must be an http(s) URL, got {url!r}")
        return SiteConfig.ad_hoc(url)
    sites = load_sites(sites_file) if sites_file else {}
    if site not in sites:
        available = ", ".join(sorted(sites)) or "none"
        raise SpiderArgumentError(
            f"unknown site {site!r} in sites file {sites_file}; available sites: {available}"
        )
    return sites[site]


def first_given(*values: int | None) -> int:
    """The first value that is not None (the last one must not be)."""
    return next(value for value in values if value is not None)
