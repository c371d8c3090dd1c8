"""Benchmark of health declarations (issue #16): how many a second the server accepts, and how
big their QR code is. Not a test.

    .venv/bin/python bench/declarations.py [--engine sqlite|postgresql] [--count 5000]
                                           [--clients 16] [--processes 2]

1. Throughput over HTTP: `kiosk-central serve` (uvicorn, one process, as shipped) on
   127.0.0.1 with its database (a SQLite file with WAL and synchronous=FULL, or a throwaway
   PostgreSQL cluster from tests/postgres.py with fsync and synchronous_commit on), a
   declaration key installed with the operator's command; `--clients` keep-alive connections
   (threads in `--processes` load processes), POST /api/v1/declarations with distinct
   people. Every answer must be
   201 with a code. Declarations per second (after a warm-up), latency p50/p95, and the
   server's CPU seconds per declaration. The per-address rate limit is off for the run
   (`--declaration-rate-limit 0`): every client here is 127.0.0.1.
2. The code's size: the shortest realistic code and the longest the form allows (a 45-letter
   name, a proxy QID, a BHYT number, a phone), as the server draws them (byte + numeric
   segments, level M): version, modules a side, and pixels a module at 5 cm on a 326 ppi
   phone screen.

The clients and the server share this machine's 2 cores with each other and with other
people's work: the figure is what this machine did, an upper bound of the cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from central.declare.web import qr_code  # noqa: E402
from checkpoint_common.declaration import QUESTIONS, sign_payload  # noqa: E402
from checkpoint_common.signing import SigningKey, delegate  # noqa: E402
from tests.postgres import PostgresCluster, PostgresUnavailable  # noqa: E402

CENTRAL = [sys.executable, "-m", "central.cli"]


def body(i: int) -> bytes:
    data: dict[str, Any] = {
        "full_name": "Nguyễn Thị Thanh Hương",
        "id_number": f"079{190000000 + i:09d}",
        "birth_date": "1990-05-17",
        "gender": "female",
        "phone": f"09{12000000 + i % 9000000:08d}",
        "address": {"province": "Hà Nội", "district": "Cầu Giấy", "commune": "Dịch Vọng"},
        "answers": {q.id: (q.id == "cough" and i % 10 == 0) for q in QUESTIONS},
    }
    return json.dumps(data, ensure_ascii=False).encode()


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(db_option: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            *CENTRAL,
            "serve",
            *db_option,
            *("--host", "127.0.0.1", "--port", "0"),
            *("--declaration-rate-limit", "0", "--log-level", "warning"),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "serving" in line and "://" in line:
            url = line.split(" on ", 1)[1].strip()
            drain = threading.Thread(target=process.stderr.read, daemon=True)
            drain.start()  # the pipe must never fill
            return process, url
    raise RuntimeError("the server did not start")


def install_key(db_option: list[str], folder: Path) -> None:
    root, online = SigningKey.generate(), SigningKey.generate()
    now = dt.datetime.now(dt.UTC)
    (folder / "online.key").write_bytes(online.to_pem())
    envelope = delegate(
        root,
        online.public,
        types=["declaration"],
        not_after=now + dt.timedelta(days=30),
        version=1,
        issued_at=now - dt.timedelta(minutes=5),
    )
    (folder / "delegation.json").write_text(json.dumps(envelope.to_json()))
    subprocess.run(
        [
            *CENTRAL,
            "declaration-key",
            *("--key", str(folder / "online.key")),
            *("--delegation", str(folder / "delegation.json")),
            *db_option,
        ],
        check=True,
        capture_output=True,
    )


def _client_process(url: str, numbers: list[int], connections: int) -> tuple[list[float], int]:
    """One load process: `connections` threads, each on its own keep-alive connection."""
    parts = urlsplit(url)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    bodies = [body(i) for i in numbers]  # made before the clock starts

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine: list[float] = []
        for payload in bodies[index::connections]:
            started = time.perf_counter()
            connection.request(
                "POST", "/api/v1/declarations", payload, {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            answer = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 201 or b"qr_text" not in answer:
                failures.append(f"{response.status} {answer[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed: {failures[0]}")
    return latencies, len(numbers)


def load(
    url: str, count: int, clients: int, first: int, processes: int
) -> tuple[float, list[float]]:
    """`clients` connections spread over `processes` load processes (one Python process
    cannot drive a server as fast as it answers: the GIL)."""
    numbers = list(range(first, first + count))
    shares = [numbers[p::processes] for p in range(processes)]
    per_process = max(1, clients // processes)
    with ProcessPoolExecutor(processes) as pool:
        for warm in pool.map(_noop, range(processes)):  # processes started before timing
            assert warm is None
        started = time.perf_counter()
        results = list(
            pool.map(_client_process, [url] * processes, shares, [per_process] * processes)
        )
        elapsed = time.perf_counter() - started
    latencies = [x for found, _ in results for x in found]
    return elapsed, latencies


def _noop(_: int) -> None:
    return None


def throughput(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-declare-") as tmp:
        folder = Path(tmp)
        cluster = None
        if args.engine == "postgresql":
            try:
                cluster = PostgresCluster.start(durable=True)
            except PostgresUnavailable as exc:
                print(f"PostgreSQL unavailable: {exc}")
                return
            db_option = ["--database-url", cluster.url(cluster.create_database())]
        else:
            db_option = ["--db", str(folder / "central.db")]
        try:
            install_key(db_option, folder)
            process, url = serve(db_option)
            try:
                load(url, 300, args.clients, 10_000_000, args.processes)  # warm-up
                cpu_before = cpu_of(process.pid)
                elapsed, latencies = load(url, args.count, args.clients, 0, args.processes)
                cpu = cpu_of(process.pid) - cpu_before
            finally:
                process.terminate()
                process.wait(20)
        finally:
            if cluster is not None:
                cluster.stop()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(
        f"{args.engine}: {args.count} declarations by {args.clients} connections from "
        f"{args.processes} processes in {elapsed:.2f} s: "
        f"{args.count / elapsed:.0f}/s; latency p50 {statistics.median(latencies) * 1000:.1f} "
        f"ms, p95 {p95 * 1000:.1f} ms; server CPU {cpu / args.count * 1000:.2f} ms a "
        "declaration"
    )


def sizes() -> None:
    key = SigningKey.generate()
    now = dt.datetime.now(dt.UTC)
    heads = {
        "short (self, no BHYT)": (
            "079199012345|TRAN THI BICH NGOC|1999-08-15|0|163000000000012345|<2<<0912345678<"
        ),
        "longest allowed (45-letter name, proxy, BHYT)": (
            "079199012345|" + "X" * 45 + "|1999-08-15|1|163000000000012345|"
            "163000000000012346<2<DN4010123456789<0912345678<"
        ),
    }
    for name, head in heads.items():
        text = sign_payload(head, key, declared_at=now, valid_hours=24, summary=0)
        code = qr_code(text)
        modules = code.symbol_size(border=0)[0]
        px = 5 / 2.54 * 326 / (modules + 8)  # a 5 cm code (quiet zone included) at 326 ppi
        print(
            f"{name}: {len(text)} characters, version {code.designator}, {modules} x {modules} "
            f"modules, {px:.1f} screen pixels a module at 5 cm on a 326 ppi phone"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16, help="connections in all (16)")
    parser.add_argument("--processes", type=int, default=2, help="load processes (2)")
    parser.add_argument("--sizes-only", action="store_true")
    args = parser.parse_args()
    sizes()
    if not args.sizes_only:
        throughput(args)


if __name__ == "__main__":
    main()
