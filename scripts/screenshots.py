#!/usr/bin/env python3
"""`make screenshots`: a PNG of every screen and state of the kiosk, in Vietnamese and English,
at 1280x800 (NAME.LANG.png) and at the Raspberry Pi touch display's 800x480
(NAME.LANG.800x480.png: a second run of the same story in a window that size from the start, as
the Pi's full screen would be), into docs/screenshots/; the privacy poster's pages
(poster.LANG.png); and for each language a sheet of the six verdict families as seen with
normal vision, deuteranopia and protanopia (verdict-families.LANG.png, scripts/cvd.py).

Offscreen, with the real window as `kiosk run` builds it (kiosk.ui.app.build_app) on a temporary
data directory, a FakeClock (10:00 on 25 Nov 2026 in Hà Nội) and no camera: the preview shows
frames rendered by kiosk.scanner.render. Every verdict is real: a payload from kiosk/demo.py goes
through the GateRunner and the Gate into SQLite, with the settings or data that cause the case
(a status list, a full capacity, a write lock held by another connection), and the screen is
captured after the runner's signal has been shown. Nothing here fakes a verdict. The on-screen
keyboard is Qt Virtual Keyboard, embedded as on a touch screen (KIOSK_VIRTUAL_KEYBOARD=1).

A page that needs more room than the screen gives it (its minimum size), or a window that is not
the screen's size, fails the run: on the real screen it would be cut off.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--lang vi] [--out DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Before Qt is imported: no display needed, and the on-screen keyboard as on a touch screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_VIRTUAL_KEYBOARD", "1")

import cv2
from PySide6.QtCore import QEventLoop, Qt, QTimer, SignalInstance
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from checkpoint_common.declaration import sign_payload
from checkpoint_common.signing import SigningKey, delegate
from kiosk.clock import FakeClock, to_iso
from kiosk.config import Settings, settings_with
from kiosk.credentials import Identity
from kiosk.datadir import DataDir
from kiosk.declarations import accept as accept_declaration_keys
from kiosk.demo import EXAMPLES
from kiosk.events import Direction
from kiosk.gate import StorageStatus
from kiosk.scanner.render import render_empty, render_frame, render_with_corners
from kiosk.scanner.sources import open_source
from kiosk.scanner.types import CodeScanned
from kiosk.ui import admin as admin_module
from kiosk.ui.app import AppParts, build_app
from kiosk.ui.keyboard import enable_virtual_keyboard_if_available
from kiosk.ui.poster import poster_image
from kiosk.ui.runner import ScanDone, ScanNotRecorded, ScanRequest
from kiosk.ui.scanner import ScannerBridge, to_qimage

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
START = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội (UTC+7)
SIZE = (1280, 800)
SMALL = (800, 480)  # the Raspberry Pi 7" touch display
WAIT_MS = 30_000  # "not recorded" waits out SQLite's busy timeout twice (2 x 5 s)
CODES = dict(EXAMPLES)
CHECKPOINT = "Chợ Bến Thành · Cổng số 1"


def wait_until(condition: Callable[[], bool], what: str, timeout_ms: int = WAIT_MS) -> None:
    """Run the event loop until `condition()` holds (checked as events arrive and every 20 ms);
    raises TimeoutError naming `what`."""
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.start(timeout_ms)
    loop = QEventLoop()

    def check() -> None:  # returns None: PySide mishandles a bool returned from a slot
        if condition() or not deadline.isActive():
            loop.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(20)
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError(f"screenshots: gave up waiting for {what}")


def wait_signal(
    signals: tuple[SignalInstance, ...], trigger: Callable[[], object], what: str
) -> Any:
    """Connect to `signals`, call `trigger`, and run the event loop until one of them fires;
    returns its first argument. Receivers connected earlier (the window) have run by then:
    queued calls are delivered in the order of connection."""
    got: list[Any] = []

    def receive(*args: Any) -> None:
        got.append(args[0] if args else None)

    for signal in signals:
        signal.connect(receive)
    try:
        trigger()
        wait_until(lambda: bool(got), what)
    finally:
        for signal in signals:
            signal.disconnect(receive)
    QApplication.sendPostedEvents()
    return got[0]


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into a focused field the way an input method does (the on-screen keyboard
    commits each letter, diacritics included; QTest's key clicks only know ASCII)."""
    widget.setFocus()
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


