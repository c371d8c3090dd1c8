"""Benchmark: what a person key costs the kiosk, and what it costs a thief (not a test).

    .venv/bin/python bench/person_keys.py [--seconds 60] [--workers 1]

1. The derivation (checkpoint_common.personkey: scrypt N=2**14, r=8, p=1, 16 MiB): median and
   p95 ms per key on one core; the pre-#13 HMAC and, when argon2-cffi is installed (the
   server's dependency), Argon2id at the same memory for comparison.
2. A stolen data folder: a real kiosk (Gate.open on a temporary data folder) records a CCCD
   scan; the "thief" then reads `person_key.secret` and `kiosk.db` from the folder and runs the
   project's own derivation over the CCCD numbers of a known province and birth year, for
   `--seconds` on `--workers` processes (1: one core), until the stored key is found or the
   time is up. Prints guesses per second per core and the extrapolated cost: one person with
   province and birth year known (2,000,000 candidates: the gender/century digit is one of two
   for a known birth year, then 6 digits), and every CCCD number (63 provinces x 4
   gender/century digits x 100 years x 1,000,000).
3. The same arithmetic for a Raspberry Pi 4 core: this machine's single-core `sysbench cpu`
   score (run here when sysbench is installed) against the Pi 4's published 1477.83 events/s
   (sysbench 1.0.20, leoncode.co.uk "Raspberry Pi CPU Benchmarks"). scrypt also depends on
   memory bandwidth, where a Pi 4 (LPDDR4) is further behind, so the ratio is a lower bound of
   the Pi's slowness: the Pi figures are lower bounds of the thief's cost.
4. The admin PIN (kiosk.pin, scrypt N=2**16): seconds per guess, and all 1,000,000 6-digit PINs.
5. Moving and forgetting keys in a kiosk database of `--events` events under pre-#13 keys
   (bench/store.py's fill): the first `legacy_keys_remain` check, `rekey` of one returning
   person, and the first `forget_keys` after the upgrade (every delivered event older than 14
   days), in ms.

The figures are upper bounds of speed on a shared machine (other work takes the CPU too): the
load average is printed with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checkpoint_common.personkey import (
    SCRYPT_N,
    SCRYPT_R,
    derive_person_key,
    legacy_person_key,
)

PI4_SYSBENCH = 1477.83  # events/s, one core, sysbench 1.0.20 cpu (leoncode.co.uk)
ONE_PERSON = 2 * 10**6
ALL_CCCD = 63 * 4 * 100 * 10**6
DAY_S = 86400.0
YEAR_S = 365.25 * DAY_S
VICTIM = "079199012345"  # province 079 (Hồ Chí Minh City), century/gender 1, born 1999
VICTIM_CODE = f"{VICTIM}||Trần Thị Bích Ngọc|15081999|Nữ|Số 12 Lê Lợi|20042021"


def timings(fn: object, n: int) -> tuple[float, float, float]:
    """(min, median, p95) ms of n calls: the minimum is the least disturbed by other work."""
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[0], statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def sysbench_score() -> float | None:
    if shutil.which("sysbench") is None:
        return None
    out = subprocess.run(
        ["sysbench", "cpu", "--threads=1", "--time=10", "run"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"events per second:\s*([0-9.]+)", out)
    return float(found.group(1)) if found else None


def stolen_folder(root: Path) -> Path:
    """A kiosk's data folder after one real scan of VICTIM (the kiosk's own code path)."""
    from kiosk.clock import SystemClock
    from kiosk.config import Settings
    from kiosk.gate import Gate

    data = root / "kiosk-data"
    gate = Gate.open(data, Settings(), SystemClock())
    try:
        gate.scan(VICTIM_CODE)
    finally:
        gate.close()
    return data


def _guess_range(args: tuple[bytes, str, int, int, float]) -> tuple[int, str | None]:
    """One worker of the thief: candidates start..end of the victim's province and year."""
    secret, target, start, end, deadline = args
    tried = 0
    for serial in range(start, end):
        if time.monotonic() >= deadline:
            break
        # Century/gender digit 1 (a woman born 1900-1999) then 2-digit year then 6 digits; the
        # other digit (0, a man) is the other half of the 2,000,000.
        number = f"079199{serial:06d}"
        tried += 1
        if derive_person_key(secret, "id", number) == target:
            return tried, number
    return tried, None


