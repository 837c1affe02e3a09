"""The boilerplate registry and the pruning step that runs before generic body extraction.

Blocks are recognised four ways, all site-independent:

1. by class/id tokens, grouped by concept in :data:`BOILERPLATE_TOKENS` (related posts,
   newsletter boxes, comments, share bars, trending/most-read, widgets, ads, navigation,
   captions and credits, paywall prompts, author boxes, taxonomy lists);
2. by element kind (``nav``, ``aside``, ``footer``, ``form``, hidden elements, site headers);
3. by the heading a block opens with ("Related posts", "Worth reading...", "Leave a Reply",
   "Lesen Sie auch", "À lire aussi", ...), in :data:`BOILERPLATE_HEADINGS`;
4. by shape: a list of links, or a teaser list (three or more sub-headings that are each a link
   to another page, with no more than 300 characters of text per heading).

A guard keeps any block that holds the headline or most of the page's paragraph text, so a
wrapper such as ``<div class="content has-sidebar">`` is never taken for a sidebar.

These rules remove elements; lines left in the extracted text (captions, credits, repeated
headers...) are trimmed by :mod:`newscrawl.normalization.body`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.normalization.text import sentences


def _alternation(group: str, fragments: tuple[str, ...]) -> str:
    if not fragments:
        raise ValueError(f"boilerplate group {group!r} is empty")
    return "|".join(fragments)


# Regex fragments matched against each class name and the id, lower-cased, as whole words
# bounded by start/end, whitespace, "-" or "_" (so "share" matches "share-bar" but not "shared").
BOILERPLATE_TOKENS: dict[str, tuple[str, ...]] = {
    "related": (
        r"related\w*", r"yarpp\w*", r"relatedposts", r"jp-relatedposts",
        r"more-(?:stories|articles|news|from\w*|on\w*|in-\w+|like-this)",
        r"(?:read|see)-(?:also|more|next|too)", r"also-read", r"further-reading",
        r"recommend\w*", r"you-may-(?:also-)?like", r"outbrain\w*", r"taboola\w*", r"ob-widget",
        r"worth-reading", r"next-(?:article|post|story)s?", r"post-navigation", r"nav-links",
        r"mehr-zum-thema", r"weitere-artikel", r"lesetipps?", r"teaser-?(?:list|row|grid)",
    ),
    "newsletter": (
        r"newsletter\w*", r"subscri(?:be|ption)\w*", r"sign-?up", r"mailchimp", r"mc4wp\w*",
        r"opt-?in\w*", r"email-?capture",
    ),
    "comments": (
        r"comments", r"comment-?(?:respond|form|list|section|area|wrap\w*|box|count|link|s-\w+)",
        r"commentlist", r"respond", r"disqus\w*", r"discussion", r"leave-a-(?:reply|comment)",
        r"reply", r"kommentare",
    ),
    "share": (
        r"share(?!d)\w*", r"sharing", r"sharedaddy", r"social\w*", r"addtoany", r"a2a\w*", r"shariff\w*",
        r"follow-us", r"print-?(?:button|link)",
    ),
    "trending": (
        r"trending\w*", r"popular\w*", r"most-(?:read|popular|viewed|shared|commented|recent)",
        r"mostread", r"meistgelesen\w*", r"hot-?news", r"ticker\w*", r"breaking-?news\w*",
        r"top-?stories", r"live-?ticker",
    ),
    "widgets": (r"widget\w*", r"sidebar\w*", r"aside"),
    "ads": (
        r"ads?", r"advert\w*", r"ad-?(?:slot|unit|container|wrapper|banner|box|label|place\w*|zone)",
        r"sponsor\w*", r"promo\w*", r"banner\w*", r"dfp\w*", r"gpt-\w+", r"anzeige\w*", r"commercial",
        r"affiliate\w*",
    ),
    "navigation": (
        r"nav", r"navbar", r"navigation", r"menu\w*", r"breadcrumbs?", r"footer\w*", r"site-header",
        r"masthead", r"skip-?link\w*", r"pagination", r"pager",
        # an article's table of contents: links to its own sub-headings
        r"ez-toc\w*", r"toc[-_]?(?:container|list|title|wrap\w*|nav|box|widget)", r"table-?of-?contents",
        r"inhaltsverzeichnis",
    ),
    "captions": (
        r"(?:fig)?caption\w*", r"credits?", r"image-?credit", r"photo-?credit", r"copyright",
        r"bildunterschrift", r"media-?credit",
    ),
    "paywall": (r"paywall\w*", r"piano-?\w*", r"premium-?(?:banner|teaser|box|hint)", r"regwall"),
    "embeds": (
        r"twitter-tweet\w*", r"instagram-media", r"tiktok-embed", r"fb-post", r"reddit-embed",
        r"social-?embed\w*", r"embed-?(?:social|twitter|instagram|facebook|tiktok)",
    ),
    "dialogs": (r"modal\w*", r"popup\w*", r"pop-up", r"overlay\w*", r"lightbox\w*", r"cookie\w*", r"consent\w*"),
    "buttons": (r"btn", r"button\w*", r"cta"),
    "interactive": (r"poll\w*", r"survey\w*", r"quiz\w*", r"voting", r"umfrage\w*"),
    "factbox": (
        r"info-?box\w*", r"fact-?box\w*", r"facts-?box", r"fakt(?:en|a)-?box\w*", r"faktaboks\w*",
        r"infobox\w*", r"info-?card",
    ),
    "author_box": (r"author-?(?:bio|box|info|card|profile|about)", r"about-(?:the-)?author"),
    "taxonomy": (r"tags?-?links", r"post-tags", r"entry-tags", r"tag-?list", r"article-tags", r"cat-links"),
    # Only accessibility-only text: utility classes such as "hidden md:block" show content.
    "hidden": (r"sr-only", r"visually-?hidden", r"screen-reader-text", r"visuallyhidden"),
}  # fmt: skip

# Groups whose names also appear on wrappers of real content (layout grids called "sidebar",
# bodies marked "paywall-article", hidden-until-JS bodies): their blocks are kept when they hold
# a real share of the page's prose.
WEAK_GROUPS = frozenset(
    {"widgets", "ads", "navigation", "captions", "paywall", "hidden", "dialogs", "buttons"}
)

# ARIA landmark roles of page chrome (a fact box or sidebar is "complementary").
BOILERPLATE_ROLES = frozenset(
    {"complementary", "navigation", "banner", "contentinfo", "search", "dialog", "alertdialog",
     "menu", "menubar", "toolbar", "tablist", "button"}
)  # fmt: skip


def _token_regex(fragments: list[str]) -> re.Pattern[str]:
    """Any of ``fragments`` as a whole word of lower-cased naming attributes."""
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(fragments) + r")(?=$|[\s_-])")


def _group_regex(groups: list[str]) -> re.Pattern[str]:
    return _token_regex([f"(?:{_alternation(g, BOILERPLATE_TOKENS[g])})" for g in groups])


# Cookie-consent and privacy dialogs, and notices that the reader's browser is out of date.
# Their text can outweigh the article (or be all a script-built page shows), so they are
# removed before the page's prose is measured; no article is ever inside one.
CONSENT_TOKENS: tuple[str, ...] = (
    r"cookie-?(?:consent|banner|notice|bar|layer|popup|overlay|dialog|box|modal|hint|law|settings)\w*",
    r"consent\w*", r"gdpr\w*", r"dsgvo\w*", r"cmp-?(?:container|wrapper|banner|dialog|modal)\w*",
    r"privacy-(?:popup|banner|overlay|dialog|modal|notice|layer|settings)\w*",
    r"(?:update|upgrade|outdated|old|older|unsupported)-?browser\w*",
    r"browser-?(?:update|upgrade|warning|notice|banner|alert|detect|incompatib)\w*",
)  # fmt: skip
_CONSENT_RE = _token_regex(list(CONSENT_TOKENS))
_TOKEN_RE = _group_regex(list(BOILERPLATE_TOKENS))
_STRONG_TOKEN_RE = _group_regex([g for g in BOILERPLATE_TOKENS if g not in WEAK_GROUPS])

# Headings that open a boilerplate block, in the languages news sites are written in.
# Headings of a comments section; after the story they end it (see :func:`_comments_section`).
# Plurals only: a singular "Kommentar", "Commentaire" or "评论" also labels an opinion piece.
_COMMENTS_WORDS = (
    r"comments|(?:leser)?kommentare|kommentarer|commentaires|comentarios|comentários|commenti|reacties|"
    r"komentarze|komentáře|kommentit|комментарии|коментарі|yorumlar|σχόλια|التعليقات|תגובות|댓글"
)
COMMENTS_HEADINGS: tuple[str, ...] = (
    r"leave a (?:reply|comment)",
    rf"(?:(?:user|reader|readers['’]?|your|latest|recent|visitor) )?(?:\d+ )?(?:{_COMMENTS_WORDS})(?: \(\d+\))?",
    r"\d+ (?:responses|replies)",
)  # fmt: skip
# "This might interest you too": a heading above other stories, or a pointer to one.
_MIGHT_INTEREST_DE = (
    r"(?:das|dies(?:e[rs]?)?)(?: thema| artikel| beitrag)? könnten? (?:sie|dich|euch) (?:auch )?"
    r"interessieren"
)
_MIGHT_INTEREST_ES = r"(?:te|le|les) (?:puede|pueden|podría) interesar"
BOILERPLATE_HEADINGS: tuple[str, ...] = (
    r"related(?: posts?| articles?| stories| news| content| coverage| topics)?",
    r"(?:read|see) (?:more|also|next)", r"more (?:from|on|stories|news|like this)\b.*",
    r"you (?:may|might) (?:also )?(?:like|be interested in)", r"recommended(?: for you| stories)?",
    r"worth reading\W*", r"trending(?: now| stories)?",
    r"(?:today['’]?s )?most[- ](?:read|popular|viewed|shared|e-?mailed|commented)(?: articles| stories| news| (?:in|on) \w+(?: \w+)?)?",
    r"(?:explore|discover) (?:more|further|related)\b.*", r"(?:entdecke|entdecken sie) (?:weitere|mehr)\b.*",
    r"(?:sign up for |subscribe to )?(?:our |the )?newsletters?", r"become a trendsetter",
    r"(?:sign[- ]?up|subscribe) (?:to|for) (?:our |the |my )?(?:free )?newsletters?\b.*",
    *COMMENTS_HEADINGS, r"(?:\d+ )?comment(?: \(\d+\))?", r"share(?: this(?: article| story)?)?",
    r"mehr zum thema.*", _MIGHT_INTEREST_DE, r"(?:lesen|lies) sie auch",
    r"auch interessant", r"weitere artikel", r"meistgelesen(?:e artikel)?", r"empfehlungen",
    r"(?:à )?lire aussi", r"sur le même sujet", r"les plus lus",
    _MIGHT_INTEREST_ES, r"le[ea] también", r"más leídas", r"noticias relacionadas",
    r"schon gelesen", r"zum weiterlesen", r"leggi anche", r"potrebbe interessarti", r"les også", r"läs också", r"mest lest", r"mest läst",
    r"læs også", r"czytaj (?:także|też|więcej)", r"zobacz (?:też|także)", r"читайте также", r"по теме",
    r"関連記事", r"関連キーワード", r"関連ニュース", r"おすすめ(?:情報|記事)?", r"人気記事",
    r"相关阅读", r"相关新闻", r"相关文章", r"推荐阅读", r"热门(?:文章|新闻)?", r"관련\s?기사",
    r"많이 본 뉴스",
    r"leia também", r"veja também", r"notícias relacionadas", r"mais lidas", r"lees ook",
    r"gerelateerde artikelen", r"meest gelezen", r"baca juga", r"berita terkait", r"terpopuler",
    r"lue myös", r"luetuimmat", r"související(?: články)?", r"nejčtenější", r"читайте також",
    r"διαβάστε επίσης", r"σχετικά άρθρα", r"tin liên quan", r"đọc nhiều nhất", r"ilgili haberler",
    r"en çok okunanlar", r"اقرأ (?:أيضا|أيضاً|ايضا)", r"أخبار ذات صلة", r"الأكثر قراءة", r"קראו גם",
    r"(?:यह|ये) भी पढ़ें", r"延伸(?:阅读|閱讀)",
)  # fmt: skip
_HEADING_RE = re.compile(r"^(?:" + "|".join(BOILERPLATE_HEADINGS) + r")\W*$", re.IGNORECASE)

# In-body pointers to other articles: "Read more: <link>", "Lesen Sie auch: <link>", ...
READ_ALSO_MARKERS: tuple[str, ...] = (
    r"read (?:more|also|next)", r"see also", r"also read", r"related", r"more", r"watch",
    r"lesen sie (?:auch|mehr|hier)", r"lies auch", r"auch interessant", r"mehr zum thema",
    r"weiterlesen", r"mehr dazu", r"les også", r"läs också", r"læs også", r"(?:à )?lire aussi",
    r"le[ea] también", r"ve[ra] también", r"leer más", r"leggi anche", r"czytaj (?:też|także|więcej)", r"zobacz (?:też|także)",
    r"читайте также", _MIGHT_INTEREST_DE, _MIGHT_INTEREST_ES,
    r"leia (?:também|mais)", r"veja (?:também|mais)", r"saiba mais", r"lees (?:ook|meer|verder)",
    r"baca juga", r"lue (?:myös|lisää)", r"čtěte (?:také|též)", r"čítajte (?:aj|tiež)",
    r"citește și", r"читайте (?:також|теж)", r"διαβάστε (?:επίσης|ακόμη|ακόμα)", r"xem thêm",
    r"đọc thêm", r"ilgili haber(?:ler)?", r"اقرأ (?:أيضا|أيضاً|ايضا)", r"קראו גם",
    r"(?:यह|ये) भी पढ़ें", r"関連記事", r"あわせて読みたい", r"延伸(?:阅读|閱讀)", r"相[关關](?:阅读|閱讀)",
    r"관련\s?기사",
)  # fmt: skip
# Calls to action inside the body: newsletter, app, messenger-channel and social sign-ups,
# affiliate disclosures and requests for news tips.
PROMO_MARKERS: tuple[str, ...] = (
    r"newsletter", r"subscri(?:be|ption)\b", r"sign up", r"abonn(?:ier|ez|ement|ieren)", r"anmelden",
    r"whatsapp", r"telegram", r"download (?:our|the) (?:[\w-]+ ){0,2}apps?\b", r"app herunterladen", r"news-?app",
    r"folgen sie uns", r"follow us", r"suivez-nous", r"síguenos", r"push-?nachrichten",
    # affiliate disclosures and calls for tips
    r"(?:earn|receive|get) (?:a )?(?:small )?commission", r"affiliate[- ]?links?",
    r"got a (?:story|news tip|tip)\b", r"get in touch with (?:our|the) (?:news ?)?(?:team|desk)",
    # follow a section or channel elsewhere, listen live
    r"follow (?:the|our) [^.]{1,40}(?:section|channel|page|team) on", r"listen to [^.]{1,40} live",
    r"folgen sie (?:der|dem|unserem|unserer|uns)", r"hören sie [^.]{1,40} live",
    # follow us and subscribe, in more languages
    r"siga-nos", r"inscreva-se", r"volg ons", r"abonneer\b", r"seguici", r"iscriviti",
    r"obserwuj nas", r"zapisz się", r"ikuti kami", r"seuraa meitä",
    r"sledujte nás", r"följ oss", r"følg (?:oss|os)", r"prenumerera", r"подпи(?:шитесь|сывайтесь)",
    r"підпи(?:шіться|суйтесь)", r"ακολουθήστε (?:μας|το)", r"takip edin", r"abone ol",
    r"theo dõi chúng tôi", r"تابعونا", r"עקבו אחרינו",
)  # fmt: skip
# A short paragraph with a link that opens with a pictograph: "🛒 Deal of the day: ...".
_PICTOGRAPH_START_RE = re.compile(r"^\W*[\u2600-\u27bf\U0001f300-\U0001faff]")
_PROMO_RE = re.compile("|".join(PROMO_MARKERS), re.IGNORECASE)
_PROMO_MAX_CHARS = 300

_READ_ALSO_RE = re.compile(r"^(?:" + "|".join(READ_ALSO_MARKERS) + r")\s*[:：»>|–-]", re.IGNORECASE)

ALWAYS_REMOVED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "button", "select", "textarea",
     "input", "canvas", "object", "embed", "dialog"}
)  # fmt: skip
STRUCTURAL_BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer", "form", "menu", "figcaption"})
_HEADING_TAGS = frozenset(
    {"h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "header"}
)
_SHORT_BLOCK_TAGS = _HEADING_TAGS | {"li"}
_PROTECTED_TAGS = frozenset({"html", "body", "main"})
_BODY_CLASS_RE = re.compile(r"body|content|text|article|story|entry|post|paragraph|richtext")
_MAIN_SHARE = 0.5  # a block holding more than this share of paragraph text is never pruned
_WEAK_SHARE = 0.10  # a weak-token block holding this share of prose is content, not chrome
_WEAK_MIN_CHARS = 400


@dataclass(slots=True)
class PruneReport:
    """What pruning removed, by reason (for debugging and tests)."""

    removed: dict[str, int]

    def total(self) -> int:
        """Number of removed blocks."""
        return sum(self.removed.values())


_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NAME_WORD_RE = re.compile(r"[A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*")  # words with a camel hump

# Attributes that name a block: class and id, and the component names that sites built with
# CSS-in-JS put in data attributes while their classes are hashes ("sc-92253cc8-0 kGbdVO").
NAMING_ATTRIBUTES: tuple[str, ...] = (
    "class",
    "id",
    "data-testid",
    "data-component",
    "data-module",
    "data-type",
)
_NAMING_SET = frozenset(NAMING_ATTRIBUTES)


def _naming_words(attrs: str) -> str:
    """An element's naming attributes as the token patterns read them: camelCase split first,
    so "Article_elementPoll" is read as "article element poll"; lower-cased. A generated hash
    ("kGbdVO", "n1AuAdJlVL") is not split, so it cannot spell "ad" or "nav" by chance."""
    return _NAME_WORD_RE.sub(_split_camel_case, attrs).lower()


def _split_camel_case(match: re.Match[str]) -> str:
    """One word of a name, its camelCase pieces joined by "-"; a word whose pieces are mostly
    one or two characters is a generated hash and stays whole."""
    word = match.group()
    pieces = _CAMEL_RE.split(word)
    if len(pieces) >= 3 and 2 * sum(len(piece) <= 2 for piece in pieces) > len(pieces):
        return word
    return "-".join(pieces)


@lru_cache(maxsize=8192)
def _name_flags(attrs: str) -> tuple[bool, bool, bool, bool]:
    """(any boilerplate token, a strong one, a consent dialog's, a breadcrumb trail's) for an
    element's naming attributes: those of any of its words. No token pattern spans a space, so
    each distinct word ("row", "col-md-6", "related-posts") is read once per process, not once
    per page."""
    boilerplate = strong = consent = False
    for word in attrs.split():
        word_boilerplate, word_strong, word_consent = _word_flags(word)
        boilerplate |= word_boilerplate
        strong |= word_strong
        consent |= word_consent
    return boilerplate, strong, consent, "breadcrumb" in attrs.lower()


# A class naming one of the post's categories or tags ("category-newsletter", "tag-social-media",
# as WordPress and Ghost write them on a post's wrapper) spells the site's own topics, not what
# the block is; only a tag list's own name ("tag-list", "tag-links") is read as one.
_TERM_CLASS_RE = re.compile(r"^(?:category|tag)-", re.IGNORECASE)
_TAXONOMY_RE = _group_regex(["taxonomy"])


@lru_cache(maxsize=65536)
def _word_flags(word: str) -> tuple[bool, bool, bool]:
    words = _naming_words(word)
    if _TERM_CLASS_RE.match(word) and not _TAXONOMY_RE.fullmatch(words):
        return False, False, False
    return (
        _TOKEN_RE.search(words) is not None,
        _STRONG_TOKEN_RE.search(words) is not None,
        _CONSENT_RE.search(words) is not None,
    )


def is_strong_boilerplate_name(name: str) -> bool:
    """Whether ``name``, one class name, carries a token of a block that is boilerplate
    whatever it holds (:func:`matches_strong_boilerplate`)."""
    return _name_flags(name)[1]


def _attrs(el: HtmlElement) -> str:
    values = [value for name in NAMING_ATTRIBUTES if (value := el.get(name))]
    return " ".join(values).strip()


def matches_boilerplate(el: HtmlElement) -> bool:
    """True if the element's class or id carries a boilerplate token."""
    return _name_flags(_attrs(el))[0]


