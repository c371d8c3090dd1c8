"""Report queries (occupancy at an instant, peak, totals by kind), the day report, the trace
target, and the CSV writers, on real SQLite files through the real gate."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import FakeClock
from kiosk.config import Settings
from kiosk.credentials import Identity, PersonKeyer
from kiosk.demo import EXAMPLES
from kiosk.events import Direction, Reason
from kiosk.export import (
    EVENT_CSV_FIELDS,
    ExportFolder,
    csv_safe,
    export_folders,
    safe_file_part,
    write_events_csv,
    write_overlaps_csv,
)
from kiosk.gate import Gate
from kiosk.reports import day_bounds, day_report, hourly, trace_target
from kiosk.store import Overlap, Store

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2026, 11, 25)
PAYLOAD = dict(EXAMPLES)
A = PAYLOAD["personal QR"]
B = PAYLOAD["CCCD"]
C = PAYLOAD["BHYT"]
D = PAYLOAD["CCCD (no old ID)"]
E = PAYLOAD["personal QR (masked)"]


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=ZONE).astimezone(dt.UTC)


class Site:
    """A gate on a data directory, with a clock the test moves to local times."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.clock = FakeClock(local(DAY - dt.timedelta(days=1), 20))
        self.gate = Gate.open(root, settings, self.clock)

    @property
    def store(self) -> Store:
        return self.gate.store

    def at(self, day: dt.date, hh: int, mm: int = 0) -> None:
        target = local(day, hh, mm)
        assert target >= self.clock.utc, "tests move forward in time"
        self.clock.advance((target - self.clock.utc).total_seconds())

    def scan(self, payload: str, mode: str) -> None:
        outcome = self.gate.scan(payload, mode=mode)
        assert outcome.event_id is not None


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    s = Site(tmp_path / "data", Settings(duplicate_window_s=0, auto_checkout_time="03:00"))
    yield s
    s.gate.close()


def busy_day(site: Site) -> None:
    """A in the evening before and still inside at midnight, closed by the 03:00 auto-checkout;
    B in and out the evening before; on the day C, D, A in; C again while inside (no change);
    C out; E's exit with no entry (no change); a venue code refused."""
    before = DAY - dt.timedelta(days=1)
    site.at(before, 21)
    site.scan(A, "in")
    site.scan(B, "in")
    site.at(before, 23)
    site.scan(B, "out")
    site.at(DAY, 8)
    site.scan(C, "in")  # the 03:00 auto-checkout runs first (housekeeping before a scan)
    site.at(DAY, 8, 30)
    site.scan(D, "in")
    site.at(DAY, 9)
    site.scan(A, "in")
    site.at(DAY, 9, 30)
    site.scan(C, "in")  # already inside: recorded, but the stay and the occupancy stay as they are
    site.at(DAY, 10)
    site.scan(C, "out")
    site.at(DAY, 11)
    site.scan(E, "out")  # never came in (recorded): a zero-length stay
    site.scan(PAYLOAD["venue code"], "in")
    site.at(DAY, 12)


def test_a_day_that_starts_with_someone_inside(site: Site) -> None:
    busy_day(site)
    start, end = day_bounds(DAY, ZONE)
    assert site.store.occupancy_at(start) == 1  # A, in since 21:00 the day before
    assert site.store.occupancy_at(local(DAY, 3)) == 0  # the exit at exactly 03:00 has left
    assert site.store.occupancy_at(local(DAY, 2, 59)) == 1
    assert site.store.occupancy_at(local(DAY, 9)) == 3
    assert site.store.occupancy_at(local(DAY, 11)) == 2 == site.store.occupancy()
    peak, at = site.store.peak_occupancy(start, end)
    assert (peak, at) == (3, local(DAY, 9))


def test_peak_is_reached_by_the_people_inside_at_the_start(site: Site) -> None:
    busy_day(site)
    # The hour before the auto-checkout: one person inside from the start, nobody came.
    assert site.store.peak_occupancy(local(DAY, 1), local(DAY, 2)) == (1, local(DAY, 1))
    # The previous evening: A, then B (21:00 the same instant), B left at 23:00.
    before = DAY - dt.timedelta(days=1)
    assert site.store.peak_occupancy(*day_bounds(before, ZONE)) == (2, local(before, 21))


def test_a_day_before_anyone_came_is_empty(site: Site) -> None:
    busy_day(site)
    earlier = DAY - dt.timedelta(days=5)
    assert site.store.peak_occupancy(*day_bounds(earlier, ZONE)) == (0, None)
    assert site.store.totals_by_kind(*day_bounds(earlier, ZONE)) == {}
    assert day_report(site.store, earlier, ZONE).entries == 0


def test_auto_checkout_exits_count_as_exits(site: Site) -> None:
    busy_day(site)
    start, end = day_bounds(DAY, ZONE)
    assert site.store.count_reason(start, end, Reason.AUTO_CHECKOUT) == 1
    counts = site.store.counts(start, end)
    assert counts == {Direction.IN: 4, Direction.OUT: 3}  # A auto, C, E's exit with no entry
    totals = site.store.totals_by_kind(start, end)
    assert totals == {
        "personal_qr": {"in": 1, "out": 2, "refer": 0, "deny": 0},  # A in, A auto out, E out
        "bhyt": {"in": 2, "out": 1, "refer": 0, "deny": 0},
        "cccd": {"in": 1, "out": 0, "refer": 0, "deny": 0},
        "venue_code": {"in": 0, "out": 0, "refer": 0, "deny": 1},
    }
    assert sum(t["in"] for t in totals.values()) == counts[Direction.IN]
    assert sum(t["out"] for t in totals.values()) == counts[Direction.OUT]


