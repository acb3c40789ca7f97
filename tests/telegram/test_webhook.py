"""Webhook mode: Telegram POSTs updates; only requests carrying the secret are answered."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bot import serve

pytestmark = pytest.mark.e2e


def post(url: str, update: dict, secret: str) -> int:
    req = urllib.request.Request(url, data=json.dumps(update).encode(),
                                 headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_webhook_answers_telegram_and_refuses_strangers(telegram, tmp_path):
    api, stack, env, _ = telegram
    port = serve.free_port()
    public = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "bot", "telegram", "--webhook", public, "--listen", f"127.0.0.1:{port}"],
                            env=serve.environment(stack.ports) | env, cwd=serve.ROOT,
                            stdout=open(tmp_path / "webhook.log", "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not [c for c in api.calls if c.method == "setWebhook"]:
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "webhook.log").read_text()[-2000:]
            time.sleep(0.2)
        hook = [c for c in api.calls if c.method == "setWebhook"][-1]
        assert hook.params["url"] == f"{public}/telegram/update"
        secret = hashlib.sha256(f"webhook:{api.token}".encode()).hexdigest()
        assert hook.params["secret_token"] == secret

        uid = 8_000_001
        update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()), "text": "/help",
                                             "chat": {"id": uid, "type": "private"},
                                             "from": {"id": uid, "is_bot": False, "first_name": "Kim"},
                                             "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
        assert post(hook.params["url"], update, "wrong") == 403
        assert post(hook.params["url"], update, secret) == 200
        assert "/danger" in api.wait_for(uid, 1)[-1].text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
