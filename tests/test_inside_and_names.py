"""The guard's list of the people inside (kiosk.inside, Store.people_inside), one name form per
person (kiosk.names, the gate), and an export's counts in the Reports page's words
(kiosk.reports.count_events). Real SQLite through the gate; the pure parts by table."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.clock import FakeClock
from kiosk.events import Direction, Reason, Verdict
from kiosk.gate import Gate
from kiosk.inside import InsidePerson, find, matches
from kiosk.names import consistent_name, fold, has_diacritics
from kiosk.reports import count_events, days_between
from tests.test_gate import CCCD, OTHER, PERSONAL

AT = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


def person(name: str | None, year: int | None, minutes: int = 0) -> InsidePerson:
    return InsidePerson("id:" + "0" * 24, "cccd", name, year, AT + dt.timedelta(minutes=minutes))


# -- names ------------------------------------------------------------------------------------


def test_fold_sets_case_and_diacritics_aside() -> None:
    assert fold("T. T. B. Ngọc") == fold("T. T. B. NGOC") == "T. T. B. NGOC"
    assert fold("Đ. V. Đức") == "D. V. DUC"  # đ is a letter of its own, not d with a mark
    assert has_diacritics("N. V. Bình") and not has_diacritics("N. V. BINH")
    assert not has_diacritics("N. V. Binh")


@pytest.mark.parametrize(
    ("name", "known", "shown"),
    [
        ("N. V. BINH", ["N. V. Bình"], "N. V. Bình"),  # the card's form, with diacritics
        ("N. V. Bình", ["N. V. BINH"], "N. V. Bình"),  # already the better form
        ("N. V. BINH", ["N. V. BINH"], "N. V. BINH"),  # nothing better known
        ("N. V. BINH", ["T. T. Hoa"], "N. V. BINH"),  # another name under the key: left alone
        ("N. V. BINH", [None, "N. V. Bính", "N. V. Bình"], "N. V. Bính"),  # the newest first
        (None, ["N. V. Bình"], None),
    ],
)
def test_consistent_name(name: str | None, known: list[str | None], shown: str | None) -> None:
    assert consistent_name(name, known) == shown


def test_the_gate_shows_and_records_one_name_form_for_one_person(
    gate: Gate, clock: FakeClock
) -> None:
    """The chip ID card first ("T. T. B. Ngọc"), then the personal QR with the same ID number
    ("TRAN THI BICH NGOC"): the exit is shown and recorded with the card's form."""
    entry = gate.scan(CCCD)
    assert entry.credential.display_name == "T. T. B. Ngọc"
    clock.advance(600)
    leave = gate.scan(PERSONAL)
    assert leave.decision.direction is Direction.OUT
    assert leave.credential.display_name == "T. T. B. Ngọc"  # not "T. T. B. NGOC"
    assert [e.display_name for e in gate.store.events()] == ["T. T. B. Ngọc", "T. T. B. Ngọc"]
    # Someone else keeps their own name.
    clock.advance(60)
    other = gate.scan(OTHER)
    assert other.credential.display_name == "N. V. An"


def test_a_personal_qr_first_keeps_its_form_until_the_card_is_seen(
    gate: Gate, clock: FakeClock
) -> None:
    first = gate.scan(PERSONAL)
    assert first.credential.display_name == "T. T. B. NGOC"
    clock.advance(600)
    gate.scan(CCCD)  # out, with the card: from now on the card's form
    clock.advance(600)
    back = gate.scan(PERSONAL)
    assert back.credential.display_name == "T. T. B. Ngọc"
    assert gate.store.names_of(gate.person_key(back.credential))[0] == "T. T. B. Ngọc"


# -- the people inside ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("ngoc", True),  # without diacritics, lower case
        ("Ngọc", True),
        ("T. B. Ngọc", True),  # initials in any order, with dots
        ("1999", True),
        ("19", True),  # the start of a year
        ("ngoc 1999", True),
        ("ngoc 1998", False),
        ("hoa", False),
        ("2000", False),
    ],
)
def test_matches_masked_name_and_birth_year(query: str, found: bool) -> None:
    assert matches(person("T. T. B. Ngọc", 1999), query) is found


def test_find_lists_the_latest_entry_first() -> None:
    people = [person("N. V. An", 2003, 0), person("T. T. B. Ngọc", 1999, 5), person(None, None, 9)]
    assert [p.display_name for p in find(people, "")] == [None, "T. T. B. Ngọc", "N. V. An"]
    assert [p.display_name for p in find(people, "an")] == ["N. V. An"]
    assert find(people, "2003 an")[0].birth_year == 2003


def test_checking_out_from_the_list_closes_that_stay(gate: Gate, clock: FakeClock) -> None:
    gate.scan(CCCD)
    clock.advance(60)
    gate.scan(OTHER)
    rows = gate.store.people_inside()
    assert [(name, year) for _key, _kind, name, year, _at in rows] == [
        ("N. V. An", 2003),
        ("T. T. B. Ngọc", 1999),
    ]
    key, kind, name, year, at = rows[1]
    assert (kind, at) == ("cccd", clock.now().utc - dt.timedelta(seconds=60))
    leaving = InsidePerson(key, kind, name, year, at)
    clock.advance(600)
    outcome = gate.check_out(leaving)
    assert (outcome.decision.verdict, outcome.decision.direction, outcome.decision.reason) == (
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    )
    assert [row[2] for row in gate.store.people_inside()] == ["N. V. An"]
    last = list(gate.store.events())[-1]
    assert (last.kind, last.display_name, last.birth_year) == ("cccd", "T. T. B. Ngọc", 1999)
    assert last.sealed is not None  # sealed like every event, though it holds no identity


# -- an export's counts -----------------------------------------------------------------------


def test_count_events_in_the_reports_words(gate: Gate, clock: FakeClock) -> None:
    gate.scan(CCCD)  # an entry
    clock.advance(60)
    gate.scan("https://tokhaiyte.vn/?page=Group.checkin&groupId=0123456789abcdef01234567")
    clock.advance(600)
    gate.scan(CCCD)  # an exit
    clock.advance(60)
    gate.scan(OTHER, mode="out")  # an exit of someone never seen in
    counts = count_events(gate.store.events())
    assert (counts.total, counts.entries, counts.exits, counts.referred, counts.refused) == (
        4,
        1,
        2,
        0,
        1,
    )
    start, end = days_between(dt.date(2026, 11, 24), dt.date(2026, 11, 25), gate.settings.zone)
    assert end - start == dt.timedelta(days=2)
    with pytest.raises(ValueError, match="before"):
        days_between(dt.date(2026, 11, 25), dt.date(2026, 11, 24), gate.settings.zone)
