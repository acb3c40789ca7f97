"""Cues find a practice question by what it mentions, and routes give a question away only when it is one.

A worker who reports what a colleague did must get the allegations route, whatever words
they use; a worker who asks a general question must get the answer to that question, not the
script of whichever route the classifier picked.
"""
from __future__ import annotations

import re

import pytest

from bot import routes
from bot.guidance import knowledge
from bot.guidance.knowledge import Topic, _cues, asks_in_general, by_words, give_way
from bot.nlu_eval import training_examples


def words_topic(question: str) -> Topic | None:
    """The words matcher alone: what cues and aliases find, before the classifier has its say."""
    return by_words(question).topic


# ── cues ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("question,key", [
    # order-free: the groups may come in any order, with other words between them
    ("how long do we hang on to the forms once a child has left", "record-retention"),
    ("the forms about a child who left years back: do they get binned at some point", "record-retention"),
    # a cue outweighs a single word of another topic
    ("does data protection mean we have to delete safeguarding files after a while", "record-retention"),
    ("is there a whistleblowing policy i should read", "org-policies"),
    ("can a member of staff date a 17 year old who comes to our club", "position-of-trust"),
    ("do i need to get permission from the parents before we film the nativity", "photos"),
    ("can i pass on what he told me to the school nurse without the parents agreeing", "consent-sharing"),
    ("should the mum be told every time we log a worry", "telling-parents"),
    ("can i accept a friend request from one of the girls in my netball team", "personal-contact"),
    ("a mum is running late, can i drive her daughter home", "lifts-one-to-one"),
    ("when would the lado get involved", "lado"),
    ("if i disagree with the leads decision not to refer, can i go to social care myself", "referral-decision"),
    ("do i need her say so before i pass it to social care", "consent-sharing"),
    # FGM in everyday words: cut, or "done", with the duty or the tradition around it
    ("do teachers have to tell the police themselves if a girl has been cut?", "fgm"),
    ("her cousin got cut at a special party last summer, what do i do", "fgm"),
    ("she was cut when she was little before they came to the uk, do i have to report it?", "fgm"),
    ("what's female cutting", "fgm"),
    # everyday words for harms the policies name
    ("is it exploitation if he's paid to shoplift", "criminal-exploitation"),
    ("what's it called when a gang moves into an old man's flat and deals from it", "cuckooing"),
    ("at what age can you legally get married in the uk now", "forced-marriage"),
    ("how do i help parents keep their kids safe online", "online-abuse"),
    ("a girl in our supported lodgings hasnt come back since friday, what do we do", "missing-home"),
    ("the family say they're home schooling him now but nobody has seen him, is that a worry", "missing-education"),
    ("can i give a lad my personal number so he can text me if he's struggling", "personal-contact"),
    # the lead: when they are away, and who must have one
    ("the dsl is on holiday and the deputy is off sick, who takes over", "dsl"),
    ("does a tiny village football club need a safeguarding lead", "dsl"),
    ("we're all volunteers, can one of us be our safeguarding lead", "dsl"),
    ("at what point does the council officer who deals with allegations need to know", "lado"),
    ("the dsl wants to wait. i think it should go to social care now, whose call is it", "referral-decision"),
    ("whats the NRM and who refers a child into it", "trafficking"),
    ("what are the four categories of abuse again?", "abuse"),
    ("a lad told his classmate to go back to his own country, how do we record it", "hate-incident"),
    ("he keeps telling her she's more mature than girls her age and sends her gift cards", "grooming"),
    ("a year 10 told me he carries a blade to get home safely", "serious-violence"),
    ("what's the threshold for social care rather than early help", "referral-decision"),
    ("her parents have arranged for her to marry her cousin this summer", "forced-marriage"),
    ("a girl says she's going abroad for a special party to become a woman", "fgm"),
    ("how much should i push for details when a child starts telling me something", "ted"),
    ("a boy made me pinky swear not to say anything, is that ok", "confidentiality"),
    ("how do i word my questions so i don't lead her", "ted"),
    ("he keeps drawing swastikas on his books, is that something to pass on", "radicalisation"),
    ("can anyone refer a child to social care or does it have to be the lead", "referral-decision"),
    ("can i report my employer anonymously", "whistleblowing"),
    ("two lads at the club were talking about going OT this weekend, what does that mean", "county-lines"),
    ("deaf boy at cubs can't hear us, how would he tell us if something was wrong", "send"),
    ("a girl fell off the slide at lunch, what paperwork do i fill in", "accident-or-injury"),
    ("is it ok to follow the girls from my netball team on tiktok", "personal-contact"),
    ("a teacher is rough with the kids, grabbing arms, who do i tell", "colleague-concern"),
    ("does the mandatory reporting duty apply to volunteers or just teachers?", "fgm"),
    ("if a teacher finds out a girl has been cut, do they report it to the police personally?", "fgm"),
    ("the head keeps sitting on concerns and never does anything, where can i go", "whistleblowing"),
    ("a 15 year old at our club gets given cash and vapes by men in return for sex, what is going on", "cse"),
    ("lads in year 9 keep grabbing girls bums and calling it banter, is that abuse", "child-on-child"),
    ("older boys held him down in the changing room, staff called it horseplay, where is the line", "child-on-child"),
    ("my line manager snaps the children on her iphone for the club facebook, allowed?", "photos"),
    ("is there a rule about when the family is told we've passed on a concern", "telling-parents"),
    ("a dad keeps inventing fits for his toddler and asking for more scans, is that a kind of abuse", "physical-abuse"),
    ("a 14yo didnt go back to her foster carers last night, do we report that", "missing-home"),
    ("mums ex boyfriend keeps turning up and screaming at her in front of the kids, does it count", "domestic-abuse"),
    ("we were told nothing goes to the school nurse until dad signs a form, is that the law", "consent-sharing"),
])
def test_a_cue_finds_the_question_by_what_it_mentions(question: str, key: str) -> None:
    found = words_topic(question)
    assert found is not None and found.key == key, (question, by_words(question))


