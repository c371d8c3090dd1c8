"""Labels that never interpret their text.

A QLabel guesses whether its text is rich text (Qt.AutoText): a name read from a QR code such as
"<h1>ADMIT</h1>" would be drawn as a big heading, and a crafted code could draw any verdict. Every
label of the kiosk shows its text as typed: names, reasons, checkpoint names from the server.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle, QStyleOption


class PlainLabel(QLabel):
    """A QLabel whose text is always plain text (never HTML or Markdown)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


class ElidedLabel(PlainLabel):
    """A one-line label that never wraps nor widens its window: text that does not fit is cut
    with "…" (the full text stays in `text()`). For the status line on a 800 px screen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setWordWrap(False)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.minimumWidth(), hint.height())

    def set_texts(self, full: str, short: str) -> None:
        """`full` where it fits, else `short` (cut with "…" if even that does not fit)."""
        self._short = short
        self.setText(full)

    def shown_text(self) -> str:
        """What is drawn: the text, its short form, or either cut short."""
        metrics = self.fontMetrics()
        width = self.contentsRect().width()
        text = self.text()
        short = getattr(self, "_short", "")
        if short and metrics.horizontalAdvance(text) > width:
            text = short
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        # The style sheet's background and border, as QLabel would draw them.
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        rect = self.contentsRect()
        text = self.shown_text()
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()) | int(Qt.TextFlag.TextSingleLine), text)
        painter.end()

    def is_elided(self) -> bool:
        """Whether what is drawn is cut short (its short form drawn whole is not)."""
        return self.shown_text().endswith("…")
