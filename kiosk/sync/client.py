"""HTTP client for docs/protocol.md. The only place that turns `requests` exceptions and HTTP
status codes into kinds of failure (`SyncError` subclasses); the sync service reacts by kind.

Thread contract: a `SyncClient` is used by one thread at a time (the sync job). It never touches
the database. Every request has connect and read timeouts; requests never retries a POST by
itself, and neither does this client: retrying is the scheduler's decision.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests

from checkpoint_common.protocol import (
    API_PREFIX,
    DEVICE_STATUS_HEADER,
    ConfigResponse,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    EventPayload,
    ProtocolError,
    StatusListResponse,
    UploadRequest,
    UploadResponse,
    to_json,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0


class SyncError(Exception):
    """Base of the sync failures. `kind` is what the status shows."""

    kind = "error"


class AuthError(SyncError):
    """401/403: the token is unknown or the device revoked. Needs re-enrollment; keep recording."""

    kind = "auth"


class TransientError(SyncError):
    """Network down, timeout, reset, 5xx, a garbled response: try again later (with backoff)."""

    kind = "transient"


class RateLimited(TransientError):
    """429: wait at least `retry_after` seconds."""

    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(SyncError):
    """413: the batch is too big for the server; send fewer events."""

    kind = "too_large"


class RejectedError(SyncError):
    """400/404/422 for the whole request: a bug on one side; retrying the same will not help."""

    kind = "rejected"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class EnrollmentRefused(SyncError):
    """The enrollment code is unknown, used or expired."""

    kind = "enrollment_refused"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A download: `body` None when the server said 304 (unchanged)."""

    body: Any
    etag: str | None


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return 30.0
        date = email.utils.parsedate_to_datetime(response.headers.get("Date", value))
        return max(0.0, (parsed - date).total_seconds())


class SyncClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        verify_tls: bool = True,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.verify_tls = verify_tls
        self.session = session or requests.Session()
        self.timeout = timeout
        # Sent with every authenticated request when set (the sync service sets it each round).
        self.device_status: DeviceStatus | None = None

    def close(self) -> None:
        self.session.close()

    # -- transport ----------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
    ) -> requests.Response:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if auth:
            if not self.token:
                raise AuthError("not enrolled: no device token")
            all_headers["Authorization"] = f"Bearer {self.token}"
            if self.device_status is not None:
                all_headers[DEVICE_STATUS_HEADER] = self.device_status.to_header()
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self.session.request(
                method,
                url,
                data=body,
                headers=all_headers,
                params=params,
                timeout=self.timeout,
                verify=self.verify_tls,
            )
        except requests.exceptions.SSLError as exc:
            # A bad certificate is not transient in the usual sense, but nothing is lost by
            # trying again later, and it shows up in the status as its own message.
            raise TransientError(f"TLS verification failed for {self.base_url}") from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise TransientError(f"{type(exc).__name__} talking to {self.base_url}") from exc
        except requests.exceptions.RequestException as exc:
            raise TransientError(f"request failed: {type(exc).__name__}") from exc
        self._raise_for_status(response)
        return response

    @staticmethod
    def _raise_for_status(response: requests.Response) -> None:
        status = response.status_code
        if status < 400 or status == 304:
            return
        if status in (401, 403):
            raise AuthError(f"server refused the device token (HTTP {status})")
        if status == 413:
            raise TooLarge("batch too large (HTTP 413)")
        if status == 429:
            raise RateLimited("rate limited (HTTP 429)", _retry_after(response))
        if status >= 500:
            raise TransientError(f"server error (HTTP {status})")
        raise RejectedError(f"request refused (HTTP {status}): {response.text[:200]!r}", status)

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            # A proxy's error page or a cut-off body: the request may have worked, so the
            # caller must treat the outcome as unknown (retry; idempotency makes that safe).
            raise TransientError("the server's answer is not JSON") from exc

    # -- calls --------------------------------------------------------------------------------

    def enroll(self, code: str, device_id: str, device_name: str = "") -> EnrollResponse:
        body = json.dumps(to_json(EnrollRequest(code.strip(), device_id, device_name))).encode()
        try:
            response = self._request(
                "POST",
                "/enroll",
                body=body,
                headers={"Content-Type": "application/json"},
                auth=False,
            )
        except AuthError as exc:
            raise EnrollmentRefused("the enrollment code is unknown, used or expired") from exc
        try:
            return EnrollResponse.from_json(self._json(response))
        except ProtocolError as exc:
            raise TransientError(f"bad enrollment answer: {exc}") from exc

    def upload(
        self,
        device_id: str,
        events: list[EventPayload],
        *,
        boot_id: str,
        sent_at: str,
        sent_mono_ns: int,
    ) -> UploadResponse:
        """POST one batch (gzip). Raises the SyncError kinds; a TransientError means the outcome
        is unknown (the server may have stored the batch): send the same events again."""
        request = UploadRequest(device_id, boot_id, sent_at, sent_mono_ns, tuple(events))
        raw = json.dumps(to_json(request), ensure_ascii=False, separators=(",", ":")).encode()
        body = gzip.compress(raw, compresslevel=6)
        response = self._request(
            "POST",
            "/events",
            body=body,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        try:
            answer = UploadResponse.from_json(self._json(response))
        except ProtocolError as exc:
            raise TransientError(f"bad upload answer: {exc}") from exc
        sent = {e.event_id for e in events}
        if {r.event_id for r in answer.results} - sent:
            raise TransientError("the server answered for events that were not sent")
        return answer

    def _get(self, path: str, etag: str | None, params: dict[str, str] | None = None) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", path, headers=headers, params=params)
        if response.status_code == 304:
            return Fetched(None, etag)
        return Fetched(self._json(response), response.headers.get("ETag"))

    def config(self, etag: str | None = None) -> tuple[ConfigResponse | None, str | None]:
        fetched = self._get("/config", etag)
        if fetched.body is None:
            return None, fetched.etag
        try:
            return ConfigResponse.from_json(fetched.body), fetched.etag
        except ProtocolError as exc:
            raise TransientError(f"bad config answer: {exc}") from exc

    def status_list(
        self, since: int | None, etag: str | None = None
    ) -> tuple[StatusListResponse | None, str | None]:
        params = {"since": str(since)} if since is not None else None
        fetched = self._get("/status-list", etag, params)
        if fetched.body is None:
            return None, fetched.etag
        try:
            return StatusListResponse.from_json(fetched.body), fetched.etag
        except ProtocolError as exc:
            raise TransientError(f"bad status list answer: {exc}") from exc

    def declaration_keys(self) -> Any:
        """The health-declaration keys' delegations the server publishes (JSON, checked by the
        caller against the pinned root: kiosk.declarations). None when it publishes none."""
        try:
            response = self._request("GET", "/declarations/keys", auth=False)
        except RejectedError as exc:
            if exc.status == 404:  # an older server, or declarations not set up
                return None
            raise
        return self._json(response)

    def trust_list(self, etag: str | None = None) -> tuple[dict[str, Any] | None, str | None]:
        """The trust list as the file format kiosk.formats.dcc reads (validated by the caller
        with TrustList before it is saved)."""
        try:
            fetched = self._get("/trust-list", etag)
        except RejectedError as exc:
            if exc.status == 404:  # the authority has not published a list yet
                return None, etag
            raise
        if fetched.body is not None and not isinstance(fetched.body, dict):
            raise TransientError("bad trust list answer: not an object")
        return fetched.body, fetched.etag
