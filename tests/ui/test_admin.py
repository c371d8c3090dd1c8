"""The admin screen, offscreen, on the real thing: a Gate on a data directory in tmp_path with a
FakeClock, a GateRunner (its own thread), a SettingsHolder on a settings file, real widgets, and
for enrollment the reference server as a subprocess on 127.0.0.1.

The tests tap and type as a guard would (buttons clicked, keys sent) and wait on conditions and
signals (qtbot.waitUntil / waitSignal), never on sleeps.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import Qt

from kiosk.clock import FakeClock
from kiosk.config import Settings, load_settings
from kiosk.credentials import Identity, PersonKeyer
from kiosk.datadir import DataDir
from kiosk.demo import EXAMPLES
from kiosk.export import EVENT_CSV_FIELDS
from kiosk.gate import Gate
from kiosk.pin import LOCKOUT_META_KEY, hash_pin, verify_pin
from kiosk.ui.admin import AdminPage
from kiosk.ui.main_window import MainWindow
from kiosk.ui.runner import GateRunner
from kiosk.ui.sounds import Sounds
from kiosk.ui.state import SettingsHolder
from tests.reliability.tmpfs import tmpfs

pytestmark = pytest.mark.timeout(120)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2026, 11, 25)
PIN = "246813"
PAYLOAD = dict(EXAMPLES)
A = PAYLOAD["personal QR"]  # N. V. AN
B = PAYLOAD["CCCD"]  # T. T. B. Ngọc, ID 079199012345
C = PAYLOAD["BHYT"]  # L. H. Phúc
WAIT_MS = 15_000


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=ZONE).astimezone(dt.UTC)


@dataclass
class Site:
    root: Path
    clock: FakeClock
    gate: Gate
    runner: GateRunner
    holder: SettingsHolder
    qtbot: Any
    pages: list[AdminPage] = field(default_factory=list)
    enrolled: list[bool] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def config(self) -> Path:
        return self.root / "kiosk.toml"

    def page(self, *, in_window: bool = False, **kwargs: Any) -> AdminPage:
        """A new admin page on this kiosk (a second one: as after a restart of the app).
        in_window: it goes into a MainWindow (window_with), which then owns it."""
        page = AdminPage(
            runner=self.runner,
            settings=self.holder,
            data_dir=self.data_dir,
            clock=self.clock,
            on_enrolled=lambda: self.enrolled.append(True),
            **kwargs,
        )
        self.pages.append(page)
        if in_window:
            return page
        self.qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        self.qtbot.waitUntil(lambda: page.pin_screen.ready, timeout=WAIT_MS)
        return page

    def at(self, day: dt.date, hh: int, mm: int = 0) -> None:
        target = local(day, hh, mm)
        assert target >= self.clock.utc
        self.clock.advance((target - self.clock.utc).total_seconds())

    def scan(self, payload: str, mode: str) -> None:
        """A scan recorded through the gate thread (as the camera's would be)."""
        outcome = self.runner.call(lambda g: g.scan(payload, mode=mode)).result(timeout=10)
        assert outcome.event_id is not None

    def on_gate(self, fn: Callable[[Gate], Any]) -> Any:
        return self.runner.call(fn).result(timeout=10)


def make_site(qtbot: Any, root: Path, *, pin: str | None) -> Site:
    settings = Settings(
        duplicate_window_s=0,
        auto_checkout_time="03:00",
        language="en",
        admin_pin_hash=hash_pin(pin) if pin else "",
    )
    clock = FakeClock(local(DAY - dt.timedelta(days=1), 20))
    gate = Gate.open(root / "data", settings, clock)
    runner = GateRunner(gate)
    holder = SettingsHolder(settings, root / "kiosk.toml")
    holder.changed.connect(runner.update_settings)  # as the app does
    return Site(root, clock, gate, runner, holder, qtbot)


@pytest.fixture
def site(qtbot: Any, tmp_path: Path) -> Iterator[Site]:
    s = make_site(qtbot, tmp_path, pin=PIN)
    yield s
    for page in s.pages:
        if shiboken6.isValid(page):  # a window that owned it may have deleted it already
            page.hide()
            page.background.shutdown()
    s.runner.shutdown()


def settle(site: Site, page: AdminPage) -> None:
    """Everything the page sent to other threads has come back and been shown."""
    site.qtbot.waitUntil(lambda: page.background.pending == 0, timeout=WAIT_MS)


def tap_pin(site: Site, page: AdminPage, pin: str) -> None:
    """The PIN on the touch pad, then OK; waits for the answer."""
    pad = page.pin_screen.pad
    for digit in pin:
        pad.keys[digit].click()
    pad.keys["OK"].click()
    settle(site, page)


def type_pin(site: Site, page: AdminPage, pin: str) -> None:
    """The PIN on a keyboard, then Enter; waits for the answer."""
    pad = page.pin_screen.pad
    for digit in pin:
        site.qtbot.keyClick(pad, digit)
    site.qtbot.keyClick(pad, Qt.Key.Key_Return)
    settle(site, page)


def unlocked_page(site: Site, **kwargs: Any) -> AdminPage:
    page = site.page(**kwargs)
    tap_pin(site, page, PIN)
    assert page.unlocked
    settle(site, page)
    return page


def busy_day(site: Site) -> None:
    """A in the evening before, still inside at midnight, out at the 03:00 auto-checkout; on the
    day B in at 08:00, A again at 09:00, B out at 10:00; C from 14:00 to 15:00 (met nobody)."""
    before = DAY - dt.timedelta(days=1)
    site.at(before, 21)
    site.scan(A, "in")
    site.at(DAY, 8)
    site.scan(B, "in")  # the 03:00 auto-checkout runs first
    site.at(DAY, 9)
    site.scan(A, "in")
    site.at(DAY, 10)
    site.scan(B, "out")
    site.at(DAY, 11)
    site.scan(A, "out")
    site.at(DAY, 14)
    site.scan(C, "in")
    site.at(DAY, 15)
    site.scan(C, "out")
    site.at(DAY, 17)


# -- the PIN ----------------------------------------------------------------------------------


def test_the_first_visitor_cannot_set_the_pin_the_console_does(qtbot: Any, tmp_path: Path) -> None:
    """Issue #13: on a kiosk installed without a PIN, the admin screen only says how to set one
    (`kiosk set-pin` on the console); nothing typed on the screen sets a PIN or opens it. Once
    the site manager has set one with the real command, the same screen asks for it."""
    site = make_site(qtbot, tmp_path, pin=None)
    try:
        page = site.page()
        screen = page.pin_screen
        assert screen.mode == "unset" and "sudo kiosk set-pin" in screen.prompt.text()
        assert screen.pad.isHidden() and screen.pad.display.isHidden()
        # A visitor at the keyboard (or a USB keyboard plugged in) types a PIN twice: nothing.
        for _ in range(2):
            for digit in "111111":
                site.qtbot.keyClick(screen.pad, digit)
            site.qtbot.keyClick(screen.pad, Qt.Key.Key_Return)
            screen.pad.submit()
            settle(site, page)
        assert not page.unlocked and screen.mode == "unset"
        assert site.holder.current().admin_pin_hash == ""
        assert not site.config.exists() or load_settings(site.config).admin_pin_hash == ""

        # The site manager sets the PIN on the console (the real command, on the same file).
        env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data")}
        short = subprocess.run(
            [sys.executable, "-m", "kiosk", "--config", str(site.config), "set-pin", "--stdin"],
            input="1234\n", capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert short.returncode == 2 and "6 to 8 digits" in short.stderr
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "--config", str(site.config), "set-pin", "--stdin"],
            input=PIN + "\n", capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        stored = load_settings(site.config).admin_pin_hash
        assert stored.startswith("scrypt6$65536$8$1$") and verify_pin(PIN, stored)

        page.lock()  # the screen shown again looks at the settings file again
        assert screen.mode == "verify" and screen.prompt.text() == "Enter the PIN"
        assert not screen.pad.isHidden()
        tap_pin(site, page, "111111")
        assert not page.unlocked and screen.message.text() == "Wrong PIN"
        tap_pin(site, page, PIN)
        assert page.unlocked
    finally:
        for page in site.pages:
            page.hide()
        site.runner.shutdown()


def test_the_right_pin_by_keyboard_opens_the_reports(site: Site) -> None:
    page = site.page()
    assert not page.unlocked and page.stack.currentWidget() is page.pin_screen
    type_pin(site, page, PIN)
    assert page.unlocked and page.stack.currentWidget() is page.unlocked_view
    assert page.current_panel == "reports"


def test_wrong_pins_are_refused_then_locked_even_across_a_restart(site: Site) -> None:
    page = site.page()
    screen = page.pin_screen
    for _ in range(4):
        tap_pin(site, page, "1111")
        assert screen.message.text() == "Wrong PIN" and not page.unlocked
    tap_pin(site, page, "1111")
    assert screen.message.text() == "Locked for 5 minutes"
    tap_pin(site, page, PIN)  # the right PIN, but locked: not even checked
    assert not page.unlocked and screen.message.text() == "Locked for 5 minutes"
    assert "lock_s" in site.on_gate(lambda g: g.store.get_meta(LOCKOUT_META_KEY))

    # The app restarts (a new page reads the state from the store); time goes on.
    site.clock.advance(60)
    again = site.page()
    assert again.pin_screen.message.text() == "Locked for 4 minutes"
    tap_pin(site, again, PIN)
    assert not again.unlocked
    site.clock.advance(240)
    tap_pin(site, again, PIN)
    assert again.unlocked


def test_a_code_scanned_into_the_pin_pad_is_not_a_wrong_pin(site: Site) -> None:
    page = site.page()
    pad = page.pin_screen.pad
    site.qtbot.keyClicks(pad, "001099012345|NGUYEN VAN AN|1990")  # a USB scanner's keystrokes
    site.qtbot.keyClick(pad, Qt.Key.Key_Return)
    settle(site, page)
    assert pad.digits == "" and page.pin_screen.message.text() == ""
    assert site.on_gate(lambda g: g.store.get_meta(LOCKOUT_META_KEY)) is None  # nothing counted
    type_pin(site, page, PIN)
    assert page.unlocked


def test_each_further_lockout_lasts_twice_as_long(site: Site) -> None:
    page = site.page()
    for _ in range(5):
        tap_pin(site, page, "9999")
    site.clock.advance(300)
    for _ in range(5):
        tap_pin(site, page, "9999")
    assert page.pin_screen.message.text() == "Locked for 10 minutes"


def test_change_pin_from_the_settings(site: Site) -> None:
    page = unlocked_page(site)
    page.show_panel("settings")
    page.settings_panel.pin_button.click()
    assert page.stack.currentWidget() is page.pin_screen and page.pin_screen.mode == "new"
    tap_pin(site, page, "13579")  # 5 digits: too short now
    assert page.pin_screen.message.text() == "A PIN is 6 to 8 digits"
    tap_pin(site, page, "1357924")
    tap_pin(site, page, "1357924")
    assert page.unlocked and page.current_panel == "settings"
    assert page.settings_panel.message.text() == "The new PIN is saved"
    assert verify_pin("1357924", site.holder.current().admin_pin_hash)


# -- settings ---------------------------------------------------------------------------------


def test_a_settings_change_is_applied_and_saved(site: Site) -> None:
    page = unlocked_page(site)
    page.menu_buttons["settings"].click()
    panel = page.settings_panel
    for _ in range(5):
        panel.capacity.plus.click()  # steps of 10
    panel.gate_mode.buttons["in"].click()
    panel.kinds["bhyt"].click()
    panel.auto_checkout.setText("")  # off
    panel.save_button.click()
    assert panel.message.text() == "Saved and applied"
    now = site.holder.current()
    assert (now.capacity, now.gate_mode, now.auto_checkout_time) == (50, "in", "")
    assert "bhyt" not in now.accepted_kinds and "cccd" in now.accepted_kinds
    assert load_settings(site.config) == now  # saved, whole
    # Applied without a restart: the gate decides with the new settings.
    assert site.on_gate(lambda g: (g.settings.capacity, g.settings.gate_mode)) == (50, "in")


def test_an_invalid_setting_is_shown_and_changes_nothing(site: Site) -> None:
    page = unlocked_page(site)
    page.show_panel("settings")
    panel = page.settings_panel
    before = site.holder.current()
    panel.capacity.plus.click()
    panel.auto_checkout.setText("25:99")
    panel.save_button.click()
    text = panel.message.text()
    assert text.startswith("Not saved: Automatic checkout time: '25:99'"), text
    assert "HH:MM" in text
    assert panel.auto_checkout.property("invalid") == "true"
    assert site.holder.current() == before
    assert not site.config.exists()  # nothing written
    panel.source.setCurrentText("webcam")
    panel.auto_checkout.setText("03:00")
    panel.save_button.click()
    assert "Camera / source" in panel.message.text()
    assert panel.source.property("invalid") == "true"
    assert panel.auto_checkout.property("invalid") == "false"
    assert site.holder.current() == before


# -- reports ----------------------------------------------------------------------------------


def test_the_report_of_a_day(site: Site) -> None:
    busy_day(site)
    page = unlocked_page(site)
    panel = page.reports_panel
    assert panel.report is not None and panel.report.day == DAY  # today, by default
    numbers = {key: value.text() for key, (_name, value) in panel.numbers.items()}
    assert numbers == {"entries": "3", "exits": "4", "peak": "2 at 09:00", "at_start": "1"}
    assert panel.numbers["exits"][0].text() == "Exits · 1 automatic"
    rows = {
        panel.kinds.item(r, 0).text(): [panel.kinds.item(r, c).text() for c in range(1, 5)]
        for r in range(panel.kinds.rowCount())
    }
    assert rows == {
        "Personal QR": ["1", "2", "0", "0"],
        "CCCD": ["1", "1", "0", "0"],
        "BHYT": ["1", "1", "0", "0"],
    }
    hours = {h.label: (h.entries, h.exits) for h in panel.chart.hours}
    assert hours["03"] == (0, 1) and hours["08"] == (1, 0) and hours["14"] == (1, 0)
    assert sum(e for e, _ in hours.values()) == 3

    panel.day.previous.click()  # the day before: A came in at 21:00
    site.qtbot.waitUntil(lambda: panel.report is not None and panel.report.day < DAY)
    assert panel.numbers["entries"][1].text() == "1"
    assert panel.numbers["peak"][1].text() == "1 at 21:00"
    panel.day.field.setText("25/11/2026")  # typed, the Vietnamese way
    panel.day.field.editingFinished.emit()
    site.qtbot.waitUntil(lambda: panel.report is not None and panel.report.day == DAY)


def test_export_of_the_day_writes_the_kiosk_export_file(site: Site, tmp_path: Path) -> None:
    busy_day(site)
    page = unlocked_page(site)
    panel = page.reports_panel
    assert panel.folder.folder() == site.data_dir / "exports"
    panel.export_button.click()
    settle(site, page)
    out = site.data_dir / "exports" / f"kiosk-demo-checkpoint-{DAY.isoformat()}.csv"
    # Said in the page's words, and the numbers are the page's: 3 entries, 4 exits.
    assert panel.message.text() == (
        f"7 records exported: 3 entries, 4 exits, 0 referred, 0 refused. File: {out}"
    )
    assert (panel.numbers["entries"][1].text(), panel.numbers["exits"][1].text()) == ("3", "4")
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EVENT_CSV_FIELDS
    assert [(r["direction"], r["reason"]) for r in rows][:2] == [
        ("out", "auto_checkout"),
        ("in", "entry"),
    ]
    assert rows[1]["display_name"] == "T. T. B. Ngọc"

    # A folder typed by hand (a USB stick's): used as it is; one that does not exist: refused.
    stick = tmp_path / "USB STICK"
    panel.folder.path.setText(str(tmp_path / "nowhere"))
    panel.export_button.click()
    assert panel.message.text().startswith("Not exported: No such folder")
    stick.mkdir()
    panel.folder.path.setText(str(stick))
    panel.export_button.click()
    settle(site, page)
    assert (stick / out.name).read_bytes() == out.read_bytes()


def test_export_of_a_range_of_days(site: Site) -> None:
    busy_day(site)
    page = unlocked_page(site)
    panel = page.reports_panel
    before = DAY - dt.timedelta(days=1)
    assert (panel.export_from.text(), panel.export_to.text()) == (DAY.isoformat(),) * 2
    panel.export_from.setText(before.strftime("%d/%m/%Y"))  # typed the Vietnamese way
    panel.export_button.click()
    settle(site, page)
    name = f"kiosk-demo-checkpoint-{before.isoformat()}_{DAY.isoformat()}.csv"
    out = site.data_dir / "exports" / name
    # The evening before adds A's entry at 21:00.
    assert panel.message.text() == (
        f"8 records exported: 4 entries, 4 exits, 0 referred, 0 refused. File: {out}"
    )
    with out.open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 8

    panel.export_to.setText(before.isoformat())
    panel.export_from.setText(DAY.isoformat())
    panel.export_button.click()  # backwards: refused, said, nothing written
    assert panel.message.text() == "The end of the period is before its start"
    assert panel.export_to.property("invalid") == "true"
    panel.day.previous.click()  # another day shown: the export follows it
    assert panel.export_from.text() == panel.export_to.text() == before.isoformat()


def test_find_usb_says_what_it_found(site: Site, tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "kiosk").mkdir(parents=True)
    page = unlocked_page(site, media_patterns=[f"{media}/*/*"])
    folder = page.reports_panel.folder
    assert not folder.found.isVisible()
    folder.refresh_button.click()  # nothing plugged in: said, not silence
    assert folder.found.isVisible()
    assert folder.found.text() == (
        "No USB stick found. Plug one in, wait a few seconds, tap Find USB again"
    )
    with tmpfs(media / "kiosk" / "KINGSTON", "1m") as stick:
        folder.refresh_button.click()
        assert folder.found.text() == "USB found: KINGSTON. The export goes there"
        assert folder.folder() == stick  # chosen for the export
    folder.refresh_button.click()
    assert folder.found.text().startswith("No USB stick found")


# -- contact tracing --------------------------------------------------------------------------


def test_tracing_finds_who_was_inside_at_the_same_time(site: Site) -> None:
    busy_day(site)
    page = unlocked_page(site)
    page.menu_buttons["tracing"].click()
    panel = page.trace_panel
    assert panel.margin.value() == 15
    panel.code.setText(B)  # as a hardware scanner types it: the code, then Enter
    site.qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    settle(site, page)
    assert panel.result is not None and panel.code.text() == ""  # the code is not kept
    assert panel.results.rowCount() == 1
    row = [panel.results.item(0, c).text() for c in range(5)]
    # A's second stay (the first was closed at 03:00): together from 09:00 to B's exit at 10:00.
    assert row == ["25/11 09:00", "25/11 11:00", "N. V. AN", "Personal QR code", "60"]
    assert panel.summary.text().startswith("1 people present at the same time as id2:")

    # The ID number typed by hand finds the same; C met nobody, not even within the margin.
    panel.code.setText("079199012345")
    panel.search_button.click()
    settle(site, page)
    assert panel.results.rowCount() == 1
    panel.code.setText(C)
    panel.search_button.click()
    settle(site, page)
    assert panel.results.rowCount() == 0
    panel.margin.setValue(4 * 60)  # with a 4-hour margin C's stay reaches A's and B's
    panel.search_button.click()  # the field is empty: the same person again
    settle(site, page)
    assert panel.results.rowCount() == 2

    panel.code.setText(PAYLOAD["venue code"])
    panel.search_button.click()
    settle(site, page)
    assert "not a personal code" in panel.message.text()


def test_tracing_export_and_period(site: Site) -> None:
    busy_day(site)
    page = unlocked_page(site)
    page.show_panel("tracing")
    panel = page.trace_panel
    panel.code.setText(A)
    panel.search_button.click()
    settle(site, page)
    assert panel.results.rowCount() == 1
    panel.export_button.click()
    settle(site, page)
    [out] = (site.data_dir / "exports").glob("trace-*.csv")
    assert panel.message.text() == f"1 records written to {out}"
    with out.open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["display_name"], row["kind"], row["minutes_together"]) == (
        "T. T. B. Ngọc",
        "cccd",
        "60",
    )
    # A period that ends before the day: nobody.
    panel.date_to.setText("2026-11-23")
    panel.search_button.click()
    settle(site, page)
    assert panel.results.rowCount() == 0
    panel.date_from.setText("2026-11-30")
    panel.search_button.click()
    assert panel.message.text() == "The end of the period is before its start"


