"""Keeping the screen on is best effort: where nothing can blank it (offscreen, no session
bus, no X server) the kiosk says so and carries on."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from kiosk.ui.screensaver import keep_screen_on


def test_nothing_to_turn_off_is_reported_not_fatal(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    with caplog.at_level(logging.INFO, logger="kiosk.ui.screensaver"):
        assert keep_screen_on() == []
    assert "nothing to turn off" in caplog.text