def matches_strong_boilerplate(el: HtmlElement) -> bool:
    """True if the class or id names a block that is boilerplate whatever it holds
    (related posts, newsletter, comments, share, trending, author box, taxonomy)."""
    return _name_flags(_attrs(el))[1]


def _marked_breadcrumb(el: HtmlElement) -> bool:
    """Whether ``el``'s ``aria-label`` or ``itemtype`` (a BreadcrumbList) names a breadcrumb trail."""
    return any("breadcrumb" in (el.get(name) or "").lower() for name in ("aria-label", "itemtype"))


@dataclass(slots=True)
class ClassIndex:
    """The boilerplate flags (any token, strong token) of every element of a page that has a
    class or id, read in one pass so no stage evaluates the token patterns twice."""

    flags: dict[HtmlElement, tuple[bool, bool]]
    breadcrumbs: list[HtmlElement]
    consent_dialogs: list[HtmlElement]

    @classmethod
    def of(cls, tree: HtmlElement) -> ClassIndex:
        """Index every element of ``tree``'s document that carries a class or id (and note the
        breadcrumb trails, marked by class, id, ``aria-label`` or a BreadcrumbList itemtype),
        reading each element's attributes once."""
        flags: dict[HtmlElement, tuple[bool, bool]] = {}
        named_crumbs: list[HtmlElement] = []
        marked_crumbs: list[HtmlElement] = []
        consent: list[HtmlElement] = []
        for el in tree.getroottree().getroot().iter(etree.Element):
            items = el.items()
            if not items:
                continue
            naming = [value for name, value in items if name in _NAMING_SET]
            crumb = False
            if naming:
                attrs = " ".join(value for value in naming if value).strip()
                boilerplate, strong, consent_dialog, crumb = _name_flags(attrs)
                flags[el] = (boilerplate, strong)
                if consent_dialog:
                    consent.append(el)
                if crumb:
                    named_crumbs.append(el)
            if not crumb and len(items) > len(naming) and _marked_breadcrumb(el):
                marked_crumbs.append(el)
        return cls(flags, named_crumbs + marked_crumbs, consent)

    def boilerplate(self, el: HtmlElement) -> bool:
        """Like :func:`matches_boilerplate`, from the index."""
        flags = self.flags.get(el)
        return flags is not None and flags[0]

    def strong(self, el: HtmlElement) -> bool:
        """Like :func:`matches_strong_boilerplate`, from the index."""
        flags = self.flags.get(el)
        return flags is not None and flags[1]


