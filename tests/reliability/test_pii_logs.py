"""Personal data in logs and files (../shared/RELIABILITY.md, "personal data at rest"; the
house rule: logs never contain a full ID number, a name, a phone or a raw payload).

Made-up people with distinctive markers (ID numbers, names with diacritics, phones, a raw
payload) go through the CLI and through the Qt app, with logging at DEBUG to a file, and with
exceptions forced in the scan path (their messages quote the payload, as a careless parser's
would), in a Qt slot and in a thread. No marker may appear in the log files or on stderr.
Files the kiosk creates are owner-only (0600, directories 0700), whatever the caller's umask.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

import kiosk.gate as gate_module
import kiosk.ui.main_window as main_window_module
from kiosk.clock import FakeClock
from kiosk.config import Settings, settings_with
from kiosk.events import Direction
from kiosk.scanner.render import render_empty, render_frame
from kiosk.scanner.sources import open_source
from kiosk.ui.app import AppParts, build_app, install_excepthook, setup_logging
from kiosk.ui.runner import ScanDone, ScanNotRecorded, ScanRequest
from tests.conftest import START

pytestmark = pytest.mark.timeout(240)

ROOT = Path(__file__).resolve().parents[2]

# Made-up people. ASCII ones can be typed by a scanner in keyboard mode (QTest types ASCII).
ID_QR = "001288654321"
NAME_QR = "PHAM MINH TUAN"
PHONE_QR = "0976112233"
PERSONAL_QR = f"{ID_QR}|{NAME_QR}|1988-04-02|0|163000000000765432|<1<DN4010765432101<{PHONE_QR}"
ID_CCCD = "079288123456"
NAME_CCCD = "Đặng Thị Thu Hường"
CCCD = (
    f"{ID_CCCD}|281234567|{NAME_CCCD}|02041988|Nữ|"
    "Số 7 Hàng Bạc, Phường Hàng Đào, Quận Hoàn Kiếm, Hà Nội|20042021"
)
ID_MANUAL = "038195777888"
NAME_MANUAL = "Nguyễn Văn Lộc"
PHONE_MANUAL = "0912 345 679"
RAW = "MARKER-RAW-7f3a9c kiểm tra"  # an unknown code: stored raw
ID_BOOM = "052199246810"
NAME_BOOM = "Trịnh Thị Ngọc Ánh"
BOOM = f"BOOM|{ID_BOOM}|{NAME_BOOM}"  # the forced exception quotes it

MARKERS = (
    ID_QR,
    NAME_QR,
    PHONE_QR,
    ID_CCCD,
    NAME_CCCD,
    ID_MANUAL,
    NAME_MANUAL,
    PHONE_MANUAL,
    PHONE_MANUAL.replace(" ", ""),
    "MARKER-RAW-7f3a9c",
    ID_BOOM,
    NAME_BOOM,
    "Hường",
    "Ánh",
    "Lộc",
)


def assert_no_markers(where: str, text: str) -> None:
    found = [marker for marker in MARKERS if marker in text]
    assert not found, f"personal data in {where}: {found}"


def log_text(data_dir: Path) -> str:
    logs = sorted((data_dir / "logs").glob("kiosk.log*"))
    assert logs, f"no log file in {data_dir / 'logs'}"
    return "\n".join(p.read_text(encoding="utf-8") for p in logs)


def private_modes(root: Path) -> list[str]:
    """Every file and folder under `root` that someone other than the owner could read."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode & 0o077 or (path.is_dir() and mode != want):
            wrong.append(f"{path.relative_to(root.parent)} {mode:o}")
    return wrong


# -- the CLI, in its own processes ----------------------------------------------------------

# Runs `kiosk` as the entry point does, with two test hooks: the gate's parser raises for a
# payload starting BOOM (quoting it), and the CLI's logging also goes, at DEBUG, to a file,
# through the same handler formatter the CLI installs.
CLI_DRIVER = textwrap.dedent(
    """
    import logging, sys
    import kiosk.gate
    from kiosk import cli

    real_parse = kiosk.gate.parse

    def parse(payload, **kw):
        text = payload.decode() if isinstance(payload, bytes) else payload
        if text.startswith("BOOM"):
            raise ValueError(f"cannot parse {text!r}")
        return real_parse(payload, **kw)

    kiosk.gate.parse = parse
    basic = logging.basicConfig

    def basic_and_file(**kw):
        basic(**kw)
        root = logging.getLogger()
        file = logging.FileHandler(sys.argv[1], encoding="utf-8")
        file.setFormatter(root.handlers[0].formatter)
        root.addHandler(file)
        root.setLevel(logging.DEBUG)
        for handler in root.handlers:
            handler.setLevel(logging.DEBUG)

    logging.basicConfig = basic_and_file
    sys.exit(cli.main(sys.argv[2:]))
    """
)


