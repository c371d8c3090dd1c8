"""The people inside now, on the guard's screen: find someone by masked name or year of birth
and record their exit with one tap (a visitor without a phone leaving: nothing to scan, and
no need to type them in again).

Shows only what the scan screen shows (masked names, years of birth, kinds, times in). It goes
back to the scan page by itself after a minute without a touch, like the admin screens: a list
of people left open is nobody's business.

Thread contract: GUI thread. The list is read on the gate thread (`runner.call`, delivered by
kiosk.ui.tasks.Tasks); an exit is recorded through the gate like any scan
(`GateRunner.check_out`), and its verdict comes back as every verdict does (the window shows
it across the top of this page, with the sound); the list is then read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.gate import Gate
from kiosk.inside import InsidePerson, find
from kiosk.names import consistent_name
from kiosk.ui.admin_common import ADMIN_STYLE, big_button, scrolling
from kiosk.ui.idle import IdleTimer
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner, ScanDone
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import BLUE, kind_name, tr

log = logging.getLogger(__name__)

SHOWN_AT_MOST = 60  # rows; more: the guard types a few letters or the year
IDLE_MS = 60_000


def read_inside(gate: Gate) -> list[InsidePerson]:
    """The open stays, each with the person's one name form (kiosk.names). Gate thread."""
    store = gate.store
    return [
        InsidePerson(key, kind, consistent_name(name, store.names_of(key)), year, at)
        for key, kind, name, year, at in store.people_inside()
    ]


class InsideRow(QWidget):
    """One person: who, since when, and the exit button."""

    def __init__(self, person: InsidePerson, zone_time: str, on_out: Callable[[], None]) -> None:
        super().__init__()
        self.person = person
        self.setObjectName("insideRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        who = person.display_name or "—"
        if person.birth_year:
            who += " · " + tr("born {year}").format(year=person.birth_year)
        self.who = PlainLabel(who)
        self.who.setStyleSheet("font-weight: bold; font-size: 22px;")
        self.since = PlainLabel(
            tr("in at {time}").format(time=zone_time) + " · " + kind_name(person.kind)
        )
        self.since.setStyleSheet("color: #455a64; font-size: 17px;")
        self.out_button = big_button(tr("Check out"), colour=BLUE)
        self.out_button.setMinimumWidth(150)
        self.out_button.clicked.connect(lambda _checked=False: on_out())
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.who)
        texts.addWidget(self.since)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        row.addLayout(texts, 1)
        row.addWidget(self.out_button)


class InsidePage(QWidget):
    closed = Signal()

    def __init__(
        self,
        *,
        runner: GateRunner,
        zone: Callable[[], ZoneInfo],
        idle_ms: int = IDLE_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._zone = zone
        self._background = Tasks(self)
        self.people: list[InsidePerson] = []
        self.loaded = False
        self.rows: list[InsideRow] = []
        self._request = 0
        self.setStyleSheet(
            ADMIN_STYLE + "#insideRow { background: white; border-bottom: 1px solid #cfd8dc; }"
        )

        self.title = PlainLabel()
        self.title.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.back_button = big_button()
        self.back_button.clicked.connect(self.closed.emit)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._show())
        self.search.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.summary = PlainLabel()
        self.summary.setStyleSheet("color: #455a64;")
        self.message = PlainLabel()
        self.message.setWordWrap(True)
        self.list_box = QWidget()
        self.list_layout = QVBoxLayout(self.list_box)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(0)
        self.list_layout.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.summary)
        layout.addWidget(scrolling(self.list_box), 1)
        layout.addWidget(self.message)

        runner.scanned.connect(self._recorded)
        self._idle = IdleTimer(idle_ms, self)
        self._idle.expired.connect(self.closed.emit)
        self.retranslate()

    def retranslate(self) -> None:
        self.back_button.setText(tr("Back"))
        self.search.setPlaceholderText(tr("Search: initials, given name or year of birth"))
        self._show()

    # -- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again (on the gate thread); shown when it arrives."""
        self._request += 1
        request = self._request
        self._background.watch(
            self._runner.call(read_inside),
            lambda people: self._arrived(request, people),
            self._failed,
        )

    def _arrived(self, request: int, people: list[InsidePerson]) -> None:
        if request != self._request:
            return
        self.people = people
        self.loaded = True
        self._show()

    def _failed(self, error: BaseException) -> None:
        log.error("the people inside could not be read: %s", type(error).__name__)
        self.message.setText(tr("The list could not be read"))

    def _recorded(self, done: ScanDone) -> None:
        if self.isVisible():  # an exit from here, or anyone scanned meanwhile
            self.refresh()

    # -- the list -------------------------------------------------------------------------------

    def _show(self) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        found = find(self.people, self.search.text())
        self.title.setText(tr("Inside now: {n}").format(n=len(self.people) if self.loaded else "…"))
        zone = self._zone()
        for person in found[:SHOWN_AT_MOST]:
            at = person.in_time.astimezone(zone).strftime("%H:%M")
            row = InsideRow(person, at, partial(self.check_out, person))
            self.rows.append(row)
            self.list_layout.insertWidget(self.list_layout.count() - 1, row)
        if not self.loaded:
            summary = tr("Reading the list…")
        elif not self.people:
            summary = tr("Nobody is inside")
        elif len(found) > SHOWN_AT_MOST:
            summary = tr("{n} found, the first {m} shown: type more to narrow").format(
                n=len(found), m=SHOWN_AT_MOST
            )
        else:
            summary = tr("{n} found").format(n=len(found))
        self.summary.setText(summary)

    def check_out(self, person: InsidePerson) -> None:
        log.info("check-out from the inside list")
        self._runner.check_out(person)
        self.people = [p for p in self.people if p.person_key != person.person_key]
        self.message.setText("")
        self.search.clear()  # the next person: the whole list again (shows it too)

    # -- showing and idling ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.loaded = False
        self.search.clear()
        self.message.setText("")
        self.refresh()
        self._idle.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._idle.stop()
        self.search.clear()
        super().hideEvent(event)


__all__ = ["InsidePage", "InsideRow", "read_inside"]