# -- leaving ----------------------------------------------------------------------------------


def window_with(site: Site, page: AdminPage) -> MainWindow:
    window = MainWindow(
        runner=site.runner,
        settings=site.holder.current,
        clock=site.clock,
        sounds=Sounds(enabled=False),
        demo=True,
        admin_page=page,
    )
    site.qtbot.addWidget(window)
    page.closed.connect(window.show_scan_page)
    window.resize(1280, 800)
    window.show()
    site.qtbot.waitUntil(lambda: page.pin_screen.ready, timeout=WAIT_MS)
    return window


def test_lock_returns_to_the_scan_page_and_the_pin_is_asked_again(site: Site) -> None:
    page = site.page(in_window=True)
    window = window_with(site, page)
    window.show_admin()
    tap_pin(site, page, PIN)
    assert page.unlocked
    page.show_panel("tracing")
    page.trace_panel.code.setText("079199012345")
    with site.qtbot.waitSignal(page.closed, timeout=WAIT_MS):
        page.lock_button.click()
    assert window.pages.currentWidget() is window.scan_page
    assert not page.unlocked and page.trace_panel.code.text() == ""
    window.show_admin()
    assert page.stack.currentWidget() is page.pin_screen
    assert page.pin_screen.prompt.text() == "Enter the PIN"


