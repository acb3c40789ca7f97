"""Helpers for the directory tests: moments, step lookup, a minimal valid profile."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
REPO = Path(__file__).resolve().parents[2]
ORGS_DIR = REPO / "data" / "orgs"


def local(text: str) -> datetime:
    """'2026-11-20T18:00' as London wall-clock time."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def step_with(plan, phone: str):
    """The step giving `phone` (first), or None."""
    return next((s for s in plan.steps if s.phone == phone), None)


def phones_in(plan) -> set[str]:
    return {p for s in plan.steps for p in ([s.phone] if s.phone else []) + list(s.other_phones)}


def policies_dir() -> Path | None:
    for candidate in (os.environ.get("SAFEGUARD_POLICIES_DIR"), REPO / "docs" / "policies",
                      REPO / "policies", "/work/shared/policies"):
        if candidate and Path(candidate, "missing-link.txt").is_file():
            return Path(candidate)
    return None


MINIMAL = """\
id: {id}
name: Test Org
policy: test.txt
office_hours:
  weekly: [{{days: mon-fri, open: "09:00", close: "17:00"}}]
  source: "test.txt § hours"
leads:
  - role: Safeguarding Lead
    name: A Person
    phone: "07700 900123"
    source: "test.txt § leads"
areas:
  - id: here
    name: Here
    source: "test.txt § area"
    front_door:
      role: Front door
      phone: "0345 603 7627"
      hours: {{same_as: office_hours, source: "test.txt § hours"}}
      source: "test.txt § area"
police:
  emergency: {{role: Police, phone: "999", source: "test.txt § police"}}
"""
