"""The gate loop's core step: read -> parse -> decide -> record. Delivery happens elsewhere.

`Gate.scan` is the one path every scan takes (camera, hardware scanner, `kiosk scan`, manual
entry). It returns only after the event is committed, so whatever shows the verdict may say
"recorded". Thread contract: a Gate and its Store are used by one thread at a time (the UI runs
them on a single-worker executor); `scan` blocks for one SQLite commit (a few ms).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock, Instant, from_iso, to_iso
from kiosk.config import Settings
from kiosk.credentials import Credential, Identity, PersonKeyer
from kiosk.events import Declaration, NewEvent
from kiosk.formats import TrustList, parse
from kiosk.policy import Decision, GateState, auto_checkout_due, decide
from kiosk.store import DB_FILE_NAME, PurgeRefused, RecordError, Store

log = logging.getLogger(__name__)

# Scanned payloads above this size are not stored (the event is, with problem "too_long").
MAX_PAYLOAD_BYTES = 16 * 1024
SECRET_FILE_NAME = "person_key.secret"
TRUST_LIST_FILE_NAME = "trust_list.json"
_META_AUTO_CHECKOUT = "auto_checkout_last_run"
_DAY_NS = 86_400 * 10**9


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What the screen shows. `event_id`/`seq` are None only for a duplicate (nothing written)."""

    credential: Credential
    decision: Decision
    event_id: str | None
    seq: int | None
    at: dt.datetime
    occupancy: int

    def to_json(self) -> dict[str, object]:
        duplicate_of = self.decision.duplicate_of
        return {
            "verdict": self.decision.verdict.value,
            "direction": self.decision.direction.value,
            "reason": self.decision.reason.value,
            "event_id": self.event_id,
            "kind": self.credential.kind.value,
            "display_name": self.credential.display_name,
            "birth_year": self.credential.birth_year,
            "occupancy": self.occupancy,
            "duplicate_of": duplicate_of.event_id if duplicate_of else None,
            "recorded_at": to_iso(duplicate_of.device_time if duplicate_of else self.at),
        }


def load_person_secret(data_dir: Path) -> bytes:
    """The deployment's person-key secret: read it, or create it once (mode 0600, O_EXCL)."""
    path = data_dir / SECRET_FILE_NAME
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
            handle.flush()
            os.fsync(handle.fileno())
    return secret


def load_trust_list(settings: Settings, data_dir: Path) -> TrustList | None:
    """The EU DCC trust list named by the settings, else `trust_list.json` in the data dir.

    None when there is none (certificates are then "not verified"). A bad file raises
    TrustListError: a kiosk must not silently stop verifying.
    """
    path = Path(settings.trust_list_file) if settings.trust_list_file else None
    if path is None:
        path = data_dir / TRUST_LIST_FILE_NAME
        if not path.exists():
            return None
    return TrustList.from_file(path)


