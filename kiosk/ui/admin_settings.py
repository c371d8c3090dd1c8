"""Admin: the kiosk's settings as a form. Save validates with the core (`settings_with`) and
applies through the SettingsHolder: saved atomically, announced, applied without a restart.

Only what the guard changed is applied, on top of the settings current at the time of saving:
a change the server pushed while the form was open is not overwritten by the form's old value.
A refused value is shown in red under the form with its field outlined; nothing changes then.

Thread contract: GUI thread (the settings file is small; SettingsHolder writes it).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import (
    CAMERA_POSITIONS,
    GATE_MODES,
    PERSON_KINDS,
    ConfigError,
    Settings,
    settings_with,
)
from kiosk.ui.admin_common import (
    Choice,
    Message,
    Stepper,
    big_button,
    scrolling,
    set_invalid,
    title_label,
)
from kiosk.ui.labels import PlainLabel
from kiosk.ui.state import SettingsHolder
from kiosk.ui.texts import GREEN, gate_mode_name, kind_name, tr

log = logging.getLogger(__name__)

SOURCE_CHOICES = ("auto", "demo", "camera:0", "camera:1", "picamera")
# Languages are named in their own language: whoever needs the switch can read it.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


class SettingsPanel(QWidget):
    change_pin_requested = Signal()

    def __init__(self, holder: SettingsHolder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._holder = holder
        self._loaded: dict[str, Any] = {}

        self.title = title_label()
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(SOURCE_CHOICES)
        self.gate_mode = Choice(GATE_MODES)
        self.capacity = Stepper(0, 1_000_000, step=10)
        self.duplicate_window = Stepper(0, 3600, step=5)
        self.verdict_display = Stepper(1, 60)
        self.kinds: dict[str, QCheckBox] = {kind: QCheckBox() for kind in PERSON_KINDS}
        kinds_box = QWidget()
        kinds_layout = QVBoxLayout(kinds_box)
        kinds_layout.setContentsMargins(0, 0, 0, 0)
        kinds_layout.setSpacing(0)
        for box in self.kinds.values():
            kinds_layout.addWidget(box)
        self.language = Choice(tuple(LANGUAGE_NAMES))
        self.language.set_labels(LANGUAGE_NAMES)
        self.server_url = QLineEdit()
        self.auto_checkout = QLineEdit()
        self.auto_checkout.setMaxLength(5)
        self.auto_checkout.setFixedWidth(160)
        self.retention = Stepper(1, 3650)
        self.camera_position = Choice(CAMERA_POSITIONS)
        self.operator_name = QLineEdit()
        self.operator_name.setMaxLength(200)
        self.operator_contact = QLineEdit()
        self.operator_contact.setMaxLength(200)
        self.hints = {
            "capacity": PlainLabel(),
            "auto_checkout_time": PlainLabel(),
            "duplicate_window_s": PlainLabel(),
        }
        for hint in self.hints.values():
            hint.setStyleSheet("color: #546e7a;")
            hint.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setVerticalSpacing(14)
        self.form.setHorizontalSpacing(24)
        # Labels go above their field when the screen is too narrow for both side by side.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._labels: dict[str, QLabel] = {}
        rows: list[tuple[str, QWidget]] = [
            ("source", self.source),
            ("camera_position", self.camera_position),
            ("gate_mode", self.gate_mode),
            ("capacity", _with_hint(self.capacity, self.hints["capacity"])),
            (
                "duplicate_window_s",
                _with_hint(self.duplicate_window, self.hints["duplicate_window_s"]),
            ),
            ("verdict_display_s", self.verdict_display),
            ("accepted_kinds", kinds_box),
            ("language", self.language),
            ("server_url", self.server_url),
            (
                "auto_checkout_time",
                _with_hint(self.auto_checkout, self.hints["auto_checkout_time"]),
            ),
            ("retention_days", self.retention),
            ("operator_name", self.operator_name),
            ("operator_contact", self.operator_contact),
        ]
        for key, widget in rows:
            label = PlainLabel()
            label.setWordWrap(True)
            self._labels[key] = label
            self.form.addRow(label, widget)
        # The widget each key's error is shown on.
        self._fields: dict[str, QWidget] = {
            "source": self.source,
            "gate_mode": self.gate_mode,
            "capacity": self.capacity.spin,
            "duplicate_window_s": self.duplicate_window.spin,
            "verdict_display_s": self.verdict_display.spin,
            "accepted_kinds": kinds_box,
            "language": self.language,
            "server_url": self.server_url,
            "auto_checkout_time": self.auto_checkout,
            "retention_days": self.retention.spin,
            "camera_position": self.camera_position,
            "operator_name": self.operator_name,
            "operator_contact": self.operator_contact,
        }

        form_box = QWidget()
        form_box.setLayout(self.form)
        self.save_button = big_button(colour=GREEN)
        self.save_button.setMinimumWidth(160)
        self.save_button.clicked.connect(self.save)
        self.reload_button = big_button()
        self.reload_button.clicked.connect(self.load)
        self.pin_button = big_button()
        self.pin_button.clicked.connect(self.change_pin_requested.emit)
        self.message = Message()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pin_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        self.scroll_area = scrolling(form_box)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.title.setText(tr("Settings"))
        labels = {
            "source": tr("Camera / source"),
            "gate_mode": tr("Gate mode"),
            "capacity": tr("Capacity"),
            "duplicate_window_s": tr("Duplicate window (seconds)"),
            "verdict_display_s": tr("Verdict shown for (seconds)"),
            "accepted_kinds": tr("Accepted codes"),
            "language": tr("Language"),
            "server_url": tr("Server address"),
            "auto_checkout_time": tr("Automatic checkout time"),
            "retention_days": tr("Keep records for (days)"),
            "camera_position": tr("Where the camera is"),
            "operator_name": tr("Who runs this checkpoint"),
            "operator_contact": tr("How to reach them"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.gate_mode.set_labels({mode: gate_mode_name(mode) for mode in GATE_MODES})
        self.camera_position.set_labels(
            {
                "above": tr("Above the screen"),
                "below": tr("Below"),
                "left": tr("Left"),
                "right": tr("Right"),
            }
        )
        self.operator_name.setPlaceholderText(tr("e.g. the market's management board"))
        self.operator_contact.setPlaceholderText(tr("a phone number or an address"))
        for kind, box in self.kinds.items():
            box.setText(kind_name(kind))
        self.hints["capacity"].setText(tr("0 = no limit"))
        self.hints["duplicate_window_s"].setText(
            tr("The same person again within this time is not recorded twice")
        )
        self.hints["auto_checkout_time"].setText(
            tr("HH:MM, every night everyone still inside is checked out. Empty = off")
        )
        self.auto_checkout.setPlaceholderText(tr("off"))
        self.server_url.setPlaceholderText(tr("Not enrolled"))
        self.save_button.setText(tr("Save"))
        self.reload_button.setText(tr("Undo changes"))
        self.pin_button.setText(tr("Change PIN"))

    # -- form <-> settings ----------------------------------------------------------------------

    def load(self) -> None:
        """Show the current settings (forgetting unsaved edits)."""
        settings = self._holder.current()
        self.source.setCurrentText(settings.source)
        self.gate_mode.setValue(settings.gate_mode)
        self.capacity.setValue(settings.capacity)
        self.duplicate_window.setValue(settings.duplicate_window_s)
        self.verdict_display.setValue(settings.verdict_display_s)
        for kind, box in self.kinds.items():
            box.setChecked(kind in settings.accepted_kinds)
        self.language.setValue(settings.language)
        self.server_url.setText(settings.server_url)
        self.auto_checkout.setText(settings.auto_checkout_time)
        self.retention.setValue(settings.retention_days)
        self.camera_position.setValue(settings.camera_position)
        self.operator_name.setText(settings.operator_name)
        self.operator_contact.setText(settings.operator_contact)
        self._loaded = self.values()
        self._mark(None)
        self.message.info("")

    def values(self) -> dict[str, Any]:
        """The form as setting values (not yet validated)."""
        return {
            "source": self.source.currentText().strip(),
            "gate_mode": self.gate_mode.value(),
            "capacity": self.capacity.value(),
            "duplicate_window_s": self.duplicate_window.value(),
            "verdict_display_s": self.verdict_display.value(),
            "accepted_kinds": tuple(k for k, box in self.kinds.items() if box.isChecked()),
            "language": self.language.value(),
            "server_url": self.server_url.text().strip().rstrip("/"),
            "auto_checkout_time": _checkout_time(self.auto_checkout.text()),
            "retention_days": self.retention.value(),
            "camera_position": self.camera_position.value(),
            "operator_name": " ".join(self.operator_name.text().split()),
            "operator_contact": " ".join(self.operator_contact.text().split()),
        }

    def save(self) -> bool:
        """Validate and apply what was changed. True when saved (or nothing to save)."""
        changes = {k: v for k, v in self.values().items() if v != self._loaded.get(k)}
        self._mark(None)
        if not changes:
            self.message.ok(tr("Nothing to save: no change"))
            return True
        current = self._holder.current()
        try:
            new = _with_retention(current, changes)
            self._holder.apply(new)
        except ConfigError as exc:
            # The core names the key ("capacity: ... is not ..."): say it with the field's
            # label instead, outline the field and scroll it into view.
            key, _, problem = str(exc).partition(": ")
            self._mark(key)
            label = self._labels.get("retention_days" if key == "retention_hard_days" else key)
            reason = f"{label.text()}: {problem}" if label is not None and problem else str(exc)
            self.message.error(tr("Not saved: {reason}").format(reason=reason))
            field = self._fields.get(key)
            if field is not None:
                self.scroll_area.ensureWidgetVisible(field)
            log.info("settings refused: %s", key)
            return False
        except OSError as exc:
            self.message.error(tr("Not saved: {reason}").format(reason=exc.strerror or exc))
            log.error("settings file not written: %s", exc)
            return False
        log.info("settings changed from the admin screen: %s", ", ".join(sorted(changes)))
        self.load()
        self.message.ok(tr("Saved and applied"))
        return True

    def _mark(self, key: str | None) -> None:
        for name, widget in self._fields.items():
            set_invalid(widget, name == key)
        if key == "retention_hard_days":  # follows retention_days: show it there
            set_invalid(self._fields["retention_days"], True)


def _with_retention(current: Settings, changes: dict[str, Any]) -> Settings:
    """`settings_with` the changes. Raising the soft retention above the hard limit also raises
    the hard limit (the form shows only one retention): the hard limit exists to bound how long
    undelivered records are kept, never to be shorter than the delivered ones'."""
    days = changes.get("retention_days")
    if isinstance(days, int) and days > current.retention_hard_days:
        changes = {**changes, "retention_hard_days": days}
    return settings_with(current, **changes)


def _checkout_time(text: str) -> str:
    """The field as the setting: empty (or the word "off", typed as the placeholder says) is
    off; anything else goes to the core's check as typed."""
    text = text.strip()
    return "" if text.lower() in ("off", tr("off").lower()) else text


def _with_hint(field: QWidget, hint: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(hint)
    return box
