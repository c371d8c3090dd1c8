"""Qt's translation pipeline (STYLE.md 9): source strings are English; Vietnamese comes from
assets/translations/kiosk_vi.qm, compiled from kiosk_vi.ts by `pyside6-lrelease`
(scripts/setup runs it). Switching language at run time removes one translator and installs the
other; widgets then re-read their texts (`retranslate`)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTranslator

from kiosk.ui.resources import asset

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")


class Translator(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self._installed: QTranslator | None = None
        self.language = "en"

    def set_language(self, language: str) -> bool:
        """Install `language`; English needs no file. Returns False (and stays in English) when
        the compiled translation is missing, which the log says."""
        if self._installed is not None:
            self._app.removeTranslator(self._installed)
            self._installed = None
        self.language = "en"
        if language == "en":
            return True
        translator = QTranslator(self)
        try:
            path = asset(f"translations/kiosk_{language}.qm")
        except FileNotFoundError:
            log.error("translation kiosk_%s.qm missing: run scripts/setup", language)
            return False
        if not translator.load(str(path)):
            log.error("translation %s could not be loaded", path)
            return False
        self._app.installTranslator(translator)
        self._installed = translator
        self.language = language
        return True
