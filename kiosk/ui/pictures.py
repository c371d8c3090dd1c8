"""Pictures drawn with QPainter: the verdict icons (one distinct shape per family, so that
colour is never the only cue), the arrow toward the camera, the codes to show (a phone with a
personal QR; the chip ID card with its QR at the top right), the camera-off sign, and the
fault family's stripes. Drawn, not loaded: they scale to any screen and need no files.

Every function paints inside the rectangle it is given and leaves the painter as it found it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

ICONS = ("check", "exit", "medical", "cards", "stop", "warning")
# A fixed pattern standing for a QR code's modules (7x7, finder-like corners): a picture of
# "a QR code", not a code anyone could scan.
_QR_PATTERN = (
    "1110101",
    "1010011",
    "1110110",
    "0001010",
    "1011101",
    "0110101",
    "1101011",
)


def _square(rect: QRectF) -> QRectF:
    side = min(rect.width(), rect.height())
    return QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)


def fill_stripes(painter: QPainter, rect: QRectF, base: str, stripe: str, width: float) -> None:
    """`rect` in `base`, crossed by diagonal stripes of `stripe` (the fault family)."""
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, QColor(base))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(stripe))
    span = rect.width() + rect.height()
    x = rect.left() - rect.height()
    while x < rect.left() + span:
        band = QPolygonF(
            [
                QPointF(x, rect.bottom()),
                QPointF(x + width, rect.bottom()),
                QPointF(x + width + rect.height(), rect.top()),
                QPointF(x + rect.height(), rect.top()),
            ]
        )
        painter.drawPolygon(band)
        x += 2 * width
    painter.restore()


def paint_ground(
    painter: QPainter, rect: QRectF, colour: str, stripe: str, stripe_width: float
) -> None:
    """A verdict's background: its colour, crossed by stripes of `stripe` when there is one."""
    if stripe:
        fill_stripes(painter, rect, colour, stripe, stripe_width)
    else:
        painter.fillRect(rect, QColor(colour))


def _pen(colour: str, width: float) -> QPen:
    """A pen with round ends and corners (the icons' strokes)."""
    pen = QPen(QColor(colour), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def draw_icon(painter: QPainter, rect: QRectF, name: str, ink: str, ground: str) -> None:
    """The verdict icon `name` (ICONS) in `ink` on a disc of `ground`, in a square in `rect`."""
    box = _square(rect)
    s = box.width()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = _pen(ink, max(3.0, s * 0.09))
    cx, cy = box.center().x(), box.center().y()

    def at(fx: float, fy: float) -> QPointF:
        return QPointF(box.left() + fx * s, box.top() + fy * s)

    if name == "check":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.adjusted(s * 0.05, s * 0.05, -s * 0.05, -s * 0.05))
        path = QPainterPath(at(0.27, 0.52))
        path.lineTo(at(0.44, 0.68))
        path.lineTo(at(0.74, 0.34))
        painter.drawPath(path)
    elif name == "exit":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # A door frame open on its right side, and an arrow leaving through it.
        door = QPainterPath(at(0.58, 0.22))
        door.lineTo(at(0.12, 0.22))
        door.lineTo(at(0.12, 0.86))
        door.lineTo(at(0.58, 0.86))
        painter.drawPath(door)
        painter.drawLine(at(0.34, 0.54), at(0.90, 0.54))
        head = QPainterPath(at(0.72, 0.37))
        head.lineTo(at(0.90, 0.54))
        head.lineTo(at(0.72, 0.71))
        painter.drawPath(head)
    elif name == "medical":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ink))
        painter.drawRoundedRect(
            box.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04), s * 0.18, s * 0.18
        )
        painter.setBrush(QColor(ground))
        arm = s * 0.17
        painter.drawRect(QRectF(cx - arm, box.top() + s * 0.18, 2 * arm, s * 0.64))
        painter.drawRect(QRectF(box.left() + s * 0.18, cy - arm, s * 0.64, 2 * arm))
    elif name == "stop":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ink))
        radius = s * 0.48
        octagon = QPolygonF(
            [
                QPointF(
                    cx + radius * math.cos(math.radians(22.5 + 45 * i)),
                    cy + radius * math.sin(math.radians(22.5 + 45 * i)),
                )
                for i in range(8)
            ]
        )
        painter.drawPolygon(octagon)
        painter.setPen(_pen(ground, max(3.0, s * 0.11)))
        painter.drawLine(at(0.32, 0.32), at(0.68, 0.68))
        painter.drawLine(at(0.68, 0.32), at(0.32, 0.68))
    elif name == "warning":
        painter.setPen(QPen(QColor(ground), max(2.0, s * 0.03)))
        painter.setBrush(QColor(ink))
        triangle = QPolygonF([at(0.5, 0.06), at(0.96, 0.90), at(0.04, 0.90)])
        painter.drawPolygon(triangle)
        painter.setPen(_pen(ground, max(3.0, s * 0.10)))
        painter.drawLine(at(0.5, 0.36), at(0.5, 0.62))
        painter.drawPoint(at(0.5, 0.76))
    elif name == "cards":
        # A QR code with a question mark: "which code?"
        draw_qr(painter, box.adjusted(s * 0.08, s * 0.08, -s * 0.08, -s * 0.08), ink)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ground))
        painter.drawEllipse(QPointF(cx, cy), s * 0.26, s * 0.26)
        font = painter.font()
        font.setPixelSize(max(8, int(s * 0.42)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ink))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?")
    painter.restore()


def draw_qr(painter: QPainter, rect: QRectF, ink: str) -> None:
    """A picture of a QR code (three finder squares and a few modules) in a square of `rect`."""
    box = _square(rect)
    cell = box.width() / 7
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ink))
    for row, line in enumerate(_QR_PATTERN):
        for column, bit in enumerate(line):
            if bit == "1":
                painter.drawRect(
                    QRectF(box.left() + column * cell, box.top() + row * cell, cell, cell)
                )
    painter.restore()


def draw_arrow(painter: QPainter, rect: QRectF, direction: str, colour: str) -> None:
    """A thick arrow pointing `direction` (up, down, left, right) filling `rect`."""
    box = _square(rect)
    s = box.width()
    angle = {"right": 0, "down": 90, "left": 180, "up": 270}.get(direction, 270)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(box.center())
    painter.rotate(angle)
    shape = QPolygonF(
        [
            QPointF(-0.45 * s, -0.14 * s),
            QPointF(0.05 * s, -0.14 * s),
            QPointF(0.05 * s, -0.38 * s),
            QPointF(0.47 * s, 0.0),
            QPointF(0.05 * s, 0.38 * s),
            QPointF(0.05 * s, 0.14 * s),
            QPointF(-0.45 * s, 0.14 * s),
        ]
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawPolygon(shape)
    painter.restore()


def draw_id_card(painter: QPainter, rect: QRectF, accent: str) -> None:
    """The front of a chip ID card (CCCD, 2021), schematic: the emblem and photo on the left,
    the chip, lines of text, and the QR code at the top right, ringed in `accent`."""
    ratio = 85.6 / 54.0
    width = min(rect.width(), rect.height() * ratio)
    height = width / ratio
    card = QRectF(
        rect.center().x() - width / 2, rect.center().y() - height / 2, width, height
    ).adjusted(2, 2, -2, -2)
    w, h = card.width(), card.height()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#546e7a"), max(1.0, w * 0.012)))
    painter.setBrush(QColor("#e3f0fb"))
    painter.drawRoundedRect(card, w * 0.05, w * 0.05)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#c62828"))  # the emblem
    painter.drawEllipse(QPointF(card.left() + w * 0.12, card.top() + h * 0.2), w * 0.07, w * 0.07)
    painter.setBrush(QColor("#b0bec5"))  # the photo
    painter.drawRect(QRectF(card.left() + w * 0.05, card.top() + h * 0.42, w * 0.2, h * 0.48))
    painter.setBrush(QColor("#d4a017"))  # the chip
    painter.drawRoundedRect(
        QRectF(card.left() + w * 0.3, card.top() + h * 0.44, w * 0.11, h * 0.15), 2, 2
    )
    painter.setBrush(QColor("#90a4ae"))  # lines of text
    for index, share in enumerate((0.5, 0.42, 0.46, 0.36)):
        painter.drawRect(
            QRectF(
                card.left() + w * 0.3, card.top() + h * (0.68 + 0.07 * index), w * share, h * 0.035
            )
        )
    painter.drawRect(QRectF(card.left() + w * 0.25, card.top() + h * 0.12, w * 0.4, h * 0.05))
    qr = QRectF(card.right() - w * 0.27, card.top() + h * 0.07, w * 0.22, w * 0.22)
    painter.setBrush(QColor("white"))
    painter.drawRect(qr)
    draw_qr(painter, qr.adjusted(w * 0.015, w * 0.015, -w * 0.015, -w * 0.015), "#102027")
    ring = QPen(QColor(accent), max(2.0, w * 0.03))
    painter.setPen(ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(qr.adjusted(-w * 0.03, -w * 0.03, w * 0.03, w * 0.03), 4, 4)
    painter.restore()


def draw_phone_qr(painter: QPainter, rect: QRectF) -> None:
    """A phone showing a QR code (the personal QR in an app or a screenshot)."""
    height = rect.height()
    width = min(rect.width(), height * 0.55)
    phone = QRectF(rect.center().x() - width / 2, rect.top(), width, height).adjusted(2, 2, -2, -2)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#263238"))
    painter.drawRoundedRect(phone, phone.width() * 0.14, phone.width() * 0.14)
    screen = phone.adjusted(
        phone.width() * 0.08, phone.height() * 0.08, -phone.width() * 0.08, -phone.height() * 0.08
    )
    painter.setBrush(QColor("white"))
    painter.drawRect(screen)
    side = screen.width() * 0.8
    qr = QRectF(screen.center().x() - side / 2, screen.center().y() - side / 2, side, side)
    draw_qr(painter, qr, "#102027")
    painter.restore()


def draw_camera_off(painter: QPainter, rect: QRectF, colour: str) -> None:
    """A camera, struck through."""
    box = _square(rect)
    s = box.width()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(colour, max(3.0, s * 0.06)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    body = QRectF(box.left() + s * 0.1, box.top() + s * 0.3, s * 0.8, s * 0.5)
    painter.drawRoundedRect(body, s * 0.06, s * 0.06)
    painter.drawRect(QRectF(box.left() + s * 0.36, box.top() + s * 0.2, s * 0.28, s * 0.1))
    painter.drawEllipse(body.center(), s * 0.15, s * 0.15)
    painter.setPen(_pen(colour, max(4.0, s * 0.08)))
    painter.drawLine(
        QPointF(box.left() + s * 0.08, box.top() + s * 0.12),
        QPointF(box.right() - s * 0.08, box.bottom() - s * 0.12),
    )
    painter.restore()


class Picture(QWidget):
    """A widget that paints one of these pictures: `kind` is an icon name (ICONS), "arrow",
    "id_card", "phone_qr" or "camera_off". Colours and the arrow's direction are set with
    `show`; the widget keeps the aspect it is given by its fixed or minimum size."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.ink = "#ffffff"
        self.ground = "#000000"
        self.direction = "up"
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def show_as(
        self, kind: str | None = None, *, ink: str | None = None, ground: str | None = None,
        direction: str | None = None,
    ) -> None:  # fmt: skip
        self.kind = kind or self.kind
        self.ink = ink or self.ink
        self.ground = ground or self.ground
        self.direction = direction or self.direction
        self.update()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect())
        if self.kind == "arrow":
            draw_arrow(painter, rect, self.direction, self.ink)
        elif self.kind == "id_card":
            draw_id_card(painter, rect, self.ink)
        elif self.kind == "phone_qr":
            draw_phone_qr(painter, rect)
        elif self.kind == "camera_off":
            draw_camera_off(painter, rect, self.ink)
        else:
            draw_icon(painter, rect, self.kind, self.ink, self.ground)
        painter.end()


__all__ = [
    "ICONS",
    "Picture",
    "draw_arrow",
    "draw_camera_off",
    "draw_icon",
    "draw_id_card",
    "draw_phone_qr",
    "draw_qr",
    "fill_stripes",
    "paint_ground",
]
