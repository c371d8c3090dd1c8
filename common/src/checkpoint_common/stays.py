"""Stays: the visits a gate log is made of, and who was inside at the same time as whom.

The one rule, pure (no I/O, no clock), for both sides: the kiosk keeps its `stays` table up to
date one admitted event at a time (`stay_change`, kiosk.store.log) and finds co-presence with
one SQL statement that implements `together_s` (kiosk.store.queries; tests/common/test_stays.py
checks the two agree); the central server pairs the events of every kiosk of a checkpoint by
corrected time with `stay_change` (central.tracing.pair; tests/central/test_tracing.py checks
its contacts against `pair_stays` and `together_s` applied to whole random logs).

The rules:
- Only admitted events make stays (someone refused at the gate was never inside).
- An entry opens a stay. An entry by someone already inside keeps the open stay: their first
  entry time stands (for tracing, too long beats too short).
- An exit closes the open stay. An exit with no open stay (they came in unrecorded) is a stay
  of zero length at the exit time.
- A stay with no exit is open: it counts in the occupancy and lasts until "now" for tracing.
- Two stays are together when one overlaps the other widened by the margin on both sides; the
  time together is their overlap without the margin, 0 when they are only within the margin.
  Each other person appears once per checkpoint, with their stay that overlapped longest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

IN = "in"
OUT = "out"


class StayChange(StrEnum):
    """What one admitted event does to the person's stays."""

    OPEN = "open"  # an entry with no open stay: a stay begins
    KEEP = "keep"  # an entry by someone inside: nothing changes (the first entry stands)
    CLOSE = "close"  # an exit: the open stay ends
    EXIT_ONLY = "exit_only"  # an exit with no open stay: a stay of zero length at the exit


def stay_change(direction: str, *, inside: bool) -> StayChange:
    """The change an admitted event in `direction` ("in" / "out") makes for a person who is
    (`inside`) or is not in an open stay. Raises ValueError for another direction."""
    if direction == IN:
        return StayChange.KEEP if inside else StayChange.OPEN
    if direction == OUT:
        return StayChange.CLOSE if inside else StayChange.EXIT_ONLY
    raise ValueError(f"a direction is {IN!r} or {OUT!r}, not {direction!r}")


def stay_duration_s(in_time: dt.datetime, out_time: dt.datetime) -> int:
    """A closed stay's length in whole seconds (0 when the clock made the exit look earlier)."""
    return max(0, int((out_time - in_time).total_seconds()))


@dataclass(frozen=True, slots=True)
class Stay:
    """A visit at one checkpoint: an admitted entry paired with the next admitted exit."""

    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    in_time: dt.datetime
    out_time: dt.datetime | None  # None: still inside


def pair_stays(
    rows: Iterable[tuple[str, str, str, str | None, str, dt.datetime]],
) -> list[Stay]:
    """Stays from admitted events (checkpoint_id, person_key, kind, display_name, direction, time)
    given in time order; paired per (checkpoint, person), not per device: a site with an entry
    gate and an exit gate has two kiosks. Closed stays in the order they closed, then the open
    ones in the order they opened."""
    stays: list[Stay] = []
    open_stays: dict[tuple[str, str], Stay] = {}
    for checkpoint_id, person_key, kind, name, direction, moment in rows:
        key = (checkpoint_id, person_key)
        change = stay_change(direction, inside=key in open_stays)
        if change is StayChange.OPEN:
            open_stays[key] = Stay(checkpoint_id, person_key, kind, name, moment, None)
        elif change is StayChange.CLOSE:
            stays.append(dataclasses.replace(open_stays.pop(key), out_time=moment))
        elif change is StayChange.EXIT_ONLY:
            stays.append(Stay(checkpoint_id, person_key, kind, name, moment, moment))
    stays.extend(open_stays.values())
    return stays


def together_s(
    mine: tuple[dt.datetime, dt.datetime],
    theirs: tuple[dt.datetime, dt.datetime],
    *,
    margin: dt.timedelta,
) -> float | None:
    """Seconds two stays (in, out) overlapped, negative when they are only within the margin;
    None when they are not together even with it. An open stay's out is `now`."""
    (my_in, my_out), (their_in, their_out) = mine, theirs
    if their_in > my_out + margin or their_out < my_in - margin:
        return None
    return (min(my_out, their_out) - max(my_in, their_in)).total_seconds()


def overlap_s(together: float) -> int:
    """`together_s` as reported: whole seconds, 0 for a contact only within the margin."""
    return max(0, round(together))


def co_present(
    mine: Sequence[Stay],
    others: Iterable[Stay],
    *,
    margin: dt.timedelta,
    now: dt.datetime,
) -> list[tuple[Stay, int]]:
    """Everyone whose stay overlapped one of `mine` at the same checkpoint, widened by `margin`:
    each (checkpoint, person) once, with their stay that overlapped longest and the seconds
    together (`overlap_s`). Open stays last until `now`. The traced person's own stays among
    `others` are skipped. Ordered by entry time, then person key, then checkpoint."""
    me = {stay.person_key for stay in mine}
    windows: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for stay in mine:
        windows.setdefault(stay.checkpoint_id, []).append((stay.in_time, stay.out_time or now))
    best: dict[tuple[str, str], tuple[float, Stay]] = {}
    for stay in others:
        if stay.person_key in me:
            continue
        theirs = (stay.in_time, stay.out_time or now)
        for window in windows.get(stay.checkpoint_id, ()):
            together = together_s(window, theirs, margin=margin)
            if together is None:
                continue
            key = (stay.checkpoint_id, stay.person_key)
            if key not in best or together > best[key][0]:
                best[key] = (together, stay)
    found = [(stay, overlap_s(together)) for together, stay in best.values()]
    return sorted(found, key=lambda f: (f[0].in_time, f[0].person_key, f[0].checkpoint_id))


__all__ = [
    "IN",
    "OUT",
    "Stay",
    "StayChange",
    "co_present",
    "overlap_s",
    "pair_stays",
    "stay_change",
    "stay_duration_s",
    "together_s",
]
