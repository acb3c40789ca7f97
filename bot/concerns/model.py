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
