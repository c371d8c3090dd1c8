"""Keyboard-wedge input: a hardware scanner's keystrokes become one scan per line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.demo import EXAMPLES
from kiosk.scanner.types import CodeScanned
from kiosk.scanner.wedge import KeyboardWedge

MS = 1_000_000
CCCD = dict(EXAMPLES)["CCCD"]
VENUE = dict(EXAMPLES)["venue code"]


class Keys:
    """A wedge on a fake clock, typing like a scanner (`ms` per key)."""

    def __init__(self, **kwargs: object) -> None:
        self.now = 1_000 * MS
        self.wedge = KeyboardWedge(clock=lambda: self.now, **kwargs)  # type: ignore[arg-type]

    def type(self, text: str, ms: float = 1.0) -> list[CodeScanned]:
        scans = []
        for char in text:
            self.now += round(ms * MS)
            scan = self.wedge.feed_key(char)
            if scan is not None:
                scans.append(scan)
        return scans

    def wait(self, ms: float) -> None:
        self.now += round(ms * MS)


@pytest.mark.parametrize("payload", [CCCD, VENUE, "xin chào 123 ☺", "A\tB\x1dC"])
def test_a_fast_line_is_one_scan_with_exact_bytes(payload: str) -> None:
    keys = Keys()
    scans = keys.type(payload + "\r")
    assert len(scans) == 1
    scan = scans[0]
    assert scan.payload == payload.encode("utf-8")
    assert scan.source == "keyboard"
    assert scan.frame_mono_ns == scan.decoded_mono_ns == keys.now  # the Enter's time


def test_vietnamese_text_is_kept_exactly() -> None:
    (scan,) = Keys().type(CCCD + "\n")
    assert "Trần Thị Bích Ngọc".encode() in scan.payload
    assert scan.payload.decode("utf-8") == CCCD


def test_slow_human_typing_is_discarded() -> None:
    keys = Keys()
    assert keys.type("001099012345\r", ms=150) == []
    # ... and does not spoil the scanner's next line.
    assert [s.payload for s in keys.type("001099012345\r")] == [b"001099012345"]


def test_a_pause_midway_drops_the_partial_line() -> None:
    keys = Keys()
    assert keys.type("garbage-") == []
    keys.wait(500)  # a person, or a scanner that gave up
    assert [s.payload for s in keys.type(VENUE + "\r")] == [VENUE.encode()]


def test_enter_long_after_the_last_key_is_nothing() -> None:
    keys = Keys()
    keys.type(VENUE)
    keys.wait(300)
    assert keys.type("\r") == []


def test_the_gap_is_configurable_and_can_be_off() -> None:
    slow_scanner = Keys(max_gap_s=0.05)
    assert [s.payload for s in slow_scanner.type("ABCDEF\r", ms=20)] == [b"ABCDEF"]
    assert slow_scanner.type("GHIJKL\r", ms=60) == []
    serial = Keys(max_gap_s=None)
    assert [s.payload for s in serial.type("ABCDEF\r", ms=2000)] == [b"ABCDEF"]


def test_crlf_is_one_enter() -> None:
    keys = Keys()
    scans = keys.type("FIRST-LINE\r\nSECOND-LINE\r\n")
    assert [s.payload for s in scans] == [b"FIRST-LINE", b"SECOND-LINE"]
    assert keys.type("\r\n\n\r") == []  # empty lines are nothing


def test_a_repeat_within_the_debounce_is_dropped() -> None:
    keys = Keys(debounce_s=1.0)
    assert len(keys.type(VENUE + "\r")) == 1
    keys.wait(300)
    assert keys.type(VENUE + "\r") == []  # continuous mode sends it again
    keys.wait(800)  # 1.1 s after the first, 0.8 s after the repeat: the window slid
    assert keys.type(VENUE + "\r") == []
    keys.wait(1100)
    assert len(keys.type(VENUE + "\r")) == 1  # shown again later: a scan (the core decides)


def test_another_code_is_not_debounced() -> None:
    keys = Keys()
    assert len(keys.type(VENUE + "\r")) == 1
    assert len(keys.type(CCCD + "\r")) == 1
    assert len(keys.type(VENUE + "\r")) == 1


def test_too_short_and_too_long_lines_are_ignored() -> None:
    keys = Keys(max_len=20)
    assert keys.type("ab\r") == []
    assert keys.type("X" * 21 + "\r") == []
    assert [s.payload for s in keys.type("Y" * 20 + "\r")] == [b"Y" * 20]


def test_keys_without_text_are_ignored_and_enter_can_be_flagged() -> None:
    keys = Keys()
    wedge = keys.wedge
    for char in "CODE":
        keys.wait(1)
        assert wedge.feed_key("") is None  # Shift before each letter
        keys.wait(1)
        assert wedge.feed_key(char) is None
    keys.wait(1)
    scan = wedge.feed_key("", is_enter=True)  # Qt's Key_Enter on the keypad: no text
    assert scan is not None and scan.payload == b"CODE"


def test_feed_text_returns_every_completed_line() -> None:
    wedge = KeyboardWedge(clock=lambda: 5 * MS)
    scans = wedge.feed_text("ONE-LINE\r\nTWO-LINE\npartial")
    assert [s.payload for s in scans] == [b"ONE-LINE", b"TWO-LINE"]
    assert [s.payload for s in wedge.feed_text("-end\r")] == [b"partial-end"]


def test_reset_forgets_a_partial_line() -> None:
    keys = Keys()
    keys.type("half-a-code")
    keys.wedge.reset()
    assert [s.payload for s in keys.type("WHOLE\r")] == [b"WHOLE"]


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ValueError):
        KeyboardWedge(max_gap_s=0)
    with pytest.raises(ValueError):
        KeyboardWedge(min_len=10, max_len=5)


@given(st.text(alphabet=st.characters(exclude_characters="\r\n", exclude_categories=["Cs"])))
def test_any_line_typed_fast_comes_back_exactly(line: str) -> None:
    keys = Keys(min_len=1)
    scans = keys.type(line + "\r")
    if line:
        assert [s.payload for s in scans] == [line.encode("utf-8")]
    else:
        assert scans == []
