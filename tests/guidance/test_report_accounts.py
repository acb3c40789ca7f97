"""Accounts written blind keep their report route: a worry about a colleague, an accident, or the
organisation's handling of concerns is never answered with a definition instead of the route's script
and contacts. The signal words were mended on this set, which is why it is tested here."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import routes
from bot.guidance import knowledge
from bot.guidance.knowledge import asks_something
from bot.nlu_eval import training_examples

ACCOUNTS = yaml.safe_load((Path(__file__).parent / "report_accounts.yml").read_text(encoding="utf-8"))["messages"]
ROUTE = {"allegation": ("allegation", "colleague-concern", "/allegation_staff"),
         "accident": ("accident", "accident-or-injury", "/accident"),
         "whistleblowing": ("whistleblowing", "whistleblowing", "/whistleblowing")}
# Accounts that end in a question of their own ("...should I do it myself?") may be answered as that
# question, with the route one tap away; this many of them are now. The number may fall, never rise.
GIVEN_WAY_AT_MOST = 4


def _run(account: dict) -> routes.Outcome:
    route = ROUTE[account["kind"]][0]
    return routes.run(route, routes.Context(org="grange-primary", text=account["text"], channel="widget"))


def test_the_set_is_what_its_header_says() -> None:
    kinds = [a["kind"] for a in ACCOUNTS]
    assert (kinds.count("whistleblowing"), kinds.count("allegation"), kinds.count("accident")) == (70, 70, 40)


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if not asks_something(a["text"])],
                         ids=lambda a: a["text"][:40])
def test_an_account_that_asks_nothing_keeps_its_route(account: dict) -> None:
    assert _run(account).topic == ROUTE[account["kind"]][1]


def test_accounts_that_ask_something_mostly_keep_their_route_and_never_lose_it() -> None:
    given = [a for a in ACCOUNTS if _run(a).topic != ROUTE[a["kind"]][1]]
    assert len(given) <= GIVEN_WAY_AT_MOST, [a["text"] for a in given]
    for account in given:
        said = _run(account)
        payloads = [b.payload for r in said.replies for b in r.buttons]
        assert asks_something(account["text"])
        assert ROUTE[account["kind"]][2] in payloads and "999" in said.replies[0].text   # one tap back to it



@pytest.mark.parametrize("text", [
    # written blind as worries about a colleague; the intent model sends them to "I've noticed something"
    "the football club coach swears at the under 9s and called one boy fat and useless in front of everyone",
    "boxing coach is training a 15 yr old lad alone at 10pm at the gym, nobody else there",
    "a colleague has been vaping with the year 10s behind the sports hall and sharing his vape with them",
    "a tutor at our centre keeps showing the 12 yr olds videos on his phone and they hide it when i walk in",
    "the choir master asks the boys to stay for one to ones after practice and one lad now refuses to go at all. "
    "am i overthinking?",
    # job words the signals lacked until the labelled reports showed them
    "the head of year gives the same girl a lift home every night on his own",
    "one of the cooks makes a particular girl come to the kitchen alone",
    "a student on placement took a girl's phone number and has been messaging her",
    "the referee at saturday league swore at a 12 year old and grabbed his shirt",
    "a trainee at nursery keeps taking the same little boy into the sensory room on his own",
])
def test_a_worry_about_a_colleague_sent_to_ive_noticed_something_is_one_tap_from_its_route(text: str) -> None:
    """"I've noticed something" says to tell the lead; at Grange Primary a worry about staff goes to the
    Headteacher, so the colleague route, with its own people to ring, is offered."""
    said = routes.run("observed", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.replies[-1].text == routes.COLLEAGUE_TOO
    assert [b.payload for b in said.replies[-1].buttons] == ["/allegation_staff"]


def test_nearly_every_account_about_a_colleague_names_one() -> None:
    named = sum(knowledge.names_a_colleague(a["text"]) for a in ACCOUNTS if a["kind"] == "allegation")
    assert named >= 69   # of 70; "the holiday club lead" is the one: "lead" alone is too often the worker's own
    # (the signal list gained the jobs this set named that it lacked: keyworker, lifeguard, organist…)


@pytest.mark.parametrize("text, named", [
    ("I'm a volunteer coach, not a teacher, so I don't know what to do about his bruises", False),
    ("I'm only a dinner lady so not sure who to ask about the girl at the gate", False),
    ("it's not a teacher, it's the caretaker who hugs the girls", True),
    ("Nursery practitioner. A baby has a bruise on his cheek and mum says he fell", False),
    ("swimming coach - he's been texting a girl", True),
    ("teenager i mentor texted me that her stepmum calls her fat", False),
    ("im a volunteer and a girl said her dad hits her", False),
    ("as a youth worker i see him most weeks and he's always starving", False),
    ("I'm a TA, a boy in my class told me his teacher hit him", True),
    ("im a bit worried coach is texting a girl", True),
    ("I'm a volunteer, the caretaker hugs the girls", True),
])
def test_the_workers_own_role_is_not_a_colleague(text: str, named: bool) -> None:
    assert knowledge.names_a_colleague(text) is named


@pytest.mark.parametrize("text", ["she comes in hungry every day and her shoes have holes in",
                                  "kid at holiday club always has head lice and smells of smoke",
                                  "different adults keep collecting him and we dont know who they are",
                                  "mum never cooks, he says he has cereal for tea most nights",   # a verb, not a cook
                                  "he's been moved to a new foster placement and seems very withdrawn"])
def test_a_worry_that_names_no_colleague_gets_the_script_alone(text: str) -> None:
    said = routes.run("observed", routes.Context(org="grange-primary", channel="widget", text=text))
    assert len(said.replies) == 1 and routes.COLLEAGUE_TOO not in said.replies[0].text


@pytest.mark.parametrize("text,key", [
    ("is it neglect if a kid always turns up hungry?", "neglect"),
    ("is a dad always calling his son thick and useless classed as emotional abuse", "emotional-abuse"),
])
def test_a_worry_that_is_only_a_question_is_answered_with_the_route_one_tap_back(text: str, key: str) -> None:
    """"I've noticed something" heard a question: its answer (what it is, then tell the lead, 999)
    instead of "write it down", and the worry's own route a tap away."""
    said = routes.run("observed", routes.Context(org="west-kent", channel="widget", text=text))
    assert said.topic == key
    text = said.replies[0].text
    assert "Child Protection Co-ordinator" in text and "999" in text and "Source:" in text
    assert "/concern_observed" in [b.payload for b in said.replies[0].buttons]


