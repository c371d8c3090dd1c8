"""Settings reaching the running app: a new frame source from the admin screen, and settings
pushed by the server that must not undo a local change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from kiosk.clock import FakeClock
from kiosk.config import Settings, settings_with
from kiosk.demo import EXAMPLES
from kiosk.ui.app import build_app
from kiosk.ui.runner import ScanDone
from tests.conftest import START
from tests.ui.conftest import WAIT_MS, write_frames

CCCD = EXAMPLES[1][1]
BHYT = EXAMPLES[2][1]


def test_a_new_source_setting_restarts_the_camera_on_it(
    qapp: QApplication, qtbot: Any, tmp_path: Path
) -> None:
    first = write_frames(tmp_path / "first", [CCCD])
    second = write_frames(tmp_path / "second", [BHYT])
    settings = settings_with(Settings(), language="en", source=f"images:{first}")
    parts = build_app(settings, tmp_path / "kiosk.toml", tmp_path / "data", clock=FakeClock(START))
    done: list[ScanDone] = []
    parts.runner.scanned.connect(done.append)
    qtbot.addWidget(parts.window)
    try:
        parts.runner.start()
        parts.scanner.start()
        qtbot.waitUntil(lambda: len(done) == 1, timeout=WAIT_MS)
        assert done[0].outcome.credential.kind.value == "cccd"
        # The guard picks another camera in the settings: no restart of the kiosk.
        parts.holder.change(source=f"images:{second}")
        qtbot.waitUntil(lambda: len(done) == 2, timeout=WAIT_MS)
        assert done[1].outcome.credential.kind.value == "bhyt"
        assert parts.scanner.source.name == f"images:{second}"
    finally:
        parts.stop()


def test_server_settings_do_not_undo_a_local_change(
    qapp: QApplication, qtbot: Any, tmp_path: Path
) -> None:
    settings = settings_with(Settings(), language="en", capacity=10)
    parts = build_app(
        settings, tmp_path / "kiosk.toml", tmp_path / "data", source="demo",
        clock=FakeClock(START),
    )  # fmt: skip
    qtbot.addWidget(parts.window)
    try:
        # A sync round started with these settings; meanwhile the guard switched language.
        from_server = settings_with(settings, capacity=250, checkpoint_name="Chợ Bến Thành")
        parts.holder.change(language="vi")
        parts.sync_bridge.settings_received.emit(from_server)
        qtbot.waitUntil(lambda: parts.holder.current().capacity == 250, timeout=WAIT_MS)
        current = parts.holder.current()
        assert current.language == "vi"  # kept
        assert current.checkpoint_name == "Chợ Bến Thành"
    finally:
        parts.translator.set_language("en")
        parts.stop()