class Gate:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        keyer: PersonKeyer,
        trust: TrustList | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.keyer = keyer
        self.trust = trust
        last = store.get_meta(_META_AUTO_CHECKOUT)
        self._last_auto_checkout = from_iso(last) if last else None
        # Measured on the monotonic clock: a wall-clock jump must not make the purge run early.
        self._last_purge_mono: int | None = None
        self.refresh_status_list_info()

    @classmethod
    def open(cls, data_dir: Path, settings: Settings, clock: Clock) -> Gate:
        """Open the data directory's database, secret and trust list (raises the store's and
        the trust list's named errors)."""
        store = Store.open(data_dir / DB_FILE_NAME)
        try:
            keyer = PersonKeyer(load_person_secret(data_dir))
            trust = load_trust_list(settings, data_dir)
        except BaseException:
            store.close()
            raise
        return cls(store, settings, clock, keyer, trust)

    def close(self) -> None:
        self.store.close()

    def refresh_status_list_info(self) -> None:
        """Call after the status list was replaced (sync) so decisions see its age."""
        self._status_updated_at = self.store.status_list_info().updated_at

    def update_settings(self, settings: Settings) -> None:
        self.settings = settings

    def person_key(self, credential: Credential) -> str:
        """The key repeats are recognised by: the person key, or a keyed hash of the text."""
        return credential.person_key or self.keyer.key(Identity("raw", credential.raw))

    def housekeeping(self, instant: Instant | None = None) -> int:
        """Run the nightly auto-checkout if it is due. Returns the number of stays closed."""
        instant = instant or self.clock.now()
        due = auto_checkout_due(self.settings, instant.utc, self._last_auto_checkout)
        if due is None:
            return 0
        closed = self.store.auto_checkout(due, instant, self.settings.checkpoint_id)
        self.store.set_meta(_META_AUTO_CHECKOUT, to_iso(due))
        self._last_auto_checkout = due
        if closed:
            log.info("auto-checkout at %s closed %d open stays", to_iso(due), closed)
        return closed

    def idle(self) -> None:
        """Work that must not delay a scan: the nightly auto-checkout when due, the retention
        purge once a day, and copying the WAL into the database file. The owner calls it when
        no scan is waiting (a timer on the gate's thread); raises the store's errors except
        PurgeRefused (logged: the purge waits for a clock it can trust)."""
        instant = self.clock.now()
        self.housekeeping(instant)
        if self._last_purge_mono is None or instant.mono_ns - self._last_purge_mono > _DAY_NS:
            self._last_purge_mono = instant.mono_ns
            try:
                self.store.purge(
                    instant,
                    retention_days=self.settings.retention_days,
                    hard_days=self.settings.retention_hard_days,
                )
            except PurgeRefused as refused:
                log.warning("retention purge skipped: %s", refused)
        self.store.checkpoint()

    def scan(self, payload: str | bytes, *, gate_mode: str | None = None) -> ScanOutcome:
        """Parse, decide and (unless a duplicate) record one scan; returns after the commit.

        Raises RecordError when the event could not be committed even after one retry with the
        same event_id: the caller must show "not recorded", never the verdict.
        """
        instant = self.clock.now()
        self.housekeeping(instant)
        credential = parse(payload, keyer=self.keyer, trust=self.trust, now=instant.utc)
        return self.decide_and_record(credential, payload, instant, gate_mode=gate_mode)

    def decide_and_record(
        self,
        credential: Credential,
        payload: str | bytes | None,
        instant: Instant,
        *,
        gate_mode: str | None = None,
        declaration: Declaration | None = None,
    ) -> ScanOutcome:
        """The decide-and-record half of `scan`, for credentials not parsed from a scan
        (manual entry, a scan with a proxy health declaration). Same contract as `scan`."""
        key = self.person_key(credential)
        status = self.store.status_of(key, instant.utc) if credential.kind.names_a_person else None
        state = GateState(
            occupancy=self.store.occupancy(),
            inside=self.store.is_inside(key),
            last_event=self.store.last_event(key),
            status=status,
            status_list_age=(instant.utc - self._status_updated_at)
            if self._status_updated_at
            else None,
        )
        decision = decide(
            credential, state, self.settings, instant, gate_mode=gate_mode, declaration=declaration
        )
        if not decision.records:
            log.info("scan duplicate kind=%s key=%s", credential.kind.value, key[:12])
            return ScanOutcome(credential, decision, None, None, instant.utc, state.occupancy)

        event = self._new_event(credential, payload, key, decision, instant, declaration)
        try:
            result = self.store.record(event)
        except RecordError as first:
            # The outcome of a failed COMMIT is unknown: retry with the same event_id; INSERT OR
            # IGNORE makes the retry a no-op if the first attempt did land.
            log.warning("record failed, retrying once with the same event_id: %s", first)
            result = self.store.record(event)
        log.info(
            "scan %s (%s) dir=%s kind=%s key=%s seq=%d",
            decision.verdict.value,
            decision.reason.value,
            decision.direction.value,
            credential.kind.value,
            key[:12],
            result.seq,
        )
        return ScanOutcome(
            credential, decision, event.event_id, result.seq, instant.utc, self.store.occupancy()
        )

    def _new_event(
        self,
        credential: Credential,
        payload: str | bytes | None,
        key: str,
        decision: Decision,
        instant: Instant,
        declaration: Declaration | None,
    ) -> NewEvent:
        problems = credential.problems
        raw: bytes | None
        if payload is None:
            raw = None
        else:
            raw = (
                payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
            )
            if len(raw) > MAX_PAYLOAD_BYTES:
                raw, problems = None, (*problems, "payload_not_stored")
        fields = credential.fields.to_json()
        has_fields = any(value is not None for value in fields.values())
        return NewEvent(
            event_id=str(uuid.uuid4()),
            device_id=self.store.device_id,
            checkpoint_id=self.settings.checkpoint_id,
            person_key=key,
            kind=credential.kind.value,
            display_name=credential.display_name,
            birth_year=credential.birth_year,
            direction=decision.direction,
            verdict=decision.verdict,
            reason=decision.reason,
            device_time=instant.utc,
            mono_ns=instant.mono_ns,
            boot_id=instant.boot_id,
            clock_synced=instant.synced,
            payload=raw,
            fields_json=json.dumps(fields, ensure_ascii=False) if has_fields else None,
            problems=problems,
            declaration_json=json.dumps(declaration.to_json()) if declaration else None,
        )