def boilerplate_regions(root: HtmlElement, index: ClassIndex) -> set[HtmlElement]:
    """Every element below ``root`` that sits inside (or is) a boilerplate block, found in
    one pass: a block is a structural boilerplate tag or carries a boilerplate token."""
    inside: set[HtmlElement] = set()
    for el in root.iter():
        if el is root or not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent in inside or el.tag in STRUCTURAL_BOILERPLATE_TAGS or index.boilerplate(el):
            inside.add(el)
    return inside


def is_boilerplate_heading(text: str) -> bool:
    """True if ``text`` is the title of a related/newsletter/comments/... block."""
    text = " ".join(text.split())
    return 0 < len(text) <= 60 and _HEADING_RE.match(text) is not None


_LOOSE_PROSE_CHARS = 50  # a text run outside <p> this long is prose (posts written with <br>s)
_LOOSE_PROSE_XPATH = etree.XPath(
    "//text()[not(ancestor::p) and not(ancestor::a) and not(ancestor::li)"
    f" and string-length(normalize-space(.)) >= {_LOOSE_PROSE_CHARS}]"
)


def paragraph_text_lengths(root: HtmlElement) -> dict[HtmlElement, int]:
    """For every element, the number of characters of paragraph text inside it: the text of
    ``<p>`` elements, and runs of 50 characters or more written outside any ``<p>``, link or
    list item (a post whose paragraphs are separated by ``<br>`` holds prose too)."""
    lengths: dict[HtmlElement, int] = {}

    def add(start: HtmlElement | None, n: int) -> None:
        el = start
        while el is not None:
            lengths[el] = lengths.get(el, 0) + n
            el = el.getparent()

    for p in root.iter("p"):
        n = len(p.text_content().strip())
        if n:
            add(p, n)
    for run in _LOOSE_PROSE_XPATH(root):
        owner = run.getparent()
        if owner is None:
            continue
        if run.is_tail:
            owner = owner.getparent()
        if isinstance(owner, HtmlElement) and owner.tag != "p":
            add(owner, len(run.strip()))
    return lengths


