"""Taking a health declaration: check it, make its signed code, seal it, store it.

`Desk.declare(data)` is what the page and the API call (docs/declarations.md). The code is
signed by the deployment's declaration key, an online Ed25519 key that the authority's root
delegated the type `declaration` to (checkpoint_common.declaration); `install_signer` checks and
stores that key with its delegation (`kiosk-central declaration-key`), and `Desk.delegations`
are what kiosks download (`GET /api/v1/declarations/keys`) to check codes offline.

Storage: everything the citizen gave is one box sealed to the authority's key (the server
cannot read it back; `kiosk-central declarations --reveal` opens it, audited). Boxes are
padded to a multiple of PAD_BYTES so their length does not tell a name's length. Requests that
arrive together are stored in one transaction (`GroupWriter`: one commit for a group, which is
what lets one SQLite file take hundreds of declarations a second, docs/benchmarks.md). The
serving process's housekeeping deletes them RETENTION_DAYS after their validity (central.serving).

Threads: `declare` is called from the web server's thread pool; the GroupWriter's own thread
does the writing; the caller waits for its commit (an answer means the declaration is stored).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from central.declare.form import Declaration, check, code_head
from central.storage import DeclarationRecord, InvalidInput, Storage
from checkpoint_common.declaration import (
    DEFAULT_VALID_HOURS,
    MAX_VALID_HOURS,
    sign_payload,
    summary_name,
    verify_delegation,
)
from checkpoint_common.seal import PrivateKey, SealError, open_box, seal
from checkpoint_common.signing import Envelope, SignedDocumentError, SigningKey, VerifyKey
from checkpoint_common.timefmt import to_iso

log = logging.getLogger(__name__)

SIGNING_KEY_SETTING = "declaration_signing_key"
DELEGATIONS_SETTING = "declaration_delegations"
PAD_BYTES = 512
# Days a declaration is kept after it stops being valid (then central.serving's housekeeping
# deletes it; the page's privacy notice says this figure).
RETENTION_DAYS = 21
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

T = TypeVar("T")


class NotSetUp(Exception):
    """No declaration key is installed: the server cannot sign declarations."""


@dataclass(frozen=True, slots=True)
class Signer:
    """The online key that signs declarations, and the root's delegations kiosks download
    (the current key's first; older keys' stay while codes they signed can still be valid)."""

    key: SigningKey
    delegations: tuple[dict[str, Any], ...]


def load_signer(storage: Storage) -> Signer | None:
    seed = storage.deployment_setting(SIGNING_KEY_SETTING)
    delegations = storage.deployment_setting(DELEGATIONS_SETTING)
    if not seed or not delegations:
        return None
    key = SigningKey(base64.b64decode(seed))
    return Signer(key, tuple(json.loads(delegations)))


def install_signer(
    storage: Storage,
    key: SigningKey,
    delegation: Any,
    now: dt.datetime,
    *,
    root: VerifyKey | None = None,
) -> Signer:
    """Check `delegation` (an envelope, parsed JSON) and make `key` the declaration key.

    The delegation must be signed by `root` (when given; else by whoever signed it, which the
    kiosks check against their pinned root anyway), for every checkpoint ("*"), for this key,
    allow `declaration`, and not have ended. The previous keys' delegations are kept while codes
    they signed can still be valid. Raises InvalidInput saying what is wrong."""
    try:
        envelope = Envelope.from_json(delegation)
        delegated = verify_delegation(
            delegation, root=root or envelope.signer, audience="*", now=now
        )
    except SignedDocumentError as exc:
        raise InvalidInput(f"the delegation: {exc}") from exc
    if delegated.key != key.public:
        raise InvalidInput("the delegation is for another key than --key")
    if delegated.not_after <= now:
        raise InvalidInput("the delegation has ended: ask the authority for a new one")
    old = load_signer(storage)
    horizon = now - dt.timedelta(hours=MAX_VALID_HOURS)
    kept = [delegation]
    for previous in old.delegations if old else ():
        try:
            was = verify_delegation(
                previous, root=Envelope.from_json(previous).signer, audience="*", now=now
            )
        except SignedDocumentError:
            continue
        if was.key != key.public and was.not_after > horizon:
            kept.append(previous)
    storage.set_deployment_setting(DELEGATIONS_SETTING, json.dumps(kept))
    storage.set_deployment_setting(SIGNING_KEY_SETTING, base64.b64encode(key.seed).decode())
    return Signer(key, tuple(kept))


def add_delegation(
    storage: Storage, delegation: Any, now: dt.datetime, *, root: VerifyKey | None = None
) -> Signer:
    """Serve `delegation` (of a key that no longer signs) beside the current key's, replacing
    that key's older one: how the authority ends a leaked key early (a higher version with an
    earlier end; kiosks keep the highest version per key). Raises InvalidInput."""
    signer = load_signer(storage)
    if signer is None:
        raise InvalidInput("no declaration key installed: install the current one first")
    try:
        envelope = Envelope.from_json(delegation)
        delegated = verify_delegation(
            delegation, root=root or envelope.signer, audience="*", now=now
        )
    except SignedDocumentError as exc:
        raise InvalidInput(f"the delegation: {exc}") from exc
    if delegated.key == signer.key.public:
        raise InvalidInput("that is the current key's: use --key with --delegation")
    kept: list[dict[str, Any]] = []
    for served in signer.delegations:
        was = verify_delegation(
            served, root=Envelope.from_json(served).signer, audience="*", now=now
        )
        if was.key == delegated.key:
            if was.version >= delegated.version:
                raise InvalidInput(
                    f"version {delegated.version} is not above the served {was.version}"
                )
            continue
        kept.append(served)
    kept.append(delegation)
    storage.set_deployment_setting(DELEGATIONS_SETTING, json.dumps(kept))
    return Signer(signer.key, tuple(kept))


class GroupWriter(Generic[T]):
    """Writes items with `write(batch)` on its own thread, as many at once as are waiting (at
    most `max_batch`); `submit` returns once its item's batch committed, or raises what the
    write raised. One commit for many requests: the cost of an fsync is shared."""

    def __init__(self, write: Callable[[list[T]], None], *, max_batch: int = 500) -> None:
        self._write = write
        self._max = max_batch
        self._queue: queue.SimpleQueue[tuple[T, Future[None]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, item: T, timeout: float = 60.0) -> None:
        """Queue `item` and wait until it is committed (raises what the write raised)."""
        self.queue(item).result(timeout)

    def queue(self, item: T) -> Future[None]:
        """Queue `item`; the Future is done once it is committed (an event loop awaits it with
        asyncio.wrap_future, without holding a thread)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="declarations-writer", daemon=True
                )
                self._thread.start()
        done: Future[None] = Future()
        self._queue.put((item, done))
        return done

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
            try:
                self._write([item for item, _ in batch])
            except Exception as exc:
                # Handed to every waiting request, which answers 503: nothing was stored.
                log.exception("%d declarations not stored", len(batch))
                for _, done in batch:
                    done.set_exception(exc)
            else:
                for _, done in batch:
                    done.set_result(None)


