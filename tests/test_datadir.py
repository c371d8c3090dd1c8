"""The data folder (kiosk.datadir): its files, how they are made, and what the retention purge
removes from it."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from kiosk.datadir import DataDir


def test_the_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    first = data.person_secret()
    assert len(first) == 32
    assert data.person_secret() == first  # read back, not made again
    assert stat.S_IMODE(data.secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.root.stat().st_mode) == 0o700
    # Enrollment brings the deployment's secret: replacing a different one is reported.
    assert data.replace_person_secret(b"d" * 32) is True
    assert data.replace_person_secret(b"d" * 32) is False
    assert data.person_secret() == b"d" * 32


def test_the_token_is_private_and_absent_before_enrollment(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    assert data.read_token() is None
    data.write_token("tok-123")
    assert data.read_token() == "tok-123"
    assert stat.S_IMODE(data.token.stat().st_mode) == 0o600


def test_the_purge_removes_only_old_copies_and_exports(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    old = (now - dt.timedelta(days=30)).timestamp()
    files = {
        "backups/kiosk-20261020T000000Z-before-0006.db": old,
        "backups/kiosk-20261124T000000Z-before-0007.db": now.timestamp(),
        "exports/day.csv": old,
        "exports/notes.txt": old,  # not an export the kiosk made
        "kiosk.db": old,  # the database is the store's, never a file to purge
    }
    for name, when in files.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x")
        os.utime(path, (when, when))
    assert data.purge_old_files(now - dt.timedelta(days=21)) == 2
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [
        "backups/kiosk-20261124T000000Z-before-0007.db",
        "exports/notes.txt",
        "kiosk.db",
    ]
