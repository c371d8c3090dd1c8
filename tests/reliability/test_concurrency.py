"""Scanning, uploading, purging and a long reader at once (../shared/RELIABILITY.md: "concurrency":
0 "database is locked" shown, scan commit p99 < 100 ms, WAL bounded).

The threads are the app's (docs/architecture.md, kiosk/ui/app.py): the real `GateRunner` owns the
Gate and its SQLite connection on its single gate thread, and runs the idle work there on its
own Qt timer (auto-checkout, the daily retention purge, the WAL checkpoint); scans are submitted
to it from a camera-like thread; the real `SyncScheduler` runs `SyncService` rounds on
APScheduler's thread against the real reference server, their store access going through
`GateRunner.run_store` (the sync has no connection of its own: one writer, one connection).
Other processes read the file as they may (WAL): a reader that holds one read transaction for
seconds at a time (a report tool, a careless `sqlite3` session), and the product's own
`kiosk export` command.

Time runs fast for the kiosk (`FastClock`: one simulated day every 3 real seconds, both clocks
together, so no jump is ever seen): the nightly auto-checkout and the once-a-day purge of
delivered events older than the retention (1 day, server-managed) happen many times during the
run, while scans and uploads go on.

The run has three phases: no reader, the long reader (and one export), no reader again.
Pass: no scan refused and no error anywhere mentioning "database is locked"; every acknowledged
scan reaches the server; p99 of capture-to-commit < 100 ms (the time from the camera thread
handing the code over until the gate thread has committed it, queueing behind uploads' marks,
purges and checkpoints included); the WAL stays under 16 MB without a reader, under 64 MB with
one, does not grow once the reader is gone, and is fully checkpointed at the end.

Short form (CI): 12 s of scanning at 25 scans/s, one 6 s read transaction. Full form: 3 minutes,
read transactions of 20 s with 3 s pauses for a minute.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.clock import Instant
from kiosk.config import settings_with
from kiosk.formats import parse
from kiosk.gate import Gate
from kiosk.store import PurgeResult
from kiosk.sync.client import SyncError
from kiosk.sync.scheduler import SyncScheduler
from kiosk.sync.service import SyncReport, SyncService
from kiosk.ui.runner import GateRunner, ScanDone, ScanNotRecorded, ScanRequest
from tests.central.test_live import Server, run_cli
from tests.reliability.conftest import scale
from tests.test_sync import Kiosk, central_events, personal

START = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
SPEED = 86_400 / 3  # simulated seconds per real second
QUIET_S = scale(3.0, 60.0)  # before and after the reader
READER_S = scale(6.0, 60.0)  # > one simulated day + one idle period: a purge falls inside
READER_HOLD_S = scale(6.0, 20.0)  # one read transaction held this long, then a 3 s pause
SCANS_PER_S = 25
# A pool: the same people come in and go out again. Each person's key is derived once before
# the measurement (the kiosk's session memory, kiosk.credentials.PersonKeyer): a memory-hard
# derivation takes ~40 ms (issue #13), so 25 people never seen before every second is more
# than one core can key; this test is about the store under concurrency, at a returning
# crowd's rate. bench/gate.py measures first-time visitors' code-to-verdict latency.
PEOPLE = 150
P99_LIMIT_MS = 100
WAL_NO_READER_MB = 16
WAL_WITH_READER_MB = 64

LONG_READER = """
import sqlite3, sys, time
db, hold, until = sys.argv[1], float(sys.argv[2]), time.monotonic() + float(sys.argv[3])
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None, timeout=5)
rounds = 0
while True:
    conn.execute("BEGIN")
    seen = conn.execute("SELECT count(*), max(seq) FROM events").fetchone()
    time.sleep(min(hold, until - time.monotonic()))  # the snapshot stays open meanwhile
    conn.execute("SELECT count(*) FROM events").fetchone()
    conn.execute("COMMIT")
    rounds += 1
    if time.monotonic() + 3 >= until:
        break
    time.sleep(3)  # a pause longer than the idle period: the checkpoint can catch up
