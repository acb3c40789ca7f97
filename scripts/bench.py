"""Full-stack reply time: REST channel -> Rasa -> action server -> core, on loopback;
the same through our safeguard channel and through the Telegram bridge (fake Bot API).

Prints median and p95 over a few hundred messages, with a fresh SQLite database
and a frozen clock, so runs are comparable.
"""
from __future__ import annotations

import importlib
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot import serve  # noqa: E402
from bot.nlu_eval import load_fresh  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotAPI  # noqa: E402

ROUNDS = 5   # 5 x 85 fresh messages = 425 requests


def post(url: str, body: dict) -> list:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def bench_records(tmp: str, n: int = 300) -> None:
    """Cost of sealing and chaining one record, and its size on disk, on SQLite."""
    from sqlalchemy import create_engine

    from bot.concerns.crypto import FieldCipher
    from bot.concerns.store import ConcernStore, Draft

    fields = {"child_ref": "AB, year 6", "incident_when": "today 4pm", "incident_where": "youth club kitchen",
              "child_words": "He said if you tell your mum I'll hurt the dog and then he hit me with his belt. " * 3,
              "observed": "red mark on left forearm about 5cm, she was crying", "worker_said": "thank you for telling me",
              "others_present": "nobody", "actions_taken": "told the lead", "reporter": "Sam Jones, volunteer"}
    cipher = FieldCipher([Fernet.generate_key()])
    seal = []
    for _ in range(n):
        t0 = time.perf_counter(); cipher.seal(fields); seal.append((time.perf_counter() - t0) * 1000)
    path = Path(tmp) / "records-bench.db"
    store = ConcernStore(create_engine(f"sqlite:///{path}", future=True), cipher)
    store.create_schema()
    store.file(Draft("grange-primary", fields, "bench", "warm", "warm-up"))
    before = path.stat().st_size
    filing, reading = [], []
    for i in range(n):
        t0 = time.perf_counter()
        ref = store.file(Draft("grange-primary", fields, "bench", f"u{i}", f"k{i}")).reference
        filing.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        store.read("grange-primary", ref, reader="bench", via="bench")
        reading.append((time.perf_counter() - t0) * 1000)
    grown = path.stat().st_size - before
    text_size = len(json.dumps(fields).encode())
    print(f"records: encrypt one record median {statistics.median(seal):.3f} ms; file (encrypt + number + chain + "
          f"commit) median {statistics.median(filing):.1f} ms; audited read median {statistics.median(reading):.1f} ms")
    print(f"records: {grown / n / 1024:.1f} KiB on disk per record incl. one read entry "
          f"(narrative {text_size} bytes as text), SQLite, {n} records")


def bench_inbox(tmp: str, n: int = 500) -> None:
    """The inbox's own costs: a password check (Argon2id), and the list and one concern with n records,
    where every record is decrypted to see whom it names."""
    import os

    import pyotp
    from sqlalchemy import create_engine

    from bot import clock
    from bot.concerns.crypto import FieldCipher
    from bot.concerns.store import ConcernStore, Draft
    from bot.inbox.accounts import Accounts
    from bot.inbox.casework import Casework

    os.environ["SAFEGUARD_NOW"] = "2026-11-20T18:00"
    store = ConcernStore(create_engine(f"sqlite:///{tmp}/inbox-bench.db", future=True),
                         FieldCipher([Fernet.generate_key()]))
    store.create_schema()
    accounts = Accounts(store)
    for i in range(4):
        accounts.create("missing-link", f"person{i}@example.org", f"Person Number{i}", {"lead"}, by="bench")
    account, token = accounts.create("missing-link", "lead@example.org", "Lee Lead", {"lead"}, by="bench")
    secret = accounts.enrolment(token).secret
    accounts.enrol(token, "a long bench password", "a long bench password", pyotp.TOTP(secret).at(clock.utcnow()))
    fields = {"child_ref": "AB, year 6", "child_words": "he hit me with his belt " * 20, "reporter": "Sam, volunteer"}
    for i in range(n):
        store.file(Draft("missing-link", fields, "bench", "u", f"k{i}"))
    checks = []
    for _ in range(10):
        t0 = time.perf_counter()
        accounts.sign_in("lead@example.org", "a long bench password")
        checks.append((time.perf_counter() - t0) * 1000)
    casework = Casework(store, accounts)
    lead = accounts.get(account.id)
    listing, opening = [], []
    for _ in range(10):
        t0 = time.perf_counter(); casework.listing(lead); listing.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter(); casework.open(lead, "SG-2026-000250"); opening.append((time.perf_counter() - t0) * 1000)
    del os.environ["SAFEGUARD_NOW"]
    print(f"inbox: password check (Argon2id) median {statistics.median(checks):.0f} ms; with {n} concerns and "
          f"5 accounts, the list median {statistics.median(listing):.0f} ms, one concern opened median "
          f"{statistics.median(opening):.0f} ms (SQLite)")


