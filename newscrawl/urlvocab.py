"""The URL path vocabulary of pages that are not articles, in one place.

Three uses, three sets, built from shared word groups:

- :data:`EXCLUDED_SEGMENTS`: a path segment that means "never fetch" (admin, login, feed, AMP,
  print, share URLs); read by :func:`newscrawl.discovery.links.is_excluded_url`.
- :data:`LISTING_PREFIXES` and :data:`NON_ARTICLE_LEAVES`: the first and the last path segment of
  a URL that does not look like a story; read by :func:`newscrawl.discovery.links.looks_like_article`
  before a page is fetched.
- :data:`NON_ARTICLE_SEGMENTS` (as :data:`NON_ARTICLE_PATH_RE`): a path segment anywhere that marks
  a fetched page as a listing or service page; read by :func:`newscrawl.validation.is_article_page`.

Words are lower-case; every reader lower-cases (or matches case-insensitively) before looking up.
"""

from __future__ import annotations

import re

# Listing pages named alike by all three checks: tags, categories, authors, topics, archives,
# search results, page N.
LISTING_WORDS = frozenset(
    {
        "tag", "tags", "category", "categories", "author", "authors", "topics", "archive",
        "archives", "page", "search",
    }
)  # fmt: skip
# Listing words of other languages and spellings that the URL shape check and the page check share.
MORE_LISTING_WORDS = frozenset({"topic", "autor", "thema", "themen"})
# Service pages: about, contact, legal and privacy notices, newsletters, accounts, feeds.
SERVICE_WORDS = frozenset(
    {
        "about", "about-us", "contact", "contact-us", "impressum", "imprint", "kontakt",
        "privacy", "privacy-policy", "datenschutz", "terms", "agb", "newsletter", "subscribe",
        "login", "register", "sitemap", "feed", "rss",
    }
)  # fmt: skip

# Path segments of admin, login, feed, AMP, print and share URLs: never requested.
EXCLUDED_SEGMENTS = frozenset(
    {
        "wp-admin", "wp-login.php", "wp-json", "wp-includes", "wp-content", "xmlrpc.php",
        "wp-cron.php", "cgi-bin", "feed", "feeds", "rss", "atom", "amp", "login", "logout",
        "signin", "sign-in", "signup", "sign-up", "register", "cart", "checkout", "my-account",
        "print", "share", "search", "oauth", "sso",
    }
)  # fmt: skip

# First path segments of listing pages: /tag/x, /category/x/y, /author/x, /page/2 ...
LISTING_PREFIXES = LISTING_WORDS | MORE_LISTING_WORDS | {
    "section", "sections", "user", "users", "profile", "profiles", "label", "labels", "series",
    "rubrik", "kategorie", "schlagwort", "schlagworte",
}  # fmt: skip

# First path segments that hold posts as well as listings: ``/archives/<post>`` is one post
# (WordPress permalinks), ``/archives/category/x`` and ``/archives/2024`` are listings.
ARCHIVE_PREFIXES = frozenset({"archive", "archives"})

# Last path segments (extension removed) of home, listing and service pages.
NON_ARTICLE_LEAVES = LISTING_WORDS | SERVICE_WORDS | {
    "index", "home", "default", "main", "news", "latest", "sections", "privacy-notice",
    "cookies", "cookie-policy", "terms-of-service", "terms-of-use", "terms-and-conditions",
    "legal", "newsletters", "subscription", "advertise", "advertise-with-us", "jobs", "careers",
    "faq", "help", "accessibility", "corrections", "editorial-standards", "code-of-conduct",
    "work-with-us",
}  # fmt: skip

# Path segments, anywhere in the path, of pages that list or describe rather than report.
NON_ARTICLE_SEGMENTS = LISTING_WORDS | MORE_LISTING_WORDS | SERVICE_WORDS | {
    "autoren", "suche", "recherche", "buscar", "seite", "archiv", "abo", "account",
}  # fmt: skip

# The home page, or a path with a NON_ARTICLE_SEGMENTS segment (also as the leaf ``x.htm(l)``).
NON_ARTICLE_PATH_RE = re.compile(
    r"^/?$|/(?:"
    + "|".join(re.escape(word) for word in sorted(NON_ARTICLE_SEGMENTS))
    + r")(?:/|$|\.html?$)",
    re.IGNORECASE,
)