def test_refusals_are_counted_apart(site: Site) -> None:
    site.at(DAY, 9)
    site.scan(PAYLOAD["EU vaccine certificate"], "in")  # signature not verified: referred
    site.scan(PAYLOAD["garbage"], "in")
    totals = site.store.totals_by_kind(*day_bounds(DAY, ZONE))
    assert totals["eu_dcc"] == {"in": 0, "out": 0, "refer": 1, "deny": 0}
    assert totals["unknown"]["deny"] == 1
    assert site.store.peak_occupancy(*day_bounds(DAY, ZONE)) == (0, None)


def test_day_report_buckets_by_local_hour(site: Site) -> None:
    busy_day(site)
    report = day_report(site.store, DAY, ZONE)
    assert (report.entries, report.exits, report.auto_checkouts) == (4, 3, 1)
    assert (report.inside_at_start, report.peak, report.peak_at) == (1, 3, local(DAY, 9))
    assert len(report.hours) == 24
    assert [h.label for h in report.hours[:3]] == ["00", "01", "02"]
    by_label = {h.label: (h.entries, h.exits) for h in report.hours}
    assert by_label["03"] == (0, 1)
    assert by_label["08"] == (2, 0)
    assert by_label["09"] == (2, 0)
    assert by_label["10"] == (0, 1)
    assert by_label["11"] == (0, 1)
    assert sum(h.entries for h in report.hours) == report.entries


def test_hourly_in_a_half_hour_zone_and_on_a_dst_day() -> None:
    india = ZoneInfo("Asia/Kolkata")
    start, end = day_bounds(DAY, india)
    minute = start + dt.timedelta(hours=5, minutes=10)  # 05:10 local
    hours = hourly([(minute, "in", 2), (minute, "out", 1)], start, end, india)
    assert len(hours) == 24 and (hours[5].label, hours[5].entries, hours[5].exits) == ("05", 2, 1)
    berlin = ZoneInfo("Europe/Berlin")
    autumn = dt.date(2026, 10, 25)  # clocks go back: 25 hours
    s, e = day_bounds(autumn, berlin)
    labels = [h.label for h in hourly([], s, e, berlin)]
    assert len(labels) == 25 and labels.count("02") == 2


def test_trace_target_from_codes_numbers_and_keys(site: Site) -> None:
    cccd_key = site.gate.person_key(site.gate.scan(B, mode="in").credential)
    assert trace_target(site.gate, B) == cccd_key
    assert trace_target(site.gate, " 079 199 012 345 ") == cccd_key  # the ID number typed
    assert trace_target(site.gate, cccd_key) == cccd_key
    assert trace_target(site.gate, "HS4790123456780") == trace_target(site.gate, C)
    assert trace_target(site.gate, "0900000000") == site.gate.keyer.key(
        Identity("manual", "tel:0900000000")
    )
    assert trace_target(site.gate, PAYLOAD["venue code"]) is None
    assert trace_target(site.gate, "hello") is None


def test_events_csv_has_the_export_columns_and_guards_formulas(
    tmp_path: Path, keyer: PersonKeyer
) -> None:
    store = Store.open(tmp_path / "kiosk.db")
    gate = Gate(store, Settings(), FakeClock(local(DAY, 9)), keyer)
    try:
        gate.scan(A)
        gate.scan("=HYPERLINK(1)")
        out = tmp_path / "x" / "events.csv"
        out.parent.mkdir()
        count = write_events_csv(out, store.events(), ZONE)
    finally:
        gate.close()
    assert count == 2
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EVENT_CSV_FIELDS
    assert rows[0]["display_name"] == "N. V. AN" and rows[0]["local_time"].endswith("+07:00")
    assert [p.name for p in out.parent.iterdir()] == ["events.csv"]  # no temp file left
    assert csv_safe("=1+2") == "'=1+2" and csv_safe("-") == "'-" and csv_safe(5) == 5


def test_overlaps_csv(tmp_path: Path) -> None:
    t0 = local(DAY, 9)
    overlaps = [
        Overlap("id:" + "a" * 24, "cccd", "@N. V. A", t0, t0 + dt.timedelta(minutes=50), 1800),
        Overlap("id:" + "b" * 24, "bhyt", None, t0, None, 61),
    ]
    out = tmp_path / "trace.csv"
    assert write_overlaps_csv(out, overlaps, ZONE) == 2
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["display_name"] == "'@N. V. A"
    assert (rows[0]["in_local_time"], rows[0]["minutes_together"]) == (
        "2026-11-25T09:00:00+07:00",
        "30",
    )
    assert (rows[1]["out_local_time"], rows[1]["out_time"], rows[1]["minutes_together"]) == (
        "",
        "",
        "1",
    )


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_overlaps_csv(tmp_path / "missing" / "trace.csv", [], ZONE)
    assert not (tmp_path / "missing").exists()


def test_export_folders_lists_the_data_dir_then_media(tmp_path: Path) -> None:
    stick = tmp_path / "media" / "pi" / "USB STICK"
    stick.mkdir(parents=True)
    (tmp_path / "media" / "pi" / "file.txt").write_text("x")
    pattern = str(tmp_path / "media" / "*" / "*")
    found = export_folders(tmp_path / "data", [pattern], mounted_only=False)
    assert found == [
        ExportFolder(tmp_path / "data" / "exports", removable=False),
        ExportFolder(stick, removable=True),
    ]
    # Not a mount point: a folder left behind after the stick was pulled is not offered.
    assert export_folders(tmp_path / "data", [pattern]) == found[:1]
    assert safe_file_part("Chợ Bến Thành/cổng 2") == "Ch-B-n-Th-nh-c-ng-2"
    assert safe_file_part("///") == "kiosk"
