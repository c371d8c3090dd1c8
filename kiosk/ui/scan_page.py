"""The main screen: camera preview with a guide frame, the verdict, and the status bar.

Thin: it shows what it is told (a VerdictView, Counters, camera and sync state) and reports what
the guard does (gate mode switch, manual entry, admin, language) as signals.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.gate import StorageStatus
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import Counters
from kiosk.ui.texts import (
    AMBER,
    GREEN,
    RED,
    VerdictView,
    gate_mode_name,
    storage_text,
    tr,
)


class PreviewView(QWidget):
    """The latest camera frame, scaled to fit, with the guide frame people aim at."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self.setMinimumSize(160, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101418"))
        if self._image is not None and not self._image.isNull():
            scaled = self._image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            painter.drawImage(x, y, scaled)
        # The guide: a square of 60% of the short side, corners only, like a phone scanner.
        side = min(self.width(), self.height()) * 0.6
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.setPen(QPen(QColor("white"), max(4.0, side / 50)))
        arm = side / 5
        for cx, cy, dx, dy in (
            (box.left(), box.top(), 1, 1),
            (box.right(), box.top(), -1, 1),
            (box.left(), box.bottom(), 1, -1),
            (box.right(), box.bottom(), -1, -1),
        ):
            painter.drawLine(int(cx), int(cy), int(cx + dx * arm), int(cy))
            painter.drawLine(int(cx), int(cy), int(cx), int(cy + dy * arm))
        painter.end()