_STORY_PARAGRAPH_WORDS = 12  # a paragraph of a story's prose, not a caption or a label
_STORY_PARAGRAPHS = 3  # a container holding this many of them is a story


def story_container(root: HtmlElement) -> HtmlElement | None:
    """The element holding the most text in prose paragraphs of its own (``<p>`` children of
    twelve words or more, under 30% link text), when it holds three or more and is not inside
    a comments section (a block whose class or id names comments or starts with "comment"):
    the story, which no other name on it or around it makes boilerplate. Teasers put each
    entry in a block of its own, so none of them is this container."""
    prose: dict[HtmlElement, tuple[int, int]] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is None:
            continue
        text = p.text_content()
        if len(text.split()) < _STORY_PARAGRAPH_WORDS:
            continue
        linked = sum(len(a.text_content()) for a in p.iter("a"))
        if linked >= 0.3 * len(text):
            continue
        count, chars = prose.get(parent, (0, 0))
        prose[parent] = (count + 1, chars + len(text))
    in_comments: dict[HtmlElement, bool] = {}
    ranked = sorted(prose.items(), key=lambda item: -item[1][1])
    for container, (count, _chars) in ranked:
        if count < _STORY_PARAGRAPHS:
            continue
        if not _in_comments(container, in_comments):
            return container
    return None


_COMMENTS_NAME_RE = re.compile(
    r"(?:^|[\s_-])comment|" + _group_regex(["comments"]).pattern, re.IGNORECASE
)


def _in_comments(el: HtmlElement, memo: dict[HtmlElement, bool]) -> bool:
    """Whether ``el`` or an ancestor is named as a comments section (memoized in ``memo``)."""
    chain: list[HtmlElement] = []
    node: HtmlElement | None = el
    found = False
    while node is not None:
        if node in memo:
            found = memo[node]
            break
        chain.append(node)
        if _COMMENTS_NAME_RE.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            found = True
            break
        node = node.getparent()
    for visited in chain:
        memo[visited] = found
    return found


