"""Stage 1: structured data. Candidates from JSON-LD, OpenGraph / ``article:*`` / standard meta
tags and microdata, each tagged with its source."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from newscrawl.extraction.page import JsonObject, Page, markup_text, without_markdown
from newscrawl.items import ExtractedPage
from newscrawl.normalization.text import comparison_key
from newscrawl.normalization.urls import points_home

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle",
        "satiricalarticle", "blogposting", "liveblogposting", "socialmediaposting", "report",
        "techarticle", "scholarlyarticle", "medicalscholarlyarticle", "videoobject-article",
    }
)  # fmt: skip
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "contactpage"})
_WS_RE = re.compile(r"\s+")


def _types(obj: JsonObject) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def jsonld_types(page: Page) -> tuple[str, ...]:
    """Every ``@type`` found in the page's JSON-LD, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for obj in page.jsonld:
        for t in sorted(_types(obj)):
            seen.setdefault(t, None)
    return tuple(seen)


def find_article_object(page: Page) -> JsonObject | None:
    """The JSON-LD object describing this page's article.

    Preference: an article type whose ``url``/``mainEntityOfPage`` names this page, then one
    whose headline the page's ``og:title``, ``twitter:title`` or ``<title>`` confirms, then the
    article with the most text fields, then a ``WebPage`` carrying a headline and a date.
    """
    articles = [o for o in page.jsonld if _types(o) & ARTICLE_TYPES]
    if not articles:
        articles = [
            o
            for o in page.jsonld
            if _types(o) & PAGE_TYPES and o.get("headline") and o.get("datePublished")
        ]
    if not articles:
        return None

    titles = [comparison_key(t) for t in page.meta_all("og:title", "twitter:title")]
    title = page.tree.find(".//title")
    if title is not None:
        titles.append(comparison_key(title.text_content()))

    def rank(obj: JsonObject) -> tuple[int, int, int]:
        names_page = int(
            _same_page(obj.get("url"), page.url)
            or _same_page(obj.get("mainEntityOfPage"), page.url)
        )
        headline = comparison_key(ld_text(obj.get("headline")) or "")
        confirmed = int(bool(headline) and any(headline in t for t in titles))
        richness = sum(
            1 for key in ("headline", "datePublished", "author", "articleBody") if obj.get(key)
        )
        return names_page, confirmed, richness

    return max(articles, key=rank)  # max keeps the first of equals: document order wins ties


def _same_page(value: Any, url: str) -> bool:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if not isinstance(value, str) or not value:
        return False
    a = value.split("#")[0].split("?")[0].rstrip("/")
    b = url.split("#")[0].split("?")[0].rstrip("/")
    return a == b


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as clean text: strings unescaped, ``{"@value"}``/``{"name"}`` unwrapped,
    the first usable element of a list; numbers and nested junk give None."""
    if isinstance(value, list):
        for item in value:
            text = ld_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return ld_text(value.get("@value") or value.get("name"))
    if isinstance(value, str):
        text = _WS_RE.sub(" ", html_lib.unescape(value)).strip()
        return text or None
    return None


def ld_texts(value: Any) -> list[str]:
    """Every text in a JSON-LD value that may be a list (keywords, sections)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = ld_text(item)
        if text:
            out.append(text)
    return out


def _graph_index(page: Page) -> dict[str, JsonObject]:
    return {o["@id"]: o for o in page.jsonld if isinstance(o.get("@id"), str)}


def ld_people(value: Any, index: dict[str, JsonObject]) -> Iterator[tuple[str, str]]:
    """(name, kind) for each author entry; ``@id`` references resolved through the graph, and
    an entry given as a JSON string (a CMS that encoded it twice) read as the object it spells.
    ``kind`` is ``person``, ``organization`` or ``unknown`` (a bare string)."""
    items = value if isinstance(value, list) else [value]
    for item in items[:30]:
        if isinstance(item, str):
            item = _json_spelled(item)
        if isinstance(item, str):
            name = ld_text(item)
            if name and not name.startswith(("http://", "https://")):
                yield name, "unknown"
            continue
        if not isinstance(item, dict):
            continue
        if "@id" in item and len(item) <= 2 and item["@id"] in index:
            item = index[item["@id"]]
        name = ld_text(item.get("name"))
        if not name:
            given, family = ld_text(item.get("givenName")), ld_text(item.get("familyName"))
            name = " ".join(p for p in (given, family) if p) or None
        if not name:
            continue
        types = _types(item)
        kind = (
            "person"
            if "person" in types
            else "organization"
            if types & {"organization", "newsmediaorganization", "corporation"}
            else "unknown"
        )
        yield name, kind


def _json_spelled(text: str) -> Any:
    """The JSON object ``text`` spells when it is one (a CMS that encoded a value twice), else
    ``text`` unchanged."""
    if not text.lstrip().startswith("{"):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, dict) else text


