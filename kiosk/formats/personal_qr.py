"""Unified personal QR, Decision 1405/QĐ-BTTTT (../shared/FORMATS.md section 1).

    SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT
    EXT = proxy QID < gender < BHYT number < phone [< reserved ...]

Apps mask the ID number (`******012345`), the birth day and month (`1990-**-**`) and parts of
EXT by default, and some drop EXT's leading `<` when the proxy QID is empty. The identity is,
in order: the ID number when fully shown and plausible, the QID when shown, the BHYT number
(its 10-digit social-insurance part, as for a BHYT card) when shown. A code that shows none of
them identifies nobody and comes back as UNKNOWN (`looks_like_personal_qr`).

A code issued by the central server's health declaration (checkpoint_common.declaration) has
EXT's fifth value, the signature slot, filled: its signature is checked against the declaration
keys the kiosk accepted (`fields.signature` valid / invalid / unknown_key / not_checked), and
`declared_at`, `declaration_valid_until` and `declaration_summary` say what it declares. A code
without a slot (every national app's) has `signature` null and is read as before.
"""

from __future__ import annotations

import re

from checkpoint_common.declaration import DeclarationKeys
from checkpoint_common.timefmt import to_iso
from kiosk.credentials import Fields, Identity, Kind, Signature
from kiosk.formats.bhyt import bhyt_identity
from kiosk.formats.common import Parsed, clean_text, iso_date, mask_name, split_fields

__all__ = ["parse_personal_qr"]

# ASCII only throughout: `\d` would also take other scripts' digits.
# The birth date's shape is this kind's signature: CCCD and BHYT write dates day first.
_YMD_SHAPE = re.compile(r"^[0-9*]{4}-[0-9*]{1,2}-[0-9*]{1,2}$")
_QID = re.compile(r"^[0-9A-Za-z]{6,64}$")
_QID_SHAPE = re.compile(r"^[0-9A-Za-z*]{6,64}$")
# Recognising the kind by its QID alone needs more than "alphanumeric": a BHYT card's hex
# address would pass. The QID is a number in every sample seen.
_QID_DIGITS = re.compile(r"^[0-9*]{6,64}$")
# A BHYT card number, masked or not: no ID document number looks like it.
_CARD_SHAPE = re.compile(r"^[A-Z]{2}[0-9*]{13}$")
_ID_NUMBER = re.compile(r"^(?:[0-9]{9}|[0-9]{12})$")
# A passport number: letters and digits with at least one letter (all-digit ones are taken as
# CMND/CCCD above; Vietnamese passports are one letter and seven digits).
_PASSPORT = re.compile(r"^(?=[0-9]*[A-Z])[A-Z0-9]{6,12}$")
_BHYT_SHAPE = re.compile(r"^[A-Z]{2}[0-9*]{1,13}$")
_PHONE = re.compile(r"^\+?[0-9*]{8,15}$")
_GENDERS = {"0": "unknown", "1": "male", "2": "female"}
_EXPECTED_FIELDS = 6


def _looks_like_personal_qr(parts: list[str]) -> bool:
    """The shape alone: a `YYYY-MM-DD` birth date in field 2, or (when the date is missing or
    written otherwise) a declaration type and a QID in fields 3 and 4.

    A BHYT card (field 0 a card number, which no ID document number looks like) is left alone
    even so: its birth date format varies and its field 3 is a gender digit.
    """
    if len(parts) < 3 or _CARD_SHAPE.match(parts[0].upper()):
        return False
    if _YMD_SHAPE.match(parts[2]):
        return True
    return len(parts) >= 5 and parts[3] in ("0", "1") and bool(_QID_DIGITS.match(parts[4]))


def _id_identity(id_number: str, problems: list[str]) -> Identity | None:
    if not id_number:
        problems.append("missing_id")
        return None
    if "*" in id_number:
        problems.append("masked_id")
        return None
    number = id_number.upper()
    if _ID_NUMBER.match(number) or _PASSPORT.match(number):
        return Identity("id", number)
    problems.append("bad_id_number")
    return None


def _split_ext(ext: str) -> list[str]:
    """EXT's values as [proxy QID, gender, BHYT, phone, ...], restoring an omitted leading `<`.

    A proxy QID is a long number and a gender a single 0/1/2, so a first value that is a gender
    code means the empty proxy field (and its `<`) was left out: `1<GD4877*******<0943******`.
    """
    if not ext:
        return []
    values = [v.strip() for v in ext.split("<")]
    if values[0] in _GENDERS:
        values.insert(0, "")
    return values


