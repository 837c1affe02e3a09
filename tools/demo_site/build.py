"""Generate the bundled demo news site, "WorldMag Demo", from typed article data.

The site imitates a WordPress news-magazine theme (like the seed page): every page has a header
with the site's fixed *today* date, a "Trending" strip, the main navigation and a footer with a
"LiveWarWorld" live ticker; article pages add category links, entry meta, a key-points summary,
the body, tags, and the boilerplate a crawler must drop (related posts, share bar, newsletter box,
comment form, "Worth reading..." widget). Feeds, sitemaps and robots.txt complete it.

Absolute URLs (canonical, og:url, JSON-LD ids, feed and sitemap locations) are written with the
literal token ``__BASE_URL__``; the demo server replaces it with ``http://127.0.0.1:PORT``.
Links inside pages are root-relative (``/2023/10/16/slug/``).

Output is deterministic: nothing depends on the clock, the machine or dict order, so the
committed copy in ``newscrawl/demo/site/`` can be checked byte for byte. Regenerate it from the
repository root with::

    python -m tools.demo_site.build newscrawl/demo/site --fixture tests/fixtures/demo_pages.json

The articles live in ``tools.demo_site.articles``, their model and body markup convention in
``tools.demo_site.model``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import re
import struct
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from newscrawl.demo import BASE_URL_TOKEN, SITE_DIR
from tools.demo_site.articles import DEFAULT_ARTICLES
from tools.demo_site.model import (
    LINK_RE,
    DemoArticle,
    body_blocks,
    body_text,
    first_sentence,
    last_sentence,
    plain_text,
)

__all__ = [
    "DEFAULT_ARTICLES",
    "DemoArticle",
    "build_site",
    "fixture_text",
    "main",
    "page_expectations",
    "render_site",
]

logger = logging.getLogger(__name__)

SITE_NAME = "WorldMag Demo"
SITE_TAGLINE = "News from every corner of the world"
SITE_TODAY = date(2024, 11, 22)
TODAY_TEXT = "Friday, 22 November 2024"  # printed in every page header; never an article date
LIVE_CATEGORY = "LiveWarWorld"
NAV_CATEGORIES: tuple[str, ...] = (
    "Asia",
    "Africa",
    "Americas",
    "Europe",
    "India",
    "Politics",
    "Business",
    LIVE_CATEGORY,
)
PAGE_SIZE = 6  # teasers per category / tag / author page
FEED_SIZE = 10
TRENDING_COUNT = 3
RELATED_COUNT = 3
TICKER_COUNT = 3
NEWS_SITEMAP_SINCE = datetime(2024, 11, 15, tzinfo=UTC)  # "recent": the week before SITE_TODAY
SEARCH_QUERY = "China"
IMAGE_SIZE = (80, 45)

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
_LOCALES = {"en": ("en-US", "en_US"), "de": ("de-DE", "de_DE")}

# Article-level texts per language. The English ones are exactly the seed page's.
_UI: dict[str, dict[str, str]] = {
    "en": {
        "by": "by",
        "and": "and",
        "updated": "Updated",
        "tags": "Tags:",
        "share": "Share this article",
        "related": "Related posts",
        "read_more": "Read more",
        "newsletter": "Newsletter",
        "newsletter_title": "Become a Trendsetter",
        "newsletter_text": (
            "To get your breaking, trending, latest news immediately without diluting its "
            "truthfulness join with worldmagzine immediately."
        ),
        "subscribe": "Subscribe",
        "email_placeholder": "Your email address",
        "reply": "Leave a Reply",
        "email_note": "Your email address will not be published.",
        "required_note": "Required fields are marked",
        "comment": "Comment",
        "name": "Name",
        "email": "Email",
        "website": "Website",
        "post_comment": "Post Comment",
        "worth_reading": "Worth reading...",
    },
    "de": {
        "by": "Von",
        "and": "und",
        "updated": "Aktualisiert",
        "tags": "Schlagwörter:",
        "share": "Artikel teilen",
        "related": "Ähnliche Beiträge",
        "read_more": "Weiterlesen",
        "newsletter": "Newsletter",
        "newsletter_title": "Werde zum Trendsetter",
        "newsletter_text": (
            "Erhalte die wichtigsten Nachrichten sofort und ungefiltert: "
            "Abonniere den Newsletter von WorldMag."
        ),
        "subscribe": "Abonnieren",
        "email_placeholder": "Deine E-Mail-Adresse",
        "reply": "Schreibe einen Kommentar",
        "email_note": "Deine E-Mail-Adresse wird nicht veröffentlicht.",
        "required_note": "Erforderliche Felder sind mit * markiert",
        "comment": "Kommentar",
        "name": "Name",
        "email": "E-Mail",
        "website": "Website",
        "post_comment": "Kommentar abschicken",
        "worth_reading": "Lesenswert...",
    },
}


def slugify(name: str) -> str:
    """A WordPress-like slug: German umlauts transliterated, apostrophes dropped, ``-`` joins."""
    text = name.lower()
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(src, dst)
    text = re.sub(r"[’‘']", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def visible_date(value: datetime, language: str) -> str:
    """The entry-meta date text: "October 16, 2023" or "21. November 2024, 14:30 Uhr"."""
    if language == "de":
        month = _MONTHS_DE[value.month - 1]
        return f"{value.day}. {month} {value.year}, {value.hour:02d}:{value.minute:02d} Uhr"
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def _abs(path: str) -> str:
    return BASE_URL_TOKEN + path


def _post_id(article: DemoArticle) -> int:
    return int(hashlib.sha256(article.slug.encode("utf-8")).hexdigest()[:8], 16) % 90000 + 10000


def _latest_key(article: DemoArticle) -> tuple[bool, float, str]:
    stamp = article.published.timestamp() if article.published else 0.0
    return (article.published is None, -stamp, article.slug)


def _paginate(items: Sequence[DemoArticle]) -> list[list[DemoArticle]]:
    return [list(items[i : i + PAGE_SIZE]) for i in range(0, len(items), PAGE_SIZE)] or [[]]


# --- the site index: everything derived from the article list ----------------------------------


@dataclass(slots=True)
class ArticleChrome:
    """The other articles shown on one article's page, outside its content."""

    trending: list[DemoArticle]
    related: list[DemoArticle]
    worth_reading: DemoArticle | None
    ticker: list[DemoArticle]


