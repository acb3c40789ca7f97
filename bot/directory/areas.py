"""Recognise an organisation's areas in what people type ("I'm in Bath", "BANES")."""
from __future__ import annotations

import re

from .model import Area, Organisation


def normalise(text: str) -> str:
    """Lower-case, '&' -> 'and', hyphens and punctuation -> spaces, single spaces."""
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def _names(area: Area) -> list[str]:
    return [n for n in {normalise(area.id), normalise(area.name), *(normalise(a) for a in area.aliases)} if n]


def match_area(org: Organisation, given: str) -> Area | None:
    """The area whose id, name or alias is exactly `given` (ignoring case and punctuation),
    else the first area mentioned anywhere in it."""
    key = normalise(given)
    for area in org.areas:
        if key in _names(area):
            return area
    return mentioned_area(org, given)


def mentioned_area(org: Organisation, text: str) -> Area | None:
    """The first area named in free text. Longer names win where they overlap, so
    'North Somerset' is not read as 'Somerset'."""
    hay = f" {normalise(text)} "
    spans: list[tuple[int, int, Area]] = []
    for area in org.areas:
        for name in _names(area):
            for m in re.finditer(rf"(?<= ){re.escape(name)}(?= )", hay):
                spans.append((m.start(), m.end(), area))
    if not spans:
        return None
    # earliest mention first; at the same place the longest name wins
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return spans[0][2]
