"""A fault in the guidance matcher never costs a route its own reply: 999, the contacts and what to do
are said as if the message had asked nothing else, and the log names the fault, never the message."""
from __future__ import annotations

import pytest

from bot import routes
from bot.guidance import knowledge, script

ORG = "grange-primary"
# Every call the routes make into the matcher.
MATCHER = ("also_asked", "give_way", "a_worry_instead", "a_colleague_instead", "asked_outright", "names_a_colleague",
           "match", "mentions_a_secret", "asked_beside_a_secret")


def _run(route: str, text: str) -> routes.Outcome:
    return routes.run(route, routes.Context(org=ORG, channel="widget", text=text))


@pytest.fixture
def broken_matcher(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(repr(args))   # the message would be in the exception: it must not reach the log

    for name in MATCHER:
        monkeypatch.setattr(knowledge, name, broken)


# (route, its script, a message that, with the matcher working, changes or adds to that script)
CASES = [
    ("observed", "observed", "is it neglect if a kid always comes in hungry?"),          # answered instead
    ("observed", "observed", "her mum is late again, can I drop her home in my car"),    # lifts rule beside
    ("allegation", "allegation", "can volunteers drive children to away matches?"),      # answered instead
    ("allegation", "allegation", "the coach drives one girl home alone, is that allowed?"),   # rule beside
    ("allegation_head", "allegation_head", "is the DSL the same as the head?"),
    ("accident", "accident", "two 15 yr olds swapped nudes, is that a crime"),
    ("accident", "accident", "my co-leader gave a 14 year old a vape on the residential, what do i do"),   # colleague
    ("disclosure", "disclosure", "is leaving a 9 year old home alone after school neglect?"),   # answered instead
    ("whistleblowing", "whistleblowing", "how long are safeguarding records kept?"),
    ("confidentiality", "confidentiality", "how long are safeguarding records kept?"),
    ("confidentiality", "confidentiality", "she made me promise not to tell. how should i respond to self-harm?"),
    ("fallback", "fallback", "what is county lines"),
]


@pytest.mark.parametrize("route,key,text", CASES)
def test_the_message_takes_the_matchers_way_when_it_works(route: str, key: str, text: str) -> None:
    """So the next test shows the fault, not a message that never reached the matcher."""
    said = _run(route, text)
    assert said.replies[0].text != script(key).render(ORG) or said.beside


@pytest.mark.parametrize("route,key,text", CASES)
def test_after_a_fault_in_the_matcher_the_route_says_its_own_script(
        route: str, key: str, text: str, broken_matcher, caplog) -> None:
    said = _run(route, text)
    assert said.replies[0].text == script(key).render(ORG) and said.beside is None
    assert f"{route} route" in caplog.text and "RuntimeError" in caplog.text
    assert text not in caplog.text and text[:20] not in caplog.text


def test_after_a_fault_danger_still_says_999_first_with_its_contacts(broken_matcher, caplog) -> None:
    said = _run("danger", "what is forced marriage")
    assert "999" in said.replies[0].text and said.set_slots["urgency"] == "urgent"
    assert [b.payload for b in said.replies[-1].buttons] == ["/start_concern", "/ask_contact"]
    assert "RuntimeError" in caplog.text and "forced marriage" not in caplog.text


def test_after_a_fault_a_child_told_me_keeps_its_question_and_offers_the_colleague_route(
        broken_matcher, caplog) -> None:
    """Its first line is "call 999 first" and its buttons carry the conversation on. Whether a colleague
    was named is unknown, so the colleague route is offered: one tap too many, never a wrong person."""
    said = _run("disclosure", "a lad told me something about his dad, do i ring his mum tonight")
    assert "999" in said.replies[0].text and said.beside is None
    assert [b.payload for b in said.replies[0].buttons] == ["/affirm", "/deny"]
    assert said.replies[-1].text == routes.COLLEAGUE_TOO and said.set_slots["about_colleague"] is True
    assert "disclosure route" in caplog.text and "RuntimeError" in caplog.text and "his mum" not in caplog.text


def test_after_a_fault_checking_a_question_still_coaches_it(broken_matcher) -> None:
    said = _run("check_question", "how do I tell if a bruise is from playing?")
    assert said.topic == "ted"
