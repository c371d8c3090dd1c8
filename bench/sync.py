"""Benchmark of delivery over HTTP (not a test): a long-offline kiosk's backlog, and the server's
ingest from many kiosks at once, on SQLite and on PostgreSQL in the same run.

    .venv/bin/python bench/sync.py [--engines sqlite,postgresql] [--workers 2]
        [--backlog 100000] [--kiosks 50] [--per-kiosk 2000] [--batch-sizes 500] [--busy 0]

1. Backlog: a kiosk database with N undelivered events (bulk-filled) is delivered to the local
   reference server (`kiosk-central serve`, 127.0.0.1) by `kiosk sync --once` in a child
   process: wall time, the kiosk's CPU time and peak RSS, the server's CPU time. Targets
   (issue #4): 100,000 in <= 30 s, peak RSS <= 200 MB.
2. Ingest: K simulated kiosks (separate processes, each enrolled, each posting pre-built gzip
   batches in a loop, one request at a time) against one server: events stored per second,
   and after the run the server's count, which must equal what was sent, with 0 duplicates.
   Targets: >= 2,000/s (issue #4); >= 10,000/s on PostgreSQL with `--workers 2` (issue #11).
   With several `--batch-sizes`, the ingest runs once per size (the memory question).

What each figure depends on is reported beside it (bench/machine.py): the load average and how
the CPUs were spent (busy, steal) during the run, and the CPU seconds of the server (with its
workers), of PostgreSQL (the postmaster and its backends), and of the clients, per 100,000
events: those do not depend on what else the machine runs; events/s does. The peak resident
memory (VmHWM) of each server worker. `--busy N` runs N processes that spin on the CPU during
the measured runs, as other engineers' tests on this shared machine do.

PostgreSQL: a throwaway cluster with its durable defaults (fsync, synchronous_commit on) and the
memory settings of bench/central_scale.py. SQLite: a file on disk, WAL, synchronous=FULL.
Everything talks to 127.0.0.1 only. The servers, PostgreSQL and the clients share the cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import multiprocessing
import multiprocessing.synchronize
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.central_scale import PROVINCE_SETTINGS  # noqa: E402
from bench.machine import Load, LoadSampler, children, cpu_seconds, machine, rss_mb  # noqa: E402
from central import tokens  # noqa: E402
from central.storage import Storage  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    db: str  # the --db path or the --database-url
    output: list[str] = field(default_factory=list)

    def workers(self) -> list[int]:
        """The processes that serve requests: the workers, or the server itself."""
        spawned = [
            pid
            for pid in children(self.process.pid)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        return spawned or [self.process.pid]


def db_option(db: str) -> list[str]:
    return ["--database-url", db] if "://" in db else ["--db", db]


@contextmanager
def serving(db: str, workers: int) -> Iterator[Server]:
    proc = subprocess.Popen(
        [
            str(BIN / "kiosk-central"),
            "serve",
            *db_option(db),
            "--port",
            "0",
            "--log-level",
            "warning",
            "--workers",
            str(workers),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    output: list[str] = []
    url = ""
    for line in proc.stdout:
        output.append(line)
        if "serving" in line and "://" in line:
            url = line.split(" on ", 1)[1].strip()
            break
    if not url:
        raise SystemExit("server did not start:\n" + "".join(output))

    def drain() -> None:
        for line in proc.stdout or []:
            output.append(line)

    threading.Thread(target=drain, daemon=True).start()
    server = Server(proc, url, db, output)
    deadline = time.monotonic() + 30
    while len(server.workers()) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        requests.get(url + "/", timeout=30).raise_for_status()
        yield server
    finally:
        proc.terminate()
        proc.wait(30)


def enrollment_codes(db: str, count: int, checkpoints: int = 10) -> list[str]:
    """One-time codes for `count` kiosks over `checkpoints` checkpoints (in this process: a
    subprocess per code would take half a minute)."""
    now = dt.datetime.now(dt.UTC)
    codes = []
    with Storage.open(db) as storage:
        for k in range(count):
            cp = storage.ensure_checkpoint(f"Điểm {k % checkpoints}", now)
            code = tokens.new_enrollment_code()
            storage.add_enrollment_code(
                cp.id, tokens.code_digest(code), now=now, expires_at=now + dt.timedelta(hours=1)
            )
            codes.append(code)
    return codes


def set_up_authority(db: str) -> str:
    """The operator's steps of docs/central.md ("The authority's keys, offline") with a root
    made for this run: the server's online key delegated config and status lists, its sealing
    key signed. Returns the root's public key, which the kiosk pins."""
    from central.documents import Publisher
    from checkpoint_common.signing import SigningKey, delegate, sealing_key_document, sign

    root = SigningKey.generate()
    now = dt.datetime.now(dt.UTC)
    with Storage.open(db) as storage:
        publisher = Publisher(storage)
        delegation = delegate(
            root,
            publisher.online_key().public,
            types=["config", "status_list"],
            not_after=now + dt.timedelta(days=1),
            version=1,
            issued_at=now - dt.timedelta(minutes=1),
        )
        publisher.publish(delegation.to_bytes(), now=now, root=root.public)
        sealing = sealing_key_document(storage.authority_key().public, version=1, issued_at=now)
        publisher.publish(sign(sealing, root).to_bytes(), now=now)
    return root.public.to_text()


