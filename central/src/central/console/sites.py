"""What the console shows about checkpoints: where they are, their kiosks, a day's counts and
visitors (masked), and the province's overview. Read-only queries on the Storage's database,
plus registering a checkpoint's place and noting what kiosks report about themselves.

Day boundaries are local midnights in the checkpoint's time zone (central.tracing
.checkpoint_zone). On PostgreSQL, `events` is partitioned by receipt day: a count over
corrected times adds `received_at >= start - RECEIPT_SLACK` so that only the partitions that
can hold those events are read (an event is received after it is recorded; a kiosk whose clock
ran more than a day fast is the only one missed, and its times are wrong anyway).

Thread contract: functions of a Storage, safe from any thread; each is one snapshot or one
statement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, distinct, func, select

from central.reveal import OPENED, reveal
from central.schema import POSTGRESQL, checkpoint_places, device_reports, devices, events
from central.storage import CheckpointRecord, Storage
from central.tracing import STAY_COLUMNS, STILL_INSIDE, checkpoint_zone, pair
from checkpoint_common.protocol import DeviceStatus

RECEIPT_SLACK = dt.timedelta(days=1)
SILENT_AFTER = dt.timedelta(days=1)
_LATEST_APP_VERSION_CHARS = 40


@dataclass(frozen=True, slots=True)
class Place:
    address: str = ""
    province: str = ""
    district: str = ""
    commune: str = ""


@dataclass(frozen=True, slots=True)
class Kiosk:
    device_id: str
    name: str
    enrolled_at: dt.datetime
    last_contact: dt.datetime | None
    revoked: bool
    reported_at: dt.datetime | None
    app_version: str | None
    waiting: int | None
    clock_synced: bool | None
    clock_offset_ms: int | None
    demo: bool | None


@dataclass(frozen=True, slots=True)
class Visitor:
    """One stay at the checkpoint, as a site manager may see it (masked)."""

    name: str  # "N. V. A**"
    phone: str  # "0912***678" or ""
    kind: str
    birth_year: int | None
    in_time: dt.datetime
    out_time: dt.datetime | None
    closed: str


@dataclass(frozen=True, slots=True)
class DayCounts:
    day: dt.date
    entries: int
    exits: int
    refused: int  # deny verdicts
    people: int  # distinct person keys admitted
    inside_now: int
    hourly_in: tuple[int, ...]  # 24 values, local hours
    hourly_out: tuple[int, ...]


def place(storage: Storage, checkpoint_id: str) -> Place:
    p = checkpoint_places.c
    with storage.db.query() as conn:
        row = conn.execute(
            select(p.address, p.province, p.district, p.commune).where(
                p.checkpoint_id == checkpoint_id
            )
        ).first()
    return Place() if row is None else Place(*(str(v) for v in row))


def places(storage: Storage) -> dict[str, Place]:
    p = checkpoint_places.c
    with storage.db.query() as conn:
        rows = conn.execute(select(p.checkpoint_id, p.address, p.province, p.district, p.commune))
        return {str(r[0]): Place(*(str(v) for v in r[1:])) for r in rows}


def save_place(
    storage: Storage, checkpoint_id: str, where: Place, by: str, now: dt.datetime
) -> None:
    """Register (or correct) where a checkpoint is."""
    values = {
        "address": where.address,
        "province": where.province,
        "district": where.district,
        "commune": where.commune,
    }
    with storage.db.write() as conn:
        conn.execute(
            storage.db.upsert(checkpoint_places, ["checkpoint_id"], update=list(values)).values(
                checkpoint_id=checkpoint_id, registered_by=by, registered_at=now, **values
            )
        )


def note_device_status(
    storage: Storage, device_id: str, status: DeviceStatus, now: dt.datetime
) -> None:
    """Keep what a kiosk said about itself (its last report wins)."""
    values = {
        "reported_at": now,
        "app_version": (status.app_version or "")[:_LATEST_APP_VERSION_CHARS] or None,
        "waiting": status.waiting,
        "clock_synced": status.clock_synced,
        "clock_offset_ms": status.clock_offset_ms,
        "demo": status.demo,
    }
    with storage.db.write() as conn:
        conn.execute(
            storage.db.upsert(device_reports, ["device_id"], update=list(values)).values(
                device_id=device_id, **values
            )
        )


def kiosks(storage: Storage, checkpoint_id: str) -> list[Kiosk]:
    d, r = devices.c, device_reports.c
    with storage.db.query() as conn:
        rows = conn.execute(
            select(
                d.device_id,
                d.device_name,
                d.enrolled_at,
                d.last_contact,
                d.revoked_at,
                r.reported_at,
                r.app_version,
                r.waiting,
                r.clock_synced,
                r.clock_offset_ms,
                r.demo,
            )
            .select_from(devices.outerjoin(device_reports, r.device_id == d.device_id))
            .where(d.checkpoint_id == checkpoint_id)
            .order_by(d.enrolled_at)
        ).all()
    return [
        Kiosk(
            str(row.device_id),
            str(row.device_name or ""),
            row.enrolled_at,
            row.last_contact,
            row.revoked_at is not None,
            row.reported_at,
            row.app_version,
            None if row.waiting is None else int(row.waiting),
            row.clock_synced,
            None if row.clock_offset_ms is None else int(row.clock_offset_ms),
            row.demo,
        )
        for row in rows
    ]


def day_bounds(
    checkpoint: CheckpointRecord | None, day: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    zone = checkpoint_zone(checkpoint)
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _within(start: dt.datetime, end: dt.datetime) -> Any:
    e = events.c
    return (
        (e.corrected_time >= start)
        & (e.corrected_time < end)
        & (e.received_at >= start - RECEIPT_SLACK)
    )


def day_counts(
    storage: Storage, checkpoint: CheckpointRecord, day: dt.date, now: dt.datetime
) -> DayCounts:
    """A day's admitted entries and exits, refusals, distinct people, per local hour; and the
    people inside now (stays open now, from the last day's events)."""
    e = events.c
    start, end = day_bounds(checkpoint, day)
    zone = checkpoint_zone(checkpoint)
    hourly = {"in": [0] * 24, "out": [0] * 24}
    with storage.db.read() as conn:
        rows = conn.execute(
            select(e.direction, e.verdict, e.corrected_time, e.person_key).where(
                e.checkpoint_id == checkpoint.id, _within(start, end)
            )
        ).all()
        inside = _inside_now(conn, storage, checkpoint, now)
    people: set[str] = set()
    refused = 0
    for row in rows:
        if row.verdict != "admit":
            refused += 1
            continue
        people.add(str(row.person_key))
        hourly[row.direction][row.corrected_time.astimezone(zone).hour] += 1
    return DayCounts(
        day,
        sum(hourly["in"]),
        sum(hourly["out"]),
        refused,
        len(people),
        inside,
        tuple(hourly["in"]),
        tuple(hourly["out"]),
    )


def _inside_now(
    conn: Connection, storage: Storage, checkpoint: CheckpointRecord, now: dt.datetime
) -> int:
    e = events.c
    rows = conn.execute(
        select(*STAY_COLUMNS)
        .where(
            e.checkpoint_id == checkpoint.id,
            e.verdict == "admit",
            _within(now - dt.timedelta(hours=24), now + dt.timedelta(minutes=5)),
        )
        .order_by(e.corrected_time, e.id)
    ).all()
    return sum(1 for s in pair(rows, now, {checkpoint.id: checkpoint}) if s.closed == STILL_INSIDE)


def mask_name(full_name: str) -> str:
    """As the national platform showed visitors to a venue: "Nguyễn Văn An" → "N. V. A**"."""
    words = full_name.split()
    if not words:
        return ""
    return " ".join([*(w[0].upper() + "." for w in words[:-1]), words[-1][0].upper() + "**"])


def mask_phone(phone: str) -> str:
    """ "0912345678" → "0912***678" (the first four and the last three digits)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 8:
        return ""
    return f"{digits[:4]}***{digits[-3:]}"


def visitors(
    storage: Storage, checkpoint: CheckpointRecord, day: dt.date, now: dt.datetime
) -> list[Visitor]:
    """The day's stays at the checkpoint, masked (never full personal data): names and phones
    are opened from the sealed data only to be masked here, as the national platform masked
    them for venues (Decision 2666/QĐ-BYT)."""
    e = events.c
    start, end = day_bounds(checkpoint, day)
    with storage.db.query() as conn:
        rows = conn.execute(
            select(*STAY_COLUMNS, e.birth_year, e.event_id, e.seal_key, e.sealed)
            .where(e.checkpoint_id == checkpoint.id, e.verdict == "admit", _within(start, end))
            .order_by(e.corrected_time, e.id)
        ).all()
    by_record = {(int(r.id), r.received_at): r for r in rows}
    key = storage.authority_key()
    found = []
    for stay in pair(rows, now, {checkpoint.id: checkpoint}):
        row = by_record[stay.record]
        opened = reveal(key, str(row.event_id), row.seal_key, row.sealed)
        fields = opened.fields if opened.opened == OPENED else {}
        full_name = str(fields.get("full_name") or "")
        found.append(
            Visitor(
                mask_name(full_name) if full_name else (stay.display_name or "—"),
                mask_phone(str(fields.get("phone") or "")),
                stay.kind,
                row.birth_year,
                stay.in_time,
                stay.out_time,
                stay.closed,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class CheckpointLine:
    checkpoint: CheckpointRecord
    place: Place
    scans_today: int
    people_today: int
    kiosks: int
    last_contact: dt.datetime | None

    def silent(self, now: dt.datetime) -> bool:
        """Enrolled kiosks, none heard from for more than a day."""
        return self.kiosks > 0 and (
            self.last_contact is None or now - self.last_contact > SILENT_AFTER
        )


@dataclass(frozen=True, slots=True)
class Overview:
    lines: tuple[CheckpointLine, ...]
    registered: int
    active_today: int
    scans_today: int
    scans_week_average: float
    people_today: int
    silent: int
    hourly: tuple[tuple[dt.datetime, int], ...]  # the last 14 days, per hour (UTC hours)


def _hour(storage: Storage, column: Any) -> Any:
    """The UTC hour of a UtcTime column, in SQL: date_trunc on PostgreSQL; on SQLite the first
    13 characters of the ISO text ("2026-12-03T06")."""
    if storage.db.dialect == POSTGRESQL:
        return func.date_trunc("hour", func.timezone("UTC", column))
    return func.substr(column, 1, 13)


def _hour_value(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(str(value), "%Y-%m-%dT%H").replace(tzinfo=dt.UTC)


def overview(storage: Storage, now: dt.datetime) -> Overview:
    """The province's figures (module docstring): today in Vietnam's time zone, the 7 days
    before it, and scans per hour over the last 14 days, for every checkpoint."""
    e, d = events.c, devices.c
    zone = checkpoint_zone(None)
    today = now.astimezone(zone).date()
    start, end = day_bounds(None, today)
    week_start = start - dt.timedelta(days=7)
    chart_start = (now - dt.timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    cps = storage.checkpoints()
    where = places(storage)
    with storage.db.read() as conn:
        today_rows = {
            str(r.checkpoint_id): (int(r.n), int(r.people))
            for r in conn.execute(
                select(
                    e.checkpoint_id,
                    func.count().label("n"),
                    func.count(distinct(e.person_key)).label("people"),
                )
                .where(_within(start, end))
                .group_by(e.checkpoint_id)
            )
        }
        people_today = int(
            conn.execute(
                select(func.count(distinct(e.person_key))).where(_within(start, end))
            ).scalar_one()
        )
        week = int(
            conn.execute(select(func.count()).where(_within(week_start, start))).scalar_one()
        )
        device_rows = {
            str(r.checkpoint_id): (int(r.n), r.last)
            for r in conn.execute(
                select(
                    d.checkpoint_id,
                    func.count().label("n"),
                    func.max(d.last_contact).label("last"),
                )
                .where(d.revoked_at.is_(None))
                .group_by(d.checkpoint_id)
            )
        }
        # Counted per hour by the database (14 days of a province's scans stay there).
        hour = _hour(storage, e.corrected_time)
        buckets: dict[dt.datetime, int] = {}
        for row in conn.execute(
            select(hour.label("hour"), func.count().label("n"))
            .where(_within(chart_start, now + dt.timedelta(hours=1)))
            .group_by(hour)
        ):
            buckets[_hour_value(row.hour)] = int(row.n)
    lines = []
    for cp in cps:
        scans, people = today_rows.get(cp.id, (0, 0))
        count, last = device_rows.get(cp.id, (0, None))
        lines.append(CheckpointLine(cp, where.get(cp.id, Place()), scans, people, count, last))
    hours = []
    moment = chart_start
    while moment <= now:
        hours.append((moment, buckets.get(moment, 0)))
        moment += dt.timedelta(hours=1)
    return Overview(
        lines=tuple(lines),
        registered=len(cps),
        active_today=sum(1 for line in lines if line.scans_today),
        scans_today=sum(line.scans_today for line in lines),
        scans_week_average=week / 7,
        people_today=people_today,
        silent=sum(1 for line in lines if line.silent(now)),
        hourly=tuple(hours),
    )


__all__ = [
    "CheckpointLine",
    "DayCounts",
    "Kiosk",
    "Overview",
    "Place",
    "Visitor",
    "day_bounds",
    "day_counts",
    "kiosks",
    "mask_name",
    "mask_phone",
    "note_device_status",
    "overview",
    "place",
    "places",
    "save_place",
    "visitors",
]