@dataclass(slots=True)
class SiteIndex:
    """Articles latest first, plus categories, tags and authors with their articles."""

    articles: list[DemoArticle]
    categories: dict[str, list[DemoArticle]] = field(default_factory=dict)
    tags: dict[str, list[DemoArticle]] = field(default_factory=dict)
    authors: dict[str, list[DemoArticle]] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: Sequence[DemoArticle]) -> SiteIndex:
        """Index ``articles``; raises ValueError on duplicate slugs or permalinks."""
        seen_slugs: set[str] = set()
        seen_paths: set[str] = set()
        for article in articles:
            if article.slug in seen_slugs or article.path in seen_paths:
                raise ValueError(f"duplicate article slug or permalink: {article.slug!r}")
            seen_slugs.add(article.slug)
            seen_paths.add(article.path)
        index = cls(articles=sorted(articles, key=_latest_key))
        for article in index.articles:
            for name in article.categories:
                index.categories.setdefault(name, []).append(article)
            for name in article.tags:
                index.tags.setdefault(name, []).append(article)
            for name in article.authors:
                index.authors.setdefault(name, []).append(article)
        return index

    def by_slug(self, slug: str | None) -> DemoArticle | None:
        """The article with ``slug``, or None."""
        return next((a for a in self.articles if a.slug == slug), None)

    def nav_categories(self) -> list[str]:
        """Main-menu categories: the fixed menu order, limited to categories in use."""
        return [name for name in NAV_CATEGORIES if name in self.categories]

    def trending(self, exclude: DemoArticle | None) -> list[DemoArticle]:
        """Trending-flagged articles (latest first), filled with the latest others."""
        others = [a for a in self.articles if a is not exclude]
        chosen = [a for a in others if a.trending][:TRENDING_COUNT]
        chosen += [a for a in others if a not in chosen][: TRENDING_COUNT - len(chosen)]
        return chosen

    def ticker(self, exclude: DemoArticle | None) -> list[DemoArticle]:
        """The latest live-category articles for the footer ticker."""
        live = [a for a in self.categories.get(LIVE_CATEGORY, []) if a is not exclude]
        return live[:TICKER_COUNT]

    def chrome(self, article: DemoArticle) -> ArticleChrome:
        """Trending, related, worth-reading and ticker articles for ``article``'s page.

        Automatic picks prefer older articles (then the nearest newer ones), so adding a new
        article to the site does not change the pages of the articles already there.
        """
        position = self.articles.index(article)
        older = self.articles[position + 1 :]
        newer = list(reversed(self.articles[:position]))

        def shares(other: DemoArticle) -> bool:
            return bool(set(other.categories) & set(article.categories))

        pools = (
            [a for a in older if shares(a)],
            [a for a in older if not shares(a)],
            [a for a in newer if shares(a)],
            [a for a in newer if not shares(a)],
        )
        related = [a for a in (self.by_slug(s) for s in article.related) if a and a is not article][
            :RELATED_COUNT
        ]
        for candidate in (a for pool in pools for a in pool):
            if len(related) >= RELATED_COUNT:
                break
            if candidate not in related:
                related.append(candidate)

        worth = self.by_slug(article.worth_reading)
        if worth is None or worth is article:
            unused = [a for a in (*older, *newer) if a not in related]
            live = [a for a in unused if LIVE_CATEGORY in a.categories]
            worth = next(iter(live or unused), None)
        return ArticleChrome(
            trending=self.trending(article),
            related=related,
            worth_reading=worth,
            ticker=self.ticker(article),
        )


# --- HTML pieces ---------------------------------------------------------------------------------


def _cat_links(article: DemoArticle) -> str:
    links = "".join(
        f'<a href="/category/{slugify(c)}/" rel="category tag">{_e(c)}</a>'
        for c in article.categories
    )
    return f'<div class="cat-links">{links}</div>'


def _teaser(article: DemoArticle, *, heading: str, ui: dict[str, str], dated: bool) -> str:
    lines = [
        f'<article class="post teaser post-{_post_id(article)}">',
        _cat_links(article),
        (
            f'<{heading} class="entry-title"><a href="{article.path}" rel="bookmark">'
            f"{_e(article.headline)}</a></{heading}>"
        ),
    ]
    if dated and article.published is not None:
        lines.append(f'<div class="entry-meta">{_published_time(article)}</div>')
    lines += [
        f'<p class="excerpt">{_e(article.excerpt)}</p>',
        f'<a class="read-more" href="{article.path}">{_e(ui["read_more"])}</a>',
        "</article>",
    ]
    return "\n".join(lines)


def _published_time(article: DemoArticle) -> str:
    assert article.published is not None
    text = _e(visible_date(article.published, article.language))
    if article.machine_dates:
        iso = article.published.isoformat()
        return f'<time class="entry-date published" datetime="{iso}">{text}</time>'
    return f'<time class="entry-date published">{text}</time>'


def _header(index: SiteIndex, trending: Sequence[DemoArticle]) -> str:
    items = "\n".join(f'<li><a href="{a.path}">{_e(a.headline)}</a></li>' for a in trending)
    menu = "\n".join(
        f'<li class="menu-item"><a href="/category/{slugify(c)}/">{_e(c)}</a></li>'
        for c in index.nav_categories()
    )
    return f"""<header id="masthead" class="site-header">
<div class="top-bar">
<span class="header-date">{TODAY_TEXT}</span>
<div class="trending-strip">
<span class="trending-label">Trending</span>
<ul class="trending-list">
{items}
</ul>
</div>
</div>
<div class="site-branding">
<p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>
<p class="site-description">{SITE_TAGLINE}</p>
</div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary">
<ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Home</a></li>
{menu}
</ul>
</nav>
<form role="search" method="get" class="search-form" action="/search/">
<label><span class="screen-reader-text">Search for:</span>
<input type="search" class="search-field" placeholder="Search …" value="" name="s"></label>
<button type="submit" class="search-submit">Search</button>
</form>
</header>"""


