"""Extraction: one parsed page → candidates for every field, each with its source.

Order (see README, "How extraction works"): structured data (JSON-LD, meta, microdata) →
visible article markup → htmldate and the URL for a page that marks up no date → boilerplate pruning and generic body extraction → per-site overrides.
Choosing among candidates and normalizing them is :mod:`newscrawl.normalization.article`'s job.
"""

from __future__ import annotations

from copy import deepcopy
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.extraction.body import (
    choose_body,
    generic_body,
    selector_body,
    unpruned_fallback,
    without_misleading_names,
)
from newscrawl.extraction.boilerplate import (
    ClassIndex,
    merge_split_bodies,
    prune,
    remove_never_article,
    story_container,
)
from newscrawl.extraction.dates import add_fallback_date_candidates
from newscrawl.extraction.overrides import apply_field_overrides, css_to_xpath, prune_xpaths
from newscrawl.extraction.page import Page, PageError, decode_html, parse_page
from newscrawl.extraction.signals import page_signals
from newscrawl.extraction.structured import (
    add_jsonld_candidates,
    add_meta_candidates,
    add_microdata_candidates,
)
from newscrawl.extraction.visible import (
    ArticleLayout,
    add_shown_title_part,
    add_story_headings,
    add_visible_candidates,
    find_layout,
    in_caption,
    lead_block,
    nearest_below_headline,
    showing_element,
    text_of,
)
from newscrawl.items import Candidate, ExtractedPage, FetchedPage
from newscrawl.normalization.text import comparison_key
from newscrawl.sites import SiteConfig

__all__ = ["PageError", "decode_html", "extract_page", "parse_page"]


def extract_page(fetched: FetchedPage, html: str, site: SiteConfig | None = None) -> ExtractedPage:
    """Extract every field candidate and the body from ``html``, the decoded body of ``fetched``;
    ``site`` gives language and date-order hints and per-site overrides.

    The page is parsed here, once; the tree never leaves this call.
    Raises :class:`PageError` when the HTML cannot be parsed at all.
    """
    overrides = site.extract if site is not None else None
    page = parse_page(html, fetched.url)
    out = ExtractedPage(
        url=fetched.url,
        site=fetched.site,
        fetched_at=fetched.fetched_at,
        hints=fetched.hints,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        language_hint=site.language if site is not None else None,
        date_order=site.date_order if site is not None else None,
        timezone=site.timezone if site is not None else None,
    )
    # JSON-LD is read; scripts and styles carry nothing else any later stage needs.
    etree.strip_elements(page.tree, "script", "style", "template", with_tail=False)
    article_ld = add_jsonld_candidates(page, out)
    add_meta_candidates(page, out)
    add_microdata_candidates(page, out)
    _add_document_candidates(page, out)
    _add_hint_candidates(out)

    index = ClassIndex.of(page.tree)
    layout = find_layout(page.tree, [c.value for c in out.candidates.get("headline", [])], index)
    add_visible_candidates(layout, out)
    add_story_headings(page.tree, out)
    add_shown_title_part(page.tree, out)  # after the layout: it must not pick the <h1>
    mark_hidden_summaries(page.tree, out, layout)
    out.signals = page_signals(page, layout, article_ld)
    if overrides is not None and not overrides.is_empty():
        apply_field_overrides(page.tree, overrides, out)
    add_fallback_date_candidates(page, html, out)

    keep = [layout.headline] if layout.headline is not None else []
    # The story's paragraphs survive pruning and extraction whatever their blocks are named.
    story = story_container(page.tree)
    without_misleading_names(layout.headline, story)
    removed = remove_never_article(
        page.tree, keep=keep, extra_xpaths=prune_xpaths(overrides), index=index
    )
    # Pruning can remove the article itself; the page before it is kept to fall back on.
    unpruned = deepcopy(page.tree)
    unpruned_headline = _same_element(layout.headline, page.tree, unpruned)
    prune(
        page.tree,
        keep=keep,
        story=story,
        index=index,
        lengths=None if removed.total() else layout.paragraph_lengths,
    )
    merge_split_bodies(page.tree, story)
    if overrides is not None and overrides.body:
        text = selector_body(page.tree, css_to_xpath(overrides.body))
        if text:
            out.body, out.body_source = text, "site"
            return out
    article_body = out.first("article_body")
    generic = unpruned_fallback(
        generic_body(page.tree, fetched.url), unpruned, fetched.url, unpruned_headline
    )
    body = choose_body(generic, article_body.value if article_body else None)
    out.body, out.body_source = body.text, body.source
    return out


