"""`/ack/<token>`: a lead acknowledges an alert, and escalation stops.

Opening the link shows the reference and one button; pressing it records the
acknowledgement (a POST, so that mail scanners that open links on their own
never acknowledge for the lead). The token is the link's only credential; only
its hash is stored. No content of the record is shown here.
"""
from __future__ import annotations

from html import escape

from sanic import Blueprint, html
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import clock
from bot.concerns import default_store
from bot.notify.engine import AckRefused, AlertEngine
from bot.web.record_form import CSP, STYLE

bp = Blueprint("ack")


def _inbox(reference: str) -> str:
    return (f'<p><a href="/inbox/concerns/{escape(reference)}">Open {escape(reference)} in the inbox</a> '
            "to read the record and record your decision (you will be asked to sign in).</p>")


def _page(title: str, body: str, status: int = 200) -> HTTPResponse:
    doc = (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<meta name="robots" content="noindex"><title>{escape(title)}</title><style>{STYLE}</style></head>'
           f'<body><p class="danger">In danger now? Call 999.</p><main><h1>{escape(title)}</h1>{body}</main></body></html>')
    return html(doc, status=status, headers={"Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer"})


def _engine() -> AlertEngine:
    return AlertEngine(default_store())


@bp.get("/ack/<token>")
async def show(request: Request, token: str) -> HTTPResponse:
    try:
        state = _engine().peek(token)
    except AckRefused as exc:
        return _page("This link can't be used", f"<p>{escape(str(exc))}</p>", status=404)
    reference = escape(state.reference)
    if state.acknowledged_at is not None:
        return _page(f"{state.reference} is acknowledged",
                     f"<p>{escape(state.acknowledged_by or '')} acknowledged {reference} at "
                     f"{state.acknowledged_at.astimezone(clock.LONDON):%H:%M on %d %b %Y}.</p>{_inbox(state.reference)}")
    return _page(f"New concern {state.reference}",
                 f"<p>Press the button to say you have seen the alert for {reference}. "
                 "Nobody else will be alerted about it after that.</p>"
                 '<form method="post"><button type="submit">I have seen it: stop the alerts</button></form>')


@bp.post("/ack/<token>")
async def acknowledge(request: Request, token: str) -> HTTPResponse:
    try:
        done = _engine().acknowledge(token)
    except AckRefused as exc:
        return _page("This link can't be used", f"<p>{escape(str(exc))}</p>", status=404)
    when = f"{done.at.astimezone(clock.LONDON):%H:%M on %d %b %Y}"
    said = (f"<p>Thank you. {escape(done.reference)} is acknowledged by {escape(done.by)} at {when}; "
            "the alerts have stopped.</p>" if done.now else
            f"<p>{escape(done.reference)} was already acknowledged by {escape(done.by)} at {when}.</p>")
    return _page(f"{done.reference} acknowledged", said + _inbox(done.reference))
