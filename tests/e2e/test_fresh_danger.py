"""Whatever the classifier makes of a danger message, the first reply says 999."""
from __future__ import annotations

import pytest

from bot.nlu_eval import FRESH_SETS, load_fresh

pytestmark = pytest.mark.e2e

DANGER = [(path.stem, i, text) for path in FRESH_SETS
          for i, (text, route) in enumerate(load_fresh(path)) if route == "immediate_danger"]


@pytest.mark.parametrize("set_name, index, text", DANGER, ids=[f"{s}-{i}" for s, i, _ in DANGER])
def test_first_reply_to_a_danger_message_says_999(live, set_name, index, text):
    bot, _, _, _ = live
    replies = bot.say(f"danger-{set_name}-{index}", text, "independence-project")
    assert replies, text
    assert "999" in replies[0]["text"], (text, replies[0]["text"][:200])
