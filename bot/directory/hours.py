"""Is a line open at a given local moment, and how to say its hours in a few words.

Out-of-hours lines are stored as "open when the office is closed" rather than as
their own overnight ranges, so the two can never overlap or leave a gap.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from .bank_holidays import bank_holiday_name
from .model import DAY_NAMES, Hours, WeeklyRule

Resolver = Callable[[str], "Hours | None"]
WEEK = 7 * 1440


class OpenState:
    """Open now? (True/False/None for unknown) and whether that rests on assumed hours."""

    __slots__ = ("open", "assumed")

    def __init__(self, open_: bool | None, assumed: bool) -> None:
        self.open, self.assumed = open_, assumed


def open_state(hours: Hours | None, local: datetime, resolve: Resolver, _depth: int = 0) -> OpenState:
    """Whether `hours` are open at the wall-clock moment `local` (already in the org's zone)."""
    if hours is None or _depth > 4:
        return OpenState(None, False)
    if hours.kind == "always":
        return OpenState(True, hours.assumed)
    if hours.kind in ("same_as", "when_closed"):
        inner = open_state(resolve(hours.ref or ""), local, resolve, _depth + 1)
        state = inner.open if hours.kind == "same_as" or inner.open is None else not inner.open
        return OpenState(state, hours.assumed or inner.assumed)
    if bank_holiday_name(local.date()) is not None and hours.bank_holidays == "closed":
        return OpenState(False, hours.assumed or hours.bank_holidays_assumed)
    minute = local.hour * 60 + local.minute
    day = local.weekday()
    is_open = any(day in r.days and r.open_min <= minute < r.close_min for r in hours.rules)
    return OpenState(is_open, hours.assumed)


def base_weekly(hours: Hours | None, resolve: Resolver, _depth: int = 0) -> Hours | None:
    """The weekly rules at the bottom of a same_as / when_closed chain."""
    if hours is None or _depth > 4:
        return None
    if hours.kind in ("same_as", "when_closed"):
        return base_weekly(resolve(hours.ref or ""), resolve, _depth + 1)
    return hours


def next_change(hours: Hours | None, local: datetime, resolve: Resolver) -> datetime | None:
    """The next local moment (within a fortnight) at which open/closed flips, if any."""
    base = base_weekly(hours, resolve)
    if base is None or base.kind == "always":
        return None
    now = open_state(hours, local, resolve).open
    if now is None:
        return None
    marks = sorted({m for r in base.rules for m in (r.open_min, r.close_min)} | {0})
    day0 = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    for offset in range(15):
        day = day0 + timedelta(days=offset)
        for m in marks:
            candidate = (day + timedelta(minutes=m)).replace(tzinfo=local.tzinfo)
            if candidate <= local:
                continue
            if open_state(hours, candidate, resolve).open != now:
                return candidate
    return None


def _day_ranges(days: list[int]) -> str:
    """[0,1,2,3] -> 'Mon–Thu'; [0,2] -> 'Mon, Wed'."""
    parts, run = [], [days[0]]
    for d in days[1:]:
        if d == run[-1] + 1:
            run.append(d)
        else:
            parts.append(run)
            run = [d]
    parts.append(run)
    return ", ".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}–{DAY_NAMES[r[-1]]}" for r in parts)


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _describe_rules(rules: tuple[WeeklyRule, ...]) -> str:
    by_times: dict[tuple[int, int], list[int]] = {}
    for r in rules:
        by_times.setdefault((r.open_min, r.close_min), []).extend(r.days)
    groups = sorted(by_times.items(), key=lambda kv: min(kv[1]))
    return ", ".join(f"{_day_ranges(sorted(days))} {_hm(o)}–{_hm(c)}" for (o, c), days in groups)


def _describe_complement(rules: tuple[WeeklyRule, ...]) -> str:
    """Say when a line is open if it answers whenever `rules` are closed."""
    spans = sorted((d * 1440 + r.open_min, d * 1440 + r.close_min) for r in rules for d in r.days)
    if not spans:
        return "24 hours"
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    overnight: dict[tuple[int, int], list[int]] = {}
    longer: list[str] = []
    for i, (_, end) in enumerate(merged):
        start_next = merged[(i + 1) % len(merged)][0] + (WEEK if i + 1 == len(merged) else 0)
        if start_next <= end:
            continue
        sd, st = (end // 1440) % 7, end % 1440
        ed, et = (start_next // 1440) % 7, start_next % 1440
        if start_next - end < 1440 and ed == (sd + 1) % 7:
            overnight.setdefault((st, et), []).append(sd)
        elif start_next - end < 1440 and ed == sd:
            overnight.setdefault((st, et), []).append(sd)
        else:
            longer.append(f"{DAY_NAMES[sd]} {_hm(st)} – {DAY_NAMES[ed]} {_hm(et)}")
    parts = [f"{_day_ranges(sorted(days))} {_hm(s)}–{_hm(e)}" for (s, e), days in
             sorted(overnight.items(), key=lambda kv: min(kv[1]))]
    return ", ".join(parts + longer)


def describe(hours: Hours | None, resolve: Resolver) -> str:
    """Short human text: '24 hours', 'Mon–Thu 08:45–17:30, Fri 08:45–16:30', ..."""
    if hours is None:
        return "hours not stated in the policy"
    if hours.kind == "always":
        return "24 hours"
    if hours.kind == "same_as":
        return describe(resolve(hours.ref or ""), resolve)
    if hours.kind == "when_closed":
        base = base_weekly(hours, resolve)
        if base is None:
            return "when the office is closed"
        if base.kind == "always":
            return "never (the office is always open)"
        text = _describe_complement(base.rules)
        return text + (", and all day on bank holidays" if base.bank_holidays == "closed" else "")
    text = _describe_rules(hours.rules)
    return text + (" (bank holidays too)" if hours.bank_holidays == "open" else "")


def say_moment(moment: datetime, now: datetime) -> str:
    """'17:30' today, 'Mon 08:45' within a week, else 'Tue 29 Dec 08:45'."""
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if (moment.date() - now.date()).days < 7:
        return f"{moment:%a} {moment:%H:%M}"
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"
