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
from kiosk.credentials import Credential
from kiosk.events import Declaration, Direction
from kiosk.formats import manual_credential, parse
from kiosk.gate import Gate, ScanOutcome, StorageStatus
from kiosk.inside import InsidePerson, checkout_credential
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
class ManualEntry:
    """What the guard typed for a visitor without a code. An ID number or a phone is needed.
    `direction`: in or out as the guard chose (None: the gate's mode decides)."""

    full_name: str
    id_number: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    declaration: Declaration | None = None
    direction: Direction | None = None


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

    def scan(self, request: ScanRequest) -> None:
        self._executor.submit(self._scan, request, None, None)

    def record_manual(self, entry: ManualEntry) -> None:
        """A visitor without a code: the guard typed who they are (and maybe a declaration)."""
        request = ScanRequest(b"", "manual", time.monotonic_ns())
        self._executor.submit(self._manual, request, entry)

    def check_out(self, person: InsidePerson) -> None:
        """The guard tapped a person in the list of people inside: record their exit (a scan
        of nothing, under the key their entry has; `scanned` or `not_recorded` follows)."""
        request = ScanRequest(b"", "list", time.monotonic_ns())
        self._executor.submit(self._scan, request, checkout_credential(person), None, "out")

    def scan_with_declaration(self, request: ScanRequest, declaration: Declaration) -> None:
        """A scanned code plus a health declaration the guard took for the visitor."""
        self._executor.submit(self._scan, request, None, declaration)

    def refresh_counters(self) -> None:
        self._executor.submit(self._emit_counters)

    # -- on the gate thread -------------------------------------------------------------------

    def _manual(self, request: ScanRequest, entry: ManualEntry) -> None:
        try:
            credential = manual_credential(
                keyer=self._gate.keyer,
                full_name=entry.full_name,
                id_number=entry.id_number,
                phone=entry.phone,
                birth_year=entry.birth_year,
            )
        except ValueError as exc:  # neither ID nor phone: the page checks, this is a backstop
            self.not_recorded.emit(ScanNotRecorded(request, str(exc)))
            return
        mode = entry.direction.value if entry.direction else None
        self._scan(request, credential, entry.declaration, mode)

    def _scan(
        self,
        request: ScanRequest,
        credential: Credential | None,
        declaration: Declaration | None,
        mode: str | None = None,
    ) -> None:
        """`mode`: "in"/"out" chosen for this one record (manual entry, the inside list),
        else the guard's gate switch."""
        gate = self._gate
        gate_mode = mode or self._gate_mode
        try:
            if credential is None and declaration is None:
                outcome = gate.scan(request.payload, gate_mode=gate_mode)
            else:
                instant = gate.clock.now()
                if credential is None:
                    credential = parse(
                        request.payload, keyer=gate.keyer, trust=gate.trust, now=instant.utc
                    )
                outcome = gate.decide_and_record(
                    credential,
                    request.payload or None,
                    instant,
                    gate_mode=gate_mode,
                    declaration=declaration,
                )
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
