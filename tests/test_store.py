"""The durable log on real SQLite files: durability settings, idempotence, migrations, queries,
index use, retention."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from sqlite_utils import Database

from checkpoint_common.seal import PersonalData
from kiosk.clock import Instant
from kiosk.events import Direction, NewEvent, Reason, Verdict
from kiosk.store import PurgeRefused, Store, StoreVersionError, migrations
from tests.conftest import AUTHORITY, personal_of

T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


def event(
    person: str = "id:aaa",
    *,
    at: dt.datetime = T0,
    direction: Direction = Direction.IN,
    verdict: Verdict = Verdict.ADMIT,
    event_id: str | None = None,
    payload: bytes | None = b"payload",
    mono_ns: int | None = None,
    boot_id: str = "boot-1",
    synced: bool = True,
    name: str | None = "N. V. An",
) -> NewEvent:
    return NewEvent(
        event_id=event_id or str(uuid.uuid4()),
        device_id="dev-1",
        checkpoint_id="cp-1",
        person_key=person,
        kind="cccd",
        display_name=name,
        birth_year=1990,
        direction=direction,
        verdict=verdict,
        reason=Reason.ENTRY if direction is Direction.IN else Reason.EXIT,
        device_time=at,
        mono_ns=mono_ns if mono_ns is not None else int((at - T0).total_seconds() * 1e9) + 10**9,
        boot_id=boot_id,
        clock_synced=synced,
        personal=PersonalData(payload, None, None) if payload is not None else None,
    )


def test_every_connection_is_wal_full_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    with Store.open(path) as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # INCREMENTAL
        store.record(event())
        for file in (path, path.with_name("kiosk.db-wal")):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_record_writes_event_and_outbox_together_and_is_idempotent(store: Store) -> None:
    first = event()
    result = store.record(first)
    again = store.record(first)  # a retry after a COMMIT whose outcome was unknown
    assert again.already_stored and again.seq == result.seq and not result.already_stored
    assert [e.event_id for e in store.events()] == [first.event_id]
    assert [e.event_id for e in store.outbox()] == [first.event_id]
    assert store.occupancy() == 1


def test_sequence_numbers_are_never_reused_after_a_purge(store: Store) -> None:
    old = store.record(event(at=T0 - dt.timedelta(days=40)))
    store.mark_delivered([e.event_id for e in store.outbox()], T0)
    store.purge(Instant(T0, 10**18, "boot-9", True), retention_days=21, hard_days=60)
    new = store.record(event(at=T0))
    assert new.seq > old.seq


def test_stays_follow_entries_and_exits(store: Store) -> None:
    store.record(event("id:a", at=T0))
    store.record(event("id:b", at=T0 + dt.timedelta(minutes=1)))
    store.record(event("id:a", at=T0 + dt.timedelta(minutes=2)))  # again in: still one stay
    assert store.occupancy() == 2
    store.record(event("id:a", at=T0 + dt.timedelta(minutes=30), direction=Direction.OUT))
    store.record(event("id:c", at=T0 + dt.timedelta(minutes=31), direction=Direction.OUT))
    store.record(event("id:d", at=T0 + dt.timedelta(minutes=32), verdict=Verdict.DENY))
    assert store.occupancy() == 1
    assert store.is_inside("id:b") and not store.is_inside("id:a")
    assert not store.is_inside("id:d")  # denied entries do not count
    counts = store.counts(T0, T0 + dt.timedelta(days=1))
    assert counts == {Direction.IN: 3, Direction.OUT: 2}
    minutes = store.per_minute(T0, T0 + dt.timedelta(hours=1))
    assert sum(n for _, _, n in minutes) == 5
    last = store.last_event("id:a")
    assert last is not None and last.direction is Direction.OUT


def test_outbox_in_order_and_delivery_marks(store: Store) -> None:
    ids = [
        store.record(event(f"id:{i}", at=T0 + dt.timedelta(seconds=i))).event_id for i in range(7)
    ]
    assert [e.event_id for e in store.outbox(limit=3)] == ids[:3]
    assert store.mark_delivered(ids[:3], T0) == 3
    assert store.mark_delivered(ids[:3], T0) == 0  # a replayed acknowledgement changes nothing
    assert [e.event_id for e in store.outbox()] == ids[3:]
    assert store.outbox_count() == 4
    delivered = {e.event_id for e in store.events() if e.delivered_at}
    assert delivered == set(ids[:3])


def test_held_events_wait_outside_the_outbox_on_every_path(tmp_path: Path) -> None:
    """Before the authority's key is known, personal data is sealed to the kiosk's holding key:
    such events are not sent (the server could not open them). `outbox` (tests, benchmarks)
    and `outbox_rows` (the sync) are one path and agree; the key's arrival releases them."""
    with Store.open(tmp_path / "kiosk.db") as store:
        held = store.record(event("id:held")).event_id
        plain = store.record(event("id:none", payload=None)).event_id  # nothing personal
        assert store.held_count() == 1 and store.outbox_count() == 2
        assert [e.event_id for e in store.outbox()] == [plain]
        assert [r[0] for r in store.outbox_rows()] == [plain]
        store.use_authority_key(AUTHORITY.public)
        assert [e.event_id for e in store.outbox()] == [held, plain]
        assert [r[0] for r in store.outbox_rows()] == [held, plain]


