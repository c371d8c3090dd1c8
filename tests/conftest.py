"""Shared fixtures: real SQLite files in tmp_path, an injected clock, the real gate."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import PersonKeyer
from kiosk.gate import Gate
from kiosk.store import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "kiosk.db")
    yield s
    s.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def gate(store: Store, settings: Settings, clock: FakeClock, keyer: PersonKeyer) -> Gate:
    return Gate(store, settings, clock, keyer)