def merge_split_bodies(root: HtmlElement, story: HtmlElement | None = None) -> int:
    """Join an article body that a page splits into sibling containers of the same class
    (interrupted by ads or embeds) into the first one, so generic extraction sees all of it;
    a container holding only a sub-heading is a part too, and a heading right before a
    container (a live blog entry's title) moves with it. Class names are compared as a set, and
    a part whose class adds body names to another part's ("article_body entry-content" before
    "article_body") is one of them (:func:`_with_extended_names`). Teasers classed like the body
    are no part: a container with no more than 300 characters of text per sub-heading that links
    to another page; nor is a ``<div>`` that holds text of its own (a paragraph). Containers two
    of which open with the same text are left alone (:func:`_holds_copies`), and so are
    containers none of which holds or lies in ``story`` (:func:`story_container`), when given:
    readers' comments classed alike ("post") can outweigh a short story. Parts that wrap their
    text alike (a page builder's "container > row > column" in each) are joined in the first
    one's column (:func:`_text_holder`), so that no one column reads as the whole story.
    Returns the number of containers merged."""
    lengths = paragraph_text_lengths(root)
    total = lengths.get(root, 0)
    groups: dict[tuple[frozenset[str], int], list[HtmlElement]] = {}
    for el in root.iter("div", "section"):
        cls = el.get("class")
        if cls and _holds_text(el, lengths) and _BODY_CLASS_RE.search(cls.lower()):
            if _has_own_text(el):
                continue  # a paragraph written as a <div>: its siblings are paragraphs too
            teasers = _linked_headings(el)
            if teasers and lengths.get(el, 0) <= _TEASER_CHARS * teasers:
                continue  # teasers: other stories' headlines and leads, classed like the body
            # Containers of one story share their <article>; another article's body does not.
            article = next(el.iterancestors("article"), None)
            groups.setdefault((frozenset(cls.split()), id(article)), []).append(el)
    merged = 0
    for members in _with_extended_names(groups, lengths):
        inside = set(members)
        outer = [m for m in members if not any(a in inside for a in m.iterancestors())]
        if len(outer) < 2 or sum(lengths.get(m, 0) for m in outer) < 0.5 * total:
            continue
        if any(m.find(".//h1") is not None for m in outer[1:]):
            continue  # a second headline: an appended next story, not a split body
        if not _holds_story(outer, story) or _holds_copies(outer):
            continue
        # Parts built alike (the same wrappers around each) are joined where their text is.
        holders = [_text_holder(part) for part in outer]
        if len({holder.get("class") for holder in holders}) > 1:
            holders = outer
        target, *sources = holders
        for other, source in zip(outer[1:], sources, strict=True):
            heading = _heading_before(other)
            if heading is not None:
                target.append(heading)  # a live blog's entry keeps its heading
            for child in list(source):
                target.append(child)
            merged += 1
    return merged


_WRAPPER_TAGS = frozenset({"div", "section", "article", "main"})
_BLOCK_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "div", "section", "blockquote",
     "table", "figure", "pre"}
)  # fmt: skip


def _text_holder(part: HtmlElement) -> HtmlElement:
    """The innermost block of ``part`` that holds all of its text: ``part`` itself, or the one
    child ``<div>`` (``<section>``...) holding text when its other children hold none and it
    holds blocks, not only a line (layout wrappers: a page builder's "container > row >
    column" around each part), followed down."""
    node = part
    while not (node.text or "").strip():
        holding = [child for child in node if _holds_any_text(child)]
        if (
            len(holding) != 1
            or holding[0].tag not in _WRAPPER_TAGS
            or not any(child.tag in _BLOCK_TAGS for child in holding[0])
            or any((child.tail or "").strip() for child in node)
        ):
            break
        node = holding[0]
    return node


def _holds_any_text(el: HtmlElement) -> bool:
    return isinstance(el.tag, str) and bool(el.text_content().strip())


def _with_extended_names(
    groups: dict[tuple[frozenset[str], int], list[HtmlElement]], lengths: dict[HtmlElement, int]
) -> list[list[HtmlElement]]:
    """``groups`` (containers by class names and ``<article>``, each in document order) with the
    containers holding paragraphs in every group whose names extend another's of the same
    ``<article>`` by names of a body (the first part of a split story as "article_body
    entry-content", the others "article_body") joined to the one with the most of them, in
    document order. Other added names (a grid column's "col-12") mark other blocks, and a
    container of headings alone classed so ("teaser-content richtext") is a teaser."""
    joined = {key: list(members) for key, members in groups.items()}
    for key in sorted(groups, key=lambda k: -len(k[0])):
        base = _base_group(key, joined)
        if base is None:
            continue
        parts = [m for m in joined[key] if lengths.get(m, 0) > 0]
        joined[key] = [m for m in joined[key] if lengths.get(m, 0) == 0]
        joined[base] = _in_document_order(joined[base] + parts)
    return list(joined.values())


_MAX_ADDED_NAMES = 4  # body names a part's class may add to the others' (bounds the search)


def _base_group(
    key: tuple[frozenset[str], int], groups: dict[tuple[frozenset[str], int], list[HtmlElement]]
) -> tuple[frozenset[str], int] | None:
    """The key in ``groups`` of the same ``<article>`` whose class names are ``key``'s without
    the fewest of its body names (at least one, not all of its names), if any."""
    names, article = key
    body_names = sorted(name for name in names if _BODY_CLASS_RE.search(name.lower()))
    for count in range(1, min(len(body_names), _MAX_ADDED_NAMES) + 1):
        for added in combinations(body_names, count):
            base = (names.difference(added), article)
            if base[0] and base in groups:
                return base
    return None


def _in_document_order(elements: list[HtmlElement]) -> list[HtmlElement]:
    """``elements`` of one tree sorted as they appear in it."""
    if len(elements) < 2:
        return elements
    wanted = set(elements)
    return [el for el in elements[0].getroottree().iter() if el in wanted]


def _holds_story(parts: list[HtmlElement], story: HtmlElement | None) -> bool:
    """Whether one of ``parts`` is, holds or lies in ``story`` (true when it is unknown or no
    longer in their tree)."""
    if story is None or story.getroottree().getroot() is not parts[0].getroottree().getroot():
        return True
    return any(
        part is story or _is_ancestor(part, story) or _is_ancestor(story, part) for part in parts
    )


_COPY_MIN_CHARS = 200  # an opening this long shared by two parts is one text rendered twice


def _holds_copies(parts: list[HtmlElement]) -> bool:
    """Whether two of ``parts`` open with the same text (their first 200 characters, spacing
    aside): a layout that renders the story twice (a hidden preview, a second version for small
    screens), whose parts must not be joined into one copy."""
    openings: set[str] = set()
    for part in parts:
        text = " ".join(part.text_content().split())
        if len(text) < _COPY_MIN_CHARS:
            continue
        opening = text[:_COPY_MIN_CHARS]
        if opening in openings:
            return True
        openings.add(opening)
    return False


_SECTION_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


_TEASER_CHARS = 300  # paragraph text per teaser: a headline's lead, not a story's part


def _linked_headings(el: HtmlElement) -> int:
    """How many sub-headings in ``el`` are wholly a link to another page, as a teaser's (a
    related story's headline) is."""
    return sum(1 for heading in el.iter(*_SECTION_HEADINGS) if _is_linked_heading(heading))


def _is_linked_heading(heading: HtmlElement) -> bool:
    """Whether ``heading`` is wholly a link to another page. A link to an anchor ("#entry-3")
    is a live blog entry's permalink, not a teaser's."""
    text = "".join(heading.text_content().split())
    return bool(text) and text == "".join(
        "".join(a.text_content().split())
        for a in heading.iter("a")
        if "#" not in (a.get("href") or "#")
    )


_TEASER_LIST_HEADINGS = 3  # linked sub-headings that make a block of short texts a teaser list


def _linked_heading_counts(root: HtmlElement) -> dict[HtmlElement, int]:
    """For every element, the number of sub-headings inside it that are wholly a link to
    another page (:func:`_is_linked_heading`)."""
    counts: dict[HtmlElement, int] = {}
    for heading in root.iter(*_SECTION_HEADINGS):
        if _is_linked_heading(heading):
            node: HtmlElement | None = heading
            while node is not None:
                counts[node] = counts.get(node, 0) + 1
                node = node.getparent()
    return counts


