"""Recurring crawls: each scheduled site's crawl runs as its own ``scrapy crawl`` process.

One crawl = one subprocess (``scrapy crawl news -a site=NAME``, from the project root, with the
scheduler's environment and ``-s NEWSCRAWL_SITES_FILE=<the sites file>``): Twisted's reactor
cannot be restarted inside one process, and a crashing crawl cannot take the scheduler with it.

Never two crawls of one site at once, also across scheduler processes and hosts: before a crawl
starts, the scheduler takes the database lease ``crawl:<site>`` (:meth:`ArticleStore.try_lock`,
``NEWSCRAWL_LOCK_TTL``) and renews it every third of its TTL while the crawl runs. A scheduler
that cannot take it logs who holds it and skips the site. A crawl that is still recorded as
``running`` by a live process on this host (left behind by a scheduler that was killed) also
blocks its site.

After every crawl the scheduler makes sure the run is recorded: a process that died without
closing its run (SIGKILL, crash) has its run marked ``failed``; one that died before it could
record anything gets a ``failed`` run row of its own. Either way it logs an error and goes on.

Stopping (SIGTERM or SIGINT): no new crawls start; running crawls get ``NEWSCRAWL_SCHEDULER_GRACE``
seconds to finish, then SIGTERM (Scrapy shuts down gracefully and the run is recorded as
``killed``), then SIGKILL after ``NEWSCRAWL_SCHEDULER_KILL_AFTER`` more seconds. A second signal
ends the grace period at once. Crawls run in their own session, so a Ctrl-C in the terminal
reaches the scheduler only, which then applies the grace period.

When is a site due (``--once``, and the first run of the long-running scheduler)? When it has
never run, when its last run started at least its interval ago (less a small tolerance, so that
a cron tick that comes a second early does not skip a whole interval), or, for a cron schedule,
when a fire time has passed since its last run started. Cron expressions are evaluated in UTC.

The long-running scheduler uses APScheduler 3 (``BackgroundScheduler``) with its in-memory job
store: the jobs are rebuilt from the sites file at every start and their next run times from the
``crawl_runs`` history, so a persistent job store would only duplicate (and could contradict)
state the sites file and the database already hold; and APScheduler 3 does not coordinate
processes sharing a job store anyway, which the database lease does.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

from newscrawl.sites import Schedule, SiteConfig

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from newscrawl.storage import ArticleStore, CrawlRun

logger = logging.getLogger(__name__)

LOCK_PREFIX = "crawl:"
POLL_SECONDS = 0.5  # how often a supervising thread looks at its crawl
MAX_DUE_TOLERANCE = timedelta(minutes=1)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

OutcomeStatus = Literal["finished", "failed", "killed", "locked", "not-due", "stopped"]


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    """How the scheduler starts and supervises crawls."""

    sites_file: Path
    project_root: Path
    grace: float = 60.0  # seconds running crawls get after a stop request
    kill_after: float = 30.0  # seconds between SIGTERM and SIGKILL
    lock_ttl: float = 300.0  # seconds; the lease is renewed every third of it
    max_crawls: int = 4  # crawls of different sites at once
    crawl_settings: tuple[tuple[str, str], ...] = ()  # extra `-s KEY=VALUE` for every crawl
    python: str = sys.executable
    scrapyd_urls: tuple[str, ...] = ()  # dispatch crawls to these nodes (newscrawl.dispatch)
    # Wall-clock limit of a crawl whose site sets none (NEWSCRAWL_TIME_LIMIT; 0: none). The crawl
    # stops itself then (CLOSESPIDER_TIMEOUT); one still running time_limit_slack seconds later
    # (a blocked reactor) is stopped here: SIGTERM, then SIGKILL, and its run recorded failed.
    time_limit: float = 4 * 3600.0
    time_limit_slack: float = 60.0


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    """What became of one attempt to crawl a site."""

    site: str
    status: OutcomeStatus
    run_id: int | None = None
    returncode: int | None = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        """True for a crawl that ran and did not finish (``failed`` or ``killed``)."""
        return self.status in ("failed", "killed")


# --- when a site is due -------------------------------------------------------------------------


def cron_trigger(expression: str) -> BaseTrigger:
    """The APScheduler trigger of a five-field cron expression, in UTC."""
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger.from_crontab(expression, timezone=UTC)


def make_trigger(schedule: Schedule) -> BaseTrigger:
    """The APScheduler trigger for a site's schedule (interval or cron)."""
    if schedule.cron is not None:
        return cron_trigger(schedule.cron)
    from apscheduler.triggers.interval import IntervalTrigger

    assert schedule.interval is not None
    return IntervalTrigger(seconds=schedule.interval.total_seconds(), timezone=UTC)


