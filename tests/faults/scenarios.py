"""The fault scenarios: what the fault server serves, and what a crawl of it must store.

Each :class:`Scenario` builds a small news site (:mod:`tests.faults.news_site`) on the fault
server (:mod:`tests.faults.fault_server`) with some of its responses scripted to misbehave, and
names the stories a correct crawl stores (headline and body snippets in their own script).
``errors`` are the exception names (per attempt, as the run history counts them) the faults must
cause; HTTP error statuses are checked against the server's own request log instead.

The tests (``tests/faults/test_fault_crawls.py``) and the reliability report
(``benchmarks/reliability_report.py``) both run :data:`SCENARIOS`, so they cannot drift apart.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from tests.faults.fault_server import Action, Reply, Route
from tests.faults.news_site import (
    CHINESE_STORY,
    FRENCH_STORY,
    GERMAN_STORY,
    JAPANESE_STORY,
    RUSSIAN_STORY,
    Story,
    article_html,
    article_jsonld,
    english_story,
    gzip_bomb,
    gzipped,
    listing_html,
    robots_txt,
    rss_feed,
    sitemap,
)

# Settings of every fault crawl (on top of tests/crawl/news_crawl.py FAST_LOCAL: no delays).
DOWNLOAD_TIMEOUT = 3  # the timeouts scenario's; the others allow for CPU-starved crawls
RETRY_TIMES = 2  # three attempts in all
MAX_DEPTH = 3  # the NEWSCRAWL_MAX_DEPTH default, stated for the trap bounds
FAULT_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_TIMEOUT": 15,  # generous: a CPU-starved crawl must not time out spuriously
    "RETRY_TIMES": RETRY_TIMES,
    "DOWNLOAD_MAXSIZE": 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 512 * 1024,
}
ATTEMPTS = RETRY_TIMES + 1
LOOPBACK_RESOLVER = "tests.faults.loopback_dns.LoopbackResolver"
OFFSITE_HEADLINE = "Off-site story that no crawl may fetch"
LOCAL_FILE_HEADLINE = "Local file story that no crawl may read"
DATA_URL_HEADLINE = "Data URL story that no crawl may read"


@dataclass(frozen=True, slots=True)
class SiteUrls:
    """Where a scenario's site and its forbidden neighbours live."""

    base: str  # the crawled site: "http://127.0.0.1:PORT/"
    offsite: str  # another host ("http://localhost:PORT/"): must see no request
    local_file: str  # a file:// URL of an article page on disk: must never be read

    def at(self, path: str) -> str:
        """The absolute URL of ``path`` on the crawled site."""
        return urljoin(self.base, path)

    def off(self, path: str) -> str:
        """The absolute URL of ``path`` on the off-site host."""
        return urljoin(self.offsite, path)


@dataclass(frozen=True, slots=True)
class Site:
    """The routes of a scenario's server; ``fallback`` answers paths not in ``routes``."""

    routes: Mapping[str, Route]
    fallback: Callable[[str], Route | None] | None = None

    def resolve(self, path: str) -> Route | None:
        """The route of a request target (path and query)."""
        route = self.routes.get(path)
        if route is None and self.fallback is not None:
            route = self.fallback(path)
        return route


@dataclass(frozen=True)
class Scenario:
    """One set of faults, the site serving them, and what a crawl of it must store."""

    name: str
    faults: tuple[str, ...]  # what is injected, for the report
    build: Callable[[SiteUrls], Site]
    expected: tuple[Story, ...]  # stored exactly once, with these headlines and snippets
    errors: Mapping[str, int] = field(default_factory=dict)  # exception name -> attempts
    drops: Mapping[str, int] = field(default_factory=dict)  # drop reason -> count
    settings: Mapping[str, Any] = field(default_factory=dict)
    spider_args: tuple[str, ...] = ()
    start_path: str = "/"
    # Per path prefix: the most requests that prefix may receive (traps, link farms).
    request_bounds: Mapping[str, int] = field(default_factory=dict)
    # The host name the site is crawled under (other names resolve to 127.0.0.1 through
    # tests/faults/loopback_dns.py), and crawl stats that must have exactly these values.
    host: str = "127.0.0.1"
    stats: Mapping[str, int] = field(default_factory=dict)
    # A sites-file entry for the site (TOML table body, given the site's URLs): the crawl is then
    # `-a site=fault` from that file instead of `-a url=`; a function run on the migrated
    # database (its URL) before the crawl, which may return a context held while the crawl runs;
    # environment variables of the crawl; the run's expected status (exit 0 only "finished").
    site_toml: Callable[[SiteUrls], str] | None = None
    prepare_database: Callable[[str, SiteUrls], AbstractContextManager[object] | None] | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    outcome: str = "finished"

    def crawl_settings(self) -> dict[str, Any]:
        """FAULT_SETTINGS with this scenario's overrides (a site on another host name resolves
        through the loopback resolver)."""
        resolver = {} if self.host == "127.0.0.1" else {"DNS_RESOLVER": LOOPBACK_RESOLVER}
        return {**FAULT_SETTINGS, **resolver, **self.settings}


# --- building blocks --------------------------------------------------------------------------


def story(key: str, headline: str, topic: str, seed: int = 0) -> Story:
    """An English story at ``/2024/05/03/<key>/``."""
    return english_story(key, f"/2024/05/03/{key}/", headline, topic, seed=seed)


def html_reply(text: str, *, status: int = 200, article: str | None = None, **kw: Any) -> Reply:
    """A UTF-8 HTML reply."""
    return Reply(status, text.encode("utf-8"), article=article, **kw)


def article_reply(story_: Story, urls: SiteUrls, **html_options: Any) -> Reply:
    """The story's article page, served correctly."""
    return html_reply(article_html(story_, urls.base, **html_options), article=story_.key)


def status_reply(status: int, *headers: tuple[str, str]) -> Reply:
    """A small error page with ``status``."""
    body = f"<html><body><h1>Error {status}</h1></body></html>"
    return html_reply(body, status=status, headers=headers)


def redirect(status: int, location: str) -> Reply:
    """A redirect to ``location``."""
    return html_reply(
        "<html><body>Moved</body></html>", status=status, headers=(("Location", location),)
    )


def news_site(
    urls: SiteUrls,
    stories: Sequence[Story],
    *,
    routes: Mapping[str, Route] | None = None,
    home_links: Iterable[tuple[str, str]] = (),
    listed: Sequence[Story] | None = None,
    robots_extra: str = "",
    sitemap_extra: Sequence[str] = (),
    feed_extra: Sequence[Story] = (),
    fallback: Callable[[str], Route | None] | None = None,
) -> Site:
    """Home, section, about, feed, sitemap, robots.txt and one article page per story; the
    home and section pages link to every story (``listed`` go into the feed and sitemap,
    default all). ``routes`` add or replace routes."""
    listed = stories if listed is None else listed
    links = [(s.path, s.headline) for s in stories]
    site: dict[str, Route] = {
        "/": (html_reply(listing_html("Front page", [*links, *home_links])),),
        "/city/": (html_reply(listing_html("City", links)),),
        "/about/": (html_reply(listing_html("About us", [("/", "Home")])),),
        "/feed.xml": (
            Reply(200, rss_feed(urls.base, [*listed, *feed_extra]).encode(), "application/rss+xml"),
        ),
        "/sitemap.xml": (
            Reply(
                200,
                sitemap([*(urls.at(s.path) for s in listed), *sitemap_extra]).encode(),
                "application/xml",
            ),
        ),
        "/robots.txt": (
            Reply(200, robots_txt(urls.base, extra=robots_extra).encode(), "text/plain"),
        ),
    }
    site.update({s.path: (article_reply(s, urls),) for s in stories})
    site.update(routes or {})
    return Site(site, fallback)


def variant(base: Story, key: str, edition: int) -> Story:
    """``base`` at its own path, its last paragraph marked with an edition number."""
    stem = base.path.rstrip("/")
    return dataclasses.replace(
        base,
        key=key,
        path=f"{stem}-{edition}/",
        paragraphs=(*base.paragraphs[:-1], f"{base.paragraphs[-1]} ({edition})"),
    )


