"""The Rasa SDK actions as the action server runs them: slots in, messages and events out."""
from __future__ import annotations

import asyncio

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


def test_a_disclosure_naming_a_colleague_is_remembered_for_the_next_step():
    said = "one of the boys told me the coach made him get changed in front of him"
    _, events = run(A.Action_disclosure(), tracker(slots={"org": "west-kent"}, text=said, intent="disclosure"))
    assert slot_events(events)["about_colleague"] is True
    messages, _ = run(A.Action_disclosure_later(), tracker(slots={"org": "west-kent", "about_colleague": True},
                                                          text="/deny", intent="deny"))
    assert messages[-1]["buttons"][0]["payload"] == "/allegation_staff"


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


def test_database_down_keeps_the_record_and_files_it_when_the_database_returns(monkeypatch, tmp_path):
    from bot import notify
    from bot.concerns import store
    from bot.concerns.outbox import default_outbox
    alerts = []
    monkeypatch.setattr(notify, "_notifier", type("N", (), {"new_concern": lambda s, o, r, worker=None: alerts.append(r)})())
    good_url = f"sqlite:///{tmp_path}/records.db"
    real_create_schema = store.ConcernStore.create_schema
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/x.db")   # unreachable
    monkeypatch.setattr(store.ConcernStore, "create_schema", lambda self: None)
    store.default_store.cache_clear()
    messages, events = run(A.ActionFileConcern(), tracker(slots=RECORD, intent="affirm"))
    assert "couldn't reach the records database" in messages[0]["text"] and "nothing you typed is lost" in messages[0]["text"]
    assert "child_words" not in slot_events(events)                  # nothing cleared in the chat either
    assert any(ch.isdigit() for m in messages[1:] for ch in m["text"])   # numbers to ring now
    assert default_outbox().pending() == 1
    assert b"mummy" not in open(f"{tmp_path}/conversations.db", "rb").read()

    monkeypatch.setattr(store.ConcernStore, "create_schema", real_create_schema)   # the database is back
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", good_url)
    store.default_store.cache_clear()
    filed = default_outbox().flush(store.default_store())
    assert [f.reference for f in filed] == alerts and default_outbox().pending() == 0
    messages, _ = run(A.ActionFileConcern(), tracker(slots=RECORD, intent="affirm"))   # the worker taps "try again"
    assert filed[0].reference in messages[0]["text"]
    assert store.default_store().count() == 1


def test_ask_actions_offer_skip_and_stop():
    messages, _ = run(A.ActionAsk_observed(), tracker())
    assert [b["payload"] for b in messages[0]["buttons"]] == ["skip", "stop"]


def test_leading_question_is_coached_and_noted_on_the_record():
    said = "I said did your stepdad do this to you?"
    t = tracker(slots={"requested_slot": "worker_said", "worker_said": said}, text=said, intent="disclosure")
    t.events.append({"event": "slot", "name": "worker_said", "value": said})
    messages, events = run(A.ValidateConcernForm(), t)
    slots = slot_events(events)
    assert slots["worker_said"] == said                                   # kept as typed
    assert "Tell me what happened" in messages[0]["text"] and "doesn't change what you've recorded" in messages[0]["text"]
    assert "leading question" in slots["coach_note"]
    record = dict(RECORD, coach_note=slots["coach_note"], concern_key="coached")
    run(A.ActionFileConcern(), tracker(slots=record, intent="affirm"))
    store = default_store()
    ref = store.references("grange-primary")[-1][0]
    assert "leading question" in store.read("grange-primary", ref, reader="t", via="test").fields["coach_note"]


def test_open_question_gets_no_coaching():
    said = "I said tell me what happened"
    t = tracker(slots={"requested_slot": "worker_said", "worker_said": said}, text=said, intent="disclosure")
    t.events.append({"event": "slot", "name": "worker_said", "value": said})
    messages, events = run(A.ValidateConcernForm(), t)
    assert messages == [] and slot_events(events).get("coach_note") is None


def test_red_flag_reasons_reach_the_danger_reply():
    t = tracker(text="he has a knife", intent="immediate_danger", metadata={"org": "west-kent"})
    t.latest_message["red_flags"] = [{"rule": "weapon", "reason": "a weapon was mentioned"}]
    messages, _ = run(A.Action_danger(), t)
    assert "because a weapon was mentioned" in messages[0]["text"]


def test_worker_is_never_told_the_lead_was_alerted_when_no_alert_was_delivered():
    messages, _ = run(A.ActionFileConcern(), tracker(slots=dict(RECORD, concern_key="honest"), intent="affirm"))
    assert "has been alerted" not in messages[0]["text"]
    assert "tell your safeguarding lead yourself today" in messages[0]["text"]


def test_worker_is_told_of_the_alert_when_one_is_delivered(monkeypatch):
    from bot import notify
    monkeypatch.setattr(notify, "_notifier", type("N", (), {"delivers": True, "new_concern": lambda s, o, r, worker=None: None})())
    messages, _ = run(A.ActionFileConcern(), tracker(slots=dict(RECORD, concern_key="told"), intent="affirm"))
    assert "has been alerted" in messages[0]["text"]


def test_check_question_action_reviews_the_question_and_offers_a_next_step():
    t = tracker(slots={"org": "west-kent", "org_source": "channel"}, intent="check_question",
                text="is it ok if i ask her 'did he touch you?'")
    messages, _ = run(A.Action_check_question(), t)
    assert len(messages) == 1
    assert messages[0]["text"].startswith('"Did he touch you?" would be leading')
    assert "/start_concern" in [b["payload"] for b in messages[0]["buttons"]]
