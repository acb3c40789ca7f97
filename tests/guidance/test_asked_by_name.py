"""A harm the worker names in a question is answered or offered; a sign of one never makes the bot
name it. "What is forced marriage?" sent to "I've noticed something" gets its answer; "is it ok to
leave kids home alone?" does not get "Neglect", because the worker didn't say neglect."""
from __future__ import annotations

import pytest

from bot import routes
from bot.guidance import knowledge


def _run(route: str, text: str) -> routes.Outcome:
    return routes.run(route, routes.Context(org="grange-primary", channel="widget", text=text))


def _buttons(said: routes.Outcome) -> list[str]:
    return [b.title for r in said.replies for b in r.buttons]


@pytest.mark.parametrize("text,key", [
    ("is leaving an 8 year old on his own every night neglect?", "neglect"),    # the name comes last
    ("what is forced marriage exactly", "forced-marriage"),                     # "what is" + its name
    ("how do young people get pulled into serious violence", "serious-violence"),
    ("what should we do when a teenager goes missing from home overnight", "missing-home"),
    ("can kids with autism be more at risk of abuse", "send"),
])
def test_a_question_that_names_a_harm_is_answered_on_ive_noticed_something(text: str, key: str) -> None:
    said = _run("observed", text)
    assert said.topic == key
    assert "999" in said.replies[0].text and "Source:" in said.replies[0].text
    assert "I've noticed something" in _buttons(said)


@pytest.mark.parametrize("text", ["is it ok to leave kids home alone?",
                                  "what should i do if a kid keeps coming in with dirty clothes",
                                  "how do i help a lad whos being made to sell drugs by older boys"])
def test_a_sign_in_a_question_is_not_a_name(text: str) -> None:
    said = _run("observed", text)
    assert said.topic is None
    assert said.replies[0].buttons[0].payload == "/start_concern"
    assert not [t for t in _buttons(said) if t.startswith("Question about")]


def test_a_disclosure_that_asks_about_a_harm_by_name_offers_it_after_are_you_with_the_child() -> None:
    said = _run("disclosure", "can a 15 year old be sexually exploited if she says she wants to go with them?")
    assert said.topic is None   # the disclosure's own first question stays
    assert _buttons(said)[:3] == ["Yes, I'm with them", "No, not now",
                                  "Question about: Child sexual exploitation (CSE)"]


@pytest.mark.parametrize("text,offered", [
    ("what is forced marriage", "Question about: Forced marriage"),
    ("what do we do if a child has gone missing from care", "Question about: Children missing from home or care"),
])
def test_a_question_sent_to_danger_keeps_999_first_and_offers_its_topic_last(text: str, offered: str) -> None:
    said = _run("danger", text)
    assert "999" in said.replies[0].text
    assert said.set_slots["urgency"] == "urgent"
    assert offered in [b.title for b in said.replies[-1].buttons]
    assert said.replies[-1].buttons[0].payload == "/start_concern"


@pytest.mark.parametrize("text", ["he's got a knife to her throat in the car park",
                                  "dad is drunk and trying to take the kids is that neglect",
                                  "a girl just told me her dad is taking her abroad tomorrow to get married"])
def test_danger_offers_nothing_beside_an_account(text: str) -> None:
    said = _run("danger", text)
    assert not [t for t in _buttons(said) if t.startswith("Question about")]


@pytest.mark.parametrize("text", ["lad keeps going missing from school and comes back with train tickets",
                                  "they've missed every hospital appointment and he has epilepsy"])
def test_missing_is_not_miss_so_names_no_colleague(text: str) -> None:
    """"Miss" is a teacher's title; "missing" and "missed" are not someone at work."""
    assert not knowledge.names_a_colleague(text)
    assert knowledge.names_a_colleague("miss jones grabbed a boy by the arm")


def test_every_type_of_harm_has_names_and_they_are_among_its_aliases() -> None:
    harms = [t for t in knowledge.topics().values() if t.kind == "harms"]
    assert len(harms) >= 28
    assert [t.key for t in harms if not t.names] == []
    assert [(t.key, n) for t in harms for n in t.names if n not in t.aliases] == []


def test_a_name_that_is_not_an_alias_is_refused_with_the_file_and_topic() -> None:
    raw = {"title": "Neglect", "aliases": ["neglect"], "names": ["neglect", "negligence"], "summary": "s",
           "todo": "t", "statutory": ["Working Together to Safeguard Children 2023"]}
    with pytest.raises(ValueError, match=r"harms\.yml: topic 'neglect' has names that are not among its "
                                         r"aliases: \['negligence'\]"):
        knowledge._topic("neglect", raw, "harms.yml", "harms")
