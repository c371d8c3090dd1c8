"""Frame sources: spec strings, image folders, video files, the camera class on a file, the demo.

No camera is needed: frames are rendered (kiosk.scanner.render) and written to tmp_path as
images or as an MJPG .avi, which opencv-python-headless writes and reads itself. The helpers
here are also used by test_worker.py.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.demo import EXAMPLES
from kiosk.scanner.decode import ChainDecoder
from kiosk.scanner.render import render_empty, render_frame
from kiosk.scanner.sources import (
    CameraSource,
    DemoSource,
    ImageFolderSource,
    PicameraSource,
    VideoFileSource,
    open_source,
)
from kiosk.scanner.types import Frame, FrameSource, Image, SourceError, SpecError

W, H = 640, 480  # small frames keep rendering and decoding fast in tests

CCCD = dict(EXAMPLES)["CCCD"]  # diacritics: "Trần Thị Bích Ngọc", "Nữ", ...
PERSONAL = dict(EXAMPLES)["personal QR"]
BHYT = dict(EXAMPLES)["BHYT"]


# -- helpers (also used by test_worker.py) -----------------------------------------------


@functools.lru_cache(maxsize=64)
def code_image(payload: str, size_px: int = 260, condition: str = "clean", seed: int = 0) -> Image:
    """A rendered W x H frame showing `payload` (cached, read-only)."""
    image = render_frame(
        payload, size_px=size_px, condition=condition, seed=seed, width=W, height=H
    )
    image.setflags(write=False)
    return image


@functools.lru_cache(maxsize=8)
def empty_image(seed: int = 0) -> Image:
    image = render_empty(seed=seed, width=W, height=H)
    image.setflags(write=False)
    return image


def black_image() -> Image:
    return np.zeros((H, W, 3), np.uint8)


def write_images(folder: Path, images: Sequence[Image]) -> list[Path]:
    """Write images as 0.png, 1.png, ... (natural order: 10.png comes after 9.png)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, image in enumerate(images):
        path = folder / f"{i}.png"
        assert cv2.imwrite(str(path), image)
        paths.append(path)
    return paths


def write_video(path: Path, images: Sequence[Image], fps: float = 30.0) -> Path:
    """An MJPG .avi of `images`, written beside `path` and renamed into place (atomic, so a
    reader never sees half a file)."""
    tmp = path.with_name(path.name + ".tmp.avi")
    height, width = images[0].shape[:2]
    writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for image in images:
        writer.write(image)
    writer.release()
    os.replace(tmp, path)
    return path


def read_all(source: FrameSource, limit: int = 10_000) -> list[Frame]:
    frames = []
    for _ in range(limit):
        frame = source.read()
        if frame is None:
            return frames
        frames.append(frame)
    raise AssertionError(f"{source.name} gave more than {limit} frames")


def decoder() -> ChainDecoder:
    """The kiosk's decoder; a new one each time (it tracks the last code's location)."""
    return ChainDecoder()


def payloads_in(image: Image) -> list[bytes]:
    return [code.payload for code in decoder().decode(image).codes]


# -- spec strings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "cls", "attrs"),
    [
        ("camera:0", CameraSource, {"device": 0}),
        ("camera:12", CameraSource, {"device": 12}),
        ("camera:/dev/video2", CameraSource, {"device": "/dev/video2"}),
        (
            "camera:/dev/v4l/by-id/usb-Logitech_C270-video-index0",
            CameraSource,
            {"device": "/dev/v4l/by-id/usb-Logitech_C270-video-index0"},
        ),
        ("picamera", PicameraSource, {"camera_num": 0}),
        ("picamera:1", PicameraSource, {"camera_num": 1}),
        ("video:/tmp/clip.mp4", VideoFileSource, {"path": Path("/tmp/clip.mp4")}),
        ("video:relative/clip with spaces.avi", VideoFileSource, {}),
        ("video:C:/clips/gate.avi", VideoFileSource, {"path": Path("C:/clips/gate.avi")}),
        ("images:/tmp/codes", ImageFolderSource, {"folder": Path("/tmp/codes")}),
        ("images:~/codes", ImageFolderSource, {"folder": Path.home() / "codes"}),
        ("demo", DemoSource, {}),
        ("  Camera:0 ", CameraSource, {"device": 0}),
    ],
)
def test_every_spec_form_parses(spec: str, cls: type, attrs: dict[str, object]) -> None:
    source = open_source(spec)
    assert isinstance(source, cls)
    assert source.name == spec.strip()
    for key, value in attrs.items():
        assert getattr(source, key) == value
    assert source.live == (cls in (CameraSource, PicameraSource))


