"""The words the bot speaks on each route, with where they come from.

Kept as data (scripts.yml) so that wording can be reviewed by safeguarding
people without reading code, and every answer can say what it rests on.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SCRIPTS_FILE = Path(__file__).with_name("scripts.yml")


@dataclass(frozen=True)
class Script:
    key: str
    text: str
    source: str
    org_sources: dict[str, str]

    def citation(self, org_id: str | None) -> str:
        """'Source: …' line naming the statutory guidance and the organisation's section."""
        parts = [p for p in (self.source, self.org_sources.get(org_id or "", "")) if p]
        return f"Source: {'; '.join(parts)}." if parts else ""

    def render(self, org_id: str | None = None) -> str:
        cite = self.citation(org_id)
        return f"{self.text}\n\n{cite}" if cite else self.text


@lru_cache(maxsize=1)
def _scripts() -> dict[str, Script]:
    raw = yaml.safe_load(SCRIPTS_FILE.read_text(encoding="utf-8"))
    return {
        key: Script(key, entry["text"].strip(), entry.get("source", ""), dict(entry.get("org_sources") or {}))
        for key, entry in raw.items()
    }


def script(key: str) -> Script:
    """The script for a route; KeyError names the missing key."""
    try:
        return _scripts()[key]
    except KeyError:
        raise KeyError(f"{SCRIPTS_FILE}: no script named {key!r}") from None


def script_keys() -> list[str]:
    return sorted(_scripts())
