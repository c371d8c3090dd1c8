"""The four verdict sounds (entry, exit, attention, error) with QSoundEffect.

A kiosk without an audio device keeps working: `available` is False and the status area says
"no sound device"; playing is then a no-op. Sounds are loaded once at start (QSoundEffect
decodes WAV in memory), so playing one on a verdict costs nothing noticeable.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl

from kiosk.ui.resources import asset

log = logging.getLogger(__name__)

SOUND_NAMES = ("entry", "exit", "attention", "error")


class Sounds(QObject):
    def __init__(self, *, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, object] = {}
        self.available = False
        if not enabled:
            return
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # QtMultimedia needs PySide6-Addons and libpulse
            log.warning("no sound: QtMultimedia cannot be loaded (%s)", exc)
            return
        if not QMediaDevices.audioOutputs():
            log.warning("no sound: no audio output device")
            return
        for name in SOUND_NAMES:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(asset(f"sounds/{name}.wav"))))
            effect.setVolume(0.9)
            self._effects[name] = effect
        self.available = True

    def play(self, name: str) -> None:
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
