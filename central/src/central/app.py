"""The HTTP API of docs/protocol.md on a `Storage`, plus a small overview page at `/`.

`create_app(storage, clock=..., rate_limit=...)` returns the FastAPI application; `central.cli`
serves it with uvicorn. The contract is docs/protocol.md; the wire models are the shared ones
in common/src/checkpoint_common/protocol.py, which also describe the endpoints in `/openapi.json`.

- Authentication: `Authorization: Bearer <device token>` on every endpoint but enrollment and
  the overview page. No, malformed or unknown token: 401 (always, before anything else is
  looked at: an unauthenticated request learns nothing, not even that its body is broken);
  revoked device: 403.
- Uploads are read raw (gzip or plain), capped at MAX_BODY_BYTES uncompressed (413), parsed
  and checked here (400 for the envelope, 413 over MAX_BATCH_EVENTS), each event checked with
  `EventPayload.from_json` (`rejected` with the error, never a failed batch), and stored by
  `Storage.ingest` in one transaction before the answer is sent.
- Downloads (config, status list, trust list) carry their version as ETag; a matching
  `If-None-Match` gets 304 without a body.
- Every JSON body has `server_time`, every response a `Date` header (added here, from the same
  injected clock, so tests see it too; `kiosk-central serve` turns uvicorn's own off so there
  is exactly one).
- Rate limit: optional, off by default (`rate_limit=RateLimit(...)`, `serve --rate-limit`): a
  token bucket per device over all authenticated endpoints; over it, 429 with `Retry-After`
  (whole seconds until the next request would pass). In memory: per process, reset by a restart.
- Threads: storage calls run in the thread pool (sync endpoints and dependencies by FastAPI,
  upload work via run_in_threadpool), never on the event loop; Storage is thread-safe.
- Logs: device ids, event ids, counts and timings only; never tokens, codes, names or bodies.
"""

# No `from __future__ import annotations` here: FastAPI reads the endpoints' annotations at
# runtime, and they name dependencies local to create_app.
import dataclasses
import datetime as dt
import html
import json
import logging
import math
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from email.utils import formatdate
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from central import tokens
from central.console.sites import note_device_status
from central.storage import (
    CheckpointRecord,
    DeviceRecord,
    EnrollmentRefused,
    InvalidInput,
    Storage,
    StorageBusy,
    StorageUnavailable,
    UnknownDevice,
)
from checkpoint_common.protocol import (
    API_PREFIX,
    DEVICE_STATUS_HEADER,
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    STATUS_REJECTED,
    Checkpoint,
    ConfigResponse,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    EventPayload,
    EventResult,
    ProtocolError,
    StatusListResponse,
    UploadRequest,
    UploadResponse,
    to_json,
)
from checkpoint_common.timefmt import to_iso

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
MAX_ENROLL_BODY_BYTES = 16 * 1024
# A body over its limit is still read (and dropped) up to this many times the limit, so that the
# client, still sending, receives the 413 instead of a reset connection; beyond, we stop reading.
_DRAIN_FACTOR = 4
_MAX_TEXT = 200
# A contact is written to the database at most this often per device (the overview page).
_TOUCH_INTERVAL = dt.timedelta(seconds=60)
_BUSY_RETRY_AFTER_S = 5
_REPORT_INTERVAL = dt.timedelta(minutes=10)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ApiError(Exception):
    """An error answer: HTTP status, a stable `error` code, a human `detail`."""

    def __init__(
        self,
        status: int,
        error: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}


class _JSON(JSONResponse):
    """JSON that always encodes: a result may echo an event_id the kiosk sent with a lone
    surrogate (legal in JSON, not in UTF-8); such a body is written with \\u escapes."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return text.encode("ascii")


class ErrorResponse(BaseModel):
    error: str
    detail: str | None = None
    server_time: str


class TrustListResponse(BaseModel):
    version: str | int
    keys: list[dict[str, str]]
    server_time: str


@dataclasses.dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `per_minute` requests per device on average, with bursts up to `burst`."""

    per_minute: float
    burst: int = 10

    def __post_init__(self) -> None:
        if not self.per_minute > 0 or self.burst < 1:
            raise ValueError("a rate limit needs per_minute > 0 and burst >= 1")


