"""Chip ID card (CCCD, 2021 model) QR (../shared/FORMATS.md section 2).

    CCCD12|CMND9|Họ và tên|DDMMYYYY|Nam/Nữ|permanent address|DDMMYYYY issue date

UTF-8 with diacritics: the name and the address are returned exactly as read (NFC), only
control and format characters are dropped (noted as `control_chars`). Variants no primary
source confirms are accepted and noted `unconfirmed_layout`: without the CMND field (6 fields),
without the issue date (6 fields), or with an 8th field (expiry, read into `valid_to`). The
2024 card's layout is not public: the first fields are read when they match and the rest is left
in the credential's raw text (`extra_fields`).
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.credentials import Fields, Identity, Kind
from kiosk.formats.common import Parsed, checked_date, clean_text, mask_name, split_fields

__all__ = ["parse_cccd"]

# ASCII digits only: `\d` would also take other scripts' digits.
_ID12 = re.compile(r"^[0-9]{12}$")
_OLD_ID = re.compile(r"^(?:[0-9]{9}|[0-9]{12})$")
_DMY = re.compile(r"^(?:[0-9]{8}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4})$")

# The 2021 layout has 5 fields from the name on: name, birth date, gender, address, issue date.
_FROM_NAME = 5
# Read after the name: birth date, gender, address, issue date, and the unconfirmed expiry.
_AFTER_NAME = 5


def _gender(value: str, problems: list[str]) -> str | None:
    # Compare without case or diacritics: "Nữ", "NỮ", "nu" are all female.
    folded = "".join(
        ch for ch in unicodedata.normalize("NFD", value.casefold()) if not unicodedata.combining(ch)
    )
    if folded == "nam":
        return "male"
    if folded == "nu":
        return "female"
    if value:
        problems.append("bad_gender")
        return "unknown"
    return None


def _cross_check(id12: str, birth_date: str | None, gender: str | None) -> list[str]:
    """Compare the ID number's gender/century digit and birth year with the printed fields.

    Digit 4 is 0/1 for a man/woman born 1900-1999, 2/3 for 2000-2099, and so on each century;
    digits 5-6 are the last two digits of the birth year. A disagreement is noted, never
    rejected: the card is what the person carries, and the guard can look at it.
    """
    problems: list[str] = []
    digit = int(id12[3])
    year = 1900 + 100 * (digit // 2) + int(id12[4:6])
    born = birth_date[:4] if birth_date else ""
    if born.isascii() and born.isdigit() and int(born) != year:
        problems.append("id_birth_mismatch")
    if gender in ("male", "female") and gender != ("male" if digit % 2 == 0 else "female"):
        problems.append("id_gender_mismatch")
    return problems


def parse_cccd(text: str) -> Parsed | None:
    """Parse a CCCD QR; None unless field 0 is a 12-digit number followed by a CMND-shaped
    (9 or 12 digits, or empty) field, or by a name, a DDMMYYYY birth date and Nam/Nữ."""
    parts = split_fields(text)
    if len(parts) < 2 or not _ID12.match(parts[0]):
        return None
    id12 = parts[0]
    problems: list[str] = []
    if parts[1] == "" or _OLD_ID.match(parts[1]):
        name_at = 2
        old_id = parts[1] or None
    elif len(parts) >= 4 and _DMY.match(parts[2]) and _gender(parts[3], []) in ("male", "female"):
        # No CMND field at all: unconfirmed, so the birth date and gender must both fit.
        name_at = 1
        old_id = None
        problems.append("unconfirmed_layout")
    else:
        return None

    standard = name_at + _FROM_NAME  # 7 fields, or 6 without the CMND field
    full_name = clean_text(parts[name_at], problems) if len(parts) > name_at else None
    if full_name is None:
        # Number(s) and no name: a CCCD cut short or damaged; every real card has a name.
        cut = len(parts) <= name_at + 1
        return Parsed(
            Kind.UNKNOWN, problems=("looks_like_cccd", "truncated" if cut else "missing_name")
        )
    if len(parts) < standard - 1:
        problems.append("truncated")
    elif len(parts) != standard:
        problems.append("unconfirmed_layout")
    if len(parts) > standard + 1:
        problems.append("extra_fields")
    rest = parts[name_at + 1 : standard + 1]
    rest += [""] * (_AFTER_NAME - len(rest))
    dob, gender_text, address, issued, expiry = rest

    if not dob:
        problems.append("missing_birth_date")
    birth_date = checked_date(dob, "birth_date", problems)
    gender = _gender(gender_text, problems)
    problems += _cross_check(id12, birth_date, gender)
    fields = Fields(
        id_number=id12,
        old_id_number=old_id,
        full_name=full_name,
        birth_date=birth_date,
        gender=gender,
        address=clean_text(address, problems),
        issue_date=checked_date(issued, "issue_date", problems),
        valid_to=checked_date(expiry, "valid_to", problems),
    )
    return Parsed(
        Kind.CCCD,
        fields=fields,
        problems=tuple(dict.fromkeys(problems)),
        identity=Identity("id", id12),
        display_name=mask_name(full_name),
    )
