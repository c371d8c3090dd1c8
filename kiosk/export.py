"""CSV files for people outside the kiosk (a health officer, a spreadsheet), and where to put them.

Used by `kiosk export` and the admin screen, so both write the same columns with the same
guard against CSV injection; the writing itself (atomic, formula-safe, UTF-8 with BOM) is
checkpoint_common.csvfile's, shared with the central server that reads these files back.

Thread contract: none of this touches the store; callers hand in events or overlaps already read
(on the gate thread) and may write from any thread (the admin screen writes off the GUI thread:
a slow USB stick must not freeze it).
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from checkpoint_common.csvfile import EVENT_CSV_FIELDS, csv_safe, write_csv
from kiosk.datadir import DataDir
from kiosk.events import StoredEvent
from kiosk.store import Overlap

log = logging.getLogger(__name__)

OVERLAP_CSV_FIELDS = (
    "person_key",
    "kind",
    "display_name",
    "in_local_time",
    "out_local_time",
    "in_time",
    "out_time",
    "minutes_together",
)

# Where desktop Linux (udisks: Raspberry Pi OS, Ubuntu) and Fedora-like systems mount USB sticks.
MEDIA_PATTERNS = ("/media/*/*", "/run/media/*/*")


def event_rows(events: Iterable[StoredEvent], zone: ZoneInfo) -> Iterable[dict[str, object]]:
    for event in events:
        row = event.to_json()
        row["local_time"] = event.device_time.astimezone(zone).isoformat(timespec="seconds")
        row["seal_key"] = event.seal_key or ""
        row["sealed"] = base64.b64encode(event.sealed).decode("ascii") if event.sealed else ""
        yield row


def write_events_csv(path: Path, events: Iterable[StoredEvent], zone: ZoneInfo) -> int:
    """The `kiosk export` file: one row per event, EVENT_CSV_FIELDS, local time in `zone`.
    Returns the number of events written; raises OSError."""
    return write_csv(path, EVENT_CSV_FIELDS, event_rows(events, zone))


def write_overlaps_csv(path: Path, overlaps: Iterable[Overlap], zone: ZoneInfo) -> int:
    """A contact-tracing result: one row per person present at the same time (OVERLAP_CSV_FIELDS;
    out times empty for someone still inside). Returns the row count; raises OSError."""

    def rows() -> Iterable[dict[str, object]]:
        for o in overlaps:
            row = o.to_json()
            row["in_local_time"] = o.in_time.astimezone(zone).isoformat(timespec="seconds")
            row["out_local_time"] = (
                o.out_time.astimezone(zone).isoformat(timespec="seconds") if o.out_time else ""
            )
            row["out_time"] = row["out_time"] or ""
            row["minutes_together"] = o.overlap_s // 60
            yield row

    return write_csv(path, OVERLAP_CSV_FIELDS, rows())


def safe_file_part(text: str) -> str:
    """Text usable in a file name on any stick (FAT included): letters, digits, - and _."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "kiosk"


@dataclass(frozen=True, slots=True)
class ExportFolder:
    path: Path
    removable: bool  # a mounted USB stick or card (else the data directory's exports/)


def export_folders(
    data_dir: Path, patterns: Sequence[str] = MEDIA_PATTERNS, *, mounted_only: bool = True
) -> list[ExportFolder]:
    """The data directory's exports/ folder, then every removable medium that is mounted now.

    Only mount points count (`mounted_only`): a folder left under /media after a stick was
    pulled out is on the SD card, and an export there would silently never leave the kiosk.
    """
    found = [ExportFolder(DataDir(data_dir).exports, removable=False)]
    for pattern in patterns:
        anchor = Path(Path(pattern).anchor or ".")
        for path in sorted(anchor.glob(str(Path(pattern).relative_to(anchor)))):
            if path.is_dir() and (path.is_mount() or not mounted_only):
                found.append(ExportFolder(path, removable=True))
    return found


__all__ = [
    "EVENT_CSV_FIELDS",
    "MEDIA_PATTERNS",
    "OVERLAP_CSV_FIELDS",
    "ExportFolder",
    "csv_safe",
    "export_folders",
    "safe_file_part",
    "write_events_csv",
    "write_overlaps_csv",
]
