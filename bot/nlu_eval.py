"""How often a fresh message (never used in training) reaches the route it should.

The fresh set lives in tests/nlu_fresh/fresh_messages.yml; the figures go into
issue notes and are checked by tests so a regression in training data shows.
The held-out set (tests/nlu_eval/heldout.yml) adds precision, recall and F1 per
intent, a confusion matrix, and what the red-flag rules add to danger recall and
cost in false alarms. None of these sets may ever be used for training.

`python -m bot.nlu_eval --dev` reports the same figures on the development set
(tests/nlu_dev/dev.yml), which is the one to iterate on: the held-out set is for
measuring, not tuning. Any held-out or dev message found verbatim (normalised) in the
training data is left out and counted, so a copy can never inflate the figures.

`python -m bot.nlu_eval --guidance` reports only the guidance-on-demand questions
(tests/nlu_eval/guidance_heldout*.yml; with --dev, the development sets in tests/nlu_dev): how many
reach a knowledge-base answer, how many the right one, how many are offered a choice instead ("which
do you mean?") and whether it holds the right topic, and every question answered with a different
topic (the one error that must not happen). Each question goes through the model and then the route
the bot would run, so the figures measure what a worker would be told.
"""
from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter, defaultdict
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
DEV = ROOT / "tests" / "nlu_dev" / "dev.yml"          # for iterating on training data; never trained on
MODEL = ROOT / "models" / "safeguard.tar.gz"
RESULTS = ROOT / "results"
DANGER = "immediate_danger"
SAFEGUARDING_INTENTS = ("immediate_danger", "disclosure", "concern_observed", "allegation_staff", "accident",
                        "ask_contact", "ask_definition", "ask_confidentiality", "whistleblowing")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def training_examples(nlu_dir: Path = NLU_DIR) -> list[tuple[str, str]]:
    """(intent, text) for every training example, entity markup taken out."""
    out = []
    for path in sorted(nlu_dir.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((block.get("intent"), re.sub(r"\]\{.*?\}|\]\(.*?\)|\[", "", line[2:])))
    return out


def training_texts(nlu_dir: Path = NLU_DIR) -> set[str]:
    """Every training example, normalised, so the evaluation can leave out any it contains."""
    return {_norm(text) for _, text in training_examples(nlu_dir)}


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


def load_heldout(path: Path = HELDOUT, exclude_trained: bool = False) -> list[HeldOut]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = [HeldOut(m["text"], m["route"], m.get("kind") == "tricky") for m in data["messages"]]
    if exclude_trained:
        trained = training_texts()
        messages = [m for m in messages if _norm(m.text) not in trained]
    return messages


def trained_overlap(path: Path = HELDOUT) -> int:
    """How many messages of an evaluation set appear verbatim (normalised) in the training data."""
    return len(load_heldout(path)) - len(load_heldout(path, exclude_trained=True))


def run_heldout(model_path: Path = MODEL, messages: list[HeldOut] | None = None) -> HeldOutResult:
    """Predictions with and without the rules. The rules are applied here from bot.language,
    so the comparison holds even for a model trained before the component was added."""
    from bot.language import red_flags

    messages = messages if messages is not None else load_heldout(exclude_trained=True)
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


def speed_ms(path: Path = HELDOUT) -> tuple[float, float]:
    """(median ms per held-out message, ms for one 10,000-character message)."""
    from bot.language import red_flags

    texts = [m.text for m in load_heldout(path)]
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


def heldout_report(result: HeldOutResult, png: Path | None = RESULTS / "confusion.png",
                   path: Path = HELDOUT, show_wrong: bool = True) -> str:
    truth = [m.route for m in result.messages]
    left_out = trained_overlap(path)
    lines = [f"== {path.name}: {len(truth)} messages, never trained on",
             f"{left_out} {'held-out' if path == HELDOUT else path.stem} messages appear in training data "
             "and were left out" + (" (remove them from data/nlu)" if left_out else "")]
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
    median, long_ms = speed_ms(path)
    lines.append(f"red-flag speed: median {median:.2f} ms per message; 10,000-character message {long_ms:.1f} ms")
    labels, matrix = confusion(truth, result.with_rules)
    lines.append("-- confusion (rows: should be; columns: predicted, with rules)")
    short = [label[:6] for label in labels]
    lines.append(" " * 22 + " ".join(f"{s:>6}" for s in short))
    for label, row in zip(labels, matrix):
        lines.append(f"{label:22}" + " ".join(f"{v:6d}" for v in row))
    if png is not None:
        lines.append(f"(saved {save_confusion_png(labels, matrix, png, 'held-out set, with red-flag rules')})")
    if not show_wrong:
        return "\n".join(lines)
    lines.append("-- wrong (with rules): text -> predicted [rules fired]")
    for m, got, fired in zip(result.messages, result.with_rules, result.fired):
        if got != m.route:
            lines.append(f"  {m.route:20} {m.text[:90]!r} -> {got} {fired or ''}")
    return "\n".join(lines)


# ── guidance on demand: does a quick question reach the right knowledge-base answer? ──

# Written on 2026-11-23 by writers who had seen no training data, alias, cue or earlier set. The
# first held-out set had been run in three sessions and is now a development set. Sets 2-4 have each
# been measured more than once (figures only) while the matcher was worked on; 5 and 6 were written
# for the classifier's second opinion, before it was measured; 7 and 8 once it had landed, before the
# signal gate was mended (8 frames half its questions as a situation, then a question); 9 and 10 for the
# last of the report-route gates; 11 and 12 before report routes answered a rule asked about beside their script;
# 13 and 14 before the classifier learned questions framed as an account and report routes handed a worry on;
# 15 and 16 on 2026-12-03, for a first measure of the code as it stood (d57d34d); 17 and 18 the same day,
# before "I've noticed something" answered a rule of conduct asked about beside its script (3a11d8b); 19 and
# 20 later that day, before report routes handed on a worry naming a harm or no adult and read their signal
# words as written (a7016d1); 21 and 22 later still, before report routes handed on a worry past a
# colleague's shrug and the disclosure route answered a message that is only a question (3d21ff2); 23 and 24
# in the evening, measured on the code as it stood (7d5ce79) before anything below was changed; 25 and 26 on
# 2026-12-04, measured on the code as it stood (0e71c1d) before anything was changed; 27 and 28 later that day,
# once the report routes read past a view or a worry passed on by someone at work (6b0b473), before anything more.
GUIDANCE_HELDOUT_SETS = tuple(ROOT / "tests" / "nlu_eval" / name for name in
                              ("guidance_heldout2.yml", "guidance_heldout3.yml", "guidance_heldout4.yml",
                               "guidance_heldout5.yml", "guidance_heldout6.yml", "guidance_heldout7.yml",
                               "guidance_heldout8.yml", "guidance_heldout9.yml", "guidance_heldout10.yml",
                               "guidance_heldout11.yml", "guidance_heldout12.yml", "guidance_heldout13.yml",
                               "guidance_heldout14.yml", "guidance_heldout15.yml", "guidance_heldout16.yml",
                               "guidance_heldout17.yml", "guidance_heldout18.yml", "guidance_heldout19.yml",
                               "guidance_heldout20.yml", "guidance_heldout21.yml", "guidance_heldout22.yml",
                               "guidance_heldout23.yml", "guidance_heldout24.yml", "guidance_heldout25.yml",
                               "guidance_heldout26.yml", "guidance_heldout27.yml", "guidance_heldout28.yml",
                               "guidance_heldout29.yml", "guidance_heldout30.yml"))
GUIDANCE_HELDOUT = GUIDANCE_HELDOUT_SETS[0]
GUIDANCE_DEV_SETS = tuple(ROOT / "tests" / "nlu_dev" / name for name in
                          ("guidance_dev.yml", "guidance_dev2.yml", "guidance_dev3.yml", "guidance_dev4.yml",
                           "guidance_dev_former_heldout.yml", "guidance_dev5.yml", "guidance_dev6.yml",
                           "guidance_dev7.yml", "guidance_dev8.yml", "guidance_dev9.yml", "guidance_dev10.yml",
                           "guidance_dev11.yml"))
RULES = ROOT / "data" / "stories" / "rules.yml"
EVAL_ORG = "grange-primary"   # which organisation asks does not change which topic answers


@lru_cache(maxsize=1)
def route_for_intent() -> dict[str, str]:
    """The route each intent starts, read from the one-step rules (intent, then action_<route>).

    Read rather than copied, so the evaluation follows the bot when a rule changes.
    """
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))["rules"]
    out: dict[str, str] = {}
    for rule in rules:
        steps = rule.get("steps") or []
        if rule.get("condition") or len(steps) != 2 or "intent" not in steps[0] or "action" not in steps[1]:
            continue
        out.setdefault(steps[0]["intent"], steps[1]["action"].removeprefix("action_"))
    return out


