"""The server's storage on real SQLite files: durability settings, migrations, idempotent
ingest, clock correction, status-list versions, trust list, stays and co-presence."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import stat
import threading
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from central import migrate, tokens
from central import storage as storage_module
from central.storage import (
    CLOCK_CORRECTED,
    CLOCK_OK,
    CLOCK_UNVERIFIED,
    EnrollmentConflict,
    EnrollmentRefused,
    InvalidInput,
    Storage,
    StorageError,
    StorageVersionError,
    UnknownCheckpoint,
    correct_time,
)
from checkpoint_common.protocol import EventPayload, StatusEntry, UploadRequest
from checkpoint_common.timefmt import from_iso, to_iso

from .conftest import T0, S, make_event, new_code


def enrolled(storage: Storage, name: str = "Gate A", device_id: str = "dev-1") -> str:
    """Enroll `device_id` for checkpoint `name`; returns the checkpoint id."""
    code = new_code(storage, name, T0)
    cp = storage.enroll(
        tokens.code_digest(code),
        device_id=device_id,
        device_name="",
        token_sha256=tokens.token_digest(f"token-{device_id}"),
        now=T0,
    )
    return cp.id


def upload(
    events: list[dict[str, object]],
    *,
    device_id: str = "dev-1",
    boot_id: str = "boot-1",
    sent_mono_ns: int = 2000 * S,
) -> UploadRequest:
    return UploadRequest(
        device_id,
        boot_id,
        to_iso(T0),
        sent_mono_ns,
        tuple(EventPayload.from_json(e) for e in events),
    )


def statuses(results: list[object]) -> list[str]:
    return [r.status for r in results]  # type: ignore[attr-defined]


# -- the file and the schema ----------------------------------------------------------------------


def test_every_sqlite_connection_is_wal_full_and_the_file_private(tmp_path: Path) -> None:
    path = tmp_path / "srv" / "central.db"
    with Storage.open(path) as storage:
        seen = []

        def check() -> None:
            with storage.db.query() as conn:
                seen.append(
                    tuple(
                        conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                        for name in ("journal_mode", "synchronous", "busy_timeout")
                    )
                )

        check()
        worker = threading.Thread(target=check)
        worker.start()
        worker.join()
        assert seen == [("wal", 2, 5000), ("wal", 2, 5000)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_person_key_secret_is_made_once(db: Path | str) -> None:
    with Storage.open(db) as storage:
        first = storage.person_key_secret()
        key = storage.authority_key().to_text()
    with Storage.open(db) as storage:
        assert storage.person_key_secret() == first
        assert storage.authority_key().to_text() == key
    assert len(base64.b64decode(first)) == 32


def test_a_database_from_a_newer_server_is_refused(db: Path | str) -> None:
    with Storage.open(db) as storage, storage.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StorageVersionError, match="9999_future"):
        Storage.open(db)


def test_the_schema_is_alembics_newest_revision(db: Path | str) -> None:
    with Storage.open(db) as storage, storage.db.query() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    assert current == migrate.head() == migrate.revisions()[-1]
    assert migrate.revisions()[0] == "0001_initial"


def test_the_head_constant_is_alembics_head() -> None:
    # migrate.SCHEMA_HEAD spares commands importing Alembic; a new migration must update it.
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.SCHEMA_HEAD]


def test_not_a_database_raises(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable database"):
        Storage.open(path)


# -- checkpoints and enrollment -----------------------------------------------------------------


def test_checkpoint_settings_are_validated_and_bump_a_global_version(storage: Storage) -> None:
    a = storage.ensure_checkpoint("A", T0)
    b = storage.ensure_checkpoint("B", T0)
    assert storage.ensure_checkpoint("A", T0).id == a.id
    assert a.config_version != b.config_version
    updated = storage.update_checkpoint_settings(a.id, {"capacity": 300})
    assert updated.config_version > max(a.config_version, b.config_version)
    assert updated.kiosk_settings() == {"capacity": 300, "checkpoint_name": "A"}
    with pytest.raises(InvalidInput, match="capacity"):
        storage.update_checkpoint_settings(a.id, {"capacity": -1})
    with pytest.raises(InvalidInput, match="gate_mode"):
        storage.update_checkpoint_settings(a.id, {"gate_mode": "in"})  # stays local
    with pytest.raises(InvalidInput, match="already has that name"):
        storage.update_checkpoint_settings(a.id, {"checkpoint_name": "B"})
    with pytest.raises(UnknownCheckpoint):
        storage.update_checkpoint_settings("cp-nope", {"capacity": 1})
    renamed = storage.update_checkpoint_settings(a.id, {"checkpoint_name": "A2", "capacity": None})
    assert renamed.kiosk_settings() == {"checkpoint_name": "A2"}


def test_an_enrollment_code_works_once_and_not_after_expiry(storage: Storage) -> None:
    code = new_code(storage, "Gate A", T0, hours=24)
    digest = tokens.code_digest(code.lower().replace("-", " "))  # typed loosely on a kiosk
    cp = storage.enroll(digest, device_id="d1", device_name="", token_sha256="t1", now=T0)
    assert cp.name == "Gate A"
    with pytest.raises(EnrollmentRefused):
        storage.enroll(digest, device_id="d2", device_name="", token_sha256="t2", now=T0)
    late = new_code(storage, "Gate A", T0, hours=24)
    with pytest.raises(EnrollmentRefused):
        storage.enroll(
            tokens.code_digest(late),
            device_id="d3",
            device_name="",
            token_sha256="t3",
            now=T0 + dt.timedelta(hours=24, seconds=1),
        )


def test_enrolling_again_replaces_the_token_and_clears_a_revocation(storage: Storage) -> None:
    enrolled(storage, "A", "d1")
    assert storage.device_by_token(tokens.token_digest("token-d1")) is not None
    assert storage.revoke_device("d1", T0)
    assert storage.device_by_token(tokens.token_digest("token-d1")).revoked  # type: ignore[union-attr]
    assert not storage.revoke_device("nobody", T0)
    # A revoked device comes back only with a code issued for it (its old token is revoked).
    plain = new_code(storage, "B", T0)
    with pytest.raises(EnrollmentConflict):
        storage.enroll(
            tokens.code_digest(plain),
            device_id="d1",
            device_name="",
            token_sha256="new",
            now=T0,
            current_token_sha256=tokens.token_digest("token-d1"),
        )
    code = new_code(storage, "B", T0, replaces="d1")
    storage.enroll(
        tokens.code_digest(code), device_id="d1", device_name="", token_sha256="new", now=T0
    )
    assert storage.device_by_token(tokens.token_digest("token-d1")) is None
    device = storage.device_by_token("new")
    assert device is not None and not device.revoked
    assert storage.checkpoint(device.checkpoint_id).name == "B"  # type: ignore[union-attr]


# -- ingest ---------------------------------------------------------------------------------------


def test_ingest_stores_once_and_answers_replays(storage: Storage) -> None:
    cp = enrolled(storage)
    events = [make_event(cp, seq=i, mono_ns=(1000 + i) * S) for i in range(5)]
    assert statuses(storage.ingest("dev-1", upload(events), T0)) == ["stored"] * 5
    again = storage.ingest("dev-1", upload(events), T0 + dt.timedelta(minutes=1))
    assert statuses(again) == ["duplicate"] * 5
    assert storage.event_count() == 5
    assert storage.stats().duplicates == 5


def test_a_reused_event_id_with_other_content_is_a_logged_conflict(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    cp = enrolled(storage)
    original = make_event(cp, display_name="Nguyễn Văn Bí Mật")
    storage.ingest("dev-1", upload([original]), T0)
    changed = {**original, "direction": "out", "display_name": "Nguyễn Văn Bí Mật"}
    results = storage.ingest("dev-1", upload([changed]), T0)
    assert [(r.status, r.error) for r in results] == [("rejected", "conflict")]
    assert original["event_id"] in caplog.text
    assert "Bí Mật" not in caplog.text
    assert storage.stats().conflicts == 1
    [stored] = list(storage.events())
    assert stored.event.direction == "in"


def test_repeats_within_one_batch(storage: Storage) -> None:
    cp = enrolled(storage)
    event = make_event(cp)
    other = {**event, "seq": 99}
    results = storage.ingest("dev-1", upload([event, event, other]), T0)
    assert [(r.status, r.error) for r in results] == [
        ("stored", None),
        ("duplicate", None),
        ("rejected", "conflict"),
    ]


def test_event_ids_are_per_device(storage: Storage) -> None:
    cp = enrolled(storage, "A", "d1")
    enrolled(storage, "A", "d2")
    event = make_event(cp)
    assert statuses(storage.ingest("d1", upload([event], device_id="d1"), T0)) == ["stored"]
    assert statuses(storage.ingest("d2", upload([event], device_id="d2"), T0)) == ["stored"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"event_id": "not-a-uuid"}, "event_id: not a UUID"),
        ({"device_time": "yesterday"}, "device_time: not an ISO 8601 time"),
        ({"device_time": "0005-01-01T00:00:00Z"}, "device_time: out of range"),
        ({"mono_ns": 2**70}, "mono_ns: out of range"),
        ({"seq": -(2**64)}, "seq: out of range"),
        ({"person_key": ""}, "person_key: empty"),
        ({"display_name": "bad \ud800 text"}, "display_name: not valid Unicode text"),
        ({"problems": ["ok", "\udfff"]}, "problems: not valid Unicode text"),
    ],
)
def test_invalid_events_are_rejected_one_by_one(
    storage: Storage, overrides: dict[str, object], error: str
) -> None:
    cp = enrolled(storage)
    good = make_event(cp)
    bad = {**make_event(cp), **overrides}
    results = storage.ingest("dev-1", upload([bad, good]), T0)
    assert results[0].status == "rejected"
    assert error in (results[0].error or "")
    assert results[1].status == "stored"
    assert storage.event_count() == 1


def test_events_recorded_before_enrollment_are_kept_but_another_checkpoints_are_not(
    storage: Storage,
) -> None:
    cp = enrolled(storage)
    elsewhere = enrolled(storage, "Gate B", device_id="dev-2")
    offline = {**make_event(cp), "checkpoint_id": "demo-checkpoint"}  # the kiosk's default
    foreign = {**make_event(cp), "checkpoint_id": elsewhere}
    results = storage.ingest("dev-1", upload([offline, foreign]), T0)
    assert results[0].status == "stored"
    assert results[1].status == "rejected" and "checkpoint_mismatch" in (results[1].error or "")
    (stored,) = list(storage.events(cp))
    assert stored.event.event_id == offline["event_id"]
    assert "recorded_before_enrollment:demo-checkpoint" in stored.event.problems
    # A replay of the same offline event is a duplicate, not a conflict.
    again = storage.ingest("dev-1", upload([offline]), T0)
    assert again[0].status == "duplicate"


def test_hostile_text_is_stored_exactly(storage: Storage) -> None:
    cp = enrolled(storage)
    name = "Robert'); DROP TABLE events;-- \x01 \u202egnp.exe \x1b[31m" + "x" * 100_000
    event = make_event(cp, display_name=name, reason="entry\n", problems=["a\x00b"])
    assert statuses(storage.ingest("dev-1", upload([event]), T0)) == ["stored"]
    [stored] = list(storage.events())
    assert stored.event.display_name == name
    assert stored.event.problems == ("a\x00b",)  # problems are JSON: NUL is escaped there
    assert statuses(storage.ingest("dev-1", upload([event]), T0)) == ["duplicate"]


def test_nul_in_a_text_field_is_rejected_on_both_engines(storage: Storage) -> None:
    # PostgreSQL's text cannot hold U+0000; SQLite could, but both engines answer alike.
    cp = enrolled(storage)
    bad = make_event(cp, display_name="N\x00 A")
    good = make_event(cp)
    results = storage.ingest("dev-1", upload([bad, good]), T0)
    assert [(r.status, r.error) for r in results] == [
        ("rejected", "display_name: contains NUL (U+0000), which cannot be stored"),
        ("stored", None),
    ]
    with pytest.raises(InvalidInput, match="NUL"):
        storage.load_status_list([StatusEntry("pk\x00", "red", None)], T0)


def test_concurrent_ingest_of_one_batch_keeps_one_row_per_event(storage: Storage) -> None:
    cp = enrolled(storage)
    events = [make_event(cp, seq=i) for i in range(50)]
    barrier = threading.Barrier(20)
    outcomes: list[list[str]] = []
    lock = threading.Lock()

    def post() -> None:
        barrier.wait()
        result = statuses(storage.ingest("dev-1", upload(events), T0))
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(o.count("stored") for o in outcomes) == 50
    assert all(set(o) <= {"stored", "duplicate"} for o in outcomes)
    assert storage.event_count() == 50


# -- clock correction -------------------------------------------------------------------------


def test_correct_time_rules() -> None:
    device = T0 - dt.timedelta(days=2)
    anchor = (T0, 5000 * S)
    corrected, flag = correct_time(device, 4400 * S, False, anchor, T0)
    assert (corrected, flag) == (T0 - dt.timedelta(seconds=600), CLOCK_CORRECTED)
    near = T0 - dt.timedelta(seconds=600 + 200)
    assert correct_time(near, 4400 * S, False, anchor, T0)[1] == CLOCK_OK
    assert correct_time(device, 4400 * S, False, None, T0) == (device, CLOCK_UNVERIFIED)
    assert correct_time(device, 4400 * S, True, None, T0) == (device, CLOCK_OK)
    # Impossible monotonic values give no correction: negative, or after the upload arrived.
    assert correct_time(device, -(2**63), False, anchor, T0) == (device, CLOCK_UNVERIFIED)
    assert correct_time(device, 6000 * S, True, anchor, T0) == (device, CLOCK_OK)
    # Recorded after the anchor's upload, before this one: fine.
    later = T0 + dt.timedelta(hours=1)
    assert correct_time(device, 6000 * S, False, anchor, later)[0] == T0 + dt.timedelta(
        seconds=1000
    )


def test_a_clock_two_days_behind_is_corrected_and_flagged(storage: Storage) -> None:
    cp = enrolled(storage)
    behind = dt.timedelta(days=2)
    sent_mono = 90_000 * S
    events = [
        make_event(
            cp,
            seq=i,
            mono_ns=sent_mono - (600 - i) * S,
            device_time=to_iso(T0 - behind - dt.timedelta(seconds=600 - i)),
            clock_synced=False,
        )
        for i in range(3)
    ]
    storage.ingest("dev-1", upload(events, sent_mono_ns=sent_mono), T0)
    stored = list(storage.events())
    for i, item in enumerate(stored):
        assert item.corrected_time == T0 - dt.timedelta(seconds=600 - i)
        assert item.clock_flag == CLOCK_CORRECTED
        assert from_iso(item.event.device_time) == T0 - behind - dt.timedelta(seconds=600 - i)
        assert item.received_at == T0


def test_events_of_a_boot_without_anchor_are_unverified_unless_synced(storage: Storage) -> None:
    cp = enrolled(storage)
    wrong = to_iso(T0 - dt.timedelta(days=400))
    events = [
        make_event(cp, boot_id="boot-0", device_time=wrong, clock_synced=False),
        make_event(cp, boot_id="boot-0", device_time=wrong, clock_synced=True),
    ]
    storage.ingest("dev-1", upload(events, boot_id="boot-1"), T0)
    flags = [(e.clock_flag, e.corrected_time) for e in storage.events()]
    assert flags == [(CLOCK_UNVERIFIED, from_iso(wrong)), (CLOCK_OK, from_iso(wrong))]


def test_a_late_anchor_corrects_unverified_events_of_its_boot(storage: Storage) -> None:
    cp = enrolled(storage)
    early = make_event(
        cp,
        boot_id="boot-0",
        mono_ns=100 * S,
        device_time=to_iso(T0 - dt.timedelta(days=3)),
        clock_synced=False,
    )
    storage.ingest("dev-1", upload([early], boot_id="boot-1"), T0)
    assert [e.clock_flag for e in storage.events()] == [CLOCK_UNVERIFIED]
    # boot-0's own upload (delayed) arrives later: sent 50 s of boot-0 after the event,
    # received 30 s after the other one, so the event happened 20 s before T0.
    later = T0 + dt.timedelta(seconds=30)
    storage.ingest("dev-1", upload([], boot_id="boot-0", sent_mono_ns=150 * S), later)
    [fixed] = list(storage.events())
    assert fixed.clock_flag == CLOCK_CORRECTED
    assert fixed.corrected_time == later - dt.timedelta(seconds=50)


def test_no_event_is_dated_after_the_server_received_it(storage: Storage) -> None:
    cp = enrolled(storage)
    ahead = T0 + dt.timedelta(days=3)  # a kiosk clock set three days ahead, no anchor
    events = [
        make_event(cp, boot_id="boot-0", device_time=to_iso(ahead), clock_synced=True),
        make_event(cp, boot_id="boot-0", mono_ns=100 * S, device_time=to_iso(ahead)),
    ]
    storage.ingest("dev-1", upload(events, boot_id="boot-1"), T0)
    stored = [(e.clock_flag, e.corrected_time) for e in storage.events()]
    assert stored == [(CLOCK_UNVERIFIED, T0), (CLOCK_UNVERIFIED, T0)]
    assert [e.event.device_time for e in storage.events()] == [to_iso(ahead)] * 2  # kept
    # boot-0's upload, so delayed that its anchor would put the second event after its own
    # receipt (sent 50 s after it, received 5 minutes after it was): impossible, not applied.
    later = T0 + dt.timedelta(minutes=5)
    storage.ingest("dev-1", upload([], boot_id="boot-0", sent_mono_ns=150 * S), later)
    assert [(e.clock_flag, e.corrected_time) for e in storage.events()] == stored


def test_the_anchor_with_the_shortest_transit_is_kept(storage: Storage) -> None:
    cp = enrolled(storage)
    # Upload 1: sent at mono 1000 s, received at T0 (fast). Upload 2: sent at mono 2000 s,
    # received 1005 s later (5 s in transit). The first anchor stays.
    storage.ingest("dev-1", upload([], sent_mono_ns=1000 * S), T0)
    event = make_event(cp, mono_ns=1500 * S, clock_synced=False)
    storage.ingest("dev-1", upload([event], sent_mono_ns=2000 * S), T0 + dt.timedelta(seconds=1005))
    [stored] = list(storage.events())
    assert stored.corrected_time == T0 + dt.timedelta(seconds=500)


def test_an_anchor_that_would_shift_a_boot_by_minutes_is_refused(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    cp = enrolled(storage)
    storage.ingest("dev-1", upload([], sent_mono_ns=1000 * S), T0)
    # Someone with this device's token claims the boot ran 2 hours longer than it did: the
    # boot's offset would move by 2 hours. Refused; the events keep the genuine anchor.
    event = make_event(cp, mono_ns=900 * S, clock_synced=False)
    caplog.set_level(logging.WARNING)
    forged = upload([event], sent_mono_ns=(1010 + 7200) * S)
    storage.ingest("dev-1", forged, T0 + dt.timedelta(seconds=10))
    [stored] = list(storage.events())
    assert stored.corrected_time == T0 - dt.timedelta(seconds=100)
    assert "anchor moving the boot's offset by 7200 s refused" in caplog.text


def test_a_device_that_moves_checkpoint_is_logged_and_its_anchors_reset(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    enrolled(storage, "Gate A", "dev-1")
    storage.ingest("dev-1", upload([], sent_mono_ns=1000 * S), T0)
    caplog.set_level(logging.WARNING)
    code = new_code(storage, "Gate B", T0)
    cp_b = storage.enroll(
        tokens.code_digest(code),
        device_id="dev-1",
        device_name="",
        token_sha256="t2",
        now=T0,
        current_token_sha256=tokens.token_digest("token-dev-1"),
    ).id
    assert "moved from checkpoint" in caplog.text and "anchors were reset" in caplog.text
    # The old anchor is gone: an event of that boot is not corrected by it any more.
    event = make_event(cp_b, mono_ns=900 * S, clock_synced=False)
    later = T0 + dt.timedelta(hours=3)
    storage.ingest("dev-1", upload([event], sent_mono_ns=1000 * S), later)
    [stored] = list(storage.events())
    assert stored.corrected_time == later - dt.timedelta(seconds=100)


# -- stays and co-presence ----------------------------------------------------------------------


DAY = dt.timedelta(days=1)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def visit(
    storage: Storage,
    device: str,
    cp: str,
    person: str,
    start: float,
    end: float | None,
    *,
    name: str = "N*** A",
) -> None:
    events = [make_event(cp, person_key=person, display_name=name, device_time=to_iso(at(start)))]
    if end is not None:
        events.append(
            make_event(
                cp,
                person_key=person,
                display_name=name,
                direction="out",
                reason="exit",
                device_time=to_iso(at(end)),
            )
        )
    # Synced clocks and no anchor for their boot: corrected time = device time. Received once
    # the visit is over (a server never receives an event before it happened).
    for e in events:
        e["boot_id"] = "boot-synced"
    received = at(start if end is None else end)
    storage.ingest(device, upload(events, device_id=device, boot_id="boot-x"), received)


def test_a_checkpoints_day_hour_by_hour(storage: Storage) -> None:
    cp = enrolled(storage, "Gate A")
    # 2026-11-25 in Hà Nội (UTC+7) runs from 2026-11-24T17:00Z: minute 0 (T0) is 10:00 local.
    visit(storage, "dev-1", cp, "a", 0, 30)  # 10:00 in, 10:30 out
    visit(storage, "dev-1", cp, "b", 59, 61)  # 10:59 in, 11:01 out
    visit(storage, "dev-1", cp, "c", -11 * 60, -11 * 60 + 30)  # the day before, 23:00-23:30
    refused = make_event(cp, person_key="d", verdict="deny", reason="status_red")
    refused["device_time"] = to_iso(at(120))
    refused["boot_id"] = "boot-synced"
    storage.ingest("dev-1", upload([refused], boot_id="boot-x"), at(120))
    day = storage.checkpoint_day(cp, dt.date(2026, 11, 25))
    assert len(day.hours) == 24
    assert day.hours[10].start.isoformat() == "2026-11-25T10:00:00+07:00"
    counts = [(h.entries, h.exits, h.refused) for h in day.hours]
    assert counts[10] == (2, 1, 0) and counts[11] == (0, 1, 0) and counts[12] == (0, 0, 1)
    assert sum(h.entries + h.exits + h.refused for h in day.hours) == 5
    summary = day.to_json()
    assert (summary["entries"], summary["exits"], summary["refused"]) == (2, 2, 1)
    before = storage.checkpoint_day(cp, dt.date(2026, 11, 24))
    assert (before.hours[23].entries, before.hours[23].exits) == (1, 1)
    with pytest.raises(UnknownCheckpoint):
        storage.checkpoint_day("cp-nope", dt.date(2026, 11, 25))


def test_the_daily_figures(storage: Storage) -> None:
    a = enrolled(storage, "Gate A", "dev-a")
    b = enrolled(storage, "Gate B", "dev-b")
    enrolled(storage, "Gate C", "dev-c")  # registered, no scans: not active
    visit(storage, "dev-a", a, "p1", 0, 30)
    visit(storage, "dev-a", a, "p2", 10, None)
    visit(storage, "dev-b", b, "p1", 60, 90)  # the same person elsewhere: one person
    visit(storage, "dev-b", b, "p3", 15 * 60, 15 * 60 + 5)  # 01:00 local the next day
    late = make_event(b, person_key="p4", device_time=to_iso(at(120)), boot_id="boot-synced")
    late["verdict"], late["reason"] = "refer", "declared_symptoms"
    # Recorded offline today, received two days later: counted on the day it happened.
    storage.ingest("dev-b", upload([late], device_id="dev-b", boot_id="boot-x"), at(2 * 24 * 60))
    figures = storage.daily_figures(dt.date(2026, 11, 25))
    assert figures.to_json() == {
        "day": "2026-11-25",
        "checkpoints": 3,
        "new_checkpoints": 3,
        "active_checkpoints": 2,
        "scans": 6,
        "entries": 3,
        "people": 3,
    }
    assert storage.daily_figures(dt.date(2026, 11, 26)).scans == 2
    assert storage.daily_figures(dt.date(2026, 11, 26)).new_checkpoints == 0


def test_today_counts_use_the_checkpoints_time_zone(storage: Storage) -> None:
    cp = enrolled(storage, "Gate A")
    # 2026-11-25 in Hà Nội (UTC+7) runs from 2026-11-24T17:00Z to 2026-11-25T17:00Z.
    # 23:00 local the day before, 23:00 local, 00:30 local the day after: only the middle counts.
    for minutes in (-11 * 60, 13 * 60, 14 * 60 + 30):
        visit(storage, "dev-1", cp, f"p{minutes}", minutes, minutes + 10)
    visit(storage, "dev-1", cp, "late", 13 * 60 + 59, None)  # 16:59Z = 23:59 local
    [today] = storage.today(T0 + dt.timedelta(hours=2))
    assert (today.entries, today.exits, today.devices) == (2, 1, 1)
    assert today.last_contact is not None


def test_today_counts_each_checkpoint_in_its_own_time_zone(storage: Storage) -> None:
    hanoi = enrolled(storage, "Gate A", "dev-a")
    london = enrolled(storage, "Gate L", "dev-l")
    storage.update_checkpoint_settings(london, {"timezone": "Europe/London"})
    # 23:30 UTC the day before T0: 06:30 today in Hà Nội, 23:30 yesterday in London.
    visit(storage, "dev-a", hanoi, "a", -3 * 60 - 30, None)
    visit(storage, "dev-l", london, "b", -3 * 60 - 30, None)
    visit(storage, "dev-l", london, "c", 60, None)  # 04:00 UTC: today in both
    counts = {t.checkpoint_id: t.entries for t in storage.today(T0 + dt.timedelta(hours=2))}
    assert counts == {hanoi: 1, london: 1}


# -- status list and trust list ----------------------------------------------------------------


def entries(*items: tuple[str, str]) -> list[StatusEntry]:
    return [StatusEntry(k, c, None) for k, c in items]


def test_status_list_versions_full_and_incremental(storage: Storage) -> None:
    assert storage.status_list(None).version == 0
    v1 = storage.load_status_list(entries(("a", "red"), ("b", "yellow")), T0)
    assert v1 == 1
    assert storage.load_status_list(entries(("b", "yellow"), ("a", "red")), T0) == 1  # same
    v2 = storage.load_status_list(entries(("a", "green"), ("c", "red")), T0)
    full = storage.status_list(None)
    assert (full.version, full.full, full.removed) == (2, True, ())
    assert [(e.person_key, e.colour) for e in full.upserts] == [("a", "green"), ("c", "red")]
    changes = storage.status_list(v1)
    assert (changes.version, changes.full) == (2, False)
    assert [(e.person_key, e.colour) for e in changes.upserts] == [("a", "green"), ("c", "red")]
    assert changes.removed == ("b",)
    current = storage.status_list(v2)
    assert (current.full, current.upserts, current.removed) == (False, (), ())
    assert storage.status_list(99).full
    assert storage.status_list(0).full


def test_status_change_log_is_bounded(storage: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_module, "STATUS_LOG_VERSIONS", 2)
    for i in range(5):
        storage.load_status_list(entries(("a", ("red", "green")[i % 2])), T0)
    assert storage.status_list(1).full
    assert storage.status_list(2).full
    assert not storage.status_list(3).full
    assert not storage.status_list(4).full


def test_status_list_rejects_bad_input(storage: Storage) -> None:
    with pytest.raises(InvalidInput, match="twice"):
        storage.load_status_list(entries(("a", "red"), ("a", "green")), T0)
    with pytest.raises(InvalidInput, match="valid_until"):
        storage.load_status_list([StatusEntry("a", "red", "soon")], T0)


def test_trust_list_versions(storage: Storage) -> None:
    assert storage.trust_list() is None
    keys = [{"kid": "AAAAAAAAAAA=", "public_key": "xyz"}]
    assert storage.load_trust_list("2026-11-25.1", keys, T0)
    assert not storage.load_trust_list("2026-11-25.1", keys, T0)
    with pytest.raises(InvalidInput, match="new version"):
        storage.load_trust_list("2026-11-25.1", [], T0)
    with pytest.raises(InvalidInput, match="printable"):
        storage.load_trust_list('with "quotes"', [], T0)
    assert storage.load_trust_list(7, [], T0)
    current = storage.trust_list()
    assert current is not None and (current.version, current.keys) == (7, [])


def test_a_status_list_larger_than_sqlites_parameter_limit(storage: Storage) -> None:
    # 40,000 keys removed at once: beyond SQLite's default limit of 32,766 parameters in a
    # statement (builds may raise it), and one bound array on PostgreSQL.
    many = [StatusEntry(f"pk-{i:05d}", "red", None) for i in range(40_000)]
    assert storage.load_status_list(many, T0) == 1
    assert storage.load_status_list([StatusEntry("pk-new", "yellow", None)], T0) == 2
    changes = storage.status_list(1)
    assert len(changes.removed) == 40_000
    assert [e.person_key for e in changes.upserts] == ["pk-new"]
    assert [e.person_key for e in storage.status_list(None).upserts] == ["pk-new"]
