"""The sites file (``sites.toml``): which sites to crawl, how, how often, and per-site extraction
overrides. Loading validates every entry and reports the site, the key and what is wrong before
anything runs.

Example::

    [sites.worldmag]
    start_urls = ["https://worldmag.example/"]
    feeds = ["https://worldmag.example/feed/"]
    sitemaps = ["https://worldmag.example/sitemap.xml"]
    allowed_domains = ["worldmag.example"]
    allow = ['/\\d{4}/\\d{2}/']       # article URL patterns (regex, searched in the URL)
    deny = ['/tag/', '/author/']
    max_depth = 2
    max_pages = 500
    max_article_age = "30d"
    max_sitemaps = 50                 # sitemaps read per crawl (NEWSCRAWL_MAX_SITEMAPS)
    time_limit = "2h"                 # wall-clock limit of one crawl (NEWSCRAWL_TIME_LIMIT)
    schedule = "30m"                  # an interval, or a cron expression: "*/15 * * * *"
    recrawl_window = "48h"
    language = "en"

    [sites.worldmag.extract]          # CSS selectors layered over generic extraction
    headline = "h1.entry-title"
    body = "div.entry-content"
    prune = [".sponsored-box"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import re2

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

DEFAULT_RECRAWL_WINDOW = timedelta(hours=48)
# Durations in the sites file: at least a second, at most ten years.
MIN_DURATION_SECONDS = 1.0
MAX_DURATION_SECONDS = 10 * 365 * 86400.0


class SitesFileError(ValueError):
    """An invalid sites file or entry; the message names the site and the key."""

    def __init__(self, message: str, site: str | None = None, key: str | None = None) -> None:
        where = ""
        if site:
            where = f"site {site!r}"
            if key:
                where += f", key {key!r}"
            where += ": "
        super().__init__(where + message)
        self.site = site
        self.key = key


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a site is crawled: every ``interval``, or at the times of a ``cron`` expression."""

    interval: timedelta | None = None
    cron: str | None = None

    def describe(self) -> str:
        """A short human-readable form, as written in the sites file."""
        return self.cron if self.cron else f"every {self.interval}"


@dataclass(frozen=True, slots=True)
class ExtractOverrides:
    """Per-site CSS selectors that replace generic extraction for single fields."""

    headline: str | None = None
    body: str | None = None
    summary: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: str | None = None
    tags: str | None = None
    section: str | None = None
    prune: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when no field is overridden and nothing extra is pruned."""
        return self == ExtractOverrides()


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """One site to crawl."""

    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    max_depth: int | None = None
    max_pages: int | None = None
    max_article_age: timedelta | None = None
    follow_links: bool = True
    discover_feeds: bool = True
    discover_sitemaps: bool = True
    language: str | None = None
    date_order: str | None = None  # "DMY", "MDY", "YMD" for ambiguous numeric dates
    timezone: str | None = None  # IANA zone of times the site writes without an offset
    schedule: Schedule | None = None
    recrawl_window: timedelta = DEFAULT_RECRAWL_WINDOW
    max_sitemaps: int | None = None  # None: NEWSCRAWL_MAX_SITEMAPS
    time_limit: timedelta | None = None  # None: NEWSCRAWL_TIME_LIMIT
    extract: ExtractOverrides = field(default_factory=ExtractOverrides)

    @classmethod
    def ad_hoc(cls, url: str) -> SiteConfig:
        """A site for ``-a url=URL``: start at the URL, stay on its host; named by
        :func:`ad_hoc_site_name`."""
        host = urlsplit(url).hostname or ""
        return cls(
            name=ad_hoc_site_name(url), start_urls=(url,), allowed_domains=(host,) if host else ()
        )

    def matches_domain(self, host: str) -> bool:
        """True if ``host`` is one of the site's domains or a subdomain of one (``www.`` ignored,
        :func:`~newscrawl.normalization.urls.host_in_domains`)."""
        from newscrawl.normalization.urls import host_in_domains  # lazy: w3lib costs ~45 ms

        return host_in_domains(host, self.allowed_domains)


class UrlPattern(Protocol):
    """A compiled sites-file pattern (:func:`compile_url_pattern`)."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str) -> object | None: ...


def compile_url_pattern(pattern: str) -> UrlPattern:
    """Compile an ``allow``/``deny`` pattern with RE2, which matches in time linear in the URL's
    length: no pattern (``(a+)+$``) can hold a crawl by backtracking.

    Raises:
        ValueError: the pattern is invalid, or uses what RE2 cannot do in linear time
            (backreferences, lookaround).
    """
    options = re2.Options()
    options.log_errors = False  # the error is raised, not printed by the C++ library
    try:
        compiled: UrlPattern = re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"{reason} (patterns are matched by RE2 in linear time: no backreferences or "
            "lookaround)"
        ) from exc
    return compiled


