"""The central server's tables, SQLite and PostgreSQL.

Revision ID: 0001_initial
Revises: (none)

Append-only: never edit a migration that has shipped; add a new one. Explicit operations only
(no imports of central.schema's tables: this file is a frozen snapshot).

A database written before Alembic (sqlite-utils migrations `0001_initial` and
`0002_sealed_personal_data`) is converted to this revision by central.migrate, after a backup.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

# Times: ISO 8601 text on SQLite (central.schema.UtcTime), timestamptz on PostgreSQL.
TIME = sa.Text().with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
# 64-bit integers; INTEGER on SQLite, where an INTEGER primary key is the rowid.
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "deployment",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="deployment_pkey"),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", BIGINT, nullable=False),
        sa.PrimaryKeyConstraint("name", name="counters_pkey"),
    )
    op.bulk_insert(
        counters,
        [{"name": name, "value": 0} for name in ("duplicates", "conflicts", "rejected")],
    )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("settings", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("config_version", BIGINT, server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="checkpoints_pkey"),
        sa.UniqueConstraint("name", name="checkpoints_name_key"),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_sha256", sa.Text(), nullable=False),
        sa.Column("checkpoint_id", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.Column("used_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"], ["checkpoints.id"], name="enrollment_codes_checkpoint_id_fkey"
        ),
        sa.PrimaryKeyConstraint("code_sha256", name="enrollment_codes_pkey"),
    )
    op.create_table(
        "devices",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("checkpoint_id", sa.Text(), nullable=False),
        sa.Column("device_name", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("token_sha256", sa.Text(), nullable=False),
        sa.Column("enrolled_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.Column("last_contact", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"], ["checkpoints.id"], name="devices_checkpoint_id_fkey"
        ),
        sa.PrimaryKeyConstraint("device_id", name="devices_pkey"),
        sa.UniqueConstraint("token_sha256", name="devices_token_sha256_key"),
    )
    op.create_index("devices_checkpoint", "devices", ["checkpoint_id"])
    op.create_table(
        "boot_anchors",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("boot_id", sa.Text(), nullable=False),
        sa.Column("server_time", TIME, nullable=False),
        sa.Column("mono_ns", BIGINT, nullable=False),
        sa.PrimaryKeyConstraint("device_id", "boot_id", name="boot_anchors_pkey"),
    )
    op.create_table(
        "event_ids",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.Text(), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("device_id", "event_id", name="event_ids_pkey"),
    )
    op.create_index("event_ids_received_at", "event_ids", ["received_at"])
    # On PostgreSQL partitioned by day of received_at (central.partitions makes the days); a
    # partitioned table's primary key must hold the partition key.
    op.create_table(
        "events",
        sa.Column("id", BIGINT, sa.Identity(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("seq", BIGINT, nullable=False),
        sa.Column("checkpoint_id", sa.Text(), nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("birth_year", BIGINT, nullable=True),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("device_time", sa.Text(), nullable=False),
        sa.Column("mono_ns", BIGINT, nullable=False),
        sa.Column("boot_id", sa.Text(), nullable=False),
        sa.Column("clock_synced", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("corrected_time", TIME, nullable=False),
        sa.Column("clock_flag", sa.Text(), nullable=False),
        sa.Column("seal_key", sa.Text(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("direction IN ('in', 'out')", name="events_direction"),
        sa.CheckConstraint("verdict IN ('admit', 'refer', 'deny')", name="events_verdict"),
        sa.CheckConstraint(
            "clock_flag IN ('ok', 'corrected', 'unverified')", name="events_clock_flag"
        ),
        sa.PrimaryKeyConstraint(
            *(("id", "received_at") if postgres else ("id",)), name="events_pkey"
        ),
        postgresql_partition_by="RANGE (received_at)",  # ignored by SQLite
    )
    op.create_index("events_checkpoint_time", "events", ["checkpoint_id", "corrected_time"])
    op.create_index("events_person_time", "events", ["person_key", "corrected_time"])
    op.create_index(
        "events_unverified",
        "events",
        ["device_id", "boot_id"],
        sqlite_where=sa.text("clock_flag = 'unverified'"),
        postgresql_where=sa.text("clock_flag = 'unverified'"),
    )
    op.create_table(
        "status_versions",
        sa.Column("version", BIGINT, autoincrement=False, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("entries", BIGINT, nullable=False),
        sa.PrimaryKeyConstraint("version", name="status_versions_pkey"),
    )
    op.create_table(
        "status_list",
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("colour", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.Text(), nullable=True),
        sa.Column("version", BIGINT, nullable=False),
        sa.CheckConstraint("colour IN ('red', 'yellow', 'green')", name="status_list_colour"),
        sa.PrimaryKeyConstraint("person_key", name="status_list_pkey"),
    )
    op.create_table(
        "status_changes",
        sa.Column("version", BIGINT, nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", "person_key", name="status_changes_pkey"),
    )
    op.create_table(
        "trust_lists",
        sa.Column("id", BIGINT, sa.Identity(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("loaded_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="trust_lists_pkey"),
    )


def downgrade() -> None:
    raise NotImplementedError("restore the backup taken before the upgrade (docs/central.md)")
