"""What the sync job (on the scheduler's thread) tells the GUI thread, as Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SyncBridge(QObject):
    settings_received = Signal(object)  # Settings from the server (server-managed keys applied)
