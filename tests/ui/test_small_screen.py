"""The Raspberry Pi touch display (800x480), both languages: the window stays exactly the
screen's size whatever it shows, every page fits the room it has, and the status line never
wraps nor cuts off what matters (offline: since when, how many records wait; the storage
alarm in one line). The words of the connection's status, and "vừa xong" for "0 minutes".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.gate import StorageStatus
from kiosk.sync.service import SyncStatus
from kiosk.ui.runner import Counters
from kiosk.ui.texts import sync_text
from tests.conftest import START
from tests.ui.conftest import PERSONAL, WAIT_MS, Kiosk

pytestmark = pytest.mark.timeout(120)

OFFLINE = SyncStatus(
    enrolled=True,
    server_url="https://central.example.vn",
    waiting=1234,
    quarantined=0,
    last_success=START - dt.timedelta(minutes=47),
    last_attempt=START,
    last_error_kind="transient",
    last_error="connection refused",
    needs_reenrollment=False,
    clock_offset_s=None,
    config_version=None,
    status_list_version=None,
    status_list_updated_at=None,
    trust_list_version=None,
)


def small(kiosk_factory: Any, qtbot: Any, language: str) -> Kiosk:
    kiosk = kiosk_factory([PERSONAL], language=language, checkpoint_name="Chợ Bến Thành · Cổng 1")
    kiosk.window.resize(800, 480)
    qtbot.waitUntil(lambda: kiosk.window.size().toTuple() == (800, 480), timeout=WAIT_MS)
    return kiosk


def assert_fits(kiosk: Kiosk) -> None:
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    window = kiosk.window
    assert window.size().toTuple() == (800, 480)
    room = window.pages.size()
    need = window.pages.currentWidget().minimumSizeHint()
    assert need.width() <= room.width() and need.height() <= room.height(), (need, room)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_state_fits_800x480_in_one_status_line(
    kiosk_factory: Any, qtbot: Any, language: str
) -> None:
    kiosk = small(kiosk_factory, qtbot, language)
    window, page = kiosk.window, kiosk.window.scan_page
    kiosk.drain()  # the first counters are in: now a busy day's numbers, the widest
    page.set_counters(
        Counters(occupancy=123, capacity=500, today_in=1234, today_out=1111, waiting=1234)
    )
    window.on_camera_restored()  # frames arrive
    window.set_sync_status(OFFLINE)  # as SyncBridge.status_changed delivers it
    window._tick()
    assert_fits(kiosk)
    # Offline, with its age and the records waiting, drawn whole (a shorter form if needed).
    label = page.sync_state
    assert not label.is_elided(), label.shown_text()
    assert "1234" in label.shown_text()
    assert ("47 phút trước" if language == "vi" else "47 min ago") in label.shown_text()
    assert label.height() < 2 * label.fontMetrics().height()  # one line
    assert label.styleSheet() == "color: #37474f;"  # neutral, not alarm red

    kiosk.play()  # a verdict beside the camera view
    kiosk.wait_verdicts(1)
    assert_fits(kiosk)
    assert page.preview.isVisible()  # the next person still sees the camera

    page.set_storage(StorageStatus(free_bytes=0, low=True, full=True))
    assert_fits(kiosk)
    strip = page.storage_state
    assert strip.isVisible() and not strip.wordWrap()
    assert strip.fontMetrics().horizontalAdvance(strip.text()) <= strip.contentsRect().width()
    assert strip.height() < 2 * strip.fontMetrics().height()
    page.set_storage(StorageStatus(free_bytes=2**40, low=False, full=False))

    window.on_camera_lost("unplugged")
    assert_fits(kiosk)
    page.clear_verdict()
    assert_fits(kiosk)
    for show in (window.show_manual, window.show_inside, window.show_admin):
        show()
        assert_fits(kiosk)
    window.show_scan_page()


def test_the_connection_s_words() -> None:
    now = START
    text, tone = sync_text(OFFLINE, now, None)
    assert (text, tone) == ("Offline · last synced 47 min ago · 1234 waiting to send", "neutral")
    short, _ = sync_text(OFFLINE, now, None, compact=True)
    assert short == "Offline · 47 min ago · 1234 waiting"
    just = dataclasses.replace(OFFLINE, last_success=now, last_error_kind=None)
    assert sync_text(just, now, 0) == ("Online · last synced just now", "ok")
    days = dataclasses.replace(OFFLINE, last_success=now - dt.timedelta(days=3))
    assert sync_text(days, now, 5)[0] == "Offline · last synced 3 days ago · 5 waiting to send"
    assert sync_text(None, now, 2) == ("Offline (not enrolled) · 2 waiting to send", "neutral")
    revoked = dataclasses.replace(OFFLINE, needs_reenrollment=True)
    assert sync_text(revoked, now, 1)[1] == "warn"
    # A forged or replayed document refused, or no root pinned: the site manager must look.
    refused = dataclasses.replace(OFFLINE, last_error_kind="refused")
    assert sync_text(refused, now, 0) == ("Server data refused", "warn")
    unpinned = dataclasses.replace(OFFLINE, last_error_kind="not_pinned")
    assert sync_text(unpinned, now, 0) == ("No authority key", "warn")


def test_the_connection_s_words_in_vietnamese(kiosk_factory: Any) -> None:
    kiosk = kiosk_factory(language="vi")
    if kiosk.parts.translator.language != "vi":
        pytest.skip("translation not built: assets/translations/kiosk_vi.qm is missing")
    just = dataclasses.replace(OFFLINE, last_success=START, last_error_kind=None)
    assert sync_text(just, START, 0)[0] == "Trực tuyến · đồng bộ vừa xong"  # not "0 phút trước"
    assert sync_text(OFFLINE, START, 3)[0] == (
        "Ngoại tuyến · đồng bộ 47 phút trước · 3 lượt chờ gửi"
    )
