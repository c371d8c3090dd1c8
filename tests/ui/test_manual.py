"""Manual entry and the proxy health declaration, with real widgets: the form as the guard uses
it, and what a submitted entry becomes through the real GateRunner and Gate (SQLite in
tmp_path, a FakeClock). The on-screen keyboard helper's decisions, from files it is handed.

Text is typed the way an input method (the on-screen keyboard) does it, one committed letter
at a time: QTest's key clicks only know ASCII, and names are Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import Kind
from kiosk.events import Declaration, Reason, Verdict
from kiosk.gate import Gate
from kiosk.ui import keyboard
from kiosk.ui.manual import ManualEntryPage
from kiosk.ui.runner import GateRunner, ManualEntry, ScanDone
from tests.conftest import START, personal_of

TODAY = dt.date(2026, 11, 25)
WAIT_MS = 10_000
NAME = "Trần Thị Bích Ngọc"


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


def click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot: Any) -> ManualEntryPage:
    page = ManualEntryPage(today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def submit(qtbot: Any, page: ManualEntryPage) -> ManualEntry:
    with qtbot.waitSignal(page.submitted, timeout=WAIT_MS) as blocker:
        click(qtbot, page.confirm_button)
    (entry,) = blocker.args
    assert isinstance(entry, ManualEntry)
    return entry


def assert_cleared(page: ManualEntryPage) -> None:
    assert [field.text() for field in page.fields] == ["", "", "", ""]
    assert not page.declaration_taken.isChecked()
    assert not any(question.value for question in page.questions.values())
    assert not page.problems.isVisible()


# -- the form ---------------------------------------------------------------------------------


def test_an_empty_form_is_refused_inline(page: ManualEntryPage, qtbot: Any) -> None:
    with qtbot.assertNotEmitted(page.submitted):
        click(qtbot, page.confirm_button)
    assert page.problems.isVisible()
    assert page.problems.text().splitlines() == [
        "Enter the visitor's full name",
        "Enter an ID number or a phone number",
    ]
    assert page.name.property("invalid") and page.phone.property("invalid")
    assert QApplication.activeModalWidget() is None  # said on the page, never in a dialog
    assert page.name.hasFocus()  # the first thing to fix

    type_text(page.name, "A")  # typing again takes the red away
    assert not page.problems.isVisible()
    assert not page.name.property("invalid")


def test_name_and_phone_give_the_exact_values(page: ManualEntryPage, qtbot: Any) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    entry = submit(qtbot, page)
    assert entry == ManualEntry(
        full_name=NAME, id_number=None, phone="0912345678", birth_year=None, declaration=None
    )
    assert_cleared(page)


def test_a_name_typed_in_decomposed_letters_keeps_its_diacritics(
    page: ManualEntryPage, qtbot: Any
) -> None:
    # Some input methods send the base letter and the combining marks separately.
    type_text(page.name, "  " + unicodedata.normalize("NFD", "Nguyễn   Văn Đức") + " ")
    qtbot.keyClicks(page.phone, "+84 912.345-678")
    entry = submit(qtbot, page)
    assert entry.full_name == "Nguyễn Văn Đức"
    assert unicodedata.is_normalized("NFC", entry.full_name)
    assert entry.phone == "84912345678"


def test_id_number_and_year_of_birth(page: ManualEntryPage, qtbot: Any) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.id_number, "079199012345")
    qtbot.keyClicks(page.birth_year, "1999")
    entry = submit(qtbot, page)
    assert (entry.id_number, entry.phone, entry.birth_year) == ("079199012345", None, 1999)


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("phone", "09123", "A phone number has 9 to 11 digits"),
        ("phone", "091234567890", "A phone number has 9 to 11 digits"),
        ("id_number", "07919901234", "An ID number has 12 digits (CCCD) or 9 (CMND)"),
        ("birth_year", "1899", "Year of birth: from 1900 to 2026"),
        ("birth_year", "2027", "Year of birth: from 1900 to 2026"),
    ],
)
def test_a_wrong_number_is_refused_with_its_reason(
    page: ManualEntryPage, qtbot: Any, field: str, text: str, problem: str
) -> None:
    type_text(page.name, NAME)
    if field != "phone":
        qtbot.keyClicks(page.phone, "0912345678")
    qtbot.keyClicks(getattr(page, field), text)
    with qtbot.assertNotEmitted(page.submitted):
        click(qtbot, page.confirm_button)
    assert page.problems.text() == problem
    assert getattr(page, field).property("invalid")


def test_fields_take_only_what_fits(page: ManualEntryPage, qtbot: Any) -> None:
    qtbot.keyClicks(page.id_number, "A12-345678901234")
    qtbot.keyClicks(page.birth_year, "19x99")
    assert page.id_number.text() == "123456789012"  # digits, at most 12
    assert page.birth_year.text() == "1999"


def test_a_declaration_with_one_yes_is_carried(page: ManualEntryPage, qtbot: Any) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    assert not page.declaration_taken.isChecked()
    click(qtbot, page.questions["short_of_breath"].yes)
    assert page.declaration_taken.isChecked()  # answering is taking a declaration
    entry = submit(qtbot, page)
    assert entry.declaration == Declaration(short_of_breath=True)
    assert_cleared(page)


def test_a_declaration_of_all_no_is_carried_only_when_taken(
    page: ManualEntryPage, qtbot: Any
) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.declaration_taken)
    assert submit(qtbot, page).declaration == Declaration()  # asked: all "no"

    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.questions["fever"].yes)
    click(qtbot, page.declaration_taken)  # the guard takes it back: answers reset
    assert not page.questions["fever"].value
    assert submit(qtbot, page).declaration is None  # not asked


def test_cancel_clears_the_form(page: ManualEntryPage, qtbot: Any) -> None:
    type_text(page.name, NAME)
    click(qtbot, page.questions["cough"].yes)
    with qtbot.assertNotEmitted(page.submitted), qtbot.waitSignal(page.cancelled):
        click(qtbot, page.cancel_button)
    assert_cleared(page)


def test_touch_targets_are_at_least_44_px(page: ManualEntryPage) -> None:
    page.resize(800, 480)  # the smallest screen, the Raspberry Pi touch display
    QApplication.processEvents()
    targets = [page.confirm_button, page.cancel_button, page.declaration_taken, *page.fields]
    for question in page.questions.values():
        targets += [question.yes, question.no]
    assert min(target.height() for target in targets) >= 44
    assert page.scroll_area.verticalScrollBar().maximum() == 0  # it all fits, nothing scrolls


# -- through the gate -------------------------------------------------------------------------


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[GateRunner]:
    gate = Gate.open(tmp_path, Settings(), FakeClock(START))
    runner = GateRunner(gate)
    yield runner
    runner.shutdown()


def record(qtbot: Any, page: ManualEntryPage, runner: GateRunner) -> tuple[ScanDone, Any]:
    """Confirm the form, wait for the gate's verdict, and read the stored event back."""
    with qtbot.waitSignal(runner.scanned, timeout=WAIT_MS) as blocker:
        click(qtbot, page.confirm_button)
    (done,) = blocker.args
    event_id = done.outcome.event_id

    def read(gate: Gate) -> tuple[Any, ...]:
        kind, verdict, reason, name = gate.store.db.execute(
            "SELECT kind, verdict, reason, display_name FROM events WHERE event_id = ?",
            [event_id],
        ).fetchone()
        # The declaration is sealed with the rest of the personal data: opened as the health
        # authority would.
        personal = personal_of(gate.store, event_id or "")
        return kind, verdict, reason, personal.declaration if personal else None, name

    return done, runner.call(read).result(timeout=WAIT_MS / 1000)


