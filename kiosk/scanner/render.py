"""Gate-like camera frames showing a QR code, rendered from a payload.

Used by the built-in demo frame source (example codes on screen without a camera), by the
decoder tests and by `bench/decode.py`. Every frame is a pure function of its arguments: the
same payload, size, condition and seed give the same pixels, on any machine with the same
OpenCV and numpy (no global random state is touched).

What a frame looks like: a camera-like scene (gradients, shapes, a few lines of text, sensor
noise) with a phone held up in it (a dark body around a bright screen that shows the code),
or, for the "paper" condition, a printed card. The code is placed with a small random
rotation and perspective, then one condition is applied. Qt-free; safe to call from any
thread (no shared state).
"""

from __future__ import annotations

import functools
import hashlib
import math
from typing import Any, Final, cast

import cv2
import numpy as np
import numpy.typing as npt
import segno

from kiosk.scanner.types import Image

# The conditions a frame can be rendered under. Each models something people hold up at a
# gate (see docs/decoding.md): a phone screen held tilted or rotated, out of focus (a fixed-
# focus webcam at <= 30 cm), moving (a shaky hand), with a reflection, overexposed (a screen at
# full brightness in a dim room: the light blooms into the dark modules), in a dark corner, at
# low screen brightness, in dark mode (light modules on black), photographed with the screen's
# pixel grid beating against the sensor's (moire), a printed card, and a camera that sends
# heavily compressed MJPEG.
CONDITIONS: Final[tuple[str, ...]] = (
    "clean",
    "tilt",
    "rotate",
    "defocus",
    "motion",
    "glare",
    "bright",
    "low_light",
    "low_contrast",
    "inverted",
    "moire",
    "paper",
    "jpeg",
)

QUIET_ZONE: Final = 4  # modules of light margin the QR standard asks for around the symbol
_SUPERSAMPLE: Final = 3  # the code is warped at 3x and reduced with area averaging (antialiased)
_UNIT: Final = 8  # carrier pixels per module: fine enough for the supersampled warp
_FOCAL_PX: Final = 1100.0  # a 1280x720 webcam with ~60 degrees horizontal field of view

Float = npt.NDArray[np.float32]


def _f32(array: Any) -> Float:
    # OpenCV's stubs type every result as a generic ndarray; these are float32 by construction.
    return cast(Float, array)


def symbol_matrix(payload: bytes | str) -> npt.NDArray[np.uint8]:
    """The QR symbol for `payload` as a module matrix (1 = dark), without the quiet zone.

    A str is encoded as UTF-8 without an ECI header, as the Vietnamese ID and health cards
    do (which is what makes ZBar guess Big5 or Shift-JIS for them). Bytes are used as they are.
    Raises segno's DataOverflowError when the payload does not fit in a QR code. The array is
    read-only (it is cached: segno takes ~20 ms to choose a mask).
    """
    return _symbol(payload.encode("utf-8") if isinstance(payload, str) else payload)


@functools.lru_cache(maxsize=32)
def _symbol(data: bytes) -> npt.NDArray[np.uint8]:
    matrix = np.array(segno.make(data, micro=False).matrix, dtype=np.uint8)
    matrix.flags.writeable = False
    return matrix


def symbol_modules(payload: bytes | str) -> int:
    """Modules across the symbol for `payload` (21 for version 1, 17 + 4 x version)."""
    return int(symbol_matrix(payload).shape[0])


def render_frame(
    payload: bytes | str,
    *,
    size_px: float = 300,
    condition: str = "clean",
    seed: int = 0,
    width: int = 1280,
    height: int = 720,
    offset: tuple[float, float] = (0.0, 0.0),
) -> Image:
    """A BGR frame (height x width x 3, uint8) showing the QR code of `payload`.

    size_px: the symbol's width in frame pixels, quiet zone excluded (px per module =
    size_px / symbol_modules(payload)); a tilted code is foreshortened below it.
    condition: one of CONDITIONS. seed: picks the scene, the position and the condition's
    strength. offset: moves the code by (dx, dy) pixels from where the seed puts it, the
    scene staying the same (a sequence of frames of a code held up by a moving hand).
    Raises ValueError for an unknown condition or a size that is not positive.
    """
    return render_with_corners(
        payload,
        size_px=size_px,
        condition=condition,
        seed=seed,
        width=width,
        height=height,
        offset=offset,
    )[0]


