"""A full disk, as the guard sees it: the real kiosk window (tests/ui/conftest.py) on a data
directory that is a real 4 MB tmpfs (tests/reliability/tmpfs.py: needs root, else skipped).

First the free space drops under the warning threshold: the status bar warns (amber) while
scans are still recorded. Then the disk fills: a scan shows "NOT RECORDED / Storage is full",
never a verdict, and the status bar turns red. Space is freed: the next scan is recorded and
the warning goes away by itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.events import Verdict
from kiosk.ui.texts import AMBER, RED, STYLES, Family
from tests.reliability.driver import payload
from tests.reliability.tmpfs import fill, tmpfs
from tests.ui.conftest import WAIT_MS, Kiosk

pytestmark = pytest.mark.timeout(180)

LOW_SPACE = 1_000_000  # the warning threshold for this 4 MB disk (the kiosk's: 100 MB)


@pytest.fixture
def data_on_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """tmp_path/data (the kiosk_factory's data directory) on a 4 MB tmpfs. Requested before
    kiosk_factory, so the kiosk is stopped (database closed) before the unmount."""
    with tmpfs(tmp_path / "data", "4m") as data:
        yield data


def type_on_scanner(kiosk: Kiosk, qtbot: Any, text: str) -> None:
    qtbot.keyClicks(kiosk.window, text)
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Return)


def personal_codes() -> Iterator[str]:
    """Made-up personal QR codes (ASCII: a scanner in keyboard mode types them), one person
    each."""
    rng = random.Random(3)
    for person in range(100_000):
        if person % 20 < 8:
            code = payload(person, rng)
            assert isinstance(code, str) and code.isascii()
            yield code


def test_the_screen_warns_refuses_when_full_and_recovers(
    data_on_tmpfs: Path, kiosk_factory: Any, qtbot: Any
) -> None:
    data = data_on_tmpfs
    kiosk = kiosk_factory()
    page = kiosk.window.scan_page
    label = page.storage_state

    def configure(gate: Any) -> None:
        gate.low_space_bytes = LOW_SPACE
        gate.storage_check_every_s = 0  # each idle round (every 2 s) measures

    kiosk.runner.call(configure).result(timeout=10)
    codes = personal_codes()
    # At start the kiosk's own threshold (100 MB) called this 4 MB disk low; the test's, not.
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=WAIT_MS)

    # Low: the warning shows while scans are still recorded.
    fill(data / "filler-1", leave=LOW_SPACE - 100_000)
    qtbot.waitUntil(label.isVisible, timeout=WAIT_MS)
    assert label.text() == "Storage almost full: call the site manager"
    assert AMBER in label.styleSheet()
    type_on_scanner(kiosk, qtbot, next(codes))
    (done,) = kiosk.wait_verdicts(1)
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert kiosk.verdict.word.text() == "COME IN"
    assert label.text() == "Storage almost full: call the site manager"

    # Full: scan until the disk refuses (the WAL's free pages may take a few more first).
    fill(data / "filler-2", leave=0)
    scans = 1
    while not kiosk.not_recorded:
        assert scans < 60, "the disk never refused a scan"
        type_on_scanner(kiosk, qtbot, next(codes))
        scans += 1
        qtbot.waitUntil(
            lambda n=scans: len(kiosk.done) + len(kiosk.not_recorded) >= n, timeout=WAIT_MS
        )
    (refused,) = kiosk.not_recorded
    assert refused.storage_full
    assert kiosk.showing_verdict()
    assert kiosk.verdict.word.text().replace("\n", " ") == "NOT RECORDED"
    assert kiosk.verdict.view.family is Family.FAULT
    assert kiosk.verdict.icon.kind == "warning"
    assert kiosk.verdict.reason.text() == (
        "The kiosk's storage is full: scans are not being recorded"
    )
    assert kiosk.verdict.action.text() == (
        "Guard: write each visitor's name and phone on paper, call the site manager"
    )
    assert kiosk.painted_colour() in (STYLES[Family.FAULT].background, STYLES[Family.FAULT].stripe)
    qtbot.waitUntil(lambda: RED in label.styleSheet(), timeout=WAIT_MS)
    assert label.text() == "Storage full: NOT recording. Call the site manager"
    # One line across the screen, under the hint: never wrapped, the layout never moves.
    assert not label.wordWrap()
    assert label.height() < 2 * label.fontMetrics().height()
    assert label.fontMetrics().horizontalAdvance(label.text()) < label.width()
    # 0 false "recorded": every scan the screen showed as decided is in the database.
    stored = {e.event_id for e in kiosk.events()}
    assert {d.outcome.event_id for d in kiosk.done} == stored
    assert len(stored) == scans - 1

    # Space returns: the next scan is recorded and the warning goes away by itself.
    for filler in ("filler-1", "filler-2"):
        (data / filler).unlink()
    type_on_scanner(kiosk, qtbot, next(codes))
    kiosk.wait_verdicts(scans)
    assert kiosk.verdict.word.text() == "COME IN"
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=WAIT_MS)
    assert len(kiosk.events()) == scans
    assert kiosk.window.pages.currentWidget() is page  # never the out-of-service panel


def test_the_warnings_in_vietnamese(data_on_tmpfs: Path, kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory(language="vi")

    def configure(gate: Any) -> None:
        gate.low_space_bytes = 10_000_000
        gate.storage_check_every_s = 0

    kiosk.runner.call(configure).result(timeout=10)
    label = kiosk.window.scan_page.storage_state
    qtbot.waitUntil(label.isVisible, timeout=WAIT_MS)  # 4 MB < 10 MB: low from the start
    if label.text() == "Storage almost full: call the site manager":
        pytest.skip("translation not built: assets/translations/kiosk_vi.qm is missing")
    assert label.text() == "Bộ nhớ sắp đầy, vui lòng gọi quản lý"
