"""Citizens' health declarations, sealed (central.declare).

Revision ID: 0004_declarations
Revises: 0003_reports

Append-only: never edit a migration that has shipped; add a new one. Explicit operations only
(no imports of central.schema's tables: this file is a frozen snapshot).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_declarations"
down_revision = "0003_reports"
branch_labels = None
depends_on = None

TIME = sa.Text().with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "declarations",
        sa.Column("id", BIGINT, sa.Identity(), nullable=False),
        sa.Column("declaration_id", sa.Text(), nullable=False),
        sa.Column("declared_at", TIME, nullable=False),
        sa.Column("valid_until", TIME, nullable=False),
        sa.Column("seal_key", sa.Text(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="declarations_pkey"),
        sa.UniqueConstraint("declaration_id", name="declarations_declaration_id_key"),
    )
    op.create_index("declarations_declared_at", "declarations", ["declared_at"])


def downgrade() -> None:
    raise NotImplementedError("restore the backup taken before the upgrade (docs/central.md)")