@dataclass(frozen=True)
class GuidanceResult:
    text: str
    topic: str                 # the topic that should answer it
    intent: str                # what the NLU model made of it
    answered: str | None       # the topic the bot would answer with (None: no topic answer)
    core: str | None           # what the words alone pick (knowledge.by_words), whatever the intent
    choices: tuple[str, ...] = ()  # topics the bot offered ("which do you mean?") instead of answering
    learned: str = ""          # the topic classifier's first choice, whatever the intent
    both: str | None = None    # what the words and the classifier together answer (knowledge.match)
    one_tap: tuple[str, ...] = ()  # guidance topics a button in the reply leads to
    beside: str | None = None  # a practice topic answered beside a route's script (routes.Outcome.beside)

    @property
    def right(self) -> bool:
        """The asked topic is answered: by the reply, or beside a report's or a worry's script."""
        return self.topic in (self.answered, self.beside)

    @property
    def wrong(self) -> bool:
        """Another topic is answered and the asked one is not."""
        return bool(self.answered) and not self.right


_GUIDANCE_BUTTON = re.compile(r'^/ask_definition\{"guidance_topic":"([a-z0-9-]+)(?::brief)?"\}$')


def one_tap(said: Any) -> tuple[str, ...]:
    """The guidance topics a button in a route's replies (a routes.Outcome) leads to."""
    payloads = [b.payload for r in (said.replies if said else ()) for b in r.buttons]
    return tuple(m.group(1) for p in payloads if (m := _GUIDANCE_BUTTON.search(p)))


