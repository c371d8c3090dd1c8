"""The citizen's `/declare` page in a real browser (Debian's chromium, Playwright) at 360 px,
against the real server (`kiosk-central serve` on 127.0.0.1) set up with the operator's own
commands (a root key, an online key delegated `declaration`, `declaration-key`); the QR code on
the answer page read from a screenshot by the kiosk's own decoder (`kiosk decode`) and scanned
by kiosks (`kiosk scan`) that took the declaration keys offline (`kiosk declaration-keys
import`) or by their sync, and admit or refer as configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from central.declare import texts
from checkpoint_common.declaration import QUESTIONS
from checkpoint_common.signing import SigningKey
from tests.authority import set_up_authority_at
from tests.browser import chromium, chromium_path
from tests.central.test_live import Server, run_cli, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium is not installed (scripts/test installs it)"
)

WIDTH = 360
REQUIRED = (
    "full_name",
    "id_number",
    "birth_date",
    "gender",
    "phone",
    "address.province",
    "address.district",
    "address.commune",
)


@dataclass
class Deployment:
    server: Server
    db: Path
    root_pub: str
    delegations: Path  # what `kiosk-central declaration-key --show --delegations` printed
    shots: Path


def cli_ok(db: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    if db is None:
        done = subprocess.run(
            [sys.executable, "-m", "central.cli", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    else:
        done = run_cli(db, *args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("declare")
    db = root / "central.db"
    # The operator's steps (docs/declarations.md): root offline, online key, delegation.
    cli_ok(None, "authority", "make-root", "--out", str(root / "root.key"))
    cli_ok(None, "authority", "make-online", "--out", str(root / "online.key"))
    cli_ok(
        None,
        *("authority", "delegate", "--key", str(root / "root.key")),
        *("--to", str(root / "online.pub"), "--types", "declaration", "--version", "1"),
        *("-o", str(root / "delegation.json")),
    )
    cli_ok(
        db,
        *("declaration-key", "--key", str(root / "online.key")),
        *("--delegation", str(root / "delegation.json"), "--root", str(root / "root.pub")),
    )
    shown = cli_ok(db, "declaration-key", "--show", "--delegations")
    (root / "keys.json").write_text(shown.stdout)
    # The same root delegates the server's settings and status lists and signs its sealing key
    # (docs/central.md, "The authority's keys, offline"): a kiosk pinned to it syncs.
    set_up_authority_at(db, root=SigningKey.from_pem((root / "root.key").read_bytes()))
    with start_server(db, "--declaration-rate-limit", "0") as server:
        yield Deployment(
            server, db, (root / "root.pub").read_text().strip(), root / "keys.json", root
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740}, device_scale_factor=2, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def error_of(page: Page, name: str) -> str:
    locator = page.locator(f"#error-{name.replace('.', '-')}")
    return locator.inner_text() if locator.count() else ""


def fits_the_width(page: Page) -> bool:
    # CDP evaluation is not the page's script (the page has none, and JavaScript is off for
    # its own content): it only measures.
    return bool(page.evaluate("document.documentElement.scrollWidth") <= WIDTH)


def fill_person(page: Page, prefix: str = "", **values: str) -> None:
    for name, value in values.items():
        if name == "gender":
            page.check(f"input[name='{prefix}gender'][value='{value}']")
        else:
            page.fill(f"input[name='{prefix}{name}']", value)


GOOD = {
    "full_name": "Trần Thị Bích Ngọc",
    "id_number": "079199012345",
    "birth_date": "1999-08-15",
    "gender": "female",
    "phone": "0912345678",
    "address.province": "TP. Hồ Chí Minh",
    "address.district": "Quận 1",
    "address.commune": "Phường Bến Thành",
}


def answer_all(page: Page, **yes: bool) -> None:
    for q in QUESTIONS:
        page.check(f"input[name='answers.{q.id}'][value='{'yes' if yes.get(q.id) else 'no'}']")


def decode_screenshot(deployment: Deployment, page: Page, name: str) -> str:
    shot = deployment.shots / f"{name}.png"
    page.locator("#qr").screenshot(path=str(shot))
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "decode", str(shot)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = json.loads(done.stdout)["text"]
    assert isinstance(text, str), done.stdout
    return text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_form_at_360_px_shows_each_error_beside_its_field(
    deployment: Deployment, page: Page, lang: str
) -> None:
    page.goto(f"{deployment.server.url}/declare?lang={lang}")
    assert page.locator("h1").inner_text() == texts.text(lang, "title")
    assert fits_the_width(page)
    # Every answer is explicit: nothing chosen beforehand, no answer ticked for anyone.
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.locator("input[type=checkbox]:checked").count() == 0
    # Large touch targets: each answer and the button at least 44 px high.
    for selector in ("fieldset.question label", "button[type=submit]", "input[name=full_name]"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["height"] >= 44, selector
    # The privacy notice: what is kept, how long, who may read it.
    privacy = page.locator("#privacy").inner_text()
    assert texts.text(lang, "privacy_how_long", days=21) in privacy
    assert texts.text(lang, "privacy_who") in privacy

    # Sent empty: every field says what is missing, beside it.
    page.click("button[type=submit]")
    assert texts.text(lang, "fix_errors") in page.locator("#message").inner_text()
    for name in REQUIRED:
        assert error_of(page, name) == texts.problem(lang, "required"), name
    for q in QUESTIONS:
        assert error_of(page, f"answers.{q.id}") == texts.problem(lang, "yes_or_no")
    assert error_of(page, "consent") == texts.problem(lang, "consent")
    assert fits_the_width(page)
    page.screenshot(path=str(deployment.shots / f"declare-errors.{lang}.png"), full_page=True)

    # Wrong values: each one named beside its field; what was typed stays.
    fill_person(
        page,
        **{
            **GOOD,
            "id_number": "07919901234",
            "birth_date": "2099-01-01",
            "phone": "+1 415 555 0100",
            "bhyt_number": "DN40101",
        },
    )
    answer_all(page)
    page.click("button[type=submit]")
    assert error_of(page, "id_number") == texts.problem(lang, "id_length")
    assert error_of(page, "birth_date") == texts.problem(lang, "future")
    assert error_of(page, "phone") == texts.problem(lang, "phone_vn")
    assert error_of(page, "bhyt_number") == texts.problem(lang, "bhyt")
    assert error_of(page, "consent") == texts.problem(lang, "consent")
    assert error_of(page, "full_name") == ""
    assert page.input_value("input[name=full_name]") == GOOD["full_name"]
    assert page.locator("input[name='answers.fever'][value='no']").is_checked()
    name_too = page.locator("input[name=full_name]")
    name_too.fill("Nguyễn 王 An")
    page.click("button[type=submit]")
    assert error_of(page, "full_name") == texts.problem(lang, "name_letters")

    # Corrected and agreed: the code to save, valid 24 h, and its text.
    fill_person(page, **{**GOOD, "bhyt_number": ""})
    answer_all(page)
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == texts.text(lang, "done_title")
    assert page.locator("#summary").inner_text() == texts.text(lang, "done_healthy")
    assert fits_the_width(page)
    page.screenshot(path=str(deployment.shots / f"declare-done.{lang}.png"), full_page=True)
    text = (page.locator("#qr-text").text_content() or "").strip()
    assert text.startswith("079199012345|TRAN THI BICH NGOC|1999-08-15|0|")
    assert decode_screenshot(deployment, page, f"qr-{lang}") == text


class KioskCli:
    """A kiosk as its operator runs it: a data folder, a settings file, the `kiosk` command."""

    def __init__(self, root: Path, deployment: Deployment, **settings: Any) -> None:
        self.data = root / "data"
        self.config = root / "kiosk.toml"
        self.env = {**os.environ, "KIOSK_DATA_DIR": str(self.data), "PYTHONUTF8": "1"}
        self("config", "set", "authority_signing_key", deployment.root_pub)
        self("config", "set", "duplicate_window_s", "0")
        for key, value in settings.items():
            self("config", "set", key, str(value))

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "--config", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
            check=False,
        )
        assert done.returncode == code, (done.stdout, done.stderr)
        return done

    def scan(self, text: str) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self("scan", "--gate", "in", text).stdout)
        return result


def declare_in_browser(deployment: Deployment, page: Page, **yes: bool) -> str:
    page.goto(f"{deployment.server.url}/declare")
    fill_person(page, **GOOD)
    answer_all(page, **yes)
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    return decode_screenshot(deployment, page, "scanned")


def test_kiosks_admit_or_refer_the_code_read_from_the_screen(
    deployment: Deployment, page: Page, tmp_path: Path
) -> None:
    healthy = declare_in_browser(deployment, page)
    coughing = declare_in_browser(deployment, page, cough=True)

    # A kiosk that needs a declaration, the keys brought on a USB stick: no network at all.
    strict = KioskCli(
        tmp_path / "strict", deployment, declaration_max_age_h=12, accept_unsigned_personal_qr=False
    )
    strict("declaration-keys", "import", str(deployment.delegations))
    [parsed] = [json.loads(strict("parse", healthy).stdout)]
    assert parsed["fields"]["signature"] == "valid"
    assert parsed["fields"]["declaration_summary"] == "healthy"
    assert parsed["fields"]["declared_at"] and parsed["fields"]["declaration_valid_until"]
    outcome = strict.scan(healthy)
    assert (outcome["verdict"], outcome["reason"]) == ("admit", "entry")
    outcome = strict.scan(coughing)
    assert (outcome["verdict"], outcome["reason"]) == ("refer", "declaration_symptoms")
    # One changed character: refused.
    forged = healthy.replace("|1999-08-15|", "|1999-08-16|")
    assert json.loads(strict("parse", forged).stdout)["fields"]["signature"] == "invalid"
    outcome = strict.scan(forged)
    assert (outcome["verdict"], outcome["reason"]) == ("deny", "declaration_signature_invalid")
    # A national code without a declaration: this site takes only declared codes.
    national = healthy.rsplit("<", 1)[0]
    outcome = strict.scan(national)
    assert (outcome["verdict"], outcome["reason"]) == ("deny", "personal_qr_unsigned")

    # A kiosk as shipped: the signed code and the national one both come in.
    relaxed = KioskCli(tmp_path / "relaxed", deployment, declaration_refer_symptoms="false")
    relaxed("declaration-keys", "import", str(deployment.delegations))
    assert relaxed.scan(national)["verdict"] == "admit"
    assert relaxed.scan(coughing)["verdict"] == "admit"  # this site does not refer on symptoms

    # A kiosk with no key known yet: the code is read, its declaration not_checked, and a site
    # that needs one refers the person (never admits on a signature it cannot check).
    unknown = KioskCli(tmp_path / "unknown", deployment, declaration_max_age_h=12)
    assert json.loads(unknown("parse", healthy).stdout)["fields"]["signature"] == "not_checked"
    outcome = unknown.scan(healthy)
    assert (outcome["verdict"], outcome["reason"]) == ("refer", "declaration_missing")
    # A kiosk pinned to another root refuses the keys.
    other = KioskCli(tmp_path / "other", deployment)
    stranger = SigningKey.generate().public.to_text()
    other("config", "set", "authority_signing_key", stranger)
    refused = other("declaration-keys", "import", str(deployment.delegations), code=2)
    assert "document_" in refused.stderr


def test_a_kiosk_learns_the_keys_by_its_sync(deployment: Deployment, tmp_path: Path) -> None:
    made = run_cli(deployment.db, "enrollment-code", "--checkpoint", "Chợ Bến Thành")
    assert made.returncode == 0, made.stderr
    kiosk = KioskCli(tmp_path / "synced", deployment, declaration_max_age_h=12)
    kiosk("enroll", deployment.server.url, made.stdout.strip())
    shown = [json.loads(line) for line in kiosk("declaration-keys", "show").stdout.splitlines()]
    assert len(shown) == 1 and shown[0]["delegation_version"] == 1
    code = json_post(deployment, "/api/v1/declarations")["qr_text"]
    outcome = kiosk.scan(code)
    assert (outcome["verdict"], outcome["reason"]) == ("admit", "entry")


def json_post(deployment: Deployment, path: str) -> dict[str, Any]:
    import requests

    data = {
        "full_name": "Lê Văn Tám",
        "id_number": "001090000111",
        "birth_date": "1990-01-01",
        "gender": "male",
        "phone": "+84 912 000 111",
        "address": {"province": "Hà Nội", "district": "Ba Đình", "commune": "Kim Mã"},
        "answers": {q.id: False for q in QUESTIONS},
    }
    response = requests.post(deployment.server.url + path, json=data, timeout=(5, 30))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_declaring_for_someone_else_from_the_answer_page(
    deployment: Deployment, page: Page
) -> None:
    page.goto(f"{deployment.server.url}/declare?lang=vi")
    fill_person(page, **GOOD)
    answer_all(page)
    page.check("input[name=consent]")
    page.click("button[type=submit]")
    page.click(f"text={texts.text('vi', 'for_other')}")
    # The declarer's details come along; the person declared for is asked for.
    assert page.input_value("input[name=full_name]") == GOOD["full_name"]
    assert page.input_value("input[name='proxy_for.full_name']") == ""
    assert fits_the_width(page)
    fill_person(
        page,
        "proxy_for.",
        full_name="Nguyễn Văn Đức",
        id_number="001045012345",
        birth_date="1945-02-03",
        gender="male",
    )
    answer_all(page, fever=True)
    page.check("input[name=consent]")
    page.screenshot(path=str(deployment.shots / "declare-proxy.vi.png"), full_page=True)
    page.click("button[type=submit]")
    assert page.locator("#summary").inner_text() == texts.text("vi", "done_risk")
    text = (page.locator("#qr-text").text_content() or "").strip()
    assert text.startswith("001045012345|NGUYEN VAN DUC|1945-02-03|1|")
    assert decode_screenshot(deployment, page, "proxy") == text
