"""What each topic means when a profile does not spell out its own route.

Profiles override these per topic (routes: in the YAML) where their policy says
something different, e.g. Grange sends staff allegations to the headteacher.
"""
from __future__ import annotations

from .errors import UnknownTopic
from .model import RouteItem
from .schema import TOPICS

_ALIASES = {
    "disclosure": "concern",
    "concern-observed": "concern",
    "ask-contact": "concern",
    "danger": "immediate-danger",
    "emergency": "immediate-danger",
    "allegation": "allegation-staff",
    "allegation-lead": "allegation-head",
    "prevent": "radicalisation",
    "extremism": "radicalisation",
    "female-genital-mutilation": "fgm",
}

_FGM_999 = ("If a girl is at immediate risk of FGM (for example, about to be taken abroad for it), "
            "ring 999 now.")

DEFAULT_ROUTES: dict[str, tuple[RouteItem, ...]] = {
    "concern": (RouteItem(ref="leads"), RouteItem(ref="local_authority")),
    "immediate-danger": (RouteItem(ref="emergency"), RouteItem(ref="leads"), RouteItem(ref="local_authority")),
    "allegation-staff": (RouteItem(ref="leads"), RouteItem(ref="area.lado")),
    "allegation-head": (RouteItem(ref="area.lado"),),
    "fgm": (RouteItem(note=_FGM_999), RouteItem(ref="police"), RouteItem(ref="leads"),
            RouteItem(ref="local_authority")),
    "radicalisation": (RouteItem(ref="leads"), RouteItem(ref="local_authority"), RouteItem(ref="police")),
    "whistleblowing": (RouteItem(ref="national.nspcc_whistleblowing"), RouteItem(ref="local_authority")),
}

# Default "why" sentences, by topic then by kind of step; "*" applies to any topic.
DEFAULT_WHY: dict[str, dict[str, str]] = {
    "*": {
        "emergency": "A child is in immediate danger: ring 999 now, before anything else.",
        "lead": "Tell your safeguarding lead straight away.",
        "lead_others": "If they are not available.",
        "front_door": "Children's social care for {area}. Your lead normally makes this call; "
                      "if no lead can be reached, ring it yourself.",
        "out_of_hours": "Out of office hours, urgent concerns go to the out-of-hours team.",
        "lado": "Allegations about anyone who works with children go to the LADO "
                "(Local Authority Designated Officer).",
        "police": "Police non-emergency line.",
        "nspcc_whistleblowing": "If your organisation is not acting on a concern, this NSPCC line gives "
                                "free advice to staff.",
    },
    "immediate-danger": {
        "lead": "Once the child is safe, tell your safeguarding lead.",
    },
    "allegation-staff": {
        "lead": "Tell the safeguarding lead straight away. Do not investigate or warn the person.",
    },
    "fgm": {
        "police": "Teachers and regulated health and social care professionals must report known FGM in a "
                  "girl under 18 to the police themselves: ring 101.",
        "lead": "Tell your safeguarding lead too.",
    },
    "radicalisation": {
        "lead": "Tell your safeguarding lead; they decide on any Prevent referral.",
        "police": "For advice on a radicalisation (Prevent) concern you can also ring the police on 101.",
    },
    "whistleblowing": {
        "front_door": "Anyone can refer a child to children's social care for {area} directly.",
    },
}


def normalise_topic(topic: str | None) -> str:
    """Accept the topic ids, Rasa intent spellings (immediate_danger) and a few synonyms."""
    key = (topic or "concern").strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key not in TOPICS:
        raise UnknownTopic(f"unknown topic {topic!r}; topics: {', '.join(TOPICS)}")
    return key


def default_why(topic: str, kind: str) -> str | None:
    return DEFAULT_WHY.get(topic, {}).get(kind) or DEFAULT_WHY["*"].get(kind)


def topic_why(topic: str, kind: str) -> str | None:
    """Only a topic-specific sentence (no generic fallback)."""
    return DEFAULT_WHY.get(topic, {}).get(kind)
