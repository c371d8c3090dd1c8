"""Contact tracing from what a health officer has: an ID number, a phone number, a BHYT card
number, a personal-QR QID, or the full text of a scanned code (the console's /console/trace
and `kiosk-central trace`).

1. **Who**: the text becomes candidate identities (checkpoint_common.personkey
   .candidate_identities), each a person key under the deployment's secret (`person_keys`, the
   one place the server derives keys). The case's admitted events in the period are those of
   any of these keys. Their sealed personal data is then opened to find the other identifiers
   the same person showed (the CMND on a CCCD card, the ID number inside a personal QR, a phone
   typed at manual entry), and those keys' events are added: one person, several codes. The
   opened data is used for that only; nothing is shown unless the caller asks to reveal.
2. **Visits**: the case's stays in the period (an admitted entry paired with the next admitted
   exit at the same checkpoint, across devices, by corrected time). A stay without an exit is
   "still inside" until now, or until the checkpoint's nightly auto-checkout if that time has
   passed (the kiosk closes it then, even if its exit record has not arrived yet); a stay ended
   by the kiosk's auto-checkout says so.
3. **Contacts per visit**: everyone else whose stay at that checkpoint overlapped the visit
   widened by the margin; their overlap in seconds (people still inside count until now or the
   auto-checkout, so never 0 while they were there together; 0 for someone only within the
   margin); at least `min_overlap` when one is asked for.
4. **Reveal** (on request, for a role that may see it; the caller audits it): the sealed
   personal data of each contact's entry record and of the case's visits (name, ID number,
   phone, address).

Cost, bounded by the case's visits, not by the data kept (measured at 10 million events in
docs/benchmarks.md, "Ten million events"):
- the case's events: one index range per key (events_person_time), then for the keys the
  expansion adds;
- per visit, one query on the covering index events_checkpoint_time alone (`INDEX_COLUMNS`:
  an index-only scan on PostgreSQL, no heap page per event): of the checkpoint's admitted
  events of `LOOKBACK` before the visit (who was already inside), only the entries that began
  the stays still open at its start (the database picks them; `_visit_rows`), and every event
  from the visit's start to the margin after its end; paired in Python;
- per checkpoint, one query (per run of overlapping look-aheads) for the exits, within
  `LOOKAHEAD` after a visit's range, of those still inside at its end (the same index);
- the `reason` (not in the index) of the contacts' exits only, by primary key, in one query,
  to say which were the kiosk's auto-checkout; the contacts' sealed boxes likewise, only when
  revealing.
Every read of events by corrected time also bounds `received_at` from its range's start
(central.storage.received_since: no event is dated after its receipt), so PostgreSQL skips the
daily partitions received before it. The contacts are found in one snapshot.

Thread contract: functions of a Storage, safe from any thread; no network.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import BigInteger, Connection, Row, func, literal, select, union_all
from sqlalchemy import case as case_when
from sqlalchemy.dialects import postgresql

from central.reveal import OPENED, Revealed, reveal
from central.schema import POSTGRESQL, events
from central.storage import CheckpointRecord, Storage, received_since
from checkpoint_common.personkey import (
    PERSON_KEY_PATTERN,
    Identity,
    KeyDeriver,
    candidate_identities,
    identities_in_fields,
)
from checkpoint_common.settings import Settings
from checkpoint_common.stays import StayChange, stay_change

# Who was inside before a visit is found among the events this long before it; when they left,
# among the events this long after. Kiosks close every stay nightly (auto-checkout), so a day
# each way covers a stay unless a site turned auto-checkout off and someone stayed longer.
LOOKBACK = dt.timedelta(hours=24)
LOOKAHEAD = dt.timedelta(hours=24)
DEFAULT_PERIOD = dt.timedelta(days=14)
DEFAULT_MARGIN = dt.timedelta(minutes=15)
# Opening the case's own records to find their other identifiers: at most this many.
_EXPAND_RECORDS = 500

STILL_INSIDE = "still_inside"
EXITED = "exited"
AUTO_CHECKOUT = "auto_checkout"

_AUTO_CHECKOUT_REASON = "auto_checkout"
# A result row of any shape (columns read by name).
_Row = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Stay:
    """One stay: admitted entry (or a lone exit) to admitted exit at one checkpoint.

    `end` is when it ended or is counted to (now, or the checkpoint's auto-checkout);
    `closed` says how: EXITED, AUTO_CHECKOUT (the kiosk's nightly close, recorded or due),
    STILL_INSIDE. `record` is the (id, received_at) of the entry event (or of the lone exit),
    whose sealed data says who this was; `exit_record` that of the exit event, if any."""

    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    in_time: dt.datetime
    out_time: dt.datetime | None
    end: dt.datetime
    closed: str
    record: tuple[int, dt.datetime]
    exit_record: tuple[int, dt.datetime] | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone at the same checkpoint as the case during one visit (within the margin)."""

    visit: int  # index into TraceResult.visits
    stay: Stay
    overlap_s: int  # seconds actually together; 0 when only within the margin
    personal: Revealed | None = None

    @property
    def overlap_minutes(self) -> int:
        """Whole minutes together, rounded up: ten seconds together is not "0 min"."""
        return math.ceil(self.overlap_s / 60)


@dataclass(frozen=True, slots=True)
class TraceResult:
    """What a trace found. `found` is False when no record of the person is in the period:
    say so plainly, never as an empty contact list."""

    understood_as: tuple[str, ...]  # checkpoint_common.personkey AS_* values
    keys: tuple[str, ...]  # the case's person keys that have records in the period
    start: dt.datetime
    end: dt.datetime
    margin: dt.timedelta
    min_overlap: dt.timedelta
    visits: tuple[Stay, ...]
    visit_personal: tuple[Revealed | None, ...]  # per visit, when revealed
    contacts: tuple[Contact, ...]
    checkpoints: dict[str, CheckpointRecord]
    revealed: bool

    @property
    def found(self) -> bool:
        return bool(self.visits)

    def people(self) -> int:
        """Distinct contacts (person keys) listed."""
        return len({c.stay.person_key for c in self.contacts})

    def checkpoint_name(self, checkpoint_id: str) -> str:
        found = self.checkpoints.get(checkpoint_id)
        return found.name if found is not None else checkpoint_id


class TraceInputError(ValueError):
    """The trace's parameters are not usable (the message says which, in English)."""


# One deriver per deployment secret (a server has one): a person traced or marked again costs
# no second derivation. Guarded: requests run on several threads.
_DERIVERS: dict[bytes, KeyDeriver] = {}
_DERIVERS_LOCK = threading.Lock()


def person_keys(
    storage: Storage, identities: Iterable[Identity], *, legacy: bool = True
) -> list[str]:
    """The deployment's person keys for these identities (the same as kiosks derive), each
    followed (unless not `legacy`) by the key the identity had before issue #13 (records
    uploaded then keep it; checkpoint_common.personkey.legacy_person_key): tracing finds old
    and new records alike; a status list is made of new keys only. Slow (one memory-hard
    derivation per identity not derived lately)."""
    secret = base64.b64decode(storage.person_key_secret())
    keys: list[str] = []
    for identity in identities:
        with _DERIVERS_LOCK:
            deriver = _DERIVERS.get(secret)
            if deriver is None:
                deriver = _DERIVERS[secret] = KeyDeriver(secret)
            key = deriver.key(identity.scheme, identity.value)
        old = deriver.legacy(identity.scheme, identity.value) if legacy else key
        for found in (key, old):
            if found not in keys:
                keys.append(found)
    return keys


def checkpoint_zone(checkpoint: CheckpointRecord | None) -> ZoneInfo:
    """The checkpoint's time zone (its `timezone` setting, else Asia/Ho_Chi_Minh)."""
    name = str((checkpoint.settings if checkpoint else {}).get("timezone") or Settings().timezone)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(Settings().timezone)


def _auto_checkout_after(
    checkpoint: CheckpointRecord | None, moment: dt.datetime
) -> dt.datetime | None:
    """The first nightly auto-checkout after `moment` at this checkpoint (None: turned off)."""
    settings = checkpoint.settings if checkpoint else {}
    text = settings.get("auto_checkout_time", Settings().auto_checkout_time)
    if not text:
        return None
    try:
        hours, minutes = (int(x) for x in str(text).split(":"))
        at = dt.time(hours, minutes)
    except ValueError:
        return None
    zone = checkpoint_zone(checkpoint)
    local = moment.astimezone(zone)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(dt.UTC)


STAY_COLUMNS = (
    # What `pair` reads from an event row.
    events.c.id,
    events.c.received_at,
    events.c.checkpoint_id,
    events.c.person_key,
    events.c.device_id,
    events.c.kind,
    events.c.display_name,
    events.c.direction,
    events.c.reason,
    events.c.corrected_time,
)
# The same without `reason`: what the covering index events_checkpoint_time holds (its keys
# and INCLUDE columns, revision 0003_reports), so a checkpoint's events are read from the index
# alone. `pair` then says EXITED for every exit; `_mark_auto_checkouts` corrects the few that
# become contacts.
INDEX_COLUMNS = tuple(c for c in STAY_COLUMNS if c.name != "reason")


def pair(
    rows: Iterable[Any],
    now: dt.datetime,
    checkpoints: dict[str, CheckpointRecord],
    same_person: Sequence[str] = (),
) -> list[Stay]:
    """Stays from admitted events in time order, by the one rule both sides use
    (checkpoint_common.stays.stay_change: an entry while inside keeps the first entry; an exit
    without entry is a stay of no length; no exit is open). Open stays end at now or at the
    auto-checkout due before now. The keys in `same_person` are one person (the case, who may
    enter with a CCCD and leave with a personal QR): their stays are paired together, under
    the first of them. An exit is AUTO_CHECKOUT when its row's `reason` says so; rows read
    without `reason` (INDEX_COLUMNS) give EXITED."""
    stays: list[Stay] = []
    open_stays: dict[tuple[str, str], _Row] = {}
    case = set(same_person)
    with_reason: bool | None = None
    for row in rows:
        if with_reason is None:
            with_reason = hasattr(row, "reason")
        person = str(row.person_key)
        key = (str(row.checkpoint_id), same_person[0] if person in case else person)
        change = stay_change(row.direction, inside=key in open_stays)
        if change is StayChange.OPEN:
            open_stays[key] = row
            continue
        if change is StayChange.KEEP:
            continue
        entry = open_stays.pop(key) if change is StayChange.CLOSE else row
        reason = row.reason if with_reason else None
        stays.append(
            Stay(
                key[0],
                key[1],
                str(entry.kind),
                entry.display_name,
                entry.corrected_time,
                row.corrected_time,
                row.corrected_time,
                AUTO_CHECKOUT if reason == _AUTO_CHECKOUT_REASON else EXITED,
                (int(entry.id), entry.received_at),
                (int(row.id), row.received_at),
            )
        )
    for key, entry in open_stays.items():
        due = _auto_checkout_after(checkpoints.get(key[0]), entry.corrected_time)
        if due is not None and due <= now:
            end, closed = due, AUTO_CHECKOUT
        else:
            end, closed = max(now, entry.corrected_time), STILL_INSIDE
        stays.append(
            Stay(
                key[0],
                key[1],
                str(entry.kind),
                entry.display_name,
                entry.corrected_time,
                None,
                end,
                closed,
                (int(entry.id), entry.received_at),
            )
        )
    stays.sort(key=lambda s: (s.in_time, s.person_key))
    return stays


def _case_rows(
    storage: Storage, keys: Sequence[str], start: dt.datetime, end: dt.datetime
) -> list[_Row]:
    e = events.c
    first = start - LOOKBACK
    with storage.db.query() as conn:
        return list(
            conn.execute(
                select(*STAY_COLUMNS, e.event_id, e.seal_key, e.sealed)
                .where(
                    storage.db.among(e.person_key, keys),
                    e.verdict == "admit",
                    e.corrected_time >= first,
                    e.corrected_time <= end,
                    received_since(first),
                )
                .order_by(e.corrected_time, e.id)
            ).all()
        )


def _open_rows(storage: Storage, rows: Iterable[_Row]) -> list[tuple[_Row, Revealed]]:
    key = storage.authority_key()
    return [(row, _opened(key, row)) for row in rows if row.sealed is not None]


def trace(
    storage: Storage,
    text: str,
    *,
    now: dt.datetime,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    margin: dt.timedelta = DEFAULT_MARGIN,
    min_overlap: dt.timedelta = dt.timedelta(0),
    reveal_personal: bool = False,
) -> TraceResult:
    """Trace the person `text` identifies (module docstring) over [start, end] (default: the
    last 14 days up to now). `reveal_personal`: open the contacts' and the case's sealed data
    (the caller has checked the role and audits the reveal). Raises TraceInputError for a bad
    period or margin; StorageBusy/StorageUnavailable as Storage does."""
    end = end or now
    start = start or end - DEFAULT_PERIOD
    if start >= end:
        raise TraceInputError("the period's start must be before its end")
    if margin < dt.timedelta(0) or min_overlap < dt.timedelta(0):
        raise TraceInputError("the margin and the minimum overlap must not be negative")
    text = text.strip()
    understood: tuple[str, ...]
    if PERSON_KEY_PATTERN.match(text):
        # A person key itself (as `kiosk-central events` prints them): no resolution needed.
        keys, understood = [text], ("person_key",)
    else:
        resolution = candidate_identities(text)
        keys, understood = person_keys(storage, resolution.identities), resolution.understood_as
    rows = _case_rows(storage, keys, start, end) if keys else []
    if rows:
        # The same person under their other identifiers (module docstring, step 1).
        found: list[Identity] = []
        for _, opened in _open_rows(storage, rows[-_EXPAND_RECORDS:]):
            if opened.opened == OPENED:
                found.extend(identities_in_fields(opened.fields, opened.scanned_text))
        more = [k for k in person_keys(storage, found) if k not in keys]
        if more:
            keys = [*keys, *more]
            rows = sorted(
                [*rows, *_case_rows(storage, more, start, end)],
                key=lambda r: (r.corrected_time, r.id),
            )
    # The checkpoints the case visited: their names, time zones and auto-checkout times.
    checkpoints = (
        {c.id: c for c in storage.checkpoints({str(r.checkpoint_id) for r in rows})} if rows else {}
    )
    visits = [s for s in pair(rows, now, checkpoints, keys) if s.in_time <= end and s.end >= start]
    contacts = _contacts(storage, visits, keys, margin, min_overlap, now, checkpoints)
    visit_personal: tuple[Revealed | None, ...] = tuple(None for _ in visits)
    if reveal_personal:
        by_record = {(int(r.id), r.received_at): r for r in rows}
        key = storage.authority_key()
        visit_personal = tuple(_reveal_row(key, by_record.get(v.record)) for v in visits)
        contacts = _reveal_contacts(storage, contacts)
    return TraceResult(
        understood_as=tuple(understood),
        keys=tuple(keys) if visits else (),
        start=start,
        end=end,
        margin=margin,
        min_overlap=min_overlap,
        visits=tuple(visits),
        visit_personal=visit_personal,
        contacts=tuple(contacts),
        checkpoints=checkpoints,
        revealed=reveal_personal,
    )


def _opened(key: Any, row: Any) -> Revealed:
    """One event row's box (the row has event_id, seal_key, sealed, device_id, person_key)."""
    return reveal(
        key,
        str(row.event_id),
        row.seal_key,
        row.sealed,
        device_id=str(row.device_id),
        person_key=str(row.person_key),
    )


def _reveal_row(key: Any, row: _Row | None) -> Revealed | None:
    return None if row is None else _opened(key, row)


def _merged(
    ranges: Iterable[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Overlapping [start, end] ranges merged, in order."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _contacts(
    storage: Storage,
    visits: Sequence[Stay],
    case_keys: Sequence[str],
    margin: dt.timedelta,
    min_overlap: dt.timedelta,
    now: dt.datetime,
    checkpoints: dict[str, CheckpointRecord],
) -> list[Contact]:
    """Everyone else at each visit's checkpoint during it (widened by the margin): per visit,
    one Contact per person, their stay that overlapped longest (module docstring, step 3 and
    its cost). One snapshot."""
    by_checkpoint: dict[str, list[int]] = {}
    for index, visit in enumerate(visits):
        by_checkpoint.setdefault(visit.checkpoint_id, []).append(index)
    if not visits:
        return []
    case = set(case_keys)
    per_visit: dict[int, list[Contact]] = {}
    with storage.db.read() as conn:
        for checkpoint_id, indices in by_checkpoint.items():
            # Each visit widened by the margin (`_visit_rows` adds who was inside at its start).
            reach = {i: (visits[i].in_time - margin, visits[i].end + margin) for i in indices}
            stays = {
                i: pair(_visit_rows(conn, checkpoint_id, *reach[i]), now, checkpoints, case_keys)
                for i in indices
            }
            _exits_after(conn, storage, checkpoint_id, reach, stays, case)
            for i in indices:
                per_visit[i] = _best(i, visits[i], stays[i], case, margin, min_overlap)
        found = [c for i in range(len(visits)) for c in per_visit[i]]
        return _mark_auto_checkouts(conn, storage, found)


def _visit_rows(
    conn: Connection, checkpoint_id: str, start: dt.datetime, end: dt.datetime
) -> list[_Row]:
    """What pairing a checkpoint's admitted events from LOOKBACK before `start` to `end` needs
    to find the stays that reach [start, end], in time order, from the covering index:

    - of [start - LOOKBACK, start), for each person inside at `start`, the entry that began
      their stay. A person is inside after a run of events when their last one is an entry (an
      entry leaves them inside whatever came before; an exit leaves them outside), and that
      stay began with their first entry after their last exit (checkpoint_common.stays). The
      database keeps those rows only (a window over each person's events): the rest of the
      day before the visit is not sent, paired or kept;
    - every event of [start, end].

    `pair` gives from these exactly the stays that pairing every event of the range gives,
    less those that ended before `start`."""
    e = events.c
    low = start - LOOKBACK
    at_checkpoint = (e.checkpoint_id == checkpoint_id, e.verdict == "admit")
    names = [c.name for c in INDEX_COLUMNS]
    numbered = (
        select(
            *INDEX_COLUMNS,
            func.row_number()
            .over(partition_by=e.person_key, order_by=(e.corrected_time, e.id))
            .label("n"),
        )
        .where(*at_checkpoint, e.corrected_time >= low, e.corrected_time < start)
        .where(received_since(low))
        .subquery()
    )
    b = numbered.c
    last_exit = func.max(case_when((b.direction == "out", b.n), else_=0)).over(
        partition_by=b.person_key
    )
    marked = select(*(b[n] for n in names), b.n, last_exit.label("last_exit")).subquery()
    inside = select(*(marked.c[n] for n in names)).where(marked.c.n == marked.c.last_exit + 1)
    during = select(*INDEX_COLUMNS).where(
        *at_checkpoint, e.corrected_time >= start, e.corrected_time <= end, received_since(start)
    )
    rows = list(conn.execute(union_all(inside, during)).all())
    rows.sort(key=lambda r: (r.corrected_time, r.id))
    return rows


def _exits_after(
    conn: Connection,
    storage: Storage,
    checkpoint_id: str,
    reach: dict[int, tuple[dt.datetime, dt.datetime]],
    stays: dict[int, list[Stay]],
    case: set[str],
) -> None:
    """Close, in `stays`, the stays still open at the end of their visit's range with the
    person's first exit after it, within LOOKAHEAD: what pairing the checkpoint's events up to
    LOOKAHEAD after the range would give (later entries by someone inside change nothing). One
    query per run of overlapping look-aheads (each visit's own: a checkpoint visited twice a
    week apart is not read in between), on the covering index."""
    waiting = {
        i: found
        for i in stays
        if (found := [s for s in stays[i] if s.out_time is None and s.person_key not in case])
    }
    e = events.c
    exits: dict[str, list[_Row]] = {}
    ahead = {i: (reach[i][1], reach[i][1] + LOOKAHEAD) for i in waiting}
    for after, until in _merged(ahead.values()):
        people = {
            s.person_key for i, (lo, _) in ahead.items() if after <= lo <= until for s in waiting[i]
        }
        for row in conn.execute(
            select(e.id, e.received_at, e.person_key, e.corrected_time)
            .where(
                e.checkpoint_id == checkpoint_id,
                e.verdict == "admit",
                e.direction == "out",
                storage.db.among(e.person_key, sorted(people)),
                e.corrected_time > after,
                e.corrected_time <= until,
                received_since(after),
            )
            .order_by(e.corrected_time, e.id)
        ):
            exits.setdefault(str(row.person_key), []).append(row)
    for i, found in waiting.items():
        high = reach[i][1]
        closed: dict[tuple[int, dt.datetime], Stay] = {}
        for stay in found:
            out = next(
                (
                    r
                    for r in exits.get(stay.person_key, ())
                    if high < r.corrected_time <= high + LOOKAHEAD
                ),
                None,
            )
            if out is not None:
                closed[stay.record] = dataclasses.replace(
                    stay,
                    out_time=out.corrected_time,
                    end=out.corrected_time,
                    closed=EXITED,
                    exit_record=(int(out.id), out.received_at),
                )
        if closed:
            stays[i] = [closed.get(s.record, s) for s in stays[i]]


def _best(
    index: int,
    visit: Stay,
    stays: Iterable[Stay],
    case: set[str],
    margin: dt.timedelta,
    min_overlap: dt.timedelta,
) -> list[Contact]:
    """The contacts of one visit among the stays at its checkpoint."""
    best: dict[str, tuple[float, Stay]] = {}
    for stay in stays:
        if stay.person_key in case:
            continue
        if stay.in_time > visit.end + margin or stay.end < visit.in_time - margin:
            continue
        together = (min(visit.end, stay.end) - max(visit.in_time, stay.in_time)).total_seconds()
        # Negative: only within the margin (listed with overlap 0), unless a minimum is asked.
        if min_overlap and together < min_overlap.total_seconds():
            continue
        if stay.person_key not in best or together > best[stay.person_key][0]:
            best[stay.person_key] = (together, stay)
    return [
        Contact(index, stay, max(0, math.ceil(together)))
        for together, stay in sorted(best.values(), key=lambda b: (b[1].in_time, b[1].person_key))
    ]


def _by_records(
    conn: Connection,
    storage: Storage,
    records: Iterable[tuple[int, dt.datetime]],
    *columns: Any,
) -> list[_Row]:
    """Events by (id, received_at), with `columns` besides those two, in one query by the
    primary key: on PostgreSQL a join with the (id, received_at) pairs, each probing only the
    partition its received_at names (a list of ids against a range of received days would
    probe every partition for every id: measured 29 ms against 14 ms for 2,000 records); on
    SQLite the id is the row id."""
    wanted = set(records)
    if not wanted:
        return []
    e = events.c
    if storage.db.dialect == POSTGRESQL:
        ids, received = zip(*sorted(wanted), strict=True)
        pairs = (
            func.unnest(
                literal(list(ids), postgresql.ARRAY(BigInteger)),
                literal(list(received), postgresql.ARRAY(postgresql.TIMESTAMP(timezone=True))),
            )
            .table_valued("id", "received_at")
            .render_derived()
        )
        query = select(e.id, e.received_at, *columns).join_from(
            pairs, events, (e.id == pairs.c.id) & (e.received_at == pairs.c.received_at)
        )
    else:
        query = select(e.id, e.received_at, *columns).where(
            storage.db.among(e.id, sorted({r[0] for r in wanted}))
        )
    return [r for r in conn.execute(query).all() if (int(r.id), r.received_at) in wanted]


def _mark_auto_checkouts(
    conn: Connection, storage: Storage, contacts: list[Contact]
) -> list[Contact]:
    """Contacts whose stay ended with an exit the kiosk's auto-checkout recorded say so (the
    exits were read without their `reason`: INDEX_COLUMNS)."""
    exits = {c.stay.exit_record for c in contacts if c.stay.exit_record is not None}
    auto = {
        (int(r.id), r.received_at)
        for r in _by_records(conn, storage, exits, events.c.reason)
        if r.reason == _AUTO_CHECKOUT_REASON
    }
    return [
        dataclasses.replace(c, stay=dataclasses.replace(c.stay, closed=AUTO_CHECKOUT))
        if c.stay.exit_record in auto
        else c
        for c in contacts
    ]


def _reveal_contacts(storage: Storage, contacts: list[Contact]) -> list[Contact]:
    """Each contact with the opened personal data of the record that began their stay (their
    sealed boxes read in one query by row id)."""
    if not contacts:
        return contacts
    e = events.c
    key = storage.authority_key()
    with storage.db.query() as conn:
        rows = _by_records(
            conn,
            storage,
            (c.stay.record for c in contacts),
            e.event_id,
            e.seal_key,
            e.sealed,
            e.device_id,
            e.person_key,
        )
    boxes = {(int(row.id), row.received_at): _opened(key, row) for row in rows}
    return [dataclasses.replace(c, personal=boxes.get(c.stay.record)) for c in contacts]


def contact_identities(contact: Contact) -> list[Identity]:
    """The identifiers a revealed contact showed (to mark them on the status list under every
    code they may bring)."""
    if contact.personal is None or contact.personal.opened != OPENED:
        return []
    return identities_in_fields(contact.personal.fields, contact.personal.scanned_text)


__all__ = [
    "AUTO_CHECKOUT",
    "DEFAULT_MARGIN",
    "DEFAULT_PERIOD",
    "EXITED",
    "INDEX_COLUMNS",
    "LOOKAHEAD",
    "LOOKBACK",
    "STAY_COLUMNS",
    "STILL_INSIDE",
    "Contact",
    "Stay",
    "TraceInputError",
    "TraceResult",
    "checkpoint_zone",
    "contact_identities",
    "pair",
    "person_keys",
    "trace",
]