def due_tolerance(interval: timedelta) -> timedelta:
    """How early an interval site counts as due: a tenth of the interval, at most a minute."""
    return min(interval / 10, MAX_DUE_TOLERANCE)


def is_due(schedule: Schedule, last_started: datetime | None, now: datetime) -> bool:
    """True when a site with ``schedule`` whose last run started at ``last_started`` (None:
    never) should be crawled at ``now`` (see the module doc)."""
    if last_started is None:
        return True
    if schedule.interval is not None:
        return now - last_started >= schedule.interval - due_tolerance(schedule.interval)
    assert schedule.cron is not None
    fire = cron_trigger(schedule.cron).get_next_fire_time(
        None, last_started + timedelta(microseconds=1)
    )
    return fire is not None and fire <= now


def first_run_time(
    schedule: Schedule, last_started: datetime | None, now: datetime
) -> datetime | None:
    """When the long-running scheduler should first crawl a site: now if it is due, the end of
    its interval otherwise; None for a cron site that is not due (its trigger decides)."""
    if is_due(schedule, last_started, now):
        return now
    if schedule.interval is not None and last_started is not None:
        return last_started + schedule.interval
    return None


def scheduled_sites(sites: dict[str, SiteConfig]) -> list[SiteConfig]:
    """The sites that have a schedule, by name."""
    return [sites[name] for name in sorted(sites) if sites[name].schedule is not None]


def crawl_command(site: str, options: SchedulerOptions) -> list[str]:
    """The ``scrapy crawl`` command line for one site."""
    command = [options.python, "-m", "scrapy", "crawl", "news", "-a", f"site={site}"]
    command += ["-s", f"NEWSCRAWL_SITES_FILE={options.sites_file}"]
    for key, value in options.crawl_settings:
        command += ["-s", f"{key}={value}"]
    return command