def _has_own_text(el: HtmlElement) -> bool:
    """Whether ``el`` holds text outside its child elements: it is a paragraph, not a part
    of a split body (moving its children elsewhere would tear its sentences apart)."""
    return bool((el.text or "").strip()) or any((child.tail or "").strip() for child in el)


def _holds_text(el: HtmlElement, lengths: dict[HtmlElement, int]) -> bool:
    """Paragraph text or a sub-heading: a part of a split body (its headings may stand alone)."""
    return lengths.get(el, 0) > 0 or any(True for _ in el.iter(*_SECTION_HEADINGS))


def _heading_before(el: HtmlElement) -> HtmlElement | None:
    """The heading right before ``el`` among its siblings (comments skipped), if any."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev if prev is not None and prev.tag in _SECTION_HEADINGS else None


def _is_ancestor(candidate: HtmlElement, el: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None:
        if node is candidate:
            return True
        node = node.getparent()
    return False


class _Remover:
    """Removes blocks from one tree and counts them by reason. A block removed from among text
    written straight into its container leaves a line break, so the runs around it stay apart."""

    def __init__(self) -> None:
        self.removed: dict[str, int] = {}
        self._loose_text: dict[HtmlElement, tuple[bool, list[HtmlElement]]] = {}

    def drop(self, el: HtmlElement, reason: str) -> None:
        """Remove ``el`` (and count it under ``reason``); its tail text stays."""
        parent = el.getparent()
        if parent is None:
            return
        self.removed[reason] = self.removed.get(reason, 0) + 1
        if el.tag in PHRASING_TAGS or parent.tag in _LINE_TAGS:
            el.drop_tree()  # inside a line of text, which goes on after it
            return
        if parent not in self._loose_text:
            self._loose_text[parent] = _loose_text(parent)
        own_text, runs = self._loose_text[parent]
        if own_text or any(run is not el for run in runs):
            _replace_with_line_break(el)  # the runs around the block or comment stay apart
        else:
            el.drop_tree()  # keeps the text that followed the block


def remove_never_article(
    root: HtmlElement,
    *,
    keep: Iterable[HtmlElement] = (),
    extra_xpaths: Iterable[str] = (),
    index: ClassIndex | None = None,
) -> PruneReport:
    """Remove from ``root``, in place, what is never part of an article whatever the page's
    prose: the blocks ``extra_xpaths`` name (per-site prune selectors, compiled to XPath) and
    cookie, privacy and outdated-browser notices (:data:`CONSENT_TOKENS`) that hold no element
    of ``keep``. What this removes stays out of every later reading of the page, fallbacks
    included."""
    if index is None:
        index = ClassIndex.of(root)
    remover = _Remover()
    _remove_never_article(remover, root, list(keep), extra_xpaths, index)
    return PruneReport(remover.removed)


def _remove_never_article(
    remover: _Remover,
    root: HtmlElement,
    keep: list[HtmlElement],
    extra_xpaths: Iterable[str],
    index: ClassIndex,
) -> None:
    for xpath in extra_xpaths:
        for el in root.xpath(xpath):
            if isinstance(el, HtmlElement):
                remover.drop(el, "site")
    for el in index.consent_dialogs:
        if _still_attached(el, root) and _is_consent_dialog(el, keep):
            remover.drop(el, "consent")  # not again inside a dialog already removed


def prune(
    root: HtmlElement,
    *,
    keep: Iterable[HtmlElement] = (),
    story: HtmlElement | None = None,
    extra_xpaths: Iterable[str] = (),
    index: ClassIndex | None = None,
    lengths: dict[HtmlElement, int] | None = None,
) -> PruneReport:
    """Remove boilerplate blocks from ``root`` in place.

    ``keep`` are elements that must survive (e.g. the headline); any block containing one of
    them, or more than half of the page's paragraph text, is kept. No block holding ``story``
    (:func:`story_container`) is removed for its name. What
    :func:`remove_never_article` removes (``extra_xpaths``, consent and outdated-browser
    notices) goes first, before the page's prose is measured: a dialog's legal text must not
    outweigh the article. ``index`` and ``lengths`` (:func:`paragraph_text_lengths` of the
    unchanged tree) may be passed in when a caller already has them; lengths are recomputed
    when blocks were removed first.
    """
    if index is None:
        index = ClassIndex.of(root)
    remover = _Remover()
    removed = remover.removed
    drop = remover.drop
    keep = list(keep)
    _remove_never_article(remover, root, keep, extra_xpaths, index)

    if lengths is None or removed:
        lengths = paragraph_text_lengths(root)
    total = lengths.get(root, 0)
    protected: set[HtmlElement] = set()
    for el in keep:
        node: HtmlElement | None = el
        while node is not None:
            protected.add(node)
            node = node.getparent()
    story_chain = (set(story.iterancestors()) | {story}) if story is not None else set()
    after_story = AfterStory(root, keep)

    def guarded(el: HtmlElement) -> bool:
        if el in protected or el.tag in _PROTECTED_TAGS:
            return True
        return (
            total > 300
            and lengths.get(el, 0) > _MAIN_SHARE * total
            and not _comments_after_story(el, after_story)
        )

    teasers = _linked_heading_counts(root)

    def is_teaser_list(el: HtmlElement) -> bool:
        n = teasers.get(el, 0)
        return n >= _TEASER_LIST_HEADINGS and lengths.get(el, 0) <= _TEASER_CHARS * n

    def holds_prose(el: HtmlElement) -> bool:
        n = lengths.get(el, 0)
        if n < _WEAK_MIN_CHARS or n < _WEAK_SHARE * total:
            return False
        if _outweighed_by_title_block(el, protected, index, lengths):
            return False
        linked = sum(len(a.text_content()) for p in el.iter("p") for a in p.iter("a"))
        return linked < 0.3 * n

    doomed: list[tuple[HtmlElement, str]] = []
    stack: list[HtmlElement] = [root]
    while stack:  # document order; a doomed block's descendants are not looked at
        el = stack.pop()
        reason = _doom_reason(
            el, guarded, holds_prose, is_teaser_list, index, protected, story_chain
        )
        if reason is None:
            stack.extend(reversed(el))
            continue
        if reason != "heading":
            doomed.append((el, reason))
            continue
        blocks = _heading_block(el, guarded)
        if blocks == [el] and _COMMENTS_HEADING_RE.match(" ".join(el.text_content().split())):
            blocks = _comments_section(el, lengths, after_story)
        doomed.extend((block, "heading") for block in blocks)
        if el not in blocks:
            stack.extend(reversed(el))
    for el, reason in doomed:
        if _still_attached(el, root):
            drop(el, reason)
    return PruneReport(removed)


def _outweighed_by_title_block(
    el: HtmlElement,
    protected: set[HtmlElement],
    index: ClassIndex,
    lengths: dict[HtmlElement, int],
) -> bool:
    """Whether a sibling of ``el`` named like boilerplate too holds the headline and at least
    as much prose: of blocks named alike (a blog engine's "widget Blog" beside its "widget
    Text" boxes), the one with the headline is the article's, and a smaller one beside it is a
    box of the template. A bigger one (a page builder's text widget beside its title widget)
    is the story."""
    parent = el.getparent()
    if parent is None:
        return False
    n = lengths.get(el, 0)
    return any(
        sibling is not el
        and sibling in protected
        and index.boilerplate(sibling)
        and lengths.get(sibling, 0) >= n
        for sibling in parent
    )


_LOOSE_SPACE = " \t\n\r\xa0\ufeff"  # and the byte-order mark editors leave between runs
_LOOSE_INLINE_TAGS = frozenset({"b", "strong", "i", "em", "u", "span", "font", "a"})


# Elements that sit inside a line of text (an icon in a link, a hidden hint, a script): the
# line goes on after them, so removing one leaves no line break, and loose text with a run of
# them is one paragraph.
PHRASING_TAGS = frozenset(
    {"a", "abbr", "audio", "b", "bdi", "bdo", "br", "button", "canvas", "cite", "code", "data",
     "dfn", "em", "embed", "font", "i", "img", "input", "kbd", "label", "mark", "noscript",
     "object", "output", "picture", "q", "s", "samp", "script", "select", "small", "span",
     "strong", "style", "sub", "sup", "svg", "template", "textarea", "time", "u", "var",
     "video", "wbr"}
)  # fmt: skip
# Elements whose text is one line (a paragraph, a list item, a heading, a link...).
_LINE_TAGS = PHRASING_TAGS | {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "figcaption",
}  # fmt: skip


def _loose_text(parent: HtmlElement) -> tuple[bool, list[HtmlElement]]:
    """Text ``parent`` holds outside any block, as a post written without ``<p>`` does: whether
    its own text starts with some, and the children followed by text (a tail) or that are an
    inline run (``<b>``, ``<span>``, ...) of 50 characters or more."""
    runs = [
        child
        for child in parent
        if (child.tail or "").strip(_LOOSE_SPACE)
        or (
            child.tag in _LOOSE_INLINE_TAGS
            and len(child.text_content().strip()) >= _LOOSE_PROSE_CHARS
        )
    ]
    return bool((parent.text or "").strip(_LOOSE_SPACE)), runs


def _replace_with_line_break(el: HtmlElement) -> None:
    """Put a ``<br>`` (with ``el``'s tail) where ``el`` was: the text runs around a removed
    block stay apart, and trafilatura reads them as the paragraphs they were."""
    parent = el.getparent()
    if parent is None:
        return
    line_break = parent.makeelement("br")
    line_break.tail = el.tail
    parent.replace(el, line_break)


def _is_consent_dialog(el: HtmlElement, keep: list[HtmlElement]) -> bool:
    """Whether ``el``, named like a consent dialog, is one: not the page itself (``html``,
    ``body``, ``main``), and holding no element to keep, ``<h1>``, ``<article>`` or ``<main>``
    (a page wrapper classed "has-cookie-banner" holds them)."""
    if el.tag in _PROTECTED_TAGS or any(_is_ancestor(el, k) for k in keep):
        return False
    return next(el.iter("h1", "article", "main"), None) is None


def _doom_reason(
    el: HtmlElement,
    guarded: Callable[[HtmlElement], bool],
    holds_prose: Callable[[HtmlElement], bool],
    is_teaser_list: Callable[[HtmlElement], bool],
    index: ClassIndex,
    protected: set[HtmlElement],
    story_chain: set[HtmlElement],
) -> str | None:
    """Why :func:`prune` removes ``el`` (a :class:`PruneReport` reason), or None to keep it
    and look at its children. "heading" names a boilerplate heading, whose block the caller
    works out. Blocks of ``story_chain`` hold the story: their names do not count."""
    if not isinstance(el.tag, str):
        return "comment" if isinstance(el, etree._Comment) else None
    tag = el.tag
    if tag in ALWAYS_REMOVED_TAGS:
        return "markup"
    if guarded(el):
        return None
    if tag in STRUCTURAL_BOILERPLATE_TAGS:
        return tag
    if tag == "header" and el not in protected and not _is_section_heading_header(el):
        return "header"
    if (el.get("role") or "").lower() in BOILERPLATE_ROLES:
        return "role"
    if index.boilerplate(el) and el not in story_chain:
        # A comments heading named like its block ("<h2 id='comments'>Comments</h2>") ends the
        # story: the comments after it go with it, not the heading alone.
        if tag in _SECTION_HEADINGS and _is_comments_heading_element(el):
            return "heading"
        if index.strong(el):
            return "token"
        if not holds_prose(el):
            return "weak-token"
    if tag in ("ul", "ol", "dl") and _is_link_list(el):
        return "link-list"
    if is_teaser_list(el):
        return "teasers"
    if tag in _SHORT_BLOCK_TAGS and len(el) <= 8 and not _inline_in_text(el):
        text = short_text(el, _PROMO_MAX_CHARS)  # read once for the three tests below
        if not text:
            return None
        if tag in ("p", "div", "li") and _is_read_also(el, text):
            return "read-also"
        if tag in ("p", "li") and _is_promo(el, text):
            return "promo"
        if tag in _HEADING_TAGS and len(el) <= 2 and is_boilerplate_heading(text):
            return "heading"
    return None


def _is_comments_heading_element(el: HtmlElement) -> bool:
    """Whether ``el``, a sub-heading of at most two child elements, is a comments section's
    title ("Comments", "12 Comments", "Leave a Reply")."""
    if len(el) > 2:
        return False
    text = short_text(el, _PROMO_MAX_CHARS)
    return text is not None and _COMMENTS_HEADING_RE.match(text) is not None


_LINK_LIST_SHARE = 0.5  # "Topic: <a>Teaser headline</a>" items are still teasers


def _is_link_list(el: HtmlElement) -> bool:
    """A list of two or more items that are each nothing but a link: teasers, not prose; a
    definition list whose descriptions are all links (a "TOP STORIES" box, its ``<dt>`` the
    heading)."""
    if el.tag == "dl":
        items = [dd for dd in el if dd.tag == "dd"]
        if not items:
            return False
    else:
        items = [li for li in el if li.tag == "li"]
        if len(items) < 2:
            return False
    for li in items:
        text = len(" ".join(li.text_content().split()))
        linked = sum(len(" ".join(a.text_content().split())) for a in li.iter("a"))
        if text == 0 or linked < _LINK_LIST_SHARE * text:
            return False
    return True


_SECTION_HEADING_CHARS = 200


def _is_section_heading_header(el: HtmlElement) -> bool:
    """Whether the ``<header>`` ``el`` only wraps a section's heading without a link
    (``<header class="accordion-head"><h3>Benefits:</h3></header>``): part of the text, not
    the site's header or a teaser's linked title."""
    text = short_text(el, _SECTION_HEADING_CHARS)
    if not text or next(el.iter("a"), None) is not None:
        return False
    return any(
        short_text(heading, _SECTION_HEADING_CHARS) == text
        for heading in el.iter(*_SECTION_HEADINGS)
    )


def short_text(el: HtmlElement, limit: int) -> str | None:
    """The element's whitespace-collapsed text, or None as soon as it exceeds ``limit`` chars
    (so huge containers are never fully read)."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 3:  # generous before collapsing whitespace
            return None
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else None


_INLINE_TAGS = frozenset({"span", "b", "strong"})
_TEXT_PARENTS = frozenset(
    {"p", "li", "a", "span", "em", "i", "b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"}
)


_BLOCK_CHILDREN = frozenset(
    {"p", "div", "section", "ul", "ol", "table", "article", "h2", "h3", "h4", "figure"}
)


def _inline_in_text(el: HtmlElement) -> bool:
    """An inline element inside running text, or a container of other blocks: neither is a
    short block of its own (its block children are tested one by one)."""
    if el.tag in ("div", "header", "li"):
        return any(child.tag in _BLOCK_CHILDREN for child in el)
    parent = el.getparent()
    return el.tag in _INLINE_TAGS and parent is not None and parent.tag in _TEXT_PARENTS


def _is_promo(el: HtmlElement, text: str) -> bool:
    """A short paragraph (``text``) with a link that asks the reader to subscribe, follow or
    install an app, or that opens with a pictograph (emoji-led shopping and app promos)."""
    return el.find(".//a") is not None and (
        _PROMO_RE.search(text) is not None
        or _PICTOGRAPH_START_RE.match(text) is not None
        or _is_social_follow_line(text)
    )


# "Follow @jroe on Twitter.", "Want more? Follow Jane on Instagram": a sentence of its own.
_SOCIAL_FOLLOW_RE = re.compile(
    r"(?:^|[.!?:]\s+|[-–—]\s*)follow "
    r"(?:@\w|[^.!?]{1,40} on (?:twitter|facebook|instagram|linkedin|tiktok)\b)",
    re.IGNORECASE,
)
_FOLLOW_LINE_SENTENCES = 2


def _is_social_follow_line(text: str) -> bool:
    """A line of one or two sentences, one of which asks the reader to follow someone on a
    social network; a story sentence that mentions following ("If you follow me on Twitter,
    you'll see ...") is not one."""
    return (
        len(sentences(text)) <= _FOLLOW_LINE_SENTENCES
        and _SOCIAL_FOLLOW_RE.search(text) is not None
    )


def _is_read_also(el: HtmlElement, text: str) -> bool:
    """A short block (``text``) like "Lesen Sie auch: <a>Other story</a>" whose rest is mostly
    a link."""
    if not _READ_ALSO_RE.match(text):
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked >= 0.5 * (len(text) - text.find(":") - 1)


def _still_attached(el: HtmlElement, root: HtmlElement) -> bool:
    node = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


# Not the singular "Comment", which is also a sub-headline.
_COMMENTS_HEADING_RE = re.compile(r"^(?:" + "|".join(COMMENTS_HEADINGS) + r")\W*$", re.IGNORECASE)
_STORY_BEFORE_CHARS = 400  # paragraph text before a comments heading that makes it a story's end


class AfterStory:
    """Whether an element comes after the story's start: after a ``<p>`` of prose (twelve words
    or more) that follows an element of ``keep`` (the headline) in document order. The page is
    read once, on the first question; elements are compared by their place in it."""

    def __init__(self, root: HtmlElement, keep: Sequence[HtmlElement]) -> None:
        self._root = root
        self._keep = keep
        self._order: dict[HtmlElement, int] | None = None
        self._first_prose: int | None = None

    def __call__(self, el: HtmlElement) -> bool:
        if self._order is None:
            self._order, self._first_prose = self._read()
        order, first_prose = self._order, self._first_prose
        return first_prose is not None and order.get(el, -1) > first_prose

    def _read(self) -> tuple[dict[HtmlElement, int], int | None]:
        """Every element's place in document order, and the place of the first prose paragraph
        after the kept elements (None without one)."""
        order = {el: i for i, el in enumerate(self._root.iter())}
        # The place of each kept element's last descendant: prose inside it does not count.
        ends = [order[k] + sum(1 for _ in k.iterdescendants()) for k in self._keep if k in order]
        if not ends:
            return order, None
        begin = min(ends)
        first_prose = next(
            (
                order[p]
                for p in self._root.iter("p")
                if order[p] > begin and len(p.text_content().split()) >= _STORY_PARAGRAPH_WORDS
            ),
            None,
        )
        return order, first_prose


def _comments_section(
    heading: HtmlElement, lengths: dict[HtmlElement, int], after_story: AfterStory
) -> list[HtmlElement]:
    """A comments heading whose container cannot go ends the story: the heading and the siblings
    after it, when the story comes before it: 400 characters of paragraph text before it on the
    page, or a paragraph of prose after the headline (``after_story``), as under a short post;
    a heading above the story opens nothing, so then the heading alone goes."""
    after = 0
    node: HtmlElement | None = heading
    while node is not None:
        after += sum(lengths.get(sibling, 0) for sibling in node.itersiblings())
        node = node.getparent()
    root = heading.getroottree().getroot()
    before = lengths.get(root, 0) - after - lengths.get(heading, 0)
    if before < _STORY_BEFORE_CHARS and not after_story(heading):
        return [heading]
    return [heading, *heading.itersiblings()]


_COMMENTS_TOKEN_RE = _group_regex(["comments"])


def _comments_after_story(el: HtmlElement, after_story: AfterStory) -> bool:
    """Whether ``el``, a block (not a link or other phrasing element inside a line), is named
    as a comments section ("comments", "discussion", "disqus") and comes after the story's
    start (``after_story``). Under a short post the readers' comments can outweigh the story."""
    return (
        el.tag not in PHRASING_TAGS
        and _COMMENTS_TOKEN_RE.search(_naming_words(_attrs(el))) is not None
        and after_story(el)
    )


def remove_comment_sections(root: HtmlElement, keep: Sequence[HtmlElement] = ()) -> int:
    """Remove, in place, every comments section after the story: one that a sub-heading opens
    ("12 Comments", "Leave a Reply", "Kommentare (3)" in an ``<h2>``-``<h6>``), the heading and
    the siblings after it, when the story comes before it (:func:`_comments_section`; ``keep``
    holds the headline), as :func:`prune` does when the heading's container cannot go; and a
    block named as one after the story (:func:`_comments_after_story`). Return how many
    sections went. For a reading of the page before pruning, which must not bring the comments
    back."""
    lengths = paragraph_text_lengths(root)
    after_story = AfterStory(root, keep)
    removed = 0
    for heading in list(root.iter(*_SECTION_HEADINGS)):
        if not _still_attached(heading, root) or not _is_comments_heading_element(heading):
            continue
        blocks = _comments_section(heading, lengths, after_story)
        if len(blocks) < 2:
            continue
        for block in blocks:
            block.drop_tree()
        removed += 1
    if keep:
        for el in list(root.iter(etree.Element)):
            if _comments_after_story(el, after_story) and _still_attached(el, root):
                el.drop_tree()
                removed += 1
    return removed


def _heading_block(
    heading: HtmlElement, guarded: Callable[[HtmlElement], bool]
) -> list[HtmlElement]:
    """The block a boilerplate heading opens: its parent when the parent is a small container,
    else the heading itself plus a link list right after it."""
    parent = heading.getparent()
    if (
        parent is not None
        and not guarded(parent)
        and parent.tag in ("div", "section", "aside", "li", "ul", "nav")
        and len(parent) <= 12
    ):
        return [parent]
    blocks = [heading]
    following = heading.getnext()
    if following is not None and following.tag in ("ul", "ol") and not guarded(following):
        blocks.append(following)
    return blocks
