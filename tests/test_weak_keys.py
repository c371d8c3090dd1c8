"""Weak keys are refused where they are set, never discovered at the next scan (issue #13).

Before: `kiosk config set authority_public_key AAAA...A=` (the all-zero X25519 key) was saved,
and every scan afterwards crashed in the key exchange. Now the key is refused with a clear
message by `kiosk config set`, by `checkpoint_common.settings.validate` (the same check guards
settings downloaded from a server and a settings file edited by hand) and by the sealing code.
The same holds for the authority's Ed25519 signing key (small order, a small-order component,
a non-canonical encoding).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from checkpoint_common.keycheck import x25519_problem
from checkpoint_common.seal import PersonalData, PrivateKey, PublicKey, SealError, seal_personal
from checkpoint_common.settings import ConfigError, Settings, validate
from checkpoint_common.signing import SigningKey
from kiosk.config import load_settings
from kiosk.sync.service import server_settings
from tests.test_cli import Kiosk
from tests.test_gate import CCCD
from tests.test_signing import NON_CANONICAL_ED25519, SMALL_ORDER_ED25519

P = 2**255 - 19
# X25519 u-coordinates of small order (every exchange gives the all-zero secret), and
# encodings at or above p (or with the unused top bit set).
SMALL_ORDER_X25519 = [
    bytes(32),  # 0
    (1).to_bytes(32, "little"),
    bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),  # order 8
    bytes.fromhex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),  # order 8
    (P - 1).to_bytes(32, "little"),  # order 2
]
NON_CANONICAL_X25519 = [
    P.to_bytes(32, "little"),
    (P + 1).to_bytes(32, "little"),
    bytes(31) + b"\x80",  # 0 with the top bit set
]


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@pytest.mark.parametrize("raw", SMALL_ORDER_X25519 + NON_CANONICAL_X25519, ids=lambda r: r.hex())
def test_a_weak_authority_key_is_refused_by_the_settings_check(raw: bytes) -> None:
    with pytest.raises(ConfigError) as info:
        validate({"authority_public_key": b64(raw)})
    message = str(info.value)
    assert message.startswith("authority_public_key: the authority key ")
    assert "small order" in message or "not canonically encoded" in message
    assert x25519_problem(raw) is not None
    with pytest.raises(SealError):
        PublicKey.from_text(b64(raw))


def test_a_good_authority_key_passes_and_sealing_refuses_a_weak_one_by_name() -> None:
    good = PrivateKey.generate().public
    assert validate({"authority_public_key": good.to_text()}).authority_public_key
    assert x25519_problem(good.raw) is None
    # A key built around the checks (constructed directly): sealing says so, by name.
    with pytest.raises(SealError, match="malformed or weak"):
        seal_personal(
            PublicKey(bytes(32)),
            "event-1",
            PersonalData(b"x", None, None),
            device_id="d",
            person_key="id2:" + "0" * 32,
        )


@pytest.mark.parametrize("hex_key", SMALL_ORDER_ED25519 + NON_CANONICAL_ED25519)
def test_a_weak_signing_key_is_refused_by_the_settings_check(hex_key: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate({"authority_signing_key": b64(bytes.fromhex(hex_key))})
    message = str(info.value)
    assert message.startswith("authority_signing_key: the signing key ")
    assert "Ed25519" in message
    assert "document_weak_key" not in message  # the words, not the code, for a person


def test_signing_key_setting_accepts_a_real_key_and_nothing_else() -> None:
    key = SigningKey.generate().public.to_text()
    assert validate({"authority_signing_key": key}).authority_signing_key == key
    assert validate({"authority_signing_key": ""}).authority_signing_key == ""
    for bad, words in ((7, "is not text"), ("not base64!", "not valid base64")):
        with pytest.raises(ConfigError, match=words):
            validate({"authority_signing_key": bad})


def test_a_server_sending_a_weak_authority_key_is_refused_and_nothing_changes() -> None:
    current = Settings(authority_public_key=PrivateKey.generate().public.to_text())
    # A config never sets the sealing key (only a root-signed sealing_key document does):
    # weak or not, it is ignored, and the rest applies.
    kept = server_settings(current, {"authority_public_key": b64(bytes(32)), "capacity": 5})
    assert kept.authority_public_key == current.authority_public_key
    assert kept.capacity == 5
    # The signing key is never taken from a server, weak or not.
    pinned = SigningKey.generate().public.to_text()
    other = SigningKey.generate().public.to_text()
    kept = server_settings(Settings(authority_signing_key=pinned), {"authority_signing_key": other})
    assert kept.authority_signing_key == pinned


def test_a_settings_file_with_a_weak_key_names_it(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'authority_public_key = "{b64(bytes(32))}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"authority_public_key: .*small order"):
        load_settings(path)


def test_kiosk_config_set_refuses_weak_keys_and_scans_keep_working(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    done = kiosk("config", "set", "authority_public_key", b64(bytes(32)), code=2)
    assert "authority_public_key: the authority key is a weak key of small order" in done.stderr
    assert "Traceback" not in done.stderr
    done = kiosk("config", "set", "authority_signing_key", b64(bytes(32)), code=2)
    assert "authority_signing_key: the signing key is a weak key of small order" in done.stderr
    # Nothing was saved, and the next scan is recorded.
    assert not kiosk.config.exists()
    done = kiosk("scan", CCCD)
    assert "Traceback" not in done.stderr
    # A real signing key is saved, and its fingerprint shown for the site manager to compare.
    key = SigningKey.generate().public
    done = kiosk("config", "set", "authority_signing_key", key.to_text())
    assert f"fingerprint: {key.fingerprint}" in done.stderr
    assert key.to_text() in kiosk.config.read_text(encoding="utf-8")
