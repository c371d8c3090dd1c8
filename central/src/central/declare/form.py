"""A health declaration as the citizen gives it: the fields, their checks, and the code it makes.

One validation for the `/declare` page and `POST /api/v1/declarations` (docs/declarations.md):
`check(data)` takes the JSON object the API receives (the page builds the same object from its
form) and returns a `Declaration`, or raises `Invalid` with one `Problem` per wrong field: the
field's name as the API names it (`id_number`, `address.province`, `answers.fever`,
`proxy_for.birth_date`) and a message code that texts.py words in Vietnamese and English.

Who is who: the top-level fields are the person filling the form. When they declare for
someone else ("khai hộ": a parent, a neighbour without a phone), `proxy_for` holds that
person's details, the answers are that person's, and the code is theirs: LoaiDinhDanh `1` and
the declarer's QID as EXT's proxy QID. The phone in a proxy code is the person's own, else
the declarer's (someone to call).

Thread contract: pure functions; safe from any thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checkpoint_common.declaration import QUESTIONS, ascii_upper_name, summary_bits

MAX_TEXT = 120
MAX_NAME_IN_CODE = 45  # the longest name that keeps the code within version 10-M
GENDERS = {"male": "1", "female": "2"}
_ID_DIGITS = re.compile(r"^(?:[0-9]{9}|[0-9]{12})$")
# A Vietnamese passport is one letter and seven digits; others have letters and digits.
_PASSPORT = re.compile(r"^(?=[0-9]*[A-Z])[A-Z0-9]{7,12}$")
_NAME_IN_CODE = re.compile(r"^[A-Z][A-Z' .-]*$")
# Vietnamese mobile numbers: 10 digits, 03/05/07/08/09 (the 2018 numbering), or +84 and 9.
_PHONE = re.compile(r"^0[35789][0-9]{8}$")
_BHYT = re.compile(r"^[A-Z]{2}[0-9]{13}$")
ADDRESS_PARTS = ("province", "district", "commune", "detail")
_REQUIRED_ADDRESS = ("province", "district", "commune")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str  # texts.py words it: "required", "id_length", "future", ...


class Invalid(ValueError):
    """The declaration has wrong or missing fields (each one in `problems`)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str  # as typed (diacritics kept), single spaces
    code_name: str  # upper case without diacritics, as the code writes it
    id_number: str
    birth_date: dt.date
    gender: str  # "male" | "female"
    phone: str  # 0xxxxxxxxx, or "" (a proxy's person may have none)
    address: dict[str, str] = field(default_factory=dict)
    bhyt_number: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name,
            "id_number": self.id_number,
            "birth_date": self.birth_date.isoformat(),
            "gender": self.gender,
            "phone": self.phone,
            "address": self.address,
            "bhyt_number": self.bhyt_number,
        }


@dataclass(frozen=True, slots=True)
class Declaration:
    declarer: Person
    subject: Person  # whom the code is for: the declarer, or `proxy_for`
    answers: dict[str, bool]

    @property
    def proxy(self) -> bool:
        return self.subject is not self.declarer

    @property
    def summary(self) -> int:
        return summary_bits(self.answers)


def _text(data: Mapping[str, Any], name: str, prefix: str, problems: list[Problem]) -> str:
    value = data.get(name)
    where = prefix + name
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(where, "required"))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(where, "not_text"))
        return ""
    if len(value) > MAX_TEXT or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        problems.append(Problem(where, "too_long"))
        return ""
    return " ".join(value.split())


def _optional(data: Mapping[str, Any], name: str, prefix: str, problems: list[Problem]) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return _text(data, name, prefix, problems)


def normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s.()-]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _person(
    data: Mapping[str, Any], prefix: str, today: dt.date, problems: list[Problem], *, own: bool
) -> Person | None:
    before = len(problems)
    full_name = _text(data, "full_name", prefix, problems)
    code_name = ascii_upper_name(full_name) if full_name else ""
    if full_name:
        if not code_name.isascii() or not _NAME_IN_CODE.match(code_name):
            problems.append(Problem(prefix + "full_name", "name_letters"))
        elif len(code_name) > MAX_NAME_IN_CODE:
            problems.append(Problem(prefix + "full_name", "name_long"))
    id_number = _text(data, "id_number", prefix, problems).replace(" ", "").upper()
    if id_number and not (_ID_DIGITS.match(id_number) or _PASSPORT.match(id_number)):
        problems.append(Problem(prefix + "id_number", "id_length"))
    birth_text = _text(data, "birth_date", prefix, problems)
    birth = None
    if birth_text:
        try:
            birth = dt.date.fromisoformat(birth_text) if len(birth_text) == 10 else None
        except ValueError:
            birth = None
        if birth is None:
            problems.append(Problem(prefix + "birth_date", "date_format"))
        elif birth > today:
            problems.append(Problem(prefix + "birth_date", "future"))
        elif birth.year < 1900:
            problems.append(Problem(prefix + "birth_date", "too_old"))
    gender = data.get("gender")
    if gender in (None, ""):
        problems.append(Problem(prefix + "gender", "required"))
    elif not isinstance(gender, str) or gender not in GENDERS:
        problems.append(Problem(prefix + "gender", "gender"))
    phone_text = (_text if own else _optional)(data, "phone", prefix, problems)
    phone = normalise_phone(phone_text) if phone_text else ""
    if phone and not _PHONE.match(phone):
        problems.append(Problem(prefix + "phone", "phone_vn"))
    address = _address(data.get("address"), prefix + "address", problems, required=own)
    bhyt = _optional(data, "bhyt_number", prefix, problems).replace(" ", "").upper()
    if bhyt and not _BHYT.match(bhyt):
        problems.append(Problem(prefix + "bhyt_number", "bhyt"))
    if len(problems) > before or birth is None:
        return None
    return Person(full_name, code_name, id_number, birth, str(gender), phone, address, bhyt)


def _address(value: Any, where: str, problems: list[Problem], *, required: bool) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        problems.append(Problem(where + ".province", "required" if value is None else "not_text"))
        return {}
    out: dict[str, str] = {}
    for part in ADDRESS_PARTS:
        if part in _REQUIRED_ADDRESS and required:
            text = _text(value, part, where + ".", problems)
        else:
            text = _optional(value, part, where + ".", problems)
        if text:
            out[part] = text
    return out


def check(data: Any, today: dt.date) -> Declaration:
    """The declaration in `data` (the API's JSON object), or Invalid naming every wrong field.
    `today`: the local date (a birth date after it is refused)."""
    if not isinstance(data, Mapping):
        raise Invalid([Problem("body", "not_object")])
    problems: list[Problem] = []
    declarer = _person(data, "", today, problems, own=True)
    subject = declarer
    proxy = data.get("proxy_for")
    if proxy is not None:
        if not isinstance(proxy, Mapping):
            problems.append(Problem("proxy_for", "not_object"))
        else:
            subject = _person(proxy, "proxy_for.", today, problems, own=False)
    answers_raw = data.get("answers")
    answers: dict[str, bool] = {}
    if not isinstance(answers_raw, Mapping):
        problems.append(Problem("answers", "required" if answers_raw is None else "not_object"))
    else:
        for question in QUESTIONS:
            value = answers_raw.get(question.id)
            if not isinstance(value, bool):
                problems.append(Problem(f"answers.{question.id}", "yes_or_no"))
            else:
                answers[question.id] = value
        unknown = sorted(set(answers_raw) - {q.id for q in QUESTIONS})
        if unknown:
            problems.append(Problem(f"answers.{str(unknown[0])[:40]}", "unknown_question"))
    if (
        declarer is not None
        and subject is not None
        and subject is not declarer
        and subject.id_number == declarer.id_number
    ):
        problems.append(Problem("proxy_for.id_number", "proxy_self"))
    if problems or declarer is None or subject is None:
        raise Invalid(problems)
    return Declaration(declarer, subject, answers)


def qid_of(secret: bytes, id_number: str) -> str:
    """The 18-digit QID the server issues for an ID number: the same person always gets the
    same one (as on the national platform), and it reveals nothing without the secret."""
    digest = hmac.new(secret, b"declaration qid\x00" + id_number.encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:16], "big") % (9 * 10**17)
    return str(10**17 + number)


def code_head(declaration: Declaration, secret: bytes) -> str:
    """The 1405 text up to the signature slot (ending with EXT's last `<`)."""
    subject = declaration.subject
    proxy_qid = qid_of(secret, declaration.declarer.id_number) if declaration.proxy else ""
    phone = subject.phone or (declaration.declarer.phone if declaration.proxy else "")
    ext = "<".join((proxy_qid, GENDERS[subject.gender], subject.bhyt_number, phone, ""))
    return "|".join(
        (
            subject.id_number,
            subject.code_name,
            subject.birth_date.isoformat(),
            "1" if declaration.proxy else "0",
            qid_of(secret, subject.id_number),
            ext,
        )
    )


__all__ = [
    "GENDERS",
    "MAX_NAME_IN_CODE",
    "Declaration",
    "Invalid",
    "Person",
    "Problem",
    "check",
    "code_head",
    "normalise_phone",
    "qid_of",
]
