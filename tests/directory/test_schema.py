"""Broken profiles fail at load time, naming the file, the field and the problem."""
from __future__ import annotations

import pytest

from bot.directory import ProfileError, UnknownOrganisation, load_all, load_org, org_ids, who_to_call


def error_for(write_profile, replace=None, text=None) -> ProfileError:
    path = write_profile("x", text=text, replace=replace)
    with pytest.raises(ProfileError) as info:
        load_org("x")
    assert str(path) in str(info.value), "the message names the file"
    return info.value


def test_minimal_profile_loads_from_env_dir(write_profile):
    write_profile("x")
    assert org_ids() == ["x"]
    assert load_org("x").leads[0].phone == "07700 900123"
    assert who_to_call("x", "immediate-danger").steps[0].phone == "999"


def test_directory_argument(tmp_path, write_profile):
    write_profile("x")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "y.yml").write_text((tmp_path / "orgs" / "x.yml").read_text().replace("id: x", "id: y"))
    assert org_ids(other) == ["y"] and set(load_all(other)) == {"y"}


def test_typo_key(write_profile):
    err = error_for(write_profile, replace=("    name: A Person", "    nmae: A Person"))
    assert err.field == "leads[0].nmae"
    assert "unknown key 'nmae'" in str(err) and "did you mean 'name'" in str(err)


def test_unknown_top_level_key(write_profile):
    err = error_for(write_profile, replace=("name: Test Org", "name: Test Org\nlead: oops"))
    assert err.field == "lead" and "unknown key" in err.problem


def test_missing_required_field(write_profile):
    err = error_for(write_profile, replace=('    source: "test.txt § leads"\n', ""))
    assert err.field == "leads[0].source" and "required" in err.problem


def test_missing_police(write_profile):
    body = write_profile("x").read_text()
    err = error_for(write_profile, text=body[:body.index("police:")])
    assert err.field == "police" and "required" in err.problem


def test_bad_phone_message(write_profile):
    err = error_for(write_profile, replace=('"07700 900123"', '"0345 60 12"'))
    assert str(err).endswith("leads[0].phone: '0345 60 12' is not a UK phone number")


@pytest.mark.parametrize("phone", ['"12345"', '"0345 603 76277"', '"0345-abc-7627"', '"+1 212 555 0100"'])
def test_other_bad_phones(write_profile, phone):
    err = error_for(write_profile, replace=('"07700 900123"', phone))
    assert err.field == "leads[0].phone"


def test_unquoted_phone(write_profile):
    err = error_for(write_profile, replace=('"07700 900123"', "999"))
    assert err.field == "leads[0].phone" and "quotes" in err.problem


def test_null_phone_needs_a_reason(write_profile):
    err = error_for(write_profile, replace=('"07700 900123"', "null"))
    assert err.field == "leads[0].phone" and "missing_reason" in err.problem


def test_bad_email(write_profile):
    err = error_for(write_profile, replace=('    name: A Person', '    name: A Person\n    email: not-an-email'))
    assert err.field == "leads[0].email"


@pytest.mark.parametrize("rules,field,words", [
    ('[{days: mon-fri, open: "17:00", close: "09:00"}]', "office_hours.weekly[0]", "before it opens"),
    ('[{days: mon-fri, open: "09:00", close: "25:00"}]', "office_hours.weekly[0].close", "not a real time"),
    ('[{days: mon-fri, open: "9am", close: "17:00"}]', "office_hours.weekly[0].open", "HH:MM"),
    ('[{days: mon-fri, open: "09:00", close: 17:00}]', "office_hours.weekly[0].close", "quoted"),
    ('[{days: funday, open: "09:00", close: "17:00"}]', "office_hours.weekly[0].days", "not a weekday"),
    ('[{days: [mon, tuesday], open: "09:00", close: "17:00"}]', "office_hours.weekly[0].days[1]", "not a weekday"),
    ('[{days: fri-mon, open: "09:00", close: "17:00"}]', "office_hours.weekly[0].days", "backwards"),
    ('[{days: mon-fri, open: "09:00", close: "17:00"}, {days: fri, open: "16:00", close: "18:00"}]',
     "office_hours.weekly[1]", "overlaps weekly[0] on fri"),
    ('[{days: mon-fri, open: "09:00", close: "17:00", note: x}]', "office_hours.weekly[0].note", "unknown key"),
])
def test_impossible_hours(write_profile, rules, field, words):
    err = error_for(write_profile, replace=('[{days: mon-fri, open: "09:00", close: "17:00"}]', rules))
    assert err.field == field and words in err.problem, str(err)


def test_hours_reference_must_exist(write_profile):
    err = error_for(write_profile, replace=("same_as: office_hours", "same_as: lunch"))
    assert err.field == "areas[0].front_door.hours.same_as"


def test_id_must_match_file_name(write_profile):
    err = error_for(write_profile, replace=("id: x", "id: y"))
    assert err.field == "id" and "file name" in err.problem


def test_route_reference_must_exist(write_profile):
    err = error_for(write_profile, replace=("police:", "routes:\n  concern: [contacts.nobody]\npolice:"))
    assert err.field == "routes.concern[0].ref" and "no contact 'nobody'" in err.problem


def test_unknown_route_topic(write_profile):
    err = error_for(write_profile, replace=("police:", "routes:\n  gossip: [leads]\npolice:"))
    assert err.field == "routes.gossip"


def test_malformed_yaml(write_profile):
    err = error_for(write_profile, replace=("leads:\n", "leads:\n  - [unclosed\n"))
    assert "is not valid YAML at line" in str(err)


def test_not_a_mapping(write_profile):
    err = error_for(write_profile, text="- just\n- a list\n")
    assert "expected a mapping" in str(err)


