"""Labels that never interpret their text.

A QLabel guesses whether its text is rich text (Qt.AutoText): a name read from a QR code such as
"<h1>ADMIT</h1>" would be drawn as a big heading, and a crafted code could draw any verdict. Every
label of the kiosk shows its text as typed: names, reasons, checkpoint names from the server.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


class PlainLabel(QLabel):
    """A QLabel whose text is always plain text (never HTML or Markdown)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)
