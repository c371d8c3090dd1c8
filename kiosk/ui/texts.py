"""Every word the screen says about a verdict, and its colour and sound: the one place that maps
the core's reason codes to text (STYLE.md 9).

Source strings are English; the Vietnamese comes from assets/translations/kiosk_vi.ts
(../shared/GLOSSARY.md). `tr()` is looked up at call time, so a language switch applies to the
next verdict shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from kiosk.credentials import Kind
from kiosk.events import Direction, Reason, Verdict
from kiosk.gate import ScanOutcome


def tr(text: str, context: str = "Kiosk") -> str:
    return QCoreApplication.translate(context, text)


# Colours readable from a metre away, distinct for colour-blind guards too (and every verdict
# also has words and a sound): green, amber (dark text), red, neutral slate.
GREEN = "#1b7f3b"
AMBER = "#f2a900"
RED = "#c62828"
NEUTRAL = "#455a64"
BLUE = "#1565c0"


@dataclass(frozen=True, slots=True)
class VerdictView:
    background: str
    foreground: str
    title: str  # the big line
    direction: str  # VÀO / RA, or "" when nobody goes anywhere
    detail: str  # masked name, birth year, kind
    reason: str  # why, in words ("" for a plain entry or exit)
    sound: str  # entry | exit | attention | error


def kind_name(kind: str) -> str:
    names = {
        Kind.PERSONAL_QR.value: tr("Personal QR code"),
        Kind.CCCD.value: tr("Chip ID card (CCCD)"),
        Kind.BHYT.value: tr("Health-insurance card (BHYT)"),
        Kind.EU_DCC.value: tr("Vaccine certificate"),
        Kind.MANUAL.value: tr("Manual entry"),
        Kind.VENUE_CODE.value: tr("Venue code"),
        Kind.UNKNOWN.value: tr("Unknown code"),
    }
    return names.get(kind, kind)


def direction_name(direction: Direction) -> str:
    return tr("IN") if direction is Direction.IN else tr("OUT")


def gate_mode_name(mode: str) -> str:
    return {"in": tr("IN"), "out": tr("OUT"), "auto": tr("AUTO")}.get(mode, mode)


def reason_text(reason: Reason) -> str:
    texts = {
        Reason.CAPACITY_FULL: tr("Full inside, please wait"),
        Reason.STATUS_RED: tr("Under quarantine, please see the medical staff"),
        # Not the title's words again: the title already says "please see the medical staff".
        Reason.STATUS_YELLOW: tr("Under health monitoring (yellow)"),
        Reason.KIND_NOT_ACCEPTED: tr("This kind of code is not accepted here"),
        Reason.VENUE_CODE: tr("This is the place's code. Please show your personal code"),
        Reason.UNKNOWN_CODE: tr(
            "Code not recognised. Please show your personal QR, ID card or health-insurance card"
        ),
        Reason.DCC_SIGNATURE_INVALID: tr("The certificate's signature is not valid"),
        Reason.DCC_NOT_VERIFIED: tr("Signature not verified (no key list)"),
        Reason.DCC_EXPIRED: tr("Certificate expired"),
        Reason.DECLARATION: tr("Health declaration: please see the medical staff"),
        Reason.AUTO_CHECKOUT: tr("Closed by the nightly checkout"),
    }
    return texts.get(reason, "")


def _detail(outcome: ScanOutcome) -> str:
    credential = outcome.credential
    parts = []
    if credential.display_name:
        parts.append(credential.display_name)
    if credential.birth_year:
        parts.append(tr("born {year}").format(year=credential.birth_year))
    parts.append(kind_name(credential.kind.value))
    return " · ".join(parts)


def verdict_view(outcome: ScanOutcome, zone: ZoneInfo) -> VerdictView:
    """What the screen shows for a decided scan."""
    decision = outcome.decision
    direction = direction_name(decision.direction)
    if decision.verdict is Verdict.DUPLICATE:
        last = decision.duplicate_of
        at = last.device_time if last else outcome.at
        when = at.astimezone(zone).strftime("%H:%M")
        return VerdictView(
            NEUTRAL, "white", tr("Already recorded at {time}").format(time=when), direction,
            _detail(outcome), "", "attention",
        )  # fmt: skip
    if decision.reason in (Reason.VENUE_CODE, Reason.UNKNOWN_CODE):
        # Not a refusal of a person: an instruction. Amber, not red.
        return VerdictView(AMBER, "black", reason_text(decision.reason), "", "", "", "attention")
    if decision.verdict is Verdict.ADMIT:
        if decision.direction is Direction.IN:
            return VerdictView(
                GREEN, "white", tr("Welcome in"), direction, _detail(outcome),
                reason_text(decision.reason), "entry",
            )  # fmt: skip
        return VerdictView(
            GREEN, "white", tr("Exit recorded"), direction, _detail(outcome),
            reason_text(decision.reason), "exit",
        )  # fmt: skip
    if decision.verdict is Verdict.REFER:
        return VerdictView(
            AMBER, "black", tr("Please see the medical staff"), direction, _detail(outcome),
            reason_text(decision.reason), "attention",
        )  # fmt: skip
    return VerdictView(
        RED, "white", tr("Entry not allowed"), direction, _detail(outcome),
        reason_text(decision.reason), "error",
    )  # fmt: skip


def not_recorded_view(*, storage_full: bool = False) -> VerdictView:
    """The scan was not committed: never a verdict. A full disk is said as such: trying again
    will not help, the site manager must free space."""
    reason = (
        tr("Storage is full. Please call the site manager")
        if storage_full
        else tr("The record could not be saved. Please try again or call the site manager")
    )
    return VerdictView(RED, "white", tr("NOT RECORDED"), "", "", reason, "error")


def storage_text(level: str) -> str:
    """The status bar's words for the data directory's free space ("" when there is room)."""
    if level == "full":
        return tr("Storage full: scans are NOT recorded. Call the site manager")
    if level == "low":
        return tr("Storage almost full: call the site manager")
    return ""


def clock_text(now: dt.datetime, zone: ZoneInfo) -> str:
    return now.astimezone(zone).strftime("%H:%M")
