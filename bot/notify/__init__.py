"""Telling the safeguarding lead that a concern was filed.

Alerts carry the reference, urgency, organisation, time and a link, never the
child's name or words. Where an organisation's profile lists `alerts`
recipients that can be reached (email by SMTP, Telegram once registered), the
alert engine (bot.notify.engine) plans them in the records database and the
alerts worker (`python -m bot alerts run`) sends and escalates them.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger("safeguard.alerts")


class Notifier(Protocol):
    delivers: bool   # True only when the lead is really told (Telegram, email); the worker is told which

    def new_concern(self, org: str, reference: str, worker: Any = None) -> None: ...


class LogNotifier:
    """An alert line in the log. It tells no one, so `delivers` is False."""

    delivers = False

    def new_concern(self, org: str, reference: str, worker: Any = None) -> None:
        log.warning("ALERT new concern %s for %s: open the inbox", reference, org)

    def delivers_for(self, org: str) -> bool:
        return False


class AlertNotifier(LogNotifier):
    """The default: the log line, and escalating alerts for organisations whose leads can be reached."""

    delivers = False   # per organisation: see delivers_for

    def __init__(self, store=None):
        self._store = store

    def _engine(self):
        from bot.concerns.store import default_store
        from bot.notify.engine import AlertEngine
        return AlertEngine(self._store or default_store())

    def new_concern(self, org: str, reference: str, worker: Any = None) -> None:
        """`worker`: a WorkerContact, told to ring someone themselves if no lead acknowledges."""
        super().new_concern(org, reference)
        try:
            self._engine().schedule(org, reference, worker)
        except Exception:   # the record is filed; the worker is still told to ring their lead
            log.exception("could not plan alerts for %s (%s)", reference, org)

    def delivers_for(self, org: str) -> bool:
        try:
            return self._engine().delivers_for(org)
        except Exception:
            log.exception("could not check alert delivery for %s", org)
            return False


_notifier: Notifier = AlertNotifier()


def notifier() -> Notifier:
    return _notifier


def set_notifier(n: Notifier) -> None:
    global _notifier
    _notifier = n


def delivers_for(n: Notifier, org: str) -> bool:
    """Whether `n` really tells someone at `org` (per organisation when it can say so)."""
    check = getattr(n, "delivers_for", None)
    return bool(check(org)) if callable(check) else bool(getattr(n, "delivers", False))
