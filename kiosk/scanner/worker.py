"""The scan worker: reads frames from a source and decodes them off the GUI thread, and reports
what happened as events (kiosk.scanner.types: CodeScanned, CodeUnreadable, CameraLost, ...).

Qt-free. The screen wraps it: its `on_event` callback emits a Qt signal carrying the event, so
the GUI thread receives it through a queued connection.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kiosk.scanner.types import (
    CameraBlank,
    CameraLost,
    CameraRestored,
    CodeScanned,
    CodeUnreadable,
    Frame,
    FrameDecoder,
    FrameSource,
    PreviewFrame,
    ScanEvent,
    SourceEnded,
    SourceError,
)

log = logging.getLogger(__name__)

# A run of frames showing the same payload ends when the payload has been missing from at
# least RUN_END_FRAMES consecutive decoded frames AND for at least RUN_END_S since the last
# frame that showed it. Both, because either alone splits one showing into two scans: a few
# frames are lost to motion blur or glare in a fraction of a second at 30 fps, and a slow
# decoder (a Pi, ~5 frames a second) covers 0.5 s in two looks. Taking the phone away and
# showing it again takes longer than that, so it is a new scan; whether it counts again is
# the core's decision (its duplicate window), not the worker's.
RUN_END_S: Final = 0.5
RUN_END_FRAMES: Final = 3

UNREADABLE_EVERY_S: Final = 1.0  # at most one CodeUnreadable per reason per second
BLANK_LEVEL: Final = 10.0  # mean brightness (0-255) under which a frame counts as black
BACKOFF_FIRST_S: Final = 0.5  # reconnect attempts: 0.5 s, 1, 2, 4, then every 5 s
BACKOFF_MAX_S: Final = 5.0
_ERROR_LOG_EVERY_S: Final = 10.0  # a decoder failing on every frame logs once per 10 s

EventCallback = Callable[[ScanEvent], None]


@dataclass(frozen=True, slots=True)
class WorkerStats:
    """Counters since start(); read without locking, so a snapshot may be off by one."""

    frames_read: int
    frames_decoded: int
    frames_skipped: int  # replaced by a newer frame before the decoder took them
    decode_errors: int  # decode() raised
    decode_s: float  # total time spent in decode()


@dataclass(slots=True)
class _CaptureState:
    backoff_s: float  # the wait before the next reconnect attempt
    lost: bool = False  # CameraLost was reported and no frame has come since
    blank_since: int | None = None  # Frame.mono_ns of the first of the black frames
    blank_reported: bool = False
    last_preview_ns: int | None = None


@dataclass(slots=True)
class _Run:
    last_seen_ns: int  # Frame.mono_ns of the last frame that showed the payload
    missed: int = 0  # decoded frames since then that did not


class ScanWorker:
    """Decodes the frames of `source` with `decoder` and calls `on_event` with what happened.

    Two threads, started by start(): the capture thread opens the source and reads frames
    continuously into a one-frame mailbox; the decode thread takes the newest frame, decodes
    it and reports. Latest frame wins: a frame the decoder had no time for is replaced, never
    queued, so a slow decode delays the next scan by at most one decode, never by a backlog.

    Events:
      - CodeScanned(source="camera") for the first decoded frame of a run showing a payload
        (see RUN_END_S): holding a code up gives one event, however long. Each new payload in
        a frame with several codes gives its own event.
      - CodeUnreadable(reason) when the decoder sees a code it cannot read and nothing is
        being scanned, at most once per `unreadable_every_s` per reason.
      - CameraLost(message) when the source cannot be opened or fails. A live source (a
        camera) is then closed and opened again with backoff (0.5 s doubling to 5 s) until
        it delivers a frame: CameraRestored. A finite source (file, folder, demo) that fails
        is not retried: CameraLost, then SourceEnded.
      - CameraBlank when frames have been near-black (mean brightness below `blank_level`)
        for `blank_after_s` (lens covered, wrong device); CameraRestored when a frame that
        is not black follows.
      - SourceEnded when a finite source has no more frames, after the last frame's events;
        the worker then stops by itself (the source is closed; stop() is still fine to call).
      - PreviewFrame for at most `preview_fps` frames per second (0: none).

    Timing of what frames show (run end, blank duration, preview spacing) uses Frame.mono_ns;
    the worker's own moments (CodeScanned.decoded_mono_ns, the CodeUnreadable rate limit)
    use `clock`.

    Thread contract: `on_event` is called on the worker's threads (capture or decode), one
    call at a time, never after stop() has returned. It must be thread-safe and quick (emit a
    Qt signal, put on a queue) and must not wait for the GUI thread (no blocking-queued
    connection): stop() waits for a call in progress. An exception from it, or from the
    decoder, is logged and the loop goes on. Logs never contain payloads.
    """

    def __init__(
        self,
        source: FrameSource,
        decoder: FrameDecoder,
        on_event: EventCallback,
        *,
        clock: Callable[[], int] = time.monotonic_ns,
        preview_fps: float = 10.0,
        blank_after_s: float = 3.0,
        blank_level: float = BLANK_LEVEL,
        run_end_s: float = RUN_END_S,
        run_end_frames: int = RUN_END_FRAMES,
        unreadable_every_s: float = UNREADABLE_EVERY_S,
        backoff_first_s: float = BACKOFF_FIRST_S,
        backoff_max_s: float = BACKOFF_MAX_S,
    ) -> None:
        if preview_fps < 0 or blank_after_s < 0 or run_end_s < 0 or unreadable_every_s < 0:
            raise ValueError("durations and rates must not be negative")
        if run_end_frames < 1:
            raise ValueError("run_end_frames must be at least 1")
        if not 0 < backoff_first_s <= backoff_max_s:
            raise ValueError("need 0 < backoff_first_s <= backoff_max_s")
        self.source = source
        self._decoder = decoder
        self._on_event = on_event
        self._clock = clock
        self._preview_ns = round(1e9 / preview_fps) if preview_fps > 0 else None
        self._blank_after_ns = round(blank_after_s * 1e9)
        self._blank_level = blank_level
        self._run_end_ns = round(run_end_s * 1e9)
        self._run_end_frames = run_end_frames
        self._unreadable_every_ns = round(unreadable_every_s * 1e9)
        self._backoff_first_s = backoff_first_s
        self._backoff_max_s = backoff_max_s

        self._stop = threading.Event()
        self._cond = threading.Condition()  # guards the mailbox and the capture flags
        self._slot: Frame | None = None  # the mailbox: the newest frame not yet decoded
        self._capture_done = False
        self._ended = False  # the source ended (or failed) by itself: SourceEnded is due
        # Reentrant: on_event may call stop() (it then cannot wait for its own thread).
        self._emit_lock = threading.RLock()
        self._threads: tuple[threading.Thread, ...] = ()

        self._frames_read = 0
        self._frames_decoded = 0
        self._frames_skipped = 0
        self._decode_errors = 0
        self._decode_s = 0.0
        self._error_logged_at: float | None = None

    # -- control (any thread) --------------------------------------------------------------

    def start(self) -> None:
        """Start the threads; they open the source. Raises RuntimeError when called twice."""
        if self._threads:
            raise RuntimeError("a ScanWorker can be started once")
        self._threads = (
            threading.Thread(target=self._capture_loop, name="scan-capture", daemon=True),
            threading.Thread(target=self._decode_loop, name="scan-decode", daemon=True),
        )
        for thread in self._threads:
            thread.start()
        log.info("scan worker started on %s", self.source.name)

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop both threads and close the source; returns True when they ended in time.

        No event is delivered after it returns (a call in progress is waited for, within the
        timeout). The capture thread closes the source (releases the camera) as it ends. It
        returns False when a thread is still busy at the timeout: a decode() or a source's
        open() or read() that takes longer (a stalled V4L2 camera blocks up to OpenCV's select
        timeout). That thread then ends, closing the source, as soon as the call returns; the
        threads are daemons, so they never keep the process alive. Called from on_event (a
        worker thread), it cannot wait for that thread and returns False.
        """
        deadline = time.monotonic() + timeout
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._emit_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            self._emit_lock.release()
        current = threading.current_thread()
        for thread in self._threads:
            if thread is not current:
                thread.join(max(0.0, deadline - time.monotonic()))
        stopped = not any(t.is_alive() for t in self._threads if t is not current)
        stopped = stopped and current not in self._threads
        if stopped:
            log.info("scan worker stopped")
        else:
            log.warning("scan worker did not stop within %.1f s", timeout)
        return stopped

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the worker has ended by itself (after SourceEnded) or been stopped;
        True when both threads have ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def stats(self) -> WorkerStats:
        return WorkerStats(
            frames_read=self._frames_read,
            frames_decoded=self._frames_decoded,
            frames_skipped=self._frames_skipped,
            decode_errors=self._decode_errors,
            decode_s=self._decode_s,
        )

    # -- capture thread ----------------------------------------------------------------------

    def _capture_loop(self) -> None:
        source = self.source
        state = _CaptureState(backoff_s=self._backoff_first_s)
        is_open = False
        ended = False
        try:
            while not self._stop.is_set():
                if not is_open:
                    try:
                        source.open()
                        is_open = True
                        continue
                    except Exception as exc:  # noqa: BLE001 - reported as CameraLost, below
                        message = _failure(source, "cannot be opened", exc)
                else:
                    try:
                        frame = source.read()
                    except Exception as exc:  # noqa: BLE001 - reported as CameraLost, below
                        message = _failure(source, "failed", exc)
                        is_open = False
                        self._close_source()
                    else:
                        if frame is None:
                            log.info("%s has no more frames", source.name)
                            ended = True
                            break
                        self._deliver(frame, state)
                        continue
                # The source could not be opened or has failed.
                if not source.live:
                    self._emit(CameraLost(message))
                    ended = True
                    break
                if not state.lost:
                    state.lost = True
                    self._emit(CameraLost(message))
                log.info("retrying %s in %.1f s", source.name, state.backoff_s)
                if self._stop.wait(state.backoff_s):
                    break
                state.backoff_s = min(state.backoff_s * 2, self._backoff_max_s)
        except Exception as exc:  # noqa: BLE001 - a bug here must not hang the decode thread
            log.error("capture loop failed: %s\n%s", type(exc).__name__, _stack(exc))
            self._emit(CameraLost(f"internal error in the capture loop ({type(exc).__name__})"))
            ended = True
        finally:
            if is_open:
                self._close_source()
            with self._cond:
                self._capture_done = True
                self._ended = ended
                self._cond.notify_all()

    def _deliver(self, frame: Frame, state: _CaptureState) -> None:
        """A frame has been read: report a restored camera, check for black, hand the frame
        to the decoder (replacing one it has not taken), send a preview."""
        self._frames_read += 1
        if state.lost:
            state.lost, state.backoff_s = False, self._backoff_first_s
            log.info("%s is back", self.source.name)
            self._emit(CameraRestored())
        # A sparse grid of pixels is enough to tell black from a scene, at ~1/64 the cost.
        if float(frame.image[::8, ::8].mean()) < self._blank_level:
            if state.blank_since is None:
                state.blank_since = frame.mono_ns
            if not state.blank_reported and (
                frame.mono_ns - state.blank_since >= self._blank_after_ns
            ):
                state.blank_reported = True
                log.warning("%s sends black frames", self.source.name)
                self._emit(CameraBlank())
        else:
            state.blank_since = None
            if state.blank_reported:
                state.blank_reported = False
                log.info("%s sends images again", self.source.name)
                self._emit(CameraRestored())
        with self._cond:
            if self._slot is not None:
                self._frames_skipped += 1
            self._slot = frame
            self._cond.notify_all()
        # After the mailbox, so that the decoder need not wait for the preview's callback.
        if self._preview_ns is not None and (
            state.last_preview_ns is None
            or frame.mono_ns - state.last_preview_ns >= self._preview_ns
        ):
            state.last_preview_ns = frame.mono_ns
            self._emit(PreviewFrame(frame))

    def _close_source(self) -> None:
        try:
            self.source.close()
        except Exception:
            # Closing a failed camera may fail too; there is nothing more to release.
            log.warning("closing %s failed", self.source.name, exc_info=True)

    # -- decode thread -------------------------------------------------------------------

    def _decode_loop(self) -> None:
        runs: dict[bytes, _Run] = {}
        unreadable_at: dict[str, int] = {}
        while True:
            with self._cond:
                while self._slot is None and not self._capture_done and not self._stop.is_set():
                    self._cond.wait()
                if self._stop.is_set():
                    return
                frame, self._slot = self._slot, None
                ended = self._ended
            if frame is None:  # the capture thread has finished and everything is decoded
                if ended:
                    self._emit(SourceEnded())
                return
            try:
                self._decode(frame, runs, unreadable_at)
            except Exception as exc:  # noqa: BLE001 - the loop must survive a bug in one frame
                log.error("decode loop error: %s\n%s", type(exc).__name__, _stack(exc))

    def _decode(self, frame: Frame, runs: dict[bytes, _Run], unreadable_at: dict[str, int]) -> None:
        started = time.perf_counter()
        try:
            result = self._decoder.decode(frame.image)
        except Exception as exc:  # noqa: BLE001 - logged without its message (may hold data)
            self._decode_s += time.perf_counter() - started
            self._decode_errors += 1
            now_s = time.monotonic()
            if self._error_logged_at is None or now_s - self._error_logged_at >= _ERROR_LOG_EVERY_S:
                self._error_logged_at = now_s
                log.error(
                    "decoder raised %s on frame %d (%d errors so far); going on\n%s",
                    type(exc).__name__,
                    frame.index,
                    self._decode_errors,
                    _stack(exc),
                )
            return  # nothing is known about this frame: runs are left as they are
        self._decode_s += time.perf_counter() - started
        self._frames_decoded += 1
        now = self._clock()

        # Payloads in this frame, once each, in the decoder's order.
        seen: dict[bytes, str] = {}
        for code in result.codes:
            if code.payload:
                seen.setdefault(code.payload, code.decoder)
        for payload, decoder in seen.items():
            run = runs.get(payload)
            if run is not None:
                run.last_seen_ns, run.missed = frame.mono_ns, 0
                continue
            runs[payload] = _Run(last_seen_ns=frame.mono_ns)
            log.info(
                "code scanned: %d bytes by %s, %.0f ms after capture",
                len(payload),
                decoder,
                (now - frame.mono_ns) / 1e6,
            )
            self._emit(
                CodeScanned(
                    payload=payload,
                    source="camera",
                    frame_mono_ns=frame.mono_ns,
                    decoded_mono_ns=now,
                )
            )
        for payload in [p for p in runs if p not in seen]:
            run = runs[payload]
            run.missed += 1
            if (
                run.missed >= self._run_end_frames
                and frame.mono_ns - run.last_seen_ns >= self._run_end_ns
            ):
                del runs[payload]

        # "Hold it closer" only when nothing is being read: not while a code is held up, nor
        # in the moment after (the phone leaving the view blurs too).
        reason = result.unreadable
        if reason and not runs:
            last = unreadable_at.get(reason)
            if last is None or now - last >= self._unreadable_every_ns:
                unreadable_at[reason] = now
                self._emit(CodeUnreadable(reason=reason))

    # -- both threads ----------------------------------------------------------------------

    def _emit(self, event: ScanEvent) -> None:
        # Serialised, and never after stop(): the flag is checked under the lock, which stop()
        # takes after setting it. The timed acquire lets a thread give up once stopping, so a
        # callback that calls stop() cannot deadlock with the other thread's emit.
        while not self._emit_lock.acquire(timeout=0.05):
            if self._stop.is_set():
                return
        try:
            if self._stop.is_set():
                return
            try:
                self._on_event(event)
            except Exception as exc:  # noqa: BLE001 - the UI's bug must not stop scanning
                log.error(
                    "on_event raised %s for %s\n%s",
                    type(exc).__name__,
                    type(event).__name__,
                    _stack(exc),
                )
        finally:
            self._emit_lock.release()


def _failure(source: FrameSource, what: str, exc: BaseException) -> str:
    """The CameraLost message for a source failure, logged. A SourceError's message is meant
    for people; anything else is a bug in the source, logged with its traceback."""
    if isinstance(exc, SourceError):
        message = str(exc) or f"{source.name} {what}"
        log.warning("%s %s: %s", source.name, what, message)
    else:
        message = f"{source.name} {what} ({type(exc).__name__})"
        log.error("%s %s: %s\n%s", source.name, what, type(exc).__name__, _stack(exc))
    return message


def _stack(exc: BaseException) -> str:
    """Where an exception was raised, without its message: a decoder's or a callback's
    exception message may quote the payload, which must not reach the logs."""
    return "".join(traceback.format_tb(exc.__traceback__)).rstrip()
