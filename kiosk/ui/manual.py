"""Manual entry for visitors without a code (placeholder: being written)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class ManualEntryPage(QWidget):
    submitted = Signal(object)  # ManualEntry
    cancelled = Signal()