class VerdictPanel(QWidget):
    """The verdict, big enough to read from a metre away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        # Paint the stylesheet's background on the whole panel, not only behind the labels
        # (a plain QWidget ignores it): the verdict's colour must fill the centre.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.direction = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.detail = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.reason = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        for label in (self.title, self.detail, self.reason):
            label.setWordWrap(True)
        layout.addStretch(1)
        for label in (self.direction, self.title, self.detail, self.reason):
            layout.addWidget(label)
        layout.addStretch(1)
        self.view: VerdictView | None = None

    def show_view(self, view: VerdictView) -> None:
        self.view = view
        self.setStyleSheet(f"background: {view.background}; color: {view.foreground};")
        self.direction.setText(view.direction)
        self.direction.setVisible(bool(view.direction))
        self.title.setText(view.title)
        self.detail.setText(view.detail)
        self.detail.setVisible(bool(view.detail))
        self.reason.setText(view.reason)
        self.reason.setVisible(bool(view.reason))

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = max(1, event.size().height())
        # Shares of the panel's height; the floors keep the name and the reason readable from
        # a metre away on a 800x480 screen, where the panel is under 300 px tall.
        for label, share, floor, bold in (
            (self.direction, 0.16, 36, True),
            (self.title, 0.085, 26, True),
            (self.detail, 0.05, 20, False),
            (self.reason, 0.05, 20, False),
        ):
            font = label.font()
            font.setPixelSize(max(floor, int(height * share)))
            font.setBold(bold)
            label.setFont(font)
        super().resizeEvent(event)


class ScanPage(QWidget):
    gate_mode_chosen = Signal(str)  # "in" | "out" | "auto"
    manual_requested = Signal()
    admin_requested = Signal()
    language_toggled = Signal()

    def __init__(self, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo = demo
        self._verdict_timer = QTimer(self)
        self._verdict_timer.setSingleShot(True)
        self._verdict_timer.timeout.connect(self.clear_verdict)
        self._instruction_timer = QTimer(self)
        self._instruction_timer.setSingleShot(True)
        self._instruction_timer.timeout.connect(self._default_instruction)
        self._counters: Counters | None = None
        self._storage_level = "ok"

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        # Top bar: checkpoint, demo badge, clock.
        top = QHBoxLayout()
        top.setContentsMargins(12, 6, 12, 6)
        self.checkpoint = PlainLabel()
        self.demo_badge = PlainLabel()
        self.demo_badge.setStyleSheet(
            f"background: {AMBER}; color: black; padding: 2px 10px; font-weight: bold;"
        )
        self.demo_badge.setVisible(demo)
        self.clock = PlainLabel()
        self.clock_warning = PlainLabel()
        self.clock_warning.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        top.addWidget(self.checkpoint)
        top.addWidget(self.demo_badge)
        top.addStretch(1)
        top.addWidget(self.clock_warning)
        top.addWidget(self.clock)
        top_bar = QWidget()
        top_bar.setLayout(top)
        top_bar.setStyleSheet("background: #1f2a30; color: white;")
        root.addWidget(top_bar)

        # Centre: preview, or the verdict over it.
        centre = QWidget()
        self.centre = QStackedLayout(centre)
        self.preview = PreviewView()
        self.verdict = VerdictPanel()
        self.centre.addWidget(self.preview)
        self.centre.addWidget(self.verdict)
        root.addWidget(centre, 1)

        self.instruction = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.instruction.setStyleSheet("background: #263238; color: white; padding: 6px;")
        root.addWidget(self.instruction)

        # Status bar, in two rows (what the kiosk knows; what the guard can do): in one row the
        # Vietnamese texts made the window ~1570 px wide, wider than a 1280 or 800 px screen.
        bar = QVBoxLayout()
        bar.setContentsMargins(10, 4, 10, 6)
        bar.setSpacing(4)
        info = QHBoxLayout()
        controls = QHBoxLayout()
        bar.addLayout(info)
        bar.addLayout(controls)
        self.occupancy = PlainLabel()
        self.today = PlainLabel()
        self.camera_state = PlainLabel()
        self.sync_state = PlainLabel()
        self.sound_state = PlainLabel()
        # Free space: hidden while there is room; amber when low, red when scans are refused.
        self.storage_state = PlainLabel()
        self.storage_state.setVisible(False)
        for label in (self.camera_state, self.sync_state, self.storage_state):
            # Two lines on a narrow screen rather than a window wider than the screen; the
            # stretch below lets them use one line where there is room.
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.mode_buttons: dict[str, QPushButton] = {}
        modes = QButtonGroup(self)
        modes.setExclusive(True)
        for mode in ("in", "out", "auto"):
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, m=mode: self.gate_mode_chosen.emit(m))
            modes.addButton(button)
            self.mode_buttons[mode] = button
        self.manual_button = QPushButton()
        self.manual_button.setMinimumHeight(44)
        self.manual_button.clicked.connect(self.manual_requested.emit)
        self.admin_button = QPushButton()
        self.admin_button.setMinimumHeight(44)
        self.admin_button.clicked.connect(self.admin_requested.emit)
        self.language_button = QPushButton()
        self.language_button.setMinimumHeight(44)
        self.language_button.clicked.connect(self.language_toggled.emit)
        info.addWidget(self.occupancy)
        info.addSpacing(16)
        info.addWidget(self.today)
        for label, stretch in ((self.camera_state, 1), (self.sync_state, 1), (self.sound_state, 0)):
            info.addSpacing(16)
            info.addWidget(label, stretch)
        info.addWidget(self.storage_state, 1)
        for button in self.mode_buttons.values():
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.manual_button)
        controls.addWidget(self.admin_button)
        controls.addWidget(self.language_button)
        # Touch only, never keyboard focus: a USB scanner types into the focused widget, and a
        # space in a payload would press a focused button (and be lost from the scan).
        buttons = (*self.mode_buttons.values(), self.manual_button, self.admin_button)
        for button in (*buttons, self.language_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        status = QWidget()
        status.setLayout(bar)
        status.setStyleSheet("background: #eceff1; color: #102027;")
        root.addWidget(status)
        self.retranslate()

    # -- text -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.demo_badge.setText(tr("DEMO MODE"))
        for mode, button in self.mode_buttons.items():
            button.setText(gate_mode_name(mode))
        self.manual_button.setText(tr("Manual entry"))
        self.admin_button.setText(tr("Administration"))
        self.language_button.setText(tr("Tiếng Việt"))  # the other language, named in it
        self._default_instruction()
        self._show_storage()
        if self._counters is not None:
            self.set_counters(self._counters)
        if self.verdict.view is not None and self.centre.currentWidget() is self.verdict:
            self.clear_verdict()  # its words were in the other language

    def _default_instruction(self) -> None:
        self.instruction.setText(tr("Put the QR code in the frame"))

    # -- state ------------------------------------------------------------------------------

    def set_demo(self, demo: bool) -> None:
        self.demo = demo
        self.demo_badge.setVisible(demo)

    def set_checkpoint(self, name: str) -> None:
        self.checkpoint.setText(name)

    def set_gate_mode(self, mode: str) -> None:
        for key, button in self.mode_buttons.items():
            button.setChecked(key == mode)

    def set_counters(self, counters: Counters) -> None:
        self._counters = counters
        inside = tr("Inside now: {n}").format(n=counters.occupancy)
        if counters.capacity:
            inside += f" / {counters.capacity}"
            full = counters.occupancy >= counters.capacity
            self.occupancy.setStyleSheet(f"color: {RED}; font-weight: bold;" if full else "")
        self.occupancy.setText(inside)
        self.today.setText(
            tr("Today: in {n} · out {m}").format(n=counters.today_in, m=counters.today_out)
        )

    def set_clock(self, text: str, *, synced: bool) -> None:
        self.clock.setText(text)
        self.clock_warning.setText("" if synced else tr("Clock not synchronised"))

    def set_camera_state(self, text: str, *, ok: bool) -> None:
        self.camera_state.setText(text)
        self.camera_state.setStyleSheet("" if ok else f"color: {RED}; font-weight: bold;")

    def set_sync_state(self, text: str, *, ok: bool) -> None:
        self.sync_state.setText(text)
        self.sync_state.setStyleSheet(f"color: {GREEN};" if ok else f"color: {RED};")

    def set_storage(self, status: StorageStatus) -> None:
        """The data directory's free space: a warning while low, an alarm while full."""
        self._storage_level = status.level
        self._show_storage()

    def _show_storage(self) -> None:
        level = self._storage_level
        self.storage_state.setText(storage_text(level))
        self.storage_state.setVisible(level != "ok")
        if level == "full":
            self.storage_state.setStyleSheet(
                f"background: {RED}; color: white; font-weight: bold; padding: 2px 8px;"
            )
        else:
            self.storage_state.setStyleSheet(
                f"background: {AMBER}; color: black; font-weight: bold; padding: 2px 8px;"
            )

    def set_sound_state(self, available: bool) -> None:
        self.sound_state.setText("" if available else tr("No sound device"))

    def set_preview(self, image: QImage) -> None:
        self.preview.set_image(image)

    def show_instruction(self, text: str, *, seconds: float = 2.0) -> None:
        self.instruction.setText(text)
        self._instruction_timer.start(int(seconds * 1000))

    def show_verdict(self, view: VerdictView, *, seconds: float) -> None:
        """Show a verdict; it clears itself, and the next scan simply replaces it."""
        self.verdict.show_view(view)
        self.centre.setCurrentWidget(self.verdict)
        self._verdict_timer.start(int(seconds * 1000))

    def clear_verdict(self) -> None:
        self._verdict_timer.stop()
        self.centre.setCurrentWidget(self.preview)

    @property
    def showing_verdict(self) -> bool:
        return self.centre.currentWidget() is self.verdict
