"""Sealing personal data to the health authority's public key.

A scan's raw payload and identity fields (ID number, name, birth date, address, phone, a proxy
health declaration) are encrypted at scan time to the authority's X25519 public key, so the
kiosk cannot read them back and a stolen kiosk reveals nobody. Only the holder of the private
key (the reference server, `kiosk-central`) can open them.

The box is an ECIES-style sealed box built from `cryptography`: a fresh X25519 key pair per
box, HKDF-SHA256 over the shared secret (bound to both public keys), AES-256-GCM with the
event_id as associated data (a box moved to another event does not open). Layout:

    version (1 byte, 0x01) | ephemeral public key (32) | nonce (12) | ciphertext + tag (16)

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

SEAL_FORMAT = "x25519-aesgcm-v1"
_VERSION = b"\x01"
_INFO = b"checkpoint-kiosk seal v1"
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


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + ephemeral + recipient
    ).derive(shared)


def seal(public: PublicKey, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt `plaintext` so that only the holder of `public`'s private key can read it.

    Raises SealError for a key that cannot be sealed to (wrong length, small order)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public.raw))
    except ValueError as exc:  # OpenSSL refuses an all-zero shared secret (a weak key)
        raise SealError("cannot seal to this key: it is malformed or weak") from exc
    key = _box_key(shared, ephemeral_raw, public.raw)
    nonce = os.urandom(_NONCE_LEN)
    return _VERSION + ephemeral_raw + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_box(private: PrivateKey, box: bytes, aad: bytes) -> bytes:
    """The plaintext of a box sealed to `private`'s public key. Raises SealError."""
    if len(box) < _HEADER_LEN + _TAG_LEN or box[:1] != _VERSION:
        raise SealError("not a sealed box of a known version")
    ephemeral_raw = box[1 : 1 + _KEY_LEN]
    nonce = box[1 + _KEY_LEN : _HEADER_LEN]
    try:
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        own = X25519PrivateKey.from_private_bytes(private.raw)
        key = _box_key(own.exchange(ephemeral), ephemeral_raw, private.public.raw)
        return AESGCM(key).decrypt(nonce, box[_HEADER_LEN:], aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError("the box does not open with this key (wrong key, event or bytes)") from exc


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


def seal_personal(public: PublicKey, event_id: str, data: PersonalData) -> bytes:
    body = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":"))
    return seal(public, body.encode("utf-8"), event_id.encode("ascii"))


def open_personal(private: PrivateKey, event_id: str, box: bytes) -> PersonalData:
    """Raises SealError (a box that does not open or does not hold personal data)."""
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
