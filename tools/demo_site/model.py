"""The article model of the demo site: ``DemoArticle`` and its body markup.

Body markup convention (``DemoArticle.paragraphs``): a string starting with ``"## "`` is a
sub-headline, ``"> "`` a blockquote, ``"- "`` a list item (consecutive items form one list);
anything else is a paragraph. Inside paragraphs, ``[text](/path/)`` is a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LANGUAGES: tuple[str, ...] = ("en", "de")  # the languages the page chrome is written in
EXCERPT_MAX_CHARS = 97

SUBHEADLINE_MARK = "## "
QUOTE_MARK = "> "
LIST_ITEM_MARK = "- "
LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9ÄÖÜ])")


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article of the demo site.

    ``categories`` are the category links above the headline (the first is the section);
    ``paragraphs`` follow the body markup convention in this module's docstring. ``published`` and
    ``modified`` must be timezone-aware (or None). With ``machine_dates=False`` the dates appear
    only as visible text (no ``datetime`` attribute, no meta, no JSON-LD date); an article with
    no ``published`` has no date anywhere and lives under ``/features/<slug>/``.
    ``jsonld_graph`` picks a Yoast-style ``@graph`` over a plain NewsArticle object.
    ``related`` and ``worth_reading`` name slugs to show in those blocks; unknown or missing
    slugs are filled automatically. ``trending`` puts the article in the header strip.
    """

    slug: str
    headline: str
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    key_points: tuple[str, ...]
    paragraphs: tuple[str, ...]
    published: datetime | None
    modified: datetime | None = None
    tags: tuple[str, ...] = ()
    language: str = "en"
    with_jsonld: bool = True
    jsonld_graph: bool = False
    machine_dates: bool = True
    image: bool = True
    trending: bool = False
    related: tuple[str, ...] = ()
    worth_reading: str | None = None

    def __post_init__(self) -> None:
        for name in ("published", "modified"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"article {self.slug!r}: {name} must be timezone-aware")
        if self.language not in LANGUAGES:
            raise ValueError(f"article {self.slug!r}: unsupported language {self.language!r}")
        if not self.categories:
            raise ValueError(f"article {self.slug!r}: needs at least one category")
        blocks = body_blocks(self)
        if not blocks or blocks[0].kind != "p" or blocks[-1].kind != "p":
            raise ValueError(f"article {self.slug!r}: body must start and end with a paragraph")

    @property
    def section(self) -> str:
        """The first category."""
        return self.categories[0]

    @property
    def path(self) -> str:
        """Root-relative permalink: ``/YYYY/MM/DD/slug/`` (local date) or ``/features/slug/``."""
        if self.published is None:
            return f"/features/{self.slug}/"
        p = self.published
        return f"/{p.year:04d}/{p.month:02d}/{p.day:02d}/{self.slug}/"

    @property
    def image_path(self) -> str | None:
        """Root-relative path of the featured image, or None."""
        if not self.image:
            return None
        if self.published is None:
            return f"/wp-content/uploads/{self.slug}.png"
        p = self.published
        return f"/wp-content/uploads/{p.year:04d}/{p.month:02d}/{self.slug}.png"

    @property
    def labels(self) -> tuple[str, ...]:
        """Category links then tag links, de-duplicated: the tags a crawler should store."""
        return tuple(dict.fromkeys(self.categories + self.tags))

    @property
    def summary(self) -> str:
        """The key points joined by newlines."""
        return "\n".join(self.key_points)

    @property
    def description(self) -> str:
        """Meta/OpenGraph description: the key points as one line (or the first paragraph)."""
        if self.key_points:
            return " ".join(self.key_points)
        return body_blocks(self)[0].texts[0]

    @property
    def excerpt(self) -> str:
        """Teaser text: the description cut at a word boundary, ending in "…"."""
        return truncate_words(self.description, EXCERPT_MAX_CHARS)


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """One body element: ``kind`` is "p", "h2", "quote" or "ul"; ``texts`` keep link markup."""

    kind: str
    texts: tuple[str, ...]


def body_blocks(article: DemoArticle) -> list[BodyBlock]:
    """Parse ``article.paragraphs`` into blocks (consecutive list items become one list)."""
    blocks: list[BodyBlock] = []
    for raw in article.paragraphs:
        if raw.startswith(SUBHEADLINE_MARK):
            blocks.append(BodyBlock("h2", (raw.removeprefix(SUBHEADLINE_MARK),)))
        elif raw.startswith(QUOTE_MARK):
            blocks.append(BodyBlock("quote", (raw.removeprefix(QUOTE_MARK),)))
        elif raw.startswith(LIST_ITEM_MARK):
            item = raw.removeprefix(LIST_ITEM_MARK)
            if blocks and blocks[-1].kind == "ul":
                blocks[-1] = BodyBlock("ul", (*blocks[-1].texts, item))
            else:
                blocks.append(BodyBlock("ul", (item,)))
        else:
            blocks.append(BodyBlock("p", (raw,)))
    return blocks


def plain_text(marked: str) -> str:
    """Body text as a reader sees it: ``[text](href)`` becomes ``text``."""
    return LINK_RE.sub(r"\1", marked)


def body_text(article: DemoArticle) -> str:
    """The whole visible body, one block (or list item) per line, sub-headlines included."""
    return "\n".join(plain_text(t) for block in body_blocks(article) for t in block.texts)


def truncate_words(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its longest word prefix that does + "…"."""
    if len(text) <= limit:
        return text
    kept = ""
    for word in text.split(" "):
        candidate = f"{kept} {word}" if kept else word
        if len(candidate) > limit:
            break
        kept = candidate
    return kept + "…"


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (sentence ends: . ! ? … before a capital)."""
    match = _SENTENCE_END_RE.search(text)
    return text[: match.end()] if match else text


def last_sentence(text: str) -> str:
    """The last sentence of a paragraph."""
    ends = list(_SENTENCE_END_RE.finditer(text))
    return text[ends[-1].end() :].strip() if ends else text
