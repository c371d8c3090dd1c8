"""Administration behind a PIN: settings, reports, contact tracing, this device; lock; quit.

The page opens on the PIN screen (kiosk.ui.pin; on first use it asks for a new PIN). Unlocked,
a menu on the left switches between the panels (kiosk.ui.admin_*). It locks again whenever it
is left (Lock screen, the window showing another page) and after AUTO_LOCK_MS without a touch or
a key, going back to the scan page: an admin screen left open would leave the settings to
anyone, and the visitors' verdicts to a strip across its top (the gate still records and
answers every scan meanwhile: kiosk.ui.banner).

No dialog boxes: every question and answer is on the page itself. Quitting takes a second tap.

Thread contract: GUI thread. Database work goes through `runner.call` (the gate thread), slow
work (hashing, files, network) through `Tasks` (kiosk.ui.tasks): one outcome back on the GUI
thread each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkpoint_common.enrollqr import parse_invite
from kiosk.clock import Clock
from kiosk.export import MEDIA_PATTERNS
from kiosk.ui.admin_common import ADMIN_STYLE, big_button
from kiosk.ui.admin_device import DevicePanel
from kiosk.ui.admin_reports import ReportsPanel
from kiosk.ui.admin_settings import SettingsPanel
from kiosk.ui.admin_trace import TracePanel
from kiosk.ui.idle import IdleTimer
from kiosk.ui.pin import PinScreen
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import RED, tr

log = logging.getLogger(__name__)

AUTO_LOCK_MS = 2 * 60 * 1000
QUIT_CONFIRM_MS = 5000
PANELS = ("settings", "reports", "tracing", "device")


class AdminPage(QWidget):
    closed = Signal()  # back to the scan page (already locked)
    quit_requested = Signal()

    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: SettingsHolder,
        data_dir: Path,
        clock: Clock,
        on_enrolled: Callable[[], None],
        auto_lock_ms: int = AUTO_LOCK_MS,
        media_patterns: Sequence[str] = MEDIA_PATTERNS,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.settings = settings
        self.data_dir = data_dir
        self.clock = clock
        self.on_enrolled = on_enrolled
        self.unlocked = False
        self.setStyleSheet(ADMIN_STYLE)
        self.background = Tasks(self)

        self.pin_screen = PinScreen(
            runner=runner, settings=settings, clock=clock, background=self.background
        )
        self.pin_screen.unlocked.connect(self._pin_accepted)
        self.pin_screen.cancelled.connect(self._pin_cancelled)

        self.settings_panel = SettingsPanel(settings)
        self.settings_panel.change_pin_requested.connect(self.change_pin)
        self.reports_panel = ReportsPanel(
            runner=runner,
            settings=settings,
            clock=clock,
            background=self.background,
            data_dir=data_dir,
            media_patterns=media_patterns,
        )
        self.trace_panel = TracePanel(
            runner=runner,
            settings=settings,
            clock=clock,
            background=self.background,
            data_dir=data_dir,
            media_patterns=media_patterns,
        )
        self.device_panel = DevicePanel(
            runner=runner,
            settings=settings,
            background=self.background,
            data_dir=data_dir,
            on_enrolled=on_enrolled,
            media_patterns=media_patterns,
        )
        self.panels: dict[str, QWidget] = {
            "settings": self.settings_panel,
            "reports": self.reports_panel,
            "tracing": self.trace_panel,
            "device": self.device_panel,
        }
        self.content = QStackedWidget()
        for panel in self.panels.values():
            self.content.addWidget(panel)

        # The menu: one big button per panel, then lock and quit at the bottom.
        self.menu_buttons: dict[str, QPushButton] = {}
        menu = QVBoxLayout()
        # Six buttons of 68 px (56 + padding + border): with these gaps they fit 480 px.
        menu.setContentsMargins(12, 8, 12, 8)
        menu.setSpacing(6)
        for name in PANELS:
            button = big_button(checkable=True)
            button.clicked.connect(lambda _=False, n=name: self.show_panel(n))
            self.menu_buttons[name] = button
            menu.addWidget(button)
        menu.addStretch(1)
        self.lock_button = big_button()
        self.lock_button.clicked.connect(self.lock_and_close)
        self.quit_button = big_button()
        self.quit_button.clicked.connect(self._quit_tapped)
        menu.addWidget(self.lock_button)
        menu.addWidget(self.quit_button)
        menu_box = QWidget()
        menu_box.setObjectName("adminMenu")
        menu_box.setLayout(menu)
        menu_box.setFixedWidth(280)
        self.menu_box = menu_box
        menu_box.setStyleSheet(
            "#adminMenu { background: #1f2a30; } #adminMenu QPushButton { padding: 4px 6px; }"
        )

        unlocked_view = QWidget()
        row = QHBoxLayout(unlocked_view)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(menu_box)
        content_box = QVBoxLayout()
        content_box.setContentsMargins(20, 12, 20, 12)
        content_box.addWidget(self.content)
        row.addLayout(content_box, 1)
        self.unlocked_view = unlocked_view

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.pin_screen)
        self.stack.addWidget(unlocked_view)

        self._idle = IdleTimer(auto_lock_ms, self)
        self._idle.expired.connect(self._idle_timeout)
        self._quit_armed = QTimer(self)
        self._quit_armed.setSingleShot(True)
        self._quit_armed.setInterval(QUIT_CONFIRM_MS)
        self._quit_armed.timeout.connect(self._disarm_quit)

        self.retranslate()
        self.lock()

    # -- text -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        for name, text in (
            ("settings", tr("Settings")),
            ("reports", tr("Reports")),
            ("tracing", tr("Contact tracing")),
            ("device", tr("This device")),
        ):
            self.menu_buttons[name].setText(text)
        self.lock_button.setText(tr("Lock screen"))
        self._disarm_quit()
        self.pin_screen.retranslate()
        self.settings_panel.retranslate()
        self.reports_panel.retranslate()
        self.trace_panel.retranslate()
        self.device_panel.retranslate()

    # -- locking --------------------------------------------------------------------------------

    def lock(self) -> None:
        """Back to the PIN screen, forgetting what was on screen (tracing results, typed codes).
        The next visit asks for the PIN again."""
        if self.unlocked:
            log.info("admin screen locked")
        self.unlocked = False
        self.trace_panel.clear()
        self._disarm_quit()
        self.pin_screen.start()
        self.stack.setCurrentWidget(self.pin_screen)

    def lock_and_close(self) -> None:
        self.lock()
        self.closed.emit()

    def change_pin(self) -> None:
        self.pin_screen.start_change()
        self.stack.setCurrentWidget(self.pin_screen)

    def _pin_accepted(self) -> None:
        changing = self.unlocked  # already unlocked: the PIN was changed, not entered
        self.unlocked = True
        self.stack.setCurrentWidget(self.unlocked_view)
        if changing:
            self.show_panel("settings")
            self.settings_panel.message.ok(tr("The new PIN is saved"))
        else:
            self.show_panel("reports")

    def _pin_cancelled(self) -> None:
        if self.unlocked:  # gave up changing the PIN: the old one stays
            self.stack.setCurrentWidget(self.unlocked_view)
            return
        self.lock_and_close()

    def _idle_timeout(self) -> None:
        log.info("admin screen left idle: locked")
        self.lock_and_close()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The menu gives room to the panels on a small screen (800 px wide: 200 for the menu).
        self.menu_box.setFixedWidth(max(200, min(280, event.size().width() // 5)))
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.unlocked:
            self.pin_screen.start()
        self._idle.start()

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the page in any way locks it (the window may show the out-of-service panel).
        self._idle.stop()
        self.lock()
        super().hideEvent(event)

    # -- panels ---------------------------------------------------------------------------------

    def show_panel(self, name: str) -> None:
        if not self.unlocked:
            return
        for key, button in self.menu_buttons.items():
            button.setChecked(key == name)
        self.content.setCurrentWidget(self.panels[name])
        if name == "settings":
            self.settings_panel.load()
        elif name == "reports":
            self.reports_panel.folder.refresh()
            self.reports_panel.refresh()
        elif name == "tracing":
            self.trace_panel.folder.refresh()
            self.trace_panel.focus_code()
        elif name == "device":
            self.device_panel.poster_folder.refresh()
            self.device_panel.refresh()

    def take_invite(self, payload: bytes) -> bool:
        """A code read while this page is open: True when it was the console's enrollment QR
        and the device panel, unlocked and on screen, took it (it is then no visitor's code
        and nothing is recorded); False otherwise (the gate records it as usual)."""
        if not (self.isVisible() and self.unlocked and self.current_panel == "device"):
            return False
        try:
            text = payload.decode("ascii")
        except UnicodeDecodeError:
            return False
        invite = parse_invite(text)
        if invite is None:
            return False
        self.device_panel.take_invite(invite)
        return True

    @property
    def current_panel(self) -> str:
        widget = self.content.currentWidget()
        return next((k for k, v in self.panels.items() if v is widget), "")

    # -- quit -----------------------------------------------------------------------------------

    def _quit_tapped(self) -> None:
        if self._quit_armed.isActive():
            log.info("quit requested from the admin screen")
            self._disarm_quit()
            self.quit_requested.emit()
            return
        self._quit_armed.start()
        self.quit_button.setText(tr("Tap again to quit"))
        self.quit_button.setStyleSheet(
            f"QPushButton {{ background: {RED}; color: white; border-color: {RED}; "
            "font-weight: bold; }"
        )

    def _disarm_quit(self) -> None:
        self._quit_armed.stop()
        self.quit_button.setText(tr("Quit the kiosk"))
        self.quit_button.setStyleSheet("")
