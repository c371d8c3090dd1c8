"""The scan worker over real sources (image folders, video files, CameraSource on a file, the
demo) and the real decoder; scripted sources and decoders only where a test needs exact frame
times (the run rule, rate limits) or a source that misbehaves on purpose (stop while blocked).

Waiting is on events (queue.get with generous timeouts), never on fixed sleeps.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.demo import EXAMPLES
from kiosk.scanner.sources import (
    CameraSource,
    DemoSource,
    ImageFolderSource,
    VideoFileSource,
    open_source,
)
from kiosk.scanner.types import (
    CameraLost,
    CameraRestored,
    CodeScanned,
    CodeUnreadable,
    DecodedCode,
    DecodeResult,
    Frame,
    FrameSource,
    Image,
    PreviewFrame,
    ScanEvent,
    SourceEnded,
    SourceError,
)
from kiosk.scanner.worker import ScanWorker
from tests.test_sources import (
    BHYT,
    CCCD,
    PERSONAL,
    black_image,
    code_image,
    decoder,
    empty_image,
    write_images,
    write_video,
)

A, B, C = CCCD.encode(), PERSONAL.encode(), BHYT.encode()
WAIT = 15.0  # seconds; generous, for a loaded CI machine


class Events:
    """The on_event callback: keeps every event and lets a test wait for the next of a kind."""

    def __init__(self) -> None:
        self.all: list[ScanEvent] = []
        self._queue: queue.Queue[ScanEvent] = queue.Queue()

    def __call__(self, event: ScanEvent) -> None:
        self.all.append(event)
        self._queue.put(event)

    def next(self, kind: type, timeout: float = WAIT) -> ScanEvent:
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no {kind.__name__} within {timeout} s: {self.seen()}"
                ) from None
            if isinstance(event, kind):
                return event

    def seen(self) -> list[object]:
        """The events so far without previews; a scan is shown as its payload."""
        return [
            e.payload if isinstance(e, CodeScanned) else type(e).__name__
            for e in self.all
            if not isinstance(e, PreviewFrame)
        ]

    def scans(self) -> list[bytes]:
        return [e.payload for e in self.all if isinstance(e, CodeScanned)]


class Recording:
    """Wraps a source and records open() and close() calls."""

    def __init__(self, inner: FrameSource) -> None:
        self.inner = inner
        self.name = inner.name
        self.live = inner.live
        self.opens = 0
        self.closes = 0
        self.is_open = False
        self.closed = threading.Event()

    def open(self) -> None:
        self.opens += 1
        self.inner.open()
        self.is_open = True

    def read(self) -> Frame | None:
        return self.inner.read()

    def close(self) -> None:
        self.closes += 1
        self.is_open = False
        self.inner.close()
        self.closed.set()


def worker(source: FrameSource, events: Events, **kwargs: object) -> ScanWorker:
    kwargs.setdefault("decoder", decoder())
    kwargs.setdefault("preview_fps", 0)
    return ScanWorker(source, on_event=events, **kwargs)  # type: ignore[arg-type]


def run_to_end(source: FrameSource, **kwargs: object) -> Events:
    """Run a worker over a finite source until SourceEnded; checks it ended by itself."""
    events = Events()
    w = worker(source, events, **kwargs)
    w.start()
    events.next(SourceEnded)
    assert w.wait(WAIT)
    assert not w.running
    assert w.stop() is True  # still fine after it ended
    return events


def mark(image: Image, index: int) -> Image:
    """A copy of `image` with `index` in pixel (1, 1), for a decoder wrapper to read back
    (off the grid the blank check samples)."""
    out = image.copy()
    out[1, 1] = (index >> 16, (index >> 8) & 255, index & 255)
    return out


def mark_of(image: Image) -> int:
    b0, b1, b2 = (int(v) for v in image[1, 1])
    return (b0 << 16) | (b1 << 8) | b2


# -- real sources, real decoder ----------------------------------------------------------


def test_image_folder_gives_one_scan_per_code_with_exact_bytes(tmp_path: Path) -> None:
    e = empty_image()
    write_images(tmp_path, [e, code_image(CCCD), e, code_image(PERSONAL), e, code_image(BHYT), e])
    source = Recording(ImageFolderSource(tmp_path, repeat=6, fps=30))
    events = run_to_end(source)
    assert events.seen() == [A, B, C, "SourceEnded"]
    assert "Trần Thị Bích Ngọc".encode() in events.scans()[0]  # UTF-8 bytes, exactly
    assert (source.opens, source.closes) == (1, 1)
    for scan in events.all[:3]:
        assert isinstance(scan, CodeScanned)
        assert scan.source == "camera"
        assert scan.frame_mono_ns <= scan.decoded_mono_ns


def test_video_code_shown_removed_and_shown_again_is_two_scans(tmp_path: Path) -> None:
    e, a, b = empty_image(), code_image(CCCD, seed=1), code_image(PERSONAL, seed=2)
    # 30 fps: the code for 0.4 s, away for 1 s, back, then another person's code.
    frames = [e] * 6 + [a] * 12 + [e] * 30 + [a] * 12 + [e] * 6 + [b] * 12 + [e] * 3
    path = write_video(tmp_path / "gate.avi", frames, fps=30)
    source = Recording(VideoFileSource(path))
    events = run_to_end(source)
    assert events.seen() == [A, A, B, "SourceEnded"]
    assert source.closes == 1


def test_a_code_held_up_with_missed_frames_is_one_scan(tmp_path: Path) -> None:
    a, e = code_image(CCCD, condition="tilt", seed=3), empty_image()
    # Frames where the decoder misses the code (a hand moving, glare): the run goes on.
    frames = [a] * 15 + [e] * 2 + [a] * 15 + [e] + [a] * 15 + [e] * 3 + [a] * 10
    path = write_video(tmp_path / "held.avi", frames, fps=30)
    events = run_to_end(VideoFileSource(path))
    assert events.seen() == [A, "SourceEnded"]


def test_several_codes_in_one_frame_are_each_scanned(tmp_path: Path) -> None:
    both = np.hstack([code_image(CCCD), code_image(PERSONAL, seed=5)])
    write_images(tmp_path, [both, np.hstack([code_image(PERSONAL, seed=5), empty_image()])])
    events = run_to_end(ImageFolderSource(tmp_path, repeat=4, fps=30))
    assert sorted(events.scans()) == sorted([A, B])  # B goes on in the second image: one scan


def test_demo_source_scans_every_example_once_in_order() -> None:
    fps = 30.0
    source = DemoSource(width=640, height=480, fps=fps, show_s=6 / fps, gap_s=3 / fps)
    events = Events()
    w = worker(source, events)
    w.start()
    for _ in EXAMPLES:
        events.next(CodeScanned)
    assert w.stop()
    assert events.scans()[: len(EXAMPLES)] == [p.encode() for _label, p in EXAMPLES]


def test_too_small_code_is_reported_unreadable(tmp_path: Path) -> None:
    # 45 modules in 50 px: the decoder finds a QR code there, but cannot read it.
    tiny = code_image(CCCD, size_px=50)
    assert decoder().decode(tiny).unreadable == "too_small"
    write_images(tmp_path, [tiny])
    events = run_to_end(ImageFolderSource(tmp_path, repeat=10, fps=30))
    unreadable = [ev for ev in events.all if isinstance(ev, CodeUnreadable)]
    assert unreadable == [CodeUnreadable("too_small")]  # once: ten frames in 0.3 s
    assert not events.scans()


def test_black_frames_are_reported_then_the_camera_comes_back(tmp_path: Path) -> None:
    write_images(tmp_path, [black_image(), code_image(CCCD)])
    source = ImageFolderSource(tmp_path, repeat=30, fps=60)  # 0.5 s black, then a code
    events = run_to_end(source, blank_after_s=0.2)
    assert events.seen() == ["CameraBlank", "CameraRestored", A, "SourceEnded"]


def test_a_missing_file_is_reported_and_the_worker_ends(tmp_path: Path) -> None:
    events = run_to_end(VideoFileSource(tmp_path / "absent.avi"))
    assert events.seen() == ["CameraLost", "SourceEnded"]
    lost = events.all[0]
    assert isinstance(lost, CameraLost)
    assert "no such file" in lost.message


def test_previews_are_rate_limited(tmp_path: Path) -> None:
    write_images(tmp_path, [empty_image()])
    source = ImageFolderSource(tmp_path, repeat=60, fps=60)  # 1 s
    events = run_to_end(source, preview_fps=5)
    previews = [ev for ev in events.all if isinstance(ev, PreviewFrame)]
    assert 4 <= len(previews) <= 6
    assert previews[0].frame.index == 0


# -- reconnect ------------------------------------------------------------------------------


def test_a_camera_that_goes_away_and_comes_back(tmp_path: Path) -> None:
    """The real CameraSource, opened through OpenCV's file backend: a missing file is an
    unplugged camera (open fails), the end of the file a camera that stops sending (read
    fails). The worker reports the loss, retries with backoff and goes on scanning."""
    path = tmp_path / "camera.avi"
    source = Recording(CameraSource(str(path), backend=cv2.CAP_ANY))
    events = Events()
    w = worker(source, events, backoff_first_s=0.05, backoff_max_s=0.2)
    w.start()
    lost = events.next(CameraLost)  # not there at start
    assert isinstance(lost, CameraLost)
    assert "does not exist" in lost.message
    assert not events.scans()

    write_video(path, [empty_image()] * 3 + [code_image(CCCD)] * 40)  # plugged in
    events.next(CameraRestored)
    assert events.next(CodeScanned).payload == A  # type: ignore[attr-defined]

    # The file ends (read fails): lost, reopened, restored, over and over; meanwhile the
    # "camera" is swapped for one that sees another person.
    write_video(path, [empty_image()] * 3 + [code_image(PERSONAL)] * 40)
    while events.next(CodeScanned).payload != B:  # type: ignore[attr-defined]
        pass
    assert w.stop()
    assert source.closes >= 1 and not source.is_open  # the capture is released
    seen = events.seen()
    assert seen[:2] == ["CameraLost", "CameraRestored"]
    assert seen.index(A) < seen.index(B)
    # Lost and restored alternate: one CameraLost per loss, however many retries.
    states = [s for s in seen if s in ("CameraLost", "CameraRestored")]
    assert states == ["CameraLost", "CameraRestored"] * (len(states) // 2) + (
        ["CameraLost"] if len(states) % 2 else []
    )


def test_a_camera_that_is_not_there_is_reported_not_fatal() -> None:
    source = Recording(open_source("camera:99"))
    events = Events()
    w = worker(source, events, backoff_first_s=0.05, backoff_max_s=0.1)
    w.start()
    lost = events.next(CameraLost)
    assert "/dev/video99" in lost.message  # type: ignore[attr-defined]
    deadline = time.monotonic() + WAIT
    while source.opens < 3:  # it keeps trying
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert w.stop()
    assert events.seen() == ["CameraLost"]


class Flaky:
    """A live source that fails and recovers when the test says so (an unplugged cable)."""

    live = True
    name = "flaky"

    def __init__(self, images: Callable[[], Image]) -> None:
        self.images = images
        self.plugged = threading.Event()
        self.plugged.set()
        self.index = 0
        self.is_open = False
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        if not self.plugged.is_set():
            raise SourceError("flaky: no device")
        self.is_open = True

    def read(self) -> Frame:
        time.sleep(1 / 100)
        if not (self.is_open and self.plugged.is_set()):
            self.is_open = False
            raise SourceError("flaky: unplugged")
        self.index += 1
        return Frame(self.images(), self.index, time.monotonic_ns())

    def close(self) -> None:
        self.is_open = False


def test_reconnect_backs_off_and_reports_once_per_loss() -> None:
    shown = [empty_image()]
    source = Flaky(lambda: shown[0])
    events = Events()
    w = worker(source, events, backoff_first_s=0.05, backoff_max_s=0.1)
    w.start()
    source.plugged.clear()
    events.next(CameraLost)
    opens = source.opens
    deadline = time.monotonic() + WAIT
    while source.opens - opens < 3:  # the cable stays out: several attempts, one event
        assert time.monotonic() < deadline
        time.sleep(0.01)
    shown[0] = code_image(CCCD)
    source.plugged.set()
    events.next(CameraRestored)
    assert events.next(CodeScanned).payload == A  # type: ignore[attr-defined]
    assert w.stop()
    assert events.seen() == ["CameraLost", "CameraRestored", A]


# -- latest frame wins ---------------------------------------------------------------------


class Burst:
    """A fast source (200 fps): `empty` frames, then frames with a code; each frame carries
    its number in a pixel, and the source remembers the newest number and every frame time."""

    live = True
    name = "burst"

    def __init__(self, empty: int, code: int, fps: float = 200.0) -> None:
        self.empty, self.total, self.interval = empty, empty + code, 1 / fps
        self.latest = -1
        self.times: dict[int, int] = {}
        self.closed = threading.Event()

    def open(self) -> None:
        pass

    def read(self) -> Frame | None:
        index = self.latest + 1
        if index >= self.total:
            return None
        time.sleep(self.interval)
        base = empty_image() if index < self.empty else code_image(CCCD)
        frame = Frame(mark(base, index), index, time.monotonic_ns())
        self.times[index] = frame.mono_ns
        self.latest = index
        return frame

    def close(self) -> None:
        self.closed.set()


class Slow:
    """The real decoder, slowed down; records which frame it was given and how far behind
    the source it was at that moment."""

    def __init__(self, source: Burst, delay: float) -> None:
        self.source, self.delay = source, delay
        self.inner = decoder()
        self.lags: list[int] = []
        self.decoded: list[int] = []

    def decode(self, image: Image) -> DecodeResult:
        index = mark_of(image)
        self.decoded.append(index)
        self.lags.append(self.source.latest - index)
        time.sleep(self.delay)
        return self.inner.decode(image)


def test_latest_frame_wins_with_a_slow_decoder() -> None:
    source = Burst(empty=100, code=300)
    slow = Slow(source, delay=0.05)
    events = Events()
    w = worker(source, events, decoder=slow)
    w.start()
    events.next(SourceEnded)
    assert w.wait(WAIT)
    stats = w.stats()
    assert stats.frames_read == 400
    assert stats.frames_decoded == len(slow.decoded) < 400 / 4  # most frames never decoded
    assert stats.frames_skipped > 300
    # Each decode took the newest frame there was (the source may have read one more since).
    assert max(slow.lags) <= 2, slow.lags
    assert slow.decoded == sorted(slow.decoded)
    # One scan, soon after the code appeared: within two decodes, not after a backlog.
    assert events.seen() == [A, "SourceEnded"]
    scan = events.all[0]
    assert isinstance(scan, CodeScanned)
    appeared = source.times[100]
    assert scan.frame_mono_ns >= appeared
    assert (scan.decoded_mono_ns - appeared) / 1e9 < 2 * 0.05 + 0.15


# -- the run rule and rate limits, frame by frame ------------------------------------------


class Script:
    """A source and a decoder in lockstep: frame i is read only after frame i-1 has been
    decoded, so every frame is decoded, and frame i is stamped i * interval_ms. The decoder
    answers from `results` (what is "in" each frame)."""

    live = False
    name = "script"

    def __init__(self, results: Sequence[DecodeResult | Exception], interval_ms: float) -> None:
        self.results = results
        self.interval_ns = round(interval_ms * 1e6)
        self.index = 0
        self.now = 0  # the clock: the current frame's time
        self._go = threading.Semaphore(1)

    def open(self) -> None:
        pass

    def read(self) -> Frame | None:
        self._go.acquire()
        if self.index >= len(self.results):
            return None
        frame = Frame(
            mark(np.full((4, 4, 3), 128, np.uint8), self.index),
            self.index,
            self.index * self.interval_ns,
        )
        self.index += 1
        return frame

    def close(self) -> None:
        pass

    def decode(self, image: Image) -> DecodeResult:
        index = mark_of(image)
        self.now = index * self.interval_ns
        result = self.results[index]
        self._go.release()
        if isinstance(result, Exception):
            raise result
        return result

    def clock(self) -> int:
        return self.now


def codes(*payloads: bytes) -> DecodeResult:
    return DecodeResult(tuple(DecodedCode(payload=p, decoder="test") for p in payloads))


NONE = DecodeResult(())


def run_script(
    results: Sequence[DecodeResult | Exception], interval_ms: float = 1000 / 30, **kwargs: object
) -> Events:
    script = Script(results, interval_ms)
    return run_to_end(script, decoder=script, clock=script.clock, **kwargs)


def test_run_continues_through_short_gaps() -> None:
    # At 30 fps: 10 frames (0.33 s) without the code do not end the run.
    events = run_script([codes(A)] * 5 + [NONE] * 10 + [codes(A)] * 3)
    assert events.scans() == [A]


def test_run_ends_after_half_a_second_without_the_code() -> None:
    events = run_script([codes(A)] * 5 + [NONE] * 16 + [codes(A)] * 3 + [NONE] * 14 + [codes(A)])
    assert events.scans() == [A, A]  # 16 frames = 0.53 s; 14 frames = 0.47 s is too short


def test_run_needs_several_looks_with_a_slow_decoder() -> None:
    # 3 frames a second: two misses cover 0.67 s but are not enough; three are.
    events = run_script([codes(A), NONE, NONE, codes(A), NONE, NONE, NONE, codes(A)], 333)
    assert events.scans() == [A, A]


def test_each_new_code_in_a_frame_is_scanned_once() -> None:
    events = run_script([codes(A, B), codes(B, A), codes(B), codes(A, B, C, C), codes(C)])
    assert events.scans() == [A, B, C]
    scans = [e for e in events.all if isinstance(e, CodeScanned)]
    assert [s.frame_mono_ns for s in scans] == [0, 0, 3 * round(1e9 / 30)]
    assert all(s.decoded_mono_ns == s.frame_mono_ns for s in scans)  # the injected clock


def test_empty_payloads_are_not_scans() -> None:
    assert run_script([codes(b""), codes(b"", A)]).scans() == [A]


def test_unreadable_is_rate_limited_per_reason() -> None:
    small = DecodeResult((), unreadable="too_small")
    blurred = DecodeResult((), unreadable="blurred")
    # 3 s at 30 fps of a code too small to read, with some blurred frames in between.
    results = [blurred if i % 10 == 5 else small for i in range(90)]
    events = run_script(results)
    reasons = [e.reason for e in events.all if isinstance(e, CodeUnreadable)]
    assert reasons == ["too_small", "blurred", "too_small", "blurred", "too_small", "blurred"]


def test_unreadable_is_not_reported_while_a_code_is_being_scanned() -> None:
    blurred = DecodeResult((), unreadable="blurred")
    # The phone moves away after a scan: blurred frames for 0.33 s, then it is held up
    # again, too far: unreadable is reported once the run has ended.
    results = [codes(A)] * 3 + [blurred] * 10 + [NONE] * 10 + [blurred]
    events = run_script(results)
    assert events.seen() == [A, "CodeUnreadable", "SourceEnded"]


def test_a_decoder_that_raises_does_not_stop_the_worker(caplog: pytest.LogCaptureFixture) -> None:
    secret = "079199012345|Trần Thị Bích Ngọc"
    boom = ValueError(f"cannot parse {secret}")
    results: list[DecodeResult | Exception] = [boom, codes(A), boom, boom, codes(A), codes(B)]
    with caplog.at_level(logging.DEBUG):
        events = run_script(results)
    assert events.seen() == [A, B, "SourceEnded"]
    assert "decoder raised ValueError" in caplog.text
    assert secret not in caplog.text and "079199012345" not in caplog.text


def test_decoder_errors_on_real_frames_are_counted(tmp_path: Path) -> None:
    calls = [0]
    inner = decoder()

    class Sometimes:
        def decode(self, image: Image) -> DecodeResult:
            calls[0] += 1
            if calls[0] % 2:
                raise RuntimeError("decoder bug")
            return inner.decode(image)

    write_images(tmp_path, [code_image(CCCD)])
    events = Events()
    w = worker(ImageFolderSource(tmp_path, repeat=20, fps=60), events, decoder=Sometimes())
    w.start()
    events.next(SourceEnded)
    assert events.scans() == [A]
    assert w.stats().decode_errors >= 1


def test_an_event_handler_that_raises_does_not_stop_the_worker(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[ScanEvent] = []

    def handler(event: ScanEvent) -> None:
        seen.append(event)
        if isinstance(event, CodeScanned):
            raise RuntimeError(f"screen bug {event.payload!r}")

    script = Script([codes(A), NONE, codes(B)], 1000)
    w = ScanWorker(script, script, handler, clock=script.clock, preview_fps=0)
    with caplog.at_level(logging.ERROR):
        w.start()
        assert w.wait(WAIT)
    assert [type(e) for e in seen] == [CodeScanned, CodeScanned, SourceEnded]
    assert "on_event raised RuntimeError for CodeScanned" in caplog.text
    assert "079199012345" not in caplog.text


def test_black_frames_by_frame_time() -> None:
    class Dark(Script):
        def read(self) -> Frame | None:
            frame = super().read()
            if frame is None:
                return None
            return Frame(
                mark(np.full((4, 4, 3), 3, np.uint8), frame.index), frame.index, frame.mono_ns
            )

    dark = Dark([NONE] * 12, 100)
    events = run_to_end(dark, decoder=dark, clock=dark.clock, blank_after_s=1.0)
    assert events.seen() == ["CameraBlank", "SourceEnded"]  # at 1.0 s of 1.1 s


# -- stop ------------------------------------------------------------------------------------


def timed_stop(w: ScanWorker, timeout: float = 1.0) -> tuple[bool, float]:
    started = time.monotonic()
    stopped = w.stop(timeout)
    return stopped, time.monotonic() - started


def test_stop_is_quick_and_closes_the_source(tmp_path: Path) -> None:
    write_images(tmp_path, [empty_image(), code_image(CCCD)])
    source = Recording(ImageFolderSource(tmp_path, repeat=5, fps=30, loop=True))
    events = Events()
    w = worker(source, events, preview_fps=30)
    w.start()
    events.next(CodeScanned)
    stopped, elapsed = timed_stop(w)
    assert stopped and elapsed < 1.0
    assert not w.running
    assert (source.opens, source.closes) == (1, 1)
    count = len(events.all)
    time.sleep(0.1)
    assert len(events.all) == count  # nothing after stop()


def test_stop_during_a_slow_decode() -> None:
    started = threading.Event()

    class Slow:
        def decode(self, image: Image) -> DecodeResult:
            started.set()
            time.sleep(0.5)
            return NONE

    source = Burst(empty=10_000, code=0)
    w = worker(source, Events(), decoder=Slow())
    w.start()
    assert started.wait(WAIT)
    stopped, elapsed = timed_stop(w)
    assert stopped and elapsed < 1.0
    assert source.closed.is_set()


class Stalled:
    """A live source whose read() blocks: for `block_s` each time (a stalled camera with a
    read timeout), or until `release` is set (block_s None)."""

    live = True
    name = "stalled"

    def __init__(self, block_s: float | None) -> None:
        self.block_s = block_s
        self.reading = threading.Event()
        self.release = threading.Event()
        self.closed = threading.Event()
        self.index = 0

    def open(self) -> None:
        pass

    def read(self) -> Frame:
        self.reading.set()
        if self.block_s is None:
            self.release.wait()
        else:
            time.sleep(self.block_s)
        self.index += 1
        return Frame(empty_image(), self.index, time.monotonic_ns())

    def close(self) -> None:
        self.closed.set()


def test_stop_while_the_source_is_blocked_for_a_while() -> None:
    source = Stalled(block_s=0.4)
    w = worker(source, Events())
    w.start()
    assert source.reading.wait(WAIT)
    stopped, elapsed = timed_stop(w)
    assert stopped and elapsed < 1.0
    assert source.closed.is_set()


def test_stop_while_the_source_never_returns() -> None:
    source = Stalled(block_s=None)
    events = Events()
    w = worker(source, events, preview_fps=100)
    w.start()
    assert source.reading.wait(WAIT)
    stopped, elapsed = timed_stop(w, 0.5)
    assert not stopped  # says so, instead of hanging
    assert elapsed < 1.0
    assert not source.closed.is_set()  # never closed under a read in progress
    source.release.set()  # the read returns at last: the capture thread closes and ends
    assert source.closed.wait(WAIT)
    assert w.wait(WAIT)
    assert events.all == []  # its frame was never reported


def test_stop_before_start_and_twice() -> None:
    source = Recording(Stalled(block_s=0.01))
    w = worker(source, Events())
    assert w.stop() is True
    assert source.opens == 0
    w2 = worker(Stalled(block_s=0.01), Events())
    w2.start()
    with pytest.raises(RuntimeError):
        w2.start()
    assert w2.stop() and w2.stop()


def test_stop_from_the_event_handler_does_not_deadlock() -> None:
    results: list[bool] = []
    done = threading.Event()
    script = Script([codes(A)] + [NONE] * 1000, 10)
    holder: list[ScanWorker] = []

    def handler(event: ScanEvent) -> None:
        if isinstance(event, CodeScanned):
            results.append(holder[0].stop())
            done.set()

    w = ScanWorker(script, script, handler, clock=script.clock, preview_fps=0)
    holder.append(w)
    w.start()
    assert done.wait(WAIT)
    assert results == [False]  # it cannot wait for its own thread, and says so
    # The script reads frame i+1 only after frame i is decoded; if the capture thread got to
    # its next read before stop() (a loaded machine), that read waits for a decode that stop()
    # ended: let it through, as a camera's next frame would come.
    script._go.release()
    assert w.wait(WAIT)


@pytest.mark.parametrize(
    "kwargs",
    [{"run_end_frames": 0}, {"preview_fps": -1}, {"backoff_first_s": 0}, {"backoff_max_s": 0.1}],
)
def test_bad_settings_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        worker(Stalled(0.01), Events(), **kwargs)


def test_events_are_never_delivered_concurrently(tmp_path: Path) -> None:
    write_images(tmp_path, [empty_image(), code_image(CCCD), empty_image(), code_image(BHYT)])
    inside = threading.Lock()
    overlaps: list[ScanEvent] = []
    events = Events()

    def handler(event: ScanEvent) -> None:
        if not inside.acquire(blocking=False):
            overlaps.append(event)
            return
        try:
            time.sleep(0.002)
            events(event)
        finally:
            inside.release()

    source = ImageFolderSource(tmp_path, repeat=15, fps=60)
    w = ScanWorker(source, decoder(), handler, preview_fps=60)
    w.start()
    events.next(SourceEnded)
    assert not overlaps
    assert events.scans() == [A, C]