def encoded_reply(
    story_: Story, urls: SiteUrls, encoding: str, *, header: str | None, meta: str | None
) -> Reply:
    """The story encoded in ``encoding``; ``header``/``meta`` are the declared charsets
    (None: not declared there)."""
    page = article_html(story_, urls.base, charset=meta)
    content_type = "text/html" + (f"; charset={header}" if header else "")
    return Reply(200, page.encode(encoding), content_type, article=story_.key)


def padding(size: int) -> str:
    """An ``<aside>`` of about ``size`` bytes of related-story links."""
    item = '<li><a href="/city/">More from the city desk</a></li>\n'
    return "<aside><ul>" + item * (size // len(item) + 1) + "</ul></aside>"


# --- 1. control ---------------------------------------------------------------------------------

_BASELINE = tuple(
    story(f"baseline-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Council approves new cycle lanes on the river road", "the cycle lane plan"),
            ("City budget vote delayed by a week", "the delayed budget"),
            ("Harbour clean-up to start in June", "the harbour clean-up"),
            ("New bus depot opens in the eastern district", "the new bus depot"),
        ],
        start=1,
    )
)

BASELINE = Scenario(
    name="baseline",
    faults=("none (control)",),
    build=lambda urls: news_site(urls, _BASELINE),
    expected=_BASELINE,
)

# --- 2. HTTP errors -----------------------------------------------------------------------------

_E500 = story("http-500-once", "Water main repairs finish early", "the water main repairs", 1)
_E503 = story("http-503-twice", "Library extends weekend hours", "the library opening hours", 2)
_E429 = story("http-429-once", "Parking fees to rise in the old town", "the parking fees", 3)
_E503_ALWAYS = story("http-503-always", "Stadium roof plan shelved", "the stadium roof", 4)
_E404 = story("http-404", "Market hall sale collapses", "the market hall sale", 5)
_E403 = story("http-403", "Ferry timetable changes in autumn", "the ferry timetable", 6)

HTTP_ERRORS = Scenario(
    name="http-errors",
    faults=(
        "500 then 200",
        "503 (Retry-After) twice then 200",
        "429 (Retry-After) then 200",
        "503 on every attempt",
        "404",
        "403",
        "feed 500 then 200",
        "sitemap 503 on every attempt",
    ),
    build=lambda urls: news_site(
        urls,
        [_E500, _E503, _E429, _E503_ALWAYS, _E404, _E403],
        routes={
            _E500.path: (status_reply(500), article_reply(_E500, urls)),
            _E503.path: (
                status_reply(503, ("Retry-After", "1")),
                status_reply(503, ("Retry-After", "1")),
                article_reply(_E503, urls),
            ),
            _E429.path: (status_reply(429, ("Retry-After", "2")), article_reply(_E429, urls)),
            _E503_ALWAYS.path: (status_reply(503, ("Retry-After", "120")),),
            _E404.path: (status_reply(404),),
            _E403.path: (status_reply(403),),
            "/feed.xml": (
                status_reply(500),
                Reply(200, rss_feed(urls.base, [_E500, _E503]).encode(), "application/rss+xml"),
            ),
            "/sitemap.xml": (status_reply(503),),
        },
    ),
    expected=(_E500, _E503, _E429),
    # Retry-After is honoured (RetryAfterMiddleware); the "120" of the always-503 page is capped
    # at 3 s here so the crawl stays short.
    settings={"NEWSCRAWL_RETRY_AFTER_MAX": 3},
)

# --- 3. timeouts and slow bodies ----------------------------------------------------------------

_HANG = story("timeout-always", "Tram extension hearing postponed", "the tram extension", 1)
_HANG_ONCE = story("timeout-once", "Museum opens new wing", "the new museum wing", 2)
_DRIP_OK = story("drip-slow-ok", "Zoo welcomes two red pandas", "the red panda enclosure", 3)
_DRIP_SLOW = story("drip-too-slow", "Bridge tolls scrapped", "the bridge tolls", 4)


def _drip(reply: Reply, seconds: float, chunks: int) -> Reply:
    size = max(1, len(reply.body) // chunks + 1)
    return dataclasses.replace(
        reply, action=Action.DRIP, drip_bytes=size, drip_interval=seconds / chunks
    )


TIMEOUTS = Scenario(
    name="timeouts",
    faults=(
        "no response on every attempt (hang past DOWNLOAD_TIMEOUT)",
        "hang once, then 200",
        "body dripped over ~1 s (within the timeout)",
        "body dripped 1 byte every 0.5 s (slowloris, past the timeout)",
    ),
    build=lambda urls: news_site(
        urls,
        [_HANG, _HANG_ONCE, _DRIP_OK, _DRIP_SLOW],
        routes={
            _HANG.path: (Reply(action=Action.HANG),),
            _HANG_ONCE.path: (Reply(action=Action.HANG), article_reply(_HANG_ONCE, urls)),
            _DRIP_OK.path: (_drip(article_reply(_DRIP_OK, urls), 1.0, 20),),
            _DRIP_SLOW.path: (
                dataclasses.replace(
                    article_reply(_DRIP_SLOW, urls),
                    article=None,
                    action=Action.DRIP,
                    drip_bytes=1,
                    drip_interval=0.5,
                ),
            ),
        },
    ),
    expected=(_HANG_ONCE, _DRIP_OK),
    errors={"DownloadTimeoutError": ATTEMPTS + 1 + ATTEMPTS},
    settings={"DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT},
)

# --- 4. broken connections ----------------------------------------------------------------------

_RESET = story("reset-always", "Airport noise study published", "the airport noise study", 1)
_RESET_ONCE = story("reset-once", "Schools get new playgrounds", "the playground programme", 2)
_SHORT = story("short-always", "Hospital car park to expand", "the hospital car park", 3)
_SHORT_ONCE = story("short-once", "Night buses return in May", "the night bus service", 4)
_NO_LENGTH = story("no-length", "Riverside festival moves to July", "the riverside festival", 5)


def _broken(reply: Reply, action: Action) -> Reply:
    return dataclasses.replace(reply, action=action, article=None)


CONNECTIONS = Scenario(
    name="connection-faults",
    faults=(
        "TCP reset mid-body on every attempt",
        "TCP reset mid-body once, then 200",
        "body shorter than Content-Length on every attempt",
        "body shorter than Content-Length once, then 200",
        "no Content-Length (body ends at close)",
    ),
    build=lambda urls: news_site(
        urls,
        [_RESET, _RESET_ONCE, _SHORT, _SHORT_ONCE, _NO_LENGTH],
        routes={
            _RESET.path: (_broken(article_reply(_RESET, urls), Action.RESET),),
            _RESET_ONCE.path: (
                _broken(article_reply(_RESET_ONCE, urls), Action.RESET),
                article_reply(_RESET_ONCE, urls),
            ),
            _SHORT.path: (_broken(article_reply(_SHORT, urls), Action.TRUNCATE),),
            _SHORT_ONCE.path: (
                _broken(article_reply(_SHORT_ONCE, urls), Action.TRUNCATE),
                article_reply(_SHORT_ONCE, urls),
            ),
            _NO_LENGTH.path: (
                dataclasses.replace(article_reply(_NO_LENGTH, urls), content_length=False),
            ),
        },
    ),
    expected=(_RESET_ONCE, _SHORT_ONCE, _NO_LENGTH),
    errors={"ResponseDataLossError": 2 * (ATTEMPTS + 1)},  # a reset and a short body alike
)

# --- 5. redirects -------------------------------------------------------------------------------

_MOVED = story("redirect-onsite", "Town hall clock restored", "the town hall clock", 1)
_RETRY_OFF = story("redirect-after-retry", "Pool reopens after repairs", "the pool repairs", 2)
_CHAIN_END = story("redirect-chain-end", "Allotments waiting list shrinks", "the allotments", 3)
_DIRECT = story("redirect-control", "Street lights switch to LED", "the street lights", 4)


def _redirects(urls: SiteUrls) -> Site:
    chain = {
        f"/2024/05/03/chain-{n}/": (redirect(302, f"/2024/05/03/chain-{n + 1}/"),)
        for n in range(1, 9)
    }
    chain["/2024/05/03/chain-9/"] = (redirect(302, _CHAIN_END.path),)
    return news_site(
        urls,
        [_MOVED, _DIRECT],
        listed=[_DIRECT],
        home_links=[
            ("/2024/05/03/old-town-hall-clock/", "Clock (old address)"),
            ("/2024/05/03/loop-a/", "Loop"),
            ("/2024/05/03/self-loop/", "Self loop"),
            ("/2024/05/03/chain-1/", "Chain"),
            ("/2024/05/03/moved-off-site/", "Moved away"),
            ("/2024/05/03/refresh-off-site/", "Meta refresh away"),
            ("/2024/05/03/to-a-file/", "Redirect to a file URL"),
            (_RETRY_OFF.path, _RETRY_OFF.headline),
        ],
        routes={
            "/start/": (redirect(302, "/"),),
            "/2024/05/03/old-town-hall-clock/": (redirect(301, _MOVED.path),),
            "/2024/05/03/loop-a/": (redirect(302, "/2024/05/03/loop-b/"),),
            "/2024/05/03/loop-b/": (redirect(302, "/2024/05/03/loop-a/"),),
            "/2024/05/03/self-loop/": (redirect(301, "/2024/05/03/self-loop/"),),
            "/2024/05/03/moved-off-site/": (redirect(301, urls.off("/2024/05/03/moved/")),),
            "/2024/05/03/refresh-off-site/": (
                html_reply(
                    '<html><head><meta http-equiv="refresh" content="0; url='
                    f'{urls.off("/2024/05/03/refreshed/")}"></head><body>Moved</body></html>'
                ),
            ),
            "/2024/05/03/to-a-file/": (redirect(302, urls.local_file),),
            # A retried request may ignore the offsite filter (dont_filter): refuse it anyway.
            _RETRY_OFF.path: (status_reply(503), redirect(301, urls.off(_RETRY_OFF.path))),
            _CHAIN_END.path: (article_reply(_CHAIN_END, urls),),
            **chain,
        },
    )


REDIRECTS = Scenario(
    name="redirects",
    faults=(
        "start page redirects (on site)",
        "old article URL 301 to its new URL (also linked directly)",
        "redirect loop a -> b -> a",
        "redirect to itself",
        "chain of 10 redirects (REDIRECT_MAX_TIMES=5)",
        "301 off-site",
        "meta refresh off-site",
        "redirect to a file:// URL",
        "503, then the retry redirects off-site",
    ),
    build=_redirects,
    expected=(_MOVED, _DIRECT),
    start_path="/start/",
    errors={
        "RedirectLoop": 2,
        "TooManyRedirects": 1,
        "OffsiteRedirect": 3,
        "RedirectNotFollowed": 1,  # to file://
    },
)

# --- 6. content types ---------------------------------------------------------------------------

_OCTET = story("type-octet-stream", "Council tax bills go out late", "the council tax bills", 1)
_PLAIN = story("type-text-plain", "Fire station gets new engine", "the new fire engine", 2)
_NO_TYPE = story("type-missing", "Cinema reopens after fire", "the cinema reopening", 3)
_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    + bytes(range(256)) * 8
)
_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4
)


