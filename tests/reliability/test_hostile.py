"""Hostile codes through the whole path: parser, gate + database, screen, upload, logs.

A QR code is whatever its maker wants it to be. The plan's row (../shared/RELIABILITY.md,
"hostile payloads end to end"): every such code is stored exactly or rejected with a problem,
never an exception; the screen renders each verdict in < 100 ms; the logs hold no raw payload
and no control characters. The payloads: random bytes, 4 KB and 1 MB texts, SQL injection,
HTML/markup, NUL and control characters, broken UTF-8, an RTL override (U+202E), terminal escape
codes, forged EU DCCs (well-formed base45/zlib/COSE with a bad signature; truncated), and the
same hostile text inside the name of otherwise valid CCCD and personal QR codes (the only place
where a code's text reaches the screen).

Real components only: the Gate on a SQLite file, the main window under pytest-qt offscreen, the
reference server (`kiosk-central serve`) on 127.0.0.1, the logging configuration of the app
(SafeFormatter, DEBUG, to a file). Hypothesis adds generated payloads (deterministic in CI,
KIOSK_RELIABILITY_FULL=1 for a longer, random run).

The payloads are stored sealed: the exact bytes are read back by opening the box as
the health authority would, in `stored_payload` / `server_payload` below.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.storage import Storage
from checkpoint_common.safelog import SafeFormatter
from checkpoint_common.seal import open_personal
from kiosk.clock import FakeClock, SystemClock
from kiosk.config import Settings
from kiosk.credentials import Credential, PersonKeyer
from kiosk.datadir import DataDir
from kiosk.formats import TrustList, parse
from kiosk.gate import MAX_PAYLOAD_BYTES, Gate
from kiosk.store import Store
from kiosk.sync.service import SyncService, enroll, payload_of
from tests.authority import ROOT_TEXT
from tests.central.test_live import run_cli, start_server
from tests.conftest import personal_of
from tests.reliability.conftest import FULL, scale
from tests.test_dcc import cose_sign1, ec_signer, hc1, trust_of
from tests.ui.conftest import kiosk_factory  # noqa: F401 - the real window, as a fixture

# -- the payloads ------------------------------------------------------------------------------

# In every hostile text, so that a log line quoting a payload is found whatever else it holds.
MARKER = "Zq7HostileMarker"
SIGNER = ec_signer()


def _forged_hc1() -> str:
    """A well-formed EU DCC (base45, zlib, COSE_Sign1 with the kid of a trusted key) whose
    signature is wrong: the holder changed the claims after signing."""
    cose = cose_sign1(SIGNER)
    cose[3] = bytes(len(cose[3]))  # a signature of the right size, all zeros
    return hc1(cose)


def _cccd(name: str, number: int) -> str:
    """A CCCD whose name field is `name` (each one with its own ID: not a repeat)."""
    return f"0791990{number:05d}|212345678|{name}|15081999|Nữ|Số 1, Hà Nội|20042021"


def _personal(name: str, number: int) -> str:
    return f"0012030{number:05d}|{name}|2003-03-02|1|123456789012345678|"


CONTROL = "".join(chr(c) for c in range(32)) + "\x7f"
ESCAPES = "\x1b[2J\x1b[H\x1b[31;1mADMIT\x1b[0m\x1b]0;pwned\x07\x1b[6n"
SQL = "Robert'); DROP TABLE events;-- \" OR 1=1; --"
MARKUP = '<b>Ngọc</b><img src="file:///etc/passwd"><script>alert(1)</script>&#8238;'
RTL = "\u202eNgọc\u202c \u2066evil\u2069"

HOSTILE: dict[str, str | bytes] = {
    "random bytes": bytes(range(256)) + MARKER.encode() + bytes(range(255, -1, -1)),
    "4 KB text": (MARKER + " " + "ẠB|C<>'\"; " * 400)[:4096],
    "1 MB text": MARKER + "A" * (1024 * 1024),
    "1 MB bytes": MARKER.encode() + b"\xff" * (1024 * 1024),
    "sql injection": f"{MARKER}{SQL}",
    "markup": f"{MARKER}{MARKUP}",
    "nul and controls": f"{MARKER}\x00{CONTROL}\x00end",
    "only nul": "\x00" * 64,
    "broken utf-8": MARKER.encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\xed\xa0\x80",
    "lone surrogate text": f"{MARKER}\ud800x\udfff",
    "rtl override": f"{MARKER}{RTL}",
    "terminal escapes": f"{MARKER}{ESCAPES}",
    "forged hc1": _forged_hc1(),
    "truncated hc1": _forged_hc1()[:60],
    "hc1 garbage": "HC1:" + MARKER + "%%%:::",
    "cccd sql name": _cccd(f"Trần Thị {SQL}", 1),
    "cccd markup name": _cccd(f"Trần Thị {MARKUP}", 2),
    "cccd controls name": _cccd(f"Trần\x00 Thị\x07 Ngọc{ESCAPES}", 3),
    "cccd rtl name": _cccd(f"Trần Thị {RTL}", 4),
    "personal qr escapes name": _personal(f"Nguyễn {ESCAPES} An", 5),
    "personal qr markup name": _personal(f"Nguyễn Văn <h1>ADMIT</h1>{MARKER}", 6),
}
NAMES = list(HOSTILE)

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def raw_bytes(payload: str | bytes) -> bytes:
    """The bytes the gate stores for a payload (Gate._new_event: str as UTF-8, lone
    surrogates kept with surrogatepass)."""
    return payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")


def unsafe_characters(text: str, *, allow_newline: bool = False) -> list[str]:
    """Control characters (Unicode category Cc: C0, DEL, C1) and bidirectional controls in
    `text`, as escapes; [] when it is safe to print on a screen or a terminal."""
    found = []
    for ch in text:
        if ch == "\n" and allow_newline:
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI:
            found.append(f"U+{ord(ch):04X}")
    return found


# -- reading back what was stored (sealed: adapt here if the storage format changes) ------------


def stored_payload(store: Store, event_id: str) -> bytes | None:
    """The exact bytes the kiosk stored for an event, opened as the health authority would
    (tests/conftest.personal_of); None when the event holds no payload."""
    data = personal_of(store, event_id)
    return data.payload if data is not None else None


def server_payload(event: dict[str, Any], storage: Storage) -> bytes | None:
    """The payload in the server's copy of an event (`kiosk-central events --json`), opened
    with the server's authority key."""
    if event.get("sealed") is None:
        return None
    box = base64.b64decode(event["sealed"])
    return open_personal(
        storage.authority_key(),
        event["event_id"],
        box,
        device_id=event["device_id"],
        person_key=event["person_key"],
    ).payload


