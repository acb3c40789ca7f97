"""Leads register their Telegram chat with a one-time code; only leads' chats are kept, encrypted."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from bot.concerns.store import ConcernStore
from bot.notify.leads import NotARecipient, chat_of, issue_code, register_lead
from bot.serve import ROOT
from tests.notify.conftest import ORG


@pytest.fixture
def records(orgs, db_url, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:00")
    return ConcernStore.from_env()


def test_a_code_registers_the_chat_once(records, db_url):
    code = issue_code(ORG, 1, records)
    assert len(code) == 11 and code[5] == "-"
    reply = register_lead(code, 987654321, records)
    assert "Lead Tester" in reply and "Missing Link" in reply and "never a child's details" in reply
    assert chat_of(records, ORG, "Lead Tester") == "987654321"
    assert "isn't one I know" in register_lead(code, 111, records)            # once only
    assert chat_of(records, ORG, "Lead Tester") == "987654321"
    with create_engine(db_url, future=True).connect() as conn:
        raw = " ".join(str(r) for r in conn.execute(text("SELECT * FROM lead_chats")))
        raw += " ".join(str(r) for r in conn.execute(text("SELECT * FROM lead_codes")))
    assert "987654321" not in raw and code.replace("-", "") not in raw          # encrypted; codes hashed


def test_codes_are_forgiving_about_case_and_spaces_and_a_new_code_moves_the_chat(records):
    code = issue_code(ORG, 3, records)
    assert "Third Tester" in register_lead(f"  {code.lower()} ", 42, records)
    assert "Third Tester" in register_lead(issue_code(ORG, 3, records).replace("-", ""), 43, records)
    assert chat_of(records, ORG, "Third Tester") == "43"


def test_expired_unknown_and_wrong_recipients_are_refused(records, monkeypatch):
    code = issue_code(ORG, 1, records, lifetime=timedelta(minutes=5))
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-11-20T18:06")
    assert "expired" in register_lead(code, 1, records)
    assert "isn't one I know" in register_lead("ABCDE-FGHJK", 1, records)
    assert chat_of(records, ORG, "Lead Tester") is None
    with pytest.raises(NotARecipient, match="not alerted by Telegram"):
        issue_code(ORG, 2, records)                        # the deputy is alerted by email only
    with pytest.raises(NotARecipient, match="no number 9"):
        issue_code(ORG, 9, records)
    with pytest.raises(NotARecipient):
        issue_code("west-kent", 1, records)                # a real profile: no alerts section


def test_command_prints_a_code_and_refuses_nonsense(records):
    run = lambda *a: subprocess.run([sys.executable, "-m", "bot", "alerts", "register-code", *a],
                                    cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=60)
    done = run("--org", ORG, "--recipient", "1")
    assert done.returncode == 0 and "Lead Tester" in done.stderr
    assert "Lead Tester" in register_lead(done.stdout.strip(), 77, ConcernStore.from_env())
    refused = run("--org", ORG, "--recipient", "2")
    assert refused.returncode == 2 and "not alerted by Telegram" in refused.stderr
    assert run("--org", "nowhere", "--recipient", "1").returncode == 2


def test_a_lead_registers_by_sending_the_code_to_the_bot(records):
    """Through the real Telegram bridge (python-telegram-bot against the fake Bot API)."""
    import asyncio
    import time

    from telegram import Update

    from bot.rasa_client import RasaClient
    from bot.telegram.bridge import Bridge, Settings
    from tests.telegram.fake_bot_api import FakeBotAPI

    api = FakeBotAPI().start()
    code = issue_code(ORG, 1, records)
    bridge = Bridge(Settings(api.token, api.base_url), records, RasaClient("http://127.0.0.1:9"))

    def command(update_id: int, text: str) -> dict:
        return {"update_id": update_id, "message": {
            "message_id": update_id, "date": int(time.time()), "text": text, "chat": {"id": 5150, "type": "private"},
            "from": {"id": 5150, "is_bot": False, "first_name": "Lee"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}

    async def go() -> None:
        await bridge.start()
        try:
            await bridge.handle_batch([Update.de_json(command(1, "/lead"), bridge.app.bot),
                                       Update.de_json(command(2, f"/lead {code}"), bridge.app.bot)])
        finally:
            await bridge.stop()
    try:
        asyncio.run(go())
    finally:
        api.stop()
    first, second = (s.text for s in api.sent_to(5150))
    assert "/lead followed by the code" in first
    assert "Lead Tester" in second and chat_of(records, ORG, "Lead Tester") == "5150"
