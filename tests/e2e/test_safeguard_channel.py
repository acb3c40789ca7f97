"""Our own clients' channel: a retried message is answered again, never handled twice."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def post(url: str, body: dict, channel: str = "safeguard") -> tuple[int, list | dict, dict]:
    req = urllib.request.Request(f"{url}/webhooks/{channel}/webhook", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read()), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


def message(sender: str, text: str, mid: str) -> dict:
    return {"sender": sender, "message": text, "message_id": mid, "metadata": {"org": "missing-link"},
            "input_channel": "widget"}


def test_a_retried_message_gets_the_same_answer_and_the_form_moves_once(live):
    bot, *_ = live
    me = "safeguard-retry"
    status, first, _ = post(bot.url, message(me, "/start_concern", "m1"))
    assert status == 200 and "Who is the child" in first[-1]["text"]
    _, answer, headers = post(bot.url, message(me, "T.W., year 4", "m2"))
    assert "When did it happen" in answer[-1]["text"]
    status, again, headers = post(bot.url, message(me, "T.W., year 4", "m2"))      # the client retried
    assert status == 200 and again == answer and headers.get("X-Safeguard-Replayed") == "1"
    _, nxt, _ = post(bot.url, message(me, "monday", "m3"))
    assert "Where did it happen" in nxt[-1]["text"]                               # not "Where" twice over


@pytest.mark.parametrize("body, problem", [
    ({"sender": "x", "message": "hi"}, "message_id"),
    ({"sender": "", "message": "hi", "message_id": "1"}, "sender"),
    ({"sender": "x", "message": "a" * 20_001, "message_id": "1"}, "longer than"),
    ({"sender": "x", "message": "hi", "message_id": "1", "metadata": "org"}, "metadata"),
])
def test_bad_requests_are_refused_with_a_reason(live, body, problem):
    bot, *_ = live
    status, reply, _ = post(bot.url, body)
    assert status == 400 and problem in reply["error"]


def test_the_rest_channel_takes_messages_without_an_id_and_replays_with_one(live):
    bot, *_ = live
    body = {"sender": "rest-quiet", "message": "/start_concern", "metadata": {"org": "missing-link"}}
    status, first, _ = post(bot.url, body, "rest")
    assert status == 200 and "Who is the child" in first[-1]["text"]
    _, answer, _ = post(bot.url, {**body, "message": "P.Q., year 2", "message_id": "r1"}, "rest")
    _, again, headers = post(bot.url, {**body, "message": "P.Q., year 2", "message_id": "r1"}, "rest")
    assert again == answer and headers.get("X-Safeguard-Replayed") == "1"
