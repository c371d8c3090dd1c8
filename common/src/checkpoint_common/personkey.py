"""Person keys: how a person's identifier becomes the pseudonym both sides store, and which
identifiers a health officer's text may stand for.

A person key is `scheme:` + 24 hex of HMAC-SHA256(secret, "scheme:value") under the
deployment's person-key secret (docs/protocol.md, "Enrollment"). The kiosk derives it from the
code it scanned (kiosk.credentials.PersonKeyer calls `derive_person_key`); the server derives
the same key from what an officer types (`candidate_identities`), so it can find a person's
records without ever storing an identifier. `derive_person_key` is the only place the
derivation is written: issue #13 will make it memory-hard, and both sides follow.

The schemes (what the kiosk's parsers use, kiosk/formats):
- `id`: a full ID document number: 12-digit CCCD, 9-digit CMND, a passport number (upper case);
- `qid`: the national QR platform's id of a personal QR code;
- `bhyt`: the 10-digit social-insurance number at the end of a 15-character BHYT card number;
- `manual`: `tel:` + the digits of a phone number the guard typed (no ID number given);
- `dcc`, `raw`: certificates and texts that name no one (not resolvable from typed text).

Pure functions, no I/O; never log what they are given.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

ID = "id"
QID = "qid"
BHYT = "bhyt"
MANUAL = "manual"

# What the text was understood as (for the officer: "searched as a CCCD number").
AS_CCCD = "cccd"
AS_CMND = "cmnd"
AS_PASSPORT = "passport"
AS_PHONE = "phone"
AS_BHYT = "bhyt"
AS_QID = "qid"
AS_SCAN = "scan"

_BHYT_CARD = re.compile(r"^[A-Z]{2}[0-9]{13}$")
_PASSPORT = re.compile(r"^(?=[0-9]*[A-Z])[A-Z0-9]{6,12}$")
_QID = re.compile(r"^[0-9A-Za-z]{6,64}$")
_YMD = re.compile(r"^[0-9*]{4}-[0-9*]{1,2}-[0-9*]{1,2}$")
_DIGITS = re.compile(r"^[0-9]+$")
# Separators people type inside numbers: spaces, dots, dashes.
_SEPARATORS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True, slots=True)
class Identity:
    """An identifier before hashing (the kiosk's kiosk.credentials.Identity has the same two
    fields)."""

    scheme: str
    value: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a typed or scanned text may stand for: `identities` in order of likelihood (none
    when the text is no identifier), and `understood_as` (AS_* values) for the officer."""

    identities: tuple[Identity, ...]
    understood_as: tuple[str, ...]


def derive_person_key(secret: bytes, scheme: str, value: str) -> str:
    """The person key of (scheme, value) under `secret` (at least 16 bytes; ValueError
    otherwise). The one derivation both sides use."""
    if len(secret) < 16:
        raise ValueError("person key secret must be at least 16 bytes")
    message = f"{scheme}:{value}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).hexdigest()
    return f"{scheme}:{digest[:24]}"


def phone_identities(text: str) -> list[Identity]:
    """The `manual` identities of a phone number as guards type it: the digits, and the same
    number written the other way (0912… and 84912…), since either may have been typed."""
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if not 8 <= len(digits) <= 15:
        return []
    found = [digits]
    if digits.startswith("84") and len(digits) == 11:
        found.append("0" + digits[2:])
    elif digits.startswith("0") and len(digits) == 10:
        found.append("84" + digits[1:])
    return [Identity(MANUAL, f"tel:{d}") for d in found]


def _id_number(value: str) -> Identity | None:
    number = _SEPARATORS.sub("", value).upper()
    if not number or "*" in number:
        return None
    if (_DIGITS.match(number) and len(number) in (9, 12)) or _PASSPORT.match(number):
        return Identity(ID, number)
    return None


def _bhyt(value: str) -> Identity | None:
    number = _SEPARATORS.sub("", value).upper()
    if _BHYT_CARD.match(number):
        return Identity(BHYT, number[-10:])
    if _DIGITS.match(number) and len(number) == 10:
        return Identity(BHYT, number)
    return None


