"""A kiosk process for the kill tests: scans continuously and says what it has acknowledged.

Run as a subprocess with the venv's python (`python tests/reliability/driver.py --data DIR ...`);
the tests SIGKILL it at random or aimed moments. It only writes to stdout, one line per fact,
each line in one `os.write` (unbuffered, and atomic on a pipe, whichever thread writes it):

    ready <seconds>       the gate is open and about to scan (seconds: Gate.open + setup)
    e <event_id>          Gate.scan returned for this event: the screen would say "recorded"
    p <phase>             sync phase markers (--sync/--drain): round, post, posted, post_error,
                          mark, marked; `post`..`posted` brackets the POST of one batch,
                          `mark`..`marked` the transaction that marks it delivered
    drained               --drain: the outbox is empty
    log <message>         --log-store: a kiosk.store log record (e.g. "migrating ...")
    done                  --max-scans reached

Payloads are made-up people of every kind (personal QR, CCCD, BHYT, unknown text, a venue code;
../shared/FORMATS.md), drawn from a pool so the same person comes in and goes out again.

--sync runs the app's threading (docs/architecture.md): one gate thread (a single-worker
executor) owns the store; the scan loop submits scans to it; a sync thread runs
`SyncService.run_once` rounds whose store access goes through the same gate thread.

--test-only-synchronous NORMAL weakens the *connection* after the product opened it (power-cut
control run only: it proves the harness can see losses). The product's store never does this.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from checkpoint_common.protocol import EventPayload, UploadResponse
from kiosk.clock import SystemClock
from kiosk.config import Settings, load_settings, settings_with
from kiosk.credentials import PersonKeyer
from kiosk.datadir import DataDir
from kiosk.formats import parse
from kiosk.gate import Gate, load_trust_list
from kiosk.store import Store
from kiosk.sync.client import SyncClient, SyncError
from kiosk.sync.service import SyncService

_write_lock = threading.Lock()


def say(line: str) -> None:
    data = (line + "\n").encode()
    with _write_lock:
        os.write(1, data)


# -- made-up payloads -------------------------------------------------------------------------

_FAMILY = ["NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU", "DANG", "BUI", "DO", "HO"]
_GIVEN = ["VAN AN", "THI BICH NGOC", "HOANG PHUC", "THI HOA", "MINH KHOA", "THU TRANG"]
_FAMILY_VI = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_GIVEN_VI = ["Văn An", "Thị Bích Ngọc", "Hoàng Phúc", "Thị Hoa", "Minh Khoa", "Thu Trang"]
_ADDRESS = "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh"


def payload(person: int, rng: random.Random) -> str | bytes:
    """A made-up code for person number `person` (same person, same code)."""
    year = 1940 + person % 65
    name = f"{_FAMILY[person % 10]} {_GIVEN[person % 6]}"
    name_vi = f"{_FAMILY_VI[person % 10]} {_GIVEN_VI[person % 6]}"
    kind = person % 20
    if kind < 8:  # unified personal QR (Decision 1405)
        return (
            f"001{person % 2}{year % 100:02d}{person:06d}|{name}|{year}-12-01|0|"
            f"163000{person:012d}|<{1 + person % 2}<DN401{person:010d}<09{person:08d}"
        )
    if kind < 13:  # chip ID card (CCCD)
        gender = "Nam" if person % 2 else "Nữ"
        return (
            f"079{person % 2}{year % 100:02d}{person:06d}|2{person:08d}|{name_vi}|"
            f"1508{year}|{gender}|{_ADDRESS}|20042021"
        )
    if kind < 17:  # health-insurance card: name and address as hex UTF-8
        return "|".join(
            [
                f"HS4{person % 100:02d}{person:010d}",
                name_vi.encode().hex(),
                f"03/07/{year}",
                str(person % 2),
                _ADDRESS.encode().hex(),
                "01 - 001",
                "01/01/2021",
                "31/12/2021",
            ]
        )
    if kind < 19:  # something the kiosk does not know (recorded as unknown, denied)
        return f"xin chào {person} ☺".encode()
    return f"https://tokhaiyte.vn/?page=Group.checkin&groupId={person:024x}"  # a venue code


# -- tracing (sync mode only) -------------------------------------------------------------------


class TracingStore(Store):
    """The product's store, saying when the "mark delivered" transaction starts and ends."""

    def mark_delivered(self, event_ids: Any, at: Any) -> int:
        say("p mark")
        count = super().mark_delivered(event_ids, at)
        say("p marked")
        return count


