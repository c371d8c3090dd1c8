"""Benchmark of delivery (not a test): a long-offline kiosk's backlog, and server ingest.

    .venv/bin/python bench/sync.py [--backlog 100000] [--kiosks 50] [--per-kiosk 2000]

1. Backlog: a kiosk database with N undelivered events (bulk-filled) is delivered to the local
   reference server (`kiosk-central serve`, 127.0.0.1) by `kiosk sync --once` in a child
   process: wall time and the child's peak RSS. Targets (issue #4): 100,000 in <= 30 s, peak
   RSS <= 200 MB.
2. Ingest: K simulated kiosks (separate processes, each enrolled, each posting pre-built gzip
   batches of 500 in a loop) against one server: events stored per second. Target >= 2,000/s.

Everything talks to 127.0.0.1 only. The server and the clients share this machine's cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            str(BIN / "kiosk-central"),
            "serve",
            "--db",
            str(db),
            "--port",
            "0",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "serving" in line and "://" in line:
            url = line.split(" on ", 1)[1].strip()
            threading.Thread(target=lambda: [None for _ in proc.stdout or []], daemon=True).start()
            return proc, url
    raise SystemExit("server did not start")


def central(db: Path, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "kiosk-central"), *args, "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


_MEASURED_SYNC = """
import resource, sys
from kiosk.cli import main
code = main(["--data-dir", sys.argv[1], "--config", sys.argv[2], "sync", "--once"])
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def bench_backlog(workdir: Path, count: int) -> str:
    from kiosk.clock import SystemClock, to_iso
    from kiosk.config import Settings, save_settings
    from kiosk.gate import Gate
    from kiosk.sync.service import enroll

    db = workdir / "central.db"
    proc, url = start_server(db)
    try:
        data, config = workdir / "kiosk", workdir / "kiosk.toml"
        gate = Gate.open(data, Settings(), SystemClock())
        new, _ = enroll(
            data_dir=data,
            settings=gate.settings,
            url=url,
            code=central(db, "enrollment-code", "--checkpoint", "bench"),
            device_id=gate.store.device_id,
        )
        save_settings(new, config)
        conn = gate.store.db.conn
        now = time.time()
        rows = []
        for i in range(count):
            moment = to_iso(
                __import__("datetime").datetime.fromtimestamp(
                    now - (count - i) * 2, tz=__import__("datetime").UTC
                )
            )
            rows.append(
                (
                    str(uuid.uuid4()),
                    gate.store.device_id,
                    new.checkpoint_id,
                    f"id:{i % 20000:024x}",
                    "cccd",
                    "N. V. An",
                    1990,
                    "in" if i % 2 == 0 else "out",
                    "admit",
                    "entry" if i % 2 == 0 else "exit",
                    moment,
                    i * 10**9,
                    "boot-b",
                    1,
                )
            )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO events (event_id, device_id, checkpoint_id, person_key, kind, "
            "display_name, birth_year, direction, verdict, reason, device_time, mono_ns, "
            "boot_id, clock_synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("INSERT INTO outbox (seq, event_id) SELECT seq, event_id FROM events")
        conn.execute("COMMIT")
        gate.close()
        del rows
        started = time.perf_counter()
        # `kiosk sync --once` in a child that reports its own peak RSS (RUSAGE_SELF).
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED_SYNC, str(data), str(config)],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"sync failed: {done.stderr}")
        peak_mb = int(done.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0]) / 1024
        stored = json.loads(central(db, "stats"))["events"]
    finally:
        proc.terminate()
        proc.wait(15)
    return (
        f"| backlog delivery | {count:,} events | {elapsed:.1f} s "
        f"({count / elapsed:,.0f} events/s) | kiosk peak RSS {peak_mb:.0f} MB | "
        f"server stored {stored:,} |"
    )


def _kiosk_process(
    url: str,
    device_id: str,
    token: str,
    checkpoint: str,
    batches: int,
    start: multiprocessing.synchronize.Event,
    out: multiprocessing.Queue,
) -> None:
    session = requests.Session()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    bodies = []
    for b in range(batches):
        events = [
            {
                "event_id": str(uuid.uuid4()),
                "seq": b * 500 + i,
                "checkpoint_id": checkpoint,
                "person_key": f"id:{i:024x}",
                "kind": "cccd",
                "display_name": "N. V. An",
                "birth_year": 1990,
                "direction": "in",
                "verdict": "admit",
                "reason": "entry",
                "device_time": "2026-11-25T03:00:00.000000Z",
                "mono_ns": (b * 500 + i) * 10**9,
                "boot_id": "boot-b",
                "clock_synced": True,
                "problems": [],
            }
            for i in range(500)
        ]
        bodies.append(
            gzip.compress(
                json.dumps(
                    {
                        "device_id": device_id,
                        "boot_id": "boot-b",
                        "sent_at": "2026-11-25T03:00:00Z",
                        "sent_mono_ns": 10**15,
                        "events": events,
                    }
                ).encode()
            )
        )
    start.wait()
    stored = 0
    for body in bodies:
        response = session.post(
            f"{url}/api/v1/events", data=body, headers=headers, timeout=(5, 120)
        )
        response.raise_for_status()
        stored += sum(1 for r in response.json()["results"] if r["status"] == "stored")
    out.put(stored)


def bench_ingest(workdir: Path, kiosks: int, per_kiosk: int) -> str:
    db = workdir / "ingest.db"
    proc, url = start_server(db)
    try:
        devices = []
        for k in range(kiosks):
            code = central(db, "enrollment-code", "--checkpoint", f"cp-{k % 10}")
            answer = requests.post(
                f"{url}/api/v1/enroll",
                json={"code": code, "device_id": f"bench-{k}", "device_name": ""},
                timeout=30,
            ).json()
            devices.append(
                (answer["device_id"], answer["device_token"], answer["checkpoint"]["id"])
            )
        start = multiprocessing.Event()
        out: multiprocessing.Queue = multiprocessing.Queue()
        batches = max(1, per_kiosk // 500)
        workers = [
            multiprocessing.Process(target=_kiosk_process, args=(url, d, t, c, batches, start, out))
            for d, t, c in devices
        ]
        for w in workers:
            w.start()
        time.sleep(3)  # let every process build its bodies before the clock starts
        began = time.perf_counter()
        start.set()
        stored = sum(out.get(timeout=600) for _ in workers)
        elapsed = time.perf_counter() - began
        for w in workers:
            w.join(30)
    finally:
        proc.terminate()
        proc.wait(15)
    return (
        f"| server ingest | {kiosks} kiosks x {batches * 500:,} events | {elapsed:.1f} s | "
        f"**{stored / elapsed:,.0f} events/s** stored | {stored:,} stored |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--per-kiosk", type=int, default=2000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sync-bench-", dir=ROOT / "bench"))
    os.environ["PYTHONUTF8"] = "1"
    try:
        print("| benchmark | size | time | rate / memory | check |\n|---|---|---|---|---|")
        print(bench_backlog(workdir, args.backlog), flush=True)
        print(bench_ingest(workdir, args.kiosks, args.per_kiosk), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
