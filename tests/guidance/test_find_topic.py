"""Questions as workers type them reach the right topic by their words, and never a neighbouring one.

These test the words matcher on its own (`by_words`); test_second_opinion.py tests what the bot
answers once the classifier has had its say.
"""
from __future__ import annotations

import re

import pytest

from bot.guidance.knowledge import Topic, _terms, _words, by_words, give_way, match, topics

def words_topic(question: str) -> Topic | None:
    return by_words(question).topic


# At least five differently phrased questions per topic: lowercase, typos, no punctuation.
QUESTIONS: dict[str, list[str]] = {
    "abuse": ["what counts as abuse", "is this abuse", "what are the types of abuse", "what is child abuse",
              "wat counts as abuse really"],
    "physical-abuse": ["what is physical abuse", "her dad hits her is that physical abuse", "physicaly abused",
                       "is smacking allowed", "he said he gets beaten at home", "fabricated illness what is it"],
    "emotional-abuse": ["what is emotional abuse", "emotinal abuse signs", "is it emotional harm if they scream at him",
                        "mum is always humiliating him in front of us", "what counts as psychological abuse",
                        "is constant shouting and threats at home a kind of emotional abuse"],
    "sexual-abuse": ["what is sexual abuse", "i think shes been sexualy abused", "signs of sexual assault",
                     "he touched her inappropriately what do i do", "uncle showed her porn",
                     "what should i do if i think a child is being sexually abused"],
    "neglect": ["is this neglect?", "is this neglect", "what does neglect look like", "he always comes in smelly and hungry is he neglected",
                "kids left home alone every night", "neglet signs", "she is always hungry and no food at home"],
    "cse": ["what is cse", "child sexual exploitation signs", "is she being sexually exploited",
            "sexual exploitaton what is it", "what does CSE mean"],
    "criminal-exploitation": ["what is cce", "what is child criminal exploitation", "think hes in a gang",
                              "criminaly exploited meaning", "hes being made to sell drugs by older lads"],
    "county-lines": ["what is county lines?", "what is county lines", "county line meaning",
                     "hes a drug runner i think", "is he going country", "conty lines signs"],
    "cuckooing": ["what is cuckooing", "cuckooin", "cukooing what is it", "gang has taken over her flat",
                  "is this cuckooing", "cuckooed flat next door"],
    "grooming": ["what is grooming", "i think shes being groomed online", "signs of online grooming",
                 "groming", "is he grooming her"],
    "trafficking": ["what is trafficking", "child trafficking signs", "is this modern slavery",
                    "could she be trafficed", "kids working on a cannabis farm"],
    "domestic-abuse": ["what is domestic abuse", "domestic violence at home", "dad hits mum in front of the kids",
                       "is coercive control abuse", "parents fighting all the time is that dv",
                       "do kids count as victims of domestic abuse"],
    "fgm": ["what is fgm", "female genital mutilation signs", "she said she is getting cut in the holidays",
            "do i report fgm to police", "female circumcision is it legal"],
    "forced-marriage": ["what is forced marriage", "she's being forced to marry", "shes worried shes getting married off",
                        "forced marrige", "is child marriage legal in the uk"],
    "honour-based-abuse": ["what is honour based abuse", "honour based violence signs", "is this an honour crime",
                           "what is izzat", "whats hba"],
    "radicalisation": ["what is prevent", "whats prevent", "signs of radicalisation", "think hes being radicalised",
                       "how do i make a prevent referral", "extremist views in my group", "radicalization"],
    "child-on-child": ["what is child on child abuse", "peer on peer abuse", "peer-on-peer abuse what counts",
                       "is hazing abuse", "sexual harassment between pupils"],
    "sexting": ["what is sexting", "sextin", "she sent nudes to her boyfriend", "nude pics going round the group",
                "what do i do about sharing nudes"],
    "upskirting": ["what is upskirting", "up-skirting", "up skirting is it illegal", "upskirting",
                   "boy took a photo up her skirt", "upskirtng"],
    "bullying": ["what is bullying", "shes being bullied", "cyberbullying", "cyber bullying what do i do",
                 "they keep picking on him", "bulying"],
    "hate-incident": ["what is a hate incident", "hate crime", "racist abuse from other kids",
                      "someone made homophobic comments", "is this a hate crime",
                      "a boy was called names because of his religion, is that a hate incident"],
    "online-abuse": ["what is online abuse", "online safety", "e-safety", "is sextortion online abuse",
                     "talking to strangers online"],
    "missing-education": ["missing from education", "hes been missing school for weeks", "what is cme",
                          "lots of absences", "child not in school", "hasnt been attending school"],
    "missing-home": ["shes gone missing", "he ran away from home last night", "missing from home",
                     "she didnt come home last night", "keeps running away"],
    "serious-violence": ["serious violence signs", "he is carrying a knife", "knife crime",
                         "is carrying weapons a safeguarding issue", "he got stabbed"],
    "non-recent-abuse": ["a mum told me something about her own childhood, do I still report it?",
                         "historical abuse", "non-recent abuse", "adult told me they were abused as a child",
                         "abused years ago do i report", "historic abuse what do i do"],
    "self-harm": ["what does self-harm mean", "shes cutting herself", "signs a teenager is self harming",
                  "he says he has suicidal thoughts", "she said she wants to die", "selfharm",
                  "is self-injury a safeguarding issue", "she took an overdose last night"],
    "send": ["sen child safeguarding", "disabled children abuse risk", "special educational needs",
             "nonverbal child how do i know", "autistic boy", "learning disabilites and abuse"],
    "confidentiality": ["can I promise not to tell?", "can i promise not to tell", "she asked me to keep a secret",
                        "can i keep it confidential", "he told me in confidence", "asked me not to tell anyone"],
    "telling-parents": ["should i tell the parents", "do i tell her mum", "can i tell his dad",
                        "should parents know", "do i ring the parents"],
    "consent-sharing": ["do i need consent", "can i share information without consent", "gdpr",
                        "data protection", "information sharing rules"],
    "photos": ["can i take photos of the kids", "photo of children for our facebook", "taking pictures of them at the trip",
               "can i post on instagram a group photo", "photographs rules"],
    "personal-contact": ["can i text her from my personal phone", "can i give him my number",
                         "she sent me a friend request", "can i add her on snapchat", "whatsapp her about the session"],
    "lifts-one-to-one": ["can I give her a lift home?", "can i give her a lift home", "lifts home",
                         "can i drive him home", "one to one sessions", "alone with a child in a room"],
    "position-of-trust": ["position of trust", "relationship with a 17 year old", "shes 16 can we date",
                          "what is the age of consent for staff", "young person has a crush on me"],
    "accident-or-injury": ["she had an accident", "he has bruises", "is it an accident or not", "non-accidental injury",
                           "he fell over and grazed his knee", "the explanation doesnt fit the injury"],
    "colleague-concern": ["worried about a colleague", "allegation against a member of staff",
                          "a volunteer was inappropriate with a child", "concern about a teacher",
                          "it's about my manager"],
    "whistleblowing": ["whistleblowing", "how do i whistleblow", "nothing is being done about my concern",
                       "poor practice in my team", "whistle blowing helpline"],
    "referral-decision": ["who decides", "can i make a referral myself", "should i refer to social services",
                          "who makes the referral", "do i refer"],
    "record-retention": ["how long are records kept", "record retention", "how long do we keep concerns",
                         "can i delete records", "retention period"],
    "org-policies": ["what other policies do we have", "code of conduct", "where is the policy",
                     "related policies", "social media policy"],
    "lado": ["what is a lado", "whats the lado", "local authority designated officer", "what does lado stand for",
             "what is lado"],
    "dsl": ["what is a dsl", "what does dsl mean", "designated safeguarding lead meaning", "whats a dsl",
            "what does a safeguarding lead do"],
    "ted": ["what is ted", "tell explain describe", "leading questions", "what can i ask her",
            "open questions"],
}

