"""The "don't lead" coach sorts questions put to a child into open, closed and leading."""
from __future__ import annotations

import pytest

from bot.language.coach import QuestionReview, review, summary_note

TABLE = [
    # open: invites the child's own account
    ("Tell me what happened.", "open"),
    ("Tell me more about that.", "open"),
    ("Can you tell me what happened?", "open"),
    ("Explain what you mean by that.", "open"),
    ("Describe the room for me.", "open"),
    ("What happened next?", "open"),
    ("What happened then?", "open"),
    ("How did that feel?", "open"),
    ("How did that make you feel?", "open"),
    ("Where were you when it happened?", "open"),
    ("When did it happen?", "open"),
    ("Who was there?", "open"),
    ("Who did this to you?", "open"),
    ("What do you mean?", "open"),
    ("Is there anything else you want to tell me?", "open"),
    ("What else happened?", "open"),
    ("Talk me through what happened.", "open"),
    ("What did they say?", "open"),
    ("How did you get home?", "open"),
    ("What was that like for you?", "open"),
    # leading: names a person or an act, or tells the child the answer
    ("Did your dad hit you?", "leading"),
    ("Was it your uncle?", "leading"),
    ("He touched you, didn't he?", "leading"),
    ("Did your stepdad do this to you?", "leading"),
    ("Has your mum been hurting you?", "leading"),
    ("Did he touch you there?", "leading"),
    ("Is someone hurting you at home?", "leading"),
    ("Did mummy smack you or was it daddy?", "leading"),
    ("It was your brother, wasn't it?", "leading"),
    ("Your mum's boyfriend did it?", "leading"),
    ("Was it at home?", "leading"),
    ("Did your coach send you those pictures?", "leading"),
    ("Did someone touch your private parts?", "leading"),
    ("Was it someone you know?", "leading"),
    ("Did grandad kiss you?", "leading"),
    ("Has anyone ever hit you?", "leading"),
    ("He hurt you, didn't he?", "leading"),
    ("Did your teacher shout at you?", "leading"),
    ("Tell me what your dad did.", "leading"),
    ("Is your uncle the one who did this?", "leading"),
    ("She locked you in, didn't she?", "leading"),
    ("How did your dad hurt you?", "leading"),
    ("Did they make you take your clothes off and undress?", "leading"),
    ("Was it your babysitter?", "leading"),
    ("Did he punch you or kick you?", "leading"),
    # closed: yes/no questions about abuse that name no one and no act
    ("Did it hurt?", "closed"),
    ("Has this happened before?", "closed"),
    ("Are you ok?", "closed"),
    ("Do you feel safe at home?", "closed"),
    ("Were you scared?", "closed"),
    ("Is it sore?", "closed"),
    ("Did that happen today?", "closed"),
    ("Does it happen a lot?", "closed"),
    ("Have you told anyone else?", "closed"),
    ("Were you on your own?", "closed"),
    ("Is it still happening?", "closed"),
    ("Did it happen more than once?", "closed"),
    ("Can you show me where?", "closed"),
    ("Why didn't you tell anyone?", "closed"),
    ("Do you want to talk about it?", "closed"),
    ("Did you tell anyone?", "closed"),
    ("Is that true?", "closed"),
]


@pytest.mark.parametrize("question, kind", TABLE, ids=[q for q, _ in TABLE])
def test_question_kind(question, kind):
    [result] = review(question)
    assert result.kind == kind, (question, result)


def test_table_is_big_enough():
    assert len(TABLE) >= 60
    assert {k for _, k in TABLE} == {"open", "leading", "closed"}


def test_reviews_say_why_and_suggest_a_better_question():
    [leading] = review("did your dad hit you?")
    assert isinstance(leading, QuestionReview)
    assert "dad" in leading.reason
    assert leading.better and leading.better.startswith("Try: '")
    [closed] = review("did it hurt?")
    assert closed.better and closed.better.startswith("Try: '")
    [good] = review("what happened next?")
    assert good.better is None


def test_splits_what_the_worker_wrote_into_questions():
    text = ("She came up to me at break. I asked her if her dad hit her and then I asked what happened next. "
            "I said \"did it hurt?\" and she nodded.")
    kinds = [r.kind for r in review("She came up to me at break. I asked her if her dad hit her "
                                    "and then I asked what happened next.")]
    assert kinds == ["leading", "open"]
    assert [r.kind for r in review(text)] == ["closed"]   # quoted words are what was actually said


def test_several_quoted_questions():
    reviews = review("I said 'tell me what happened' and then 'was it your uncle?' and 'did it hurt?'")
    assert [r.kind for r in reviews] == ["open", "leading", "closed"]


def test_statements_are_not_reviewed():
    assert review("She told me her stepdad hits her. I listened and said I would pass it on.") == []
    assert review("") == []


def test_summary_note_only_when_a_leading_question_was_asked():
    assert summary_note(review("Tell me what happened. What happened next?")) is None
    note = summary_note(review("Did your dad hit you? Was it your uncle? Did it hurt?"))
    assert note is not None and "\n" not in note
    assert "2 leading questions" in note and "did your dad hit you" in note.lower()
    assert summary_note([]) is None


def test_never_raises_on_odd_input():
    for text in ["?" * 1000, "<b>did he hit you?</b>", "x" * 30_000, "'''\"\"\"", "did\x00 he?"]:
        review(text)
