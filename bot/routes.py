"""Each route of the conversation: what to say, which buttons to offer, what to remember.

Rasa decides *which* route a message takes; this module decides *what the route
says*, so the safeguarding rules can be read and tested without Rasa.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, TypeVar

from bot import clock, directory, privacy
from bot import question_check
from bot.guidance import knowledge, script
from bot.replies import Button, Reply

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What a route may know about the conversation."""
    org: str | None = None
    area: str | None = None
    text: str = ""
    at: datetime | None = None
    topic: str | None = None
    red_flags: tuple[str, ...] = ()   # plain-English reasons from bot.language.red_flags
    guidance_topic: str | None = None  # a knowledge-base key sent back by "Tell me more"
    channel: str | None = None        # "telegram", "widget", "rest"...: what may be said there
    sender: str = ""                  # the channel's (pseudonymous) sender id
    reply_to: str | None = None       # a Telegram chat to tell the worker later (no lead acknowledged)
    about_colleague: bool = False     # the disclosure named someone who works with children


@dataclass
class Outcome:
    replies: list[Reply]
    set_slots: dict[str, Any] = field(default_factory=dict)
    start_form: bool = False
    topic: str | None = None   # the guidance topic the reply answers, so evaluations measure what is said
    beside: str | None = None  # a practice topic also answered, beside a report's or a worry's own script
    choices: tuple[str, ...] = ()   # guidance topics offered as "which do you mean?" instead of an answer


MENU_BUTTONS = (
    Button("Someone is in danger now", "/immediate_danger"),
    Button("A child told me something", "/disclosure"),
    Button("I've noticed something", "/concern_observed"),
    Button("It's about a colleague", "/allegation_staff"),
    Button("A child had an accident", "/accident"),
    Button("Who do I call?", "/ask_contact"),
    Button("Write up a concern", "/start_concern"),
)
RECORD_BUTTONS = (Button("Write it down now", "/start_concern"), Button("Who do I call?", "/ask_contact"))


def _say(key: str, org: str | None, buttons: tuple[Button, ...] = ()) -> Reply:
    return Reply(script(key).render(org), buttons)


def org_buttons() -> tuple[Button, ...]:
    orgs = directory.load_all()
    return tuple(
        Button(orgs[oid].name, f'/choose_org{{"org_choice":"{oid}"}}') for oid in directory.org_ids()
    )


def ask_org(pending: str) -> Outcome:
    """Ask which organisation, remembering what to do once it is known."""
    return Outcome([Reply(script("choose_org").text, org_buttons())], {"pending_route": pending})


def area_buttons(plan: directory.Plan) -> tuple[Button, ...]:
    return tuple(Button(name, f'/choose_area{{"area_choice":"{aid}"}}') for aid, name in plan.areas)


def plan_reply(ctx: Context, topic: str, max_steps: int = 3) -> Reply:
    """The first people to ring for this organisation, area and moment, in a few lines."""
    plan = directory.who_to_call(ctx.org, topic, area=ctx.area, at=ctx.at or clock.now())
    buttons = area_buttons(plan) if plan.needs_area else (Button("Who do I call?", f"/ask_contact{{\"topic\":\"{topic}\"}}"),)
    return Reply(directory.format_brief(plan, max_steps=max_steps), buttons)


# ── routes ──────────────────────────────────────────────────────────────────

def menu(ctx: Context) -> Outcome:
    if ctx.org is None:
        return Outcome([Reply(script("menu").text), Reply(script("choose_org").text, org_buttons())],
                       {"pending_route": "menu"})
    return Outcome([Reply(script("menu").text, MENU_BUTTONS)])


def danger(ctx: Context) -> Outcome:
    """999 first, always, before anything that could fail or need an answer. A question the worker
    asked ("what is forced marriage?") is one tap away at the end, never in place of any of it."""
    first = _say("danger", ctx.org)
    if ctx.red_flags:
        head, _, rest = first.text.partition("\n")
        why = f"I've treated this as urgent because {'; '.join(ctx.red_flags)}."
        first = Reply(f"{head}\n{why}\n{rest}", first.buttons)
    if ctx.org is None:
        asked = ask_org("danger_contacts")
        return Outcome([first, *asked.replies], asked.set_slots | {"urgency": "urgent"})
    return Outcome([first, plan_reply(ctx, "immediate-danger"),
                    Reply("When everyone is safe, write down what happened.",
                          RECORD_BUTTONS + _also(ctx))],
                   {"urgency": "urgent"})


