"""West Kent gives no numbers and Bucks is a template: the bot says so and invents nothing."""
from __future__ import annotations

import re

import pytest
import yaml
from directory_helpers import ORGS_DIR, local, phones_in

from bot.directory import TOPICS, format_plan, org_ids, who_to_call


def profile_phones(org_id: str) -> set[str]:
    """Every phone string anywhere in the profile file."""
    data = yaml.safe_load((ORGS_DIR / f"{org_id}.yml").read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "phone" and v:
                    found.add(v)
                elif k == "other_phones":
                    found.update(v or [])
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return found


@pytest.mark.parametrize("org", org_ids())
@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("at", ["2026-11-18T10:00", "2026-11-20T18:00", "2026-05-25T12:00"])
def test_plans_only_give_numbers_from_the_profile(org, topic, at):
    plan = who_to_call(org, topic, at=local(at))
    assert plan.steps, "never an empty plan"
    assert phones_in(plan) <= profile_phones(org)
    text = format_plan(plan)
    for number in re.findall(r"\(?0[\d() -]{7,}\d", text):
        assert any(number.strip() in p or p in number for p in profile_phones(org)), number


def test_west_kent_concern_has_no_number_and_says_so():
    plan = who_to_call("west-kent", "concern", at=local("2026-11-18T10:00"))
    assert phones_in(plan) == set()
    assert plan.steps[0].role == "Child Protection Co-ordinator (Head of Communities)"
    assert any("no phone number for Child Protection Co-ordinator" in n and "ask your manager" in n
               for n in plan.notes)
    assert "no number in the policy" in format_plan(plan)


def test_west_kent_immediate_danger_is_999_from_its_own_policy():
    plan = who_to_call("west-kent", "immediate-danger", at=local("2026-11-18T10:00"))
    assert plan.steps[0].phone == "999"
    assert plan.steps[0].source.startswith("west-kent.txt § 3")
    assert phones_in(plan) == {"999"}


def test_west_kent_profile_holds_no_local_numbers():
    assert profile_phones("west-kent") == {"999", "101", "0800 028 0285"}


def test_bucks_template_blanks_are_explicit():
    plan = who_to_call("bucks-toolkit", "concern", at=local("2026-11-18T10:00"))
    assert [s.role for s in plan.steps[:2]] == ["Safeguarding Lead", "Deputy Safeguarding Lead"]
    assert plan.steps[0].phone is None and plan.steps[0].name is None
    assert plan.steps[2].phone == "01296 383962" and plan.steps[2].open_now is True
    assert any("no phone number for Safeguarding Lead" in n for n in plan.notes)
    assert any("Hours for First Response Team are assumed" in n for n in plan.notes)


def test_bucks_out_of_hours():
    plan = who_to_call("bucks-toolkit", "concern", at=local("2026-11-20T18:00"))
    ooh = next(s for s in plan.steps if s.phone == "0800 999 7677")
    assert ooh.open_now is True and ooh.hours_assumed is True
