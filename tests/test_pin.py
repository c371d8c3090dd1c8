"""The admin PIN's hash and lockout (kiosk.pin), pure: no Qt, no database."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.clock import FakeClock
from kiosk.pin import (
    FIRST_LOCKOUT_S,
    MAX_FAILURES,
    Lockout,
    PinFormatError,
    hash_pin,
    is_valid_pin,
    pin_hash_is_current,
    verify_pin,
)
from tests.conftest import START


def test_hash_format_and_verify() -> None:
    encoded = hash_pin("246813")
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt6", "65536", "8", "1")  # 64 MiB per guess
    assert len(salt) == 24 and len(digest) == 44  # 16 and 32 bytes in base64
    assert verify_pin("246813", encoded)
    assert pin_hash_is_current(encoded)
    assert not verify_pin("246814", encoded)
    assert not verify_pin("", encoded) and not verify_pin("24681357x", encoded)
    assert hash_pin("246813") != encoded  # a fresh salt each time
    assert hash_pin("246813", salt=b"s" * 16) == hash_pin("246813", salt=b"s" * 16)


def test_a_pin_set_before_the_6_digit_rule_still_opens_but_is_not_current() -> None:
    """A kiosk upgraded from before #13 keeps working with its PIN (maybe 4 digits), but
    `kiosk doctor` fails until a new one is set (pin_hash_is_current)."""
    import base64
    import hashlib

    salt = b"s" * 16
    digest = hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1, dklen=32)
    old = "$".join(
        (
            "scrypt",
            "16384",
            "8",
            "1",
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )
    assert verify_pin("2468", old)
    assert not verify_pin("2469", old)
    assert not pin_hash_is_current(old)


@pytest.mark.parametrize(
    "pin", ["123", "1234", "12345", "123456789", "12a456", " 123456", "١٢٣٤٥٦", ""]
)
def test_only_6_to_8_ascii_digits(pin: str) -> None:
    assert not is_valid_pin(pin)
    with pytest.raises(ValueError):
        hash_pin(pin)


@pytest.mark.parametrize(
    "bad", ["", "1234", "bcrypt$1$1$1$AA==$AA==", "scrypt$3$8$1$AA==$AA==", "scrypt$x$8$1$A$A"]
)
def test_unreadable_hash_is_an_error_not_a_match(bad: str) -> None:
    with pytest.raises(PinFormatError):
        verify_pin("1234", bad)


def test_five_wrong_lock_for_five_minutes_then_doubling() -> None:
    clock = FakeClock(START)
    state = Lockout()
    for _ in range(MAX_FAILURES - 1):
        state = state.failed(clock.now())
        assert not state.is_locked(clock.now())
    state = state.failed(clock.now())
    assert state.is_locked(clock.now()) and state.remaining_minutes(clock.now()) == 5
    clock.advance(FIRST_LOCKOUT_S - 61)
    assert state.remaining_minutes(clock.now()) == 2  # 61 s left: rounded up
    clock.jump(-3600)  # the wall clock is stepped back: the monotonic lockout is not affected
    clock.advance(61)
    assert not state.is_locked(clock.now())
    for _ in range(MAX_FAILURES):
        state = state.failed(clock.now())
    assert state.remaining_minutes(clock.now()) == 10
    clock.advance(600)
    for _ in range(MAX_FAILURES):
        state = state.failed(clock.now())
    assert state.remaining_minutes(clock.now()) == 20
    assert state.succeeded() == Lockout()


def test_the_lockout_survives_a_restart_and_a_reboot() -> None:
    clock = FakeClock(START)
    state = Lockout()
    for _ in range(MAX_FAILURES):
        state = state.failed(clock.now())
    clock.advance(120)
    # The app restarts within the same boot: the lockout ends when it would have.
    same_boot = Lockout.from_json(state.to_json()).resumed(clock.now())
    assert same_boot.remaining_minutes(clock.now()) == 3
    # After a reboot the monotonic clock restarted: the full period starts again.
    clock.reboot("boot-2")
    rebooted = Lockout.from_json(state.to_json()).resumed(clock.now())
    assert rebooted.remaining_minutes(clock.now()) == 5
    clock.advance(FIRST_LOCKOUT_S)
    assert not rebooted.is_locked(clock.now())
    # Wrong PINs short of a lockout are remembered too.
    partial = Lockout().failed(clock.now())
    assert Lockout.from_json(partial.to_json()) == partial


@pytest.mark.parametrize("text", ["{", "[]", '{"failures": "x"}', '{"failures": -1}'])
def test_damaged_state_reads_as_locked_never_as_unlocked(text: str) -> None:
    clock = FakeClock(START)
    state = Lockout.from_json(text).resumed(clock.now())
    assert state.remaining_minutes(clock.now()) == 5


def test_expired_lockout_is_cleared_on_load() -> None:
    clock = FakeClock(START)
    state = dataclasses.replace(
        Lockout(),
        failures=MAX_FAILURES,
        lockouts=1,
        locked_until_ns=clock.now().mono_ns + 10**9,
        boot_id=clock.boot_id,
        lock_s=FIRST_LOCKOUT_S,
    )
    clock.advance(2)
    resumed = state.resumed(clock.now())
    assert resumed.failures == 0 and resumed.lockouts == 1 and not resumed.is_locked(clock.now())
