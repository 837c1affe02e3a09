"""URL canonicalization and same-site checks.

``canonicalize_url`` turns the many spellings of an article URL (relative links, tracking
parameters, fragments, default ports, upper-case hosts) into one stable string, so that the same
article found through a feed, a sitemap and a start page is stored once.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

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

# Second-level labels that registries use under a country TLD ("bbc.co.uk", "abc.net.au").
COMMON_SLDS = frozenset(
    {
        "co",
        "com",
        "org",
        "net",
        "ac",
        "gov",
        "edu",
        "or",
        "ne",
        "go",
        "gob",
        "gouv",
        "nic",
        "mil",
        "ltd",
        "plc",
        "sch",
        "nhs",
        "info",
        "biz",
        "web",
        "gen",
        "nom",
        "id",
        "asn",
    }
)

_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_STRAY_WHITESPACE = re.compile(r"[\t\n\r]")
_BAD_HOST_CHARS = frozenset(' <>"{}|\\^`%[]/?#@')
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
MAX_URL_LENGTH = 8192


def is_tracking_param(key: str) -> bool:
    """True when a query parameter name (raw or percent-encoded) is a known tracking parameter."""
    name = unquote_plus(key).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _upper_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: m.group(0).upper(), text)


def _clean_query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        if not pair or is_tracking_param(pair.split("=", 1)[0]):
            continue
        kept.append(_upper_escapes(quote(pair, safe=_QUERY_SAFE)))
    return "&".join(kept)


def _clean_host(hostname: str) -> str | None:
    host = hostname.strip().rstrip(".").lower()
    if not host or any(c in _BAD_HOST_CHARS or c.isspace() for c in host):
        return None
    return host


def canonicalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of an http(s) URL, or None when it is not one.

    Resolves ``url`` against ``base``, lower-cases scheme and host, drops user info, default
    ports, the fragment and tracking parameters (``utm_*``, ``fbclid``, ...), percent-encodes
    what must be encoded, and keeps path case and the order of the other query parameters.
    Idempotent: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``.
    """
    if not isinstance(url, str):
        return None
    url = _STRAY_WHITESPACE.sub("", url).strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        if base:
            url = urljoin(_STRAY_WHITESPACE.sub("", base).strip(), url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        port = parts.port
    except ValueError:
        return None
    host = _clean_host(parts.hostname)
    if host is None:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _upper_escapes(quote(parts.path, safe=_PATH_SAFE)) or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def url_host(url: str) -> str | None:
    """The lower-case host of a URL (or of a bare host name), without ``www.``-stripping."""
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


def registrable_domain(host: str) -> str:
    """The registrable part of a host name, by a simple rule.

    The last two labels (``www.nytimes.com`` -> ``nytimes.com``), or the last three when the
    second-level label is a common registry label under a country TLD (``www.bbc.co.uk`` ->
    ``bbc.co.uk``). IP addresses are returned unchanged.
    """
    host = host.strip().rstrip(".").lower()
    if ":" in host or _IPV4.fullmatch(host):
        return host
    labels = [label for label in host.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in COMMON_SLDS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs (or host names) have the same registrable domain."""
    host_a, host_b = url_host(url_a), url_host(url_b)
    if not host_a or not host_b:
        return False
    return registrable_domain(host_a) == registrable_domain(host_b)
