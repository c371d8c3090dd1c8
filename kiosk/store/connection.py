"""The store's connection: how the file is opened, how a transaction is run, the `meta` table,
and when the WAL is copied into the database file.

Durability contract (../shared/RELIABILITY.md): every connection runs WAL with
`synchronous=FULL` (set and verified at open: checkpoint_common.durable), so a COMMIT that
returned survives a power cut; writes are `BEGIN IMMEDIATE` transactions, short, with no network
call inside.

Threading: a store belongs to one thread at a time (the gate's owner thread); it is not safe to
share between threads concurrently. Other processes may read the file (WAL).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from checkpoint_common.durable import connect_durable
from kiosk.store.errors import StorageFull, StoreError, is_storage_full

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_WAL_SIZE_LIMIT = 16 * 1024 * 1024
UPSERT_META = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
# A scan writes about 15 pages (row, indexes, outbox, stay); 200 commits keep the WAL near 12 MB.
WAL_COMMITS_INLINE_CHECKPOINT = 200


def connect(path: Path) -> sqlite3.Connection:
    """The owner's connection: WAL + synchronous=FULL (checked), secure_delete, a bounded WAL.
    Raises StoreError when WAL/FULL cannot be set, sqlite3.Error for a file that is not a
    database."""
    conn = connect_durable(
        path,
        busy_timeout_ms=BUSY_TIMEOUT_MS,
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


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the database (SQLite's `mode=ro`): for `kiosk doctor`.

    Like any reader of a WAL database it may create the `-wal` and `-shm` files beside it and
    read the WAL; it changes no page of the database. Raises sqlite3.Error for a missing file or
    one that is not a database (at the first read).
    """
    uri = f"file:{urllib.parse.quote(str(Path(path).absolute()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


class StoreBase:
    """The connection and what every part of the store uses: transactions, `meta`, checkpoints.

    `read_only`: opened with `connect_read_only`; any write raises sqlite3.OperationalError.
    """

    device_id: str  # this kiosk's id, kept in `meta` (set by kiosk.store.Store)

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self._conn = conn
        self.db = Database(conn, execute_plugins=False)
        self.path = path
        self.read_only = read_only
        self._commits_since_checkpoint = 0
        self._truncate_pending = False  # see checkpoint(truncate=True)

    def close(self) -> None:
        if not self.read_only:
            with contextlib.suppress(sqlite3.Error):
                # Leave a small WAL behind; failure here is harmless (the WAL is replayed at
                # open).
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self._conn.close()

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
            conn.execute(UPSERT_META, (key, value))

    def _ensure_meta(self, key: str, make: Callable[[], object]) -> str:
        value = self.get_meta(key)
        if value is None:
            value = str(make())
            with self._transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
            value = self.get_meta(key) or value
        return value

    # -- the WAL ----------------------------------------------------------------------------

    def _committed(self) -> None:
        """After each scan's commit: copy the WAL inline after WAL_COMMITS_INLINE_CHECKPOINT
        commits without a checkpoint (nobody called `checkpoint` between scans), so the WAL
        stays bounded. The commit stands whatever happens here (a failure is logged)."""
        self._commits_since_checkpoint += 1
        if self._commits_since_checkpoint >= WAL_COMMITS_INLINE_CHECKPOINT:
            try:
                self.checkpoint()
            except StoreError as exc:
                log.warning("inline WAL checkpoint failed, the event is committed: %s", exc)

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
                    self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
