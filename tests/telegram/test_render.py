"""Rasa's replies as Telegram messages: nothing lost at the 4096-character limit, buttons kept."""
from __future__ import annotations

from hypothesis import given, strategies as st

from bot.telegram.render import CHOOSE, LIMIT, from_rasa, split_text


def test_a_short_reply_is_one_message_with_its_buttons():
    out = from_rasa([{"text": "Call 999 now.", "buttons": [{"title": "Who do I call?", "payload": "/ask_contact"}]}])
    assert [(o.text, o.buttons) for o in out] == [("Call 999 now.", (("Who do I call?", "/ask_contact"),))]


def test_several_replies_keep_their_order():
    out = from_rasa([{"text": "one"}, {"text": "two"}, {"text": "three"}])
    assert [o.text for o in out] == ["one", "two", "three"]


def test_buttons_without_text_still_get_a_prompt():
    out = from_rasa([{"buttons": [{"title": "Yes", "payload": "/affirm"}]}])
    assert out[0].text == CHOOSE and out[0].buttons == (("Yes", "/affirm"),)


def test_a_long_reply_is_split_at_a_line_and_buttons_ride_on_the_last_piece():
    text = "\n".join(f"Line {i}: " + "x" * 90 for i in range(100))
    out = from_rasa([{"text": text, "buttons": [{"title": "OK", "payload": "/affirm"}]}])
    assert len(out) == 3 and all(len(o.text) <= LIMIT for o in out)
    assert all(o.text.endswith("x") for o in out)              # cut between lines, not inside one
    assert out[-1].buttons and not out[0].buttons
    assert "\n".join(o.text for o in out) == text


def test_an_empty_reply_is_dropped():
    assert from_rasa([{"text": ""}, {"text": "hello"}])[0].text == "hello"


@given(st.text(min_size=0, max_size=20_000))
def test_splitting_never_loses_a_word(text):
    pieces = split_text(text)
    assert all(len(p) <= LIMIT for p in pieces)
    assert "".join(pieces).split() == text.split()
