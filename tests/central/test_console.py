"""The web console through FastAPI's TestClient (https://testserver, so the Secure cookies are
kept), on both engines: accounts, sessions and their timeouts, roles, CSRF, the audit log,
tracing rules (still inside, auto-checkout, unknown people), the status list, the kiosks'
reports, demo events, and the words in both languages. The browser tests are in
test_console_browser.py."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest

from central import tracing
from central.console import audit
from central.console.accounts import MAX_FAILURES, AccountError, Accounts
from central.console.texts import VI
from central.console.web import FORM_EXPIRED, KIND_LABELS, ROLE_LABELS
from central.reveal import reveal
from central.storage import Storage
from checkpoint_common.personkey import derive_person_key, legacy_person_key
from checkpoint_common.seal import PersonalData, PublicKey, seal_personal, seal_personal_v1
from checkpoint_common.signing import StatusListChange
from checkpoint_common.timefmt import to_iso
from tests.authority import signed

from .conftest import T0, Api, Kiosk, ServerClock

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "a long enough password"
CONSOLE = Path(__file__).resolve().parents[2] / "central" / "src" / "central" / "console"


class Browser:
    """A TestClient as one person's browser: logs in, keeps cookies, fills the CSRF token."""

    def __init__(self, api: Api) -> None:
        self.client = TestClient(api.client.app, base_url="https://testserver")
        self.csrf = ""

    def login(self, name: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        answer = self.client.post(
            "/console/login",
            data={"csrf": token.group(1), "username": name, "password": password},
            follow_redirects=False,
        )
        if answer.status_code == 303:
            self.refresh_token(answer.headers["location"])
        return answer

    def refresh_token(self, path: str) -> None:
        page = self.client.get(path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        self.csrf = found.group(1) if found else ""

    def post(self, path: str, **data: Any) -> Any:
        return self.client.post(path, data={"csrf": self.csrf, **data}, follow_redirects=False)


@pytest.fixture
def accounts(storage: Storage) -> Accounts:
    return Accounts(storage.db)


def person_key(storage: Storage, scheme: str, value: str) -> str:
    secret = base64.b64decode(storage.person_key_secret())
    return derive_person_key(secret, scheme, value)


def stay(
    kiosk: Kiosk,
    key: str,
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    fields: dict[str, Any] | None = None,
    authority: PublicKey | None = None,
    out_reason: str = "exit",
    box_version: int = 2,
) -> list[dict[str, Any]]:
    """An entry (and an exit unless `end` is None) as a kiosk would send them (`box_version`
    1: as a kiosk from before issue #13 sealed them)."""
    made = []
    for direction, moment in (("in", start), ("out", end)):
        if moment is None:
            continue
        event = kiosk.event(
            person_key=key,
            direction=direction,
            reason="entry" if direction == "in" else out_reason,
            device_time=to_iso(moment),
            boot_id="boot-synced",
        )
        if fields is not None and authority is not None:
            data = PersonalData(None, fields, None)
            sealed = (
                seal_personal(
                    authority, event["event_id"], data, device_id=kiosk.device_id, person_key=key
                )
                if box_version == 2
                else seal_personal_v1(authority, event["event_id"], data)
            )
            event["sealed"] = base64.b64encode(sealed).decode()
            event["seal_key"] = authority.key_id
        made.append(event)
    return made


def upload(api: Api, kiosk: Kiosk, events: list[dict[str, Any]]) -> None:
    answer = api.client.post("/api/v1/events", json=kiosk.envelope(events), headers=kiosk.headers)
    assert answer.status_code == 200, answer.text
    assert {r["status"] for r in answer.json()["results"]} == {"stored"}, answer.json()


# -- accounts and sessions ------------------------------------------------------------------


def test_passwords_are_argon2id_and_accounts_are_checked(
    accounts: Accounts, storage: Storage
) -> None:
    accounts.add("lan", "health-officer", PASSWORD, T0)
    with storage.db.query() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM console_users").scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(AccountError, match="at least 10"):
        accounts.add("short", "admin", "short", T0)
    with pytest.raises(AccountError, match="exists already"):
        accounts.add("lan", "admin", PASSWORD, T0)
    with pytest.raises(AccountError, match="needs --checkpoint"):
        accounts.add("minh", "site-manager", PASSWORD, T0)
    with pytest.raises(AccountError, match="no checkpoint"):
        accounts.add("minh", "site-manager", PASSWORD, T0, ["cp-nope"])
    with pytest.raises(AccountError, match="role"):
        accounts.add("x", "root", PASSWORD, T0)


def test_lockout_idle_timeout_and_disable(
    api: Api, accounts: Accounts, server_clock: ServerClock
) -> None:
    accounts.add("lan", "health-officer", PASSWORD, T0)
    browser = Browser(api)
    for _ in range(MAX_FAILURES - 1):
        assert browser.login("lan", "wrong password!").status_code == 401
    refused = browser.login("lan", "wrong password!")
    assert refused.status_code == 401 and "tạm khóa" in refused.text
    assert browser.login("lan").status_code == 401  # locked: the right password too
    server_clock.advance(15 * 60 + 1)
    assert browser.login("lan").status_code == 303
    assert browser.client.get("/console/trace").status_code == 200
    # Idle for 31 minutes: signed out.
    server_clock.advance(31 * 60)
    assert browser.client.get("/console/trace", follow_redirects=False).status_code == 303
    assert browser.login("lan").status_code == 303
    accounts.disable("lan", server_clock())
    assert browser.client.get("/console/trace", follow_redirects=False).status_code == 303
    assert "khóa" in browser.login("lan").text
    # Whatever is typed as a name that is no account is not written down.
    assert browser.login("079199012345", "x" * 12).status_code == 401
    assert audit.entries(api.storage.db)[0].actor == "(unknown name)"
    actions = [e.action for e in audit.entries(api.storage.db)][1:]
    # Four wrong passwords, then the disabled account's attempt.
    assert actions.count(audit.LOGIN_FAILED) == MAX_FAILURES
    assert audit.LOGIN_LOCKED in actions and audit.LOGIN in actions


def test_roles_and_csrf(api: Api, accounts: Accounts, kiosk: Kiosk) -> None:
    accounts.add("lan", "health-officer", PASSWORD, T0)
    accounts.add("minh", "site-manager", PASSWORD, T0, [kiosk.checkpoint_id])
    accounts.add("root", "admin", PASSWORD, T0)
    other = api.storage.ensure_checkpoint("Bệnh viện khác", T0)
    officer, manager, admin = Browser(api), Browser(api), Browser(api)
    officer.login("lan")
    manager.login("minh")
    admin.login("root")
    get = {name: b.client.get for name, b in (("lan", officer), ("minh", manager), ("root", admin))}
    assert get["lan"]("/console/trace").status_code == 200
    assert get["minh"]("/console/trace").status_code == 403
    assert get["root"]("/console/trace").status_code == 403
    assert get["lan"]("/console/audit").status_code == 403
    assert get["root"]("/console/audit").status_code == 200
    assert get["minh"]("/console/overview").status_code == 403
    assert get["minh"](f"/console/sites/{kiosk.checkpoint_id}").status_code == 200
    assert get["minh"](f"/console/sites/{other.id}").status_code == 404
    assert get["root"](f"/console/sites/{other.id}").status_code == 200
    # A manager cannot revoke another site's kiosk, nor make its codes.
    manager.refresh_token("/console/sites")
    assert manager.post(f"/console/sites/{other.id}/code").status_code == 404
    assert manager.post(f"/console/sites/{other.id}/revoke", device_id="dev-1").status_code == 404
    # CSRF: without the token, with another session's token.
    officer.refresh_token("/console/status")
    assert (
        officer.client.post("/console/status", data={"person": "079199012345"}).status_code == 403
    )
    forged = officer.client.post(
        "/console/status",
        data={"csrf": admin.csrf, "person": "079199012345", "action": "set", "colour": "red"},
    )
    assert forged.status_code == 403
    assert api.storage.status_list_version() == 0
    # Responses: no script allowed, nothing cached.
    page = get["lan"]("/console/trace")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text


def test_the_audit_log_cannot_be_changed_from_the_console(api: Api, accounts: Accounts) -> None:
    accounts.add("root", "admin", PASSWORD, T0)
    admin = Browser(api)
    admin.login("root")
    before = audit.count(api.storage.db)
    for method in ("put", "delete", "patch"):
        assert getattr(admin.client, method)("/console/audit").status_code == 405
    exported = admin.post("/console/audit/export")
    assert exported.status_code == 200
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["login", "audit_export"]
    assert audit.count(api.storage.db) == before + 1  # the export itself is audited


# -- tracing --------------------------------------------------------------------------------


def test_still_inside_overlaps_until_now_and_auto_checkout_is_said(
    storage: Storage, api: Api, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    case = person_key(storage, "id", "079199012345")
    inside = person_key(storage, "manual", "tel:0903111222")
    closed = person_key(storage, "qid", "163000000000012345")
    now = server_clock()
    events = [
        *stay(kiosk, case, now - dt.timedelta(minutes=60), None),
        *stay(kiosk, inside, now - dt.timedelta(minutes=30), None),
        *stay(
            kiosk,
            closed,
            now - dt.timedelta(minutes=50),
            now - dt.timedelta(minutes=10),
            out_reason="auto_checkout",
        ),
    ]
    storage.update_checkpoint_settings(kiosk.checkpoint_id, {"auto_checkout_time": ""})
    upload(api, kiosk, events)
    result = tracing.trace(storage, "079 199 012 345", now=now)
    assert result.found and result.understood_as == ("cccd",)
    [visit] = result.visits
    assert visit.closed == tracing.STILL_INSIDE
    by_key = {c.stay.person_key: c for c in result.contacts}
    assert by_key[inside].overlap_s == 30 * 60  # until now: never 0
    assert by_key[inside].stay.closed == tracing.STILL_INSIDE
    assert by_key[closed].stay.closed == tracing.AUTO_CHECKOUT
    assert by_key[closed].overlap_s == 40 * 60


def test_an_open_stay_ends_at_the_nightly_auto_checkout(
    storage: Storage, api: Api, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    # 02:00 in Vietnam, then 05:00: the kiosk's 03:00 auto-checkout has closed the stay even
    # though its exit record has not arrived.
    at_two = dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.UTC)
    case = person_key(storage, "id", "079199012345")
    upload(api, kiosk, stay(kiosk, case, at_two, None))
    result = tracing.trace(storage, "079199012345", now=at_two + dt.timedelta(hours=3))
    [visit] = result.visits
    assert visit.closed == tracing.AUTO_CHECKOUT
    assert visit.end == at_two + dt.timedelta(hours=1)


def test_one_person_under_several_codes_is_found_from_one_number(
    storage: Storage, api: Api, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    """The case entered with a personal QR whose ID number was masked (key: the QID) and
    another day with the CCCD card: the CCCD number finds both, through the QR's sealed data
    (whose ID number field the kiosk kept)."""
    authority = api.storage.authority_key().public
    now = server_clock()
    by_qid = person_key(storage, "qid", "163000000000012345")
    by_id = person_key(storage, "id", "079199012345")
    upload(
        api,
        kiosk,
        [
            *stay(
                kiosk,
                by_id,
                now - dt.timedelta(days=2),
                now - dt.timedelta(days=2, hours=-1),
                fields={
                    "id_number": "079199012345",
                    "full_name": "Trần Thị Bích Ngọc",
                    "qid": "163000000000012345",
                },
                authority=authority,
            ),
            *stay(
                kiosk,
                by_qid,
                now - dt.timedelta(hours=5),
                now - dt.timedelta(hours=4),
                fields={"qid": "163000000000012345", "full_name": "TRAN THI BICH NGOC"},
                authority=authority,
            ),
        ],
    )
    result = tracing.trace(storage, "079199012345", now=now)
    assert len(result.visits) == 2
    assert set(result.keys) >= {by_id, by_qid}


def test_records_from_before_the_key_upgrade_are_traced_and_opened_with_the_new_ones(
    storage: Storage, api: Api, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    """Issue #13: a kiosk before the upgrade sent a fast-HMAC key and a version 1 box; after
    it, the memory-hard key and a bound, padded version 2 box. One CCCD number finds both
    visits, and both boxes open; a version 2 box whose person key was changed does not."""
    authority = api.storage.authority_key().public
    now = server_clock()
    secret = base64.b64decode(storage.person_key_secret())
    old_key = legacy_person_key(secret, "id", "079199012345")
    new_key = person_key(storage, "id", "079199012345")
    assert new_key.startswith("id2:") and old_key.startswith("id:") and old_key != new_key
    fields = {"id_number": "079199012345", "full_name": "Trần Thị Bích Ngọc"}
    before = stay(kiosk, old_key, now - dt.timedelta(days=3), now - dt.timedelta(days=3, hours=-1),
                  fields=fields, authority=authority, box_version=1)  # fmt: skip
    after = stay(kiosk, new_key, now - dt.timedelta(hours=3), now - dt.timedelta(hours=2),
                 fields=fields, authority=authority)  # fmt: skip
    moved = dict(after[0], event_id=str(uuid.uuid4()), person_key="id2:" + "0" * 32)
    moved["device_time"] = to_iso(now - dt.timedelta(hours=1))
    upload(api, kiosk, [*before, *after, moved])
    result = tracing.trace(storage, "079199012345", now=now, reveal_personal=True)
    assert len(result.visits) == 2
    assert {old_key, new_key} <= set(result.keys)
    opened = [p.opened if p else None for p in result.visit_personal]
    assert opened == ["yes", "yes"]
    # The box moved to another person's record (same event content, another key): refused.
    row = storage.events(None)
    box = next(e for e in row if e.event.event_id == moved["event_id"])
    got = reveal(
        storage.authority_key(),
        box.event.event_id,
        box.event.seal_key,
        base64.b64decode(box.event.sealed or ""),
        device_id=box.device_id,
        person_key=box.event.person_key,
    )
    assert got.opened == "damaged"


def test_the_trace_page_reveals_exports_and_audits(
    api: Api, accounts: Accounts, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    storage = api.storage
    authority = storage.authority_key().public
    now = server_clock()
    case = person_key(storage, "id", "079199012345")
    contact = person_key(storage, "qid", "163000000000012345")
    upload(
        api,
        kiosk,
        [
            *stay(
                kiosk,
                case,
                now - dt.timedelta(hours=2),
                now - dt.timedelta(hours=1),
                fields={"id_number": "079199012345", "full_name": "Trần Thị Bích Ngọc"},
                authority=authority,
            ),
            *stay(
                kiosk,
                contact,
                now - dt.timedelta(minutes=90),
                now - dt.timedelta(minutes=30),
                fields={
                    "full_name": '=HYPERLINK("http://x")',
                    "phone": "0912345678",
                    "qid": "163000000000012345",
                },
                authority=authority,
            ),
        ],
    )
    accounts.add("lan", "health-officer", PASSWORD, T0)
    officer = Browser(api)
    officer.login("lan")
    page = officer.post("/console/trace", person="079199012345")
    assert page.status_code == 200
    assert "0912 345 678" in page.text and "Chợ Bến Thành - cổng 2" in page.text
    assert "&#34;http://x&#34;" in page.text or "&quot;http://x&quot;" in page.text  # escaped
    exported = officer.post("/console/trace/export", person="079199012345")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["full_name"].startswith("'=")  # formula-safe for Excel
    assert rows[0]["together_min"] == "30"
    marked = officer.post(
        "/console/trace/mark",
        person="079199012345",
        contact=contact,
        colour="red",
        valid_until=(now + dt.timedelta(days=14)).date().isoformat(),
    )
    assert "Đã đánh dấu 1 người màu đỏ" in marked.text
    listed = {e.person_key: e.colour for e in storage.status_list().upserts}
    # The contact's key, and the key of the phone their code showed (any code they bring).
    assert listed[contact] == "red"
    assert listed[person_key(storage, "manual", "tel:0912345678")] == "red"
    actions = [(e.action, e.people) for e in audit.entries(storage.db)]
    assert (audit.TRACE, 1) in actions and (audit.REVEAL, 2) in actions
    assert (audit.EXPORT, 1) in actions and (audit.STATUS_CHANGE, 1) in actions
    # No identifier in the audit log.
    for entry in audit.entries(storage.db):
        assert "079199012345" not in str(entry) and "0912345678" not in str(entry)


def test_unknown_and_meaningless_identifiers_are_said_plainly(api: Api, accounts: Accounts) -> None:
    accounts.add("lan", "health-officer", PASSWORD, T0)
    officer = Browser(api)
    officer.login("lan")
    page = officer.post("/console/trace", person="001203099999")
    assert "Không có dữ liệu của người này" in page.text
    assert "số CCCD" in page.text and "contacts" not in page.text
    page = officer.post("/console/trace", person="xin chào")
    assert "Đây không phải số giấy tờ" in page.text


# -- status list, kiosks, demo ----------------------------------------------------------------


def test_status_list_by_identifier(api: Api, accounts: Accounts, kiosk: Kiosk) -> None:
    accounts.add("lan", "health-officer", PASSWORD, T0)
    officer = Browser(api)
    officer.login("lan")
    officer.refresh_token("/console/status")
    page = officer.post(
        "/console/status",
        person="079199012345",
        colour="red",
        valid_until="2026-12-09",
        action="set",
    )
    assert "Phiên bản 1: 1 mục." in page.text
    key = person_key(api.storage, "id", "079199012345")
    [entry] = api.storage.status_list().upserts
    assert (entry.person_key, entry.colour) == (key, "red")
    # The kiosks get it.
    answer = api.client.get("/api/v1/status-list", headers=kiosk.headers)
    change = StatusListChange.of(signed(answer, "status_list", kiosk.checkpoint_id))
    assert [u.person_key for u in change.upserts] == [key]
    page = officer.post("/console/status", person="079 199 012 345", action="lift")
    assert "Phiên bản 2: 0 mục." in page.text
    assert [e.action for e in audit.entries(api.storage.db)][:2] == [
        audit.STATUS_CHANGE,
        audit.STATUS_CHANGE,
    ]


def test_kiosk_reports_and_demo_events(api: Api, kiosk: Kiosk, server_clock: ServerClock) -> None:
    from central.console import sites

    headers = {**kiosk.headers, "X-Kiosk-Status": "v=0.1.0; waiting=12; clock=unsynced; demo=1"}
    assert api.client.get("/api/v1/config", headers=headers).status_code == 200
    [reported] = sites.kiosks(api.storage, kiosk.checkpoint_id)
    assert (reported.app_version, reported.waiting, reported.clock_synced, reported.demo) == (
        "0.1.0",
        12,
        False,
        True,
    )
    demo = kiosk.event(problems=["demo"])
    answer = api.client.post(
        "/api/v1/events", json=kiosk.envelope([demo]), headers=kiosk.headers
    ).json()
    assert answer["results"][0]["status"] == "rejected"
    assert answer["results"][0]["error"].startswith("demo:")
    assert api.storage.event_count() == 0


def test_every_word_has_its_vietnamese() -> None:
    used: set[str] = set()
    for template in (CONSOLE / "templates").glob("*.html"):
        used |= set(re.findall(r't\("((?:[^"\\]|\\.)+)"', template.read_text()))
        used |= set(re.findall(r"t\('((?:[^'\\]|\\.)+)'", template.read_text()))
    source = (CONSOLE / "web.py").read_text()
    used |= set(re.findall(r'ctx\.t\(\s*"((?:[^"\\]|\\.)+)"', source))
    used |= set(re.findall(r'PageError\(\s*\d+,\s*"((?:[^"\\]|\\.)+)"', source))
    used.add(FORM_EXPIRED)
    used |= set(KIND_LABELS.values()) | set(ROLE_LABELS.values())
    missing = sorted(u for u in used if u not in VI)
    assert not missing
    assert len(used) > 60


# -- the command line -------------------------------------------------------------------------


def test_trace_and_user_commands(
    db: Path | str,
    api: Api,
    kiosk: Kiosk,
    server_clock: ServerClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .test_cli import run
    from .test_live import db_option

    storage = api.storage
    authority = storage.authority_key().public
    now = dt.datetime.now(dt.UTC)
    # The command traces the last 14 days of the real clock; the server receives the upload now
    # (an event is never dated after its receipt).
    server_clock.now = now
    case = person_key(storage, "id", "079199012345")
    other = person_key(storage, "id", "001099012345")
    upload(
        api,
        kiosk,
        [
            *stay(kiosk, case, now - dt.timedelta(hours=2), now - dt.timedelta(hours=1)),
            *stay(
                kiosk,
                other,
                now - dt.timedelta(minutes=100),
                now - dt.timedelta(minutes=70),
                fields={"full_name": "Nguyễn Văn An", "phone": "0912345678"},
                authority=authority,
            ),
        ],
    )
    code, out, err = run(capsys, "trace", "001203099999", *db_option(db))
    assert code == 4 and "no record of this person" in err and out == ""
    code, out, err = run(capsys, "trace", "xin chào", *db_option(db))
    assert code == 4 and "not an ID" in err
    code, out, err = run(capsys, "trace", "079 199 012 345", *db_option(db))
    assert code == 0 and "Chợ Bến Thành - cổng 2" in out
    assert "Nguyễn Văn An" not in out and "0912345678" not in out  # nothing without --reveal
    assert "together 30 min" in out
    code, out, err = run(capsys, "trace", "079199012345", "--reveal", "--json", *db_option(db))
    lines = [json.loads(line) for line in out.splitlines()]
    [contact] = [line for line in lines if "person_key" in line]
    assert contact["personal"]["fields"]["phone"] == "0912345678"
    actions = [e.action for e in audit.entries(storage.db)]
    assert actions.count(audit.TRACE) == 3 and actions.count(audit.REVEAL) == 1
    # Accounts from the command line; the password from stdin.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, _, err = run(
        capsys,
        "user",
        "add",
        "minh",
        "--role",
        "site-manager",
        "--checkpoint",
        "Chợ Bến Thành - cổng 2",
        "--password-stdin",
        *db_option(db),
    )
    assert code == 0, err
    code, out, _ = run(capsys, "user", "list", "--json", *db_option(db))
    [listed] = [json.loads(line) for line in out.splitlines()]
    assert listed["checkpoints"] == [kiosk.checkpoint_id] and listed["role"] == "site-manager"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "user", "password", "minh", "--password-stdin", *db_option(db))
    assert code == 2 and "at least 10" in err
    code, _, _ = run(capsys, "user", "disable", "minh", *db_option(db))
    assert code == 0
    assert Accounts(storage.db).get("minh").disabled  # type: ignore[union-attr]


def test_overview_counts_on_the_database(api: Api, kiosk: Kiosk, server_clock: ServerClock) -> None:
    from central.console import sites

    storage = api.storage
    now = server_clock()  # 10:00 in Vietnam
    keys = [person_key(storage, "id", f"0791990123{i:02d}") for i in range(3)]
    events = [
        *stay(kiosk, keys[0], now - dt.timedelta(minutes=50), now - dt.timedelta(minutes=40)),
        *stay(kiosk, keys[1], now - dt.timedelta(minutes=30), None),
        *stay(kiosk, keys[2], now - dt.timedelta(days=2, minutes=5), None),
    ]
    upload(api, kiosk, events)
    data = sites.overview(storage, now)
    assert (data.registered, data.active_today, data.scans_today, data.people_today) == (1, 1, 3, 2)
    assert data.scans_week_average == pytest.approx(1 / 7)
    by_hour = dict(data.hourly)
    assert by_hour[dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)] == 3
    assert sum(by_hour.values()) == 4
    counts = sites.day_counts(
        storage,
        storage.checkpoint(kiosk.checkpoint_id),
        now.date(),
        now,  # type: ignore[arg-type]
    )
    assert (counts.entries, counts.exits, counts.inside_now) == (2, 1, 1)
    assert counts.hourly_in[9] == 2  # 09:10 and 09:30 in Vietnam
