"""The stays rule (checkpoint_common.stays), tested once for both sides: pairing entries and
exits into stays, and who was inside at the same time. The kiosk's incremental `stays` table
and its one-statement co-presence query are checked against the pure rule on random logs."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint_common.stays import (
    Stay,
    StayChange,
    co_present,
    overlap_s,
    pair_stays,
    stay_change,
    stay_duration_s,
    together_s,
)
from kiosk.events import Direction, NewEvent, Reason, Verdict
from kiosk.store import Store

T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_what_an_admitted_event_does_to_a_stay() -> None:
    assert stay_change("in", inside=False) is StayChange.OPEN
    assert stay_change("in", inside=True) is StayChange.KEEP  # the first entry time stands
    assert stay_change("out", inside=True) is StayChange.CLOSE
    assert stay_change("out", inside=False) is StayChange.EXIT_ONLY  # came in unrecorded
    with pytest.raises(ValueError, match="sideways"):
        stay_change("sideways", inside=False)
    assert stay_duration_s(at(0), at(90)) == 90 * 60
    assert stay_duration_s(at(10), at(0)) == 0  # a clock that went back never gives < 0


def test_pairing_follows_the_rule_per_checkpoint_and_person() -> None:
    rows = [
        ("cp", "a", "cccd", None, "in", at(0)),
        ("cp", "a", "cccd", None, "in", at(5)),  # already inside: the first entry stands
        ("cp", "a", "cccd", None, "out", at(10)),
        ("cp", "a", "cccd", None, "out", at(20)),  # no open stay: zero length
        ("cp2", "a", "cccd", None, "in", at(30)),  # another checkpoint, still open
    ]
    stays = pair_stays(rows)
    assert [(s.checkpoint_id, s.in_time, s.out_time) for s in stays] == [
        ("cp", at(0), at(10)),
        ("cp", at(20), at(20)),
        ("cp2", at(30), None),
    ]


def test_together_counts_the_overlap_and_the_margin_admits_near_misses() -> None:
    margin = dt.timedelta(minutes=10)
    mine = (at(0), at(30))
    assert together_s(mine, (at(20), at(60)), margin=margin) == 10 * 60
    assert together_s(mine, (at(-240), at(120)), margin=margin) == 30 * 60  # covers it all
    near = together_s(mine, (at(-120), at(-5)), margin=margin)  # left 5 min before
    assert near is not None and near < 0 and overlap_s(near) == 0
    assert together_s(mine, (at(-120), at(-11)), margin=margin) is None  # 11 min: too far
    assert together_s(mine, (at(41), at(50)), margin=margin) is None


def test_co_presence_reports_each_person_once_with_the_longest_overlap() -> None:
    margin = dt.timedelta(minutes=2)
    now = at(24 * 60)
    mine = [
        Stay("cp", "case", "cccd", None, at(0), at(30)),
        Stay("cp", "case", "cccd", None, at(100), at(130)),
    ]
    others = [
        Stay("cp", "b", "cccd", "B", at(20), at(40)),  # 10 min with the first visit
        Stay("cp", "b", "cccd", "B", at(90), at(200)),  # 30 min with the second: this one
        Stay("cp", "open", "cccd", None, at(120), None),  # still inside: lasts until now
        Stay("cp2", "c", "cccd", None, at(0), at(30)),  # another checkpoint: never together
        Stay("cp", "case", "cccd", None, at(0), at(30)),  # the traced person: skipped
    ]
    found = co_present(mine, others, margin=margin, now=now)
    assert [(s.person_key, s.in_time, seconds) for s, seconds in found] == [
        ("b", at(90), 30 * 60),
        ("open", at(120), 10 * 60),
    ]


# -- the kiosk's store follows the same rule ----------------------------------------------------

PEOPLE = ["id:a", "id:b", "id:c", "id:d", "id:e"]
visits = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(["in", "out"]), st.integers(0, 600)),
    min_size=1,
    max_size=30,
)


def _record(store: Store, person: str, direction: str, minute: int) -> None:
    store.record(
        NewEvent(
            event_id=str(uuid.uuid4()),
            device_id="dev",
            checkpoint_id="cp",
            person_key=person,
            kind="cccd",
            display_name=None,
            birth_year=None,
            direction=Direction(direction),
            verdict=Verdict.ADMIT,
            reason=Reason.ENTRY if direction == "in" else Reason.EXIT,
            device_time=at(minute),
            mono_ns=minute * 60 * 10**9,
            boot_id="boot",
            clock_synced=True,
            personal=None,
        )
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=visits, margin_min=st.integers(0, 60))
def test_the_kiosk_store_agrees_with_the_rule(
    tmp_path_factory: pytest.TempPathFactory, log: list[tuple[str, str, int]], margin_min: int
) -> None:
    log = sorted(log, key=lambda v: v[2])
    path: Path = tmp_path_factory.mktemp("stays") / "kiosk.db"
    with Store.open(path) as store:
        for person, direction, minute in log:
            _record(store, person, direction, minute)
        rule = pair_stays(("cp", p, "cccd", None, d, at(m)) for p, d, m in log)
        stored = store.db.conn.execute(
            "SELECT person_key, in_time, out_time FROM stays ORDER BY stay_id"
        ).fetchall()

        def ordered(stays: list[tuple[str, dt.datetime, dt.datetime | None]]) -> list[object]:
            return sorted(
                stays, key=lambda s: (s[0], s[1], s[2] or dt.datetime.max.replace(tzinfo=dt.UTC))
            )

        assert ordered([(s.person_key, s.in_time, s.out_time) for s in rule]) == ordered(
            [
                (k, dt.datetime.fromisoformat(i), dt.datetime.fromisoformat(o) if o else None)
                for k, i, o in stored
            ]
        )
        assert store.occupancy() == sum(1 for s in rule if s.out_time is None)
        now = at(24 * 60)
        margin = dt.timedelta(minutes=margin_min)
        for person in PEOPLE:
            mine = [s for s in rule if s.person_key == person]
            expected = {
                s.person_key: seconds
                for s, seconds in co_present(mine, rule, margin=margin, now=now)
            }
            found = {
                o.person_key: o.overlap_s for o in store.co_presence(person, margin=margin, now=now)
            }
            assert found == expected, person
