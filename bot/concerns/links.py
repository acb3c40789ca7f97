"""One-time links to the secure web form, for organisations that keep records off Telegram.

Telegram cloud chats are not end-to-end encrypted. Where an organisation's
profile says `telegram_records: web_form`, the chat gives guidance and numbers
and hands over a link instead of taking the record. The link works once and
expires; only a hash of its token is stored, so the database alone can't open it.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns.model import FormLinkRow
from bot.concerns.store import ConcernStore

LIFETIME = timedelta(hours=2)   # long enough to find a quiet room; short enough to go stale


class LinkRefused(LookupError):
    """The link is unknown, used or expired; `reason` says which, in words for the worker."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FormLink:
    org: str
    channel: str
    reporter_key: str
    urgency: str
    expires_at: datetime
    token_hash: str


def public_base_url() -> str:
    """Where workers' phones reach the web app (behind HTTPS in production)."""
    default = f"http://{os.environ.get('SAFEGUARD_HOST', '127.0.0.1')}:{os.environ.get('WEB_PORT', '8000')}"
    return (os.environ.get("SAFEGUARD_PUBLIC_URL") or default).rstrip("/")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(store: ConcernStore, org: str, channel: str, reporter_key: str, urgency: str = "standard",
          lifetime: timedelta = LIFETIME) -> tuple[str, datetime]:
    """A new one-time link (the URL) and when it stops working."""
    token = secrets.token_urlsafe(32)
    now = clock.utcnow()
    with Session(store.engine, future=True) as session, session.begin():
        session.add(FormLinkRow(token_hash=_digest(token), org=org, channel=channel, reporter_key=reporter_key,
                                urgency=urgency, created_at=now, expires_at=now + lifetime))
    return f"{public_base_url()}/record/{token}", now + lifetime


def check(store: ConcernStore, token: str) -> FormLink:
    """The link's details if it may still be used; LinkRefused otherwise."""
    with Session(store.engine, future=True) as session:
        row = session.execute(select(FormLinkRow).where(FormLinkRow.token_hash == _digest(token))).scalar_one_or_none()
        if row is None:
            raise LinkRefused("This link isn't one I know. Ask the chat for a new one.")
        if row.used_at is not None:
            raise LinkRefused(f"This link has already been used (reference {row.reference}). "
                              "Ask the chat for a new one to record another concern.")
        if _aware(row.expires_at) <= clock.utcnow():
            raise LinkRefused("This link has expired. Ask the chat for a new one: nothing was saved from it.")
        return FormLink(row.org, row.channel, row.reporter_key, row.urgency, _aware(row.expires_at), row.token_hash)


def spend(store: ConcernStore, link: FormLink, reference: str) -> bool:
    """Mark the link used by this filing; False if another submission used it first."""
    with Session(store.engine, future=True) as session, session.begin():
        done = session.execute(update(FormLinkRow)
                               .where(FormLinkRow.token_hash == link.token_hash, FormLinkRow.used_at.is_(None))
                               .values(used_at=clock.utcnow(), reference=reference))
        return done.rowcount == 1


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; ours are always UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.utcnow().tzinfo)