_DEFAULT_PORTS = {"http": 80, "https": 443}


def ad_hoc_site_name(url: str) -> str:
    """The site name of a URL outside the sites file: its host without ``www.``, plus the port
    when it is not the scheme's default (``127.0.0.1:8765`` and ``127.0.0.1:8766`` are two
    sites; ``http://example.com/`` and ``https://example.com/`` are one). ``local`` when the
    URL has no host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return "local"
    try:
        port = parts.port
    except ValueError:  # an out-of-range port: name the site by its host alone
        port = None
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def parse_duration(value: object, *, site: str, key: str) -> timedelta:
    """``"30m"``, ``"48h"``, ``"7d"``, ``"2w"`` or a number of seconds → timedelta, from
    :data:`MIN_DURATION_SECONDS` (one second) to :data:`MAX_DURATION_SECONDS` (ten years)."""
    if isinstance(value, bool):
        raise SitesFileError(f"expected a duration like '30m' or '48h', got {value!r}", site, key)
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION_RE.match(value)):
        seconds = float(m.group(1)) * _DURATION_UNITS[m.group(2)]
    else:
        raise SitesFileError(
            f"expected a duration like '30m', '48h' or '7d', got {value!r}", site, key
        )
    if not seconds > 0:  # also NaN
        raise SitesFileError(f"duration must be positive, got {value!r}", site, key)
    if seconds < MIN_DURATION_SECONDS:
        raise SitesFileError(f"duration must be at least 1 second, got {value!r}", site, key)
    if seconds > MAX_DURATION_SECONDS:
        raise SitesFileError(f"duration must be at most 10 years, got {value!r}", site, key)
    return timedelta(seconds=seconds)


def parse_schedule(value: object, *, site: str) -> Schedule:
    """An interval (``"30m"``) or a five-field cron expression (``"*/15 * * * *"``, in UTC).

    A cron expression that never fires (``"0 0 31 2 *"``) is rejected too.
    """
    if isinstance(value, str) and not _DURATION_RE.match(value) and len(value.split()) > 1:
        if len(value.split()) != 5:
            raise SitesFileError(
                "expected an interval like '30m' or a five-field cron expression like "
                f"'*/15 * * * *', got {value!r} ({len(value.split())} fields)",
                site,
                "schedule",
            )
        from datetime import UTC, datetime

        from apscheduler.triggers.cron import CronTrigger  # imported only when a cron is used

        try:
            trigger = CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise SitesFileError(
                f"invalid cron expression {value!r}: {exc}", site, "schedule"
            ) from exc
        if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
            raise SitesFileError(f"cron expression {value!r} never fires", site, "schedule")
        return Schedule(cron=value)
    return Schedule(interval=parse_duration(value, site=site, key="schedule"))


def _str_list(raw: dict[str, Any], key: str, site: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SitesFileError("expected a list of non-empty strings", site, key)
    return tuple(v.strip() for v in value)


def _url_list(raw: dict[str, Any], key: str, site: str) -> tuple[str, ...]:
    urls = _str_list(raw, key, site)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesFileError(f"not an http(s) URL: {url!r}", site, key)
    return urls


def _regex_list(raw: dict[str, Any], key: str, site: str) -> tuple[str, ...]:
    patterns = _str_list(raw, key, site)
    for pattern in patterns:
        try:
            compile_url_pattern(pattern)
        except ValueError as exc:
            raise SitesFileError(
                f"invalid regular expression {pattern!r}: {exc}", site, key
            ) from exc
    return patterns


def _positive_int(raw: dict[str, Any], key: str, site: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SitesFileError(f"expected a non-negative integer, got {value!r}", site, key)
    return value


def _bool(raw: dict[str, Any], key: str, site: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise SitesFileError(f"expected true or false, got {value!r}", site, key)
    return value


def _selector(raw: dict[str, Any], key: str, site: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SitesFileError("expected a CSS selector string", site, f"extract.{key}")
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise SitesFileError(
            f"invalid CSS selector {value!r}: {exc}", site, f"extract.{key}"
        ) from exc
    return value.strip()


_SITE_KEYS = frozenset(
    {
        "start_urls", "feeds", "sitemaps", "allowed_domains", "allow", "deny", "max_depth",
        "max_pages", "max_article_age", "follow_links", "discover_feeds", "discover_sitemaps",
        "language", "date_order", "timezone", "schedule", "recrawl_window", "extract",
        "max_sitemaps", "time_limit",
    }
)  # fmt: skip
_EXTRACT_KEYS = frozenset(
    {"headline", "body", "summary", "published", "modified", "authors", "tags", "section", "prune"}
)


def _timezone(value: object, site: str) -> str | None:
    """An IANA time zone name (``"Europe/Berlin"``), checked against the zone database."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            pass
        else:
            return value.strip()
    raise SitesFileError(
        f"expected a time zone like 'Europe/Berlin', got {value!r}", site, "timezone"
    )


