"""Signed documents (checkpoint_common.signing), attacked as the issue #13 attacker did.

A rogue server (or anyone on the kiosk's path) answers the sync with documents of its own:
its own sealing key, a config that admits unverified certificates, a person marked red, its
own key in the trust list, an old status list replayed as fresh. Every one must be refused
with a reason a screen can show, and nothing but SignedDocumentError may come out, whatever
the bytes (hypothesis). The kiosk side of these checks (pinning, keeping the last good
document) comes with the sync integration; here the primitives are exercised directly.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint_common import seal
from checkpoint_common.keycheck import ed25519_problem
from checkpoint_common.protocol import StatusEntry
from checkpoint_common.signing import (
    DELEGABLE_TYPES,
    ROOT_ONLY_TYPES,
    Delegation,
    DocType,
    Document,
    Envelope,
    Refusal,
    SignedDocumentError,
    SigningKey,
    StatusListChange,
    VerifyKey,
    delegate,
    follow_rotations,
    max_bytes_for,
    rotate,
    sealing_key_document,
    sealing_key_of,
    sign,
    status_list_document,
    verify_document,
    verify_rotation,
    verify_status_list,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
CHECKPOINT = "cp-cho-ben-thanh"
ROOT = SigningKey.generate()
ONLINE = SigningKey.generate()
ROGUE = SigningKey.generate()
DELEGATION = delegate(
    ROOT,
    ONLINE.public,
    types=["config", "status_list"],
    not_after=NOW + dt.timedelta(days=90),
    version=1,
    issued_at=NOW - dt.timedelta(days=10),
)


def refused(reason: Refusal, data: bytes | dict[str, Any], **kwargs: Any) -> SignedDocumentError:
    """Verify `data` expecting a refusal for `reason`; return the error for more checks."""
    options: dict[str, Any] = {
        "root": ROOT.public,
        "expected_type": DocType.STATUS_LIST,
        "audience": CHECKPOINT,
        "last_version": None,
        "now": NOW,
    } | kwargs
    with pytest.raises(SignedDocumentError) as info:
        verify_document(data, **options)
    assert info.value.reason is reason, info.value
    assert isinstance(info.value, ValueError)
    assert reason.value in str(info.value)
    return info.value


def status_list(
    version: int = 7,
    *,
    entries: tuple[tuple[str, str], ...] = (("id:0a1b2c", "red"),),
    issued_at: dt.datetime = NOW - dt.timedelta(hours=1),
    since: int | None = None,
    audience: str = "*",
) -> Document:
    upserts = [StatusEntry(key, colour) for key, colour in entries]
    return status_list_document(
        version=version,
        issued_at=issued_at,
        upserts=upserts,
        count=len(upserts),
        since=since,
        audience=audience,
    )


def online(document: Document) -> bytes:
    return sign(document, ONLINE, delegation=DELEGATION).to_bytes()


# --- what a genuine authority sends is accepted ------------------------------------------------


def test_the_root_and_its_delegated_online_key_are_accepted() -> None:
    trust = Document(DocType.TRUST_LIST, 3, NOW, "*", {"version": "2026-11", "keys": []})
    verified = verify_document(
        sign(trust, ROOT).to_bytes(),
        root=ROOT.public,
        expected_type="trust_list",
        audience=CHECKPOINT,
        last_version=2,
        now=NOW,
    )
    assert verified.document == Document("trust_list", 3, NOW, "*", trust.content)
    assert verified.signer == ROOT.public and verified.delegation is None

    verified, change = verify_status_list(
        online(status_list(7)), root=ROOT.public, audience=CHECKPOINT, current_version=6, now=NOW
    )
    assert verified.signer == ONLINE.public
    assert verified.delegation == Delegation(
        ONLINE.public,
        frozenset({"config", "status_list"}),
        NOW + dt.timedelta(days=90),
        1,
        NOW - dt.timedelta(days=10),
    )
    assert change == StatusListChange(
        7, NOW - dt.timedelta(hours=1), True, None, (StatusEntry("id:0a1b2c", "red"),), (), 1
    )
    # Parsed JSON (as a sync client gets it) is accepted as well as the bytes.
    parsed = json.loads(online(status_list(8)))
    assert (
        verify_document(
            parsed,
            root=ROOT.public,
            expected_type="status_list",
            audience=CHECKPOINT,
            last_version=7,
            now=NOW,
        ).document.version
        == 8
    )
    # A document for this checkpoint alone.
    config = Document("config", 4, NOW, CHECKPOINT, {"settings": {"capacity": 300}})
    assert verify_document(
        online(config),
        root=ROOT.public,
        expected_type="config",
        audience=CHECKPOINT,
        last_version=None,
        now=NOW,
    ).document.content == {"settings": {"capacity": 300}}


# --- the rogue server's attacks --------------------------------------------------------------


def test_a_rogue_server_cannot_install_its_own_sealing_key() -> None:
    theirs = seal.PrivateKey.generate().public
    document = sealing_key_document(theirs, version=99, issued_at=NOW)
    # Signed by its own key: not the pinned root, and no delegation from it.
    refused(Refusal.UNKNOWN_SIGNER, sign(document, ROGUE).to_bytes(), expected_type="sealing_key")
    # With a delegation it made itself.
    forged = delegate(
        ROGUE,
        ROGUE.public,
        types=["config"],
        not_after=NOW + dt.timedelta(days=1),
        version=9,
        issued_at=NOW,
    )
    envelope = sign(document, ROGUE, delegation=forged).to_bytes()
    refused(Refusal.DELEGATION_INVALID, envelope, expected_type="sealing_key")
    # Signed by the genuine online key: only the offline root signs sealing keys.
    envelope = sign(document, ONLINE, delegation=DELEGATION).to_bytes()
    refused(Refusal.TYPE_NOT_ALLOWED, envelope, expected_type="sealing_key")
    # The genuine root's sealing key is accepted and parsed back, checked.
    ours = seal.PrivateKey.generate().public
    good = sign(sealing_key_document(ours, version=2, issued_at=NOW), ROOT).to_bytes()
    verified = verify_document(
        good,
        root=ROOT.public,
        expected_type="sealing_key",
        audience=CHECKPOINT,
        last_version=1,
        now=NOW,
    )
    assert sealing_key_of(verified.document) == ours


def test_a_weak_sealing_key_is_refused_even_from_the_root() -> None:
    weak = Document("sealing_key", 2, NOW, "*", {"key": base64.b64encode(bytes(32)).decode()})
    with pytest.raises(SignedDocumentError) as info:
        sealing_key_of(weak)
    assert info.value.reason is Refusal.WEAK_KEY
    assert "small order" in str(info.value)
    with pytest.raises(SignedDocumentError, match="document_wrong_type"):
        sealing_key_of(status_list())


def test_a_rogue_server_cannot_change_the_config_or_the_status_list() -> None:
    admit = Document("config", 50, NOW, "*", {"settings": {"dcc_unverified_action": "admit"}})
    refused(Refusal.UNKNOWN_SIGNER, sign(admit, ROGUE).to_bytes(), expected_type="config")
    red = status_list(50, entries=(("id:victim", "red"),))
    refused(Refusal.UNKNOWN_SIGNER, sign(red, ROGUE).to_bytes())
    # The rogue relays a genuine envelope but swaps the signer for its own key.
    data = json.loads(online(red))
    data["signer"] = ROGUE.public.to_text()
    refused(Refusal.DELEGATION_INVALID, data)  # the root's delegation names another key
    # ... or keeps the signer and rewrites one byte of the body.
    data = json.loads(online(red))
    body = bytearray(base64.b64decode(data["body"]))
    body[body.index(b"red")] = ord("R")
    data["body"] = base64.b64encode(bytes(body)).decode()
    refused(Refusal.BAD_SIGNATURE, data)


def test_a_rogue_server_cannot_add_its_key_to_the_trust_list() -> None:
    content = {"version": "evil", "keys": [{"kid": "AAAAAAAAAAA=", "public_key": "..."}]}
    document = Document("trust_list", 10, NOW, "*", content)
    refused(Refusal.UNKNOWN_SIGNER, sign(document, ROGUE).to_bytes(), expected_type="trust_list")
    refused(Refusal.TYPE_NOT_ALLOWED, online(document), expected_type="trust_list")


def test_an_old_status_list_replayed_is_refused_and_its_age_is_the_signed_one() -> None:
    old = online(status_list(5, issued_at=NOW - dt.timedelta(days=3)))
    # Accepted once, in its time.
    verified, _ = verify_status_list(
        old, root=ROOT.public, audience=CHECKPOINT, current_version=4, now=NOW
    )
    # Its age is judged from the signed issue time, not from when it arrived.
    assert verified.document.age(NOW) == dt.timedelta(days=3)
    # Served again later, after version 6 was accepted: refused, whatever the transport says.
    with pytest.raises(SignedDocumentError) as info:
        verify_status_list(old, root=ROOT.public, audience=CHECKPOINT, current_version=6, now=NOW)
    assert info.value.reason is Refusal.NOT_NEWER
    assert "replayed" in str(info.value)
    # The same version again is no news either.
    refused(Refusal.NOT_NEWER, old, last_version=5)


def test_a_document_for_another_checkpoint_or_of_another_type_is_refused() -> None:
    refused(Refusal.WRONG_AUDIENCE, online(status_list(audience="cp-other")))
    refused(Refusal.WRONG_TYPE, online(status_list()), expected_type="config")


def test_a_status_list_change_batch_applies_only_to_its_version() -> None:
    batch = online(status_list(9, since=8, entries=(("id:new", "yellow"),)))
    _, change = verify_status_list(
        batch, root=ROOT.public, audience=CHECKPOINT, current_version=8, now=NOW
    )
    assert (change.full, change.since, change.version) == (False, 8, 9)
    # A kiosk at version 6 missed version 7 and 8: it must ask for the full list.
    with pytest.raises(SignedDocumentError) as info:
        verify_status_list(batch, root=ROOT.public, audience=CHECKPOINT, current_version=6, now=NOW)
    assert info.value.reason is Refusal.STATUS_LIST_GAP
    with pytest.raises(SignedDocumentError) as info:
        verify_status_list(
            batch, root=ROOT.public, audience=CHECKPOINT, current_version=None, now=NOW
        )
    assert info.value.reason is Refusal.STATUS_LIST_GAP
    # A full list applies to any older version.
    full = online(status_list(10))
    assert verify_status_list(
        full, root=ROOT.public, audience=CHECKPOINT, current_version=3, now=NOW
    )[1].full


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([], "JSON object"),
        ({"full": "yes", "since": None, "count": 0, "upserts": [], "removed": []}, "full"),
        ({"full": True, "since": 3, "count": 0, "upserts": [], "removed": []}, "since"),
        ({"full": False, "since": None, "count": 0, "upserts": [], "removed": []}, "since"),
        ({"full": False, "since": 7, "count": 0, "upserts": [], "removed": []}, "since"),
        ({"full": True, "since": None, "count": -1, "upserts": [], "removed": []}, "count"),
        ({"full": True, "since": None, "count": 1, "upserts": [], "removed": []}, "count"),
        ({"full": True, "since": None, "count": 0, "upserts": {}, "removed": []}, "lists"),
        ({"full": False, "since": 1, "count": 0, "upserts": [], "removed": [3]}, "person keys"),
        (
            {
                "full": True,
                "since": None,
                "count": 1,
                "upserts": [{"person_key": "k"}],
                "removed": [],
            },
            "entry",
        ),
        (
            {"full": True, "since": None, "count": 0, "upserts": [], "removed": ["k"]},
            "removes nothing",
        ),
    ],
)
def test_a_malformed_status_list_content_is_refused(content: Any, message: str) -> None:
    document = Document("status_list", 7, NOW, "*", content)
    with pytest.raises(SignedDocumentError, match=message) as info:
        StatusListChange.of(document)
    assert info.value.reason is Refusal.MALFORMED


# --- delegation ------------------------------------------------------------------------------


def test_an_online_key_works_only_within_its_delegation() -> None:
    document = status_list()
    # Ended: the kiosk (its clock, or the newest signed time it has seen) is past not_after.
    refused(Refusal.DELEGATION_EXPIRED, online(document), now=NOW + dt.timedelta(days=91))
    # A document dated after the delegation's end, or before it was given: a stolen online
    # key cannot sign into the future or into the past.
    late = status_list(issued_at=NOW + dt.timedelta(days=100))
    refused(Refusal.DELEGATION_EXPIRED, online(late))
    early = status_list(issued_at=NOW - dt.timedelta(days=30))
    refused(Refusal.DELEGATION_EXPIRED, online(early))
    # Revoked: the root gave a newer delegation (to a new online key) that the kiosk accepted.
    refused(Refusal.DELEGATION_REVOKED, online(document), min_delegation_version=2)
    # Allowed for status lists only (and, second, only at another checkpoint).
    for audience, doc_type, reason in (
        ("*", "config", Refusal.TYPE_NOT_ALLOWED),
        ("cp-other", "status_list", Refusal.WRONG_AUDIENCE),
    ):
        narrow = delegate(
            ROOT,
            ONLINE.public,
            types=["status_list"],
            not_after=NOW + dt.timedelta(days=1),
            version=3,
            issued_at=NOW - dt.timedelta(hours=1),
            audience=audience,
        )
        wanted = Document(doc_type, 9, NOW, "*", {}) if doc_type == "config" else document
        envelope = sign(wanted, ONLINE, delegation=narrow).to_bytes()
        refused(reason, envelope, expected_type=doc_type)


def test_a_delegation_cannot_allow_root_only_types_or_be_nested() -> None:
    for doc_type in sorted(ROOT_ONLY_TYPES):
        with pytest.raises(ValueError, match="may sign only"):
            delegate(ROOT, ONLINE.public, types=[doc_type], not_after=NOW, version=1, issued_at=NOW)
    with pytest.raises(ValueError, match="later than"):
        delegate(ROOT, ONLINE.public, types=["config"], not_after=NOW, version=1, issued_at=NOW)
    # Hand-made: a root-signed delegation listing "trust_list" is refused when used.
    content = {
        "key": ONLINE.public.to_text(),
        "types": ["trust_list"],
        "not_after": "2027-01-01T00:00:00Z",
    }
    bad = sign(Document("delegation", 5, NOW, "*", content), ROOT)
    document = Document("trust_list", 1, NOW, "*", {"version": 1, "keys": []})
    envelope = sign(document, ONLINE, delegation=bad).to_bytes()
    refused(Refusal.DELEGATION_INVALID, envelope, expected_type="trust_list")
    # A delegation carrying a delegation of its own.
    data = json.loads(online(status_list()))
    data["delegation"]["delegation"] = dict(data["delegation"])
    refused(Refusal.DELEGATION_INVALID, data)
    # The root's own documents carry none.
    data = sign(status_list(), ROOT).to_json() | {"delegation": DELEGATION.to_json()}
    refused(Refusal.MALFORMED, data)
    # A "delegation" that is another document type.
    not_a_delegation = sign(Document("config", 1, NOW, "*", {}), ROOT)
    envelope = sign(status_list(), ONLINE, delegation=not_a_delegation).to_bytes()
    refused(Refusal.DELEGATION_INVALID, envelope)
    assert {"config", "status_list", "declaration"} == DELEGABLE_TYPES


# --- rotation of the root --------------------------------------------------------------------


def test_the_root_rotates_by_a_document_the_old_root_signs() -> None:
    new = SigningKey.generate()
    rotation = rotate(ROOT, new, version=1, issued_at=NOW).to_bytes()
    verified, pinned = verify_rotation(rotation, root=ROOT.public, last_version=None, now=NOW)
    assert pinned == new.public and verified.document.version == 1
    # Documents signed by the new root verify under it, not under the old one.
    document = sign(Document("trust_list", 1, NOW, "*", {"version": 1, "keys": []}), new)
    assert verify_document(
        document.to_bytes(),
        root=pinned,
        expected_type="trust_list",
        audience=CHECKPOINT,
        last_version=None,
        now=NOW,
    )
    refused(Refusal.UNKNOWN_SIGNER, document.to_bytes(), expected_type="trust_list")
    # A kiosk offline through two rotations walks the chain, in any order received.
    newer = SigningKey.generate()
    second = rotate(new, newer, version=2, issued_at=NOW).to_bytes()
    assert follow_rotations(ROOT.public, [second, rotation], last_version=None, now=NOW) == (
        newer.public,
        2,
    )
    # Already applied ones are skipped.
    assert follow_rotations(new.public, [rotation, second], last_version=1, now=NOW) == (
        newer.public,
        2,
    )
    # A rotation not signed by the pinned root (the rogue rotates to its own key).
    rogue = rotate(ROGUE, SigningKey.generate(), version=3, issued_at=NOW).to_bytes()
    with pytest.raises(SignedDocumentError) as info:
        follow_rotations(ROOT.public, [rogue], last_version=None, now=NOW)
    assert info.value.reason is Refusal.UNKNOWN_SIGNER
    # A replayed old rotation.
    with pytest.raises(SignedDocumentError) as info:
        verify_rotation(rotation, root=ROOT.public, last_version=1, now=NOW)
    assert info.value.reason is Refusal.NOT_NEWER


def test_a_rotation_needs_the_new_key_holders_proof() -> None:
    new, other = SigningKey.generate(), SigningKey.generate()
    envelope = rotate(ROOT, new, version=1, issued_at=NOW)
    document = json.loads(envelope.body)
    document["content"]["new_key"] = other.public.to_text()  # the proof is new's, not other's
    forged = sign(
        Document("signing_key_rotation", 1, NOW, "*", document["content"]), ROOT
    ).to_bytes()
    with pytest.raises(SignedDocumentError) as info:
        verify_rotation(forged, root=ROOT.public, last_version=None, now=NOW)
    assert info.value.reason is Refusal.BAD_SIGNATURE
    same = {"new_key": ROOT.public.to_text(), "proof": document["content"]["proof"]}
    to_itself = sign(Document("signing_key_rotation", 1, NOW, "*", same), ROOT).to_bytes()
    with pytest.raises(SignedDocumentError, match="same key"):
        verify_rotation(to_itself, root=ROOT.public, last_version=None, now=NOW)
    # Only the root signs rotations: the online key cannot rotate anything.
    envelope = sign(
        Document("signing_key_rotation", 1, NOW, "*", same), ONLINE, delegation=DELEGATION
    )
    refused(Refusal.TYPE_NOT_ALLOWED, envelope.to_bytes(), expected_type="signing_key_rotation")


# --- malformed envelopes and bodies ----------------------------------------------------------


def _envelope_with(**changes: Any) -> dict[str, Any]:
    data = sign(status_list(), ROOT).to_json()
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def _signed_body(body: bytes) -> dict[str, Any]:
    """An envelope whose (arbitrary) body the root really signed: the body parser is reached."""
    return Envelope(
        body, ROOT.public, ROOT.sign(b"checkpoint-kiosk signed document v1\x00" + body)
    ).to_json()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not utf-8", Refusal.MALFORMED),
        (b"[" * 100_000, Refusal.MALFORMED),
        (b'{"format": 1' + b"1" * 5000 + b"}", Refusal.MALFORMED),
        (b"[]", Refusal.MALFORMED),
        (_envelope_with(format="checkpoint-kiosk-signed/2"), Refusal.MALFORMED),
        (_envelope_with(extra=1), Refusal.MALFORMED),
        (_envelope_with(body=None), Refusal.MALFORMED),
        (_envelope_with(body="not base64!"), Refusal.MALFORMED),
        (_envelope_with(signature=base64.b64encode(bytes(63)).decode()), Refusal.MALFORMED),
        (_envelope_with(signer=base64.b64encode(bytes(31)).decode()), Refusal.WEAK_KEY),
        (_envelope_with(signer=base64.b64encode(bytes(32)).decode()), Refusal.WEAK_KEY),
        (_envelope_with(signature=base64.b64encode(bytes(64)).decode()), Refusal.BAD_SIGNATURE),
        (_signed_body(b"not json"), Refusal.MALFORMED),
        (_signed_body(b'{"type": "status_list"}'), Refusal.MALFORMED),
        (
            _signed_body(
                b'{"type":"status_list","version":1,"version":2,"issued_at":"2026-01-01T00:00:00Z",'
                b'"audience":"*","content":{}}'
            ),
            Refusal.MALFORMED,  # a member twice: two readers could disagree
        ),
        (
            _signed_body(
                b'{"type":"status_list","version":1.0,"issued_at":"2026-01-01T00:00:00Z",'
                b'"audience":"*","content":{}}'
            ),
            Refusal.MALFORMED,
        ),
        (
            _signed_body(
                b'{"type":"status_list","version":1,"issued_at":"2026-01-01T00:00:00",'
                b'"audience":"*","content":{}}'
            ),
            Refusal.MALFORMED,  # a time without a zone is never guessed
        ),
        (
            _signed_body(
                b'{"type":"status_list","version":1,"issued_at":"2026-01-01T00:00:00Z",'
                b'"audience":"","content":{},"extra":1}'
            ),
            Refusal.MALFORMED,
        ),
        (
            _signed_body(
                b'{"type":"status_list","version":9007199254740992,'
                b'"issued_at":"2026-01-01T00:00:00Z","audience":"*","content":{}}'
            ),
            Refusal.MALFORMED,  # beyond 2^53 - 1
        ),
    ],
)
def test_malformed_envelopes_are_refused_by_name(
    data: bytes | dict[str, Any], reason: Refusal
) -> None:
    refused(reason, data)


def test_size_limits() -> None:
    assert max_bytes_for("status_list") > max_bytes_for("trust_list") > max_bytes_for("config")
    big = online(status_list(entries=tuple((f"id:{n:024x}", "red") for n in range(20))))
    refused(Refusal.TOO_LARGE, big, max_bytes=len(big) - 1)
    assert verify_document(
        big,
        root=ROOT.public,
        expected_type="status_list",
        audience=CHECKPOINT,
        last_version=None,
        now=NOW,
        max_bytes=len(big),
    )
    refused(Refusal.TOO_LARGE, json.loads(big), max_bytes=100)


def test_documents_refuse_to_be_built_wrong() -> None:
    with pytest.raises(ValueError, match="unknown document type"):
        Document("secret_plan", 1, NOW, "*", {}).body()
    with pytest.raises(ValueError, match="version"):
        Document("config", 0, NOW, "*", {}).body()
    with pytest.raises(ValueError, match="audience"):
        Document("config", 1, NOW, "", {}).body()
    with pytest.raises(ValueError, match="naive"):
        Document("config", 1, NOW.replace(tzinfo=None), "*", {}).body()


# --- keys ------------------------------------------------------------------------------------

# Ed25519 encodings that `cryptography` accepts as public keys although no private key is
# behind them: the 8 points of small order, and 2 non-canonical encodings of the identity.
SMALL_ORDER_ED25519 = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  # order 4
    "0000000000000000000000000000000000000000000000000000000000000080",  # order 4
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  # order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  # order 8
]
NON_CANONICAL_ED25519 = [
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p + 1
    "0100000000000000000000000000000000000000000000000000000000000080",  # x = -0
]


@pytest.mark.parametrize("hex_key", SMALL_ORDER_ED25519 + NON_CANONICAL_ED25519)
def test_weak_ed25519_keys_are_refused(hex_key: str) -> None:
    raw = bytes.fromhex(hex_key)
    with pytest.raises(SignedDocumentError) as info:
        VerifyKey(raw)
    assert info.value.reason is Refusal.WEAK_KEY
    assert re.search("small order|not canonically encoded", str(info.value))


def test_a_key_with_a_small_order_component_is_refused() -> None:
    from checkpoint_common import keycheck

    point = keycheck._decode_point(ONLINE.public.raw)
    torsion = keycheck._decode_point(bytes.fromhex(SMALL_ORDER_ED25519[4]))
    assert not isinstance(point, str) and not isinstance(torsion, str)
    mixed = keycheck._encode_point(keycheck._add(point, torsion))
    assert ed25519_problem(mixed) == "has a small-order component (not in the prime-order subgroup)"
    assert ed25519_problem(b"\x02" + bytes(31)) == "is not a point of the curve"
    assert ed25519_problem(bytes(31)) == "has 31 bytes, expected 32"
    for _ in range(20):
        assert ed25519_problem(SigningKey.generate().public.raw) is None


def test_fingerprints_are_short_readable_and_stable() -> None:
    key = SigningKey(bytes(range(32))).public
    # 100 bits of SHA-256 in five groups of base32: stable across versions (people compare it).
    assert key.fingerprint == "23TW 73GX DMAO 7TMH 3OGY"
    assert re.fullmatch(r"([A-Z2-7]{4} ){4}[A-Z2-7]{4}", ONLINE.public.fingerprint)
    assert key.matches_fingerprint("23tw-73gx-dmao-7tmh-3ogy")
    assert not key.matches_fingerprint("23TW 73GX DMAO 7TMH 3OGZ")
    assert ROOT.public.fingerprint != ONLINE.public.fingerprint
    assert len(key.key_id) == 16
    assert VerifyKey.from_text(key.to_text()) == key


def test_private_keys_in_pem_files() -> None:
    key = SigningKey.generate()
    assert SigningKey.from_pem(key.to_pem()) == key
    encrypted = key.to_pem(b"correct horse")
    assert b"ENCRYPTED" in encrypted
    assert SigningKey.from_pem(encrypted, b"correct horse") == key
    for passphrase in (None, b"wrong"):
        with pytest.raises(SignedDocumentError, match="passphrase"):
            SigningKey.from_pem(encrypted, passphrase)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(SignedDocumentError, match="not an Ed25519 private key"):
        SigningKey.from_pem(other)
    # Neither repr nor str shows the secret.
    assert key.seed.hex() not in repr(key) and base64.b64encode(key.seed).decode() not in repr(key)
    assert key.public.fingerprint in repr(key)


# --- hostile input never crashes -------------------------------------------------------------

_VERIFY = {
    "root": ROOT.public,
    "expected_type": "status_list",
    "audience": CHECKPOINT,
    "last_version": 3,
    "now": NOW,
}
GOOD = online(status_list(7))
HOSTILE_TIMES = [
    "2026-11-25T00:00:00Z",
    "2026-11-25",
    "+999999-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2027-01-01T00:00:00.000000Z",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _verify_or_refuse(data: bytes | Any) -> Any:
    try:
        return verify_document(data, **_VERIFY)
    except SignedDocumentError as exc:
        assert isinstance(exc.reason, Refusal)
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_by_name(data: bytes) -> None:
    assert _verify_or_refuse(data) is None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_mutated_genuine_envelope_never_crashes_and_never_verifies_other_bytes(
    data: st.DataObject,
) -> None:
    mutated = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        if action == "flip" and mutated:
            mutated[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "insert":
            mutated[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        elif action == "delete" and mutated:
            del mutated[at]
        else:
            del mutated[at:]
    verified = _verify_or_refuse(bytes(mutated))
    if verified is not None:
        # Base64 can spell the same bytes twice (unused low bits): the signed body must be the
        # genuine one, byte for byte.
        assert verified.document == verify_document(GOOD, **_VERIFY).document


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["format", "body", "signer", "signature", "delegation", "x"]),
        json_values,
        max_size=6,
    )
)
def test_hostile_envelope_members_are_refused_by_name(members: dict[str, Any]) -> None:
    original = json.loads(GOOD)
    changed = any(key not in original or original[key] != value for key, value in members.items())
    verified = _verify_or_refuse(original | members)
    assert (verified is None) == changed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from([*DocType, "other"]) | json_values,
            "version": st.integers(-2, 2**54) | json_values,
            "issued_at": st.sampled_from(HOSTILE_TIMES) | json_values,
            "audience": st.sampled_from(["*", CHECKPOINT, " x", "\x00"]) | json_values,
            "content": json_values,
        }
    ),
    st.booleans(),
)
def test_hostile_bodies_signed_by_the_root_itself_are_refused_by_name(
    body: dict[str, Any], as_status_list: bool
) -> None:
    """The body parser behind a valid signature: what the root's tool could get wrong."""
    raw = json.dumps(body).encode()
    data = _signed_body(raw)
    try:
        if as_status_list:
            verify_status_list(
                data, root=ROOT.public, audience=CHECKPOINT, current_version=3, now=NOW
            )
        else:
            verify_document(data, **_VERIFY)
    except SignedDocumentError as exc:
        assert isinstance(exc.reason, Refusal)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    json_values
    | st.fixed_dictionaries(
        {
            "key": st.sampled_from([ONLINE.public.to_text(), base64.b64encode(bytes(32)).decode()])
            | json_values,
            "new_key": st.just(ONLINE.public.to_text()) | json_values,
            "proof": st.just(base64.b64encode(bytes(64)).decode()) | json_values,
            "types": st.lists(st.sampled_from([*DocType]), max_size=3) | json_values,
            "not_after": st.sampled_from(HOSTILE_TIMES) | json_values,
            "full": json_values,
            "since": json_values,
            "count": json_values,
            "upserts": json_values,
            "removed": json_values,
        }
    )
)
def test_hostile_contents_signed_by_the_root_are_refused_by_name(content: Any) -> None:
    """Each content parser (delegation, rotation, sealing key, status list) behind a genuine
    root signature: refused by name or accepted, never a crash."""
    for doc_type in ("delegation", "signing_key_rotation", "sealing_key", "status_list"):
        envelope = sign(Document(doc_type, 2, NOW - dt.timedelta(days=1), "*", content), ROOT)
        try:
            if doc_type == "delegation":
                used = sign(status_list(), ONLINE, delegation=envelope)
                verify_document(used.to_bytes(), **_VERIFY)
            elif doc_type == "signing_key_rotation":
                verify_rotation(envelope.to_bytes(), root=ROOT.public, last_version=1, now=NOW)
            elif doc_type == "sealing_key":
                sealing_key_of(Document(doc_type, 2, NOW, "*", content))
            else:
                StatusListChange.of(Document(doc_type, 2, NOW, "*", content))
        except SignedDocumentError as exc:
            assert isinstance(exc.reason, Refusal)