# Near neighbours: questions that mention one topic's words but are about another.
NEIGHBOURS: list[tuple[str, str]] = [
    ("is cuckooing part of county lines", "county-lines"),
    ("is texting a young person on my own phone ok", "personal-contact"),
    ("she slipped and bruised her arm", "accident-or-injury"),
    ("being bullied on snapchat", "bullying"),
    ("radicalised on social media", "radicalisation"),
    ("how do i prevent bullying", "bullying"),
    ("she was sexually exploited online", "cse"),
    ("disability hate crime", "hate-incident"),
    ("emotinal abuse", "emotional-abuse"),
    ("criminal exploitation not sexual", "criminal-exploitation"),
    ("a 16 year old is being groomed", "grooming"),
    ("nude photos of her going round", "sexting"),
    ("promise i wont tell her mum", "confidentiality"),
    ("has she gone missing in the past", "missing-home"),
    ("lado for a colleague", "colleague-concern"),
    ("forced marriage and honour", "forced-marriage"),
    # words near self-harm that are about something else
    ("she cut her knee when she fell over", "accident-or-injury"),
    ("is she getting cut in the holidays", "fgm"),
    ("honour based abuse and self harm", "honour-based-abuse"),
    ("he got stabbed and nearly killed", "serious-violence"),
    ("what counts as abuse online", "online-abuse"),     # the umbrella's longer wording doesn't win
    ("online grooming", "grooming"),
    ("cyberbullying online", "bullying"),
]

