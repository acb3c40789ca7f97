"""The acknowledgement link: opening it acknowledges nothing (mail scanners open links);
pressing the button does, once, and the page shows the reference and never the record."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from bot.concerns.store import ConcernStore
from tests.notify.conftest import LEAD_CHAT, ORG
from tests.notify.test_alerts import CHILD_FRAGMENTS, DEPUTY, ack_token, at, file_concern, fresh_engine
from tests.web_process import web_app


@pytest.fixture
def web(alerting, tmp_path):
    with web_app(tmp_path) as url:
        yield url


def fetch(url: str, post: bool = False) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"" if post else None), timeout=30) as resp:
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_pressing_the_link_acknowledges_once_and_stops_escalation(web, mailbox, bot_api, monkeypatch):
    reference, _ = file_concern()
    fresh_engine().run_once()
    token = ack_token(bot_api.sent_to(LEAD_CHAT)[0].text)
    url = f"{web}/ack/{token}"

    status, page, headers = fetch(url)
    assert status == 200 and reference in page and "<form method=\"post\">" in page
    assert "form-action 'self'" in headers["Content-Security-Policy"]
    assert fresh_engine().peek(token).acknowledged_at is None        # opening is not acknowledging

    status, page, _ = fetch(url, post=True)
    assert status == 200 and f"{reference} is acknowledged by Lead Tester" in page
    assert f'<a href="/inbox/concerns/{reference}">Open {reference} in the inbox</a>' in page
    status, page, _ = fetch(url, post=True)
    assert status == 200 and "already acknowledged by Lead Tester" in page
    status, page, _ = fetch(url)
    assert status == 200 and "acknowledged" in page and "<form" not in page
    for fragment in CHILD_FRAGMENTS:
        assert fragment not in page

    at(monkeypatch, 20)
    assert fresh_engine().run_once().escalated == [] and mailbox.to(DEPUTY) == []
    history = ConcernStore.from_env().read(ORG, reference, reader="t", via="t").history
    assert [h.kind for h in history].count("acknowledged") == 1


def test_unknown_link_is_refused(web):
    assert fetch(f"{web}/ack/nonsense")[0] == 404
    assert fetch(f"{web}/ack/nonsense", post=True)[0] == 404
