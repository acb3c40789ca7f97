"""The "don't lead" coach: a second look at the questions a worker put to a child.

A child's first account is the most valuable evidence there is, and the commonest way
a kind adult spoils it is by supplying the answer: "did your dad do this to you?"
instead of "tell me what happened". The coach sorts each question into open, closed
or leading and offers a better wording. It advises; it never blocks anything.

The rules look at the question alone: it cannot know what the child had already
said, so a question naming a person or an act is treated as leading (the safe side).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.language import text as textlib

Kind = Literal["open", "leading", "closed"]


@dataclass(frozen=True)
class QuestionReview:
    question: str
    kind: Kind
    reason: str
    better: str | None   # a suggested wording, "Try: '...'"; None when the question was fine


TRY_OPEN = "Try: 'Tell me what happened.'"
TRY_MORE = "Try: 'Tell me more about that.'"

OPEN_STARTS = ("tell me", "tell us", "can you tell me", "could you tell me", "explain", "describe",
               "talk me through", "walk me through", "help me understand", "what happened",
               "anything else", "is there anything else", "what else")
YES_NO_STARTS = {"did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "can", "could",
                 "will", "would", "should", "shall", "may", "might", "must", "didn't", "didnt", "isn't",
                 "isnt", "wasn't", "wasnt", "doesn't", "doesnt", "don't", "dont", "hasn't", "hasnt",
                 "haven't", "havent", "aren't", "arent", "weren't", "werent", "won't", "wont"}
WH_STARTS = {"what", "what's", "whats", "how", "where", "when", "who", "who's", "whos", "which"}
PEOPLE = {"dad", "daddy", "father", "stepdad", "step-dad", "mum", "mummy", "mother", "mom", "stepmum",
          "uncle", "auntie", "aunty", "aunt", "brother", "sister", "stepbrother", "grandad", "granddad",
          "grandpa", "grandma", "granny", "nan", "nana", "gran", "cousin", "boyfriend", "girlfriend",
          "teacher", "coach", "babysitter", "neighbour", "carer", "foster", "leader", "priest",
          "partner", "friend", "stepfather", "stepmother", "lodger", "tutor", "childminder"}
AGENTS = PEOPLE | {"he", "she", "they", "someone", "somebody", "anyone", "anybody", "him", "her",
                   "them", "man", "woman", "adult", "grown-up", "person"}
ACTS = {"hit", "hits", "hitting", "hurt", "hurts", "hurting", "touch", "touched", "touches", "touching",
        "abuse", "abused", "abusing", "smack", "smacked", "smacks", "beat", "beats", "beaten", "beating",
        "kick", "kicked", "kicks", "punch", "punched", "punches", "slap", "slapped", "slaps", "rape",
        "raped", "kiss", "kissed", "kisses", "burn", "burned", "burnt", "lock", "locked", "locks",
        "shake", "shook", "strangle", "strangled", "grab", "grabbed", "starve", "starved", "sex",
        "undress", "undressed", "naked", "photos", "pictures", "private", "bite", "bit", "pinch",
        "pinched", "choke", "choked", "push", "pushed", "shove", "shoved", "threaten", "threatened",
        "bruise", "bruises", "bruised", "do this", "did this", "done this", "does this", "made you"}
_AUX = (r"didn't|didnt|did|doesn't|doesnt|does|don't|dont|isn't|isnt|is|wasn't|wasnt|was|weren't|werent|"
        r"were|hasn't|hasnt|has|haven't|havent|have|won't|wont|aren't|arent|can't|cant")
TAG = re.compile(rf"(?:,|\s)\s*(?:{_AUX})\s+(?:he|she|they|it|you|i|we|there|that)\s*\??\s*$"
                 r"|,\s*(?:right|yeah|innit|ok|okay|yes)\s*\??\s*$", re.IGNORECASE)
NEXT_ASK = re.compile(r"\s+(?:(?:and|then|so|but)\s+)+(?=(?:i|we)\s+(?:then\s+|also\s+)?(?:asked|said)\b)",
                      re.IGNORECASE)
LEAD_IN = re.compile(r"^(?:(?:and|then|so|but|also|first|next|after that|later)\s+)*(?:i|we)\s+(?:then\s+|also\s+|just\s+)?"
                     r"(?:asked|said|say|ask|went|goes|was like)\s*(?:to\s+)?(?:(?:him|her|them|the\s+\w+)\s+)?"
                     r"(?:if|whether)?\s*[,:]?\s*", re.IGNORECASE)
REPORTED_YES_NO = re.compile(r"^(?:(?:and|then|so|but)\s+)*(?:i|we)\s+(?:then\s+|also\s+)?asked\s+"
                             r"(?:(?:him|her|them|the\s+\w+)\s+)?(?:if|whether)\b", re.IGNORECASE)
QUOTED = re.compile(r"\"([^\"]{2,400})\"|(?<![\w])'((?:[^']|'(?=\w)){2,400}?)'(?![\w])")


def _words(question: str) -> list[str]:
    return re.findall(r"[a-z]+(?:[-'][a-z]+)*", question.lower())


def _names_act(words: list[str], lowered: str) -> bool:
    return any(w in ACTS for w in words) or any(" " in a and a in lowered for a in ACTS)


def _classify(question: str, reported_yes_no: bool = False) -> QuestionReview:
    q = question.strip()
    lowered = q.lower().replace("\u2019", "'")
    words = _words(lowered)
    first = words[0] if words else ""
    named_person = sorted({w for w in words if w in PEOPLE})
    agent = any(w in AGENTS for w in words)
    act = _names_act(words, lowered)
    open_start = any(lowered.startswith(s) for s in OPEN_STARTS)

    if TAG.search(lowered) and not open_start and first not in WH_STARTS:
        return QuestionReview(q, "leading", "a tag question (\"…, didn't he?\") tells the child the answer",
                              TRY_OPEN)
    if re.search(r"\bor\b", lowered) and first in YES_NO_STARTS | {"was", "is"} and (named_person or act):
        return QuestionReview(q, "leading", "an either/or question offers the child answers to choose from",
                              "Try: 'Tell me about that.' Let the child say who and what.")
    if act and agent:
        who = f"a person ({', '.join(named_person)})" if named_person else "someone"
        return QuestionReview(q, "leading", f"it names an act and {who} the child may not have named",
                              "Try: 'Tell me what happened.' Let the child name who and what.")
    if named_person:
        return QuestionReview(q, "leading", f"it names a person ({', '.join(named_person)}) the child may not "
                              "have named", "Try: 'Tell me more about that.' Let the child say who.")
    if re.match(r"^(was|is) it (someone|somebody|a|an|the|your|his|her|at|in|on|when)\b", lowered):
        return QuestionReview(q, "leading", "\"was it…?\" suggests who, what or where it was", TRY_MORE)
    if open_start:
        return QuestionReview(q, "open", "an invitation to tell it in their own words", None)
    if first == "why":
        return QuestionReview(q, "closed", "\"why\" can sound like blame and closes a child down",
                              "Try: 'Tell me more about that.'")
    if first in WH_STARTS:
        return QuestionReview(q, "open", "an open question that does not suggest an answer", None)
    if reported_yes_no or first in YES_NO_STARTS:
        better = "Try: 'How did that feel?'" if re.search(r"\b(hurt|sore|pain|feel)\b", lowered) else \
            "Try: 'Tell me about any other times.'" if re.search(r"\b(before|again|other times)\b", lowered) else \
            TRY_MORE
        return QuestionReview(q, "closed", "a yes/no question gets a yes or no, not the child's account", better)
    return QuestionReview(q, "closed", "it does not invite the child to say more in their own words", TRY_MORE)


def _candidates(text: str) -> list[tuple[str, bool]]:
    """(question, is a reported yes/no question) for each question in what the worker wrote."""
    text = textlib.clean(text).replace("\u201c", '"').replace("\u201d", '"')
    quoted = [m.group(1) or m.group(2) for m in QUOTED.finditer(text)]
    pieces: list[tuple[str, bool]] = []
    if quoted:
        for segment in quoted:
            pieces += [(p, False) for p in re.findall(r"[^?]+\?|[^?]+$", segment)]
    else:
        for sentence in re.findall(r"[^?.!\n;]+\?*", NEXT_ASK.sub(". ", text)):
            sentence = sentence.strip()
            led = LEAD_IN.match(sentence)
            pieces.append((sentence[led.end():] if led else sentence, bool(REPORTED_YES_NO.match(sentence))))
    out = []
    for piece, reported in pieces:
        piece = piece.strip(" ,:;-\"'")
        words = _words(piece)
        if not words:
            continue
        looks_like_question = piece.endswith("?") or reported or words[0] in WH_STARTS | YES_NO_STARTS | {"why"} \
            or any(piece.lower().startswith(s) for s in OPEN_STARTS)
        if looks_like_question:
            out.append((piece, reported))
    return out


def review(text: str) -> list[QuestionReview]:
    """Each question the worker says they asked, sorted into open, closed or leading."""
    if not text or not text.strip():
        return []
    return [_classify(q, reported) for q, reported in _candidates(text[:20_000])]


def summary_note(reviews: list[QuestionReview]) -> str | None:
    """One line for the concern record when a leading question was asked, so whoever reads
    the child's words knows which of them were prompted."""
    leading = [r.question for r in reviews if r.kind == "leading"]
    if not leading:
        return None
    shown = "; ".join(f"\"{q}\"" for q in leading[:3]) + ("; …" if len(leading) > 3 else "")
    plural = "questions were" if len(leading) > 1 else "question was"
    return f"Note: {len(leading)} leading {plural} asked before the account was recorded ({shown})."
