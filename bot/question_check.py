"""The "don't lead" coach on demand: a worker checks a question *before* asking the child.

"Is it ok if I ask her 'did he touch you?'", "can I ask him if his dad hit him?",
"what should I ask her?". We pull out the question they mean to ask (quoted, or after
"ask her/him/them"), let bot.language.coach sort it into open, closed or leading, and
answer in a few kind lines with a better wording and a next step. With no question to
look at, the general guidance: Tell, Explain, Describe, and don't name a person or an
act the child hasn't named. It advises; it never investigates or judges the case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.guidance import script
from bot.language import coach
from bot.language import text as textlib

# Who the worker means to ask: "ask her", "ask the little boy", "ask my young person".
_WHOM = (r"(?:her|him|them|the\s+(?:\w+\s+)?(?:child|kid|boy|girl|lad|lass|pupil|young\s+person|yp|student|"
         r"toddler|teen|teenager|little\s+one)|(?:my|our|this|that)\s+(?:\w+\s+)?(?:child|kid|boy|girl|lad|pupil|"
         r"young\s+person|yp|student|mentee))")
# "ask her [straight out] if/whether …", or "ask her did he …" / "ask him who …". ("Say" only
# counts with quotes: "what do I say to her if she cries" is not a question for the child.)
_ASK = re.compile(rf"\b(?:ask|asking)\s+(?:{_WHOM}\s+)?"
                  rf"(?:(?:just|straight\s+out|outright|directly|straight)\s+)*(?P<conj>if|whether)?\s*(?P<q>.+)$",
                  re.IGNORECASE)
# "…, is that ok?", "or is that leading", "would that be alright": the worker's check, not the child's question.
_TRAILER = re.compile(r"[\s,;:-]*(?:\bor\s+)?\b(?:is|would|will|could|does|am|was)\s+(?:that|this|it|i)\s+"
                      r"(?:be\s+|being\s+|sound\s+|count\s+as\s+)?(?:a\s+|too\s+)?(?:ok|okay|alright|all\s+right|fine|"
                      r"leading|wrong|allowed|bad|good|right|open)\b.*$", re.IGNORECASE)
_QUESTION_WORDS = coach.WH_STARTS | coach.YES_NO_STARTS | {"why"}
_ORDER = {"leading": 0, "closed": 1, "open": 2}

SOURCE_KEY = "listen_now"    # the scripted TED guidance whose sources we cite


@dataclass(frozen=True)
class Check:
    question: str | None              # what the worker means to ask, as they wrote it
    how: str                          # "quoted" ('did he…?'), "if" (ask him if…), "indirect" (ask him where…)
    review: coach.QuestionReview | None


def _tidy(piece: str, trailer: bool = True) -> str:
    """The question alone: without the worker's own "…, is that ok?" (never cut from quoted words)."""
    piece = _TRAILER.sub("", piece.strip()) if trailer else piece
    return piece.strip(" ,;:-\"'").strip()


def _looks_like_question(piece: str, reported: bool) -> bool:
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", piece.lower())
    if len(words) < 2 and not reported:
        return False
    return bool(words) and (reported or piece.endswith("?") or words[0] in _QUESTION_WORDS
                            or any(piece.lower().startswith(s) for s in coach.OPEN_STARTS))


def extract(text: str) -> tuple[str, str] | None:
    """(the question the worker means to ask, how they gave it: "quoted", "if" or "indirect"), or None."""
    text = textlib.clean(text or "")[:2000]
    for m in coach.QUOTED.finditer(text):
        piece = _tidy(m.group(1) or m.group(2), trailer=False)
        if _looks_like_question(piece, False):
            return piece, "quoted"
    for m in _ASK.finditer(text):
        rest = re.split(r"[.!?\n]", m.group("q"))[0]
        piece = _tidy(rest)
        conj = bool(m.group("conj"))
        if _looks_like_question(piece, conj) and len(piece.split()) >= 2:
            return piece, "if" if conj else "indirect"
    return None


def check(text: str) -> Check:
    """Extract the question and let the coach review it."""
    found = extract(text)
    if found is None:
        return Check(None, "", None)
    question, how = found
    prompt = f"I asked them if {question}" if how == "if" else f"\"{question}\""
    reviews = coach.review(prompt)
    if not reviews:
        return Check(None, "", None)
    return Check(question, how, min(reviews, key=lambda r: _ORDER[r.kind]))


GENERAL = ("You don't need to ask much. Let them tell it their way, and only ask to clarify, "
           "with open prompts:\n"
           "• \"Tell me what happened.\"\n• \"Explain what you mean.\"\n• \"Describe where you were.\"\n"
           "Don't name a person or an act the child hasn't named, and don't ask \"why\". "
           "Don't look into it yourself.")
NEXT_STEP = "Afterwards, write down their exact words and what you asked. If anyone is in danger now, call 999."


def _quote(c: Check) -> str:
    q = (c.question or "").rstrip("?")
    if c.how == "if":
        return f"Asking if {q}"
    if c.how == "indirect":
        return f"Asking {q}"
    return f"\"{q[0].upper() + q[1:]}?\"" if q else ""


def advice(text: str, org: str | None = None) -> str:
    """What to say back: short enough for a phone, ending with the next step and its source."""
    c = check(text)
    cite = script(SOURCE_KEY).citation(org)
    if c.review is None:
        body = GENERAL
    elif c.review.kind == "open":
        body = (f"{_quote(c)} is a good open question: {c.review.reason}. Ask it once, then let them "
                "answer at their own pace. If they stop, that's fine; don't push.")
    else:
        what = "leading" if c.review.kind == "leading" else "a closed question"
        verb = "would be" if c.review.kind == "leading" else "is"
        body = (f"{_quote(c)} {verb} {what}: {c.review.reason}. {c.review.better or coach.TRY_OPEN}\n"
                "Keep to open prompts (Tell me…, Explain…, Describe…), and don't name a person or an act "
                "the child hasn't named.")
    return "\n".join(p for p in (body, NEXT_STEP, cite) if p)
