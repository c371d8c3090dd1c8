"""Admin: this device. What it is (checkpoint, device id, server, records waiting to be sent),
its enrollment with the central server (server address + one-time enrollment code), the health
authority's key it trusts and the age of the signed documents it holds, and the privacy notice
poster to print (kiosk.ui.poster), saved as a PDF to a USB stick or the kiosk's
exports folder.

Thread contract: GUI thread. The counts come from the gate thread (`runner.call`). Enrollment
is network I/O: it runs on a thread of its own (Tasks.run_in_thread), never on the gate thread
(a slow server would hold up scans) nor the GUI thread; the settings it returns are applied
back on the GUI thread with SettingsHolder, and the gate's person keyer is reloaded (the
deployment's secret replaced the kiosk's own) before `on_enrolled` asks for a sync round.

Pinning the root (issue #13): a kiosk without the health authority's key pinned first asks the
server for its key (a thread of its own), shows its fingerprint, and enrolls only after the
site manager pressed "Same fingerprint: enroll" (having compared it with the authority's
sheet). A kiosk with a pinned key enrolls at once; the network never replaces that key.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from checkpoint_common.enrollqr import Invite, parse_invite
from checkpoint_common.signing import SignedDocumentError, VerifyKey
from kiosk.config import KEYS, ConfigError, Settings, settings_with
from kiosk.credentials import PersonKeyer
from kiosk.datadir import DataDir
from kiosk.export import MEDIA_PATTERNS, safe_file_part
from kiosk.gate import Gate
from kiosk.sync.client import (
    EnrollmentConflict,
    EnrollmentRefused,
    InsecureTransport,
    SyncError,
    TransientError,
    transport_problem,
)
from kiosk.sync.documents import TYPE_NAMES, DocumentShelf
from kiosk.sync.service import authority_of, enroll
from kiosk.ui.admin_common import (
    FolderPicker,
    Message,
    big_button,
    error_text,
    export_target,
    scrolling,
    set_invalid,
    title_label,
)
from kiosk.ui.labels import PlainLabel
from kiosk.ui.poster import write_poster_pdf
from kiosk.ui.runner import GateRunner
from kiosk.ui.state import SettingsHolder
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import BLUE, GREEN, tr

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    device_id: str
    inside: int
    waiting: int
    quarantined: int
    sealing_key: str | None  # the authority key's id; None: personal data is not kept
    withheld: int  # records kept without their personal data (no authority key then)


class DevicePanel(QWidget):
    def __init__(
        self,
        *,
        runner: GateRunner,
        settings: SettingsHolder,
        background: Tasks,
        data_dir: Path,
        on_enrolled: Callable[[], None],
        media_patterns: Sequence[str] = MEDIA_PATTERNS,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._holder = settings
        self._background = background
        self._data_dir = data_dir
        self._on_enrolled = on_enrolled
        self.info: DeviceInfo | None = None
        self.enrolling = False

        self.title = title_label()
        self.facts = QFormLayout()
        self.facts.setVerticalSpacing(10)
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        facts = ("checkpoint", "device", "server", "waiting", "personal", "authority", "documents")
        self.values = {key: PlainLabel() for key in facts}
        self.names = {key: PlainLabel() for key in self.values}
        for key, value in self.values.items():
            value.setWordWrap(True)
            self.facts.addRow(self.names[key], value)
        self.enroll_title = title_label()
        self.url = QLineEdit()
        self.code = QLineEdit()
        self.url_label = PlainLabel()
        self.code_label = PlainLabel()
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.url_label, self.url)
        form.addRow(self.code_label, self.code)
        self.enroll_button = big_button(colour=GREEN)
        self.enroll_button.setMinimumWidth(260)
        self.enroll_button.clicked.connect(self.start_enrollment)
        self.code.returnPressed.connect(self._enter_pressed)
        self.url.returnPressed.connect(self._enter_pressed)
        # A hand scanner types the console's enrollment QR into the field that has the focus.
        self.url.textChanged.connect(self._typed_invite)
        self.code.textChanged.connect(self._typed_invite)
        self._invite_just_read = False
        self.message = Message()
        buttons = QHBoxLayout()
        buttons.addWidget(self.enroll_button)
        buttons.addStretch(1)
        # The server's root key, shown for comparison before it is pinned.
        self.offered: VerifyKey | None = None
        self.fingerprint = PlainLabel()
        self.fingerprint.setWordWrap(True)
        self.fingerprint.hide()
        self.confirm_button = big_button(colour=GREEN)
        self.confirm_button.clicked.connect(self.confirm_fingerprint)
        self.cancel_button = big_button(colour=BLUE)
        self.cancel_button.clicked.connect(self.reject_fingerprint)
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirm_button)
        confirm.addWidget(self.cancel_button)
        confirm.addStretch(1)
        self.confirm_button.hide()
        self.cancel_button.hide()
        # The privacy notice: an A4 poster to print (Vietnamese and English pages).
        self._today = today
        self._exports_dir = DataDir(data_dir).exports
        self.poster_title = title_label()
        self.poster_text = PlainLabel()
        self.poster_text.setWordWrap(True)
        self.poster_folder = FolderPicker(data_dir, media_patterns)
        self.poster_button = big_button(colour=BLUE)
        self.poster_button.clicked.connect(self.save_poster)
        self.poster_folder.add_action(self.poster_button)
        self.poster_message = Message()

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(self.facts)
        column.addSpacing(18)
        column.addWidget(self.enroll_title)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.fingerprint)
        column.addLayout(confirm)
        column.addWidget(self.message)
        column.addSpacing(18)
        column.addWidget(self.poster_title)
        column.addWidget(self.poster_text)
        column.addWidget(self.poster_folder)
        column.addWidget(self.poster_message)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scrolling(content)
        layout.addWidget(self.scroll_area)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("This device"))
        self.names["checkpoint"].setText(tr("Checkpoint"))
        self.names["device"].setText(tr("Device ID"))
        self.names["server"].setText(tr("Server"))
        self.names["waiting"].setText(tr("Waiting to send"))
        self.names["personal"].setText(tr("Personal data"))
        self.names["authority"].setText(tr("Health authority key"))
        self.names["documents"].setText(tr("Signed documents"))
        self.confirm_button.setText(tr("Same fingerprint: enroll"))
        self.cancel_button.setText(tr("Different: cancel"))
        self.enroll_title.setText(tr("Enroll this device"))
        self.url_label.setText(tr("Server address"))
        self.code_label.setText(tr("Enrollment code"))
        self.url.setPlaceholderText("https://")
        self.enroll_button.setText(tr("Enroll this device"))
        self.poster_title.setText(tr("Privacy notice"))
        self.poster_text.setText(
            tr(
                "An A4 poster (a Vietnamese and an English page) that says what the kiosk keeps, "
                "for how long and who can open it (Decree 13/2023/NĐ-CP). Print it and put it up "
                "beside the kiosk. Who runs the checkpoint is set in Settings."
            )
        )
        self.poster_folder.retranslate()
        self.poster_button.setText(tr("Save the poster (PDF)"))
        self._show_facts()

    # -- facts ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.url.text():
            self.url.setText(self._holder.current().server_url)

        def read(gate: Gate) -> DeviceInfo:
            store = gate.store
            key = store.authority_key
            return DeviceInfo(
                store.device_id,
                store.occupancy(),
                store.outbox_count(),
                store.quarantined_count(),
                key.key_id if key is not None else None,
                store.withheld_count(),
            )

        self._background.watch(self._runner.call(read), self._arrived, self._failed)

    def _arrived(self, info: DeviceInfo) -> None:
        self.info = info
        self._show_facts()

    def _failed(self, error: BaseException) -> None:
        log.error("device facts not readable: %s", error)
        self.message.error(error_text(error))

    def _show_facts(self) -> None:
        settings = self._holder.current()
        self.values["checkpoint"].setText(f"{settings.checkpoint_name} ({settings.checkpoint_id})")
        enrolled = bool(settings.server_url and DataDir(self._data_dir).read_token())
        self.values["server"].setText(
            settings.server_url if enrolled else tr("Not enrolled: the kiosk works offline")
        )
        info = self.info
        self.values["device"].setText(info.device_id if info else "…")
        personal = self.values["personal"]
        if info is None:
            self.values["waiting"].setText("…")
            personal.setText("…")
        else:
            personal.setStyleSheet("" if info.sealing_key else "color: #b71c1c; font-weight: bold;")
            if info.sealing_key:
                text = tr("Sealed to the health authority's key {key}").format(key=info.sealing_key)
            else:
                text = tr(
                    "NOT KEPT: this kiosk has no health authority key. Scans are recorded with "
                    "their time and masked name only: no ID number, full name or phone for the "
                    "health officer. Enroll this device and let it sync, or reinstall with "
                    "--authority-key."
                )
            if info.withheld:
                text += " " + tr("{n} records without personal data.").format(n=info.withheld)
            personal.setText(text)
            waiting = tr("{n} records").format(n=info.waiting)
            if info.quarantined:
                waiting += " · " + tr("{n} refused by the server").format(n=info.quarantined)
            self.values["waiting"].setText(waiting)
        self.values["authority"].setText(authority_text(settings))
        self.values["documents"].setText(documents_text(self._data_dir))

    # -- the privacy notice ---------------------------------------------------------------------

    def save_poster(self) -> None:
        settings = self._holder.current()
        name = f"privacy-notice-{safe_file_part(settings.checkpoint_id)}.pdf"
        try:
            path = export_target(self.poster_folder.folder(), self._exports_dir, name)
        except OSError as exc:
            self.poster_message.error(tr("Not saved: {reason}").format(reason=error_text(exc)))
            return
        family = QApplication.font().family()
        today = self._today()
        self.poster_button.setEnabled(False)
        self.poster_message.info(tr("Saving…"))
        self._background.run(
            lambda: write_poster_pdf(path, settings, family=family, today=today),
            self._poster_saved,
            self._poster_failed,
        )

    def _poster_saved(self, path: Path) -> None:
        self.poster_button.setEnabled(True)
        log.info("privacy notice poster saved")
        self.poster_message.ok(tr("Poster saved to {path}: print it on A4").format(path=path))
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.poster_message))

    def _poster_failed(self, error: BaseException) -> None:
        self.poster_button.setEnabled(True)
        log.error("privacy notice poster not saved: %s", error_text(error))
        self.poster_message.error(tr("Not saved: {reason}").format(reason=error_text(error)))
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.poster_message))

    # -- enrollment -----------------------------------------------------------------------------

    def take_invite(self, invite: Invite) -> None:
        """Fill the form from the console's enrollment QR (camera or hand scanner). Enrolling
        stays the site manager's tap: they see the address first."""
        if self.enrolling:
            return
        for field, text in ((self.url, invite.server_url), (self.code, invite.code)):
            field.blockSignals(True)  # no second look at our own text (_typed_invite)
            field.setText(text)
            field.blockSignals(False)
            set_invalid(field, False)
        self._invite_just_read = True
        log.info("enrollment QR read")
        self.message.info(
            tr("Read from the QR code. Check the server address, then tap “{button}”.").format(
                button=tr("Enroll this device")
            )
        )
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.enroll_button))

    def _typed_invite(self, text: str) -> None:
        invite = parse_invite(text)
        if invite is not None:
            self.take_invite(invite)

    def _enter_pressed(self) -> None:
        # The Enter a hand scanner sends after the QR's text must not enroll unseen.
        if self._invite_just_read:
            self._invite_just_read = False
            return
        self.start_enrollment()

    def start_enrollment(self) -> None:
        self._invite_just_read = False
        if self.enrolling:
            return
        url = self.url.text().strip().rstrip("/")
        code = self.code.text().strip()
        set_invalid(self.url, False)
        set_invalid(self.code, False)
        self._hide_fingerprint()
        try:
            settings_with(self._holder.current(), server_url=url)
        except ConfigError as exc:
            set_invalid(self.url, True)
            self.message.error(tr("Not a server address: {reason}").format(reason=exc))
            return
        if not url or not code:
            set_invalid(self.url if not url else self.code, True)
            self.message.error(tr("Enter the server address and the enrollment code"))
            return
        if transport_problem(url):
            set_invalid(self.url, True)
            self.message.error(tr("Use an https:// address (plain http only to this machine)"))
            return
        self.enrolling = True
        self.enroll_button.setEnabled(False)
        before = self._holder.current()
        if before.authority_signing_key:
            self._enroll(url, code, None)
            return
        # No root pinned yet: the server's, for the site manager to compare first.
        self.message.info(tr("Asking the server for the health authority's key…"))
        self._background.run_in_thread(
            lambda: authority_of(url, verify_tls=before.verify_tls),
            self._show_fingerprint,
            self._enroll_failed,
            name="authority",
        )

    def _show_fingerprint(self, key: VerifyKey | None) -> None:
        if key is None:
            self._done()
            self.message.error(
                tr("This server offers no health authority key: it cannot be trusted yet")
            )
            return
        self.offered = key
        self.fingerprint.setText(
            tr(
                "The server's health authority key: {fingerprint}. Compare it with the "
                "fingerprint on the health authority's sheet."
            ).format(fingerprint=key.fingerprint)
        )
        self.fingerprint.show()
        self.confirm_button.show()
        self.cancel_button.show()
        self.message.info(tr("Compare the fingerprint, then confirm"))

    def confirm_fingerprint(self) -> None:
        key = self.offered
        if key is None:
            return
        log.info("authority key %s confirmed by the site manager", key.fingerprint)
        self._hide_fingerprint()
        self._enroll(self.url.text().strip().rstrip("/"), self.code.text().strip(), key)

    def reject_fingerprint(self) -> None:
        log.warning("authority key %s refused by the site manager", self.offered)
        self._hide_fingerprint()
        self._done()
        self.message.error(tr("Not enrolled: the fingerprint was not the authority's"))

    def _hide_fingerprint(self) -> None:
        self.offered = None
        self.fingerprint.hide()
        self.confirm_button.hide()
        self.cancel_button.hide()

    def _enroll(self, url: str, code: str, authority: VerifyKey | None) -> None:
        self.message.info(tr("Enrolling…"))
        before = self._holder.current()
        data_dir = self._data_dir

        def with_device_id(device_id: str) -> None:
            # The network part: its own thread; nothing here touches widgets or the store.
            self._background.run_in_thread(
                lambda: enroll(
                    data_dir=data_dir,
                    settings=before,
                    url=url,
                    code=code,
                    device_id=device_id,
                    authority=authority,
                ),
                lambda answer: self._enrolled(before, answer),
                self._enroll_failed,
                name="enroll",
            )

        self._background.watch(
            self._runner.call(lambda gate: gate.store.device_id),
            with_device_id,
            self._enroll_failed,
        )

    def _enrolled(self, before: Settings, answer: tuple[Settings, str]) -> None:
        received, name = answer
        # Only what enrollment changed goes on top of the settings as they are now: a change
        # made meanwhile (by the server's sync, on another page) is kept.
        changed: dict[str, Any] = {
            k: getattr(received, k) for k in KEYS if getattr(received, k) != getattr(before, k)
        }
        try:
            self._holder.apply(settings_with(self._holder.current(), **changed))
        except (ConfigError, OSError) as exc:
            self._done()
            log.error("enrollment settings not saved: %s", exc)
            self.message.error(
                tr("Enrolled, but the settings were not saved: {reason}").format(
                    reason=error_text(exc)
                )
            )
            return
        data_dir = self._data_dir

        def reload_keyer(gate: Gate) -> None:
            # Enrollment wrote the deployment's person-key secret: scans from now on must be
            # keyed with it, like every other kiosk of the deployment.
            gate.keyer = PersonKeyer(DataDir(data_dir).person_secret())

        self._background.watch(
            self._runner.call(reload_keyer),
            lambda _none: self._finish_enrollment(name),
            self._enroll_failed,
        )

    def _finish_enrollment(self, name: str) -> None:
        self._done()
        self.code.clear()
        log.info("enrolled from the admin screen")
        self.message.ok(tr("Enrolled as checkpoint {name}").format(name=name))
        self._show_facts()
        self.refresh()
        self._on_enrolled()

    def _enroll_failed(self, error: BaseException) -> None:
        self._done()
        if isinstance(error, EnrollmentRefused):
            set_invalid(self.code, True)
            text = tr("The enrollment code was refused (wrong, used or expired)")
        elif isinstance(error, EnrollmentConflict):
            text = tr(
                "This device is enrolled already: ask the site manager for a code issued for "
                "this device"
            )
        elif isinstance(error, InsecureTransport):
            text = tr("Use an https:// address (plain http only to this machine)")
        elif isinstance(error, SignedDocumentError):
            text = tr("The server's health authority key is not usable")
        elif isinstance(error, TransientError):
            text = tr("The server could not be reached: {reason}").format(reason=error)
        elif isinstance(error, SyncError | OSError):
            text = tr("Enrollment failed: {reason}").format(reason=error_text(error))
        else:
            log.error("enrollment failed unexpectedly", exc_info=error)
            text = tr("Enrollment failed: {reason}").format(reason=type(error).__name__)
        log.warning("enrollment failed: %s", type(error).__name__)
        self.message.error(text)

    def _done(self) -> None:
        self.enrolling = False
        self.enroll_button.setEnabled(True)


def authority_text(settings: Settings) -> str:
    """The pinned root's fingerprint, or that none is pinned (nothing downloaded is believed)."""
    if not settings.authority_signing_key:
        return tr("None pinned: nothing downloaded is believed")
    try:
        return VerifyKey.from_text(settings.authority_signing_key).fingerprint
    except SignedDocumentError:
        return tr("None pinned: nothing downloaded is believed")


def documents_text(data_dir: Path, now: dt.datetime | None = None) -> str:
    """Each signed document held, its version and its age by its signed issue time."""
    now = now or dt.datetime.now(dt.UTC)
    kept = DocumentShelf(data_dir).summary()
    if not kept:
        return tr("None yet")
    parts = []
    for doc in kept:
        hours = max(0, int(doc.age(now).total_seconds() // 3600))
        age = (
            tr("{n} h old").format(n=hours)
            if hours < 48
            else tr("{n} days old").format(n=hours // 24)
        )
        name = TYPE_NAMES.get(doc.doc_type, doc.doc_type)
        parts.append(f"{name} v{doc.version} ({age})")
    return " · ".join(parts)
