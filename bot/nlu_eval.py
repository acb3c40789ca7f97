"""How often a fresh message (never used in training) reaches the route it should.

The fresh set lives in tests/nlu_fresh/fresh_messages.yml; the figures go into
issue notes and are checked by tests so a regression in training data shows.
"""
from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FRESH_SETS = (ROOT / "tests" / "nlu_fresh" / "fresh_messages.yml",     # A: written with the training data
              ROOT / "tests" / "nlu_fresh" / "fresh_messages_b.yml")   # B: written blind
FRESH = FRESH_SETS[0]
NLU_DIR = ROOT / "data" / "nlu"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def training_texts(nlu_dir: Path = NLU_DIR) -> set[str]:
    """Every training example, normalised, so the evaluation can leave out any it contains."""
    out = set()
    for path in nlu_dir.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.add(_norm(re.sub(r"\]\{.*?\}|\]\(.*?\)|\[", "", line[2:])))
    return out


@dataclass
class RouteScore:
    route: str
    total: int = 0
    correct: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)   # (text, predicted)


def load_fresh(path: Path = FRESH, exclude_trained: bool = False) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = [(m["text"], m["route"]) for m in data["messages"]]
    if exclude_trained:
        trained = training_texts()
        messages = [(t, r) for t, r in messages if _norm(t) not in trained]
    return messages


def evaluate(model_path: Path, messages: list[tuple[str, str]]) -> dict[str, RouteScore]:
    from rasa.core.agent import Agent   # heavy: only when evaluating

    agent = Agent.load(str(model_path))

    async def parse_all() -> list[str]:
        out = []
        for text, _ in messages:
            parsed = await agent.parse_message(text)
            out.append(parsed["intent"]["name"])
        return out

    predicted = asyncio.run(parse_all())
    scores: dict[str, RouteScore] = defaultdict(lambda: RouteScore(""))
    for (text, route), got in zip(messages, predicted):
        score = scores[route]
        score.route = route
        score.total += 1
        if got == route:
            score.correct += 1
        else:
            score.misses.append((text, got))
    return dict(scores)


def report(scores: dict[str, RouteScore]) -> str:
    lines = [f"{'route':22} correct/total"]
    for route in sorted(scores):
        s = scores[route]
        lines.append(f"{route:22} {s.correct}/{s.total}")
        lines += [f"    missed: {t[:70]!r} -> {p}" for t, p in s.misses]
    total = sum(s.total for s in scores.values())
    lines.append(f"overall {sum(s.correct for s in scores.values())}/{total}")
    return "\n".join(lines)


if __name__ == "__main__":
    for fresh_set in FRESH_SETS:
        messages = load_fresh(fresh_set, exclude_trained=True)
        skipped = len(load_fresh(fresh_set)) - len(messages)
        print(f"== {fresh_set.name} ({skipped} left out: found verbatim in the training data)")
        print(report(evaluate(ROOT / "models" / "safeguard.tar.gz", messages)))