@pytest.mark.parametrize(
    ("spec", "hint"),
    [
        ("", "expected one of"),
        ("webcam:0", "expected one of"),
        ("/dev/video0", "expected one of"),
        ("camera", "say which camera"),
        ("camera:", "say which camera"),
        ("camera:front", "index (camera:0) or a device path"),
        ("camera:-1", "index (camera:0) or a device path"),
        ("picamera:left", "picamera:N"),
        ("video:", "path of a video file"),
        ("video:   ", "path of a video file"),
        ("images:", "path of a folder"),
        ("demo:fast", "takes no argument"),
    ],
)
def test_bad_specs_say_why(spec: str, hint: str) -> None:
    with pytest.raises(SpecError) as info:
        open_source(spec)
    assert hint in str(info.value)
    assert isinstance(info.value, ValueError)


def test_options_reach_the_source_and_typos_are_rejected() -> None:
    camera = open_source("camera:0", width=640, height=480, fps=15, mjpg=False)
    assert isinstance(camera, CameraSource)
    assert (camera.width, camera.height, camera.fps, camera.mjpg) == (640, 480, 15, False)
    # Camera settings do not stop a switch to another kind of source ...
    assert isinstance(open_source("demo", width=640, height=480, mjpg=True), DemoSource)
    assert isinstance(open_source("images:/x", repeat=2, width=640), ImageFolderSource)
    # ... but a name no source knows is a mistake.
    with pytest.raises(SpecError, match=r"unknown source option.*widht"):
        open_source("camera:0", widht=640)


@pytest.mark.parametrize("spec", ["camera:99", "camera:/dev/video99", "camera:/dev/v4l/by-id/x"])
def test_a_missing_camera_fails_on_open_not_before(spec: str) -> None:
    source = open_source(spec)  # making it never touches the device
    with pytest.raises(SourceError, match="unplugged"):
        source.open()
    source.close()  # harmless after a failed open
    with pytest.raises(SourceError, match="not open"):
        source.read()


def test_camera_index_without_v4l2_is_a_source_error_too() -> None:
    source = CameraSource(99, backend=cv2.CAP_ANY)
    with pytest.raises(SourceError, match="cannot open"):
        source.open()


def test_picamera_without_picamera2_is_a_source_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "picamera2", None)  # makes `import picamera2` fail
    source = open_source("picamera")
    with pytest.raises(SourceError, match="Picamera2 is not installed"):
        source.open()
    source.close()


