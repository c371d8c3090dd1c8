"""Indexes for the province's reports and for tracing at scale; no event dated after its
receipt (issue #11, milestone B).

Revision ID: 0003_reports
Revises: 0002_console

- `events_checkpoint_time` (checkpoint_id, corrected_time) becomes covering on PostgreSQL:
  INCLUDE (received_at, id, verdict, direction, person_key, kind, display_name), what tracing
  and a checkpoint's day read (index-only scans: no heap page per event).
- `events_day` (corrected_time), covering on PostgreSQL: INCLUDE (received_at, checkpoint_id,
  person_key, direction, verdict): a whole day (daily figures, the overview page).
- `devices.events_stored`: the events of each device stored now (ingest adds, the purge
  takes away, in their transactions), counted here once; `stats` sums them instead of
  counting every event.
- Events stored before the clock rule "never dated after the server received it" (central.
  storage.correct_time) whose corrected time is more than 2 s after their receipt get the
  receipt as corrected time, flagged unverified: queries by corrected time skip the partitions
  received before their window and would miss them otherwise.

On PostgreSQL every partition's indexes are built here (measured: about 25 s per index for
10 million events on 2 vCPUs); writes to `events` wait meanwhile. Run it with the servers
stopped, as every upgrade (docs/central.md, "Upgrading").

Append-only: never edit a migration that has shipped; add a new one.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003_reports"
down_revision = "0002_console"
branch_labels = None
depends_on = None

TRACE = ["received_at", "id", "verdict", "direction", "person_key", "kind", "display_name"]
DAY = ["received_at", "checkpoint_id", "person_key", "direction", "verdict"]
TOLERANCE = dt.timedelta(seconds=2)
# 64-bit integers; INTEGER on SQLite.
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(
            "UPDATE events SET corrected_time = received_at, clock_flag = 'unverified' "
            "WHERE corrected_time > received_at + interval '2 seconds'"
        )
    else:
        # Fixed-width ISO text compares as time does; the 2 s tolerance is checked in Python.
        late = bind.exec_driver_sql(
            "SELECT id, received_at, corrected_time FROM events WHERE corrected_time > received_at"
        ).all()
        for row_id, received, corrected in late:
            received_at = dt.datetime.fromisoformat(received.replace("Z", "+00:00"))
            corrected_at = dt.datetime.fromisoformat(corrected.replace("Z", "+00:00"))
            if corrected_at - received_at > TOLERANCE:
                bind.exec_driver_sql(
                    "UPDATE events SET corrected_time = received_at, clock_flag = 'unverified' "
                    "WHERE id = ?",
                    (row_id,),
                )
    op.add_column(
        "devices",
        sa.Column("events_stored", BIGINT, server_default=sa.text("0"), nullable=False),
    )
    # One pass over the events (a correlated count per device would scan them per device).
    bind.exec_driver_sql(
        "UPDATE devices SET events_stored = counted.n FROM "
        "(SELECT device_id, count(*) AS n FROM events GROUP BY device_id) AS counted "
        "WHERE devices.device_id = counted.device_id"
    )
    op.drop_index("events_checkpoint_time", table_name="events")
    op.create_index(
        "events_checkpoint_time",
        "events",
        ["checkpoint_id", "corrected_time"],
        postgresql_include=TRACE,
    )
    op.create_index("events_day", "events", ["corrected_time"], postgresql_include=DAY)


def downgrade() -> None:
    raise NotImplementedError("restore the backup taken before the upgrade (docs/central.md)")
