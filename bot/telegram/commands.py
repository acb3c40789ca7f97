"""What the Telegram commands say: decided here, in the core, from the same routes as the chat.

/call and /danger are answered without Rasa, so they work in one message even
when the conversation server is slow or down.
"""
from __future__ import annotations

from datetime import datetime

from bot import directory, routes, session
from bot.replies import Button, Reply
from bot.routes import Context

COMMANDS: tuple[tuple[str, str], ...] = (
    ("danger", "Someone is in danger now: 999 and your lead"),
    ("call", "Who do I call right now?"),
    ("new", "Write up a new concern"),
    ("org", "Change your organisation"),
    ("help", "What I can do"),
)
JOIN_PREFIX = "join:"          # callback data of the organisation buttons, handled by the bridge


def org_buttons() -> tuple[Button, ...]:
    every = directory.load_all()
    return tuple(Button(every[oid].name, f"{JOIN_PREFIX}{oid}") for oid in directory.org_ids())


def choose_org(intro: str = "Which organisation are you with?") -> Reply:
    return Reply(f"{intro} Your safeguarding lead can also send you a join link. "
                 "If anyone is in danger right now, call 999.", org_buttons())


def joined(org: str) -> list[Reply]:
    name = directory.load_org(org).name
    return [Reply(f"You're set up for {name}. I'm an automated safeguarding guide, not a person. "
                  "If anyone is in danger right now, call 999.\n"
                  "Tell me what's happened, or use the menu: /danger, /call, /new, /help.",
                  routes.MENU_BUTTONS)]


def join(argument: str | None) -> tuple[str | None, list[Reply]]:
    """(organisation to remember, replies) for `/start <org>` or `/org <org>`."""
    wanted = (argument or "").strip()
    if not wanted:
        return None, [choose_org()]
    org = wanted if wanted in directory.org_ids() else None
    if org is None:
        org = session.match_org(wanted)     # a name as well as an id
    if org is None:
        return None, [choose_org(f"I don't know an organisation called \"{wanted[:64]}\".")]
    return org, joined(org)


def _context(org: str, area: str | None, at: datetime | None) -> Context:
    return Context(org=org, area=area, at=at, channel="telegram")


def call(org: str | None, area: str | None, at: datetime | None = None) -> list[Reply]:
    """Who to ring now, in one message."""
    if org is None:
        return [choose_org("First, which organisation are you with?")]
    return routes.who_to_call(_context(org, area, at)).replies


def danger(org: str | None, area: str | None, at: datetime | None = None) -> list[Reply]:
    """999 first, then the lead; without an organisation, 999 and how to join."""
    if org is None:
        first = routes.danger(Context()).replies[0]
        return [first, choose_org("So I can give you your lead's number:")]
    return routes.danger(_context(org, area, at)).replies


def help_text(org: str | None) -> list[Reply]:
    lines = ["I'm an automated safeguarding guide. Tell me what's worrying you in your own words, or:"]
    lines += [f"/{name}: {what}" for name, what in COMMANDS]
    if org:
        lines.append(f"You're set up for {directory.load_org(org).name}.")
    lines.append("If anyone is in danger right now, call 999.")
    return [Reply("\n".join(lines))]
