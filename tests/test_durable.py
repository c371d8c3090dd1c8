"""checkpoint_common.durable: creating a database file must never drop the locks another
connection of the same process holds on it (SQLite's howtocorrupt.html, 2.2: closing any
descriptor of a file releases every POSIX lock the process holds on it).

In WAL mode every connection holds a SHARED lock on the database file for as long as it is
open: it tells another process closing the last connection of its own that the WAL is still in
use, so that it neither checkpoints it away nor resets the shared-memory index. Seen on the
central server before the fix: new pooled connections, opened while others worked, failed with
SQLITE_IOERR_SHORT_READ."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checkpoint_common.durable import connect_durable, create_private

# SQLite's unix VFS: the SHARED lock range of the database file (PENDING_BYTE + 2, 510 bytes).
_PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)
except OSError:
    print("held")
else:
    print("free")
"""


def shared_lock(path: Path) -> str:
    """Whether some process holds a SHARED lock on the database, seen from another process."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=30
    )
    return done.stdout.strip()


def test_create_private_leaves_an_open_databases_locks_alone(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    create_private(path)
    assert path.stat().st_mode & 0o777 == 0o600
    conn = connect_durable(path, busy_timeout_ms=0, error=RuntimeError)
    try:
        conn.execute("CREATE TABLE t (x)")
        assert shared_lock(path) == "held"
        create_private(path)  # what each new pooled connection of the server did first
        assert shared_lock(path) == "held"
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        conn.close()
    assert shared_lock(path) == "free"
