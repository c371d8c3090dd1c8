"""One sync round: deliver the outbox, fetch configuration, status list and trust list.

Thread contract: `SyncService.run_once` runs on the sync thread (the scheduler's, or the CLI's
main thread) and does the network I/O there. It never touches SQLite itself: every read or write
goes through `run_store`, which executes a function on the store's owner thread (the gate's
single worker in the app; a direct call in the CLI). So a slow server never holds a database
transaction, and a scan never waits for the network.

State kept in the store's `meta` table (keys `sync.*`): last success/attempt, last error kind
and message, the measured clock offset. The device token, the person-key secret and the trust
list are files of the data folder (kiosk.datadir), never logged.

Every download is a signed document checked against the root pinned in the settings
(`authority_signing_key`; kiosk.sync.documents): root rotations, the sealing key, the config,
the status list (signed change batches), the EU DCC trust list, in that order. A refused
document leaves the last good one in use; the others of the round are still tried, and the
round then fails with the first refusal (kind "refused", in the status). Without a pinned root
the kiosk still delivers its records, believes no download, and says so (kind "not_pinned").
Only the server-managed settings (checkpoint_common.protocol.SERVER_SETTINGS) come from a
config; the pinned root, the server address, TLS verification and the sealing key never do.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import importlib.metadata
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from checkpoint_common.protocol import (
    SERVER_SETTINGS,
    STATUS_DUPLICATE,
    DeviceStatus,
    EventPayload,
    ProtocolError,
)
from checkpoint_common.seal import PublicKey
from checkpoint_common.signing import (
    DocType,
    Refusal,
    SignedDocumentError,
    StatusListChange,
    Verified,
    VerifyKey,
    follow_rotations,
    max_bytes_for,
    sealing_key_of,
    verify_status_list,
)
from kiosk import declarations
from kiosk.clock import Clock, from_iso, to_iso
from kiosk.config import ConfigError, Settings, settings_with
from kiosk.datadir import DataDir
from kiosk.formats import TrustList
from kiosk.formats.dcc import TrustListError
from kiosk.gate import DEMO_PROBLEM
from kiosk.store import Store
from kiosk.sync.client import (
    AuthError,
    InsecureTransport,
    SyncClient,
    SyncError,
    TooLarge,
    TransientError,
    transport_problem,
)
from kiosk.sync.documents import (
    DocumentRefused,
    DocumentShelf,
    KeptDocument,
    NotPinned,
    fetch_signed,
    refused,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
StoreRunner = Callable[[Callable[[Store], T]], T]

DEFAULT_BATCH = 500


@dataclass(frozen=True, slots=True)
class SyncReport:
    delivered: int = 0  # newly stored or already stored (a replay) on the server
    replayed: int = 0  # of those, already stored: a response had been lost on the way back
    quarantined: int = 0  # rejected by the server this round
    remaining: int = 0  # still waiting (quarantined ones included)
    config_changed: bool = False
    status_list_changed: bool = False
    trust_list_changed: bool = False
    sealing_key_changed: bool = False
    root_rotated: bool = False
    declaration_keys_changed: bool = False


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the screen's status area and `kiosk sync --status` show."""

    enrolled: bool
    server_url: str
    waiting: int
    quarantined: int
    last_success: dt.datetime | None
    last_attempt: dt.datetime | None
    last_error_kind: str | None
    last_error: str | None
    needs_reenrollment: bool
    clock_offset_s: float | None
    config_version: str | None
    status_list_version: str | None
    status_list_updated_at: dt.datetime | None
    trust_list_version: str | None
    # The last good signed document of each type (kiosk.sync.documents), and the root pinned.
    documents: tuple[KeptDocument, ...] = ()
    authority_fingerprint: str | None = None
    now: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        def iso(value: dt.datetime | None) -> str | None:
            return to_iso(value) if value else None

        return {
            "enrolled": self.enrolled,
            "server_url": self.server_url,
            "waiting": self.waiting,
            "quarantined": self.quarantined,
            "last_success": iso(self.last_success),
            "last_attempt": iso(self.last_attempt),
            "last_error_kind": self.last_error_kind,
            "last_error": self.last_error,
            "needs_reenrollment": self.needs_reenrollment,
            "clock_offset_s": self.clock_offset_s,
            "config_version": self.config_version,
            "status_list_version": self.status_list_version,
            "status_list_updated_at": iso(self.status_list_updated_at),
            "trust_list_version": self.trust_list_version,
            "authority_fingerprint": self.authority_fingerprint,
            "documents": {d.doc_type: d.to_json(self.now) for d in self.documents},
        }