def test_leaving_the_page_any_other_way_locks_it_too(site: Site) -> None:
    page = site.page(in_window=True)
    window = window_with(site, page)
    window.show_admin()
    tap_pin(site, page, PIN)
    window.show_scan_page()  # e.g. the out-of-service panel, then back
    window.show_admin()
    assert not page.unlocked


def test_left_idle_it_locks_and_goes_back_to_scanning(site: Site) -> None:
    # Longer than checking the PIN (scrypt with 64 MiB, up to a second on a busy machine):
    # the screen must first open, then lock by itself.
    page = site.page(in_window=True, auto_lock_ms=3000)
    window = window_with(site, page)
    window.show_admin()
    tap_pin(site, page, PIN)
    assert page.unlocked
    with site.qtbot.waitSignal(page.closed, timeout=WAIT_MS):
        pass  # nobody touches the screen
    assert not page.unlocked
    assert window.pages.currentWidget() is window.scan_page


def test_quit_needs_a_second_tap(site: Site) -> None:
    page = unlocked_page(site)
    with site.qtbot.assertNotEmitted(page.quit_requested):
        page.quit_button.click()
    assert page.quit_button.text() == "Tap again to quit"
    with site.qtbot.waitSignal(page.quit_requested, timeout=WAIT_MS):
        page.quit_button.click()


