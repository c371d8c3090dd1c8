#!/usr/bin/env python3
"""`make screenshots` (second half): a PNG of every page of the central server's web console,
in Vietnamese and English, into docs/screenshots/console-NAME.LANG.png (desktop, 1280 wide,
whole page) and console-NAME.LANG.phone.png for the pages a health officer uses on a phone;
and the citizen's health declaration page `/declare` at 360 px in each of its states
(declare-STATE.LANG.png: the empty form, every error, the answer with its QR code, declaring
for someone else).

The real server (`kiosk-central serve` on 127.0.0.1, a temporary SQLite file) with data made
through the server's own storage the way kiosks deliver it: checkpoints, kiosks enrolled with
codes, two weeks of made-up visits whose personal data is sealed to the authority's key, a
case with contacts today. Pages are driven in Debian's chromium (tests/browser.py) as a health
officer, a site manager and an administrator would. Every name and number is invented.

    .venv/bin/python scripts/console_screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import random
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402

from central import tokens  # noqa: E402
from central.console import sites  # noqa: E402
from central.console.accounts import Accounts  # noqa: E402
from central.declare.service import install_signer  # noqa: E402
from central.schema import devices  # noqa: E402
from central.storage import Storage  # noqa: E402
from checkpoint_common.declaration import QUESTIONS  # noqa: E402
from checkpoint_common.personkey import derive_person_key  # noqa: E402
from checkpoint_common.protocol import DeviceStatus, EventPayload, StatusEntry, UploadRequest  # noqa: E402
from checkpoint_common.seal import PersonalData, seal_personal  # noqa: E402
from checkpoint_common.signing import SigningKey, delegate  # noqa: E402
from checkpoint_common.timefmt import to_iso  # noqa: E402
from tests.browser import chromium  # noqa: E402
from tests.central.test_live import start_server  # noqa: E402

PASSWORD = "mật khẩu minh họa 2026"
CASE_CCCD = "079199012345"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quang", "Bảo"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hoa",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Pasteur", "Điện Biên Phủ", "Cách Mạng Tháng 8"]

SITES = (
    ("Chợ Bến Thành - cổng 2", "Số 2 Lê Lợi", "TP. Hồ Chí Minh", "Quận 1", "Phường Bến Thành", 300),
    (
        "Phòng khám Đa khoa Quận 3",
        "Số 114 Trần Quốc Thảo",
        "TP. Hồ Chí Minh",
        "Quận 3",
        "Phường 7",
        80,
    ),
    (
        "Siêu thị Co.op Xa Lộ Hà Nội",
        "Số 191 Quang Trung",
        "TP. Hồ Chí Minh",
        "TP. Thủ Đức",
        "Phường Hiệp Phú",
        500,
    ),
    (
        "Bệnh viện Bạch Mai - cổng A",
        "Số 78 Giải Phóng",
        "Hà Nội",
        "Quận Đống Đa",
        "Phường Phương Mai",
        1000,
    ),
)


def mask(name: str) -> str:
    words = name.split()
    return " ".join([*(w[0] + "." for w in words[:-1]), words[-1]])


class Seeder:
    """Kiosks' deliveries, made through Storage.ingest as the API would store them."""

    def __init__(self, storage: Storage, now: dt.datetime) -> None:
        self.storage = storage
        self.now = now
        self.secret = base64.b64decode(storage.person_key_secret())
        self.authority = storage.authority_key().public
        self.seq = 0
        self.devices: dict[str, str] = {}

    def enroll(self, checkpoint_id: str, name: str) -> str:
        code = tokens.new_enrollment_code()
        self.storage.add_enrollment_code(
            checkpoint_id,
            tokens.code_digest(code),
            now=self.now,
            expires_at=self.now + dt.timedelta(days=1),
        )
        device_id = str(uuid.uuid4())
        self.storage.enroll(
            tokens.code_digest(code),
            device_id=device_id,
            device_name=name,
            token_sha256=tokens.token_digest(tokens.new_device_token()),
            now=self.now - dt.timedelta(days=15),
        )
        self.devices[checkpoint_id] = device_id
        return device_id

    def event(
        self, checkpoint_id: str, person: dict[str, str], direction: str, at: dt.datetime
    ) -> EventPayload:
        self.seq += 1
        event_id = str(uuid.uuid4())
        if person["kind"] == "manual":
            key = derive_person_key(self.secret, "manual", f"tel:{person['phone']}")
            fields = {"full_name": person["name"], "phone": person["phone"]}
        else:
            key = derive_person_key(self.secret, "id", person["id"])
            fields = {
                "id_number": person["id"],
                "full_name": person["name"],
                "address": person["address"],
            }
            if person["kind"] == "personal_qr":
                fields["phone"] = person["phone"]
        sealed = seal_personal(self.authority, event_id, PersonalData(None, fields, None))
        return EventPayload(
            event_id=event_id,
            seq=self.seq,
            checkpoint_id=checkpoint_id,
            person_key=key,
            kind=person["kind"],
            display_name=mask(person["name"]),
            birth_year=int(person["birth"]),
            direction=direction,
            verdict="admit",
            reason="entry" if direction == "in" else "exit",
            device_time=to_iso(at),
            mono_ns=0,
            boot_id="seed-events",  # no anchor for this boot: the synced device time stands
            clock_synced=True,
            seal_key=self.authority.key_id,
            sealed=base64.b64encode(sealed).decode(),
        )

    def deliver(self, checkpoint_id: str, events: list[EventPayload]) -> None:
        device = self.devices[checkpoint_id]
        for start in range(0, len(events), 500):
            batch = tuple(events[start : start + 500])
            self.storage.ingest(
                device, UploadRequest(device, "seed", to_iso(self.now), 0, batch), self.now
            )