@pytest.mark.parametrize("text,key", [
    ("is leaving a 9 year old home alone after school neglect?", "neglect"),
    ("can i promise to keep it secret if a child asks me to?", "confidentiality"),
])
def test_a_question_sent_to_the_disclosure_route_is_answered_with_the_route_one_tap_back(text: str, key: str) -> None:
    """Nobody has told the worker anything: "are you with the child now?" would answer nothing they asked."""
    said = routes.run("disclosure", routes.Context(org="west-kent", channel="widget", text=text))
    assert said.topic == key
    first = said.replies[0]
    assert "Child Protection Co-ordinator" in first.text and "999" in first.text and "Source:" in first.text
    assert "/disclosure" in [b.payload for b in first.buttons]


@pytest.mark.parametrize("text", ["what do i do, a child just told me her dad hits her",
                                  "is it ok to ask her more? she says her uncle touches her"])
def test_a_disclosure_with_a_question_keeps_its_script(text: str) -> None:
    said = routes.run("disclosure", routes.Context(org="west-kent", channel="widget", text=text))
    assert [b.payload for b in said.replies[0].buttons][:2] == ["/affirm", "/deny"]


def test_a_question_about_a_colleague_is_answered_and_the_colleague_route_offered() -> None:
    said = routes.run("observed", routes.Context(org="grange-primary", channel="widget",
                                                 text="is it ok that the coach gives one boy lifts home on his own?"))
    assert said.topic == "lifts-one-to-one"
    assert said.replies[-1].text == routes.COLLEAGUE_TOO


