"""The real bot (Rasa, actions, web app) plus the real Telegram bridge, against a fake Bot API."""
from __future__ import annotations

import pytest

from bot import serve
from tests.conftest import TEST_KEY
from tests.telegram.fake_bot_api import FakeBotAPI

FRIDAY_EVENING = "2026-11-20T18:00"   # out of hours for every organisation


@pytest.fixture(scope="session")
def telegram(tmp_path_factory):
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: run `make test`, which trains first")
    api = FakeBotAPI().start()
    tmp = tmp_path_factory.mktemp("telegram")
    env = {"SAFEGUARD_KEYS": TEST_KEY, "SAFEGUARD_PSEUDONYM_KEY": "telegram-test-secret",
           "SAFEGUARD_DATABASE_URL": f"sqlite:///{tmp / 'records.db'}",
           "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp / 'conversations.db'}",
           "SAFEGUARD_NOW": FRIDAY_EVENING, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url,
           "TELEGRAM_POLL_TIMEOUT": "1", "TELEGRAM_RETRY_PAUSE": "1"}
    try:
        with serve.running(env, tmp) as stack:
            yield api, stack, env, tmp / "records.db"
    finally:
        api.stop()
