"""Tracing (central.tracing, what the console and `kiosk-central trace` run) on both engines:
stays across gates and checkpoints, the period, people who left long after the case or are
still inside, several visits to one place, events that arrived days late, the kiosk's
auto-checkout; and, on random gate logs, the same contacts as the stays rule
(checkpoint_common.stays) applied to the whole log. The console's own rules (identifiers,
reveal, audit) are in test_console.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central import tracing
from central.storage import Storage
from checkpoint_common.stays import pair_stays, together_s
from checkpoint_common.timefmt import to_iso

from .conftest import make_event
from .test_storage import at, enrolled, upload, visit

MARGIN = dt.timedelta(minutes=15)
DAY = 24 * 60


def key(name: str) -> str:
    """A person key as kiosks make them (a trace accepts one as it is)."""
    return f"id:{hashlib.sha256(name.encode()).hexdigest()[:24]}"


def leave(storage: Storage, device: str, cp: str, person: str, minute: float, **extra: str) -> None:
    """An exit alone, recorded by `device` (e.g. the exit gate) and received then."""
    event = make_event(
        cp,
        person_key=key(person),
        direction="out",
        reason=extra.get("reason", "exit"),
        device_time=to_iso(at(minute)),
        boot_id="boot-synced",
    )
    storage.ingest(device, upload([event], device_id=device, boot_id="boot-x"), at(minute))


def stay(
    storage: Storage, device: str, cp: str, person: str, start: float, end: float | None
) -> None:
    visit(storage, device, cp, key(person), start, end, name=person)


def contacts_by_name(result: tracing.TraceResult) -> dict[tuple[int, str], tracing.Contact]:
    return {(c.visit, str(c.stay.display_name)): c for c in result.contacts}


def test_contacts_across_checkpoints_and_gates(storage: Storage) -> None:
    market = enrolled(storage, "Market", "gate-in")
    enrolled(storage, "Market", "gate-out")
    clinic = enrolled(storage, "Clinic", "clinic-1")
    # The case: at the market 0-60 (in by one gate, out by the other), at the clinic 120-150.
    stay(storage, "gate-in", market, "case", 0, None)
    leave(storage, "gate-out", market, "case", 60)
    stay(storage, "clinic-1", clinic, "case", 120, 150)
    stay(storage, "gate-in", market, "overlap", 30, 90)  # 30 min together
    stay(storage, "gate-in", market, "margin", 70, 80)  # within 15 min after
    stay(storage, "gate-in", market, "far", 200, 210)
    stay(storage, "clinic-1", clinic, "inside", 140, None)  # still inside: until now
    stay(storage, "gate-in", market, "long", 50, 500)  # left 7 h after the case
    stay(storage, "clinic-1", clinic, "overlap", 0, 10)  # same person, other place, not together
    result = tracing.trace(storage, key("case"), now=at(300), margin=MARGIN)
    assert [(v.checkpoint_id, v.in_time, v.out_time, v.closed) for v in result.visits] == [
        (market, at(0), at(60), tracing.EXITED),
        (clinic, at(120), at(150), tracing.EXITED),
    ]
    found = contacts_by_name(result)
    assert set(found) == {(0, "overlap"), (0, "margin"), (0, "long"), (1, "inside")}
    assert found[(0, "overlap")].overlap_s == 30 * 60
    assert found[(0, "margin")].overlap_s == 0  # only within the margin
    # Their exit came long after the range read around the visit: found all the same.
    long = found[(0, "long")].stay
    assert (long.out_time, long.closed, found[(0, "long")].overlap_s) == (
        at(500),
        tracing.EXITED,
        10 * 60,
    )
    inside = found[(1, "inside")]
    assert (inside.stay.out_time, inside.stay.closed, inside.overlap_s) == (
        None,
        tracing.STILL_INSIDE,
        10 * 60,
    )
    assert result.checkpoint_name(clinic) == "Clinic"
    nobody = tracing.trace(storage, key("nobody"), now=at(300))
    assert not nobody.found and nobody.contacts == ()


def test_the_period_holds_the_cases_recent_stays_only(storage: Storage) -> None:
    market = enrolled(storage, "Market", "gate-in")
    # The case: at the market 20 days ago and again today (minutes 0-60).
    stay(storage, "gate-in", market, "case", -20 * DAY, -20 * DAY + 60)
    stay(storage, "gate-in", market, "case", 0, 60)
    stay(storage, "gate-in", market, "old", -20 * DAY + 10, -20 * DAY + 50)
    stay(storage, "gate-in", market, "now", 30, 90)
    # In since last night (10 h before the visit: within the look-back), out at minute 20.
    stay(storage, "gate-in", market, "night", -10 * 60, 20)
    recent = tracing.trace(storage, key("case"), now=at(300))
    assert len(recent.visits) == 1
    assert {(c.stay.display_name, c.overlap_s) for c in recent.contacts} == {
        ("now", 30 * 60),
        ("night", 20 * 60),
    }
    [night] = [c for c in recent.contacts if c.stay.display_name == "night"]
    assert (night.stay.in_time, night.stay.out_time) == (at(-10 * 60), at(20))
    everything = tracing.trace(storage, key("case"), now=at(300), start=at(-21 * DAY))
    assert len(everything.visits) == 2
    assert {(c.visit, c.stay.display_name) for c in everything.contacts} == {
        (0, "old"),
        (1, "now"),
        (1, "night"),
    }


def test_several_visits_to_one_place_each_get_their_own_contacts(storage: Storage) -> None:
    """Visits whose ranges overlap are read once; each visit's contacts are its own."""
    market = enrolled(storage, "Market", "gate-in")
    stay(storage, "gate-in", market, "case", 0, 60)
    stay(storage, "gate-in", market, "case", 180, 200)
    stay(storage, "gate-in", market, "morning", 10, 20)
    stay(storage, "gate-in", market, "afternoon", 185, 190)
    stay(storage, "gate-in", market, "all day", -30, 400)
    result = tracing.trace(storage, key("case"), now=at(500))
    assert [(v.in_time, v.out_time) for v in result.visits] == [(at(0), at(60)), (at(180), at(200))]
    assert {(c.visit, c.stay.display_name, c.overlap_s) for c in result.contacts} == {
        (0, "morning", 10 * 60),
        (0, "all day", 60 * 60),
        (1, "afternoon", 5 * 60),
        (1, "all day", 20 * 60),
    }
    # In visit order, then by entry time.
    assert [(c.visit, c.stay.display_name) for c in result.contacts] == [
        (0, "all day"),
        (0, "morning"),
        (1, "all day"),
        (1, "afternoon"),
    ]