class Shooter:
    """One language's kiosk, and the pictures taken of it."""

    def __init__(
        self,
        language: str,
        workdir: Path,
        out: Path,
        size: tuple[int, int] = SIZE,
        only: frozenset[str] | None = None,
    ) -> None:
        self.language = language
        self.out = out
        self.size = size
        self.only = only
        self.grown: list[str] = []
        self.suffix = "" if size == SIZE else f".{size[0]}x{size[1]}"
        self.workdir = workdir
        self.clock = FakeClock(START)
        settings = settings_with(
            Settings(),
            language=language,
            checkpoint_name=CHECKPOINT,
            verdict_display_s=60,  # the verdict must still be up when it is captured
            sounds=False,  # no audio device here; the status area is set below
        )
        # A camera that is never started: the preview is fed rendered frames, and the codes
        # go to the window exactly as the camera's decoder hands them over (CodeScanned).
        camera = open_source(f"images:{workdir}")
        self.data_dir = workdir / "data"
        self.parts: AppParts = build_app(
            settings, workdir / "kiosk.toml", self.data_dir, source=camera, clock=self.clock
        )
        self.window = self.parts.window
        self.page = self.window.scan_page
        # The machine taking the screenshots has no speaker; a kiosk does (else the status
        # area says so, in red words nobody should see in the README).
        self.page.set_sound_state(True)
        self.parts.runner.start()
        self.window.resize(*size)
        self.window.show()
        self.taken: list[Path] = []

    # -- taking pictures --------------------------------------------------------------------

    def settle(self) -> None:
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()

    def shoot(self, name: str) -> None:
        """Save the window as NAME.LANG[.WxH].png (unless this run pictures only some states).
        The window must have kept the screen's size and the page must fit the room it has:
        the picture would otherwise hide that the real screen cuts it off."""
        if self.only is not None and name not in self.only:
            return
        self.settle()
        size = (self.window.width(), self.window.height())
        page = self.window.pages.currentWidget()
        need = page.minimumSizeHint()
        room = self.window.pages.size()
        if size != self.size or need.width() > room.width() or need.height() > room.height():
            # Noted, and the run fails at the end: on the real screen the page would be cut.
            problem = (
                f"{name}.{self.language}: the window is {size} on a {self.size} screen, and "
                f"{type(page).__name__} needs {need.width()}x{need.height()} where it has "
                f"{room.width()}x{room.height()}"
            )
            print(f"screenshots: {problem}", file=sys.stderr)
            self.grown.append(problem)
        path = self.out / f"{name}.{self.language}{self.suffix}.png"
        keyboard = self.window.keyboard
        if keyboard is not None and keyboard.isVisible():
            # Offscreen, a QQuickWidget draws its scene when asked for it (on a screen: by
            # itself, tests/ui/test_virtual_keyboard.py).
            keyboard.grabFramebuffer()
        if not self.window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.taken.append(path)

    # -- driving the kiosk ------------------------------------------------------------------

    def preview(self, payload: str | None, seed: int = 3, *, centred: bool = False) -> None:
        """Show a camera frame: the empty scene, or a phone showing `payload` (moved into the
        guide frame when `centred`, as someone would hold it)."""
        if payload is None:
            frame = render_empty(seed=seed)
        else:
            offset = (0.0, 0.0)
            if centred:
                _, corners = render_with_corners(payload, size_px=300, seed=seed)
                x, y = corners.mean(axis=0)
                offset = (640 - float(x), 360 - float(y))
            frame = render_frame(payload, size_px=300, seed=seed, offset=offset)
        self.window.on_preview(to_qimage(frame))

    def scan(self, label: str, *, seconds_later: float = 30) -> ScanDone | ScanNotRecorded:
        """Time passes, then the camera reads the demo code `label`; returns what the runner
        said once the window has shown it."""
        self.clock.advance(seconds_later)
        payload = CODES[label]
        self.preview(payload)
        event = CodeScanned(payload.encode("utf-8"), "camera", 0, 0)
        runner = self.parts.runner
        return wait_signal(
            (runner.scanned, runner.not_recorded),
            lambda: self.window.on_code_scanned(event),
            f"the verdict for {label}",
        )

    def change(self, **values: Any) -> None:
        holder = self.parts.holder
        wait_signal((holder.changed,), lambda: holder.change(**values), f"settings {values}")
        self.drain()

    def drain(self) -> None:
        """Everything sent to the gate thread so far has run and its signals are delivered."""
        self.parts.runner.call(lambda _gate: None).result(timeout=WAIT_MS / 1000)
        self.settle()

    def shows_clock(self) -> None:
        """Wait for the window's once-a-second tick to show the FakeClock's time."""
        local = self.clock.now().utc.astimezone(self.parts.holder.current().zone)
        expected = local.strftime("%H:%M")
        wait_until(lambda: self.page.clock.text() == expected, f"the clock to show {expected}")

    def person_key(self, label: str) -> str:
        """The person key the gate gives the demo code `label` (computed on the gate thread,
        with the deployment's secret)."""
        from kiosk.reports import trace_target

        payload = CODES[label]

        def key(gate: Any) -> str:
            return str(trace_target(gate, payload))  # the admin screen's resolver

        return self.parts.runner.call(key).result(timeout=WAIT_MS / 1000)

    def manual_key(self, id_number: str) -> str:
        return self.parts.runner.call(lambda g: g.keyer.key(Identity("id", id_number))).result()

    # -- the story --------------------------------------------------------------------------

    def run(self) -> None:
        page = self.page
        self.preview(None)
        self.shows_clock()
        self.shoot("scan-empty")

        # People come in: a personal QR (N. V. An), then a chip ID card with diacritics.
        self.scan("personal QR", seconds_later=0)
        self.scan("CCCD (no old ID)", seconds_later=95)
        self.scan("personal QR (masked)", seconds_later=70)
        self.expect(self.scan("CCCD", seconds_later=40), "admit", "in")
        self.shows_clock()
        self.shoot("verdict-entry")

        # The same card again a few seconds later: recorded once; the decision is repeated.
        self.expect(self.scan("CCCD", seconds_later=4), "duplicate", "in")
        self.shoot("verdict-duplicate")

        # N. V. An leaves (the gate is on "auto": someone inside goes out).
        self.expect(self.scan("personal QR", seconds_later=20 * 60), "admit", "out")
        self.shows_clock()
        self.shoot("verdict-exit")

        # The health authority's status list: the BHYT card holder yellow, one person red.
        yellow = self.person_key("BHYT")
        red = self.person_key("CCCD (no old ID)")
        self.parts.runner.call(
            lambda g: (
                g.store.replace_status_list(
                    [(yellow, "yellow", None), (red, "red", None)],
                    version="demo-1",
                    updated_at=self.clock.now().utc,
                ),
                g.refresh_status_list_info(),
            )
        ).result()
        self.expect(self.scan("BHYT"), "refer", "in")
        self.shoot("verdict-refer-status")

        # An EU certificate without the key list on this kiosk: "not verified" (refer).
        self.expect(self.scan("EU vaccine certificate"), "refer", "in")
        self.shoot("verdict-refer-certificate")

        # A poster's venue code, and something that is no code of a person at all.
        self.expect(self.scan("venue code"), "deny", None)
        self.shoot("verdict-venue-code")
        self.expect(self.scan("garbage"), "deny", None)
        self.shoot("verdict-unknown-code")

        # Full: as many inside as the capacity allows; N. V. An comes back and must wait.
        inside = self.parts.runner.call(lambda g: g.store.occupancy()).result()
        self.change(capacity=inside)
        self.expect(self.scan("personal QR"), "deny", "in")
        self.shoot("verdict-denied-full")
        self.change(capacity=50)

        # On the quarantine list (red): not allowed in. He is inside: the guard sets IN first
        # (someone on the list scanned at the entrance).
        self.window._choose_gate_mode("in")
        self.expect(self.scan("CCCD (no old ID)"), "deny", "in")
        self.shoot("verdict-denied-quarantine")
        self.window._choose_gate_mode("auto")

        self.declarations()
        self.manual_entry()

        # Not recorded: another program holds the database's write lock (a backup tool, the
        # sqlite3 shell) for longer than the gate waits. The screen must not say "welcome".
        with self.write_lock():
            outcome = self.scan("CCCD (no old ID)")
        if not isinstance(outcome, ScanNotRecorded):
            raise AssertionError(f"expected 'not recorded', got {outcome}")
        self.drain()
        self.shoot("verdict-not-recorded")

        # Back to waiting for the next visitor, someone holding up a phone.
        page.clear_verdict()
        self.preview(CODES["personal QR (masked)"], seed=5, centred=True)
        self.shows_clock()
        self.shoot("scan-idle")

        # The SD card fills up: first the warning (scans still recorded), then the alarm and
        # a refused scan. (The states as the gate thread reports them; the real full disk is
        # tests/ui/test_disk_full_screen.py.)
        page.set_storage(StorageStatus(free_bytes=60 * 2**20, low=True, full=False))
        self.shoot("storage-low")
        page.set_storage(StorageStatus(free_bytes=0, low=True, full=True))
        self.window._on_not_recorded(
            ScanNotRecorded(ScanRequest(b"", "camera", 0), "disk full", storage_full=True)
        )
        self.shoot("verdict-storage-full")
        page.set_storage(StorageStatus(free_bytes=2**30, low=False, full=False))
        page.clear_verdict()

        # The webcam unplugged: the full-width state; a hand scanner still records.
        self.camera_lost()
        self.shoot("camera-lost")
        self.expect(self.hand_scanner("personal QR (masked)"), "admit", "out")
        self.shoot("camera-lost-verdict")
        page.clear_verdict()
        self.window.on_camera_restored()  # what the scanner says when the webcam is back

        self.sync_offline()
        self.shoot("sync-offline")

        self.people_inside()

        self.window.show_out_of_service("screenshot")
        self.shoot("out-of-service")
        self.window.show_scan_page()
        self.admin_pages()
        self.keyboard()

    def declarations(self) -> None:
        """Health declarations (#16, docs/declarations.md): codes as the central server's
        /declare page signs them, this kiosk holding the declaration key's delegation (as its
        sync or `kiosk declaration-keys import` leaves it). One declared healthy at 08:12 comes
        in; one who declared a cough is referred."""
        root, online = SigningKey.generate(), SigningKey.generate()
        now = self.clock.now().utc
        delegation = delegate(
            root,
            online.public,
            types=["declaration"],
            not_after=now + dt.timedelta(days=90),
            version=1,
            issued_at=now - dt.timedelta(days=1),
        )
        pinned = settings_with(
            self.parts.holder.current(), authority_signing_key=root.public.to_text()
        )
        accept_declaration_keys(pinned, DataDir(self.data_dir), [delegation.to_json()], now)
        # The gate reads the keys again when the pinned root changes (Gate.update_settings).
        self.change(authority_signing_key=root.public.to_text())
        at = dt.datetime(2026, 11, 25, 1, 12, tzinfo=dt.UTC)  # 08:12 in Hà Nội
        people = {
            "declared": (
                "001092003456|LE THI HOA|1992-03-08|0|163000000000034567|<2<<0901234567<",
                0,
            ),
            "declared (cough)": (
                "001088007777|PHAM VAN LONG|1988-07-07|0|163000000000077777|<1<<0987000111<",
                1,
            ),
        }
        for label, (head, summary) in people.items():
            CODES[label] = sign_payload(
                head, online, declared_at=at, valid_hours=24, summary=summary
            )
        self.window._choose_gate_mode("in")
        self.expect(self.scan("declared"), "admit", "in")
        self.shoot("verdict-declared")
        self.expect(self.scan("declared (cough)"), "refer", "in")
        self.shoot("verdict-refer-declared-symptoms")
        self.window._choose_gate_mode("auto")

    def manual_entry(self) -> None:
        """Manual entry for a visitor without a phone: sent empty, then half-declared, then
        complete (a cough: referred); then someone leaving, typed in."""
        manual = self.parts.manual
        QTest.mouseClick(self.page.manual_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(manual.confirm_button, Qt.MouseButton.LeftButton)
        self.shoot("manual-invalid")
        type_text(manual.name, "Nguyễn Thị Hồng Nhung")
        type_text(manual.phone, "0912 345 678")
        type_text(manual.birth_year, "1957")
        QTest.mouseClick(manual.direction_buttons[Direction.IN], Qt.MouseButton.LeftButton)
        QTest.mouseClick(manual.questions["cough"].yes, Qt.MouseButton.LeftButton)
        QTest.mouseClick(manual.confirm_button, Qt.MouseButton.LeftButton)
        self.shoot("manual-declaration-incomplete")
        for field, question in manual.questions.items():
            if field != "cough":
                QTest.mouseClick(question.no, Qt.MouseButton.LeftButton)
        self.shoot("manual-entry")
        self.clock.advance(30)
        outcome = self.confirm_manual()
        self.expect(outcome, "refer", "in")
        self.shoot("verdict-refer-declaration")

        # N. V. An (admitted by his personal QR) leaves without his phone: typed in, OUT.
        QTest.mouseClick(self.page.manual_button, Qt.MouseButton.LeftButton)
        type_text(manual.name, "Phạm Văn Bình")
        type_text(manual.id_number, "001099012399")
        QTest.mouseClick(manual.direction_buttons[Direction.OUT], Qt.MouseButton.LeftButton)
        self.shoot("manual-exit")
        self.clock.advance(30)
        self.expect(self.confirm_manual(), "admit", "out")
        self.shoot("verdict-exit-manual")

    def confirm_manual(self) -> ScanDone | ScanNotRecorded:
        runner = self.parts.runner
        confirm = self.parts.manual.confirm_button
        return wait_signal(
            (runner.scanned, runner.not_recorded),
            lambda: QTest.mouseClick(confirm, Qt.MouseButton.LeftButton),
            "the manual entry's verdict",
        )

    def hand_scanner(self, label: str) -> ScanDone | ScanNotRecorded:
        """A USB scanner in keyboard mode types the code and Enter into the window."""
        self.clock.advance(60)
        runner = self.parts.runner
        payload = CODES[label]

        def type_code() -> None:
            QTest.keyClicks(self.window, payload)
            QTest.keyClick(self.window, Qt.Key.Key_Return)

        return wait_signal((runner.scanned, runner.not_recorded), type_code, label)

    def people_inside(self) -> None:
        """The guard's list of the people inside: all, found by year of birth, one checked out
        (the verdict across the top of the list)."""
        inside = self.parts.inside
        QTest.mouseClick(self.page.occupancy, Qt.MouseButton.LeftButton)
        wait_until(lambda: inside.loaded and bool(inside.rows), "the people inside")
        self.shoot("inside-list")
        type_text(inside.search, "1999")
        wait_until(lambda: len(inside.rows) == 1, "the search by year of birth")
        self.shoot("inside-search")
        runner = self.parts.runner
        self.clock.advance(60)
        outcome = wait_signal(
            (runner.scanned, runner.not_recorded),
            lambda: QTest.mouseClick(inside.rows[0].out_button, Qt.MouseButton.LeftButton),
            "the check-out",
        )
        self.expect(outcome, "admit", "out")
        wait_until(lambda: inside.loaded and not inside.search.text(), "the list again")
        self.shoot("inside-checked-out")
        self.window.show_scan_page()
        self.page.clear_verdict()

    def expect(
        self, outcome: ScanDone | ScanNotRecorded, verdict: str, direction: str | None
    ) -> None:
        """A scan must have had the intended effect: a wrong picture is worse than none."""
        if not isinstance(outcome, ScanDone):
            raise AssertionError(f"not recorded: {outcome}")
        decision = outcome.outcome.decision
        if decision.verdict.value != verdict or (
            direction is not None and decision.direction.value != direction
        ):
            raise AssertionError(f"expected {verdict}/{direction}, got {decision}")

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        other = sqlite3.connect(DataDir(self.data_dir).db, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    def camera_lost(self) -> None:
        """A camera that is not there (a USB webcam unplugged): the real scan worker reports
        it through a ScannerBridge, as in the app."""
        missing = ScannerBridge.from_spec("camera:/dev/video97")
        missing.camera_lost.connect(self.window.on_camera_lost)
        try:
            wait_signal((missing.camera_lost,), missing.start, "the camera to be reported lost")
        finally:
            missing.stop()

    def sync_offline(self) -> None:
        """Enrolled, synced 47 minutes ago, and now the server cannot be reached: the real sync
        job runs a round against a closed port and the status area shows the result."""
        DataDir(self.data_dir).write_token("screenshot-device-token")
        synced = self.clock.now().utc - dt.timedelta(minutes=47)
        self.parts.runner.call(
            lambda g: g.store.set_meta("sync.last_success", to_iso(synced))
        ).result()
        self.change(server_url="http://127.0.0.1:9")  # discard port: connection refused
        self.parts.scheduler.start(delay_s=0)
        self.parts.sync_started = True  # AppParts.stop() shuts the schedule down
        wait_until(
            lambda: (
                (self.parts.service.status().last_error_kind or "") != ""
                and "47" in self.page.sync_state.text()
            ),
            "the sync round to fail and the status area to say so",
        )

    def admin_pages(self) -> None:
        """The administration: the PIN pad (first use: choose a PIN), then, with a PIN set,
        each panel; contact tracing with a real search (T. T. B. Ngọc's CCCD number)."""
        if "placeholder" in (admin_module.__doc__ or ""):
            print("screenshots: kiosk/ui/admin.py is still the placeholder: no admin screens")
            return
        admin = self.parts.admin
        QTest.mouseClick(self.page.admin_button, Qt.MouseButton.LeftButton)
        pin = admin.pin_screen
        wait_until(lambda: pin.ready, "the PIN screen")
        self.shoot("admin-pin")
        try:
            for _ in range(2):  # the new PIN, then the same again
                for digit in "2468":
                    pin.pad.press(digit)
                pin.pad.submit()
            wait_until(lambda: admin.unlocked, "the new PIN to be saved")
            for panel in ("reports", "tracing", "settings", "device"):
                admin.show_panel(panel)
                if panel == "tracing":
                    type_text(admin.trace_panel.code, "079199012345")
                    QTest.mouseClick(admin.trace_panel.search_button, Qt.MouseButton.LeftButton)
                    wait_until(lambda: admin.trace_panel.results.rowCount() > 0, "a trace result")
                if panel == "reports":
                    reports = admin.reports_panel
                    wait_until(lambda r=reports: r.report is not None, "the day's report")
                    reports.export_button.click()  # (out of sight at 800x480: scrolled)
                    wait_until(
                        lambda r=reports: r.export_button.isEnabled() and bool(r.message.text()),
                        "the export",
                    )
                if panel == "device":
                    device = admin.device_panel
                    device.poster_folder.refresh_button.click()
                    device.poster_button.click()
                    wait_until(lambda d=device: d.poster_button.isEnabled(), "the poster")
                self.drain()
                self.loaded(admin.panels[panel])
                self.shoot(f"admin-{panel}")
            # Someone scans at the gate while the guard is in the reports: recorded, answered.
            admin.show_panel("reports")
            self.expect(self.scan("CCCD", seconds_later=600), "admit", "in")
            self.shoot("admin-gate-answered")
        except (AttributeError, TimeoutError) as exc:
            # Someone is still building these screens: picture what exists, say what did not.
            print(f"screenshots: admin panels not pictured ({exc})", file=sys.stderr)
        admin.lock_and_close()
        self.window.show_scan_page()

    def keyboard(self) -> None:
        """The on-screen keyboard (Qt Virtual Keyboard, embedded) on manual entry: a tap on the
        name field opens it in Vietnamese."""
        panel = self.window.keyboard
        if panel is None:
            print("screenshots: no on-screen keyboard in this Qt: not pictured", file=sys.stderr)
            return
        manual = self.parts.manual
        QTest.mouseClick(self.page.manual_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(manual.name, Qt.MouseButton.LeftButton)
        wait_until(panel.isVisible, "the on-screen keyboard")
        type_text(manual.name, "Trần Văn Đức")
        self.shoot("manual-keyboard")
        QTest.mouseClick(manual.cancel_button, Qt.MouseButton.LeftButton)
        QApplication.inputMethod().hide()

    def poster(self) -> None:
        """The privacy notice poster's page in this language, as printed (A4)."""
        if self.size != SIZE:
            return
        settings = settings_with(
            self.parts.holder.current(),
            operator_name="Ban quản lý chợ Bến Thành",
            operator_contact="028 3829 9274",
        )
        image = poster_image(
            settings, self.language, family=QApplication.font().family(), today=START.date()
        )
        path = self.out / f"poster.{self.language}.png"
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")
        self.taken.append(path)

    def loaded(self, panel: QWidget) -> None:
        """Give a panel's background loads a few seconds to replace its "…" placeholders; a
        panel that keeps one is pictured as it is (that is what the guard would see)."""
        with contextlib.suppress(TimeoutError):
            wait_until(
                lambda: all(label.text() != "…" for label in panel.findChildren(QLabel)),
                "the panel's values",
                timeout_ms=5000,
            )

    def close(self) -> None:
        self.parts.stop()
        # Its translator is installed on the QApplication, which the next run shares.
        self.parts.translator.set_language("en")


# The six verdict families, by the screenshot that shows each (texts.Family).
FAMILY_SHOTS = (
    ("admit", "verdict-entry"),
    ("exit", "verdict-exit"),
    ("refer", "verdict-refer-status"),
    ("wrong_code", "verdict-venue-code"),
    ("denied", "verdict-denied-full"),
    ("fault", "verdict-not-recorded"),
)


def families_sheet(out: Path, language: str) -> Path:
    """verdict-families.LANG.png: the six verdicts (columns) as seen with normal vision,
    deuteranopia and protanopia (rows), from the 1280x800 shots (scripts/cvd.py)."""
    import numpy as np
    from cvd import KINDS, simulate

    thumbs = []
    for _family, shot in FAMILY_SHOTS:
        bgr = cv2.imread(str(out / f"{shot}.{language}.png"))
        if bgr is None:
            raise OSError(f"{shot}.{language}.png missing")
        thumbs.append(cv2.resize(bgr, (320, 200), interpolation=cv2.INTER_AREA)[..., ::-1])
    rows = [np.hstack(thumbs)]
    for kind in KINDS:
        rows.append(np.hstack([simulate(t, kind) for t in thumbs]))
    sheet = np.vstack(rows)[..., ::-1]
    path = out / f"verdict-families.{language}.png"
    if not cv2.imwrite(str(path), np.ascontiguousarray(sheet)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of every screen, offscreen.")
    parser.add_argument("--lang", choices=("vi", "en"), action="append", help="default: both")
    parser.add_argument(
        "--size", choices=("1280x800", "800x480"), action="append", help="default: both"
    )
    parser.add_argument("--only", action="append", help="only these shots (NAME, repeatable)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    enable_virtual_keyboard_if_available()  # before the QApplication: Qt reads it then
    _app = QApplication.instance() or QApplication(sys.argv[:1])  # alive for the whole run
    sizes = [SIZE if size == "1280x800" else SMALL for size in args.size or ("1280x800", "800x480")]
    only = frozenset(args.only) if args.only else None
    taken: list[Path] = []
    grown: list[str] = []
    for language in args.lang or ("vi", "en"):
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="kiosk-screens-") as tmp:
                cv2.imwrite(str(Path(tmp) / "000.png"), render_frame("unused", seed=1))
                shooter = Shooter(language, Path(tmp), args.out, size, only)
                try:
                    shooter.run()
                    if only is None:
                        shooter.poster()
                finally:
                    shooter.close()
                taken += shooter.taken
                grown += shooter.grown
        if only is None and SIZE in sizes:
            taken.append(families_sheet(args.out, language))
    for path in taken:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    if grown:
        print("screenshots: FAILED: pages that do not fit their screen:", file=sys.stderr)
        for problem in grown:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without the interpreter's teardown: with PySide6 6.12.0 on CPython 3.11 every
    # void Qt call drops a reference to None/True/False (shiboken bug), and the garbage
    # collection at exit then aborts ("bool_dealloc") after all the work is done and saved.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
