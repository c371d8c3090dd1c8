"""The verdict as a strip across the top of whatever page is open (manual entry, the people
inside, administration): the gate never goes deaf. A code read by the camera or the hand
scanner while the guard is on another page is recorded and answered there (this strip and the
sound); back on the scan page, the verdict is still shown for the rest of its time.

It floats over the page (a child of the window's central widget, raised, not in a layout): the
page keeps its size and nothing moves under the guard's finger.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.labels import ElidedLabel, PlainLabel
from kiosk.ui.pictures import Picture, paint_ground
from kiosk.ui.texts import VerdictView

BANNER_PX = 92


class VerdictBanner(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.view: VerdictView | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        self.icon = Picture("check")
        self.icon.setFixedSize(BANNER_PX - 24, BANNER_PX - 24)
        self.word = PlainLabel()
        self.line = ElidedLabel()
        font = self.word.font()
        font.setPixelSize(30)
        font.setBold(True)
        self.word.setFont(font)
        small = self.line.font()
        small.setPixelSize(19)
        small.setBold(True)
        self.line.setFont(small)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.word)
        texts.addWidget(self.line)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 14, 8)
        row.addWidget(self.icon)
        row.addLayout(texts, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_view(self, view: VerdictView, *, seconds: float) -> None:
        self.view = view
        colour = view.foreground
        self.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.icon.show_as(view.style.icon, ink=colour, ground=view.background)
        self.word.setText(view.word)
        parts = [p for p in (view.recorded_at, view.detail, view.reason, view.action) if p]
        self.line.setText(" · ".join(parts))
        self.place()
        self.show()
        self.raise_()
        self._timer.start(int(seconds * 1000))

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(0, 0, parent.width(), BANNER_PX)

    @property
    def remaining_ms(self) -> int:
        """How long the verdict still has to be shown (0: not showing)."""
        return self._timer.remainingTime() if self._timer.isActive() else 0

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.view is None:
            return
        painter = QPainter(self)
        style = self.view.style
        rect = QRectF(self.rect())
        paint_ground(painter, rect, style.background, style.stripe, 22.0)
        painter.fillRect(QRectF(0, rect.bottom() - 3, rect.width(), 4), QColor("#000000"))
        painter.end()
