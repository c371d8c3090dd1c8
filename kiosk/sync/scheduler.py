"""When to sync: an APScheduler 3 BackgroundScheduler job with adaptive interval and backoff.

- After a success: again in `backlog_interval_s` while records are waiting, else `interval_s`.
- After a failure: exponential backoff with full jitter, from `backoff_base_s` up to
  `backoff_cap_s`; after a 429 at least its Retry-After.
- While backing off, a cheap reachability probe (a TCP connect to the server, every
  `probe_interval_s`) notices the network coming back and triggers an attempt at once.
- `trigger_now()` asks for an immediate round (e.g. after enrollment); `shutdown()` makes one
  last attempt bounded in time, then stops the scheduler.

Thread contract: start/trigger_now/shutdown may be called from any thread. The round itself runs
on the scheduler's worker thread (max_instances=1, coalesce: never two rounds at once).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import socket
import threading
import urllib.parse
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from kiosk.sync.client import AuthError, RateLimited, SyncError
from kiosk.sync.service import SyncReport, SyncService

log = logging.getLogger(__name__)

_JOB = "sync"
_PROBE = "sync-probe"


def _reachable(url: str, timeout: float = 2.0) -> bool:
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


class SyncScheduler:
    def __init__(
        self,
        service: SyncService,
        *,
        interval_s: float = 60,
        backlog_interval_s: float = 15,
        backoff_base_s: float = 5,
        backoff_cap_s: float = 600,
        probe_interval_s: float = 10,
        server_url: Callable[[], str] = lambda: "",
        on_round: Callable[[SyncReport | SyncError], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.service = service
        self.interval_s = interval_s
        self.backlog_interval_s = backlog_interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.probe_interval_s = probe_interval_s
        self._server_url = server_url
        self._on_round = on_round
        self._rng = rng or random.Random()
        self._failures = 0
        # Guards scheduling; `_stopping` (set under it) stops a round in progress from
        # scheduling the next one while shutdown waits for it.
        self._lock = threading.Lock()
        self._stopping = False
        self._scheduler = BackgroundScheduler(timezone=dt.UTC)

    @property
    def failures(self) -> int:
        return self._failures

    def start(self, *, delay_s: float = 0) -> None:
        self._scheduler.start()
        self._schedule(delay_s)

    def _schedule(self, delay_s: float) -> None:
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay_s)
        self._scheduler.add_job(
            self._round,
            "date",
            run_date=when,
            id=_JOB,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    def next_delay(self, outcome: SyncReport | SyncError) -> float:
        """Seconds until the next round after this outcome (and counts failures)."""
        if isinstance(outcome, SyncReport):
            self._failures = 0
            return self.backlog_interval_s if outcome.remaining else self.interval_s
        self._failures += 1
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** (self._failures - 1))
        delay = self._rng.uniform(ceiling / 2, ceiling)  # jitter: kiosks do not stampede
        if isinstance(outcome, RateLimited):
            delay = max(delay, outcome.retry_after)
        if isinstance(outcome, AuthError):
            # Nothing will change until someone re-enrolls; keep checking now and then.
            delay = self.backoff_cap_s
        return delay

    def _round(self) -> None:
        outcome: SyncReport | SyncError
        try:
            outcome = self.service.run_once()
        except SyncError as exc:
            outcome = exc
        except Exception as exc:  # a bug must not stop syncing for good: log it, back off
            log.exception("sync round crashed")
            outcome = SyncError(f"internal error: {type(exc).__name__}")
        delay = self.next_delay(outcome)
        with self._lock:
            if self._scheduler.running and not self._stopping:
                self._schedule(delay)
                self._set_probe(isinstance(outcome, SyncError) and delay > self.probe_interval_s)
        if self._on_round:
            self._on_round(outcome)

    def _set_probe(self, on: bool) -> None:
        if on and self._server_url():
            self._scheduler.add_job(
                self._probe,
                "interval",
                seconds=self.probe_interval_s,
                id=_PROBE,
                replace_existing=True,
                max_instances=1,
                coalesce=True,
            )
        elif self._scheduler.get_job(_PROBE):
            self._scheduler.remove_job(_PROBE)

    def _probe(self) -> None:
        if _reachable(self._server_url()):
            log.info("server reachable again: syncing now")
            self.trigger_now()

    def trigger_now(self) -> None:
        with self._lock:
            if self._scheduler.running and not self._stopping:
                if self._scheduler.get_job(_PROBE):
                    self._scheduler.remove_job(_PROBE)
                self._schedule(0)

    def shutdown(self, *, final_attempt: bool = True) -> SyncReport | SyncError | None:
        """Stop scheduling; with final_attempt, run one last round on the calling thread (its
        network timeouts bound it) so that records made just before closing are sent.

        A round in progress finishes first (without scheduling another). The lock is not held
        while waiting for it: the round takes the lock to reschedule, and waiting for it with
        the lock held would never end (the kiosk would hang on quit)."""
        with self._lock:
            self._stopping = True
            running = self._scheduler.running
        if running:
            self._scheduler.shutdown(wait=True)
        if not final_attempt:
            return None
        try:
            return self.service.run_once()
        except SyncError as exc:
            return exc