@pytest.mark.parametrize("question", ["a boy has been cut by a broken bottle, do we call the police ourselves?",
                                      "the boy was cut when he fell on the glass, do i tell mum"])
def test_a_cut_without_the_duty_or_the_tradition_is_not_fgm(question: str) -> None:
    found = words_topic(question)
    assert found is None or found.key != "fgm"


@pytest.mark.parametrize("question,key", [
    ("how do abusers win over the parents as well as the child?", "non-recent-abuse"),   # "as … the child"
    ("i told the dsl and now do i need to be the one who tells mum?", "dsl"),           # needing, not a DSL
    ("can i share a screenshot of the chat with the dsl", "photos"),                       # evidence, not a photo
    ("is constantly ignoring a child so they feel invisible a kind of abuse", "whistleblowing"),   # not a concern
    ("the boys were messing about at break and one pulled a muscle, form needed?", "child-on-child"),   # a strain
])
def test_words_near_a_topics_own_are_not_it(question: str, key: str) -> None:
    found = words_topic(question)
    assert found is None or found.key != key


def test_each_group_of_a_cue_needs_words_of_its_own() -> None:
    # "video" can't be both the act of filming and the thing filmed
    filming = ((("video",),), (("video",), ("children",)))   # "kids" is read as "children"
    assert knowledge._cue_score(knowledge._terms("a video"), filming) is None
    assert knowledge._cue_score(knowledge._terms("video the kids"), filming) is not None


def test_a_doubled_letter_before_an_ending_is_the_same_word() -> None:
    assert knowledge._stem("referring") == knowledge._stem("referred") == "refer"
    assert knowledge._stem("dropping") == "drop" and knowledge._stem("kissed") == "kiss"
    found = words_topic("who makes the call on referring, me or the lead")
    assert found is not None and found.key == "referral-decision"


def test_cue_words_forgive_no_typos() -> None:
    # "shred" is not "shared": a question about destroying notes is not about sharing them
    found = words_topic("when can we shred old safeguarding notes")
    assert found is not None and found.key == "record-retention"


def test_being_asked_about_by_name_counts() -> None:
    """"Is X classed as Y?" asks about Y, even when X uses another topic's words."""
    found = words_topic("if a dad keeps calling his son worthless, is that classed as emotional abuse")
    assert found is not None and found.key == "emotional-abuse"


def test_a_named_harm_wins_over_everyday_words_with_the_same_evidence() -> None:
    found = words_topic("a lad filmed up a girls skirt on his phone")
    assert found is not None and found.key == "upskirting"


@pytest.mark.parametrize("cue,complaint", [
    ("how long", "two or more word groups"),
    ("how long + ", "two or more word groups"),
    ("how long | + records", "two or more word groups"),
    ("can i + records", "only of framing words"),
    ("what | keep + records", "only of framing words"),
])
def test_a_bad_cue_is_refused_with_the_topic_named(cue: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)) as caught:
        _cues([cue], "practice.yml: topic 'record-retention'")
    assert "practice.yml: topic 'record-retention'" in str(caught.value)


def test_the_knowledge_files_load_with_cues() -> None:
    with_cues = [t.key for t in knowledge.topics().values() if t.cues]
    practice = [t.key for t in knowledge.topics().values() if t.kind == "practice"]
    assert set(practice) <= set(with_cues), set(practice) - set(with_cues)


# ── a question in general, or an account of what happened ───────────────────