def danger_contacts(ctx: Context) -> Outcome:
    return Outcome([plan_reply(ctx, "immediate-danger"),
                    Reply("When everyone is safe, write down what happened.", RECORD_BUTTONS)])


def disclosure(ctx: Context) -> Outcome:
    """Whether the child is with them comes first. A rule of conduct the worker also asked about is
    answered after it ("should I ring his mum tonight?": not yourself, the lead decides), as on the
    worry and report routes (`_beside`); a harm asked about by name is one tap away.

    A child telling about a teacher or a coach is remembered: the next steps say who hears about a
    colleague, since at some organisations that is the head or HR, not the lead.

    A message that is only a question ("is leaving a 9 year old home alone after school neglect?") is
    answered, as on the worry route, with this route one tap back: nobody has told the worker anything
    yet, and "are you with the child now?" would answer nothing they asked.
    """
    named = _names_a_colleague(ctx, "disclosure")
    if answered := _unless_it_fails("disclosure", lambda: _answered_outright(
            ctx, (Button("A child told me something", "/disclosure"),)), None):
        return dataclasses.replace(answered, replies=answered.replies + _colleague_too(named))
    beside = _beside(ctx, "disclosure")
    first = _say("disclosure", ctx.org, (Button("Yes, I'm with them", "/affirm"), Button("No, not now", "/deny"))
                 + beside.buttons)
    return Outcome([first, *beside.replies, *_colleague_too(named)], {"about_colleague": named}, beside=beside.topic)


def listen_now(ctx: Context) -> Outcome:
    return Outcome([_say("listen_now", ctx.org, (Button("They've finished: write it down", "/start_concern"),)),
                    *_colleague_too(ctx.about_colleague)])


def disclosure_later(ctx: Context) -> Outcome:
    return Outcome([_say("disclosure_later", ctx.org, RECORD_BUTTONS), *_colleague_too(ctx.about_colleague)])


COLLEAGUE_TOO = ("If this is about someone who works or volunteers with children, it goes to a different "
                 "person. Tap below to see who.")


def _colleague_too(named: bool) -> list[Reply]:
    """The colleague route one tap away, for a worry that names someone who works with children."""
    return [Reply(COLLEAGUE_TOO, (Button("It's about a colleague", "/allegation_staff"),))] if named else []


def observed(ctx: Context, back: tuple[Button, ...] = ()) -> Outcome:
    """"Kid always hungry and in dirty clothes, is that neglect?" is a worry first: write it down,
    tell the lead. A harm the worker asked about by name is one tap away, a rule of conduct ("mum's
    late again, can I drop her home?") is answered beside the script as on the report routes
    (`_beside`), and the colleague route is one tap away when someone who works with children is
    named: the lead is not always who hears about a colleague.
    A message that is only a question is answered, with this route one tap back. `back` is the
    report route that heard it first (`_elsewhere`), one tap away in case that was right."""
    colleague = _colleague_too(_names_a_colleague(ctx, "observed"))
    if answered := _unless_it_fails("observed", lambda: _answered_outright(
            ctx, (Button("I've noticed something", "/concern_observed"),) + back), None):
        return dataclasses.replace(answered, replies=answered.replies + colleague)
    beside = _beside(ctx, "observed")
    return Outcome([_say("observed", ctx.org, RECORD_BUTTONS + beside.buttons + back), *beside.replies, *colleague],
                   beside=beside.topic)


def _answered_outright(ctx: Context, back: tuple[Button, ...]) -> Outcome | None:
    """A worry that is only a question ("is it neglect if a kid always comes in hungry?"): its answer,
    with the routes it came by (`back`) one tap away."""
    found = knowledge.asked_outright(ctx.text)
    return define(ctx, back, found) if found else None


