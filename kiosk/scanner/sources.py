"""Frame sources: a V4L2/OpenCV camera, a Raspberry Pi camera module, a video file, a folder of
images and the built-in demo. All implement `kiosk.scanner.types.FrameSource`.

Source strings (`open_source`):

    camera:0              the first camera (OpenCV index; V4L2 on Linux)
    camera:/dev/video2    a camera by device path (also /dev/v4l/by-id/..., stable across replugs)
    picamera              a Raspberry Pi camera module through Picamera2 (`picamera:1`: the second)
    video:PATH            a video file (played at its own frame rate)
    images:DIR            the images in a folder, in name order, each shown for a few frames
    demo                  example codes of every kind, rendered, in a loop (no camera needed)

Threads: a source is used by one thread at a time (the scan worker's capture thread opens,
reads and closes it). Frames' images must be treated as read-only: the folder and demo
sources hand out the same (read-only) array for repeated frames.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np

from kiosk.scanner.types import Frame, FrameSource, Image, SourceError, SpecError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})

SPEC_FORMS: Final = (
    "camera:0 (an index)",
    "camera:/dev/video2 (a device path)",
    "picamera",
    "video:PATH",
    "images:DIR",
    "demo",
)

# The options each kind of source takes (keyword arguments of its class). open_source rejects
# a name no source knows (a typo), but ignores one that belongs to another kind, so settings
# can pass camera options whatever source is configured.
_OPTIONS: Final[dict[str, frozenset[str]]] = {
    "camera": frozenset({"width", "height", "fps", "mjpg", "backend"}),
    "picamera": frozenset({"width", "height", "fps"}),
    "video": frozenset({"realtime", "loop"}),
    "images": frozenset({"repeat", "fps", "loop"}),
    "demo": frozenset({"width", "height", "fps", "show_s", "gap_s"}),
}
_ALL_OPTIONS: Final = frozenset().union(*_OPTIONS.values())


def open_source(spec: str, **options: Any) -> FrameSource:
    """Make the source a spec string names (see the module docstring). It is not opened yet:
    the scan worker opens it on its capture thread, so a missing camera or file is reported
    there (SourceError from `open()`), not here.

    Raises SpecError when the string has none of the forms, or an option is unknown.
    """
    text = spec.strip()
    kind, sep, arg = text.partition(":")
    kind = kind.lower()
    if kind not in _OPTIONS:
        raise SpecError(f"unknown frame source {spec!r}; expected one of: {', '.join(SPEC_FORMS)}")
    unknown = sorted(set(options) - _ALL_OPTIONS)
    if unknown:
        known = ", ".join(sorted(_ALL_OPTIONS))
        raise SpecError(f"unknown source option(s) {', '.join(unknown)}; known: {known}")
    own = {k: v for k, v in options.items() if k in _OPTIONS[kind]}
    ignored = sorted(set(options) - set(own))
    if ignored:
        log.debug("options %s do not apply to %s sources", ", ".join(ignored), kind)

    if kind == "camera":
        if not arg:
            raise SpecError(f"{spec!r}: say which camera, e.g. camera:0 or camera:/dev/video2")
        if arg.isdigit():
            return CameraSource(int(arg), name=text, **own)
        if arg.startswith("/"):
            return CameraSource(arg, name=text, **own)
        raise SpecError(
            f"{spec!r}: a camera is an index (camera:0) or a device path (camera:/dev/video2)"
        )
    if kind == "picamera":
        if sep and not arg.isdigit():
            raise SpecError(f"{spec!r}: expected picamera or picamera:N (N = camera number)")
        return PicameraSource(int(arg) if arg else 0, name=text, **own)
    if kind == "demo":
        if sep:
            raise SpecError(f"{spec!r}: the demo source takes no argument (just 'demo')")
        return DemoSource(name=text, **own)
    if not arg.strip():
        what = "a video file" if kind == "video" else "a folder"
        raise SpecError(f"{spec!r}: give the path of {what} after '{kind}:'")
    if kind == "video":
        return VideoFileSource(Path(arg).expanduser(), name=text, **own)
    return ImageFolderSource(Path(arg).expanduser(), name=text, **own)


class _Pacer:
    """Sleeps so that frames come out at `fps` in real time, like a camera's.

    Deadlines are on a fixed grid (no drift); when the reader falls behind by more than a
    frame, the grid restarts from now instead of bursting to catch up.
    """

    def __init__(self, fps: float) -> None:
        self.interval_ns = round(1e9 / fps)
        self._next: int | None = None

    def reset(self) -> None:
        self._next = None

    def wait(self) -> None:
        now = time.monotonic_ns()
        if self._next is None or now - self._next > self.interval_ns:
            self._next = now
        elif self._next > now:
            time.sleep((self._next - now) / 1e9)
        self._next += self.interval_ns


def _read_only(image: Image) -> Image:
    image.setflags(write=False)
    return image


def _imread(path: Path) -> Image:
    """An image file as BGR. Through imdecode, so that any file name works (imread cannot
    open non-ASCII paths on Windows). Raises SourceError."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise SourceError(f"{path} is not an image OpenCV can read")
    return np.asarray(image, dtype=np.uint8)