def bench_guidance() -> None:
    """The classifier's training, then the matcher with it on every development question, and on a
    10,000-character message."""
    import yaml

    from bot.guidance import classifier, knowledge
    from bot.nlu_eval import GUIDANCE_DEV_SETS

    questions = [q["text"] for path in GUIDANCE_DEV_SETS
                 for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    knowledge.topics()   # loads the knowledge files
    importlib.import_module("sklearn.linear_model")   # paid once per process, not per training
    tracemalloc.start()
    t0 = time.perf_counter()
    classifier.ready()
    trained = (time.perf_counter() - t0) * 1000
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"guidance classifier: trained at start-up in {trained:.0f} ms on {len(classifier.load_examples())} "
          f"examples, peak {peak:.0f} MiB allocated while training")
    knowledge.match("warm up")
    times = []
    for text in questions:
        t0 = time.perf_counter()
        knowledge.match(text)
        knowledge.give_way("whistleblowing", text, report=True)
        times.append((time.perf_counter() - t0) * 1000)
    report("guidance matcher and classifier (match + give_way)", times)
    long_text = " ".join(questions)[:10_000]   # many different words: the matcher's worst case
    t0 = time.perf_counter()
    knowledge.match(long_text)
    print(f"guidance matcher on a 10,000-character message: {(time.perf_counter() - t0) * 1000:.0f} ms")


def main() -> int:
    bench_guidance()
    with tempfile.TemporaryDirectory() as tmp:
        bench_records(tmp)
    with tempfile.TemporaryDirectory() as tmp:
        bench_inbox(tmp)
    messages = [t for t, _ in load_fresh()]
    with tempfile.TemporaryDirectory() as tmp:
        env = {"SAFEGUARD_KEYS": Fernet.generate_key().decode(),
               "SAFEGUARD_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
               "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp}/conversations.db", "SAFEGUARD_NOW": "2026-11-20T18:00"}
        api = FakeBotAPI().start()
        env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url, "TELEGRAM_POLL_TIMEOUT": "5"}
        started = time.perf_counter()
        with serve.running(env, Path(tmp)) as stack:
            ports = stack.ports
            print(f"servers ready in {time.perf_counter() - started:.1f} s")
            url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
            post(url, {"sender": "warm-up", "message": "hello", "metadata": {"org": "grange-primary"}})
            times = []
            for r in range(ROUNDS):
                for i, text in enumerate(messages):
                    t0 = time.perf_counter()
                    post(url, {"sender": f"bench-{r}-{i}", "message": text, "metadata": {"org": "missing-link"}})
                    times.append((time.perf_counter() - t0) * 1000)
            report("full-stack reply time (REST channel)", times)
            report("safeguard channel (message ids, replay check)", bench_safeguard(ports.rasa, messages))
            report("Telegram, message sent to first reply shown (fake Bot API on loopback)",
                   bench_telegram(api, messages))
        api.stop()
    return 0


def report(what: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{what} over {len(times)} messages: median {statistics.median(times):.0f} ms, "
          f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms")


def bench_safeguard(port: int, messages: list[str]) -> list[float]:
    url = f"http://127.0.0.1:{port}/webhooks/safeguard/webhook"
    times = []
    for i, text in enumerate(messages * 2):
        sender = f"sg-{i % 20}"           # 20 conversations growing to ~9 turns: the replay check reads them
        t0 = time.perf_counter()
        post(url, {"sender": sender, "message": text, "message_id": f"m{i}", "metadata": {"org": "missing-link"}})
        times.append((time.perf_counter() - t0) * 1000)
    return times


def bench_telegram(api: FakeBotAPI, messages: list[str]) -> list[float]:
    api.user_sends(900, "/start missing-link")
    api.wait_for(900, 1)
    times = []
    for i, text in enumerate(messages):
        uid = 1000 + i
        api.user_sends(uid, "/start missing-link")
        api.wait_for(uid, 1)
        t0 = time.perf_counter()
        api.user_sends(uid, text)
        while len(api.sent_to(uid)) < 2:
            time.sleep(0.001)
        times.append((time.perf_counter() - t0) * 1000)
    return times


if __name__ == "__main__":
    raise SystemExit(main())
