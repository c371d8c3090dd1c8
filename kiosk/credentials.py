"""What a scanned text is: the typed credential every other part of the kiosk works with.

A `Credential` is produced by `kiosk.formats.parse` and never by hand elsewhere (except the
`manual` kind, which the screen builds from what the guard typed). It is a frozen value: it
crosses threads (scanner -> gate -> screen) without copying or locking.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# Kind is declared with the wire format; the kiosk's modules take it from here.
from checkpoint_common.kinds import Kind as Kind
from checkpoint_common.personkey import derive_person_key


class Signature(StrEnum):
    """Outcome of checking a signature: an EU DCC's COSE signature against the local trust
    list, or a health declaration's in a personal QR code against the declaration keys
    (checkpoint_common.declaration.SignatureStatus, the same values)."""

    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_KEY = "unknown_key"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True, slots=True)
class Fields:
    """Every field any kind can carry; a field a kind does not have is None.

    Dates are ISO strings (`YYYY-MM-DD`); a masked part stays `*` (`1990-**-**`).
    `expires_at` is an ISO 8601 UTC timestamp. Names keep their diacritics exactly (NFC).
    """

    id_number: str | None = None
    old_id_number: str | None = None
    full_name: str | None = None
    birth_date: str | None = None
    gender: str | None = None  # "male" | "female" | "unknown"
    address: str | None = None
    issue_date: str | None = None
    qid: str | None = None
    proxy: bool | None = None
    proxy_qid: str | None = None
    bhyt_number: str | None = None
    phone: str | None = None
    card_number: str | None = None
    clinic_code: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    # EU DCC
    family_name: str | None = None
    given_name: str | None = None
    certificate_id: str | None = None
    certificate_type: str | None = None  # "vaccination" | "test" | "recovery"
    issuer_country: str | None = None
    issued_at: str | None = None
    expires_at: str | None = None
    signature: Signature | None = None
    key_id: str | None = None  # hex of the DCC's kid, for the "unknown key" message
    # A health declaration in a personal QR code (checkpoint_common.declaration): when it was
    # made and until when it counts (ISO 8601 UTC), and "healthy" or what was declared
    # ("symptoms", "contact", "travel", joined by "+"). `signature` says whether to believe it.
    declared_at: str | None = None
    declaration_valid_until: str | None = None
    declaration_summary: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.value if isinstance(value, StrEnum) else value
        return out


@dataclass(frozen=True, slots=True)
class Identity:
    """The identifier a person key is derived from, before hashing.

    scheme: "id" (a full, unmasked ID document number), "qid" (national QR platform id),
    "bhyt" (the 10-digit social-insurance number inside a BHYT card number), "dcc" (DCC
    standardised name + birth date), "manual" (what the guard typed), "raw" (a text that names
    no person: venue and unknown codes, so that repeats are still recognised).
    """

    scheme: str
    value: str


@dataclass(frozen=True, slots=True)
class Credential:
    """A parsed scan. `raw` is the normalised text exactly as read (kept for the record)."""

    kind: Kind
    raw: str
    fields: Fields
    problems: tuple[str, ...]
    person_key: str | None
    display_name: str | None

    @property
    def birth_year(self) -> int | None:
        date = self.fields.birth_date
        if date and len(date) >= 4 and date[:4].isdigit():
            return int(date[:4])
        return None

    def to_json(self) -> dict[str, Any]:
        """The `kiosk parse` output contract."""
        return {
            "kind": self.kind.value,
            "person_key": self.person_key,
            "display_name": self.display_name,
            "fields": self.fields.to_json(),
            "problems": list(self.problems),
        }


class PersonKeyer:
    """Turns an `Identity` into a person key: `scheme:` + 24 hex of HMAC-SHA256.

    Keyed so that a leaked database or status list does not reveal ID numbers by brute force
    (a 12-digit CCCD number has far less than 40 bits of entropy). The secret is per deployment:
    every kiosk that must recognise the same person (and the central server's status list) uses
    the same one; until enrollment distributes it, each kiosk makes its own (`kiosk.config`).
    """

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("person key secret must be at least 16 bytes")
        self._secret = secret

    def key(self, identity: Identity) -> str:
        # One derivation for the kiosk and the server (which derives the same key from what a
        # health officer types): checkpoint_common.personkey.
        return derive_person_key(self._secret, identity.scheme, identity.value)