def people(count: int, rng: random.Random) -> list[dict[str, str]]:
    made = []
    for i in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        kind = rng.choice(["cccd", "cccd", "personal_qr", "manual"])
        made.append(
            {
                "name": name,
                "kind": kind,
                "id": f"0{rng.randint(1, 96):02d}{rng.randint(0, 3)}{rng.randint(60, 99)}{i:06d}",
                "phone": f"09{rng.randint(10, 99)}{rng.randint(100000, 999999)}",
                "birth": str(rng.randint(1950, 2005)),
                "address": f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}, TP. Hồ Chí Minh",
            }
        )
    return made


def seed(storage: Storage, now: dt.datetime) -> dict[str, str]:
    rng = random.Random(2021)
    seeder = Seeder(storage, now)
    ids: dict[str, str] = {}
    for name, address, province, district, commune, capacity in SITES:
        cp = storage.ensure_checkpoint(name, now - dt.timedelta(days=20))
        storage.update_checkpoint_settings(cp.id, {"capacity": capacity, "auto_checkout_time": ""})
        sites.save_place(
            storage, cp.id, sites.Place(address, province, district, commune), "minh", now
        )
        ids[name] = cp.id
        for gate in ("cổng vào", "cổng ra"):
            device = seeder.enroll(cp.id, gate)
            sites.note_device_status(
                storage,
                device,
                DeviceStatus("0.1.0", rng.randint(0, 3), True, rng.randint(-400, 400), False),
                now,
            )
    crowd = people(160, rng)
    for name, cp_id in ids.items():
        if "Bạch Mai" in name:
            continue  # silent since two days: no deliveries
        events: list[EventPayload] = []
        for day in range(14, -1, -1):
            base = (now - dt.timedelta(days=day)).replace(hour=1, minute=0, second=0, microsecond=0)
            for person in rng.sample(crowd, rng.randint(10, 30)):
                start = base + dt.timedelta(minutes=rng.randint(0, 11 * 60))
                end = start + dt.timedelta(minutes=rng.randint(5, 90))
                if end > now - dt.timedelta(hours=4):
                    continue  # today's crowd left before the case came (a readable page)
                events.append(seeder.event(cp_id, person, "in", start))
                if end < now:
                    events.append(seeder.event(cp_id, person, "out", end))
        events.sort(key=lambda e: e.device_time)
        seeder.deliver(cp_id, events)
    # The case: the market this morning, the clinic an hour later; contacts around them.
    case = {
        "name": "Trần Thị Bích Ngọc",
        "kind": "cccd",
        "id": CASE_CCCD,
        "phone": "",
        "birth": "1999",
        "address": "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh",
    }
    market, clinic = ids[SITES[0][0]], ids[SITES[1][0]]
    t0 = now - dt.timedelta(hours=3)
    seeder.deliver(
        market,
        [
            seeder.event(market, case, "in", t0),
            seeder.event(market, case, "out", t0 + dt.timedelta(minutes=45)),
        ],
    )
    seeder.deliver(clinic, [seeder.event(clinic, case, "in", t0 + dt.timedelta(minutes=80))])
    contacts = people(6, random.Random(7))
    for i, person in enumerate(contacts[:4]):
        start = t0 + dt.timedelta(minutes=5 + 7 * i)
        end = start + dt.timedelta(minutes=20 + 10 * i)
        events = [seeder.event(market, person, "in", start)]
        if i != 3:
            events.append(seeder.event(market, person, "out", end))
        seeder.deliver(market, events)
    for person in contacts[4:]:
        seeder.deliver(
            clinic,
            [
                seeder.event(clinic, person, "in", t0 + dt.timedelta(minutes=85)),
                seeder.event(clinic, person, "out", t0 + dt.timedelta(minutes=120)),
            ],
        )
    # The silent hospital: its kiosks were last heard from two days ago.
    with storage.db.write() as conn:
        conn.execute(
            update(devices)
            .where(devices.c.checkpoint_id == ids[SITES[3][0]])
            .values(last_contact=now - dt.timedelta(days=2))
        )
    storage.change_status_list(
        {
            derive_person_key(seeder.secret, "id", crowd[0]["id"]): StatusEntry(
                "", "red", to_iso(now + dt.timedelta(days=10))
            ),
            derive_person_key(seeder.secret, "id", crowd[1]["id"]): StatusEntry(
                "", "yellow", to_iso(now + dt.timedelta(days=3))
            ),
        },
        now,
    )
    accounts = Accounts(storage.db)
    accounts.add("lan", "health-officer", PASSWORD, now)
    accounts.add("minh", "site-manager", PASSWORD, now, [market, clinic])
    accounts.add("admin", "admin", PASSWORD, now)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "central.db"
        now = dt.datetime.now(dt.UTC)
        with Storage.open(db) as storage:
            ids = seed(storage, now)
            install_declaration_key(storage, now)
        with start_server(db, "--declaration-rate-limit", "0") as server, chromium() as browser:
            shots: list[str] = []
            for lang in ("vi", "en"):
                shots += take(browser, server.url, ids, lang, out)
                shots += take_declare(browser, server.url, lang, out)
    for name in shots:
        print(out / name)
    return 0