def _content_types(urls: SiteUrls) -> Site:
    octet = article_reply(_OCTET, urls)
    plain = article_reply(_PLAIN, urls)
    missing = article_reply(_NO_TYPE, urls)
    return news_site(
        urls,
        [_OCTET, _PLAIN, _NO_TYPE],
        home_links=[
            ("/2024/05/03/image-as-html/", "Image"),
            ("/2024/05/03/pdf-as-html/", "PDF"),
            ("/2024/05/03/gzip-file-as-html/", "Gzip file"),
            ("/2024/05/03/empty-page/", "Empty"),
            ("/2024/05/03/blank-page/", "Blank"),
            ("/2024/05/03/bare-html/", "Bare"),
        ],
        routes={
            _OCTET.path: (dataclasses.replace(octet, content_type="application/octet-stream"),),
            _PLAIN.path: (dataclasses.replace(plain, content_type="text/plain"),),
            _NO_TYPE.path: (dataclasses.replace(missing, content_type=None),),
            "/2024/05/03/image-as-html/": (Reply(200, _PNG, "text/html; charset=utf-8"),),
            "/2024/05/03/pdf-as-html/": (Reply(200, _PDF, "text/html"),),
            "/2024/05/03/gzip-file-as-html/": (
                Reply(200, gzipped(article_html(_OCTET, urls.base).encode()), "text/html"),
            ),
            "/2024/05/03/empty-page/": (Reply(200, b""),),
            "/2024/05/03/blank-page/": (Reply(200, b" \r\n\t \n" * 50),),
            "/2024/05/03/bare-html/": (Reply(200, b"<html></html>"),),
        },
    )


CONTENT_TYPES = Scenario(
    name="content-types",
    faults=(
        "HTML as application/octet-stream",
        "HTML as text/plain",
        "HTML with no Content-Type",
        "PNG as text/html",
        "PDF as text/html",
        "gzip file (no Content-Encoding) as text/html",
        "empty 200",
        "whitespace-only 200",
        "<html></html> 200",
    ),
    build=_content_types,
    expected=(_OCTET, _PLAIN, _NO_TYPE),
    drops={"NotHtml": 3, "EmptyPage": 3},
)

# --- 7. sizes and compression -------------------------------------------------------------------

SMALL_MAXSIZE = 200_000
_BIG_DECLARED = story("size-over-declared", "Mall plans rejected", "the mall plans", 1)
_BIG_STREAMED = story("size-over-streamed", "Orchestra tour announced", "the orchestra tour", 2)
_NEAR_LIMIT = story("size-near-limit", "Park run record broken", "the park run record", 3)
_GZIP_OK = story("gzip-ok", "Recycling rates climb again", "the recycling figures", 4)
_BOMB = story("gzip-bomb", "Housing estate plan revised", "the housing estate", 5)
_BAD_GZIP = story("gzip-corrupt", "Snow clearing budget doubled", "the snow clearing budget", 6)


