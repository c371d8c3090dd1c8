"""A wrong clock, end to end (../shared/RELIABILITY.md, "Clocks": "wrong clock (1970, +3 days,
-2 h step mid-run)": 0 lost, order by (boot, seq) correct, suspect clocks flagged, no purge on a
forward jump).

One kiosk lives through a bad day: a correct, synchronised clock; a manual step 2 hours back in
the middle of the run; a step 3 days forward (a wrong time server); a reboot without a
real-time clock that comes up in 1970 under a new boot id. People keep coming and going all
along, the idle work (auto-checkout check, retention purge, checkpoint) runs between scans as the
gate's owner runs it, and everything is delivered to the real reference server.

The clock is the machine's real monotonic and wall clocks with a settable offset and boot
(`SteppedClock`), not a frozen FakeClock: the server corrects times from its own receive time and
the kiosk's monotonic clock, so elapsed time must be real for its corrections to mean anything.

Beyond tests/test_store.py (purge refused on a jump, at the store) and tests/test_sync.py (a
clock two days behind corrected by the server): here the steps happen mid-run through
`Gate.idle`, across a reboot, with retention set so that an unrefused purge would delete
everything delivered, and the server's flags and corrected times are checked per phase.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kiosk.clock import FakeClock, Instant, from_iso
from kiosk.config import Settings, settings_with
from kiosk.events import Direction, Verdict
from kiosk.gate import Gate
from tests.central.test_live import Server, run_cli
from tests.reliability.conftest import scale
from tests.test_sync import Kiosk, central_events, drain, personal

UTC = dt.UTC
HOUR = 3600.0
DAY = 86400.0
# How far the server's corrected time may be from the true time: the upload's transit time.
CORRECTION_SLACK_S = 5.0
N = scale(1, 10)  # people per phase: x40, x20, ... (115 events; the full form 1,150)


class SteppedClock:
    """Real elapsed time with a wall clock that can be stepped and a reboot that restarts the
    monotonic clock under a new boot id (what a Raspberry Pi without RTC goes through)."""

    def __init__(self, boot_id: str = "boot-A") -> None:
        self.boot_id = boot_id
        self.synced = True
        self._offset = dt.timedelta(0)
        self._mono_zero = time.monotonic_ns() - 10**9  # "booted a second ago"

    def now(self) -> Instant:
        return Instant(
            dt.datetime.now(UTC) + self._offset,
            time.monotonic_ns() - self._mono_zero,
            self.boot_id,
            self.synced,
        )

    @property
    def offset_s(self) -> float:
        """How far the wall clock is from the true time now."""
        return self._offset.total_seconds()

    def step(self, seconds: float, *, synced: bool) -> None:
        self._offset += dt.timedelta(seconds=seconds)
        self.synced = synced

    def reboot(self, boot_id: str, *, wall: dt.datetime) -> None:
        """Power cycle: a new boot id, the monotonic clock from ~1 s, the wall clock at `wall`
        (no RTC; not synchronised until a time server is reached)."""
        self.boot_id = boot_id
        self._mono_zero = time.monotonic_ns() - 10**9
        self._offset = wall - dt.datetime.now(UTC)
        self.synced = False


@dataclass
class Phase:
    name: str
    offset_s: float  # wall clock minus true time while it lasted
    synced: bool
    boot_id: str
    event_ids: list[str] = field(default_factory=list)


class Visitors:
    """Scans people in and out (auto gate mode) and keeps the model of who is inside."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self.inside: set[int] = set()
        self.acked: list[tuple[str, int]] = []  # (event_id, seq) in scan order

    def scan(self, person: int, phase: Phase, expected: Direction) -> None:
        outcome = self.kiosk.gate.scan(personal(person))
        assert outcome.event_id is not None and outcome.seq is not None
        # Auto mode: someone the kiosk believes inside is let out, anyone else let in. A wrong
        # direction here means the clock step changed who the kiosk thinks is inside.
        assert outcome.decision.direction is expected, (person, phase.name)
        assert outcome.decision.verdict is Verdict.ADMIT
        (self.inside.add if expected is Direction.IN else self.inside.discard)(person)
        assert outcome.occupancy == len(self.inside), phase.name
        self.acked.append((outcome.event_id, outcome.seq))
        phase.event_ids.append(outcome.event_id)

    def come(self, people: range, phase: Phase) -> None:
        for person in people:
            self.scan(person, phase, Direction.IN)

    def leave(self, people: range, phase: Phase) -> None:
        for person in people:
            self.scan(person, phase, Direction.OUT)


