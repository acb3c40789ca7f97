"""Who to call, when and where: the safeguarding directory.

Plain Python with no Rasa, Telegram or HTTP imports, so Rasa actions, the web API and
the CLI can all ask the same question and get the same answer in milliseconds.
"""
from __future__ import annotations

from datetime import datetime

from .. import clock
from .areas import mentioned_area
from .errors import ProfileError, UnknownOrganisation, UnknownTopic
from .formatting import format_brief, format_plan
from .loader import load_all, load_org, org_ids
from .model import Contact, Organisation
from .planner import Plan, Step, build_plan
from .routes import normalise_topic
from .schema import TOPICS

__all__ = [
    "TOPICS", "ProfileError", "UnknownOrganisation", "UnknownTopic", "Plan", "Step", "Contact", "Organisation",
    "org_ids", "load_org", "load_all", "who_to_call", "format_plan", "format_brief", "find_area", "safeguarding_leads",
]


def who_to_call(org_id: str, topic: str = "concern", area: str | None = None,
                at: datetime | None = None) -> Plan:
    """The numbered steps for `topic` at `org_id`, for the moment `at` (default: the clock).

    A naive `at` is wall-clock time in the organisation's time zone, as people say times.
    """
    org = load_org(org_id)
    key = normalise_topic(topic)
    if at is None:
        local = clock.now(org.timezone)
    elif at.tzinfo is None:
        local = at.replace(tzinfo=org.timezone)
    else:
        local = at.astimezone(org.timezone)
    return build_plan(org, key, area, local)


def find_area(org_id: str, text: str) -> str | None:
    """The id of the first of the organisation's areas named in free text, or None."""
    found = mentioned_area(load_org(org_id), text or "")
    return found.id if found else None


def safeguarding_leads(org_id: str) -> list[Contact]:
    """The lead then the deputies, in the policy's order (whom to alert)."""
    return list(load_org(org_id).leads)
