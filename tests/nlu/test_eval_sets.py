"""The evaluation sets stay usable: every guidance question names a real topic, and no new question
of a development or held-out set finds its way into the training data."""
from __future__ import annotations

import pytest
import yaml

from bot.guidance import knowledge
from bot.nlu_eval import GUIDANCE_DEV, GUIDANCE_HELDOUT, _norm, training_texts

# Short generic questions ("what is fgm") that the training data already held when the held-out set was
# written; the evaluation leaves them out and says how many. The number may fall, never rise.
ALREADY_TRAINED = {GUIDANCE_DEV.name: 0, GUIDANCE_HELDOUT.name: 10}


@pytest.mark.parametrize("path", [GUIDANCE_DEV, GUIDANCE_HELDOUT], ids=lambda p: p.name)
def test_guidance_sets_name_real_topics_and_are_not_trained_on(path):
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    assert len(questions) >= 30
    unknown = {q["topic"] for q in questions} - set(knowledge.topics())
    assert not unknown, f"{path.name}: topics not in the knowledge base: {sorted(unknown)}"
    trained = training_texts()
    leaked = [q["text"] for q in questions if _norm(q["text"]) in trained]
    assert len(leaked) <= ALREADY_TRAINED[path.name], f"{path.name}: in the training data: {leaked}"
