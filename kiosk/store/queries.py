"""Queries for reports: today's counters, the hourly histogram, totals by kind, occupancy at an
instant and its peak, and co-presence for contact tracing. Read-only.

Co-presence is the stays rule's (checkpoint_common.stays.together_s: overlap widened by the
margin, time together without it, each other person once with their longest overlap) computed
in one SQL statement: in Python per row it took over a second at 1,000,000 events
(docs/benchmarks.md). tests/common/test_stays.py checks the statement against the pure rule.

Thread contract: the store's (one owner thread); each query is one statement (no long read
transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint_common.stays import overlap_s
from kiosk.clock import from_iso, to_iso
from kiosk.events import Direction, Reason, Verdict
from kiosk.store.connection import StoreBase


@dataclass(frozen=True, slots=True)
class Overlap:
    """Someone inside at the same time as the traced person (within the margin)."""

    person_key: str
    kind: str
    display_name: str | None
    in_time: dt.datetime
    out_time: dt.datetime | None  # None: still inside
    overlap_s: int  # seconds actually together (0 when only within the margin)

    def to_json(self) -> dict[str, object]:
        return {
            "person_key": self.person_key,
            "kind": self.kind,
            "display_name": self.display_name,
            "in_time": to_iso(self.in_time),
            "out_time": to_iso(self.out_time) if self.out_time else None,
            "overlap_s": self.overlap_s,
        }


class QueriesPart(StoreBase):
    """The report-query part of the Store (kiosk.store.Store composes the parts)."""

    def counts(self, start: dt.datetime, end: dt.datetime) -> dict[Direction, int]:
        """Admitted entries and exits with device time in [start, end)."""
        rows = self._conn.execute(
            "SELECT direction, count(*) FROM events WHERE device_time >= ? AND device_time < ? "
            "AND verdict = 'admit' GROUP BY direction",
            (to_iso(start), to_iso(end)),
        ).fetchall()
        found = {Direction(d): int(n) for d, n in rows}
        return {d: found.get(d, 0) for d in Direction}

    def per_minute(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, str, int]]:
        """Admitted events in [start, end) grouped by UTC minute and direction (for histograms in
        any time zone, half-hour offsets included)."""
        rows = self._conn.execute(
            "SELECT substr(device_time, 1, 16) AS minute, direction, count(*) FROM events "
            "WHERE device_time >= ? AND device_time < ? AND verdict = 'admit' "
            "GROUP BY minute, direction ORDER BY minute",
            (to_iso(start), to_iso(end)),
        ).fetchall()
        return [(from_iso(m + ":00Z"), d, int(n)) for m, d, n in rows]

    def totals_by_kind(self, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
        """Events with device time in [start, end) by kind of code: {kind: {"in", "out",
        "refer", "deny"}}. "in"/"out" count admitted entries and exits (auto-checkout exits
        included, as in `counts`); "refer" and "deny" count the refusals, whatever direction
        they were for. Kinds with no events are absent."""
        rows = self._conn.execute(
            "SELECT kind, direction, verdict, count(*) FROM events "
            "WHERE device_time >= ? AND device_time < ? GROUP BY kind, direction, verdict",
            (to_iso(start), to_iso(end)),
        ).fetchall()
        totals: dict[str, dict[str, int]] = {}
        for kind, direction, verdict, n in rows:
            row = totals.setdefault(kind, {"in": 0, "out": 0, "refer": 0, "deny": 0})
            column = direction if verdict == Verdict.ADMIT.value else verdict
            row[column] += int(n)
        return totals

    def count_reason(self, start: dt.datetime, end: dt.datetime, reason: Reason) -> int:
        """Events with device time in [start, end) recorded for `reason` (e.g. how many exits
        the nightly auto-checkout made)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM events WHERE device_time >= ? AND device_time < ? "
                "AND reason = ?",
                (to_iso(start), to_iso(end), reason.value),
            ).fetchone()[0]
        )

    def _stay_lookback(self, start: dt.datetime) -> str:
        """The earliest in_time a closed stay still open at `start` can have: `start` minus the
        longest closed stay on record (stays_duration), minus a second for the whole seconds
        duration_s is kept in. Lets range queries use stays_in_time instead of a full scan."""
        longest = self._conn.execute("SELECT max(duration_s) FROM stays").fetchone()[0] or 0
        return to_iso(start - dt.timedelta(seconds=int(longest) + 1))

    def occupancy_at(self, at: dt.datetime) -> int:
        """People inside at the instant `at`, from the stays: entered at or before it and not yet
        out (an exit at exactly `at` has left). An open stay counts as going on (as in
        `occupancy`); an exit with no recorded entry is a stay of zero length and never counts.
        """
        at_iso = to_iso(at)
        closed = self._conn.execute(
            "SELECT count(*) FROM stays INDEXED BY stays_in_time "
            "WHERE in_time BETWEEN ? AND ? AND out_time > ?",
            (self._stay_lookback(at), at_iso, at_iso),
        ).fetchone()[0]
        still_open = self._conn.execute(
            "SELECT count(*) FROM stays WHERE out_time IS NULL AND in_time <= ?", (at_iso,)
        ).fetchone()[0]
        return int(closed) + int(still_open)

    def peak_occupancy(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[int, dt.datetime | None]:
        """The most people inside at once during [start, end), and the first instant it was
        reached (`start` itself when it was reached by the people already inside then; None when
        nobody was inside at all).

        Computed from the stays (derived from admitted entries and exits, auto-checkout exits
        included), not from raw events: a second entry by someone already inside, or an exit
        with no entry, changes nothing, exactly as for the live occupancy. Starts from
        `occupancy_at(start)` and sweeps every entry and exit in (start, end) in time order,
        all changes at the same instant together (a zero-length stay adds nothing).
        """
        start_iso, end_iso = to_iso(start), to_iso(end)
        current = self.occupancy_at(start)
        peak, peak_at = current, (start if current else None)
        changes = self._conn.execute(
            """
            SELECT t, sum(d) FROM (
                SELECT in_time AS t, 1 AS d FROM stays
                WHERE in_time > ? AND in_time < ?
                UNION ALL
                SELECT out_time AS t, -1 AS d FROM stays INDEXED BY stays_in_time
                WHERE in_time BETWEEN ? AND ? AND out_time > ? AND out_time < ?
            ) GROUP BY t ORDER BY t
            """,
            (start_iso, end_iso, self._stay_lookback(start), end_iso, start_iso, end_iso),
        ).fetchall()
        for when, delta in changes:
            current += int(delta)
            if current > peak:
                peak, peak_at = current, from_iso(when)
        return peak, peak_at

    def co_presence(
        self,
        person_key: str,
        *,
        margin: dt.timedelta,
        now: dt.datetime,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[Overlap]:
        """Everyone whose stay overlapped one of the person's stays, widened by `margin`.

        since/until: only the person's stays that overlap this period (the case's infectious
        period, as the health officer gives it); default: every stay on record.

        An open stay counts as lasting until `now`. Each other person appears once, with their
        stay that overlapped longest (`overlap_s` 0: only within the margin). One SQL statement:
        candidates come from stays_in_time (closed stays that began at most the longest closed
        stay on record before the window: stays_duration) and stays_open; the overlap is
        computed and grouped in SQLite, so a busy site's thousands of contacts cost no Python
        per row.
        """
        now_iso = to_iso(now)
        mine = self._conn.execute(
            "SELECT in_time, coalesce(out_time, ?) AS out FROM stays "
            "WHERE person_key = ? AND out >= ? AND in_time <= ?",
            (
                now_iso,
                person_key,
                to_iso(since) if since else "",
                to_iso(until) if until else "9999",
            ),
        ).fetchall()
        if not mine:
            return []
        longest = dt.timedelta(
            seconds=self._conn.execute("SELECT max(duration_s) FROM stays").fetchone()[0] or 0
        )
        windows: list[str] = []
        for in_iso, out_iso in mine:
            start, end = from_iso(in_iso) - margin, from_iso(out_iso) + margin
            windows.extend((in_iso, out_iso, to_iso(start), to_iso(end), to_iso(start - longest)))
        values = ", ".join(["(?, ?, ?, ?, ?)"] * len(mine))
        rows = self._conn.execute(
            f"""
            WITH mine (a0, b0, a, b, lo) AS (VALUES {values}),
            candidates AS (
                SELECT m.a0, m.b0, s.person_key, s.kind, s.display_name, s.in_time, s.out_time
                FROM mine m JOIN stays s INDEXED BY stays_in_time
                    ON s.in_time BETWEEN m.lo AND m.b AND s.out_time >= m.a
                UNION ALL
                SELECT m.a0, m.b0, s.person_key, s.kind, s.display_name, s.in_time, s.out_time
                FROM mine m JOIN stays s INDEXED BY stays_open
                    ON s.out_time IS NULL AND s.in_time <= m.b
            )
            SELECT person_key, kind, display_name, in_time, out_time,
                max(86400.0 * (julianday(min(b0, coalesce(out_time, ?)))
                               - julianday(max(a0, in_time)))) AS together
            FROM candidates WHERE person_key != ?
            GROUP BY person_key
            ORDER BY in_time, person_key
            """,  # noqa: S608 (only placeholders are interpolated)
            (*windows, now_iso, person_key),
        ).fetchall()
        return [
            Overlap(
                key,
                kind,
                name,
                from_iso(t_in),
                from_iso(t_out) if t_out else None,
                overlap_s(together),
            )
            for key, kind, name, t_in, t_out, together in rows
        ]