def test_quit_disarms_by_itself(site: Site) -> None:
    page = unlocked_page(site)
    page.quit_button.click()
    site.qtbot.waitUntil(lambda: page.quit_button.text() == "Quit the kiosk", timeout=WAIT_MS)
    with site.qtbot.assertNotEmitted(page.quit_requested):
        page.quit_button.click()


# -- this device: enrollment ------------------------------------------------------------------


def test_enrollment_with_the_real_server(site: Site, tmp_path: Path) -> None:
    from tests.authority import ROOT_FINGERPRINT, ROOT_TEXT, set_up_authority_at
    from tests.central.test_live import run_cli, start_server

    page = unlocked_page(site)
    page.menu_buttons["device"].click()
    panel = page.device_panel
    settle(site, page)
    device_id = site.on_gate(lambda g: g.store.device_id)
    assert panel.values["device"].text() == device_id
    assert panel.values["server"].text() == "Not enrolled: the kiosk works offline"
    old_secret = DataDir(site.data_dir).person_secret()

    assert panel.values["authority"].text() == "None pinned: nothing downloaded is believed"

    db = tmp_path / "central.db"
    set_up_authority_at(db)
    with start_server(db) as server:
        panel.url.setText(server.url)
        panel.code.setText("WRONG-CODE-123")
        panel.enroll_button.click()
        # No key pinned: the server's is shown first, for the site manager to compare.
        site.qtbot.waitUntil(lambda: panel.confirm_button.isVisible(), timeout=WAIT_MS * 2)
        assert ROOT_FINGERPRINT in panel.fingerprint.text()
        panel.cancel_button.click()
        assert not panel.enrolling and "not the authority's" in panel.message.text()
        assert site.holder.current().authority_signing_key == ""
        panel.enroll_button.click()
        site.qtbot.waitUntil(lambda: panel.confirm_button.isVisible(), timeout=WAIT_MS * 2)
        panel.confirm_button.click()
        site.qtbot.waitUntil(lambda: not panel.enrolling, timeout=WAIT_MS * 2)
        assert "refused" in panel.message.text(), panel.message.text()
        assert site.enrolled == [] and site.holder.current().server_url == ""

        made = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành - cổng 2")
        assert made.returncode == 0, made.stderr
        panel.code.setText(made.stdout.strip())
        panel.enroll_button.click()
        site.qtbot.waitUntil(lambda: panel.confirm_button.isVisible(), timeout=WAIT_MS * 2)
        panel.confirm_button.click()
        site.qtbot.waitUntil(lambda: not panel.enrolling, timeout=WAIT_MS * 2)
    assert panel.message.text() == "Enrolled as checkpoint Chợ Bến Thành - cổng 2"
    now = site.holder.current()
    assert now.authority_signing_key == ROOT_TEXT  # pinned after the comparison
    assert now.server_url == server.url and now.checkpoint_name == "Chợ Bến Thành - cổng 2"
    assert now.admin_pin_hash  # the local settings stayed
    assert load_settings(site.config) == now
    assert site.enrolled == [True]
    # The gate keys people with the deployment's secret from now on.
    new_secret = DataDir(site.data_dir).person_secret()
    assert new_secret != old_secret
    probe = Identity("id", "079199012345")
    assert site.on_gate(lambda g: g.keyer.key(probe)) == PersonKeyer(new_secret).key(probe)
    settle(site, page)
    assert panel.values["server"].text() == server.url
    assert panel.values["authority"].text() == ROOT_FINGERPRINT


