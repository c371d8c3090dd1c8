"""A stateful model of the outbox (../shared/RELIABILITY.md: "stateful model of the outbox
(hypothesis RuleBasedStateMachine)": server subset of local always; equal after drain).

Hypothesis interleaves, in any order and number:

- scans: `Gate.scan` on a real SQLite file (each one acknowledged: the screen said "recorded");
- delivery rounds: the kiosk's own `SyncService.run_once` against the real reference server
  (`kiosk-central serve`, started once per module on 127.0.0.1), through tests/faultproxy.py with
  a per-connection plan drawn by hypothesis: pass, the answer lost after the server committed,
  a reset, a captive portal's HTML; every connection after the plan is reset, so a round ends
  part-way through, as on a flaky link;
- a kill just before marking a batch delivered (the server has stored it; the kiosk dies
  before its mark transaction), then a restart;
- a kill between scans and a restart: the store is abandoned without closing (its WAL left
  as it was) and the data directory opened again by a new Gate.

After every step: the server's event_ids for this device are a subset of the local log, no
local event is marked delivered that the server lacks, every acknowledged scan is in the local
log, and the server holds each event once. At the end, the network heals and the outbox is
drained: server and local sets are then equal and nothing waits.

Kills are in-process (the connection abandoned, not closed): what survives is what was
committed, as after kill -9. Real kill -9 of a kiosk process mid-transaction is the kill tests'
job (tests/reliability/test_kill*.py).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from central import tokens
from central.storage import Storage
from kiosk.clock import FakeClock
from kiosk.gate import Gate
from kiosk.store import Store
from kiosk.sync.client import SyncError
from kiosk.sync.service import enroll
from tests.central.test_live import Server, run_cli, start_server
from tests.faultproxy import FaultProxy
from tests.reliability.conftest import FULL, scale
from tests.test_sync import NOW, Kiosk, drain

ACTIONS = ("pass", "drop_response", "reset", "garbage")


class Crash(Exception):
    """The kiosk process dies here (raised inside the sync round, never caught by the product)."""


class Network:
    """The module's live server behind one fault proxy; each machine sets the plan it wants."""

    def __init__(self, server: Server, db: Path, storage: Storage, checkpoint_id: str) -> None:
        self.server = server
        self.db = db
        self.storage = storage
        self.checkpoint_id = checkpoint_id
        self.plan: collections.deque[str] = collections.deque()
        self.healed = False
        self.proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), self._decide)
        self.reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)

    def _decide(self, _connection: int) -> str:
        if self.healed:
            return "pass"
        try:
            return self.plan.popleft()
        except IndexError:
            return "reset"  # the link is down again until the next round's plan

    def enrollment_code(self) -> str:
        code = tokens.new_enrollment_code()
        now = dt.datetime.now(dt.UTC)
        self.storage.add_enrollment_code(
            self.checkpoint_id,
            tokens.code_digest(code),
            now=now,
            expires_at=now + dt.timedelta(hours=1),
        )
        return code

    def server_ids(self, device_id: str) -> list[str]:
        rows = self.reader.execute(
            "SELECT event_id FROM events WHERE device_id = ?", (device_id,)
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.proxy.close()
        self.reader.close()


NETWORK: Network | None = None
STEPS: collections.Counter[str] = collections.Counter()  # what the runs did, for the report


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    global NETWORK  # the state machine class cannot take fixtures
    root = tmp_path_factory.mktemp("outbox-model")
    db = root / "central.db"
    storage = Storage.open(db)
    checkpoint = storage.ensure_checkpoint("Cổng bệnh viện", dt.datetime.now(dt.UTC))
    with start_server(db) as server:
        NETWORK = Network(server, db, storage, checkpoint.id)
        try:
            yield NETWORK
        finally:
            NETWORK.close()
            NETWORK = None
            storage.close()


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert NETWORK is not None
        self.net = NETWORK
        self.net.healed = False
        self.net.plan.clear()
        self._tmp = tempfile.TemporaryDirectory(prefix="outbox-model-")
        self.kiosk = Kiosk(Path(self._tmp.name), FakeClock(NOW))
        new, _ = enroll(
            data_dir=self.kiosk.data,
            settings=self.kiosk.gate.settings,
            url=self.net.server.url,
            code=self.net.enrollment_code(),
            device_id=self.kiosk.gate.store.device_id,
        )
        self.kiosk.gate.update_settings(new)
        self.kiosk.via = self.net.proxy.url
        self.device_id = self.kiosk.gate.store.device_id
        self.acked: set[str] = set()
        self.next_person = 0
        self.abandoned: list[Store] = []  # killed stores: closed only when the example ends
        STEPS["examples"] += 1

    # -- helpers -------------------------------------------------------------------------------

    def _round(self, batch: int, run_store: Callable[[Any], Any] | None = None) -> None:
        service = self.kiosk.service(batch_size=batch)
        if run_store is not None:
            service._run_store = run_store  # the same service, dying where run_store says
        with contextlib.suppress(SyncError):
            service.run_once()

    def _restart(self) -> None:
        """kill -9 and start again: the store is dropped as it is (not closed, no checkpoint)
        and the data directory opened by a new Gate."""
        self.abandoned.append(self.kiosk.gate.store)
        self.kiosk.gate = Gate.open(self.kiosk.data, self.kiosk.gate.settings, self.kiosk.clock)

    # -- rules ---------------------------------------------------------------------------------

    @rule(count=st.integers(1, 25))
    def scan(self, count: int) -> None:
        ids = self.kiosk.scan_many(count, start=self.next_person)  # each acknowledged
        self.next_person += count
        self.acked.update(ids)
        STEPS["scans"] += count

    @rule(
        plan=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=6),
        batch=st.sampled_from([1, 3, 10, 500]),
    )
    def deliver(self, plan: list[str], batch: int) -> None:
        self.net.plan.extend(plan)
        STEPS["deliver"] += 1
        try:
            self._round(batch)
        finally:
            self.net.plan.clear()

    @rule(batch=st.sampled_from([1, 3, 10, 500]))
    def lose_the_answer(self, batch: int) -> None:
        """The server stores the batch, the answer never arrives: the next round replays it."""
        self.net.plan.append("drop_response")
        STEPS["lose_the_answer"] += 1
        try:
            self._round(batch)
        finally:
            self.net.plan.clear()

    @rule(marks_before=st.integers(0, 2), batch=st.sampled_from([1, 3, 10]))
    def kill_before_the_mark(self, marks_before: int, batch: int) -> None:
        """A round on a good link whose process dies just before a mark transaction (after the
        server committed that batch), then a restart."""
        store_of = self.kiosk.gate.store
        marks = 0

        def run_store(fn: Callable[[Store], Any]) -> Any:
            nonlocal marks
            if getattr(fn, "__name__", "") == "apply":  # SyncService._deliver's mark
                if marks == marks_before:
                    raise Crash
                marks += 1
            return fn(store_of)

        STEPS["kill_before_the_mark"] += 1
        self.net.plan.extend(["pass"] * 50)
        try:
            self._round(batch, run_store)
        except Crash:
            STEPS["killed_before_a_mark"] += 1
        finally:
            self.net.plan.clear()
        self._restart()

    @rule()
    def kill_and_restart(self) -> None:
        STEPS["kill_and_restart"] += 1
        self._restart()

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def server_is_a_subset_of_local(self) -> None:
        stored = self.net.server_ids(self.device_id)
        assert len(stored) == len(set(stored)), "an event is stored twice"
        local = self.kiosk.local_ids()
        assert set(stored) <= local, "the server has events the kiosk never recorded"
        assert self.kiosk.delivered_ids() <= set(stored), "marked delivered, not on the server"
        assert self.acked <= local, "an acknowledged scan is missing from the log"

    def teardown(self) -> None:
        try:
            self.net.healed = True
            drain(self.kiosk.service(batch_size=500), attempts=5)
            stored = self.net.server_ids(self.device_id)
            STEPS["events_at_the_end"] += len(stored)
            local = self.kiosk.local_ids()
            assert len(stored) == len(set(stored))
            assert set(stored) == local == self.acked
            assert self.kiosk.delivered_ids() == local
            assert self.kiosk.gate.store.outbox_count() == 0
        finally:
            self.net.healed = False
            self.kiosk.close()
            for store in self.abandoned:
                store.close()
            self._tmp.cleanup()


OutboxMachine.TestCase.settings = settings(
    max_examples=scale(25, 200),
    stateful_step_count=scale(15, 30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.timeout(3600 if FULL else 120)
def test_outbox_model(network: Network) -> None:
    STEPS.clear()
    started = time.perf_counter()
    OutboxMachine.TestCase().runTest()
    STEPS["seconds"] = round(time.perf_counter() - started)
    replays = json.loads(run_cli(network.db, "stats").stdout)["duplicates"]
    print("reliability.outbox_model", json.dumps({**STEPS, "server_replays": replays}))
    assert STEPS["killed_before_a_mark"] > 0 and replays > 0
