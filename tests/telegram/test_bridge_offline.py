"""When Rasa or the database is down, the worker hears so at once and the update is not confirmed."""
from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import create_engine
from telegram import Update

from bot.concerns import default_store
from bot.concerns.crypto import FieldCipher
from bot.concerns.store import ConcernStore
from bot.rasa_client import RasaClient, Retry
from bot.telegram.bridge import Bridge, Settings
from tests.conftest import TEST_KEY
from tests.telegram.conftest import FRIDAY_EVENING
from tests.telegram.fake_bot_api import FakeBotAPI


@pytest.fixture
def api():
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


def message(update_id: int, uid: int, text: str) -> dict:
    body = {"message_id": update_id, "date": int(time.time()), "text": text, "chat": {"id": uid, "type": "private"},
            "from": {"id": uid, "is_bot": False, "first_name": "Sam"}}
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": body}


async def run_batch(bridge: Bridge, updates: list[dict]) -> tuple[int, bool]:
    await bridge.start()
    try:
        return await bridge.handle_batch([Update.de_json(u, bridge.app.bot) for u in updates])
    finally:
        await bridge.stop()


def test_rasa_down_tells_the_worker_once_and_keeps_the_update(api, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", FRIDAY_EVENING)   # the numbers depend on the hour
    rasa = RasaClient("http://127.0.0.1:9", Retry(attempts=2, first_wait=0.01))
    bridge = Bridge(Settings(api.token, api.base_url), default_store(), rasa)
    bridge.members.join(bridge._key(Update.de_json(message(1, 501, "x"), None)), "grange-primary")
    offset, complete = asyncio.run(run_batch(bridge, [message(10, 501, "a child told me something"),
                                                      message(11, 501, "she is 9")]))
    assert (offset, complete) == (10, False)              # neither is confirmed; 11 waits behind 10
    sent = api.sent_to(501)
    assert len(sent) == 2                                  # the notice, then the numbers: once, not per message
    assert "can't reach my conversation server" in sent[0].text and "999" in sent[0].text
    assert "0345 606 1212" in sent[1].text                 # Grange, out of hours (the test clock's Friday)


def test_other_chats_are_answered_and_confirmed_while_one_waits(api):
    rasa = RasaClient("http://127.0.0.1:9", Retry(attempts=1))
    bridge = Bridge(Settings(api.token, api.base_url), default_store(), rasa)
    offset, complete = asyncio.run(run_batch(bridge, [message(20, 601, "hello"), message(21, 602, "/help")]))
    assert (offset, complete) == (20, False)
    assert "/danger" in api.sent_to(602)[0].text
    assert 21 in bridge._done                              # not sent twice when the batch comes back


def test_database_down_keeps_the_update_and_says_so(api, tmp_path):
    broken = ConcernStore(create_engine(f"sqlite:///{tmp_path}/missing/dir/x.db", future=True),
                          FieldCipher([TEST_KEY.encode()]))
    bridge = Bridge(Settings(api.token, api.base_url), broken, RasaClient("http://127.0.0.1:9", Retry(attempts=1)))
    offset, complete = asyncio.run(run_batch(bridge, [message(30, 701, "/call")]))
    assert (offset, complete) == (30, False)
    text = api.sent_to(701)[0].text
    assert "isn't lost" in text and "999" in text


def test_telegram_down_at_start_up_is_waited_for(api, monkeypatch):
    monkeypatch.setattr("bot.telegram.bridge.asyncio.sleep", _no_wait)
    api.fail("getMe", 3)
    bridge = Bridge(Settings(api.token, api.base_url), default_store(), RasaClient("http://127.0.0.1:9"))

    async def go():
        await bridge.start_when_reachable()
        await bridge.stop()
    asyncio.run(go())
    assert [c for c in api.calls if c.method == "setMyCommands"]


def test_a_wrong_token_stops_with_a_clear_message(api, tmp_path):
    import os
    import subprocess
    import sys
    env = dict(os.environ, TELEGRAM_BOT_TOKEN="999:WRONG", TELEGRAM_API_URL=api.base_url)
    done = subprocess.run([sys.executable, "-m", "bot", "telegram"], env=env, capture_output=True, text=True,
                          timeout=120, cwd=str(__import__("bot.serve").serve.ROOT))
    assert done.returncode == 1 and "Telegram refused TELEGRAM_BOT_TOKEN" in done.stderr


async def _no_wait(seconds: float) -> None:
    return None
