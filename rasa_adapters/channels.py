"""The REST channel our own clients use (Telegram bridge, web widget): safe to retry.

Rasa's REST channel is not idempotent: a client that times out and sends the
same message again makes the bot hear it twice (two answers, a form field filled
twice). Here each message carries a client `message_id`; Rasa stores it on the
user event, and a retry of a message already in the conversation gets the
replies that followed it, read back from the conversation, instead of being
handled again. Messages from one sender are handled one at a time, in order.

Rasa's REST channel also logs the message text when handling fails; this one
logs only the failure's type, never what the worker wrote.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)
MAX_TEXT = 20_000        # longer than any form field keeps; the rest is refused, not cut silently
MAX_ID = 128


def replies_after(events: List[Any], message_id: str, recipient: str) -> Optional[List[Dict[str, Any]]]:
    """The bot's replies to the user message with this id, or None if it was never heard."""
    found = None
    for i, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            found = i
    if found is None:
        return None
    replies: List[Dict[str, Any]] = []
    for event in events[found + 1:]:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            reply: Dict[str, Any] = {"recipient_id": recipient}
            if event.text:
                reply["text"] = event.text
            reply.update({k: v for k, v in (event.data or {}).items() if v})
            replies.append(reply)
    return replies


class SafeguardInput(InputChannel):
    """POST /webhooks/safeguard/webhook {sender, message, message_id, metadata, input_channel}."""

    require_id = True

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def name(cls) -> Text:
        return "safeguard"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SafeguardInput":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"{self.name()}_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            message_id, metadata = body.get("message_id"), body.get("metadata") or {}
            if message_id is None and not self.require_id:
                message_id = uuid.uuid4().hex     # no id, no replay: as Rasa's REST channel
            problem = _check(sender, text, message_id, metadata)
            if problem:
                return response.json({"error": problem}, status=400)
            channel = str(body.get("input_channel") or self.name())[:32]
            async with self._locks[sender]:
                agent = request.app.ctx.agent
                tracker = await agent.tracker_store.retrieve_full_tracker(sender) if agent.tracker_store else None
                if tracker is not None:
                    earlier = replies_after(list(tracker.events), message_id, sender)
                    if earlier is not None:
                        return response.json(earlier, headers={"X-Safeguard-Replayed": "1"})
                collector = CollectingOutputChannel()
                try:
                    await on_new_message(UserMessage(text, collector, sender, input_channel=channel,
                                                     message_id=message_id, metadata=metadata))
                except Exception as exc:  # the client retries with the same id; nothing is lost
                    log.error("safeguard channel: handling failed (%s)", type(exc).__name__)
                    return response.json({"error": "the bot could not answer; try again"}, status=503)
            return response.json(collector.messages)

        return hook


def _check(sender: Any, text: Any, message_id: Any, metadata: Any) -> Optional[str]:
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_ID:
        return "sender must be a non-empty string"
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id) > MAX_ID:
        return "message_id must be a non-empty string of at most 128 characters"
    if not isinstance(text, str):
        return "message must be a string"
    if len(text) > MAX_TEXT:
        return f"message is longer than {MAX_TEXT} characters"
    if not isinstance(metadata, dict):
        return "metadata must be an object"
    return None


class QuietRestInput(SafeguardInput):
    """Rasa's REST channel (POST /webhooks/rest/webhook), minus its habit of logging the message
    text when handling fails; a message_id is optional here and, when given, makes retries safe."""

    require_id = False

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "QuietRestInput":
        return cls()
