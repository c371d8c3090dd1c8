"""The daily partitions of `events` on PostgreSQL (SQLite has one table and needs none).

`events` is partitioned by RANGE (received_at), one partition per UTC day, named
`events_pYYYYMMDD` and covering [day 00:00 UTC, next day 00:00 UTC). The receive time is the
server's own clock at arrival: it never changes once stored (clock correction moves
corrected_time only) and is never far from today, so the days needed are always today and the
next few. Retention is therefore counted from receipt, and purging a day is dropping its
partition (`drop_before`), not deleting rows; `event_ids` rows (no personal data) are deleted
in batches beside it (central.storage, `Storage.purge`).

A partition is made by CREATE TABLE … (LIKE events) then ALTER TABLE events ATTACH PARTITION:
attaching takes SHARE UPDATE EXCLUSIVE on `events`, which lets ingest and queries go on, where
CREATE TABLE … PARTITION OF would take ACCESS EXCLUSIVE and queue every request behind the
longest running query. The partitioned indexes of `events` are built on the new (empty)
partition as it is attached. There is no DEFAULT partition: a row for a missing day fails
loudly instead of piling up somewhere a later ATTACH would have to scan.

`ensure(db, day)` is called by the storage at open and before an ingest whose receive day it
has not seen yet, and by the server's housekeeping every hour; it makes that day and DAYS_AHEAD
more (several processes may race: an advisory lock and IF NOT EXISTS make that harmless).

`drop_before(db, day)` purges: every partition of a day before `day` is detached with `DETACH
PARTITION … CONCURRENTLY` (SHARE UPDATE EXCLUSIVE on `events`: ingest and queries go on; it
waits for the queries that may still read the partition, never blocks new ones), then dropped
(a lock on that partition only). A purge killed midway leaves a detach pending or a detached
table: the next one finishes both (`FINALIZE`, then DROP). Purges are serialised by a session
advisory lock (two servers' housekeeping, or a server and `kiosk-central purge`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping

from sqlalchemy import Connection, text

from central.database import Database, advisory_lock, advisory_unlock

log = logging.getLogger(__name__)

DAYS_AHEAD = 7
_NAME = re.compile(r"events_p(\d{8})")


def partition_name(day: dt.date) -> str:
    return f"events_p{day:%Y%m%d}"


def existing(conn: Connection) -> set[dt.date]:
    """The days that have a partition."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events'"
        )
    ).scalars()
    days = set()
    for name in rows:
        match = _NAME.fullmatch(name)
        if match:
            days.add(dt.datetime.strptime(match.group(1), "%Y%m%d").date())
    return days


def ensure(db: Database, day: dt.date, ahead: int = DAYS_AHEAD) -> set[dt.date]:
    """Make sure `day` and the `ahead` days after it have partitions; returns the days that
    have one now. One transaction; PostgreSQL only (no-op on SQLite: returns an empty set)."""
    if db.dialect != "postgresql":
        return set()
    wanted = [day + dt.timedelta(days=n) for n in range(ahead + 1)]
    with db.write() as conn:
        db.lock(conn, "events partitions")
        have = existing(conn)
        for missing in (d for d in wanted if d not in have):
            name = partition_name(missing)
            start = dt.datetime.combine(missing, dt.time(), tzinfo=dt.UTC)
            end = start + dt.timedelta(days=1)
            # Names come from dates only; bounds are literals because DDL takes no parameters.
            conn.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {name} "
                "(LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            conn.exec_driver_sql(
                f"ALTER TABLE events ATTACH PARTITION {name} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            have.add(missing)
            log.info("events partition %s created", name)
    return have


def _day_of(name: str) -> dt.date | None:
    match = _NAME.fullmatch(name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else None


def drop_before(
    db: Database,
    day: dt.date,
    forget: Callable[[Connection, Mapping[str, int]], None] | None = None,
) -> list[dt.date]:
    """Detach and drop the partition of every day before `day` (module docstring); returns
    those days, oldest first. Also finishes what a purge killed midway left: a detach pending
    (FINALIZE) or a detached table of such a day. `forget(conn, {device_id: events})` is
    called in the transaction that drops a detached table, with its events per device (the
    devices' counts go down exactly when the rows go). PostgreSQL only (SQLite: [])."""
    if db.dialect != "postgresql":
        return []
    dropped: list[dt.date] = []

    def drop(name: str) -> None:
        with db.write() as tx:
            if forget is not None:
                counts = tx.execute(
                    text(f"SELECT device_id, count(*) FROM {name} GROUP BY device_id")  # noqa: S608
                ).all()
                forget(tx, {str(device): int(n) for device, n in counts})
            tx.exec_driver_sql(f"DROP TABLE {name}")

    with db.autocommit() as conn:
        advisory_lock(conn, "events purge")
        try:
            pending = conn.execute(
                text(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "JOIN pg_class p ON p.oid = i.inhparent "
                    "WHERE p.relname = 'events' AND i.inhdetachpending"
                )
            ).scalars()
            for name in list(pending):
                if _day_of(name) is not None:
                    conn.exec_driver_sql(f"ALTER TABLE events DETACH PARTITION {name} FINALIZE")
                    log.info("events partition %s: pending detach finished", name)
            attached = {d for d in existing(conn) if d < day}
            for old in sorted(attached):
                # Names come from dates only (DDL takes no parameters).
                name = partition_name(old)
                conn.exec_driver_sql(f"ALTER TABLE events DETACH PARTITION {name} CONCURRENTLY")
                drop(name)
                dropped.append(old)
                log.info("events partition %s dropped (retention)", name)
            # Detached but not dropped (a purge killed between the two): no longer events'.
            leftovers = conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
                    "AND c.relname LIKE 'events\\_p%' AND NOT c.relispartition"
                )
            ).scalars()
            for name in list(leftovers):
                left_day = _day_of(name)
                if left_day is not None and left_day < day:
                    drop(name)
                    if left_day not in dropped:
                        dropped.append(left_day)
                    log.info("events partition %s: detached table dropped (retention)", name)
        finally:
            advisory_unlock(conn, "events purge")
    return sorted(dropped)
