"""Camera faults on the real kiosk window (tests/ui/conftest.py): a camera that fails (a
SourceError, as an unplugged USB camera gives, or another exception, as a driver bug gives),
that disappears and comes back, and one that sends black frames. The screen says so on the scan
page, and recovers by itself: once the camera is back, a code held up is recorded and shown.

The sources are test-only classes implementing the real FrameSource interface
(kiosk.scanner.types), driven by the test from its thread; everything else is the app's own:
ScannerBridge, ScanWorker, ChainDecoder, GateRunner, MainWindow.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from kiosk.events import Verdict
from kiosk.scanner.render import render_empty, render_frame
from kiosk.scanner.types import Frame, Image, SourceError
from kiosk.ui.texts import RED
from tests.ui.conftest import PERSONAL, WAIT_MS

pytestmark = pytest.mark.timeout(120)

FPS = 30.0
EMPTY = render_empty(seed=1)
CODE = render_frame(PERSONAL, size_px=320, condition="clean", seed=2)
BLACK = np.zeros_like(EMPTY)


class TestCamera:
    """A live source whose picture and health the test sets: `show(image)`, `fail(exc)` (every
    open and read raises it until `mend()`), as a USB camera unplugged and plugged back."""

    __test__ = False  # not a pytest test class
    live = True
    name = "test-camera"

    def __init__(self, image: Image) -> None:
        self._lock = threading.Lock()
        self._image = image
        self._error: BaseException | None = None
        self.index = 0
        self.opens = 0

    def show(self, image: Image) -> None:
        with self._lock:
            self._image = image

    def fail(self, error: BaseException) -> None:
        with self._lock:
            self._error = error

    def mend(self) -> None:
        with self._lock:
            self._error = None

    # FrameSource, on the worker's capture thread.
    def open(self) -> None:
        with self._lock:
            self.opens += 1
            if self._error is not None:
                raise self._error

    def read(self) -> Frame | None:
        time.sleep(1 / FPS)  # a camera's pace
        with self._lock:
            if self._error is not None:
                raise self._error
            self.index += 1
            return Frame(self._image, self.index, time.monotonic_ns())

    def close(self) -> None:
        pass


def camera_text(kiosk: Any) -> str:
    """The status line's words about the camera ("" while it works)."""
    page = kiosk.window.scan_page
    return str(page.camera_state.text()) if page.camera != "ok" else "Camera OK"


@pytest.mark.parametrize(
    "error",
    [
        SourceError("/dev/video0: no such device (unplugged?)"),  # what CameraSource raises
        RuntimeError("driver bug: VIDIOC_DQBUF returned garbage"),  # anything else
    ],
    ids=["unplugged", "driver-error"],
)
def test_a_camera_that_fails_and_comes_back(
    kiosk_factory: Any, qtbot: Any, error: BaseException
) -> None:
    camera = TestCamera(EMPTY)
    kiosk = kiosk_factory(source=camera)
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: camera_text(kiosk) == "Camera OK", timeout=WAIT_MS)
    assert page.preview._image is not None  # the live picture is shown

    assert not page.camera_state.isVisible()  # nothing said while it works
    assert not page.camera_problem.isVisible()

    camera.fail(error)
    qtbot.waitUntil(lambda: camera_text(kiosk) == "Camera disconnected", timeout=WAIT_MS)
    assert RED in page.camera_state.styleSheet()
    assert not page.camera_state.isVisible()  # said in the centre, big, not twice
    assert page.preview._image is None  # no stale picture shown as if it were live
    # The full-width state: what happened, and the ways in meanwhile.
    problem = page.camera_problem
    assert problem.isVisible() and not page.preview.isVisible()
    assert problem.width() == page.width()
    assert problem.title.text() == "Camera disconnected"
    assert "hand scanner (USB)" in problem.scanner.text()
    assert "Manual entry" in problem.manual.text()
    assert page.instruction.text() == (
        "The camera is not working: use the hand scanner or Manual entry"
    )
    assert not page.arrow.isVisible()  # nothing to aim at
    opens = camera.opens
    qtbot.waitUntil(lambda: camera.opens >= opens + 2, timeout=WAIT_MS)  # it keeps trying
    assert camera_text(kiosk) == "Camera disconnected"
    assert kiosk.window.pages.currentWidget() is page  # no out-of-service panel for this

    camera.show(CODE)  # plugged back in, someone holds a code up
    camera.mend()
    qtbot.waitUntil(lambda: camera_text(kiosk) == "Camera OK", timeout=WAIT_MS)
    assert not page.camera_problem.isVisible() and page.preview.isVisible()
    (done,) = kiosk.wait_verdicts(1)
    assert done.request.source == "camera"
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert kiosk.verdict.word.text() == "COME IN"
    assert len(kiosk.events()) == 1


def test_a_camera_that_sends_black_frames(kiosk_factory: Any, qtbot: Any) -> None:
    camera = TestCamera(EMPTY)
    kiosk = kiosk_factory(source=camera)
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: camera_text(kiosk) == "Camera OK", timeout=WAIT_MS)

    camera.show(BLACK)  # the lens covered: frames keep coming, black
    covered = "Camera shows nothing (covered?)"
    qtbot.waitUntil(lambda: camera_text(kiosk) == covered, timeout=WAIT_MS)
    assert RED in page.camera_state.styleSheet()
    assert page.camera_problem.isVisible()
    assert page.camera_problem.title.text() == "The camera shows nothing"
    # It stays said while the black frames' previews keep reaching the window (its slot runs
    # before this counter's, being connected first).
    previews: list[object] = []
    kiosk.scanner.preview.connect(previews.append)
    qtbot.waitUntil(lambda: len(previews) >= 10, timeout=WAIT_MS)
    assert camera_text(kiosk) == covered

    camera.show(CODE)  # uncovered, with a code in front of it
    qtbot.waitUntil(lambda: camera_text(kiosk) == "Camera OK", timeout=WAIT_MS)
    (done,) = kiosk.wait_verdicts(1)
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert kiosk.verdict.word.text() == "COME IN"


def test_with_the_camera_lost_the_hand_scanner_and_manual_entry_still_record(
    kiosk_factory: Any, qtbot: Any
) -> None:
    camera = TestCamera(EMPTY)
    camera.fail(SourceError("/dev/video0: no such device (unplugged?)"))
    kiosk = kiosk_factory(source=camera)
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: page.camera_problem.isVisible(), timeout=WAIT_MS)

    # A USB scanner in keyboard mode: recorded, the verdict beside the camera state.
    qtbot.keyClicks(kiosk.window, PERSONAL)
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Return)
    (done,) = kiosk.wait_verdicts(1)
    assert done.request.source == "keyboard"
    assert kiosk.showing_verdict() and page.camera_problem.isVisible()
    assert kiosk.verdict.word.text() == "COME IN"

    # The state's own button opens manual entry.
    qtbot.mouseClick(page.camera_problem.manual_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.pages.currentWidget() is kiosk.parts.manual
