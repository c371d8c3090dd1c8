"""Personal data protection (issue #6): what a stolen kiosk reveals, what the health authority
can open, and what is left after the retention purge. Real SQLite files, the real reference
server on 127.0.0.1, the real `kiosk` and `kiosk-central` commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from central.storage import Storage
from checkpoint_common.seal import (
    PersonalData,
    PrivateKey,
    PublicKey,
    SealError,
    open_box,
    open_personal,
    seal,
    seal_personal,
)
from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import PersonKeyer
from kiosk.events import Declaration
from kiosk.gate import Gate, ManualEntry
from kiosk.store import META_AUTHORITY_KEY, META_HOLDING_KEY, Store
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


def test_a_box_opens_only_with_the_right_key_for_the_right_event() -> None:
    authority, thief = PrivateKey.generate(), PrivateKey.generate()
    data = PersonalData(CCCD.encode(), {"full_name": CCCD_NAME}, None)
    box = seal_personal(authority.public, "event-1", data)
    assert CCCD_NAME.encode() not in box and CCCD_ID.encode() not in box
    assert open_personal(authority, "event-1", box) == data
    with pytest.raises(SealError):
        open_personal(thief, "event-1", box)  # another key
    with pytest.raises(SealError):
        open_personal(authority, "event-2", box)  # moved to another event
    tampered = bytearray(box)
    tampered[-1] ^= 1
    with pytest.raises(SealError):
        open_personal(authority, "event-1", bytes(tampered))
    with pytest.raises(SealError):
        open_box(authority, b"\x02" + box[1:], b"event-1")  # unknown version
    # Two sealings of the same data differ (fresh key pair and nonce each time).
    assert seal(authority.public, b"x", b"a") != seal(authority.public, b"x", b"a")
    for bad in ("", "not base64!", "AAAA"):
        with pytest.raises(SealError):
            PublicKey.from_text(bad)


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


def test_a_kiosk_not_yet_enrolled_holds_then_seals_to_the_authority_and_the_server_reveals(
    tmp_path: Path,
) -> None:
    kiosk = Kiosk(tmp_path, FakeClock(dt.datetime.now(dt.UTC)))
    db = tmp_path / "central.db"
    try:
        assert not kiosk.gate.settings.authority_public_key
        ids = scan_the_markers(kiosk.gate, kiosk.clock)
        assert kiosk.gate.store.held_count() == 3
        holding = kiosk.gate.store.get_meta(META_HOLDING_KEY)
        assert holding
        assert files_holding(kiosk.data, marker_bytes()) == {}

        set_up_authority_at(db)
        with start_server(db) as server:
            kiosk.enroll(server, db)
            # The first sync brings the authority's sealing key (a root-signed document), and
            # before anything is sent the held boxes are re-sealed and the holding key
            # destroyed (no page of the database or its WAL still holds it).
            drain(kiosk.service())
            assert kiosk.gate.settings.authority_public_key
            assert kiosk.gate.store.held_count() == 0
            assert kiosk.gate.store.get_meta(META_HOLDING_KEY) is None
            assert files_holding(kiosk.data, [holding.encode()]) == {}
            drain(kiosk.service())
        assert files_holding(kiosk.data, marker_bytes()) == {}
        # The server stores the boxes as they came: its database has nobody in clear either.
        assert files_holding(tmp_path, [m.encode() for m in MARKERS]) == {}

        listed = run_cli(db, "events", "--json")
        assert listed.returncode == 0, listed.stderr
        assert not any(m in listed.stdout for m in MARKERS)
        revealed = run_cli(db, "events", "--json", "--reveal")
        assert revealed.returncode == 0, revealed.stderr
        people = {
            row["event_id"]: row["personal"]
            for row in map(json.loads, revealed.stdout.splitlines())
        }
        assert set(people) == set(ids)
        assert people[ids[0]]["fields"]["full_name"] == CCCD_NAME
        assert people[ids[0]]["scanned_text"] == CCCD
        assert people[ids[1]]["fields"]["phone"] == QR_PHONE
        assert people[ids[2]]["declaration"]["fever"] is True
        assert all(p["opened"] == "yes" for p in people.values())
    finally:
        kiosk.close()


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
    """A kill during the re-seal (the first sync after enrollment brought the key) left the
    authority key recorded and some boxes still held: the next round finishes the job
    instead of leaving them held, and so undelivered, for ever."""
    clock = FakeClock(START)
    store = Store.open(tmp_path / "kiosk.db")
    gate = Gate(store, Settings(), clock, PersonKeyer(b"k" * 32))
    scan_the_markers(gate, clock)
    assert store.held_count() == 3
    # What the killed round had done: the key noted, nothing re-sealed yet.
    store.set_meta(META_AUTHORITY_KEY, AUTHORITY.public.to_text())
    store.close()
    store = Store.open(tmp_path / "kiosk.db")
    try:
        assert store.authority_key == AUTHORITY.public and store.held_count() == 3
        assert store.use_authority_key(AUTHORITY.public) == 3
        assert store.held_count() == 0 and store.get_meta(META_HOLDING_KEY) is None
    finally:
        store.close()
