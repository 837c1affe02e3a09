"""Crawl-run bookkeeping: one ``crawl_runs`` row per ``scrapy crawl`` process.

Functions take a Connection inside the caller's transaction; :class:`ArticleStore` wraps them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from newscrawl.storage.models import RUN_STATUSES, CrawlRunRow
from newscrawl.storage.records import CrawlRun

FINAL_STATUSES = frozenset(RUN_STATUSES) - {"running"}
COUNT_COLUMNS = frozenset(
    {"pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "articles_skipped"}
)


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON data: dates become ISO 8601, mapping keys strings, sets and tuples
    lists, non-finite floats and unknown objects their ``str()``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(item) for item in value]
    return str(value)


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists on this host (it may belong to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_run(
    connection: Connection, site: str, pid: int, hostname: str, started_at: datetime
) -> int:
    """Insert a ``running`` row and return its id."""
    return connection.execute(
        insert(CrawlRunRow)
        .values(
            site=site,
            pid=pid,
            hostname=hostname,
            started_at=started_at,
            status="running",
            drops={},
            http_errors={},
            stats={},
        )
        .returning(CrawlRunRow.id)
    ).scalar_one()


def finish_run(
    connection: Connection,
    run_id: int,
    status: str,
    *,
    finished_at: datetime,
    counts: Mapping[str, int],
    drops: Mapping[str, int],
    http_errors: Mapping[str | int, int],
    stats: Mapping[str, Any],
    error: str | None,
) -> None:
    """Record the end of a run; ``status`` must be final. Raises ``LookupError`` for an unknown id."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"finish_run status must be one of {sorted(FINAL_STATUSES)}: {status!r}")
    unknown = set(counts) - COUNT_COLUMNS
    if unknown:
        raise ValueError(f"unknown run counters: {sorted(unknown)}")
    result = connection.execute(
        update(CrawlRunRow)
        .where(CrawlRunRow.id == run_id)
        .values(
            status=status,
            finished_at=finished_at,
            drops=json_safe(drops),
            http_errors=json_safe(http_errors),
            stats=json_safe(stats),
            error=error,
            **counts,
        )
    )
    if result.rowcount != 1:
        raise LookupError(f"no crawl run with id {run_id}")


def mark_dead_runs_failed(connection: Connection, hostname: str, now: datetime) -> list[int]:
    """Mark ``running`` rows of ``hostname`` whose process is gone as ``failed``; return their ids."""
    running = connection.execute(
        select(CrawlRunRow.id, CrawlRunRow.pid).where(
            CrawlRunRow.status == "running", CrawlRunRow.hostname == hostname
        )
    ).all()
    marked = []
    for run_id, pid in running:
        if pid_alive(pid):
            continue
        result = connection.execute(
            update(CrawlRunRow)
            .where(CrawlRunRow.id == run_id, CrawlRunRow.status == "running")
            .values(
                status="failed",
                finished_at=now,
                error=f"process {pid} on {hostname} ended without finishing the run",
            )
        )
        if result.rowcount == 1:
            marked.append(run_id)
    return marked


def list_runs(connection: Connection, site: str | None, limit: int) -> list[CrawlRun]:
    """The newest runs first, optionally of one site."""
    query = select(CrawlRunRow).order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
    if site is not None:
        query = query.where(CrawlRunRow.site == site)
    rows = connection.execute(query.limit(limit)).mappings()
    return [_run_from_row(row) for row in rows]


def last_run(connection: Connection, site: str, status: str | None) -> CrawlRun | None:
    """The most recently started run of ``site`` (with ``status`` when given), or None."""
    query = select(CrawlRunRow).where(CrawlRunRow.site == site)
    if status is not None:
        query = query.where(CrawlRunRow.status == status)
    query = query.order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc()).limit(1)
    row = connection.execute(query).mappings().one_or_none()
    return _run_from_row(row) if row is not None else None


def run_of_process(
    connection: Connection, pid: int, hostname: str, started_after: datetime
) -> CrawlRun | None:
    """The newest run recorded by process ``pid`` on ``hostname`` since ``started_after``."""
    query = (
        select(CrawlRunRow)
        .where(
            CrawlRunRow.pid == pid,
            CrawlRunRow.hostname == hostname,
            CrawlRunRow.started_at >= started_after,
        )
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        .limit(1)
    )
    row = connection.execute(query).mappings().one_or_none()
    return _run_from_row(row) if row is not None else None


def _run_from_row(row: Mapping[Any, Any]) -> CrawlRun:
    return CrawlRun(
        id=row["id"],
        site=row["site"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        pid=row["pid"],
        hostname=row["hostname"],
        pages_fetched=row["pages_fetched"],
        articles_new=row["articles_new"],
        articles_updated=row["articles_updated"],
        articles_unchanged=row["articles_unchanged"],
        articles_skipped=row["articles_skipped"],
        drops=dict(row["drops"] or {}),
        http_errors=dict(row["http_errors"] or {}),
        stats=dict(row["stats"] or {}),
        error=row["error"],
    )
