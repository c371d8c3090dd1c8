"""systemd's watchdog as the service sees it: a real AF_UNIX datagram socket stands in for
$NOTIFY_SOCKET, and receives READY=1 once the kiosk is on screen and WATCHDOG=1 while its GUI
thread runs, and nothing while the GUI thread is frozen (so systemd restarts a frozen screen).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.sdnotify import notify, watchdog_interval_s
from kiosk.ui.watchdog import SystemdWatchdog


class NotifySocket:
    """What systemd listens on: a datagram socket; `messages` are what arrived."""

    def __init__(self, address: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.setblocking(False)
        self.messages: list[str] = []

    def poll(self) -> list[str]:
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def wait_for(self, text: str, timeout_s: float) -> list[str]:
        """For a process outside this one: poll the socket until `text` arrived."""
        self.sock.settimeout(timeout_s)
        deadline = time.monotonic() + timeout_s
        while not any(text in m for m in self.messages):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} never arrived; got {self.messages}")
            self.sock.settimeout(remaining)
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                continue
        self.sock.setblocking(False)
        return self.messages

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[NotifySocket, str]]:
    path = str(tmp_path / "notify.sock")
    sock = NotifySocket(path)
    yield sock, path
    sock.close()


# -- the Qt-free core --------------------------------------------------------------------------


def test_notify_sends_to_a_path_socket(listener: tuple[NotifySocket, str]) -> None:
    sock, path = listener
    assert notify("READY=1", {"NOTIFY_SOCKET": path})
    assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": path})
    assert sock.poll() == ["READY=1", "WATCHDOG=1"]


def test_notify_reaches_an_abstract_socket() -> None:
    name = f"kiosk-test-{os.getpid()}-{time.monotonic_ns()}"
    sock = NotifySocket("\0" + name)
    try:
        assert notify("READY=1", {"NOTIFY_SOCKET": "@" + name})
        assert sock.poll() == ["READY=1"]
    finally:
        sock.close()


def test_outside_systemd_nothing_is_sent_and_no_watchdog() -> None:
    assert notify("READY=1", {}) is False
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) is None  # no socket
    assert watchdog_interval_s({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval_s({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "junk"}) is None


def test_a_vanished_socket_is_logged_not_raised(tmp_path: Path, caplog: Any) -> None:
    assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}) is False
    assert "not sent" in caplog.text


# -- the GUI thread's timer ----------------------------------------------------------------------


def test_ready_then_pings_stop_while_the_gui_thread_is_frozen(
    qapp: Any, qtbot: Any, listener: tuple[NotifySocket, str]
) -> None:
    sock, path = listener
    watchdog = SystemdWatchdog(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
    assert watchdog.interval_s == 0.1
    watchdog.start()
    qtbot.waitUntil(lambda: sock.poll().count("WATCHDOG=1") >= 2, timeout=5000)
    assert sock.messages[0].startswith("READY=1")

    # The GUI thread is stuck (a slot that never returns, here for 0.6 s): no ping goes out,
    # whatever other threads do. systemd would restart the kiosk after WatchdogSec.
    sock.poll()
    sock.messages.clear()
    time.sleep(0.6)
    assert sock.poll() == []

    # Unfrozen, the pings resume; stopping says so.
    qtbot.waitUntil(lambda: "WATCHDOG=1" in sock.poll(), timeout=5000)
    watchdog.stop()
    assert sock.poll()[-1] == "STOPPING=1"


def test_the_real_kiosk_reports_ready_and_pings(
    tmp_path: Path, listener: tuple[NotifySocket, str]
) -> None:
    """`kiosk run` as the service starts it (offscreen, demo camera): READY=1 once its window
    is up, then WATCHDOG=1 at half of WATCHDOG_USEC."""
    sock, path = listener
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": path,
        "WATCHDOG_USEC": "1000000",
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--windowed",
            "--source",
            "demo",
            "--config",
            str(tmp_path / "kiosk.toml"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        sock.wait_for("READY=1", 90)
        assert not any("WATCHDOG=1" in m for m in sock.messages), "a ping before READY=1"
        sock.wait_for("WATCHDOG=1", 10)
        assert process.poll() is None, "the kiosk exited"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
    assert "Traceback" not in err, err
