"""Manual entry and the proxy health declaration, with real widgets: the form as the guard uses
it (in or out; nothing preselected in the declaration), and what a submitted entry becomes
through the real GateRunner and Gate (SQLite in tmp_path, a FakeClock). The on-screen keyboard
is tests/ui/test_virtual_keyboard.py.

Text is typed the way an input method (the on-screen keyboard) does it, one committed letter
at a time: QTest's key clicks only know ASCII, and names are Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import Kind
from kiosk.events import Declaration, Direction, Reason, Verdict
from kiosk.gate import Gate
from kiosk.ui.manual import QUESTIONS, ManualEntryPage
from kiosk.ui.resources import app_font, load_fonts
from kiosk.ui.runner import GateRunner, ManualEntry, ScanDone
from tests.conftest import AUTHORITY, START, personal_of

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
    page.prepare("in")  # as the window does for a gate set to IN
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def answer(qtbot: Any, page: ManualEntryPage, **yes: bool) -> None:
    """Answer every question: Có for those named, Không for the rest."""
    for field in QUESTIONS:
        question = page.questions[field]
        click(qtbot, question.yes if yes.get(field) else question.no)


def submit(qtbot: Any, page: ManualEntryPage) -> ManualEntry:
    with qtbot.waitSignal(page.submitted, timeout=WAIT_MS) as blocker:
        click(qtbot, page.confirm_button)
    (entry,) = blocker.args
    assert isinstance(entry, ManualEntry)
    return entry


def assert_cleared(page: ManualEntryPage) -> None:
    assert [field.text() for field in page.fields] == ["", "", "", ""]
    assert not page.declaration_taken.isChecked()
    assert all(question.value is None for question in page.questions.values())
    assert page.direction() is None  # the window sets it again from the gate's mode
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
        full_name=NAME,
        id_number=None,
        phone="0912345678",
        birth_year=None,
        declaration=None,
        direction=Direction.IN,
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


def test_nothing_is_preselected_in_the_declaration(page: ManualEntryPage) -> None:
    for question in page.questions.values():
        assert question.value is None
        assert not question.yes.isChecked() and not question.no.isChecked()
    assert not page.declaration_taken.isChecked()
    assert page.declaration_taken.text() == "Not declared"


def test_a_declaration_with_one_yes_must_be_answered_in_full(
    page: ManualEntryPage, qtbot: Any
) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.questions["short_of_breath"].yes)
    assert page.declaration_taken.isChecked()  # answering is taking a declaration
    with qtbot.assertNotEmitted(page.submitted):
        click(qtbot, page.confirm_button)  # five questions still open: never taken as "no"
    assert page.problems.text() == "Health declaration: 5 questions not answered"
    marked = [f for f, q in page.questions.items() if q.label.property("missing")]
    assert marked == [f for f in QUESTIONS if f != "short_of_breath"]

    answer(qtbot, page, short_of_breath=True)
    assert not page.problems.isVisible()
    entry = submit(qtbot, page)
    assert entry.declaration == Declaration(short_of_breath=True)
    assert_cleared(page)


def test_a_declaration_of_all_no_is_carried_only_when_taken(
    page: ManualEntryPage, qtbot: Any
) -> None:
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.declaration_taken)
    with qtbot.assertNotEmitted(page.submitted):
        click(qtbot, page.confirm_button)
    assert page.problems.text() == "Health declaration: 6 questions not answered"
    answer(qtbot, page)
    assert submit(qtbot, page).declaration == Declaration()  # asked: all "no"

    page.prepare("in")
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    click(qtbot, page.questions["fever"].yes)
    click(qtbot, page.declaration_taken)  # the guard takes it back: answers reset
    assert page.questions["fever"].value is None
    assert submit(qtbot, page).declaration is None  # not asked


def test_in_or_out_follows_the_gate_and_is_asked_on_an_auto_gate(
    page: ManualEntryPage, qtbot: Any
) -> None:
    page.prepare("out")
    assert page.direction() is Direction.OUT
    assert not page.declaration_box.isVisible()  # an exit takes no declaration
    page.prepare("auto")
    assert page.direction() is None
    assert page.declaration_box.isVisible()
    type_text(page.name, NAME)
    qtbot.keyClicks(page.phone, "0912345678")
    with qtbot.assertNotEmitted(page.submitted):
        click(qtbot, page.confirm_button)
    assert page.problems.text() == "Choose IN or OUT"
    click(qtbot, page.direction_buttons[Direction.OUT])
    entry = submit(qtbot, page)
    assert (entry.direction, entry.declaration) == (Direction.OUT, None)


def test_choosing_out_drops_a_declaration_begun(page: ManualEntryPage, qtbot: Any) -> None:
    click(qtbot, page.questions["cough"].yes)
    click(qtbot, page.direction_buttons[Direction.OUT])
    assert not page.declaration_taken.isChecked()
    assert page.questions["cough"].value is None


def test_cancel_clears_the_form(page: ManualEntryPage, qtbot: Any) -> None:
    type_text(page.name, NAME)
    click(qtbot, page.questions["cough"].yes)
    with qtbot.assertNotEmitted(page.submitted), qtbot.waitSignal(page.cancelled):
        click(qtbot, page.cancel_button)
    assert_cleared(page)


def test_touch_targets_are_at_least_44_px(qtbot: Any) -> None:
    # With the kiosk's own font, as `kiosk run` sets it (kiosk.ui.app.build_app).
    before = QApplication.font()
    QApplication.setFont(app_font(load_fonts(), 14))
    try:
        page = ManualEntryPage(today=lambda: TODAY)
        qtbot.addWidget(page)
        page.prepare("auto")
        page.resize(800, 480)  # the smallest screen, the Raspberry Pi touch display
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
        _assert_fits_with_big_targets(page)
    finally:
        QApplication.setFont(before)


def _assert_fits_with_big_targets(page: ManualEntryPage) -> None:
    targets = [page.confirm_button, page.cancel_button, page.declaration_taken, *page.fields]
    targets += list(page.direction_buttons.values())
    for question in page.questions.values():
        targets += [question.yes, question.no]
    assert min(target.height() for target in targets) >= 44
    assert page.scroll_area.verticalScrollBar().maximum() == 0  # it all fits, nothing scrolls


# -- through the gate -------------------------------------------------------------------------


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[GateRunner]:
    gate = Gate.open(
        tmp_path, Settings(authority_public_key=AUTHORITY.public.to_text()), FakeClock(START)
    )
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
    answer(qtbot, page, contact_with_case_14d=True)

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
    answer(qtbot, page)  # declared, every answer "no"

    done, (kind, verdict, reason, declaration, _) = record(qtbot, page, runner)

    assert done.outcome.decision.verdict is Verdict.ADMIT
    assert (kind, verdict, reason) == ("manual", "admit", "entry")
    assert declaration == Declaration().to_json()


def test_a_manual_exit_is_recorded_out_whatever_the_gate(
    page: ManualEntryPage, runner: GateRunner, qtbot: Any
) -> None:
    """A visitor without a phone leaving: typed in with OUT, on a gate set to IN."""
    page.submitted.connect(runner.record_manual)
    runner.set_gate_mode("in")
    type_text(page.name, NAME)
    qtbot.keyClicks(page.id_number, "079199012345")
    click(qtbot, page.direction_buttons[Direction.OUT])

    done, (kind, verdict, reason, declaration, _) = record(qtbot, page, runner)

    assert done.outcome.decision.direction is Direction.OUT
    assert (kind, verdict, reason, declaration) == ("manual", "admit", "exit", None)
