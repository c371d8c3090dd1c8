"""The gate loop's core step: read -> parse -> decide -> record. Delivery happens elsewhere.

`Gate.scan` (a scanned code: camera, hardware scanner, `kiosk scan`, tests; optionally with a
health declaration the guard took), `Gate.record_manual` (a visitor without a code) and
`Gate.check_out` (an exit tapped on the guard's list of people inside) are the only ways a record
is made. Each runs the nightly housekeeping first, decides with the same rules and returns only
after the event is committed, so whatever shows the verdict may say "recorded".

Thread contract: a Gate and its Store are used by one thread at a time (the UI runs them on a
single-worker executor); `scan` blocks for one SQLite commit (a few ms).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checkpoint_common.declaration import DeclarationKeys
from checkpoint_common.seal import PersonalData, PublicKey
from kiosk import declarations as declaration_keys
from kiosk.clock import Clock, Instant, from_iso, to_iso
from kiosk.config import Settings
from kiosk.credentials import Credential, Identity, PersonKeyer
from kiosk.datadir import DataDir
from kiosk.events import Declaration, Direction, NewEvent
from kiosk.formats import ManualEntryError, TrustList, manual_credential, parse
from kiosk.inside import InsidePerson, checkout_credential
from kiosk.names import consistent_name
from kiosk.policy import Decision, GateState, auto_checkout_due, decide
from kiosk.store import (
    PurgeRefused,
    PurgeResult,
    RecordError,
    StorageFull,
    Store,
    StoreError,
    is_storage_full,
)

log = logging.getLogger(__name__)

# Scanned payloads above this size are not stored (the event is, with problem "too_long").
MAX_PAYLOAD_BYTES = 16 * 1024
_META_AUTO_CHECKOUT = "auto_checkout_last_run"
_DAY_NS = 86_400 * 10**9
# Below this much free space in the data directory the screen warns (call the site manager)
# while scans are still recorded: the WAL alone may take ~12 MB between checkpoints, and a day
# of a busy gate a few MB more, so this leaves days, not minutes, to free space. `kiosk doctor`
# warns below the same figure.
LOW_SPACE_BYTES = 100 * 1024 * 1024
STORAGE_CHECK_EVERY_S = 10.0  # statvfs is cheap, but idle runs every 2 s: no need that often


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged process may still write on the filesystem holding `path`."""
    return shutil.disk_usage(path).free


@dataclass(frozen=True, slots=True)
class StorageStatus:
    """Room left for the gate log, as the screen shows it (crosses threads: frozen).

    `low`: free space is under the warning threshold (scans are still recorded). `full`: a
    write was refused for lack of space and none has succeeded since (scans are NOT recorded);
    it ends by itself with the next successful commit, or when a check finds room again.
    """

    free_bytes: int | None  # None: not measured yet
    low: bool
    full: bool

    @property
    def level(self) -> str:
        return "full" if self.full else "low" if self.low else "ok"


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


def load_trust_list(settings: Settings, data_dir: Path) -> TrustList | None:
    """The EU DCC trust list named by the settings, else `trust_list.json` in the data dir.

    None when there is none (certificates are then "not verified"). A bad file raises
    TrustListError: a kiosk must not silently stop verifying.
    """
    path = Path(settings.trust_list_file) if settings.trust_list_file else None
    if path is None:
        path = DataDir(data_dir).trust_list
        if not path.exists():
            return None
    return TrustList.from_file(path)


# The problem code on events recorded from the demo source (the server refuses them too).
DEMO_PROBLEM = "demo"


@dataclass(frozen=True, slots=True)
class ManualEntry:
    """What the guard typed for a visitor without a code. An ID number or a phone is needed.
    `direction`: in or out as the guard chose on the form (None: the gate's mode decides)."""

    full_name: str
    id_number: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    declaration: Declaration | None = None
    direction: Direction | None = None


