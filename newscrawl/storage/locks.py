"""Lease locks in the database: a row per lock name, held by one holder until it expires.

A crash leaves the row behind, so every lease has a TTL; an expired lease is free to take.
Works the same on SQLite and PostgreSQL (``INSERT .. ON CONFLICT DO UPDATE .. WHERE``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete

from newscrawl.storage.engine import insert_for
from newscrawl.storage.models import CrawlLockRow


def try_lock(connection: Connection, name: str, holder: str, ttl: timedelta, now: datetime) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``now + ttl``.

    Succeeds if the lock is free, expired, or already held by ``holder`` (a renewal).
    """
    if ttl <= timedelta(0):
        raise ValueError(f"lock ttl must be positive, got {ttl}")
    stmt = insert_for(connection, CrawlLockRow).values(
        name=name, holder=holder, acquired_at=now, expires_at=now + ttl
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[CrawlLockRow.name],
        set_={
            "holder": stmt.excluded.holder,
            "acquired_at": stmt.excluded.acquired_at,
            "expires_at": stmt.excluded.expires_at,
        },
        where=(CrawlLockRow.expires_at < now) | (CrawlLockRow.holder == holder),
    )
    # A row comes back only if it was inserted or the WHERE let the update through. RETURNING,
    # not rowcount: with psycopg, SQLAlchemy reports rowcount -1 for Core INSERT statements.
    return connection.execute(stmt.returning(CrawlLockRow.name)).first() is not None


def release_lock(connection: Connection, name: str, holder: str) -> bool:
    """Release ``name`` if ``holder`` holds it; return whether a lease was released."""
    result = connection.execute(
        delete(CrawlLockRow).where(CrawlLockRow.name == name, CrawlLockRow.holder == holder)
    )
    return result.rowcount == 1
