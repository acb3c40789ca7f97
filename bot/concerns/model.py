"""Database tables for concern records (SQLAlchemy 1.4, written in 2.0 style).

Narratives live only in `sealed`, encrypted; the other columns hold what is
needed to find, number and route a record without decrypting it.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class ConcernRow(Base):
    __tablename__ = "concerns"
    __table_args__ = (UniqueConstraint("org", "reference", name="uq_concern_org_reference"),)

    id = Column(Integer, primary_key=True)
    org = Column(String(64), nullable=False, index=True)
    reference = Column(String(32), nullable=False)
    year = Column(Integer, nullable=False)
    sequence = Column(Integer, nullable=False)
    filed_at = Column(DateTime(timezone=True), nullable=False)      # UTC
    channel = Column(String(32), nullable=False)
    reporter_identity = Column(String(128), nullable=False)         # channel's sender id, hashed
    idempotency_key = Column(String(128), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default="new")
    sealed = Column(LargeBinary, nullable=False)                    # encrypted narrative fields


class ConcernReadRow(Base):
    """Every read of a record: who, when, through what."""
    __tablename__ = "concern_reads"

    id = Column(Integer, primary_key=True)
    concern_id = Column(Integer, ForeignKey("concerns.id"), nullable=False, index=True)
    reader = Column(String(128), nullable=False)
    via = Column(String(64), nullable=False)
    read_at = Column(DateTime(timezone=True), nullable=False)