def open_gate(kiosk: Kiosk, settings: Settings) -> None:
    kiosk.gate = Gate.open(kiosk.data, settings, kiosk.clock)


def test_1970_reboot_and_clock_steps_lose_nothing_and_are_flagged(
    tmp_path: Path, server: Server, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = SteppedClock()
    kiosk = Kiosk(tmp_path, clock)
    try:
        kiosk.enroll(server, db, "Chợ Đồng Xuân")
        # Retention as short as the settings allow (server-managed, as in the field): a purge
        # that ran after the +3 days step would delete every delivered event, and the hard limit
        # every synchronised one. Every scan is recorded (no duplicate window: real seconds pass
        # between re-scans); no nightly auto-checkout (see
        # test_forward_jump_does_not_check_everyone_out).
        changed = run_cli(
            db,
            "checkpoint-settings",
            "--checkpoint",
            "Chợ Đồng Xuân",
            "retention_days=1",
            "retention_hard_days=2",
            "duplicate_window_s=0",
            "auto_checkout_time=",
        )
        assert changed.returncode == 0, changed.stderr
        assert kiosk.service().run_once().config_changed
        settings = settings_with(kiosk.gate.settings, gate_mode="auto")
        assert (settings.retention_days, settings.retention_hard_days) == (1, 2)
        assert settings.auto_checkout is None and settings.duplicate_window_s == 0
        # Reopen: enrollment replaced the person-key secret the open gate was made with.
        kiosk.gate.close()
        open_gate(kiosk, settings)
        people = Visitors(kiosk)

        right = Phase("synced", 0, True, "boot-A")
        people.come(range(0, 40 * N), right)
        people.leave(range(0, 10 * N), right)
        drain(kiosk.service(batch_size=50))  # delivered, and the server has an anchor for boot A
        kiosk.gate.idle()  # the first idle purges (nothing old yet): the day's purge is done
        assert kiosk.gate.store.outbox_count() == 0

        clock.step(-2 * HOUR, synced=False)  # someone sets the time by hand, wrongly
        back = Phase("-2h", -2 * HOUR, False, "boot-A")
        people.come(range(40 * N, 60 * N), back)
        people.leave(range(10 * N, 20 * N), back)
        kiosk.gate.idle()

        clock.step(3 * DAY, synced=True)  # a wrong time server: 3 days ahead
        ahead = Phase("+3d", -2 * HOUR + 3 * DAY, True, "boot-A")
        before = len(list(kiosk.gate.store.events()))
        # A fresh owner (the app restarted within the boot) would purge at its first idle: the
        # jump must be caught by the clock check itself, not by the once-a-day timer.
        kiosk.gate.close()
        open_gate(kiosk, settings)
        with caplog.at_level(logging.WARNING, logger="kiosk.gate"):
            kiosk.gate.idle()
        assert "purge skipped" in caplog.text, "the forward jump was not noticed"
        assert len(list(kiosk.gate.store.events())) == before, "purged after a forward jump"
        people.come(range(60 * N, 70 * N), ahead)
        people.leave(range(20 * N, 25 * N), ahead)
        kiosk.gate.idle()
        assert len(list(kiosk.gate.store.events())) == before + 15 * N

        inside_before_reboot = kiosk.gate.store.occupancy()
        kiosk.gate.close()
        clock.reboot("boot-B", wall=dt.datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC))
        open_gate(kiosk, settings)
        assert kiosk.gate.store.occupancy() == inside_before_reboot == len(people.inside)
        kiosk.gate.idle()  # purges as of 1970: must find nothing to delete
        assert len(list(kiosk.gate.store.events())) == before + 15 * N
        in_1970 = Phase("1970", clock.offset_s, False, "boot-B")
        people.leave(range(25 * N, 35 * N), in_1970)  # they came in 2026 and leave "in 1970"
        people.come(range(70 * N, 80 * N), in_1970)
        kiosk.gate.idle()
        drain(kiosk.service(batch_size=50))
        phases = (right, back, ahead, in_1970)

        # 0 lost: every acknowledged scan is in the log and on the server, once.
        stored = {e["event_id"]: e for e in central_events(db)}
        local = list(kiosk.gate.store.events())
        acked_ids = [event_id for event_id, _ in people.acked]
        assert len(local) == len(acked_ids) == len(stored) == 115 * N
        assert [e.event_id for e in local] == acked_ids
        assert all(e.delivered_at is not None for e in local)

        # Order: the local sequence follows the scans and (boot, seq) sorts them right, while
        # the wall clock alone would not (it went back twice).
        seqs = [seq for _, seq in people.acked]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        assert [e.boot_id for e in local] == ["boot-A"] * 95 * N + ["boot-B"] * 20 * N
        for boot in ("boot-A", "boot-B"):
            monos = [e.mono_ns for e in local if e.boot_id == boot]
            assert monos == sorted(monos)
        walls = [e.device_time for e in local]
        assert any(b < a for a, b in itertools.pairwise(walls)), "the clock never went back"
        # The server's corrected times put them back in the true order (within transit time).
        corrected = [from_iso(stored[i]["corrected_time"]) for i in acked_ids]
        for earlier, later in itertools.pairwise(corrected):
            assert (later - earlier).total_seconds() > -CORRECTION_SLACK_S

        # Flags: the kiosk says which clock it trusted; the server flags every event whose clock
        # was off by more than 300 s and corrects it to the true time.
        flags: dict[str, set[str]] = {}
        for phase in phases:
            for event_id in phase.event_ids:
                row = stored[event_id]
                assert row["clock_synced"] is phase.synced, (phase.name, row)
                device = from_iso(row["device_time"])
                fixed = from_iso(row["corrected_time"])
                true_time = device - dt.timedelta(seconds=phase.offset_s)
                assert abs((fixed - true_time).total_seconds()) < CORRECTION_SLACK_S, phase.name
                flags.setdefault(phase.name, set()).add(row["clock_flag"])
        assert flags == {
            "synced": {"ok"},
            "-2h": {"corrected"},
            "+3d": {"corrected"},
            "1970": {"corrected"},
        }

        # Occupancy: people inside stayed inside through every step and the reboot.
        assert kiosk.gate.store.occupancy() == len(people.inside) == (40 + 20 + 10 + 10 - 35) * N
        print(
            "reliability.clock",
            json.dumps(
                {
                    "events": len(local),
                    "flags": {k: sorted(v) for k, v in flags.items()},
                    "occupancy": len(people.inside),
                }
            ),
        )
    finally:
        kiosk.close()


START = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội


def test_duplicate_window_follows_the_monotonic_clock_through_steps(tmp_path: Path) -> None:
    """A double scan stays one record when the wall clock is stepped between the two reads (either
    way), and after a reboot into 1970 the kiosk records rather than swallow a scan it cannot
    place in time."""
    clock = FakeClock(START)
    settings = Settings(duplicate_window_s=10, gate_mode="auto", auto_checkout_time="")
    gate = Gate.open(tmp_path / "kiosk", settings, clock)
    try:
        first = gate.scan(personal(1))
        assert first.decision.direction is Direction.IN
        for step in (3 * DAY, -2 * HOUR, -3 * DAY):
            clock.advance(2)
            clock.jump(step)
            again = gate.scan(personal(1))
            assert again.decision.verdict is Verdict.DUPLICATE, step
        clock.advance(20)  # really later: the exit is recorded
        assert gate.scan(personal(1)).decision.direction is Direction.OUT
        clock.reboot("boot-2", wall=dt.datetime(1970, 1, 1, 0, 0, 3, tzinfo=UTC))
        back = gate.scan(personal(1))  # 3 s after the exit, by no clock the kiosk can trust
        assert back.decision.verdict is Verdict.ADMIT and back.decision.direction is Direction.IN
        assert gate.store.occupancy() == 1
        assert [e.direction for e in gate.store.events()] == [Direction.IN, Direction.OUT] * 1 + [
            Direction.IN
        ]
    finally:
        gate.close()


def test_forward_jump_does_not_check_everyone_out(tmp_path: Path) -> None:
    """With the default nightly auto-checkout (03:00 local), a +3 days step of the wall clock
    within one boot must not end the stays of the people inside (the purge refuses the same
    step; the auto-checkout does not look)."""
    clock = FakeClock(START)
    settings = Settings(duplicate_window_s=0, gate_mode="auto")
    assert settings.auto_checkout_time == "03:00"
    gate = Gate.open(tmp_path / "kiosk", settings, clock)
    try:
        for person in range(5):
            gate.scan(personal(person))
            clock.advance(5)
        assert gate.store.occupancy() == 5
        clock.jump(3 * DAY)  # a few seconds later, the wall clock says 3 days later
        gate.idle()
        assert gate.store.occupancy() == 5
        leaving = gate.scan(personal(0))
        assert leaving.decision.direction is Direction.OUT
    finally:
        gate.close()
