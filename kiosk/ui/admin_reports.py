"""Admin: a day's report (entries and exits by hour, peak occupancy, totals by kind of code), and
the events of a range of days exported as CSV, the same file as `kiosk export`. The export says
what it wrote in the page's words (entries, exits, referred, refused), so that its numbers can
be checked against the page.

Thread contract: GUI thread. The report is computed on the gate thread (`runner.call`); the
CSV file is written on the Tasks pool (a USB stick can be slow; the gate must not wait
for it). Results of a request overtaken by a newer one (the guard tapped → twice) are dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.datadir import DataDir
from kiosk.events import StoredEvent
from kiosk.export import MEDIA_PATTERNS, safe_file_part, write_events_csv
from kiosk.gate import Gate
from kiosk.reports import DayReport, EventCounts, count_events, day_report, days_between, local_day
from kiosk.ui.admin_common import (
    DayPicker,
    FolderPicker,
    Message,
    big_button,
    cell,
    error_text,
    export_target,
    parse_day,
    scrolling,
    set_invalid,
    short_kind_name,
    table,
    title_label,
)
from kiosk.ui.chart import HourlyChart
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import BLUE, tr

log = logging.getLogger(__name__)

NUMBERS = ("entries", "exits", "peak", "at_start")
NARROW_PX = 760  # below this panel width, the report is stacked in one column


class ReportsPanel(QWidget):
    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: SettingsHolder,
        clock: Clock,
        background: Tasks,
        data_dir: Path,
        media_patterns: Sequence[str] = MEDIA_PATTERNS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._holder = settings
        self._clock = clock
        self._background = background
        self._exports_dir = DataDir(data_dir).exports
        self._request = 0
        self.report: DayReport | None = None

        self.title = title_label()
        self.day = DayPicker(self.today)
        self.day.changed.connect(lambda _day: self.refresh())
        self.numbers: dict[str, tuple[QLabel, QLabel]] = {}
        self._numbers = QGridLayout()
        self._numbers.setHorizontalSpacing(28)
        for key in NUMBERS:
            name, value = PlainLabel(), PlainLabel()
            name.setWordWrap(True)
            value.setStyleSheet("font-size: 34px; font-weight: bold;")
            self.numbers[key] = (name, value)
        self.chart_title = PlainLabel()
        self.chart_title.setStyleSheet("font-weight: bold;")
        self.chart = HourlyChart()
        self.kinds = table(5)
        self.kinds.setMinimumHeight(230)
        # The export's days: the day shown, or any range typed (2026-11-01 or 01/11/2026).
        self.export_label = PlainLabel()
        self.export_from = QLineEdit()
        self.export_to = QLineEdit()
        self.export_dash = PlainLabel("–")
        for field in (self.export_from, self.export_to):
            field.setFixedWidth(160)
            field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.day.changed.connect(self._export_day)
        self._export_day(self.day.day)
        self.folder = FolderPicker(data_dir, media_patterns)
        self.export_button = big_button(colour=BLUE)
        self.export_button.clicked.connect(self.export)
        self.message = Message()

        self.folder.add_action(self.export_button)

        self._top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._top.addWidget(self.title)
        self._top.addStretch(1)
        self._top.addWidget(self.day)
        self._middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        chart_box = QVBoxLayout()
        chart_box.addWidget(self.chart_title)
        chart_box.addWidget(self.chart, 1)
        self._middle.addLayout(chart_box, 4)
        self._middle.addWidget(self.kinds, 5)  # the table needs its columns whole
        self._narrow: bool | None = None
        self._arrange(narrow=False)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._top)
        column.addLayout(self._numbers)
        column.addLayout(self._middle, 1)
        days = QHBoxLayout()
        days.addWidget(self.export_from)
        days.addWidget(self.export_dash)
        days.addWidget(self.export_to)
        days.addStretch(1)
        column.addWidget(self.export_label)
        column.addLayout(days)
        column.addWidget(self.folder)
        column.addWidget(self.message)
        # Scrolls only on a screen too small for it all (a 7" 800x480 panel).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scrolling(content)
        layout.addWidget(self.scroll_area)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(narrow=event.size().width() < NARROW_PX)
        super().resizeEvent(event)

    def _arrange(self, *, narrow: bool) -> None:
        """Side by side on a wide screen; stacked (and scrolled) on a small one."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        self._top.setDirection(direction)
        self._middle.setDirection(direction)
        self.chart.setMinimumHeight(260 if narrow else 220)
        for index, key in enumerate(NUMBERS):
            name, value = self.numbers[key]
            row, column = ((index // 2) * 2, index % 2) if narrow else (0, index)
            self._numbers.removeWidget(name)
            self._numbers.removeWidget(value)
            self._numbers.addWidget(name, row, column)
            self._numbers.addWidget(value, row + 1, column)

    def today(self) -> dt.date:
        return local_day(self._clock.now().utc, self._holder.current().zone)

    def retranslate(self) -> None:
        self.title.setText(tr("Reports"))
        self.day.retranslate()
        for key, text in (
            ("entries", tr("Entries")),
            ("exits", tr("Exits")),
            ("peak", tr("Peak occupancy")),
            ("at_start", tr("Inside at the start of the day")),
        ):
            self.numbers[key][0].setText(text)
        self.chart_title.setText(tr("Entries and exits by hour"))
        self.kinds.setHorizontalHeaderLabels(
            [tr("Kind of code"), tr("In"), tr("Out"), tr("Referred"), tr("Refused")]
        )
        self.folder.retranslate()
        self.export_label.setText(tr("Export the days:"))
        self.export_button.setText(tr("Export CSV"))
        if self.report is not None:
            self._show(self.report)

    # -- report ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the chosen day's report on the gate thread; shown when it arrives."""
        self._request += 1
        request, day, zone = self._request, self.day.day, self._holder.current().zone
        self.message.info("")
        self._background.watch(
            self._runner.call(lambda gate: day_report(gate.store, day, zone)),
            lambda report: self._arrived(request, report),
            self._failed,
        )

    def _arrived(self, request: int, report: DayReport) -> None:
        if request != self._request:
            return  # an older request: the guard has moved on to another day
        self.report = report
        self._show(report)

    def _failed(self, error: BaseException) -> None:
        log.error("report failed: %s", error)
        self.message.error(tr("The report could not be made: {reason}").format(reason=error))

    def _show(self, report: DayReport) -> None:
        zone = self._holder.current().zone
        self.numbers["entries"][1].setText(str(report.entries))
        self.numbers["exits"][1].setText(str(report.exits))
        exits_name = tr("Exits")
        if report.auto_checkouts:
            exits_name += " · " + tr("{n} automatic").format(n=report.auto_checkouts)
        self.numbers["exits"][0].setText(exits_name)
        peak = str(report.peak)
        if report.peak_at is not None:
            peak += " " + tr("at {time}").format(
                time=report.peak_at.astimezone(zone).strftime("%H:%M")
            )
        self.numbers["peak"][1].setText(peak)
        self.numbers["at_start"][1].setText(str(report.inside_at_start))
        self.chart.set_hours(report.hours)
        rows = sorted(report.by_kind.items(), key=lambda item: (-item[1]["in"], item[0]))
        self.kinds.setRowCount(len(rows))
        for row, (kind, totals) in enumerate(rows):
            self.kinds.setItem(row, 0, cell(short_kind_name(kind)))
            for column, key in enumerate(("in", "out", "refer", "deny"), start=1):
                self.kinds.setItem(row, column, cell(totals[key], right=True))

    # -- export ---------------------------------------------------------------------------------

    def _export_day(self, day: dt.date) -> None:
        for field in (self.export_from, self.export_to):
            field.setText(day.isoformat())
            set_invalid(field, False)

    def export_days(self) -> tuple[dt.date, dt.date] | None:
        """The export's first and last day as typed, or None (the field is marked, and the
        message says why)."""
        days: list[dt.date] = []
        for field in (self.export_from, self.export_to):
            set_invalid(field, False)
            try:
                days.append(parse_day(field.text()))
            except ValueError:
                set_invalid(field, True)
                self.message.error(tr("Not a date: {text}").format(text=field.text().strip()))
                return None
        if days[1] < days[0]:
            set_invalid(self.export_to, True)
            self.message.error(tr("The end of the period is before its start"))
            return None
        return days[0], days[1]

    def export(self) -> None:
        """Write the chosen days' events to the chosen folder (the `kiosk export` columns)."""
        settings = self._holder.current()
        chosen = self.export_days()
        if chosen is None:
            return
        first, last = chosen
        zone = settings.zone
        span = first.isoformat() if first == last else f"{first.isoformat()}_{last.isoformat()}"
        name = f"kiosk-{safe_file_part(settings.checkpoint_id)}-{span}.csv"
        try:
            path = export_target(self.folder.folder(), self._exports_dir, name)
        except OSError as exc:
            self.message.error(tr("Not exported: {reason}").format(reason=error_text(exc)))
            return
        start, end = days_between(first, last, zone)
        self.export_button.setEnabled(False)
        self.message.info(tr("Exporting…"))

        def read(gate: Gate) -> list[StoredEvent]:
            return list(gate.store.events(since=start, until=end))

        def write(events: list[StoredEvent]) -> None:
            counts = count_events(events)
            self._background.run(
                lambda: write_events_csv(path, events, zone),
                lambda _written: self._exported(counts, path),
                self._export_failed,
            )

        self._background.watch(self._runner.call(read), write, self._export_failed)

    def _exported(self, counts: EventCounts, path: Path) -> None:
        self.export_button.setEnabled(True)
        log.info("export written: %d events", counts.total)
        self.message.ok(
            tr(
                "{n} records exported: {entries} entries, {exits} exits, {referred} referred, "
                "{refused} refused. File: {path}"
            ).format(
                n=counts.total,
                path=path,
                entries=counts.entries,
                exits=counts.exits,
                referred=counts.referred,
                refused=counts.refused,
            )
        )
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.message))

    def _export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        log.error("export failed: %s", error)
        self.message.error(tr("Not exported: {reason}").format(reason=error_text(error)))
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.message))
