"""Database tables for concern records (SQLAlchemy 1.4, written in 2.0 style).

Nothing here is updated in place except `chain_heads`, the pointer to each
organisation's latest ledger entry. A record's content, its corrections and
every read of it are ledger entries, each chained to the one before by hash.
Narratives live only in `entries.sealed`, encrypted.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

# Stable constraint names so migrations read the same on SQLite and PostgreSQL.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
})
Base = declarative_base(metadata=metadata)


class ConcernRow(Base):
    """The index of filed concerns: what is needed to number, find and route one, no content."""
    __tablename__ = "concerns"
    __table_args__ = (UniqueConstraint("org", "reference", name="uq_concerns_org_reference"),
                      UniqueConstraint("idempotency_key", name="uq_concerns_idempotency_key"))

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False, index=True)
    reference = Column(String(32), nullable=False)
    year = Column(Integer, nullable=False)
    sequence = Column(Integer, nullable=False)
    filed_at = Column(DateTime(timezone=True), nullable=False)      # UTC
    channel = Column(String(32), nullable=False)
    reporter_identity = Column(String(128), nullable=False)         # channel's sender id, hashed
    idempotency_key = Column(String(128), nullable=False)
    urgency = Column(String(16), nullable=False)


class EntryRow(Base):
    """One ledger entry: filed, correction, addition, read or tombstone.

    Rows are never updated, with one exception: retention empties `sealed` of an
    expired record's entries (the digest stays, so the chain still verifies)
    and appends a tombstone saying who erased it, when and under which rule.
    """
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("org", "seq", name="uq_entries_org_seq"),)

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False)
    seq = Column(Integer, nullable=False)                  # position in the organisation's chain
    reference = Column(String(32), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False)   # UTC
    actor = Column(String(128), nullable=False)            # who: a role and pseudonym, never a child
    via = Column(String(64), nullable=False)               # through what: chat, inbox, cli, export
    sealed = Column(LargeBinary, nullable=True)            # encrypted payload; emptied only by retention
    sealed_digest = Column(String(64), nullable=True)      # SHA-256 of the payload, kept after erasure
    prev_hash = Column(String(64), nullable=False)
    hash = Column(String(64), nullable=False)


class ChainHeadRow(Base):
    """The latest entry of an organisation's chain, so that deleting the newest entries shows."""
    __tablename__ = "chain_heads"

    org = Column(String(64), primary_key=True)
    seq = Column(Integer, nullable=False)
    hash = Column(String(64), nullable=False)


# ── Channel state: who belongs to which organisation, one-time form links ────
# No child content here: ids are hashes, payloads are button intents.

class ChannelMemberRow(Base):
    """A chat user's organisation (and area), set by a join link, kept across restarts."""
    __tablename__ = "channel_members"

    channel = Column(String(16), primary_key=True)
    user_key = Column(String(64), primary_key=True)         # hash of the channel's user id
    org = Column(String(64), nullable=False)
    area = Column(String(64), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False)


class FormLinkRow(Base):
    """A one-time, expiring link to the secure web form; only the token's hash is kept."""
    __tablename__ = "form_links"

    token_hash = Column(String(64), primary_key=True)
    org = Column(String(64), nullable=False)
    channel = Column(String(16), nullable=False)
    reporter_key = Column(String(64), nullable=False)
    urgency = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=True)
    reference = Column(String(32), nullable=True)


class ButtonPayloadRow(Base):
    """A button payload too long for Telegram's 64-byte callback data, by its hash."""
    __tablename__ = "button_payloads"

    key = Column(String(24), primary_key=True)
    payload = Column(String(1024), nullable=False)


# ── Alerts to leads: scheduled here, so escalation survives a restart ────────
# No child content: references, recipients' names and roles, channels, times.

