"""Rasa SDK actions: read slots, call one core function, turn the answer into messages.

No safeguarding rules here; they live in bot/.
"""
from __future__ import annotations

from typing import Any, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import privacy, recording, routes, session
from bot.concerns import form
from bot.replies import Reply
from bot.routes import Context, Outcome

FORM = "concern_form"


def _latest_entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def _org_events(tracker: Tracker) -> tuple[str | None, List[EventType]]:
    """The conversation's organisation, taking a channel's metadata into account."""
    current, source = tracker.get_slot("org"), tracker.get_slot("org_source")
    channel_org = session.org_from_metadata((tracker.latest_message or {}).get("metadata"))
    decision = session.decide_org(current, source, from_channel=channel_org)
    events: List[EventType] = []
    if (decision.org, decision.source) != (current, source):
        events = [SlotSet("org", decision.org), SlotSet("org_source", decision.source)]
    return decision.org, events


def _context(tracker: Tracker, org: str | None, **overrides: Any) -> Context:
    latest = tracker.latest_message or {}
    flags = tuple(f.get("reason", "") for f in latest.get("red_flags") or [] if isinstance(f, dict))
    base = dict(org=org, area=tracker.get_slot("area"), text=latest.get("text") or "",
                topic=_latest_entity(tracker, "topic"), red_flags=flags,
                guidance_topic=_latest_entity(tracker, "guidance_topic"),
                channel=tracker.get_latest_input_channel(), sender=tracker.sender_id,
                reply_to=session.reply_to((latest.get("metadata") or {}), tracker.get_latest_input_channel()),
                about_colleague=bool(tracker.get_slot("about_colleague")))
    base.update(overrides)
    return Context(**base)


def _say(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.to_dict())


def _emit(dispatcher: CollectingDispatcher, tracker: Tracker, outcome: Outcome) -> List[EventType]:
    _say(dispatcher, outcome.replies)
    events: List[EventType] = [SlotSet(k, v) for k, v in outcome.set_slots.items()]
    if outcome.start_form:
        events += [SlotSet(k, v) for k, v in recording.begin(tracker.get_slot("concern_key")).items()]
        events.append(FollowupAction(FORM))
    return events


class RouteAction(Action):
    """One Rasa action per conversation route; the route itself is in bot.routes."""
    action_name = ""
    route = ""

    def name(self) -> Text:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        org, events = _org_events(tracker)
        outcome = routes.run(self.route, _context(tracker, org))
        return events + _emit(dispatcher, tracker, outcome)


def _route_action(action_name: str, route: str) -> type:
    return type(f"Action_{route}", (RouteAction,), {"action_name": action_name, "route": route})


ROUTE_ACTIONS = [
    _route_action(a, r) for a, r in [
        ("action_menu", "menu"), ("action_danger", "danger"), ("action_disclosure", "disclosure"),
        ("action_listen_now", "listen_now"), ("action_disclosure_later", "disclosure_later"),
        ("action_observed", "observed"), ("action_allegation", "allegation"),
        ("action_allegation_head", "allegation_head"), ("action_accident", "accident"),
        ("action_accident_doesnt_fit", "accident_doesnt_fit"), ("action_who_to_call", "who_to_call"),
        ("action_confidentiality", "confidentiality"), ("action_whistleblowing", "whistleblowing"),
        ("action_bot_challenge", "bot_challenge"), ("action_fallback", "fallback"),
        ("action_goodbye", "goodbye"), ("action_thanks", "thanks"), ("action_start_concern", "start_concern"),
        ("action_define", "define"), ("action_check_question", "check_question"),
    ]
]
globals().update({cls.__name__: cls for cls in ROUTE_ACTIONS})


