"""The web console at /console: pages rendered on the server (Jinja2), forms posted back, no
script at all (docs/central.md, "The web console").

Security, in one place:
- Sessions: cookie SESSION_COOKIE (HttpOnly, Secure, SameSite=Strict, Path=/console) holding a
  random token; the database keeps its hash (central.console.accounts). Browsers keep a Secure
  cookie over plain http only on loopback (127.0.0.1, localhost: tests, an SSH tunnel); a
  console reached over the network must be served over HTTPS (`serve --tls-cert`, or a TLS
  proxy), and the login page says so when it is not.
- CSRF: every form carries the session's token (`csrf`), checked on every POST; the login form
  carries a token paired with a short-lived cookie. SameSite=Strict is the second wall.
- Roles are checked on every route (`_page(..., roles=...)`); a site manager's checkpoint is
  checked on every checkpoint route.
- Personal data only in POST answers for health officers, every reveal audited; an identifier
  typed by an officer is a form field, never in a URL, never logged.
- Answers carry a Content-Security-Policy that allows no script and nothing from another host
  (`style-src 'self'`: the one stylesheet below /console/static), `Cache-Control: no-store`,
  `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and deny framing.

Threads: endpoints are async only to read the form; the work (database, Argon2, opening sealed
data) runs in the thread pool (run_in_threadpool).
"""

# No `from __future__ import annotations`: FastAPI reads endpoint annotations at runtime.
import dataclasses
import datetime as dt
import importlib.resources
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import jinja2
import segno
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from central import tokens, tracing
from central.console import audit, sites
from central.console.accounts import (
    ADMIN,
    HEALTH_OFFICER,
    SITE_MANAGER,
    Accounts,
    LoginRefused,
    Session,
    same_token,
)
from central.console.charts import bars
from central.console.texts import DEFAULT_LANGUAGE, LANGUAGES, translate
from central.reveal import OPENED, Revealed
from central.schema import events
from central.storage import CheckpointRecord, InvalidInput, Storage, StorageUnavailable
from checkpoint_common.csvfile import csv_bytes
from checkpoint_common.enrollqr import make_invite
from checkpoint_common.personkey import (
    AS_BHYT,
    AS_CCCD,
    AS_CMND,
    AS_PASSPORT,
    AS_PHONE,
    AS_QID,
    candidate_identities,
)
from checkpoint_common.protocol import StatusEntry
from checkpoint_common.settings import Settings
from checkpoint_common.timefmt import from_iso, to_iso

log = logging.getLogger(__name__)

PREFIX = "/console"
SESSION_COOKIE = "kc_session"
LOGIN_COOKIE = "kc_login"
LANG_COOKIE = "kc_lang"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
MAX_FORM_BYTES = 64 * 1024
MAX_PERIOD_DAYS = 60
ENROLLMENT_HOURS = 24
FORM_EXPIRED = "This page was open too long or did not come from this console. Please try again."
ALL_ROLES = frozenset({HEALTH_OFFICER, SITE_MANAGER, ADMIN})
HOME = {HEALTH_OFFICER: "/trace", SITE_MANAGER: "/sites", ADMIN: "/overview"}
ROLE_LABELS = {
    "health-officer": "health officer",
    "site-manager": "site manager",
    "admin": "administrator",
    "operator": "operator (command line)",
}
# The kinds of code, as people name them (../shared/GLOSSARY.md, "Code kinds").
KIND_LABELS = {
    "personal_qr": "Personal QR code",
    "cccd": "Citizen ID card (CCCD)",
    "bhyt": "Health-insurance card (BHYT)",
    "eu_dcc": "Vaccine certificate",
    "manual": "Manual entry",
}
TIME_ZONES = (
    "Asia/Ho_Chi_Minh",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/Berlin",
    "UTC",
)

Clock = Callable[[], dt.datetime]