def describe_exit(returncode: int | None) -> str:
    """``exit status 1`` or ``killed by SIGKILL`` for a Popen return code."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


# --- one crawl ----------------------------------------------------------------------------------


class CrawlRunner:
    """Runs one site's crawl under its lease and records how it ended (thread-safe)."""

    def __init__(
        self,
        options: SchedulerOptions,
        store: ArticleStore,
        *,
        stop: threading.Event,
        hurry: threading.Event,
    ) -> None:
        self.options = options
        self.store = store
        self.stop = stop  # no new crawls; running ones get the grace period (stop_requested)
        self.hurry = hurry  # end the grace period now
        self.hostname = socket.gethostname()
        self._stop_requested_at: float | None = None
        self._guard = threading.Lock()

    def stop_requested(self) -> None:
        """Record when the stop was requested (the grace period counts from it)."""
        with self._guard:
            if self._stop_requested_at is None:
                self._stop_requested_at = time.monotonic()
        self.stop.set()

    def run(self, site: SiteConfig, *, only_if_due: bool = False) -> CrawlOutcome:
        """Crawl ``site`` unless stopping, locked by another crawl, or (``only_if_due``) not due.

        A database error is logged and returned as a ``failed`` outcome, never raised.
        """
        from sqlalchemy.exc import SQLAlchemyError

        if self.stop.is_set():
            return CrawlOutcome(site.name, "stopped")
        try:
            return self._run_locked(site, only_if_due)
        except SQLAlchemyError as exc:
            logger.error("Site %s: database error, crawl not (fully) recorded: %s", site.name, exc)
            return CrawlOutcome(site.name, "failed", detail=f"database error: {exc}")

    def _run_locked(self, site: SiteConfig, only_if_due: bool) -> CrawlOutcome:
        lock = LOCK_PREFIX + site.name
        holder = f"{self.hostname}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        ttl = timedelta(seconds=self.options.lock_ttl)
        if not self.store.try_lock(lock, holder, ttl):
            lease = self.store.lock_holder(lock)
            detail = (
                f"lease {lock} held by {lease.holder} until {lease.expires_at.isoformat()}"
                if lease is not None
                else f"lease {lock} held by another scheduler"
            )
            logger.info(
                "Site %s: not started, a crawl of it is already running (%s)", site.name, detail
            )
            return CrawlOutcome(site.name, "locked", detail=detail)
        try:
            self.store.mark_dead_runs_failed(self.hostname)
            last = self.store.last_run(site.name)
            if self.options.scrapyd_urls and self._orphan_failed(site.name):
                only_if_due = False  # dispatch it again now
            if last is not None and self._alive_here(last):
                detail = f"run #{last.id} (pid {last.pid}) is still running on this host"
                logger.info("Site %s: not started, %s", site.name, detail)
                return CrawlOutcome(site.name, "locked", detail=detail)
            if only_if_due and site.schedule is not None:
                last_started = last.started_at if last is not None else None
                if not is_due(site.schedule, last_started, datetime.now(UTC)):
                    detail = f"last run #{last.id} started {last_started}" if last else ""
                    logger.info("Site %s: not due (%s)", site.name, detail)
                    return CrawlOutcome(site.name, "not-due", detail=detail)
            if self.stop.is_set():
                return CrawlOutcome(site.name, "stopped")
            limit = site.time_limit.total_seconds() if site.time_limit else self.options.time_limit
            return self._crawl(site.name, lock, holder, ttl, time_limit=limit)
        finally:
            self.store.release_lock(lock, holder)

    def _alive_here(self, run: CrawlRun) -> bool:
        from newscrawl.storage.runs import pid_alive

        return run.status == "running" and run.hostname == self.hostname and pid_alive(run.pid)

    def _orphan_failed(self, site: str) -> bool:
        """Scrapyd pool: mark failed a run left ``running`` on a node no scheduler watches."""
        from newscrawl.dispatch import orphaned_run

        run = orphaned_run(self.store, site)
        if run is None:
            return False
        error = f"crawl on {run.hostname} lost: its scheduler stopped watching it"
        self.store.finish_run(run.id, "failed", error=error)
        logger.error("Site %s: run #%d %s; dispatching it again", site, run.id, error)
        return True

    def _crawl_on_pool(self, site: str, lock: str, holder: str, ttl: timedelta) -> CrawlOutcome:
        """Run the crawl on a Scrapyd node (newscrawl.dispatch), renewing the lease meanwhile."""
        from newscrawl.dispatch import run_on_pool

        renew_every = max(ttl.total_seconds() / 3, POLL_SECONDS)
        next_renewal = [time.monotonic() + renew_every]

        def keep_lease() -> bool:
            if time.monotonic() < next_renewal[0]:
                return True
            next_renewal[0] = time.monotonic() + renew_every
            return self._renew(lock, holder, ttl)

        settings = [("NEWSCRAWL_SITES_FILE", str(self.options.sites_file))]
        result = run_on_pool(
            self.store,
            site,
            self.options.scrapyd_urls,
            [*settings, *self.options.crawl_settings],
            keep_lease=keep_lease,
            should_stop=lambda: self._grace_over(time.monotonic()),
        )
        problems = "; ".join(result.problems)
        if result.run is None:
            error = problems or f"job {result.job} on {result.node} recorded no run"
            if result.node is not None:
                run_id = self.store.start_run(site, 0, result.node, datetime.now(UTC))
                self.store.finish_run(run_id, "failed", error=error)
            logger.error("Site %s: crawl failed: %s", site, error)
            return CrawlOutcome(site, "failed", detail=error)
        run = result.run
        status: OutcomeStatus = (
            run.status if run.status in ("finished", "killed") else "failed"  # type: ignore[assignment]
        )
        detail = f"run #{run.id} on {result.node} (job {result.job}): {run.pages_fetched} pages"
        logger.info("Site %s: crawl %s (%s)", site, status, detail)
        return CrawlOutcome(
            site, status, run.id, None, f"{detail}; {problems}" if problems else detail
        )

    def _crawl(
        self, site: str, lock: str, holder: str, ttl: timedelta, *, time_limit: float = 0.0
    ) -> CrawlOutcome:
        if self.options.scrapyd_urls:
            return self._crawl_on_pool(site, lock, holder, ttl)
        command = crawl_command(site, self.options)
        started = datetime.now(UTC)
        logger.info("Site %s: starting crawl: %s", site, shlex.join(command))
        try:
            process = subprocess.Popen(
                command, cwd=self.options.project_root, start_new_session=True
            )
        except OSError as exc:
            return self._record(site, os.getpid(), started, None, f"could not start: {exc}")
        began = time.monotonic()
        deadline = began + time_limit + self.options.time_limit_slack if time_limit else None
        returncode = self._supervise(process, site, lock, holder, ttl, deadline=deadline)
        if deadline is not None and time.monotonic() >= deadline:
            return self._record(
                site,
                process.pid,
                started,
                returncode,
                timed_out=f"stopped by the scheduler: over its time limit of {time_limit:g} s",
            )
        return self._record(site, process.pid, started, returncode)

    def _supervise(
        self,
        process: subprocess.Popen[bytes],
        site: str,
        lock: str,
        holder: str,
        ttl: timedelta,
        *,
        deadline: float | None = None,
    ) -> int:
        """Wait for the crawl, renewing its lease; on a stop request, or past ``deadline``
        (``time.monotonic()``), apply grace, SIGTERM, SIGKILL."""
        renew_every = max(ttl.total_seconds() / 3, POLL_SECONDS)
        next_renewal = time.monotonic() + renew_every
        terminated_at: float | None = None
        killed = False
        while True:
            try:
                return process.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if now >= next_renewal:
                next_renewal = now + renew_every
                if not self._renew(lock, holder, ttl) and terminated_at is None:
                    logger.error(
                        "Site %s: lost the lease %s to another scheduler; stopping this crawl",
                        site,
                        lock,
                    )
                    process.terminate()
                    terminated_at = now
            if terminated_at is None and deadline is not None and now >= deadline:
                logger.error(
                    "Site %s: crawl over its time limit; SIGTERM to pid %d", site, process.pid
                )
                process.terminate()
                terminated_at = now
            if terminated_at is None and self._grace_over(now):
                logger.warning("Site %s: stopping the crawl (SIGTERM to pid %d)", site, process.pid)
                process.terminate()
                terminated_at = now
            if (
                terminated_at is not None
                and not killed
                and now - terminated_at >= self.options.kill_after
            ):
                logger.error("Site %s: crawl ignored SIGTERM; SIGKILL to pid %d", site, process.pid)
                process.kill()
                killed = True

    def _renew(self, lock: str, holder: str, ttl: timedelta) -> bool:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return self.store.try_lock(lock, holder, ttl)
        except SQLAlchemyError as exc:  # keep crawling; try again at the next renewal
            logger.warning("Could not renew the lease %s: %s", lock, exc)
            return True

    def _grace_over(self, now: float) -> bool:
        if self.hurry.is_set():
            return True
        with self._guard:
            requested = self._stop_requested_at
        return requested is not None and now - requested >= self.options.grace

    def _record(
        self,
        site: str,
        pid: int,
        started: datetime,
        returncode: int | None,
        problem: str | None = None,
        *,
        timed_out: str | None = None,
    ) -> CrawlOutcome:
        """Make sure the crawl's run is recorded and final; log and return the outcome. A crawl
        stopped for its time limit (``timed_out``: why) is recorded ``failed`` with that reason."""
        exit_text = problem or describe_exit(returncode)
        self.store.mark_dead_runs_failed(self.hostname)
        run = self.store.run_of_process(pid, self.hostname, started_after=started)
        if run is None or problem is not None:
            run_id = self.store.start_run(site, pid, self.hostname, started)
            error = timed_out or f"crawl process {exit_text} before recording its run"
            self.store.finish_run(run_id, "failed", error=error)
            logger.error("Site %s: crawl failed (run #%d): %s", site, run_id, error)
            return CrawlOutcome(site, "failed", run_id, returncode, error)
        if timed_out is not None:
            self.store.finish_run(
                run.id,
                "failed",
                pages_fetched=run.pages_fetched,
                articles_new=run.articles_new,
                articles_updated=run.articles_updated,
                articles_unchanged=run.articles_unchanged,
                articles_skipped=run.articles_skipped,
                drops=run.drops,
                http_errors={key: count for key, count in run.http_errors.items()},  # noqa: C416
                stats=run.stats,
                error=timed_out,
            )
            logger.error("Site %s: crawl failed (run #%d): %s", site, run.id, timed_out)
            return CrawlOutcome(site, "failed", run.id, returncode, timed_out)
        status: OutcomeStatus
        if run.status == "finished" and returncode == 0:
            status = "finished"
        elif run.status == "killed":
            status = "killed"
        else:
            status = "failed"
        summary = (
            f"run #{run.id}, {exit_text}: {run.pages_fetched} pages, {run.articles_new} new, "
            f"{run.articles_updated} updated, {run.articles_unchanged} unchanged, "
            f"{run.articles_skipped} skipped"
        )
        if status == "finished":
            logger.info("Site %s: crawl finished (%s)", site, summary)
        elif status == "killed":
            logger.warning("Site %s: crawl stopped (%s)", site, summary)
        else:
            logger.error("Site %s: crawl failed (%s; %s)", site, summary, run.error or "no error")
        return CrawlOutcome(site, status, run.id, returncode, summary)