# Questions about nothing in the knowledge base.
NOTHING = [
    "what time is lunch", "how do i reset my password", "can i bring my dog", "whats the wifi",
    "where is the fire exit", "how do i book annual leave", "hello", "",
    "the texting app isnt working", "my car broke down", "who won the football", "can i park here",
    "the photocopier is jammed", "bearing in mind the weather",
]


def _cases() -> list[tuple[str, str]]:
    return [(key, q) for key, qs in QUESTIONS.items() for q in qs]


@pytest.mark.parametrize("key,question", _cases())
def test_question_reaches_its_topic(key: str, question: str) -> None:
    found = words_topic(question)
    assert found is not None and found.key == key, (question, found and found.key)


@pytest.mark.parametrize("key", sorted(topics()))
def test_every_topic_has_five_phrasings(key: str) -> None:
    assert len(set(QUESTIONS.get(key, []))) >= 5, key


@pytest.mark.parametrize("question,key", NEIGHBOURS)
def test_neighbouring_topics_are_not_confused(question: str, key: str) -> None:
    found = words_topic(question)
    assert found is not None and found.key == key, (question, found and found.key)


@pytest.mark.parametrize("question", NOTHING)
def test_questions_about_nothing_get_none(question: str) -> None:
    assert words_topic(question) is None


def test_every_question_in_a_topic_table_answers_only_that_topic() -> None:
    """The whole table at once: a question listed for one topic never answers with another."""
    wrong = [(q, key, t.key) for key, qs in QUESTIONS.items() for q in qs
             if (t := words_topic(q)) is not None and t.key != key]
    assert not wrong


def test_aliases_are_not_shared_between_topics() -> None:
    seen: dict[str, str] = {}
    for t in topics().values():
        for alias in t.aliases:
            norm = " ".join(_terms(alias))   # as the matcher sees it: "send kids" is "send children"
            assert seen.setdefault(norm, t.key) == t.key, (alias, seen[norm], t.key)


def test_a_tie_between_two_topics_is_not_a_guess() -> None:
    # "lifts" and "photo" are equally long single words from different topics.
    assert words_topic("lifts photo") is None


def test_matching_is_whole_words_only() -> None:
    assert words_topic("the neglectometer") is None
    assert words_topic("prevention of accidents at the pool") is not None   # accidents, not Prevent
    assert words_topic("prevention of accidents at the pool").key == "accident-or-injury"


@pytest.mark.parametrize("question", ["sextin", "cuckooin", "county line", "upskirting", "up-skirting", "up skirting"])
def test_light_typos_and_spellings_from_the_issue(question: str) -> None:
    assert words_topic(question) is not None


