"""``python -m tests.distributed.idle_clock REDIS_URL``: a worker whose frontier goes empty, then
takes one request and finishes it between two idle checks, prints whether the second check kept
it open ("open") or let it stop ("stop"). The reactor and engine never run; the request's ack
is done directly, as the worker's tick would after Scrapy handled the response."""

from __future__ import annotations

import sys
import time

import redis
from scrapy import Request, Spider
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

from newscrawl.distributed import RunKeys, SharedFrontierScheduler

IDLE_CLOSE = 0.5


def idle_check(scheduler: SharedFrontierScheduler, spider: Spider) -> str:
    try:
        scheduler.spider_idle(spider)
    except DontCloseSpider:
        return "open"
    return "stop"


def main(redis_url: str) -> None:
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    crawler = get_crawler(
        Spider, {"NEWSCRAWL_REDIS_URL": redis_url, "NEWSCRAWL_REDIS_IDLE_CLOSE": IDLE_CLOSE}
    )
    spider = Spider(name="clock")
    scheduler = SharedFrontierScheduler.from_crawler(crawler)
    scheduler.open(spider)
    client = redis.Redis.from_url(redis_url)
    run = client.get(RunKeys.pointer_of("clock"))
    assert run is not None
    keys = RunKeys("clock", run.decode())
    print("empty frontier:", idle_check(scheduler, spider), flush=True)  # the clock starts
    time.sleep(IDLE_CLOSE + 0.2)
    assert scheduler.enqueue_request(Request("http://clock.test/2024/05/03/story/"))
    assert scheduler.next_request() is not None
    # The request is done and acknowledged, as the worker's tick does once Scrapy has handled
    # the response (there is no engine here to ask): out of Redis and of the worker's own map.
    for key in client.scan_iter(f"{keys.base}:inflight:*"):
        client.delete(key)
    scheduler._inflight.clear()
    print("after work:", idle_check(scheduler, spider), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
