"""The concern record form: its questions, how answers are read, and the read-back.

Answers are kept exactly as typed (the child's words verbatim, HTML as plain
text); nothing is trimmed except surrounding white space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.replies import Button, Reply

NOT_GIVEN = "(not given)"
MAX_ANSWER_CHARS = 20_000   # generous: a long account must never be cut off


@dataclass(frozen=True)
class Field:
    slot: str
    label: str
    question: str
    skippable: bool = True


FIELDS: tuple[Field, ...] = (
    Field("child_ref", "Child",
          "Who is the child? First name or initials, and their age or school year, is enough.", False),
    Field("incident_when", "When",
          "When did it happen, or when were you told? (date and time, as best you can)"),
    Field("incident_where", "Where", "Where did it happen, or where were you when you were told?"),
    Field("child_words", "Child's words",
          "What did the child say? Type their exact words, even if they're rude or unclear; "
          "don't tidy them up. If they said nothing, tap Skip."),
    Field("observed", "What you saw",
          "What did you see? For an injury: where on the body, its size, shape and colour. "
          "Include how the child seemed."),
    Field("worker_said", "What you said or asked", "What did you say or ask the child, in your own words?"),
    Field("others_present", "Who else was there", "Who else was there, or saw or heard it?"),
    Field("actions_taken", "Done so far",
          "What has been done already? (e.g. rang 999, first aid, nothing yet)"),
    Field("lead_told", "Lead told in person",
          "Have you told your safeguarding lead in person or by phone yet? If so, who and when?"),
    Field("reporter", "Your name and role", "Last one: your name and your role.", False),
)
FIELD_BY_SLOT = {f.slot: f for f in FIELDS}
SLOTS = tuple(f.slot for f in FIELDS)
COACH_NOTE = "coach_note"          # not asked: written when a leading question was reported
RECORDED = SLOTS + (COACH_NOTE,)   # everything a filed record holds

_PAYLOAD = re.compile(r"^/[a-z_]+(\{.*\})?$", re.DOTALL)
_SKIP = {"skip", "skip it", "pass", "n/a", "na", "none", "nothing", "no one", "nobody", "-"}
_STOP = {"stop", "cancel", "quit", "stop the form", "cancel this", "/stop", "stop recording"}


CATEGORIES = (
    "physical abuse", "emotional abuse", "sexual abuse", "neglect", "child sexual exploitation",
    "child criminal exploitation", "county lines", "domestic abuse", "female genital mutilation",
    "forced marriage", "honour-based abuse", "radicalisation", "child-on-child abuse", "online abuse",
    "bullying", "self-harm", "missing", "trafficking and modern slavery", "allegation about staff",
)   # the harms the five policies name; a lead picks any number


QUICK_ANSWERS = {"lead_told": (Button("Not yet", "not yet"),)}
CLOUD_CHAT_QUESTIONS = {   # on Telegram: nothing that names the child
    "child_ref": "Who is the child? Please give their initials only here, not their name, "
                 "and their age or school year.",
}


def question(slot: str, cloud_chat: bool = False) -> Reply:
    f = FIELD_BY_SLOT[slot]
    buttons = QUICK_ANSWERS.get(slot, ())
    buttons += (Button("Skip", "skip"),) if f.skippable else ()
    buttons += (Button("Stop for now", "stop"),)
    text = CLOUD_CHAT_QUESTIONS.get(slot, f.question) if cloud_chat else f.question
    return Reply(text, buttons)


def is_stop(text: str) -> bool:
    return text.strip().lower().rstrip(".!") in _STOP


def read_answer(slot: str, text: str | None) -> tuple[str | None, str | None]:
    """(value to keep, or None to ask again; message to show, if any)."""
    raw = (text or "").strip()
    f = FIELD_BY_SLOT[slot]
    if _PAYLOAD.match(raw):   # an old button or a command pressed mid-form is not an answer
        return None, "We're in the middle of writing up a concern. " + f.question
    if not raw:
        return None, "I didn't get anything there. " + f.question
    if raw.lower() in _SKIP:
        if f.skippable:
            return NOT_GIVEN, None
        return None, "I need this one to file the record. " + f.question
    if len(raw) > MAX_ANSWER_CHARS:
        return None, (f"That's longer than I can take in one message ({len(raw):,} characters; "
                      f"up to {MAX_ANSWER_CHARS:,}). Please send it in two parts.")
    return raw, None


def summary(values: dict[str, str | None], cloud_chat: bool = False) -> Reply:
    """Read the record back so the worker can check it before filing.

    In a cloud chat the answers are not sent again: only which ones were given.
    """
    lines = ["Here's what I've got. Please check it:"]
    if cloud_chat:
        lines[0] = "Here's what I've got (I won't repeat your answers in this chat):"
    for f in FIELDS:
        value = values.get(f.slot) or NOT_GIVEN
        if cloud_chat and value != NOT_GIVEN:
            value = f"✓ given ({len(value.split())} words)"
        lines.append(f"• {f.label}: {value}")
    if values.get(COACH_NOTE):
        lines.append(f"• {values[COACH_NOTE]}")
    lines.append("Shall I file it?")
    return Reply("\n".join(lines), (Button("Yes, file it", "/affirm"), Button("Change something", "/deny")))


def correction_buttons() -> Reply:
    buttons = tuple(Button(f.label, f'/correct_field{{"field":"{f.slot}"}}') for f in FIELDS)
    return Reply("Which part do you want to change?", buttons)


def paused() -> Reply:
    return Reply("Stopped. Nothing has been filed. When you're ready, tap below to carry on. "
                 "If anyone is in danger right now, call 999.",
                 (Button("Carry on writing it up", "/start_concern"), Button("Who do I call?", "/ask_contact")))
