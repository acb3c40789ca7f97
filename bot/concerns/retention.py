"""Which records have passed their organisation's retention date, and erasing them on request.

Nothing here runs by itself: an organisation without a `retention` rule in its
profile has nothing due, and erasing needs an explicit command and confirmation.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta

from bot import directory
from bot.concerns.store import ConcernStore


@dataclass(frozen=True)
class Review:
    reference: str
    counted_from: datetime | None
    due: datetime | None
    status: str           # "due", "kept", "cannot tell", "erased"
    why: str


def review(store: ConcernStore, org: str, now: datetime) -> tuple[directory.model.Retention | None, list[Review]]:
    rule = directory.load_org(org).retention
    records = store.last_activity(org)
    if rule is None:
        return None, [Review(ref, None, None, "kept", "this organisation's profile sets no retention rule")
                      for ref, _, _, _ in records]
    out = []
    for reference, filed_at, last_entry, erased in records:
        if erased:
            out.append(Review(reference, None, None, "erased", "already erased; its tombstone remains"))
            continue
        if rule.after == "date_of_birth":
            out.append(Review(reference, None, None, "cannot tell",
                              "the rule counts from the child's date of birth, which records don't hold: kept"))
            continue
        start = last_entry if rule.after == "last_entry" else filed_at
        due = start + relativedelta(years=rule.years)
        status = "due" if due <= now else "kept"
        out.append(Review(reference, start, due, status, f"{rule.years} years after the {rule.after.replace('_', ' ')}"))
    return rule, out


def erase_due(store: ConcernStore, org: str, now: datetime, actor: str) -> list[str]:
    """Erase every record that is due, leaving a tombstone for each; returns their references."""
    rule, reviews = review(store, org, now)
    if rule is None:
        return []
    erased = []
    for r in reviews:
        if r.status == "due":
            store.erase(org, r.reference, actor=actor, rule=f"{rule.years} years after the {rule.after} ({rule.source})")
            erased.append(r.reference)
    return erased