@pytest.mark.parametrize("text", [
    "can volunteers drive kids to matches?",
    "is it ok to be alone with a pupil for reading",
    "how long are forms kept",
    "youth worker here. can i add young people on instagram",
    "sorry, is it alright to text a teenager",
    "if a teacher started seeing a 17 year old would that be illegal",
    "what happens to records when a child leaves",
    "quick one - should carers always be told when we raise a worry",
])
def test_general_questions_are_recognised(text: str) -> None:
    assert asks_in_general(text)


@pytest.mark.parametrize("text", [
    "the coach drives one boy home every week on his own",
    "my colleague keeps messaging a girl from the club, is that ok?",
    "one of our volunteers filmed the kids in the changing room, what do i do",
    "mr price took a photo of a pupil on his own phone",
    "she fell off the bench and hit her head, do i ring mum",
    "management told me not to bother the lado",
    "the coach slapped a boy, what do i do?",
    "a leader hit a child, what now?",
    "",
])
def test_accounts_of_what_happened_are_not_general_questions(text: str) -> None:
    assert not asks_in_general(text)


# ── report routes keep accounts; question routes give way ──────────────────

ROUTE_TOPICS = {"allegation": "colleague-concern", "accident": "accident-or-injury", "whistleblowing": "whistleblowing"}
ACCOUNTS = [
    # accounts that use another topic's words, but name an adult at work, an injury or the organisation
    ("allegation", "what should i do if a volunteer keeps offering one boy lifts home"),
    ("allegation", "a dad who helps at cubs keeps taking photos of the boys on his phone"),
    ("accident", "she fell and hit her head, should i take a photo for the accident form"),
    ("whistleblowing", "i'm being pressured to keep quiet about a concern"),
    ("allegation", "the coach drives one boy home every week on his own"),
    ("allegation", "a leader hit a child, what now?"),
    ("allegation", "the coach slapped a boy, what do i do?"),
    ("allegation", "my colleague keeps messaging a girl from the club on snapchat, is that ok?"),
    ("allegation", "one of our volunteers filmed the kids getting changed"),
    ("allegation", "a teacher at our school is going out with a sixth former who is 17"),
    ("allegation", "mr price took photos of a pupil on his own phone and asked her to keep it secret"),
    ("accident", "she fell off the bench and hit her head, do i ring mum"),
    ("accident", "he trapped his fingers in the door at break"),
    ("whistleblowing", "management told me to delete my notes about the concern"),
    ("whistleblowing", "my manager said we deal with things in house and not to ring the lado"),
    ("whistleblowing", "the school didnt do anything when i told them about the bruises"),
    ("whistleblowing", "the club did nothing about it and the coach is still there"),
]


@pytest.mark.parametrize("route,text", ACCOUNTS)
def test_an_account_keeps_its_route_whatever_words_it_uses(route: str, text: str) -> None:
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == ROUTE_TOPICS[route], (text, said.topic)


REPORT_INTENTS = {"allegation_staff": "colleague-concern", "accident": "accident-or-injury",
                  "whistleblowing": "whistleblowing"}


def test_no_training_example_of_a_report_route_is_given_away() -> None:
    """Every labelled allegation, accident and whistleblowing message keeps its route."""
    examples = [(intent, text) for intent, text in training_examples() if intent in REPORT_INTENTS]
    assert len(examples) > 300
    given = [(intent, text) for intent, text in examples if give_way(REPORT_INTENTS[intent], text, report=True)]
    assert not given, given


@pytest.mark.parametrize("route,text,key", [
    # accounts with nothing of the route's own in them: the classifier was wrong
    ("accident", "two year 10s swapped nudes over the weekend, is that against the law", "sexting"),
    ("accident", "the local paper wants to photograph the team at the final, anything to check", "photos"),
    ("allegation", "retention period for concern forms at a scout group?", "record-retention"),
    ("allegation", "if a member of staff got together with a 17 year old would that be against the law", "position-of-trust"),
    ("allegation", "how long is a file kept after an allegation against a staff member", "record-retention"),
    ("accident", "do accident forms get shredded when a child leaves", "record-retention"),
    ("whistleblowing", "how long do we hang on to concern forms", "record-retention"),
    ("whistleblowing", "what if an adult tells me about abuse from decades ago", "non-recent-abuse"),
    # "school" and "club" are where the worker is, not a sign the organisation mishandled anything
    ("whistleblowing", "girl at our club has been off school for months and isnt registered anywhere, is that a "
                       "safeguarding issue", "missing-education"),
    ("confidentiality", "do i need the parents' agreement before i share this with the school nurse", "consent-sharing"),
])
def test_a_general_question_sent_to_a_script_route_gets_its_own_answer(route: str, text: str, key: str) -> None:
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert said.topic == key, (text, said.topic)
    assert "Source:" in said.replies[0].text


