"""Rasa's replies as Telegram messages: split at Telegram's limit, buttons as keyboard rows.

Pure functions, so the shapes can be tested without a bot.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from bot.replies import Reply

LIMIT = 4096             # Telegram's maximum message length
CHOOSE = "Please choose:"   # a reply with buttons but no text still needs text


@dataclass(frozen=True)
class Outgoing:
    text: str
    buttons: tuple[tuple[str, str], ...] = ()   # (title, payload), one per keyboard row


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, broken at a paragraph, line or word where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def from_rasa(replies: Iterable[dict[str, Any]]) -> list[Outgoing]:
    """Rasa REST-style replies, in order; buttons ride on the last piece of their reply."""
    out: list[Outgoing] = []
    for reply in replies:
        buttons = tuple((str(b.get("title", "")), str(b.get("payload", ""))) for b in reply.get("buttons") or []
                        if b.get("payload"))
        text = str(reply.get("text") or "")
        if not text and not buttons:
            continue
        pieces = split_text(text or CHOOSE)
        out += [Outgoing(p) for p in pieces[:-1]]
        out.append(Outgoing(pieces[-1], buttons))
    return out


def from_core(replies: Iterable[Reply]) -> list[Outgoing]:
    return from_rasa(r.to_dict() for r in replies)
