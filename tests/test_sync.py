"""The kiosk's sync against the real reference server (`kiosk-central serve` on 127.0.0.1), with a
fault proxy between them: nothing lost, nothing counted twice."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.clock import FakeClock, SystemClock, from_iso
from kiosk.config import Settings, load_settings, save_settings, settings_with
from kiosk.events import Reason, Verdict
from kiosk.gate import Gate
from kiosk.sync.client import AuthError, RateLimited, SyncClient, SyncError, TransientError
from kiosk.sync.service import SyncReport, SyncService, enroll
from tests.authority import ROOT_TEXT, root_key_file
from tests.central.test_live import Server, central_command, run_cli
from tests.faultproxy import FaultProxy

NOW = dt.datetime.now(dt.UTC)


def personal(i: int) -> str:
    return f"001099{i:06d}|NGUYEN VAN AN|1990-12-01|0|1630000000{i:08d}|<1<<0900000000"


def run_cli_plain(*args: str) -> subprocess.CompletedProcess[str]:
    """A `kiosk-central` command that opens no database (the authority's offline tools)."""
    return subprocess.run(
        [*central_command(), *args], capture_output=True, text=True, timeout=60, check=False
    )


def central_events(db: Path) -> list[dict[str, Any]]:
    done = run_cli(db, "events", "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


class Kiosk:
    """A kiosk as deployed: its data directory, settings file, gate and sync service."""

    def __init__(self, root: Path, clock: Any) -> None:
        self.data = root / "kiosk"
        self.config = root / "kiosk.toml"
        self.clock = clock
        # No nightly auto-checkout: these tests count events, and may run across 03:00 local.
        settings = Settings(
            duplicate_window_s=0,
            gate_mode="in",
            auto_checkout_time="",
            authority_signing_key=ROOT_TEXT,
        )
        self.gate = Gate.open(self.data, settings, clock)
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"  # one connection per request (the proxy)
        self.via: str | None = None  # talk through this address instead of the server's
        self.timeout = (5.0, 30.0)  # connect, read: the product's defaults

    def enroll(
        self,
        server: Server,
        db: Path,
        checkpoint: str = "Chợ Bến Thành",
        *,
        replace: bool = False,
    ) -> None:
        """Enroll with a new code (`replace`: a code issued for this very device, as the site
        manager makes for a kiosk whose token was lost or revoked)."""
        extra = ["--replace", self.gate.store.device_id] if replace else []
        made = run_cli(db, "enrollment-code", "--checkpoint", checkpoint, *extra)
        assert made.returncode == 0, made.stderr
        new, _ = enroll(
            data_dir=self.data,
            settings=self.gate.settings,
            url=server.url,
            code=made.stdout.strip(),
            device_id=self.gate.store.device_id,
        )
        save_settings(new, self.config)
        self.gate.update_settings(new)

    def service(
        self, batch_size: int = 500, run_store: Callable[[Any], Any] | None = None
    ) -> SyncService:
        def client(settings: Settings, token: str | None) -> SyncClient:
            return SyncClient(
                self.via or settings.server_url,
                token=token,
                session=self.session,
                timeout=self.timeout,
            )

        def trust(list_: Any) -> None:
            self.gate.trust = list_

        return SyncService(
            data_dir=self.data,
            settings=lambda: self.gate.settings,
            run_store=run_store or (lambda fn: fn(self.gate.store)),
            clock=self.clock,
            client_factory=client,
            on_settings=self.gate.update_settings,
            on_trust_list=trust,
            on_status_list=self.gate.refresh_status_list_info,
            batch_size=batch_size,
        )

    def scan_many(self, count: int, start: int = 0, people: int = 0) -> list[str]:
        """`count` scans of people start, start + 1, ... (`people`: of that many, who come
        back: each first-seen person costs a memory-hard key, ~40 ms)."""
        ids = []
        for i in range(start, start + count):
            outcome = self.gate.scan(personal(start + (i - start) % people if people else i))
            assert outcome.event_id
            ids.append(outcome.event_id)
            if isinstance(self.clock, FakeClock):
                self.clock.advance(2)
        return ids

    def local_ids(self) -> set[str]:
        return {e.event_id for e in self.gate.store.events()}

    def delivered_ids(self) -> set[str]:
        return {e.event_id for e in self.gate.store.events() if e.delivered_at}

    def close(self) -> None:
        self.session.close()
        self.gate.close()


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path, FakeClock(NOW))
    yield k
    k.close()


def drain(service: SyncService, attempts: int = 200) -> list[SyncReport | SyncError]:
    """Run rounds until the outbox is empty, as the scheduler would (without the waiting)."""
    outcomes: list[SyncReport | SyncError] = []
    for _ in range(attempts):
        try:
            report = service.run_once()
        except TransientError as exc:
            outcomes.append(exc)
            continue
        outcomes.append(report)
        if report.remaining == 0:
            return outcomes
    pytest.fail(f"not drained after {attempts} rounds: {outcomes[-3:]}")


def assert_exactly_once(kiosk: Kiosk, db: Path) -> list[dict[str, Any]]:
    stored = central_events(db)
    ids = [e["event_id"] for e in stored]
    assert len(ids) == len(set(ids)), "an event is stored twice"
    assert set(ids) == kiosk.local_ids(), "server and kiosk disagree"
    assert kiosk.delivered_ids() <= set(ids), "marked delivered but not on the server"
    assert kiosk.gate.store.outbox_count() == 0
    return stored


def test_enroll_then_deliver_with_status(kiosk: Kiosk, server: Server, db: Path) -> None:
    kiosk.enroll(server, db, "Bệnh viện Bạch Mai - cổng A")
    assert kiosk.gate.settings.checkpoint_name == "Bệnh viện Bạch Mai - cổng A"
    assert load_settings(kiosk.config).server_url == server.url
    token = kiosk.data / "device_token"
    assert token.stat().st_mode & 0o777 == 0o600
    ids = kiosk.scan_many(30)
    service = kiosk.service()
    report = service.run_once()
    assert (report.delivered, report.remaining, report.quarantined) == (30, 0, 0)
    stored = assert_exactly_once(kiosk, db)
    assert {e["event_id"] for e in stored} == set(ids)
    status = service.status()
    assert status.enrolled and status.waiting == 0 and status.last_error_kind is None
    assert status.last_success is not None and status.clock_offset_s is not None
    again = service.run_once()  # nothing new: only small requests (ETags)
    assert again.delivered == 0 and not again.config_changed and not again.trust_list_changed


def test_long_offline_then_online_delivers_everything_once(
    kiosk: Kiosk, server: Server, db: Path
) -> None:
    kiosk.enroll(server, db)
    proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), lambda n: "reset")
    kiosk.via = proxy.url
    try:
        service = kiosk.service(batch_size=250)
        kiosk.scan_many(1200, people=300)  # a day of a small shop, offline
        with pytest.raises(TransientError):
            service.run_once()
        status = service.status()
        assert status.waiting == 1200 and status.last_error_kind == "transient"
        proxy.decide = lambda n: "pass"  # the network is back
        drain(service)
    finally:
        proxy.close()
    assert len(assert_exactly_once(kiosk, db)) == 1200


