"""Rasa tracker store on bot.concerns.conversations: encrypted, and forgets filed words.

Configured in endpoints.yml. It reuses Rasa's in-memory store for session
handling and swaps its dictionary for the encrypted vault.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Iterator, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.concerns.conversations import ConversationVault, default_vault


class _VaultMapping:
    """The mapping InMemoryTrackerStore reads and writes, backed by the vault."""

    def __init__(self, vault: ConversationVault):
        self._vault = vault

    def __contains__(self, sender_id: object) -> bool:
        return isinstance(sender_id, str) and self._vault.get(sender_id) is not None

    def __getitem__(self, sender_id: str) -> str:
        found = self._vault.get(sender_id)
        if found is None:
            raise KeyError(sender_id)
        return found

    def __setitem__(self, sender_id: str, serialised: str) -> None:
        self._vault.put(sender_id, json.loads(serialised))

    def keys(self) -> Iterator[str]:
        return self._vault.senders()


class EncryptedTrackerStore(InMemoryTrackerStore):
    def __init__(self, domain: Domain, host: Optional[Text] = None, event_broker: Optional[EventBroker] = None,
                 **kwargs: Dict[Text, Any]) -> None:
        super().__init__(domain, event_broker)
        self.store = _VaultMapping(default_vault())  # type: ignore[assignment]

    async def keys(self) -> Iterable[Text]:
        return list(self.store.keys())

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        self.store[tracker.sender_id] = self.serialise_tracker(tracker)