def test_co_presence_with_margin(store: Store) -> None:
    m = dt.timedelta(minutes=1)
    # The traced person: inside 10:00-10:30.
    store.record(event("id:case", at=T0))
    store.record(event("id:case", at=T0 + 30 * m, direction=Direction.OUT))
    # Overlapping 10:20-11:00.
    store.record(event("id:overlap", at=T0 + 20 * m))
    store.record(event("id:overlap", at=T0 + 60 * m, direction=Direction.OUT))
    # Left at 09:55: within a 10-minute margin, not within 2.
    store.record(event("id:before", at=T0 - 120 * m))
    store.record(event("id:before", at=T0 - 5 * m, direction=Direction.OUT))
    # A long stay 06:00-12:00 that covers everything (found despite entering long before).
    store.record(event("id:long", at=T0 - 240 * m))
    store.record(event("id:long", at=T0 + 120 * m, direction=Direction.OUT))
    # Still inside since 10:10.
    store.record(event("id:open", at=T0 + 10 * m))
    # Next day: unrelated.
    store.record(event("id:later", at=T0 + 26 * 60 * m))

    now = T0 + 27 * 60 * m
    wide = store.co_presence("id:case", margin=10 * m, now=now)
    narrow = store.co_presence("id:case", margin=2 * m, now=now)
    assert {o.person_key for o in wide} == {"id:overlap", "id:before", "id:long", "id:open"}
    assert {o.person_key for o in narrow} == {"id:overlap", "id:long", "id:open"}
    together = {o.person_key: o.overlap_s for o in wide}
    assert together["id:overlap"] == 10 * 60
    assert together["id:long"] == 30 * 60
    assert together["id:open"] == 20 * 60
    assert together["id:before"] == 0
    assert store.co_presence("id:nobody", margin=m, now=now) == []
    # The health officer's period: a later visit of the case finds the later contacts only.
    store.record(event("id:case", at=T0 + 26 * 60 * m + 5 * m))
    later_only = store.co_presence("id:case", margin=2 * m, now=now, since=T0 + 24 * 60 * m)
    assert {o.person_key for o in later_only} == {"id:later", "id:open"}


def _plan(store: Store, sql: str, params: tuple[object, ...] = ()) -> str:
    rows = store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def test_hot_queries_use_indexes(store: Store) -> None:
    """At 1,000,000 events a full scan takes ~100 ms; these must be index lookups
    (bench/store.py measures the times)."""
    plans = {
        "occupancy": _plan(store, "SELECT count(*) FROM stays WHERE out_time IS NULL"),
        "inside": _plan(
            store, "SELECT 1 FROM stays WHERE person_key = ? AND out_time IS NULL", ("k",)
        ),
        "last event": _plan(
            store, "SELECT seq FROM events WHERE person_key = ? ORDER BY seq DESC LIMIT 1", ("k",)
        ),
        "today": _plan(
            store,
            "SELECT direction, count(*) FROM events WHERE device_time >= ? "
            "AND device_time < ? AND verdict = 'admit' GROUP BY direction",
            ("a", "b"),
        ),
    }
    for name, plan in plans.items():
        # A SCAN is only acceptable over the partial index of open stays.
        full_scan = re.search(r"SCAN (events|stays)(?! USING INDEX stays_open)", plan)
        assert "USING" in plan and not full_scan, (name, plan)


