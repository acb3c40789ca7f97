"""The red-flag rules: each fires on its kind of danger, and stays quiet when the words are
negated, past, make-believe or used in another sense."""
from __future__ import annotations

import time

import pytest

from bot.language.red_flags import REASONS, RedFlag, detect

FIRES = [
    ("weapon", "he's got a knife and says he'll do it tonight"),
    ("weapon", "a man with a gun is outside the youth club"),
    ("weapon", "the lad is carrying a machete in his bag"),
    ("weapon", "dad is threatening the staff with a hammer"),
    ("threat_to_kill_or_hurt", "her boyfriend said he'll kill her when he gets back"),
    ("threat_to_kill_or_hurt", "he's threatening to stab his mum"),
    ("threat_to_kill_or_hurt", "the ex says hes going to hurt the kids"),
    ("hurting_now", "the stepdad is hitting him right now in the car park"),
    ("hurting_now", "mum's partner is punching her in the kitchen"),
    ("hurting_now", "help he's got her by the throat"),
    ("child_missing", "we cant find one of the kids on the trip"),
    ("child_missing", "a 6 year old has gone missing from the park"),
    ("child_missing", "we've lost a 7 year old at the zoo"),
    ("child_taken", "a girl is being dragged into a car outside the gates"),
    ("child_taken", "the boy has been snatched from the playground"),
    ("child_taken", "some bloke in a van is trying to get the girls to get in"),
    ("child_taken", "a woman in a car offering the little ones sweets by the fence"),
    ("self_harm_or_suicide", "he said he wants to kill himself tonight"),
    ("self_harm_or_suicide", "she's taken a load of pills"),
    ("self_harm_or_suicide", "lad is standing on the edge of the bridge"),
    ("self_harm_or_suicide", "girl has slit her wrists in the toilets"),
    ("taken_abroad", "she's being taken to pakistan on friday to be married"),
    ("taken_abroad", "her mum says they're flying out tomorrow morning for her to be cut"),
    ("held_against_will", "dad won't let her leave the room"),
    ("held_against_will", "he's locked the door and is refusing to let the child go home"),
    ("held_against_will", "a young person is being held in a flat"),
    ("serious_injury", "the boy is unconscious and not breathing"),
    ("serious_injury", "she's bleeding heavily from the head"),
    ("serious_injury", "child collapsed and his lips are going blue"),
    ("afraid_to_go_home", "she's too scared to go home"),
    ("in_danger_now", "she's in danger right now what do i do"),
    ("in_danger_now", "emergency"),
    ("drunk_in_charge", "mum is really drunk and is about to drive the kids home"),
]

INDIRECT = [
    "she's scared to go home tonight because he said he'd kill her",
    "he won't go home because his dad will kill him",
    "her mum let slip they fly to somalia tomorrow. im sure its FGM",
]

NEGATED = [
    "she is not in danger",
    "no weapon",
    "no weapons were involved",
    "he didn't threaten anyone",
    "he didn't lose consciousness",
    "the boy was never unconscious",
    "no one is missing, all the kids are back",
    "she said she's not scared to go home",
    "he's not suicidal",
    "he hasn't got a knife",
    "he didn't say he would kill her",
    "nobody has gone missing",
]

NOT_DANGER = [
    "the knife drawer in the kitchen is locked",
    "he killed it at football",
    "she killed it in the talent show",
    "the kids were shooting hoops in the hall",
    "we did a first aid course on what to do if someone is unconscious",
    "what does FGM mean",
    "what is the difference between a holiday abroad and being taken abroad for FGM",
    "her stepdad hits her",                        # a disclosure, not happening now
    "a girl told me her mum's boyfriend hit her last week",
    "he cut himself on a bread knife in cooking club",
    "we lost the match but nobody got hurt",
    "he hurt himself falling off his bike",
    "years ago a boy at my old club took an overdose",
    "the film had guns and stabbings in it",
    "she's fitting in well at her new school",
    "the injection will hurt him a bit",
    "what number do i ring, the DSL hasn't come back to me",
    "she keeps going missing for days",
    "a kid said her dad won't let her go out with her friends",
    "my colleague joked she'd kill for a cup of tea",
    "who do i ring about a missing form",
    "emergency duty team number please",
    "the records are kept in a locked cabinet",
    "can i give him a lift home in my car",
    "we spent ages in the minibus trying to get them to sit down",
]