@pytest.mark.parametrize("text", [
    "what do i do, a child just told me her dad hits her",       # someone's words: a disclosure
    "what do i do a girl just told me shes being groomed",
    "is this grooming? a man keeps messaging one of our girls",  # a question, then an account
    "how do i help a lad whos being made to sell drugs by older boys",   # a harm the worker didn't name
    "she comes in hungry every day and her shoes have holes in",
])
def test_a_worry_with_an_account_in_it_keeps_its_script(text: str) -> None:
    said = routes.run("observed", routes.Context(org="west-kent", channel="widget", text=text))
    assert said.topic is None and said.replies[0].buttons[0].payload == "/start_concern"


def test_no_training_example_of_a_worry_or_a_disclosure_is_answered_as_a_question() -> None:
    examples = [text for intent, text in training_examples() if intent in ("concern_observed", "disclosure")]
    assert len(examples) > 200
    assert not [text for text in examples if knowledge.asked_outright(text)]


# Blind accounts that also ask about a rule of conduct get its answer beside the script (a coach seeing
# a 17 year old: the position-of-trust rule). The number may fall, never rise: each is an extra message.
ANSWERED_BESIDE_AT_MOST = 5


@pytest.mark.parametrize("text,key", [
    ("our swimming coach drives one girl home alone after every session, is that allowed?", "lifts-one-to-one"),
    ("the coach is seeing a 17 year old from the squad, is he allowed?", "position-of-trust"),   # the classifier alone
])
def test_a_report_that_asks_about_a_rule_gets_the_rule_beside_its_script(text: str, key: str) -> None:
    said = routes.run("allegation", routes.Context(org="grange-primary", text=text, channel="widget"))
    script, contacts, answer, record = said.replies
    assert said.topic == "colleague-concern" and said.beside == key
    assert script.text == routes.script("allegation").render("grange-primary") and "999" in script.text
    assert "03330 139 797" in contacts.text                                 # Grange's LADO, before the rule
    assert answer.text == knowledge.answer(key, "grange-primary").gist and "Source: " in answer.text
    assert [b.title for b in answer.buttons] == ["Tell me more"]
    assert "Write it down now" in [b.title for b in record.buttons]


def test_blind_accounts_rarely_get_an_answer_beside_and_never_lose_their_route() -> None:
    beside = [(a, said) for a in ACCOUNTS if (said := _run(a)).beside]
    assert len(beside) <= ANSWERED_BESIDE_AT_MOST
    for account, said in beside:
        assert said.topic == ROUTE[account["kind"]][1] and knowledge.topics()[said.beside].kind == "practice"


@pytest.mark.parametrize("route,text,back", [
    ("accident", "a year 9 boy filmed up a girl's skirt on the bus, what do i do", "/accident"),
    ("allegation", "two lads filmed up a girl's skirt in the changing rooms on their phones", "/allegation_staff"),
    ("whistleblowing", "cyberbullying going on in our group chat between the older girls", "/whistleblowing"),
    # an injury, but the worker names a harm: no longer an accident to them, and not "tell the parent" first
    ("accident", "he's got a bruise the shape of a hand on his cheek, is that physical abuse?", "/accident"),
    ("accident", "she came back after the weekend with a burn on her arm and won't say how, could it be neglect",
     "/accident"),
    # no adult in it at all: not about someone at work, whatever the readers make of it
    ("allegation", "a lad in year 8 says two older boys cornered him in the toilets and took his phone, what happens now?",
     "/allegation_staff"),
    ("allegation", "girl at the youth club says her boyfriend, he's 14 too, keeps pressuring her for pictures",
     "/allegation_staff"),
    # someone at work shrugged it off, then the worry itself: about a child, not the organisation or them
    ("whistleblowing", "my manager says its just money being tight at home, but a boy in reception has had the "
                       "same split shoes for weeks and is always starving, am i overreacting?", "/whistleblowing"),
    ("allegation", "the class teacher thinks she's making it up but a year 2 girl keeps saying her stepdad's "
                   "'secret game' hurts, how worried should I be?", "/allegation_staff"),
    # the worker's own role names no one at work
    ("allegation", "im a lunchtime play leader. heard two year 9 girls say a boy took a photo up one of their "
                   "skirts in PE, what do i do", "/allegation_staff"),
    # a shrug in the middle, after an opening that is the worker's own role
    ("whistleblowing", "Nursery nurse. A 7 month old who can't crawl yet has bruises on his back and mum doesn't "
                       "know how. My room leader thinks it's nothing, but aren't bruises on babies a red flag?",
     "/whistleblowing"),
])
def test_a_worry_about_a_child_sent_to_a_report_route_gets_ive_noticed_something(route: str, text: str,
                                                                                  back: str) -> None:
    """No injury, no one at work, nothing of the route's own: the accident or LADO script would not
    fit, so the worker hears what to do about a worry (with 999), and the route is one tap back."""
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    first = said.replies[0]
    assert first.text == routes.script("observed").render("grange-primary") and "999" in first.text
    assert [b.payload for b in first.buttons][:2] == ["/start_concern", "/ask_contact"]
    assert back in [b.payload for b in first.buttons]
    assert said.topic is None


