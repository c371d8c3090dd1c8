"""Retention: deleting events past their time, and refusing to when the clock cannot be trusted.

Rows only: the files in the data folder that hold events (copies made before migrations, CSV
exports) are the data folder's to purge (kiosk.datadir.DataDir.purge_old_files); Gate.purge
does both.

Thread contract: the store's (one owner thread); deletes run in short transactions of
PURGE_BATCH rows, so a scan waits for one batch at most.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kiosk.clock import Instant, from_iso, to_iso
from kiosk.events import Reason
from kiosk.store.connection import StoreBase
from kiosk.store.errors import PurgeRefused

log = logging.getLogger(__name__)

# A wall clock that ran this much further than the monotonic clock within one boot was stepped.
CLOCK_JUMP_TOLERANCE_S = 300
PURGE_BATCH = 2000


@dataclass(frozen=True, slots=True)
class PurgeResult:
    deleted_delivered: int
    deleted_undelivered: int
    cutoff: dt.datetime
    hard_cutoff: dt.datetime | None  # None: hard limit not applied (clock not known right)


class RetentionPart(StoreBase):
    """The retention part of the Store (kiosk.store.Store composes the parts)."""

    def check_clock(self, instant: Instant) -> None:
        """Raise PurgeRefused if, within this boot, the wall clock ran ahead of the monotonic
        clock since the last event (it was stepped forward: ages computed now would be wrong)."""
        row = self._conn.execute(
            "SELECT device_time, mono_ns FROM events WHERE boot_id = ? AND reason != ? "
            "ORDER BY seq DESC LIMIT 1",
            (instant.boot_id, Reason.AUTO_CHECKOUT.value),
        ).fetchone()
        if row is None:
            return
        wall = (instant.utc - from_iso(row[0])).total_seconds()
        mono = (instant.mono_ns - int(row[1])) / 1e9
        if wall - mono > CLOCK_JUMP_TOLERANCE_S:
            raise PurgeRefused(
                f"the wall clock moved {wall - mono:.0f} s further than elapsed time since the "
                "last event: it was stepped forward; purge skipped until events are recorded "
                "with the new time"
            )

    def purge(self, instant: Instant, *, retention_days: int, hard_days: int) -> PurgeResult:
        """Delete delivered events older than `retention_days` and, when the clock is known to be
        synchronised, any event older than `hard_days` (recorded with a synchronised clock).

        Works in short transactions of a few thousand rows, then gives free pages back
        (incremental vacuum) and truncates the WAL. Raises PurgeRefused on a forward clock jump
        (`check_clock`). Rows only: Gate.purge also removes the data folder's old files.
        """
        self.check_clock(instant)
        cutoff = instant.utc - dt.timedelta(days=retention_days)
        hard_cutoff = instant.utc - dt.timedelta(days=hard_days) if instant.synced else None
        delivered = self._delete_batches(
            "SELECT seq FROM events WHERE device_time < ? AND delivered_at IS NOT NULL LIMIT ?",
            to_iso(cutoff),
        )
        undelivered = 0
        if hard_cutoff is not None:
            undelivered = self._delete_batches(
                "SELECT seq FROM events WHERE device_time < ? AND clock_synced = 1 LIMIT ?",
                to_iso(hard_cutoff),
            )
        if delivered or undelivered:
            with self._transaction() as conn:
                # Stays whose both ends are gone (or that ended before the cutoff).
                conn.execute(
                    "DELETE FROM stays WHERE out_time IS NOT NULL AND out_time < ?",
                    (to_iso(cutoff),),
                )
            self._conn.execute("PRAGMA incremental_vacuum")
            # secure_delete zeroed the deleted cells in the database file; the WAL still holds
            # the pages as they were before: empty it.
            self.checkpoint(truncate=True)
            log.info(
                "purge: %d delivered and %d undelivered events removed", delivered, undelivered
            )
        return PurgeResult(delivered, undelivered, cutoff, hard_cutoff)

    def _delete_batches(self, select_sql: str, cutoff_iso: str) -> int:
        total = 0
        while True:
            with self._transaction() as conn:
                seqs = [r[0] for r in conn.execute(select_sql, (cutoff_iso, PURGE_BATCH))]
                if not seqs:
                    return total
                marks = ",".join("?" * len(seqs))
                conn.execute(f"DELETE FROM outbox WHERE seq IN ({marks})", seqs)  # noqa: S608
                conn.execute(f"DELETE FROM events WHERE seq IN ({marks})", seqs)  # noqa: S608
                total += len(seqs)