def test_a_manual_entry_with_a_yes_is_referred_and_stored_with_its_declaration(
    page: ManualEntryPage, runner: GateRunner, qtbot: Any
) -> None:
    page.submitted.connect(runner.record_manual)
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.questions["contact_with_case_14d"].yes)

    done, (kind, verdict, reason, declaration, display_name) = record(qtbot, page, runner)

    assert done.outcome.credential.kind is Kind.MANUAL
    assert done.outcome.decision.verdict is Verdict.REFER
    assert done.outcome.decision.reason is Reason.DECLARATION
    assert (kind, verdict, reason) == ("manual", "refer", "declaration")
    assert declaration == Declaration(contact_with_case_14d=True).to_json()
    assert display_name == "T. T. B. Ngọc"


def test_a_manual_entry_without_a_yes_is_admitted(
    page: ManualEntryPage, runner: GateRunner, qtbot: Any
) -> None:
    page.submitted.connect(runner.record_manual)
    type_text(page.name, NAME)
    qtbot.keyClicks(page.id_number, "079199012345")
    click(qtbot, page.declaration_taken)  # declared, every answer "no"

    done, (kind, verdict, reason, declaration, _) = record(qtbot, page, runner)

    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert (kind, verdict, reason) == ("manual", "admit", "entry")
    assert declaration == Declaration().to_json()


