"""Scrapy spiders. ``news`` (:mod:`newscrawl.spiders.news`) crawls one site, ad hoc or from the
sites file; discovery logic lives in :mod:`newscrawl.discovery`."""
