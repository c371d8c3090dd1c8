"""Reading QR codes in camera frames: three single decoders and the chain the kiosk uses.

The chain (`ChainDecoder`) is what the scan worker runs on every frame. The single decoders
are here so that `bench/decode.py` can measure each of them alone; the figures behind the
chain's order and pre-processing are in docs/decoding.md.

Contracts shared by every decoder here:
- Only the QR family is read (QR Model 1 and 2, Micro QR, rMQR), never a 1D symbology, which
  camera noise can fake.
- `DecodedCode.payload` is exact: the bytes the symbol holds, never transcoded. A Vietnamese
  name in UTF-8 without an ECI header stays UTF-8 (ZBar's default mode guesses Shift-JIS or
  Big5 for it: ZBar issue 212). Turning bytes into text is the core's decision
  (kiosk.formats.decode_payload).
- decode(image) takes a BGR (H x W x 3) or gray (H x W) uint8 array and does not raise for
  what is in the picture; an array of another type or shape raises ValueError.
- An instance is used by one thread at a time (the scan worker's): the ZBar scanner, the
  OpenCV detector and the chain's state are not safe to share. zxing-cpp holds no state.
"""

from __future__ import annotations

import ctypes
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from kiosk.scanner.types import DecodedCode, DecodeResult, Image

# The QR family in zxing-cpp 3 (Model 1, Model 2, Micro QR, rMQR). On empty 1280x720 frames it
# costs the same as Model 2 alone, and it reads two more of the zxing-cpp samples (a Model 1
# code among them); no 1D format is ever enabled.
QR_FORMATS: Final = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

Quad = npt.NDArray[np.float32]  # 4 x 2 corners in frame pixels: TL, TR, BR, BL
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in frame pixels (x1, y1 excluded)


def to_gray(image: Image) -> Image:
    """The image as one 8-bit gray plane: BGR (or BGRA) is converted, gray returned as is.

    Raises ValueError for anything but a non-empty uint8 H x W, H x W x 1, x 3 or x 4 array.
    """
    if image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, not {image.dtype}")
    if image.size == 0:
        raise ValueError(f"expected an image, not an empty array of shape {image.shape}")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if image.ndim == 3 and image.shape[2] == 4:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY))
    if image.ndim == 3 and image.shape[2] == 1:
        return image[..., 0]
    raise ValueError(f"expected an H x W gray or H x W x 3 BGR image, not shape {image.shape}")


def _u8(array: Any) -> Image:
    # OpenCV's stubs type every result as a generic ndarray; these are uint8 by construction.
    return cast(Image, array)


def _elapsed_ms(start_ns: int) -> float:
    return (time.perf_counter_ns() - start_ns) / 1e6


def _corners(quad: Quad) -> tuple[tuple[int, int], ...]:
    return tuple((round(float(x)), round(float(y))) for x, y in quad)


def _to_frame(quad: Quad, scale: float, offset: tuple[int, int]) -> Quad:
    """Points of a crop cut at `offset` and resized by `scale`, in frame pixels."""
    return (quad / np.float32(scale) + np.array(offset, np.float32)).astype(np.float32)


# -- zxing-cpp -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    """A symbol zxing-cpp located but could not decode (checksum or format error)."""

    quad: Quad
    version: int | None  # None when zxing-cpp did not read it (or Micro QR / rMQR: "M2")


def _quad(position: zxingcpp.Position) -> Quad:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return np.array([(p.x, p.y) for p in corners], np.float32)


class ZxingDecoder:
    """zxing-cpp restricted to the QR family; payload = zxing-cpp's Barcode.bytes.

    try_invert / try_downscale are zxing-cpp's own retries (light-on-dark symbols; a smaller
    copy of the image). Stateless: safe from any thread.
    """

    name: Final = "zxing-cpp"

    def __init__(self, *, try_invert: bool = True, try_downscale: bool = True) -> None:
        self._try_invert = try_invert
        self._try_downscale = try_downscale

    def decode(self, image: Image) -> DecodeResult:
        start = time.perf_counter_ns()
        codes = self.read(to_gray(image))
        return DecodeResult(codes=tuple(codes), ms=_elapsed_ms(start))

    def read(
        self,
        gray: Image,
        *,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        seen: list[_Seen] | None = None,
        scale: float = 1.0,
        offset: tuple[int, int] = (0, 0),
    ) -> list[DecodedCode]:
        """The codes in `gray`. When `seen` is given, the symbols located but not decoded are
        appended to it. Points are mapped back to the frame for a crop cut at `offset` and
        resized by `scale`."""
        results = zxingcpp.read_barcodes(
            gray,
            formats=QR_FORMATS,
            try_rotate=True,
            try_invert=self._try_invert,
            try_downscale=self._try_downscale,
            binarizer=binarizer,
            return_errors=seen is not None,
        )
        codes: list[DecodedCode] = []
        for barcode in results:
            quad = _to_frame(_quad(barcode.position), scale, offset)
            if barcode.valid:
                codes.append(DecodedCode(bytes(barcode.bytes), self.name, _corners(quad)))
            elif seen is not None:
                extra = barcode.extra
                version = str(extra.get("Version", "")) if isinstance(extra, dict) else ""
                seen.append(_Seen(quad, int(version) if version.isdigit() else None))
        return codes