def _sizes(urls: SiteUrls) -> Site:
    over = article_html(_BIG_DECLARED, urls.base, after_article=padding(SMALL_MAXSIZE * 2))
    streamed = article_html(_BIG_STREAMED, urls.base, after_article=padding(SMALL_MAXSIZE * 2))
    near = article_html(_NEAR_LIMIT, urls.base, after_article=padding(SMALL_MAXSIZE * 3 // 4))
    encoded = (("Content-Encoding", "gzip"),)
    return news_site(
        urls,
        [_BIG_DECLARED, _BIG_STREAMED, _NEAR_LIMIT, _GZIP_OK, _BOMB, _BAD_GZIP],
        routes={
            _BIG_DECLARED.path: (Reply(200, over.encode()),),
            _BIG_STREAMED.path: (Reply(200, streamed.encode(), content_length=False),),
            _NEAR_LIMIT.path: (Reply(200, near.encode(), article=_NEAR_LIMIT.key),),
            _GZIP_OK.path: (
                Reply(
                    200,
                    gzipped(article_html(_GZIP_OK, urls.base).encode()),
                    headers=encoded,
                    article=_GZIP_OK.key,
                ),
            ),
            _BOMB.path: (Reply(200, gzip_bomb(64 * 1024 * 1024), headers=encoded),),
            _BAD_GZIP.path: (
                Reply(200, article_html(_BAD_GZIP, urls.base).encode(), headers=encoded),
            ),
        },
    )


SIZES = Scenario(
    name="size-limits",
    faults=(
        f"body over DOWNLOAD_MAXSIZE={SMALL_MAXSIZE} (Content-Length declared)",
        "body over DOWNLOAD_MAXSIZE (no Content-Length, streamed)",
        "body at 75% of DOWNLOAD_MAXSIZE",
        "valid gzip Content-Encoding",
        "gzip bomb: 64 KiB expanding to 64 MiB",
        "Content-Encoding: gzip on a plain body",
    ),
    build=_sizes,
    expected=(_NEAR_LIMIT, _GZIP_OK),
    settings={"DOWNLOAD_MAXSIZE": SMALL_MAXSIZE, "DOWNLOAD_WARNSIZE": SMALL_MAXSIZE // 2},
    errors={"DownloadCancelledError": 2, "DecompressionMaxSizeExceeded": 1, "BadGzipFile": 1},
)

# --- 8. charsets ----------------------------------------------------------------------------------

_FR_WRONG = variant(FRENCH_STORY, "charset-latin1-as-utf8", 1)
_FR_NONE = variant(FRENCH_STORY, "charset-latin1-undeclared", 2)
_DE_NONE = GERMAN_STORY
_RU_WRONG = variant(RUSSIAN_STORY, "charset-cp1251-as-latin1", 1)
_RU_NONE = variant(RUSSIAN_STORY, "charset-cp1251-undeclared", 2)
_RU_UTF8 = variant(RUSSIAN_STORY, "charset-cp1251-as-utf8", 3)
_JA_WRONG = variant(JAPANESE_STORY, "charset-sjis-as-utf8", 1)
_JA_NONE = variant(JAPANESE_STORY, "charset-sjis-undeclared", 2)
_JA_META = variant(JAPANESE_STORY, "charset-sjis-meta-only", 3)
_ZH_WRONG = variant(CHINESE_STORY, "charset-gbk-as-utf8", 1)
_ZH_NONE = variant(CHINESE_STORY, "charset-gbk-undeclared", 2)
_ZH_LATIN = variant(CHINESE_STORY, "charset-gbk-as-latin1", 3)
_CHARSET_CASES: tuple[tuple[Story, str, str | None, str | None], ...] = (
    # story, real encoding, charset in the Content-Type header, <meta charset>
    (_FR_WRONG, "latin-1", "utf-8", "iso-8859-1"),
    (_FR_NONE, "latin-1", None, None),
    (_DE_NONE, "latin-1", None, None),
    (_RU_WRONG, "cp1251", "iso-8859-1", "windows-1251"),
    (_RU_NONE, "cp1251", None, None),
    (_RU_UTF8, "cp1251", "utf-8", None),
    (_JA_WRONG, "shift_jis", "utf-8", "shift_jis"),
    (_JA_NONE, "shift_jis", None, None),
    (_JA_META, "shift_jis", None, "shift_jis"),
    (_ZH_WRONG, "gbk", "utf-8", None),
    (_ZH_NONE, "gbk", None, None),
    (_ZH_LATIN, "gbk", "iso-8859-1", "gbk"),
)


def _charsets(urls: SiteUrls) -> Site:
    stories = [case[0] for case in _CHARSET_CASES]
    return news_site(
        urls,
        stories,
        routes={
            s.path: (encoded_reply(s, urls, encoding, header=header, meta=meta),)
            for s, encoding, header, meta in _CHARSET_CASES
        },
    )


CHARSETS = Scenario(
    name="charsets",
    faults=tuple(
        f"{encoding} declared as {header or 'nothing'} (meta: {meta or 'none'})"
        for _s, encoding, header, meta in _CHARSET_CASES
    ),
    build=_charsets,
    expected=tuple(case[0] for case in _CHARSET_CASES),
)

# --- 9. hostile markup ----------------------------------------------------------------------------

_DEEP_BEFORE = story("deep-nesting-before", "Lifeboat crew honoured", "the lifeboat crew award", 1)
_UNCLOSED = story("unclosed-tags-before", "Old mill becomes studios", "the mill conversion", 2)
_DEEP_AFTER = story("deep-nesting-after", "Beach huts for rent again", "the beach huts", 3)
_LINK_FARM = story("ten-thousand-links", "Every story this year, listed", "the story index", 4)
HOSTILE_MAX_PAGES = 60
LINK_FARM_SIZE = 10_000


def _hostile(urls: SiteUrls) -> Site:
    deep = "<div>" * 30_000 + "<p>deep</p>" + "</div>" * 30_000
    unclosed = "<span><font>" * 20_000 + "menu"
    farm = (
        "<ul>"
        + "".join(
            f'<li><a href="/archive-story-{n}.html">Story {n}</a></li>'
            for n in range(LINK_FARM_SIZE)
        )
        + "</ul>"
    )
    return news_site(
        urls,
        [_DEEP_BEFORE, _UNCLOSED, _DEEP_AFTER, _LINK_FARM],
        routes={
            _DEEP_BEFORE.path: (article_reply(_DEEP_BEFORE, urls, before_article=deep),),
            _UNCLOSED.path: (article_reply(_UNCLOSED, urls, before_article=unclosed),),
            _DEEP_AFTER.path: (article_reply(_DEEP_AFTER, urls, after_article=deep),),
            _LINK_FARM.path: (article_reply(_LINK_FARM, urls, after_article=farm),),
        },
        fallback=lambda path: (status_reply(404),) if path.startswith("/archive-story-") else None,
    )


HOSTILE_MARKUP = Scenario(
    name="hostile-markup",
    faults=(
        "30,000 nested <div>s before the article",
        "20,000 unclosed <span><font> before the article",
        "30,000 nested <div>s after the article",
        f"an article with {LINK_FARM_SIZE:,} links (max_pages={HOSTILE_MAX_PAGES})",
    ),
    build=_hostile,
    expected=(_DEEP_BEFORE, _UNCLOSED, _DEEP_AFTER, _LINK_FARM),
    spider_args=(f"max_pages={HOSTILE_MAX_PAGES}",),
    request_bounds={"/archive-story-": HOSTILE_MAX_PAGES},
)

# --- 10. crawler traps ------------------------------------------------------------------------------

_TRAP_STORY = story("trap-session-ids", "Canal towpath reopens", "the canal towpath", 1)
_TRAP_CONTROL = story("trap-control", "Choir wins national prize", "the choir prize", 2)
_NO_CANONICAL = story("trap-no-canonical", "Sea wall repairs approved", "the sea wall", 3)
_CALENDAR_RE = re.compile(r"^/events/(\d{4})/(\d{2})/$")
_PAGINATION_RE = re.compile(r"^/archive/page-(\d+)/$")
_SESSION_RE = re.compile(r"^/2024/05/03/trap-session-ids/\?sid=(\d+)$")
_NO_CANONICAL_RE = re.compile(r"^/2024/05/03/trap-no-canonical/(?:;jsessionid=\w+)?(?:\?.*)?$")


def _trap_fallback(urls: SiteUrls) -> Callable[[str], Route | None]:
    def resolve(path: str) -> Route | None:
        if match := _CALENDAR_RE.match(path):
            year, month = int(match[1]), int(match[2])
            prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
            next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
            links = [
                (f"/events/{prev_y}/{prev_m:02d}/", "Previous month"),
                (f"/events/{next_y}/{next_m:02d}/", "Next month"),
                (f"/calendar/?month={next_y}-{next_m:02d}", "Month view"),
            ]
            return (html_reply(listing_html(f"Events {year}-{month:02d}", links)),)
        if match := _PAGINATION_RE.match(path):
            page = int(match[1])
            links = [(f"/archive/page-{page + 1}/", "Older"), (_TRAP_CONTROL.path, "Choir")]
            return (html_reply(listing_html(f"Archive page {page}", links)),)
        if match := _SESSION_RE.match(path):
            sid = int(match[1]) + 1
            more = f'<p><a href="{_TRAP_STORY.path}?sid={sid}">Continue reading</a></p>'
            return (article_reply(_TRAP_STORY, urls, article_extra=more),)
        if _NO_CANONICAL_RE.match(path):
            return (article_reply(_NO_CANONICAL, urls, canonical=False, article_extra=_SESSIONS),)
        if path.startswith("/section/"):
            return (html_reply(listing_html("Sections", [("section/", "Sections")])),)
        if path.startswith("/calendar/"):
            return (html_reply(listing_html("Calendar", [("/", "Home")])),)
        return None

    return resolve


# Links of the page without a canonical URL: to itself under session ids and tracking parameters.
_SESSIONS = "".join(
    f'<p><a href="{_NO_CANONICAL.path}{suffix}">Share</a></p>'
    for suffix in (
        "?PHPSESSID=5f2b9c0e4a7d",
        ";jsessionid=A1B2C3D4E5",
        "?sessionid=778899&utm_source=home",
        "?utm_source=newsletter&utm_medium=email",
    )
)


def _traps(urls: SiteUrls) -> Site:
    session = f'<p><a href="{_TRAP_STORY.path}?sid=1">Continue reading</a></p>'
    return news_site(
        urls,
        [_TRAP_STORY, _TRAP_CONTROL, _NO_CANONICAL],
        home_links=[
            ("/events/2024/05/", "Events calendar"),
            ("/calendar/?month=2024-05", "Calendar (query)"),
            ("/archive/page-1/", "Archive"),
            ("section/", "Sections (relative link)"),
        ],
        routes={
            _TRAP_STORY.path: (article_reply(_TRAP_STORY, urls, article_extra=session),),
            _NO_CANONICAL.path: (
                article_reply(_NO_CANONICAL, urls, canonical=False, article_extra=_SESSIONS),
            ),
        },
        fallback=_trap_fallback(urls),
    )


TRAPS = Scenario(
    name="crawler-traps",
    faults=(
        "endless calendar /events/YYYY/MM/ (previous/next month)",
        "calendar query URLs ?month=YYYY-MM",
        "endless pagination /archive/page-N/",
        "session ids: an article links to itself with a new ?sid=",
        "relative link that repeats a path segment (/section/section/...)",
        "no canonical URL; links to itself with session ids and tracking parameters",
    ),
    build=_traps,
    expected=(_TRAP_STORY, _TRAP_CONTROL, _NO_CANONICAL),
    # Link hops from the start page are limited to MAX_DEPTH: the first trap page is one hop
    # away, so a chain that never ends is cut after MAX_DEPTH pages (a calendar goes both ways).
    request_bounds={
        "/events/": 2 * MAX_DEPTH,
        "/archive/page-": MAX_DEPTH,
        "/calendar/": 0,
        f"{_TRAP_STORY.path}?sid=": MAX_DEPTH,
        "/section/section/section/": 0,
        # the page itself and its utm_ variant (stored once: canonicalized); no session ids
        _NO_CANONICAL.path: 2,
    },
)

# --- 11. schemes and other hosts --------------------------------------------------------------------

_SCHEMES_A = story("schemes-links", "Harbour ferry gets electric engines", "the electric ferry", 1)
_SCHEMES_B = story("schemes-base-href", "Court upholds noise ruling", "the noise ruling", 2)
OFFSITE_FARM = story("schemes-offsite-farm", "Regional links of the week", "the link list", 3)


def _schemes(urls: SiteUrls) -> Site:
    trap_page = article_html(
        english_story("data-url", "/data/", DATA_URL_HEADLINE, "the data URL"), urls.offsite
    )
    data_url = "data:text/html;base64," + base64.b64encode(trap_page.encode()).decode()
    hostile_links = [
        (urls.local_file, "Local file"),
        ("file:///etc/passwd", "Passwords"),
        ("javascript:void(0)", "Script"),
        (f"javascript:location='{urls.off('/2024/05/03/js/')}'", "Script redirect"),
        (data_url, "Data URL"),
        ("mailto:desk@example.org", "Mail"),
        ("tel:+15551234567", "Phone"),
        (urls.off("/2024/05/03/offsite-story/").replace("http:", "ftp:"), "FTP"),
        (urls.off("/2024/05/03/offsite-story/"), "Off-site story"),
        ("//" + urls.offsite.split("//", 1)[1] + "2024/05/03/protocol-relative/", "Off-site //"),
        (urls.off("/2024/05/03/offsite-story/").replace("http:", "https:"), "Off-site https"),
    ]
    links_html = "".join(f'<p><a href="{href}">{text}</a></p>' for href, text in hostile_links)
    offsite_farm = (
        "<ul>"
        + "".join(
            f'<li><a href="{urls.off(f"/2024/05/03/far-{n}/")}">Far {n}</a></li>'
            for n in range(10_000)
        )
        + "</ul>"
    )
    offsite_feed = f'<link rel="alternate" type="application/rss+xml" href="{urls.off("/feed/")}">'
    base_href = f'<base href="{urls.offsite}">'
    return news_site(
        urls,
        [_SCHEMES_A, _SCHEMES_B, OFFSITE_FARM],
        home_links=hostile_links,
        robots_extra=f"Sitemap: {urls.off('/sitemap.xml')}\n",
        sitemap_extra=[urls.off("/2024/05/03/sitemap-entry/")],
        routes={
            _SCHEMES_A.path: (
                article_reply(
                    _SCHEMES_A,
                    urls,
                    head_extra=offsite_feed,
                    article_extra=links_html
                    + f'<iframe src="{urls.off("/embed/")}"></iframe>'
                    + f'<img src="{urls.off("/pixel.gif")}" alt="">'
                    + f'<form action="{urls.off("/subscribe/")}"><input name="e"></form>',
                ),
            ),
            _SCHEMES_B.path: (
                article_reply(
                    _SCHEMES_B,
                    urls,
                    head_extra=base_href,
                    article_extra='<p><a href="2024/05/03/relative-off/">Relative</a></p>',
                ),
            ),
            OFFSITE_FARM.path: (article_reply(OFFSITE_FARM, urls, after_article=offsite_farm),),
        },
    )


SCHEMES = Scenario(
    name="schemes-and-hosts",
    faults=(
        "links to file://, javascript:, data:, mailto:, tel:, ftp:",
        "links to another host (http, https, protocol-relative)",
        "<base href> on another host",
        "feed <link> on another host",
        "robots.txt Sitemap: on another host",
        "sitemap and feed entries on another host",
        "10,000 off-site links",
        "iframe, img and form pointing off-site",
    ),
    build=_schemes,
    expected=(_SCHEMES_A, _SCHEMES_B, OFFSITE_FARM),
)

# --- 12. JSON-LD ------------------------------------------------------------------------------------

_LD_MALFORMED = story("jsonld-malformed", "Swans return to the lake", "the swan count", 1)
_LD_TWO = story("jsonld-one-bad-one-good", "Tennis courts resurfaced", "the tennis courts", 2)
_LD_HUGE = story("jsonld-huge", "Lighthouse tours resume", "the lighthouse tours", 3)
_LD_BIG = story("jsonld-big-valid", "Bakery wins regional award", "the bakery award", 4)
_LD_NUMBERS = story("jsonld-numbers", "Hill race attracts record field", "the hill race", 5)
_LD_LISTS = story("jsonld-lists", "Market square gets new fountain", "the fountain", 6)
_LD_OBJECTS = story("jsonld-objects", "Sports hall roof repaired", "the sports hall roof", 7)
_LD_DEEP = story("jsonld-deep", "Village fete raises record sum", "the village fete", 8)


def _jsonld_script(data: Any) -> str:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f'<script type="application/ld+json">{text}</script>'


def _jsonld(urls: SiteUrls) -> Site:
    def ld(story_: Story, **changes: Any) -> dict[str, Any]:
        return {**article_jsonld(story_, urls.at(story_.path)), **changes}

    good_two = json.dumps(ld(_LD_TWO), ensure_ascii=False)
    filler = "Lorem ipsum dolor sit amet. " * 110_000  # ~3 MB
    comments = [{"@type": "Comment", "text": f"Comment number {n}, " * 8} for n in range(8_000)]
    deep_headline: Any = "x"
    for _ in range(900):
        deep_headline = [deep_headline]
    deep_author: Any = {"name": "Deep Author"}
    for _ in range(900):
        deep_author = {"@type": "Person", "name": deep_author}
    scripts = {
        _LD_MALFORMED: _jsonld_script(json.dumps(ld(_LD_MALFORMED))[:-40] + ', "x": [}'),
        _LD_TWO: _jsonld_script('{"@context": "https://schema.org", "@type": "NewsArt')
        + _jsonld_script(good_two),
        _LD_HUGE: _jsonld_script(ld(_LD_HUGE, articleBody=filler)),
        _LD_BIG: _jsonld_script(ld(_LD_BIG, comment=comments)),
        _LD_NUMBERS: _jsonld_script(
            ld(
                _LD_NUMBERS,
                headline=12345,
                description=3.5,
                datePublished=20240503,
                author=42,
                articleSection=7,
                keywords=99,
                image=0,
                inLanguage=1,
            )
        ),
        _LD_LISTS: _jsonld_script(
            ld(
                _LD_LISTS,
                headline=[_LD_LISTS.headline, "Second headline"],
                datePublished=["2024-05-03T08:00:00+00:00", None, 5],
                author=[None, 1, [], {"@type": "Person", "name": _LD_LISTS.author}],
                keywords=[["nested"], {"a": 1}, "Fountains"],
                image=[[], {}, None],
            )
        ),
        _LD_OBJECTS: _jsonld_script(
            ld(
                _LD_OBJECTS,
                headline={"@value": _LD_OBJECTS.headline, "@language": "en"},
                description={"text": {"nested": True}},
                datePublished={"@value": {"@value": "2024"}},
                author={"@type": "Person", "name": {"first": "Jane", "last": "Roe"}},
                keywords={"Sports": True},
                articleSection={"name": ["City"]},
                publisher={"name": {"@id": "#org"}},
            )
        ),
        _LD_DEEP: _jsonld_script(ld(_LD_DEEP, headline=deep_headline, author=deep_author)),
    }
    return news_site(
        urls,
        list(scripts),
        routes={s.path: (article_reply(s, urls, jsonld=script),) for s, script in scripts.items()},
    )


JSONLD = Scenario(
    name="json-ld",
    faults=(
        "malformed JSON-LD",
        "a malformed block, then a good one",
        "3 MB JSON-LD",
        "1 MB valid JSON-LD (8,000 comments)",
        "numbers where text is expected",
        "lists with junk where text is expected",
        "nested objects where text is expected",
        "900 levels of nesting in headline and author",
    ),
    build=_jsonld,
    expected=(
        _LD_MALFORMED,
        _LD_TWO,
        _LD_HUGE,
        _LD_BIG,
        _LD_NUMBERS,
        _LD_LISTS,
        _LD_OBJECTS,
        _LD_DEEP,
    ),
    settings={"DOWNLOAD_MAXSIZE": 8 * 1024 * 1024, "DOWNLOAD_WARNSIZE": 0},
)

# --- 13. a start page that redirects off-site -------------------------------------------------------

_START_A = story("start-offsite-a", "Coastal path fully open", "the coastal path", 1)
_START_B = story("start-offsite-b", "Farmers market doubles in size", "the farmers market", 2)

START_OFFSITE = Scenario(
    name="start-page-offsite",
    faults=("the start page 302s to another host; the feed and sitemap stay on site",),
    build=lambda urls: news_site(
        urls, [_START_A, _START_B], routes={"/": (redirect(302, urls.off("/welcome/")),)}
    ),
    expected=(_START_A, _START_B),
    errors={"OffsiteRedirect": 1},
)

# --- issue 14: hostile and broken sites, round two ------------------------------------------------
# Scenarios on other host names (``host``) are crawled through tests/faults/loopback_dns.py.


def _other_site(urls: SiteUrls, host: str) -> str:
    """The base URL of ``host`` on the crawled site's port: another site the crawl must not
    write under."""
    return f"http://{host}:{urlsplit(urls.base).port}/"


def _declaring(story_: Story, urls: SiteUrls, declared_base: str) -> Reply:
    """The story's page with ``rel=canonical`` and ``og:url`` naming its path on another site."""
    declared = html.escape(urljoin(declared_base, story_.path))
    head = f'<link rel="canonical" href="{declared}"><meta property="og:url" content="{declared}">'
    return article_reply(story_, urls, canonical=False, head_extra=head)


def _og_only(story_: Story, urls: SiteUrls, declared_base: str) -> Reply:
    """The story's page whose only URL declaration is an ``og:url`` on another site."""
    declared = html.escape(urljoin(declared_base, f"/never-crawled{story_.path}"))
    head = f'<meta property="og:url" content="{declared}">'
    return article_reply(story_, urls, canonical=False, head_extra=head)


def _cross_site(
    stories: Sequence[Story], other: Callable[[SiteUrls], str]
) -> Callable[[SiteUrls], Site]:
    def build(urls: SiteUrls) -> Site:
        first, second = stories
        return news_site(
            urls,
            stories,
            routes={
                first.path: (_declaring(first, urls, other(urls)),),
                second.path: (_og_only(second, urls, other(urls)),),
            },
        )

    return build


_GH = (
    story("cross-github-canonical", "Alice ships her static site", "the static site", 1),
    story("cross-github-og-url", "Alice writes about gardens", "the garden notes", 2),
)
_KYOTO = (
    story("cross-kyoto-canonical", "Temple market returns", "the temple market", 3),
    story("cross-kyoto-og-url", "Tea house reopens in spring", "the tea house", 4),
)
_PORT = (
    story("cross-port-canonical", "Ferry pier gets new lights", "the ferry pier", 5),
    story("cross-port-og-url", "Youth orchestra tours abroad", "the orchestra tour", 6),
)

CROSS_SITE_GITHUB = Scenario(
    name="cross-site-github-io",
    faults=(
        "alice.github.io declares bob.github.io as canonical and og:url",
        "alice.github.io declares an og:url on bob.github.io that no crawl fetched",
    ),
    build=_cross_site(_GH, lambda urls: _other_site(urls, "bob.github.io")),
    expected=_GH,
    host="alice.github.io",
    stats={"newscrawl/page_notes/offsite_canonical": 2},
)
CROSS_SITE_KYOTO = Scenario(
    name="cross-site-kyoto-jp",
    faults=("shop-a.kyoto.jp declares shop-b.kyoto.jp as canonical", "... and as og:url"),
    build=_cross_site(_KYOTO, lambda urls: _other_site(urls, "shop-b.kyoto.jp")),
    expected=_KYOTO,
    host="shop-a.kyoto.jp",
    stats={"newscrawl/page_notes/offsite_canonical": 2},
)
CROSS_SITE_PORT = Scenario(
    name="cross-site-other-port",
    faults=("canonical on another port of the same host", "og:url on another port"),
    build=_cross_site(_PORT, lambda urls: urls.offsite.replace("localhost", "127.0.0.1")),
    expected=_PORT,
    stats={"newscrawl/page_notes/offsite_canonical": 2},
)

_IDN = (
    story("idn-host-one", "Bookshop festival draws crowds", "the bookshop festival", 7),
    story("idn-host-two", "Reading room extends its hours", "the reading room", 8),
)

IDN_HOST = Scenario(
    name="idn-host",
    faults=("the site is http://bücher.example/ (Scrapy requests xn--bcher-kva.example)",),
    build=lambda urls: news_site(urls, _IDN),
    expected=_IDN,
    host="bücher.example",
)

_BAD_PORTS = (":99999", ":80:80", ":abc", ":８０")
_MP_PAGE = story("malformed-port-page", "Council publishes road map", "the road map", 1)
_MP_LINKED = story("malformed-port-linked", "Road map consultation opens", "the consultation", 2)
_MP_FEED = story("malformed-port-feed", "Cycle counter hits a million", "the cycle counter", 3)
_MP_SITEMAP = story("malformed-port-sitemap", "Tree planting week begins", "the tree planting", 4)


def _malformed_ports(urls: SiteUrls) -> Site:
    host = urlsplit(urls.base).hostname
    bad = [f"http://{host}{port}/2024/05/03/bad-port-{n}/" for n, port in enumerate(_BAD_PORTS)]
    links = "".join(f'<p><a href="{url}">Bad port {n}</a></p>' for n, url in enumerate(bad))
    links += f'<p><a href="{_MP_LINKED.path}">{_MP_LINKED.headline}</a></p>'
    bad_entries = [
        dataclasses.replace(_MP_FEED, key=f"bad-{n}", path=url) for n, url in enumerate(bad)
    ]
    return news_site(
        urls,
        [_MP_PAGE],
        home_links=[(bad[0], "Bad port on the home page")],
        listed=[],
        feed_extra=[*bad_entries, _MP_FEED],
        sitemap_extra=[*bad, urls.at(_MP_SITEMAP.path)],
        routes={
            _MP_PAGE.path: (article_reply(_MP_PAGE, urls, article_extra=links),),
            **{s.path: (article_reply(s, urls),) for s in (_MP_LINKED, _MP_FEED, _MP_SITEMAP)},
        },
    )


MALFORMED_PORTS = Scenario(
    name="malformed-ports",
    faults=tuple(f"links, feed and sitemap entries with port {port}" for port in _BAD_PORTS),
    build=_malformed_ports,
    expected=(_MP_PAGE, _MP_LINKED, _MP_FEED, _MP_SITEMAP),
)

_U8_BOTH = variant(GERMAN_STORY, "almost-utf8-header-and-meta", 1)
_U8_META = variant(GERMAN_STORY, "almost-utf8-meta-only", 2)


def _almost_utf8(story_: Story, urls: SiteUrls, content_type: str) -> Reply:
    """The story in UTF-8 with one stray ``\\xff`` in its third paragraph (not a snippet)."""
    raw = article_html(story_, urls.base).encode("utf-8")
    marker = html.escape(story_.paragraphs[2][:30]).encode("utf-8")
    return Reply(200, raw.replace(marker, marker + b"\xff", 1), content_type, article=story_.key)


ALMOST_UTF8 = Scenario(
    name="almost-utf8",
    faults=("UTF-8 in header and meta, one stray \\xff", "UTF-8 in meta only, one stray \\xff"),
    build=lambda urls: news_site(
        urls,
        [_U8_BOTH, _U8_META],
        routes={
            _U8_BOTH.path: (_almost_utf8(_U8_BOTH, urls, "text/html; charset=utf-8"),),
            _U8_META.path: (_almost_utf8(_U8_META, urls, "text/html"),),
        },
    ),
    expected=(_U8_BOTH, _U8_META),
    stats={"newscrawl/utf8_repaired_pages": 2},
)

_NUL_COMMENT = story("nul-in-comment-first", "Pier restoration wins grant", "the pier grant", 1)
_NUL_UNTYPED = story("nul-untyped", "Allotment fees frozen", "the allotment fees", 2)
_STYLE_FIRST = story("style-block-first", "Skate park design chosen", "the skate park", 3)
_UTF16_BOM = story("utf16-with-bom", "Observatory opens to the public", "the observatory", 4)
_UTF16_BARE = story("utf16-no-bom", "Lido to open longer", "the lido hours", 5)
_UTF16_LINKED = story("utf16-linked-only", "Star party on Saturday", "the star party", 6)


def _prologue_reply(
    story_: Story, urls: SiteUrls, prologue: str, content_type: str | None
) -> Reply:
    page = prologue + article_html(story_, urls.base)
    return Reply(200, page.encode("utf-8"), content_type, article=story_.key)


def _utf16_reply(
    story_: Story, urls: SiteUrls, encoding: str, content_type: str, extra: str = ""
) -> Reply:
    page = article_html(story_, urls.base, charset=None, article_extra=extra)
    return Reply(200, page.encode(encoding), content_type, article=story_.key)


def _nul_and_prologues(urls: SiteUrls) -> Site:
    comment = "<!-- build \x00 " + "cache-key " * 500 + "-->\n"
    style = "<style>\n" + "article p { margin: 0 0 1em; line-height: 1.5 }\n" * 120 + "</style>\n"
    linked = f'<p><a href="{_UTF16_LINKED.path}">{_UTF16_LINKED.headline}</a></p>'
    stories = [_NUL_COMMENT, _NUL_UNTYPED, _STYLE_FIRST, _UTF16_BOM, _UTF16_BARE]
    return news_site(
        urls,
        stories,
        routes={
            _NUL_COMMENT.path: (_prologue_reply(_NUL_COMMENT, urls, comment, "text/html"),),
            _NUL_UNTYPED.path: (_prologue_reply(_NUL_UNTYPED, urls, "<!-- \x00 -->", None),),
            _STYLE_FIRST.path: (
                _prologue_reply(_STYLE_FIRST, urls, style, "application/octet-stream"),
            ),
            _UTF16_BOM.path: (_utf16_reply(_UTF16_BOM, urls, "utf-16", "text/html", linked),),
            _UTF16_BARE.path: (
                _utf16_reply(_UTF16_BARE, urls, "utf-16-le", "text/html; charset=utf-16le"),
            ),
            _UTF16_LINKED.path: (article_reply(_UTF16_LINKED, urls),),
        },
    )


NUL_AND_PROLOGUES = Scenario(
    name="nul-and-prologues",
    faults=(
        "a NUL byte inside a 5 KB comment before the doctype",
        "a NUL byte in a comment, no Content-Type",
        "a 5 KB <style> block first, served as application/octet-stream",
        "UTF-16 with a BOM; a story linked only from it",
        "UTF-16LE without a BOM (charset=utf-16le)",
    ),
    build=_nul_and_prologues,
    expected=(_NUL_COMMENT, _NUL_UNTYPED, _STYLE_FIRST, _UTF16_BOM, _UTF16_BARE, _UTF16_LINKED),
)

_VARIANT_STORIES = (
    story("url-variant-slash", "Harbour crane to be restored", "the harbour crane", 1),
    story("url-variant-case", "Night market returns to the square", "the night market", 2),
)


def _variant_paths(story_: Story) -> tuple[str, ...]:
    """The story's own path, without its trailing slash, and in other letter case."""
    return (story_.path, story_.path.rstrip("/"), story_.path.upper())


def _url_variants(urls: SiteUrls) -> Site:
    links = [(path, s.headline) for s in _VARIANT_STORIES for path in _variant_paths(s)[1:]]
    return news_site(
        urls,
        _VARIANT_STORIES,
        home_links=links,
        routes={
            path: (article_reply(s, urls, canonical=False),)
            for s in _VARIANT_STORIES
            for path in _variant_paths(s)
        },
    )


URL_VARIANTS = Scenario(
    name="url-variants",
    faults=(
        "no canonical link; linked with and without the trailing slash",
        "no canonical link; linked in upper and lower case",
    ),
    build=_url_variants,
    expected=_VARIANT_STORIES,
)

_ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
_ESC_STORY = dataclasses.replace(
    story("terminal-escapes", "Clock tower chimes again", "the clock tower", 1),
    author=f"Jane{_ESCAPES} Roe",
)

TERMINAL_ESCAPES = Scenario(
    name="terminal-escapes",
    faults=("ESC sequences in ETag, Last-Modified and the author's name",),
    build=lambda urls: news_site(
        urls,
        [_ESC_STORY],
        routes={
            _ESC_STORY.path: (
                dataclasses.replace(
                    article_reply(_ESC_STORY, urls),
                    headers=(("ETag", f'"v1{_ESCAPES}"'), ("Last-Modified", f"Fri{_ESCAPES}")),
                ),
            ),
        },
    ),
    expected=(_ESC_STORY,),
)

# --- issue 14: budgets of one crawl, and runs that lost everything -----------------------------

_FAN = tuple(
    story(f"fanout-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Ferry fares frozen for another year", "the ferry fares"),
            ("New footbridge links the two markets", "the footbridge"),
            ("Orchestra returns to the old theatre", "the orchestra"),
        ],
        start=1,
    )
)
FAN_OUT_CHILDREN = 5_000
FAN_OUT_READ = 48  # NEWSCRAWL_MAX_SITEMAPS (50) less /sitemap.xml and /sitemap_index.xml


def _fan_out(urls: SiteUrls) -> Site:
    children = "".join(
        f"<sitemap><loc>{urls.at(f'/sitemaps/{n}.xml')}</loc>"
        f"<lastmod>2024-05-03T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z</lastmod>"
        "</sitemap>"
        for n in range(FAN_OUT_CHILDREN)
    )
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}'
        "</sitemapindex>"
    )
    child = (Reply(200, sitemap(urls.at(s.path) for s in _FAN).encode(), "application/xml"),)
    robots = robots_txt(urls.base, extra=f"Sitemap: {urls.at('/sitemap_index.xml')}\n")
    return news_site(
        urls,
        _FAN,
        routes={
            "/sitemap_index.xml": (Reply(200, index.encode(), "application/xml"),),
            "/robots.txt": (Reply(200, robots.encode(), "text/plain"),),
        },
        fallback=lambda path: child if path.startswith("/sitemaps/") else None,
    )


