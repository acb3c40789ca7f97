"""Start the bridge: long polling by default, a webhook server for those who have HTTPS."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
import sys

from telegram.error import InvalidToken

from bot.concerns import ConcernStore
from bot.telegram.bridge import Bridge, Settings
from bot.telegram.webhook import serve_webhook

log = logging.getLogger(__name__)


def run(webhook: str | None = None, listen: str = "127.0.0.1:8443") -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)   # it would log the token in every URL
    settings = Settings.from_env()
    bridge = Bridge(settings, ConcernStore.from_env(create_key=True))
    if webhook:
        host, _, port = listen.rpartition(":")
        secret = hashlib.sha256(f"webhook:{settings.token}".encode()).hexdigest()
        serve_webhook(bridge, webhook, host or "127.0.0.1", int(port), secret)
        return 0
    try:
        asyncio.run(_poll(bridge))
    except InvalidToken:
        print("error: Telegram refused TELEGRAM_BOT_TOKEN: copy it again from @BotFather", file=sys.stderr)
        return 1
    return 0


async def _poll(bridge: Bridge) -> None:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await bridge.run_polling()
    except asyncio.CancelledError:
        log.info("Telegram bridge stopped")
