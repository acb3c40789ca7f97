"""Whether a record names a member of staff, so that it is hidden from their account.

A concern about a colleague must not be read by that colleague (Keeping Children
Safe in Education, Part 4; Working Together 2023, the LADO's role). The check
errs towards hiding: a full name anywhere in the record, or a title with the
surname ("Mr Hughes", "Miss Hughes"), is enough. Another lead can also hide a
concern by hand when the record names someone another way (a nickname).
"""
from __future__ import annotations

import re

TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir", "mister")


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text.casefold())) + " "


def names(fields: dict[str, str], person: str) -> bool:
    """True when any field names `person` by full name, or by title and surname."""
    parts = _words(person).split()
    if not parts:
        return False
    text = _words(" \n ".join(str(v) for v in fields.values()))
    if f" {' '.join(parts)} " in text:
        return True
    surname = parts[-1]
    return len(parts) > 1 and any(f" {title} {surname} " in text for title in TITLES)
