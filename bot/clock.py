"""The one clock everything time-dependent reads.

`SAFEGUARD_NOW` (ISO 8601) freezes it so tests and demonstrations can ask
"what would a worker be told at 17:29 on a Friday?". A naive value means
Europe/London wall-clock time, because that is how people state times.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ENV_VAR = "SAFEGUARD_NOW"


class ClockError(ValueError):
    """SAFEGUARD_NOW (or a given moment) is not a usable ISO 8601 time."""


def parse_moment(text: str, tz: ZoneInfo = LONDON) -> datetime:
    """Parse an ISO 8601 moment; naive means local time in `tz`."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ClockError(f"not an ISO 8601 time: {text!r} (e.g. 2026-05-25T18:00)") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def now(tz: ZoneInfo = LONDON) -> datetime:
    """The current moment as an aware datetime in `tz`, honouring SAFEGUARD_NOW."""
    frozen = os.environ.get(ENV_VAR, "").strip()
    if frozen:
        return parse_moment(frozen, tz).astimezone(tz)
    return datetime.now(timezone.utc).astimezone(tz)


def utcnow() -> datetime:
    """The current moment in UTC (for stored timestamps)."""
    return now().astimezone(timezone.utc)
