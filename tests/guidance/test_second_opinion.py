"""The topic classifier's second opinion: what it learns from, and how the bot uses it.

A topic is answered only when the words and the classifier agree on it; otherwise the worker is
offered a choice. The classifier alone never answers, and never takes an account away from a
report route.
"""
from __future__ import annotations

from collections import Counter

import pytest

from bot import routes
from bot.guidance import classifier, knowledge
from bot.guidance.classifier import Opinion


def _examples(tmp_path, body: str):
    path = tmp_path / "questions.yml"
    path.write_text(body, encoding="utf-8")
    return path


# ── the examples it learns from ─────────────────────────────────────────────

def test_malformed_examples_are_refused_with_the_file_named(tmp_path) -> None:
    path = _examples(tmp_path, "questions: [text: 'what is'\n")
    with pytest.raises(ValueError, match=r"questions\.yml: not valid YAML"):
        classifier.load_examples(path)


@pytest.mark.parametrize("body,complaint", [
    ("questions:\n  - text: what is it\n    topic: not-a-topic\n",
     r"questions\.yml: question 1 has topic 'not-a-topic', which is not in the knowledge base"),
    ("questions:\n  - topic: lado\n", r"questions\.yml: question 1 needs a `text` and a `topic`"),
    ("questions:\n  - text: who is the lado\n    topic: lado\n  - text: ''\n    topic: lado\n",
     r"questions\.yml: question 2 needs a `text` and a `topic`"),
    ("- a list with no questions key\n", r"questions\.yml: needs a `questions:` list"),
])
def test_a_bad_example_is_refused_naming_the_file_and_the_question(tmp_path, body: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        classifier.load_examples(_examples(tmp_path, body))


def test_every_topic_has_examples_of_its_own() -> None:
    counts = Counter(topic for _, topic in classifier.load_examples())
    assert set(counts) == set(knowledge.topics())
    assert min(counts.values()) >= 10, counts.most_common()[-3:]


@pytest.mark.parametrize("text,key", [
    # written for this test; none of them holds an alias or a cue of any topic
    ("is it ok to keep what a kid told me in my diary", "confidentiality"),
    ("somebody in the kitchen keeps texting a year 9 girl from his own phone", "personal-contact"),
])
def test_the_classifier_reads_questions_no_alias_names(text: str, key: str) -> None:
    assert not knowledge.by_words(text).answers
    opinion = classifier.opinion(text)
    assert opinion.top == key and opinion.sure


# ── agreeing, disagreeing, and being unsure ─────────────────────────────────

def _think(monkeypatch, *ranked: tuple[str, float]) -> None:
    monkeypatch.setattr(classifier, "opinion", lambda text: Opinion(ranked))


def test_the_words_answer_when_the_classifier_agrees() -> None:
    found = knowledge.match("what is county lines")
    assert found.topic is not None and found.topic.key == "county-lines"


def test_when_they_disagree_the_worker_is_offered_both(monkeypatch) -> None:
    _think(monkeypatch, ("cuckooing", 0.9), ("county-lines", 0.05))
    found = knowledge.match("what is county lines")
    assert found.topic is None and [t.key for t in found.choices] == ["county-lines", "cuckooing"]


def test_an_unsure_classifier_does_not_confirm_the_words(monkeypatch) -> None:
    _think(monkeypatch, ("county-lines", 0.3), ("cuckooing", 0.25))
    assert [t.key for t in knowledge.match("what is county lines").choices] == ["county-lines", "cuckooing"]
    _think(monkeypatch, ("county-lines", 0.3), ("cuckooing", 0.05))   # far ahead of its second: sure
    assert knowledge.match("what is county lines").topic.key == "county-lines"


def test_the_classifier_alone_never_answers() -> None:
    text = "is it ok to keep what a kid told me in my diary"
    assert knowledge.match(text).topic is None
    said = routes.run("define", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic is None and said.choices == ("confidentiality",)
    reply = said.replies[0]
    assert reply.text.startswith("Which do you mean?") and "999" in reply.text
    assert '/ask_definition{"guidance_topic":"confidentiality:brief"}' in [b.payload for b in reply.buttons]


def test_with_nothing_to_go_on_the_bot_says_so_and_gives_a_next_step() -> None:
    said = routes.run("define", routes.Context(org="grange-primary", text="what time is lunch", channel="widget"))
    assert said.topic is None and said.choices == ()
    assert "don't have a short answer" in said.replies[0].text and "999" in said.replies[0].text


@pytest.mark.parametrize("text", ["what time is lunch", "hello", "", "who won the football",
                                  "this printer is killing me"])
def test_text_about_nothing_is_offered_no_topic(text: str) -> None:
    assert knowledge.suggest(text) == () and not knowledge.match(text).answers


# ── routes with their own script ────────────────────────────────────────────

def test_a_sure_classifier_never_takes_an_account_from_a_report_route() -> None:
    account = "somebody in the kitchen keeps texting a year 9 girl from his own phone"
    assert classifier.opinion(account).sure and classifier.opinion(account).top != "colleague-concern"
    assert knowledge.give_way("colleague-concern", account, report=True) is None
    said = routes.run("allegation", routes.Context(org="grange-primary", text=account, channel="widget"))
    assert said.topic == "colleague-concern" and len(said.replies) == 3   # the script, who to call, write it down


def test_a_question_the_words_miss_is_offered_its_topic_from_a_script_route() -> None:
    """Sent to the whistleblowing route, a question about secrets is offered its topic and the route."""
    said = routes.run("whistleblowing", routes.Context(org="grange-primary", channel="widget",
                                                       text="is it ok to keep what a kid told me in my diary"))
    assert said.choices == ("confidentiality",)
    assert "/whistleblowing" in [b.payload for b in said.replies[0].buttons]


def test_a_route_keeps_a_question_the_classifier_is_sure_is_its_own(monkeypatch) -> None:
    _think(monkeypatch, ("whistleblowing", 0.8), ("record-retention", 0.1))
    assert knowledge.give_way("whistleblowing", "how long are records kept") is None
    _think(monkeypatch, ("record-retention", 0.8), ("whistleblowing", 0.1))
    assert knowledge.give_way("whistleblowing", "how long are records kept").topic.key == "record-retention"


ASKS = "a helper at our club asked a girl to keep their chats between them, is that ok?"   # the words find no topic


@pytest.mark.parametrize("ranked,beside", [
    ((("confidentiality", 0.6), ("photos", 0.05)), "confidentiality"),
    ((("confidentiality", 0.45), ("photos", 0.05)), None),     # not confident enough to add a message
    ((("grooming", 0.9), ("photos", 0.05)), None),             # a type of harm would be a diagnosis
])
def test_the_classifier_alone_adds_a_rule_beside_a_report_only_when_confident(monkeypatch, ranked, beside) -> None:
    _think(monkeypatch, *ranked)
    said = routes.run("allegation", routes.Context(org="grange-primary", channel="widget", text=ASKS))
    assert said.topic == "colleague-concern" and said.beside == beside
    assert len(said.replies) == (4 if beside else 3) and not _offered(said)


def test_a_report_route_keeps_its_script_and_answers_the_rule_asked_about_beside_it() -> None:
    """The script and who to call come first; the practice question is answered there too, with its source
    and without a second "tell the DSL" (the DSL is what the worker is reporting)."""
    said = routes.run("whistleblowing", routes.Context(
        org="grange-primary", channel="widget",
        text="our lead says we shouldnt refer this family, can i still make the referral myself"))
    assert said.topic == "whistleblowing" and said.beside == "referral-decision"
    script, contacts, answer, record = said.replies
    assert script.text == routes.script("whistleblowing").render("grange-primary")
    assert "0800 028 0285" in contacts.text                                  # the NSPCC whistleblowing line
    assert answer.text == knowledge.answer("referral-decision", "grange-primary").gist
    assert answer.text.startswith("Who decides on a referral: ") and "Source: " in answer.text
    assert "DSL (or a deputy)" not in answer.text
    assert [(b.title, b.payload) for b in answer.buttons] == [
        ("Tell me more", '/ask_definition{"guidance_topic":"referral-decision"}')]
    assert record.text == "Write down what you raised, with whom and when."


def test_no_type_of_harm_is_named_beside_an_account() -> None:
    """"Question about: Emotional abuse" next to a report about the coach would read as a diagnosis."""
    said = routes.run("allegation", routes.Context(org="grange-primary", channel="widget",
                                                   text="the coach shouted at a boy"))
    assert knowledge.match("the coach shouted at a boy").topic.kind == "harms"
    assert not [b for r in said.replies for b in r.buttons if b.title.startswith("Question about")]


def _offered(said) -> list[str]:
    return [b.title for r in said.replies for b in r.buttons if b.title.startswith("Question about")]


def test_a_worry_that_asks_about_a_harm_by_name_keeps_its_script_and_the_answer_is_one_tap_away() -> None:
    """Sent to "I've noticed something" with an account in it: write it down and tell the lead first, the
    question one tap away. (A message that is only a question is answered: test_report_accounts.py.)"""
    text = "she comes in starving every morning in the same clothes, does that count as neglect"
    said = routes.run("observed", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic is None and said.replies[0].text == routes.script("observed").render("grange-primary")
    assert _offered(said) == ["Question about: Neglect"] and said.beside is None


@pytest.mark.parametrize("text,key", [
    ("her mum is late again, can i drop her home in my car", "lifts-one-to-one"),
    ("found a box of old child protection files in the store cupboard, ok to shred them?", "record-retention"),
    ("a 16 year old from my group wants my personal number for emergencies, is that allowed?", "personal-contact"),
])
def test_a_worry_that_asks_about_a_rule_keeps_its_script_and_gets_the_rule_beside_it(text: str, key: str) -> None:
    """As on the report routes: a rule of conduct is no diagnosis, so it is answered there and then, after
    the worry's own script, with its source and "Tell me more"."""
    said = routes.run("observed", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic is None and said.replies[0].text == routes.script("observed").render("grange-primary")
    assert said.beside == key and not _offered(said)
    gist = knowledge.answer(key, "grange-primary").gist
    assert [r.text for r in said.replies[1:]] == [gist]
    assert [b.title for b in said.replies[1].buttons] == ["Tell me more"]


def test_a_question_sent_to_a_child_told_me_asks_first_whether_the_child_is_there() -> None:
    """Then the rule asked about, there and then: "don't raise it with the parents yourself" is what a
    worker about to ring mum needs before anything else. The yes/no buttons stay on the question."""
    said = routes.run("disclosure", routes.Context(org="grange-primary", channel="widget",
                                                   text="a lad told me something about his dad, do i ring his mum tonight"))
    assert said.replies[0].text == routes.script("disclosure").render("grange-primary")
    assert [b.title for b in said.replies[0].buttons] == ["Yes, I'm with them", "No, not now"]
    assert said.beside == "telling-parents"
    assert said.replies[1].text == knowledge.answer("telling-parents", "grange-primary").gist
    assert [b.title for b in said.replies[1].buttons] == ["Tell me more"]


def test_a_harm_asked_about_by_name_after_a_child_told_me_is_one_tap_away_not_answered() -> None:
    said = routes.run("disclosure", routes.Context(org="grange-primary", channel="widget",
                                                   text="she said her uncle makes her do things, is that sexual abuse?"))
    assert said.beside is None and len(said.replies) == 1
    assert [b.title for b in said.replies[0].buttons] == ["Yes, I'm with them", "No, not now",
                                                          "Question about: Sexual abuse"]


@pytest.mark.parametrize("route,text", [
    ("observed", "she is always home alone and not being fed, what do i do?"),
    ("observed", "a boy in my group is always hungry and his clothes are dirty, who do i tell"),
    ("allegation", "the leader keeps humiliating a girl in front of everyone, what do i do"),
])
def test_the_bot_names_no_type_of_harm_the_worker_did_not_ask_about(route: str, text: str) -> None:
    """A worry with a question in it, where both readers see a type of harm the worker never named."""
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert knowledge.match(text).topic is not None and knowledge.match(text).topic.kind == "harms"
    assert _offered(said) == []


def test_a_harm_asked_about_by_name_beside_a_report_is_one_tap_away() -> None:
    text = "the coach keeps screaming at one lad, is that emotional abuse"
    said = routes.run("allegation", routes.Context(org="grange-primary", channel="widget", text=text))
    assert said.topic == "colleague-concern" and _offered(said) == ["Question about: Emotional abuse"]


@pytest.mark.parametrize("route,text", [
    ("observed", "child flinches when i lift my arm"),
    ("disclosure", "she told me her mums boyfriend took photos of her in the bath"),
    ("disclosure", "she told me her mums boyfriend took photos of her in the bath, what do i do?"),
    ("observed", "she has been cutting herself. who do i tell?"),
    ("observed", "a boy in my group has been drawing pictures of people getting hurt"),
    ("allegation", "the coach gives one of the lads lifts home on his own"),
])
def test_an_account_that_asks_nothing_gets_no_question_button(route: str, text: str) -> None:
    """"Question about: Lifts" beside "child flinches when I lift my arm" answers nothing anyone asked."""
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert knowledge.match(text).topic is not None and _offered(said) == []


@pytest.mark.parametrize("text,asks", [
    ("the coach texts a girl on snapchat, is that allowed?", True),
    ("mum is late, can i drop him home", True),
    ("kid always hungry, is that neglect", True),
    ("a leader hit a child, what now?", False),            # what to do next is the route's own script
    ("she told me something awful. what should i do?", False),
    ("a boy fell over. who do i tell about it?", False),
    ("the coach gives one boy lifts home", False),
])
def test_what_do_i_do_is_not_a_question_about_another_topic(text: str, asks: bool) -> None:
    assert knowledge.asks_something(text) is asks
