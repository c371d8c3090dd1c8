"""Benchmark of a sync round with signed documents (issue #13 B1): not a test.

    .venv/bin/python bench/signed_sync.py [--entries 200000]

The reference server (`kiosk-central serve`, 127.0.0.1, SQLite) set up as docs/central.md
says (a root made for the run delegates config and status lists to the server's online key,
signs its sealing key), a status list of N entries loaded; a kiosk pinned to that root,
enrolled, then `kiosk sync --once` in a child process, three times:

1. the first round: every document downloaded and checked (the whole status list signed by
   the server on request, then verified and stored by the kiosk);
2. a round after one person changed colour: a signed change batch of one entry;
3. a round with nothing new: every download answered 304.

Wall time of each `kiosk sync --once` (process start included, ~0.3 s of it Python's imports)
and the server's CPU time spent signing. Other work on the machine makes them upper bounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import cpu_seconds
from bench.sync import enrollment_codes, serving, set_up_authority
from central.storage import Storage
from checkpoint_common.protocol import StatusEntry


def kiosk(data: Path, config: Path, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "--config", str(config), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kiosk {' '.join(args)} failed: {done.stderr}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="signed-sync-") as tmp:
        root_dir = Path(tmp)
        db = str(root_dir / "central.db")
        root = set_up_authority(db)
        now = dt.datetime.now(dt.UTC)
        with Storage.open(db) as storage:
            storage.load_status_list(
                (StatusEntry(f"id:{i:024x}", "red") for i in range(args.entries)), now
            )
        data, config = root_dir / "kiosk", root_dir / "kiosk.toml"
        config.write_text(f'authority_signing_key = "{root}"\nsource = "demo"\n')
        with serving(db, 1) as server:
            code = enrollment_codes(db, 1)[0]
            kiosk(data, config, "enroll", server.url, code, "--no-sync")
            cpu = cpu_seconds(server.process.pid)
            first = kiosk(data, config, "sync", "--once")
            first_cpu = cpu_seconds(server.process.pid) - cpu
            with Storage.open(db) as storage:
                key = "id:" + "0" * 24
                storage.change_status_list({key: StatusEntry(key, "green")}, now)
            cpu = cpu_seconds(server.process.pid)
            batch = kiosk(data, config, "sync", "--once")
            batch_cpu = cpu_seconds(server.process.pid) - cpu
            steady = kiosk(data, config, "sync", "--once")
        rows = (
            (f"first round, status list of {args.entries:,}", first, f"{first_cpu:.2f} s"),
            ("one entry changed: a signed change batch", batch, f"{batch_cpu:.2f} s"),
            ("nothing new (every download 304)", steady, ""),
        )
        for what, seconds, server_cpu in rows:
            print(f"| {what} | {seconds:.2f} s | {server_cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
