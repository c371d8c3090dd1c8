"""The audit log: who did what, when, to how many people (docs/central.md, "Audit").

Every login (and failed login), trace, reveal of personal data, export, status-list change,
checkpoint registration, enrollment code, kiosk revocation and account change is one row of
`audit_log`, written in its own transaction as the action happens (before its answer goes
out). Rows are only ever added: the console has no way to change or delete one, and admins
read and export them. A row holds no ID number, name or phone: a traced person appears as the
first 12 characters of a person key (a keyed hash), contacts as a count.

Thread contract: short transactions on the Database; safe from any thread.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from central.database import Database
from central.schema import audit_log

# Actions (stable codes; the console translates them).
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_LOCKED = "login_locked"
LOGOUT = "logout"
TRACE = "trace"
REVEAL = "reveal"
EXPORT = "export"
STATUS_CHANGE = "status_change"
CHECKPOINT_REGISTERED = "checkpoint_registered"
ENROLLMENT_CODE = "enrollment_code"
DEVICE_REVOKED = "device_revoked"
ACCOUNT_ADDED = "account_added"
ACCOUNT_DISABLED = "account_disabled"
PASSWORD_CHANGED = "password_changed"
AUDIT_EXPORT = "audit_export"
VISITORS_VIEWED = "visitors_viewed"
DECLARATION_KEY = "declaration_key"  # the key that signs health declarations was installed

# The actor of the command line (`kiosk-central user ...`).
COMMAND_LINE = "(command line)"

_PAGE = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    subject: str | None
    people: int
    detail: dict[str, Any]


def record(
    db: Database,
    *,
    actor: str,
    role: str,
    action: str,
    now: dt.datetime,
    subject: str | None = None,
    people: int = 0,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one row (its own transaction). `detail` is JSON-ready and holds no personal
    data (counts, checkpoint ids, the kind of identifier searched, a period)."""
    with db.write() as conn:
        conn.execute(
            audit_log.insert().values(
                at=now,
                actor=actor,
                role=role,
                action=action,
                subject=subject,
                people=people,
                detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            )
        )


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        int(row.id),
        row.at,
        str(row.actor),
        str(row.role),
        str(row.action),
        row.subject,
        int(row.people),
        json.loads(row.detail),
    )


def entries(db: Database, *, limit: int = 200, before: int | None = None) -> list[AuditEntry]:
    """The newest rows first (`before`: ids below this one, for paging)."""
    a = audit_log.c
    query = select(audit_log).order_by(a.id.desc()).limit(limit)
    if before is not None:
        query = query.where(a.id < before)
    with db.query() as conn:
        return [_entry(r) for r in conn.execute(query)]


def count(db: Database) -> int:
    with db.query() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def every_entry(db: Database) -> Iterator[AuditEntry]:
    """All rows, oldest first, read in pages (no transaction held while the caller works)."""
    last = 0
    while True:
        with db.query() as conn:
            rows = conn.execute(
                select(audit_log).where(audit_log.c.id > last).order_by(audit_log.c.id).limit(_PAGE)
            ).all()
        for row in rows:
            yield _entry(row)
        if len(rows) < _PAGE:
            return
        last = int(rows[-1].id)