def test_enrollment_needs_an_address_and_a_code(site: Site) -> None:
    page = unlocked_page(site)
    page.show_panel("device")
    panel = page.device_panel
    panel.url.setText("not a url")
    panel.code.setText("x")
    panel.enroll_button.click()
    assert panel.message.text().startswith("Not a server address")
    panel.url.setText("http://127.0.0.1:9")
    panel.code.setText("")
    panel.enroll_button.click()
    assert panel.message.text() == "Enter the server address and the enrollment code"
    assert not panel.enrolling


def test_the_consoles_enrollment_qr_fills_the_form_from_the_camera_and_records_nobody(
    site: Site,
) -> None:
    from checkpoint_common.enrollqr import make_invite
    from kiosk.scanner.types import CodeScanned

    page = site.page(in_window=True)
    window = window_with(site, page)
    window.show_admin()
    tap_pin(site, page, PIN)
    invite = make_invite("https://kiemdich.kiengiang.gov.vn", "7KQ4-M2XD-9TPA").encode()
    recorded = site.on_gate(lambda g: g.store.outbox_count())
    # Another admin page: the code is a visitor's like any other (recorded, and answered).
    page.show_panel("reports")
    with site.qtbot.waitSignal(site.runner.scanned, timeout=WAIT_MS):
        window.on_code_scanned(CodeScanned(invite, "camera", 0, 0))
    assert site.on_gate(lambda g: g.store.outbox_count()) == recorded + 1
    # The device page: the form is filled, nothing is recorded, and enrolling waits for a tap.
    page.show_panel("device")
    panel = page.device_panel
    with site.qtbot.assertNotEmitted(site.runner.scanned, wait=300):
        window.on_code_scanned(CodeScanned(invite, "camera", 0, 0))
    assert panel.url.text() == "https://kiemdich.kiengiang.gov.vn"
    assert panel.code.text() == "7KQ4-M2XD-9TPA"
    assert panel.message.text() == (
        "Read from the QR code. Check the server address, then tap “Enroll this device”."
    )
    assert not panel.enrolling
    assert site.on_gate(lambda g: g.store.outbox_count()) == recorded + 1
    # Any other code on that page is still a visitor's.
    with site.qtbot.waitSignal(site.runner.scanned, timeout=WAIT_MS):
        window.on_code_scanned(CodeScanned(PAYLOAD["CCCD"].encode(), "camera", 0, 0))


def test_a_hand_scanner_types_the_enrollment_qr_into_the_form(site: Site) -> None:
    from checkpoint_common.enrollqr import make_invite

    page = unlocked_page(site)
    page.show_panel("device")
    panel = page.device_panel
    panel.code.setFocus()
    invite = make_invite("http://127.0.0.1:8000", "ABCD-EFGH-JKMN")
    # The scanner's keystrokes land in the focused field, then its Enter.
    site.qtbot.keyClicks(panel.code, invite)
    site.qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    assert (panel.url.text(), panel.code.text()) == ("http://127.0.0.1:8000", "ABCD-EFGH-JKMN")
    assert not panel.enrolling  # the scanner's Enter does not enroll unseen
    assert panel.message.text().startswith("Read from the QR code.")
