"""Concern records: the form, encryption at rest, filing and audited reading."""
from bot.concerns.store import ConcernStore, Draft, Filed, StoreUnavailable, default_store

__all__ = ["ConcernStore", "Draft", "Filed", "StoreUnavailable", "default_store"]
