"""Makes legacy-0002.db: a central database written by the server before it moved to SQLAlchemy
and Alembic (sqlite-utils migrations 0001_initial and 0002_sealed_personal_data, commit 142bed2).

tests/central/test_migrations.py opens it with today's server, which must convert it (after a
backup copy) without losing a row. Run from the repository root at that commit:

    git worktree add /tmp/legacy 142bed2 && cd /tmp/legacy && bash scripts/setup
    .venv/bin/python /path/to/make_legacy_db.py tests/central/data/legacy-0002.db
"""

from __future__ import annotations

import base64
import datetime as dt
import sqlite3
import sys
import uuid
from pathlib import Path

from central import tokens
from central.storage import Storage
from checkpoint_common.protocol import EventPayload, StatusEntry, UploadRequest
from checkpoint_common.timefmt import to_iso

T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
S = 10**9


def event(checkpoint_id: str, seq: int, **overrides: object) -> EventPayload:
    data: dict[str, object] = {
        "event_id": str(uuid.UUID(int=seq + 1)),
        "seq": seq,
        "checkpoint_id": checkpoint_id,
        "person_key": f"pk-{seq % 3}",
        "kind": "cccd",
        "display_name": "Nguyễn V** A",
        "birth_year": 1990,
        "direction": "in" if seq % 2 == 0 else "out",
        "verdict": "admit",
        "reason": "entry" if seq % 2 == 0 else "exit",
        "device_time": to_iso(T0 + dt.timedelta(minutes=seq)),
        "mono_ns": (1000 + seq * 60) * S,
        "boot_id": "boot-1",
        "clock_synced": True,
        "problems": [],
    }
    data.update(overrides)
    return EventPayload.from_json(data)


def main(target: Path) -> None:
    work = target.with_suffix(".work.db")
    with Storage.open(work) as storage:
        market = storage.ensure_checkpoint("Chợ Bến Thành", T0)
        clinic = storage.ensure_checkpoint("Trạm y tế", T0)
        storage.update_checkpoint_settings(market.id, {"capacity": 300})
        for device_id, cp in (("dev-a", market), ("dev-b", clinic)):
            code = tokens.new_enrollment_code()
            storage.add_enrollment_code(
                cp.id, tokens.code_digest(code), now=T0, expires_at=T0 + dt.timedelta(hours=24)
            )
            storage.enroll(
                tokens.code_digest(code),
                device_id=device_id,
                device_name="cổng 1",
                token_sha256=tokens.token_digest(f"token-{device_id}"),
                now=T0,
            )
        unused = tokens.new_enrollment_code()
        storage.add_enrollment_code(
            market.id, tokens.code_digest(unused), now=T0, expires_at=T0 + dt.timedelta(days=9)
        )
        sealed = base64.b64encode(b"\x00sealed box\xff" * 4).decode("ascii")
        events = [
            event(
                market.id, i, sealed=sealed if i == 0 else None, seal_key="k1" if i == 0 else None
            )
            for i in range(6)
        ]
        events.append(
            event(
                market.id,
                6,
                boot_id="boot-0",
                clock_synced=False,
                device_time=to_iso(T0 - dt.timedelta(days=400)),
                problems=["a\x00b"],
            )
        )
        storage.ingest(
            "dev-a", UploadRequest("dev-a", "boot-1", to_iso(T0), 2000 * S, tuple(events)), T0
        )
        storage.ingest(  # a replay: the duplicates counter
            "dev-a", UploadRequest("dev-a", "boot-1", to_iso(T0), 2100 * S, tuple(events[:2])), T0
        )
        behind = [
            event(
                clinic.id,
                10 + i,
                clock_synced=False,
                device_time=to_iso(T0 - dt.timedelta(days=2, minutes=10 - i)),
                mono_ns=(5000 - 600 + i * 60) * S,
                boot_id="boot-b",
            )
            for i in range(3)
        ]
        storage.ingest(
            "dev-b", UploadRequest("dev-b", "boot-b", to_iso(T0), 5000 * S, tuple(behind)), T0
        )
        storage.load_status_list([StatusEntry("pk-0", "red", None)], T0)
        storage.load_status_list(
            [
                StatusEntry("pk-0", "yellow", to_iso(T0 + dt.timedelta(days=3))),
                StatusEntry("pk-1", "red", None),
            ],
            T0,
        )
        storage.load_trust_list("2026-11-25.1", [{"kid": "AAAAAAAAAAA=", "public_key": "xyz"}], T0)
        storage.revoke_device("dev-b", T0 + dt.timedelta(hours=1))
    target.unlink(missing_ok=True)
    with sqlite3.connect(work) as conn:
        conn.execute("VACUUM INTO ?", (str(target),))
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
