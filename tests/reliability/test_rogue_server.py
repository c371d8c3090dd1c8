"""Attacks on the chain of trust, the way issue #13 made them: a real kiosk (the `kiosk` command
in its own processes, its own SQLite file and settings file), pinned to the health authority's
root at enrollment, first synced with the genuine server (`kiosk-central serve` on 127.0.0.1),
then pointed at a rogue server on 127.0.0.1 that answers its sync with forged documents.

The rogue server is a real HTTP server (http.server in a thread) answering every request with
what an attacker chose: its own root, its own "delegated" online key, the genuine online key
stolen from the serving host, a genuine old status list replayed. Each attack is one case; in
each the kiosk refuses with a message naming the document, the reason code and the version it
keeps, logs one line without personal data, keeps its settings, status list, trust list and
sealing key, and loses no record: back on the genuine server, everything recorded during the
attack is delivered. Also here: an enrollment takeover at the genuine server (409, the victim's
token keeps working), enrollment at a rogue server whose root fingerprint is not the
authority's, and plain http to another machine.

docs/reliability.md, "Attacks and how they are refused", lists them with the figures.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from central.documents import Publisher
from central.storage import Storage
from checkpoint_common.protocol import StatusEntry
from checkpoint_common.seal import PrivateKey
from checkpoint_common.signing import (
    DocType,
    Document,
    Envelope,
    SigningKey,
    delegate,
    rotate,
    sealing_key_document,
    sign,
    status_list_document,
)
from tests.authority import (
    DELEGATION_END,
    DELEGATION_START,
    ROOT,
    ROOT_FINGERPRINT,
    publish_trust_list,
    set_up_authority,
)
from tests.central.test_live import run_cli, start_server

CCCD = "001099012345|NGUYEN VAN AN|1990-12-01|Nam|Số 1 Hàng Bạc, Hà Nội|01012021"
RED_TARGET = "079199012399|TRAN THI BICH|1992-03-04|Nữ|Số 9 Lê Lợi, Huế|02022022"
PERSONAL_WORDS = ("NGUYEN VAN AN", "TRAN THI BICH", "001099012345", "079199012399", "Hàng Bạc")
NOW = dt.datetime.now(dt.UTC)


# -- the kiosk, as processes ------------------------------------------------------------------


@dataclass
class KioskProcess:
    """A kiosk driven only through the `kiosk` command, as an operator or a script would."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def __call__(self, *args: str, code: int | None = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "-v", "--data-dir", str(self.data),
             "--config", str(self.root / "kiosk.toml"), *args],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "PYTHONUTF8": "1"},
        )  # fmt: skip
        if code is not None:
            assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        return done

    def settings(self) -> dict[str, Any]:
        return dict(json.loads(self("config", "show").stdout))

    def status(self) -> dict[str, Any]:
        return dict(json.loads(self("status").stdout))

    def scan(self, text: str) -> dict[str, Any]:
        return dict(json.loads(self("scan", text).stdout))

    def person_key(self, text: str) -> str:
        return str(json.loads(self("parse", text).stdout)["person_key"])

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self("log", "--json").stdout.splitlines()]


# -- the rogue server --------------------------------------------------------------------------


@dataclass
class Rogue:
    """Answers GET paths with what `routes` says (status, body); anything else 404; uploads
    503 (this attacker wants to change what the kiosk believes, not to swallow its records)."""

    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    url: str = ""

    def documents(self, doc_type: str, *envelopes: Envelope) -> None:
        body = {"documents": [e.to_json() for e in envelopes], "server_time": "2026-01-01T00:00Z"}
        self.routes[f"/api/v1/documents/{doc_type}"] = (200, json.dumps(body).encode())

    def document(self, path: str, envelope: Envelope | bytes) -> None:
        raw = envelope if isinstance(envelope, bytes) else envelope.to_bytes()
        self.routes[f"/api/v1/{path}"] = (200, raw)