# --- the scheduler ------------------------------------------------------------------------------


class CrawlScheduler:
    """Runs scheduled sites' crawls: forever (APScheduler) or once for what is due (``--once``)."""

    def __init__(
        self, options: SchedulerOptions, sites: Iterable[SiteConfig], store: ArticleStore
    ) -> None:
        self.options = options
        self.sites = [site for site in sites if site.schedule is not None]
        self.store = store
        self.stop = threading.Event()
        self.hurry = threading.Event()
        self.runner = CrawlRunner(options, store, stop=self.stop, hurry=self.hurry)
        self.outcomes: list[CrawlOutcome] = []
        self._outcomes_guard = threading.Lock()

    def request_stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Signal handler: the first call stops new crawls, a second ends the grace period."""
        name = signal.Signals(signum).name if signum else "stop request"
        if self.stop.is_set():
            logger.warning("%s again: stopping running crawls now", name)
            self.hurry.set()
            return
        logger.warning(
            "%s: starting no new crawls; running crawls get %.0f s to finish",
            name,
            self.options.grace,
        )
        self.runner.stop_requested()

    def run_once(self) -> int:
        """Crawl every due site (at most ``max_crawls`` at once) and return 1 if any crawl
        failed or was killed, else 0."""
        with (
            signals_handled(self.request_stop),
            ThreadPoolExecutor(max_workers=self.options.max_crawls) as pool,
        ):
            futures = [pool.submit(self.runner.run, site, only_if_due=True) for site in self.sites]
            _wait_responsively(futures)
            outcomes = [future.result() for future in futures]
        self.outcomes = outcomes
        counts = {status: sum(o.status == status for o in outcomes) for status in _ORDER}
        logger.info(
            "schedule --once: %s",
            ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing",
        )
        return 1 if any(outcome.failed for outcome in outcomes) else 0

    def run_forever(self) -> int:
        """Crawl each site on its schedule until SIGTERM/SIGINT; returns 0."""
        from apscheduler.executors.pool import ThreadPoolExecutor as JobExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduler = BackgroundScheduler(
            executors={"default": JobExecutor(max_workers=self.options.max_crawls)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        now = datetime.now(UTC)
        with signals_handled(self.request_stop):
            for site in self.sites:
                assert site.schedule is not None
                last = self.store.last_run(site.name)
                first = first_run_time(site.schedule, last.started_at if last else None, now)
                extra: dict[str, Any] = {"next_run_time": first} if first is not None else {}
                scheduler.add_job(
                    self._job,
                    make_trigger(site.schedule),
                    args=[site],
                    id=f"{LOCK_PREFIX}{site.name}",
                    name=f"crawl {site.name} ({site.schedule.describe()})",
                    **extra,
                )
            scheduler.start()
            for job in scheduler.get_jobs():
                logger.info("Scheduled %s: next run %s", job.name, job.next_run_time)
            while not self.stop.wait(timeout=1.0):
                pass
            scheduler.shutdown(wait=True)  # waits for running crawls (grace, then SIGTERM)
        logger.info("Scheduler stopped")
        return 0

    def _job(self, site: SiteConfig) -> None:
        outcome = self.runner.run(site)
        with self._outcomes_guard:
            self.outcomes.append(outcome)


_ORDER: tuple[OutcomeStatus, ...] = ("finished", "failed", "killed", "locked", "not-due", "stopped")


@contextmanager
def signals_handled(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """Install ``handler`` for SIGTERM and SIGINT for the ``with`` block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _wait_responsively(futures: Sequence[Future[Any]]) -> None:
    """Wait for all ``futures`` in short steps, so signal handlers run in the main thread."""
    pending = set(futures)
    while pending:
        _done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
