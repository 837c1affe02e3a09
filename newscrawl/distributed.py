"""URL-level workers: several `scrapy crawl news -a site=NAME` processes share a Redis frontier.

With ``NEWSCRAWL_REDIS_URL`` set, :class:`RedisFrontierAddon` swaps Scrapy's scheduler for
:class:`SharedFrontierScheduler`, built on scrapy-redis 0.9.1's priority queue and dupefilter
(pinned in ``requirements-scale.txt``), and handles that release's pitfalls with Scrapy 2.19
(``../shared/docs/infra-notes.md`` section 3):

* **Shared queue flushed by the first worker to close**: the queue always persists; the keys of a
  run are deleted by the last worker to leave, and only when the frontier is empty (Lua,
  atomically). A worker that stops early (SIGTERM, limit) hands its unanswered requests back.
* **Idle-close clock**: scrapy-redis's ``MAX_IDLE_TIME_BEFORE_CLOSE`` is not used. A worker stops
  once the *whole* frontier (the queue and every live worker's in-flight requests) has stayed
  empty for ``NEWSCRAWL_REDIS_IDLE_CLOSE`` seconds on its own clock (0: run until stopped); the
  clock restarts whenever the worker takes a request.
* **Dead ``start_requests``**: newscrawl's spider uses ``async def start()``. The first worker of a
  run claims it (``SET NX`` on the run key) and seeds the start requests; the others run ``start``
  for its bookkeeping but drop its requests (:class:`SeedOnceMiddleware`).
* **Dupefilter breaking recurring crawls**: keys are per run (``newscrawl:<site>:<run>:…``), so a
  later crawl of the site starts from a fresh queue and dupefilter. An interrupted run (keys left
  with requests queued) is resumed by the next worker instead.

SIGKILL: scrapy-redis pops requests destructively, so a killed worker would lose what it was
fetching. Here a pop moves the request into the worker's in-flight set (Lua, atomically); it is
removed once Scrapy has finished with it (downloaded, its callback run, its items through the
pipelines). Workers refresh a heartbeat key; the in-flight set of a worker whose heartbeat
expired is moved back into the queue by any other worker (re-queue of unanswered requests). A
request is marked seen by the dupefilter and queued in one step (Lua), so a killed worker cannot
leave a URL seen but in no queue, where every worker's dupefilter would drop it.
Articles are upserts, so a page fetched again is never stored twice.

Politeness: ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY`` and
``AUTOTHROTTLE_TARGET_CONCURRENCY`` are totals for the site: each of the
``NEWSCRAWL_REDIS_WORKERS`` workers gets its share (:func:`politeness_share`).

Redis gone mid-crawl (unreachable, or restarted and the run's keys lost): the worker stops at once
with an error naming the Redis URL (password hidden) and records its run as failed; running the
crawl again completes the set.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit, urlunsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "newscrawl"
TICK_SECONDS = 0.5  # acks, heartbeat, wake-up of an idle engine
HEARTBEAT_TTL_MS = 10_000  # a worker silent this long is dead: its in-flight requests go back
REDIS_FAILED = "redis_unavailable"  # close reason of a worker that lost Redis

_POLITENESS_TOTALS = (
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
)

# Pop the best request and keep it in the worker's in-flight set, atomically.
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('ZADD', KEYS[2], r[2], r[1])
return r[1]
"""
# Mark a request seen and queue it, atomically: a worker killed between the two would leave its
# URL seen by the dupefilter but in no queue, lost to every worker.
# KEYS: queue, dupefilter; ARGV: fingerprint ('' for dont_filter), score, request.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
return 1
"""
# Move a dead (or leaving) worker's in-flight requests back into the queue.
# KEYS: queue, inflight, workers, heartbeat; ARGV: worker id, "check" to require a dead heartbeat.
_REQUEUE = """
if ARGV[2] == 'check' and redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local n = redis.call('ZCARD', KEYS[2])
if n > 0 then redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN') end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return n
"""
# Delete a finished run's keys: only if it is still the site's run, has no workers and no queue.
# KEYS: pointer, queue, dupefilter, workers; ARGV: run id.
_END_RUN = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('SCARD', KEYS[4]) > 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
"""