def test_lost_responses_resets_timeouts_and_garbage_deliver_exactly_once(
    kiosk: Kiosk, server: Server, db: Path
) -> None:
    kiosk.enroll(server, db)
    rng = random.Random(11)

    def chaos(n: int) -> str:
        roll = rng.random()
        if roll < 0.30:
            return "drop_response"  # the server committed; the kiosk never hears
        if roll < 0.40:
            return "reset"
        if roll < 0.45:
            return f"delay:{rng.uniform(1.2, 2.0):.2f}"  # past the read timeout below
        if roll < 0.50:
            return "garbage"
        return "pass"

    proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), chaos)
    kiosk.via = proxy.url
    kiosk.timeout = (2.0, 1.0)  # a delayed answer times out: outcome unknown, retried
    try:
        kiosk.scan_many(2000, people=100)
        outcomes = drain(kiosk.service(batch_size=100), attempts=400)
    finally:
        proxy.close()
    assert_exactly_once(kiosk, db)
    errors = " ".join(str(o) for o in outcomes if isinstance(o, TransientError))
    assert "Timeout" in errors and "not JSON" in errors and "ConnectionError" in errors
    stats = json.loads(run_cli(db, "stats").stdout)
    assert stats["duplicates"] > 0, "no lost response was replayed: the harness did not bite"
    assert proxy.counts.get("drop_response", 0) > 0 and proxy.counts.get("reset", 0) > 0


