"""kill -9 at random and aimed moments: while scanning, while uploading, while migrating.

The kiosk runs as a real process (tests/reliability/driver.py) on a real SQLite file; the server
is the real reference server on 127.0.0.1. After every kill the database as the kill left it is
checked (read-only, so the next start still has to recover the WAL): integrity, every
acknowledged event present, no event twice. Short form by default; KIOSK_RELIABILITY_FULL=1 runs
the numbers of ../shared/RELIABILITY.md (500 kills over >= 10,000 acknowledged scans, ...).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from kiosk.clock import SystemClock
from kiosk.config import Settings, save_settings, settings_with
from kiosk.gate import Gate
from kiosk.store import Store, migrations
from kiosk.sync.service import enroll
from tests.authority import ROOT_TEXT
from tests.central.test_live import run_cli, start_server
from tests.conftest import AUTHORITY
from tests.faultproxy import FaultProxy
from tests.reliability.conftest import scale

DRIVER = Path(__file__).with_name("driver.py")
REPO = Path(__file__).resolve().parents[2]
VERBOSE = bool(os.environ.get("KIOSK_RELIABILITY_VERBOSE"))
SEED = int(os.environ.get("KIOSK_RELIABILITY_SEED", str(time.time_ns() % 10**6)))


class Driver:
    """One run of driver.py: its stdout lines as they come, each with its arrival time."""

    def __init__(self, *args: str | Path, stderr: Path) -> None:
        self.started = time.monotonic()
        self._stderr = stderr.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUTF8": "1"},
        )
        self.lines: list[str] = []
        self.ready_after: float | None = None  # seconds from spawn to "ready"
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode().rstrip("\n")
            with self._changed:
                if line.startswith("ready ") and self.ready_after is None:
                    self.ready_after = time.monotonic() - self.started
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, match: Callable[[str], bool], *, start: int = 0, timeout: float) -> bool:
        """Wait until a line from index `start` on matches (False: timeout or the run ended)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if any(match(line) for line in self.lines[start:]):
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    return False
                self._changed.wait(left)

    def wait_ready(self, timeout: float = 15) -> float:
        if not self.wait_for(lambda line: line.startswith("ready "), timeout=timeout):
            self.kill()
            pytest.fail(f"the driver did not get ready in {timeout} s: {self.stderr_tail()}")
        assert self.ready_after is not None
        return self.ready_after

    def kill(self) -> None:
        """SIGKILL, then read what it wrote before dying (the pipe keeps it)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self._reader.join(30)
        self._stderr.close()

    def wait_exit(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(30)
        self._stderr.close()
        return code

    def acked(self) -> list[str]:
        return [line[2:] for line in self.lines if line.startswith("e ")]

    def phase_at_death(self) -> str:
        """Where the sync was when the process died: the last phase marker it wrote."""
        last = next((line[2:] for line in reversed(self.lines) if line.startswith("p ")), None)
        return {"post": "post", "posted": "after_post", "mark": "mark"}.get(last or "", "before")

    def stderr_tail(self) -> str:
        self._stderr.flush()
        return Path(self._stderr.name).read_text(errors="replace")[-2000:]


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that changes nothing: closing it neither checkpoints nor removes the WAL."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def check_after_kill(path: Path, acked: set[str]) -> tuple[set[str], set[str]]:
    """The database as the kill left it: integrity ok, every acknowledged event present, no
    event_id twice, the outbox consistent. Returns (local event_ids, delivered event_ids)."""
    with read_only(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT event_id, delivered_at FROM events").fetchall()
        outbox = [r[0] for r in conn.execute("SELECT event_id FROM outbox")]
    ids = [r[0] for r in rows]
    local = set(ids)
    assert len(ids) == len(local), "an event_id is stored twice"
    lost = acked - local
    assert not lost, f"{len(lost)} acknowledged scans lost, e.g. {sorted(lost)[:3]}"
    delivered = {r[0] for r in rows if r[1] is not None}
    assert len(outbox) == len(set(outbox)) and set(outbox) <= local - delivered
    return local, delivered


# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(scale(180, 3600))
def test_kill_scanning(tmp_path: Path) -> None:
    """SIGKILL the scanning kiosk at random moments (a tenth of them during start-up, while the
    store opens and recovers the WAL), restart, repeat."""
    kills, min_acked = scale(15, 500), scale(200, 10_000)
    rng = random.Random(SEED)
    data, log = tmp_path / "kiosk", tmp_path / "driver.log"
    acked: set[str] = set()
    ready_times: list[float] = []
    early = 0
    began = time.monotonic()
    n = 0
    while n < kills or len(acked) < min_acked:
        driver = Driver("--data", data, "--seed", rng.randrange(2**31), stderr=log)
        if ready_times and rng.random() < 0.1:
            time.sleep(rng.uniform(0, min(ready_times)))  # during start-up / Store.open
            early += 1
        else:
            ready_times.append(driver.wait_ready())
            time.sleep(rng.uniform(0.02, 0.6))
        driver.kill()
        new = driver.acked()
        assert len(new) == len(set(new)) and not acked & set(new), "an event_id was reused"
        acked.update(new)
        check_after_kill(data / "kiosk.db", acked)
        n += 1
    with Store.open(data / "kiosk.db") as store:  # the product's view after the last kill
        assert store.integrity_ok()
        assert {e.event_id for e in store.events()} >= acked
    wall = time.monotonic() - began
    print(
        f"\nkill_scanning seed={SEED}: {n} kills ({early} during start-up), {len(acked)} "
        f"acknowledged scans, 0 lost, 0 duplicates, 0 integrity failures, restart to ready "
        f"max {max(ready_times):.2f} s median {sorted(ready_times)[len(ready_times) // 2]:.2f} s, "
        f"wall {wall:.1f} s"
    )
    assert max(ready_times) < 5.0, f"restart to ready took {max(ready_times):.2f} s"
    # The short form's length is bounded by its timeout mark, not by a wall-time assertion: on
    # a busy machine (a memory-hard key per first-seen person since issue #13) it ran 26-60 s.


# ---------------------------------------------------------------------------------------------

PHASES = ("before", "post", "after_post", "mark")
# The marker each aimed kill waits for, and how long after it to kill (seconds). "Before the
# POST" is the gap between marking one batch and posting the next (reading the outbox, building
# the request): under a steady stream of scans a round keeps sending batches until killed.
AIM = {
    "before": ("marked", 0.003),
    "post": ("post", 0.25),
    "after_post": ("posted", 0),
    "mark": ("mark", 0),
}


def server_ids(db: Path) -> list[str]:
    with read_only(db) as conn:
        conn.execute("PRAGMA busy_timeout = 5000")
        return [r[0] for r in conn.execute("SELECT event_id FROM events")]


@pytest.mark.slow
@pytest.mark.timeout(scale(110, 3600))
def test_kill_during_upload(tmp_path: Path) -> None:
    """kill -9 while scanning and syncing to the real server, aimed at each phase of delivering a
    batch: before the POST, during it, after it (the answer is in, not yet marked), during the
    "mark delivered" transaction. A fault proxy holds every POST for 0.15 s so that kills land
    inside it; the phase each kill landed in is the last marker the driver wrote before dying."""
    quota, max_kills = scale(2, 25), scale(40, 300)
    rng = random.Random(SEED)
    db, data, config = tmp_path / "central.db", tmp_path / "kiosk", tmp_path / "kiosk.toml"
    log = tmp_path / "driver.log"
    began = time.monotonic()
    with start_server(db) as server:
        gate = Gate.open(data, Settings(authority_signing_key=ROOT_TEXT), SystemClock())
        try:
            made = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành - cổng 1")
            assert made.returncode == 0, made.stderr
            new, _ = enroll(
                data_dir=data,
                settings=gate.settings,
                url=server.url,
                code=made.stdout.strip(),
                device_id=gate.store.device_id,
            )
        finally:
            gate.close()
        # Every connection (one per request: the driver says Connection: close) is held 0.15 s.
        proxy = FaultProxy(int(server.url.rsplit(":", 1)[1]), lambda n: "delay:0.15")
        try:
            save_settings(settings_with(new, server_url=proxy.url), config)
            landed: Counter[str] = Counter()
            acked: set[str] = set()
            server_ahead = kills = missed = 0
            waits: list[float] = []
            while kills < max_kills and min(landed[p] for p in PHASES) < quota:
                target = min(PHASES, key=lambda p: (landed[p], rng.random()))
                driver = Driver(
                    "--data", data, "--config", config, "--sync", "--seed",
                    rng.randrange(2**31), stderr=log,
                )  # fmt: skip
                driver.wait_ready()
                time.sleep(rng.uniform(0.05, 0.5))  # scan a little: something to upload
                marker, spread = AIM[target]
                waited = time.monotonic()
                seen = driver.wait_for(lambda line, m=f"p {marker}": line == m,
                                       start=len(driver.lines), timeout=10)  # fmt: skip
                waits.append(time.monotonic() - waited)
                missed += not seen
                time.sleep(rng.uniform(0, spread))
                driver.kill()
                kills += 1
                landed[driver.phase_at_death()] += 1
                acked.update(driver.acked())
                local, delivered = check_after_kill(data / "kiosk.db", acked)
                on_server = server_ids(db)
                assert len(on_server) == len(set(on_server)), "the server stored an event twice"
                assert delivered <= set(on_server), "marked delivered but not on the server"
                server_ahead += bool(set(on_server) - delivered)
                if VERBOSE:
                    print(
                        f"kill {kills}: aimed {target}, landed {driver.phase_at_death()}, "
                        f"waited {waits[-1]:.2f} s, local {len(local)}, delivered "
                        f"{len(delivered)}, server {len(on_server)}",
                        flush=True,
                    )
            drained = time.monotonic()
            drain = Driver("--data", data, "--config", config, "--drain", stderr=log)
            assert drain.wait_exit(300) == 0, drain.stderr_tail()
            drained = time.monotonic() - drained
        finally:
            proxy.close()
        listed = run_cli(db, "events", "--json")
        assert listed.returncode == 0, listed.stderr
    stored = [json.loads(line)["event_id"] for line in listed.stdout.splitlines()]
    local, delivered = check_after_kill(data / "kiosk.db", acked)
    wall = time.monotonic() - began
    print(
        f"\nkill_during_upload seed={SEED}: {kills} kills, landed {dict(landed)}, server ahead "
        f"of the kiosk after {server_ahead} kills; {len(acked)} acknowledged, local "
        f"{len(local)}, server {len(stored)}, duplicates {len(stored) - len(set(stored))}; "
        f"aim: waited max {max(waits):.1f} s for the marker, {missed} never seen; final drain "
        f"{drained:.1f} s, wall {wall:.1f} s"
    )
    assert len(stored) == len(set(stored)), "the server stored an event twice"
    assert set(stored) == local and len(stored) == len(local)
    assert delivered == local, "the drain left events unmarked"
    assert all(landed[p] >= quota for p in PHASES), f"a phase was never hit: {dict(landed)}"
    # Kills between the server's commit and the kiosk's mark happened: replays were needed.
    assert server_ahead > 0, "no kill left the server ahead of the kiosk: the harness did not bite"


# ---------------------------------------------------------------------------------------------


def _old_database(path: Path, rows: int, rng: random.Random) -> None:
    """A database as the first release left it (only 0001 applied) with `rows` events, each in
    the outbox, people coming and going (so 0002 derives stays from them)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(conn, execute_plugins=False), stop_before="0002_stays")
    people = max(1, rows // 10)
    inside: set[int] = set()
    batch = []
    for i in range(rows):
        who = rng.randrange(people)
        direction = "out" if who in inside else "in"
        inside ^= {who}
        verdict = "deny" if i % 17 == 0 else "admit"
        if verdict == "deny":
            inside ^= {who}
        second, minute = i % 60, (i // 60) % 60
        batch.append(
            (
                f"ev-{i:07d}", f"id:{who:06d}", direction, verdict,
                f"2026-11-{20 + i // 86400 % 5:02d}T{i // 3600 % 24:02d}:{minute:02d}:"
                f"{second:02d}.000000Z", i, f"001099{who:06d}|NGUYEN VAN AN".encode(),
            )
        )  # fmt: skip
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO events (event_id, device_id, checkpoint_id, person_key, kind, direction, "
        "verdict, reason, device_time, mono_ns, boot_id, clock_synced, payload) "
        "VALUES (?, 'dev-old', 'cp-old', ?, 'cccd', ?, ?, 'entry', ?, ?, 'b', 1, ?)",
        batch,
    )
    conn.execute("INSERT INTO outbox (seq, event_id) SELECT seq, event_id FROM events")
    conn.execute("COMMIT")
    conn.close()


# Columns whose values differ from one run to the next by design: a personal-data box is
# sealed with a fresh ephemeral key.
_RANDOM_COLUMNS = {"sealed", "seal_key"}


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of events (minus the random columns), outbox and stays; applied migrations."""
    with read_only(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
        kept = ", ".join(c for c in columns if c not in _RANDOM_COLUMNS)
        return {
            "events": conn.execute(f"SELECT {kept} FROM events ORDER BY seq").fetchall(),
            "outbox": conn.execute("SELECT * FROM outbox ORDER BY seq").fetchall(),
            "stays": conn.execute("SELECT * FROM stays ORDER BY stay_id").fetchall(),
            "migrations": conn.execute(
                "SELECT name FROM _sqlite_migrations ORDER BY id"
            ).fetchall(),
        }


def _personal_data_intact(path: Path, sample: int, rng: random.Random) -> int:
    """Each sampled event's payload is still readable: in clear (not migrated yet), or sealed to
    the health authority's key the kiosk was installed with (opened as the server would, with
    the device id and person key beside the box). Returns how many were checked."""
    from checkpoint_common.seal import open_personal

    with read_only(path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
        rows = conn.execute("SELECT event_id, person_key, payload FROM events").fetchall()
        sealed: dict[str, bytes] = {}
        # A box is bound to this kiosk's id (the one it enrolls and uploads with), which the old
        # rows' own device_id column need not be.
        found = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        device_id = found[0] if found else ""
        if "sealed" in columns:
            sealed = dict(conn.execute("SELECT event_id, sealed FROM events").fetchall())
    for event_id, person_key, payload in rng.sample(rows, min(sample, len(rows))):
        expected = f"001099{person_key[3:]}|NGUYEN VAN AN".encode()
        box = sealed.get(event_id)
        if payload is None and box is not None:
            payload = open_personal(
                AUTHORITY, event_id, box, device_id=device_id, person_key=person_key
            ).payload
        assert payload == expected, f"{event_id}: personal data lost"
    return min(sample, len(rows))


def _applied(path: Path) -> list[str]:
    with read_only(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]


def _timed_open(path: Path) -> tuple[float, float]:
    """Open (and so migrate) `path` in this process. Returns (seconds from the "migrating" log
    line to the end of the migrations, seconds from it to the end of the open: the store's own
    work after migrating, e.g. sealing rows written in clear)."""
    copy = path.with_name("timing.db")
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    began = time.monotonic()
    migrations.apply(Database(conn, execute_plugins=False))
    migrate = time.monotonic() - began
    conn.close()
    copy.unlink()
    started: list[float] = []

    class Mark(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("migrating"):
                started.append(time.monotonic())

    store_log = logging.getLogger("kiosk.store")
    handler, level = Mark(), store_log.level
    store_log.addHandler(handler)
    store_log.setLevel(logging.INFO)
    try:
        with Store.open(path, authority=AUTHORITY.public):
            ended = time.monotonic()
    finally:
        store_log.removeHandler(handler)
        store_log.setLevel(level)
    assert started, "the reference database had nothing to migrate"
    return migrate, ended - started[0]


@pytest.mark.slow
@pytest.mark.timeout(scale(110, 3600))
def test_kill_during_migration(tmp_path: Path) -> None:
    """kill -9 while Store.open migrates an old database with many rows: most kills aimed inside
    the migrations, some at the store's work after them (sealing rows written in clear), some
    during start-up and the backup before them. Each trial starts again from the old file and is
    killed until an open completes; then the database must equal an uninterrupted migration of
    the same file: 0 rows lost, the stays derived, the personal data readable."""
    rows, kills = scale(5_000, 50_000), scale(8, 30)
    rng = random.Random(SEED)
    pristine = tmp_path / "old.db"
    path, reference = tmp_path / "kiosk" / "kiosk.db", tmp_path / "reference" / "kiosk.db"
    _old_database(pristine, rows, rng)
    # The kiosk is installed with the health authority's key (install.sh --authority-key): the
    # rows written in clear are sealed to it at the upgrade.
    config = tmp_path / "kiosk.toml"
    save_settings(Settings(authority_public_key=AUTHORITY.public.to_text()), config)
    reference.parent.mkdir(mode=0o700)
    shutil.copyfile(pristine, reference)
    migrate_s, open_s = _timed_open(reference)
    expected = _contents(reference)
    assert len(expected["events"]) == rows and len(expected["stays"]) > 0
    all_migrations = len(expected["migrations"])

    began = time.monotonic()
    log = tmp_path / "driver.log"
    where: Counter[str] = Counter()
    n = trials = checked = 0
    while n < kills:
        trials += 1
        shutil.rmtree(path.parent, ignore_errors=True)
        path.parent.mkdir(mode=0o700)
        shutil.copyfile(pristine, path)
        while True:
            driver = Driver(
                "--data", path.parent, "--config", config, "--log-store", "--open-only", stderr=log
            )
            aim = rng.random()
            if aim < 0.15:
                time.sleep(rng.uniform(0, 1.5))  # start-up, opening, the backup
            else:
                driver.wait_for(
                    lambda line: line.startswith(("log migrating", "ready")), timeout=120
                )
                # Mostly inside the migrations; some in the store's work after them.
                time.sleep(rng.uniform(0, migrate_s) if aim < 0.8 else rng.uniform(0, open_s))
            driver.kill()
            if driver.ready_after is not None:
                break  # this open completed before the kill: the trial is over
            n += 1
            migrating = any(line.startswith("log migrating") for line in driver.lines)
            if len(_applied(path)) < all_migrations:
                where["during a migration" if migrating else "before the migrations"] += 1
            else:
                where["after the migrations, in the open"] += 1
            with read_only(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == rows
        # Whatever is left: the next start does it.
        with Store.open(path, authority=AUTHORITY.public) as store:
            assert store.integrity_ok()
        assert _contents(path) == expected, "an interrupted migration differs from a whole one"
        checked += _personal_data_intact(path, 200, rng)
    wall = time.monotonic() - began
    print(
        f"\nkill_during_migration seed={SEED}: {rows} rows, uninterrupted: migrations "
        f"{migrate_s:.2f} s, open {open_s:.2f} s; {n} kills in {trials} trials {dict(where)}; "
        f"0 rows lost, personal data checked on {checked} events, wall {wall:.1f} s"
    )
    assert where["during a migration"] >= max(1, n // 3), f"too few kills in a migration: {where}"
