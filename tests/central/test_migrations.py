"""Schema versions on both engines: the migrations build what central.schema declares; a newer
or foreign database is refused; an older one is upgraded (SQLite after a backup copy;
PostgreSQL only by `migrate`, after the operator's pg_dump); a file written by the server before
Alembic (tests/central/data/legacy-0002.db, made by the old code) is converted without losing a
row."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Identity, MetaData, Text, text
from sqlalchemy.exc import DBAPIError

from central import migrate, tokens
from central.database import locate
from central.schema import metadata
from central.storage import (
    CLOCK_CORRECTED,
    CLOCK_UNVERIFIED,
    MigrationRequired,
    Storage,
    StorageVersionError,
)
from checkpoint_common.protocol import EventPayload, UploadRequest
from checkpoint_common.timefmt import to_iso

from .conftest import LEGACY, NEXT, T0, S

# This server's head, the "older" schema once a test installs the NEXT revision.
HEAD = migrate.SCHEMA_HEAD


def schema_differences(storage: Storage, against: MetaData = metadata) -> list[object]:
    """What Alembic's autogenerate finds between the database and `against` (types, defaults,
    indexes, constraints, columns, tables). SQLite has no identity columns (an INTEGER primary
    key is the rowid, numbered in arrival order): that difference is expected and left out."""

    def include_name(name: str | None, type_: str, parents: object) -> bool:
        return type_ != "table" or name in against.tables  # not partitions, not alembic_version

    with storage.db.query() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": include_name,
            },
        )
        found = compare_metadata(context, against)
    if storage.db.dialect == "sqlite":
        found = [d for d in found if not _identity_only(d)]
    return found


def _identity_only(difference: object) -> bool:
    changes = difference if isinstance(difference, list) else [difference]
    return all(
        isinstance(c, tuple) and c[0] == "modify_default" and isinstance(c[-1], Identity)
        for c in changes
    )


def test_the_migrations_build_what_the_schema_module_declares(storage: Storage) -> None:
    assert schema_differences(storage) == []
    # The comparison can fail: a column the migrations never made is found.
    other = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(other)
    other.tables["devices"].append_column(Column("added_later", Text))
    assert schema_differences(storage, other) != []


def test_a_database_with_foreign_tables_and_no_version_is_refused(db: Path | str) -> None:
    with Storage.open(db) as storage, storage.db.write() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(StorageVersionError, match="not a kiosk-central database"):
        Storage.open(db)


def test_opening_an_empty_database_from_several_threads_at_once_migrates_it_once(
    tmp_path: Path, engine: str, request: pytest.FixtureRequest
) -> None:
    target = (
        tmp_path / "new.db"
        if engine == "sqlite"
        else str(request.getfixturevalue("postgres_empty_url"))
    )
    barrier = threading.Barrier(4)

    def open_it() -> str:
        barrier.wait(30)
        with Storage.open(target) as storage:
            return storage.person_key_secret()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(open_it) for _ in range(4)]
        secrets = [f.result(timeout=60) for f in futures]  # re-raises a thread's failure
    assert len(set(secrets)) == 1  # one deployment, made once


# -- an older schema ----------------------------------------------------------------------------


def added_column_exists(storage: Storage) -> bool:
    with storage.db.query() as conn:
        found = conn.execute(text("SELECT added_later FROM devices")).all()
    return found == []


def test_an_older_sqlite_file_is_backed_up_then_upgraded(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    path = tmp_path / "central.db"
    with Storage.open(path) as storage:
        storage.ensure_checkpoint("Gate A", T0)
    current = migrate.SCHEMA_HEAD  # this server's head; the fixture makes a newer one
    request.getfixturevalue("newer_server")
    with Storage.open(path) as storage:
        assert added_column_exists(storage)
        assert [c.name for c in storage.checkpoints()] == ["Gate A"]
    [backup] = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("central-") and backup.name.endswith(f"-before-{NEXT}.db")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (current,)
        assert copy.execute("SELECT name FROM checkpoints").fetchall() == [("Gate A",)]
    copy.close()


def test_an_older_postgresql_database_waits_for_the_migrate_command(
    postgres_url: str, request: pytest.FixtureRequest
) -> None:
    with Storage.open(postgres_url) as storage:
        storage.ensure_checkpoint("Gate A", T0)
    current = migrate.SCHEMA_HEAD  # this server's head; the fixture makes a newer one
    request.getfixturevalue("newer_server")
    with pytest.raises(MigrationRequired, match="pg_dump") as refused:
        Storage.open(postgres_url)
    assert "kiosk-central migrate" in str(refused.value)
    assert current in str(refused.value)
    migrate.prepare(locate(postgres_url), upgrade=True)
    with Storage.open(postgres_url) as storage:
        assert added_column_exists(storage)
        assert [c.name for c in storage.checkpoints()] == ["Gate A"]


def test_a_migration_that_dies_halfway_leaves_the_database_as_it_was(
    db: Path | str, request: pytest.FixtureRequest
) -> None:
    with Storage.open(db) as storage:
        storage.ensure_checkpoint("Gate A", T0)
    request.getfixturevalue("failing_newer_server")
    with pytest.raises(RuntimeError, match="died halfway"):
        migrate.prepare(locate(db), upgrade=True)
    # Back to this version of the server: the database is as it was, at its old revision.
    request.getfixturevalue("monkeypatch").undo()
    migrate.revisions.cache_clear()
    with Storage.open(db) as storage:
        assert [c.name for c in storage.checkpoints()] == ["Gate A"]
        with storage.db.query() as conn:
            tables = set(
                conn.execute(
                    text(
                        "SELECT table_name FROM information_schema.tables"
                        if storage.db.dialect == "postgresql"
                        else "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                ).scalars()
            )
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert "half_made" not in tables
        assert version == migrate.SCHEMA_HEAD
        with pytest.raises(DBAPIError), storage.db.query() as conn:
            conn.execute(text("SELECT added_later FROM devices"))


# -- a file from before Alembic ----------------------------------------------------------------


def test_a_file_from_the_sqlite_utils_server_is_converted_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    shutil.copyfile(LEGACY, path)
    original = LEGACY.read_bytes()
    with Storage.open(path) as storage:
        assert schema_differences(storage) == []
        names = {c.name: c for c in storage.checkpoints()}
        assert set(names) == {"Chợ Bến Thành", "Trạm y tế"}
        market, clinic = names["Chợ Bến Thành"], names["Trạm y tế"]
        assert market.settings == {"capacity": 300}
        assert market.config_version != clinic.config_version
        stored = list(storage.events())
        assert len(stored) == 10
        assert [e.event.seq for e in stored] == [0, 1, 2, 3, 4, 5, 6, 10, 11, 12]  # arrival order
        first = stored[0]
        assert first.event.sealed is not None and first.event.seal_key == "k1"
        assert first.event.display_name == "Nguyễn V** A"
        assert first.received_at == T0
        odd = next(e for e in stored if e.event.seq == 6)
        assert (odd.clock_flag, odd.event.problems) == (CLOCK_UNVERIFIED, ("a\x00b",))
        assert {e.clock_flag for e in stored if e.device_id == "dev-b"} == {CLOCK_CORRECTED}
        stats = storage.stats()
        assert (stats.events, stats.devices, stats.checkpoints, stats.duplicates) == (10, 2, 2, 2)
        # Devices, tokens, revocation.
        active = storage.device_by_token(tokens.token_digest("token-dev-a"))
        revoked = storage.device_by_token(tokens.token_digest("token-dev-b"))
        assert active is not None and not active.revoked and active.checkpoint_id == market.id
        assert revoked is not None and revoked.revoked
        # Status list versions and the change log; the trust list.
        assert storage.status_list_version() == 2
        changes = storage.status_list(1)
        assert not changes.full
        assert [(e.person_key, e.colour) for e in changes.upserts] == [
            ("pk-0", "yellow"),
            ("pk-1", "red"),
        ]
        trust = storage.trust_list()
        assert trust is not None and trust.version == "2026-11-25.1"
        # Exactly once across the conversion: a replay is a duplicate, new ids are stored,
        # after the old ones.
        replay = UploadRequest(
            "dev-a",
            "boot-1",
            to_iso(T0),
            3000 * S,
            (stored[0].event, EventPayload.from_json({**stored[1].to_json(), "seq": 99})),
        )
        results = storage.ingest("dev-a", replay, T0 + dt.timedelta(hours=1))
        assert [(r.status, r.error) for r in results] == [
            ("duplicate", None),
            ("rejected", "conflict"),
        ]
        fresh = EventPayload.from_json(
            {**stored[0].to_json(), "event_id": "00000000-0000-0000-0000-0000000000ff"}
        )
        new = UploadRequest("dev-a", "boot-1", to_iso(T0), 3000 * S, (fresh,))
        assert storage.ingest("dev-a", new, T0)[0].status == "stored"
        assert list(storage.events())[-1].event.event_id == fresh.event_id
    # The backup is the old file as it was.
    [backup] = (tmp_path / "backups").iterdir()
    assert backup.name.endswith("-before-0001_initial.db")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT count(*) FROM events").fetchone() == (10,)
        assert copy.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall() == [
            ("0001_initial",),
            ("0002_sealed_personal_data",),
        ]
    copy.close()
    assert LEGACY.read_bytes() == original
    # Opened again: nothing more to do, no second backup.
    Storage.open(path).close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_file_from_a_newer_sqlite_utils_server_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    shutil.copyfile(LEGACY, path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('central', '0003_from_the_future', 'x')"
        )
    conn.close()
    with pytest.raises(StorageVersionError, match="0003_from_the_future"):
        Storage.open(path)
    assert not (tmp_path / "backups").exists()
