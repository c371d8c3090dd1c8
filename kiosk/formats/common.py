"""Pieces every format parser shares: normalisation, dates, names, the parser result.

Contract for every parser in this package: a function `parse_<kind>(text) -> Parsed | None`
taking already-normalised text (see `normalize`). It returns None when the text does not have
the shape of its kind at all (so the next parser may try), and otherwise a `Parsed`, never an
exception, whatever the input. A `Parsed` of a person kind must carry an `Identity`; when the
text looks like the kind but identifies nobody (truncated, everything masked), the parser
returns kind UNKNOWN with the problems it found instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from kiosk.credentials import Fields, Identity, Kind

# A QR code holds at most 7,089 numeric / 2,953 binary characters; a hardware scanner can type
# more, but nothing a checkpoint accepts is longer than this. Longer texts are not parsed.
MAX_PARSE_CHARS = 8192


@dataclass(frozen=True, slots=True)
class Parsed:
    kind: Kind
    fields: Fields = field(default_factory=Fields)
    problems: tuple[str, ...] = ()
    identity: Identity | None = None
    display_name: str | None = None


_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


def normalize(text: str) -> str:
    """NFC, no BOM/zero-width characters, no scanner line endings or stray outer spaces."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    return text.strip(" \t\r\n\x00\v\f")


def split_fields(text: str, sep: str = "|") -> list[str]:
    """Split on `sep` and strip stray spaces around each field (scanners and apps add them)."""
    return [part.strip() for part in text.split(sep)]


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def mask_name(full_name: str | None) -> str | None:
    """The name as the screen may show it: initials, then the given (last) name in full.

    Vietnamese names are family, middle(s), given: "Trần Thị Bích Ngọc" -> "T. T. B. Ngọc".
    A single word is shown as its first letter and asterisks.
    """
    if not full_name:
        return None
    words = collapse_spaces(full_name).split(" ")
    if len(words) == 1:
        word = words[0]
        return word[0] + "*" * min(len(word) - 1, 4) if len(word) > 1 else word
    return " ".join([f"{w[0]}." for w in words[:-1]] + [words[-1]])


_ISO_DATE = re.compile(r"^(\d{4}|\*{4})-(\d{2}|\*{2})-(\d{2}|\*{2})$")
_DMY_COMPACT = re.compile(r"^(\d{2}|\*{2})(\d{2}|\*{2})(\d{4}|\*{4})$")
_DMY_SLASH = re.compile(r"^(\d{1,2}|\*{2})[/.-](\d{1,2}|\*{2})[/.-](\d{4}|\*{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def _check_date(year: str, month: str, day: str) -> str | None:
    """ISO text for the parts, masked parts kept as `*`; None when unmasked parts are impossible."""
    day = day.zfill(2) if day.isdigit() else day
    month = month.zfill(2) if month.isdigit() else month
    if year.isdigit() and not 1850 <= int(year) <= 2200:
        return None
    if month.isdigit() and not 1 <= int(month) <= 12:
        return None
    if day.isdigit():
        if not 1 <= int(day) <= 31:
            return None
        if year.isdigit() and month.isdigit():
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                return None
    return f"{year}-{month}-{day}"


def iso_date(text: str, *, order: str) -> str | None:
    """Parse a date in one of the shapes the codes use; return ISO text or None.

    order: "ymd" for `YYYY-MM-DD` (personal QR), "dmy" for `DDMMYYYY` / `dd/mm/yyyy` (CCCD,
    BHYT). A bare year is accepted in both (some BHYT cards carry only the year: `1990-**-**`).
    """
    text = text.strip()
    if order == "ymd" and (m := _ISO_DATE.match(text)):
        return _check_date(m.group(1), m.group(2), m.group(3))
    if order == "dmy":
        m = _DMY_COMPACT.match(text) or _DMY_SLASH.match(text)
        if m:
            return _check_date(m.group(3), m.group(2), m.group(1))
    if m := _YEAR.match(text):
        return _check_date(m.group(1), "**", "**")
    return None


def is_masked(text: str | None) -> bool:
    return bool(text) and "*" in (text or "")


def drop_controls(text: str) -> tuple[str, bool]:
    """`text` without control and format characters (NUL, C0/C1, bidi overrides such as U+202E),
    and whether any were dropped.

    Names and addresses never contain them; left in, a U+202E would make the screen show the
    guard a reversed name, and a NUL would cut it short in C code downstream.
    """
    if text.isprintable():  # fast path: no Cc/Cf (nor other non-printables) at all
        return text, False
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return cleaned, len(cleaned) != len(text)


def clean_text(value: str, problems: list[str]) -> str | None:
    """`value` without control characters (noting `control_chars` in problems); None if empty."""
    text, dropped = drop_controls(value)
    if dropped:
        problems.append("control_chars")
    return text or None


def checked_date(
    value: str, name: str, problems: list[str], *, orders: tuple[str, ...] = ("dmy",)
) -> str | None:
    """ISO text for a date field tried in `orders`; notes `bad_<name>` when none fits.

    ASCII only: other scripts' digits would pass `\\d` and come out unreadable.
    """
    if not value:
        return None
    iso = None
    if value.isascii():
        for order in orders:
            iso = iso_date(value, order=order)
            if iso:
                break
    if iso is None:
        problems.append(f"bad_{name}")
    return iso
