"""Properties over every moment of 2026 (bank holidays and clock changes included)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from directory_helpers import LONDON, step_with

from bot.directory import load_org, org_ids, who_to_call

ORGS = org_ids()
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
# Every minute of 2026, as an instant; bank holidays and both clock changes are in range.
moments = st.integers(min_value=0, max_value=365 * 24 * 60 - 1).map(lambda m: START + timedelta(minutes=m))
BANK_HOLIDAYS = [datetime(2026, 5, 25, h, tzinfo=LONDON) for h in (0, 9, 12, 17)] + \
                [datetime(2026, 12, 25, h, tzinfo=LONDON) for h in (0, 9, 12, 17)]


def areas_of(org_id: str) -> list[str | None]:
    return [None] + [a.id for a in load_org(org_id).areas]


@settings(max_examples=300, deadline=None)
@given(moment=moments | st.sampled_from(BANK_HOLIDAYS), org=st.sampled_from(ORGS), data=st.data())
def test_immediate_danger_always_starts_with_999(moment, org, data):
    area = data.draw(st.sampled_from(areas_of(org)))
    plan = who_to_call(org, "immediate-danger", area=area, at=moment)
    assert plan.steps and plan.steps[0].phone == "999" and plan.steps[0].open_now is True
    assert [s.order for s in plan.steps] == list(range(1, len(plan.steps) + 1))


@settings(max_examples=300, deadline=None)
@given(moment=moments | st.sampled_from(BANK_HOLIDAYS))
def test_essex_hub_and_out_of_hours_never_both_open_or_both_closed(moment):
    plan = who_to_call("independence-project", "concern", at=moment)
    hub, ooh = step_with(plan, "0345 603 7627"), step_with(plan, "0345 606 1212")
    states = {hub.open_now, ooh.open_now if ooh else False}
    assert states == {True, False}
    local = moment.astimezone(LONDON)
    if local.weekday() >= 5:
        assert ooh is not None and ooh.open_now is True


@settings(max_examples=200, deadline=None)
@given(moment=moments, org=st.sampled_from(ORGS), topic=st.sampled_from(
    ["concern", "allegation-staff", "allegation-head", "fgm", "radicalisation", "whistleblowing"]))
def test_every_plan_has_steps_and_serialises(moment, org, topic):
    import json

    plan = who_to_call(org, topic, at=moment)
    assert plan.steps
    data = json.loads(json.dumps(plan.to_dict()))
    assert {"org", "at", "area", "topic", "steps", "notes", "needs_area"} <= set(data)
    assert datetime.fromisoformat(data["at"]).timestamp() == moment.timestamp()