@dataclass(frozen=True, slots=True)
class RunKeys:
    """The Redis keys of one site's shared crawl run."""

    site: str
    run: str

    @staticmethod
    def pointer_of(site: str) -> str:
        """The key holding the id of the site's current run."""
        return f"{KEY_PREFIX}:{site}:run"

    @property
    def pointer(self) -> str:
        return self.pointer_of(self.site)

    @property
    def base(self) -> str:
        return f"{KEY_PREFIX}:{self.site}:{self.run}"

    @property
    def requests(self) -> str:
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        return f"{self.base}:workers"

    def inflight(self, worker: str) -> str:
        return f"{self.base}:inflight:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"


@dataclass(frozen=True, slots=True)
class Politeness:
    """One worker's share of the site's politeness totals."""

    concurrency: int
    delay: float
    target_concurrency: float


def politeness_share(
    concurrency: int, delay: float, target_concurrency: float, workers: int
) -> Politeness:
    """Each of ``workers`` workers' share of per-site totals: concurrency and AutoThrottle's
    target divided, the delay multiplied. Concurrency is at least 1 per worker, so the total is
    ``max(concurrency, workers)``; with a delay, each worker still sends one request per
    ``delay * workers`` seconds, so the site sees one per ``delay`` on average."""
    if workers < 1:
        raise ValueError(f"NEWSCRAWL_REDIS_WORKERS must be at least 1, got {workers}")
    return Politeness(
        concurrency=max(1, concurrency // workers),
        delay=delay * workers,
        target_concurrency=target_concurrency / workers,
    )


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for log and error messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class RedisUnavailable(RuntimeError):
    """Redis cannot be reached, or lost the run's keys (a restart without persistence)."""


# --- settings -----------------------------------------------------------------------------------


class RedisFrontierAddon:
    """Scrapy add-on: with ``NEWSCRAWL_REDIS_URL`` set, use the shared frontier and divide the
    per-site politeness totals among ``NEWSCRAWL_REDIS_WORKERS`` workers."""

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("NEWSCRAWL_REDIS_URL"):
            return
        settings.set("SCHEDULER", f"{__name__}.SharedFrontierScheduler", priority="cmdline")
        settings["SPIDER_MIDDLEWARES"][f"{__name__}.SeedOnceMiddleware"] = 10
        share = politeness_share(
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY", 1.0),
            settings.getint("NEWSCRAWL_REDIS_WORKERS", 1),
        )
        values = (share.concurrency, share.delay, share.target_concurrency)
        for key, value in zip(_POLITENESS_TOTALS, values, strict=True):
            settings.set(key, value, priority=settings.getpriority(key) or 0)


# --- the scheduler ------------------------------------------------------------------------------

_FRONTIERS: weakref.WeakKeyDictionary[Crawler, SharedFrontierScheduler] = (
    weakref.WeakKeyDictionary()
)


def shared_frontier(crawler: Crawler) -> SharedFrontierScheduler | None:
    """The crawler's shared frontier scheduler, if it has one."""
    return _FRONTIERS.get(crawler)


def connect(url: str) -> redis.Redis:
    """A Redis client for ``url``; raises :class:`RedisUnavailable` (password hidden) if it
    does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"Redis at {redacted(url)} unavailable: {exc}") from exc
    return client


class SharedFrontierScheduler:
    """Scrapy scheduler over a per-run scrapy-redis priority queue and dupefilter, with
    per-worker in-flight sets, heartbeats, a seed claim and a whole-frontier idle clock."""

    def __init__(self, crawler: Crawler, url: str, idle_close: float) -> None:
        self.crawler = crawler
        self.url = url
        self.idle_close = idle_close
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.seeds = False
        self.server: redis.Redis | None = None
        self.keys: RunKeys | None = None
        self.failed = False
        self._inflight: dict[bytes, Request] = {}
        self._idle_since: float | None = None
        self._tick: Any = None
        self._last_reclaim = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = crawler.settings.get("NEWSCRAWL_REDIS_URL")
        if not url:
            raise NotConfigured("NEWSCRAWL_REDIS_URL is not set")
        scheduler = cls(crawler, url, crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE", 30))
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        _FRONTIERS[crawler] = scheduler
        return scheduler

    # --- Scrapy's scheduler interface ---------------------------------------------------------

    def open(self, spider: Spider) -> None:
        from scrapy_redis.dupefilter import RFPDupeFilter
        from scrapy_redis.queue import PriorityQueue

        self.spider = spider
        self.server = connect(self.url)
        site = getattr(getattr(spider, "site", None), "name", spider.name)
        self.keys, self.seeds = join_run(self.server, site, self.worker)
        self.queue = PriorityQueue(self.server, spider, self.keys.requests)
        self.df = RFPDupeFilter(self.server, self.keys.dupefilter)
        self._pop = self.server.register_script(_POP)
        self._push = self.server.register_script(_PUSH)
        self._requeue = self.server.register_script(_REQUEUE)
        self._end_run = self.server.register_script(_END_RUN)
        queued = len(self.queue)
        logger.info(
            "Shared frontier %s at %s: worker %s %s (%d requests queued)",
            self.keys.base,
            redacted(self.url),
            self.worker,
            "seeds the run" if self.seeds else "joined the run",
            queued,
        )
        from scrapy.utils.asyncio import create_looping_call

        self._tick = create_looping_call(self.tick)
        self._tick.start(TICK_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        if self.server is None or self.keys is None or self.failed:
            return
        import redis

        try:
            self._leave()
        except redis.RedisError as exc:
            logger.error("Could not leave the shared frontier %s: %s", self.keys.base, exc)

    def has_pending_requests(self) -> bool:
        if self.failed:
            return False
        try:
            return len(self.queue) > 0
        except Exception as exc:  # noqa: BLE001 - any Redis error stops the worker
            self._fail(exc)
            return False

    def enqueue_request(self, request: Request) -> bool:
        if self.failed or self.keys is None:
            return False
        try:
            fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
            data = self.queue._encode_request(request)
            queued = self._push(
                keys=[self.keys.requests, self.keys.dupefilter],
                args=[fingerprint, -request.priority, data],
            )
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return False
        if not queued:
            self.df.log(request, self.spider)
            return False
        self._inc("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.failed or self.keys is None:
            return None
        try:
            member = self._pop(keys=[self.keys.requests, self.keys.inflight(self.worker)])
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return None
        if member is None:
            return None
        request: Request = self.queue._decode_request(member)
        self._inflight[member] = request
        self._idle_since = None  # work taken between two idle checks restarts the idle clock
        self._inc("scheduler/dequeued/redis")
        return request

    def __len__(self) -> int:
        return len(self.queue)

    # --- coordination ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Every TICK_SECONDS: ack finished requests, heartbeat, check the run still exists,
        re-queue dead workers' requests, and wake the engine (it polls only every 5 s)."""
        if self.failed or self.server is None or self.keys is None:
            return
        try:
            self._ack_done()
            self.server.set(self.keys.heartbeat(self.worker), b"1", px=HEARTBEAT_TTL_MS)
            current = self.server.get(self.keys.pointer)
            if current is None or _text(current) != self.keys.run:
                raise RedisUnavailable(
                    f"run {self.keys.run} of {self.keys.site} vanished from Redis "
                    "(restarted without persistence, or its keys were deleted)"
                )
            self.server.sadd(self.keys.workers, self.worker)
            if time.monotonic() - self._last_reclaim >= 2 * TICK_SECONDS:
                self._last_reclaim = time.monotonic()
                self._reclaim_dead()
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open until the whole frontier has been empty for ``idle_close``."""
        if self.failed:
            return
        if self.idle_close <= 0:
            raise DontCloseSpider
        try:
            busy = self.frontier_busy()
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        now = time.monotonic()
        if busy:
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_close:
            raise DontCloseSpider
        logger.info(
            "Shared frontier %s empty for %.0f s: worker %s stops",
            self.keys.base if self.keys else "?",
            self.idle_close,
            self.worker,
        )

    def frontier_busy(self) -> bool:
        """True while requests are queued or in flight at any live worker (dead workers' are
        re-queued first)."""
        assert self.server is not None and self.keys is not None
        self._ack_done()
        self._reclaim_dead()
        if self.server.zcard(self.keys.requests) > 0:
            return True
        workers = [_text(w) for w in self.server.smembers(self.keys.workers)]
        return any(self.server.zcard(self.keys.inflight(w)) > 0 for w in workers)

    def _ack_done(self) -> None:
        """Drop from the in-flight set the requests Scrapy has finished with (downloaded,
        callback run, items through the pipelines): the engine's in-progress set lost them."""
        if not self._inflight:
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if in_progress is None:
            return
        done = [m for m, request in self._inflight.items() if request not in in_progress]
        if done and self.server is not None and self.keys is not None:
            self.server.zrem(self.keys.inflight(self.worker), *done)
            for member in done:
                del self._inflight[member]

    def _reclaim_dead(self) -> None:
        assert self.server is not None and self.keys is not None
        for raw in self.server.smembers(self.keys.workers):
            worker = _text(raw)
            if worker == self.worker:
                continue
            moved = self._requeue(
                keys=[
                    self.keys.requests,
                    self.keys.inflight(worker),
                    self.keys.workers,
                    self.keys.heartbeat(worker),
                ],
                args=[worker, "check"],
            )
            if moved >= 0:
                logger.warning(
                    "Worker %s of %s stopped answering: %d unanswered requests re-queued",
                    worker,
                    self.keys.base,
                    moved,
                )
                self._inc("newscrawl/redis/requeued_from_dead_workers", int(moved))

    def _leave(self) -> None:
        """Hand back unanswered requests, unregister, and end the run if it is over."""
        assert self.server is not None and self.keys is not None
        self._ack_done()
        returned = self._requeue(
            keys=[
                self.keys.requests,
                self.keys.inflight(self.worker),
                self.keys.workers,
                self.keys.heartbeat(self.worker),
            ],
            args=[self.worker, "leave"],
        )
        self.server.delete(self.keys.heartbeat(self.worker))
        if returned:
            logger.info("Handed %d unanswered requests back to %s", returned, self.keys.base)
        self._reclaim_dead()
        ended = self._end_run(
            keys=[self.keys.pointer, self.keys.requests, self.keys.dupefilter, self.keys.workers],
            args=[self.keys.run],
        )
        if ended:
            logger.info("Shared frontier %s is done: its keys were deleted", self.keys.base)

    def _fail(self, exc: BaseException) -> None:
        """Stop this worker with a clear error: Redis is gone or lost the run."""
        if self.failed:
            return
        self.failed = True
        detail = str(exc) if isinstance(exc, RedisUnavailable) else f"{type(exc).__name__}: {exc}"
        logger.error(
            "Shared frontier at %s lost (%s): stopping worker %s; run the crawl again to "
            "complete the set",
            redacted(self.url),
            detail,
            self.worker,
        )
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawl/redis/error", detail)
        from scrapy.utils.asyncio import call_later

        call_later(0, self._close_spider)

    def _close_spider(self) -> None:
        from scrapy.utils.defer import deferred_from_coro

        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=REDIS_FAILED))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)


