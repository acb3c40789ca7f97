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

from bot.guidance import classifier

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
    broad: bool = False   # an umbrella topic: answers only when the question is mostly about it
    broad_aliases: tuple[str, ...] = ()   # single aliases that are that weak ("volunteer", "colleague")
    kind: str = ""        # the file it comes from: "harms" or "practice"
    cues: tuple[tuple[tuple[str, ...], ...], ...] = ()   # word groups that must all appear, in any order
    signals: tuple[str, ...] = ()   # words that make an account about this topic ("coach", "fell")
    names: tuple[str, ...] = ()     # aliases that name the thing itself, not a sign of it ("neglect", not "smelly")


@dataclass(frozen=True)
class Match:
    """What the matcher made of a question: one topic, or two it can't choose between, or nothing."""
    topic: Topic | None
    choices: tuple[Topic, ...] = ()   # set when two topics matched equally well: ask which one

    @property
    def answers(self) -> bool:
        """Something to say: one topic, or two to offer as a choice."""
        return self.topic is not None or bool(self.choices)


@dataclass(frozen=True)
class Answer:
    topic: str
    title: str
    text: str            # phone-screen answer: summary, source line, what to do if worried
    gist: str            # summary and source line only, beside a route that says what to do itself
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


def _cues(raw: list | None, where: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """"how long | keep + record | file" -> ((("how long",), ("keep",)), (("record",), ("file",)))."""
    out = []
    for cue in raw or ():
        cue = " ".join(str(cue).split())   # a folded YAML string may keep line breaks
        groups = [tuple(alt.strip() for alt in group.split("|")) for group in cue.split("+")]
        if len(groups) < 2 or any(not all(group) for group in groups):
            raise ValueError(f"{where}: a cue needs two or more word groups joined by '+', "
                             f"each a list of words or phrases joined by '|': {cue!r}")
        empty = [alt for group in groups for alt in group if all(w in _FRAME for w in _terms(alt))]
        if empty:
            raise ValueError(f"{where}: cue {cue!r} has phrases made only of framing words, which match "
                             f"almost any question: {empty}")
        out.append(tuple(groups))
    return tuple(out)


def _topic(key: str, raw: dict, where: str, kind: str = "") -> Topic:
    missing = [f for f in ("title", "aliases", "summary", "todo", "statutory") if not raw.get(f)]
    if missing:
        raise ValueError(f"{where}: topic {key!r} is missing {', '.join(missing)}")
    for field_name in ("broad_aliases", "names"):
        stray = [a for a in raw.get(field_name) or () if a not in raw["aliases"]]
        if stray:
            raise ValueError(f"{where}: topic {key!r} has {field_name} that are not among its aliases: {stray}")
    orgs = {
        org: OrgView(_flat(v.get("summary")) or None, _flat(v.get("todo")) or None, _flat(v.get("worry")) or None,
                     _citations(v.get("policies"), f"{where}:{key}.orgs.{org}"))
        for org, v in (raw.get("orgs") or {}).items()
    }
    return Topic(key, raw["title"], tuple(raw["aliases"]), _flat(raw["summary"]), _flat(raw["todo"]),
                 tuple(raw["statutory"]), _citations(raw.get("policies"), f"{where}:{key}"),
                 _flat(raw.get("signs")), _flat(raw.get("worry")) or None, orgs, bool(raw.get("broad")),
                 tuple(raw.get("broad_aliases") or ()), kind, _cues(raw.get("cues"), f"{where}: topic {key!r}"),
                 tuple(raw.get("signals") or ()), tuple(raw.get("names") or ()))


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
            found[key] = _topic(key, raw, path.name, path.stem)
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


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The word without an -ing, -ed or -s ending, if enough of it is left to still be a word.

    A doubled last letter left behind is undone: "referring" is "refer", "dropped" is "drop".
    """
    for ending in ("ing", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: -len(ending)]
            return stem[:-1] if ending != "s" and stem[-1] == stem[-2] and stem[-1] not in "aeiousl" else stem
    return word


def _same_or_plural(word: str, alias: str) -> bool:
    return word == alias or len(word) > 3 and len(alias) > 3 and word.rstrip("s") == alias.rstrip("s")


@lru_cache(maxsize=262144)
def _token_match(word: str, alias: str) -> int:
    """2 = same word (or plural), 1 = a light typo, 0 = different.

    Typos are only forgiven on long words, with the first letter right, and never a
    letter swapped for another: "sexting"/"texting" or "slapped"/"slipped" are real,
    different words, while dropped, doubled or transposed letters rarely make one.
    """
    if _same_or_plural(word, alias):
        return 2
    if _stem(word) == _stem(alias) and len(_stem(word)) >= 4:   # "photographing" is "photograph"
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


# Matching works on normalised terms: articles dropped ("make the referral" = "make a referral"),
# a few spellings every phone user types mapped to the word ("wat" -> "what", "kids" -> "children").
_ARTICLES = frozenset({"a", "an", "the"})
_SPELLINGS = {"wat": "what", "wot": "what", "wats": "whats", "u": "you", "ur": "your", "r": "are",
              "ppl": "people", "pls": "please", "plz": "please", "coz": "because", "cos": "because",
              "kid": "child", "kids": "children", "kiddo": "child", "kiddos": "children",
              "bairn": "child", "bairns": "children", "mam": "mum", "mams": "mums"}
# Words that frame a question rather than name its subject: they don't weigh in choosing a topic.
_FRAME = frozenset("""
    what whats is isnt are was were be been does do did can could should would will shall may might must
    mean means meaning stand stands for of as it its this that these those there i im me my we our us you
    your to about in on at with by from if and or but so because how when where who which why any some
    count counts type types kind kinds sign signs define definition not no
    really actually just like still even please sorry ok okay um hi hello hey thanks quick question q maybe
    wheres whos hows
""".split())
BROAD_COVERAGE = 1 / 3   # a broad topic must account for this share of the question's own words
# Offering the classifier's topics when the words found none (see suggest), as its probabilities; set on
# the development sets. Answering needs both readers (see match and classifier.Opinion.sure).
SUGGEST_FROM = 0.3     # offer its first choice when this likely…
SUGGEST_ALSO = 0.1     # …and its second when that has this much
BESIDE_FROM = 0.5      # a practice topic the classifier alone names beside a report's script (`also_asked`)


# "swimming coach here - …", "holiday club helper, …": who is asking, not what about. A few words
# before a dash, comma or colon, with no "my", "our", "a" or "the" (which name someone else) and
# no title ("Mr Price - …" is about Mr Price), but for where they work ("lifeguard at a leisure centre. …").
_LEAD_IN = re.compile(r"^\s*([a-z'’ ]{2,60}?)(\s+here)?\s*(?:[-–:,.]|\bhere\b)\s+", re.IGNORECASE)
_TITLES = frozenset({"mr", "mrs", "miss", "ms", "dr", "sir"})
_NAMES_SOMEONE = frozenset("my our a an the one his her their this that".split()) | _TITLES


def _question(text: str, said_here: bool = False) -> str:
    """The message without a short opening that only says who is asking.

    With `said_here`, only an opening that ends in "here" ("volunteer here -") is taken off: the
    surest sign that the words are the asker's own role, not someone they are reporting.
    """
    found = _LEAD_IN.match(text or "")
    if not found or said_here and not found.group(2) and "here" not in found.group(0).lower():
        return text or ""
    words = _words(found.group(1))
    role = _without_a_place(words)
    if len(role) > 4 or _NAMES_SOMEONE.intersection(role) or not (found.group(2) or len(words) >= 2) \
            or _QUESTION_WORDS.intersection(role) or _names_a_topic(tuple(role)):
        return text
    return text[found.end():]


# Where the asker works, after their role: "lifeguard at a leisure centre", "volunteer with the scouts".
_AT = frozenset("at in for with".split())
_A_PLACE = frozenset("a an the our".split())


def _without_a_place(words: list[str]) -> list[str]:
    """"deputy manager at a nursery" -> "deputy manager": the place names no one."""
    for i in range(1, len(words) - 2):
        if words[i] in _AT and words[i + 1] in _A_PLACE and len(words) - i - 2 <= 3:
            return words[:i]
    return words


# How a sentence of its own starts after a short opening: "Nursery practitioner. A 6 month old…".
_SENTENCE_START = re.compile(r"(?:a|an|the|my|our|one|two|three|i|i'?m|i'?ve|we|this|there|last|yesterday|today|"
                             r"tonight|\d+)\b", re.IGNORECASE)


def _a_sentence_follows(text: str) -> bool:
    """Does a short opening end in a full stop, with a sentence of its own after it?"""
    found = _LEAD_IN.match(text or "")
    return bool(found) and found.group(0).rstrip().endswith(".") and bool(_SENTENCE_START.match(text[found.end():]))


@lru_cache(maxsize=1024)
def _names_a_topic(words: tuple[str, ...]) -> bool:
    """"tell explain describe, what is that?" opens with its subject, not with who is asking."""
    terms = _terms(" ".join(words))
    return any(_match_score(terms, list(alias)) for _, alias in _alias_index() if alias)


def _terms(text: str) -> list[str]:
    return [_SPELLINGS.get(w, w) for w in _words(text) if w not in _ARTICLES]


# Words just before a term that say it is what the worker is asking about: "is this classed as neglect?"
_ASKED_ABOUT = tuple(tuple(p.split()) for p in (
    "classed as", "class as", "classified as", "count as", "counts as", "counted as", "considered",
    "a form of", "a type of", "a kind of", "meant by", "definition of", "mean by", "is it", "is this", "is that"))


def _asked_about(words: list[str], start: int, phrases: tuple[tuple[str, ...], ...] = _ASKED_ABOUT) -> bool:
    """Do the words just before `start` end with one of the phrases?"""
    return any(tuple(words[max(0, start - len(p)):start]) == p for p in phrases)


def _match_score(words: list[str], alias: list[str], typos: bool = True,
                 taken: frozenset[int] = frozenset()) -> tuple[int, int, int, int] | None:
    """(asked about, subject length, subject words, exact words) where the alias fits best, else None.

    The subject leaves out framing words, so "what counts as abuse" does not outweigh
    "abuse online", nor "can I share" outweigh "a video of", just for being a longer way of
    asking. It is measured on what the worker wrote, so plural and typo variants weigh the same.
    "Asked about" is 1 when the words come straight after "classed as", "counts as" and the like.
    Words at `taken` positions are already used by another part of a cue.
    """
    return max((score for score, _ in _fits(words, alias, typos, taken)), default=None)


def _fits(words: list[str], alias: list[str], typos: bool = True,
          taken: frozenset[int] = frozenset()) -> list[tuple[tuple[int, int, int, int], range]]:
    """Every place the alias fits the question, with its score and the word positions it covers."""
    n = len(alias)
    out = []
    for start in _starts(tuple(words), alias[0]) if alias else ():
        if start + n > len(words) or taken.intersection(range(start, start + n)):
            continue
        marks = [_token_match(words[start + k], alias[k]) for k in range(n)]
        if all(marks) and (typos or all(m == 2 for m in marks)):
            span = words[start:start + n]
            subject = [w for w in span if w not in _FRAME]
            exact = sum(m == 2 for w, m in zip(span, marks) if w not in _FRAME)
            out.append(((int(_asked_about(words, start)), len(" ".join(subject)), len(subject), exact),
                        range(start, start + n)))
    return out


@lru_cache(maxsize=64)
def _positions(words: tuple[str, ...]) -> dict[str, dict[str, tuple[int, ...]]]:
    """Each different word of the question and where it stands, by its first letter."""
    where: dict[str, dict[str, list[int]]] = {}
    for i, word in enumerate(words):
        where.setdefault(word[:1], {}).setdefault(word, []).append(i)
    return {letter: {word: tuple(found) for word, found in byword.items()} for letter, byword in where.items()}


@lru_cache(maxsize=4096)   # many aliases share their first word ("tell", "my", "what")
def _starts(words: tuple[str, ...], first: str) -> tuple[int, ...]:
    """Where a phrase starting with `first` could begin: each different word is compared once,
    so a long message costs its vocabulary, not its length times every alias. Only words with
    the same first letter can match (`_token_match` forgives no first-letter typo)."""
    candidates = _positions(words).get(first[:1], {})
    return tuple(sorted(i for word, found in candidates.items() if _token_match(word, first) for i in found))


def _covers_enough(words: list[str], alias: tuple[str, ...]) -> bool:
    """For a broad topic: do the alias's subject words make up enough of the question's own?"""
    own = [w for w in words if w not in _FRAME]
    mine = [w for w in alias if w not in _FRAME]
    return bool(own) and len(mine) / len(own) >= BROAD_COVERAGE


@lru_cache(maxsize=1)
def _alias_index() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((t.key, tuple(_terms(a))) for t in topics().values() for a in t.aliases)


@lru_cache(maxsize=None)
def _aliases_of(key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(alias for k, alias in _alias_index() if k == key and alias)


@lru_cache(maxsize=1)
def _cue_index() -> tuple[tuple[str, tuple[tuple[tuple[str, ...], ...], ...]], ...]:
    return tuple((t.key, tuple(tuple(tuple(_terms(alt)) for alt in group) for group in cue))
                 for t in topics().values() for cue in t.cues)


Score = tuple[int, int, int, int]   # (pieces of evidence, subject length, subject words, exact words)
# A piece is an alias, a group of a cue, or being asked about by name ("is this classed as neglect?").


def _cue_score(words: list[str], cue: tuple[tuple[tuple[str, ...], ...], ...]) -> tuple[Score, tuple[str, ...]] | None:
    """A cue fits when each of its groups has a phrase somewhere in the question; each group is one piece.

    No typos are forgiven here: cue words are everyday words, and "shred" is not "shared". Each
    group needs words of its own: "video the kids" is not both "video" and "a video".
    """
    pieces: list[tuple[tuple[int, int, int, int], tuple[str, ...]]] = []
    taken: frozenset[int] = frozenset()
    for group in cue:
        found = [(sc, alt, span) for alt in group if alt for sc, span in _fits(words, list(alt), False, taken)]
        if not found:
            return None
        score, alt, span = max(found, key=lambda f: f[0])
        pieces.append((score, alt))
        taken = taken | frozenset(span)
    total = tuple(sum(sc[i] for sc, _ in pieces) for i in range(1, 4))
    asked = int(any(sc[0] for sc, _ in pieces))
    return (len(pieces) + asked, *total), tuple(w for _, alt in pieces for w in alt)


@lru_cache(maxsize=256)   # one question is looked at several times: match, give_way, the routes
def _candidates(text: str) -> dict[str, tuple[Score, tuple[str, ...]]]:
    """Every topic with an alias or a cue in the question: its best score and the words that fitted.

    A cue (two or more things the question must mention, in any order: "how long" and "records")
    outranks a single alias, so "does GDPR mean we delete records?" is about keeping records,
    not about GDPR; between aliases the longer subject wins, as before.
    """
    words = _terms(_question(text))
    best: dict[str, tuple[Score, tuple[str, ...]]] = {}
    for key, alias in _alias_index():
        found = _match_score(words, list(alias)) if alias else None
        score = (1 + found[0], *found[1:]) if found else None
        if score and (key not in best or score > best[key][0]   # a tie goes to the alias that isn't broad:
                      or score == best[key][0] and _is_broad(key, best[key][1]) and not _is_broad(key, alias)):
            best[key] = (score, alias)   # "be our safeguarding lead" is more than "safeguarding lead"
    for key, cue in _cue_index():
        fitted = _cue_score(words, cue)
        if fitted and (key not in best or fitted[0] > best[key][0]):
            best[key] = fitted
    for key in [k for k, (_, alias) in best.items() if _is_broad(k, alias) and not _covers_enough(words, alias)]:
        del best[key]
    return best


@lru_cache(maxsize=None)
def _is_broad(key: str, alias: tuple[str, ...]) -> bool:
    topic = topics()[key]
    return topic.broad or alias in {tuple(_terms(a)) for a in topic.broad_aliases}


def _rank(item: tuple[str, tuple[Score, tuple[str, ...]]]) -> tuple[int, int, int, int, int]:
    """Most pieces of evidence first; then a type of harm over a practice question, because a harm's
    name ("up her skirt") says more than everyday words ("took a photo"); then the longer subject."""
    key, (score, _) = item
    return score[0], int(topics()[key].kind == "harms"), *score[1:]


def match(text: str) -> Match:
    """The topic a question is about, when its words and the trained classifier agree on it.

    The words alone (`by_words`) pick the topic with the most evidence; the classifier reads the
    whole question. A topic answers only when both name it and the classifier is fairly sure.
    Otherwise the worker is offered the words' topic and the classifier's best other one ("which do
    you mean?"): a wrong answer about safeguarding is worse than asking, and one tap costs little.
    """
    found = by_words(text)
    if found.topic is None:
        return found
    opinion = classifier.opinion(text)
    if opinion.top == found.topic.key and opinion.sure:
        return found
    other = next(key for key, _ in opinion.ranked if key != found.topic.key)
    return Match(None, (found.topic, topics()[other]))


def suggest(text: str) -> tuple[Topic, ...]:
    """For a guidance question in which the words found no topic: the classifier's nearest one or
    two, when it is fairly sure, to offer as choices. Never answered without the worker's tap."""
    opinion = classifier.opinion(text)
    if opinion.confidence < SUGGEST_FROM:
        return ()
    return tuple(topics()[key] for key, chance in opinion.ranked[:2] if chance >= SUGGEST_ALSO)


def by_words(text: str) -> Match:
    """The topic whose aliases and cues best fit the question, as whole words (lightly typo-tolerant).

    Two different topics matching equally well is not a guess: the answer has no topic and
    offers both as choices. A broad (umbrella) topic, or a broad alias such as a bare job
    title, answers only when it is a good part of what the question is about.
    """
    best = _candidates(text)
    if not best:
        return Match(None)
    ranked = sorted(best.items(), key=_rank, reverse=True)
    if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
        return Match(None, (topics()[ranked[0][0]], topics()[ranked[1][0]]))
    return Match(topics()[ranked[0][0]])


def find_topic(text: str) -> Topic | None:
    """The topic the bot would answer (see `match`), or None when it would offer a choice or has nothing."""
    return match(text).topic


def _signalled(key: str, text: str, leave_out: frozenset[str] = frozenset()) -> bool:
    """Does anything in the message belong to this topic: an alias, a cue, or one of its signal
    words (but those in `leave_out`)?

    A short opening is left out when it says "here" ("volunteer here - …"), or when a question follows
    it straight away ("holiday club helper, if I'm worried… do I tell whoever collects them?"): either
    way it is who is asking. Before an account it may be whom the account is about ("swimming coach -
    he's been texting a girl"), unless a sentence of its own follows ("Nursery practitioner. A 6 month
    old…"). Words that only look like the topic's own are read past (`_LOOK_ALIKES`): the worker's own
    role ("I'm a TA") never names a colleague.
    """
    if look_alike := _LOOK_ALIKES.get(key):
        text = look_alike.sub(" ", text)
    words = _own_words(text)
    signals = [s for s in _signal_index().get(key, ()) if " ".join(s) not in leave_out]
    return key in _candidates(text) or _named_broadly(key, words) or any(_says(words, s) for s in signals)


@lru_cache(maxsize=256)   # one message is read for several topics' signals, on several routes
def _own_words(text: str) -> tuple[str, ...]:
    """The message's words after any opening that only says who is asking (see `_signalled`); a tuple,
    since the cache hands the same value to every caller."""
    return tuple(_terms(_question(text, said_here=not (asks_in_general(text) or _a_sentence_follows(text)))))


def _says(words: list[str], signal: tuple[str, ...]) -> bool:
    """A signal is in the words as written, or as its plural ("teachers"), never as another word sharing
    its stem: "I reported it" tells of a concern raised before, "is it bad enough to report?" does not;
    "Miss Khan" is someone at work, "missing" is not. A form a signal needs is listed with it."""
    return any(all(_same_or_plural(words[i], s) for i, s in zip(span, signal))
               for _, span in _fits(words, list(signal), typos=False))


@lru_cache(maxsize=1)
def _signal_index() -> dict[str, tuple[tuple[str, ...], ...]]:
    return {t.key: tuple(tuple(_terms(s)) for s in t.signals) for t in topics().values() if t.signals}


def _by_job_title_only(key: str, text: str) -> bool:
    """Was the topic found in the question only through a broad alias (a bare job title)? Such a
    match never takes a question away from a route ("can my manager read this?")."""
    return _is_broad(key, _candidates(text)[key][1])


def _named_broadly(key: str, words: list[str]) -> bool:
    """Is the topic named by a broad alias (a bare job title), which `_candidates` leaves out?"""
    return any(_match_score(words, list(alias)) for alias in _aliases_of(key) if _is_broad(key, alias))


# How a worker's own question starts ("can volunteers…", "is it ok…", "how long…"), as opposed to
# an account of what someone did ("the coach gives one boy lifts home").
_QUESTION_WORDS = frozenset("""
    can could is are am was do does did should would will shall may must what whats how when who whos where
    which why if any anyone anything
""".split())


_CLAUSES = re.compile(r"(?:[.,;:!?()\n]|(?<!\w)-|-(?!\w))+")   # a dash, not the hyphen in "self-harm"
_A_PERSON = _NAMES_SOMEONE - {"one"}   # "quick one, …" is a way of asking, not "one of our coaches"


def _clauses(text: str) -> list[str]:
    """The message's clauses, after any opening that only says who is asking (see `_question`)."""
    return [c for c in _CLAUSES.split(_question(text)) if c.strip()]


# "at what point…", "by when…", "for how long…", "to whom…": a question word after a preposition.
_ASKING_AFTER = frozenset("at by in for from to until".split())
_ASKED_AFTER = frozenset("what which when how who whom whose".split())


def _opens_like_a_question(clause: str) -> bool:
    words = _terms(clause)
    return bool(words) and (words[0] in _QUESTION_WORDS
                            or words[0] in _ASKING_AFTER and len(words) > 1 and words[1] in _ASKED_AFTER)


def asks_in_general(text: str) -> bool:
    """Does the message open with a question, after at most a few words of who is asking?

    "youth worker. can I…", "holiday club helper, if I'm worried…" and "sorry, is it ok…" do;
    "the coach gives lifts, is that ok?" does not: it reports what someone did, whatever question
    follows. The opening is found as for matching (`_question`), then a word or three more that
    name nobody ("quick one, …" does): "the coach slapped a boy, what now?" is an account, however short.
    """
    for i, clause in enumerate(_clauses(text)[:2]):
        if _opens_like_a_question(clause):
            return True
        if i == 0 and (len(_terms(clause)) > 3 or _A_PERSON.intersection(_words(clause))):
            return False
    return False


# "What do I do?", "who do I tell?", "what now?": the question every account ends with, which the
# route's own script answers. It asks about nothing else.
_WHAT_NEXT = re.compile(r"^\s*(?:(?:what|who)\s+(?:do|should|shall|can|must)\s+(?:i|we)\s+"
                        r"(?:do|tell|ring|call|phone|contact|speak to|talk to|report (?:it|this|that)\s*(?:to)?)"
                        r"(?:\s+(?:now|next|first|about (?:it|this|that)|here))?|what\s+(?:now|next|happens now))\s*$",
                        re.IGNORECASE)


# A question that starts after an account, with no stop before it: "our dsl is on holiday can i just
# talk to the parents myself", "manager wants us to clear out the old files, ok to just bin it".
_ASKS_MIDWAY = re.compile(r"\b(?:(?:can|could|should|shall|may|must)\s+(?:i|we)|(?:ok|okay|alright|allowed)\s+to"
                          r"|(?:do|does|did|am|is|are)\s+(?:i|we|that|this|it)\s+(?:have|need|allowed|ok|okay|right))\b",
                          re.IGNORECASE)


def _asks_in(clause: str) -> bool:
    """Does this clause ask something beyond "what do I do?": it opens like a question, or one starts midway."""
    return not _WHAT_NEXT.match(clause) and bool(_opens_like_a_question(clause) or _ASKS_MIDWAY.search(clause))


# A word or three, then a question mark, before anything else: "cuckooing?? someone said it at training".
_TERM_FIRST = re.compile(r"^\s*((?:[\w'-]+\s+){0,2}[\w'-]+)\s*\?")


def asks_something(text: str) -> bool:
    """Does the message ask about something, beyond "what do I do?": a clause that opens like a
    question, or ends in a question mark? So does one that opens with a topic's name and a question
    mark ("cuckooing?? someone said it at training"); "Really? she said that and ran off" does not."""
    clauses = _clauses(text)
    asked = [c for c in clauses if not _WHAT_NEXT.match(c)]
    opens_like_one = any(_asks_in(c) for c in clauses)
    marked = text.rstrip().endswith("?") and bool(asked) and not _WHAT_NEXT.match(clauses[-1])
    term = _TERM_FIRST.match(_question(text))
    return opens_like_one or marked or bool(term and _names_a_topic(tuple(_words(term.group(1)))))


def give_way(route_topic: str, text: str, report: bool = False) -> Match | None:
    """What a fixed-script route should answer instead, if the question is really about something else.

    Some routes speak one script for whatever the classifier sent them; the matcher sees the
    question's own words. When nothing in it points at the route's topic and the matcher finds
    another topic (or two to choose from), that is the better answer: "how long are records
    kept?" sent to the whistleblowing route. When something does point at the route's topic, only
    a practice topic with more evidence takes over; a type of harm never does, because a secret
    about FGM is still a question about secrets.

    A `report` route (a worry about a colleague, an accident, whistleblowing) also hears accounts
    of what happened, and an account keeps its route if anything in it is the route's own
    (`signals`: "the coach gives one boy lifts home" is about a colleague, not a question about
    lifts), or if it asks nothing at all: "the keyworker is seeing a 17 year old resident" names
    a job no signal knows, but it is a report. Only a question in general ("can volunteers give
    lifts?"), or an account with nothing of the route's in it that asks something ("two 15 year
    olds swapped nudes, is that a crime" sent to accidents), may be answered otherwise. Someone at work
    who only gave a view of it is read past (`_past_views`): "a 16 year old keeps messaging me, my manager
    says it's fine as she's over 16, is it?" asks about a position of trust, not about the manager.

    Both readers have their say (see `match`): the route keeps the message when its words or a
    sure classifier name the route's topic; it gives way to a topic both agree on, and otherwise
    offers the worker a choice. The classifier alone, when sure, can offer a topic for a question
    in which the words found none, but never take an account away from a report route. A question
    in general with nothing of a report route's in it ("where does a child's file go when they
    leave?") is offered what the classifier leans to even when it is not sure: the script answers none of it.
    """
    text = _past_views(text) if report and _without_a_shrug(text) is None else text   # a shrug: see a_worry_instead
    general = asks_in_general(text)
    if report and not general and (_signalled(route_topic, text) or not asks_something(text)):
        return None   # an account of the route's own, or one that asks nothing
    found, words = match(text), by_words(text).topic
    candidates = _candidates(text)
    if words is not None and (words.key == route_topic or _by_job_title_only(words.key, text)):
        return None   # its own topic, or a bare job title ("can my manager read this?"), keeps the route
    if found.topic is None:
        opinion = classifier.opinion(text)
        if opinion.top == route_topic and opinion.sure:
            return None
        offered = found.choices
        nothing_of_its_own = report and general and not _signalled(route_topic, text)
        if not offered and (opinion.sure or nothing_of_its_own) and (not report or general):
            offered = tuple(t for t in suggest(text) if t.key != route_topic)   # the classifier alone, when sure
        return Match(None, offered) if offered else None   # which do you mean? (the route's topic may be one)
    own = candidates.get(route_topic)
    if own is None or found.topic.kind == "practice" and candidates[found.topic.key][0][0] > own[0][0]:
        return found
    return None


# Colleague signals that, alone, name nobody at work: a body part, anyone at all, shoes, the lead the
# worker reports to ("head lice", "different adults", "new trainers", "I told the DSL").
_NOT_A_JOB_ALONE = frozenset({"head", "adult", "adults", "trainer", "lead", "dsl"})
# The worker's own role ("I'm a volunteer", "I'm only a dinner lady", "as a TA", "a teenager I mentor",
# "…, not a teacher"): not a colleague.
_THE_WORKER = re.compile(r"\b(?:i'?m|i am|i work as|as)\s+(?:only\s+|just\s+)?(?:a|an|the|one of the)\s+"
                         r"(?!(?:bit|little|lot)\b)"
                         r"(?:(?!(?:and|at|in|with|for|i|who|on|but|so)\b)[\w'-]+\s*){1,3}"
                         r"|\bi (?:mentor|coach|teach|tutor|support)\b|\bnot (?:a|an)\s+[\w'-]+", re.IGNORECASE)


# Words that only look like an organisation failing: what the worker has never done ("I've never had to do it
# before"), a child back "like nothing happened", and a head who runs nothing ("the head coach", "head lice").
_NOT_A_FAILING = re.compile(r"\b(?:i|we)(?:'?ve|\s+have|'?d|\s+had)?\s+(?:just\s+|honestly\s+|really\s+)?never\b"
                            r"|\b(?:like|as if|as though)\s+nothing\s+(?:had\s+)?happened\b"
                            r"|\bhead(?=\s+(?:coach|coaches|chef|cook|lifeguard|instructor|gardener|girl|boy|lice|"
                            r"bump|injury|injuries)\b)", re.IGNORECASE)
# Per topic, what only looks like its signals and is read past before looking for them.
_LOOK_ALIKES = {"colleague-concern": _THE_WORKER, "whistleblowing": _NOT_A_FAILING}


def names_a_colleague(text: str) -> bool:
    """Does the message name someone who works or volunteers with children ("the coach", "a TA")?
    Some organisations send such a worry to another person (the head, HR), so a route that hears
    one by mistake offers the colleague route. Someone who only shrugged the worry off ("my manager
    says it's nothing, but…") or gave a view of it is not whom it is about (`_without_a_shrug`, `_past_views`)."""
    return _signalled("colleague-concern", _without_a_shrug(text) or _past_views(text), leave_out=_NOT_A_JOB_ALONE)


# "My co-leader thinks it's attention seeking, but a 13yo showed me scratches…": someone's view of the
# worry, then the worry itself. The view is a sentence of its own, or its start, and "but" turns to the worry.
_SHRUG = re.compile(r"(?:^|(?<=[.!?\n]))\s*(?P<who>[^.?!\n]{0,80}?)\b(?:said|says|say|thinks|think|thought|"
                    r"reckons|reckon|reckoned|insists|feels|told me|tells me|told us)\b[^.?!]{0,80}?[,;]?\s+but\s+"
                    r"(?P<rest>.+)$",
                    re.IGNORECASE | re.DOTALL)
# Who a worry is about: "a 13yo", "one 11 yr old boy", "a yr 6 girl", "the young person".
_A_CHILD = re.compile(r"\b(?:child|children|kids?|boys?|girls?|lads?|lass|son|daughter|bab(?:y|ies)|toddlers?|"
                      r"teens?|teenagers?|pupils?|students?|young (?:person|people)|yp|\d+ ?(?:yo|y/?o|yrs?|years?)\b|"
                      r"(?:yr|year) ?\d+|reception|nursery)\b", re.IGNORECASE)


def _without_a_shrug(text: str) -> str | None:
    """The message without someone at work shrugging the worry off, when it has such a shrug and the
    rest is about a child: "the swim coach said to ignore it, but the older lads keep making monkey noises
    at a Black 12 year old", or "…has a bruise on his thigh. My room leader thinks it's nothing, but
    bruising on babies is a red flag, isn't it?". None otherwise, as when the turn is to the organisation
    ("my manager said leave it but I'm not happy, who else can I tell?"): nothing there is about a child."""
    found = _SHRUG.search(text or "")
    if found is None:
        return None
    who, worry = found.group("who"), text[:found.start("who")] + found.group("rest")
    return worry if _at_work(who) and _A_CHILD.search(worry) else None


def _at_work(who: str) -> bool:
    """Is the one who shrugged, gave a view or passed a worry on someone at work ("my room leader", "the DSL")?"""
    return _signalled("colleague-concern", who, leave_out=_NOT_A_JOB_ALONE) or _signalled("whistleblowing", who)


# Someone at work giving a view or passing a worry on: "Nursery manager thinks…", "the room leader says…",
# "a colleague at breakfast club mentioned…"; not what they say of themselves ("he lets…", "it's funny to…")
# or tell the worker to do ("told me not to…").
_VIEW = re.compile(r"(?:^|(?<=[.!?\n,;]))\s*(?P<who>(?:(?!(?:and|but|so|then|i|we)\b)[\w'-]+\s+){1,6}?)"
                   r"(?:said|says|say|thinks|think|thought|reckons|reckon|reckoned|believes|mentioned|noticed|spotted|"
                   r"flagged|overheard|heard|saw|told (?:me|us)(?!\s+(?:to|not)\b))\b(?:\s+that)?\s+"
                   r"(?!(?:he|she|they|him|her|his|hers|them|their|it'?s funny|its funny)\b)", re.IGNORECASE)


@lru_cache(maxsize=256)   # several routes' checks read the same message past its views
def _past_views(text: str) -> str:
    """The account without anyone at work who only gave a view of it or passed it on, when what is left is
    about a child: "Nursery manager thinks a mum might be making up illnesses for her little boy. Can that be
    abuse?" asks about the boy, not the manager. The view itself stays: "…says it's nothing and won't pass it on".
    What they say of themselves is no view ("the youth leader says he lets the boys sleep over", "one of
    the TAs thinks it's funny to…"): it is what the account is about."""
    rest = _VIEW.sub(lambda found: " " if _at_work(found.group("who")) else found.group(0), text or "")
    return rest if rest != text and _A_CHILD.search(rest) else text


def also_asked(route_topic: str | None, text: str) -> Topic | None:
    """For a message a route keeps as an account: another topic it asks about, to answer or offer
    beside the route's script, never instead of it. "dsl disagrees with me and won't refer, can I?"
    keeps the whistleblowing script and contacts, and also hears who decides on a referral.

    Only when the message asks something more than "what do I do?": beside a plain account ("the
    coach gives one boy lifts home") an answer about lifts answers nothing the worker asked.
    Then a practice question, or a type of harm the worker asks about by name ("is that neglect?"):
    a harm the bot read into an account ("the coach shouted at a boy, is that ok?") would be a
    diagnosis. Both readers must agree on the topic, or, where the words find none, the classifier
    alone be confident of a practice topic ("the coach is seeing a 17 year old from the squad, is he
    allowed?"): beside the route's script that adds a rule of conduct and takes nothing away."""
    if not asks_something(text):
        return None
    whole = match(text)
    found = whole.topic
    # Split between topics, none of them the route's own ("…hurt his thumb, do I tell his dad?" is the accident
    # script's): the clauses that ask may tell which.
    split = found is None and all(t.key != route_topic for t in whole.choices)
    if found is None or found.key == route_topic or _by_job_title_only(found.key, text):
        found = _confidently_practice(route_topic, text) or _practice_by_name(route_topic, text) \
            or (_in_the_question(route_topic, text) if split else None)
    if found is None:
        return None
    return found if found.kind == "practice" or _asked_by_name(found.key, text) else None


def _in_the_question(route_topic: str | None, text: str) -> Topic | None:
    """A practice topic both readers find in the clauses that ask, when the whole message is split between
    topics: "a lad told me something in confidence and our lead wants to wait and see… am I allowed to ring
    social services myself?" asks who decides on a referral; the secret is in the account."""
    asked = " ".join(c for c in _clauses(text) if _asks_in(c))
    found = match(asked).topic if asked else None
    if found is None or found.kind != "practice" or found.key == route_topic or _by_job_title_only(found.key, asked):
        return None
    return found


# "Confidential" alone may be a policy's name or a way of reporting, not a secret kept for a child.
_NOT_A_SECRET_ALONE = frozenset({("confidential",), ("confidentiality",)})


def mentions_a_secret(text: str) -> bool:
    """Is a secret asked for or kept in the message ("she made me promise not to tell…")?"""
    found = _candidates(text).get("confidentiality")
    return found is not None and found[1] not in _NOT_A_SECRET_ALONE


def asked_beside_a_secret(text: str) -> Topic | None:
    """For the secrets route: what else the worker asks about (`also_asked`), or failing that a type of
    harm they ask about by name ("she made me promise not to tell. How should I respond to self-harm?").
    Beside a secret the classifier leans to the secret, so the worker's own naming of the harm is
    enough; the secret is still answered first. Only what the words find: "can i show the message to
    my colleague" is about secrets, however sure the classifier is of contact by phone."""
    if (found := also_asked("confidentiality", text)) and found.key in _candidates(text):
        return found   # the words found it too: the classifier alone leans to a secret's neighbours
    if not asks_something(text):
        return None
    named = [item for item in _candidates(text).items()
             if topics()[item[0]].kind != "practice" and _asked_by_name(item[0], text)]
    return topics()[max(named, key=_rank)[0]] if named else None


def a_worry_instead(route_topic: str, text: str) -> bool:
    """For an account a report route would keep: is it really a worry about a child? "a year 9 boy
    filmed up a girl's skirt on the bus, what do i do" sent to accidents has no injury in it and
    names no one at work, and both readers agree it is a type of harm: "I've noticed something" fits
    better than first aid or the LADO. A practice topic never counts ("the keyworker is seeing a 17
    year old resident" is still a report about a colleague).

    An account with the route's own words in it ("bruise", "cut") is a worry too when the worker names
    a harm in their question ("a bruise the shape of a hand on his cheek, is that physical abuse?"): they
    no longer think it an accident, and "tell the parent" is not the first step for a suspected
    non-accidental injury. A worry naming someone at work always keeps its report route.

    The colleague route hands on an account that names no adult at all, whatever the readers make of
    it: "a girl says a boy her age pinned her to the wall and forced her to kiss him, what now?" is a
    worry about a child, not about someone at work. An unnamed adult ("somebody in the kitchen keeps
    texting a year 9 girl") may well work there, so keeps the route; the colleague route stays one tap
    back for a job the signals don't know ("the cook at breakfast club…").

    Someone at work who only shrugged the worry off is not what it is about (`_without_a_shrug`): "my
    co-leader thinks it's attention seeking, but a 13yo showed me scratches" is a worry about a child,
    unless what is left raises a concern of the route's own or names someone at work. Nor, on the
    colleague route, is someone at work who only passed it on or gave a view of it (`_past_views`: "the
    deputy told me a boy in reception keeps coming in with no breakfast"); on the whistleblowing route
    that view is often the concern itself ("senco said dont refer the lad…")."""
    if _a_tap(text):
        return False
    named = names_a_colleague(text)
    if (worry := _without_a_shrug(text)) is not None and not named and not _signalled(route_topic, worry) \
            and not (route_topic == "colleague-concern" and _SOMEONE.search(worry)):
        return True   # the worry past a shrug: "my manager says it's nothing, but a boy in reception…"
    if named:
        return False
    if _signalled(route_topic, _past_views(text) if route_topic == "colleague-concern" else text):
        return _asks_about_a_harm(text)
    if route_topic == "colleague-concern" and not _SOMEONE.search(text):
        return True   # no adult at all: "a boy her age pinned her against the wall"
    found = match(text).topic
    return found is not None and found.kind != "practice"


_OPENING = 4   # words: "my co-leader at the…", "a fellow volunteer at…", "the PE teacher…"
# Accident signals that, alone, tell of no injury or fall: the adult's arm round a child, a child's face.
_BODY_ALONE = frozenset("head ankle wrist arm leg knee finger fingers tooth teeth face eye".split())


def a_colleague_instead(route_topic: str, text: str) -> bool:
    """For an account the accident route heard: is it really about someone at work? "my co-leader gave
    a 15 year old a vape and a can of beer and said don't tell anyone" has no injury or fall in it, and
    first aid and "tell the parent" answer nothing in it; whom to tell about a colleague does.
    Only when the account opens with them, as what it is about: "…, lifeguard got him out" is not.
    A part of the body alone is no injury: "…videos on his phone with his arm round them"."""
    if _a_tap(text):
        return False
    opening = " ".join(_words(_question(text, said_here=True))[:_OPENING])
    return names_a_colleague(opening) and not _signalled(route_topic, text, leave_out=_BODY_ALONE)


# Someone unnamed who may work there: "somebody in the kitchen keeps texting a year 9 girl".
_SOMEONE = re.compile(r"\b(?:some ?(?:body|one)|(?:wo)?m[ae]n|guys?|blokes?|lad(?:y|ies)|fellas?)\b",
                      re.IGNORECASE)


def _a_tap(text: str) -> bool:
    """No words of the worker's: a button's payload ("/allegation_staff"), or a route carried on after
    the organisation was chosen. The worker chose the route; it is not a message to read."""
    return not _terms(text) or text.lstrip().startswith("/")


def _asks_about_a_harm(text: str) -> bool:
    """Does the worker name a type of harm in a question (`_asked_by_name`), by the words alone?"""
    words = by_words(text)
    return any(t.kind != "practice" and _asked_by_name(t.key, text) for t in (words.topic, *words.choices) if t)


def _confidently_practice(route_topic: str | None, text: str) -> Topic | None:
    """The classifier's first choice, when it is a practice topic other than the route's and likely."""
    opinion = classifier.opinion(text)
    top = topics()[opinion.top]
    if top.key == route_topic or top.kind != "practice" or not opinion.sure or opinion.confidence < BESIDE_FROM:
        return None
    return None if top.key in _candidates(text) and _by_job_title_only(top.key, text) else top


def _practice_by_name(route_topic: str | None, text: str) -> Topic | None:
    """A practice topic other than the route's that the message calls by its own name ("at what point
    does the LADO have to be told?"): a name is no everyday word that could mean something else, so
    the classifier need not agree, and beside a route's script its answer takes nothing away."""
    words = _terms(_question(text))
    return next((topics()[key] for key in _named_practice() if key != route_topic
                 and any(_match_score(words, list(name), typos=False) for name in _names_of(key))), None)


@lru_cache(maxsize=1)
def _named_practice() -> tuple[str, ...]:
    return tuple(t.key for t in topics().values() if t.kind == "practice" and t.names)


# Words that report what someone told or said: "what do I do, she just told me…" is an account.
_TELLS = re.compile(r"\b(?:told|tells|telling|said|says|disclosed|discloses|just)\b", re.IGNORECASE)


def asked_outright(text: str) -> Match | None:
    """For a message the intent model heard as a worry: is it only a question ("is it neglect if a
    kid always comes in hungry?", "can I keep it secret if she asks me to?")? Then its answer, or a
    choice of two, fits better than "write it down and tell your lead".

    Only one clause that opens like a question and reports no one's words, and only a practice
    topic or a harm the worker names: "is this grooming? a man keeps messaging one of our girls"
    and "what do I do, she just told me…" keep the worry's script, and a harm the bot would read into
    the question ("how do I help a lad being made to sell drugs?") would be a diagnosis."""
    clauses = _clauses(text)
    if len(clauses) != 1 or not _opens_like_a_question(clauses[0]) or _TELLS.search(text):
        return None
    found = match(text)
    offered = (found.topic,) if found.topic else found.choices
    if not offered or not all(t.kind == "practice" or _asked_by_name(t.key, text) for t in offered):
        return None
    return found


# How a worker asks what a term means: "what is grooming?", "whats county lines", "define cuckooing".
_WHAT_IS = tuple(tuple(p.split()) for p in ("what is", "whats", "what are", "what does", "define", "meaning of",
                                            "explain"))


def _asked_by_name(key: str, text: str) -> bool:
    """Does the worker ask whether it is this topic, or what it is ("does this count as grooming?",
    "what is a trap house?"), or ask a question in which they name it ("can a 16 year old be sexually
    exploited if she agrees?", "is leaving him home alone every night neglect?")? A sign in a question
    ("is it ok to leave kids home alone?") is not a name: the bot would be reading a harm into it."""
    names = _names_of(key)
    for clause in _clauses(text):
        words = _terms(clause)
        asking = _opens_like_a_question(clause)
        for alias in _aliases_of(key):
            for (asked, *_), span in _fits(words, list(alias)):
                if asked or _asked_about(words, span.start, _WHAT_IS) or asking and alias in names:
                    return True
    return False


@lru_cache(maxsize=None)
def _names_of(key: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(_terms(name)) for name in topics()[key].names)


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
    gist = f"{topic.title}: {view.summary or topic.summary}\n\n{source_line}"
    if detail:
        text = f"{topic.title}\n\n{more}\n\n{source_line}\n\n{closing}"
        more = ""
    else:
        text = f"{gist}\n\n{closing}"
    return Answer(topic.key, topic.title, text, gist, more, sources)


def word_count(text: str) -> int:
    """Words as a reader counts them on screen (the § sign and dashes are not words)."""
    return len([w for w in text.split() if re.search(r"\w", w)])
