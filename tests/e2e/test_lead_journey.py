"""The lead's side end to end: a concern filed through the REST channel alerts the lead by Telegram (fake Bot
API) and email (local SMTP); nobody acknowledges, so after a restart of everything the deputy is alerted, once;
the lead signs in to the inbox with a password and a TOTP code, reads the concern (the read is in the audit)
and records a decision with reasons."""
from __future__ import annotations

import re
import shutil
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import create_engine

from bot import clock, serve
from bot.concerns.crypto import FieldCipher
from bot.concerns.store import ConcernStore
from bot.inbox.accounts import Accounts
from bot.notify.leads import issue_code, register_lead
from tests.conftest import TEST_KEY
from tests.e2e.conftest import Bot
from tests.inbox.conftest import PASSWORD, make_person
from tests.notify.conftest import Mailbox
from tests.telegram.fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.e2e
ORG = "missing-link"
START = "2026-11-20T18:00"
LEAD_CHAT = 6001
CHILD_WORDS = "my uncle makes me carry bags to the flats and says he'll hurt my mum if i stop"
ALERTS = """
alerts:
  urgent_minutes: 15
  standard_minutes: 15
  recipients:
    - {role: Designated Safeguarding Lead, name: Lee Lead, email: lead@example.org, telegram: true}
    - {role: Deputy Designated Safeguarding Lead, name: Dee Deputy, email: deputy@example.org}
"""


def wait(predicate, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_filed_alerted_escalated_after_restart_once_then_read_and_decided(tmp_path, monkeypatch):
    if not serve.MODEL.exists():
        pytest.fail(f"no trained model at {serve.MODEL}: run `make test`, which trains first")
    orgs = tmp_path / "orgs"
    shutil.copytree(serve.ROOT / "data" / "orgs", orgs)
    (orgs / f"{ORG}.yml").write_text((orgs / f"{ORG}.yml").read_text() + ALERTS)
    api, mailbox = FakeBotAPI().start(), Mailbox().start()
    db = tmp_path / "records.db"
    env = {"SAFEGUARD_KEYS": TEST_KEY, "SAFEGUARD_PSEUDONYM_KEY": "journey-secret",
           "SAFEGUARD_DATABASE_URL": f"sqlite:///{db}", "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp_path / 'c.db'}",
           "SAFEGUARD_ORGS_DIR": str(orgs), "SAFEGUARD_NOW": START, "SAFEGUARD_PUBLIC_URL": "http://127.0.0.1",
           "SAFEGUARD_SMTP_HOST": "127.0.0.1", "SAFEGUARD_SMTP_PORT": str(mailbox.port),
           "SAFEGUARD_SMTP_FROM": "alerts@guide.example.org",
           "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url, "TELEGRAM_POLL_TIMEOUT": "1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    store = ConcernStore(create_engine(f"sqlite:///{db}", future=True), FieldCipher([TEST_KEY.encode()]))
    store.create_schema()
    assert "Lee Lead" in register_lead(issue_code(ORG, 1, store), LEAD_CHAT, store)
    lead = make_person(Accounts(store), ORG, "Lee Lead", {"lead"})
    try:
        # 1. A worker files a concern through the REST channel; the lead is alerted both ways.
        with serve.running(env, tmp_path) as stack:
            bot = Bot(f"http://127.0.0.1:{stack.ports.rasa}")
            me = "journey-worker"
            bot.say(me, "a boy told me his uncle makes him carry bags and threatens his mum", ORG)
            for message in ("/start_concern", "J.B., 14", "today 4pm", "drop-in", CHILD_WORDS, "skip",
                            "I said thank you for telling me", "skip", "nothing yet", "not yet", "Sam, youth worker"):
                bot.say(me, message, ORG)
            filed = bot.text(bot.say(me, "/affirm", ORG))
            reference = re.search(r"SG-2026-\d{6}", filed).group(0)
            wait(lambda: mailbox.to("lead@example.org") and api.sent_to(LEAD_CHAT), what="the lead's alerts")
        [lead_email], [lead_dm] = mailbox.to("lead@example.org"), api.sent_to(LEAD_CHAT)
        assert reference in lead_email["Subject"] and reference in lead_dm.text
        assert "carry bags" not in Mailbox.body(lead_email) + lead_dm.text     # never the child's words
        assert mailbox.to("deputy@example.org") == []

        # 2. Nobody acknowledges. Everything is stopped and started again 16 minutes later: the deputy, once.
        later = (clock.parse_moment(START) + timedelta(minutes=16)).isoformat()
        env["SAFEGUARD_NOW"] = later
        monkeypatch.setenv("SAFEGUARD_NOW", later)
        with serve.running(env, tmp_path) as stack:
            wait(lambda: mailbox.to("deputy@example.org"), what="the deputy's alert")
            time.sleep(12)                                     # two more passes of the alerts worker
            stack.restart("alerts")
            time.sleep(12)
            assert len(mailbox.to("deputy@example.org")) == 1
            assert len(mailbox.to("lead@example.org")) == 1 and len(api.sent_to(LEAD_CHAT)) == 1

            # 3. The lead signs in with password and code, reads the concern, records a decision.
            web = httpx.Client(base_url=f"http://127.0.0.1:{stack.ports.web}", follow_redirects=True, timeout=30)
            page = web.get("/inbox/sign-in").text
            page = web.post("/inbox/sign-in", data={"csrf": csrf(page), "username": lead.username,
                                                    "password": PASSWORD}).text
            listing = web.post("/inbox/code", data={"csrf": csrf(page), "code": lead.code()}).text
            assert reference in listing and "Waiting for a lead to acknowledge" in listing
            page = web.get(f"/inbox/concerns/{reference}").text
            assert CHILD_WORDS.replace("'", "&#39;") in page
            page = web.post(f"/inbox/concerns/{reference}/acknowledge", data={"csrf": csrf(page)}).text
            assert "Acknowledged: the alerts have stopped." in page
            page = web.post(f"/inbox/concerns/{reference}/decision", data={
                "csrf": csrf(page), "decision": "refer_social_care",
                "reasons": "Threats to mum and carrying for an adult: criminal exploitation."}).text
            assert "Decision recorded." in page
        history = store.read(ORG, reference, reader="test", via="test").history
        kinds = [h.kind for h in history]
        assert kinds == ["filed", "alert", "alert", "escalated", "alert", "acknowledged", "decision"]
        assert history[-1].actor == lead.account.actor
        assert history[-1].payload["reasons"].startswith("Threats to mum")
        reads = [(actor, via) for actor, via, _ in store.reads_of(ORG, reference)]
        assert (lead.account.actor, "inbox") in reads
        assert store.verify() == []
    finally:
        api.stop()
        mailbox.stop()
