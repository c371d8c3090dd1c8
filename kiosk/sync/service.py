"""One sync round: deliver the outbox, fetch configuration, status list and trust list.

Thread contract: `SyncService.run_once` runs on the sync thread (the scheduler's, or the CLI's
main thread) and does the network I/O there. It never touches SQLite itself: every read or write
goes through `run_store`, which executes a function on the store's owner thread (the gate's
single worker in the app; a direct call in the CLI). So a slow server never holds a database
transaction, and a scan never waits for the network.

State kept in the store's `meta` table (keys `sync.*`): last success/attempt, last error kind
and message, the measured clock offset, ETags and list versions. The device token, the
person-key secret and the trust list are files of the data folder (kiosk.datadir), never
logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import importlib.metadata
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from checkpoint_common.protocol import (
    DEPLOYMENT_SETTINGS,
    SERVER_SETTINGS,
    STATUS_DUPLICATE,
    DeviceStatus,
    EventPayload,
)
from checkpoint_common.seal import PublicKey
from kiosk import declarations
from kiosk.clock import Clock, from_iso, to_iso
from kiosk.config import Settings, settings_with
from kiosk.datadir import TRUST_LIST_FILE_NAME, DataDir
from kiosk.formats import TrustList
from kiosk.formats.dcc import TrustListError
from kiosk.gate import DEMO_PROBLEM
from kiosk.store import Store
from kiosk.sync.client import AuthError, SyncClient, SyncError, TooLarge, TransientError

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
    """`current` with the server-managed keys the server sent (others ignored). Raises
    ConfigError when the server sends a bad value: better keep the old settings than guess."""
    keys = (*SERVER_SETTINGS, *DEPLOYMENT_SETTINGS)
    return settings_with(current, **{k: received[k] for k in keys if k in received})


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
        client = self._client_factory(settings, token)
        client.device_status = self._device_status()
        attempt_at = self._clock.now().utc
        if settings.authority_public_key:
            # Held personal data is re-sealed to the authority's key before anything is sent
            # (the outbox skips held events): a box the server cannot open is never delivered.
            key = PublicKey.from_text(settings.authority_public_key)
            self._run_store(lambda s: s.use_authority_key(key))
        try:
            delivered, replayed, quarantined = self._deliver(client)
            config_changed = self._fetch_config(client, settings)
            status_changed = self._fetch_status_list(client)
            trust_changed = self._fetch_trust_list(client)
            keys_changed = self._fetch_declaration_keys(client, settings)
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
        return SyncReport(
            delivered,
            replayed,
            quarantined,
            remaining,
            config_changed,
            status_changed,
            trust_changed,
            keys_changed,
        )

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

    def _fetch_config(self, client: SyncClient, settings: Settings) -> bool:
        config, etag = client.config(self._meta("config_etag") or None)
        if config is None:
            return False
        try:
            new = server_settings(settings, config.settings)
        except ValueError as exc:
            log.warning("server settings refused, keeping the current ones: %s", exc)
            return False
        if config.checkpoint.id != settings.checkpoint_id:
            log.info("checkpoint is now %s", config.checkpoint.id)
        new = settings_with(
            new, checkpoint_id=config.checkpoint.id, checkpoint_name=config.checkpoint.name
        )
        self._set_meta(config_etag=etag, config_version=config.version)
        if new != settings and self._on_settings:
            self._on_settings(new)
        return new != settings

    def _fetch_status_list(self, client: SyncClient) -> bool:
        version = self._meta("status_list_version")
        since = int(version) if version and version.isdigit() else None
        answer, etag = client.status_list(since, self._meta("status_list_etag") or None)
        if answer is None:
            return False
        now = self._clock.now().utc

        def apply(store: Store) -> int:
            return store.replace_status_list(
                [
                    (e.person_key, e.colour, from_iso(e.valid_until) if e.valid_until else None)
                    for e in answer.upserts
                ],
                version=str(answer.version),
                updated_at=now,
                full=answer.full,
                removed=answer.removed,
            )

        count = self._run_store(apply)
        self._set_meta(status_list_version=str(answer.version), status_list_etag=etag)
        log.info("status list version %d: %d entries", answer.version, count)
        if self._on_status_list:
            self._on_status_list()
        return True

    def _fetch_trust_list(self, client: SyncClient) -> bool:
        body, etag = client.trust_list(self._meta("trust_list_etag") or None)
        if body is None:
            return False
        body = {k: v for k, v in body.items() if k != "server_time"}
        data = json.dumps(body, ensure_ascii=False).encode()
        # Validate before replacing: a bad list must not replace a good one.
        with tempfile.TemporaryDirectory(dir=self.data_dir) as tmp:
            candidate = Path(tmp) / TRUST_LIST_FILE_NAME
            candidate.write_bytes(data)
            try:
                trust = TrustList.from_file(candidate)
            except TrustListError as exc:
                raise TransientError(f"the server's trust list is invalid: {exc}") from exc
        self.data.write_trust_list(data)
        self._set_meta(trust_list_etag=etag, trust_list_version=str(body.get("version")))
        if self._on_trust_list:
            self._on_trust_list(trust)
        return True

    def _fetch_declaration_keys(self, client: SyncClient, settings: Settings) -> bool:
        """The health-declaration keys (kiosk.declarations): each delegation is checked against
        the pinned root key; none are taken without one. One step, on its own, so that a
        generic verified download can take it over. A refused answer is logged and the keys
        held are kept: a scan never depends on this."""
        if not settings.authority_signing_key:
            return False
        body = client.declaration_keys()
        if body is None:
            return False
        try:
            envelopes = declarations.envelopes_of(body)
            _, changed = declarations.accept(settings, self.data, envelopes, self._clock.now().utc)
        except declarations.DeclarationKeysError as exc:
            log.warning("declaration keys from the server refused: %s", exc)
            return False
        if changed and self._on_declaration_keys:
            self._on_declaration_keys()
        return changed

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

        return self._run_store(read)  # type: ignore[no-any-return]


def enroll(
    *,
    data_dir: Path,
    settings: Settings,
    url: str,
    code: str,
    device_id: str,
    device_name: str = "",
    client: SyncClient | None = None,
) -> tuple[Settings, str]:
    """Exchange a one-time code for a device token and the checkpoint's identity and settings.

    Writes the token and the deployment's person-key secret (0600) into the data directory and
    returns the new settings (server URL, checkpoint, server-managed settings) for the caller to
    save, and the checkpoint name. Raises the SyncError kinds (EnrollmentRefused for a bad code).
    """
    client = client or SyncClient(url, verify_tls=settings.verify_tls)
    try:
        answer = client.enroll(code, device_id, device_name)
    finally:
        client.close()
    secret = base64.b64decode(answer.person_key_secret)
    if len(secret) < 16:
        raise TransientError("the server's person-key secret is too short")
    data = DataDir(data_dir)
    data.write_token(answer.device_token)
    if data.replace_person_secret(secret):
        # Stays opened before enrollment were keyed with the kiosk's own secret: those people
        # will not be matched on their way out. Said in the log and docs/operations.
        log.warning("person-key secret replaced by the deployment's at enrollment")
    new = settings_with(
        server_settings(settings, answer.settings),
        server_url=url.rstrip("/"),
        checkpoint_id=answer.checkpoint.id,
        checkpoint_name=answer.checkpoint.name,
    )
    return new, answer.checkpoint.name
