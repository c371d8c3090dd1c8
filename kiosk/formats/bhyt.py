"""Health-insurance (BHYT) card QR (../shared/FORMATS.md section 3).

Layout, `|`-separated, from public hospital software that reads it (no official spec):

    0 card number  1 name (hex UTF-8)  2 birth date  3 gender  4 address (hex UTF-8)
    5 registered clinic  6 valid from  7 valid to  [more fields: ignored]

The card number is 15 characters: 2 letters (beneficiary group), 1 digit (benefit level),
2 digits (province), 10 digits. Those last 10 digits are the holder's social-insurance number,
which stays the same when the group or province changes, so they, not the whole card number,
are the person's identity here and in the personal QR (`bhyt_identity`).
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.credentials import Fields, Identity, Kind
from kiosk.formats.common import Parsed, checked_date, clean_text, mask_name, split_fields

__all__ = ["BHYT_CARD", "bhyt_identity", "parse_bhyt"]

# Upper-cased before matching, so lower-case scanner output is accepted.
BHYT_CARD = re.compile(r"^[A-Z]{2}[0-9]{13}$")
_MASKED_CARD = re.compile(r"^[A-Z]{2}[0-9*]{1,13}$")
_HEX = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")


def bhyt_identity(card_number: str) -> Identity | None:
    """The identity a full, unmasked BHYT card number stands for; None for anything else."""
    number = card_number.strip().upper()
    if not BHYT_CARD.match(number):
        return None
    return Identity("bhyt", number[-10:])


def _hex_text(value: str, name: str, problems: list[str]) -> str | None:
    """Decode a hex-encoded UTF-8 field; on failure note `bad_<name>_hex` and return None.

    Never falls back to showing the raw text: a wrong name on screen is worse than none.
    """
    if not value:
        return None
    if not _HEX.match(value):
        problems.append(f"bad_{name}_hex")
        return None
    try:
        text = bytes.fromhex(value).decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"bad_{name}_hex")
        return None
    return clean_text(unicodedata.normalize("NFC", text).strip(), problems)


# dd/mm/yyyy is the common form; some cards carry the year only or an ISO date.
_DATE_ORDERS = ("dmy", "ymd")


def _gender(value: str, problems: list[str]) -> str | None:
    # FORMATS.md: 1 male, otherwise female. Only the codes seen (0, 2) are read as female;
    # anything else is noted rather than guessed.
    if value == "1":
        return "male"
    if value in ("0", "2"):
        return "female"
    if value:
        problems.append("bad_gender")
        return "unknown"
    return None


def parse_bhyt(text: str) -> Parsed | None:
    """Parse a BHYT card QR; None unless field 0 is a card number and a field follows it."""
    parts = split_fields(text)
    if len(parts) < 2:
        return None
    card = parts[0].upper()
    if not BHYT_CARD.match(card):
        if _MASKED_CARD.match(card) and "*" in card:
            return Parsed(Kind.UNKNOWN, problems=("looks_like_bhyt", "masked_card_number"))
        return None
    identity = bhyt_identity(card)
    problems: list[str] = []
    if len(parts) < 8:
        problems.append("truncated")
    parts += [""] * (8 - len(parts))

    full_name = _hex_text(parts[1], "name", problems)
    if full_name is None and not parts[1]:
        problems.append("missing_name")
    fields = Fields(
        card_number=card,
        bhyt_number=card,
        full_name=full_name,
        birth_date=checked_date(parts[2], "birth_date", problems, orders=_DATE_ORDERS),
        gender=_gender(parts[3], problems),
        address=_hex_text(parts[4], "address", problems),
        clinic_code=clean_text(parts[5], problems),
        valid_from=checked_date(parts[6], "valid_from", problems, orders=_DATE_ORDERS),
        valid_to=checked_date(parts[7], "valid_to", problems, orders=_DATE_ORDERS),
    )
    return Parsed(
        Kind.BHYT,
        fields=fields,
        problems=tuple(dict.fromkeys(problems)),
        identity=identity,
        display_name=mask_name(full_name),
    )
