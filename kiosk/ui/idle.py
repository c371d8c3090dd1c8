"""A countdown that any touch, click or key in the app starts again: the admin screens lock and
the list of people inside closes after a while without anyone using them.

GUI thread. While running it watches the whole application's input (an event filter on the
QApplication), and nothing when stopped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

# What counts as someone using the screen.
INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class IdleTimer(QObject):
    expired = Signal()  # `interval` ms passed without input, while started

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._expired)
        self._watching = False

    def setInterval(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)

    def isActive(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._watch(True)
        self._timer.start()

    def stop(self) -> None:
        self._watch(False)
        self._timer.stop()

    def _expired(self) -> None:
        self._watch(False)
        self.expired.emit()

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # someone is here: count again
        return False
