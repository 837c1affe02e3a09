"""What every request of the news spider says about itself, shared by the spider, the frontier
and the downloader middlewares (which never import the spider).

Each request carries its kind in ``request.meta[META_KIND]``: start pages, feeds, sitemaps and
robots.txt are always fetched; only ``page`` requests are subject to incremental skipping.
"""

from __future__ import annotations

META_KIND = "newscrawl_kind"  # one of REQUEST_KINDS
META_DEPTH = "newscrawl_depth"  # link hops from a start page
META_HINTS = "newscrawl_hints"  # DiscoveryHints from a feed or sitemap entry
META_URL = "newscrawl_url"  # the URL as scheduled (the response URL may differ after redirects)
META_SITEMAP_DEPTH = "newscrawl_sitemap_depth"  # 0 for a sitemap from config or robots.txt
# Set by the incremental middleware on a page request it did not fetch, before IgnoreRequest:
META_NOT_FETCHED = "newscrawl_not_fetched"
NOT_FETCHED_STORED = "stored"  # the article is stored and outside its recrawl window
NOT_FETCHED_UNCHANGED = "not-modified"  # the server answered 304 Not Modified

KIND_START = "start"  # a start page of the site: always fetched
KIND_PAGE = "page"  # a page found through a link, feed or sitemap
KIND_FEED = "feed"
KIND_SITEMAP = "sitemap"
KIND_ROBOTS = "robots"
REQUEST_KINDS = (KIND_START, KIND_PAGE, KIND_FEED, KIND_SITEMAP, KIND_ROBOTS)

DISCOVERY_PRIORITY = 20  # robots.txt, feeds, sitemaps: read them early, their entries carry hints
ARTICLE_PRIORITY = 10  # pages that look like articles before navigation pages
PAGE_PRIORITY = 0