def _footer(ticker: Sequence[DemoArticle]) -> str:
    items = "\n".join(f'<li><a href="{a.path}">{_e(a.headline)}</a></li>' for a in ticker)
    return f"""<footer id="colophon" class="site-footer">
<div class="live-ticker">
<span class="ticker-badge">LIVE</span>
<a class="ticker-label" href="/category/{slugify(LIVE_CATEGORY)}/">{LIVE_CATEGORY}</a>
<ul class="ticker-items">
{items}
</ul>
</div>
<nav class="footer-navigation" aria-label="Footer">
<ul>
<li><a href="/about/">About</a></li>
<li><a href="/contact/">Contact</a></li>
<li><a href="/feed/">RSS</a></li>
<li><a href="/wp-admin/">Log in</a></li>
</ul>
</nav>
<p class="site-info">© 2024 {SITE_NAME}. A bundled demo site for newscrawl: every article here is
demo content written for testing, not a real news report.</p>
</footer>"""


@dataclass(slots=True)
class _Head:
    title: str
    canonical: str | None
    description: str | None = None
    og_type: str = "website"
    language: str = "en"
    robots: str = "index, follow"
    meta: list[tuple[str, str]] = field(default_factory=list)  # (property, content)
    links: list[tuple[str, str]] = field(default_factory=list)  # (rel, href)
    jsonld: dict[str, Any] | None = None


def _head(head: _Head) -> str:
    lang_tag, locale = _LOCALES[head.language]
    lines = [
        '<meta charset="UTF-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(head.title)}</title>",
    ]
    if head.description:
        lines.append(f'<meta name="description" content="{_e(head.description)}">')
    lines.append(f'<meta name="robots" content="{head.robots}">')
    if head.canonical:
        lines.append(f'<link rel="canonical" href="{_abs(head.canonical)}">')
    lines += [f'<link rel="{rel}" href="{_abs(href)}">' for rel, href in head.links]
    lines += [
        f'<meta property="og:locale" content="{locale}">',
        f'<meta property="og:type" content="{head.og_type}">',
        f'<meta property="og:title" content="{_e(head.title.removesuffix(" - " + SITE_NAME))}">',
    ]
    if head.description:
        lines.append(f'<meta property="og:description" content="{_e(head.description)}">')
    if head.canonical:
        lines.append(f'<meta property="og:url" content="{_abs(head.canonical)}">')
    lines.append(f'<meta property="og:site_name" content="{SITE_NAME}">')
    lines += [f'<meta property="{prop}" content="{_e(value)}">' for prop, value in head.meta]
    lines += [
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="generator" content="WordPress 6.6.2">',
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} » Feed" '
        + 'href="/feed/">',
        '<link rel="stylesheet" href="/wp-content/themes/worldmag/style.css" media="all">',
    ]
    if head.jsonld is not None:
        data = json.dumps(head.jsonld, ensure_ascii=False, separators=(",", ":"))
        data = data.replace("</", "<\\/")
        lines.append(
            f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>'
        )
    return f'<html lang="{lang_tag}">\n<head>\n' + "\n".join(lines) + "\n</head>"


def _page(
    index: SiteIndex,
    head: _Head,
    *,
    body_class: str,
    main: str,
    sidebar: str = "",
    current: DemoArticle | None = None,
) -> str:
    parts = [
        "<!DOCTYPE html>",
        _head(head),
        f'<body class="{body_class}">',
        '<div id="page" class="site">',
        _header(index, index.trending(current)),
        '<div id="content" class="site-content">',
        '<main id="primary" class="site-main">',
        main,
        "</main>",
    ]
    if sidebar:
        parts.append(sidebar)
    parts += ["</div>", _footer(index.ticker(current)), "</div>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _inline(marked: str) -> str:
    out: list[str] = []
    last = 0
    for match in LINK_RE.finditer(marked):
        out.append(_e(marked[last : match.start()]))
        out.append(f'<a href="{_e(match.group(2))}">{_e(match.group(1))}</a>')
        last = match.end()
    out.append(_e(marked[last:]))
    return "".join(out)


def body_html(article: DemoArticle) -> str:
    """The ``.entry-content`` inner HTML of an article (also used in the feed)."""
    out: list[str] = []
    for block in body_blocks(article):
        if block.kind == "p":
            out.append(f"<p>{_inline(block.texts[0])}</p>")
        elif block.kind == "h2":
            out.append(f'<h2 class="wp-block-heading">{_inline(block.texts[0])}</h2>')
        elif block.kind == "quote":
            out.append(
                f'<blockquote class="wp-block-quote"><p>{_inline(block.texts[0])}</p></blockquote>'
            )
        else:
            items = "".join(f"<li>{_inline(t)}</li>" for t in block.texts)
            out.append(f'<ul class="wp-block-list">{items}</ul>')
    return "\n".join(out)


# --- structured data -----------------------------------------------------------------------------


def _person_id(name: str) -> str:
    return _abs(f"/#/schema/person/{slugify(name)}")


def _jsonld_article(article: DemoArticle) -> dict[str, Any]:
    url = _abs(article.path)
    lang_tag = _LOCALES[article.language][0]
    dates: dict[str, str] = {}
    if article.published is not None and article.machine_dates:
        dates["datePublished"] = article.published.isoformat()
        if article.modified is not None:
            dates["dateModified"] = article.modified.isoformat()
    image = _abs(article.image_path) if article.image_path else None
    if not article.jsonld_graph:
        obj: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": article.headline,
            "description": article.description,
        }
        if image:
            obj["image"] = [image]
        obj.update(dates)
        obj["author"] = [
            {"@type": "Person", "name": n, "url": _abs(f"/author/{slugify(n)}/")}
            for n in article.authors
        ]
        obj["publisher"] = {"@type": "Organization", "name": SITE_NAME, "url": _abs("/")}
        obj["articleSection"] = article.section
        if article.tags:
            obj["keywords"] = ", ".join(article.tags)
        obj["inLanguage"] = lang_tag
        return obj
    news: dict[str, Any] = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "isPartOf": {"@id": url},
        "author": [{"name": n, "@id": _person_id(n)} for n in article.authors],
        "headline": article.headline,
        **dates,
        "mainEntityOfPage": {"@id": url},
        "wordCount": len(body_text(article).split()),
        "publisher": {"@id": _abs("/#organization")},
    }
    if image:
        news["image"] = {"@id": url + "#primaryimage"}
        news["thumbnailUrl"] = image
    if article.tags:
        news["keywords"] = list(article.tags)
    news["articleSection"] = list(article.categories)
    news["inLanguage"] = lang_tag
    page: dict[str, Any] = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": f"{article.headline} - {SITE_NAME}",
        "isPartOf": {"@id": _abs("/#website")},
        **dates,
        "breadcrumb": {"@id": url + "#breadcrumb"},
        "inLanguage": lang_tag,
    }
    graph: list[dict[str, Any]] = [news, page]
    if image:
        w, h = IMAGE_SIZE
        graph.append(
            {
                "@type": "ImageObject",
                "@id": url + "#primaryimage",
                "url": image,
                "contentUrl": image,
                "width": w,
                "height": h,
            }
        )
    graph.append(_breadcrumbs(url, [("Home", _abs("/")), (article.headline, None)]))
    graph += _site_nodes()
    graph += [
        {
            "@type": "Person",
            "@id": _person_id(n),
            "name": n,
            "url": _abs(f"/author/{slugify(n)}/"),
        }
        for n in article.authors
    ]
    return {"@context": "https://schema.org", "@graph": graph}


