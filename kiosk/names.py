"""One name form per person on every screen and in every list.

The unified personal QR carries the name in upper case without diacritics ("TRAN THI BICH
NGOC" -> "T. T. B. NGOC"); the chip ID card carries it as written ("T. T. B. Ngọc"). When the
same person (the same person key: the same ID number) has been seen with both, the kiosk
shows the form with diacritics everywhere, including on the next personal-QR scan: the two
forms are the same letters once diacritics and case are set aside (`fold`).

Pure; no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(name: str) -> str:
    """The name without diacritics, in upper case, single spaces: "T. T. B. Ngọc" and
    "T. T. B. NGOC" fold the same. Đ/đ fold to D (it is a letter of its own, not D with a
    mark, so NFD does not split it)."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.upper().split())


def has_diacritics(name: str) -> bool:
    return fold(name) != " ".join(name.upper().split())


def consistent_name(name: str | None, known: Iterable[str | None]) -> str | None:
    """The form to show for `name` given the names already recorded for the same person: a
    known form with diacritics whose letters are the same (`fold`), else `name` as it is.
    A different name under the same key (a typo in a manual entry) is left alone."""
    if not name:
        return name
    target = fold(name)
    for candidate in known:
        if (
            candidate
            and candidate != name
            and has_diacritics(candidate)
            and fold(candidate) == target
        ):
            return candidate
    return name


__all__ = ["consistent_name", "fold", "has_diacritics"]
