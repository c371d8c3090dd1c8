"""Settings: defaults that work, errors that name the key and the allowed values, atomic saves."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.config import (
    KEYS,
    ConfigError,
    Settings,
    dumps,
    load_settings,
    save_settings,
    settings_with,
    validate,
)


def test_absent_file_gives_working_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "nowhere.toml")
    assert settings == Settings()
    assert settings.gate_mode == "auto" and settings.duplicate_window_s == 10
    assert settings.retention_days == 21 and settings.capacity == 0
    assert "cccd" in settings.accepted_kinds and "unknown" not in settings.accepted_kinds


def test_partial_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'checkpoint_name = "Chợ Bến Thành - cổng 2"\ncapacity = 300\n'
        'accepted_kinds = ["personal_qr", "cccd"]\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.checkpoint_name == "Chợ Bến Thành - cổng 2"
    assert settings.capacity == 300
    assert settings.accepted_kinds == ("personal_qr", "cccd")
    assert settings.gate_mode == Settings().gate_mode


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('gate_mode = "sideways"', ["gate_mode", "'sideways'", "in, out, auto"]),
        ("duplicate_window_s = -1", ["duplicate_window_s", "0 to 3600"]),
        ("capacity = true", ["capacity", "whole number"]),
        ('accepted_kinds = ["cccd", "venue_code"]', ["accepted_kinds", "'venue_code'", "cccd"]),
        ('auto_checkout_time = "25:00"', ["auto_checkout_time", "HH:MM"]),
        ('timezone = "Mars/Olympus"', ["timezone", "Asia/Ho_Chi_Minh"]),
        ('red_status_action = "shout"', ["red_status_action", "deny, refer"]),
        ("duplicate_windw_s = 5", ["duplicate_windw_s", "duplicate_window_s"]),
        ("retention_days = 30\nretention_hard_days = 10", ["retention_hard_days", "30"]),
        ("capacity = ", ["not valid TOML"]),
    ],
)
def test_errors_name_the_key_and_what_is_allowed(
    tmp_path: Path, text: str, names: list[str]
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert str(path) in message
    for name in names:
        assert name in message


def test_save_round_trips_every_key_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "kiosk.toml"
    changed = settings_with(
        Settings(),
        checkpoint_name='Bệnh viện "Bạch Mai" \\ cổng A',
        gate_mode="in",
        capacity=42,
        accepted_kinds=["personal_qr", "cccd"],
        auto_checkout_time="",
    )
    save_settings(changed, path)
    assert load_settings(path) == changed
    assert set(KEYS) == {
        line.split(" = ")[0] for line in dumps(changed).splitlines() if " = " in line
    }
    # Nothing but the file itself is left in the directory (no temp files).
    assert [p.name for p in path.parent.iterdir()] == ["kiosk.toml"]


def test_a_failed_save_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    save_settings(Settings(capacity=10), path)
    bad = Settings(capacity=-5)  # constructed directly: validation happens at save
    with pytest.raises(ConfigError, match="capacity"):
        save_settings(bad, path)
    assert load_settings(path).capacity == 10
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]


def test_saved_file_is_private_under_the_kiosk_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        path = save_settings(Settings(), tmp_path / "kiosk.toml")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_validate_accepts_lists_and_rejects_unknown_keys() -> None:
    assert validate({"accepted_kinds": ["cccd"]}).accepted_kinds == ("cccd",)
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        validate({"colour": "green"})
