"""Discovery stage: links out of a page, which of them to follow, and which look like articles.

Everything here takes URL strings or an lxml tree and holds on any site: no site-specific rules
except those a :class:`~newscrawl.sites.SiteConfig` supplies (domains, allow and deny patterns).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, unquote, unquote_plus, urldefrag, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from newscrawl.extraction.page import PAGE_LIMITS, parse_html
from newscrawl.normalization.urls import host_in_domains, valid_port
from newscrawl.urlvocab import (
    ARCHIVE_PREFIXES,
    EXCLUDED_SEGMENTS,
    LISTING_PREFIXES,
    NON_ARTICLE_LEAVES,
)

if TYPE_CHECKING:
    from newscrawl.sites import SiteConfig, UrlPattern

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Links to these are never pages: assets, documents, media, feeds, data.
EXCLUDED_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic",
        "pdf", "zip", "gz", "tgz", "bz2", "xz", "rar", "7z", "tar", "dmg", "exe", "apk", "msi",
        "mp3", "mp4", "m4a", "m4v", "mov", "avi", "wmv", "webm", "ogg", "oga", "ogv", "wav",
        "flac", "mkv", "css", "js", "mjs", "map", "xml", "json", "rss", "atom", "rdf", "txt",
        "csv", "xls", "xlsx", "doc", "docx", "ppt", "pptx", "odt", "ods", "epub", "ics", "vcf",
        "woff", "woff2", "ttf", "otf", "eot",
    }
)  # fmt: skip
# Query keys of comment replies, share dialogs, print views, search results and feeds.
EXCLUDED_QUERY_KEYS = frozenset(
    {
        "replytocom", "share", "print", "s", "q", "query", "search", "searchterm", "action",
        "redirect_to", "feed", "amp",
    }
)  # fmt: skip
# Query keys (or values shaped like YYYY-MM[-DD]) of endless calendar and archive navigation.
CALENDAR_QUERY_KEYS = frozenset(
    {
        "calendar", "cal", "ical", "month", "year", "day", "week", "date", "tribe-bar-date",
        "eventdate", "eventdisplay",
    }
)  # fmt: skip
# Query keys that carry a session id (``aspsessionid`` also with a suffix): one page under
# endless URLs. ``sid`` is left alone in queries, where it is often a story id.
SESSION_ID_QUERY_KEYS = frozenset(
    {
        "phpsessid", "jsessionid", "aspsessionid", "sessionid", "session_id", "sessid", "cfid",
        "cftoken", "zenid", "oscsid",
    }
)  # fmt: skip
MAX_URL_LENGTH = 500
MAX_PATH_SEGMENTS = 10

ARTICLE_EXTENSIONS = frozenset({"html", "htm", "shtml", "php", "asp", "aspx"})
# Query keys whose numeric value names one story: WordPress ?p=123, ?id=4567, ...
ARTICLE_ID_QUERY_KEYS = frozenset(
    {"p", "id", "articleid", "article_id", "storyid", "story_id", "newsid", "news_id", "aid"}
)

RejectionReason = Literal["scheme", "malformed", "offsite", "trap", "excluded", "denied"]
# Why a redirect is not followed, by the policy's rejection of its target.
REDIRECT_REFUSALS: dict[str, str] = {
    "scheme": "RedirectToUnsupportedScheme",
    "malformed": "RedirectToMalformedUrl",
    "offsite": "OffsiteRedirect",
    "trap": "RedirectToTrap",
    "excluded": "RedirectToExcludedUrl",
    "denied": "RedirectToDeniedUrl",
}
REDIRECT_LOOP = "RedirectLoop"

_WHITESPACE_INSIDE_URL_RE = re.compile(r"[\t\n\r]")
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
_MONTH_OR_DAY_RE = re.compile(r"^\d{1,2}$")
_COMPACT_DATE_RE = re.compile(r"^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:[012]\d|3[01])$")
_DATE_VALUE_RE = re.compile(r"^(?:19|20)\d\d-\d{1,2}(?:-\d{1,2})?$")
_TOKEN_SPLIT_RE = re.compile(r"[-_.+~]+")
# The spider's parse keeps every element and link: the element-count and inline-run caps of
# PAGE_LIMITS protect extraction (which applies them when it takes the tree over), while reading
# links is linear, and a tag cloud or a long archive list must not lose its links to them.
LINK_DISCOVERY_LIMITS = replace(PAGE_LIMITS, max_elements=2**62, max_inline_run=2**62)
_PATH_SESSION_ID_RE = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/;?#]*", re.IGNORECASE)


def parse_html_document(text: str) -> lxml.html.HtmlElement | None:
    """Parse decoded HTML into a tree (:func:`newscrawl.extraction.page.parse_html` with
    :data:`LINK_DISCOVERY_LIMITS`: deep nesting flattened, no element or link dropped); None
    when there is no markup. Never raises."""
    if not text.strip():
        return None
    try:
        return parse_html(text, LINK_DISCOVERY_LIMITS)
    except ValueError:
        # lxml refuses str input that carries an XML encoding declaration (XHTML pages).
        text = _XML_DECLARATION_RE.sub("", text, count=1)
    except etree.ParserError:
        return None
    try:
        return parse_html(text, LINK_DISCOVERY_LIMITS)
    except (ValueError, etree.ParserError):
        return None


def resolve_link(base_url: str, href: str) -> str | None:
    """``href`` resolved against ``base_url``, fragment and session ids dropped
    (:func:`strip_session_ids`); None unless absolute http(s)."""
    href = _WHITESPACE_INSIDE_URL_RE.sub("", href.strip())
    if not href:
        return None
    try:
        url, _fragment = urldefrag(urljoin(base_url, href))
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return None
    return strip_session_ids(url)


def _is_session_key(piece: str) -> bool:
    key = unquote_plus(piece.split("=", 1)[0]).strip().lower()
    return key in SESSION_ID_QUERY_KEYS or key.startswith("aspsessionid")


def strip_session_ids(url: str) -> str:
    """``url`` without session-id query parameters (:data:`SESSION_ID_QUERY_KEYS`) and
    ``;jsessionid=...``-style path parameters; everything else is kept as written. A page
    without a canonical link would otherwise be fetched and stored once per session."""
    parts = urlsplit(url)
    path = _PATH_SESSION_ID_RE.sub("", parts.path)
    pieces = parts.query.split("&") if parts.query else []
    kept = [piece for piece in pieces if not _is_session_key(piece)]
    if path == parts.path and len(kept) == len(pieces):
        return url
    return urlunsplit(parts._replace(path=path, query="&".join(kept)))


def document_base_url(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: the first ``<base href>``, else ``page_url``."""
    for base in tree.iter("base"):
        href = base.get("href")
        if href:
            return resolve_link(page_url, href) or page_url
    return page_url


