"""Enrollment codes issued to replace one device (issue #13: no enrollment takeover).

Revision ID: 0005_replace_codes
Revises: 0004_declarations

A device id that is already enrolled can be enrolled again only with its current token or with
a code issued for it (`kiosk-central enrollment-code --replace DEVICE_ID`): the code names that
device in `replaces_device`.

Append-only: never edit a migration that has shipped; add a new one. Explicit operations only
(no imports of central.schema's tables: this file is a frozen snapshot).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_replace_codes"
down_revision = "0004_declarations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("replaces_device", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("replaces_device")
