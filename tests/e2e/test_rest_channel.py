"""A worker's whole conversation through Rasa's REST channel, with both servers running."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from bot.concerns.crypto import FieldCipher
from bot.concerns.store import ConcernStore

pytestmark = pytest.mark.e2e

CHILD_WORDS = 'He said "if you tell your mum I\'ll hurt the dog" and then he hit me with his belt'


def test_disclosure_to_filed_record(live):
    bot, db, env, _ = live
    me, org = "e2e-disclosure", "independence-project"
    first = bot.text(bot.say(me, "a girl in my group just told me her stepdad hits her", org))
    assert "999" in first and "still with the child" in first

    advice = bot.text(bot.say(me, "yes", org))
    assert "Tell me" in advice and "Don't promise to keep it secret" in advice

    answers = [
        ("/start_concern", "Who is the child"),
        ("AB, year 6", "When did it happen"),
        ("today about 4pm", "Where did it happen"),
        ("youth club kitchen", "What did the child say"),
        (CHILD_WORDS, "What did you see"),
        ("red mark on left forearm about 5cm", "What did you say or ask"),
        ("I said thank you for telling me", "Who else was there"),
        ("skip", "What has been done already"),
        ("nothing yet", "told your safeguarding lead"),
        ("not yet", "your name and your role"),
        ("Sam Jones, volunteer", "Here's what I've got"),
    ]
    for message, expected in answers:
        reply = bot.text(bot.say(me, message, org))
        assert expected in reply, (message, reply)
    assert CHILD_WORDS in reply

    filed = bot.text(bot.say(me, "/affirm", org))
    assert "Filed. Your reference is SG-2026-000001" in filed
    assert "0345 606 1212" in filed          # Friday 18:00: the out-of-hours line

    store = ConcernStore(create_engine(f"sqlite:///{db}", future=True), FieldCipher([env["SAFEGUARD_KEYS"].encode()]))
    record = store.read(org, "SG-2026-000001", reader="e2e", via="test")
    assert record.fields["child_words"] == CHILD_WORDS
    assert record.fields["others_present"] == "(not given)"
    assert CHILD_WORDS.encode() not in db.read_bytes()


def test_danger_first_reply_is_999(live):
    bot, _, _, _ = live
    replies = bot.say("e2e-danger", "his dad is outside with a knife saying he'll kill him", "grange-primary")
    assert replies[0]["text"].startswith("Call 999 now")
    assert "I've treated this as urgent because a weapon was mentioned" in replies[0]["text"]


def test_negated_danger_raises_no_red_flag(live):
    """The rules read negation; the classifier may still err on the side of 999, never the rules."""
    bot, _, _, _ = live
    replies = bot.say("e2e-negated", "no weapons were involved and she is not in danger, she just fell in PE", "grange-primary")
    assert "treated this as urgent because" not in replies[0]["text"]


def test_typed_payload_cannot_switch_a_channel_set_org(live):
    bot, _, _, _ = live
    me = "e2e-payload"
    bot.say(me, "hello", "grange-primary")
    reply = bot.text(bot.say(me, '/choose_org{"org_choice":"west-kent"}', "grange-primary"))
    assert "can't switch" in reply


@pytest.mark.parametrize("text", ["<script>alert(1)</script> who do i call", "a" * 10_000])
def test_hostile_or_huge_message_gets_a_calm_reply(live, text):
    bot, _, _, _ = live
    replies = bot.say("e2e-hostile", text, "missing-link")
    assert any(r.get("text") for r in replies)
    assert not any("<script>" in r.get("text", "") for r in replies)


def test_typed_org_entity_payload_cannot_change_org(live):
    """The issue's exact trap: `/intent{"org": ...}` typed by the user."""
    bot, _, _, _ = live
    me = "e2e-org-entity"
    bot.say(me, "hi", "grange-primary")
    bot.say(me, '/ask_contact{"org": "missing-link"}')
    reply = bot.text(bot.say(me, "who is our DSL"))
    assert "Grange Primary" in reply and "Missing Link" not in reply
