"""A revoked kiosk (issue #6): it stops syncing, says so on the screen, keeps recording, and
delivers what it kept once it is enrolled again. Real Qt window, real reference server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.datadir import DataDir
from kiosk.store import Store
from kiosk.sync.client import AuthError
from kiosk.sync.service import enroll
from tests.authority import ROOT_TEXT, set_up_authority_at
from tests.central.test_live import run_cli, start_server
from tests.ui.conftest import WAIT_MS

CODE = (
    "079199012345|TRAN THI BICH NGOC|1999-08-15|0|163000000000012345|<2<DN4010123456789<0900000000"
)


def _enroll(data_dir: Path, db: Path, url: str, current: Settings, *extra: str) -> Settings:
    made = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành", *extra)
    assert made.returncode == 0, made.stderr
    with Store.open(DataDir(data_dir).db) as store:
        device_id = store.device_id
    settings, _ = enroll(
        data_dir=data_dir, settings=current, url=url, code=made.stdout.strip(),
        device_id=device_id,
    )  # fmt: skip
    return settings


def test_a_revoked_kiosk_says_so_keeps_recording_and_delivers_after_re_enrollment(
    kiosk_factory: Any, qtbot: Any, tmp_path: Path
) -> None:
    db = tmp_path / "central.db"
    data_dir = tmp_path / "data"
    set_up_authority_at(db)
    with start_server(db) as server:
        pinned = Settings(language="en", authority_signing_key=ROOT_TEXT)
        enrolled = _enroll(data_dir, db, server.url, pinned)
        kiosk = kiosk_factory(
            [CODE],
            server_url=enrolled.server_url,
            checkpoint_id=enrolled.checkpoint_id,
            checkpoint_name=enrolled.checkpoint_name,
            authority_signing_key=ROOT_TEXT,
        )
        parts = kiosk.parts
        device_id = parts.runner.run_store(lambda s: s.device_id)
        assert run_cli(db, "revoke", device_id).returncode == 0

        kiosk.play()
        (done,) = kiosk.wait_verdicts(1)
        assert done.outcome.event_id  # recorded although the server refuses the kiosk

        parts.scheduler.start(delay_s=0)
        parts.sync_started = True
        label = parts.window.scan_page.sync_state
        qtbot.waitUntil(lambda: label.text().startswith("Needs re-enrollment"), timeout=WAIT_MS)
        assert "1 waiting to send" in label.text()
        # Stopped: the next attempt is the long back-off, not the usual interval.
        assert parts.scheduler.next_delay(AuthError("revoked")) == parts.scheduler.backoff_cap_s
        status = parts.service.status()
        assert status.needs_reenrollment and status.waiting == 1  # kept, not deleted

        # The site manager enrolls the kiosk again with a code issued for this device (a
        # revoked device's own token proves nothing any more).
        again = _enroll(data_dir, db, server.url, parts.holder.current(), "--replace", device_id)
        parts.holder.apply(again)
        parts.scheduler.trigger_now()
        qtbot.waitUntil(lambda: label.text().startswith("Online"), timeout=WAIT_MS * 2)
        events = run_cli(db, "events", "--json")
        assert done.outcome.event_id in events.stdout
