"""The evaluation sets stay usable: every guidance question names a real topic, and no new question
of a development or held-out set finds its way into the training data."""
from __future__ import annotations

import pytest
import yaml

from bot.guidance import knowledge
from bot.nlu_eval import GUIDANCE_DEV_SETS, GUIDANCE_HELDOUT_SETS, _norm, training_texts

# Short generic questions ("what is fgm") that the training data already held when the held-out set was
# written; the evaluation leaves them out and says how many. The number may fall, never rise.
ALREADY_TRAINED = {"guidance_dev_former_heldout.yml": 10, "guidance_dev2.yml": 1, "guidance_dev3.yml": 1,
                   "guidance_dev4.yml": 3, "guidance_dev5.yml": 1, "guidance_heldout2.yml": 2,
                   "guidance_heldout3.yml": 1, "guidance_heldout6.yml": 2}


@pytest.mark.parametrize("path", [*GUIDANCE_DEV_SETS, *GUIDANCE_HELDOUT_SETS], ids=lambda p: p.name)
def test_guidance_sets_name_real_topics_and_are_not_trained_on(path):
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    assert len(questions) >= 30
    unknown = {q["topic"] for q in questions} - set(knowledge.topics())
    assert not unknown, f"{path.name}: topics not in the knowledge base: {sorted(unknown)}"
    trained = training_texts()
    leaked = [q["text"] for q in questions if _norm(q["text"]) in trained]
    # A held-out failure says how many, never which: naming them would show the set to whoever reads it.
    shown = leaked if path not in GUIDANCE_HELDOUT_SETS else f"{len(leaked)} questions (not shown)"
    assert len(leaked) <= ALREADY_TRAINED.get(path.name, 0), f"{path.name}: in the training data: {shown}"


@pytest.mark.parametrize("path", [*GUIDANCE_DEV_SETS, *GUIDANCE_HELDOUT_SETS], ids=lambda p: p.name)
def test_no_evaluation_question_is_an_example_the_topic_classifier_learns_from(path):
    from bot.guidance.classifier import load_examples

    learned = {_norm(text) for text, _ in load_examples()}
    copied = len(_texts(path) & learned)   # a count: a failure shows no held-out question
    assert copied == 0, f"{path.name}: {copied} questions are also in the classifier's examples"


def _texts(path):
    return {_norm(q["text"]) for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]}


@pytest.mark.parametrize("held_out", GUIDANCE_HELDOUT_SETS, ids=lambda p: p.name)
def test_a_held_out_set_shares_no_question_with_another_set(held_out):
    held = _texts(held_out)
    for path in [*GUIDANCE_DEV_SETS, *GUIDANCE_HELDOUT_SETS]:
        if path != held_out:
            shared = len(held & _texts(path))   # a count, so a failure shows no held-out question
            assert shared == 0, f"{path.name} shares {shared} questions with {held_out.name}"


def test_the_evaluation_runs_the_route_each_rule_starts():
    """The guidance figures come from the bot's own routes, found through data/stories/rules.yml."""
    from bot import routes
    from bot.nlu_eval import route_for_intent

    mapped = route_for_intent()
    assert mapped["ask_definition"] == "define"
    assert mapped["ask_confidentiality"] == "confidentiality"
    assert mapped["nlu_fallback"] == "fallback"
    guidance_intents = ("ask_definition", "ask_confidentiality", "whistleblowing", "allegation_staff", "accident",
                        "check_question", "out_of_scope", "nlu_fallback")
    assert all(mapped[i] in routes.ROUTES for i in guidance_intents)


@pytest.mark.parametrize("route,text,topic", [
    ("define", "what is county lines", "county-lines"),
    ("confidentiality", "can i promise not to tell", "confidentiality"),
    ("accident", "he fell over in the playground", "accident-or-injury"),
    ("allegation", "my colleague shouted at a child", "colleague-concern"),
    ("check_question", "can i ask her did your dad hit you", "ted"),
    ("observed", "he always comes in hungry", None),
    ("danger", "there's a man with a knife", None),
])
def test_each_route_says_which_topic_it_answered(route, text, topic):
    from bot import routes

    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == topic


def test_the_guidance_summary_gives_figures_and_never_a_question(tmp_path):
    """--summary is how held-out sets are run: counts by what happened, and no question's words."""
    from bot.nlu_eval import GuidanceResult, guidance_report

    held = tmp_path / "guidance_heldout_x.yml"
    held.write_text("questions:\n" + "".join(f"  - text: question {i}\n    topic: lado\n" for i in range(7)),
                    encoding="utf-8")
    results = [GuidanceResult("question 0", "lado", "ask_definition", "lado", "lado", (), "lado", "lado"),
               GuidanceResult("question 1", "lado", "whistleblowing", "whistleblowing", None, (), "lado", None,
                              ("lado",)),
               GuidanceResult("question 2", "lado", "ask_definition", None, "lado", ("lado", "colleague-concern"),
                              "colleague-concern", None),
               GuidanceResult("question 3", "lado", "ask_contact", None, None, (), "lado", None),
               GuidanceResult("question 4", "lado", "concern_observed", None, "lado", (), "lado", "lado", ("lado",)),
               GuidanceResult("question 5", "lado", "allegation_staff", "colleague-concern", None, (), "lado", None,
                              ("lado",), "lado"),   # answered beside the colleague route's script
               GuidanceResult("question 6", "lado", "concern_observed", None, None, (), "lado", None,
                              ("lado",), "lado")]   # answered beside "I've noticed something"
    summary = guidance_report(results, path=held, show=False)
    assert "right topic:                        3/7 = 42.9% (2 of them answered beside a route's script, 1 of those " \
           "a report's; counting those as not answered: right 1, wrong 2)" in summary
    assert "WRONG topic (another topic answered): 1 (by intent: whistleblowing 1; words and classifier agreeing " \
           "on it: 0; the right topic one tap away: 1)" in summary
    assert 'offered a choice instead ("which do you mean?"): 1, with the right topic among them: 1' in summary
    assert "neither answered nor offered, by what happened instead: ask_contact 1, concern_observed 1; the right " \
           "topic one tap away: 1, another topic one tap away: 0" in summary
    assert "question " not in summary
    assert "question 1" in guidance_report(results, path=held, show=True)   # the development view names them


def test_the_evaluation_sees_a_topic_offered_beside_a_report():
    from bot import routes
    from bot.nlu_eval import one_tap

    said = routes.run("whistleblowing", routes.Context(
        org="grange-primary", channel="widget",
        text="our lead says we shouldnt refer this family, can i still make the referral myself"))
    assert said.topic == "whistleblowing" and one_tap(said) == ("referral-decision",)
    assert one_tap(None) == ()
