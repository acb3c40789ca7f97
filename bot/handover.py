"""Handing a record over from a cloud chat to the secure web form.

Guidance and numbers stay in the chat, where the worker is; the child's details
go only into the project's own form, reached by a one-time link.
"""
from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.concerns import StoreUnavailable, default_store
from bot.concerns import links
from bot.concerns.store import hash_identity
from bot.replies import Button, Reply
from bot.routes import Context, Outcome, plan_reply


def web_form_handover(ctx: Context, urgency: str = "standard") -> Outcome:
    """A one-time link to the form, what to do meanwhile, and whom to ring now."""
    reporter = hash_identity(ctx.channel or "unknown", ctx.sender)
    try:
        url, _expires = links.issue(default_store(), ctx.org, ctx.channel or "unknown", reporter, urgency)
    except (StoreUnavailable, SQLAlchemyError):
        return Outcome([Reply("Your organisation keeps concern records off this chat, and I can't make a link "
                              "to the secure form just now. Write down what happened on paper: the child's own "
                              "words, when, where and who was there. Then ring your safeguarding lead. "
                              "If anyone is in danger right now, call 999."),
                        plan_reply(ctx, "concern")])
    hours = round(links.LIFETIME.total_seconds() / 3600)
    link = Reply(f"Your organisation keeps concern records off Telegram, because these chats aren't "
                 f"end-to-end encrypted. Please write it up on the secure form instead:\n{url}\n"
                 f"The link works once, for the next {hours} hours. Please don't type the child's name "
                 "or their words here. If anyone is in danger right now, call 999.",
                 (Button("Who do I call?", "/ask_contact"),))
    return Outcome([link, plan_reply(ctx, "concern")])
