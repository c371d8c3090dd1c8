"""Shared parts of the admin screens: touch-sized widgets (buttons, a number stepper, a choice
row, the export folder picker, a day picker, tables). Off-thread work goes through
kiosk.ui.tasks.Tasks.

Sizes: every control is at least TOUCH_PX high (a fingertip, more than the 44 px minimum), and
text is ADMIN_FONT_PX: the guard reads it at arm's length, often standing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.export import MEDIA_PATTERNS, ExportFolder, export_folders
from kiosk.ui.labels import PlainLabel
from kiosk.ui.texts import BLUE, GREEN, RED, tr

log = logging.getLogger(__name__)

TOUCH_PX = 56
ADMIN_FONT_PX = 20
TITLE_FONT_PX = 30

# One style for every admin screen: big text, big targets, high contrast.
ADMIN_STYLE = f"""
QWidget {{ font-size: {ADMIN_FONT_PX}px; color: #102027; }}
QPushButton {{
    min-height: {TOUCH_PX}px; padding: 4px 18px; border-radius: 8px;
    background: #eceff1; border: 2px solid #90a4ae;
}}
QPushButton:pressed {{ background: #cfd8dc; }}
QPushButton:checked {{ background: {BLUE}; color: white; border-color: {BLUE}; }}
QPushButton:disabled {{ color: #90a4ae; }}
QLineEdit, QSpinBox, QComboBox {{
    min-height: {TOUCH_PX - 8}px; padding: 2px 10px; border: 2px solid #90a4ae;
    border-radius: 6px; background: white;
}}
/* The stepper has its own big − and + buttons; NoButtons would hide the number under a
   style sheet (Qt 6), so the spin box's own arrows are squeezed to nothing instead. */
QSpinBox::up-button, QSpinBox::down-button {{ width: 0px; border: none; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QSpinBox[invalid="true"] {{
    border: 3px solid {RED};
}}
QCheckBox {{ min-height: {TOUCH_PX}px; spacing: 14px; }}
QCheckBox::indicator {{ width: 34px; height: 34px; }}
QTableWidget {{ font-size: {ADMIN_FONT_PX}px; gridline-color: #cfd8dc; }}
QHeaderView::section {{
    font-size: {ADMIN_FONT_PX - 2}px; font-weight: bold; padding: 6px; background: #eceff1;
}}
"""


def big_button(
    text: str = "", *, checkable: bool = False, colour: str | None = None
) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(checkable)
    button.setMinimumHeight(TOUCH_PX)
    # Buttons never take the keyboard focus: a hardware scanner's keystrokes stay in the field
    # or the PIN pad that has it.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if colour:
        button.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: white; border-color: {colour}; "
            "font-weight: bold; }"
        )
    return button


def title_label(text: str = "") -> QLabel:
    label = PlainLabel(text)
    label.setStyleSheet(f"font-size: {TITLE_FONT_PX}px; font-weight: bold;")
    label.setWordWrap(True)
    return label


class Message(QLabel):
    """One line of feedback under a form: green for done, red for a problem (never a dialog)."""

    def __init__(self, parent: QWidget | None = None, *, font_px: int | None = None) -> None:
        super().__init__(parent)
        self._size = f"font-size: {font_px}px;" if font_px else ""
        self.setWordWrap(True)
        self.setMinimumHeight(TOUCH_PX)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setStyleSheet(self._size)

    def ok(self, text: str) -> None:
        self.setStyleSheet(f"{self._size} color: {GREEN}; font-weight: bold;")
        self.setText(text)

    def error(self, text: str) -> None:
        self.setStyleSheet(f"{self._size} color: {RED}; font-weight: bold;")
        self.setText(text)

    def info(self, text: str) -> None:
        self.setStyleSheet(self._size)
        self.setText(text)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark a field as the one a problem is about (a red border, ADMIN_STYLE)."""
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class Stepper(QWidget):
    """A whole number with big − and + buttons (a spin box's arrows are too small to touch);
    the number can be typed too."""

    def __init__(
        self, minimum: int, maximum: int, *, step: int = 1, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spin = QSpinBox()
        self.spin.setRange(minimum, maximum)
        self.spin.setSingleStep(step)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.spin.setMinimumWidth(130)
        self.minus = big_button("−")
        self.plus = big_button("+")
        for button in (self.minus, self.plus):
            button.setFixedWidth(TOUCH_PX + 8)
            button.setAutoRepeat(True)
        self.minus.clicked.connect(self.spin.stepDown)
        self.plus.clicked.connect(self.spin.stepUp)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.minus)
        row.addWidget(self.spin)
        row.addWidget(self.plus)
        row.addStretch(1)

    def value(self) -> int:
        return int(self.spin.value())

    def setValue(self, value: int) -> None:
        self.spin.setValue(value)


class Choice(QWidget):
    """One of a few values as a row of big toggle buttons (better than a drop-down by touch)."""

    def __init__(self, values: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for value in values:
            button = big_button(checkable=True)
            button.setMinimumWidth(120)
            # Exclusive: a tap checks this one and unchecks the others.
            self._group.addButton(button)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)

    def set_labels(self, labels: dict[str, str]) -> None:
        for value, button in self.buttons.items():
            button.setText(labels.get(value, value))

    def value(self) -> str:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return ""

    def setValue(self, value: str) -> None:
        for key, button in self.buttons.items():
            button.setChecked(key == value)


def scrolling(content: QWidget) -> QScrollArea:
    """`content` in a scroll area that a finger can drag (kinetic scrolling)."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class FolderPicker(QWidget):
    """Where an export goes: the data directory's exports/ folder or a USB stick, as big
    buttons, or any folder typed in the field. The field always shows the chosen folder."""

    def __init__(
        self,
        data_dir: Path,
        media_patterns: Sequence[str] = MEDIA_PATTERNS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._patterns = tuple(media_patterns)
        self.label = PlainLabel()
        self.path = QLineEdit()
        self.refresh_button = big_button()
        self.refresh_button.clicked.connect(self.find_usb)
        # What the last tap on "Find USB" found (a tap that finds nothing must say so).
        self.found = PlainLabel()
        self.found.setWordWrap(True)
        self.found.setVisible(False)
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._buttons: list[QPushButton] = []
        self._folders: list[ExportFolder] = []
        self._path_row = QHBoxLayout()
        self._path_row.setContentsMargins(0, 0, 0, 0)
        self._path_row.addWidget(self.path, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(self._row)
        layout.addLayout(self._path_row)
        layout.addWidget(self.found)
        self.path.textEdited.connect(self._typed)
        self.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(tr("Save to:"))
        self.refresh_button.setText(tr("Find USB"))
        self.path.setPlaceholderText(tr("Folder"))
        self._label_buttons()
        self.found.setVisible(False)  # its words were in the other language

    def refresh(self) -> None:
        """List the folders again (a stick may have been plugged in); keeps a typed path."""
        self.found.setVisible(False)
        typed = self.path.text()
        for button in self._buttons:
            # Hidden at once: deleteLater waits for the event loop, and until then the old
            # button would still be painted over the new row.
            button.hide()
            button.deleteLater()
        self._buttons = []
        while self._row.count():
            self._row.takeAt(0)
        self._folders = export_folders(self._data_dir, self._patterns)
        for folder in self._folders:
            button = big_button(checkable=True)
            button.clicked.connect(lambda _=False, p=folder.path: self._chosen(p))
            self._buttons.append(button)
            self._row.addWidget(button)
        self._row.addWidget(self.refresh_button)
        self._row.addStretch(1)
        self._label_buttons()
        # A newly found stick is the likely target: an export is usually meant to leave.
        removable = [f.path for f in self._folders if f.removable]
        known = {str(f.path) for f in self._folders}
        if removable and typed in ("", str(self._folders[0].path)):
            self._chosen(removable[0])
        elif typed and typed not in known:
            self._typed(typed)  # a folder the guard typed: keep it
        else:
            self._chosen(Path(typed) if typed else self._folders[0].path)

    def find_usb(self) -> None:
        """The guard's "Find USB": look again, and say what was found (or that nothing was)."""
        self.refresh()
        sticks = [folder.path.name for folder in self._folders if folder.removable]
        if sticks:
            text = tr("USB found: {names}. The export goes there").format(names=", ".join(sticks))
            colour = GREEN
        else:
            text = tr("No USB stick found. Plug one in, wait a few seconds, tap Find USB again")
            colour = RED
        self.found.setText(text)
        self.found.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.found.setVisible(True)

    def _chosen(self, path: Path) -> None:
        self.path.setText(str(path))
        self._typed(str(path))

    def add_action(self, button: QPushButton) -> None:
        """A button beside the folder field (the page's Export)."""
        self._path_row.addWidget(button)

    def _label_buttons(self) -> None:
        for button, folder in zip(self._buttons, self._folders, strict=True):
            if folder.removable:
                button.setText(tr("USB: {name}").format(name=folder.path.name))
            else:
                button.setText(tr("Kiosk data folder"))

    def _typed(self, text: str) -> None:
        for button, folder in zip(self._buttons, self._folders, strict=True):
            button.setChecked(str(folder.path) == text)

    def folder(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def is_exports_folder(self, folder: Path) -> bool:
        return folder == self._folders[0].path


def expanding(widget: QWidget) -> QWidget:
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget


def parse_day(text: str) -> dt.date:
    """A day as typed: 2026-11-25 or 25/11/2026 (the Vietnamese order). Raises ValueError."""
    text = text.strip()
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return dt.date.fromisoformat(text)


class DayPicker(QWidget):
    """A day: ← and → buttons, the date as text (typed: Enter), and Today. `changed` on each
    change. The date reads 2026-11-25 in both languages: never ambiguous."""

    changed = Signal(object)  # datetime.date

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._day = today()
        self.previous = big_button("←")
        self.next = big_button("→")
        for button in (self.previous, self.next):
            button.setFixedWidth(TOUCH_PX + 24)
        self.field = QLineEdit()
        self.field.setFixedWidth(190)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.today_button = big_button()
        self.previous.clicked.connect(lambda: self.set_day(self._day - dt.timedelta(days=1)))
        self.next.clicked.connect(lambda: self.set_day(self._day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.set_day(self._today()))
        self.field.editingFinished.connect(self._typed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.previous)
        row.addWidget(self.field)
        row.addWidget(self.next)
        row.addWidget(self.today_button)
        row.addStretch(1)
        self.field.setText(self._day.isoformat())
        self.retranslate()

    def retranslate(self) -> None:
        self.today_button.setText(tr("Today"))

    @property
    def day(self) -> dt.date:
        return self._day

    def set_day(self, day: dt.date) -> None:
        self._day = day
        self.field.setText(day.isoformat())
        set_invalid(self.field, False)
        self.changed.emit(day)

    def _typed(self) -> None:
        try:
            day = parse_day(self.field.text())
        except ValueError:
            set_invalid(self.field, True)
            return
        if day != self._day or self.field.text() != day.isoformat():
            self.set_day(day)


def table(columns: int) -> QTableWidget:
    """A read-only table with big rows, for reading, not editing."""
    widget = QTableWidget(0, columns)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.verticalHeader().setVisible(False)
    widget.verticalHeader().setDefaultSectionSize(44)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    return widget


def cell(text: object, *, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def export_target(folder: Path, exports_dir: Path, name: str) -> Path:
    """The file to write: `name` in `folder`. The kiosk's own exports/ folder is created when
    missing; any other folder must exist (a typo must not quietly write onto the SD card).
    Raises OSError (FileNotFoundError, NotADirectoryError)."""
    if folder == exports_dir:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif not folder.is_dir():
        raise FileNotFoundError(2, "No such folder", str(folder))
    return folder / name


def error_text(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror} ({error.filename})" if error.filename else error.strerror
    return str(error) or type(error).__name__


def short_kind_name(kind: str) -> str:
    """A kind of code in a table column: shorter than texts.kind_name, same words otherwise."""
    names = {
        "personal_qr": tr("Personal QR"),
        "cccd": "CCCD",
        "bhyt": "BHYT",
        "eu_dcc": tr("Vaccine certificate"),
        "manual": tr("Manual entry"),
        "venue_code": tr("Venue code"),
        "unknown": tr("Unknown code"),
    }
    return names.get(kind, kind)
