"""Guidance on demand: match a worker's quick question to a topic and answer it briefly.

The knowledge itself lives in knowledge/*.yml so safeguarding people can review the
wording and its sources without reading code. This module only finds and assembles.
Pure Python on purpose: no Rasa import, so it is fast to test and reuse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

KNOWLEDGE_DIR = Path(__file__).with_name("knowledge")
ORGS_FILE = KNOWLEDGE_DIR / "orgs.yml"
NOT_SURE = "You don't need to be sure."


@dataclass(frozen=True)
class Citation:
    """A place in one of the five policies: `section` (and `quote`) appear word for word in `file`."""
    file: str
    section: str
    quote: str | None = None

    def __str__(self) -> str:
        return f"{self.file} § {' '.join(self.section.split())}"


@dataclass(frozen=True)
class OrgView:
    """Where one organisation's policy differs from the general answer."""
    summary: str | None = None
    todo: str | None = None
    worry: str | None = None
    policies: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    aliases: tuple[str, ...]
    summary: str
    todo: str
    statutory: tuple[str, ...]
    policies: tuple[Citation, ...]
    signs: str = ""
    worry: str | None = None
    orgs: dict[str, OrgView] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    topic: str
    title: str
    text: str            # phone-screen answer: summary, source line, what to do if worried
    more: str            # signs and fuller what-to-do, for a "tell me more" button
    sources: list[str]   # every citation the answer rests on


# ── loading ─────────────────────────────────────────────────────────────────

def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _citations(raw: list | None, where: str) -> tuple[Citation, ...]:
    out = []
    for c in raw or ():
        if not isinstance(c, dict) or not c.get("file") or not c.get("section"):
            raise ValueError(f"{where}: a policy citation needs `file` and `section`: {c!r}")
        out.append(Citation(c["file"], c["section"], c.get("quote")))
    return tuple(out)


def _topic(key: str, raw: dict, where: str) -> Topic:
    missing = [f for f in ("title", "aliases", "summary", "todo", "statutory") if not raw.get(f)]
    if missing:
        raise ValueError(f"{where}: topic {key!r} is missing {', '.join(missing)}")
    orgs = {
        org: OrgView(_flat(v.get("summary")) or None, _flat(v.get("todo")) or None, _flat(v.get("worry")) or None,
                     _citations(v.get("policies"), f"{where}:{key}.orgs.{org}"))
        for org, v in (raw.get("orgs") or {}).items()
    }
    return Topic(key, raw["title"], tuple(raw["aliases"]), _flat(raw["summary"]), _flat(raw["todo"]),
                 tuple(raw["statutory"]), _citations(raw.get("policies"), f"{where}:{key}"),
                 _flat(raw.get("signs")), _flat(raw.get("worry")) or None, orgs)


@lru_cache(maxsize=1)
def topics() -> dict[str, Topic]:
    """Every topic in knowledge/*.yml, by key; a key defined twice is an error, not an override."""
    found: dict[str, Topic] = {}
    for path in sorted(KNOWLEDGE_DIR.glob("*.yml")):
        if path == ORGS_FILE:
            continue
        for key, raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in found:
                raise ValueError(f"{path.name}: topic {key!r} is already defined")
            found[key] = _topic(key, raw, path.name)
    return found


@dataclass(frozen=True)
class _Worry:
    text: str
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def _worries() -> dict[str, _Worry]:
    raw = yaml.safe_load(ORGS_FILE.read_text(encoding="utf-8"))
    return {org: _Worry(_flat(v["worry"]),
                        tuple(v.get("statutory") or ()) + tuple(str(c) for c in _citations(v.get("policies"), org)))
            for org, v in raw.items()}


def org_ids() -> list[str]:
    """Organisations with their own closing line (the general one is not an organisation)."""
    return sorted(k for k in _worries() if k != "general")


# ── matching ────────────────────────────────────────────────────────────────

def _words(text: str) -> list[str]:
    # Apostrophes vanish ("what's" -> "whats"); hyphens and punctuation split words ("up-skirting").
    text = re.sub(r"['’`]", "", text.lower()).replace("&", " and ")
    return re.findall(r"[a-z0-9]+", text)


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (a swapped pair of letters counts as one typo)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _token_match(word: str, alias: str) -> int:
    """2 = same word (or plural), 1 = a light typo, 0 = different.

    Typos are only forgiven on long words, with the first letter right, and never a
    letter swapped for another: "sexting"/"texting" or "slapped"/"slipped" are real,
    different words, while dropped, doubled or transposed letters rarely make one.
    """
    if word == alias or (len(word) > 3 and len(alias) > 3 and word.rstrip("s") == alias.rstrip("s")):
        return 2
    if len(alias) < 6 or len(word) < 5 or word[0] != alias[0]:
        return 0
    if len(word) == len(alias):   # same length: only a transposition is a typo we accept
        diffs = [i for i, (x, y) in enumerate(zip(word, alias)) if x != y]
        ok = len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == alias[diffs[1]] \
            and word[diffs[1]] == alias[diffs[0]]
        return 1 if ok else 0
    limit = 2 if len(alias) >= 9 else 1
    gap = abs(len(word) - len(alias))
    return 1 if gap <= limit and _edits(word, alias) <= limit and _edits(word, alias) == gap else 0


