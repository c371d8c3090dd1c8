"""The Qt binding itself: PySide6 6.12.0 on CPython 3.11 loses a reference to None on every
void Qt call (and to True on every Signal.emit); the interpreter then aborts with "deallocating
None" after some thousands of calls: a kiosk would die within hours. pyproject.toml excludes
that release; this test catches any installed binding with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal()


def test_qt_calls_keep_the_reference_counts_of_none_and_true() -> None:
    probe = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        probe.setObjectName("probe")  # a void method: returns None
        probe.happened.emit()  # returns True
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    # A few references may come and go with the interpreter's own work; a leak is ~200.
    assert lost_none < 50 and lost_true < 50, (
        f"this PySide6 loses references (None: {lost_none}, True: {lost_true} per 200 calls): "
        "the kiosk would abort after a few thousand scans; install another PySide6 release"
    )