# -- logs --------------------------------------------------------------------------------------


@dataclass
class DebugLog:
    """The app's log configuration (SafeFormatter) at DEBUG into a file, plus caplog."""

    path: Path
    caplog: pytest.LogCaptureFixture

    def assert_clean(self) -> int:
        """No raw payload (the marker, the hostile fragments) and no control characters in
        any message or in the file. Returns the number of records checked."""
        text = self.path.read_text(encoding="utf-8", errors="backslashreplace")
        fragments = (MARKER, "DROP TABLE", "<script>", "<img", "pwned", "Ngọc", "ADMIT\x1b")
        for fragment in fragments:
            assert fragment not in text, f"{fragment!r} in the log file"
        assert unsafe_characters(text, allow_newline=True) == [], "control characters in the log"
        for record in self.caplog.records:
            message = record.getMessage()
            assert unsafe_characters(message) == [], (record.name, message)
            assert not any(f in message for f in fragments), (record.name, message)
        assert self.caplog.records, "nothing was logged: the check saw nothing"
        return len(self.caplog.records)


@pytest.fixture
def debug_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[DebugLog]:
    path = tmp_path / "kiosk-debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(SafeFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        yield DebugLog(path, caplog)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


# -- the parser --------------------------------------------------------------------------------

KEYER = PersonKeyer(b"hostile-secret-0123456789")
TRUST: TrustList = trust_of(SIGNER)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # inside the test signer's validity


