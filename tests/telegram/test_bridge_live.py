"""A worker on Telegram: join link, commands, a whole disclosure with button presses,
the secure web form, and a Rasa restart mid-conversation. Real PTB, real Rasa; fake Telegram."""
from __future__ import annotations

import itertools
import re
import urllib.parse
import urllib.request
import urllib.error

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot import directory
from bot.clock import parse_moment
from bot.concerns.crypto import FieldCipher
from bot.concerns.model import ChannelMemberRow
from bot.concerns.store import ConcernStore

pytestmark = pytest.mark.e2e
_users = itertools.count(7_000_001)
CHILD_WORDS = "he said if I tell anyone he will hurt my little brother, and he grabbed my arm really hard"


def user() -> int:
    return next(_users)


def say(api, uid: int, text: str, expect: str, timeout: float = 60.0) -> str:
    """Send a message and wait for a reply containing `expect`; the text of everything since."""
    before = len(api.sent_to(uid))
    api.user_sends(uid, text)
    sent = api.wait_for(uid, before + 1, timeout, contains=expect)
    return "\n".join(s.text for s in sent[before:])


def press(api, uid: int, title: str, expect: str, timeout: float = 60.0) -> str:
    before = len(api.sent_to(uid))
    api.user_presses(uid, title)
    sent = api.wait_for(uid, before + 1, timeout, contains=expect)
    return "\n".join(s.text for s in sent[before:])


def records(env, db) -> ConcernStore:
    return ConcernStore(create_engine(f"sqlite:///{db}", future=True), FieldCipher([env["SAFEGUARD_KEYS"].encode()]))


def test_commands_are_registered_for_the_menu(telegram):
    api, *_ = telegram
    registered = [c for c in api.calls if c.method == "setMyCommands"]
    assert registered, "setMyCommands was never called"
    names = {c["command"] for c in registered[-1].params["commands"]}
    assert names == {"danger", "call", "new", "org", "help"}


def test_join_link_sets_the_organisation_and_survives_in_the_database(telegram):
    api, _, env, db = telegram
    uid = user()
    reply = say(api, uid, "/start grange-primary", "You're set up for Grange Primary School")
    assert "not a person" in reply and "999" in reply
    with Session(create_engine(f"sqlite:///{db}", future=True)) as s:
        rows = s.execute(select(ChannelMemberRow)).scalars().all()
    assert any(r.org == "grange-primary" and r.channel == "telegram" for r in rows)
    assert not any(str(uid) in r.user_key for r in rows)          # a pseudonym, not the Telegram id


def test_call_out_of_hours_gives_this_organisations_number(telegram):
    api, *_ = telegram
    uid = user()
    say(api, uid, "/start grange-primary", "You're set up")
    reply = say(api, uid, "/call", "0345")
    plan = directory.who_to_call("grange-primary", "concern", at=parse_moment("2026-11-20T18:00"))
    open_now = [s for s in plan.steps if s.phone and s.open_now]
    assert open_now and open_now[0].phone in reply
    assert "0345 606 1212" in reply                                # Essex out of hours, Friday 18:00
    assert len(api.sent_to(uid)) == 2                              # /call answers in one message


def test_unknown_org_gets_a_clear_reply_and_the_choices(telegram):
    api, *_ = telegram
    uid = user()
    before = len(api.sent_to(uid))
    api.user_sends(uid, "/start narnia-academy")
    sent = api.wait_for(uid, before + 1)
    assert "I don't know an organisation called \"narnia-academy\"" in sent[-1].text
    assert {t for t, _ in sent[-1].buttons} >= {"Grange Primary School"}
    press(api, uid, "Grange Primary School", "You're set up for Grange Primary School")


def test_danger_answers_at_once_with_999_first(telegram):
    api, *_ = telegram
    uid = user()
    say(api, uid, "/start independence-project", "You're set up")
    before = len(api.sent_to(uid))
    api.user_sends(uid, "/danger")
    sent = api.wait_for(uid, before + 2)
    assert sent[before].text.startswith("Call 999 now")