@pytest.fixture
def rogue() -> Iterator[Rogue]:
    state = Rogue()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.seen.append(path)
            self._answer(*state.routes.get(path, (404, b'{"error": "not_found"}')))

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append(self.path)
            self._answer(503, b'{"error": "busy"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# -- the genuine deployment --------------------------------------------------------------------


@dataclass
class Deployment:
    db: Path
    url: str
    kiosk: KioskProcess
    checkpoint_id: str
    red_key: str  # the person key the attacker wants to mark red
    first_key: str  # the person the genuine list has red (since version 2)
    dcc: str  # an EU certificate signed by the attacker's own DSC
    online: SigningKey  # the genuine online key (a thief of the serving host has it)
    delegation: Envelope  # and its genuine delegation


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    db = tmp_path / "central.db"
    with Storage.open(db) as storage:
        publisher = set_up_authority(storage, now=NOW)
        publish_trust_list(storage, {"version": "genuine-1", "keys": []}, version=1, now=NOW)
        online = publisher.online_key()
        delegation = publisher.delegation(DocType.CONFIG, "*", NOW)
    kiosk = KioskProcess(tmp_path / "kiosk")
    with start_server(db) as server:
        code = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành").stdout.strip()
        kiosk("enroll", server.url, code, "--authority-fingerprint", ROOT_FINGERPRINT)
        checkpoint_id = kiosk.settings()["checkpoint_id"]
        # The genuine status list (two versions): someone else is red; the attacker's target
        # is not on it.
        first = kiosk.person_key(CCCD)
        red_key = kiosk.person_key(RED_TARGET)
        with Storage.open(db) as storage:
            storage.load_status_list([StatusEntry(first, "yellow")], NOW)
            storage.load_status_list([StatusEntry(first, "red")], NOW)
        kiosk("sync", "--once")
        status = kiosk.status()
        assert set(status["documents"]) == {"config", "sealing_key", "status_list", "trust_list"}
        dcc = _forged_certificate(tmp_path)
        yield Deployment(
            db, server.url, kiosk, checkpoint_id, red_key, first, dcc, online, delegation
        )


def _forged_certificate(folder: Path) -> str:
    """An HC1 certificate signed by a DSC of the attacker's (it goes in its forged list)."""
    from tests.test_sync import _signed_certificate_and_trust_file

    text = _signed_certificate_and_trust_file(folder / "attacker-trust.json")
    return text


def _trust_list_of(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "attacker-trust.json").read_text()))


# -- the forged documents ----------------------------------------------------------------------

EVIL_ROOT = SigningKey.generate()
EVIL_ONLINE = SigningKey.generate()
EVIL_SEALING = PrivateKey.generate()
LATER = NOW + dt.timedelta(minutes=5)


def _evil_delegation(types: tuple[str, ...] = ("config", "status_list")) -> Envelope:
    return delegate(
        EVIL_ROOT,
        EVIL_ONLINE.public,
        types=types,
        not_after=DELEGATION_END,
        version=99,
        issued_at=DELEGATION_START,
    )


def _config(d: Deployment, **settings: Any) -> Document:
    content = {
        "checkpoint": {"id": d.checkpoint_id, "name": "Chợ Bến Thành"},
        "settings": {"checkpoint_name": "Chợ Bến Thành", **settings},
    }
    return Document(DocType.CONFIG, 10**6, LATER, d.checkpoint_id, content)


def _red(d: Deployment) -> Document:
    entry = StatusEntry(d.red_key, "red")
    return status_list_document(version=10**6, issued_at=LATER, upserts=[entry], count=1)


Attack = Callable[[Deployment, Rogue, Path], None]


def sealing_by_its_own_root(d: Deployment, rogue: Rogue, folder: Path) -> None:
    doc = sealing_key_document(EVIL_SEALING.public, version=50, issued_at=LATER)
    rogue.documents("sealing_key", sign(doc, EVIL_ROOT))


def sealing_by_the_stolen_online_key(d: Deployment, rogue: Rogue, folder: Path) -> None:
    doc = sealing_key_document(EVIL_SEALING.public, version=50, issued_at=LATER)
    rogue.documents("sealing_key", sign(doc, d.online, delegation=d.delegation))