def extract_links(tree: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """The distinct http(s) targets of ``<a href>`` and ``<area href>``, in document order.

    Links are resolved (honouring ``<base href>``) and fragments dropped; links back to the
    page itself and ``javascript:``, ``mailto:``, ``tel:``, ``data:``, ``file:``, ``ftp:`` and
    other non-http schemes are left out.
    """
    base = document_base_url(tree, base_url)
    page_url = urldefrag(base_url)[0]
    found: dict[str, None] = {}
    for element in tree.iter("a", "area"):
        href = element.get("href")
        if href is None:
            continue
        url = resolve_link(base, href)
        if url is not None and url != page_url:
            found.setdefault(url, None)
    return list(found)


def _path_segments(path: str) -> list[str]:
    return [segment for segment in unquote(path).split("/") if segment]


def _split_extension(segment: str) -> tuple[str, str]:
    stem, dot, extension = segment.rpartition(".")
    if not dot or not stem:
        return segment, ""
    return stem, extension.lower()


_ID_KEY_SUFFIXES = ("articleid", "storyid", "newsid", "contentid", "postid")
_ID_VALUE_DIGITS = 6  # an alphanumeric id ("vn20071230093627") holds at least this many digits


def _is_article_id_pair(key: str, value: str) -> bool:
    """A query parameter that names one story: ``p=123``, ``ArticleID=5749``,
    ``fArticleId=vn20071230093627575C46``: a story-id key (or one ending like one) with a
    numeric value or an alphanumeric one holding a long number."""
    letters = "".join(ch for ch in key if ch.isalpha())
    if key not in ARTICLE_ID_QUERY_KEYS and not letters.endswith(_ID_KEY_SUFFIXES):
        return False
    value = value.rstrip("/")  # "?p=959/": a stray slash after the id
    if value.isdigit():
        return True
    return value.isalnum() and sum(ch.isdigit() for ch in value) >= _ID_VALUE_DIGITS


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return [(key.lower(), value) for key, value in parse_qsl(query, keep_blank_values=True)]


def is_excluded_url(url: str) -> bool:
    """True for URLs that are never news pages: assets, documents, media, feeds, admin,
    login, AMP, print, share, comment-reply and search URLs."""
    parts = urlsplit(url)
    segments = [segment.lower() for segment in _path_segments(parts.path)]
    if segments and _split_extension(segments[-1])[1] in EXCLUDED_EXTENSIONS:
        return True
    if any(segment in EXCLUDED_SEGMENTS for segment in segments):
        return True
    return any(key in EXCLUDED_QUERY_KEYS for key, _value in _query_pairs(parts.query))


def _has_repeated_segments(segments: list[str]) -> bool:
    """A segment three times, or a run of two or more segments repeated back to back."""
    if any(count >= 3 for count in Counter(segments).values()):
        return True
    for size in range(2, len(segments) // 2 + 1):
        for start in range(len(segments) - 2 * size + 1):
            if segments[start : start + size] == segments[start + size : start + 2 * size]:
                return True
    return False


def is_crawler_trap(url: str) -> bool:
    """True for URLs that crawlers get lost in: very long URLs, very deep paths, repeated
    path segments (``/a/b/a/b/``, typical of broken relative links) and calendar navigation."""
    if len(url) > MAX_URL_LENGTH:
        return True
    parts = urlsplit(url)
    segments = [segment.lower() for segment in _path_segments(parts.path)]
    if len(segments) > MAX_PATH_SEGMENTS or _has_repeated_segments(segments):
        return True
    return any(
        key in CALENDAR_QUERY_KEYS or _DATE_VALUE_RE.match(value.strip())
        for key, value in _query_pairs(parts.query)
    )


def _is_date_segment(segment: str) -> bool:
    return bool(
        _YEAR_RE.match(segment)
        or _MONTH_OR_DAY_RE.match(segment)
        or _COMPACT_DATE_RE.match(segment)
    )


def _dated_path(segments: list[str]) -> bool:
    """/2024/05/03/slug, /2024/05/slug or /20240503/slug: a date, then something after it."""
    for index, segment in enumerate(segments[:-1]):
        if _COMPACT_DATE_RE.match(segment):
            return True
        if (
            _YEAR_RE.match(segment)
            and _MONTH_OR_DAY_RE.match(segments[index + 1])
            and 1 <= int(segments[index + 1]) <= 12
        ):
            rest = segments[index + 2 :]
            return any(not _MONTH_OR_DAY_RE.match(part) for part in rest)
    return False


def _is_numeric_id(token: str) -> bool:
    return token.isdigit() and (len(token) >= 5 or (len(token) == 4 and not _YEAR_RE.match(token)))


def _slug_word_count(stem: str) -> int:
    return sum(1 for token in _TOKEN_SPLIT_RE.split(stem) if any(c.isalpha() for c in token))


def leaf_slug_words(url: str) -> int:
    """Words in the slug of the URL's last path segment (extension removed): 5 for
    ``/topic/climate/where-does-the-smog-come-from``, 0 for the home page."""
    segments = _path_segments(urlsplit(url).path)
    return _slug_word_count(_split_extension(segments[-1])[0]) if segments else 0


def looks_like_article(url: str) -> bool:
    """Whether the URL has the shape of a single story on any site.

    Yes: a date in the path followed by a slug (``/2024/05/03/slug``), a long hyphenated slug of
    three or more words, a numeric id (``-12345.html``, ``/a/12345``, ``?p=123``), an
    ``.html``-like leaf, a post right under ``/archives/`` (:func:`_is_archived_post`), or an id
    and slug leaf deep under a listing word (:func:`_is_story_leaf`). No: the home page, listing
    pages (tag, category, author, topic, page N, date archives, search) and service pages (about,
    contact, privacy, impressum, ...).
    """
    parts = urlsplit(url)
    segments = [segment.lower() for segment in _path_segments(parts.path)]
    query_id = any(_is_article_id_pair(key, value) for key, value in _query_pairs(parts.query))
    if len(segments) == 2 and segments[0] in ARCHIVE_PREFIXES:
        return _is_archived_post(segments[1])
    if segments and segments[0] in LISTING_PREFIXES:
        return len(segments) >= 3 and _is_story_leaf(segments[-1])
    if query_id or not segments:
        return query_id
    stem, extension = _split_extension(segments[-1])
    if _is_listing_leaf(segments):
        return False
    if all(_is_date_segment(segment) for segment in segments):
        return False  # date archive: /2024/05/ or /2024/05/03/
    if _dated_path(segments):
        return True
    if extension in ARTICLE_EXTENSIONS or _slug_word_count(stem) >= 3:
        return True
    tokens = [token for segment in segments for token in _TOKEN_SPLIT_RE.split(segment)]
    return any(_is_numeric_id(token) for token in tokens)


def _is_archived_post(leaf: str) -> bool:
    """The leaf of ``/archives/<leaf>``: a post's slug (3+ words) or id (WordPress's
    ``/archives/%postname%`` and ``/archives/%post_id%`` permalinks), not a year."""
    stem, _ = _split_extension(leaf)
    if stem.isdigit():
        return not _YEAR_RE.match(stem)
    return _slug_word_count(stem) >= 3


def _is_story_leaf(leaf: str) -> bool:
    """A leaf naming one story by both a numeric id and a slug of 3+ words
    (``398805-why-the-ferry-stopped``): no listing's name looks like that."""
    stem, _ = _split_extension(leaf)
    tokens = _TOKEN_SPLIT_RE.split(stem)
    return any(_is_numeric_id(token) for token in tokens) and _slug_word_count(stem) >= 3


def is_dated_story_url(url: str) -> bool:
    """True for a date in the path followed by a slug (``/archives/2012/11/12/story.php``),
    whatever listing word comes before it: a story's address, not a date archive, its page N
    (``/2024/05/page/2``) or an index leaf (``/2024/05/index.html``)."""
    segments = [segment.lower() for segment in _path_segments(urlsplit(url).path)]
    return bool(segments) and not _is_listing_leaf(segments) and _dated_path(segments)


def _is_listing_leaf(segments: list[str]) -> bool:
    """Whether the last of ``segments`` (not empty) names a home, listing or service page
    (``index.html``, ``about``) or a listing's page N (``/news/page/2``)."""
    stem, _ = _split_extension(segments[-1])
    return stem in NON_ARTICLE_LEAVES or ("page" in segments[:-1] and stem.isdigit())


def host_matches(host: str, domains: tuple[str, ...]) -> bool:
    """True if ``host`` is one of ``domains`` or a subdomain of one (``www.`` ignored);
    see :func:`~newscrawl.normalization.urls.host_in_domains`."""
    return host_in_domains(host, domains)


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """Which URLs a site's crawl may request, and which of them may be articles.

    ``domains`` empty means any host. ``allow`` and ``deny`` are regular expressions searched in
    the whole URL; ``allow`` (when given) marks article URLs, ``deny`` is never requested.
    """

    domains: tuple[str, ...] = ()
    allow: tuple[UrlPattern, ...] = ()  # RE2: linear time (newscrawl.sites.compile_url_pattern)
    deny: tuple[UrlPattern, ...] = ()

    @classmethod
    def from_site(cls, site: SiteConfig) -> UrlPolicy:
        """The policy of a configured (or ad-hoc) site."""
        from newscrawl.sites import compile_url_pattern

        return cls(
            domains=site.allowed_domains,
            allow=tuple(compile_url_pattern(pattern) for pattern in site.allow),
            deny=tuple(compile_url_pattern(pattern) for pattern in site.deny),
        )

    def is_on_site(self, url: str) -> bool:
        """True if the URL's host belongs to the site (always, when no domains are set); False
        for a URL whose port is malformed (:func:`~newscrawl.normalization.urls.valid_port`)."""
        if not valid_port(url):
            return False
        if not self.domains:
            return True
        return host_matches(urlsplit(url).hostname or "", self.domains)

    def rejection(self, url: str) -> RejectionReason | None:
        """Why ``url`` must not be requested, or None when it may be.

        Checked in order: ``scheme`` (not http/https), ``malformed`` (a port that is not 0-65535
        in ASCII digits: no request can be built for it), ``offsite``, ``trap``
        (:func:`is_crawler_trap`), ``excluded`` (:func:`is_excluded_url`), ``denied`` (a deny
        pattern matches).
        """
        try:
            parts = urlsplit(url)
        except ValueError:
            return "scheme"
        if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
            return "scheme"
        if not valid_port(url):
            return "malformed"
        if not self.is_on_site(url):
            return "offsite"
        if is_crawler_trap(url):
            return "trap"
        if is_excluded_url(url):
            return "excluded"
        if any(pattern.search(url) for pattern in self.deny):
            return "denied"
        return None

    def is_allowed(self, url: str) -> bool:
        """True if the crawl may request ``url`` (see :meth:`rejection`)."""
        return self.rejection(url) is None

    def matches_allow(self, url: str) -> bool:
        """True if an allow pattern matches, or when the site configures none."""
        return not self.allow or any(pattern.search(url) for pattern in self.allow)

    def is_article_candidate(self, url: str) -> bool:
        """Allowed, and matching the site's article (allow) patterns when it has any."""
        return self.is_allowed(url) and self.matches_allow(url)


def redirect_refusal(
    policy: UrlPolicy, chain: Sequence[str], target: str, *, page: bool, strict_loops: bool
) -> str | None:
    """Why a redirect to ``target`` must not be followed, or None when it may.

    ``chain`` holds the URLs redirected so far, the one first requested first. A ``page``
    redirect is held to the whole policy (:meth:`UrlPolicy.rejection`, named as in
    :data:`REDIRECT_REFUSALS`); a feed, sitemap or robots.txt redirect only has to stay on the
    site when its chain started there (an off-site one was configured by the user). A redirect
    back to a URL of its chain is a loop (``RedirectLoop``): at once with ``strict_loops``,
    else on the second return (a cookie or consent bounce comes back once).
    """
    visits = sum(1 for url in chain if urldefrag(url)[0] == urldefrag(target)[0])
    if visits >= (1 if strict_loops else 2):
        return REDIRECT_LOOP
    if page:
        reason = policy.rejection(target)
        return REDIRECT_REFUSALS[reason] if reason is not None else None
    if urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
        return REDIRECT_REFUSALS["scheme"]
    if chain and policy.is_on_site(chain[0]) and not policy.is_on_site(target):
        return REDIRECT_REFUSALS["offsite"]
    return None
