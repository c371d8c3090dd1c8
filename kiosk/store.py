"""The durable local log: one SQLite file, written by one owner.

Durability contract (../shared/RELIABILITY.md):
- every connection runs WAL with `synchronous=FULL` (set and verified at open), so a COMMIT that
  returned survives a power cut;
- a scan's event row, its outbox row and its stay change are one `BEGIN IMMEDIATE` transaction,
  committed before `record` returns: the screen may say "recorded" only after that;
- the event_id is made by the caller before the insert and the insert is `INSERT OR IGNORE`, so a
  retry after a COMMIT that raised (outcome unknown) never writes the event twice.

Threading: a `Store` belongs to one thread at a time (the gate's owner thread); it is not safe to
share between threads concurrently. Other processes may read the file (WAL).

Tables: `events` (the log; seq is the local sequence number, never reused), `outbox` (events not
yet acknowledged by the server, in seq order), `stays` (derived from admitted entries and exits:
who is inside, and since when; used for occupancy and co-presence), `status_list`, `meta`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from checkpoint_common.durable import connect_durable, create_private
from checkpoint_common.seal import PersonalData, PrivateKey, PublicKey, SealError, seal_personal
from kiosk.clock import Instant, from_iso, to_iso
from kiosk.events import Direction, LastEvent, NewEvent, Reason, StoredEvent, Verdict

log = logging.getLogger(__name__)

DB_FILE_NAME = "kiosk.db"
MIGRATION_SET = "kiosk"
_BUSY_TIMEOUT_MS = 5000
_WAL_SIZE_LIMIT = 16 * 1024 * 1024
_PURGE_BATCH = 2000
_UPSERT_META = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
# A wall clock that ran this much further than the monotonic clock within one boot was stepped.
CLOCK_JUMP_TOLERANCE_S = 300
# Where the seal keys live in `meta`: the authority's public key (from the settings, which
# enrollment fills in) and, until that is known, the kiosk's own temporary holding key.
META_AUTHORITY_KEY = "seal.authority_public_key"
META_HOLDING_KEY = "seal.holding_private_key"
_META_PLAIN_SEALED = "seal.plain_rows_sealed"
# payload_format values: how an event's personal data is stored.
FORMAT_PLAIN = "plain"  # written in clear by a kiosk before sealing existed; sealed at open
FORMAT_SEALED = "sealed"  # sealed to the health authority's key (seal_key names it)
FORMAT_HELD = "held"  # sealed to the holding key; re-sealed to the authority's when it arrives
FORMAT_NONE = "none"  # no personal data (e.g. an auto-checkout, a payload over the size limit)
_RESEAL_BATCH = 500
# A scan writes about 15 pages (row, indexes, outbox, stay); 200 commits keep the WAL near 12 MB.
WAL_COMMITS_INLINE_CHECKPOINT = 200


class StoreError(Exception):
    """Base of the store's named errors."""


class StoreVersionError(StoreError):
    """The database was written by a newer kiosk version; opening it could damage it."""


class RecordError(StoreError):
    """The event could not be committed. The screen must not say "recorded"."""


class StorageFull(RecordError):
    """Nothing could be written: the disk holding the database is full (SQLITE_FULL, ENOSPC).
    What was committed before is intact; writes work again once space is freed."""


def is_storage_full(exc: BaseException) -> bool:
    """True for StorageFull, an SQLite error whose primary code is SQLITE_FULL, or ENOSPC."""
    if isinstance(exc, StorageFull):
        return True
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_FULL
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def _not_recorded(what: str, exc: sqlite3.Error) -> RecordError:
    # The SQLite message names the error, never a bound value: safe for the log and the CLI.
    kind = StorageFull if is_storage_full(exc) else RecordError
    return kind(f"{what} not recorded: {exc}")


class PurgeRefused(StoreError):
    """The purge did not run because the clock cannot be trusted (a forward jump)."""


