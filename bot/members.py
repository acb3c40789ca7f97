"""Which organisation a chat user belongs to, remembered across restarts.

A Telegram join link (`/start grange-primary`) sets it once; every message after
that carries the organisation to Rasa as channel metadata, which typed payloads
cannot override (bot.session). Users are known by a keyed hash of their id.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot import clock
from bot.concerns.model import ButtonPayloadRow, ChannelMemberRow
from bot.concerns.store import ConcernStore


@dataclass(frozen=True)
class Membership:
    org: str
    area: str | None = None


def user_key(channel: str, user_id: int | str, secret: bytes) -> str:
    """A stable pseudonym for a channel user: also the Rasa sender id, so no raw id is stored."""
    return hmac.new(secret, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()[:40]


class Members:
    def __init__(self, store: ConcernStore, channel: str):
        self._engine, self._channel = store.engine, channel

    def get(self, key: str) -> Membership | None:
        with Session(self._engine, future=True) as session:
            row = session.get(ChannelMemberRow, (self._channel, key))
            return Membership(row.org, row.area) if row else None

    def join(self, key: str, org: str, area: str | None = None) -> None:
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(ChannelMemberRow, (self._channel, key))
            if row is None:
                session.add(ChannelMemberRow(channel=self._channel, user_key=key, org=org, area=area,
                                             updated_at=clock.utcnow()))
            else:
                row.org, row.area, row.updated_at = org, area, clock.utcnow()

    def set_area(self, key: str, area: str | None) -> None:
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(ChannelMemberRow, (self._channel, key))
            if row is not None:
                row.area, row.updated_at = area, clock.utcnow()

    def leave(self, key: str) -> None:
        with Session(self._engine, future=True) as session, session.begin():
            session.execute(delete(ChannelMemberRow).where(ChannelMemberRow.channel == self._channel,
                                                           ChannelMemberRow.user_key == key))


class ButtonPayloads:
    """Payloads over Telegram's 64-byte callback limit, stored by hash (intents only, no content)."""

    LIMIT = 64

    def __init__(self, store: ConcernStore):
        self._engine = store.engine

    def encode(self, payload: str) -> str:
        if len(payload.encode()) <= self.LIMIT and not payload.startswith("#"):
            return payload
        key = "#" + hashlib.sha256(payload.encode()).hexdigest()[:20]
        with Session(self._engine, future=True) as session, session.begin():
            if session.get(ButtonPayloadRow, key) is None:
                session.add(ButtonPayloadRow(key=key, payload=payload))
        return key

    def decode(self, data: str) -> str | None:
        if not data.startswith("#"):
            return data
        with Session(self._engine, future=True) as session:
            row = session.get(ButtonPayloadRow, data)
            return row.payload if row else None