def config_admit_unverified_by_its_own_root(d: Deployment, rogue: Rogue, folder: Path) -> None:
    rogue.document("config", sign(_config(d, dcc_unverified_action="admit"), EVIL_ROOT))


def config_retention_one_day_by_its_own_delegation(
    d: Deployment, rogue: Rogue, folder: Path
) -> None:
    doc = _config(d, retention_days=1, retention_hard_days=1)
    rogue.document("config", sign(doc, EVIL_ONLINE, delegation=_evil_delegation()))


def config_genuine_delegation_relayed_by_its_own_key(
    d: Deployment, rogue: Rogue, folder: Path
) -> None:
    # Its own signer with the genuine delegation attached: the delegation names another key.
    doc = _config(d, dcc_unverified_action="admit")
    rogue.document("config", sign(doc, EVIL_ONLINE, delegation=d.delegation))


def status_list_a_chosen_person_red(d: Deployment, rogue: Rogue, folder: Path) -> None:
    rogue.document("status-list", sign(_red(d), EVIL_ONLINE, delegation=_evil_delegation()))


def status_list_replayed_old_version(d: Deployment, rogue: Rogue, folder: Path) -> None:
    # Genuine version 1 (before the person was red), signed by the genuine online key as the
    # server signed it, replayed now that the kiosk holds version 2.
    entries = [StatusEntry(d.first_key, "yellow")]
    old = status_list_document(version=1, issued_at=NOW, upserts=entries, count=1)
    rogue.document("status-list", sign(old, d.online, delegation=d.delegation))


def trust_list_with_its_own_dsc_by_its_own_root(d: Deployment, rogue: Rogue, folder: Path) -> None:
    doc = Document(DocType.TRUST_LIST, 50, LATER, "*", _trust_list_of(folder))
    rogue.documents("trust_list", sign(doc, EVIL_ROOT))


def trust_list_by_the_stolen_online_key(d: Deployment, rogue: Rogue, folder: Path) -> None:
    doc = Document(DocType.TRUST_LIST, 50, LATER, "*", _trust_list_of(folder))
    rogue.documents("trust_list", sign(doc, d.online, delegation=d.delegation))


def rotation_to_its_own_root(d: Deployment, rogue: Rogue, folder: Path) -> None:
    # "The old root hands over": signed by the attacker's root, not the pinned one.
    rogue.documents("signing_key_rotation", rotate(EVIL_ROOT, SigningKey.generate(), version=1,
                                                   issued_at=LATER))  # fmt: skip


def unsigned_config(d: Deployment, rogue: Rogue, folder: Path) -> None:
    # What a server sent before issue #13: plain JSON.
    body = {
        "version": 10**6,
        "checkpoint": {"id": d.checkpoint_id, "name": "x"},
        "settings": {"dcc_unverified_action": "admit"},
    }
    rogue.routes["/api/v1/config"] = (200, json.dumps(body).encode())


def config_for_another_checkpoint(d: Deployment, rogue: Rogue, folder: Path) -> None:
    # Genuinely signed (the stolen online key) but for another checkpoint's audience.
    doc = _config(d, dcc_unverified_action="admit")
    other = Document(doc.type, doc.version, doc.issued_at, "cp-elsewhere", doc.content)
    rogue.document("config", sign(other, d.online, delegation=d.delegation))