SITEMAP_FAN_OUT = Scenario(
    name="sitemap-fan-out",
    faults=(f"a sitemap index of {FAN_OUT_CHILDREN:,} child sitemaps (NEWSCRAWL_MAX_SITEMAPS=50)",),
    build=_fan_out,
    expected=_FAN,
    request_bounds={"/sitemaps/": FAN_OUT_READ},
    stats={"newscrawl/sitemap_limit_reached": FAN_OUT_CHILDREN - FAN_OUT_READ},
)

_GIANT = tuple(
    story(f"giant-feed-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Tide gauge shows record spring high", "the tide gauge"),
            ("Allotment society elects new chair", "the allotment society"),
        ],
        start=1,
    )
)
GIANT_FEED_ITEMS = 100_000
GIANT_FEED_READ = 40  # NEWSCRAWL_MAX_FEED_ITEMS of the scenario


def _giant_feed(urls: SiteUrls) -> Site:
    old = "".join(
        f"<item><title>Old story {n}</title><link>{urls.at(f'/2024/01/01/old-{n}/')}</link>"
        "<pubDate>Mon, 01 Jan 2024 08:00:00 +0000</pubDate></item>"
        for n in range(GIANT_FEED_ITEMS - len(_GIANT))
    )
    feed = rss_feed(urls.base, _GIANT).replace("</channel>", old + "</channel>", 1)
    return news_site(
        urls,
        _GIANT,
        routes={"/feed.xml": (Reply(200, feed.encode(), "application/rss+xml"),)},
    )