def test_events_that_arrived_days_late_are_traced(storage: Storage) -> None:
    """A kiosk offline for three days: its events are received (and on PostgreSQL stored in
    the partition of) days after they happened; the trace still finds them."""
    market = enrolled(storage, "Market", "gate-in")
    late = at(3 * DAY)
    for person, start, end in (("case", 0, 60), ("offline", 20, 40)):
        events = [
            make_event(
                market,
                person_key=key(person),
                display_name=person,
                direction=direction,
                reason="entry" if direction == "in" else "exit",
                device_time=to_iso(at(minute)),
                boot_id="boot-synced",
            )
            for direction, minute in (("in", start), ("out", end))
        ]
        storage.ingest("gate-in", upload(events, device_id="gate-in", boot_id="boot-x"), late)
    result = tracing.trace(storage, key("case"), now=late + dt.timedelta(hours=1))
    assert [(v.in_time, v.out_time) for v in result.visits] == [(at(0), at(60))]
    assert [(c.stay.display_name, c.overlap_s) for c in result.contacts] == [("offline", 20 * 60)]


def test_an_exit_by_the_kiosks_auto_checkout_says_so(storage: Storage) -> None:
    """Exits are read from the index without their reason; a contact's exit recorded by the
    auto-checkout still says so, within the range read and after it."""
    market = enrolled(storage, "Market", "gate-in")
    stay(storage, "gate-in", market, "case", 0, 60)
    stay(storage, "gate-in", market, "left", 10, 20)
    stay(storage, "gate-in", market, "night", 30, None)
    leave(storage, "gate-in", market, "night", 17 * 60, reason="auto_checkout")  # 03:00 local
    stay(storage, "gate-in", market, "early", 40, None)
    leave(storage, "gate-in", market, "early", 50, reason="auto_checkout")
    result = tracing.trace(storage, key("case"), now=at(DAY))
    closed = {str(c.stay.display_name): (c.stay.out_time, c.stay.closed) for c in result.contacts}
    assert closed == {
        "left": (at(20), tracing.EXITED),
        "night": (at(17 * 60), tracing.AUTO_CHECKOUT),
        "early": (at(50), tracing.AUTO_CHECKOUT),
    }