def parse_site(name: str, raw: object) -> SiteConfig:
    """Validate one ``[sites.NAME]`` table and build its :class:`SiteConfig`."""
    if not _SLUG_RE.match(name):
        raise SitesFileError("site names may use letters, digits, '_', '-' and '.'", name)
    if not isinstance(raw, dict):
        raise SitesFileError("expected a table", name)
    unknown = sorted(set(raw) - _SITE_KEYS)
    if unknown:
        raise SitesFileError(
            f"unknown key (allowed: {', '.join(sorted(_SITE_KEYS))})", name, unknown[0]
        )
    start_urls = _url_list(raw, "start_urls", name)
    feeds = _url_list(raw, "feeds", name)
    sitemaps = _url_list(raw, "sitemaps", name)
    if not (start_urls or feeds or sitemaps):
        raise SitesFileError(
            "needs at least one of start_urls, feeds or sitemaps", name, "start_urls"
        )
    domains = _str_list(raw, "allowed_domains", name)
    if not domains:
        hosts = {urlsplit(u).hostname for u in (*start_urls, *feeds, *sitemaps)}
        domains = tuple(sorted(h for h in hosts if h))
    language = raw.get("language")
    if language is not None and (
        not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}", language)
    ):
        raise SitesFileError(
            f"expected a language code like 'en', got {language!r}", name, "language"
        )
    date_order = raw.get("date_order")
    if date_order is not None and date_order not in ("DMY", "MDY", "YMD"):
        raise SitesFileError(f"expected DMY, MDY or YMD, got {date_order!r}", name, "date_order")
    timezone = _timezone(raw.get("timezone"), name)
    age = raw.get("max_article_age")
    window = raw.get("recrawl_window")
    time_limit = raw.get("time_limit")
    extract_raw = raw.get("extract", {})
    if not isinstance(extract_raw, dict):
        raise SitesFileError("expected a table of CSS selectors", name, "extract")
    unknown = sorted(set(extract_raw) - _EXTRACT_KEYS)
    if unknown:
        raise SitesFileError(
            f"unknown key (allowed: {', '.join(sorted(_EXTRACT_KEYS))})",
            name,
            f"extract.{unknown[0]}",
        )
    prune = _str_list(extract_raw, "prune", name)
    for selector in prune:
        _selector({"prune": selector}, "prune", name)
    overrides = ExtractOverrides(
        **{k: _selector(extract_raw, k, name) for k in _EXTRACT_KEYS - {"prune"}}, prune=prune
    )
    return SiteConfig(
        name=name,
        start_urls=start_urls,
        feeds=feeds,
        sitemaps=sitemaps,
        allowed_domains=domains,
        allow=_regex_list(raw, "allow", name),
        deny=_regex_list(raw, "deny", name),
        max_depth=_positive_int(raw, "max_depth", name),
        max_pages=_positive_int(raw, "max_pages", name),
        max_article_age=parse_duration(age, site=name, key="max_article_age")
        if age is not None
        else None,
        follow_links=_bool(raw, "follow_links", name, True),
        discover_feeds=_bool(raw, "discover_feeds", name, True),
        discover_sitemaps=_bool(raw, "discover_sitemaps", name, True),
        language=language,
        date_order=date_order,
        timezone=timezone,
        schedule=parse_schedule(raw["schedule"], site=name) if "schedule" in raw else None,
        recrawl_window=(
            parse_duration(window, site=name, key="recrawl_window")
            if window is not None
            else DEFAULT_RECRAWL_WINDOW
        ),
        max_sitemaps=_positive_int(raw, "max_sitemaps", name),
        time_limit=(
            parse_duration(time_limit, site=name, key="time_limit")
            if time_limit is not None
            else None
        ),
        extract=overrides,
    )


def parse_sites(data: dict[str, Any]) -> dict[str, SiteConfig]:
    """Validate a parsed sites document (``{"sites": {NAME: {...}}}``)."""
    unknown = sorted(set(data) - {"sites"})
    if unknown:
        raise SitesFileError(f"unknown top-level key {unknown[0]!r}; sites go under [sites.NAME]")
    sites = data.get("sites", {})
    if not isinstance(sites, dict):
        raise SitesFileError("'sites' must be a table of [sites.NAME] tables")
    return {name: parse_site(name, raw) for name, raw in sites.items()}


def load_sites(path: str | Path) -> dict[str, SiteConfig]:
    """Read and validate a sites file. A missing file means no sites."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SitesFileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sites(data)


def site_for_url(sites: dict[str, SiteConfig], url: str) -> SiteConfig | None:
    """The configured site whose domains cover ``url``'s host, if any."""
    host = urlsplit(url).hostname or ""
    for site in sites.values():
        if site.matches_domain(host):
            return site
    return None