GIANT_FEED = Scenario(
    name="giant-feed",
    faults=(f"a feed of {GIANT_FEED_ITEMS:,} items (~20 MB; NEWSCRAWL_MAX_FEED_ITEMS=40)",),
    build=_giant_feed,
    expected=_GIANT,
    settings={
        "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "NEWSCRAWL_MAX_FEED_ITEMS": GIANT_FEED_READ,
    },
    request_bounds={"/2024/01/01/old-": GIANT_FEED_READ - len(_GIANT)},
)

_REGEX = tuple(
    story(f"backtracking-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Lifeboat crew rescues stranded kayakers", "the lifeboat rescue"),
            ("Town library opens a seed bank", "the seed bank"),
        ],
        start=1,
    )
)
_BACKTRACKING_LINK = "/" + "a" * 40 + "!"

BACKTRACKING_PATTERN = Scenario(
    name="backtracking-pattern",
    faults=("deny pattern (a+)+$ in the sites file; a link of 40 a's (2^40 steps for re)",),
    build=lambda urls: news_site(urls, _REGEX, home_links=[(_BACKTRACKING_LINK, "Aaaah")]),
    expected=_REGEX,
    site_toml=lambda urls: "deny = ['(a+)+$']",
    request_bounds={_BACKTRACKING_LINK: 1},
)

