"""Everything the central server keeps, behind one class. `Storage` is the only module that
speaks to the database about the server's data; it runs on SQLite (the embedded default) and on
PostgreSQL (a province) alike, through SQLAlchemy Core (central.schema: the tables;
central.database: connections and transactions; central.migrate: schema versions).

Durability: SQLite in WAL mode with `synchronous=FULL`, set and verified on every connection
(checkpoint_common.durable); PostgreSQL with its defaults (`synchronous_commit=on`). Every
write is one short transaction, and an upload batch is exactly one (one fsync per batch, never
one per event). The server answers a kiosk only after that COMMIT returned.

Idempotency (docs/protocol.md, "Upload"): one row per (device_id, event_id), kept by the
primary key of `event_ids` (events itself is partitioned on PostgreSQL, where a unique
constraint would have to include the partition key). A replay with the same content is
`duplicate`; the same event_id with other content is `rejected` with error "conflict" (logged
with the event_id only). Content is compared by a SHA-256 over the event's fields
(`content_digest`), so the comparison never depends on how the kiosk spaced or ordered its JSON.
An ingest transaction first locks its device's row (`SELECT … FOR UPDATE`; on SQLite the
transaction holds the write lock already): batches of one device are stored one at a time, so
the lookup of ids already stored is exact even when a kiosk's retries race each other, and
batches of different devices run in parallel on PostgreSQL.

Clock correction (docs/protocol.md, "Clock correction"): every upload notes an anchor for its
(device, boot): receive time R and the kiosk's `sent_mono_ns` M. Of several uploads in one boot
the anchor with the smallest R − M is kept: R − M overestimates the true offset by the transit
time, so the smallest is the best estimate. An event of an anchored boot gets
`corrected_time = R − (M − mono_ns)`; `clock_flag` is `corrected` when that differs from the device
time by more than CLOCK_FLAG_THRESHOLD_S, else `ok`. An event of a boot without an anchor keeps
its device time, flagged `unverified` unless its clock was synchronised (`ok`). No event is
dated after its receipt (+2 s): an anchor that would do so is not used, a device time that does
is replaced by the receive time (`unverified`); queries by corrected time rely on it. When an anchor
for a boot arrives after `unverified` events of that boot were stored (a boot's own upload
processed after another boot's upload carried its events, e.g. a delayed or reordered request),
those events are corrected in the same transaction.

Threading: FastAPI runs sync endpoints in a thread pool, so one Storage serves many threads at
once; each call borrows a pooled connection for its transaction (central.database). Reads are
single statements or short snapshots; nothing holds a transaction open across a loop (on SQLite
it would stop checkpoints and let the WAL grow), which is why `events()` pages by id.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Row,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from central import partitions
from central.database import Database, DatabaseLocation, describe_failure, locate
from central.errors import (
    InvalidDatabaseUrl,
    MigrationRequired,
    MissingDatabase,
    StorageBusy,
    StorageError,
    StorageUnavailable,
    StorageVersionError,
)
from central.migrate import prepare
from central.schema import (
    COUNTER_NAMES,
    POSTGRESQL,
    UtcTime,
    boot_anchors,
    checkpoints,
    counters,
    declarations,
    deployment,
    devices,
    enrollment_codes,
    event_ids,
    events,
    status_changes,
    status_list,
    status_versions,
    trust_lists,
)
from checkpoint_common.protocol import (
    CLOCK_FLAG_THRESHOLD_S,
    SERVER_SETTINGS,
    STATUS_DUPLICATE,
    STATUS_REJECTED,
    STATUS_STORED,
    EventPayload,
    EventResult,
    StatusEntry,
    UploadRequest,
    to_json,
)
from checkpoint_common.seal import PrivateKey
from checkpoint_common.settings import ConfigError, Settings, validate
from checkpoint_common.signing import SigningKey
from checkpoint_common.timefmt import from_iso, to_iso

log = logging.getLogger(__name__)

# The incremental status-list download works from any of the last this many versions; a kiosk
# further behind gets the full list (docs/protocol.md, "Downloads").
STATUS_LOG_VERSIONS = 100
_EVENTS_PAGE = 1000
_INT64 = (-(2**63), 2**63 - 1)
_MAX_ID_CHARS = 200
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
# Before year 1000 `to_iso` text is no longer fixed-width (and no clock is that wrong).
_EARLIEST = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
# Rounding and the server's own clock steps: a corrected time may exceed its upload's receive
# time by this much and still be believed.
_CLOCK_TOLERANCE = dt.timedelta(seconds=2)

# A new clock anchor for a boot that already has one may move the boot's offset by at most this
# (docs/protocol.md, "Clock correction"): more is refused.
MAX_ANCHOR_SHIFT_NS = CLOCK_FLAG_THRESHOLD_S * 10**9

_ETAG_SAFE = re.compile(r"[!#-~]{1,100}")

CLOCK_OK = "ok"
CLOCK_CORRECTED = "corrected"
CLOCK_UNVERIFIED = "unverified"
CONFLICT = "conflict"
CHECKPOINT_MISMATCH = "checkpoint_mismatch"
BEFORE_ENROLLMENT = "recorded_before_enrollment"
# The problem code a kiosk puts on events its built-in demo source produced (refused here).
DEMO = "demo"


class EnrollmentRefused(StorageError):
    """The enrollment code is unknown, already used, or expired (one answer for all three)."""


class EnrollmentConflict(StorageError):
    """The device id is enrolled already, and neither its current token nor a code issued to
    replace it was given: nothing changed (the old token keeps working, the code stays
    unused)."""


class UnknownCheckpoint(StorageError):
    pass


class UnknownDevice(StorageError):
    pass


class InvalidInput(StorageError):
    """A value given to the storage is not acceptable; the message names it."""


# ---------------------------------------------------------------------------------------------
# Values returned


@dataclass(frozen=True, slots=True)
class CheckpointRecord:
    id: str
    name: str
    settings: dict[str, Any]  # the server-managed settings the operator set (no name)
    config_version: int

    def kiosk_settings(self) -> dict[str, Any]:
        """The settings a kiosk receives: the operator's, plus the checkpoint's name."""
        return {**self.settings, "checkpoint_name": self.name}


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    device_id: str
    checkpoint_id: str
    revoked: bool
    last_contact: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One stored event: what the kiosk sent, plus what the server added."""

    device_id: str
    event: EventPayload
    received_at: dt.datetime
    corrected_time: dt.datetime
    clock_flag: str  # ok | corrected | unverified

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            **to_json(self.event),
            "received_at": to_iso(self.received_at),
            "corrected_time": to_iso(self.corrected_time),
            "clock_flag": self.clock_flag,
        }


@dataclass(frozen=True, slots=True)
class CheckpointToday:
    checkpoint_id: str
    name: str
    devices: int  # enrolled and not revoked
    entries: int  # admitted, corrected time within today in the checkpoint's time zone
    exits: int
    last_contact: dt.datetime | None


@dataclass(frozen=True, slots=True)
class HourCounts:
    """One hour of a checkpoint's day."""

    start: dt.datetime  # the hour's start, in the checkpoint's time zone
    entries: int  # admitted entries
    exits: int  # admitted exits
    refused: int  # referred to the medical staff or not allowed in, either direction


@dataclass(frozen=True, slots=True)
class CheckpointDay:
    """A checkpoint's counts for one local day, hour by hour (24 hours; 23 or 25 where the
    zone changes its clocks that day)."""

    checkpoint_id: str
    day: dt.date
    hours: tuple[HourCounts, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "checkpoint_id": self.checkpoint_id,
            "day": self.day.isoformat(),
            "entries": sum(h.entries for h in self.hours),
            "exits": sum(h.exits for h in self.hours),
            "refused": sum(h.refused for h in self.hours),
            "hours": [
                {
                    "start": h.start.isoformat(),
                    "entries": h.entries,
                    "exits": h.exits,
                    "refused": h.refused,
                }
                for h in self.hours
            ],
        }


