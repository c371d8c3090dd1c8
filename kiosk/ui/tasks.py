"""Work off the GUI thread with exactly one outcome back on the GUI thread: the screen's one
helper for it (the pattern of Anki's QueryOp and Picard's run_task, ../shared/STYLE.md §2).

- `run(fn, on_ok, on_error)`: on a small pool of its own (slow hashing, writing a file to a
  USB stick);
- `run_in_thread(fn, on_ok, on_error, name=...)`: on a daemon thread of its own (network
  calls: a hung server must never keep the app from quitting);
- `watch(future, on_ok, on_error)`: any Future, e.g. `GateRunner.call`'s (work on the gate
  thread, which owns the database).

Thread contract: `fn` runs on another thread and must not touch widgets. Exactly one of
`on_ok(result)` or `on_error(exception)` then runs on the thread the Tasks object lives in (the
GUI thread), always after the call that scheduled it has returned (the outcome travels as a
queued signal: nothing is polled), and never after `shutdown`. A cancelled Future counts as a
failure (`concurrent.futures.CancelledError`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Outcome(Generic[T]):
    future: Future[T]
    on_ok: Callable[[T], None]
    on_error: Callable[[BaseException], None]


class Tasks(QObject):
    # Emitted on the worker's thread, delivered on this object's thread (queued).
    _finished = Signal(object)  # _Outcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tasks")
        self._pending = 0
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Outcomes not delivered yet."""
        return self._pending

    def run(
        self,
        fn: Callable[[], T],
        on_ok: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """`fn()` on the helper's own pool (two threads)."""
        self.watch(self._pool.submit(fn), on_ok, on_error)

    def run_in_thread(
        self,
        fn: Callable[[], T],
        on_ok: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        *,
        name: str,
    ) -> None:
        """`fn()` on a daemon thread named `name`: the app may quit while it still waits."""
        future: Future[T] = Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - not swallowed: on_error gets it
                future.set_exception(exc)

        self.watch(future, on_ok, on_error)
        threading.Thread(target=work, name=name, daemon=True).start()

    def watch(
        self,
        future: Future[T],
        on_ok: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Deliver `future`'s outcome to `on_ok` / `on_error` on this object's thread."""
        self._pending += 1
        outcome = _Outcome(future, on_ok, on_error)
        future.add_done_callback(lambda _done: self._post(outcome))

    def _post(self, outcome: _Outcome[Any]) -> None:
        """On the thread that finished the future (or this one, if it was done already)."""
        if self._closed:
            return
        try:
            self._finished.emit(outcome)
        except RuntimeError:
            # The Qt object is gone (its window was closed while the work ran): there is no
            # screen left to show the outcome on.
            log.info("an off-thread outcome arrived after its screen was closed: dropped")

    def _deliver(self, outcome: _Outcome[Any]) -> None:
        self._pending -= 1
        if self._closed:
            return
        future = outcome.future
        if future.cancelled():
            outcome.on_error(CancelledError())
            return
        error = future.exception()
        if error is not None:
            outcome.on_error(error)
        else:
            outcome.on_ok(future.result())

    def shutdown(self) -> None:
        """No outcome is delivered after this; queued pool work is cancelled, running work
        finishes on its own (its outcome is dropped)."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["Tasks"]
