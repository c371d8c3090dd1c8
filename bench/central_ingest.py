"""Benchmark of the central storage's ingest on both engines (not a test; milestone A of #11).

    .venv/bin/python bench/central_ingest.py [--devices 20] [--batches 10] [--batch 500]
                                             [--threads 4]

1. Storage.ingest, in this process, no HTTP: `--threads` threads, each a device posting batches
   of `--batch` new events (then the same batches again: all duplicates). SQLite (a file on
   disk, WAL, synchronous=FULL) and PostgreSQL (a throwaway cluster from tests/postgres.py
   with PostgreSQL's durable defaults: fsync and synchronous_commit on). Events stored per
   second, and the process's CPU seconds (the PostgreSQL server's CPU is not counted here).
2. The exactly-once design on PostgreSQL, raw (psycopg, one transaction per batch of 500):
   COPY of the events alone (no duplicate check: the floor), COPY of event_ids + events (what
   Storage does), and `INSERT … ON CONFLICT DO NOTHING RETURNING` into event_ids (the
   alternative that needs no lookup first) + COPY of events. Milliseconds per batch.

The clients and the servers share this machine's cores, and other work on it adds noise:
figures are upper bounds of the cost (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from central import tokens  # noqa: E402
from central.storage import Storage  # noqa: E402
from checkpoint_common.protocol import EventPayload, UploadRequest  # noqa: E402
from checkpoint_common.timefmt import to_iso  # noqa: E402
from tests.postgres import PostgresCluster, PostgresUnavailable  # noqa: E402

NOW = dt.datetime.now(dt.UTC)


def event(checkpoint_id: str, seq: int) -> EventPayload:
    return EventPayload.from_json(
        {
            "event_id": str(uuid.uuid4()),
            "seq": seq,
            "checkpoint_id": checkpoint_id,
            "person_key": f"pk-{seq % 5000:05d}",
            "kind": "cccd",
            "display_name": "N. V. An",
            "birth_year": 1990,
            "direction": "in" if seq % 2 else "out",
            "verdict": "admit",
            "reason": "entry",
            "device_time": to_iso(NOW - dt.timedelta(seconds=seq)),
            "mono_ns": 10**12 + seq * 10**9,
            "boot_id": "boot-1",
            "clock_synced": True,
            "problems": [],
            "seal_key": "k1",
            "sealed": "c2VhbGVkIGJveCBvZiBhYm91dCAyMDAgYnl0ZXMgLi4uLi4uLi4uLi4uLi4uLi4uLi4u",
        }
    )


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_ingest(target: Path | str, args: argparse.Namespace) -> dict[str, float]:
    with Storage.open(target) as storage:
        cp = storage.ensure_checkpoint("bench", NOW)
        uploads: dict[str, list[UploadRequest]] = {}
        for d in range(args.devices):
            device_id = f"dev-{d}"
            code = tokens.new_enrollment_code()
            storage.add_enrollment_code(
                cp.id, tokens.code_digest(code), now=NOW, expires_at=NOW + dt.timedelta(hours=1)
            )
            storage.enroll(
                tokens.code_digest(code),
                device_id=device_id,
                device_name="",
                token_sha256=tokens.token_digest(device_id),
                now=NOW,
            )
            uploads[device_id] = [
                UploadRequest(
                    device_id,
                    "boot-1",
                    to_iso(NOW),
                    2 * 10**12,
                    tuple(event(cp.id, b * args.batch + i) for i in range(args.batch)),
                )
                for b in range(args.batches)
            ]
        figures = {}
        for phase in ("new", "replay"):
            latencies: list[float] = []

            def post_all(device_id: str, latencies: list[float] = latencies) -> None:
                for request in uploads[device_id]:
                    started = time.perf_counter()
                    storage.ingest(device_id, request, dt.datetime.now(dt.UTC))
                    latencies.append(time.perf_counter() - started)  # list.append: atomic

            cpu, wall = cpu_s(), time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.threads) as pool:
                for done in [pool.submit(post_all, d) for d in uploads]:
                    done.result()
            wall, cpu = time.perf_counter() - wall, cpu_s() - cpu
            total = args.devices * args.batches * args.batch
            figures[f"{phase} events/s"] = total / wall
            figures[f"{phase} batch p50 ms"] = statistics.median(latencies) * 1000
            figures[f"{phase} batch p95 ms"] = statistics.quantiles(latencies, n=20)[18] * 1000
            figures[f"{phase} process CPU s"] = cpu
        stats = storage.stats()
        assert stats.events == args.devices * args.batches * args.batch, stats
        assert stats.duplicates == stats.events, stats
    return figures


def raw_exactly_once(url: str, batches: int) -> dict[str, float]:
    """Part 2 of the module docstring, on a database Storage has migrated."""
    import psycopg

    Storage.open(url).close()
    columns = (
        "device_id, event_id, seq, checkpoint_id, person_key, kind, display_name, birth_year, "
        "direction, verdict, reason, device_time, mono_ns, boot_id, clock_synced, problems, "
        "received_at, corrected_time, clock_flag"
    )

    def rows(n: int) -> list[tuple[Any, ...]]:
        now = dt.datetime.now(dt.UTC)
        return [
            (
                "dev-raw",
                str(uuid.uuid4()),
                i,
                "cp",
                f"pk-{i}",
                "cccd",
                "N. V. An",
                1990,
                "in",
                "admit",
                "entry",
                to_iso(now),
                i,
                "b",
                True,
                "[]",
                now,
                now,
                "ok",
            )
            for i in range(n)
        ]

    results: dict[str, list[float]] = {
        "events only": [],
        "event_ids + events": [],
        "on conflict": [],
    }
    with psycopg.connect(url) as conn:
        for _ in range(batches):
            for variant in results:
                batch = rows(500)
                started = time.perf_counter()
                with conn.transaction(), conn.cursor() as cur:
                    if variant == "event_ids + events":
                        cur.execute(
                            "SELECT event_id FROM event_ids WHERE device_id = %s "
                            "AND event_id = ANY(%s)",
                            ("dev-raw", [r[1] for r in batch]),
                        )
                        with cur.copy(
                            "COPY event_ids (device_id, event_id, content_sha256, received_at) "
                            "FROM STDIN"
                        ) as copy:
                            for r in batch:
                                copy.write_row((r[0], r[1], "0" * 64, r[16]))
                    elif variant == "on conflict":
                        cur.executemany(
                            "INSERT INTO event_ids (device_id, event_id, content_sha256, "
                            "received_at) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING "
                            "RETURNING event_id",
                            [(r[0], r[1], "0" * 64, r[16]) for r in batch],
                            returning=True,
                        )
                    with cur.copy(f"COPY events ({columns}) FROM STDIN") as copy:
                        for r in batch:
                            copy.write_row(r)
                results[variant].append(time.perf_counter() - started)
    return {f"{k} ms/batch (median)": statistics.median(v) * 1000 for k, v in results.items()}


def show(title: str, figures: dict[str, float]) -> None:
    print(f"\n{title}")
    for name, value in figures.items():
        print(f"  {name:32} {value:10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    load = os.getloadavg()
    print(
        f"{args.devices} devices x {args.batches} batches of {args.batch}, {args.threads} "
        f"threads; {os.cpu_count()} CPUs; load average before {load[0]:.2f}"
    )
    work = Path(tempfile.mkdtemp(prefix="central-ingest-"))
    try:
        show("SQLite (WAL, synchronous=FULL)", run_ingest(work / "central.db", args))
        try:
            cluster = PostgresCluster.start(durable=True)
        except PostgresUnavailable as exc:
            print(f"\nPostgreSQL: skipped ({exc})")
            return
        try:
            name = cluster.create_database()
            show("PostgreSQL (fsync, synchronous_commit on)", run_ingest(cluster.url(name), args))
            raw = cluster.create_database()
            show("PostgreSQL, exactly-once designs, raw", raw_exactly_once(cluster.url(raw), 20))
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        print(f"\nload average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
