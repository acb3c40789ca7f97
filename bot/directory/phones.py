"""What counts as a UK phone number in a profile.

Numbers are kept exactly as the policy writes them (spaces, brackets, hyphens), so
checking works on the digits. The point is to catch typos such as a dropped digit,
which would send a worker to a stranger at the worst possible moment.
"""
from __future__ import annotations

import re

_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")
# Short numbers that are real UK services: emergency, police non-emergency, NHS 111,
# Childline's famous 0800 1111.
_SHORT = {"999", "112", "101", "111", "08001111"}


def digits(phone: str) -> str:
    """The dialable digits, with +44 turned into the national 0."""
    d = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+44"):
        d = "0" + d[2:]
    return d


def is_uk_phone(phone: str) -> bool:
    """True for 999-style short codes and 10/11-digit national numbers."""
    if not isinstance(phone, str) or not _ALLOWED.match(phone.strip()):
        return False
    d = digits(phone)
    if d in _SHORT:
        return True
    if not d.startswith("0") or d.startswith("00"):
        return False
    if len(d) == 11:
        return d[1] in "12357890"
    # A few areas (and some 0800 numbers) have ten digits in all.
    return len(d) == 10 and (d.startswith("01") or d.startswith("0800"))
