"""The store's named errors, and how an SQLite error is classified (a full disk or not)."""

from __future__ import annotations

import errno
import sqlite3


class StoreError(Exception):
    """Base of the store's named errors."""


class StoreVersionError(StoreError):
    """The database was written by a newer kiosk version; opening it could damage it."""


class RecordError(StoreError):
    """The event could not be committed. The screen must not say "recorded"."""


class StorageFull(RecordError):
    """Nothing could be written: the disk holding the database is full (SQLITE_FULL, ENOSPC).
    What was committed before is intact; writes work again once space is freed."""


class PurgeRefused(StoreError):
    """The purge did not run because the clock cannot be trusted (a forward jump)."""


def is_storage_full(exc: BaseException) -> bool:
    """True for StorageFull, an SQLite error whose primary code is SQLITE_FULL, or ENOSPC."""
    if isinstance(exc, StorageFull):
        return True
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_FULL
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def not_recorded(what: str, exc: sqlite3.Error) -> RecordError:
    """The named error for a write that failed: StorageFull on a full disk, else RecordError."""
    # The SQLite message names the error, never a bound value: safe for the log and the CLI.
    kind = StorageFull if is_storage_full(exc) else RecordError
    return kind(f"{what} not recorded: {exc}")
