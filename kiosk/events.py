"""The vocabulary of the gate log: directions, verdicts, reasons, and the event record itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from checkpoint_common.seal import PersonalData
from kiosk.clock import to_iso


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class Verdict(StrEnum):
    ADMIT = "admit"  # green: come in / exit recorded
    REFER = "refer"  # amber: please see the medical staff
    DENY = "deny"  # red: not allowed in (or not a personal code)
    DUPLICATE = "duplicate"  # neutral: already recorded a moment ago; nothing new is written


class Reason(StrEnum):
    """Why a verdict was given. The screen maps each to words (kiosk.ui); the core never does."""

    ENTRY = "entry"
    EXIT = "exit"
    DUPLICATE = "duplicate"
    CAPACITY_FULL = "capacity_full"
    STATUS_RED = "status_red"
    STATUS_YELLOW = "status_yellow"
    KIND_NOT_ACCEPTED = "kind_not_accepted"
    VENUE_CODE = "venue_code"
    UNKNOWN_CODE = "unknown_code"
    DCC_SIGNATURE_INVALID = "dcc_signature_invalid"
    DCC_NOT_VERIFIED = "dcc_not_verified"
    DCC_EXPIRED = "dcc_expired"
    DCC_NO_EXPIRY = "dcc_no_expiry"  # the certificate states no expiry: see the medical staff
    AUTO_CHECKOUT = "auto_checkout"
    DECLARATION = "declaration"  # the health declaration has a "yes": see the medical staff
    # A health declaration in a personal QR code (checkpoint_common.declaration):
    DECLARATION_SIGNATURE_INVALID = "declaration_signature_invalid"  # forged or damaged
    DECLARATION_MISSING = "declaration_missing"  # none verified, and this site needs one
    DECLARATION_EXPIRED = "declaration_expired"  # past its validity, or older than allowed
    DECLARATION_SYMPTOMS = "declaration_symptoms"  # declared symptoms
    DECLARATION_CONTACT = "declaration_contact"  # declared contact with a case, or travel
    PERSONAL_QR_UNSIGNED = "personal_qr_unsigned"  # this site takes only declared codes


@dataclass(frozen=True, slots=True)
class Declaration:
    """A short health declaration taken by the guard for a visitor ("khai hộ"). Any yes means
    the visitor is referred to the medical staff."""

    fever: bool = False
    cough: bool = False
    short_of_breath: bool = False
    lost_taste_or_smell: bool = False
    contact_with_case_14d: bool = False
    from_epidemic_zone: bool = False

    @property
    def any_yes(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    def to_json(self) -> dict[str, bool]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class LastEvent:
    """A person's latest recorded event, as the decision needs it."""

    seq: int
    event_id: str
    direction: Direction
    verdict: Verdict
    reason: Reason
    device_time: dt.datetime
    mono_ns: int
    boot_id: str


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be written. `event_id` is made before the insert and reused on retry."""

    event_id: str
    device_id: str
    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    birth_year: int | None
    direction: Direction
    verdict: Verdict
    reason: Reason
    device_time: dt.datetime
    mono_ns: int
    boot_id: str
    clock_synced: bool
    # The exact scanned bytes, the identity fields and a proxy health declaration. The store
    # seals them to the health authority's key before writing; never kept in clear.
    personal: PersonalData | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as read back (no payload or identity fields: those are not for display)."""

    seq: int
    event_id: str
    device_id: str
    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    birth_year: int | None
    direction: Direction
    verdict: Verdict
    reason: Reason
    device_time: dt.datetime
    mono_ns: int
    boot_id: str
    clock_synced: bool
    delivered_at: dt.datetime | None
    # The personal data as stored: a box sealed to the key named by seal_key, which
    # the kiosk cannot open. None for events without personal data (and old unsealed rows).
    seal_key: str | None = None
    sealed: bytes | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "event_id": self.event_id,
            "seq": self.seq,
            "device_id": self.device_id,
            "checkpoint_id": self.checkpoint_id,
            "kind": self.kind,
            "person_key": self.person_key,
            "display_name": self.display_name,
            "birth_year": self.birth_year,
            "direction": self.direction.value,
            "verdict": self.verdict.value,
            "reason": self.reason.value,
            "device_time": to_iso(self.device_time),
            "boot_id": self.boot_id,
            "mono_ns": self.mono_ns,
            "clock_synced": self.clock_synced,
            "delivered": self.delivered_at is not None,
        }
