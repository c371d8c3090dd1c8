"""The kiosk's settings: declared once, typed, each with its default and its check.

Shared by the kiosk (kiosk.config loads and saves them as TOML) and the central server, which
checks the settings it manages for a checkpoint with the same rules before sending them
(`SERVER_SETTINGS` in checkpoint_common.protocol). A `Settings` value is frozen: a change is a
new value. Errors name the key and the allowed values (`ConfigError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checkpoint_common.kinds import Kind
from checkpoint_common.seal import PublicKey, SealError
from checkpoint_common.signing import SignedDocumentError, VerifyKey

GATE_MODES = ("in", "out", "auto")
RED_ACTIONS = ("deny", "refer")
DCC_UNVERIFIED_ACTIONS = ("admit", "refer")
PERSON_KINDS = tuple(k.value for k in Kind if k.names_a_person)
CAMERA_POSITIONS = ("above", "below", "left", "right")


class ConfigError(ValueError):
    """A settings file or value is wrong. The message names the key and what is allowed."""


@dataclass(frozen=True, slots=True)
class Settings:
    # The checkpoint this kiosk records for (replaced by enrollment, #4).
    checkpoint_id: str = "demo-checkpoint"
    checkpoint_name: str = "Điểm kiểm dịch thử"
    # "in", "out", or "auto": a person inside goes out, anyone else comes in.
    gate_mode: str = "auto"
    # The same person again within this many seconds is "duplicate", not a second record.
    duplicate_window_s: int = 10
    # Entries are denied once this many people are inside; 0 means no limit.
    capacity: int = 0
    # A person on the status list as red is denied or referred to the medical staff.
    red_status_action: str = "deny"
    # A status list older than this is shown as stale (decisions still use it).
    status_list_max_age_h: int = 24
    # Kinds of code this site accepts for entry (a hospital may take only personal QR and CCCD).
    accepted_kinds: tuple[str, ...] = PERSON_KINDS
    # An EU certificate whose signature could not be checked (no key) is admitted or referred.
    dcc_unverified_action: str = "refer"
    # Health declarations (checkpoint_common.declaration; docs/declarations.md). A personal QR
    # code without a verified declaration (every national app's code) is accepted (True) or
    # turned away with the words to declare first (False).
    accept_unsigned_personal_qr: bool = True
    # Entry needs a verified health declaration made at most this many hours ago; without one
    # the person is referred to the medical staff. 0: no declaration needed.
    declaration_max_age_h: int = 0
    # A verified declaration with symptoms, or with contact with a case or travel from an
    # epidemic zone, refers the person to the medical staff.
    declaration_refer_symptoms: bool = True
    declaration_refer_contact: bool = True
    # Local time ("HH:MM") at which every open stay is closed each day; "" turns it off.
    auto_checkout_time: str = "03:00"
    # Time zone for "today", reports and the auto-checkout time.
    timezone: str = "Asia/Ho_Chi_Minh"
    # Delivered events older than this are purged ...
    retention_days: int = 21
    # ... and every event older than this, delivered or not.
    retention_hard_days: int = 60
    # EU DCC trust list file (kid -> key); "" means `trust_list.json` in the data directory.
    trust_list_file: str = ""
    # Seconds a verdict stays on screen.
    verdict_display_s: int = 4
    language: str = "vi"
    # Central server (set by `kiosk enroll`); "" means not enrolled: the kiosk works offline.
    server_url: str = ""
    # The health authority's public key (base64, X25519) that personal data is sealed to; set
    # by enrollment, or by the installer for a site enrolled later. "": not known yet (the
    # kiosk seals to a holding key of its own and re-seals when the key arrives).
    authority_public_key: str = ""
    # The health authority's root signing key (Ed25519 public, base64): the documents a kiosk
    # downloads must be signed by it or by a key it delegated (checkpoint_common.signing).
    # Pinned at install or at enrollment, after the site manager compared its fingerprint;
    # never taken from the network (in neither SERVER_SETTINGS nor DEPLOYMENT_SETTINGS).
    # "": not pinned yet.
    authority_signing_key: str = ""
    # Verify the server's TLS certificate. Turn off only for a test server, never in the field.
    verify_tls: bool = True
    # Seconds between sync rounds when idle, and while records are waiting.
    sync_interval_s: int = 60
    sync_backlog_interval_s: int = 15
    # Where frames come from: "auto" (the first camera, else the built-in demo), or a source
    # string: camera:0, camera:/dev/video2, picamera, video:PATH, images:DIR, demo.
    source: str = "auto"
    # Play the verdict sounds.
    sounds: bool = True
    # The administration PIN as a slow hash (kiosk.ui.pin); "" until one is set.
    admin_pin_hash: str = ""
    # Where the camera is, seen by a visitor facing the screen: the screen's hint points there.
    camera_position: str = "above"
    # Who runs the checkpoint and how to reach them, for the privacy notice (Decree
    # 13/2023/NĐ-CP): "" means the checkpoint's name stands for the operator / no contact.
    operator_name: str = ""
    operator_contact: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def auto_checkout(self) -> dt.time | None:
        if not self.auto_checkout_time:
            return None
        hours, minutes = self.auto_checkout_time.split(":")
        return dt.time(int(hours), int(minutes))


# One check per key: returns an error message (allowed values named) or None when fine.
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value in allowed:
            return None
        return f"{value!r} is not one of: {', '.join(allowed)}"

    return check


def _int_between(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return None
        return f"{value!r} is not a whole number from {low} to {high}"

    return check


def _text(max_len: int, *, allow_empty: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{value!r} is not text"
        if not allow_empty and not value.strip():
            return "must not be empty"
        if len(value) > max_len or any(ord(ch) < 32 for ch in value):
            return f"must be at most {max_len} printable characters"
        return None

    return check


def _kinds(value: Any) -> str | None:
    if not isinstance(value, tuple | list) or not value:
        return f"must be a non-empty list of: {', '.join(PERSON_KINDS)}"
    bad = [v for v in value if v not in PERSON_KINDS]
    if bad:
        return f"{bad[0]!r} is not one of: {', '.join(PERSON_KINDS)}"
    return None


def _hhmm(value: Any) -> str | None:
    if value == "" or (isinstance(value, str) and _HHMM.match(value)):
        return None
    return f'{value!r} is not a time HH:MM (00:00 to 23:59) or "" (off)'


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not true or false"


def _url(value: Any) -> str | None:
    if value == "" or (isinstance(value, str) and re.match(r"^https?://[^\s/]+(/\S*)?$", value)):
        return None
    return f'{value!r} is not an http(s):// address or "" (not enrolled)'


_SOURCE = re.compile(r"^(auto|demo|picamera(:\d+)?|camera:(\d+|/\S+)|video:.+|images:.+)$")


def _source(value: Any) -> str | None:
    if isinstance(value, str) and _SOURCE.match(value):
        return None
    return (
        f"{value!r} is not a frame source: auto, demo, camera:0, camera:/dev/video2, picamera, "
        "video:PATH or images:DIR"
    )


def _authority_key(value: Any) -> str | None:
    # A weak key (small order: every box sealed to it fails, or opens for anyone) is refused
    # here, where it is set or downloaded, never at the next scan.
    if value == "":
        return None
    try:
        PublicKey.from_text(value) if isinstance(value, str) else PublicKey.from_text("")
    except SealError as exc:
        return f'{exc} (expected the base64 of a 32-byte X25519 key, or "")'
    return None


def _signing_key(value: Any) -> str | None:
    # Small-order and non-canonical Ed25519 keys are refused (checkpoint_common.keycheck).
    if value == "":
        return None
    if not isinstance(value, str):
        return f"{value!r} is not text"
    try:
        VerifyKey.from_text(value)
    except SignedDocumentError as exc:
        return f'{exc.detail} (expected the base64 of a 32-byte Ed25519 public key, or "")'
    return None


def _zone(value: Any) -> str | None:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return f"{value!r} is not a known time zone (for example Asia/Ho_Chi_Minh)"
    return None


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "checkpoint_id": _text(64),
    "checkpoint_name": _text(200),
    "gate_mode": _one_of(GATE_MODES),
    "duplicate_window_s": _int_between(0, 3600),
    "capacity": _int_between(0, 1_000_000),
    "red_status_action": _one_of(RED_ACTIONS),
    "status_list_max_age_h": _int_between(1, 24 * 30),
    "accepted_kinds": _kinds,
    "dcc_unverified_action": _one_of(DCC_UNVERIFIED_ACTIONS),
    "accept_unsigned_personal_qr": _bool,
    "declaration_max_age_h": _int_between(0, 24 * 14),
    "declaration_refer_symptoms": _bool,
    "declaration_refer_contact": _bool,
    "auto_checkout_time": _hhmm,
    "timezone": _zone,
    "retention_days": _int_between(1, 3650),
    "retention_hard_days": _int_between(1, 3650),
    "trust_list_file": _text(4096, allow_empty=True),
    "verdict_display_s": _int_between(1, 60),
    "language": _one_of(("vi", "en")),
    "server_url": _url,
    "authority_public_key": _authority_key,
    "authority_signing_key": _signing_key,
    "verify_tls": _bool,
    "sync_interval_s": _int_between(5, 86400),
    "sync_backlog_interval_s": _int_between(1, 3600),
    "source": _source,
    "sounds": _bool,
    "admin_pin_hash": _text(400, allow_empty=True),
    "camera_position": _one_of(CAMERA_POSITIONS),
    "operator_name": _text(200, allow_empty=True),
    "operator_contact": _text(200, allow_empty=True),
}

KEYS = tuple(f.name for f in dataclasses.fields(Settings))
if set(_CHECKS) != set(KEYS):  # a developer added a setting without its check
    raise RuntimeError(f"settings without a check: {set(KEYS) ^ set(_CHECKS)}")


def validate(values: Mapping[str, Any]) -> Settings:
    """Build Settings from a mapping of (some) keys; raises ConfigError on the first problem."""
    for key in values:
        if key not in _CHECKS:
            raise ConfigError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    for key, value in values.items():
        problem = _CHECKS[key](value)
        if problem:
            raise ConfigError(f"{key}: {problem}")
    clean: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    settings = Settings(**clean)
    if settings.retention_hard_days < settings.retention_days:
        raise ConfigError(
            f"retention_hard_days: {settings.retention_hard_days} must be at least "
            f"retention_days ({settings.retention_days})"
        )
    return settings


def settings_with(settings: Settings, **changes: Any) -> Settings:
    """A validated copy with some settings changed (for the admin screen and the CLI)."""
    values = {k: getattr(settings, k) for k in KEYS} | changes
    return validate(values)


__all__ = [
    "CAMERA_POSITIONS",
    "DCC_UNVERIFIED_ACTIONS",
    "GATE_MODES",
    "KEYS",
    "PERSON_KINDS",
    "RED_ACTIONS",
    "ConfigError",
    "Settings",
    "settings_with",
    "validate",
]
