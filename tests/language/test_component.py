"""The Rasa component: a red-flag message parses as immediate_danger with its reasons;
a negated one is left to the learned model."""
from __future__ import annotations

import asyncio

import pytest

from bot import serve


@pytest.fixture(scope="module")
def parse():
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: train first (`make train`, or "
                    "`.venv/bin/rasa train --fixed-model-name safeguard --out models`)")
    from rasa.core.agent import Agent

    agent = Agent.load(str(serve.MODEL))
    names = [node.uses.__name__ for node in agent.processor.model_metadata.predict_schema.nodes.values()]
    if "RedFlagClassifier" not in names:
        pytest.fail(f"{serve.MODEL} was trained without RedFlagClassifier: retrain with the current config.yml")
    return lambda text: asyncio.run(agent.parse_message(text))


def test_red_flag_message_parses_as_danger_with_reasons(parse):
    result = parse("he's got a knife and says he'll do it tonight")
    assert result["intent"] == {"name": "immediate_danger", "confidence": 1.0}
    assert {"rule": "weapon", "reason": "a weapon was mentioned"} in result["red_flags"]
    assert result["intent_ranking"][0]["name"] == "immediate_danger"
    assert "intent_before_red_flags" in result   # what the learned model said is kept


def test_rules_override_whatever_the_model_thought(parse):
    result = parse("who do i ring, she's scared to go home tonight because he said he'd kill her")
    assert result["intent"]["name"] == "immediate_danger"
    assert {f["rule"] for f in result["red_flags"]} >= {"afraid_to_go_home", "threat_to_kill_or_hurt"}


def test_negated_message_is_left_alone(parse):
    result = parse("she is not in danger and there was no weapon, but she seems very withdrawn")
    assert "red_flags" not in result or not result["red_flags"]
    assert result["intent"]["name"] != "immediate_danger" or result["intent"]["confidence"] < 1.0


def test_button_payloads_are_left_alone(parse):
    result = parse("/ask_contact")
    assert result["intent"]["name"] == "ask_contact"
    assert not result.get("red_flags")
