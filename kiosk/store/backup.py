"""Copies of the database: `kiosk backup` and the admin screen's (`backup_to`), and the copy made
before a migration (`copy_before_migration`), both with SQLite's online backup API and written
by the one private writer (checkpoint_common.privatefile): a copy is complete, checked where it
matters, flushed to disk, readable by its owner only, and never replaces an existing file.

Copying the file instead would be wrong: the `-wal` file is part of the database, and a copy
made while the kiosk writes can hold a half-applied WAL (../shared/RELIABILITY.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from pathlib import Path

from checkpoint_common.privatefile import private_path
from kiosk.store.connection import StoreBase
from kiosk.store.errors import StoreError

log = logging.getLogger(__name__)


def copy_database(conn: sqlite3.Connection, target: Path, *, verify: bool) -> Path:
    """A consistent copy of `conn`'s database as the new file `target`: a private temporary
    file filled with the backup API, in rollback-journal mode (a self-contained file: no WAL
    beside it), checked with `PRAGMA integrity_check` when `verify`, synced, then given its
    name. Raises FileExistsError when `target` exists, StoreError when the check fails,
    OSError and sqlite3.Error; nothing is left under `target` then."""
    with private_path(target, replace=False) as partial:
        with contextlib.closing(sqlite3.connect(partial)) as dest:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            check = dest.execute("PRAGMA integrity_check").fetchone()[0] if verify else "ok"
        if check != "ok":
            raise StoreError(f"the copy for {target.name} failed its integrity check: {check}")
    return target


def copy_before_migration(
    conn: sqlite3.Connection, path: Path, backup_dir: Path, before: str
) -> Path:
    """The copy of the database at `path` made before the migration `before` is applied.

    One copy per migration: a kiosk killed while migrating (and restarted by systemd, maybe in
    a loop) keeps the first, untouched copy instead of piling up later ones. Its name says when
    and before what; the retention purge removes it with the events of its day.
    """
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    earlier = sorted(backup_dir.glob(f"{path.stem}-*-before-{before}.db"))
    if earlier:
        log.info("a copy from before %s exists already: %s", before, earlier[0].name)
        return earlier[0]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = copy_database(
        conn, backup_dir / f"{path.stem}-{stamp}-before-{before}.db", verify=False
    )
    log.info("backed up %s to %s before migrating", path.name, target)
    return target


class BackupPart(StoreBase):
    """The backup part of the Store (kiosk.store.Store composes the parts)."""

    def integrity_ok(self) -> bool:
        return bool(self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the database at `target` (a new file, mode 0600), made with
        SQLite's online backup API: safe while the kiosk runs and writes, unlike copying the
        file (which can copy a half-applied WAL). The copy is written under a temporary name,
        checked (`PRAGMA integrity_check`), flushed to disk and only then renamed, so a USB
        stick pulled midway never holds a file that looks like a good backup.

        Runs on the owner's thread (it reads through the owner's connection; a scan waits for
        it, a few hundred ms on a Raspberry Pi for a busy day). Raises StoreError when
        `target` exists, cannot be written, or the copy fails its check.
        """
        target = Path(target)
        try:
            copy_database(self._conn, target, verify=True)
        except FileExistsError as exc:
            raise StoreError(f"{target} exists already: choose a new file name") from exc
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"backup to {target} failed: {exc}") from exc
        log.info("database backed up to %s", target)
        return target
