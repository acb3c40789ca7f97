"""Fresh messages (never trained on) reach their route often enough.

Floors, not targets: they sit a little under today's measured figures so that a
change to the training data that makes the bot worse for workers fails here.
The figures themselves go in the issue notes (python -m bot.nlu_eval).
"""
from __future__ import annotations

import pytest

from bot import serve
from bot.nlu_eval import FRESH_SETS, evaluate, load_fresh

# route -> the fewest fresh messages (of each set's 10 or 5) that must reach it
FLOORS = {
    "immediate_danger": 7, "disclosure": 8, "concern_observed": 6, "allegation_staff": 6,
    "accident": 7, "ask_contact": 8, "ask_definition": 4, "ask_confidentiality": 3,
    "whistleblowing": 4, "bot_challenge": 3, "out_of_scope": 1,
}


@pytest.fixture(scope="module", params=FRESH_SETS, ids=lambda p: p.stem)
def scores(request):
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: run `make test`, which trains first")
    return evaluate(serve.MODEL, load_fresh(request.param, exclude_trained=True))


@pytest.mark.parametrize("route", sorted(FLOORS))
def test_route_accuracy_floor(scores, route):
    score = scores[route]
    # A message left out for being in training data lowers the floor with the total.
    floor = FLOORS[route] - (10 if score.total > 5 else 5) + score.total
    assert score.correct >= floor, f"{route}: {score.correct}/{score.total}; missed {score.misses}"