@pytest.mark.parametrize("rule, text", FIRES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(FIRES)])
def test_each_rule_fires(rule, text):
    flags = detect(text)
    assert rule in [f.rule for f in flags], (text, flags)


def test_every_rule_is_tested_and_has_a_reason():
    assert {r for r, _ in FIRES} == set(REASONS)
    assert all(reason and reason[0].islower() and len(reason) < 80 for reason in REASONS.values())


def test_a_flag_says_which_rule_why_and_which_words():
    [flag] = [f for f in detect("there's a man outside with a knife") if f.rule == "weapon"]
    assert isinstance(flag, RedFlag)
    assert flag.reason == "a weapon was mentioned"
    assert "knife" in flag.span


@pytest.mark.parametrize("text", INDIRECT)
def test_danger_phrased_indirectly(text):
    assert detect(text), text


@pytest.mark.parametrize("text", NEGATED)
def test_negated_danger_is_not_a_red_flag(text):
    assert detect(text) == [], text


@pytest.mark.parametrize("text", NOT_DANGER)
def test_danger_words_in_another_sense_are_not_red_flags(text):
    assert detect(text) == [], text


def test_one_flag_per_rule_in_order_of_appearance():
    flags = detect("he has a knife. he has a gun. she's unconscious")
    assert [f.rule for f in flags] == ["weapon", "serious_injury"]


def test_ten_thousand_characters_is_fast_and_still_finds_danger_at_the_end():
    filler = "we had a lovely afternoon at the club and everyone joined in with the games. "
    text = (filler * 200)[:9_990] + ". he has a knife"
    assert len(text) >= 10_000
    detect("warm up")
    started = time.perf_counter()
    flags = detect(text)
    assert time.perf_counter() - started < 1.0
    assert [f.rule for f in flags] == ["weapon"]


def test_very_long_input_without_spaces_or_with_junk_does_not_break():
    assert detect("a" * 50_000) == []
    assert detect("<" * 20_000 + ">" * 20_000) == []
    assert detect("\x00\x01 he has a knife \ufeff") != []


def test_html_is_read_as_text():
    flags = detect("<p>he has <b>a knife</b> &amp; is <i>shouting</i></p>")
    assert [f.rule for f in flags] == ["weapon"]
    assert detect("<div class='danger knife gun'>all fine here</div>") == []
    assert detect("<script>var weapon = 'he has a gun';</script><p>hello</p>") == []


@pytest.mark.parametrize("text", ["", "   ", "\n", "?"])
def test_empty_input(text):
    assert detect(text) == []


def test_quick_per_message():
    messages = [text for _, text in FIRES] + NOT_DANGER
    detect("warm up")
    started = time.perf_counter()
    for text in messages:
        detect(text)
    per_message_ms = (time.perf_counter() - started) * 1000 / len(messages)
    assert per_message_ms < 20, per_message_ms


@pytest.mark.parametrize("text", [
    "can i ask the kid if anyone at home is hurting them",
    "is it ok if I ask her 'is he hurting you right now?'",
    "should I ask him whether his dad has a knife",
])
def test_checking_how_to_word_a_question_is_not_a_report(text):
    assert detect(text) == [], text


@pytest.mark.parametrize("text, rule", [
    ("he is hurting her right now, can I ask her about it?", "hurting_now"),
    ("can i ask her if she's ok, her dad is outside with a knife", "weapon"),
    ("can i ask her if she is ok and her dad is outside with a knife", "weapon"),
    ("can i ask her if she's ok cos he's hitting her right now", "hurting_now"),
    ("what should i ask her, she says her stepdad is hitting her right now", "hurting_now"),
])
def test_a_report_beside_the_question_still_fires(text, rule):
    assert rule in [f.rule for f in detect(text)], text
