"""Records waiting to be filed while the records database is unreachable.

The outbox lives beside the conversations (a local database), encrypted. A
watcher started by `make run` files what it holds once the records database
answers again; the draft's idempotency key makes that safe to repeat, even if
the worker also taps "try again".
"""
from __future__ import annotations

import logging
from dataclasses import asdict
from functools import lru_cache

from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from bot import clock, notify
from bot.concerns.conversations import local_engine
from bot.concerns.crypto import FieldCipher, load_keys
from bot.concerns.store import ConcernStore, Draft, Filed, StoreUnavailable

log = logging.getLogger(__name__)
Base = declarative_base(metadata=MetaData())


class OutboxRow(Base):
    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    key = Column(String(128), nullable=False, unique=True)    # the draft's idempotency key
    org = Column(String(64), nullable=False)
    sealed = Column(LargeBinary, nullable=False)
    queued_at = Column(DateTime(timezone=True), nullable=False)


class Outbox:
    def __init__(self, engine: Engine, cipher: FieldCipher):
        self._engine = engine
        self._cipher = cipher
        Base.metadata.create_all(engine)

    @classmethod
    def from_env(cls) -> "Outbox":
        return cls(local_engine(), FieldCipher(load_keys(create_if_missing=True)))

    def put(self, draft: Draft) -> None:
        """Keep a draft until it can be filed; keeping the same draft twice keeps it once."""
        with Session(self._engine, future=True) as session, session.begin():
            exists = session.execute(select(OutboxRow.id).where(OutboxRow.key == draft.key)).first()
            if not exists:
                session.add(OutboxRow(key=draft.key, org=draft.org, sealed=self._cipher.seal(asdict(draft)),
                                      queued_at=clock.utcnow()))
        log.warning("records database unreachable: concern for %s kept in the outbox", draft.org)

    def pending(self) -> int:
        with Session(self._engine, future=True) as session:
            return len(session.execute(select(OutboxRow.id)).all())

    def flush(self, store: ConcernStore) -> list[Filed]:
        """File everything waiting, oldest first; stop at the first sign the database is still down."""
        filed: list[Filed] = []
        with Session(self._engine, future=True) as session:
            waiting = [(row.id, row.sealed) for row in
                       session.execute(select(OutboxRow).order_by(OutboxRow.id)).scalars()]
        for row_id, sealed in waiting:
            try:
                result = store.file(Draft(**self._cipher.open(sealed)))
            except StoreUnavailable:
                break
            with Session(self._engine, future=True) as session, session.begin():
                session.execute(delete(OutboxRow).where(OutboxRow.id == row_id))
            if result.created:
                notify.notifier().new_concern(result.org, result.reference)
            log.info("outbox: filed %s for %s", result.reference, result.org)
            filed.append(result)
        return filed


@lru_cache(maxsize=1)
def default_outbox() -> Outbox:
    return Outbox.from_env()