# ---------------------------------------------------------------------------------------------
# Migrations: named, append-only. Never edit one that has shipped; add a new one.

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_events_outbox_meta")
def _m0001(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            device_id TEXT NOT NULL,
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
            -- Personal data: sealed to the health authority's key in a later version (#6);
            -- payload_format says how payload and fields_json are stored.
            payload_format TEXT NOT NULL DEFAULT 'plain',
            payload BLOB,
            fields_json TEXT,
            delivered_at TEXT
        );
        CREATE INDEX events_person ON events (person_key, seq);
        CREATE INDEX events_time ON events (device_time, verdict, direction);
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY REFERENCES events (seq) ON DELETE CASCADE,
            event_id TEXT NOT NULL UNIQUE,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            quarantined INTEGER NOT NULL DEFAULT 0
        );
        """
    )


@migrations(name="0002_stays")
def _m0002(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE stays (
            stay_id INTEGER PRIMARY KEY,
            person_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            display_name TEXT,
            in_seq INTEGER,
            in_time TEXT NOT NULL,
            out_seq INTEGER,
            out_time TEXT,
            duration_s INTEGER,
            closed_by TEXT
        );
        -- Covers co-presence's range scan: out_time and person_key filter without a row lookup.
        CREATE INDEX stays_in_time ON stays (in_time, out_time, person_key);
        CREATE INDEX stays_person ON stays (person_key, in_time);
        CREATE INDEX stays_open ON stays (person_key) WHERE out_time IS NULL;
        CREATE INDEX stays_duration ON stays (duration_s);
        """
    )
    # Derive stays from the admitted entries and exits already logged.
    rows = db.execute(
        "SELECT seq, person_key, kind, display_name, direction, device_time FROM events "
        "WHERE verdict = 'admit' ORDER BY seq"
    ).fetchall()
    for seq, person_key, kind, name, direction, time in rows:
        _apply_stay(db.conn, seq, person_key, kind, name, Direction(direction), time, "exit")


@migrations(name="0003_status_list")
def _m0003(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE status_list (
            person_key TEXT PRIMARY KEY,
            colour TEXT NOT NULL CHECK (colour IN ('red', 'yellow', 'green')),
            valid_until TEXT
        );
        """
    )


@migrations(name="0004_event_declaration")
def _m0004(db: Database) -> None:
    # A proxy health declaration ("khai hộ") taken by the guard; personal data like payload.
    db.execute("ALTER TABLE events ADD COLUMN declaration_json TEXT")


@migrations(name="0005_sealed_personal_data")
def _m0005(db: Database) -> None:
    # Personal data (payload, identity fields, declaration) moves into one sealed box per event;
    # rows written in clear before this version are sealed when the store opens (Store._seal_plain).
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN sealed BLOB;
        ALTER TABLE events ADD COLUMN seal_key TEXT;
        """
    )


def _apply_stay(
    conn: sqlite3.Connection,
    seq: int,
    person_key: str,
    kind: str,
    display_name: str | None,
    direction: Direction,
    time: str,
    closed_by: str,
) -> None:
    """Update `stays` for one admitted event (inside the caller's transaction).

    An entry by someone already inside keeps the open stay (their first entry time stands: for
    tracing, too long beats too short). An exit with no open stay (they came in unrecorded) is a
    stay of zero length at the exit time.
    """
    open_stay = conn.execute(
        "SELECT stay_id, in_time FROM stays WHERE person_key = ? AND out_time IS NULL",
        (person_key,),
    ).fetchone()
    if direction is Direction.IN:
        if open_stay is None:
            conn.execute(
                "INSERT INTO stays (person_key, kind, display_name, in_seq, in_time) "
                "VALUES (?, ?, ?, ?, ?)",
                (person_key, kind, display_name, seq, time),
            )
        return
    if open_stay is None:
        conn.execute(
            "INSERT INTO stays (person_key, kind, display_name, in_time, out_seq, out_time, "
            "duration_s, closed_by) VALUES (?, ?, ?, ?, ?, ?, 0, 'exit_only')",
            (person_key, kind, display_name, time, seq, time),
        )
        return
    stay_id, in_time = open_stay
    duration = max(0, int((from_iso(time) - from_iso(in_time)).total_seconds()))
    conn.execute(
        "UPDATE stays SET out_seq = ?, out_time = ?, duration_s = ?, closed_by = ? "
        "WHERE stay_id = ?",
        (seq, time, duration, closed_by, stay_id),
    )


# ---------------------------------------------------------------------------------------------
# Query results


@dataclass(frozen=True, slots=True)
class RecordResult:
    seq: int
    event_id: str
    already_stored: bool  # a retry found the event committed by an earlier attempt


@dataclass(frozen=True, slots=True)
class StatusListInfo:
    version: str | None
    updated_at: dt.datetime | None
    entries: int


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


@dataclass(frozen=True, slots=True)
class PurgeResult:
    deleted_delivered: int
    deleted_undelivered: int
    cutoff: dt.datetime
    hard_cutoff: dt.datetime | None  # None: hard limit not applied (clock not known right)