def _names_a_colleague(ctx: Context, route: str) -> bool:
    """Whether to offer the colleague route; after a fault in the matcher it is offered: one tap too
    many costs less than a worry about a colleague going to the wrong person."""
    return _unless_it_fails(route, lambda: knowledge.names_a_colleague(ctx.text), True)


def _elsewhere(ctx: Context, route: str, route_topic: str, back: Button) -> Outcome | None:
    """What a report route says instead of its script when the message isn't its report: a question
    about something else is answered (`knowledge.give_way`: "can volunteers drive children to away
    matches?"), and an account that is really a worry about a child gets "I've noticed something"
    (`knowledge.a_worry_instead`). Either way the route is one tap back, in case it was right.
    After a fault in the matcher the route's own script is said."""
    return _unless_it_fails(route, lambda: _instead(ctx, route_topic, back), None)


def _instead(ctx: Context, route_topic: str, back: Button) -> Outcome | None:
    if other := knowledge.give_way(route_topic, ctx.text, report=True):
        return define(ctx, (back,), other)
    if knowledge.a_worry_instead(route_topic, ctx.text):
        return observed(ctx, (back,))
    return None


def allegation(ctx: Context, topic: str = "allegation-staff", key: str = "allegation",
               back: tuple[Button, ...] = ()) -> Outcome:
    """`back`: the route that heard the account first, one tap away in case it was right."""
    if topic == "allegation-staff" and (
            other := _elsewhere(ctx, "allegation", "colleague-concern",
                                Button("It's about a colleague", "/allegation_staff"))):
        return other
    if ctx.org is None:
        return ask_org("allegation" if topic == "allegation-staff" else "allegation_head")
    about_head = (Button("It's about the head / manager / lead", "/allegation_about_head"),)
    buttons = about_head if topic == "allegation-staff" else ()
    beside = _beside(ctx, key, "colleague-concern")
    return Outcome([_say(key, ctx.org), plan_reply(ctx, topic), *beside.replies,
                    Reply("Would you like to write it down now?", buttons
                          + (Button("Write it down now", "/start_concern"),) + beside.buttons + back)],
                   {"contact_topic": topic}, topic="colleague-concern", beside=beside.topic)


def _unless_it_fails(route: str, offer: Callable[[], T], nothing: T) -> T:
    """A route's own script (999, the contacts, what to do) never waits on the guidance matcher: after a
    fault there, what it would have added or decided is left out (the log names the fault, never the
    message), and the script is said as if the message had asked nothing else."""
    try:
        return offer()
    except Exception as exc:   # noqa: BLE001: any fault here, the route's own reply still goes
        log.error("%s route: guidance left out after %s", route, type(exc).__name__)
        return nothing


def _also(ctx: Context) -> tuple[Button, ...]:
    """For the danger route: a topic the worker also asked about, a rule as much as a harm, is only ever
    a button after 999 and the contacts, never text beside them."""
    other = _unless_it_fails("danger", lambda: knowledge.also_asked(None, ctx.text), None)
    return (_asked_button(other),) if other else ()


def _asked_button(topic: knowledge.Topic) -> Button:
    return topic_button(f"Question about: {topic.title}", topic.key)


@dataclass(frozen=True)
class Beside:
    """What a report, worry or disclosure route adds to its script when the message also asks something."""
    replies: tuple[Reply, ...] = ()
    buttons: tuple[Button, ...] = ()
    topic: str | None = None


def _beside(ctx: Context, route: str, route_topic: str | None = None) -> Beside:
    """"The coach drives one girl home alone, is that allowed?" is a report and a question: the
    script and any contacts stay, and a rule of conduct asked about is answered there and then, with its
    source (the route says what to do, so the answer's own closing is left off). A type of harm asked
    about by name stays one tap away: its definition beside an account would read as a diagnosis."""
    return _unless_it_fails(route, lambda: _what_else_asked(ctx, route_topic), Beside())


