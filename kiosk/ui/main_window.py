"""The kiosk window: the scan page, manual entry, the people inside, administration, and the
out-of-service panel; the on-screen keyboard at the bottom when there is one.

Wiring only: scans go to the GateRunner, verdicts come back and are shown and heard. Nothing
here decides or writes SQL.

The gate never goes deaf: a code read by the camera or typed by a hand scanner is recorded
whatever page is open, and answered (the sound, and the verdict across the top of the page,
kiosk.ui.banner); back on the scan page the verdict is shown for the rest of its time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.scanner.types import CodeScanned
from kiosk.scanner.wedge import KeyboardWedge
from kiosk.sync.service import SyncStatus
from kiosk.ui.admin import AdminPage
from kiosk.ui.banner import VerdictBanner
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner, ManualEntry, ScanDone, ScanNotRecorded, ScanRequest
from kiosk.ui.scan_page import ScanPage
from kiosk.ui.sounds import Sounds
from kiosk.ui.texts import (
    RED,
    VerdictView,
    clock_text,
    not_recorded_view,
    sync_text,
    tr,
    verdict_view,
)

log = logging.getLogger(__name__)

OUT_OF_SERVICE_S = 8.0  # how long the panel stays up after an unexpected error


class OutOfService(QWidget):
    """Shown instead of a stack trace when something unexpected happens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"background: {RED}; color: white;")
        layout = QVBoxLayout(self)
        self.label = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPixelSize(40)
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(tr("Temporarily out of service, please call the site manager"))