@functools.cache
def _app_version() -> str | None:
    try:
        return importlib.metadata.version("kiosk")
    except importlib.metadata.PackageNotFoundError:
        return None


def payload_of(row: tuple[Any, ...]) -> EventPayload:
    """The wire form of a `Store.outbox_rows` row (same column order as EventPayload)."""
    (event_id, seq, checkpoint, person, kind, name, year, direction, verdict, reason, time,
     mono, boot, synced, problems, seal_key, sealed) = row  # fmt: skip
    return EventPayload(
        event_id, seq, checkpoint, person, kind, name, year, direction, verdict, reason, time,
        mono, boot, bool(synced), tuple(json.loads(problems)), seal_key,
        base64.b64encode(sealed).decode("ascii") if sealed is not None else None,
    )  # fmt: skip


def server_settings(current: Settings, received: dict[str, Any]) -> Settings:
    """`current` with the server-managed keys a signed config carries (any other key is
    ignored: the pinned root, the server address, TLS verification, the sealing key are never
    set by a config). Raises ConfigError for a bad value: better keep the old settings than
    guess."""
    ignored = sorted(k for k in received if k not in SERVER_SETTINGS)
    if ignored:
        log.warning("config: settings not managed by the server ignored: %s", ", ".join(ignored))
    return settings_with(current, **{k: received[k] for k in SERVER_SETTINGS if k in received})


