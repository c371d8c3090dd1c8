"""Signed documents on the kiosk: download, check against the pinned root, keep the last good one.

Everything a kiosk takes from the network that changes what it believes (its config, the
status list, the EU DCC trust list, the key it seals personal data to, a new root) is a signed
document (checkpoint_common.signing; docs/protocol.md, "Signed documents"). This module is the
one place that turns downloaded bytes into a document the kiosk uses:

    verified = fetch_signed(client, "/documents/sealing_key", doc_type="sealing_key",
                            root=pinned_root, audience=checkpoint_id, shelf=shelf, now=now)

`fetch_signed` (one document at a GET path) and `accept_signed` (bytes from anywhere: a list
endpoint, a USB stick) check a document completely and record it on the `DocumentShelf`; they
return the `Verified` document for the caller to apply, None when it is the version already
kept (unchanged), and raise `DocumentRefused` (a SyncError, kind "refused") with the reason
code and a message that names the type, the reason and the version kept. A refusal is logged
(type, reason code, versions, the signer's fingerprint: never the content). The caller applies
the document first and then calls `shelf.keep(...)`: a power cut in between makes the kiosk
apply the same version again, never skip one.

The shelf (DATA_DIR/documents/): per type the last accepted envelope, byte for byte as
received (`TYPE.json`), except the status list whose content lives in the database; and
`state.json`: per type the version, issue time, when it was accepted and by whom it was signed,
the highest delegation version seen (an older delegation is revoked by a newer one), the newest
issue time accepted (the floor for "now" when a Raspberry Pi's clock fell back to 1970) and the
last root rotation applied. Files are written atomically (checkpoint_common.privatefile).

Thread contract: the sync thread writes; any thread may read (`summary`, `kept`): each file is
replaced whole, never written in place.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkpoint_common.privatefile import write_private
from checkpoint_common.signing import (
    Document,
    Envelope,
    Refusal,
    SignedDocumentError,
    Verified,
    VerifyKey,
    max_bytes_for,
    verify_document,
)
from checkpoint_common.timefmt import from_iso, to_iso
from kiosk.sync.client import SyncClient, SyncError

log = logging.getLogger(__name__)

DOCUMENTS_DIR_NAME = "documents"
STATE_FILE_NAME = "state.json"
# Types whose envelope is not kept as a file (its content is kept elsewhere, and it can be big).
_NOT_FILED = frozenset({"status_list"})

# What a screen calls each type.
TYPE_NAMES = {
    "config": "settings",
    "status_list": "status list",
    "trust_list": "EU certificate trust list",
    "sealing_key": "sealing key",
    "delegation": "delegation",
    "signing_key_rotation": "root key rotation",
}


class DocumentRefused(SyncError):
    """A downloaded document was refused; the last good one stays in use. `reason` is the
    signing module's Refusal code, `doc_type` the document asked for."""

    kind = "refused"

    def __init__(self, doc_type: str, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.doc_type = doc_type
        self.reason = reason


class NotPinned(SyncError):
    """No root key is pinned on this kiosk: no downloaded document can be believed."""

    kind = "not_pinned"


@dataclass(frozen=True, slots=True)
class KeptDocument:
    """What the shelf says about the last good document of a type."""

    doc_type: str
    version: int
    issued_at: dt.datetime
    accepted_at: dt.datetime
    signer: str  # the signer's fingerprint

    def age(self, now: dt.datetime) -> dt.timedelta:
        """Since the authority (or its online key) issued it: the signed time, never the
        download's."""
        return now - self.issued_at

    def to_json(self, now: dt.datetime | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.doc_type,
            "version": self.version,
            "issued_at": to_iso(self.issued_at),
            "accepted_at": to_iso(self.accepted_at),
            "signer": self.signer,
        }
        if now is not None:
            data["age_s"] = int(self.age(now).total_seconds())
        return data


class DocumentShelf:
    """The last good signed documents in DATA_DIR/documents/ (module docstring)."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / DOCUMENTS_DIR_NAME

    # -- reading ------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / STATE_FILE_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # A damaged state file costs a re-download of everything, never a wrong document:
            # versions restart from what the server sends, still checked against the root.
            log.warning("documents state unreadable, starting again: %s", type(exc).__name__)
            return {}
        return data if isinstance(data, dict) else {}

    def kept_info(self, doc_type: str) -> KeptDocument | None:
        entry = self._state().get("types", {}).get(doc_type)
        if not isinstance(entry, dict):
            return None
        try:
            return KeptDocument(
                doc_type,
                int(entry["version"]),
                from_iso(entry["issued_at"]),
                from_iso(entry["accepted_at"]),
                str(entry.get("signer", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def version(self, doc_type: str) -> int | None:
        kept = self.kept_info(doc_type)
        return kept.version if kept else None

    def kept(self, doc_type: str) -> Document | None:
        """The last good document of a type (its body as signed; checked when it arrived)."""
        try:
            raw = (self.folder / f"{doc_type}.json").read_bytes()
            envelope = Envelope.from_bytes(raw, max_bytes=max_bytes_for(doc_type))
            data = json.loads(envelope.body)
            return Document(
                data["type"],
                data["version"],
                from_iso(data["issued_at"]),
                data["audience"],
                data["content"],
            )
        except (OSError, ValueError, KeyError, SignedDocumentError):
            return None

    def delegation_version(self) -> int | None:
        value = self._state().get("delegation_version")
        return value if isinstance(value, int) else None

    def rotation_version(self) -> int | None:
        value = self._state().get("rotation_version")
        return value if isinstance(value, int) else None

    def now(self, clock_now: dt.datetime) -> dt.datetime:
        """The time to judge delegations by: the later of the clock and the newest issue time
        accepted (a clock that fell back cannot revive an ended delegation)."""
        newest = self._state().get("newest_issued_at")
        try:
            floor = from_iso(newest) if isinstance(newest, str) else None
        except ValueError:
            floor = None
        return max(clock_now, floor) if floor else clock_now

    def summary(self) -> list[KeptDocument]:
        """Every kept document, for the status screen, `kiosk sync --status` and the doctor."""
        found = [self.kept_info(t) for t in self._state().get("types", {})]
        return sorted((k for k in found if k), key=lambda k: k.doc_type)

    # -- writing ------------------------------------------------------------------------------

    def _write_state(self, state: Mapping[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_private(self.folder / STATE_FILE_NAME, json.dumps(state, indent=1).encode())

    def keep(self, verified: Verified, raw: bytes | None, accepted_at: dt.datetime) -> None:
        """Record `verified` as the last good document of its type (its envelope `raw` filed
        unless its content is kept elsewhere), the delegation it came under and its time."""
        document = verified.document
        if raw is not None and document.type not in _NOT_FILED:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_private(self.folder / f"{document.type}.json", raw)
        state = self._state()
        types = state.setdefault("types", {})
        types[document.type] = {
            "version": document.version,
            "issued_at": to_iso(document.issued_at),
            "accepted_at": to_iso(accepted_at),
            "signer": verified.signer.fingerprint,
        }
        if verified.delegation is not None:
            state["delegation_version"] = max(
                verified.delegation.version, self.delegation_version() or 0
            )
        newest = self.now(document.issued_at)
        state["newest_issued_at"] = to_iso(newest)
        self._write_state(state)

    def note_rotation(self, version: int) -> None:
        state = self._state()
        state["rotation_version"] = version
        self._write_state(state)

    def forget(self, doc_type: str) -> None:
        """Drop a type's version (enrollment at another checkpoint: its config starts again)."""
        state = self._state()
        if state.get("types", {}).pop(doc_type, None) is not None:
            self._write_state(state)
        (self.folder / f"{doc_type}.json").unlink(missing_ok=True)


def _describe(shelf: DocumentShelf, doc_type: str) -> str:
    kept = shelf.kept_info(doc_type)
    if kept is None:
        return "none accepted yet: nothing changes"
    return f"keeping version {kept.version} issued {to_iso(kept.issued_at)[:16]}Z"


def refused(shelf: DocumentShelf, doc_type: str, error: SignedDocumentError) -> DocumentRefused:
    """The DocumentRefused for a check that failed, logged (no content, no personal data)."""
    name = TYPE_NAMES.get(doc_type, doc_type)
    kept = _describe(shelf, doc_type)
    log.warning(
        "downloaded %s refused (%s): %s; %s", doc_type, error.reason.value, error.detail, kept
    )
    return DocumentRefused(
        doc_type,
        error.reason,
        f"the server's {name} was refused ({error.reason.value}): {error.detail}; {kept}",
    )


def accept_signed(
    raw: bytes,
    *,
    doc_type: str,
    root: VerifyKey,
    audience: str,
    shelf: DocumentShelf,
    now: dt.datetime,
) -> Verified | None:
    """Check `raw` (an envelope's bytes) as a `doc_type` document for this kiosk.

    root: the pinned root (settings.authority_signing_key). audience: this kiosk's checkpoint
    id. now: the clock's UTC time (the shelf raises it to the newest issue time accepted).
    Returns the Verified document (not yet kept: apply it, then `shelf.keep(verified, raw,
    now)`), or None when it is exactly the version kept already (a server without ETags, a
    retry). Raises DocumentRefused: unsigned, wrongly signed, older or replayed, for another
    checkpoint, a signer without a valid delegation (docs/protocol.md, "What a kiosk checks").
    """
    last = shelf.version(doc_type)
    try:
        return verify_document(
            raw,
            root=root,
            expected_type=doc_type,
            audience=audience,
            last_version=last,
            now=shelf.now(now),
            min_delegation_version=shelf.delegation_version(),
        )
    except SignedDocumentError as exc:
        if exc.reason is Refusal.NOT_NEWER and _same_version(raw, last):
            return None
        raise refused(shelf, doc_type, exc) from exc


def _same_version(raw: bytes, last: int | None) -> bool:
    try:
        return bool(json.loads(Envelope.from_bytes(raw).body).get("version") == last)
    except (SignedDocumentError, ValueError, AttributeError):
        return False


def fetch_signed(
    client: SyncClient,
    path: str,
    *,
    doc_type: str,
    root: VerifyKey,
    audience: str,
    shelf: DocumentShelf,
    now: dt.datetime,
    params: dict[str, str] | None = None,
) -> tuple[Verified, bytes] | None:
    """GET `path` (under /api/v1) whose body is one envelope, and `accept_signed` it. Returns
    (verified, raw) to apply and keep, or None: 304, 404 (nothing published yet) or the
    version kept. Raises DocumentRefused, and the client's SyncError kinds (network)."""
    last = shelf.version(doc_type)
    etag = f'"{last}"' if last is not None else None
    raw = client.get_document(path, max_bytes=max_bytes_for(doc_type), etag=etag, params=params)
    if raw is None:
        return None
    verified = accept_signed(
        raw, doc_type=doc_type, root=root, audience=audience, shelf=shelf, now=now
    )
    return None if verified is None else (verified, raw)


__all__ = [
    "DOCUMENTS_DIR_NAME",
    "TYPE_NAMES",
    "DocumentRefused",
    "DocumentShelf",
    "KeptDocument",
    "NotPinned",
    "accept_signed",
    "fetch_signed",
    "refused",
]
