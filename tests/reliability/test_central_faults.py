"""The central server when its database fails under it (issue #11): PostgreSQL restarted while
kiosks upload, the database's disk full, the database read-only. Real kiosks (kiosk.gate and
kiosk.sync: each its own data directory, SQLite store, sealing, SyncService) upload over HTTP
to the real server (`kiosk-central serve` on 127.0.0.1, a subprocess).

Pass: while the database cannot be used the kiosks get 503 with Retry-After (never a 500, never
a hang past their read timeout) and keep their outbox; when it comes back the server carries on
by itself (the pool reconnects: same server process) and after the kiosks drain, the server
holds exactly the kiosks' events: none missing, none twice, nothing marked delivered that the
server lacks.

PostgreSQL tests start their own throwaway cluster (they restart it or fill its disk; the
session's cluster is shared) with synchronous_commit on: an acknowledged commit survives even
`pg_ctl stop -m immediate` (fsync stays off: the machine does not crash). Disk full mounts a
tmpfs, read-only SQLite loop-mounts an ext4 image: both need root, else skipped.

Short form (CI): 20 kiosks, one crash-restart with an outage longer than the server's wait for
a pooled connection (so requests do get 503, not only those in flight). Full form
(KIOSK_RELIABILITY_FULL=1): a minute of upload with three restarts (immediate, fast with a
long outage, `pg_ctl restart`).
"""

from __future__ import annotations

import collections
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from central.database import POOL_TIMEOUT_S
from central.storage import Storage
from kiosk.clock import FakeClock
from kiosk.config import save_settings, settings_with
from kiosk.sync.client import TransientError
from kiosk.sync.service import enroll
from tests.central.conftest import new_code
from tests.central.test_live import Server, start_server
from tests.postgres import PostgresCluster, PostgresUnavailable
from tests.reliability.conftest import scale
from tests.reliability.tmpfs import ext4_image, fill, make_read_only, remount, tmpfs
from tests.test_sync import NOW, Kiosk, drain

pytestmark = pytest.mark.timeout(900)

KIOSKS = 20
SCANS_PER_ROUND = 25  # scans between two sync rounds of one kiosk: a steady trickle
BATCH = 100  # the kiosks' batch size here: more, smaller uploads in flight at any moment


class Seen:
    """Every HTTP answer the kiosks received: status and Retry-After (a response hook on each
    kiosk's requests.Session: it observes, it changes nothing)."""

    def __init__(self) -> None:
        self.answers: collections.Counter[tuple[int, str | None]] = collections.Counter()
        self._lock = threading.Lock()

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            self.answers[(response.status_code, response.headers.get("Retry-After"))] += 1

    def count(self, status: int) -> int:
        return sum(n for (code, _), n in self.answers.items() if code == status)

    def retry_after(self, status: int) -> set[str | None]:
        return {after for (code, after), _ in self.answers.items() if code == status}


