"""The signed documents this server hands to kiosks (docs/protocol.md, "Signed documents").

Two kinds, one rule for kiosks: everything is checked against the root key pinned on them.

- **Published** documents are signed by the health authority's root on its offline machine
  (`kiosk-central authority sign/delegate/rotate`) and imported here with `kiosk-central
  publish FILE...` (`Publisher.publish`): the trust list, the sealing key, delegations and
  root rotations. This server never holds the root's private key; it checks each file against
  the root it knows (given once with `publish --root ROOT.pub`, moved only by a published
  rotation) and refuses an older version than the one it serves. They are kept in the
  `deployment` table (`published/TYPE/SLOT` -> the envelope's JSON, exactly as signed).
- **Online** documents, the checkpoint's config and the status list, change every day from the
  console; this server signs them itself with its online key (made at the first open, kept in
  the `deployment` table beside the sealing key; `kiosk-central signing-key` prints its public
  half for the root to delegate to) under the newest published delegation for that key. With
  no such delegation (or one that has ended) it signs nothing: `NotSigned`, and the API
  answers 503 `not_signed`.

Versions: a config's is the checkpoint's `config_version` (one sequence over all checkpoints);
a status list's is the list's version, its issue time the moment that version was made (so the
same version is the same document, and its age on a kiosk is the list's own age). A change
batch (`since`) is signed on demand for any version still in the change log.

Thread contract: a Publisher is shared by the server's threads; it keeps a small cache of
signed status lists under a lock and reads everything else from `Storage` each time.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from central.storage import CheckpointRecord, StatusChanges, Storage
from checkpoint_common.signing import (
    DELEGABLE_TYPES,
    DocType,
    Document,
    Envelope,
    SignedDocumentError,
    SigningKey,
    VerifyKey,
    sign,
    status_list_document,
    verify_document,
    verify_rotation,
)
from checkpoint_common.signing import (
    Delegation as DelegationInfo,
)

log = logging.getLogger(__name__)

ROOT_KEY = "authority_root"  # base64 Ed25519: the root this server checks published files with
ONLINE_KEY = "online_signing_key"  # base64 of the online key's 32-byte seed
PUBLISHED = "published/"
# Types an operator publishes (root-signed files). Config and status lists are signed here.
PUBLISHABLE = frozenset(
    {
        DocType.TRUST_LIST.value,
        DocType.SEALING_KEY.value,
        DocType.DELEGATION.value,
        DocType.SIGNING_KEY_ROTATION.value,
    }
)
_STATUS_CACHE = 8  # signed status lists kept (full lists and recent change batches)


class PublishError(ValueError):
    """A file `publish` will not serve; the message says why (a kiosk would refuse it)."""


class NotSigned(Exception):
    """This server cannot sign a document now (no delegation for its online key, or it ended,
    or nothing to sign yet). The message says what the operator does about it."""


@dataclass(frozen=True, slots=True)
class Published:
    """What `publish` did with one file."""

    type: str
    version: int
    audience: str
    slot: str
    replaced: int | None  # the version it replaced in that slot, None if the slot was empty
    root: VerifyKey  # the root this server checks with now (after a rotation: the new one)


def _slot(document: Document) -> str:
    """Where a published document lives: one per type and audience, except delegations (one
    per delegated key and audience: other keys may be delegated other types) and rotations
    (every one is kept: a kiosk offline for a year walks them in order)."""
    if document.type == DocType.SIGNING_KEY_ROTATION:
        return f"{PUBLISHED}{document.type}/{document.version:016d}"
    if document.type == DocType.DELEGATION:
        key = VerifyKey.from_text(str(document.content.get("key", "")))
        return f"{PUBLISHED}{document.type}/{key.key_id}/{document.audience}"
    return f"{PUBLISHED}{document.type}/{document.audience}"


def _body(envelope_json: str) -> Document:
    """The body of an envelope this server stored after checking it (trusted: not re-verified)."""
    envelope = Envelope.from_json(json.loads(envelope_json))
    data = json.loads(envelope.body)
    issued = dt.datetime.fromisoformat(data["issued_at"].replace("Z", "+00:00"))
    return Document(data["type"], data["version"], issued, data["audience"], data["content"])


class Publisher:
    """Published documents and the online key's signatures, on a Storage."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._lock = threading.Lock()
        self._status_cache: OrderedDict[tuple[str, int, int | None], bytes] = OrderedDict()

    # -- keys ---------------------------------------------------------------------------------

    def root(self) -> VerifyKey | None:
        """The root this server checks published files against (None: not set up yet)."""
        text = self.storage.deployment_value(ROOT_KEY)
        return VerifyKey.from_text(text) if text else None

    def online_key(self) -> SigningKey:
        """The online signing key (made with the database's other deployment keys at its
        first open: central.storage; replaced only by `new_online_key`)."""
        text = self.storage.deployment_value(ONLINE_KEY)
        if text is None:  # a database opened by an older server, not reopened since
            raise NotSigned("no online signing key yet: restart the server (it makes one)")
        return SigningKey(_seed_bytes(text))

    def new_online_key(self) -> SigningKey:
        """Replace the online key (after a leak): nothing is signed until the root delegates
        to the new one and the delegation is published."""
        made = SigningKey.generate()
        self.storage.set_deployment_values({ONLINE_KEY: _seed_text(made)})
        with self._lock:
            self._status_cache.clear()
        log.warning("online signing key replaced: %s", made.public.fingerprint)
        return made

    # -- published documents ------------------------------------------------------------------

    def publish(self, data: bytes, *, now: dt.datetime, root: VerifyKey | None = None) -> Published:
        """Check a root-signed envelope as a kiosk would and serve it from now on.

        `root`: the root's public key; required the first time (it becomes this server's),
        afterwards it must be the current one (a rotation, published, moves it). Raises
        PublishError: not signed by the root, a type this server signs itself, a version not
        above the one served in its slot, a rotation that does not chain."""
        current = self.root()
        if root is not None and current is not None and root != current:
            raise PublishError(
                f"this server checks with the root {current.fingerprint}, not "
                f"{root.fingerprint}: a new root is published as a rotation signed by the old one"
            )
        trusted = current or root
        if trusted is None:
            raise PublishError(
                "this server has no root key yet: give --root ROOT.pub (the health authority's "
                "public key, compared by its fingerprint) with the first file"
            )
        try:
            envelope = Envelope.from_bytes(data, max_bytes=max(len(data), 1))
            body_type = json.loads(envelope.body).get("type")
        except (SignedDocumentError, ValueError, AttributeError) as exc:
            raise PublishError(f"not a signed document: {exc}") from exc
        if body_type not in PUBLISHABLE:
            raise PublishError(
                f"{body_type!r} documents are not published: this server signs configs and "
                "status lists itself with its delegated online key"
                if body_type in DELEGABLE_TYPES
                else f"{body_type!r} is not a document type this server serves"
            )
        if envelope.signer != trusted:
            raise PublishError(
                f"signed by {envelope.signer.fingerprint}, not by the root {trusted.fingerprint}"
            )
        try:
            if body_type == DocType.SIGNING_KEY_ROTATION:
                rotations = self.storage.deployment_values(f"{PUBLISHED}{body_type}/")
                last = max((_body(v).version for v in rotations.values()), default=None)
                verified, new_root = verify_rotation(data, root=trusted, last_version=last, now=now)
            else:
                verified = verify_document(
                    data,
                    root=trusted,
                    expected_type=str(body_type),
                    audience=_audience_of(envelope),
                    last_version=None,
                    now=now,
                )
                new_root = trusted
                if body_type == DocType.DELEGATION:
                    DelegationInfo.of(verified.document)
        except SignedDocumentError as exc:
            raise PublishError(f"kiosks would refuse it: {exc}") from exc
        document = verified.document
        slot = _slot(document)
        kept = self.storage.deployment_value(slot)
        replaced = _body(kept).version if kept is not None else None
        if replaced is not None and document.version <= replaced:
            raise PublishError(
                f"{document.type} version {document.version} is not newer than the one served "
                f"({replaced}): kiosks would refuse it as an older or replayed document"
            )
        values = {slot: json.dumps(envelope.to_json(), separators=(",", ":"))}
        if current is None or new_root != current:
            values[ROOT_KEY] = new_root.to_text()
        self.storage.set_deployment_values(values)
        with self._lock:
            self._status_cache.clear()  # a new delegation may sign them differently
        log.info(
            "published %s version %d for %s", document.type, document.version, document.audience
        )
        return Published(
            document.type, document.version, document.audience, slot, replaced, new_root
        )

    def published(self, doc_type: str, audience: str) -> list[bytes]:
        """The published envelopes of a type a kiosk of `audience` (its checkpoint) may use:
        those for every kiosk ("*") and those for its checkpoint, oldest version first."""
        found = []
        for value in self.storage.deployment_values(f"{PUBLISHED}{doc_type}/").values():
            document = _body(value)
            if document.audience in ("*", audience):
                found.append((document.version, value.encode("ascii")))
        return [data for _, data in sorted(found)]

    def newest(self, doc_type: str, audience: str) -> bytes | None:
        found = self.published(doc_type, audience)
        return found[-1] if found else None

    # -- documents signed here ---------------------------------------------------------------

    def delegation(self, doc_type: str, audience: str, now: dt.datetime) -> Envelope:
        """The newest published delegation allowing the online key `doc_type` for `audience`,
        not ended at `now`. Raises NotSigned."""
        key = self.online_key().public
        best: tuple[int, Envelope] | None = None
        for value in self.storage.deployment_values(
            f"{PUBLISHED}{DocType.DELEGATION}/{key.key_id}/"
        ).values():
            document = _body(value)
            if document.audience not in ("*", audience):
                continue
            info = DelegationInfo.of(document)
            usable = doc_type in info.types and now < info.not_after
            if usable and (best is None or document.version > best[0]):
                best = (document.version, Envelope.from_json(json.loads(value)))
        if best is None:
            raise NotSigned(
                f"no delegation of {doc_type} to this server's online key {key.fingerprint} "
                "is published (or it has ended): `kiosk-central signing-key`, then on the "
                "root's machine `kiosk-central authority delegate`, then `kiosk-central publish`"
            )
        return best[1]

    def sign_config(self, checkpoint: CheckpointRecord, now: dt.datetime) -> bytes:
        """The checkpoint's config, signed by the online key (audience: the checkpoint)."""
        delegation = self.delegation(DocType.CONFIG, checkpoint.id, now)
        content = {
            "checkpoint": {"id": checkpoint.id, "name": checkpoint.name},
            "settings": checkpoint.kiosk_settings(),
        }
        document = Document(DocType.CONFIG, checkpoint.config_version, now, checkpoint.id, content)
        return sign(document, self.online_key(), delegation=delegation).to_bytes()

    def sign_status_list(
        self, changes: StatusChanges, since: int | None, now: dt.datetime
    ) -> bytes:
        """The status list at `changes.version`: the whole list, or (`since`, not full) the
        changes from that version. Raises NotSigned (nothing loaded yet, no delegation)."""
        if changes.version < 1 or changes.created_at is None:
            raise NotSigned("no status list has been loaded yet")
        delegation = self.delegation(DocType.STATUS_LIST, "*", now)
        cache_key = (delegation.signature.hex(), changes.version, None if changes.full else since)
        with self._lock:
            cached = self._status_cache.get(cache_key)
            if cached is not None:
                self._status_cache.move_to_end(cache_key)
                return cached
        # Issued when the version was made, but never before the delegation began: a list
        # loaded before the operator delegated is signed as of the delegation's start.
        issued = max(changes.created_at, _body_of(delegation).issued_at)
        document = status_list_document(
            version=changes.version,
            issued_at=issued,
            upserts=changes.upserts,
            count=changes.count if not changes.full else len(changes.upserts),
            since=None if changes.full else since,
            removed=changes.removed,
        )
        data = sign(document, self.online_key(), delegation=delegation).to_bytes()
        with self._lock:
            self._status_cache[cache_key] = data
            while len(self._status_cache) > _STATUS_CACHE:
                self._status_cache.popitem(last=False)
        return data


def _body_of(envelope: Envelope) -> Document:
    return _body(json.dumps(envelope.to_json()))


def _audience_of(envelope: Envelope) -> str:
    audience = json.loads(envelope.body).get("audience")
    return audience if isinstance(audience, str) else "*"


def _seed_text(key: SigningKey) -> str:
    return base64.b64encode(key.seed).decode("ascii")


def _seed_bytes(text: str) -> bytes:
    return base64.b64decode(text)
