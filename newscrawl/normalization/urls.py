"""URL canonicalization and same-site checks.

``canonicalize_url`` turns the many spellings of an article URL (relative links, tracking
parameters, fragments, default ports, upper-case hosts, ``%7E`` for ``~``, ``/a/../b``) into one
stable string, so that the same article found through a feed, a sitemap and a start page is stored
once: w3lib's canonicalization, with newscrawl's tracking parameters and default ports removed
first. Registrable domains come from the Public Suffix List (tldextract's bundled snapshot).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, unquote_plus, urljoin, urlsplit, urlunsplit

import w3lib.url

if TYPE_CHECKING:
    import tldextract

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that identify a campaign, a click or a share, never the page itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "cmp",
        "xtor",
        "ito",
        "ico",
        "icid",
        "ocid",
        "share",
        "spm",
        "smid",
        "smtyp",
        "dicbo",
        "mkt_tok",
        "mbid",
        "sc_cid",
        "s_cid",
        "s_kwcid",
        "ef_id",
        "fb_action_ids",
        "fb_action_types",
        "fb_ref",
        "fb_source",
        "action_object_map",
        "action_type_map",
        "action_ref_map",
        "sr_share",
        "ncid",
        "cmpgn",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)
TRACKING_PREFIXES = (
    "utm_",
    "at_",
    "wt_",
    "wt.",
    "ns_",
    "pk_",
    "mtm_",
    "matomo_",
    "piwik_",
    "hsa_",
    "_hs",
    "oly_",
    "vero_",
    "trk_",
    "ga_",
)

_STRAY_WHITESPACE = re.compile(r"[\t\n\r]")
_BAD_HOST_CHARS = frozenset(' <>"{}|\\^`%[]/?#@')
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
MAX_URL_LENGTH = 8192


def is_tracking_param(key: str) -> bool:
    """True when a query parameter name (raw or percent-encoded) is a known tracking parameter."""
    name = unquote_plus(key).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _without_tracking(query: str) -> str:
    """``query`` without empty pairs and tracking parameters, the rest as written."""
    return "&".join(
        pair for pair in query.split("&") if pair and not is_tracking_param(pair.split("=", 1)[0])
    )


def ascii_host(host: str) -> str:
    """``host`` in the one form newscrawl compares and stores: lower case, IDNA-encoded
    (``bücher.example`` -> ``xn--bcher-kva.example``), as Scrapy requests it and w3lib
    canonicalizes it. A host IDNA cannot encode is returned lower-cased, unchanged."""
    host = host.strip().rstrip(".")
    if host.isascii():
        return host.lower()
    try:
        return unicodedata.normalize("NFKC", host).encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host.lower()


def _clean_host(hostname: str) -> str | None:
    host = ascii_host(hostname)
    if not host or any(c in _BAD_HOST_CHARS or c.isspace() for c in host):
        return None
    return host


def canonicalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of an http(s) URL, or None when it is not one.

    Resolves ``url`` against ``base``; drops user info, default ports, the fragment and tracking
    parameters (``utm_*``, ``fbclid``, ...); then applies w3lib's ``canonicalize_url``:
    lower-case scheme and host (IDNA-encoded), dot segments resolved (``/a/../b`` -> ``/b``),
    percent-encoding normalized (``%7E`` -> ``~``, ``%2f`` -> ``%2F``), query arguments sorted.
    Path case is kept. Idempotent: ``canonicalize_url(canonicalize_url(u)) ==
    canonicalize_url(u)``.
    """
    if not isinstance(url, str) or not isinstance(base, str | None):
        return None
    return _canonical(url, base)


# The same navigation links recur on every page of a site: their spellings are cached.
_CANONICAL_CACHE_SIZE = 8192


def _http_parts(url: str) -> tuple[SplitResult, str, str, int | None] | None:
    """An http(s) URL split: its parts, lower-case scheme, cleaned host and port; None for any
    other scheme, a missing or invalid host, or an unreadable port."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        port = parts.port
    except ValueError:
        return None
    host = _clean_host(parts.hostname)
    return None if host is None else (parts, scheme, host, port)


@functools.lru_cache(maxsize=_CANONICAL_CACHE_SIZE)
def _canonical(url: str, base: str | None) -> str | None:
    url = _STRAY_WHITESPACE.sub("", url).strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        if base:
            url = urljoin(_STRAY_WHITESPACE.sub("", base).strip(), url)
    except ValueError:
        return None
    http = _http_parts(url)
    if http is None:
        return None
    parts, scheme, host, port = http
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    stripped = urlunsplit((scheme, netloc, parts.path, _without_tracking(parts.query), ""))
    try:
        canonical = w3lib.url.canonicalize_url(stripped)
        hostname = urlsplit(canonical).hostname
    except (ValueError, UnicodeError):  # a host IDNA cannot encode
        return None
    # IDNA can map a valid host to an invalid one ("¨" -> "xn-- -ccb").
    return canonical if hostname and _clean_host(hostname) == hostname else None


def url_host(url: str) -> str | None:
    """The host of a URL (or of a bare host name) as :func:`ascii_host` spells it, without
    ``www.``-stripping."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        hostname = urlsplit(text).hostname
    except ValueError:
        return None
    return _clean_host(hostname) if hostname else None


