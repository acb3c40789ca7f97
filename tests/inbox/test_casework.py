"""What a lead can see and record: own organisation only, never a concern naming them, every read logged,
decisions with reasons, reminders from the profile's deadlines, chronology and export."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot import clock
from bot.inbox import hiding
from bot.directory import schema
from bot.inbox.casework import DECISIONS, CaseworkError, NotVisible
from tests.inbox.conftest import ORG, OTHER_ORG, advance, file, make_person


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2026-11-20T18:00:00")     # a Friday evening


@pytest.fixture
def team(accounts):
    return {"lead": make_person(accounts, ORG, "Lee Lead", {"lead"}),
            "deputy": make_person(accounts, ORG, "Dana Hughes", {"deputy"}),
            "admin": make_person(accounts, ORG, "Ada Admin", {"admin"}),
            "other": make_person(accounts, OTHER_ORG, "Gail Grange", {"lead", "admin"})}


def test_leads_see_their_own_organisation_only(store, casework, team):
    first, ref = file(store), file(store, key="k3")
    theirs = file(store, org=OTHER_ORG, key="k2")
    assert [s.reference for s in casework.listing(team["lead"].account)] == [ref, first]
    assert [s.reference for s in casework.listing(team["other"].account)] == [theirs]
    with pytest.raises(NotVisible):
        casework.open(team["other"].account, ref)          # exists, but in another organisation
    # numbers run per organisation: the same reference opens their own record, never ours
    assert casework.open(team["other"].account, first).concern.org == OTHER_ORG
    assert store.reads_of(ORG, ref) == store.reads_of(ORG, first) == []


def test_an_administrator_alone_cannot_read_concerns(store, casework, team):
    ref = file(store)
    assert casework.listing(team["admin"].account) == []
    with pytest.raises(NotVisible):
        casework.open(team["admin"].account, ref)


def test_opening_is_a_read_in_the_ledger_and_the_list_is_not(store, casework, team):
    ref = file(store)
    casework.listing(team["lead"].account)
    assert store.reads_of(ORG, ref) == []
    opened = casework.open(team["lead"].account, ref)
    assert opened.concern.fields["child_words"].startswith("my uncle keeps me")
    [(actor, via, at)] = store.reads_of(ORG, ref)
    assert actor == team["lead"].account.actor and via == "inbox" and "Lee Lead" in actor


@pytest.mark.parametrize("mention", ["Dana Hughes shouted at him", "it was miss hughes in the hall",
                                     "Mrs Hughes took his phone", "DANA HUGHES"])
def test_a_concern_naming_a_colleague_is_hidden_from_them(store, casework, team, mention):
    ref = file(store, observed=mention)
    assert ref not in [s.reference for s in casework.listing(team["deputy"].account)]
    with pytest.raises(NotVisible):
        casework.open(team["deputy"].account, ref)
    opened = casework.open(team["lead"].account, ref)
    assert opened.hidden_from == ["Dana Hughes"]


def test_a_lead_can_hide_a_concern_the_check_missed(store, casework, team):
    ref = file(store, observed="the new youth worker with the blue van")
    assert ref in [s.reference for s in casework.listing(team["deputy"].account)]
    casework.hide_from(team["lead"].account, ref, team["deputy"].account.id)
    casework.hide_from(team["lead"].account, ref, team["deputy"].account.id)      # twice: harmless, recorded once
    assert casework.listing(team["deputy"].account) == []
    with pytest.raises(NotVisible):
        casework.open(team["deputy"].account, ref)
    history = casework.open(team["lead"].account, ref).concern.history
    assert [h.payload for h in history if h.kind == "hidden"] == [{"hidden_from": "Dana Hughes"}]


@pytest.mark.parametrize("text,person,named", [
    ("Dana Hughes", "Dana Hughes", True), ("mr hughes said", "Dana Hughes", True),
    ("Hughes", "Dana Hughes", False), ("Danahughes", "Dana Hughes", False),
    ("Mr O'Neill", "Pat O'Neill", True), ("Dana Hughes-Smith", "Dana Hughes", False),
    ("anna", "Ann", False), ("Dr Ng", "Li Ng", True), ("", "Li Ng", False),
])
def test_names_table(text, person, named):
    assert hiding.names({"observed": text}, person) is named


def test_the_inbox_offers_exactly_the_decisions_a_profile_deadline_can_name():
    assert tuple(DECISIONS) == schema.DECISIONS


def test_a_decision_needs_reasons_and_is_recorded_with_who_and_when(store, casework, team):
    ref = file(store)
    lead = team["lead"].account
    with pytest.raises(CaseworkError, match="reasons"):
        casework.decide(lead, ref, "no_further_action", "   ")
    with pytest.raises(CaseworkError, match="Choose one"):
        casework.decide(lead, ref, "ignore", "because")
    casework.decide(lead, ref, "no_further_action", "Spoke to mum; uncle's flat is a family arrangement. Monitor.")
    concern = casework.open(lead, ref).concern
    decision = next(h for h in concern.history if h.kind == "decision")
    assert decision.payload == {"decision": "no_further_action",
                                "reasons": "Spoke to mum; uncle's flat is a family arrangement. Monitor."}
    assert decision.actor == lead.actor and decision.via == "inbox"
    assert concern.status == "decided" and store.verify() == []


def test_referral_starts_the_written_follow_up_reminder_until_done(store, casework, team, monkeypatch):
    ref = file(store)
    lead = team["lead"].account
    assert casework.listing(lead)[0].reminders == ()
    casework.decide(lead, ref, "refer_social_care", "Not allowed his phone, kept at the flat: risk of CCE.")
    [follow_up] = casework.open(lead, ref).reminders
    assert follow_up.rule.id == "written-follow-up" and "§ 9.9" in follow_up.rule.source
    assert follow_up.due == datetime.fromisoformat("2026-11-21T18:00:00+00:00")       # 24 hours after the decision
    advance(monkeypatch, 24 * 3600 + 60)
    assert casework.listing(lead)[0].reminders[0].state(clock.utcnow()) == "overdue"
    casework.mark_done(lead, ref, "written-follow-up", "Pro forma sent to Bristol First Response 10:20")
    reminder = casework.listing(lead)[0].reminders[0]
    assert reminder.state(clock.utcnow()) == "done" and reminder.done_at is not None
    with pytest.raises(CaseworkError, match="isn't one"):
        casework.mark_done(lead, ref, "made-up", "")


def test_lado_deadline_is_the_end_of_the_next_working_day(store, casework, accounts):
    head = make_person(accounts, OTHER_ORG, "Helen Head", {"lead"})
    ref = file(store, org=OTHER_ORG)                         # Friday 20 November, 18:00
    casework.decide(head.account, ref, "lado", "Allegation about a teaching assistant.")
    [lado] = casework.open(head.account, ref).reminders
    assert lado.due.astimezone(clock.LONDON).isoformat() == "2026-11-23T23:59:00+00:00"   # Monday


def test_lado_deadline_skips_a_bank_holiday(store, casework, accounts, monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2026-12-24T15:00:00")  # Christmas Eve, a Thursday
    head = make_person(accounts, OTHER_ORG, "Helen Head", {"lead"})
    ref = file(store, org=OTHER_ORG)
    casework.decide(head.account, ref, "lado", "Allegation about a volunteer.")
    [lado] = casework.open(head.account, ref).reminders
    assert lado.due.astimezone(clock.LONDON).date().isoformat() == "2026-12-29"   # after Christmas and Boxing Day (Mon 28th)


def test_linked_concerns_make_one_chronology_and_each_is_a_read(store, casework, team, monkeypatch):
    lead = team["lead"].account
    first = file(store, key="a")
    advance(monkeypatch, 3600)
    second = file(store, key="b", child_words="he said i owe him now")
    advance(monkeypatch, 3600)
    third = file(store, key="c", observed="Dana Hughes saw him get into a car")
    casework.link(lead, second, first, "Same young person, J.B.")
    casework.link(lead, third, second, "Same young person, J.B.")
    assert [c.reference for c in casework.chronology(lead, first)] == [first, second, third]
    assert all(any(a == lead.actor for a, _, _ in store.reads_of(ORG, r)) for r in (first, second, third))
    # the deputy is named in the third: their chronology leaves it out without a trace
    assert [c.reference for c in casework.chronology(team["deputy"].account, first)] == [first, second]
    with pytest.raises(CaseworkError, match="no concern"):
        casework.link(team["deputy"].account, first, third, "guess")
    with pytest.raises(CaseworkError, match="itself"):
        casework.link(lead, first, first, "x")


def test_export_for_a_referral_is_a_logged_read(store, casework, team):
    ref = file(store)
    casework.decide(team["lead"].account, ref, "refer_social_care", "Risk of criminal exploitation.")
    doc = casework.export(team["lead"].account, ref)
    assert doc["reference"] == ref and doc["exported_by"] == team["lead"].account.actor
    assert any(h["kind"] == "decision" for h in doc["history"])
    assert ("export" in [via for _, via, _ in store.reads_of(ORG, ref)])
    with pytest.raises(NotVisible):
        casework.export(team["other"].account, ref)
