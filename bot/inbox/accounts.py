"""Inbox accounts and sign-in: Argon2id passwords, TOTP for everyone, sessions that end, lock-out.

Every account needs two factors, not only leads': a deputy reads the same
records, and an administrator can let anyone in. The cookie token and the
set-up link are random secrets of which only hashes are stored, so a copy of the
database lets nobody sign in. Sign-in failures never say which factor was wrong.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns.chain import utc
from bot.concerns.model import InboxAccountRow, InboxEventRow, InboxSessionRow
from bot.concerns.store import ConcernStore

log = logging.getLogger(__name__)

ROLES = ("lead", "deputy", "admin")
READERS = {"lead", "deputy"}        # roles that may open concerns; admin alone may not
MAX_FAILURES = 5                    # consecutive failed passwords or codes before the account locks
LOCK_MINUTES = 15
IDLE_MINUTES = 30                   # a session ends after this long unused...
SESSION_HOURS = 8                   # ...and after this long in any case
CODE_STAGE_MINUTES = 5              # time allowed between password and code
ENROL_HOURS = 72
MIN_PASSWORD = 12
ISSUER = "Safeguarding guide"

_hasher = PasswordHasher()          # Argon2id, the library's RFC 9106 defaults
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))   # unknown usernames cost the same time as known ones


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which factor was wrong)."""


class AccountError(ValueError):
    """A request about accounts that cannot be met; the message is safe to show."""


@dataclass(frozen=True)
class Account:
    id: int
    org: str
    username: str
    name: str
    roles: frozenset[str]
    enrolled: bool
    locked_until: datetime | None
    disabled: bool

    @property
    def can_read_concerns(self) -> bool:
        return bool(self.roles & READERS)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def actor(self) -> str:
        """How the ledger names this account: id and name, never a password or a session."""
        return f"inbox:{self.id}:{self.name}"[:128]

    @property
    def role_label(self) -> str:
        return ", ".join(r for r in ROLES if r in self.roles)


@dataclass(frozen=True)
class SignedIn:
    account: Account
    csrf: str
    stage: str              # "password": the code is still needed; "full": signed in


@dataclass(frozen=True)
class Enrolment:
    account: Account
    secret: str
    uri: str                # otpauth:// for an authenticator app's QR scan


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(row: InboxAccountRow) -> Account:
    return Account(row.id, row.org, row.username, row.name, frozenset(filter(None, row.roles.split(","))),
                   row.password_hash is not None, utc(row.locked_until) if row.locked_until else None,
                   row.disabled_at is not None)