_EVENT_COLUMNS = (
    "seq, event_id, device_id, checkpoint_id, person_key, kind, display_name, birth_year, "
    "direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, delivered_at, "
    "seal_key, sealed"
)


def _stored_event(row: Sequence[Any]) -> StoredEvent:
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


def _connect(path: Path) -> sqlite3.Connection:
    conn = connect_durable(
        path,
        busy_timeout_ms=_BUSY_TIMEOUT_MS,
        error=StoreError,
        # Only takes effect on a new, empty file (before the first table): lets purge give
        # pages back.
        first=("PRAGMA auto_vacuum = INCREMENTAL",),
    )
    # Deleted rows are overwritten, so purged personal data does not linger in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    # A WAL grown by a long reader is cut back to this size when it is next reset, instead of
    # keeping its high-water mark on the SD card until the app closes.
    conn.execute(f"PRAGMA journal_size_limit = {_WAL_SIZE_LIMIT}")
    return conn


class Store:
    """The gate log. Open with `Store.open(path)`; close with `close()` (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.db = Database(conn, execute_plugins=False)
        self.path = path
        self._commits_since_checkpoint = 0
        self._truncate_pending = False  # see checkpoint(truncate=True)
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # see checkpoint()
        self.device_id = self._ensure_meta("device_id", lambda: str(uuid.uuid4()))
        authority = self.get_meta(META_AUTHORITY_KEY)
        self._authority = PublicKey.from_text(authority) if authority else None
        if self.get_meta(_META_PLAIN_SEALED) is None:
            self._seal_plain()

    # -- opening, migrating ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, backup_dir: Path | None = None) -> Store:
        """Open (creating if needed) and migrate the database at `path`.

        Before migrating a database that already holds data, a consistent copy is written with
        the backup API to `backup_dir` (default: `backups/` beside the file). Raises
        StoreVersionError for a database from a newer kiosk, StoreError if WAL/FULL cannot be set,
        sqlite3.DatabaseError for a file that is not a database.
        """
        path = Path(path)
        create_private(path)
        conn = _connect(path)
        try:
            db = Database(conn, execute_plugins=False)
            known = [m.name for m in migrations._migrations]
            applied = [m.name for m in migrations.applied(db)]
            unknown = [name for name in applied if name not in known]
            if unknown:
                raise StoreVersionError(
                    f"{path} was written by a newer kiosk version (migration {unknown[-1]!r} is "
                    "unknown to this one); install the newer version or restore a backup"
                )
            pending = [m.name for m in migrations.pending(db)]
            if pending and applied:
                cls._backup(conn, path, backup_dir or path.parent / "backups", pending[0])
            if pending:
                log.info("migrating %s: %s", path.name, ", ".join(pending))
                migrations.apply(db)
            # The constructor writes too (device id, sealing rows left in clear): a failure
            # there (a full disk) must not leave the connection open.
            return cls(conn, path)
        except BaseException:
            conn.close()
            raise

    @staticmethod
    def _backup(conn: sqlite3.Connection, path: Path, backup_dir: Path, before: str) -> Path:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # One copy per migration: a kiosk killed while migrating (and restarted by systemd,
        # maybe in a loop) keeps the first, untouched copy instead of piling up later ones.
        earlier = sorted(backup_dir.glob(f"{path.stem}-*-before-{before}.db"))
        if earlier:
            log.info("a copy from before %s exists already: %s", before, earlier[0].name)
            return earlier[0]
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = backup_dir / f"{path.stem}-{stamp}-before-{before}.db"
        partial = target.with_name(target.name + ".partial")  # killed midway: not a copy
        partial.unlink(missing_ok=True)
        create_private(partial)
        with contextlib.closing(sqlite3.connect(partial)) as dest:
            conn.backup(dest)
        partial.replace(target)
        log.info("backed up %s to %s before migrating", path.name, target)
        return target

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            # Leave a small WAL behind; failure here is harmless (the WAL is replayed at open).
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: takes the write lock up front, so it never fails midway
        with SQLITE_BUSY after doing work. Keep the body short; never do network I/O in it."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as conn:
            conn.execute(_UPSERT_META, (key, value))

    def _ensure_meta(self, key: str, make: Any) -> str:
        value = self.get_meta(key)
        if value is None:
            value = str(make())
            with self._transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
            value = self.get_meta(key) or value
        return value

    # -- sealing personal data ----------------------------------------------------------------

    def _seal_target(self) -> tuple[PublicKey, str]:
        """The key new personal data is sealed to, and the payload_format that says which."""
        if self._authority is not None:
            return self._authority, FORMAT_SEALED
        holding = self._ensure_meta(META_HOLDING_KEY, lambda: PrivateKey.generate().to_text())
        return PrivateKey.from_text(holding).public, FORMAT_HELD

    @property
    def authority_key(self) -> PublicKey | None:
        return self._authority

    def held_count(self) -> int:
        """Events sealed to the holding key, waiting for the authority's key (not enrolled)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM events WHERE payload_format = ?", (FORMAT_HELD,)
            ).fetchone()[0]
        )

    def use_authority_key(self, key: PublicKey) -> int:
        """Seal from now on to the health authority's `key`; re-seal every event held under the
        holding key to it, then destroy the holding key. Returns the number of events re-sealed.

        Events already sealed to an earlier authority key stay as they are (only that key's
        holder can open them). Short transactions of a few hundred rows; afterwards the WAL is
        truncated so no page still holds the holding key or a held box. Raises StoreError when
        a held box does not open (the holding key is then kept, nothing is lost).
        """
        if self._authority == key:
            return 0
        self.set_meta(META_AUTHORITY_KEY, key.to_text())
        self._authority = key
        holding_text = self.get_meta(META_HOLDING_KEY)
        if holding_text is None:
            return 0
        holding = PrivateKey.from_text(holding_text)
        resealed = self._reseal(holding, key)
        with self._transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (META_HOLDING_KEY,))
        self.checkpoint(truncate=True)
        log.info("sealed %d held events to the authority key %s", resealed, key.key_id)
        return resealed

    def _reseal(self, holding: PrivateKey, key: PublicKey) -> int:
        from checkpoint_common.seal import open_personal

        total = 0
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, sealed FROM events WHERE payload_format = ? LIMIT ?",
                    (FORMAT_HELD, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    return total
                for seq, event_id, box in rows:
                    try:
                        data = open_personal(holding, event_id, box)
                    except SealError as exc:
                        raise StoreError(f"event seq {seq}: a held box does not open") from exc
                    conn.execute(
                        "UPDATE events SET sealed = ?, seal_key = ?, payload_format = ? "
                        "WHERE seq = ?",
                        (seal_personal(key, event_id, data), key.key_id, FORMAT_SEALED, seq),
                    )
                total += len(rows)

    def _seal_plain(self) -> None:
        """Seal the personal data of rows written in clear by a kiosk before version 0005, then
        mark it done in `meta` (so later opens skip the table scan)."""
        total = 0
        has_plain = self._conn.execute(
            "SELECT 1 FROM events WHERE payload_format = ? LIMIT 1", (FORMAT_PLAIN,)
        ).fetchone()
        key, key_fmt = self._seal_target() if has_plain else (None, FORMAT_NONE)
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT seq, event_id, payload, fields_json, declaration_json FROM events "
                    "WHERE payload_format = ? LIMIT ?",
                    (FORMAT_PLAIN, _RESEAL_BATCH),
                ).fetchall()
                if not rows:
                    conn.execute(_UPSERT_META, (_META_PLAIN_SEALED, "1"))
                    break
                for seq, event_id, payload, fields_json, declaration_json in rows:
                    data = PersonalData(
                        payload=bytes(payload) if payload is not None else None,
                        fields=json.loads(fields_json) if fields_json else None,
                        declaration=json.loads(declaration_json) if declaration_json else None,
                    )
                    box, key_id, fmt = None, None, FORMAT_NONE
                    if key is not None and not data.empty:
                        box = seal_personal(key, event_id, data)
                        key_id, fmt = key.key_id, key_fmt
                    conn.execute(
                        "UPDATE events SET payload = NULL, fields_json = NULL, "
                        "declaration_json = NULL, sealed = ?, seal_key = ?, payload_format = ? "
                        "WHERE seq = ?",
                        (box, key_id, fmt, seq),
                    )
                total += len(rows)
        if total:
            # secure_delete zeroed the old cells; truncating the WAL drops its copies too.
            self.checkpoint(truncate=True)
            log.info("sealed the personal data of %d events written before sealing", total)

    def _seal(
        self, event_id: str, data: PersonalData | None
    ) -> tuple[bytes | None, str | None, str]:
        if data is None or data.empty:
            return None, None, FORMAT_NONE
        key, fmt = self._seal_target()
        return seal_personal(key, event_id, data), key.key_id, fmt

    # -- writing ------------------------------------------------------------------------------

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
                    _apply_stay(
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
            raise _not_recorded("event", exc) from exc
        self._commits_since_checkpoint += 1
        if self._commits_since_checkpoint >= WAL_COMMITS_INLINE_CHECKPOINT:
            # Safety net: nobody called checkpoint() between scans; keep the WAL bounded. The
            # event is committed: a checkpoint that fails (a full disk) must not undo "recorded".
            try:
                self.checkpoint()
            except StoreError as exc:
                log.warning("inline WAL checkpoint failed, the event is committed: %s", exc)
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
                    _apply_stay(
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
            raise _not_recorded("auto-checkout", exc) from exc
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

    # -- the guard's "people inside" list and one name per person (#15; self-contained) ------

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

    # -- reports (admin screen) -------------------------------------------------------------

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
            yield _stored_event(row)

    def outbox(self, limit: int = 500) -> list[StoredEvent]:
        """The oldest undelivered, unquarantined events, in seq order."""
        rows = self._conn.execute(
            f"SELECT {', '.join('e.' + c.strip() for c in _EVENT_COLUMNS.split(','))} "  # noqa: S608
            "FROM outbox o JOIN events e ON e.seq = o.seq WHERE o.quarantined = 0 "
            "ORDER BY o.seq LIMIT ?",
            (limit,),
        ).fetchall()
        return [_stored_event(r) for r in rows]

    def outbox_rows(self, limit: int = 500) -> list[tuple[Any, ...]]:
        """Like `outbox`, as plain rows for the wire (no datetime parsing: the sync hot path):
        (event_id, seq, checkpoint_id, person_key, kind, display_name, birth_year, direction,
        verdict, reason, device_time ISO text, mono_ns, boot_id, clock_synced 0/1, problems
        JSON text, seal_key, sealed box)."""
        return self._conn.execute(
            "SELECT e.event_id, e.seq, e.checkpoint_id, e.person_key, e.kind, e.display_name, "
            "e.birth_year, e.direction, e.verdict, e.reason, e.device_time, e.mono_ns, "
            "e.boot_id, e.clock_synced, e.problems, e.seal_key, e.sealed "
            "FROM outbox o JOIN events e ON e.seq = o.seq WHERE o.quarantined = 0 "
            # Held events wait for the authority's key (use_authority_key re-seals them).
            "AND e.payload_format != 'held' "
            "ORDER BY o.seq LIMIT ?",
            (limit,),
        ).fetchall()

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
                max(0, round(together)),
            )
            for key, kind, name, t_in, t_out, together in rows
        ]

    # -- status list --------------------------------------------------------------------------

    def status_of(self, person_key: str, at: dt.datetime) -> str | None:
        """The person's colour on the local status list, ignoring entries no longer valid."""
        row = self._conn.execute(
            "SELECT colour, valid_until FROM status_list WHERE person_key = ?", (person_key,)
        ).fetchone()
        if row is None or (row[1] is not None and row[1] < to_iso(at)):
            return None
        return str(row[0])

    def replace_status_list(
        self,
        entries: Iterable[tuple[str, str, dt.datetime | None]],
        *,
        version: str,
        updated_at: dt.datetime,
        full: bool = True,
        removed: Iterable[str] = (),
    ) -> int:
        """Apply a status list (person_key, colour, valid_until) in one transaction: the whole
        list when `full` (everything else is dropped), else changes on top of the current one
        (`entries` upserted, `removed` deleted). Returns the number of entries after."""
        rows = [(k, c, to_iso(v) if v else None) for k, c, v in entries]
        with self._transaction() as conn:
            if full:
                conn.execute("DELETE FROM status_list")
            conn.executemany(
                "DELETE FROM status_list WHERE person_key = ?", [(k,) for k in removed]
            )
            conn.executemany(
                "INSERT OR REPLACE INTO status_list (person_key, colour, valid_until) "
                "VALUES (?, ?, ?)",
                rows,
            )
            for key, value in (
                ("status_list_version", version),
                ("status_list_updated_at", to_iso(updated_at)),
            ):
                conn.execute(_UPSERT_META, (key, value))
            return int(conn.execute("SELECT count(*) FROM status_list").fetchone()[0])

    def status_list_info(self) -> StatusListInfo:
        updated = self.get_meta("status_list_updated_at")
        count = int(self._conn.execute("SELECT count(*) FROM status_list").fetchone()[0])
        return StatusListInfo(
            self.get_meta("status_list_version"), from_iso(updated) if updated else None, count
        )

    # -- retention ----------------------------------------------------------------------------

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
        (incremental vacuum). Raises PurgeRefused on a forward clock jump (`check_clock`).
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
        # Copies made before migrations and CSV exports left in the data folder hold events of
        # their day (backups from before sealing, in clear): they go with the retention period.
        self._purge_old_files(self.path.parent / "backups", "*.db*", cutoff)
        self._purge_old_files(self.path.parent / "exports", "*.csv", cutoff)
        return PurgeResult(delivered, undelivered, cutoff, hard_cutoff)

    @staticmethod
    def _purge_old_files(folder: Path, pattern: str, cutoff: dt.datetime) -> None:
        """Remove the files in `folder` matching `pattern` last written before `cutoff`."""
        if not folder.is_dir():
            return
        for path in folder.glob(pattern):
            try:
                if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < cutoff:
                    path.unlink()
                    log.info("purge: removed the old file %s/%s", folder.name, path.name)
            except OSError as exc:
                log.warning("purge: cannot remove %s: %s", path.name, exc.strerror)

    def _delete_batches(self, select_sql: str, cutoff_iso: str) -> int:
        total = 0
        while True:
            with self._transaction() as conn:
                seqs = [r[0] for r in conn.execute(select_sql, (cutoff_iso, _PURGE_BATCH))]
                if not seqs:
                    return total
                marks = ",".join("?" * len(seqs))
                conn.execute(f"DELETE FROM outbox WHERE seq IN ({marks})", seqs)  # noqa: S608
                conn.execute(f"DELETE FROM events WHERE seq IN ({marks})", seqs)  # noqa: S608
                total += len(seqs)

    def checkpoint(self, *, truncate: bool = False) -> int:
        """Copy the WAL into the database file (PASSIVE: never waits for readers). Returns the
        WAL frames still not copied (0 when complete).

        `truncate=True` (after sealing or purging) also empties the WAL file, so no old page
        image of personal data stays in it. It never waits: TRUNCATE holds off writers while it
        waits for readers, and a reader in another process (`kiosk export`, a backup) would
        stop recording for up to the busy timeout (measured: 5 s). When a reader is in the way
        the truncation stays pending and every later checkpoint (Gate.idle) tries it again.

        The owner's connection does not checkpoint automatically: a checkpoint fsyncs the
        database file, which would put 10-20 ms on the scan that happens to trigger it. The
        owner calls this between scans (`Gate.idle`); `record` does it inline only after
        WAL_COMMITS_INLINE_CHECKPOINT commits without one. Raises StorageFull on a full disk.
        """
        truncate = truncate or self._truncate_pending
        mode = "TRUNCATE" if truncate else "PASSIVE"
        try:
            if truncate:
                self._conn.execute("PRAGMA busy_timeout = 0")
            try:
                row = self._conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            finally:
                if truncate:
                    self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            # Copying the WAL grows the database file: it fails on a full disk (StorageFull);
            # the WAL keeps every committed page, so nothing is lost.
            if is_storage_full(exc):
                raise StorageFull(f"WAL checkpoint failed: {exc}") from exc
            raise
        busy, frames, copied = row
        if truncate:
            self._truncate_pending = bool(busy)
        self._commits_since_checkpoint = 0
        return max(0, int(frames) - int(copied)) if not busy else int(frames)

    def integrity_ok(self) -> bool:
        return bool(self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the database at `target` (a new file, mode 0600), made with
        SQLite's online backup API: safe while the kiosk runs and writes, unlike copying the
        file (which can copy a half-applied WAL). The copy is written under a temporary name,
        checked (`PRAGMA integrity_check`), flushed to disk and only then renamed, so a USB
        stick pulled midway never holds a file that looks like a good backup.

        Runs on the owner's thread (it reads through the owner's connection; a scan waits for
        it, a few hundred ms on a Raspberry Pi for a busy day). Raises StoreError when
        `target` exists, cannot be written, or the copy fails its check.
        """
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target} exists already: choose a new file name")
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
            os.close(fd)
            with contextlib.closing(sqlite3.connect(partial)) as dest:
                self._conn.backup(dest)
                # The copy is a self-contained file: no WAL beside it on the stick.
                dest.execute("PRAGMA journal_mode = DELETE")
                check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"the copy at {partial} failed its integrity check: {check}")
            fd = os.open(partial, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            partial.replace(target)
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except (OSError, sqlite3.Error, StoreError) as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"backup to {target} failed: {exc}") from exc
        log.info("database backed up to %s", target)
        return target
