"""Independence Project and Grange (Essex): the Hub in office hours, 0345 606 1212 outside them.

Office hours come from independence-project.txt Appendix C: out of hours is
5.30pm–8.45am Mon–Thu, 4.30pm Fri – 8.45am Mon, and bank holidays.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from directory_helpers import local, step_with

from bot.directory import format_plan, who_to_call

HUB, OOH = "0345 603 7627", "0345 606 1212"

# (moment in London, hub open?) — 2026-11-16 is a Monday, 2026-11-20 a Friday.
MOMENTS = [
    ("2026-11-16T08:44", False), ("2026-11-16T08:45", True),
    ("2026-11-16T17:29", True), ("2026-11-16T17:30", False),
    ("2026-11-19T17:29", True), ("2026-11-19T17:30", False),   # Thursday
    ("2026-11-20T08:44", False), ("2026-11-20T08:45", True),
    ("2026-11-20T16:29", True), ("2026-11-20T16:30", False),   # Friday closes at 16:30
    ("2026-11-20T17:29", False), ("2026-11-20T18:00", False),
    ("2026-11-21T12:00", False), ("2026-11-22T23:59", False),  # weekend
    ("2026-11-23T00:00", False), ("2026-11-23T08:45", True),
    ("2026-05-25T12:00", False), ("2026-05-26T08:45", True),   # Spring bank holiday, then Tuesday
    ("2026-12-25T12:00", False), ("2026-12-28T10:00", False),  # Christmas, Boxing Day (observed)
    ("2026-12-29T10:00", True),
    ("2026-04-03T10:00", False), ("2026-04-06T10:00", False),  # Good Friday, Easter Monday
]


@pytest.mark.parametrize("org", ["independence-project", "grange-primary"])
@pytest.mark.parametrize("moment,hub_open", MOMENTS)
def test_hub_or_out_of_hours(org, moment, hub_open):
    plan = who_to_call(org, "concern", at=local(moment))
    hub, ooh = step_with(plan, HUB), step_with(plan, OOH)
    assert hub is not None, "the Hub is always listed, open or for when it reopens"
    assert hub.open_now is hub_open
    if hub_open:
        assert ooh is None or ooh.open_now is False
        assert plan.steps.index(hub) < (plan.steps.index(ooh) if ooh else 99)
    else:
        assert ooh is not None and ooh.open_now is True
        assert plan.steps.index(ooh) < plan.steps.index(hub), "the line that answers comes first"


def test_friday_six_pm_example_from_the_issue():
    plan = who_to_call("independence-project", "concern", at=local("2026-11-20T18:00"))
    assert step_with(plan, OOH).open_now is True
    assert step_with(plan, HUB).open_now is False
    assert step_with(plan, HUB).next_change == "opens Mon 08:45"
    assert plan.steps[0].phone == "07880645273" and plan.steps[0].name == "Andrew Denny"
    text = format_plan(plan)
    assert "0345 606 1212 (open now" in text and "0345 603 7627 (closed now, opens Mon 08:45)" in text


def test_out_of_hours_hours_are_described_as_the_policy_gives_them():
    plan = who_to_call("independence-project", at=local("2026-11-20T18:00"))
    assert step_with(plan, OOH).opens == ("Mon–Thu 17:30–08:45, Fri 16:30 – Mon 08:45, "
                                          "and all day on bank holidays")
    assert step_with(plan, HUB).opens == "Mon–Thu 08:45–17:30, Fri 08:45–16:30"
    assert step_with(plan, HUB).hours_assumed is False


def test_just_before_closing_mentions_out_of_hours_line():
    plan = who_to_call("independence-project", at=local("2026-11-16T17:10"))
    assert step_with(plan, HUB).open_now is True and step_with(plan, HUB).next_change == "closes 17:30"
    assert step_with(plan, OOH).open_now is False and step_with(plan, OOH).next_change == "opens 17:30"


@pytest.mark.parametrize("utc,hub_open", [
    # Clocks go forward on Sunday 29 March 2026: 08:45 BST is 07:45 UTC on Monday 30th.
    ("2026-03-29T01:30", False), ("2026-03-30T07:44", False), ("2026-03-30T07:45", True),
    ("2026-03-27T08:44", False), ("2026-03-27T08:45", True),    # still GMT the Friday before
    ("2026-03-30T16:29", True), ("2026-03-30T16:30", False),    # 17:30 BST
    # Clocks go back on Sunday 25 October 2026.
    ("2026-10-23T07:45", True), ("2026-10-23T15:29", True), ("2026-10-23T15:30", False),  # Fri BST
    ("2026-10-25T01:30", False), ("2026-10-26T08:44", False), ("2026-10-26T08:45", True),
])
def test_british_summer_time_changes(utc, hub_open):
    moment = datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    plan = who_to_call("independence-project", at=moment)
    assert step_with(plan, HUB).open_now is hub_open
    # the same instant, expressed in London time (== is False for ambiguous times, PEP 495)
    assert plan.at.timestamp() == moment.timestamp() and str(plan.at.tzinfo) == "Europe/London"


def test_southend_and_thurrock_have_their_own_lines():
    southend = who_to_call("independence-project", area="Southend-on-Sea", at=local("2026-11-20T18:00"))
    assert southend.area == "southend" and step_with(southend, OOH).open_now is True
    thurrock = who_to_call("independence-project", area="thurrock", at=local("2026-11-20T18:00"))
    assert step_with(thurrock, "01375-372468").open_now is True
    assert step_with(thurrock, OOH) is None and step_with(thurrock, HUB) is None
    in_hours = who_to_call("independence-project", area="Thurrock", at=local("2026-11-18T10:00"))
    door = next(s for s in in_hours.steps if s.role.startswith("Thurrock children's social care"))
    assert door.phone is None and door.open_now is True and door.hours_assumed is True
    assert any("no phone number for Thurrock children's social care" in n for n in in_hours.notes)


def test_default_area_is_essex_and_says_so():
    plan = who_to_call("independence-project", at=local("2026-11-18T10:00"))
    assert plan.area == "essex" and plan.needs_area is False
    assert any("Southend and Thurrock have their own numbers" in n for n in plan.notes)


def test_priority_line_in_working_hours_for_immediate_danger():
    plan = who_to_call("independence-project", "immediate-danger", at=local("2026-11-18T10:00"))
    assert [s.phone for s in plan.steps[:2]] == ["999", "07880645273"]
    assert "Priority Line" in step_with(plan, HUB).why


def test_grange_borrowed_hub_number_is_flagged():
    plan = who_to_call("grange-primary", at=local("2026-11-18T10:00"))
    assert step_with(plan, HUB).source.startswith("independence-project.txt")
    assert any("comes from the Independence Project policy" in n for n in plan.notes)
    assert any("Mrs Maggie Efenich" in n and "no phone number" in n for n in plan.notes)
    assert [s.name for s in plan.steps[:3]] == ["Mrs Maggie Efenich", "Mrs Helen Wiseall", "Mrs Rachael Hunter"]