def ld_image(value: Any) -> str | None:
    """The URL of a JSON-LD image value (string, ImageObject or list of either)."""
    if isinstance(value, list):
        for item in value:
            url = ld_image(item)
            if url:
                return url
        return None
    if isinstance(value, dict):
        return ld_image(value.get("url") or value.get("contentUrl"))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def add_jsonld_candidates(page: Page, out: ExtractedPage) -> JsonObject | None:
    """Add every candidate the page's JSON-LD article object offers; return that object."""
    article = find_article_object(page)
    if article is None:
        _add_instructions(page, out)
        _add_breadcrumbs(page, out)
        return None
    out.add("headline", _plain(ld_text(article.get("headline"))), "jsonld")
    out.add("headline", _plain(ld_text(article.get("name"))), "jsonld:name")
    out.add("summary", _plain(ld_text(article.get("description"))), "jsonld")
    out.add("published", ld_text(article.get("datePublished")), "jsonld")
    out.add("published", ld_text(article.get("dateCreated")), "jsonld:dateCreated")
    out.add("modified", ld_text(article.get("dateModified")), "jsonld")
    index = _graph_index(page)
    for name, kind in ld_people(article.get("author"), index):
        out.add("authors", name, f"jsonld:{kind}")
    for value in ld_texts(article.get("articleSection")):
        out.add("section", value, "jsonld")
    for value in ld_texts(article.get("keywords")):
        out.add("tags", value, "jsonld:keywords")
    out.add(
        "image", ld_image(article.get("image")) or ld_image(article.get("thumbnailUrl")), "jsonld"
    )
    out.add("language", ld_text(article.get("inLanguage")), "jsonld")
    body = article.get("articleBody")
    if isinstance(body, str):
        out.add("article_body", without_markdown(markup_text(html_lib.unescape(body))), "jsonld")
    publisher = article.get("publisher")
    if isinstance(publisher, dict):
        if "@id" in publisher and publisher["@id"] in index and "name" not in publisher:
            publisher = index[publisher["@id"]]
        out.add("site_name", ld_text(publisher.get("name")), "jsonld:publisher")
    _add_breadcrumbs(page, out)
    return article


_INSTRUCTION_TYPES = frozenset({"howto", "recipe"})
_MAX_STEP_DEPTH = 4  # sections of sections of steps: deeper nesting is not read


def _add_instructions(page: Page, out: ExtractedPage) -> None:
    """The text of a page that is a how-to or a recipe rather than an article: the object's
    description and its steps, one paragraph each, as the ``article_body`` candidate (a page
    that builds its text by script carries it only there)."""
    for obj in page.jsonld:
        if not _types(obj) & _INSTRUCTION_TYPES:
            continue
        steps = list(_step_texts(obj.get("step") or obj.get("recipeInstructions")))
        if steps:
            description = ld_text(obj.get("description"))
            text = "\n\n".join([description, *steps] if description else steps)
            out.add("article_body", markup_text(html_lib.unescape(text)), "jsonld:steps")
            return


def _step_texts(value: Any, depth: int = 0) -> Iterator[str]:
    """The texts of a ``step`` or ``recipeInstructions`` value: strings, ``HowToStep`` and
    ``HowToDirection`` texts, and the steps a ``HowToSection`` lists, in order."""
    if depth > _MAX_STEP_DEPTH:
        return
    if isinstance(value, str):
        if value.strip():
            yield value.strip()
    elif isinstance(value, list):
        for item in value:
            yield from _step_texts(item, depth + 1)
    elif isinstance(value, dict):
        text = value.get("text")
        if isinstance(text, str) and text.strip():
            yield text.strip()
        else:
            yield from _step_texts(value.get("itemListElement"), depth + 1)


def _add_breadcrumbs(page: Page, out: ExtractedPage) -> None:
    for obj in page.jsonld:
        if "breadcrumblist" not in _types(obj):
            continue
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        names = []
        for entry in sorted((i for i in items if isinstance(i, dict)), key=_position):
            name = ld_text(entry.get("name")) or ld_text(entry.get("item"))
            if name and not name.startswith(("http://", "https://")):
                names.append(name)
        if names:
            out.add("breadcrumbs", " › ".join(names), "jsonld")
        return


def _position(entry: JsonObject) -> int:
    pos = entry.get("position")
    if isinstance(pos, int | float | str):
        try:
            return int(pos)
        except ValueError:
            return 0
    return 0


def _plain(value: str | None) -> str | None:
    """A description's or headline's text without the HTML tags some publishers leave in it
    ("Storm <b>floods</b> the harbour")."""
    return markup_text(value) if value else value


