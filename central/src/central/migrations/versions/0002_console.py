"""The web console: accounts, sessions, the audit log, where checkpoints are, what kiosks report.

Revision ID: 0002_console
Revises: 0001_initial

Append-only: never edit a migration that has shipped; add a new one. Explicit operations only
(no imports of central.schema's tables: this file is a frozen snapshot).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_console"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TIME = sa.Text().with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("password_changed_at", TIME, nullable=False),
        sa.Column("disabled_at", TIME, nullable=True),
        sa.Column("failed_logins", BIGINT, server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", TIME, nullable=True),
        sa.Column("last_login_at", TIME, nullable=True),
        sa.CheckConstraint(
            "role IN ('health-officer', 'site-manager', 'admin')", name="console_users_role"
        ),
        sa.PrimaryKeyConstraint("name", name="console_users_pkey"),
    )
    op.create_table(
        "console_user_checkpoints",
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("checkpoint_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"], ["console_users.name"], name="console_user_checkpoints_user_name_fkey"
        ),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name="console_user_checkpoints_checkpoint_id_fkey",
        ),
        sa.PrimaryKeyConstraint("user_name", "checkpoint_id", name="console_user_checkpoints_pkey"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_sha256", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_name"], ["console_users.name"], name="console_sessions_user_name_fkey"
        ),
        sa.PrimaryKeyConstraint("token_sha256", name="console_sessions_pkey"),
    )
    op.create_index("console_sessions_user", "console_sessions", ["user_name"])
    op.create_table(
        "audit_log",
        sa.Column("id", BIGINT, sa.Identity(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("people", BIGINT, server_default=sa.text("0"), nullable=False),
        sa.Column("detail", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="audit_log_pkey"),
    )
    op.create_index("audit_log_at", "audit_log", ["at"])
    op.create_table(
        "checkpoint_places",
        sa.Column("checkpoint_id", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("province", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("district", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("commune", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("registered_by", sa.Text(), nullable=True),
        sa.Column("registered_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"], ["checkpoints.id"], name="checkpoint_places_checkpoint_id_fkey"
        ),
        sa.PrimaryKeyConstraint("checkpoint_id", name="checkpoint_places_pkey"),
    )
    op.create_table(
        "device_reports",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("reported_at", TIME, nullable=False),
        sa.Column("app_version", sa.Text(), nullable=True),
        sa.Column("waiting", BIGINT, nullable=True),
        sa.Column("clock_synced", sa.Boolean(), nullable=True),
        sa.Column("clock_offset_ms", BIGINT, nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name="device_reports_pkey"),
    )


def downgrade() -> None:
    raise NotImplementedError("restore the backup taken before the upgrade (docs/central.md)")
