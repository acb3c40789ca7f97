"""The "don't lead" coach on demand: a worker checks a question before asking the child."""
from __future__ import annotations

import pytest

from bot import question_check, routes
from bot.routes import Context


@pytest.mark.parametrize("text, question, kind", [
    ('is it ok if i ask her "did he touch you?"', "did he touch you?", "leading"),
    ("can I ask him if his dad hit him?", "his dad hit him", "leading"),
    ("is it alright to ask 'was it your mum who did that?'", "was it your mum who did that?", "leading"),
    ("can i ask her who hurt her", "who hurt her", "leading"),
    ("can i ask the kid if anyone at home is hurting them", "anyone at home is hurting them", "leading"),
    ("i'm going to ask him \u201cdid your brother push you\u201d, is that alright?", "did your brother push you",
     "leading"),
    ("can i ask him did his dad do it or is that leading", "did his dad do it", "leading"),
    ("Is it OK if I ask her 'Did he touch you?' She's really upset", "Did he touch you?", "leading"),
    ("is it ok to ask why she didnt tell anyone sooner", "why she didnt tell anyone sooner", "closed"),
    ("can i ask 'are you ok?'", "are you ok?", "closed"),
    ("would it be ok to say 'tell me what happened'?", "tell me what happened", "open"),
    ("ok to ask 'what happened to your arm'?", "what happened to your arm", "open"),
    ("should i ask him where the bruise came from", "where the bruise came from", "open"),
])
def test_the_question_is_found_and_sorted(text, question, kind):
    c = question_check.check(text)
    assert c.question == question
    assert c.review is not None and c.review.kind == kind


@pytest.mark.parametrize("text", [
    "what should I ask her?",
    "what do i say to her",
    "how do i ask about the marks without leading him",
    "am i allowed to ask questions when she tells me",
    "",
])
def test_no_question_to_look_at_gives_the_general_guidance(text):
    assert question_check.check(text).question is None
    advice = question_check.advice(text)
    assert "Tell me what happened" in advice and "Explain" in advice and "Describe" in advice
    assert "Don't name a person or an act the child hasn't named" in advice
    assert "Source: Keeping Children Safe in Education" in advice


def test_leading_question_is_named_as_leading_with_a_better_wording():
    advice = question_check.advice('is it ok if i ask her "did he touch you?"')
    assert advice.startswith('"Did he touch you?" would be leading')
    assert "Try: 'Tell me what happened.'" in advice
    assert "999" in advice and "Source:" in advice


def test_reported_question_reads_naturally():
    advice = question_check.advice("can I ask him if his dad hit him?")
    assert advice.startswith("Asking if his dad hit him would be leading")


def test_open_question_is_encouraged_without_a_correction():
    advice = question_check.advice("would it be ok to say 'tell me what happened'?")
    assert "good open question" in advice and "Try:" not in advice


def test_the_organisations_own_source_is_cited():
    advice = question_check.advice("what should I ask her?", "bucks-toolkit")
    assert "(TED)" in advice


def test_reply_is_short_enough_for_a_phone():
    for text in ('is it ok if i ask her "did he touch you?"', "what should I ask her?",
                 "is it ok to ask why she didnt tell anyone sooner"):
        advice = question_check.advice(text, "grange-primary")
        assert len(advice) < 700 and advice.count("\n") <= 7


def test_route_ends_with_a_next_step():
    out = routes.run("check_question", Context(org="west-kent", text="can I ask him if his dad hit him?"))
    assert len(out.replies) == 1
    payloads = [b.payload for b in out.replies[0].buttons]
    assert "/start_concern" in payloads and "/ask_contact" in payloads
    assert "999" in out.replies[0].text


def test_route_works_before_the_organisation_is_known():
    out = routes.run("check_question", Context(org=None, text="what should I ask her?"))
    assert "Tell me what happened" in out.replies[0].text


def test_long_or_odd_input_does_not_break_it():
    assert question_check.advice("ask her " * 5000)
    assert question_check.advice("<b>can i ask</b> \u2018did he hurt you?\u2019")
    assert question_check.check("<b>can i ask</b> \u2018did he hurt you?\u2019").review.kind == "leading"


def test_what_to_say_is_not_mistaken_for_a_question_to_the_child():
    assert question_check.check("what do i say to her if she cries").question is None


def test_no_question_to_the_child_but_a_known_topic_gets_the_topics_answer():
    """'How do I tell if a bruise is from playing?' is not a question to put to a child: answer it."""
    from bot.guidance import knowledge
    out = routes.run("check_question", Context(org="west-kent", text="how do i tell if a bruise is from playing"))
    expected = knowledge.answer("accident-or-injury", "west-kent").text
    assert out.replies[0].text == expected
    coached = routes.run("check_question", Context(org="west-kent", text="can I ask him if his dad hit him?"))
    assert "leading" in coached.replies[0].text          # a real question to the child is still coached


def test_not_understood_but_answerable_gets_the_answer_not_the_menu():
    from bot.guidance import knowledge
    out = routes.run("fallback", Context(org="missing-link", text="when do concern forms get destroyed"))
    assert out.replies[0].text == knowledge.answer("record-retention", "missing-link").text
    menu = routes.run("fallback", Context(org="missing-link", text="zxqv blorp"))
    assert menu.replies[0].text != out.replies[0].text and menu.replies[0].buttons