def load_guidance(path: Path = GUIDANCE_HELDOUT, exclude_trained: bool = True) -> list[tuple[str, str]]:
    questions = [(q["text"], q["topic"]) for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    if exclude_trained:
        trained = training_texts()
        questions = [(t, k) for t, k in questions if _norm(t) not in trained]
    return questions


def run_guidance(model_path: Path = MODEL, questions: list[tuple[str, str]] | None = None) -> list[GuidanceResult]:
    """Each question through the model and then the route the bot would run, as a widget user would see it."""
    from bot import routes
    from bot.guidance import classifier, knowledge

    questions = questions if questions is not None else load_guidance()
    parsed = parse_all(model_path, [t for t, _ in questions])
    out = []
    for (text, topic), result in zip(questions, parsed):
        intent = (result.get("intent") or {}).get("name") or "none"
        words = knowledge.by_words(text)
        both = knowledge.match(text)
        route = route_for_intent().get(intent)
        said = routes.run(route, routes.Context(org=EVAL_ORG, text=text, channel="widget")) \
            if route in routes.ROUTES else None
        answered = said.topic if said else None
        choices = said.choices if said else ()
        out.append(GuidanceResult(text, topic, intent, answered, words.topic.key if words.topic else None,
                                  choices, classifier.opinion(text).top, both.topic.key if both.topic else None,
                                  one_tap(said), said.beside if said else None))
    return out


def guidance_report(results: list[GuidanceResult], path: Path = GUIDANCE_HELDOUT, show: bool = True) -> str:
    n = len(results)
    left_out = len(load_guidance(path, exclude_trained=False)) - n
    pct = (lambda k: f"{k}/{n} = {k / n:.1%}") if n else (lambda k: "0/0")
    reached = [r for r in results if r.answered]
    right = [r for r in results if r.right]
    wrong = [r for r in results if r.wrong]
    beside = [r for r in right if r.answered != r.topic]
    beside_a_report = [r for r in beside if r.answered]   # the report's own topic answered too
    core_right = [r for r in results if r.core == r.topic]
    core_wrong = [r for r in results if r.core and r.core != r.topic]
    lines = [f"== {path.name}: {n} guidance questions about {len({r.topic for r in results})} topics, never trained on "
             f"({left_out} left out: found verbatim in the training data)",
             f"reach (some knowledge-base answer): {pct(len(reached))}",
             f"right topic:                        {pct(len(right))}" + (
                 f" ({len(beside)} of them answered beside a route's script, {len(beside_a_report)} of those a "
                 f"report's; counting those as not answered: right {len(right) - len(beside)}, wrong "
                 f"{len(wrong) + len(beside_a_report)})" if beside else ""),
             f"WRONG topic (another topic answered): {len(wrong)}" + (
                 " (by intent: " + ", ".join(f"{k} {v}" for k, v in Counter(r.intent for r in wrong).most_common())
                 + f"; words and classifier agreeing on it: {sum(r.both == r.answered for r in wrong)}"
                 + f"; the right topic one tap away: {sum(r.topic in r.one_tap for r in wrong)})"
                 if wrong else "")]
    if show:   # --summary: figures only, so a held-out run shows no question to tune on
        lines += [f"    {r.topic:20} {r.text[:80]!r} -> {r.answered} (intent {r.intent})" for r in wrong]
    neither = [r for r in results if not r.answered and not r.choices and not r.right]   # not beside a worry's script
    by_intent: dict[str, int] = defaultdict(int)
    for r in neither:
        by_intent[r.intent if r.intent != "ask_definition" else "ask_definition, no topic found"] += 1
    lines.append("neither answered nor offered, by what happened instead: "
                 + (", ".join(f"{k} {v}" for k, v in sorted(by_intent.items(), key=lambda kv: -kv[1])) or "none")
                 + f"; the right topic one tap away: {sum(r.topic in r.one_tap for r in neither)}, another "
                 + f"topic one tap away: {sum(bool(r.one_tap) and r.topic not in r.one_tap for r in neither)}")
    if show:
        lines += [f"    {r.topic:20} {r.text[:80]!r} -> {r.intent} {list(r.choices) or ''}"
                  for r in results if not r.answered]
    asked = [r for r in results if r.choices]
    lines.append(f"offered a choice instead (\"which do you mean?\"): {len(asked)}, "
                 f"with the right topic among them: {sum(r.topic in r.choices for r in asked)}")
    both_right = sum(r.both == r.topic for r in results)
    both_wrong = [r for r in results if r.both and r.both != r.topic]
    lines += [f"-- on every question, whatever the intent: the words alone right {pct(len(core_right))}, wrong topic "
              f"{len(core_wrong)}; the classifier alone right {pct(sum(r.learned == r.topic for r in results))}; "
              f"both agreeing right {pct(both_right)}, wrong topic {len(both_wrong)}"]
    if show:
        lines += [f"    {r.topic:20} {r.text[:80]!r} -> words {r.core}, both {r.both}" for r in core_wrong + both_wrong]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bot.nlu_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--dev", action="store_true",
                        help="only the development set (tests/nlu_dev/dev.yml): iterate on this, not the held-out set")
    parser.add_argument("--summary", action="store_true",
                        help="figures only: leave out the list of messages it got wrong")
    parser.add_argument("--guidance", action="store_true",
                        help="only the guidance-on-demand questions (tests/nlu_eval/guidance_heldout*.yml; "
                             "with --dev, the guidance development sets in tests/nlu_dev)")
    parser.add_argument("--set", action="append", default=[], metavar="FILE",
                        help="with --guidance: only this set (a file name such as guidance_heldout15.yml); repeatable")
    args = parser.parse_args(argv)
    if args.guidance:
        paths = GUIDANCE_DEV_SETS if args.dev else GUIDANCE_HELDOUT_SETS
        unknown = set(args.set) - {p.name for p in paths}
        if unknown:
            parser.error(f"no such guidance set: {', '.join(sorted(unknown))}")
        for path in (p for p in paths if not args.set or p.name in args.set):
            print(guidance_report(run_guidance(MODEL, load_guidance(path)), path=path, show=not args.summary))
        return
    if args.dev:
        messages = load_heldout(DEV, exclude_trained=True)
        print(heldout_report(run_heldout(MODEL, messages), png=RESULTS / "confusion_dev.png", path=DEV,
                             show_wrong=not args.summary))
        return
    for fresh_set in FRESH_SETS:
        messages = load_fresh(fresh_set, exclude_trained=True)
        skipped = len(load_fresh(fresh_set)) - len(messages)
        print(f"== {fresh_set.name} ({skipped} left out: found verbatim in the training data)")
        print(report(evaluate(MODEL, messages)) if not args.summary else
              "\n".join(line for line in report(evaluate(MODEL, messages)).splitlines()
                        if not line.startswith("    missed:")))
    print(heldout_report(run_heldout(MODEL), show_wrong=not args.summary))
    for path in GUIDANCE_HELDOUT_SETS:
        print(guidance_report(run_guidance(MODEL, load_guidance(path)), path=path, show=not args.summary))


if __name__ == "__main__":
    main()
