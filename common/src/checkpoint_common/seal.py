"""Sealing personal data to the health authority's public key.

A scan's raw payload and identity fields (ID number, name, birth date, address, phone, a proxy
health declaration) are encrypted at scan time to the authority's X25519 public key, so the
kiosk cannot read them back and a stolen kiosk reveals nobody. Only the holder of the private
key (the reference server, `kiosk-central`) can open them.

The box is an ECIES-style sealed box built from `cryptography`: a fresh X25519 key pair per
box, HKDF-SHA256 over the shared secret (bound to both public keys and the version),
AES-256-GCM. Layout:

    version (1 byte) | ephemeral public key (32) | nonce (12) | ciphertext + tag (16)

Version 2 (what kiosks write since issue #13): the associated data is the event id, the device
id and the person key (`box_context`), so a box moved to another event, another kiosk's upload
or another person's record does not open; the plaintext is padded to one of a few fixed sizes
(`PADDED_SIZES`, then whole multiples of the largest), so the box's length does not tell a short
name or address from a long one. Version 1 (kiosks before #13): the event id alone, no padding;
`open_personal` still opens it, so records uploaded before an upgrade stay readable.

Thread contract: pure functions and immutable keys; safe from any thread.

Thread contract: pure functions and immutable keys; safe from any thread.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from checkpoint_common.keycheck import x25519_problem

SEAL_FORMAT = "x25519-aesgcm-v2"
_V1 = b"\x01"
_V2 = b"\x02"
_INFO = {_V1: b"checkpoint-kiosk seal v1", _V2: b"checkpoint-kiosk seal v2"}
# A version 2 plaintext (4-byte length + body + zeros) is exactly one of these sizes, or a whole
# multiple of the last. A scan of a CCCD or a personal QR (name, address, the scanned text
# itself) fits the first; a long address, a vaccine certificate or a declaration the second.
PADDED_SIZES = (1024, 2048, 4096, 8192, 16384, 32768)
_LENGTH_BYTES = 4
_KEY_LEN = 32
_NONCE_LEN = 12
_HEADER_LEN = 1 + _KEY_LEN + _NONCE_LEN
_TAG_LEN = 16


class SealError(ValueError):
    """A key or a sealed box is malformed, or a box does not open with this key (wrong key,
    wrong event, tampered bytes)."""


def _key_bytes(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealError(f"{what} is not base64") from exc
    if len(raw) != _KEY_LEN:
        raise SealError(f"{what} has {len(raw)} bytes, expected {_KEY_LEN}")
    return raw


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An X25519 public key that boxes are sealed to."""

    raw: bytes

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """From standard base64 of the 32 raw bytes. Raises SealError, also for a weak key (of
        small order, or not canonically encoded: checkpoint_common.keycheck), so that a bad key
        is refused where it is set, not at the next scan."""
        raw = _key_bytes(text, "the authority key")
        problem = x25519_problem(raw)
        if problem:
            raise SealError(f"the authority key {problem}")
        return cls(raw)

    def to_text(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def key_id(self) -> str:
        """A short, stable name for the key (shown to people, stored beside each box)."""
        return hashlib.sha256(self.raw).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """The authority's private key (server side, or a kiosk's temporary holding key)."""

    raw: bytes

    @classmethod
    def generate(cls) -> PrivateKey:
        return cls(
            X25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        )

    @classmethod
    def from_text(cls, text: str) -> PrivateKey:
        """From standard base64 of the 32 raw bytes. Raises SealError."""
        return cls(_key_bytes(text, "the private key"))

    def to_text(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def public(self) -> PublicKey:
        return PublicKey(_public_raw(self.raw))


@functools.lru_cache(maxsize=8)
def _public_raw(private_raw: bytes) -> bytes:
    """The public half of a private key (an X25519 scalar multiplication: remembered for the few
    keys in use, since opening each box and checking its key id both need it)."""
    return _raw(X25519PrivateKey.from_private_bytes(private_raw).public_key())


def _box_key(version: bytes, shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=_INFO[version] + ephemeral + recipient,
    ).derive(shared)


def box_version(box: bytes) -> int:
    """The format version of a box (its first byte; 0 for an empty one)."""
    return box[0] if box else 0


def seal(public: PublicKey, plaintext: bytes, aad: bytes, *, version: int = 2) -> bytes:
    """Encrypt `plaintext` so that only the holder of `public`'s private key can read it.
    `version` 1 is for tests of the old format only (and opening old boxes).

    Raises SealError for a key that cannot be sealed to (wrong length, small order)."""
    tag = _V2 if version == 2 else _V1
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public.raw))
    except ValueError as exc:  # OpenSSL refuses an all-zero shared secret (a weak key)
        raise SealError("cannot seal to this key: it is malformed or weak") from exc
    key = _box_key(tag, shared, ephemeral_raw, public.raw)
    nonce = os.urandom(_NONCE_LEN)
    return tag + ephemeral_raw + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_box(private: PrivateKey, box: bytes, aad: bytes) -> bytes:
    """The plaintext of a box (version 1 or 2) sealed to `private`'s public key. Raises
    SealError."""
    version = box[:1]
    if len(box) < _HEADER_LEN + _TAG_LEN or version not in _INFO:
        raise SealError("not a sealed box of a known version")
    ephemeral_raw = box[1 : 1 + _KEY_LEN]
    nonce = box[1 + _KEY_LEN : _HEADER_LEN]
    try:
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        own = X25519PrivateKey.from_private_bytes(private.raw)
        key = _box_key(version, own.exchange(ephemeral), ephemeral_raw, private.public.raw)
        return AESGCM(key).decrypt(nonce, box[_HEADER_LEN:], aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError(
            "the box does not open with this key (wrong key, event, device, person or bytes)"
        ) from exc


def box_context(event_id: str, device_id: str, person_key: str) -> bytes:
    """A version 2 box's associated data: each part with its length, so no two different
    triples give the same bytes."""
    out = bytearray(b"checkpoint-kiosk box v2")
    for part in (event_id, device_id, person_key):
        data = part.encode("utf-8")
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def padded_size(length: int) -> int:
    """The size a plaintext of `length` bytes (with its 4-byte length) is padded to."""
    needed = length + _LENGTH_BYTES
    for size in PADDED_SIZES:
        if needed <= size:
            return size
    step = PADDED_SIZES[-1]
    return -(-needed // step) * step


def pad(body: bytes) -> bytes:
    return len(body).to_bytes(_LENGTH_BYTES, "big") + body.ljust(padded_size(len(body)) - 4, b"\0")


def unpad(padded: bytes) -> bytes:
    """Raises SealError for a plaintext whose length field does not fit it."""
    length = int.from_bytes(padded[:_LENGTH_BYTES], "big")
    if len(padded) < _LENGTH_BYTES or length > len(padded) - _LENGTH_BYTES:
        raise SealError("the box opened but its padding is damaged")
    return padded[_LENGTH_BYTES : _LENGTH_BYTES + length]


@dataclass(frozen=True, slots=True)
class PersonalData:
    """What a box holds: the exact scanned bytes, the identity fields, a declaration."""

    payload: bytes | None
    fields: dict[str, Any] | None
    declaration: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "payload_b64": base64.b64encode(self.payload).decode("ascii")
            if self.payload is not None
            else None,
            "fields": self.fields,
            "declaration": self.declaration,
        }

    @property
    def empty(self) -> bool:
        return self.payload is None and not self.fields and not self.declaration


def seal_personal(
    public: PublicKey, event_id: str, data: PersonalData, *, device_id: str, person_key: str
) -> bytes:
    """A version 2 box of `data`, bound to the event, the device and the person key (all three
    are needed to open it), padded (`padded_size`). Raises SealError for an unusable key."""
    body = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":"))
    return seal(public, pad(body.encode("utf-8")), box_context(event_id, device_id, person_key))


def seal_personal_v1(public: PublicKey, event_id: str, data: PersonalData) -> bytes:
    """A version 1 box, as kiosks wrote them before issue #13: for tests of the server's opener
    on old records only."""
    body = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":"))
    return seal(public, body.encode("utf-8"), event_id.encode("ascii"), version=1)


def open_personal(
    private: PrivateKey,
    event_id: str,
    box: bytes,
    *,
    device_id: str | None = None,
    person_key: str | None = None,
) -> PersonalData:
    """Open a box of either version. A version 2 box needs the `device_id` and `person_key` it
    was sealed with (as stored beside it): another event's, device's or person's do not open
    it. Raises SealError (a box that does not open or does not hold personal data)."""
    if box_version(box) == 2:
        if device_id is None or person_key is None:
            raise SealError("a version 2 box opens only with its device id and person key")
        body = unpad(open_box(private, box, box_context(event_id, device_id, person_key)))
    else:
        body = open_box(private, box, event_id.encode("ascii"))
    try:
        data = json.loads(body)
        payload = data["payload_b64"]
        return PersonalData(
            payload=base64.b64decode(payload) if payload is not None else None,
            fields=data["fields"],
            declaration=data["declaration"],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise SealError("the box opened but does not hold personal data") from exc
