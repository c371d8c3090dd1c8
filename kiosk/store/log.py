"""The gate log: writing events (a scan, the nightly auto-checkout) with their outbox row and
their stay change, the outbox the sync delivers from, and the reads the decision needs.

Contract (../shared/RELIABILITY.md):
- a scan's event row, its outbox row and its stay change are one `BEGIN IMMEDIATE` transaction,
  committed before `record` returns: the screen may say "recorded" only after that;
- the event_id is made by the caller before the insert and the insert is `INSERT OR IGNORE`, so a
  retry after a COMMIT that raised (outcome unknown) never writes the event twice;
- `stays` follows the one stays rule (checkpoint_common.stays), one admitted event at a time.

Thread contract: the store's (one owner thread).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from checkpoint_common.stays import StayChange, stay_change, stay_duration_s
from kiosk.clock import Instant, from_iso, to_iso
from kiosk.events import Direction, LastEvent, NewEvent, Reason, StoredEvent, Verdict
from kiosk.store.errors import not_recorded
from kiosk.store.sealing import FORMAT_HELD, SealingPart


def apply_stay(
    conn: sqlite3.Connection,
    seq: int,
    person_key: str,
    kind: str,
    display_name: str | None,
    direction: Direction,
    time: str,
    closed_by: str,
) -> None:
    """Update `stays` for one admitted event (inside the caller's transaction), by the stays
    rule (checkpoint_common.stays.stay_change): an entry opens a stay unless one is open (the
    first entry time stands); an exit closes the open stay, or with none open is a stay of zero
    length at the exit time (closed_by 'exit_only')."""
    open_stay = conn.execute(
        "SELECT stay_id, in_time FROM stays WHERE person_key = ? AND out_time IS NULL",
        (person_key,),
    ).fetchone()
    change = stay_change(direction.value, inside=open_stay is not None)
    if change is StayChange.OPEN:
        conn.execute(
            "INSERT INTO stays (person_key, kind, display_name, in_seq, in_time) "
            "VALUES (?, ?, ?, ?, ?)",
            (person_key, kind, display_name, seq, time),
        )
    elif change is StayChange.EXIT_ONLY:
        conn.execute(
            "INSERT INTO stays (person_key, kind, display_name, in_time, out_seq, out_time, "
            "duration_s, closed_by) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            (person_key, kind, display_name, time, seq, time, StayChange.EXIT_ONLY.value),
        )
    elif change is StayChange.CLOSE:
        stay_id, in_time = open_stay
        conn.execute(
            "UPDATE stays SET out_seq = ?, out_time = ?, duration_s = ?, closed_by = ? "
            "WHERE stay_id = ?",
            (seq, time, stay_duration_s(from_iso(in_time), from_iso(time)), closed_by, stay_id),
        )


@dataclass(frozen=True, slots=True)
class RecordResult:
    seq: int
    event_id: str
    already_stored: bool  # a retry found the event committed by an earlier attempt


_EVENT_COLUMNS = (
    "seq, event_id, device_id, checkpoint_id, person_key, kind, display_name, birth_year, "
    "direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, delivered_at, "
    "seal_key, sealed"
)


def stored_event(row: Sequence[Any]) -> StoredEvent:
    return StoredEvent(
        seq=row[0],
        event_id=row[1],
        device_id=row[2],
        checkpoint_id=row[3],
        person_key=row[4],
        kind=row[5],
        display_name=row[6],
        birth_year=row[7],
        direction=Direction(row[8]),
        verdict=Verdict(row[9]),
        reason=Reason(row[10]),
        device_time=from_iso(row[11]),
        mono_ns=row[12],
        boot_id=row[13],
        clock_synced=bool(row[14]),
        delivered_at=from_iso(row[15]) if row[15] else None,
        seal_key=row[16],
        sealed=row[17],
    )


# ---------------------------------------------------------------------------------------------


class LogPart(SealingPart):
    """The log part of the Store (kiosk.store.Store composes the parts)."""

    def record(self, event: NewEvent) -> RecordResult:
        """Write the event, its outbox entry and its stay change in one committed transaction.

        Idempotent on event_id: calling again with the same event (a retry after an error whose
        outcome was unknown) returns the stored seq with already_stored=True and writes nothing.
        Raises RecordError when the commit failed (StorageFull, a RecordError, when the disk is
        full); the caller may retry with the same event.
        The personal data is sealed (checkpoint_common.seal) before the transaction starts.
        """
        box, key_id, fmt = self._seal(event.event_id, event.personal)
        try:
            with self._transaction() as conn:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO events (event_id, device_id, checkpoint_id, "
                    "person_key, kind, display_name, birth_year, direction, verdict, reason, "
                    "device_time, mono_ns, boot_id, clock_synced, problems, payload_format, "
                    "sealed, seal_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        event.event_id,
                        event.device_id,
                        event.checkpoint_id,
                        event.person_key,
                        event.kind,
                        event.display_name,
                        event.birth_year,
                        event.direction.value,
                        event.verdict.value,
                        event.reason.value,
                        to_iso(event.device_time),
                        event.mono_ns,
                        event.boot_id,
                        int(event.clock_synced),
                        json.dumps(list(event.problems), ensure_ascii=False),
                        fmt,
                        box,
                        key_id,
                    ),
                )
                if cursor.rowcount == 0:
                    row = conn.execute(
                        "SELECT seq FROM events WHERE event_id = ?", (event.event_id,)
                    ).fetchone()
                    return RecordResult(int(row[0]), event.event_id, already_stored=True)
                seq = int(cursor.lastrowid or 0)
                conn.execute(
                    "INSERT INTO outbox (seq, event_id) VALUES (?, ?)", (seq, event.event_id)
                )
                if event.verdict is Verdict.ADMIT:
                    apply_stay(
                        conn,
                        seq,
                        event.person_key,
                        event.kind,
                        event.display_name,
                        event.direction,
                        to_iso(event.device_time),
                        "exit",
                    )
        except sqlite3.Error as exc:
            raise not_recorded("event", exc) from exc
        self._committed()
        return RecordResult(seq, event.event_id, already_stored=False)

    def auto_checkout(self, cutoff: dt.datetime, instant: Instant, checkpoint_id: str) -> int:
        """Close every stay opened before `cutoff` with an `out` event at `cutoff`.

        One transaction; each closing event goes to the outbox like any other, so the server
        learns of it. Returns the number of stays closed.
        """
        cutoff_iso = to_iso(cutoff)
        try:
            with self._transaction() as conn:
                open_stays = conn.execute(
                    "SELECT s.stay_id, s.person_key, s.kind, s.display_name, e.birth_year "
                    "FROM stays s LEFT JOIN events e ON e.seq = s.in_seq "
                    "WHERE s.out_time IS NULL AND s.in_time < ?",
                    (cutoff_iso,),
                ).fetchall()
                for _stay_id, person_key, kind, name, birth_year in open_stays:
                    event_id = str(uuid.uuid4())
                    cursor = conn.execute(
                        "INSERT INTO events (event_id, device_id, checkpoint_id, person_key, "
                        "kind, display_name, birth_year, direction, verdict, reason, "
                        "device_time, mono_ns, boot_id, clock_synced, payload_format) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, 'out', 'admit', ?, ?, ?, ?, ?, 'none')",
                        (
                            event_id,
                            self.device_id,
                            checkpoint_id,
                            person_key,
                            kind,
                            name,
                            birth_year,
                            Reason.AUTO_CHECKOUT.value,
                            cutoff_iso,
                            instant.mono_ns,
                            instant.boot_id,
                            int(instant.synced),
                        ),
                    )
                    seq = int(cursor.lastrowid or 0)
                    conn.execute(
                        "INSERT INTO outbox (seq, event_id) VALUES (?, ?)", (seq, event_id)
                    )
                    apply_stay(
                        conn,
                        seq,
                        person_key,
                        kind,
                        name,
                        Direction.OUT,
                        cutoff_iso,
                        "auto_checkout",
                    )
        except sqlite3.Error as exc:
            raise not_recorded("auto-checkout", exc) from exc
        return len(open_stays)

    def mark_delivered(self, event_ids: Iterable[str], at: dt.datetime) -> int:
        """Mark events acknowledged by the server (one short transaction). Returns how many."""
        ids = list(event_ids)
        if not ids:
            return 0
        at_iso = to_iso(at)
        count = 0
        with self._transaction() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                count += conn.execute(
                    f"UPDATE events SET delivered_at = ? WHERE delivered_at IS NULL "  # noqa: S608
                    f"AND event_id IN ({marks})",
                    (at_iso, *chunk),
                ).rowcount
                conn.execute(
                    f"DELETE FROM outbox WHERE event_id IN ({marks})",  # noqa: S608
                    chunk,
                )
        return count

    def outbox_count(self) -> int:
        """Events waiting for delivery (quarantined ones included)."""
        return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def quarantined_count(self) -> int:
        return int(
            self._conn.execute("SELECT count(*) FROM outbox WHERE quarantined = 1").fetchone()[0]
        )

    def quarantine(self, event_id: str, error: str) -> None:
        """Set an event aside: the server rejected it. It stays in the log and the outbox (for
        the report and a later retry by an operator) but no longer blocks the queue."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE outbox SET quarantined = 1, last_error = ?, attempts = attempts + 1 "
                "WHERE event_id = ?",
                (error[:500], event_id),
            )

    # -- reading ------------------------------------------------------------------------------

    def last_event(self, person_key: str) -> LastEvent | None:
        """The person's latest recorded event (any verdict). Uses events_person."""
        row = self._conn.execute(
            "SELECT seq, event_id, direction, verdict, reason, device_time, mono_ns, boot_id "
            "FROM events WHERE person_key = ? ORDER BY seq DESC LIMIT 1",
            (person_key,),
        ).fetchone()
        if row is None:
            return None
        return LastEvent(
            seq=row[0],
            event_id=row[1],
            direction=Direction(row[2]),
            verdict=Verdict(row[3]),
            reason=Reason(row[4]),
            device_time=from_iso(row[5]),
            mono_ns=row[6],
            boot_id=row[7],
        )

    def is_inside(self, person_key: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM stays WHERE person_key = ? AND out_time IS NULL LIMIT 1", (person_key,)
        ).fetchone()
        return row is not None

    # -- the guard's "people inside" list and one name per person (#15) ----------------------

    def people_inside(self) -> list[tuple[str, str, str | None, int | None, dt.datetime]]:
        """The open stays as (person_key, kind, display_name, birth_year, in_time), newest
        entry first: what kiosk.inside.InsidePerson holds. The birth year is the entry
        event's (stays do not keep it)."""
        rows = self._conn.execute(
            "SELECT s.person_key, s.kind, s.display_name, e.birth_year, s.in_time "
            "FROM stays s LEFT JOIN events e ON e.seq = s.in_seq "
            "WHERE s.out_time IS NULL ORDER BY s.in_time DESC, s.stay_id DESC"
        ).fetchall()
        return [(key, kind, name, year, from_iso(at)) for key, kind, name, year, at in rows]

    def names_of(self, person_key: str, limit: int = 20) -> list[str]:
        """The distinct masked names recorded for a person, newest first (events_person)."""
        rows = self._conn.execute(
            "SELECT display_name FROM events WHERE person_key = ? AND display_name IS NOT NULL "
            "GROUP BY display_name ORDER BY max(seq) DESC LIMIT ?",
            (person_key, limit),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def occupancy(self) -> int:
        """People inside now: open stays (partial index stays_open)."""
        return int(
            self._conn.execute("SELECT count(*) FROM stays WHERE out_time IS NULL").fetchone()[0]
        )

    def events(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[StoredEvent]:
        """Events in seq order, optionally with device time in [since, until)."""
        clauses, params = [], []
        if since is not None:
            clauses.append("device_time >= ?")
            params.append(to_iso(since))
        if until is not None:
            clauses.append("device_time < ?")
            params.append(to_iso(until))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT {_EVENT_COLUMNS} FROM events {where} ORDER BY seq"  # noqa: S608
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for row in self._conn.execute(sql, params):
            yield stored_event(row)

    # The outbox as the sync sends it: undelivered and not quarantined, in seq order. Held events
    # wait for the authority's key (use_authority_key re-seals them): the server could not open
    # their boxes. Tests, benchmarks and the sync read it through this one clause.
    _OUTBOX_FROM = (
        "FROM outbox o JOIN events e ON e.seq = o.seq "
        "WHERE o.quarantined = 0 AND e.payload_format != ? ORDER BY o.seq LIMIT ?"
    )

    def outbox(self, limit: int = 500) -> list[StoredEvent]:
        """The events the next upload sends (`outbox_rows`), as StoredEvent values."""
        rows = self._conn.execute(
            f"SELECT {', '.join('e.' + c.strip() for c in _EVENT_COLUMNS.split(','))} "
            + self._OUTBOX_FROM,
            (FORMAT_HELD, limit),
        ).fetchall()
        return [stored_event(r) for r in rows]

    def outbox_rows(self, limit: int = 500) -> list[tuple[Any, ...]]:
        """The oldest undelivered, unquarantined, not held events, as plain rows for the wire
        (no datetime parsing: the sync hot path): (event_id, seq, checkpoint_id, person_key,
        kind, display_name, birth_year, direction, verdict, reason, device_time ISO text,
        mono_ns, boot_id, clock_synced 0/1, problems JSON text, seal_key, sealed box)."""
        return self._conn.execute(
            "SELECT e.event_id, e.seq, e.checkpoint_id, e.person_key, e.kind, e.display_name, "
            "e.birth_year, e.direction, e.verdict, e.reason, e.device_time, e.mono_ns, "
            "e.boot_id, e.clock_synced, e.problems, e.seal_key, e.sealed " + self._OUTBOX_FROM,
            (FORMAT_HELD, limit),
        ).fetchall()
