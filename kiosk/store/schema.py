"""The schema: named, append-only migrations, the version guard, and the copy made before
migrating (sqlite-utils' Migrations; Vorta and Anki are the models: ../shared/STYLE.md §5).

Never edit a migration that has shipped; add one. A database carrying a migration this version
does not know was written by a newer kiosk and is refused (StoreVersionError): opening it could
damage it. Before the first pending migration is applied to a database that holds data, a
copy is made (kiosk.store.backup.copy_before_migration).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.events import Direction
from kiosk.store.backup import copy_before_migration
from kiosk.store.errors import StoreVersionError
from kiosk.store.log import apply_stay

log = logging.getLogger(__name__)

MIGRATION_SET = "kiosk"

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
        apply_stay(db.conn, seq, person_key, kind, name, Direction(direction), time, "exit")


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


def pending_migrations(db: Database, path: Path) -> list[str]:
    """The names of the migrations not applied yet to `db`, in order. Read-only. Raises
    StoreVersionError when `db` carries a migration this version does not know."""
    known = [m.name for m in migrations._migrations]
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise StoreVersionError(
            f"{path} was written by a newer kiosk version (migration {unknown[-1]!r} is "
            "unknown to this one); install the newer version or restore a backup"
        )
    return [m.name for m in migrations.pending(db)]


def migrate(conn: sqlite3.Connection, path: Path, backup_dir: Path) -> None:
    """Bring the database on `conn` (the file at `path`) to this version's schema: refuse a
    newer one (StoreVersionError), copy one that holds data to `backup_dir` before changing
    it, then apply each pending migration in its own transaction."""
    db = Database(conn, execute_plugins=False)
    applied = bool(migrations.applied(db))
    pending = pending_migrations(db, path)
    if not pending:
        return
    if applied:
        copy_before_migration(conn, path, backup_dir, pending[0])
    log.info("migrating %s: %s", path.name, ", ".join(pending))
    migrations.apply(db)
