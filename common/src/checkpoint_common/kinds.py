"""The kinds of code a checkpoint sees: named on the wire (`EventPayload.kind`), in settings
(`accepted_kinds`) and by the kiosk's parsers (kiosk.credentials)."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """The kinds of code a checkpoint sees (../shared/FORMATS.md)."""

    PERSONAL_QR = "personal_qr"
    CCCD = "cccd"
    BHYT = "bhyt"
    EU_DCC = "eu_dcc"
    MANUAL = "manual"
    VENUE_CODE = "venue_code"
    UNKNOWN = "unknown"

    @property
    def names_a_person(self) -> bool:
        return self not in (Kind.VENUE_CODE, Kind.UNKNOWN)


__all__ = ["Kind"]