@dataclass(frozen=True, slots=True)
class Issued:
    """What the citizen gets back."""

    declaration_id: str
    qr_text: str
    declared_at: dt.datetime
    valid_until: dt.datetime
    summary: str
    name: str  # the subject's name as typed, for the page

    def to_json(self) -> dict[str, Any]:
        return {
            "qr_text": self.qr_text,
            "valid_until": to_iso(self.valid_until),
            "declared_at": to_iso(self.declared_at),
            "summary": self.summary,
        }


def _padded(content: dict[str, Any]) -> bytes:
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # JSON allows trailing white space: the padding reads back as nothing.
    return body + b" " * (-len(body) % PAD_BYTES)


def _aad(declaration_id: str) -> bytes:
    return f"declaration:{declaration_id}".encode("ascii")


class Desk:
    """Takes declarations for one Storage. `valid_hours`: how long a code counts (24 h)."""

    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], dt.datetime],
        *,
        valid_hours: int = DEFAULT_VALID_HOURS,
    ) -> None:
        if not 1 <= valid_hours <= MAX_VALID_HOURS:
            raise ValueError(f"a declaration is valid 1 to {MAX_VALID_HOURS} hours")
        self.storage = storage
        self.clock = clock
        self.valid_hours = valid_hours
        self.signer = load_signer(storage)
        self._secret = base64.b64decode(storage.person_key_secret())
        self._sealing = storage.authority_key().public
        self._writer: GroupWriter[DeclarationRecord] = GroupWriter(storage.add_declarations)

    @property
    def delegations(self) -> Sequence[Mapping[str, Any]]:
        return self.signer.delegations if self.signer else ()

    def today(self) -> dt.date:
        return self.clock().astimezone(ZONE).date()

    def declare(self, data: Any) -> Issued:
        """Check, sign, seal and store one declaration (the API's JSON object); returns once
        it is committed. Raises form.Invalid (naming the fields), NotSetUp (no key), and the
        storage's errors."""
        issued, stored = self.start(data)
        stored.result(60.0)
        return issued

    def start(self, data: Any) -> tuple[Issued, Future[None]]:
        """`declare` without the wait: the answer, and the Future of its commit (the answer
        must not be given before that Future is done). Raises as `declare`."""
        now = self.clock()
        declaration = check(data, now.astimezone(ZONE).date())
        if self.signer is None:
            raise NotSetUp("no declaration key installed (kiosk-central declaration-key)")
        return self._issue(declaration, now, self.signer)

    def _issue(
        self, declaration: Declaration, now: dt.datetime, signer: Signer
    ) -> tuple[Issued, Future[None]]:
        declared_at = now.replace(second=0, microsecond=0)  # the code counts whole minutes
        valid_until = declared_at + dt.timedelta(hours=self.valid_hours)
        summary = declaration.summary
        qr_text = sign_payload(
            code_head(declaration, self._secret),
            signer.key,
            declared_at=declared_at,
            valid_hours=self.valid_hours,
            summary=summary,
        )
        declaration_id = str(uuid.uuid4())
        content = {
            "declaration_id": declaration_id,
            "declared_at": to_iso(declared_at),
            "valid_until": to_iso(valid_until),
            "proxy": declaration.proxy,
            "declarer": declaration.declarer.to_json(),
            "person": declaration.subject.to_json(),
            "answers": declaration.answers,
            "summary": summary_name(summary),
            "qr_text": qr_text,
        }
        record = DeclarationRecord(
            0,
            declaration_id,
            declared_at,
            valid_until,
            self._sealing.key_id,
            seal(self._sealing, _padded(content), _aad(declaration_id)),
        )
        stored = self._writer.queue(record)
        issued = Issued(
            declaration_id,
            qr_text,
            declared_at,
            valid_until,
            summary_name(summary),
            declaration.subject.full_name,
        )
        return issued, stored

    def close(self) -> None:
        self._writer.close()


@dataclass(frozen=True, slots=True)
class Opened:
    """A declaration opened for a health officer (`opened` says why `content` is empty)."""

    record: DeclarationRecord
    opened: str  # "yes" | "sealed to another key" | "damaged"
    content: dict[str, Any]


def open_declaration(key: PrivateKey, record: DeclarationRecord) -> Opened:
    """Open one stored declaration with the authority's private key. Never raises."""
    if record.seal_key != key.public.key_id:
        return Opened(record, "sealed to another key", {})
    try:
        content = json.loads(open_box(key, record.sealed, _aad(record.declaration_id)))
    except (SealError, ValueError):
        log.warning("declaration %s does not open", record.declaration_id)
        return Opened(record, "damaged", {})
    return Opened(record, "yes", content if isinstance(content, dict) else {})


__all__ = [
    "RETENTION_DAYS",
    "Desk",
    "GroupWriter",
    "Issued",
    "NotSetUp",
    "Opened",
    "Signer",
    "add_delegation",
    "install_signer",
    "load_signer",
    "open_declaration",
]