class Gate:
    """Parse -> decide -> record, for one scan at a time, on the thread that owns the store.

    `mode` (scan, record_manual): the guard's gate switch, "in", "out" or "auto"; None means the
    `gate_mode` setting.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        keyer: PersonKeyer,
        trust: TrustList | None = None,
        data: DataDir | None = None,
        declarations: DeclarationKeys | None = None,
    ) -> None:
        self.store = store
        # The folder around the database (the purge removes its old backups and exports).
        self.data = data or DataDir(store.path.parent)
        self.settings = settings
        self.clock = clock
        self.keyer = keyer
        self.trust = trust
        # The health-declaration keys (kiosk.declarations): None reads them from the data
        # folder, checked against the pinned root.
        self.declarations = (
            declarations
            if declarations is not None
            else declaration_keys.load(settings, self.data, clock.now().utc)
        )
        last = store.get_meta(_META_AUTO_CHECKOUT)
        self._last_auto_checkout = from_iso(last) if last else None
        # Measured on the monotonic clock: a wall-clock jump must not make the purge run early.
        self._last_purge_mono: int | None = None
        # Free space (check_storage): the threshold, the interval and the measurement may be
        # replaced (tests, a kiosk on a tiny card).
        self.low_space_bytes = LOW_SPACE_BYTES
        self.storage_check_every_s = STORAGE_CHECK_EVERY_S
        self.free_space: Callable[[Path], int] = free_bytes
        self.storage = StorageStatus(free_bytes=None, low=False, full=False)
        self._storage_checked_at: float | None = None
        # True while the frames come from the built-in demo source (kiosk.ui.app): its events
        # are made-up people, marked "demo" and never sent to a server (kiosk.sync.service).
        self.demo = False
        self.refresh_status_list_info()
        self._apply_authority_key(settings)

    @classmethod
    def open(cls, data_dir: Path, settings: Settings, clock: Clock) -> Gate:
        """Open the data directory's database, secret and trust list (raises the store's and
        the trust list's named errors)."""
        data = DataDir(data_dir)
        store = Store.open(data.db)
        try:
            keyer = PersonKeyer(data.person_secret())
            trust = load_trust_list(settings, data_dir)
        except BaseException:
            store.close()
            raise
        return cls(store, settings, clock, keyer, trust, data)

    def close(self) -> None:
        self.store.close()

    def refresh_status_list_info(self) -> None:
        """Call after the status list was replaced (sync) so decisions see its age."""
        self._status_updated_at = self.store.status_list_info().updated_at

    def update_settings(self, settings: Settings) -> None:
        """New settings (admin screen, server). Thread: the gate's owner. A new authority key
        re-seals the held personal data (kiosk.store.Store.use_authority_key)."""
        old = self.settings
        self.settings = settings
        self._apply_authority_key(settings)
        if (old.authority_signing_key, old.checkpoint_id) != (
            settings.authority_signing_key,
            settings.checkpoint_id,
        ):
            self.reload_declaration_keys()

    def reload_declaration_keys(self) -> None:
        """Read the declaration keys again (after a sync or an import). Thread: the gate's."""
        self.declarations = declaration_keys.load(self.settings, self.data, self.clock.now().utc)

    def _apply_authority_key(self, settings: Settings) -> None:
        if settings.authority_public_key:
            self.store.use_authority_key(PublicKey.from_text(settings.authority_public_key))

    def person_key(self, credential: Credential) -> str:
        """The key repeats are recognised by: the person key, or a keyed hash of the text."""
        return credential.person_key or self.keyer.key(Identity("raw", credential.raw))

    def housekeeping(self, instant: Instant | None = None) -> int:
        """Run the nightly auto-checkout if it is due. Returns the number of stays closed.
        Raises RecordError (StorageFull on a full disk: `storage` then says so)."""
        instant = instant or self.clock.now()
        due = auto_checkout_due(self.settings, instant.utc, self._last_auto_checkout)
        if due is None:
            return 0
        try:
            self.store.check_clock(instant)
        except PurgeRefused as jump:
            # The wall clock was stepped forward within this boot (a wrong time server, a
            # manual change): the nights it "passed" did not happen, and closing everyone's stay
            # now would empty the occupancy. That night counts as done; the next one runs.
            log.warning("nightly auto-checkout at %s skipped: %s", to_iso(due), jump)
            self.store.set_meta(_META_AUTO_CHECKOUT, to_iso(due))
            self._last_auto_checkout = due
            return 0
        try:
            closed = self.store.auto_checkout(due, instant, self.settings.checkpoint_id)
        except StorageFull as full:
            self._storage_refused(full)
            raise
        self.store.set_meta(_META_AUTO_CHECKOUT, to_iso(due))
        self._last_auto_checkout = due
        if closed:
            log.info("auto-checkout at %s closed %d open stays", to_iso(due), closed)
        return closed

    def idle(self) -> None:
        """Work that must not delay a scan: the nightly auto-checkout when due, the retention
        purge once a day, and copying the WAL into the database file. The owner calls it when
        no scan is waiting (a timer on the gate's thread). First, at most every
        `storage_check_every_s`, the free space (`check_storage`). Raises the store's errors
        except PurgeRefused (logged: the purge waits for a clock it can trust) and a full disk
        (logged, and `storage` says so: the work is tried again at the next call)."""
        instant = self.clock.now()
        self.check_storage()
        try:
            self.housekeeping(instant)
            if self._last_purge_mono is None or instant.mono_ns - self._last_purge_mono > _DAY_NS:
                self._last_purge_mono = instant.mono_ns
                try:
                    self.purge(instant)
                except PurgeRefused as refused:
                    log.warning("retention purge skipped: %s", refused)
            self.store.checkpoint()
        except (StoreError, sqlite3.Error) as exc:
            if not is_storage_full(exc):
                raise
            self._storage_refused(exc)

    def purge(self, instant: Instant | None = None) -> PurgeResult:
        """The retention purge (the settings' periods): the store's old rows, then the data
        folder's old copies and exports. Raises PurgeRefused on a forward clock jump (nothing is
        deleted then) and the store's errors."""
        instant = instant or self.clock.now()
        result = self.store.purge(
            instant,
            retention_days=self.settings.retention_days,
            hard_days=self.settings.retention_hard_days,
        )
        self.data.purge_old_files(result.cutoff)
        return result

    def check_storage(self, *, force: bool = False) -> StorageStatus:
        """Measure the data directory's free space, at most every `storage_check_every_s`
        (real time) unless `force`, and return `storage` (updated). Logs a warning when space
        becomes low and when it comes back. Never raises: a failed measurement is logged and
        the status kept. Gate thread."""
        now = time.monotonic()
        checked = self._storage_checked_at
        if not force and checked is not None and now - checked < self.storage_check_every_s:
            return self.storage
        self._storage_checked_at = now
        try:
            free = self.free_space(self.store.path.parent)
        except OSError as exc:
            log.warning("free space of the data directory not measurable: %s", exc)
            return self.storage
        old = self.storage
        low = free < self.low_space_bytes
        # A few bytes freed are not room for a commit (SQLite needs pages): "full" ends here
        # only once the space is above the warning threshold, else with the next commit.
        self.storage = StorageStatus(free, low, old.full and low)
        mb, limit_mb = free / 1e6, self.low_space_bytes / 1e6
        if low and not old.low:
            log.warning(
                "low storage: %.1f MB free in the data directory (warning below %.1f MB); "
                "free some space before scans are refused",
                mb,
                limit_mb,
            )
        elif old.low and not low:
            log.info("storage: %.1f MB free again", mb)
        return self.storage

    def _storage_refused(self, exc: BaseException) -> None:
        """A write was refused for lack of space: `storage` says full (logged once)."""
        if not self.storage.full:
            log.error("storage full: scans are not recorded until space is freed (%s)", exc)
        free = self.storage.free_bytes
        # The refusal is what matters; unmeasurable, the figure stays the last one measured.
        with contextlib.suppress(OSError):
            free = self.free_space(self.store.path.parent)
        self.storage = StorageStatus(free, low=True, full=True)

    def _storage_recorded(self) -> None:
        if self.storage.full:
            log.info("storage: a scan was recorded again after the disk was full")
            self.storage = StorageStatus(self.storage.free_bytes, self.storage.low, full=False)

    def scan(
        self,
        payload: str | bytes,
        *,
        mode: str | None = None,
        declaration: Declaration | None = None,
    ) -> ScanOutcome:
        """Parse, decide and (unless a duplicate) record one scanned code; returns after the
        commit. `declaration`: a health declaration the guard took for the visitor (a yes
        refers them to the medical staff; it is sealed with the event).

        Runs the nightly housekeeping first (`housekeeping`). Raises RecordError when the event
        could not be committed even after one retry with the same event_id: the caller must
        show "not recorded", never the verdict. StorageFull (a RecordError) when the disk is
        full; `storage` then says so until space returns.
        """
        instant = self.clock.now()
        self.housekeeping(instant)
        credential = parse(
            payload,
            keyer=self.keyer,
            trust=self.trust,
            now=instant.utc,
            declarations=self.declarations,
        )
        return self._decide_and_record(credential, payload, instant, mode, declaration)

    def record_manual(self, entry: ManualEntry, *, mode: str | None = None) -> ScanOutcome:
        """Decide and record a visitor without a code from what the guard typed (their ID
        number, else their phone, keys them). The direction chosen on the form
        (`entry.direction`) wins over `mode`. Same contract as `scan`; raises ManualEntryError
        when the entry has neither an ID number nor a phone (nothing is recorded)."""
        if entry.direction is not None:
            mode = entry.direction.value
        instant = self.clock.now()
        credential = manual_credential(
            keyer=self.keyer,
            full_name=entry.full_name,
            id_number=entry.id_number,
            phone=entry.phone,
            birth_year=entry.birth_year,
        )
        self.housekeeping(instant)
        return self._decide_and_record(credential, None, instant, mode, entry.declaration)

    def check_out(self, person: InsidePerson) -> ScanOutcome:
        """Record the exit of someone on the guard's "people inside" list (kiosk.inside): an
        exit under the key their entry was recorded with, so it closes that stay and no other.
        Same contract as `scan`."""
        instant = self.clock.now()
        self.housekeeping(instant)
        return self._decide_and_record(
            checkout_credential(person), None, instant, Direction.OUT.value, None
        )

    def _decide_and_record(
        self,
        credential: Credential,
        payload: str | bytes | None,
        instant: Instant,
        mode: str | None,
        declaration: Declaration | None,
    ) -> ScanOutcome:
        key = self.person_key(credential)
        credential = self._consistent_name(credential, key)
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
            credential, state, self.settings, instant, gate_mode=mode, declaration=declaration
        )
        if not decision.records:
            log.info("scan duplicate kind=%s key=%s", credential.kind.value, key[:12])
            return ScanOutcome(credential, decision, None, None, instant.utc, state.occupancy)

        event = self._new_event(credential, payload, key, decision, instant, declaration)
        try:
            try:
                result = self.store.record(event)
            except RecordError as first:
                # The outcome of a failed COMMIT is unknown: retry with the same event_id; INSERT
                # OR IGNORE makes the retry a no-op if the first attempt did land.
                log.warning("record failed, retrying once with the same event_id: %s", first)
                result = self.store.record(event)
        except StorageFull as full:
            self._storage_refused(full)
            raise
        self._storage_recorded()
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

    def _consistent_name(self, credential: Credential, key: str) -> Credential:
        """The credential with the name form already recorded for this person when it is the
        same name with diacritics (kiosk.names): a personal QR's "N. V. BINH" after the same
        person's chip ID card said "N. V. Bình". The screen, the log and the lists then show
        one form."""
        if not credential.kind.names_a_person or not credential.display_name:
            return credential
        name = consistent_name(credential.display_name, self.store.names_of(key))
        if name == credential.display_name:
            return credential
        return dataclasses.replace(credential, display_name=name)

    def _new_event(
        self,
        credential: Credential,
        payload: str | bytes | None,
        key: str,
        decision: Decision,
        instant: Instant,
        declaration: Declaration | None,
    ) -> NewEvent:
        problems = (*credential.problems, DEMO_PROBLEM) if self.demo else credential.problems
        raw: bytes | None
        if payload is None:
            raw = None
        else:
            raw = (
                payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
            )
            if len(raw) > MAX_PAYLOAD_BYTES:
                raw, problems = None, (*problems, "payload_not_stored")
        fields = {k: v for k, v in credential.fields.to_json().items() if v is not None}
        personal = PersonalData(
            payload=raw,
            fields=fields or None,
            declaration=declaration.to_json() if declaration else None,
        )
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
            personal=personal,
            problems=problems,
        )


__all__ = [
    "LOW_SPACE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "STORAGE_CHECK_EVERY_S",
    "Gate",
    "ManualEntry",
    "ManualEntryError",
    "ScanOutcome",
    "StorageStatus",
    "free_bytes",
    "load_trust_list",
]