@functools.cache
def _public_suffix_list() -> tldextract.TLDExtract:
    """The Public Suffix List snapshot bundled with tldextract, private domains included: never
    fetched from the network, never cached on disk. Loaded on first use."""
    import tldextract  # lazy: importing it costs ~0.1 s

    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@functools.lru_cache(maxsize=_CANONICAL_CACHE_SIZE)
def registrable_domain(host: str) -> str:
    """The registrable part of a host name, by the Public Suffix List.

    ``www.bbc.co.uk`` -> ``bbc.co.uk``, ``alice.github.io`` -> ``alice.github.io`` (private
    suffixes count). A host the list does not know (``news.example``) gets the PSL default
    rule: its last two labels. IP addresses, single labels (``localhost``) and public suffixes
    themselves are returned unchanged (lower-cased, without a trailing dot).
    """
    host = host.strip().rstrip(".").lower()
    if ":" in host or _IPV4.fullmatch(host):
        return host
    host = ".".join(label for label in host.split(".") if label)
    parts = _public_suffix_list()(host)
    if parts.suffix:
        return f"{parts.domain}.{parts.suffix}" if parts.domain else host
    return ".".join(host.split(".")[-2:])


def valid_port(url: str) -> bool:
    """False when ``url`` names a port that is not 0-65535 in ASCII digits (``:99999``,
    ``:80:80``, ``:abc``, full-width digits): such a URL cannot be requested."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return False
    host_port = netloc.rpartition("@")[2]
    if host_port.startswith("["):  # IPv6: the port follows the closing bracket
        _, bracket, rest = host_port.partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return False
        port = rest[1:]
    else:
        port = host_port.partition(":")[2]
    return not port or (port.isascii() and port.isdigit() and int(port) <= 65535)


def site_identity(url: str) -> tuple[str, int | None] | None:
    """Which site a URL belongs to: its registrable domain by the Public Suffix List (private
    section included: ``alice.github.io`` and ``bob.github.io`` are two sites) and its port
    (None for the scheme's default port, so ``http://x/`` and ``https://x/`` are one site while
    ``http://x:8080/`` is another). None for anything but an http(s) URL with a valid port."""
    http = _http_parts(url.strip()) if valid_port(url) else None
    if http is None:
        return None
    _parts, scheme, host, port = http
    return registrable_domain(host), None if port in (None, DEFAULT_PORTS[scheme]) else port


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs belong to one site (:func:`site_identity`: registrable domain and
    port). Bare host names compare by registrable domain alone."""
    if "//" in url_a and "//" in url_b:
        identity_a = site_identity(url_a)
        return identity_a is not None and identity_a == site_identity(url_b)
    host_a, host_b = url_host(url_a), url_host(url_b)
    if not host_a or not host_b:
        return False
    return registrable_domain(host_a) == registrable_domain(host_b)


def points_home(url: str, page_url: str) -> bool:
    """Whether ``url`` (resolved against ``page_url``) is a home page (path empty or "/", no
    query) while ``page_url`` is not: page metadata pointing there describes the site, not the
    page."""
    target = urlsplit(urljoin(page_url, url.strip()))
    page = urlsplit(page_url)
    return (
        target.path in ("", "/")
        and not target.query
        and (page.path not in ("", "/") or bool(page.query))
    )


def host_in_domains(host: str, domains: Iterable[str]) -> bool:
    """True if ``host`` (a bare host name, as ``urlsplit(url).hostname`` gives it: no port, no
    user info) is one of ``domains`` or a subdomain of one, case-insensitively, Unicode and
    punycode spellings alike (:func:`ascii_host`), and with a leading ``www.`` ignored on both
    sides (Scrapy's ``url_is_from_any_domain``)."""
    from scrapy.utils.url import url_is_from_any_domain  # lazy: importing Scrapy costs ~0.2 s

    bare = [ascii_host(domain).removeprefix("www.") for domain in domains]
    return url_is_from_any_domain("//" + ascii_host(host).removeprefix("www."), bare)
