"""Discovery: finding article URLs before they are fetched.

Plain functions, no Scrapy objects: :mod:`~newscrawl.discovery.sitemaps` (sitemaps, news
sitemaps, robots.txt ``Sitemap:`` lines), :mod:`~newscrawl.discovery.feeds` (RSS, Atom, JSON Feed,
feed autodiscovery) and :mod:`~newscrawl.discovery.links` (link extraction, URL policy, article-URL
heuristics, crawler-trap guard). The ``news`` spider wires them together.
"""