def test_migration_from_an_older_schema_keeps_rows_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    # A database as the first release left it: only the first migration applied.
    conn = sqlite3.connect(path, isolation_level=None)
    old = Database(conn, execute_plugins=False)
    migrations.apply(old, stop_before="0002_stays")
    for i, (who, direction) in enumerate([("id:a", "in"), ("id:b", "in"), ("id:a", "out")]):
        conn.execute(
            "INSERT INTO events (event_id, device_id, checkpoint_id, person_key, kind, "
            "direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, payload) "
            "VALUES (?, 'd', 'c', ?, 'cccd', ?, 'admit', 'entry', ?, ?, 'b', 1, ?)",
            (f"ev-{i}", who, direction, f"2026-11-25T03:0{i}:00.000000Z", i, "Nguyễn".encode()),
        )
        conn.execute("INSERT INTO outbox (seq, event_id) VALUES (?, ?)", (i + 1, f"ev-{i}"))
    conn.close()

    with Store.open(path) as store:
        assert [e.event_id for e in store.events()] == ["ev-0", "ev-1", "ev-2"]
        assert store.outbox_count() == 3
        assert store.occupancy() == 1 and store.is_inside("id:b")  # stays derived from the log
        # Rows written in clear before sealing existed are sealed at the upgrade.
        clear = store.db.conn.execute("SELECT payload FROM events WHERE seq = 1").fetchone()[0]
        assert clear is None
        data = personal_of(store, "ev-0")
        assert data is not None and data.payload == "Nguyễn".encode()
    assert "Nguyễn".encode() not in path.read_bytes()
    backups = list((tmp_path / "backups").glob("kiosk-*-before-0002_stays.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT count(*) FROM events").fetchone()[0] == 3
        assert (
            copy.execute("SELECT name FROM sqlite_master WHERE name = 'stays'").fetchone() is None
        )


def test_a_kiosk_restarted_while_migrating_keeps_one_copy_from_before(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(conn, execute_plugins=False), stop_before="0002_stays")
    conn.close()
    backups = tmp_path / "backups"
    backups.mkdir()
    # What earlier attempts left: the copy made before the first pending migration, and a
    # copy that was being written when the kiosk was killed.
    first = backups / "kiosk-20261120T010203Z-before-0002_stays.db"
    sqlite3.connect(first).close()
    (backups / "kiosk-20261120T010209Z-before-0002_stays.db.partial").write_bytes(b"half")
    Store.open(path).close()
    assert sorted(p.name for p in backups.iterdir()) == [
        first.name,
        "kiosk-20261120T010209Z-before-0002_stays.db.partial",
    ]


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kiosk', '9999_from_the_future', '2030-01-01')"
        )
    with pytest.raises(StoreVersionError, match=r"newer kiosk version.*9999_from_the_future"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        Store.open(path)


def test_purge_keeps_undelivered_and_recent(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    store = Store.open(path)
    day = dt.timedelta(days=1)
    marker = b"PURGE-MARKER-" + b"x" * 50
    old_delivered = store.record(event("id:old", at=T0 - 30 * day, payload=marker))
    old_waiting = store.record(event("id:wait", at=T0 - 30 * day))
    ancient_waiting = store.record(event("id:ancient", at=T0 - 90 * day))
    ancient_unsynced = store.record(event("id:unsync", at=T0 - 90 * day, synced=False))
    recent = store.record(event("id:new", at=T0 - 2 * day))
    store.mark_delivered([old_delivered.event_id, recent.event_id], T0)

    now = Instant(T0, 10**18, "boot-2", synced=True)  # another boot: no jump check possible
    result = store.purge(now, retention_days=21, hard_days=60)
    left = {e.event_id for e in store.events()}
    assert old_delivered.event_id not in left and ancient_waiting.event_id not in left
    # Undelivered and younger than the hard limit, recorded with an unknown clock, or recent.
    assert {old_waiting.event_id, ancient_unsynced.event_id, recent.event_id} <= left
    assert (result.deleted_delivered, result.deleted_undelivered) == (1, 1)
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    # secure_delete: the purged payload is not left readable in the file.
    assert marker not in path.read_bytes()


def test_no_hard_purge_when_the_clock_is_not_known_right(store: Store) -> None:
    store.record(event("id:ancient", at=T0 - dt.timedelta(days=90)))
    result = store.purge(
        Instant(T0, 10**18, "boot-2", synced=False), retention_days=21, hard_days=60
    )
    assert result.hard_cutoff is None and store.outbox_count() == 1


def test_forward_clock_jump_never_purges(store: Store) -> None:
    # Events recorded in this boot; then the wall clock is stepped 40 days forward while only
    # a minute passed on the monotonic clock.
    first = store.record(event("id:a", at=T0, mono_ns=10**9, boot_id="boot-1"))
    store.mark_delivered([first.event_id], T0)
    jumped = Instant(T0 + dt.timedelta(days=40), 10**9 + 60 * 10**9, "boot-1", synced=True)
    with pytest.raises(PurgeRefused, match="stepped forward"):
        store.purge(jumped, retention_days=21, hard_days=60)
    assert [e.event_id for e in store.events()] == [first.event_id]
    # Time really passing (both clocks) does purge.
    passed = Instant(T0 + dt.timedelta(days=40), 10**9 + 40 * 86400 * 10**9, "boot-1", True)
    assert store.purge(passed, retention_days=21, hard_days=60).deleted_delivered == 1


def test_status_list_replace_and_validity(store: Store) -> None:
    store.replace_status_list(
        [("id:red", "red", None), ("id:was", "yellow", T0 - dt.timedelta(hours=1))],
        version="v7",
        updated_at=T0,
    )
    assert store.status_of("id:red", T0) == "red"
    assert store.status_of("id:was", T0) is None  # no longer valid
    assert store.status_of("id:none", T0) is None
    info = store.status_list_info()
    assert (info.version, info.updated_at, info.entries) == ("v7", T0, 2)
    store.replace_status_list([], version="v8", updated_at=T0)
    assert store.status_of("id:red", T0) is None


def test_auto_checkout_closes_open_stays_once(store: Store) -> None:
    store.record(event("id:a", at=T0))
    store.record(event("id:b", at=T0))
    cutoff = T0 + dt.timedelta(hours=17)
    later = store.record(event("id:late", at=cutoff + dt.timedelta(minutes=5)))
    instant = Instant(cutoff + dt.timedelta(hours=6), 10**12, "boot-1", True)
    assert store.auto_checkout(cutoff, instant, "cp-1") == 2
    assert store.occupancy() == 1 and store.is_inside("id:late")
    outs = [e for e in store.events() if e.reason is Reason.AUTO_CHECKOUT]
    assert {e.person_key for e in outs} == {"id:a", "id:b"}
    assert all(e.device_time == cutoff and e.direction is Direction.OUT for e in outs)
    assert store.outbox_count() == 5  # the closing events are delivered like any other
    assert store.auto_checkout(cutoff, instant, "cp-1") == 0
    assert later.seq < max(e.seq for e in outs)


def test_wal_stays_bounded_when_nobody_checkpoints(tmp_path: Path) -> None:
    """Checkpoints are kept off the scan path (Gate.idle), but a kiosk whose idle timer never
    runs must not grow its WAL without end."""
    path = tmp_path / "kiosk.db"
    with Store.open(path) as store:
        for i in range(1500):
            store.record(event(f"id:{i}", at=T0 + dt.timedelta(seconds=i)))
        wal = path.with_name("kiosk.db-wal").stat().st_size
        # Unchecked, 1,500 scans of ~15 pages would need ~90 MB of WAL.
        assert wal < 20 * 1024 * 1024, wal
        assert store.checkpoint() == 0
        assert store.outbox_count() == 1500
