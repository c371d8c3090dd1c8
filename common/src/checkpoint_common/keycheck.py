"""Weak and malformed public keys, refused when a key is set instead of failing at first use.

Two kinds of key arrive from people and from the network:

- X25519 keys (the health authority's sealing key, checkpoint_common.seal). A key of small order
  (the all-zero key, 1, the points of order 2, 4 or 8, and their encodings above p) makes every
  key exchange produce the all-zero secret: `cryptography` then raises at the first scan, and a
  library that did not would seal every box under a key anyone can compute. `x25519_problem`
  asks `cryptography` itself: a key is weak exactly when an exchange with it yields zero.
- Ed25519 keys (the authority's signing keys, checkpoint_common.signing). `cryptography`
  accepts the identity point and the other small-order points as public keys; with one of
  those, signatures that verify can be made without any private key for some messages, and a
  key with a small-order component accepts more than one signature for a message.
  `ed25519_problem` decodes the point as RFC 8032 section 5.1.3 does (refusing an encoding of
  y at or above p and the "negative zero" x), then checks with a few lines of Edwards
  arithmetic that [8]P is not the identity (small order) and that [L]P is (the key lies in
  the prime-order subgroup, as every key made from a private key does).

Both return a short English reason, or None for a good key. Pure functions, no I/O, safe from
any thread; `ed25519_problem` costs about a millisecond (one 253-bit scalar multiplication in
Python), remembered for the last 64 keys (bench/signing.py).
"""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

__all__ = ["KEY_LENGTH", "ed25519_problem", "x25519_problem"]

KEY_LENGTH = 32

# Curve25519 / edwards25519 constants (RFC 7748, RFC 8032).
_P = 2**255 - 19
_D = (-121665 * pow(121666, -1, _P)) % _P
_L = 2**252 + 27742317777372353535851937790883648493
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

# Any scalar serves: X25519 clamps it to a multiple of 8, so a small-order point always
# gives the all-zero output, and any other point never does.
_PROBE = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))

_Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z
_IDENTITY: _Point = (0, 1, 1, 0)


def x25519_problem(raw: bytes) -> str | None:
    """Why `raw` is not a usable X25519 public key, or None when it is."""
    if len(raw) != KEY_LENGTH:
        return f"has {len(raw)} bytes, expected {KEY_LENGTH}"
    u = int.from_bytes(raw, "little")
    if u >> 255 or u >= _P:
        return "is not canonically encoded (u-coordinate at or above 2^255 - 19)"
    try:
        _PROBE.exchange(X25519PublicKey.from_public_bytes(raw))
    except ValueError:
        # OpenSSL refuses the all-zero shared secret (RFC 7748 section 6.1).
        return "is a weak key of small order (every key exchange with it gives zero)"
    return None


# The same few keys (the pinned root, the online key) are checked at every download: remember.
@functools.lru_cache(maxsize=64)
def ed25519_problem(raw: bytes) -> str | None:
    """Why `raw` is not a usable Ed25519 public key, or None when it is."""
    if len(raw) != KEY_LENGTH:
        return f"has {len(raw)} bytes, expected {KEY_LENGTH}"
    point = _decode_point(raw)
    if isinstance(point, str):
        return point
    if _is_identity(_multiply(8, point)):
        return "is a weak key of small order (signatures with it prove nothing)"
    if not _is_identity(_multiply(_L, point)):
        return "has a small-order component (not in the prime-order subgroup)"
    return None


# -- edwards25519 arithmetic (RFC 8032 section 5.1) -------------------------------------------


def _decode_point(raw: bytes) -> _Point | str:
    """The point a 32-byte encoding names, or the reason it names none."""
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    if y >= _P:
        return "is not canonically encoded (y-coordinate at or above 2^255 - 19)"
    x2 = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    if x2 == 0:
        if sign:
            return "is not canonically encoded (x is zero but its sign bit is set)"
        return (0, y, 1, 0)
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return "is not a point of the curve"
    if x & 1 != sign:
        x = _P - x
    return (x, y, 1, x * y % _P)


def _encode_point(point: _Point) -> bytes:
    x_, y_, z, _ = point
    z_inv = pow(z, -1, _P)
    x, y = x_ * z_inv % _P, y_ * z_inv % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _add(a: _Point, b: _Point) -> _Point:
    # The unified addition law of RFC 8032 (complete on edwards25519: also doubles).
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % _P
    bb = (y1 + x1) * (y2 + x2) % _P
    cc = 2 * t1 * t2 * _D % _P
    dd = 2 * z1 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: _Point) -> _Point:
    result = _IDENTITY
    addend = point
    while scalar:
        if scalar & 1:
            result = _add(result, addend)
        addend = _add(addend, addend)
        scalar >>= 1
    return result


def _is_identity(point: _Point) -> bool:
    x, y, z, _ = point
    return x % _P == 0 and (y - z) % _P == 0
