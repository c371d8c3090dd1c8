"""The gate's owner thread, and the bridge from it to the screen.

One worker thread (a single-worker executor, like Anki's task manager) owns the `Gate` and its
SQLite store: every scan, manual entry, report query, and the sync job's store access run
there, one at a time, so there is exactly one writer and the GUI thread never waits for SQLite.
Results come back as Qt signals carrying frozen dataclasses; they are emitted on the worker
thread and delivered to GUI-thread receivers through queued connections.

Thread contract: every public method may be called from the GUI thread; `call()` and
`run_store()` from any thread except the gate's own (that would deadlock). Functions handed to
`call()` run on the gate thread and must not touch widgets.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import Settings
from kiosk.events import Declaration, Direction
from kiosk.gate import Gate, ManualEntry, ManualEntryError, ScanOutcome, StorageStatus
from kiosk.inside import InsidePerson
from kiosk.store import RecordError, StorageFull, Store

log = logging.getLogger(__name__)

T = TypeVar("T")

IDLE_EVERY_MS = 2000


@dataclass(frozen=True, slots=True)
class Counters:
    """The always-visible numbers, computed on the gate thread after each change."""

    occupancy: int
    capacity: int  # 0: no limit
    today_in: int
    today_out: int
    waiting: int  # records not yet delivered to the server


@dataclass(frozen=True, slots=True)
class ScanRequest:
    payload: bytes
    source: str  # "camera" | "keyboard" | "manual" | "list" (the people inside)
    received_ns: int  # when the frame or the Enter key was captured (monotonic)


@dataclass(frozen=True, slots=True)
class ScanDone:
    request: ScanRequest
    outcome: ScanOutcome


@dataclass(frozen=True, slots=True)
class ScanNotRecorded:
    request: ScanRequest
    message: str  # for the log; never shown (it may name SQLite's error)
    storage_full: bool = False  # refused because the disk is full: the screen says so


def today_bounds(settings: Settings, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local day containing `now`, as UTC instants [start, end)."""
    local = now.astimezone(settings.zone)
    start = dt.datetime.combine(local.date(), dt.time(), tzinfo=settings.zone)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


