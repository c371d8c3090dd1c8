"""Everything the central server keeps, behind one class. `Storage` is the only module that speaks
SQL; docs/central.md says what changes when PostgreSQL replaces SQLite for a whole province.

Durability (../shared/RELIABILITY.md): one SQLite file in WAL mode with `synchronous=FULL`, set
and verified on every connection; every write is one short `BEGIN IMMEDIATE` transaction, and an
upload batch is exactly one (one fsync per batch, never one per event). The server answers a
kiosk only after that COMMIT returned.

Idempotency (docs/protocol.md, "Upload"): one row per (device_id, event_id). A replay with the same
content is `duplicate`; the same event_id with other content is `rejected` with error "conflict"
(logged with the event_id only). Content is compared by a SHA-256 over the event's canonical
JSON, so the comparison never depends on how the kiosk spaced or ordered its JSON.

Clock correction (docs/protocol.md, "Clock correction"): every upload notes an anchor for its
(device, boot): receive time R and the kiosk's `sent_mono_ns` M. Of several uploads in one boot
the anchor with the smallest R − M is kept: R − M overestimates the true offset by the transit
time, so the smallest is the best estimate. An event of an anchored boot gets
`corrected_time = R − (M − mono_ns)`; `clock_flag` is `corrected` when that differs from the device
time by more than CLOCK_FLAG_THRESHOLD_S, else `ok`. An event of a boot without an anchor keeps
its device time, flagged `unverified` unless its clock was synchronised (`ok`). When an anchor
for a boot arrives after `unverified` events of that boot were stored (a boot's own upload
processed after another boot's upload carried its events, e.g. a delayed or reordered request),
those events are corrected in the same transaction.

Threading: FastAPI runs sync endpoints in a thread pool, so one Storage serves many threads at
once. Each thread gets its own connection (`threading.local`): a sqlite3 connection must not be
used by two threads at once, and in WAL mode readers on their own connections never wait for
the writer. Writes in this process are serialised by one lock held around BEGIN IMMEDIATE …
COMMIT, so concurrent uploads queue in Python (in order, no polling) instead of in SQLite's busy
handler, which sleeps up to 100 ms between retries; `busy_timeout` still covers other processes
(the `kiosk-central` commands while the server runs). Reads are single statements or short read
transactions; nothing holds a read transaction open across a loop (it would stop checkpoints
and let the WAL grow), which is why `events()` pages by rowid.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from checkpoint_common.durable import connect_durable, create_private
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
from checkpoint_common.timefmt import from_iso, to_iso

log = logging.getLogger(__name__)

MIGRATION_SET = "central"
_BUSY_TIMEOUT_MS = 5000
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

_ETAG_SAFE = re.compile(r"[!#-~]{1,100}")

CLOCK_OK = "ok"
CLOCK_CORRECTED = "corrected"
CLOCK_UNVERIFIED = "unverified"
CONFLICT = "conflict"
CHECKPOINT_MISMATCH = "checkpoint_mismatch"
BEFORE_ENROLLMENT = "recorded_before_enrollment"


class StorageError(Exception):
    """Base of the storage's named errors."""


class StorageVersionError(StorageError):
    """The database was written by a newer server version; opening it could damage it."""


class StorageBusy(StorageError):
    """The database stayed locked by another process past busy_timeout; retry later."""


class EnrollmentRefused(StorageError):
    """The enrollment code is unknown, already used, or expired (one answer for all three)."""


class UnknownCheckpoint(StorageError):
    pass


class UnknownDevice(StorageError):
    pass


class InvalidInput(StorageError):
    """A value given to the storage is not acceptable; the message names it."""


