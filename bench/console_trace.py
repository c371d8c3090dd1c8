"""Benchmark: tracing from the web console at 10,000,000 events on PostgreSQL (issue #12).

    .venv/bin/python bench/console_trace.py [--events 10000000] [--checkpoints 500]
                                           [--people 300000] [--requests 30]

1. A throwaway PostgreSQL cluster (tests/postgres.py, PostgreSQL's durable defaults) with the
   server's schema. `--events` admitted events over the last 14 days, written by SQL
   (generate_series) straight into the daily partitions: pairs of entry and exit 5-95 min apart
   at `--checkpoints` checkpoints by `--people` people, without sealed data. (i11's 10M-event
   generator was not on main when this was written; this one is simple and says so.)
2. On top, through Storage.ingest as kiosks deliver them, with real sealed personal data: a case
   (a CCCD number) visiting 6 checkpoints over the 14 days, and 20 people at each visit.
3. `kiosk-central serve` on that database; a health officer signs in, then POSTs
   /console/trace with the case's CCCD number `--requests` times: request to the whole rendered
   page (resolution, expansion, visits, contacts, reveal of every contact, audit rows). p50,
   p95, max. Also an unknown number ("no record") and the CLI's `kiosk-central trace`.

The server, the database and this client share the machine's 2 cores with whatever else runs:
figures are upper bounds (docs/benchmarks.md, "Tracing from the console").
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from central import partitions, tokens  # noqa: E402
from central.console.accounts import Accounts  # noqa: E402
from central.storage import Storage  # noqa: E402
from checkpoint_common.personkey import derive_person_key  # noqa: E402
from checkpoint_common.protocol import EventPayload, UploadRequest  # noqa: E402
from checkpoint_common.seal import PersonalData, seal_personal  # noqa: E402
from checkpoint_common.timefmt import to_iso  # noqa: E402
from tests.central.test_live import central_command, start_server  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

PASSWORD = "benchmark password 2026"
CASE = "079199012345"

BULK_SQL = """
INSERT INTO events (device_id, event_id, seq, checkpoint_id, person_key, kind, display_name,
                    birth_year, direction, verdict, reason, device_time, mono_ns, boot_id,
                    clock_synced, problems, received_at, corrected_time, clock_flag)
SELECT 'bench-dev-' || (g % :checkpoints), md5(g::text || dir), g * 2 + (dir = 'out')::int,
       'cp-bench-' || (g % :checkpoints),
       'id:' || lpad(to_hex((g::bigint * 7919) % :people), 24, '0'),
       'cccd', 'N. V. An', 1990, dir, 'admit',
       CASE WHEN dir = 'in' THEN 'entry' ELSE 'exit' END,
       to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 0, 'bench', true, '[]',
       t + interval '1 minute', t, 'ok'
