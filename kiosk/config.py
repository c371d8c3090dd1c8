"""Settings: declared once, typed, validated, loaded from TOML, injected, written atomically.

Every setting is a field of the frozen `Settings` dataclass with its default and its check, in
one file shared with the central server (checkpoint_common.settings). Code receives a
`Settings` value (constructor argument); nothing reads a global.
A change is a new, validated value (`settings_with`) saved with `save_settings`.

The file is `kiosk.toml` in the platform's config directory (`--config` overrides); it may be
absent (all defaults) and may hold any subset of the keys. Errors name the key and the allowed
values (`ConfigError`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs

from checkpoint_common.privatefile import write_private

# The settings themselves (fields, defaults, checks) are shared with the central server.
from checkpoint_common.settings import (
    CAMERA_POSITIONS,
    DCC_UNVERIFIED_ACTIONS,
    GATE_MODES,
    KEYS,
    PERSON_KINDS,
    RED_ACTIONS,
    ConfigError,
    Settings,
    settings_with,
    validate,
)

APP_NAME = "kiosk"
CONFIG_FILE_NAME = "kiosk.toml"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path` (default: the platform config dir); absent file = defaults.

    Raises ConfigError for an unreadable file, bad TOML, unknown keys or bad values.
    """
    path = path or default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from exc
    try:
        return validate(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def dumps(settings: Settings) -> str:
    lines = ["# Checkpoint kiosk settings. Written by the kiosk; edit with care.", ""]
    for key in KEYS:
        lines.append(f"{key} = {_toml_value(getattr(settings, key))}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write all settings atomically and privately (checkpoint_common.privatefile: temp file,
    fsync, rename, fsync of the folder, mode 0600). Returns the path.

    A power cut leaves either the old file or the new one, never half of one. Raises
    ConfigError for a bad value (nothing is written), OSError.
    """
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    validate({k: getattr(settings, k) for k in KEYS})
    return write_private(path, dumps(settings).encode("utf-8"))


def default_data_dir() -> Path:
    """KIOSK_DATA_DIR, else the platform's user data directory."""
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


__all__ = [
    "CAMERA_POSITIONS",
    "DCC_UNVERIFIED_ACTIONS",
    "GATE_MODES",
    "KEYS",
    "PERSON_KINDS",
    "RED_ACTIONS",
    "ConfigError",
    "Settings",
    "default_config_path",
    "default_data_dir",
    "load_settings",
    "save_settings",
    "settings_with",
    "validate",
]
