"""Allegation, FGM, Prevent and whistleblowing routes, per each policy."""
from __future__ import annotations

from directory_helpers import local, phones_in, step_with

from bot.directory import safeguarding_leads, who_to_call

FRIDAY_6PM, WEDNESDAY_10AM = local("2026-11-20T18:00"), local("2026-11-18T10:00")


def test_grange_allegation_about_a_teacher_goes_to_the_head_then_lado():
    plan = who_to_call("grange-primary", "allegation-staff", at=FRIDAY_6PM)
    assert [s.role for s in plan.steps] == ["Headteacher", "Deputy Headteacher",
                                            "Local Authority Designated Officer (LADO), Children's Workforce "
                                            "Allegations Management Team"]
    lado = plan.steps[2]
    assert lado.phone == "03330 139 797"
    assert "within one working day" in lado.why and "Monday 23 November" in lado.why
    assert plan.steps[0].phone is None


def test_grange_allegation_about_the_head_goes_to_the_chair():
    plan = who_to_call("grange-primary", "allegation-head", at=WEDNESDAY_10AM)
    assert plan.steps[0].role == "Chair of Governors" and plan.steps[0].phone is None
    assert plan.steps[1].phone == "03330 139 797" and "Thursday 19 November" in plan.steps[1].why
    assert not any(s.role == "Headteacher" for s in plan.steps)


def test_one_working_day_skips_bank_holidays():
    plan = who_to_call("grange-primary", "allegation-staff", at=local("2026-12-24T10:00"))
    assert "Tuesday 29 December" in step_with(plan, "03330 139 797").why


def test_independence_project_allegation_in_and_out_of_hours():
    day = who_to_call("independence-project", "allegation-staff", at=WEDNESDAY_10AM)
    assert [s.phone for s in day.steps[:1]] == ["07880645273"]
    assert step_with(day, "03330 139 797") is not None
    assert step_with(day, "0345 606 1212") is None
    night = who_to_call("independence-project", "allegation-staff", at=FRIDAY_6PM)
    assert step_with(night, "0345 606 1212").open_now is True
    assert step_with(night, "03330 139 797").open_now is False


def test_independence_project_lados_by_area():
    southend = who_to_call("independence-project", "allegation-staff", area="Southend", at=WEDNESDAY_10AM)
    assert step_with(southend, "(01702) 534539") is not None
    thurrock = who_to_call("independence-project", "allegation-head", area="Thurrock", at=WEDNESDAY_10AM)
    assert thurrock.steps[0].phone == "(01375) 652535" and thurrock.steps[0].other_phones == ["(01375) 652921"]


def test_bucks_allegation_routes():
    staff = who_to_call("bucks-toolkit", "allegation-staff", at=WEDNESDAY_10AM)
    assert staff.steps[0].role == "Named person for managing allegations" and staff.steps[0].phone is None
    assert step_with(staff, "01296 382070") is not None
    head = who_to_call("bucks-toolkit", "allegation-head", at=WEDNESDAY_10AM)
    assert head.steps[0].phone == "01296 382070" and "directly" in head.steps[0].why


def test_missing_link_allegation_about_a_lead():
    plan = who_to_call("missing-link", "allegation-head", area="Bristol", at=WEDNESDAY_10AM)
    assert "other operational safeguarding leads" in plan.steps[0].why
    assert any(s.name == "Sarah O'Leary" and s.email == "sarah.oleary@nextlinkhousing.co.uk" for s in plan.steps)
    assert step_with(plan, "0117 903 7795") is not None


def test_west_kent_allegations_go_to_hr_with_no_numbers():
    plan = who_to_call("west-kent", "allegation-staff", at=WEDNESDAY_10AM)
    assert [s.role for s in plan.steps] == ["Head of Human Resources", "Relevant Department Director"]
    assert phones_in(plan) == set()
    assert any("does not mention the LADO" in n for n in plan.notes)


def test_fgm_is_a_police_report_on_101():
    plan = who_to_call("grange-primary", "fgm", at=WEDNESDAY_10AM)
    assert plan.steps[0].phone == "101" and "Teachers" in plan.steps[0].why
    assert plan.steps[1].name == "Mrs Maggie Efenich"
    assert any("ring 999" in n for n in plan.notes)
    assert any("101 is the national police non-emergency number" in n for n in plan.notes)


def test_radicalisation_goes_through_the_lead():
    for org in ("independence-project", "grange-primary", "missing-link", "bucks-toolkit", "west-kent"):
        plan = who_to_call(org, "radicalisation", area=None, at=WEDNESDAY_10AM)
        assert plan.steps[0].role == safeguarding_leads(org)[0].role
        assert step_with(plan, "101") is not None
    grange = who_to_call("grange-primary", "radicalisation", at=WEDNESDAY_10AM)
    assert "Prevent" in grange.steps[0].why


def test_whistleblowing_line_has_its_own_hours():
    def nspcc(at):
        return step_with(who_to_call("grange-primary", "whistleblowing", at=local(at)), "0800 028 0285")

    assert nspcc("2026-11-18T07:59").open_now is False
    assert nspcc("2026-11-18T08:00").open_now is True
    assert nspcc("2026-11-18T19:59").open_now is True
    assert nspcc("2026-11-18T20:00").open_now is False
    assert nspcc("2026-11-21T12:00").open_now is False   # Saturday
    assert nspcc("2026-11-18T10:00").opens == "Mon–Fri 08:00–20:00"
    assert nspcc("2026-11-18T10:00").source.startswith("grange-primary.txt § 13")


def test_whistleblowing_elsewhere_flags_the_line_as_national():
    plan = who_to_call("missing-link", "whistleblowing", area="Bristol", at=WEDNESDAY_10AM)
    assert step_with(plan, "0800 028 0285") is not None
    assert any("not in Missing Link's policy" in n for n in plan.notes)


def test_topic_spellings_from_rasa_intents():
    assert who_to_call("grange-primary", "immediate_danger", at=WEDNESDAY_10AM).topic == "immediate-danger"
    assert who_to_call("grange-primary", "disclosure", at=WEDNESDAY_10AM).topic == "concern"
    assert who_to_call("grange-primary", "allegation_staff", at=WEDNESDAY_10AM).topic == "allegation-staff"
