"""Personal data protection (issues #6 and #13): what a stolen kiosk reveals, what the health
authority can open, what a kiosk without the authority's key keeps (clear fields only, no key
beside the data), how a sealed box is bound and padded, and what is left after the retention
purge. Real SQLite files, the real reference
server on 127.0.0.1, the real `kiosk` and `kiosk-central` commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from central.storage import Storage
from checkpoint_common.seal import (
    PADDED_SIZES,
    PersonalData,
    PrivateKey,
    PublicKey,
    SealError,
    box_version,
    open_box,
    open_personal,
    seal,
    seal_personal,
    seal_personal_v1,
)
from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.events import Declaration
from kiosk.gate import Gate, ManualEntry
from kiosk.store import (
    FORMAT_HELD,
    FORMAT_SEALED,
    FORMAT_WITHHELD,
    META_AUTHORITY_KEY,
    META_HOLDING_KEY,
    Store,
)
from tests.authority import set_up_authority_at
from tests.central.test_live import run_cli, start_server
from tests.conftest import AUTHORITY, START, personal_of
from tests.test_sync import Kiosk, drain

# Made-up people with markers that occur nowhere else: if one of these byte strings is found in
# a file, that file holds personal data in clear.
CCCD_ID, CCCD_NAME = "079188123987", "Hoàng Thị Quỳnh Mai"
CCCD = f"{CCCD_ID}||{CCCD_NAME}|02031988|Nữ|12 Ngõ Huế, Phường Phố Huế, Hà Nội|10072021"
QR_ID, QR_NAME, QR_PHONE = "001177654321", "LUONG VAN THUAN", "0987123456"
PERSONAL_QR = f"{QR_ID}|{QR_NAME}|1977-04-30|0|163000000000098765|<1<<{QR_PHONE}"
MANUAL_NAME, MANUAL_PHONE, MANUAL_ID = "Đinh Công Tráng", "0912777888", "036055001122"
MARKERS = [
    CCCD_ID,
    CCCD_NAME,
    "Ngõ Huế",
    QR_ID,
    QR_NAME,
    QR_PHONE,
    MANUAL_NAME,
    MANUAL_PHONE,
    MANUAL_ID,
    "02031988",
]


def files_holding(folder: Path, needles: list[bytes]) -> dict[str, list[bytes]]:
    """{file: needles found} over every file under `folder` (database, WAL, SHM, exports...)."""
    found: dict[str, list[bytes]] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits = [n for n in needles if n in data]
            if hits:
                found[str(path.relative_to(folder))] = hits
    return found


def marker_bytes() -> list[bytes]:
    # UTF-8 as scanned, and UTF-16 (how some tools store text) for the names.
    out = [m.encode() for m in MARKERS]
    out += [m.encode("utf-16-le") for m in (CCCD_NAME, QR_NAME, MANUAL_NAME)]
    return out


def scan_the_markers(gate: Gate, clock: FakeClock) -> list[str]:
    ids = []
    for payload in (CCCD, PERSONAL_QR):
        outcome = gate.scan(payload)
        assert outcome.event_id
        ids.append(outcome.event_id)
        clock.advance(60)
    visitor = ManualEntry(
        full_name=MANUAL_NAME,
        id_number=MANUAL_ID,
        phone=MANUAL_PHONE,
        declaration=Declaration(fever=True),
    )
    outcome = gate.record_manual(visitor)
    assert outcome.event_id
    ids.append(outcome.event_id)
    return ids


# -- the box ----------------------------------------------------------------------------------


BOUND = {"device_id": "kiosk-A", "person_key": "id2:" + "ab" * 16}


def test_a_box_opens_only_with_the_right_key_for_the_right_event_device_and_person() -> None:
    authority, thief = PrivateKey.generate(), PrivateKey.generate()
    data = PersonalData(CCCD.encode(), {"full_name": CCCD_NAME}, None)
    box = seal_personal(authority.public, "event-1", data, **BOUND)
    assert box_version(box) == 2
    assert CCCD_NAME.encode() not in box and CCCD_ID.encode() not in box
    assert open_personal(authority, "event-1", box, **BOUND) == data
    refused = [
        (thief, "event-1", BOUND),  # another key
        (authority, "event-2", BOUND),  # moved to another event
        (authority, "event-1", {**BOUND, "device_id": "kiosk-B"}),  # to another kiosk's upload
        (authority, "event-1", {**BOUND, "person_key": "id2:" + "cd" * 16}),  # another person
    ]
    for key, event_id, bound in refused:
        with pytest.raises(SealError):
            open_personal(key, event_id, box, **bound)
    with pytest.raises(SealError, match="device id and person key"):
        open_personal(authority, "event-1", box)  # a v2 box is never opened unbound
    tampered = bytearray(box)
    tampered[-1] ^= 1
    with pytest.raises(SealError):
        open_personal(authority, "event-1", bytes(tampered), **BOUND)
    with pytest.raises(SealError):
        open_box(authority, b"\x03" + box[1:], b"event-1")  # unknown version
    with pytest.raises(SealError):
        open_box(authority, b"\x01" + box[1:], b"event-1")  # relabelled as version 1
    # Two sealings of the same data differ (fresh key pair and nonce each time).
    assert seal(authority.public, b"x", b"a") != seal(authority.public, b"x", b"a")
    for bad in ("", "not base64!", "AAAA"):
        with pytest.raises(SealError):
            PublicKey.from_text(bad)


def test_boxes_from_before_the_upgrade_still_open_on_the_server() -> None:
    authority = PrivateKey.generate()
    data = PersonalData(CCCD.encode(), {"full_name": CCCD_NAME}, None)
    old = seal_personal_v1(authority.public, "event-1", data)
    assert box_version(old) == 1
    assert open_personal(authority, "event-1", old, **BOUND) == data
    with pytest.raises(SealError):
        open_personal(authority, "event-2", old, **BOUND)


def test_a_box_length_does_not_tell_a_short_name_and_address_from_a_long_one() -> None:
    """Every CCCD scan of a name of 5 to 40 letters and an address of 5 to 120 letters makes a
    box of one size; the sizes are the few fixed ones."""
    authority = PrivateKey.generate()
    sizes = set()
    for name_len in (5, 12, 25, 40):
        for address_len in (5, 30, 80, 120):
            name = ("Nguyễn Thị " + "a" * name_len)[:name_len]
            address = ("Số 1 đường " + "b" * address_len)[:address_len]
            text = f"079199012345||{name}|15081999|Nữ|{address}|20042021"
            fields = {
                "id_number": "079199012345",
                "full_name": name,
                "address": address,
                "birth_date": "1999-08-15",
                "gender": "female",
                "issue_date": "2021-04-20",
            }
            box = seal_personal(
                authority.public, "e" * 36, PersonalData(text.encode(), fields, None), **BOUND
            )
            sizes.add(len(box))
    assert len(sizes) == 1
    overhead = 1 + 32 + 12 + 16  # version, ephemeral key, nonce, tag
    assert sizes.pop() - overhead in PADDED_SIZES
    # A large payload (a vaccine certificate, a declaration) goes to a larger fixed size.
    big = PersonalData(b"HC1:" + b"X" * 3000, {"full_name": "A"}, None)
    box = seal_personal(authority.public, "event-1", big, **BOUND)
    assert len(box) - overhead in PADDED_SIZES and len(box) - overhead > PADDED_SIZES[0]


# -- at rest on the kiosk -----------------------------------------------------------------------


def test_a_stolen_kiosk_reveals_nobody_but_the_authority_can_open_everything(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "kiosk"
    clock = FakeClock(START)
    settings = Settings(authority_public_key=AUTHORITY.public.to_text(), duplicate_window_s=0)
    gate = Gate.open(data_dir, settings, clock)
    ids = scan_the_markers(gate, clock)

    # While the kiosk runs (WAL not yet copied back) and after it stopped: nothing in clear.
    assert files_holding(data_dir, marker_bytes()) == {}
    gate.close()
    assert files_holding(data_dir, marker_bytes()) == {}
    for path in data_dir.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) in (0o600, 0o700), path

    gate = Gate.open(data_dir, settings, clock)
    try:
        # What the kiosk itself still shows and uses: masked names, birth years, person keys.
        shown = {e.event_id: e for e in gate.store.events()}
        assert shown[ids[0]].display_name == "H. T. Q. Mai" and shown[ids[0]].birth_year == 1988
        # Contact tracing works on person keys, without opening anything.
        contacts = gate.store.co_presence(
            shown[ids[0]].person_key, margin=dt.timedelta(minutes=15), now=clock.now().utc
        )
        # (the third visitor declared a fever: referred to the medical staff, not inside)
        assert [c.person_key for c in contacts] == [shown[ids[1]].person_key]
        # The health authority opens every box: exact scanned bytes, fields, the declaration.
        first, second, manual = (personal_of(gate.store, i) for i in ids)
        assert first is not None and first.payload == CCCD.encode()
        assert first.fields is not None and first.fields["id_number"] == CCCD_ID
        assert second is not None and second.fields is not None
        assert second.fields["phone"] == QR_PHONE
        assert manual is not None and manual.declaration is not None
        assert manual.declaration["fever"] is True
    finally:
        gate.close()


def test_a_kiosk_without_the_authority_key_records_clear_fields_only_then_seals_after_enrollment(
    tmp_path: Path,
) -> None:
    """No key beside the data: a kiosk not enrolled (no authority key) still records every
    scan, but keeps no personal data and no private key; once enrolled, new scans are sealed
    and the server opens them. What was recorded before reaches the server with its clear
    fields."""
    kiosk = Kiosk(tmp_path, FakeClock(dt.datetime.now(dt.UTC)))
    db = tmp_path / "central.db"
    try:
        assert not kiosk.gate.settings.authority_public_key
        assert not kiosk.gate.keeps_personal_data
        before = scan_the_markers(kiosk.gate, kiosk.clock)
        store = kiosk.gate.store
        assert store.withheld_count() == 3
        rows = store.db.conn.execute(
            "SELECT payload_format, sealed, display_name FROM events ORDER BY seq"
        ).fetchall()
        assert [(r[0], r[1]) for r in rows] == [(FORMAT_WITHHELD, None)] * 3
        assert rows[0][2] == "H. T. Q. Mai"  # the clear fields are kept
        assert store.get_meta(META_HOLDING_KEY) is None  # no private key in the database
        assert not store.has_holding_key()
        assert files_holding(kiosk.data, marker_bytes()) == {}

        set_up_authority_at(db)
        with start_server(db) as server:
            kiosk.enroll(server, db)
            # The first sync brings the authority's sealing key (a root-signed document):
            # from then on scans keep their personal data, sealed to it.
            drain(kiosk.service())
            assert kiosk.gate.keeps_personal_data
            kiosk.clock.advance(120)
            after = kiosk.gate.scan(CCCD).event_id
            assert after is not None
            drain(kiosk.service())
        assert files_holding(kiosk.data, marker_bytes()) == {}
        assert files_holding(tmp_path, [m.encode() for m in MARKERS]) == {}

        revealed = run_cli(db, "events", "--json", "--reveal")
        assert revealed.returncode == 0, revealed.stderr
        people = {row["event_id"]: row for row in map(json.loads, revealed.stdout.splitlines())}
        assert set(people) == {*before, after}
        assert {people[i]["personal"]["opened"] for i in before} == {"no personal data"}
        assert people[before[0]]["display_name"] == "H. T. Q. Mai"
        assert people[after]["personal"]["opened"] == "yes"
        assert people[after]["personal"]["fields"]["full_name"] == CCCD_NAME
    finally:
        kiosk.close()


def _old_kiosk_folder(data_dir: Path) -> tuple[str, list[str]]:
    """A data folder as a kiosk before #13 left it: a holding key in `meta` and boxes sealed
    to it (version 1). Returns (the holding key's text, the event ids)."""
    clock = FakeClock(START)
    gate = Gate.open(data_dir, Settings(duplicate_window_s=0), clock)
    ids = scan_the_markers(gate, clock)
    holding = PrivateKey.generate()
    conn = gate.store.db.conn
    for event_id, fields in conn.execute(
        "SELECT event_id, display_name FROM events ORDER BY seq"
    ).fetchall():
        box = seal_personal_v1(holding.public, event_id, PersonalData(None, {"n": fields}, None))
        conn.execute(
            "UPDATE events SET sealed = ?, seal_key = ?, payload_format = ? WHERE event_id = ?",
            (box, holding.public.key_id, FORMAT_HELD, event_id),
        )
    gate.store.set_meta(META_HOLDING_KEY, holding.to_text())
    gate.close()
    return holding.to_text(), ids


@pytest.mark.parametrize("authority_known", [False, True])
def test_an_old_data_folder_with_a_holding_key_is_settled_at_the_next_start(
    tmp_path: Path, authority_known: bool
) -> None:
    data_dir = tmp_path / "kiosk"
    holding, ids = _old_kiosk_folder(data_dir)
    assert files_holding(data_dir, [holding.encode()])
    settings = Settings(authority_public_key=AUTHORITY.public.to_text() if authority_known else "")
    gate = Gate.open(data_dir, settings, FakeClock(START + dt.timedelta(hours=1)))
    try:
        assert not gate.store.has_holding_key()
        formats = dict(
            gate.store.db.conn.execute("SELECT event_id, payload_format FROM events").fetchall()
        )
        if authority_known:
            # Re-sealed to the authority (version 2, bound): nothing lost.
            assert set(formats.values()) == {FORMAT_SEALED}
            opened = personal_of(gate.store, ids[0])
            assert opened is not None and opened.fields == {"n": "H. T. Q. Mai"}
        else:
            # No key to seal to: the held boxes go with the key, the clear fields stay.
            assert set(formats.values()) == {FORMAT_WITHHELD}
            assert gate.store.withheld_count() == 3
            assert personal_of(gate.store, ids[0]) is None
        assert next(e.display_name for e in gate.store.events()) == "H. T. Q. Mai"
    finally:
        gate.close()
    # No page of the database or its WAL holds the private key any more.
    assert files_holding(data_dir, [holding.encode()]) == {}
    with Store.open(data_dir / "kiosk.db") as store:
        assert store.get_meta(META_HOLDING_KEY) is None


def _kiosk_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(tmp_path / "kiosk.toml"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data"), "PYTHONUTF8": "1"},
        check=False,
    )


def test_a_health_officer_opens_an_export_from_an_offline_site(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    Storage.open(db).close()  # the health authority's server (its key is made at first open)
    public = run_cli(db, "authority-key")
    assert public.returncode == 0, public.stderr
    # An offline site: installed with the authority's public key, never enrolled.
    site = tmp_path / "site"
    done = _kiosk_cli(site, "config", "set", "authority_public_key", public.stdout.strip())
    assert done.returncode == 0, done.stderr
    for payload in (CCCD, PERSONAL_QR):
        done = _kiosk_cli(site, "scan", payload)
        assert done.returncode == 0, done.stderr
    # Another kiosk sealing to another authority: its rows do not open here.
    other = tmp_path / "other"
    _kiosk_cli(
        other, "config", "set", "authority_public_key", PrivateKey.generate().public.to_text()
    )
    assert _kiosk_cli(other, "scan", CCCD).returncode == 0

    day = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    exports = {}
    for name, root in (("site", site), ("other", other)):
        out = tmp_path / f"{name}.csv"
        done = _kiosk_cli(root, "export", "--from", str(day - dt.timedelta(days=1)),
                          "--to", str(day + dt.timedelta(days=1)), "--out", str(out))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert not any(m.encode() in out.read_bytes() for m in MARKERS)  # the USB stick is safe
        exports[name] = out

    opened = tmp_path / "opened.csv"
    done = run_cli(db, "decrypt-export", str(exports["site"]), "-o", str(opened))
    assert done.returncode == 0, done.stderr
    assert "2 yes" in done.stderr
    assert stat.S_IMODE(opened.stat().st_mode) == 0o600
    with opened.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["full_name"] for r in rows} == {CCCD_NAME, QR_NAME}
    assert {r["id_number"] for r in rows} == {CCCD_ID, QR_ID}
    assert {r["opened"] for r in rows} == {"yes"}
    assert "sealed" not in rows[0]

    done = run_cli(db, "decrypt-export", str(exports["other"]))
    assert done.returncode == 0, done.stderr
    assert "1 sealed to another key" in done.stderr
    not_a_kiosk_export = tmp_path / "notes.csv"
    not_a_kiosk_export.write_text("a,b\n1,2\n")
    done = run_cli(db, "decrypt-export", str(not_a_kiosk_export))
    assert done.returncode == 3 and "not a kiosk export" in done.stderr


# -- retention ----------------------------------------------------------------------------------


def test_after_the_retention_period_nothing_of_a_purged_event_is_left_in_the_data_folder(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "kiosk"
    clock = FakeClock(START)
    settings = Settings(
        authority_public_key=AUTHORITY.public.to_text(),
        duplicate_window_s=0,
        auto_checkout_time="",
        retention_days=21,
    )
    gate = Gate.open(data_dir, settings, clock)
    try:
        # Two visits (in and out) that will be delivered, and one visit never delivered.
        old = [gate.scan(CCCD), gate.scan(PERSONAL_QR)]
        clock.advance(3600)
        old += [gate.scan(CCCD), gate.scan(PERSONAL_QR)]
        waiting = gate.scan("036099000111||Phạm Văn Chờ|01011999|Nam|Xã Chờ Đợi, Bắc Ninh|10072021")
        delivered_ids = [o.event_id for o in old if o.event_id]
        gate.store.mark_delivered(delivered_ids, clock.now().utc)
        stored = {e.event_id: e for e in gate.store.events()}
        purged = [stored[i] for i in delivered_ids]
        # What identifies a purged event anywhere: its id, person key, masked name, its box.
        needles = [e.event_id.encode() for e in purged]
        needles += [e.person_key.encode() for e in purged]
        needles += [(e.display_name or "").encode() for e in purged]
        needles += [e.sealed[20:60] for e in purged if e.sealed]
        # A CSV export and a pre-migration backup of that day in the data folder.
        exports = data_dir / "exports"
        exports.mkdir(mode=0o700)
        (exports / "day.csv").write_bytes(b",".join(needles[:2]))
        (data_dir / "backups").mkdir(mode=0o700, exist_ok=True)
        gate.store.backup_to(data_dir / "backups" / "kiosk-before-0006.db")
        for path in [exports / "day.csv", *(data_dir / "backups").glob("*.db")]:
            when = clock.now().utc.timestamp()
            os.utime(path, (when, when))
        assert files_holding(data_dir, needles)

        clock.advance(26 * 86400)  # 26 days later, the clock running normally
        gate.idle()  # the product's daily work: purge, then WAL checkpoint
        left = {e.event_id for e in gate.store.events()}
        assert waiting.event_id in left  # not delivered: kept
        assert not left & set(delivered_ids)
        assert files_holding(data_dir, needles) == {}
    finally:
        gate.close()
    assert files_holding(data_dir, needles) == {}


def test_a_reseal_cut_short_resumes_with_the_same_key(tmp_path: Path) -> None:
    """A kill while an old folder's held boxes were being re-sealed (the authority key already
    noted, the holding key still there, no box re-sealed yet): the next open with that same key
    finishes the job instead of leaving them held, and so undelivered, for ever."""
    data_dir = tmp_path / "kiosk"
    holding, ids = _old_kiosk_folder(data_dir)
    conn = sqlite3.connect(data_dir / "kiosk.db")
    with conn:  # what the killed round had done: the key noted, nothing re-sealed yet
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (META_AUTHORITY_KEY, AUTHORITY.public.to_text()),
        )
    conn.close()
    with Store.open(data_dir / "kiosk.db", authority=AUTHORITY.public) as store:
        assert store.authority_key == AUTHORITY.public and store.has_holding_key()
        # What the gate does at start and the sync at each round with the settings' key.
        assert store.use_authority_key(AUTHORITY.public) == 3
        assert not store.has_holding_key()
        formats = store.db.conn.execute("SELECT DISTINCT payload_format FROM events").fetchall()
        assert formats == [(FORMAT_SEALED,)]
        opened = personal_of(store, ids[0])
        assert opened is not None and opened.fields == {"n": "H. T. Q. Mai"}
    assert files_holding(data_dir, [holding.encode()]) == {}
