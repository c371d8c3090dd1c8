"""schemathesis against the real reference server's own OpenAPI document (`/openapi.json`).

The server is `kiosk-central serve` in a subprocess on 127.0.0.1 (as in test_live.py), not the
ASGI app in-process: uvicorn's HTTP parsing, the middleware that adds `Date`, and the thread
pool are part of what a kiosk talks to, and schemathesis drives a URL with `requests` exactly
as it drives an app (its ASGI mode goes through Starlette's TestClient, which hides the first
two). It starts once per module (~1 s), with a device enrolled through the real enrollment
endpoint, a status list and a trust list loaded with the operator commands, so that every
download answers 200 and not only 404.

What the tests prove (the plan's "API fuzz" row: 0 5xx, 0 schema violations, unauthenticated
requests all 401):
- every operation, called with schema-generated and schema-violating data (schemathesis'
  positive and negative modes) and a real device token, never answers 5xx, and every answer has
  a declared status code, a declared content type, declared headers and a body valid against
  the declared schema;
- every operation but enrollment declares bearer auth, and answers 401 to the same generated
  requests sent with no token, an unknown token, an empty bearer token or another scheme.

CI: 40 examples per operation (the module runs in ~30 s here). KIOSK_RELIABILITY_FULL=1:
1,000 per operation.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks

from central.app import create_app
from central.storage import Storage
from checkpoint_common.signing import SigningKey, delegate
from tests.central.conftest import ENGINES
from tests.central.test_live import TIMEOUT, run_cli, start_server
from tests.postgres import PostgresCluster
from tests.test_dcc import ec_signer

# The switch of the reliability suite (tests/reliability/conftest.py), read here directly.
FULL = os.environ.get("KIOSK_RELIABILITY_FULL", "") not in ("", "0")
MAX_EXAMPLES = 1000 if FULL else 40
AUTH_EXAMPLES = 300 if FULL else 15
# Each operation is one pytest item running all its examples: the full run needs more than the
# suite's default 120 s per item.
pytestmark = pytest.mark.timeout(1800 if FULL else 120)

# The checks that say "the answer is what the document promises". The default set also has
# checks that judge the server's business rules from the schema alone (e.g. "schema-valid data
# must be accepted": a well-formed enrollment with an unknown code is rightly refused with 403),
# so they are named here instead.
CONFORMANCE = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
]
# The operations without a device token: enrollment, and the citizens' health declarations
# (public by design: a phone, no account; limited per client address instead).
UNAUTHENTICATED = [
    "/api/v1/enroll",
    "/api/v1/declarations",
    "/api/v1/declarations/questions",
    "/api/v1/declarations/keys",
]
# Success is not 200 for these: enrollment needs a real code, a declaration answers 201.
SUCCESS = {"POST /api/v1/enroll": 403, "POST /api/v1/declarations": 201}
# Status codes seen per operation by the conformance test.
STATUSES: dict[str, Counter[int]] = {}


@dataclass
class Live:
    url: str
    device_id: str
    headers: dict[str, str]


@pytest.fixture(scope="module", params=ENGINES)
def live_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """The module's database, on each engine in turn (SQLite file, PostgreSQL database)."""
    if request.param == "sqlite":
        yield tmp_path_factory.mktemp("schemathesis-db") / "central.db"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    name = cluster.create_database(template=request.getfixturevalue("postgres_template"))
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture(scope="module")
def live(live_db: Path | str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("schemathesis")
    db = live_db
    status = folder / "status.json"
    status.write_text(
        json.dumps(
            [
                {"person_key": "id:" + "a" * 24, "colour": "red", "valid_until": None},
                {"person_key": "id:" + "b" * 24, "colour": "yellow", "valid_until": None},
            ]
        )
    )
    signer = ec_signer()
    trust = folder / "trust.json"
    trust.write_text(
        json.dumps(
            {
                "version": "2026-11-25",
                "keys": [
                    {
                        "kid": base64.b64encode(signer.kid).decode(),
                        "certificate": base64.b64encode(signer.der).decode(),
                    }
                ],
            }
        )
    )
    # A declaration key, so that the declarations' keys answer 200 and a declaration 201.
    root, online = SigningKey.generate(), SigningKey.generate()
    (folder / "online.key").write_bytes(online.to_pem())
    now = dt.datetime.now(dt.UTC)
    delegation = delegate(
        root,
        online.public,
        types=["declaration"],
        not_after=now + dt.timedelta(days=30),
        version=1,
        issued_at=now - dt.timedelta(minutes=5),
    )
    (folder / "delegation.json").write_text(json.dumps(delegation.to_json()))
    key_command = ("declaration-key", "--key", str(folder / "online.key"))
    for command in (
        ("status-list", str(status)),
        ("trust-list", str(trust)),
        (*key_command, "--delegation", str(folder / "delegation.json")),
    ):
        done = run_cli(db, *command)
        assert done.returncode == 0, done.stderr
    with start_server(db, "--log-level", "warning", "--declaration-rate-limit", "0") as server:
        made = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành - cổng 2")
        assert made.returncode == 0, made.stderr
        enrolled = requests.post(
            f"{server.url}/api/v1/enroll",
            json={"code": made.stdout.strip(), "device_id": "dev-st", "device_name": "cổng 1"},
            timeout=TIMEOUT,
        )
        assert enrolled.status_code == 200, enrolled.text + server.log_text()
        token = enrolled.json()["device_token"]
        yield Live(server.url, "dev-st", {"Authorization": f"Bearer {token}"})
        # A 5xx is logged by the server with its traceback: none may have happened.
        assert "Traceback" not in server.log_text(), server.log_text()[-4000:]


def _document() -> dict[str, Any]:
    """The OpenAPI document the server publishes, built from `create_app` at import time:
    schemathesis needs it when pytest collects, before the module's server starts. (Its lazy
    `from_fixture` loader would fetch it from the server, but breaks on pytest 9, which removed
    `Node._nodeid`.) test_the_served_document_is_the_one_tested checks they are the same."""
    with tempfile.TemporaryDirectory() as folder:
        storage = Storage.open(Path(folder) / "central.db")
        try:
            return create_app(storage).openapi()
        finally:
            storage.close()


DOCUMENT = _document()
# A copy: schemathesis adds to the dict it is given.
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))


