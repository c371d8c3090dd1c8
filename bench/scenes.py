"""A camera-like frame source for the benchmarks (bench/gate.py, bench/scan_latency.py).

Plays frames in real time at `fps`: `empty` frames of an empty scene, then a code for `shown`
frames, `trials` times, then ends (read() returns None). Notes when each code first appears
(`appeared`: payload, frame time), which is where the benchmarks measure latency from.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from kiosk.scanner.types import Frame, Image


class TimedScenes:
    live = True
    name = "bench"

    def __init__(
        self,
        codes: Sequence[tuple[bytes, Image]],
        empties: Sequence[Image],
        *,
        fps: float,
        empty: int,
        shown: int,
        trials: int,
    ) -> None:
        self.codes, self.empties = codes, empties
        self.empty, self.trials = empty, trials
        self.interval_ns = round(1e9 / fps)
        self.period = empty + shown
        self.index = 0
        self.next_ns = 0
        self.appeared: list[tuple[bytes, int]] = []  # per trial: payload, first frame time

    def open(self) -> None:
        self.next_ns = time.monotonic_ns()

    def read(self) -> Frame | None:
        trial, step = divmod(self.index, self.period)
        if trial >= self.trials:
            return None
        payload, image = self.codes[trial % len(self.codes)]
        if step < self.empty:
            image = self.empties[trial % len(self.empties)]
        now = time.monotonic_ns()
        if self.next_ns > now:
            time.sleep((self.next_ns - now) / 1e9)
        self.next_ns += self.interval_ns
        frame = Frame(image, self.index, time.monotonic_ns())
        if step == self.empty:
            self.appeared.append((payload, frame.mono_ns))
        self.index += 1
        return frame

    def close(self) -> None:
        pass
