"""The PIN screen in front of the administration: a touch PIN pad (keyboard digits work too),
setting a PIN on first use, and the lockout after repeated wrong PINs (kiosk.pin).

Thread contract: GUI thread. The slow scrypt hash runs on the Tasks pool; the lockout
state is read and saved in the store's meta table through the gate thread (`runner.call`), so
a restart does not reset it. While a PIN is being checked further entries are ignored: nobody
gets more tries than the lockout allows by typing fast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.config import ConfigError
from kiosk.gate import Gate
from kiosk.pin import (
    LOCKOUT_META_KEY,
    MAX_DIGITS,
    Lockout,
    PinFormatError,
    hash_pin,
    is_valid_pin,
    verify_pin,
)
from kiosk.ui.admin_common import Message, big_button, title_label
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import GREEN, tr

log = logging.getLogger(__name__)

KEY_PX = 72  # a PIN pad key: larger than the other buttons, it is hit many times in a row


class PinPad(QWidget):
    """Digits by touch or keyboard; Enter/OK submits, Backspace/⌫ deletes, Escape clears.

    `display` shows dots, never the digits; the owner places it (beside the keys on a wide
    screen: the pad then fits an 800x480 panel)."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._digits = ""
        self._typed_other = False  # a key that is not a digit was typed since the last clear
        self.display = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(KEY_PX)
        self.display.setMinimumWidth(300)
        self.display.setStyleSheet(
            "font-size: 44px; letter-spacing: 12px; background: white; "
            "border: 2px solid #90a4ae; border-radius: 8px;"
        )
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, object] = {}
        for index, digit in enumerate("123456789"):
            self._add_key(grid, digit, index // 3, index % 3, partial(self.press, digit))
        self.back_key = self._add_key(grid, "⌫", 3, 0, self.backspace)
        self._add_key(grid, "0", 3, 1, lambda: self.press("0"))
        self.ok_key = self._add_key(grid, "OK", 3, 2, self.submit, colour=GREEN)
        grid.setContentsMargins(0, 0, 0, 0)
        self.setLayout(grid)
        # Keys stay key-sized on a tall screen (the grid would spread them apart).
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._show()

    def _add_key(
        self,
        grid: QGridLayout,
        text: str,
        row: int,
        column: int,
        action: Callable[[], None],
        *,
        colour: str | None = None,
    ) -> object:
        key = big_button(text, colour=colour)
        key.setMinimumSize(KEY_PX + 20, KEY_PX)
        key.setStyleSheet(
            key.styleSheet() + f"QPushButton {{ font-size: 34px; min-height: {KEY_PX}px; }}"
        )
        key.clicked.connect(lambda _checked=False: action())  # clicked(bool): not a digit
        grid.addWidget(key, row, column)
        self.keys[text] = key
        return key

    @property
    def digits(self) -> str:
        return self._digits

    def press(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS:
            self._digits += digit
            self._show()

    def backspace(self) -> None:
        self._digits = self._digits[:-1]
        self._show()

    def clear(self) -> None:
        self._digits = ""
        self._typed_other = False
        self._show()

    def submit(self) -> None:
        digits, self._digits = self._digits, ""
        self._show()
        self.submitted.emit(digits)

    def _show(self) -> None:
        self.display.setText("●" * len(self._digits) or " ")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._typed_other:
                # A hardware scanner typed a code here (letters, separators, then Enter): not a
                # PIN attempt, so it must not count towards the lockout.
                self._typed_other = False
                self.clear()
            else:
                self.submit()
        elif text and text.isprintable():
            self._typed_other = True
        elif key == Qt.Key.Key_Backspace:
            self.backspace()
        elif key == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class PinScreen(QWidget):
    """Asks for the PIN (or, when none is set, for a new one, twice) and says `unlocked`.

    `cancelled`: the guard went back without unlocking. `start()` prepares a fresh entry (call
    it whenever the screen is shown); `start_change()` asks for a new PIN from an unlocked admin
    screen (`cancelled` then means: keep the old one).
    """

    unlocked = Signal()
    cancelled = Signal()

    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: SettingsHolder,
        clock: Clock,
        background: Tasks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._holder = settings
        self._clock = clock
        self._background = background
        self._lockout: Lockout | None = None  # None until read from the store
        self._busy = False
        self._mode = "verify"  # verify | new | confirm
        self._changing = False
        self._first = ""

        self.title = title_label()
        self.prompt = PlainLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-size: 26px;")
        self.pad = PinPad()
        self.pad.setFixedWidth(3 * (KEY_PX + 30) + 20)
        self.pad.setEnabled(False)
        self.pad.submitted.connect(self._submitted)
        self.message = Message(font_px=28)
        self.back = big_button()
        self.back.setMinimumWidth(240)
        self.back.clicked.connect(self.cancelled.emit)

        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.prompt)
        left.addWidget(self.pad.display)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(self.back)
        left.setSpacing(4)
        row = QHBoxLayout(self)
        # Tight at the top and bottom: the pad and the column beside it fit a 480 px screen.
        row.setContentsMargins(24, 6, 24, 6)
        row.setSpacing(32)
        row.addStretch(1)
        row.addLayout(left, 2)
        row.addWidget(self.pad, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)

        # While locked, the minutes left are kept up to date on screen.
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_lockout)
        self._load_lockout()
        self.retranslate()

    # -- state ----------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """The lockout state was read: PINs are accepted."""
        return self._lockout is not None

    @property
    def mode(self) -> str:
        return self._mode

    def _load_lockout(self) -> None:
        self._background.watch(
            self._runner.call(lambda gate: gate.store.get_meta(LOCKOUT_META_KEY)),
            self._lockout_loaded,
            self._lockout_load_failed,
        )

    def _lockout_loaded(self, text: str | None) -> None:
        loaded = Lockout.from_json(text)
        self._lockout = loaded.resumed(self._clock.now())
        if self._lockout != loaded:
            self._save_lockout()
        self.pad.setEnabled(True)
        self._show_lockout()

    def _lockout_load_failed(self, error: BaseException) -> None:
        # The database is unusable (the scan page says so too); a fresh state keeps the admin
        # screen reachable to look into it, and the hash still guards it.
        log.error("PIN lockout state not readable: %s", type(error).__name__)
        self._lockout = Lockout()
        self.pad.setEnabled(True)

    def _save_lockout(self) -> None:
        assert self._lockout is not None
        text = self._lockout.to_json()

        def save(gate: Gate) -> None:
            gate.store.set_meta(LOCKOUT_META_KEY, text)

        self._background.watch(
            self._runner.call(save),
            lambda _none: None,
            lambda error: log.error("PIN lockout state not saved: %s", error),
        )

    # -- screens --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(tr("Administration"))
        self.back.setText(tr("Back") if self._changing else tr("Back to scanning"))
        self._show_prompt()
        self._show_lockout()

    def start(self) -> None:
        """A fresh entry: verify the PIN, or set one when none is set yet."""
        self._changing = False
        self._enter_mode("verify" if self._holder.current().admin_pin_hash else "new")
        self.message.info("")
        self._show_lockout()
        self.retranslate()
        self.pad.setFocus()

    def start_change(self) -> None:
        self._changing = True
        self._enter_mode("new")
        self.message.info("")
        self.retranslate()
        self.pad.setFocus()

    def _enter_mode(self, mode: str) -> None:
        self._mode = mode
        self._first = "" if mode == "new" else self._first
        self.pad.clear()
        self._show_prompt()

    def _show_prompt(self) -> None:
        self.prompt.setText(
            {
                "verify": tr("Enter the PIN"),
                "new": tr("Choose a new PIN (4 to 8 digits)"),
                "confirm": tr("Enter the same PIN again"),
            }[self._mode]
        )

    def _locked_minutes(self) -> int:
        if self._lockout is None:
            return 0
        return self._lockout.remaining_minutes(self._clock.now())

    def _show_lockout(self) -> None:
        minutes = self._locked_minutes() if self._mode == "verify" else 0
        if minutes:
            self.message.error(tr("Locked for {n} minutes").format(n=minutes))
            if not self._tick.isActive():
                self._tick.start()
        elif self._tick.isActive():
            self._tick.stop()
            self.message.info("")

    # -- entry ----------------------------------------------------------------------------------

    def _submitted(self, pin: str) -> None:
        if self._busy or self._lockout is None:
            return
        if self._mode == "verify":
            self._verify(pin)
        elif self._mode == "new":
            if not is_valid_pin(pin):
                self.message.error(tr("A PIN is 4 to 8 digits"))
                return
            self._first = pin
            self.message.info("")
            self._enter_mode("confirm")
        elif pin != self._first:
            self.message.error(tr("The two PINs differ. Start again"))
            self._enter_mode("new")
        else:
            self._set_pin(pin)

    def _verify(self, pin: str) -> None:
        assert self._lockout is not None
        if self._lockout.is_locked(self._clock.now()):
            self._show_lockout()  # attempts while locked are not checked, and not counted
            return
        stored = self._holder.current().admin_pin_hash
        if not stored:  # the PIN was cleared meanwhile (`kiosk config set admin_pin_hash ""`)
            self.start()
            return
        self._busy = True
        self._background.run(lambda: verify_pin(pin, stored), self._checked, self._check_failed)

    def _checked(self, right: bool) -> None:
        self._busy = False
        assert self._lockout is not None
        now = self._clock.now()
        if right:
            self._lockout = self._lockout.succeeded()
            self._save_lockout()
            self.message.info("")
            log.info("admin PIN accepted")
            self.unlocked.emit()
            return
        self._lockout = self._lockout.failed(now)
        self._save_lockout()
        if self._lockout.is_locked(now):
            log.warning(
                "admin PIN: locked for %d s after repeated wrong PINs", self._lockout.lock_s
            )
            self._show_lockout()
        else:
            log.info("admin PIN refused (%d wrong in a row)", self._lockout.failures)
            self.message.error(tr("Wrong PIN"))

    def _check_failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, PinFormatError):
            # Not a wrong PIN: the stored hash is damaged. Never fall back to "no PIN set".
            log.error("the stored admin PIN hash is unreadable: %s", error)
            self.message.error(tr("The stored PIN cannot be read: reset it from the command line"))
            return
        log.error("PIN check failed: %s", type(error).__name__)
        self.message.error(tr("The PIN could not be checked. Please try again"))

    def _set_pin(self, pin: str) -> None:
        self._busy = True
        self.message.info(tr("Saving the PIN…"))
        self._background.run(lambda: hash_pin(pin), self._hashed, self._hash_failed)

    def _hashed(self, encoded: str) -> None:
        self._busy = False
        try:
            self._holder.change(admin_pin_hash=encoded)
        except (ConfigError, OSError) as exc:
            log.error("new admin PIN not saved: %s", exc)
            self.message.error(tr("The PIN could not be saved: {reason}").format(reason=exc))
            self._enter_mode("new")
            return
        log.info("admin PIN set")
        self._lockout = Lockout()
        self._save_lockout()
        self.message.info("")
        self._changing = False
        self.unlocked.emit()

    def _hash_failed(self, error: BaseException) -> None:
        self._busy = False
        log.error("PIN hashing failed: %s", type(error).__name__)
        self.message.error(tr("The PIN could not be saved: {reason}").format(reason=error))
        self._enter_mode("new")
