"""How often a fresh message (never used in training) reaches the route it should.

The fresh set lives in tests/nlu_fresh/fresh_messages.yml; the figures go into
issue notes and are checked by tests so a regression in training data shows.
The held-out set (tests/nlu_eval/heldout.yml) adds precision, recall and F1 per
intent, a confusion matrix, and what the red-flag rules add to danger recall and
cost in false alarms. None of these sets may ever be used for training.
"""
from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FRESH_SETS = (ROOT / "tests" / "nlu_fresh" / "fresh_messages.yml",     # A: written with the training data
              ROOT / "tests" / "nlu_fresh" / "fresh_messages_b.yml")   # B: written blind
FRESH = FRESH_SETS[0]
NLU_DIR = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu_eval" / "heldout.yml"
MODEL = ROOT / "models" / "safeguard.tar.gz"
RESULTS = ROOT / "results"
DANGER = "immediate_danger"
SAFEGUARDING_INTENTS = ("immediate_danger", "disclosure", "concern_observed", "allegation_staff", "accident",
                        "ask_contact", "ask_definition", "ask_confidentiality", "whistleblowing")


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


@lru_cache(maxsize=2)
def _agent(model_path: str) -> Any:
    import logging

    from rasa.core.agent import Agent   # heavy: only when evaluating
    try:   # otherwise Rasa prints a debug line for every message parsed
        from rasa.utils.log_utils import configure_structlog
        configure_structlog(logging.WARNING)
    except ImportError:
        pass
    return Agent.load(model_path)


def parse_all(model_path: Path, texts: list[str]) -> list[dict]:
    """Rasa's parse result for each text (intent, ranking, and red_flags when a rule fired)."""
    agent = _agent(str(model_path))

    async def run() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def evaluate(model_path: Path, messages: list[tuple[str, str]]) -> dict[str, RouteScore]:
    predicted = [p["intent"]["name"] for p in parse_all(model_path, [t for t, _ in messages])]
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


# ── held-out set: precision, recall, F1, confusion, and what the red-flag rules add ──

@dataclass(frozen=True)
class HeldOut:
    text: str
    route: str
    tricky: bool = False   # not danger, but uses danger words negated or in another sense


@dataclass
class HeldOutResult:
    messages: list[HeldOut]
    without: list[str]          # the learned model's intent (before any red-flag override)
    with_rules: list[str]       # after the red-flag rules
    fired: list[list[str]]      # rules that fired on each message
    ms_per_message: list[float]


def load_heldout(path: Path = HELDOUT) -> list[HeldOut]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [HeldOut(m["text"], m["route"], m.get("kind") == "tricky") for m in data["messages"]]


def run_heldout(model_path: Path = MODEL, messages: list[HeldOut] | None = None) -> HeldOutResult:
    """Predictions with and without the rules. The rules are applied here from bot.language,
    so the comparison holds even for a model trained before the component was added."""
    from bot.language import red_flags

    messages = messages if messages is not None else load_heldout()
    parsed = parse_all(model_path, [m.text for m in messages])
    without, with_rules, fired, timings = [], [], [], []
    for message, result in zip(messages, parsed):
        before = (result.get("intent_before_red_flags") or result["intent"]).get("name")
        started = time.perf_counter()
        flags = red_flags.detect(message.text)
        timings.append((time.perf_counter() - started) * 1000)
        without.append(before or "none")
        with_rules.append(DANGER if flags else (before or "none"))
        fired.append([f.rule for f in flags])
    return HeldOutResult(messages, without, with_rules, fired, timings)


def per_intent_scores(truth: list[str], predicted: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """intent -> (precision, recall, F1, support) for every intent in the held-out set."""
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(truth))
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    return {label: (p[i], r[i], f[i], int(n[i])) for i, label in enumerate(labels)}


def macro_f1(scores: dict[str, tuple[float, float, float, int]], intents=SAFEGUARDING_INTENTS) -> float:
    return statistics.mean(scores[i][2] for i in intents if i in scores)


def danger_figures(result: HeldOutResult) -> dict[str, float]:
    """Danger recall and false alarm rate: the rules alone, the model alone, and both together."""
    danger = [i for i, m in enumerate(result.messages) if m.route == DANGER]
    safe = [i for i, m in enumerate(result.messages) if m.route != DANGER]
    tricky = [i for i, m in enumerate(result.messages) if m.tricky]

    def rate(idx: list[int], hit) -> float:
        return sum(1 for i in idx if hit(i)) / len(idx) if idx else 0.0

    return {
        "rules_recall": rate(danger, lambda i: bool(result.fired[i])),
        "rules_false_alarm": rate(safe, lambda i: bool(result.fired[i])),
        "rules_false_alarm_tricky": rate(tricky, lambda i: bool(result.fired[i])),
        "recall_without": rate(danger, lambda i: result.without[i] == DANGER),
        "recall_with": rate(danger, lambda i: result.with_rules[i] == DANGER),
        "false_alarm_without": rate(safe, lambda i: result.without[i] == DANGER),
        "false_alarm_with": rate(safe, lambda i: result.with_rules[i] == DANGER),
        "false_alarm_tricky_without": rate(tricky, lambda i: result.without[i] == DANGER),
        "false_alarm_tricky_with": rate(tricky, lambda i: result.with_rules[i] == DANGER),
        "n_danger": len(danger), "n_safe": len(safe), "n_tricky": len(tricky),
    }