class SyncService:
    def __init__(
        self,
        *,
        data_dir: Path,
        settings: Callable[[], Settings],
        run_store: StoreRunner[Any],
        clock: Clock,
        client_factory: Callable[[Settings, str | None], SyncClient] | None = None,
        on_settings: Callable[[Settings], None] | None = None,
        on_trust_list: Callable[[TrustList], None] | None = None,
        on_status_list: Callable[[], None] | None = None,
        on_declaration_keys: Callable[[], None] | None = None,
        batch_size: int = DEFAULT_BATCH,
        is_demo: Callable[[], bool] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.data = DataDir(data_dir)
        self.shelf = DocumentShelf(data_dir)
        self._settings = settings
        self._run_store = run_store
        self._clock = clock
        self._client_factory = client_factory or (
            lambda s, token: SyncClient(s.server_url, token=token, verify_tls=s.verify_tls)
        )
        self._on_settings = on_settings
        self._on_trust_list = on_trust_list
        self._on_status_list = on_status_list
        self._on_declaration_keys = on_declaration_keys
        self.batch_size = batch_size
        self._is_demo = is_demo

    # -- meta helpers (through the store's owner) -------------------------------------------

    def _meta(self, key: str) -> str | None:
        return self._run_store(lambda s: s.get_meta(f"sync.{key}"))  # type: ignore[no-any-return]

    def _set_meta(self, **values: str | None) -> None:
        def write(store: Store) -> None:
            for key, value in values.items():
                store.set_meta(f"sync.{key}", value if value is not None else "")

        self._run_store(write)

    # -- the round ------------------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Deliver everything waiting, then refresh config, status list and trust list.

        Raises a SyncError (kind in the status) when a step fails; what was done before the
        failure is kept (delivered events stay marked). Records the outcome in the status.
        """
        settings = self._settings()
        token = self.data.read_token()
        if not settings.server_url or not token:
            raise AuthError("not enrolled (run `kiosk enroll URL CODE`)")
        attempt_at = self._clock.now().utc
        try:
            client = self._client_factory(settings, token)
        except InsecureTransport as exc:
            self._set_meta(
                last_attempt=to_iso(attempt_at), last_error_kind=exc.kind, last_error=str(exc)
            )
            log.warning("sync refused: %s", exc)
            raise
        client.device_status = self._device_status()
        try:
            # The root and the sealing key first: held personal data is re-sealed to the
            # authority's key before anything is sent (the outbox skips held events), and a
            # box the server cannot open is never delivered. A network failure there does not
            # hold the records back (on a lossy link most rounds would never reach them): they
            # are delivered, then the round reports that failure.
            keys_failed: TransientError | None = None
            try:
                keys = self._fetch_keys(client)
            except TransientError as exc:
                keys_failed = exc
            settings = self._settings()
            if settings.authority_public_key:
                key = PublicKey.from_text(settings.authority_public_key)
                self._run_store(lambda s: s.use_authority_key(key))
            delivered, replayed, quarantined = self._deliver(client)
            if keys_failed is not None:
                raise keys_failed
            changes = self._fetch_documents(client, keys)
        except SyncError as exc:
            self._set_meta(
                last_attempt=to_iso(attempt_at),
                last_error_kind=exc.kind,
                last_error=str(exc)[:300],
                needs_reenrollment="1" if isinstance(exc, AuthError) else "",
            )
            log.warning("sync failed (%s): %s", exc.kind, exc)
            raise
        finally:
            client.close()
        now = self._clock.now().utc
        self._set_meta(
            last_attempt=to_iso(attempt_at),
            last_success=to_iso(now),
            last_error_kind="",
            last_error="",
            needs_reenrollment="",
        )
        remaining = self._run_store(lambda s: s.outbox_count())
        return SyncReport(delivered, replayed, quarantined, remaining, **changes)

    # -- signed documents -------------------------------------------------------------------

    @dataclass
    class _Keys:
        """What the first part of a round found: the root to check with (None: not pinned),
        refusals so far, and what changed."""

        root: VerifyKey | None
        refusals: list[DocumentRefused]
        changes: dict[str, bool]

    def _fetch_keys(self, client: SyncClient) -> SyncService._Keys:
        """Root rotations and the sealing key, before the records are delivered."""
        settings = self._settings()
        changes = {"root_rotated": False, "sealing_key_changed": False}
        if not settings.authority_signing_key:
            log.warning("no authority key pinned: downloads are not believed")
            return SyncService._Keys(None, [], changes)
        root = VerifyKey.from_text(settings.authority_signing_key)
        refusals: list[DocumentRefused] = []
        try:
            new_root = self._fetch_rotations(client, root)
            changes["root_rotated"] = new_root != root
            root = new_root
        except DocumentRefused as exc:
            refusals.append(exc)
        try:
            changes["sealing_key_changed"] = self._fetch_sealing_key(client, root)
        except DocumentRefused as exc:
            refusals.append(exc)
        return SyncService._Keys(root, refusals, changes)

    def _fetch_documents(self, client: SyncClient, keys: SyncService._Keys) -> dict[str, bool]:
        """The other downloads of the round, each checked against the pinned root. Raises
        NotPinned (no root: nothing believed), the first DocumentRefused once all were tried,
        and the client's SyncError kinds (network: the round stops there)."""
        root = keys.root
        if root is None:
            raise NotPinned(
                "no health authority key is pinned on this kiosk: its settings, status list "
                "and trust list cannot be checked, so none is downloaded (enroll again, or "
                "kiosk config set authority_signing_key KEY)"
            )
        refusals = list(keys.refusals)
        changes = {
            **keys.changes,
            "config_changed": False,
            "status_list_changed": False,
            "trust_list_changed": False,
        }
        steps = (
            ("config_changed", self._fetch_config),
            ("status_list_changed", self._fetch_status_list),
            ("trust_list_changed", self._fetch_trust_list),
        )
        for name, step in steps:
            try:
                changes[name] = step(client, root)
            except DocumentRefused as exc:
                refusals.append(exc)
        if refusals:
            if len(refusals) > 1:
                others = ", ".join(r.doc_type for r in refusals[1:])
                raise DocumentRefused(
                    refusals[0].doc_type, refusals[0].reason, f"{refusals[0]} (also: {others})"
                )
            raise refusals[0]
        changes["declaration_keys_changed"] = self._fetch_declaration_keys(client)
        return changes

    def _now(self) -> dt.datetime:
        return self._clock.now().utc

    def _apply_settings(self, new: Settings) -> None:
        if new != self._settings() and self._on_settings:
            self._on_settings(new)

    def _fetch_rotations(self, client: SyncClient, root: VerifyKey) -> VerifyKey:
        """A new root signed by the pinned one (and by the new key's holder): pinned in its
        place. Several rotations are walked in version order."""
        documents = client.get_documents(
            DocType.SIGNING_KEY_ROTATION, max_bytes=max_bytes_for(DocType.SIGNING_KEY_ROTATION)
        )
        if not documents:
            return root
        last = self.shelf.rotation_version()
        try:
            new_root, version = follow_rotations(
                root, documents, last_version=last, now=self.shelf.now(self._now())
            )
        except SignedDocumentError as exc:
            raise refused(self.shelf, DocType.SIGNING_KEY_ROTATION, exc) from exc
        if new_root == root or version is None:
            return root
        log.warning(
            "the health authority's root key rotated: %s -> %s (rotation version %d)",
            root.fingerprint,
            new_root.fingerprint,
            version,
        )
        self._apply_settings(
            settings_with(self._settings(), authority_signing_key=new_root.to_text())
        )
        self.shelf.note_rotation(version)
        return new_root

    def _fetch_sealing_key(self, client: SyncClient, root: VerifyKey) -> bool:
        """The key personal data is sealed to: only from a root-signed `sealing_key`."""
        settings = self._settings()
        found = self._newest_published(client, DocType.SEALING_KEY, root, settings)
        if found is None:
            return False
        verified, raw = found
        try:
            key = sealing_key_of(verified.document)
        except SignedDocumentError as exc:
            raise refused(self.shelf, DocType.SEALING_KEY, exc) from exc
        changed = key.to_text() != settings.authority_public_key
        if changed:
            self._apply_settings(settings_with(settings, authority_public_key=key.to_text()))
            self._run_store(lambda s: s.use_authority_key(key))
            log.info("sealing key %s (version %d)", key.key_id, verified.document.version)
        self.shelf.keep(verified, raw, self._now())
        return changed

    def _newest_published(
        self, client: SyncClient, doc_type: str, root: VerifyKey, settings: Settings
    ) -> tuple[Verified, bytes] | None:
        """Of the published documents of a type, the newest that verifies and is newer than
        the one kept (None: nothing new). Raises DocumentRefused when none verifies."""
        from kiosk.sync.documents import accept_signed

        documents = client.get_documents(doc_type, max_bytes=max_bytes_for(doc_type) * 2)
        best: tuple[Verified, bytes] | None = None
        first_refusal: DocumentRefused | None = None
        unchanged = False
        kept = self.shelf.version(doc_type)
        for raw in documents:
            if kept is not None and _version_of(raw) == kept:
                # The version in use, still listed (perhaps under a root since rotated away):
                # nothing to apply, nothing to refuse.
                unchanged = True
                continue
            try:
                verified = accept_signed(
                    raw,
                    doc_type=doc_type,
                    root=root,
                    audience=settings.checkpoint_id,
                    shelf=self.shelf,
                    now=self._now(),
                )
            except DocumentRefused as exc:
                first_refusal = first_refusal or exc
                continue
            if verified is None:
                unchanged = True
            elif best is None or verified.document.version > best[0].document.version:
                best = (verified, raw)
        if best is None and first_refusal is not None and not unchanged:
            raise first_refusal
        return best

    def _fetch_config(self, client: SyncClient, root: VerifyKey) -> bool:
        settings = self._settings()
        found = fetch_signed(
            client,
            "/config",
            doc_type=DocType.CONFIG,
            root=root,
            audience=settings.checkpoint_id,
            shelf=self.shelf,
            now=self._now(),
        )
        if found is None:
            return False
        verified, raw = found
        content = verified.document.content
        try:
            checkpoint = content["checkpoint"]
            checkpoint_id, name = checkpoint["id"], checkpoint["name"]
            received = content["settings"]
            if not isinstance(received, dict) or not isinstance(checkpoint_id, str):
                raise TypeError("settings is not an object")
            if checkpoint_id != settings.checkpoint_id:
                raise SignedDocumentError(
                    Refusal.WRONG_AUDIENCE, "the config is for another checkpoint"
                )
            new = settings_with(server_settings(settings, received), checkpoint_id=checkpoint_id)
            if isinstance(name, str) and "checkpoint_name" not in received:
                new = settings_with(new, checkpoint_name=name)
        except SignedDocumentError as exc:
            raise refused(self.shelf, DocType.CONFIG, exc) from exc
        except (KeyError, TypeError, ConfigError) as exc:
            error = SignedDocumentError(Refusal.MALFORMED, f"settings a kiosk refuses: {exc}")
            raise refused(self.shelf, DocType.CONFIG, error) from exc
        self._apply_settings(new)
        self.shelf.keep(verified, raw, self._now())
        self._set_meta(config_version=str(verified.document.version))
        return new != settings

    def _fetch_status_list(self, client: SyncClient, root: VerifyKey) -> bool:
        settings = self._settings()
        version = self._run_store(lambda s: s.status_list_info().version)
        held = int(version) if version and version.isdigit() else None
        floor = self.shelf.version(DocType.STATUS_LIST)
        etag = f'"{held}"' if held is not None else None
        params = {"since": str(held)} if held is not None else None
        raw = client.get_document(
            "/status-list",
            max_bytes=max_bytes_for(DocType.STATUS_LIST),
            etag=etag,
            params=params,
        )
        if raw is None:
            return False
        try:
            verified, change = verify_status_list(
                raw,
                root=root,
                audience=settings.checkpoint_id,
                current_version=held,
                now=self.shelf.now(self._now()),
                min_delegation_version=self.shelf.delegation_version(),
            )
            if held is None and floor is not None and change.version < floor:
                # A list loaded by hand (or a resync) has no version to chain from: still, a
                # list older than the newest this kiosk accepted is a replay.
                raise SignedDocumentError(
                    Refusal.NOT_NEWER,
                    f"version {change.version} is older than the accepted {floor} "
                    "(an older or replayed document)",
                )
        except SignedDocumentError as exc:
            if exc.reason is Refusal.STATUS_LIST_GAP:
                self._run_store(lambda s: s.set_meta("status_list_version", ""))
            if exc.reason is Refusal.NOT_NEWER and held is not None:
                try:
                    if StatusListChange.of(_document_of(raw)).version == held:
                        return False  # the version held: nothing new
                except (SignedDocumentError, ProtocolError, ValueError):
                    pass
            raise refused(self.shelf, DocType.STATUS_LIST, exc) from exc
        count = self._apply_status_list(change)
        if count != change.count:
            # The kiosk's list drifted from the authority's: the next round asks for it whole.
            log.warning(
                "status list version %d: %d entries here, %d signed: asking for the whole list",
                change.version,
                count,
                change.count,
            )
            self._run_store(lambda s: s.set_meta("status_list_version", ""))
        self.shelf.keep(verified, None, self._now())
        log.info("status list version %d: %d entries", change.version, count)
        if self._on_status_list:
            self._on_status_list()
        return True

    def _apply_status_list(self, change: StatusListChange) -> int:
        def apply(store: Store) -> int:
            return store.replace_status_list(
                [
                    (e.person_key, e.colour, from_iso(e.valid_until) if e.valid_until else None)
                    for e in change.upserts
                ],
                version=str(change.version),
                # Its age is the authority's, never the download's (docs/protocol.md).
                updated_at=change.issued_at,
                full=change.full,
                removed=change.removed,
            )

        try:
            return int(self._run_store(apply))
        except ValueError as exc:
            error = SignedDocumentError(Refusal.MALFORMED, f"a status list entry: {exc}")
            raise refused(self.shelf, DocType.STATUS_LIST, error) from exc

    def _fetch_trust_list(self, client: SyncClient, root: VerifyKey) -> bool:
        settings = self._settings()
        found = self._newest_published(client, DocType.TRUST_LIST, root, settings)
        if found is None:
            return False
        verified, raw = found
        content = verified.document.content
        try:
            trust = TrustList.from_json(content)
        except TrustListError as exc:
            error = SignedDocumentError(Refusal.MALFORMED, f"the trust list: {exc}")
            raise refused(self.shelf, DocType.TRUST_LIST, error) from exc
        # The file the kiosk reads at start (kiosk.gate.load_trust_list): written only now, a
        # bad or forged list never replaces a good one.
        self.data.write_trust_list(json.dumps(content, ensure_ascii=False).encode())
        self.shelf.keep(verified, raw, self._now())
        self._set_meta(trust_list_version=str(verified.document.version))
        if self._on_trust_list:
            self._on_trust_list(trust)
        return True

    def _fetch_declaration_keys(self, client: SyncClient) -> bool:
        """The health-declaration keys (kiosk.declarations): each delegation is checked against
        the pinned root key (after this round's rotations); none are taken without one. A
        refused answer is logged and the keys held are kept: a scan never depends on this."""
        settings = self._settings()
        if not settings.authority_signing_key:
            return False
        body = client.declaration_keys()
        if body is None:
            return False
        try:
            envelopes = declarations.envelopes_of(body)
            _, changed = declarations.accept(settings, self.data, envelopes, self._now())
        except declarations.DeclarationKeysError as exc:
            log.warning("declaration keys from the server refused: %s", exc)
            return False
        if changed and self._on_declaration_keys:
            self._on_declaration_keys()
        return changed

    def _device_status(self) -> DeviceStatus:
        """What this kiosk tells its server about itself (for its site manager)."""

        def read(store: Store) -> tuple[int, str | None]:
            waiting = store.outbox_count() - store.quarantined_count()
            return waiting, store.get_meta("sync.clock_offset_s")

        waiting, offset = self._run_store(read)
        try:
            offset_ms = round(float(offset) * 1000) if offset else None
        except ValueError:
            offset_ms = None
        return DeviceStatus(
            app_version=_app_version(),
            waiting=waiting,
            clock_synced=self._clock.now().synced,
            clock_offset_ms=offset_ms,
            demo=self._is_demo() if self._is_demo else None,
        )

    def _deliver(self, client: SyncClient) -> tuple[int, int, int]:
        """Send the outbox in batches, up to what it held when the round began. Returns
        (delivered, replayed, quarantined). Raises the SyncError kinds; what was marked before
        stays marked."""
        device_id = self._run_store(lambda s: s.device_id)
        batch_size = self.batch_size
        delivered = replayed = quarantined = 0
        # A round sends what was waiting when it started (and no more): under a steady stream
        # of scans it would otherwise never end, and the settings, status list and trust list
        # downloads after it would never run. The next round follows at the backlog interval.
        budget = self._run_store(lambda s: s.outbox_count())
        while budget > 0:
            rows = self._run_store(partial(Store.outbox_rows, limit=min(batch_size, budget)))
            if not rows:
                return delivered, replayed, quarantined
            events = [payload_of(row) for row in rows]
            demo = [e.event_id for e in events if DEMO_PROBLEM in e.problems]
            if demo:
                # Made-up people from the demo source: kept here, never delivered.
                def set_aside(store: Store, ids: list[str] = demo) -> None:
                    for event_id in ids:
                        store.quarantine(event_id, "demo: recorded by the demo source, not sent")

                self._run_store(set_aside)
                quarantined += len(demo)
                budget -= len(demo)
                events = [e for e in events if DEMO_PROBLEM not in e.problems]
                if not events:
                    continue
            before = self._clock.now()
            try:
                answer = client.upload(
                    device_id,
                    events,
                    boot_id=before.boot_id,
                    sent_at=to_iso(before.utc),
                    sent_mono_ns=before.mono_ns,
                )
            except TooLarge:
                if batch_size > 1:
                    batch_size = max(1, batch_size // 2)
                    log.info("server said 413: batches of %d from now on", batch_size)
                    continue
                self._run_store(
                    partial(Store.quarantine, event_id=events[0].event_id, error="too large")
                )
                quarantined += 1
                budget -= 1
                continue
            budget -= len(events)
            after = self._clock.now()
            self._record_offset(answer.server_time, before.utc, after.utc, before.boot_id)
            ok = [r.event_id for r in answer.results if r.delivered]
            bad = [(r.event_id, r.error or "rejected") for r in answer.results if not r.delivered]

            def apply(
                store: Store,
                ok: list[str] = ok,
                bad: list[tuple[str, str]] = bad,
                at: dt.datetime = after.utc,
            ) -> None:
                store.mark_delivered(ok, at)
                for event_id, error in bad:
                    store.quarantine(event_id, error)

            self._run_store(apply)
            delivered += len(ok)
            replayed += sum(1 for r in answer.results if r.status == STATUS_DUPLICATE)
            quarantined += len(bad)
            for event_id, error in bad:
                log.warning("event %s quarantined by the server: %s", event_id, error[:100])
            if not ok and not bad:
                # The server answered for none of them: do not spin; try again next round.
                raise TransientError("the server acknowledged none of the events sent")
        return delivered, replayed, quarantined

    def _record_offset(
        self, server_time: str, before: dt.datetime, after: dt.datetime, boot_id: str
    ) -> None:
        try:
            server = from_iso(server_time)
        except ValueError:
            return
        midpoint = before + (after - before) / 2
        offset = (server - midpoint).total_seconds()
        self._set_meta(clock_offset_s=f"{offset:.3f}", clock_offset_boot=boot_id)

    # -- status -----------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        settings = self._settings()

        def read(store: Store) -> SyncStatus:
            def meta(key: str) -> str | None:
                return store.get_meta(f"sync.{key}") or None

            def when(key: str) -> dt.datetime | None:
                value = meta(key)
                return from_iso(value) if value else None

            offset = meta("clock_offset_s")
            info = store.status_list_info()
            return SyncStatus(
                enrolled=bool(settings.server_url and self.data.read_token()),
                server_url=settings.server_url,
                waiting=store.outbox_count(),
                quarantined=store.quarantined_count(),
                last_success=when("last_success"),
                last_attempt=when("last_attempt"),
                last_error_kind=meta("last_error_kind"),
                last_error=meta("last_error"),
                needs_reenrollment=meta("needs_reenrollment") == "1",
                clock_offset_s=float(offset) if offset else None,
                config_version=meta("config_version"),
                status_list_version=info.version,
                status_list_updated_at=info.updated_at,
                trust_list_version=meta("trust_list_version"),
            )

        status: SyncStatus = self._run_store(read)
        fingerprint = None
        if settings.authority_signing_key:
            fingerprint = VerifyKey.from_text(settings.authority_signing_key).fingerprint
        return dataclasses.replace(
            status,
            documents=tuple(self.shelf.summary()),
            authority_fingerprint=fingerprint,
            now=self._now(),
        )


def _version_of(raw: bytes) -> int | None:
    """The version an envelope's body states (unchecked: only to skip the one in use)."""
    from checkpoint_common.signing import Envelope

    try:
        value = json.loads(Envelope.from_bytes(raw).body).get("version")
    except (SignedDocumentError, ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def _document_of(raw: bytes) -> Any:
    from checkpoint_common.signing import Document, Envelope

    data = json.loads(Envelope.from_bytes(raw, max_bytes=len(raw) + 1).body)
    return Document(
        data["type"], data["version"], from_iso(data["issued_at"]), data["audience"],
        data["content"],
    )  # fmt: skip


def authority_of(url: str, *, verify_tls: bool = True) -> VerifyKey | None:
    """The root key the server at `url` says it signs under, for a person to compare by its
    fingerprint before it is pinned (never pinned without that, or a key given at install).
    None: the server has published none. Raises InsecureTransport, the SyncError kinds, and
    SignedDocumentError for a weak or malformed key."""
    client = SyncClient(url, verify_tls=verify_tls)
    try:
        text = client.authority()
    finally:
        client.close()
    return VerifyKey.from_text(text) if text else None


def enroll(
    *,
    data_dir: Path,
    settings: Settings,
    url: str,
    code: str,
    device_id: str,
    device_name: str = "",
    authority: VerifyKey | None = None,
    verify_tls: bool | None = None,
    client: SyncClient | None = None,
) -> tuple[Settings, str]:
    """Exchange a one-time code for a device token and the checkpoint's identity.

    authority: the root key to pin, after the site manager compared its fingerprint
    (`authority_of`); ignored when one is pinned already (the network never replaces it).
    Without either: NotPinned, nothing sent. verify_tls: None keeps the setting (False only
    from an explicit --insecure). Re-enrolling at the same server sends the current token (it
    proves this is the enrolled device: docs/protocol.md, "Enrollment"); another server never
    sees it.

    Writes the token and the deployment's person-key secret (0600) into the data directory and
    returns the new settings (server URL, checkpoint, pinned root) for the caller to save, and
    the checkpoint name. The settings of the checkpoint arrive with the first sync, signed.
    Raises InsecureTransport (plain http to another machine), the SyncError kinds
    (EnrollmentRefused for a bad code, EnrollmentConflict for a device id enrolled already).
    """
    problem = transport_problem(url)
    if problem:
        raise InsecureTransport(problem)
    pinned = settings.authority_signing_key
    if not pinned and authority is None:
        raise NotPinned(
            "no health authority key: compare the server's key fingerprint with the authority's "
            "and confirm it (kiosk enroll shows it; --authority-fingerprint FP)"
        )
    tls = settings.verify_tls if verify_tls is None else verify_tls
    data = DataDir(data_dir)
    same_server = settings.server_url and settings.server_url.rstrip("/") == url.rstrip("/")
    current = data.read_token() if same_server else None
    client = client or SyncClient(url, verify_tls=tls)
    try:
        answer = client.enroll(code, device_id, device_name, current)
    finally:
        client.close()
    secret = base64.b64decode(answer.person_key_secret)
    if len(secret) < 16:
        raise TransientError("the server's person-key secret is too short")
    data.write_token(answer.device_token)
    if data.replace_person_secret(secret):
        # Stays opened before enrollment were keyed with the kiosk's own secret: those people
        # will not be matched on their way out. Said in the log and docs/operations.
        log.warning("person-key secret replaced by the deployment's at enrollment")
    if answer.checkpoint.id != settings.checkpoint_id:
        # Another checkpoint's config starts its own versions (they are per checkpoint).
        DocumentShelf(data_dir).forget(DocType.CONFIG)
    root = pinned or (authority.to_text() if authority else "")
    new = settings_with(
        settings,
        server_url=url.rstrip("/"),
        checkpoint_id=answer.checkpoint.id,
        checkpoint_name=answer.checkpoint.name,
        authority_signing_key=root,
        verify_tls=tls,
    )
    return new, answer.checkpoint.name
