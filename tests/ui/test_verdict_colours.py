"""The six verdict families, rendered by the real window for real decisions, stay apart for a
red-green colour-blind guard or visitor, and never by colour alone.

Each family's verdict panel is grabbed as the screen draws it and simulated as seen with
deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009, severity 1.0; scripts/cvd.py).
Checked on the pixels:
- the background colours of every two families differ by CIEDE2000 >= 12 under both
  simulations (>= 20 for the pairs a guard must never confuse: admit/denied, admit/refer,
  exit/denied, refer/denied), and by >= 20 with normal vision;
- the fault family is striped: its two stripe colours differ in lightness under both
  simulations, so it reads as "not a verdict" without colour;
- every family has its own shape: the icons' drawn pixels overlap little (IoU < 0.6), and the
  wrong-code family shows the pictures of the right codes instead of an icon;
- the words are readable on their background: contrast >= 3:1 (big, bold text).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from kiosk.demo import EXAMPLES
from kiosk.scanner.types import CodeScanned
from kiosk.ui.runner import ScanNotRecorded, ScanRequest
from kiosk.ui.texts import STYLES, Family
from tests.conftest import load_script
from tests.ui.conftest import WAIT_MS, Kiosk

pytestmark = pytest.mark.timeout(120)

CODES = dict(EXAMPLES)
KEY_PAIRS = {
    frozenset({Family.ADMIT, Family.DENIED}),
    frozenset({Family.ADMIT, Family.REFER}),
    frozenset({Family.EXIT, Family.DENIED}),
    frozenset({Family.REFER, Family.DENIED}),
}


cvd = load_script("cvd")


def pixels(image: QImage) -> np.ndarray:
    """An (h, w, 3) uint8 RGB array of `image`."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height)
    rows = data.reshape(height, image.bytesPerLine())[:, : width * 3]
    return rows.reshape(height, width, 3).copy()  # the QImage goes away


def dominant_colours(rgb: np.ndarray, count: int) -> list[np.ndarray]:
    """The `count` most frequent colours of the panel's outer margin (the background)."""
    margin = np.concatenate(
        [rgb[:6].reshape(-1, 3), rgb[-6:].reshape(-1, 3), rgb[:, :6].reshape(-1, 3)]
    )
    colours, frequency = np.unique(margin, axis=0, return_counts=True)
    order = np.argsort(frequency)[::-1][:count]
    return [colours[i] for i in order]


def shape_mask(rgb: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """What the icon draws in its ink (the family's text colour), as a 64x64 boolean mask."""
    import cv2

    near = np.abs(rgb.astype(int) - ink.astype(int)).sum(axis=2) < 120
    small = cv2.resize(near.astype(np.float32), (64, 64), interpolation=cv2.INTER_AREA)
    return np.asarray(small > 0.5)


def show(kiosk: Kiosk, label: str, seconds_later: float = 30) -> None:
    kiosk.clock.advance(seconds_later)
    count = len(kiosk.done)
    event = CodeScanned(CODES[label].encode(), "camera", 0, 0)
    kiosk.window.on_code_scanned(event)
    kiosk.qtbot.waitUntil(lambda: len(kiosk.done) > count, timeout=WAIT_MS)


@pytest.fixture
def rendered(kiosk_factory: Any) -> dict[Family, tuple[np.ndarray, np.ndarray | None]]:
    """Each family's verdict panel and icon as drawn for a real decision (1280x800)."""
    kiosk = kiosk_factory(capacity=1, duplicate_window_s=10)
    verdict = kiosk.window.scan_page.verdict
    shots: dict[Family, tuple[np.ndarray, np.ndarray | None]] = {}

    def grab(family: Family) -> None:
        assert verdict.view is not None and verdict.view.family is family, verdict.view
        panel = pixels(verdict.grab().toImage())
        icon = None
        if verdict.icon.isVisible():  # cut from the panel: drawn on the family's colour
            box = verdict.icon.geometry()
            icon = panel[box.top() : box.bottom() + 1, box.left() : box.right() + 1]
        shots[family] = (panel, icon)

    show(kiosk, "personal QR")
    grab(Family.ADMIT)
    show(kiosk, "CCCD")  # one inside, capacity 1: wait
    grab(Family.DENIED)
    show(kiosk, "EU vaccine certificate")  # signature not verifiable here: the medical desk
    grab(Family.REFER)
    show(kiosk, "venue code")
    grab(Family.WRONG_CODE)
    show(kiosk, "personal QR")  # inside: goes out
    grab(Family.EXIT)
    kiosk.window._on_not_recorded(ScanNotRecorded(ScanRequest(b"", "camera", 0), "locked"))
    grab(Family.FAULT)
    return shots


def test_the_families_stay_apart_in_colour_and_shape(
    rendered: dict[Family, tuple[np.ndarray, np.ndarray | None]],
) -> None:
    backgrounds = {
        f: dominant_colours(rgb, 2 if f is Family.FAULT else 1) for f, (rgb, _) in rendered.items()
    }
    for family, colours in backgrounds.items():
        assert tuple(colours[0]) in {
            tuple(cvd.hex_rgb(STYLES[family].background)),
            tuple(cvd.hex_rgb(STYLES[family].stripe or STYLES[family].background)),
        }, family  # the colour really painted is the family's

    report = {}
    for first, second in itertools.combinations(rendered, 2):
        a, b = backgrounds[first][0], backgrounds[second][0]
        if Family.FAULT in (first, second):  # its stripes as seen from afar: their mean
            fault, other = (first, second) if first is Family.FAULT else (second, first)
            stripes = np.stack(backgrounds[fault]).astype(int)
            a, b = stripes.mean(axis=0).astype(np.uint8), backgrounds[other][0]
        normal = cvd.difference(a, b)
        deutan = cvd.difference(a, b, "deuteranopia")
        protan = cvd.difference(a, b, "protanopia")
        report[(first.value, second.value)] = (round(normal), round(deutan), round(protan))
        floor = 20 if frozenset({first, second}) in KEY_PAIRS else 12
        assert normal >= 20, report
        assert min(deutan, protan) >= floor, (first, second, report[(first.value, second.value)])

    # The fault's stripes differ in lightness for everyone: a pattern, not a colour.
    base, stripe = backgrounds[Family.FAULT]
    for kind in cvd.KINDS:
        lab = cvd.to_lab(np.stack([cvd.simulate(base, kind), cvd.simulate(stripe, kind)]))
        assert abs(lab[0][0] - lab[1][0]) >= 15, kind

    # A shape of its own for each family with an icon; the right cards for a wrong code.
    masks = {
        family: shape_mask(icon, cvd.hex_rgb(STYLES[family].foreground))
        for family, (_rgb, icon) in rendered.items()
        if icon is not None
    }
    assert set(masks) == set(Family) - {Family.WRONG_CODE}
    for family, mask in masks.items():
        assert 0.05 < mask.mean() < 0.85, (family, mask.mean())  # a drawn shape, not noise
    for (first, a), (second, b) in itertools.combinations(masks.items(), 2):
        overlap = (a & b).sum() / max(1, (a | b).sum())
        assert overlap < 0.6, (first, second, round(float(overlap), 2))
    assert rendered[Family.WRONG_CODE][1] is None  # the cards instead of an icon


def test_the_words_are_readable_on_their_colour() -> None:
    def luminance(colour: str) -> float:
        linear = cvd.to_linear(cvd.hex_rgb(colour))
        return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])

    for family, style in STYLES.items():
        text = style.foreground
        for ground in filter(None, (style.background, style.stripe)):
            high, low = sorted((luminance(text), luminance(ground)), reverse=True)
            assert (high + 0.05) / (low + 0.05) >= 3.0, (family, ground)


def test_the_machado_matrices_keep_greys_and_split_red_from_green() -> None:
    """The simulation itself: a grey is a grey for everyone (each row sums to 1), and the
    classic trap (a mid green and a mid red) becomes hard to tell apart."""
    grey = np.array([128, 128, 128], dtype=np.uint8)
    for kind in cvd.KINDS:
        assert np.abs(cvd.simulate(grey, kind).astype(int) - 128).max() <= 1
    green, red = cvd.hex_rgb("#1b7f3b"), cvd.hex_rgb("#c62828")  # the kiosk's old pair
    assert cvd.difference(green, red) > 50
    assert cvd.difference(green, red, "deuteranopia") < 12  # why the colours were changed