def _scanned(text: str) -> Resolution:
    """The identities in a scanned code's text (personal QR, CCCD, BHYT card): every
    identifier it shows unmasked, whichever the kiosk took as the key."""
    parts = [p.strip() for p in text.split("|")]
    found: list[Identity] = []

    def add(identity: Identity | None) -> None:
        if identity is not None and identity not in found:
            found.append(identity)

    first = _SEPARATORS.sub("", parts[0]).upper()
    if _BHYT_CARD.match(first):
        add(_bhyt(first))
    elif len(parts) >= 3 and (_YMD.match(parts[2]) or (len(parts) >= 5 and parts[3] in ("0", "1"))):
        # Personal QR: SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT.
        add(_id_number(parts[0]))
        if len(parts) >= 5 and "*" not in parts[4] and _QID.match(parts[4]):
            add(Identity(QID, parts[4]))
        if len(parts) >= 6 and parts[5]:
            ext = [v.strip() for v in parts[5].split("<")]
            if ext and ext[0] in ("0", "1", "2"):
                ext.insert(0, "")
            if len(ext) > 2 and ext[2] and "*" not in ext[2]:
                add(_bhyt(ext[2]) if _BHYT_CARD.match(ext[2].upper()) else None)
            if len(ext) > 3 and ext[3] and "*" not in ext[3]:
                for identity in phone_identities(ext[3]):
                    add(identity)
    else:
        # CCCD: CCCD12|CMND9|name|birth|gender|address|issued (either number may be empty).
        for value in parts[:2]:
            add(_id_number(value))
    return Resolution(tuple(found), (AS_SCAN,) if found else ())


def candidate_identities(text: str) -> Resolution:
    """What `text` (an ID number, a phone number, a BHYT card number, a QID, or the full text
    of a scanned code) may identify. A typed number is ambiguous (ten digits may be a phone or
    a social-insurance number): every reading is returned, which is harmless, since a key that
    matches nothing finds nothing. HC1: certificates and venue codes give none."""
    text = text.strip()
    if not text or text[:4].upper() == "HC1:" or "://" in text:
        return Resolution((), ())
    if "|" in text:
        return _scanned(text)
    compact = _SEPARATORS.sub("", text)
    upper = compact.upper()
    found: list[Identity] = []
    understood: list[str] = []

    def add(identity: Identity | None, meaning: str) -> None:
        if identity is not None and identity not in found:
            found.append(identity)
            if meaning not in understood:
                understood.append(meaning)

    plus = upper.startswith("+")
    digits = upper.lstrip("+")
    if _DIGITS.match(digits):
        if not plus and len(digits) == 12:
            add(Identity(ID, digits), AS_CCCD)
        if not plus and len(digits) == 9:
            add(Identity(ID, digits), AS_CMND)
        if (
            plus
            or (digits.startswith("0") and len(digits) in (10, 11))
            or (digits.startswith("84") and len(digits) == 11)
        ):
            for identity in phone_identities(digits):
                add(identity, AS_PHONE)
        if not plus and len(digits) == 10:
            add(Identity(BHYT, digits), AS_BHYT)
        if not plus and len(digits) >= 13 and _QID.match(digits):
            add(Identity(QID, digits), AS_QID)
    elif _BHYT_CARD.match(upper):
        add(_bhyt(upper), AS_BHYT)
    elif _PASSPORT.match(upper):
        add(Identity(ID, upper), AS_PASSPORT)
    if not found and _QID.match(compact):
        add(Identity(QID, compact), AS_QID)
    return Resolution(tuple(found), tuple(understood))


def identities_in_fields(fields: dict[str, object], scanned_text: str | None) -> list[Identity]:
    """Every identity a record's opened personal data shows (kiosk.credentials.Fields names:
    id_number, old_id_number, qid, bhyt_number, phone), and those of its scanned text."""
    found: list[Identity] = []

    def add(identity: Identity | None) -> None:
        if identity is not None and identity not in found:
            found.append(identity)

    for name in ("id_number", "old_id_number"):
        value = fields.get(name)
        if isinstance(value, str):
            add(_id_number(value))
    qid = fields.get("qid")
    if isinstance(qid, str) and "*" not in qid and _QID.match(qid):
        add(Identity(QID, qid))
    bhyt = fields.get("bhyt_number")
    if isinstance(bhyt, str) and _BHYT_CARD.match(bhyt.upper()):
        add(_bhyt(bhyt))
    phone = fields.get("phone")
    if isinstance(phone, str) and "*" not in phone:
        for identity in phone_identities(phone):
            add(identity)
    if scanned_text and "|" in scanned_text:
        for identity in _scanned(scanned_text).identities:
            add(identity)
    return found


__all__ = [
    "AS_BHYT",
    "AS_CCCD",
    "AS_CMND",
    "AS_PASSPORT",
    "AS_PHONE",
    "AS_QID",
    "AS_SCAN",
    "BHYT",
    "ID",
    "MANUAL",
    "QID",
    "Identity",
    "Resolution",
    "candidate_identities",
    "derive_person_key",
    "identities_in_fields",
    "phone_identities",
]
