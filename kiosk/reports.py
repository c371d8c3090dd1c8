"""What the admin screen reports: a day's entries and exits by hour, its peak, its totals by kind;
and who a traced person is (their key) from what the guard scanned or typed.

Qt-free. `day_report` and `trace_target` read the store or use the gate's keyer, so they run
where the store lives (the gate thread in the app); the rest is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kiosk.credentials import Identity
from kiosk.events import Direction, Reason, StoredEvent, Verdict
from kiosk.formats import parse
from kiosk.formats.bhyt import bhyt_identity
from kiosk.gate import Gate
from kiosk.store import Store

# Person keys as `kiosk trace` accepts them: scheme + ":" + 24 hex (kiosk.credentials).
_PERSON_KEY = re.compile(r"^(id|qid|bhyt|dcc|manual|raw):[0-9a-f]{24}$")
# CCCD (12 digits) or the old CMND (9 digits), typed with or without spaces.
_ID_NUMBER = re.compile(r"^([0-9]{9}|[0-9]{12})$")
# A Vietnamese mobile number as a guard types it for a visitor without a code (manual entry).
_PHONE = re.compile(r"^(0|\+?84)[0-9]{9}$")


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The local day as UTC instants [start, end) (23 or 25 hours long on DST change days)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class HourCount:
    start: dt.datetime  # UTC start of the hour
    label: str  # local "HH"
    entries: int
    exits: int


def hourly(
    per_minute: Iterable[tuple[dt.datetime, str, int]],
    start: dt.datetime,
    end: dt.datetime,
    zone: ZoneInfo,
) -> tuple[HourCount, ...]:
    """`Store.per_minute` rows bucketed into the hours of [start, end), labelled in local time.

    Hours are counted from `start` (a local midnight), so a zone with a half-hour offset gets
    local hours, and a DST day gets 23 or 25 buckets (one label then repeats).
    """
    hour = dt.timedelta(hours=1)
    count = max(0, -(-(end - start) // hour))  # ceiling division of timedeltas
    entries = [0] * count
    exits = [0] * count
    for minute, direction, n in per_minute:
        index = (minute - start) // hour
        if not 0 <= index < count:
            continue
        if direction == Direction.IN.value:
            entries[index] += n
        else:
            exits[index] += n
    return tuple(
        HourCount(
            start + i * hour,
            (start + i * hour).astimezone(zone).strftime("%H"),
            entries[i],
            exits[i],
        )
        for i in range(count)
    )


@dataclass(frozen=True, slots=True)
class DayReport:
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    hours: tuple[HourCount, ...]
    entries: int  # admitted entries
    exits: int  # admitted exits, auto-checkout included
    auto_checkouts: int
    inside_at_start: int
    peak: int
    peak_at: dt.datetime | None
    by_kind: dict[str, dict[str, int]]


def day_report(store: Store, day: dt.date, zone: ZoneInfo) -> DayReport:
    """Everything the Reports page shows for one local day. Runs on the store's thread."""
    start, end = day_bounds(day, zone)
    counts = store.counts(start, end)
    peak, peak_at = store.peak_occupancy(start, end)
    by_kind = store.totals_by_kind(start, end)
    return DayReport(
        day=day,
        start=start,
        end=end,
        hours=hourly(store.per_minute(start, end), start, end, zone),
        entries=counts[Direction.IN],
        exits=counts[Direction.OUT],
        auto_checkouts=store.count_reason(start, end, Reason.AUTO_CHECKOUT),
        inside_at_start=store.occupancy_at(start),
        peak=peak,
        peak_at=peak_at,
        by_kind=by_kind,
    )


@dataclass(frozen=True, slots=True)
class EventCounts:
    """What an export holds, in the words of the Reports page: admitted entries, admitted
    exits (the nightly checkout's included), referrals and refusals. They add up to `total`
    (every recorded event; a duplicate scan records nothing)."""

    total: int
    entries: int
    exits: int
    referred: int
    refused: int


def count_events(events: Iterable[StoredEvent]) -> EventCounts:
    """The counts of `events` as the Reports page counts them (Store.counts, totals_by_kind)."""
    entries = exits = referred = refused = total = 0
    for event in events:
        total += 1
        if event.verdict is Verdict.ADMIT:
            if event.direction is Direction.IN:
                entries += 1
            else:
                exits += 1
        elif event.verdict is Verdict.REFER:
            referred += 1
        elif event.verdict is Verdict.DENY:
            refused += 1
    return EventCounts(total, entries, exits, referred, refused)


def days_between(first: dt.date, last: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The local days `first` to `last` (both included) as UTC instants [start, end); raises
    ValueError when `last` is before `first`."""
    if last < first:
        raise ValueError("the last day is before the first")
    return day_bounds(first, zone)[0], day_bounds(last, zone)[1]


def trace_target(gate: Gate, text: str) -> str | None:
    """The person key to trace from what the guard scanned or typed: a person key as shown by
    `kiosk log`/`kiosk trace`; any personal code (QR, CCCD, BHYT, vaccine certificate); a bare
    ID number (9 or 12 digits), BHYT card number or phone number typed by hand (the keys manual
    entry and the codes use). None when the text names nobody (a venue code, garbage).

    Runs on the gate thread (the keyer and trust list are the gate's).
    """
    target = text.strip()
    if _PERSON_KEY.match(target):
        return target
    credential = parse(target, keyer=gate.keyer, trust=gate.trust, now=gate.clock.now().utc)
    if credential.kind.names_a_person and credential.person_key:
        return credential.person_key
    compact = "".join(target.split())
    if _ID_NUMBER.match(compact):
        return gate.keyer.key(Identity("id", compact))
    card = bhyt_identity(compact)
    if card is not None:
        return gate.keyer.key(card)
    if _PHONE.match(compact):
        digits = "".join(ch for ch in compact if ch.isdigit())
        # The same normalisation as manual entry (kiosk.formats.manual_credential): digits only.
        return gate.keyer.key(Identity("manual", f"tel:{digits}"))
    return None


__all__ = [
    "DayReport",
    "EventCounts",
    "HourCount",
    "count_events",
    "day_bounds",
    "day_report",
    "days_between",
    "hourly",
    "trace_target",
]