def test_a_route_offers_a_choice_when_the_two_readers_disagree() -> None:
    """The words find lifts (volunteers, take, cars), the classifier half-thinks "take" means photos:
    the worker picks, with the route itself one tap away, and hears neither script nor guess."""
    said = routes.run("allegation", routes.Context(org="grange-primary", channel="widget",
                                                   text="can volunteers take children to away matches in their own cars"))
    assert said.topic is None and "lifts-one-to-one" in said.choices
    payloads = [b.payload for b in said.replies[0].buttons]
    assert "/allegation_staff" in payloads and "999" in said.replies[0].text
    assert len(said.replies) == 1   # no allegation script, no contacts list


@pytest.mark.parametrize("route,payload", [("allegation", "/allegation_staff"), ("accident", "/accident"),
                                           ("whistleblowing", "/whistleblowing")])
def test_a_general_question_with_nothing_of_the_route_in_it_is_offered_what_the_classifier_leans_to(
        route: str, payload: str) -> None:
    """The words find nothing and the classifier is only fairly sure: the route's script answers none
    of it, so the worker picks, with the route one tap back."""
    said = routes.run(route, routes.Context(org="grange-primary", channel="widget",
                                            text="where does a kid's safeguarding file go when they move on to another club?"))
    assert said.topic is None and "record-retention" in said.choices
    assert payload in [b.payload for b in said.replies[0].buttons] and len(said.replies) == 1


def test_a_bare_job_title_never_takes_a_question_over() -> None:
    assert give_way("confidentiality", "can my manager read this") is None
    said = routes.run("confidentiality", routes.Context(org="grange-primary", text="can my manager read this"))
    assert said.topic == "confidentiality"


def test_a_fuller_name_is_not_lost_to_the_broad_one_inside_it() -> None:
    """"be our safeguarding lead" asks who can be the lead; the bare "safeguarding lead" inside it, a broad
    alias, counts only as a good part of a question. In a long question the fuller name still answers."""
    question = "our church group is tiny and everyone helps out for free, could one of us be our safeguarding lead"
    assert words_topic(question) is not None and words_topic(question).key == "dsl"


def test_a_secret_stays_a_question_about_secrets() -> None:
    assert give_way("confidentiality", "a girl asked me not to tell her mum") is None
    assert give_way("confidentiality", "can i say i wont pass it on") is None
    assert give_way("confidentiality", "can i talk about it with my colleagues") is None


@pytest.mark.parametrize("route,text,payload", [
    ("allegation", "can volunteers take children to away matches in their own cars", "/allegation_staff"),
    ("accident", "do accident forms get shredded when a child leaves", "/accident"),
    ("whistleblowing", "how long do we hang on to concern forms", "/whistleblowing"),
])
def test_a_route_that_gives_a_question_away_offers_itself_in_one_tap(route: str, text: str, payload: str) -> None:
    """If the classifier was right after all and it was a report, the worker is one tap from that route."""
    said = routes.run(route, routes.Context(org="grange-primary", text=text, channel="widget"))
    assert payload in [b.payload for b in said.replies[0].buttons]


@pytest.mark.parametrize("text,question", [
    ("swimming coach here - can i give a lad a lift", "can i give a lad a lift"),
    ("holiday club helper, how long are forms kept", "how long are forms kept"),
    ("youth worker here can i add them on insta", "can i add them on insta"),
    # not who is asking: someone named, a question, or the subject itself
    ("my colleague - he keeps texting a pupil", "my colleague - he keeps texting a pupil"),
    ("Mr Price - he took photos", "Mr Price - he took photos"),
    ("what does cuckooing mean, a housing officer said it", "what does cuckooing mean, a housing officer said it"),
    ("tell explain describe, what is that", "tell explain describe, what is that"),
])
def test_an_opening_that_only_says_who_is_asking_is_not_part_of_the_question(text: str, question: str) -> None:
    assert knowledge._question(text) == question


def test_the_askers_own_role_does_not_make_it_about_a_colleague() -> None:
    found = words_topic("football coach here - if a lad asks me to keep something secret, can i?")
    assert found is not None and found.key == "confidentiality"


def test_regional_words_are_read_as_the_everyday_ones() -> None:
    found = words_topic("are bairns who see their mam getting hit victims as well")
    assert found is not None and found.key == "domestic-abuse"


def test_is_it_x_asks_about_x() -> None:
    found = words_topic("is it honour based abuse if an aunt talks to the family about a girl's reputation")
    assert found is not None and found.key == "honour-based-abuse"


def test_a_question_about_the_lead_sent_to_the_head_route_gets_the_lead_answer() -> None:
    said = routes.run("allegation_head", routes.Context(org="grange-primary", text="is the dsl the same person as the head"))
    assert said.topic == "dsl"
    assert "/allegation_about_head" in [b.payload for b in said.replies[0].buttons]
    kept = routes.run("allegation_head", routes.Context(org="grange-primary", text="the head shouted at a pupil"))
    assert kept.topic == "colleague-concern"
