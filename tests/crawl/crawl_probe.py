"""Test-only Scrapy extension: writes what a crawl did to a JSON file when the spider closes.

Enabled in a ``scrapy crawl`` subprocess with ``PYTHONPATH=tests/crawl`` and::

    -s 'EXTENSIONS={"crawl_probe.CrawlProbe": 0}' -s CRAWL_PROBE_FILE=/tmp/probe.json

The file holds ``reason``, ``stats`` (the crawl stats), ``requests`` (each request as it reached
the downloader, with its download slot's delay and jitter at that moment) and ``items`` (each
scraped item's URL and ``fetched_at`` in ISO 8601, offset included).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler


class CrawlProbe:
    """Records requests, slot delays, items and stats; writes them at spider close."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.requests: list[dict[str, Any]] = []
        self.items: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("CRAWL_PROBE_FILE")
        if not path:
            raise NotConfigured("CRAWL_PROBE_FILE not set")
        probe = cls(crawler, Path(path))
        crawler.signals.connect(
            probe.request_reached_downloader, signals.request_reached_downloader
        )
        crawler.signals.connect(probe.item_scraped, signals.item_scraped)
        crawler.signals.connect(probe.spider_closed, signals.spider_closed)
        return probe

    def request_reached_downloader(self, request: Request, spider: Spider) -> None:
        assert self.crawler.engine is not None
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot", ""))
        self.requests.append(
            {
                "url": request.url,
                "delay": slot.delay if slot else None,
                "jitter": slot.jitter if slot else None,
            }
        )

    def item_scraped(self, item: Any, spider: Spider) -> None:
        self.items.append({"url": item.url, "fetched_at": item.fetched_at.isoformat()})

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        payload = {
            "reason": reason,
            "stats": self.crawler.stats.get_stats(),
            "requests": self.requests,
            "items": self.items,
        }
        self.path.write_text(json.dumps(payload, default=str, indent=1), encoding="utf-8")
