"""Admin: contact tracing. The guard scans (a hardware scanner types into the field) or types a
person's code, ID number, phone number or person key; the kiosk lists everyone who was inside
at an overlapping time, widened by a margin, optionally within a period; the list exports as CSV.

What a health officer asks an offline site for: it works from the local log alone.

Thread contract: GUI thread. Parsing the code and the query run on the gate thread
(`runner.call`: the keyer and the store are the gate's); the CSV is written on the Tasks
pool. The code typed is cleared once resolved: the screen keeps the person key, not the ID.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.clock import Clock
from kiosk.datadir import DataDir
from kiosk.export import MEDIA_PATTERNS, write_overlaps_csv
from kiosk.gate import Gate
from kiosk.names import consistent_name
from kiosk.reports import day_bounds, trace_target
from kiosk.store import Overlap
from kiosk.ui.admin_common import (
    FolderPicker,
    Message,
    Stepper,
    big_button,
    cell,
    error_text,
    export_target,
    parse_day,
    scrolling,
    set_invalid,
    table,
    title_label,
)
from kiosk.ui.labels import PlainLabel
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import BLUE, GREEN, kind_name, tr

log = logging.getLogger(__name__)

DEFAULT_MARGIN_MIN = 15


@dataclass(frozen=True, slots=True)
class TraceResult:
    person_key: str | None  # None: the text names nobody
    overlaps: tuple[Overlap, ...]
    margin_min: int
    asked_at: dt.datetime


class TracePanel(QWidget):
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
        self.result: TraceResult | None = None
        self._target: str | None = (
            None  # the last person key traced (re-used if the field is empty)
        )

        self.title = title_label()
        self.code = QLineEdit()
        self.code.returnPressed.connect(self.search)
        self.search_button = big_button(colour=GREEN)
        self.search_button.setMinimumWidth(140)
        self.search_button.clicked.connect(self.search)
        self.margin = Stepper(0, 24 * 60, step=5)
        self.margin.setValue(DEFAULT_MARGIN_MIN)
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for field in (self.date_from, self.date_to):
            field.setFixedWidth(160)
            field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.labels = {key: PlainLabel() for key in ("code", "margin", "period")}
        self.summary = PlainLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.results = table(5)
        self.results.setMinimumHeight(200)
        self.folder = FolderPicker(data_dir, media_patterns)
        self.export_button = big_button(colour=BLUE)
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)
        self.message = Message()

        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.search_button)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(PlainLabel("–"))
        period.addWidget(self.date_to)
        period.addStretch(1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.addWidget(self.labels["code"], 0, 0)
        grid.addLayout(code_row, 0, 1)
        grid.addWidget(self.labels["margin"], 1, 0)
        grid.addWidget(self.margin, 1, 1)
        grid.addWidget(self.labels["period"], 2, 0)
        grid.addLayout(period, 2, 1)
        self.folder.add_action(self.export_button)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(grid)
        column.addWidget(self.summary)
        column.addWidget(self.results, 1)
        column.addWidget(self.folder)
        column.addWidget(self.message)
        # Scrolls only on a screen too small for it all (a 7" 800x480 panel).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Contact tracing"))
        self.labels["code"].setText(tr("Person"))
        self.labels["margin"].setText(tr("Minutes before and after"))
        self.labels["period"].setText(tr("Period"))
        self.code.setPlaceholderText(tr("Scan the code, or type the ID or phone number"))
        self.date_from.setPlaceholderText(tr("from: any day"))
        self.date_to.setPlaceholderText(tr("to: any day"))
        self.search_button.setText(tr("Search"))
        self.results.setHorizontalHeaderLabels(
            [tr("In"), tr("Out"), tr("Name"), tr("Kind of code"), tr("Together (min)")]
        )
        self.folder.retranslate()
        self.export_button.setText(tr("Export CSV"))
        if self.result is not None:
            self._show(self.result)

    def clear(self) -> None:
        """Forget the person traced and the results (on lock: the next guard starts afresh)."""
        self._request += 1
        self._target = None
        self.result = None
        self.code.clear()
        self.summary.clear()
        self.results.setRowCount(0)
        self.export_button.setEnabled(False)
        self.message.info("")

    def focus_code(self) -> None:
        self.code.setFocus()

    # -- search ---------------------------------------------------------------------------------

    def _period(self) -> tuple[dt.datetime | None, dt.datetime | None] | None:
        zone = self._holder.current().zone
        bounds: list[dt.datetime | None] = []
        for field, end in ((self.date_from, False), (self.date_to, True)):
            text = field.text().strip()
            set_invalid(field, False)
            if not text:
                bounds.append(None)
                continue
            try:
                day = parse_day(text)
            except ValueError:
                set_invalid(field, True)
                self.message.error(tr("Not a date: {text}").format(text=text))
                return None
            bounds.append(day_bounds(day, zone)[1 if end else 0])
        since, until = bounds
        if since and until and until <= since:
            set_invalid(self.date_to, True)
            self.message.error(tr("The end of the period is before its start"))
            return None
        return since, until

    def search(self) -> None:
        text = self.code.text().strip()
        if not text and self._target is None:
            self.message.error(tr("Scan or type the person's code first"))
            self.code.setFocus()
            return
        period = self._period()
        if period is None:
            return
        since, until = period
        margin = self.margin.value()
        known = self._target
        self._request += 1
        request = self._request
        self.message.info(tr("Searching…"))

        def run(gate: Gate) -> TraceResult:
            now = gate.clock.now().utc
            key = trace_target(gate, text) if text else known
            if key is None:
                return TraceResult(None, (), margin, now)
            overlaps = gate.store.co_presence(
                key, margin=dt.timedelta(minutes=margin), now=now, since=since, until=until
            )
            # One name form per person on the list, as on every screen (kiosk.names).
            named = tuple(
                dataclasses.replace(
                    o,
                    display_name=consistent_name(o.display_name, gate.store.names_of(o.person_key)),
                )
                for o in overlaps
            )
            return TraceResult(key, named, margin, now)

        self._background.watch(
            self._runner.call(run), lambda result: self._arrived(request, result), self._failed
        )

    def _arrived(self, request: int, result: TraceResult) -> None:
        if request != self._request:
            return
        if result.person_key is None:
            self.message.error(tr("This is not a personal code, an ID number or a phone number"))
            return
        self._target = result.person_key
        self.code.clear()
        self.result = result
        self.message.info("")
        log.info("contact tracing: %d people found", len(result.overlaps))
        self._show(result)

    def _failed(self, error: BaseException) -> None:
        log.error("contact tracing failed: %s", type(error).__name__)
        self.message.error(tr("The search failed: {reason}").format(reason=error_text(error)))

    def _show(self, result: TraceResult) -> None:
        zone = self._holder.current().zone
        key = result.person_key or ""
        self.summary.setText(
            tr("{n} people present at the same time as {key} (margin {m} min)").format(
                n=len(result.overlaps), key=key[: key.find(":") + 9] + "…", m=result.margin_min
            )
        )
        self.results.setRowCount(len(result.overlaps))
        for row, o in enumerate(result.overlaps):
            t_in = o.in_time.astimezone(zone).strftime("%d/%m %H:%M")
            t_out = (
                o.out_time.astimezone(zone).strftime("%d/%m %H:%M")
                if o.out_time
                else tr("still inside")
            )
            self.results.setItem(row, 0, cell(t_in))
            self.results.setItem(row, 1, cell(t_out))
            self.results.setItem(row, 2, cell(o.display_name or "-"))
            self.results.setItem(row, 3, cell(kind_name(o.kind)))
            self.results.setItem(row, 4, cell(o.overlap_s // 60, right=True))
        self.export_button.setEnabled(True)

    # -- export ---------------------------------------------------------------------------------

    def export(self) -> None:
        result = self.result
        if result is None:
            return
        zone = self._holder.current().zone
        stamp = result.asked_at.astimezone(zone).strftime("%Y-%m-%d-%H%M")
        try:
            path = export_target(self.folder.folder(), self._exports_dir, f"trace-{stamp}.csv")
        except OSError as exc:
            self.message.error(tr("Not exported: {reason}").format(reason=error_text(exc)))
            return
        self.export_button.setEnabled(False)
        self.message.info(tr("Exporting…"))
        self._background.run(
            lambda: write_overlaps_csv(path, result.overlaps, zone),
            lambda count: self._exported(count, path),
            self._export_failed,
        )

    def _exported(self, count: int, path: Path) -> None:
        self.export_button.setEnabled(True)
        log.info("tracing export written: %d rows", count)
        self.message.ok(tr("{n} records written to {path}").format(n=count, path=path))

    def _export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(self.result is not None)
        log.error("tracing export failed: %s", error_text(error))
        self.message.error(tr("Not exported: {reason}").format(reason=error_text(error)))
