"""The whole gate step (parse -> decide -> record) on a real database file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import Kind, PersonKeyer
from kiosk.events import Declaration, Direction, Reason, Verdict
from kiosk.gate import Gate, ManualEntry, ManualEntryError
from kiosk.store import Store
from tests.conftest import personal_of

CCCD = (
    "079199012345|212345678|Trần Thị Bích Ngọc|15081999|Nữ|"
    "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh|20042021"
)
PERSONAL = (
    "079199012345|TRAN THI BICH NGOC|1999-08-15|0|163000000000012345|<2<DN4010123456789<0900000000"
)
OTHER = "001203012345||Nguyễn Văn An|02032003|Nam|Thôn Đông, Xã Cẩm Yên, Hà Nội|10072021"


def _payload(store: Store, event_id: str) -> tuple[bytes | None, dict[str, object] | None]:
    """The scanned bytes and identity fields as the health authority opens them."""
    data = personal_of(store, event_id)
    return (data.payload, data.fields) if data else (None, None)


def test_admitted_entry_is_recorded_before_the_verdict_returns(gate: Gate) -> None:
    outcome = gate.scan(CCCD + "\r\n")  # a hardware scanner's line ending
    assert (outcome.decision.verdict, outcome.decision.direction) == (Verdict.ADMIT, Direction.IN)
    assert outcome.credential.display_name == "T. T. B. Ngọc"
    assert outcome.credential.birth_year == 1999
    assert outcome.event_id is not None
    stored = list(gate.store.events())
    assert [e.event_id for e in stored] == [outcome.event_id]
    assert stored[0].kind == "cccd" and stored[0].verdict is Verdict.ADMIT
    payload, fields = _payload(gate.store, outcome.event_id)
    assert payload == (CCCD + "\r\n").encode()  # exactly what was scanned
    assert fields is not None and fields["full_name"] == "Trần Thị Bích Ngọc"
    assert gate.store.occupancy() == 1 == outcome.occupancy


def test_duplicate_then_exit_in_auto_mode(gate: Gate, clock: FakeClock) -> None:
    entry = gate.scan(CCCD)
    clock.advance(3)
    again = gate.scan(CCCD)
    assert again.decision.verdict is Verdict.DUPLICATE and again.event_id is None
    assert again.decision.duplicate_of is not None
    assert again.decision.duplicate_of.event_id == entry.event_id
    clock.advance(600)
    leave = gate.scan(CCCD)
    assert (leave.decision.verdict, leave.decision.direction) == (Verdict.ADMIT, Direction.OUT)
    assert len(list(gate.store.events())) == 2 and gate.store.occupancy() == 0


def test_same_person_across_kinds_is_recognised(gate: Gate, clock: FakeClock) -> None:
    """In on the personal QR (full ID visible), out on the chip ID card."""
    gate.scan(PERSONAL)
    clock.advance(3600)
    leave = gate.scan(CCCD)
    assert leave.decision.direction is Direction.OUT and gate.store.occupancy() == 0


def test_capacity_denies_entries_not_exits(
    store: Store, clock: FakeClock, keyer: PersonKeyer
) -> None:
    gate = Gate(store, Settings(capacity=1), clock, keyer)
    assert gate.scan(CCCD).decision.verdict is Verdict.ADMIT
    clock.advance(30)
    full = gate.scan(OTHER)
    assert (full.decision.verdict, full.decision.reason) == (Verdict.DENY, Reason.CAPACITY_FULL)
    clock.advance(30)
    assert gate.scan(CCCD).decision.direction is Direction.OUT
    clock.advance(30)
    assert gate.scan(OTHER).decision.verdict is Verdict.ADMIT


def test_red_status_list_entry_is_denied(gate: Gate, clock: FakeClock) -> None:
    key = gate.person_key(gate.scan(OTHER).credential)  # someone else, to have a list age
    gate.store.replace_status_list([(key, "red", None)], version="1", updated_at=clock.now().utc)
    gate.refresh_status_list_info()
    clock.advance(3600)
    # They are inside (admitted before the list arrived): they may leave...
    assert gate.scan(OTHER).decision.verdict is Verdict.ADMIT
    clock.advance(3600)
    # ... but not come back in.
    back = gate.scan(OTHER)
    assert (back.decision.verdict, back.decision.reason) == (Verdict.DENY, Reason.STATUS_RED)
    assert not back.decision.status_list_stale


def test_venue_and_unknown_codes_are_recorded_but_never_admitted(
    gate: Gate, clock: FakeClock
) -> None:
    venue = gate.scan("https://tokhaiyte.vn/?page=Group.checkin&groupId=0123456789abcdef01234567")
    clock.advance(60)
    junk = gate.scan("'; DROP TABLE events; --")
    assert (venue.decision.verdict, venue.decision.reason) == (Verdict.DENY, Reason.VENUE_CODE)
    assert (junk.decision.verdict, junk.decision.reason) == (Verdict.DENY, Reason.UNKNOWN_CODE)
    assert gate.store.occupancy() == 0
    assert _payload(gate.store, junk.event_id or "")[0] == b"'; DROP TABLE events; --"
    clock.advance(2)
    assert gate.scan("'; DROP TABLE events; --").decision.verdict is Verdict.DUPLICATE


def test_oversize_payload_is_recorded_without_it(gate: Gate) -> None:
    outcome = gate.scan("A" * 1_000_000)
    assert outcome.credential.kind is Kind.UNKNOWN
    assert _payload(gate.store, outcome.event_id or "") == (None, None)
    problems = gate.store.db.conn.execute("SELECT problems FROM events").fetchone()[0]
    assert "payload_not_stored" in json.loads(problems)


def test_auto_checkout_runs_before_the_next_scan(gate: Gate, clock: FakeClock) -> None:
    gate.scan(CCCD)  # 10:00 local on the 25th
    assert gate.store.occupancy() == 1
    clock.advance(20 * 3600)  # 06:00 local on the 26th: 03:00 has passed
    outcome = gate.scan(OTHER)
    assert outcome.occupancy == 1  # only the newcomer
    closing = [e for e in gate.store.events() if e.reason is Reason.AUTO_CHECKOUT]
    assert len(closing) == 1
    assert closing[0].device_time == dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)
    # The person auto-checked-out is outside now: their next scan is an entry.
    clock.advance(60)
    assert gate.scan(CCCD).decision.direction is Direction.IN


def test_auto_checkout_is_remembered_across_restarts(
    tmp_path: Path, clock: FakeClock, keyer: PersonKeyer
) -> None:
    path = tmp_path / "kiosk.db"
    with Store.open(path) as store:
        gate = Gate(store, Settings(), clock, keyer)
        gate.scan(CCCD)
        clock.advance(20 * 3600)
        assert gate.housekeeping() == 1
    with Store.open(path) as store:
        clock.advance(60)
        assert Gate(store, Settings(), clock, keyer).housekeeping() == 0


def test_manual_entry_goes_through_the_same_rules(gate: Gate, clock: FakeClock) -> None:
    visitor = ManualEntry(full_name="Lê Văn Tám", phone="0912 345 678", birth_year=1950)
    outcome = gate.record_manual(visitor)
    assert outcome.decision.verdict is Verdict.ADMIT and outcome.credential.kind is Kind.MANUAL
    assert outcome.credential.display_name == "L. V. Tám"
    stored = next(iter(gate.store.events()))
    assert (stored.kind, stored.birth_year) == ("manual", 1950)


def test_manual_entry_takes_the_guards_direction_and_the_nightly_work_first(
    store: Store, clock: FakeClock, keyer: PersonKeyer
) -> None:
    gate = Gate(store, Settings(gate_mode="auto", auto_checkout_time="03:00"), clock, keyer)
    visitor = ManualEntry(full_name="Lê Văn Tám", id_number="079199099999")
    assert gate.record_manual(visitor).decision.direction is Direction.IN
    gate.scan(CCCD)
    assert gate.store.occupancy() == 2
    clock.advance(20 * 3600)  # past 03:00: both stays are still open until the nightly work
    # "out" chosen for this entry (the gate itself is on auto): the auto-checkout ran first,
    # so the exit closes nothing and occupancy was already 0.
    outcome = gate.record_manual(visitor, mode="out")
    assert outcome.decision.direction is Direction.OUT
    assert outcome.occupancy == 0
    with pytest.raises(ManualEntryError):
        gate.record_manual(ManualEntry(full_name="Nobody"))  # neither ID nor phone


def test_a_scanned_code_can_carry_the_declaration_the_guard_took(gate: Gate) -> None:
    outcome = gate.scan(CCCD, declaration=Declaration(fever=True))
    assert (outcome.decision.verdict, outcome.decision.reason) == (
        Verdict.REFER,
        Reason.DECLARATION,
    )
    data = personal_of(gate.store, outcome.event_id or "")
    assert data is not None and data.payload == CCCD.encode()
    assert data.declaration is not None and data.declaration["fever"] is True


def test_settings_change_applies_to_the_next_scan(gate: Gate, clock: FakeClock) -> None:
    gate.update_settings(dataclasses.replace(gate.settings, gate_mode="out"))
    assert gate.scan(CCCD).decision.direction is Direction.OUT


@hyp_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.one_of(st.binary(max_size=600), st.text(max_size=600)))
def test_random_input_never_raises_and_never_corrupts_the_log(
    tmp_path: Path, keyer: PersonKeyer, payload: bytes | str
) -> None:
    clock = FakeClock(dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC))
    with Store.open(tmp_path / "fuzz.db") as store:
        gate = Gate(store, Settings(duplicate_window_s=0), clock, keyer)
        before = store.db.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        outcome = gate.scan(payload)
        assert outcome.event_id is not None
        raw = payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
        assert _payload(store, outcome.event_id)[0] == raw
        assert store.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == before + 1
        assert store.integrity_ok()


def test_eu_certificate_decisions_follow_the_trust_list(tmp_path: Path, clock: FakeClock) -> None:
    """A trust list file in the data directory is loaded at start; a verified certificate is
    admitted, one signed by a key not on the list is referred, a tampered one is denied."""
    import base64

    from tests.test_dcc import cose_sign1, ec_signer, hc1, make

    trusted, stranger = ec_signer(tag="gate-trusted"), ec_signer(tag="gate-stranger")
    (tmp_path / "trust_list.json").write_text(
        json.dumps(
            {
                "version": 1,
                "keys": [
                    {
                        "kid": base64.b64encode(trusted.kid).decode(),
                        "certificate": base64.b64encode(trusted.der).decode(),
                    }
                ],
            }
        )
    )
    gate = Gate.open(tmp_path, Settings(duplicate_window_s=0, gate_mode="in"), clock)
    try:
        ok = gate.scan(make(trusted))
        assert (ok.decision.verdict, ok.credential.kind) == (Verdict.ADMIT, Kind.EU_DCC)
        assert ok.credential.display_name == "N. V. An"
        unknown = gate.scan(make(stranger))
        assert (unknown.decision.verdict, unknown.decision.reason) == (
            Verdict.REFER,
            Reason.DCC_NOT_VERIFIED,
        )
        cose = cose_sign1(trusted)
        cose[2] = cose[2].replace(b"NGUYEN", b"NGUYEM")  # someone else's name, same signature
        forged = gate.scan(hc1(cose))
        assert (forged.decision.verdict, forged.decision.reason) == (
            Verdict.DENY,
            Reason.DCC_SIGNATURE_INVALID,
        )
    finally:
        gate.close()


def test_idle_work_purges_delivered_events_past_retention_once_a_day(
    gate: Gate, clock: FakeClock
) -> None:
    old = gate.scan(CCCD)
    gate.store.mark_delivered([old.event_id or ""], clock.now().utc)
    clock.advance(60)
    waiting = gate.scan(OTHER)  # never delivered
    gate.idle()
    assert len(list(gate.store.events())) == 2  # nothing old enough yet
    clock.advance(22 * 86400)
    gate.idle()
    left = [e.event_id for e in gate.store.events()]
    assert old.event_id not in left and waiting.event_id in left
    assert gate.store.occupancy() == 0  # the stays were closed by the nightly auto-checkout


def test_proxy_declaration_is_stored_with_the_event(gate: Gate, clock: FakeClock) -> None:
    visitor = ManualEntry(
        full_name="Bà Nguyễn Thị Lan",
        phone="0987654321",
        declaration=Declaration(cough=True, from_epidemic_zone=True),
    )
    outcome = gate.record_manual(visitor)
    assert (outcome.decision.verdict, outcome.decision.reason) == (
        Verdict.REFER,
        Reason.DECLARATION,
    )
    data = personal_of(gate.store, outcome.event_id or "")
    assert data is not None
    assert data.declaration == {
        "fever": False,
        "cough": True,
        "short_of_breath": False,
        "lost_taste_or_smell": False,
        "contact_with_case_14d": False,
        "from_epidemic_zone": True,
    }
    assert gate.store.occupancy() == 0  # referred, not admitted
