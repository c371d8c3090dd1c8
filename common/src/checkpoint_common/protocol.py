"""The wire format of docs/protocol.md, shared by the kiosk (kiosk.sync.client) and the reference
server (central/). Plain frozen dataclasses; `from_json` validates and raises ProtocolError with
the field that is wrong. Qt-free, no I/O.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "/api/v1"
MAX_BATCH_EVENTS = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024  # uncompressed
CLOCK_FLAG_THRESHOLD_S = 300

# A sealed box holds at most a 16 KB payload plus the parsed fields, as base64.
MAX_SEALED_CHARS = 64 * 1024

# Settings the server sends for the whole deployment (not editable per checkpoint).
DEPLOYMENT_SETTINGS = ("authority_public_key",)
# Settings the central server manages for a checkpoint (the rest stay local to the kiosk).
SERVER_SETTINGS = (
    "checkpoint_name",
    "capacity",
    "accepted_kinds",
    "red_status_action",
    "dcc_unverified_action",
    "accept_unsigned_personal_qr",
    "declaration_max_age_h",
    "declaration_refer_symptoms",
    "declaration_refer_contact",
    "duplicate_window_s",
    "auto_checkout_time",
    "retention_days",
    "retention_hard_days",
    "status_list_max_age_h",
    "timezone",
)

STATUS_STORED = "stored"
STATUS_DUPLICATE = "duplicate"
STATUS_REJECTED = "rejected"


class ProtocolError(ValueError):
    """A message does not follow the protocol; the message names the field."""


def _get(data: Any, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(data, dict):
        raise ProtocolError(f"expected an object, got {type(data).__name__}")
    if key not in data or data[key] is None:
        if optional:
            return None
        raise ProtocolError(f"{key}: missing")
    value = data[key]
    # bool is an int in Python; a protocol int is never a bool.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ProtocolError(f"{key}: expected {_names(kind)}, got {type(value).__name__}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in _as_tuple(kind))


def to_json(value: Any) -> Any:
    """A protocol dataclass (or list of them) as JSON-ready data."""
    if isinstance(value, EventPayload):  # the bulk of every upload: no reflection per field
        out = {name: getattr(value, name) for name in _EVENT_FIELDS}
        out["problems"] = list(value.problems)
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class EventPayload:
    event_id: str
    seq: int
    checkpoint_id: str
    person_key: str
    kind: str
    display_name: str | None
    birth_year: int | None
    direction: str
    verdict: str
    reason: str
    device_time: str
    mono_ns: int
    boot_id: str
    clock_synced: bool
    problems: tuple[str, ...] = ()
    # The personal data sealed to the health authority's key, base64, and the id
    # of the key it is sealed to. Only the authority's private key opens it.
    seal_key: str | None = None
    sealed: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> EventPayload:
        problems = _get(data, "problems", list, optional=True) or []
        sealed = _get(data, "sealed", str, optional=True)
        if sealed is not None:
            if len(sealed) > MAX_SEALED_CHARS:
                raise ProtocolError(f"sealed: longer than {MAX_SEALED_CHARS} characters")
            try:
                base64.b64decode(sealed, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ProtocolError("sealed: not base64") from exc
        if not all(isinstance(p, str) for p in problems):
            raise ProtocolError("problems: expected a list of text")
        direction = _get(data, "direction", str)
        verdict = _get(data, "verdict", str)
        if direction not in ("in", "out"):
            raise ProtocolError(f"direction: {direction!r} is not in/out")
        if verdict not in ("admit", "refer", "deny"):
            raise ProtocolError(f"verdict: {verdict!r} is not admit/refer/deny")
        return cls(
            event_id=_get(data, "event_id", str),
            seq=_get(data, "seq", int),
            checkpoint_id=_get(data, "checkpoint_id", str),
            person_key=_get(data, "person_key", str),
            kind=_get(data, "kind", str),
            display_name=_get(data, "display_name", str, optional=True),
            birth_year=_get(data, "birth_year", int, optional=True),
            direction=direction,
            verdict=verdict,
            reason=_get(data, "reason", str),
            device_time=_get(data, "device_time", str),
            mono_ns=_get(data, "mono_ns", int),
            boot_id=_get(data, "boot_id", str),
            clock_synced=_get(data, "clock_synced", bool),
            problems=tuple(problems),
            seal_key=_get(data, "seal_key", str, optional=True),
            sealed=sealed,
        )


_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(EventPayload))


@dataclass(frozen=True, slots=True)
class UploadRequest:
    device_id: str
    boot_id: str
    sent_at: str
    sent_mono_ns: int
    events: tuple[EventPayload, ...]


@dataclass(frozen=True, slots=True)
class EventResult:
    event_id: str
    status: str  # stored | duplicate | rejected
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status in (STATUS_STORED, STATUS_DUPLICATE)

    @classmethod
    def from_json(cls, data: Any) -> EventResult:
        status = _get(data, "status", str)
        if status not in (STATUS_STORED, STATUS_DUPLICATE, STATUS_REJECTED):
            raise ProtocolError(f"status: {status!r} is not stored/duplicate/rejected")
        return cls(_get(data, "event_id", str), status, _get(data, "error", str, optional=True))


@dataclass(frozen=True, slots=True)
class UploadResponse:
    server_time: str
    results: tuple[EventResult, ...]

    @classmethod
    def from_json(cls, data: Any) -> UploadResponse:
        results = _get(data, "results", list)
        return cls(_get(data, "server_time", str), tuple(EventResult.from_json(r) for r in results))


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str
    name: str

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        return cls(_get(data, "id", str), _get(data, "name", str))


@dataclass(frozen=True, slots=True)
class EnrollRequest:
    code: str
    device_id: str
    device_name: str = ""


@dataclass(frozen=True, slots=True)
class EnrollResponse:
    device_token: str
    device_id: str
    checkpoint: Checkpoint
    settings: dict[str, Any]
    person_key_secret: str  # base64
    server_time: str

    @classmethod
    def from_json(cls, data: Any) -> EnrollResponse:
        return cls(
            device_token=_get(data, "device_token", str),
            device_id=_get(data, "device_id", str),
            checkpoint=Checkpoint.from_json(_get(data, "checkpoint", dict)),
            settings=_get(data, "settings", dict),
            person_key_secret=_get(data, "person_key_secret", str),
            server_time=_get(data, "server_time", str),
        )


@dataclass(frozen=True, slots=True)
class ConfigResponse:
    version: str
    checkpoint: Checkpoint
    settings: dict[str, Any]
    server_time: str

    @classmethod
    def from_json(cls, data: Any) -> ConfigResponse:
        return cls(
            version=str(_get(data, "version", (str, int))),
            checkpoint=Checkpoint.from_json(_get(data, "checkpoint", dict)),
            settings=_get(data, "settings", dict),
            server_time=_get(data, "server_time", str),
        )


@dataclass(frozen=True, slots=True)
class StatusEntry:
    person_key: str
    colour: str
    valid_until: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> StatusEntry:
        colour = _get(data, "colour", str)
        if colour not in ("red", "yellow", "green"):
            raise ProtocolError(f"colour: {colour!r} is not red/yellow/green")
        return cls(
            _get(data, "person_key", str), colour, _get(data, "valid_until", str, optional=True)
        )


@dataclass(frozen=True, slots=True)
class StatusListResponse:
    version: int
    full: bool
    upserts: tuple[StatusEntry, ...]
    removed: tuple[str, ...]
    server_time: str

    @classmethod
    def from_json(cls, data: Any) -> StatusListResponse:
        removed = _get(data, "removed", list)
        if not all(isinstance(k, str) for k in removed):
            raise ProtocolError("removed: expected a list of person keys")
        return cls(
            version=_get(data, "version", int),
            full=_get(data, "full", bool),
            upserts=tuple(StatusEntry.from_json(e) for e in _get(data, "upserts", list)),
            removed=tuple(removed),
            server_time=_get(data, "server_time", str),
        )


@dataclass(frozen=True, slots=True)
class ErrorBody:
    error: str
    detail: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# What a kiosk says about itself on every request (optional; a server that does not know the
# header ignores it, and a kiosk that does not send it is shown as "not reported").
DEVICE_STATUS_HEADER = "X-Kiosk-Status"
_STATUS_TEXT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_~")


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A kiosk's own state, for its site manager: its app version, the events waiting in its
    outbox, whether its clock is synchronised and its offset from the server's (measured at the
    last sync), and whether it runs the built-in demo source.

    On the wire: the DEVICE_STATUS_HEADER header, `key=value` pairs separated by `;`
    (`v=0.1.0; waiting=12; clock=synced; offset_ms=-120; demo=0`). Unknown keys and bad values
    are ignored: this is information, never a reason to refuse a request."""

    app_version: str | None = None
    waiting: int | None = None
    clock_synced: bool | None = None
    clock_offset_ms: int | None = None
    demo: bool | None = None

    def to_header(self) -> str:
        parts = []
        if self.app_version:
            parts.append(f"v={''.join(c for c in self.app_version if c in _STATUS_TEXT)[:40]}")
        if self.waiting is not None:
            parts.append(f"waiting={self.waiting}")
        if self.clock_synced is not None:
            parts.append(f"clock={'synced' if self.clock_synced else 'unsynced'}")
        if self.clock_offset_ms is not None:
            parts.append(f"offset_ms={self.clock_offset_ms}")
        if self.demo is not None:
            parts.append(f"demo={int(self.demo)}")
        return "; ".join(parts)

    @classmethod
    def from_header(cls, text: str) -> DeviceStatus:
        values: dict[str, Any] = {}
        for part in text[:500].split(";"):
            key, _, value = part.strip().partition("=")
            value = value.strip()
            if key == "v" and value and all(c in _STATUS_TEXT for c in value):
                values["app_version"] = value[:40]
            elif key == "waiting" and value.isdigit() and len(value) <= 12:
                values["waiting"] = int(value)
            elif key == "clock" and value in ("synced", "unsynced"):
                values["clock_synced"] = value == "synced"
            elif key == "offset_ms" and value.lstrip("-").isdigit() and len(value) <= 15:
                values["clock_offset_ms"] = int(value)
            elif key == "demo" and value in ("0", "1"):
                values["demo"] = value == "1"
        return cls(**values)
