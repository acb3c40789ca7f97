"""The record step of the conversation: start, read back, correct, file, report.

Everything here decides; the Rasa actions only carry slots in and events out.
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from sqlalchemy.exc import SQLAlchemyError

from bot import notify, privacy
from bot.concerns import Draft, StoreUnavailable, default_store
from bot.concerns import form
from bot.concerns.outbox import default_outbox
from bot.notify.engine import WorkerContact
from bot.language import coach as coach_questions
from bot.replies import Button, Reply
from bot.routes import Context, Outcome, plan_reply

ANYTHING_ELSE = "Anything else?"
CLEARED_AFTER_FILING = {slot: None for slot in form.RECORDED} | {"concern_key": None, "form_stopped": None,
                                                                  "urgency": None}


def begin(current_key: str | None) -> dict[str, Any]:
    """Slots for a new (or resumed) form run: the idempotency key survives a resume."""
    return {"concern_key": current_key or uuid.uuid4().hex, "form_stopped": None}


def after_form(values: Mapping[str, Any], stopped: bool, channel: str | None = None) -> Outcome:
    if stopped:
        return Outcome([form.paused()], {"form_stopped": None})
    return Outcome([form.summary({s: values.get(s) for s in form.RECORDED}, privacy.cloud_chat(channel))])


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
    draft = Draft(org=ctx.org, fields={s: values.get(s) or "" for s in form.RECORDED},
                  channel=channel, sender_id=sender_id, key=key, urgency=values.get("urgency") or "standard")
    try:
        filed = default_store().file(draft)
    except StoreUnavailable:
        return _not_filed_yet(ctx, draft)
    notifier = notify.notifier()
    worker = WorkerContact(ctx.reply_to, ctx.area) if ctx.reply_to else None
    notifier.new_concern(filed.org, filed.reference, worker=worker)
    told = ("Your safeguarding lead has been alerted, but please ring them too if it's urgent."
            if notify.delivers_for(notifier, filed.org)
            else "Now tell your safeguarding lead yourself today, in person or by phone: I can't alert them.")
    done = Reply(f"Filed. Your reference is {filed.reference}. {told} "
                 "Keep the reference; you don't need to keep any notes on your phone.")
    return Outcome([done, plan_reply(ctx, "concern"),
                    Reply(ANYTHING_ELSE, (Button("Who do I call?", "/ask_contact"), Button("That's all", "/goodbye")))],
                   CLEARED_AFTER_FILING | {"last_reference": filed.reference})


def _not_filed_yet(ctx: Context, draft: Draft) -> Outcome:
    """The records database is down: keep the record, say so plainly, and give numbers to ring now."""
    try:
        default_outbox().put(draft)
        kept = ("I couldn't reach the records database just now. Your record is kept safely and will be "
                "filed automatically as soon as the database is back; nothing you typed is lost. "
                "Please ring your safeguarding lead now.")
    except (SQLAlchemyError, OSError):   # the outbox is local; if even that fails, the answers stay in this chat
        kept = ("I couldn't save the record just now. Nothing you typed is lost: it stays in this chat. "
                "Please ring your safeguarding lead now, and tap below to try saving again.")
    return Outcome([Reply(kept, (Button("Try saving again", "/affirm"),)), plan_reply(ctx, "concern", max_steps=3)])


def mid_form_reminder(intent: str | None, confidence: float) -> Reply | None:
    """While the form takes an answer, a message that reads as danger gets a 999 reminder.

    The answer is still kept: breaking out of the form could lose the child's words.
    """
    if intent == "immediate_danger" and confidence >= 0.6:
        return Reply("If anyone is in danger right now, stop and call 999. I'll keep what you've written.")
    return None


def coach(slot: str, answer: str | None) -> tuple[Reply | None, dict[str, Any]]:
    """Coach the worker on the questions they report asking; never blocks the record.

    A leading question is noted on the record, because whoever reads the child's
    words later needs to know which of them were prompted.
    """
    if slot != "worker_said" or not answer or answer == form.NOT_GIVEN:
        return None, {}
    reviews = coach_questions.review(answer)
    unhelpful = [r for r in reviews if r.kind in ("leading", "closed")]
    if not unhelpful:
        return None, {form.COACH_NOTE: None}
    lines = ["Thank you. One thing for next time (it doesn't change what you've recorded):"]
    for r in unhelpful[:2]:
        lines.append(f"• \"{r.question}\": {r.reason}. {r.better or ''}".rstrip())
    lines.append("Open prompts (Tell me…, Explain…, Describe…) keep the account in the child's own words.")
    note = coach_questions.summary_note(reviews)
    if note:
        lines.append("I've noted on the record that a leading question was asked.")
    return Reply("\n".join(lines)), {form.COACH_NOTE: note}
