"""A filed concern alerts the lead (email and Telegram); nobody acknowledging alerts the deputy
after the window; acknowledging stops it; every message goes once and only once, across
restarts and rival workers; alerts never carry the child's words; a down SMTP server delays."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from bot import clock, notify, recording
from bot.concerns.store import ConcernStore
from bot.notify.engine import AckRefused, AlertEngine
from bot.routes import Context
from bot.serve import ROOT
from tests.notify.conftest import FRIDAY_EVENING, LEAD_CHAT, ORG

CHILD_REF = "Zephyrine Quill, year 5"
CHILD_WORDS = "Uncle Bartholomew locks me in the shed when mum is at work"
CHILD_FRAGMENTS = ("Zephyrine", "Quill", "Bartholomew", "shed", "mum is at work")
LEAD, DEPUTY = "lead@example.org", "deputy@example.org"


def file_concern(key: str = "k1", urgency: str = "urgent", org: str = ORG, **more: str) -> tuple[str, str]:
    """File through the record step, as the chat does: (reference, what the worker is told)."""
    values = {"child_ref": CHILD_REF, "child_words": CHILD_WORDS, "incident_when": "today at 4pm",
              "incident_where": "the youth club hall", "reporter": "Sam, youth worker", "urgency": urgency, **more}
    outcome = recording.file(Context(org=org, channel="rest", sender="user-1"), values, key, "rest", "user-1")
    return outcome.set_slots["last_reference"], outcome.replies[0].text


def at(monkeypatch, minutes: float) -> None:
    """Move the frozen clock to `minutes` after Friday 18:00."""
    moment = clock.parse_moment(FRIDAY_EVENING) + timedelta(minutes=minutes)
    monkeypatch.setenv("SAFEGUARD_NOW", moment.isoformat())


def fresh_engine() -> AlertEngine:
    """As after a restart: new objects on the same database, nothing carried in memory."""
    return AlertEngine(ConcernStore.from_env())


def ack_token(text: str) -> str:
    return re.search(r"/ack/([A-Za-z0-9_-]+)", text).group(1)


def all_alert_texts(mailbox, bot_api) -> list[str]:
    return ([mailbox.body(m) + m["Subject"] for m in mailbox.received]
            + [s.text for s in bot_api.calls if s.method == "sendMessage"])


def test_lead_then_deputy_then_exhausted_each_once_and_in_the_history(alerting, mailbox, bot_api, monkeypatch):
    reference, told = file_concern()
    assert "Your safeguarding lead has been alerted" in told

    first = fresh_engine().run_once()
    assert sorted(first.sent) == [(reference, "Lead Tester", "email"), (reference, "Lead Tester", "telegram")]
    [email] = mailbox.to(LEAD)
    body = mailbox.body(email)
    assert reference in email["Subject"] and "URGENT" in email["Subject"] and "Missing Link" in body
    assert "18:00 on Fri 20 Nov 2026" in body and "https://guide.example.org/ack/" in body
    assert f"https://guide.example.org/inbox/concerns/{reference}" in body
    assert "Deputy Tester (Deputy Designated Safeguarding Lead) is alerted next" in body
    [dm] = bot_api.sent_to(LEAD_CHAT)
    assert reference in dm.text and "/ack/" in dm.text

    for minutes in (0, 5, 14.9):                      # again and again within the window: nothing new
        at(monkeypatch, minutes)
        assert fresh_engine().run_once().sent == []
    assert len(mailbox.received) == 1 and len(bot_api.sent_to(LEAD_CHAT)) == 1

    at(monkeypatch, 15.5)                             # nobody acknowledged in 15 minutes: the deputy
    tick = fresh_engine().run_once()
    assert tick.escalated == [(reference, "Deputy Tester")] and tick.sent == [(reference, "Deputy Tester", "email")]
    [deputy_email] = mailbox.to(DEPUTY)
    assert "Lead Tester" in mailbox.body(deputy_email) and reference in deputy_email["Subject"]
    assert fresh_engine().run_once().sent == []

    at(monkeypatch, 31)               # the third can't be reached (no Telegram chat registered): run out
    tick = fresh_engine().run_once()
    assert tick.exhausted == [reference] and tick.sent == [] and tick.escalated == []
    at(monkeypatch, 600)
    assert fresh_engine().run_once() == type(tick)()
    assert len(mailbox.received) == 2 and len(bot_api.sent_to(LEAD_CHAT)) == 1

    s = ConcernStore.from_env()
    history = s.read(ORG, reference, reader="test", via="test").history
    kinds = [h.kind for h in history]
    assert kinds == ["filed", "alert", "alert", "escalated", "alert", "alerts_exhausted"]
    assert sorted(h.payload["channel"] for h in history if h.kind == "alert") == ["email", "email", "telegram"]
    assert history[3].payload["to"].startswith("Deputy Tester")
    assert s.verify() == []
    assert s.read(ORG, reference, reader="test", via="test").status == "new"   # alerts don't change the record


def test_acknowledging_stops_escalation_and_is_recorded_once(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    fresh_engine().run_once()
    token = ack_token(bot_api.sent_to(LEAD_CHAT)[0].text)
    at(monkeypatch, 3)
    engine = fresh_engine()
    assert engine.peek(token).acknowledged_at is None
    done = engine.acknowledge(token)
    assert done.now and done.reference == reference and done.by == "Lead Tester (Designated Safeguarding Lead)"
    again = fresh_engine().acknowledge(ack_token(mailbox.body(mailbox.to(LEAD)[0])))   # the email's link too
    assert not again.now and again.by == done.by
    for minutes in (16, 300, 3000):
        at(monkeypatch, minutes)
        assert fresh_engine().run_once() == type(fresh_engine().run_once())()
    assert mailbox.to(DEPUTY) == []
    history = ConcernStore.from_env().read(ORG, reference, reader="t", via="t").history
    acks = [h for h in history if h.kind == "acknowledged"]
    assert len(acks) == 1 and acks[0].actor == "recipient:Lead Tester" and acks[0].via == "ack-link"
    assert ConcernStore.from_env().verify() == []
    with pytest.raises(AckRefused):
        fresh_engine().acknowledge("not-a-token")


def test_acknowledged_before_sending_cancels_what_was_still_due(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    mailbox.stop()                                     # the email can't go; Telegram can
    fresh_engine().run_once()
    fresh_engine().acknowledge(ack_token(bot_api.sent_to(LEAD_CHAT)[0].text))
    mailbox.start()
    at(monkeypatch, 60)
    assert fresh_engine().run_once().sent == [] and mailbox.received == []


def test_no_alert_holds_the_childs_name_or_words(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern(urgency="standard")
    fresh_engine().run_once()
    at(monkeypatch, 241)
    fresh_engine().run_once()
    texts = all_alert_texts(mailbox, bot_api)
    assert len(texts) == 3 and all(reference in t for t in texts)
    assert not any("URGENT" in t for t in texts)
    for text in texts:
        for fragment in CHILD_FRAGMENTS:
            assert fragment not in text


def test_smtp_down_leaves_the_email_due_and_it_goes_later(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    mailbox.stop()
    tick = fresh_engine().run_once()
    assert tick.failed == [(reference, "Lead Tester", "email")]
    assert tick.sent == [(reference, "Lead Tester", "telegram")]
    assert fresh_engine().run_once().failed == []      # backing off: not hammered at once
    mailbox.start()
    at(monkeypatch, 1)
    tick = fresh_engine().run_once()
    assert tick.sent == [(reference, "Lead Tester", "email")]
    assert len(mailbox.to(LEAD)) == 1 and len(bot_api.sent_to(LEAD_CHAT)) == 1
    state = fresh_engine().status(ORG, reference)
    assert ("Lead Tester", "email", True, 2) in state["sends"]


def test_telegram_down_is_retried_too(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    bot_api.fail("sendMessage", 1)
    assert fresh_engine().run_once().failed == [(reference, "Lead Tester", "telegram")]
    at(monkeypatch, 1)
    assert fresh_engine().run_once().sent == [(reference, "Lead Tester", "telegram")]
    assert len(bot_api.sent_to(LEAD_CHAT)) == 1


def test_rival_workers_in_threads_send_each_alert_once(alerting, mailbox, bot_api, monkeypatch):
    refs = [file_concern(key=f"k{i}")[0] for i in range(3)]
    engines = [fresh_engine() for _ in range(4)]
    errors: list[BaseException] = []

    def work(engine: AlertEngine) -> None:
        try:
            for _ in range(3):
                engine.run_once()
        except BaseException as exc:   # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(re.search(r"SG-\d{4}-\d{6}", m["Subject"]).group(0) for m in mailbox.to(LEAD)) == sorted(refs)
    assert len(bot_api.sent_to(LEAD_CHAT)) == 3
    at(monkeypatch, 16)
    threads = [threading.Thread(target=work, args=(fresh_engine(),)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(mailbox.to(DEPUTY)) == 3
    s = ConcernStore.from_env()
    for ref in refs:
        kinds = [h.kind for h in s.read(ORG, ref, reader="t", via="t").history]
        assert kinds.count("alert") == 3 and kinds.count("escalated") == 1
    assert s.verify() == []


def test_two_worker_processes_and_a_restart_send_each_alert_once(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    run = [sys.executable, "-m", "bot", "alerts", "run", "--once"]
    procs = [subprocess.Popen(run, cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(o.count("sent ") for o in outputs) == 2          # one email and one Telegram message in all
    rerun = subprocess.run(run, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0 and "sent" not in rerun.stdout   # "restarted": nothing again
    at(monkeypatch, 16)
    procs = [subprocess.Popen(run, cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert sum(o.count("escalated ") for o in outputs) == 1 and sum(o.count("sent ") for o in outputs) == 1
    assert len(mailbox.to(LEAD)) == 1 and len(mailbox.to(DEPUTY)) == 1 and len(bot_api.sent_to(LEAD_CHAT)) == 1


def test_a_worker_that_died_mid_send_is_retried_after_its_claim_lapses(alerting, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    dead = fresh_engine()
    with_claims = [sid for sid in range(1, 10) if dead._claim(sid)]   # claimed, then "killed" before sending
    assert len(with_claims) == 2
    assert fresh_engine().run_once().sent == []                     # claimed by someone else: left alone
    at(monkeypatch, 6)                                              # the claim lapsed
    assert len(fresh_engine().run_once().sent) == 2


def test_outbox_filing_schedules_alerts_with_the_stored_urgency(alerting, mailbox, bot_api):
    from bot.concerns.outbox import Outbox
    from bot.concerns.store import Draft
    from bot.concerns.conversations import local_engine
    from bot.concerns.crypto import FieldCipher, load_keys
    box = Outbox(local_engine(), FieldCipher(load_keys()))
    box.put(Draft(org=ORG, fields={"child_words": CHILD_WORDS}, channel="telegram", sender_id="u", key="ob",
                  urgency="urgent"))
    [filed] = box.flush(ConcernStore.from_env())
    fresh_engine().run_once()
    [email] = mailbox.to(LEAD)
    assert filed.reference in email["Subject"] and email["Subject"].startswith("URGENT")
    box.put(Draft(org=ORG, fields={}, channel="telegram", sender_id="u", key="ob"))   # a retried flush
    box.flush(ConcernStore.from_env())
    assert fresh_engine().run_once().sent == []


def test_nobody_reachable_means_the_worker_is_told_to_ring_as_today(orgs, db_url, monkeypatch):
    for var in ("SAFEGUARD_SMTP_HOST", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    reference, told = file_concern()                 # alerts listed, but no SMTP and no Telegram: nobody reachable
    assert "I can't alert them" in told
    assert fresh_engine().status(ORG, reference) is None
    reference, told = file_concern(key="k2", org="grange-primary")   # a real profile: no alerts section
    assert "I can't alert them" in told and fresh_engine().status("grange-primary", reference) is None


def test_email_only_recipients_are_enough_to_deliver(orgs, db_url, mailbox, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert notify.delivers_for(notify.notifier(), ORG)
    assert not notify.delivers_for(notify.notifier(), "west-kent")
    reference, told = file_concern()
    assert "has been alerted" in told
    assert fresh_engine().run_once().sent == [(reference, "Lead Tester", "email")]


def test_old_style_notifiers_still_work(monkeypatch):
    quiet = type("N", (), {"new_concern": lambda s, o, r, worker=None: None})()
    loud = type("N", (), {"delivers": True, "new_concern": lambda s, o, r, worker=None: None})()
    assert notify.delivers_for(quiet, ORG) is False and notify.delivers_for(loud, ORG) is True


def test_the_bot_starts_the_alerts_worker():
    from bot.serve import Ports, commands
    assert commands(Ports())["alerts"][-3:] == ["bot", "alerts", "run"]


def test_a_stopped_worker_finishes_its_pass_and_exits_at_once(alerting, mailbox, bot_api, tmp_path):
    """honcho and `make run` stop workers with SIGTERM: the worker must not be cut off between sending
    an alert and marking it sent (a restart would send it again), nor sleep out its interval."""
    import signal
    import time

    reference, _ = file_concern()
    log = open(tmp_path / "alerts.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "bot", "alerts", "run", "--every", "60"], cwd=ROOT,
                              env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not (mailbox.to(LEAD) and bot_api.sent_to(LEAD_CHAT)) and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.send_signal(signal.SIGTERM)          # as soon as the messages are out, mid-pass
    started = time.monotonic()
    assert worker.wait(timeout=20) == 0 and time.monotonic() - started < 10
    assert "alerts worker stopped" in (tmp_path / "alerts.log").read_text()
    assert fresh_engine().run_once().sent == []            # both were marked sent: nothing goes twice
    assert len(mailbox.to(LEAD)) == 1 and len(bot_api.sent_to(LEAD_CHAT)) == 1 and reference


def test_alert_times_are_london_time_in_summer(alerting, mailbox, bot_api, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_NOW", "2026-07-03T09:30")
    file_concern(urgency="standard")
    fresh_engine().run_once()
    assert "09:30 on Fri 03 Jul 2026" in mailbox.body(mailbox.to(LEAD)[0])   # BST: 08:30 UTC


def test_the_lead_acknowledges_with_one_tap_in_telegram(alerting, mailbox, bot_api, monkeypatch):
    """The alert's button, pressed in Telegram, goes through the real bridge and stops escalation."""
    import asyncio

    from telegram import Update

    from bot.notify.engine import ACK_BUTTON
    from bot.rasa_client import RasaClient
    from bot.telegram.bridge import Bridge, Settings

    reference, _ = file_concern()
    fresh_engine().run_once()
    [dm] = bot_api.sent_to(LEAD_CHAT)
    assert dm.buttons[0][0] == ACK_BUTTON and len(dm.buttons[0][1].encode()) <= 64
    bot_api.user_presses(LEAD_CHAT, ACK_BUTTON)
    [pressed] = bot_api._updates
    bridge = Bridge(Settings(bot_api.token, bot_api.base_url), ConcernStore.from_env(), RasaClient("http://127.0.0.1:9"))

    async def go() -> None:
        await bridge.start()
        try:
            await bridge.handle_batch([Update.de_json(pressed, bridge.app.bot)])
        finally:
            await bridge.stop()
    asyncio.run(go())
    assert f"You acknowledged {reference}" in bot_api.sent_to(LEAD_CHAT)[-1].text
    at(monkeypatch, 20)
    assert fresh_engine().run_once().sent == []                      # the deputy is not alerted
    history = ConcernStore.from_env().read(ORG, reference, reader="test", via="test").history
    assert [h.via for h in history if h.kind == "acknowledged"] == ["telegram"]