# ---------------------------------------------------------------------------------------------
# Migrations: named, append-only. Never edit one that has shipped; add a new one.

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def _m0001(db: Database) -> None:
    db.executescript(
        """
        -- Deployment-wide values (the person_key_secret).
        CREATE TABLE deployment (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO counters (name, value)
            VALUES ('duplicates', 0), ('conflicts', 0), ('rejected', 0);
        CREATE TABLE checkpoints (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            settings TEXT NOT NULL DEFAULT '{}',  -- server-managed settings only (JSON object)
            config_version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE enrollment_codes (
            code_sha256 TEXT PRIMARY KEY,
            checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by TEXT
        );
        CREATE TABLE devices (
            device_id TEXT PRIMARY KEY,
            checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
            device_name TEXT NOT NULL DEFAULT '',
            token_sha256 TEXT NOT NULL UNIQUE,
            enrolled_at TEXT NOT NULL,
            revoked_at TEXT,
            last_contact TEXT
        );
        CREATE INDEX devices_checkpoint ON devices (checkpoint_id);
        -- One clock anchor per (device, boot): server receive time and the kiosk's monotonic
        -- clock at sending (module docstring).
        CREATE TABLE boot_anchors (
            device_id TEXT NOT NULL,
            boot_id TEXT NOT NULL,
            server_time TEXT NOT NULL,
            mono_ns INTEGER NOT NULL,
            PRIMARY KEY (device_id, boot_id)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,  -- arrival order on this server
            device_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            checkpoint_id TEXT NOT NULL,
            person_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            display_name TEXT,
            birth_year INTEGER,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            verdict TEXT NOT NULL CHECK (verdict IN ('admit', 'refer', 'deny')),
            reason TEXT NOT NULL,
            device_time TEXT NOT NULL,
            mono_ns INTEGER NOT NULL,
            boot_id TEXT NOT NULL,
            clock_synced INTEGER NOT NULL,
            problems TEXT NOT NULL DEFAULT '[]',
            received_at TEXT NOT NULL,
            corrected_time TEXT NOT NULL,
            clock_flag TEXT NOT NULL CHECK (clock_flag IN ('ok', 'corrected', 'unverified')),
            content_sha256 TEXT NOT NULL,
            UNIQUE (device_id, event_id)
        );
        -- Today's counts and co-presence at one checkpoint.
        CREATE INDEX events_checkpoint_time ON events (checkpoint_id, corrected_time);
        -- A person's visits everywhere (trace).
        CREATE INDEX events_person_time ON events (person_key, corrected_time);
        -- Re-correction when a late anchor arrives; holds only unverified rows, so it is tiny.
        CREATE INDEX events_unverified ON events (device_id, boot_id)
            WHERE clock_flag = 'unverified';
        -- The status list as it is now, its versions, and which keys changed in each version.
        CREATE TABLE status_versions (
            version INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            entries INTEGER NOT NULL
        );
        CREATE TABLE status_list (
            person_key TEXT PRIMARY KEY,
            colour TEXT NOT NULL CHECK (colour IN ('red', 'yellow', 'green')),
            valid_until TEXT,
            version INTEGER NOT NULL
        );
        CREATE TABLE status_changes (
            version INTEGER NOT NULL,
            person_key TEXT NOT NULL,
            PRIMARY KEY (version, person_key)
        );
        -- Every trust list loaded; the newest row is the one served.
        CREATE TABLE trust_lists (
            id INTEGER PRIMARY KEY,
            version TEXT NOT NULL,  -- JSON: a string or an integer, as in the file
            keys TEXT NOT NULL,  -- JSON list of {"kid", "certificate" | "public_key"}
            loaded_at TEXT NOT NULL
        );
        """
    )