def _natural_key(path: Path) -> list[Any]:
    # "2.png" before "10.png", as people number their files.
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def _fourcc_text(value: float) -> str:
    code = int(value)
    return "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4)).strip("\0") or "?"


class CameraSource:
    """A camera through OpenCV (`cv2.VideoCapture`), by index or device path.

    On Linux the V4L2 backend is used. open() asks for width x height at fps, MJPG when the
    camera offers it (most USB webcams deliver 720p at 30 fps only compressed; uncompressed
    YUYV at that size is often 10 fps) and a one-frame driver buffer, so read() returns a
    fresh frame rather than one queued while the decoder was busy. What the camera agreed to
    is logged. `backend` overrides the OpenCV API (e.g. cv2.CAP_FFMPEG for a stream URL).

    read() raises SourceError when no frame comes (unplugged, stalled); open() may be called
    again to reconnect (it releases the old handle first). A stalled V4L2 camera makes read()
    block up to OpenCV's select timeout: open() lowers it from 10 s to 1 s through
    OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT, unless it is set already (OpenCV reads it once per
    process, at the first V4L2 capture).
    """

    live = True

    def __init__(
        self,
        device: int | str,
        *,
        name: str | None = None,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        mjpg: bool = True,
        backend: int | None = None,
    ) -> None:
        self.device = device
        self.name = name or f"camera:{device}"
        self.width, self.height, self.fps, self.mjpg = width, height, fps, mjpg
        if backend is None:
            backend = cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY
        self.backend = backend
        self._cap: Any = None
        self._index = 0

    def open(self) -> None:
        self.close()
        device = self.device
        if self.backend == cv2.CAP_V4L2 and isinstance(device, int):
            # A missing /dev/videoN is the common case (unplugged); saying so beats OpenCV's
            # generic warnings, which it also prints to stderr on every retry.
            if not Path(f"/dev/video{device}").exists():
                raise SourceError(f"{self.name}: no /dev/video{device} (camera unplugged?)")
        elif isinstance(device, str) and device.startswith("/") and not Path(device).exists():
            raise SourceError(f"{self.name}: {device} does not exist (camera unplugged?)")
        os.environ.setdefault("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", "1")
        try:
            cap = cv2.VideoCapture(device, self.backend)
        except cv2.error as exc:
            raise SourceError(f"{self.name}: cannot open ({exc})") from exc
        if not cap.isOpened():
            cap.release()
            raise SourceError(f"{self.name}: cannot open (busy, or not a capture device)")
        try:
            # FOURCC before the size: V4L2 drivers list the sizes per format.
            if self.mjpg:
                cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_FPS, self.fps)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            log.info(
                "%s opened: %dx%d at %.1f fps, %s",
                self.name,
                int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
                cap.get(cv2.CAP_PROP_FPS),
                _fourcc_text(cap.get(cv2.CAP_PROP_FOURCC)),
            )
        except cv2.error as exc:
            cap.release()
            raise SourceError(f"{self.name}: cannot configure ({exc})") from exc
        self._cap = cap

    def read(self) -> Frame:
        if self._cap is None:
            raise SourceError(f"{self.name} is not open")
        try:
            ok, image = self._cap.read()
        except cv2.error as exc:
            raise SourceError(f"{self.name}: read failed ({exc})") from exc
        if not ok or image is None:
            raise SourceError(f"{self.name}: no frame (unplugged or stalled)")
        frame = Frame(image=image, index=self._index, mono_ns=time.monotonic_ns())
        self._index += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            cap, self._cap = self._cap, None
            cap.release()