def install_declaration_key(storage: Storage, now: dt.datetime) -> None:
    """A made-up authority: a root and an online key delegated `declaration` (the operator's
    steps are in docs/declarations.md)."""
    root, online = SigningKey.generate(), SigningKey.generate()
    delegation = delegate(
        root,
        online.public,
        types=["declaration"],
        not_after=now + dt.timedelta(days=90),
        version=1,
        issued_at=now - dt.timedelta(minutes=5),
    )
    install_signer(storage, online, delegation.to_json(), now, root=root.public)


def take_declare(browser: object, url: str, lang: str, out: Path) -> list[str]:
    """/declare as a citizen sees it on a cheap phone (360 px, JavaScript off)."""
    from playwright.sync_api import Browser, Page

    assert isinstance(browser, Browser)
    made: list[str] = []
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=1.5,
        java_script_enabled=False,
        locale="vi-VN" if lang == "vi" else "en-GB",
    )
    page = ctx.new_page()

    def shot(page: Page, name: str, *, full: bool = True) -> None:
        file = f"declare-{name}.{lang}.png"
        page.screenshot(path=str(out / file), full_page=full)
        made.append(file)

    def person(prefix: str, values: dict[str, str]) -> None:
        for name, value in values.items():
            if name == "gender":
                page.check(f"input[name='{prefix}gender'][value='{value}']")
            else:
                page.fill(f"input[name='{prefix}{name}']", value)

    def answer(yes: tuple[str, ...] = ()) -> None:
        for q in QUESTIONS:
            choice = "yes" if q.id in yes else "no"
            page.check(f"input[name='answers.{q.id}'][value='{choice}']")

    me = {
        "full_name": "Trần Thị Bích Ngọc",
        "id_number": "079199012345",
        "birth_date": "1999-08-15",
        "gender": "female",
        "phone": "0912345678",
        "address.province": "TP. Hồ Chí Minh",
        "address.district": "Quận 1",
        "address.commune": "Phường Bến Thành",
        "address.detail": "Số 12 Lê Lợi",
    }
    page.goto(f"{url}/declare?lang={lang}")
    shot(page, "form", full=False)
    person("", {**me, "id_number": "07919901234", "birth_date": "2099-08-15", "phone": "+1 415"})
    page.click("button[type=submit]")
    shot(page, "errors")
    person("", me)
    answer()
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    shot(page, "done")
    page.click("form.again button")
    person(
        "proxy_for.",
        {
            "full_name": "Nguyễn Văn Đức",
            "id_number": "001045012345",
            "birth_date": "1945-02-03",
            "gender": "male",
        },
    )
    answer(("cough",))
    page.check("input[name=consent]")
    shot(page, "proxy")
    page.click("button[type=submit]")
    shot(page, "proxy-done")
    ctx.close()
    return made


