"""The durable local log: one SQLite file, written by one owner.

`Store` is the one object the gate owns; it is composed of parts, one job per module:

- connection:  opening the file (WAL + synchronous=FULL, checked), transactions, `meta`, WAL
               checkpoints;
- schema:      named, append-only migrations, the version guard, the copy before migrating;
- log:         writing a scan's event + outbox row + stay change in one transaction, the
               nightly auto-checkout, the outbox, the reads the decision needs;
- sealing:     personal data sealed at rest (checkpoint_common.seal), held data re-sealed;
- status_list: the health authority's status list;
- queries:     report queries (counts, histogram, peak, co-presence);
- retention:   the purge of old rows, refused on an untrustworthy clock;
- backup:      consistent copies (SQLite's backup API, checkpoint_common.privatefile);
- errors:      the named errors.

The stays rule (who is inside, since when; co-presence) is checkpoint_common.stays, shared with
the central server. The files of the data folder around the database are kiosk.datadir's.

Tables: `events` (the log; seq is the local sequence number, never reused), `outbox` (events not
yet acknowledged by the server, in seq order), `stays` (derived from admitted entries and exits:
who is inside, and since when; used for occupancy and co-presence), `status_list`, `meta`.

Threading: a `Store` belongs to one thread at a time (the gate's owner thread); it is not safe to
share between threads concurrently. Other processes may read the file (WAL).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlite_utils import Database

from checkpoint_common.durable import create_private
from kiosk.store.backup import BackupPart
from kiosk.store.connection import WAL_COMMITS_INLINE_CHECKPOINT, connect, connect_read_only
from kiosk.store.errors import (
    PurgeRefused,
    RecordError,
    StorageFull,
    StoreError,
    StoreVersionError,
    is_storage_full,
)
from kiosk.store.log import LogPart, RecordResult
from kiosk.store.queries import Overlap, QueriesPart
from kiosk.store.retention import CLOCK_JUMP_TOLERANCE_S, PurgeResult, RetentionPart
from kiosk.store.schema import MIGRATION_SET, migrate, migrations, pending_migrations
from kiosk.store.sealing import (
    FORMAT_HELD,
    FORMAT_NONE,
    FORMAT_PLAIN,
    FORMAT_SEALED,
    META_AUTHORITY_KEY,
    META_HOLDING_KEY,
)
from kiosk.store.status_list import StatusListInfo, StatusListPart


class Store(LogPart, StatusListPart, QueriesPart, RetentionPart, BackupPart):
    """The gate log. Open with `Store.open(path)` (or `Store.open_read_only`); close with
    `close()` (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        """Wrap a migrated connection. Unless `read_only`, this writes: the device id on first
        use, and the seal of rows left in clear by a kiosk before version 0005."""
        super().__init__(conn, path, read_only=read_only)
        self.pending_migrations: list[str] = []
        if read_only:
            self.device_id = self.get_meta("device_id") or ""
            self._load_authority()
            return
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # see StoreBase.checkpoint
        self.device_id = self._ensure_meta("device_id", lambda: str(uuid.uuid4()))
        self._load_authority()
        self._seal_plain()

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
        conn = connect(path)
        try:
            migrate(conn, path, backup_dir or path.parent / "backups")
            # The constructor writes too (device id, sealing rows left in clear): a failure
            # there (a full disk) must not leave the connection open.
            return cls(conn, path)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open_read_only(cls, path: Path) -> Store:
        """Open the database at `path` without writing to it (`kiosk doctor`): no migration, no
        device id, no sealing; any write raises sqlite3.OperationalError. `pending_migrations`
        names what the next `open` will apply (the queries of an older schema may fail with
        sqlite3.Error). Raises StoreVersionError for a database from a newer kiosk,
        sqlite3.Error for a missing file or one that is not a database."""
        path = Path(path)
        conn = connect_read_only(path)
        try:
            pending = pending_migrations(Database(conn, execute_plugins=False), path)
            store = cls(conn, path, read_only=True)
        except BaseException:
            conn.close()
            raise
        store.pending_migrations = pending
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "CLOCK_JUMP_TOLERANCE_S",
    "FORMAT_HELD",
    "FORMAT_NONE",
    "FORMAT_PLAIN",
    "FORMAT_SEALED",
    "META_AUTHORITY_KEY",
    "META_HOLDING_KEY",
    "MIGRATION_SET",
    "WAL_COMMITS_INLINE_CHECKPOINT",
    "Overlap",
    "PurgeRefused",
    "PurgeResult",
    "RecordError",
    "RecordResult",
    "StatusListInfo",
    "StorageFull",
    "Store",
    "StoreError",
    "StoreVersionError",
    "is_storage_full",
    "migrations",
]
