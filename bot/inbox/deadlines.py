"""The profile's time limits, as reminders on a concern until a lead marks each done.

A rule starts when a lead records the decision it belongs to (e.g. refer to
children's social care, then follow up in writing within 24 hours); its clock
runs from that decision or from the concern's filing, as the policy says.
Working days skip weekends and England-and-Wales bank holidays.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.directory.bank_holidays import next_working_day
from bot.directory.model import DeadlineRule, Organisation


@dataclass(frozen=True)
class Reminder:
    rule: DeadlineRule
    due: datetime                   # aware, UTC
    done_at: datetime | None = None
    done_by: str | None = None

    def state(self, now: datetime) -> str:
        if self.done_at is not None:
            return "done"
        return "overdue" if now > self.due else "due"


def due_at(org: Organisation, rule: DeadlineRule, start: datetime) -> datetime:
    """When the rule's time is up: a number of hours later, or the end of the Nth working day after."""
    if rule.hours is not None:
        return start + timedelta(hours=rule.hours)
    day: date = start.astimezone(org.timezone).date()
    for _ in range(rule.working_days or 1):
        day = next_working_day(day)
    return datetime.combine(day, time(23, 59), tzinfo=org.timezone).astimezone(start.tzinfo)


def reminders(org: Organisation, filed_at: datetime,
              entries: list[tuple[str, datetime, dict, str]]) -> list[Reminder]:
    """Reminders from a concern's casework entries: (kind, at, payload, actor), oldest first."""
    out: list[Reminder] = []
    for rule in org.deadlines:
        decided = next((at for kind, at, payload, _ in entries
                        if kind == "decision" and payload.get("decision") == rule.decision), None)
        if decided is None:
            continue
        met = next(((at, actor) for kind, at, payload, actor in entries
                    if kind == "deadline_met" and payload.get("rule") == rule.id), None)
        start = filed_at if rule.start == "filed" else decided
        out.append(Reminder(rule, due_at(org, rule, start), *(met or (None, None))))
    return out
