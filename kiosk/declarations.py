"""The health-declaration keys this kiosk accepted: which codes' declarations it can check.

A personal QR code from the central server's `/declare` page carries a compact signature by an
online key of the health authority (checkpoint_common.declaration). The code cannot carry the
root's delegation of that key, so the kiosk keeps the delegations it accepted in
DATA_DIR/declaration_keys.json (`{"delegations": [envelope, ...]}`), from its sync
(`GET /api/v1/declarations/keys`) or from a file (`kiosk declaration-keys import FILE`, for a
site that is never online). Each delegation is checked against the pinned root key
(`authority_signing_key`) when it is accepted and again whenever the file is read: a kiosk with
no pinned root accepts none, and a file edited by hand gains nothing.

Thread contract: files only (no database); `load` and `accept` are safe from any thread, and
the file is replaced in one rename (kiosk.datadir).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from checkpoint_common.declaration import MAX_VALID_HOURS, DeclarationKeys
from checkpoint_common.signing import SignedDocumentError, VerifyKey
from kiosk.config import Settings
from kiosk.datadir import DataDir

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 256 * 1024
MAX_DELEGATIONS = 50


class DeclarationKeysError(ValueError):
    """Keys that cannot be accepted: no pinned root, a file that is not a list of delegations,
    or not one delegation that verifies. The message says which."""


def envelopes_of(data: Any) -> list[Mapping[str, Any]]:
    """The delegation envelopes in what the server serves (`{"delegations": [...]}`), in a
    list of them, or in one envelope (what `kiosk-central authority delegate` writes)."""
    if isinstance(data, Mapping) and "delegations" in data:
        data = data["delegations"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(e, Mapping) for e in data):
        raise DeclarationKeysError(
            "expected a delegation, a list of them, or {'delegations': [...]}"
        )
    if len(data) > MAX_DELEGATIONS:
        raise DeclarationKeysError(f"more than {MAX_DELEGATIONS} delegations")
    return list(data)


def _root(settings: Settings) -> VerifyKey | None:
    if not settings.authority_signing_key:
        return None
    try:
        return VerifyKey.from_text(settings.authority_signing_key)
    except SignedDocumentError:
        return None  # refused when set (checkpoint_common.settings); never here


def _stored(data: DataDir) -> list[Mapping[str, Any]]:
    try:
        raw = data.declaration_keys.read_bytes()
    except FileNotFoundError:
        return []
    try:
        return envelopes_of(json.loads(raw[:MAX_FILE_BYTES].decode("utf-8")))
    except (UnicodeDecodeError, ValueError) as exc:
        log.warning("declaration keys file unreadable, ignored: %s", exc)
        return []


def load(settings: Settings, data: DataDir, now: dt.datetime) -> DeclarationKeys:
    """The keys of the stored delegations that verify against the pinned root now (none
    without a pinned root). Never raises for a bad file: it is logged and ignored."""
    root = _root(settings)
    envelopes = _stored(data)
    if root is None or not envelopes:
        return DeclarationKeys()
    keys, refused = DeclarationKeys.from_delegations(
        envelopes, root=root, audience=settings.checkpoint_id, now=now
    )
    for reason in refused:
        log.warning("a stored declaration key is not used: %s", reason)
    return keys


def accept(
    settings: Settings, data: DataDir, envelopes: Iterable[Mapping[str, Any]], now: dt.datetime
) -> tuple[DeclarationKeys, bool]:
    """Check `envelopes` against the pinned root, keep those that verify with the ones stored
    (a key's highest delegation version; keys whose codes can no longer be valid are dropped),
    and write the file when that changes it. Returns the keys now in use and whether the file
    changed. Raises DeclarationKeysError without a pinned root, or when none of `envelopes`
    verifies (each one's reason in the message)."""
    root = _root(settings)
    if root is None:
        raise DeclarationKeysError(
            "no authority signing key is pinned on this kiosk: set authority_signing_key first "
            "(kiosk config set authority_signing_key KEY, after comparing its fingerprint)"
        )
    offered = list(envelopes)
    fresh, refused = DeclarationKeys.from_delegations(
        offered, root=root, audience=settings.checkpoint_id, now=now
    )
    if offered and not fresh:
        raise DeclarationKeysError("; ".join(refused) or "no delegation verifies")
    old = _stored(data)
    horizon = now - dt.timedelta(hours=MAX_VALID_HOURS)
    best: dict[bytes, tuple[int, Mapping[str, Any]]] = {}
    for envelope in [*offered, *old]:
        keys, _ = DeclarationKeys.from_delegations(
            [envelope], root=root, audience=settings.checkpoint_id, now=now
        )
        if not keys or keys.keys[0].delegation.not_after <= horizon:
            continue  # refused, or no code it signed can still be valid
        key = keys.keys[0]
        if key.key.raw not in best or best[key.key.raw][0] < key.delegation.version:
            best[key.key.raw] = (key.delegation.version, envelope)
    kept = [envelope for _, envelope in best.values()]
    changed = _canonical(kept) != _canonical(old)
    if changed:
        data.create()
        data.write_declaration_keys(
            json.dumps({"delegations": kept}, ensure_ascii=False, indent=1).encode("utf-8")
        )
    return load(settings, data, now), changed


def _canonical(envelopes: list[Mapping[str, Any]]) -> str:
    return json.dumps(sorted(json.dumps(e, sort_keys=True) for e in envelopes))


def describe(keys: DeclarationKeys) -> list[dict[str, Any]]:
    """What `kiosk declaration-keys show` prints: one object per key."""
    return [
        {
            "fingerprint": k.key.fingerprint,
            "tag": k.tag,
            "delegation_version": k.delegation.version,
            "valid_from": k.delegation.issued_at.isoformat(),
            "valid_until": k.delegation.not_after.isoformat(),
        }
        for k in keys.keys
    ]


__all__ = ["DeclarationKeysError", "accept", "describe", "envelopes_of", "load"]
