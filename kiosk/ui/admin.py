"""Administration behind a PIN (placeholder: being written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.clock import Clock
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder


class AdminPage(QWidget):
    closed = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: SettingsHolder,
        data_dir: Path,
        clock: Clock,
        on_enrolled: Callable[[], None],
    ) -> None:
        super().__init__()
        self.runner = runner
        self.settings = settings
        self.data_dir = data_dir
        self.clock = clock
        self.on_enrolled = on_enrolled
