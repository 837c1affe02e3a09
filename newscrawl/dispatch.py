"""Job-level scale-out: the scheduler runs each due site's crawl on a pool of Scrapyd nodes.

With ``NEWSCRAWL_SCRAPYD_URLS`` set, :class:`~newscrawl.scheduler.CrawlRunner` hands a crawl it
holds the lease for to :func:`run_on_pool` instead of starting a local process. The project must
be deployed to every node (``scrapyd-deploy``, or the egg of ``scrapyd-deploy --build-egg``
sent to ``addversion.json``: see ``deploy/README.md``), and each node needs
``NEWSCRAWL_DATABASE_URL`` (the shared database) in its environment; the sites file path is
passed as a setting and must exist on the nodes.

* A node that refuses the job (an error answer, HTTP error, or no answer) is recorded as a
  ``failed`` run naming the node and the reason, and the next node is tried; only when every
  node refused does the crawl fail.
* While the job runs, its state is polled (``status.json``) and the lease renewed. A node that
  stops answering mid-crawl for ``NODE_LOST_AFTER`` seconds is given up: the crawl's ``running``
  run is marked ``failed`` ("node lost") and the crawl is dispatched again to another node.
* A run left ``running`` by a scheduler that itself died is found by the next tick that takes the
  site's lease (a live scheduler would hold it): it is marked failed and the site dispatched again
  (:func:`orphaned_run`).

Nodes are tried least busy first (``daemonstatus.json``), so crawls spread over the pool.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawl.storage import ArticleStore, CrawlRun

logger = logging.getLogger(__name__)

PROJECT = "newscrawl"
SPIDER = "news"
HTTP_TIMEOUT = 10.0
POLL_SECONDS = 1.0
NODE_LOST_AFTER = 5.0  # seconds without an answer from a node running a crawl


class ScrapydError(RuntimeError):
    """A Scrapyd node refused a request or did not answer."""


@dataclass(frozen=True, slots=True)
class Dispatch:
    """How a crawl on the pool ended: the node and job that ran it last, the run it recorded
    (None: none found), and what went wrong on the way (refusals, lost nodes)."""

    node: str | None
    job: str | None
    run: CrawlRun | None
    problems: tuple[str, ...] = ()
    stopped: bool = False


def parse_urls(value: str) -> tuple[str, ...]:
    """The node URLs of ``NEWSCRAWL_SCRAPYD_URLS`` (comma- or space-separated), without a
    trailing slash."""
    return tuple(u.strip().rstrip("/") for u in value.replace(",", " ").split() if u.strip())


def call(
    node: str, endpoint: str, params: dict[str, Any] | None = None, *, post: bool = False
) -> Any:
    """Call a Scrapyd JSON endpoint; raise :class:`ScrapydError` unless it answers ``ok``."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(item)))
    query = urllib.parse.urlencode(pairs)
    url = f"{node}/{endpoint}"
    if post:
        request = urllib.request.Request(url, data=query.encode(), method="POST")
    else:
        request = urllib.request.Request(f"{url}?{query}" if query else url)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ScrapydError(f"{node}: HTTP {exc.code} from {endpoint}") from exc
    except (OSError, ValueError) as exc:
        raise ScrapydError(f"{node}: no answer from {endpoint}: {exc}") from exc
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        message = answer.get("message", answer) if isinstance(answer, dict) else answer
        raise ScrapydError(f"{node} refused {endpoint}: {message}")
    return answer


def schedule(node: str, site: str, settings: Sequence[tuple[str, str]], job: str) -> str:
    """Start ``scrapy crawl news -a site=SITE`` on ``node`` as job ``job``; its job id."""
    answer = call(
        node,
        "schedule.json",
        {
            "project": PROJECT,
            "spider": SPIDER,
            "jobid": job,
            "site": site,
            "setting": [f"{key}={value}" for key, value in settings],
        },
        post=True,
    )
    return str(answer.get("jobid", job))


def job_state(node: str, job: str) -> str:
    """``pending``, ``running``, ``finished`` or ``unknown`` (Scrapyd's ``status.json``)."""
    return str(call(node, "status.json", {"job": job, "project": PROJECT}).get("currstate"))


def cancel(node: str, job: str) -> None:
    """Ask ``node`` to stop ``job`` (SIGTERM: the run is recorded as killed)."""
    call(node, "cancel.json", {"project": PROJECT, "job": job}, post=True)


def node_load(node: str) -> int | None:
    """How many jobs ``node`` runs or has pending (``daemonstatus.json``); None: no answer."""
    try:
        answer = call(node, "daemonstatus.json")
    except ScrapydError:
        return None
    return int(answer.get("running", 0)) + int(answer.get("pending", 0))


def node_order(loads: Sequence[tuple[str, int | None]]) -> list[str]:
    """Nodes to try, least busy first (the pool's order breaks ties); silent nodes last."""
    ranked = sorted(enumerate(loads), key=lambda e: (e[1][1] is None, e[1][1] or 0, e[0]))
    return [node for _, (node, _load) in ranked]