@pytest.mark.parametrize("route,text,topic", [
    ("allegation", "the coach filmed up a girl's skirt in the changing rooms on his phone", "colleague-concern"),
    ("accident", "a girl fell off the climbing frame and has cut her head, what do i do", "accident-or-injury"),
    ("whistleblowing", "the senco told us not to refer the girl who self harms, it would upset mum",
     "whistleblowing"),
    ("allegation", "the coach slapped a boy across the face at training, is that physical abuse?", "colleague-concern"),
    ("allegation", "some bloke who drives the minibus for us keeps messaging a year 9 girl", "colleague-concern"),
    ("accident", "he bumped his head on the goalpost, do i need to tell his mum?", "accident-or-injury"),
    # signals match as written or plural, so each form that counts is listed
    ("whistleblowing", "i reported the coach to the manager weeks ago and nothing has happened, what now?",
     "whistleblowing"),
    ("whistleblowing", "i think the school is covering up what the caretaker did", "whistleblowing"),
    ("whistleblowing", "the manager keeps threatening to sack me if i go to the lado", "whistleblowing"),
    ("accident", "she was falling off the wall and cut her lip, do i need to tell mum?", "accident-or-injury"),
    ("allegation", "the owner of the dance school makes the older girls stay behind on their own", "colleague-concern"),
    # a shrug, then the organisation or someone at work: still the route's own
    ("whistleblowing", "my manager said leave it but I'm not happy with how it was handled, who else can I tell?",
     "whistleblowing"),
    ("whistleblowing", "my manager says its nothing but the coach keeps driving a 13 year old home alone",
     "whistleblowing"),
    ("allegation", "the head says it's fine but the PE teacher keeps messaging a year 10 girl", "colleague-concern"),
    ("allegation", "my manager says its nothing but a man who helps at the club keeps driving a 13 year old home",
     "colleague-concern"),
    # a route the worker tapped, or carried on once the organisation is chosen, is not a message to read
    ("allegation", "", "colleague-concern"),
    ("allegation", "/allegation_staff", "colleague-concern"),
    ("allegation_head", "/allegation_about_head", "colleague-concern"),
    ("accident", "/accident", "accident-or-injury"),
    ("whistleblowing", "/whistleblowing", "whistleblowing"),
])
def test_a_report_of_the_routes_own_keeps_its_route(route: str, text: str, topic: str) -> None:
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == topic


