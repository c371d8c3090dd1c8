"""CSV files for people outside the system (a health officer, a spreadsheet): the kiosk's export
(`kiosk export`, the admin screen) and the central server's opened copy of it
(`kiosk-central decrypt-export`) write them the same way.

Files are written whole or not at all: a temp file beside the target, fsync, rename, fsync of
the folder, so a USB stick pulled out too early holds the old file or the new one, never half
of one. Cells that a spreadsheet would run as a formula are quoted (CSV injection).
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

# The columns of a kiosk's event export, read back by the central server.
EVENT_CSV_FIELDS = (
    "seq",
    "event_id",
    "local_time",
    "device_time",
    "checkpoint_id",
    "direction",
    "verdict",
    "reason",
    "kind",
    "person_key",
    "display_name",
    "birth_year",
    "clock_synced",
    "delivered",
    # The personal data sealed to the health authority's key: only `kiosk-central
    # decrypt-export` (which holds the private key) turns these into names and ID numbers.
    "seal_key",
    "sealed",
)


def csv_safe(value: object) -> object:
    """A cell value that a spreadsheet will not run as a formula (CSV injection)."""
    # A cell starting with = + - @ is a formula in spreadsheet programs; tab and CR too.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write rows atomically (UTF-8 with BOM: Excel then reads Vietnamese right). Returns the
    row count. Raises OSError; the target is then untouched and no temp file is left."""
    tmp = path.with_name(f".{path.name}.tmp")
    count = 0
    try:
        with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: csv_safe(row[k]) for k in fields})
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return count


def csv_bytes(fields: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV file's bytes for a download (the central console's exports): the same format as
    `write_csv` (UTF-8 with BOM, formula-safe cells)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_safe(row[k]) for k in fields})
    return buffer.getvalue().encode("utf-8-sig")


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder is synced (matters on a stick pulled out soon).
    # Some filesystems (FAT on some kernels, FUSE) refuse to open or fsync a folder; the file's
    # own data is synced by then, so this is logged, not raised.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        log.info("cannot open the export folder to sync it: %s", exc.strerror)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.info("cannot sync the export folder: %s", exc.strerror)
    finally:
        os.close(fd)


__all__ = ["EVENT_CSV_FIELDS", "csv_bytes", "csv_safe", "write_csv"]