def test_a_round_ends_and_fetches_settings_while_scans_keep_coming(
    kiosk: Kiosk, server: Server, db: Path
) -> None:
    kiosk.enroll(server, db)
    kiosk.scan_many(30)
    cp = kiosk.gate.settings.checkpoint_id
    assert run_cli(db, "checkpoint-settings", "--checkpoint", cp, "capacity=123").returncode == 0
    arriving = iter(range(1000, 3000))  # a round that never ends runs out

    def busy_gate(fn: Callable[[Any], Any]) -> Any:
        # A busy gate: scans arrive faster than a batch goes out (three between any two
        # things the sync asks of the store; ~9 per batch of 5).
        for _ in range(3):
            kiosk.scan_many(1, start=next(arriving))
        return fn(kiosk.gate.store)

    report = kiosk.service(batch_size=5, run_store=busy_gate).run_once()
    assert report.delivered >= 30  # what was waiting when the round began
    assert report.config_changed and kiosk.gate.settings.capacity == 123
    assert report.remaining > 0  # the newcomers go in the next round
    drain(kiosk.service())
    assert_exactly_once(kiosk, db)


def test_413_makes_the_kiosk_send_smaller_batches(kiosk: Kiosk, server: Server, db: Path) -> None:
    kiosk.enroll(server, db)
    kiosk.scan_many(1500, people=200)  # returning people: a first-seen one costs ~40 ms
    service = kiosk.service(batch_size=1500)  # over the server's limit of 1,000
    report = service.run_once()
    assert report.remaining == 0 and report.delivered == 1500
    assert_exactly_once(kiosk, db)


def test_429_is_reported_with_its_retry_after(kiosk: Kiosk, server: Server, db: Path) -> None:
    kiosk.enroll(server, db)
    kiosk.scan_many(3)
    proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), lambda n: "429:42")
    kiosk.via = proxy.url
    try:
        with pytest.raises(RateLimited) as limited:
            kiosk.service().run_once()
    finally:
        proxy.close()
    assert limited.value.retry_after == 42
    assert kiosk.gate.store.outbox_count() == 3


def test_revoked_device_keeps_recording_and_says_it_needs_enrollment(
    kiosk: Kiosk, server: Server, db: Path
) -> None:
    kiosk.enroll(server, db)
    kiosk.scan_many(5)
    service = kiosk.service()
    service.run_once()
    revoked = run_cli(db, "revoke", kiosk.gate.store.device_id)
    assert revoked.returncode == 0, revoked.stderr
    later = kiosk.scan_many(4, start=100)
    with pytest.raises(AuthError):
        service.run_once()
    status = service.status()
    assert status.needs_reenrollment and status.last_error_kind == "auth"
    assert status.waiting == 4  # kept, not deleted
    assert set(later) <= kiosk.local_ids()
    assert len(central_events(db)) == 5


def test_a_clock_two_days_behind_is_corrected_and_flagged(
    tmp_path: Path, server: Server, db: Path
) -> None:
    clock = FakeClock(dt.datetime.now(dt.UTC) - dt.timedelta(days=2), synced=False)
    kiosk = Kiosk(tmp_path, clock)
    try:
        kiosk.enroll(server, db)
        kiosk.scan_many(10)
        report = kiosk.service().run_once()
        assert report.delivered == 10
        status = kiosk.service().status()
        assert status.clock_offset_s is not None and status.clock_offset_s > 2 * 86400 - 600
    finally:
        kiosk.close()
    stored = central_events(db)
    now = dt.datetime.now(dt.UTC)
    for event in stored:
        device = from_iso(event["device_time"])
        corrected = from_iso(event["corrected_time"])
        assert now - device > dt.timedelta(days=1, hours=23)  # the device's time is kept
        assert abs((now - corrected).total_seconds()) < 120  # and corrected to the real time
        assert event["clock_flag"] == "corrected"


def _signed_certificate_and_trust_file(path: Path) -> str:
    from tests.test_dcc import ec_signer, make

    signer = ec_signer(tag="sync-trust")
    path.write_text(
        json.dumps(
            {
                "version": "2026-11-25.1",
                "keys": [
                    {
                        "kid": base64.b64encode(signer.kid).decode(),
                        "certificate": base64.b64encode(signer.der).decode(),
                    }
                ],
            }
        )
    )
    return make(signer)


