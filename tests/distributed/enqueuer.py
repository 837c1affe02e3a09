"""A worker that only queues: ``python -m tests.distributed.enqueuer REDIS_URL`` joins a shared
run of the site ``gazette`` and sends new requests through the shared frontier's scheduler
until it is stopped or killed (the reactor never runs: no fetch, no tick)."""

from __future__ import annotations

import itertools
import sys

from scrapy import Request, Spider
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

from newscrawl.distributed import SharedFrontierScheduler


def main(redis_url: str) -> None:
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    crawler = get_crawler(Spider, {"NEWSCRAWL_REDIS_URL": redis_url})
    spider = Spider(name="gazette")
    scheduler = SharedFrontierScheduler.from_crawler(crawler)
    scheduler.open(spider)
    print("queueing", flush=True)
    for n in itertools.count():
        scheduler.enqueue_request(Request(f"http://gazette.test/2024/05/03/story-{n}/"))


if __name__ == "__main__":
    main(sys.argv[1])
