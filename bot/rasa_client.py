"""Talking to Rasa from our own clients, with retries that never make the bot hear a message twice.

Each message carries a message_id; Rasa's `safeguard` channel (rasa_adapters/
channels.py) answers a repeated id from the conversation instead of handling it
again. So a timeout, a refused connection or a Rasa restart is simply retried
with back-off, with the same id.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)
WEBHOOK = "/webhooks/safeguard/webhook"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer after every retry; the caller keeps the message and tries later."""


@dataclass(frozen=True)
class Retry:
    attempts: int = 6
    first_wait: float = 0.5
    factor: float = 2.0
    max_wait: float = 8.0

    def waits(self) -> list[float]:
        return [min(self.first_wait * self.factor ** i, self.max_wait) for i in range(self.attempts - 1)]


def default_url() -> str:
    return os.environ.get("RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"


class RasaClient:
    def __init__(self, url: str | None = None, retry: Retry = Retry(), timeout: float = 60.0,
                 transport: httpx.AsyncBaseTransport | None = None):
        self._url = (url or default_url()).rstrip("/") + WEBHOOK
        self._retry = retry
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def send(self, sender: str, text: str, message_id: str, metadata: dict[str, Any] | None = None,
                   input_channel: str = "safeguard") -> list[dict[str, Any]]:
        """The bot's replies to one message; raises RasaUnavailable once retries run out."""
        body = {"sender": sender, "message": text, "message_id": message_id,
                "metadata": metadata or {}, "input_channel": input_channel}
        waits = self._retry.waits()
        for attempt in range(len(waits) + 1):
            try:
                resp = await self._http.post(self._url, json=body)
                if resp.status_code == 400:
                    raise ValueError(resp.json().get("error", "Rasa refused the message"))
                if resp.status_code < 500:
                    resp.raise_for_status()
                    replies = resp.json()
                    return replies if isinstance(replies, list) else []
                problem = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            if attempt < len(waits):
                log.warning("Rasa did not answer (%s); retry %d in %.1fs", problem, attempt + 1, waits[attempt])
                await asyncio.sleep(waits[attempt])
        raise RasaUnavailable(f"Rasa at {self._url} did not answer after {len(waits) + 1} attempts ({problem})")

    async def aclose(self) -> None:
        await self._http.aclose()