class MainWindow(QMainWindow):
    language_requested = Signal(str)  # "vi" | "en"

    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: Callable[[], Settings],
        clock: Clock,
        sounds: Sounds,
        demo: bool,
        manual_page: QWidget | None = None,
        admin_page: AdminPage | None = None,
        inside_page: QWidget | None = None,
        keyboard: QWidget | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self._settings = settings
        self._clock = clock
        self.sounds = sounds
        self._sync_status: SyncStatus | None = None  # the last one the sync job reported
        self.wedge = KeyboardWedge()
        self.setWindowTitle("Checkpoint kiosk")

        self.pages = QStackedWidget()
        self.scan_page = ScanPage(demo=demo)
        self.out_of_service = OutOfService()
        self.pages.addWidget(self.scan_page)
        self.manual_page = manual_page
        self.admin_page = admin_page
        self.inside_page = inside_page
        for page in (manual_page, admin_page, inside_page):
            if page is not None:
                self.pages.addWidget(page)
        self.pages.addWidget(self.out_of_service)
        # The pages, and under them the on-screen keyboard while it is up: the page shrinks
        # (and its form scrolls) instead of being covered.
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # The screen's size rules: a page never makes the window grow past it (a full-screen
        # window cannot; the keyboard takes its room from the page, whose form scrolls). Pages
        # are made to fit 800x480 (scripts/screenshots.py and tests/ui/test_small_screen.py
        # check each page's minimum size instead).
        self.pages.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        column.addWidget(self.pages, 1)
        self.keyboard = keyboard
        if keyboard is not None:
            column.addWidget(keyboard)
            QGuiApplication.inputMethod().visibleChanged.connect(self._keyboard_toggled)
        self.setCentralWidget(central)
        self.banner = VerdictBanner(central)

        self.scan_page.gate_mode_chosen.connect(self._choose_gate_mode)
        self.scan_page.manual_requested.connect(self.show_manual)
        self.scan_page.inside_requested.connect(self.show_inside)
        self.scan_page.admin_requested.connect(self.show_admin)
        self.scan_page.language_toggled.connect(self._toggle_language)
        runner.scanned.connect(self._on_scanned)
        runner.not_recorded.connect(self._on_not_recorded)
        runner.counters_changed.connect(self.scan_page.set_counters)
        runner.storage_changed.connect(self.scan_page.set_storage)
        runner.failed.connect(self.show_out_of_service)

        self.apply_settings(settings())
        self.scan_page.set_sound_state(sounds.available)
        self._camera_ok = False
        # Black frames still come with previews: only the worker's CameraRestored ends that.
        self._camera_blank = False
        self.scan_page.set_camera_state("starting")
        self.out_of_service_s = OUT_OF_SERVICE_S
        self._back_in_service = QTimer(self)
        self._back_in_service.setSingleShot(True)
        self._back_in_service.timeout.connect(self._end_out_of_service)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._tick)
        self._status_timer.start()
        self._tick()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- scanning -----------------------------------------------------------------------------

    def on_code_scanned(self, event: CodeScanned) -> None:
        """From the camera (ScannerBridge.code_scanned): recorded whatever page is open (the
        verdict is shown across the top of another page): a visitor is never ignored. The one
        exception: the console's enrollment QR on the admin screen's device page fills its form."""
        if self.admin_page is not None and self.admin_page.take_invite(event.payload):
            return
        self.runner.scan(ScanRequest(event.payload, event.source, event.frame_mono_ns))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A USB scanner in keyboard mode, on any page: every key press for this window that
        is not for a text field goes through the wedge (it tells a scanner's burst from a
        person's typing). A text field that has the focus (tracing's code, a form) gets the
        scanner's text instead. The key still reaches its widget (a PIN pad knows a scanner's
        line from a PIN attempt and drops it)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            focus = QApplication.focusWidget()
            target = focus if focus is not None else self
            mine = target is self or self.isAncestorOf(target)
            text_field = target.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
            if watched is target and mine and not text_field:
                self._feed_wedge(event)
        return False

    def _feed_wedge(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        scanned = self.wedge.feed_key(event.text(), is_enter=enter)
        if scanned is not None:  # the Enter that ends a line that counts
            if self.admin_page is not None and self.admin_page.take_invite(scanned.payload):
                return
            self.runner.scan(ScanRequest(scanned.payload, "keyboard", scanned.frame_mono_ns))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # the wedge has seen it (eventFilter); nothing above the window needs it

    def record_manual(self, entry: ManualEntry) -> None:
        self.runner.record_manual(entry)
        self.show_scan_page()

    def _on_scanned(self, done: ScanDone) -> None:
        self._answer(verdict_view(done.outcome, self._settings().zone))

    def _on_not_recorded(self, failure: ScanNotRecorded) -> None:
        self._answer(not_recorded_view(storage_full=failure.storage_full))

    def _answer(self, view: VerdictView) -> None:
        """Show and sound a verdict: on the scan page, or across the top of the page open."""
        seconds = self._settings().verdict_display_s
        if self.pages.currentWidget() is self.scan_page:
            self.banner.dismiss()
            self.scan_page.show_verdict(view, seconds=seconds)
        else:
            self.banner.show_view(view, seconds=seconds)
        self.sounds.play(view.sound)

    # -- camera -------------------------------------------------------------------------------

    def on_preview(self, image: QImage) -> None:
        if not self._camera_ok and not self._camera_blank:
            # Frames arrive: the camera works (the worker reports "restored" only after a loss).
            self.on_camera_restored()
        # The camera view stays live beside a verdict: the next person aims at it meanwhile.
        if self.pages.currentWidget() is self.scan_page:
            self.scan_page.set_preview(image)

    def on_unreadable(self, reason: str) -> None:
        hints = {"too_small": tr("Hold the code closer"), "blurred": tr("Hold the code still")}
        self.scan_page.show_instruction(
            hints.get(reason, tr("Increase the phone's screen brightness"))
        )

    def on_camera_lost(self, message: str) -> None:
        log.warning("camera lost: %s", message)
        self._camera_ok = False
        self.scan_page.preview.clear()  # never show a stale picture as if it were live
        self.scan_page.set_camera_state("lost")

    def on_camera_restored(self) -> None:
        self._camera_ok = True
        self._camera_blank = False
        self.scan_page.set_camera_state("ok")

    def on_camera_blank(self) -> None:
        self._camera_ok = False
        self._camera_blank = True
        self.scan_page.set_camera_state("blank")

    # -- pages --------------------------------------------------------------------------------

    def show_scan_page(self) -> None:
        self.pages.setCurrentWidget(self.scan_page)
        self.setFocus()
        remaining = self.banner.remaining_ms
        if remaining and self.banner.view is not None:
            # Answered on another page: the verdict stays up here for the rest of its time.
            self.scan_page.show_verdict(self.banner.view, seconds=remaining / 1000)
        self.banner.dismiss()

    def show_manual(self) -> None:
        if self.manual_page is not None:
            prepare = getattr(self.manual_page, "prepare", None)
            if prepare is not None:
                prepare(self.runner.gate_mode)
            self.pages.setCurrentWidget(self.manual_page)

    def show_inside(self) -> None:
        if self.inside_page is not None:
            self.pages.setCurrentWidget(self.inside_page)

    def show_admin(self) -> None:
        if self.admin_page is not None:
            self.pages.setCurrentWidget(self.admin_page)

    def show_out_of_service(self, reason: str = "") -> None:
        """Shown for a few seconds; the scan loop keeps running behind it."""
        log.error("out of service panel shown: %s", reason)
        self.pages.setCurrentWidget(self.out_of_service)
        # One timer, restarted: a second failure keeps the panel up for the full time again.
        self._back_in_service.start(int(self.out_of_service_s * 1000))

    def _end_out_of_service(self) -> None:
        if self.pages.currentWidget() is self.out_of_service:
            self.show_scan_page()

    def _choose_gate_mode(self, mode: str) -> None:
        self.runner.set_gate_mode(mode)
        self.scan_page.set_gate_mode(mode)

    def _toggle_language(self) -> None:
        self.language_requested.emit("en" if self._settings().language == "vi" else "vi")

    def retranslate(self) -> None:
        self.scan_page.retranslate()
        self.out_of_service.retranslate()
        self.banner.dismiss()  # its words were in the other language
        for page in (self.manual_page, self.admin_page, self.inside_page):
            retranslate = getattr(page, "retranslate", None)
            if retranslate is not None:
                retranslate()
        self._tick()

    def apply_settings(self, settings: Settings) -> None:
        self.scan_page.set_checkpoint(settings.checkpoint_name)
        self.scan_page.set_gate_mode(self.runner.gate_mode)
        self.scan_page.set_camera_position(settings.camera_position)
        self.scan_page.set_retention(settings.retention_days)
        self.runner.refresh_counters()

    def _keyboard_toggled(self) -> None:
        if self.keyboard is not None:
            self.keyboard.setVisible(QGuiApplication.inputMethod().isVisible())

    def resizeEvent(self, event: QResizeEvent) -> None:
        fit = getattr(self.keyboard, "fit", None)
        if fit is not None:
            fit(event.size())
        super().resizeEvent(event)
        self.banner.place()

    # -- status -------------------------------------------------------------------------------

    def set_sync_status(self, status: SyncStatus | None) -> None:
        """The sync job's latest status (SyncBridge.status_changed); shown at once and kept
        for the once-a-second refresh (the minutes since the last sync)."""
        self._sync_status = status
        self._tick()

    def _tick(self) -> None:
        instant = self._clock.now()
        self.scan_page.set_clock(
            clock_text(instant.utc, self._settings().zone), synced=instant.synced
        )
        status = self._sync_status
        waiting = self.scan_page.waiting
        text, tone = sync_text(status, instant.utc, waiting)
        short, _ = sync_text(status, instant.utc, waiting, compact=True)
        self.scan_page.set_sync_state(text, tone, short)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._status_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
