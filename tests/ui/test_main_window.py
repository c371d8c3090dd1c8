"""The kiosk window end to end, offscreen: codes held up to the (folder) camera or typed by a
USB scanner go through the real ScanWorker, ChainDecoder, GateRunner, store and MainWindow, and
the tests check what a guard would notice: what is recorded, the colour painted, the words.

Built with kiosk.ui.app.build_app, as `kiosk run` is (tests/ui/conftest.py); `kiosk run` itself
runs once as a subprocess.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

import kiosk.ui.main_window as main_window_module
from kiosk.clock import FakeClock
from kiosk.config import load_settings
from kiosk.events import Direction, Reason, Verdict
from kiosk.pin import hash_pin
from kiosk.scanner.choose import choose_source
from kiosk.scanner.wedge import KeyboardWedge
from kiosk.ui.app import install_excepthook
from kiosk.ui.resources import asset
from kiosk.ui.texts import STYLES, Family, reason_text
from tests.conftest import START
from tests.ui.conftest import BHYT, CCCD, PERSONAL, WAIT_MS, Kiosk

pytestmark = pytest.mark.timeout(120)


def type_on_scanner(kiosk: Kiosk, qtbot: Any, text: str) -> None:
    """What a USB scanner in keyboard mode does: the characters, then Enter, sent where real
    key presses go (the focused widget, else the window)."""
    assert text.isascii(), "QTest types ASCII only (as most scanners in keyboard mode do)"
    target = QApplication.focusWidget() or kiosk.window
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def vietnamese_or_skip() -> None:
    try:
        asset("translations/kiosk_vi.qm")
    except FileNotFoundError:
        pytest.skip("translation not built yet: assets/translations/kiosk_vi.qm is missing")


def screen_texts(kiosk: Kiosk) -> list[str]:
    return [label.text() for label in kiosk.window.findChildren(QLabel) if label.isVisible()]


# -- camera -------------------------------------------------------------------------------------


def test_an_admitted_entry_is_recorded_and_shown_green(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory([None, PERSONAL, None])
    assert not kiosk.showing_verdict()
    assert kiosk.events() == []

    kiosk.play()
    (done,) = kiosk.wait_verdicts(1)

    assert done.request.source == "camera"
    assert done.request.payload == PERSONAL.encode()
    (event,) = kiosk.events()
    assert (event.verdict, event.direction, event.reason) == (
        Verdict.ADMIT,
        Direction.IN,
        Reason.ENTRY,
    )
    assert event.kind == "personal_qr"
    assert event.event_id == done.outcome.event_id
    assert kiosk.showing_verdict()
    assert kiosk.verdict.view.family is Family.ADMIT
    assert kiosk.painted_colour() == STYLES[Family.ADMIT].background
    assert kiosk.verdict.word.text() == "COME IN"
    assert "N. V. AN" in kiosk.verdict.detail.text()
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: page.occupancy.text().startswith("Inside now: 1 "), timeout=WAIT_MS)
    assert page.today.text() == "Today: in 1 · out 0"


def test_an_admitted_entry_in_vietnamese(kiosk_factory: Any) -> None:
    vietnamese_or_skip()
    kiosk = kiosk_factory([PERSONAL], language="vi")
    kiosk.play()
    kiosk.wait_verdicts(1)
    assert kiosk.verdict.view.family is Family.ADMIT
    assert kiosk.verdict.word.text() == "MỜI VÀO"


def test_the_same_code_again_within_the_window_is_a_duplicate(kiosk_factory: Any) -> None:
    kiosk = kiosk_factory([PERSONAL], duplicate_window_s=10)
    kiosk.play()
    kiosk.wait_verdicts(1)
    kiosk.clock.advance(3)

    kiosk.play()  # held up again three seconds later
    first, second = kiosk.wait_verdicts(2)

    assert second.outcome.decision.verdict is Verdict.DUPLICATE
    assert second.outcome.event_id is None
    assert [e.event_id for e in kiosk.events()] == [first.outcome.event_id]  # nothing new
    # The first decision again (admitted: go on in), and when it was recorded: 03:00 UTC is
    # 10:00 in Hồ Chí Minh City, the time of the first record, not of now.
    assert kiosk.verdict.view.family is Family.ADMIT
    assert kiosk.painted_colour() == STYLES[Family.ADMIT].background
    assert kiosk.verdict.word.text() == "COME IN"
    assert kiosk.verdict.recorded_at.text() == "Already recorded at 10:00"


def test_capacity_full_denies_the_next_person(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory([PERSONAL, None, CCCD], capacity=1)
    kiosk.play()
    first, second = kiosk.wait_verdicts(2)

    assert first.outcome.decision.verdict is Verdict.ADMIT
    decision = second.outcome.decision
    assert (decision.verdict, decision.reason) == (Verdict.DENY, Reason.CAPACITY_FULL)
    assert second.outcome.credential.kind.value == "cccd"
    events = kiosk.events()
    assert [(e.kind, e.verdict, e.reason) for e in events] == [
        ("personal_qr", Verdict.ADMIT, Reason.ENTRY),
        ("cccd", Verdict.DENY, Reason.CAPACITY_FULL),  # a denial is recorded too
    ]
    assert kiosk.verdict.view.family is Family.DENIED
    assert kiosk.painted_colour() == STYLES[Family.DENIED].background
    assert kiosk.verdict.word.text() == "PLEASE WAIT"
    assert kiosk.verdict.icon.kind == "stop"
    assert kiosk.verdict.reason.text() == reason_text(Reason.CAPACITY_FULL)
    assert kiosk.verdict.reason.text() == "Full inside, please wait"
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: page.occupancy.text().startswith("Inside now: 1 / 1"), timeout=WAIT_MS)


def test_the_same_person_after_the_window_exits(kiosk_factory: Any) -> None:
    kiosk = kiosk_factory([PERSONAL], gate_mode="auto", duplicate_window_s=10)
    kiosk.play()
    kiosk.wait_verdicts(1)
    kiosk.clock.advance(11)

    kiosk.play()
    _, second = kiosk.wait_verdicts(2)

    decision = second.outcome.decision
    assert (decision.verdict, decision.direction, decision.reason) == (
        Verdict.ADMIT,
        Direction.OUT,
        Reason.EXIT,
    )
    assert [e.direction for e in kiosk.events()] == [Direction.IN, Direction.OUT]
    assert kiosk.verdict.word.text() == "GOODBYE"
    assert kiosk.verdict.reason.text() == "Exit recorded"
    assert kiosk.verdict.icon.kind == "exit"
    assert kiosk.painted_colour() == STYLES[Family.EXIT].background
    assert second.outcome.occupancy == 0


def test_the_gate_answers_while_the_admin_page_is_shown(kiosk_factory: Any, qtbot: Any) -> None:
    """The gate never goes deaf: a code held up while the guard is in the administration is
    recorded and answered there (the verdict across the top, the sound); back on the scan
    page the verdict is still shown."""
    kiosk = kiosk_factory([PERSONAL])
    kiosk.window.show_admin()
    assert kiosk.window.pages.currentWidget() is kiosk.parts.admin

    kiosk.play()
    (done,) = kiosk.wait_verdicts(1)
    assert done.request.source == "camera"
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert len(kiosk.events()) == 1
    banner = kiosk.window.banner
    assert kiosk.window.pages.currentWidget() is kiosk.parts.admin  # the guard stays there
    assert banner.isVisible()
    assert banner.word.text() == "COME IN"
    assert "N. V. AN" in banner.line.text()
    assert banner.geometry().top() == 0 and banner.width() == kiosk.window.width()
    assert not kiosk.window.scan_page.isVisible()

    # A hand scanner's keys that no field takes are a scan too, on any page.
    type_on_scanner(kiosk, qtbot, BHYT)
    kiosk.wait_verdicts(2)
    assert banner.word.text() == "COME IN" and "Health-insurance" in banner.line.text()

    kiosk.window.show_scan_page()  # the guard goes back: the verdict is there for its rest
    assert not banner.isVisible()
    assert kiosk.showing_verdict()
    assert kiosk.verdict.word.text() == "COME IN"
    assert "Health-insurance" in kiosk.verdict.detail.text()


# -- hardware scanner (keyboard wedge) ------------------------------------------------------


def test_a_hardware_scanner_types_a_code(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    page = kiosk.window.scan_page
    # The guard touched the IN button first: a touched button must not take the scanner's
    # keys (a space in the payload would press it, and be lost from the scan).
    qtbot.mouseClick(page.mode_buttons["in"], Qt.MouseButton.LeftButton)
    assert kiosk.runner.gate_mode == "in"

    type_on_scanner(kiosk, qtbot, PERSONAL)
    (done,) = kiosk.wait_verdicts(1)

    assert done.request.source == "keyboard"
    assert done.request.payload == PERSONAL.encode()  # every character, the spaces too
    (event,) = kiosk.events()
    assert (event.kind, event.verdict, event.direction) == ("personal_qr", Verdict.ADMIT, "in")
    assert event.display_name == "N. V. AN"
    assert kiosk.verdict.word.text() == "COME IN"
    assert kiosk.painted_colour() == STYLES[Family.ADMIT].background
    assert kiosk.runner.gate_mode == "in"
    assert kiosk.window.pages.currentWidget() is page


def test_keys_typed_slowly_are_not_a_scan(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    ticks = itertools.count(0, 200_000_000)  # a key every 200 ms: a person, not a scanner
    kiosk.window.wedge = KeyboardWedge(clock=lambda: next(ticks))

    type_on_scanner(kiosk, qtbot, PERSONAL)
    kiosk.drain()
    assert kiosk.done == []
    assert kiosk.events() == []
    assert not kiosk.showing_verdict()

    kiosk.window.wedge = KeyboardWedge()  # the same keys at a scanner's speed do count
    type_on_scanner(kiosk, qtbot, PERSONAL)
    kiosk.wait_verdicts(1)
    assert len(kiosk.events()) == 1


# -- errors ---------------------------------------------------------------------------------


def test_a_failure_on_the_gate_thread_shows_out_of_service_then_scanning_goes_on(
    kiosk_factory: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    kiosk = kiosk_factory()
    kiosk.window.out_of_service_s = 0.5
    gate = kiosk.runner.call(lambda g: g).result(timeout=5)

    def broken_scan(payload: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire: 001099012345")

    monkeypatch.setattr(gate, "scan", broken_scan)
    with qtbot.waitSignal(kiosk.runner.failed, timeout=WAIT_MS) as failed:
        type_on_scanner(kiosk, qtbot, PERSONAL)

    assert failed.args == ["RuntimeError"]
    assert kiosk.window.pages.currentWidget() is kiosk.window.out_of_service
    assert kiosk.window.out_of_service.isVisible()
    assert kiosk.window.out_of_service.label.text() == (
        "Temporarily out of service, please call the site manager"
    )
    texts = " ".join(screen_texts(kiosk))
    assert "Traceback" not in texts
    assert "RuntimeError" not in texts
    assert "001099012345" not in texts
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the error is logged with its traceback"
    assert kiosk.events() == []

    qtbot.waitUntil(
        lambda: kiosk.window.pages.currentWidget() is kiosk.window.scan_page, timeout=WAIT_MS
    )
    assert [n.message for n in kiosk.not_recorded] == ["RuntimeError"]
    monkeypatch.undo()
    type_on_scanner(kiosk, qtbot, BHYT)  # (the same code within a second is the wedge's repeat)
    (done,) = kiosk.wait_verdicts(1)
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert len(kiosk.events()) == 1


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_is_logged_shows_the_panel_and_restarts_the_scan_loop(
    kiosk_factory: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    kiosk = kiosk_factory([PERSONAL])
    kiosk.window.out_of_service_s = 600  # up for the whole check (its end: the test above)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook(kiosk.parts)  # as `kiosk run` does
    read: list[object] = []
    kiosk.scanner.code_scanned.connect(read.append)

    def broken_view(*args: object) -> None:
        raise KeyError("a bug in the screen: 001099012345")

    monkeypatch.setattr(main_window_module, "verdict_view", broken_view)
    kiosk.scanner.start()  # the code is decided; showing it raises in a slot (GUI thread)
    kiosk.wait_verdicts(1)

    assert kiosk.window.pages.currentWidget() is kiosk.window.out_of_service
    texts = " ".join(screen_texts(kiosk))
    assert "Temporarily out of service, please call the site manager" in texts
    assert "Traceback" not in texts
    assert "KeyError" not in texts
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [kiosk.window]
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert critical
    assert critical[0].exc_info is not None
    assert critical[0].exc_info[0] is KeyError
    # The scan loop was restarted: a new worker plays the camera's frames and reads the code
    # again. The gate never goes deaf, even behind the panel: the code is decided again (the
    # same person within seconds: nothing new is recorded).
    qtbot.waitUntil(lambda: len(read) >= 2 and len(kiosk.done) >= 2, timeout=WAIT_MS)
    kiosk.drain()
    assert {d.outcome.decision.verdict for d in kiosk.done[1:]} == {Verdict.DUPLICATE}
    assert len(kiosk.events()) == 1  # the scan itself was recorded before the screen failed

    monkeypatch.undo()
    kiosk.window.show_scan_page()
    kiosk.clock.advance(60)
    count = len(kiosk.done)
    kiosk.play()
    qtbot.waitUntil(lambda: len(kiosk.done) > count, timeout=WAIT_MS)
    assert kiosk.done[count].outcome.decision.direction is Direction.OUT
    assert kiosk.verdict.word.text() == "GOODBYE"


# -- `kiosk run` and the source --------------------------------------------------------------


def _has_camera() -> bool:
    return any(Path(f"/dev/video{i}").exists() for i in range(4)) or bool(
        importlib.util.find_spec("picamera2")
    )


@pytest.mark.skipif(_has_camera(), reason="this machine has a camera")
def test_without_a_camera_the_demo_plays_with_a_visible_badge(
    kiosk_factory: Any, qtbot: Any, system_clock: Any
) -> None:
    assert choose_source("auto") == ("demo", True)
    kiosk = kiosk_factory(source="auto", clock=system_clock)

    assert kiosk.parts.demo
    assert kiosk.parts.source_spec == "demo"
    badge = kiosk.window.scan_page.demo_badge
    assert badge.isVisible()
    assert badge.text() == "DEMO MODE"
    qtbot.waitUntil(lambda: len(kiosk.done) >= 1, timeout=WAIT_MS)  # the demo's first code
    first = kiosk.done[0].outcome
    assert first.credential.kind.value == "personal_qr"
    assert first.decision.verdict is Verdict.ADMIT


def test_a_malformed_source_falls_back_to_the_demo(kiosk_factory: Any, system_clock: Any) -> None:
    kiosk = kiosk_factory(source="camera:", clock=system_clock)
    assert kiosk.parts.demo
    assert kiosk.window.scan_page.demo_badge.isVisible()


def test_a_camera_gives_no_demo_badge(kiosk_factory: Any) -> None:
    kiosk = kiosk_factory([PERSONAL])
    assert not kiosk.parts.demo
    assert not kiosk.window.scan_page.demo_badge.isVisible()


# -- settings and language ------------------------------------------------------------------


def test_the_language_button_switches_the_language(
    kiosk_factory: Any, qtbot: Any, tmp_path: Path
) -> None:
    kiosk = kiosk_factory(language="en")
    page = kiosk.window.scan_page
    holder = kiosk.parts.holder
    assert page.manual_button.text() == "Manual entry"

    with qtbot.waitSignal(holder.changed, timeout=WAIT_MS):
        qtbot.mouseClick(page.language_button, Qt.MouseButton.LeftButton)
    assert holder.current().language == "vi"
    assert load_settings(tmp_path / "kiosk.toml").language == "vi"  # saved for the next start

    vietnamese_or_skip()
    assert kiosk.parts.translator.language == "vi"
    assert page.manual_button.text() == "Nhập thủ công"
    type_on_scanner(kiosk, qtbot, PERSONAL)
    kiosk.wait_verdicts(1)
    assert kiosk.verdict.word.text() == "MỜI VÀO"

    with qtbot.waitSignal(holder.changed, timeout=WAIT_MS):
        qtbot.mouseClick(page.language_button, Qt.MouseButton.LeftButton)
    assert page.manual_button.text() == "Manual entry"


def test_a_setting_change_is_applied_to_the_next_scans(
    kiosk_factory: Any, qtbot: Any, tmp_path: Path
) -> None:
    # Through the SettingsHolder, the one way the admin page (or the server) changes settings.
    kiosk = kiosk_factory([PERSONAL, None, CCCD], capacity=0)
    with qtbot.waitSignal(kiosk.parts.holder.changed, timeout=WAIT_MS):
        kiosk.parts.holder.change(capacity=1, checkpoint_name="Cổng 2")
    assert kiosk.window.scan_page.checkpoint.text() == "Cổng 2"
    assert load_settings(tmp_path / "kiosk.toml").capacity == 1

    kiosk.play()
    _, second = kiosk.wait_verdicts(2)
    assert second.outcome.decision.reason is Reason.CAPACITY_FULL
    assert kiosk.verdict.word.text() == "PLEASE WAIT"


# -- the manual entry page, through its widgets --------------------------------------------


def type_into(widget: QWidget, text: str) -> None:
    """Key presses carrying `text`, one character each, as a keyboard (or the on-screen one)
    sends them; QTest cannot type letters outside ASCII."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def open_manual_entry(kiosk: Kiosk, qtbot: Any, direction: Direction = Direction.IN) -> Any:
    """The page, as the guard opens it on an "auto" gate, and IN or OUT tapped."""
    qtbot.mouseClick(kiosk.window.scan_page.manual_button, Qt.MouseButton.LeftButton)
    page = kiosk.parts.manual
    assert kiosk.window.pages.currentWidget() is page
    assert page.direction() is None  # an "auto" gate: the guard chooses
    qtbot.mouseClick(page.direction_buttons[direction], Qt.MouseButton.LeftButton)
    return page