class _RateLimiter:
    """Token buckets per device. Thread-safe (the dependency runs in the thread pool)."""

    def __init__(self, limit: RateLimit, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._rate = limit.per_minute / 60.0
        self._burst = float(limit.burst)
        self._monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # device -> (tokens, at)
        self._lock = threading.Lock()

    def wait_s(self, device_id: str) -> float:
        """0 when the request may pass (and is counted), else seconds until it would."""
        now = self._monotonic()
        with self._lock:
            tokens_left, at = self._buckets.get(device_id, (self._burst, now))
            tokens_left = min(self._burst, tokens_left + (now - at) * self._rate)
            if tokens_left >= 1.0:
                self._buckets[device_id] = (tokens_left - 1.0, now)
                return 0.0
            self._buckets[device_id] = (tokens_left, now)
            return (1.0 - tokens_left) / self._rate


# -- request helpers ----------------------------------------------------------------------------


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, or 413 past `limit` bytes (checked on Content-Length first, then while
    reading: a client may lie or send chunks)."""
    declared = request.headers.get("content-length")
    if (
        declared is not None
        and declared.strip().isdigit()
        and int(declared) > limit * _DRAIN_FACTOR
    ):
        raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    body = bytearray()
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received <= limit:
            body += chunk
        elif received > limit * _DRAIN_FACTOR:
            break
    if received > limit:
        raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    return bytes(body)


def _inflate(body: bytes, encoding: str) -> bytes:
    """The uncompressed body: gzip or identity; 413 past MAX_BODY_BYTES, 400 for broken gzip."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding != "gzip":
        raise ApiError(400, "bad_request", f"Content-Encoding {encoding[:40]!r}: use gzip")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        # max_length stops a small "zip bomb" from inflating without bound.
        out = inflater.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error as exc:
        raise ApiError(400, "bad_request", f"not gzip: {exc}") from exc
    if len(out) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"over {MAX_BODY_BYTES} bytes uncompressed")
    if not inflater.eof or inflater.unused_data:
        raise ApiError(400, "bad_request", "the gzip stream is truncated or has trailing data")
    return out


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8 and integers too long to convert as well as bad JSON.
        raise ApiError(400, "bad_request", f"not JSON: {str(exc)[:200]}") from exc