def stored_counts(db: str) -> tuple[int, int]:
    """(events stored, distinct (device_id, event_id) among them)."""
    with Storage.open(db, create=False) as storage, storage.db.query() as conn:
        row = conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT device_id || ' ' || event_id) FROM events"
        ).one()
    return int(row[0]), int(row[1])


def per_100k(seconds: float, events: int) -> str:
    return f"{seconds * 100_000 / max(events, 1):.1f} s"


# -- backlog ---------------------------------------------------------------------------------

_MEASURED_SYNC = """
import resource, sys
from kiosk.cli import main
code = main(["--data-dir", sys.argv[1], "--config", sys.argv[2], "sync", "--once"])
usage = resource.getrusage(resource.RUSAGE_SELF)
print("MEASURED", usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def bench_backlog(workdir: Path, engine: str, db: str, count: int, postgres_pid: int | None) -> str:
    from kiosk.clock import SystemClock, to_iso
    from kiosk.config import Settings, save_settings
    from kiosk.gate import Gate
    from kiosk.sync.service import enroll

    root = set_up_authority(db)
    with serving(db, 1) as server:
        data, config = workdir / f"kiosk-{engine}", workdir / f"kiosk-{engine}.toml"
        gate = Gate.open(data, Settings(authority_signing_key=root), SystemClock())
        new, _ = enroll(
            data_dir=data,
            settings=gate.settings,
            url=server.url,
            code=enrollment_codes(db, 1)[0],
            device_id=gate.store.device_id,
        )
        save_settings(new, config)
        conn = gate.store.db.conn
        now = dt.datetime.now(dt.UTC)
        rows = [
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
                to_iso(now - dt.timedelta(seconds=(count - i) * 2)),
                i * 10**9,
                "boot-b",
                1,
            )
            for i in range(count)
        ]
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
        server_cpu = cpu_seconds(server.process.pid)
        pg_cpu = cpu_seconds(postgres_pid) if postgres_pid else 0.0
        sampler = LoadSampler()
        started = time.perf_counter()
        # `kiosk sync --once` in a child that reports its own peak RSS and CPU time.
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED_SYNC, str(data), str(config)],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        load = sampler.stop()
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        pg_cpu = cpu_seconds(postgres_pid) - pg_cpu if postgres_pid else 0.0
    if done.returncode != 0:
        raise SystemExit(f"sync failed: {done.stderr}")
    maxrss_kb, kiosk_cpu = done.stderr.rsplit("MEASURED", 1)[1].split()[:2]
    stored, distinct = stored_counts(db)
    return (
        f"| {engine} | backlog delivery (`kiosk sync --once`, batches of 500) | {count:,} | "
        f"{elapsed:.1f} s ({count / elapsed:,.0f}/s) | kiosk {float(kiosk_cpu):.1f} s, "
        f"server {server_cpu:.1f} s{f', PostgreSQL {pg_cpu:.1f} s' if postgres_pid else ''} | "
        f"kiosk peak RSS {int(maxrss_kb) / 1024:.0f} MB | "
        f"{stored:,} stored, {stored - distinct} twice | {load} |"
    )


# -- ingest ----------------------------------------------------------------------------------


def _kiosk_process(
    url: str,
    device_id: str,
    token: str,
    checkpoint: str,
    batches: int,
    batch: int,
    start: multiprocessing.synchronize.Event,
    out: multiprocessing.Queue[tuple[int, float]],
) -> None:
    session = requests.Session()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    now = dt.datetime.now(dt.UTC)
    bodies = []
    for b in range(batches):
        events = [
            {
                "event_id": str(uuid.uuid4()),
                "seq": b * batch + i,
                "checkpoint_id": checkpoint,
                "person_key": f"id:{i:024x}",
                "kind": "cccd",
                "display_name": "N. V. An",
                "birth_year": 1990,
                "direction": "in",
                "verdict": "admit",
                "reason": "entry",
                "device_time": (now - dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "mono_ns": (b * batch + i) * 10**9,
                "boot_id": "boot-b",
                "clock_synced": True,
                "problems": [],
            }
            for i in range(batch)
        ]
        body = {
            "device_id": device_id,
            "boot_id": "boot-b",
            "sent_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sent_mono_ns": 10**15,
            "events": events,
        }
        bodies.append(gzip.compress(json.dumps(body).encode()))
    start.wait()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    stored = 0
    for body in bodies:
        response = session.post(
            f"{url}/api/v1/events", data=body, headers=headers, timeout=(5, 120)
        )
        response.raise_for_status()
        stored += sum(1 for r in response.json()["results"] if r["status"] == "stored")
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    out.put((stored, cpu))


@dataclass
class IngestResult:
    engine: str
    workers: int
    batch: int
    sent: int
    stored: int
    twice: int
    seconds: float
    server_cpu: float
    postgres_cpu: float | None
    client_cpu: float
    rss: list[tuple[float, float]]  # per worker: (VmRSS at the end, VmHWM)
    load: Load

    def row(self) -> str:
        pg = per_100k(self.postgres_cpu, self.stored) if self.postgres_cpu is not None else "-"
        rss = ", ".join(f"{hwm:.0f}" for _, hwm in self.rss)
        return (
            f"| {self.engine} | {self.workers} | {self.batch} | {self.sent:,} | "
            f"{self.seconds:.1f} s | **{self.stored / self.seconds:,.0f}** | "
            f"{self.stored:,} stored, {self.twice} twice | "
            f"{per_100k(self.server_cpu, self.stored)} | {pg} | "
            f"{per_100k(self.client_cpu, self.stored)} | {rss} MB | {self.load} |"
        )


def bench_ingest(
    db: str,
    engine: str,
    workers: int,
    kiosks: int,
    per_kiosk: int,
    batch: int,
    postgres_pid: int | None,
) -> IngestResult:
    with serving(db, workers) as server:
        devices = []
        for k, code in enumerate(enrollment_codes(db, kiosks)):
            answer = requests.post(
                f"{server.url}/api/v1/enroll",
                json={"code": code, "device_id": f"bench-{engine}-{k}", "device_name": ""},
                timeout=30,
            ).json()
            devices.append(
                (answer["device_id"], answer["device_token"], answer["checkpoint"]["id"])
            )
        start = multiprocessing.Event()
        out: multiprocessing.Queue[tuple[int, float]] = multiprocessing.Queue()
        batches = max(1, per_kiosk // batch)
        clients = [
            multiprocessing.Process(
                target=_kiosk_process, args=(server.url, d, t, c, batches, batch, start, out)
            )
            for d, t, c in devices
        ]
        for client in clients:
            client.start()
        time.sleep(3 + kiosks * batches * batch / 100_000)  # bodies built before the clock
        worker_pids = server.workers()
        server_cpu = cpu_seconds(server.process.pid)
        pg_cpu = cpu_seconds(postgres_pid) if postgres_pid else None
        sampler = LoadSampler()
        began = time.perf_counter()
        start.set()
        reports = [out.get(timeout=1200) for _ in clients]
        elapsed = time.perf_counter() - began
        load = sampler.stop()
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        if postgres_pid and pg_cpu is not None:
            pg_cpu = cpu_seconds(postgres_pid) - pg_cpu
        rss = [rss_mb(pid) for pid in worker_pids]
        for client in clients:
            client.join(30)
    stored, distinct = stored_counts(db)
    assert stored == sum(s for s, _ in reports) == kiosks * batches * batch, (stored, reports)
    return IngestResult(
        engine,
        workers,
        batch,
        kiosks * batches * batch,
        stored,
        stored - distinct,
        elapsed,
        server_cpu,
        pg_cpu,
        sum(c for _, c in reports),
        rss,
        load,
    )


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        sum(range(10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2, help="PostgreSQL server processes")
    parser.add_argument("--backlog", type=int, default=100_000, help="0: skip the backlog")
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--per-kiosk", type=int, default=2000)
    parser.add_argument("--batch-sizes", default="500")
    parser.add_argument("--busy", type=int, default=0, help="CPU-spinning processes meanwhile")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="sync-bench-", dir=ROOT / "bench"))
    os.environ["PYTHONUTF8"] = "1"
    print(machine())
    cluster = None
    stop_spinning = multiprocessing.Event()
    spinners = [
        multiprocessing.Process(target=_spin, args=(stop_spinning,)) for _ in range(args.busy)
    ]
    try:
        if "postgresql" in engines:
            base = Path(tempfile.mkdtemp(prefix="sync-bench-pg-"))
            base.chmod(0o711)  # the cluster runs as the postgres user when we are root
            cluster = PostgresCluster.start(durable=True, root=base / "pg", extra=PROVINCE_SETTINGS)
        for spinner in spinners:
            spinner.start()
        if args.busy:
            print(f"{args.busy} CPU-spinning processes run during the measurements")

        def database(name: str, engine: str) -> str:
            if engine == "sqlite":
                return str(workdir / f"{name}.db")
            assert cluster is not None
            url = cluster.url(cluster.create_database(name=name))
            Storage.open(url).close()
            return url

        postmaster = None
        if cluster is not None:
            postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        if args.backlog:
            print(
                "\n| engine | benchmark | events | time | CPU | memory | check | machine |\n"
                "|---|---|---|---|---|---|---|---|"
            )
            for engine in engines:
                row = bench_backlog(
                    workdir,
                    engine,
                    database(f"backlog_{engine}", engine),
                    args.backlog,
                    postmaster if engine == "postgresql" else None,
                )
                print(row, flush=True)
        print(
            "\n| engine | workers | batch | events | time | events/s | check | server CPU "
            "/100k | PostgreSQL CPU /100k | clients CPU /100k | worker peak RSS | machine |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|"
        )
        for size in sizes:
            for engine in engines:
                workers = args.workers if engine == "postgresql" else 1
                result = bench_ingest(
                    database(f"ingest_{engine}_{size}", engine),
                    engine,
                    workers,
                    args.kiosks,
                    args.per_kiosk,
                    size,
                    postmaster if engine == "postgresql" else None,
                )
                print(result.row(), flush=True)
    finally:
        stop_spinning.set()
        for spinner in spinners:
            spinner.join(10)
        if cluster is not None:
            root = cluster.root.parent
            cluster.stop()
            shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