def check_credential(credential: Credential) -> None:
    """The parser's output contract, and nothing a screen could misprint in the name."""
    assert isinstance(credential, Credential)
    json.dumps(credential.to_json())
    assert credential.kind.names_a_person == (credential.person_key is not None)
    if credential.display_name is not None:
        assert unsafe_characters(credential.display_name) == [], credential.display_name
        assert MARKER not in credential.display_name or "<" in credential.display_name


@pytest.mark.parametrize("name", NAMES)
def test_parser_takes_every_hostile_payload(name: str) -> None:
    payload = HOSTILE[name]
    credential = parse(payload, keyer=KEYER, trust=TRUST, now=NOW)
    check_credential(credential)
    if len(payload) > 8192 * 4:
        assert "too_long" in credential.problems  # rejected before any per-character work
    if name == "forged hc1":
        assert credential.kind.value == "eu_dcc"
        assert "signature_invalid" in credential.problems, credential.problems
    if name in ("truncated hc1", "hc1 garbage"):
        assert credential.person_key is None and credential.problems


def test_parser_is_quick_on_4_kb_and_1_mb() -> None:
    """4 KB (text, or bytes that are all invalid UTF-8: the slowest to decode) parses in
    < 10 ms; a 1 MB text is refused as fast (oversize is checked first). 1 MB of invalid UTF-8
    costs more: `decode_payload` decodes the first 32 KB with backslashreplace, one error
    handler call per byte (~20 ms here idle, ~45 ms on a loaded machine): bounded by the
    screen's budget (100 ms) instead; see docs/reliability.md for the fix proposed."""
    cases = {
        "4 KB text": (HOSTILE["4 KB text"], 0.010),
        "4 KB bad bytes": (b"\xff" * 4096, 0.010),
        "1 MB text": (HOSTILE["1 MB text"], 0.010),
        "1 MB bad bytes": (HOSTILE["1 MB bytes"], 0.100),
    }
    for name, (payload, limit_s) in cases.items():
        parse(payload, keyer=KEYER, trust=TRUST, now=NOW)  # warm up
        times = []
        for _ in range(20):
            start = time.perf_counter()
            parse(payload, keyer=KEYER, trust=TRUST, now=NOW)
            times.append(time.perf_counter() - start)
        assert statistics.median(times) < limit_s, (name, statistics.median(times))


# -- the gate and its database -------------------------------------------------------------------


def hostile_gate(store: Store, settings: Settings, clock: FakeClock) -> Gate:
    """The real gate with a trust list that knows the forger's kid, so that the signature is
    checked (and found wrong). The tests' clock (START) is inside the certificate's validity."""
    return Gate(store, settings, clock, KEYER, TRUST)


def assert_recorded_as_parsed(gate: Gate, payload: str | bytes) -> None:
    """One scan: never an exception; the gate decided on what `parse` makes of the same
    bytes; the event (unless a duplicate) is in the database with that kind and those
    problems, and with exactly the bytes scanned, or none and the problem that says why."""
    instant = gate.clock.now()
    outcome = gate.scan(payload)
    expected = parse(payload, keyer=gate.keyer, trust=gate.trust, now=instant.utc)
    assert outcome.credential == expected
    if outcome.event_id is None:  # a repeat within the duplicate window: nothing written
        assert outcome.decision.duplicate_of is not None
        return
    rows = [payload_of(row) for row in gate.store.outbox_rows(limit=100_000)]
    event = next(e for e in rows if e.event_id == outcome.event_id)
    assert event.kind == expected.kind.value
    assert event.display_name == expected.display_name
    raw = raw_bytes(payload)
    if len(raw) > MAX_PAYLOAD_BYTES:
        assert event.problems == (*expected.problems, "payload_not_stored")
        assert stored_payload(gate.store, outcome.event_id) is None
    else:
        assert event.problems == expected.problems
        assert stored_payload(gate.store, outcome.event_id) == raw  # exactly what was scanned


