"""What a worker reads on each route."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot import directory, routes
from bot.clock import LONDON
from bot.routes import Context

FRIDAY_6PM = datetime(2026, 11, 20, 18, 0, tzinfo=LONDON)
TUESDAY_11AM = datetime(2026, 11, 17, 11, 0, tzinfo=LONDON)


def texts(outcome) -> list[str]:
    return [r.text for r in outcome.replies]


@pytest.mark.parametrize("org", [None, *directory.org_ids()])
def test_danger_says_999_first_for_every_org(org):
    out = routes.run("danger", Context(org=org, at=FRIDAY_6PM))
    assert out.replies[0].text.startswith("Call 999 now")


def test_danger_without_org_asks_which_org_and_remembers_to_give_contacts():
    out = routes.run("danger", Context(org=None))
    assert out.set_slots["pending_route"] == "danger_contacts"
    payloads = [b.payload for b in out.replies[-1].buttons]
    assert '/choose_org{"org_choice":"grange-primary"}' in payloads


def test_danger_gives_independence_project_lead_number():
    out = routes.run("danger", Context(org="independence-project", at=FRIDAY_6PM))
    assert "07880645273".replace(" ", "") in re.sub(r"\s", "", " ".join(texts(out)))


def test_disclosure_asks_if_still_with_child_and_mentions_999():
    out = routes.run("disclosure", Context(org="grange-primary"))
    text = out.replies[0].text
    assert "999" in text and "still with the child" in text
    assert [b.payload for b in out.replies[0].buttons] == ["/affirm", "/deny"]


def test_a_disclosure_about_a_teacher_is_one_tap_from_the_colleague_route_at_every_step():
    """At Grange Primary a worry about staff goes to the Headteacher, not the lead the disclosure
    script names, so the colleague route is offered on the first reply and after either answer."""
    out = routes.run("disclosure", Context(org="grange-primary", text="a girl in year 4 told me her swimming "
                                                                      "teacher kisses her"))
    assert [b.payload for b in out.replies[0].buttons] == ["/affirm", "/deny"]
    assert out.replies[-1].text == routes.COLLEAGUE_TOO and out.set_slots == {"about_colleague": True}
    for step in ("listen_now", "disclosure_later"):
        later = routes.run(step, Context(org="grange-primary", text="/deny", about_colleague=True))
        assert [b.payload for b in later.replies[-1].buttons] == ["/allegation_staff"]
    tapped = routes.run("allegation", Context(org="grange-primary", text="/allegation_staff", at=TUESDAY_11AM))
    assert "1. Headteacher" in texts(tapped)[1]


@pytest.mark.parametrize("text", ["a girl told me her stepdad hits her",
                                  "teenager i mentor texted me that her stepmum calls her fat",
                                  "I'm a TA and a boy in my class told me his dad locks him in",
                                  "/disclosure"])
def test_a_disclosure_about_family_or_from_the_workers_own_role_names_no_colleague(text):
    out = routes.run("disclosure", Context(org="grange-primary", text=text))
    assert len(out.replies) == 1 and out.set_slots == {"about_colleague": False}
    for step in ("listen_now", "disclosure_later"):
        assert routes.COLLEAGUE_TOO not in texts(routes.run(step, Context(org="grange-primary", text="/deny")))


def test_listen_now_is_open_prompts_and_no_secrecy_with_org_source():
    text = routes.run("listen_now", Context(org="bucks-toolkit")).replies[0].text
    for must in ("Tell me", "Explain", "Describe", "Don't promise to keep it secret", "right thing"):
        assert must in text
    assert "Bucks toolkit, 'Example Disclosure of Abuse Statement'" in text
    assert "Keeping Children Safe in Education" in text


def test_friday_evening_gives_out_of_hours_line_for_independence_project():
    out = routes.run("who_to_call", Context(org="independence-project", text="who do I call", at=FRIDAY_6PM))
    assert "0345 606 1212" in out.replies[0].text


def test_lado_question_answers_with_lado_not_the_whole_list():
    out = routes.run("who_to_call", Context(org="grange-primary", text="what's the LADO number?", at=TUESDAY_11AM))
    text = out.replies[0].text
    assert "03330 139 797" in text


def test_area_named_in_question_is_used_for_missing_link():
    out = routes.run("who_to_call", Context(org="missing-link", text="I'm in Bath, who do I ring", at=TUESDAY_11AM))
    assert out.set_slots.get("area") == directory.find_area("missing-link", "Bath")
    assert not out.replies[0].buttons   # no need to ask the area


def test_missing_link_without_area_offers_area_buttons():
    out = routes.run("who_to_call", Context(org="missing-link", text="who do I call", at=TUESDAY_11AM))
    payloads = [b.payload for b in out.replies[0].buttons]
    assert any(p.startswith('/choose_area{"area_choice"') for p in payloads)


def test_west_kent_never_invents_a_number():
    out = routes.run("who_to_call", Context(org="west-kent", text="who do I call", at=TUESDAY_11AM))
    text = out.replies[0].text
    digits = re.findall(r"\d[\d ]{6,}\d", text)
    assert all(d.replace(" ", "") in {"999"} for d in digits), digits


def test_allegation_route_does_not_tell_worker_to_confront_or_investigate():
    out = routes.run("allegation", Context(org="grange-primary", at=TUESDAY_11AM))
    text = " ".join(texts(out))
    assert "Don't discuss it with the person" in text and "Don't investigate" in text
    assert "Headteacher" in text or "headteacher" in text


def test_accident_route_is_first_aid_parent_and_form_not_referral():
    text = routes.run("accident", Context(org="independence-project")).replies[0].text
    assert "first aid" in text and "parent or carer" in text and "accident form" in text
    assert "Accidental Injuries" in text


def test_definition_of_county_lines_cites_source():
    text = routes.run("define", Context(text="what is county lines?")).replies[0].text
    assert text.startswith("County lines:") and "Source: Keeping Children Safe in Education" in text


def test_self_harm_cutting_is_not_treated_as_fgm():
    assert routes.contact_topic("she's cutting herself who do I call") == "concern"


def test_bot_challenge_is_honest():
    text = routes.run("bot_challenge", Context()).replies[0].text
    assert "not a person" in text


@pytest.mark.parametrize("route", sorted(routes.ROUTES))
def test_no_route_leaves_the_worker_without_a_next_step(route):
    out = routes.run(route, Context(org="grange-primary", at=TUESDAY_11AM, text="help"))
    if out.start_form:
        return
    assert out.replies, route
    joined = " ".join(texts(out))
    has_next = any(r.buttons for r in out.replies) or any(
        w in joined for w in ("999", "ring", "call", "tell your")) or re.search(r"\d{4} ?\d{3} ?\d{3,4}", joined)
    assert has_next, route


@pytest.mark.parametrize("org", ["grange-primary", "west-kent", "bucks-toolkit"])
def test_danger_reply_never_leaves_only_names_without_numbers(org):
    """Where the leads have no number in the policy, the brief still shows a number to ring."""
    out = routes.run("danger", Context(org=org, at=FRIDAY_6PM))
    brief = out.replies[1].text
    numbers = [n for n in re.findall(r"\b0[\d ]{9,12}\d\b", brief)]
    if org == "grange-primary":
        assert "0345 606 1212" in brief      # Essex out-of-hours, Friday 18:00
    else:
        assert "no number in the policy" in brief and "999" in brief
    assert all(directory_number_known(org, n) for n in numbers)


def directory_number_known(org: str, number: str) -> bool:
    plan = directory.who_to_call(org, "immediate-danger", at=FRIDAY_6PM)
    return any(number == s.phone for s in plan.steps)


def test_unknown_topic_payload_is_ignored_not_trusted():
    out = routes.run("who_to_call", Context(org="grange-primary", topic="<script>", text="who do i call", at=TUESDAY_11AM))
    assert "a concern about a child" in out.replies[0].text


def test_danger_reply_says_why_it_was_treated_as_urgent():
    out = routes.run("danger", Context(org="grange-primary", at=FRIDAY_6PM, red_flags=("a weapon was mentioned",)))
    first = out.replies[0].text
    assert first.startswith("Call 999 now")
    assert "I've treated this as urgent because a weapon was mentioned." in first


def test_guidance_answer_has_tell_me_more_and_a_way_into_a_concern():
    out = routes.run("define", Context(org="missing-link", text="what does cuckooing mean"))
    reply = out.replies[0]
    assert reply.text.startswith("Cuckooing") and "Source:" in reply.text and "999" in reply.text
    assert len(reply.text.split()) < 110
    more = next(b.payload for b in reply.buttons if b.title == "Tell me more")
    assert "/start_concern" in [b.payload for b in reply.buttons]
    key = more.split('"guidance_topic":"')[1].rstrip('"}')
    detail = routes.run("define", Context(org="missing-link", guidance_topic=key)).replies[0]
    assert detail.text != reply.text and not any(b.title == "Tell me more" for b in detail.buttons)


def test_retention_answer_differs_by_organisation():
    ml = routes.run("define", Context(org="missing-link", text="how long are records kept")).replies[0].text
    gp = routes.run("define", Context(org="grange-primary", text="how long are records kept")).replies[0].text
    assert "6 years" in ml and "25 years" in gp


def test_telegram_hands_the_record_to_the_web_form_where_the_profile_says_so(monkeypatch):
    from bot.directory import load_org
    monkeypatch.setenv("SAFEGUARD_PUBLIC_URL", "https://guide.example.org")
    assert load_org("grange-primary").telegram_records == "web_form"
    out = routes.run("start_concern", Context(org="grange-primary", channel="telegram", sender="u1"))
    assert not out.start_form
    assert "https://guide.example.org/record/" in out.replies[0].text and "999" in out.replies[0].text
    assert out.replies[1].text.startswith("Who to ring now (Grange Primary School")


def test_the_form_runs_in_chat_elsewhere():
    assert routes.run("start_concern", Context(org="independence-project", channel="telegram")).start_form
    assert routes.run("start_concern", Context(org="grange-primary", channel="widget")).start_form
    assert routes.run("start_concern", Context(org="grange-primary", channel="rest")).start_form


def test_a_practice_question_caught_by_the_confidentiality_route_gets_its_own_answer():
    kept = routes.run("confidentiality", Context(org="missing-link", text="she asked me not to tell her mum"))
    assert "secret" in kept.replies[0].text.lower()
    other = routes.run("confidentiality", Context(org="missing-link", text="how long do we keep safeguarding records"))
    assert "6 years" in other.replies[0].text and "confidentiality" not in other.replies[0].text.lower()[:40]


def test_two_equally_likely_topics_are_offered_not_guessed(monkeypatch):
    from bot.guidance import knowledge
    a, b = knowledge.topics()["neglect"], knowledge.topics()["emotional-abuse"]
    monkeypatch.setattr(knowledge, "match", lambda text: knowledge.Match(None, (a, b)))
    asked = routes.run("define", Context(org="grange-primary", text="neglect or emotional"))
    assert asked.replies[0].text.startswith("Which do you mean?") and "999" in asked.replies[0].text
    payloads = [btn.payload for btn in asked.replies[0].buttons]
    assert payloads == ['/ask_definition{"guidance_topic":"neglect:brief"}',
                        '/ask_definition{"guidance_topic":"emotional-abuse:brief"}', "/ask_contact"]
    assert asked.choices == ("neglect", "emotional-abuse")
    picked = routes.run("define", Context(org="grange-primary", guidance_topic="neglect:brief"))
    assert picked.replies[0].text.startswith("Neglect") and "Tell me more" in [x.title for x in picked.replies[0].buttons]


def test_a_contact_question_that_names_a_topic_gets_the_numbers_and_the_topic_one_tap_away():
    said = routes.run("who_to_call", Context(org="grange-primary", text="whats a lado and when do i contact them",
                                             at=TUESDAY_11AM))
    reply = said.replies[0]
    assert "LADO" in reply.text and said.choices == ("lado",)
    assert reply.buttons[-1].title == "About: LADO"
    assert reply.buttons[-1].payload == '/ask_definition{"guidance_topic":"lado:brief"}'
    plain = routes.run("who_to_call", Context(org="grange-primary", text="who do i call",
                                              at=TUESDAY_11AM))
    assert plain.choices == () and not plain.replies[0].buttons
