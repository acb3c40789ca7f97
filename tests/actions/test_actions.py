"""The Rasa SDK actions as the action server runs them: slots in, messages and events out."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as A
from bot.concerns import default_store

DOMAIN: dict = {}


def tracker(slots=None, text="", intent="greet", confidence=0.95, metadata=None, entities=None,
            sender="worker-1", channel="rest") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "entities": entities or [], "metadata": metadata or {}}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker(sender, dict(slots or {}), latest, events, False, None, {}, "action_listen")


def run(action, t: Tracker):
    d = CollectingDispatcher()
    events = asyncio.run(action.run(d, t, DOMAIN))
    return d.messages, events


def slot_events(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


RECORD = {"org": "grange-primary", "org_source": "channel", "concern_key": "key-123",
          "child_ref": "JB, year 2", "incident_when": "today 10am", "incident_where": "playground",
          "child_words": "mummy's friend hurt my bottom", "observed": "(not given)", "worker_said": "ok",
          "others_present": "(not given)", "actions_taken": "nothing", "reporter": "Ann, TA"}


def test_session_start_takes_org_from_channel_metadata():
    t = tracker(slots={"session_started_metadata": {"org": "missing-link"}})
    _, events = run(A.ActionSessionStart(), t)
    assert slot_events(events)["org"] == "missing-link"
    assert slot_events(events)["org_source"] == "channel"
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"


def test_danger_action_first_message_is_999():
    messages, _ = run(A.Action_danger(), tracker(text="knife", metadata={"org": "west-kent"}))
    assert messages[0]["text"].startswith("Call 999 now")


def test_typed_org_payload_refused_when_channel_set_it():
    t = tracker(slots={"org": "grange-primary", "org_source": "channel"}, intent="choose_org",
                entities=[{"entity": "org_choice", "value": "west-kent"}])
    messages, events = run(A.ActionChooseOrg(), t)
    assert "can't switch" in messages[0]["text"]
    assert slot_events(events)["org"] == "grange-primary"


def test_choosing_org_continues_with_the_pending_question():
    t = tracker(slots={"pending_route": "who_to_call"}, intent="choose_org",
                entities=[{"entity": "org_choice", "value": "independence-project"}])
    messages, events = run(A.ActionChooseOrg(), t)
    assert slot_events(events)["org"] == "independence-project"
    assert any("07880645273" in m["text"].replace(" ", "") for m in messages)


def test_form_keeps_child_words_verbatim():
    words = "he said <b>don't</b> tell   anyone"
    t = tracker(slots={"requested_slot": "child_words", "child_words": words}, text=words, intent="disclosure")
    t.events.append({"event": "slot", "name": "child_words", "value": words})
    _, events = run(A.ValidateConcernForm(), t)
    assert slot_events(events)["child_words"] == words


def test_stop_pauses_the_form():
    t = tracker(slots={"requested_slot": "observed", "observed": "stop"}, text="stop")
    t.events.append({"event": "slot", "name": "observed", "value": "stop"})
    _, events = run(A.ValidateConcernForm(), t)
    slots = slot_events(events)
    assert slots["requested_slot"] is None and slots["form_stopped"] is True and slots["observed"] is None


def test_danger_in_the_middle_of_the_form_reminds_999_and_keeps_the_answer():
    words = "he says he'll kill her tonight"
    t = tracker(slots={"requested_slot": "child_words", "child_words": words}, text=words,
                intent="immediate_danger", confidence=0.97)
    t.events.append({"event": "slot", "name": "child_words", "value": words})
    messages, events = run(A.ValidateConcernForm(), t)
    assert "999" in messages[0]["text"]
    assert slot_events(events)["child_words"] == words


def test_filing_gives_reference_clears_the_words_and_is_idempotent():
    messages, events = run(A.ActionFileConcern(), tracker(slots=RECORD, intent="affirm"))
    assert "Filed. Your reference is SG-" in messages[0]["text"]
    cleared = slot_events(events)
    assert cleared["child_words"] is None and cleared["concern_key"] is None
    run(A.ActionFileConcern(), tracker(slots=RECORD, intent="affirm"))   # a retried request
    assert default_store().count("grange-primary") == 1


def test_filing_with_database_down_keeps_everything_and_gives_numbers(monkeypatch, tmp_path):
    from bot.concerns import store
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/x.db")
    store.default_store.cache_clear()
    monkeypatch.setattr(store.ConcernStore, "create_schema", lambda self: None)
    messages, events = run(A.ActionFileConcern(), tracker(slots=RECORD, intent="affirm"))
    assert "couldn't save" in messages[0]["text"]
    assert "child_words" not in slot_events(events)   # nothing cleared: nothing lost
    assert any(ch.isdigit() for m in messages[1:] for ch in m["text"])


def test_ask_actions_offer_skip_and_stop():
    messages, _ = run(A.ActionAsk_observed(), tracker())
    assert [b["payload"] for b in messages[0]["buttons"]] == ["skip", "stop"]
