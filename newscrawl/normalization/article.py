"""The normalize stage: choose one value per field among the extracted candidates, normalize it,
and record where it came from.

Precedence per field (first usable candidate wins; ``site`` overrides always come first; the
orders are in :mod:`~newscrawl.normalization.precedence`, headline and date choice in
:mod:`~newscrawl.normalization.headline_choice` and :mod:`~newscrawl.normalization.date_choice`):

- headline: JSON-LD ``headline``, OpenGraph title, the article's ``<h1>``, Twitter, microdata,
  meta, ``<title>``, feed/sitemap title; site names are stripped from every candidate; among
  candidates with the same words, the spelling most sources share. When the winner is the
  ``<title>`` or an ``<h1>`` that names a section, blog or the site, the title part the page
  shows as an element's whole text wins instead ("Storm hits coast - News - Daily Paper" ->
  "Storm hits coast"). An undeclared winner (``<h1>``, ``<title>``, meta) that shares no word
  with the story's opening loses to the heading right above the story when that heading does,
  unless the URL's path spells it.
  (On the dev corpus JSON-LD first matches the hand-checked headline on 88% of pages, og:title
  first on 80%, ``<h1>`` first on 76%; where they disagree, publishers differ on which is "the"
  headline.)
- published: JSON-LD ``datePublished``, ``article:published_time``, other meta, microdata,
  ``<time>`` in the article header; for a page that marks up none, htmldate's search of the
  page; then the news-sitemap or feed date; then the URL's date. A candidate whose day
  disagrees with a date in the URL loses to one that agrees; one that two other source
  families contradict by two days or more loses to them; a generic ``<meta name="date">``
  loses to an earlier visible date; a numeric date that reads both ways takes the reading
  another candidate confirms. Never the crawl time.
- modified: the same sources for ``dateModified``; dropped when earlier than ``published``.
- authors: people before organisations: site, JSON-LD persons, visible byline, microdata, meta,
  then organisations only when no person was found (a JSON-LD ``Organization`` first).
- tags: the article's own keywords, merged in this order: visible category and tag links (or
  the article's list of topic-page links), JSON-LD ``keywords``, ``article:tag``,
  ``news_keywords``, Parse.ly tags, microdata, news-sitemap keywords; plain meta ``keywords``
  only when none of these has any; site names, slugs of listed tags and junk removed.
- section: site, JSON-LD ``articleSection``, ``article:section``, meta, the first category link,
  breadcrumbs.
- summary: the visible lead, else the description when it is not just the body's opening.
- body: the extracted text, trimmed by :func:`newscrawl.normalization.body.trim_body`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from newscrawl.items import Article, Candidate, ExtractedPage
from newscrawl.normalization.authors import is_probably_person, names_a_role, normalize_authors
from newscrawl.normalization.body import is_media_caption, trim_body, without_headline_prefix
from newscrawl.normalization.date_choice import choose_date
from newscrawl.normalization.dates import locale_date_order
from newscrawl.normalization.headline_choice import choose_headline
from newscrawl.normalization.language import detect_language, normalize_language
from newscrawl.normalization.precedence import (
    AUTHOR_ORDER,
    SECTION_ORDER,
    SUMMARY_ORDER,
    TAG_SOURCES,
    by_source,
)
from newscrawl.normalization.tags import normalize_tags
from newscrawl.normalization.text import (
    CJK_RE,
    clean_multiline,
    clean_text,
    comparison_key,
    site_name_variants,
    word_count,
)
from newscrawl.normalization.urls import canonicalize_url, points_home, same_site

_key = comparison_key


def choose_authors(
    candidates: list[Candidate], site_names: Sequence[str]
) -> tuple[tuple[str, ...], str | None]:
    """People named as authors, from the first source that names any; organisations only
    when no source names a person."""
    groups: dict[str, list[str]] = {}
    for c in by_source(candidates, AUTHOR_ORDER):
        groups.setdefault(c.source, []).append(c.value)
    fallbacks: list[tuple[tuple[str, ...], str]] = []
    for source, values in groups.items():
        names = normalize_authors(values, site_names=site_names)
        if not names:
            continue
        people = tuple(n for n in names if is_probably_person(n))
        if people:
            if source == "jsonld:person":
                # An agency or desk the publisher typed as a Person beside a person ("Adam
                # Vidler", "AP") is credited with the story, a job title is not; elsewhere a
                # name that is no person is a label.
                people = tuple(n for n in names if n in people or not names_a_role(n))
            return people, source
        fallbacks.append((names, source))
    if not fallbacks:
        return (), None
    # An author the publisher typed as an Organization is explicit; untyped strings without a
    # person in them are often places or labels ("hessenschau.de, Frankfurt, Germany").
    typed = [f for f in fallbacks if f[1] in ("site", "jsonld:organization")]
    return (typed or fallbacks)[0]


_SEO_KEYWORD_LIST = 15
_WORD_LIST_SHARE = 0.8


def _is_word_list(tags: Sequence[str], mentioned: Sequence[str]) -> bool:
    """Whether a long keyword list is words a script pulled from the article ("our",
    "missile", "bayern", "two free"): every value in lower case (so written in a script with
    capitals: a Japanese list never is), most of them single words, and most of them
    ``mentioned`` in the text (a site's SEO list mostly is not)."""
    single = sum(1 for tag in tags if " " not in tag)
    return (
        all(tag == tag.lower() != tag.upper() for tag in tags)
        and single >= _WORD_LIST_SHARE * len(tags)
        and len(mentioned) >= _WORD_LIST_SHARE * len(tags)
    )


def _mentions(text_key: str, keyword_key: str) -> bool:
    """Whether a text mentions a keyword (both :func:`_key`-normalized): as whole words, or
    anywhere for a keyword in Chinese, Japanese or Korean characters, where a word runs on into
    the next (or, in Korean, into its particle)."""
    if CJK_RE.search(keyword_key):
        return keyword_key in text_key
    return f" {keyword_key} " in f" {text_key} "


_TITLE_TAG_WORDS = 4  # a headline this long is a title, not also a topic


def _without_key(tags: tuple[str, ...], key: str) -> tuple[str, ...]:
    """``tags`` without those whose comparison key is ``key`` (none removed for "")."""
    return tuple(t for t in tags if _key(t) != key) if key else tags


def choose_tags(
    candidates: list[Candidate],
    site_names: Sequence[str],
    text: str = "",
    headline: str = "",
    url: str = "",
) -> tuple[tuple[str, ...], str | None]:
    """The article's keywords from every tag source, merged in source order, never the
    ``headline`` itself when it has four words or more (a CMS that fills the keywords with the
    title; a headline that is a name, "Will Smith", is also a topic), nor the words of the
    headline or the ``url``'s slug that a CMS appends (:func:`_without_title_words`). Plain
    meta keywords serve only when no other source gives any; a list of more than 15 is the
    site's SEO list, of which only the keywords the article's ``text`` (headline, lead and body)
    mentions are kept, or words pulled from the text (:func:`_is_word_list`), of which none
    are."""
    site = [c.value for c in candidates if c.source == "site"]
    if site:
        return normalize_tags(site, site_names=site_names), "site"
    headline_key = _key(headline) if len(headline.split()) >= _TITLE_TAG_WORDS else ""
    chosen = [c for c in by_source(candidates, TAG_SOURCES) if c.source in TAG_SOURCES]
    tags = _without_key(
        normalize_tags([c.value for c in chosen], site_names=site_names), headline_key
    )
    tags = _without_title_words(tags, headline, unquote(urlsplit(url).path))
    if tags:
        sources = sorted({c.source for c in chosen}, key=TAG_SOURCES.index)
        return tags, "+".join(sources)
    # Plain meta keywords are often the site's SEO list; they serve only when nothing else does.
    fallback = [c.value for c in candidates if c.source == "meta:keywords"]
    tags = _without_key(normalize_tags(fallback, site_names=site_names), headline_key)
    if len(tags) > _SEO_KEYWORD_LIST:
        text_key = _key(text)
        mentioned = tuple(t for t in tags if _mentions(text_key, _key(t)))
        tags = () if _is_word_list(tags, mentioned) else mentioned
    return tags, "meta:keywords" if tags else None


_TITLE_WORD_RUN = 4  # this many title words in a row among the keywords are a CMS's


def _without_title_words(tags: tuple[str, ...], *titles: str) -> tuple[str, ...]:
    """``tags`` without a run of four or more single lower-case words that one of ``titles``
    (the headline, the URL's path) spells in the same order, accents aside, when other tags
    remain: a CMS that appends the headline's or the slug's words to the editors' keywords
    ("Córdoba", "cordoba", "patrimonio", "logra", "punto", "vital"). Editors' own tags of title
    words ("bluetooth", "braven", "review", "speaker") come sorted, not in the title's order."""
    title_words = {tag for title in titles for tag in _title_word_run(tags, title)}
    if not title_words or len(title_words) == len(tags):
        return tags
    return tuple(t for t in tags if t not in title_words)


def _title_word_run(tags: tuple[str, ...], title: str) -> list[str]:
    """The tags of every run of four or more consecutive single lower-case tags (in a script
    with capitals: an Arabic keyword is never "lower-case") that ``title`` spells in the same
    order, unless the run is sorted alphabetically."""
    place: dict[str, int] = {}
    for i, word in enumerate(_folded(title).split()):
        place.setdefault(word, i)
    found: list[str] = []
    run: list[str] = []
    for tag in [*tags, ""]:  # "" ends the last run
        key = _folded(tag)
        at = place.get(key, -1) if " " not in tag and tag == tag.lower() != tag.upper() else -1
        if at >= 0 and run and at > place[_folded(run[-1])]:
            run.append(tag)
            continue
        keys = [_folded(t) for t in run]
        if len(run) >= _TITLE_WORD_RUN and keys != sorted(keys):
            found.extend(run)
        run = [tag] if at >= 0 else []
    return found


def _folded(text: str) -> str:
    """``text``'s comparison key without accents ("Policía" -> "policia")."""
    decomposed = unicodedata.normalize("NFKD", _key(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def choose_section(
    extracted: ExtractedPage, site_names: Sequence[str], headline: str = ""
) -> Candidate | None:
    """The section: explicit section metadata first, then the first category link, then the
    breadcrumb before the article itself; never the ``headline``, and of a list ("Mobiles,
    Vodafone") its first value."""
    headline_key = _key(headline)
    for c in by_source(extracted.candidates.get("section", []), SECTION_ORDER):
        value = clean_text(c.value)
        if not value or len(value) > 80 or _key(value) == headline_key:
            continue
        values = normalize_tags([value], site_names=site_names)
        if values:
            return Candidate(value if len(values) == 1 else values[0], c.source)
    crumbs = extracted.first("breadcrumbs")
    if crumbs:
        parts = [p.strip() for p in crumbs.value.split("›") if p.strip()]
        useful = [p for p in parts[1:] if normalize_tags([p], site_names=site_names)]
        if useful and _key(useful[-1]) == headline_key:
            useful.pop()  # the crumb of the article itself
            return Candidate(useful[-1], "breadcrumbs") if useful else None
        if len(useful) >= 2:
            return Candidate(useful[-2], "breadcrumbs")
        if useful:
            return Candidate(useful[0], "breadcrumbs")
    return None


def choose_summary(
    candidates: list[Candidate], body: str, headline: str | None = None
) -> Candidate | None:
    """The lead: a visible lead element, else a description that is not merely the opening of
    the body (an auto-generated teaser would only repeat it); never the ``headline`` again,
    whole, cut short or labelled (:func:`_only_labels_the_headline`), nor a picture's caption
    (:func:`~newscrawl.normalization.body.is_media_caption`). A headline run into the lead's
    opening goes
    (:func:`~newscrawl.normalization.body.without_headline_prefix`)."""
    body_key = _key(body)
    headline_key = _key(headline) if headline else ""
    for c in by_source(candidates, SUMMARY_ORDER):
        if c.source.endswith((":hidden", ":caption")):
            continue
        value = clean_multiline(c.value)
        if headline_key:
            value = without_headline_prefix(value, {headline_key})
        if len(value) < 20 or (headline_key and _only_labels_the_headline(value, headline_key)):
            continue
        if is_media_caption(value) and c.source != "site":
            continue  # a picture's caption given as the description
        if c.source in ("site", "lead"):
            return Candidate(value, c.source)
        if _repeats_body(value, body_key):
            return None
        return Candidate(value, c.source)
    return None


_TEASER_PROBE_CHARS = 60
_TEASER_LABEL_WORDS = 3


def _repeats_body(description: str, body_key: str) -> bool:
    """Whether a ``description`` is the body's text again (an excerpt the CMS cut from the
    story): its first 60 characters, compared loosely, are in ``body_key``, also after up to
    three leading words a share button or label put before the excerpt ("Pin It DX is
    next: ..."). A trailing ellipsis does not count (:func:`comparison_key` drops it)."""
    words = _key(description).split()
    for skipped in range(min(_TEASER_LABEL_WORDS, len(words) - 1) + 1):
        probe = " ".join(words[skipped:])[:_TEASER_PROBE_CHARS]
        long_enough = skipped == 0 or len(probe) == _TEASER_PROBE_CHARS
        if probe and long_enough and probe in body_key:
            return True
    return False


_HEADLINE_LABEL_WORDS = 6


def _only_labels_the_headline(value: str, headline_key: str) -> bool:
    """Whether ``value`` is the headline again, whole or cut short, or with no more than six
    words of labels around it: a breadcrumb trail ("Home / Blog / ..."), a section ("Kultur :
    ..."), the site's name ("... - Science Now") or a byline ("... by Jane Roe")."""
    key = _key(value)
    return key in headline_key or (
        headline_key in key
        and len(key.split()) <= len(headline_key.split()) + _HEADLINE_LABEL_WORDS
    )


def choose_canonical(extracted: ExtractedPage) -> tuple[str, str]:
    """The canonical URL (tracking parameters removed) and its source. A canonical pointing to
    another site or to the site's home page is ignored."""
    url = canonicalize_url(extracted.url) or extracted.url
    for c in extracted.candidates.get("canonical_url", []):
        candidate = canonicalize_url(c.value, base=extracted.url)
        if not candidate or not same_site(candidate, url):
            continue
        if points_home(candidate, url):
            continue
        return candidate, c.source
    return url, "url"


def choose_language(extracted: ExtractedPage, body: str) -> tuple[str | None, str | None]:
    """Declared language (JSON-LD, ``<html lang>``, meta, site configuration), else detected."""
    for c in extracted.candidates.get("language", []):
        lang = normalize_language(c.value)
        if lang:
            return lang, c.source
    hint = normalize_language(extracted.language_hint)
    if hint:
        return hint, "site"
    detected = detect_language(body)
    return (detected, "detected") if detected else (None, None)


def normalize_article(extracted: ExtractedPage) -> Article:
    """Turn an :class:`ExtractedPage` into one normalized :class:`Article`."""
    sources: dict[str, str] = {}
    site_name = extracted.first("site_name")
    site_names = site_name_variants(site_name.value if site_name else None, extracted.url)

    body = clean_multiline(extracted.body)
    language, lang_source = choose_language(extracted, body)
    languages = [language] if language else []

    headline = choose_headline(
        extracted.candidates.get("headline", []), site_names, body, extracted.url
    )
    summary = choose_summary(
        extracted.candidates.get("summary", []), body, headline.value if headline else None
    )
    declared = extracted.first("language")
    date_order = extracted.date_order or locale_date_order(
        declared.value if declared else None, extracted.url
    )
    published = choose_date(
        extracted.candidates.get("published", []),
        url=extracted.url,
        languages=languages,
        date_order=date_order,
        extracted=extracted,
    )
    modified = choose_date(
        extracted.candidates.get("modified", []),
        url="",
        languages=languages,
        date_order=date_order,
        extracted=extracted,
    )
    if modified and published and modified[0].value < published[0].value:
        modified = None
    authors, authors_source = choose_authors(extracted.candidates.get("authors", []), site_names)
    # A title part the page shows counts only when chosen: it may be the post's own title line.
    headlines = [
        c.value
        for c in extracted.candidates.get("headline", [])
        if c.source not in ("title:shown", "above-story")
    ] + ([headline.value] if headline else [])
    trimmed = trim_body(
        body,
        summary=summary.value if summary else None,
        headlines=headlines,
        authors=authors,
        languages=languages,
    )
    if summary is not None and word_count(trimmed) < word_count(summary.value):
        # The "lead" held most of the story (a short post): it is the body, not a summary.
        summary = None
        trimmed = trim_body(
            body, summary=None, headlines=headlines, authors=authors, languages=languages
        )
    body = trimmed
    tags, tags_source = choose_tags(
        extracted.candidates.get("tags", []),
        site_names,
        text=f"{headline.value if headline else ''}\n{summary.value if summary else ''}\n{body}",
        headline=headline.value if headline else "",
        url=extracted.url,
    )
    section = choose_section(extracted, site_names, headline.value if headline else "")
    if (
        section
        and not any(_key(t) == _key(section.value) for t in tags)
        and section.source == "links"
    ):
        tags = (section.value, *tags)
    canonical, canonical_source = choose_canonical(extracted)
    image = extracted.first("image")
    image_url = canonicalize_url(image.value, base=extracted.url) if image else None

    for name, source in (
        ("headline", headline.source if headline else None),
        ("summary", summary.source if summary else None),
        ("body", extracted.body_source),
        ("published", published[1].source if published else None),
        ("modified", modified[1].source if modified else None),
        ("authors", authors_source),
        ("tags", tags_source),
        ("section", section.source if section else None),
        ("language", lang_source),
        ("canonical_url", canonical_source),
        ("image", image.source if image and image_url else None),
    ):
        if source:
            sources[name] = source
    return Article(
        url=extracted.url,
        canonical_url=canonical,
        site=extracted.site,
        headline=headline.value if headline else "",
        body=body,
        fetched_at=extracted.fetched_at,
        summary=summary.value if summary else None,
        published=published[0].value if published else None,
        # raw date strings as found, less NUL (PostgreSQL text cannot hold it)
        published_raw=published[1].value.replace("\x00", "") if published else None,
        published_source=published[1].source if published else None,
        published_has_time=published[0].has_time if published else True,
        modified=modified[0].value if modified else None,
        modified_raw=modified[1].value.replace("\x00", "") if modified else None,
        modified_source=modified[1].source if modified else None,
        section=section.value if section else None,
        tags=tags,
        authors=authors,
        language=language,
        image=image_url,
        sources=sources,
        signals=extracted.signals,
        etag=extracted.etag,
        last_modified=extracted.last_modified,
    )