@dataclass(frozen=True, slots=True)
class DailyFigures:
    """The deployment's figures for one local day, as a steering committee reports them."""

    day: dt.date
    checkpoints: int  # registered by the end of the day
    new_checkpoints: int  # registered that day
    active_checkpoints: int  # with at least one scan that day
    scans: int  # events recorded that day: entries and exits, any verdict
    entries: int  # admitted entries
    people: int  # distinct people scanned

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["day"] = self.day.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class StatusChanges:
    version: int
    full: bool
    upserts: tuple[StatusEntry, ...]
    removed: tuple[str, ...]
    # When `version` was made (None for version 0) and how many entries the list holds at it:
    # the signed status list's issue time and count (central.documents).
    created_at: dt.datetime | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class TrustListRecord:
    version: str | int
    keys: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class Stats:
    events: int
    devices: int
    checkpoints: int
    duplicates: int  # replays answered `duplicate` since the database was created
    conflicts: int
    rejected: int

    def to_json(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a retention purge removed: every event received before 00:00 UTC of `before`."""

    before: dt.date
    days: tuple[dt.date, ...]  # PostgreSQL: the daily partitions dropped (SQLite: none)
    events: int | None  # SQLite: rows deleted; PostgreSQL: None (whole partitions went)
    event_ids: int  # exactly-once rows deleted (both engines)
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before.isoformat(),
            "days": [d.isoformat() for d in self.days],
            "events": self.events,
            "event_ids": self.event_ids,
            "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------------------------------------
# Pure helpers


def content_digest(event: EventPayload) -> str:
    """SHA-256 over the event's fields in protocol order, each as its repr, separated by a
    unit separator: canonical (the field order is the dataclass's; repr is unambiguous for
    str/int/bool/None/tuple) and ~7x cheaper than canonical JSON on the ingest path."""
    text = "\x1f".join(repr(getattr(event, name)) for name in _ALL_FIELDS)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _US


# The sealed box is not part of the content: a kiosk may re-seal an event it had not delivered
# (its holding key replaced by the authority's), and each sealing is randomised.
_ALL_FIELDS = tuple(
    f.name for f in dataclasses.fields(EventPayload) if f.name not in ("seal_key", "sealed")
)
_TEXT_FIELDS = tuple(
    f.name for f in dataclasses.fields(EventPayload) if f.name not in ("problems",)
)


def _check_text(event: EventPayload) -> str | None:
    """Text both engines and JSON can carry: a lone surrogate (legal in JSON, not in UTF-8) is
    not, nor is NUL (U+0000) in a field stored as text (PostgreSQL's text type cannot hold it;
    the same rule on SQLite keeps the engines alike). `problems` is stored as JSON, where NUL
    is escaped, so it may hold any valid Unicode."""
    # ASCII text (nearly every field of nearly every event) is valid by construction; only the
    # rest pays for an encode. This runs once per event on the ingest path.
    for name in _TEXT_FIELDS:
        value = getattr(event, name)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            return f"{name}: contains NUL (U+0000), which cannot be stored"
        if not value.isascii() and not _encodes(value):
            return f"{name}: not valid Unicode text"
    for problem in event.problems:
        if not problem.isascii() and not _encodes(problem):
            return "problems: not valid Unicode text"
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_event(event: EventPayload) -> tuple[str | None, dt.datetime | None]:
    """What `EventPayload.from_json` cannot know: (error, parsed device time)."""
    for name in ("seq", "mono_ns", "birth_year"):
        number = getattr(event, name)
        if number is not None and not _INT64[0] <= number <= _INT64[1]:
            return f"{name}: out of range", None
    if len(event.event_id) > _MAX_ID_CHARS:
        return "event_id: too long", None
    try:
        uuid.UUID(event.event_id)
    except ValueError:
        return "event_id: not a UUID", None
    for name in ("person_key", "kind", "boot_id", "checkpoint_id"):
        if not getattr(event, name):
            return f"{name}: empty", None
    if DEMO in event.problems:
        # Recorded by a kiosk's built-in demo source: made-up people, never counted.
        return f"{DEMO}: recorded by the kiosk's demo source, not by a real scan", None
    try:
        device_time = from_iso(event.device_time)
    except (ValueError, OverflowError):
        return "device_time: not an ISO 8601 time", None
    if not _EARLIEST <= device_time < _LATEST:
        return "device_time: out of range", None
    return None, device_time


def correct_time(
    device_time: dt.datetime,
    mono_ns: int,
    clock_synced: bool,
    anchor: tuple[dt.datetime, int] | None,
    not_after: dt.datetime,
) -> tuple[dt.datetime, str]:
    """(corrected time, clock flag) for one event, per the module docstring.

    `not_after` is the receive time of the event (nothing was recorded after it arrived). The
    anchor is not used when the result would be impossible: a negative monotonic time (the
    clock starts at boot), or a time after `not_after`. Such an event is treated as having no
    anchor: a kiosk bug must not move events to invented times. An event without a usable
    anchor keeps its device time, unless that too is after `not_after` (a kiosk clock ahead):
    then the receive time, the latest it can have happened, flagged unverified. So a stored
    event's corrected time is never more than _CLOCK_TOLERANCE after its receipt, which lets
    queries by corrected time skip the partitions of days received before their window
    (`received_since`).
    """
    latest = not_after + _CLOCK_TOLERANCE
    if anchor is not None and mono_ns >= 0:
        server_time, anchor_mono = anchor
        corrected = _EPOCH + _US * ((_micros(server_time) * 1000 - (anchor_mono - mono_ns)) // 1000)
        if corrected <= latest:
            off = abs((corrected - device_time).total_seconds())
            return corrected, CLOCK_CORRECTED if off > CLOCK_FLAG_THRESHOLD_S else CLOCK_OK
    if device_time > latest:
        return not_after, CLOCK_UNVERIFIED
    return device_time, CLOCK_OK if clock_synced else CLOCK_UNVERIFIED


# ---------------------------------------------------------------------------------------------
# Rows to values


def _status_rows(rows: Iterable[Sequence[Any]]) -> tuple[StatusEntry, ...]:
    return tuple(StatusEntry(str(k), str(c), v) for k, c, v in rows)


# A result row of any shape (columns read by name).
_Row = Row[*tuple[Any, ...]]

_EVENT_COLUMNS = (
    events.c.id,
    events.c.device_id,
    events.c.event_id,
    events.c.seq,
    events.c.checkpoint_id,
    events.c.person_key,
    events.c.kind,
    events.c.display_name,
    events.c.birth_year,
    events.c.direction,
    events.c.verdict,
    events.c.reason,
    events.c.device_time,
    events.c.mono_ns,
    events.c.boot_id,
    events.c.clock_synced,
    events.c.problems,
    events.c.received_at,
    events.c.corrected_time,
    events.c.clock_flag,
    events.c.seal_key,
    events.c.sealed,
)


def _server_event(row: _Row) -> ServerEvent:
    event = EventPayload(
        event_id=row.event_id,
        seq=row.seq,
        checkpoint_id=row.checkpoint_id,
        person_key=row.person_key,
        kind=row.kind,
        display_name=row.display_name,
        birth_year=row.birth_year,
        direction=row.direction,
        verdict=row.verdict,
        reason=row.reason,
        device_time=row.device_time,
        mono_ns=row.mono_ns,
        boot_id=row.boot_id,
        clock_synced=bool(row.clock_synced),
        problems=tuple(json.loads(row.problems)),
        seal_key=row.seal_key,
        sealed=base64.b64encode(row.sealed).decode("ascii") if row.sealed is not None else None,
    )
    return ServerEvent(row.device_id, event, row.received_at, row.corrected_time, row.clock_flag)


def _checkpoint(row: _Row) -> CheckpointRecord:
    return CheckpointRecord(row.id, row.name, json.loads(row.settings), int(row.config_version))


_CHECKPOINT_COLUMNS = (
    checkpoints.c.id,
    checkpoints.c.name,
    checkpoints.c.settings,
    checkpoints.c.config_version,
)


def forget_stored(conn: Connection, per_device: Mapping[str, int]) -> None:
    """Take purged events off their devices' `events_stored`, in the purge's transaction."""
    if per_device:
        conn.execute(
            update(devices)
            .where(devices.c.device_id == bindparam("device"))
            .values(events_stored=devices.c.events_stored - bindparam("gone")),
            [{"device": device, "gone": n} for device, n in per_device.items()],
        )


def received_since(moment: dt.datetime) -> Any:
    """`received_at` at or after what an event of corrected time `moment` or later must have
    (correct_time: never recorded more than _CLOCK_TOLERANCE after its receipt). Added to a
    query by corrected time, it is always true of the rows wanted, and it lets PostgreSQL skip
    every daily partition received before the window instead of probing each one's index."""
    return events.c.received_at >= moment - _CLOCK_TOLERANCE


def _local_day(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day, as aware datetimes."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def _hour_index(dialect: str, start: dt.datetime) -> Any:
    """Whole hours from `start` to an event's corrected time, computed in SQL (the hour of a
    day's counts). `start` is computed, never input: it is written into the SQL as a literal."""
    if dialect == POSTGRESQL:
        return literal_column(
            "floor(extract(epoch from (events.corrected_time - "
            f"CAST('{start.astimezone(dt.UTC).isoformat()}' AS timestamptz))) / 3600)::int"
        )
    # Fixed-width ISO text: its first 19 characters are the whole seconds (exact, no rounding).
    return literal_column(
        "(CAST(strftime('%s', substr(events.corrected_time, 1, 19)) AS INTEGER) - "
        f"{int(start.timestamp())}) / 3600"
    )


@dataclass(slots=True)
class _Prepared:
    """An event checked before the transaction starts (all the work that needs no database)."""

    event: EventPayload
    digest: str | None  # None: text not storable (error says why)
    error: str | None
    device_time: dt.datetime | None


class Storage:
    """The server's database. Open with `Storage.open(path or URL)`; close with `close()` (or
    `with`).

    Safe to share between threads (module docstring). Methods raise StorageBusy when another
    process held SQLite's write lock past busy_timeout, StorageUnavailable when PostgreSQL
    cannot be reached or no connection is free, and SQLAlchemy's errors for anything
    unexpected.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.location: DatabaseLocation = db.location
        self._deployment: dict[str, str] = {}
        # Days that have an events partition (PostgreSQL), as far as this process knows.
        self._partition_days: set[dt.date] = set()

    @classmethod
    def open(
        cls,
        target: Path | str | DatabaseLocation,
        *,
        create: bool = True,
        upgrade: bool = False,
        backup_dir: Path | None = None,
    ) -> Storage:
        """Open the database at `target` (a path or a URL, central.database.locate), creating
        or upgrading its schema as central.migrate.prepare says.

        An SQLite file is created mode 0600; before one that already holds data is migrated, a
        consistent copy goes to `backup_dir` (default: `backups/` beside the file).
        `create=False`: raise MissingDatabase rather than create anything. `upgrade=True`:
        upgrade an older PostgreSQL schema too (`kiosk-central migrate`). Raises
        InvalidDatabaseUrl, StorageVersionError (a newer or foreign database), MigrationRequired
        (older PostgreSQL), StorageUnavailable (cannot connect), MissingDatabase, StorageError
        (WAL/FULL cannot be set, or not a database).
        """
        location = target if isinstance(target, DatabaseLocation) else locate(target)
        try:
            prepare(location, create=create, upgrade=upgrade, backup_dir=backup_dir)
        except DBAPIError as exc:
            raise StorageError(
                f"{location} is not a usable database: {describe_failure(exc)}"
            ) from exc
        storage = cls(Database.connect(location))
        try:
            storage._init_deployment()
            storage._ensure_partitions(dt.datetime.now(dt.UTC).date())
        except BaseException:
            storage.close()
            raise
        return storage

    def close(self) -> None:
        """Close every connection. The Storage cannot be used afterwards."""
        self.db.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_deployment(self) -> None:
        """The deployment's secrets, made at the first open (never replaced)."""
        made = {
            "person_key_secret": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
            "authority_private_key": PrivateKey.generate().to_text(),
            # The online key that signs configs and status lists under the root's delegation
            # (central.documents); made here, once, so that every worker process signs with
            # the same one.
            "online_signing_key": base64.b64encode(SigningKey.generate().seed).decode("ascii"),
        }
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(deployment)
                .values([{"key": k, "value": v} for k, v in made.items()])
                .on_conflict_do_nothing(index_elements=["key"])
            )

    def _deployment_value(self, key: str) -> str:
        value = self._deployment.get(key)
        if value is None:
            with self.db.query() as conn:
                value = str(
                    conn.execute(
                        select(deployment.c.value).where(deployment.c.key == key)
                    ).scalar_one()
                )
            self._deployment[key] = value
        return value

    def deployment_setting(self, key: str) -> str | None:
        """A deployment value that may be missing (None), read each time (another process,
        `kiosk-central declaration-key`, may set it)."""
        with self.db.query() as conn:
            value = conn.execute(
                select(deployment.c.value).where(deployment.c.key == key)
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def set_deployment_setting(self, key: str, value: str) -> None:
        """Set (or replace) a deployment value that is not one of the secrets made at first
        open (those are never replaced)."""
        if key in ("person_key_secret", "authority_private_key"):
            raise InvalidInput(f"{key} is never replaced")
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(deployment)
                .values(key=key, value=value)
                .on_conflict_do_update(index_elements=["key"], set_={"value": value})
            )
        self._deployment.pop(key, None)

    def ensure_partitions(self, day: dt.date) -> None:
        """PostgreSQL: make `day` and the DAYS_AHEAD days after it have an events partition,
        whatever this process believes exists (the housekeeping's daily check). SQLite: no-op."""
        if self.db.dialect == POSTGRESQL:
            self._partition_days |= partitions.ensure(self.db, day)

    def _ensure_partitions(self, day: dt.date) -> None:
        """PostgreSQL: make sure `day` (and the days after it) have an events partition."""
        if self.db.dialect == POSTGRESQL and day not in self._partition_days:
            self._partition_days |= partitions.ensure(self.db, day)

    # -- deployment ---------------------------------------------------------------------------

    def person_key_secret(self) -> str:
        """The deployment's person-key secret (base64 of 32 bytes), made at first open."""
        return self._deployment_value("person_key_secret")

    def authority_key(self) -> PrivateKey:
        """The health authority's private key that kiosks seal personal data to (made at first
        open). The reference server keeps it in its database; see docs/central.md."""
        return PrivateKey.from_text(self._deployment_value("authority_private_key"))

    def deployment_value(self, key: str) -> str | None:
        """A value of the deployment table (None when absent), read fresh from the database:
        published documents and keys change while the server runs (central.documents)."""
        with self.db.query() as conn:
            value = conn.execute(select(deployment.c.value).where(deployment.c.key == key)).scalar()
        return None if value is None else str(value)

    def deployment_values(self, prefix: str) -> dict[str, str]:
        """Every deployment value whose key starts with `prefix`."""
        with self.db.query() as conn:
            rows = conn.execute(
                select(deployment.c.key, deployment.c.value).where(
                    deployment.c.key.startswith(prefix, autoescape=True)
                )
            ).all()
        return {str(r.key): str(r.value) for r in rows}

    def set_deployment_values(self, values: Mapping[str, str]) -> None:
        """Insert or replace deployment values in one transaction (the "deployment" lock
        serialises writers that read before they write, as `kiosk-central publish`)."""
        with self.db.write() as conn:
            self.db.lock(conn, "deployment")
            for key, value in values.items():
                conn.execute(
                    self.db.upsert(deployment, ["key"], update=["value"]).values(
                        key=key, value=value
                    )
                )
        for key in values:
            self._deployment.pop(key, None)

    # -- checkpoints --------------------------------------------------------------------------

    @staticmethod
    def _next_config_version(conn: Connection) -> int:
        """Config versions are one sequence over all checkpoints (max + 1): a kiosk enrolled
        again elsewhere never finds its old ETag matching the new checkpoint's config. The
        caller holds the "checkpoints" lock."""
        current = conn.execute(select(func.max(checkpoints.c.config_version))).scalar()
        return int(current or 0) + 1

    def ensure_checkpoint(self, name: str, now: dt.datetime) -> CheckpointRecord:
        """The checkpoint with this name, created if new. Raises InvalidInput for a bad name."""
        _validate_settings({"checkpoint_name": name})
        with self.db.write() as conn:
            self.db.lock(conn, "checkpoints")
            found = conn.execute(
                select(checkpoints.c.id).where(checkpoints.c.name == name)
            ).scalar()
            if found is None:
                checkpoint_id = "cp-" + base64.b32encode(secrets.token_bytes(5)).decode().lower()
                conn.execute(
                    checkpoints.insert().values(
                        id=checkpoint_id,
                        name=name,
                        config_version=self._next_config_version(conn),
                        created_at=now,
                    )
                )
                log.info("checkpoint %s created", checkpoint_id)
            else:
                checkpoint_id = str(found)
        created = self.checkpoint(checkpoint_id)
        assert created is not None  # just written; checkpoints are never deleted
        return created

    def checkpoint(self, checkpoint_id: str) -> CheckpointRecord | None:
        with self.db.query() as conn:
            row = conn.execute(
                select(*_CHECKPOINT_COLUMNS).where(checkpoints.c.id == checkpoint_id)
            ).first()
        return None if row is None else _checkpoint(row)

    def checkpoints(self, ids: Iterable[str] | None = None) -> list[CheckpointRecord]:
        """Every checkpoint by name, or only those of `ids` (unknown ids are left out)."""
        query = select(*_CHECKPOINT_COLUMNS).order_by(checkpoints.c.name)
        if ids is not None:
            query = query.where(self.db.among(checkpoints.c.id, ids))
        with self.db.query() as conn:
            rows = conn.execute(query).all()
        return [_checkpoint(row) for row in rows]

    def update_checkpoint_settings(
        self, checkpoint_id: str, changes: Mapping[str, Any]
    ) -> CheckpointRecord:
        """Set (value) or unset (None) server-managed settings; `checkpoint_name` renames the
        checkpoint. Validated with the kiosk's own checks (checkpoint_common.settings) so a
        kiosk never receives a value it would refuse. Bumps the config version (the kiosks'
        ETag). Raises UnknownCheckpoint, InvalidInput."""
        unknown = [k for k in changes if k not in SERVER_SETTINGS]
        if unknown:
            raise InvalidInput(
                f"{unknown[0]!r} is not a server-managed setting ({', '.join(SERVER_SETTINGS)})"
            )
        with self.db.write() as conn:
            self.db.lock(conn, "checkpoints")
            row = conn.execute(
                select(checkpoints.c.name, checkpoints.c.settings).where(
                    checkpoints.c.id == checkpoint_id
                )
            ).first()
            if row is None:
                raise UnknownCheckpoint(f"no checkpoint {checkpoint_id!r}")
            name, settings = str(row.name), dict(json.loads(row.settings))
            for key, value in changes.items():
                if key == "checkpoint_name":
                    if value is None:
                        raise InvalidInput("checkpoint_name cannot be unset")
                    name = value
                elif value is None:
                    settings.pop(key, None)
                else:
                    settings[key] = value
            _validate_settings({**settings, "checkpoint_name": name})
            clash = conn.execute(
                select(checkpoints.c.id).where(
                    checkpoints.c.name == name, checkpoints.c.id != checkpoint_id
                )
            ).scalar()
            if clash is not None:
                raise InvalidInput(f"another checkpoint ({clash}) already has that name")
            conn.execute(
                update(checkpoints)
                .where(checkpoints.c.id == checkpoint_id)
                .values(
                    name=name,
                    settings=json.dumps(settings, ensure_ascii=False, sort_keys=True),
                    config_version=self._next_config_version(conn),
                )
            )
        updated = self.checkpoint(checkpoint_id)
        assert updated is not None
        return updated

    # -- enrollment and devices ---------------------------------------------------------------

    def add_enrollment_code(
        self,
        checkpoint_id: str,
        code_sha256: str,
        *,
        now: dt.datetime,
        expires_at: dt.datetime,
        replaces_device: str | None = None,
    ) -> None:
        """Store a one-time code's hash for the checkpoint. `replaces_device`: the code may
        enroll that device id again although it is enrolled (and only that device). Raises
        UnknownCheckpoint, UnknownDevice (no such device to replace)."""
        with self.db.write() as conn:
            exists = conn.execute(
                select(checkpoints.c.id).where(checkpoints.c.id == checkpoint_id)
            ).scalar()
            if replaces_device is not None:
                known = conn.execute(
                    select(devices.c.device_id).where(devices.c.device_id == replaces_device)
                ).scalar()
                if known is None:
                    raise UnknownDevice(f"no device {replaces_device!r} to replace")
            if exists is not None:
                conn.execute(
                    enrollment_codes.insert().values(
                        code_sha256=code_sha256,
                        checkpoint_id=checkpoint_id,
                        created_at=now,
                        expires_at=expires_at,
                        replaces_device=replaces_device,
                    )
                )
                return
        raise UnknownCheckpoint(f"no checkpoint {checkpoint_id!r}")

    def enroll(
        self,
        code_sha256: str,
        *,
        device_id: str,
        device_name: str,
        token_sha256: str,
        now: dt.datetime,
        current_token_sha256: str | None = None,
    ) -> CheckpointRecord:
        """Use a one-time code: mark it used and (re-)register the device with a new token.

        A device id that is enrolled already is taken over only by its holder: the request
        carries that device's current token (`current_token_sha256`, not revoked), or the code
        was issued to replace it (`add_enrollment_code(replaces_device=...)`). Otherwise
        EnrollmentConflict, and nothing changes: the code stays unused, the old token keeps
        working. A code issued to replace a device enrolls only that device. A device that
        moves to another checkpoint is logged as a warning and its clock anchors are dropped
        (times of its next boot are corrected from its next upload, never from the old
        anchors). The new token replaces the old one. Two enrollments racing for one code: one
        wins (the conditional UPDATE below is atomic on both engines). Raises
        EnrollmentRefused for an unknown, used or expired code, or a replacement code used by
        another device.
        """
        code = enrollment_codes.c
        d = devices.c
        moved_from: str | None = None
        with self.db.write() as conn:
            found = conn.execute(
                select(code.checkpoint_id, code.replaces_device).where(
                    code.code_sha256 == code_sha256, code.used_at.is_(None), code.expires_at > now
                )
            ).first()
            if found is None:
                raise EnrollmentRefused("enrollment code unknown, used or expired")
            checkpoint_id, replaces = found.checkpoint_id, found.replaces_device
            if replaces is not None and replaces != device_id:
                raise EnrollmentRefused("this code replaces another device")
            existing = conn.execute(
                select(d.checkpoint_id, d.token_sha256, d.revoked_at)
                .where(d.device_id == device_id)
                .with_for_update()
            ).first()
            if existing is not None:
                holder = (
                    current_token_sha256 is not None
                    and existing.revoked_at is None
                    and secrets.compare_digest(existing.token_sha256, current_token_sha256)
                )
                if not (holder or replaces == device_id):
                    log.warning(
                        "enrollment refused: device %s is enrolled already (no current token, "
                        "no code issued to replace it)",
                        device_id,
                    )
                    raise EnrollmentConflict(f"device {device_id} is enrolled already")
                if existing.checkpoint_id != checkpoint_id:
                    moved_from = str(existing.checkpoint_id)
            taken = (
                conn.execute(
                    update(enrollment_codes)
                    .where(code.code_sha256 == code_sha256, code.used_at.is_(None))
                    .values(used_at=now, used_by=device_id)
                ).rowcount
                == 1
            )
            if not taken:
                raise EnrollmentRefused("enrollment code unknown, used or expired")
            if moved_from is not None:
                # The anchors tied this device's boots to its old place's uploads; a device that
                # moves starts again (an intruder's anchors could otherwise shift its times).
                conn.execute(boot_anchors.delete().where(boot_anchors.c.device_id == device_id))
            conn.execute(
                self.db.upsert(
                    devices,
                    ["device_id"],
                    update=[
                        "checkpoint_id",
                        "device_name",
                        "token_sha256",
                        "enrolled_at",
                        "last_contact",
                    ],
                    also={"revoked_at": None},
                ).values(
                    device_id=device_id,
                    checkpoint_id=checkpoint_id,
                    device_name=device_name,
                    token_sha256=token_sha256,
                    enrolled_at=now,
                    last_contact=now,
                )
            )
        if moved_from is not None:
            log.warning(
                "device %s moved from checkpoint %s to %s: its clock anchors were reset",
                device_id,
                moved_from,
                checkpoint_id,
            )
        log.info("device %s enrolled for checkpoint %s", device_id, checkpoint_id)
        record = self.checkpoint(str(checkpoint_id))
        assert record is not None
        return record

    def device_by_token(self, token_sha256: str) -> DeviceRecord | None:
        d = devices.c
        with self.db.query() as conn:
            row = conn.execute(
                select(d.device_id, d.checkpoint_id, d.revoked_at, d.last_contact).where(
                    d.token_sha256 == token_sha256
                )
            ).first()
        if row is None:
            return None
        return DeviceRecord(
            row.device_id, row.checkpoint_id, row.revoked_at is not None, row.last_contact
        )

    def touch_device(self, device_id: str, now: dt.datetime) -> None:
        """Record a contact (the overview page's "last contact")."""
        with self.db.write() as conn:
            conn.execute(
                update(devices).where(devices.c.device_id == device_id).values(last_contact=now)
            )

    def revoke_device(self, device_id: str, now: dt.datetime) -> bool:
        """Revoke the device's token (403 from now on). False if there is no such device."""
        with self.db.write() as conn:
            changed = conn.execute(
                update(devices)
                .where(devices.c.device_id == device_id)
                .values(revoked_at=func.coalesce(devices.c.revoked_at, now))
            ).rowcount
        if changed:
            log.info("device %s revoked", device_id)
        return bool(changed)

    # -- events -------------------------------------------------------------------------------

    def ingest(
        self, device_id: str, request: UploadRequest, received_at: dt.datetime
    ) -> list[EventResult]:
        """Store one upload batch; one result per event of `request.events`, in order.

        One transaction, which first locks the device's row (module docstring): the anchor for
        (device, request.boot_id), every new event (its `event_ids` row and its `events` row:
        COPY on PostgreSQL, executemany on SQLite), re-correction of events a new anchor
        verifies, the device's last contact, the counters. Per event: `stored`; `duplicate`
        (same content already here, also within this batch); `rejected` with "conflict" (same
        event_id, other content) or with what is wrong (not a UUID, device_time not ISO 8601, a
        number out of range, text that is not Unicode or holds NUL, "checkpoint_mismatch":
        another checkpoint's event). An event naming a checkpoint this server does not know was
        recorded before the kiosk was enrolled: it is stored under the device's checkpoint with
        the problem "recorded_before_enrollment:<the id it named>" (nothing recorded offline
        is lost). Raises UnknownDevice, InvalidInput (a bad envelope value), StorageBusy,
        StorageUnavailable.
        """
        started = time.perf_counter()
        if not _INT64[0] <= request.sent_mono_ns <= _INT64[1]:
            raise InvalidInput("sent_mono_ns: out of range")
        if not request.boot_id or len(request.boot_id) > _MAX_ID_CHARS:
            raise InvalidInput("boot_id: empty or too long")
        if "\x00" in request.boot_id:
            raise InvalidInput("boot_id: contains NUL")
        try:
            request.boot_id.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput("boot_id: not valid Unicode text") from exc
        prepared = [self._prepare(event) for event in request.events]
        self._ensure_partitions(received_at.astimezone(dt.UTC).date())
        results: list[EventResult] = []
        rows: list[dict[str, Any]] = []
        ids: list[dict[str, Any]] = []
        counts = {STATUS_STORED: 0, STATUS_DUPLICATE: 0, STATUS_REJECTED: 0}
        conflicts = 0
        with self.db.write() as conn:
            checkpoint_id = conn.execute(
                select(devices.c.checkpoint_id)
                .where(devices.c.device_id == device_id)
                .with_for_update()
            ).scalar()
            if checkpoint_id is None:
                raise UnknownDevice(f"no device {device_id!r}")
            new_anchor = self._note_anchor(
                conn, device_id, request.boot_id, received_at, request.sent_mono_ns
            )
            boots = {request.boot_id, *(p.event.boot_id for p in prepared)}
            anchors = self._anchors(conn, device_id, boots)
            named = {p.event.checkpoint_id for p in prepared} - {checkpoint_id}
            known = (
                set(
                    conn.execute(
                        select(checkpoints.c.id).where(self.db.among(checkpoints.c.id, named))
                    ).scalars()
                )
                if named
                else set()
            )
            candidates = [p.event.event_id for p in prepared if p.digest is not None]
            seen: dict[str, str] = (
                {
                    str(r.event_id): str(r.content_sha256)
                    for r in conn.execute(
                        select(event_ids.c.event_id, event_ids.c.content_sha256).where(
                            event_ids.c.device_id == device_id,
                            self.db.among(event_ids.c.event_id, candidates),
                        )
                    )
                }
                if candidates
                else {}
            )
            for item in prepared:
                event = item.event
                if item.digest is None:
                    results.append(EventResult(event.event_id, STATUS_REJECTED, item.error))
                elif event.event_id in seen:
                    if seen[event.event_id] == item.digest:
                        results.append(EventResult(event.event_id, STATUS_DUPLICATE))
                    else:
                        conflicts += 1
                        log.warning(
                            "device %s: event_id %s reused with different content (conflict)",
                            device_id,
                            event.event_id,
                        )
                        results.append(EventResult(event.event_id, STATUS_REJECTED, CONFLICT))
                elif item.error is not None or item.device_time is None:
                    results.append(EventResult(event.event_id, STATUS_REJECTED, item.error))
                elif event.checkpoint_id != checkpoint_id and event.checkpoint_id in known:
                    results.append(
                        EventResult(
                            event.event_id,
                            STATUS_REJECTED,
                            f"{CHECKPOINT_MISMATCH}: this device is enrolled for {checkpoint_id}",
                        )
                    )
                else:
                    if event.checkpoint_id != checkpoint_id:
                        event = dataclasses.replace(
                            event,
                            checkpoint_id=checkpoint_id,
                            problems=(
                                *event.problems,
                                f"{BEFORE_ENROLLMENT}:{event.checkpoint_id[:_MAX_ID_CHARS]}",
                            ),
                        )
                    corrected, flag = correct_time(
                        item.device_time,
                        event.mono_ns,
                        event.clock_synced,
                        anchors.get(event.boot_id),
                        received_at,
                    )
                    rows.append(_event_row(device_id, event, received_at, corrected, flag))
                    ids.append(
                        {
                            "device_id": device_id,
                            "event_id": event.event_id,
                            "content_sha256": item.digest,
                            "received_at": received_at,
                        }
                    )
                    seen[event.event_id] = item.digest
                    results.append(EventResult(event.event_id, STATUS_STORED))
            self.db.insert_rows(conn, event_ids, ids)
            self.db.insert_rows(conn, events, rows)
            if new_anchor:
                self._recorrect(
                    conn, device_id, request.boot_id, anchors[request.boot_id], received_at
                )
            conn.execute(
                update(devices)
                .where(devices.c.device_id == device_id)
                .values(
                    last_contact=received_at,
                    events_stored=devices.c.events_stored + len(rows),
                )
            )
            for result in results:
                counts[result.status] += 1
            # Only counters that move: on PostgreSQL each is one row every batch would queue on.
            increments = {
                "duplicates": counts[STATUS_DUPLICATE],
                "conflicts": conflicts,
                "rejected": counts[STATUS_REJECTED],
            }
            for name in COUNTER_NAMES:
                if increments[name]:
                    conn.execute(
                        update(counters)
                        .where(counters.c.name == name)
                        .values(value=counters.c.value + increments[name])
                    )
        log.info(
            "device %s: batch of %d: %d stored, %d duplicate, %d rejected in %.0f ms",
            device_id,
            len(results),
            counts[STATUS_STORED],
            counts[STATUS_DUPLICATE],
            counts[STATUS_REJECTED],
            (time.perf_counter() - started) * 1000,
        )
        return results

    @staticmethod
    def _prepare(event: EventPayload) -> _Prepared:
        text_error = _check_text(event)
        if text_error is not None:
            return _Prepared(event, None, text_error, None)
        error, device_time = _check_event(event)
        return _Prepared(event, content_digest(event), error, device_time)

    def _note_anchor(
        self,
        conn: Connection,
        device_id: str,
        boot_id: str,
        received_at: dt.datetime,
        sent_mono_ns: int,
    ) -> bool:
        """Keep the best anchor for (device, boot). True when the boot had none before. The
        caller holds the device's row lock, so no other transaction changes these anchors."""
        a = boot_anchors.c
        row = conn.execute(
            select(a.server_time, a.mono_ns).where(a.device_id == device_id, a.boot_id == boot_id)
        ).first()
        offset = _micros(received_at) * 1000 - sent_mono_ns
        if row is not None:
            known = _micros(row.server_time) * 1000 - int(row.mono_ns)
            if known <= offset:
                return False
            if known - offset > MAX_ANCHOR_SHIFT_NS:
                # Within one boot the monotonic clock is exact: a genuine better anchor differs
                # from the kept one by transit times (seconds). Minutes mean forged
                # `sent_mono_ns` (a device taken over): refused, the kept anchor stays.
                log.warning(
                    "device %s boot %s: an anchor moving the boot's offset by %d s refused",
                    device_id,
                    boot_id[:12],
                    (known - offset) // 10**9,
                )
                return False
        conn.execute(
            self.db.upsert(
                boot_anchors, ["device_id", "boot_id"], update=["server_time", "mono_ns"]
            ).values(
                device_id=device_id, boot_id=boot_id, server_time=received_at, mono_ns=sent_mono_ns
            )
        )
        return row is None

    def _anchors(
        self, conn: Connection, device_id: str, boot_ids: set[str]
    ) -> dict[str, tuple[dt.datetime, int]]:
        a = boot_anchors.c
        rows = conn.execute(
            select(a.boot_id, a.server_time, a.mono_ns).where(
                a.device_id == device_id, self.db.among(a.boot_id, boot_ids)
            )
        )
        return {str(r.boot_id): (r.server_time, int(r.mono_ns)) for r in rows}

    @staticmethod
    def _recorrect(
        conn: Connection,
        device_id: str,
        boot_id: str,
        anchor: tuple[dt.datetime, int],
        received_at: dt.datetime,
    ) -> None:
        """Correct this boot's events stored `unverified` before its first anchor arrived."""
        e = events.c
        rows = conn.execute(
            select(e.id, e.received_at, e.device_time, e.mono_ns, e.clock_synced).where(
                e.device_id == device_id, e.boot_id == boot_id, e.clock_flag == CLOCK_UNVERIFIED
            )
        ).all()
        updates = []
        for row in rows:
            # Not after the event's own receipt (which came before this upload's).
            corrected, flag = correct_time(
                from_iso(row.device_time),
                row.mono_ns,
                bool(row.clock_synced),
                anchor,
                min(row.received_at, received_at),
            )
            updates.append(
                {"row_id": row.id, "row_received": row.received_at, "t": corrected, "f": flag}
            )
        if updates:
            # received_at too: on PostgreSQL it names the partition, so each update finds its
            # row in one partition's index.
            conn.execute(
                update(events)
                .where(e.id == bindparam("row_id"), e.received_at == bindparam("row_received"))
                .values(corrected_time=bindparam("t"), clock_flag=bindparam("f")),
                updates,
            )
            log.info("device %s: %d events re-corrected by a late anchor", device_id, len(updates))

    def events(self, checkpoint_id: str | None = None) -> Iterator[ServerEvent]:
        """Stored events in arrival order (optionally one checkpoint's), read in pages so no
        transaction stays open while the caller works."""
        last = 0
        while True:
            query = select(*_EVENT_COLUMNS).where(events.c.id > last)
            if checkpoint_id is not None:
                query = query.where(events.c.checkpoint_id == checkpoint_id)
            with self.db.query() as conn:
                rows = conn.execute(query.order_by(events.c.id).limit(_EVENTS_PAGE)).all()
            for row in rows:
                yield _server_event(row)
            if len(rows) < _EVENTS_PAGE:
                return
            last = int(rows[-1].id)

    def event_count(self) -> int:
        with self.db.query() as conn:
            return int(conn.execute(select(func.count()).select_from(events)).scalar_one())

    def today(self, now: dt.datetime) -> list[CheckpointToday]:
        """Each checkpoint's admitted entries and exits today (the day in the checkpoint's
        `timezone` setting, else the kiosk default), devices and last contact. One snapshot;
        one grouped count per time zone in use (not one query per checkpoint)."""
        default_zone = Settings().timezone
        d, e = devices.c, events.c
        with self.db.read() as conn:
            per_checkpoint = {
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
            rows = conn.execute(select(*_CHECKPOINT_COLUMNS).order_by(checkpoints.c.name)).all()
            every = [_checkpoint(row) for row in rows]
            zones: dict[str, list[str]] = {}
            for cp in every:
                zones.setdefault(str(cp.settings.get("timezone", default_zone)), []).append(cp.id)
            counts: dict[tuple[str, str], int] = {}
            for zone_name, members in zones.items():
                zone = ZoneInfo(zone_name)
                start, end = _local_day(now.astimezone(zone).date(), zone)
                query = select(e.checkpoint_id, e.direction, func.count().label("n")).where(
                    e.corrected_time >= start,
                    e.corrected_time < end,
                    received_since(start),
                    e.verdict == "admit",
                )
                if len(zones) > 1:
                    query = query.where(self.db.among(e.checkpoint_id, members))
                for r in conn.execute(query.group_by(e.checkpoint_id, e.direction)):
                    counts[(str(r.checkpoint_id), str(r.direction))] = int(r.n)
        summaries = []
        for cp in every:
            count, last = per_checkpoint.get(cp.id, (0, None))
            entries, exits = counts.get((cp.id, "in"), 0), counts.get((cp.id, "out"), 0)
            summaries.append(CheckpointToday(cp.id, cp.name, count, entries, exits, last))
        return summaries

    def checkpoint_day(self, checkpoint_id: str, day: dt.date) -> CheckpointDay:
        """A checkpoint's counts hour by hour for one day in its time zone (the `timezone`
        setting, else the kiosk default): admitted entries and exits, and refusals. One
        grouped query on index events_checkpoint_time. Raises UnknownCheckpoint."""
        checkpoint = self.checkpoint(checkpoint_id)
        if checkpoint is None:
            raise UnknownCheckpoint(f"no checkpoint {checkpoint_id!r}")
        zone = ZoneInfo(str(checkpoint.settings.get("timezone", Settings().timezone)))
        start, end = _local_day(day, zone)
        e = events.c
        hour = _hour_index(self.db.dialect, start).label("hour")
        with self.db.query() as conn:
            rows = conn.execute(
                select(hour, e.direction, e.verdict, func.count().label("n"))
                .where(
                    e.checkpoint_id == checkpoint_id,
                    e.corrected_time >= start,
                    e.corrected_time < end,
                    received_since(start),
                )
                .group_by(hour, e.direction, e.verdict)
            ).all()
        hours = round((end - start).total_seconds() / 3600)
        found = {(int(r.hour), str(r.direction), str(r.verdict)): int(r.n) for r in rows}

        def at(i: int, direction: str) -> int:
            return found.get((i, direction, "admit"), 0)

        def refused(i: int) -> int:
            return sum(n for (h, _, verdict), n in found.items() if h == i and verdict != "admit")

        return CheckpointDay(
            checkpoint_id,
            day,
            tuple(
                HourCounts(
                    (start.astimezone(dt.UTC) + dt.timedelta(hours=i)).astimezone(zone),
                    at(i, "in"),
                    at(i, "out"),
                    refused(i),
                )
                for i in range(hours)
            ),
        )

    def daily_figures(self, day: dt.date, zone: str | None = None) -> DailyFigures:
        """The deployment's figures for one day in `zone` (default: the kiosks' default time
        zone): checkpoints registered and new that day, checkpoints with a scan, scans,
        admitted entries, distinct people. One snapshot; the events of the day are read once
        (the partitions received before it are skipped; index events_day)."""
        where = ZoneInfo(zone or Settings().timezone)
        start, end = _local_day(day, where)
        e, c = events.c, checkpoints.c
        if self.db.dialect == POSTGRESQL:
            # Distinct 64-bit hashes of the keys: hashing ~475,000 integers is twice as fast as
            # sorting as many texts (measured: 255 against 470 ms a day at 10 M events). Two of
            # a day's ~225,000 people share a hash with probability ~1e-9.
            people = func.count(func.hashtextextended(e.person_key, 0).distinct())
            places = func.count(func.hashtextextended(e.checkpoint_id, 0).distinct())
        else:
            people = func.count(e.person_key.distinct())
            places = func.count(e.checkpoint_id.distinct())
        with self.db.read() as conn:
            registered, new = conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(case((c.created_at >= start, 1), else_=0)), 0),
                ).where(c.created_at < end)
            ).one()
            scans, entries, people, active = conn.execute(
                select(
                    func.count(),
                    func.coalesce(
                        func.sum(
                            case(((e.direction == "in") & (e.verdict == "admit"), 1), else_=0)
                        ),
                        0,
                    ),
                    people,
                    places,
                ).where(
                    e.corrected_time >= start,
                    e.corrected_time < end,
                    received_since(start),
                )
            ).one()
        return DailyFigures(
            day, int(registered), int(new), int(active), int(scans), int(entries), int(people)
        )

    # -- retention ----------------------------------------------------------------------------

    def purge(self, before: dt.date, *, batch: int | None = None) -> PurgeReport:
        """Delete every event received before 00:00 UTC of `before`, and its `event_ids` row.

        PostgreSQL: the daily partitions of those days are detached and dropped
        (central.partitions.drop_before: no row-by-row delete, ingest goes on). SQLite: rows
        deleted by arrival order. Then `event_ids` rows of those days (no personal data) in
        transactions of `batch` rows (default: 10,000 on PostgreSQL, 5,000 on SQLite), so that
        no write waits long behind the purge. Events go first: a replay arriving in between
        is still a duplicate; one arriving after its event_ids row went is stored again, once
        (its first copy is gone). Idempotent; safe to run from several processes. Raises
        StorageUnavailable, StorageBusy.
        """
        started = time.perf_counter()
        cut = dt.datetime.combine(before, dt.time(), tzinfo=dt.UTC)
        postgres = self.db.dialect == POSTGRESQL
        batch = batch or (10_000 if postgres else 5_000)
        days: list[dt.date] = []
        removed_events: int | None = None
        if postgres:
            days = partitions.drop_before(self.db, before, forget_stored)
            self._partition_days -= set(days)
        else:
            removed_events = 0
            e = events.c
            while True:
                with self.db.write() as conn:
                    gone = conn.execute(
                        delete(events)
                        .where(
                            e.id.in_(
                                select(e.id).where(e.received_at < cut).order_by(e.id).limit(batch)
                            )
                        )
                        .returning(e.device_id)
                    ).scalars()
                    per_device: dict[str, int] = {}
                    for device in gone:
                        per_device[device] = per_device.get(device, 0) + 1
                    forget_stored(conn, per_device)
                done = sum(per_device.values())
                removed_events += done
                if done < batch:
                    break
        row = "ctid = ANY(ARRAY(SELECT ctid" if postgres else "rowid IN (SELECT rowid"
        closing = "))" if postgres else ")"
        forget = text(
            f"DELETE FROM event_ids WHERE {row} FROM event_ids "  # noqa: S608 (no input)
            f"WHERE received_at < :cut LIMIT :n{closing}"
        ).bindparams(bindparam("cut", type_=UtcTime()), bindparam("n"))
        removed_ids = 0
        while True:
            with self.db.write() as conn:
                done = conn.execute(forget, {"cut": cut, "n": batch}).rowcount
            removed_ids += done
            if done < batch:
                break
        report = PurgeReport(
            before, tuple(days), removed_events, removed_ids, time.perf_counter() - started
        )
        log.log(
            logging.INFO if days or removed_events or removed_ids else logging.DEBUG,
            "purge before %s: %s, %d event ids, %.1f s",
            before.isoformat(),
            f"{len(days)} daily partitions dropped"
            if postgres
            else f"{removed_events} events deleted",
            removed_ids,
            report.seconds,
        )
        return report

    def newest_receipt(self) -> dt.datetime | None:
        """When the newest event still stored was received (None: no events), from the index
        on event_ids.received_at."""
        with self.db.query() as conn:
            value: dt.datetime | None = conn.execute(
                select(func.max(event_ids.c.received_at))
            ).scalar()
        return value

    def stats(self) -> Stats:
        """Counts and counters, from one snapshot. The events are the sum of the devices'
        `events_stored` (kept by ingest and purge in their transactions), not a count of the
        events table: measured 650 ms at 10 M events on PostgreSQL, growing with the data."""
        with self.db.read() as conn:
            values = {
                str(r.name): int(r.value)
                for r in conn.execute(select(counters.c.name, counters.c.value))
            }

            def count(table: Any) -> int:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

            stored = conn.execute(
                select(func.coalesce(func.sum(devices.c.events_stored), 0))
            ).scalar_one()
            return Stats(
                events=int(stored),
                devices=count(devices),
                checkpoints=count(checkpoints),
                duplicates=values["duplicates"],
                conflicts=values["conflicts"],
                rejected=values["rejected"],
            )

    # -- status list --------------------------------------------------------------------------

    def load_status_list(self, entries: Iterable[StatusEntry], now: dt.datetime) -> int:
        """Replace the whole list with `entries`; returns the version now current.

        The differences from the current list become a new version in the change log (one row
        per changed or removed key); an identical list makes no new version. The log keeps the
        last STATUS_LOG_VERSIONS versions. Loads are serialised (the "status list" lock).
        Raises InvalidInput for a repeated, empty or unstorable key or a bad valid_until.
        """
        new: dict[str, tuple[str, str | None]] = {}
        for index, entry in enumerate(entries):
            if entry.person_key in new:
                # Said by position: no part of a person key goes into a message or a log.
                raise InvalidInput(f"entry {index}: its person_key appears twice in the list")
            if not entry.person_key:
                raise InvalidInput("an entry has an empty person_key")
            if "\x00" in entry.person_key or not _encodes(entry.person_key):
                raise InvalidInput("a person_key holds NUL or is not valid Unicode text")
            valid_until = None
            if entry.valid_until is not None:
                try:
                    valid_until = to_iso(from_iso(entry.valid_until))
                except (ValueError, OverflowError) as exc:
                    raise InvalidInput(f"valid_until {entry.valid_until!r}: not ISO 8601") from exc
            new[entry.person_key] = (entry.colour, valid_until)
        return self._write_status_list(lambda current: new, now)

    def change_status_list(
        self, changes: Mapping[str, StatusEntry | None], now: dt.datetime
    ) -> int:
        """Set (an entry) or lift (None) some keys' colours, keeping the rest of the list; the
        version now current is returned (a new one unless nothing changed). Same lock, change
        log and checks as `load_status_list`; raises InvalidInput."""
        checked: dict[str, tuple[str, str | None] | None] = {}
        for key, entry in changes.items():
            if not key or "\x00" in key or not _encodes(key):
                raise InvalidInput("a person_key is empty, holds NUL or is not valid Unicode text")
            if entry is None:
                checked[key] = None
                continue
            if entry.colour not in ("red", "yellow", "green"):
                raise InvalidInput(f"colour {entry.colour!r} is not red/yellow/green")
            valid_until = None
            if entry.valid_until is not None:
                try:
                    valid_until = to_iso(from_iso(entry.valid_until))
                except (ValueError, OverflowError) as exc:
                    raise InvalidInput(f"valid_until {entry.valid_until!r}: not ISO 8601") from exc
            checked[key] = (entry.colour, valid_until)

        def merged(
            current: dict[str, tuple[str, str | None]],
        ) -> dict[str, tuple[str, str | None]]:
            out = dict(current)
            for key, value in checked.items():
                if value is None:
                    out.pop(key, None)
                else:
                    out[key] = value
            return out

        return self._write_status_list(merged, now)

    def _write_status_list(
        self,
        make: Callable[[dict[str, tuple[str, str | None]]], dict[str, tuple[str, str | None]]],
        now: dt.datetime,
    ) -> int:
        """Under the "status list" lock: read the current list, make the new one with
        `make(current)`, and store the difference as a new version (none if equal)."""
        s = status_list.c
        with self.db.write() as conn:
            self.db.lock(conn, "status list")
            current: dict[str, tuple[str, str | None]] = {
                str(r.person_key): (str(r.colour), r.valid_until)
                for r in conn.execute(select(s.person_key, s.colour, s.valid_until))
            }
            new: dict[str, tuple[str, str | None]] = make(current)
            version = self._status_version(conn)
            changed = [k for k, value in new.items() if current.get(k) != value]
            removed = [k for k in current if k not in new]
            if not changed and not removed:
                return version
            version += 1
            conn.execute(
                status_versions.insert().values(version=version, created_at=now, entries=len(new))
            )
            if changed:
                conn.execute(
                    self.db.upsert(
                        status_list, ["person_key"], update=["colour", "valid_until", "version"]
                    ),
                    [
                        {
                            "person_key": k,
                            "colour": new[k][0],
                            "valid_until": new[k][1],
                            "version": version,
                        }
                        for k in changed
                    ],
                )
            if removed:
                conn.execute(status_list.delete().where(self.db.among(s.person_key, removed)))
            conn.execute(
                status_changes.insert(),
                [{"version": version, "person_key": k} for k in (*changed, *removed)],
            )
            oldest = version - STATUS_LOG_VERSIONS
            conn.execute(status_versions.delete().where(status_versions.c.version < oldest))
            conn.execute(status_changes.delete().where(status_changes.c.version <= oldest))
        log.info(
            "status list version %d: %d changed, %d removed", version, len(changed), len(removed)
        )
        return version

    @staticmethod
    def _status_version(conn: Connection) -> int:
        return int(conn.execute(select(func.max(status_versions.c.version))).scalar() or 0)

    def status_list_version(self) -> int:
        with self.db.query() as conn:
            return self._status_version(conn)

    def status_list(self, since: int | None = None) -> StatusChanges:
        """The changes after version `since` when the change log still reaches back to it
        (`full` false), else the whole list (`full` true). Version 0: nothing loaded yet. One
        snapshot: the version and the entries agree."""
        s, v, c = status_list.c, status_versions.c, status_changes.c
        with self.db.read() as conn:
            version = self._status_version(conn)
            made = conn.execute(select(v.created_at, v.entries).where(v.version == version)).first()
            created_at = made.created_at if made is not None else None
            count = int(made.entries) if made is not None else 0
            known = since is not None and (
                since == version
                or conn.execute(
                    select(v.version).where(v.version == since, v.version < version)
                ).first()
                is not None
            )
            if since is None or not known or since == 0:
                rows = conn.execute(
                    select(s.person_key, s.colour, s.valid_until).order_by(s.person_key)
                ).all()
                return StatusChanges(version, True, _status_rows(rows), (), created_at, count)
            keys = select(c.person_key).where(c.version > since).distinct().subquery()
            rows = conn.execute(
                select(keys.c.person_key, s.colour, s.valid_until)
                .select_from(keys.outerjoin(status_list, s.person_key == keys.c.person_key))
                .order_by(keys.c.person_key)
            ).all()
        upserts = _status_rows(r for r in rows if r[1] is not None)
        removed = tuple(str(r[0]) for r in rows if r[1] is None)
        return StatusChanges(version, False, upserts, removed, created_at, count)

    # -- trust list ---------------------------------------------------------------------------

    def load_trust_list(
        self, version: str | int, keys: list[dict[str, str]], now: dt.datetime
    ) -> bool:
        """Make this trust list the one served. False when it is already current (same version
        and keys). Raises InvalidInput when the version is current with other keys: kiosks
        compare versions (ETag), so changed keys need a new version."""
        if isinstance(version, bool) or not isinstance(version, str | int):
            raise InvalidInput("the trust list version must be a string or an integer")
        # The version is also the download's ETag: printable ASCII without quotes or spaces.
        if isinstance(version, int) and version < 0:
            raise InvalidInput("the trust list version must not be negative")
        if isinstance(version, str) and not _ETAG_SAFE.fullmatch(version):
            raise InvalidInput(
                "the trust list version must be 1-100 printable ASCII characters without "
                "spaces or quotes (for example 2026-11-25.1)"
            )
        version_json = json.dumps(version)
        keys_json = json.dumps(keys, sort_keys=True, separators=(",", ":"))
        with self.db.write() as conn:
            self.db.lock(conn, "trust list")
            row = conn.execute(
                select(trust_lists.c.version, trust_lists.c["keys"].label("key_list"))
                .order_by(trust_lists.c.id.desc())
                .limit(1)
            ).first()
            if row is not None and row.version == version_json:
                if row.key_list == keys_json:
                    return False
                raise InvalidInput(
                    f"trust list version {version!r} is already loaded with other keys; "
                    "give the new list a new version"
                )
            conn.execute(
                trust_lists.insert().values(version=version_json, keys=keys_json, loaded_at=now)
            )
        log.info("trust list version %s loaded (%d keys)", version, len(keys))
        return True

    def trust_list(self) -> TrustListRecord | None:
        with self.db.query() as conn:
            row = conn.execute(
                select(trust_lists.c.version, trust_lists.c["keys"].label("key_list"))
                .order_by(trust_lists.c.id.desc())
                .limit(1)
            ).first()
        return (
            None
            if row is None
            else TrustListRecord(json.loads(row.version), json.loads(row.key_list))
        )

    # -- health declarations (central.declare) -------------------------------------------------

    def add_declarations(self, rows: Sequence[DeclarationRecord]) -> None:
        """Store declarations in one transaction (one commit, one fsync, for a whole group: the
        web layer gathers the requests that arrive together). `id` of the records is ignored."""
        with self.db.write() as conn:
            self.db.insert_rows(
                conn,
                declarations,
                [
                    {
                        "declaration_id": r.declaration_id,
                        "declared_at": r.declared_at,
                        "valid_until": r.valid_until,
                        "seal_key": r.seal_key,
                        "sealed": r.sealed,
                    }
                    for r in rows
                ],
            )

    def declarations(self, *, since: dt.datetime | None = None) -> Iterator[DeclarationRecord]:
        """Declarations in the order they arrived (made at or after `since`), a page at a time
        (no transaction is held across the caller's loop)."""
        after = 0
        while True:
            query = select(
                declarations.c.id,
                declarations.c.declaration_id,
                declarations.c.declared_at,
                declarations.c.valid_until,
                declarations.c.seal_key,
                declarations.c.sealed,
            ).where(declarations.c.id > after)
            if since is not None:
                query = query.where(declarations.c.declared_at >= since)
            with self.db.query() as conn:
                rows = conn.execute(query.order_by(declarations.c.id).limit(_EVENTS_PAGE)).all()
            for row in rows:
                yield DeclarationRecord(
                    row.id,
                    row.declaration_id,
                    row.declared_at,
                    row.valid_until,
                    row.seal_key,
                    bytes(row.sealed),
                )
            if len(rows) < _EVENTS_PAGE:
                return
            after = rows[-1].id

    def purge_declarations(self, before: dt.datetime) -> int:
        """Delete the declarations whose validity ended before `before`; returns how many."""
        with self.db.write() as conn:
            result = conn.execute(declarations.delete().where(declarations.c.valid_until < before))
        return int(result.rowcount or 0)


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    """A stored health declaration: its box, sealed to the authority key named by seal_key."""

    id: int
    declaration_id: str
    declared_at: dt.datetime
    valid_until: dt.datetime
    seal_key: str
    sealed: bytes


