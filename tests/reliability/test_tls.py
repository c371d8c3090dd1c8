"""TLS and device authentication: a kiosk talks only to a server whose certificate it trusts,
and a refusal (bad certificate, bad token) never costs a record. Real servers on 127.0.0.1
with their own self-signed certificates (tests/central/test_live.self_signed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.config import settings_with
from kiosk.datadir import TOKEN_FILE_NAME, DataDir
from kiosk.sync.client import AuthError, TransientError
from tests.central.test_live import self_signed, start_server
from tests.test_sync import Kiosk, central_events, drain


def _certificate(folder: Path) -> tuple[str, str]:
    folder.mkdir()
    cert, key = self_signed(folder)
    return str(cert), str(key)


def test_only_a_trusted_server_gets_the_records_and_a_refusal_loses_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk = Kiosk(tmp_path, FakeClock(dt.datetime.now(dt.UTC)))
    db, impostor_db = tmp_path / "central.db", tmp_path / "impostor.db"
    cert, key = _certificate(tmp_path / "real")
    fake_cert, fake_key = _certificate(tmp_path / "fake")
    try:
        with start_server(db, "--tls-cert", cert, "--tls-key", key) as server:
            # A certificate the kiosk does not trust: enrollment refused, no token kept.
            with pytest.raises(TransientError, match="TLS verification failed"):
                kiosk.enroll(server, db)
            assert DataDir(kiosk.data).read_token() is None
            # The site's CA bundle trusts it (how a private CA is installed: REQUESTS_CA_BUNDLE
            # or the system store): enrolled, and the records go through.
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
            kiosk.enroll(server, db)
            delivered = kiosk.scan_many(5)
            drain(kiosk.service())
            assert {e["event_id"] for e in central_events(db)} == set(delivered)

        waiting = kiosk.scan_many(3, start=100)
        # An impostor on the network with another certificate: it gets nothing.
        with start_server(impostor_db, "--tls-cert", fake_cert, "--tls-key", fake_key) as fake:
            kiosk.via = fake.url
            with pytest.raises(TransientError, match="TLS verification failed"):
                kiosk.service().run_once()
        assert central_events(impostor_db) == []
        status = kiosk.service().status()
        assert status.waiting == 3 and status.last_error_kind == "transient"
        assert set(waiting) <= kiosk.local_ids()
        assert not set(waiting) & kiosk.delivered_ids()

        # A bad device token (the token file damaged): 401, nothing marked, nothing deleted.
        (kiosk.data / TOKEN_FILE_NAME).write_text("not-the-token")
        kiosk.via = None
        with start_server(db, "--tls-cert", cert, "--tls-key", key) as server:
            # (the server came back on another port)
            kiosk.gate.update_settings(settings_with(kiosk.gate.settings, server_url=server.url))
            with pytest.raises(AuthError):
                kiosk.service().run_once()
            assert kiosk.service().status().needs_reenrollment
            assert kiosk.gate.store.outbox_count() == 3
            assert len(central_events(db)) == 5
            # Its token is damaged, so it cannot prove it is that device: a code issued for it.
            # Enrolled again: the kept records are delivered, exactly once.
            kiosk.enroll(server, db, replace=True)
            drain(kiosk.service())
        assert {e["event_id"] for e in central_events(db)} == set(delivered) | set(waiting)
    finally:
        kiosk.close()