class Accounts:
    def __init__(self, store: ConcernStore):
        self._engine = store.engine
        self._cipher = store.cipher

    # ── administering ────────────────────────────────────────────────────────

    def create(self, org: str, username: str, name: str, roles: set[str], *, by: str) -> tuple[Account, str]:
        """A new account and its one-time set-up token (shown once, to pass on in person)."""
        username, name = username.strip().lower(), " ".join(name.split())
        wrong = set(roles) - set(ROLES)
        if not roles or wrong:
            raise AccountError(f"roles must be some of: {', '.join(ROLES)}")
        if not username or len(username) > 128 or not name or len(name) > 128:
            raise AccountError("give a username and a name, each up to 128 characters")
        token = secrets.token_urlsafe(32)
        now = clock.utcnow()
        row = InboxAccountRow(org=org, username=username, name=name, roles=",".join(r for r in ROLES if r in roles),
                              enrol_hash=_digest(token), enrol_expires_at=now + timedelta(hours=ENROL_HOURS),
                              totp_sealed=self._cipher.seal({"secret": pyotp.random_base32()}),
                              failed_attempts=0, created_at=now)
        try:
            with Session(self._engine, future=True) as session, session.begin():
                session.add(row)
                session.flush()
                self._event(session, org, row.id, "account_created", f"roles {row.roles} by {by}")
                account = _account(row)
        except IntegrityError as exc:
            raise AccountError(f"the username {username!r} is taken") from exc
        return account, token

    def reset(self, account_id: int, org: str, *, by: str) -> str:
        """Start set-up again (lost phone, forgotten password): new secret and link, sessions ended."""
        token = secrets.token_urlsafe(32)
        with Session(self._engine, future=True) as session, session.begin():
            row = self._row_in(session, account_id, org)
            row.password_hash, row.totp_last_step = None, None
            row.totp_sealed = self._cipher.seal({"secret": pyotp.random_base32()})
            row.enrol_hash, row.enrol_expires_at = _digest(token), clock.utcnow() + timedelta(hours=ENROL_HOURS)
            row.failed_attempts, row.locked_until = 0, None
            session.execute(delete(InboxSessionRow).where(InboxSessionRow.account_id == account_id))
            self._event(session, org, account_id, "account_reset", f"by {by}")
        return token

    def unlock(self, account_id: int, org: str, *, by: str) -> None:
        with Session(self._engine, future=True) as session, session.begin():
            row = self._row_in(session, account_id, org)
            row.failed_attempts, row.locked_until = 0, None
            self._event(session, org, account_id, "unlocked", f"by {by}")

    def disable(self, account_id: int, org: str, *, by: str) -> None:
        with Session(self._engine, future=True) as session, session.begin():
            row = self._row_in(session, account_id, org)
            row.disabled_at = clock.utcnow()
            session.execute(delete(InboxSessionRow).where(InboxSessionRow.account_id == account_id))
            self._event(session, org, account_id, "disabled", f"by {by}")

    def list(self, org: str) -> list[Account]:
        with Session(self._engine, future=True) as session:
            rows = session.execute(select(InboxAccountRow).where(InboxAccountRow.org == org)
                                   .order_by(InboxAccountRow.name)).scalars().all()
            return [_account(r) for r in rows]

    def get(self, account_id: int) -> Account | None:
        with Session(self._engine, future=True) as session:
            row = session.get(InboxAccountRow, account_id)
            return _account(row) if row else None

    def events(self, org: str, limit: int = 50) -> list[tuple[datetime, int | None, str, str]]:
        with Session(self._engine, future=True) as session:
            rows = session.execute(select(InboxEventRow).where(InboxEventRow.org == org)
                                   .order_by(InboxEventRow.id.desc()).limit(limit)).scalars().all()
            return [(utc(r.at), r.account_id, r.kind, r.detail or "") for r in rows]

    # ── setting up ───────────────────────────────────────────────────────────

    def enrolment(self, token: str) -> Enrolment:
        """What the set-up page shows: the TOTP secret to add to an authenticator app."""
        with Session(self._engine, future=True) as session:
            row = self._enrolling(session, token)
            secret = self._cipher.open(row.totp_sealed)["secret"]
            uri = pyotp.TOTP(secret).provisioning_uri(name=row.username, issuer_name=ISSUER)
            return Enrolment(_account(row), secret, uri)

    def enrol(self, token: str, password: str, confirm: str, code: str) -> Account:
        """Set the password and prove the authenticator works; the link is then spent."""
        if password != confirm:
            raise AccountError("The two passwords are different.")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"Use at least {MIN_PASSWORD} characters; a short sentence is easy to remember.")
        with Session(self._engine, future=True) as session, session.begin():
            row = self._enrolling(session, token)
            step = self._code_step(row, code)
            if step is None:
                raise AccountError("That code didn't match. Check the time on your phone, then try the newest code.")
            row.password_hash = _hasher.hash(password)
            row.totp_last_step, row.enrol_hash, row.enrol_expires_at = step, None, None
            self._event(session, row.org, row.id, "enrolled", None)
            return _account(row)

    # ── signing in ───────────────────────────────────────────────────────────

    def sign_in(self, username: str, password: str) -> str:
        """Check the password; returns a session token that still needs the code."""
        now = clock.utcnow()
        refused = "That username and password didn't match."
        with Session(self._engine, future=True) as session, session.begin():
            row = session.execute(select(InboxAccountRow).where(
                InboxAccountRow.username == username.strip().lower()[:128])).scalar_one_or_none()
            if row is None or row.password_hash is None or row.disabled_at is not None:
                _verify(_DUMMY_HASH, password)
                if row is not None:
                    self._event(session, row.org, row.id, "signin_refused", "not set up or disabled")
            elif (locked := self._locked(row, now)) is not None:
                refused = locked
            elif not _verify(row.password_hash, password):
                refused = self._failed(session, row, now, "password")
            else:
                if _hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher.hash(password)
                return self._new_session(session, row, "password", now)
        raise SignInRefused(refused)

    def verify_code(self, token: str, code: str) -> str:
        """Check the TOTP code of a half-signed-in session; returns a new token (never reuse the old)."""
        now = clock.utcnow()
        with Session(self._engine, future=True) as session, session.begin():
            sess = session.get(InboxSessionRow, _digest(token or ""))
            if sess is None or sess.stage != "password" or \
                    utc(sess.created_at) + timedelta(minutes=CODE_STAGE_MINUTES) < now:
                raise SignInRefused("Your sign-in timed out. Please start again.")
            row = session.get(InboxAccountRow, sess.account_id)
            refused = self._locked(row, now)
            if refused is None:
                step = self._code_step(row, code)
                if step is None:
                    refused = self._failed(session, row, now, "code")
                else:
                    row.totp_last_step, row.failed_attempts = step, 0
                    session.delete(sess)
                    self._event(session, row.org, row.id, "signed_in", None)
                    return self._new_session(session, row, "full", now)
        raise SignInRefused(refused)

    def session(self, token: str | None) -> SignedIn | None:
        """The signed-in account behind a cookie, or None once it has expired or been ended."""
        if not token:
            return None
        now = clock.utcnow()
        with Session(self._engine, future=True) as session, session.begin():
            sess = session.get(InboxSessionRow, _digest(token))
            if sess is None:
                return None
            row = session.get(InboxAccountRow, sess.account_id)
            limit = timedelta(minutes=CODE_STAGE_MINUTES) if sess.stage == "password" else timedelta(hours=SESSION_HOURS)
            if (row is None or row.disabled_at is not None or utc(sess.created_at) + limit < now
                    or utc(sess.last_seen_at) + timedelta(minutes=IDLE_MINUTES) < now):
                session.delete(sess)
                return None
            sess.last_seen_at = now
            return SignedIn(_account(row), sess.csrf, sess.stage)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with Session(self._engine, future=True) as session, session.begin():
            sess = session.get(InboxSessionRow, _digest(token))
            if sess is not None:
                row = session.get(InboxAccountRow, sess.account_id)
                session.delete(sess)
                if row is not None:
                    self._event(session, row.org, row.id, "signed_out", None)

    def sessions_open(self, account_id: int) -> int:
        with Session(self._engine, future=True) as session:
            return session.execute(select(func.count()).select_from(InboxSessionRow)
                                   .where(InboxSessionRow.account_id == account_id)).scalar_one()

    # ── internals ────────────────────────────────────────────────────────────

    def _enrolling(self, session: Session, token: str) -> InboxAccountRow:
        row = session.execute(select(InboxAccountRow).where(
            InboxAccountRow.enrol_hash == _digest(token or ""))).scalar_one_or_none()
        if row is None or row.disabled_at is not None or utc(row.enrol_expires_at) < clock.utcnow():
            raise AccountError("This set-up link isn't valid any more. Ask your administrator for a new one.")
        return row

    def _code_step(self, row: InboxAccountRow, code: str) -> int | None:
        """The time step a code belongs to (one step either side allowed for clock drift); each step works once."""
        code = "".join(ch for ch in (code or "") if ch.isdigit())
        if len(code) != 6 or row.totp_sealed is None:
            return None
        totp = pyotp.TOTP(self._cipher.open(row.totp_sealed)["secret"])
        now = clock.utcnow()
        for drift in (0, -1, 1):
            moment = now + timedelta(seconds=30 * drift)
            if secrets.compare_digest(totp.at(moment), code):
                step = totp.timecode(moment)
                return step if row.totp_last_step is None or step > row.totp_last_step else None
        return None

    @staticmethod
    def _locked(row: InboxAccountRow, now: datetime) -> str | None:
        """The refusal to give while the account is locked, else None."""
        if row.locked_until is not None and utc(row.locked_until) > now:
            until = utc(row.locked_until).astimezone(clock.LONDON)
            return (f"This account is locked after {MAX_FAILURES} failed attempts, until {until:%H:%M}. "
                    "Your administrator can unlock it sooner.")
        return None

    def _failed(self, session: Session, row: InboxAccountRow, now: datetime, what: str) -> str:
        """Count a failure and lock at the limit; the count is kept although sign-in fails.

        Only a full sign-in clears the count, so a known password does not buy more code guesses.
        """
        row.failed_attempts = (row.failed_attempts or 0) + 1
        self._event(session, row.org, row.id, "signin_failed", what)
        if row.failed_attempts >= MAX_FAILURES:
            row.failed_attempts, row.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
            self._event(session, row.org, row.id, "locked", f"{LOCK_MINUTES} minutes")
            log.warning("inbox account %s locked after %d failures", row.id, MAX_FAILURES)
            return self._locked(row, now) or ""
        return "That code didn't match." if what == "code" else "That username and password didn't match."

    @staticmethod
    def _new_session(session: Session, row: InboxAccountRow, stage: str, now: datetime) -> str:
        token = secrets.token_urlsafe(32)
        session.add(InboxSessionRow(token_hash=_digest(token), account_id=row.id, stage=stage,
                                    csrf=secrets.token_urlsafe(24), created_at=now, last_seen_at=now))
        return token

    @staticmethod
    def _row_in(session: Session, account_id: int, org: str) -> InboxAccountRow:
        row = session.get(InboxAccountRow, account_id)
        if row is None or row.org != org:
            raise AccountError("No such account in this organisation.")
        return row

    @staticmethod
    def _event(session: Session, org: str, account_id: int | None, kind: str, detail: str | None) -> None:
        session.add(InboxEventRow(org=org, account_id=account_id, kind=kind, at=clock.utcnow(),
                                  detail=(detail or None) and detail[:256]))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False

