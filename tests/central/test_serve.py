"""`kiosk-central serve --workers N` (issue #11): N processes on one PostgreSQL database, each
with its own app and pool, exactly once across them, a dead worker replaced; on SQLite one
process, and the server says why."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from central.storage import Storage
from tests.central.test_cli import run
from tests.central.test_live import (
    TIMEOUT,
    Server,
    enroll,
    envelope,
    event,
    post,
    results,
    start_server,
)


def worker_pids(server: Server) -> list[int]:
    """The server's worker processes (uvicorn spawns them: `multiprocessing.spawn`)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            found.append(child)
    return sorted(found)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_for_workers(
    server: Server, count: int, gone: int | None = None, timeout: float = 30
) -> list[int]:
    """The worker pids once there are `count` of them (without `gone`) and the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = worker_pids(server)
        if (
            len(pids) == count
            and gone not in pids
            and all(
                requests.get(server.url + "/", timeout=TIMEOUT).status_code == 200 for _ in range(2)
            )
        ):
            return pids
        time.sleep(0.2)
    pytest.fail(f"not {count} workers: {worker_pids(server)}\n{server.log_text()}")


def test_two_workers_share_one_postgresql_database(postgres_url: str) -> None:
    with start_server(postgres_url, "--workers", "2") as server:
        assert "with 2 workers on http://127.0.0.1:" in server.log_text()
        pids = wait_for_workers(server, 2)
        ticks = {pid: cpu_ticks(pid) for pid in pids}
        devices = [enroll(server, postgres_url, f"Gate {k}", f"dev-{k}") for k in range(4)]
        batches = {
            d["device_id"]: envelope(
                d, [event(d["checkpoint"]["id"], seq=i, person_key=f"pk-{i}") for i in range(100)]
            )
            for d in devices
        }
        barrier = threading.Barrier(40)

        def upload(n: int) -> list[str]:
            device = devices[n % len(devices)]
            barrier.wait(30)
            # Ten copies of each device's batch at once, spread over both processes.
            return [s for s, _ in results(post(server, device, batches[device["device_id"]]))]

        with ThreadPoolExecutor(max_workers=40) as pool:
            answers = list(pool.map(upload, range(40)))
        for k in range(len(devices)):
            mine = answers[k :: len(devices)]
            for i in range(100):
                column = [a[i] for a in mine]
                assert (column.count("stored"), column.count("duplicate")) == (1, 9)
        with Storage.open(postgres_url, create=False) as storage:
            stored = [e.event.event_id for e in storage.events()]
        assert len(stored) == len(set(stored)) == 400
        # Both processes served (each used CPU for requests, not only its start-up).
        assert all(cpu_ticks(pid) > ticks[pid] for pid in pids), (ticks, pids)

        # A worker killed outright is replaced; the server goes on answering.
        os.kill(pids[0], signal.SIGKILL)
        replaced = wait_for_workers(server, 2, gone=pids[0])
        assert pids[1] in replaced
        device = devices[0]
        later = envelope(device, [event(device["checkpoint"]["id"], seq=1000)])
        assert results(post(server, device, later)) == [("stored", None)]


def test_workers_on_sqlite_stay_one_and_the_server_says_why(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    with start_server(db, "--workers", "3") as server:
        assert requests.get(server.url + "/", timeout=TIMEOUT).status_code == 200
        assert worker_pids(server) == []
        text = server.log_text()
    assert "--workers 3: one process on SQLite" in text
    assert "one connection write at a time" in text
    assert " with 3 workers" not in text


def test_workers_must_be_one_or_more(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "c.db"), "--workers", "0")
    assert code == 2 and "--workers must be at least 1" in err
