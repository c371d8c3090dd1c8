"""Secrets the server hands out: one-time enrollment codes and device tokens.

Only SHA-256 digests of both are stored (docs/protocol.md, "Authentication"), so a copy of the
database does not let anyone enroll a kiosk or speak as one.

Enrollment codes are 12 characters of Crockford base32 (60 random bits), shown in groups of four
(`7KQ4-M2XD-9TPA`): they are read aloud and typed on a kiosk, so the alphabet has no I, L, O or
U, and `normalise_code` forgives case, dashes, spaces and the usual confusions (O→0, I/L→1).
Sixty bits against a code that lives 24 hours leaves nothing to guess. Device tokens are 32
random bytes, URL-safe base64.
"""

from __future__ import annotations

import hashlib
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_enrollment_code() -> str:
    """A fresh code, grouped 4-4-4 for reading aloud."""
    raw = "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """The canonical form of a typed code (upper case, no separators, confusables mapped)."""
    return "".join(code.split()).replace("-", "").upper().translate(_CONFUSABLE)


def code_digest(code: str) -> str:
    """What the database stores for an enrollment code (hex SHA-256 of its canonical form)."""
    return hashlib.sha256(normalise_code(code).encode("utf-8", "surrogatepass")).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores for a device token (hex SHA-256). `surrogatepass`: a hostile
    header must give an unknown digest (401), never an exception."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
