"""Benchmark (not a test): the central server's queries on PostgreSQL at the size of three weeks
of a busy city (issue #11).

    .venv/bin/python bench/central_scale.py [--events 10000000] [--checkpoints 3000]
        [--people 1700000] [--days 21] [--traces 200] [--reveals 20]
        [--pg-defaults]
        [--database-url URL] [--keep] [--no-purge] [--backup]

1. Load (unless --database-url names a database that holds events already): a throwaway
   PostgreSQL cluster (tests/postgres.py, durable: fsync and synchronous_commit on), the
   server's schema, `--checkpoints` checkpoints with a kiosk each, and `--events` events made
   by PostgreSQL itself (INSERT … SELECT from generate_series, one statement per day: the bulk
   path; COPY from Python would spend minutes building rows), with their `event_ids` rows:
   - visits (an entry, then an exit when admitted) over `--days` local days ending at the last
     local midnight (Asia/Ho_Chi_Minh), 06:00-21:00 local, stays of 5 min to 3 h;
   - people drawn uniformly from `--people` (~220,000 distinct a day at the default size, as
     Hà Nội's 236,404 on 14 Oct 2021), checkpoints skewed (checkpoint n drawn as
     floor(N·u²): the busiest takes ~2% of all scans, ~8,700 a day: a big market or hospital);
   - 97% admitted, 2% referred, 1% refused; received within a minute, 5% of visits days later
     (kiosks offline, up to 3 days);
   - a box of 304 random bytes per event as its sealed data (the real ones are 250-400),
     under a key id that is not the authority's (see 2.);
   Then VACUUM ANALYZE, as autovacuum would have by then.
2. Queries, through the server's own code, against the targets:
   - a person traced across all checkpoints over 14 days, margin 15 min: `tracing.trace`, what
     the console's /console/trace and `kiosk-central trace` call, given the person key (the
     console derives it from the ID number first: one HMAC). `--traces` people drawn at
     random by number among those with a visit in the window (the same people run after run
     on the same data: a change can be compared on one load with --keep and
     --database-url), without reveal: p95 <= 200 ms. Their own records get real sealed
     boxes first (the trace opens them to find the person's other identifiers). Then the
     first `--reveals` of them again with reveal (every contact's box opened): their
     contacts' entry records (from the traces without reveal) get real sealed boxes first,
     then VACUUM, so the opening costs what it costs in service; these run with the cache
     warmed by the same people's traces;
   - one checkpoint's day hour by hour (`checkpoint_day`): the busiest, and 100 at random:
     <= 50 ms;
   - the deployment's figures for a day (`daily_figures`): <= 500 ms;
   - the overview page's counts (`today`) and `stats`;
   - the retention purge of the oldest day: the partition detached and dropped (<= 1 s),
     then its `event_ids` rows deleted in batches.
   Each with the load average and the CPU use while it ran (bench/machine.py).

The cluster runs with the settings docs/central.md recommends for a province, scaled to this
machine (`--pg-defaults`: PostgreSQL's own). `--backup` times a pg_dump -Fc of the loaded
database and its pg_restore into a new one (before the queries). `--keep` leaves the cluster
running and prints its URL, for another run with `--database-url`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.machine import LoadSampler, machine  # noqa: E402
from central import partitions, tracing  # noqa: E402
from central.reveal import OPENED  # noqa: E402
from central.storage import Storage  # noqa: E402
from checkpoint_common.seal import PersonalData, seal_personal  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# A province server's settings, for this machine's 24 GB (docs/central.md, "PostgreSQL").
PROVINCE_SETTINGS = (
    "shared_buffers=2GB",
    "effective_cache_size=12GB",
    "work_mem=32MB",
    "maintenance_work_mem=1GB",
    "random_page_cost=1.1",
    "effective_io_concurrency=200",
    "jit=off",
    "max_wal_size=8GB",
    "checkpoint_timeout=15min",
    "wal_compression=on",
)


def load(url: str, args: argparse.Namespace, end: dt.datetime) -> None:
    """Part 1 of the module docstring."""
    start = end - dt.timedelta(days=args.days)
    with Storage.open(url) as storage:
        # Every UTC day an event of the window can be received on, and the days after.
        partitions.ensure(storage.db, start.astimezone(dt.UTC).date(), ahead=args.days + 8)
    # The last fifteenth of the checkpoints are registered during the window, one after another.
    old = args.checkpoints * 14 // 15
    registered = {"old": old, "new": max(1, args.checkpoints - old), "start": start, "end": end}
    # Visits a day: two events each when admitted (the refused ones, 3%, only the entry), and a
    # few visits fall at new checkpoints before they were registered (dropped).
    visits_per_day = round(args.events / args.days / 1.97)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """
            INSERT INTO checkpoints (id, name, settings, config_version, created_at)
            SELECT 'cp-' || lpad(n::text, 5, '0'), 'Điểm kiểm dịch ' || n, '{}', n + 1,
                   CASE WHEN n < %(old)s THEN %(start)s - interval '30 days'
                        ELSE %(start)s + (n - %(old)s) * (%(end)s - %(start)s) / %(new)s END
            FROM generate_series(0, %(n)s - 1) n
            """,
            {"n": args.checkpoints, **registered},
        )
        conn.execute(
            """
            INSERT INTO devices (device_id, checkpoint_id, device_name, token_sha256, enrolled_at,
                                 last_contact)
            SELECT 'dev-' || substr(id, 4), id, 'cổng 1', md5(id), created_at, %(end)s
            FROM checkpoints
            """,
            {"end": end},
        )
        for day in range(args.days):
            day_start = start + dt.timedelta(days=day)
            began = time.perf_counter()
            conn.execute(
                """
                WITH visits AS (
                    SELECT n,
                           floor(%(checkpoints)s * random() ^ 2)::int AS cp,
                           floor(%(people)s * random())::int AS person,
                           %(day_start)s + interval '6 hours' + random() * interval '15 hours'
                               AS t_in,
                           interval '5 minutes' + random() ^ 2 * interval '175 minutes' AS stay,
                           CASE WHEN random() < 0.05 THEN random() * interval '3 days'
                                ELSE random() * interval '60 seconds' END AS delay,
                           (ARRAY['admit', 'refer', 'deny'])[
                               CASE WHEN r < 0.97 THEN 1 WHEN r < 0.99 THEN 2 ELSE 3 END
                           ] AS verdict,
                           decode(repeat(md5(random()::text), 19), 'hex') AS sealed
                    -- random() in a FROM-list subquery: drawn per row (a LATERAL (SELECT
                    -- random()) would be computed once for the whole statement)
                    FROM (SELECT n, random() AS r FROM generate_series(1, %(visits)s) n) g
                ),
                open_visits AS (  -- a checkpoint registered during the window: none before
                    SELECT * FROM visits
                    WHERE cp < %(old)s
                       OR t_in >= %(start)s + (cp - %(old)s) * (%(end)s - %(start)s) / %(new)s
                ),
                rows AS (
                    SELECT 'dev-' || lpad(v.cp::text, 5, '0') AS device_id,
                           gen_random_uuid()::text AS event_id,
                           v.n * 2 + s.k AS seq,
                           'cp-' || lpad(v.cp::text, 5, '0') AS checkpoint_id,
                           -- a person key as kiosks make them (scheme, 24 hex digits)
                           'id:' || left(md5(v.person::text), 24) AS person_key,
                           1950 + v.person %% 60 AS birth_year,
                           s.direction, v.verdict, s.t, v.delay, v.sealed
                    FROM open_visits v
                    CROSS JOIN LATERAL (
                        VALUES ('in', v.t_in, 0), ('out', v.t_in + v.stay, 1)
                    ) s(direction, t, k)
                    WHERE s.k = 0 OR v.verdict = 'admit'
                ),
                stored AS (
                    INSERT INTO events (device_id, event_id, seq, checkpoint_id, person_key,
                        kind, display_name, birth_year, direction, verdict, reason,
                        device_time, mono_ns, boot_id, clock_synced, problems, received_at,
                        corrected_time, clock_flag, seal_key, sealed)
                    SELECT device_id, event_id, seq, checkpoint_id, person_key, 'cccd',
                           'N. V. A', birth_year, direction, verdict,
                           CASE WHEN verdict <> 'admit' THEN 'status'
                                WHEN direction = 'in' THEN 'entry' ELSE 'exit' END,
                           to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           seq * 1000000000::bigint, 'boot-1', true, '[]',
                           LEAST(t + delay, %(last)s), t, 'ok', 'k1', sealed
                    FROM rows
                    RETURNING device_id, event_id, received_at
                )
                INSERT INTO event_ids (device_id, event_id, content_sha256, received_at)
                SELECT device_id, event_id, md5(event_id) || md5(device_id), received_at
                FROM stored
                """,
                {
                    "checkpoints": args.checkpoints,
                    "people": args.people,
                    "day_start": day_start,
                    "visits": visits_per_day,
                    "last": end + dt.timedelta(hours=12),
                    **registered,
                },
            )
            print(f"  day {day + 1}/{args.days} loaded in {time.perf_counter() - began:.0f} s")
        # What ingest keeps per device (`stats` sums it), for rows that did not come through it.
        conn.execute(
            "UPDATE devices SET events_stored = counted.n FROM "
            "(SELECT device_id, count(*) AS n FROM events GROUP BY device_id) AS counted "
            "WHERE devices.device_id = counted.device_id"
        )
        began = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) events")
        conn.execute("VACUUM (ANALYZE) event_ids")
        conn.execute("ANALYZE checkpoints")
        conn.execute("ANALYZE devices")
        print(f"  VACUUM ANALYZE in {time.perf_counter() - began:.0f} s")


def timed(run: Callable[[], Any], times: int) -> tuple[list[float], Any]:
    durations, result = [], None
    for _ in range(times):
        began = time.perf_counter()
        result = run()
        durations.append((time.perf_counter() - began) * 1000)
    return durations, result


def summary(durations: list[float]) -> str:
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"n={len(ordered)} p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )


def measure(url: str, args: argparse.Namespace, end: dt.datetime) -> None:
    """Part 2 of the module docstring."""
    last_day = (end - dt.timedelta(days=1)).astimezone(ZONE).date()
    with psycopg.connect(url) as conn:
        total, size = conn.execute(
            "SELECT (SELECT count(*) FROM events), "
            "pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone() or (0, "?")
        window = end - dt.timedelta(days=14)
        # People drawn by number (the load's keys: 'id:' + md5 of the number), kept when they
        # have a visit in the window: the same people on the same data, run after run.
        drawn = [
            f"id:{hashlib.md5(str(n).encode()).hexdigest()[:24]}"
            for n in random.Random(11).sample(range(args.people), args.traces * 20)
        ]
        present = {
            str(row[0])
            for row in conn.execute(
                "SELECT DISTINCT person_key FROM events WHERE person_key = ANY(%s) "
                "AND corrected_time >= %s AND verdict = 'admit'",
                (drawn, window),
            )
        }
        people = [p for p in drawn if p in present][: args.traces]
        busiest = conn.execute(
            "SELECT checkpoint_id FROM events WHERE corrected_time >= %s "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            (end - dt.timedelta(days=1),),
        ).fetchone()
    print(f"\n{total:,} events stored, database {size}")
    with Storage.open(url) as storage:
        checkpoints = [c.id for c in storage.checkpoints()]
        margin = dt.timedelta(minutes=15)
        sealed = seal_records(url, storage, own_records(url, people, window))
        print(f"real sealed boxes for the traced people's own {sealed:,} records")

        def trace(person: str, reveal: bool) -> tracing.TraceResult:
            return tracing.trace(
                storage,
                person,
                now=end,
                start=window,
                end=end,
                margin=margin,
                reveal_personal=reveal,
            )

        load = LoadSampler()
        durations, results = [], []
        for person in people:
            began = time.perf_counter()
            results.append(trace(person, False))
            durations.append((time.perf_counter() - began) * 1000)
        contacts = [len(r.contacts) for r in results]
        visits = [len(r.visits) for r in results]
        print(
            f"tracing.trace, 14 days, margin 15 min, no reveal, {len(people)} people: "
            f"{summary(durations)}; visits per trace p50 {statistics.median(visits):.0f}, "
            f"max {max(visits)}; contacts per trace p50 {statistics.median(contacts):.0f}, "
            f"max {max(contacts)} [{load.stop()}]"
        )
        again = results[: args.reveals]
        records = sorted({c.stay.record for r in again for c in r.contacts})
        sealed = seal_records(url, storage, records)
        print(f"real sealed boxes for the first {len(again)} traces' {sealed:,} contacts")
        load = LoadSampler()
        durations, revealed = [], []
        for person in people[: args.reveals]:
            began = time.perf_counter()
            result = trace(person, True)
            durations.append((time.perf_counter() - began) * 1000)
            revealed += [
                c.personal is not None and c.personal.opened == OPENED for c in result.contacts
            ]
        print(
            f"tracing.trace with reveal, the first {len(again)} again: {summary(durations)}; "
            f"{sum(revealed):,} of {len(revealed):,} contacts' boxes opened [{load.stop()}]"
        )
        sample = random.Random(12).sample(checkpoints, min(100, len(checkpoints)))
        assert busiest is not None
        load = LoadSampler()
        durations, day = timed(lambda: storage.checkpoint_day(str(busiest[0]), last_day), 20)
        scans = sum(h.entries + h.exits + h.refused for h in day.hours)
        print(
            f"checkpoint_day, the busiest ({scans:,} scans that day): {summary(durations)} "
            f"[{load.stop()}]"
        )
        load = LoadSampler()
        durations = []
        for cp in sample:
            durations += timed(lambda cp=cp: storage.checkpoint_day(cp, last_day), 1)[0]
        print(f"checkpoint_day, 100 at random: {summary(durations)} [{load.stop()}]")
        for day in (last_day, last_day - dt.timedelta(days=7)):
            load = LoadSampler()
            durations, figures = timed(lambda day=day: storage.daily_figures(day), 5)
            print(f"daily_figures {figures.to_json()}: {summary(durations)} [{load.stop()}]")
        load = LoadSampler()
        durations, rows = timed(lambda: storage.today(end - dt.timedelta(hours=3)), 3)
        shown = f"{len(rows):,} checkpoints"
        print(f"today (overview page, {shown}): {summary(durations)} [{load.stop()}]")
        load = LoadSampler()
        durations, stats = timed(storage.stats, 3)
        print(f"stats {stats.to_json()}: {summary(durations)} [{load.stop()}]")
        if not args.no_purge:
            with storage.db.query() as conn:
                oldest = min(partitions.existing(conn))
            load = LoadSampler()
            began = time.perf_counter()
            dropped = partitions.drop_before(storage.db, oldest + dt.timedelta(days=2))
            drop_ms = (time.perf_counter() - began) * 1000
            report = storage.purge(oldest + dt.timedelta(days=2))
            print(
                f"purge before {oldest + dt.timedelta(days=2)}: {len(dropped)} partitions "
                f"detached and dropped in {drop_ms:.0f} ms; then {report.event_ids:,} event_ids "
                f"rows deleted in {report.seconds:.1f} s [{load.stop()}]"
            )


def own_records(url: str, people: list[str], window: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(id, received_at) of the people's admitted events a trace of the window reads."""
    since = window - tracing.LOOKBACK
    with psycopg.connect(url) as conn:
        return [
            (int(row[0]), row[1])
            for row in conn.execute(
                "SELECT id, received_at FROM events WHERE person_key = ANY(%s) "
                "AND verdict = 'admit' AND corrected_time >= %s",
                (people, since),
            )
        ]