def _parse_ext(ext: str, proxy: bool | None, problems: list[str]) -> dict[str, str | None]:
    values = _split_ext(ext)
    values += [""] * (4 - len(values))
    proxy_qid, gender_code, bhyt, phone = values[:4]
    out: dict[str, str | None] = {
        "proxy_qid": proxy_qid or None,
        "gender": None,
        "bhyt_number": None,
        "phone": phone or None,
    }
    if proxy_qid and not _QID_SHAPE.match(proxy_qid):
        problems.append("bad_proxy_qid")
        out["proxy_qid"] = None
    if proxy and not proxy_qid:
        problems.append("missing_proxy_qid")
    if gender_code:
        out["gender"] = _GENDERS.get(gender_code)
        if out["gender"] is None:
            problems.append("bad_gender")
    if bhyt:
        bhyt = bhyt.upper()
        if _BHYT_SHAPE.match(bhyt):
            out["bhyt_number"] = bhyt
        else:
            problems.append("bad_bhyt_number")
    if phone and not _PHONE.match(phone):
        problems.append("bad_phone")
        out["phone"] = None
    return out


_NO_KEYS = DeclarationKeys()


def parse_personal_qr(text: str, declarations: DeclarationKeys | None = None) -> Parsed | None:
    """Parse a personal QR; None unless the text has its shape (see `_looks_like_personal_qr`).
    `declarations`: the declaration keys to check a signed code against (None: none known,
    a signed code is `not_checked`)."""
    parts = split_fields(text)
    if not _looks_like_personal_qr(parts):
        return None
    problems: list[str] = []
    if len(parts) < _EXPECTED_FIELDS:
        problems.append("truncated")
    elif len(parts) > _EXPECTED_FIELDS:
        problems.append("extra_fields")
    parts += [""] * (_EXPECTED_FIELDS - len(parts))
    id_number, name, birth, declaration, qid, ext = parts[:_EXPECTED_FIELDS]

    id_identity = _id_identity(id_number, problems)

    full_name = clean_text(name, problems)
    if not full_name:
        problems.append("missing_name")

    birth_date = iso_date(birth, order="ymd") if birth.isascii() else None
    if not birth:
        problems.append("missing_birth_date")
    elif birth_date is None:
        problems.append("bad_birth_date")
    elif "*" in birth_date:
        problems.append("masked_birth_date")

    proxy = {"0": False, "1": True}.get(declaration)
    if proxy is None and declaration:
        problems.append("bad_declaration_type")
    elif proxy is None:
        problems.append("missing_declaration_type")

    qid_identity = None
    if not qid:
        problems.append("missing_qid")
    elif "*" in qid:
        problems.append("masked_qid")
    elif _QID.match(qid):
        qid_identity = Identity("qid", qid)
    else:
        problems.append("bad_qid")

    ext_fields = _parse_ext(ext, proxy, problems)
    check = (declarations or _NO_KEYS).check(text)
    if check is not None and check.status.value == Signature.INVALID.value:
        problems.append("declaration_signature_invalid")
    bhyt_number = ext_fields["bhyt_number"]
    identity = id_identity or qid_identity or (bhyt_identity(bhyt_number) if bhyt_number else None)
    fields = Fields(
        id_number=clean_text(id_number, problems),
        full_name=full_name,
        birth_date=birth_date,
        proxy=proxy,
        qid=clean_text(qid, problems),
        proxy_qid=ext_fields["proxy_qid"],
        gender=ext_fields["gender"],
        bhyt_number=bhyt_number,
        phone=ext_fields["phone"],
        signature=Signature(check.status.value) if check else None,
        declared_at=to_iso(check.declared_at) if check and check.declared_at else None,
        declaration_valid_until=to_iso(check.valid_until) if check and check.valid_until else None,
        declaration_summary=check.summary_name if check else None,
    )
    found = tuple(dict.fromkeys(problems))
    if identity is None:
        return Parsed(Kind.UNKNOWN, fields=fields, problems=("looks_like_personal_qr", *found))
    return Parsed(
        Kind.PERSONAL_QR,
        fields=fields,
        problems=found,
        identity=identity,
        display_name=mask_name(full_name),
    )
