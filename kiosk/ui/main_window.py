"""The kiosk window: the scan page, manual entry, administration, and the out-of-service panel.

Wiring only: scans go to the GateRunner, verdicts come back and are shown and heard. Nothing
here decides or writes SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.scanner.types import CodeScanned
from kiosk.scanner.wedge import KeyboardWedge
from kiosk.sync.service import SyncStatus
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner, ManualEntry, ScanDone, ScanNotRecorded, ScanRequest
from kiosk.ui.scan_page import ScanPage
from kiosk.ui.sounds import Sounds
from kiosk.ui.texts import RED, clock_text, not_recorded_view, tr, verdict_view

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
        admin_page: QWidget | None = None,
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
        for page in (manual_page, admin_page):
            if page is not None:
                self.pages.addWidget(page)
        self.pages.addWidget(self.out_of_service)
        self.setCentralWidget(self.pages)

        self.scan_page.gate_mode_chosen.connect(self._choose_gate_mode)
        self.scan_page.manual_requested.connect(self.show_manual)
        self.scan_page.admin_requested.connect(self.show_admin)
        self.scan_page.language_toggled.connect(self._toggle_language)
        runner.scanned.connect(self._on_scanned)
        runner.not_recorded.connect(self._on_not_recorded)
        runner.counters_changed.connect(self.scan_page.set_counters)
        runner.storage_changed.connect(self.scan_page.set_storage)
        runner.failed.connect(self.show_out_of_service)

        self.scan_page.set_checkpoint(settings().checkpoint_name)
        self.scan_page.set_gate_mode(runner.gate_mode)
        self.scan_page.set_sound_state(sounds.available)
        self._camera_ok = False
        # Black frames still come with previews: only the worker's CameraRestored ends that.
        self._camera_blank = False
        self.scan_page.set_camera_state(tr("Camera: starting"), ok=True)
        self.out_of_service_s = OUT_OF_SERVICE_S
        self._back_in_service = QTimer(self)
        self._back_in_service.setSingleShot(True)
        self._back_in_service.timeout.connect(self._end_out_of_service)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._tick)
        self._status_timer.start()
        self._tick()

    # -- scanning -----------------------------------------------------------------------------

    def on_code_scanned(self, event: CodeScanned) -> None:
        """From the camera (ScannerBridge.code_scanned). Ignored off the scan page: a code held
        up while the guard types in the admin screen must not record anyone."""
        if self.pages.currentWidget() is not self.scan_page:
            return
        self.runner.scan(ScanRequest(event.payload, event.source, event.frame_mono_ns))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # a USB scanner in keyboard mode
        if self.pages.currentWidget() is self.scan_page:
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            scanned = self.wedge.feed_key(event.text(), is_enter=enter)
            if scanned is not None:  # the Enter that ends a line that counts
                self.runner.scan(ScanRequest(scanned.payload, "keyboard", scanned.frame_mono_ns))
            event.accept()
            return
        super().keyPressEvent(event)

    def record_manual(self, entry: ManualEntry, mode: str | None = None) -> None:
        """From the manual entry page: record the visitor (`mode`: in / out / auto for this
        entry; None: the gate mode the guard chose), back to the scan page for the verdict."""
        self.runner.record_manual(entry, mode=mode)
        self.show_scan_page()

    def _on_scanned(self, done: ScanDone) -> None:
        settings = self._settings()
        view = verdict_view(done.outcome, settings.zone)
        self.scan_page.show_verdict(view, seconds=settings.verdict_display_s)
        self.sounds.play(view.sound)

    def _on_not_recorded(self, failure: ScanNotRecorded) -> None:
        view = not_recorded_view(storage_full=failure.storage_full)
        self.scan_page.show_verdict(view, seconds=self._settings().verdict_display_s)
        self.sounds.play(view.sound)

    # -- camera -------------------------------------------------------------------------------

    def on_preview(self, image: QImage) -> None:
        if not self._camera_ok and not self._camera_blank:
            # Frames arrive: the camera works (the worker reports "restored" only after a loss).
            self.on_camera_restored()
        if self.pages.currentWidget() is self.scan_page and not self.scan_page.showing_verdict:
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
        self.scan_page.set_camera_state(tr("Camera disconnected"), ok=False)

    def on_camera_restored(self) -> None:
        self._camera_ok = True
        self._camera_blank = False
        self.scan_page.set_camera_state(tr("Camera OK"), ok=True)

    def on_camera_blank(self) -> None:
        self._camera_ok = False
        self._camera_blank = True
        self.scan_page.set_camera_state(tr("Camera shows nothing (covered?)"), ok=False)

    # -- pages --------------------------------------------------------------------------------

    def show_scan_page(self) -> None:
        self.pages.setCurrentWidget(self.scan_page)
        self.setFocus()

    def show_manual(self) -> None:
        if self.manual_page is not None:
            self.pages.setCurrentWidget(self.manual_page)

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
        for page in (self.manual_page, self.admin_page):
            retranslate = getattr(page, "retranslate", None)
            if retranslate is not None:
                retranslate()
        self._tick()

    def apply_settings(self, settings: Settings) -> None:
        self.scan_page.set_checkpoint(settings.checkpoint_name)
        self.scan_page.set_gate_mode(self.runner.gate_mode)
        self.runner.refresh_counters()

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
        if status is None or not status.enrolled:
            self.scan_page.set_sync_state(tr("Offline (not enrolled)"), ok=False)
            return
        if status.needs_reenrollment:
            self.scan_page.set_sync_state(tr("Needs re-enrollment"), ok=False)
            return
        waiting = tr("{n} waiting to send").format(n=status.waiting) if status.waiting else ""
        if status.last_success is None:
            self.scan_page.set_sync_state(" ".join([tr("Offline"), waiting]), ok=False)
            return
        minutes = int((instant.utc - status.last_success).total_seconds() // 60)
        online = status.last_error_kind is None
        text = tr("Online") if online else tr("Offline")
        text += " · " + tr("last synced {n} min ago").format(n=max(0, minutes))
        if waiting:
            text += " · " + waiting
        self.scan_page.set_sync_state(text, ok=online and minutes < 30)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._status_timer.stop()
        super().closeEvent(event)
