"""Quick definitions: find the term a question is about and answer it briefly."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TERMS_FILE = Path(__file__).with_name("terms.yml")


@dataclass(frozen=True)
class Term:
    key: str
    title: str
    aliases: tuple[str, ...]
    text: str
    source: str


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    raw = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    return {k: Term(k, v["title"], tuple(v["aliases"]), " ".join(v["text"].split()), v["source"])
            for k, v in raw.items()}


def find_term(text: str) -> Term | None:
    """The term whose longest alias appears in the text as whole words."""
    low = text.lower()
    best: tuple[int, Term] | None = None
    for term in terms().values():
        for alias in term.aliases:
            if re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", low):
                if best is None or len(alias) > best[0]:
                    best = (len(alias), term)
    return best[1] if best else None
