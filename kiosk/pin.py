"""The administration PIN: a slow salted hash, and the lockout after repeated wrong entries.

Pure and Qt-free (the screen is kiosk.ui.pin; `kiosk set-pin` and `install.sh --admin-pin` set
one from the console). The hash is what the `admin_pin_hash` setting holds:
`scrypt6$65536$8$1$<salt b64>$<hash b64>`: a PIN of at least MIN_DIGITS (6) digits under scrypt
with n=2**16, r=8 (64 MiB, about 0.15 s of one core here, more on a Pi), so that guessing all
million 6-digit PINs from a stolen settings file costs core-days (docs/reliability.md, "The
admin PIN"). Hashes from before issue #13 (`scrypt$16384$...`, PINs of 4 digits allowed) still
verify, but `pin_hash_is_current` says they are not current and `kiosk doctor` fails on them.
The lockout makes guessing at the screen slow: after MAX_FAILURES wrong PINs in a row the PIN is
refused for 5 minutes, then 10, 20, ... on each further lockout, until a right PIN resets it.

Lockout time is measured on the monotonic clock (a wall-clock jump must neither end nor extend
it). The state is a small value saved by the caller (the store's meta table, LOCKOUT_META_KEY)
so that restarting the app does not reset it: within the same boot the monotonic clock goes on
and the lockout ends exactly when it would have; after a reboot the monotonic clock restarts,
so the full lockout period starts again (`resumed`): a power cycle never shortens a lockout.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import math
import os
import re
from dataclasses import dataclass

from kiosk.clock import Instant

SCHEME = "scrypt6"  # a hash of a PIN of at least MIN_DIGITS digits
LEGACY_SCHEME = "scrypt"  # before #13: 4-digit PINs were allowed
SCRYPT_N = 2**16
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# Memory scrypt may use: 128 * r * n bytes is 64 MiB for the parameters above; a stored hash
# with larger parameters (a newer kiosk) still verifies up to this bound.
_MAX_MEM = 256 * 1024 * 1024

MIN_DIGITS = 6
LEGACY_MIN_DIGITS = 4
MAX_DIGITS = 8
MAX_FAILURES = 5
FIRST_LOCKOUT_S = 5 * 60
# Doubling stops here: 24 hours, reached after 9 lockouts (45 wrong PINs).
MAX_LOCKOUT_S = 24 * 3600
LOCKOUT_META_KEY = "admin.pin_lockout"

_PIN = re.compile(rf"^[0-9]{{{MIN_DIGITS},{MAX_DIGITS}}}$")
_LEGACY_PIN = re.compile(rf"^[0-9]{{{LEGACY_MIN_DIGITS},{MAX_DIGITS}}}$")


class PinFormatError(ValueError):
    """A stored PIN hash that is not in the scrypt$... format (a damaged settings file)."""


def is_valid_pin(pin: str) -> bool:
    """A new PIN: MIN_DIGITS (6) to MAX_DIGITS (8) ASCII digits."""
    return bool(_PIN.match(pin))


def pin_hash_is_current(encoded: str) -> bool:
    """True for a hash made under the current rule (at least MIN_DIGITS digits, `SCHEME`);
    False for one from before #13 (it may hide a 4-digit PIN). Raises PinFormatError for
    text that is no PIN hash."""
    scheme = encoded.split("$", 1)[0]
    if scheme not in (SCHEME, LEGACY_SCHEME):
        raise PinFormatError("not a scrypt PIN hash")
    return scheme == SCHEME


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The encoded hash of a new PIN (a fresh random salt unless one is given, for tests).

    Raises ValueError for a PIN that is not 6 to 8 digits. Slow on purpose (about 0.15 s and
    64 MiB): call it off the GUI thread.
    """
    if not is_valid_pin(pin):
        raise ValueError(f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(
        pin.encode("ascii"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=HASH_BYTES,
        maxmem=_MAX_MEM,
    )
    return "$".join(
        (
            SCHEME,
            str(SCRYPT_N),
            str(SCRYPT_R),
            str(SCRYPT_P),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


def verify_pin(pin: str, encoded: str) -> bool:
    """True when `pin` matches the encoded hash (constant-time comparison of the digests).

    Raises PinFormatError when `encoded` is not a hash this code can read. Slow on purpose:
    call it off the GUI thread.
    """
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] not in (SCHEME, LEGACY_SCHEME):
        raise PinFormatError("not a scrypt PIN hash")
    shape = _PIN if parts[0] == SCHEME else _LEGACY_PIN
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise PinFormatError(f"unreadable PIN hash: {exc}") from exc
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or not salt or not expected:
        raise PinFormatError("bad scrypt parameters in the PIN hash")
    if not shape.match(pin):
        # Still compare something of the same cost: the time taken must not tell a malformed
        # entry from a wrong one (it cannot match: no valid PIN is hashed from it).
        pin = ""
    try:
        digest = hashlib.scrypt(
            pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=_MAX_MEM
        )
    except ValueError as exc:  # parameters beyond the memory bound
        raise PinFormatError(f"scrypt parameters not usable: {exc}") from exc
    return hmac.compare_digest(digest, expected) and bool(pin)


@dataclass(frozen=True, slots=True)
class Lockout:
    """Wrong-PIN bookkeeping. Immutable: every method returns the next state.

    failures: wrong PINs since the last lockout ended (or the last right PIN).
    lockouts: lockouts since the last right PIN (sets the next lockout's length).
    locked_until_ns / boot_id: end of the current lockout on the monotonic clock of that boot;
    None when not locked. lock_s: the current lockout's length (to restart it after a reboot).
    """

    failures: int = 0
    lockouts: int = 0
    locked_until_ns: int | None = None
    boot_id: str | None = None
    lock_s: int = 0

    def remaining_s(self, now: Instant) -> float:
        """Seconds the PIN stays refused (0: not locked). Call `resumed` first after loading."""
        if self.locked_until_ns is None or self.boot_id != now.boot_id:
            return 0.0 if self.locked_until_ns is None else float(self.lock_s)
        return max(0.0, (self.locked_until_ns - now.mono_ns) / 1e9)

    def remaining_minutes(self, now: Instant) -> int:
        """What the screen says: whole minutes, rounded up (1 while any time is left)."""
        return math.ceil(self.remaining_s(now) / 60)

    def is_locked(self, now: Instant) -> bool:
        return self.remaining_s(now) > 0

    def resumed(self, now: Instant) -> Lockout:
        """The state as loaded after a restart: a lockout from another boot starts again in
        full (its monotonic end means nothing now); an expired one is cleared."""
        if self.locked_until_ns is None:
            return self
        if self.boot_id != now.boot_id:
            return dataclasses.replace(
                self, locked_until_ns=now.mono_ns + self.lock_s * 10**9, boot_id=now.boot_id
            )
        return self._expired_cleared(now)

    def _expired_cleared(self, now: Instant) -> Lockout:
        if self.locked_until_ns is not None and now.mono_ns >= self.locked_until_ns:
            return dataclasses.replace(self, failures=0, locked_until_ns=None, boot_id=None)
        return self

    def failed(self, now: Instant) -> Lockout:
        """A wrong PIN was entered (never call while locked: those attempts are not checked)."""
        state = self._expired_cleared(now)
        failures = state.failures + 1
        if failures < MAX_FAILURES:
            return dataclasses.replace(state, failures=failures)
        lock_s = min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * 2 ** min(state.lockouts, 20))
        return Lockout(
            failures=failures,
            lockouts=state.lockouts + 1,
            locked_until_ns=now.mono_ns + lock_s * 10**9,
            boot_id=now.boot_id,
            lock_s=lock_s,
        )

    def succeeded(self) -> Lockout:
        """The right PIN: everything is forgiven."""
        return Lockout()

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Lockout:
        """The saved state; a missing or unreadable one is a fresh state, except that damaged
        text never unlocks: it reads as one full first lockout (it cannot be told apart from
        tampering)."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            state = cls(
                failures=int(data["failures"]),
                lockouts=int(data["lockouts"]),
                locked_until_ns=(
                    int(data["locked_until_ns"]) if data["locked_until_ns"] is not None else None
                ),
                boot_id=str(data["boot_id"]) if data["boot_id"] is not None else None,
                lock_s=int(data["lock_s"]),
            )
        except (ValueError, KeyError, TypeError):
            return cls(
                failures=MAX_FAILURES,
                lockouts=1,
                locked_until_ns=0,
                boot_id="",  # no boot has this id: `resumed` restarts the lockout in full
                lock_s=FIRST_LOCKOUT_S,
            )
        if state.failures < 0 or state.lockouts < 0 or not 0 <= state.lock_s <= MAX_LOCKOUT_S:
            return cls(MAX_FAILURES, 1, 0, "", FIRST_LOCKOUT_S)
        return state


__all__ = [
    "FIRST_LOCKOUT_S",
    "LOCKOUT_META_KEY",
    "MAX_DIGITS",
    "MAX_FAILURES",
    "MIN_DIGITS",
    "SCHEME",
    "Lockout",
    "PinFormatError",
    "hash_pin",
    "is_valid_pin",
    "pin_hash_is_current",
    "verify_pin",
]
