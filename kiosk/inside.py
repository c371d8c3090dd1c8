"""Who is inside now, for the guard's "people inside" list: find a person by masked name or
year of birth, and check them out with one tap (a visitor without a phone leaving, whose code
the guard would otherwise have to type in again).

Pure: the list comes from `Store.people_inside` (read on the gate thread); checking out is an
exit recorded through the gate like any scan (`checkout_credential` names the person by the
key their entry was recorded under, so the exit closes that stay and no other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.credentials import Credential, Fields, Kind
from kiosk.names import fold


@dataclass(frozen=True, slots=True)
class InsidePerson:
    """An open stay, as the screen may show it (no ID number, no full name)."""

    person_key: str
    kind: str
    display_name: str | None
    birth_year: int | None
    in_time: dt.datetime


def matches(person: InsidePerson, query: str) -> bool:
    """Whether `person` answers what the guard typed: words of the masked name in any case
    and with or without diacritics ("ngoc", "T. B. Ngọc"), and/or a year of birth ("1999"),
    in any order. An empty query matches everyone."""
    name = fold(person.display_name or "").replace(".", " ").split()
    for word in fold(query).replace(".", " ").split():
        if word.isdigit():
            if person.birth_year is None or not str(person.birth_year).startswith(word):
                return False
        elif not any(part.startswith(word) for part in name):
            return False
    return True


def find(people: list[InsidePerson], query: str) -> list[InsidePerson]:
    """The people matching `query`, most recent entry first."""
    found = [p for p in people if matches(p, query)]
    return sorted(found, key=lambda p: p.in_time, reverse=True)


def checkout_credential(person: InsidePerson) -> Credential:
    """A credential for recording `person`'s exit: their person key and masked name, no
    payload and no identity fields (the entry's sealed record has those; the exit needs none).
    The kind is the entry's, so the day's totals by kind stay whole."""
    try:
        kind = Kind(person.kind)
    except ValueError:
        kind = Kind.MANUAL
    year = f"{person.birth_year:04d}-**-**" if person.birth_year else None
    return Credential(
        kind=kind,
        raw="",
        fields=Fields(birth_date=year),
        problems=("checked_out_from_list",),
        person_key=person.person_key,
        display_name=person.display_name,
    )


__all__ = ["InsidePerson", "checkout_credential", "find", "matches"]