class PicameraSource:
    """A Raspberry Pi camera module through Picamera2 (libcamera).

    Picamera2 comes from the OS packages (`sudo apt install python3-picamera2`; the venv needs
    `--system-site-packages` to see it), so it is imported inside open(), and nothing else in
    the kiosk depends on it. Raises SourceError when it is not installed or the camera cannot
    be started. Frames are BGR ("RGB888" is B, G, R in memory, OpenCV's order); the request
    queue is off (`queue=False`), so each read waits for a fresh frame instead of returning one
    captured while the decoder was busy.
    """

    live = True

    def __init__(
        self,
        camera_num: int = 0,
        *,
        name: str | None = None,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
    ) -> None:
        self.camera_num = camera_num
        self.name = name or "picamera"
        self.width, self.height, self.fps = width, height, fps
        self._cam: Any = None
        self._index = 0

    def open(self) -> None:
        self.close()
        try:
            picamera2 = importlib.import_module("picamera2")
        except ImportError as exc:
            raise SourceError(
                "Picamera2 is not installed (sudo apt install python3-picamera2, and make "
                "the venv with --system-site-packages)"
            ) from exc
        cam: Any = None
        try:
            cam = picamera2.Picamera2(self.camera_num)
            config = cam.create_video_configuration(
                main={"size": (self.width, self.height), "format": "RGB888"},
                controls={"FrameRate": float(self.fps)},
                queue=False,
            )
            cam.configure(config)
            cam.start()
        except Exception as exc:  # Picamera2 raises RuntimeError, IndexError, OSError ...
            if cam is not None:
                self._close_quietly(cam)
            raise SourceError(f"{self.name}: cannot start the camera ({exc})") from exc
        self._cam = cam

    def read(self) -> Frame:
        if self._cam is None:
            raise SourceError(f"{self.name} is not open")
        try:
            image = self._cam.capture_array("main")
        except Exception as exc:  # whatever libcamera reports, the camera is gone
            raise SourceError(f"{self.name}: capture failed ({exc})") from exc
        frame = Frame(image=image, index=self._index, mono_ns=time.monotonic_ns())
        self._index += 1
        return frame

    def close(self) -> None:
        if self._cam is not None:
            cam, self._cam = self._cam, None
            self._close_quietly(cam)

    def _close_quietly(self, cam: Any) -> None:
        try:
            cam.close()
        except Exception:
            # Closing a camera that already failed may fail again; it is released either way.
            log.warning("%s: close failed", self.name, exc_info=True)


class VideoFileSource:
    """A video file, read with OpenCV (FFmpeg).

    realtime=True (the default) paces frames at the file's frame rate, like a camera; False
    reads as fast as decoding allows. read() returns None at the end, unless `loop`, which
    starts again from the beginning. open() raises SourceError when the file is missing or
    cannot be decoded; read() when decoding fails midway is indistinguishable from the end
    (OpenCV does not say), so it also returns None.
    """

    live = False

    def __init__(
        self,
        path: Path | str,
        *,
        name: str | None = None,
        realtime: bool = True,
        loop: bool = False,
    ) -> None:
        self.path = Path(path)
        self.name = name or f"video:{path}"
        self.realtime, self.loop = realtime, loop
        self._cap: Any = None
        self._pacer: _Pacer | None = None
        self._index = 0
        self.fps = 0.0

    def open(self) -> None:
        self.close()
        if not self.path.is_file():
            raise SourceError(f"{self.name}: no such file")
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise SourceError(f"{self.name}: not a video file OpenCV can read")
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        # Some containers report 0 or nonsense; 30 fps is what a webcam would give.
        self.fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self._pacer = _Pacer(self.fps) if self.realtime else None
        self._cap = cap

    def read(self) -> Frame | None:
        if self._cap is None:
            raise SourceError(f"{self.name} is not open")
        ok, image = self._cap.read()
        if not ok and self.loop and self._index > 0:
            self._cap.release()
            self._cap = cv2.VideoCapture(str(self.path))
            ok, image = self._cap.read()
        if not ok or image is None:
            return None
        if self._pacer is not None:
            self._pacer.wait()
        frame = Frame(image=image, index=self._index, mono_ns=time.monotonic_ns())
        self._index += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            cap, self._cap = self._cap, None
            cap.release()


