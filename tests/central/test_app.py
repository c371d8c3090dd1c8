"""The HTTP API with FastAPI's TestClient: enrollment, upload, errors, auth, downloads with
ETags, rate limit, OpenAPI, the overview page. Real SQLite files; the server clock is injected."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central import database as database_module
from central import tokens
from central.app import RateLimit
from central.storage import Storage
from checkpoint_common.protocol import (
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    EnrollResponse,
    StatusEntry,
    UploadResponse,
)
from checkpoint_common.signing import (
    StatusListChange,
    sealing_key_of,
)
from checkpoint_common.timefmt import from_iso, to_iso
from tests.authority import ROOT_FINGERPRINT, ROOT_TEXT, publish_trust_list, signed, verify

from .conftest import T0, Api, Kiosk, S, ServerClock, gzipped, make_api, new_code

EVENTS = "/api/v1/events"


def post_events(api: Api, kiosk: Kiosk, body: Any, *, gzip_it: bool = True) -> Any:
    if gzip_it:
        return api.client.post(
            EVENTS,
            content=gzipped(body),
            headers={**kiosk.headers, "Content-Encoding": "gzip"},
        )
    return api.client.post(EVENTS, content=json.dumps(body), headers=kiosk.headers)


def statuses(response: Any) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    parsed = UploadResponse.from_json(response.json())
    return [(r.status, r.error) for r in parsed.results]


# -- enrollment -------------------------------------------------------------------------------


def test_enrollment_gives_token_checkpoint_settings_and_the_deployment_secret(api: Api) -> None:
    code = new_code(api.storage, "Chợ Bến Thành - cổng 2", T0)
    cp = api.storage.checkpoints()[0]
    api.storage.update_checkpoint_settings(cp.id, {"capacity": 300})
    response = api.client.post(
        "/api/v1/enroll", json={"code": code, "device_id": "dev-9", "device_name": "cổng 1"}
    )
    assert response.status_code == 200
    body = EnrollResponse.from_json(response.json())
    assert body.device_id == "dev-9"
    assert (body.checkpoint.id, body.checkpoint.name) == (cp.id, "Chợ Bến Thành - cổng 2")
    # Nothing unsigned that a kiosk would believe: its settings come in the signed config.
    assert body.settings == {}
    assert body.person_key_secret == api.storage.person_key_secret()
    assert from_iso(body.server_time) == T0
    config = api.client.get(
        "/api/v1/config", headers={"Authorization": f"Bearer {body.device_token}"}
    )
    assert config.status_code == 200
    document = signed(config, "config", cp.id)
    assert document.content["settings"] == {
        "capacity": 300,
        "checkpoint_name": "Chợ Bến Thành - cổng 2",
    }
    # The key kiosks seal personal data to comes only as a root-signed document.
    sealing = api.client.get("/api/v1/documents/sealing_key", headers=config.request.headers)
    [envelope] = sealing.json()["documents"]
    sealed_to = sealing_key_of(verify(json.dumps(envelope).encode(), "sealing_key", cp.id))
    assert sealed_to == api.storage.authority_key().public


def test_an_enrollment_code_is_one_time_and_expires(api: Api, server_clock: ServerClock) -> None:
    code = new_code(api.storage, "Gate", T0, hours=24)
    first = api.client.post("/api/v1/enroll", json={"code": code, "device_id": "a"})
    assert first.status_code == 200
    second = api.client.post("/api/v1/enroll", json={"code": code, "device_id": "b"})
    assert second.status_code == 403
    assert second.json()["error"] == "enrollment_code_invalid"
    expiring = new_code(api.storage, "Gate", T0, hours=24)
    server_clock.advance(24 * 3600 + 1)
    late = api.client.post("/api/v1/enroll", json={"code": expiring, "device_id": "c"})
    assert (late.status_code, late.json()["error"]) == (403, "enrollment_code_invalid")
    unknown = api.client.post("/api/v1/enroll", json={"code": "AAAA-BBBB-CCCC", "device_id": "d"})
    assert unknown.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"code": 5, "device_id": "x"}',
        b'{"code": "AAAA", "device_id": ""}',
        b'{"code": "AAAA", "device_id": "x\\u0000y"}',
        b'{"code": "AAAA"}',
        b"\xff\xfe",
    ],
)
def test_a_broken_enrollment_request_is_400(api: Api, body: bytes) -> None:
    response = api.client.post(
        "/api/v1/enroll", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request"
    assert "server_time" in response.json()


def test_enrolling_again_retires_the_old_token(api: Api) -> None:
    first = api.enroll("A", "dev-1")
    # Enrolling an enrolled device id again takes its current token (it is that device) ...
    second = api.enroll("B", "dev-1", current_token=first.token)
    assert api.client.get("/api/v1/config", headers=first.headers).status_code == 401
    config = api.client.get("/api/v1/config", headers=second.headers)
    assert signed(config, "config", second.checkpoint_id).content["checkpoint"]["name"] == "B"


def test_an_enrolled_device_id_is_not_taken_over_without_its_token(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    victim = api.enroll("Chợ A", "dev-1")
    # Device ids are not secret: an intruder with any code tries to take this one.
    code = new_code(api.storage, "Intruder's gate", T0)
    caplog.set_level(logging.WARNING)
    for current in (None, "a token it guessed", victim.token[:-1] + "x"):
        taken = api.client.post(
            "/api/v1/enroll",
            json={"code": code, "device_id": "dev-1", "current_token": current},
        )
        assert (taken.status_code, taken.json()["error"]) == (409, "device_enrolled")
        assert "--replace" in taken.json()["detail"]
    # Nothing changed: the kiosk's token works, its checkpoint is the same, the code unused.
    config = api.client.get("/api/v1/config", headers=victim.headers)
    assert signed(config, "config", victim.checkpoint_id).content["checkpoint"]["name"] == "Chợ A"
    assert "device dev-1 is enrolled already" in caplog.text
    fresh = api.client.post("/api/v1/enroll", json={"code": code, "device_id": "dev-2"})
    assert fresh.status_code == 200


def test_a_code_issued_to_replace_a_device_enrolls_only_that_device(api: Api) -> None:
    lost = api.enroll("Chợ A", "dev-1")  # its data folder was lost with its token
    api.storage.revoke_device("dev-1", T0)
    cp = api.storage.ensure_checkpoint("Chợ A", T0)
    code = tokens.new_enrollment_code()
    api.storage.add_enrollment_code(
        cp.id,
        tokens.code_digest(code),
        now=T0,
        expires_at=T0 + dt.timedelta(hours=1),
        replaces_device="dev-1",
    )
    other = api.client.post("/api/v1/enroll", json={"code": code, "device_id": "dev-2"})
    assert (other.status_code, other.json()["error"]) == (403, "enrollment_code_invalid")
    # A revoked device's own token proves nothing any more: the code does.
    back = api.client.post(
        "/api/v1/enroll", json={"code": code, "device_id": "dev-1", "current_token": lost.token}
    )
    assert back.status_code == 200
    headers = {"Authorization": f"Bearer {back.json()['device_token']}"}
    assert api.client.get("/api/v1/config", headers=headers).status_code == 200


# -- upload -------------------------------------------------------------------------------------


def test_upload_replay_and_conflict(
    api: Api, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    events = [kiosk.event(seq=i, mono_ns=(1000 + i) * S) for i in range(3)]
    assert statuses(post_events(api, kiosk, kiosk.envelope(events))) == [("stored", None)] * 3
    # The response was lost; the kiosk sends again, in another batch composition.
    replay = [events[2], kiosk.event(seq=3), events[0]]
    assert statuses(post_events(api, kiosk, kiosk.envelope(replay), gzip_it=False)) == [
        ("duplicate", None),
        ("stored", None),
        ("duplicate", None),
    ]
    caplog.set_level(logging.INFO)
    changed = {**events[1], "verdict": "deny", "display_name": "Trần Thị Riêng Tư"}
    assert statuses(post_events(api, kiosk, kiosk.envelope([changed]))) == [
        ("rejected", "conflict")
    ]
    assert events[1]["event_id"] in caplog.text
    assert "Riêng Tư" not in caplog.text
    assert kiosk.token not in caplog.text
    assert api.storage.event_count() == 4


def test_each_invalid_event_is_rejected_alone(api: Api, kiosk: Kiosk) -> None:
    good = kiosk.event()
    bad_direction = kiosk.event(direction="sideways")
    missing = kiosk.event()
    del missing["person_key"]
    results = statuses(
        post_events(api, kiosk, kiosk.envelope([bad_direction, "not an object", missing, good]))
    )
    assert results[0][0] == "rejected" and "direction" in (results[0][1] or "")
    assert results[1][0] == "rejected"
    assert results[2] == ("rejected", "person_key: missing")
    assert results[3] == ("stored", None)
    body = post_events(api, kiosk, kiosk.envelope([bad_direction])).json()
    assert body["results"][0]["event_id"] == bad_direction["event_id"]


def test_a_lone_surrogate_event_id_is_rejected_and_echoed(api: Api, kiosk: Kiosk) -> None:
    odd = kiosk.event(event_id="\ud800")
    response = post_events(api, kiosk, kiosk.envelope([odd, kiosk.event()]))
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert (first["event_id"], first["status"]) == ("\ud800", "rejected")
    assert second["status"] == "stored"


def test_an_empty_batch_is_fine(api: Api, kiosk: Kiosk) -> None:
    assert statuses(post_events(api, kiosk, kiosk.envelope([]))) == []


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"garbage", {}),
        (b"garbage", {"Content-Encoding": "gzip"}),
        (gzip.compress(b"{not json"), {"Content-Encoding": "gzip"}),
        (gzip.compress(b"{}")[:-4], {"Content-Encoding": "gzip"}),  # truncated
        (gzip.compress(b"{}") + b"trailing", {"Content-Encoding": "gzip"}),
        (zlib.compress(b"{}"), {"Content-Encoding": "deflate"}),
        (b"[]", {}),
        (b'{"events": []}', {}),
        ('{"a": ' * 100_000, {}),  # deep nesting
        (b"1" * 5000, {}),  # an integer too long to convert
    ],
)
def test_a_broken_envelope_is_400(
    api: Api, kiosk: Kiosk, content: bytes | str, headers: dict[str, str]
) -> None:
    response = api.client.post(EVENTS, content=content, headers={**kiosk.headers, **headers})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("device_id", None),
        ("boot_id", ""),
        ("boot_id", "b" * 201),
        ("sent_at", 5),
        ("sent_mono_ns", "5"),
        ("sent_mono_ns", True),
        ("sent_mono_ns", 2**64),
        ("events", {}),
    ],
)
def test_envelope_fields_are_checked(api: Api, kiosk: Kiosk, field: str, value: Any) -> None:
    body = kiosk.envelope([kiosk.event()])
    body[field] = value
    response = post_events(api, kiosk, body)
    assert response.status_code == 400, response.text
    assert api.storage.event_count() == 0


def test_another_devices_id_in_the_envelope_is_400(api: Api, kiosk: Kiosk) -> None:
    body = kiosk.envelope([kiosk.event()])
    body["device_id"] = "someone-else"
    response = post_events(api, kiosk, body)
    assert (response.status_code, response.json()["error"]) == (400, "device_mismatch")


def test_too_many_events_is_413(api: Api, kiosk: Kiosk) -> None:
    events = [kiosk.event(seq=i) for i in range(MAX_BATCH_EVENTS + 1)]
    response = post_events(api, kiosk, kiosk.envelope(events))
    assert response.status_code == 413
    assert api.storage.event_count() == 0
    assert statuses(post_events(api, kiosk, kiosk.envelope(events[:MAX_BATCH_EVENTS])))


def test_too_large_is_413_plain_and_gzip(api: Api, kiosk: Kiosk) -> None:
    plain = b" " * (MAX_BODY_BYTES + 1)
    response = api.client.post(EVENTS, content=plain, headers=kiosk.headers)
    assert response.status_code == 413
    # A small gzip body that inflates past the limit (a "zip bomb").
    bomb = gzip.compress(b" " * (MAX_BODY_BYTES + 10))
    assert len(bomb) < 10_000
    response = api.client.post(
        EVENTS, content=bomb, headers={**kiosk.headers, "Content-Encoding": "gzip"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    # Exactly at the limit is fine.
    body = json.dumps(kiosk.envelope([kiosk.event()])).encode()
    at_limit = body + b" " * (MAX_BODY_BYTES - len(body))
    response = api.client.post(
        EVENTS,
        content=gzip.compress(at_limit),
        headers={**kiosk.headers, "Content-Encoding": "gzip"},
    )
    assert statuses(response) == [("stored", None)]


# -- clock correction over HTTP ----------------------------------------------------------------


def test_a_kiosk_two_days_behind_gets_corrected_times(
    api: Api, kiosk: Kiosk, server_clock: ServerClock
) -> None:
    server_clock.now = T0 + dt.timedelta(hours=5)
    behind = dt.timedelta(days=2)
    sent_mono = 50_000 * S
    kiosk_now = server_clock.now - behind
    events = [
        kiosk.event(
            seq=i,
            mono_ns=sent_mono - (300 * (3 - i)) * S,
            device_time=to_iso(kiosk_now - dt.timedelta(seconds=300 * (3 - i))),
            clock_synced=False,
        )
        for i in range(3)
    ]
    unanchored = kiosk.event(
        seq=9, boot_id="boot-old", device_time=to_iso(kiosk_now - dt.timedelta(days=1))
    )
    unanchored["clock_synced"] = False
    body = kiosk.envelope([*events, unanchored], sent_mono_ns=sent_mono, sent_at=to_iso(kiosk_now))
    assert {s for s, _ in statuses(post_events(api, kiosk, body))} == {"stored"}
    stored = {e.event.event_id: e for e in api.storage.events()}
    for i, event in enumerate(events):
        item = stored[event["event_id"]]
        assert item.clock_flag == "corrected"
        assert item.corrected_time == server_clock.now - dt.timedelta(seconds=300 * (3 - i))
        assert item.event.device_time == event["device_time"]  # kept as sent
    old = stored[unanchored["event_id"]]
    assert old.clock_flag == "unverified"
    assert old.corrected_time == from_iso(unanchored["device_time"])


# -- authentication -----------------------------------------------------------------------------


def protected_operations(api: Api) -> list[tuple[str, str]]:
    """Every operation the OpenAPI document marks as needing the device token."""
    schema = api.client.get("/openapi.json").json()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if operation.get("security"):
                found.append((method.upper(), path))
    return found


def test_the_protected_endpoints_are_the_expected_ones(api: Api) -> None:
    assert sorted(protected_operations(api)) == [
        ("GET", "/api/v1/config"),
        ("GET", "/api/v1/documents/{doc_type}"),
        ("GET", "/api/v1/status-list"),
        ("POST", "/api/v1/events"),
    ]


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer nope", "Basic dXNlcjpwYXNz", "bearer x y", "Token abc"],
)
def test_every_protected_endpoint_is_401_without_a_valid_token(
    api: Api, kiosk: Kiosk, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in protected_operations(api):
        # Garbage everywhere else: authentication is decided first.
        response = api.client.request(
            method,
            path,
            params={"since": "garbage"},
            content=b"\x00garbage" * 1000,
            headers={**headers, "Content-Encoding": "gzip"},
        )
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthorized"


def test_a_revoked_device_gets_403_everywhere(api: Api, kiosk: Kiosk) -> None:
    api.storage.revoke_device(kiosk.device_id, T0)
    for method, path in protected_operations(api):
        response = api.client.request(method, path, headers=kiosk.headers)
        assert response.status_code == 403, (method, path)
        assert response.json()["error"] == "device_revoked"


# -- downloads ----------------------------------------------------------------------------------


def test_config_signed_etag_and_304(api: Api, kiosk: Kiosk) -> None:
    first = api.client.get("/api/v1/config", headers=kiosk.headers)
    assert first.status_code == 200
    config = signed(first, "config", kiosk.checkpoint_id)
    assert first.headers["ETag"] == f'"{config.version}"'
    assert config.content["checkpoint"]["id"] == kiosk.checkpoint_id
    assert config.audience == kiosk.checkpoint_id
    same = api.client.get(
        "/api/v1/config", headers={**kiosk.headers, "If-None-Match": first.headers["ETag"]}
    )
    assert (same.status_code, same.content) == (304, b"")
    assert same.headers["ETag"] == first.headers["ETag"]
    api.storage.update_checkpoint_settings(kiosk.checkpoint_id, {"capacity": 50})
    changed = api.client.get(
        "/api/v1/config", headers={**kiosk.headers, "If-None-Match": first.headers["ETag"]}
    )
    assert changed.status_code == 200
    newer = signed(changed, "config", kiosk.checkpoint_id, last_version=config.version)
    assert newer.content["settings"]["capacity"] == 50
    assert changed.headers["ETag"] != first.headers["ETag"]
    # The bare version (unquoted) matches too.
    bare = api.client.get(
        "/api/v1/config", headers={**kiosk.headers, "If-None-Match": str(newer.version)}
    )
    assert bare.status_code == 304


def test_without_a_delegation_nothing_is_signed(tmp_path: Path, server_clock: ServerClock) -> None:
    from fastapi.testclient import TestClient

    from central.app import create_app

    with (
        Storage.open(tmp_path / "bare.db") as storage,
        TestClient(create_app(storage, clock=server_clock)) as client,
    ):
        code = new_code(storage, "Gate", T0)
        token = client.post("/api/v1/enroll", json={"code": code, "device_id": "d"}).json()[
            "device_token"
        ]
        response = client.get("/api/v1/config", headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.json()["error"]) == (503, "not_signed")
        assert "kiosk-central publish" in response.json()["detail"]
        assert client.get("/api/v1/authority").status_code == 404


def test_status_list_signed_full_incremental_and_304(api: Api, kiosk: Kiosk) -> None:
    empty = api.client.get("/api/v1/status-list", headers=kiosk.headers)
    assert (empty.status_code, empty.json()["error"]) == (404, "status_list_not_loaded")
    api.storage.load_status_list(
        [StatusEntry("a", "red", "2026-12-01T00:00:00Z"), StatusEntry("b", "yellow")], T0
    )
    api.clock.advance(60)
    api.storage.load_status_list([StatusEntry("a", "green"), StatusEntry("c", "red")], api.clock())
    full = api.client.get("/api/v1/status-list", headers=kiosk.headers)
    document = signed(full, "status_list", kiosk.checkpoint_id)
    body = StatusListChange.of(document)
    assert (body.version, body.full, body.removed, body.count) == (2, True, (), 2)
    assert [(e.person_key, e.colour) for e in body.upserts] == [("a", "green"), ("c", "red")]
    # Issued when version 2 was made: its age on a kiosk is the list's own.
    assert document.issued_at == api.clock()
    assert full.headers["ETag"] == '"2"'
    changes = api.client.get("/api/v1/status-list", params={"since": 1}, headers=kiosk.headers)
    batch = StatusListChange.of(signed(changes, "status_list", kiosk.checkpoint_id))
    assert (batch.full, batch.since, batch.removed, batch.count) == (False, 1, ("b",), 2)
    assert [e.person_key for e in batch.upserts] == ["a", "c"]
    unknown = api.client.get("/api/v1/status-list", params={"since": 77}, headers=kiosk.headers)
    assert StatusListChange.of(signed(unknown, "status_list", kiosk.checkpoint_id)).full
    same = api.client.get(
        "/api/v1/status-list",
        params={"since": 2},
        headers={**kiosk.headers, "If-None-Match": '"2"'},
    )
    assert same.status_code == 304
    negative = api.client.get("/api/v1/status-list", params={"since": -1}, headers=kiosk.headers)
    assert negative.status_code == 422
    assert "server_time" in negative.json()


def test_published_documents_are_served_as_signed(api: Api, kiosk: Kiosk) -> None:
    none = api.client.get("/api/v1/documents/trust_list", headers=kiosk.headers)
    assert none.json()["documents"] == []
    content = {"version": "2026-11-25.1", "keys": []}
    publish_trust_list(api.storage, content, version=3, now=api.clock())
    got = api.client.get("/api/v1/documents/trust_list", headers=kiosk.headers)
    [envelope] = got.json()["documents"]
    document = verify(json.dumps(envelope).encode(), "trust_list", kiosk.checkpoint_id)
    assert (document.version, document.content) == (3, content)
    # Configs and status lists are signed by the server itself, never published.
    unknown = api.client.get("/api/v1/documents/config", headers=kiosk.headers)
    assert unknown.status_code == 422
    authority = api.client.get("/api/v1/authority").json()
    assert (authority["root_key"], authority["fingerprint"]) == (ROOT_TEXT, ROOT_FINGERPRINT)


# -- cross-cutting --------------------------------------------------------------------------------


def test_every_response_has_a_date_header_and_json_has_server_time(api: Api, kiosk: Kiosk) -> None:
    config = api.client.get("/api/v1/config", headers=kiosk.headers)
    # A signed document is its envelope, byte for byte: the time is in the Date header only.
    assert config.headers["Date"] == "Wed, 25 Nov 2026 03:00:00 GMT"
    assert set(config.json()) == {"format", "body", "signer", "signature", "delegation"}
    responses = [
        api.client.get("/api/v1/authority"),
        api.client.get("/api/v1/config"),
        api.client.get("/api/v1/nope"),
        api.client.put("/api/v1/config", headers=kiosk.headers),
        api.client.get("/api/v1/documents/trust_list", headers=kiosk.headers),
        api.client.post(EVENTS, content=b"x", headers=kiosk.headers),
        post_events(api, kiosk, kiosk.envelope([])),
        api.client.get("/"),
    ]
    for response in responses:
        assert response.headers["Date"] == "Wed, 25 Nov 2026 03:00:00 GMT"
        if response.headers["content-type"].startswith("application/json"):
            assert from_iso(response.json()["server_time"]) == T0


def test_an_unexpected_error_is_a_json_500(api: Api, kiosk: Kiosk, monkeypatch: Any) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api.storage, "checkpoint", broken)
    api.client.raise_server_exceptions = False  # type: ignore[attr-defined]
    response = api.client.get("/api/v1/config", headers=kiosk.headers)
    assert response.status_code == 500
    assert response.json()["error"] == "internal"
    assert "Date" in response.headers


@pytest.fixture
def limited(storage: Storage, server_clock: ServerClock) -> Iterator[tuple[Api, list[float]]]:
    ticks = [100.0]
    yield from (
        (a, ticks)
        for a in make_api(
            storage, server_clock, RateLimit(per_minute=1, burst=2), monotonic=lambda: ticks[0]
        )
    )


def test_the_optional_rate_limit_answers_429_with_retry_after(
    limited: tuple[Api, list[float]],
) -> None:
    api, ticks = limited
    kiosk = api.enroll()
    assert api.client.get("/api/v1/config", headers=kiosk.headers).status_code == 200
    assert post_events(api, kiosk, kiosk.envelope([])).status_code == 200
    refused = api.client.get("/api/v1/config", headers=kiosk.headers)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"] == "rate_limited"
    other = api.enroll("Other gate", "dev-2")  # per device
    assert api.client.get("/api/v1/config", headers=other.headers).status_code == 200
    ticks[0] += 30
    assert api.client.get("/api/v1/config", headers=kiosk.headers).headers["Retry-After"] == "30"
    ticks[0] += 30
    assert api.client.get("/api/v1/config", headers=kiosk.headers).status_code == 200


def test_no_rate_limit_by_default(api: Api, kiosk: Kiosk) -> None:
    for _ in range(50):
        assert api.client.get("/api/v1/config", headers=kiosk.headers).status_code == 200


def test_the_openapi_document_describes_the_protocol(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    paths = schema["paths"]
    upload = paths["/api/v1/events"]["post"]
    body_schema = upload["requestBody"]["content"]["application/json"]["schema"]
    assert body_schema == {"$ref": "#/components/schemas/UploadRequest"}
    components = schema["components"]["schemas"]
    assert set(components["UploadRequest"]["required"]) >= {"device_id", "boot_id", "events"}
    assert components["UploadRequest"]["properties"]["events"]["items"] == {
        "$ref": "#/components/schemas/EventPayload"
    }
    assert "event_id" in components["EventPayload"]["properties"]
    assert {"200", "400", "401", "403", "413", "429"} <= set(upload["responses"])
    assert any(p["name"] == "Content-Encoding" for p in upload["parameters"])
    assert "304" in paths["/api/v1/config"]["get"]["responses"]
    assert "EnrollRequest" in components
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "security" not in paths["/api/v1/enroll"]["post"]
    # Every $ref resolves.
    text = json.dumps(schema)
    for name in {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in components, name


def test_the_overview_page_escapes_names(api: Api, server_clock: ServerClock) -> None:
    hostile = api.enroll("<script>alert(1)</script> & Chợ", "dev-x")
    event = hostile.event(device_time=to_iso(T0))
    post_events(api, hostile, hostile.envelope([event]))
    page = api.client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Chợ" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    row = next(line for line in page.text.splitlines() if hostile.checkpoint_id in line)
    assert "<td>1</td><td>1</td><td>0</td>" in row  # 1 kiosk, 1 in, 0 out


def test_logs_hold_no_tokens_codes_or_names(
    storage: Storage, server_clock: ServerClock, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    for api in make_api(storage, server_clock):
        code = new_code(storage, "Gate <A>", T0)
        response = api.client.post("/api/v1/enroll", json={"code": code, "device_id": "dev-l"})
        token = response.json()["device_token"]
        kiosk = Kiosk("dev-l", token, response.json()["checkpoint"]["id"])
        event = kiosk.event(display_name="Lê Văn Kín", person_key="pk-secret-key")
        post_events(api, kiosk, kiosk.envelope([event]))
        post_events(api, kiosk, kiosk.envelope([{**event, "direction": "out"}]))
    for secret in (token, code, "Lê Văn Kín", "pk-secret-key", "Gate <A>"):
        assert secret not in caplog.text


def test_a_database_locked_by_another_process_is_503_with_retry_after(
    tmp_path: Path, server_clock: ServerClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    with Storage.open(tmp_path / "busy.db") as storage:
        for api in make_api(storage, server_clock):
            kiosk = api.enroll()
            other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # e.g. an operator's command mid-write
            try:
                response = post_events(api, kiosk, kiosk.envelope([kiosk.event()]))
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "5"
            assert response.json()["error"] == "busy"
            assert statuses(post_events(api, kiosk, kiosk.envelope([kiosk.event()])))