def _what_else_asked(ctx: Context, route_topic: str | None) -> Beside:
    other = knowledge.also_asked(route_topic, ctx.text)
    if other is None:
        return Beside()
    if other.kind != "practice":
        return Beside(buttons=(_asked_button(other),))
    gist = knowledge.answer(other.key, ctx.org).gist
    return Beside((Reply(gist, (topic_button("Tell me more", other.key, brief=False),)),), topic=other.key)


def allegation_head(ctx: Context) -> Outcome:
    if other := _elsewhere(ctx, "allegation_head", "colleague-concern",   # "is the DSL the same as the head?"
                           Button("It's about the head / manager / lead", "/allegation_about_head")):
        return other
    return allegation(ctx, "allegation-head", "allegation_head")


def accident(ctx: Context) -> Outcome:
    back = Button("A child had an accident", "/accident")
    if _unless_it_fails("accident", lambda: knowledge.a_colleague_instead("accident-or-injury", ctx.text), False):
        return allegation(ctx, back=(back,))
    if other := _elsewhere(ctx, "accident", "accident-or-injury", back):
        return other
    beside = _beside(ctx, "accident", "accident-or-injury")
    return Outcome([_say("accident", ctx.org, (Button("The explanation doesn't fit", "/accident_doesnt_fit"),)
                         + beside.buttons), *beside.replies], topic="accident-or-injury", beside=beside.topic)


def accident_doesnt_fit(ctx: Context) -> Outcome:
    return Outcome([_say("accident_doesnt_fit", ctx.org, RECORD_BUTTONS)])


def confidentiality(ctx: Context) -> Outcome:
    """Never promise secrecy. "She made me promise not to tell. Is this grooming?" asks two things: the
    secret is answered first, then the other question (`knowledge.give_way`, or else
    `knowledge.asked_beside_a_secret`: a rule of conduct, or a harm the worker asks about by name), in
    full, since here it is a question, not an account. A question with no secret in it ("how long are
    records kept?") just gets its answer; where the readers can't settle on one, the choice of two is
    offered as before (the secret may be one of them). After a fault in the matcher, the secret is said."""
    other = _unless_it_fails("confidentiality", lambda: knowledge.give_way("confidentiality", ctx.text), None)
    if other and not _unless_it_fails("confidentiality", lambda: knowledge.mentions_a_secret(ctx.text), True):
        return define(ctx, found=other)
    asked = other.topic if other and other.topic else _unless_it_fails(
        "confidentiality", lambda: knowledge.asked_beside_a_secret(ctx.text), None)
    if other and not asked:
        return define(ctx, found=other)   # which do you mean?
    secret = _say("confidentiality", ctx.org, RECORD_BUTTONS)
    if asked:
        answered = define(ctx, found=knowledge.Match(asked, ()))
        return Outcome([secret, *answered.replies], topic=asked.key, beside="confidentiality")
    return Outcome([secret], topic="confidentiality")


def whistleblowing(ctx: Context) -> Outcome:
    if other := _elsewhere(ctx, "whistleblowing", "whistleblowing",
                           Button("It's about our organisation", "/whistleblowing")):
        return other
    if ctx.org is None:
        return ask_org("whistleblowing")
    beside = _beside(ctx, "whistleblowing", "whistleblowing")
    return Outcome([_say("whistleblowing", ctx.org), plan_reply(ctx, "whistleblowing"), *beside.replies,
                    Reply("Write down what you raised, with whom and when.", RECORD_BUTTONS + beside.buttons)],
                   {"contact_topic": "whistleblowing"}, topic="whistleblowing", beside=beside.topic)


def check_question(ctx: Context) -> Outcome:
    """A worker checks a question before asking the child: open or leading, and a better way.

    With no question to the child in it ("how do I tell if a bruise is from playing?"), a
    different practice question the knowledge base answers gets that answer; "what should
    I ask her?" keeps the coaching, which says more than the TED entry.
    """
    if question_check.check(ctx.text).review is None and (
            other := _unless_it_fails("check_question", lambda: knowledge.give_way("ted", ctx.text), None)):
        return define(ctx, found=other)
    return Outcome([Reply(question_check.advice(ctx.text, ctx.org), RECORD_BUTTONS)], topic="ted")