def seal_records(url: str, storage: Storage, records: list[tuple[int, dt.datetime]]) -> int:
    """Replace these events' random bytes by real sealed boxes for the authority (made-up
    personal data for their own event ids), then VACUUM so index-only scans stay so."""
    if not records:
        return 0
    public = storage.authority_key().public
    with psycopg.connect(url, autocommit=True) as conn:
        wanted = set(records)
        rows = [
            row
            for row in conn.execute(
                "SELECT id, received_at, event_id, device_id, person_key FROM events "
                "WHERE id = ANY(%s) AND received_at BETWEEN %s AND %s",
                (
                    [r[0] for r in records],
                    min(r[1] for r in records),
                    max(r[1] for r in records),
                ),
            )
            if (row[0], row[1]) in wanted
        ]
        updates = []
        for row_id, received_at, event_id, device_id, person_key in rows:
            fields = {
                "full_name": "Nguyễn Văn An",
                "phone": "0912345678",
                "address": "12 Trần Phú, Rạch Giá, Kiên Giang",
            }
            box = seal_personal(
                public,
                event_id,
                PersonalData(None, fields, None),
                device_id=device_id,
                person_key=person_key,
            )
            updates.append((public.key_id, box, row_id, received_at))
        with conn.cursor() as cursor:
            cursor.executemany(
                "UPDATE events SET seal_key = %s, sealed = %s WHERE id = %s AND received_at = %s",
                updates,
            )
        conn.execute("VACUUM events")
    return len(updates)


