"""Answers fit a phone, say where they come from, end with what to do, and cite real text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.guidance import knowledge
from bot.guidance.knowledge import KNOWLEDGE_DIR, Citation, answer, org_ids, topics

POLICIES = Path("/work/shared/policies")
ORGS = [None, *org_ids()]
# The statutory guidance itself; a part, annex, chapter or glossary entry only where SOURCES.md shows it was checked
# (test_sources.py), otherwise the document title alone.
STATUTORY = re.compile(
    r"^(Keeping Children Safe in Education 2024|Working Together to Safeguard Children 2023)"
    r"(, (Part|Annex|Chapter|Glossary) |$)")
CASES = [(key, org) for key in sorted(topics()) for org in ORGS]


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def _policy_text(file: str) -> str:
    return _norm((POLICIES / file).read_text(encoding="utf-8"))


def _all_citations() -> list[tuple[str, Citation]]:
    """Every policy citation in the knowledge base, wherever it sits (topics, org overrides, orgs.yml)."""
    found: list[tuple[str, Citation]] = []

    def walk(node, where):
        if isinstance(node, dict):
            if "file" in node and "section" in node:
                found.append((where, Citation(node["file"], node["section"], node.get("quote"))))
            for k, v in node.items():
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in sorted(KNOWLEDGE_DIR.glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return found


@pytest.mark.parametrize("key,org", CASES)
def test_answer_fits_a_phone_cites_and_ends_with_what_to_do(key: str, org: str | None) -> None:
    a = answer(key, org)
    assert len(a.text.split()) < 100, (key, org, len(a.text.split()))
    assert "Source:" in a.text
    last = a.text.strip().split("\n\n")[-1]
    assert "999" in last and "worried" in last, last
    assert a.topic == key and a.sources and a.more
    assert len(a.more.split()) < 150


@pytest.mark.parametrize("key,org", CASES)
def test_detail_is_the_tell_me_more_reply(key: str, org: str | None) -> None:
    a = answer(key, org, detail=True)
    assert "What to do:" in a.text and "Source:" in a.text and "999" in a.text.split("\n\n")[-1]
    assert len(a.text.split()) < 160 and a.more == ""


@pytest.mark.parametrize("key", sorted(topics()))
def test_every_topic_cites_kcsie_or_working_together(key: str) -> None:
    assert any(STATUTORY.search(s) for s in topics()[key].statutory), topics()[key].statutory


@pytest.mark.parametrize("key", sorted(topics()))
def test_every_topic_cites_a_policy(key: str) -> None:
    assert topics()[key].policies, key


@pytest.mark.parametrize("where,cite", _all_citations(), ids=lambda x: x if isinstance(x, str) else str(x))
def test_policy_citation_names_a_real_file_and_text_that_is_in_it(where: str, cite: Citation) -> None:
    assert (POLICIES / cite.file).is_file(), (where, cite.file)
    text = _policy_text(cite.file)
    assert _norm(cite.section) in text, (where, cite.section)
    if cite.quote:
        assert _norm(cite.quote) in text, (where, cite.quote)


def test_sources_in_answers_are_the_citations_rendered() -> None:
    a = answer("county-lines", "missing-link")
    assert "missing-link.txt § 5.2.10 Criminal Exploitation (including Cuckooing)" in a.sources
    assert any(s.startswith("Keeping Children Safe in Education 2024, Annex B") for s in a.sources)
    assert "missing-link.txt § 5.2.10" in a.text


def test_retention_differs_where_the_policies_differ() -> None:
    ml = answer("record-retention", "missing-link").text
    gp = answer("record-retention", "grange-primary").text
    bucks = answer("record-retention", "bucks-toolkit").text
    general = answer("record-retention", None).text
    assert "6 years after the last contact" in ml
    assert "25 years from the pupil's date of birth" in gp
    assert "at least 6 years" in bucks
    assert len({ml, gp, bucks, general}) == 4
    assert "no retention period" in answer("record-retention", "west-kent").text


def test_who_decides_on_a_referral_follows_each_policy() -> None:
    assert "Child Protection Co-ordinator" in answer("referral-decision", "west-kent").text
    assert "most senior staff member" in answer("referral-decision", "west-kent").text
    assert "Senior Manager" in answer("referral-decision", "missing-link").text
    assert "Lead Worker and Designated Lead" in answer("referral-decision", "independence-project").text
    assert "First Response" in answer("referral-decision", "bucks-toolkit").text
    assert "anyone may refer" in answer("referral-decision", "grange-primary").text


def test_a_worry_about_a_colleague_goes_where_each_policy_says() -> None:
    assert "Headteacher" in answer("colleague-concern", "grange-primary").text
    assert "Chair of Governors" in answer("colleague-concern", "grange-primary").text
    assert "Head of Human Resources" in answer("colleague-concern", "west-kent").text
    assert "LADO directly" in answer("colleague-concern", "bucks-toolkit").text


def test_telling_parents_differs_between_independence_project_and_grange() -> None:
    ip = answer("telling-parents", "independence-project").text
    gp = answer("telling-parents", "grange-primary").text
    assert "Don't share" in ip and "wherever it can" in gp and ip != gp


@pytest.mark.parametrize("key", sorted(k for k, t in topics().items() if t.orgs))
def test_every_org_override_changes_that_orgs_answer(key: str) -> None:
    general = answer(key, None).text.split("\n\n")[0]
    for org, view in topics()[key].orgs.items():
        assert org in org_ids(), (key, org)
        if view.summary:
            assert answer(key, org).text.split("\n\n")[0] != general, (key, org)


@pytest.mark.parametrize("org", org_ids())
def test_each_org_closing_names_its_own_person(org: str) -> None:
    who = {"independence-project": "Lead Worker", "grange-primary": "DSL", "bucks-toolkit": "Safeguarding Lead",
           "missing-link": "Line Manager", "west-kent": "Child Protection Co-ordinator"}[org]
    assert who in answer("neglect", org).text.split("\n\n")[-1]


def test_org_ids_match_the_organisation_profiles() -> None:
    profiles = {p.stem for p in Path(__file__).resolve().parents[2].joinpath("data", "orgs").glob("*.yml")}
    assert set(org_ids()) == profiles


def test_unknown_org_gets_the_general_answer_and_unknown_topic_is_an_error() -> None:
    assert answer("neglect", "nowhere").text == answer("neglect", None).text
    with pytest.raises(KeyError, match="no guidance topic"):
        answer("not-a-topic")


@pytest.mark.parametrize("key,org", CASES)
def test_never_tells_the_worker_to_investigate_or_diagnose(key: str, org: str | None) -> None:
    a = answer(key, org)
    for text in (a.text, a.more):
        for m in re.finditer(r"\binvestigate\b", text, re.I):  # the verb, not "an investigation"
            before = text[max(0, m.start() - 60):m.start()].lower()
            assert re.search(r"don't|not|never|isn't|or investigate", before), (key, org, text)


def test_phone_numbers_are_copied_from_the_policies() -> None:
    corpus = "".join(_policy_text(p.name) for p in POLICIES.glob("*.txt"))
    for t in topics().values():
        views = [t.summary, t.todo, t.signs, *(v.summary or "" for v in t.orgs.values())]
        for text in views:
            for number in re.findall(r"\b(?:0\d[\d ]{8,}\d|999|101)\b", text):
                assert number.lower() in corpus, (t.key, number)


def test_harm_topics_reassure_that_the_worker_need_not_be_sure() -> None:
    assert answer("neglect").text.split("\n\n")[-1].startswith("You don't need to be sure.")
    assert not answer("photos").text.split("\n\n")[-1].startswith("You don't need to be sure.")


def test_county_lines_answer_keeps_the_shape_routes_define_relies_on() -> None:
    text = answer("county-lines").text
    assert text.startswith("County lines:") and "Source: Keeping Children Safe in Education" in text


def test_county_lines_question_finds_its_topic() -> None:
    assert knowledge.find_topic("what is county lines?").key == "county-lines"


def test_issue_examples() -> None:
    asked = {
        "what is county lines?": "county-lines",
        "is this neglect?": "neglect",
        "can I give her a lift home?": "lifts-one-to-one",
        "can I promise not to tell?": "confidentiality",
        "a mum told me something about her own childhood, do I still report it?": "non-recent-abuse",
    }
    for question, key in asked.items():
        topic = knowledge.find_topic(question)
        assert topic is not None and topic.key == key, question
