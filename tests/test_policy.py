"""The decision rules as a table: (credential, state, settings, clock) -> the decision."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk.clock import Instant
from kiosk.config import Settings
from kiosk.credentials import Credential, Fields, Kind, Signature
from kiosk.events import Direction, LastEvent, Reason, Verdict
from kiosk.policy import GateState, auto_checkout_due, decide

T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
NOW = Instant(T0, 5_000_000_000_000, "boot-A", True)


def cred(kind: Kind = Kind.CCCD, **fields: object) -> Credential:
    problems = tuple(fields.pop("problems", ()))  # type: ignore[call-overload]
    return Credential(
        kind=kind,
        raw="x",
        fields=Fields(**fields),  # type: ignore[arg-type]
        problems=problems,
        person_key=None if kind in (Kind.VENUE_CODE, Kind.UNKNOWN) else "id:abc",
        display_name="T. T. B. Ngọc",
    )


def last(
    seconds_ago: float,
    *,
    direction: Direction = Direction.IN,
    boot: str = "boot-A",
    verdict: Verdict = Verdict.ADMIT,
    wall_seconds_ago: float | None = None,
) -> LastEvent:
    wall = seconds_ago if wall_seconds_ago is None else wall_seconds_ago
    return LastEvent(
        seq=7,
        event_id="e-7",
        direction=direction,
        verdict=verdict,
        reason=Reason.ENTRY,
        device_time=T0 - dt.timedelta(seconds=wall),
        mono_ns=NOW.mono_ns - int(seconds_ago * 1e9) if boot == "boot-A" else 123,
        boot_id=boot,
    )


def state(
    *,
    occupancy: int = 0,
    inside: bool = False,
    last_event: LastEvent | None = None,
    status: str | None = None,
    age_h: float | None = 1,
) -> GateState:
    age = dt.timedelta(hours=age_h) if age_h is not None else None
    return GateState(occupancy, inside, last_event, status, age)


S = Settings()
DCC_OK = {"signature": Signature.VALID, "expires_at": "2027-01-01T00:00:00Z"}

CASES = [
    # id, credential, state, settings changes, gate override -> verdict, direction, reason
    (
        "auto: outside person enters",
        cred(),
        state(),
        {},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "auto: inside person exits",
        cred(),
        state(inside=True, last_event=last(3600)),
        {},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "mode in: inside person scanned again later is an entry",
        cred(),
        state(inside=True, last_event=last(3600)),
        {"gate_mode": "in"},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "mode out: an exit",
        cred(),
        state(),
        {"gate_mode": "out"},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "guard override beats the setting",
        cred(),
        state(),
        {"gate_mode": "in"},
        "out",
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "duplicate within window (monotonic, same boot)",
        cred(),
        state(inside=True, last_event=last(4)),
        {},
        None,
        Verdict.DUPLICATE,
        Direction.IN,
        Reason.DUPLICATE,
    ),
    (
        "duplicate window measured on the monotonic clock, not the stepped wall clock",
        cred(),
        state(inside=True, last_event=last(4, wall_seconds_ago=-7200)),
        {},
        None,
        Verdict.DUPLICATE,
        Direction.IN,
        Reason.DUPLICATE,
    ),
    (
        "just outside the window is a new event",
        cred(),
        state(inside=True, last_event=last(10.0)),
        {},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "window 0 turns duplicates off",
        cred(),
        state(inside=True, last_event=last(1)),
        {"duplicate_window_s": 0},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "another boot: wall clock decides",
        cred(),
        state(inside=True, last_event=last(5, boot="boot-B")),
        {},
        None,
        Verdict.DUPLICATE,
        Direction.IN,
        Reason.DUPLICATE,
    ),
    (
        "another boot, wall clock went backwards: not a duplicate",
        cred(),
        state(inside=True, last_event=last(5, boot="boot-B", wall_seconds_ago=-3600)),
        {},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "a denied person retrying at once is a duplicate (no second record)",
        cred(),
        state(last_event=last(2, verdict=Verdict.DENY)),
        {},
        None,
        Verdict.DUPLICATE,
        Direction.IN,
        Reason.DUPLICATE,
    ),
    (
        "capacity reached: entry denied",
        cred(),
        state(occupancy=50),
        {"capacity": 50},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.CAPACITY_FULL,
    ),
    (
        "capacity below max: admitted",
        cred(),
        state(occupancy=49),
        {"capacity": 50},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "capacity 0 means no limit",
        cred(),
        state(occupancy=10**6),
        {},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "exits pass at capacity",
        cred(),
        state(occupancy=50, inside=True, last_event=last(600)),
        {"capacity": 50},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "red status: denied by default",
        cred(),
        state(status="red"),
        {},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.STATUS_RED,
    ),
    (
        "red status: referred when the site says so",
        cred(),
        state(status="red"),
        {"red_status_action": "refer"},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.STATUS_RED,
    ),
    (
        "yellow status: referred",
        cred(),
        state(status="yellow"),
        {},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.STATUS_YELLOW,
    ),
    (
        "green status: admitted",
        cred(),
        state(status="green"),
        {},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "red status at capacity is told red, not 'wait'",
        cred(),
        state(status="red", occupancy=5),
        {"capacity": 5},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.STATUS_RED,
    ),
    (
        "red-listed person leaving is let out",
        cred(),
        state(status="red", inside=True, last_event=last(600)),
        {},
        None,
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    ),
    (
        "hospital: BHYT not accepted",
        cred(Kind.BHYT),
        state(),
        {"accepted_kinds": ("personal_qr", "cccd")},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.KIND_NOT_ACCEPTED,
    ),
    (
        "hospital: CCCD accepted",
        cred(Kind.CCCD),
        state(),
        {"accepted_kinds": ("personal_qr", "cccd")},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "venue code never admitted",
        cred(Kind.VENUE_CODE),
        state(),
        {},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.VENUE_CODE,
    ),
    (
        "venue code at an exit gate is not an exit",
        cred(Kind.VENUE_CODE),
        state(),
        {"gate_mode": "out"},
        None,
        Verdict.DENY,
        Direction.OUT,
        Reason.VENUE_CODE,
    ),
    (
        "unknown code never admitted",
        cred(Kind.UNKNOWN),
        state(),
        {},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.UNKNOWN_CODE,
    ),
    (
        "DCC verified: admitted",
        cred(Kind.EU_DCC, **DCC_OK),
        state(),
        {},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "DCC forged signature: denied",
        cred(Kind.EU_DCC, signature=Signature.INVALID),
        state(),
        {},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.DCC_SIGNATURE_INVALID,
    ),
    (
        "DCC signed by a DSC allowed only for tests: denied like a forgery",
        cred(Kind.EU_DCC, signature=Signature.INVALID, problems=("dsc_wrong_type",)),
        state(),
        {"dcc_unverified_action": "admit"},
        None,
        Verdict.DENY,
        Direction.IN,
        Reason.DCC_SIGNATURE_INVALID,
    ),
    (
        "DCC without expiry, signature valid: referred",
        cred(Kind.EU_DCC, signature=Signature.VALID, problems=("dcc_no_expiry",)),
        state(),
        {},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.DCC_NO_EXPIRY,
    ),
    (
        "DCC without expiry at a site that admits unverified: still referred",
        cred(Kind.EU_DCC, signature=Signature.NOT_CHECKED, problems=("dcc_no_expiry",)),
        state(),
        {"dcc_unverified_action": "admit"},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.DCC_NO_EXPIRY,
    ),
    (
        "DCC expired: referred",
        cred(Kind.EU_DCC, signature=Signature.VALID, problems=("expired",)),
        state(),
        {},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.DCC_EXPIRED,
    ),
    (
        "DCC key unknown: referred by default",
        cred(Kind.EU_DCC, signature=Signature.UNKNOWN_KEY),
        state(),
        {},
        None,
        Verdict.REFER,
        Direction.IN,
        Reason.DCC_NOT_VERIFIED,
    ),
    (
        "DCC not checked, site admits unverified",
        cred(Kind.EU_DCC, signature=Signature.NOT_CHECKED),
        state(),
        {"dcc_unverified_action": "admit"},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
    (
        "manual entry admitted like any person",
        cred(Kind.MANUAL),
        state(),
        {},
        None,
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    ),
]


@pytest.mark.parametrize(
    ("credential", "gate_state", "changes", "override", "verdict", "direction", "reason"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_decision_table(
    credential: Credential,
    gate_state: GateState,
    changes: dict[str, object],
    override: str | None,
    verdict: Verdict,
    direction: Direction,
    reason: Reason,
) -> None:
    settings = dataclasses.replace(S, **changes)  # type: ignore[arg-type]
    decision = decide(credential, gate_state, settings, NOW, gate_mode=override)
    assert (decision.verdict, decision.direction, decision.reason) == (verdict, direction, reason)
    assert decision.records == (verdict is not Verdict.DUPLICATE)
    if verdict is Verdict.DUPLICATE:
        assert decision.duplicate_of == gate_state.last_event


def test_status_list_age_is_reported() -> None:
    fresh = decide(cred(), state(age_h=2), S, NOW)
    stale = decide(cred(), state(age_h=30), S, NOW)
    missing = decide(cred(), state(age_h=None), S, NOW)
    assert (fresh.status_list_stale, stale.status_list_stale, missing.status_list_stale) == (
        False,
        True,
        True,
    )


HANOI_3AM = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC)  # 03:00 on the 25th, UTC+7


@pytest.mark.parametrize(
    ("now", "last_run", "expected"),
    [
        # 10:00 local, never run: today's 03:00 is due.
        (dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), None, HANOI_3AM),
        # Already ran for today's 03:00.
        (dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), HANOI_3AM, None),
        # 02:59 local on the 26th: still today's (the 25th's) slot, already done.
        (dt.datetime(2026, 11, 25, 19, 59, tzinfo=dt.UTC), HANOI_3AM, None),
        # 03:00 local on the 26th: the next one is due.
        (
            dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC),
            HANOI_3AM,
            HANOI_3AM + dt.timedelta(days=1),
        ),
        # Switched off for three days: one catch-up, at the latest slot.
        (
            dt.datetime(2026, 11, 28, 5, 0, tzinfo=dt.UTC),
            HANOI_3AM,
            HANOI_3AM + dt.timedelta(days=3),
        ),
    ],
)
def test_auto_checkout_due(
    now: dt.datetime, last_run: dt.datetime | None, expected: dt.datetime | None
) -> None:
    assert auto_checkout_due(S, now, last_run) == expected


def test_auto_checkout_off() -> None:
    settings = dataclasses.replace(S, auto_checkout_time="")
    assert auto_checkout_due(settings, T0, None) is None


def test_a_health_declaration_with_a_yes_refers_an_entry_not_an_exit() -> None:
    from kiosk.events import Declaration

    fever = Declaration(fever=True)
    entry = decide(cred(Kind.MANUAL), state(), S, NOW, declaration=fever)
    clean = decide(cred(Kind.MANUAL), state(), S, NOW, declaration=Declaration())
    leaving = decide(cred(), state(inside=True, last_event=last(600)), S, NOW, declaration=fever)
    red = decide(cred(), state(status="red"), S, NOW, declaration=fever)
    assert (entry.verdict, entry.reason) == (Verdict.REFER, Reason.DECLARATION)
    assert (clean.verdict, clean.reason) == (Verdict.ADMIT, Reason.ENTRY)
    assert (leaving.verdict, leaving.direction) == (Verdict.ADMIT, Direction.OUT)
    assert red.reason is Reason.STATUS_RED  # the stronger finding is shown