def render_with_corners(
    payload: bytes | str,
    *,
    size_px: float = 300,
    condition: str = "clean",
    seed: int = 0,
    width: int = 1280,
    height: int = 720,
    offset: tuple[float, float] = (0.0, 0.0),
) -> tuple[Image, npt.NDArray[np.float32]]:
    """render_frame(), and where the symbol is: its 4 corners (top-left, top-right,
    bottom-right, bottom-left of the symbol as printed, quiet zone excluded) in frame pixels,
    a 4 x 2 float32 array. For tests and benchmarks that check locations."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r} (known: {', '.join(CONDITIONS)})")
    if not size_px > 0:
        raise ValueError(f"size_px must be positive, not {size_px}")
    rng = _rng(seed, condition, payload)
    modules = symbol_matrix(payload)
    ppm = float(size_px) / modules.shape[0]

    frame = _scene(rng, width, height)
    carrier, tint, code_box = _carrier(modules, condition, rng)
    # The symbol's centre lands somewhere the carrier fits (when it can: a very large code
    # is simply centred and cropped by the frame edges).
    extent = ppm * carrier.shape[1] / _UNIT
    margin_x = max(0.0, (width - extent) / 2 - 10)
    margin_y = max(0.0, (height - extent * carrier.shape[0] / carrier.shape[1]) / 2 - 10)
    centre = (
        width / 2 + rng.uniform(-margin_x, margin_x) * 0.8 + offset[0],
        height / 2 + rng.uniform(-margin_y, margin_y) * 0.8 + offset[1],
    )
    if condition == "tilt":
        # Phone tipped back or sideways: 25-45 degrees out of the image plane.
        pitch = rng.choice((-1.0, 1.0)) * rng.uniform(25, 45)
        yaw = rng.uniform(-20, 20)
        roll = rng.uniform(-10, 10)
    elif condition == "rotate":
        pitch, yaw, roll = rng.uniform(-5, 5), rng.uniform(-5, 5), rng.uniform(15, 345)
    else:
        pitch, yaw, roll = rng.uniform(-8, 8), rng.uniform(-8, 8), rng.uniform(-6, 6)
    corners = _project(carrier.shape, code_box, ppm, centre, pitch, yaw, roll)
    _paste(frame, carrier, tint, corners)
    code = _code_corners(code_box, carrier.shape, corners)
    return _apply(frame, condition, rng, corners, code), code


def render_empty(*, seed: int = 0, width: int = 1280, height: int = 720) -> Image:
    """A BGR frame of the same kind of scene with no code in it (what a gate camera sees
    between visitors): background, shapes, text and sensor noise."""
    rng = _rng(seed, "empty", b"")
    frame = _scene(rng, width, height)
    frame += _noise(rng, frame.shape, 2.5)
    return _to_uint8(frame)


# -- building blocks ---------------------------------------------------------------------


def _rng(seed: int, condition: str, payload: bytes | str) -> np.random.Generator:
    # Derived from every argument, so that two conditions of the same seed differ, and
    # independent of PYTHONHASHSEED (hash() of a str is randomised per process).
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    digest = hashlib.sha256(f"{seed}|{condition}|".encode() + data).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _scene(rng: np.random.Generator, width: int, height: int) -> Float:
    """A float32 BGR background: a lit wall with furniture-like shapes and signage."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    base = rng.uniform(60, 170, 3).astype(np.float32)
    slope = rng.uniform(-0.06, 0.06, 2).astype(np.float32)
    light = xx * slope[0] + yy * slope[1]
    canvas = np.empty((height, width, 3), np.float32)
    for c in range(3):
        canvas[..., c] = base[c] + light
    frame = _to_uint8(canvas)  # OpenCV draws text on 8-bit images only
    for _ in range(int(rng.integers(4, 9))):
        colour = tuple(float(v) for v in rng.uniform(20, 230, 3))
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        if rng.random() < 0.5:
            x1 = x0 + int(rng.integers(40, 400))
            y1 = y0 + int(rng.integers(40, 300))
            cv2.rectangle(frame, (x0, y0), (x1, y1), colour, -1)
        else:
            axes = (int(rng.integers(20, 200)), int(rng.integers(20, 200)))
            cv2.ellipse(frame, (x0, y0), axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    for _ in range(int(rng.integers(2, 5))):
        text = "".join(chr(int(c)) for c in rng.integers(65, 91, int(rng.integers(5, 14))))
        org = (int(rng.integers(0, width - 200)), int(rng.integers(30, height)))
        colour = tuple(float(v) for v in rng.uniform(0, 255, 3))
        cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.6, 1.6), colour, 2)
    # A camera's optics are never perfectly sharp.
    return _f32(cv2.GaussianBlur(frame.astype(np.float32), (0, 0), 0.8))


