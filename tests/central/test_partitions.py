"""PostgreSQL only: events partitioned by day of receipt (central.partitions), exactly once per
event_id across partitions, and the pool's connections staying as they were lent."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from central import partitions, tokens
from central.storage import Storage
from checkpoint_common.protocol import EventPayload, UploadRequest
from checkpoint_common.timefmt import to_iso

from .conftest import T0, S, make_event, new_code


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Storage]:
    with Storage.open(postgres_url) as storage:
        yield storage


def enroll(storage: Storage, device_id: str = "dev-1") -> str:
    code = new_code(storage, "Gate A", T0)
    return storage.enroll(
        tokens.code_digest(code),
        device_id=device_id,
        device_name="",
        token_sha256=tokens.token_digest(device_id),
        now=T0,
    ).id


def upload(events: list[dict[str, object]], device_id: str = "dev-1") -> UploadRequest:
    return UploadRequest(
        device_id, "boot-1", to_iso(T0), 2000 * S, tuple(EventPayload.from_json(e) for e in events)
    )


def where_stored(storage: Storage) -> dict[str, str]:
    """event_id -> the partition its row is in."""
    with storage.db.query() as conn:
        rows = conn.execute(text("SELECT event_id, tableoid::regclass::text FROM events")).all()
    return {str(event_id): str(table) for event_id, table in rows}


def test_events_go_to_the_partition_of_their_receive_day(pg: Storage) -> None:
    cp = enroll(pg)
    late = T0.replace(hour=23, minute=59, second=59)  # 2026-11-25, last second (UTC)
    first = make_event(cp)
    second = make_event(cp, seq=2)
    pg.ingest("dev-1", upload([first]), late)
    pg.ingest("dev-1", upload([second]), late + dt.timedelta(seconds=1))
    assert where_stored(pg) == {
        first["event_id"]: "events_p20261125",
        second["event_id"]: "events_p20261126",
    }
    with pg.db.query() as conn:
        # No DEFAULT partition: a day without one fails loudly rather than piling up elsewhere.
        default = conn.execute(
            text(
                "SELECT count(*) FROM pg_partitioned_table p "
                "JOIN pg_class c ON c.oid = p.partrelid "
                "WHERE c.relname = 'events' AND p.partdefid <> 0"
            )
        ).scalar_one()
    assert default == 0


def test_a_day_without_a_partition_gets_one_and_the_week_after(
    pg: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    cp = enroll(pg)
    far = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    caplog.set_level(logging.INFO, logger="central.partitions")
    event = make_event(cp)
    assert pg.ingest("dev-1", upload([event]), far)[0].status == "stored"
    assert where_stored(pg)[event["event_id"]] == "events_p20270301"
    with pg.db.query() as conn:
        days = partitions.existing(conn)
    wanted = {far.date() + dt.timedelta(days=n) for n in range(partitions.DAYS_AHEAD + 1)}
    assert wanted <= days
    assert "events partition events_p20270308 created" in caplog.text
    # Known now: the next batch that day makes none.
    caplog.clear()
    pg.ingest("dev-1", upload([make_event(cp, seq=2)]), far + dt.timedelta(hours=1))
    assert "created" not in caplog.text


def test_a_replay_received_another_day_is_still_a_duplicate(pg: Storage) -> None:
    # The unique key a partitioned table could hold would include the day: event_ids keeps
    # (device_id, event_id) unique across all of them.
    cp = enroll(pg)
    events = [make_event(cp, seq=i) for i in range(3)]
    pg.ingest("dev-1", upload(events), T0)
    later = pg.ingest("dev-1", upload(events), T0 + dt.timedelta(days=3))
    assert [r.status for r in later] == ["duplicate"] * 3
    changed = {**events[0], "direction": "out"}
    assert pg.ingest("dev-1", upload([changed]), T0 + dt.timedelta(days=4))[0].error == "conflict"
    assert pg.event_count() == 3


def test_dropping_a_days_partition_removes_that_day_only(pg: Storage) -> None:
    """The retention purge drops whole days (tests/central/test_retention.py for the rest)."""
    cp = enroll(pg)
    old, kept = make_event(cp, seq=1), make_event(cp, seq=2)
    pg.ingest("dev-1", upload([old]), T0)
    pg.ingest("dev-1", upload([kept]), T0 + dt.timedelta(days=1))
    assert pg.stats().events == 2
    report = pg.purge(T0.date() + dt.timedelta(days=1))
    assert T0.date() in report.days and T0.date() + dt.timedelta(days=1) not in report.days
    assert [e.event.event_id for e in pg.events()] == [kept["event_id"]]
    assert pg.stats().events == 1
    assert "events_p20261125" not in where_stored(pg).values()


def test_pooled_connections_do_not_collect_notice_handlers(pg: Storage) -> None:
    # SQLAlchemy's NullPool sees every loan as a new connection and registers its notice
    # handler each time (central.database): the list must stay as it was.
    for _ in range(50):
        pg.checkpoints()
    pool = pg.db._pool
    assert pool is not None
    with pool.connection() as conn:
        assert len(conn._notice_handlers) <= 1
