"""The project's web app on port 8000: the JSON API the widget's quick-answer panel uses.

Sanic, because Rasa already brings it: one web stack to know and to patch.
Every answer comes from bot.directory; this module only speaks HTTP.
"""
from __future__ import annotations


from sanic import Sanic, json
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import directory
from bot.clock import ClockError, parse_moment
from bot.web import ack, cors_origins, inbox, record_form
from bot.web import widget   # the chat widget, its demo pages and "clear this conversation"

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def allowed_origins() -> set[str]:
    return set(cors_origins())


def problem(status: int, message: str, **extra) -> HTTPResponse:
    return json({"error": message, **extra}, status=status)


def create_app(name: str = "safeguard-web") -> Sanic:
    app = Sanic(name)
    app.blueprint(record_form.bp)
    app.blueprint(widget.bp)
    app.blueprint(ack.bp)        # leads acknowledge alerts: /ack/<token>
    app.blueprint(inbox.bp)      # leads sign in, read and decide: /inbox

    @app.on_response
    async def headers(request: Request, response: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)   # a page may set a looser CSP of its own
        origin = request.headers.get("origin")
        if origin and origin in allowed_origins():
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"

    @app.get("/api/v1/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/api/v1/orgs")
    async def orgs(request: Request) -> HTTPResponse:
        every = directory.load_all()
        return json({"orgs": [{"id": oid, "name": every[oid].name,
                               "areas": [{"id": a.id, "name": a.name} for a in every[oid].areas]}
                              for oid in directory.org_ids()]})

    @app.get("/api/v1/orgs/<org>/who-to-call")
    async def who_to_call(request: Request, org: str) -> HTTPResponse:
        if org not in directory.org_ids():
            return problem(404, f"unknown organisation {org!r}", orgs=directory.org_ids())
        args = request.args
        try:
            at = parse_moment(args.get("at")) if args.get("at") else None
            plan = directory.who_to_call(org, topic=args.get("topic") or "concern",
                                         area=args.get("area") or None, at=at)
        except ClockError as exc:
            return problem(400, str(exc))
        except directory.UnknownTopic as exc:
            return problem(400, str(exc), topics=list(directory.TOPICS))
        return json(plan.to_dict())

    return app


def run(host: str, port: int) -> None:
    create_app().run(host=host, port=port, access_log=False, workers=1)
