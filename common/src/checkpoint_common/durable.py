"""SQLite files that hold personal data and must survive a power cut: how the kiosk's store
(kiosk.store) and the reference server's storage (central.storage) open them.

../shared/RELIABILITY.md: WAL with `synchronous=FULL` set on every connection and checked (some
builds switch WAL to NORMAL by default), a busy timeout, files readable by their owner only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path


def create_private(path: Path) -> None:
    """Create the database file readable by its owner only (WAL/SHM files inherit its mode),
    if it does not exist yet. An existing file is never opened here: closing any descriptor of
    a database file drops every POSIX lock this process holds on it, SQLite's included, while
    other connections of the process use it (SQLite's howtocorrupt.html, 2.2). Measured on
    the central server, which called this before each new pooled connection: new connections
    opened under 50 concurrent uploads failed with SQLITE_IOERR_SHORT_READ."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def connect_durable(
    path: Path,
    *,
    busy_timeout_ms: int,
    error: type[Exception],
    first: Sequence[str] = (),
) -> sqlite3.Connection:
    """A connection in WAL mode with `synchronous=FULL` (checked) and foreign keys on.

    `first`: pragmas to run before WAL is set (e.g. auto_vacuum, which only a new file takes).
    isolation_level=None: the driver opens no implicit transactions (the callers BEGIN
    IMMEDIATE themselves). check_same_thread=False: the callers hand a connection to another
    thread, one user at a time. Raises `error` when WAL/FULL cannot be set (the connection is
    closed), sqlite3.Error for a file that is not a database.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        for pragma in first:
            conn.execute(pragma)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
        if str(mode).lower() != "wal" or synchronous != 2:
            raise error(f"cannot set WAL/FULL on {path} (journal_mode={mode}, sync={synchronous})")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn
