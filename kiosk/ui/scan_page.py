"""The main screen: the camera view with its aiming frame, the verdict beside it, the hint that
points toward the camera, and the status line.

Thin: it shows what it is told (a VerdictView, Counters, the camera's, the storage's and the
sync's state) and reports what the guard does (gate mode, manual entry, the people inside,
admin, language) as signals. It keeps states as codes and asks texts.py for the words, so a
language switch (`retranslate`) changes every word on it.

Layout: while a verdict shows, it takes the left part of the centre and the live camera view
stays on the right, so the next person has something to aim at. A lost camera replaces the
camera view with a full-width state that says what happened and offers the hand scanner and
manual entry.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.gate import StorageStatus
from kiosk.ui.labels import ElidedLabel, PlainLabel
from kiosk.ui.pictures import Picture, paint_ground
from kiosk.ui.runner import Counters
from kiosk.ui.texts import (
    AMBER,
    CAMERA_SIDES,
    RED,
    Family,
    VerdictView,
    aim_hint,
    camera_offers,
    camera_problem_texts,
    camera_text,
    card_captions,
    gate_mode_name,
    privacy_line,
    storage_text,
    tr,
)

# The status line's tones (texts.sync_text): online, offline (normal: neutral), act now.
TONES = {"ok": "#1b5e20", "neutral": "#37474f", "warn": "#8d5a00"}
VERDICT_SHARE = 62  # the verdict's part of the centre's width, in percent


def _largest_fitting(font: QFont, lines: list[str], width: int, largest: int, smallest: int) -> int:
    size = largest
    while size > smallest:
        font.setPixelSize(size)
        metrics = QFontMetrics(font)
        if max(metrics.horizontalAdvance(line) for line in lines) <= width:
            break
        size -= 2
    return max(size, smallest)


def fit_word(
    font: QFont, text: str, width: int, largest: int, smallest: int
) -> tuple[int, list[str]]:
    """The pixel size and the lines for the decision word in `width`: one line when it is
    nearly as big that way, else two lines broken where they are most even ("GẶP NHÂN /
    VIÊN Y TẾ", never "... VIÊN Y / TẾ" as word wrapping would)."""
    one = _largest_fitting(font, [text], width, largest, smallest)
    words = text.split()
    if len(words) < 2:
        return one, [text]
    font.setPixelSize(one)
    one_fits = QFontMetrics(font).horizontalAdvance(text) <= width
    probe = QFontMetrics(font)
    splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    lines = min(splits, key=lambda pair: max(probe.horizontalAdvance(x) for x in pair))
    two = _largest_fitting(font, lines, width, largest, smallest)
    return (one, [text]) if one_fits and one >= 0.8 * two else (two, lines)


class PreviewView(QWidget):
    """The latest camera frame, scaled to fit, with the aiming frame people hold their code in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self.setMinimumSize(120, 100)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101418"))
        if self._image is not None and not self._image.isNull():
            scaled = self._image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            painter.drawImage(x, y, scaled)
        # The aiming frame: a square of 60% of the short side, corners only, like a phone's
        # scanner, drawn twice (dark, then white) so it shows on a light and a dark picture.
        side = min(self.width(), self.height()) * 0.6
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        arm = side / 5
        for colour, width in (("#000000", max(8.0, side / 28)), ("#ffffff", max(4.0, side / 50))):
            painter.setPen(QPen(QColor(colour), width))
            for cx, cy, dx, dy in (
                (box.left(), box.top(), 1, 1),
                (box.right(), box.top(), -1, 1),
                (box.left(), box.bottom(), 1, -1),
                (box.right(), box.bottom(), -1, -1),
            ):
                painter.drawLine(int(cx), int(cy), int(cx + dx * arm), int(cy))
                painter.drawLine(int(cx), int(cy), int(cx), int(cy + dy * arm))
        painter.end()


class CardsRow(QWidget):
    """The codes a visitor may show: a phone with the personal QR, and the chip ID card with
    its QR at the top right (ringed)."""

    def __init__(self, *, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phone = Picture("phone_qr")
        self.card = Picture("id_card")
        self.card.show_as(ink="#d32f2f")
        self.captions = (PlainLabel(), PlainLabel())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        for picture, caption in zip((self.phone, self.card), self.captions, strict=True):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setWordWrap(True)
            column.addWidget(caption)
            row.addLayout(column)
            row.addSpacing(12)
        row.addStretch(1)
        self.set_picture_height(height)
        self.retranslate()

    def set_picture_height(self, height: int) -> None:
        self.phone.setFixedSize(QSize(int(height * 0.55), height))
        self.card.setFixedSize(QSize(int(height * 1.58), height))
        for caption in self.captions:
            caption.setMaximumWidth(max(190, int(height * 3)))

    def retranslate(self) -> None:
        for caption, text in zip(self.captions, card_captions(), strict=True):
            caption.setText(text)


class VerdictPanel(QWidget):
    """The verdict: its icon, the decision word, who, why, and for a fault what the guard does.
    It paints its family's background itself (stripes for a fault)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Sized by the screen; the text is fitted to it (_fit), never the window to the text.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.setMinimumWidth(200)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(6)
        self.icon = Picture("check")
        self.word = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.recorded_at = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.detail = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.reason = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.action = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.cards = CardsRow(height=80)
        for label in (self.word, self.recorded_at, self.detail, self.reason, self.action):
            label.setWordWrap(True)
        self.action.setObjectName("action")
        layout.addStretch(1)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        for widget in (self.word, self.recorded_at, self.detail, self.reason, self.cards):
            layout.addWidget(widget)
        layout.addWidget(self.action)
        layout.addStretch(1)
        self.view: VerdictView | None = None

    def show_view(self, view: VerdictView) -> None:
        self.view = view
        colour = view.foreground
        self.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.icon.show_as(view.style.icon, ink=colour, ground=view.background)
        self.icon.setVisible(not view.shows_cards)
        self.cards.setVisible(view.shows_cards)
        self.word.setText(view.word)
        for label, text in (
            (self.recorded_at, view.recorded_at),
            (self.detail, view.detail),
            (self.reason, view.reason),
            (self.action, view.action),
        ):
            label.setText(text)
            label.setVisible(bool(text))
        if view.action:
            self.action.setStyleSheet(
                "background: rgba(0, 0, 0, 0.45); border-radius: 6px; padding: 6px;"
            )
        self._fit()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def _fit(self) -> None:
        """Sizes from the panel's size: the word as big as fits (two lines at most), the
        name and the reason readable from a metre away even on a 800x480 screen. Smaller
        steps are tried until it all fits the panel's height (a fault's long instructions)."""
        height, width = max(1, self.height()), max(1, self.width() - 40)
        for scale in (1.0, 0.9, 0.8, 0.72, 0.65):
            self._sizes(height, width, scale)
            if self._needed(width + 40) <= height:
                break

    def _sizes(self, height: int, width: int, scale: float) -> None:
        icon = max(40, min(150, int(height * 0.22 * scale)))
        self.icon.setFixedSize(icon, icon)
        self.cards.set_picture_height(max(48, min(130, int(height * 0.24 * scale))))
        word = self.word.font()
        word.setBold(True)
        largest = max(28, int(height * 0.15 * scale))
        text = self.view.word if self.view is not None else self.word.text()
        # (A margin: the label's own layout measures a few pixels wider than the metrics.)
        size, lines = fit_word(word, text, width - 12, largest, 24)
        word.setPixelSize(size)
        self.word.setFont(word)
        self.word.setText("\n".join(lines))
        for label, share, floor, bold in (
            (self.recorded_at, 0.055, 16, True),
            (self.detail, 0.06, 18, True),
            (self.reason, 0.055, 17, False),
            (self.action, 0.05, 16, True),
        ):
            font = label.font()
            font.setPixelSize(max(floor, min(34, int(height * share * scale))))
            font.setBold(bold)
            label.setFont(font)
        for caption in self.cards.captions:
            font = caption.font()
            font.setPixelSize(max(14, min(22, int(height * 0.04 * scale))))
            caption.setFont(font)

    def _needed(self, width: int) -> int:
        """The height the panel's contents take at `width` (word-wrapped labels included)."""
        layout = self.layout()
        if layout is None:
            return self.minimumHeight()
        if layout.hasHeightForWidth():
            return int(layout.totalHeightForWidth(width))
        return int(layout.totalMinimumSize().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.view is None:
            return
        painter = QPainter(self)
        style = self.view.style
        rect = QRectF(self.rect())
        paint_ground(painter, rect, style.background, style.stripe, max(18.0, rect.height() / 12))
        painter.end()


class CameraProblem(QWidget):
    """The camera is lost or shows nothing: full width, what happened and the two ways in."""

    manual_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "lost"
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("cameraProblem")
        self.setStyleSheet(
            "#cameraProblem { background: #263238; } QLabel { color: white; }"
            f"#cameraProblem QPushButton {{ background: {AMBER}; color: black; font-weight: bold;"
            " border-radius: 8px; padding: 8px 22px; }"
        )
        # Sized by the screen, never the other way round (the window must not grow).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.icon = Picture("camera_off")
        self.icon.show_as(ink="#ffb74d")
        self.title = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.what = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.scanner = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.manual = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        for label in (self.title, self.what, self.scanner, self.manual):
            label.setWordWrap(True)
        self.manual_button = QPushButton()
        self.manual_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.manual_button.setMinimumHeight(52)
        self.manual_button.clicked.connect(self.manual_requested.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 10)
        layout.addStretch(1)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        for label in (self.title, self.what, self.scanner, self.manual):
            layout.addWidget(label)
        layout.addWidget(self.manual_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()

    def set_state(self, state: str) -> None:
        self.state = state
        self.retranslate()

    def retranslate(self) -> None:
        title, what = camera_problem_texts(self.state)
        scanner, manual = camera_offers()
        self.title.setText(title)
        self.what.setText(what)
        self.scanner.setText("• " + scanner)
        self.manual.setText("• " + manual)
        self.manual_button.setText(tr("Manual entry"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = max(1, event.size().height())
        width = event.size().width()
        # Full width, or beside a verdict (narrow): the text follows both sides, and beside a
        # verdict only the essentials stay (the title and the two ways in).
        base = max(15, min(30, int(height * 0.055), int(width * 0.034)))
        side = max(40, min(120, int(height * 0.2)))
        self.icon.setFixedSize(side, side)
        narrow = width < 480
        self.icon.setVisible(not narrow)
        self.what.setVisible(not narrow)
        for label, scale, bold in (
            (self.title, 1.5, True),
            (self.what, 1.0, False),
            (self.scanner, 1.0, True),
            (self.manual, 1.0, True),
        ):
            font = label.font()
            font.setPixelSize(int(base * scale))
            font.setBold(bold)
            label.setFont(font)
        super().resizeEvent(event)


class ScanPage(QWidget):
    gate_mode_chosen = Signal(str)  # "in" | "out" | "auto"
    manual_requested = Signal()
    inside_requested = Signal()
    admin_requested = Signal()
    language_toggled = Signal()

    def __init__(self, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo = demo
        self._verdict_timer = QTimer(self)
        self._verdict_timer.setSingleShot(True)
        self._verdict_timer.timeout.connect(self.clear_verdict)
        self._instruction_timer = QTimer(self)
        self._instruction_timer.setSingleShot(True)
        self._instruction_timer.timeout.connect(self._default_instruction)
        self._counters: Counters | None = None
        self._storage_level = "ok"
        self._camera = "starting"
        self._camera_position = "above"
        self._retention_days = 21
        self._sound = True
        self._sync: tuple[str, str] | None = None  # (text, tone) as last set
        self._narrow = False  # a 800 px screen: shorter words in the status line

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        # Top bar: checkpoint, demo badge, the privacy notice, clock.
        top = QHBoxLayout()
        top.setContentsMargins(12, 4, 12, 4)
        self.checkpoint = PlainLabel()
        self.demo_badge = PlainLabel()
        self.demo_badge.setStyleSheet(
            f"background: {AMBER}; color: black; padding: 2px 10px; font-weight: bold;"
        )
        self.demo_badge.setVisible(demo)
        self.privacy = ElidedLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.privacy.setStyleSheet("color: #b0bec5; font-size: 13px;")
        self.clock = PlainLabel()
        self.clock_warning = PlainLabel()
        self.clock_warning.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        top.addWidget(self.checkpoint)
        top.addWidget(self.demo_badge)
        self.sound_state = PlainLabel()  # the kiosk's own problems, beside its clock
        self.sound_state.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        top.addWidget(self.privacy, 1)
        top.addWidget(self.sound_state)
        top.addWidget(self.clock_warning)
        top.addWidget(self.clock)
        top_bar = QWidget()
        top_bar.setLayout(top)
        top_bar.setStyleSheet("background: #1f2a30; color: white;")
        root.addWidget(top_bar)

        # Centre: the verdict (while one shows) beside the camera view, or the camera problem.
        centre = QWidget()
        row = QHBoxLayout(centre)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.verdict = VerdictPanel()
        self.verdict.setVisible(False)
        self.preview = PreviewView()
        self.camera_problem = CameraProblem()
        self.camera_problem.manual_requested.connect(self.manual_requested.emit)
        side = QWidget()
        self.side = QStackedLayout(side)
        self.side.addWidget(self.preview)
        self.side.addWidget(self.camera_problem)
        row.addWidget(self.verdict, VERDICT_SHARE)
        row.addWidget(side, 100 - VERDICT_SHARE)
        self._centre_row = row
        root.addWidget(centre, 1)

        # The hint: an arrow toward the camera, the words, and where the code is on the card.
        hint = QWidget()
        hint.setObjectName("hint")
        hint.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        hint.setStyleSheet("#hint { background: #263238; } QLabel { color: white; }")
        hint_row = QHBoxLayout(hint)
        hint_row.setContentsMargins(12, 4, 12, 4)
        self.arrow = Picture("arrow")
        self.arrow.show_as(ink="#ffd54f")
        self.instruction = PlainLabel()
        self.instruction.setWordWrap(True)
        self.instruction.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.card_hint = Picture("id_card")
        self.card_hint.show_as(ink="#ffd54f")
        self.card_hint_caption = PlainLabel()
        self.card_hint_caption.setWordWrap(True)
        self.card_hint_caption.setStyleSheet("font-size: 13px; color: #cfd8dc;")
        hint_row.addWidget(self.arrow)
        hint_row.addWidget(self.instruction, 1)
        hint_row.addWidget(self.card_hint)
        hint_row.addWidget(self.card_hint_caption)
        self._hint_row = hint_row
        root.addWidget(hint)

        # The storage strip: one line, full width, only while space is low or gone.
        self.storage_state = PlainLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.storage_state.setWordWrap(False)
        self.storage_state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.storage_state.setVisible(False)
        root.addWidget(self.storage_state)

        # Status bar, two rows (what the kiosk knows; what the guard can do). The first never
        # wraps: what does not fit a 800 px screen is cut short with "…".
        bar = QVBoxLayout()
        bar.setContentsMargins(10, 4, 10, 6)
        bar.setSpacing(4)
        info = QHBoxLayout()
        info.setSpacing(8)
        controls = QHBoxLayout()
        bar.addLayout(info)
        bar.addLayout(controls)
        self.occupancy = QPushButton()  # tap: the people inside (check one out)
        self.occupancy.setObjectName("inside")
        self.occupancy.setMinimumHeight(36)
        self.occupancy.clicked.connect(self.inside_requested.emit)
        self.today = PlainLabel()
        self.camera_state = ElidedLabel()
        self.sync_state = ElidedLabel(
            alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.mode_buttons: dict[str, QPushButton] = {}
        modes = QButtonGroup(self)
        modes.setExclusive(True)
        for mode in ("in", "out", "auto"):
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, m=mode: self.gate_mode_chosen.emit(m))
            modes.addButton(button)
            self.mode_buttons[mode] = button
        self.manual_button = QPushButton()
        self.manual_button.setMinimumHeight(44)
        self.manual_button.clicked.connect(self.manual_requested.emit)
        self.admin_button = QPushButton()
        self.admin_button.setMinimumHeight(44)
        self.admin_button.clicked.connect(self.admin_requested.emit)
        self.language_button = QPushButton()
        self.language_button.setMinimumHeight(44)
        self.language_button.clicked.connect(self.language_toggled.emit)
        info.addWidget(self.occupancy)
        info.addWidget(self.today)
        info.addWidget(self.camera_state)
        info.addWidget(self.sync_state, 3)
        for button in self.mode_buttons.values():
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.manual_button)
        controls.addWidget(self.admin_button)
        controls.addWidget(self.language_button)
        # Touch only, never keyboard focus: a USB scanner types into the focused widget, and a
        # space in a payload would press a focused button (and be lost from the scan).
        buttons = (*self.mode_buttons.values(), self.manual_button, self.admin_button)
        for button in (*buttons, self.language_button, self.occupancy):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        status = QWidget()
        status.setObjectName("status")
        status.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        status.setLayout(bar)
        status.setStyleSheet(
            "#status { background: #eceff1; } QLabel { color: #102027; }"
            "#inside { text-align: left; padding: 2px 6px; border: 2px solid #90a4ae;"
            " border-radius: 6px; background: white; color: #102027; font-weight: bold; }"
        )
        root.addWidget(status)
        self.set_camera_position("above")
        self.retranslate()

    # -- text -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.demo_badge.setText(tr("DEMO MODE"))
        for mode, button in self.mode_buttons.items():
            button.setText(gate_mode_name(mode))
        self.manual_button.setText(tr("Manual entry"))
        self.admin_button.setText(tr("Administration"))
        self.language_button.setText(tr("Tiếng Việt"))  # the other language, named in it
        self.privacy.setText(privacy_line(self._retention_days))
        self.card_hint_caption.setText(tr("CCCD: code at the top right"))
        self.camera_problem.retranslate()
        self.verdict.cards.retranslate()
        self._default_instruction()
        self._show_storage()
        self._show_camera()
        self.set_sound_state(self._sound)
        self._show_counters()
        if self.showing_verdict:
            self.clear_verdict()  # its words were in the other language

    def _default_instruction(self) -> None:
        if self._camera in ("lost", "blank"):
            text = tr("The camera is not working: use the hand scanner or Manual entry")
        else:
            text = aim_hint(self._camera_position)
        self.instruction.setText(text)

    # -- state ------------------------------------------------------------------------------

    def set_demo(self, demo: bool) -> None:
        self.demo = demo
        self.demo_badge.setVisible(demo)

    def set_checkpoint(self, name: str) -> None:
        self.checkpoint.setText(name)

    def set_retention(self, days: int) -> None:
        self._retention_days = days
        self.privacy.setText(privacy_line(days))

    def set_camera_position(self, position: str) -> None:
        """Where the camera is (the `camera_position` setting): the arrow points there."""
        self._camera_position = position
        direction = CAMERA_SIDES.get(position, "up")
        self.arrow.show_as(direction=direction)
        # The arrow at the side of the camera when it is left or right of the screen.
        self._hint_row.removeWidget(self.arrow)
        self._hint_row.insertWidget(2 if direction == "right" else 0, self.arrow)
        self._default_instruction()

    def set_gate_mode(self, mode: str) -> None:
        for key, button in self.mode_buttons.items():
            button.setChecked(key == mode)

    def set_counters(self, counters: Counters) -> None:
        self._counters = counters
        self._show_counters()

    def _show_counters(self) -> None:
        counters = self._counters
        if counters is None:
            self.occupancy.setText(tr("Inside now: {n}").format(n="…"))
            self.today.setText("")
            return
        # A 800 px screen: the same numbers in fewer words (the status line is one line).
        narrow = self._narrow
        inside = (tr("Inside: {n}") if narrow else tr("Inside now: {n}")).format(
            n=counters.occupancy
        )
        full = False
        if counters.capacity:
            inside += f" / {counters.capacity}"
            full = counters.occupancy >= counters.capacity
        self.occupancy.setText(inside + "  ›")
        self.occupancy.setStyleSheet(f"color: {RED};" if full else "")
        today = tr("in {n} · out {m}") if narrow else tr("Today: in {n} · out {m}")
        self.today.setText(today.format(n=counters.today_in, m=counters.today_out))

    @property
    def waiting(self) -> int | None:
        return self._counters.waiting if self._counters else None

    def set_clock(self, text: str, *, synced: bool) -> None:
        self.clock.setText(text)
        self.clock_warning.setText("" if synced else tr("Clock not synchronised"))

    def set_camera_state(self, state: str) -> None:
        """ "starting", "ok", "lost" (no frames: unplugged, a driver error) or "blank" (frames,
        all black: covered)."""
        self._camera = state
        self._show_camera()

    @property
    def camera(self) -> str:
        return self._camera

    def _show_camera(self) -> None:
        state = self._camera
        self.camera_state.setText(camera_text(state))
        problem = state in ("lost", "blank")
        # A problem has the centre of the screen to itself: the status line leaves it there.
        self.camera_state.setVisible(state == "starting")
        self.camera_state.setStyleSheet(f"color: {RED}; font-weight: bold;" if problem else "")
        if problem:
            self.camera_problem.set_state(state)
            self.side.setCurrentWidget(self.camera_problem)
        else:
            self.side.setCurrentWidget(self.preview)
        self.arrow.setVisible(not problem)
        self.card_hint.setVisible(not problem)
        self.card_hint_caption.setVisible(not problem)
        self._default_instruction()

    def set_sync_state(self, text: str, tone: str, short: str = "") -> None:
        """The connection's words (`short`: the same in fewer words, for a narrow screen)."""
        self._sync = (text, tone)
        self.sync_state.set_texts(text, short)
        self.sync_state.setStyleSheet(f"color: {TONES.get(tone, TONES['neutral'])};")

    def set_storage(self, status: StorageStatus) -> None:
        """The data directory's free space: a warning while low, an alarm while full."""
        self._storage_level = status.level
        self._show_storage()

    def _show_storage(self) -> None:
        level = self._storage_level
        self.storage_state.setText(storage_text(level))
        self.storage_state.setVisible(level != "ok")
        if level == "full":
            colours = f"background: {RED}; color: white;"
        else:
            colours = f"background: {AMBER}; color: black;"
        self.storage_state.setStyleSheet(f"{colours} font-weight: bold; padding: 3px 8px;")

    def set_sound_state(self, available: bool) -> None:
        self._sound = available
        self.sound_state.setText("" if available else tr("No sound device"))
        self.sound_state.setVisible(not available)

    def set_preview(self, image: QImage) -> None:
        self.preview.set_image(image)

    def show_instruction(self, text: str, *, seconds: float = 2.0) -> None:
        self.instruction.setText(text)
        self._instruction_timer.start(int(seconds * 1000))

    def show_verdict(self, view: VerdictView, *, seconds: float) -> None:
        """Show a verdict beside the camera view; it clears itself, and the next scan simply
        replaces it."""
        self.verdict.show_view(view)
        self.verdict.setVisible(True)
        self._verdict_timer.start(int(seconds * 1000))

    def clear_verdict(self) -> None:
        self._verdict_timer.stop()
        self.verdict.setVisible(False)

    @property
    def showing_verdict(self) -> bool:
        return not self.verdict.isHidden()

    @property
    def verdict_family(self) -> Family | None:
        return self.verdict.view.family if self.showing_verdict and self.verdict.view else None

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = event.size().height()
        # The hint is read from a metre away: big, but one or two lines on a 800x480 screen.
        font = self.instruction.font()
        font.setPixelSize(max(19, min(30, height // 26)))
        font.setBold(True)
        self.instruction.setFont(font)
        side = max(30, min(52, height // 16))
        self.arrow.setFixedSize(side, side)
        self.card_hint.setFixedSize(int(side * 1.6), side)
        self.card_hint_caption.setMaximumWidth(max(90, event.size().width() // 8))
        # The status line in one line on a 800 px screen: its words a little smaller there.
        small = event.size().width() < 1000
        for label in (self.today, self.camera_state, self.sync_state, self.occupancy):
            status_font = label.font()
            status_font.setPixelSize(16 if small else 19)
            label.setFont(status_font)
        if small != self._narrow:
            self._narrow = small
            self._show_counters()
        super().resizeEvent(event)
