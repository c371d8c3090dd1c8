"""Property tests of the upload and enrollment endpoints (hypothesis, every run): arbitrary JSON
in the envelope and in near-valid events never gives a 5xx, every answer is one of the declared
ones, and a 200 has exactly one result per event. (schemathesis against /openapi.json is the
longer run of the test plan; it is not installed here.)"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.storage import Storage
from checkpoint_common.protocol import UploadResponse

from .conftest import Api, Kiosk, ServerClock, make_api

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["", "in", "out", "admit", "2026-11-25T03:00:00Z", "\ud800", "\x00"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
EVENT_FIELDS = (
    "event_id",
    "seq",
    "checkpoint_id",
    "person_key",
    "kind",
    "display_name",
    "birth_year",
    "direction",
    "verdict",
    "reason",
    "device_time",
    "mono_ns",
    "boot_id",
    "clock_synced",
    "problems",
)


@pytest.fixture
def fuzz_api(storage: Storage, server_clock: ServerClock) -> Iterator[tuple[Api, Kiosk]]:
    for api in make_api(storage, server_clock):
        yield api, api.enroll()


def near_valid_event(kiosk: Kiosk) -> st.SearchStrategy[Any]:
    """A valid event with one field replaced, removed, or left alone; or any JSON at all."""

    def mutate(choice: tuple[str, Any, int]) -> Any:
        field, value, how = choice
        event = kiosk.event()
        if how == 0:
            event[field] = value
        elif how == 1:
            del event[field]
        return event

    mutated = st.tuples(st.sampled_from(EVENT_FIELDS), json_values, st.integers(0, 2)).map(mutate)
    return mutated | json_values


def send(api: Api, kiosk: Kiosk, body: Any, compress: bool) -> Any:
    raw = json.dumps(body).encode("utf-8")  # lone surrogates become \\ud800 escapes: legal JSON
    headers = dict(kiosk.headers)
    if compress:
        raw = gzip.compress(raw)
        headers["Content-Encoding"] = "gzip"
    return api.client.post("/api/v1/events", content=raw, headers=headers)


@SETTINGS
@given(data=st.data(), compress=st.booleans())
def test_upload_never_fails_on_odd_events(
    fuzz_api: tuple[Api, Kiosk], data: st.DataObject, compress: bool
) -> None:
    api, kiosk = fuzz_api
    events = data.draw(st.lists(near_valid_event(kiosk), max_size=4))
    response = send(api, kiosk, kiosk.envelope(events), compress)
    assert response.status_code == 200, response.text
    results = UploadResponse.from_json(response.json()).results
    assert len(results) == len(events)
    for event, result in zip(events, results, strict=True):
        if result.status == "rejected":
            assert result.error
        else:
            assert isinstance(event, dict) and result.event_id == event["event_id"]


@SETTINGS
@given(data=st.data(), compress=st.booleans())
def test_upload_envelope_fuzz_is_200_400_or_413(
    fuzz_api: tuple[Api, Kiosk], data: st.DataObject, compress: bool
) -> None:
    api, kiosk = fuzz_api
    body = kiosk.envelope([kiosk.event()])
    key = data.draw(st.sampled_from([*body, "extra"]))
    if data.draw(st.booleans()):
        body[key] = data.draw(json_values)
    else:
        body.pop(key, None)
    if data.draw(st.booleans()):
        body = data.draw(json_values)
    response = send(api, kiosk, body, compress)
    assert response.status_code in (200, 400, 413), response.text
    assert "server_time" in response.json()


@SETTINGS
@given(body=json_values)
def test_enroll_fuzz_is_400_or_403(fuzz_api: tuple[Api, Kiosk], body: Any) -> None:
    api, _ = fuzz_api
    response = api.client.post("/api/v1/enroll", content=json.dumps(body))
    assert response.status_code in (400, 403), response.text
