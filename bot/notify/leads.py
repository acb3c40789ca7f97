"""Leads register their Telegram chat for alerts with a one-time code.

The administrator runs `python -m bot alerts register-code --org X --recipient N`
and gives the code to recipient N (1 = the first in the profile's `alerts` list);
the lead sends `/lead <code>` to the bot, and the bridge calls `register_lead`.
Only leads' chat ids are kept, encrypted with the records key; only codes' hashes.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import clock, directory
from bot.concerns.model import LeadChatRow, LeadCodeRow
from bot.concerns.store import ConcernStore, default_store
from bot.directory.model import AlertRecipient

CODE_LIFETIME = timedelta(hours=48)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud or copied from paper


class NotARecipient(LookupError):
    """No such recipient in the organisation's alerts, or they are not alerted by Telegram."""


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).upper().replace("-", "").encode()).hexdigest()


def recipient(org: str, number: int) -> AlertRecipient:
    """Recipient `number` (1-based, in the profile's order) of the organisation's alerts."""
    alerts = directory.load_org(org).alerts
    if alerts is None or not 1 <= number <= len(alerts.recipients):
        count = len(alerts.recipients) if alerts else 0
        raise NotARecipient(f"{org} has {count} alert recipient(s); there is no number {number}")
    return alerts.recipients[number - 1]


def issue_code(org: str, number: int, store: ConcernStore | None = None,
               lifetime: timedelta = CODE_LIFETIME) -> str:
    """A one-time code for alert recipient `number` of `org` to register their Telegram chat."""
    who = recipient(org, number)
    if not who.telegram:
        raise NotARecipient(f"{who.label} is not alerted by Telegram in {org}'s profile (add telegram: true)")
    store = store or default_store()
    code = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    now = clock.utcnow()
    with Session(store.engine, future=True) as session, session.begin():
        session.add(LeadCodeRow(code_hash=_digest(code), org=org, recipient=who.name, created_at=now,
                                expires_at=now + lifetime))
    return f"{code[:5]}-{code[5:]}"


def register_lead(code: str, chat_id: int | str, store: ConcernStore | None = None) -> str:
    """Register the chat that sent `/lead <code>`; the reply to send back, in words."""
    store = store or default_store()
    now = clock.utcnow()
    refused = ("That code isn't one I know, or it has been used or has expired. "
               "Ask whoever runs the safeguarding guide for a new one.")
    with Session(store.engine, future=True) as session, session.begin():
        row = session.execute(select(LeadCodeRow).where(LeadCodeRow.code_hash == _digest(code or ""))
                              ).scalar_one_or_none()
        if row is None or row.used_at is not None or _aware(row.expires_at) <= now:
            return refused
        try:
            org = directory.load_org(row.org)
        except directory.UnknownOrganisation:
            return refused
        who = next((r for r in (org.alerts.recipients if org.alerts else ()) if r.name == row.recipient), None)
        if who is None or not who.telegram:
            return refused
        spent = session.execute(update(LeadCodeRow).where(LeadCodeRow.code_hash == row.code_hash,
                                                          LeadCodeRow.used_at.is_(None)).values(used_at=now))
        if spent.rowcount != 1:
            return refused
        sealed = store.cipher.seal({"chat_id": str(chat_id)})
        existing = session.get(LeadChatRow, (row.org, row.recipient))
        if existing is None:
            session.add(LeadChatRow(org=row.org, recipient=row.recipient, chat_sealed=sealed, registered_at=now))
        else:
            existing.chat_sealed, existing.registered_at = sealed, now
    return (f"Thank you, {who.name}. Safeguarding alerts for {org.name} will come to this chat "
            f"({who.role}): a reference and a link to acknowledge, never a child's details.")


def chat_of(store: ConcernStore, org: str, name: str) -> str | None:
    """The registered Telegram chat id of recipient `name`, or None."""
    with Session(store.engine, future=True) as session:
        row = session.get(LeadChatRow, (org, name))
        return None if row is None else store.cipher.open(row.chat_sealed)["chat_id"]


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.utcnow().tzinfo)


__all__ = ["issue_code", "register_lead", "chat_of", "recipient", "NotARecipient"]