def test_picamera_source_drives_picamera2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a stand-in for the Picamera2 API (the real one needs a Pi): the calls made,
    frames out, errors turned into SourceError, the camera closed."""
    calls: list[str] = []

    class FakePicamera2:
        def __init__(self, camera_num: int) -> None:
            calls.append(f"init {camera_num}")
            self.fail = False

        def create_video_configuration(self, **kwargs: object) -> dict[str, object]:
            calls.append(f"config {kwargs['main']} {kwargs['controls']} queue={kwargs['queue']}")
            return kwargs

        def configure(self, config: object) -> None:
            calls.append("configure")

        def start(self) -> None:
            calls.append("start")

        def capture_array(self, stream: str) -> Image:
            if self.fail:
                raise RuntimeError("Camera frontend has timed out!")
            return black_image()

        def close(self) -> None:
            calls.append("close")

    fake = type(sys)("picamera2")
    fake.Picamera2 = FakePicamera2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "picamera2", fake)
    source = open_source("picamera:1", width=640, height=480, fps=20)
    source.open()
    frame = source.read()
    assert frame is not None and frame.index == 0 and frame.image.shape == (H, W, 3)
    source._cam.fail = True  # type: ignore[attr-defined]
    with pytest.raises(SourceError, match="capture failed"):
        source.read()
    source.close()
    source.close()
    assert calls == [
        "init 1",
        "config {'size': (640, 480), 'format': 'RGB888'} {'FrameRate': 20.0} queue=False",
        "configure",
        "start",
        "close",
    ]


def test_nothing_imports_picamera2() -> None:
    import kiosk.scanner.sources
    import kiosk.scanner.worker  # noqa: F401

    assert "picamera2" not in sys.modules or sys.modules["picamera2"] is None


# -- image folders -----------------------------------------------------------------------


def test_image_folder_repeats_each_image_then_ends(tmp_path: Path) -> None:
    images = [code_image(CCCD), empty_image(), code_image(PERSONAL)]
    write_images(tmp_path, images)
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "sub.png").mkdir()  # a folder named like an image is skipped too
    source = open_source("images:" + str(tmp_path), repeat=3)
    source.open()
    frames = read_all(source)
    assert source.read() is None  # stays at the end
    source.close()

    assert len(frames) == 9
    assert [f.index for f in frames] == list(range(9))
    assert all(a.mono_ns <= b.mono_ns for a, b in itertools.pairwise(frames))
    for i, frame in enumerate(frames):
        assert np.array_equal(frame.image, images[i // 3])
        assert not frame.image.flags.writeable
    assert payloads_in(frames[0].image) == [CCCD.encode()]
    assert payloads_in(frames[3].image) == []


def test_image_folder_order_is_natural(tmp_path: Path) -> None:
    for name in ["10.png", "9.png", "b.JPG", "a.webp", "1.bmp"]:
        assert cv2.imwrite(str(tmp_path / name), black_image())
    source = ImageFolderSource(tmp_path)
    source.open()
    assert [p.name for p in source.files] == ["1.bmp", "9.png", "10.png", "a.webp", "b.JPG"]


def test_image_folder_loops_and_paces(tmp_path: Path) -> None:
    write_images(tmp_path, [black_image(), empty_image()])
    source = ImageFolderSource(tmp_path, repeat=2, fps=50, loop=True)
    source.open()
    frames = [source.read() for _ in range(11)]
    assert all(f is not None for f in frames)
    elapsed = (frames[-1].mono_ns - frames[0].mono_ns) / 1e9  # type: ignore[union-attr]
    assert 0.18 <= elapsed < 1.0  # 10 intervals of 20 ms
    assert np.array_equal(frames[4].image, black_image())  # type: ignore[union-attr]


def test_image_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such folder"):
        ImageFolderSource(tmp_path / "absent").open()
    with pytest.raises(SourceError, match="no images"):
        ImageFolderSource(tmp_path).open()
    (tmp_path / "broken.png").write_bytes(b"not a png")
    source = ImageFolderSource(tmp_path)
    source.open()
    with pytest.raises(SourceError, match=r"broken\.png"):
        source.read()
    source.close()
    with pytest.raises(SourceError, match="not open"):
        source.read()
    with pytest.raises(ValueError, match="repeat"):
        ImageFolderSource(tmp_path, repeat=0)


def test_image_folder_whose_file_disappears_fails_on_read(tmp_path: Path) -> None:
    paths = write_images(tmp_path, [empty_image(), code_image(CCCD)])
    source = ImageFolderSource(tmp_path, repeat=1)
    source.open()
    assert source.read() is not None
    paths[1].unlink()
    with pytest.raises(SourceError, match=r"1\.png"):
        source.read()


# -- video files ---------------------------------------------------------------------------


def test_video_file_yields_its_frames_then_none(tmp_path: Path) -> None:
    images = [empty_image()] * 5 + [code_image(CCCD)] * 5
    path = write_video(tmp_path / "gate.avi", images, fps=30)
    source = open_source(f"video:{path}", realtime=False)
    source.open()
    frames = read_all(source)
    assert source.read() is None
    source.close()
    source.close()  # twice is fine
    assert len(frames) == 10
    assert [f.index for f in frames] == list(range(10))
    assert frames[0].image.shape == (H, W, 3)
    assert payloads_in(frames[7].image) == [CCCD.encode()]  # MJPG keeps it readable


def test_video_file_plays_in_real_time(tmp_path: Path) -> None:
    path = write_video(tmp_path / "gate.avi", [empty_image()] * 10, fps=25)
    source = VideoFileSource(path)  # realtime by default
    source.open()
    assert source.fps == 25
    frames = read_all(source)
    elapsed = (frames[-1].mono_ns - frames[0].mono_ns) / 1e9
    assert 0.3 <= elapsed < 1.5  # 9 intervals of 40 ms


def test_video_file_loops(tmp_path: Path) -> None:
    path = write_video(tmp_path / "gate.avi", [empty_image()] * 3)
    source = VideoFileSource(path, realtime=False, loop=True)
    source.open()
    frames = [source.read() for _ in range(10)]
    assert [f.index for f in frames if f is not None] == list(range(10))


def test_video_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        VideoFileSource(tmp_path / "absent.avi").open()
    bogus = tmp_path / "bogus.avi"
    bogus.write_bytes(b"\0" * 1000)
    with pytest.raises(SourceError, match="not a video"):
        VideoFileSource(bogus).open()
    with pytest.raises(SourceError, match="not open"):
        VideoFileSource(bogus).read()


def test_camera_source_on_a_file_acts_like_a_camera(tmp_path: Path) -> None:
    """CameraSource opened through OpenCV's file backend: the real open/configure/read code,
    and the end of the file is what an unplugged camera looks like (read fails)."""
    path = write_video(tmp_path / "cam.avi", [code_image(CCCD)] * 4)
    source = CameraSource(str(path), backend=cv2.CAP_ANY)
    source.open()
    frames = [source.read() for _ in range(4)]
    assert [f.index for f in frames] == [0, 1, 2, 3]
    with pytest.raises(SourceError, match="no frame"):
        source.read()
    source.open()  # reconnect: a fresh capture, frame numbers go on
    assert source.read().index == 4
    source.close()
    with pytest.raises(SourceError, match="not open"):
        source.read()


# -- the demo ------------------------------------------------------------------------------


def test_demo_shows_every_example_in_turn_with_gaps() -> None:
    fps, show, gap = 100.0, 4, 2
    source = DemoSource(width=W, height=H, fps=fps, show_s=show / fps, gap_s=gap / fps)
    assert not source.live
    source.open()
    period = show + gap
    frames = [source.read() for _ in range(period * len(EXAMPLES) + 1)]
    source.close()
    assert [f.index for f in frames] == list(range(len(frames)))
    for n, (_label, payload) in enumerate(EXAMPLES):
        first = frames[n * period]
        # The same cached image for the whole showing: cheap, and read-only.
        assert all(frames[n * period + k].image is first.image for k in range(show))
        assert not first.image.flags.writeable
        assert payloads_in(first.image) == [payload.encode()], _label
        assert payloads_in(frames[n * period + show].image) == []
    # And round again.
    assert frames[-1].image is frames[0].image


def test_demo_is_paced_and_cheap_once_rendered() -> None:
    source = DemoSource(
        width=W, height=H, fps=50, show_s=0.1, gap_s=0.04, examples=(("CCCD", CCCD),)
    )
    source.open()
    for _ in range(7):  # renders the code and the empty scene
        source.read()
    started = time.process_time()
    first = source.read()
    for _ in range(9):
        last = source.read()
    elapsed = (last.mono_ns - first.mono_ns) / 1e9
    assert 0.15 <= elapsed < 0.6  # 9 intervals of 20 ms, in real time
    assert time.process_time() - started < 0.1  # sleeping, not rendering