_FULL = tuple(
    story(f"disk-full-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Pier repairs finished ahead of summer", "the pier repairs"),
            ("Bakery chain opens its first cafe", "the bakery cafe"),
        ],
        start=1,
    )
)


def _disk_full_database(database_url: str, _urls: SiteUrls) -> None:
    """Every article write fails as on a full disk (a real SQLite error, raised by a trigger)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as connection:
        connection.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON articles "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        connection.commit()


DISK_FULL = Scenario(
    name="disk-full",
    faults=("every article write fails (database or disk is full): run failed, exit 1",),
    # The articles are served but cannot be stored: none is expected; the run must say failed.
    build=lambda urls: news_site(
        urls,
        _FULL,
        routes={
            s.path: (dataclasses.replace(article_reply(s, urls), article=None),) for s in _FULL
        },
    ),
    expected=(),
    drops={"StoreFailed": len(_FULL)},
    prepare_database=_disk_full_database,
    outcome="failed",
    stats={"newscrawl/store_errors": len(_FULL)},
)

_LOCKED = tuple(
    story(f"locked-start-{n}", headline, topic, seed=n)
    for n, (headline, topic) in enumerate(
        [
            ("Swimming club celebrates its centenary", "the swimming club"),
            ("Cathedral bells rehung after restoration", "the cathedral bells"),
        ],
        start=1,
    )
)
# The site's server sets its run's event at its first request (robots.txt, sent after the run
# history gave up waiting for the lock); the lock is held until then.
_FIRST_REQUEST: dict[str, threading.Event] = {}


@contextmanager
def _write_lock(database_url: str, urls: SiteUrls) -> Iterator[None]:
    """Another connection holds SQLite's write lock until the site gets its first request."""
    import sqlite3

    first_request = _FIRST_REQUEST.setdefault(urls.base, threading.Event())
    taken = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE crawl_locks SET holder = holder")
            taken.set()
            first_request.wait(120)
            connection.execute("COMMIT")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    try:
        yield
    finally:
        first_request.set()
        thread.join()


