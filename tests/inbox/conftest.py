"""The inbox, in process: accounts in two organisations, concerns filed straight into the store."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from bot import clock
from bot.concerns.store import ConcernStore, Draft
from bot.inbox.accounts import Account, Accounts
from bot.inbox.casework import Casework

PASSWORD = "correct horse battery staple"
ORG = "missing-link"
OTHER_ORG = "grange-primary"
FIELDS = {"child_ref": "J.B., 14", "incident_when": "Friday 4pm", "incident_where": "drop-in",
          "child_words": "my uncle keeps me at his flat and i'm not allowed my phone",
          "observed": "thin, tired, same clothes as Monday", "reporter": "Sam Okafor, youth worker"}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, monkeypatch) -> ConcernStore:
    """The records database: SQLite, and the private PostgreSQL that `make test` starts."""
    if request.param == "postgresql":
        monkeypatch.setenv("SAFEGUARD_DATABASE_URL", request.getfixturevalue("postgres_url"))
    return ConcernStore.from_env()


@pytest.fixture
def accounts(store) -> Accounts:
    return Accounts(store)


@pytest.fixture
def casework(store, accounts) -> Casework:
    return Casework(store, accounts)


class Person:
    """A set-up account and what its owner knows: the password and the authenticator's secret."""

    def __init__(self, accounts: Accounts, account: Account, secret: str, last_step: int):
        self.accounts, self.account, self.secret, self.last_step = accounts, account, secret, last_step

    @property
    def username(self) -> str:
        return self.account.username

    def code(self) -> str:
        """What the app shows: the current step's code, or the next step's if this one was used."""
        totp = pyotp.TOTP(self.secret)
        self.last_step = max(totp.timecode(clock.utcnow()), self.last_step + 1)
        return totp.generate_otp(self.last_step)

    def sign_in(self) -> str:
        """A full session token: password, then code."""
        return self.accounts.verify_code(self.accounts.sign_in(self.username, PASSWORD), self.code())


def make_person(accounts: Accounts, org: str, name: str, roles: set[str], username: str | None = None) -> Person:
    """An enrolled account; set-up used the previous step's code, so two sign-ins fit in one step."""
    account, token = accounts.create(org, username or f"{name.split()[0].lower()}@{org}.example", name, roles,
                                     by="test")
    totp = pyotp.TOTP(accounts.enrolment(token).secret)
    step = totp.timecode(clock.utcnow()) - 1
    accounts.enrol(token, PASSWORD, PASSWORD, totp.generate_otp(step))
    return Person(accounts, accounts.get(account.id), totp.secret, step)


def advance(monkeypatch, seconds: float) -> None:
    """Move the frozen clock on (tests that sign in many times, or wait for a lock or a deadline)."""
    monkeypatch.setenv(clock.ENV_VAR, (clock.utcnow() + timedelta(seconds=seconds)).isoformat())


def file(store: ConcernStore, org: str = ORG, key: str = "k1", urgency: str = "standard", **fields: str) -> str:
    return store.file(Draft(org, {**FIELDS, **fields}, "rest", "worker-1", key, urgency)).reference