class PageError(Exception):
    """An answer other than the page: status and a message (English; translated)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclasses.dataclass
class Ctx:
    """One request as a page handler sees it."""

    request: Request
    session: Session | None
    lang: str
    now: dt.datetime
    form: Mapping[str, list[str]]

    def t(self, text: str, **values: Any) -> str:
        return translate(self.lang, text, **values)

    def field(self, name: str, default: str = "") -> str:
        values = self.form.get(name)
        return values[0] if values else default

    def fields(self, name: str) -> list[str]:
        return list(self.form.get(name, ()))

    @property
    def session_(self) -> Session:
        assert self.session is not None  # routes with roles always have one
        return self.session


def security_headers(response: Response, csp: str = CSP) -> Response:
    """The headers every page of the server carries (the module docstring); `csp` for a page
    with its own policy (central.declare.web: an inline style by its hash, data: images)."""
    response.headers["Content-Security-Policy"] = csp
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _local_zone(checkpoint: CheckpointRecord | None) -> Any:
    return tracing.checkpoint_zone(checkpoint)


def _fmt(moment: dt.datetime | None, zone: Any, *, seconds: bool = False) -> str:
    """Vietnamese date format in the zone: 25/11/2026 10:05."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def _parse_day(text: str) -> dt.date | None:
    """A day typed as dd/mm/yyyy, or yyyy-mm-dd (what a browser's date field sends)."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(x) for x in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _minutes(ctx: Ctx, name: str, default: int) -> int:
    text = ctx.field(name, str(default)).strip() or str(default)
    if not text.isdigit() or not 0 <= int(text) <= 1440:
        raise PageError(400, "A number of minutes from 0 to 1440.")
    return int(text)


def _group_digits(text: str) -> str:
    """A number as people read it (and as a spreadsheet keeps it as text): 0912 345 678,
    079 199 012 345."""
    if not text.isdigit():
        return text
    if len(text) == 10:
        return f"{text[:4]} {text[4:7]} {text[7:]}"
    return " ".join(text[max(0, i - 3) : i] for i in range(len(text), 0, -3)[::-1])


class Console:
    """The console's pages on a Storage (module docstring)."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self.accounts = Accounts(storage.db)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("central.console", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # Dates as Vietnam writes them (and as the forms read them back): 03/12/2026.
        self.env.filters["vndate"] = lambda day: day.strftime("%d/%m/%Y")
        self.css = (
            importlib.resources.files("central.console") / "static" / "console.css"
        ).read_bytes()

    # -- plumbing ---------------------------------------------------------------------------

    def render(self, ctx: Ctx, template: str, status: int = 200, **values: Any) -> Response:
        session = ctx.session
        page = self.env.get_template(template).render(
            t=ctx.t,
            lang=ctx.lang,
            user=session.user if session else None,
            role_label=ctx.t(ROLE_LABELS[session.user.role]) if session else "",
            csrf=session.csrf_token if session else "",
            path=ctx.request.url.path,
            prefix=PREFIX,
            **values,
        )
        return security_headers(HTMLResponse(page, status_code=status))

    @staticmethod
    def redirect(path: str) -> Response:
        return security_headers(RedirectResponse(PREFIX + path, status_code=303))

    def audit(self, ctx: Ctx, action: str, **values: Any) -> None:
        session = ctx.session
        audit.record(
            self.storage.db,
            actor=session.user.name if session else "-",
            role=session.user.role if session else "-",
            action=action,
            now=ctx.now,
            **values,
        )

    def install(self, app: FastAPI) -> None:
        """Add the console's routes to `app`."""
        page = self._page
        page(app, "", ["GET"], self.home, roles=None)
        page(app, "/", ["GET"], self.home, roles=None)
        page(app, "/login", ["GET"], self.login_form, roles=None)
        page(app, "/login", ["POST"], self.login, roles=None, csrf=False)
        page(app, "/logout", ["POST"], self.logout, roles=ALL_ROLES)
        page(app, "/language/{lang}", ["GET"], self.language, roles=None)
        page(app, "/trace", ["GET", "POST"], self.trace, roles={HEALTH_OFFICER})
        page(app, "/trace/export", ["POST"], self.trace_export, roles={HEALTH_OFFICER})
        page(app, "/trace/mark", ["POST"], self.trace_mark, roles={HEALTH_OFFICER})
        page(app, "/status", ["GET", "POST"], self.status, roles={HEALTH_OFFICER})
        page(app, "/overview", ["GET"], self.overview, roles={HEALTH_OFFICER, ADMIN})
        page(app, "/sites", ["GET"], self.sites, roles={SITE_MANAGER, ADMIN})
        page(app, "/sites/new", ["GET", "POST"], self.site_new, roles={SITE_MANAGER, ADMIN})
        page(app, "/sites/{checkpoint_id}", ["GET"], self.site, roles={SITE_MANAGER, ADMIN})
        page(
            app,
            "/sites/{checkpoint_id}/code",
            ["POST"],
            self.site_code,
            roles={SITE_MANAGER, ADMIN},
        )
        page(
            app,
            "/sites/{checkpoint_id}/revoke",
            ["POST"],
            self.site_revoke,
            roles={SITE_MANAGER, ADMIN},
        )
        page(app, "/audit", ["GET"], self.audit_page, roles={ADMIN})
        page(app, "/audit/export", ["POST"], self.audit_export, roles={ADMIN})

        @app.get(PREFIX + "/static/console.css", include_in_schema=False)
        def stylesheet() -> Response:
            response = Response(self.css, media_type="text/css")
            response.headers["Cache-Control"] = "public, max-age=3600"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response

    def _page(
        self,
        app: FastAPI,
        path: str,
        methods: list[str],
        handler: Callable[..., Response],
        *,
        roles: set[str] | frozenset[str] | None,
        csrf: bool = True,
    ) -> None:
        async def endpoint(request: Request) -> Response:
            form: dict[str, list[str]] = {}
            if request.method == "POST":
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
                    return Response("form too large", status_code=413)
                async with request.form(max_files=0, max_fields=2000) as parsed:
                    for key, value in parsed.multi_items():
                        if isinstance(value, str):
                            form.setdefault(key, []).append(value)
            return await run_in_threadpool(
                self._handle, request, form, handler, roles, csrf and request.method == "POST"
            )

        app.add_api_route(
            PREFIX + path, endpoint, methods=methods, include_in_schema=False, name=None
        )

    def _handle(
        self,
        request: Request,
        form: dict[str, list[str]],
        handler: Callable[..., Response],
        roles: set[str] | frozenset[str] | None,
        check_csrf: bool,
    ) -> Response:
        now = self.clock()
        lang = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        ctx = Ctx(request, None, lang, now, form)
        try:
            token = request.cookies.get(SESSION_COOKIE, "")
            ctx.session = self.accounts.session(token, now) if token else None
            if roles is not None:
                if ctx.session is None:
                    if request.method == "POST":
                        return self.login_form(ctx, expired=True)
                    return self.redirect("/login")
                if ctx.session.user.role not in roles:
                    raise PageError(403, "You may not see this page.")
                if check_csrf and not same_token(ctx.field("csrf"), ctx.session.csrf_token):
                    raise PageError(403, FORM_EXPIRED)
            return handler(ctx, **request.path_params)
        except PageError as exc:
            return self.render(ctx, "error.html", status=exc.status, message=ctx.t(exc.message))
        except StorageUnavailable:
            return self.render(
                ctx,
                "error.html",
                status=503,
                message=ctx.t("The database is busy. Please try again in a moment."),
            )

    # -- sign in and out --------------------------------------------------------------------

    def home(self, ctx: Ctx) -> Response:
        if ctx.session is None:
            return self.redirect("/login")
        return self.redirect(HOME[ctx.session.user.role])

    def login_form(
        self, ctx: Ctx, *, error: str | None = None, expired: bool = False, status: int = 200
    ) -> Response:
        token = secrets.token_urlsafe(24)
        host = ctx.request.url.hostname or ""
        insecure = ctx.request.url.scheme != "https" and host not in (
            "127.0.0.1",
            "localhost",
            "::1",
        )
        message = error or (
            ctx.t("Your session has ended. Please sign in again.") if expired else None
        )
        response = self.render(
            ctx,
            "login.html",
            status=status,
            login_token=token,
            error=message,
            insecure=insecure,
            username=ctx.field("username"),
        )
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            max_age=3600,
            path=PREFIX + "/login",
            secure=True,
            httponly=True,
            samesite="strict",
        )
        return response

    def login(self, ctx: Ctx) -> Response:
        expected = ctx.request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not same_token(ctx.field("csrf"), expected):
            return self.login_form(
                ctx,
                error=ctx.t(FORM_EXPIRED),
                status=403,
            )
        name = ctx.field("username")
        try:
            token, session = self.accounts.login(name, ctx.field("password"), ctx.now)
        except LoginRefused as refused:
            action = audit.LOGIN_LOCKED if refused.reason == "locked" else audit.LOGIN_FAILED
            # A name that is no account is not written down: it may be anything someone typed
            # (a password in the wrong field, an ID number).
            known = name and self.accounts.get(name.strip()) is not None
            audit.record(
                self.storage.db,
                actor=name.strip()[:64] if known else "(unknown name)",
                role="-",
                action=action,
                now=ctx.now,
            )
            if refused.reason == "locked" and refused.until is not None:
                message = ctx.t(
                    "Too many failed attempts: this account is locked until {time}.",
                    time=_fmt(refused.until, _local_zone(None)),
                )
            elif refused.reason == "disabled":
                message = ctx.t("This account is disabled. Ask your administrator.")
            else:
                message = ctx.t("Wrong user name or password.")
            return self.login_form(ctx, error=message, status=401)
        ctx.session = session
        self.audit(ctx, audit.LOGIN)
        response = self.redirect(HOME[session.user.role])
        response.set_cookie(
            SESSION_COOKIE,
            token,
            path=PREFIX,
            secure=True,
            httponly=True,
            samesite="strict",
        )
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX + "/login")
        return response

    def logout(self, ctx: Ctx) -> Response:
        token = ctx.request.cookies.get(SESSION_COOKIE, "")
        self.audit(ctx, audit.LOGOUT)
        self.accounts.end(token)
        response = self.redirect("/login")
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    def language(self, ctx: Ctx, lang: str) -> Response:
        target = ctx.request.query_params.get("next", "")
        # Only a page of this console (no other host, no scheme-relative //host).
        if not target.startswith(PREFIX) or target.startswith("//") or "\\" in target:
            target = PREFIX + "/"
        response = security_headers(RedirectResponse(target, status_code=303))
        if lang in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=365 * 86400,
                path=PREFIX,
                secure=True,
                samesite="strict",
            )
        return response

    # -- tracing ----------------------------------------------------------------------------

    def _trace_params(self, ctx: Ctx) -> dict[str, Any]:
        """The trace form's values, checked (PageError 400 otherwise); defaults: the last 14
        days up to today, margin 15 min, no minimum overlap."""
        zone = _local_zone(None)
        today = ctx.now.astimezone(zone).date()
        first_text, last_text = ctx.field("from").strip(), ctx.field("to").strip()
        first = _parse_day(first_text) if first_text else today - dt.timedelta(days=13)
        last = _parse_day(last_text) if last_text else today
        if first is None or last is None:
            raise PageError(400, "A date is written dd/mm/yyyy.")
        if first > last:
            raise PageError(400, "The start must be before the end.")
        if (last - first).days >= MAX_PERIOD_DAYS:
            raise PageError(400, "The period is at most {n} days.".replace("{n}", "60"))
        start = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return {
            "person": ctx.field("person"),
            "first": first,
            "last": last,
            "start": start,
            "end": min(end.astimezone(dt.UTC), ctx.now),
            "margin": _minutes(ctx, "margin", 15),
            "min_overlap": _minutes(ctx, "min_overlap", 0),
        }

    def _run_trace(self, ctx: Ctx, params: dict[str, Any]) -> tracing.TraceResult:
        result = tracing.trace(
            self.storage,
            params["person"],
            now=ctx.now,
            start=params["start"],
            end=params["end"],
            margin=dt.timedelta(minutes=params["margin"]),
            min_overlap=dt.timedelta(minutes=params["min_overlap"]),
            reveal_personal=True,
        )
        return result

    def _audit_trace(self, ctx: Ctx, result: tracing.TraceResult, action: str) -> None:
        detail = {
            "searched_as": list(result.understood_as),
            "visits": len(result.visits),
            "from": to_iso(result.start),
            "to": to_iso(result.end),
            "margin_min": int(result.margin.total_seconds() // 60),
        }
        subject = result.keys[0][:12] if result.keys else None
        people = result.people()
        if action != audit.REVEAL:
            self.audit(ctx, action, subject=subject, people=people, detail=detail)
        if action in (audit.TRACE, audit.REVEAL) and result.found:
            # The contacts' and the case's personal data were opened for this page.
            self.audit(ctx, audit.REVEAL, subject=subject, people=people + 1, detail=detail)

    def trace(self, ctx: Ctx, *, notice: str | None = None) -> Response:
        if ctx.request.method == "GET" and notice is None:
            params = self._trace_params(Ctx(ctx.request, ctx.session, ctx.lang, ctx.now, {}))
            return self.render(ctx, "trace.html", params=params, result=None, notice=None)
        try:
            params = self._trace_params(ctx)
        except PageError as exc:
            params = self._trace_params(Ctx(ctx.request, ctx.session, ctx.lang, ctx.now, {}))
            params["person"] = ctx.field("person")
            return self.render(
                ctx, "trace.html", status=400, params=params, result=None, notice=ctx.t(exc.message)
            )
        result = self._run_trace(ctx, params)
        # Shown again after a mark: the personal data is opened again, and audited again.
        self._audit_trace(ctx, result, audit.TRACE if notice is None else audit.REVEAL)
        return self.render(
            ctx,
            "trace.html",
            params=params,
            result=result,
            notice=notice,
            view=self._trace_view(ctx, result),
            not_understood=not candidate_identities(params["person"]).identities
            and not result.found,
        )

    def _trace_view(self, ctx: Ctx, result: tracing.TraceResult) -> dict[str, Any]:
        """What the template shows, formatted: times local to each checkpoint."""

        def zone(checkpoint_id: str) -> Any:
            return _local_zone(result.checkpoints.get(checkpoint_id))

        def end_text(stay: tracing.Stay) -> str:
            if stay.closed == tracing.STILL_INSIDE:
                return ctx.t("still inside")
            text = _fmt(stay.out_time or stay.end, zone(stay.checkpoint_id))
            if stay.closed == tracing.AUTO_CHECKOUT:
                return f"{text} ({ctx.t('closed by auto-checkout')})"
            return text

        visits = []
        for index, visit in enumerate(result.visits):
            contacts = []
            for contact in result.contacts:
                if contact.visit != index:
                    continue
                contacts.append(
                    {
                        "key": contact.stay.person_key,
                        "kind": ctx.t(KIND_LABELS.get(contact.stay.kind, contact.stay.kind)),
                        "in": _fmt(contact.stay.in_time, zone(visit.checkpoint_id)),
                        "out": end_text(contact.stay),
                        "overlap": contact.overlap_minutes,
                        "margin_only": contact.overlap_s == 0,
                        **self._person(ctx, contact.personal, contact.stay.display_name),
                    }
                )
            visits.append(
                {
                    "checkpoint": result.checkpoint_name(visit.checkpoint_id),
                    "in": _fmt(visit.in_time, zone(visit.checkpoint_id)),
                    "out": end_text(visit),
                    "contacts": contacts,
                    **self._person(ctx, result.visit_personal[index], visit.display_name),
                }
            )
        zone_vn = _local_zone(None)
        return {
            "visits": visits,
            "start": _fmt(result.start, zone_vn),
            "end": _fmt(result.end, zone_vn),
            "searched_as": ", ".join(ctx.t(a) for a in result.understood_as),
        }

    @staticmethod
    def _person(ctx: Ctx, personal: Revealed | None, display_name: str | None) -> dict[str, str]:
        if personal is None or personal.opened != OPENED:
            return {
                "name": display_name or "—",
                "id_number": "",
                "phone": "",
                "address": "",
                "sealed": "" if personal is None else ctx.t("sealed data did not open"),
            }
        f = personal.fields
        return {
            "name": str(f.get("full_name") or display_name or "—"),
            "id_number": _group_digits(str(f.get("id_number") or "")),
            "phone": _group_digits(str(f.get("phone") or "")),
            "address": str(f.get("address") or ""),
            "sealed": "",
        }

    def trace_export(self, ctx: Ctx) -> Response:
        params = self._trace_params(ctx)
        result = self._run_trace(ctx, params)
        self._audit_trace(ctx, result, audit.EXPORT)
        view = self._trace_view(ctx, result)
        fields = (
            "full_name",
            "phone",
            "id_number",
            "address",
            "checkpoint",
            "in",
            "out",
            "together_min",
            "code_kind",
            "case_visit_in",
            "case_visit_out",
        )
        rows = [
            {
                "full_name": c["name"],
                "phone": c["phone"],
                "id_number": c["id_number"],
                "address": c["address"],
                "checkpoint": v["checkpoint"],
                "in": c["in"],
                "out": c["out"],
                "together_min": c["overlap"],
                "code_kind": c["kind"],
                "case_visit_in": v["in"],
                "case_visit_out": v["out"],
            }
            for v in view["visits"]
            for c in v["contacts"]
        ]
        body = csv_bytes(fields, rows)
        stamp = ctx.now.astimezone(_local_zone(None)).strftime("%Y%m%d-%H%M")
        response = Response(body, media_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="contacts-{stamp}.csv"'
        return security_headers(response)

    def trace_mark(self, ctx: Ctx) -> Response:
        params = self._trace_params(ctx)
        chosen = set(ctx.fields("contact"))
        colour = ctx.field("colour")
        if colour not in ("red", "yellow"):
            raise PageError(400, "Page not found.")
        until_day = _parse_day(ctx.field("valid_until"))
        if not chosen:
            return self.trace(ctx, notice=ctx.t("Select at least one person."))
        if until_day is None:
            raise PageError(400, "A date is written dd/mm/yyyy.")
        result = self._run_trace(ctx, params)
        until = dt.datetime.combine(
            until_day + dt.timedelta(days=1), dt.time(), tzinfo=_local_zone(None)
        ).astimezone(dt.UTC)
        changes: dict[str, StatusEntry | None] = {}
        people: set[str] = set()
        for contact in result.contacts:
            if contact.stay.person_key not in chosen:
                continue
            people.add(contact.stay.person_key)
            keys = [
                contact.stay.person_key,
                *tracing.person_keys(self.storage, tracing.contact_identities(contact)),
            ]
            for key in keys:
                changes[key] = StatusEntry(key, colour, to_iso(until))
        version = self.storage.change_status_list(changes, ctx.now)
        self.audit(
            ctx,
            audit.STATUS_CHANGE,
            subject=result.keys[0][:12] if result.keys else None,
            people=len(people),
            detail={"colour": colour, "keys": len(changes), "version": version, "from": "trace"},
        )
        notice = ctx.t(
            "{n} people marked {colour} until {date}; kiosks get it at their next sync.",
            n=len(people),
            colour=ctx.t(colour),
            date=until_day.strftime("%d/%m/%Y"),
        )
        return self.trace(ctx, notice=notice)

    # -- status list ------------------------------------------------------------------------

    def status(self, ctx: Ctx) -> Response:
        notice = None
        status_code = 200
        if ctx.request.method == "POST":
            try:
                notice = self._status_change(ctx)
            except PageError as exc:
                notice, status_code = ctx.t(exc.message), exc.status
        changes = self.storage.status_list()
        names = self._display_names([e.person_key for e in changes.upserts])
        zone = _local_zone(None)
        entries = [
            {
                "key": e.person_key[:16] + "…",
                "name": names.get(e.person_key) or ctx.t("(not seen at any checkpoint yet)"),
                "colour": e.colour,
                # The last minute it is valid (a date chosen here ends at the next midnight).
                "until": _fmt(from_iso(e.valid_until) - dt.timedelta(minutes=1), zone)
                if e.valid_until
                else "—",
            }
            for e in changes.upserts
        ]
        today = ctx.now.astimezone(zone).date()
        return self.render(
            ctx,
            "status.html",
            status=status_code,
            version=changes.version,
            entries=entries,
            notice=notice,
            default_until=(today + dt.timedelta(days=14)).strftime("%d/%m/%Y"),
        )

    def _display_names(self, keys: list[str]) -> dict[str, str]:
        """The masked name each key was last seen with (events.display_name: already masked
        by the kiosk)."""
        if not keys:
            return {}
        e = events.c
        names: dict[str, str] = {}
        with self.storage.db.query() as conn:
            for row in conn.execute(
                select(e.person_key, e.display_name)
                .where(self.storage.db.among(e.person_key, keys), e.display_name.is_not(None))
                .order_by(e.corrected_time)
            ):
                names[str(row.person_key)] = str(row.display_name)
        return names

    def _status_change(self, ctx: Ctx) -> str:
        text = ctx.field("person")
        action = ctx.field("action")
        resolution = candidate_identities(text)
        if not resolution.identities:
            raise PageError(
                400, "This is not an ID number, a phone number, a BHYT card number or a QID."
            )
        keys = self._status_keys(ctx, text)
        if action == "lift":
            current = {e.person_key for e in self.storage.status_list().upserts}
            lifted = [k for k in keys if k in current]
            if not lifted:
                return ctx.t("Nothing to lift: this person is not on the list.")
            version = self.storage.change_status_list(dict.fromkeys(lifted), ctx.now)
            self.audit(
                ctx,
                audit.STATUS_CHANGE,
                subject=lifted[0][:12],
                people=1,
                detail={"lifted": len(lifted), "version": version},
            )
            return ctx.t("{n} keys lifted.", n=len(lifted))
        colour = ctx.field("colour")
        if colour not in ("red", "yellow", "green"):
            raise PageError(400, "Page not found.")
        day = _parse_day(ctx.field("valid_until"))
        if day is None:
            raise PageError(400, "A date is written dd/mm/yyyy.")
        until = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(), tzinfo=_local_zone(None)
        ).astimezone(dt.UTC)
        try:
            version = self.storage.change_status_list(
                {k: StatusEntry(k, colour, to_iso(until)) for k in keys}, ctx.now
            )
        except InvalidInput as exc:
            raise PageError(400, str(exc)) from exc
        self.audit(
            ctx,
            audit.STATUS_CHANGE,
            subject=keys[0][:12],
            people=1,
            detail={"colour": colour, "keys": len(keys), "version": version},
        )
        return ctx.t("{n} keys set to {colour}.", n=len(keys), colour=ctx.t(colour))

    def _status_keys(self, ctx: Ctx, text: str) -> list[str]:
        """The keys to mark for a typed identifier: those the person was recorded under (and
        the other identifiers their records show), else the key of what the text most likely
        is (an ID number's, a phone's, a card's)."""
        result = tracing.trace(
            self.storage,
            text,
            now=ctx.now,
            start=ctx.now - dt.timedelta(days=MAX_PERIOD_DAYS),
            end=ctx.now,
        )
        if result.keys:
            return list(result.keys)
        resolution = candidate_identities(text)
        primary = {AS_CCCD, AS_CMND, AS_PASSPORT, AS_PHONE, AS_BHYT, AS_QID}
        likely = resolution.understood_as[:1]
        identities = [
            i
            for i in resolution.identities
            if not likely or likely[0] not in primary or _scheme_of(likely[0]) == i.scheme
        ]
        return tracing.person_keys(self.storage, identities or resolution.identities)

    # -- overview ---------------------------------------------------------------------------

    def overview(self, ctx: Ctx) -> Response:
        data = sites.overview(self.storage, ctx.now)
        zone = _local_zone(None)
        districts: dict[tuple[str, str], dict[str, int]] = {}
        for line in data.lines:
            key = (line.place.province or "", line.place.district or "")
            row = districts.setdefault(key, {"registered": 0, "active": 0, "scans": 0, "silent": 0})
            row["registered"] += 1
            row["active"] += 1 if line.scans_today else 0
            row["scans"] += line.scans_today
            row["silent"] += 1 if line.silent(ctx.now) else 0
        labels = [_fmt(h, zone)[:13] + "h" for h, _ in data.hourly]
        # A date under each local midnight.
        ticks = [
            h.astimezone(zone).strftime("%d/%m") if h.astimezone(zone).hour == 0 else ""
            for h, _ in data.hourly
        ]
        chart = bars(
            [("scans", [n for _, n in data.hourly])],
            labels,
            title=ctx.t("Scans per hour, last 14 days"),
            width=960,
            ticks=ticks,
        )
        lines = [
            {
                "id": line.checkpoint.id,
                "name": line.checkpoint.name,
                "district": line.place.district,
                "scans": line.scans_today,
                "people": line.people_today,
                "kiosks": line.kiosks,
                "last": _fmt(line.last_contact, zone) if line.last_contact else ctx.t("never"),
                "silent": line.silent(ctx.now),
            }
            for line in data.lines
        ]
        return self.render(
            ctx,
            "overview.html",
            data=data,
            lines=lines,
            districts=sorted(districts.items()),
            chart=chart,
            week_average=f"{data.scans_week_average:.0f}",
        )

    # -- sites ------------------------------------------------------------------------------

    def _visible(self, ctx: Ctx) -> list[CheckpointRecord]:
        user = ctx.session_.user
        return [c for c in self.storage.checkpoints() if user.sees_checkpoint(c.id)]

    def _checkpoint(self, ctx: Ctx, checkpoint_id: str) -> CheckpointRecord:
        found = self.storage.checkpoint(checkpoint_id)
        if found is None or not ctx.session_.user.sees_checkpoint(found.id):
            # The same answer for "absent" and "not yours": a site manager learns nothing.
            raise PageError(404, "Page not found.")
        return found

    def sites(self, ctx: Ctx) -> Response:
        data = sites.overview(self.storage, ctx.now)
        visible = {c.id for c in self._visible(ctx)}
        zone = _local_zone(None)
        lines = [
            {
                "id": line.checkpoint.id,
                "name": line.checkpoint.name,
                "place": ", ".join(
                    p
                    for p in (
                        line.place.address,
                        line.place.commune,
                        line.place.district,
                        line.place.province,
                    )
                    if p
                ),
                "scans": line.scans_today,
                "kiosks": line.kiosks,
                "last": _fmt(line.last_contact, zone) if line.last_contact else ctx.t("never"),
                "silent": line.silent(ctx.now),
            }
            for line in data.lines
            if line.checkpoint.id in visible
        ]
        return self.render(ctx, "sites.html", lines=lines)

    def site_new(self, ctx: Ctx) -> Response:
        values = {
            k: ctx.field(k)
            for k in ("name", "address", "province", "district", "commune", "capacity")
        }
        values["timezone"] = ctx.field("timezone", "Asia/Ho_Chi_Minh")
        if ctx.request.method == "GET":
            return self.render(ctx, "site_new.html", values=values, error=None, zones=TIME_ZONES)
        error = self._register(ctx, values)
        if isinstance(error, str):
            return self.render(
                ctx, "site_new.html", status=400, values=values, error=error, zones=TIME_ZONES
            )
        return self.redirect(f"/sites/{quote(error.id)}")

    def _register(self, ctx: Ctx, values: dict[str, str]) -> str | CheckpointRecord:
        name = " ".join(values["name"].split())
        if not name:
            return ctx.t("Give the checkpoint's name.")
        if any(c.name == name for c in self.storage.checkpoints()):
            return ctx.t("A checkpoint with this name exists already.")
        settings: dict[str, Any] = {"timezone": values["timezone"]}
        if values["capacity"].strip():
            if not values["capacity"].strip().isdigit():
                return ctx.t("Capacity") + ": 0–100000"
            settings["capacity"] = int(values["capacity"])
        try:
            checkpoint = self.storage.ensure_checkpoint(name, ctx.now)
            checkpoint = self.storage.update_checkpoint_settings(checkpoint.id, settings)
        except InvalidInput as exc:
            return str(exc)
        place = sites.Place(
            *(" ".join(values[k].split()) for k in ("address", "province", "district", "commune"))
        )
        user = ctx.session_.user
        sites.save_place(self.storage, checkpoint.id, place, user.name, ctx.now)
        if user.role == SITE_MANAGER:
            self.accounts.add_checkpoint(user.name, checkpoint.id)
        self.audit(ctx, audit.CHECKPOINT_REGISTERED, subject=checkpoint.id)
        return checkpoint

    def site(self, ctx: Ctx, checkpoint_id: str, *, notice: str | None = None) -> Response:
        checkpoint = self._checkpoint(ctx, checkpoint_id)
        zone = _local_zone(checkpoint)
        today = ctx.now.astimezone(zone).date()
        day = _parse_day(ctx.request.query_params.get("day", "")) or today
        counts = sites.day_counts(self.storage, checkpoint, day, ctx.now)
        visitors = sites.visitors(self.storage, checkpoint, day, ctx.now)
        if visitors:
            self.audit(
                ctx,
                audit.VISITORS_VIEWED,
                subject=checkpoint.id,
                people=len(visitors),
                detail={"day": day.isoformat()},
            )
        chart = bars(
            [("in", counts.hourly_in), ("out", counts.hourly_out)],
            [f"{h:02d}" for h in range(24)],
            title=ctx.t("Entries and exits by hour"),
            every=2,
        )
        kiosks = []
        for kiosk in sites.kiosks(self.storage, checkpoint.id):
            if kiosk.clock_synced is None:
                clock = ctx.t("not reported")
            elif kiosk.clock_offset_ms is not None and abs(kiosk.clock_offset_ms) > 5000:
                clock = ctx.t("off by {s} s", s=round(kiosk.clock_offset_ms / 1000))
            else:
                clock = ctx.t("synchronised" if kiosk.clock_synced else "not synchronised")
            kiosks.append(
                {
                    "id": kiosk.device_id,
                    "name": kiosk.name or kiosk.device_id[:8],
                    "last": _fmt(kiosk.last_contact, zone)
                    if kiosk.last_contact
                    else ctx.t("never"),
                    "waiting": ctx.t("not reported") if kiosk.waiting is None else kiosk.waiting,
                    "clock": clock,
                    "version": kiosk.app_version or ctx.t("not reported"),
                    "revoked": kiosk.revoked,
                    "demo": bool(kiosk.demo),
                }
            )
        place = sites.place(self.storage, checkpoint.id)
        return self.render(
            ctx,
            "site.html",
            checkpoint=checkpoint,
            place=place,
            capacity=checkpoint.settings.get("capacity", Settings().capacity),
            timezone=checkpoint.settings.get("timezone", Settings().timezone),
            day=day,
            day_text=day.strftime("%d/%m/%Y"),
            today=day == today,
            counts=counts,
            chart=chart,
            kiosks=kiosks,
            visitors=[
                {
                    "name": v.name,
                    "phone": v.phone,
                    "kind": ctx.t(KIND_LABELS.get(v.kind, v.kind)),
                    "birth_year": v.birth_year or "",
                    "in": _fmt(v.in_time, zone),
                    "out": (
                        ctx.t("still inside")
                        if v.closed == tracing.STILL_INSIDE
                        else _fmt(v.out_time, zone)
                        + (
                            f" ({ctx.t('closed by auto-checkout')})"
                            if v.closed == tracing.AUTO_CHECKOUT
                            else ""
                        )
                    ),
                }
                for v in visitors
            ],
            notice=notice,
        )

    def site_code(self, ctx: Ctx, checkpoint_id: str) -> Response:
        checkpoint = self._checkpoint(ctx, checkpoint_id)
        code = tokens.new_enrollment_code()
        expires = ctx.now + dt.timedelta(hours=ENROLLMENT_HOURS)
        self.storage.add_enrollment_code(
            checkpoint.id, tokens.code_digest(code), now=ctx.now, expires_at=expires
        )
        self.audit(ctx, audit.ENROLLMENT_CODE, subject=checkpoint.id)
        server = str(ctx.request.base_url).rstrip("/")
        try:
            # The kiosk's enrollment screen reads the address and the code from it
            # (checkpoint_common.enrollqr); an address it cannot carry leaves the code alone.
            qr_text = make_invite(server, code)
        except ValueError:
            qr_text = code
        qr = segno.make(qr_text, error="m").svg_inline(
            scale=8, dark="#000", light="#fff", omitsize=True
        )
        return self.render(
            ctx,
            "code.html",
            checkpoint=checkpoint,
            code=code,
            qr=qr,
            server=server,
            expires=_fmt(expires, _local_zone(checkpoint)),
        )

    def site_revoke(self, ctx: Ctx, checkpoint_id: str) -> Response:
        checkpoint = self._checkpoint(ctx, checkpoint_id)
        device_id = ctx.field("device_id")
        mine = {k.device_id: k for k in sites.kiosks(self.storage, checkpoint.id)}
        if device_id not in mine:
            raise PageError(404, "Page not found.")
        self.storage.revoke_device(device_id, ctx.now)
        self.audit(
            ctx, audit.DEVICE_REVOKED, subject=device_id, detail={"checkpoint": checkpoint.id}
        )
        return self.site(
            ctx,
            checkpoint.id,
            notice=ctx.t(
                "Kiosk {name} revoked: it can no longer send or receive.",
                name=mine[device_id].name or device_id[:8],
            ),
        )

    # -- audit ------------------------------------------------------------------------------

    def audit_page(self, ctx: Ctx) -> Response:
        before_text = ctx.request.query_params.get("before", "")
        before = int(before_text) if before_text.isdigit() else None
        rows = audit.entries(self.storage.db, limit=200, before=before)
        zone = _local_zone(None)
        names = {c.id: c.name for c in self.storage.checkpoints()}

        def shown(key: str, value: Any) -> str:
            if key in ("from", "to") and isinstance(value, str):
                try:
                    return _fmt(from_iso(value), zone)
                except ValueError:
                    return value
            if key == "checkpoint" and isinstance(value, str):
                return names.get(value, value)
            return str(value)

        return self.render(
            ctx,
            "audit.html",
            rows=[
                {
                    "id": r.id,
                    "at": _fmt(r.at, zone, seconds=True),
                    "actor": r.actor,
                    "role": ctx.t(ROLE_LABELS.get(r.role, r.role)) if r.role != "-" else "-",
                    "action": ctx.t(r.action),
                    # Checkpoints by name; a person only as the start of their key.
                    "subject": names.get(r.subject or "", r.subject or ""),
                    "people": r.people,
                    "detail": ", ".join(f"{k}: {shown(k, v)}" for k, v in sorted(r.detail.items())),
                }
                for r in rows
            ],
            older=rows[-1].id if len(rows) == 200 else None,
        )

    def audit_export(self, ctx: Ctx) -> Response:
        self.audit(ctx, audit.AUDIT_EXPORT)
        fields = ("id", "at", "actor", "role", "action", "subject", "people", "detail")
        rows = (
            {
                "id": r.id,
                "at": to_iso(r.at),
                "actor": r.actor,
                "role": r.role,
                "action": r.action,
                "subject": r.subject or "",
                "people": r.people,
                "detail": json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
            }
            for r in audit.every_entry(self.storage.db)
        )
        response = Response(csv_bytes(fields, rows), media_type="text/csv; charset=utf-8")
        stamp = ctx.now.astimezone(_local_zone(None)).strftime("%Y%m%d-%H%M")
        response.headers["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return security_headers(response)


def _scheme_of(understood: str) -> str:
    return {
        AS_CCCD: "id",
        AS_CMND: "id",
        AS_PASSPORT: "id",
        AS_PHONE: "manual",
        AS_BHYT: "bhyt",
        AS_QID: "qid",
    }[understood]


def install_console(app: FastAPI, storage: Storage, clock: Clock) -> Console:
    """Mount the console on `app` (central.app.create_app calls this)."""
    console = Console(storage, clock)
    console.install(app)
    return console


__all__ = ["CSP", "PREFIX", "SESSION_COOKIE", "Console", "install_console"]
