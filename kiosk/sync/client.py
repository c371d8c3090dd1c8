"""HTTP client for docs/protocol.md. The only place that turns `requests` exceptions and HTTP
status codes into kinds of failure (`SyncError` subclasses); the sync service reacts by kind.

Thread contract: a `SyncClient` is used by one thread at a time (the sync job). It never touches
the database. Every request has connect and read timeouts; requests never retries a POST by
itself, and neither does this client: retrying is the scheduler's decision.
"""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import json
import logging
import urllib.parse
from typing import Any

import requests

from checkpoint_common.protocol import (
    API_PREFIX,
    DEVICE_STATUS_HEADER,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    EventPayload,
    ProtocolError,
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


class EnrollmentConflict(SyncError):
    """409: the device id is enrolled already and this kiosk could not prove it is that
    device (its token is not the current one): a code issued for it is needed."""

    kind = "enrollment_conflict"


class InsecureTransport(SyncError):
    """The address would send the device token and records in clear over a network: plain
    http is refused except to this machine (loopback)."""

    kind = "insecure_transport"


LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def transport_problem(url: str) -> str | None:
    """Why the kiosk must not talk to `url`, or None. Only https, or http to loopback
    (127.0.0.0/8, ::1, localhost): anything else would carry the device token in clear."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return f"{url!r} is not a server address"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme != "http" or not host:
        return f"{url!r} is not an https:// address"
    if host in LOOPBACK_NAMES:
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"plain http to {host} is refused: it would send the device token and records in "
        "clear; use https:// (http only to this machine: 127.0.0.1, ::1, localhost)"
    )


# A list of published documents (rotations, delegations) holds at most this many.
MAX_DOCUMENTS = 64
# The declaration keys answer: a few delegations (each a few hundred bytes).
MAX_DECLARATION_KEYS_BYTES = 1024 * 1024


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
        problem = transport_problem(base_url)
        if problem:
            raise InsecureTransport(problem)
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
        stream: bool = False,
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
                stream=stream,
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

    def authority(self) -> str | None:
        """The root key (base64) the server says its documents are signed under, None when it
        has none. Believed only after a person compared its fingerprint (kiosk enroll)."""
        try:
            response = self._request("GET", "/authority", auth=False)
        except RejectedError as exc:
            if exc.status == 404:
                return None
            raise
        data = self._json(response)
        key = data.get("root_key") if isinstance(data, dict) else None
        if not isinstance(key, str):
            raise TransientError("bad authority answer: no root_key")
        return key

    def enroll(
        self,
        code: str,
        device_id: str,
        device_name: str = "",
        current_token: str | None = None,
    ) -> EnrollResponse:
        request = EnrollRequest(code.strip(), device_id, device_name, current_token)
        body = json.dumps(to_json(request)).encode()
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
        except RejectedError as exc:
            if exc.status == 409:
                raise EnrollmentConflict(
                    "this device is enrolled already and its token is not the current one: ask "
                    "for a code issued for this device (kiosk-central enrollment-code --replace "
                    "DEVICE_ID)"
                ) from exc
            raise
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

    def _read_limited(self, response: requests.Response, max_bytes: int) -> bytes:
        """The body, refused past `max_bytes` (a hostile server cannot fill the memory)."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise TransientError(f"the server's answer is larger than {max_bytes} bytes")
                chunks.append(chunk)
        except requests.exceptions.RequestException as exc:
            raise TransientError(f"download cut off: {type(exc).__name__}") from exc
        finally:
            response.close()
        return b"".join(chunks)

    def server_time(self) -> str | None:
        """An authenticated request that changes nothing: proves the token is accepted and
        returns the server's time (`server_time`), None if the answer has none."""
        response = self._request("GET", "/documents/sealing_key", stream=True)
        data = self._read_limited(response, 16 * 1024 * 1024)
        try:
            value = json.loads(data).get("server_time")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None

    def get_document(
        self,
        path: str,
        *,
        max_bytes: int,
        etag: str | None = None,
        params: dict[str, str] | None = None,
    ) -> bytes | None:
        """GET a signed document (its envelope is the body). None: 304 (unchanged since
        `etag`) or 404 (nothing published yet). The bytes are not checked here: the caller
        verifies them (kiosk.sync.documents)."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            response = self._request("GET", path, headers=headers, params=params, stream=True)
        except RejectedError as exc:
            if exc.status == 404:
                return None
            raise
        if response.status_code == 304:
            response.close()
            return None
        return self._read_limited(response, max_bytes)

    def declaration_keys(self) -> Any:
        """The health-declaration keys' delegations the server publishes (JSON, each checked by
        the caller against the pinned root: kiosk.declarations). None when it publishes none.
        The body is size-limited like every download."""
        try:
            response = self._request("GET", "/declarations/keys", auth=False, stream=True)
        except RejectedError as exc:
            if exc.status == 404:  # an older server, or declarations not set up
                return None
            raise
        raw = self._read_limited(response, MAX_DECLARATION_KEYS_BYTES)
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise TransientError("the server's declaration keys are not JSON") from exc

    def get_documents(self, doc_type: str, *, max_bytes: int) -> list[bytes]:
        """The published documents of a type (`/documents/TYPE`): each envelope as JSON bytes,
        unchecked (the caller verifies each)."""
        raw = self.get_document(f"/documents/{doc_type}", max_bytes=max_bytes)
        if raw is None:
            return []
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise TransientError("the server's answer is not JSON") from exc
        documents = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(documents, list) or len(documents) > MAX_DOCUMENTS:
            raise TransientError(f"bad {doc_type} answer: not a list of documents")
        return [json.dumps(d, separators=(",", ":")).encode() for d in documents]