def _carrier(
    modules: npt.NDArray[np.uint8], condition: str, rng: np.random.Generator
) -> tuple[Float, tuple[float, float, float], tuple[int, int, int]]:
    """The thing held up (phone or card) in its own plane: a float32 gray image, the colour
    it has in the room's light (BGR factors), and where the symbol is in it (x, y, width in
    carrier pixels)."""
    n = modules.shape[0]
    unit = _UNIT
    quiet = QUIET_ZONE
    symbol = np.kron(modules, np.ones((unit, unit), np.uint8)).astype(np.float32)
    if condition == "paper":
        ink = rng.uniform(35, 80)
        paper = rng.uniform(195, 230)
        pad_mod = quiet + int(rng.integers(3, 10))
        size = (n + 2 * pad_mod) * unit
        card_w, card_h = int(size * rng.uniform(1.3, 1.6)), size
        # Paper: low-frequency unevenness and fibre grain; ink spreads a little.
        tone = cv2.resize(rng.normal(0, 8, (8, 12)).astype(np.float32), (card_w, card_h))
        grain = cv2.GaussianBlur(rng.normal(0, 10, (card_h, card_w)).astype(np.float32), (0, 0), 1)
        card = paper + tone + grain
        x0, y0 = card_w - size + pad_mod * unit, pad_mod * unit
        region = card[y0 : y0 + n * unit, x0 : x0 + n * unit]
        spread = cv2.GaussianBlur(symbol, (0, 0), unit * 0.2)
        ink_grain = ink + grain[y0 : y0 + n * unit, x0 : x0 + n * unit]
        region[...] = region * (1 - spread) + ink_grain * spread
        return card, (0.93, 0.98, 1.0), (x0, y0, n * unit)  # warm paper under indoor light
    dark = condition == "inverted"
    screen_pad = quiet + int(rng.integers(2, 8))
    inner = (n + 2 * screen_pad) * unit
    screen_h = int(inner * rng.uniform(1.5, 1.9))
    bezel = max(unit, int(inner * 0.05))
    body = np.full((screen_h + 2 * bezel, inner + 2 * bezel), rng.uniform(10, 35), np.float32)
    fg, bg = (235.0, 18.0) if dark else (15.0, 245.0)
    screen = np.full((screen_h, inner), bg, np.float32)
    y0 = int((screen_h - inner) * rng.uniform(0.3, 0.7)) + screen_pad * unit
    x0 = screen_pad * unit
    screen[y0 : y0 + n * unit, x0 : x0 + n * unit] = bg + (fg - bg) * symbol
    body[bezel:-bezel, bezel:-bezel] = screen
    # Screens are bluish next to room light.
    return body, (1.0, 0.97, 0.93), (x0 + bezel, y0 + bezel, n * unit)


