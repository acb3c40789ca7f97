"""The record step of the conversation: start, read back, correct, file, report.

Everything here decides; the Rasa actions only carry slots in and events out.
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from bot import directory, notify
from bot.concerns import Draft, StoreUnavailable, default_store
from bot.concerns import form
from bot.replies import Button, Reply
from bot.routes import Context, Outcome, plan_reply

CLEARED_AFTER_FILING = {slot: None for slot in form.SLOTS} | {"concern_key": None, "form_stopped": None,
                                                               "urgency": None}


def begin(current_key: str | None) -> dict[str, Any]:
    """Slots for a new (or resumed) form run: the idempotency key survives a resume."""
    return {"concern_key": current_key or uuid.uuid4().hex, "form_stopped": None}


def after_form(values: Mapping[str, Any], stopped: bool) -> Outcome:
    if stopped:
        return Outcome([form.paused()], {"form_stopped": None})
    return Outcome([form.summary({s: values.get(s) for s in form.SLOTS})])


def choose_correction() -> Outcome:
    return Outcome([form.correction_buttons()])


def correct(field: str | None) -> Outcome:
    """Clear one answer so the form asks it again, then reads everything back."""
    if field not in form.FIELD_BY_SLOT:
        return Outcome([form.correction_buttons()])
    return Outcome([], {field: None}, start_form=True)


def file(ctx: Context, values: Mapping[str, Any], key: str | None, channel: str, sender_id: str) -> Outcome:
    """File the record, alert the lead, and say whom to ring now."""
    if ctx.org is None or not key:
        return Outcome([Reply("There's no record in progress to file.",
                              (Button("Write up a concern", "/start_concern"),))])
    draft = Draft(org=ctx.org, fields={s: values.get(s) or "" for s in form.SLOTS},
                  channel=channel, sender_id=sender_id, key=key, urgency=values.get("urgency") or "standard")
    try:
        filed = default_store().file(draft)
    except StoreUnavailable:
        return Outcome([
            Reply("I couldn't save the record just now. Nothing you typed is lost; I'll keep it here. "
                  "Please ring your safeguarding lead now, and tap below to try saving again.",
                  (Button("Try saving again", "/affirm"),)),
            plan_reply(ctx, "concern", max_steps=3),
        ])
    notify.notifier().new_concern(filed.org, filed.reference)
    done = Reply(f"Filed. Your reference is {filed.reference}. Your safeguarding lead has been alerted. "
                 "Keep the reference; you don't need to keep any notes on your phone.")
    return Outcome([done, plan_reply(ctx, "concern"),
                    Reply("Anything else?", (Button("Who do I call?", "/ask_contact"), Button("That's all", "/goodbye")))],
                   CLEARED_AFTER_FILING | {"last_reference": filed.reference})


def mid_form_reminder(intent: str | None, confidence: float) -> Reply | None:
    """While the form takes an answer, a message that reads as danger gets a 999 reminder.

    The answer is still kept: breaking out of the form could lose the child's words.
    """
    if intent == "immediate_danger" and confidence >= 0.6:
        return Reply("If anyone is in danger right now, stop and call 999. I'll keep what you've written.")
    return None
