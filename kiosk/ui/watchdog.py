"""The systemd watchdog, fed from the GUI thread: WATCHDOG=1 comes from a QTimer, so it stops
when the event loop stops (a slot stuck, a deadlock, a frozen screen) and systemd restarts the
kiosk after WatchdogSec (packaging/systemd/checkpoint-kiosk.service). READY=1 is sent from the
event loop's first turn after the window is shown, so "started" means "on screen".

Outside systemd (no $NOTIFY_SOCKET) nothing is sent and no timer runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

from kiosk.sdnotify import notify, watchdog_interval_s

log = logging.getLogger(__name__)


class SystemdWatchdog(QObject):
    """Create and use on the GUI thread. `env` defaults to the process environment."""

    def __init__(
        self, parent: QObject | None = None, *, env: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(parent)
        self._env = dict(os.environ if env is None else env)
        self.interval_s = watchdog_interval_s(self._env)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._ping)
        self.ready_sent = False

    def start(self) -> None:
        """Call after the main window is shown: READY=1 goes out once the event loop runs it,
        then WATCHDOG=1 every half WatchdogSec."""
        QTimer.singleShot(0, self._ready)
        if self.interval_s is not None:
            # A coarse timer may fire up to 5% late; half the timeout leaves room for that.
            self._timer.start(max(1, round(self.interval_s * 1000)))
            log.info("systemd watchdog: WATCHDOG=1 every %.1f s", self.interval_s)

    def _ready(self) -> None:
        if notify("READY=1\nSTATUS=kiosk on screen", self._env):
            log.info("systemd notified: ready")
        self.ready_sent = True

    def _ping(self) -> None:
        notify("WATCHDOG=1", self._env)

    def stop(self) -> None:
        """The app is quitting: no more pings; systemd is told it is stopping on purpose."""
        self._timer.stop()
        notify("STOPPING=1", self._env)
