"""Documents signed by the health authority, checked by every kiosk against a pinned key.

Whoever answers a kiosk's sync must not be able to change what the kiosk believes: its
configuration, the status list, the EU DCC trust list, the key personal data is sealed to.
Each of those travels as a *signed document*; docs/protocol.md ("Signed documents") describes
the chain of trust, and docs/central.md ("The authority's keys, offline") the operator's steps.

Keys (Ed25519):

- the **root** key of the health authority: made and kept offline (`kiosk-central authority
  make-root`); its public half is pinned on every kiosk (setting `authority_signing_key`) and
  compared by a person through its fingerprint (`VerifyKey.fingerprint`, 100 bits in base32
  groups: `7KQ4 M2XD 9TPA ...`). Only the root signs `trust_list`, `sealing_key`,
  `delegation` and `signing_key_rotation` documents;
- an **online** key held by the serving host, allowed by a `delegation` document (signed by the
  root) to sign only some types (`config`, `status_list`: they change daily from the web
  console; `declaration`: citizens' health declarations, whose compact signature travels in
  a personal QR code, checkpoint_common.declaration) until its `not_after`.

An **envelope** (UTF-8 JSON) carries the exact bytes that were signed, so nothing is ever
re-encoded before checking (no canonical-JSON games):

    {"format": "checkpoint-kiosk-signed/1",
     "body": "<base64 of the body bytes>",
     "signer": "<base64 of the signer's 32-byte Ed25519 public key>",
     "signature": "<base64 of Ed25519(SIGNING_CONTEXT + body bytes)>",
     "delegation": <the envelope of the root's delegation for `signer`>}  (online key only)

SIGNING_CONTEXT (`checkpoint-kiosk signed document v1` and a NUL) separates these signatures
from any other use of the same key. The **body** is UTF-8 JSON with exactly these members:

    {"type": "status_list",                  # one of DocType
     "version": 42,                          # 1 .. 2^53 - 1; only goes up, per type
     "issued_at": "2026-11-25T17:20:36Z",    # ISO 8601 with a zone: the signer's time
     "audience": "*",                        # "*" (every kiosk) or one checkpoint id
     "content": {...}}                       # per type, below

Contents: `delegation` {"key": base64 Ed25519, "types": [...], "not_after": ISO time};
`signing_key_rotation` {"new_key": base64 Ed25519, "proof": base64 signature by the new key
over ROTATION_CONTEXT + old key + new key}; `sealing_key` {"key": base64 X25519};
`status_list` (see `StatusListChange`); `trust_list` the trust-list object of
checkpoint_common.trustlist; `config` {"checkpoint": {"id", "name"}, "settings": {...}}.

`verify_document` checks everything and raises `SignedDocumentError` whose `reason` is a
`Refusal` code a screen can show. It never raises anything else, whatever the bytes.

Replay and freshness: a kiosk keeps, per type, the version it last accepted and refuses any
document whose version is not strictly above (`document_not_newer`): an old status list served
again is refused, whatever its transport says. Its age is `now - issued_at` of the accepted
document (signed), never the time it was downloaded. Delegation expiry is judged at `now`;
a kiosk passes the later of its clock and the newest `issued_at` it has accepted, so a kiosk
whose clock fell back to 1970 still refuses an online key whose delegation has ended.

The incremental status list: each change batch is its own signed `status_list` document,
chained to the version it applies to (`since`); a kiosk applies it only on exactly that version
(`document_status_list_gap` otherwise: ask for the full list). A full list has `since` null.
Every document says how many entries the list holds after it (`count`), so a kiosk whose list
drifted notices and asks for the full list.

Thread contract: immutable values and pure functions; safe from any thread.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn, TypeGuard

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkpoint_common import seal
from checkpoint_common.keycheck import KEY_LENGTH, ed25519_problem
from checkpoint_common.protocol import ProtocolError, StatusEntry
from checkpoint_common.timefmt import to_iso

__all__ = [
    "DELEGABLE_TYPES",
    "ENVELOPE_FORMAT",
    "MAX_VERSION",
    "ROOT_ONLY_TYPES",
    "ROTATION_CONTEXT",
    "SIGNING_CONTEXT",
    "Delegation",
    "DocType",
    "Document",
    "Envelope",
    "Refusal",
    "SignedDocumentError",
    "SigningKey",
    "StatusListChange",
    "Verified",
    "VerifyKey",
    "delegate",
    "follow_rotations",
    "max_bytes_for",
    "rotate",
    "sealing_key_document",
    "sealing_key_of",
    "sign",
    "status_list_document",
    "verify_document",
    "verify_rotation",
    "verify_status_list",
]

ENVELOPE_FORMAT = "checkpoint-kiosk-signed/1"
SIGNING_CONTEXT = b"checkpoint-kiosk signed document v1\x00"
ROTATION_CONTEXT = b"checkpoint-kiosk signing key rotation v1\x00"
_FINGERPRINT_CONTEXT = b"checkpoint-kiosk key fingerprint v1\x00"
SIGNATURE_LENGTH = 64
MAX_VERSION = 2**53 - 1  # what every JSON reader keeps exactly
# Envelope sizes (bytes of JSON). A province's status list with 200,000 people is about 20 MB
# of envelope; the EU trust list about 2 MB; everything else is small.
_MAX_BYTES = {"status_list": 64 * 1024 * 1024, "trust_list": 8 * 1024 * 1024}
_MAX_BYTES_OTHER = 1024 * 1024
_MAX_AUDIENCE = 64  # the longest checkpoint id settings accept
_BODY_MEMBERS = frozenset({"type", "version", "issued_at", "audience", "content"})
_ENVELOPE_MEMBERS = frozenset({"format", "body", "signer", "signature", "delegation"})


class DocType(StrEnum):
    CONFIG = "config"
    STATUS_LIST = "status_list"
    TRUST_LIST = "trust_list"
    SEALING_KEY = "sealing_key"
    DELEGATION = "delegation"
    SIGNING_KEY_ROTATION = "signing_key_rotation"
    # Never an envelope: an online key delegated this type signs citizens' health declarations
    # (the compact signature in a personal QR code, checkpoint_common.declaration).
    DECLARATION = "declaration"


_TYPES = frozenset(t.value for t in DocType)
# Only the offline root signs these; a delegation may allow an online key the others.
ROOT_ONLY_TYPES = frozenset({"trust_list", "sealing_key", "delegation", "signing_key_rotation"})
DELEGABLE_TYPES = _TYPES - ROOT_ONLY_TYPES


class Refusal(StrEnum):
    """Why a signed document was refused: a code for logs and screens (kiosk.ui maps words)."""

    MALFORMED = "document_malformed"  # not an envelope, or a body not as specified
    TOO_LARGE = "document_too_large"
    WEAK_KEY = "document_weak_key"  # a key in it is malformed, of small order or non-canonical
    BAD_SIGNATURE = "document_bad_signature"
    UNKNOWN_SIGNER = "document_unknown_signer"  # neither the pinned root nor delegated by it
    DELEGATION_INVALID = "document_delegation_invalid"
    DELEGATION_EXPIRED = "document_delegation_expired"
    DELEGATION_REVOKED = "document_delegation_revoked"  # a newer delegation was accepted
    TYPE_NOT_ALLOWED = "document_type_not_allowed"  # this signer may not sign this type
    WRONG_TYPE = "document_wrong_type"
    WRONG_AUDIENCE = "document_wrong_audience"  # meant for another checkpoint
    NOT_NEWER = "document_not_newer"  # an older or replayed version
    STATUS_LIST_GAP = "document_status_list_gap"  # a change batch for another version


class SignedDocumentError(ValueError):
    """A signed document (or a key for one) that must not be used; `reason` says why."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(f"{message} ({reason.value})")
        self.reason = reason
        self.detail = message  # the words without the code


