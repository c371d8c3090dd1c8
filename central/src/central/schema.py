"""The central server's tables, for SQLite and PostgreSQL alike: one SQLAlchemy `MetaData`.

This module is what the storage's queries are written against (SQLAlchemy Core); the migrations
in central/migrations/ are what creates the tables. The two must agree: a test compares a
freshly migrated database of each engine with `metadata` (tests/central/test_migrations.py).

Adding a table or a column (docs/central.md, "Changing the schema"):
1. declare it here;
2. add a migration: a new file in central/migrations/versions/ whose `down_revision` is the
   current head, with explicit `op.create_table` / `op.add_column` calls (never import this
   module's tables into a migration: a migration is a frozen snapshot, this module moves on);
3. run `bash scripts/test tests/central`: the comparison test fails until both agree.

Engines differ only where they must:
- times are `UtcTime`: fixed-width ISO 8601 text on SQLite (as the server always stored them,
  so existing files keep their values), `timestamptz` on PostgreSQL; Python sees aware UTC
  datetimes on both;
- on PostgreSQL `events` is partitioned by day of `received_at` (the server's clock at
  arrival: never corrected, never far in the past or future), so the retention purge can drop
  whole days (central.partitions). A unique constraint on a partitioned table must include the
  partition key, so exactly-once per (device_id, event_id) is kept by the `event_ids` table
  (not partitioned; its primary key), on both engines alike;
- integer primary keys are INTEGER on SQLite (the rowid, which numbers rows in arrival order)
  and BIGINT identities on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator, TypeEngine

from checkpoint_common.timefmt import from_iso, to_iso

POSTGRESQL = "postgresql"
SQLITE = "sqlite"


class UtcTime(TypeDecorator[dt.datetime]):
    """An aware datetime, stored as `to_iso` text on SQLite and as timestamptz on PostgreSQL.

    Fixed-width ISO text sorts as time does, so comparisons and indexes work on it in SQLite;
    PostgreSQL keeps microseconds, as `to_iso` does. Values come back in UTC. Binding a naive
    datetime raises ValueError (a bug, never input).
    """

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == POSTGRESQL:
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are always timezone-aware")
        return value if dialect.name == POSTGRESQL else to_iso(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC)
        return from_iso(str(value))


# 64-bit integers: INTEGER on SQLite (64-bit there, and the rowid alias for a primary key).
BigInt = BigInteger().with_variant(Integer(), SQLITE)

metadata = MetaData(
    naming_convention={
        "ix": "%(table_name)s_%(column_0_N_name)s",
        "uq": "%(table_name)s_%(column_0_N_name)s_key",
        "ck": "%(table_name)s_%(constraint_name)s",
        "fk": "%(table_name)s_%(column_0_name)s_fkey",
        "pk": "%(table_name)s_pkey",
    }
)

# Deployment-wide values: the person_key_secret and the authority's private key.
deployment = Table(
    "deployment",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# Replay, conflict and rejection counters since the database was created (`stats`).
counters = Table(
    "counters",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", BigInt, nullable=False),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    # The server-managed settings the operator set (a JSON object; no name).
    Column("settings", Text, nullable=False, server_default=text("'{}'")),
    # One sequence over all checkpoints (docs/central.md, "Downloads").
    Column("config_version", BigInt, nullable=False, server_default=text("1")),
    Column("created_at", UtcTime, nullable=False),
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    Column("code_sha256", Text, primary_key=True),
    Column("checkpoint_id", Text, ForeignKey("checkpoints.id"), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("expires_at", UtcTime, nullable=False),
    Column("used_at", UtcTime),
    Column("used_by", Text),
    # A code issued to enroll this (already enrolled) device again (migration 0004).
    Column("replaces_device", Text),
)

devices = Table(
    "devices",
    metadata,
    Column("device_id", Text, primary_key=True),
    Column("checkpoint_id", Text, ForeignKey("checkpoints.id"), nullable=False),
    Column("device_name", Text, nullable=False, server_default=text("''")),
    Column("token_sha256", Text, nullable=False, unique=True),
    Column("enrolled_at", UtcTime, nullable=False),
    Column("revoked_at", UtcTime),
    Column("last_contact", UtcTime),
    # Events of this device stored now: kept by the ingest that already updates this row, and
    # by the purge. Their sum is `stats`' count without counting 10 M rows (0003_reports).
    Column("events_stored", BigInt, nullable=False, server_default=text("0")),
    Index("devices_checkpoint", "checkpoint_id"),
)

# One clock anchor per (device, boot): the server's receive time and the kiosk's monotonic
# clock at sending (central.storage, "Clock correction").
boot_anchors = Table(
    "boot_anchors",
    metadata,
    Column("device_id", Text, nullable=False),
    Column("boot_id", Text, nullable=False),
    Column("server_time", UtcTime, nullable=False),
    Column("mono_ns", BigInt, nullable=False),
    PrimaryKeyConstraint("device_id", "boot_id"),
)

# Exactly once per (device_id, event_id): every event stored has its row here, written in the
# same transaction. The content hash tells a replay (`duplicate`) from a reuse (`conflict`).
# Holds no personal data; received_at lets a purge find old rows.
event_ids = Table(
    "event_ids",
    metadata,
    Column("device_id", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("content_sha256", Text, nullable=False),
    Column("received_at", UtcTime, nullable=False),
    PrimaryKeyConstraint("device_id", "event_id"),
    Index("event_ids_received_at", "received_at"),
)

# What the covering indexes of `events` carry besides their keys (PostgreSQL INCLUDE; SQLite
# indexes hold their keys only). received_at: the partition key, which queries by corrected time
# also filter on (central.storage, `received_since`).
_TRACE_COLUMNS = ("received_at", "id", "verdict", "direction", "person_key", "kind", "display_name")
_DAY_COLUMNS = ("received_at", "checkpoint_id", "person_key", "direction", "verdict")

# Every event as the kiosk sent it, plus what the server added. On PostgreSQL: partitioned by
# RANGE (received_at), one partition per UTC day (central.partitions), primary key
# (id, received_at) since a partitioned table's keys must hold the partition key; the initial
# migration says so explicitly.
events = Table(
    "events",
    metadata,
    Column("id", BigInt, Identity(), primary_key=True),  # arrival order on this server
    Column("device_id", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("seq", BigInt, nullable=False),
    Column("checkpoint_id", Text, nullable=False),
    Column("person_key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("display_name", Text),
    Column("birth_year", BigInt),
    Column("direction", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("device_time", Text, nullable=False),  # as the kiosk sent it
    Column("mono_ns", BigInt, nullable=False),
    Column("boot_id", Text, nullable=False),
    Column("clock_synced", Boolean, nullable=False),
    Column("problems", Text, nullable=False, server_default=text("'[]'")),  # JSON list
    Column("received_at", UtcTime, nullable=False),
    Column("corrected_time", UtcTime, nullable=False),
    Column("clock_flag", Text, nullable=False),
    # The personal data sealed by the kiosk to the authority key; never stored opened.
    Column("seal_key", Text),
    Column("sealed", LargeBinary),
    CheckConstraint("direction IN ('in', 'out')", name="direction"),
    CheckConstraint("verdict IN ('admit', 'refer', 'deny')", name="verdict"),
    CheckConstraint("clock_flag IN ('ok', 'corrected', 'unverified')", name="clock_flag"),
    # A checkpoint's day and co-presence at one checkpoint. On PostgreSQL it carries what
    # tracing reads, so a checkpoint's stays come from the index alone (an index-only scan,
    # no heap page per event); revision 0003_reports.
    Index(
        "events_checkpoint_time",
        "checkpoint_id",
        "corrected_time",
        postgresql_include=[*_TRACE_COLUMNS],
    ),
    # A day of the whole deployment (daily figures, the overview page's counts); covering on
    # PostgreSQL, like the one above.
    Index("events_day", "corrected_time", postgresql_include=[*_DAY_COLUMNS]),
    # A person's visits everywhere (trace).
    Index("events_person_time", "person_key", "corrected_time"),
    # Re-correction when a late anchor arrives; holds only unverified rows, so it is tiny.
    Index(
        "events_unverified",
        "device_id",
        "boot_id",
        sqlite_where=text("clock_flag = 'unverified'"),
        postgresql_where=text("clock_flag = 'unverified'"),
    ),
    postgresql_partition_by="RANGE (received_at)",
)

# The status list as it is now, its versions, and which keys changed in each version.
status_versions = Table(
    "status_versions",
    metadata,
    Column("version", BigInt, primary_key=True, autoincrement=False),
    Column("created_at", UtcTime, nullable=False),
    Column("entries", BigInt, nullable=False),
)

status_list = Table(
    "status_list",
    metadata,
    Column("person_key", Text, primary_key=True),
    Column("colour", Text, nullable=False),
    Column("valid_until", Text),  # to_iso text, as the kiosks receive it
    Column("version", BigInt, nullable=False),
    CheckConstraint("colour IN ('red', 'yellow', 'green')", name="colour"),
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("version", BigInt, nullable=False),
    Column("person_key", Text, nullable=False),
    PrimaryKeyConstraint("version", "person_key"),
)

# Every trust list loaded; the newest row is the one served.
trust_lists = Table(
    "trust_lists",
    metadata,
    Column("id", BigInt, Identity(), primary_key=True),
    Column("version", Text, nullable=False),  # JSON: a string or an integer, as in the file
    Column("keys", Text, nullable=False),  # JSON list of {"kid", "certificate" | "public_key"}
    Column("loaded_at", UtcTime, nullable=False),
)

# -- the web console (central.console; migration 0002_console) ------------------------------

# Accounts: a name, a role (central.console.accounts.ROLES), an Argon2id hash. Never deleted
# (the audit log names them); disabled instead. failed_logins counts failures since the last
# success; locked_until ends a lockout.
console_users = Table(
    "console_users",
    metadata,
    Column("name", Text, primary_key=True),
    Column("role", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("password_changed_at", UtcTime, nullable=False),
    Column("disabled_at", UtcTime),
    Column("failed_logins", BigInt, nullable=False, server_default=text("0")),
    Column("locked_until", UtcTime),
    Column("last_login_at", UtcTime),
    CheckConstraint("role IN ('health-officer', 'site-manager', 'admin')", name="role"),
)

# The checkpoints a site manager manages.
console_user_checkpoints = Table(
    "console_user_checkpoints",
    metadata,
    Column("user_name", Text, ForeignKey("console_users.name"), nullable=False),
    Column("checkpoint_id", Text, ForeignKey("checkpoints.id"), nullable=False),
    PrimaryKeyConstraint("user_name", "checkpoint_id"),
)

# Signed-in sessions: the SHA-256 of the cookie's token, never the token; the form token (CSRF).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_sha256", Text, primary_key=True),
    Column("user_name", Text, ForeignKey("console_users.name"), nullable=False),
    Column("csrf_token", Text, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("last_seen_at", UtcTime, nullable=False),
    Index("console_sessions_user", "user_name"),
)

# Append-only: who did what, when, to how many people. The console writes rows and reads them;
# nothing in the server updates or deletes one.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInt, Identity(), primary_key=True),
    Column("at", UtcTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("subject", Text),  # a checkpoint, a device, an account, a person key's prefix
    Column("people", BigInt, nullable=False, server_default=text("0")),
    Column("detail", Text, nullable=False, server_default=text("'{}'")),  # JSON object
    Index("audit_log_at", "at"),
)

# Where a checkpoint is (registered from the console); a checkpoint made by
# `kiosk-central enrollment-code` has no row until a site manager fills it in.
checkpoint_places = Table(
    "checkpoint_places",
    metadata,
    Column("checkpoint_id", Text, ForeignKey("checkpoints.id"), primary_key=True),
    Column("address", Text, nullable=False, server_default=text("''")),
    Column("province", Text, nullable=False, server_default=text("''")),
    Column("district", Text, nullable=False, server_default=text("''")),
    Column("commune", Text, nullable=False, server_default=text("''")),
    Column("registered_by", Text),
    Column("registered_at", UtcTime, nullable=False),
)

# What each kiosk last said about itself (checkpoint_common.protocol.DeviceStatus).
device_reports = Table(
    "device_reports",
    metadata,
    Column("device_id", Text, primary_key=True),
    Column("reported_at", UtcTime, nullable=False),
    Column("app_version", Text),
    Column("waiting", BigInt),
    Column("clock_synced", Boolean),
    Column("clock_offset_ms", BigInt),
    Column("demo", Boolean),
)

# Citizens' health declarations (central.declare; migration 0004_declarations): everything the
# citizen gave is one box sealed to the authority's key (checkpoint_common.seal, the
# declaration_id as associated data); in clear only when it was made and until when it counts
# (the purge). Never opened by the server but for `kiosk-central declarations --reveal`.
declarations = Table(
    "declarations",
    metadata,
    Column("id", BigInt, Identity(), primary_key=True),
    Column("declaration_id", Text, nullable=False, unique=True),
    Column("declared_at", UtcTime, nullable=False),
    Column("valid_until", UtcTime, nullable=False),
    Column("seal_key", Text, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Index("declarations_declared_at", "declared_at"),
)

COUNTER_NAMES = ("duplicates", "conflicts", "rejected")

__all__ = [
    "COUNTER_NAMES",
    "POSTGRESQL",
    "SQLITE",
    "BigInt",
    "UtcTime",
    "audit_log",
    "boot_anchors",
    "checkpoint_places",
    "checkpoints",
    "console_sessions",
    "console_user_checkpoints",
    "console_users",
    "counters",
    "declarations",
    "deployment",
    "device_reports",
    "devices",
    "enrollment_codes",
    "event_ids",
    "events",
    "metadata",
    "status_changes",
    "status_list",
    "status_versions",
    "trust_lists",
]
