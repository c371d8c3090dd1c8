"""When the kiosk syncs: intervals, backoff with jitter, Retry-After, immediate rounds."""

from __future__ import annotations

import random
import threading
from typing import Any, cast

from kiosk.sync.client import AuthError, RateLimited, TransientError
from kiosk.sync.scheduler import SyncScheduler
from kiosk.sync.service import SyncReport, SyncService


class CountingService:
    """Stands in for SyncService at the scheduler's edge: the scheduler only calls run_once."""

    def __init__(self, outcomes: list[SyncReport | Exception]) -> None:
        self.outcomes = outcomes
        self.calls = 0
        self.called = threading.Event()

    def run_once(self) -> SyncReport:
        self.calls += 1
        self.called.set()
        outcome = self.outcomes[min(self.calls - 1, len(self.outcomes) - 1)]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def scheduler(service: Any = None, **kwargs: Any) -> SyncScheduler:
    return SyncScheduler(
        cast(SyncService, service or CountingService([SyncReport()])),
        interval_s=60,
        backlog_interval_s=15,
        backoff_base_s=5,
        backoff_cap_s=600,
        rng=random.Random(4),
        **kwargs,
    )


def test_interval_depends_on_the_backlog() -> None:
    s = scheduler()
    assert s.next_delay(SyncReport(remaining=0)) == 60
    assert s.next_delay(SyncReport(remaining=12)) == 15


def test_backoff_grows_with_jitter_up_to_the_cap_and_resets_on_success() -> None:
    s = scheduler()
    delays = [s.next_delay(TransientError("down")) for _ in range(12)]
    for failures, delay in enumerate(delays, start=1):
        ceiling = min(600, 5 * 2 ** (failures - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 600 and delays[-1] >= 300
    assert len(set(delays)) == len(delays)  # jittered: kiosks do not retry in lockstep
    assert s.next_delay(SyncReport()) == 60 and s.failures == 0
    assert s.next_delay(TransientError("down")) <= 5


def test_retry_after_is_honoured_and_auth_failures_wait_long() -> None:
    s = scheduler()
    assert s.next_delay(RateLimited("slow down", retry_after=120)) >= 120
    assert s.next_delay(AuthError("revoked")) == 600


def test_rounds_run_in_the_background_and_on_demand() -> None:
    service = CountingService([SyncReport(), SyncReport()])
    rounds: list[object] = []
    done = threading.Event()

    def on_round(outcome: object) -> None:
        rounds.append(outcome)
        if len(rounds) == 2:
            done.set()

    s = scheduler(service, on_round=on_round)
    s.start(delay_s=0)
    assert service.called.wait(10)
    s.trigger_now()  # e.g. right after enrollment: does not wait the 60 s interval
    assert done.wait(10)
    assert service.calls >= 2
    final = s.shutdown(final_attempt=True)
    assert isinstance(final, SyncReport) and service.calls >= 3


def test_a_crashing_round_does_not_stop_syncing() -> None:
    service = CountingService([ValueError("bug"), SyncReport()])
    outcomes: list[object] = []
    done = threading.Event()

    def on_round(outcome: object) -> None:
        outcomes.append(outcome)
        done.set()

    s = scheduler(service, on_round=on_round)
    s.start()
    assert done.wait(10)
    assert s.failures == 1 and "internal error" in str(outcomes[0])
    s.shutdown(final_attempt=False)


def test_network_coming_back_triggers_a_round_without_waiting_for_the_backoff() -> None:
    """While backing off, a TCP probe notices the server is reachable and syncs at once."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    service = CountingService([TransientError("network down"), SyncReport()])
    second = threading.Event()

    def on_round(outcome: object) -> None:
        if service.calls >= 2:
            second.set()

    s = SyncScheduler(
        cast(SyncService, service),
        backoff_base_s=3600,  # the backoff alone would wait at least half an hour
        backoff_cap_s=3600,
        probe_interval_s=0.2,
        server_url=lambda: f"http://127.0.0.1:{port}",
        on_round=on_round,
        rng=random.Random(1),
    )
    try:
        s.start()
        assert second.wait(15), "the probe did not trigger a round"
        assert service.calls == 2 and s.failures == 0
    finally:
        s.shutdown(final_attempt=False)
        listener.close()


class BlockingService:
    """A round that goes on until the test lets it finish."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.finish = threading.Event()
        self.calls = 0

    def run_once(self) -> SyncReport:
        self.calls += 1
        self.started.set()
        self.finish.wait(10)
        return SyncReport()


def test_shutdown_during_a_round_waits_for_it_and_never_hangs() -> None:
    """The kiosk quits while a round is under way: shutdown waits for that round, which then
    schedules nothing more; quitting must not hang (it used to wait for the round while
    holding the lock the round needs to finish)."""
    service = BlockingService()
    s = scheduler(service)
    s.start(delay_s=0)
    assert service.started.wait(10)
    stopped = threading.Event()
    stopper = threading.Thread(
        target=lambda: (s.shutdown(final_attempt=False), stopped.set()), daemon=True
    )
    stopper.start()
    assert not stopped.wait(0.2)  # waits for the round in progress
    service.finish.set()
    assert stopped.wait(10), "shutdown hung behind the round in progress"
    assert service.calls == 1