def _field(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ApiError(400, "bad_request", f"{key}: expected {kind.__name__}")
    return value


def _text(data: dict[str, Any], key: str, *, optional: bool = False) -> str:
    if optional and data.get(key) is None:
        return ""
    value: str = _field(data, key, str)
    if (not optional and not value.strip()) or len(value) > _MAX_TEXT:
        raise ApiError(400, "bad_request", f"{key}: empty or longer than {_MAX_TEXT}")
    if any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ApiError(400, "bad_request", f"{key}: control characters or invalid Unicode")
    return value


def _raw_event_id(raw: Any) -> str:
    """The event_id of an event that failed validation, for its result ("" if there is none)."""
    value = raw.get("event_id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else ""


def _etag(version: str | int) -> str:
    return f'"{version}"'


def _not_modified(request: Request, etag: str) -> bool:
    """True when If-None-Match names `etag` (quoted or not, weak or not) or is `*`."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    for tag in header.split(","):
        tag = tag.strip()
        tag = tag.removeprefix("W/")
        if tag in ("*", etag, etag.strip('"')):
            return True
    return False


def _openapi_body(schema_name: str, *, gzip: bool = False) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
            },
        }
    }
    if gzip:
        extra["requestBody"]["description"] = (
            "Sent gzip-compressed (Content-Encoding: gzip); a plain body is accepted too. At "
            f"most {MAX_BATCH_EVENTS} events and {MAX_BODY_BYTES} bytes uncompressed."
        )
        extra["parameters"] = [
            {
                "name": "Content-Encoding",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "enum": ["gzip", "identity"]},
            }
        ]
    return extra


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "broken request (not gzip, not JSON, missing or wrong fields)",
        401: "no or unknown device token",
        403: "device revoked",
        404: "nothing loaded yet",
        413: "too large: halve the batch and try again",
        429: "too many requests: wait Retry-After seconds",
        503: "database busy or unavailable: retry later (Retry-After)",
    }
    return {c: {"model": ErrorResponse, "description": text[c]} for c in codes}


_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "unchanged since the ETag given in If-None-Match (no body)"}
}


# -- middleware -------------------------------------------------------------------------------

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


class _DateAndLastResort:
    """Adds `Date` to every response, and turns an unhandled exception into a logged 500 JSON
    answer (with server_time and Date) instead of Starlette's plain-text one."""

    def __init__(self, app: _ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_date(message: _Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"date" for name, _ in headers):
                    date = formatdate(self.clock().timestamp(), usegmt=True)
                    headers.append((b"date", date.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_date)
        except Exception:
            # The method and path hold no personal data (no person key is ever in a URL).
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            body = {"error": "internal", "detail": None, "server_time": to_iso(self.clock())}
            await JSONResponse(body, status_code=500)(scope, receive, send_with_date)


# -- the application ----------------------------------------------------------------------------


def create_app(
    storage: Storage,
    *,
    clock: Clock = _utc_now,
    rate_limit: RateLimit | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    declaration_rate_limit: RateLimit | str | None = "default",
    declaration_valid_hours: int = 24,
) -> FastAPI:
    """The API of docs/protocol.md on `storage`. `clock` gives the server's time (UTC-aware):
    server_time, Date, receive times, enrollment expiry. `rate_limit`: None (default) = off.
    `monotonic` paces the rate limiters (injectable for tests). The health declarations
    (central.declare): `declaration_rate_limit` per client address ("default":
    central.declare.web.DEFAULT_RATE_LIMIT; None: off), codes valid `declaration_valid_hours`."""
    app = FastAPI(
        title="Checkpoint kiosk central server",
        version="1",
        summary="Kiosk ↔ central server protocol, version 1 (docs/protocol.md)",
    )
    app.state.storage = storage
    limiter = _RateLimiter(rate_limit, monotonic) if rate_limit else None
    bearer = HTTPBearer(auto_error=False, description="the device token from enrollment")
    authority_public = storage.authority_key().public
    # device id -> (the last DEVICE_STATUS_HEADER written, when); per process.
    reports: dict[str, tuple[str, dt.datetime]] = {}

    def kiosk_settings(checkpoint: CheckpointRecord) -> dict[str, Any]:
        """The checkpoint's settings plus the deployment's: the key kiosks seal personal data
        to (checkpoint_common.seal)."""
        return {**checkpoint.kiosk_settings(), "authority_public_key": authority_public.to_text()}

    def now_iso() -> str:
        return to_iso(clock())

    def answer(
        data: Any, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> JSONResponse:
        content = (
            {**to_json(data), "server_time": now_iso()} if dataclasses.is_dataclass(data) else data
        )
        return _JSON(content, status_code=status, headers=headers)

    # -- errors -----------------------------------------------------------------------------

    def error_body(
        status: int, error: str, detail: Any, headers: dict[str, str] | None = None
    ) -> JSONResponse:
        body = {"error": error, "detail": detail, "server_time": now_iso()}
        return _JSON(body, status_code=status, headers=headers)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_body(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(StorageUnavailable)
    async def _busy(request: Request, exc: StorageUnavailable) -> Response:
        # StorageBusy: SQLite locked by another process; otherwise PostgreSQL unreachable or no
        # pooled connection free. The kiosk keeps its outbox and retries after Retry-After.
        error = "busy" if isinstance(exc, StorageBusy) else "unavailable"
        log.warning("database %s: answering 503 (%s)", error, exc)
        return error_body(503, error, "try again later", {"Retry-After": str(_BUSY_RETRY_AFTER_S)})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_body(exc.status_code, error, exc.detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's documented 422 shape ({"detail": [...]}) plus error and server_time.
        return error_body(422, "bad_request", jsonable_encoder(exc.errors()))

    app.add_middleware(_DateAndLastResort, clock=clock)

    # -- authentication ---------------------------------------------------------------------

    def authenticated(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> DeviceRecord:
        unauthorized = {"WWW-Authenticate": "Bearer"}
        if credentials is None or not credentials.credentials:
            raise ApiError(401, "unauthorized", "a device token is required", unauthorized)
        device = storage.device_by_token(tokens.token_digest(credentials.credentials))
        if device is None:
            raise ApiError(401, "unauthorized", "unknown device token", unauthorized)
        if device.revoked:
            raise ApiError(403, "device_revoked", "this device was revoked: enroll it again")
        if limiter is not None:
            wait = limiter.wait_s(device.device_id)
            if wait > 0:
                raise ApiError(
                    429, "rate_limited", "too many requests", {"Retry-After": str(math.ceil(wait))}
                )
        now = clock()
        if device.last_contact is None or now - device.last_contact > _TOUCH_INTERVAL:
            storage.touch_device(device.device_id, now)
        # What the kiosk says about itself, for its site manager: written when it changes, and
        # at least every _REPORT_INTERVAL (one write per change, not one per request).
        reported = request.headers.get(DEVICE_STATUS_HEADER)
        if reported:
            last = reports.get(device.device_id)
            if last is None or last[0] != reported or now - last[1] > _REPORT_INTERVAL:
                note_device_status(
                    storage, device.device_id, DeviceStatus.from_header(reported), now
                )
                reports[device.device_id] = (reported, now)
        return device

    Device = Annotated[DeviceRecord, Depends(authenticated)]

    # -- enrollment -------------------------------------------------------------------------

    @app.post(
        f"{API_PREFIX}/enroll",
        response_model=EnrollResponse,
        responses=_errors(400, 403, 413, 503),
        openapi_extra=_openapi_body("EnrollRequest"),
        summary="Enroll a kiosk with a one-time code",
    )
    async def enroll(request: Request) -> Response:
        body = await _read_body(request, MAX_ENROLL_BODY_BYTES)
        return await run_in_threadpool(_enroll, body)

    def _enroll(body: bytes) -> Response:
        data = _parse_json(body)
        if not isinstance(data, dict):
            raise ApiError(400, "bad_request", "the body must be a JSON object")
        code = _text(data, "code")
        device_id = _text(data, "device_id")
        device_name = _text(data, "device_name", optional=True)
        token = tokens.new_device_token()
        try:
            checkpoint = storage.enroll(
                tokens.code_digest(code),
                device_id=device_id,
                device_name=device_name,
                token_sha256=tokens.token_digest(token),
                now=clock(),
            )
        except EnrollmentRefused as exc:
            raise ApiError(403, "enrollment_code_invalid", "unknown, used or expired") from exc
        return answer(
            EnrollResponse(
                device_token=token,
                device_id=device_id,
                checkpoint=Checkpoint(checkpoint.id, checkpoint.name),
                settings=kiosk_settings(checkpoint),
                person_key_secret=storage.person_key_secret(),
                server_time=now_iso(),
            )
        )

    # -- upload -----------------------------------------------------------------------------

    @app.post(
        f"{API_PREFIX}/events",
        response_model=UploadResponse,
        responses=_errors(400, 401, 403, 413, 429, 503),
        openapi_extra=_openapi_body("UploadRequest", gzip=True),
        summary="Upload a batch of events (idempotent per event_id)",
    )
    async def upload(request: Request, device: Device) -> Response:
        body = await _read_body(request, MAX_BODY_BYTES)
        encoding = request.headers.get("content-encoding", "")
        return await run_in_threadpool(_upload, device, body, encoding)

    def _upload(device: DeviceRecord, body: bytes, encoding: str) -> Response:
        data = _parse_json(_inflate(body, encoding))
        if not isinstance(data, dict):
            raise ApiError(400, "bad_request", "the body must be a JSON object")
        device_id = _text(data, "device_id")
        boot_id = _text(data, "boot_id")
        sent_at = _field(data, "sent_at", str)
        sent_mono_ns = _field(data, "sent_mono_ns", int)
        raw_events = _field(data, "events", list)
        if device_id != device.device_id:
            raise ApiError(400, "device_mismatch", "device_id is not the token's device")
        if len(raw_events) > MAX_BATCH_EVENTS:
            raise ApiError(413, "too_large", f"more than {MAX_BATCH_EVENTS} events")
        results: list[EventResult | None] = []
        valid: list[EventPayload] = []
        for raw in raw_events:
            try:
                valid.append(EventPayload.from_json(raw))
                results.append(None)
            except ProtocolError as exc:
                results.append(EventResult(_raw_event_id(raw), STATUS_REJECTED, str(exc)))
        upload = UploadRequest(device_id, boot_id, sent_at, sent_mono_ns, tuple(valid))
        try:
            stored = iter(storage.ingest(device.device_id, upload, clock()))
        except InvalidInput as exc:
            raise ApiError(400, "bad_request", str(exc)) from exc
        except UnknownDevice as exc:
            raise ApiError(401, "unauthorized", "unknown device") from exc
        merged = tuple(r if r is not None else next(stored) for r in results)
        return answer(UploadResponse(now_iso(), merged))

    # -- downloads --------------------------------------------------------------------------

    @app.get(
        f"{API_PREFIX}/config",
        response_model=ConfigResponse,
        responses={**_NOT_MODIFIED, **_errors(401, 403, 429, 503)},
        summary="The checkpoint's server-managed settings",
    )
    def config(request: Request, device: Device) -> Response:
        checkpoint = storage.checkpoint(device.checkpoint_id)
        if checkpoint is None:  # checkpoints are never deleted; a device always has one
            raise ApiError(404, "not_found", "the device's checkpoint is gone")
        # The authority key's id is part of the version: a kiosk that fetched its settings
        # before the server handed out keys must not get a 304 forever.
        version = f"{checkpoint.config_version}-{authority_public.key_id}"
        etag = _etag(version)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if _not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return answer(
            ConfigResponse(
                version=version,
                checkpoint=Checkpoint(checkpoint.id, checkpoint.name),
                settings=kiosk_settings(checkpoint),
                server_time=now_iso(),
            ),
            headers=headers,
        )

    @app.get(
        f"{API_PREFIX}/status-list",
        response_model=StatusListResponse,
        responses={**_NOT_MODIFIED, **_errors(401, 403, 429, 503)},
        summary="The status list: changes since a version, or all of it",
    )
    def status_list(
        request: Request,
        device: Device,
        since: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    ) -> Response:
        version = storage.status_list_version()
        headers = {"ETag": _etag(version), "Cache-Control": "no-cache"}
        if _not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
        changes = storage.status_list(since)
        # The version is the one the changes were read at (it may have moved on meanwhile).
        headers["ETag"] = _etag(changes.version)
        return answer(
            StatusListResponse(
                changes.version, changes.full, changes.upserts, changes.removed, now_iso()
            ),
            headers=headers,
        )

    @app.get(
        f"{API_PREFIX}/trust-list",
        response_model=TrustListResponse,
        responses={**_NOT_MODIFIED, **_errors(401, 403, 404, 429, 503)},
        summary="The EU DCC trust list (the kiosk's trust-list file format)",
    )
    def trust_list(request: Request, device: Device) -> Response:
        current = storage.trust_list()
        if current is None:
            raise ApiError(404, "trust_list_not_loaded", "no trust list has been loaded yet")
        headers = {"ETag": _etag(current.version), "Cache-Control": "no-cache"}
        if _not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
        body = {"version": current.version, "keys": current.keys, "server_time": now_iso()}
        return answer(body, headers=headers)

    # -- overview page ----------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview() -> Response:
        return HTMLResponse(
            render_overview(storage, clock()),
            headers={
                # Names are user-controlled: besides escaping, nothing on the page may run.
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
                "Cache-Control": "no-store",
            },
        )

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description="JSON over HTTPS; see docs/protocol.md. Every JSON body has server_time.",
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        models: list[tuple[str, Any]] = [
            ("UploadRequest", UploadRequest),
            ("EnrollRequest", EnrollRequest),
            *OPENAPI_MODELS.items(),
        ]
        for name, model in models:
            model_schema = TypeAdapter(model).json_schema(
                ref_template="#/components/schemas/{model}"
            )
            for def_name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(def_name, definition)
            components[name] = model_schema
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi  # type: ignore[method-assign]
    # The web console (central/console): its own routes under /console, its own sessions.
    from central.console.web import install_console

    install_console(app, storage, clock)
    # The citizens' health declarations (central/declare): /declare and its API.
    from central.declare.service import Desk
    from central.declare.web import DEFAULT_RATE_LIMIT, OPENAPI_MODELS, install_declarations

    desk = Desk(storage, clock, valid_hours=declaration_valid_hours)
    app.state.declarations = desk
    # Its writer thread stops with the app (after writing what is queued).
    app.router.on_shutdown.append(desk.close)
    install_declarations(
        app,
        desk,
        rate_limit=DEFAULT_RATE_LIMIT
        if declaration_rate_limit == "default"
        else declaration_rate_limit
        if isinstance(declaration_rate_limit, RateLimit)
        else None,
        monotonic=monotonic,
    )
    return app


def render_overview(storage: Storage, now: dt.datetime) -> str:
    """The overview page: checkpoints, today's admitted entries and exits, last contact.
    Every piece of text goes through html.escape (checkpoint names are user-controlled)."""
    rows = []
    for item in storage.today(now):
        last = "—"
        if item.last_contact is not None:
            ago = int((now - item.last_contact).total_seconds() // 60)
            last = f"{to_iso(item.last_contact)[:19]}Z ({max(ago, 0)} min ago)"
        cells = (item.name, item.checkpoint_id, item.devices, item.entries, item.exits, last)
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    body = "\n".join(rows) or '<tr><td colspan="6">No checkpoints yet.</td></tr>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<title>Checkpoints</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em .8em;text-align:left}}
tr:nth-child(even){{background:#f3f3f3}}</style></head>
<body><h1>Checkpoints</h1>
<p>Today (each checkpoint's time zone), admitted entries and exits. {html.escape(to_iso(now))}</p>
<table><thead><tr><th>Checkpoint</th><th>ID</th><th>Kiosks</th><th>In</th><th>Out</th>
<th>Last contact (UTC)</th></tr></thead>
<tbody>
{body}
</tbody></table></body></html>
"""