def _aim_at_the_device(case: Any, live: Live) -> None:
    """Most generated uploads would stop at "device_id is not the token's device" (400); with
    the enrolled device's id they reach the per-event checks and the database."""
    if case.path == "/api/v1/events" and isinstance(case.body, dict) and "device_id" in case.body:
        case.body["device_id"] = live.device_id


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not FULL,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case: Any, live: Live) -> None:
    _aim_at_the_device(case, live)
    # schemathesis fills the bearer scheme's header itself ("Bearer "): the real token
    # replaces it (headers given to `call` win over the generated ones).
    response = case.call(base_url=live.url, headers=live.headers, timeout=TIMEOUT)
    STATUSES.setdefault(f"{case.operation.method.upper()} {case.path}", Counter())[
        response.status_code
    ] += 1
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=CONFORMANCE)
    if response.status_code != 304:
        # schemathesis' Response: lower-case header names, each with a list of values.
        assert len(response.headers.get("date", [])) == 1, "every response carries one Date"
        assert "server_time" in response.json(), "every JSON body carries server_time"


def test_generated_requests_reached_the_handlers() -> None:
    """Runs after the test above (file order): the token worked, and generated data got past
    the envelope checks, so the fuzzing reached the handlers and the database and did not stop
    at 401 or 400. (Some 401s are expected: schemathesis' coverage phase deliberately drops the
    Authorization header of some cases, whatever headers the test passes.) The counts are
    printed for docs/reliability.md (`-s`)."""
    if not STATUSES:
        pytest.skip("test_every_operation_conforms_and_never_fails did not run (-k?)")
    for operation, counts in sorted(STATUSES.items()):
        print(f"{operation}: {dict(sorted(counts.items()))}")
        if operation == "POST /api/v1/declarations":
            # Generated people are mostly refused field by field (422), some get a code.
            assert counts[422] > 0, (operation, counts)
            continue
        assert counts[SUCCESS.get(operation, 200)] > 0, (operation, counts)


BAD_CREDENTIALS = {
    "no token": None,
    "unknown token": "Bearer " + "x" * 43,
    "empty bearer": "Bearer ",
    "another scheme": "Basic ZGV2LXN0OnNlY3JldA==",
}


@schema.exclude(path=UNAUTHENTICATED).parametrize()
@settings(
    max_examples=AUTH_EXAMPLES,
    deadline=None,
    derandomize=not FULL,
    suppress_health_check=list(HealthCheck),
)
def test_every_authenticated_operation_refuses_bad_credentials(case: Any, live: Live) -> None:
    _aim_at_the_device(case, live)
    if case.method.upper() != case.operation.method.upper():
        # schemathesis also tries methods the path does not have: routing answers those first.
        response = case.call(base_url=live.url, timeout=TIMEOUT)
        assert response.status_code in (401, 405), response.text
        return
    for what, value in BAD_CREDENTIALS.items():
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        case.headers = headers
        extra = {} if value is None else {"Authorization": value}
        response = case.call(base_url=live.url, headers=extra, timeout=TIMEOUT)
        assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
        assert response.json()["error"] == "unauthorized", what
        assert response.headers.get("www-authenticate") == ["Bearer"], what
        case.validate_response(response, checks=CONFORMANCE)


def test_the_served_document_is_the_one_tested(live: Live) -> None:
    served = requests.get(f"{live.url}/openapi.json", timeout=TIMEOUT)
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(DOCUMENT))


def test_the_document_declares_auth_on_every_operation_but_enrollment(live: Live) -> None:
    """So that the test above covers every endpoint a kiosk needs a token for: an endpoint
    added without `security` in the document would otherwise escape it."""
    document = DOCUMENT
    operations = {
        (method.upper(), path): spec
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    }
    assert len(operations) >= 5
    for (method, path), spec in operations.items():
        secured = spec.get("security") == [{"HTTPBearer": []}]
        assert secured == (path not in UNAUTHENTICATED), (method, path)
        if secured:
            assert "401" in spec["responses"], (method, path)
    for method, path in operations:
        if path not in UNAUTHENTICATED:
            bare = requests.request(method, live.url + path, timeout=TIMEOUT)
            assert bare.status_code == 401, (method, path, bare.text)
