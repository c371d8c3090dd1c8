"""`kiosk run`: the full-screen kiosk. The composition root of the app: it builds the gate thread,
the camera, the sync job and the window, connects them, and tears them down in order.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import threading
import types
from collections.abc import Sequence
from pathlib import Path

from kiosk.clock import SystemClock
from kiosk.config import Settings, default_config_path, default_data_dir, load_settings
from kiosk.gate import Gate
from kiosk.scanner.types import SpecError
from kiosk.sync.client import SyncError
from kiosk.sync.scheduler import SyncScheduler
from kiosk.sync.service import SyncReport, SyncService, SyncStatus, read_token

log = logging.getLogger("kiosk")


def choose_source(requested: str) -> tuple[str, bool]:
    """(source string, demo?) for a requested source. "auto" takes the first camera the system
    has (V4L2 device, else a Pi camera module), else the built-in demo source."""
    if requested != "auto":
        return requested, requested == "demo"
    if any(Path(f"/dev/video{i}").exists() for i in range(4)):
        for i in range(4):
            if Path(f"/dev/video{i}").exists():
                return f"camera:{i}", False
    try:
        import picamera2  # noqa: F401  (only probing: it comes from the OS packages)
    except ImportError:
        return "demo", True
    return "picamera", False


def setup_logging(data_dir: Path, verbose: bool) -> None:
    """Logging configured once: a rotating file in the data directory, and stderr. Log lines
    never hold a full ID number, a name or a raw payload (the code logs keys and reasons)."""
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True, mode=0o700)
    file_handler = logging.handlers.RotatingFileHandler(
        logs / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    file_handler.setFormatter(formatter)
    stream = logging.StreamHandler()
    stream.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [file_handler, stream]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    file_handler.setLevel(logging.INFO)
    root.setLevel(logging.INFO)
    stream.setLevel(logging.INFO if verbose else logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk run", description="Run the full-screen kiosk.")
    parser.add_argument("--source", help="frame source (default: the `source` setting, auto)")
    parser.add_argument("--windowed", action="store_true", help="a normal window, not full screen")
    parser.add_argument(
        "--exit-at-end", action="store_true", help="quit after the last frame of a file source"
    )
    parser.add_argument("--data-dir", help="data directory")
    parser.add_argument("--config", help="settings file")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    config_path = Path(args.config) if args.config else default_config_path()
    setup_logging(data_dir, args.verbose)
    settings = load_settings(config_path)
    return run(settings, config_path, data_dir, args)


def run(settings: Settings, config_path: Path, data_dir: Path, args: argparse.Namespace) -> int:
    # Qt is imported here, not at module level: `kiosk` commands other than `run` stay Qt-free.
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication, QInputDevice
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.admin import AdminPage
    from kiosk.ui.i18n import Translator
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.manual import ManualEntryPage
    from kiosk.ui.resources import app_font, load_fonts
    from kiosk.ui.runner import GateRunner
    from kiosk.ui.scanner import ScannerBridge
    from kiosk.ui.sounds import Sounds
    from kiosk.ui.state import SettingsHolder

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("kiosk")
    app.setFont(app_font(load_fonts(), 14))
    translator = Translator(app)
    translator.set_language(settings.language)
    holder = SettingsHolder(settings, config_path)

    clock = SystemClock()
    gate = Gate.open(data_dir, settings, clock)
    runner = GateRunner(gate)
    spec, demo = choose_source(args.source or settings.source)
    try:
        scanner = ScannerBridge.from_spec(spec)
    except SpecError as exc:
        log.error("bad frame source %r (%s): using the demo source", spec, exc)
        scanner, demo = ScannerBridge.from_spec("demo"), True
    sounds = Sounds(enabled=settings.sounds)

    # Sync: the job runs on the scheduler's thread; its store access goes through the gate
    # thread (runner.run_store); what it learns reaches the GUI through Qt signals.
    from kiosk.ui.sync_bridge import SyncBridge

    sync_bridge = SyncBridge()
    status_box: dict[str, SyncStatus | None] = {"status": None}
    service = SyncService(
        data_dir=data_dir,
        settings=holder.current,
        run_store=runner.run_store,
        clock=clock,
        on_settings=sync_bridge.settings_received.emit,
        on_trust_list=lambda trust: runner.call(lambda g: setattr(g, "trust", trust)),
        on_status_list=lambda: runner.call(lambda g: g.refresh_status_list_info()),
    )

    def after_round(outcome: SyncReport | SyncError) -> None:
        status_box["status"] = service.status()

    scheduler = SyncScheduler(
        service,
        interval_s=settings.sync_interval_s,
        backlog_interval_s=settings.sync_backlog_interval_s,
        server_url=lambda: holder.current().server_url,
        on_round=after_round,
    )
    status_box["status"] = service.status()

    manual = ManualEntryPage()
    admin = AdminPage(
        runner=runner,
        settings=holder,
        data_dir=data_dir,
        clock=clock,
        on_enrolled=scheduler.trigger_now,
    )
    window = MainWindow(
        runner=runner,
        settings=holder.current,
        clock=clock,
        sounds=sounds,
        demo=demo,
        sync_status=lambda: status_box["status"],
        manual_page=manual,
        admin_page=admin,
    )
    manual.submitted.connect(window.record_manual)
    manual.cancelled.connect(window.show_scan_page)
    admin.closed.connect(window.show_scan_page)
    admin.quit_requested.connect(app.quit)

    scanner.code_scanned.connect(window.on_code_scanned)
    scanner.preview.connect(window.on_preview)
    scanner.code_unreadable.connect(window.on_unreadable)
    scanner.camera_lost.connect(window.on_camera_lost)
    scanner.camera_restored.connect(window.on_camera_restored)
    scanner.camera_blank.connect(window.on_camera_blank)
    if args.exit_at_end:
        # Let the last verdict be decided and shown before quitting.
        scanner.source_ended.connect(lambda: QTimer.singleShot(1500, app.quit))

    def apply_settings(new: Settings) -> None:
        runner.update_settings(new)
        window.apply_settings(new)
        if translator.language != new.language:
            translator.set_language(new.language)
            window.retranslate()

    holder.changed.connect(apply_settings)
    window.language_requested.connect(lambda lang: holder.change(language=lang))

    def settings_from_server(new: Settings) -> None:
        # Server-managed keys only; everything local (language, source, PIN) stays.
        holder.apply(new)

    sync_bridge.settings_received.connect(settings_from_server)

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
    ) -> None:
        log.critical("unexpected error", exc_info=(kind, value, tb))
        window.show_out_of_service(kind.__name__)
        scanner.restart()

    sys.excepthook = excepthook
    threading.excepthook = lambda hook_args: log.critical(
        "unexpected error in thread %s",
        hook_args.thread.name if hook_args.thread else "?",
        exc_info=(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback),
    )

    if any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices()):
        QGuiApplication.setOverrideCursor(_blank_cursor())
    runner.start()
    scanner.start()
    # Always scheduled: an unenrolled kiosk just reports "not enrolled" (and backs off);
    # enrollment from the admin screen then asks for a round at once (trigger_now).
    scheduler.start(delay_s=2)
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    log.info("kiosk running: source %s%s", spec, " (demo)" if demo else "")
    try:
        code = app.exec()
    finally:
        scanner.stop()
        # One last delivery attempt, bounded by the client's timeouts, if there is a server.
        scheduler.shutdown(final_attempt=bool(holder.current().server_url and read_token(data_dir)))
        runner.shutdown()
    return int(code)


def _blank_cursor() -> object:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor

    return QCursor(Qt.CursorShape.BlankCursor)
