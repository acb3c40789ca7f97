"""Full-stack reply time: REST channel -> Rasa -> action server -> core, on loopback.

Prints median and p95 over a few hundred messages, with a fresh SQLite database
and a frozen clock, so runs are comparable.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot import serve  # noqa: E402
from bot.nlu_eval import load_fresh  # noqa: E402

ROUNDS = 5   # 5 x 85 fresh messages = 425 requests


def post(url: str, body: dict) -> list:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def main() -> int:
    messages = [t for t, _ in load_fresh()]
    with tempfile.TemporaryDirectory() as tmp:
        env = {"SAFEGUARD_KEYS": Fernet.generate_key().decode(),
               "SAFEGUARD_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
               "SAFEGUARD_CONVERSATIONS_URL": f"sqlite:///{tmp}/conversations.db", "SAFEGUARD_NOW": "2026-11-20T18:00"}
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
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"full-stack reply time over {len(times)} messages: median {statistics.median(times):.0f} ms, "
          f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