def test_a_cli_session_logs_no_personal_data(tmp_path: Path) -> None:
    data, config, log = tmp_path / "data", tmp_path / "kiosk.toml", tmp_path / "cli-debug.log"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    stderr = []
    where = ["--data-dir", str(data), "--config", str(config), "-v"]
    for payload, code in ((PERSONAL_QR, 0), (CCCD, 0), (RAW, 0), (CCCD, 0), (BOOM, 1)):
        run = subprocess.run(
            [sys.executable, "-c", CLI_DRIVER, str(log), "scan", payload, *where],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert run.returncode == code, run.stderr
        stderr.append(run.stderr)
    trace = subprocess.run(
        [sys.executable, "-c", CLI_DRIVER, str(log), "trace", CCCD, *where],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert trace.returncode == 0, trace.stderr
    stderr.append(trace.stderr)

    logged = log.read_text(encoding="utf-8")
    assert_no_markers("the CLI's DEBUG log file", logged)
    assert "scan admit (entry)" in logged  # the session was logged, at INFO and below
    assert "DEBUG" in logged or "INFO" in logged
    # The forced exception was reported, by type and place, not by message.
    assert "ValueError (message not logged)" in logged
    assert "gate.py" in logged
    assert "ValueError" in stderr[-2]
    assert_no_markers("the CLI's DEBUG log file", logged)
    assert_no_markers("the CLI's stderr", "\n".join(stderr))


def test_files_the_kiosk_creates_are_private(tmp_path: Path) -> None:
    """Through the entry points (`kiosk scan`, `kiosk export`, `kiosk config set`, `kiosk run`)
    started with a permissive umask (022): database, secret, logs, export and settings are
    0600 in 0700 folders. `kiosk run` plays a code with a marker ID and logs to its file."""
    data, config = tmp_path / "data", tmp_path / "conf" / "kiosk.toml"
    config.parent.mkdir(mode=0o700)
    frames = tmp_path / "frames"
    frames.mkdir()
    for number, image in enumerate(
        [render_empty(seed=0), *[render_frame(PERSONAL_QR, size_px=320, seed=n) for n in (1, 2)]]
    ):
        assert cv2.imwrite(str(frames / f"{number:03d}.png"), image)
    where = ["--data-dir", str(data), "--config", str(config)]
    env = os.environ | {"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            preexec_fn=lambda: os.umask(0o022),  # what a login shell gives
        )

    runs = [
        kiosk("scan", CCCD, *where),
        kiosk("config", "set", "language", "en", *where),
        kiosk("run", "--source", f"images:{frames}", "--windowed", "--exit-at-end", *where),
    ]
    export = data / "exports" / "today.csv"
    export.parent.mkdir(mode=0o700)  # made by the admin screen, under the kiosk's umask
    runs.append(
        kiosk("export", "--from", "2000-01-01", "--to", "2100-01-01", "--out", str(export), *where)
    )
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    made = {p.relative_to(data).as_posix() for p in data.rglob("*")}
    assert {"kiosk.db", "person_key.secret", "logs/kiosk.log", "exports/today.csv"} <= made
    assert "2 events written" in runs[3].stderr
    assert private_modes(data) == []
    assert private_modes(config.parent) == []
    assert_no_markers("kiosk run's log file", log_text(data))
    assert_no_markers("kiosk run's stderr", runs[2].stderr)


# -- the Qt app, in this process ----------------------------------------------------------------


@pytest.fixture
def debug_logging(tmp_path: Path) -> Iterator[Path]:
    """The app's own logging (kiosk.ui.app.setup_logging: the file in DATA/logs and stderr),
    turned up to DEBUG; pytest's handlers are put back afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    data = tmp_path / "data"
    setup_logging(data, verbose=True)
    root.setLevel(logging.DEBUG)
    for handler in root.handlers:
        handler.setLevel(logging.DEBUG)
    yield data
    for handler in root.handlers:
        handler.close()
    root.handlers[:], root.level = saved


def type_into(widget: QWidget, text: str) -> None:
    """Key presses carrying `text` (diacritics too), as the on-screen keyboard sends them."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


@pytest.mark.qt_no_exception_capture
def test_a_qt_session_logs_no_personal_data(
    debug_logging: Path,
    qapp: QApplication,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    data = debug_logging
    frames = tmp_path / "frames"
    frames.mkdir()
    assert cv2.imwrite(str(frames / "000.png"), render_empty(seed=0))
    parts: AppParts = build_app(
        settings_with(Settings(), language="en"),
        tmp_path / "kiosk.toml",
        data,
        source=open_source(f"images:{frames}", repeat=3, fps=30),
        clock=FakeClock(START),
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook(parts)  # as `kiosk run` does
    done: list[ScanDone] = []
    refused: list[ScanNotRecorded] = []
    parts.runner.scanned.connect(done.append)
    parts.runner.not_recorded.connect(refused.append)
    window = parts.window
    window.out_of_service_s = 0.1
    qtbot.addWidget(window)
    parts.runner.start()
    window.show()
    qtbot.waitExposed(window)
    try:

        def scanner(text: str) -> None:  # a USB scanner in keyboard mode
            assert text.isascii()
            qtbot.keyClicks(window, text)
            qtbot.keyClick(window, Qt.Key.Key_Return)

        def decided() -> int:
            return len(done) + len(refused)

        scanner(PERSONAL_QR)
        qtbot.waitUntil(lambda: decided() == 1, timeout=15_000)
        # Manual entry through the page's fields: a name with diacritics, an ID, a phone.
        qtbot.mouseClick(window.scan_page.manual_button, Qt.MouseButton.LeftButton)
        page = parts.manual
        type_into(page.name, NAME_MANUAL)
        qtbot.keyClicks(page.id_number, ID_MANUAL)
        qtbot.keyClicks(page.phone, PHONE_MANUAL)
        in_button = page.direction_buttons[Direction.IN]  # an "auto" gate: the guard chooses
        qtbot.mouseClick(in_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: decided() == 2, timeout=15_000)
        # A raw payload, and a CCCD with diacritics (through the runner: QTest types ASCII).
        scanner(RAW.split(" ")[0])
        qtbot.waitUntil(lambda: decided() == 3, timeout=15_000)
        parts.runner.scan(_request(CCCD))
        qtbot.waitUntil(lambda: decided() == 4, timeout=15_000)

        # A bug in the scan path whose message quotes the payload.
        real_parse = gate_module.parse

        def parse(payload: str | bytes, **kw: Any) -> Any:
            text = payload.decode() if isinstance(payload, bytes) else payload
            if text.startswith("BOOM"):
                raise ValueError(f"cannot parse {text!r}")
            return real_parse(payload, **kw)

        monkeypatch.setattr(gate_module, "parse", parse)
        parts.runner.scan(_request(BOOM))
        qtbot.waitUntil(lambda: decided() == 5, timeout=15_000)
        assert refused[-1].message == "ValueError"

        # A bug in a slot (GUI thread), quoting a name and an ID, reaches sys.excepthook.
        def broken_view(*args: object) -> None:
            raise KeyError(f"{NAME_CCCD} {ID_CCCD}")

        monkeypatch.setattr(main_window_module, "verdict_view", broken_view)
        parts.runner.scan(_request(PERSONAL_QR + "|2"))
        qtbot.waitUntil(lambda: decided() == 6, timeout=15_000)
        QApplication.sendPostedEvents()
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.out_of_service)

        # A bug in another thread.
        def worker() -> None:
            raise RuntimeError(f"phone {PHONE_QR} of {NAME_QR}")

        thread = threading.Thread(target=worker, name="pii-test")
        thread.start()
        thread.join()
    finally:
        parts.stop()
    captured = capfd.readouterr()

    logged = log_text(data)
    assert_no_markers("the app's DEBUG log file", logged)
    assert "scan admit (entry)" in logged
    assert "scan failed: ValueError" in logged and "ValueError (message not logged)" in logged
    assert "unexpected error" in logged and "KeyError (message not logged)" in logged
    assert "thread pii-test" in logged and "RuntimeError (message not logged)" in logged
    assert_no_markers("the app's DEBUG log file", logged)
    assert_no_markers("the app's stderr", captured.err)
    assert_no_markers("the app's stdout", captured.out)


def _request(text: str) -> ScanRequest:
    return ScanRequest(text.encode(), "keyboard", time.monotonic_ns())