print(f"{rounds} read transactions of up to {hold:.0f} s; the first saw {seen[0]} events")
"""


class FastClock:
    """Both clocks running SPEED times faster than real time (thread-safe: no state changes)."""

    def __init__(self, start: dt.datetime) -> None:
        self._start = start
        self._zero = time.monotonic_ns()

    def now(self) -> Instant:
        elapsed_ns = int((time.monotonic_ns() - self._zero) * SPEED)
        return Instant(
            self._start + dt.timedelta(microseconds=elapsed_ns // 1000),
            10**9 + elapsed_ns,
            "boot-fast",
            True,
        )


def mb(size: int) -> float:
    return round(size / 1024 / 1024, 1)


@pytest.mark.timeout(scale(120, 900))
def test_scans_uploads_purges_and_a_long_reader_at_once(
    tmp_path: Path, server: Server, db: Path, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clock = FastClock(START)
    setup = Kiosk(tmp_path, clock)
    setup.enroll(server, db, "Siêu thị Co.op Xa La")
    changed = run_cli(
        db,
        "checkpoint-settings",
        "--checkpoint",
        "Siêu thị Co.op Xa La",
        "retention_days=1",
        "retention_hard_days=60",
        "auto_checkout_time=03:00",
        "duplicate_window_s=10",
    )
    assert changed.returncode == 0, changed.stderr
    assert setup.service().run_once().config_changed
    settings = settings_with(setup.gate.settings, gate_mode="auto")
    assert settings.retention_days == 1 and settings.auto_checkout is not None
    setup.close()  # enrollment replaced the person-key secret: the app opens afresh

    runner = GateRunner(Gate.open(setup.data, settings, clock))

    def meet_everyone(gate: Gate) -> None:
        for i in range(PEOPLE):
            parse(personal(i), keyer=gate.keyer)

    runner.call(meet_everyone).result(timeout=600)
    done: list[ScanDone] = []
    latency_ms: list[float] = []
    refused: list[ScanNotRecorded] = []
    failures: list[str] = []

    def on_done(scan: ScanDone) -> None:  # on the gate thread, right after the commit
        latency_ms.append((time.monotonic_ns() - scan.request.received_ns) / 1e6)
        done.append(scan)

    direct = Qt.ConnectionType.DirectConnection
    runner.scanned.connect(on_done, direct)
    runner.not_recorded.connect(refused.append, direct)
    runner.failed.connect(failures.append, direct)

    service = SyncService(
        data_dir=setup.data,
        settings=lambda: settings,
        run_store=runner.run_store,
        clock=clock,
        on_trust_list=lambda trust: runner.call(lambda g: setattr(g, "trust", trust)),
        on_status_list=lambda: runner.call(lambda g: g.refresh_status_list_info()),
    )
    rounds: list[SyncReport | SyncError] = []
    scheduler = SyncScheduler(
        service,
        interval_s=0.5,
        backlog_interval_s=0.2,
        backoff_base_s=0.2,
        backoff_cap_s=1.0,
        server_url=lambda: settings.server_url,
        on_round=rounds.append,
    )

    phase = ["quiet"]
    wal = setup.data / "kiosk.db-wal"
    wal_max: dict[str, int] = {}
    stop = threading.Event()
    submitted = [0]

    def camera() -> None:
        rng = random.Random(7)
        interval = 1 / SCANS_PER_S
        deadline = time.monotonic()
        while not stop.is_set():
            payload = personal(rng.randrange(PEOPLE)).encode()
            runner.scan(ScanRequest(payload, "camera", time.monotonic_ns()))
            submitted[0] += 1
            deadline += interval
            stop.wait(max(0.0, deadline - time.monotonic()))

    def sample_wal() -> None:
        while not stop.is_set():
            size = wal.stat().st_size if wal.exists() else 0
            wal_max[phase[0]] = max(wal_max.get(phase[0], 0), size)
            stop.wait(0.05)

    # Each purge the idle work runs: the phase it started in, rows deleted, milliseconds taken.
    # Observed by wrapping the gate's own Store.purge (it still does all the work).
    purges: list[tuple[str, int, float]] = []

    def observe_purges(gate: Gate) -> None:
        purge = gate.store.purge

        def observed(instant: Instant, **limits: int) -> PurgeResult:
            began, at = time.perf_counter(), phase[0]
            result = purge(instant, **limits)
            took_ms = (time.perf_counter() - began) * 1000
            purges.append((at, result.deleted_delivered + result.deleted_undelivered, took_ms))
            return result

        gate.store.purge = observed  # type: ignore[method-assign]

    runner.call(observe_purges).result(10)
    threads = [threading.Thread(target=camera), threading.Thread(target=sample_wal)]
    env = {**os.environ, "PYTHONUTF8": "1"}
    reader: subprocess.Popen[str] | None = None
    export: subprocess.Popen[str] | None = None
    started = time.monotonic()
    try:
        runner.start()
        scheduler.start()
        for thread in threads:
            thread.start()
        qtbot.wait(int(QUIET_S * 1000))  # the Qt loop runs meanwhile: the idle timer fires

        phase[0] = "reader"
        reader = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LONG_READER,
                str(setup.data / "kiosk.db"),
                str(READER_HOLD_S),
                str(READER_S),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        export = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "kiosk"),
                "--data-dir",
                str(setup.data),
                "--config",
                str(setup.config),
                "export",
                "--from",
                "2026-11-01",
                "--to",
                "2027-12-31",
                "--out",
                str(tmp_path / "export.csv"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        qtbot.waitUntil(
            lambda: reader is not None and reader.poll() is not None,
            timeout=int((READER_S + 30) * 1000),
        )
        phase[0] = "after"
        qtbot.wait(int(QUIET_S * 1000))
        stop.set()
        for thread in threads:
            thread.join(10)
        qtbot.waitUntil(lambda: len(done) + len(refused) == submitted[0], timeout=30_000)
    finally:
        stop.set()
        scheduler.shutdown()
        for process in (reader, export):
            if process is not None and process.poll() is None:
                process.kill()
    ran_s = time.monotonic() - started

    # Deliver what is left (the scheduler stopped), then check the file at rest.
    for _ in range(20):
        if service.run_once().remaining == 0:
            break
    frames_left = runner.call(lambda g: g.store.checkpoint()).result(30)
    local_left = runner.run_store(lambda s: len(list(s.events())))
    runner.shutdown()

    assert reader is not None and export is not None
    reader_out, reader_err = reader.communicate(timeout=10)
    assert reader.returncode == 0, reader_err
    export_err = export.communicate(timeout=60)[1]
    assert export.returncode == 0, export_err

    # 0 "database is locked" anywhere: not on the screen, not in a sync round, not in a log,
    # not in the other processes.
    texts = [r.getMessage() for r in caplog.records] + [reader_err, export_err]
    texts += [str(o) for o in rounds]
    locked = ("database is locked", "database busy", "sqlite_busy")
    assert not [t for t in texts if any(word in t.lower() for word in locked)]
    assert refused == [] and failures == []
    assert all(isinstance(o, SyncReport) for o in rounds), [
        o for o in rounds if not isinstance(o, SyncReport)
    ]

    # Nothing lost: every acknowledged scan is on the server (purged locally or not).
    acked = {d.outcome.event_id for d in done if d.outcome.event_id}
    on_server = {e["event_id"] for e in central_events(db)}
    assert acked <= on_server
    purged = sum(deleted for _, deleted, _ in purges)
    assert purged > 0, "the purge never deleted anything: the harness did not bite"
    assert [1 for at, deleted, _ in purges if at == "reader" and deleted], (
        "no purge deleted anything while the reader held its snapshot",
        purges,
    )
    assert local_left < len(on_server)

    # Latency: capture to commit, on the gate thread.
    ordered = sorted(latency_ms)
    p50 = statistics.median(ordered)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]

    # WAL: bounded without a reader, bounded with one, no growth after it left, all copied back.
    assert wal_max["quiet"] < WAL_NO_READER_MB * 1024 * 1024, wal_max
    assert wal_max["reader"] < WAL_WITH_READER_MB * 1024 * 1024, wal_max
    assert wal_max["after"] <= max(wal_max["reader"], WAL_NO_READER_MB * 1024 * 1024), wal_max
    assert frames_left == 0

    figures = {
        "ran_s": round(ran_s, 1),
        "scans_submitted": submitted[0],
        "scans_recorded": len(acked),
        "duplicates": len(done) - len(acked),
        "sync_rounds": len(rounds),
        "server_events": len(on_server),
        "purges": {
            at: {
                "count": sum(1 for a, d, _ in purges if a == at and d),
                "max_ms": round(max((ms for a, d, ms in purges if a == at and d), default=0)),
            }
            for at in ("quiet", "reader", "after")
        },
        "purged_events": purged,
        "reader": reader_out.strip(),
        "latency_ms": {"p50": round(p50, 1), "p99": round(p99, 1), "max": round(ordered[-1], 1)},
        "wal_max_mb": {k: mb(v) for k, v in wal_max.items()},
    }
    print("reliability.concurrency", json.dumps(figures))
    assert p99 < P99_LIMIT_MS, figures