class GateRunner(QObject):
    scanned = Signal(object)  # ScanDone
    not_recorded = Signal(object)  # ScanNotRecorded: show "not recorded", never a verdict
    counters_changed = Signal(object)  # Counters
    failed = Signal(str)  # an unexpected error on the gate thread (already logged)
    storage_changed = Signal(object)  # StorageStatus: free space low / full / fine again

    def __init__(self, gate: Gate, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gate = gate
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gate")
        self._gate_mode: str | None = None  # the guard's switch; None: the setting
        # The setting, as the GUI thread knows it (the gate's own copy is the gate thread's).
        self._setting_gate_mode = gate.settings.gate_mode
        self._idle = QTimer(self)
        self._idle.setInterval(IDLE_EVERY_MS)
        self._idle.timeout.connect(self._submit_idle)
        self._idle_pending = False
        self._storage: StorageStatus | None = None  # the last one emitted (gate thread)

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._idle.start()
        self.refresh_counters()
        self._executor.submit(self._check_storage)  # a low disk is shown from the start

    def shutdown(self) -> None:
        """Finish queued work, then close the database (blocks the caller until done)."""
        self._idle.stop()
        self._executor.submit(self._gate.close)
        self._executor.shutdown(wait=True)

    # -- work ---------------------------------------------------------------------------------

    def call(self, fn: Callable[[Gate], T]) -> Future[T]:
        """Run `fn(gate)` on the gate thread; the Future holds its result or exception."""
        return self._executor.submit(fn, self._gate)

    def run_store(self, fn: Callable[[Store], T]) -> T:
        """For the sync job: run `fn(store)` on the gate thread and wait for it."""
        return self._executor.submit(lambda: fn(self._gate.store)).result()

    def set_gate_mode(self, mode: str | None) -> None:
        self._gate_mode = mode

    @property
    def gate_mode(self) -> str:
        return self._gate_mode or self._setting_gate_mode

    def update_settings(self, settings: Settings) -> None:
        self._setting_gate_mode = settings.gate_mode
        self._executor.submit(self._gate.update_settings, settings)
        self.refresh_counters()

    def scan(self, request: ScanRequest, *, declaration: Declaration | None = None) -> None:
        """Record a scanned code (`Gate.scan`, with the guard's gate mode), optionally with a
        health declaration the guard took for the visitor. The outcome comes back as `scanned`
        or `not_recorded`."""
        mode = self._gate_mode
        self._executor.submit(
            self._record,
            request,
            lambda gate: gate.scan(request.payload, mode=mode, declaration=declaration),
        )

    def record_manual(self, entry: ManualEntry) -> None:
        """A visitor without a code: the guard typed who they are (maybe a declaration, and in
        or out: `entry.direction`, else the guard's gate mode). The outcome comes back as
        `scanned` or `not_recorded`, like a scan's."""
        request = ScanRequest(b"", "manual", time.monotonic_ns())
        mode = self._gate_mode
        self._executor.submit(
            self._record, request, lambda gate: gate.record_manual(entry, mode=mode)
        )

    def check_out(self, person: InsidePerson) -> None:
        """The guard tapped a person in the list of people inside: record their exit
        (`Gate.check_out`; `scanned` or `not_recorded` follows)."""
        request = ScanRequest(b"", "list", time.monotonic_ns())
        self._executor.submit(self._record, request, lambda gate: gate.check_out(person))

    def refresh_counters(self) -> None:
        self._executor.submit(self._emit_counters)

    # -- on the gate thread -------------------------------------------------------------------

    def _record(self, request: ScanRequest, record: Callable[[Gate], ScanOutcome]) -> None:
        """Run one of the gate's record paths (`record(gate)`: Gate.scan, Gate.record_manual or
        Gate.check_out) and emit its outcome."""
        try:
            outcome = record(self._gate)
        except ManualEntryError as exc:  # neither ID nor phone: the page checks, this is a backstop
            self.not_recorded.emit(ScanNotRecorded(request, str(exc)))
            return
        except RecordError as exc:
            log.error("scan not recorded: %s", exc)
            full = isinstance(exc, StorageFull)
            self.not_recorded.emit(ScanNotRecorded(request, str(exc), storage_full=full))
            self._emit_storage()
            return
        except Exception as exc:  # a bug must not kill the gate thread: report, keep going
            # The message of an exception in the scan path may quote the payload or a name: the
            # kiosk's log handlers (SafeFormatter) write its type and frames only.
            log.error("scan failed: %s", type(exc).__name__, exc_info=exc)
            self.not_recorded.emit(ScanNotRecorded(request, type(exc).__name__))
            self.failed.emit(type(exc).__name__)
            return
        self.scanned.emit(ScanDone(request, outcome))
        self._emit_counters()
        self._emit_storage()

    def _check_storage(self) -> None:
        self._gate.check_storage(force=True)
        self._emit_storage()

    def _emit_storage(self) -> None:
        """Emit the gate's storage status when it changed since the last one emitted."""
        status = self._gate.storage
        if self._storage is None or status.level != self._storage.level:
            self._storage = status
            self.storage_changed.emit(status)

    def _emit_counters(self) -> None:
        gate = self._gate
        try:
            start, end = today_bounds(gate.settings, gate.clock.now().utc)
            counts = gate.store.counts(start, end)
            counters = Counters(
                occupancy=gate.store.occupancy(),
                capacity=gate.settings.capacity,
                today_in=counts[Direction.IN],
                today_out=counts[Direction.OUT],
                waiting=gate.store.outbox_count(),
            )
        except Exception as exc:
            log.exception("counters failed")
            self.failed.emit(type(exc).__name__)
            return
        self.counters_changed.emit(counters)

    def _submit_idle(self) -> None:
        if self._idle_pending:
            return  # the last one has not run yet: the gate is busy, skip a beat
        self._idle_pending = True
        self._executor.submit(self._run_idle)

    def _run_idle(self) -> None:
        try:
            try:
                closed = self._gate.housekeeping()
            except StorageFull:
                # Logged by the gate and shown (storage_changed); idle() below still measures
                # the free space, so the screen recovers by itself once there is room.
                closed = 0
            self._gate.idle()
            if closed:
                self._emit_counters()
        except Exception as exc:
            log.exception("idle work failed")
            self.failed.emit(type(exc).__name__)
        finally:
            self._idle_pending = False
            self._emit_storage()


__all__ = [
    "IDLE_EVERY_MS",
    "Counters",
    "GateRunner",
    "ManualEntry",
    "ScanDone",
    "ScanNotRecorded",
    "ScanRequest",
    "today_bounds",
]
