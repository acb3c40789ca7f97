"""`/inbox`: where leads and deputies sign in, read concerns and record decisions.

This module only speaks HTTP: who may see or do what is decided in bot.inbox.
Forms, not script: every page works without JavaScript, and the CSP allows none.
Every POST carries a CSRF token (the session's, or before sign-in a cookie's) and
is refused if it comes from another origin. Cookies are HttpOnly, SameSite=Strict,
limited to /inbox, and Secure when the inbox is served over HTTPS.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
from functools import lru_cache, wraps
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

import segno
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sanic import Blueprint, html
from sanic.response import redirect
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import clock, directory
from bot.concerns import default_store, export, form
from bot.concerns.links import public_base_url
from bot.concerns.store import RecordErased, StoreUnavailable
from sqlalchemy.exc import SQLAlchemyError
from bot.inbox.accounts import ENROL_HOURS, MIN_PASSWORD, ROLES, AccountError, Accounts, SignedIn, SignInRefused
from bot.inbox.casework import DECISIONS, MAX_TEXT, Casework, CaseworkError, NotVisible
from bot.notify.engine import AlertEngine

log = logging.getLogger(__name__)
bp = Blueprint("inbox", url_prefix="/inbox")

SESSION_COOKIE = "sg_inbox"
CSRF_COOKIE = "sg_inbox_csrf"
PUBLIC_URL_ENV = "SAFEGUARD_PUBLIC_URL"
STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}"
    "main{max-width:52rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}"
    ".bar{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;padding:.5rem 1rem;"
    "background:#0b3d6b;color:#fff}header a,header .link{color:#fff}nav{display:flex;gap:1rem;align-items:center}"
    ".danger{background:#b00020;color:#fff;padding:.5rem 1rem;font-weight:600;margin:0}"
    "label{display:block;font-weight:600;margin-top:1rem}label.choice{font-weight:400;margin-top:.3rem}"
    ".hint{color:#444;font-size:.95rem}input[type=text],input[type=password],textarea,select{width:100%;"
    "box-sizing:border-box;font:inherit;padding:.45rem;border:2px solid #555}textarea{min-height:5rem}"
    "button{margin-top:.8rem;font:inherit;padding:.55rem 1.1rem;background:#0b5394;color:#fff;border:0;cursor:pointer}"
    "button.small{padding:.25rem .6rem;margin:.1rem}button.link{background:none;padding:0;margin:0;text-decoration:underline}"
    "form.inline{display:inline}:focus{outline:3px solid #f9a800;outline-offset:2px}"
    ".error{color:#b00020;font-weight:600}.notice{background:#eef5fb;border-left:4px solid #0b5394;padding:.5rem}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem;border-bottom:1px solid #ccc;"
    "vertical-align:top}caption{text-align:left;padding:.3rem 0;color:#444}.overdue{color:#b00020;font-weight:600}"
    ".alerting{border:2px solid #b00020;padding:0 .8rem;margin-bottom:1rem}dt{font-weight:600;margin-top:.6rem}"
    "dd{margin:0;white-space:pre-wrap}.source,.payload{display:block;color:#444;font-size:.9rem;white-space:pre-wrap}"
    "code.secret{font-size:1.1rem;word-break:break-all}fieldset{border:1px solid #999;margin-top:1rem}"
    ".qr svg{width:12rem;height:auto}@media(max-width:30rem){table,thead,tbody,tr,td{display:block}thead{display:none}}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")

Handler = Callable[..., Awaitable[HTTPResponse]]


# ── plumbing ─────────────────────────────────────────────────────────────────

@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=PackageLoader("bot.web", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["local"] = lambda moment: f"{moment.astimezone(clock.LONDON):%a %d %b %Y %H:%M}" if moment else ""
    return env


def _services() -> tuple[Accounts, Casework]:
    store = default_store()
    accounts = Accounts(store)
    return accounts, Casework(store, accounts)


def _secure(request: Request) -> bool:
    return request.scheme == "https" or os.environ.get(PUBLIC_URL_ENV, "").startswith("https://")


def _set_cookie(request: Request, response: HTTPResponse, name: str, value: str, max_age: int | None = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"], cookie["httponly"], cookie["samesite"] = "/inbox", True, "Strict"
    if max_age is not None:
        cookie["max-age"] = max_age
    if _secure(request):
        cookie["secure"] = True


def _page(request: Request, template: str, title: str, status: int = 200, signed: SignedIn | None = None,
          csrf: str | None = None, **values: Any) -> HTTPResponse:
    me = signed.account if signed and signed.stage == "full" else None
    org_name = None
    if me is not None:
        try:
            org_name = directory.load_org(me.org).name
        except Exception:   # noqa: BLE001 - a broken profile must not lock leads out of the records
            org_name = me.org
    body = _templates().get_template(f"inbox/{template}").render(
        title=title, style=Markup(STYLE), me=me, csrf=csrf or (signed.csrf if signed else ""), org_name=org_name,
        now=clock.utcnow(), **values)
    return html(body, status=status, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                              # same-origin: with no-referrer, browsers send `Origin: null`
                                              # on our own form posts, and the origin check would refuse them
                                              "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"})


def _message(request: Request, title: str, *lines: str, status: int = 200, link: tuple[str, str] | None = None,
             signed: SignedIn | None = None) -> HTTPResponse:
    return _page(request, "message.html", title, status=status, signed=signed, lines=lines, link=link)


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on POST; one from elsewhere is refused (with the CSRF token, two locks)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    own = {f"{request.scheme}://{request.host}"}
    public = os.environ.get(PUBLIC_URL_ENV, "")
    if public:
        parts = urlsplit(public)
        own.add(f"{parts.scheme}://{parts.netloc}")
    return origin in own


def _form(request: Request, name: str) -> str:
    return (request.form.get(name) or "") if request.form else ""


def _csrf_ok(request: Request, expected: str | None) -> bool:
    given = _form(request, "csrf")
    return bool(expected) and bool(given) and secrets.compare_digest(given, expected) and _same_origin(request)


def _refused(request: Request) -> HTTPResponse:
    return _message(request, "That form had expired", "For your security the form could not be used. "
                    "Go back, reload the page and try again.", status=403, link=("/inbox/sign-in", "Sign in"))


def signed_in(*, admin: bool = False) -> Callable[[Handler], Handler]:
    """The route needs a full sign-in (password and code); POSTs also need the session's CSRF token."""

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def route(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            accounts, casework = _services()
            signed = accounts.session(request.cookies.get(SESSION_COOKIE))
            if signed is None or signed.stage != "full":
                return redirect("/inbox/sign-in")
            if request.method == "POST" and not _csrf_ok(request, signed.csrf):
                return _refused(request)
            if admin and not signed.account.is_admin:
                return _message(request, "Administrators only", "Only an administrator can manage accounts.",
                                status=403, signed=signed)
            try:
                return await handler(request, signed, casework, *args, **kwargs)
            except NotVisible:
                return _message(request, "No such concern", "There is no concern with that reference for you.",
                                status=404, signed=signed, link=("/inbox/concerns", "Back to the concerns"))

        return route

    return wrap


@bp.exception(StoreUnavailable, SQLAlchemyError)
async def database_down(request: Request, exc: Exception) -> HTTPResponse:
    log.warning("inbox: records database unavailable (%s)", type(exc).__name__)
    return _down(request)


def _down(request: Request) -> HTTPResponse:
    return _message(request, "The records database can't be reached",
                    "Nothing has been lost. Try again in a few minutes. If a child is at risk now, act on what you "
                    "know: ring the numbers in your policy, or 999 in an emergency.", status=503)


def _back(reference: str, notice: str) -> HTTPResponse:
    return redirect(f"/inbox/concerns/{reference}?done={notice}", status=303)


NOTICES = {"decision": "Decision recorded.", "action": "Action added.", "outcome": "Outcome added.",
           "categories": "Categories saved.", "link": "Concerns linked.", "done": "Marked done.",
           "hide": "Hidden from that colleague.", "ack": "Acknowledged: the alerts have stopped."}


# ── signing in ───────────────────────────────────────────────────────────────

@bp.get("")
async def home(request: Request) -> HTTPResponse:
    return redirect("/inbox/concerns")


@bp.get("/sign-in")
async def sign_in_page(request: Request) -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    response = _page(request, "sign_in.html", "Sign in", csrf=token, username="")
    _set_cookie(request, response, CSRF_COOKIE, token)
    return response


@bp.post("/sign-in")
async def sign_in(request: Request) -> HTTPResponse:
    if not _csrf_ok(request, request.cookies.get(CSRF_COOKIE)):
        return _refused(request)
    accounts, _ = _services()
    try:
        token = accounts.sign_in(_form(request, "username"), _form(request, "password"))
    except SignInRefused as exc:
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        return _page(request, "sign_in.html", "Sign in", status=401, csrf=csrf, error=str(exc),
                     username=_form(request, "username")[:128])
    response = redirect("/inbox/code", status=303)
    _set_cookie(request, response, SESSION_COOKIE, token)
    return response


@bp.get("/code")
async def code_page(request: Request) -> HTTPResponse:
    signed = _services()[0].session(request.cookies.get(SESSION_COOKIE))
    if signed is None:
        return redirect("/inbox/sign-in")
    if signed.stage == "full":
        return redirect("/inbox/concerns")
    return _page(request, "code.html", "Enter your code", csrf=signed.csrf)


@bp.post("/code")
async def code(request: Request) -> HTTPResponse:
    accounts, _ = _services()
    token = request.cookies.get(SESSION_COOKIE)
    signed = accounts.session(token)
    if signed is None or signed.stage != "password":
        return redirect("/inbox/sign-in", status=303)
    if not _csrf_ok(request, signed.csrf):
        return _refused(request)
    try:
        full = accounts.verify_code(token, _form(request, "code"))
    except SignInRefused as exc:
        return _page(request, "code.html", "Enter your code", status=401, csrf=signed.csrf, error=str(exc))
    response = redirect("/inbox/concerns" if signed.account.can_read_concerns else "/inbox/accounts", status=303)
    _set_cookie(request, response, SESSION_COOKIE, full)
    response.cookies[CSRF_COOKIE] = ""
    response.cookies[CSRF_COOKIE]["path"], response.cookies[CSRF_COOKIE]["max-age"] = "/inbox", 0
    return response


@bp.post("/sign-out")
@signed_in()
async def sign_out(request: Request, signed: SignedIn, casework: Casework) -> HTTPResponse:
    casework.accounts.sign_out(request.cookies.get(SESSION_COOKIE))
    response = redirect("/inbox/sign-in", status=303)
    _set_cookie(request, response, SESSION_COOKIE, "", max_age=0)
    return response


@bp.get("/set-up/<token>")
async def set_up_page(request: Request, token: str) -> HTTPResponse:
    try:
        enrolment = _services()[0].enrolment(token)
    except AccountError as exc:
        return _message(request, "This link can't be used", str(exc), status=404)
    csrf = secrets.token_urlsafe(24)
    qr = Markup(segno.make(enrolment.uri, error="m").svg_inline(scale=4, title="Authenticator set-up code"))
    response = _page(request, "set_up.html", "Set up your inbox account", csrf=csrf, account=enrolment.account,
                     secret=enrolment.secret, qr=qr, min_password=MIN_PASSWORD)
    _set_cookie(request, response, CSRF_COOKIE, csrf)
    return response


@bp.post("/set-up/<token>")
async def set_up(request: Request, token: str) -> HTTPResponse:
    if not _csrf_ok(request, request.cookies.get(CSRF_COOKIE)):
        return _refused(request)
    accounts, _ = _services()
    try:
        account = accounts.enrol(token, _form(request, "password"), _form(request, "confirm"), _form(request, "code"))
    except AccountError as exc:
        try:
            enrolment = accounts.enrolment(token)
        except AccountError:
            return _message(request, "This link can't be used", str(exc), status=404)
        qr = Markup(segno.make(enrolment.uri, error="m").svg_inline(scale=4, title="Authenticator set-up code"))
        return _page(request, "set_up.html", "Set up your inbox account", status=400,
                     csrf=request.cookies.get(CSRF_COOKIE), account=enrolment.account, secret=enrolment.secret,
                     qr=qr, min_password=MIN_PASSWORD, error=str(exc))
    return _message(request, "Your account is ready", f"{account.name}, you can now sign in with your username "
                    f"{account.username}, your password and a code from your app.", link=("/inbox/sign-in", "Sign in"))


# ── concerns ─────────────────────────────────────────────────────────────────

@bp.get("/concerns")
@signed_in()
async def concerns(request: Request, signed: SignedIn, casework: Casework) -> HTTPResponse:
    if not signed.account.can_read_concerns:
        return _message(request, "No concerns to show", "Your account manages accounts only; it cannot read "
                        "concerns.", signed=signed, link=("/inbox/accounts", "Accounts"))
    summaries = casework.listing(signed.account)
    waiting = [s for s in summaries if s.waiting]
    return _page(request, "list.html", "Concerns", signed=signed, summaries=summaries, waiting=waiting)


@bp.get("/concerns/<reference>")
@signed_in()
async def concern(request: Request, signed: SignedIn, casework: Casework, reference: str) -> HTTPResponse:
    return _concern_page(request, signed, casework, reference, notice=NOTICES.get(request.args.get("done", "")))


def _concern_page(request: Request, signed: SignedIn, casework: Casework, reference: str, status: int = 200,
                  **values: Any) -> HTTPResponse:
    try:
        opened = casework.open(signed.account, reference)
    except RecordErased as exc:
        return _message(request, "Record erased", str(exc), status=410, signed=signed)
    values.setdefault("typed", {})
    return _page(request, "concern.html", f"Concern {reference}", status=status, signed=signed, opened=opened,
                 reminders=opened.reminders, fields=form.FIELDS, decisions=DECISIONS, categories=form.CATEGORIES,
                 reads=casework.store.reads_of(signed.account.org, reference), max_text=MAX_TEXT, **values)


def _casework_post(kind: str, act: Callable[[Request, SignedIn, Casework, str], Any]) -> None:
    @signed_in()
    async def route(request: Request, signed: SignedIn, casework: Casework, reference: str) -> HTTPResponse:
        try:
            act(request, signed, casework, reference)
        except CaseworkError as exc:   # the page again, with what they typed, so nothing is lost
            typed = {name: _form(request, name) for name in ("decision", "reasons", "text", "other", "reason")}
            return _concern_page(request, signed, casework, reference, status=400, error=str(exc),
                                 typed={**typed, "form": kind})
        return _back(reference, kind)

    route.__name__ = f"casework_{kind}"
    bp.add_route(route, f"/concerns/<reference>/{kind}", methods=["POST"], name=f"casework_{kind}")


_casework_post("decision", lambda r, s, c, ref: c.decide(s.account, ref, _form(r, "decision"), _form(r, "reasons")))
_casework_post("action", lambda r, s, c, ref: c.note_action(s.account, ref, _form(r, "text")))
_casework_post("outcome", lambda r, s, c, ref: c.note_outcome(s.account, ref, _form(r, "text")))
_casework_post("categories", lambda r, s, c, ref: c.categorise(
    s.account, ref, list(r.form.getlist("category") or []) if r.form else [], _form(r, "reason")))
_casework_post("link", lambda r, s, c, ref: c.link(s.account, ref, _form(r, "other"), _form(r, "reason")))
_casework_post("done", lambda r, s, c, ref: c.mark_done(s.account, ref, _form(r, "rule"), _form(r, "note")))
_casework_post("hide", lambda r, s, c, ref: c.hide_from(s.account, ref, _int(_form(r, "account"))))


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CaseworkError("Choose a colleague in your organisation.") from None


@bp.post("/concerns/<reference>/acknowledge")
@signed_in()
async def acknowledge(request: Request, signed: SignedIn, casework: Casework, reference: str) -> HTTPResponse:
    casework.open(signed.account, reference)       # visible to them, and the read that goes with it
    AlertEngine(casework.store).acknowledge_in_inbox(signed.account.org, reference, signed.account.actor,
                                                     signed.account.name)
    return _back(reference, "ack")


@bp.get("/concerns/<reference>/chronology")
@signed_in()
async def chronology(request: Request, signed: SignedIn, casework: Casework, reference: str) -> HTTPResponse:
    concerns = casework.chronology(signed.account, reference)
    return _page(request, "chronology.html", f"Chronology for {reference}", signed=signed, concerns=concerns,
                 decisions=DECISIONS)


@bp.post("/concerns/<reference>/export")
@signed_in()
async def export_concern(request: Request, signed: SignedIn, casework: Casework, reference: str) -> HTTPResponse:
    doc = casework.export(signed.account, reference)
    if _form(request, "format") == "json":
        body, kind = json.dumps(doc, ensure_ascii=False, indent=2), "application/json"
    else:
        body, kind = export.render_html(doc), "text/html"
    suffix = "json" if kind == "application/json" else "html"
    return HTTPResponse(body, content_type=f"{kind}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{reference}.{suffix}"', "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})


# ── accounts (administrators) ────────────────────────────────────────────────

def _accounts_page(request: Request, signed: SignedIn, casework: Casework, status: int = 200,
                   **values: Any) -> HTTPResponse:
    org = signed.account.org
    accounts = casework.accounts.list(org)
    try:
        profile_path = directory.load_org(org).path
    except Exception:   # noqa: BLE001
        profile_path = f"data/orgs/{org}.yml"
    return _page(request, "accounts.html", "Accounts", status=status, signed=signed, accounts=accounts,
                 roles=ROLES, events=casework.accounts.events(org), names={a.id: a.name for a in accounts},
                 enrol_hours=ENROL_HOURS, profile_path=profile_path, **values)


def set_up_link(request: Request, token: str) -> str:
    return f"{public_base_url()}/inbox/set-up/{token}"


@bp.get("/accounts")
@signed_in(admin=True)
async def accounts_page(request: Request, signed: SignedIn, casework: Casework) -> HTTPResponse:
    return _accounts_page(request, signed, casework)


@bp.post("/accounts")
@signed_in(admin=True)
async def add_account(request: Request, signed: SignedIn, casework: Casework) -> HTTPResponse:
    roles = set(request.form.getlist("role") or []) if request.form else set()
    try:
        account, token = casework.accounts.create(signed.account.org, _form(request, "username"),
                                                  _form(request, "name"), roles, by=signed.account.actor)
    except AccountError as exc:
        return _accounts_page(request, signed, casework, status=400, error=str(exc))
    return _accounts_page(request, signed, casework, new_link=(account.name, set_up_link(request, token)),
                          notice=f"Account added for {account.name}.")


def _account_change(action: str) -> None:
    @signed_in(admin=True)
    async def route(request: Request, signed: SignedIn, casework: Casework, account_id: int) -> HTTPResponse:
        accounts, org, by = casework.accounts, signed.account.org, signed.account.actor
        try:
            if action == "unlock":
                accounts.unlock(account_id, org, by=by)
            elif action == "disable":
                if account_id == signed.account.id:
                    raise AccountError("You can't disable your own account; ask another administrator.")
                accounts.disable(account_id, org, by=by)
            else:
                token = accounts.reset(account_id, org, by=by)
                target = accounts.get(account_id)
                return _accounts_page(request, signed, casework, new_link=(target.name, set_up_link(request, token)),
                                      notice=f"{target.name} must set up again with the new link.")
        except AccountError as exc:
            return _accounts_page(request, signed, casework, status=400, error=str(exc))
        return _accounts_page(request, signed, casework, notice="Done.")

    bp.add_route(route, f"/accounts/<account_id:int>/{action}", methods=["POST"], name=f"account_{action}")


for _action in ("unlock", "reset", "disable"):
    _account_change(_action)