class Fleet:
    """Kiosks enrolled on one server; each scans and syncs in its own thread (it owns its store:
    one thread scans and syncs, as the app's store owner does)."""

    def __init__(self, root: Path, server: Server, db: Path | str, count: int) -> None:
        self.seen = Seen()
        self.kiosks: list[Kiosk] = []
        self.failures: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        with Storage.open(db, create=False) as storage:
            codes = [new_code(storage, f"Cổng {k % 5}", NOW) for k in range(count)]
        for k, code in enumerate(codes):
            kiosk = Kiosk(root / f"kiosk-{k}", FakeClock(NOW))
            new, _ = enroll(
                data_dir=kiosk.data,
                settings=kiosk.gate.settings,
                url=server.url,
                code=code,
                device_id=kiosk.gate.store.device_id,
            )
            save_settings(new, kiosk.config)
            kiosk.gate.update_settings(new)
            kiosk.session.hooks["response"].append(self.seen.hook)
            self.kiosks.append(kiosk)

    def _work(self, index: int, kiosk: Kiosk) -> None:
        service = kiosk.service(batch_size=BATCH)
        scanned = 0
        while not self._stop.is_set():
            kiosk.scan_many(SCANS_PER_ROUND, start=index * 100_000 + scanned)
            scanned += SCANS_PER_ROUND
            try:
                service.run_once()
            except TransientError as exc:
                self.failures[str(exc)[:60]] += 1

    def start(self) -> None:
        for index, kiosk in enumerate(self.kiosks):
            thread = threading.Thread(target=self._work, args=(index, kiosk), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(120)
            assert not thread.is_alive(), "a kiosk's round hung"

    def drain(self) -> None:
        for kiosk in self.kiosks:
            drain(kiosk.service(batch_size=500), attempts=50)

    def close(self) -> None:
        for kiosk in self.kiosks:
            kiosk.close()


def server_rows(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return [(str(d), str(e)) for d, e in conn.execute("SELECT device_id, event_id FROM events")]


def assert_server_equals_kiosks(fleet: Fleet, rows: list[tuple[str, str]]) -> int:
    """Server = kiosks: every local event stored once, nothing else; returns the count."""
    assert len(rows) == len(set(rows)), "an event is stored twice"
    stored = {event_id for _, event_id in rows}
    assert len(stored) == len(rows), "an event_id is stored under two devices"
    local: set[str] = set()
    for kiosk in fleet.kiosks:
        assert kiosk.gate.store.outbox_count() == 0
        mine = kiosk.local_ids()
        assert kiosk.delivered_ids() <= stored, "marked delivered but not on the server"
        local |= mine
    assert stored == local, f"{len(local - stored)} missing, {len(stored - local)} extra"
    return len(rows)


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    """A cluster of this test's own, which it may restart: acknowledged commits survive."""
    try:
        made = PostgresCluster.start(keep_commits=True)
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield made
    finally:
        made.stop()


def fresh_database(cluster: PostgresCluster) -> str:
    url = cluster.url(cluster.create_database(name="central"))
    Storage.open(url).close()  # the schema, as `kiosk-central migrate` would
    return url


def test_postgresql_restarted_under_twenty_kiosks_loses_and_doubles_nothing(
    cluster: PostgresCluster, tmp_path: Path
) -> None:
    url = fresh_database(cluster)
    # (what the server does, how long) in order; the kiosks upload throughout.
    outage = POOL_TIMEOUT_S + 2  # past the wait for a pooled connection: requests get 503
    plan: list[tuple[str, float]] = scale(
        [("upload", 4.0), ("crash", outage), ("upload", 4.0)],
        [
            ("upload", 10.0),
            ("crash", 2.0),
            ("upload", 10.0),
            ("stop", outage),
            ("upload", 10.0),
            ("restart", 0.0),
            ("upload", 15.0),
        ],
    )
    with start_server(url, "--workers", "2") as server:
        fleet = Fleet(tmp_path, server, url, KIOSKS)
        try:
            fleet.start()
            events: list[str] = []
            for step, seconds in plan:
                if step == "crash":  # the server dies (kill -9 of every backend's postmaster)
                    cluster.stop_server("immediate")
                elif step == "stop":  # an operator stops it, cleanly, and it stays down
                    cluster.stop_server("fast")
                elif step == "restart":
                    cluster.stop_server("fast")
                    cluster.start_server()
                events.append(f"{step} {seconds:.0f}s")
                time.sleep(seconds)
                if step in ("crash", "stop"):
                    cluster.start_server()
            fleet.stop()
            fleet.drain()
            rows = server_rows(url)
            total = assert_server_equals_kiosks(fleet, rows)
            # The same server processes carried on: no restart of kiosk-central was needed.
            assert server.process.poll() is None
        finally:
            fleet.close()
    assert fleet.seen.count(503) > 0, f"no 503 seen: {fleet.seen.answers}"
    assert fleet.seen.retry_after(503) == {"5"}
    assert fleet.seen.count(500) == 0, server.log_text()[-3000:]
    assert "answering 503" in server.log_text()
    figures = {
        "kiosks": KIOSKS,
        "plan": events,
        "events": total,
        "answers": {f"{code}": n for (code, _), n in sorted(fleet.seen.answers.items())},
        "failed_rounds": dict(fleet.failures.most_common(5)),
    }
    print("reliability.central_restart", json.dumps(figures, ensure_ascii=False))


def deliver(kiosk: Kiosk, count: int, start: int) -> None:
    kiosk.scan_many(count, start=start)
    drain(kiosk.service(), attempts=5)


def refused_and_kept(fleet: Fleet, count: int, start: int) -> None:
    """The kiosk scans `count` people while the database cannot take them: its rounds fail
    with 503 and every one of those events stays in its outbox."""
    kiosk = fleet.kiosks[0]
    before = kiosk.gate.store.outbox_count()
    kiosk.scan_many(count, start=start)
    for _ in range(3):
        with pytest.raises(TransientError, match="HTTP 503"):
            kiosk.service(batch_size=BATCH).run_once()
    assert kiosk.gate.store.outbox_count() == before + count
    assert fleet.seen.retry_after(503) == {"5"}
    assert fleet.seen.count(500) == 0


def test_a_full_postgresql_disk_answers_503_and_the_kiosk_keeps_its_outbox(
    tmp_path: Path,
) -> None:
    # The cluster runs as the postgres user: its directory must be reachable by it, which
    # pytest's tmp_path (under a 0700 directory) is not.
    base = Path(tempfile.mkdtemp(prefix="central-pgdisk-"))
    base.chmod(0o711)
    disk = base / "disk"
    with tmpfs(disk, "96m"):
        disk.chmod(0o711)
        try:
            cluster = PostgresCluster.start(
                keep_commits=True,
                root=disk / "pg",
                initdb_args=("--wal-segsize=1",),  # 1 MB WAL files: the cluster fits in 96 MB
                extra=("min_wal_size=4MB", "max_wal_size=8MB"),
            )
        except PostgresUnavailable as exc:
            pytest.skip(str(exc))
        try:
            url = fresh_database(cluster)
            with start_server(url) as server:
                fleet = Fleet(tmp_path / "kiosks", server, url, 1)
                try:
                    deliver(fleet.kiosks[0], 20, 0)
                    fill(disk / "filler", leave=200_000)
                    refused_and_kept(fleet, 1_500, 20)
                    assert cluster.is_running()  # full data files: errors, not a crash
                    (disk / "filler").unlink()
                    fleet.drain()
                    assert_server_equals_kiosks(fleet, server_rows(url))
                finally:
                    fleet.close()
            assert "No space left on device" in server.log_text()
        finally:
            cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


def test_a_full_sqlite_disk_answers_503_and_the_kiosk_keeps_its_outbox(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with tmpfs(disk, "4m"):
        db = disk / "central.db"
        with start_server(db) as server:
            fleet = Fleet(tmp_path / "kiosks", server, db, 1)
            try:
                deliver(fleet.kiosks[0], 20, 0)
                fill(disk / "filler", leave=64_000)
                refused_and_kept(fleet, 1_500, 20)
                (disk / "filler").unlink()
                fleet.drain()
                with Storage.open(db, create=False) as storage:
                    rows = [(e.device_id, e.event.event_id) for e in storage.events()]
                assert_server_equals_kiosks(fleet, rows)
            finally:
                fleet.close()
        assert "database or disk is full" in server.log_text()


def test_a_read_only_postgresql_database_answers_503_until_it_is_writable(
    postgres: PostgresCluster, postgres_url: str, tmp_path: Path
) -> None:
    # default_transaction_read_only: what a replica promoted the wrong way round, or an
    # operator freezing the database, gives every new session. The server's pooled sessions
    # are ended so that it reconnects into it.
    name = postgres_url.rsplit("/", 1)[1]

    def set_read_only(on: bool) -> None:
        with postgres.admin() as admin:
            value = "on" if on else "off"
            admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {value}')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )

    with start_server(postgres_url) as server:
        fleet = Fleet(tmp_path, server, postgres_url, 1)
        try:
            deliver(fleet.kiosks[0], 20, 0)
            set_read_only(True)
            refused_and_kept(fleet, 300, 20)
            set_read_only(False)
            fleet.drain()
            assert_server_equals_kiosks(fleet, server_rows(postgres_url))
        finally:
            fleet.close()
    assert "read-only transaction" in server.log_text()


def test_a_read_only_sqlite_file_system_answers_503_and_the_kiosk_keeps_its_outbox(
    tmp_path: Path,
) -> None:
    image, mountpoint = tmp_path / "disk.img", tmp_path / "disk"
    with ext4_image(image, mountpoint, megabytes=32):
        db = mountpoint / "central.db"
        fleet: Fleet | None = None
        try:
            with start_server(db) as server:
                fleet = Fleet(tmp_path / "kiosks", server, db, 1)
                deliver(fleet.kiosks[0], 20, 0)
                make_read_only(mountpoint)  # a disk error: the kernel remounts it read-only
                refused_and_kept(fleet, 300, 20)
            assert "disk I/O error" in server.log_text()
            # The operator repairs and remounts the disk and starts the server again.
            remount(mountpoint, image)
            with start_server(db) as again:
                for kiosk in fleet.kiosks:
                    kiosk.gate.update_settings(
                        settings_with(kiosk.gate.settings, server_url=again.url)
                    )
                fleet.drain()
            with Storage.open(db, create=False) as storage:
                rows = [(e.device_id, e.event.event_id) for e in storage.events()]
            assert_server_equals_kiosks(fleet, rows)
        finally:
            if fleet is not None:
                fleet.close()