def add_meta_candidates(page: Page, out: ExtractedPage) -> None:
    """OpenGraph, ``article:*``, Dublin Core, Parse.ly, Twitter and standard meta tags.

    OpenGraph's title, description, image and URL are skipped when ``og:url`` points to the
    site's home page from an article: a template's site-wide card, not the article's."""
    m = page.meta_first
    og_url = m("og:url")
    site_card = og_url is not None and points_home(og_url, page.url)
    if not site_card:
        out.add("headline", _plain(m("og:title")), "opengraph")
    out.add("headline", _plain(m("twitter:title")), "twitter")
    out.add("headline", _plain(m("parsely-title", "dc.title", "title", "headline")), "meta")
    if not site_card:
        out.add("summary", _plain(m("og:description")), "opengraph")
    out.add("summary", _plain(m("description")), "meta")
    out.add("summary", _plain(m("twitter:description")), "twitter")
    for key, source in (
        ("article:published_time", "opengraph"),
        ("og:article:published_time", "opengraph"),
        ("datepublished", "meta:itemprop"),
        ("parsely-pub-date", "meta:parsely"),
        ("sailthru.date", "meta:sailthru"),
        ("pubdate", "meta"),
        ("publishdate", "meta"),
        ("publish-date", "meta"),
        ("date", "meta:date"),  # generic: often the page's last change, not its publication
        ("dc.date.issued", "meta:dc"),
        ("dc.date", "meta:dc"),
        ("dcterms.created", "meta:dc"),
        ("article.published", "meta"),
        ("cxenseparse:recs:publishtime", "meta"),
    ):
        out.add("published", m(key), source)
    for key, source in (
        ("article:modified_time", "opengraph"),
        ("og:updated_time", "opengraph"),
        ("datemodified", "meta:itemprop"),
        ("last-modified", "meta"),
        ("dcterms.modified", "meta:dc"),
    ):
        out.add("modified", m(key), source)
    for value in page.meta_all(
        "article:author", "author", "parsely-author", "sailthru.author", "dc.creator", "byl"
    ):
        if not value.startswith(("http://", "https://")):
            out.add("authors", value, "meta")
    out.add("section", m("article:section"), "opengraph")
    out.add("section", m("parsely-section", "section", "cxenseparse:pageclass"), "meta")
    for value in page.meta_all("article:tag"):
        out.add("tags", value, "opengraph")
    for value in page.meta_all("news_keywords"):
        out.add("tags", value, "meta:news_keywords")
    for value in page.meta_all("parsely-tags", "sailthru.tags"):
        out.add("tags", value, "meta:parsely")
    for value in page.meta_all("keywords"):
        out.add("tags", value, "meta:keywords")
    og_image = () if site_card else ("og:image", "og:image:url", "og:image:secure_url")
    out.add("image", m(*og_image, "twitter:image", "twitter:image:src"), "opengraph")
    out.add("site_name", m("og:site_name", "application-name", "twitter:site"), "opengraph")
    out.add("language", m("og:locale", "content-language", "language", "dc.language"), "meta")
    if not site_card:
        out.add("canonical_url", og_url, "opengraph")


def add_microdata_candidates(page: Page, out: ExtractedPage) -> None:
    """Microdata ``itemprop`` values inside an Article-typed ``itemscope``."""
    scopes = [
        el
        for el in page.tree.xpath("//*[@itemscope and @itemtype]")
        if el.get("itemtype", "").rstrip("/").rsplit("/", 1)[-1].lower() in ARTICLE_TYPES
    ]
    if not scopes:
        return
    scope = scopes[0]
    for el in _itemprops(scope, ("headline",)):
        out.add("headline", el.text_content(), "microdata")
    for el in _itemprops(scope, ("datePublished",)):
        out.add(
            "published", el.get("content") or el.get("datetime") or el.text_content(), "microdata"
        )
    for el in _itemprops(scope, ("dateModified",)):
        out.add(
            "modified", el.get("content") or el.get("datetime") or el.text_content(), "microdata"
        )
    for el in _itemprops(scope, ("author", "creator")):
        names = [n.get("content") or n.text_content() for n in _itemprops(el, ("name",))]
        for name in names or [el.get("content") or el.text_content()]:
            out.add("authors", name, "microdata")
    for el in _itemprops(scope, ("articleSection",)):
        out.add("section", el.get("content") or el.text_content(), "microdata")
    for el in _itemprops(scope, ("keywords",)):
        out.add("tags", el.get("content") or el.text_content(), "microdata")


def _itemprops(scope: Any, names: Iterable[str]) -> list[Any]:
    """Descendants of ``scope`` whose ``itemprop`` names one of ``names`` (at most 20)."""
    wanted = set(names)
    found = []
    for el in scope.iter():
        if el is scope or not isinstance(el.tag, str):
            continue
        if set((el.get("itemprop") or "").split()) & wanted:
            found.append(el)
            if len(found) >= 20:
                break
    return found