def _breadcrumbs(url: str, trail: Sequence[tuple[str, str | None]]) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for position, (name, item) in enumerate(trail, start=1):
        entry: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if item is not None:
            entry["item"] = item
        items.append(entry)
    return {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": items}


def _site_nodes() -> list[dict[str, Any]]:
    return [
        {
            "@type": "WebSite",
            "@id": _abs("/#website"),
            "url": _abs("/"),
            "name": SITE_NAME,
            "description": SITE_TAGLINE,
            "publisher": {"@id": _abs("/#organization")},
            "inLanguage": "en-US",
        },
        {
            "@type": "Organization",
            "@id": _abs("/#organization"),
            "name": SITE_NAME,
            "url": _abs("/"),
        },
    ]


def _jsonld_collection(path: str, name: str, page_type: str = "CollectionPage") -> dict[str, Any]:
    url = _abs(path)
    trail: list[tuple[str, str | None]] = [("Home", _abs("/"))]
    if path != "/":
        trail.append((name, None))
    page = {
        "@type": page_type,
        "@id": url,
        "url": url,
        "name": name,
        "isPartOf": {"@id": _abs("/#website")},
        "breadcrumb": {"@id": url + "#breadcrumb"},
        "inLanguage": "en-US",
    }
    graph = [page, _breadcrumbs(url, trail), *_site_nodes()]
    return {"@context": "https://schema.org", "@graph": graph}


# --- pages ---------------------------------------------------------------------------------------


def _article_head(article: DemoArticle) -> _Head:
    meta: list[tuple[str, str]] = [("article:section", article.section)]
    meta += [("article:tag", t) for t in article.tags]
    if article.published is not None and article.machine_dates:
        meta.append(("article:published_time", article.published.isoformat()))
        if article.modified is not None:
            meta.append(("article:modified_time", article.modified.isoformat()))
    if article.image_path:
        w, h = IMAGE_SIZE
        meta += [
            ("og:image", _abs(article.image_path)),
            ("og:image:width", str(w)),
            ("og:image:height", str(h)),
        ]
    return _Head(
        title=f"{article.headline} - {SITE_NAME}",
        canonical=article.path,
        description=article.description,
        og_type="article",
        language=article.language,
        meta=meta,
        jsonld=_jsonld_article(article) if article.with_jsonld else None,
    )


def _entry_meta(article: DemoArticle, ui: dict[str, str]) -> str:
    parts: list[str] = []
    if article.published is not None:
        parts.append(f'<span class="posted-on">{_published_time(article)}</span>')
        if article.modified is not None:
            text = _e(visible_date(article.modified, article.language))
            attr = f' datetime="{article.modified.isoformat()}"' if article.machine_dates else ""
            parts.append(
                f'<span class="updated-on">{ui["updated"]} '
                f'<time class="updated"{attr}>{text}</time></span>'
            )
    authors = f" {ui['and']} ".join(
        f'<span class="author vcard"><a class="url fn n" href="/author/{slugify(n)}/" '
        f'rel="author">{_e(n)}</a></span>'
        for n in article.authors
    )
    if authors:
        parts.append(f'<span class="byline">{ui["by"]} {authors}</span>')
    return '<div class="entry-meta">\n' + "\n".join(parts) + "\n</div>"


def _article_main(article: DemoArticle, chrome: ArticleChrome) -> str:
    ui = _UI[article.language]
    categories = " ".join(f"category-{slugify(c)}" for c in article.categories)
    lines = [
        (
            f'<article id="post-{_post_id(article)}" class="post type-post status-publish '
            f'format-standard hentry {categories}">'
        ),
        '<header class="entry-header">',
        _cat_links(article),
        f'<h1 class="entry-title">{_e(article.headline)}</h1>',
        _entry_meta(article, ui),
        "</header>",
    ]
    if article.image_path:
        w, h = IMAGE_SIZE
        lines.append(
            f'<figure class="post-thumbnail"><img src="{article.image_path}" '
            f'alt="{_e(article.headline)}" width="{w}" height="{h}"></figure>'
        )
    if article.key_points:
        points = "\n".join(f"<li>{_e(p)}</li>" for p in article.key_points)
        lines.append(f'<div class="key-points">\n<ul>\n{points}\n</ul>\n</div>')
    lines += ['<div class="entry-content">', body_html(article), "</div>"]
    if article.tags:
        tags = ", ".join(
            f'<a href="/tag/{slugify(t)}/" rel="tag">{_e(t)}</a>' for t in article.tags
        )
        tags_links = f'<span class="tags-links">{ui["tags"]} {tags}</span>'
        lines.append(f'<footer class="entry-footer">{tags_links}</footer>')
    lines.append("</article>")
    services = ("Facebook", "WhatsApp", "LinkedIn", "Email")
    buttons = "".join(
        f'<button type="button" class="share-button" data-service="{s.lower()}">{s}</button>'
        for s in services
    )
    lines.append(
        f'<div class="share-bar"><span class="share-label">{ui["share"]}</span>{buttons}</div>'
    )
    if chrome.related:
        teasers = "\n".join(_teaser(a, heading="h3", ui=ui, dated=False) for a in chrome.related)
        lines.append(
            f'<section class="related-posts">\n<h2 class="related-title">{ui["related"]}</h2>\n'
            f"{teasers}\n</section>"
        )
    lines.append(_newsletter(ui))
    lines.append(_comment_form(article, ui))
    return "\n".join(lines)


def _newsletter(ui: dict[str, str]) -> str:
    return f"""<section class="newsletter-box">
<span class="newsletter-label">{ui["newsletter"]}</span>
<h3 class="newsletter-title">{ui["newsletter_title"]}</h3>
<p class="newsletter-text">{_e(ui["newsletter_text"])}</p>
<form class="newsletter-form" action="/newsletter/" method="post">
<input type="email" name="email" placeholder="{ui["email_placeholder"]}" required>
<button type="submit">{ui["subscribe"]}</button>
</form>
</section>"""


def _comment_form(article: DemoArticle, ui: dict[str, str]) -> str:
    star = '<span class="required">*</span>'
    note = ui["required_note"]
    note_html = _e(note).replace("*", star, 1) if "*" in note else f"{_e(note)} {star}"
    submit = (
        f'<input name="submit" type="submit" id="submit" class="submit" '
        f'value="{ui["post_comment"]}">'
    )
    return f"""<div id="comments" class="comments-area">
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">{ui["reply"]}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">{ui["email_note"]}</span> \
<span class="required-field-message">{note_html}</span></p>
<p class="comment-form-comment"><label for="comment">{ui["comment"]} {star}</label>
<textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
<p class="comment-form-author"><label for="author">{ui["name"]} {star}</label>
<input id="author" name="author" type="text" required></p>
<p class="comment-form-email"><label for="email">{ui["email"]} {star}</label>
<input id="email" name="email" type="email" required></p>
<p class="comment-form-url"><label for="url">{ui["website"]}</label>
<input id="url" name="url" type="url"></p>
<p class="form-submit">{submit}
<input type="hidden" name="comment_post_ID" value="{_post_id(article)}"></p>
</form>
</div>
</div>"""


def _worth_reading(article: DemoArticle | None, ui: dict[str, str]) -> str:
    if article is None:
        return ""
    return f"""<aside id="secondary" class="widget-area">
<section class="widget worth-reading">
{_cat_links(article)}
<h3 class="entry-title"><a href="{article.path}">{_e(article.headline)}</a></h3>
<p class="widget-title">{ui["worth_reading"]}</p>
</section>
</aside>"""


def _article_page(index: SiteIndex, article: DemoArticle) -> str:
    chrome = index.chrome(article)
    return _page(
        index,
        _article_head(article),
        body_class="post-template-default single single-post",
        main=_article_main(article, chrome),
        sidebar=_worth_reading(chrome.worth_reading, _UI[article.language]),
        current=article,
    )


def _listing_pages(
    index: SiteIndex,
    *,
    base: str,
    heading: str,
    intro: str,
    title: str,
    items: Sequence[DemoArticle],
    body_class: str,
    page_type: str = "CollectionPage",
) -> dict[str, str]:
    """A paginated archive: ``base`` then ``base/page/N/``; returns path -> HTML."""
    ui = _UI["en"]
    pages = _paginate(items)
    out: dict[str, str] = {}
    for number, chunk in enumerate(pages, start=1):
        path = base if number == 1 else f"{base}page/{number}/"
        links: list[tuple[str, str]] = []
        nav: list[str] = []
        if number > 1:
            prev = base if number == 2 else f"{base}page/{number - 1}/"
            links.append(("prev", prev))
            nav.append(f'<a class="prev page-numbers" href="{prev}">Previous</a>')
        for n in range(1, len(pages) + 1):
            target = base if n == 1 else f"{base}page/{n}/"
            if n == number:
                nav.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                nav.append(f'<a class="page-numbers" href="{target}">{n}</a>')
        if number < len(pages):
            nxt = f"{base}page/{number + 1}/"
            links.append(("next", nxt))
            nav.append(f'<a class="next page-numbers" href="{nxt}">Next</a>')
        page_title = title if number == 1 else f"{title} - Page {number} of {len(pages)}"
        teasers = "\n".join(_teaser(a, heading="h2", ui=ui, dated=True) for a in chunk)
        main = (
            f'<header class="page-header">\n<h1 class="page-title">{heading}</h1>\n'
            f'<div class="archive-description"><p>{_e(intro)}</p></div>\n</header>\n'
            f'<div class="posts-list">\n{teasers}\n</div>'
        )
        if len(pages) > 1:
            main += (
                '\n<nav class="navigation pagination" aria-label="Posts">'
                f'<div class="nav-links">{"".join(nav)}</div></nav>'
            )
        head = _Head(
            title=f"{page_title} - {SITE_NAME}",
            canonical=path,
            description=intro,
            links=links,
            jsonld=_jsonld_collection(path, page_title, page_type),
        )
        out[path] = _page(index, head, body_class=body_class, main=main)
    return out


def _home_page(index: SiteIndex) -> str:
    ui = _UI["en"]
    teasers = "\n".join(_teaser(a, heading="h2", ui=ui, dated=True) for a in index.articles)
    main = (
        f'<h1 class="screen-reader-text">{SITE_NAME}</h1>\n<section class="latest-news">\n'
        f'<h2 class="section-title">Latest News</h2>\n{teasers}\n</section>'
    )
    head = _Head(
        title=f"{SITE_NAME} - {SITE_TAGLINE}",
        canonical="/",
        description=f"{SITE_NAME}: {SITE_TAGLINE.lower()}.",
        jsonld=_jsonld_collection("/", SITE_NAME),
    )
    return _page(index, head, body_class="home blog", main=main)


def _static_page(index: SiteIndex, path: str, title: str, content: str, page_type: str) -> str:
    main = (
        f'<article class="page type-page">\n<header class="entry-header">'
        f'<h1 class="entry-title">{_e(title)}</h1></header>\n'
        f'<div class="entry-content">\n{content}\n</div>\n</article>'
    )
    head = _Head(
        title=f"{title} - {SITE_NAME}",
        canonical=path,
        jsonld=_jsonld_collection(path, title, page_type),
    )
    return _page(index, head, body_class="page-template-default page", main=main)


def _about_page(index: SiteIndex) -> str:
    content = f"""<p>{SITE_NAME} is a small news magazine that covers politics, business and
conflict in Asia, Africa, the Americas, Europe and India.</p>
<p>It is bundled with newscrawl as a demo site: a realistic WordPress-style theme with feeds,
sitemaps, archives and the boilerplate blocks that real news sites wrap around each story. Every
article on it is demo content written for testing; names of companies, towns and most people are
invented.</p>
<p>Write to the editors through the <a href="/contact/">contact page</a>.</p>"""
    return _static_page(index, "/about/", f"About {SITE_NAME}", content, "AboutPage")


def _contact_page(index: SiteIndex) -> str:
    content = """<p>Questions, corrections or tips? Send the editors a message with the form below.
We read every message and reply within two working days.</p>
<form class="contact-form" action="/contact/" method="post">
<p><label for="contact-name">Your name (required)</label>
<input id="contact-name" type="text" name="your-name" required></p>
<p><label for="contact-email">Your email (required)</label>
<input id="contact-email" type="email" name="your-email" required></p>
<p><label for="contact-subject">Subject</label>
<input id="contact-subject" type="text" name="your-subject"></p>
<p><label for="contact-message">Your message</label>
<textarea id="contact-message" name="your-message" cols="40" rows="10"></textarea></p>
<p><input type="submit" value="Send"></p>
</form>"""
    return _static_page(index, "/contact/", "Contact", content, "ContactPage")


def _search_page(index: SiteIndex) -> str:
    ui = _UI["en"]
    needle = SEARCH_QUERY.lower()
    hits = [
        a for a in index.articles if needle in f"{a.headline}\n{a.summary}\n{body_text(a)}".lower()
    ]
    teasers = "\n".join(_teaser(a, heading="h2", ui=ui, dated=True) for a in hits)
    main = (
        f'<header class="page-header">\n<h1 class="page-title">Search Results for: '
        f"<span>{SEARCH_QUERY}</span></h1>\n</header>\n"
        f'<div class="posts-list">\n{teasers}\n</div>'
    )
    head = _Head(
        title=f"You searched for {SEARCH_QUERY} - {SITE_NAME}",
        canonical=None,
        robots="noindex, follow",
        jsonld=_jsonld_collection(
            "/search/", f"Search Results for: {SEARCH_QUERY}", "SearchResultsPage"
        ),
    )
    return _page(index, head, body_class="search search-results", main=main)


def _not_found_page(index: SiteIndex) -> str:
    main = """<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">Oops! That page can’t be found.</h1></header>
<div class="page-content"><p>It looks like nothing was found at this location.
Try the <a href="/">home page</a> or one of the categories above.</p></div>
</section>"""
    head = _Head(title=f"Page not found - {SITE_NAME}", canonical=None, robots="noindex, follow")
    return _page(index, head, body_class="error404", main=main)


# --- feed, sitemaps, robots, assets --------------------------------------------------------------


def _rss_date(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC))