def orphaned_run(store: ArticleStore, site: str) -> CrawlRun | None:
    """The site's last run if it is still ``running`` on another host: called while holding the
    site's lease, so no live scheduler supervises it (its node or scheduler was lost)."""
    import socket

    last = store.last_run(site)
    if last is not None and last.status == "running" and last.hostname != socket.gethostname():
        return last
    return None


def record_refusal(store: ArticleStore, site: str, node: str, reason: str) -> str:
    """Record a node's refusal as a failed run of the site; the problem text."""
    now = datetime.now(UTC)
    run_id = store.start_run(site, 0, urllib.parse.urlsplit(node).netloc or node, now)
    problem = f"Scrapyd node {node} refused the crawl: {reason}"
    store.finish_run(run_id, "failed", error=problem)
    logger.error("Site %s: %s (run #%d); trying another node", site, problem, run_id)
    return problem


def run_on_pool(
    store: ArticleStore,
    site: str,
    nodes: Sequence[str],
    settings: Sequence[tuple[str, str]],
    *,
    keep_lease: Callable[[], bool],
    should_stop: Callable[[], bool],
) -> Dispatch:
    """Run the site's crawl on one node of the pool and wait for it (see the module doc).

    ``keep_lease`` is called every poll (renews the site's lease; False: lost, cancel the job);
    ``should_stop`` True cancels the job (the scheduler is stopping).
    """
    problems: list[str] = []
    tried_after_loss: set[str] = set()
    while len(tried_after_loss) < len(nodes):
        dispatched = _dispatch(store, site, nodes, settings, problems, tried_after_loss)
        if dispatched is None:
            return Dispatch(None, None, None, tuple(problems))
        node, job, known = dispatched
        outcome = _watch(node, job, keep_lease, should_stop)
        run = _new_run(store, site, known)
        if outcome == "lost":
            problem = f"Scrapyd node {node} lost during the crawl (job {job})"
            problems.append(problem)
            if run is not None and run.status == "running":
                store.finish_run(run.id, "failed", error=problem)
            logger.error("Site %s: %s; dispatching it again", site, problem)
            tried_after_loss.add(node)
            continue
        return Dispatch(node, job, run, tuple(problems), stopped=outcome == "stopped")
    return Dispatch(None, None, None, tuple(problems))


def _dispatch(
    store: ArticleStore,
    site: str,
    nodes: Sequence[str],
    settings: Sequence[tuple[str, str]],
    problems: list[str],
    avoid: set[str],
) -> tuple[str, str, set[int]] | None:
    """Schedule the crawl on the first node that accepts it (nodes in ``avoid`` last)."""
    order = node_order([(node, node_load(node)) for node in nodes])
    order = [n for n in order if n not in avoid] + [n for n in order if n in avoid]
    for node in order:
        job = f"{site}-{uuid.uuid4().hex[:12]}"
        known = _run_ids(store, site)
        try:
            schedule(node, site, settings, job)
        except ScrapydError as exc:
            problems.append(record_refusal(store, site, node, str(exc)))
            continue
        logger.info("Site %s: crawl dispatched to %s as job %s", site, node, job)
        return node, job, known
    logger.error("Site %s: every Scrapyd node refused the crawl", site)
    return None


def _watch(
    node: str, job: str, keep_lease: Callable[[], bool], should_stop: Callable[[], bool]
) -> str:
    """Wait for the job: ``finished``, ``stopped`` (cancelled by us) or ``lost`` (no answer)."""
    silent_since: float | None = None
    cancelled = False
    while True:
        time.sleep(POLL_SECONDS)
        if not cancelled and (should_stop() or not keep_lease()):
            try:
                cancel(node, job)
            except ScrapydError as exc:
                logger.warning("Could not cancel job %s on %s: %s", job, node, exc)
            cancelled = True
        try:
            state = job_state(node, job)
        except ScrapydError as exc:
            now = time.monotonic()
            silent_since = silent_since or now
            if now - silent_since >= NODE_LOST_AFTER:
                logger.warning("Job %s: %s", job, exc)
                return "lost"
            continue
        silent_since = None
        if state == "finished":
            return "stopped" if cancelled else "finished"
        if state == "unknown":
            return "lost"  # the node restarted and forgot the job


def _run_ids(store: ArticleStore, site: str) -> set[int]:
    return {run.id for run in store.list_runs(site, limit=50)}


def _new_run(store: ArticleStore, site: str, known: set[int]) -> CrawlRun | None:
    """The run the dispatched crawl recorded: the site's newest run not in ``known`` (its runs
    before the dispatch) that a crawl process recorded (not a refusal). No clocks compared: the
    node's may differ, and the lease keeps other crawls of the site away meanwhile."""
    runs = [r for r in store.list_runs(site, limit=50) if r.id not in known and r.pid != 0]
    return max(runs, key=lambda run: run.id) if runs else None
