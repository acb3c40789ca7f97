"""Signing in to the inbox: two factors for everyone, lock-out, sessions that end, secrets never stored plain."""
from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns.model import InboxAccountRow
from bot.inbox.accounts import (IDLE_MINUTES, LOCK_MINUTES, MAX_FAILURES, SESSION_HOURS, AccountError,
                                SignInRefused)
from tests.inbox.conftest import ORG, PASSWORD, advance, make_person


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2026-11-20T18:00:00")


def test_set_up_link_sets_password_and_authenticator_once(accounts):
    account, token = accounts.create(ORG, " Lead@Example.org ", "Lee  Lead", {"lead"}, by="test")
    assert account.username == "lead@example.org" and account.name == "Lee Lead" and not account.enrolled
    enrolment = accounts.enrolment(token)
    assert enrolment.uri.startswith("otpauth://totp/") and "lead%40example.org" in enrolment.uri
    code = pyotp.TOTP(enrolment.secret).at(clock.utcnow())
    with pytest.raises(AccountError, match="at least 12"):
        accounts.enrol(token, "short", "short", code)
    with pytest.raises(AccountError, match="different"):
        accounts.enrol(token, PASSWORD, PASSWORD + "x", code)
    with pytest.raises(AccountError, match="didn't match"):
        accounts.enrol(token, PASSWORD, PASSWORD, "000000" if code != "000000" else "111111")
    assert accounts.enrol(token, PASSWORD, PASSWORD, code).enrolled
    with pytest.raises(AccountError, match="isn't valid any more"):
        accounts.enrolment(token)


def test_set_up_link_expires_after_three_days(accounts, monkeypatch):
    _, token = accounts.create(ORG, "late@example.org", "Late Lead", {"deputy"}, by="test")
    advance(monkeypatch, 72 * 3600 + 1)
    with pytest.raises(AccountError, match="isn't valid any more"):
        accounts.enrolment(token)


def test_password_alone_is_not_a_sign_in(accounts):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    half = accounts.sign_in(lead.username, PASSWORD)
    signed = accounts.session(half)
    assert signed.stage == "password"          # the web layer lets this reach the code page only
    full = accounts.verify_code(half, lead.code())
    assert accounts.session(full).stage == "full" and full != half
    assert accounts.session(half) is None       # the half-signed-in token is spent, not upgraded


def test_a_code_works_once(accounts):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    code = lead.code()
    accounts.verify_code(accounts.sign_in(lead.username, PASSWORD), code)
    with pytest.raises(SignInRefused, match="code didn't match"):
        accounts.verify_code(accounts.sign_in(lead.username, PASSWORD), code)


def test_wrong_password_and_unknown_user_get_the_same_answer(accounts):
    make_person(accounts, ORG, "Lee Lead", {"lead"})
    with pytest.raises(SignInRefused) as wrong:
        accounts.sign_in("lee@missing-link.example", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        accounts.sign_in("nobody@missing-link.example", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "That username and password didn't match."


def test_lock_out_after_repeated_failures_then_unlock(accounts, monkeypatch):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    admin = make_person(accounts, ORG, "Ada Admin", {"admin"})
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInRefused):
            accounts.sign_in(lead.username, "guess")
    with pytest.raises(SignInRefused, match="locked after 5 failed attempts, until 18:15"):
        accounts.sign_in(lead.username, PASSWORD)        # even the right password
    kinds = [kind for _, _, kind, _ in accounts.events(ORG)]
    assert kinds.count("signin_failed") == MAX_FAILURES and "locked" in kinds
    advance(monkeypatch, LOCK_MINUTES * 60 - 5)
    with pytest.raises(SignInRefused, match="locked"):
        accounts.sign_in(lead.username, PASSWORD)
    accounts.unlock(lead.account.id, ORG, by=admin.account.actor)
    assert accounts.session(lead.sign_in()).stage == "full"


def test_lock_ends_by_itself(accounts, monkeypatch):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInRefused):
            accounts.sign_in(lead.username, "guess")
    advance(monkeypatch, LOCK_MINUTES * 60 + 1)
    assert accounts.session(lead.sign_in()).stage == "full"


def test_a_known_password_buys_no_extra_code_guesses(accounts):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    for _ in range(MAX_FAILURES):
        half = accounts.sign_in(lead.username, PASSWORD)    # right password each time...
        with pytest.raises(SignInRefused):
            accounts.verify_code(half, "123456" if lead.code() != "123456" else "654321")   # ...wrong code
    with pytest.raises(SignInRefused, match="locked"):
        accounts.sign_in(lead.username, PASSWORD)


def test_sessions_end_when_idle_and_after_a_working_day(accounts, monkeypatch):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    token = lead.sign_in()
    advance(monkeypatch, (IDLE_MINUTES - 1) * 60)
    assert accounts.session(token) is not None           # used within the idle time: still signed in
    advance(monkeypatch, IDLE_MINUTES * 60 + 1)
    assert accounts.session(token) is None
    token = lead.sign_in()
    for _ in range(SESSION_HOURS * 60 // 20 + 1):
        advance(monkeypatch, 20 * 60)
        last = accounts.session(token)
    assert last is None                                   # busy all day, still asked again after 8 hours


def test_code_stage_times_out(accounts, monkeypatch):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    half = accounts.sign_in(lead.username, PASSWORD)
    advance(monkeypatch, 6 * 60)
    with pytest.raises(SignInRefused, match="timed out"):
        accounts.verify_code(half, lead.code())


def test_disabled_and_reset_accounts_lose_their_sessions(accounts, monkeypatch):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    deputy = make_person(accounts, ORG, "Dee Deputy", {"deputy"})
    lead_token, deputy_token = lead.sign_in(), deputy.sign_in()
    accounts.disable(lead.account.id, ORG, by="test")
    token = accounts.reset(deputy.account.id, ORG, by="test")
    assert accounts.session(lead_token) is None and accounts.session(deputy_token) is None
    with pytest.raises(SignInRefused):
        accounts.sign_in(lead.username, PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.sign_in(deputy.username, PASSWORD)       # must set up again with the new link
    assert accounts.enrolment(token).account.id == deputy.account.id


def test_an_administrator_cannot_change_another_organisations_accounts(accounts):
    other = make_person(accounts, "grange-primary", "Gail Grange", {"lead"})
    with pytest.raises(AccountError, match="No such account"):
        accounts.unlock(other.account.id, ORG, by="test")
    with pytest.raises(AccountError, match="No such account"):
        accounts.reset(other.account.id, ORG, by="test")


def test_usernames_are_unique_and_roles_known(accounts):
    make_person(accounts, ORG, "Lee Lead", {"lead"}, username="lee@example.org")
    with pytest.raises(AccountError, match="taken"):
        accounts.create("grange-primary", "LEE@example.org", "Another Lee", {"lead"}, by="test")
    with pytest.raises(AccountError, match="roles must be"):
        accounts.create(ORG, "x@example.org", "X", {"superuser"}, by="test")


def test_no_password_or_authenticator_secret_is_stored_plain(accounts, store):
    lead = make_person(accounts, ORG, "Lee Lead", {"lead"})
    token = lead.sign_in()
    with Session(store.engine) as session:
        row = session.execute(select(InboxAccountRow)).scalar_one()
        assert row.password_hash.startswith("$argon2id$")
        dump = "\n".join(str(r) for t in ("inbox_accounts", "inbox_sessions", "inbox_events")
                         for r in session.execute(text(f"select * from {t}")).all())
    assert PASSWORD not in dump and lead.secret not in dump and token not in dump
