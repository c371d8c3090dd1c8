"""The decision: a pure function of (credential, gate state, settings, clock) -> Decision.

No I/O here. The gate (kiosk.gate) reads the state from the store, calls `decide`, and records
the result. Everything a rule needs is in its arguments, so every rule is tested by a table of
cases without a database, a camera or a screen (tests/test_policy.py).

Order of the rules (first match wins):
1. duplicate: the same person (or the same unreadable text) again within the window: nothing new
   is recorded; the screen shows "already recorded at HH:MM".
2. venue and unknown codes are never admitted: deny, with words telling what to show instead.
3. direction: the gate mode, or in `auto` out for a person inside and in for anyone else.
4. exits always pass (capacity, status and kind rules are for entries).
5. entries: kind accepted here; status list (red: deny or refer, a setting; yellow: refer);
   a health declaration the guard took with a yes (refer); the health declaration a personal
   QR code carries (`_declaration_rule`); EU certificate signature (and its signer's right
   to sign it), a certificate without expiry (refer), expiry; capacity last
   (a red-listed person is not told "wait").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint_common.timefmt import from_iso
from kiosk.clock import Instant
from kiosk.config import Settings
from kiosk.credentials import Credential, Kind, Signature
from kiosk.events import Declaration, Direction, LastEvent, Reason, Verdict


@dataclass(frozen=True, slots=True)
class GateState:
    """What the decision needs to know about the present, read just before deciding."""

    occupancy: int
    inside: bool  # the person has an open stay
    last_event: LastEvent | None  # the person's (or text's) latest recorded event
    status: str | None  # "red" | "yellow" | "green" | None (not on the list)
    status_list_age: dt.timedelta | None  # None: no list yet


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    direction: Direction
    reason: Reason
    duplicate_of: LastEvent | None = None
    status_list_stale: bool = False  # the list is older than the setting allows (say so)

    @property
    def records(self) -> bool:
        """Whether this decision is written to the log (everything but a duplicate)."""
        return self.verdict is not Verdict.DUPLICATE


def seconds_since(last: LastEvent, now: Instant) -> float | None:
    """Elapsed seconds since `last`, by the monotonic clock within a boot, else by wall time.

    None when it cannot be known (another boot and the wall clock went backwards).
    """
    if last.boot_id == now.boot_id:
        return (now.mono_ns - last.mono_ns) / 1e9
    elapsed = (now.utc - last.device_time).total_seconds()
    return elapsed if elapsed >= 0 else None


def _direction(settings: Settings, state: GateState, override: str | None) -> Direction:
    mode = override or settings.gate_mode
    if mode == "in":
        return Direction.IN
    if mode == "out":
        return Direction.OUT
    return Direction.OUT if state.inside else Direction.IN


def _declaration_rule(
    credential: Credential,
    settings: Settings,
    declaration: Declaration | None,
    now: dt.datetime,
) -> tuple[Verdict, Reason] | None:
    """The health declaration's part of an entry (checkpoint_common.declaration): None when
    it does not stop the person.

    - a personal QR code whose declaration signature is `invalid` (forged, a changed
      character): denied, whatever the settings;
    - a verified declaration (`valid`) that is past its validity, or older than
      `declaration_max_age_h`: referred when this site needs a declaration (or takes no
      unsigned code), else the code counts as an unsigned one; otherwise it refers on declared
      symptoms, contact or travel, as the settings say;
    - no verified declaration (an unsigned national code, an unknown key, another kind of
      code) and none taken by the guard: a personal QR code is turned away when the site takes
      only declared codes; anyone is referred when the site needs a declaration.
    """
    fields = credential.fields
    personal = credential.kind is Kind.PERSONAL_QR
    if personal and fields.signature is Signature.INVALID:
        return Verdict.DENY, Reason.DECLARATION_SIGNATURE_INVALID
    max_age = settings.declaration_max_age_h
    if personal and fields.signature is Signature.VALID:
        declared_at = from_iso(fields.declared_at or "")
        valid_until = from_iso(fields.declaration_valid_until or "")
        too_old = bool(max_age) and now - declared_at > dt.timedelta(hours=max_age)
        if now > valid_until or too_old:
            if max_age or not settings.accept_unsigned_personal_qr:
                return Verdict.REFER, Reason.DECLARATION_EXPIRED
            return None
        summary = (fields.declaration_summary or "").split("+")
        if settings.declaration_refer_symptoms and "symptoms" in summary:
            return Verdict.REFER, Reason.DECLARATION_SYMPTOMS
        if settings.declaration_refer_contact and ("contact" in summary or "travel" in summary):
            return Verdict.REFER, Reason.DECLARATION_CONTACT
        return None
    if declaration is not None:  # the guard took one just now (a yes was referred before)
        return None
    if personal and not settings.accept_unsigned_personal_qr:
        return Verdict.DENY, Reason.PERSONAL_QR_UNSIGNED
    if max_age:
        return Verdict.REFER, Reason.DECLARATION_MISSING
    return None


def _entry_rule(
    credential: Credential,
    state: GateState,
    settings: Settings,
    declaration: Declaration | None,
    now: dt.datetime,
) -> tuple[Verdict, Reason]:
    if credential.kind.value not in settings.accepted_kinds:
        return Verdict.DENY, Reason.KIND_NOT_ACCEPTED
    if state.status == "red":
        verdict = Verdict.DENY if settings.red_status_action == "deny" else Verdict.REFER
        return verdict, Reason.STATUS_RED
    if state.status == "yellow":
        return Verdict.REFER, Reason.STATUS_YELLOW
    if declaration is not None and declaration.any_yes:
        return Verdict.REFER, Reason.DECLARATION
    declared = _declaration_rule(credential, settings, declaration, now)
    if declared is not None:
        return declared
    if credential.kind is Kind.EU_DCC:
        signature = credential.fields.signature
        if signature is Signature.INVALID:
            # Forged, or signed by a DSC that does not vouch for it (expired when it was
            # issued, allowed only other certificate types, not chained to its country's CSCA).
            return Verdict.DENY, Reason.DCC_SIGNATURE_INVALID
        if "dcc_no_expiry" in credential.problems:
            # Every genuine DCC states an expiry; without one no validity can be judged.
            return Verdict.REFER, Reason.DCC_NO_EXPIRY
        if "expired" in credential.problems or "not_yet_valid" in credential.problems:
            return Verdict.REFER, Reason.DCC_EXPIRED
        if signature is not Signature.VALID and settings.dcc_unverified_action == "refer":
            return Verdict.REFER, Reason.DCC_NOT_VERIFIED
    if settings.capacity and state.occupancy >= settings.capacity:
        return Verdict.DENY, Reason.CAPACITY_FULL
    return Verdict.ADMIT, Reason.ENTRY


def decide(
    credential: Credential,
    state: GateState,
    settings: Settings,
    now: Instant,
    *,
    gate_mode: str | None = None,
    declaration: Declaration | None = None,
) -> Decision:
    """Decide what happens to this scan. Pure; never raises for any credential.

    gate_mode overrides settings.gate_mode for this scan (a guard's switch, `kiosk scan --gate`).
    declaration: a health declaration the guard took for this visitor; any yes refers an entry.
    """
    stale = state.status_list_age is None or state.status_list_age > dt.timedelta(
        hours=settings.status_list_max_age_h
    )
    last = state.last_event
    if last is not None and settings.duplicate_window_s > 0:
        elapsed = seconds_since(last, now)
        if elapsed is not None and 0 <= elapsed < settings.duplicate_window_s:
            return Decision(Verdict.DUPLICATE, last.direction, Reason.DUPLICATE, last, stale)

    direction = _direction(settings, state, gate_mode)
    if credential.kind is Kind.VENUE_CODE:
        return Decision(Verdict.DENY, direction, Reason.VENUE_CODE, None, stale)
    if not credential.kind.names_a_person:
        return Decision(Verdict.DENY, direction, Reason.UNKNOWN_CODE, None, stale)
    if direction is Direction.OUT:
        return Decision(Verdict.ADMIT, direction, Reason.EXIT, None, stale)
    verdict, reason = _entry_rule(credential, state, settings, declaration, now.utc)
    return Decision(verdict, direction, reason, None, stale)


def auto_checkout_due(
    settings: Settings, now: dt.datetime, last_run: dt.datetime | None
) -> dt.datetime | None:
    """The auto-checkout instant to run now, or None.

    The most recent scheduled time (today's or yesterday's, local time) at or before `now`; due
    when it is later than the last run. A kiosk switched off overnight catches up at start-up,
    closing the stays as of the scheduled time, not as of the moment it woke.
    """
    at = settings.auto_checkout
    if at is None:
        return None
    local_now = now.astimezone(settings.zone)
    candidate = dt.datetime.combine(local_now.date(), at, tzinfo=settings.zone)
    if candidate > local_now:
        candidate -= dt.timedelta(days=1)
    candidate_utc = candidate.astimezone(dt.UTC)
    if last_run is not None and last_run >= candidate_utc:
        return None
    return candidate_utc
