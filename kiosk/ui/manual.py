"""Manual entry: the guard types who a visitor without a code is, whether they come in or go
out, and may take a short health declaration for them ("khai hộ").

Contract: `submitted(ManualEntry)` is emitted only for a valid form (a name, and an ID number or
a phone; a phone of 9 to 11 digits; an ID of 9 digits (CMND) or 12 (CCCD); a year of birth from
1900 to this year, or none; in or out chosen; a declaration either not taken or answered in
full); `cancelled()` when the guard gives up. Either way the form is then cleared, so the next
visitor never sees the last one's data. Problems are shown inline in red on the page: no dialog
ever opens (a modal dialog would block the gate).

In or out: preselected from the gate's mode when it is "in" or "out" (`prepare`); on an "auto"
gate the guard chooses. An exit takes no declaration (the section is hidden).

The declaration: each of the six questions is a Có / Không pair with nothing preselected: an
answer the visitor did not give is never recorded. The section's "declaration taken" switch
turns on with the first answer (or a tap); from then on every question must be answered before
the form is accepted. With the switch off the entry carries None ("not asked"), which is not
the same as "all no". Any "Có" means the visitor is referred to the medical staff (the core
decides that, not this page).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QRegularExpressionValidator,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.events import Declaration, Direction
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import ManualEntry
from kiosk.ui.texts import AMBER, BLUE, GREEN, RED, direction_name, tr

# The Declaration's fields, in the order the guard asks them.
QUESTIONS = (
    "fever",
    "cough",
    "short_of_breath",
    "lost_taste_or_smell",
    "contact_with_case_14d",
    "from_epidemic_zone",
)

FIRST_BIRTH_YEAR = 1900
PHONE_DIGITS = (9, 11)  # 0912345678 (10), old 11-digit numbers, 84912345678 without the +
ID_DIGITS = (9, 12)  # CMND, CCCD


def _question_texts() -> dict[str, str]:
    # Literal tr() calls (scripts/i18n.py extracts them): looked up at call time, so a
    # language switch only needs retranslate().
    return {
        "fever": tr("Fever"),
        "cough": tr("Cough"),
        "short_of_breath": tr("Shortness of breath"),
        "lost_taste_or_smell": tr("Loss of taste or smell"),
        "contact_with_case_14d": tr("Contact with a case (F0) in the last 14 days"),
        "from_epidemic_zone": tr("Coming from an epidemic zone"),
    }


def phone_digits(text: str) -> str | None:
    """The digits of a phone number as typed ("0912 345 678", "+84 912.345.678"), or None when
    something other than digits, spaces, dots, dashes and a leading + was typed."""
    stripped = text.strip()
    if stripped.startswith("+"):
        stripped = stripped[1:]
    cleaned = "".join(ch for ch in stripped if ch not in " .-")
    return cleaned if cleaned.isdigit() and cleaned.isascii() else None


class YesNo(QWidget):
    """One declaration question: its text and two big exclusive buttons, Có / Không."""

    answered = Signal()  # the guard tapped either button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = PlainLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.yes = QPushButton()
        self.no = QPushButton()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for button, answer in ((self.yes, "yes"), (self.no, "no")):
            button.setCheckable(True)
            button.setProperty("answer", answer)  # the stylesheet colours by it
            button.setMinimumSize(88, 46)  # touch targets: >= 44 px
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard on the text field
            button.clicked.connect(self.answered.emit)
            self.group.addButton(button)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        self.reset()

    @property
    def value(self) -> bool | None:
        """True (Có), False (Không), None (not answered)."""
        if self.yes.isChecked():
            return True
        return False if self.no.isChecked() else None

    def reset(self) -> None:
        """Neither answer: an exclusive group keeps one checked, so it lets go for a moment."""
        self.group.setExclusive(False)
        self.yes.setChecked(False)
        self.no.setChecked(False)
        self.group.setExclusive(True)

    def mark(self, missing: bool) -> None:
        self.label.setProperty("missing", missing)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)


class ManualEntryPage(QWidget):
    """The manual entry form. `today` gives the current local date (the newest valid year of
    birth); it is injectable for tests and defaults to the system's date."""

    submitted = Signal(object)  # ManualEntry
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self.setObjectName("manualEntry")

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.title = PlainLabel()
        self.title.setObjectName("title")
        root.addWidget(self.title)

        # The form scrolls, so that the field being typed in can be moved above an on-screen
        # keyboard (800x480 display) instead of being hidden under it.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A tap on a button (IN/OUT, Có/Không) must leave the focus in the field being typed.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        body.setObjectName("body")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(16, 4, 16, 2)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        body_layout.addLayout(columns)
        self._keyboard_spacer = QWidget()
        self._keyboard_spacer.setFixedHeight(0)
        body_layout.addWidget(self._keyboard_spacer)
        self.scroll_area.setWidget(body)
        root.addWidget(self.scroll_area, 1)

        # Left: who the visitor is.
        who = QGridLayout()
        who.setVerticalSpacing(2)
        who.setHorizontalSpacing(8)
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(ID_DIGITS[1])
        self.id_number.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self.id_number)
        )
        self.id_number.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.phone = QLineEdit()
        self.phone.setMaxLength(16)
        self.phone.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\+?[\d .\-]{0,15}"), self.phone)
        )
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.birth_year = QLineEdit()
        self.birth_year.setMaxLength(4)
        self.birth_year.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self.birth_year)
        )
        self.birth_year.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.fields = (self.name, self.id_number, self.phone, self.birth_year)
        self.field_labels = [PlainLabel() for _ in self.fields]
        for row, (label, field) in enumerate(zip(self.field_labels, self.fields, strict=True)):
            label.setBuddy(field)
            field.setMinimumHeight(48)
            field.textEdited.connect(self._clear_problems)
            who.addWidget(label, 2 * row, 0)
            who.addWidget(field, 2 * row + 1, 0)
        # Enter moves on to the next field; in the last one it confirms (a USB keyboard's or
        # the on-screen keyboard's Enter key).
        for field, following in zip(self.fields, self.fields[1:], strict=False):
            field.returnPressed.connect(following.setFocus)
        self.birth_year.returnPressed.connect(self.submit)
        # In or out: two big buttons under the fields.
        self.direction_label = PlainLabel()
        self.direction_buttons: dict[Direction, QPushButton] = {}
        self._directions = QButtonGroup(self)
        self._directions.setExclusive(True)
        direction_row = QHBoxLayout()
        direction_row.setContentsMargins(0, 6, 0, 0)
        direction_row.addWidget(self.direction_label)
        for direction in (Direction.IN, Direction.OUT):
            button = QPushButton()
            button.setCheckable(True)
            button.setProperty("direction", direction.value)
            button.setMinimumHeight(48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.toggled.connect(self._direction_toggled)
            self._directions.addButton(button)
            self.direction_buttons[direction] = button
            direction_row.addWidget(button, 1)
        rows = 2 * len(self.fields)
        who.addLayout(direction_row, rows, 0)
        who.setRowStretch(rows + 1, 1)
        left = QWidget()
        left.setLayout(who)
        columns.addWidget(left, 2)

        # Right: the proxy health declaration.
        declaration = QVBoxLayout()
        declaration.setSpacing(4)
        header = QHBoxLayout()
        self.declaration_title = PlainLabel()
        self.declaration_title.setObjectName("section")
        self.declaration_taken = QPushButton()
        self.declaration_taken.setObjectName("taken")
        self.declaration_taken.setCheckable(True)
        self.declaration_taken.setMinimumHeight(46)
        self.declaration_taken.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.declaration_taken.toggled.connect(self._declaration_toggled)
        header.addWidget(self.declaration_title, 1)
        header.addWidget(self.declaration_taken)
        declaration.addLayout(header)
        self.questions: dict[str, YesNo] = {}
        for key in QUESTIONS:
            question = YesNo()
            question.answered.connect(self._answered)
            declaration.addWidget(question)
            self.questions[key] = question
        self.declaration_hint = PlainLabel()
        self.declaration_hint.setObjectName("hint")
        self.declaration_hint.setWordWrap(True)
        declaration.addWidget(self.declaration_hint)
        declaration.addStretch(1)
        right = QWidget()
        right.setLayout(declaration)
        self.declaration_box = right
        columns.addWidget(right, 3)  # the questions need the width more than the fields

        # Bottom: the two actions and what keeps the form from being accepted, outside the
        # scrolling part so that they are always in sight.
        actions = QHBoxLayout()
        actions.setContentsMargins(16, 6, 16, 6)
        self.problems = PlainLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setVisible(False)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel")
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirm")
        for button in (self.cancel_button, self.confirm_button):
            button.setMinimumHeight(52)
            button.setMinimumWidth(140)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        self.confirm_button.clicked.connect(self.submit)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.problems, 2)
        actions.addWidget(self.confirm_button, 1)
        bar = QWidget()
        bar.setObjectName("actions")
        bar.setLayout(actions)
        root.addWidget(bar)

        method = QGuiApplication.inputMethod()
        method.keyboardRectangleChanged.connect(self._keyboard_moved)
        method.visibleChanged.connect(self._keyboard_moved)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keyboard_moved)
        self._apply_style(16)
        self.retranslate()

    # -- text -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(tr("Manual entry"))
        texts = (tr("Full name"), tr("ID number (CCCD/CMND)"), tr("Phone number"))
        for label, text in zip(self.field_labels, (*texts, tr("Year of birth")), strict=True):
            label.setText(text)
        self.declaration_title.setText(tr("Proxy health declaration"))
        self._declared_text()
        for field, text in _question_texts().items():
            question = self.questions[field]
            question.label.setText(text)
            question.yes.setText(tr("Yes"))
            question.no.setText(tr("No"))
        self.declaration_hint.setText(
            tr("Any “Yes”: the visitor sees the medical staff. Ask every question.")
        )
        self.direction_label.setText(tr("Coming in or going out?"))
        for direction, button in self.direction_buttons.items():
            button.setText(direction_name(direction))
        self.cancel_button.setText(tr("Cancel"))
        self.confirm_button.setText(tr("Confirm"))
        if not self.problems.isHidden():  # shown, even while the page is not
            self._show_problems(self._problems())  # in the new language

    def _declared_text(self) -> None:
        taken = self.declaration_taken.isChecked()
        self.declaration_taken.setText(tr("Declaration taken") if taken else tr("Not declared"))

    def _declaration_toggled(self, taken: bool) -> None:
        self._declared_text()
        if not taken:
            for question in self.questions.values():
                question.reset()
                question.mark(False)
        self._clear_problems()

    def _answered(self) -> None:
        self.declaration_taken.setChecked(True)
        for question in self.questions.values():
            if question.value is not None:
                question.mark(False)
        self._clear_problems()

    def _direction_toggled(self) -> None:
        # An exit takes no declaration: the section goes (and what was answered with it).
        leaving = self.direction() is Direction.OUT
        if leaving:
            self.declaration_taken.setChecked(False)
        self.declaration_box.setVisible(not leaving)
        self._clear_problems()

    def direction(self) -> Direction | None:
        for direction, button in self.direction_buttons.items():
            if button.isChecked():
                return direction
        return None

    def prepare(self, gate_mode: str) -> None:
        """Before showing the page: in or out preselected from the gate's mode ("in", "out");
        an "auto" gate leaves the choice to the guard."""
        self._directions.setExclusive(False)
        for direction, button in self.direction_buttons.items():
            button.setChecked(direction.value == gate_mode)
        self._directions.setExclusive(True)
        self._direction_toggled()

    # -- the form ---------------------------------------------------------------------------

    def entry(self) -> ManualEntry:
        """The form as a ManualEntry, normalised (name NFC with single spaces, phone digits
        only). Call after `_problems()` returned nothing: it does not validate."""
        name = " ".join(unicodedata.normalize("NFC", self.name.text()).split())
        phone = phone_digits(self.phone.text()) or None
        id_number = self.id_number.text().strip() or None
        year = self.birth_year.text().strip()
        declaration = None
        if self.declaration_taken.isChecked():
            answers = {field: bool(question.value) for field, question in self.questions.items()}
            declaration = Declaration(**answers)
        return ManualEntry(
            full_name=name,
            id_number=id_number,
            phone=phone,
            birth_year=int(year) if year else None,
            declaration=declaration,
            direction=self.direction(),
        )

    def unanswered(self) -> list[str]:
        """The declaration's questions not answered yet (none when it is not being taken)."""
        if not self.declaration_taken.isChecked():
            return []
        return [field for field, question in self.questions.items() if question.value is None]

    def _problems(self) -> list[tuple[tuple[QLineEdit, ...], str]]:
        """What is wrong with the form, each with the fields to mark; empty when it is valid."""
        problems: list[tuple[tuple[QLineEdit, ...], str]] = []
        if self.direction() is None:
            problems.append(((), tr("Choose IN or OUT")))
        unanswered = self.unanswered()
        if unanswered:
            problems.append(
                ((), tr("Health declaration: {n} questions not answered").format(n=len(unanswered)))
            )
        if not self.name.text().strip():
            problems.append(((self.name,), tr("Enter the visitor's full name")))
        id_text = self.id_number.text().strip()
        phone_text = self.phone.text().strip()
        if not id_text and not phone_text:
            problems.append(
                ((self.id_number, self.phone), tr("Enter an ID number or a phone number"))
            )
        if id_text and not (id_text.isdigit() and len(id_text) in ID_DIGITS):
            problems.append(
                ((self.id_number,), tr("An ID number has 12 digits (CCCD) or 9 (CMND)"))
            )
        if phone_text:
            digits = phone_digits(phone_text)
            if digits is None or not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
                problems.append(((self.phone,), tr("A phone number has 9 to 11 digits")))
        year_text = self.birth_year.text().strip()
        this_year = self._today().year
        if year_text and not (
            year_text.isdigit() and FIRST_BIRTH_YEAR <= int(year_text) <= this_year
        ):
            problems.append(
                (
                    (self.birth_year,),
                    tr("Year of birth: from {first} to {last}").format(
                        first=FIRST_BIRTH_YEAR, last=this_year
                    ),
                )
            )
        return problems

    def _show_problems(self, problems: list[tuple[tuple[QLineEdit, ...], str]]) -> None:
        missing = set(self.unanswered()) if problems else set()
        for key, question in self.questions.items():
            question.mark(key in missing)
        marked = {id(field) for fields, _ in problems for field in fields}
        for field in self.fields:
            field.setProperty("invalid", id(field) in marked)
            field.style().unpolish(field)  # a dynamic property: re-apply the stylesheet
            field.style().polish(field)
        self.problems.setText("\n".join(text for _, text in problems))
        self.problems.setVisible(bool(problems))

    def _clear_problems(self) -> None:
        if not self.problems.isHidden():  # shown, even while the page is not
            self._show_problems([])

    def submit(self) -> None:
        """Confirm: emit `submitted` and clear the form, or show what is missing and wait."""
        problems = self._problems()
        if problems:
            self._show_problems(problems)
            fields = next((fields for fields, _ in problems if fields), ())
            if fields:
                fields[0].setFocus()
            return
        entry = self.entry()
        self.clear()
        self.submitted.emit(entry)

    def cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def clear(self) -> None:
        for field in self.fields:
            field.clear()
        self.declaration_taken.setChecked(False)
        for question in self.questions.values():
            question.reset()
        self.prepare("auto")
        self._show_problems([])
        self.name.setFocus()

    # -- layout -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A USB keyboard types into the name at once; the on-screen keyboard only opens on a
        # tap (Qt's default), so it does not cover the form before the guard wants it.
        self.name.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Text scales with the screen: 15 px on the 800x480 Pi display, 22 px at 1280x800.
        height = event.size().height()
        self._apply_style(max(15, min(22, height // 36)))
        # The hint is the first thing to go when the six questions need the room.
        self.declaration_hint.setVisible(height >= 600)
        super().resizeEvent(event)

    def _apply_style(self, px: int) -> None:
        if getattr(self, "_style_px", None) == px:
            return
        self._style_px = px
        # Sizes in the stylesheet, for every kind of widget: a font set on the page would not
        # reach labels that the application font and the stylesheet have already polished.
        self.setStyleSheet(
            f"""
            QLabel {{ font-size: {px}px; }}
            #title {{ background: #1f2a30; color: white; font-size: {px + 4}px;
                      font-weight: bold; padding: 6px 16px; }}
            #section {{ font-weight: bold; font-size: {px + 2}px; }}
            #hint {{ color: #455a64; font-size: {px - 2}px; }}
            #problems {{ color: {RED}; font-weight: bold; }}
            QLineEdit {{ font-size: {px + 2}px; padding: 4px 8px; border: 2px solid #90a4ae;
                         border-radius: 6px; background: white; color: #102027; }}
            QLineEdit:focus {{ border-color: #1565c0; }}
            QLineEdit[invalid="true"] {{ border: 3px solid {RED}; }}
            QPushButton {{ font-size: {px}px; border: 2px solid #90a4ae; border-radius: 6px;
                           background: #eceff1; color: #102027; padding: 4px 12px; }}
            QPushButton[answer="yes"]:checked {{ background: {AMBER}; color: black;
                                                 border-color: #8d6200; font-weight: bold; }}
            QPushButton[answer="no"]:checked {{ background: #455a64; color: white;
                                                border-color: #263238; font-weight: bold; }}
            QLabel[missing="true"] {{ color: {RED}; font-weight: bold; }}
            QPushButton[direction]:checked {{ background: {BLUE}; color: white;
                                              border-color: #0d47a1; font-weight: bold; }}
            #taken {{ font-weight: bold; }}
            #taken:checked {{ background: #1565c0; color: white; border-color: #0d47a1; }}
            #actions {{ background: #eceff1; }}
            #confirm {{ background: {GREEN}; color: white; border-color: #0f5327;
                        font-weight: bold; font-size: {px + 4}px; }}
            #cancel {{ font-size: {px + 2}px; }}
            """
        )

    def _keyboard_moved(self) -> None:
        """Keep the focused field above the on-screen keyboard: pad the form's bottom by the
        part of the keyboard that covers it, then scroll the field into the part left free."""
        if not self.isVisible():
            return
        method = QGuiApplication.inputMethod()
        rect = method.keyboardRectangle()  # window coordinates (QInputMethod's contract)
        viewport = self.scroll_area.viewport()
        covered = 0
        if method.isVisible() and not rect.isEmpty():
            bottom = viewport.mapTo(self.window(), QPoint(0, viewport.height())).y()
            covered = max(0, min(viewport.height(), int(bottom - rect.top())))
        self._keyboard_spacer.setFixedHeight(covered)
        # After the layout has taken the new padding into account (the scroll range grows).
        QTimer.singleShot(0, lambda: self._scroll_to_focus(covered))

    def _scroll_to_focus(self, covered: int) -> None:
        # The scroll range grows with the padding only once the pending layout requests have
        # been handled; handle them now rather than scroll within the old range.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        focus = QApplication.focusWidget()
        body = self.scroll_area.widget()
        if focus is None or body is None or not body.isAncestorOf(focus):
            return
        bar = self.scroll_area.verticalScrollBar()
        top = focus.mapTo(body, QPoint(0, 0)).y() - 8
        bottom = top + focus.height() + 16
        free = self.scroll_area.viewport().height() - covered
        if bottom > bar.value() + free:
            bar.setValue(bottom - free)
        if top < bar.value():
            bar.setValue(max(0, top))