# -- ZBar, through pyzbar's ctypes wrapper ---------------------------------------------------

# zbar.h (0.23): enum zbar_config_e { ENABLE, ADD_CHECK, EMIT_CHECK, ASCII, BINARY, NUM, ...,
# POSITION = 0x80, TEST_INVERTED, ... }. pyzbar 0.1.9's ZBarConfig predates BINARY and
# TEST_INVERTED, so the numbers are spelled out here.
_ZBAR_NONE: Final = 0
_ZBAR_QRCODE: Final = 64
_ZBAR_CFG_ENABLE: Final = 0
_ZBAR_CFG_BINARY: Final = 4
_ZBAR_CFG_TEST_INVERTED: Final = 0x81
_ZBAR_Y800: Final = 0x30303859  # fourcc "Y800": 8-bit gray


class ZbarUnavailable(RuntimeError):
    """libzbar cannot be loaded, or it has no binary mode (ZBar 0.23 or later is needed)."""


class ZbarDecoder:
    """ZBar (via pyzbar's ctypes wrapper), QR codes only: every other symbology is disabled.

    binary=True (the default) sets ZBAR_CFG_BINARY: the payload is the symbol's bytes.
    binary=False is ZBar as pyzbar uses it: bytes in a charset ZBar guessed, re-encoded as
    UTF-8, which garbles UTF-8 Vietnamese without an ECI header. It is kept for the benchmark
    and the test that show the problem; never scan with it.

    One instance owns one ZBar scanner: use it from one thread. close() frees it (so does
    garbage collection). Raises ZbarUnavailable when libzbar is missing or refuses binary mode.
    """

    name: Final = "pyzbar"

    def __init__(self, *, binary: bool = True, inverted: bool = True) -> None:
        try:
            from pyzbar import wrapper
        except ImportError as exc:  # pyzbar raises ImportError when libzbar is absent
            raise ZbarUnavailable(f"libzbar cannot be loaded: {exc}") from exc
        self._w: Any = wrapper
        self._scanner: Any = wrapper.zbar_image_scanner_create()
        if not self._scanner:
            raise ZbarUnavailable("zbar_image_scanner_create failed")
        config = wrapper.zbar_image_scanner_set_config
        config(self._scanner, _ZBAR_NONE, _ZBAR_CFG_ENABLE, 0)
        config(self._scanner, _ZBAR_QRCODE, _ZBAR_CFG_ENABLE, 1)
        if binary and config(self._scanner, _ZBAR_QRCODE, _ZBAR_CFG_BINARY, 1) != 0:
            self.close()
            raise ZbarUnavailable("this libzbar has no binary mode (ZBar 0.23 or later needed)")
        # Dark-mode screens (light modules on black). A ZBar that refuses the setting only
        # reads fewer codes; exactness does not depend on it.
        if inverted:
            config(self._scanner, _ZBAR_NONE, _ZBAR_CFG_TEST_INVERTED, 1)

    def decode(self, image: Image) -> DecodeResult:
        start = time.perf_counter_ns()
        codes = self.read(to_gray(image))
        return DecodeResult(codes=tuple(codes), ms=_elapsed_ms(start))

    def read(
        self, gray: Image, *, scale: float = 1.0, offset: tuple[int, int] = (0, 0)
    ) -> list[DecodedCode]:
        """The codes in `gray` (points mapped back as in ZxingDecoder.read). Raises
        ValueError once closed."""
        if not self._scanner:
            raise ValueError("this ZbarDecoder is closed")
        w = self._w
        pixels = np.ascontiguousarray(gray)
        height, width = pixels.shape
        zimage = w.zbar_image_create()
        if not zimage:
            raise MemoryError("zbar_image_create failed")
        codes: list[DecodedCode] = []
        try:
            w.zbar_image_set_format(zimage, _ZBAR_Y800)
            w.zbar_image_set_size(zimage, width, height)
            # No cleanup handler: `pixels` outlives the ZBar image, destroyed below.
            data = pixels.ctypes.data_as(ctypes.c_void_p)
            w.zbar_image_set_data(zimage, data, pixels.size, None)
            if w.zbar_scan_image(self._scanner, zimage) <= 0:
                return codes
            symbol = w.zbar_image_first_symbol(zimage)
            while symbol:
                payload = ctypes.string_at(
                    w.zbar_symbol_get_data(symbol), w.zbar_symbol_get_data_length(symbol)
                )
                count = w.zbar_symbol_get_loc_size(symbol)
                points = [
                    (w.zbar_symbol_get_loc_x(symbol, i), w.zbar_symbol_get_loc_y(symbol, i))
                    for i in range(count)
                ]
                quad = _to_frame(np.array(points, np.float32).reshape(-1, 2), scale, offset)
                codes.append(DecodedCode(payload, self.name, _corners(quad)))
                symbol = w.zbar_symbol_next(symbol)
        finally:
            w.zbar_image_destroy(zimage)
        return codes

    def close(self) -> None:
        """Free the ZBar scanner. Idempotent."""
        scanner = getattr(self, "_scanner", None)
        if scanner:
            self._w.zbar_image_scanner_destroy(scanner)
        self._scanner = None

    def __del__(self) -> None:
        self.close()


