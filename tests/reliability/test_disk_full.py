"""A full disk (../shared/RELIABILITY.md, "disk full"): no crash, 0 false "recorded",
integrity ok, scans record again once space returns, and a low-space warning first.

The data directory is a real 4 MB tmpfs (tests/reliability/tmpfs.py; needs root, else skipped),
filled with a filler file until about 1.6 MB is left; made-up people then scan through the real
Gate and SQLite until the disk refuses. `Gate.idle` runs every few scans, as the app's gate
thread runs it between scans (every 2 s), and measures the free space each time here (the kiosk:
at most every 10 s). The warning threshold is 1 MB here (the kiosk: 100 MB).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.config import Settings, save_settings
from kiosk.datadir import DB_FILE_NAME
from kiosk.gate import Gate
from kiosk.store import RecordError, StorageFull, Store
from tests.conftest import AUTHORITY, START
from tests.reliability.driver import payload
from tests.reliability.tmpfs import fill, tmpfs

pytestmark = pytest.mark.timeout(300)

LOW_SPACE = 1_000_000  # the warning threshold for this 4 MB disk
ROOM = 1_600_000  # free space left beside the filler
IDLE_EVERY = 5  # scans between two Gate.idle calls
MAX_SCANS = 2_000  # a bound: the disk is full long before (about 60 scans)


def open_gate(data: Path, clock: FakeClock) -> Gate:
    gate = Gate.open(data, Settings(duplicate_window_s=1), clock)
    gate.low_space_bytes = LOW_SPACE
    gate.storage_check_every_s = 0  # every idle call measures
    return gate


def test_a_full_disk_refuses_scans_after_a_warning_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk")
    data = tmp_path / "data"
    with tmpfs(data, "4m"):
        clock = FakeClock(START)
        gate = open_gate(data, clock)
        try:
            free_at_start = fill(data / "filler", leave=ROOM)
            rng = random.Random(6)
            acknowledged: list[str] = []  # every scan whose outcome said "recorded"
            levels: list[str] = []  # the storage level the screen had after each step
            refused = 0
            started = time.monotonic()
            warned_after: tuple[int, float] | None = None  # (scans recorded, seconds)
            for person in range(MAX_SCANS):
                clock.advance(2)
                try:
                    outcome = gate.scan(payload(person, rng))
                except StorageFull:
                    refused += 1
                    levels.append(gate.storage.level)
                    if refused == 5:
                        break
                    continue
                except RecordError as exc:  # any other refusal is not what this test sets up
                    pytest.fail(f"scan refused for another reason than a full disk: {exc}")
                assert outcome.event_id is not None  # a new person each time: never a duplicate
                acknowledged.append(outcome.event_id)
                if person % IDLE_EVERY == IDLE_EVERY - 1:
                    gate.idle()  # never raises for a full disk: it says so in gate.storage
                levels.append(gate.storage.level)
                if warned_after is None and gate.storage.low:
                    warned_after = (len(acknowledged), time.monotonic() - started)
            assert refused == 5, f"the disk never filled: {len(acknowledged)} scans recorded"

            # The warning came while scans were still recorded, before anything was refused.
            assert "low" in levels and "full" in levels
            assert levels.index("low") < levels.index("full")
            assert warned_after is not None
            messages = [r.getMessage() for r in caplog.records]
            low_log = next(i for i, m in enumerate(messages) if m.startswith("low storage"))
            full_log = next(i for i, m in enumerate(messages) if m.startswith("storage full"))
            assert low_log < full_log
            assert gate.storage.full
            assert gate.store.integrity_ok()

            # Space returns (the site manager deleted something): the next scan records, and
            # the status is back to normal at the next idle, without a restart.
            (data / "filler").unlink()
            clock.advance(2)
            again = gate.scan(payload(MAX_SCANS, rng))
            assert again.event_id is not None
            acknowledged.append(again.event_id)
            assert not gate.storage.full
            gate.idle()
            assert gate.storage.level == "ok"
        finally:
            gate.close()

        # After reopening: every acknowledged scan is there, once; nothing refused left a row.
        with Store.open(data / DB_FILE_NAME) as store:
            stored = [e.event_id for e in store.events()]
            assert store.integrity_ok()
            assert store.outbox_count() == len(stored)  # no half-written transaction
        assert sorted(stored) == sorted(acknowledged)
        recorded_before_full = levels.index("full")
        print(
            f"\ndisk full: {free_at_start / 1e6:.2f} MB free at start, warning after "
            f"{warned_after[0]} scans ({warned_after[1]:.2f} s), first refusal after "
            f"{len(acknowledged) - 1} recorded; {refused} refused; 0 false 'recorded' "
            f"({len(stored)} acknowledged = {len(stored)} stored); steps to full "
            f"{recorded_before_full}"
        )


def test_kiosk_scan_on_a_full_disk_says_not_recorded(tmp_path: Path) -> None:
    """`kiosk scan` as the disk fills: each run records (exit 0, a verdict) until one is refused
    (exit 4, "NOT RECORDED", the disk named, no verdict, no traceback). Each run's close copies
    the WAL into the database; the close that finds no room leaves the WAL (with its commits)
    behind, and the next run cannot even open the database: a full disk too, said as such (not
    "database unusable"). Once space returns the next run records, and every run that printed
    a verdict is in the database."""
    data = tmp_path / "data"
    with tmpfs(data, "4m"):
        open_gate(data, FakeClock(START)).close()  # the database exists
        # Room to open the database (its -shm file takes 32 KB) and for a scan's WAL (~60 KB);
        # each run's close copies the WAL into the database and deletes it, so a run takes
        # only its row's share of a page: a few runs record, then the WAL no longer fits.
        fill(data / "filler", leave=110_000)
        # Installed with the health authority's key: each scan carries its sealed box.
        config = tmp_path / "kiosk.toml"
        save_settings(Settings(authority_public_key=AUTHORITY.public.to_text()), config)
        where = ["--data-dir", str(data), "--config", str(config)]
        env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        rng = random.Random(4)

        def scan(person: int) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "kiosk", "scan", str(payload(person * 20 + 9, rng))]
            return subprocess.run(
                [*command, *where], capture_output=True, text=True, env=env, timeout=60
            )

        verdicts = 0
        for person in range(15):
            run = scan(person)
            if run.returncode != 0:
                break
            assert run.stdout.strip().startswith("{")
            verdicts += 1
        assert run.returncode == 4, (verdicts, run.returncode, run.stderr)
        assert "NOT RECORDED" in run.stderr
        assert "full" in run.stderr
        assert "Traceback" not in run.stderr
        assert run.stdout == ""  # no verdict printed

        (data / "filler").unlink()
        again = scan(99)
        assert again.returncode == 0, again.stderr
        with contextlib.closing(sqlite3.connect(data / DB_FILE_NAME)) as conn:
            assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == verdicts + 1
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        print(f"\nkiosk scan: {verdicts} runs recorded before the disk refused one (exit 4)")
