"""The current settings of the running kiosk, and the one way to change them.

Thread contract: GUI thread only. A change is validated, saved atomically to the settings file,
and announced with `changed`; the app propagates it to the gate, the window and the sync job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.config import Settings, save_settings, settings_with


class SettingsHolder(QObject):
    changed = Signal(object)  # the new Settings

    def __init__(self, settings: Settings, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.path = path

    def current(self) -> Settings:
        return self._settings

    def apply(self, new: Settings) -> None:
        """Save and announce `new`. Raises ConfigError (the key, the allowed values) or OSError;
        nothing changes then."""
        save_settings(new, self.path)
        self._settings = new
        self.changed.emit(new)

    def change(self, **values: Any) -> Settings:
        """Validate, save and announce a change of some keys; returns the new settings."""
        new = settings_with(self._settings, **values)
        self.apply(new)
        return new
