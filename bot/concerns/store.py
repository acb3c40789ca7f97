"""Filing, correcting and reading concern records, on an append-only hash-chained ledger.

Filing is idempotent on the draft's key: a retried request (an action server
restart, a double tap) returns the record already filed instead of a second one.
A filed record is never changed: corrections and additions are new entries, and
every read is an entry too, written before the record is returned.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import case, create_engine, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns import chain
from bot.concerns.crypto import FieldCipher, load_keys
from bot.concerns.form import CATEGORIES, FIELD_BY_SLOT, RECORDED
from bot.concerns.migrate import upgrade
from bot.concerns.model import ChainHeadRow, ConcernRow, EntryRow

log = logging.getLogger(__name__)

DB_URL_ENV = "SAFEGUARD_DATABASE_URL"
DEFAULT_DB_URL = "sqlite:///var/safeguard.db"
KINDS_WITH_CHANGES = ("correction",)
ALERT_KINDS = ("alert", "acknowledged", "escalated", "alerts_exhausted", "worker_told")   # telling leads, not changing the record
CASEWORK_KINDS = ("decision", "action", "outcome", "linked", "deadline_met", "hidden")   # a lead's work in the inbox
ATTEMPTS = 8


class StoreUnavailable(RuntimeError):
    """The database cannot be reached; the caller must keep the draft and say so."""


class NoSuchConcern(LookupError):
    """No record with that reference in that organisation."""


class RecordErased(LookupError):
    """The record's content was erased under its organisation's retention rule."""


@dataclass(frozen=True)
class Draft:
    org: str
    fields: dict[str, str]
    channel: str
    sender_id: str
    key: str                    # idempotency key, one per form run
    urgency: str = "standard"   # "urgent" when the worker came through the danger route


@dataclass(frozen=True)
class Filed:
    reference: str
    org: str
    filed_at: datetime
    created: bool               # False when this draft had been filed already


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    kind: str
    at: datetime
    actor: str
    via: str
    payload: dict[str, Any] | None
    hash: str = ""              # the entry's hash in the chain, for matching an export to the ledger


@dataclass(frozen=True)
class Concern:
    reference: str
    org: str
    filed_at: datetime
    channel: str
    urgency: str
    fields: dict[str, str]          # as filed, with every correction applied in order
    history: list[HistoryEntry]     # filed, corrections, additions, categories (reads are in reads_of)
    categories: tuple[str, ...] = ()   # the latest categorisation

    @property
    def status(self) -> str:
        """Derived from the ledger, never stored: a filed record is not updated in place."""
        kinds = {h.kind for h in self.history} - set(ALERT_KINDS)
        if "outcome" in kinds:
            return "outcome recorded"
        if "decision" in kinds:
            return "decided"
        return "categorised" if "categorised" in kinds else ("updated" if kinds - {"filed"} else "new")


def hash_identity(channel: str, sender_id: str) -> str:
    """A stable pseudonym for the reporter's channel identity."""
    return hashlib.sha256(f"{channel}:{sender_id}".encode()).hexdigest()[:32]


def format_reference(year: int, sequence: int) -> str:
    return f"SG-{year}-{sequence:06d}"


