"""The storage's named errors, shared by central.database, central.migrate and central.storage
(which re-exports them). The app and the CLI turn them into answers and exit codes:

- StorageUnavailable (StorageBusy among them): 503 with Retry-After from the app; exit 3 from
  a command (the database cannot be reached, or stayed locked).
- StorageVersionError (MigrationRequired among them), StorageError: exit 3.
- InvalidDatabaseUrl: exit 2 (bad usage).
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of the storage's named errors."""


class InvalidDatabaseUrl(StorageError):
    """A --database-url (or KIOSK_CENTRAL_DATABASE_URL) this server cannot use."""


class StorageUnavailable(StorageError):
    """The database cannot be used right now (unreachable, no connection free, locked); the
    message says which, without a password. Retry later."""


class StorageBusy(StorageUnavailable):
    """The database stayed locked by another process past busy_timeout (SQLite); retry later."""


class StorageVersionError(StorageError):
    """The database was written by a newer server version, or is not this server's database;
    opening it could damage it."""


class MigrationRequired(StorageVersionError):
    """A PostgreSQL database with an older schema: the operator backs it up (pg_dump) and runs
    `kiosk-central migrate`; the message says how (docs/central.md, "Upgrading")."""


class MissingDatabase(StorageError):
    """A command that only reads found no database (no file, or no schema in it)."""
