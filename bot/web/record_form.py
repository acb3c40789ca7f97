"""The secure web form a cloud chat hands over to: `/record/<one-time token>`.

Filing goes through bot.recording, exactly as in the chat: the same record,
outbox, alert and "whom to ring now". Every value is escaped; nothing here runs
script. The token in the path is the form's only credential and works once.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape

from sanic import Blueprint, html
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import directory, recording
from bot.concerns import default_store, form, links
from bot.routes import Context

STYLE = ("body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a}"
         "label{display:block;font-weight:600;margin-top:1.2rem}.hint{color:#444;font-size:.95rem;margin:.2rem 0}"
         "textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:2px solid #555}"
         "textarea{min-height:6rem}button{margin-top:1.5rem;font:inherit;padding:.7rem 1.4rem;background:#0b5394;"
         "color:#fff;border:0}:focus{outline:3px solid #f9a800;outline-offset:2px}"
         ".danger{background:#b00020;color:#fff;padding:.6rem;font-weight:600}.error{color:#b00020;font-weight:600}")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SHORT = {"child_ref", "incident_when", "incident_where", "reporter"}   # one-line answers

bp = Blueprint("record_form")


def _page(title: str, body: str, status: int = 200) -> HTTPResponse:
    doc = (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<meta name="robots" content="noindex"><title>{escape(title)}</title><style>{STYLE}</style></head>'
           f'<body><p class="danger">In danger now? Call 999.</p><main><h1>{escape(title)}</h1>{body}</main></body></html>')
    return html(doc, status=status, headers={"Content-Security-Policy": CSP})


def _form(values: dict[str, str], error: str = "") -> str:
    parts = ['<p>Write what happened in your own words. Use the child\'s exact words where you can. '
             'Nothing is sent until you press "File the record".</p>']
    if error:
        parts.append(f'<p class="error" role="alert">{escape(error)}</p>')
    parts.append('<form method="post">')
    for f in form.FIELDS:
        value = escape(values.get(f.slot, ""))
        required = " required" if not f.skippable else ""
        question = f.question.removeprefix("Last one: ")   # the chat's wording, minus chat pacing
        hint = f'<p class="hint" id="{f.slot}-hint">{escape(question[:1].upper() + question[1:])}</p>'
        control = (f'<input type="text" id="{f.slot}" name="{f.slot}" value="{value}" '
                   f'aria-describedby="{f.slot}-hint" maxlength="{form.MAX_ANSWER_CHARS}"{required}>'
                   if f.slot in SHORT else
                   f'<textarea id="{f.slot}" name="{f.slot}" aria-describedby="{f.slot}-hint" '
                   f'maxlength="{form.MAX_ANSWER_CHARS}"{required}>{value}</textarea>')
        parts.append(f'<label for="{f.slot}">{escape(f.label)}{" (needed)" if required else ""}</label>{hint}{control}')
    checked = " checked" if values.get("urgent") else ""
    parts.append(f'<label><input type="checkbox" name="urgent" value="yes"{checked}> '
                 'Someone was in danger, or this is urgent</label>')
    parts.append('<button type="submit">File the record</button></form>')
    return "".join(parts)


def _refused(reason: str) -> HTTPResponse:
    return _page("This link can't be used", f"<p>{escape(reason)}</p>", status=410)


@bp.get("/record/<token>")
async def show(request: Request, token: str) -> HTTPResponse:
    try:
        link = links.check(default_store(), token)
    except links.LinkRefused as exc:
        return _refused(exc.reason)
    name = escape(_org_name(link.org))
    return _page("Record a concern", f"<p>For {name}.</p>" + _form({}))


@bp.post("/record/<token>")
async def submit(request: Request, token: str) -> HTTPResponse:
    store = default_store()
    try:
        link = links.check(store, token)
    except links.LinkRefused as exc:
        return _refused(exc.reason)
    values = {f.slot: (request.form.get(f.slot) or "").strip() for f in form.FIELDS}
    values["urgent"] = request.form.get("urgent") or ""
    missing = [f.label for f in form.FIELDS if not f.skippable and not values[f.slot]]
    too_long = [f.label for f in form.FIELDS if len(values[f.slot]) > form.MAX_ANSWER_CHARS]
    if missing or too_long:
        problem = (f"Please fill in: {', '.join(missing)}." if missing else
                   f"These answers are too long ({form.MAX_ANSWER_CHARS:,} characters at most): {', '.join(too_long)}.")
        return _page("Record a concern", _form(values, problem), status=422)
    answers = {slot: values[slot] or form.NOT_GIVEN for slot in form.SLOTS}
    answers["urgency"] = "urgent" if values["urgent"] or link.urgency == "urgent" else "standard"
    ctx = Context(org=link.org, channel="web_form", sender=link.reporter_key)
    outcome = recording.file(ctx, answers, f"link:{link.token_hash}", "web_form", link.reporter_key)
    reference = outcome.set_slots.get("last_reference")
    if reference:
        links.spend(store, link, reference)
    body = "".join(f"<p>{escape(r.text)}</p>".replace("\n", "<br>") for r in outcome.replies if r.text != recording.ANYTHING_ELSE)
    return _page("Filed" if reference else "Not filed yet", body + "<p>You can close this page now.</p>")


def _org_name(org: str) -> str:
    return directory.load_org(org).name