# -- the on-screen keyboard helper ------------------------------------------------------------

TOUCHSCREEN = """\
I: Bus=0018 Vendor=0000 Product=0000 Version=0000
N: Name="raspberrypi-ts"
H: Handlers=mouse0 event0
B: PROP=2
B: EV=b
B: KEY=400 0 0 0 0 0 0 0 0 0 0
B: ABS=2608000 3

"""
TOUCHPAD = """\
I: Bus=0018 Vendor=06cb Product=7e7e Version=0100
N: Name="SYNA7DB5:01 06CB:7E7E Touchpad"
B: PROP=5
B: EV=1b
B: ABS=2e0800000000003

"""


@pytest.fixture(autouse=True)
def _default_locale_restored() -> Iterator[None]:
    # The helper sets Qt's default locale (the keyboard's layout): not for the other tests.
    before = QLocale()
    yield
    QLocale.setDefault(before)


@pytest.fixture
def plugins(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins" / "platforminputcontexts"
    folder.mkdir(parents=True)
    (folder / "libqtvirtualkeyboardplugin.so").touch()
    return tmp_path / "plugins"


def devices(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "devices"
    path.write_text(text)
    return path


def test_the_keyboard_is_used_on_an_x11_touch_screen(tmp_path: Path, plugins: Path) -> None:
    env = {"DISPLAY": ":0"}
    enabled = keyboard.enable_virtual_keyboard_if_available(
        environ=env, plugins_dir=plugins, devices_file=devices(tmp_path, TOUCHPAD + TOUCHSCREEN)
    )
    assert enabled
    assert env["QT_IM_MODULE"] == "qtvirtualkeyboard"
    assert QLocale().name() == "vi_VN"  # the keyboard opens on its Vietnamese layout


@pytest.mark.parametrize(
    ("env", "device_text", "plugin"),
    [
        ({"DISPLAY": ":0"}, TOUCHPAD, True),  # a laptop's touchpad is no touch screen
        ({"DISPLAY": ":0"}, TOUCHSCREEN, False),  # the plugin is not installed
        ({"WAYLAND_DISPLAY": "wayland-0"}, TOUCHSCREEN, True),  # the desktop's keyboard
        ({"DISPLAY": ":0", "KIOSK_VIRTUAL_KEYBOARD": "0"}, TOUCHSCREEN, True),
        ({"DISPLAY": ":0", "QT_IM_MODULE": "ibus"}, TOUCHSCREEN, True),
    ],
)
def test_the_keyboard_is_not_used(
    tmp_path: Path, plugins: Path, env: dict[str, str], device_text: str, plugin: bool
) -> None:
    before = dict(env)
    enabled = keyboard.enable_virtual_keyboard_if_available(
        environ=env,
        plugins_dir=plugins if plugin else tmp_path / "none",
        devices_file=devices(tmp_path, device_text),
    )
    assert not enabled
    assert env == before


def test_the_keyboard_can_be_forced_on(tmp_path: Path, plugins: Path) -> None:
    env = {"KIOSK_VIRTUAL_KEYBOARD": "1", "QT_QPA_PLATFORM": "eglfs"}
    assert keyboard.enable_virtual_keyboard_if_available(
        environ=env, plugins_dir=plugins, devices_file=tmp_path / "missing"
    )
    assert env["QT_IM_MODULE"] == "qtvirtualkeyboard"


PROBE = """
import sys
from kiosk.ui.keyboard import enable_virtual_keyboard_if_available
assert enable_virtual_keyboard_if_available(), "not enabled"
from PySide6.QtCore import QDir, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
field = QLineEdit()
field.show()
field.setFocus()
def report():
    layouts = QDir(":/qt-project.org/imports/QtQuick/VirtualKeyboard/Layouts").entryList()
    print(QGuiApplication.inputMethod().locale().name(), "vi_VN" in layouts)
    app.quit()
QTimer.singleShot(1500, report)
app.exec()
"""


def test_the_installed_keyboard_opens_on_its_vietnamese_layout(tmp_path: Path) -> None:
    # In a process of its own: Qt reads QT_IM_MODULE once, when the QApplication is made.
    # The keyboard's QML loads when a text field gets the focus; its layouts are resources.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_VIRTUAL_KEYBOARD": "1",
        "QT_QUICK_BACKEND": "software",
    }
    env.pop("QT_IM_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["vi_VN", "True"], result.stderr[-2000:]
