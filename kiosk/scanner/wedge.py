"""Input from a USB 2D scanner in keyboard mode ("keyboard wedge"): it types the payload and
presses Enter. KeyboardWedge turns those keystrokes into one CodeScanned per line.

Qt-free: the screen calls feed_key() from its key events (or feed_text() with a chunk of text)
on the GUI thread and passes the events on as it does the camera's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from kiosk.scanner.types import CodeScanned

log = logging.getLogger(__name__)

# A scanner types a character every ~1-5 ms (USB HID polling, plus a configurable inter-key
# delay that some models default to 10-20 ms); a person types one every 100-300 ms. A gap
# longer than MAX_GAP_S between two keys means a person (or a scanner that stopped midway):
# what came before is dropped.
MAX_GAP_S: Final = 0.1
DEBOUNCE_S: Final = 1.0
MAX_LEN: Final = 8192  # beyond every code the kiosk reads (a QR code holds at most 2953 bytes)
MIN_LEN: Final = 4  # a stray Enter or a key or two pressed fast is not a scan

_ENTER: Final = frozenset({"\r", "\n"})


class KeyboardWedge:
    """Turns a hardware scanner's keystrokes into scan events.

    Characters are collected until Enter ("\\r" or "\\n"; "\\r\\n" counts once), then the line
    becomes CodeScanned(payload=line.encode("utf-8"), source="keyboard"), both times being the
    Enter's. A line is dropped when:
      - a key comes more than `max_gap_s` after the previous one: the partial line is
        discarded, so a person typing at the kiosk's keyboard never makes a scan (None turns
        the check off, e.g. for text that arrives from a serial port in chunks);
      - it is shorter than `min_len` characters, or longer than `max_len` (the whole line, up
        to its Enter, is then ignored);
      - it is the same as the previous line and came within `debounce_s` of it: scanners in
        continuous mode send a code again every few hundred ms while it is held up. The window
        slides (each repeat restarts it), so a code held up for ten seconds is one scan. A
        different line in between ends the window. Whether a later scan of the same code
        counts again is the core's decision (its duplicate window), not this class's.

    Vietnamese text: a scanner in keyboard mode types each character as the key presses of the
    host's keyboard layout, and most cannot type letters with diacritics (the names on CCCD
    chip-card QR codes: "Trần Thị Bích Ngọc") on every layout; some send Alt+numpad codes, some
    drop them, some type wrong letters. For those codes use the scanner's serial (USB CDC)
    mode or the camera; what arrives here is taken as typed, exactly.

    Not thread-safe: call it from one thread (the GUI thread's key events). `clock` gives the
    time of each key (monotonic ns).
    """

    def __init__(
        self,
        *,
        debounce_s: float = DEBOUNCE_S,
        max_gap_s: float | None = MAX_GAP_S,
        max_len: int = MAX_LEN,
        min_len: int = MIN_LEN,
        clock: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        if debounce_s < 0 or (max_gap_s is not None and max_gap_s <= 0):
            raise ValueError("debounce_s must be >= 0 and max_gap_s > 0 (or None)")
        if not 1 <= min_len <= max_len:
            raise ValueError("need 1 <= min_len <= max_len")
        self._debounce_ns = round(debounce_s * 1e9)
        self._max_gap_ns = None if max_gap_s is None else round(max_gap_s * 1e9)
        self._max_len = max_len
        self._min_len = min_len
        self._clock = clock
        self._chars: list[str] = []
        self._length = 0
        self._overflow = False  # the current line passed max_len: ignore it up to its Enter
        self._last_key_ns: int | None = None
        self._last_was_cr = False
        self._last_line: bytes | None = None
        self._last_line_ns = 0

    def reset(self) -> None:
        """Forget a partial line (e.g. when the screen loses focus)."""
        self._chars.clear()
        self._length = 0
        self._overflow = False
        self._last_was_cr = False

    def feed_key(self, char: str, is_enter: bool = False) -> CodeScanned | None:
        """One key press: its text (Qt's QKeyEvent.text(); "" for Shift and other keys that
        type nothing, which are ignored) and whether it is Enter/Return. Returns the scan when
        this key ends a line that counts, else None."""
        if not is_enter and char in _ENTER:
            is_enter = True
        if not is_enter and not char:
            return None
        now = self._clock()
        gap_too_long = (
            self._max_gap_ns is not None
            and self._last_key_ns is not None
            and now - self._last_key_ns > self._max_gap_ns
        )
        if gap_too_long and (self._chars or self._overflow):
            log.debug("keyboard: partial line of %d characters dropped (slow keys)", self._length)
            self.reset()
        self._last_key_ns = now

        if is_enter:
            # "\r\n" is one Enter: the "\n" right after a "\r" ends nothing.
            if char == "\n" and self._last_was_cr and not gap_too_long:
                self._last_was_cr = False
                return None
            self._last_was_cr = char == "\r"
            return self._end_line(now)
        self._last_was_cr = False
        if self._overflow:
            return None
        self._chars.append(char)
        self._length += len(char)
        if self._length > self._max_len:
            log.warning("keyboard: line longer than %d characters ignored", self._max_len)
            self._chars.clear()
            self._length = 0
            self._overflow = True
        return None

    def feed_text(self, text: str) -> list[CodeScanned]:
        """Several keys at once (each character is a key, "\\r"/"\\n" are Enter), all at the
        clock's current time; returns the scans they complete, in order."""
        scans = []
        for char in text:
            scan = self.feed_key(char)
            if scan is not None:
                scans.append(scan)
        return scans

    def _end_line(self, now: int) -> CodeScanned | None:
        line = "".join(self._chars)
        overflow = self._overflow
        self.reset()
        if overflow or not line:
            return None
        if len(line) < self._min_len:
            log.debug("keyboard: line of %d characters ignored (too short)", len(line))
            return None
        try:
            payload = line.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates cannot come from a real key; nothing to scan.
            log.warning("keyboard: line with invalid characters ignored")
            return None
        repeat = payload == self._last_line and now - self._last_line_ns <= self._debounce_ns
        self._last_line, self._last_line_ns = payload, now
        if repeat:
            log.debug("keyboard: repeated line dropped (debounce)")
            return None
        log.info("keyboard: line of %d bytes scanned", len(payload))
        return CodeScanned(
            payload=payload, source="keyboard", frame_mono_ns=now, decoded_mono_ns=now
        )