def test_a_whole_disclosure_in_the_chat_with_buttons(telegram):
    api, _, env, db = telegram
    uid = user()
    say(api, uid, "/start independence-project", "You're set up")
    reply = say(api, uid, "a boy in my group just told me his mum's boyfriend hurts him", "still with")
    assert "999" in reply
    press(api, uid, "No, not now", "Write it down now")
    marks = [c for c in api.calls if c.method == "editMessageReplyMarkup"]
    assert any(b["text"] == "✓ No, not now" for c in marks for row in c.params["reply_markup"]["inline_keyboard"]
               for b in row)
    assert api.sent_to(uid, "sendChatAction"), "no typing indicator"
    assert any(c.method == "answerCallbackQuery" for c in api.calls), "button press never answered"

    asked = press(api, uid, "Write it down now", "initials")
    assert "not their name" in asked
    for text, expect in [("J.D., year 8", "When did it happen"), ("today 5pm", "Where"),
                         ("sports hall", "What did the child say"), (CHILD_WORDS, "What did you see"),
                         ("bruise on upper arm", "What did you say or ask"),
                         ("I said thank you for telling me", "Who else was there")]:
        say(api, uid, text, expect)
    press(api, uid, "Skip", "What has been done")
    say(api, uid, "nothing yet", "told your safeguarding lead")
    press(api, uid, "Not yet", "your name and your role")
    summary = say(api, uid, "Alex Smith, youth worker", "Shall I file it?")
    assert CHILD_WORDS not in summary and "J.D." not in summary        # nothing read back on Telegram
    assert "✓ given" in summary
    filed = press(api, uid, "Yes, file it", "Your reference is")
    reference = re.search(r"SG-2026-\d{6}", filed).group(0)
    assert "0345 606 1212" in filed                                    # Friday 18:00, Essex out of hours

    record = records(env, db).read("independence-project", reference, reader="test", via="test")
    assert record.fields["child_words"] == CHILD_WORDS
    assert record.fields["others_present"] == "(not given)"
    assert record.channel == "telegram"
    words = CHILD_WORDS.split(" if I tell")[0]
    assert not any(CHILD_WORDS in s.text or words in s.text for s in api.sent_to(uid))


def test_web_form_organisation_gets_a_one_time_link_not_the_form(telegram):
    api, _, env, db = telegram
    uid = user()
    say(api, uid, "/start grange-primary", "You're set up")
    reply = say(api, uid, "/new", "/record/")
    assert "Who is the child?" not in reply
    url = re.search(r"https?://\S+/record/\S+", reply).group(0)

    page = urllib.request.urlopen(url, timeout=30).read().decode()
    assert "Record a concern" in page and "Grange Primary School" in page
    fields = {"child_ref": "Amy B, year 4", "incident_when": "today 3pm", "incident_where": "playground",
              "child_words": "<script>alert(1)</script> my uncle touches me", "reporter": "Pat Lee, TA"}
    body = urllib.parse.urlencode(fields).encode()
    done = urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30).read().decode()
    reference = re.search(r"SG-2026-\d{6}", done).group(0)
    assert "<script>" not in done

    record = records(env, db).read("grange-primary", reference, reader="test", via="test")
    assert record.fields["child_words"] == fields["child_words"]
    assert record.channel == "web_form"
    with pytest.raises(urllib.error.HTTPError) as again:
        urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30)
    assert again.value.code == 410 and reference in again.value.read().decode()


def test_telegram_unreachable_for_a_moment_loses_no_reply(telegram):
    api, *_ = telegram
    uid = user()
    say(api, uid, "/start missing-link", "You're set up")
    api.fail("sendMessage", 2)
    say(api, uid, "/help", "/danger")


def test_messages_sent_in_a_burst_keep_their_order(telegram):
    api, _, env, db = telegram
    uid = user()
    say(api, uid, "/start independence-project", "You're set up")
    say(api, uid, "/new", "initials")
    for text in ("K.L., year 3", "yesterday 2pm", "the minibus"):
        api.user_sends(uid, text)
    api.wait_for(uid, 0, contains="What did the child say")
    for text, expect in [("skip", "What did you see"), ("skip", "What did you say"), ("skip", "Who else"),
                         ("skip", "What has been done"), ("skip", "told your safeguarding lead"),
                         ("skip", "your name and your role")]:
        say(api, uid, text, expect)
    say(api, uid, "Jo, driver", "Shall I file it?")
    filed = press(api, uid, "Yes, file it", "Your reference is")
    reference = re.search(r"SG-2026-\d{6}", filed).group(0)
    record = records(env, db).read("independence-project", reference, reader="test", via="test")
    assert (record.fields["child_ref"], record.fields["incident_when"], record.fields["incident_where"]) == \
        ("K.L., year 3", "yesterday 2pm", "the minibus")


def test_rasa_restart_mid_conversation_loses_and_repeats_nothing(telegram):
    api, stack, env, db = telegram
    uid = user()
    say(api, uid, "/start independence-project", "You're set up")
    say(api, uid, "/new", "initials")
    say(api, uid, "R.T., year 10", "When did it happen")
    stack.kill("rasa")
    api.user_sends(uid, "this morning at 9")
    api.wait_for(uid, 0, contains="can't reach my conversation server")
    stack.start("rasa")
    stack.wait_ready()
    sent = api.wait_for(uid, 0, timeout=120, contains="Where did it happen")
    assert sum("Where did it happen" in s.text for s in sent) == 1
    for text, expect in [("canteen", "What did the child say"), ("skip", "What did you see"),
                         ("skip", "What did you say"), ("skip", "Who else"), ("skip", "What has been done"),
                         ("skip", "told your safeguarding lead"), ("skip", "your name and your role")]:
        say(api, uid, text, expect)
    say(api, uid, "Sam, coach", "Shall I file it?")
    filed = press(api, uid, "Yes, file it", "Your reference is")
    reference = re.search(r"SG-2026-\d{6}", filed).group(0)
    record = records(env, db).read("independence-project", reference, reader="test", via="test")
    assert record.fields["incident_when"] == "this morning at 9"
    assert record.fields["incident_where"] == "canteen"