def take(browser: object, url: str, ids: dict[str, str], lang: str, out: Path) -> list[str]:
    from playwright.sync_api import Browser, Page

    assert isinstance(browser, Browser)
    made: list[str] = []

    def context(width: int, height: int, scale: float = 1) -> Page:
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        ctx.add_cookies([{"name": "kc_lang", "value": lang, "url": f"{url}/console/"}])
        return ctx.new_page()

    def shot(page: Page, name: str, *, phone: bool = False) -> None:
        file = f"console-{name}.{lang}{'.phone' if phone else ''}.png"
        page.screenshot(path=str(out / file), full_page=True)
        made.append(file)

    def login(page: Page, name: str) -> None:
        page.goto(f"{url}/console/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

    page = context(1280, 800)
    page.goto(f"{url}/console/login")
    shot(page, "login")
    login(page, "lan")
    shot(page, "trace-form")
    page.fill("input[name=person]", CASE_CCCD)
    page.click("form.trace-form button[type=submit]")
    page.wait_for_selector("#summary")
    shot(page, "trace-result")
    page.locator("table.contacts input[type=checkbox]").first.check()
    page.click("#mark")
    shot(page, "trace-marked")
    page.fill("form.trace-form input[name=person]", "0987 654 321")
    page.click("form.trace-form button[type=submit]")
    shot(page, "trace-no-record")
    page.goto(f"{url}/console/status")
    shot(page, "status-list")
    page.goto(f"{url}/console/overview")
    shot(page, "overview")
    phone = context(390, 844, 2)
    login(phone, "lan")
    phone.fill("input[name=person]", CASE_CCCD)
    phone.click("form.trace-form button[type=submit]")
    phone.wait_for_selector("#summary")
    shot(phone, "trace-result", phone=True)
    phone.context.close()
    page.context.close()

    page = context(1280, 800)
    login(page, "minh")
    shot(page, "sites")
    page.goto(f"{url}/console/sites/{ids[SITES[0][0]]}")
    shot(page, "site")
    page.click("#new-code")
    shot(page, "enrollment-code")
    page.goto(f"{url}/console/sites/new")
    shot(page, "site-new")
    page.context.close()
    phone = context(390, 844, 2)
    login(phone, "minh")
    phone.goto(f"{url}/console/sites/{ids[SITES[0][0]]}")
    shot(phone, "site", phone=True)
    phone.context.close()

    page = context(1280, 800)
    login(page, "admin")
    page.goto(f"{url}/console/audit")
    shot(page, "audit")
    page.context.close()
    return made


if __name__ == "__main__":
    sys.exit(main())
