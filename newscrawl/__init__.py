"""newscrawl: a Scrapy news crawler that stores one clean, normalized record per article."""

__version__ = "0.1.0"
