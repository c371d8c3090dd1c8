"""The screen's one off-thread helper (kiosk.ui.tasks.Tasks): the work runs elsewhere, exactly
one outcome comes back, on the GUI thread, after the call that asked has returned."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, Future
from typing import Any

import pytest

from kiosk.ui.tasks import Tasks
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def tasks(qtbot: Any) -> Any:
    helper = Tasks()
    yield helper
    helper.shutdown()


def test_the_work_runs_elsewhere_and_its_result_comes_back_on_the_gui_thread(
    tasks: Tasks, qtbot: Any
) -> None:
    gui = threading.current_thread()
    seen: list[tuple[str, object, threading.Thread]] = []
    for how in ("run", "run_in_thread"):
        where: list[threading.Thread] = []

        def work(where: list[threading.Thread] = where) -> int:
            where.append(threading.current_thread())
            return 42

        def ok(value: int, how: str = how) -> None:
            seen.append((how, value, threading.current_thread()))

        if how == "run":
            tasks.run(work, ok, pytest.fail)
        else:
            tasks.run_in_thread(work, ok, pytest.fail, name="test-task")
        qtbot.waitUntil(lambda where=where: bool(where), timeout=WAIT_MS)
        assert where[0] is not gui
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=WAIT_MS)
    assert [(h, v) for h, v, _ in seen] == [("run", 42), ("run_in_thread", 42)]
    assert all(thread is gui for _, _, thread in seen)


def test_an_outcome_never_arrives_inside_the_call_that_asked(tasks: Tasks, qtbot: Any) -> None:
    done: Future[str] = Future()
    done.set_result("already")  # finished before it is watched
    got: list[str] = []
    tasks.watch(done, got.append, pytest.fail)
    assert got == []  # not yet: the caller finishes first
    qtbot.waitUntil(lambda: got == ["already"], timeout=WAIT_MS)


def test_a_failure_or_a_cancellation_is_the_one_error_outcome(tasks: Tasks, qtbot: Any) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise OSError(28, "No space left on device")

    tasks.run(boom, lambda _: pytest.fail("no result expected"), errors.append)
    cancelled: Future[None] = Future()
    cancelled.cancel()
    tasks.watch(cancelled, lambda _: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=WAIT_MS)
    assert {type(e) for e in errors} == {OSError, CancelledError}
    qtbot.wait(50)  # and nothing more arrives
    assert len(errors) == 2 and tasks.pending == 0


def test_nothing_arrives_after_shutdown(tasks: Tasks, qtbot: Any) -> None:
    release = threading.Event()
    got: list[object] = []
    tasks.run_in_thread(release.wait, got.append, got.append, name="test-slow")
    tasks.shutdown()  # the screen closes while the work still runs
    release.set()
    qtbot.wait(100)
    assert got == []