def answer_all(page: Any, qtbot: Any, **yes: bool) -> None:
    for field, question in page.questions.items():
        button = question.yes if yes.get(field) else question.no
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_manual_entry_typed_on_the_page_is_recorded(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    page = open_manual_entry(kiosk, qtbot)
    assert QApplication.focusWidget() is page.name  # a USB keyboard types the name at once

    type_into(page.name, "Trần  Văn Bình ")
    qtbot.keyClicks(page.id_number, "079088001234")
    qtbot.keyClicks(page.birth_year, "1988")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    (done,) = kiosk.wait_verdicts(1)

    assert done.request.source == "manual"
    assert done.outcome.credential.fields.full_name == "Trần Văn Bình"
    (event,) = kiosk.events()
    assert (event.kind, event.verdict, event.direction) == ("manual", Verdict.ADMIT, "in")
    assert event.birth_year == 1988
    assert event.person_key.startswith("id2:")  # the ID number identifies them next time
    assert kiosk.window.pages.currentWidget() is kiosk.window.scan_page
    assert kiosk.showing_verdict()
    assert kiosk.verdict.word.text() == "COME IN"
    assert kiosk.painted_colour() == STYLES[Family.ADMIT].background
    assert [f.text() for f in page.fields] == ["", "", "", ""]  # the next visitor sees nothing

    type_on_scanner(kiosk, qtbot, BHYT)  # the scanner's keys reach the window again
    kiosk.wait_verdicts(2)


def test_an_incomplete_manual_entry_is_not_submitted(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    page = open_manual_entry(kiosk, qtbot)
    qtbot.keyClicks(page.name, "Tran Van Binh")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)  # no ID, no phone

    kiosk.drain()
    assert kiosk.done == []
    assert kiosk.events() == []
    assert kiosk.window.pages.currentWidget() is page
    assert page.problems.isVisible()
    assert "ID number or a phone number" in page.problems.text()

    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.pages.currentWidget() is kiosk.window.scan_page
    assert page.name.text() == ""
    kiosk.drain()
    assert kiosk.events() == []


def test_a_proxy_declaration_on_the_page_refers_to_the_medical_staff(
    kiosk_factory: Any, qtbot: Any
) -> None:
    kiosk = kiosk_factory()
    page = open_manual_entry(kiosk, qtbot)
    qtbot.keyClicks(page.name, "Le Thi Cuc")
    qtbot.keyClicks(page.phone, "0912 345 678")
    qtbot.mouseClick(page.questions["fever"].yes, Qt.MouseButton.LeftButton)
    assert page.declaration_taken.isChecked()  # answering a question takes the declaration
    answer_all(page, qtbot, fever=True)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    (done,) = kiosk.wait_verdicts(1)

    decision = done.outcome.decision
    assert (decision.verdict, decision.reason) == (Verdict.REFER, Reason.DECLARATION)
    (event,) = kiosk.events()
    assert (event.kind, event.verdict, event.reason) == ("manual", Verdict.REFER, "declaration")
    assert kiosk.verdict.view.family is Family.REFER
    assert kiosk.painted_colour() == STYLES[Family.REFER].background
    assert kiosk.verdict.view.word == "SEE THE MEDICAL STAFF"
    assert kiosk.verdict.word.text().replace("\n", " ") == "SEE THE MEDICAL STAFF"
    assert kiosk.verdict.icon.kind == "medical"
    assert kiosk.verdict.reason.text() == "Health declaration: please see the medical staff"


def test_a_declaration_of_all_no_admits(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    page = open_manual_entry(kiosk, qtbot)
    qtbot.keyClicks(page.name, "Le Thi Cuc")
    qtbot.keyClicks(page.id_number, "079188001234")
    answer_all(page, qtbot)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    (done,) = kiosk.wait_verdicts(1)
    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert kiosk.verdict.word.text() == "COME IN"


# -- the administration page ----------------------------------------------------------------

PIN = "246813"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


def open_admin(kiosk: Kiosk, qtbot: Any) -> Any:
    qtbot.mouseClick(kiosk.window.scan_page.admin_button, Qt.MouseButton.LeftButton)
    admin = kiosk.parts.admin
    assert kiosk.window.pages.currentWidget() is admin
    qtbot.waitUntil(lambda: admin.pin_screen.ready, timeout=WAIT_MS)
    return admin


def tap_pin(admin: Any, qtbot: Any, pin: str) -> None:
    """The PIN on the touch pad, then OK; waits for the answer (hashing is off the GUI)."""
    pad = admin.pin_screen.pad
    for digit in [*pin, "OK"]:
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: admin.background.pending == 0, timeout=WAIT_MS)


def test_a_wrong_pin_is_refused(kiosk_factory: Any, qtbot: Any, pin_hash: str) -> None:
    kiosk = kiosk_factory(admin_pin_hash=pin_hash)
    admin = open_admin(kiosk, qtbot)
    assert admin.pin_screen.prompt.text() == "Enter the PIN"

    tap_pin(admin, qtbot, "1357")

    assert admin.pin_screen.message.text() == "Wrong PIN"
    assert not admin.unlocked
    assert admin.stack.currentWidget() is admin.pin_screen
    assert not admin.unlocked_view.isVisible()
    admin.show_panel("settings")  # nothing behind the PIN opens
    assert not admin.settings_panel.isVisible()

    tap_pin(admin, qtbot, PIN)
    assert admin.unlocked
    assert admin.unlocked_view.isVisible()
    qtbot.mouseClick(admin.lock_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.pages.currentWidget() is kiosk.window.scan_page
    assert not admin.unlocked


def test_a_setting_changed_on_the_admin_page_is_applied(
    kiosk_factory: Any, qtbot: Any, tmp_path: Path, pin_hash: str
) -> None:
    kiosk = kiosk_factory([PERSONAL, None, CCCD], admin_pin_hash=pin_hash, capacity=0)
    admin = open_admin(kiosk, qtbot)
    tap_pin(admin, qtbot, PIN)
    qtbot.mouseClick(admin.menu_buttons["settings"], Qt.MouseButton.LeftButton)
    panel = admin.settings_panel
    assert panel.isVisible()

    spin = panel.capacity.spin
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "1")
    qtbot.mouseClick(panel.gate_mode.buttons["in"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(kiosk.parts.holder.changed, timeout=WAIT_MS):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "Saved and applied"
    saved = load_settings(tmp_path / "kiosk.toml")
    assert (saved.capacity, saved.gate_mode) == (1, "in")

    qtbot.mouseClick(admin.lock_button, Qt.MouseButton.LeftButton)
    page = kiosk.window.scan_page
    assert kiosk.window.pages.currentWidget() is page
    assert page.mode_buttons["in"].isChecked()  # the guard sees the new gate mode

    kiosk.play()
    first, second = kiosk.wait_verdicts(2)
    assert first.outcome.decision.direction is Direction.IN
    assert second.outcome.decision.reason is Reason.CAPACITY_FULL
    assert kiosk.verdict.word.text() == "PLEASE WAIT"
    qtbot.waitUntil(lambda: page.occupancy.text().startswith("Inside now: 1 / 1"), timeout=WAIT_MS)


def test_the_status_bar_shows_the_kiosk_clock(kiosk_factory: Any) -> None:
    kiosk = kiosk_factory(clock=FakeClock(START, synced=False))  # 03:00 UTC, not synchronised
    assert kiosk.window.scan_page.clock.text() == "10:00"
    assert kiosk.window.scan_page.clock_warning.text() == "Clock not synchronised"


# -- the people inside ----------------------------------------------------------------------


def test_the_people_inside_are_found_and_checked_out_with_one_tap(
    kiosk_factory: Any, qtbot: Any
) -> None:
    kiosk = kiosk_factory([PERSONAL, None, CCCD])
    kiosk.play()
    kiosk.wait_verdicts(2)
    page = kiosk.window.scan_page
    qtbot.waitUntil(lambda: page.occupancy.text().startswith("Inside now: 2"), timeout=WAIT_MS)

    qtbot.mouseClick(page.occupancy, Qt.MouseButton.LeftButton)
    inside = kiosk.parts.inside
    assert kiosk.window.pages.currentWidget() is inside
    qtbot.waitUntil(lambda: inside.loaded, timeout=WAIT_MS)
    assert inside.title.text() == "Inside now: 2"
    assert [row.who.text() for row in inside.rows] == [
        "T. T. B. Ngọc · born 1999",  # the latest entry first
        "N. V. AN · born 1990",
    ]
    inside.search.setText("ngoc")  # without diacritics, in any case
    assert [row.person.display_name for row in inside.rows] == ["T. T. B. Ngọc"]
    inside.search.setText("1990")
    assert [row.person.display_name for row in inside.rows] == ["N. V. AN"]

    kiosk.clock.advance(600)
    qtbot.mouseClick(inside.rows[0].out_button, Qt.MouseButton.LeftButton)  # one tap
    _, _, done = kiosk.wait_verdicts(3)
    assert done.request.source == "list"
    decision = done.outcome.decision
    assert (decision.verdict, decision.direction) == (Verdict.ADMIT, Direction.OUT)
    assert kiosk.events()[-1].display_name == "N. V. AN"
    # Said on this page (the verdict across the top, the sound), and the list is read again.
    assert kiosk.window.banner.isVisible() and kiosk.window.banner.word.text() == "GOODBYE"
    qtbot.waitUntil(lambda: inside.title.text() == "Inside now: 1", timeout=WAIT_MS)
    assert inside.search.text() == ""  # the whole list again, for the next one
    assert [row.person.display_name for row in inside.rows] == ["T. T. B. Ngọc"]

    qtbot.mouseClick(inside.back_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.pages.currentWidget() is page


def test_the_people_inside_close_by_themselves(kiosk_factory: Any, qtbot: Any) -> None:
    kiosk = kiosk_factory()
    inside = kiosk.parts.inside
    inside._idle.setInterval(200)  # a minute in the kiosk
    kiosk.window.show_inside()
    qtbot.waitUntil(
        lambda: kiosk.window.pages.currentWidget() is kiosk.window.scan_page, timeout=WAIT_MS
    )


# -- the privacy notice -------------------------------------------------------------------------


def test_the_privacy_notice_on_screen_follows_the_retention_setting(
    kiosk_factory: Any, qtbot: Any
) -> None:
    kiosk = kiosk_factory()
    privacy = kiosk.window.scan_page.privacy
    assert privacy.text() == "Entries and exits are kept 21 days for contact tracing"
    assert privacy.isVisible()
    with qtbot.waitSignal(kiosk.parts.holder.changed, timeout=WAIT_MS):
        kiosk.parts.holder.change(retention_days=14)
    assert privacy.text() == "Entries and exits are kept 14 days for contact tracing"


def test_the_privacy_poster_is_an_a4_pdf_in_both_languages(tmp_path: Path, qapp: Any) -> None:
    from kiosk.config import Settings, settings_with
    from kiosk.ui.poster import poster_html, translator_for, write_poster_pdf

    settings = settings_with(
        Settings(),
        checkpoint_name="Chợ Bến Thành · Cổng 1",
        operator_name="Ban quản lý chợ <Bến Thành>",  # escaped, never markup
        operator_contact="028 3829 9274",
        retention_days=14,
    )
    day = START.date()
    vietnamese = poster_html(settings, translator_for("vi"), day)
    english = poster_html(settings, translator_for("en"), day)
    for page in (vietnamese, english):
        assert "Ban quản lý chợ &lt;Bến Thành&gt; · 028 3829 9274" in page
        assert "13/2023/NĐ-CP" in page
    assert "14 ngày, sau đó tự động xóa." in vietnamese
    assert "Dữ liệu cá nhân của bạn tại điểm kiểm dịch này" in vietnamese
    assert "14 days, then deleted automatically." in english
    assert "only the health authority can open them" in english

    path = write_poster_pdf(tmp_path / "notice.pdf", settings, family="Noto Sans", today=day)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 2  # vi, then en
    assert b"/MediaBox [0 0 595" in data  # A4 in points (595 x 842)
    assert not list(tmp_path.glob("*.part"))
