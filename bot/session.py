"""Which organisation a conversation belongs to, and who may change it.

A channel (widget, REST metadata, Telegram deep link) is trusted to say which
organisation the worker is with. A payload the user types (`/choose_org{...}`)
is not: once a channel has set the organisation, typing cannot move the
conversation to another organisation's contacts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bot import directory

CHANNEL = "channel"
USER = "user"


@dataclass(frozen=True)
class OrgDecision:
    org: str | None
    source: str | None
    refused: str | None = None   # why a requested change was not made


def org_from_metadata(metadata: Mapping[str, Any] | None) -> str | None:
    """The organisation id a channel sent, if it is one we know."""
    if not metadata:
        return None
    value = metadata.get("org")
    if isinstance(value, str) and value.strip() in directory.org_ids():
        return value.strip()
    return None


def match_org(text: str | None) -> str | None:
    """An organisation id from an id or a name as a person might type it."""
    if not text:
        return None
    wanted = " ".join(text.lower().replace("-", " ").split())
    every = directory.load_all()
    for oid in directory.org_ids():
        names = {oid.replace("-", " "), " ".join(every[oid].name.lower().split())}
        if wanted in names:
            return oid
    return None


def decide_org(current: str | None, source: str | None, *, from_channel: str | None = None,
               chosen_by_user: str | None = None) -> OrgDecision:
    """Apply a channel's or a user's choice of organisation to the conversation."""
    if from_channel:
        return OrgDecision(from_channel, CHANNEL)
    if chosen_by_user is None:
        return OrgDecision(current, source)
    chosen = match_org(chosen_by_user)
    if chosen is None:
        return OrgDecision(current, source, refused=f"I don't know an organisation called {chosen_by_user!r}.")
    chosen_by_user = chosen
    if source == CHANNEL and current and chosen_by_user != current:
        return OrgDecision(current, source, refused="This chat is set up for your organisation, so I can't switch it here.")
    return OrgDecision(chosen_by_user, USER)


def reply_to(metadata: Mapping[str, Any], channel: str | None) -> str | None:
    """The Telegram chat a bridge said this message came from, to tell the worker later if need be."""
    chat = metadata.get("telegram_chat") if channel == "telegram" else None
    return str(chat) if isinstance(chat, (int, str)) and str(chat).lstrip("-").isdigit() else None
