"""Citizens' health declarations in a personal QR code, signed so that a kiosk checks them offline.

The central server's `/declare` page and `POST /api/v1/declarations` answer with a code in the
unified personal QR layout (Decision 1405/QĐ-BTTTT, ../shared/FORMATS.md §1):

    SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|proxyQID<gender<BHYT<phone<SLOT

and fill EXT's reserved fifth value, the signature slot, with digits only (so that the slot is
one QR *numeric* segment: 3.3 bits a digit, against 8 for base64 in byte mode; the whole code
stays within version 10 at level M, docs/benchmarks.md):

    1           format version
    DDDDDDDD    declared at: minutes since 2020-01-01T00:00Z (8 digits)
    HHH         valid for this many hours after that (1 .. MAX_VALID_HOURS)
    S           summary of the answers: a bit each, 1 symptoms, 2 contact with a case, 4 travel
    KKKK        key tag: which declaration key signed (4 digits of the key's SHA-256)
    G * 155     the Ed25519 signature as a 155-digit decimal number (big-endian, zero-padded)

The signature is over DECLARATION_CONTEXT and the code's exact text up to the signature digits:
every field of the payload, the time, the validity and the summary. A reader that knows nothing
of it reads a valid 1405 code (parsers take EXT's first four values and ignore the rest).

The signing key is an *online* key of the health authority that the offline root delegated the
type `declaration` to (checkpoint_common.signing: a root-signed `delegation` document). The code
cannot carry that delegation, so a kiosk learns it beforehand (its sync, or a file brought on
a USB stick) and keeps it: `DeclarationKeys.from_delegations` checks each delegation against
the pinned root key, and `DeclarationKeys.check` verifies a code against what it accepted.

Thread contract: immutable values and pure functions; safe from any thread.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from checkpoint_common.signing import (
    Delegation,
    DocType,
    Refusal,
    SignedDocumentError,
    SigningKey,
    VerifyKey,
    verify_document,
)

__all__ = [
    "DECLARATION_CONTEXT",
    "DEFAULT_VALID_HOURS",
    "MAX_VALID_HOURS",
    "QUESTIONS",
    "SLOT_DIGITS",
    "DeclarationCheck",
    "DeclarationKeys",
    "Question",
    "SignatureStatus",
    "Slot",
    "ascii_upper_name",
    "key_tag",
    "read_slot",
    "sign_payload",
    "summary_bits",
    "summary_name",
]

DECLARATION_CONTEXT = b"checkpoint-kiosk declaration v1\x00"
SLOT_VERSION = "1"
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
DEFAULT_VALID_HOURS = 24
MAX_VALID_HOURS = 168  # a week: a kiosk refuses a code that claims longer
_TIME_DIGITS = 8
_HOURS_DIGITS = 3
_TAG_DIGITS = 4
_SIGNATURE_DIGITS = 155  # 2**512 has 155 decimal digits
_META_DIGITS = 1 + _TIME_DIGITS + _HOURS_DIGITS + 1 + _TAG_DIGITS
SLOT_DIGITS = _META_DIGITS + _SIGNATURE_DIGITS

SYMPTOMS = 1
CONTACT = 2
TRAVEL = 4


@dataclass(frozen=True, slots=True)
class Question:
    """One health question: a stable id (the API's `answers` keys), Vietnamese and English
    text, and which summary bit a "yes" sets."""

    id: str
    vi: str
    en: str
    bit: int

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "vi": self.vi, "en": self.en}


# The national form's questions (tokhaiyte.vn), worded as ../shared/GLOSSARY.md does.
QUESTIONS: tuple[Question, ...] = (
    Question("fever", "Sốt", "Fever", SYMPTOMS),
    Question("cough", "Ho", "Cough", SYMPTOMS),
    Question("short_of_breath", "Khó thở", "Shortness of breath", SYMPTOMS),
    Question("sore_throat", "Đau họng", "Sore throat", SYMPTOMS),
    Question(
        "lost_taste_or_smell", "Mất vị giác hoặc khứu giác", "Loss of taste or smell", SYMPTOMS
    ),
    Question(
        "contact_with_case",
        "Tiếp xúc với người mắc (F0) hoặc nghi mắc trong 14 ngày qua",
        "Contact with a confirmed or suspected case (F0) in the last 14 days",
        CONTACT,
    ),
    Question(
        "travel",
        "Đi về từ vùng có dịch trong 14 ngày qua",
        "Travel from an epidemic zone in the last 14 days",
        TRAVEL,
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def summary_bits(answers: Mapping[str, bool]) -> int:
    """The summary digit of a complete set of answers (question id -> yes)."""
    bits = 0
    for question in QUESTIONS:
        if answers[question.id]:
            bits |= question.bit
    return bits


def summary_name(bits: int) -> str:
    """`healthy`, or what was declared joined by `+`: `symptoms`, `contact`, `travel`."""
    words = ((SYMPTOMS, "symptoms"), (CONTACT, "contact"), (TRAVEL, "travel"))
    names = [name for bit, name in words if bits & bit]
    return "+".join(names) if names else "healthy"


def ascii_upper_name(name: str) -> str:
    """A name as the 1405 code writes it: upper case, no diacritics, single spaces
    ("Nguyễn Thị Đào" -> "NGUYEN THI DAO"). Characters that do not reduce to ASCII stay as they
    are (the caller refuses such a name)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.upper().split())


