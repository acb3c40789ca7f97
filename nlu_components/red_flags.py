"""Rasa adapter for the red-flag rules in bot.language.red_flags.

Sits after the FallbackClassifier so its word is final: when a rule fires the intent
becomes immediate_danger with confidence 1.0, whatever DIET or the fallback said,
and the reasons travel with the parse result so the dialogue can show them.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language import red_flags

logger = logging.getLogger(__name__)

DANGER_INTENT = "immediate_danger"
RED_FLAGS_KEY = "red_flags"
ORIGINAL_INTENT_KEY = "intent_before_red_flags"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagClassifier(GraphComponent, IntentClassifier):
    """Overrides the learned intent with immediate_danger when a red-flag rule fires."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": DANGER_INTENT}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RedFlagClassifier":
        red_flags.detect("warm up")   # build the matchers now, not on a worker's first message
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text: Optional[str] = message.get(TEXT)
        if not text or text.startswith("/"):   # button payloads already carry their intent
            return
        try:
            flags = red_flags.detect(text)
        except Exception:   # a rule bug must never take the classifier down with it
            logger.exception("red-flag detection failed; leaving the learned intent alone")
            return
        if not flags:
            return
        danger = self.component_config.get("intent", DANGER_INTENT)
        original = message.get(INTENT) or {}
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != danger]
        message.set(ORIGINAL_INTENT_KEY, dict(original), add_to_output=True)
        message.set(INTENT, {INTENT_NAME_KEY: danger, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{INTENT_NAME_KEY: danger, PREDICTED_CONFIDENCE_KEY: 1.0}, *ranking],
                    add_to_output=True)
        message.set(RED_FLAGS_KEY, [{"rule": f.rule, "reason": f.reason} for f in flags], add_to_output=True)