def test_when_nobody_acknowledges_the_telegram_worker_is_told_whom_to_ring(alerting, mailbox, bot_api, monkeypatch):
    values = {"child_ref": CHILD_REF, "child_words": CHILD_WORDS, "reporter": "Sam, youth worker", "urgency": "urgent"}
    ctx = Context(org=ORG, channel="telegram", sender="tg-user", reply_to="7001")
    reference = recording.file(ctx, values, "k-worker", "telegram", "tg-user").set_slots["last_reference"]
    fresh_engine().run_once()
    at(monkeypatch, 15.5)
    fresh_engine().run_once()                                   # the deputy
    assert bot_api.sent_to(7001) == []                          # not yet: someone may still answer
    at(monkeypatch, 31)
    tick = fresh_engine().run_once()                            # nobody left: the worker is told, once
    assert tick.exhausted == [reference] and (reference, "the worker who filed it", "telegram") in tick.sent
    assert fresh_engine().run_once().sent == []
    [notice] = bot_api.sent_to(7001)
    assert f"acknowledged the alert about {reference}" in notice.text and "999" in notice.text
    assert "01454 615 165" in notice.text                        # Friday 18:31: the Emergency Duty Team
    assert "07407895695" not in notice.text                      # not the lead who didn't answer
    assert CHILD_WORDS not in notice.text and CHILD_REF not in notice.text
    kinds = [h.kind for h in ConcernStore.from_env().read(ORG, reference, reader="t", via="t").history]
    assert kinds[-2:] == ["alerts_exhausted", "worker_told"]


