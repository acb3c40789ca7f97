"""Starts the real Rasa server and action server on free ports for end-to-end tests."""
from __future__ import annotations

import json
import urllib.request

import pytest

from bot import serve
from tests.conftest import TEST_KEY

FRIDAY_EVENING = "2026-11-20T18:00"   # out of hours for every organisation


class Bot:
    """A worker talking to the REST channel, as the web widget does."""

    def __init__(self, url: str):
        self.url = url

    def say(self, sender: str, text: str, org: str | None = None) -> list[dict]:
        body: dict = {"sender": sender, "message": text}
        if org:
            body["metadata"] = {"org": org}
        req = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: run `make test`, which trains first")
    tmp = tmp_path_factory.mktemp("e2e")
    env = {"SAFEGUARD_KEYS": TEST_KEY, "SAFEGUARD_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
           "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp / 'conversations.db'}", "SAFEGUARD_NOW": FRIDAY_EVENING}
    with serve.running(env, tmp) as stack:
        yield Bot(f"http://127.0.0.1:{stack.ports.rasa}"), tmp / "e2e.db", env, stack