def _match_score(words: list[str], alias: list[str]) -> tuple[int, int, int] | None:
    """(length matched, words in alias, exact words) for the best place the alias fits, else None."""
    n = len(alias)
    best = None
    for start in range(len(words) - n + 1):
        marks = [_token_match(words[start + k], alias[k]) for k in range(n)]
        if all(marks):
            # Length of what the worker wrote, so plural and typo variants of one alias weigh the same.
            score = (len(" ".join(words[start:start + n])), n, sum(m == 2 for m in marks))
            best = max(best, score) if best else score
    return best


@lru_cache(maxsize=1)
def _alias_index() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((t.key, tuple(_words(a))) for t in topics().values() for a in t.aliases)


def find_topic(text: str) -> Topic | None:
    """The topic whose longest alias appears in the question, as whole words.

    Two different topics matching equally well is treated as not knowing: a wrong
    answer about safeguarding is worse than "I don't have a short answer for that".
    """
    words = _words(text)
    best: dict[str, tuple[int, int, int]] = {}
    for key, alias in _alias_index():
        score = _match_score(words, list(alias)) if alias else None
        if score and score > best.get(key, (0, 0, 0)):
            best[key] = score
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return topics()[ranked[0][0]]


# ── answering ───────────────────────────────────────────────────────────────

def _org_citations(topic: Topic, org: str | None) -> tuple[Citation, ...]:
    if not org:
        return ()
    own = [c for c in topic.policies if c.file == f"{org}.txt"]
    view = topic.orgs.get(org)
    extra = [c for c in (view.policies if view else ()) if c not in own]
    return tuple(extra + own) if view and view.summary else tuple(own + extra)


def answer(topic_key: str, org: str | None = None, detail: bool = False) -> Answer:
    """The answer for one topic, for this organisation if its policy says something different.

    `text` fits a phone screen (under 100 words) and always ends with what to do if
    worried. With `detail`, `text` is the "tell me more" reply instead (signs and the
    fuller what-to-do), and `more` is empty because it has been used.
    """
    try:
        topic = topics()[topic_key]
    except KeyError:
        raise KeyError(f"no guidance topic named {topic_key!r}") from None
    worries = _worries()
    org = org if org in worries and org != "general" else None
    view = topic.orgs.get(org or "") or OrgView()
    own = _org_citations(topic, org)

    policy_cites = own if org else topic.policies
    # The source line names one statutory source and, where there is one, the policy
    # section: the organisation's own, or (with no organisation) the first that says it.
    shown = [re.sub(r"\s*\(.*?\)", "", topic.statutory[0])]   # details stay in `sources`
    if own:
        mine = (view.policies if view.summary and view.policies else own)
        shown.append(min((str(c) for c in mine), key=len))   # the shortest fits a phone best
    elif org is None and topic.policies:
        shown.append(str(topic.policies[0]))
    source_line = f"Source: {'; '.join(shown)}."

    closing = view.worry or topic.worry or worries[org or "general"].text
    closing_sources = () if (view.worry or topic.worry) else worries[org or "general"].sources
    if topic.signs and not (view.worry or topic.worry):
        # About a type of harm, workers hold back until they're sure; they needn't be.
        closing = f"{NOT_SURE} {closing}"
        closing_sources = (*closing_sources, *worries["general"].sources)
    sources = list(dict.fromkeys([*topic.statutory, *(str(c) for c in (policy_cites or topic.policies)),
                                  *closing_sources]))

    todo = view.todo or topic.todo
    more = f"Signs: {topic.signs}\n\nWhat to do: {todo}" if topic.signs else f"What to do: {todo}"
    if detail:
        text = f"{topic.title}\n\n{more}\n\n{source_line}\n\n{closing}"
        more = ""
    else:
        text = f"{topic.title}: {view.summary or topic.summary}\n\n{source_line}\n\n{closing}"
    return Answer(topic.key, topic.title, text, more, sources)


def word_count(text: str) -> int:
    """Words as a reader counts them on screen (the § sign and dashes are not words)."""
    return len([w for w in text.split() if re.search(r"\w", w)])