def test_pairing_follows_the_stays_rule() -> None:
    """tracing.pair and checkpoint_common.stays.pair_stays give the same stays."""
    rows = [
        ("cp", "a", "in", at(0)),
        ("cp", "a", "in", at(5)),  # already inside: the first entry stands
        ("cp", "a", "out", at(10)),
        ("cp", "a", "out", at(20)),  # no open stay: zero length
        ("cp2", "a", "in", at(30)),  # another checkpoint, still open
    ]
    events = [
        SimpleNamespace(
            id=i,
            received_at=t,
            checkpoint_id=cp,
            person_key=p,
            kind="cccd",
            display_name=None,
            direction=d,
            corrected_time=t,
        )
        for i, (cp, p, d, t) in enumerate(rows)
    ]
    stays = tracing.pair(events, at(60), {})
    assert [(s.checkpoint_id, s.in_time, s.out_time) for s in stays] == [
        ("cp", at(0), at(10)),
        ("cp", at(20), at(20)),
        ("cp2", at(30), None),
    ]
    rule = pair_stays((cp, p, "cccd", None, d, t) for cp, p, d, t in rows)
    assert sorted((s.checkpoint_id, s.in_time, s.out_time) for s in rule) == [
        (s.checkpoint_id, s.in_time, s.out_time) for s in stays
    ]
    assert stays[-1].end == at(60) and stays[-1].closed == tracing.STILL_INSIDE


PEOPLE = ("case", "b", "c", "d")
_examples = itertools.count()
# A gate log: (person, checkpoint 0 or 1, direction) at distinct seconds of 3 hours.
logs = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.integers(0, 1), st.sampled_from(("in", "out"))),
    max_size=30,
).flatmap(
    lambda entries: st.tuples(
        st.just(entries),
        st.lists(
            st.integers(0, 3 * 3600),
            min_size=len(entries),
            max_size=len(entries),
            unique=True,
        ),
    )
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=logs, margin_min=st.integers(0, 30), min_overlap_min=st.sampled_from((0, 0, 5)))
def test_contacts_are_the_stays_rule_applied_to_the_whole_log(
    storage: Storage,
    log: tuple[list[tuple[str, int, str]], list[int]],
    margin_min: int,
    min_overlap_min: int,
) -> None:
    """What the trace reads (the case's events, ranges around its visits, exits after them)
    gives the contacts that pairing every event of the log by the one rule gives."""
    entries, seconds = log
    example = next(_examples)
    places = [enrolled(storage, f"Place {example}-{n}", f"dev-{example}-{n}") for n in range(2)]
    for place in places:  # open stays last until now
        storage.update_checkpoint_settings(place, {"auto_checkout_time": ""})
    named = {p: f"{p}-{example}" for p in PEOPLE}
    moments = [at(s / 60) for s in seconds]
    ordered = sorted(zip(moments, entries, strict=True))
    for n, place in enumerate(places):
        events = [
            make_event(
                place,
                person_key=key(named[person]),
                display_name=person,
                direction=direction,
                reason="entry" if direction == "in" else "exit",
                device_time=to_iso(moment),
                boot_id="boot-synced",
            )
            for moment, (person, where, direction) in ordered
            if where == n
        ]
        if events:
            device = f"dev-{example}-{n}"
            storage.ingest(device, upload(events, device_id=device, boot_id="b"), at(11 * 60))
    now = at(12 * 60)
    margin = dt.timedelta(minutes=margin_min)
    result = tracing.trace(
        storage,
        key(named["case"]),
        now=now,
        margin=margin,
        min_overlap=dt.timedelta(minutes=min_overlap_min),
    )
    rule = pair_stays(
        (places[where], person, "cccd", None, direction, moment)
        for moment, (person, where, direction) in ordered
    )
    mine = sorted((s for s in rule if s.person_key == "case"), key=lambda s: s.in_time)
    assert [(v.checkpoint_id, v.in_time, v.out_time) for v in result.visits] == [
        (s.checkpoint_id, s.in_time, s.out_time) for s in mine
    ]
    expected = set()
    for index, visit_ in enumerate(mine):
        window = (visit_.in_time, visit_.out_time or now)
        best: dict[str, float] = {}
        for other in rule:
            if other.person_key == "case" or other.checkpoint_id != visit_.checkpoint_id:
                continue
            together = together_s(window, (other.in_time, other.out_time or now), margin=margin)
            if together is None or (min_overlap_min and together < min_overlap_min * 60):
                continue
            best[other.person_key] = max(together, best.get(other.person_key, -math.inf))
        expected |= {(index, p, max(0, math.ceil(t))) for p, t in best.items()}
    assert {(c.visit, c.stay.display_name, c.overlap_s) for c in result.contacts} == expected


@pytest.mark.parametrize("text", ["", "   ", "not a number"])
def test_nothing_to_trace_is_not_an_empty_contact_list(storage: Storage, text: str) -> None:
    result = tracing.trace(storage, text, now=at(0))
    assert not result.found and result.visits == () and result.contacts == ()