def attack(data: Path, seconds: float, workers: int) -> tuple[int, float, str | None]:
    """What a thief does with the folder: read the secret and the stored keys, then guess."""
    secret = (data / "person_key.secret").read_bytes()
    with sqlite3.connect(data / "kiosk.db") as conn:
        target = conn.execute("SELECT person_key FROM events LIMIT 1").fetchone()[0]
    deadline = time.monotonic() + seconds
    # Start the search where it finds nothing in the time given (the victim's serial is
    # 012345: a search from 0 would find it in minutes); the rate is what is measured.
    base = 500_000
    span = 10**6 // workers
    jobs = [(secret, target, base + i * span // 2, base + (i + 1) * span // 2, deadline)
            for i in range(workers)]  # fmt: skip
    started = time.monotonic()
    if workers == 1:
        results = [_guess_range(jobs[0])]
    else:
        with multiprocessing.Pool(workers) as pool:
            results = pool.map(_guess_range, jobs)
    elapsed = time.monotonic() - started
    found = next((r[1] for r in results if r[1]), None)
    return sum(r[0] for r in results), elapsed, found


def store_figures(count: int) -> None:
    if count <= 0:
        return
    import random

    from store import T0, fill  # bench/store.py (this folder is on sys.path)

    with tempfile.TemporaryDirectory() as tmp:
        store = fill(Path(tmp) / "kiosk.db", count)
        try:
            started = time.perf_counter()
            remain = store.legacy_keys_remain()
            check_ms = (time.perf_counter() - started) * 1000
            people = [
                r[0]
                for r in store.db.conn.execute(
                    "SELECT DISTINCT person_key FROM events WHERE person_key LIKE 'id:%'"
                )
            ]
            rng = random.Random(5)
            moved_ms, moved = [], 0
            for old in rng.sample(people, 50):
                started = time.perf_counter()
                moved += store.rekey(old, "id2:" + old[3:].ljust(32, "0"))
                moved_ms.append((time.perf_counter() - started) * 1000)
            moved_ms.sort()
            started = time.perf_counter()
            forgotten = store.forget_keys(T0 + dt.timedelta(days=10))
            forget_s = time.perf_counter() - started
        finally:
            store.close()
    print(f"{count} events under old keys: first legacy check {check_ms:.1f} ms ({remain}); "
          f"rekey of one returning person median {statistics.median(moved_ms):.1f} ms, "
          f"p95 {moved_ms[int(0.95 * 49)]:.1f} ms ({moved} events for 50 people); "
          f"first forget_keys {forget_s:.1f} s for {forgotten} events")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--events", type=int, default=200_000, help="0: skip part 5")
    args = parser.parse_args()
    secret = os.urandom(32)
    from machine import machine  # bench/machine.py (this folder is on sys.path)

    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {machine()}")
    print(f"scrypt N={SCRYPT_N} r={SCRYPT_R} p=1: {128 * SCRYPT_N * SCRYPT_R // 2**20} MiB a key")

    fast, med, p95 = timings(
        lambda i: derive_person_key(secret, "id", f"0791990{i:05d}"), args.samples
    )
    print(f"derive_person_key: min {fast:.1f} ms, median {med:.1f} ms, p95 {p95:.1f} ms "
          f"(one core); an idle core: {1000 / fast:.1f} keys/s")  # fmt: skip
    _, lmed, _ = timings(lambda i: legacy_person_key(secret, "id", f"0791990{i:05d}"), 2000)
    print(f"pre-#13 HMAC key: median {lmed * 1000:.1f} us ({1000 / lmed:,.0f} guesses/s)")
    try:
        from argon2.low_level import Type, hash_secret_raw

        _, amed, _ = timings(
            lambda i: hash_secret_raw(
                f"id:0791990{i:05d}".encode(), secret, time_cost=1, memory_cost=16384,
                parallelism=1, hash_len=16, type=Type.ID,
            ),
            args.samples,
        )  # fmt: skip
        print(f"Argon2id t=1, 16 MiB (comparison): median {amed:.1f} ms")
    except ImportError:
        print("Argon2id: argon2-cffi not installed here (the server's dependency)")

    with tempfile.TemporaryDirectory() as tmp:
        data = stolen_folder(Path(tmp))
        print(f"stolen folder: {sorted(p.name for p in data.iterdir())}")
        tried, elapsed, found = attack(data, args.seconds, args.workers)
    rate = tried / elapsed
    per_core = rate / args.workers
    print(f"attack: {tried} guesses in {elapsed:.1f} s on {args.workers} worker(s): "
          f"{rate:.1f} guesses/s, {per_core:.1f} per core; found: {found is not None}")  # fmt: skip
    one_here = ONE_PERSON / per_core
    all_here = ALL_CCCD / per_core
    print(f"this machine, one core: one person (province + birth year known) "
          f"{one_here / DAY_S:.2f} core-days; every CCCD number "
          f"{all_here / YEAR_S:.1f} core-years")  # fmt: skip
    idle = 1000 / fast
    print(f"at an idle core's rate ({idle:.1f}/s): one person {ONE_PERSON / idle / DAY_S:.2f} "
          f"core-days; every CCCD number {ALL_CCCD / idle / YEAR_S:.1f} core-years")  # fmt: skip
    score = sysbench_score()
    if score:
        ratio = score / PI4_SYSBENCH
        print(f"sysbench cpu, one core: here {score:.0f} events/s, Pi 4 {PI4_SYSBENCH} -> "
              f"a Pi 4 core is at least {ratio:.2f}x slower")  # fmt: skip
        print(f"Raspberry Pi 4 core (lower bounds, from the idle rate): {fast * ratio:.0f} ms a "
              f"key; one person {ONE_PERSON / idle * ratio / DAY_S:.2f} core-days; every CCCD "
              f"number {ALL_CCCD / idle * ratio / YEAR_S:.1f} core-years")  # fmt: skip
    else:
        print("sysbench not installed: no Pi 4 estimate (apt-get install sysbench)")

    store_figures(args.events)

    from kiosk.pin import hash_pin, verify_pin

    encoded = hash_pin("482915")
    pfast, pmed, _ = timings(lambda i: verify_pin(f"{i:06d}", encoded), 10)
    print(f"admin PIN guess (scrypt N=2**16, 64 MiB): min {pfast:.0f} ms, median {pmed:.0f} ms; "
          f"all 10^6 6-digit PINs {10**6 * pfast / 1000 / DAY_S:.1f} core-days here at the "
          f"idle rate")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
