"""The retention purge (issue #11): events received more than N whole UTC days ago go, on both
engines (PostgreSQL: whole daily partitions detached and dropped; SQLite: rows), with their
exactly-once rows; `kiosk-central purge`; the server's hourly housekeeping."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from central import partitions
from central.schema import event_ids
from central.serving import Housekeeping, retention_cutoff
from central.storage import Storage
from tests.central.test_cli import run
from tests.central.test_live import db_option, start_server

from .conftest import T0, make_event
from .test_partitions import enroll, upload

DAY = dt.timedelta(days=1)


def ingest(storage: Storage, events: list[dict[str, object]], at: dt.datetime) -> list[str]:
    return [r.status for r in storage.ingest("dev-1", upload(events), at)]


def stored_ids(storage: Storage) -> set[str]:
    return {e.event.event_id for e in storage.events()}


def event_id_rows(storage: Storage) -> int:
    with storage.db.query() as conn:
        return int(conn.execute(select(func.count()).select_from(event_ids)).scalar_one())


def test_the_cutoff_keeps_whole_days() -> None:
    # 2026-11-25 03:00 UTC, 21 days: everything received from 2026-11-04 00:00 UTC stays.
    assert retention_cutoff(T0, 21) == dt.date(2026, 11, 4)
    late_evening_in_hanoi = dt.datetime(
        2026, 11, 25, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))
    )
    assert retention_cutoff(late_evening_in_hanoi, 21) == dt.date(2026, 11, 4)


def test_a_purge_removes_the_days_before_the_cutoff_and_nothing_else(storage: Storage) -> None:
    cp = enroll(storage)
    cutoff = retention_cutoff(T0, 21)
    midnight = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
    batches = {
        "a month ago": (midnight - 9 * DAY, [make_event(cp, seq=i) for i in range(3)]),
        "last second before": (midnight - dt.timedelta(seconds=1), [make_event(cp, seq=10)]),
        "first second kept": (midnight, [make_event(cp, seq=20)]),
        "yesterday": (T0 - DAY, [make_event(cp, seq=30 + i) for i in range(2)]),
    }
    for at, events in batches.values():
        assert ingest(storage, events, at) == ["stored"] * len(events)
    gone = {e["event_id"] for k in ("a month ago", "last second before") for e in batches[k][1]}
    kept = {e["event_id"] for k in ("first second kept", "yesterday") for e in batches[k][1]}

    report = storage.purge(cutoff, batch=2)  # small batches: the loops run several times

    assert stored_ids(storage) == kept
    assert event_id_rows(storage) == len(kept)
    assert storage.stats().events == len(kept)
    assert report.before == cutoff and report.event_ids == len(gone)
    if storage.db.dialect == "postgresql":
        assert report.events is None
        # Every partition before the cutoff (with events or made ahead and left empty).
        assert {cutoff - 9 * DAY, cutoff - DAY} <= set(report.days)
        assert max(report.days) < cutoff
        with storage.db.query() as conn:
            assert min(partitions.existing(conn)) == cutoff
    else:
        assert report.events == len(gone) and report.days == ()
    # Nothing left to do: a second purge (another server's housekeeping) changes nothing.
    again = storage.purge(cutoff)
    assert (again.days, again.events or 0, again.event_ids) == ((), 0, 0)
    # A replay of a kept event is still a duplicate; one of a purged event is stored anew,
    # once (its first copy is gone: never two copies at once).
    old_event = batches["a month ago"][1][0]
    kept_event = batches["yesterday"][1][0]
    assert ingest(storage, [kept_event, old_event], T0) == ["duplicate", "stored"]
    assert ingest(storage, [old_event], T0 + dt.timedelta(hours=1)) == ["duplicate"]


def partition_state(url: str, name: str) -> tuple[bool, bool]:
    """(a table of that name exists, it is a partition of events with a detach pending)."""
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
        pending = conn.execute(
            "SELECT i.inhdetachpending FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE c.relname = %s",
            (name,),
        ).fetchone()
    return bool(exists and exists[0]), bool(pending and pending[0])


def test_a_purge_killed_midway_is_finished_by_the_next(postgres_url: str) -> None:
    with Storage.open(postgres_url) as pg:
        cp = enroll(pg)
        first, second = T0 - 40 * DAY, T0 - 39 * DAY
        ingest(pg, [make_event(cp, seq=1)], first)
        ingest(pg, [make_event(cp, seq=2)], second)
        kept = make_event(cp, seq=3)
        ingest(pg, [kept], T0)
        first_name = partitions.partition_name(first.date())
        second_name = partitions.partition_name(second.date())
        # Killed between the detach and the drop: a detached table is left.
        with pg.db.write() as conn:
            conn.execute(text(f"ALTER TABLE events DETACH PARTITION {first_name}"))
        # Killed while DETACH … CONCURRENTLY waited for a reader: the detach stays pending.
        with (
            psycopg.connect(postgres_url) as reader,
            psycopg.connect(postgres_url, autocommit=True) as detacher,
        ):
            reader.execute("SELECT count(*) FROM events")  # an open transaction reading it
            pid = detacher.info.backend_pid
            outcome: list[BaseException] = []

            def detach() -> None:
                try:
                    detacher.execute(
                        f"ALTER TABLE events DETACH PARTITION {second_name} CONCURRENTLY"
                    )
                except psycopg.Error as exc:
                    outcome.append(exc)

            worker = threading.Thread(target=detach)
            worker.start()
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                for _ in range(100):  # until it waits on the reader
                    waiting = admin.execute(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)
                    ).fetchone()
                    if waiting and waiting[0] == "Lock":
                        break
                    time.sleep(0.05)
                admin.execute("SELECT pg_cancel_backend(%s)", (pid,))
            worker.join(30)
            reader.rollback()
        assert outcome and isinstance(outcome[0], psycopg.errors.QueryCanceled)
        assert partition_state(postgres_url, second_name) == (True, True)
        assert partition_state(postgres_url, first_name) == (True, False)

        report = pg.purge(retention_cutoff(T0, 21))

        assert {first.date(), second.date()} <= set(report.days)
        assert partition_state(postgres_url, first_name) == (False, False)
        assert partition_state(postgres_url, second_name) == (False, False)
        assert stored_ids(pg) == {kept["event_id"]}
        assert pg.stats().events == 1  # the devices' counts went down with the rows


def test_kiosk_central_purge(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    now = dt.datetime.now(dt.UTC)
    with Storage.open(db) as storage:
        cp = enroll(storage)
        old, recent = make_event(cp, seq=1), make_event(cp, seq=2)
        ingest(storage, [old], now - 30 * DAY)
        ingest(storage, [recent], now - DAY)
    code, out, err = run(capsys, "purge", "--retention-days", "21", *db_option(db))
    assert code == 0, err
    report = json.loads(out)
    assert report["before"] == retention_cutoff(now, 21).isoformat()
    assert report["event_ids"] == 1
    with Storage.open(db) as storage:
        assert stored_ids(storage) == {recent["event_id"]}
    assert run(capsys, "purge", "--retention-days", "0", *db_option(db))[0] == 2


def test_housekeeping_purges_but_never_everything(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    cp = enroll(storage)
    ingest(storage, [make_event(cp, seq=1)], T0)
    # Two months on (or a server clock two months ahead): every event is past the retention.
    later = T0 + 60 * DAY
    caplog.set_level(logging.WARNING, logger="central.serving")
    assert Housekeeping(storage, retention_days=21, clock=lambda: later).run_once()
    assert storage.stats().events == 1
    assert "not purging automatically" in caplog.text
    # Once something recent arrives, the old day goes.
    ingest(storage, [make_event(cp, seq=2)], later)
    assert Housekeeping(storage, retention_days=21, clock=lambda: later).run_once()
    assert storage.stats().events == 1
    # 0: keep forever.
    assert Housekeeping(storage, retention_days=0, clock=lambda: later + 365 * DAY).run_once()
    assert storage.stats().events == 1


def test_the_server_purges_on_its_own(db: Path | str) -> None:
    now = dt.datetime.now(dt.UTC)
    with Storage.open(db) as storage:
        cp = enroll(storage)
        ingest(storage, [make_event(cp, seq=1)], now - 3 * DAY)
        recent = make_event(cp, seq=2)
        ingest(storage, [recent], now)
    with start_server(db, "--retention-days", "1") as server:
        deadline = time.monotonic() + 20
        while "purge before" not in server.log_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert "purge before" in server.log_text()
    with Storage.open(db) as storage:
        assert stored_ids(storage) == {recent["event_id"]}