def _locked_start(urls: SiteUrls) -> Site:
    first_request = _FIRST_REQUEST.setdefault(urls.base, threading.Event())
    site = news_site(urls, _LOCKED)

    def resolve(path: str) -> Route | None:
        first_request.set()
        return site.resolve(path)

    return Site({}, fallback=resolve)


LOCKED_AT_START = Scenario(
    name="lock-held-at-start",
    faults=("the database's write lock held by another connection at crawl start",),
    build=_locked_start,
    expected=_LOCKED,
    prepare_database=_write_lock,
    env={"NEWSCRAWL_SQLITE_BUSY_TIMEOUT": "1"},  # scaled down from 30 s
)

BUDGET_SCENARIOS: tuple[Scenario, ...] = (
    SITEMAP_FAN_OUT,
    GIANT_FEED,
    BACKTRACKING_PATTERN,
    DISK_FULL,
    LOCKED_AT_START,
)

ISSUE_14_SCENARIOS: tuple[Scenario, ...] = (
    CROSS_SITE_GITHUB,
    CROSS_SITE_KYOTO,
    CROSS_SITE_PORT,
    IDN_HOST,
    MALFORMED_PORTS,
    ALMOST_UTF8,
    NUL_AND_PROLOGUES,
    URL_VARIANTS,
    TERMINAL_ESCAPES,
)
SCENARIOS: tuple[Scenario, ...] = (
    BASELINE,
    HTTP_ERRORS,
    TIMEOUTS,
    CONNECTIONS,
    REDIRECTS,
    CONTENT_TYPES,
    SIZES,
    CHARSETS,
    HOSTILE_MARKUP,
    TRAPS,
    SCHEMES,
    JSONLD,
    START_OFFSITE,
    *ISSUE_14_SCENARIOS,
    *BUDGET_SCENARIOS,
)


def offsite_site(urls: SiteUrls) -> Site:
    """What the off-site host serves for any path: an article a crawl must never fetch."""
    trap = english_story("offsite", "/offsite/", OFFSITE_HEADLINE, "the off-site trap")
    page = (html_reply(article_html(trap, urls.offsite)),)
    return Site({}, fallback=lambda path: page)


def local_file_page() -> str:
    """The article written to disk for the ``file://`` links."""
    trap = english_story("local-file", "/local/", LOCAL_FILE_HEADLINE, "the local file trap")
    return article_html(trap, "http://127.0.0.1/")


def path_of(url: str) -> str:
    """The path and query of ``url``."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