ATTACKS: dict[str, tuple[Attack, str, str]] = {
    # name: (attack, document type refused, reason code)
    "sealing key, its own root": (
        sealing_by_its_own_root, "sealing_key", "document_unknown_signer"),
    "sealing key, the stolen online key": (
        sealing_by_the_stolen_online_key, "sealing_key", "document_type_not_allowed"),
    "config dcc_unverified_action=admit, its own root": (
        config_admit_unverified_by_its_own_root, "config", "document_unknown_signer"),
    "config retention_hard_days=1, its own delegation": (
        config_retention_one_day_by_its_own_delegation, "config", "document_delegation_invalid"),
    "config, the genuine delegation relayed": (
        config_genuine_delegation_relayed_by_its_own_key, "config", "document_delegation_invalid"),
    "config for another checkpoint": (
        config_for_another_checkpoint, "config", "document_wrong_audience"),
    "config unsigned": (unsigned_config, "config", "document_malformed"),
    "status list, a chosen person red": (
        status_list_a_chosen_person_red, "status_list", "document_delegation_invalid"),
    "status list replayed (not newer)": (
        status_list_replayed_old_version, "status_list", "document_not_newer"),
    "trust list with its own DSC, its own root": (
        trust_list_with_its_own_dsc_by_its_own_root, "trust_list", "document_unknown_signer"),
    "trust list, the stolen online key": (
        trust_list_by_the_stolen_online_key, "trust_list", "document_type_not_allowed"),
    "root rotation to its own key": (
        rotation_to_its_own_root, "signing_key_rotation", "document_unknown_signer"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_rogue_server_cannot_change_what_the_kiosk_believes(
    name: str, deployment: Deployment, rogue: Rogue, tmp_path: Path
) -> None:
    attack, doc_type, reason = ATTACKS[name]
    d, kiosk = deployment, deployment.kiosk
    before = kiosk.settings()
    kept = kiosk.status()["documents"]
    trust_before = (kiosk.data / "trust_list.json").read_bytes()
    attack(d, rogue, tmp_path)
    # The kiosk's sync is answered by the rogue (a hijacked address; plain http on loopback).
    kiosk("config", "set", "server_url", rogue.url)
    done = kiosk("sync", "--once", code=6)
    during = kiosk.scan(CCCD.replace("012345", "012346"))
    # Refused with a clear message: which document, why, and what is kept.
    assert "sync (refused)" in done.stderr, done.stderr
    assert reason in done.stderr, done.stderr
    assert "keeping version" in done.stderr or "nothing changes" in done.stderr
    assert f"downloaded {doc_type} refused ({reason})" in done.stderr
    assert not any(word in done.stderr for word in PERSONAL_WORDS), done.stderr
    status = kiosk.status()
    assert status["last_error_kind"] == "refused" and reason in status["last_error"]
    # Nothing it believes changed: settings (the pinned root, the sealing key, the actions,
    # retention), the documents it keeps (versions), the trust list file.
    after = kiosk.settings()
    assert {k: v for k, v in after.items() if k != "server_url"} == {
        k: v for k, v in before.items() if k != "server_url"
    }
    assert {t: v["version"] for t, v in status["documents"].items()} == {
        t: v["version"] for t, v in kept.items()
    }
    assert (kiosk.data / "trust_list.json").read_bytes() == trust_before
    # Decisions are the genuine ones: the chosen person is not red, the forged certificate
    # is not admitted (this site refers unverified certificates; the attacker wanted admit).
    assert kiosk.scan(RED_TARGET)["reason"] != "status_red"
    assert kiosk.scan(CCCD)["reason"] == "status_red"  # the genuine list stands
    assert kiosk.scan(d.dcc)["verdict"] != "admit"
    # Nothing recorded is lost: back on the genuine server, everything is delivered.
    kiosk("config", "set", "server_url", d.url)
    kiosk("sync", "--once")
    local = {e["event_id"] for e in kiosk.events()}
    assert during["event_id"] in local
    stored = {
        json.loads(line)["event_id"]
        for line in run_cli(d.db, "events", "--json").stdout.splitlines()
    }
    assert local <= stored


def test_an_enrollment_takeover_is_refused_and_the_kiosk_keeps_working(
    deployment: Deployment, tmp_path: Path
) -> None:
    d = deployment
    with Storage.open(d.db) as storage:
        [device] = _devices(storage)
    # The intruder knows the device id (ids are not secret) and has a code of its own.
    code = run_cli(d.db, "enrollment-code", "--checkpoint", "Intruder's gate").stdout.strip()
    taken = requests.post(
        f"{d.url}/api/v1/enroll",
        json={"code": code, "device_id": device, "device_name": "x", "current_token": "guess"},
        timeout=(5, 30),
    )
    assert (taken.status_code, taken.json()["error"]) == (409, "device_enrolled")
    # The victim's token still works, its checkpoint is unchanged, its records go through.
    d.kiosk.scan(CCCD.replace("012345", "012347"))
    d.kiosk("sync", "--once")
    assert d.kiosk.settings()["checkpoint_id"] == d.checkpoint_id
    # Only a code issued for that device (the site manager's decision) lets it enroll again;
    # the kiosk itself proves it is that device with its current token.
    again = run_cli(d.db, "enrollment-code", "--checkpoint", "Chợ Bến Thành").stdout.strip()
    d.kiosk("enroll", d.url, again)
    d.kiosk("sync", "--once")


def _devices(storage: Storage) -> list[str]:
    from sqlalchemy import select

    from central.schema import devices

    with storage.db.query() as conn:
        return [str(r[0]) for r in conn.execute(select(devices.c.device_id))]


def test_enrollment_at_a_rogue_server_is_refused_by_the_fingerprint(
    tmp_path: Path, rogue: Rogue
) -> None:
    kiosk = KioskProcess(tmp_path / "fresh")
    body = {"root_key": EVIL_ROOT.public.to_text(), "fingerprint": EVIL_ROOT.public.fingerprint,
            "server_time": "2026-01-01T00:00Z"}  # fmt: skip
    rogue.routes["/api/v1/authority"] = (200, json.dumps(body).encode())
    done = kiosk("enroll", rogue.url, "AAAA-BBBB-CCCC", "--authority-fingerprint",
                 ROOT_FINGERPRINT, code=2)  # fmt: skip
    assert f"the server's authority key {EVIL_ROOT.public.fingerprint} is NOT the one given" in (
        done.stderr
    )
    assert "/api/v1/enroll" not in rogue.seen  # the code was never sent
    settings = kiosk.settings()
    assert (settings["authority_signing_key"], settings["server_url"]) == ("", "")
    # Without a fingerprint and without a terminal to confirm it on: refused too.
    done = kiosk("enroll", rogue.url, "AAAA-BBBB-CCCC", code=2)
    assert "--authority-fingerprint" in done.stderr
    # Scans are recorded all the same (offline from day one).
    assert kiosk.scan(CCCD)["event_id"]


def test_plain_http_to_another_machine_and_tls_off_are_refused(tmp_path: Path) -> None:
    kiosk = KioskProcess(tmp_path / "k")
    done = kiosk("enroll", "http://192.0.2.10:8000", "AAAA-BBBB-CCCC", code=2)
    assert "plain http to 192.0.2.10 is refused" in done.stderr
    done = kiosk("config", "set", "server_url", "http://central.example.vn", code=2)
    assert "use https://" in done.stderr
    done = kiosk("config", "set", "verify_tls", "false", code=2)
    assert "--insecure" in done.stderr
    assert kiosk.settings()["verify_tls"] is True


def test_a_genuine_rotation_is_followed_and_the_old_root_then_refused(
    deployment: Deployment, rogue: Rogue
) -> None:
    """The other side of the rotation attack: the authority's own rotation, published on the
    genuine server, is followed; the pinned root becomes the new one."""
    d = deployment
    new_root = SigningKey.generate()
    rotation = rotate(ROOT, new_root, version=1, issued_at=NOW)
    with Storage.open(d.db) as storage:
        Publisher(storage).publish(rotation.to_bytes(), now=NOW)
        # The new root delegates again to the server's online key (a higher version).
        renewed = delegate(
            new_root, d.online.public, types=["config", "status_list"],
            not_after=DELEGATION_END, version=2, issued_at=NOW,
        )  # fmt: skip
        Publisher(storage).publish(renewed.to_bytes(), now=NOW)
    d.kiosk("sync", "--once")
    assert d.kiosk.settings()["authority_signing_key"] == new_root.public.to_text()
    # A document under the old root is now refused by the kiosk.
    doc = sealing_key_document(EVIL_SEALING.public, version=60, issued_at=LATER)
    rogue.documents("sealing_key", sign(doc, ROOT))
    d.kiosk("config", "set", "server_url", rogue.url)
    done = d.kiosk("sync", "--once", code=6)
    assert "document_unknown_signer" in done.stderr