def test_whoever_shrugged_a_worry_off_is_not_whom_it_is_about() -> None:
    """"My manager says it's nothing, but a boy in reception…": the manager is not the worry, so the
    colleague route is not offered beside "I've noticed something"."""
    text = ("our manager thinks it's attention seeking but a 13 year old showed me cuts on her thighs, "
            "how serious is it?")
    said = routes.run("whistleblowing", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.replies[0].text == routes.script("observed").render("grange-primary")
    assert all(reply.text != routes.COLLEAGUE_TOO for reply in said.replies)
    assert knowledge.names_a_colleague(text) is False
    assert knowledge.names_a_colleague("our manager thinks it's nothing but the coach hugs a 13 year old girl")


@pytest.mark.parametrize("text", [
    "my co-leader gave a 14 year old a vape on the residential and told him not to tell anyone, what do i do",
    "the minibus driver keeps letting a 12 year old sit up front on his lap",
    "a fellow volunteer shows the kids videos on his phone in a corner with his arm round them, should i report it",
])
def test_an_account_about_someone_at_work_sent_to_accidents_gets_the_colleague_route(text: str) -> None:
    """No fall, no injury, and it opens with someone at work: first aid and "tell the parent" answer
    nothing; whom to tell about a colleague does, with the accident route one tap back."""
    said = routes.run("accident", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == "colleague-concern" and said.set_slots["contact_topic"] == "allegation-staff"
    assert "Local Authority Designated Officer" in said.replies[1].text
    assert "/accident" in [b.payload for b in said.replies[-1].buttons]


@pytest.mark.parametrize("text", [
    "a boy swallowed loads of water at swimming and the lifeguard pulled him out, should i ring his mum?",
    "the coach says a girl tripped over a cone and hurt her wrist, do i fill in a form?",
])
def test_someone_at_work_in_an_accident_does_not_make_it_about_them(text: str) -> None:
    said = routes.run("accident", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic != "colleague-concern"


def test_the_askers_own_role_before_a_question_is_not_someone_at_work() -> None:
    """"Play scheme helper, if I'm worried… do I tell whoever collects them?" asks about telling
    parents: the colleague route (sent it by the intent model) offers that topic, one tap back."""
    text = "play scheme helper, if im a bit worried about a child do i mention it to whoever collects them?"
    said = routes.run("allegation", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic is None and said.choices == ("telling-parents",)
    assert "/allegation_staff" in [b.payload for b in said.replies[0].buttons]


def test_a_report_yet_to_be_made_is_not_a_concern_raised_and_ignored() -> None:
    """"Is it bad enough to report?" is not "I reported it": sent to whistleblowing ("if you've raised a
    concern and nothing is being done…"), the worker is asked which topic they mean, with the harm
    they asked about among them and whistleblowing one tap back."""
    text = "a mum told me her daughter has been self harming for months, is that bad enough to report to someone?"
    said = routes.run("whistleblowing", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic is None and "self-harm" in said.choices
    assert "/whistleblowing" in [b.payload for b in said.replies[0].buttons] and "999" in said.replies[0].text


@pytest.mark.parametrize("text,whistleblowing", [
    ("I've never had to ring the LADO before, how quickly do they need to know?", False),
    ("we've never had a concern like this before. a boy in our group has a bruise shaped like a hand, "
     "is that physical abuse?", False),
    ("our DSL never passed my concern on, is that allowed?", True),
    ("i reported it a month ago and the manager has never done anything, can i go elsewhere?", True),
    ("the head coach at our swim club keeps giving one girl lifts home on her own, is he allowed?", False),
    ("the head keeps giving one girl lifts home on her own and says it's fine, is he allowed?", True),
    ("a 13yo didnt go back to her placement on saturday and turned up at youth club like nothing happened. my "
     "manager says it's sorted now, is it?", False),
    ("a boy's stepdad keeps threatening his mum at pick up in front of the kids, does that count as a "
     "safeguarding thing?", False),
    ("I raised it with the chair and she threatened me with losing my place, is that allowed?", True),
])
def test_what_only_looks_like_a_failing_is_not_a_concern_ignored(text: str, whistleblowing: bool) -> None:
    """"I've never had to ring the LADO before" is the worker's inexperience, not someone failing to act; a
    head coach runs no organisation; a child back "like nothing happened", or a stepdad threatening a mum,
    is no concern ignored. Sent to whistleblowing, these are not its script. "The DSL never passed it on",
    "the head" and the worker threatened keep it."""
    said = routes.run("whistleblowing", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert (said.topic == "whistleblowing") is whistleblowing


@pytest.mark.parametrize("text,topic", [
    ("cuckooing?? heard it at a training day and was too embarrassed to ask", "cuckooing"),
    ("Really? the coach said that to her and then laughed it off", "colleague-concern"),
])
def test_a_topic_named_with_a_question_mark_first_is_asked_about(text: str, topic: str) -> None:
    """A term and a question mark, before the rest, asks what it is; "Really?" asks nothing."""
    route = "whistleblowing" if topic == "cuckooing" else "allegation"
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == topic


def test_a_question_after_an_account_without_a_stop_is_still_heard() -> None:
    """"our dsl is away can i just ring the mum myself" asks about telling parents, beside the script."""
    text = "our dsl is away this week can i just ring the mum myself and tell her"
    assert asks_something(text) and not asks_something("our dsl is away this week and the mum rang me")
    said = routes.run("whistleblowing", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == "whistleblowing" and said.beside == "telling-parents"


@pytest.mark.parametrize("route,text,topic", [
    ("whistleblowing", "A 16 year old at the club keeps messaging me. My manager says it's fine as she's over the "
                       "age of consent. Is it?", "position-of-trust"),
    ("whistleblowing", "a dad screamed at his daughter at drop off, my manager says we should phone mum later and "
                       "tell her. is that right?", "telling-parents"),
])
def test_someone_at_work_who_only_gave_a_view_is_not_what_the_account_is_about(route: str, text: str,
                                                                               topic: str) -> None:
    """"My manager says it's fine…, is it?" asks whether the view is right, about a child: the answer is
    the question's own, not the whistleblowing script with the answer beside it."""
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == topic and said.beside is None
    assert "/whistleblowing" in [b.payload for r in said.replies for b in r.buttons]   # the route, one tap back


@pytest.mark.parametrize("text", [
    "the deputy told me a boy in reception keeps coming in with no breakfast, should we be worried?",
    "A colleague at the holiday club mentioned a boy whose mum's boyfriend calls him worthless. Can words alone "
    "be abuse?",
])
def test_a_colleague_who_only_passed_a_worry_on_is_not_what_it_is_about(text: str) -> None:
    """Someone at work who told the worker about a child is not whom the worry is about: "I've noticed
    something" (with 999), the colleague route one tap back."""
    said = routes.run("allegation", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.replies[0].text == routes.script("observed").render("grange-primary")
    assert "/allegation_staff" in [b.payload for b in said.replies[0].buttons]


def test_a_view_past_which_the_readers_find_a_harm_offers_it() -> None:
    text = "year 8 lads keep snapping girls bra straps in form time. form tutor says it is just banter, is it?"
    said = routes.run("allegation", routes.Context(org="grange-primary", text=text, channel="widget"))
    assert "child-on-child" in (said.topic, *said.choices)   # answered when both readers agree, else offered


@pytest.mark.parametrize("route,text,topic", [
    # what they say of themselves is what the account is about
    ("allegation", "the youth leader says he lets the older boys sleep over at his flat after trips, is that ok?",
     "colleague-concern"),
    ("allegation", "one of the TAs thinks it's funny to call a year 4 boy fatso in front of the class. should i "
                   "say something?", "colleague-concern"),
    ("allegation", "the youth worker mentioned she's been messaging a 15yo on her personal snapchat, is that ok?",
     "colleague-concern"),
    # they passed on what someone else at work did
    ("allegation", "a colleague told me the new coach has been messaging a 13 year old girl on instagram, what do "
                   "i do?", "colleague-concern"),
    ("allegation", "my co-worker noticed the caretaker taking photos of the girls in the playground on his phone. "
                   "what now?", "colleague-concern"),
    # the view is the organisation's handling of a concern
    ("whistleblowing", "my manager says it's nothing and told me to leave it, who else can I tell?", "whistleblowing"),
    ("whistleblowing", "My manager overruled me and said the concern doesn't meet threshold. what can I do?",
     "whistleblowing"),
    ("whistleblowing", "the head saw the report about the year 4 boy and binned it. who else can I go to?",
     "whistleblowing"),
])
def test_a_view_that_is_the_report_keeps_its_route(route: str, text: str, topic: str) -> None:
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == topic


def test_taking_a_concern_higher_is_offered_as_whistleblowing() -> None:
    said = routes.run("define", routes.Context(org="grange-primary", text="how do i take this higher if nobody at "
                                                                           "the club listens", channel="widget"))
    assert "whistleblowing" in (said.topic, *said.choices)
