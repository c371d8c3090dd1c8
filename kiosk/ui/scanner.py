"""The camera side of the screen: the Qt-free ScanWorker's events as Qt signals.

The worker's threads call `_on_event`; it only emits signals (thread-safe, queued to the GUI
thread), never touches widgets. Preview frames become QImages on the worker thread (a copy: the
frame buffer is the worker's).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.scanner.decode import ChainDecoder
from kiosk.scanner.sources import open_source
from kiosk.scanner.types import (
    CameraBlank,
    CameraLost,
    CameraRestored,
    CodeScanned,
    CodeUnreadable,
    FrameSource,
    PreviewFrame,
    ScanEvent,
    SourceEnded,
)
from kiosk.scanner.worker import ScanWorker

log = logging.getLogger(__name__)


def to_qimage(image: object) -> QImage:
    """A QImage copy of a BGR (H x W x 3) or gray (H x W) uint8 array."""
    import numpy as np

    array = np.ascontiguousarray(image)
    height, width = array.shape[:2]
    if array.ndim == 2:
        return QImage(array.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QImage(array.data, width, height, 3 * width, QImage.Format.Format_BGR888).copy()


class ScannerBridge(QObject):
    code_scanned = Signal(object)  # CodeScanned
    code_unreadable = Signal(str)  # "too_small" | "blurred" | "unreadable"
    camera_lost = Signal(str)
    camera_restored = Signal()
    camera_blank = Signal()
    source_ended = Signal()
    preview = Signal(QImage)

    def __init__(self, source: FrameSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._worker: ScanWorker | None = None

    @classmethod
    def from_spec(cls, spec: str, parent: QObject | None = None) -> ScannerBridge:
        """Raises SpecError for a malformed source string."""
        return cls(open_source(spec), parent)

    def start(self) -> None:
        self._worker = ScanWorker(self.source, ChainDecoder(), self._on_event, preview_fps=15)
        self._worker.start()

    def stop(self) -> bool:
        """Stop and release the camera; True when it stopped within a second."""
        if self._worker is None:
            return True
        stopped = self._worker.stop(timeout=1.0)
        self._worker = None
        return stopped

    def restart(self) -> None:
        self.stop()
        self.start()

    # On the worker's threads.
    def _on_event(self, event: ScanEvent) -> None:
        if isinstance(event, PreviewFrame):
            self.preview.emit(to_qimage(event.frame.image))
        elif isinstance(event, CodeScanned):
            self.code_scanned.emit(event)
        elif isinstance(event, CodeUnreadable):
            self.code_unreadable.emit(event.reason)
        elif isinstance(event, CameraLost):
            self.camera_lost.emit(event.message)
        elif isinstance(event, CameraRestored):
            self.camera_restored.emit()
        elif isinstance(event, CameraBlank):
            self.camera_blank.emit()
        elif isinstance(event, SourceEnded):
            self.source_ended.emit()