def test_substituted_letters_are_not_forgiven() -> None:
    """A changed letter often makes a different real word, so it is not treated as a typo."""
    assert words_topic("texting") is None        # not sexting
    assert words_topic("she slipped") is None    # not slapped
    assert re.fullmatch(r"[a-z0-9 ]*", " ".join(_words("What's up-skirting?!"))) is not None


# Hurting, cutting or killing words that are not about self-harm must not answer it.
NOT_SELF_HARM = ["she hurt herself in pe", "low self esteem", "he cut himself on the scissors",
                 "dad threatened to kill her", "he harmed his sister", "the film was about a killer"]


@pytest.mark.parametrize("question", NOT_SELF_HARM)
def test_near_self_harm_words_do_not_answer_self_harm(question: str) -> None:
    found = words_topic(question)
    assert found is None or found.key != "self-harm", question


def test_the_umbrella_topic_answers_only_when_it_is_the_subject() -> None:
    """"Abuse" is in many questions about other things: it answers only when it is most of the question."""
    assert topics()["abuse"].broad
    assert words_topic("is it abuse").key == "abuse"
    assert words_topic("what counts as abuse").key == "abuse"
    assert words_topic("the abuse she mentioned was by a neighbour at a holiday camp in wales") is None
    assert words_topic("do disabled kids get abused more").key == "send"


def test_articles_and_phone_spellings_do_not_change_the_answer() -> None:
    assert words_topic("do i make a referral").key == words_topic("do i make the referral").key == "referral-decision"
    assert words_topic("what is the lado").key == "lado"
    assert words_topic("can u tell me wat a dsl is").key == "dsl"


def test_two_topics_that_fit_equally_are_offered_as_a_choice() -> None:
    m = by_words("lifts photo")
    assert m.topic is None and {t.key for t in m.choices} == {"lifts-one-to-one", "photos"}
    assert by_words("what is county lines").choices == ()


def test_fixed_script_routes_give_way_only_to_a_clearly_different_practice_question() -> None:
    assert give_way("confidentiality", "how long are records kept").topic.key == "record-retention"
    assert give_way("confidentiality", "do i have to tell the parents").topic.key == "telling-parents"
    assert give_way("whistleblowing", "who decides if we refer").topic.key == "referral-decision"
    assert give_way("confidentiality", "can i promise not to tell") is None          # its own topic
    assert give_way("confidentiality", "she begged me not to tell her mum") is None  # still about a secret
    assert give_way("confidentiality", "she told me about fgm in confidence") is None  # a harm never takes over
    assert give_way("whistleblowing", "nothing is being done about my concern") is None


def test_a_bare_job_title_does_not_make_a_question_about_a_colleague() -> None:
    assert words_topic("worried about a colleague").key == "colleague-concern"
    assert words_topic("what policies should i have read as a volunteer").key == "org-policies"
    assert words_topic("are volunteers allowed to drive children to away matches").key == "lifts-one-to-one"
    assert words_topic("what does a lado actually do").key == "lado"


# ── what the bot answers, once the classifier has had its say (knowledge.match) ──

@pytest.mark.parametrize("key", sorted(topics()))
def test_every_topic_is_answered_outright_by_five_phrasings(key: str) -> None:
    """The issue's bar, on the bot's own answer: five phrasings per topic get that topic's answer."""
    answered = [q for q in QUESTIONS[key] if (t := match(q).topic) is not None and t.key == key]
    assert len(answered) >= 5, (key, len(answered))


def test_no_phrasing_in_the_tables_is_answered_with_another_topic() -> None:
    """Where the words and the classifier disagree the worker is offered both, never one guessed."""
    asked = [(q, key) for key, qs in QUESTIONS.items() for q in qs] + NEIGHBOURS
    wrong = [(q, key, m.topic.key) for q, key in asked if (m := match(q)).topic is not None and m.topic.key != key]
    missed = [(q, key) for q, key in asked if (m := match(q)).topic is None and key not in {t.key for t in m.choices}]
    assert not wrong and not missed, (wrong, missed)