def confusion(truth: list[str], predicted: list[str]) -> tuple[list[str], list[list[int]]]:
    labels = sorted(set(truth)) + sorted(set(predicted) - set(truth))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted):
        matrix[index[t]][index[p]] += 1
    return labels, matrix


def save_confusion_png(labels: list[str], matrix: list[list[int]], path: Path, title: str) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(10, 9))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels=labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("should be")
    ax.set_title(title)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            if value:
                ax.text(c, r, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > max(map(max, matrix)) / 2 else "black")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def speed_ms() -> tuple[float, float]:
    """(median ms per held-out message, ms for one 10,000-character message)."""
    from bot.language import red_flags

    texts = [m.text for m in load_heldout()]
    red_flags.detect("warm up")
    times = []
    for text in texts:
        started = time.perf_counter()
        red_flags.detect(text)
        times.append((time.perf_counter() - started) * 1000)
    long_text = (" ".join(texts) + " ") * (10_000 // len(" ".join(texts)) + 1)
    started = time.perf_counter()
    red_flags.detect(long_text[:10_000])
    return statistics.median(times), (time.perf_counter() - started) * 1000


def heldout_report(result: HeldOutResult, png: Path | None = RESULTS / "confusion.png") -> str:
    truth = [m.route for m in result.messages]
    lines = [f"== {HELDOUT.name}: {len(truth)} messages, never trained on"]
    for name, predicted in (("without red-flag rules", result.without), ("with red-flag rules", result.with_rules)):
        scores = per_intent_scores(truth, predicted)
        lines.append(f"-- {name}")
        lines.append(f"{'intent':22} {'prec':>5} {'recall':>6} {'F1':>5} {'n':>3}")
        for intent, (p, r, f, n) in scores.items():
            lines.append(f"{intent:22} {p:5.2f} {r:6.2f} {f:5.2f} {n:3d}")
        lines.append(f"macro F1 over the {len(SAFEGUARDING_INTENTS)} safeguarding intents: {macro_f1(scores):.3f}")
    d = danger_figures(result)
    lines += [
        f"-- danger ({d['n_danger']} danger messages, {d['n_safe']} others of which {d['n_tricky']} tricky)",
        f"immediate_danger recall: without rules {d['recall_without']:.3f}, with rules {d['recall_with']:.3f}",
        f"false alarm rate (others sent to danger): without rules {d['false_alarm_without']:.3f}, "
        f"with rules {d['false_alarm_with']:.3f}; tricky only {d['false_alarm_tricky_without']:.3f} -> "
        f"{d['false_alarm_tricky_with']:.3f}",
        f"rules alone: recall {d['rules_recall']:.3f}, false alarm rate {d['rules_false_alarm']:.3f} "
        f"(tricky {d['rules_false_alarm_tricky']:.3f})",
    ]
    median, long_ms = speed_ms()
    lines.append(f"red-flag speed: median {median:.2f} ms per message; 10,000-character message {long_ms:.1f} ms")
    labels, matrix = confusion(truth, result.with_rules)
    lines.append("-- confusion (rows: should be; columns: predicted, with rules)")
    short = [label[:6] for label in labels]
    lines.append(" " * 22 + " ".join(f"{s:>6}" for s in short))
    for label, row in zip(labels, matrix):
        lines.append(f"{label:22}" + " ".join(f"{v:6d}" for v in row))
    if png is not None:
        lines.append(f"(saved {save_confusion_png(labels, matrix, png, 'held-out set, with red-flag rules')})")
    lines.append("-- wrong (with rules): text -> predicted [rules fired]")
    for m, got, fired in zip(result.messages, result.with_rules, result.fired):
        if got != m.route:
            lines.append(f"  {m.route:20} {m.text[:90]!r} -> {got} {fired or ''}")
    return "\n".join(lines)


if __name__ == "__main__":
    for fresh_set in FRESH_SETS:
        messages = load_fresh(fresh_set, exclude_trained=True)
        skipped = len(load_fresh(fresh_set)) - len(messages)
        print(f"== {fresh_set.name} ({skipped} left out: found verbatim in the training data)")
        print(report(evaluate(MODEL, messages)))
    print(heldout_report(run_heldout(MODEL)))