class TracingClient(SyncClient):
    """The product's client, saying when the POST of a batch starts and ends. One connection
    per request, so that a fault proxy in front of the server can hold every POST (under a
    steady stream of scans one round goes on sending batches for as long as the stream lasts)."""

    def __init__(self, base_url: str, **kw: Any) -> None:
        super().__init__(base_url, **kw)
        self.session.headers["Connection"] = "close"

    def upload(self, device_id: str, events: list[EventPayload], **kw: Any) -> UploadResponse:
        say("p post")
        try:
            answer = super().upload(device_id, events, **kw)
        except BaseException:
            say("p post_error")
            raise
        say("p posted")
        return answer


class _SayHandler(logging.Handler):
    """Log records as `log <message>` lines (the migration test waits for "migrating")."""

    def emit(self, record: logging.LogRecord) -> None:
        say(f"log {record.getMessage()}")


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--config", type=Path, help="settings file (server_url), for --sync")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pool", type=int, default=3000, help="people who come and go")
    parser.add_argument("--max-scans", type=int, default=0, help="0: until killed")
    parser.add_argument("--idle-every", type=int, default=50, help="Gate.idle every N scans")
    parser.add_argument("--sync", action="store_true", help="also run sync rounds")
    parser.add_argument("--drain", action="store_true", help="only sync until the outbox is empty")
    parser.add_argument("--sync-pause", type=float, default=0.05)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--test-only-synchronous", choices=["NORMAL"])
    parser.add_argument("--log-store", action="store_true", help="kiosk.store's log as 'log' lines")
    parser.add_argument("--open-only", action="store_true", help="exit once ready")
    parser.add_argument(
        "--meet",
        action="store_true",
        help="derive every --pool person's key before ready (a memory-hard key is ~40 ms)",
    )
    args = parser.parse_args()
    if args.log_store:
        store_log = logging.getLogger("kiosk.store")
        store_log.setLevel(logging.INFO)
        store_log.addHandler(_SayHandler())
    rng = random.Random(args.seed)
    started = time.monotonic()

    clock = SystemClock()
    settings = load_settings(args.config) if args.config else Settings()
    # Every scan of a person is recorded (no duplicate window), no nightly auto-checkout.
    settings = settings_with(settings, duplicate_window_s=0, auto_checkout_time="")

    if not (args.sync or args.drain):
        gate = Gate.open(args.data, settings, clock)
        if args.test_only_synchronous:
            gate.store.db.conn.execute(f"PRAGMA synchronous = {args.test_only_synchronous}")
        if args.meet:
            for person in range(args.pool):
                parse(payload(person, rng), keyer=gate.keyer)
        say(f"ready {time.monotonic() - started:.3f}")
        if args.open_only:
            gate.close()
            return 0
        return scan_loop(gate, rng, args, run=lambda fn, *a: fn(*a))

    # Gate.open's steps, with the tracing store class.
    store = TracingStore.open(DataDir(args.data).db)
    gate = Gate(
        store,
        settings,
        clock,
        PersonKeyer(DataDir(args.data).person_secret()),
        load_trust_list(settings, args.data),
    )
    owner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gate")

    def run_store(fn: Any) -> Any:
        return owner.submit(fn, gate.store).result()

    def on_settings(new: Settings) -> None:
        new = settings_with(new, duplicate_window_s=0, auto_checkout_time="")
        owner.submit(gate.update_settings, new).result()

    service = SyncService(
        data_dir=args.data,
        settings=lambda: gate.settings,
        run_store=run_store,
        clock=clock,
        client_factory=lambda s, token: TracingClient(
            s.server_url, token=token, verify_tls=s.verify_tls, timeout=(5.0, 10.0)
        ),
        on_settings=on_settings,
        on_status_list=lambda: owner.submit(gate.refresh_status_list_info).result(),
        batch_size=args.batch,
    )
    say(f"ready {time.monotonic() - started:.3f}")
    if args.drain:
        for _ in range(200):
            say("p round")
            try:
                if service.run_once().remaining == 0:
                    say("drained")
                    return 0
            except SyncError as exc:
                print(f"sync round failed: {exc.kind}", file=sys.stderr)
            time.sleep(args.sync_pause)
        return 1

    def sync_loop() -> None:
        while True:
            say("p round")
            try:
                service.run_once()
            except SyncError as exc:
                print(f"sync round failed: {exc.kind}", file=sys.stderr)
            time.sleep(args.sync_pause)

    threading.Thread(target=sync_loop, daemon=True, name="sync").start()
    return scan_loop(gate, rng, args, run=lambda fn, *a: owner.submit(fn, *a).result())


def scan_loop(gate: Gate, rng: random.Random, args: argparse.Namespace, run: Any) -> int:
    scans = 0
    while args.max_scans == 0 or scans < args.max_scans:
        outcome = run(gate.scan, payload(rng.randrange(args.pool), rng))
        if outcome.event_id is not None:
            say(f"e {outcome.event_id}")
        scans += 1
        if scans % args.idle_every == 0:
            run(gate.idle)  # the owner's between-scans work: checkpoint (and purge once a day)
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
