"""The web console in a real browser (Debian's chromium, driven by Playwright) against the real
server (`kiosk-central serve` on 127.0.0.1), on both database engines, with kiosks enrolled
against it that scan, sync, and receive the status list.

The figure the project is judged by: a health officer with a browser and a case's CCCD number
gets the exported call list of that person's contacts for the last 14 days in under a minute
(`test_a_health_officer_traces_a_cccd_number_end_to_end`, printed and asserted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import FakeClock
from kiosk.config import Settings, save_settings
from kiosk.events import Direction, Verdict
from kiosk.gate import Gate, ManualEntry
from kiosk.sync.service import SyncService, enroll
from tests.authority import ROOT, ROOT_TEXT
from tests.browser import chromium, chromium_path
from tests.central.test_live import Server, central_command, db_option, run_cli, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium is not installed (scripts/test installs it)"
)

PASSWORD = "mật khẩu đủ dài 2026"
CASE_CCCD = "079199012345"
CASE_CODE = (
    f"{CASE_CCCD}|212345678|Trần Thị Bích Ngọc|15081999|Nữ|"
    "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh|20042021"
)
CONTACT_QR = (
    "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|<1<DN4010123456789<0912345678"
)
STRANGER_QR = "001088000111|LE THI MAI|1988-01-01|0|163000000000077777|<2<<0988000111"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def add_user(db: Path | str, name: str, role: str, *checkpoints: str) -> None:
    options = [x for c in checkpoints for x in ("--checkpoint", c)]
    done = subprocess.run(
        [
            *central_command(),
            *("user", "add", name, "--role", role, *options, "--password-stdin"),
            *db_option(db),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


class SiteKiosk:
    """A kiosk as deployed at a site: enrolled with a code, its own clock, gate and sync."""

    def __init__(
        self, root: Path, server: Server, db: Path | str, checkpoint: str, hours_ago: float = 3
    ) -> None:
        self.data = root / "data"
        # Started in the past: its scans happen then, and it syncs "now".
        self.clock = FakeClock(dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago))
        settings = Settings(
            duplicate_window_s=0, auto_checkout_time="", authority_signing_key=ROOT_TEXT
        )
        gate = Gate.open(self.data, settings, self.clock)
        device_id = gate.store.device_id
        gate.close()
        made = run_cli(db, "enrollment-code", "--checkpoint", checkpoint)
        assert made.returncode == 0, made.stderr
        settings, _ = enroll(
            data_dir=self.data,
            settings=settings,
            url=server.url,
            code=made.stdout.strip(),
            device_id=device_id,
            device_name=f"cổng {checkpoint[:8]}",
        )
        save_settings(settings, root / "kiosk.toml")
        # Opened again: the deployment's person-key secret replaced the kiosk's own.
        self.gate = Gate.open(self.data, settings, self.clock)
        self.checkpoint_id = settings.checkpoint_id
        self.service = SyncService(
            data_dir=self.data,
            settings=lambda: self.gate.settings,
            run_store=lambda fn: fn(self.gate.store),
            clock=self.clock,
            on_settings=self.gate.update_settings,
            on_status_list=self.gate.refresh_status_list_info,
            is_demo=lambda: self.gate.demo,
        )
        # As `kiosk enroll` does: one round at once, which brings the root-signed sealing key
        # (before it a scan would keep its clear fields only).
        self.service.run_once()
        assert self.gate.keeps_personal_data

    def at(self, minutes: float) -> None:
        """Move the kiosk's clock to `minutes` after its start."""
        target = self.start + dt.timedelta(minutes=minutes)
        self.clock.advance((target - self.clock.now().utc).total_seconds())

    @property
    def start(self) -> dt.datetime:
        return self._start

    def begin(self) -> None:
        self._start = self.clock.now().utc

    def scan(self, code: str) -> Any:
        outcome = self.gate.scan(code)
        assert outcome.event_id, outcome.decision
        return outcome

    def sync(self) -> None:
        """Catch the clock up with real time, then deliver everything and fetch the lists."""
        now = dt.datetime.now(dt.UTC)
        if now > self.clock.now().utc:
            self.clock.advance((now - self.clock.now().utc).total_seconds())
        for _ in range(10):
            report = self.service.run_once()
            if report.remaining == 0:
                return
        pytest.fail("the kiosk did not deliver its records")

    def close(self) -> None:
        self.gate.close()