def test_load_all_stops_at_the_broken_profile(write_profile, orgs_dir):
    write_profile("x")
    (orgs_dir / "z.yml").write_text("id: z\n")
    with pytest.raises(ProfileError) as info:
        load_all()
    assert "z.yml" in str(info.value)


def test_unknown_organisation_lists_valid_ids():
    with pytest.raises(UnknownOrganisation) as info:
        load_org("no-such-org")
    assert isinstance(info.value, LookupError)
    message = str(info.value)
    for org_id in ("bucks-toolkit", "grange-primary", "independence-project", "missing-link", "west-kent"):
        assert org_id in message


@pytest.mark.parametrize("bad", ["../etc/passwd", "", ".hidden"])
def test_ids_cannot_escape_the_directory(bad):
    with pytest.raises(UnknownOrganisation):
        load_org(bad)


def test_the_real_profiles_validate():
    orgs = load_all()
    assert sorted(orgs) == ["bucks-toolkit", "grange-primary", "independence-project", "missing-link", "west-kent"]
    assert all(str(o.timezone) == "Europe/London" for o in orgs.values())
    assert {oid: o.telegram_records for oid, o in orgs.items()} == {
        "bucks-toolkit": "chat", "grange-primary": "web_form", "independence-project": "chat",
        "missing-link": "chat", "west-kent": "chat"}


# ── alerts: whom to alert, in order, and the acknowledgement windows (optional) ──────────────

from directory_helpers import MINIMAL  # noqa: E402 (this section's own import)

ALERTS = """\
alerts:
  urgent_minutes: 10
  recipients:
    - {role: Safeguarding Lead, name: A Person, email: lead@example.org, telegram: true}
    - {role: Deputy Safeguarding Lead, name: B Person, email: deputy@example.org}
"""


def test_alerts_are_optional_and_the_real_profiles_invent_no_addresses():
    assert load_org("missing-link").alerts is None or all(
        r.email is None for r in load_org("missing-link").alerts.recipients)
    for org in load_all().values():
        assert org.alerts is None or all(r.email is None for r in org.alerts.recipients)


def test_alerts_section_loads_in_order_with_default_windows(write_profile):
    write_profile("x", text=MINIMAL.format(id="x") + ALERTS)
    alerts = load_org("x").alerts
    assert [(r.name, r.email, r.telegram) for r in alerts.recipients] == [
        ("A Person", "lead@example.org", True), ("B Person", "deputy@example.org", False)]
    assert (alerts.urgent_minutes, alerts.standard_minutes) == (10, 240)
    assert alerts.window_minutes("urgent") == 10 and alerts.window_minutes("standard") == 240
    assert alerts.recipients[0].label == "A Person (Safeguarding Lead)"


@pytest.mark.parametrize("old, new, field", [
    ("urgent_minutes: 10", "urgent_minutes: soon", "alerts.urgent_minutes"),
    ("urgent_minutes: 10", "standard_minutes: 0", "alerts.standard_minutes"),
    ("email: lead@example.org", "email: not-an-address", "alerts.recipients[0].email"),
    ("telegram: true", "telegram: yes please", "alerts.recipients[0].telegram"),
    ("name: B Person", "nmae: B Person", "alerts.recipients[1].nmae"),
    ("role: Deputy Safeguarding Lead, ", "", "alerts.recipients[1].role"),
    ("name: B Person", "name: A Person", "alerts.recipients[1].name"),
    ("  recipients:", "  recipients: []\n  old_recipients:", "alerts.old_recipients"),
])
def test_broken_alerts_section_names_file_and_field(write_profile, old, new, field):
    err = error_for(write_profile, text=(MINIMAL.format(id="x") + ALERTS).replace(old, new))
    assert err.field == field, str(err)


def test_alerts_without_recipients_is_an_error(write_profile):
    err = error_for(write_profile, text=MINIMAL.format(id="x") + "alerts:\n  recipients: []\n")
    assert err.field == "alerts.recipients"


# ── deadlines: time limits after a lead's decision, shown in the inbox until done (optional) ─────

DEADLINES = """\
deadlines:
  - id: follow-up
    decision: refer_social_care
    hours: 24
    what: "Follow up in writing."
    source: "test.txt § 9"
"""


def test_deadlines_load_with_their_source(write_profile):
    write_profile("x", text=MINIMAL.format(id="x") + DEADLINES)
    [rule] = load_org("x").deadlines
    assert (rule.id, rule.decision, rule.start, rule.hours, rule.working_days) == (
        "follow-up", "refer_social_care", "decision", 24, None)


@pytest.mark.parametrize("old, new, field", [
    ("decision: refer_social_care", "decision: refer", "deadlines[0].decision"),
    ("hours: 24", "hours: 24\n    working_days: 1", "deadlines[0]"),
    ("hours: 24", "hours: a day", "deadlines[0].hours"),
    ("hours: 24", "hours: 0", "deadlines[0].hours"),
    ("    decision: refer_social_care", "    decision: refer_social_care\n    from: referral", "deadlines[0].from"),
    ('    source: "test.txt § 9"\n', "", "deadlines[0].source"),
    ("    decision:", "    on:", "deadlines[0].true"),         # YAML 1.1: a bare `on` is true
    ("id: follow-up", "id: follow-up\n    what_else: x", "deadlines[0].what_else"),
])
def test_broken_deadlines_name_file_and_field(write_profile, old, new, field):
    err = error_for(write_profile, text=(MINIMAL.format(id="x") + DEADLINES).replace(old, new))
    assert err.field == field, str(err)


def test_a_deadline_id_is_used_once(write_profile):
    err = error_for(write_profile, text=MINIMAL.format(id="x") + DEADLINES + DEADLINES.split("\n", 1)[1])
    assert err.field == "deadlines[1].id" and "twice" in err.problem
