"""Telling the safeguarding lead that a concern was filed.

Alerts carry the reference and organisation only, never the child's name or
words. Delivery by Telegram and email, with escalation, plugs in here.
"""
from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("safeguard.alerts")


class Notifier(Protocol):
    delivers: bool   # True only when the lead is really told (Telegram, email); the worker is told which

    def new_concern(self, org: str, reference: str) -> None: ...


class LogNotifier:
    """Default until delivery exists: an alert line in the log. It tells no one, so `delivers` is False."""

    delivers = False

    def new_concern(self, org: str, reference: str) -> None:
        log.warning("ALERT new concern %s for %s: open the inbox", reference, org)


_notifier: Notifier = LogNotifier()


def notifier() -> Notifier:
    return _notifier


def set_notifier(n: Notifier) -> None:
    global _notifier
    _notifier = n
