"""Every word the screen says about a verdict and the kiosk's state, with the verdict's colour,
shape and sound: the one place that maps the core's reason codes to text (STYLE.md 9).

A verdict is shown as one decision word (MỜI VÀO, MỜI RA, GẶP NHÂN VIÊN Y TẾ, KHÔNG ĐƯỢC VÀO,
CHƯA GHI ĐƯỢC ...), in one of six families that differ in colour, in shape (an icon each:
colour is never the only cue) and in sound:

  admit       teal-green, a check mark            the person comes in
  exit        blue, an arrow leaving a door       the person goes out
  refer       amber, a medical cross              to the medical staff
  wrong code  light grey, the right cards pictured  not a personal code: show another one
  denied      dark red, a stop octagon with a cross  not allowed in (full, quarantine, ...)
  fault       grey and red stripes, a warning triangle  NOT recorded: the guard acts, calls
                                                       the site manager

The colours were chosen with the Machado (2009) simulation of deuteranopia and protanopia
(scripts/cvd.py): every pair of families stays apart for red-green colour-blind guards
(tests/ui/test_verdict_colours.py checks it on the rendered screens).

Source strings are English; the Vietnamese comes from assets/translations/kiosk_vi.ts
(../shared/GLOSSARY.md). `tr()` is looked up at call time, so a language switch applies to the
next text shown; widgets keep codes, not words, and ask for the words again in `retranslate`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from kiosk.clock import from_iso
from kiosk.credentials import Kind, Signature
from kiosk.events import Direction, Reason, Verdict
from kiosk.gate import ScanOutcome
from kiosk.sync.service import SyncStatus


def tr(text: str, context: str = "Kiosk") -> str:
    return QCoreApplication.translate(context, text)


# Colours of the controls (buttons, messages, charts).
GREEN = "#1b7f3b"
AMBER = "#f2a900"
RED = "#c62828"
NEUTRAL = "#455a64"
BLUE = "#1565c0"


class Family(StrEnum):
    ADMIT = "admit"
    EXIT = "exit"
    REFER = "refer"
    WRONG_CODE = "wrong_code"
    DENIED = "denied"
    FAULT = "fault"


@dataclass(frozen=True, slots=True)
class FamilyStyle:
    background: str
    foreground: str
    stripe: str  # a second background colour drawn as diagonal stripes ("" for none)
    icon: str  # kiosk.ui.pictures draws it: check | exit | medical | cards | stop | warning
    sound: str  # entry | exit | attention | error


STYLES = {
    Family.ADMIT: FamilyStyle("#00a37a", "#ffffff", "", "check", "entry"),
    Family.EXIT: FamilyStyle("#1a56db", "#ffffff", "", "exit", "exit"),
    Family.REFER: FamilyStyle("#ffc20e", "#000000", "", "medical", "attention"),
    Family.WRONG_CODE: FamilyStyle("#dfe4e8", "#102027", "", "cards", "attention"),
    Family.DENIED: FamilyStyle("#a31515", "#ffffff", "", "stop", "error"),
    # Grey and dark red stripes: unlike any verdict, in pattern as in colour.
    Family.FAULT: FamilyStyle("#616161", "#ffffff", "#4a0d0d", "warning", "error"),
}


@dataclass(frozen=True, slots=True)
class VerdictView:
    family: Family
    word: str  # the decision, the biggest text: MỜI VÀO
    detail: str  # who: masked name, birth year, kind of code
    reason: str  # why, or what to show instead ("" for a plain entry or exit)
    action: str = ""  # for the guard: what to do with the person (the fault family)
    recorded_at: str = ""  # "Already recorded at 10:02" for a repeated scan

    @property
    def style(self) -> FamilyStyle:
        return STYLES[self.family]

    @property
    def background(self) -> str:
        return self.style.background

    @property
    def foreground(self) -> str:
        return self.style.foreground

    @property
    def sound(self) -> str:
        return self.style.sound

    @property
    def shows_cards(self) -> bool:
        return self.family is Family.WRONG_CODE


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
        # Not the decision's words again: the word already says "see the medical staff".
        Reason.STATUS_YELLOW: tr("Under health monitoring (yellow)"),
        Reason.KIND_NOT_ACCEPTED: tr("This kind of code is not accepted here"),
        Reason.VENUE_CODE: tr("This is the place's code. Please show your personal code"),
        Reason.UNKNOWN_CODE: tr(
            "Code not recognised. Please show your personal QR, ID card or health-insurance card"
        ),
        Reason.DCC_SIGNATURE_INVALID: tr("The certificate's signature is not valid"),
        Reason.DCC_NOT_VERIFIED: tr("The certificate could not be checked on this kiosk"),
        Reason.DCC_EXPIRED: tr("Certificate expired"),
        Reason.DCC_NO_EXPIRY: tr("The certificate states no expiry date"),
        Reason.DECLARATION: tr("Health declaration: please see the medical staff"),
        Reason.DECLARATION_SIGNATURE_INVALID: tr(
            "The health declaration in this code is not genuine"
        ),
        Reason.DECLARATION_MISSING: tr("No health declaration: please declare, or see the staff"),
        Reason.DECLARATION_EXPIRED: tr("The health declaration is too old: please declare again"),
        Reason.DECLARATION_SYMPTOMS: tr("Symptoms declared"),
        Reason.DECLARATION_CONTACT: tr("Contact with a case or travel declared"),
        Reason.PERSONAL_QR_UNSIGNED: tr(
            "This place needs a health declaration: please declare first"
        ),
        Reason.AUTO_CHECKOUT: tr("Closed by the nightly checkout"),
    }
    return texts.get(reason, "")


# Reasons that are no refusal of the person but an instruction: show another code.
_WRONG_CODE = (Reason.VENUE_CODE, Reason.UNKNOWN_CODE, Reason.KIND_NOT_ACCEPTED)


def family_of(verdict: Verdict, direction: Direction, reason: Reason) -> Family:
    """The family a recorded decision is shown in (a repeated scan: its first decision's)."""
    if reason in _WRONG_CODE:
        return Family.WRONG_CODE
    if verdict is Verdict.ADMIT:
        return Family.ADMIT if direction is Direction.IN else Family.EXIT
    if verdict is Verdict.REFER:
        return Family.REFER
    return Family.DENIED


def decision_word(family: Family, reason: Reason) -> str:
    """The one word (or few) that is the decision, read from a metre away."""
    if family is Family.DENIED and reason is Reason.CAPACITY_FULL:
        return tr("PLEASE WAIT")
    words = {
        Family.ADMIT: tr("COME IN"),
        Family.EXIT: tr("GOODBYE"),
        Family.REFER: tr("SEE THE MEDICAL STAFF"),
        Family.WRONG_CODE: tr("WRONG CODE"),
        Family.DENIED: tr("NO ENTRY"),
        Family.FAULT: tr("NOT RECORDED"),
    }
    return words[family]


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
    """What the screen shows for a decided scan. A repeated scan (a duplicate: nothing new is
    recorded) repeats its first decision, with the time it was recorded: a person denied a
    moment ago must not read a neutral "already recorded" as a yes."""
    decision = outcome.decision
    verdict, direction, reason = decision.verdict, decision.direction, decision.reason
    recorded_at = ""
    if verdict is Verdict.DUPLICATE:
        last = decision.duplicate_of
        at = last.device_time if last else outcome.at
        recorded_at = tr("Already recorded at {time}").format(
            time=at.astimezone(zone).strftime("%H:%M")
        )
        if last is not None:
            verdict, direction, reason = last.verdict, last.direction, last.reason
        else:
            verdict, reason = Verdict.ADMIT, Reason.ENTRY
    family = family_of(verdict, direction, reason)
    detail = "" if family is Family.WRONG_CODE else _detail(outcome)
    if family is Family.EXIT and reason is not Reason.AUTO_CHECKOUT:
        why = tr("Exit recorded")
    elif family is Family.ADMIT:
        why = declaration_line(outcome, zone) or reason_text(reason)
    else:
        why = reason_text(reason)
    return VerdictView(family, decision_word(family, reason), detail, why, "", recorded_at)


def declaration_line(outcome: ScanOutcome, zone: ZoneInfo) -> str:
    """ "Declared at 08:12 · no symptoms" for a code whose health declaration was verified
    ("" otherwise: an unverified declaration is never shown as one)."""
    fields = outcome.credential.fields
    if fields.signature is not Signature.VALID or not fields.declared_at:
        return ""
    at = from_iso(fields.declared_at).astimezone(zone).strftime("%H:%M")
    summary = fields.declaration_summary or ""
    if summary == "healthy":
        state = tr("no symptoms")
    else:
        parts = summary.split("+")
        state = tr("symptoms declared") if "symptoms" in parts else tr("contact or travel declared")
    return tr("Declared at {time}").format(time=at) + " · " + state


def not_recorded_view(*, storage_full: bool = False) -> VerdictView:
    """The scan was not committed: never a verdict. The guard is told what to do with the
    person (the kiosk cannot say whether they may come in) and whom to call."""
    if storage_full:
        reason = tr("The kiosk's storage is full: scans are not being recorded")
        action = tr("Guard: write each visitor's name and phone on paper, call the site manager")
    else:
        reason = tr("The record could not be saved. Scan the code once more")
        action = tr(
            "Guard: if it fails again, write the name and phone on paper, call the site manager"
        )
    return VerdictView(Family.FAULT, decision_word(Family.FAULT, Reason.ENTRY), "", reason, action)


def storage_text(level: str) -> str:
    """The status line's words for the data directory's free space ("" when there is room).
    One line at 800 px: the details are on the verdict and in docs/operations.md."""
    if level == "full":
        return tr("Storage full: NOT recording. Call the site manager")
    if level == "low":
        return tr("Storage almost full: call the site manager")
    return ""


def camera_text(state: str) -> str:
    """The status line's words for the camera ("" when it works: nothing to say)."""
    texts = {
        "starting": tr("Camera: starting"),
        "lost": tr("Camera disconnected"),
        "blank": tr("Camera shows nothing (covered?)"),
    }
    return texts.get(state, "")


def camera_problem_texts(state: str) -> tuple[str, str]:
    """The full-width camera state: (what happened, what to do now)."""
    if state == "blank":
        title = tr("The camera shows nothing")
        what = tr("Is it covered or turned away? Meanwhile:")
    else:
        title = tr("Camera disconnected")
        what = tr("Codes cannot be read by the camera. Meanwhile:")
    return title, what


def camera_offers() -> tuple[str, str]:
    """The two ways in while the camera is away: the USB scanner, and manual entry."""
    return (
        tr("Scan the code with the hand scanner (USB), it still works"),
        tr("No scanner, or no code: the guard taps Manual entry"),
    )


CAMERA_SIDES = {"above": "up", "below": "down", "left": "left", "right": "right"}


def aim_hint(position: str) -> str:
    """The big hint under the camera view; the arrow beside it points toward the camera."""
    texts = {
        "above": tr("Hold your QR code up to the camera above the screen"),
        "below": tr("Hold your QR code to the camera below the screen"),
        "left": tr("Hold your QR code to the camera left of the screen"),
        "right": tr("Hold your QR code to the camera right of the screen"),
    }
    return texts.get(position, texts["above"])


def card_captions() -> tuple[str, str]:
    """Under the pictures of the codes to show: the personal QR on a phone, the ID card."""
    return tr("Personal QR (phone or paper)"), tr("Chip ID card: the code is at the top right")


def ago_text(minutes: int) -> str:
    if minutes < 1:
        return tr("just now")
    if minutes < 60:
        return tr("{n} min ago").format(n=minutes)
    if minutes < 48 * 60:
        return tr("{n} h ago").format(n=minutes // 60)
    return tr("{n} days ago").format(n=minutes // (24 * 60))


def sync_text(
    status: SyncStatus | None, now: dt.datetime, waiting: int | None, *, compact: bool = False
) -> tuple[str, str]:
    """The status line's words for the connection to the central server, and their tone:
    "ok" (online), "neutral" (offline or not enrolled: normal at many sites, the records are
    safe and wait), "warn" (the site manager must act: re-enroll). `waiting`: the records not
    sent yet, when known better than the status's (the counters after each scan). `compact`:
    the same facts in fewer words, for a narrow screen."""
    count = waiting if waiting is not None else (status.waiting if status else 0)
    parts: list[str] = []
    tone = "neutral"
    if status is None or not status.enrolled:
        parts.append(tr("Not enrolled") if compact else tr("Offline (not enrolled)"))
    elif status.needs_reenrollment:
        parts.append(tr("Needs re-enrollment"))
        tone = "warn"
    elif status.last_success is None:
        parts.append(tr("Offline"))
        parts.append(tr("never synced"))
    else:
        minutes = max(0, int((now - status.last_success).total_seconds() // 60))
        online = status.last_error_kind is None
        tone = "ok" if online else "neutral"
        parts.append(tr("Online") if online else tr("Offline"))
        ago = ago_text(minutes)
        parts.append(ago if compact else tr("last synced {ago}").format(ago=ago))
    if count:
        words = tr("{n} waiting") if compact else tr("{n} waiting to send")
        parts.append(words.format(n=count))
    return " · ".join(parts), tone


def privacy_line(retention_days: int) -> str:
    """The short notice in the screen's corner (the poster says it in full)."""
    return tr("Entries and exits are kept {days} days for contact tracing").format(
        days=retention_days
    )


def clock_text(now: dt.datetime, zone: ZoneInfo) -> str:
    return now.astimezone(zone).strftime("%H:%M")