class ImageFolderSource:
    """The images in a folder (png, jpg, jpeg, webp, bmp; other files are skipped), in natural
    name order ("2.png" before "10.png"). Each is returned `repeat` times in a row, as a code
    held up in front of a camera is in several frames. `fps` paces the frames in real time;
    None (the default) returns them as fast as they are read. read() returns None after the
    last one, unless `loop`.

    open() raises SourceError when the folder is missing or has no images; read() raises it
    when a file cannot be read or decoded (it was removed, or is not really an image).
    """

    live = False

    def __init__(
        self,
        folder: Path | str,
        *,
        name: str | None = None,
        repeat: int = 5,
        fps: float | None = None,
        loop: bool = False,
    ) -> None:
        if repeat < 1:
            raise ValueError(f"repeat must be at least 1, not {repeat}")
        self.folder = Path(folder)
        self.name = name or f"images:{folder}"
        self.repeat, self.loop = repeat, loop
        self._pacer = _Pacer(fps) if fps else None
        self._files: list[Path] = []
        self._open = False
        self._position = 0  # frames returned since open()
        self._current: tuple[int, Image] | None = None  # (file number, its image)
        self._index = 0

    @property
    def files(self) -> list[Path]:
        """The images found by the last open(), in the order they are shown."""
        return list(self._files)

    def open(self) -> None:
        if not self.folder.is_dir():
            raise SourceError(f"{self.name}: no such folder")
        try:
            files = [
                p
                for p in self.folder.iterdir()
                if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
            ]
        except OSError as exc:
            raise SourceError(f"{self.name}: cannot list the folder ({exc})") from exc
        if not files:
            raise SourceError(
                f"{self.name}: no images ({', '.join(sorted(IMAGE_SUFFIXES))}) in the folder"
            )
        self._files = sorted(files, key=_natural_key)
        self._open = True
        self._position = 0
        self._current = None
        if self._pacer is not None:
            self._pacer.reset()

    def read(self) -> Frame | None:
        if not self._open:
            raise SourceError(f"{self.name} is not open")
        number = self._position // self.repeat
        if number >= len(self._files):
            if not self.loop:
                return None
            self._position, number = 0, 0
        if self._current is None or self._current[0] != number:
            self._current = (number, _read_only(_imread(self._files[number])))
        self._position += 1
        if self._pacer is not None:
            self._pacer.wait()
        frame = Frame(image=self._current[1], index=self._index, mono_ns=time.monotonic_ns())
        self._index += 1
        return frame

    def close(self) -> None:
        self._open = False
        self._current = None


# How the demo shows its codes, in turn: (symbol width in px, render condition). Sizes and
# conditions vary as they do at a real gate, but stay readable: the demo is for showing the
# kiosk working, not for testing the decoder.
_DEMO_LOOKS: Final = (
    (320, "clean"),
    (280, "tilt"),
    (360, "paper"),
    (300, "rotate"),
    (340, "jpeg"),
    (300, "inverted"),
    (380, "low_contrast"),
)


class DemoSource:
    """Example codes of every kind (kiosk.demo.EXAMPLES: ID cards, health insurance, a venue
    code, garbage), rendered as camera frames, so the kiosk runs without a camera.

    Each code is shown for `show_s` seconds, then the empty scene for `gap_s` (so showing the
    next one, or the same one again, counts as a new scan), at `fps` in real time, forever.
    live is False (nothing to reconnect), but read() blocks like a camera's. Each image is
    rendered once, the first time it is needed, and then reused (read-only); that first read
    of each code takes ~0.1-0.3 s.
    """

    live = False

    def __init__(
        self,
        *,
        name: str = "demo",
        width: int = 1280,
        height: int = 720,
        fps: float = 15.0,
        show_s: float = 2.0,
        gap_s: float = 1.0,
        examples: tuple[tuple[str, str | bytes], ...] | None = None,
    ) -> None:
        if examples is None:
            from kiosk.demo import EXAMPLES

            examples = EXAMPLES
        if not examples:
            raise ValueError("the demo needs at least one example")
        self.name = name
        self.examples = examples
        self.width, self.height = width, height
        self._show = max(1, round(show_s * fps))
        self._gap = max(0, round(gap_s * fps))
        self._pacer = _Pacer(fps)
        self._codes: dict[int, Image] = {}
        self._empty: Image | None = None
        self._index = 0

    def open(self) -> None:
        self._pacer.reset()

    def read(self) -> Frame:
        period = self._show + self._gap
        item = (self._index // period) % len(self.examples)
        image: Image
        if self._index % period < self._show:
            cached = self._codes.get(item)
            if cached is None:
                # Imported here: a kiosk with a camera never loads the renderer.
                from kiosk.scanner.render import render_frame

                size, condition = _DEMO_LOOKS[item % len(_DEMO_LOOKS)]
                payload = self.examples[item][1]
                cached = _read_only(
                    render_frame(
                        payload,
                        size_px=size,
                        condition=condition,
                        seed=item,
                        width=self.width,
                        height=self.height,
                    )
                )
                self._codes[item] = cached
            image = cached
        else:
            if self._empty is None:
                from kiosk.scanner.render import render_empty

                self._empty = _read_only(render_empty(width=self.width, height=self.height))
            image = self._empty
        self._pacer.wait()
        frame = Frame(image=image, index=self._index, mono_ns=time.monotonic_ns())
        self._index += 1
        return frame

    def close(self) -> None:
        pass
