"""Facts about a page that tell an article from a home, section, tag or service page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from newscrawl.extraction.page import Page
from newscrawl.extraction.structured import jsonld_types
from newscrawl.extraction.visible import ArticleLayout
from newscrawl.items import PageSignals

_TEASER_HEADINGS = ("h2", "h3", "h4")


def page_signals(
    page: Page, layout: ArticleLayout, article_ld: dict[str, Any] | None
) -> PageSignals:
    """Collect the article/listing signals of ``page``."""
    tree = page.tree
    teasers = 0
    for heading in tree.iter(*_TEASER_HEADINGS):
        links = heading.findall(".//a")
        if links and len(" ".join(heading.text_content().split())) >= 20:
            teasers += 1
    paragraphs = sum(1 for p in tree.iter("p") if len(p.text_content().strip()) >= 80)
    return PageSignals(
        og_type=(page.meta_first("og:type") or "").lower() or None,
        jsonld_types=jsonld_types(page),
        has_article_jsonld=article_ld is not None,
        has_article_element=layout.headline is not None
        and any(a.tag == "article" for a in layout.headline.iterancestors()),
        teaser_count=teasers,
        paragraph_count=paragraphs,
        url_path=urlsplit(page.url).path or "/",
    )
