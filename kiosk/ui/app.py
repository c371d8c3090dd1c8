"""`kiosk run`: the full-screen kiosk. The composition root of the app: it builds the gate thread,
the camera, the sync job and the window, connects them, and tears them down in order.
"""

from __future__ import annotations

import argparse
import gc
import logging
import logging.handlers
import os
import sys
import threading
import types
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint_common.protocol import DEPLOYMENT_SETTINGS, SERVER_SETTINGS
from checkpoint_common.safelog import SafeFormatter
from kiosk.clock import Clock, SystemClock
from kiosk.config import (
    Settings,
    default_config_path,
    default_data_dir,
    load_settings,
    settings_with,
)
from kiosk.datadir import DataDir
from kiosk.formats import TrustList
from kiosk.gate import Gate
from kiosk.scanner.choose import choose_source
from kiosk.scanner.sources import open_source
from kiosk.scanner.types import FrameSource, SpecError
from kiosk.sync.client import SyncError
from kiosk.sync.scheduler import SyncScheduler
from kiosk.sync.service import SyncReport, SyncService

if TYPE_CHECKING:
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.admin import AdminPage
    from kiosk.ui.i18n import Translator
    from kiosk.ui.inside_page import InsidePage
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.manual import ManualEntryPage
    from kiosk.ui.runner import GateRunner
    from kiosk.ui.scanner import ScannerBridge
    from kiosk.ui.sounds import Sounds
    from kiosk.ui.state import SettingsHolder
    from kiosk.ui.sync_bridge import SyncBridge

log = logging.getLogger("kiosk")