class ConcernStore:
    def __init__(self, engine: Engine, cipher: FieldCipher):
        self._engine = engine
        self._cipher = cipher

    @classmethod
    def from_env(cls, create_key: bool = False) -> "ConcernStore":
        url = os.environ.get(DB_URL_ENV, DEFAULT_DB_URL)
        sqlite_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        if sqlite_file:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, pool_pre_ping=True)
        store = cls(engine, FieldCipher(load_keys(create_if_missing=create_key)))
        store.create_schema()
        if sqlite_file and sqlite_file.exists():
            sqlite_file.chmod(0o600)   # records are readable by this account only
        return store

    @property
    def engine(self) -> Engine:
        """The records database, for the channel-state tables that live beside the ledger."""
        return self._engine

    @property
    def cipher(self) -> FieldCipher:
        """The records key, for the few other secrets kept beside the ledger (leads' chat ids)."""
        return self._cipher

    def create_schema(self) -> None:
        """Bring the database to the newest schema (Alembic migrations)."""
        try:
            upgrade(self._engine)
        except OperationalError as exc:
            raise StoreUnavailable(f"database unavailable: {type(exc.orig).__name__}") from exc

    # ── writing ──────────────────────────────────────────────────────────────

    def file(self, draft: Draft) -> Filed:
        """Store a concern once, numbering it SG-<year>-<nnnnnn> within its organisation."""
        fields = {slot: draft.fields.get(slot) or "" for slot in RECORDED}
        sealed = self._cipher.seal(fields)
        actor = f"reporter:{hash_identity(draft.channel, draft.sender_id)}"

        def attempt(session: Session) -> Filed:
            existing = session.execute(
                select(ConcernRow).where(ConcernRow.idempotency_key == draft.key)).scalar_one_or_none()
            if existing is not None:
                return Filed(existing.reference, existing.org, chain.utc(existing.filed_at), False)
            now, year = clock.utcnow(), clock.now().year
            last = session.execute(select(func.max(ConcernRow.sequence)).where(
                ConcernRow.org == draft.org, ConcernRow.year == year)).scalar_one()
            sequence = (last or 0) + 1
            reference = format_reference(year, sequence)
            session.add(ConcernRow(
                org=draft.org, reference=reference, year=year, sequence=sequence, filed_at=now,
                channel=draft.channel, reporter_identity=actor.split(":", 1)[1],
                idempotency_key=draft.key, urgency=draft.urgency))
            self._append(session, draft.org, reference, "filed", actor, draft.channel, sealed, now)
            return Filed(reference, draft.org, now, True)

        filed = self._write(attempt)
        if filed.created:
            log.info("concern filed: org=%s reference=%s", filed.org, filed.reference)
        return filed

    def amend(self, org: str, reference: str, *, actor: str, via: str, reason: str,
              changes: dict[str, str] | None = None, note: str | None = None,
              categories: list[str] | None = None) -> int:
        """Add a correction (changed fields), an addition (a note) or the record's categories.

        Returns the entry's position in the chain. Who, when, what and why are kept.
        """
        if not reason.strip():
            raise ValueError("a correction or addition needs a reason")
        unknown = set(changes or {}) - set(FIELD_BY_SLOT)
        if unknown:
            raise ValueError(f"not fields of a concern record: {', '.join(sorted(unknown))}")
        if sum(x is not None and x != {} for x in (changes, note, categories)) != 1:
            raise ValueError("give exactly one of: changed fields, a note, categories")
        if categories is not None:
            wrong = [c for c in categories if c not in CATEGORIES]
            if wrong or not categories:
                raise ValueError(f"categories must be some of: {', '.join(CATEGORIES)}")
        kind = "correction" if changes else ("addition" if note else "categorised")
        payload = {"reason": reason, **({"changes": changes} if changes else
                                        {"note": note} if note else {"categories": list(categories)})}
        sealed = self._cipher.seal(payload)

        def attempt(session: Session) -> int:
            self._concern_row(session, org, reference)
            return self._append(session, org, reference, kind, actor, via, sealed, clock.utcnow()).seq

        return self._write(attempt)

    def record_alert(self, org: str, reference: str, kind: str, *, actor: str, via: str,
                     details: dict[str, Any], when=None) -> int | None:
        """Add an alert, acknowledgement or escalation to the concern's history (no child content).

        `when(session)`, if given, runs first in the same transaction (e.g. claiming the
        alert as sent); if it returns False nothing is written and None is returned, so a
        state change and its ledger entry happen together or not at all.
        """
        if kind not in ALERT_KINDS:
            raise ValueError(f"alert entries are one of: {', '.join(ALERT_KINDS)}")
        sealed = self._cipher.seal(details)

        def attempt(session: Session) -> int | None:
            self._concern_row(session, org, reference)
            if when is not None and not when(session):
                return None
            return self._append(session, org, reference, kind, actor, via, sealed, clock.utcnow()).seq

        return self._write(attempt)

    def add_casework(self, org: str, reference: str, kind: str, *, actor: str, via: str,
                     details: dict[str, Any]) -> int:
        """A lead's decision, action, outcome, link or deadline met, encrypted (reasons may name the child)."""
        if kind not in CASEWORK_KINDS:
            raise ValueError(f"casework entries are one of: {', '.join(CASEWORK_KINDS)}")
        sealed = self._cipher.seal(details)

        def attempt(session: Session) -> int:
            self._concern_row(session, org, reference)
            return self._append(session, org, reference, kind, actor, via, sealed, clock.utcnow()).seq

        return self._write(attempt)

    def scan(self, org: str, kinds: tuple[str, ...],
             reference: str | None = None) -> list[tuple[str, str, datetime, dict[str, Any]]]:
        """Entries of these kinds, decrypted, for a machine check only (who a record names, what is due).

        Not a read: nothing is shown to anyone, so no read entry is written. Callers
        return only what the check finds (a yes/no, a decision's kind, a due date),
        never a record's fields.
        """
        stmt = select(EntryRow.reference, EntryRow.kind, EntryRow.at, EntryRow.sealed).where(
            EntryRow.org == org, EntryRow.kind.in_(kinds), EntryRow.sealed.is_not(None))
        if reference is not None:
            stmt = stmt.where(EntryRow.reference == reference)
        with Session(self._engine, future=True) as session:
            rows = session.execute(stmt.order_by(EntryRow.seq)).all()
        return [(ref, kind, chain.utc(at), self._cipher.open(sealed)) for ref, kind, at, sealed in rows]

    def scan_fields(self, org: str, reference: str | None = None) -> dict[str, dict[str, str]]:
        """Each record's current fields, for the check of whom it names (see `scan`)."""
        fields: dict[str, dict[str, str]] = {}
        for reference, kind, _, payload in self.scan(org, ("filed",) + KINDS_WITH_CHANGES, reference):
            if kind == "filed":
                fields[reference] = dict(payload)
            elif reference in fields:
                fields[reference].update(payload.get("changes", {}))
        return fields

    def erase(self, org: str, reference: str, *, actor: str, rule: str) -> int:
        """Erase a record's content under a retention rule, leaving a tombstone in the chain."""

        def attempt(session: Session) -> int:
            self._concern_row(session, org, reference)
            session.execute(update(EntryRow).where(EntryRow.org == org, EntryRow.reference == reference)
                            .values(sealed=None))
            tombstone = self._cipher.seal({"rule": rule})
            return self._append(session, org, reference, "tombstone", actor, "retention", tombstone,
                                clock.utcnow()).seq

        seq = self._write(attempt)
        log.info("concern erased under retention: org=%s reference=%s", org, reference)
        return seq

    def last_activity(self, org: str) -> list[tuple[str, datetime, datetime, bool]]:
        """Per record: reference, filed at, last non-read entry, and whether it is already erased."""
        with Session(self._engine, future=True) as session:
            rows = session.execute(
                select(EntryRow.reference, func.max(EntryRow.at),
                       func.sum(case((EntryRow.kind == "tombstone", 1), else_=0)))
                .where(EntryRow.org == org, EntryRow.kind != "read").group_by(EntryRow.reference)).all()
            filed = dict(session.execute(select(ConcernRow.reference, ConcernRow.filed_at)
                                         .where(ConcernRow.org == org)).all())
        return sorted((ref, chain.utc(filed[ref]), chain.utc(last), bool(erased))
                      for ref, last, erased in rows if ref in filed)

    # ── reading ──────────────────────────────────────────────────────────────

    def read(self, org: str, reference: str, reader: str, via: str) -> Concern:
        """The record as it stands, with its history; the read is logged before anything is returned."""

        def attempt(session: Session) -> Concern:
            row = self._concern_row(session, org, reference)
            entries = session.execute(select(EntryRow).where(
                EntryRow.org == org, EntryRow.reference == reference, EntryRow.kind != "read"
            ).order_by(EntryRow.seq)).scalars().all()
            self._append(session, org, reference, "read", reader, via, None, clock.utcnow())
            history = [HistoryEntry(e.seq, e.kind, chain.utc(e.at), e.actor, e.via,
                                    self._cipher.open(e.sealed) if e.sealed is not None else None, e.hash)
                       for e in entries]
            if any(h.kind == "tombstone" for h in history):
                raise RecordErased(f"{reference} was erased under the retention rule; only its tombstone remains")
            fields: dict[str, str] = {}
            categories: tuple[str, ...] = ()
            for entry in history:
                if entry.kind == "filed":
                    fields = dict(entry.payload or {})
                elif entry.kind in KINDS_WITH_CHANGES:
                    fields.update((entry.payload or {}).get("changes", {}))
                elif entry.kind == "categorised":
                    categories = tuple((entry.payload or {}).get("categories", ()))
            return Concern(row.reference, row.org, chain.utc(row.filed_at), row.channel, row.urgency,
                           fields, history, categories)

        return self._write(attempt)

    def reads_of(self, org: str, reference: str) -> list[tuple[str, str, datetime]]:
        with Session(self._engine, future=True) as session:
            rows = session.execute(select(EntryRow.actor, EntryRow.via, EntryRow.at).where(
                EntryRow.org == org, EntryRow.reference == reference, EntryRow.kind == "read"
            ).order_by(EntryRow.seq)).all()
        return [(actor, via, chain.utc(at)) for actor, via, at in rows]

    def references(self, org: str) -> list[tuple[str, datetime, str]]:
        """Reference, filing time and urgency of each record: no content, so no read is logged."""
        with Session(self._engine, future=True) as session:
            rows = session.execute(select(ConcernRow.reference, ConcernRow.filed_at, ConcernRow.urgency)
                                   .where(ConcernRow.org == org).order_by(ConcernRow.id)).all()
        return [(ref, chain.utc(at), urgency) for ref, at, urgency in rows]

    def count(self, org: str | None = None) -> int:
        with Session(self._engine, future=True) as session:
            stmt = select(func.count(ConcernRow.id))
            if org:
                stmt = stmt.where(ConcernRow.org == org)
            return session.execute(stmt).scalar_one()

    def verify(self, org: str | None = None) -> list[str]:
        """Every sign of a change made behind the application's back; empty when all is intact."""
        with Session(self._engine, future=True) as session:
            orgs = [org] if org else sorted(set(session.execute(select(EntryRow.org).distinct()).scalars())
                                            | set(session.execute(select(ChainHeadRow.org)).scalars())
                                            | set(session.execute(select(ConcernRow.org).distinct()).scalars()))
            problems: list[str] = []
            for each in orgs:
                rows = session.execute(select(EntryRow).where(EntryRow.org == each).order_by(EntryRow.seq)).scalars()
                links = [chain.Link(r.org, r.seq, r.reference, r.kind, r.at, r.actor, r.via, r.sealed,
                                    r.prev_hash, r.hash, r.sealed_digest) for r in rows]
                head = session.get(ChainHeadRow, each)
                problems += chain.check(each, links, (head.seq, head.hash) if head else None)
                filed = {l.reference for l in links if l.kind == "filed"}
                indexed = set(session.execute(select(ConcernRow.reference).where(ConcernRow.org == each)).scalars())
                problems += [f"{each}: {ref} has no filed entry in the ledger" for ref in sorted(indexed - filed)]
                problems += [f"{each}: {ref} is in the ledger but missing from the index" for ref in sorted(filed - indexed)]
        return problems

    # ── internals ────────────────────────────────────────────────────────────

    def _write(self, attempt):
        """Run one transaction, retrying when another writer took the same number first."""
        for _ in range(ATTEMPTS):
            try:
                with Session(self._engine, future=True) as session, session.begin():
                    return attempt(session)
            except IntegrityError:
                continue
            except OperationalError as exc:
                if "locked" in str(exc.orig).lower():
                    continue
                raise StoreUnavailable(f"database unavailable: {type(exc.orig).__name__}") from exc
            except SQLAlchemyError as exc:
                raise StoreUnavailable(f"database unavailable: {type(exc).__name__}") from exc
        raise StoreUnavailable("the database stayed busy; nothing was written")

    @staticmethod
    def _concern_row(session: Session, org: str, reference: str) -> ConcernRow:
        row = session.execute(select(ConcernRow).where(
            ConcernRow.org == org, ConcernRow.reference == reference)).scalar_one_or_none()
        if row is None:
            raise NoSuchConcern(f"no concern {reference} for {org}")
        return row

    @staticmethod
    def _append(session: Session, org: str, reference: str, kind: str, actor: str, via: str,
                sealed: bytes | None, at: datetime) -> EntryRow:
        head = session.execute(select(ChainHeadRow).where(ChainHeadRow.org == org).with_for_update()).scalar_one_or_none()
        prev_seq, prev_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
        link = chain.Link(org, prev_seq + 1, reference, kind, at, actor, via, sealed, prev_hash,
                          sealed_digest=chain.payload_digest(sealed))
        digest = chain.entry_hash(link)
        entry = EntryRow(org=org, seq=link.seq, reference=reference, kind=kind, at=at, actor=actor, via=via,
                         sealed=sealed, sealed_digest=link.sealed_digest, prev_hash=prev_hash, hash=digest)
        session.add(entry)
        if head is None:
            session.add(ChainHeadRow(org=org, seq=link.seq, hash=digest))
        else:
            head.seq, head.hash = link.seq, digest
        session.flush()
        return entry


@lru_cache(maxsize=1)
def default_store() -> ConcernStore:
    """The process-wide store, configured from the environment."""
    return ConcernStore.from_env()
