#!/usr/bin/env python3
"""Colour-vision deficiency simulation of screenshots, to check that the kiosk's verdicts stay
distinguishable for red-green colour-blind guards and visitors.

The model is Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for
Simulation of Color Vision Deficiency", IEEE TVCG 15(6), at severity 1.0 (dichromacy: what
survives it survives the milder, commoner anomalous trichromacies too). The matrices apply to
linear RGB: decode the sRGB gamma, multiply, encode again. Distances are CIEDE2000 in CIELAB
(D65): about 2 is "just noticeable", 10 and more "different at a glance".

    .venv/bin/python scripts/cvd.py docs/screenshots/verdict-*.vi.png  # -> *.deuteranopia.png

tests/ui/test_verdict_colours.py loads this file (as tests load scripts/i18n.py).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

# Machado et al. 2009, Table 1, severity 1.0 (rows: R', G', B' from linear R, G, B).
MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}
KINDS = tuple(MACHADO_2009)


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in 0..255 to linear 0..1 (IEC 61966-2-1)."""
    s = np.asarray(srgb, dtype=np.float64) / 255.0
    return np.where(s <= 0.04045, s / 12.92, ((s + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    c = np.clip(linear, 0.0, 1.0)
    s = np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)
    return np.round(s * 255.0).astype(np.uint8)


def simulate(rgb: np.ndarray, kind: str) -> np.ndarray:
    """`rgb` (..., 3) uint8 as a person with `kind` sees it, uint8."""
    linear = to_linear(rgb)
    return to_srgb(linear @ MACHADO_2009[kind].T)


def hex_rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.uint8)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) to CIELAB (D65)."""
    linear = to_linear(rgb)
    m = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    lightness = 116 * f[..., 1] - 16
    return np.stack([lightness, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = (float(v) for v in lab1)
    l2, a2, b2 = (float(v) for v in lab2)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lp_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    sl = 1 + 0.015 * (lp_mean - 50) ** 2 / math.sqrt(20 + (lp_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh)
    )


def difference(rgb1: np.ndarray, rgb2: np.ndarray, kind: str | None = None) -> float:
    """CIEDE2000 between two sRGB colours as seen normally (kind None) or with `kind`."""
    if kind is not None:
        rgb1, rgb2 = simulate(rgb1, kind), simulate(rgb2, kind)
    return ciede2000(to_lab(rgb1), to_lab(rgb2))


def main(paths: list[str]) -> int:
    import cv2

    for name in paths:
        path = Path(name)
        bgr = cv2.imread(str(path))
        if bgr is None:
            print(f"cvd: cannot read {path}", file=sys.stderr)
            return 1
        for kind in KINDS:
            out = simulate(bgr[..., ::-1], kind)[..., ::-1]
            target = path.with_name(f"{path.stem}.{kind}.png")
            cv2.imwrite(str(target), out)
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
