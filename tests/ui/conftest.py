"""The real kiosk, offscreen: the parts `kiosk run` builds (kiosk.ui.app.build_app), a data dir
and a settings file in tmp_path, and a camera that plays codes rendered as 1280x720 frames
(kiosk.scanner.render) from a folder of PNGs, so the real ScanWorker, ChainDecoder, GateRunner
and MainWindow run. Time is a FakeClock where the decision depends on it (duplicates, exits).

Waiting is on signals and conditions (qtbot.waitSignal / waitUntil), never on sleeps.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import cv2
import pytest
from PySide6.QtWidgets import QApplication

from kiosk.clock import Clock, FakeClock, SystemClock
from kiosk.config import Settings, settings_with
from kiosk.demo import EXAMPLES
from kiosk.events import StoredEvent
from kiosk.scanner.render import render_empty, render_frame
from kiosk.scanner.sources import open_source
from kiosk.scanner.types import Image
from kiosk.ui.app import AppParts, build_app
from kiosk.ui.runner import ScanDone, ScanNotRecorded
from tests.conftest import AUTHORITY, START

PERSONAL = dict(EXAMPLES)["personal QR"]  # N. V. AN, ASCII only (a keyboard wedge can type it)
CCCD = dict(EXAMPLES)["CCCD"]  # T. T. B. Ngọc, with diacritics
BHYT = dict(EXAMPLES)["BHYT"]

WAIT_MS = 15_000  # generous, for a loaded machine: the tests wait on events, not on time
FPS = 30.0  # the folder camera plays at a webcam's pace
REPEAT = 5  # frames each image is shown (a code held up for ~0.17 s)


@functools.lru_cache(maxsize=32)
def _rendered(payload: str | None, seed: int) -> Image:
    if payload is None:
        return render_empty(seed=seed)
    return render_frame(payload, size_px=320, condition="clean", seed=seed)


def write_frames(folder: Path, payloads: Sequence[str | None]) -> Path:
    """PNG frames in `folder`, in order: a code for each payload, the empty scene for None."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, payload in enumerate(payloads):
        ok = cv2.imwrite(str(folder / f"{number:03d}.png"), _rendered(payload, number))
        assert ok, f"could not write frame {number}"
    return folder


class Kiosk:
    """The running kiosk for one test, and what it decided."""

    def __init__(self, parts: AppParts, qtbot: Any, clock: Clock) -> None:
        self.parts = parts
        self.window = parts.window
        self.runner = parts.runner
        self.scanner = parts.scanner
        self.qtbot = qtbot
        self.clock = clock
        self.done: list[ScanDone] = []
        self.not_recorded: list[ScanNotRecorded] = []
        parts.runner.scanned.connect(self.done.append)
        parts.runner.not_recorded.connect(self.not_recorded.append)

    # -- driving ------------------------------------------------------------------------------

    def play(self) -> None:
        """Play the camera's folder from its first frame to its last (every call: the codes
        are held up again), and wait until the camera has delivered every code it read."""
        self.scanner.stop()  # the previous playing ended by itself; stop() just forgets it
        with self.qtbot.waitSignal(self.scanner.source_ended, timeout=WAIT_MS):
            self.scanner.start()

    def wait_verdicts(self, count: int) -> list[ScanDone]:
        """Wait until `count` scans have been decided in all (and shown: the window's slot
        runs first, being connected first)."""
        self.qtbot.waitUntil(lambda: len(self.done) >= count, timeout=WAIT_MS)
        assert len(self.done) == count, [d.outcome.decision for d in self.done]
        return self.done

    def drain(self) -> None:
        """Everything sent to the gate thread so far has run, and its signals are delivered."""
        marker: list[bool] = []
        self.runner.call(lambda _gate: None).add_done_callback(lambda _f: marker.append(True))
        self.qtbot.waitUntil(lambda: bool(marker), timeout=WAIT_MS)
        QApplication.sendPostedEvents()

    def events(self) -> list[StoredEvent]:
        """What the store holds, read on the gate thread."""
        return self.runner.call(lambda g: list(g.store.events())).result(timeout=WAIT_MS / 1000)

    # -- what the screen shows ----------------------------------------------------------------

    @property
    def verdict(self) -> Any:
        return self.window.scan_page.verdict

    def showing_verdict(self) -> bool:
        page = self.window.scan_page
        return (
            self.window.pages.currentWidget() is page
            and page.showing_verdict
            and self.verdict.isVisible()
        )

    def painted_colour(self) -> str:
        """The colour the verdict panel really paints (a pixel of its margin), as #rrggbb."""
        image = self.verdict.grab().toImage()
        return str(image.pixelColor(4, 4).name())


@pytest.fixture
def kiosk_factory(qapp: QApplication, qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., Kiosk]]:
    """make(codes, clock=FakeClock | SystemClock | None, source=..., **settings) -> a started,
    shown Kiosk. `codes` are what the folder camera plays (None: an empty scene); `source`
    overrides it with a source string (e.g. "auto"). Settings default to English."""
    made: list[AppParts] = []

    def make(
        codes: Sequence[str | None] = (),
        *,
        clock: Clock | None = None,
        source: str | None = None,
        start_camera: bool = False,
        **settings: Any,
    ) -> Kiosk:
        # Installed as a site should be: with the health authority's key (personal data sealed).
        installed = {"language": "en", "authority_public_key": AUTHORITY.public.to_text()}
        config = settings_with(Settings(), **(installed | settings))
        frames = write_frames(tmp_path / f"frames{len(made)}", list(codes) or [None])
        camera = source or open_source(f"images:{frames}", repeat=REPEAT, fps=FPS)
        parts = build_app(
            config,
            tmp_path / "kiosk.toml",
            tmp_path / "data",
            source=camera,
            clock=clock or FakeClock(START),
        )
        made.append(parts)
        qtbot.addWidget(parts.window)
        kiosk = Kiosk(parts, qtbot, parts.clock)
        # As `kiosk run` starts, without the sync schedule (no server in these tests); the
        # folder camera plays when the test says so (Kiosk.play), a source string at once.
        parts.runner.start()
        if start_camera or source is not None:
            parts.scanner.start()
        parts.window.resize(1280, 800)
        parts.window.show()
        qtbot.waitExposed(parts.window)
        parts.window.activateWindow()
        qtbot.waitUntil(parts.window.isActiveWindow, timeout=WAIT_MS)
        return kiosk

    yield make
    for parts in made:
        parts.stop()
        parts.translator.set_language("en")  # the app's translator is the QApplication's


@pytest.fixture
def system_clock() -> SystemClock:
    return SystemClock()