def setup_logging(data_dir: Path, verbose: bool) -> None:
    """Logging configured once: a rotating file in the data directory (mode 0600 under the
    umask `main` sets), and stderr. Log lines never hold a full ID number, a name or a raw
    payload (the code logs keys and reasons; tracebacks leave exception messages out)."""
    data = DataDir(data_dir)
    logs = data.create(data.logs)
    file_handler = logging.handlers.RotatingFileHandler(
        logs / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    # Tracebacks without exception messages: a message may quote a payload (safelog).
    formatter = SafeFormatter()
    file_handler.setFormatter(formatter)
    stream = logging.StreamHandler()
    stream.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [file_handler, stream]
    # The root passes INFO to every handler: the file keeps decisions, stderr only what
    # `--verbose` asks for.
    root.setLevel(logging.INFO)
    file_handler.setLevel(logging.INFO)
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


@dataclass(eq=False)
class AppParts:
    """Everything `kiosk run` builds, connected (`build_app`). `start()` sets it going and
    `stop()` tears it down in order; the tests and bench/gate.py use the same parts."""

    app: QApplication
    translator: Translator
    holder: SettingsHolder
    clock: Clock
    runner: GateRunner
    scanner: ScannerBridge
    source_spec: str
    demo: bool
    sounds: Sounds
    service: SyncService
    scheduler: SyncScheduler
    sync_bridge: SyncBridge
    manual: ManualEntryPage
    admin: AdminPage
    inside: InsidePage
    window: MainWindow
    data_dir: Path
    sync_started: bool = False

    def start(self, *, sync_delay_s: float | None = 2) -> None:
        """Start the gate thread and the camera, and the sync schedule unless sync_delay_s is
        None. Always scheduled in the app: an unenrolled kiosk just reports "not enrolled"
        (and backs off); enrollment from the admin screen then asks for a round at once.

        What exists now (the libraries, the window: ~70,000 objects) is moved out of the
        cyclic garbage collector's reach (gc.freeze): a full collection over it took 90-150 ms
        on the GUI thread, a frozen screen; afterwards it only walks what was made since."""
        gc.collect()
        gc.freeze()
        self.runner.start()
        self.scanner.start()
        if sync_delay_s is not None:
            self.scheduler.start(delay_s=sync_delay_s)
            self.sync_started = True

    def stop(self) -> None:
        self.window.close()
        self.scanner.stop()
        if self.sync_started:
            # One last delivery attempt, bounded by the client's timeouts, if there is a server.
            current = self.holder.current()
            self.scheduler.shutdown(
                final_attempt=bool(current.server_url and DataDir(self.data_dir).read_token())
            )
        self.runner.shutdown()
        gc.unfreeze()  # what start() froze may be collected again (on exit: released cleanly)

    def unexpected_error(self, name: str) -> None:
        """After an unexpected error (already logged): the out-of-service panel, never a stack
        trace, and the scan loop restarted."""
        self.window.show_out_of_service(name)
        self.scanner.restart()


def build_app(
    settings: Settings,
    config_path: Path,
    data_dir: Path,
    *,
    source: str | FrameSource | None = None,
    clock: Clock | None = None,
    exit_at_end: bool = False,
) -> AppParts:
    """Build and connect the kiosk's parts (nothing is started). `source` is a source string
    (default: the `source` setting; "auto" picks a camera or the demo) or a FrameSource."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.admin import AdminPage
    from kiosk.ui.i18n import Translator
    from kiosk.ui.inside_page import InsidePage
    from kiosk.ui.keyboard import create_panel
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.manual import ManualEntryPage
    from kiosk.ui.resources import app_font, load_fonts
    from kiosk.ui.runner import GateRunner
    from kiosk.ui.scanner import ScannerBridge
    from kiosk.ui.sounds import Sounds
    from kiosk.ui.state import SettingsHolder
    from kiosk.ui.sync_bridge import SyncBridge

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("kiosk")
    app.setFont(app_font(load_fonts(), 14))
    translator = Translator(app)
    translator.set_language(settings.language)
    holder = SettingsHolder(settings, config_path)

    clock = clock or SystemClock()
    gate = Gate.open(data_dir, settings, clock)
    runner = GateRunner(gate)
    if source is None or isinstance(source, str):
        spec, demo = choose_source(source or settings.source)
        try:
            scanner = ScannerBridge.from_spec(spec)
        except SpecError as exc:
            log.error("bad frame source %r (%s): using the demo source", spec, exc)
            scanner, spec, demo = ScannerBridge.from_spec("demo"), "demo", True
    else:
        scanner, spec, demo = ScannerBridge(source), source.name, False
    # The gate thread is not started yet: the flag can be set directly. Demo events are
    # marked and never sent (kiosk.gate.DEMO_PROBLEM).
    gate.demo = demo
    sounds = Sounds(enabled=settings.sounds)

    # Sync: the job runs on the scheduler's thread; its store access goes through the gate
    # thread (runner.run_store); what it learns reaches the GUI through Qt signals (SyncBridge):
    # the settings the server sent, and the status after each round.
    sync_bridge = SyncBridge()

    def use_trust_list(trust: TrustList) -> None:
        runner.call(lambda gate: setattr(gate, "trust", trust))  # the gate thread's, not waited for

    def status_list_replaced() -> None:
        runner.call(Gate.refresh_status_list_info)

    def declaration_keys_replaced() -> None:
        runner.call(Gate.reload_declaration_keys)

    service = SyncService(
        data_dir=data_dir,
        settings=holder.current,
        run_store=runner.run_store,
        clock=clock,
        on_settings=sync_bridge.settings_received.emit,
        on_trust_list=use_trust_list,
        on_status_list=status_list_replaced,
        on_declaration_keys=declaration_keys_replaced,
        is_demo=lambda: gate.demo,
    )

    def after_round(outcome: SyncReport | SyncError) -> None:
        # On the scheduler's thread: the status is read there (through the gate thread) and
        # travels to the screen as a signal.
        sync_bridge.status_changed.emit(service.status())

    scheduler = SyncScheduler(
        service,
        interval_s=settings.sync_interval_s,
        backlog_interval_s=settings.sync_backlog_interval_s,
        server_url=lambda: holder.current().server_url,
        on_round=after_round,
    )

    manual = ManualEntryPage()
    admin = AdminPage(
        runner=runner,
        settings=holder,
        data_dir=data_dir,
        clock=clock,
        on_enrolled=scheduler.trigger_now,
    )
    inside = InsidePage(runner=runner, zone=lambda: holder.current().zone)
    window = MainWindow(
        runner=runner,
        settings=holder.current,
        clock=clock,
        sounds=sounds,
        demo=demo,
        manual_page=manual,
        admin_page=admin,
        inside_page=inside,
        keyboard=create_panel(),
    )
    sync_bridge.status_changed.connect(window.set_sync_status)
    window.set_sync_status(service.status())
    manual.submitted.connect(window.record_manual)
    manual.cancelled.connect(window.show_scan_page)
    inside.closed.connect(window.show_scan_page)
    admin.closed.connect(window.show_scan_page)
    admin.quit_requested.connect(app.quit)

    scanner.code_scanned.connect(window.on_code_scanned)
    scanner.preview.connect(window.on_preview)
    scanner.code_unreadable.connect(window.on_unreadable)
    scanner.camera_lost.connect(window.on_camera_lost)
    scanner.camera_restored.connect(window.on_camera_restored)
    scanner.camera_blank.connect(window.on_camera_blank)
    if exit_at_end:
        # Let the last verdict be decided and shown before quitting.
        scanner.source_ended.connect(lambda: QTimer.singleShot(1500, app.quit))

    # The camera follows the `source` setting unless `kiosk run --source` chose one.
    follows_setting = source is None
    current_source = {"setting": settings.source}

    def apply_settings(new: Settings) -> None:
        runner.update_settings(new)
        window.apply_settings(new)
        if translator.language != new.language:
            translator.set_language(new.language)
            window.retranslate()
        if follows_setting and new.source != current_source["setting"]:
            current_source["setting"] = new.source
            spec, demo = choose_source(new.source)
            try:
                fresh = open_source(spec)
            except SpecError as exc:
                log.error("frame source %r refused (%s): keeping the current one", spec, exc)
                return
            scanner.stop()  # releases the old camera before the new one opens
            scanner.source = fresh
            scanner.start()
            window.scan_page.set_demo(demo)
            runner.call(partial(_set_demo, demo=demo))  # the gate's flag, on the gate thread
            log.info("frame source is now %s", spec)

    holder.changed.connect(apply_settings)
    window.language_requested.connect(lambda lang: holder.change(language=lang))

    def settings_from_server(new: Settings) -> None:
        # Only the server-managed keys, merged onto the settings as they are NOW: the round
        # started earlier, and a local change made meanwhile (language, source, PIN) stays.
        keys = (*SERVER_SETTINGS, *DEPLOYMENT_SETTINGS, "checkpoint_id")
        merged = settings_with(holder.current(), **{k: getattr(new, k) for k in keys})
        if merged != holder.current():
            holder.apply(merged)

    sync_bridge.settings_received.connect(settings_from_server)

    return AppParts(
        app=app,
        translator=translator,
        holder=holder,
        clock=clock,
        runner=runner,
        scanner=scanner,
        source_spec=spec,
        demo=demo,
        sounds=sounds,
        service=service,
        scheduler=scheduler,
        sync_bridge=sync_bridge,
        manual=manual,
        admin=admin,
        inside=inside,
        window=window,
        data_dir=data_dir,
    )


def _set_demo(gate: Gate, *, demo: bool) -> None:
    gate.demo = demo


def install_excepthook(parts: AppParts) -> None:
    """An exception nothing caught is logged with its traceback (the log file, never the
    screen). On the GUI thread (an exception in a slot reaches sys.excepthook) the kiosk then
    shows the out-of-service panel and restarts the scan loop."""

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
    ) -> None:
        log.critical("unexpected error", exc_info=(kind, value, tb))
        parts.unexpected_error(kind.__name__)

    sys.excepthook = excepthook
    threading.excepthook = lambda hook_args: log.critical(
        "unexpected error in thread %s",
        hook_args.thread.name if hook_args.thread else "?",
        exc_info=hook_args.exc_value,  # its traceback is the thread's
    )


def run(settings: Settings, config_path: Path, data_dir: Path, args: argparse.Namespace) -> int:
    # Qt is imported here, not at module level: `kiosk` commands other than `run` stay Qt-free.
    from PySide6.QtGui import QGuiApplication, QInputDevice

    from kiosk.ui.keyboard import enable_virtual_keyboard_if_available

    # Before the QApplication exists: the input method is chosen when it is created.
    enable_virtual_keyboard_if_available()

    parts = build_app(
        settings, config_path, data_dir, source=args.source, exit_at_end=args.exit_at_end
    )
    window = parts.window
    install_excepthook(parts)
    from kiosk.ui.screensaver import keep_screen_on

    keep_screen_on()
    if any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices()):
        QGuiApplication.setOverrideCursor(_blank_cursor())
    parts.start()
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    from kiosk.ui.watchdog import SystemdWatchdog

    # Under systemd (#7): READY=1 once on screen, WATCHDOG=1 from the GUI thread's timer.
    watchdog = SystemdWatchdog(parts.app)
    watchdog.start()
    log.info("kiosk running: source %s%s", parts.source_spec, " (demo)" if parts.demo else "")
    try:
        code = parts.app.exec()
    finally:
        watchdog.stop()
        parts.stop()
    return int(code)


def _blank_cursor() -> QCursor:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor

    return QCursor(Qt.CursorShape.BlankCursor)
