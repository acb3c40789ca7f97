"""A process dying half-way through the form loses nothing; filed words leave the conversation store."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from bot.concerns.conversations import ConversationVault
from bot.concerns.crypto import FieldCipher
from bot.concerns.store import ConcernStore

pytestmark = pytest.mark.e2e

WORDS = "he said mummy's boyfriend put her hand on the cooker"


def answer(bot, me, org, pairs):
    for message, expected in pairs:
        reply = bot.text(bot.say(me, message, org))
        assert expected in reply, (message, reply)


def test_restarts_mid_form_lose_no_answer_and_filed_words_are_forgotten(live):
    bot, db, env, stack = live
    me, org = "e2e-restarts", "missing-link"
    answer(bot, me, org, [("/start_concern", "Who is the child"), ("CD, aged 7", "When did it happen")])

    stack.restart("actions")                      # the action server dies between two steps
    answer(bot, me, org, [("this morning", "Where did it happen"), ("at the refuge", "What did the child say")])

    stack.restart("rasa")                         # the Rasa server dies too
    answer(bot, me, org, [(WORDS, "What did you see"), ("skip", "What did you say or ask"),
                          ("skip", "Who else was there"), ("skip", "What has been done already"),
                          ("skip", "told your safeguarding lead"), ("skip", "your name and your role")])
    summary = bot.text(bot.say(me, "Pat, support worker", org))
    for kept in ("CD, aged 7", "this morning", "at the refuge", WORDS):
        assert kept in summary

    filed = bot.text(bot.say(me, "/affirm", org))
    assert "Your reference is SG-2026-" in filed
    reference = filed.split("Your reference is ")[1].split(".")[0]
    key = env["SAFEGUARD_KEYS"].encode()
    record = ConcernStore(create_engine(f"sqlite:///{db}", future=True), FieldCipher([key])).read(
        org, reference, reader="e2e", via="test")
    assert record.fields["child_words"] == WORDS and record.fields["incident_where"] == "at the refuge"

    conversations = env["SAFEGUARD_CONVERSATIONS_URL"]
    vault = ConversationVault(create_engine(conversations, future=True), FieldCipher([key]))
    stored = vault.get(me)
    assert stored and "cooker" not in stored and "CD, aged 7" not in stored
    raw = open(conversations.removeprefix("sqlite:///"), "rb").read()
    assert b"cooker" not in raw and b"refuge" not in raw
