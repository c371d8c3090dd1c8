"""The scanner's vocabulary: frames, decoded codes, and the events the scan worker reports.

Qt-free. The screen (kiosk.ui) wraps the worker's events into Qt signals; everything here is a
frozen value that may cross threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]  # H x W (gray) or H x W x 3 (BGR, OpenCV's order)


class SourceError(Exception):
    """A frame source cannot be opened or has failed (camera unplugged, file unreadable)."""


class SpecError(ValueError):
    """A source string (`camera:0`, `video:PATH`, ...) is malformed; the message says why."""


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    image: Image
    index: int  # 0, 1, 2 ... per source
    mono_ns: int  # time.monotonic_ns() when it was captured


class FrameSource(Protocol):
    """Where frames come from. One thread calls open/read/close (the worker's capture thread).

    read() returns the next frame, or None at the end of a finite source (file, folder);
    a live source blocks until a frame is there. It raises SourceError when the source fails;
    a live source may then be open()ed again (reconnect).
    """

    name: str  # the spec it was made from, for logs and the screen
    live: bool  # a camera (may be lost and come back) rather than a file or folder

    def open(self) -> None: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class DecodedCode:
    """One code read in a frame. `payload` is exact: the bytes the symbol holds."""

    payload: bytes
    decoder: str  # "zxing-cpp" | "pyzbar" | "opencv"
    corners: tuple[tuple[int, int], ...] = ()  # in frame pixels, when the decoder gives them


@dataclass(frozen=True, slots=True)
class DecodeResult:
    codes: tuple[DecodedCode, ...]
    # A QR code is in view but could not be read: "too_small", "blurred", or "unreadable".
    unreadable: str | None = None
    ms: float = 0.0


class FrameDecoder(Protocol):
    def decode(self, image: Image) -> DecodeResult: ...


# -- events from the scan worker (past tense: something happened) --------------------------


@dataclass(frozen=True, slots=True)
class CodeScanned:
    """A new code: the first frame of a run of frames that show the same payload, or a
    hardware scanner's line."""

    payload: bytes
    source: str  # "camera" | "keyboard"
    frame_mono_ns: int  # when the frame (or the Enter key) was captured
    decoded_mono_ns: int  # when decoding finished


@dataclass(frozen=True, slots=True)
class CodeUnreadable:
    """A code is in view but cannot be read: the screen says "hold it closer" / "hold still"."""

    reason: str  # "too_small" | "blurred" | "unreadable"


@dataclass(frozen=True, slots=True)
class CameraLost:
    message: str  # for the log and the technician, never shown raw to visitors


@dataclass(frozen=True, slots=True)
class CameraRestored:
    pass


@dataclass(frozen=True, slots=True)
class CameraBlank:
    """Frames arrive but are black (lens covered, broken sensor, wrong device)."""


@dataclass(frozen=True, slots=True)
class SourceEnded:
    """A finite source (file, folder) has no more frames."""


@dataclass(frozen=True, slots=True)
class PreviewFrame:
    """The latest frame for the preview, at most a few per second are sent."""

    frame: Frame = field(compare=False)


ScanEvent = (
    CodeScanned
    | CodeUnreadable
    | CameraLost
    | CameraRestored
    | CameraBlank
    | SourceEnded
    | PreviewFrame
)
