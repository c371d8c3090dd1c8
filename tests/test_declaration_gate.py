"""Health declarations at the gate: the signed slot (checkpoint_common.declaration), the kiosk's
keys (kiosk.declarations), the rules (kiosk.policy) as a table, and a real Gate on a real SQLite
file whose clock passes a code's validity. The server side and the browser are in
tests/central/test_declare*.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import segno

from checkpoint_common.declaration import (
    MAX_VALID_HOURS,
    SLOT_DIGITS,
    DeclarationKeys,
    SignatureStatus,
    ascii_upper_name,
    read_slot,
    sign_payload,
)
from checkpoint_common.signing import SigningKey, delegate
from kiosk import declarations
from kiosk.clock import FakeClock, Instant
from kiosk.config import Settings
from kiosk.credentials import Credential, Fields, Kind, PersonKeyer, Signature
from kiosk.datadir import DataDir
from kiosk.events import Declaration, Reason, Verdict
from kiosk.formats import parse
from kiosk.gate import Gate
from kiosk.policy import GateState, decide

ROOT = SigningKey.generate()
ONLINE = SigningKey.generate()
T0 = dt.datetime(2026, 12, 3, 1, 12, tzinfo=dt.UTC)  # 08:12 in Hà Nội
KEYER = PersonKeyer(b"s" * 32)
HEAD = "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|<1<DN4010123456789<0900000000<"
LONGEST = (
    "ABCD12345678|" + "X" * 45 + "|1990-12-01|1|163000000000012345|"
    "163000000000012346<1<DN4010123456789<0900000000<"
)


def delegation_of(key: SigningKey = ONLINE, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "types": ["declaration"],
        "not_after": T0 + dt.timedelta(days=90),
        "version": 1,
        "issued_at": T0 - dt.timedelta(days=1),
    } | kw
    return delegate(ROOT, key.public, **values).to_json()


def keys() -> DeclarationKeys:
    found, refused = DeclarationKeys.from_delegations(
        [delegation_of()], root=ROOT.public, audience="cp", now=T0
    )
    assert not refused
    return found


def code(summary: int = 0, *, at: dt.datetime = T0, hours: int = 24, head: str = HEAD) -> str:
    return sign_payload(head, ONLINE, declared_at=at, valid_hours=hours, summary=summary)


# -- the slot -----------------------------------------------------------------------------------


def test_the_slot_is_digits_in_ext_fifth_value_and_verifies() -> None:
    text = code()
    slot = text.split("<")[-1]
    assert len(slot) == SLOT_DIGITS and slot.isdigit()
    read = read_slot(text)
    assert not isinstance(read, str) and read is not None
    assert read.declared_at == T0 and read.valid_until == T0 + dt.timedelta(hours=24)
    check = keys().check(text)
    assert check is not None and check.status is SignatureStatus.VALID
    assert check.summary_name == "healthy"
    assert keys().check(HEAD[:-1]) is None  # a national code: no slot, nothing to check


def test_a_key_the_kiosk_does_not_know_and_a_kiosk_without_keys() -> None:
    other = SigningKey.generate()
    text = sign_payload(HEAD, other, declared_at=T0, valid_hours=24, summary=0)
    check = keys().check(text)
    assert check is not None and check.status is SignatureStatus.UNKNOWN_KEY
    check = DeclarationKeys().check(code())
    assert check is not None and check.status is SignatureStatus.NOT_CHECKED


def test_a_slot_that_is_not_one_and_codes_outside_the_delegation() -> None:
    text = code()
    for broken in (text[:-1], text + "7", text[:-100] + "0" * 100):
        check = keys().check(broken)
        assert check is not None and check.status is SignatureStatus.INVALID, broken[-30:]
    # Another issuer's use of the reserved value (not digits) is ignored, as 1405 readers do.
    assert keys().check(HEAD + "c2lnbmF0dXJl") is None
    # Signed by a key whose delegation ended before the code's time: not accepted.
    late = code(at=T0 + dt.timedelta(days=91))
    check = keys().check(late)
    assert check is not None and check.status is SignatureStatus.INVALID
    with pytest.raises(ValueError, match="validity"):
        code(hours=MAX_VALID_HOURS + 1)


def test_names_are_written_upper_case_without_diacritics() -> None:
    assert ascii_upper_name("  Nguyễn   Thị Đào ") == "NGUYEN THI DAO"
    assert ascii_upper_name("Trần Thị Bích Ngọc") == "TRAN THI BICH NGOC"


def test_the_longest_code_fits_version_10_at_level_m() -> None:
    text = code(head=LONGEST)
    head, slot = text[:-SLOT_DIGITS], text[-SLOT_DIGITS:]
    segments: Any = [(head, segno.consts.MODE_BYTE), (slot, segno.consts.MODE_NUMERIC)]
    qr = segno.make(segments, error="m", boost_error=False, micro=False)
    assert qr.version <= 10 and qr.error == "M", qr.designator


# -- the kiosk's keys ---------------------------------------------------------------------------


def test_keys_are_accepted_only_under_the_pinned_root(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    with pytest.raises(declarations.DeclarationKeysError, match="pinned"):
        declarations.accept(Settings(), data, [delegation_of()], T0)
    pinned = Settings(authority_signing_key=ROOT.public.to_text())
    found, changed = declarations.accept(pinned, data, [delegation_of()], T0)
    assert changed and len(found.keys) == 1
    assert declarations.accept(pinned, data, [delegation_of()], T0)[1] is False
    # A delegation by another root, or one that does not allow declarations: refused.
    stranger = SigningKey.generate()
    forged = delegate(
        stranger,
        ONLINE.public,
        types=["declaration"],
        not_after=T0 + dt.timedelta(days=1),
        version=2,
        issued_at=T0,
    ).to_json()
    with pytest.raises(declarations.DeclarationKeysError, match="document_"):
        declarations.accept(pinned, data, [forged], T0)
    with pytest.raises(declarations.DeclarationKeysError, match="declarations"):
        declarations.accept(pinned, data, [delegation_of(types=["config"])], T0)
    # The file edited by hand gains nothing: it is checked again when read.
    stored = json.loads(data.declaration_keys.read_text())
    stored["delegations"].append(forged)
    data.declaration_keys.write_text(json.dumps(stored))
    assert len(declarations.load(pinned, data, T0).keys) == 1
    # Pinned to yet another root, the same file gives no key at all.
    third = SigningKey.generate().public.to_text()
    assert not declarations.load(Settings(authority_signing_key=third), data, T0)


# -- the rules ---------------------------------------------------------------------------------


def credential(signature: Signature | None, summary: str = "healthy", **kw: Any) -> Credential:
    fields = Fields(
        signature=signature,
        declared_at="2026-12-03T01:12:00.000000Z" if signature else None,
        declaration_valid_until="2026-12-04T01:12:00.000000Z" if signature else None,
        declaration_summary=summary if signature else None,
    )
    return Credential(
        kind=kw.pop("kind", Kind.PERSONAL_QR),
        raw="x",
        fields=fields,
        problems=(),
        person_key="id:abc",
        display_name="N. V. An",
    )


STATE = GateState(occupancy=0, inside=False, last_event=None, status=None, status_list_age=None)


def at(hours: float) -> Instant:
    return Instant(T0 + dt.timedelta(hours=hours), 10**12, "boot", True)


STRICT = {"declaration_max_age_h": 12, "accept_unsigned_personal_qr": False}


@pytest.mark.parametrize(
    ("cred", "settings", "hours", "verdict", "reason"),
    [
        # As shipped: every code comes in, a verified healthy declaration too.
        (credential(None), {}, 1, Verdict.ADMIT, Reason.ENTRY),
        (credential(Signature.VALID), {}, 1, Verdict.ADMIT, Reason.ENTRY),
        (credential(Signature.NOT_CHECKED), {}, 1, Verdict.ADMIT, Reason.ENTRY),
        (credential(None, kind=Kind.CCCD), {}, 1, Verdict.ADMIT, Reason.ENTRY),
        # Forged: never in.
        (credential(Signature.INVALID), {}, 1, Verdict.DENY, Reason.DECLARATION_SIGNATURE_INVALID),
        # Symptoms, contact, travel: referred unless the site turns it off.
        (
            credential(Signature.VALID, "symptoms"),
            {},
            1,
            Verdict.REFER,
            Reason.DECLARATION_SYMPTOMS,
        ),
        (credential(Signature.VALID, "contact"), {}, 1, Verdict.REFER, Reason.DECLARATION_CONTACT),
        (credential(Signature.VALID, "travel"), {}, 1, Verdict.REFER, Reason.DECLARATION_CONTACT),
        (
            credential(Signature.VALID, "symptoms"),
            {"declaration_refer_symptoms": False},
            1,
            Verdict.ADMIT,
            Reason.ENTRY,
        ),
        # An unverified code's summary is not believed either way.
        (credential(Signature.NOT_CHECKED, "symptoms"), {}, 1, Verdict.ADMIT, Reason.ENTRY),
        # A site that needs a declaration no older than 12 h.
        (credential(Signature.VALID), STRICT, 11, Verdict.ADMIT, Reason.ENTRY),
        (credential(Signature.VALID), STRICT, 13, Verdict.REFER, Reason.DECLARATION_EXPIRED),
        (credential(Signature.VALID), STRICT, 25, Verdict.REFER, Reason.DECLARATION_EXPIRED),
        (credential(None), STRICT, 1, Verdict.DENY, Reason.PERSONAL_QR_UNSIGNED),
        (
            credential(Signature.UNKNOWN_KEY),
            {"declaration_max_age_h": 12},
            1,
            Verdict.REFER,
            Reason.DECLARATION_MISSING,
        ),
        (credential(None, kind=Kind.CCCD), STRICT, 1, Verdict.REFER, Reason.DECLARATION_MISSING),
        # Past its validity at a site that needs none: counted as a plain personal code.
        (credential(Signature.VALID, "symptoms"), {}, 25, Verdict.ADMIT, Reason.ENTRY),
    ],
)
def test_the_declaration_rules(
    cred: Credential, settings: dict[str, Any], hours: float, verdict: Verdict, reason: Reason
) -> None:
    decision = decide(cred, STATE, Settings(**settings), at(hours))
    assert (decision.verdict, decision.reason) == (verdict, reason)


def test_a_declaration_the_guard_takes_satisfies_a_site_that_needs_one() -> None:
    settings = Settings(declaration_max_age_h=12)
    manual = dataclasses.replace(credential(None), kind=Kind.MANUAL)
    assert decide(manual, STATE, settings, at(1)).reason is Reason.DECLARATION_MISSING
    taken = decide(manual, STATE, settings, at(1), declaration=Declaration())
    assert taken.verdict is Verdict.ADMIT


# -- a real gate ----------------------------------------------------------------------------------


def test_a_gate_admits_a_fresh_code_and_refers_it_once_it_expired(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    settings = Settings(
        authority_signing_key=ROOT.public.to_text(),
        declaration_max_age_h=24,
        duplicate_window_s=0,
        auto_checkout_time="",
    )
    declarations.accept(settings, data, [delegation_of()], T0)
    clock = FakeClock(T0 + dt.timedelta(minutes=5))
    gate = Gate.open(data.root, settings, clock)
    try:
        text = code()
        outcome = gate.scan(text, mode="in")
        assert (outcome.decision.verdict, outcome.decision.reason) == (Verdict.ADMIT, Reason.ENTRY)
        assert outcome.credential.fields.declaration_summary == "healthy"
        clock.advance(25 * 3600)  # a day and an hour later: the code's 24 h are over
        outcome = gate.scan(text, mode="in")
        assert outcome.decision.verdict is Verdict.REFER
        assert outcome.decision.reason is Reason.DECLARATION_EXPIRED
        forged = text.replace("NGUYEN VAN AN", "NGUYEN VAN AM")
        outcome = gate.scan(forged, mode="in")
        assert outcome.decision.reason is Reason.DECLARATION_SIGNATURE_INVALID
        # Both records are in the gate log, sealed as every scan.
        assert [e.reason.value for e in gate.store.events()][-3:] == [
            "entry",
            "declaration_expired",
            "declaration_signature_invalid",
        ]
    finally:
        gate.close()


def test_parse_reports_the_declaration_fields() -> None:
    credential = parse(code(summary=3), keyer=KEYER, declarations=keys(), now=T0)
    fields = credential.fields.to_json()
    assert fields["signature"] == "valid"
    assert fields["declared_at"] == "2026-12-03T01:12:00.000000Z"
    assert fields["declaration_valid_until"] == "2026-12-04T01:12:00.000000Z"
    assert fields["declaration_summary"] == "symptoms+contact"
    assert credential.problems == ()


def test_a_key_is_ended_early_by_a_newer_delegation(tmp_path: Path) -> None:
    """A leaked declaration key: the root delegates it again, version 2, ending an hour after
    T0; a kiosk that took it refuses codes the key signed after that."""
    data = DataDir(tmp_path)
    pinned = Settings(authority_signing_key=ROOT.public.to_text())
    declarations.accept(pinned, data, [delegation_of()], T0)
    ended = delegation_of(version=2, not_after=T0 + dt.timedelta(hours=1))
    found, changed = declarations.accept(pinned, data, [ended], T0 + dt.timedelta(hours=2))
    assert changed and [k.delegation.version for k in found.keys] == [2]
    before, after = code(at=T0), code(at=T0 + dt.timedelta(hours=2))
    assert found.check(before).status is SignatureStatus.VALID  # type: ignore[union-attr]
    assert found.check(after).status is SignatureStatus.INVALID  # type: ignore[union-attr]
    # The old delegation offered again (a replay) changes nothing.
    again, changed = declarations.accept(
        pinned, data, [delegation_of()], T0 + dt.timedelta(hours=3)
    )
    assert not changed and [k.delegation.version for k in again.keys] == [2]


def test_doctor_says_whether_declarations_can_be_checked(tmp_path: Path) -> None:
    from kiosk.doctor import Status, check_declarations

    data = DataDir(tmp_path)
    pinned = Settings(authority_signing_key=ROOT.public.to_text())
    assert check_declarations(pinned, tmp_path, T0).status is Status.OK  # not required here
    strict = Settings(authority_signing_key=ROOT.public.to_text(), declaration_max_age_h=12)
    failed = check_declarations(strict, tmp_path, T0)
    assert failed.status is Status.FAIL and "declaration-keys import" in failed.action
    declarations.accept(pinned, data, [delegation_of()], T0)
    ok = check_declarations(strict, tmp_path, T0)
    assert ok.status is Status.OK and "1 declaration key" in ok.detail
    late = check_declarations(strict, tmp_path, T0 + dt.timedelta(days=91))
    assert late.status is Status.FAIL and "ended" in late.detail
