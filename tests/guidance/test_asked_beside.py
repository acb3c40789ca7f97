"""A message that asks two things gets both answers: a secret asked for and the question that follows
it, an account and the LADO asked about by name. Written from development set 9, whose questions name
a secret or a decision-maker and then ask about something else."""
from __future__ import annotations

import pytest

from bot import routes
from bot.guidance import knowledge, script

ORG = "grange-primary"


def _run(route: str, text: str) -> routes.Outcome:
    return routes.run(route, routes.Context(org=ORG, channel="widget", text=text))


@pytest.mark.parametrize("text,key", [
    ("A 13 year old showed me cuts on her arms and made me promise not to tell anyone. "
     "How should I respond to self-harm when she's in front of me?", "self-harm"),
    ("a 12 yr old made me swear i wouldnt tell that she has an online friend who is 19 and says to keep "
     "their chats secret. is this grooming?", "grooming"),
    ("She begged me not to tell anyone, but a boy from the club made her do sexual things at a sleepover. "
     "They're both 14. What happens with child-on-child sexual abuse?", "child-on-child"),
    ("A 17 year old in our choir says she's seeing the choir master and made me promise to keep it quiet. "
     "What does position of trust mean here?", "position-of-trust"),
    ("A 16 year old asked me to keep it secret that she's seeing her 25 year old coach. She's over the age of "
     "consent, so is it actually against the law?", "position-of-trust"),
])
def test_a_secret_and_a_question_get_the_secrets_rule_first_then_the_answer(text: str, key: str) -> None:
    said = _run("confidentiality", text)
    assert said.replies[0].text == script("confidentiality").render(ORG)   # never promise secrecy, first
    assert said.topic == key and said.beside == "confidentiality"
    assert said.replies[1].text.startswith(knowledge.topics()[key].title)
    assert "/start_concern" in [b.payload for r in said.replies for b in r.buttons]


@pytest.mark.parametrize("text", [
    "a girl asked me not to tell her mum, can i promise that?",
    "she told me about fgm in confidence, can i keep it to myself",   # a harm named, but the question is the secret
    "kid made me pinky swear i wouldnt tell, what do i say",
])
def test_a_question_only_about_the_secret_gets_the_secrets_rule_alone(text: str) -> None:
    said = _run("confidentiality", text)
    assert said.topic == "confidentiality" and said.beside is None and len(said.replies) == 1


@pytest.mark.parametrize("text,topic,choices", [
    ("how does our safeguarding policy sit alongside the data protection and confidentiality policies?",
     "org-policies", ()),
    ("is there anywhere i can report the charity covering up how often kids go missing, confidentially",
     None, ("whistleblowing", "missing-home")),
])
def test_confidential_alone_is_no_secret_so_the_question_is_answered_alone(text: str, topic: str | None,
                                                                            choices: tuple[str, ...]) -> None:
    """A policy's name or a way of reporting: no "never promise secrecy" before the answer or the choice."""
    said = _run("confidentiality", text)
    assert said.topic == topic and set(said.choices) == set(choices) and said.beside is None
    assert len(said.replies) == 1 and "Never promise" not in said.replies[0].text


@pytest.mark.parametrize("route,text", [
    ("whistleblowing", "our manager said she'll 'have a quiet word' with the volunteer who grabbed a lad by the "
                       "collar. at what point does the LADO have to be told about something like this"),
    ("allegation", "Our youth lead reckons the LADO only deals with teachers and not volunteers at a church "
                   "youth club. Is that true?"),
    ("whistleblowing", "Our club chair says we only need to tell the council's allegations officer if the police "
                       "are involved. Is that right?"),
])
def test_the_lado_asked_about_by_name_is_answered_beside_the_routes_script(route: str, text: str) -> None:
    """The classifier need not agree: "LADO" means nothing else, and the script and contacts stay."""
    said = _run(route, text)
    assert said.beside == "lado" and said.topic in ("whistleblowing", "colleague-concern")
    assert any(r.text.startswith("LADO:") for r in said.replies)
    assert any("Who to ring now" in r.text for r in said.replies)


def test_the_lado_named_in_an_account_that_asks_nothing_adds_nothing() -> None:
    said = _run("whistleblowing", "I told the LADO last week and our head has done nothing since.")
    assert said.beside is None and said.topic == "whistleblowing"


@pytest.mark.parametrize("clause", ["at what point does the lado get involved", "by when do i have to tell them",
                                    "for how long are the forms kept", "to whom do i pass it"])
def test_a_question_word_after_a_preposition_opens_a_question(clause: str) -> None:
    assert knowledge._opens_like_a_question(clause)
    assert not knowledge._opens_like_a_question("at the club a boy told me something")


def test_a_hyphen_does_not_split_a_clause() -> None:
    """"self-harm" and "child-on-child" are one word each; a dash between spaces still ends a clause."""
    clauses = knowledge._clauses("how should I respond to self-harm? quick one - is child-on-child common")
    assert [c.strip() for c in clauses] == ["how should I respond to self-harm", "quick one", "is child-on-child common"]
    assert knowledge._asked_by_name("self-harm", "A girl burns herself. how do I respond to self-harm?")


@pytest.mark.parametrize("text,rest", [
    ("Deputy manager at a nursery. A parent has complained", "A parent has complained"),
    ("Lifeguard at a leisure centre. Two 13 yr old boys were fighting", "Two 13 yr old boys were fighting"),
    ("youth worker with the scouts, can i give a lad a lift", "can i give a lad a lift"),
    # someone else, not the asker: kept
    ("my coach at the club - he texts a girl", "my coach at the club - he texts a girl"),
    ("The coach at our club. He texts a girl", "The coach at our club. He texts a girl"),
])
def test_the_askers_role_and_workplace_are_who_is_asking(text: str, rest: str) -> None:
    assert knowledge._question(text) == rest


@pytest.mark.parametrize("route,text,key", [
    ("whistleblowing", "a girl told me in confidence her stepdad hits her and our DSL wants to wait and see. am I "
                       "allowed to ring social services myself?", "referral-decision"),
    ("observed", "year 5 boy was showing the others violent videos on his tablet at after school club. how do we "
                 "deal with it and what do we tell parents?", "telling-parents"),
])
def test_a_message_split_between_topics_is_answered_from_the_clauses_that_ask(route: str, text: str,
                                                                               key: str) -> None:
    """The secret, or the videos, are in the account; the question is who refers, or what to tell parents."""
    said = _run(route, text)
    assert said.beside == key
    assert any("Tell me more" in [b.title for b in r.buttons] for r in said.replies)


@pytest.mark.parametrize("text", ["boy hurt his thumb in netball, bit swollen, do i need to tell his dad",
                                  "a girl trapped her finger in the door and it's bruised, should i ring her mum"])
def test_a_question_the_routes_own_script_answers_gets_nothing_beside(text: str) -> None:
    """The accident script says to tell the parent; the rule on not telling parents about abuse would confuse."""
    said = _run("accident", text)
    assert said.topic == "accident-or-injury" and said.beside is None
