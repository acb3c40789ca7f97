"""The embeddable chat widget: its script and styles, a demo page per organisation, and
"clear this conversation" (forgetting the server-side conversation).

The widget talks to Rasa directly, through our idempotent channel
(`rasa_adapters.channels.SafeguardInput`, `POST {server}/webhooks/safeguard/webhook`):
Rasa's `--cors` (SAFEGUARD_CORS) lets the pages that embed it call it from a browser.
This app serves only static files, the demo page and the JSON API; it never sees what
the worker writes.

Pages here get their own Content-Security-Policy (the app's default is `default-src 'none'`):
scripts and styles from this origin only, and connections to this origin and the configured
Rasa server only.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import urlsplit

from sanic import Blueprint, json
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import directory

STATIC = Path(__file__).resolve().parent / "static"
FILES = {"widget.js": "text/javascript; charset=utf-8", "widget.css": "text/css; charset=utf-8",
         "demo.css": "text/css; charset=utf-8"}
MAX_SENDER = 128                 # as rasa_adapters.channels

bp = Blueprint("widget")


def rasa_url() -> str:
    """Where browsers reach Rasa: SAFEGUARD_RASA_URL, else this machine's RASA_PORT (as `make run`)."""
    configured = os.environ.get("SAFEGUARD_RASA_URL", "").strip().rstrip("/")
    return configured or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_csp() -> str:
    """The demo page's policy: this origin's script and styles; talk to this origin and Rasa."""
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"connect-src 'self' {origin_of(rasa_url())}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


def static_file(name: str) -> HTTPResponse:
    return HTTPResponse((STATIC / name).read_bytes(), content_type=FILES[name],
                        headers={"Cache-Control": "no-cache"})


@bp.get("/widget.js")
async def widget_js(request: Request) -> HTTPResponse:
    return static_file("widget.js")


@bp.get("/widget.css")
async def widget_css(request: Request) -> HTTPResponse:
    return static_file("widget.css")


@bp.get("/demo.css")
async def demo_css(request: Request) -> HTTPResponse:
    return static_file("demo.css")


@bp.get("/demo")
async def demo_index(request: Request) -> HTTPResponse:
    every = directory.load_all()
    items = "\n".join(f'      <li><a href="/demo/{html.escape(oid)}">{html.escape(every[oid].name)}</a></li>'
                      for oid in directory.org_ids())
    return _page("Safeguarding guide: demo pages",
                 f"  <h1>Safeguarding guide: demo pages</h1>\n  <p>One page per organisation, each with the "
                 f"chat widget embedded as an intranet page would embed it.</p>\n  <ul>\n{items}\n  </ul>\n")


@bp.get("/demo/<org>")
async def demo(request: Request, org: str) -> HTTPResponse:
    if org not in directory.org_ids():
        return json({"error": f"unknown organisation {org!r}", "orgs": directory.org_ids()}, status=404)
    name = html.escape(directory.load_all()[org].name)
    here = f"{request.scheme}://{request.host}"
    from bot.web.app import allowed_origins   # not at import time: app.py registers this blueprint
    warning = "" if here in allowed_origins() else (
        f'  <p class="warning">This page\'s address ({html.escape(here)}) is not in SAFEGUARD_CORS, so the bot '
        f"will refuse the widget's messages. Open it at an allowed address "
        f"({html.escape(', '.join(sorted(allowed_origins())))}) or add this one to SAFEGUARD_CORS.</p>\n")
    tag = (f'<script src="/widget.js" data-org="{html.escape(org)}" '
           f'data-server="{html.escape(rasa_url())}" defer></script>')
    body = (f"  <header><p class=\"brand\">{name}</p><h1>Staff pages</h1></header>\n{warning}"
            f"  <main>\n    <h2>Worried about a child?</h2>\n"
            f"    <p>If a child is in danger now, call 999. Otherwise, the safeguarding guide (the button at the "
            f"bottom right) helps you respond, write it down and find whom to ring at {name}.</p>\n"
            f"    <p>This is a demo of the widget as an intranet page embeds it, with one tag:</p>\n"
            f"    <pre><code>{html.escape(tag)}</code></pre>\n  </main>\n")
    return _page(f"{name}: staff pages (widget demo)", body, head=f"  {tag}\n")


def _page(title: str, body: str, head: str = "") -> HTTPResponse:
    doc = (f'<!doctype html>\n<html lang="en-GB">\n<head>\n  <meta charset="utf-8">\n'
           f'  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"  <title>{html.escape(title)}</title>\n  <link rel=\"stylesheet\" href=\"/demo.css\">\n{head}"
           f"</head>\n<body>\n{body}</body>\n</html>\n")
    return HTTPResponse(doc, content_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": page_csp()})


@bp.route("/api/v1/conversations/forget", methods=["OPTIONS"])
async def forget_preflight(request: Request) -> HTTPResponse:
    """CORS preflight for pages on other origins (the app adds Allow-Origin for allowed ones)."""
    return HTTPResponse(status=204, headers={"Access-Control-Allow-Methods": "POST",
                                             "Access-Control-Allow-Headers": "Content-Type",
                                             "Access-Control-Max-Age": "600"})


@bp.post("/api/v1/conversations/forget")
async def forget(request: Request) -> HTTPResponse:
    """End a conversation: delete it from the conversation vault ("Clear this conversation").

    The sender id is a random 128-bit value known only to the browser tab that chats with
    it; all one can do with it here is delete that conversation.
    """
    from bot.concerns.conversations import default_vault

    body = request.json if isinstance(request.json, dict) else {}
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER:
        return json({"error": f"sender must be a non-empty string of at most {MAX_SENDER} characters"}, status=400)
    return json({"forgotten": default_vault().forget(sender)})