class AlertChainRow(Base):
    """One concern's alerting: who in the profile's order is alerted now, and when to escalate."""
    __tablename__ = "alert_chains"
    __table_args__ = (UniqueConstraint("org", "reference", name="uq_alert_chains_org_reference"),)

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False)
    reference = Column(String(32), nullable=False)
    urgency = Column(String(16), nullable=False)
    step = Column(Integer, nullable=False)                             # index into the profile's recipients
    escalate_at = Column(DateTime(timezone=True), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    acknowledged_at = Column(DateTime(timezone=True), nullable=True)
    acknowledged_by = Column(String(128), nullable=True)
    exhausted_at = Column(DateTime(timezone=True), nullable=True)      # nobody left to alert
    worker_sealed = Column(LargeBinary, nullable=True)   # where to tell the worker if nobody answers (encrypted)


class AlertSendRow(Base):
    """One message to one recipient by one channel; sent at most once (claimed, then marked sent)."""
    __tablename__ = "alert_sends"

    id = Column(Integer, primary_key=True)
    chain_id = Column(Integer, nullable=False, index=True)
    step = Column(Integer, nullable=False)
    recipient = Column(String(128), nullable=False)                    # the recipient's name, as in the profile
    channel = Column(String(16), nullable=False)                       # "email" or "telegram"
    due_at = Column(DateTime(timezone=True), nullable=False, index=True)
    claimed_until = Column(DateTime(timezone=True), nullable=True)
    claimed_by = Column(String(64), nullable=True)
    attempts = Column(Integer, nullable=False)
    last_error = Column(String(128), nullable=True)                    # an error's type, never content
    sent_at = Column(DateTime(timezone=True), nullable=True)
    cancelled_at = Column(DateTime(timezone=True), nullable=True)      # acknowledged before it went


class AlertTokenRow(Base):
    """A one-time acknowledgement link, made as its message is sent; only the token's hash is kept."""
    __tablename__ = "alert_tokens"

    token_hash = Column(String(64), primary_key=True)
    chain_id = Column(Integer, nullable=False)
    step = Column(Integer, nullable=False)
    recipient = Column(String(128), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=True)


class LeadChatRow(Base):
    """A lead's Telegram chat, registered with a one-time code; the chat id is encrypted."""
    __tablename__ = "lead_chats"

    org = Column(String(64), primary_key=True)
    recipient = Column(String(128), primary_key=True)                  # the recipient's name, as in the profile
    chat_sealed = Column(LargeBinary, nullable=False)
    registered_at = Column(DateTime(timezone=True), nullable=False)


class LeadCodeRow(Base):
    """A one-time, expiring code a lead sends the bot (`/lead <code>`); only its hash is kept."""
    __tablename__ = "lead_codes"

    code_hash = Column(String(64), primary_key=True)
    org = Column(String(64), nullable=False)
    recipient = Column(String(128), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=True)


# ── The leads' inbox: accounts, sessions, sign-in events, hiding ─────────────
# No child content. Passwords are Argon2id hashes; TOTP secrets are encrypted.

class InboxAccountRow(Base):
    """A lead's, deputy's or administrator's account for one organisation."""
    __tablename__ = "inbox_accounts"
    __table_args__ = (UniqueConstraint("username", name="uq_inbox_accounts_username"),)

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False, index=True)
    username = Column(String(128), nullable=False)                     # lower-case, usually an email address
    name = Column(String(128), nullable=False)                         # as staff know them; used to hide concerns naming them
    roles = Column(String(64), nullable=False)                         # comma-separated: lead, deputy, admin
    password_hash = Column(String(256), nullable=True)                 # Argon2id; empty until set-up is finished
    totp_sealed = Column(LargeBinary, nullable=True)                   # the TOTP secret, encrypted
    totp_last_step = Column(Integer, nullable=True)                    # a code is accepted once
    enrol_hash = Column(String(64), nullable=True, index=True)         # one-time set-up link (its hash)
    enrol_expires_at = Column(DateTime(timezone=True), nullable=True)
    failed_attempts = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    disabled_at = Column(DateTime(timezone=True), nullable=True)


class InboxSessionRow(Base):
    """A signed-in browser: only the cookie's hash is kept; `stage` is 'password' until the TOTP code."""
    __tablename__ = "inbox_sessions"

    token_hash = Column(String(64), primary_key=True)
    account_id = Column(Integer, nullable=False, index=True)
    stage = Column(String(16), nullable=False)
    csrf = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    last_seen_at = Column(DateTime(timezone=True), nullable=False)


class InboxEventRow(Base):
    """Sign-ins, failures, lock-outs and account changes, for the administrator's audit."""
    __tablename__ = "inbox_events"

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False, index=True)
    account_id = Column(Integer, nullable=True)
    kind = Column(String(32), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False)
    detail = Column(String(256), nullable=True)                        # never record content


class ConcernHiddenRow(Base):
    """A concern hidden from one account, because it names them (set by another lead)."""
    __tablename__ = "concern_hidden"

    org = Column(String(64), primary_key=True)
    reference = Column(String(32), primary_key=True)
    account_id = Column(Integer, primary_key=True)
    hidden_at = Column(DateTime(timezone=True), nullable=False)
    hidden_by = Column(String(128), nullable=False)