@functools.lru_cache(maxsize=16)
def key_tag(key: VerifyKey) -> str:
    """Four digits naming a declaration key inside a code (a kiosk tries every key with it)."""
    number = int.from_bytes(hashlib.sha256(key.raw).digest()[:4], "big")
    return f"{number % 10**_TAG_DIGITS:0{_TAG_DIGITS}d}"


@functools.lru_cache(maxsize=16)
def _signer_tag(key: SigningKey) -> str:
    # Deriving the public half is an Ed25519 scalar multiplication: once per key, not per code.
    return key_tag(key.public)


def _minutes(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times are always timezone-aware")
    return int((moment - EPOCH).total_seconds() // 60)


def sign_payload(
    head: str, key: SigningKey, *, declared_at: dt.datetime, valid_hours: int, summary: int
) -> str:
    """The full code: `head` (the 1405 text up to and including the `<` before the slot) with
    the signed slot appended. Raises ValueError for values the slot cannot hold (a bug)."""
    if not head.endswith("<") or not head.isascii() or "\n" in head:
        raise ValueError("the head is ASCII and ends with EXT's last '<'")
    if not 1 <= valid_hours <= MAX_VALID_HOURS or not 0 <= summary <= 7:
        raise ValueError("validity 1..MAX_VALID_HOURS hours, summary 0..7")
    minutes = _minutes(declared_at)
    if not 0 <= minutes < 10**_TIME_DIGITS:
        raise ValueError("declared_at is out of the slot's range")
    meta = (
        f"{SLOT_VERSION}{minutes:0{_TIME_DIGITS}d}{valid_hours:0{_HOURS_DIGITS}d}"
        f"{summary}{_signer_tag(key)}"
    )
    signed = head + meta
    signature = key.sign(DECLARATION_CONTEXT + signed.encode("ascii"))
    return signed + f"{int.from_bytes(signature, 'big'):0{_SIGNATURE_DIGITS}d}"


@dataclass(frozen=True, slots=True)
class Slot:
    """What a code's signature slot says (not yet verified)."""

    declared_at: dt.datetime
    valid_until: dt.datetime
    summary: int
    tag: str
    signature: bytes
    signed: bytes  # DECLARATION_CONTEXT + the text the signature covers


def read_slot(text: str) -> Slot | str | None:
    """The slot of a personal QR text: a Slot; None when EXT's fifth value is empty or is not
    this format's (not a long run of digits: another issuer's use of the reserved value is
    ignored, as every 1405 reader does); a problem code (`declaration_malformed`) for digits
    that are not a valid slot (a damaged or altered one)."""
    fields = text.split("|")
    if len(fields) != 6:
        return None
    values = fields[5].split("<")
    slot = values[-1] if len(values) >= 5 else ""
    if not slot:
        return None
    if not slot.isascii() or not slot.isdigit() or len(slot) < _META_DIGITS + 64:
        return None
    bad = "declaration_malformed"
    if len(slot) != SLOT_DIGITS or slot[0] != SLOT_VERSION:
        return bad
    at = 1
    minutes = int(slot[at : at + _TIME_DIGITS])
    at += _TIME_DIGITS
    hours = int(slot[at : at + _HOURS_DIGITS])
    at += _HOURS_DIGITS
    summary = int(slot[at])
    at += 1
    tag = slot[at : at + _TAG_DIGITS]
    number = int(slot[_META_DIGITS:])
    if not 1 <= hours <= MAX_VALID_HOURS or summary > 7 or number >= 2**512:
        return bad
    declared_at = EPOCH + dt.timedelta(minutes=minutes)
    signed = text[: len(text) - _SIGNATURE_DIGITS]
    return Slot(
        declared_at,
        declared_at + dt.timedelta(hours=hours),
        summary,
        tag,
        number.to_bytes(64, "big"),
        DECLARATION_CONTEXT + signed.encode("ascii", "replace"),
    )


class SignatureStatus(StrEnum):
    """The outcome of checking a declaration's signature (the values of `kiosk parse`'s
    `fields.signature`, as for a vaccine certificate)."""

    VALID = "valid"
    INVALID = "invalid"  # forged or damaged: a changed character
    UNKNOWN_KEY = "unknown_key"  # signed by a key this kiosk has not accepted (yet)
    NOT_CHECKED = "not_checked"  # this kiosk knows no declaration key at all


@dataclass(frozen=True, slots=True)
class DeclarationCheck:
    """A signed code's slot and the verdict on its signature."""

    status: SignatureStatus
    declared_at: dt.datetime | None
    valid_until: dt.datetime | None
    summary: int | None

    @property
    def summary_name(self) -> str | None:
        return summary_name(self.summary) if self.summary is not None else None


@dataclass(frozen=True, slots=True)
class DeclarationKey:
    key: VerifyKey
    tag: str
    delegation: Delegation


def verify_delegation(
    data: bytes | Mapping[str, Any], *, root: VerifyKey, audience: str, now: dt.datetime
) -> Delegation:
    """A root-signed delegation that allows an online key to sign declarations. Raises
    SignedDocumentError (document_type_not_allowed when it does not allow `declaration`)."""
    verified = verify_document(
        data,
        root=root,
        expected_type=DocType.DELEGATION,
        audience=audience,
        last_version=None,
        now=now,
    )
    if verified.delegation is not None:  # defensive: verify_document says the root signed
        raise SignedDocumentError(Refusal.DELEGATION_INVALID, "a delegation signed by the root")
    delegation = Delegation.of(verified.document)
    if DocType.DECLARATION not in delegation.types:
        raise SignedDocumentError(
            Refusal.TYPE_NOT_ALLOWED, "this delegation does not allow signing declarations"
        )
    return delegation


@dataclass(frozen=True, slots=True)
class DeclarationKeys:
    """The declaration keys a kiosk accepted, each with its root-signed delegation."""

    keys: tuple[DeclarationKey, ...] = ()

    @classmethod
    def from_delegations(
        cls,
        envelopes: Iterable[bytes | Mapping[str, Any]],
        *,
        root: VerifyKey,
        audience: str,
        now: dt.datetime,
    ) -> tuple[DeclarationKeys, list[str]]:
        """Keep the delegations that verify against `root`; also return why each other one
        was refused (messages, for logs and the command line)."""
        kept: dict[bytes, DeclarationKey] = {}
        refused: list[str] = []
        for data in envelopes:
            try:
                delegation = verify_delegation(data, root=root, audience=audience, now=now)
            except SignedDocumentError as exc:
                refused.append(str(exc))
                continue
            old = kept.get(delegation.key.raw)
            if old is None or old.delegation.version < delegation.version:
                kept[delegation.key.raw] = DeclarationKey(
                    delegation.key, key_tag(delegation.key), delegation
                )
        return cls(tuple(kept.values())), refused

    def __bool__(self) -> bool:
        return bool(self.keys)

    def check(self, text: str) -> DeclarationCheck | None:
        """Verify the code `text` (normalised, as scanned). None for a code without a slot."""
        slot = read_slot(text)
        if slot is None:
            return None
        if isinstance(slot, str):
            return DeclarationCheck(SignatureStatus.INVALID, None, None, None)
        if not self.keys:
            return DeclarationCheck(
                SignatureStatus.NOT_CHECKED, slot.declared_at, slot.valid_until, slot.summary
            )
        tagged = [k for k in self.keys if k.tag == slot.tag]
        for candidate in tagged:
            if candidate.key.verify(slot.signature, slot.signed):
                delegation = candidate.delegation
                # The key signs declarations only while delegated: one made outside that window
                # (a stolen key used after its delegation ended) is not accepted.
                if not delegation.issued_at - _SKEW <= slot.declared_at <= delegation.not_after:
                    return DeclarationCheck(SignatureStatus.INVALID, None, None, None)
                return DeclarationCheck(
                    SignatureStatus.VALID, slot.declared_at, slot.valid_until, slot.summary
                )
        if not tagged:
            return DeclarationCheck(
                SignatureStatus.UNKNOWN_KEY, slot.declared_at, slot.valid_until, slot.summary
            )
        return DeclarationCheck(SignatureStatus.INVALID, None, None, None)


# The slot counts whole minutes: a declaration in the delegation's first minute may read as
# a little before its issue time.
_SKEW = dt.timedelta(minutes=1)