class ActionSessionStart(Action):
    """Starts a session with the organisation the channel sent, if any."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        carried = {k: v for k, v in tracker.slots.items() if v is not None and k != "requested_slot"}
        events += [SlotSet(k, v) for k, v in carried.items()]
        channel_org = session.org_from_metadata(tracker.get_slot("session_started_metadata"))
        if channel_org:
            events += [SlotSet("org", channel_org), SlotSet("org_source", session.CHANNEL)]
        events.append(ActionExecuted("action_listen"))
        return events


class ActionChooseOrg(Action):
    def name(self) -> Text:
        return "action_choose_org"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        org, events = _org_events(tracker)
        source = session.CHANNEL if events else tracker.get_slot("org_source")   # events: the channel just set it
        decision = session.decide_org(org, source, chosen_by_user=_latest_entity(tracker, "org_choice"))
        if decision.refused:
            dispatcher.utter_message(text=decision.refused)
        events += [SlotSet("org", decision.org), SlotSet("org_source", decision.source), SlotSet("pending_route", None)]
        pending = tracker.get_slot("pending_route") or "menu"
        outcome = routes.run(pending, _context(tracker, decision.org, text=""))
        return events + _emit(dispatcher, tracker, outcome)


class ActionChooseArea(Action):
    def name(self) -> Text:
        return "action_choose_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        org, events = _org_events(tracker)
        ctx = _context(tracker, org, text="", area=None, topic=tracker.get_slot("contact_topic"))
        chosen = _latest_entity(tracker, "area_choice") or (tracker.latest_message or {}).get("text")
        outcome = routes.choose_area(ctx, chosen)
        return events + _emit(dispatcher, tracker, outcome)


class ValidateConcernForm(FormValidationAction):
    """Keeps every answer as typed; 'stop' pauses the form without losing anything."""

    def name(self) -> Text:
        return "validate_concern_form"

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {})
        reminder = recording.mid_form_reminder(intent.get("name"), float(intent.get("confidence") or 0.0))
        if reminder:
            _say(dispatcher, [reminder])
        events: List[EventType] = []
        for slot in tracker.slots_to_validate():
            if slot not in form.FIELD_BY_SLOT:
                continue
            text = tracker.get_slot(slot)
            if form.is_stop(str(text or "")):
                return [SlotSet(slot, None), SlotSet("form_stopped", True), SlotSet("requested_slot", None)]
            value, message = form.read_answer(slot, text)
            if message:
                dispatcher.utter_message(text=message)
            events.append(SlotSet(slot, value))
            coaching, extra = recording.coach(slot, value)
            if coaching:
                _say(dispatcher, [coaching])
            events += [SlotSet(k, v) for k, v in extra.items()]
        return events


class AskAction(Action):
    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        _say(dispatcher, [form.question(self.slot, privacy.cloud_chat(tracker.get_latest_input_channel()))])
        return []


ASK_ACTIONS = [type(f"ActionAsk_{s}", (AskAction,), {"slot": s}) for s in form.SLOTS]
globals().update({cls.__name__: cls for cls in ASK_ACTIONS})


class ActionConcernFormDone(Action):
    def name(self) -> Text:
        return "action_concern_form_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        outcome = recording.after_form(tracker.slots, bool(tracker.get_slot("form_stopped")),
                                       tracker.get_latest_input_channel())
        return _emit(dispatcher, tracker, outcome)


class ActionChooseCorrection(Action):
    def name(self) -> Text:
        return "action_choose_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return _emit(dispatcher, tracker, recording.choose_correction())


class ActionCorrectField(Action):
    def name(self) -> Text:
        return "action_correct_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return _emit(dispatcher, tracker, recording.correct(_latest_entity(tracker, "field")))


class ActionFileConcern(Action):
    def name(self) -> Text:
        return "action_file_concern"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        org, events = _org_events(tracker)
        channel = (tracker.get_latest_input_channel() or "unknown")
        outcome = recording.file(_context(tracker, org), tracker.slots, tracker.get_slot("concern_key"),
                                 channel, tracker.sender_id)
        return events + _emit(dispatcher, tracker, outcome)