@pytest.mark.parametrize("name", NAMES)
def test_gate_stores_exactly_or_rejects_each_hostile_payload(
    name: str, store: Store, settings: Settings, clock: FakeClock, debug_log: DebugLog
) -> None:
    gate = hostile_gate(store, settings, clock)
    assert_recorded_as_parsed(gate, HOSTILE[name])
    # The database is intact and still works for the next person.
    assert store.integrity_ok()
    after = gate.scan(_cccd("Lê Văn Bình", 99))
    assert after.event_id is not None and after.decision.verdict.value == "admit"
    debug_log.assert_clean()


# Generated payloads: any bytes or text, and hostile fragments spliced into valid codes.
fragments = st.sampled_from([SQL, MARKUP, RTL, ESCAPES, CONTROL, "\x00", "\ud800", "|", "HC1:"])
spliced = st.builds(
    lambda code, at, piece: code[:at] + piece + code[at:],
    st.sampled_from([_cccd("Trần Thị Ngọc", 7), _personal("Nguyễn Văn An", 8), _forged_hc1()]),
    st.integers(0, 120),
    st.lists(fragments | st.text(max_size=8), min_size=1, max_size=4).map("".join),
)
payloads = st.binary(max_size=2048) | st.text(max_size=512) | spliced


@pytest.mark.timeout(scale(120, 1800))  # the full run takes 1-2 min on a loaded machine
@settings(
    max_examples=scale(60, 2000),
    deadline=None,
    derandomize=not FULL,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=payloads)
def test_gate_never_fails_on_generated_payloads(
    payload: str | bytes, store: Store, settings: Settings, clock: FakeClock
) -> None:
    gate = hostile_gate(store, settings, clock)
    clock.advance(61)  # past the duplicate window, most of the time
    assert_recorded_as_parsed(gate, payload)


# -- the screen -----------------------------------------------------------------------------------


@pytest.fixture
def window_kiosk(kiosk_factory: Callable[..., Any]) -> Any:  # noqa: F811
    return kiosk_factory()


def label_texts(window: Any) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QLabel

    return [
        (label.objectName() or type(label).__name__, label.text())
        for label in window.findChildren(QLabel)
    ]


def test_screen_shows_a_verdict_for_each_hostile_code_quickly_and_cleanly(
    window_kiosk: Any, debug_log: DebugLog
) -> None:
    """Each hostile code, as the camera hands it to the window: a verdict (never "not
    recorded", never the out-of-service panel), drawn in < 100 ms, and no label of the window
    holds a raw control or bidi character."""
    from kiosk.scanner.types import CodeScanned
    from kiosk.ui.texts import verdict_view

    kiosk = window_kiosk
    window = kiosk.window
    page = window.scan_page
    zone = Settings().zone  # only a duplicate's time uses it; none is expected here
    render_ms: dict[str, float] = {}
    for count, name in enumerate(NAMES, start=1):
        payload = raw_bytes(HOSTILE[name])
        now = time.monotonic_ns()
        window.on_code_scanned(CodeScanned(payload, "camera", now, now))
        kiosk.qtbot.waitUntil(lambda c=count: len(kiosk.done) + len(kiosk.not_recorded) >= c)
        assert kiosk.not_recorded == [], (name, kiosk.not_recorded)
        assert window.pages.currentWidget() is page, name
        assert kiosk.showing_verdict(), name
        done = kiosk.done[-1]
        assert done.request.payload == payload
        # The drawing itself: the window's verdict for it, then a full paint of the page.
        # Best of three: the cost of drawing, not of another process taking the CPU meanwhile
        # (2 CPUs shared with other test runs here).
        view = verdict_view(done.outcome, zone)
        tries = []
        for _ in range(3):
            start = time.perf_counter()
            page.show_verdict(view, seconds=30)
            page.grab()
            tries.append((time.perf_counter() - start) * 1000)
        render_ms[name] = min(tries)
        for where, text in label_texts(window):
            # (A person's masked name is shown: text from a code may be on screen, printable.)
            assert unsafe_characters(text, allow_newline=True) == [], (name, where, text)
    slow = {k: round(v, 1) for k, v in render_ms.items() if v >= 100}
    assert slow == {}, slow
    worst, median = max(render_ms.values()), statistics.median(render_ms.values())
    print(f"verdict render: max {worst:.1f} ms, median {median:.1f} ms")
    debug_log.assert_clean()