def join_run(server: redis.Redis, site: str, worker: str) -> tuple[RunKeys, bool]:
    """Register ``worker`` in the site's current run, or start a new one; True when this worker
    started it (and seeds it). A run left with no live worker and nothing queued or in flight is
    over: it is deleted and a fresh one started (a recurring crawl starts from a fresh frontier)."""
    pointer = RunKeys.pointer_of(site)
    end_run = server.register_script(_END_RUN)
    requeue = server.register_script(_REQUEUE)
    for _attempt in range(5):
        run = uuid.uuid4().hex[:16]
        if server.set(pointer, run, nx=True):
            keys = RunKeys(site, run)
            _register(server, keys, worker)
            return keys, True
        current = server.get(pointer)
        if current is None:
            continue
        keys = RunKeys(site, _text(current))
        for raw in server.smembers(keys.workers):
            dead = _text(raw)
            requeue(
                keys=[keys.requests, keys.inflight(dead), keys.workers, keys.heartbeat(dead)],
                args=[dead, "check"],
            )
        if end_run(
            keys=[keys.pointer, keys.requests, keys.dupefilter, keys.workers], args=[keys.run]
        ):
            continue  # the old run was over: start a fresh one
        _register(server, keys, worker)
        if server.get(pointer) == current:
            return keys, False
    raise RedisUnavailable(f"could not join or start a shared run of {site}")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _register(server: redis.Redis, keys: RunKeys, worker: str) -> None:
    server.set(keys.heartbeat(worker), b"1", px=HEARTBEAT_TTL_MS)
    server.sadd(keys.workers, worker)


# --- start requests -----------------------------------------------------------------------------


class SeedOnceMiddleware:
    """Spider middleware: only the worker that started the shared run sends the spider's start
    requests; the others run ``start()`` for its bookkeeping and drop its requests."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        frontier = shared_frontier(self.crawler)
        if frontier is None or frontier.seeds:
            async for item_or_request in start:
                yield item_or_request
            return
        dropped = sum([1 async for _ in start])
        logger.info("Joined a seeded run: %d start requests left to the seeding worker", dropped)
