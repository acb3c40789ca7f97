"""Every statutory reference the guidance gives was checked: it is in SOURCES.md with a verdict.

So an unverified part, annex or chapter can't be added silently: add its row to
bot/guidance/SOURCES.md (what it was checked against, and the verdict) first.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest
import yaml

from bot.guidance.knowledge import KNOWLEDGE_DIR

GUIDANCE = KNOWLEDGE_DIR.parent
SOURCES = GUIDANCE / "SOURCES.md"
# confirmed | reduced to document level | corrected from `old` ...; confirmed (or reduced)
VERDICT = re.compile(r"^(confirmed|reduced to document level|corrected from `[^`]+`.*\b(confirmed|reduced)\b)")
NOT_STATUTORY = ("your organisation's",)   # scripts.yml may point at the organisation's own procedure


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """reference -> verdict, from the main table of SOURCES.md."""
    rows: dict[str, str] = {}
    lines = iter(SOURCES.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if line.startswith("| reference (exactly as used)"):
            break
    for line in lines:
        if not line.startswith("|"):
            break
        if line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 4, line
        assert cells[0] not in rows, f"listed twice: {cells[0]}"
        rows[cells[0]] = cells[3]
    return rows


@lru_cache(maxsize=1)
def _used() -> dict[str, list[str]]:
    """Every statutory reference in the knowledge files and the scripts, with where it is used."""
    used: dict[str, list[str]] = {}
    for path in sorted(KNOWLEDGE_DIR.glob("*.yml")):
        for key, raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for ref in raw.get("statutory") or ():
                used.setdefault(ref, []).append(f"{path.stem}:{key}")
    scripts = yaml.safe_load((GUIDANCE / "scripts.yml").read_text(encoding="utf-8"))
    for key, raw in scripts.items():
        for ref in filter(None, (raw.get("source") or "").split("; ")):
            if not ref.startswith(NOT_STATUTORY):
                used.setdefault(ref, []).append(f"scripts:{key}")
    return used


@pytest.mark.parametrize("reference", sorted(_used()))
def test_every_reference_used_was_checked(reference: str) -> None:
    table = _table()
    assert reference in table, f"{reference!r} ({_used()[reference]}) is not in {SOURCES.name}: check it, then add its row"
    assert VERDICT.match(table[reference]), (reference, table[reference])


def test_the_table_lists_only_references_in_use() -> None:
    assert not set(_table()) - set(_used())


def test_references_found_wrong_stay_out() -> None:
    used = " ".join(_used())
    for wrong in ("Equality Act 2010", "s.5B", "ss.16-24", "(whistleblowing)", "(anyone can make a referral)",
                  "Part four (non-recent allegations)", "Part one and Annex B", "(types of abuse and neglect)"):
        assert wrong not in used, wrong
