"""Webhook mode, for organisations that can put the bridge behind HTTPS.

Telegram POSTs each update; we answer 200 only once it has been answered, so
Telegram delivers it again after a failure. The secret token header proves the
request came from Telegram.
"""
from __future__ import annotations

import hmac

from sanic import Sanic
from sanic.response import empty
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Update

from bot.telegram.bridge import Bridge

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram/update"


def create_webhook_app(bridge: Bridge, public_url: str, secret: str) -> Sanic:
    app = Sanic("safeguard-telegram")

    @app.before_server_start
    async def starting(app_: Sanic, loop: object) -> None:
        await bridge.start()

    @app.after_server_start
    async def started(app_: Sanic, loop: object) -> None:   # listening: Telegram may send now
        await bridge.app.bot.set_webhook(public_url.rstrip("/") + PATH, secret_token=secret,
                                         allowed_updates=["message", "callback_query"])

    @app.after_server_stop
    async def stopped(app_: Sanic, loop: object) -> None:
        await bridge.stop()

    @app.post(PATH)
    async def receive(request: Request) -> HTTPResponse:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return empty(status=403)
        update = Update.de_json(request.json or {}, bridge.app.bot)
        if update is None:
            return empty(status=400)
        _offset, answered = await bridge.handle_batch([update])
        return empty(status=200 if answered else 503)   # 503: Telegram will send it again

    return app


def serve_webhook(bridge: Bridge, public_url: str, host: str, port: int, secret: str) -> None:
    create_webhook_app(bridge, public_url, secret).run(host=host, port=port, workers=1,
                                                       access_log=False)