def test_an_acknowledgement_before_the_end_means_the_worker_is_not_told(alerting, mailbox, bot_api, monkeypatch):
    values = {"child_ref": CHILD_REF, "reporter": "Sam", "urgency": "urgent"}
    ctx = Context(org=ORG, channel="telegram", sender="tg-user", reply_to="7002")
    recording.file(ctx, values, "k-worker-2", "telegram", "tg-user")
    fresh_engine().run_once()
    fresh_engine().acknowledge(ack_token(bot_api.sent_to(LEAD_CHAT)[0].text))
    for minutes in (16, 32, 600):
        at(monkeypatch, minutes)
        fresh_engine().run_once()
    assert bot_api.sent_to(7002) == []


def test_a_concern_naming_the_lead_is_never_sent_to_them(alerting, mailbox, bot_api, monkeypatch):
    """The person a concern is about must not be the one who acknowledges it and stops the alerts."""
    reference, _ = file_concern(observed="Lead Tester from the office was in the hall with him")
    tick = fresh_engine().run_once()
    assert tick.sent == [(reference, "Deputy Tester", "email")]
    [deputy_email] = mailbox.to(DEPUTY)
    assert "Lead Tester" not in mailbox.body(deputy_email)       # not even as "nobody before you has answered"
    at(monkeypatch, 16)
    tick = fresh_engine().run_once()                 # on past the deputy, still never back to the lead
    assert tick.exhausted == [reference] and mailbox.to(LEAD) == [] and bot_api.sent_to(LEAD_CHAT) == []
