"""Shared switches for the reliability suite (tests/reliability, `make reliability`).

Short form by default (CI: seconds per test). `KIOSK_RELIABILITY_FULL=1` selects the full form with
the pass numbers of ../shared/RELIABILITY.md (minutes per test).
"""

from __future__ import annotations

import os
from typing import TypeVar

import pytest

T = TypeVar("T")

FULL = os.environ.get("KIOSK_RELIABILITY_FULL", "") not in ("", "0")


def scale(short: T, full: T) -> T:
    """`full` under KIOSK_RELIABILITY_FULL=1, else `short`."""
    return full if FULL else short


@pytest.fixture
def reliability_full() -> bool:
    """Whether the full form was asked for (KIOSK_RELIABILITY_FULL=1)."""
    return FULL