@migrations(name="0002_sealed_personal_data")
def _m0002(db: Database) -> None:
    # Each event's personal data, sealed by the kiosk to the authority key; opened
    # only on demand (`kiosk-central events --reveal`, `decrypt-export`), never stored in clear.
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN seal_key TEXT;
        ALTER TABLE events ADD COLUMN sealed BLOB;
        """
    )


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
class Stay:
    """A visit at one checkpoint: an admitted entry paired with the next admitted exit."""

    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    in_time: dt.datetime
    out_time: dt.datetime | None  # None: still inside


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone at the same checkpoint at the same time as the traced person (within the margin)."""

    person_key: str
    checkpoint_id: str
    kind: str
    display_name: str | None
    in_time: dt.datetime
    out_time: dt.datetime | None
    overlap_s: int  # seconds actually together (0 when only within the margin)

    def to_json(self) -> dict[str, Any]:
        return {
            "person_key": self.person_key,
            "checkpoint_id": self.checkpoint_id,
            "kind": self.kind,
            "display_name": self.display_name,
            "in_time": to_iso(self.in_time),
            "out_time": to_iso(self.out_time) if self.out_time else None,
            "overlap_s": self.overlap_s,
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
class StatusChanges:
    version: int
    full: bool
    upserts: tuple[StatusEntry, ...]
    removed: tuple[str, ...]


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
    """Text SQLite and JSON can carry: a lone surrogate (legal in JSON, not in UTF-8) is not."""
    # ASCII text (nearly every field of nearly every event) is valid by construction; only the
    # rest pays for an encode. This runs once per event on the ingest path.
    for name in _TEXT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, str) and not value.isascii() and not _encodes(value):
            return f"{name}: not valid Unicode text"
    for text in event.problems:
        if not text.isascii() and not _encodes(text):
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

    The anchor is not used when the result would be impossible: a negative monotonic time (the
    clock starts at boot), or a time after `not_after` (the receive time of the upload being
    stored: nothing was recorded after it arrived). Such an event is treated as having no
    anchor: a kiosk bug must not move events to invented times.
    """
    if anchor is not None and mono_ns >= 0:
        server_time, anchor_mono = anchor
        corrected = _EPOCH + _US * ((_micros(server_time) * 1000 - (anchor_mono - mono_ns)) // 1000)
        if corrected <= not_after + _CLOCK_TOLERANCE:
            off = abs((corrected - device_time).total_seconds())
            return corrected, CLOCK_CORRECTED if off > CLOCK_FLAG_THRESHOLD_S else CLOCK_OK
    return device_time, CLOCK_OK if clock_synced else CLOCK_UNVERIFIED


def pair_stays(
    rows: Iterable[tuple[str, str, str, str | None, str, dt.datetime]],
) -> list[Stay]:
    """Stays from admitted events (checkpoint_id, person_key, kind, display_name, direction, time)
    given in time order. Paired per (checkpoint, person), not per device: a site with an entry
    gate and an exit gate has two kiosks, and corrected times make their events comparable.

    Same rules as the kiosk (kiosk/store.py `_apply_stay`): an entry by someone already inside
    keeps the open stay (for tracing, too long beats too short); an exit with no open stay is a
    stay of zero length at the exit time; a stay with no exit is open (None).
    """
    stays: list[Stay] = []
    open_stays: dict[tuple[str, str], Stay] = {}
    for checkpoint_id, person_key, kind, name, direction, moment in rows:
        key = (checkpoint_id, person_key)
        if direction == "in":
            if key not in open_stays:
                open_stays[key] = Stay(checkpoint_id, person_key, kind, name, moment, None)
            continue
        started = open_stays.pop(key, None)
        if started is None:
            stays.append(Stay(checkpoint_id, person_key, kind, name, moment, moment))
        else:
            stays.append(dataclasses.replace(started, out_time=moment))
    stays.extend(open_stays.values())
    return stays


# ---------------------------------------------------------------------------------------------
# Connections


def _connect(path: Path) -> sqlite3.Connection:
    # check_same_thread=False only so that close() may close every thread's connection; each
    # connection is still used by one thread (module docstring).
    return connect_durable(path, busy_timeout_ms=_BUSY_TIMEOUT_MS, error=StorageError)


def _status_rows(rows: Iterable[Sequence[Any]]) -> tuple[StatusEntry, ...]:
    return tuple(StatusEntry(str(k), str(c), v) for k, c, v in rows)


_EVENT_COLUMNS = (
    "id, device_id, event_id, seq, checkpoint_id, person_key, kind, display_name, birth_year, "
    "direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, problems, "
    "received_at, corrected_time, clock_flag, seal_key, sealed"
)
_INSERT_EVENT = (
    "INSERT INTO events (device_id, event_id, seq, checkpoint_id, person_key, kind, display_name, "
    "birth_year, direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, "
    "problems, received_at, corrected_time, clock_flag, content_sha256, seal_key, sealed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (device_id, event_id) DO NOTHING"
)


def _server_event(row: Sequence[Any]) -> ServerEvent:
    event = EventPayload(
        event_id=row[2],
        seq=row[3],
        checkpoint_id=row[4],
        person_key=row[5],
        kind=row[6],
        display_name=row[7],
        birth_year=row[8],
        direction=row[9],
        verdict=row[10],
        reason=row[11],
        device_time=row[12],
        mono_ns=row[13],
        boot_id=row[14],
        clock_synced=bool(row[15]),
        problems=tuple(json.loads(row[16])),
        seal_key=row[20],
        sealed=base64.b64encode(row[21]).decode("ascii") if row[21] is not None else None,
    )
    return ServerEvent(row[1], event, from_iso(row[17]), from_iso(row[18]), row[19])


@dataclass(slots=True)
class _Prepared:
    """An event checked before the write lock is taken (all the work that needs no database)."""

    event: EventPayload
    digest: str | None  # None: text not storable (error says why)
    error: str | None
    device_time: dt.datetime | None


class Storage:
    """The server's database. Open with `Storage.open(path)`; close with `close()` (or `with`).

    Safe to share between threads (module docstring). Methods raise StorageBusy when another
    process held the write lock past busy_timeout, and sqlite3.Error for anything unexpected.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: Path | str, *, backup_dir: Path | None = None) -> Storage:
        """Open (creating if needed, mode 0600) and migrate the database at `path`.

        Before migrating a database that already holds data, a consistent copy is written with
        the backup API to `backup_dir` (default: `backups/` beside the file). The migration runs
        under BEGIN IMMEDIATE, so two processes opening a new file at once cannot both apply it.
        Raises StorageVersionError for a database from a newer server, StorageError if WAL/FULL
        cannot be set, sqlite3.DatabaseError for a file that is not a database.
        """
        path = Path(path)
        create_private(path)
        storage = cls(path)
        try:
            conn = storage._conn()
            db = Database(conn, execute_plugins=False)
            known = [m.name for m in migrations._migrations]
            unknown = [m.name for m in migrations.applied(db) if m.name not in known]
            if unknown:
                raise StorageVersionError(
                    f"{path} was written by a newer server version (migration {unknown[-1]!r} "
                    "is unknown to this one); install the newer version or restore a backup"
                )
            pending = [m.name for m in migrations.pending(db)]
            if pending and migrations.applied(db):
                storage._backup(conn, backup_dir or path.parent / "backups", pending[0])
            with storage._write() as conn:
                if migrations.pending(db):
                    log.info("migrating %s: %s", path.name, ", ".join(pending))
                    migrations.apply(db)
                secret = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
                conn.execute(
                    "INSERT OR IGNORE INTO deployment (key, value) VALUES ('person_key_secret', ?)",
                    (secret,),
                )
                conn.execute(
                    "INSERT OR IGNORE INTO deployment (key, value) "
                    "VALUES ('authority_private_key', ?)",
                    (PrivateKey.generate().to_text(),),
                )
        except BaseException:
            storage.close()
            raise
        return storage

    def _backup(self, conn: sqlite3.Connection, backup_dir: Path, before: str) -> Path:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = backup_dir / f"{self.path.stem}-{stamp}-before-{before}.db"
        create_private(target)
        with contextlib.closing(sqlite3.connect(target)) as dest:
            conn.backup(dest)
        log.info("backed up %s to %s before migrating", self.path.name, target)
        return target

    def close(self) -> None:
        """Close every thread's connection. The Storage cannot be used afterwards."""
        with self._connections_lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                # Leave a small WAL behind; harmless if it fails (the WAL is replayed at open).
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            conn.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with self._connections_lock:
                if self._closed:
                    raise StorageError("the storage is closed")
                conn = _connect(self.path)
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the process's write lock: takes SQLite's write lock up
        front, so the body never fails midway with SQLITE_BUSY. Keep it short; no network I/O."""
        conn = self._conn()
        with self._write_lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StorageBusy(f"database busy: {exc}") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A short read transaction: several SELECTs that see one snapshot."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    # -- deployment ---------------------------------------------------------------------------

    def person_key_secret(self) -> str:
        """The deployment's person-key secret (base64 of 32 bytes), made at first open."""
        row = (
            self._conn()
            .execute("SELECT value FROM deployment WHERE key = 'person_key_secret'")
            .fetchone()
        )
        return str(row[0])

    def authority_key(self) -> PrivateKey:
        """The health authority's private key that kiosks seal personal data to (made at first
        open). The reference server keeps it in its database; see docs/central.md."""
        row = (
            self._conn()
            .execute("SELECT value FROM deployment WHERE key = 'authority_private_key'")
            .fetchone()
        )
        return PrivateKey.from_text(str(row[0]))

    # -- checkpoints --------------------------------------------------------------------------

    def ensure_checkpoint(self, name: str, now: dt.datetime) -> CheckpointRecord:
        """The checkpoint with this name, created if new. Raises InvalidInput for a bad name."""
        _validate_settings({"checkpoint_name": name})
        with self._write() as conn:
            row = conn.execute("SELECT id FROM checkpoints WHERE name = ?", (name,)).fetchone()
            if row is None:
                checkpoint_id = "cp-" + base64.b32encode(secrets.token_bytes(5)).decode().lower()
                conn.execute(
                    "INSERT INTO checkpoints (id, name, config_version, created_at) VALUES "
                    "(?, ?, (SELECT coalesce(max(config_version), 0) + 1 FROM checkpoints), ?)",
                    (checkpoint_id, name, to_iso(now)),
                )
                log.info("checkpoint %s created", checkpoint_id)
            else:
                checkpoint_id = str(row[0])
        found = self.checkpoint(checkpoint_id)
        assert found is not None  # just written; checkpoints are never deleted
        return found

    def checkpoint(self, checkpoint_id: str) -> CheckpointRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT id, name, settings, config_version FROM checkpoints WHERE id = ?",
                (checkpoint_id,),
            )
            .fetchone()
        )
        return None if row is None else CheckpointRecord(row[0], row[1], json.loads(row[2]), row[3])

    def checkpoints(self) -> list[CheckpointRecord]:
        rows = (
            self._conn()
            .execute("SELECT id, name, settings, config_version FROM checkpoints ORDER BY name")
            .fetchall()
        )
        return [CheckpointRecord(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]

    def update_checkpoint_settings(
        self, checkpoint_id: str, changes: Mapping[str, Any]
    ) -> CheckpointRecord:
        """Set (value) or unset (None) server-managed settings; `checkpoint_name` renames the
        checkpoint. Validated with the kiosk's own checks (kiosk.config) so a kiosk never
        receives a value it would refuse. Bumps the config version (the kiosks' ETag).
        Raises UnknownCheckpoint, InvalidInput."""
        unknown = [k for k in changes if k not in SERVER_SETTINGS]
        if unknown:
            raise InvalidInput(
                f"{unknown[0]!r} is not a server-managed setting ({', '.join(SERVER_SETTINGS)})"
            )
        with self._write() as conn:
            row = conn.execute(
                "SELECT name, settings FROM checkpoints WHERE id = ?", (checkpoint_id,)
            ).fetchone()
            if row is None:
                raise UnknownCheckpoint(f"no checkpoint {checkpoint_id!r}")
            name, settings = str(row[0]), dict(json.loads(row[1]))
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
                "SELECT id FROM checkpoints WHERE name = ? AND id != ?", (name, checkpoint_id)
            ).fetchone()
            if clash is not None:
                raise InvalidInput(f"another checkpoint ({clash[0]}) already has that name")
            # Config versions are one sequence over all checkpoints (max + 1): a kiosk enrolled
            # again elsewhere never finds its old ETag matching the new checkpoint's config.
            conn.execute(
                "UPDATE checkpoints SET name = ?, settings = ?, "
                "config_version = (SELECT max(config_version) + 1 FROM checkpoints) WHERE id = ?",
                (name, json.dumps(settings, ensure_ascii=False, sort_keys=True), checkpoint_id),
            )
        found = self.checkpoint(checkpoint_id)
        assert found is not None
        return found

    # -- enrollment and devices ---------------------------------------------------------------

    def add_enrollment_code(
        self, checkpoint_id: str, code_sha256: str, *, now: dt.datetime, expires_at: dt.datetime
    ) -> None:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM checkpoints WHERE id = ?", (checkpoint_id,)).fetchone():
                conn.execute(
                    "INSERT INTO enrollment_codes (code_sha256, checkpoint_id, created_at, "
                    "expires_at) VALUES (?, ?, ?, ?)",
                    (code_sha256, checkpoint_id, to_iso(now), to_iso(expires_at)),
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
    ) -> CheckpointRecord:
        """Use a one-time code: mark it used and (re-)register the device with a new token.

        A device enrolling again (a new code) gets a new token and the new checkpoint; its old
        token stops working. Raises EnrollmentRefused for an unknown, used or expired code.
        """
        now_iso = to_iso(now)
        with self._write() as conn:
            row = conn.execute(
                "SELECT checkpoint_id FROM enrollment_codes WHERE code_sha256 = ? "
                "AND used_at IS NULL AND expires_at > ?",
                (code_sha256, now_iso),
            ).fetchone()
            if row is None:
                raise EnrollmentRefused("enrollment code unknown, used or expired")
            checkpoint_id = str(row[0])
            conn.execute(
                "UPDATE enrollment_codes SET used_at = ?, used_by = ? WHERE code_sha256 = ?",
                (now_iso, device_id, code_sha256),
            )
            conn.execute(
                "INSERT INTO devices (device_id, checkpoint_id, device_name, token_sha256, "
                "enrolled_at, last_contact) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (device_id) DO UPDATE SET checkpoint_id = excluded.checkpoint_id, "
                "device_name = excluded.device_name, token_sha256 = excluded.token_sha256, "
                "enrolled_at = excluded.enrolled_at, revoked_at = NULL, "
                "last_contact = excluded.last_contact",
                (device_id, checkpoint_id, device_name, token_sha256, now_iso, now_iso),
            )
        log.info("device %s enrolled for checkpoint %s", device_id, checkpoint_id)
        found = self.checkpoint(checkpoint_id)
        assert found is not None
        return found

    def device_by_token(self, token_sha256: str) -> DeviceRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT device_id, checkpoint_id, revoked_at, last_contact FROM devices "
                "WHERE token_sha256 = ?",
                (token_sha256,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return DeviceRecord(
            row[0], row[1], row[2] is not None, from_iso(row[3]) if row[3] else None
        )

    def touch_device(self, device_id: str, now: dt.datetime) -> None:
        """Record a contact (the overview page's "last contact")."""
        with self._write() as conn:
            conn.execute(
                "UPDATE devices SET last_contact = ? WHERE device_id = ?", (to_iso(now), device_id)
            )

    def revoke_device(self, device_id: str, now: dt.datetime) -> bool:
        """Revoke the device's token (403 from now on). False if there is no such device."""
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE device_id = ?",
                (to_iso(now), device_id),
            ).rowcount
        if changed:
            log.info("device %s revoked", device_id)
        return bool(changed)

    # -- events -------------------------------------------------------------------------------

    def ingest(
        self, device_id: str, request: UploadRequest, received_at: dt.datetime
    ) -> list[EventResult]:
        """Store one upload batch; one result per event of `request.events`, in order.

        One BEGIN IMMEDIATE transaction: the anchor for (device, request.boot_id), every new
        event (executemany, `ON CONFLICT DO NOTHING`), re-correction of events a new anchor
        verifies, the device's last contact. Per event: `stored`; `duplicate` (same content
        already here, also within this batch); `rejected` with "conflict" (same event_id, other
        content) or with what is wrong (not a UUID, device_time not ISO 8601, a number out of
        range, text that is not Unicode, "checkpoint_mismatch": another checkpoint's event).
        An event naming a checkpoint this server does not know was recorded before the kiosk
        was enrolled: it is stored under the device's checkpoint with the problem
        "recorded_before_enrollment:<the id it named>" (nothing recorded offline is lost).
        Raises UnknownDevice, InvalidInput (a bad envelope value), StorageBusy.
        """
        started = time.perf_counter()
        if not _INT64[0] <= request.sent_mono_ns <= _INT64[1]:
            raise InvalidInput("sent_mono_ns: out of range")
        if not request.boot_id or len(request.boot_id) > _MAX_ID_CHARS:
            raise InvalidInput("boot_id: empty or too long")
        try:
            request.boot_id.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput("boot_id: not valid Unicode text") from exc
        prepared = [self._prepare(event) for event in request.events]
        received_iso = to_iso(received_at)
        results: list[EventResult] = []
        rows: list[tuple[Any, ...]] = []
        counts = {STATUS_STORED: 0, STATUS_DUPLICATE: 0, STATUS_REJECTED: 0}
        conflicts = 0
        with self._write() as conn:
            device = conn.execute(
                "SELECT checkpoint_id FROM devices WHERE device_id = ?", (device_id,)
            ).fetchone()
            if device is None:
                raise UnknownDevice(f"no device {device_id!r}")
            checkpoint_id = str(device[0])
            new_anchor = self._note_anchor(
                conn, device_id, request.boot_id, received_at, request.sent_mono_ns
            )
            boots = {request.boot_id, *(p.event.boot_id for p in prepared)}
            anchors = self._anchors(conn, device_id, boots)
            named = {p.event.checkpoint_id for p in prepared} - {checkpoint_id}
            known = {
                str(r[0])
                for r in conn.execute(
                    "SELECT id FROM checkpoints WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(named)),),
                )
            }
            ids = [p.event.event_id for p in prepared if p.digest is not None]
            seen: dict[str, str] = dict(
                conn.execute(
                    "SELECT event_id, content_sha256 FROM events WHERE device_id = ? "
                    "AND event_id IN (SELECT value FROM json_each(?))",
                    (device_id, json.dumps(ids)),
                ).fetchall()
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
                    rows.append(_event_row(device_id, event, item, received_iso, corrected, flag))
                    seen[event.event_id] = item.digest
                    results.append(EventResult(event.event_id, STATUS_STORED))
            conn.executemany(_INSERT_EVENT, rows)
            if new_anchor:
                anchor = anchors[request.boot_id]
                self._recorrect(conn, device_id, request.boot_id, anchor, received_at)
            conn.execute(
                "UPDATE devices SET last_contact = ? WHERE device_id = ?", (received_iso, device_id)
            )
            for result in results:
                counts[result.status] += 1
            conn.executemany(
                "UPDATE counters SET value = value + ? WHERE name = ?",
                [
                    (counts[STATUS_DUPLICATE], "duplicates"),
                    (conflicts, "conflicts"),
                    (counts[STATUS_REJECTED], "rejected"),
                ],
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

    @staticmethod
    def _note_anchor(
        conn: sqlite3.Connection,
        device_id: str,
        boot_id: str,
        received_at: dt.datetime,
        sent_mono_ns: int,
    ) -> bool:
        """Keep the best anchor for (device, boot). True when the boot had none before."""
        row = conn.execute(
            "SELECT server_time, mono_ns FROM boot_anchors WHERE device_id = ? AND boot_id = ?",
            (device_id, boot_id),
        ).fetchone()
        offset = _micros(received_at) * 1000 - sent_mono_ns
        if row is not None and _micros(from_iso(row[0])) * 1000 - int(row[1]) <= offset:
            return False
        conn.execute(
            "INSERT INTO boot_anchors (device_id, boot_id, server_time, mono_ns) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (device_id, boot_id) DO UPDATE SET "
            "server_time = excluded.server_time, mono_ns = excluded.mono_ns",
            (device_id, boot_id, to_iso(received_at), sent_mono_ns),
        )
        return row is None

    @staticmethod
    def _anchors(
        conn: sqlite3.Connection, device_id: str, boot_ids: set[str]
    ) -> dict[str, tuple[dt.datetime, int]]:
        rows = conn.execute(
            "SELECT boot_id, server_time, mono_ns FROM boot_anchors WHERE device_id = ? "
            "AND boot_id IN (SELECT value FROM json_each(?))",
            (device_id, json.dumps(sorted(boot_ids))),
        ).fetchall()
        return {str(b): (from_iso(t), int(m)) for b, t, m in rows}

    @staticmethod
    def _recorrect(
        conn: sqlite3.Connection,
        device_id: str,
        boot_id: str,
        anchor: tuple[dt.datetime, int],
        received_at: dt.datetime,
    ) -> None:
        """Correct this boot's events stored `unverified` before its first anchor arrived."""
        rows = conn.execute(
            "SELECT id, device_time, mono_ns, clock_synced FROM events "
            "WHERE device_id = ? AND boot_id = ? AND clock_flag = 'unverified'",
            (device_id, boot_id),
        ).fetchall()
        updates = []
        for row_id, device_time, mono_ns, synced in rows:
            corrected, flag = correct_time(
                from_iso(device_time), mono_ns, bool(synced), anchor, received_at
            )
            updates.append((to_iso(corrected), flag, row_id))
        conn.executemany(
            "UPDATE events SET corrected_time = ?, clock_flag = ? WHERE id = ?", updates
        )
        if updates:
            log.info("device %s: %d events re-corrected by a late anchor", device_id, len(updates))

    def events(self, checkpoint_id: str | None = None) -> Iterator[ServerEvent]:
        """Stored events in arrival order (optionally one checkpoint's), read in pages so no
        read transaction stays open while the caller works."""
        last = 0
        where = "WHERE id > ?" + (" AND checkpoint_id = ?" if checkpoint_id is not None else "")
        sql = f"SELECT {_EVENT_COLUMNS} FROM events {where} ORDER BY id LIMIT {_EVENTS_PAGE}"  # noqa: S608
        while True:
            params: tuple[Any, ...] = (last,) if checkpoint_id is None else (last, checkpoint_id)
            rows = self._conn().execute(sql, params).fetchall()
            for row in rows:
                yield _server_event(row)
            if len(rows) < _EVENTS_PAGE:
                return
            last = int(rows[-1][0])

    def event_count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM events").fetchone()[0])

    def co_presence(
        self, person_key: str, *, margin: dt.timedelta, now: dt.datetime
    ) -> list[Contact]:
        """Everyone whose stay at a checkpoint overlapped one of the person's stays there,
        widened by `margin`, across all checkpoints. Stays come from admitted events by
        corrected time (`pair_stays`); an open stay lasts until `now`.

        One Contact per (other person, checkpoint): their stay that overlapped longest. Cost:
        one scan of each visited checkpoint's admitted events up to the end of the person's
        last visit there (index events_checkpoint_time), paired in Python.
        """
        conn = self._conn()
        mine_rows = conn.execute(
            "SELECT checkpoint_id, person_key, kind, display_name, direction, corrected_time "
            "FROM events WHERE person_key = ? AND verdict = 'admit' ORDER BY corrected_time, id",
            (person_key,),
        ).fetchall()
        mine: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        for stay in pair_stays((*r[:5], from_iso(r[5])) for r in mine_rows):
            mine.setdefault(stay.checkpoint_id, []).append((stay.in_time, stay.out_time or now))
        best: dict[tuple[str, str], tuple[float, Stay]] = {}
        for checkpoint_id, windows in mine.items():
            until = max(end for _, end in windows) + margin
            rows = conn.execute(
                "SELECT checkpoint_id, person_key, kind, display_name, direction, "
                "corrected_time FROM events WHERE checkpoint_id = ? AND verdict = 'admit' "
                "AND corrected_time <= ? ORDER BY corrected_time, id",
                (checkpoint_id, to_iso(until)),
            ).fetchall()
            for stay in pair_stays((*r[:5], from_iso(r[5])) for r in rows):
                if stay.person_key == person_key:
                    continue
                their_end = stay.out_time or now
                for start, end in windows:
                    if stay.in_time > end + margin or their_end < start - margin:
                        continue
                    together = (min(end, their_end) - max(start, stay.in_time)).total_seconds()
                    key = (stay.person_key, checkpoint_id)
                    if key not in best or together > best[key][0]:
                        best[key] = (together, stay)
        contacts = []
        for together, s in best.values():
            out_time = s.out_time
            if out_time is None:
                # Only events up to `until` were paired: the exit, if any, came after it.
                row = conn.execute(
                    "SELECT min(corrected_time) FROM events WHERE person_key = ? "
                    "AND checkpoint_id = ? AND verdict = 'admit' AND direction = 'out' "
                    "AND corrected_time > ?",
                    (s.person_key, s.checkpoint_id, to_iso(s.in_time)),
                ).fetchone()
                out_time = from_iso(row[0]) if row[0] else None
            contacts.append(
                Contact(
                    s.person_key,
                    s.checkpoint_id,
                    s.kind,
                    s.display_name,
                    s.in_time,
                    out_time,
                    max(0, round(together)),
                )
            )
        return sorted(contacts, key=lambda c: (c.in_time, c.person_key, c.checkpoint_id))

    def today(self, now: dt.datetime) -> list[CheckpointToday]:
        """Each checkpoint's admitted entries and exits today (the day in the checkpoint's
        `timezone` setting, else the kiosk default), devices and last contact."""
        default_zone = Settings().timezone
        with self._read() as conn:
            devices = {
                str(r[0]): (int(r[1]), r[2])
                for r in conn.execute(
                    "SELECT checkpoint_id, count(*), max(last_contact) FROM devices "
                    "WHERE revoked_at IS NULL GROUP BY checkpoint_id"
                )
            }
            summaries = []
            for cp in self.checkpoints():
                zone = ZoneInfo(str(cp.settings.get("timezone", default_zone)))
                day = now.astimezone(zone).date()
                start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
                end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
                counts = dict(
                    conn.execute(
                        "SELECT direction, count(*) FROM events WHERE checkpoint_id = ? "
                        "AND corrected_time >= ? AND corrected_time < ? AND verdict = 'admit' "
                        "GROUP BY direction",
                        (cp.id, to_iso(start), to_iso(end)),
                    ).fetchall()
                )
                count, last = devices.get(cp.id, (0, None))
                summaries.append(
                    CheckpointToday(
                        cp.id,
                        cp.name,
                        count,
                        int(counts.get("in", 0)),
                        int(counts.get("out", 0)),
                        from_iso(last) if last else None,
                    )
                )
        return summaries

    def stats(self) -> Stats:
        with self._read() as conn:
            counters = dict(conn.execute("SELECT name, value FROM counters").fetchall())

            def count(table: str) -> int:
                return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

            return Stats(
                events=count("events"),
                devices=count("devices"),
                checkpoints=count("checkpoints"),
                duplicates=int(counters["duplicates"]),
                conflicts=int(counters["conflicts"]),
                rejected=int(counters["rejected"]),
            )

    # -- status list --------------------------------------------------------------------------

    def load_status_list(self, entries: Iterable[StatusEntry], now: dt.datetime) -> int:
        """Replace the whole list with `entries`; returns the version now current.

        The differences from the current list become a new version in the change log (one row
        per changed or removed key); an identical list makes no new version. The log keeps the
        last STATUS_LOG_VERSIONS versions. Raises InvalidInput for a repeated key or a bad
        valid_until.
        """
        new: dict[str, tuple[str, str | None]] = {}
        for entry in entries:
            if entry.person_key in new:
                raise InvalidInput(f"person_key {entry.person_key[:12]}… appears twice")
            if not entry.person_key:
                raise InvalidInput("an entry has an empty person_key")
            valid_until = None
            if entry.valid_until is not None:
                try:
                    valid_until = to_iso(from_iso(entry.valid_until))
                except (ValueError, OverflowError) as exc:
                    raise InvalidInput(f"valid_until {entry.valid_until!r}: not ISO 8601") from exc
            new[entry.person_key] = (entry.colour, valid_until)
        with self._write() as conn:
            current = {
                str(k): (str(c), v)
                for k, c, v in conn.execute(
                    "SELECT person_key, colour, valid_until FROM status_list"
                )
            }
            version = int(
                conn.execute("SELECT coalesce(max(version), 0) FROM status_versions").fetchone()[0]
            )
            changed = [k for k, value in new.items() if current.get(k) != value]
            removed = [k for k in current if k not in new]
            if not changed and not removed:
                return version
            version += 1
            conn.execute(
                "INSERT INTO status_versions (version, created_at, entries) VALUES (?, ?, ?)",
                (version, to_iso(now), len(new)),
            )
            conn.executemany(
                "INSERT INTO status_list (person_key, colour, valid_until, version) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (person_key) DO UPDATE SET "
                "colour = excluded.colour, valid_until = excluded.valid_until, "
                "version = excluded.version",
                [(k, *new[k], version) for k in changed],
            )
            conn.executemany(
                "DELETE FROM status_list WHERE person_key = ?", [(k,) for k in removed]
            )
            conn.executemany(
                "INSERT INTO status_changes (version, person_key) VALUES (?, ?)",
                [(version, k) for k in (*changed, *removed)],
            )
            oldest = version - STATUS_LOG_VERSIONS
            conn.execute("DELETE FROM status_versions WHERE version < ?", (oldest,))
            conn.execute("DELETE FROM status_changes WHERE version <= ?", (oldest,))
        log.info(
            "status list version %d: %d changed, %d removed", version, len(changed), len(removed)
        )
        return version

    def status_list_version(self) -> int:
        return int(
            self._conn()
            .execute("SELECT coalesce(max(version), 0) FROM status_versions")
            .fetchone()[0]
        )

    def status_list(self, since: int | None = None) -> StatusChanges:
        """The changes after version `since` when the change log still reaches back to it
        (`full` false), else the whole list (`full` true). Version 0: nothing loaded yet."""
        with self._read() as conn:
            version = int(
                conn.execute("SELECT coalesce(max(version), 0) FROM status_versions").fetchone()[0]
            )
            known = since is not None and (
                since == version
                or conn.execute(
                    "SELECT 1 FROM status_versions WHERE version = ? AND version < ?",
                    (since, version),
                ).fetchone()
                is not None
            )
            if since is None or not known or since == 0:
                rows = conn.execute(
                    "SELECT person_key, colour, valid_until FROM status_list ORDER BY person_key"
                ).fetchall()
                return StatusChanges(version, True, _status_rows(rows), ())
            rows = conn.execute(
                "SELECT k.person_key, s.colour, s.valid_until FROM "
                "(SELECT DISTINCT person_key FROM status_changes WHERE version > ?) k "
                "LEFT JOIN status_list s ON s.person_key = k.person_key ORDER BY k.person_key",
                (since,),
            ).fetchall()
        upserts = _status_rows(r for r in rows if r[1] is not None)
        removed = tuple(str(r[0]) for r in rows if r[1] is None)
        return StatusChanges(version, False, upserts, removed)

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
        with self._write() as conn:
            row = conn.execute(
                "SELECT version, keys FROM trust_lists ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is not None and row[0] == version_json:
                if row[1] == keys_json:
                    return False
                raise InvalidInput(
                    f"trust list version {version!r} is already loaded with other keys; "
                    "give the new list a new version"
                )
            conn.execute(
                "INSERT INTO trust_lists (version, keys, loaded_at) VALUES (?, ?, ?)",
                (version_json, keys_json, to_iso(now)),
            )
        log.info("trust list version %s loaded (%d keys)", version, len(keys))
        return True

    def trust_list(self) -> TrustListRecord | None:
        row = (
            self._conn()
            .execute("SELECT version, keys FROM trust_lists ORDER BY id DESC LIMIT 1")
            .fetchone()
        )
        return None if row is None else TrustListRecord(json.loads(row[0]), json.loads(row[1]))


def _event_row(
    device_id: str,
    event: EventPayload,
    item: _Prepared,
    received_iso: str,
    corrected: dt.datetime,
    flag: str,
) -> tuple[Any, ...]:
    assert item.device_time is not None and item.digest is not None
    return (
        device_id,
        event.event_id,
        event.seq,
        event.checkpoint_id,
        event.person_key,
        event.kind,
        event.display_name,
        event.birth_year,
        event.direction,
        event.verdict,
        event.reason,
        event.device_time,  # as the kiosk sent it; corrected_time is normalised
        event.mono_ns,
        event.boot_id,
        int(event.clock_synced),
        json.dumps(list(event.problems), ensure_ascii=False),
        received_iso,
        to_iso(corrected),
        flag,
        item.digest,
        event.seal_key,
        base64.b64decode(event.sealed) if event.sealed is not None else None,
    )


def _validate_settings(values: Mapping[str, Any]) -> None:
    try:
        validate(values)
    except ConfigError as exc:
        raise InvalidInput(str(exc)) from exc