def _same_element(
    el: HtmlElement | None, tree: HtmlElement, copy: HtmlElement
) -> HtmlElement | None:
    """The element of ``copy`` (a deep copy of ``tree``) at ``el``'s place in ``tree``."""
    if el is None:
        return None
    steps: list[int] = []
    node = el
    while node is not tree:
        parent = node.getparent()
        if parent is None:
            return None  # not inside ``tree``
        steps.append(parent.index(node))
        node = parent
    found = copy
    for step in reversed(steps):
        found = found[step]
    return found


_SUMMARY_PROBE_CHARS = 50


def mark_hidden_summaries(tree: HtmlElement, out: ExtractedPage, layout: ArticleLayout) -> None:
    """Tag description candidates that a reader never sees (only in ``<head>``/JSON-LD) with a
    ``:hidden`` source suffix, and those the page shows as a picture's caption with ``:caption``:
    neither is the article's lead. When a description is shown on the page and no lead was found
    by markup, the block that shows one closest below the headline becomes the ``lead``
    candidate (it may add a dateline such as "Berlin.")."""
    body = tree.find("body")
    visible = comparison_key(body.text_content()) if body is not None else ""
    marked = []
    shown: list[HtmlElement] = []
    placements: dict[str, tuple[str, HtmlElement | None]] = {}  # meta, og: and twitter: agree
    for c in out.candidates.get("summary", []):
        if c.source != "lead":
            if c.value not in placements:
                placements[c.value] = _place_description(c.value, body, visible)
            suffix, block = placements[c.value]
            if suffix:
                c = Candidate(c.value, f"{c.source}{suffix}")
            if block is not None and block not in shown:
                shown.append(block)
        marked.append(c)
    if shown and not any(c.source == "lead" for c in marked):
        nearest = nearest_below_headline(layout, shown)
        marked.insert(0, Candidate(text_of(nearest), "lead"))
    if marked:
        out.candidates["summary"] = marked


def _place_description(
    description: str, body: HtmlElement | None, visible: str
) -> tuple[str, HtmlElement | None]:
    """The source suffix for ``description`` (``:hidden`` or ``:caption`` when it is no lead,
    else "") and the lead-sized block that shows it on the page (if any)."""
    if comparison_key(description)[:_SUMMARY_PROBE_CHARS] not in visible:
        return ":hidden", None
    element = showing_element(body, description) if body is not None else None
    if element is None:
        return "", None
    if in_caption(element):
        return ":caption", None
    block = lead_block(element, description)
    if block is not None and _runs_into_story(description, block, visible):
        return "", None
    return "", block


_EXCERPT_RUN_ON_CHARS = 20


def _runs_into_story(description: str, block: HtmlElement, visible: str) -> bool:
    """Whether ``description`` is the text of ``block`` and goes on with the text the page
    shows after it (``visible``, compared loosely): an excerpt the CMS cut from the story,
    whose opening paragraph ``block`` is, not a lead of its own."""
    key, shown = comparison_key(description), comparison_key(text_of(block))
    if not shown or not key.startswith(shown):
        return False
    rest = key[len(shown) :].strip()
    return (
        len(rest) >= _EXCERPT_RUN_ON_CHARS and f"{shown} {rest[:_EXCERPT_RUN_ON_CHARS]}" in visible
    )


def _add_document_candidates(page: Page, out: ExtractedPage) -> None:
    """``<title>``, ``rel=canonical`` and ``<html lang>``."""
    tree = page.tree
    title = tree.find(".//title")
    if title is not None:
        out.add("headline", text_of(title), "title")
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            try:
                out.add("canonical_url", urljoin(page.url, href), "link")
            except ValueError:  # not a URL (e.g. a malformed IPv6 host): no candidate
                continue
            break
    out.add("language", tree.get("lang") or tree.get("xml:lang"), "html")


def _add_hint_candidates(out: ExtractedPage) -> None:
    """What a feed or news sitemap said about the page: last-resort candidates."""
    hints = out.hints
    if hints is None:
        return
    out.add("headline", hints.title, hints.source)
    out.add("published", hints.published, hints.source)
    for keyword in hints.keywords:
        out.add("tags", keyword, hints.source)
