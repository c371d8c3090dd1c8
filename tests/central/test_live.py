"""The real server: `kiosk-central serve` in a subprocess on 127.0.0.1 (a free port it picks),
spoken to with `requests` like a kiosk, and the operator commands run as a user runs them."""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from central.storage import Storage
from checkpoint_common.protocol import MAX_BODY_BYTES, UploadResponse
from checkpoint_common.timefmt import from_iso, to_iso
from tests.authority import set_up_authority_at, signed

S = 10**9
TIMEOUT = (5, 30)  # connect, read: as the kiosk does


def central_command() -> list[str]:
    """The installed console script, as an operator runs it (else the module)."""
    script = Path(sys.executable).parent / "kiosk-central"
    if script.exists():
        return [str(script)]
    found = shutil.which("kiosk-central")
    return [found] if found else [sys.executable, "-m", "central.cli"]


def db_option(db: Path | str) -> list[str]:
    """The option naming the database: `--db PATH` or `--database-url URL`."""
    return ["--db", str(db)] if isinstance(db, Path) else ["--database-url", db]


def run_cli(db: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*central_command(), *args, *db_option(db)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def log_text(self) -> str:
        return "".join(self.output)


_SET_UP = """
import sys
from pathlib import Path
from tests.authority import set_up_authority_at
set_up_authority_at(sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1]))
"""


@contextmanager
def start_server(db: Path | str, *extra: str, authority: bool = True) -> Iterator[Server]:
    """`kiosk-central serve --port 0` in a subprocess; its address from the line it prints.
    `authority`: the tests' health authority set up first (tests/authority.py), as an operator
    does before kiosks enroll: the server signs with its online key under the tests' root."""
    if authority:
        # In a process of its own: a second Storage opened and closed in this process while a
        # test holds one open drops that one's POSIX locks on the SQLite file (locks belong to
        # the process, and closing any descriptor of the file releases them), and the server
        # process then sees a damaged WAL index ("disk I/O error").
        done = subprocess.run(
            [sys.executable, "-c", _SET_UP, str(db)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    process = subprocess.Popen(
        [
            *central_command(),
            "serve",
            *db_option(db),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    output: list[str] = []
    url_found = threading.Event()
    url: list[str] = []

    def drain() -> None:
        # Read all output (the pipe must never fill) and find the address line.
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "serving" in line and "://" in line and not url:
                url.append(line.split(" on ", 1)[1].strip())
                url_found.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        if not url_found.wait(20):
            pytest.fail("the server did not start: " + "".join(output))
        yield Server(url[0], process, output)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        reader.join(5)


def enroll(server: Server, db: Path | str, checkpoint: str, device_id: str) -> dict[str, Any]:
    made = run_cli(db, "enrollment-code", "--checkpoint", checkpoint)
    assert made.returncode == 0, made.stderr
    code = made.stdout.strip()
    response = requests.post(
        f"{server.url}/api/v1/enroll",
        json={"code": code, "device_id": device_id, "device_name": "cổng 1"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body["code"] = code
    body["headers"] = {"Authorization": f"Bearer {body['device_token']}"}
    return body


def event(checkpoint_id: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "seq": 1,
        "checkpoint_id": checkpoint_id,
        "person_key": "pk-live",
        "kind": "cccd",
        "display_name": "N*** V** A",
        "birth_year": 1990,
        "direction": "in",
        "verdict": "admit",
        "reason": "entry",
        "device_time": to_iso(dt.datetime.now(dt.UTC)),
        "mono_ns": time.monotonic_ns(),
        "boot_id": "boot-live",
        "clock_synced": True,
        "problems": [],
    }
    base.update(overrides)
    return base


def post(server: Server, device: dict[str, Any], body: Any, *, gz: bool = True) -> Any:
    data = json.dumps(body).encode("utf-8")
    headers = dict(device["headers"])
    if gz:
        data = gzip.compress(data)
        headers["Content-Encoding"] = "gzip"
    headers["Content-Type"] = "application/json"
    return requests.post(f"{server.url}/api/v1/events", data=data, headers=headers, timeout=TIMEOUT)


def envelope(device: dict[str, Any], events: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return {
        "device_id": device["device_id"],
        "boot_id": kw.get("boot_id", "boot-live"),
        "sent_at": kw.get("sent_at", to_iso(dt.datetime.now(dt.UTC))),
        "sent_mono_ns": kw.get("sent_mono_ns", time.monotonic_ns()),
        "events": events,
    }


def results(response: Any) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    return [(r.status, r.error) for r in UploadResponse.from_json(response.json()).results]


def test_a_kiosks_life_against_the_real_server(server: Server, db: Path | str) -> None:
    device = enroll(server, db, "Chợ Bến Thành - cổng 2", "dev-live")
    cp = device["checkpoint"]["id"]
    # One-time code.
    again = requests.post(
        f"{server.url}/api/v1/enroll",
        json={"code": device["code"], "device_id": "other"},
        timeout=TIMEOUT,
    )
    assert (again.status_code, again.json()["error"]) == (403, "enrollment_code_invalid")
    # Upload gzip, replay plain, conflict.
    events = [event(cp, seq=i) for i in range(3)]
    assert results(post(server, device, envelope(device, events))) == [("stored", None)] * 3
    assert (
        results(post(server, device, envelope(device, events), gz=False))
        == [("duplicate", None)] * 3
    )
    changed = {**events[0], "direction": "out"}
    assert results(post(server, device, envelope(device, [changed]))) == [("rejected", "conflict")]
    # Errors.
    garbage = requests.post(
        f"{server.url}/api/v1/events", data=b"garbage", headers=device["headers"], timeout=TIMEOUT
    )
    assert garbage.status_code == 400
    huge = requests.post(
        f"{server.url}/api/v1/events",
        data=b" " * (MAX_BODY_BYTES + 1),
        headers=device["headers"],
        timeout=TIMEOUT,
    )
    assert huge.status_code == 413
    bomb = gzip.compress(b" " * (MAX_BODY_BYTES * 2))
    inflated = requests.post(
        f"{server.url}/api/v1/events",
        data=bomb,
        headers={**device["headers"], "Content-Encoding": "gzip"},
        timeout=TIMEOUT,
    )
    assert inflated.status_code == 413
    for method, path in (
        ("POST", "/api/v1/events"),
        ("GET", "/api/v1/config"),
        ("GET", "/api/v1/status-list"),
        ("GET", "/api/v1/documents/trust_list"),
    ):
        assert requests.request(method, server.url + path, timeout=TIMEOUT).status_code == 401
    # Downloads with ETag.
    config = requests.get(f"{server.url}/api/v1/config", headers=device["headers"], timeout=TIMEOUT)
    assert config.status_code == 200
    unchanged = requests.get(
        f"{server.url}/api/v1/config",
        headers={**device["headers"], "If-None-Match": config.headers["ETag"]},
        timeout=TIMEOUT,
    )
    assert unchanged.status_code == 304
    # Exactly one Date header (the app's; uvicorn's own is off), and server_time.
    for response in (config, unchanged, garbage, huge):
        assert len(response.raw.headers.getlist("Date")) == 1
    # The config is signed by the server's delegated online key, under the tests' root.
    document = signed(config, "config", device["checkpoint"]["id"])
    assert abs((document.issued_at - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    # Revocation.
    assert run_cli(db, "revoke", "dev-live").returncode == 0
    revoked = requests.get(
        f"{server.url}/api/v1/config", headers=device["headers"], timeout=TIMEOUT
    )
    assert (revoked.status_code, revoked.json()["error"]) == (403, "device_revoked")
    # The server logged neither the token, the code, nor a name.
    log = server.log_text()
    assert "POST /api/v1/events" in log  # the access log is there
    for secret in (device["device_token"], device["code"], "N*** V** A", "Chợ Bến Thành"):
        assert secret not in log


def test_a_clock_two_days_behind_is_corrected_by_the_real_server(
    server: Server, db: Path | str
) -> None:
    device = enroll(server, db, "Gate C", "dev-clock")
    cp = device["checkpoint"]["id"]
    behind = dt.timedelta(days=2)
    now_mono = time.monotonic_ns()
    kiosk_now = dt.datetime.now(dt.UTC) - behind
    events = [
        event(
            cp,
            seq=1,
            mono_ns=now_mono - 120 * S,
            device_time=to_iso(kiosk_now - dt.timedelta(seconds=120)),
            clock_synced=False,
        ),
        event(cp, seq=2, boot_id="boot-before", device_time=to_iso(kiosk_now), clock_synced=False),
    ]
    body = envelope(device, events, sent_mono_ns=now_mono, sent_at=to_iso(kiosk_now))
    assert results(post(server, device, body)) == [("stored", None)] * 2
    listed = run_cli(db, "events", "--checkpoint", cp, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["event_id"]: row for row in map(json.loads, listed.stdout.splitlines())}
    fixed = rows[events[0]["event_id"]]
    assert fixed["clock_flag"] == "corrected"
    expected = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=120)
    assert abs((from_iso(fixed["corrected_time"]) - expected).total_seconds()) < 10
    assert fixed["device_time"] == events[0]["device_time"]
    unknown = rows[events[1]["event_id"]]
    assert unknown["clock_flag"] == "unverified"
    assert from_iso(unknown["corrected_time"]) == from_iso(events[1]["device_time"])


def test_fifty_kiosks_replaying_one_batch_leave_one_row_per_event(
    server: Server, db: Path | str
) -> None:
    device = enroll(server, db, "Gate D", "dev-race")
    cp = device["checkpoint"]["id"]
    events = [event(cp, seq=i, person_key=f"pk-{i % 7}") for i in range(200)]
    body = envelope(device, events)
    barrier = threading.Barrier(50)

    def replay() -> list[tuple[str, str | None]]:
        barrier.wait(30)  # all 50 at once
        return results(post(server, device, body))

    with ThreadPoolExecutor(max_workers=50) as pool:
        futures = [pool.submit(replay) for _ in range(50)]
        answers = [f.result(timeout=120) for f in futures]  # re-raises a thread's failure
    for i in range(len(events)):
        column = [a[i][0] for a in answers]
        assert column.count("stored") == 1
        assert column.count("duplicate") == 49
    with Storage.open(db, create=False) as storage:
        stored = [e.event.event_id for e in storage.events() if e.device_id == "dev-race"]
    assert (len(stored), len(set(stored))) == (200, 200)
    stats = json.loads(run_cli(db, "stats").stdout)
    assert stats["duplicates"] >= 49 * 200


def test_events_and_trace_commands(server: Server, db: Path | str) -> None:
    device = enroll(server, db, "Market", "dev-trace")
    cp = device["checkpoint"]["id"]
    now = dt.datetime.now(dt.UTC)

    def stay(person: str, start_min: float, end_min: float, name: str) -> list[dict[str, Any]]:
        made = []
        for direction, minutes in (("in", start_min), ("out", end_min)):
            made.append(
                event(
                    cp,
                    person_key=person,
                    display_name=name,
                    direction=direction,
                    reason="entry" if direction == "in" else "exit",
                    device_time=to_iso(now - dt.timedelta(minutes=minutes)),
                    boot_id="boot-synced",  # no anchor, synced: device time stands
                )
            )
        return made

    case, contact, stranger = (f"id:{n:024x}" for n in (1, 2, 3))
    batch = [
        *stay(case, 120, 60, "C***"),
        *stay(contact, 90, 30, "\u202eevil\x1b[2J"),
        *stay(stranger, 20, 10, "S***"),
    ]
    assert {s for s, _ in results(post(server, device, envelope(device, batch)))} == {"stored"}
    listed = run_cli(db, "events", "--json")
    assert listed.returncode == 0
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in batch]
    assert {r["clock_flag"] for r in rows} == {"ok"}
    traced = run_cli(db, "trace", case, "--margin", "15", "--json")
    assert traced.returncode == 0, traced.stderr
    lines = [json.loads(line) for line in traced.stdout.splitlines()]
    [visit] = [line for line in lines if "person_key" not in line]
    assert (visit["checkpoint"], visit["closed"]) == ("Market", "exited")
    contacts = [line for line in lines if "person_key" in line]
    assert [(c["person_key"], c["checkpoint_id"]) for c in contacts] == [(contact, cp)]
    assert contacts[0]["overlap_s"] == 30 * 60
    assert contacts[0]["display_name"] == "\u202eevil\x1b[2J"
    human = run_cli(db, "trace", case)
    assert human.returncode == 0
    assert "\x1b" not in human.stdout and "\u202e" not in human.stdout
    assert "\\u202eevil\\u001b[2J" in human.stdout


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own CA) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_https_and_the_rate_limit_options(db: Path | str, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    set_up_authority_at(db)
    args = ["--tls-cert", str(cert), "--tls-key", str(key), "--rate-limit", "1", "--burst", "1"]
    with start_server(db, *args) as server, requests.Session() as http:
        assert server.url.startswith("https://127.0.0.1:")
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(server.url + "/", timeout=TIMEOUT)  # verified against the system CAs
        # verify per request: REQUESTS_CA_BUNDLE in the environment would override Session.verify.
        tls = {"timeout": TIMEOUT, "verify": str(cert)}
        # No idle keep-alive TLS connection left behind: at shutdown the server would wait for
        # its close_notify up to the grace time (5 s; see cli.py).
        http.headers["Connection"] = "close"
        made = run_cli(db, "enrollment-code", "--checkpoint", "TLS gate")
        body = {"code": made.stdout.strip(), "device_id": "dev-tls"}
        enrolled = http.post(f"{server.url}/api/v1/enroll", json=body, **tls)  # type: ignore[arg-type]
        assert enrolled.status_code == 200
        http.headers["Authorization"] = f"Bearer {enrolled.json()['device_token']}"
        assert http.get(f"{server.url}/api/v1/config", **tls).status_code == 200  # type: ignore[arg-type]
        second = http.get(f"{server.url}/api/v1/config", **tls)  # type: ignore[arg-type]
        assert second.status_code == 429
        assert 1 <= int(second.headers["Retry-After"]) <= 60