def bot_challenge(ctx: Context) -> Outcome:
    return Outcome([_say("bot_challenge", ctx.org, MENU_BUTTONS)])


def fallback(ctx: Context) -> Outcome:
    """Not understood: but a question the knowledge base can answer gets its answer, not a menu."""
    if _unless_it_fails("fallback", lambda: knowledge.match(ctx.text or "").answers, False):
        return define(ctx)
    return Outcome([_say("fallback", ctx.org, MENU_BUTTONS)])


def goodbye(ctx: Context) -> Outcome:
    return Outcome([_say("goodbye", ctx.org)])


def thanks(ctx: Context) -> Outcome:
    return Outcome([_say("thanks", ctx.org, MENU_BUTTONS)])


# Words in a quick question that point at one topic or one kind of contact.
_TOPIC_WORDS: tuple[tuple[str, str], ...] = (
    (r"\blado\b|designated officer|about (a|my) (colleague|teacher|volunteer|member of staff)", "allegation-staff"),
    (r"whistle ?blow", "whistleblowing"),
    (r"\bprevent\b|radicali[sz]|extremis", "radicalisation"),
    (r"\bfgm\b|female genital", "fgm"),
    (r"\b999\b|emergency|danger", "immediate-danger"),
)
_FOCUS_WORDS: tuple[tuple[str, str], ...] = (
    (r"\blado\b|designated officer", "lado"),
    (r"out of hours|out-of-hours|ooh|after hours|emergency duty|\bedt\b|night|weekend", "out of hours"),
    (r"\bdsl\b|\blead\b|deputy|designated safeguarding|co-?ordinator", "lead"),
    (r"\b101\b|police", "police"),
    (r"nspcc|childline", "nspcc"),
    (r"front door|\bmash\b|hub|first response|social (care|services|worker)", "front door"),
)


def contact_topic(text: str) -> str:
    low = text.lower()
    return next((topic for pattern, topic in _TOPIC_WORDS if re.search(pattern, low)), "concern")


def contact_focus(text: str) -> str | None:
    low = text.lower()
    return next((focus for pattern, focus in _FOCUS_WORDS if re.search(pattern, low)), None)


def _step_matches(step: directory.Step, focus: str) -> bool:
    words = {"lado": ("lado", "designated officer"),
             "out of hours": ("out of hours", "out-of-hours", "emergency duty"),
             "lead": ("lead", "deputy", "designated", "co-ordinator", "coordinator"),
             "police": ("police",),
             "nspcc": ("nspcc", "childline"),
             "front door": ("front door", "hub", "first response", "children's social care", "mash", "referral")}[focus]
    haystack = f"{step.role} {step.name or ''}".lower()
    return any(w in haystack for w in words)


def who_to_call(ctx: Context) -> Outcome:
    """A quick question answered in one reply, for this organisation, area and hour.

    The people to ring come first; a question that also names a guidance topic ("what's a LADO
    and when do I ring them?") gets that topic one tap away.
    """
    if ctx.org is None:
        return ask_org("who_to_call")
    topic = ctx.topic if ctx.topic in directory.TOPICS else contact_topic(ctx.text)
    area = ctx.area or directory.find_area(ctx.org, ctx.text)
    at = ctx.at or clock.now()
    plan = directory.who_to_call(ctx.org, topic, area=area, at=at)
    focus = contact_focus(ctx.text)
    if focus:
        chosen = [s for s in plan.steps if _step_matches(s, focus)]
        if chosen:
            plan = dataclasses.replace(plan, steps=chosen)
    text = directory.format_plan(plan)
    buttons = area_buttons(plan) if plan.needs_area else ()
    about = knowledge.match(ctx.text).topic if ctx.text else None   # "whats a lado and when do i ring them?"
    if about is not None:
        buttons += (topic_button(f"About: {about.title}", about.key),)
    slots = {"contact_topic": topic}
    if area:
        slots["area"] = area
    return Outcome([Reply(text, buttons)], slots, choices=(about.key,) if about else ())


