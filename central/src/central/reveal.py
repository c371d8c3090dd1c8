"""Opening the personal data kiosks sealed to the health authority's key (checkpoint_common.seal).

Used by `kiosk-central events --reveal` and `kiosk-central decrypt-export`: a health officer
needs names, ID numbers and phones to call people; nothing else on the server shows them.
Opening is on demand, never stored: the server's database keeps the sealed boxes only.

Thread contract: pure functions and files; no storage access.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkpoint_common.csvfile import EVENT_CSV_FIELDS, write_csv
from checkpoint_common.seal import PrivateKey, SealError, open_personal

log = logging.getLogger(__name__)

# Identity fields a health officer works with, in this order, then the rest of the box.
REVEALED_FIELDS = (
    "full_name",
    "id_number",
    "old_id_number",
    "birth_date",
    "gender",
    "phone",
    "address",
    "bhyt_number",
    "certificate_id",
)
REVEALED_CSV_FIELDS = (
    *(f for f in EVENT_CSV_FIELDS if f != "sealed"),
    *REVEALED_FIELDS,
    "declaration",
    "scanned_text",
    "opened",
)

OPENED = "yes"
NOT_SEALED = "no personal data"
OTHER_KEY = "sealed to another key"
BROKEN = "damaged"


class ExportFileError(ValueError):
    """The file is not a kiosk export (`kiosk export` / the admin screen's CSV)."""


@dataclass(frozen=True, slots=True)
class Revealed:
    """What a box held, flattened for a person to read; `opened` says why it is empty."""

    opened: str
    fields: dict[str, Any]
    declaration: dict[str, Any] | None
    scanned_text: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "fields": self.fields,
            "declaration": self.declaration,
            "scanned_text": self.scanned_text,
        }


def reveal(
    key: PrivateKey,
    event_id: str,
    seal_key: str | None,
    sealed: bytes | None,
    *,
    device_id: str,
    person_key: str,
) -> Revealed:
    """Open one event's box with the authority's key; a version 2 box opens only with the
    device id and person key stored beside it (checkpoint_common.seal.box_context). Never
    raises: a box that does not open (another key, moved to another event, device or person,
    damaged) says so in `opened` (and is logged without its content)."""
    if not sealed:
        return Revealed(NOT_SEALED, {}, None, None)
    if seal_key and seal_key != key.public.key_id:
        return Revealed(OTHER_KEY, {}, None, None)
    try:
        data = open_personal(key, event_id, sealed, device_id=device_id, person_key=person_key)
    except SealError as exc:
        log.warning("event %s: sealed data does not open: %s", event_id, exc)
        return Revealed(BROKEN, {}, None, None)
    text = data.payload.decode("utf-8", "replace") if data.payload is not None else None
    return Revealed(OPENED, dict(data.fields or {}), data.declaration, text)


def _cell(value: str) -> str:
    # kiosk.export.csv_safe may have put a quote before a cell starting like a formula.
    return value[1:] if value.startswith("'") else value


def _read_export(path: Path) -> Iterator[dict[str, str]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ExportFileError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"event_id", "seal_key", "sealed"} - set(reader.fieldnames or ())
        if missing:
            raise ExportFileError(
                f"{path.name} is not a kiosk export with sealed data "
                f"(missing columns: {', '.join(sorted(missing))})"
            )
        try:
            yield from reader
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ExportFileError(f"{path.name} is not a readable CSV file: {exc}") from exc


def decrypt_export(key: PrivateKey, source: Path, target: Path) -> dict[str, int]:
    """Write `target`: the rows of the kiosk export `source` with the personal data opened
    (REVEALED_CSV_FIELDS), written atomically. Returns counts per `opened` value. Raises
    ExportFileError for a file that is not a kiosk export, OSError when writing fails."""
    counts: dict[str, int] = {}

    def rows() -> Iterator[dict[str, object]]:
        for row in _read_export(source):
            event_id = _cell(row.get("event_id") or "")
            try:
                sealed = base64.b64decode(_cell(row.get("sealed") or ""), validate=True)
            except (binascii.Error, ValueError):
                sealed = b"\x00"  # a damaged cell: reported as damaged, the row is kept
            revealed = reveal(
                key,
                event_id,
                _cell(row.get("seal_key") or "") or None,
                sealed,
                device_id=_cell(row.get("device_id") or ""),
                person_key=_cell(row.get("person_key") or ""),
            )
            counts[revealed.opened] = counts.get(revealed.opened, 0) + 1
            out: dict[str, object] = {f: _cell(row.get(f) or "") for f in EVENT_CSV_FIELDS}
            for name in REVEALED_FIELDS:
                out[name] = revealed.fields.get(name) or ""
            out["declaration"] = (
                json.dumps(revealed.declaration, ensure_ascii=False) if revealed.declaration else ""
            )
            out["scanned_text"] = revealed.scanned_text or ""
            out["opened"] = revealed.opened
            yield out

    write_csv(target, REVEALED_CSV_FIELDS, rows())
    return counts