def _refuse(reason: Refusal, message: str) -> NoReturn:
    raise SignedDocumentError(reason, message)


# -- keys -------------------------------------------------------------------------------------


def _b64(value: Any, what: str, reason: Refusal = Refusal.MALFORMED) -> bytes:
    if not isinstance(value, str):
        _refuse(reason, f"{what} is not base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        _refuse(reason, f"{what} is not valid base64")


def _text(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True, slots=True)
class VerifyKey:
    """An Ed25519 public key that signed documents are checked against. Constructing one
    checks it: SignedDocumentError (document_weak_key) for a key of the wrong length, not
    canonically encoded, of small order or with a small-order component."""

    raw: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.raw, bytes):
            _refuse(Refusal.MALFORMED, "a signing key is bytes")
        problem = ed25519_problem(self.raw)
        if problem:
            _refuse(Refusal.WEAK_KEY, f"the signing key {problem}")

    @classmethod
    def from_text(cls, text: str) -> VerifyKey:
        """From standard base64 of the 32 raw bytes (as `to_text` writes)."""
        return cls(_b64(text.strip() if isinstance(text, str) else text, "the signing key"))

    def to_text(self) -> str:
        return _text(self.raw)

    @property
    def fingerprint(self) -> str:
        """What a person compares: 100 bits of SHA-256 in base32, in five groups of four
        (`7KQ4 M2XD 9TPA ...`; letters and the digits 2-7, nothing to confuse)."""
        digest = hashlib.sha256(_FINGERPRINT_CONTEXT + self.raw).digest()
        text = base64.b32encode(digest).decode("ascii")[:20]
        return " ".join(text[i : i + 4] for i in range(0, 20, 4))

    def matches_fingerprint(self, typed: str) -> bool:
        """Whether `typed` is this key's fingerprint (spaces, dashes and case ignored)."""
        clean = "".join(ch for ch in typed.upper() if ch.isalnum())
        return clean == self.fingerprint.replace(" ", "")

    @property
    def key_id(self) -> str:
        """A short machine name for the key (logs, file names): 16 hex characters."""
        return hashlib.sha256(self.raw).hexdigest()[:16]

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message` (no context added)."""
        if len(signature) != SIGNATURE_LENGTH:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def __repr__(self) -> str:
        return f"VerifyKey({self.fingerprint})"


@dataclass(frozen=True, slots=True, repr=False)
class SigningKey:
    """An Ed25519 private key (the 32-byte seed). Only the authority's tools and the serving
    host hold one; a kiosk never does. `repr` shows the public fingerprint, never the seed."""

    seed: bytes

    def __post_init__(self) -> None:
        if len(self.seed) != KEY_LENGTH:
            _refuse(Refusal.MALFORMED, f"a signing key has {KEY_LENGTH} bytes")

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        )

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public(self) -> VerifyKey:
        return VerifyKey(
            self._private()
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )

    def sign(self, message: bytes) -> bytes:
        """The raw Ed25519 signature of `message` (no context added: see `sign`)."""
        return self._private().sign(message)

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        """PKCS#8 PEM (readable by openssl), encrypted with `passphrase` when given."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self._private().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @classmethod
    def from_pem(cls, data: bytes, passphrase: bytes | None = None) -> SigningKey:
        """Raises SignedDocumentError (document_malformed) for anything but an Ed25519 PKCS#8
        key, an encrypted key without its passphrase, or a wrong passphrase."""
        try:
            key = serialization.load_pem_private_key(data, password=passphrase or None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            _refuse(Refusal.MALFORMED, f"not an Ed25519 private key, or a wrong passphrase: {exc}")
        if not isinstance(key, Ed25519PrivateKey):
            _refuse(Refusal.MALFORMED, f"a {type(key).__name__}, not an Ed25519 private key")
        return cls(
            key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        )

    def __repr__(self) -> str:
        return f"SigningKey({self.public.fingerprint})"


# -- documents and envelopes ------------------------------------------------------------------


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{what}: naive datetime (times are always timezone-aware)")
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class Document:
    """What the authority says: a type, a version that only goes up (per type), the signer's
    time, who it is for ("*" or a checkpoint id) and the content (JSON values)."""

    type: str
    version: int
    issued_at: dt.datetime
    audience: str
    content: Any

    def body(self) -> bytes:
        """The bytes to sign (compact UTF-8 JSON). Raises ValueError for an invalid document
        (a bug of the signer's tool, never a hostile input)."""
        if self.type not in _TYPES:
            raise ValueError(f"unknown document type {self.type!r}")
        if not _good_version(self.version):
            raise ValueError(f"version must be a whole number from 1 to {MAX_VERSION}")
        if not _good_audience(self.audience):
            raise ValueError('audience must be "*" or a checkpoint id')
        data = {
            "type": self.type,
            "version": self.version,
            "issued_at": to_iso(_aware(self.issued_at, "issued_at")),
            "audience": self.audience,
            "content": self.content,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def age(self, now: dt.datetime) -> dt.timedelta:
        """How old the document is at `now` by its signed issue time (negative: a clock behind)."""
        return _aware(now, "now") - self.issued_at


def _good_version(value: Any) -> TypeGuard[int]:
    return type(value) is int and 1 <= value <= MAX_VERSION


def _good_audience(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= _MAX_AUDIENCE
        and value.strip() == value
        and all(ord(ch) >= 32 for ch in value)
    )


@dataclass(frozen=True, slots=True)
class Envelope:
    """The signed bytes, who signed them, the signature, and the delegation that allows an
    online signer (None when the root signed)."""

    body: bytes
    signer: VerifyKey
    signature: bytes
    delegation: Envelope | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": ENVELOPE_FORMAT,
            "body": _text(self.body),
            "signer": self.signer.to_text(),
            "signature": _text(self.signature),
        }
        if self.delegation is not None:
            data["delegation"] = self.delegation.to_json()
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":")).encode("ascii")

    @classmethod
    def from_json(cls, data: Any, *, nested: bool = False) -> Envelope:
        """Parse (not verify) an envelope. Raises SignedDocumentError (malformed, weak key)."""
        if not isinstance(data, Mapping):
            _refuse(Refusal.MALFORMED, "an envelope is a JSON object")
        unknown = set(data) - _ENVELOPE_MEMBERS
        if unknown:
            _refuse(Refusal.MALFORMED, f"unknown envelope member {sorted(unknown)[0]!r}")
        if data.get("format") != ENVELOPE_FORMAT:
            _refuse(Refusal.MALFORMED, f'"format" is not {ENVELOPE_FORMAT!r}')
        body = _b64(data.get("body"), '"body"')
        signer = VerifyKey(_b64(data.get("signer"), '"signer"'))
        signature = _b64(data.get("signature"), '"signature"')
        if len(signature) != SIGNATURE_LENGTH:
            _refuse(Refusal.MALFORMED, f'"signature" is not {SIGNATURE_LENGTH} bytes')
        delegation = None
        if data.get("delegation") is not None:
            if nested:
                _refuse(Refusal.DELEGATION_INVALID, "a delegation cannot itself be delegated")
            delegation = cls.from_json(data["delegation"], nested=True)
        return cls(body, signer, signature, delegation)

    @classmethod
    def from_bytes(cls, data: bytes, *, max_bytes: int = _MAX_BYTES_OTHER) -> Envelope:
        """Parse (not verify) an envelope's JSON bytes of at most `max_bytes`."""
        if len(data) > max_bytes:
            _refuse(Refusal.TOO_LARGE, f"{len(data)} bytes, more than {max_bytes}")
        return cls.from_json(_json(data, "the envelope"))


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        # Two readers could take different values for one member: refuse the ambiguity.
        raise ValueError("a member appears twice")
    return dict(pairs)


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError includes JSONDecodeError and integers longer than Python converts.
        _refuse(Refusal.MALFORMED, f"{what} is not UTF-8 JSON: {exc}")


def sign(document: Document, key: SigningKey, *, delegation: Envelope | None = None) -> Envelope:
    """Sign `document` with `key`. An online key passes the root's `delegation` for it, which
    travels inside the envelope (kiosks need nothing else to check it)."""
    body = document.body()
    return Envelope(body, key.public, key.sign(SIGNING_CONTEXT + body), delegation)


def max_bytes_for(doc_type: str) -> int:
    """The largest envelope accepted for a document type (bytes of JSON)."""
    return _MAX_BYTES.get(doc_type, _MAX_BYTES_OTHER)


# -- the content of particular types ----------------------------------------------------------


def _mapping(content: Any, what: str, reason: Refusal = Refusal.MALFORMED) -> Mapping[str, Any]:
    if not isinstance(content, Mapping):
        _refuse(reason, f"the content of a {what} document is a JSON object")
    return content


def _time(value: Any, what: str, reason: Refusal = Refusal.MALFORMED) -> dt.datetime:
    """An ISO 8601 time with a zone (`Z` or an offset); no zone is refused, never guessed."""
    if not isinstance(value, str) or len(value) > 40:
        _refuse(reason, f"{what} is not an ISO 8601 time")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _refuse(reason, f"{what} is not an ISO 8601 time")
    if moment.tzinfo is None:
        _refuse(reason, f"{what} has no time zone")
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        _refuse(reason, f"{what} is out of range")


@dataclass(frozen=True, slots=True)
class Delegation:
    """The root allows `key` to sign documents of `types` until `not_after`."""

    key: VerifyKey
    types: frozenset[str]
    not_after: dt.datetime
    version: int
    issued_at: dt.datetime

    @classmethod
    def of(cls, document: Document) -> Delegation:
        """The delegation a verified `delegation` document states. Raises SignedDocumentError
        (delegation_invalid) for a content that is not one, or that delegates a root-only
        type."""
        bad = Refusal.DELEGATION_INVALID
        content = _mapping(document.content, "delegation", bad)
        key = VerifyKey(_b64(content.get("key"), 'the delegation\'s "key"', bad))
        types = content.get("types")
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            _refuse(bad, 'the delegation\'s "types" is a non-empty list of document types')
        if not set(types) <= DELEGABLE_TYPES:
            others = sorted(set(types) - DELEGABLE_TYPES)
            _refuse(bad, f"a delegation cannot allow {others[0]!r} (only the root signs it)")
        not_after = _time(content.get("not_after"), 'the delegation\'s "not_after"', bad)
        return cls(key, frozenset(types), not_after, document.version, document.issued_at)


def delegate(
    root: SigningKey,
    online: VerifyKey,
    *,
    types: Iterable[str],
    not_after: dt.datetime,
    version: int,
    issued_at: dt.datetime,
    audience: str = "*",
) -> Envelope:
    """The root's delegation document allowing `online` to sign `types` until `not_after`.

    Raises ValueError for a root-only type, or for an end not after the issue time."""
    wanted = sorted(set(types))
    if not wanted or not set(wanted) <= DELEGABLE_TYPES:
        raise ValueError(f"an online key may sign only {', '.join(sorted(DELEGABLE_TYPES))}")
    if _aware(not_after, "not_after") <= _aware(issued_at, "issued_at"):
        raise ValueError("not_after must be later than the issue time")
    content = {"key": online.to_text(), "types": wanted, "not_after": to_iso(not_after)}
    document = Document(DocType.DELEGATION, version, issued_at, audience, content)
    return sign(document, root)


def _rotation_proof_message(old: VerifyKey, new: VerifyKey) -> bytes:
    return ROTATION_CONTEXT + old.raw + new.raw


def rotate(old: SigningKey, new: SigningKey, *, version: int, issued_at: dt.datetime) -> Envelope:
    """The document by which the root `old` hands over to `new`. Signed by the old root, with
    the new key's proof that its holder agrees (a rotation to a key nobody holds would lock
    every kiosk out)."""
    proof = new.sign(_rotation_proof_message(old.public, new.public))
    content = {"new_key": new.public.to_text(), "proof": _text(proof)}
    document = Document(DocType.SIGNING_KEY_ROTATION, version, issued_at, "*", content)
    return sign(document, old)


def _rotation_of(document: Document, old: VerifyKey) -> VerifyKey:
    bad = Refusal.MALFORMED
    content = _mapping(document.content, "signing_key_rotation")
    new = VerifyKey(_b64(content.get("new_key"), 'the rotation\'s "new_key"'))
    proof = _b64(content.get("proof"), 'the rotation\'s "proof"')
    if new == old:
        _refuse(bad, "a rotation to the same key")
    if not new.verify(proof, _rotation_proof_message(old, new)):
        _refuse(Refusal.BAD_SIGNATURE, "the new key's proof does not verify")
    return new


def sealing_key_document(
    key: seal.PublicKey, *, version: int, issued_at: dt.datetime, audience: str = "*"
) -> Document:
    """The document announcing the X25519 key kiosks seal personal data to (root only)."""
    return Document(DocType.SEALING_KEY, version, issued_at, audience, {"key": key.to_text()})


def sealing_key_of(document: Document) -> seal.PublicKey:
    """The sealing key a verified `sealing_key` document carries. Raises SignedDocumentError
    (document_weak_key for a small-order or malformed key; document_wrong_type)."""
    if document.type != DocType.SEALING_KEY:
        _refuse(Refusal.WRONG_TYPE, f"a {document.type} document carries no sealing key")
    content = _mapping(document.content, "sealing_key")
    value = content.get("key")
    if not isinstance(value, str):
        _refuse(Refusal.MALFORMED, 'the sealing key document has no "key"')
    try:
        return seal.PublicKey.from_text(value)
    except seal.SealError as exc:
        _refuse(Refusal.WEAK_KEY, str(exc))


@dataclass(frozen=True, slots=True)
class StatusListChange:
    """One signed step of the status list: the whole list (`full`, `since` None) or the
    changes from version `since` to `version`; `count` entries in the list afterwards."""

    version: int
    issued_at: dt.datetime
    full: bool
    since: int | None
    upserts: tuple[StatusEntry, ...]
    removed: tuple[str, ...]
    count: int

    @classmethod
    def of(cls, document: Document) -> StatusListChange:
        """Raises SignedDocumentError (document_malformed) for a content that is not one."""
        content = _mapping(document.content, "status_list")
        full, since, count = content.get("full"), content.get("since"), content.get("count")
        if not isinstance(full, bool):
            _refuse(Refusal.MALFORMED, 'a status list says whether it is "full" (true/false)')
        if full and since is not None:
            _refuse(Refusal.MALFORMED, 'a full status list has "since": null')
        if not full and not (_good_version(since) and since < document.version):
            _refuse(Refusal.MALFORMED, 'a change batch names the version it applies to, "since"')
        if type(count) is not int or count < 0:
            _refuse(Refusal.MALFORMED, 'a status list says how many entries it holds, "count"')
        upserts_raw, removed = content.get("upserts"), content.get("removed")
        if not isinstance(upserts_raw, list) or not isinstance(removed, list):
            _refuse(Refusal.MALFORMED, 'a status list has "upserts" and "removed" lists')
        try:
            upserts = tuple(StatusEntry.from_json(entry) for entry in upserts_raw)
        except ProtocolError as exc:
            _refuse(Refusal.MALFORMED, f"a status list entry: {exc}")
        if not all(isinstance(key, str) for key in removed):
            _refuse(Refusal.MALFORMED, '"removed" is a list of person keys')
        if full and (removed or count != len(upserts)):
            _refuse(Refusal.MALFORMED, 'a full status list removes nothing and holds "count"')
        return cls(
            document.version,
            document.issued_at,
            full,
            since if not full else None,
            upserts,
            tuple(removed),
            count,
        )


def status_list_document(
    *,
    version: int,
    issued_at: dt.datetime,
    upserts: Sequence[StatusEntry],
    count: int,
    since: int | None = None,
    removed: Sequence[str] = (),
    audience: str = "*",
) -> Document:
    """A full list (`since` None: `upserts` is the whole list) or the changes since `since`."""
    content = {
        "full": since is None,
        "since": since,
        "count": count,
        "upserts": [
            {"person_key": e.person_key, "colour": e.colour, "valid_until": e.valid_until}
            for e in upserts
        ],
        "removed": list(removed),
    }
    return Document(DocType.STATUS_LIST, version, issued_at, audience, content)


# -- verification -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verified:
    """A document that passed every check, who signed it and under which delegation."""

    document: Document
    signer: VerifyKey
    delegation: Delegation | None  # None: signed by the root itself


def _parse_body(body: bytes) -> Document:
    data = _json(body, "the signed body")
    if not isinstance(data, dict) or set(data) != _BODY_MEMBERS:
        _refuse(Refusal.MALFORMED, f"the body has exactly the members {sorted(_BODY_MEMBERS)}")
    doc_type, version, audience = data["type"], data["version"], data["audience"]
    if not isinstance(doc_type, str) or doc_type not in _TYPES:
        _refuse(Refusal.MALFORMED, "the body names an unknown document type")
    if not _good_version(version):
        _refuse(Refusal.MALFORMED, f'"version" is a whole number from 1 to {MAX_VERSION}')
    if not _good_audience(audience):
        _refuse(Refusal.MALFORMED, '"audience" is "*" or a checkpoint id')
    issued_at = _time(data["issued_at"], '"issued_at"')
    return Document(str(doc_type), version, issued_at, audience, data["content"])


def _check_signature(envelope: Envelope, what: str) -> Document:
    if not envelope.signer.verify(envelope.signature, SIGNING_CONTEXT + envelope.body):
        _refuse(Refusal.BAD_SIGNATURE, f"the signature of the {what} does not verify")
    return _parse_body(envelope.body)


def _check_audience(document: Document, audience: str, what: str) -> None:
    if document.audience not in ("*", audience):
        _refuse(Refusal.WRONG_AUDIENCE, f"the {what} is for another checkpoint")


def _check_delegation(
    envelope: Envelope,
    root: VerifyKey,
    audience: str,
    now: dt.datetime,
    min_version: int | None,
) -> Delegation:
    if envelope.delegation is None:
        _refuse(Refusal.UNKNOWN_SIGNER, "signed by a key that is not the pinned root's")
    if envelope.delegation.signer != root:
        _refuse(Refusal.DELEGATION_INVALID, "the delegation is not signed by the pinned root")
    document = _check_signature(envelope.delegation, "delegation")
    if document.type != DocType.DELEGATION:
        _refuse(Refusal.DELEGATION_INVALID, f"a {document.type} document is no delegation")
    _check_audience(document, audience, "delegation")
    delegation = Delegation.of(document)
    if delegation.key != envelope.signer:
        _refuse(Refusal.DELEGATION_INVALID, "the delegation is for another key")
    if min_version is not None and delegation.version < min_version:
        _refuse(
            Refusal.DELEGATION_REVOKED,
            f"delegation version {delegation.version}: a newer one ({min_version}) replaced it",
        )
    if now > delegation.not_after:
        ended = to_iso(delegation.not_after)
        _refuse(Refusal.DELEGATION_EXPIRED, f"the delegation ended at {ended}")
    return delegation


def verify_document(
    data: bytes | Mapping[str, Any],
    *,
    root: VerifyKey,
    expected_type: str,
    audience: str,
    last_version: int | None,
    now: dt.datetime,
    min_delegation_version: int | None = None,
    max_bytes: int | None = None,
) -> Verified:
    """Check a signed document completely; return it, or raise SignedDocumentError.

    data: the envelope as received (JSON bytes, or already parsed).
    root: the pinned root key. expected_type: the DocType asked for (a document of another
    type is refused). audience: this kiosk's checkpoint id ("*" documents are for everyone).
    last_version: the version of this type last accepted (None: none yet); only a strictly
    higher one passes. now: the later of the clock and the newest accepted issue time (for the
    delegation's end); timezone-aware (a naive one is a bug: ValueError).
    min_delegation_version: the highest delegation version accepted so far (an older
    delegation is revoked by a newer one). max_bytes: default `max_bytes_for`.

    Checks, in order: size; envelope shape and keys (weak keys refused); the signer is the root
    or carries a delegation signed by the root, for this key, this audience, not revoked, not
    ended; the signature over the exact body bytes; the body's shape; its type is the one asked
    for and one this signer may sign (root-only types from the root only); an online key's
    document issued within its delegation; the audience; the version above `last_version`.
    """
    limit = max_bytes if max_bytes is not None else max_bytes_for(expected_type)
    if isinstance(data, bytes | bytearray):
        envelope = Envelope.from_bytes(bytes(data), max_bytes=limit)
    else:
        body_text = data.get("body") if isinstance(data, Mapping) else None
        if isinstance(body_text, str) and len(body_text) > limit:
            _refuse(Refusal.TOO_LARGE, f"a body of {len(body_text)} characters, over {limit}")
        envelope = Envelope.from_json(data)
    now = _aware(now, "now")
    delegation = None
    if envelope.signer != root:
        delegation = _check_delegation(envelope, root, audience, now, min_delegation_version)
    elif envelope.delegation is not None:
        _refuse(Refusal.MALFORMED, "the root's own documents carry no delegation")
    document = _check_signature(envelope, "document")
    if document.type != expected_type:
        _refuse(Refusal.WRONG_TYPE, f"a {document.type} document where {expected_type} was asked")
    if delegation is not None:
        if document.type in ROOT_ONLY_TYPES:
            _refuse(Refusal.TYPE_NOT_ALLOWED, f"only the root signs {document.type} documents")
        if document.type not in delegation.types:
            _refuse(Refusal.TYPE_NOT_ALLOWED, f"the online key may not sign {document.type}")
        if not delegation.issued_at <= document.issued_at <= delegation.not_after:
            _refuse(Refusal.DELEGATION_EXPIRED, "the document was issued outside its delegation")
    _check_audience(document, audience, "document")
    if last_version is not None and document.version <= last_version:
        _refuse(
            Refusal.NOT_NEWER,
            f"version {document.version} is not newer than the accepted {last_version} "
            "(an older or replayed document)",
        )
    return Verified(document, envelope.signer, delegation)


def verify_status_list(
    data: bytes | Mapping[str, Any],
    *,
    root: VerifyKey,
    audience: str,
    current_version: int | None,
    now: dt.datetime,
    min_delegation_version: int | None = None,
) -> tuple[Verified, StatusListChange]:
    """`verify_document` for a status list, and the chain: a change batch applies only to the
    version it was made for (`current_version`, the list the kiosk holds). Raises
    SignedDocumentError (document_status_list_gap: ask for the full list)."""
    verified = verify_document(
        data,
        root=root,
        expected_type=DocType.STATUS_LIST,
        audience=audience,
        last_version=current_version,
        now=now,
        min_delegation_version=min_delegation_version,
    )
    change = StatusListChange.of(verified.document)
    if not change.full and change.since != current_version:
        _refuse(
            Refusal.STATUS_LIST_GAP,
            f"changes since version {change.since}, but this list is at {current_version}",
        )
    return verified, change


def verify_rotation(
    data: bytes | Mapping[str, Any],
    *,
    root: VerifyKey,
    last_version: int | None,
    now: dt.datetime,
) -> tuple[Verified, VerifyKey]:
    """Check a `signing_key_rotation` document signed by the pinned `root`; return the new
    root to pin. Raises SignedDocumentError."""
    verified = verify_document(
        data,
        root=root,
        expected_type=DocType.SIGNING_KEY_ROTATION,
        audience="*",
        last_version=last_version,
        now=now,
    )
    return verified, _rotation_of(verified.document, root)


def follow_rotations(
    root: VerifyKey,
    rotations: Iterable[bytes | Mapping[str, Any]],
    *,
    last_version: int | None,
    now: dt.datetime,
) -> tuple[VerifyKey, int | None]:
    """Walk a chain of rotations from the pinned `root` (a kiosk offline through several
    rotations): each must be signed by the root the previous one installed and have a higher
    version. Rotations already applied (version not above `last_version`) are skipped. Returns
    the root to pin and the last rotation version. Raises SignedDocumentError at the first
    one that does not chain; nothing is applied then (the caller pins only the result)."""
    pending: list[tuple[int, bytes | Mapping[str, Any]]] = []
    for data in rotations:
        envelope = (
            Envelope.from_bytes(bytes(data))
            if isinstance(data, bytes | bytearray)
            else Envelope.from_json(data)
        )
        pending.append((_parse_body(envelope.body).version, data))
    for version, data in sorted(pending, key=lambda item: item[0]):
        if last_version is not None and version <= last_version:
            continue
        _, root = verify_rotation(data, root=root, last_version=last_version, now=now)
        last_version = version
    return root, last_version
