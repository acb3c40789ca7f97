"""Filing and reading concern records.

Filing is idempotent on the draft's key: a retried request (an action server
restart, a double tap) returns the record already filed instead of a second one.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns.crypto import FieldCipher, load_keys
from bot.concerns.form import SLOTS
from bot.concerns.model import Base, ConcernReadRow, ConcernRow

log = logging.getLogger(__name__)

DB_URL_ENV = "SAFEGUARD_DATABASE_URL"
DEFAULT_DB_URL = "sqlite:///var/safeguard.db"


class StoreUnavailable(RuntimeError):
    """The database cannot be reached; the caller must keep the draft and say so."""


@dataclass(frozen=True)
class Draft:
    org: str
    fields: dict[str, str]
    channel: str
    sender_id: str
    key: str          # idempotency key, one per form run


@dataclass(frozen=True)
class Filed:
    reference: str
    org: str
    filed_at: datetime
    created: bool     # False when this draft had been filed already


@dataclass(frozen=True)
class Concern:
    reference: str
    org: str
    filed_at: datetime
    channel: str
    status: str
    fields: dict[str, str]


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

    def create_schema(self) -> None:
        try:
            Base.metadata.create_all(self._engine)
        except OperationalError as exc:
            raise StoreUnavailable(f"database unavailable: {exc.orig}") from exc

    def file(self, draft: Draft) -> Filed:
        """Store a concern once, numbering it SG-<year>-<nnnnnn> within its organisation."""
        fields = {slot: draft.fields.get(slot) or "" for slot in SLOTS}
        sealed = self._cipher.seal(fields)
        for _attempt in range(5):
            try:
                with Session(self._engine, future=True) as session, session.begin():
                    existing = session.execute(
                        select(ConcernRow).where(ConcernRow.idempotency_key == draft.key)
                    ).scalar_one_or_none()
                    if existing is not None:
                        return Filed(existing.reference, existing.org, _utc(existing.filed_at), False)
                    now = clock.utcnow()
                    year = clock.now().year
                    last = session.execute(
                        select(func.max(ConcernRow.sequence)).where(ConcernRow.org == draft.org,
                                                                    ConcernRow.year == year)
                    ).scalar_one()
                    sequence = (last or 0) + 1
                    reference = format_reference(year, sequence)
                    session.add(ConcernRow(
                        org=draft.org, reference=reference, year=year,
                        sequence=sequence, filed_at=now, channel=draft.channel,
                        reporter_identity=hash_identity(draft.channel, draft.sender_id),
                        idempotency_key=draft.key, status="new", sealed=sealed,
                    ))
                log.info("concern filed: org=%s reference=%s", draft.org, reference)
                return Filed(reference, draft.org, now, True)
            except IntegrityError:
                continue   # another filing took the number or the key; look again
            except (OperationalError, SQLAlchemyError) as exc:
                raise StoreUnavailable(f"database unavailable: {type(exc).__name__}") from exc
        raise StoreUnavailable("could not number the record after several attempts")

    def read(self, org: str, reference: str, reader: str, via: str) -> Concern | None:
        """Decrypt one record, logging the read before returning it."""
        try:
            with Session(self._engine, future=True) as session, session.begin():
                row = session.execute(
                    select(ConcernRow).where(ConcernRow.org == org, ConcernRow.reference == reference)
                ).scalar_one_or_none()
                if row is None:
                    return None
                session.add(ConcernReadRow(concern_id=row.id, reader=reader, via=via, read_at=clock.utcnow()))
                return Concern(row.reference, row.org, _utc(row.filed_at), row.channel, row.status,
                               self._cipher.open(row.sealed))
        except (OperationalError, SQLAlchemyError) as exc:
            raise StoreUnavailable(f"database unavailable: {type(exc).__name__}") from exc

    def reads_of(self, org: str, reference: str) -> list[tuple[str, str, datetime]]:
        with Session(self._engine, future=True) as session:
            rows = session.execute(
                select(ConcernReadRow.reader, ConcernReadRow.via, ConcernReadRow.read_at)
                .join(ConcernRow, ConcernRow.id == ConcernReadRow.concern_id)
                .where(ConcernRow.org == org, ConcernRow.reference == reference)
                .order_by(ConcernReadRow.id)
            ).all()
        return [(r, v, _utc(t)) for r, v, t in rows]

    def count(self, org: str | None = None) -> int:
        with Session(self._engine, future=True) as session:
            stmt = select(func.count(ConcernRow.id))
            if org:
                stmt = stmt.where(ConcernRow.org == org)
            return session.execute(stmt).scalar_one()


def _utc(moment: datetime) -> datetime:
    """SQLite drops tzinfo; stored values are UTC by contract."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@lru_cache(maxsize=1)
def default_store() -> ConcernStore:
    """The process-wide store, configured from the environment."""
    return ConcernStore.from_env()
