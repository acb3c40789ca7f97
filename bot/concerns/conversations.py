"""Conversations at rest: encrypted, and forgetting a disclosure's words once it is filed.

Rasa keeps each conversation (its tracker) so that a restart mid-form resumes
where the worker was. Those conversations hold the child's words while the form
is being filled in, so they are encrypted like records; and once the record is
filed, every word typed or read back before filing is removed from them.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Column, DateTime, LargeBinary, MetaData, String, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from bot import clock
from bot.concerns.crypto import FieldCipher, load_keys
from bot.concerns.form import SLOTS

URL_ENV = "SAFEGUARD_CONVERSATIONS_URL"
DEFAULT_URL = "sqlite:///var/conversations.db"
REMOVED = "[removed after filing]"
FILED_MARKER_SLOT = "last_reference"

Base = declarative_base(metadata=MetaData())


class ConversationRow(Base):
    __tablename__ = "conversations"
    key = Column(String(64), primary_key=True)        # hash of the sender id
    sealed = Column(LargeBinary, nullable=False)      # {"sender_id": ..., "dialogue": ...}, encrypted
    updated_at = Column(DateTime(timezone=True), nullable=False)


def forget_filed_words(dialogue: dict[str, Any]) -> dict[str, Any]:
    """Remove from a serialised Rasa dialogue every word said before the latest filing.

    User and bot texts before the filing lose their words; narrative slots lose
    their values. Intents, actions and the organisation stay, so the dialogue
    still replays.
    """
    events = dialogue.get("events") or []
    filed_at = max((i for i, e in enumerate(events)
                    if e.get("event") == "slot" and e.get("name") == FILED_MARKER_SLOT and e.get("value")),
                   default=None)
    if filed_at is None:
        return dialogue
    cleaned = []
    for i, event in enumerate(events):
        if i < filed_at:
            event = _without_words(event)
        cleaned.append(event)
    return {**dialogue, "events": cleaned}


def _without_words(event: dict[str, Any]) -> dict[str, Any]:
    kind = event.get("event")
    if kind == "user":
        parse = dict(event.get("parse_data") or {})
        if "text" in parse:
            parse["text"] = REMOVED
        parse["entities"] = [e for e in parse.get("entities", []) if e.get("entity") in ("org_choice", "area_choice")]
        return {**event, "text": REMOVED, "parse_data": parse}
    if kind == "bot":
        return {**event, "text": REMOVED}
    if kind == "slot" and event.get("name") in SLOTS and event.get("value") is not None:
        return {**event, "value": REMOVED}
    return event


def local_engine() -> Engine:
    """The bot's local database (conversations and outbox), readable by this account only."""
    url = os.environ.get(URL_ENV, DEFAULT_URL)
    sqlite_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if sqlite_file:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        sqlite_file.touch(mode=0o600)
        sqlite_file.chmod(0o600)
    return create_engine(url, future=True, pool_pre_ping=True)


def _key(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()


class ConversationVault:
    """Encrypted conversation storage, keyed by a hash of the sender id."""

    def __init__(self, engine: Engine, cipher: FieldCipher):
        self._engine = engine
        self._cipher = cipher
        Base.metadata.create_all(engine)

    @classmethod
    def from_env(cls) -> "ConversationVault":
        return cls(local_engine(), FieldCipher(load_keys(create_if_missing=True)))

    def put(self, sender_id: str, dialogue: dict[str, Any]) -> None:
        sealed = self._cipher.seal({"sender_id": sender_id, "dialogue": json.dumps(forget_filed_words(dialogue))})
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(ConversationRow, _key(sender_id))
            if row is None:
                session.add(ConversationRow(key=_key(sender_id), sealed=sealed, updated_at=clock.utcnow()))
            else:
                row.sealed, row.updated_at = sealed, clock.utcnow()

    def get(self, sender_id: str) -> str | None:
        """The serialised dialogue (JSON text), or None."""
        with Session(self._engine, future=True) as session:
            row = session.get(ConversationRow, _key(sender_id))
            return self._cipher.open(row.sealed)["dialogue"] if row else None

    def forget(self, sender_id: str) -> bool:
        """Delete this conversation (the widget's "clear this conversation"); True if there was one."""
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(ConversationRow, _key(sender_id))
            if row is None:
                return False
            session.delete(row)
            return True

    def senders(self) -> Iterator[str]:
        with Session(self._engine, future=True) as session:
            for sealed in session.execute(select(ConversationRow.sealed)).scalars():
                yield self._cipher.open(sealed)["sender_id"]


@lru_cache(maxsize=1)
def default_vault() -> ConversationVault:
    return ConversationVault.from_env()
