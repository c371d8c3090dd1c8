"""CSV files for people outside the system (a health officer, a spreadsheet): the kiosk's export
(`kiosk export`, the admin screen) and the central server's opened copy of it
(`kiosk-central decrypt-export`) write them the same way.

Files are written whole or not at all, readable by their owner only (the one writer,
checkpoint_common.privatefile), so a USB stick pulled out too early holds the old file or the
new one, never half of one. Cells that a spreadsheet would run as a formula are quoted (CSV
injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from checkpoint_common.privatefile import private_path

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
    """Write rows atomically and privately (checkpoint_common.privatefile), UTF-8 with BOM: Excel
    then reads Vietnamese right. Returns the row count. Raises OSError; the target is then
    untouched and no temp file is left."""
    with private_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8-sig") as handle:
        return _write_rows(handle, fields, rows)


def _write_rows(handle: TextIO, fields: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """The header and the rows, formula-safe; returns the row count."""
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: csv_safe(row[k]) for k in fields})
        count += 1
    return count


def csv_bytes(fields: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV file's bytes for a download (the central console's exports): the same format as
    `write_csv` (UTF-8 with BOM, formula-safe cells)."""
    buffer = io.StringIO(newline="")
    _write_rows(buffer, fields, rows)
    return buffer.getvalue().encode("utf-8-sig")


__all__ = ["EVENT_CSV_FIELDS", "csv_bytes", "csv_safe", "write_csv"]