@pytest.fixture
def live(db: Path | str) -> Iterator[Server]:
    with start_server(db) as server:
        yield server


def login(page: Page, server: Server, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{server.url}/console/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_login_lockout_and_logout(browser: Browser, live: Server, db: Path | str) -> None:
    add_user(db, "lan", "health-officer")
    page = browser.new_page()
    # Vietnamese first.
    page.goto(f"{live.url}/console/")
    assert page.url.endswith("/console/login")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    for attempt in range(4):
        login(page, live, "lan", "not the password")
        assert "Sai tên đăng nhập hoặc mật khẩu." in page.inner_text("#login-error"), attempt
    login(page, live, "lan", "not the password")
    assert "tạm khóa" in page.inner_text("#login-error")
    # Locked: even the right password is refused now.
    login(page, live, "lan")
    assert "tạm khóa" in page.inner_text("#login-error")
    assert "/console/login" in page.url
    # An unknown name gets the same answer as a wrong password.
    login(page, live, "nobody-here", "whatever it is")
    assert "Sai tên đăng nhập hoặc mật khẩu." in page.inner_text("#login-error")
    # The administrator resets the password: the lock is lifted.
    done = subprocess.run(
        [*central_command(), "user", "password", "lan", "--password-stdin", *db_option(db)],
        input="một mật khẩu mới dài\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    login(page, live, "lan", "một mật khẩu mới dài")
    assert page.url.endswith("/console/trace")
    cookie = next(c for c in page.context.cookies() if c["name"] == "kc_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    page.click("text=Đăng xuất")
    assert page.url.endswith("/console/login")
    page.goto(f"{live.url}/console/trace")
    assert page.url.endswith("/console/login")
    audit = run_cli(db, "stats")
    assert audit.returncode == 0
    page.close()


def test_a_health_officer_traces_a_cccd_number_end_to_end(
    browser: Browser, live: Server, db: Path | str, tmp_path: Path
) -> None:
    market = SiteKiosk(tmp_path / "market", live, db, "Chợ Bến Thành - cổng 2")
    clinic = SiteKiosk(tmp_path / "clinic", live, db, "Phòng khám Quận 1")
    # Server-side setting for the market: no nightly auto-checkout (the test may run across
    # 03:00 in Vietnam; someone still inside must stay "still inside").
    for kiosk in (market, clinic):
        set_off = run_cli(
            db, "checkpoint-settings", "--checkpoint", kiosk.checkpoint_id, "auto_checkout_time="
        )
        assert set_off.returncode == 0, set_off.stderr
        kiosk.begin()
    add_user(db, "lan", "health-officer")
    # The market: the case 0-40 min, a contact 5-50 min, a manual entry from 10 min still
    # inside, a stranger long after (outside the margin). The clinic: the case alone.
    market.at(0)
    assert market.scan(CASE_CODE).decision.direction == Direction.IN
    market.at(5)
    market.scan(CONTACT_QR)
    market.at(10)
    market.gate.record_manual(ManualEntry(full_name="Lê Văn Tám", phone="0903 111 222"))
    market.at(40)
    assert market.scan(CASE_CODE).decision.direction == Direction.OUT
    market.at(50)
    market.scan(CONTACT_QR)
    market.at(100)
    market.scan(STRANGER_QR)
    market.at(105)
    market.scan(STRANGER_QR)
    clinic.at(120)
    clinic.scan(CASE_CODE)
    clinic.at(130)
    clinic.scan(CASE_CODE)
    market.sync()
    clinic.sync()

    page = browser.new_page(accept_downloads=True)
    started = time.monotonic()
    login(page, live, "lan")
    page.fill("input[name=person]", CASE_CCCD)
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#summary")
    # The ID number went by POST: it is in no address the browser visited.
    assert CASE_CCCD not in page.url
    text = page.inner_text("main")
    assert "2 người tiếp xúc · 2 lượt đến" in text
    visits = page.locator("section.visit")
    assert visits.count() == 2
    first = visits.nth(0).inner_text()
    assert "Chợ Bến Thành - cổng 2" in first and "Phòng khám Quận 1" in visits.nth(1).inner_text()
    assert "Nobody" not in first and "Không có ai khác" in visits.nth(1).inner_text()
    rows = visits.nth(0).locator("table.contacts tbody tr")
    assert rows.count() == 2
    contact = rows.nth(0).inner_text()
    manual = rows.nth(1).inner_text()
    # Revealed from the sealed data: full name, ID number, phone.
    assert "NGUYEN VAN AN" in contact and "0912 345 678" in contact and "001 099 012 345" in contact
    # Together 5-40 min = 35 min; the manual entry is still inside: 10-40 min = 30, never 0.
    assert "\t35" in contact
    assert "Lê Văn Tám" in manual and "0903 111 222" in manual
    assert "vẫn đang ở bên trong" in manual and "\t30" in manual
    assert "LE THI MAI" not in text
    # One click: the call list.
    with page.expect_download() as download_info:
        page.click("#export")
    download = download_info.value
    saved = tmp_path / "contacts.csv"
    download.save_as(saved)
    elapsed = time.monotonic() - started
    print(f"\nbrowser: login to exported call list in {elapsed:.1f} s")
    assert elapsed < 60
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Vietnamese right
    exported = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["full_name"] for r in exported] == ["NGUYEN VAN AN", "Lê Văn Tám"]
    assert exported[0]["phone"] == "0912 345 678"
    assert exported[0]["checkpoint"] == "Chợ Bến Thành - cổng 2"
    assert exported[0]["together_min"] == "35"

    # Mark the first contact red; the market kiosk refuses them after its next sync.
    before = market.scan(CONTACT_QR).decision
    assert (before.direction, before.verdict) == (Direction.IN, Verdict.ADMIT)
    market.clock.advance(60)
    assert market.scan(CONTACT_QR).decision.direction == Direction.OUT
    rows.nth(0).locator("input[type=checkbox]").check()
    page.select_option("select[name=colour]", "red")
    page.click("#mark")
    assert "Đã đánh dấu 1 người màu đỏ" in page.inner_text("#notice")
    market.sync()
    market.clock.advance(60)
    after = market.scan(CONTACT_QR).decision
    assert (after.direction, after.verdict) == (Direction.IN, Verdict.DENY)

    # Nothing personal in the server's log (access log included): no ID number, name, phone.
    log = live.log_text()
    assert "POST /console/trace" in log
    for secret in (CASE_CCCD, "NGUYEN VAN AN", "0912345678", "Lê Văn Tám", "Trần Thị"):
        assert secret not in log, secret
    page.close()
    market.close()
    clinic.close()


def test_an_unknown_identifier_is_answered_plainly_in_both_languages(
    browser: Browser, live: Server, db: Path | str
) -> None:
    add_user(db, "lan", "health-officer")
    page = browser.new_page()
    login(page, live, "lan")
    page.fill("input[name=person]", "001203099999")
    page.click("form.trace-form button[type=submit]")
    assert "Không có dữ liệu của người này" in page.inner_text("#no-record")
    assert page.locator("table.contacts").count() == 0
    page.click("a[lang=en]")
    page.fill("input[name=person]", "0987654321")
    page.click("form.trace-form button[type=submit]")
    assert "No record of this person in the period" in page.inner_text("#no-record")
    assert "phone" in page.inner_text("main")
    page.close()


def test_a_site_manager_sees_only_their_site_and_nothing_unmasked(
    browser: Browser, live: Server, db: Path | str, tmp_path: Path
) -> None:
    mine = SiteKiosk(tmp_path / "mine", live, db, "Siêu thị Co.op Quận 3", hours_ago=0.2)
    theirs = SiteKiosk(tmp_path / "theirs", live, db, "Bệnh viện Bạch Mai")
    mine.begin()
    mine.at(1)
    mine.scan(CONTACT_QR)
    mine.at(2)
    mine.scan(CASE_CODE)
    mine.sync()
    add_user(db, "minh", "site-manager", mine.checkpoint_id)
    page = browser.new_page()
    login(page, live, "minh")
    assert page.url.endswith("/console/sites")
    listing = page.inner_text("main")
    assert "Siêu thị Co.op Quận 3" in listing and "Bạch Mai" not in listing
    page.click("text=Siêu thị Co.op Quận 3")
    # The day the scans were made (the test may run across midnight in Vietnam).
    day = (mine.start + dt.timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    page.goto(f"{page.url}?day={day.date().isoformat()}")
    site = page.inner_text("main")
    # Masked as the national platform masked visitors: initials, phone cut in the middle.
    assert "N. V. A**" in site and "0912***678" in site
    assert "T. T. B. N**" in site
    for secret in (
        "NGUYEN VAN AN",
        "0912345678",
        "0912 345 678",
        "001099012345",
        CASE_CCCD,
        "Trần Thị Bích Ngọc",
        "Lê Lợi",
    ):
        assert secret not in page.content(), secret
    assert page.inner_text("#entries") == "2"
    # The kiosk's own report: waiting 0, clock synchronised, its version.
    assert "đã đồng bộ" in site
    # Another checkpoint: the same answer as one that does not exist.
    response = page.goto(f"{live.url}/console/sites/{theirs.checkpoint_id}")
    assert response is not None and response.status == 404
    # Tracing and the overview are not for site managers.
    response = page.goto(f"{live.url}/console/trace")
    assert response is not None and response.status == 403
    response = page.goto(f"{live.url}/console/overview")
    assert response is not None and response.status == 403
    page.close()
    mine.close()
    theirs.close()


def test_a_form_from_elsewhere_is_refused(browser: Browser, live: Server, db: Path | str) -> None:
    add_user(db, "lan", "health-officer")
    page = browser.new_page()
    login(page, live, "lan")
    # A page of another origin (served by the browser itself: no network) whose form posts to
    # the console while the officer is signed in. It has no CSRF token.
    hostile = "http://127.0.0.1:9/offer.html"
    page.route(
        hostile,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<form method="post" action="{live.url}/console/status">'
            '<input name="person" value="079199012345"><input name="colour" value="red">'
            '<input name="action" value="set"><button id="go">go</button></form>',
        ),
    )
    page.goto(hostile)
    with page.expect_navigation():
        page.click("#go")
    assert "không phải từ trang quản lý này" in page.inner_text("main")
    # A forged token from the console's own origin: refused too.
    response = page.request.post(
        f"{live.url}/console/status",
        form={"csrf": "forged", "person": "079199012345", "colour": "red", "action": "set"},
    )
    assert response.status == 403
    page.goto(f"{live.url}/console/status")
    assert "Phiên bản 0: 0 mục." in page.inner_text("#version")
    # With the token the console put in its own form, the same change goes through.
    page.fill("input[name=person]", "079199012345")
    page.click("button[value=set]")
    assert "Phiên bản 1: 1 mục." in page.inner_text("#version")
    page.close()


def test_a_kiosk_reads_the_enrollment_qr_off_the_site_managers_screen(
    browser: Browser, live: Server, db: Path | str, tmp_path: Path
) -> None:
    import cv2
    import numpy as np

    from checkpoint_common.enrollqr import parse_invite
    from kiosk.scanner.decode import ChainDecoder

    made = run_cli(db, "enrollment-code", "--checkpoint", "Nhà văn hóa phường 5")
    assert made.returncode == 0, made.stderr
    listed = run_cli(db, "checkpoints", "--json")
    [checkpoint_id] = [
        row["id"]
        for row in map(json.loads, listed.stdout.splitlines())
        if row["name"] == "Nhà văn hóa phường 5"
    ]
    add_user(db, "hoa", "site-manager", checkpoint_id)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # the manager's phone
    login(page, live, "hoa")
    page.click("text=Nhà văn hóa phường 5")
    page.click("#new-code")
    shown = page.inner_text("#code")
    # What the kiosk's camera sees: the QR as the phone's screen draws it.
    png = page.locator(".qr").screenshot()
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    result = ChainDecoder().decode(np.ascontiguousarray(image, dtype=np.uint8))
    assert result.codes, "the kiosk's decoder read nothing"
    invite = parse_invite(result.codes[0].payload.decode("ascii"))
    assert invite is not None and invite.server_url == live.url and invite.code == shown
    page.close()
    # A kiosk enrolls with what it read, and nothing typed.
    data = tmp_path / "kiosk"
    gate = Gate.open(data, Settings(), FakeClock(dt.datetime.now(dt.UTC)))
    device_id = gate.store.device_id
    gate.close()
    settings, name = enroll(
        data_dir=data,
        settings=Settings(),
        url=invite.server_url,
        code=invite.code,
        device_id=device_id,
        authority=ROOT.public,  # the fingerprint compared, as the Device page asks
    )
    assert settings.checkpoint_id == checkpoint_id and name == "Nhà văn hóa phường 5"
