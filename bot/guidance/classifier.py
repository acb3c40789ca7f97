"""A second opinion on which topic a question is about, learned from example questions.

The matcher in knowledge.py finds a topic by its names and cue words; this model reads the whole
question, so it catches phrasings no alias lists and is not fooled by one neighbouring word. The
two make different mistakes, so the bot answers a topic only when they agree (see
knowledge.match): a wrong answer about safeguarding is worse than asking "which do you mean?".

It is trained from examples/questions.yml plus every topic's title and aliases, in about a second,
when the action server starts (`ready`) or else when first used; there is no model file to download,
build or keep in step with the data. A malformed examples file stops the start with its name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

EXAMPLES_FILE = Path(__file__).with_name("examples") / "questions.yml"
# When the model's first choice counts as sure (set on the development sets): this likely, or this many
# times as likely as its second and not below a floor. A question with few words can spread the
# chances thin and still have one clear favourite; text about nothing spreads them thinner still.
SURE = 0.5
CLEAR_LEAD = 3.0
LEAD_FLOOR = 0.2


@dataclass(frozen=True)
class Opinion:
    """Topics ranked by how likely the model thinks each is, best first."""
    ranked: tuple[tuple[str, float], ...]

    @property
    def top(self) -> str:
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        return self.ranked[0][1]

    @property
    def sure(self) -> bool:
        """Is the first choice likely, or far ahead of the second?"""
        second = self.ranked[1][1] if len(self.ranked) > 1 else 0.0
        return self.confidence >= SURE or self.confidence >= max(LEAD_FLOOR, CLEAR_LEAD * second)


def load_examples(path: Path = EXAMPLES_FILE) -> list[tuple[str, str]]:
    """(text, topic key) for each written example; an unknown key or a bad entry names the file and entry."""
    from bot.guidance.knowledge import topics

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    entries = raw.get("questions") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: needs a `questions:` list of {{text, topic}} entries")
    known = topics()
    out = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip() or not entry.get("topic"):
            raise ValueError(f"{path}: question {i} needs a `text` and a `topic`")
        if entry["topic"] not in known:
            raise ValueError(f"{path}: question {i} has topic {entry['topic']!r}, which is not in the knowledge base")
        out.append((str(entry["text"]), entry["topic"]))
    return out


def _normalised(text: str) -> str:
    from bot.guidance.knowledge import _question, _terms

    return " ".join(_terms(_question(text)))


@lru_cache(maxsize=1)
def _model() -> Any:
    """Word and letter-sequence features with a logistic regression: small, deterministic, and quick
    to train (liblinear, one topic against the rest: about a second, against ten for the
    multinomial solver, which gave much the same figures on the development sets)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from bot.guidance.knowledge import topics

    examples = load_examples()
    for topic in topics().values():   # a topic's own names are examples of asking about it
        examples += [(topic.title, topic.key)] + [(alias, topic.key) for alias in topic.aliases]
    texts, labels = zip(*examples)
    model = make_pipeline(
        make_union(TfidfVectorizer(preprocessor=_normalised, ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                   TfidfVectorizer(preprocessor=_normalised, analyzer="char_wb", ngram_range=(3, 5),
                                   sublinear_tf=True, min_df=2)),
        LogisticRegression(C=10.0, solver="liblinear", class_weight="balanced"))
    model.fit(list(texts), list(labels))
    return model


def ready() -> None:
    """Train now, at start-up, so the first worker to ask a question doesn't wait for it."""
    _model()


@lru_cache(maxsize=256)   # the routes and the matcher ask about the same message more than once
def opinion(text: str) -> Opinion:
    """The model's ranking of every topic for this question."""
    model = _model()
    probs = model.predict_proba([text or ""])[0]
    ranked = sorted(zip(model.classes_, probs), key=lambda kp: -kp[1])
    return Opinion(tuple((str(k), float(p)) for k, p in ranked))
