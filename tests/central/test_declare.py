"""Health declarations on the server (central.declare): the API and its 422s, the rate limit,
sealed storage on both engines, the signing key's installation, and the audited reveal.
The browser tests of /declare are in test_declare_browser.py."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central.app import RateLimit
from central.console.audit import entries
from central.declare import texts
from central.declare.form import MAX_NAME_IN_CODE
from central.declare.service import (
    add_delegation,
    install_signer,
    load_signer,
    open_declaration,
)
from central.schema import declarations
from central.serving import Housekeeping
from central.storage import InvalidInput, Storage
from checkpoint_common.declaration import QUESTIONS, DeclarationKeys, SignatureStatus
from checkpoint_common.signing import SigningKey, delegate
from kiosk.credentials import PersonKeyer
from kiosk.formats import parse
from tests.central.test_cli import run
from tests.central.test_live import db_option

from .conftest import Api, ServerClock, make_api

ROOT = SigningKey.generate()
ONLINE = SigningKey.generate()
KEYER = PersonKeyer(b"k" * 32)


def delegation(
    key: SigningKey = ONLINE,
    *,
    types: tuple[str, ...] = ("declaration",),
    days: int = 90,
    now: dt.datetime,
    root: SigningKey = ROOT,
) -> dict[str, Any]:
    return delegate(
        root,
        key.public,
        types=types,
        not_after=now + dt.timedelta(days=days),
        version=1,
        issued_at=now - dt.timedelta(hours=1),
    ).to_json()


def answers(**yes: bool) -> dict[str, bool]:
    return {q.id: yes.get(q.id, False) for q in QUESTIONS}


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Trần Thị Bích Ngọc",
        "id_number": "079199012345",
        "birth_date": "1999-08-15",
        "gender": "female",
        "phone": "0912 345 678",
        "address": {"province": "TP. Hồ Chí Minh", "district": "Quận 1", "commune": "Bến Thành"},
        "answers": answers(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed(storage: Storage, server_clock: ServerClock) -> Storage:
    install_signer(
        storage, ONLINE, delegation(now=server_clock()), server_clock(), root=ROOT.public
    )
    return storage


@pytest.fixture
def dapi(signed: Storage, server_clock: ServerClock) -> Iterator[Api]:
    yield from make_api(signed, server_clock, declaration_rate_limit=None)


def kiosk_keys(api: Api) -> DeclarationKeys:
    served = api.client.get("/api/v1/declarations/keys")
    assert served.status_code == 200
    keys, refused = DeclarationKeys.from_delegations(
        served.json()["delegations"], root=ROOT.public, audience="cp", now=api.clock()
    )
    assert keys and not refused
    return keys


def test_the_questions_are_listed_with_both_languages(dapi: Api) -> None:
    response = dapi.client.get("/api/v1/declarations/questions")
    assert response.status_code == 200
    questions = response.json()["questions"]
    assert [q["id"] for q in questions] == [q.id for q in QUESTIONS]
    fever = questions[0]
    assert fever == {"id": "fever", "vi": "Sốt", "en": "Fever"}
    assert any("F0" in q["vi"] for q in questions)


def test_a_declaration_gets_a_signed_1405_code_that_a_kiosk_verifies(dapi: Api) -> None:
    response = dapi.client.post("/api/v1/declarations", json=body())
    assert response.status_code == 201, response.text
    answer = response.json()
    text = answer["qr_text"]
    fields = text.split("|")
    assert fields[:4] == ["079199012345", "TRAN THI BICH NGOC", "1999-08-15", "0"]
    assert len(fields[4]) == 18 and fields[4].isdigit()  # the QID the server issued
    ext = fields[5].split("<")
    assert ext[:4] == ["", "2", "", "0912345678"] and ext[4].isdigit()
    valid_until = dt.datetime.fromisoformat(answer["valid_until"].replace("Z", "+00:00"))
    assert valid_until - dapi.clock() <= dt.timedelta(hours=24)
    assert valid_until - dapi.clock() > dt.timedelta(hours=23, minutes=58)
    # What a kiosk reads: a personal QR code, its declaration signed and healthy.
    credential = parse(text, keyer=KEYER, declarations=kiosk_keys(dapi), now=dapi.clock())
    assert credential.kind.value == "personal_qr"
    assert credential.fields.signature is not None
    assert credential.fields.signature.value == "valid"
    assert credential.fields.declaration_summary == "healthy"
    assert credential.fields.declaration_valid_until == answer["valid_until"]
    # A reader that knows nothing of the signature still reads the 1405 code.
    plain = parse(text, keyer=KEYER)
    assert plain.kind.value == "personal_qr" and plain.fields.signature.value == "not_checked"
    assert plain.fields.full_name == "TRAN THI BICH NGOC" and plain.fields.phone == "0912345678"
    # The same person declaring again keeps the same QID.
    again = dapi.client.post("/api/v1/declarations", json=body(answers=answers(cough=True)))
    assert again.json()["qr_text"].split("|")[4] == fields[4]
    assert again.json()["summary"] == "symptoms"


def test_a_changed_character_makes_the_signature_invalid(dapi: Api) -> None:
    text = dapi.client.post("/api/v1/declarations", json=body()).json()["qr_text"]
    keys = kiosk_keys(dapi)
    for forged in (
        text.replace("NGOC", "NGOD"),
        text.replace("|1999-08-15|", "|1999-08-16|"),
        text[:-1] + ("1" if text[-1] != "1" else "2"),  # the signature's last digit
    ):
        assert forged != text
        credential = parse(forged, keyer=KEYER, declarations=keys, now=dapi.clock())
        assert credential.fields.signature is not None
        assert credential.fields.signature.value == "invalid", forged[:60]
        assert "declaration_signature_invalid" in credential.problems
    # Declared healthy changed to... the summary digit sits in the signed part too.
    slot = text.split("<")[-1]
    summary_at = len(text) - len(slot) + 12
    sick = text[:summary_at] + "1" + text[summary_at + 1 :]
    check = keys.check(sick)
    assert check is not None and check.status is SignatureStatus.INVALID


def test_khai_ho_makes_the_code_of_the_person_declared_for(dapi: Api) -> None:
    parent = {
        "full_name": "Nguyễn Văn Đức",
        "id_number": "001045012345",
        "birth_date": "1945-02-03",
        "gender": "male",
    }
    response = dapi.client.post(
        "/api/v1/declarations", json=body(proxy_for=parent, answers=answers(fever=True))
    )
    assert response.status_code == 201, response.text
    text = response.json()["qr_text"]
    fields = text.split("|")
    assert fields[:4] == ["001045012345", "NGUYEN VAN DUC", "1945-02-03", "1"]
    proxy_qid, gender, _, phone, _ = fields[5].split("<")
    mine = dapi.client.post("/api/v1/declarations", json=body()).json()["qr_text"].split("|")[4]
    assert proxy_qid == mine  # the declarer's QID
    assert gender == "1" and phone == "0912345678"  # no phone of his own: the declarer's
    credential = parse(text, keyer=KEYER, declarations=kiosk_keys(dapi), now=dapi.clock())
    assert credential.fields.proxy is True and credential.fields.proxy_qid == mine
    assert credential.fields.declaration_summary == "symptoms"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"full_name": None}, "full_name", "required"),
        ({"full_name": "Nguyễn 王"}, "full_name", "name_letters"),
        ({"full_name": "A " * MAX_NAME_IN_CODE}, "full_name", "name_long"),
        ({"id_number": "07919901234"}, "id_number", "id_length"),
        ({"birth_date": "2099-01-01"}, "birth_date", "future"),
        ({"birth_date": "15/08/1999"}, "birth_date", "date_format"),
        ({"gender": "other"}, "gender", "gender"),
        ({"gender": ["male"]}, "gender", "gender"),  # found by schemathesis: was a 500
        ({"phone": "+1 415 555 0100"}, "phone", "phone_vn"),
        ({"phone": "0212345678"}, "phone", "phone_vn"),
        ({"address": {"province": "Hà Nội"}}, "address.district", "required"),
        ({"answers": {"fever": False}}, "answers.cough", "yes_or_no"),
        ({"answers": {**answers(), "fever": "no"}}, "answers.fever", "yes_or_no"),
        ({"answers": None}, "answers", "required"),
        ({"proxy_for": {"full_name": "B"}}, "proxy_for.id_number", "required"),
        (
            {
                "proxy_for": {
                    "full_name": "Lê Văn Tám",
                    "id_number": "079199012345",
                    "birth_date": "1950-01-01",
                    "gender": "male",
                }
            },
            "proxy_for.id_number",
            "proxy_self",
        ),
    ],
)
def test_a_missing_or_bad_field_is_422_naming_it(
    dapi: Api, change: dict[str, Any], field: str, code: str
) -> None:
    data = body(**change)
    data = {k: v for k, v in data.items() if v is not None}
    response = dapi.client.post("/api/v1/declarations", json=data)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    found = {d["field"]: d for d in detail}
    assert field in found, detail
    assert found[field]["code"] == code
    assert found[field]["message"] == texts.problem("en", code)
    assert found[field]["message_vi"] == texts.problem("vi", code)
    with dapi.storage.db.query() as conn:
        assert conn.execute(select(declarations.c.id)).all() == []


def test_bodies_that_are_not_a_declaration(dapi: Api) -> None:
    assert dapi.client.post("/api/v1/declarations", content=b"{not json").status_code == 400
    response = dapi.client.post("/api/v1/declarations", json=[1, 2])
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "body"
    big = body(full_name="A" * 9000)
    assert dapi.client.post("/api/v1/declarations", json=big).status_code == 413


def test_the_api_is_in_the_openapi_document(dapi: Api) -> None:
    schema = dapi.client.get("/openapi.json").json()
    post = schema["paths"]["/api/v1/declarations"]["post"]
    assert "422" in post["responses"] and "201" in post["responses"]
    request = schema["components"]["schemas"]["DeclarationRequest"]
    assert {"full_name", "id_number", "birth_date", "gender", "phone", "address", "answers"} <= set(
        request["required"]
    )
    assert "proxy_for" in request["properties"]
    assert "/api/v1/declarations/questions" in schema["paths"]
    assert "/api/v1/declarations/keys" in schema["paths"]


def test_declarations_are_limited_per_address(signed: Storage, server_clock: ServerClock) -> None:
    ticks = [0.0]
    for api in make_api(
        signed,
        server_clock,
        declaration_rate_limit=RateLimit(per_minute=6, burst=3),
        monotonic=lambda: ticks[0],
    ):
        codes = [api.client.post("/api/v1/declarations", json=body()).status_code for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        refused = api.client.post("/api/v1/declarations", json=body())
        assert refused.headers["Retry-After"] == "10"
        ticks[0] += 10  # one more may pass after 10 s at 6 a minute
        assert api.client.post("/api/v1/declarations", json=body()).status_code == 201


def test_without_a_key_the_server_says_so(storage: Storage, server_clock: ServerClock) -> None:
    for api in make_api(storage, server_clock):
        response = api.client.post("/api/v1/declarations", json=body())
        assert response.status_code == 503 and response.json()["error"] == "not_set_up"
        assert api.client.get("/api/v1/declarations/keys").status_code == 404


def test_declarations_are_stored_sealed_and_open_with_the_authority_key(dapi: Api) -> None:
    dapi.client.post("/api/v1/declarations", json=body(answers=answers(contact_with_case=True)))
    [record] = list(dapi.storage.declarations())
    # Nothing of it in clear: not the name, the number, the phone, the address.
    with dapi.storage.db.query() as conn:
        raw = conn.execute(select(declarations)).one()
    clear = json.dumps([str(v) for v in raw]).encode()
    for secret in (b"079199012345", b"0912345678", b"Ng", b"TRAN", "Bến".encode()):
        assert secret not in clear and secret not in record.sealed
    assert len(record.sealed) % 512 == 61  # padded: 1 + 32 + 12 + 16 bytes of box around
    opened = open_declaration(dapi.storage.authority_key(), record)
    assert opened.opened == "yes"
    assert opened.content["person"]["full_name"] == "Trần Thị Bích Ngọc"
    assert opened.content["answers"]["contact_with_case"] is True
    assert opened.content["summary"] == "contact"


def test_the_key_is_installed_only_with_its_own_delegation(
    storage: Storage, server_clock: ServerClock
) -> None:
    now = server_clock()
    other = SigningKey.generate()
    with pytest.raises(InvalidInput, match="another key"):
        install_signer(storage, other, delegation(now=now), now, root=ROOT.public)
    with pytest.raises(InvalidInput, match="does not allow"):
        install_signer(storage, ONLINE, delegation(types=("config",), now=now), now)
    stranger = SigningKey.generate()
    with pytest.raises(InvalidInput, match="delegation"):
        install_signer(storage, ONLINE, delegation(now=now, root=stranger), now, root=ROOT.public)
    assert load_signer(storage) is None
    install_signer(storage, ONLINE, delegation(now=now), now, root=ROOT.public)
    # A new key: the old key's delegation stays served (its codes are still valid).
    install_signer(storage, other, delegation(other, now=now), now, root=ROOT.public)
    signer = load_signer(storage)
    assert signer is not None and signer.key.public == other.public
    assert len(signer.delegations) == 2


def test_the_command_line_installs_the_key_and_reveals_audited(
    db: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str], server_clock: ServerClock
) -> None:
    key_file = tmp_path / "online.key"
    key_file.write_bytes(ONLINE.to_pem())
    root_pub = tmp_path / "root.pub"
    root_pub.write_text(ROOT.public.to_text())
    delegation_file = tmp_path / "delegation.json"
    delegation_file.write_text(json.dumps(delegation(now=dt.datetime.now(dt.UTC))))
    code, _, err = run(
        capsys,
        "declaration-key",
        "--key",
        str(key_file),
        "--delegation",
        str(delegation_file),
        "--root",
        str(root_pub),
        *db_option(db),
    )
    assert code == 0, err
    code, out, _ = run(capsys, "declaration-key", "--show", "--delegations", *db_option(db))
    assert code == 0 and len(json.loads(out)["delegations"]) == 1
    with Storage.open(db) as storage:
        for api in make_api(storage, server_clock, declaration_rate_limit=None):
            assert api.client.post("/api/v1/declarations", json=body()).status_code == 201
    code, out, _ = run(capsys, "declarations", *db_option(db))
    assert code == 0 and "079199012345" not in out and "valid until" in out
    code, out, _ = run(capsys, "declarations", "--reveal", "--json", *db_option(db))
    assert code == 0
    [line] = out.splitlines()
    revealed = json.loads(line)
    assert revealed["opened"] == "yes"
    assert revealed["content"]["person"]["id_number"] == "079199012345"
    with Storage.open(db) as storage:
        actions = [(e.action, e.subject, e.people) for e in entries(storage.db)]
    assert ("reveal", "declarations", 1) in actions
    assert any(a == "declaration_key" for a, _, _ in actions)


def test_the_declaration_settings_are_server_managed(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "enrollment-code", "--checkpoint", "Bệnh viện", *db_option(db))[0] == 0
    code, out, err = run(
        capsys,
        "checkpoint-settings",
        "--checkpoint",
        "Bệnh viện",
        "accept_unsigned_personal_qr=false",
        "declaration_max_age_h=12",
        "declaration_refer_contact=no",
        *db_option(db),
    )
    assert code == 0, err
    settings = json.loads(out)["settings"]
    assert settings["accept_unsigned_personal_qr"] is False
    assert settings["declaration_max_age_h"] == 12
    assert settings["declaration_refer_contact"] is False
    code, _, err = run(
        capsys,
        "checkpoint-settings",
        "--checkpoint",
        "Bệnh viện",
        "declaration_refer_symptoms=maybe",
        *db_option(db),
    )
    assert code == 2 and "true or false" in err


def test_the_page_is_one_small_page_that_allows_no_script(dapi: Api) -> None:
    response = dapi.client.get("/declare")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script" not in csp
    assert "style-src 'sha256-" in csp and "img-src data:" in csp
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert "<script" not in html and "<link" not in html  # nothing else to load
    assert len(response.content) < 16 * 1024
    assert html.count('type="radio"') == 2 * len(QUESTIONS) + 2  # answers, and gender
    assert "checked" not in html


def test_housekeeping_deletes_declarations_21_days_after_their_validity(dapi: Api) -> None:
    assert dapi.client.post("/api/v1/declarations", json=body()).status_code == 201
    [record] = list(dapi.storage.declarations())
    # Events kept forever (retention 0): declarations still go, on their own schedule.
    almost = record.valid_until + dt.timedelta(days=20, hours=23)
    assert Housekeeping(dapi.storage, retention_days=0, clock=lambda: almost).run_once()
    assert len(list(dapi.storage.declarations())) == 1
    later = record.valid_until + dt.timedelta(days=21, minutes=1)
    assert Housekeeping(dapi.storage, retention_days=0, clock=lambda: later).run_once()
    assert list(dapi.storage.declarations()) == []


def test_a_leaked_key_is_ended_early_for_every_kiosk(
    storage: Storage, server_clock: ServerClock
) -> None:
    now = server_clock()
    install_signer(storage, ONLINE, delegation(now=now), now, root=ROOT.public)
    fresh = SigningKey.generate()
    install_signer(storage, fresh, delegation(fresh, now=now), now, root=ROOT.public)
    ended = delegate(
        ROOT, ONLINE.public, types=["declaration"], not_after=now, version=2,
        issued_at=now - dt.timedelta(hours=1),
    ).to_json()  # fmt: skip
    with pytest.raises(InvalidInput, match="current key"):
        add_delegation(storage, delegation(fresh, now=now), now, root=ROOT.public)
    signer = add_delegation(storage, ended, now + dt.timedelta(seconds=1), root=ROOT.public)
    assert signer.key.public == fresh.public  # the signer stays the new key
    keys, _ = DeclarationKeys.from_delegations(
        signer.delegations, root=ROOT.public, audience="cp", now=now
    )
    versions = {k.key: k.delegation.version for k in keys.keys}
    assert versions == {ONLINE.public: 2, fresh.public: 1}
    with pytest.raises(InvalidInput, match="not above"):
        add_delegation(storage, ended, now, root=ROOT.public)