def _project(
    shape: tuple[int, ...],
    code_box: tuple[int, int, int],
    ppm: float,
    centre: tuple[float, float],
    pitch: float,
    yaw: float,
    roll: float,
) -> npt.NDArray[np.float32]:
    """Frame coordinates of the carrier's corners (TL, TR, BR, BL): a pinhole camera looking
    at the carrier rotated by pitch/yaw/roll degrees, at the distance that makes the symbol
    `ppm` pixels per module when it faces the camera."""
    h, w = shape[:2]
    x0, y0, side = code_box
    scale = ppm / _UNIT  # frame px per carrier px, facing the camera
    cx, cy = x0 + side / 2, y0 + side / 2
    pts = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64) - (cx, cy)
    pts3 = np.column_stack([pts * scale, np.zeros(4)])
    p, yw, r = (math.radians(a) for a in (pitch, yaw, roll))
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    ry = np.array([[math.cos(yw), 0, math.sin(yw)], [0, 1, 0], [-math.sin(yw), 0, math.cos(yw)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    rotated = pts3 @ (rz @ ry @ rx).T
    z = _FOCAL_PX + rotated[:, 2]
    xy = rotated[:, :2] * (_FOCAL_PX / z)[:, None] + centre
    return _f32(xy.astype(np.float32))


def _paste(
    frame: Float,
    carrier: Float,
    tint: tuple[float, float, float],
    corners: npt.NDArray[np.float32],
) -> None:
    """Warp the gray `carrier` onto `frame` at `corners`, coloured by `tint`, antialiased
    (supersampled warp + area reduction), in place."""
    height, width = frame.shape[:2]
    ss = _SUPERSAMPLE
    x_lo = max(0, math.floor(float(corners[:, 0].min())) - 2)
    y_lo = max(0, math.floor(float(corners[:, 1].min())) - 2)
    x_hi = min(width, math.ceil(float(corners[:, 0].max())) + 2)
    y_hi = min(height, math.ceil(float(corners[:, 1].max())) + 2)
    if x_hi <= x_lo or y_hi <= y_lo:
        return
    h, w = carrier.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dst = ((corners - (x_lo, y_lo)) * ss).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    size = ((x_hi - x_lo) * ss, (y_hi - y_lo) * ss)
    warped = cv2.warpPerspective(carrier, matrix, size, flags=cv2.INTER_LINEAR)
    mask = np.zeros((size[1], size[0]), np.float32)
    cv2.fillConvexPoly(mask, np.round(dst).astype(np.int32), 1.0)
    small = cv2.resize(warped, (x_hi - x_lo, y_hi - y_lo), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (x_hi - x_lo, y_hi - y_lo), interpolation=cv2.INTER_AREA)[..., None]
    roi = frame[y_lo:y_hi, x_lo:x_hi]
    roi[...] = roi * (1 - alpha) + (small[..., None] * np.array(tint, np.float32)) * alpha


def _code_corners(
    code_box: tuple[int, int, int], shape: tuple[int, ...], corners: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Frame coordinates of the symbol's corners, from the carrier's."""
    h, w = shape[:2]
    x0, y0, side = code_box
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    box = np.array([[[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side]]])
    return _f32(cv2.perspectiveTransform(box.astype(np.float32), matrix)[0])


def _apply(
    frame: Float,
    condition: str,
    rng: np.random.Generator,
    carrier: npt.NDArray[np.float32],
    code: npt.NDArray[np.float32],
) -> Image:
    """The condition, then the camera: sensor noise and 8-bit output. `carrier` and `code`
    are the corners of the phone (or card) and of the symbol in the frame."""
    height, width = frame.shape[:2]
    noise = 2.0
    if condition == "defocus":
        frame = _f32(cv2.GaussianBlur(frame, (0, 0), rng.uniform(1.0, 2.5)))
    elif condition == "motion":
        length = int(rng.integers(5, 15))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = _f32(cv2.warpAffine(kernel, rot, (length, length)))
        frame = _f32(cv2.filter2D(frame, -1, kernel / kernel.sum()))
    elif condition == "glare":
        # A reflection of a ceiling light on the screen: a bright soft blob over part of
        # the code that clips the sensor.
        side = float(np.linalg.norm(code[1] - code[0]))
        t = rng.uniform(0.2, 0.8, 2)
        centre = code[0] + (code[1] - code[0]) * t[0] + (code[3] - code[0]) * t[1]
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        radius = side * rng.uniform(0.12, 0.25)
        blob = np.exp(-(((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * radius**2)))
        frame = frame + (blob * rng.uniform(180, 300))[..., None]
    elif condition == "bright":
        # Exposure set for the room, so the screen clips and its light bleeds into the dark
        # modules (blooming), thinning them.
        frame = frame * rng.uniform(1.4, 2.0)
        spill = _f32(cv2.GaussianBlur(np.maximum(frame - 230, 0), (0, 0), rng.uniform(1.5, 3.0)))
        frame = frame + spill * rng.uniform(0.6, 1.0)
    elif condition == "low_light":
        # A dark corner: little light, the camera's gain raises the noise with it.
        frame = frame * rng.uniform(0.12, 0.25)
        noise = rng.uniform(3.0, 6.0)
    elif condition == "low_contrast":
        # Screen brightness turned down and washed out by room light.
        lo, hi = rng.uniform(95, 125), rng.uniform(150, 175)
        frame = lo + frame * ((hi - lo) / 255.0)
    elif condition == "moire":
        # The screen's pixel grid beating against the sensor's: coloured bands on the
        # phone, not on the room.
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        angle = rng.uniform(0, math.pi)
        period = rng.uniform(4.0, 14.0)
        phase = (xx * math.cos(angle) + yy * math.sin(angle)) * (2 * math.pi / period)
        depth = rng.uniform(0.15, 0.3)
        on_screen = np.zeros((height, width), np.float32)
        cv2.fillConvexPoly(on_screen, np.round(carrier).astype(np.int32), 1.0)
        for c in range(3):
            frame[..., c] *= 1 - on_screen * depth * (0.5 + 0.5 * np.sin(phase + c * 2.1))
    elif condition == "jpeg":
        noise = 3.0
    out = _to_uint8(frame + _noise(rng, frame.shape, noise))
    if condition == "jpeg":
        quality = int(rng.integers(15, 35))
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
        decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
        if decoded is not None:
            out = cast(Image, decoded)
    return out


def _noise(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> Float:
    """Gaussian sensor noise, the same in the three channels (luma noise: what a decoder sees
    after converting to gray, at a third of the cost of drawing it per channel)."""
    plane = rng.standard_normal(shape[:2], dtype=np.float32) * np.float32(sigma)
    return plane[..., None] if len(shape) == 3 else plane


def _to_uint8(frame: Float) -> Image:
    return cast(Image, np.clip(frame + 0.5, 0, 255).astype(np.uint8))
