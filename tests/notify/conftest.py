"""Alerts to leads, in process: a copied profile with an `alerts` section, a local SMTP
server (aiosmtpd), the fake Telegram Bot API, and SQLite or the private PostgreSQL."""
from __future__ import annotations

import email
import email.policy
import shutil
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from bot.concerns import conversations, outbox, store
from bot.serve import free_port
from tests.telegram.fake_bot_api import FakeBotAPI

REPO = Path(__file__).resolve().parents[2]
ORG = "missing-link"
FRIDAY_EVENING = "2026-11-20T18:00"
LEAD_CHAT = 5001
ALERTS = """
alerts:
  urgent_minutes: 15
  standard_minutes: 240
  recipients:
    - {role: Designated Safeguarding Lead, name: Lead Tester, email: lead@example.org, telegram: true}
    - {role: Deputy Designated Safeguarding Lead, name: Deputy Tester, email: deputy@example.org}
    - {role: Chief Executive, name: Third Tester, telegram: true}
"""


class Mailbox:
    """A local SMTP server that keeps what it receives; it can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append(message)
        return "250 OK"

    def start(self) -> "Mailbox":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for m in self.received if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(("plain",)).get_content()


@pytest.fixture
def orgs(tmp_path, monkeypatch) -> Path:
    """Copies of the real profiles; missing-link's gets an alerts section with test addresses."""
    d = tmp_path / "orgs"
    shutil.copytree(REPO / "data" / "orgs", d)
    (d / f"{ORG}.yml").write_text((d / f"{ORG}.yml").read_text() + ALERTS)
    monkeypatch.setenv("SAFEGUARD_ORGS_DIR", str(d))
    return d


@pytest.fixture
def mailbox(monkeypatch):
    box = Mailbox().start()
    monkeypatch.setenv("SAFEGUARD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SAFEGUARD_SMTP_PORT", str(box.port))
    monkeypatch.setenv("SAFEGUARD_SMTP_FROM", "alerts@guide.example.org")
    yield box
    box.stop()


@pytest.fixture
def bot_api(monkeypatch):
    api = FakeBotAPI().start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    yield api
    api.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch) -> str:
    """The records database, SQLite or the real PostgreSQL that make test starts, as the bot's default."""
    url = (f"sqlite:///{tmp_path / 'records.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", url)
    for cache in (store.default_store, outbox.default_outbox, conversations.default_vault):
        cache.cache_clear()
    return url


@pytest.fixture
def alerting(orgs, mailbox, bot_api, db_url, monkeypatch):
    """Everything in place, on a frozen Friday evening, with the lead's Telegram chat registered."""
    from bot.concerns.store import ConcernStore
    from bot.notify.leads import issue_code, register_lead
    monkeypatch.setenv("SAFEGUARD_NOW", FRIDAY_EVENING)
    monkeypatch.setenv("SAFEGUARD_PUBLIC_URL", "https://guide.example.org")
    s = ConcernStore.from_env()
    assert "Lead Tester" in register_lead(issue_code(ORG, 1, s), LEAD_CHAT, s)
    return s