def test_status_list_and_trust_list_updates_reach_the_decisions(
    kiosk: Kiosk, server: Server, db: Path, tmp_path: Path
) -> None:
    kiosk.enroll(server, db)
    service = kiosk.service()
    service.run_once()
    # The health authority lists a person as red; the trust list gains a signer.
    red_key = kiosk.gate.person_key(kiosk.gate.scan(personal(7)).credential)
    kiosk.clock.advance(5)
    listed = tmp_path / "status.json"
    listed.write_text(json.dumps([{"person_key": red_key, "colour": "red"}]))
    loaded = run_cli(db, "status-list", str(listed))
    assert loaded.returncode == 0, loaded.stderr
    certificate = _signed_certificate_and_trust_file(tmp_path / "trust.json")
    # The operator's steps: the root signs the list offline, the serving host publishes it.
    key = root_key_file(tmp_path)
    signed = tmp_path / "trust.signed.json"
    made = run_cli_plain(
        "authority", "sign", "--key", str(key), "--type", "trust_list", "--version", "2",
        "-o", str(signed), str(tmp_path / "trust.json"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    loaded = run_cli(db, "publish", str(signed))
    assert loaded.returncode == 0, loaded.stderr

    before = kiosk.gate.scan(certificate)
    assert (before.decision.verdict, before.decision.reason) == (
        Verdict.REFER,
        Reason.DCC_NOT_VERIFIED,
    )
    report = service.run_once()
    assert report.status_list_changed and report.trust_list_changed
    kiosk.clock.advance(60)
    red = kiosk.gate.scan(personal(7))
    assert (red.decision.verdict, red.decision.reason) == (Verdict.DENY, Reason.STATUS_RED)
    kiosk.clock.advance(60)
    verified = kiosk.gate.scan(certificate)
    assert verified.decision.verdict is Verdict.ADMIT
    # The list survives a restart: it is in the data directory.
    assert (kiosk.data / "trust_list.json").exists()
    assert service.status().status_list_version is not None


def test_server_settings_reach_the_kiosk(kiosk: Kiosk, server: Server, db: Path) -> None:
    kiosk.enroll(server, db, "Siêu thị Co.op")
    changed = run_cli(db, "checkpoint-settings", "--checkpoint", "Siêu thị Co.op", "capacity=2")
    assert changed.returncode == 0, changed.stderr
    report = kiosk.service().run_once()
    assert report.config_changed and kiosk.gate.settings.capacity == 2
    kiosk.scan_many(2)
    full = kiosk.gate.scan(personal(50))
    assert (full.decision.verdict, full.decision.reason) == (Verdict.DENY, Reason.CAPACITY_FULL)


SYNC_LOOP = """
import sys
from kiosk.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "--config", sys.argv[2], "sync", "--once"]))
"""


def test_kiosk_killed_during_sync_then_restarted_delivers_exactly_once(
    tmp_path: Path, server: Server, db: Path
) -> None:
    kiosk = Kiosk(tmp_path, SystemClock())
    kiosk.enroll(server, db)
    kiosk.scan_many(1500, people=200)  # returning people: a first-seen one costs ~40 ms
    kiosk.close()  # the sync process owns the database from here
    proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), lambda n: "delay:0.15")
    save_settings(settings_with(load_settings(kiosk.config), server_url=proxy.url), kiosk.config)
    rng = random.Random(5)
    script = tmp_path / "sync_once.py"
    script.write_text(SYNC_LOOP)
    argv = [sys.executable, str(script), str(kiosk.data), str(kiosk.config)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    try:
        for _ in range(6):
            proc = subprocess.Popen(
                argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                proc.wait(timeout=rng.uniform(0.6, 2.5))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        final = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert final.returncode == 0, final.stderr
    finally:
        proxy.close()
    with sqlite3.connect(kiosk.data / "kiosk.db") as conn:
        local = {r[0] for r in conn.execute("SELECT event_id FROM events")}
        delivered = {
            r[0] for r in conn.execute("SELECT event_id FROM events WHERE delivered_at IS NOT NULL")
        }
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = [e["event_id"] for e in central_events(db)]
    assert len(stored) == len(set(stored)) == len(local) == 1500
    assert set(stored) == local and delivered == local
