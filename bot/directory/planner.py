"""who_to_call: turn a profile, a topic, an area and a moment into numbered steps.

Safety rules the planner enforces whatever a profile says:
  * immediate-danger always starts with 999;
  * a number is only ever copied from a profile, never made up: a contact without one
    becomes a step without a phone plus a note saying so;
  * anything that rests on assumed hours, or on a number from another policy, says so.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from .areas import match_area
from .bank_holidays import bank_holiday_name, next_working_day
from .hours import describe, next_change, open_state, say_moment
from .model import Area, Contact, Hours, Organisation, RouteItem
from .routes import DEFAULT_ROUTES, default_why, topic_why

_AREA_REFS = ("local_authority", "area.front_door", "area.out_of_hours", "area.lado", "area.advice")
_SOON_MIN = 60  # mention the out-of-hours line when the office closes within this many minutes


@dataclass
class Step:
    order: int
    role: str
    name: str | None
    phone: str | None
    email: str | None
    open_now: bool | None
    why: str
    source: str
    hours_assumed: bool
    opens: str
    other_phones: list[str] = field(default_factory=list)
    next_change: str | None = None  # "opens Mon 08:45" / "closes 17:30"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    org: str
    org_name: str
    at: datetime
    topic: str
    area: str | None
    area_name: str | None
    needs_area: bool
    areas: list[tuple[str, str]]
    steps: list[Step]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "org": self.org, "org_name": self.org_name, "at": self.at.isoformat(), "topic": self.topic,
            "area": self.area, "area_name": self.area_name, "needs_area": self.needs_area,
            "areas": [list(a) for a in self.areas],
            "steps": [s.to_dict() for s in self.steps], "notes": list(self.notes),
        }


class _Builder:
    """Collects steps and notes for one question; knows the org, area and moment."""

    def __init__(self, org: Organisation, topic: str, area: Area | None, local: datetime) -> None:
        self.org, self.topic, self.area, self.local = org, topic, area, local
        self.steps: list[Step] = []
        self.notes: list[str] = []
        self.missing: dict[str, list[str]] = {}
        self.needs_area = False
        self.seen: set[str] = set()
        self.used_weekly_hours = False

    # -- hours -------------------------------------------------------------------------------
    def resolve(self, ref: str) -> Hours | None:
        if ref == "front_door" and self.area and self.area.front_door and self.area.front_door.hours:
            return self.area.front_door.hours
        return self.org.office_hours

    def state(self, contact: Contact):
        return open_state(contact.hours, self.local, self.resolve)

    # -- notes -------------------------------------------------------------------------------
    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def _source_file(self, contact: Contact) -> str:
        return contact.source.split("§")[0].strip()

    # -- steps -------------------------------------------------------------------------------
    def add(self, contact: Contact, why: str) -> None:
        if contact.key in self.seen:
            return
        self.seen.add(contact.key)
        st = self.state(contact)
        change = next_change(contact.hours, self.local, self.resolve) if contact.hours else None
        change_text = None
        if change is not None and st.open is not None:
            change_text = f"{'closes' if st.open else 'opens'} {say_moment(change, self.local)}"
        opens = describe(contact.hours, self.resolve)
        if contact.hours is not None and contact.hours.kind != "always":
            self.used_weekly_hours = True
        self.steps.append(Step(
            order=len(self.steps) + 1, role=contact.role, name=contact.name, phone=contact.phone,
            email=contact.email, open_now=st.open, why=why, source=contact.source, hours_assumed=st.assumed,
            opens=opens, other_phones=list(contact.other_phones), next_change=change_text))
        if contact.phone is None:
            self.missing.setdefault(contact.missing_reason or "", []).append(contact.label)
        if st.assumed:
            self.note(f"Hours for {contact.label} are assumed ({opens}), not stated in the policy: "
                      "check with your lead.")
        if contact.note:
            self.note(contact.note)
        elif contact.phone and contact.phone not in ("999", "112") and self._source_file(contact) != self.org.policy:
            self.note(f"{contact.phone} for {contact.label} is not in {self.org.name}'s policy; it comes from "
                      f"{self._source_file(contact)}. Check it with your lead.")

    def why(self, item: RouteItem, contact: Contact, kind: str) -> str:
        # the route's words, then the topic's own default, then the contact's, then the generic one
        text = item.why or topic_why(self.topic, kind) or contact.why or default_why(self.topic, kind) or contact.role
        return text.replace("{area}", self.area.name if self.area else "the area")

    def expand(self, item: RouteItem) -> None:
        if item.note:
            self.note(item.note)
            return
        if item.when_closed:
            target = self.lookup(item.when_closed)
            if target is not None and self.state(target).open is True:
                return
        ref = item.ref or ""
        if ref == "leads":
            for i, lead in enumerate(self.org.leads):
                if i == 0:
                    self.add(lead, self.why(item, lead, "lead"))
                else:
                    self.add(lead, lead.why or item.why_others or default_why(self.topic, "lead_others") or "")
            return
        if ref == "local_authority":
            self.local_authority(item)
            return
        if ref in _AREA_REFS and self.area is None:
            if len(self.org.areas) > 1:
                self.needs_area = True
            if ref == "area.out_of_hours" and self.org.out_of_hours:
                self.add(self.org.out_of_hours, self.why(item, self.org.out_of_hours, "out_of_hours"))
            return
        if ref == "area.advice":
            for c in self.area.advice if self.area else ():
                self.add(c, c.why or c.role)
            return
        contact = self.lookup(ref)
        if contact is None:
            if ref == "area.lado" and self.area is not None:
                self.note(f"This policy gives no LADO for {self.area.name}: ask your lead or the local "
                          "authority's front door for the LADO's number.")
            return
        kind = ref.split(".")[-1]
        why = self.why(item, contact, kind)
        if item.deadline == "one_working_day":
            why = f"{why} Deadline: {self.one_working_day()}."
        self.add(contact, why)

    def lookup(self, ref: str) -> Contact | None:
        kind, _, key = ref.partition(".")
        if kind == "emergency":
            return self.org.police_emergency
        if kind == "police":
            return self.org.police_non_emergency
        if kind == "contacts":
            return self.org.contacts.get(key)
        if kind == "national":
            return self.org.national.get(key)
        if kind == "area" and self.area is not None:
            if key == "out_of_hours":
                return self.area.out_of_hours or self.org.out_of_hours
            return getattr(self.area, key, None)
        if kind == "area" and key == "out_of_hours":
            return self.org.out_of_hours
        return None

    def local_authority(self, item: RouteItem) -> None:
        """The front door while it is open, else the out-of-hours team (then the front door
        for when it reopens)."""
        fd = self.area.front_door if self.area else None
        ooh = (self.area.out_of_hours if self.area else None) or self.org.out_of_hours
        why_fd = item.why_front_door or item.why
        why_ooh = item.why_out_of_hours or item.why
        if self.area is None and len(self.org.areas) > 1:
            self.needs_area = True
            if ooh is not None and self.state(ooh).open is not False:
                self.add(ooh, self._why(why_ooh, ooh, "out_of_hours"))
            return
        fd_open = self.state(fd).open if fd else None
        if fd is not None and fd_open is True:
            self.add(fd, self._why(why_fd, fd, "front_door"))
            change = next_change(fd.hours, self.local, self.resolve)
            if ooh is not None and change is not None and (change - self.local).total_seconds() <= _SOON_MIN * 60:
                self.add(ooh, self._why(why_ooh, ooh, "out_of_hours"))
        elif fd_open is False:
            if ooh is not None:
                self.add(ooh, self._why(why_ooh, ooh, "out_of_hours"))
            self.add(fd, self._why(why_fd, fd, "front_door"))
        else:
            for c, w, k in ((fd, why_fd, "front_door"), (ooh, why_ooh, "out_of_hours")):
                if c is not None:
                    self.add(c, self._why(w, c, k))

    def _why(self, override: str | None, contact: Contact, kind: str) -> str:
        return self.why(RouteItem(why=override), contact, kind)

    def one_working_day(self) -> str:
        # Received on a working day or not, one working day runs to the end of the next one.
        due = next_working_day(self.local.date())
        return f"no later than the end of {due:%A} {due.day} {due:%B}"

    # -- finish ------------------------------------------------------------------------------
    def finish(self) -> None:
        if self.topic == "immediate-danger" and (not self.steps or self.steps[0].phone != "999"):
            # 999 first, always: a profile cannot route around it
            self.seen.discard(self.org.police_emergency.key)
            self.steps = [s for s in self.steps if s.phone != "999"]
            self.add(self.org.police_emergency, default_why(self.topic, "emergency") or "")
            self.steps.insert(0, self.steps.pop())
        for i, s in enumerate(self.steps, 1):
            s.order = i
        missing = []
        for reason, labels in self.missing.items():
            names = _and(labels)
            missing.append(f"This policy gives no phone number for {names}"
                           + (f" ({reason})" if reason else "") + ": ask your manager for it.")
        self.notes = missing + self.notes
        holiday = bank_holiday_name(self.local.date())
        if holiday and self.used_weekly_hours:
            self.note(f"Today is a bank holiday ({holiday}): offices that keep weekday hours are closed.")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def build_plan(org: Organisation, topic: str, area_text: str | None, local: datetime) -> Plan:
    area, area_notes = _choose_area(org, area_text)
    b = _Builder(org, topic, area, local)
    for text in area_notes:
        b.note(text)
    for item in org.routes.get(topic) or DEFAULT_ROUTES[topic]:
        b.expand(item)
    if area is not None:
        for text in area.notes:
            b.note(text)
    b.finish()
    if b.needs_area:
        names = ", ".join(a.name for a in org.areas)
        b.notes.insert(0, f"Which area does the child live in ({names})? The local numbers depend on it.")
    return Plan(org=org.id, org_name=org.name, at=local, topic=topic, area=area.id if area else None,
                area_name=area.name if area else None, needs_area=b.needs_area,
                areas=[(a.id, a.name) for a in org.areas], steps=b.steps, notes=b.notes)


def _choose_area(org: Organisation, area_text: str | None) -> tuple[Area | None, list[str]]:
    notes: list[str] = []
    if area_text and area_text.strip():
        found = match_area(org, area_text)
        if found:
            return found, notes
        notes.append(f"{area_text.strip()!r} is not one of the areas in this policy "
                     f"({', '.join(a.name for a in org.areas)}).")
    if len(org.areas) == 1:
        return org.areas[0], notes
    if org.default_area:
        area = org.area(org.default_area)
        others = _and([a.name for a in org.areas if a.id != org.default_area])
        notes.append(f"These are the {area.name} numbers, the area this policy is written for. "
                     f"{others} have their own numbers: say if the child lives there.")
        return area, notes
    return None, notes
