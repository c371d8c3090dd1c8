"""What the sync job (on the scheduler's thread) tells the GUI thread, as Qt signals.

Emitted on the scheduler's thread; receivers on the GUI thread get them queued (Qt's automatic
connection across threads), so nothing is polled and nothing is shared but frozen values.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SyncBridge(QObject):
    settings_received = Signal(object)  # Settings from the server (server-managed keys applied)
    status_changed = Signal(object)  # SyncStatus after each round (kiosk.sync.service)
