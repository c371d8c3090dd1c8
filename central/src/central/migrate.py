"""Schema versions at start: create a new database, refuse a newer one, upgrade an older one.

The migrations are Alembic's (central/migrations/versions/, one file per named revision,
append-only); the version a database is at is in its `alembic_version` table. `prepare()` runs
before the server or a command uses a database:

- no tables: the schema is created (any engine);
- at the newest revision: nothing to do;
- a revision this server does not know (a newer server wrote it), or tables without a version
  (not this server's database): StorageVersionError, nothing touched;
- an older revision, SQLite: a consistent copy of the file first (the backup API, into
  `backups/` beside it, mode 0600), then the upgrade in one transaction;
- an older revision, PostgreSQL: MigrationRequired, telling the operator to take a pg_dump and
  run `kiosk-central migrate` (which calls `prepare(..., upgrade=True)`): a province's database
  is not changed behind its operator's back;
- an SQLite file from before Alembic (sqlite-utils' `_sqlite_migrations`, 0001_initial and
  0002_sealed_personal_data): backed up the same way, then converted in one transaction: its
  tables are renamed aside, the current schema is created, every row is copied (events keep
  their ids, so arrival order stays; their content hashes move to `event_ids`), and the old
  tables are dropped.

Concurrency: on SQLite the work runs under BEGIN IMMEDIATE (the write lock) and looks again
inside it; on PostgreSQL under a session advisory lock. Two processes starting at once cannot
both migrate. A kill in the middle leaves the database as it was (one transaction; DDL is
transactional on both engines).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from central.database import (
    Database,
    DatabaseLocation,
    advisory_lock,
    advisory_unlock,
    describe_failure,
    table_names,
)
from central.errors import (
    MigrationRequired,
    MissingDatabase,
    StorageUnavailable,
    StorageVersionError,
)
from central.schema import SQLITE, metadata
from checkpoint_common.durable import create_private

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# The newest revision in migrations/versions/. Kept here so that a command on an up-to-date
# database never imports Alembic (a fifth of a second per command); a test checks it against
# Alembic's own view, so a new migration cannot be forgotten here.
SCHEMA_HEAD = "0004_declarations"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
LEGACY_TABLE = "_sqlite_migrations"
LEGACY_NAMES = ("0001_initial", "0002_sealed_personal_data")
# The first Alembic revision, which a pre-Alembic SQLite file is converted to.
FIRST_REVISION = "0001_initial"
_LOCK = "kiosk-central schema"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def revisions() -> tuple[str, ...]:
    """Every revision this server knows, oldest first (Alembic's view of the files)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return tuple(r.revision for r in reversed(list(script.walk_revisions())))


def head() -> str:
    """The newest revision: the schema this server needs."""
    return SCHEMA_HEAD


@dataclass(frozen=True, slots=True)
class SchemaState:
    """What a database holds, as far as versions go."""

    revision: str | None  # Alembic's, None when there is none
    legacy: tuple[str, ...]  # sqlite-utils migrations applied (a pre-Alembic file)
    tables: frozenset[str]

    @property
    def empty(self) -> bool:
        return not (self.tables - {VERSION_TABLE})


def inspect_schema(conn: Connection) -> SchemaState:
    tables = frozenset(table_names(conn))
    revision = None
    if VERSION_TABLE in tables:
        found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()  # noqa: S608
        if len(found) > 1:
            raise StorageVersionError(f"several schema versions at once: {sorted(found)}")
        revision = str(found[0]) if found else None
    legacy: tuple[str, ...] = ()
    if LEGACY_TABLE in tables:
        legacy = tuple(
            str(name)
            for name in conn.execute(
                text(
                    f"SELECT name FROM {LEGACY_TABLE} WHERE migration_set = 'central' "  # noqa: S608
                    "ORDER BY id"
                )
            ).scalars()
        )
    return SchemaState(revision, legacy, tables)


def check(state: SchemaState, location: DatabaseLocation) -> str | None:
    """The revision the database must be upgraded from (or "" for a pre-Alembic file, None when
    it is current or empty). Raises StorageVersionError for a newer or foreign database."""
    if state.revision is not None:
        if state.revision == SCHEMA_HEAD:
            return None
        if state.revision not in revisions():
            raise StorageVersionError(
                f"{location} was written by a newer server version (schema {state.revision!r} "
                "is unknown to this one); install the newer version or restore a backup"
            )
        return state.revision
    if state.legacy or LEGACY_TABLE in state.tables:
        unknown = [name for name in state.legacy if name not in LEGACY_NAMES]
        if unknown:
            raise StorageVersionError(
                f"{location} was written by a newer server version (migration {unknown[-1]!r} "
                "is unknown to this one); install the newer version or restore a backup"
            )
        return ""
    ours = {table.name for table in metadata.sorted_tables}
    if state.tables & ours:
        raise StorageVersionError(
            f"{location} has tables of its own but no schema version: it is not a "
            "kiosk-central database (or its version table was removed)"
        )
    return None


def prepare(
    location: DatabaseLocation,
    *,
    create: bool = True,
    upgrade: bool = False,
    backup_dir: Path | None = None,
) -> Path | None:
    """Bring the database at `location` to the newest schema, per the module docstring.

    `create=False`: a database with no schema (or no file) raises MissingDatabase instead of
    being created. `upgrade=True`: upgrade an older PostgreSQL database too (the `migrate`
    command). Returns the backup written, if any. Raises StorageVersionError (newer or foreign),
    MigrationRequired (older PostgreSQL without `upgrade`), StorageUnavailable (cannot connect:
    one line, no password), MissingDatabase.
    """
    if location.engine == SQLITE:
        return _prepare_sqlite(location, create=create, backup_dir=backup_dir)
    _prepare_postgresql(location, create=create, upgrade=upgrade)
    return None


def _prepare_sqlite(
    location: DatabaseLocation, *, create: bool, backup_dir: Path | None
) -> Path | None:
    path = location.path
    if not path.exists():
        if not create:
            raise MissingDatabase(f"no database at {path}")
        create_private(path)
    db = Database.connect(location, pooled=False)
    backup = None
    try:
        with db.query() as conn:
            state = inspect_schema(conn)
        if state.empty and not create:
            raise MissingDatabase(f"{path} holds no kiosk-central data")
        pending = check(state, location)
        if pending is None and not state.empty:
            return None
        if pending is not None:
            upcoming = FIRST_REVISION if pending == "" else _next_revision(pending)
            backup = backup_sqlite(path, backup_dir or path.parent / "backups", upcoming)
        with db.write() as conn:
            state = inspect_schema(conn)  # again, under the write lock
            pending = check(state, location)
            if pending == "":
                _convert_legacy(conn, state)
            elif pending is not None or state.empty:
                _upgrade(conn, state)
    finally:
        db.close()
    return backup


def _prepare_postgresql(location: DatabaseLocation, *, create: bool, upgrade: bool) -> None:
    db = Database.connect(location, pooled=False)
    try:
        with db.engine.connect() as conn:
            advisory_lock(conn, _LOCK)
            conn.commit()
            try:
                state = inspect_schema(conn)
                conn.commit()
                if state.empty and not create:
                    raise MissingDatabase(
                        f"{location} holds no kiosk-central data (run kiosk-central migrate)"
                    )
                pending = check(state, location)
                if pending is not None and not upgrade:
                    raise MigrationRequired(
                        f"{location} has schema {pending!r}; this server needs {head()!r}. "
                        "Back the database up (pg_dump -Fc -f central-before-upgrade.dump "
                        "DBNAME), then run: kiosk-central migrate --database-url URL "
                        "(docs/central.md, Upgrading)"
                    )
                if pending is not None or state.empty:
                    with conn.begin():
                        _upgrade(conn, state)
            finally:
                with contextlib.suppress(DBAPIError):
                    advisory_unlock(conn, _LOCK)
                    conn.commit()
    except DBAPIError as exc:
        if _connection_failed(exc):
            raise StorageUnavailable(
                f"cannot connect to the database at {location}: {describe_failure(exc)}"
            ) from exc
        raise
    finally:
        db.close()


def _connection_failed(exc: DBAPIError) -> bool:
    import psycopg

    return exc.connection_invalidated or isinstance(exc.orig, psycopg.OperationalError)


def _next_revision(current: str) -> str:
    known = revisions()
    return known[known.index(current) + 1]


def _upgrade(conn: Connection, state: SchemaState) -> None:
    """Alembic's upgrade to head, inside the caller's transaction."""
    target = head()
    if state.empty:
        log.info("creating the schema (%s)", target)
    else:
        log.info("upgrading the schema from %s to %s", state.revision, target)
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def backup_sqlite(path: Path, backup_dir: Path, before: str) -> Path:
    """A consistent copy of the SQLite file (the backup API: the WAL's content included),
    mode 0600, named after the revision about to be applied."""
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{path.stem}-{stamp}-before-{before}.db"
    create_private(target)
    with (
        contextlib.closing(sqlite3.connect(path)) as source,
        contextlib.closing(sqlite3.connect(target)) as dest,
    ):
        source.backup(dest)
    log.info("backed up %s to %s before migrating", path.name, target)
    return target


# -- pre-Alembic SQLite files ----------------------------------------------------------------

# Tables of the sqlite-utils schema, parents before children, and their indexes.
_LEGACY_TABLES = (
    "deployment",
    "counters",
    "checkpoints",
    "enrollment_codes",
    "devices",
    "boot_anchors",
    "events",
    "status_versions",
    "status_list",
    "status_changes",
    "trust_lists",
)
_LEGACY_INDEXES = (
    "devices_checkpoint",
    "events_checkpoint_time",
    "events_person_time",
    "events_unverified",
)
_COPIED: dict[str, tuple[str, ...]] = {
    "deployment": ("key", "value"),
    "checkpoints": ("id", "name", "settings", "config_version", "created_at"),
    "enrollment_codes": (
        "code_sha256",
        "checkpoint_id",
        "created_at",
        "expires_at",
        "used_at",
        "used_by",
    ),
    "devices": (
        "device_id",
        "checkpoint_id",
        "device_name",
        "token_sha256",
        "enrolled_at",
        "revoked_at",
        "last_contact",
    ),
    "boot_anchors": ("device_id", "boot_id", "server_time", "mono_ns"),
    "events": (
        "id",
        "device_id",
        "event_id",
        "seq",
        "checkpoint_id",
        "person_key",
        "kind",
        "display_name",
        "birth_year",
        "direction",
        "verdict",
        "reason",
        "device_time",
        "mono_ns",
        "boot_id",
        "clock_synced",
        "problems",
        "received_at",
        "corrected_time",
        "clock_flag",
        "seal_key",
        "sealed",
    ),
    "status_versions": ("version", "created_at", "entries"),
    "status_list": ("person_key", "colour", "valid_until", "version"),
    "status_changes": ("version", "person_key"),
    "trust_lists": ("id", "version", "keys", "loaded_at"),
}


def _convert_legacy(conn: Connection, state: SchemaState) -> None:
    """A pre-Alembic SQLite file to revision 0001_initial and on to head, in the caller's
    transaction (module docstring). Times were already fixed-width ISO text, as UtcTime stores
    them; content hashes were computed as central.storage.content_digest still does."""
    log.info("converting a database from before Alembic (%s)", ", ".join(state.legacy))
    present = [name for name in _LEGACY_TABLES if name in state.tables]
    for index in _LEGACY_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    for name in present:
        conn.exec_driver_sql(f"ALTER TABLE {name} RENAME TO legacy_{name}")
    _upgrade(conn, SchemaState(None, (), frozenset()))
    columns = {name: _columns(conn, f"legacy_{name}") for name in present}
    for name in present:
        if name == "counters":
            conn.exec_driver_sql(
                "UPDATE counters SET value = (SELECT l.value FROM legacy_counters l "
                "WHERE l.name = counters.name) "
                "WHERE name IN (SELECT name FROM legacy_counters)"
            )
            continue
        wanted = _COPIED[name]
        # 0002 added the sealed columns; a file that stopped at 0001 has none.
        chosen = ", ".join(c if c in columns[name] else "NULL" for c in wanted)
        conn.exec_driver_sql(
            f"INSERT INTO {name} ({', '.join(wanted)}) SELECT {chosen} FROM legacy_{name}"  # noqa: S608
        )
    if "events" in present:
        conn.exec_driver_sql(
            "INSERT INTO event_ids (device_id, event_id, content_sha256, received_at) "
            "SELECT device_id, event_id, content_sha256, received_at FROM legacy_events"
        )
        _legacy_data_at_head(conn)
    for name in reversed(present):
        conn.exec_driver_sql(f"DROP TABLE legacy_{name}")
    conn.exec_driver_sql(f"DROP TABLE {LEGACY_TABLE}")
    counts = {
        name: int(conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one())  # noqa: S608
        for name in ("checkpoints", "devices", "events")
    }
    log.info(
        "converted: %d checkpoints, %d devices, %d events",
        counts["checkpoints"],
        counts["devices"],
        counts["events"],
    )


def _legacy_data_at_head(conn: Connection) -> None:
    """What the data migrations after 0001_initial do to existing rows, for rows copied in after
    the schema was created at head (they never saw those migrations). Add to it whenever a
    revision changes data, not only the schema:

    - 0003_reports: `devices.events_stored` counted; no event dated more than 2 s after its
      receipt (fixed-width ISO text: compared as text, the 2 s checked exactly below).
    """
    conn.exec_driver_sql(
        "UPDATE devices SET events_stored = counted.n FROM "
        "(SELECT device_id, count(*) AS n FROM events GROUP BY device_id) AS counted "
        "WHERE devices.device_id = counted.device_id"
    )
    late = conn.exec_driver_sql(
        "SELECT id, received_at, corrected_time FROM events WHERE corrected_time > received_at"
    ).all()
    for row_id, received, corrected in late:
        if dt.datetime.fromisoformat(corrected) - dt.datetime.fromisoformat(received) > (
            dt.timedelta(seconds=2)
        ):
            conn.exec_driver_sql(
                "UPDATE events SET corrected_time = received_at, clock_flag = 'unverified' "
                "WHERE id = ?",
                (row_id,),
            )


def _columns(conn: Connection, table: str) -> set[str]:
    rows: Any = conn.exec_driver_sql(f"PRAGMA table_info({table})").fetchall()
    return {str(row[1]) for row in rows}