def _lastmod(article: DemoArticle) -> datetime | None:
    return article.modified or article.published


_RSS_NAMESPACES = (
    'version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
)


def _feed(index: SiteIndex) -> str:
    entries = [a for a in index.articles if a.published is not None][:FEED_SIZE]
    build_dates = [d for d in (_lastmod(a) for a in entries) if d is not None]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<rss {_RSS_NAMESPACES}>",
        "<channel>",
        f"<title>{SITE_NAME}</title>",
        f'<atom:link href="{_abs("/feed/")}" rel="self" type="application/rss+xml"/>',
        f"<link>{_abs('/')}</link>",
        f"<description>{SITE_TAGLINE}</description>",
    ]
    if build_dates:
        lines.append(f"<lastBuildDate>{_rss_date(max(build_dates))}</lastBuildDate>")
    lines += ["<language>en-US</language>", "<generator>https://wordpress.org/?v=6.6.2</generator>"]
    for a in entries:
        assert a.published is not None
        lines += [
            "<item>",
            f"<title>{_x(a.headline)}</title>",
            f"<link>{_abs(a.path)}</link>",
            *(f"<dc:creator><![CDATA[{n}]]></dc:creator>" for n in a.authors),
            f"<pubDate>{_rss_date(a.published)}</pubDate>",
            *(f"<category><![CDATA[{c}]]></category>" for c in a.labels),
            f'<guid isPermaLink="true">{_abs(a.path)}</guid>',
            f"<description><![CDATA[{a.excerpt}]]></description>",
            f"<content:encoded><![CDATA[{body_html(a)}]]></content:encoded>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)


def _xml_header(root: str) -> list[str]:
    return ['<?xml version="1.0" encoding="UTF-8"?>', root]


def _posts_sitemap(index: SiteIndex) -> str:
    lines = _xml_header('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for a in index.articles:
        lastmod = _lastmod(a)
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{_abs(a.path)}</loc>{mod}</url>")
    lines += ["</urlset>", ""]
    return "\n".join(lines)


def news_sitemap_articles(articles: Sequence[DemoArticle]) -> list[DemoArticle]:
    """Articles in the Google news sitemap: published on or after NEWS_SITEMAP_SINCE."""
    index = SiteIndex.of(articles)
    return [a for a in index.articles if a.published and a.published >= NEWS_SITEMAP_SINCE]


def _news_sitemap(index: SiteIndex) -> str:
    lines = _xml_header(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    )
    for a in news_sitemap_articles(index.articles):
        assert a.published is not None
        lines += [
            "<url>",
            f"<loc>{_abs(a.path)}</loc>",
            "<news:news>",
            "<news:publication>",
            f"<news:name>{SITE_NAME}</news:name>",
            f"<news:language>{a.language}</news:language>",
            "</news:publication>",
            f"<news:publication_date>{a.published.isoformat()}</news:publication_date>",
            f"<news:title>{_x(a.headline)}</news:title>",
            f"<news:keywords>{_x(', '.join(a.labels))}</news:keywords>",
            "</news:news>",
            "</url>",
        ]
    lines += ["</urlset>", ""]
    return "\n".join(lines)


def _sitemap_index(index: SiteIndex) -> str:
    lines = _xml_header('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    posts = [d for d in (_lastmod(a) for a in index.articles) if d is not None]
    news = [a.published for a in news_sitemap_articles(index.articles) if a.published]
    for path, dates in (("/sitemap-posts.xml", posts), ("/sitemap-news.xml", news)):
        mod = f"<lastmod>{max(dates).isoformat()}</lastmod>" if dates else ""
        lines.append(f"<sitemap><loc>{_abs(path)}</loc>{mod}</sitemap>")
    lines += ["</sitemapindex>", ""]
    return "\n".join(lines)


def _robots() -> str:
    return (
        "User-agent: *\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "\n"
        f"Sitemap: {BASE_URL_TOKEN}/sitemap.xml\n"
    )


_STYLE = """body{margin:0;font-family:Georgia,serif;color:#222;background:#fff}
#page{max-width:1100px;margin:0 auto;padding:0 16px}
.top-bar{display:flex;gap:24px;font:13px sans-serif;border-bottom:1px solid #ddd;padding:6px 0}
.trending-label,.ticker-badge{background:#c00;color:#fff;padding:0 6px;font-weight:bold}
.trending-list,.ticker-items,.menu{display:inline;list-style:none;margin:0;padding:0}
.trending-list li,.ticker-items li,.menu li{display:inline;margin-right:16px}
.site-title{font-size:32px;font-weight:bold;margin:12px 0 0}
.site-title a{color:#111;text-decoration:none}
.main-navigation{border-top:3px solid #111;border-bottom:1px solid #ddd;padding:8px 0}
.site-content{display:grid;grid-template-columns:3fr 1fr;gap:32px;margin-top:16px}
.cat-links a{font:bold 12px sans-serif;text-transform:uppercase;color:#c00;margin-right:8px}
.entry-meta{font:13px sans-serif;color:#666}
.key-points{background:#f5f5f5;border-left:4px solid #c00;padding:4px 16px}
.share-bar,.newsletter-box,.related-posts,.comments-area{margin:24px 0;font-family:sans-serif}
.newsletter-box{background:#111;color:#fff;padding:16px}
.teaser{border-bottom:1px solid #eee;padding:12px 0}
.live-ticker{border-top:3px solid #c00;padding:8px 0;font:14px sans-serif}
.site-info{font:12px sans-serif;color:#666}
.screen-reader-text{position:absolute;left:-9999px}
"""


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG; the zlib stream is built by hand (one stored block) so the bytes
    never depend on the zlib library's version."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    if len(raw) > 0xFFFF:
        raise ValueError("image too large for a single stored deflate block")
    stream = (
        b"\x78\x01\x01"
        + struct.pack("<HH", len(raw), len(raw) ^ 0xFFFF)
        + raw
        + struct.pack(">I", zlib.adler32(raw))
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stream) + chunk(b"IEND", b"")
    )


def _image_for(article: DemoArticle) -> bytes:
    digest = hashlib.sha256(article.slug.encode("utf-8")).digest()
    rgb = (64 + digest[0] % 128, 64 + digest[1] % 128, 64 + digest[2] % 128)
    return _png(*IMAGE_SIZE, rgb)


# --- the whole site ------------------------------------------------------------------------------


def _file_for(path: str) -> str:
    """URL path -> file path relative to the site root (directories get index.html)."""
    return path.strip("/") + "/index.html" if path != "/" else "index.html"


def render_site(articles: Sequence[DemoArticle] | None = None) -> dict[str, bytes]:
    """Every file of the site, as ``{relative posix path: bytes}``. Pure and deterministic."""
    index = SiteIndex.of(DEFAULT_ARTICLES if articles is None else articles)
    pages: dict[str, str] = {"/": _home_page(index)}
    for article in index.articles:
        pages[article.path] = _article_page(index, article)
    for name, items in sorted(index.categories.items()):
        pages.update(
            _listing_pages(
                index,
                base=f"/category/{slugify(name)}/",
                heading=f"Category: <span>{_e(name)}</span>",
                intro=f"The latest {name} news and analysis from {SITE_NAME}.",
                title=f"{name} Archives",
                items=items,
                body_class=f"archive category category-{slugify(name)}",
            )
        )
    for name, items in sorted(index.tags.items()):
        pages.update(
            _listing_pages(
                index,
                base=f"/tag/{slugify(name)}/",
                heading=f"Tag: <span>{_e(name)}</span>",
                intro=f"Articles tagged {name}.",
                title=f"{name} Archives",
                items=items,
                body_class=f"archive tag tag-{slugify(name)}",
            )
        )
    for name, items in sorted(index.authors.items()):
        sections = sorted({a.section for a in items})
        pages.update(
            _listing_pages(
                index,
                base=f"/author/{slugify(name)}/",
                heading=f"Author: <span>{_e(name)}</span>",
                intro=f"{name} writes about {', '.join(sections)} for {SITE_NAME}.",
                title=name,
                items=items,
                body_class=f"archive author author-{slugify(name)}",
                page_type="ProfilePage",
            )
        )
    pages["/about/"] = _about_page(index)
    pages["/contact/"] = _contact_page(index)
    pages["/search/"] = _search_page(index)

    files: dict[str, bytes] = {_file_for(p): h.encode("utf-8") for p, h in pages.items()}
    files["404.html"] = _not_found_page(index).encode("utf-8")
    files["feed/index.xml"] = _feed(index).encode("utf-8")
    files["sitemap.xml"] = _sitemap_index(index).encode("utf-8")
    files["sitemap-posts.xml"] = _posts_sitemap(index).encode("utf-8")
    files["sitemap-news.xml"] = _news_sitemap(index).encode("utf-8")
    files["robots.txt"] = _robots().encode("utf-8")
    files["wp-content/themes/worldmag/style.css"] = _STYLE.encode("utf-8")
    for article in index.articles:
        if article.image_path:
            files[article.image_path.lstrip("/")] = _image_for(article)
    return dict(sorted(files.items()))


def build_site(dest: Path, *, articles: Sequence[DemoArticle] | None = None) -> list[Path]:
    """Write the site under ``dest`` and return every file's path (sorted).

    Files whose bytes are unchanged are not rewritten, so their modification times (the
    server's Last-Modified) survive a rebuild. Files not part of the site are left alone.
    """
    written: list[Path] = []
    for relative, data in render_site(articles).items():
        target = dest / relative
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        written.append(target)
    logger.debug("built %d files under %s", len(written), dest)
    return written


# --- expectations for extraction tests -----------------------------------------------------------


def _article_expectation(index: SiteIndex, article: DemoArticle) -> dict[str, Any]:
    chrome = index.chrome(article)
    ui = _UI[article.language]
    blocks = body_blocks(article)
    paragraphs = [plain_text(b.texts[0]) for b in blocks if b.kind == "p"]
    must_contain = [plain_text(b.texts[0]) for b in blocks if b.kind == "h2"][:1]
    must_contain.append(first_sentence(paragraphs[len(paragraphs) // 2]))
    extras = [b for b in blocks if b.kind in ("quote", "ul")]
    if extras:
        must_contain.append(plain_text(extras[0].texts[0]))
    own_text = f"{article.headline}\n{article.summary}\n{body_text(article)}"
    traps: list[str] = [TODAY_TEXT]
    traps += [a.headline for a in chrome.trending]
    traps.append(ui["related"])
    for other in chrome.related:
        traps += [other.headline, other.excerpt.removesuffix("…")]
    traps += [ui["newsletter_title"], ui["newsletter_text"], ui["reply"], ui["email_note"]]
    if chrome.worth_reading is not None:
        traps += [chrome.worth_reading.headline, ui["worth_reading"]]
    traps += [a.headline for a in chrome.ticker]
    must_not_contain = [t for t in dict.fromkeys(traps) if t not in own_text]
    return {
        "path": article.path,
        "kind": "article",
        "headline": article.headline,
        "published": article.published.isoformat() if article.published else None,
        "modified": article.modified.isoformat() if article.modified else None,
        "section": article.section,
        "tags": list(article.labels),
        "authors": list(article.authors),
        "language": article.language,
        "summary": article.summary or None,
        "body_first": first_sentence(paragraphs[0]),
        "body_last": last_sentence(paragraphs[-1]),
        "must_contain": list(dict.fromkeys(must_contain)),
        "must_not_contain": must_not_contain,
        "image": article.image_path,
        "jsonld": ("graph" if article.jsonld_graph else "object") if article.with_jsonld else None,
        "machine_dates": article.machine_dates and article.published is not None,
    }


def _page_kind(path: str) -> str:
    for prefix, kind in (
        ("/category/", "category"),
        ("/tag/", "tag"),
        ("/author/", "author"),
        ("/about/", "about"),
        ("/contact/", "contact"),
        ("/search/", "search"),
    ):
        if path.startswith(prefix):
            return kind
    return "home" if path == "/" else "other"


def page_expectations(articles: Sequence[DemoArticle] | None = None) -> dict[str, Any]:
    """What a crawler should find on every HTML page of the site (the demo_pages.json shape).

    ``pages`` lists each page reachable by URL (the 404 page excepted), sorted by path:
    articles with their exact field values and body snippets, other pages with their kind.
    Dates are ISO 8601 with the offset the page states; the German article's visible date has
    no offset and is expected as UTC.
    """
    index = SiteIndex.of(DEFAULT_ARTICLES if articles is None else articles)
    by_path = {a.path: a for a in index.articles}
    pages: list[dict[str, Any]] = []
    for relative in render_site(index.articles):
        if not relative.endswith("index.html"):
            continue
        path = "/" + relative.removesuffix("index.html")
        article = by_path.get(path)
        if article is not None:
            pages.append(_article_expectation(index, article))
        else:
            pages.append({"path": path, "kind": _page_kind(path)})
    return {
        "site": SITE_NAME,
        "base_url_token": BASE_URL_TOKEN,
        "header_date": TODAY_TEXT,
        "feed": "/feed/",
        "sitemap_index": "/sitemap.xml",
        "sitemaps": ["/sitemap-posts.xml", "/sitemap-news.xml"],
        "pages": sorted(pages, key=lambda p: p["path"]),
    }


def fixture_text(articles: Sequence[DemoArticle] | None = None) -> str:
    """``page_expectations`` as the JSON text committed in tests/fixtures/demo_pages.json."""
    return json.dumps(page_expectations(articles), ensure_ascii=False, indent=2) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m tools.demo_site.build [DEST] [--fixture PATH]``: regenerate the site."""
    parser = argparse.ArgumentParser(prog="python -m tools.demo_site.build", description=__doc__)
    parser.add_argument("dest", nargs="?", type=Path, default=SITE_DIR, help="site directory")
    parser.add_argument("--fixture", type=Path, help="also write the demo_pages.json expectations")
    args = parser.parse_args(None if argv is None else list(argv))
    files = build_site(args.dest)
    print(f"wrote {len(files)} files under {args.dest}")
    if args.fixture is not None:
        args.fixture.parent.mkdir(parents=True, exist_ok=True)
        args.fixture.write_text(fixture_text(), encoding="utf-8")
        print(f"wrote {args.fixture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