FROM (
    SELECT g, dir,
           CAST(:start AS timestamptz) + (g::float8 / :pairs) * interval '14 days'
           + CASE WHEN dir = 'out' THEN ((g % 90) + 5) * interval '1 minute'
                  ELSE interval '0' END AS t
    FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g
    CROSS JOIN (VALUES ('in'), ('out')) AS v(dir)
) AS s
WHERE t < :now
"""


def generate(storage: Storage, args: argparse.Namespace, now: dt.datetime) -> float:
    """The bulk events by SQL; returns seconds taken."""
    started = time.perf_counter()
    start = now - dt.timedelta(days=14)
    partitions.ensure(storage.db, start.date() - dt.timedelta(days=1), ahead=22)
    with storage.db.write() as conn:
        for i in range(args.checkpoints):
            conn.exec_driver_sql(
                "INSERT INTO checkpoints (id, name, settings, config_version, created_at) "
                'VALUES (%s, %s, \'{"auto_checkout_time": ""}\', %s, %s)',
                (f"cp-bench-{i}", f"Điểm kiểm dịch {i:03d}", i + 10, start),
            )
    pairs = args.events // 2
    step = 500_000
    for first in range(1, pairs + 1, step):
        last = min(first + step - 1, pairs)
        with storage.db.write() as conn:
            conn.execute(
                text(BULK_SQL),
                {
                    "checkpoints": args.checkpoints,
                    "people": args.people,
                    "start": start,
                    "pairs": pairs,
                    "first": first,
                    "last": last,
                    "now": now,
                },
            )
        print(f"  {last * 2:,} events", flush=True)
    with storage.db.query() as conn:
        conn.exec_driver_sql("ANALYZE events")
    return time.perf_counter() - started


def seed_case(storage: Storage, now: dt.datetime) -> None:
    """The case and 20 people per visit, with sealed personal data, as kiosks deliver them."""
    secret = base64.b64decode(storage.person_key_secret())
    authority = storage.authority_key().public
    case_key = derive_person_key(secret, "id", CASE)
    seq = 0
    for visit in range(6):
        checkpoint = f"cp-bench-{visit * 37}"
        device = f"case-dev-{visit}"
        code = tokens.new_enrollment_code()
        storage.add_enrollment_code(
            checkpoint, tokens.code_digest(code), now=now, expires_at=now + dt.timedelta(days=1)
        )
        storage.enroll(
            tokens.code_digest(code),
            device_id=device,
            device_name="bench",
            token_sha256=tokens.token_digest(tokens.new_device_token()),
            now=now,
        )
        start = now - dt.timedelta(days=13 - visit * 2, hours=3)
        people = [(case_key, CASE, "Trần Thị Bích Ngọc")] + [
            (derive_person_key(secret, "id", f"0791990{visit:02d}{i:03d}"), "", f"Người {i}")
            for i in range(20)
        ]
        events = []
        for index, (key, number, name) in enumerate(people):
            for direction, minutes in (("in", index), ("out", 60 + index)):
                seq += 1
                event_id = str(uuid.uuid4())
                fields = {"full_name": name, "id_number": number or None, "phone": "0912345678"}
                box = seal_personal(authority, event_id, PersonalData(None, fields, None))
                events.append(
                    EventPayload(
                        event_id=event_id,
                        seq=seq,
                        checkpoint_id=checkpoint,
                        person_key=key,
                        kind="cccd",
                        display_name=name,
                        birth_year=1999,
                        direction=direction,
                        verdict="admit",
                        reason="entry" if direction == "in" else "exit",
                        device_time=to_iso(start + dt.timedelta(minutes=minutes)),
                        mono_ns=0,
                        boot_id="case-events",
                        clock_synced=True,
                        seal_key=authority.key_id,
                        sealed=base64.b64encode(box).decode(),
                    )
                )
        storage.ingest(device, UploadRequest(device, "upload", to_iso(now), 0, tuple(events)), now)


def login(url: str) -> tuple[str, str]:
    """(session cookie, csrf) for the health officer (cookies by hand: they are Secure, and
    this client talks plain http to 127.0.0.1)."""
    page = requests.get(f"{url}/console/login", timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    answer = requests.post(
        f"{url}/console/login",
        data={"csrf": token.group(1), "username": "lan", "password": PASSWORD},
        headers={"Cookie": f"kc_login={page.cookies.get('kc_login')}"},
        allow_redirects=False,
        timeout=30,
    )
    session = answer.cookies.get("kc_session")
    assert session, answer.status_code
    form = requests.get(
        f"{url}/console/trace", headers={"Cookie": f"kc_session={session}"}, timeout=30
    )
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    return session, csrf.group(1)


def measure(url: str, session: str, csrf: str, person: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        answer = requests.post(
            f"{url}/console/trace",
            data={"csrf": csrf, "person": person},
            headers={"Cookie": f"kc_session={session}"},
            timeout=120,
        )
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"n={len(times)} p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"max {ordered[-1]:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--checkpoints", type=int, default=500)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)
    cluster = PostgresCluster.start(durable=True)
    try:
        url = cluster.url(cluster.create_database())
        with Storage.open(url) as storage:
            print(f"generating {args.events:,} events ...", flush=True)
            took = generate(storage, args, now)
            seed_case(storage, now)
            Accounts(storage.db).add("lan", "health-officer", PASSWORD, now)
            total = storage.event_count()
            with storage.db.query() as conn:
                size = conn.exec_driver_sql(
                    "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
                    "JOIN pg_inherits i ON i.inhrelid = c.oid "
                    "WHERE i.inhparent = 'events'::regclass"
                ).scalar_one()
        print(f"{total:,} events in {took:.0f} s; events on disk (with indexes) {size}")
        with start_server(url) as server:
            session, csrf = login(server.url)
            measure(server.url, session, csrf, CASE, 2)  # warm the caches
            found = measure(server.url, session, csrf, CASE, args.requests)
            page = requests.post(
                f"{server.url}/console/trace",
                data={"csrf": csrf, "person": CASE},
                headers={"Cookie": f"kc_session={session}"},
                timeout=120,
            ).text
            summary_line = re.search(r'id="summary">([^<]+)<', page)
            print(
                f"trace page, case found ({summary_line.group(1) if summary_line else '?'}, "
                f"{len(page) // 1024} KB): {summary(found)}"
            )
            unknown = measure(server.url, session, csrf, "001203099999", args.requests)
            print(f"trace page, no record: {summary(unknown)}")
        started = time.perf_counter()
        done = subprocess.run(
            [*central_command(), "trace", CASE, "--json", "--database-url", url],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        print(
            f"kiosk-central trace (a process, start-up included): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms, exit {done.returncode}, "
            f"{len(done.stdout.splitlines())} lines"
        )
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