def _event_row(
    device_id: str,
    event: EventPayload,
    received_at: dt.datetime,
    corrected: dt.datetime,
    flag: str,
) -> dict[str, Any]:
    """An `events` row (without `id`, which the database numbers in arrival order)."""
    return {
        "device_id": device_id,
        "event_id": event.event_id,
        "seq": event.seq,
        "checkpoint_id": event.checkpoint_id,
        "person_key": event.person_key,
        "kind": event.kind,
        "display_name": event.display_name,
        "birth_year": event.birth_year,
        "direction": event.direction,
        "verdict": event.verdict,
        "reason": event.reason,
        "device_time": event.device_time,  # as the kiosk sent it; corrected_time is normalised
        "mono_ns": event.mono_ns,
        "boot_id": event.boot_id,
        "clock_synced": event.clock_synced,
        "problems": json.dumps(list(event.problems), ensure_ascii=False),
        "received_at": received_at,
        "corrected_time": corrected,
        "clock_flag": flag,
        "seal_key": event.seal_key,
        "sealed": base64.b64decode(event.sealed) if event.sealed is not None else None,
    }


def _validate_settings(values: Mapping[str, Any]) -> None:
    try:
        validate(values)
    except ConfigError as exc:
        raise InvalidInput(str(exc)) from exc


__all__ = [
    "BEFORE_ENROLLMENT",
    "CHECKPOINT_MISMATCH",
    "CLOCK_CORRECTED",
    "CLOCK_OK",
    "CLOCK_UNVERIFIED",
    "CONFLICT",
    "DEMO",
    "CheckpointDay",
    "CheckpointRecord",
    "CheckpointToday",
    "DailyFigures",
    "DeviceRecord",
    "EnrollmentRefused",
    "HourCounts",
    "InvalidDatabaseUrl",
    "InvalidInput",
    "MigrationRequired",
    "MissingDatabase",
    "PurgeReport",
    "ServerEvent",
    "Stats",
    "StatusChanges",
    "Storage",
    "StorageBusy",
    "StorageError",
    "StorageUnavailable",
    "StorageVersionError",
    "TrustListRecord",
    "UnknownCheckpoint",
    "UnknownDevice",
    "content_digest",
    "correct_time",
    "received_since",
]
