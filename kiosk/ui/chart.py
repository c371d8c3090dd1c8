"""Entries and exits by hour as a bar chart, drawn with QPainter (QtCharts is not installed).

Two bars per hour, side by side: entries green, exits blue, with the count above each bar when
it fits. Hour labels every hour when there is room, else every second or third. Text sizes
follow the widget's height so the chart stays readable at arm's length on a small screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.reports import HourCount
from kiosk.ui.texts import BLUE, GREEN, tr


class HourlyChart(QWidget):
    """Shows the hours it is given (`set_hours`); owns nothing else. GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hours: tuple[HourCount, ...] = ()
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def hours(self) -> tuple[HourCount, ...]:
        return self._hours

    def set_hours(self, hours: Sequence[HourCount]) -> None:
        self._hours = tuple(hours)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        text_px = max(13, min(20, self.height() // 16))
        font = QFont(self.font())
        font.setPixelSize(text_px)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        line = metrics.height()

        # Legend on top, hour labels at the bottom, counts on the left.
        legend_h = line + 8
        label_h = line + 6
        peak = max((max(h.entries, h.exits) for h in self._hours), default=0)
        top_value = _nice_ceiling(max(peak, 1))
        axis_w = metrics.horizontalAdvance(str(top_value)) + 12
        plot = QRectF(axis_w, legend_h + line, self.width() - axis_w - 8, 0)
        plot.setBottom(self.height() - label_h)
        if plot.width() < 50 or plot.height() < 30:
            painter.end()
            return

        self._draw_legend(painter, text_px, line)
        # Horizontal grid at 0, the top, and the half when it is a whole number.
        fractions = (0.0, 0.5, 1.0) if top_value % 2 == 0 else (0.0, 1.0)
        for fraction in fractions:
            y = plot.bottom() - fraction * plot.height()
            painter.setPen(QPen(QColor("#cfd8dc"), 1))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor("#455a64"))
            painter.drawText(
                QRectF(0, y - line / 2, axis_w - 6, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(int(top_value * fraction)),
            )

        count = len(self._hours)
        if not count:
            painter.setPen(QColor("#455a64"))
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), tr("No data"))
            painter.end()
            return
        slot = plot.width() / count
        bar = max(1.0, slot * 0.36)
        label_every = next(
            (n for n in (1, 2, 3, 4, 6) if slot * n >= metrics.horizontalAdvance("00") + 6), 6
        )
        for i, hour in enumerate(self._hours):
            x = plot.left() + i * slot + (slot - 2 * bar) / 2
            for j, (value, colour) in enumerate(((hour.entries, GREEN), (hour.exits, BLUE))):
                if not value:
                    continue
                height = plot.height() * value / top_value
                rect = QRectF(x + j * bar, plot.bottom() - height, bar, height)
                painter.fillRect(rect, QColor(colour))
                text = str(value)
                if metrics.horizontalAdvance(text) + 2 <= bar:
                    painter.setPen(QColor("#102027"))
                    painter.drawText(
                        QRectF(rect.left() - 6, rect.top() - line, bar + 12, line),
                        int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                        text,
                    )
            if i % label_every == 0:
                painter.setPen(QColor("#102027"))
                painter.drawText(
                    QRectF(plot.left() + i * slot - slot, plot.bottom() + 2, 3 * slot, label_h),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    hour.label,
                )
        painter.end()

    def _draw_legend(self, painter: QPainter, text_px: int, line: int) -> None:
        metrics = painter.fontMetrics()
        x = 8.0
        for label, colour in ((tr("Entries"), GREEN), (tr("Exits"), BLUE)):
            painter.fillRect(QRectF(x, 4 + (line - text_px) / 2, text_px, text_px), QColor(colour))
            x += text_px + 6
            painter.setPen(QColor("#102027"))
            painter.drawText(
                QRectF(x, 4, metrics.horizontalAdvance(label) + 4, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            x += metrics.horizontalAdvance(label) + 24


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least `value`: round axis numbers."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10
