"""Stage 3: per-site overrides from the sites file. CSS selectors replace single fields of the
generic result; ``prune`` selectors remove extra blocks before body extraction."""

from __future__ import annotations

from functools import lru_cache

from cssselect import GenericTranslator
from lxml.html import HtmlElement

from newscrawl.extraction.visible import block_text, text_of
from newscrawl.items import Candidate, ExtractedPage
from newscrawl.sites import ExtractOverrides

SITE_SOURCE = "site"
_LIST_FIELDS = frozenset({"authors", "tags"})
_DATE_FIELDS = frozenset({"published", "modified"})


@lru_cache(maxsize=512)
def css_to_xpath(selector: str) -> str:
    """Compile a CSS selector to XPath once (selectors were validated when the sites file loaded)."""
    return GenericTranslator().css_to_xpath(selector)


def prune_xpaths(overrides: ExtractOverrides | None) -> tuple[str, ...]:
    """XPath forms of the site's extra prune selectors."""
    if overrides is None:
        return ()
    return tuple(css_to_xpath(s) for s in overrides.prune)


def apply_field_overrides(
    root: HtmlElement, overrides: ExtractOverrides, out: ExtractedPage
) -> None:
    """Put each overridden field's value first among its candidates, with source ``site``.

    Date selectors read ``datetime``/``content`` attributes before text; list fields take every
    match; a selector that matches nothing leaves the generic candidates in charge.
    """
    for name in ("headline", "summary", "published", "modified", "authors", "tags", "section"):
        selector = getattr(overrides, name)
        if not selector:
            continue
        values: list[str] = []
        for el in root.xpath(css_to_xpath(selector)):
            if not isinstance(el, HtmlElement):
                continue
            value = (el.get("datetime") or el.get("content") or "") if name in _DATE_FIELDS else ""
            value = value.strip() or (block_text(el) if name == "summary" else text_of(el))
            if value:
                values.append(value)
            if name not in _LIST_FIELDS:
                break
        if values:
            found = [Candidate(v, SITE_SOURCE) for v in values]
            out.candidates[name] = found + out.candidates.get(name, [])