def backup(cluster: PostgresCluster, url: str) -> None:
    """`--backup`: pg_dump -Fc of the database (time, size), then pg_restore into a new one
    (time, with 2 jobs), as docs/central.md's backups say."""
    import subprocess

    work = Path(tempfile.mkdtemp(prefix="central-dump-"))
    dump = work / "central.dump"
    try:
        load = LoadSampler()
        began = time.perf_counter()
        subprocess.run([str(cluster.bin_dir / "pg_dump"), "-Fc", "-f", str(dump), url], check=True)
        dumped = time.perf_counter() - began
        print(f"pg_dump -Fc: {dumped:.0f} s, {dump.stat().st_size / 1e9:.2f} GB [{load.stop()}]")
        target = cluster.url(cluster.create_database(name="restored"))
        load = LoadSampler()
        began = time.perf_counter()
        subprocess.run(
            [str(cluster.bin_dir / "pg_restore"), "-j", "2", "-d", target, str(dump)], check=True
        )
        print(f"pg_restore -j 2: {time.perf_counter() - began:.0f} s [{load.stop()}]")
        cluster.drop_database("restored")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--checkpoints", type=int, default=3000)
    parser.add_argument("--people", type=int, default=1_700_000)
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--reveals", type=int, default=20, help="traces timed again with reveal")
    parser.add_argument("--database-url", help="a database loaded by an earlier --keep run")
    parser.add_argument("--pg-defaults", action="store_true", help="PostgreSQL's own settings")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--no-purge", action="store_true", help="skip the purge (keeps the data)")
    parser.add_argument(
        "--backup", action="store_true", help="also time pg_dump -Fc and pg_restore (own cluster)"
    )
    args = parser.parse_args()
    print(machine())
    today = dt.datetime.now(ZONE).date()
    end = dt.datetime.combine(today, dt.time(), tzinfo=ZONE)
    cluster = None
    try:
        url = args.database_url
        if url is None:
            settings = () if args.pg_defaults else PROVINCE_SETTINGS
            base = Path(tempfile.mkdtemp(prefix="central-scale-"))
            base.chmod(0o711)  # the cluster runs as the postgres user when we are root
            cluster = PostgresCluster.start(durable=True, root=base / "pg", extra=settings)
            url = cluster.url(cluster.create_database(name="central"))
            shown = ", ".join(settings) or "defaults"
            print(f"PostgreSQL cluster in {cluster.root}; settings: {shown}")
            began = time.perf_counter()
            sampler = LoadSampler()
            load(url, args, end)
            print(f"loaded in {time.perf_counter() - began:.0f} s [{sampler.stop()}]")
        if args.backup and cluster is not None:
            backup(cluster, url)
        measure(url, args, end)
        if cluster is not None and args.keep:
            print(f"\nkept: --database-url {url}  (stop: pg_ctl -D {cluster.data_dir} stop)")
            cluster = None
    finally:
        if cluster is not None:
            root = cluster.root.parent
            cluster.stop()
            shutil.rmtree(root, ignore_errors=True)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