def choose_area(ctx: Context, chosen: str | None) -> Outcome:
    """An area button was pressed: answer the pending quick question for that area."""
    area = directory.find_area(ctx.org, chosen or "") if ctx.org and chosen else None
    if area is None and ctx.org is not None:
        plan = directory.who_to_call(ctx.org, ctx.topic or "concern", at=ctx.at or clock.now())
        return Outcome([Reply("Which area are you in?", area_buttons(plan))])
    return who_to_call(dataclasses.replace(ctx, area=area))


BRIEF = ":brief"   # a guidance_topic ending so asks for the short answer (a choice, an offer), not the detail


def topic_button(title: str, key: str, brief: bool = True) -> Button:
    """A button asking for one guidance topic: its short answer, or (brief=False) "Tell me more"."""
    return Button(title, f'/ask_definition{{"guidance_topic":"{key}{BRIEF if brief else ""}"}}')


WHICH = ("Which do you mean? If it's neither, your safeguarding lead can help. "
         "If anyone is in danger right now, call 999.")


def define(ctx: Context, also: tuple[Button, ...] = (), found: knowledge.Match | None = None) -> Outcome:
    """A short answer to "what is…?", with its source, then what to do if worried.

    "Tell me more" sends the topic key back for the detail; when two topics fit the
    question equally, the worker picks one rather than the bot guessing. `also` offers the
    route a question was taken from, in case it was a report after all, and `found` is what that
    route's `knowledge.give_way` decided.
    """
    key = ctx.guidance_topic or ""
    chosen = key.removesuffix(BRIEF) if key.endswith(BRIEF) else None
    more = chosen is None and key in knowledge.topics()
    if chosen in knowledge.topics():
        topic = knowledge.topics()[chosen]
    elif more:
        topic = knowledge.topics()[key]
    else:
        found = found or knowledge.match(ctx.text)
        offer = found.choices or (knowledge.suggest(ctx.text) if found.topic is None else ())
        if offer:
            return Outcome([Reply(WHICH, tuple(topic_button(t.title, t.key) for t in offer)
                                  + also + (Button("Who do I call?", "/ask_contact"),))],
                           choices=tuple(t.key for t in offer))
        topic = found.topic
    if topic is None:
        return Outcome([Reply("I don't have a short answer for that yet. Your safeguarding lead can explain. "
                              "If you're worried about a child, write down what you've seen and tell them. "
                              "If anyone is in danger right now, call 999.", RECORD_BUTTONS)])
    ans = knowledge.answer(topic.key, ctx.org, detail=more)
    tell_more = () if more else (topic_button("Tell me more", topic.key, brief=False),)
    return Outcome([Reply(ans.text, tell_more + also + (Button("I'm worried about a child now", "/start_concern"),
                                                        Button("Who do I call?", "/ask_contact")))], topic=topic.key)


def start_concern(ctx: Context) -> Outcome:
    if ctx.org is None:
        return ask_org("start_concern")
    if not privacy.records_in_chat(ctx.org, ctx.channel):
        from bot.handover import web_form_handover   # it builds on this module's replies
        return web_form_handover(ctx)
    return Outcome([], start_form=True)


ROUTES: dict[str, Callable[[Context], Outcome]] = {
    "menu": menu,
    "danger": danger,
    "danger_contacts": danger_contacts,
    "disclosure": disclosure,
    "listen_now": listen_now,
    "disclosure_later": disclosure_later,
    "observed": observed,
    "allegation": allegation,
    "allegation_head": allegation_head,
    "accident": accident,
    "accident_doesnt_fit": accident_doesnt_fit,
    "who_to_call": who_to_call,
    "confidentiality": confidentiality,
    "whistleblowing": whistleblowing,
    "bot_challenge": bot_challenge,
    "fallback": fallback,
    "goodbye": goodbye,
    "thanks": thanks,
    "start_concern": start_concern,
    "define": define,
    "check_question": check_question,
}


def run(route: str, ctx: Context) -> Outcome:
    """Run a route by name; an unknown name is a programming error."""
    return ROUTES[route](ctx)
