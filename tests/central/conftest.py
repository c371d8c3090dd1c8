"""Fixtures for the central server, on both engines: every test that takes `db` or `storage`
(or `api`, `kiosk`, `server`, which build on them) runs twice, on a real SQLite file in tmp_path
(`[sqlite]`) and on a fresh database of a real PostgreSQL (`[postgresql]`, tests/postgres.py).
Also an injected server clock, FastAPI's TestClient, and helpers that build protocol messages
the way a kiosk does."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from central import migrate, tokens
from central.app import RateLimit, create_app
from central.storage import Storage
from checkpoint_common.timefmt import to_iso

with warnings.catch_warnings():
    # Starlette's TestClient warns that it will move to another HTTP library; not our concern.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

# A database written by the server before it used Alembic (made by the old code; see
# data/make_legacy_db.py).
LEGACY = Path(__file__).parent / "data" / "legacy-0002.db"

# 2026-11-25 10:00 in Hà Nội (UTC+7).
T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
S = 10**9  # nanoseconds per second


class ServerClock:
    """The server's injected wall clock (callable like `create_app` expects)."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def make_event(checkpoint_id: str, **overrides: Any) -> dict[str, Any]:
    """An EVENT of docs/protocol.md as JSON data."""
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "seq": 1,
        "checkpoint_id": checkpoint_id,
        "person_key": "pk-aaaa",
        "kind": "cccd",
        "display_name": "N*** V** A",
        "birth_year": 1990,
        "direction": "in",
        "verdict": "admit",
        "reason": "entry",
        "device_time": to_iso(T0),
        "mono_ns": 1000 * S,
        "boot_id": "boot-1",
        "clock_synced": True,
        "problems": [],
    }
    event.update(overrides)
    return event


def envelope(
    device_id: str,
    events: list[dict[str, Any]],
    *,
    boot_id: str = "boot-1",
    sent_mono_ns: int = 2000 * S,
    sent_at: str | None = None,
) -> dict[str, Any]:
    return {
        "device_id": device_id,
        "boot_id": boot_id,
        "sent_at": sent_at or to_iso(T0),
        "sent_mono_ns": sent_mono_ns,
        "events": events,
    }


def gzipped(data: Any) -> bytes:
    return gzip.compress(json.dumps(data).encode("utf-8"))


@dataclass
class Kiosk:
    """An enrolled device as the tests see it."""

    device_id: str
    token: str
    checkpoint_id: str
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def event(self, **overrides: Any) -> dict[str, Any]:
        return make_event(self.checkpoint_id, **overrides)

    def envelope(self, events: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        return envelope(self.device_id, events, **kwargs)


def new_code(
    storage: Storage,
    checkpoint: str,
    now: dt.datetime,
    hours: float = 24,
    replaces: str | None = None,
) -> str:
    cp = storage.ensure_checkpoint(checkpoint, now)
    code = tokens.new_enrollment_code()
    storage.add_enrollment_code(
        cp.id,
        tokens.code_digest(code),
        now=now,
        expires_at=now + dt.timedelta(hours=hours),
        replaces_device=replaces,
    )
    return code


@pytest.fixture
def server_clock() -> ServerClock:
    return ServerClock()


ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """The server's database: an SQLite file (not yet created) or a PostgreSQL URL (a fresh
    database with the schema). test_live.db_option(db) gives the command-line option for it."""
    if engine == "sqlite":
        return tmp_path / "central.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def storage(db: Path | str) -> Iterator[Storage]:
    s = Storage.open(db)
    yield s
    s.close()


class Api:
    """A TestClient on create_app(storage, clock) plus enrollment in one call."""

    def __init__(self, storage: Storage, clock: ServerClock, client: TestClient) -> None:
        self.storage = storage
        self.clock = clock
        self.client = client

    def enroll(
        self,
        checkpoint: str = "Chợ Bến Thành - cổng 2",
        device_id: str = "dev-1",
        current_token: str | None = None,
    ) -> Kiosk:
        code = new_code(self.storage, checkpoint, self.clock())
        request = {"code": code, "device_id": device_id, "device_name": "cổng 1"}
        if current_token is not None:
            request["current_token"] = current_token
        response = self.client.post("/api/v1/enroll", json=request)
        assert response.status_code == 200, response.text
        body = response.json()
        return Kiosk(device_id, body["device_token"], body["checkpoint"]["id"])


def make_api(
    storage: Storage, clock: ServerClock, rate_limit: RateLimit | None = None, **kwargs: Any
) -> Iterator[Api]:
    """The API with the tests' health authority set up (tests/authority.py): it signs
    configs and status lists with its delegated online key, and serves the sealing key."""
    from tests.authority import set_up_authority

    set_up_authority(storage, now=clock())
    with TestClient(create_app(storage, clock=clock, rate_limit=rate_limit, **kwargs)) as client:
        yield Api(storage, clock, client)


@pytest.fixture
def api(storage: Storage, server_clock: ServerClock) -> Iterator[Api]:
    yield from make_api(storage, server_clock)


@pytest.fixture
def kiosk(api: Api) -> Kiosk:
    return api.enroll()


NEXT = "0002_test_only"


def install_next_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, upgrade_body: str
) -> None:
    """Make this server the next version: the real migrations plus one more revision, NEXT,
    whose upgrade() is `upgrade_body`, so that a database at today's head is an older one."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    body = "\n".join(f"    {line}" for line in upgrade_body.strip().splitlines())
    (scripts / "versions" / f"{NEXT}.py").write_text(
        f'''"""A test-only revision."""
import sqlalchemy as sa
from alembic import op

revision = "{NEXT}"
down_revision = "{migrate.SCHEMA_HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}
'''
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", NEXT)
    migrate.revisions.cache_clear()


@pytest.fixture
def newer_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The next version, whose migration adds a column `devices.added_later`."""
    install_next_revision(
        tmp_path,
        monkeypatch,
        'op.add_column("devices", sa.Column("added_later", sa.Text(), nullable=True))',
    )
    yield
    migrate.revisions.cache_clear()


@pytest.fixture
def failing_newer_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The next version, whose migration dies halfway: a column and a table made, then an
    error (as a kill or a full disk would stop it)."""
    install_next_revision(
        tmp_path,
        monkeypatch,
        """
op.add_column("devices", sa.Column("added_later", sa.Text(), nullable=True))
op.create_table("half_made", sa.Column("x", sa.Text()))
raise RuntimeError("the migration died halfway")
""",
    )
    yield
    migrate.revisions.cache_clear()
