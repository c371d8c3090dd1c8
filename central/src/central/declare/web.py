"""The citizen's page `/declare` and the declaration API (docs/declarations.md).

- `GET /declare` (`?lang=en`, `?for=other` to declare for someone else, "khai hộ"): one small
  page (its stylesheet inline, no script, no image but the answer's QR code), made for a cheap
  phone at 360 px. `POST /declare` takes the form: the same page again with a message next to
  each wrong field, or the QR code to save or print with its text.
- `GET /api/v1/declarations/questions`, `POST /api/v1/declarations` (JSON; 422 naming each wrong
  field, in English and Vietnamese), `GET /api/v1/declarations/keys` (the root-signed
  delegations of the declaration keys, for kiosks: kiosk.declarations). All in `/openapi.json`.
- Abuse: a token bucket per client address over both POSTs (429 with Retry-After), bodies
  capped (413), every field checked (central.declare.form). No CAPTCHA, no third-party script.
  Behind a reverse proxy the address is the proxy's unless uvicorn is told to trust its
  X-Forwarded-For (docs/declarations.md).
- Headers: a CSP that allows no script, only this page's own inline style (by its hash), and
  images from data: URLs (the QR code); no-store; no framing; no referrer.

Logs: counts and problems' field names only, never a value.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations at runtime.
import asyncio
import base64
import datetime as dt
import hashlib
import importlib.resources
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
import segno
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from central.app import ApiError, RateLimit, _errors, _parse_json, _RateLimiter, _read_body
from central.console.web import security_headers
from central.declare import texts
from central.declare.form import ADDRESS_PARTS, Invalid, Problem, check
from central.declare.service import RETENTION_DAYS, ZONE, Desk, Issued, NotSetUp
from central.storage import StorageUnavailable
from checkpoint_common.declaration import QUESTIONS, SLOT_DIGITS
from checkpoint_common.protocol import API_PREFIX
from checkpoint_common.timefmt import to_iso

log = logging.getLogger(__name__)

MAX_DECLARATION_BYTES = 8 * 1024
MAX_FORM_BYTES = 16 * 1024
DEFAULT_RATE_LIMIT = RateLimit(per_minute=20, burst=10)
_CSS = (importlib.resources.files("central.declare") / "declare.css").read_text("utf-8")
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_PERSON_FIELDS = ("full_name", "id_number", "birth_date", "gender", "phone", "bhyt_number")
_PRUNE_AT = 50_000  # addresses remembered before idle ones are forgotten


# -- the QR code ----------------------------------------------------------------------------------


def qr_code(text: str) -> segno.QRCode:
    """The code as two segments: the 1405 text in byte mode, the signature slot (digits) in
    numeric mode (checkpoint_common.declaration); level M, no boost (a kiosk reads M)."""
    head, slot = text[:-SLOT_DIGITS], text[-SLOT_DIGITS:]
    segments: Any = [(head, segno.consts.MODE_BYTE), (slot, segno.consts.MODE_NUMERIC)]
    return segno.make(segments, error="m", boost_error=False, micro=False)


# -- documentation models (the endpoints read raw JSON themselves, for the 422 they promise) --


class Address(BaseModel):
    province: str
    district: str
    commune: str
    detail: str | None = Field(None, description="house number, street, hamlet")


class ProxyFor(BaseModel):
    """The person declared for ("khai hộ"); the code is theirs."""

    full_name: str
    id_number: str = Field(description="CCCD (12 digits), CMND (9) or a passport number")
    birth_date: str = Field(description="YYYY-MM-DD, not in the future")
    gender: str = Field(description="male or female")
    phone: str | None = Field(None, description="their own mobile, if any")
    address: Address | None = None
    bhyt_number: str | None = None


class DeclarationRequest(BaseModel):
    """A health declaration. The top-level person is the one declaring; with `proxy_for` they
    declare for that person, whose answers these are."""

    full_name: str = Field(description="as on the ID document, with diacritics; 45 letters max")
    id_number: str = Field(description="CCCD (12 digits), CMND (9) or a passport number")
    birth_date: str = Field(description="YYYY-MM-DD, not in the future")
    gender: str = Field(description="male or female")
    phone: str = Field(description="a Vietnamese mobile number: 0xxxxxxxxx or +84xxxxxxxxx")
    address: Address
    answers: dict[str, bool] = Field(
        description="every question id of GET /api/v1/declarations/questions: true (yes) or "
        "false (no); none may be left out"
    )
    proxy_for: ProxyFor | None = None
    bhyt_number: str | None = None


class DeclarationAnswer(BaseModel):
    qr_text: str = Field(description="the code's text (1405 layout, signed); show it as a QR")
    valid_until: str
    declared_at: str
    summary: str = Field(description='"healthy", or "symptoms", "contact", "travel" joined by +')
    server_time: str


class FieldProblem(BaseModel):
    field: str = Field(description="the field as named in the request: id_number, answers.fever")
    code: str
    message: str
    message_vi: str


class InvalidDeclaration(BaseModel):
    error: str = "invalid_declaration"
    detail: list[FieldProblem]
    server_time: str


class Question(BaseModel):
    id: str
    vi: str
    en: str


class QuestionsAnswer(BaseModel):
    questions: list[Question]
    server_time: str


class KeysAnswer(BaseModel):
    delegations: list[dict[str, Any]] = Field(
        description="root-signed delegation envelopes (checkpoint_common.signing) of the keys "
        "that sign declarations; a kiosk checks each against its pinned root key"
    )
    server_time: str


OPENAPI_MODELS: dict[str, type[BaseModel]] = {"DeclarationRequest": DeclarationRequest}


class _AddressLimiter(_RateLimiter):
    """The per-device limiter, keyed by client address, forgetting idle addresses when many."""

    def __init__(self, limit: RateLimit, monotonic: Callable[[], float]) -> None:
        super().__init__(limit, monotonic)
        self._prune_lock = threading.Lock()

    def wait_s(self, device_id: str) -> float:
        if len(self._buckets) > _PRUNE_AT:
            with self._prune_lock, self._lock:
                full = self._burst / self._rate  # seconds after which a bucket is full again
                now = self._monotonic()
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full}
        return super().wait_s(device_id)


def _problems_json(problems: list[Problem]) -> list[dict[str, str]]:
    return [
        {
            "field": p.field,
            "code": p.code,
            "message": texts.problem("en", p.code),
            "message_vi": texts.problem("vi", p.code),
        }
        for p in problems
    ]


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(ZONE).strftime("%H:%M %d/%m/%Y")


def install_declarations(
    app: FastAPI,
    desk: Desk,
    *,
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Add the page and the API to `app` (central.app.create_app calls it)."""
    limiter = _AddressLimiter(rate_limit, monotonic) if rate_limit else None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("central.declare", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("declare.html")

    def now_iso() -> str:
        return to_iso(desk.clock())

    def limit(request: Request) -> None:
        if limiter is None:
            return
        address = request.client.host if request.client else "-"
        wait = limiter.wait_s(address)
        if wait > 0:
            raise ApiError(
                429, "rate_limited", "too many declarations", {"Retry-After": str(math.ceil(wait))}
            )

    # -- API --------------------------------------------------------------------------------

    @app.get(
        f"{API_PREFIX}/declarations/questions",
        response_model=QuestionsAnswer,
        summary="The health declaration's questions (ids, Vietnamese and English)",
        tags=["declarations"],
    )
    def questions() -> Response:
        body = {"questions": [q.to_json() for q in QUESTIONS], "server_time": now_iso()}
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=3600"})

    @app.post(
        f"{API_PREFIX}/declarations",
        status_code=201,
        response_model=DeclarationAnswer,
        responses={
            422: {"model": InvalidDeclaration, "description": "missing or wrong fields, named"},
            **_errors(400, 413, 429, 503),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": f"JSON, at most {MAX_DECLARATION_BYTES} bytes.",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/DeclarationRequest"}
                    }
                },
            }
        },
        summary="Declare health: a signed personal QR code (1405 layout) kiosks check offline",
        tags=["declarations"],
    )
    async def declare_api(request: Request) -> Response:
        limit(request)
        body = await _read_body(request, MAX_DECLARATION_BYTES)
        data = _parse_json(body)
        try:
            # On the event loop: checking, signing and sealing take a fraction of a millisecond
            # of CPU (a worker thread would add its hand-over and not run faster under the
            # GIL); the commit is awaited without holding a thread (GroupWriter).
            issued, stored = desk.start(data)
            await asyncio.wrap_future(stored)
        except Invalid as exc:
            log.info("declaration refused: %s", ", ".join(p.field for p in exc.problems))
            return JSONResponse(
                {
                    "error": "invalid_declaration",
                    "detail": _problems_json(exc.problems),
                    "server_time": now_iso(),
                },
                status_code=422,
            )
        except NotSetUp as exc:
            raise ApiError(503, "not_set_up", "declarations are not set up on this server") from exc
        return JSONResponse({**issued.to_json(), "server_time": now_iso()}, status_code=201)

    @app.get(
        f"{API_PREFIX}/declarations/keys",
        response_model=KeysAnswer,
        responses=_errors(404),
        summary="The declaration keys' delegations, for kiosks to check codes offline",
        tags=["declarations"],
    )
    def declaration_keys() -> Response:
        if not desk.delegations:
            raise ApiError(404, "not_set_up", "no declaration key is installed")
        body = {"delegations": list(desk.delegations), "server_time": now_iso()}
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    # -- the page ---------------------------------------------------------------------------

    def page(
        request: Request,
        *,
        lang: str,
        proxy: bool,
        values: Mapping[str, str] | None = None,
        problems: list[Problem] | None = None,
        message: str | None = None,
        issued: Issued | None = None,
        declarer_fields: list[tuple[str, str]] | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Response:
        qr_png, qr_size = "", 0
        if issued is not None:
            code = qr_code(issued.qr_text)
            # 6 pixels a module: sharp when saved, 5 x 5 cm or more when printed.
            qr_png = code.png_data_uri(scale=6, border=4)
            qr_size = int(code.symbol_size(scale=6, border=4)[0])
        html = template.render(
            lang=lang,
            t=lambda key, **kw: texts.text(lang, key, **kw),
            css=_CSS,
            here="/declare",
            for_other_query="&for=other" if proxy else "",
            proxy=proxy,
            available=desk.signer is not None,
            values=values or {},
            errors={p.field: texts.problem(lang, p.code) for p in problems or ()},
            message=message,
            questions=QUESTIONS,
            retention_days=RETENTION_DAYS,
            issued=issued,
            qr_png=qr_png,
            qr_size=qr_size,
            declared_local=_local(issued.declared_at) if issued else "",
            valid_local=_local(issued.valid_until) if issued else "",
            declarer_fields=declarer_fields or [],
        )
        return security_headers(HTMLResponse(html, status_code=status, headers=headers), CSP)

    def language(request: Request) -> str:
        lang = request.query_params.get("lang", "vi")
        return lang if lang in texts.LANGUAGES else "vi"

    @app.get("/declare", response_class=HTMLResponse, include_in_schema=False)
    def declare_form(request: Request) -> Response:
        proxy = request.query_params.get("for") == "other"
        message = None if desk.signer else texts.text(language(request), "unavailable")
        return page(request, lang=language(request), proxy=proxy, message=message)

    @app.post("/declare", response_class=HTMLResponse, include_in_schema=False)
    async def declare_post(request: Request) -> Response:
        lang, proxy = language(request), request.query_params.get("for") == "other"
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            return Response("form too large", status_code=413)
        form: dict[str, str] = {}
        async with request.form(max_files=0, max_fields=200) as parsed:
            for key, value in parsed.multi_items():
                if isinstance(value, str) and key not in form:
                    form[key] = value[:500]
        if form.get("step") == "start":  # "declare for someone else", the declarer filled in
            return page(request, lang=lang, proxy=True, values=form)
        try:
            limit(request)
        except ApiError as exc:
            seconds = exc.headers.get("Retry-After", "60")
            return page(
                request,
                lang=lang,
                proxy=proxy,
                values=form,
                message=texts.text(lang, "too_many", s=seconds),
                status=429,
                headers=exc.headers,
            )
        data = _declaration_object(form, proxy)
        problems: list[Problem] = []
        if form.get("consent") != "yes":
            try:
                check(data, desk.today())
            except Invalid as exc:
                problems = exc.problems
            problems.append(Problem("consent", "consent"))
        else:
            try:
                issued = await run_in_threadpool(desk.declare, data)
            except Invalid as exc:
                problems = exc.problems
            except NotSetUp:
                return page(
                    request,
                    lang=lang,
                    proxy=proxy,
                    values=form,
                    message=texts.text(lang, "unavailable"),
                    status=503,
                )
            except StorageUnavailable:
                return page(
                    request,
                    lang=lang,
                    proxy=proxy,
                    values=form,
                    message=texts.text(lang, "busy"),
                    status=503,
                    headers={"Retry-After": "5"},
                )
        if problems:
            log.info("declaration form refused: %s", ", ".join(p.field for p in problems))
            return page(
                request,
                lang=lang,
                proxy=proxy,
                values=form,
                problems=problems,
                message=texts.text(lang, "fix_errors"),
                status=422,
            )
        own = [(name, form.get(name, "")) for name in _own_field_names()]
        return page(request, lang=lang, proxy=False, issued=issued, declarer_fields=own, status=201)


def _own_field_names() -> list[str]:
    return [*_PERSON_FIELDS, *(f"address.{part}" for part in ADDRESS_PARTS)]


def _declaration_object(form: Mapping[str, str], proxy: bool) -> dict[str, Any]:
    """The API's JSON object from the page's form fields (a radio not chosen is missing)."""

    def person(prefix: str) -> dict[str, Any]:
        found: dict[str, Any] = {name: form.get(prefix + name) for name in _PERSON_FIELDS}
        found["address"] = {part: form.get(f"{prefix}address.{part}", "") for part in ADDRESS_PARTS}
        return found

    data = person("")
    if proxy:
        data["proxy_for"] = person("proxy_for.")
    data["answers"] = {
        q.id: {"yes": True, "no": False}.get(form.get(f"answers.{q.id}", "")) for q in QUESTIONS
    }
    return data


__all__ = ["CSP", "DEFAULT_RATE_LIMIT", "OPENAPI_MODELS", "install_declarations", "qr_code"]
