"""What may be said on which channel: cloud chats don't carry a child's details.

Telegram's ordinary chats are stored on Telegram's servers, not end-to-end
encrypted. So on Telegram the bot asks for initials, never reads a record's
narrative back, and, where the organisation's profile says so, takes the record
on the project's own web form instead of in the chat.
"""
from __future__ import annotations

from bot import directory

CLOUD_CHATS = frozenset({"telegram"})


def cloud_chat(channel: str | None) -> bool:
    return (channel or "").lower() in CLOUD_CHATS


def records_in_chat(org: str | None, channel: str | None) -> bool:
    """False when this organisation wants records from this channel taken on the web form."""
    if not cloud_chat(channel) or org is None:
        return True
    return directory.load_org(org).telegram_records == "chat"