# -- OpenCV ----------------------------------------------------------------------------------


def _maybe_transcoded(data: bytes) -> bool:
    """True when OpenCV may have re-encoded the symbol's bytes.

    OpenCV 5's decodeBytes returns byte-mode content that is not valid UTF-8 re-encoded from
    ISO-8859-1 to UTF-8 (measured: b"\\xff\\xfe" comes back as b"\\xc3\\xbf\\xc3\\xbe"). Such
    output is UTF-8 whose non-ASCII characters are all <= U+00FF; a genuine UTF-8 payload of
    that shape cannot be told from it, so both are refused. Vietnamese text has characters
    beyond U+00FF (ư, ơ, ạ, Đ ...) and passes.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ch >= "\x80" for ch in text) and all(ch <= "\xff" for ch in text)


class OpenCvDecoder:
    """OpenCV's QRCodeDetector (detectAndDecodeBytes): at most one code per frame.

    A result OpenCV may have transcoded (see _maybe_transcoded) is dropped, so payloads stay
    exact. One instance owns one OpenCV detector: use it from one thread.
    """

    name: Final = "opencv"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def decode(self, image: Image) -> DecodeResult:
        start = time.perf_counter_ns()
        gray = to_gray(image)
        codes: tuple[DecodedCode, ...] = ()
        try:
            data, points, _ = self._detector.detectAndDecodeBytes(gray)
        except cv2.error:
            # Raised for symbols OpenCV does not support (a Kanji segment, some ECIs).
            data, points = b"", None
        payload = bytes(data) if data else b""
        if payload and points is not None and not _maybe_transcoded(payload):
            quad = np.asarray(points, np.float32).reshape(-1, 2)
            codes = (DecodedCode(payload, self.name, _corners(quad)),)
        return DecodeResult(codes=codes, ms=_elapsed_ms(start))


# -- the chain: pre-processing steps ---------------------------------------------------------


def _same(image: Image) -> Image:
    return image


def _sharpen(image: Image) -> Image:
    # Unsharp mask, radius 3 px on the upscaled crop (1-1.5 px in the frame: the defocus of a
    # fixed-focus webcam at 20-30 cm). Amount 2: measured better than 1 on defocused codes.
    blurred = cv2.GaussianBlur(image, (0, 0), 3.0)
    return _u8(cv2.addWeighted(image, 3.0, blurred, -2.0, 0))


def _equalise(image: Image) -> Image:
    # Local contrast: a glare blob or a dim half of the code no longer sets the threshold.
    # A CLAHE object keeps buffers, so one per call (microseconds) rather than one shared
    # by the decoders of several threads.
    return _u8(cv2.createCLAHE(clipLimit=2.0, tileGridSize=(4, 4)).apply(image))


@dataclass(frozen=True, slots=True)
class Step:
    """One attempt on a crop around evidence of a code: a pre-processing, then a decoder."""

    name: str
    prepare: Callable[[Image], Image]
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    zbar: bool = False  # ZBar (binary mode) instead of zxing-cpp
    upscaled: bool = True  # on the crop upscaled to ~4 px per module, else as in the frame
    located_only: bool = False  # only around a symbol zxing-cpp located, not mere texture


STEPS: Final[dict[str, Step]] = {
    step.name: step
    for step in (
        Step("upscale", _same),
        Step("sharpen", _sharpen),
        Step("threshold", _same, zxingcpp.Binarizer.FixedThreshold),
        Step("histogram", _same, zxingcpp.Binarizer.GlobalHistogram),
        Step("contrast", _equalise),
        Step("zbar", _same, zbar=True, upscaled=False, located_only=True),
    )
}
# Chosen from bench/decode.py's figures (docs/decoding.md): each step reads codes the
# previous ones miss (rendered frames or samples), and runs only when they all failed.
DEFAULT_STEPS: Final = ("upscale", "sharpen", "threshold", "contrast", "histogram", "zbar")


@dataclass(slots=True)
class _Track:
    quad: Quad
    misses: int = 0


class ChainDecoder:
    """The kiosk's decoder: a fast zxing-cpp pass on the whole frame, then, only when there
    is evidence of a code it did not read, pre-processed crops around that evidence.

    Per frame (order and steps chosen from the figures in docs/decoding.md):
    1. zxing-cpp on the whole gray frame, without its inverted and downscaled retries: they
       double the time spent on the empty frames a gate mostly sees, and step 2 reads the
       codes they would have read.
    2. Evidence of a code: symbols zxing-cpp located but could not decode, then square
       patches of dense texture (a localiser on a half-size frame). For at most
       `max_candidates` of them: the crop upscaled to ~4 px per module, then each of `steps`
       (sharpen, fixed threshold, local contrast, global threshold, ZBar) until one reads.
    3. Nothing read but a symbol located: `unreadable` says why: "too_small" under
       TOO_SMALL_PPM px per module, "blurred" when its edges are soft, else "unreadable".

    track_frames > 0 adds a first step: the crop around the last code read, for that many
    frames. It is off by default: on codes held up for 30 frames it read nothing more and
    cost time (bench/decode.py, part 4).

    An instance belongs to one thread (the scan worker's): it keeps a gray buffer and, with
    tracking, the last location; reset() forgets the location (call it when the source
    changes). decode() raises ValueError only for an image that is not uint8 gray or BGR.
    """

    def __init__(
        self,
        *,
        steps: Sequence[str] = DEFAULT_STEPS,
        max_candidates: int = 2,
        track_frames: int = 0,
        localise: bool = True,
        full_retries: bool = False,
    ) -> None:
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown steps {unknown} (known: {', '.join(STEPS)})")
        self._steps = tuple(STEPS[s] for s in steps)
        self._max_candidates = max_candidates
        self._track_frames = track_frames
        self._localise = localise
        self._full = ZxingDecoder(try_invert=full_retries, try_downscale=full_retries)
        self._crop = ZxingDecoder()
        self._zbar: ZbarDecoder | None = None
        if any(step.zbar for step in self._steps):
            try:
                self._zbar = ZbarDecoder()
            except ZbarUnavailable:
                self._zbar = None  # the zxing-cpp steps still run
        self._track: _Track | None = None
        self._gray: Image = np.empty((0, 0), np.uint8)

    def reset(self) -> None:
        """Forget where the last code was."""
        self._track = None

    def decode(self, image: Image) -> DecodeResult:
        start = time.perf_counter_ns()
        gray = self._to_gray(image)
        seen: list[_Seen] = []
        codes = self._tracked(gray, seen)
        if not codes:
            codes = self._full.read(gray, seen=seen)
        if not codes:
            codes = self._escalate(gray, seen)
        if codes:
            if self._track_frames > 0:
                self._track = _Track(np.array(codes[0].corners, np.float32).reshape(-1, 2))
            return DecodeResult(codes=_unique(codes), ms=_elapsed_ms(start))
        if self._track is not None:
            self._track.misses += 1
            if self._track.misses > self._track_frames:
                self._track = None
        hint = _hint(gray, seen) if seen else None
        return DecodeResult(codes=(), unreadable=hint, ms=_elapsed_ms(start))

    def _to_gray(self, image: Image) -> Image:
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3 or not image.size:
            return to_gray(image)  # gray as it is, or the ValueError
        # Into a buffer kept from frame to frame: zxing-cpp measured ~0.25 ms slower (of ~2)
        # on a freshly allocated 1280x720 array.
        if self._gray.shape != image.shape[:2]:
            self._gray = np.empty(image.shape[:2], np.uint8)
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY, dst=self._gray))

    def _tracked(self, gray: Image, seen: list[_Seen]) -> list[DecodedCode]:
        if self._track is None or len(self._track.quad) < 3:
            return []
        box = _box(self._track.quad, gray.shape, pad=0.5)
        return self._attempt(gray, box, None, self._steps[:1], seen)

    def _escalate(self, gray: Image, seen: list[_Seen]) -> list[DecodedCode]:
        # (crop, px per module when known, located by zxing-cpp)
        candidates: list[tuple[Box, float | None, bool]] = []
        # zxing-cpp may report a symbol once per pass that located it, some of them partial:
        # the best located first (its version read, then the largest).
        for symbol in sorted(seen, key=lambda s: (s.version is not None, _side(s.quad)))[::-1]:
            box = _box(symbol.quad, gray.shape, pad=0.25)
            if not any(_overlaps(box, other) for other, _, _ in candidates):
                candidates.append((box, _ppm(symbol), True))
        if self._localise:
            for patch in _textured_patches(gray):
                if not any(_overlaps(patch, other) for other, _, _ in candidates):
                    candidates.append((_pad_box(patch, gray.shape), None, False))
        for box, ppm, located in candidates[: self._max_candidates]:
            steps = [s for s in self._steps if located or not s.located_only]
            codes = self._attempt(gray, box, ppm, steps, seen)
            if codes:
                return codes
        return []

    def _attempt(
        self,
        gray: Image,
        box: Box,
        ppm: float | None,
        steps: Sequence[Step],
        seen: list[_Seen],
    ) -> list[DecodedCode]:
        x0, y0, x1, y1 = box
        if x1 - x0 < 8 or y1 - y0 < 8:
            return []
        crop = gray[y0:y1, x0:x1]
        scale = _scale_for(max(x1 - x0, y1 - y0), ppm)
        upscaled = crop
        if scale != 1:
            shrink = scale < 1
            interpolation = cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
            upscaled = _u8(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation))
        for step in steps:
            factor = scale if step.upscaled else 1.0
            prepared = step.prepare(upscaled if step.upscaled else crop)
            if step.zbar:
                if self._zbar is None:
                    continue
                codes = self._zbar.read(prepared, scale=factor, offset=(x0, y0))
            else:
                codes = self._crop.read(
                    prepared, binarizer=step.binarizer, seen=seen, scale=factor, offset=(x0, y0)
                )
            if codes:
                return codes
        return []


def _unique(codes: list[DecodedCode]) -> tuple[DecodedCode, ...]:
    out: list[DecodedCode] = []
    for code in codes:
        if all(code.payload != other.payload for other in out):
            out.append(code)
    return tuple(out)


def _side(quad: Quad) -> float:
    """Mean length of the quad's sides, in pixels."""
    return float(np.mean(np.linalg.norm(quad - np.roll(quad, 1, axis=0), axis=1)))


def _ppm(symbol: _Seen) -> float | None:
    """Pixels per module of a located symbol whose version zxing-cpp read."""
    if symbol.version is None:
        return None
    return _side(symbol.quad) / (17 + 4 * symbol.version)


_MAX_CROP: Final = 800  # px: the longest side a crop is decoded at


def _scale_for(side: int, ppm: float | None) -> float:
    """How much to resize a crop: up to ~4 px per module when the module size is known, else
    by the crop's size (a small patch of texture is a small code); and down to _MAX_CROP,
    which bounds the time a frame full of texture (patterned cloth) costs."""
    if ppm is not None:
        scale = min(3.0, max(1.0, 4.0 / ppm))
    elif side < 160:
        scale = 3.0
    elif side < 400:
        scale = 2.0
    else:
        scale = 1.0
    return min(scale, _MAX_CROP / side)


def _box(quad: Quad, shape: tuple[int, ...], *, pad: float) -> Box:
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    margin = pad * max(x1 - x0, y1 - y0) + 8
    return _clip((x0 - margin, y0 - margin, x1 + margin, y1 + margin), shape)


def _pad_box(box: Box, shape: tuple[int, ...]) -> Box:
    # A texture patch covers the symbol, not its quiet zone, which zxing-cpp needs.
    x0, y0, x1, y1 = box
    margin = 0.2 * max(x1 - x0, y1 - y0) + 8
    return _clip((x0 - margin, y0 - margin, x1 + margin, y1 + margin), shape)


def _clip(box: tuple[float, float, float, float], shape: tuple[int, ...]) -> Box:
    height, width = shape[:2]
    x0, y0, x1, y1 = box
    return (
        max(0, math.floor(x0)),
        max(0, math.floor(y0)),
        min(width, math.ceil(x1)),
        min(height, math.ceil(y1)),
    )


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Localiser: a QR code is a square of dense texture with edges in both directions. On a
# half-size frame in 8 x 8 cells, a mean absolute difference between neighbours of >= 10 grey
# levels both across and down found 98 of the 104 codes that zxing-cpp alone missed in the
# rendered set, and fired on a third of the empty scenes (text, corners), where it costs a
# few crop attempts (docs/decoding.md).
_CELL: Final = 8
_TEXTURE_MIN: Final = 10
_MIN_CELLS: Final = 4


def _textured_patches(gray: Image) -> list[Box]:
    """Boxes (frame pixels) of square-ish patches of dense texture, largest first."""
    rows, cols = (gray.shape[0] // 2 - 1) // _CELL, (gray.shape[1] // 2 - 1) // _CELL
    if rows < 2 or cols < 2:
        return []
    half = _u8(
        cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    )
    h, w = rows * _CELL, cols * _CELL
    # INTER_AREA by a whole factor is OpenCV's fast path (a block mean).
    across = cv2.resize(
        cv2.absdiff(half[:h, 1 : w + 1], half[:h, :w]), (cols, rows), interpolation=cv2.INTER_AREA
    )
    down = cv2.resize(
        cv2.absdiff(half[1 : h + 1, :w], half[:h, :w]), (cols, rows), interpolation=cv2.INTER_AREA
    )
    mask = (cv2.min(across, down) >= _TEXTURE_MIN).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found: list[tuple[int, Box]] = []
    unit = 2 * _CELL
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if area < _MIN_CELLS or max(bw, bh) > 3 * min(bw, bh):
            continue
        found.append((area, (x * unit, y * unit, (x + bw) * unit, (y + bh) * unit)))
    found.sort(key=lambda item: -item[0])
    return [box for _, box in found]


# -- why a located code was not read ---------------------------------------------------------

# Decoders need about 3 px per module; under 2.5 even the upscaled crops rarely read
# (bench/decode.py, reads by size).
TOO_SMALL_PPM: Final = 2.5
# _sharpness of the symbol below which it is called blurred. Measured on the rendered set at
# >= 2.5 px per module: sharp conditions 0.74-1.3, defocus 0.34-0.75, motion 0.48-0.94.
BLURRED_BELOW: Final = 0.65
# Modules assumed across a symbol whose version is unknown: version 6, the smallest CCCD.
_ASSUMED_MODULES: Final = 41


def _hint(gray: Image, seen: list[_Seen]) -> str:
    """ "too_small", "blurred" or "unreadable", for the best located symbol."""
    symbol = max(seen, key=lambda s: (s.version is not None, _side(s.quad)))
    ppm = _ppm(symbol) or _side(symbol.quad) / _ASSUMED_MODULES
    if ppm < TOO_SMALL_PPM:
        return "too_small"
    if _sharpness(gray, symbol.quad, ppm) < BLURRED_BELOW:
        return "blurred"
    return "unreadable"


def _sharpness(gray: Image, quad: Quad, ppm: float) -> float:
    """How sharp the symbol's module edges are: about 1 for step edges, less when blurred.

    The mean gradient (|dx| + |dy|) inside the quad, over what step edges would give at this
    contrast and module size: contrast / ppm per pixel in each direction, times the ~1/2 of
    module boundaries where the colour changes. Unlike the raw variance of the Laplacian it
    does not depend on the code's size or the screen's brightness.
    """
    x0, y0, x1, y1 = _box(quad, gray.shape, pad=0.0)
    crop = gray[y0:y1, x0:x1].astype(np.float32)
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return 0.0
    mask = np.zeros(crop.shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad - (x0, y0)).astype(np.int32), 1)
    inside = mask.astype(bool)
    values = crop[inside]
    if values.size < 16:
        return 0.0
    low, high = np.percentile(values, (5, 95))
    contrast = float(high - low)
    if contrast < 1:
        return 0.0
    # Sobel 3x3 divided by 8: summed across a step edge of height c it gives c, like a plain
    # difference between neighbours.
    gx = np.abs(cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3)) / 8
    gy = np.abs(cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3)) / 8
    gradient = float(np.mean((gx + gy)[inside]))
    return gradient / (contrast / max(ppm, 1.0))