def test_markup_in_a_name_is_shown_as_text_not_rendered(window_kiosk: Any) -> None:
    from PySide6.QtCore import Qt

    from kiosk.scanner.types import CodeScanned

    kiosk = window_kiosk
    payload = _personal("Nguyễn Văn <h1>ADMIT</h1>", 9).encode()
    now = time.monotonic_ns()
    kiosk.window.on_code_scanned(CodeScanned(payload, "camera", now, now))
    kiosk.qtbot.waitUntil(lambda: len(kiosk.done) == 1)
    detail = kiosk.window.scan_page.verdict.detail
    assert "<h1>ADMIT</h1>" in detail.text()
    assert detail.textFormat() == Qt.TextFormat.PlainText


# -- the upload -----------------------------------------------------------------------------------


def test_upload_stores_each_hostile_event_exactly_or_rejects_it_alone(
    tmp_path: Path, debug_log: DebugLog
) -> None:
    """The whole set scanned by a kiosk enrolled with the real server, then one ordinary scan,
    then one sync round: every event reaches the server (with the same kind, problems and the
    exact bytes in its sealed copy) or is rejected on its own, and the ordinary one behind
    them is delivered (the queue is not blocked)."""
    db = tmp_path / "central.db"
    data_dir = tmp_path / "kiosk"
    with start_server(db, "--log-level", "debug") as server:
        made = run_cli(db, "enrollment-code", "--checkpoint", "Cổng <b>1</b>")
        assert made.returncode == 0, made.stderr
        clock = SystemClock()
        store = Store.open(data_dir / "kiosk.db")
        try:
            new_settings, _ = enroll(
                data_dir=data_dir,
                settings=Settings(language="en", authority_signing_key=ROOT_TEXT),
                url=server.url,
                code=made.stdout.strip(),
                device_id=store.device_id,
            )
            current = [new_settings]
            service = SyncService(
                data_dir=data_dir,
                settings=lambda: current[0],
                run_store=lambda fn: fn(store),
                clock=clock,
                on_settings=lambda changed: current.__setitem__(0, changed),
            )
            # As `kiosk enroll` does: a round at once, which brings the root-signed sealing key.
            service.run_once()
            assert current[0].authority_public_key
            keyer = PersonKeyer(DataDir(data_dir).person_secret())
            gate = Gate(store, current[0], clock, keyer, TRUST)
            scanned: dict[str, tuple[str, bytes]] = {}
            for name in NAMES:
                outcome = gate.scan(HOSTILE[name])
                assert outcome.event_id is not None, name
                scanned[outcome.event_id] = (name, raw_bytes(HOSTILE[name]))
            ordinary = gate.scan(_cccd("Lê Văn Bình", 98))
            assert ordinary.event_id is not None
            report = service.run_once()
            assert store.outbox_count() == 0, "the queue must drain"
            local = {e.event_id: e for e in store.events()}
        finally:
            store.close()
        listed = run_cli(db, "events", "--json")
        assert listed.returncode == 0, listed.stderr
        server_log = server.log_text()
    on_server = {e["event_id"]: e for e in map(json.loads, listed.stdout.splitlines())}
    assert ordinary.event_id in on_server, "the event behind the hostile ones was delivered"
    rejected = [scanned[i][0] for i in scanned if i not in on_server]
    # Rejection is allowed by the contract, but none is expected: say which if any.
    assert report.quarantined == len(rejected)
    assert rejected == [], f"rejected by the server: {rejected}"
    with Storage.open(db) as storage:
        for event_id, (name, raw) in scanned.items():
            event = on_server[event_id]
            assert event["kind"] == local[event_id].kind, name
            if len(raw) > MAX_PAYLOAD_BYTES:
                assert "payload_not_stored" in event["problems"], name
                assert server_payload(event, storage) is None, name
            else:
                assert server_payload(event, storage) == raw, name  # the exact bytes
    # The server's log (DEBUG) quotes no payload and no control characters either.
    assert MARKER not in server_log
    assert unsafe_characters(server_log, allow_newline=True) == []
    debug_log.assert_clean()
