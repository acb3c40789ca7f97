"""The validated, immutable shape of an organisation profile.

Everything here is built by `schema.py` from YAML; nothing else constructs these,
so code that holds an `Organisation` can trust every field without re-checking.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class WeeklyRule:
    """Open on `days` (0 = Monday) from `open_min` to `close_min` minutes after midnight."""

    days: tuple[int, ...]
    open_min: int
    close_min: int


@dataclass(frozen=True)
class Hours:
    """When a line answers.

    kind is one of:
      "always"      - 24 hours, every day;
      "weekly"      - `rules`, with bank holidays `closed` or `open`;
      "same_as"     - the same hours as `ref` ("office_hours" or "front_door");
      "when_closed" - open exactly when `ref` is closed (out-of-hours lines).
    """

    kind: str
    source: str
    rules: tuple[WeeklyRule, ...] = ()
    bank_holidays: str = "closed"
    bank_holidays_assumed: bool = False
    ref: str | None = None
    assumed: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Contact:
    """A person, team or line the bot may tell someone to ring."""

    key: str  # where it lives in the profile, e.g. "areas[1].lado"
    role: str
    source: str
    name: str | None = None
    phone: str | None = None
    other_phones: tuple[str, ...] = ()
    email: str | None = None
    url: str | None = None
    hours: Hours | None = None
    missing_reason: str | None = None
    as_written: str | None = None
    why: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})" if self.name else self.role


@dataclass(frozen=True)
class Area:
    """A local authority the organisation works in, with its own front door and LADO."""

    id: str
    name: str
    aliases: tuple[str, ...]
    source: str
    local_authority: str | None = None
    front_door: Contact | None = None
    out_of_hours: Contact | None = None
    lado: Contact | None = None
    advice: tuple[Contact, ...] = ()
    url: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteItem:
    """One entry of a topic's route: a contact reference, or a note to pass on.

    `when_closed` keeps the item only while another contact is closed (e.g. the
    out-of-hours team only while the LADO is shut); `deadline` adds a computed date.
    """

    ref: str | None = None
    why: str | None = None
    why_others: str | None = None
    why_front_door: str | None = None
    why_out_of_hours: str | None = None
    when_closed: str | None = None
    deadline: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Retention:
    """How long concern records are kept, as the policy states it."""
    years: int
    after: str        # "last_entry" (last contact), "filed", or "date_of_birth"
    source: str
    note: str | None = None


@dataclass(frozen=True)
class DeadlineRule:
    """A time limit the policy sets once a lead decides something (e.g. tell the LADO within one working day).

    It becomes a reminder on the concern, shown in the inbox until a lead marks it done.
    """
    id: str
    decision: str               # the decision that starts it: refer_social_care, lado, police, ...
    start: str                  # "filed" (the concern) or "decision" (the decision's time)
    what: str
    source: str
    hours: int | None = None
    working_days: int | None = None


@dataclass(frozen=True)
class AlertRecipient:
    """Someone alerted when a concern is filed, in the profile's order (the lead first)."""
    role: str
    name: str
    email: str | None = None
    telegram: bool = False      # by Telegram direct message, once they have registered with a code

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})"


@dataclass(frozen=True)
class Alerts:
    """Whom to alert, in order, and how long each has to acknowledge before the next is alerted."""
    recipients: tuple[AlertRecipient, ...]
    urgent_minutes: int = 15
    standard_minutes: int = 240
    note: str | None = None

    def window_minutes(self, urgency: str) -> int:
        return self.urgent_minutes if urgency == "urgent" else self.standard_minutes


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    policy: str
    path: str
    timezone: ZoneInfo
    office_hours: Hours
    leads: tuple[Contact, ...]
    areas: tuple[Area, ...]
    police_emergency: Contact
    police_non_emergency: Contact | None = None
    out_of_hours: Contact | None = None
    contacts: dict[str, Contact] = field(default_factory=dict)
    national: dict[str, Contact] = field(default_factory=dict)
    routes: dict[str, tuple[RouteItem, ...]] = field(default_factory=dict)
    default_area: str | None = None
    telegram_records: str = "chat"
    policy_date: str | None = None
    notes: tuple[str, ...] = ()
    retention: Retention | None = None
    alerts: Alerts | None = None
    deadlines: tuple[DeadlineRule, ...] = ()

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)
