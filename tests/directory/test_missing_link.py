"""Missing Link: five areas, each with its own front door and LADO; one Emergency Duty Team."""
from __future__ import annotations

import pytest
from directory_helpers import local, phones_in, step_with

from bot.directory import find_area, safeguarding_leads, who_to_call

EDT = "01454 615 165"
LEADS = ["07407895695", "07793 874978", "07435808617", "07793837757", "07557390521"]

# area text -> (area id, front door, out of hours, LADO numbers)
AREAS = {
    "Bristol": ("bristol", "0117 903 6444", EDT, ["0117 903 7795", "07795 091020"]),
    "Bath": ("bath-ne-somerset", "01225 396312", EDT, ["01225 396810"]),
    "South Glos": ("south-gloucestershire", "01454 866000", "01454 615165", ["01454 868508"]),
    "North Somerset": ("north-somerset", "01275 888808", EDT, ["01275 888808"]),
    "Somerset": ("somerset", "0300 123 2224", EDT, []),
}


@pytest.mark.parametrize("text", AREAS)
def test_each_area_in_office_hours(text):
    area_id, door, _, _ = AREAS[text]
    plan = who_to_call("missing-link", "concern", area=text, at=local("2026-11-18T10:00"))
    assert plan.area == area_id and plan.needs_area is False
    assert [s.phone for s in plan.steps[:5]] == LEADS
    assert step_with(plan, "0117 9250680") is not None  # head office
    assert step_with(plan, door).open_now is True
    assert step_with(plan, door).hours_assumed is True
    assert any("check with your lead" in n for n in plan.notes)


@pytest.mark.parametrize("text", AREAS)
def test_each_area_out_of_hours(text):
    area_id, door, ooh, _ = AREAS[text]
    plan = who_to_call("missing-link", "concern", area=text, at=local("2026-11-20T18:00"))
    assert step_with(plan, ooh).open_now is True
    assert step_with(plan, door).open_now is False
    assert plan.steps.index(step_with(plan, ooh)) < plan.steps.index(step_with(plan, door))


@pytest.mark.parametrize("text", AREAS)
def test_each_area_lado(text):
    area_id, _, _, lado = AREAS[text]
    plan = who_to_call("missing-link", "allegation-staff", area=text, at=local("2026-11-18T10:00"))
    assert plan.steps[0].phone == LEADS[0]
    if lado:
        step = step_with(plan, lado[0])
        assert step is not None and "LADO" in step.role
        assert step.other_phones == lado[1:]
    else:  # Somerset: the policy gives no LADO, so the step has no number and a note says so
        step = next(s for s in plan.steps if "LADO" in s.role)
        assert step.phone is None and step.other_phones == []
        assert any("no phone number for Somerset Local Authority Designated Officer (LADO)" in n
                   and "the policy lists no LADO for Somerset" in n for n in plan.notes)


def test_somerset_out_of_hours_caveat():
    plan = who_to_call("missing-link", area="Somerset", at=local("2026-11-21T10:00"))
    assert step_with(plan, EDT).open_now is True
    assert any("check with your lead that it takes Somerset calls" in n for n in plan.notes)


def test_no_area_in_office_hours_asks_for_it_but_keeps_leads():
    plan = who_to_call("missing-link", "concern", at=local("2026-11-18T10:00"))
    assert plan.needs_area is True and plan.area is None
    assert phones_in(plan) == set(LEADS) | {"0117 9250680"}
    assert "Which area" in plan.notes[0]
    assert [a for a, _ in plan.areas] == ["bristol", "bath-ne-somerset", "south-gloucestershire",
                                          "north-somerset", "somerset"]


def test_no_area_out_of_hours_still_gives_the_emergency_duty_team():
    plan = who_to_call("missing-link", "concern", at=local("2026-11-20T18:00"))
    assert plan.needs_area is True
    assert step_with(plan, EDT).open_now is True


def test_no_area_immediate_danger():
    plan = who_to_call("missing-link", "immediate-danger", at=local("2026-11-18T10:00"))
    assert plan.steps[0].phone == "999" and plan.steps[1].phone == LEADS[0]


@pytest.mark.parametrize("text,expected", [
    ("I'm in Bath, who do I ring", "bath-ne-somerset"),
    ("BANES", "bath-ne-somerset"),
    ("bath-ne-somerset", "bath-ne-somerset"),
    ("Bath & NE Somerset", "bath-ne-somerset"),
    ("family moved to North Somerset last week", "north-somerset"),
    ("she lives in somerset", "somerset"),
    ("South Glos", "south-gloucestershire"),
    ("south gloucestershire council", "south-gloucestershire"),
    ("Bristol", "bristol"),
    ("somewhere in Wales", None),
    ("", None),
])
def test_find_area(text, expected):
    assert find_area("missing-link", text) == expected


def test_unknown_area_is_said_not_guessed():
    plan = who_to_call("missing-link", area="Narnia", at=local("2026-11-18T10:00"))
    assert plan.area is None and plan.needs_area is True
    assert any("'Narnia' is not one of the areas" in n for n in plan.notes)


def test_safeguarding_leads_in_policy_order():
    leads = safeguarding_leads("missing-link")
    assert [c.name for c in leads] == ["Ana Romero", "Dawn Harding", "Lally Mergler", "Helen Whittle", "Alexa Murray"]
    assert [c.phone for c in leads] == LEADS
    assert leads[0].email == "Ana.Romero@nextlinkhousing.co.uk"
