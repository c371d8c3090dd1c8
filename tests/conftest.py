"""Shared fixtures: real SQLite files in tmp_path, an injected clock, the real gate."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from checkpoint_common.seal import PersonalData, PrivateKey, open_personal
from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import PersonKeyer
from kiosk.gate import Gate
from kiosk.store import Store
from tests.postgres import PostgresCluster, PostgresUnavailable

if TYPE_CHECKING:
    from tests.central.test_live import Server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_script(name: str) -> ModuleType:
    """One of the repository's scripts/ (not a package) as a module, for its tests."""
    spec = importlib.util.spec_from_file_location(
        f"kiosk_script_{name}", ROOT / "scripts" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# 2026-11-25 10:00 in Hà Nội (UTC+7).
START = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is provided beside the repo in CI)")
    return path


@pytest.fixture
def keyer() -> PersonKeyer:
    return PersonKeyer(b"test-secret-0123456789")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


# The health authority of the tests: kiosks seal personal data to its public key.
AUTHORITY = PrivateKey.generate()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store that knows the authority's key, as an enrolled kiosk's does: its events reach
    the outbox (held ones wait for the key, in tests as in production)."""
    s = Store.open(tmp_path / "kiosk.db")
    s.use_authority_key(AUTHORITY.public)
    yield s
    s.close()


@pytest.fixture
def settings() -> Settings:
    from tests.authority import ROOT_TEXT

    return Settings(
        authority_public_key=AUTHORITY.public.to_text(), authority_signing_key=ROOT_TEXT
    )


def personal_of(store: Store, event_id: str) -> PersonalData | None:
    """An event's personal data opened as the authority would (with the device id and person
    key stored beside the box); None when the event holds none."""
    row = store.db.conn.execute(
        "SELECT sealed, device_id, person_key FROM events WHERE event_id = ?", (event_id,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return open_personal(AUTHORITY, event_id, row[0], device_id=row[1], person_key=row[2])


@pytest.fixture
def gate(store: Store, settings: Settings, clock: FakeClock, keyer: PersonKeyer) -> Gate:
    return Gate(store, settings, clock, keyer)


# The reference server's database and the server itself (`kiosk-central serve` on 127.0.0.1),
# for the tests that talk to it; the server is started only when a test asks for it. Here an
# SQLite file; tests/central/conftest.py makes `db` run on both engines.
@pytest.fixture
def db(tmp_path: Path) -> Path | str:
    return tmp_path / "central.db"


@pytest.fixture
def server(db: Path | str) -> Iterator[Server]:
    """The server with the tests' health authority set up (tests/authority.py, done by
    start_server): it serves documents signed under ROOT, which kiosks pin."""
    from tests.central.test_live import start_server

    with start_server(db) as live:
        yield live


# A real PostgreSQL (tests/postgres.py): one throwaway cluster per test session, started on
# first use; skipped, with the reason, only where PostgreSQL is not installed.
@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster.start()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresCluster) -> str:
    """A database with the central server's schema, the deployment's keys and the events
    partitions the tests' days need (around START, and today's for the live server): copied
    for each test by `postgres_url`, so no test pays for migrating."""
    from central import partitions
    from central.storage import Storage

    name = postgres.create_database(name="central_template")
    with Storage.open(postgres.url(name)) as storage:
        partitions.ensure(storage.db, START.date() - dt.timedelta(days=5), ahead=20)
    return name


@pytest.fixture
def postgres_url(postgres: PostgresCluster, postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database with the central server's schema, for this test only:
    `Storage.open(postgres_url)`, `kiosk-central … --database-url postgresql_url`."""
    name = postgres.create_database(template=postgres_template)
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture
def postgres_empty_url(postgres: PostgresCluster) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (no schema), for this test only."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)
